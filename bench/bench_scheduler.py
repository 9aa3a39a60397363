"""Benchmark of the simulated kube-scheduler: SchedulingBasic at 5,000 nodes, and 150,000 pods.

Run: ``python bench/bench_scheduler.py`` (prints the numbers) or call ``main()`` for them.

Mirrors upstream scheduler_perf's ``SchedulingBasic/5000Nodes_10000Pods``: 5,000 nodes of 4 CPU /
32Gi / 110 pods, 1,000 pods placed first, then 10,000 measured pods, each requesting 100m CPU and
500Mi memory, with the full default profile (SchedulingGates, PrioritySort, NodeUnschedulable,
NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, VolumeRestrictions,
NodeVolumeLimits, VolumeBinding, VolumeZone, PodTopologySpread, InterPodAffinity, DefaultPreemption,
NodeResourcesBalancedAllocation, ImageLocality, DefaultBinder; adaptive percentageOfNodesToScore =
10% at 5,000 nodes). Then the Kubernetes envelope: 150,000 pods placed on 5,000 nodes, scheduling only.

Those pods belong to nobody, so PodTopologySpread has nothing to spread. The *owned* scenario is
what Deployments create (bench_controllers.py's mass run): pods owned by ReplicaSets of 1,000
replicas each, so the system default spreading (hostname maxSkew 3, zone maxSkew 5; no node has
a zone label) counts, for every pod, the matching pods of the whole cluster. It schedules
10,000 such pods at 5,000 nodes after 1,000 warm-up ones, and reports CPU milliseconds per pod;
``envelope_owned`` places 150,000 of them.

What is measured, first: scheduling only. The nodes are fed to the scheduler's informer handlers directly
(no API server, no watch), pods are added to the scheduling queue directly, and the Bind plugin's
client and the event recorder are no-ops. Each measured pod goes through the whole scheduling
framework: queue pop, snapshot update, PreFilter, Filter over the nodes, PreScore, Score,
NormalizeScore, weights, host selection, assume in the cache, Bind, the explain record.
Then, for context, the same pods end to end through a real API server at 500 nodes (create,
watch, schedule, bind, events). Wall-clock timing lives here only, never in unit tests; CPU time is
reported too because the benchmark machine is shared.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from k8slearn.scheduler import Scheduler
from k8slearn.scheduler.schedule_one import schedule_one
from k8slearn.sim import Loop

API_NODES = 500  # the end-to-end measurement through the API server is smaller
API_PODS = 2_000
NODES = 5_000
INITIAL_PODS = 1_000
MEASURED_PODS = 10_000
UPSTREAM_BAR = 680  # pods/s: scheduler_perf CI threshold for SchedulingBasic/5000Nodes_10000Pods
GOAL = 2_000  # pods/s wanted on this 2-core machine
ENVELOPE_PODS = 150_000  # the Kubernetes envelope: 150,000 pods on 5,000 nodes
PER_REPLICA_SET = 1_000  # replicas per Deployment in the owned scenario


class _NoopClient:
    """Stands in for the API server: the binding is accepted and nothing else is asked."""

    def bind(self, pod_name: str, namespace: str, node_name: str) -> None:
        return None


class _NoopRecorder:
    def event(self, *args, **kwargs) -> None:
        return None


def node(i: int) -> dict:
    name = f"node-{i}"
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
        "spec": {},
        "status": {
            "capacity": {"pods": "110", "cpu": "4", "memory": "32Gi"},
            "allocatable": {"pods": "110", "cpu": "4", "memory": "32Gi"},
        },
    }


def pod(i: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"pod-{i}", "namespace": "default", "resourceVersion": str(i + 1)},
        "spec": {
            "schedulerName": "default-scheduler",
            "priority": 0,
            "containers": [
                {
                    "name": "pause",
                    "image": "registry.k8s.io/pause:3.10",
                    "resources": {
                        "requests": {"cpu": "100m", "memory": "500Mi"},
                        "limits": {"cpu": "100m", "memory": "500Mi"},
                    },
                }
            ],
        },
        "status": {"phase": "Pending"},
    }


def replica_set(j: int) -> dict:
    name = f"app-{j}-5d8f7c9b6"
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default", "uid": f"rs-{j}"},
        "spec": {
            "replicas": PER_REPLICA_SET,
            "selector": {"matchLabels": {"app": f"app-{j}", "pod-template-hash": "5d8f7c9b6"}},
        },
    }


def owned_pod(i: int) -> dict:
    """Pod ``i`` as ReplicaSet ``i // 1000`` creates it: its labels and a controller ownerReference."""
    j = i // PER_REPLICA_SET
    body = pod(i)
    body["metadata"]["labels"] = {"app": f"app-{j}", "pod-template-hash": "5d8f7c9b6"}
    body["metadata"]["ownerReferences"] = [
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "name": f"app-{j}-5d8f7c9b6",
            "uid": f"rs-{j}",
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    return body


def _scheduler(nodes: int, seed: int, owned_pods: int = 0) -> Scheduler:
    """A scheduler whose cache holds ``nodes`` nodes (and, for owned pods, their ReplicaSets)."""
    sched = Scheduler(Loop(seed=seed, trace=False), _NoopClient(), recorder=_NoopRecorder())
    for i in range(nodes):
        sched.add_node_to_cache(node(i))
    replica_sets = sched.informers.informer("replicasets").indexer
    for j in range(-(-owned_pods // PER_REPLICA_SET)):
        replica_sets.add(replica_set(j))
    return sched


def _schedule(sched: Scheduler, first: int, count: int, make=None) -> tuple[float, float]:
    """Queue ``count`` pods, then schedule them all; returns (wall seconds, CPU seconds)."""
    make = make or pod
    for i in range(first, first + count):
        sched.add_pod_to_scheduling_queue(make(i))
    wall, cpu = time.perf_counter(), time.process_time()
    while True:
        pinfo = sched.queue._pop_now()
        if pinfo is None:
            break
        schedule_one(sched, pinfo)
    return time.perf_counter() - wall, time.process_time() - cpu


def api_path(nodes: int = API_NODES, pods: int = API_PODS) -> tuple[float, float]:
    """End to end: pods created through a real API server, watched, scheduled, bound (Binding
    subresource), Scheduled events written, bound pods watched back. Returns (pods/s, pods/CPU-s)."""
    from k8slearn.apiserver import APIServer
    from k8slearn.etcd import MVCCStore

    loop = Loop(seed=0, trace=False)
    server = APIServer(MVCCStore(), loop)
    api = server.client("bench")
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    for i in range(nodes):
        api.create(node(i))
    Scheduler(loop, server.client("kube-scheduler")).start()
    loop.settle()
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(pods):
        body = pod(i)
        del body["metadata"]["resourceVersion"]
        api.create(body)
    loop.settle()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert all(p["spec"].get("nodeName") for p in api.list("pods", "default"))
    return pods / wall, pods / cpu


def envelope(nodes: int = NODES, pods: int = ENVELOPE_PODS, owned: bool = False) -> tuple[float, float]:
    """Place ``pods`` pods (owned by ReplicaSets, or by nobody) on ``nodes`` nodes, scheduling only;
    returns (wall s, CPU s)."""
    sched = _scheduler(nodes, 1, pods if owned else 0)
    wall = cpu = 0.0
    for first in range(0, pods, 10_000):  # queue them in batches (the queue is a heap of pending pods)
        w, c = _schedule(sched, first, min(10_000, pods - first), owned_pod if owned else pod)
        wall, cpu = wall + w, cpu + c
    placed = sum(len(info.pods) for info in sched.cache.nodes.values())
    assert placed == pods, f"only {placed} of {pods} pods were placed"
    return wall, cpu


def owned(
    nodes: int = NODES, initial: int = INITIAL_PODS, measured: int = MEASURED_PODS
) -> tuple[float, float]:
    """ReplicaSet-owned pods at ``nodes`` nodes: (wall s, CPU s) for the ``measured`` pods."""
    sched = _scheduler(nodes, 2, initial + measured)
    _schedule(sched, 0, initial, owned_pod)
    return _schedule(sched, initial, measured, owned_pod)


def main(
    nodes: int = NODES,
    initial: int = INITIAL_PODS,
    measured: int = MEASURED_PODS,
    api_nodes: int = API_NODES,
    api_pods: int = API_PODS,
    envelope_pods: int = ENVELOPE_PODS,
    owned_pods: int = MEASURED_PODS,
) -> dict:
    loop = Loop(seed=0, trace=False)
    sched = Scheduler(loop, _NoopClient(), recorder=_NoopRecorder())
    t0 = time.perf_counter()
    for i in range(nodes):
        sched.add_node_to_cache(node(i))
    build_s = time.perf_counter() - t0
    warmup_s, _ = _schedule(sched, 0, initial)
    measured_s, measured_cpu_s = _schedule(sched, initial, measured)
    placed = sum(len(info.pods) for info in sched.cache.nodes.values())
    api_wall, api_cpu = api_path(api_nodes, api_pods) if api_pods else (0.0, 0.0)
    env_wall, env_cpu = envelope(nodes, envelope_pods) if envelope_pods else (0.0, 0.0)
    owned_wall, owned_cpu = owned(nodes, initial, owned_pods) if owned_pods else (0.0, 0.0)
    env_owned_wall, env_owned_cpu = (
        envelope(nodes, envelope_pods, owned=True) if envelope_pods else (0.0, 0.0)
    )
    return {
        "nodes": nodes,
        "initial_pods": initial,
        "measured_pods": measured,
        "placed_pods": placed,
        "build_nodeinfos_s": round(build_s, 3),
        "initial_pods_per_s": round(initial / warmup_s, 1),
        "pods_per_s": round(measured / measured_s, 1),
        "pods_per_cpu_s": round(measured / measured_cpu_s, 1),
        "ms_per_pod": round(1000 * measured_s / measured, 3),
        "upstream_bar_pods_per_s": UPSTREAM_BAR,
        "goal_pods_per_s": GOAL,
        "measured": "scheduling only (NodeInfos built through the informer handlers, no API server)",
        "api_path_nodes": api_nodes,
        "api_path_pods": api_pods,
        "api_path_pods_per_s": round(api_wall, 1),
        "api_path_pods_per_cpu_s": round(api_cpu, 1),
        "envelope_pods": envelope_pods,
        "envelope_wall_s": round(env_wall, 1),
        "envelope_cpu_s": round(env_cpu, 1),
        "envelope_pods_per_cpu_s": round(envelope_pods / env_cpu, 1) if env_cpu else 0.0,
        "owned_pods": owned_pods,
        "owned_pods_per_s": round(owned_pods / owned_wall, 1) if owned_wall else 0.0,
        "owned_cpu_ms_per_pod": round(1000 * owned_cpu / owned_pods, 3) if owned_pods else 0.0,
        "envelope_owned_wall_s": round(env_owned_wall, 1),
        "envelope_owned_cpu_s": round(env_owned_cpu, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


if __name__ == "__main__":
    result = main()
    for key, value in result.items():
        print(f"{key:>26}: {value}")
    print(
        f"\nscheduler: {result['pods_per_s']:,.0f} pods/s wall, {result['pods_per_cpu_s']:,.0f} pods per "
        f"CPU-second, at {result['nodes']:,} nodes (upstream scheduler_perf bar {UPSTREAM_BAR} pods/s; "
        f"goal {GOAL:,} pods/s)"
    )
    print(
        f"end to end through the API server: {result['api_path_pods_per_s']:,.0f} pods/s wall at "
        f"{result['api_path_nodes']:,} nodes"
    )
    print(
        f"150,000 pods on {result['nodes']:,} nodes: {result['envelope_wall_s']:,.0f} s wall, "
        f"{result['envelope_cpu_s']:,.0f} CPU-s"
    )
    print(
        f"pods owned by ReplicaSets of {PER_REPLICA_SET:,}: {result['owned_cpu_ms_per_pod']} CPU-ms per pod "
        f"at {result['nodes']:,} nodes; 150,000 of them: {result['envelope_owned_wall_s']:,.0f} s wall, "
        f"{result['envelope_owned_cpu_s']:,.0f} CPU-s"
    )
