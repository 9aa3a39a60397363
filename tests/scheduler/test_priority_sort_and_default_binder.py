"""PrioritySort (the queue order) and DefaultBinder (the Binding through the API)."""

from types import SimpleNamespace

import pytest
from scheduler_builders import MiniCluster, pod

from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Handle
from k8slearn.scheduler.plugins.default_binder import DefaultBinder
from k8slearn.scheduler.plugins.priority_sort import PrioritySort


def queued(priority=None, timestamp=0.0):
    return SimpleNamespace(pod=pod(priority=priority), timestamp=timestamp)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (queued(1000), queued(0), True),
        (queued(0), queued(1000), False),
        (queued(None), queued(-5), True),
        (queued(5, timestamp=1.0), queued(5, timestamp=2.0), True),
        (queued(5, timestamp=2.0), queued(5, timestamp=1.0), False),
        (queued(5, timestamp=1.0), queued(5, timestamp=1.0), False),
    ],
    ids=[
        "a higher priority goes first",
        "a lower priority goes after",
        "no priority counts as 0, above a negative one",
        "with equal priority the earlier timestamp goes first",
        "with equal priority the later timestamp goes after",
        "equal priority and timestamp: neither goes first (the queue keeps arrival order)",
    ],
)
def test_priority_sort_less(a, b, expected):
    assert PrioritySort().less(a, b) is expected


def test_default_binder_binds_through_the_api_and_reports_api_errors():
    c = MiniCluster(workers=1, start=False)
    c.create(pod("web"))
    binder = DefaultBinder(Handle(client=c.server.client("kube-scheduler")))
    assert binder.bind(CycleState(), pod("web"), "node-1") is SUCCESS
    assert c.node_of("web") == "node-1"
    again = binder.bind(CycleState(), pod("web"), "node-1")
    assert again.code is Code.Error
    assert again.message() == (
        'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"'
    )
