"""InterPodAffinity's Score: preferred (anti-)affinity, from both sides, summed per topology domain.

For every existing pod on a node with labels, each of these adds (or, for anti-affinity,
subtracts) a weight to that node's topology domain: the incoming pod's preferred terms the
existing pod matches; the existing pod's required affinity terms the incoming pod matches (weight
``hardPodAffinityWeight``, 1 by default); the existing pod's preferred terms the incoming pod
matches. A node's raw score is the sum over its labels' domains; NormalizeScore maps the range
min..max onto 0..100.

>>> scores = {"node-1": -5, "node-2": 5, "node-3": 0}
>>> normalize(scores); scores
{'node-1': 0, 'node-2': 100, 'node-3': 50}

Upstream: pkg/scheduler/framework/plugins/interpodaffinity/scoring.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.framework import MAX_NODE_SCORE


class ScoreMap(dict):
    """topology key -> {topology value -> summed weight}."""

    def process_term(
        self, term: Any, weight: int, pod: dict, ns_labels: Any, node: dict, multiplier: int
    ) -> None:
        if term.matches(pod, ns_labels):
            labels = (node.get("metadata") or {}).get("labels") or {}
            if term.topology_key in labels:
                values = self.setdefault(term.topology_key, {})
                value = labels[term.topology_key]
                values[value] = values.get(value, 0) + weight * multiplier

    def process_terms(self, terms: list, pod: dict, ns_labels: Any, node: dict, multiplier: int) -> None:
        for weighted in terms:
            self.process_term(weighted.term, weighted.weight, pod, ns_labels, node, multiplier)


class PreScoreState:
    __slots__ = ("namespace_labels", "pod", "terms", "topology_score")

    def __init__(self, pod: dict, terms: Any, namespace_labels: Any) -> None:
        self.topology_score = ScoreMap()
        self.pod, self.terms, self.namespace_labels = pod, terms, namespace_labels


def process_existing_pod(
    state: PreScoreState, existing: Any, node: dict, hard_pod_affinity_weight: int
) -> None:
    """processExistingPod: the five contributions of one existing pod to the domains of its node."""
    if not (node.get("metadata") or {}).get("labels"):
        return
    scores, incoming, ns_labels = state.topology_score, state.pod, state.namespace_labels
    scores.process_terms(state.terms.preferred_affinity, existing.pod, None, node, 1)
    scores.process_terms(state.terms.preferred_anti_affinity, existing.pod, None, node, -1)
    if hard_pod_affinity_weight > 0:
        for term in existing.terms.required_affinity:
            scores.process_term(term, hard_pod_affinity_weight, incoming, ns_labels, node, 1)
    scores.process_terms(existing.terms.preferred_affinity, incoming, ns_labels, node, 1)
    scores.process_terms(existing.terms.preferred_anti_affinity, incoming, ns_labels, node, -1)


def node_score(state: PreScoreState, node_info: Any) -> int:
    labels = node_info.labels
    return sum(values.get(labels[key], 0) for key, values in state.topology_score.items() if key in labels)


def normalize(scores: dict) -> None:
    """min -> 0, max -> 100, linearly in between (all 0 when every node scored the same). In place."""
    low, high = min(scores.values(), default=0), max(scores.values(), default=0)
    for name, score in scores.items():
        scores[name] = int(MAX_NODE_SCORE * ((score - low) / (high - low))) if high > low else 0
