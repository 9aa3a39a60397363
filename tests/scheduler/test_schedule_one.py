"""The algorithm: how many nodes are searched, where the search starts, and how ties are broken."""

import random
from collections import Counter

import pytest
from scheduler_builders import MiniCluster, node, pod

from k8slearn.scheduler import Profile, Scheduler
from k8slearn.scheduler.schedule_one import num_feasible_nodes_to_find, schedule_one, select_host
from k8slearn.sim import Loop


@pytest.mark.parametrize(
    "percentage, nodes, expected",
    [
        (0, 50, 50),
        (0, 99, 99),
        (0, 100, 100),
        (0, 1000, 420),
        (0, 5000, 500),
        (0, 5625, 281),
        (0, 6000, 300),
        (0, 15000, 750),
        (30, 1000, 300),
        (1, 1000, 100),
        (100, 5000, 5000),
    ],
    ids=[
        "below 100 nodes every node is searched",
        "99 nodes are all searched",
        "at 100 nodes half would be 50, but at least 100 are searched",
        "at 1,000 nodes the adaptive share is 42%",
        "at 5,000 nodes the adaptive share is 10%",
        "at 5,625 nodes the adaptive share reaches its 5% floor",
        "above that the share stays at 5%",
        "at 15,000 nodes 5% is 750 nodes",
        "an explicit percentage is used as given",
        "an explicit percentage still searches at least 100 nodes",
        "100% searches every node",
    ],
)
def test_num_feasible_nodes_to_find(percentage, nodes, expected):
    assert num_feasible_nodes_to_find(percentage, nodes) == expected


def scheduler_with_nodes(count, profile=None, percentage=0, seed=0):
    sched = Scheduler(
        Loop(seed), client=_Binder(), profiles=[profile or Profile()], percentage_of_nodes_to_score=percentage
    )
    sched.recorder_for = lambda fwk: _Quiet()
    for i in range(count):
        sched.add_node_to_cache(node(f"n{i:04}", cpu="4", memory="16Gi"))
    return sched


class _Binder:
    def bind(self, name, namespace, node_name):
        pass


class _Quiet:
    def event(self, *args, **kwargs):
        pass


def schedule(sched, p):
    sched.add_pod_to_scheduling_queue(p)
    pinfo = sched.queue._pop_now()
    schedule_one(sched, pinfo)
    return sched.attempts[pinfo.key]


def test_each_pod_starts_searching_where_the_previous_one_stopped():
    sched = scheduler_with_nodes(200)  # 49% of 200 is 98: at least 100 nodes are searched
    first = schedule(sched, pod("a", cpu="10m"))
    second = schedule(sched, pod("b", cpu="10m"))
    third = schedule(sched, pod("c", cpu="10m"))
    assert [n.name for n in first.feasible][:2] == ["n0000", "n0001"] and len(first.feasible) == 100
    assert [n.name for n in second.feasible][:1] == ["n0100"] and second.feasible[-1].name == "n0199"
    assert third.feasible[0].name == "n0000"


def test_rejected_nodes_also_advance_the_start_index():
    sched = scheduler_with_nodes(150)
    for i in range(0, 150, 2):  # every other node full
        sched.add_pod_to_cache(pod(f"hog-{i}", cpu="4", node_name=f"n{i:04}"))
    attempt = schedule(sched, pod("a", cpu="1"))
    assert len(attempt.feasible) == 75 and len(attempt.node_to_status) == 75
    assert sched.next_start_node_index == 0  # 150 nodes processed: all the way round


def test_at_5000_nodes_the_search_stops_after_500_feasible_nodes():
    sched = scheduler_with_nodes(5000)
    attempt = schedule(sched, pod("a", cpu="100m"))
    assert (attempt.num_all_nodes, len(attempt.feasible), attempt.num_to_find) == (5000, 500, 500)
    assert sched.next_start_node_index == 500
    assert "4500 nodes were not evaluated" in str(sched.explain("a"))


def test_without_score_plugins_the_first_feasible_node_is_taken():
    profile = Profile().without(
        "TaintToleration",
        "NodeAffinity",
        "NodeResourcesFit",
        "PodTopologySpread",
        "InterPodAffinity",
        "NodeResourcesBalancedAllocation",
        "ImageLocality",
    )
    sched = scheduler_with_nodes(10, profile)
    attempt = schedule(sched, pod("a"))
    assert [n.name for n in attempt.feasible] == ["n0000"] and attempt.host == "n0000"


def test_select_host_picks_the_highest_total():
    assert select_host([10, 300, 20], random.Random(0)) == (1, 1)


def test_ties_are_broken_uniformly_and_reproducibly_with_the_seed():
    picks = Counter(select_host([5, 9, 9, 9], random.Random(seed))[0] for seed in range(3000))
    assert set(picks) == {1, 2, 3} and all(900 < count < 1100 for count in picks.values())
    assert [select_host([9, 9, 9], random.Random(7))[0] for _ in range(3)] == [
        select_host([9, 9, 9], random.Random(7))[0] for _ in range(3)
    ]


def placements(seed):
    c = MiniCluster(workers=4, seed=seed)
    for i in range(8):
        c.create(pod(f"web-{i}", cpu="100m"))
    c.settle()
    return [c.node_of(f"web-{i}") for i in range(8)], c.loop.trace_text()


def test_the_same_seed_gives_the_same_placements_and_a_byte_identical_trace():
    (nodes_a, trace_a), (nodes_b, trace_b) = placements(3), placements(3)
    assert nodes_a == nodes_b and trace_a == trace_b
    assert placements(4)[0] != nodes_a
