"""Benchmark: the simulated kube-apiserver at the Kubernetes envelope (150,000 pods).

Measures, on one fresh API server (tracing off, Python's garbage collector left on): creating
pods through the whole request path (defaulting, admission, validation, etcd transaction, watch
cache, watch fan-out), listing all of them from the watch cache (first list, which merges the
new keys, and a steady-state list), listing one node's pods through the ``spec.nodeName`` index,
and one namespace with a label selector. A kubelet-style ``spec.nodeName`` watch shows the
fan-out: it receives its node's events only.

Goal (perf-anchors G4): listing 150,000 pods <= 0.5 s.

Run: ``python bench/bench_apiserver.py [PODS]`` or ``make bench``; ``main()`` returns the numbers.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from k8slearn.apiserver import APIServer  # noqa: E402
from k8slearn.etcd import MVCCStore  # noqa: E402
from k8slearn.sim import Loop  # noqa: E402

LIST_GOAL_SECONDS = 0.5
NAMESPACES = 50


def _pod(i: int, node: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"web-{i:06d}", "namespace": f"ns-{i % NAMESPACES}", "labels": {"app": "web"}},
        "spec": {"nodeName": node,
                 "containers": [{"name": "app", "image": "registry.k8s.io/pause:3.10",
                                 "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]},
    }


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main(pods: int = 150_000, nodes: int = 5_000, verbose: bool = True) -> dict:
    """Create ``pods`` pods spread over ``nodes`` node names and time the API server's hot paths."""
    server = APIServer(MVCCStore(), Loop(seed=0, trace=False))
    api = server.client("bench")
    for n in range(NAMESPACES):
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"ns-{n}"}})
    kubelet_watch = api.watch("pods", field_selector="spec.nodeName=node-00001")

    _, create_s = _timed(lambda: [api.create(_pod(i, f"node-{i % nodes:05d}")) for i in range(pods)])
    items, list_s = _timed(lambda: api.list("pods"))
    _, relist_s = _timed(lambda: api.list("pods"))
    mine, node_list_s = _timed(lambda: api.list("pods", field_selector="spec.nodeName=node-00042"))
    labelled, ns_list_s = _timed(lambda: api.list("pods", label_selector="app=web", namespace="ns-7"))

    r = {
        "pods": len(items),
        "create_seconds": round(create_s, 3),
        "creates_per_second": round(pods / create_s) if create_s else None,
        "list_seconds": round(list_s, 4),
        "relist_seconds": round(relist_s, 4),
        "list_goal_seconds": LIST_GOAL_SECONDS,
        "list_goal_met": list_s <= LIST_GOAL_SECONDS,
        "node_list_seconds": round(node_list_s, 6),
        "node_list_items": len(mine),
        "namespace_label_list_seconds": round(ns_list_s, 5),
        "namespace_label_list_items": len(labelled),
        "kubelet_watch_events": len(kubelet_watch),
    }
    if verbose:
        rate = r["creates_per_second"]
        print(f"apiserver create {r['pods']:,} pods: {create_s:.1f} s ({rate:,} creates/s)")
        print(f"apiserver list {r['pods']:,} pods: {list_s:.2f} s (goal <= {LIST_GOAL_SECONDS} s); "
              f"again: {relist_s:.2f} s")
        print(f"apiserver list one node's pods ({len(mine)}) via the spec.nodeName index: "
              f"{node_list_s * 1000:.2f} ms")
        print(f"apiserver list one namespace with -l app=web ({len(labelled):,} pods): "
              f"{ns_list_s * 1000:.1f} ms")
        print(f"a kubelet's spec.nodeName watch received {len(kubelet_watch)} events (of {pods:,} creates)")
    return r


if __name__ == "__main__":
    main(pods=int(sys.argv[1]) if len(sys.argv) > 1 else 150_000)
