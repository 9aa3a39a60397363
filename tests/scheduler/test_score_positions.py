"""The score cache's by-position path (a snapshot a Cache keeps, nodes handed over as a run of its
node list) gives the same raw scores and totals as scoring a plain copy of the nodes, through
every kind of change the cache makes to the snapshot."""

import random

import pytest
from scheduler_builders import node, pod, scores

from k8slearn.scheduler import Framework, Profile
from k8slearn.scheduler.cache import Cache
from k8slearn.scheduler.framework import Handle
from k8slearn.scheduler.score_cache import _run_of
from k8slearn.scheduler.snapshot import Snapshot

NEW = pod("new", cpu="250m", memory="256Mi")


def bound(name, on, cpu="300m", memory="200Mi"):
    p = pod(name, cpu=cpu, memory=memory)
    p["spec"]["nodeName"] = on
    return p


def start(count=12):
    rng = random.Random(3)
    cache, snap = Cache(), Snapshot()
    for i in range(count):
        cache.add_node(node(f"n{i:02}", cpu=rng.choice(["1", "2", "4"]), memory=rng.choice(["1Gi", "4Gi"])))
    for i in range(20):
        cache.add_pod(bound(f"r{i}", f"n{rng.randrange(count):02}", cpu=rng.choice(["100m", "300m"])))
    cache.update_snapshot(snap)
    return cache, snap


STEPS = {
    "add": lambda c: c.add_pod(bound("x1", "n03", cpu="700m")),
    "remove": lambda c: c.remove_pod(bound("r0", "n00")),
    "node removed": lambda c: c.remove_node(node("n05")),
    "node added": lambda c: c.add_node(node("n99", cpu="8", memory="16Gi")),
    "node resized": lambda c: c.update_node(node("n07"), node("n07", cpu="500m", memory="512Mi")),
}


@pytest.mark.parametrize(
    "steps",
    [[], ["add"], ["add", "remove"], ["node removed"], ["node added"], ["node resized"], list(STEPS)],
    ids=[
        "remembered scores equal fresh ones right after the snapshot is taken",
        "a pod added to a node changes its remembered scores",
        "a pod removed from a node changes its remembered scores",
        "a removed node shifts the positions and nothing is read from the old ones",
        "an added node shifts the positions and nothing is read from the old ones",
        "a resized node changes its remembered scores",
        "everything at once, one snapshot update after each step",
    ],
)
def test_scores_by_position_equal_scores_of_a_plain_copy(steps):
    cache, snap = start()
    fwk = Framework(Profile(), Handle(snapshot=snap))
    runs = [(0, 5), (4, 12), (9, 14)]  # the last one wraps around the end of the list
    for step in [None, *steps]:
        if step is not None:
            STEPS[step](cache)
            cache.update_snapshot(snap)
        all_nodes = snap.node_info_list
        assert snap.generations == [n.generation for n in all_nodes]
        for first, end in runs:
            nodes = [all_nodes[i % len(all_nodes)] for i in range(first, end)]
            assert _run_of(snap, nodes) is not None
            plain = Snapshot([n.snapshot() for n in all_nodes])
            fresh = Framework(Profile(), Handle(snapshot=plain))
            copies = [plain.get(n.name) for n in nodes]
            assert _run_of(plain, copies) is None  # a snapshot no Cache keeps: scored by generation
            assert scores(fwk, NEW, nodes) == scores(fresh, NEW, copies)


@pytest.mark.parametrize(
    "pick, expected",
    [
        (lambda ns: ns[2:6], [(2, 6)]),
        (lambda ns: ns[10:] + ns[:3], [(10, 12), (0, 3)]),
        (lambda ns: ns[2:4] + ns[5:7], None),
        (lambda ns: list(reversed(ns[0:3])), None),
        (lambda ns: [], None),
    ],
    ids=[
        "a run in the middle of the list is one range",
        "a run wrapping around the end is two ranges",
        "nodes with a gap (one filtered out) are not a run",
        "nodes out of order are not a run",
        "no nodes are not a run",
    ],
)
def test_which_node_lists_are_runs_of_the_snapshot(pick, expected):
    _, snap = start()
    assert _run_of(snap, pick(snap.node_info_list)) == expected
