"""manageJob: how the Job controller creates and deletes pods to keep ``want_active`` running.

Each sync computes how many pods should be active (:func:`want_active`), then either deletes
the extra ones, or creates the missing ones once the pod-failure back-off allows it:

>>> want_active(completions=5, parallelism=2, succeeded=0, active=0)
2
>>> want_active(completions=5, parallelism=2, succeeded=4, active=1)     # only one completion left
1
>>> want_active(completions=None, parallelism=3, succeeded=1, active=2)  # a work queue: no new pods
2

Created pods come from the template with the tracking finalizer added (and, for an Indexed Job,
their index); each creation is an event ``SuccessfulCreate  Created pod: <name>``, each deletion
``SuccessfulDelete  Deleted pod: <name>``. A pod deleted to scale down first loses its finalizer
(it is counted as failed now); a finishing Job's pods keep it until the status tracking counts
them. Creations go in slow-start batches of 1, 2, 4, ... that stop after a failure.

Simplified: requests are sent one after the other (upstream uses goroutines).

Upstream: pkg/controller/job/job_controller.go (manageJob, activePodsForRemoval, deleteJobPods,
deleteActivePods)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import owner_reference, thaw
from k8slearn.controllers.controller_utils import (
    SLOW_START_INITIAL_BATCH_SIZE,
    get_pod_from_template,
    slow_start_batch,
)
from k8slearn.controllers.job_backoff_per_index import (
    has_backoff_limit_per_index,
    index_failure_annotations,
    pod_creation_info_for_independent_indexes,
)
from k8slearn.controllers.job_indexed import (
    add_completion_index_env_variables,
    duplicated_index_pods_for_removal,
    first_pending_indexes,
    indexed_pod_template,
    is_indexed_job,
    pod_generate_name_with_index,
)
from k8slearn.controllers.job_utils import (
    JOB_TRACKING_FINALIZER,
    active_pods_for_removal,
    count_ready_pods,
    job_suspended,
    only_replace_failed_pods,
    remove_tracking_finalizer_patch,
)

MAX_POD_CREATE_DELETE_PER_SYNC = 500  # MaxPodCreateDeletePerSync


def want_active(completions: int | None, parallelism: int, succeeded: int, active: int) -> int:
    """How many pods manageJob keeps active."""
    if completions is None:
        return active if succeeded > 0 else parallelism
    return max(0, min(completions - succeeded, parallelism))


def pods_for_removal(job: dict, pods: list[dict], rm_at_least: int) -> list[dict]:
    """activePodsForRemoval: an Indexed Job's duplicates and strays first, then in ActivePods order."""
    rm, left = [], pods
    if is_indexed_job(job):
        rm, left = duplicated_index_pods_for_removal(pods, job["spec"]["completions"])
    if len(rm) < rm_at_least:
        rm += active_pods_for_removal(left, rm_at_least - len(rm))
    return rm


