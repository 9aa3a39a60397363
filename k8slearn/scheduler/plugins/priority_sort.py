"""PrioritySort: the queue order. Higher ``spec.priority`` first; equal priority, earlier first.

>>> from types import SimpleNamespace as Queued
>>> high = Queued(pod={"spec": {"priority": 1000}}, timestamp=5.0)
>>> low_but_older = Queued(pod={"spec": {}}, timestamp=1.0)
>>> PrioritySort().less(high, low_but_older), PrioritySort().less(low_but_older, high)
(True, False)

Upstream: pkg/scheduler/framework/plugins/queuesort/priority_sort.go
"""

from __future__ import annotations

from typing import Any

NAME = "PrioritySort"


def pod_priority(pod: dict) -> int:
    """spec.priority (set by the Priority admission plugin from the PriorityClass); 0 if unset."""
    return (pod.get("spec") or {}).get("priority") or 0


class PrioritySort:
    """QueueSort plugin."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def less(self, a: Any, b: Any) -> bool:
        """Should queued pod ``a`` be tried before ``b``?"""
        p1, p2 = pod_priority(a.pod), pod_priority(b.pod)
        return p1 > p2 or (p1 == p2 and a.timestamp < b.timestamp)

    def sort_key(self, queued: Any) -> tuple:
        """The same order as ``less``, as a key: (-priority, timestamp)."""
        return -pod_priority(queued.pod), queued.timestamp
