"""The pods/eviction subresource: a polite delete that ``kubectl drain`` asks for.

``POST /api/v1/namespaces/<ns>/pods/<name>/eviction`` with a ``policy/v1`` ``Eviction`` body asks
the API server to delete a pod *if disruption budgets allow*. When they do, the server first marks
the pod with the ``DisruptionTarget`` condition (reason ``EvictionByEvictionAPI``), then deletes
it gracefully with the Eviction's ``deleteOptions``, and answers ``201`` with a success Status. The
kubelet then stops the pod within its grace period, as for any delete, and the pod's controller
makes a replacement.

>>> body = eviction_body("web-1", "default", grace_period_seconds=10)
>>> body["kind"], body["apiVersion"], body["deleteOptions"]
('Eviction', 'policy/v1', {'gracePeriodSeconds': 10})
>>> disruption_condition("2026-01-05T09:00:00Z")["reason"]
'EvictionByEvictionAPI'
>>> check_name("web-1", body) is None
True

Simplified: there are no PodDisruptionBudgets in the simulation, so every eviction of an existing
pod is allowed (upstream answers ``429 Too Many Requests`` "Cannot evict pod as it would violate the
pod's disruption budget." when a budget has no disruptions left); no retries on conflicts (the
simulation serves one request at a time).

Upstream: pkg/registry/core/pod/storage/eviction.go (EvictionREST.Create, addConditionAndDeletePod,
canIgnorePDB), staging/src/k8s.io/api/policy/v1/types.go (Eviction)
"""

from __future__ import annotations

from k8slearn.api.errors import bad_request

REASON = "EvictionByEvictionAPI"
MESSAGE = "Eviction API: evicting"
SUCCESS = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}


def eviction_body(name: str, namespace: str, grace_period_seconds: int | None = None,
                  dry_run: bool = False) -> dict:
    """The ``policy/v1`` Eviction kubectl drain sends for one pod."""
    options: dict = {}
    if grace_period_seconds is not None and grace_period_seconds >= 0:
        options["gracePeriodSeconds"] = grace_period_seconds
    if dry_run:
        options["dryRun"] = ["All"]
    return {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": name, "namespace": namespace},
            "deleteOptions": options}


def check_name(name: str, body: dict) -> None:
    """400 if the Eviction names another pod than the URL does."""
    if (body.get("metadata") or {}).get("name") != name:
        raise bad_request("name in URL does not match name in Eviction object")


def disruption_condition(now: str) -> dict:
    """The condition the API server adds before it deletes an evicted pod (fields in Go's order)."""
    return {"type": "DisruptionTarget", "status": "True", "lastProbeTime": None, "lastTransitionTime": now,
            "reason": REASON, "message": MESSAGE}


def with_disruption_condition(existing: dict, now: str) -> dict:
    """podutil.UpdatePodCondition on a copy: the DisruptionTarget condition set to True (its
    transition time kept if it was True already); ``existing`` is not changed."""
    pod = dict(existing)
    status = pod["status"] = dict(existing.get("status") or {})
    conditions = [dict(c) for c in status.get("conditions") or ()]
    new = disruption_condition(now)
    for i, cond in enumerate(conditions):
        if cond.get("type") == "DisruptionTarget":
            if cond.get("status") == "True":
                new["lastTransitionTime"] = cond.get("lastTransitionTime")
            conditions[i] = new
            break
    else:
        conditions.append(new)
    status["conditions"] = conditions
    return pod
