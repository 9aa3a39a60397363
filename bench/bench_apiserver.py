"""Benchmark: the simulated kube-apiserver at the Kubernetes envelope (150,000 pods).

Measures, on one fresh API server (tracing off, Python's garbage collector left on): creating
pods through the whole request path (defaulting, admission, validation, etcd transaction, watch
cache, watch fan-out), listing all of them from the watch cache (first list, which merges the
new keys, and a steady-state list), listing one node's pods through the ``spec.nodeName`` index,
and one namespace with a label selector. A kubelet-style ``spec.nodeName`` watch shows the
fan-out: it receives its node's events only.

Then the write path a kubelet-driven cluster exercises (``lifecycle``): per pod, the create a
ReplicaSet sends (generateName), the scheduler's binding, three kubelet status updates and six
Events, with a scheduler-style watch on every pod, a kubelet ``spec.nodeName`` watch per node
and a watch on Events: microseconds per request of each kind, and the bytes etcd and the watch
cache keep per pod. And node registration with one ``metadata.name`` watch per node, as
kubelets have (``node_fanout``): each watch must hear its own Node only, at a cost per node that
does not grow with the number of nodes.

Goal (perf-anchors G4): listing 150,000 pods <= 0.5 s.

Run: ``python bench/bench_apiserver.py [PODS]`` or ``make bench``; ``main()`` returns the numbers.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from k8slearn.api.meta import thaw  # noqa: E402
from k8slearn.apiserver import APIServer  # noqa: E402
from k8slearn.etcd import MVCCStore  # noqa: E402
from k8slearn.sim import Loop  # noqa: E402

LIST_GOAL_SECONDS = 0.5
EVENT_REASONS = ("Scheduled", "Pulling", "Pulled", "Created", "Started", "SuccessfulCreate")
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


def _replica_pod(i: int) -> dict:
    """What a ReplicaSet controller sends: generateName, labels, an owner, one container."""
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7c4b4cb947", "controller": True,
             "uid": "e6fd68e8-d69c-41c2-b860-1602bb4a06cb", "blockOwnerDeletion": True}
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"generateName": "web-7c4b4cb947-", "namespace": "default", "ownerReferences": [owner],
                         "labels": {"app": "web", "pod-template-hash": "7c4b4cb947"}},
            "spec": {"containers": [{"name": "app", "image": "nginx:1.27",
                                     "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}}}]}}


def _kubelet_status(phase: str, ready: bool, host_ip: str, pod_ip: str) -> dict:
    """A status as the kubelet writes it (conditions, one container status, addresses)."""
    flag = "True" if ready else "False"
    since = "2026-01-05T09:00:01Z"
    conditions = [{"type": t, "status": flag, "lastProbeTime": None, "lastTransitionTime": since}
                  for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady")]
    state = {"running": {"startedAt": since}} if ready else {"waiting": {"reason": "ContainerCreating"}}
    return {"conditions": conditions, "phase": phase, "hostIP": host_ip, "hostIPs": [{"ip": host_ip}],
            "podIP": pod_ip, "podIPs": [{"ip": pod_ip}],
            "containerStatuses": [{"name": "app", "image": "docker.io/library/nginx:1.27", "imageID": "",
                                   "ready": ready, "restartCount": 0, "started": ready, "state": state,
                                   "lastState": {}}]}


def _event(pod_name: str, reason: str, i: int) -> dict:
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": f"{pod_name}.{i:016x}", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": pod_name, "apiVersion": "v1"},
            "reason": reason, "message": f"{reason} {pod_name}", "type": "Normal", "count": 1,
            "source": {"component": "kubelet"}, "firstTimestamp": "2026-01-05T09:00:01Z",
            "lastTimestamp": "2026-01-05T09:00:01Z", "reportingComponent": "kubelet"}


def lifecycle(pods: int = 5_000, nodes: int = 500, verbose: bool = True) -> dict:
    """Each pod's writes (create, bind, 3 status updates, 6 Events) with watches as a cluster has them."""
    server = APIServer(MVCCStore(), Loop(seed=0, trace=False))
    api = server.client("bench")
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    buffered = [api.watch("pods"), api.watch("events")]
    buffered += [api.watch("pods", field_selector=f"spec.nodeName=node-{n:05d}") for n in range(nodes)]
    cache = server.cacher.cache("pods")
    spent = {"create": 0.0, "bind": 0.0, "update_status": 0.0, "event": 0.0}
    clock = time.process_time
    for i in range(pods):
        node = f"node-{i % nodes:05d}"
        start = clock()
        name = api.create(_replica_pod(i))["metadata"]["name"]
        spent["create"] += clock() - start
        start = clock()
        api.bind(name, "default", node)
        spent["bind"] += clock() - start
        for phase, ready in (("Pending", False), ("Running", False), ("Running", True)):
            body = thaw(cache.get(f"/registry/pods/default/{name}"))  # the kubelet's copy of its cached pod
            body["status"] = _kubelet_status(phase, ready, "172.18.0.2", f"10.244.{i % 250}.{i % 200 + 2}")
            start = clock()
            api.update_status(body)
            spent["update_status"] += clock() - start
        for j, reason in enumerate(EVENT_REASONS):
            body = _event(name, reason, i * 8 + j)
            start = clock()
            api.create(body)
            spent["event"] += clock() - start
        if i % 100 == 99:
            for w in buffered:
                list(w)
    store = server.store
    # the bytes written over all revisions (a superseded revision is kept compressed; size is its length)
    history = sum(getattr(kv, "size", None) or len(kv.value) for kv in store._backend)
    per = {"create": 1, "bind": 1, "update_status": 3, "event": 6}
    r: dict[str, Any] = {f"{k}_us": round(v / (pods * per[k]) * 1e6, 1) for k, v in spent.items()}
    r["per_pod_us"] = round(sum(spent.values()) / pods * 1e6)
    r["etcd_value_bytes_per_pod_all_revisions"] = round(history / pods)
    r["etcd_value_bytes_per_pod_live"] = round(store.db_size / pods)
    if verbose:
        print(f"apiserver pod lifecycle ({pods:,} pods, {nodes} node watches): create {r['create_us']} us, "
              f"bind {r['bind_us']} us, status update {r['update_status_us']} us, event {r['event_us']} us; "
              f"{r['per_pod_us']} us of API server CPU per pod")
        print(f"etcd keeps {r['etcd_value_bytes_per_pod_all_revisions']:,} value bytes per pod until "
              f"compaction ({r['etcd_value_bytes_per_pod_live']:,} live)")
    return r


