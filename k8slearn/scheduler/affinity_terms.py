"""Pod (anti-)affinity terms, parsed once per pod: which pods a term selects, and over what topology.

A term says "pods matching ``labelSelector``, in these namespaces, counted per value of
``topologyKey``". An *affinity* term wants the new pod near such pods; an *anti-affinity* term
wants it away from them. A term with no ``namespaces`` and no ``namespaceSelector`` means the
pod's own namespace; ``namespaceSelector: {}`` means every namespace.

>>> web = {"metadata": {"namespace": "default", "labels": {"app": "web"}}}
>>> pod = {"metadata": {"namespace": "default"}, "spec": {"affinity": {"podAntiAffinity": {
...     "requiredDuringSchedulingIgnoredDuringExecution": [
...         {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]}}}}
>>> terms = pod_affinity_terms(pod)
>>> [t.topology_key for t in terms.required_anti_affinity], terms.required_anti_affinity[0].matches(web)
(['kubernetes.io/hostname'], True)
>>> terms.required_anti_affinity[0].matches({"metadata": {"namespace": "other", "labels": {"app": "web"}}})
False

Upstream: pkg/scheduler/framework/types.go (AffinityTerm, WeightedAffinityTerm, NewPodInfo,
getAffinityTerms, getWeightedAffinityTerms, getNamespacesFromPodAffinityTerm)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from k8slearn.api.labels import SelectorParseError, selector_from_label_selector


class AffinityTerm:
    """One parsed term: namespaces, a label selector, a namespace selector, a topology key."""

    __slots__ = ("namespace_selector", "namespaces", "selector", "topology_key")

    def __init__(self, namespaces: frozenset, selector, topology_key: str, namespace_selector) -> None:
        self.namespaces = namespaces
        self.selector = selector
        self.topology_key = topology_key
        self.namespace_selector = namespace_selector

    def matches(self, pod: Mapping, ns_labels: Mapping | None = None) -> bool:
        """Is ``pod`` one of the pods this term talks about? (namespace first, then labels)"""
        meta = pod.get("metadata") or {}
        if meta.get("namespace", "") in self.namespaces or self.namespace_selector.matches(ns_labels):
            return self.selector.matches(meta.get("labels") or {})
        return False

    def __repr__(self) -> str:
        return (
            f"AffinityTerm(namespaces={sorted(self.namespaces)}, selector={str(self.selector)!r}, "
            f"topology_key={self.topology_key!r})"
        )


class WeightedAffinityTerm(NamedTuple):
    term: AffinityTerm
    weight: int


class PodAffinityTerms(NamedTuple):
    """The four lists NewPodInfo prepares, plus the parsing error (if a selector was invalid)."""

    required_affinity: list
    required_anti_affinity: list
    preferred_affinity: list
    preferred_anti_affinity: list
    error: str = ""


def new_affinity_term(pod: Mapping, term: Mapping) -> AffinityTerm:
    """newAffinityTerm: raises SelectorParseError for an invalid selector."""
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    selector = selector_from_label_selector(term.get("labelSelector"))
    names = term.get("namespaces") or []
    if not names and term.get("namespaceSelector") is None:
        names = [namespace]
    ns_selector = selector_from_label_selector(term.get("namespaceSelector"))
    return AffinityTerm(frozenset(names), selector, term.get("topologyKey", ""), ns_selector)


def pod_affinity_terms(pod: Mapping) -> PodAffinityTerms:
    """All of a pod's terms, parsed; on an invalid selector the lists are empty and ``error`` says why."""
    affinity = (pod.get("spec") or {}).get("affinity") or {}
    near, away = affinity.get("podAffinity") or {}, affinity.get("podAntiAffinity") or {}
    required, preferred = (
        "requiredDuringSchedulingIgnoredDuringExecution",
        "preferredDuringSchedulingIgnoredDuringExecution",
    )
    try:
        return PodAffinityTerms(
            [new_affinity_term(pod, t) for t in near.get(required) or ()],
            [new_affinity_term(pod, t) for t in away.get(required) or ()],
            _weighted(pod, near.get(preferred)),
            _weighted(pod, away.get(preferred)),
        )
    except SelectorParseError as err:
        return PodAffinityTerms([], [], [], [], str(err))


def _weighted(pod: Mapping, terms) -> list:
    return [
        WeightedAffinityTerm(new_affinity_term(pod, t.get("podAffinityTerm") or {}), t.get("weight", 0))
        for t in terms or ()
    ]
