"""Benchmark of the simulated kube-scheduler: SchedulingBasic at 5,000 nodes, and 150,000 pods.

Run: ``python bench/bench_scheduler.py`` (prints the numbers) or call ``main()`` for them.

Mirrors upstream scheduler_perf's ``SchedulingBasic/5000Nodes_10000Pods``: 5,000 nodes of 4 CPU /
32Gi / 110 pods, 1,000 pods placed first, then 10,000 measured pods, each requesting 100m CPU and
500Mi memory, with the full default profile (SchedulingGates, PrioritySort, NodeUnschedulable,
NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread,
InterPodAffinity, DefaultPreemption, NodeResourcesBalancedAllocation, ImageLocality, DefaultBinder;
adaptive percentageOfNodesToScore = 10% at 5,000 nodes). Then the Kubernetes envelope: 150,000 pods
placed on 5,000 nodes, scheduling only.

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


def _schedule(sched: Scheduler, first: int, count: int) -> tuple[float, float]:
    """Queue ``count`` pods, then schedule them all; returns (wall seconds, CPU seconds)."""
    for i in range(first, first + count):
        sched.add_pod_to_scheduling_queue(pod(i))
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


def envelope(nodes: int = NODES, pods: int = ENVELOPE_PODS) -> tuple[float, float]:
    """Place ``pods`` pods on ``nodes`` nodes, scheduling only; returns (wall s, CPU s)."""
    loop = Loop(seed=1, trace=False)
    sched = Scheduler(loop, _NoopClient(), recorder=_NoopRecorder())
    for i in range(nodes):
        sched.add_node_to_cache(node(i))
    wall = cpu = 0.0
    for first in range(0, pods, 10_000):  # queue them in batches (the queue is a heap of pending pods)
        w, c = _schedule(sched, first, min(10_000, pods - first))
        wall, cpu = wall + w, cpu + c
    placed = sum(len(info.pods) for info in sched.cache.nodes.values())
    assert placed == pods, f"only {placed} of {pods} pods were placed"
    return wall, cpu


def main(
    nodes: int = NODES,
    initial: int = INITIAL_PODS,
    measured: int = MEASURED_PODS,
    api_nodes: int = API_NODES,
    api_pods: int = API_PODS,
    envelope_pods: int = ENVELOPE_PODS,
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
