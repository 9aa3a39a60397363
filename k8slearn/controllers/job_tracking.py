"""Counting a Job's finished pods without losing or double-counting one: the tracking finalizer.

Each pod a Job creates carries the finalizer ``batch.kubernetes.io/job-tracking``: the API server
keeps a deleted pod until that finalizer is gone, so the Job controller always sees every pod
finish. When it first sees a pod Succeeded or Failed, one sync does, in this order:

1. write the pod's UID into ``status.uncountedTerminatedPods.succeeded`` (or ``.failed``), and
   any interim condition (``SuccessCriteriaMet``, ``FailureTarget``): a status update;
2. remove the pod's finalizer (a PATCH of the pod);
3. move the UIDs whose finalizer is gone from ``uncountedTerminatedPods`` into the
   ``succeeded``/``failed`` counters, and, if the Job is done and no pod is still terminating,
   add ``Complete`` (with ``completionTime``) or ``Failed``: a second status update, then the
   events ``Completed  Job completed`` or ``Warning BackoffLimitExceeded ...``.

If the controller crashes between 1 and 3, the next sync finds the UID in ``uncounted`` and the
pod without finalizer, and finishes step 3: each pod is counted exactly once. In ``kubectl get
job -o yaml`` a student sees, between the two writes::

    status:
      uncountedTerminatedPods:
        succeeded:
        - 5306f3f5-...

and in the pod's ``metadata.finalizers`` the finalizer before, not after.

Simplified: at most 500 UIDs in ``uncountedTerminatedPods`` per sync, as upstream; finalizer
patches are sent one after the other (upstream sends them in parallel goroutines); no metrics.

Upstream: pkg/controller/job/job_controller.go (trackJobStatusAndRemoveFinalizers,
flushUncountedAndRemoveFinalizers, cleanUncountedPodsWithoutFinalizers,
removeTrackingFinalizerFromPods, enactJobFinished, recordJobFinished)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import thaw
from k8slearn.controllers.job_indexed import UNKNOWN_COMPLETION_INDEX, get_completion_index, is_indexed_job
from k8slearn.controllers.job_pod_failure_policy import match_pod_failure_policy
from k8slearn.controllers.job_utils import (
    JOB_COMPLETE,
    JOB_FAILED,
    JOB_FAILURE_TARGET,
    ensure_job_condition_status,
    has_job_tracking_finalizer,
    has_success_criteria_met_condition,
    is_pod_failed,
    is_success_criteria_met_condition,
    new_condition,
    remove_tracking_finalizer_patch,
)

MAX_UNCOUNTED_PODS = 500  # MaxUncountedPods

# JobStatus fields in Go's order (batch/v1 types.go); zero values are left out (omitempty)
# except the pointers terminating, ready and uncountedTerminatedPods, which the controller sets.
_STATUS_ORDER = ("conditions", "startTime", "completionTime", "active", "succeeded", "failed", "terminating",
                 "completedIndexes", "failedIndexes", "uncountedTerminatedPods", "ready")
_POINTERS = ("terminating", "failedIndexes", "ready")


def job_status_json(status: dict) -> dict:
    """The status as the API serializes it: Go's field order, zero counters and empty lists left out."""
    out = {}
    for key in _STATUS_ORDER:
        value = status.get(key)
        if value is None or (not value and key not in _POINTERS and key != "uncountedTerminatedPods"):
            continue
        if key == "uncountedTerminatedPods":
            value = {k: list(value[k]) for k in ("succeeded", "failed") if value.get(k)}
        out[key] = value
    return out


def clean_uncounted_pods_without_finalizers(status: dict, uids_with_finalizer: set[str]) -> bool:
    """Count the uncounted UIDs whose pod lost its finalizer; True if the status changed."""
    updated = False
    uncounted = status["uncountedTerminatedPods"]
    for field in ("succeeded", "failed"):
        old = uncounted.get(field) or []
        kept = [uid for uid in old if uid in uids_with_finalizer]
        if len(kept) != len(old):
            updated = True
            status[field] = status.get(field, 0) + len(old) - len(kept)
            uncounted[field] = kept
    return updated


