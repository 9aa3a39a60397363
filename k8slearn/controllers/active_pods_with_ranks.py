"""Which pod a scale-down deletes first: ActivePodsWithRanks, as the ReplicaSet controller sorts.

When a ReplicaSet has more pods than it wants, it deletes the first ones in this order (each rule
decides only when the ones before it tie): unassigned before assigned; Pending before Unknown
before Running; not ready before ready; lower ``controller.kubernetes.io/pod-deletion-cost``
first (read as Go reads it; an invalid value counts as 0); pods doubled up on a node (more
related pods there) first; ready for less time first; more container restarts first; newer
first. Times compare on a logarithmic scale (pods whose ages fall in the same power-of-two
bucket tie, and the UID breaks the tie), as upstream's LogarithmicScaleDown does.

The related pods are those of every ReplicaSet with the same controller (a Deployment's old and
new sets). A ReplicaSet with no controller has none: all its pods rank 0, so "doubled up" never
decides for it, and among ready pods the one ready for the shortest time goes first.

>>> def pod(name, node, phase):
...     return {"metadata": {"name": name, "uid": name}, "spec": {"nodeName": node}, "status": {"phase": phase}}
>>> pods = [pod("a", "node-1", "Running"), pod("b", "", "Pending"), pod("c", "node-2", "Pending")]
>>> [p["metadata"]["name"] for p in get_pods_to_delete(pods, pods, 2)]
['b', 'c']

Upstream: pkg/controller/controller_utils.go (ActivePodsWithRanks, getPodsRankedByRelatedPodsOnSameNode),
pkg/controller/replicaset/replica_set.go (getPodsToDelete), pkg/apis/core/helper/helpers.go
(GetDeletionCostFromPodAnnotations)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cmp_to_key

from k8slearn.api.validation.pod import get_deletion_cost_from_pod_annotations
from k8slearn.controllers.controller_utils import is_pod_active
from k8slearn.controllers.pod_util import _time, is_pod_ready, pod_ready_time


def max_container_restarts(pod: dict) -> int:
    return max([c.get("restartCount", 0) for c in (pod.get("status") or {}).get("containerStatuses") or ()] or [0])


# ---- which pod goes first ----------------------------------------------------------------------

_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def _deletion_cost(pod: dict) -> int:
    """helper.GetDeletionCostFromPodAnnotations, with 0 for an invalid value (as Less ignores the error)."""
    try:
        return get_deletion_cost_from_pod_annotations(pod["metadata"].get("annotations"))
    except ValueError:
        return 0


def _after_or_zero(t1: float | None, t2: float | None) -> bool:
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _log_rank(t: float, now: float) -> int:
    d = (now - t) * 1e9  # Go compares durations in nanoseconds
    return int(math.log2(d)) if d > 0 else -1


class _Ranked:
    """What ActivePodsWithRanks.Less looks at, read once per pod."""

    __slots__ = ("cost", "created", "phase", "pod", "rank", "ready", "ready_time", "restarts", "uid", "unassigned")

    def __init__(self, pod: dict, rank: int) -> None:
        self.pod, self.rank = pod, rank
        self.unassigned = not pod["spec"].get("nodeName")
        self.phase = _PHASE_ORDINAL.get((pod.get("status") or {}).get("phase"), 0)
        self.ready = is_pod_ready(pod)
        self.cost = _deletion_cost(pod)
        self.ready_time = pod_ready_time(pod) if self.ready else None
        self.restarts = max_container_restarts(pod)
        self.created = _time(pod["metadata"].get("creationTimestamp"))
        self.uid = pod["metadata"].get("uid", "")


def _newer_first(a: _Ranked, b: _Ranked, t1: float | None, t2: float | None, now: float | None) -> bool:
    """LogarithmicScaleDown: times in the same power-of-two age bucket tie; the UID breaks the tie."""
    if not now or t1 is None or t2 is None:
        return _after_or_zero(t1, t2)
    diff = _log_rank(t1, now) - _log_rank(t2, now)
    if diff == 0:
        return a.uid < b.uid
    return diff < 0


def _less(a: _Ranked, b: _Ranked, now: float | None) -> bool:
    if a.unassigned != b.unassigned and a.pod["spec"].get("nodeName") != b.pod["spec"].get("nodeName"):
        return a.unassigned  # 1. unassigned < assigned
    if a.phase != b.phase:  # 2. Pending < Unknown < Running
        return a.phase < b.phase
    if a.ready != b.ready:  # 3. not ready < ready
        return not a.ready
    if a.cost != b.cost:  # 4. lower pod-deletion-cost first
        return a.cost < b.cost
    if a.rank != b.rank:  # 5. doubled up (more related pods on its node) first
        return a.rank > b.rank
    if a.ready and b.ready and a.ready_time != b.ready_time:  # 6. ready for less time first
        return _newer_first(a, b, a.ready_time, b.ready_time, now)
    if a.restarts != b.restarts:  # 7. more restarts first
        return a.restarts > b.restarts
    if a.created != b.created:  # 8. newer first
        return _newer_first(a, b, a.created, b.created, now)
    return False


def deletion_less(a: tuple[dict, int], b: tuple[dict, int], now: float | None = None) -> bool:
    """ActivePodsWithRanks.Less: should pod ``a`` (with its rank) be deleted before ``b``?"""
    return _less(_Ranked(*a), _Ranked(*b), now)


def rank_pods_by_related_pods_on_same_node(pods: list[dict], related: Iterable[dict]) -> list[int]:
    """getPodsRankedByRelatedPodsOnSameNode: each pod's rank = active related pods on its node."""
    on_node: dict[str, int] = {}
    for pod in related:
        if is_pod_active(pod):
            node = pod["spec"].get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1
    return [on_node.get(p["spec"].get("nodeName") or "", 0) for p in pods]


def get_pods_to_delete(pods: list[dict], related: Iterable[dict], diff: int, now: float | None = None) -> list[dict]:
    """The ``diff`` pods a scale-down deletes: the first ones in ActivePodsWithRanks order."""
    if diff >= len(pods):
        return list(pods)
    ranked = [_Ranked(p, r) for p, r in zip(pods, rank_pods_by_related_pods_on_same_node(pods, related))]

    def cmp(a: _Ranked, b: _Ranked) -> int:
        return -1 if _less(a, b, now) else (1 if _less(b, a, now) else 0)

    ranked.sort(key=cmp_to_key(cmp))
    return [r.pod for r in ranked[:diff]]

