"""How fast the cluster picture redraws: snapshot + graph + layout + draw + PNG encode.

The widget redraws after every button click, so a redraw must feel instant (DESIGN.md rule 7:
under 100 ms for the demo cluster). This times the same work ``ClusterView.refresh()`` does,
on a real ``k8slearn.Cluster`` when it can be built, otherwise on a cluster-like fake whose
``api.list`` returns deep copies of plain Kubernetes JSON dicts (what the real API returns).

Run: ``python bench/bench_viz.py``.
"""

from __future__ import annotations

import copy
import statistics
import time

GOAL_MS = 100.0
REPEATS = 15


class DictApi:
    def __init__(self, store: dict) -> None:
        self.store = store

    def list(self, resource: str, namespace=None, label_selector=None, field_selector=None) -> list:
        return copy.deepcopy(self.store.get(resource, []))


class DictCluster:
    """A cluster-like fake: N Ready workers plus a control-plane node, M Running pods of one
    Deployment spread round-robin, and a Service selecting them."""

    def __init__(self, workers: int, pods: int) -> None:
        nodes = [_node("control-plane", control_plane=True)]
        nodes += [_node(f"node-{i}") for i in range(1, workers + 1)]
        owner = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7c4b4cb947", "uid": "u1",
                  "controller": True}]
        pod_objs = [{"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": f"web-7c4b4cb947-{i:05d}", "namespace": "default",
                                  "labels": {"app": "web", "pod-template-hash": "7c4b4cb947"},
                                  "ownerReferences": owner},
                     "spec": {"nodeName": f"node-{i % workers + 1}", "containers": [{"name": "nginx",
                                                                                      "image": "nginx"}]},
                     "status": {"phase": "Running", "podIP": f"10.244.{i % workers + 1}.{i // workers + 2}",
                                "containerStatuses": [{"name": "nginx", "ready": True,
                                                       "state": {"running": {}}}]}}
                    for i in range(pods)]
        svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default"},
               "spec": {"selector": {"app": "web"}, "type": "ClusterIP"}}
        self.api = DictApi({"nodes": nodes, "pods": pod_objs, "services": [svc]})
        self.now = 0.0
        self.trace: list = []

    def node_names(self) -> list:
        return [n["metadata"]["name"] for n in self.api.store["nodes"]]


def _node(name: str, control_plane: bool = False) -> dict:
    labels = {"kubernetes.io/hostname": name}
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels},
            "spec": {}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}}


def make_cluster(workers: int, pods: int):
    """A real Cluster running ``pods`` replicas of one Deployment, or the dict fake; and which one."""
    try:
        from k8slearn import Cluster

        cluster = Cluster(workers=workers, seed=0)
        cluster.api.create({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"replicas": pods, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}})
        cluster.settle()
        running = len(cluster.api.list("pods", label_selector="app=web"))
        if running < pods:
            raise RuntimeError(f"the real cluster made {running} of {pods} pods")
        return cluster, "real Cluster"
    except Exception as exc:  # the cluster cannot do this yet: measure the picture on the fake
        return DictCluster(workers, pods), f"dict fake: {exc}"


def time_redraws(workers: int, pods: int) -> dict:
    from k8slearn.viz.widgets import ClusterView

    cluster, kind = make_cluster(workers, pods)
    view = ClusterView(cluster)
    samples, rebuilds = [], []
    for _ in range(REPEATS):
        start = time.perf_counter()
        view.refresh()
        samples.append((time.perf_counter() - start) * 1000)
    for _ in range(3):                      # a full rebuild: what adding or removing a node costs
        view.picture._key = None
        start = time.perf_counter()
        view.refresh()
        rebuilds.append((time.perf_counter() - start) * 1000)
    return {"workers": workers, "pods": pods, "cluster": kind, "median_ms": statistics.median(samples),
            "max_ms": max(samples), "rebuild_ms": statistics.median(rebuilds),
            "png_bytes": len(view.image.value)}


def main() -> dict:
    results = {"10 nodes / 100 pods": time_redraws(10, 100), "20 nodes / 400 pods": time_redraws(20, 400)}
    for label, r in results.items():
        goal = f" (goal <= {GOAL_MS:.0f} ms)" if label.startswith("10 ") else ""
        print(f"ClusterView redraw, {label}: median {r['median_ms']:.0f} ms{goal}"
              f"  [max {r['max_ms']:.0f} ms; full rebuild {r['rebuild_ms']:.0f} ms;"
              f" PNG {r['png_bytes'] // 1024} KB; {r['cluster']}]")
    return results


if __name__ == "__main__":
    main()
