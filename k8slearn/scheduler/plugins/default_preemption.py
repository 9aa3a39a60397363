"""DefaultPreemption: the PostFilter that evicts lower-priority pods to make room (see :mod:`..preemption`).

This file holds the policy: who may preempt, which pods on a node are the victims, and how many
candidate nodes to look at (10% of the nodes that could be helped, at least 100).

>>> plugin = DefaultPreemption()
>>> plugin.calculate_num_candidates(50), plugin.calculate_num_candidates(5000)
(50, 500)
>>> plugin.pod_eligible_to_preempt_others({"spec": {"preemptionPolicy": "Never"}}, None)
(False, 'not eligible due to preemptionPolicy=Never.')

Upstream: pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from k8slearn.api import field
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, NodeToStatus, Status
from k8slearn.scheduler.preemption import Evaluator, more_important_pod, pod_priority

NAME = "DefaultPreemption"
ERR_NO_VICTIMS = "No preemption victims found for incoming pod"
ERR_PREEMPTION_POLICY_NEVER = "not eligible due to preemptionPolicy=Never."
ERR_TERMINATING_ON_NOMINATED = "not eligible due to a terminating pod on the nominated node."
DEFAULT_MIN_CANDIDATE_NODES_PERCENTAGE = 10
DEFAULT_MIN_CANDIDATE_NODES_ABSOLUTE = 100


def validate_args(args: dict) -> list:
    """ValidateDefaultPreemptionArgs."""
    errs = []
    pct = args.get("minCandidateNodesPercentage", DEFAULT_MIN_CANDIDATE_NODES_PERCENTAGE)
    absolute = args.get("minCandidateNodesAbsolute", DEFAULT_MIN_CANDIDATE_NODES_ABSOLUTE)
    if not 0 <= pct <= 100:
        errs.append(field.invalid("minCandidateNodesPercentage", pct, "not in valid range [0, 100]"))
    if absolute < 0:
        errs.append(field.invalid("minCandidateNodesAbsolute", absolute, "not in valid range [0, inf)"))
    if pct == 0 and absolute == 0:
        errs.append(
            field.invalid(
                "minCandidateNodesPercentage",
                pct,
                "cannot be zero at the same time as minCandidateNodesAbsolute",
            )
        )
        errs.append(
            field.invalid(
                "minCandidateNodesAbsolute",
                absolute,
                "cannot be zero at the same time as minCandidateNodesPercentage",
            )
        )
    return errs


def terminating_by_preemption(pod: dict) -> bool:
    """Being deleted, with the DisruptionTarget condition the scheduler sets on its victims."""
    if not (pod.get("metadata") or {}).get("deletionTimestamp"):
        return False
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "DisruptionTarget":
            return c.get("status") == "True" and c.get("reason") == "PreemptionByScheduler"
    return False


class DefaultPreemption:
    """PostFilter."""

    name = NAME

    def __init__(self, handle: Any = None, args: dict | None = None) -> None:
        self.handle = handle
        args = args or {}
        errs = validate_args(args)
        if errs:
            raise ValueError(field.aggregate(errs))
        self.min_candidate_nodes_percentage = args.get(
            "minCandidateNodesPercentage", DEFAULT_MIN_CANDIDATE_NODES_PERCENTAGE
        )
        self.min_candidate_nodes_absolute = args.get(
            "minCandidateNodesAbsolute", DEFAULT_MIN_CANDIDATE_NODES_ABSOLUTE
        )
        self.evaluator = Evaluator(NAME, handle, self)

    def post_filter(self, state: CycleState, pod: dict, node_to_status: NodeToStatus) -> tuple[Any, Status]:
        result, status = self.evaluator.preempt(state, pod, node_to_status)
        if status.message():
            return result, Status(status.code, "preemption: " + status.message())
        return result, status

    # -- the policy --------------------------------------------------------------------------
    def pod_eligible_to_preempt_others(
        self, pod: dict, nominated_node_status: Status | None
    ) -> tuple[bool, str]:
        if (pod.get("spec") or {}).get("preemptionPolicy") == "Never":
            return False, ERR_PREEMPTION_POLICY_NEVER
        nominated = (pod.get("status") or {}).get("nominatedNodeName")
        if nominated:
            if (
                nominated_node_status is not None
                and nominated_node_status.code is Code.UnschedulableAndUnresolvable
            ):
                return True, ""  # the nominated node cannot take it any more: preempt elsewhere
            snapshot = getattr(self.handle, "snapshot", None)
            node_info = snapshot.get(nominated) if snapshot is not None else None
            priority = pod_priority(pod)
            for p in node_info.pods.values() if node_info is not None else ():
                if pod_priority(p.pod) < priority and terminating_by_preemption(p.pod):
                    return False, ERR_TERMINATING_ON_NOMINATED
        return True, ""

    def calculate_num_candidates(self, num_nodes: int) -> int:
        n = num_nodes * self.min_candidate_nodes_percentage // 100
        return min(max(n, self.min_candidate_nodes_absolute), num_nodes)

    def get_offset_and_num_candidates(self, num_nodes: int) -> tuple[int, int]:
        """A random start (from the cluster's seeded RNG), and how many candidates to find."""
        rng = getattr(self.handle, "rng", None)
        offset = rng.randrange(num_nodes) if rng is not None else 0
        return offset, self.calculate_num_candidates(num_nodes)

    def select_victims_on_node(
        self, state: CycleState, pod: dict, node_info: Any, pdbs: Sequence[dict] = ()
    ) -> tuple[list, int, Status]:
        """Remove every lower-priority pod; if the pod then fits, put back as many as possible: first
        the pods whose eviction would break a PodDisruptionBudget, then the others, each group most
        important first. Works on copies (``node_info``, ``state``); returns (victims, the number of
        victims that break a budget, status)."""
        fwk = self.handle.framework
        priority = pod_priority(pod)
        potential = [p for p in node_info.pods.values() if pod_priority(p.pod) < priority]
        for p in potential:
            self._remove(fwk, state, pod, p, node_info)
        if not potential:
            return [], 0, Status(Code.UnschedulableAndUnresolvable, ERR_NO_VICTIMS)
        status = fwk.run_filter_plugins_with_nominated_pods(state, pod, node_info)
        if not status.is_success():
            return [], 0, status
        potential.sort(key=_importance)
        violating, non_violating = filter_pods_with_pdb_violation(potential, pdbs)
        victims: list[dict] = []
        num_violating_victims = 0
        for group in (violating, non_violating):
            for p in group:
                node_info.add_pod_info(p)
                fwk.run_pre_filter_extension_add_pod(state, pod, p, node_info)
                if not fwk.run_filter_plugins_with_nominated_pods(state, pod, node_info).is_success():
                    self._remove(fwk, state, pod, p, node_info)
                    victims.append(p.pod)
                    num_violating_victims += group is violating
        if violating and non_violating:  # keep the victims most important first
            victims.sort(key=_Importance)
        return victims, num_violating_victims, SUCCESS

    @staticmethod
    def _remove(fwk: Any, state: CycleState, pod: dict, pod_info: Any, node_info: Any) -> None:
        node_info.remove_pod(pod_info.key)
        fwk.run_pre_filter_extension_remove_pod(state, pod, pod_info, node_info)


class _Importance:
    """Sort key: more important pods first (MoreImportantPod)."""

    __slots__ = ("pod",)

    def __init__(self, pod: dict) -> None:
        self.pod = pod

    def __lt__(self, other: _Importance) -> bool:
        return more_important_pod(self.pod, other.pod)


def _importance(pod_info: Any) -> _Importance:
    return _Importance(pod_info.pod)


def filter_pods_with_pdb_violation(pod_infos: list, pdbs: Sequence[dict]) -> tuple[list, list]:
    """Split the would-be victims (kept in their order) into those whose eviction would break a
    PodDisruptionBudget and the rest. Each budget allows ``status.disruptionsAllowed`` evictions;
    every pod it selects uses one up, in order, and a pod that takes a budget below zero breaks it.
    A pod already in the budget's ``disruptedPods`` was counted by the API server and uses none; a
    budget with an empty selector selects nothing here.

    >>> from types import SimpleNamespace as Info
    >>> web = [Info(pod={"metadata": {"name": f"web-{i}", "namespace": "default", "labels": {"app": "web"}}})
    ...        for i in range(3)]
    >>> pdb = {"metadata": {"namespace": "default"}, "spec": {"selector": {"matchLabels": {"app": "web"}}},
    ...        "status": {"disruptionsAllowed": 1}}
    >>> [[i.pod["metadata"]["name"] for i in group] for group in filter_pods_with_pdb_violation(web, [pdb])]
    [['web-1', 'web-2'], ['web-0']]
    """
    allowed = [(pdb.get("status") or {}).get("disruptionsAllowed") or 0 for pdb in pdbs]
    selectors = []
    for pdb in pdbs:
        try:
            selectors.append(selector_from_label_selector((pdb.get("spec") or {}).get("selector")))
        except ValueError:  # an invalid selector matches no pod
            selectors.append(None)
    violating, non_violating = [], []
    for info in pod_infos:
        meta = info.pod.get("metadata") or {}
        labels = meta.get("labels")
        violated = False
        for i, pdb in enumerate(pdbs if labels else ()):  # a pod without labels matches no budget
            selector = selectors[i]
            if (pdb.get("metadata") or {}).get("namespace") != meta.get("namespace"):
                continue
            if selector is None or selector.empty() or not selector.matches(labels):
                continue
            if meta.get("name") in ((pdb.get("status") or {}).get("disruptedPods") or {}):
                continue  # already being evicted: the API server counted it
            allowed[i] -= 1
            if allowed[i] < 0:
                violated = True
        (violating if violated else non_violating).append(info)
    return violating, non_violating
