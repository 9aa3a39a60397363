"""Indexed Jobs: each pod gets a completion index 0..completions-1, and each index must succeed once.

With ``completionMode: Indexed`` every pod carries its index in the annotation and label
``batch.kubernetes.io/job-completion-index``, in the environment variable ``JOB_COMPLETION_INDEX``
(from that label, through the downward API), in its hostname ``<job>-<index>`` and in its name
``<job>-<index>-<random>``. The Job's ``status.completedIndexes`` lists the indexes that
succeeded, compressed into intervals (two neighbours are written ``3,4``, longer runs ``0-2``):

>>> str(Intervals.parse("0-2,4", completions=10).with_ordered_indexes([3, 7, 8]))
'0-4,7,8'
>>> Intervals.parse("0-2,4,9", completions=5).total()     # 9 is out of range: dropped
4

The controller creates pods for the lowest indexes that neither succeeded nor have an active pod
(``first_pending_indexes``), and deletes duplicates (two active pods with the same index: all but
one) and pods whose index is out of range.

Simplified: the kubelet does not expand ``$(JOB_COMPLETION_INDEX)`` in commands. Per-index
back-off limits are in ``job_backoff_per_index``, the success policy in ``job_success_policy``.

Upstream: pkg/controller/job/indexed_job_utils.go
"""

from __future__ import annotations

from dataclasses import dataclass

from k8slearn.controllers.job_utils import active_pods_order, only_replace_failed_pods

COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index"  # also the label's key
COMPLETION_INDEX_ENV_NAME = "JOB_COMPLETION_INDEX"
UNKNOWN_COMPLETION_INDEX = -1
MAX_GENERATED_NAME_LENGTH = 58  # names.MaxGeneratedNameLength


def is_indexed_job(job: dict) -> bool:
    return job["spec"].get("completionMode") == "Indexed"


def get_completion_index(pod: dict) -> int:
    """The pod's index annotation as an int; -1 if missing, malformed or negative."""
    value = (pod["metadata"].get("annotations") or {}).get(COMPLETION_INDEX_ANNOTATION)
    if value is None:
        return UNKNOWN_COMPLETION_INDEX
    try:
        index = int(value)
    except ValueError:
        return UNKNOWN_COMPLETION_INDEX
    return index if index >= 0 else UNKNOWN_COMPLETION_INDEX


@dataclass
class Intervals:
    """orderedIntervals: sorted, non-overlapping ``[first, last]`` pairs."""

    items: list[list[int]]

    @classmethod
    def parse(cls, text: str | None, completions: int) -> Intervals:
        """parseIndexesFromString: malformed pieces are skipped, indexes >= completions dropped."""
        result: list[list[int]] = []
        for piece in (text or "").split(",") if text else ():
            limits = piece.split("-")
            try:
                first = int(limits[0])
                last = int(limits[1]) if len(limits) > 1 else first
            except ValueError:
                continue
            if first >= completions:
                break
            last = min(last, completions - 1)
            if result and result[-1][1] == first - 1:
                result[-1][1] = last
            else:
                result.append([first, last])
        return cls(result)

    def merge(self, other: Intervals) -> Intervals:
        result: list[list[int]] = []
        for first, last in sorted(self.items + other.items, key=lambda iv: iv[0]):
            if not result or first > result[-1][1] + 1:
                result.append([first, last])
            elif result[-1][1] < last:
                result[-1][1] = last
        return Intervals(result)

    def with_ordered_indexes(self, indexes: list[int]) -> Intervals:
        return self.merge(Intervals([[i, i] for i in indexes]))

    def total(self) -> int:
        return sum(last - first + 1 for first, last in self.items)

    def has(self, index: int) -> bool:
        return any(first <= index <= last for first, last in self.items)

    def __str__(self) -> str:
        parts = []
        for first, last in self.items:
            if last == first:
                parts.append(str(first))
            else:
                parts.append(f"{first}{',' if last == first + 1 else '-'}{last}")
        return ",".join(parts)


def calculate_succeeded_indexes(job: dict, pods: list[dict], has_finalizer) -> tuple[Intervals, Intervals]:
    """(the indexes in status.completedIndexes, those plus the newly succeeded ones not yet counted)."""
    completions = job["spec"]["completions"]
    prev = Intervals.parse((job.get("status") or {}).get("completedIndexes"), completions)
    new = sorted({get_completion_index(p) for p in pods
                  if (p.get("status") or {}).get("phase") == "Succeeded" and has_finalizer(p)
                  and 0 <= get_completion_index(p) < completions})
    return prev, prev.with_ordered_indexes(new)


def first_pending_indexes(ctx, count: int, completions: int) -> list[int]:
    """The ``count`` lowest indexes with neither a success nor an active (or, with
    podReplacementPolicy Failed, terminating) pod, and not failed (backoffLimitPerIndex)."""
    if count == 0:
        return []
    busy = {get_completion_index(p) for p in ctx.active_pods}
    if only_replace_failed_pods(ctx.job):
        busy |= {get_completion_index(p) for p in ctx.pods if p["metadata"].get("deletionTimestamp")
                 and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")}
    busy.discard(UNKNOWN_COMPLETION_INDEX)
    non_pending = ctx.succeeded_indexes.with_ordered_indexes(sorted(busy))
    if ctx.failed_indexes is not None:
        non_pending = non_pending.merge(ctx.failed_indexes)
    return [i for i in range(completions) if not non_pending.has(i)][:count]


def duplicated_index_pods_for_removal(pods: list[dict], completions: int) -> tuple[list[dict], list[dict]]:
    """(pods to remove: no index, index out of range, all but one per repeated index; the rest)."""
    rm: list[dict] = []
    left: list[dict] = []
    by_index: dict[int, list[dict]] = {}
    for pod in sorted(pods, key=get_completion_index):
        index = get_completion_index(pod)
        if index == UNKNOWN_COMPLETION_INDEX or index >= completions:
            rm.append(pod)
        else:
            by_index.setdefault(index, []).append(pod)
    for same in by_index.values():
        same = sorted(same, key=active_pods_order)
        rm += same[:-1]
        left.append(same[-1])
    return rm, left


def pod_generate_name_with_index(job_name: str, index: int) -> str:
    suffix = f"-{index}-"
    prefix = job_name + suffix
    if len(prefix) > MAX_GENERATED_NAME_LENGTH:
        prefix = prefix[:MAX_GENERATED_NAME_LENGTH - len(suffix)] + suffix
    return prefix


def add_completion_index_env_variables(template: dict) -> None:
    """Each container gets JOB_COMPLETION_INDEX from the pod's index label (the downward API)."""
    spec = template.setdefault("spec", {})
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or ():
            env = container.setdefault("env", [])
            if any(v.get("name") == COMPLETION_INDEX_ENV_NAME for v in env):
                continue
            env.append({"name": COMPLETION_INDEX_ENV_NAME, "valueFrom": {"fieldRef": {
                "fieldPath": f"metadata.labels['{COMPLETION_INDEX_ANNOTATION}']"}}})


def indexed_pod_template(template: dict, job_name: str, index: int) -> dict:
    """The template for the pod of one index: annotation, label and hostname set (a copy)."""
    meta = dict(template.get("metadata") or {})
    meta["annotations"] = {**(meta.get("annotations") or {}), COMPLETION_INDEX_ANNOTATION: str(index)}
    meta["labels"] = {**(meta.get("labels") or {}), COMPLETION_INDEX_ANNOTATION: str(index)}
    return {**template, "metadata": meta, "spec": {**template.get("spec", {}), "hostname": f"{job_name}-{index}"}}
