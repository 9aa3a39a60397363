"""The score cache with PodTopologySpread remembered too, the snapshot's log of changed positions,
the framework's integer totals and the tie draw give the same answers as the plain computations."""

import itertools
import operator
import random

import pytest
from scheduler_builders import OneReplicaSet, node, plain_select_host, pod, scores

from k8slearn.scheduler import Framework, Profile
from k8slearn.scheduler import snapshot as snapshot_module
from k8slearn.scheduler.cache import Cache
from k8slearn.scheduler.framework import CycleState, Handle
from k8slearn.scheduler.framework_score import _totals
from k8slearn.scheduler.plugins.pod_topology_spread import PodTopologySpread
from k8slearn.scheduler.resources import PodInfo
from k8slearn.scheduler.schedule_one import select_host
from k8slearn.scheduler.score_cache import Positions, _run_of
from k8slearn.scheduler.snapshot import Snapshot

ZONE = "topology.kubernetes.io/zone"
LISTERS = {"replicasets": OneReplicaSet()}
SOFT = {"maxSkew": 1, "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": {"app": "web"}}}


def owned(name, **kwargs):
    p = pod(name, labels={"app": "web"}, **kwargs)
    p["metadata"]["ownerReferences"] = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "controller": True}
    ]
    return p


def bound(p, on):
    return {**p, "spec": {**p["spec"], "nodeName": on}}


def start(count=12):
    rng = random.Random(5)
    cache, snap = Cache(), Snapshot()
    for i in range(count):
        cache.add_node(node(f"n{i:02}", cpu=rng.choice(["2", "4"])))
    for i in range(30):
        on = f"n{rng.randrange(count):02}"
        p = owned(f"w{i}", cpu="100m") if i % 3 else pod(f"o{i}", cpu="200m", labels={"app": "db"})
        cache.add_pod(bound(p, on))
    cache.update_snapshot(snap)
    return cache, snap


STEPS = {
    "web pod added": lambda c: c.add_pod(bound(owned("x1", cpu="100m"), "n03")),
    "web pod removed": lambda c: c.remove_pod(bound(owned("w1"), "n00")),
    "web pod relabelled": lambda c: c.add_pod(bound(pod("w2", cpu="100m", labels={"app": "api"}), "n04")),
    "zone label added": lambda c: c.update_node(node("n06"), node("n06", labels={ZONE: "a"})),
    "zone label removed": lambda c: c.update_node(node("n06", labels={ZONE: "a"}), node("n06")),
    "node added": lambda c: c.add_node(node("n99", cpu="8")),
    "node removed": lambda c: c.remove_node(node("n05")),
}


@pytest.mark.parametrize(
    "steps",
    [
        [],
        ["web pod added"],
        ["web pod added", "web pod removed", "web pod relabelled"],
        ["zone label added"],
        ["zone label added", "zone label removed", "web pod added"],
        ["node added", "web pod added"],
        ["node removed", "web pod removed"],
        list(STEPS),
    ],
    ids=[
        "remembered spreading scores equal fresh ones right after the snapshot is taken",
        "a web pod added to a node changes that node's remembered spreading score",
        "removing or relabelling a web pod changes the remembered spreading scores",
        "with a zone label the spreading scores are not remembered and still equal fresh ones",
        "after the zone label goes away again the remembered scores are right",
        "an added node shifts the positions and the remembered scores follow",
        "a removed node shifts the positions and the remembered scores follow",
        "every change at once, one snapshot update after each step",
    ],
)
def test_remembered_spreading_scores_equal_scores_of_a_plain_copy(steps):
    cache, snap = start()
    fwk = Framework(Profile(), Handle(snapshot=snap, listers=LISTERS))
    new = owned("new", cpu="150m")
    for step in [None, *steps]:
        if step is not None:
            STEPS[step](cache)
            cache.update_snapshot(snap)
        all_nodes = snap.node_info_list
        runs = [(0, 5), (4, 11), (9, 14), (0, len(all_nodes))]  # the third one wraps around the end
        for first, end in runs * 2:  # twice: the second time from what was remembered
            nodes = [all_nodes[i % len(all_nodes)] for i in range(first, end)]
            assert _run_of(snap, nodes) is not None
            plain = Snapshot([n.snapshot() for n in all_nodes])
            fresh = Framework(Profile(), Handle(snapshot=plain, listers=LISTERS))
            got = scores(fwk, new, nodes)
            assert got == scores(fresh, new, [plain.get(n.name) for n in nodes])
            assert "PodTopologySpread" in [name for name, _, _ in got[1]]


