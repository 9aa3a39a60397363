"""What the Job controller reads off Jobs and pods: conditions, finished and failed pods, the
job-tracking finalizer, and which active pod to delete first.

**Conditions.** A Job's ``status.conditions`` is a list of ``{type, status, lastProbeTime,
lastTransitionTime, reason, message}``. A Job is *finished* once it has ``Complete`` or
``Failed`` with status ``True``; before that, v1.32 writes the interim ``SuccessCriteriaMet`` or
``FailureTarget`` while the Job's last pods are still terminating:

>>> conds, changed = ensure_job_condition_status([], "SuccessCriteriaMet", "True", "CompletionsReached",
...                                              "Reached expected number of succeeded pods", now=0)
>>> changed, is_job_finished({"status": {"conditions": conds}})
(True, False)
>>> conds, _ = ensure_job_condition_status(conds, "Complete", "True", "CompletionsReached",
...                                        "Reached expected number of succeeded pods", now=1)
>>> [c["type"] for c in conds], is_job_finished({"status": {"conditions": conds}})
(['SuccessCriteriaMet', 'Complete'], True)
>>> ensure_job_condition_status([], "Suspended", "False", "JobResumed", "Job resumed", now=0)
([], False)

**The tracking finalizer.** Every pod the controller creates carries the finalizer
``batch.kubernetes.io/job-tracking``, so a finished pod cannot disappear before the controller
has counted it. The controller removes it with a strategic merge patch:

>>> remove_tracking_finalizer_patch({"metadata": {"finalizers": [JOB_TRACKING_FINALIZER]}})
{'metadata': {'$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking']}}

Simplified: times are whole seconds read back from RFC 3339 text (as the controller reads
them from the API); the feature gates are v1.32's defaults, fixed (JobPodReplacementPolicy,
JobManagedBy, JobSuccessPolicy, JobBackoffLimitPerIndex on).

Upstream: pkg/controller/job/job_controller.go (ensureJobConditionStatus, isPodFailed,
removeTrackingFinalizerPatch, activePodsForRemoval), pkg/controller/job/util/utils.go
(IsJobFinished), pkg/controller/job/tracking_utils.go (uidTrackingExpectations),
pkg/controller/controller_utils.go (ActivePods, CountTerminatingPods)
"""

from __future__ import annotations

from k8slearn.api.meta import parse_timestamp, timestamp
from k8slearn.controllers.active_pods_with_ranks import max_container_restarts
from k8slearn.controllers.pod_util import is_pod_ready, pod_ready_time

JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
JOB_CONTROLLER_NAME = "kubernetes.io/job-controller"  # the spec.managedBy value of the built-in controller

# Condition types (batch/v1 JobConditionType) and reasons.
JOB_SUSPENDED, JOB_COMPLETE, JOB_FAILED = "Suspended", "Complete", "Failed"
JOB_FAILURE_TARGET, JOB_SUCCESS_CRITERIA_MET = "FailureTarget", "SuccessCriteriaMet"
REASON_BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded"
REASON_DEADLINE_EXCEEDED = "DeadlineExceeded"
REASON_COMPLETIONS_REACHED = "CompletionsReached"
MESSAGE_BACKOFF_LIMIT_EXCEEDED = "Job has reached the specified backoff limit"
MESSAGE_DEADLINE_EXCEEDED = "Job was active longer than specified deadline"
MESSAGE_COMPLETIONS_REACHED = "Reached expected number of succeeded pods"


# ---- conditions ----------------------------------------------------------------------------------

def new_condition(type_: str, status: str, reason: str, message: str, now: float) -> dict:
    """A JobCondition in Go's field order; an empty reason or message is left out (omitempty)."""
    stamp = timestamp(now)
    cond = {"type": type_, "status": status, "lastProbeTime": stamp, "lastTransitionTime": stamp}
    if reason:
        cond["reason"] = reason
    if message:
        cond["message"] = message
    return cond


def find_condition_by_type(conditions: list[dict] | None, type_: str) -> dict | None:
    for cond in conditions or ():
        if cond.get("type") == type_:
            return cond
    return None


def ensure_job_condition_status(conditions: list[dict], type_: str, status: str, reason: str, message: str,
                                now: float) -> tuple[list[dict], bool]:
    """Add or update the condition; a new condition that would be ``False`` is not added."""
    cond = find_condition_by_type(conditions, type_)
    if cond is not None:
        if cond.get("status") != status or cond.get("reason", "") != reason or cond.get("message", "") != message:
            cond.clear()
            cond.update(new_condition(type_, status, reason, message, now))
            return conditions, True
        return conditions, False
    if status != "False":
        return conditions + [new_condition(type_, status, reason, message, now)], True
    return conditions, False


