"""backoffLimitPerIndex: an Indexed Job that retries each index on its own, up to a limit.

With ``backoffLimitPerIndex: N`` a failed index is retried until N pods of *that* index failed;
then the index is marked failed (``status.failedIndexes``) and the others go on. The count travels
from pod to pod in the annotation ``batch.kubernetes.io/job-index-failure-count`` (and
``...-ignored-failure-count`` for failures a podFailurePolicy ``Ignore`` rule matched): the
controller keeps the last failed pod of an index (its finalizer on) until the replacement is
created with the count + 1. A replacement waits ``10 s * 2^(failures of the index - 1)``:

>>> failed = {"metadata": {"annotations": {JOB_INDEX_FAILURE_COUNT_ANNOTATION: "1"}}, "status": {"phase": "Failed",
...     "containerStatuses": [{"state": {"terminated": {"finishedAt": "2026-01-05T09:00:10Z"}}}]}}
>>> new_index_failure_counts(None, failed), get_remaining_time_per_index(15.0, failed)   # 2nd failure: 20 s
((2, 0), 15.0)

The Job fails with ``MaxFailedIndexesExceeded`` once more than ``maxFailedIndexes`` indexes
failed, or with ``FailedIndexes`` once every index succeeded or failed and one failed; a
podFailurePolicy ``FailIndex`` rule fails an index at once.

Upstream: pkg/controller/job/indexed_job_utils.go (calculateFailedIndexes, isIndexFailed,
getPodsWithDelayedDeletionPerIndex, addIndexFailureCountAnnotation), backoff_utils.go
(getRemainingTimePerIndex), job_controller.go (getPodCreationInfoForIndependentIndexes)
"""

from __future__ import annotations

from typing import Any

from k8slearn.controllers.job_backoff import (
    DEFAULT_JOB_POD_FAILURE_BACKOFF,
    MAX_JOB_POD_FAILURE_BACKOFF,
    get_finished_time,
    get_remaining_time_for_failures_count,
)
from k8slearn.controllers.job_indexed import Intervals, get_completion_index
from k8slearn.controllers.job_pod_failure_policy import match_pod_failure_policy
from k8slearn.controllers.job_utils import has_job_tracking_finalizer, is_pod_failed

JOB_INDEX_FAILURE_COUNT_ANNOTATION = "batch.kubernetes.io/job-index-failure-count"
JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = "batch.kubernetes.io/job-index-ignored-failure-count"
REASON_MAX_FAILED_INDEXES_EXCEEDED = "MaxFailedIndexesExceeded"
MESSAGE_MAX_FAILED_INDEXES_EXCEEDED = "Job has exceeded the specified maximal number of failed indexes"
REASON_FAILED_INDEXES = "FailedIndexes"
MESSAGE_FAILED_INDEXES = "Job has failed indexes"
MAX_INT32 = 2**31 - 1


def has_backoff_limit_per_index(job: dict) -> bool:
    return job["spec"].get("backoffLimitPerIndex") is not None


def _annotation_int(pod: dict, key: str) -> int:
    """parseInt32: a missing, malformed, negative or too large value reads as 0."""
    try:
        value = int((pod["metadata"].get("annotations") or {}).get(key, "0"))
    except ValueError:
        return 0
    return value if 0 <= value <= MAX_INT32 else 0


def index_failure_count(pod: dict) -> int:
    return _annotation_int(pod, JOB_INDEX_FAILURE_COUNT_ANNOTATION)


def index_absolute_failure_count(pod: dict) -> int:
    return index_failure_count(pod) + _annotation_int(pod, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION)


def is_index_failed(job: dict, pod: dict) -> bool:
    """The pod's failure (a counted one) used up the index's limit, or a FailIndex rule matched."""
    counted = False
    if is_pod_failed(pod, job):
        policy = job["spec"].get("podFailurePolicy")
        if policy is not None:
            _, counted, action = match_pod_failure_policy(policy, pod)
            if action == "FailIndex":
                return True
        else:
            counted = True
    return counted and index_failure_count(pod) >= job["spec"]["backoffLimitPerIndex"]


def calculate_failed_indexes(job: dict, pods: list[dict]) -> Intervals:
    """status.failedIndexes plus the indexes whose pods (not yet counted) failed them now."""
    completions = job["spec"]["completions"]
    prev = Intervals.parse((job.get("status") or {}).get("failedIndexes") or "", completions)
    new = sorted({get_completion_index(p) for p in pods if 0 <= get_completion_index(p) < completions
                  and has_job_tracking_finalizer(p) and is_index_failed(job, p)})
    return prev.with_ordered_indexes(new)


def get_pods_with_delayed_deletion_per_index(ctx: Any) -> dict[int, dict]:
    """Per pending index, its last failed pod: it keeps its finalizer until the replacement exists."""
    completions = ctx.job["spec"]["completions"]
    active = {get_completion_index(p) for p in ctx.active_pods}
    delayed: dict[int, dict] = {}
    for pod in ctx.pods:
        index = get_completion_index(pod)
        if not has_job_tracking_finalizer(pod) or pod["metadata"]["uid"] in ctx.expected_rm \
                or not 0 <= index < completions or not is_pod_failed(pod, ctx.job):
            continue
        if ctx.succeeded_indexes.has(index) or ctx.failed_indexes.has(index) or index in active:
            continue
        last = delayed.get(index)
        if last is None or (index_absolute_failure_count(last) <= index_absolute_failure_count(pod)
                            and not get_finished_time(pod) < get_finished_time(last)):
            delayed[index] = pod
    return delayed


def new_index_failure_counts(job_policy: dict | None, replaced: dict | None) -> tuple[int, int]:
    """(failure count, ignored failure count) for the pod that replaces ``replaced``."""
    if replaced is None:
        return 0, 0
    failures = index_failure_count(replaced)
    ignored = _annotation_int(replaced, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION)
    if match_pod_failure_policy(job_policy, replaced)[1]:
        failures += 1
    else:
        ignored += 1
    return failures, ignored


def index_failure_annotations(job: dict, replaced: dict | None) -> dict[str, str]:
    failures, ignored = new_index_failure_counts(job["spec"].get("podFailurePolicy"), replaced)
    out = {JOB_INDEX_FAILURE_COUNT_ANNOTATION: str(failures)}
    if ignored > 0:
        out[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = str(ignored)
    return out


def get_remaining_time_per_index(now: float, last_failed: dict | None) -> float:
    """Seconds before the index of ``last_failed`` may get a new pod."""
    if last_failed is None:
        return 0.0
    return get_remaining_time_for_failures_count(now, DEFAULT_JOB_POD_FAILURE_BACKOFF, MAX_JOB_POD_FAILURE_BACKOFF,
                                                 index_absolute_failure_count(last_failed) + 1,
                                                 get_finished_time(last_failed))


def pod_creation_info_for_independent_indexes(now: float, indexes: list[int],
                                              delayed: dict[int, dict]) -> tuple[list[int], float]:
    """The indexes whose back-off is over; if none, the shortest wait."""
    ready, waits = [], []
    for index in indexes:
        remaining = get_remaining_time_per_index(now, delayed.get(index))
        if remaining == 0:
            ready.append(index)
        else:
            waits.append(remaining)
    if ready:
        return ready, 0.0
    return [], min(waits, default=0.0)
