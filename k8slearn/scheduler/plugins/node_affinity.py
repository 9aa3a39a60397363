"""NodeAffinity: ``nodeSelector`` and node affinity rules pick the nodes a pod may use, and prefer some.

``nodeSelector`` is a plain map: every label must be on the node. ``requiredDuringScheduling...``
holds *terms* that are ORed; inside a term the expressions are ANDed. Operators: ``In``,
``NotIn`` (also true when the label is missing), ``Exists``, ``DoesNotExist``, ``Gt``/``Lt``
(integers). ``matchFields`` may only test ``metadata.name``: it is how a DaemonSet pins its pod
to one node. ``preferredDuringScheduling...`` terms add their weight to a node's score.
The terms are parsed and matched by :mod:`k8slearn.api.node_affinity`, the matcher the DaemonSet
controller and the volume code share (upstream: component-helpers' nodeaffinity package).

>>> gpu = {"metadata": {"name": "node-2", "labels": {"gpu": "true", "cores": "8"}}}
>>> plain = {"metadata": {"name": "node-1", "labels": {}}}
>>> wants_gpu = {"spec": {"nodeSelector": {"gpu": "true"}}}
>>> matches(wants_gpu, gpu), matches(wants_gpu, plain)
(True, False)
>>> big = {"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
...     "nodeSelectorTerms": [{"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["4"]}]}]}}}}}
>>> matches(big, gpu), matches(big, plain)
(True, False)
>>> pinned = {"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
...     "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}]}}}}}
>>> matches(pinned, gpu), matches(pinned, plain)
(False, True)

Upstream: pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go,
staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.node_affinity import (
    OBJECT_NAME_FIELD,
    PREFERRED,
    REQUIRED,
    LazyErrorNodeSelector,
    NodeSelectorTerm,  # noqa: F401  (re-exported: the course's scheduler lab imports it from here)
    PreferredSchedulingTerms,
    RequiredNodeAffinity,
)
from k8slearn.scheduler.events import NODE, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, PreFilterResult, Status
from k8slearn.scheduler.plugins.helper import default_normalize_score, default_normalize_scores

NAME = "NodeAffinity"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME
ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity"
ERR_REASON_CONFLICT = "pod affinity terms conflict"


def matches(pod: dict, node: dict) -> bool:
    """The predicate: the node has every nodeSelector label and matches a required term (if any)."""
    return RequiredNodeAffinity(pod).matches(node)


def preferred_terms(pod: dict) -> PreferredSchedulingTerms | None:
    node_affinity = ((pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}
    terms = node_affinity.get(PREFERRED)
    return PreferredSchedulingTerms(terms) if terms is not None else None


def node_names_from_fields(required: dict) -> frozenset | None:
    """The nodes ``matchFields metadata.name In [...]`` allows (None: any node; empty: none)."""
    names: set | None = None
    for term in required.get("nodeSelectorTerms") or ():
        term_names: set | None = None
        for r in term.get("matchFields") or ():
            if r.get("key") == OBJECT_NAME_FIELD and r.get("operator") == "In":
                values = set(r.get("values") or ())
                term_names = values if term_names is None else term_names & values
        if term_names is None:
            return None  # this term does not name nodes, and the terms are ORed
        names = term_names if names is None else names | term_names
    return frozenset(names) if names is not None else None


class NodeAffinity:
    """PreFilter, Filter, PreScore, Score, NormalizeScore (score weight 2 in the default profile).

    ``args={"addedAffinity": {...}}`` (NodeAffinityArgs) adds node affinity to every pod of the profile."""

    name = NAME

    def __init__(self, handle: Any = None, args: dict | None = None) -> None:
        self.handle = handle
        added = (args or {}).get("addedAffinity") or {}
        path = field.Path("addedAffinity")
        self.added_node_selector = (
            LazyErrorNodeSelector(added[REQUIRED], path.child(REQUIRED)) if added.get(REQUIRED) else None
        )
        self.added_pref_terms = (
            PreferredSchedulingTerms(added.get(PREFERRED) or [], path.child(PREFERRED))
            if added.get(PREFERRED)
            else None
        )
        errs = (self.added_node_selector.errors() if self.added_node_selector else []) + (
            self.added_pref_terms.errors if self.added_pref_terms else []
        )
        if errs:
            raise ValueError(field.aggregate(errs))

    def pre_filter(self, state: CycleState, pod: dict):
        spec = pod.get("spec") or {}
        required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(REQUIRED)
        if required is None and self.added_node_selector is None and not spec.get("nodeSelector"):
            return Status(Code.Skip)
        state[PRE_FILTER_STATE_KEY] = RequiredNodeAffinity(pod)
        if not required or not required.get("nodeSelectorTerms"):
            return SUCCESS
        names = node_names_from_fields(required)
        if names is None:
            return SUCCESS
        if not names:
            return Status(Code.UnschedulableAndUnresolvable, ERR_REASON_CONFLICT)
        return PreFilterResult(names), SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        node = node_info.node
        if self.added_node_selector is not None and not self.added_node_selector.matches(node):
            return Status(Code.UnschedulableAndUnresolvable, ERR_REASON_ENFORCED)
        required = state.get(PRE_FILTER_STATE_KEY) or RequiredNodeAffinity(pod)
        if not required.matches(node):
            return Status(Code.UnschedulableAndUnresolvable, ERR_REASON_POD)
        return SUCCESS

    def pre_score(self, state: CycleState, pod: dict, nodes: list) -> Status:
        terms = preferred_terms(pod)
        if terms is not None and terms.errors:
            return Status(Code.Error, field.aggregate(terms.errors))
        if terms is None and self.added_pref_terms is None:
            return Status(Code.Skip)
        state[PRE_SCORE_STATE_KEY] = terms
        return SUCCESS

    def score(self, state: CycleState, pod: dict, node_info: Any) -> int:
        count = self.added_pref_terms.score(node_info.node) if self.added_pref_terms else 0
        terms = state[PRE_SCORE_STATE_KEY] if PRE_SCORE_STATE_KEY in state else preferred_terms(pod)
        return count + (terms.score(node_info.node) if terms is not None else 0)

    def normalize_scores(self, state: CycleState, pod: dict, scores: list) -> list:
        """NormalizeScore on a list (what the framework calls; same numbers as ``normalize_score``)."""
        return default_normalize_scores(100, False, scores)

    def normalize_score(self, state: CycleState, pod: dict, scores: dict) -> Status:
        default_normalize_score(100, False, scores)
        return SUCCESS

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        return [
            (
                ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeLabel),
                self.is_schedulable_after_node_change,
            )
        ]

    def is_schedulable_after_node_change(self, pod: dict, old: dict | None, new: dict) -> QueueingHint:
        if self.added_node_selector is not None and not self.added_node_selector.matches(new):
            return QueueingHint.QueueSkip
        required = RequiredNodeAffinity(pod)
        if not required.matches(new):
            return QueueingHint.QueueSkip
        return QueueingHint.Queue if old is None or not required.matches(old) else QueueingHint.QueueSkip
