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


_RESTART = ["Starting", "NodeAllocatableEnforced", "NodeHasSufficientMemory", "NodeHasNoDiskPressure",
            "NodeHasSufficientPID", "Rebooted", "NodeNotReady", "NodeReady"]


@pytest.mark.parametrize("off_for, expected, pressure_count", [
    (20, _RESTART, 1),
    (120, _RESTART, 2),
], ids=["a machine back before the grace period posts not ready (network not yet up), then ready",
        "a machine back after its node went Unknown also re-records the pressure events, counted twice"])
def test_a_restarted_kubelet_reports_not_ready_then_ready(off_for, expected, pressure_count):
    """initialNode's setters record the pressure events; the first status update's MachineInfo setter
    then records Rebooted, the pressure setters record again any condition the controller set Unknown
    (the same Event, count 2), and the Ready setter NodeNotReady / NodeReady."""
    from k8slearn.api.meta import timestamp

    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    cluster.stop_node("node-2")
    cluster.run(off_for)
    back = timestamp(cluster.now)
    cluster.start_node("node-2")
    cluster.run(15)
    assert _kubelet_events(cluster, "node-2", back) == expected
    counts = {e["reason"]: e["count"] for e in cluster.api.list("events")
              if e["involvedObject"]["name"] == "node-2" and e["lastTimestamp"] >= back}
    assert [counts[r] for r in ("NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID")] == \
        [pressure_count] * 3
    assert counts["Rebooted"] == 1


@pytest.mark.parametrize("previous, events", [
    (None, ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"]),
    ([{"type": t, "status": "Unknown"} for t in ("MemoryPressure", "DiskPressure", "PIDPressure")],
     ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"]),
    ([{"type": t, "status": "False"} for t in ("MemoryPressure", "DiskPressure", "PIDPressure")], []),
], ids=["a node without conditions (initialNode) gets all three pressure events",
        "conditions the controller set Unknown get their events again",
        "conditions already False get no event"])
def test_pressure_events_are_recorded_when_a_condition_turns_false(previous, events):
    from k8slearn.kubelet.node_status import pressure_events

    assert pressure_events(previous) == events


@pytest.mark.parametrize("before, now, message", [
    ("boot-1", "boot-2", "Node node-1 has been rebooted, boot id: boot-2"),
    ("boot-1", "boot-1", ""),
    ("", "boot-1", ""),
], ids=["a new boot ID is a reboot", "the same boot ID is no reboot", "a node registering has no boot ID yet"])
def test_rebooted_is_recorded_only_when_the_boot_id_changed(before, now, message):
    from k8slearn.kubelet.node_status import rebooted_message

    assert rebooted_message("node-1", before, now) == message


def test_a_first_start_reports_ready_without_a_not_ready_event():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    reasons = _kubelet_events(cluster, "node-1", "")
    assert "NodeReady" in reasons and "NodeNotReady" not in reasons
