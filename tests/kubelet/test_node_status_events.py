"""The kubelet's node events: the ReadyCondition setter's NodeReady / NodeNotReady, under the kubelet's nodeRef."""

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.node_status import ready_event


def _kubelet_events(cluster, node, since):
    return [e["reason"] for e in sorted(cluster.api.list("events"), key=lambda e: e["metadata"]["name"])
            if e["involvedObject"]["name"] == node and e["source"]["component"] == "kubelet"
            and e["lastTimestamp"] >= since]


@pytest.mark.parametrize("before, after, event", [
    ("True", "False", "NodeNotReady"),
    ("Unknown", "False", "NodeNotReady"),
    ("False", "True", "NodeReady"),
    ("Unknown", "True", "NodeReady"),
    ("True", "True", ""),
    (None, "False", ""),
], ids=["a ready node posted not ready gets NodeNotReady",
        "a node the controller marked Unknown, posted not ready, gets NodeNotReady",
        "a not-ready node posted ready gets NodeReady",
        "a node the controller marked Unknown, posted ready, gets NodeReady",
        "an unchanged Ready status gets no event",
        "a node without a Ready condition yet gets no event"])
def test_ready_event_is_recorded_only_when_the_posted_ready_status_changes(before, after, event):
    previous = None if before is None else [{"type": "Ready", "status": before}]
    assert ready_event(previous, [{"type": "Ready", "status": after}]) == event


@pytest.mark.parametrize("off_for, expected", [
    (20, ["Starting", "NodeAllocatableEnforced", "Rebooted", "NodeHasSufficientMemory", "NodeHasNoDiskPressure",
          "NodeHasSufficientPID", "NodeNotReady", "NodeReady"]),
    (120, ["Starting", "NodeAllocatableEnforced", "Rebooted", "NodeHasSufficientMemory", "NodeHasNoDiskPressure",
           "NodeHasSufficientPID", "NodeNotReady", "NodeReady"]),
], ids=["a machine back before the grace period posts not ready (network not yet up), then ready",
        "a machine back after its node went Unknown does the same"])
def test_a_restarted_kubelet_reports_not_ready_then_ready(off_for, expected):
    from k8slearn.api.meta import timestamp

    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    cluster.stop_node("node-2")
    cluster.run(off_for)
    back = timestamp(cluster.now)
    cluster.start_node("node-2")
    cluster.run(15)
    assert _kubelet_events(cluster, "node-2", back) == expected


def test_a_first_start_reports_ready_without_a_not_ready_event():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    reasons = _kubelet_events(cluster, "node-1", "")
    assert "NodeReady" in reasons and "NodeNotReady" not in reasons
