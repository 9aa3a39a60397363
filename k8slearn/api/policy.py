"""policy/v1 objects: the Eviction a client sends, and PodDisruptionBudget status helpers.

An Eviction names the pod and carries the delete options (kubectl drain sends one per pod):

>>> eviction_body("web-1", "default", grace_period_seconds=10)["deleteOptions"]
{'gracePeriodSeconds': 10}

The budget's status fields in Go's order, and the ``DisruptionAllowed`` condition that the API
server's eviction and the disruption controller both keep up to date:

>>> status = pdb_status(generation=2, disrupted={}, allowed=1, current=3, desired=2, expected=3, conditions=[])
>>> list(status)   # an empty disruptedPods and no conditions are left out, as Go's omitempty does
['observedGeneration', 'disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']
>>> c = disruption_allowed_condition(0, 2, [], "2026-01-05T09:00:00Z")[0]
>>> c["status"], c["reason"], c["observedGeneration"]
('False', 'InsufficientPods', 2)

Upstream: staging/src/k8s.io/api/policy/v1/types.go (Eviction, PodDisruptionBudgetStatus),
pkg/apis/policy/helper (UpdateDisruptionAllowedCondition), apimachinery pkg/api/meta/conditions.go
(SetStatusCondition), staging/src/k8s.io/kubectl/pkg/drain/drain.go (EvictPod)
"""

from __future__ import annotations


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


def disruption_allowed_condition(allowed: int, generation: int, old: list[dict], now: str,
                                 reason: str = "", message: str = "") -> list[dict]:
    """SetStatusCondition of ``DisruptionAllowed``: the transition time moves only when the status does
    (metav1.Condition fields in Go's order; an observedGeneration of 0 is left out, as omitempty does).
    The reason is ``SufficientPods`` or ``InsufficientPods`` unless given (the controller's failSafe
    gives ``SyncFailed`` and the error as the message)."""
    status = "True" if allowed > 0 else "False"
    previous = next((c for c in old if c.get("type") == "DisruptionAllowed"), None)
    since = previous["lastTransitionTime"] if previous and previous.get("status") == status else now
    condition = {"type": "DisruptionAllowed", "status": status, "observedGeneration": generation,
                 "lastTransitionTime": since,
                 "reason": reason or ("SufficientPods" if allowed > 0 else "InsufficientPods"), "message": message}
    if not generation:
        del condition["observedGeneration"]
    return [condition if c is previous else c for c in old] if previous else [*old, condition]


def pdb_status(generation: int, disrupted: dict[str, str], allowed: int, current: int, desired: int,
               expected: int, conditions: list[dict]) -> dict:
    """A PodDisruptionBudgetStatus with its fields in Go's order (an observedGeneration of 0 and an
    empty disruptedPods left out, as omitempty does)."""
    status: dict = {"observedGeneration": generation} if generation else {}
    if disrupted:
        status["disruptedPods"] = disrupted
    status.update(disruptionsAllowed=allowed, currentHealthy=current, desiredHealthy=desired, expectedPods=expected)
    if conditions:
        status["conditions"] = conditions
    return status
