"""NodeUnschedulable: a cordoned node (``spec.unschedulable: true``) takes no new pods...

...unless the pod tolerates the ``node.kubernetes.io/unschedulable:NoSchedule`` taint (DaemonSet
pods do).

>>> cordoned = {"spec": {"unschedulable": True}}
>>> is_schedulable({"spec": {}}, cordoned)
False
>>> tolerate = {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}
>>> is_schedulable({"spec": {"tolerations": [tolerate]}}, cordoned)
True

Upstream: pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.events import NODE, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.taint_toleration import tolerations, tolerations_tolerate_taint

NAME = "NodeUnschedulable"
ERR_REASON_UNKNOWN_CONDITION = "node(s) had unknown conditions"
ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable"
TAINT_NODE_UNSCHEDULABLE = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}


def is_schedulable(pod: dict, node: dict) -> bool:
    """The predicate: the node is not cordoned, or the pod tolerates the cordon."""
    if not (node.get("spec") or {}).get("unschedulable"):
        return True
    return tolerations_tolerate_taint(tolerations(pod), TAINT_NODE_UNSCHEDULABLE)


class NodeUnschedulable:
    """Filter."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        if not node_info.unschedulable and node_info.node is not None:  # the common case, quickly
            return SUCCESS
        if node_info.node is None:
            return Status(Code.UnschedulableAndUnresolvable, ERR_REASON_UNKNOWN_CONDITION)
        if is_schedulable(pod, node_info.node):
            return SUCCESS
        return Status(Code.UnschedulableAndUnresolvable, ERR_REASON_UNSCHEDULABLE)

    def filter_nodes(self, state: CycleState, pod: dict, nodes: list) -> list | None:
        """Filter for a whole list at once (None: every node passes); same verdicts as ``filter``."""
        snapshot = getattr(self.handle, "snapshot", None)
        if (
            snapshot is not None
            and snapshot.num_unschedulable == 0
            and nodes
            and nodes[0] is snapshot.get(nodes[0].name)
        ):
            return None  # no node of the cycle's snapshot is cordoned
        odd = [i for i, n in enumerate(nodes) if n.unschedulable or n.node is None]
        if not odd:
            return None
        results = [SUCCESS] * len(nodes)
        for i in odd:
            results[i] = self.filter(state, pod, nodes[i])
        return results

    def events_to_register(self) -> list:
        return [
            (
                ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeTaint),
                self.is_schedulable_after_node_change,
            )
        ]

    def is_schedulable_after_node_change(self, pod: dict, old: dict | None, new: dict) -> QueueingHint:
        was_blocked = old is None or not is_schedulable(pod, old)
        return QueueingHint.Queue if was_blocked and is_schedulable(pod, new) else QueueingHint.QueueSkip
