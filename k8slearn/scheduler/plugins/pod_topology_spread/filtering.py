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
    count_on_node,
    node_labels_match_constraints,
)
from k8slearn.scheduler.pod_counts import DomainCounts, verdicts

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


def cal_pre_filter_state(
    pod: dict, constraints: list, all_nodes: list, domains: DomainCounts | None = None
) -> PreFilterState:
    """Count matching pods per domain over every node that counts (has the keys, passes the policies).

    With ``domains`` (every node passes the policies: see ``every_node_counts``), the same sums
    come from the snapshot's per-domain counts instead of node by node."""
    state = PreFilterState(constraints, [{} for _ in constraints])
    if not constraints:
        return state
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    memos = [verdicts(c.selector) for c in constraints]
    if domains is not None:
        spec = tuple((key, True) for key in dict.fromkeys(c.topology_key for c in constraints))
        position = [spec.index((c.topology_key, True)) for c in constraints]
        for sig, (_, groups) in domains.table(spec).items():
            if None in sig:
                continue  # a node without one of the keys belongs to no domain
            pods = groups.get(namespace)
            for i, c in enumerate(constraints):
                counts = state.tp_value_to_match_num[i]
                value = sig[position[i]]
                matching = domains.count_matching(pods, namespace, c.selector, memos[i])
                counts[value] = counts.get(value, 0) + matching
        return state
    required = RequiredNodeAffinity(pod)
    for node_info in all_nodes:
        node = node_info.node
        if node is None or not node_labels_match_constraints(node_info.labels, constraints):
            continue
        for i, c in enumerate(constraints):
            if not c.match_node_inclusion_policies(pod, node, required):
                continue
            value = node_info.labels[c.topology_key]
            count = count_on_node(node_info, c.selector, namespace, memos[i])
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
