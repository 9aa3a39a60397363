"""PodTopologySpread: spread matching pods evenly over zones, nodes or any other topology domain.

``topologySpreadConstraints`` with ``DoNotSchedule`` filter (skew must stay within maxSkew);
those with ``ScheduleAnyway`` only score. A pod without constraints of its own gets the
cluster's default constraints: with ``defaultingType: System`` (the default) hostname maxSkew 3
and zone maxSkew 5, both ScheduleAnyway, for the pods of the same Service/ReplicaSet/StatefulSet.

>>> spread = {"metadata": {"namespace": "default", "labels": {"app": "web"}}, "spec": {
...     "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
...                                    "labelSelector": {"matchLabels": {"app": "web"}}}]}}
>>> [str(c) for c in PodTopologySpread().constraints(spread, DO_NOT_SCHEDULE)]
['maxSkew=1 topologyKey=zone selector=app=web']

The pieces live in ``common`` (constraints, counting), ``filtering`` and ``scoring``.

Upstream: pkg/scheduler/framework/plugins/podtopologyspread/plugin.go (and filtering.go, scoring.go)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.labels import SelectorParseError, validate_label_key
from k8slearn.scheduler.events import NODE, POD, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.helper import default_selector
from k8slearn.scheduler.plugins.pod_topology_spread import filtering, scoring
from k8slearn.scheduler.plugins.pod_topology_spread.common import (
    DO_NOT_SCHEDULE,
    SCHEDULE_ANYWAY,
    SYSTEM_DEFAULT_CONSTRAINTS,
    every_node_counts,
    filter_constraints,
)

NAME = "PodTopologySpread"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME
ERR_REASON_CONSTRAINTS_NOT_MATCH = filtering.ERR_REASON_CONSTRAINTS_NOT_MATCH
ERR_REASON_NODE_LABEL_NOT_MATCH = filtering.ERR_REASON_NODE_LABEL_NOT_MATCH
SYSTEM_DEFAULTING, LIST_DEFAULTING = "System", "List"
FEW_NODES = 4  # score_nodes scores up to this many nodes one by one

__all__ = [
    "DO_NOT_SCHEDULE",
    "ERR_REASON_CONSTRAINTS_NOT_MATCH",
    "ERR_REASON_NODE_LABEL_NOT_MATCH",
    "NAME",
    "SCHEDULE_ANYWAY",
    "PodTopologySpread",
    "validate_args",
]


def validate_args(args: dict) -> list:
    """ValidatePodTopologySpreadArgs."""
    errs = []
    kind = args.get("defaultingType", SYSTEM_DEFAULTING)
    constraints = args.get("defaultConstraints") or []
    if kind not in (SYSTEM_DEFAULTING, LIST_DEFAULTING):
        errs.append(field.not_supported("defaultingType", kind, [SYSTEM_DEFAULTING, LIST_DEFAULTING]))
    elif kind == SYSTEM_DEFAULTING and constraints:
        errs.append(field.invalid("defaultingType", kind, "when .defaultConstraints are not empty"))
    for i, c in enumerate(constraints):
        p = field.Path("defaultConstraints").index(i)
        if c.get("maxSkew", 0) <= 0:
            errs.append(field.invalid(p.child("maxSkew"), c.get("maxSkew", 0), "not in valid range (0, inf)"))
        key = c.get("topologyKey", "")
        errs += (
            [field.required(p.child("topologyKey"), "can not be empty")]
            if not key
            else [field.invalid(p.child("topologyKey"), key, m) for m in validate_label_key(key)]
        )
        action = c.get("whenUnsatisfiable", "")
        if not action:
            errs.append(field.required(p.child("whenUnsatisfiable"), "can not be empty"))
        elif action not in (DO_NOT_SCHEDULE, SCHEDULE_ANYWAY):
            errs.append(
                field.not_supported(p.child("whenUnsatisfiable"), action, [DO_NOT_SCHEDULE, SCHEDULE_ANYWAY])
            )
        if c.get("labelSelector") is not None:
            errs.append(
                field.forbidden(
                    p.child("labelSelector"),
                    "constraint must not define a selector, as they deduced for each pod",
                )
            )
        for other in constraints[:i]:
            if (other.get("topologyKey"), other.get("whenUnsatisfiable")) == (key, action):
                errs.append(
                    field.duplicate(field.Path("defaultConstraints").index(i), f"{{{key}, {action}}}")
                )
                break
    return errs


class PodTopologySpread:
    """PreFilter, Filter, PreScore, Score, NormalizeScore (score weight 2 in the default profile)."""

    name = NAME

    def __init__(self, handle: Any = None, args: dict | None = None) -> None:
        self.handle = handle
        args = args or {}
        errs = validate_args(args)
        if errs:
            raise ValueError(field.aggregate(errs))
        self.system_defaulted = args.get("defaultingType", SYSTEM_DEFAULTING) == SYSTEM_DEFAULTING
        self.default_constraints = (
            list(SYSTEM_DEFAULT_CONSTRAINTS)
            if self.system_defaulted
            else list(args.get("defaultConstraints") or [])
        )
        # The default constraints with each action, parsed once (they never change; each pod gets
        # copies with its own selector): a simulation speed-up, the same constraints.
        self._parsed_defaults: dict[str, list] = {}

    # -- constraints -------------------------------------------------------------------------
    def constraints(self, pod: dict, action: str) -> list:
        """The pod's own constraints with this action, or the default ones (getConstraints)."""
        spec, labels = pod.get("spec") or {}, (pod.get("metadata") or {}).get("labels") or {}
        if spec.get("topologySpreadConstraints"):
            return filter_constraints(spec["topologySpreadConstraints"], labels, action)
        return self.build_default_constraints(pod, action)

    def build_default_constraints(self, pod: dict, action: str) -> list:
        parsed = self._parsed_defaults.get(action)
        if parsed is None:
            parsed = self._parsed_defaults[action] = filter_constraints(self.default_constraints, {}, action)
        if not parsed:
            return []
        selector = default_selector(pod, getattr(self.handle, "listers", None) or {})
        if selector.empty():
            return []
        return [c.with_selector(selector) for c in parsed]

    def _all_nodes(self) -> list:
        snapshot = getattr(self.handle, "snapshot", None)
        return snapshot.node_info_list if snapshot is not None else []

    def _domain_counts(self, pod: dict, constraints: list) -> Any:
        """The snapshot's pods summed by domain, if every node counts for these constraints (else
        None: count node by node)."""
        snapshot = getattr(self.handle, "snapshot", None)
        domains = getattr(snapshot, "domain_counts", None)
        return domains if domains is not None and every_node_counts(pod, constraints, snapshot) else None

    def _domain_counts_of(self, nodes: list) -> Any:
        """The snapshot's pods summed by domain, if ``nodes`` are the snapshot's NodeInfos (as the
        framework passes them) and not copies."""
        snapshot = getattr(self.handle, "snapshot", None)
        domains = getattr(snapshot, "domain_counts", None)
        if domains is None or (nodes and snapshot.get(nodes[0].name) is not nodes[0]):
            return None
        return domains

    # -- PreFilter / Filter ------------------------------------------------------------------
    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        try:
            constraints = self.constraints(pod, DO_NOT_SCHEDULE)
        except SelectorParseError as err:
            return Status(Code.Error, f"obtaining pod's hard topology spread constraints: {err}")
        if not constraints:
            return Status(Code.Skip)
        state[PRE_FILTER_STATE_KEY] = filtering.cal_pre_filter_state(
            pod, constraints, self._all_nodes(), self._domain_counts(pod, constraints)
        )
        return SUCCESS

    def add_pod(self, state: CycleState, pod: dict, pod_info_to_add: Any, node_info: Any) -> Status:
        if PRE_FILTER_STATE_KEY in state:
            state[PRE_FILTER_STATE_KEY].update_with_pod(pod_info_to_add.pod, pod, node_info.node, 1)
        return SUCCESS

    def remove_pod(self, state: CycleState, pod: dict, pod_info_to_remove: Any, node_info: Any) -> Status:
        if PRE_FILTER_STATE_KEY in state:
            state[PRE_FILTER_STATE_KEY].update_with_pod(pod_info_to_remove.pod, pod, node_info.node, -1)
        return SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        if node_info.node is None:
            return Status(Code.Error, "node not found")
        s = state.get(PRE_FILTER_STATE_KEY)
        if s is None:  # called without PreFilter (a notebook, a test): count here
            s = filtering.cal_pre_filter_state(pod, self.constraints(pod, DO_NOT_SCHEDULE), self._all_nodes())
        reason = filtering.fits(s, pod, node_info)
        if not reason:
            return SUCCESS
        code = (
            Code.UnschedulableAndUnresolvable
            if reason == ERR_REASON_NODE_LABEL_NOT_MATCH
            else Code.Unschedulable
        )
        return Status(code, reason)

    # -- PreScore / Score --------------------------------------------------------------------
    def pre_score(self, state: CycleState, pod: dict, nodes: list) -> Status:
        all_nodes = self._all_nodes()
        if not nodes or not all_nodes:
            return Status(Code.Skip)
        s = scoring.PreScoreState()
        try:
            s.constraints = self.constraints(pod, SCHEDULE_ANYWAY)
        except SelectorParseError as err:
            return Status(
                Code.Error,
                f"calculating preScoreState: obtaining pod's soft topology spread constraints: {err}",
            )
        if not s.constraints:
            return Status(Code.Skip)
        require_all = (
            bool((pod.get("spec") or {}).get("topologySpreadConstraints")) or not self.system_defaulted
        )
        scoring.init_pre_score_state(s, nodes, require_all, self._domain_counts_of(nodes))
        scoring.count_all_nodes(s, pod, all_nodes, require_all, self._domain_counts(pod, s.constraints))
        state[PRE_SCORE_STATE_KEY] = s
        return SUCCESS

    def score(self, state: CycleState, pod: dict, node_info: Any) -> int:
        return scoring.node_score(state[PRE_SCORE_STATE_KEY], pod, node_info)

    def score_nodes(self, state: CycleState, pod: dict, nodes: list) -> list[int]:
        """Score for the nodes PreScore saw, in one pass (the same numbers as ``score``).

        A few nodes (the score cache asks again only for the nodes whose pods changed, usually
        one) are scored one by one: setting up the pass would cost more than that. A simulation
        speed-up; the same numbers."""
        s = state[PRE_SCORE_STATE_KEY]
        if len(nodes) <= FEW_NODES:
            return [scoring.node_score(s, pod, node_info) for node_info in nodes]
        return scoring.node_scores(s, pod, nodes, self._domain_counts_of(nodes))

    def score_key(self, state: CycleState, pod: dict) -> tuple | None:
        """What the score reads besides the node, when that node alone decides it (else None: not
        remembered; see k8slearn.scheduler.score_cache and scoring.node_local_key)."""
        s = state.get(PRE_SCORE_STATE_KEY) if state is not None else None
        if s is None:
            return None
        domains = getattr(getattr(self.handle, "snapshot", None), "domain_counts", None)
        return scoring.node_local_key(s, pod, domains)

    def normalize_score(self, state: CycleState, pod: dict, scores: dict) -> Status:
        s = state.get(PRE_SCORE_STATE_KEY)
        if s is not None:
            scoring.normalize(scores, s.ignored_nodes)
        return SUCCESS

    def normalize_scores(self, state: CycleState, pod: dict, raw: list) -> list:
        """NormalizeScore on the raw scores of the nodes PreScore saw, in their order."""
        s = state.get(PRE_SCORE_STATE_KEY)
        return scoring.normalize_list(s, raw) if s is not None else list(raw)

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        pod_actions = (
            ActionType.Add | ActionType.UpdatePodLabel | ActionType.UpdatePodTolerations | ActionType.Delete
        )
        node_actions = (
            ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint
        )
        return [
            (ClusterEvent(POD, pod_actions), self.is_schedulable_after_pod_change),
            (ClusterEvent(NODE, node_actions), self.is_schedulable_after_node_change),
        ]

    def is_schedulable_after_pod_change(self, pod: dict, old: dict | None, new: dict | None) -> QueueingHint:
        """Only a pod in the same namespace that one of the constraints counts can change a skew."""
        changed = new if new is not None else old
        namespace = (pod.get("metadata") or {}).get("namespace")
        if (changed.get("metadata") or {}).get("namespace") != namespace:
            return QueueingHint.QueueSkip
        if (changed.get("metadata") or {}).get("name") == pod["metadata"].get("name"):
            return QueueingHint.Queue  # the pending pod itself changed
        constraints = self.constraints(pod, DO_NOT_SCHEDULE)
        for obj in (old, new):
            labels = ((obj or {}).get("metadata") or {}).get("labels") or {}
            if obj is not None and any(c.selector.matches(labels) for c in constraints):
                return QueueingHint.Queue
        return QueueingHint.QueueSkip

    def is_schedulable_after_node_change(self, pod: dict, old: dict | None, new: dict | None) -> QueueingHint:
        keys = [c.topology_key for c in self.constraints(pod, DO_NOT_SCHEDULE)]
        for obj in (old, new):
            labels = ((obj or {}).get("metadata") or {}).get("labels") or {}
            if obj is not None and all(k in labels for k in keys):
                return QueueingHint.Queue
        return QueueingHint.QueueSkip