def _has_true(job: dict, type_: str) -> dict | None:
    cond = find_condition_by_type((job.get("status") or {}).get("conditions"), type_)
    return cond if cond is not None and cond.get("status") == "True" else None


def is_job_finished(job: dict) -> bool:
    """util.IsJobFinished: a Complete or Failed condition that is True."""
    return _has_true(job, JOB_COMPLETE) is not None or _has_true(job, JOB_FAILED) is not None


def has_success_criteria_met_condition(job: dict) -> dict | None:
    return _has_true(job, JOB_SUCCESS_CRITERIA_MET)


def is_success_criteria_met_condition(cond: dict | None) -> bool:
    return cond is not None and cond["type"] == JOB_SUCCESS_CRITERIA_MET


def managed_by_external_controller(job: dict) -> str | None:
    """The ``spec.managedBy`` of a Job another controller reconciles (the built-in one skips it)."""
    managed_by = job["spec"].get("managedBy")
    return managed_by if managed_by is not None and managed_by != JOB_CONTROLLER_NAME else None


def job_suspended(job: dict) -> bool:
    return bool(job["spec"].get("suspend"))


# ---- pods ----------------------------------------------------------------------------------------

def has_job_tracking_finalizer(pod: dict) -> bool:
    return JOB_TRACKING_FINALIZER in (pod["metadata"].get("finalizers") or ())


def remove_tracking_finalizer_patch(pod: dict) -> dict | None:
    if not has_job_tracking_finalizer(pod):
        return None
    return {"metadata": {"$deleteFromPrimitiveList/finalizers": [JOB_TRACKING_FINALIZER]}}


def only_replace_failed_pods(job: dict) -> bool:
    """podReplacementPolicy Failed (or a podFailurePolicy): replace a pod only once it has failed."""
    return job["spec"].get("podReplacementPolicy") == "Failed" or job["spec"].get("podFailurePolicy") is not None


def is_pod_failed(pod: dict, job: dict) -> bool:
    """Failed phase; or (unless only failed pods are replaced) deleted before it succeeded."""
    phase = (pod.get("status") or {}).get("phase")
    if phase == "Failed":
        return True
    if only_replace_failed_pods(job):
        return False
    return bool(pod["metadata"].get("deletionTimestamp")) and phase != "Succeeded"


def count_terminating_pods(pods: list[dict]) -> int:
    """controller.CountTerminatingPods: being deleted and not yet Succeeded or Failed."""
    return sum(1 for p in pods if p["metadata"].get("deletionTimestamp")
               and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed"))


def count_ready_pods(pods: list[dict]) -> int:
    return sum(1 for p in pods if is_pod_ready(p))


_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def _newer_first(t: float | None) -> tuple:
    return (0,) if t is None else (1, -t)  # afterOrZero: unset first, then the later time


def active_pods_order(pod: dict) -> tuple:
    """controller.ActivePods as a sort key: unassigned, Pending, not ready, ready for less time,
    more restarts, newer first (the pods a Job deletes first)."""
    created = pod["metadata"].get("creationTimestamp")
    ready = is_pod_ready(pod)
    return (bool((pod.get("spec") or {}).get("nodeName")),
            _PHASE_ORDINAL.get((pod.get("status") or {}).get("phase"), -1),
            ready, _newer_first(pod_ready_time(pod)) if ready else (),
            -max_container_restarts(pod), _newer_first(parse_timestamp(created) if created else None))


def active_pods_for_removal(pods: list[dict], rm_at_least: int) -> list[dict]:
    """activePodsForRemoval for a NonIndexed Job: the first ``rm_at_least`` in ActivePods order."""
    if rm_at_least <= 0:
        return []
    return sorted(pods, key=active_pods_order)[:rm_at_least]


# ---- finalizer expectations ------------------------------------------------------------------------

class UIDTrackingExpectations:
    """Per Job key, the pod UIDs whose finalizer removal was sent but not yet seen in the informer."""

    def __init__(self) -> None:
        self.store: dict[str, set[str]] = {}

    def get_expected_uids(self, key: str) -> set[str]:
        return set(self.store.get(key, ()))

    def expect_finalizers_removed(self, key: str, uids: list[str]) -> None:
        self.store.setdefault(key, set()).update(uids)

    def finalizer_removal_observed(self, key: str, uid: str) -> None:
        uids = self.store.get(key)
        if uids is not None:
            uids.discard(uid)

    def delete_expectations(self, key: str) -> None:
        self.store.pop(key, None)
