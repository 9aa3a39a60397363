"""PodTopologySpread's Filter: would this node make some domain too crowded?

PreFilter counts, per ``DoNotSchedule`` constraint, the matching pods in each domain (each value
of the topology key) and remembers the smallest count, the *global minimum*. A node passes if

    pods in the node's domain + 1 (if the pod matches its own selector) − global minimum <= maxSkew

If fewer domains than ``minDomains`` exist, the global minimum counts as 0.

>>> state = PreFilterState([None], [{"zone-a": 2, "zone-b": 0}])
>>> state.min_match_num(0, min_domains=1), state.min_match_num(0, min_domains=3)
(0, 0)
>>> skew(state, 0, "zone-a", self_match=1), skew(state, 0, "zone-b", self_match=1)
(3, 1)

Upstream: pkg/scheduler/framework/plugins/podtopologyspread/filtering.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.plugins.node_affinity import RequiredNodeAffinity
from k8slearn.scheduler.plugins.pod_topology_spread.common import (
    count_pods_match_selector,
    node_labels_match_constraints,
    pods_of,
)

ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)"
MAX_INT32 = 2**31 - 1


class PreFilterState:
    """Per constraint: matching pods per topology value, and the global minimum."""

    __slots__ = ("constraints", "tp_value_to_match_num")

    def __init__(self, constraints: list, tp_value_to_match_num: list[dict]) -> None:
        self.constraints = constraints
        self.tp_value_to_match_num = tp_value_to_match_num

    def clone(self) -> PreFilterState:
        """A copy whose counts can change (preemption, nominated pods) without touching this one."""
        return PreFilterState(self.constraints, [dict(m) for m in self.tp_value_to_match_num])

    def min_match_num(self, i: int, min_domains: int) -> int:
        """The global minimum for constraint ``i``; 0 while there are fewer domains than minDomains."""
        counts = self.tp_value_to_match_num[i]
        if len(counts) < min_domains:
            return 0
        return min(counts.values(), default=MAX_INT32)

    def update_with_pod(self, updated_pod: dict, preemptor: dict, node: dict, delta: int) -> None:
        """A pod joined (+1) or left (−1) ``node``: adjust the counts it belongs to."""
        meta = updated_pod.get("metadata") or {}
        if node is None or meta.get("namespace") != (preemptor.get("metadata") or {}).get("namespace"):
            return
        labels = (node.get("metadata") or {}).get("labels") or {}
        if not node_labels_match_constraints(labels, self.constraints):
            return
        required = RequiredNodeAffinity(preemptor)
        pod_labels = meta.get("labels") or {}
        for i, c in enumerate(self.constraints):
            if not c.selector.matches(pod_labels) or not c.match_node_inclusion_policies(
                preemptor, node, required
            ):
                continue
            value = labels[c.topology_key]
            counts = self.tp_value_to_match_num[i]
            counts[value] = counts.get(value, 0) + delta


def skew(state: PreFilterState, i: int, value: str, self_match: int) -> int:
    c = state.constraints[i]
    min_domains = c.min_domains if c is not None else 1
    return state.tp_value_to_match_num[i].get(value, 0) + self_match - state.min_match_num(i, min_domains)


def cal_pre_filter_state(pod: dict, constraints: list, all_nodes: list) -> PreFilterState:
    """Count matching pods per domain over every node that counts (has the keys, passes the policies)."""
    state = PreFilterState(constraints, [{} for _ in constraints])
    if not constraints:
        return state
    required = RequiredNodeAffinity(pod)
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    for node_info in all_nodes:
        node = node_info.node
        if node is None or not node_labels_match_constraints(node_info.labels, constraints):
            continue
        for i, c in enumerate(constraints):
            if not c.match_node_inclusion_policies(pod, node, required):
                continue
            value = node_info.labels[c.topology_key]
            count = count_pods_match_selector(pods_of(node_info), c.selector, namespace)
            counts = state.tp_value_to_match_num[i]
            counts[value] = counts.get(value, 0) + count
    return state


def fits(state: PreFilterState, pod: dict, node_info: Any) -> str:
    """The predicate as a reason: "" if the node keeps every DoNotSchedule constraint, else why not."""
    pod_labels = (pod.get("metadata") or {}).get("labels") or {}
    for i, c in enumerate(state.constraints):
        value = node_info.labels.get(c.topology_key)
        if value is None:
            return ERR_REASON_NODE_LABEL_NOT_MATCH
        self_match = 1 if c.selector.matches(pod_labels) else 0
        if skew(state, i, value, self_match) > c.max_skew:
            return ERR_REASON_CONSTRAINTS_NOT_MATCH
    return ""
