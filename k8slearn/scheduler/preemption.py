"""Preemption: when no node fits a pod, find lower-priority pods whose removal would make one fit.

The evaluator (used by the DefaultPreemption PostFilter plugin):

1. checks the pod may preempt (``preemptionPolicy: Never`` may not; nor may a pod whose nominated
   node still has a victim terminating);
2. takes the nodes that failed with ``Unschedulable`` (``UnschedulableAndUnresolvable`` nodes —
   a taint, a selector — cannot be helped by evicting pods) and, on a copy of each, removes every
   pod of lower priority, checks the pod fits, then puts back as many as it can: first the pods
   whose eviction would break a PodDisruptionBudget, then the others, most important first. The
   rest are that node's *victims*;
3. picks one node (fewest PDB violations, then the lowest highest-victim priority, the smallest
   sum of priorities, the fewest victims, the latest start time), deletes its victims through the
   API (gracefully, after a ``DisruptionTarget`` condition; event ``Preempted``), and *nominates*
   the node: ``status.nominatedNodeName``. The pod is scheduled in a later cycle, once the victims
   are gone.

If no node has victims the FailedScheduling message says why, per node, after ``preemption:``.

>>> a = {"spec": {"priority": 10}, "status": {"startTime": "2026-01-05T09:00:00Z"}}
>>> b = {"spec": {"priority": 10}, "status": {"startTime": "2026-01-05T09:01:00Z"}}
>>> more_important_pod(a, b), more_important_pod(b, a)
(True, False)

Budgets are a preference, not a guarantee: victims are deleted, not evicted through the Eviction
API, so a node where every choice breaks a budget is still used when it is the best one.

Simplified: no extenders, one victim node.

Upstream: pkg/scheduler/framework/preemption/preemption.go,
pkg/scheduler/util/utils.go (MoreImportantPod, GetEarliestPodStartTime)
"""

from __future__ import annotations

from typing import Any, NamedTuple

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import parse_timestamp, timestamp
from k8slearn.client.events_v1 import EventsRecorder
from k8slearn.scheduler.interface import (
    Code,
    Diagnosis,
    NodeToStatus,
    PostFilterResult,
    Status,
    fit_error_message,
)

ERR_NOT_HELPFUL = "Preemption is not helpful for scheduling"
ERR_NO_CANDIDATE = "no candidate node for preemption"
MAX_INT32 = 2**31 - 1


class Candidate(NamedTuple):
    """A node where preemption would work, and the pods it would evict there (most important first)."""

    name: str
    victims: list  # pod dicts
    num_pdb_violations: int = 0


def pod_priority(pod: dict) -> int:
    return (pod.get("spec") or {}).get("priority") or 0


def start_time(pod: dict) -> float:
    """status.startTime in seconds; a pod that has not started counts as starting now (latest)."""
    value = (pod.get("status") or {}).get("startTime")
    return parse_timestamp(value) if value else float("inf")


def more_important_pod(a: dict, b: dict) -> bool:
    """Higher priority first; equal priority: the one that started earlier."""
    pa, pb = pod_priority(a), pod_priority(b)
    return pa > pb if pa != pb else start_time(a) < start_time(b)


def earliest_start_time_of_top_victims(victims: list) -> float:
    """GetEarliestPodStartTime: among the victims of the highest priority, the earliest start."""
    top = max(pod_priority(p) for p in victims)
    return min(start_time(p) for p in victims if pod_priority(p) == top)


def pick_one_node_for_preemption(candidates: list[Candidate]) -> str:
    """Each rule keeps the candidates with the best score; the next rule breaks the remaining ties."""
    rules = [
        lambda c: -c.num_pdb_violations,
        lambda c: -pod_priority(c.victims[0]),
        lambda c: -sum(pod_priority(p) + MAX_INT32 + 1 for p in c.victims),
        lambda c: -len(c.victims),
        lambda c: earliest_start_time_of_top_victims(c.victims),
    ]
    remaining = list(candidates)
    for rule in rules:
        best = max(rule(c) for c in remaining)
        remaining = [c for c in remaining if rule(c) == best]
        if len(remaining) == 1:
            break
    return remaining[0].name


