"""Benchmark: the simulated kube-apiserver at the Kubernetes envelope (150,000 pods).

Measures, on one fresh API server: creating pods through the full request path (defaulting,
admission, validation, etcd txn, watch cache), listing all of them from the watch cache,
listing one node's pods through the ``spec.nodeName`` index, and a node-pinned watch's cost.

Goal (perf-anchors G4): listing 150,000 pods <= 0.5 s.

Run: ``python bench/bench_apiserver.py`` (or ``make bench``); ``main(pods=...)`` returns the numbers.
"""

from __future__ import annotations

import sys
import time

from k8slearn.apiserver import APIServer
from k8slearn.etcd import MVCCStore
from k8slearn.sim import Loop

LIST_GOAL_SECONDS = 0.5


def _pod(i: int, node: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"web-{i:06d}", "namespace": f"ns-{i % 50}", "labels": {"app": "web"}},
        "spec": {"nodeName": node, "containers": [{"name": "app", "image": "registry.k8s.io/pause:3.10",
                                                   "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]},
    }


def main(pods: int = 150_000, nodes: int = 5_000) -> dict:
    """Create ``pods`` pods spread over ``nodes`` node names and time the API server's hot paths."""
    loop = Loop(seed=0, trace=False)
    server = APIServer(MVCCStore(), loop)
    api = server.client("bench")
    for n in range(50):
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"ns-{n}"}})
    kubelet_watch = api.watch("pods", field_selector="spec.nodeName=node-00001")

    start = time.perf_counter()
    for i in range(pods):
        api.create(_pod(i, f"node-{i % nodes:05d}"))
    create_s = time.perf_counter() - start

    start = time.perf_counter()
    items = api.list("pods")
    list_s = time.perf_counter() - start

    start = time.perf_counter()
    mine = api.list("pods", field_selector="spec.nodeName=node-00042")
    node_list_s = time.perf_counter() - start

    start = time.perf_counter()
    labelled = api.list("pods", label_selector="app=web", namespace="ns-7")
    ns_list_s = time.perf_counter() - start

    return {
        "pods": len(items),
        "create_seconds": create_s,
        "creates_per_second": pods / create_s if create_s else float("inf"),
        "list_seconds": list_s,
        "list_goal_seconds": LIST_GOAL_SECONDS,
        "node_list_seconds": node_list_s,
        "node_list_items": len(mine),
        "namespace_label_list_seconds": ns_list_s,
        "namespace_label_list_items": len(labelled),
        "kubelet_watch_events": len(kubelet_watch),
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 150_000
    r = main(pods=n)
    print(f"apiserver create {r['pods']:,} pods: {r['create_seconds']:.2f} s "
          f"({r['creates_per_second']:,.0f} creates/s)")
    print(f"apiserver list {r['pods']:,} pods: {r['list_seconds']:.2f} s (goal <= {r['list_goal_seconds']} s)")
    print(f"apiserver list one node's pods ({r['node_list_items']}) via the spec.nodeName index: "
          f"{r['node_list_seconds'] * 1000:.2f} ms")
    print(f"apiserver list one namespace with -l app=web ({r['namespace_label_list_items']:,}): "
          f"{r['namespace_label_list_seconds'] * 1000:.1f} ms")
    print(f"a kubelet's spec.nodeName watch received {r['kubelet_watch_events']} events "
          f"(not {r['pods']:,})")