class JobPodManagement:
    """The pod half of the Job controller (mixed into JobController: ``self`` is the controller)."""

    def manage_job(self: Any, job: dict, ctx: Any) -> tuple[int, ApiError | None]:
        """manageJob: delete the extra active pods, or create the missing ones (after the back-off)."""
        key, active = ctx.key, len(ctx.active_pods)
        parallelism = job["spec"].get("parallelism", 1)
        if job_suspended(job):
            return self._delete_for_manage(job, ctx, pods_for_removal(job, ctx.active_pods, active), active)
        completions = job["spec"].get("completions")
        wanted = want_active(completions, parallelism, ctx.succeeded, active)
        to_delete = pods_for_removal(job, ctx.active_pods, active - wanted)[:MAX_POD_CREATE_DELETE_PER_SYNC]
        if to_delete:
            return self._delete_for_manage(job, ctx, to_delete, active)
        terminating = ctx.terminating if only_replace_failed_pods(job) else 0
        diff = wanted - terminating - active
        if diff <= 0:
            return active, None
        per_index = has_backoff_limit_per_index(job)
        remaining = 0.0 if per_index else ctx.new_backoff_record.get_remaining_time(self.loop.now)
        if remaining > 0:
            self.enqueue_batched(job, remaining)
            return 0, None  # v1.32 reports 0 active while it waits (kubernetes/kubernetes#139428)
        diff = min(diff, MAX_POD_CREATE_DELETE_PER_SYNC)
        indexes: list[int | None] = [None] * diff
        if is_indexed_job(job):
            indexes = first_pending_indexes(ctx, diff, completions)
            if per_index:  # each index waits out its own back-off
                indexes, remaining = pod_creation_info_for_independent_indexes(
                    self.loop.now, indexes, ctx.pods_with_delayed_deletion_per_index)
                if remaining > 0:
                    self.enqueue_batched(job, remaining)
                    return 0, None
            diff = len(indexes)
        self.expectations.expect_creations(key, diff)
        template = thaw(job["spec"]["template"])
        if is_indexed_job(job):
            add_completion_index_env_variables(template)
        meta = template.setdefault("metadata", {})
        if JOB_TRACKING_FINALIZER not in (meta.get("finalizers") or []):
            meta["finalizers"] = (meta.get("finalizers") or []) + [JOB_TRACKING_FINALIZER]
        ref, pending = owner_reference(job), iter(indexes)
        successes, error = slow_start_batch(diff, SLOW_START_INITIAL_BATCH_SIZE,
                                            lambda: self.create_pod(job, template, ref, next(pending), ctx))
        for _ in range(diff - successes):  # failed or skipped: the informer will never show them
            self.expectations.creation_observed(key)
        return active + successes, error

    def create_pod(self: Any, job: dict, template: dict, ref: dict, index: int | None, ctx: Any) -> dict:
        """One pod from the template; an Indexed Job's carries its index and is named ``<job>-<index>-``."""
        name = job["metadata"]["name"]
        if index is None:
            return self.pod_control.create_pod(get_pod_from_template(template, job, ref), job)
        template = indexed_pod_template(template, name, index)
        if has_backoff_limit_per_index(job):  # the replaced pod's failure count, + 1
            replaced = ctx.pods_with_delayed_deletion_per_index.get(index)
            template["metadata"]["annotations"].update(index_failure_annotations(job, replaced))
        pod = get_pod_from_template(template, job, ref)
        pod["metadata"]["generateName"] = pod_generate_name_with_index(name, index)
        return self.pod_control.create_pod(pod, job)

    def _delete_for_manage(self: Any, job: dict, ctx: Any, pods: list[dict], active: int) -> tuple[int, ApiError | None]:
        self.expectations.expect_deletions(ctx.key, len(pods))
        removed_ready, removed, error = self.delete_job_pods(job, ctx.key, pods)
        ctx.terminating += removed
        ctx.ready -= removed_ready
        return active - removed, error

    def delete_job_pods(self: Any, job: dict, key: str, pods: list[dict]) -> tuple[int, int, ApiError | None]:
        """deleteJobPods: take the finalizer off (the pod counts as failed now), then delete."""
        removed_ready, removed, first_error = 0, len(pods), None

        def fail_delete(err: ApiError) -> None:
            nonlocal removed, first_error
            self.expectations.deletion_observed(key)  # the informer will not show this deletion
            if err.code != 404:
                removed -= 1
                first_error = first_error or err

        for pod in pods:
            patch = remove_tracking_finalizer_patch(pod)
            if patch is not None:
                try:
                    self.client.patch("pods", pod["metadata"]["name"], patch, pod["metadata"]["namespace"])
                except ApiError as err:
                    fail_delete(err)
                    continue
            try:
                self.pod_control.delete_pod(job["metadata"]["namespace"], pod["metadata"]["name"], job)
            except ApiError as err:
                fail_delete(err)
            removed_ready += count_ready_pods([pod])
        return removed_ready, removed, first_error

    def delete_active_pods(self: Any, job: dict, pods: list[dict]) -> tuple[int, int, ApiError | None]:
        """deleteActivePods: the finishing Job's pods, finalizers kept (the status tracking removes them)."""
        removed_ready, removed, first_error = 0, len(pods), None
        for pod in pods:
            try:
                self.pod_control.delete_pod(job["metadata"]["namespace"], pod["metadata"]["name"], job)
            except ApiError as err:
                if err.code != 404:
                    removed -= 1
                    first_error = first_error or err
            removed_ready += count_ready_pods([pod])
        return removed_ready, removed, first_error
