"""Course helpers: the real plugins behind plain-data questions, for chapter 06's exercises.

The exercises describe nodes and pods with small dicts (millicores and MiB as integers); these
functions answer the same questions by running the package's real code on them, so a student's
toy version and k8slearn can be compared on the same case tables
(:mod:`k8slearn.course.cases.scheduling`).

>>> pick_node({"cpu": 500, "memory": 256}, [
...     {"name": "node-1", "cpu": 2000, "memory": 4096, "used_cpu": 1800, "used_memory": 0},
...     {"name": "node-2", "cpu": 2000, "memory": 4096, "used_cpu": 200, "used_memory": 0}])
'node-2'
>>> spread_allows({"zone-a": 2, "zone-b": 0}, "zone-a", max_skew=1)
False

Upstream: none (teaching helpers); the answers come from pkg/scheduler's plugins as modelled here.
"""

from __future__ import annotations

import random

from k8slearn.api.field import Path
from k8slearn.scheduler.framework import CycleState, Diagnosis, Framework, Handle
from k8slearn.scheduler.node_info import NodeInfo
from k8slearn.scheduler.plugins.node_affinity import NodeSelectorTerm
from k8slearn.scheduler.plugins.node_resources_fit import fits_request
from k8slearn.scheduler.plugins.pod_topology_spread.filtering import PreFilterState, skew
from k8slearn.scheduler.profile import Profile
from k8slearn.scheduler.resources import PodInfo, pod_requests
from k8slearn.scheduler.snapshot import Snapshot

MI = 2**20


def requirement_matches(requirement: dict, labels: dict) -> bool:
    """One ``matchExpressions`` entry (In, NotIn, Exists, DoesNotExist, Gt, Lt) against node labels."""
    return NodeSelectorTerm({"matchExpressions": [requirement]}, Path()).matches(labels, "")


def _pod(name: str, cpu: int, memory: int, tolerations=(), node_name: str = "") -> dict:
    requests = {}
    if cpu:
        requests["cpu"] = f"{cpu}m"
    if memory:
        requests["memory"] = f"{memory}Mi"
    spec: dict = {"containers": [{"name": "app", "image": "nginx", "resources": {"requests": requests}}]}
    if tolerations:
        spec["tolerations"] = [{"key": k, "operator": "Exists"} for k in tolerations]
    if node_name:
        spec["nodeName"] = node_name
    return {"metadata": {"name": name, "namespace": "default"}, "spec": spec}


def _node_info(n: dict) -> NodeInfo:
    node = {
        "metadata": {"name": n["name"], "labels": {"kubernetes.io/hostname": n["name"]}},
        "spec": {"taints": [{"key": k, "effect": "NoSchedule"} for k in n.get("taints", ())]},
        "status": {
            "allocatable": {
                "cpu": f"{n['cpu']}m",
                "memory": f"{n['memory']}Mi",
                "pods": str(n.get("pods", 110)),
            }
        },
    }
    running = []
    if n.get("used_cpu") or n.get("used_memory"):
        running.append(
            PodInfo(
                _pod(f"{n['name']}-used", n.get("used_cpu", 0), n.get("used_memory", 0), node_name=n["name"])
            )
        )
    return NodeInfo(node, running)


def insufficient(request: dict, free: dict) -> list[str]:
    """What NodeResourcesFit says about ``request`` ({"cpu": "500m", "memory": "1Gi"}) on a node with
    ``free`` left ({"cpu": "1", "memory": "512Mi", "pods": 3}): the reasons, [] when it fits."""
    allocatable = {
        "cpu": str(free.get("cpu", "0")),
        "memory": str(free.get("memory", "0")),
        "pods": str(free.get("pods", 110)),
    }
    info = NodeInfo({"metadata": {"name": "n"}, "status": {"allocatable": allocatable}})
    pod = {"spec": {"containers": [{"resources": {"requests": dict(request)}}]}}
    return fits_request(pod_requests(pod), info)


def pick_node(pod: dict, nodes: list[dict]) -> str | None:
    """The node the default profile picks for ``pod`` ({"cpu": m, "memory": Mi, "tolerations": [key]})
    among ``nodes`` ({"name", "cpu", "memory", "used_cpu", "used_memory", "taints": [key]}); None
    when no node fits. (Ties would be broken at random; the course's cases have none.)"""
    infos = [_node_info(n) for n in nodes]
    snapshot = Snapshot(infos)
    fwk = Framework(Profile(), Handle(snapshot=snapshot, rng=random.Random(0)))
    p = _pod("new", pod.get("cpu", 0), pod.get("memory", 0), pod.get("tolerations", ()))
    state = CycleState(PodInfo(p))
    _, status, _ = fwk.run_pre_filter_plugins(state, p)
    if not status.is_success():
        return None
    feasible = fwk.run_filter_plugins_on_nodes(state, p, infos, Diagnosis())
    if not feasible:
        return None
    if len(feasible) == 1:
        return feasible[0].name
    fwk.run_pre_score_plugins(state, p, feasible)
    totals, _ = fwk.run_score_plugins(state, p, feasible)
    return feasible[totals.index(max(totals))].name


def spread_allows(counts: dict, zone: str, max_skew: int, self_match: bool = True) -> bool:
    """PodTopologySpread's rule: matching pods in the zone (+1 for the new pod) − the fewest in any
    zone <= maxSkew."""
    state = PreFilterState([None], [dict(counts)])
    return skew(state, 0, zone, 1 if self_match else 0) <= max_skew
