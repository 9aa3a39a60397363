"""NodeUnschedulable and NodeName: their Filter verdicts and reason texts."""

import pytest
from scheduler_builders import node, node_info, pod, toleration

from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.node_info import NodeInfo
from k8slearn.scheduler.plugins.node_name import NodeName
from k8slearn.scheduler.plugins.node_unschedulable import NodeUnschedulable

UNSCHEDULABLE = Status(Code.UnschedulableAndUnresolvable, "node(s) were unschedulable")


@pytest.mark.parametrize(
    "n, p, expected",
    [
        (node(), pod(), SUCCESS),
        (node(unschedulable=True), pod(), UNSCHEDULABLE),
        (
            node(unschedulable=True),
            pod(tolerations=[toleration("node.kubernetes.io/unschedulable", "Exists", effect="NoSchedule")]),
            SUCCESS,
        ),
        (node(unschedulable=True), pod(tolerations=[toleration(operator="Exists")]), SUCCESS),
        (
            node(unschedulable=True),
            pod(tolerations=[toleration("node.kubernetes.io/unschedulable", "Exists", effect="NoExecute")]),
            UNSCHEDULABLE,
        ),
    ],
    ids=[
        "a schedulable node is feasible",
        "a cordoned node is filtered out",
        "a pod tolerating the unschedulable taint may use a cordoned node",
        "a pod tolerating everything may use a cordoned node",
        "a toleration for the wrong effect does not help on a cordoned node",
    ],
)
def test_node_unschedulable(n, p, expected):
    assert NodeUnschedulable().filter(CycleState(), p, node_info(n)) == expected


def test_a_node_info_without_its_node_has_unknown_conditions():
    info = NodeInfo()
    info.name = "ghost"
    assert NodeUnschedulable().filter(CycleState(), pod(), info) == Status(
        Code.UnschedulableAndUnresolvable, "node(s) had unknown conditions"
    )


@pytest.mark.parametrize(
    "n, p, expected",
    [
        (node("node-1"), pod(), SUCCESS),
        (node("node-1"), pod(node_name="node-1"), SUCCESS),
        (
            node("node-1"),
            pod(node_name="node-2"),
            Status(Code.UnschedulableAndUnresolvable, "node(s) didn't match the requested node name"),
        ),
    ],
    ids=[
        "a pod that names no node fits any node",
        "a pod that names this node fits it",
        "a pod that names another node is filtered out",
    ],
)
def test_node_name(n, p, expected):
    assert NodeName().filter(CycleState(), p, node_info(n)) == expected