def node_fanout(nodes: int = 2_000, verbose: bool = True) -> dict:
    """Nodes register while every kubelet already watches its own Node by ``metadata.name``."""
    server = APIServer(MVCCStore(), Loop(seed=0, trace=False))
    names = [f"node-{n:05d}" for n in range(nodes)]
    watches = [server.client(f"kubelet/{n}").watch("nodes", field_selector=f"metadata.name={n}")
               for n in names]
    api = server.client("bench")
    halves = []
    for part in (names[: nodes // 2], names[nodes // 2:]):
        start = time.process_time()
        for n in part:
            api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": n},
                        "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"}}})
        halves.append((time.process_time() - start) / len(part))
    heard = [[obj["metadata"]["name"] for _, obj in w] for w in watches]
    own_only = all(h == [n] for h, n in zip(heard, names))
    r = {"nodes": nodes, "first_half_us_per_node": round(halves[0] * 1e6, 1),
         "second_half_us_per_node": round(halves[1] * 1e6, 1), "each_watch_heard_its_own_node_only": own_only}
    if verbose:
        print(f"registering {nodes:,} nodes with a metadata.name watch each: "
              f"{r['first_half_us_per_node']} us per node for the first half, "
              f"{r['second_half_us_per_node']} us for the second; "
              f"each watch heard its own node only: {own_only}")
    return r


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
    r["lifecycle"] = lifecycle(verbose=verbose)
    r["node_fanout"] = node_fanout(verbose=verbose)
    return r


if __name__ == "__main__":
    main(pods=int(sys.argv[1]) if len(sys.argv) > 1 else 150_000)
