"""InterPodAffinity: place pods relative to other pods (together in a zone, apart on hostnames...).

``podAffinity`` / ``podAntiAffinity`` terms select other pods by label and name a
``topologyKey``: "in the same <topologyKey> domain as pods matching this selector". Required
terms filter, preferred terms score. Existing pods' required anti-affinity is honoured too: a
pod that says "no other web pod on my node" keeps the next web pod off that node.

>>> anti = {"metadata": {"namespace": "default", "labels": {"app": "web"}}, "spec": {"affinity": {
...     "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
...         {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]}}}}
>>> from k8slearn.scheduler.node_info import NodeInfo
>>> from k8slearn.scheduler.resources import PodInfo
>>> node = {"metadata": {"name": "node-1", "labels": {"kubernetes.io/hostname": "node-1"}}}
>>> busy = NodeInfo(node, [PodInfo({**anti, "metadata": {**anti["metadata"], "name": "web-1"},
...                                 "spec": {**anti["spec"], "nodeName": "node-1"}})])
>>> InterPodAffinity().filter(CycleState(), anti, busy).message()
"node(s) didn't match pod anti-affinity rules"

Upstream: pkg/scheduler/framework/plugins/interpodaffinity/plugin.go (and filtering.go, scoring.go)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.scheduler.affinity_terms import AffinityTerm, PodAffinityTerms, WeightedAffinityTerm
from k8slearn.scheduler.events import NODE, POD, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.inter_pod_affinity import filtering, scoring
from k8slearn.scheduler.resources import PodInfo

NAME = "InterPodAffinity"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME
ERR_REASON_AFFINITY_RULES_NOT_MATCH = filtering.ERR_REASON_AFFINITY_RULES_NOT_MATCH
ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = filtering.ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH
ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = (
    filtering.ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH
)
DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1

__all__ = [
    "ERR_REASON_AFFINITY_RULES_NOT_MATCH",
    "ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH",
    "ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH",
    "NAME",
    "InterPodAffinity",
    "validate_args",
]


def validate_args(args: dict) -> list:
    """ValidateInterPodAffinityArgs: hardPodAffinityWeight in [0, 100]."""
    weight = args.get("hardPodAffinityWeight", DEFAULT_HARD_POD_AFFINITY_WEIGHT)
    if not isinstance(weight, int) or not 0 <= weight <= 100:
        return [field.invalid("hardPodAffinityWeight", weight, "not in valid range [0, 100]")]
    return []


class InterPodAffinity:
    """PreFilter, Filter, PreScore, Score, NormalizeScore (score weight 2 in the default profile)."""

    name = NAME

    def __init__(self, handle: Any = None, args: dict | None = None) -> None:
        self.handle = handle
        args = args or {}
        errs = validate_args(args)
        if errs:
            raise ValueError(field.aggregate(errs))
        self.hard_pod_affinity_weight = args.get("hardPodAffinityWeight", DEFAULT_HARD_POD_AFFINITY_WEIGHT)
        self.ignore_preferred_terms_of_existing_pods = bool(args.get("ignorePreferredTermsOfExistingPods"))

    # -- helpers -----------------------------------------------------------------------------
    def _snapshot(self) -> Any:
        return getattr(self.handle, "snapshot", None)

    def _namespaces(self) -> Any:
        return (getattr(self.handle, "listers", None) or {}).get("namespaces")

    def namespace_labels(self, pod: dict) -> dict | None:
        """GetNamespaceLabelsSnapshot: the labels of the pod's namespace (None if unknown)."""
        lister = self._namespaces()
        ns = lister.get((pod.get("metadata") or {}).get("namespace", "")) if lister is not None else None
        return dict((ns.get("metadata") or {}).get("labels") or {}) if ns is not None else None

    def _merge_namespaces(self, term: AffinityTerm) -> AffinityTerm:
        """mergeAffinityTermNamespacesIfNotEmpty: a namespaceSelector becomes the namespaces it selects."""
        if term.namespace_selector.empty():
            return term
        lister = self._namespaces()
        chosen = [
            ns["metadata"]["name"]
            for ns in (lister.list() if lister is not None else ())
            if term.namespace_selector.matches((ns.get("metadata") or {}).get("labels") or {})
        ]
        from k8slearn.api.labels import Selector

        return AffinityTerm(
            term.namespaces | frozenset(chosen), term.selector, term.topology_key, Selector.nothing()
        )

    def incoming_terms(self, pod: dict) -> PodAffinityTerms:
        terms = PodInfo(pod).terms
        merge = self._merge_namespaces
        return PodAffinityTerms(
            [merge(t) for t in terms.required_affinity],
            [merge(t) for t in terms.required_anti_affinity],
            [WeightedAffinityTerm(merge(t.term), t.weight) for t in terms.preferred_affinity],
            [WeightedAffinityTerm(merge(t.term), t.weight) for t in terms.preferred_anti_affinity],
            terms.error,
        )

    # -- PreFilter / Filter ------------------------------------------------------------------
    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        snapshot = self._snapshot()
        all_nodes = snapshot.node_info_list if snapshot is not None else []
        with_anti = snapshot.have_pods_with_required_anti_affinity_list if snapshot is not None else []
        s, status = self.pre_filter_state(pod, all_nodes, with_anti)
        if s is not None:
            state[PRE_FILTER_STATE_KEY] = s
        return status

    def pre_filter_state(self, pod: dict, all_nodes: list, with_anti: list) -> tuple[Any, Status]:
        """The three counts over these nodes; (None, Skip) when no rule can apply."""
        affinity = (pod.get("spec") or {}).get("affinity") or {}
        if not with_anti and not (affinity.get("podAffinity") or affinity.get("podAntiAffinity")):
            return None, Status(Code.Skip)  # quickly: nothing below could produce a count
        terms = self.incoming_terms(pod)
        if terms.error:
            return None, Status(Code.UnschedulableAndUnresolvable, f"parsing pod: {terms.error}")
        ns_labels = self.namespace_labels(pod)
        s = filtering.PreFilterState(pod, terms, ns_labels)
        s.existing_anti_affinity_counts = filtering.existing_anti_affinity_counts(pod, ns_labels, with_anti)
        s.affinity_counts, s.anti_affinity_counts = filtering.incoming_counts(terms, all_nodes)
        if (
            not s.existing_anti_affinity_counts
            and not terms.required_affinity
            and not terms.required_anti_affinity
        ):
            return None, Status(Code.Skip)
        return s, SUCCESS

    def add_pod(self, state: CycleState, pod: dict, pod_info_to_add: Any, node_info: Any) -> Status:
        if PRE_FILTER_STATE_KEY in state:
            state[PRE_FILTER_STATE_KEY].update_with_pod(pod_info_to_add, node_info.node, 1)
        return SUCCESS

    def remove_pod(self, state: CycleState, pod: dict, pod_info_to_remove: Any, node_info: Any) -> Status:
        if PRE_FILTER_STATE_KEY in state:
            state[PRE_FILTER_STATE_KEY].update_with_pod(pod_info_to_remove, node_info.node, -1)
        return SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        s = state.get(PRE_FILTER_STATE_KEY)
        if s is None:  # called without PreFilter (a notebook, a test): count here
            snapshot = self._snapshot()
            nodes = (
                snapshot.node_info_list if snapshot is not None and snapshot.node_info_list else [node_info]
            )
            s, status = self.pre_filter_state(
                pod, nodes, [n for n in nodes if n.pods_with_required_anti_affinity]
            )
            if s is None:
                return SUCCESS if status.is_skip() else status
        reason = filtering.unsatisfied(s, node_info)
        if not reason:
            return SUCCESS
        if reason == ERR_REASON_AFFINITY_RULES_NOT_MATCH:
            return Status(Code.UnschedulableAndUnresolvable, reason)
        return Status(Code.Unschedulable, reason)

    # -- PreScore / Score --------------------------------------------------------------------
    def pre_score(self, state: CycleState, pod: dict, nodes: list) -> Status:
        snapshot = self._snapshot()
        if not nodes or snapshot is None:
            return Status(Code.Skip)
        affinity = (pod.get("spec") or {}).get("affinity") or {}
        has_constraints = bool(
            ((affinity.get("podAffinity") or {}).get("preferredDuringSchedulingIgnoredDuringExecution"))
            or (
                (affinity.get("podAntiAffinity") or {}).get("preferredDuringSchedulingIgnoredDuringExecution")
            )
        )
        if not has_constraints and (
            self.ignore_preferred_terms_of_existing_pods or not snapshot.have_pods_with_affinity_list
        ):
            return Status(Code.Skip)  # (without existing pods with affinity, no score could be made)
        s = scoring.PreScoreState(pod, self.incoming_terms(pod), self.namespace_labels(pod))
        for node_info in (
            snapshot.node_info_list if has_constraints else snapshot.have_pods_with_affinity_list
        ):
            existing = node_info.pods if has_constraints else node_info.pods_with_affinity
            for pod_info in existing.values():
                scoring.process_existing_pod(s, pod_info, node_info.node, self.hard_pod_affinity_weight)
        if not s.topology_score:
            return Status(Code.Skip)
        state[PRE_SCORE_STATE_KEY] = s
        return SUCCESS

    def score(self, state: CycleState, pod: dict, node_info: Any) -> int:
        return scoring.node_score(state[PRE_SCORE_STATE_KEY], node_info)

    def normalize_score(self, state: CycleState, pod: dict, scores: dict) -> Status:
        if state.get(PRE_SCORE_STATE_KEY) is not None and state[PRE_SCORE_STATE_KEY].topology_score:
            scoring.normalize(scores)
        return SUCCESS

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        return [
            (
                ClusterEvent(POD, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
                self.is_schedulable_after_pod_change,
            ),
            (
                ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeLabel),
                self.is_schedulable_after_node_change,
            ),
        ]

    def is_schedulable_after_pod_change(self, pod: dict, old: dict | None, new: dict | None) -> QueueingHint:
        """isSchedulableAfterPodChange: only an assigned pod can help, and only one that now matches
        all our affinity terms (added, or relabelled to match) or no longer matches all our
        anti-affinity terms (deleted, or relabelled away). Adding a pod that our anti-affinity
        selects only makes things worse. Beyond upstream: a deleted pod with anti-affinity of its
        own is a reason to retry too, since it may have kept us away."""
        if any(obj is not None and not (obj.get("spec") or {}).get("nodeName") for obj in (old, new)):
            return QueueingHint.QueueSkip
        terms = PodInfo(pod).terms
        affinity, anti = terms.required_affinity, terms.required_anti_affinity
        matches_all = filtering.pod_matches_all_affinity_terms
        if old is not None and new is not None:
            gained_affinity = not matches_all(affinity, old) and matches_all(affinity, new)
            lost_anti = matches_all(anti, old) and not matches_all(anti, new)
            return QueueingHint.Queue if gained_affinity or lost_anti else QueueingHint.QueueSkip
        if new is not None:
            return QueueingHint.Queue if matches_all(affinity, new) else QueueingHint.QueueSkip
        if matches_all(anti, old) or PodInfo(old).has_required_anti_affinity:
            return QueueingHint.Queue
        return QueueingHint.QueueSkip

    def is_schedulable_after_node_change(self, pod: dict, old: dict | None, new: dict) -> QueueingHint:
        """isSchedulableAfterNodeChange: only a node labelled with the topology key of one of our
        required terms can change what they see."""
        labels = (new.get("metadata") or {}).get("labels") or {}
        terms = PodInfo(pod).terms
        if any(t.topology_key in labels for t in [*terms.required_affinity, *terms.required_anti_affinity]):
            return QueueingHint.Queue
        return QueueingHint.QueueSkip
