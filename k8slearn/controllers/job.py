"""The Job controller: run pods to completion, ``completions`` times, ``parallelism`` at a time.

A Job wants ``spec.completions`` pods to *succeed* (exit 0). Each sync counts the Job's pods
(``active``: not finished and not being deleted; ``succeeded``; ``failed``) and keeps this many
active (``job_manage.want_active``)::

    want_active = min(completions - succeeded, parallelism)   (never below 0)
    want_active = parallelism, or the active count once one pod succeeded   (no completions set)

Too few: create the difference from the template (``generateName: <job>-``, the labels
``batch.kubernetes.io/job-name``/``controller-uid`` the API server put in the template, a
controller ownerReference, the finalizer ``batch.kubernetes.io/job-tracking``), with the event
``SuccessfulCreate  Created pod: hello-x7k2p``. Too many: delete the extra ones
(``SuccessfulDelete``). A worked example, completions 5 and parallelism 2::

    sync  ->  2 pods created (active 2)
    pod 1 succeeds  ->  sync: succeeded 1, want min(5-1, 2) = 2: 1 pod created
    ... succeeded 4  ->  want min(1, 2) = 1 active, none created
    pod 5 succeeds  ->  SuccessCriteriaMet, then Complete; event "Completed  Job completed"

A pod that fails (restartPolicy Never: the pod ends Failed) counts in ``failed``, and its
replacement waits ``10 s * 2^(failures since the last success - 1)`` (at most 10 min). With
``restartPolicy: OnFailure`` the kubelet restarts the container instead, and the restarts of the
Job's running pods count too. Once ``failed > backoffLimit`` (default 6), or the restarts reach
it, or the Job ran ``activeDeadlineSeconds``: the interim condition ``FailureTarget`` (reason
``BackoffLimitExceeded`` / ``DeadlineExceeded``), the active pods deleted, and when none is left
terminating ``Failed`` with a Warning event of that reason. ``suspend: true`` deletes the active
pods (condition ``Suspended``, event ``Suspended``); resuming resets ``startTime``.

Pod events wake the Job 1 s later (upstream's syncJobBatchPeriod batches a burst of pod updates
into one sync); Job creations and spec changes sync at once.

``completionMode: Indexed`` gives each pod an index (see ``job_indexed``), and a ``successPolicy``
can declare it done early (``job_success_policy``); a ``podFailurePolicy`` can fail the Job at
once (reason ``PodFailurePolicy``) or ignore a failure (``job_pod_failure_policy``).

A Job whose ``spec.managedBy`` names another controller than ``kubernetes.io/job-controller`` is
left alone (JobManagedBy, beta and on in v1.32).

``backoffLimitPerIndex``/``maxFailedIndexes`` retry each index on its own
(``job_backoff_per_index``). Not modelled: metrics.
``ttlSecondsAfterFinished`` belongs to another controller (``job_ttl_after_finished``).

Simplified: pods are created, deleted and patched one request after the other (upstream uses
goroutines; slow-start batches still stop at the first failure). As v1.32 does (upstream bug
kubernetes/kubernetes#139428, fixed from 1.33 on), ``status.active`` is written as 0 while a
replacement waits out the back-off; the v1.32 API server (real and simulated) rejects that
write when pods are Ready ("cannot set more ready pods than active"), and the controller retries
until the back-off ends. The reason ``CompletionsReached`` and message
``Reached expected number of succeeded pods`` on SuccessCriteriaMet/Complete came with
JobSuccessPolicy's beta (v1.31, kubernetes/kubernetes#126067, on by default in v1.32); the exact
v1.32 source line of newSuccessCondition was not read, only clusters' output and e2e tests.

Upstream: pkg/controller/job/job_controller.go (v1.32: syncJob, manageJob, getPodsForJob, the
pod and Job event handlers, syncOrphanPod), pkg/controller/controller_utils.go (RealPodControl)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import parse_timestamp, thaw, timestamp
from k8slearn.client.cache import split_key
from k8slearn.client.workqueue import ItemExponentialFailureRateLimiter, WorkQueue
from k8slearn.controllers.base import Controller
from k8slearn.controllers.controller_ref_manager import adopt_patch, recheck_deletion_timestamp, release_patch
from k8slearn.controllers.controller_utils import (
    ControllerExpectations,
    PodControl,
    add_pod_controller_uid_indexer,
    filter_active_pods,
    filter_pods_by_owner,
    get_controller_of,
    label_selector_matcher,
)
from k8slearn.controllers.job_backoff import BackoffRecord, BackoffStore
from k8slearn.controllers.job_backoff_per_index import (
    MESSAGE_FAILED_INDEXES,
    MESSAGE_MAX_FAILED_INDEXES_EXCEEDED,
    REASON_FAILED_INDEXES,
    REASON_MAX_FAILED_INDEXES_EXCEEDED,
    calculate_failed_indexes,
    get_pods_with_delayed_deletion_per_index,
    has_backoff_limit_per_index,
)
from k8slearn.controllers.job_handlers import JobEventHandlers
from k8slearn.controllers.job_indexed import (
    Intervals,
    calculate_succeeded_indexes,
    get_completion_index,
    is_indexed_job,
)
from k8slearn.controllers.job_manage import JobPodManagement
from k8slearn.controllers.job_pod_failure_policy import REASON_POD_FAILURE_POLICY, match_pod_failure_policy
from k8slearn.controllers.job_success_policy import REASON_SUCCESS_POLICY, match_success_policy
from k8slearn.controllers.job_tracking import JobStatusTracking
from k8slearn.controllers.job_utils import (
    JOB_FAILURE_TARGET,
    JOB_SUCCESS_CRITERIA_MET,
    JOB_SUSPENDED,
    JOB_TRACKING_FINALIZER,
    MESSAGE_BACKOFF_LIMIT_EXCEEDED,
    MESSAGE_COMPLETIONS_REACHED,
    MESSAGE_DEADLINE_EXCEEDED,
    REASON_BACKOFF_LIMIT_EXCEEDED,
    REASON_COMPLETIONS_REACHED,
    REASON_DEADLINE_EXCEEDED,
    UIDTrackingExpectations,
    count_ready_pods,
    count_terminating_pods,
    ensure_job_condition_status,
    find_condition_by_type,
    has_job_tracking_finalizer,
    has_success_criteria_met_condition,
    is_job_finished,
    is_pod_failed,
    job_suspended,
    managed_by_external_controller,
    new_condition,
)

DEFAULT_JOB_API_BACKOFF, MAX_JOB_API_BACKOFF = 1.0, 60.0


@dataclass
class SyncJobCtx:
    """syncJobCtx: what one sync learned about the Job and its pods."""

    key: str
    job: dict
    pods: list[dict]
    active_pods: list[dict]
    ready: int
    terminating: int
    uncounted_succeeded: set[str]
    uncounted_failed: set[str]
    expected_rm: set[str]
    succeeded: int = 0
    prev_succeeded_indexes: Intervals = field(default_factory=lambda: Intervals([]))
    succeeded_indexes: Intervals = field(default_factory=lambda: Intervals([]))
    failed: int = 0
    failed_indexes: Intervals | None = None  # backoffLimitPerIndex only
    pods_with_delayed_deletion_per_index: dict = field(default_factory=dict)
    finished_condition: dict | None = None
    new_backoff_record: BackoffRecord = field(default_factory=lambda: BackoffRecord(""))


def past_backoff_limit_on_failure(job: dict, pods: list[dict]) -> bool:
    """restartPolicy OnFailure: the container restarts of the running and pending pods reach backoffLimit."""
    if job["spec"]["template"]["spec"].get("restartPolicy") != "OnFailure":
        return False
    restarts = 0
    for pod in pods:
        status = pod.get("status") or {}
        if status.get("phase") in ("Running", "Pending"):
            for cs in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
                restarts += cs.get("restartCount", 0)
    limit = job["spec"].get("backoffLimit", 6)
    return restarts > 0 if limit == 0 else restarts >= limit


def get_fail_job_message(job: dict, pods: list[dict]) -> str | None:
    """getFailJobMessage: the message of the first failed pod that matches a FailJob rule."""
    policy = job["spec"].get("podFailurePolicy")
    if policy is None:
        return None
    for pod in pods:
        if is_pod_failed(pod, job):
            message = match_pod_failure_policy(policy, pod)[0]
            if message is not None:
                return message
    return None


class JobController(JobEventHandlers, JobPodManagement, JobStatusTracking, Controller):
    """Watches Jobs and pods; creates pods until enough succeeded, counts them, finishes the Job."""

    name = "job-controller"
    kind = "Job"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.queue = WorkQueue(loop, "job", ItemExponentialFailureRateLimiter(DEFAULT_JOB_API_BACKOFF,
                                                                                 MAX_JOB_API_BACKOFF))
        self.orphan_queue = WorkQueue(loop, "job_orphan_pod", ItemExponentialFailureRateLimiter(
            DEFAULT_JOB_API_BACKOFF, MAX_JOB_API_BACKOFF))
        self.expectations = ControllerExpectations(lambda: loop.now)
        self.finalizer_expectations = UIDTrackingExpectations()
        self.pod_backoff_store = BackoffStore()
        self.pod_control = PodControl(client, self.recorder)
        self.job_informer = self.informers.informer("jobs")
        self.pod_informer = self.informers.informer("pods")
        add_pod_controller_uid_indexer(self.pod_informer)
        self.job_informer.add_event_handler(on_add=self.enqueue, on_update=self._update_job,
                                            on_delete=self._delete_job)
        self.pod_informer.add_event_handler(on_add=self._add_pod, on_update=self._update_pod,
                                            on_delete=lambda pod: self._delete_pod(pod, final=True))

    def run(self) -> None:
        super().run()
        orphans = self.queue_worker(self.orphan_queue, self.sync_orphan_pod, "orphan pod")
        self._processes.append(self.loop.spawn(orphans, f"{self.name}-orphan-worker"))

    # -- sync ------------------------------------------------------------------------------------------
    def get_pods_for_job(self, job: dict) -> list[dict]:
        """ClaimPods: ours that match, matching orphans adopted (with the tracking finalizer added)."""
        matches = label_selector_matcher(job["spec"].get("selector"))
        meta = job["metadata"]
        can_adopt = recheck_deletion_timestamp(lambda: self.fresh("jobs", job), meta["uid"])
        adoptable, claimed = None, []
        for pod in filter_pods_by_owner(self.pod_informer, job):
            ref = get_controller_of(pod)
            labels_match = matches(pod["metadata"].get("labels"))
            if ref is not None:
                if labels_match:
                    claimed.append(pod)
                elif not meta.get("deletionTimestamp"):
                    self._patch_pod(pod, release_patch(meta["uid"], pod))
                continue
            if meta.get("deletionTimestamp") or not labels_match or pod["metadata"].get("deletionTimestamp"):
                continue
            adoptable = can_adopt() if adoptable is None else adoptable
            if adoptable:
                patch = adopt_patch(job, pod)
                patch["metadata"]["finalizers"] = [JOB_TRACKING_FINALIZER]
                adopted = self._patch_pod(pod, patch)
                if adopted is not None:
                    claimed.append(adopted)
        return claimed

    def _patch_pod(self, pod: dict, patch: dict) -> dict | None:
        try:
            return self.client.patch("pods", pod["metadata"]["name"], patch, pod["metadata"]["namespace"])
        except ApiError as err:
            if err.code == 404:
                return None
            raise

    def sync(self, key: str) -> None:
        """syncJob: count the pods, decide the Job's fate, create or delete pods, write the status."""
        namespace, name = split_key(key)
        shared = self.job_informer.lister.get(name, namespace)
        if shared is None:
            self.expectations.delete_expectations(key)
            self.finalizer_expectations.delete_expectations(key)
            self.pod_backoff_store.remove_backoff_record(key)
            return
        if managed_by_external_controller(shared) is not None:
            return  # spec.managedBy names another controller: it, not this one, runs the Job
        job = thaw(shared)
        if is_job_finished(job):
            self.pod_backoff_store.remove_backoff_record(key)
            return
        mode = job["spec"].get("completionMode", "NonIndexed")
        if mode not in ("NonIndexed", "Indexed"):
            self.recorder.event(job, "Warning", "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown")
            return
        status = job.setdefault("status", {})
        uncounted = status.setdefault("uncountedTerminatedPods", {})
        satisfied = self.expectations.satisfied_expectations(key)
        pods = self.get_pods_for_job(job)
        active_pods = filter_active_pods(pods)
        ctx = SyncJobCtx(key, job, pods, active_pods, count_ready_pods(active_pods), count_terminating_pods(pods),
                         set(uncounted.get("succeeded") or ()), set(uncounted.get("failed") or ()),
                         self.finalizer_expectations.get_expected_uids(key))
        active = len(active_pods)
        new_succeeded, new_failed = self.get_new_finished_pods(ctx)
        ctx.succeeded = status.get("succeeded", 0) + len(new_succeeded) + len(ctx.uncounted_succeeded)
        policy = job["spec"].get("podFailurePolicy")
        counted = [p for p in new_failed if match_pod_failure_policy(policy, p)[1]]  # Ignore rules do not count
        ctx.failed = status.get("failed", 0) + len(counted) + len(ctx.uncounted_failed)
        if not status.get("startTime") and not job_suspended(job):
            status["startTime"] = timestamp(self.loop.now)
        ctx.new_backoff_record = self.pod_backoff_store.new_backoff_record(key, new_succeeded, new_failed)
        ctx.finished_condition = self.finished_condition(job, ctx, pods, key)
        if is_indexed_job(job):
            ctx.prev_succeeded_indexes, ctx.succeeded_indexes = calculate_succeeded_indexes(
                job, pods, has_job_tracking_finalizer)
            ctx.succeeded = ctx.succeeded_indexes.total()
            if has_backoff_limit_per_index(job):
                self.track_failed_indexes(job, ctx, pods)
            if ctx.finished_condition is None:
                message, met = match_success_policy(job["spec"].get("successPolicy"), job["spec"]["completions"],
                                                    ctx.succeeded_indexes)
                if met:
                    ctx.finished_condition = new_condition(JOB_SUCCESS_CRITERIA_MET, "True", REASON_SUCCESS_POLICY,
                                                           message, self.loop.now)
        suspend_changed, manage_error = False, None
        if ctx.finished_condition is not None:
            deleted_ready, deleted, manage_error = self.delete_active_pods(job, active_pods)
            if deleted != active or not satisfied:
                ctx.finished_condition = None  # pods still in flight: finish in a later sync
            active -= deleted
            ctx.terminating += deleted
            ctx.ready -= deleted_ready
        else:
            manage_called = False
            if satisfied and not job["metadata"].get("deletionTimestamp"):
                active, manage_error = self.manage_job(job, ctx)
                manage_called = True
            completions = job["spec"].get("completions")
            complete = ctx.succeeded > 0 if completions is None else ctx.succeeded >= completions
            if complete and active == 0:
                ctx.finished_condition = new_condition(JOB_SUCCESS_CRITERIA_MET, "True", REASON_COMPLETIONS_REACHED,
                                                       MESSAGE_COMPLETIONS_REACHED, self.loop.now)
            elif manage_called:
                suspend_changed = self.update_suspend_condition(job)
        needs_update = suspend_changed or active != status.get("active", 0) or ctx.ready != status.get("ready") \
            or ctx.terminating != status.get("terminating")
        status["active"], status["ready"], status["terminating"] = active, ctx.ready, ctx.terminating
        self.track_job_status_and_remove_finalizers(ctx, needs_update)
        if manage_error is not None:
            raise manage_error

    def finished_condition(self, job: dict, ctx: SyncJobCtx, pods: list[dict], key: str) -> dict | None:
        """The interim condition this sync would finish the Job with, if any (failure side)."""
        found = has_success_criteria_met_condition(job)
        if found is not None:
            return found
        target = find_condition_by_type(job["status"].get("conditions"), JOB_FAILURE_TARGET)
        if target is not None and target.get("status") == "True":
            return new_condition("Failed", "True", target.get("reason", ""), target.get("message", ""), self.loop.now)
        message = get_fail_job_message(job, pods)
        if message is not None:  # a FailJob rule of the podFailurePolicy matched a failed pod
            return new_condition(JOB_FAILURE_TARGET, "True", REASON_POD_FAILURE_POLICY, message, self.loop.now)
        if ctx.failed > job["spec"].get("backoffLimit", 6) or past_backoff_limit_on_failure(job, pods):
            return new_condition(JOB_FAILURE_TARGET, "True", REASON_BACKOFF_LIMIT_EXCEEDED,
                                 MESSAGE_BACKOFF_LIMIT_EXCEEDED, self.loop.now)
        ads = job["spec"].get("activeDeadlineSeconds")
        if ads is not None and not job_suspended(job) and job["status"].get("startTime"):
            remaining = ads - (self.loop.now - parse_timestamp(job["status"]["startTime"]))
            if remaining <= 0:
                return new_condition(JOB_FAILURE_TARGET, "True", REASON_DEADLINE_EXCEEDED,
                                     MESSAGE_DEADLINE_EXCEEDED, self.loop.now)
            self.queue.add_after(key, remaining)
        return None

    def track_failed_indexes(self, job: dict, ctx: SyncJobCtx, pods: list[dict]) -> None:
        """backoffLimitPerIndex: the failed indexes, the Job's failure if too many, the pods kept."""
        ctx.failed_indexes = failed = calculate_failed_indexes(job, pods)
        if ctx.finished_condition is None:
            max_failed = job["spec"].get("maxFailedIndexes")
            if max_failed is not None and failed.total() > max_failed:
                ctx.finished_condition = new_condition(JOB_FAILURE_TARGET, "True", REASON_MAX_FAILED_INDEXES_EXCEEDED,
                                                       MESSAGE_MAX_FAILED_INDEXES_EXCEEDED, self.loop.now)
            elif failed.total() > 0 and failed.total() + ctx.succeeded_indexes.total() >= job["spec"]["completions"]:
                ctx.finished_condition = new_condition(JOB_FAILURE_TARGET, "True", REASON_FAILED_INDEXES,
                                                       MESSAGE_FAILED_INDEXES, self.loop.now)
        ctx.pods_with_delayed_deletion_per_index = get_pods_with_delayed_deletion_per_index(ctx)

    def get_new_finished_pods(self, ctx: SyncJobCtx) -> tuple[list[dict], list[dict]]:
        """Succeeded and failed pods that still hold the finalizer and are not yet in uncounted."""
        def valid(pod: dict, uncounted: set[str]) -> bool:
            uid = pod["metadata"]["uid"]
            if not has_job_tracking_finalizer(pod) or uid in uncounted or uid in ctx.expected_rm:
                return False
            return not indexed or 0 <= get_completion_index(pod) < ctx.job["spec"]["completions"]
        indexed = is_indexed_job(ctx.job)
        succeeded = [p for p in ctx.pods if valid(p, ctx.uncounted_succeeded)
                     and (p.get("status") or {}).get("phase") == "Succeeded"]
        failed = [p for p in ctx.pods if valid(p, ctx.uncounted_failed) and is_pod_failed(p, ctx.job)]
        return succeeded, failed

    def update_suspend_condition(self, job: dict) -> bool:
        status = job["status"]
        if job_suspended(job):
            status["conditions"], changed = ensure_job_condition_status(
                status.get("conditions") or [], JOB_SUSPENDED, "True", "JobSuspended", "Job suspended", self.loop.now)
            if changed:
                self.recorder.event(job, "Normal", "Suspended", "Job suspended")
            return changed
        status["conditions"], changed = ensure_job_condition_status(
            status.get("conditions") or [], JOB_SUSPENDED, "False", "JobResumed", "Job resumed", self.loop.now)
        if changed:
            self.recorder.event(job, "Normal", "Resumed", "Job resumed")
            status["startTime"] = timestamp(self.loop.now)  # activeDeadlineSeconds counts from the resume
        return changed
