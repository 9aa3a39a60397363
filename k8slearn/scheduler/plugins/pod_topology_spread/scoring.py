"""PodTopologySpread's Score: the fewer matching pods in a node's domains, the better.

For each ``ScheduleAnyway`` constraint (or system default), a node's raw score adds
``matching pods in its domain × log(number of domains + 2) + (maxSkew − 1)``; the log weight keeps
a constraint over many small domains (hostnames) from drowning one over a few big ones (zones).
NormalizeScore then turns "fewest pods" into 100: ``100 × (max + min − score) / max``.

>>> round(score_for_count(2, max_skew=1, tp_weight=topology_normalizing_weight(3)), 3)
3.219
>>> scores = {"node-1": 4, "node-2": 0, "node-3": 2}
>>> normalize(scores, ignored=set()); scores
{'node-1': 0, 'node-2': 100, 'node-3': 50}

Upstream: pkg/scheduler/framework/plugins/podtopologyspread/scoring.go
"""

from __future__ import annotations

import math
from typing import Any

from k8slearn.scheduler.framework import MAX_NODE_SCORE
from k8slearn.scheduler.plugins.node_affinity import RequiredNodeAffinity
from k8slearn.scheduler.plugins.pod_topology_spread.common import (
    LABEL_HOSTNAME,
    count_pods_match_selector,
    node_labels_match_constraints,
    pods_of,
)

INVALID_SCORE = -1


class PreScoreState:
    """The soft constraints, nodes to ignore, matching pods per domain, and each constraint's weight."""

    __slots__ = (
        "constraints",
        "ignored_nodes",
        "topology_normalizing_weight",
        "topology_value_to_pod_counts",
    )

    def __init__(self) -> None:
        self.constraints: list = []
        self.ignored_nodes: set[str] = set()
        self.topology_value_to_pod_counts: list[dict] = []
        self.topology_normalizing_weight: list[float] = []


def topology_normalizing_weight(size: int) -> float:
    return math.log(size + 2)


def score_for_count(count: int, max_skew: int, tp_weight: float) -> float:
    return count * tp_weight + (max_skew - 1)


def init_pre_score_state(state: PreScoreState, filtered_nodes: list, require_all_topologies: bool) -> None:
    """Which nodes are scored, which domains they form, and each constraint's normalizing weight."""
    state.topology_value_to_pod_counts = [{} for _ in state.constraints]
    sizes = [0] * len(state.constraints)
    for node_info in filtered_nodes:
        if require_all_topologies and not node_labels_match_constraints(node_info.labels, state.constraints):
            state.ignored_nodes.add(node_info.name)  # missing a topology key: not scored
            continue
        for i, c in enumerate(state.constraints):
            if c.topology_key == LABEL_HOSTNAME:
                continue  # per-node counts are taken in Score
            value = node_info.labels.get(c.topology_key, "")
            if value not in state.topology_value_to_pod_counts[i]:
                state.topology_value_to_pod_counts[i][value] = 0
                sizes[i] += 1
    for i, c in enumerate(state.constraints):
        size = (
            len(filtered_nodes) - len(state.ignored_nodes) if c.topology_key == LABEL_HOSTNAME else sizes[i]
        )
        state.topology_normalizing_weight.append(topology_normalizing_weight(size))


def count_all_nodes(state: PreScoreState, pod: dict, all_nodes: list, require_all_topologies: bool) -> None:
    """Add up, over every node of the cluster, the matching pods of each domain being scored."""
    required = RequiredNodeAffinity(pod)
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    for node_info in all_nodes:
        node = node_info.node
        if node is None:
            continue
        if require_all_topologies and not node_labels_match_constraints(node_info.labels, state.constraints):
            continue
        for i, c in enumerate(state.constraints):
            if not c.match_node_inclusion_policies(pod, node, required):
                continue
            value = node_info.labels.get(c.topology_key, "")
            counts = state.topology_value_to_pod_counts[i]
            if value not in counts:
                continue  # not a domain of any feasible node (hostname counts are taken in Score)
            counts[value] += count_pods_match_selector(pods_of(node_info), c.selector, namespace)


def node_score(state: PreScoreState, pod: dict, node_info: Any) -> int:
    """The raw score: each constraint's count in the node's domain, weighted, plus maxSkew − 1."""
    if node_info.name in state.ignored_nodes:
        return 0
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    score = 0.0
    for i, c in enumerate(state.constraints):
        value = node_info.labels.get(c.topology_key)
        if value is None:
            continue
        if c.topology_key == LABEL_HOSTNAME:
            count = count_pods_match_selector(pods_of(node_info), c.selector, namespace)
        else:
            count = state.topology_value_to_pod_counts[i].get(value, 0)
        score += score_for_count(count, c.max_skew, state.topology_normalizing_weight[i])
    return math.floor(score + 0.5)  # Go's math.Round


def normalize(scores: dict, ignored: set) -> None:
    """Fewest matching pods -> 100, most -> proportionally less; ignored nodes -> 0. In place."""
    valid = [s for name, s in scores.items() if name not in ignored]
    min_score, max_score = min(valid, default=0), max(valid, default=0)
    for name, s in scores.items():
        if name in ignored:
            scores[name] = 0
        elif max_score == 0:
            scores[name] = MAX_NODE_SCORE
        else:
            scores[name] = MAX_NODE_SCORE * (max_score + min_score - s) // max_score
