"""SchedulingGates: a pod with ``spec.schedulingGates`` waits outside the active queue until they are gone.

>>> waiting_message({"spec": {"schedulingGates": [{"name": "example.com/quota"}]}})
'waiting for scheduling gates: [example.com/quota]'
>>> waiting_message({"spec": {}})
''

Upstream: pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.events import POD, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, Status

NAME = "SchedulingGates"
WAITING_MSG = "waiting for scheduling gates: [%s]"


def waiting_message(pod: dict) -> str:
    """The predicate, as text: why the pod is held back ("" when it has no gates)."""
    gates = (pod.get("spec") or {}).get("schedulingGates") or []
    return WAITING_MSG % " ".join(g.get("name", "") for g in gates) if gates else ""


class SchedulingGates:
    """PreEnqueue."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def pre_enqueue(self, pod: dict) -> Status:
        message = waiting_message(pod)
        return Status(Code.UnschedulableAndUnresolvable, message) if message else SUCCESS

    def events_to_register(self) -> list:
        return [
            (
                ClusterEvent(POD, ActionType.UpdatePodSchedulingGatesEliminated),
                self.is_schedulable_after_update,
            )
        ]

    def is_schedulable_after_update(self, pod: dict, old: Any, new: Any) -> QueueingHint:
        same = new is not None and (new.get("metadata") or {}).get("name") == pod["metadata"].get("name")
        return QueueingHint.Queue if same and not waiting_message(new) else QueueingHint.QueueSkip