def can_remove_finalizer(ctx: Any, pod: dict, consider_pod_failed: bool) -> bool:
    """The Job is being deleted or is finishing, or the pod Succeeded, or it counts as failed."""
    if ctx.job["metadata"].get("deletionTimestamp") or ctx.finished_condition is not None:
        return True
    if (pod.get("status") or {}).get("phase") == "Succeeded":
        return True
    if not consider_pod_failed:
        return False
    # backoffLimitPerIndex: the last failed pod of an index waits for its replacement (which
    # copies its failure count annotation) before it may go.
    delayed = ctx.pods_with_delayed_deletion_per_index.get(get_completion_index(pod))
    return delayed is None or delayed["metadata"]["uid"] != pod["metadata"]["uid"]


class JobStatusTracking:
    """The status half of the Job controller (mixed into JobController: ``self`` is the controller)."""

    def track_job_status_and_remove_finalizers(self: Any, ctx: Any, needs_flush: bool) -> None:
        job = ctx.job
        status = job["status"]
        uncounted = status["uncountedTerminatedPods"]
        uids_with_finalizer = {p["metadata"]["uid"] for p in ctx.pods
                               if has_job_tracking_finalizer(p) and p["metadata"]["uid"] not in ctx.expected_rm}
        if clean_uncounted_pods_without_finalizers(status, uids_with_finalizer):
            needs_flush = True
        pods_to_remove_finalizer: list[dict] = []
        reached_max = False
        indexed = is_indexed_job(job)
        completions = job["spec"].get("completions")
        new_succeeded_indexes: list[int] = []
        for pod in sorted(ctx.pods, key=get_completion_index) if indexed else ctx.pods:
            uid = pod["metadata"]["uid"]
            index = get_completion_index(pod) if indexed else UNKNOWN_COMPLETION_INDEX
            if not has_job_tracking_finalizer(pod) or uid in ctx.expected_rm:
                continue  # counted in an earlier sync
            consider_failed = is_pod_failed(pod, job)
            if not can_remove_finalizer(ctx, pod, consider_failed):
                continue
            pods_to_remove_finalizer.append(pod)
            if (pod.get("status") or {}).get("phase") == "Succeeded" and uid not in ctx.uncounted_failed:
                if indexed:  # the completion index is enough to avoid counting a pod twice
                    if 0 <= index < completions and not ctx.prev_succeeded_indexes.has(index):
                        new_succeeded_indexes.append(index)
                        needs_flush = True
                elif uid not in ctx.uncounted_succeeded:
                    needs_flush = True
                    uncounted.setdefault("succeeded", []).append(uid)
            elif (consider_failed or (ctx.finished_condition is not None and not
                                      is_success_criteria_met_condition(ctx.finished_condition))) \
                    and uid not in ctx.uncounted_failed and (not indexed or 0 <= index < completions) \
                    and match_pod_failure_policy(job["spec"].get("podFailurePolicy"), pod)[1]:
                # When the Job is finishing, every pod that did not succeed counts as failed;
                # a pod an Ignore rule of the podFailurePolicy matches does not count at all.
                needs_flush = True
                uncounted.setdefault("failed", []).append(uid)
            if len(new_succeeded_indexes) + len(uncounted.get("succeeded") or ()) + \
                    len(uncounted.get("failed") or ()) >= MAX_UNCOUNTED_PODS:
                reached_max = True
                break
        if indexed:
            ctx.succeeded_indexes = ctx.succeeded_indexes.with_ordered_indexes(sorted(new_succeeded_indexes))
            completed = str(ctx.succeeded_indexes)
            if completed != status.get("completedIndexes", ""):
                needs_flush = True
            status["succeeded"], status["completedIndexes"] = ctx.succeeded_indexes.total(), completed
            failed_indexes = str(ctx.failed_indexes) if ctx.failed_indexes is not None else None
            if status.get("failedIndexes") != failed_indexes:
                status["failedIndexes"] = failed_indexes
                needs_flush = True
        cond = ctx.finished_condition
        if cond is not None and cond["type"] == JOB_FAILURE_TARGET:
            # The interim FailureTarget goes out before the finalizers come off; Failed comes later.
            status["conditions"] = (status.get("conditions") or []) + [cond]
            needs_flush = True
            ctx.finished_condition = new_condition(JOB_FAILED, "True", cond.get("reason", ""),
                                                   cond.get("message", ""), self.loop.now)
        if is_success_criteria_met_condition(ctx.finished_condition):
            cond = ctx.finished_condition
            if has_success_criteria_met_condition(job) is None:
                status["conditions"] = (status.get("conditions") or []) + [cond]
                needs_flush = True
            ctx.finished_condition = new_condition(JOB_COMPLETE, "True", cond.get("reason", ""),
                                                   cond.get("message", ""), self.loop.now)
        needs_flush = self.flush_uncounted_and_remove_finalizers(ctx, pods_to_remove_finalizer,
                                                                 uids_with_finalizer, needs_flush)
        job_finished = not reached_max and self.enact_job_finished(ctx)
        if job_finished:
            needs_flush = True
        if needs_flush:
            ctx.job = self.update_job_status(ctx.job)
            if job_finished:
                self.record_job_finished(ctx.job, ctx.finished_condition)

    def flush_uncounted_and_remove_finalizers(self: Any, ctx: Any, pods: list[dict], uids_with_finalizer: set[str],
                                              needs_flush: bool) -> bool:
        """Write the uncounted UIDs, remove the finalizers, count the UIDs whose finalizer is gone."""
        if needs_flush:
            ctx.job = self.update_job_status(ctx.job)
            self.pod_backoff_store.update_backoff_record(ctx.new_backoff_record)
            needs_flush = False
        rm_err = None
        if pods:
            removed, rm_err = self.remove_tracking_finalizer_from_pods(ctx.key, pods)
            for pod, ok in zip(pods, removed):
                if ok:
                    uids_with_finalizer.discard(pod["metadata"]["uid"])
        if clean_uncounted_pods_without_finalizers(ctx.job["status"], uids_with_finalizer):
            needs_flush = True
        if rm_err is not None:
            if needs_flush:  # record the partial progress, then retry the sync
                self.update_job_status(ctx.job)
            raise rm_err
        return needs_flush

    def remove_tracking_finalizer_from_pods(self: Any, key: str, pods: list[dict]) -> tuple[list[bool], ApiError | None]:
        self.finalizer_expectations.expect_finalizers_removed(key, [p["metadata"]["uid"] for p in pods])
        succeeded, first_error = [False] * len(pods), None
        for i, pod in enumerate(pods):
            patch = remove_tracking_finalizer_patch(pod)
            if patch is None:
                continue
            try:
                self.client.patch("pods", pod["metadata"]["name"], patch, pod["metadata"]["namespace"])
            except ApiError as err:
                # No pod update will show the finalizer gone: stop expecting it now.
                self.finalizer_expectations.finalizer_removal_observed(key, pod["metadata"]["uid"])
                if err.code != 404:
                    first_error = first_error or err
                    continue
            succeeded[i] = True
        return succeeded, first_error

    def enact_job_finished(self: Any, ctx: Any) -> bool:
        """Add Complete or Failed, once no pod is uncounted and none is still terminating."""
        cond = ctx.finished_condition
        if cond is None:
            return False
        status = ctx.job["status"]
        uncounted = status.get("uncountedTerminatedPods") or {}
        if uncounted.get("succeeded") or uncounted.get("failed"):
            return False
        if ctx.terminating > 0:
            return False
        status["conditions"], _ = ensure_job_condition_status(
            status.get("conditions") or [], cond["type"], cond["status"], cond.get("reason", ""),
            cond.get("message", ""), self.loop.now)
        if cond["type"] == JOB_COMPLETE:
            status["completionTime"] = cond["lastTransitionTime"]
        return True

    def record_job_finished(self: Any, job: dict, cond: dict) -> None:
        if cond["type"] == JOB_COMPLETE:
            completions = job["spec"].get("completions")
            if completions is not None and (job["status"].get("succeeded") or 0) > completions:
                self.recorder.event(job, "Warning", "TooManySucceededPods",
                                    "Too many succeeded pods running after completion count reached")
            self.recorder.event(job, "Normal", "Completed", "Job completed")
        else:
            self.recorder.event(job, "Warning", cond.get("reason", ""), cond.get("message", ""))

    def update_job_status(self: Any, job: dict) -> dict:
        """updateJobStatus: PUT the status subresource (a conflict fails the sync, which is retried)."""
        job["status"] = job_status_json(job["status"])
        updated = thaw(self.client.update_status(job))
        status = updated.setdefault("status", {})
        status.setdefault("uncountedTerminatedPods", {})
        return updated
