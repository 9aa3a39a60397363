"""TaintToleration: a node's taints keep away every pod that does not tolerate them.

Filter looks only at ``NoSchedule`` and ``NoExecute`` taints; Score counts the
``PreferNoSchedule`` taints the pod does not tolerate (fewer is better).

>>> taint = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
>>> tolerates_taint({"key": "dedicated", "operator": "Equal", "value": "gpu"}, taint)
True
>>> tolerates_taint({"operator": "Exists"}, taint)          # empty key + Exists tolerates everything
True
>>> tolerates_taint({"key": "dedicated", "value": "gpu", "effect": "NoExecute"}, taint)
False
>>> untolerated_taint({"spec": {}}, {"spec": {"taints": [taint]}})
{'key': 'dedicated', 'value': 'gpu', 'effect': 'NoSchedule'}

Upstream: pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go,
staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint), pkg/apis/core/v1/helper/helpers.go
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from k8slearn.api.taints import (  # noqa: F401 -- the predicates, shared with the controllers
    NO_EXECUTE,
    NO_SCHEDULE,
    PREFER_NO_SCHEDULE,
    do_not_schedule,
    find_matching_untolerated_taint,
    tolerates_taint,
    tolerations_tolerate_taint,
)
from k8slearn.scheduler.events import NODE, POD, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.helper import default_normalize_score, default_normalize_scores

NAME = "TaintToleration"
PRE_SCORE_STATE_KEY = "PreScore" + NAME
ERR_REASON_UNTOLERATED = "node(s) had untolerated taint {%s: %s}"


def tolerations(pod: dict) -> list:
    return (pod.get("spec") or {}).get("tolerations") or []


def untolerated_taint(pod: dict, node: dict) -> dict | None:
    """The predicate: the NoSchedule/NoExecute taint that keeps ``pod`` off ``node``, or None."""
    return find_matching_untolerated_taint((node.get("spec") or {}).get("taints") or (), tolerations(pod))


def fits(pod: dict, node: dict) -> bool:
    return untolerated_taint(pod, node) is None


def count_intolerable_taints_prefer_no_schedule(taints: Iterable[dict], tolerations: Iterable[dict]) -> int:
    tolerations = list(tolerations)
    return sum(
        1
        for t in taints
        if t.get("effect") == PREFER_NO_SCHEDULE and not tolerations_tolerate_taint(tolerations, t)
    )


class TaintToleration:
    """Filter, PreScore, Score, NormalizeScore (score weight 3 in the default profile)."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        if not node_info.taints:  # most nodes have no taints at all
            return SUCCESS
        taint = find_matching_untolerated_taint(node_info.taints, tolerations(pod))
        if taint is None:
            return SUCCESS
        return Status(
            Code.UnschedulableAndUnresolvable,
            ERR_REASON_UNTOLERATED % (taint.get("key", ""), taint.get("value") or ""),
        )

    def filter_nodes(self, state: CycleState, pod: dict, nodes: list) -> list | None:
        """Filter for a whole list at once (None: every node passes); same verdicts as ``filter``."""
        if self._untainted(nodes):
            return None
        tainted = [i for i, n in enumerate(nodes) if n.taints]
        if not tainted:
            return None
        results = [SUCCESS] * len(nodes)
        for i in tainted:
            results[i] = self.filter(state, pod, nodes[i])
        return results

    def _untainted(self, nodes: list) -> bool:
        """True when these nodes come from the cycle's snapshot and no node in it has a taint."""
        snapshot = getattr(self.handle, "snapshot", None)
        return (
            snapshot is not None
            and snapshot.num_tainted == 0
            and bool(nodes)
            and nodes[0] is snapshot.get(nodes[0].name)
        )

    def pre_score(self, state: CycleState, pod: dict, nodes: list) -> Status:
        # Only tolerations that can match a PreferNoSchedule taint matter for scoring.
        state[PRE_SCORE_STATE_KEY] = [
            t for t in tolerations(pod) if (t.get("effect") or "") in ("", PREFER_NO_SCHEDULE)
        ]
        return SUCCESS

    def score(self, state: CycleState, pod: dict, node_info: Any) -> int:
        if not node_info.taints:
            return 0
        tolerations_ = state[PRE_SCORE_STATE_KEY] if PRE_SCORE_STATE_KEY in state else tolerations(pod)
        return count_intolerable_taints_prefer_no_schedule(node_info.taints, tolerations_)

    def score_nodes(self, state: CycleState, pod: dict, nodes: list) -> list[int]:
        """Score for a whole list at once; same numbers as ``score``."""
        scores = [0] * len(nodes)
        if self._untainted(nodes):
            return scores
        for i, n in enumerate(nodes):
            if n.taints:
                scores[i] = self.score(state, pod, n)
        return scores

    def normalize_scores(self, state: CycleState, pod: dict, scores: list) -> list:
        """NormalizeScore on a list (what the framework calls; same numbers as ``normalize_score``)."""
        return default_normalize_scores(100, True, scores)

    def normalize_score(self, state: CycleState, pod: dict, scores: dict) -> Status:
        default_normalize_score(100, True, scores)  # more untolerated taints = lower score
        return SUCCESS

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        return [
            (
                ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeTaint),
                self.is_schedulable_after_node_change,
            ),
            (
                ClusterEvent(POD, ActionType.UpdatePodTolerations),
                self.is_schedulable_after_pod_toleration_change,
            ),
        ]

    def is_schedulable_after_node_change(self, pod: dict, old: dict | None, new: dict) -> QueueingHint:
        """Queue the pod only if the node went from untolerated to tolerated."""
        was_untolerated = old is None or untolerated_taint(pod, old) is not None
        if was_untolerated and untolerated_taint(pod, new) is None:
            return QueueingHint.Queue
        return QueueingHint.QueueSkip

    def is_schedulable_after_pod_toleration_change(
        self, pod: dict, old: dict | None, new: dict | None
    ) -> QueueingHint:
        """Queue the pod only if it got a new toleration itself (another pod's tolerations cannot help
        it). Validation lets tolerations only be added, so comparing their number is enough."""
        if old is None or new is None or _uid(new) != _uid(pod):
            return QueueingHint.QueueSkip
        if len(tolerations(old)) != len(tolerations(new)):
            return QueueingHint.Queue
        return QueueingHint.QueueSkip


def _uid(pod: dict) -> str | None:
    return (pod.get("metadata") or {}).get("uid")
