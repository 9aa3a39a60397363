"""The cache: NodeInfo sums, assumed pods (assume, confirm, forget), snapshots, node order."""

import pytest
from scheduler_builders import node, pod

from k8slearn.scheduler.cache import Cache
from k8slearn.scheduler.node_tree import NodeTree
from k8slearn.scheduler.resources import PodInfo
from k8slearn.scheduler.snapshot import Snapshot

Mi = 1024 * 1024


def bound(p, node_name):
    return {**p, "spec": {**p["spec"], "nodeName": node_name}}


def test_a_node_info_sums_real_and_non_zero_requests_and_counts_pods():
    cache = Cache()
    cache.add_node(node("node-1", cpu="2", memory="4Gi", pods=3))
    cache.add_pod(bound(pod("a", cpu="500m", memory="1Gi"), "node-1"))
    cache.add_pod(bound(pod("b"), "node-1"))
    info = cache.nodes["node-1"]
    assert (info.requested.milli_cpu, info.requested.memory) == (500, 1024 * Mi)
    assert (info.non_zero_requested.milli_cpu, info.non_zero_requested.memory) == (600, 1224 * Mi)
    assert (info.free_milli_cpu, info.free_pods, len(info.pods)) == (1500, 1, 2)


@pytest.mark.parametrize(
    "steps, pods_on_node, assumed",
    [
        (["assume"], ["default/web"], ["default/web"]),
        (["assume", "confirm"], ["default/web"], []),
        (["assume", "forget"], [], []),
        (["assume", "confirm", "delete"], [], []),
        (["confirm"], ["default/web"], []),
    ],
    ids=[
        "an assumed pod counts on its node at once",
        "the bound pod arriving through the watch confirms the assumption",
        "a failed binding forgets the pod and frees the node",
        "deleting a confirmed pod frees the node",
        "a pod bound by someone else is simply added",
    ],
)
def test_assumed_pods(steps, pods_on_node, assumed):
    cache = Cache()
    cache.add_node(node("node-1"))
    web = bound(pod("web", cpu="1"), "node-1")
    for step in steps:
        {
            "assume": lambda: cache.assume_pod(PodInfo(web)),
            "confirm": lambda: cache.add_pod(web),
            "forget": lambda: cache.forget_pod(PodInfo(web)),
            "delete": lambda: cache.remove_pod(web),
        }[step]()
    info = cache.nodes["node-1"]
    assert sorted(info.pods) == pods_on_node and list(cache.assumed_pods) == assumed
    assert info.requested.milli_cpu == 1000 * len(pods_on_node)


def test_a_pod_already_in_the_cache_cannot_be_assumed_again():
    cache = Cache()
    cache.add_node(node("node-1"))
    cache.assume_pod(PodInfo(bound(pod("web"), "node-1")))
    with pytest.raises(ValueError, match="pod default/web is in the cache, so can't be assumed"):
        cache.assume_pod(PodInfo(bound(pod("web"), "node-1")))


def test_the_snapshot_copies_only_changed_nodes_into_its_own_node_infos():
    cache, snap = Cache(), Snapshot()
    for name in ("a", "b"):
        cache.add_node(node(name))
    cache.update_snapshot(snap)
    a_before, b_generation = snap.get("a"), snap.get("b").generation
    assert a_before is not cache.nodes["a"]
    cache.assume_pod(PodInfo(bound(pod("web", cpu="1"), "a")))
    assert snap.get("a").requested.milli_cpu == 0  # the running cycle's view does not move under it
    cache.update_snapshot(snap)
    assert snap.get("a") is a_before and snap.get("a").generation == cache.nodes["a"].generation
    assert snap.get("b").generation == b_generation
    assert snap.get("a").requested.milli_cpu == 1000 and [n.name for n in snap.list()] == ["a", "b"]


def test_a_pod_can_arrive_before_its_node_and_a_removed_node_leaves_the_snapshot():
    cache, snap = Cache(), Snapshot()
    cache.add_pod(bound(pod("early", cpu="1"), "late-node"))
    cache.update_snapshot(snap)
    assert snap.num_nodes() == 0
    cache.add_node(node("late-node"))
    cache.update_snapshot(snap)
    assert snap.get("late-node").requested.milli_cpu == 1000
    cache.remove_node(node("late-node"))
    cache.update_snapshot(snap)
    assert snap.num_nodes() == 0 and "late-node" in cache.nodes  # its pod still counts until deleted


def test_nodes_are_listed_zone_by_zone_in_turn():
    tree = NodeTree()
    for name, zone in [("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b"), ("c1", "c"), ("c2", "c")]:
        tree.add(node(name, labels={"topology.kubernetes.io/zone": zone}))
    assert tree.list() == ["a1", "b1", "c1", "a2", "c2", "a3"]
    tree.remove(node("b1", labels={"topology.kubernetes.io/zone": "b"}))
    assert tree.list() == ["a1", "c1", "a2", "c2", "a3"]


def _with(p, status=None, cpu=None, labels=None):
    p = {**p, "metadata": dict(p["metadata"]), "spec": dict(p["spec"])}
    if status is not None:
        p["status"] = status
    if cpu is not None:
        p["spec"]["containers"] = [{**p["spec"]["containers"][0], "resources": {"requests": {"cpu": cpu}}}]
    if labels is not None:
        p["metadata"]["labels"] = labels
    return p


@pytest.mark.parametrize(
    "change, reused, cpu, labels",
    [
        ({"status": {"phase": "Running"}}, True, 1000, {"app": "web"}),
        ({"labels": {"app": "db"}}, True, 1000, {"app": "db"}),
        ({"cpu": "2"}, False, 2000, {"app": "web"}),
    ],
    ids=[
        "a status update keeps what was computed from the spec",
        "a relabelled pod keeps its requests and is counted under its new labels",
        "a changed request is computed again",
    ],
)
def test_an_updated_pod_gets_a_pod_info_that_matches_its_new_object(change, reused, cpu, labels):
    cache = Cache()
    cache.add_node(node("node-1"))
    web = bound(pod("web", cpu="1", labels={"app": "web"}), "node-1")
    cache.add_pod(web)
    before = cache.pod_states["default/web"]
    new = _with(web, **change)
    cache.update_pod(web, new)
    after = cache.pod_states["default/web"]
    assert after.pod is new and (after.requests is before.requests) is reused
    assert after.requests == PodInfo(new).requests and after.requests.milli_cpu == cpu
    assert cache.nodes["node-1"].requested.milli_cpu == cpu
    assert cache.nodes["node-1"].label_counts == {"default": {frozenset(labels.items()): 1}}
