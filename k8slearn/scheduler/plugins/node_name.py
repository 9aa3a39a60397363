"""NodeName: a pod that names a node in ``spec.nodeName`` fits only that node.

(A pod created with ``nodeName`` already set never reaches the scheduler at all: it is
"assigned" and goes straight to that node's kubelet. This check matters for pods whose
nodeName is set by an earlier plugin or webhook, and it is the reference example of a Filter.)

>>> fits({"spec": {"nodeName": "node-2"}}, {"metadata": {"name": "node-1"}})
False
>>> fits({"spec": {}}, {"metadata": {"name": "node-1"}})
True

Upstream: pkg/scheduler/framework/plugins/nodename/node_name.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.events import NODE, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status

NAME = "NodeName"
ERR_REASON = "node(s) didn't match the requested node name"


def fits(pod: dict, node: dict) -> bool:
    """The predicate: no node requested, or this is the one."""
    wanted = pod["spec"].get("nodeName")
    return not wanted or wanted == node["metadata"]["name"]


class NodeName:
    """Filter."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        if fits(pod, node_info.node):
            return SUCCESS
        return Status(Code.UnschedulableAndUnresolvable, ERR_REASON)

    def filter_nodes(self, state: CycleState, pod: dict, nodes: list) -> list | None:
        """Filter for a whole list at once (None: every node passes): a pod without nodeName fits all."""
        if not (pod.get("spec") or {}).get("nodeName"):
            return None
        return [self.filter(state, pod, n) for n in nodes]

    def events_to_register(self) -> list:
        return [(ClusterEvent(NODE, ActionType.Add), self.is_schedulable_after_node_add)]

    def is_schedulable_after_node_add(self, pod: dict, old: Any, new: dict) -> QueueingHint:
        return QueueingHint.Queue if fits(pod, new) else QueueingHint.QueueSkip
