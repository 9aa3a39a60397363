"""InterPodAffinity's Filter: put the pod near the pods it must be near, away from those it must avoid.

PreFilter counts, per topology pair (``zone=a``, ``kubernetes.io/hostname=node-2``...):

* ``affinity_counts``: existing pods matching *all* the pod's required affinity terms;
* ``anti_affinity_counts``: existing pods matching each of its required anti-affinity terms;
* ``existing_anti_affinity_counts``: existing pods whose own required anti-affinity matches this pod.

A node then fails if, in its domain, an affinity count is 0 (``didn't match pod affinity rules``,
unless no pod anywhere matches and the pod matches its own terms: the first pod of a group), an
anti-affinity count is above 0, or an existing pod's anti-affinity is hit.

>>> counts = TopologyCounts()
>>> counts.add({"metadata": {"labels": {"zone": "a"}}}, "zone", 1); dict(counts)
{('zone', 'a'): 1}

Upstream: pkg/scheduler/framework/plugins/interpodaffinity/filtering.go
"""

from __future__ import annotations

from typing import Any

ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules"
ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules"
ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules"


class TopologyCounts(dict):
    """topologyToMatchedTermCount: (topology key, value) -> how many matching pods."""

    def add(self, node: dict, key: str, value: int) -> None:
        """update(): add ``value`` to the pair (key, the node's value for key); drop pairs that reach 0."""
        labels = (node.get("metadata") or {}).get("labels") or {}
        if key in labels:
            pair = (key, labels[key])
            self[pair] = self.get(pair, 0) + value
            if self[pair] == 0:
                del self[pair]

    def update_with_affinity_terms(self, terms: list, pod: dict, node: dict, value: int) -> None:
        """+value for each term's pair, if ``pod`` matches ALL the terms."""
        if pod_matches_all_affinity_terms(terms, pod):
            for t in terms:
                self.add(node, t.topology_key, value)

    def update_with_anti_affinity_terms(
        self, terms: list, pod: dict, ns_labels: Any, node: dict, value: int
    ) -> None:
        """+value for the pair of each term that ``pod`` matches."""
        for t in terms:
            if t.matches(pod, ns_labels):
                self.add(node, t.topology_key, value)


def pod_matches_all_affinity_terms(terms: list, pod: dict) -> bool:
    return bool(terms) and all(t.matches(pod, None) for t in terms)


class PreFilterState:
    """The three counts plus the pod's (namespace-merged) terms and its namespace's labels."""

    __slots__ = (
        "affinity_counts",
        "anti_affinity_counts",
        "existing_anti_affinity_counts",
        "namespace_labels",
        "pod",
        "terms",
    )

    def __init__(self, pod: dict, terms: Any, namespace_labels: Any) -> None:
        self.pod, self.terms, self.namespace_labels = pod, terms, namespace_labels
        self.existing_anti_affinity_counts = TopologyCounts()
        self.affinity_counts = TopologyCounts()
        self.anti_affinity_counts = TopologyCounts()

    def clone(self) -> PreFilterState:
        copy = PreFilterState(self.pod, self.terms, self.namespace_labels)
        copy.existing_anti_affinity_counts = TopologyCounts(self.existing_anti_affinity_counts)
        copy.affinity_counts = TopologyCounts(self.affinity_counts)
        copy.anti_affinity_counts = TopologyCounts(self.anti_affinity_counts)
        return copy

    def update_with_pod(self, pod_info: Any, node: dict | None, multiplier: int) -> None:
        """A pod joined (+1) or left (−1) ``node`` (preemption, nominated pods)."""
        if node is None:
            return
        self.existing_anti_affinity_counts.update_with_anti_affinity_terms(
            pod_info.terms.required_anti_affinity, self.pod, self.namespace_labels, node, multiplier
        )
        self.affinity_counts.update_with_affinity_terms(
            self.terms.required_affinity, pod_info.pod, node, multiplier
        )
        self.anti_affinity_counts.update_with_anti_affinity_terms(
            self.terms.required_anti_affinity, pod_info.pod, None, node, multiplier
        )


def existing_anti_affinity_counts(pod: dict, ns_labels: Any, nodes: list) -> TopologyCounts:
    """Pods already running whose required anti-affinity matches the incoming pod."""
    result = TopologyCounts()
    for node_info in nodes:
        for existing in node_info.pods_with_required_anti_affinity.values():
            result.update_with_anti_affinity_terms(
                existing.terms.required_anti_affinity, pod, ns_labels, node_info.node, 1
            )
    return result


def incoming_counts(terms: Any, all_nodes: list) -> tuple[TopologyCounts, TopologyCounts]:
    """Existing pods matching the incoming pod's required affinity / anti-affinity terms."""
    affinity, anti_affinity = TopologyCounts(), TopologyCounts()
    if not terms.required_affinity and not terms.required_anti_affinity:
        return affinity, anti_affinity
    for node_info in all_nodes:
        for existing in node_info.pods.values():
            affinity.update_with_affinity_terms(terms.required_affinity, existing.pod, node_info.node, 1)
            anti_affinity.update_with_anti_affinity_terms(
                terms.required_anti_affinity, existing.pod, None, node_info.node, 1
            )
    return affinity, anti_affinity


def satisfy_existing_pods_anti_affinity(state: PreFilterState, labels: dict) -> bool:
    counts = state.existing_anti_affinity_counts
    return not counts or not any(counts.get(pair, 0) > 0 for pair in labels.items())


def satisfy_pod_anti_affinity(state: PreFilterState, labels: dict) -> bool:
    counts = state.anti_affinity_counts
    if counts:
        for term in state.terms.required_anti_affinity:
            if (
                term.topology_key in labels
                and counts.get((term.topology_key, labels[term.topology_key]), 0) > 0
            ):
                return False
    return True


def satisfy_pod_affinity(state: PreFilterState, labels: dict) -> bool:
    pods_exist = True
    for term in state.terms.required_affinity:
        if term.topology_key not in labels:
            return False  # all topology labels must exist on the node
        if state.affinity_counts.get((term.topology_key, labels[term.topology_key]), 0) <= 0:
            pods_exist = False
    if pods_exist:
        return True
    # The first pod of a group with affinity to itself: no pod matches anywhere yet, but it matches
    # its own terms, so it may go to any node that has the topology labels.
    return not state.affinity_counts and pod_matches_all_affinity_terms(
        state.terms.required_affinity, state.pod
    )


def unsatisfied(state: PreFilterState, node_info: Any) -> str:
    """The predicate as a reason: "" if the node is fine, else the first rule it breaks."""
    labels = node_info.labels
    if not satisfy_pod_affinity(state, labels):
        return ERR_REASON_AFFINITY_RULES_NOT_MATCH
    if not satisfy_pod_anti_affinity(state, labels):
        return ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH
    if not satisfy_existing_pods_anti_affinity(state, labels):
        return ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH
    return ""