@pytest.mark.parametrize(
    "zone_on_some_node, spread, key_expected",
    [
        (False, None, True),
        (True, None, False),
        (False, [SOFT | {"topologyKey": "kubernetes.io/hostname"}], True),
        (False, [SOFT | {"topologyKey": ZONE}], False),
    ],
    ids=[
        "the system default without zone labels scores each node by its own pods: remembered",
        "a zone label on one node makes the zone a shared domain: not remembered",
        "a pod's own hostname constraint is remembered",
        "a pod's own zone constraint ignores the nodes without the key: not remembered",
    ],
)
def test_spreading_scores_are_remembered_only_when_each_node_decides_its_own(
    zone_on_some_node, spread, key_expected
):
    cache, snap = start()
    if zone_on_some_node:
        STEPS["zone label added"](cache)
        cache.update_snapshot(snap)
    plugin = PodTopologySpread(Handle(snapshot=snap, listers=LISTERS))
    keys = []
    for name in ("new", "other"):  # two pods of the same ReplicaSet
        p = owned(name, spread=spread)
        state = CycleState(PodInfo(p))
        plugin.pre_score(state, p, snap.node_info_list)
        keys.append(plugin.score_key(state, p))
    assert (keys[0] is not None) is key_expected
    assert keys[1] == keys[0]


def plain_stale(positions, snap, ranges):
    return [i for a, b in ranges for i in range(a, b) if positions.seen[i] is not snap.generations[i]]


@pytest.mark.parametrize("log_limit", [65_536, 3], ids=["one long log", "a log started over every 3 changes"])
@pytest.mark.parametrize("seed", range(3), ids=[f"random changes {s}" for s in range(3)])
def test_the_stale_positions_found_from_the_log_equal_a_full_comparison(seed, log_limit, monkeypatch):
    monkeypatch.setattr(snapshot_module, "CHANGE_LOG_LIMIT", log_limit)
    rng = random.Random(seed)
    cache, snap = start(count=40)
    entry = Positions(snap)
    for step in range(200):
        for _ in range(rng.randrange(4)):  # a few pods come and go
            name = f"p{rng.randrange(60)}"
            if rng.random() < 0.7:
                cache.add_pod(bound(pod(name, cpu="10m"), f"n{rng.randrange(40):02}"))
            else:
                cache.remove_pod(pod(name))
        cache.update_snapshot(snap)
        first, width = rng.randrange(40), rng.choice([5, 12, 40])
        ranges = [(first, min(first + width, 40))]
        if first + width > 40:
            ranges.append((0, first + width - 40))
        expected = plain_stale(entry, snap, ranges)
        assert entry.stale(snap, ranges) == expected
        for i in expected:  # scored again: now they are current
            entry.seen[i] = snap.generations[i]


def plain_totals(varying, offset, count):
    """The framework's totals before the shortcut: weigh, add up plugin by plugin, add the offset."""
    if not varying:
        return [offset] * count
    lists = [n if w == 1 else list(map(operator.mul, n, itertools.repeat(w))) for n, w in varying]
    totals = lists[0]
    for more in lists[1:]:
        totals = list(map(operator.add, totals, more))
    if offset:
        totals = list(map(operator.add, totals, itertools.repeat(offset)))
    return list(totals)


@pytest.mark.parametrize(
    "varying, offset",
    [
        ([], 7),
        ([([3, 5, 3], 1)], 0),
        ([([3, 5, 3], 1)], 400),
        ([([97, 95, 97], 1), ([100, 25, 100], 2)], 399),
        ([([10, 20, 30], 3), ([1, 2, 1], 1), ([0, 100, 50], 2)], 0),
        ([([0.5, 1.25, 0.5], 1), ([100, 25, 100], 2)], 3),
        ([([97, 95, 97], 1)], 0.1),
    ],
    ids=[
        "no varying plugin: every node gets the offset",
        "one varying plugin of weight one, no offset",
        "one varying plugin of weight one plus an offset",
        "the default profile's case: weights one and two plus an offset",
        "three varying plugins with weights and no offset",
        "float scores are added in the plain order",
        "a float offset is added in the plain order",
    ],
)
def test_integer_totals_equal_the_plain_sums(varying, offset):
    count = len(varying[0][0]) if varying else 3
    triples = []
    for normalized, weight in varying:
        distinct = set(normalized) if all(type(s) is int for s in normalized) else ()
        triples.append((normalized, weight, distinct))
    got = _totals(triples, offset, count)
    assert got == plain_totals(varying, offset, count)
    assert all(got is not n for n, _ in varying)  # a new list, never a plugin's own


@pytest.mark.parametrize(
    "totals",
    [[5, 9, 1], [4, 4, 4, 4], [1, 7, 7, 2, 7, 0, 7], [3] + [8] * 50 + [2] * 30 + [8] * 20],
    ids=[
        "one best node is picked without a draw",
        "every node tied: the draw picks among all",
        "some nodes tied: the draw picks among them",
        "many ties in two runs",
    ],
)
def test_the_tie_draw_picks_what_the_plain_list_of_tied_nodes_picks(totals):
    for seed in range(20):
        fast, plain = random.Random(seed), random.Random(seed)
        assert select_host(totals, fast) == plain_select_host(totals, plain)
        assert fast.random() == plain.random()  # the same draws were made
