"""The Job controller's informer handlers: which Job a pod event wakes, and when.

Handlers only do bookkeeping (expectations) and enqueue keys. A Job creation or a spec change
syncs at once; pod events and the Job's own status updates are *batched*: the key is added
1 s later (syncJobBatchPeriod), and the queue keeps one waiting entry per key (the earliest),
so a burst of pod updates costs one sync, not one each (the WorkQueue's ``add_after``)::

    t=0.006  pod hello-x7k2p ADDED        ->  sync hello at 1.006
    t=0.007  pod hello-x7k2p MODIFIED     ->  (already waiting for 1.006)
    t=1.006  one sync sees both

A pod that still carries the tracking finalizer but that no (unfinished) Job will count, because
it lost its owner or its Job was deleted or finished, goes to a second queue whose worker removes
the finalizer (syncOrphanPod).

Upstream: pkg/controller/job/job_controller.go (addPod, updatePod, deletePod, updateJob,
deleteJob, enqueueSyncJobBatched, syncOrphanPod, cleanupPodFinalizers),
"""

from __future__ import annotations

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import parse_timestamp
from k8slearn.client.cache import meta_key, split_key
from k8slearn.controllers.controller_utils import (
    filter_pods_by_owner,
    get_controller_of,
    label_selector_matcher,
)
from k8slearn.controllers.job_utils import (
    has_job_tracking_finalizer,
    is_job_finished,
    managed_by_external_controller,
    remove_tracking_finalizer_patch,
)

SYNC_JOB_BATCH_PERIOD = 1.0  # syncJobBatchPeriod




class JobEventHandlers:
    """The handlers half of the Job controller (mixed into JobController: ``self`` is the controller)."""

    kind = "Job"

    def enqueue_batched(self, job: dict, delay: float = SYNC_JOB_BATCH_PERIOD) -> None:
        self.queue.add_after(meta_key(job), max(delay, SYNC_JOB_BATCH_PERIOD))

    def _update_job(self, old: dict, cur: dict) -> None:
        if cur["metadata"].get("generation") == old["metadata"].get("generation"):
            self.enqueue_batched(cur)  # a status update: batch it with pod events
        else:
            self.enqueue(cur)
        if is_job_finished(cur):
            self.cleanup_pod_finalizers(cur)
        start, ads = (cur.get("status") or {}).get("startTime"), cur["spec"].get("activeDeadlineSeconds")
        if start and ads is not None and ads != old["spec"].get("activeDeadlineSeconds"):
            self.queue.add_after(meta_key(cur), max(0.0, ads - (self.loop.now - parse_timestamp(start))))

    def _delete_job(self, job: dict) -> None:
        self.enqueue(job)
        self.cleanup_pod_finalizers(job)

    def cleanup_pod_finalizers(self, job: dict) -> None:
        """The pods this (deleted or finished) Job still holds by the finalizer go to the orphan queue."""
        uid = job["metadata"]["uid"]
        for pod in filter_pods_by_owner(self.pod_informer, job, include_orphans=False):
            ref = get_controller_of(pod)
            if ref is not None and ref.get("uid") == uid and has_job_tracking_finalizer(pod):
                self.orphan_queue.add(meta_key(pod))

    def resolve_controller_ref(self, namespace: str, ref: dict) -> dict | None:
        return self.owner_from_ref(self.job_informer.lister, self.kind, namespace, ref)

    def get_pod_jobs(self, pod: dict) -> list[dict]:
        labels = pod["metadata"].get("labels")
        if not labels:
            return []
        return [j for j in self.job_informer.lister.list(pod["metadata"]["namespace"])
                if label_selector_matcher(j["spec"].get("selector"))(labels)]

    def _add_pod(self, pod: dict) -> None:
        if pod["metadata"].get("deletionTimestamp"):
            self._delete_pod(pod, final=False)
            return
        ref = get_controller_of(pod)
        if ref is not None:
            job = self.resolve_controller_ref(pod["metadata"]["namespace"], ref)
            if job is not None:
                self.expectations.creation_observed(meta_key(job))
                self.enqueue_batched(job)
            return
        if has_job_tracking_finalizer(pod):
            self.orphan_queue.add(meta_key(pod))
        for job in self.get_pod_jobs(pod):
            self.enqueue_batched(job)

    def _update_pod(self, old: dict, cur: dict) -> None:
        if cur["metadata"].get("resourceVersion") == old["metadata"].get("resourceVersion"):
            return
        if cur["metadata"].get("deletionTimestamp"):
            self._delete_pod(cur, final=False)
            return
        finalizer_removed = not has_job_tracking_finalizer(cur)
        cur_ref, old_ref = get_controller_of(cur), get_controller_of(old)
        ref_changed = cur_ref != old_ref
        for ref, changed_only in ((old_ref, True), (cur_ref, False)):
            if ref is None or (changed_only and not ref_changed):
                continue
            job = self.resolve_controller_ref(cur["metadata"]["namespace"], ref)
            if job is None:
                continue
            if finalizer_removed:
                self.finalizer_expectations.finalizer_removal_observed(meta_key(job), cur["metadata"]["uid"])
            self.enqueue_batched(job)
        if cur_ref is not None:
            return
        if has_job_tracking_finalizer(cur):
            self.orphan_queue.add(meta_key(cur))
        if ref_changed or cur["metadata"].get("labels") != old["metadata"].get("labels"):
            for job in self.get_pod_jobs(cur):
                self.enqueue_batched(job)

    def _delete_pod(self, pod: dict, final: bool) -> None:
        ref = get_controller_of(pod)
        has_finalizer = has_job_tracking_finalizer(pod)
        job = self.resolve_controller_ref(pod["metadata"]["namespace"], ref) if ref is not None else None
        if job is None or is_job_finished(job):
            if has_finalizer:  # syncJob will not remove this finalizer
                self.orphan_queue.add(meta_key(pod))
            return
        key = meta_key(job)
        self.expectations.deletion_observed(key)
        if final or not has_finalizer:
            self.finalizer_expectations.finalizer_removal_observed(key, pod["metadata"]["uid"])
        self.enqueue_batched(job)

    # -- the orphan-pod worker: take the finalizer off pods no Job will count ---------------------------
    def sync_orphan_pod(self, key: str) -> None:
        namespace, name = split_key(key)
        pod = self.pod_informer.lister.get(name, namespace)
        if pod is None:
            return
        ref = get_controller_of(pod)
        if ref is not None:
            if ref.get("kind") != self.kind or ref.get("apiVersion") != "batch/v1":
                return  # not a Job's pod: not our finalizer to remove
            job = self.resolve_controller_ref(namespace, ref)
            if job is not None and managed_by_external_controller(job) is not None:
                return  # the Job's own controller takes care of its finalizers
            if job is not None and not is_job_finished(job):
                return  # adopted: the Job counts it
        patch = remove_tracking_finalizer_patch(pod)
        if patch is not None:
            try:
                self.client.patch("pods", name, patch, namespace)
            except ApiError as err:
                if err.code != 404:
                    raise

