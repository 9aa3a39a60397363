"""Snapshot.fit_floor (the free resources no snapshot node is below) and NodeResourcesFit's use of
it: the batch verdicts equal asking node by node, whatever happened to the pods and nodes."""

import pytest
from scheduler_builders import node, pod

from k8slearn.scheduler.cache import Cache
from k8slearn.scheduler.framework import SUCCESS, CycleState, Handle
from k8slearn.scheduler.plugins.node_resources_fit import NodeResourcesFit
from k8slearn.scheduler.snapshot import Snapshot

NODES = [node("n1", cpu="2", memory="4Gi", pods=3), node("n2", cpu="4", memory="8Gi"), node("n3")]


def bound(name, on, cpu="500m", memory="1Gi"):
    p = pod(name, cpu=cpu, memory=memory)
    p["spec"]["nodeName"] = on
    return p


STEPS = {
    "fill n1": lambda c: [c.add_pod(bound(f"a{i}", "n1")) for i in range(3)],
    "empty n1": lambda c: [c.remove_pod(bound(f"a{i}", "n1")) for i in range(3)],
    "big pod on n2": lambda c: c.add_pod(bound("big", "n2", cpu="3500m", memory="7Gi")),
    "n3 removed": lambda c: c.remove_node(NODES[2]),
    "small node added": lambda c: c.add_node(node("n4", cpu="100m", memory="64Mi")),
}


@pytest.mark.parametrize(
    "steps",
    [[], ["fill n1"], ["fill n1", "empty n1"], ["big pod on n2"], ["n3 removed"], ["small node added"]],
    ids=[
        "right after the snapshot is taken the floor is the least free of every resource",
        "a full node brings the pod floor to zero, so every node is checked",
        "emptying the node again keeps a floor no higher than the least free",
        "a big pod lowers the CPU and memory floor",
        "removing a node recomputes the floor over the nodes left",
        "a small node added lowers the floor",
    ],
)
def test_the_batch_filter_gives_each_node_the_verdict_it_gets_alone(steps):
    cache, snap = Cache(), Snapshot()
    for n in NODES:
        cache.add_node(n)
    cache.update_snapshot(snap)
    for step in steps:
        STEPS[step](cache)
        cache.update_snapshot(snap)
    nodes = snap.node_info_list
    floor = snap.fit_floor
    assert floor[0] <= min(n.free_pods for n in nodes)
    assert floor[1] <= min(n.free_milli_cpu for n in nodes)
    assert floor[2] <= min(n.free_memory for n in nodes)
    plugin = NodeResourcesFit(Handle(snapshot=snap))
    for cpu, memory in (("100m", "64Mi"), ("1", "1Gi"), ("3", "2Gi"), ("100m", "6Gi"), (None, None)):
        p = pod("new", cpu=cpu, memory=memory)
        state = CycleState()
        plugin.pre_filter(state, p)
        one_by_one = [plugin.filter(state, p, n) for n in nodes]
        batch = plugin.filter_nodes(state, p, nodes)
        if batch is None:
            assert all(s is SUCCESS for s in one_by_one)
        else:
            assert [(s.code, s.reasons) for s in batch] == [(s.code, s.reasons) for s in one_by_one]


def test_the_floor_of_a_fresh_snapshot_is_exact():
    cache = Cache()
    for n in NODES:
        cache.add_node(n)
    cache.add_pod(bound("x", "n2", cpu="1", memory="1Gi"))
    snap = Snapshot([info.snapshot() for info in cache.nodes.values()])
    assert snap.fit_floor == (
        min(n.free_pods for n in snap.node_info_list),
        min(n.free_milli_cpu for n in snap.node_info_list),
        min(n.free_memory for n in snap.node_info_list),
    )
    assert snap.fit_floor[1] == 2000  # n1: 2 CPUs, nothing on it
