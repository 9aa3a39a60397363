"""NodePorts: host ports in use, 0.0.0.0 against specific addresses, protocols, PreFilter skip."""

import pytest
from scheduler_builders import MiniCluster, node, node_info, pod

from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.node_ports import NodePorts, check_conflict


@pytest.mark.parametrize(
    "used, wanted, expected",
    [
        ({}, ("0.0.0.0", "TCP", 8080), False),
        ({"0.0.0.0": {("TCP", 8080)}}, ("0.0.0.0", "TCP", 8080), True),
        ({"0.0.0.0": {("TCP", 8080)}}, ("0.0.0.0", "UDP", 8080), False),
        ({"0.0.0.0": {("TCP", 8080)}}, ("10.0.0.1", "TCP", 8080), True),
        ({"10.0.0.1": {("TCP", 8080)}}, ("0.0.0.0", "TCP", 8080), True),
        ({"10.0.0.1": {("TCP", 8080)}}, ("10.0.0.2", "TCP", 8080), False),
        ({"10.0.0.1": {("TCP", 8080)}}, ("", "", 8080), True),
        ({"0.0.0.0": {("TCP", 8080)}}, ("0.0.0.0", "TCP", 0), False),
    ],
    ids=[
        "a free port does not conflict",
        "the same port and protocol on all addresses conflicts",
        "the same port with another protocol does not conflict",
        "a port on all addresses blocks it on every specific address",
        "a port on one address blocks the same port on all addresses",
        "the same port on two different addresses does not conflict",
        "an empty host IP and protocol mean 0.0.0.0 and TCP",
        "port 0 never conflicts",
    ],
)
def test_check_conflict(used, wanted, expected):
    assert check_conflict(used, *wanted) is expected


def test_a_pod_without_host_ports_skips_the_plugin():
    assert NodePorts().pre_filter(CycleState(), pod()) == Status(Code.Skip)


def test_a_node_whose_host_port_is_taken_is_filtered_out_with_the_upstream_reason():
    plugin, state, p = NodePorts(), CycleState(), pod("web", host_port=80)
    plugin.pre_filter(state, p)
    busy = node_info(node("node-1"), pod("old", host_port=80))
    assert plugin.filter(state, p, busy) == Status(
        Code.Unschedulable, "node(s) didn't have free ports for the requested pod ports"
    )
    assert plugin.filter(state, p, node_info(node("node-2"))) is SUCCESS


def test_two_pods_wanting_the_same_host_port_land_on_different_nodes_and_a_third_waits():
    c = MiniCluster(workers=2)
    for i in range(3):
        c.create(pod(f"web-{i}", host_port=8080))
    c.settle()
    assert sorted(c.node_of(f"web-{i}") for i in range(3)) == ["", "node-1", "node-2"]
    pending = next(f"web-{i}" for i in range(3) if not c.node_of(f"web-{i}"))
    assert c.events(pending)[-1][2] == (
        "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: "
        "0/2 nodes are available: 2 No preemption victims found for incoming pod."
    )


def test_a_deleted_pod_frees_its_host_port_for_the_waiting_one():
    c = MiniCluster(workers=1)
    c.create(pod("first", host_port=8080))
    c.settle()
    c.create(pod("second", host_port=8080))
    c.settle()
    assert c.node_of("second") == ""
    c.api.delete("pods", "first", "default", grace_period_seconds=0)
    c.settle()
    assert c.node_of("second") == "node-1"