class Evaluator:
    """Preempt() for one framework; ``plugin`` supplies the policy (victims, eligibility, how many)."""

    def __init__(self, plugin_name: str, handle: Any, plugin: Any) -> None:
        self.plugin_name = plugin_name
        self.handle = handle
        self.plugin = plugin

    def preempt(self, state: Any, pod: dict, node_to_status: NodeToStatus) -> tuple[Any, Status]:
        pods = self.handle.lister("pods")
        meta = pod.get("metadata") or {}
        if not state.dry_run and pods is not None:  # the latest version (a what-if keeps its own pod)
            pod = pods.get(meta.get("name", ""), meta.get("namespace")) or pod
        nominated = (pod.get("status") or {}).get("nominatedNodeName") or ""
        ok, message = self.plugin.pod_eligible_to_preempt_others(
            pod, node_to_status.status_of(nominated) if nominated else None
        )
        if not ok:
            return None, Status(Code.Unschedulable, message)
        all_nodes = self.handle.snapshot.node_info_list
        candidates, statuses = self.find_candidates(state, all_nodes, pod, node_to_status)
        if not candidates:
            diagnosis = Diagnosis()
            diagnosis.node_to_status = statuses
            statuses.absent_status = Status(Code.UnschedulableAndUnresolvable, ERR_NOT_HELPFUL)
            return PostFilterResult(""), Status(
                Code.Unschedulable, fit_error_message(len(all_nodes), diagnosis)
            )
        best = self.select_candidate(candidates)
        if best is None or not best.name:
            return None, Status(Code.Unschedulable, ERR_NO_CANDIDATE)
        if not state.dry_run:
            status = self.prepare_candidate(best, pod)
            if not status.is_success():
                return None, status
        return PostFilterResult(best.name, tuple(best.victims)), Status(Code.Success)

    def find_candidates(
        self, state: Any, all_nodes: list, pod: dict, node_to_status: NodeToStatus
    ) -> tuple[list[Candidate], NodeToStatus]:
        potential = node_to_status.nodes_for_status_code(all_nodes, Code.Unschedulable)
        if not potential:
            if not state.dry_run:
                clear_nominated_node_name(self.handle.client, pod)
            return [], NodeToStatus()
        budgets = self.handle.lister("poddisruptionbudgets")
        pdbs = budgets.list() if budgets is not None else []
        offset, count = self.plugin.get_offset_and_num_candidates(len(potential))
        return self.dry_run_preemption(state, pod, potential, pdbs, offset, count)

    def dry_run_preemption(
        self, state: Any, pod: dict, potential: list, pdbs: list, offset: int, count: int
    ) -> tuple[list[Candidate], NodeToStatus]:
        """Try each potential node in turn (from ``offset``) until ``count`` candidates are found."""
        candidates: list[Candidate] = []
        statuses = NodeToStatus()
        for i in range(len(potential)):
            node_copy = potential[(offset + i) % len(potential)].snapshot()
            victims, violations, status = self.plugin.select_victims_on_node(state.clone(), pod, node_copy, pdbs)
            if status.is_success() and victims:
                candidates.append(Candidate(node_copy.name, victims, violations))
                if len(candidates) >= count:
                    break
                continue
            if status.is_success():
                status = Status(Code.Error, f'expected at least one victim pod on node "{node_copy.name}"')
            statuses.set(node_copy.name, status)
        return candidates, statuses

    def select_candidate(self, candidates: list[Candidate]) -> Candidate | None:
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        name = pick_one_node_for_preemption(candidates)
        return next(c for c in candidates if c.name == name)

    def prepare_candidate(self, candidate: Candidate, pod: dict) -> Status:
        """Evict the victims (DisruptionTarget condition, graceful delete, Preempted event) and clear
        the nominations of lower-priority pods to this node."""
        client, recorder = self.handle.client, self.handle.recorder
        scheduler_name = (pod.get("spec") or {}).get("schedulerName") or "default-scheduler"
        uid = (pod.get("metadata") or {}).get("uid", "")
        now = self.handle.clock() if self.handle.clock is not None else 0.0
        for victim in candidate.victims:
            meta = victim["metadata"]
            condition = {
                "type": "DisruptionTarget",
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": timestamp(now),
                "reason": "PreemptionByScheduler",
                "message": f"{scheduler_name}: preempting to accommodate a higher priority pod",
            }
            try:
                client.patch(
                    "pods",
                    meta["name"],
                    {"status": {"conditions": [condition]}},
                    meta.get("namespace", "default"),
                    subresource="status",
                )
                client.delete("pods", meta["name"], meta.get("namespace", "default"))
            except ApiError as err:
                if err.code != 404:
                    return Status(Code.Error, str(err))
            if recorder is not None:
                # about the victim, related to the preemptor (an events.k8s.io recorder has a field for it)
                related = {"related": pod} if isinstance(recorder, EventsRecorder) else {}
                recorder.event(
                    victim,
                    "Normal",
                    "Preempted",
                    f"Preempted by pod {uid} on node {candidate.name}",
                    action="Preempting",
                    **related,
                )
        priority = pod_priority(pod)
        for info in self.handle.nominated_pods_for_node(candidate.name):
            if info.priority < priority:
                clear_nominated_node_name(client, info.pod)
        return Status(Code.Success)


def clear_nominated_node_name(client: Any, pod: dict) -> None:
    """ClearNominatedNodeName: patch ``status.nominatedNodeName`` away (if it was set)."""
    if client is None or not (pod.get("status") or {}).get("nominatedNodeName"):
        return
    meta = pod["metadata"]
    try:
        client.patch(
            "pods",
            meta["name"],
            {"status": {"nominatedNodeName": None}},
            meta.get("namespace", "default"),
            patch_type="merge",
            subresource="status",
        )
    except ApiError:
        pass
