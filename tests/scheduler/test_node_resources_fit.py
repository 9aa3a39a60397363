"""NodeResourcesFit: the pod's request, the Filter reasons, and LeastAllocated scoring."""

import pytest
from scheduler_builders import container, node, node_info, pod

from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.node_resources_fit import (
    MOST_ALLOCATED,
    NodeResourcesFit,
    insufficient_resources,
)
from k8slearn.scheduler.resources import PodInfo, pod_requests

Mi = 1024 * 1024


@pytest.mark.parametrize(
    "p, cpu, memory",
    [
        (pod(cpu="250m", memory="64Mi"), 250, 64 * Mi),
        (pod(containers=[container("250m"), container("500m", "1Gi")]), 750, 1024 * Mi),
        (pod(containers=[container("250m")], init_containers=[container("1", "10Mi")]), 1000, 10 * Mi),
        (pod(containers=[container("2")], init_containers=[container("1")]), 2000, 0),
        (pod(cpu="100m", overhead={"cpu": "250m", "memory": "120Mi"}), 350, 120 * Mi),
        (
            pod(
                containers=[container("500m")],
                init_containers=[container("200m", restart_policy="Always"), container("1")],
            ),
            1200,
            0,
        ),
        (pod(), 0, 0),
    ],
    ids=[
        "one container's requests are the pod's request",
        "containers' requests add up",
        "a larger init container raises the request",
        "a smaller init container does not change the request",
        "the pod overhead is added",
        "a sidecar adds to the app containers and to later init containers",
        "a pod without requests requests nothing",
    ],
)
def test_pod_request(p, cpu, memory):
    r = pod_requests(p)
    assert (r.milli_cpu, r.memory) == (cpu, memory)


def test_non_zero_requests_count_100m_and_200Mi_per_container_missing_them():
    info = PodInfo(pod(containers=[container(), container(cpu="0"), container(memory="1Gi")]))
    assert (info.non0_cpu, info.non0_mem) == (200, 400 * Mi + 1024 * Mi)
    assert (info.requests.milli_cpu, info.requests.memory) == (0, 1024 * Mi)


FULL = [pod(f"p{i}", cpu="500m") for i in range(3)]


@pytest.mark.parametrize(
    "n, running, p, reasons",
    [
        (node(cpu="2"), [], pod(cpu="1"), []),
        (node(cpu="2"), FULL, pod(cpu="600m"), ["Insufficient cpu"]),
        (node(cpu="2"), FULL, pod(cpu="500m"), []),
        (
            node(cpu="1", memory="1Gi"),
            [],
            pod(cpu="2", memory="2Gi"),
            ["Insufficient cpu", "Insufficient memory"],
        ),
        (node(pods=3), FULL, pod(), ["Too many pods"]),
        (node(pods=3, cpu="1"), FULL, pod(cpu="1"), ["Too many pods", "Insufficient cpu"]),
        (node(cpu="2"), FULL, pod(), []),
        (
            node(),
            [],
            pod(containers=[container(extra={"ephemeral-storage": "200Gi"})]),
            ["Insufficient ephemeral-storage"],
        ),
        (
            node(),
            [],
            pod(containers=[container(extra={"nvidia.com/gpu": "1"})]),
            ["Insufficient nvidia.com/gpu"],
        ),
        (
            node(extra={"nvidia.com/gpu": "2"}),
            [],
            pod(containers=[container(extra={"nvidia.com/gpu": "1"})]),
            [],
        ),
        (
            node(extra={"example.com/b": "0", "example.com/a": "0"}),
            [],
            pod(containers=[container(extra={"example.com/b": "1", "example.com/a": "1"})]),
            ["Insufficient example.com/a", "Insufficient example.com/b"],
        ),
    ],
    ids=[
        "a pod that fits the free CPU is feasible",
        "a pod asking for more CPU than is left is filtered out",
        "a pod asking for exactly what is left fits",
        "every short resource is reported",
        "a full node reports Too many pods",
        "Too many pods comes first, then the short resources",
        "a pod that requests nothing only needs a pod slot",
        "ephemeral storage is checked",
        "an extended resource the node does not have is reported with its name",
        "an extended resource the node has fits",
        "extended resources are reported in name order",
    ],
)
def test_filter_reasons(n, running, p, reasons):
    assert insufficient_resources(p, node_info(n, *running)) == reasons


def test_filter_wraps_reasons_in_an_unschedulable_status():
    plugin, state, p = NodeResourcesFit(), CycleState(), pod(cpu="3")
    plugin.pre_filter(state, p)
    expected = Status(Code.Unschedulable, ["Insufficient cpu"])
    assert plugin.filter(state, p, node_info(node(cpu="2"))) == expected
    assert plugin.filter(state, pod(cpu="1"), node_info(node(cpu="4"))) is SUCCESS


@pytest.mark.parametrize(
    "n, running, p, expected",
    [
        (node(cpu="2", memory="4Gi"), [], pod(cpu="500m", memory="1Gi"), (75 + 75) // 2),
        (node(cpu="2", memory="4Gi"), [], pod(), (95 + 95) // 2),
        (node(cpu="2", memory="4Gi"), [pod("a", cpu="1", memory="2Gi")], pod(cpu="500m", memory="1Gi"), 25),
        (node(cpu="1", memory="1Gi"), [], pod(cpu="2", memory="512Mi"), (0 + 50) // 2),
        (node(cpu="4", memory="8Gi"), [pod("a")], pod(), (95 + 95) // 2),
    ],
    ids=[
        "an empty node scores by what would be left after the pod",
        "a pod without requests counts as 100m CPU and 200Mi memory",
        "running pods' requests count as used",
        "an over-committed resource scores zero",
        "a running pod without requests counts as 100m and 200Mi too",
    ],
)
def test_least_allocated_score(n, running, p, expected):
    plugin, state = NodeResourcesFit(), CycleState()
    plugin.pre_score(state, p, [])
    assert plugin.score(state, p, node_info(n, *running)) == expected


def test_the_general_scoring_loop_agrees_with_the_default_fast_path():
    fast, general = NodeResourcesFit(), NodeResourcesFit(resources=(("cpu", 1), ("memory", 1), ("pods", 0)))
    general.default_scoring = False
    general.resources = (("cpu", 1), ("memory", 1))
    for n, p in [(node(cpu="3", memory="5Gi"), pod(cpu="700m", memory="300Mi")), (node(), pod())]:
        assert fast.score(CycleState(), p, node_info(n)) == general.score(CycleState(), p, node_info(n))


def test_most_allocated_prefers_the_fuller_node():
    plugin, p = NodeResourcesFit(scoring_strategy=MOST_ALLOCATED), pod(cpu="500m", memory="1Gi")
    empty, busy = node_info(node("a")), node_info(node("b"), pod("x", cpu="1", memory="2Gi"))
    assert plugin.score(CycleState(), p, busy) > plugin.score(CycleState(), p, empty) == 25
