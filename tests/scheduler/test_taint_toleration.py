"""TaintToleration: the toleration rules, the Filter verdicts and reason text, and the Score."""

import pytest
from scheduler_builders import node, node_info, pod, taint, toleration

from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.taint_toleration import TaintToleration, tolerates_taint

GPU = taint("dedicated", "gpu", "NoSchedule")
CONTROL_PLANE = taint("node-role.kubernetes.io/control-plane")


@pytest.mark.parametrize(
    "tol, t, expected",
    [
        (toleration("dedicated", "Equal", "gpu", "NoSchedule"), GPU, True),
        (toleration("dedicated", "", "gpu"), GPU, True),
        (toleration("dedicated", "Equal", "cpu"), GPU, False),
        (toleration("dedicated", "Exists"), GPU, True),
        (toleration(operator="Exists"), GPU, True),
        (toleration(operator="Exists", effect="NoExecute"), GPU, False),
        (toleration("other", "Exists"), GPU, False),
        (toleration("dedicated", "Exists", effect="NoSchedule"), GPU, True),
        (
            toleration("node-role.kubernetes.io/control-plane", "Exists", effect="NoSchedule"),
            CONTROL_PLANE,
            True,
        ),
        (toleration("node-role.kubernetes.io/control-plane", "Equal"), CONTROL_PLANE, True),
        (toleration("dedicated", "Gt", "gpu"), GPU, False),
    ],
    ids=[
        "a toleration with the same key, value and effect tolerates the taint",
        "the default operator is Equal and an empty effect matches every effect",
        "Equal with another value does not tolerate",
        "Exists tolerates any value of the key",
        "an empty key with Exists tolerates every taint",
        "an empty key with Exists but another effect does not tolerate",
        "a toleration for another key does not tolerate",
        "Exists with the matching effect tolerates",
        "the kubeadm control-plane toleration tolerates the control-plane taint",
        "Equal with an empty value tolerates a taint without a value",
        "an unknown operator tolerates nothing",
    ],
)
def test_tolerates_taint(tol, t, expected):
    assert tolerates_taint(tol, t) is expected


@pytest.mark.parametrize(
    "n, p, expected",
    [
        (node(), pod(), SUCCESS),
        (
            node(taints=[GPU]),
            pod(),
            Status(Code.UnschedulableAndUnresolvable, "node(s) had untolerated taint {dedicated: gpu}"),
        ),
        (
            node(taints=[GPU]),
            pod(tolerations=[toleration("dedicated", "Equal", "gpu", "NoSchedule")]),
            SUCCESS,
        ),
        (
            node(taints=[CONTROL_PLANE]),
            pod(),
            Status(
                Code.UnschedulableAndUnresolvable,
                "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }",
            ),
        ),
        (node(taints=[taint("slow", "yes", "PreferNoSchedule")]), pod(), SUCCESS),
        (
            node(taints=[taint("gone", "", "NoExecute")]),
            pod(),
            Status(Code.UnschedulableAndUnresolvable, "node(s) had untolerated taint {gone: }"),
        ),
        (
            node(taints=[GPU, taint("zone", "b")]),
            pod(tolerations=[toleration("dedicated", "Exists")]),
            Status(Code.UnschedulableAndUnresolvable, "node(s) had untolerated taint {zone: b}"),
        ),
        (
            node(taints=[taint("a", "1"), taint("b", "2")]),
            pod(),
            Status(Code.UnschedulableAndUnresolvable, "node(s) had untolerated taint {a: 1}"),
        ),
    ],
    ids=[
        "a node without taints is feasible",
        "a node whose taint the pod does not tolerate is filtered out with the taint in the reason",
        "a node whose taint the pod tolerates is feasible",
        "the control-plane taint has no value, so the reason shows an empty value",
        "a PreferNoSchedule taint never filters a node out",
        "a NoExecute taint filters like NoSchedule",
        "the first untolerated taint is the one reported",
        "with several untolerated taints the reason names the first in the node's order",
    ],
)
def test_filter(n, p, expected):
    assert TaintToleration().filter(CycleState(), p, node_info(n)) == expected


def prefer(key):
    return taint(key, "", "PreferNoSchedule")


@pytest.mark.parametrize(
    "nodes, p, raw, normalized",
    [
        ([node("a"), node("b")], pod(), [0, 0], [100, 100]),
        (
            [node("a"), node("b", taints=[prefer("x")]), node("c", taints=[prefer("x"), prefer("y")])],
            pod(),
            [0, 1, 2],
            [100, 50, 0],
        ),
        (
            [node("a", taints=[prefer("x")]), node("b")],
            pod(tolerations=[toleration("x", "Exists")]),
            [0, 0],
            [100, 100],
        ),
        (
            [node("a", taints=[prefer("x")]), node("b")],
            pod(tolerations=[toleration("x", "Exists", effect="NoSchedule")]),
            [1, 0],
            [0, 100],
        ),
        ([node("a", taints=[GPU]), node("b")], pod(), [0, 0], [100, 100]),
    ],
    ids=[
        "nodes without PreferNoSchedule taints all get the maximum score",
        "each untolerated PreferNoSchedule taint lowers the score, normalised in reverse",
        "a tolerated PreferNoSchedule taint does not count",
        "a toleration for another effect does not tolerate a PreferNoSchedule taint",
        "NoSchedule taints do not count in the score",
    ],
)
def test_score_and_normalize(nodes, p, raw, normalized):
    plugin, state = TaintToleration(), CycleState()
    infos = [node_info(n) for n in nodes]
    plugin.pre_score(state, p, infos)
    scores = {i.name: plugin.score(state, p, i) for i in infos}
    assert list(scores.values()) == raw
    plugin.normalize_score(state, p, scores)
    assert list(scores.values()) == normalized
