"""The pods/eviction subresource: a polite delete that ``kubectl drain`` asks for.

``POST /api/v1/namespaces/<ns>/pods/<name>/eviction`` with a ``policy/v1`` ``Eviction`` body asks
the API server to delete a pod *if disruption budgets allow*. When they do, the server first marks
the pod with the ``DisruptionTarget`` condition (reason ``EvictionByEvictionAPI``), then deletes
it gracefully with the Eviction's ``deleteOptions``, and answers ``201`` with a success Status. The
kubelet then stops the pod within its grace period, as for any delete, and the pod's controller
makes a replacement.

>>> from k8slearn.api.policy import eviction_body
>>> body = eviction_body("web-1", "default", grace_period_seconds=10)
>>> body["kind"], body["apiVersion"], body["deleteOptions"]
('Eviction', 'policy/v1', {'gracePeriodSeconds': 10})
>>> disruption_condition("2026-01-05T09:00:00Z")["reason"]
'EvictionByEvictionAPI'
>>> check_name("web-1", body) is None
True

**Disruption budgets.** A Running pod that a PodDisruptionBudget covers may go only if the
budget's status (kept by the disruption controller) allows one more disruption: then the server
lowers ``disruptionsAllowed``, records the pod in ``disruptedPods`` (a status update of the budget,
so the controller does not count the pod while it goes) and evicts. Otherwise the answer is
``429 Too Many Requests``, "Cannot evict pod as it would violate the pod's disruption budget.",
and the client retries later (kubectl drain: every 5 s). Pods that are Pending, finished or already
being deleted skip the budget; so does a not-Ready pod while the budget is healthy.

>>> pdb = {"metadata": {"name": "web", "generation": 1},
...        "status": {"observedGeneration": 1, "disruptionsAllowed": 0, "currentHealthy": 2, "desiredHealthy": 2}}
>>> try:
...     check_and_decrement(pdb, "web-1", "2026-01-05T09:00:00Z")
... except ApiError as err:
...     print(err.code, err.message, err.status["details"]["causes"][0]["message"])
429 Cannot evict pod as it would violate the pod's disruption budget. The disruption budget web needs 2 healthy pods and has 2 currently

Simplified: no retries on conflicts (the simulation serves one request at a time); no
resourceVersion precondition on the delete of an unhealthy pod.

Upstream: pkg/registry/core/pod/storage/eviction.go (EvictionREST.Create, checkAndDecrement,
addConditionAndDeletePod, canIgnorePDB), staging/src/k8s.io/api/policy/v1/types.go (Eviction)
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from k8slearn.api.errors import ApiError, bad_request, forbidden, status_error
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import thaw, timestamp
from k8slearn.api.pod_conditions import update_pod_condition
from k8slearn.api.policy import disruption_allowed_condition, pdb_status
from k8slearn.api.resources import RESOURCES

REASON = "EvictionByEvictionAPI"
MESSAGE = "Eviction API: evicting"
SUCCESS = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}
VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."
MAX_DISRUPTED_POD_SIZE = 2000


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
    conditions = status["conditions"] = [dict(c) for c in status.get("conditions") or ()]
    update_pod_condition(conditions, disruption_condition(now))
    return pod


def can_ignore_pdb(pod: dict) -> bool:
    """canIgnorePDB: a pod that is Pending, finished or already being deleted disrupts nothing."""
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed", "Pending") \
        or bool(pod["metadata"].get("deletionTimestamp"))


def budgets_for(pod: dict, budgets: list[dict]) -> list[dict]:
    """The PodDisruptionBudgets of the pod's namespace whose selector matches its labels."""
    labels = pod["metadata"].get("labels")
    return [b for b in budgets if selector_from_label_selector((b.get("spec") or {}).get("selector")).matches(labels)]


def too_many_requests(cause: str, retry_after_seconds: int = 0) -> ApiError:
    """errors.NewTooManyRequests with the budget's DisruptionBudget cause: the message is always
    VIOLATION (all kubectl prints); the cause says which budget and why."""
    details: dict = {"causes": [{"reason": "DisruptionBudget", "message": cause}]}
    if retry_after_seconds:
        details["retryAfterSeconds"] = retry_after_seconds
    return status_error(429, "TooManyRequests", VIOLATION, details)


def _forbidden(pdb_name: str, message: str) -> ApiError:
    """errors.NewForbidden(policy.Resource("poddisruptionbudget"), ...): upstream names the resource
    in the singular here (``poddisruptionbudget.policy "web" is forbidden: ...``)."""
    return forbidden(replace(RESOURCES["poddisruptionbudgets"], plural="poddisruptionbudget"), pdb_name, message)


def unhealthy_may_go(pod_ready: bool, pdb: dict) -> bool:
    """A pod that is not Ready goes without using up the budget: always with the AlwaysAllow policy,
    and under the default (IfHealthyBudget) while the budget has its desired healthy pods."""
    if pod_ready:
        return False
    if (pdb.get("spec") or {}).get("unhealthyPodEvictionPolicy") == "AlwaysAllow":
        return True
    status = pdb.get("status") or {}
    return status.get("currentHealthy", 0) >= status.get("desiredHealthy", 0) > 0


def check_and_decrement(pdb: dict, pod_name: str, now: str) -> dict:
    """The budget's new status after one more disruption, or the error that refuses it."""
    name, status = pdb["metadata"]["name"], dict(pdb.get("status") or {})
    if status.get("observedGeneration", 0) < pdb["metadata"].get("generation", 0):
        # createTooManyRequestsError: the controller has not seen this version of the budget yet
        raise too_many_requests(f"The disruption budget {name} is still being processed by the server.", 10)
    if status.get("disruptionsAllowed", 0) < 0:
        raise _forbidden(name, "pdb disruptions allowed is negative")
    if len(status.get("disruptedPods") or {}) > MAX_DISRUPTED_POD_SIZE:
        raise _forbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller")
    if status.get("disruptionsAllowed", 0) == 0:
        raise too_many_requests(f"The disruption budget {name} needs {status.get('desiredHealthy', 0)} "
                                f"healthy pods and has {status.get('currentHealthy', 0)} currently")
    allowed = status["disruptionsAllowed"] - 1
    conditions = list(status.get("conditions") or ())
    if allowed == 0:
        conditions = disruption_allowed_condition(0, status.get("observedGeneration", 0), conditions, now)
    return pdb_status(status.get("observedGeneration", 0), {**(status.get("disruptedPods") or {}), pod_name: now},
                      allowed, status.get("currentHealthy", 0), status.get("desiredHealthy", 0),
                      status.get("expectedPods", 0), conditions)


def _ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or ())


def check_budget(server: Any, pod: dict, dry_run: bool) -> None:
    """The budget part of EvictionREST.Create: list the namespace's budgets (a loopback request, as
    upstream), refuse or use up one disruption (writing the budget's status unless dry run)."""
    meta = pod["metadata"]
    budgets = budgets_for(pod, server.list("kube-apiserver", "poddisruptionbudgets", meta["namespace"]))
    if len(budgets) > 1:
        raise status_error(500, "", "This pod has more than one PodDisruptionBudget, which the eviction "
                                    "subresource does not support.")
    if not budgets or unhealthy_may_go(_ready(pod), budgets[0]):
        return
    status = check_and_decrement(budgets[0], meta["name"], timestamp(server.loop.now))
    if not dry_run:
        update = thaw(budgets[0])
        update["status"] = status
        server.update("kube-apiserver", update, "status")
