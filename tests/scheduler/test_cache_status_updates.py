"""A pod's status-only update replaces it in place: the cache reads exactly as after remove + add."""

import pytest
from scheduler_builders import node, pod

from k8slearn.scheduler.cache import Cache
from k8slearn.scheduler.resources import PodInfo
from k8slearn.scheduler.snapshot import Snapshot


def bound(p, node_name="node-1"):
    return {**p, "spec": {**p["spec"], "nodeName": node_name}}


def with_status(p, **status):
    return {**p, "status": {**(p.get("status") or {}), **status}}


def with_meta(p, **meta):
    return {**p, "metadata": {**p["metadata"], **meta}}


def plain_add_pod(cache, p):
    """The cache's add_pod as it was: always remove the old version, then add the new one."""
    meta = p["metadata"]
    key = f"{meta.get('namespace', '')}/{meta.get('name', '')}"
    current = cache.pod_states.get(key)
    if current is not None:
        cache._remove_pod(current)
        pod_info = current.with_pod(p) if current.pod.get("spec") == p.get("spec") else PodInfo(p)
    else:
        pod_info = PodInfo(p)
    cache.assumed_pods.pop(key, None)
    cache._add_pod(pod_info)


def state(cache):
    """Everything the cache and a fresh snapshot of it hold, in order (generations aside)."""
    snapshot = Snapshot()
    cache.update_snapshot(snapshot)
    nodes = {}
    for name, info in cache.nodes.items():
        nodes[name] = (
            [(k, pi.pod) for k, pi in info.pods.items()],
            {ns: list(groups.items()) for ns, groups in info.label_counts.items()},
            (info.requested.milli_cpu, info.requested.memory, info.non_zero_requested.milli_cpu,
             info.non_zero_requested.memory, info.free_milli_cpu, info.free_memory, info.free_pods),
            list(info.pods_with_affinity), {ip: sorted(p) for ip, p in info.used_ports.items()},
        )
    snap = {n: [(k, pi.pod) for k, pi in i.pods.items()] for n, i in snapshot.node_info_map.items()}
    return nodes, list(cache.pod_states), dict(cache.assumed_pods), snap


web = bound(pod("web", cpu="500m", labels={"app": "web"}))
api = bound(pod("api", cpu="1", labels={"app": "api"}))
twin = bound(pod("twin", cpu="500m", labels={"app": "web"}))
ported = bound(pod("ported", containers=[{"name": "c", "image": "i", "ports": [{"containerPort": 80, "hostPort": 8080}]}]))
friendly = bound({**pod("friendly"), "spec": {**pod("friendly")["spec"], "affinity": {"podAffinity": {
    "requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]}}}})


@pytest.mark.parametrize(
    "first, update, in_place",
    [
        pytest.param([web, api], with_status(web, phase="Running"), True,
                     id="a status update of the only pod of its group moves pod and group last, generation kept"),
        pytest.param([web, twin, api], with_status(web, phase="Running"), True,
                     id="a status update of one of two pods of a group keeps the group where it is"),
        pytest.param([web, api], with_meta(web, labels={"app": "other"}), False,
                     id="a label change is a remove and an add with a new generation"),
        pytest.param([web, api], with_meta(web, deletionTimestamp="2026-01-05T09:00:00Z"), False,
                     id="a pod that starts terminating leaves its group the plain way"),
        pytest.param([ported, web], with_status(ported, phase="Running"), False,
                     id="a pod with host ports is replaced the plain way"),
        pytest.param([friendly, web], with_status(friendly, phase="Running"), False,
                     id="a pod with pod affinity is replaced the plain way"),
        pytest.param([web], bound(pod("web", cpu="1", labels={"app": "web"})), False,
                     id="a changed spec is replaced the plain way"),
        pytest.param([web], bound(with_status(web, phase="Running"), "node-2"), False,
                     id="a pod that moved to another node is replaced the plain way"),
    ],
)
def test_an_update_reads_as_remove_then_add(first, update, in_place):
    fast, plain = Cache(), Cache()
    for cache in (fast, plain):
        for n in ("node-1", "node-2"):
            cache.add_node(node(n))
        for p in first:
            cache.add_pod(p)
        cache.update_snapshot(Snapshot())
    before = {n: i.generation for n, i in fast.nodes.items()}
    fast.add_pod(update)
    plain_add_pod(plain, update)
    assert state(fast) == state(plain)
    kept = {n: i.generation for n, i in fast.nodes.items()} == before
    assert kept is in_place


@pytest.mark.parametrize(
    "update",
    [
        pytest.param(web, id="the bound pod confirming an assumed one is replaced in place"),
        pytest.param(with_status(web, phase="Pending"), id="a confirmation carrying a status is replaced in place"),
    ],
)
def test_confirming_an_assumed_pod_reads_as_remove_then_add(update):
    fast, plain = Cache(), Cache()
    for cache in (fast, plain):
        cache.add_node(node("node-1"))
        cache.add_pod(api)
        cache.assume_pod(PodInfo(web))
    fast.add_pod(update)
    plain_add_pod(plain, update)
    assert state(fast) == state(plain) and not fast.is_assumed_pod(web)


def clone_state(info):
    """A NodeInfo's pods (their PodInfo objects), group counts in order, and generation."""
    return ([(k, id(pi)) for k, pi in info.pods.items()],
            {ns: list(groups.items()) for ns, groups in info.label_counts.items()}, info.generation)


@pytest.mark.parametrize(
    "update, taken_now",
    [
        pytest.param(with_status(web, phase="Running"), True,
                     id="a status update reaches the snapshot's copy of the node at once, as the next update would"),
        pytest.param(web, True, id="a confirmed assumed pod reaches the snapshot's copy at once"),
        pytest.param(with_meta(web, labels={"app": "other"}), False,
                     id="a label change waits for the next snapshot update"),
    ],
)
def test_the_snapshot_copy_takes_an_in_place_replacement_at_once(update, taken_now):
    cache = Cache()
    cache.add_node(node("node-1"))
    cache.add_pod(api)
    cache.assume_pod(PodInfo(web))
    snapshot = Snapshot()
    cache.update_snapshot(snapshot)
    clone = snapshot.node_info_map["node-1"]
    before = clone_state(clone)
    cache.add_pod(update)
    now = clone_state(clone)
    assert (now == clone_state(cache.nodes["node-1"])) is taken_now  # what the next update copies
    assert (now == before) is not taken_now
    cache.update_snapshot(snapshot)  # the next cycle's update: the same either way
    assert clone_state(snapshot.node_info_map["node-1"]) == clone_state(cache.nodes["node-1"])
