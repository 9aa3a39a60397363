"""Tiny builders for scheduler tests: ``node(...)``, ``pod(...)``, ``taint(...)``, ``toleration(...)``,
plus ``cluster(...)`` which wires a real API server, nodes and a started Scheduler."""

from __future__ import annotations

import os
import sys

from k8slearn.apiserver import APIServer
from k8slearn.etcd import MVCCStore
from k8slearn.kubelet.node_status import conditions, new_node
from k8slearn.scheduler import Scheduler
from k8slearn.scheduler.framework import CycleState
from k8slearn.scheduler.node_info import NodeInfo
from k8slearn.scheduler.resources import PodInfo
from k8slearn.sim import Loop

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/, for node_helpers
from node_helpers import create_ready_node  # (the helper the harnesses share)


def taint(key: str, value: str = "", effect: str = "NoSchedule") -> dict:
    t = {"key": key, "effect": effect}
    if value:
        t["value"] = value
    return t


def toleration(key: str = "", operator: str = "", value: str = "", effect: str = "") -> dict:
    t = {}
    for field, v in (("key", key), ("operator", operator), ("value", value), ("effect", effect)):
        if v:
            t[field] = v
    return t


def node(
    name: str = "node-1",
    cpu: str = "2",
    memory: str = "4Gi",
    pods: int = 110,
    taints=(),
    unschedulable: bool = False,
    labels: dict | None = None,
    extra: dict | None = None,
) -> dict:
    allocatable = {
        "cpu": cpu,
        "memory": memory,
        "pods": str(pods),
        "ephemeral-storage": "100Gi",
        **(extra or {}),
    }
    spec: dict = {}
    if taints:
        spec["taints"] = list(taints)
    if unschedulable:
        spec["unschedulable"] = True
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **(labels or {})}},
        "spec": spec,
        "status": {"allocatable": allocatable, "capacity": dict(allocatable)},
    }


def container(
    cpu: str | None = None,
    memory: str | None = None,
    name: str = "app",
    extra: dict | None = None,
    restart_policy: str = "",
) -> dict:
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
    requests.update(extra or {})
    c: dict = {"name": name, "image": "nginx"}
    if requests:
        c["resources"] = {"requests": requests}
    if restart_policy:
        c["restartPolicy"] = restart_policy
    return c


def pod(
    name: str = "web",
    cpu: str | None = None,
    memory: str | None = None,
    tolerations=(),
    node_name: str = "",
    priority: int | None = None,
    namespace: str = "default",
    containers: list | None = None,
    init_containers: list | None = None,
    overhead: dict | None = None,
    scheduler_name: str | None = None,
    labels: dict | None = None,
    node_selector: dict | None = None,
    affinity: dict | None = None,
    spread: list | None = None,
    host_port: int = 0,
    preemption_policy: str = "",
    image: str = "",
) -> dict:
    spec: dict = {"containers": containers if containers is not None else [container(cpu, memory)]}
    if init_containers:
        spec["initContainers"] = init_containers
    if tolerations:
        spec["tolerations"] = list(tolerations)
    if node_name:
        spec["nodeName"] = node_name
    if priority is not None:
        spec["priority"] = priority
    if overhead:
        spec["overhead"] = overhead
    if scheduler_name:
        spec["schedulerName"] = scheduler_name
    if node_selector:
        spec["nodeSelector"] = node_selector
    if affinity:
        spec["affinity"] = affinity
    if spread:
        spec["topologySpreadConstraints"] = spread
    if host_port:
        spec["containers"][0]["ports"] = [{"containerPort": host_port, "hostPort": host_port}]
    if preemption_policy:
        spec["preemptionPolicy"] = preemption_policy
    if image:
        spec["containers"][0]["image"] = image
    meta: dict = {"name": name, "namespace": namespace}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def expr(key: str, operator: str, *values: str) -> dict:
    """A node selector requirement: ``expr("disk", "In", "ssd")``."""
    e: dict = {"key": key, "operator": operator}
    if values:
        e["values"] = list(values)
    return e


def required_node_affinity(*terms: list) -> dict:
    """``affinity`` with required node affinity; each argument is one term's matchExpressions."""
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": list(t)} for t in terms]
            }
        }
    }


def pod_term(labels: dict, topology_key: str = "kubernetes.io/hostname") -> dict:
    return {"labelSelector": {"matchLabels": labels}, "topologyKey": topology_key}


def spread_constraint(
    max_skew: int = 1,
    key: str = "topology.kubernetes.io/zone",
    labels: dict | None = None,
    when: str = "DoNotSchedule",
    min_domains: int | None = None,
) -> dict:
    c = {
        "maxSkew": max_skew,
        "topologyKey": key,
        "whenUnsatisfiable": when,
        "labelSelector": {"matchLabels": labels or {"app": "web"}},
    }
    if min_domains is not None:
        c["minDomains"] = min_domains
    return c


def snapshot_of(*infos: NodeInfo):
    """A Handle whose snapshot holds these NodeInfos (for calling plugins directly)."""
    from k8slearn.scheduler.framework import Handle
    from k8slearn.scheduler.snapshot import Snapshot

    return Handle(snapshot=Snapshot(infos))


def node_info(n: dict, *pods: dict) -> NodeInfo:
    """A NodeInfo for node ``n`` with ``pods`` already running on it."""
    infos = []
    for p in pods:
        p = {**p, "spec": {**p["spec"], "nodeName": n["metadata"]["name"]}}
        infos.append(PodInfo(p))
    return NodeInfo(n, infos)


class MiniCluster:
    """A real API server with namespace ``default``, ready nodes, and a started Scheduler."""

    def __init__(
        self,
        nodes=(),
        seed: int = 0,
        control_plane: bool = False,
        workers: int = 0,
        cpu: str = "2",
        memory: str = "4Gi",
        profiles=None,
        start: bool = True,
    ) -> None:
        self.loop = Loop(seed)
        self.server = APIServer(MVCCStore(), self.loop)
        self.api = self.server.client("kubectl")
        self.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
        self._ip = 2
        if control_plane:
            self.add_real_node("control-plane", cpu, memory, control_plane=True)
        for i in range(1, workers + 1):
            self.add_real_node(f"node-{i}", cpu, memory)
        for n in nodes:
            create_ready_node(self.api, n)
        self.scheduler = Scheduler(self.loop, self.server.client("kube-scheduler"), profiles=profiles)
        if start:
            self.scheduler.start()

    def add_real_node(
        self, name: str, cpu: str = "2", memory: str = "4Gi", control_plane: bool = False, taints=None
    ) -> dict:
        """A Node as a kubelet registers it (kubelet.node_status.new_node), marked Ready."""
        n = new_node(
            name,
            f"172.18.0.{self._ip}",
            cpu=cpu,
            memory=memory,
            control_plane=control_plane,
            taints=taints,
            now=self.loop.now,
        )
        self._ip += 1
        n["status"]["conditions"] = conditions(self.loop.now, ready=True)
        return create_ready_node(self.api, n)

    def create(self, obj: dict) -> dict:
        return create_ready_node(self.api, obj) if obj.get("kind") == "Node" else self.api.create(obj)

    def settle(self) -> float:
        return self.loop.settle()

    def node_of(self, name: str, namespace: str = "default") -> str:
        return self.api.get("pods", name, namespace)["spec"].get("nodeName", "")

    def condition(self, name: str, ctype: str = "PodScheduled") -> dict | None:
        pod = self.api.get("pods", name)
        return next((c for c in pod.get("status", {}).get("conditions", []) if c["type"] == ctype), None)

    def events(self, name: str | None = None) -> list[tuple[str, str, str]]:
        return [
            (e["type"], e["reason"], e["message"])
            for e in self.api.list("events")
            if name is None or e["involvedObject"]["name"] == name
        ]

    def scheduler_steps(self, action: str) -> list:
        return [s for s in self.loop.trace if s.component == "kube-scheduler" and s.action == action]


# A ReplicaSet and a lister that knows it, for the system-default PodTopologySpread constraints.
REPLICA_SET = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": {"name": "web-1", "namespace": "default"},
    "spec": {"selector": {"matchLabels": {"app": "web"}}},
}


class OneReplicaSet:
    """A lister that knows one ReplicaSet (what the scheduler's informer would hold)."""

    def get(self, name, namespace=None):
        return REPLICA_SET if name == "web-1" else None

    def list(self, namespace=None):
        return [REPLICA_SET]


def scores(fwk, p: dict, nodes: list) -> tuple:
    """The totals and each score plugin's raw and normalized scores for pod ``p`` on ``nodes``."""
    state = CycleState(PodInfo(p))
    fwk.run_pre_filter_plugins(state, p)
    fwk.run_pre_score_plugins(state, p, nodes)
    totals, per_plugin = fwk.run_score_plugins(state, p, nodes)
    return totals, [(s.name, list(s.raw), list(s.normalized)) for s in per_plugin]


def plain_select_host(totals, rng):
    """The plain selectHost the fast one is compared with: a uniform draw among the best totals."""
    best = max(totals)
    tied = [i for i, t in enumerate(totals) if t == best]
    if len(tied) == 1:
        return tied[0], 1
    return tied[rng.randrange(len(tied))], len(tied)


def started(p: dict, at: str) -> dict:
    """The pod with ``status.startTime`` set (MoreImportantPod breaks priority ties with it)."""
    p["status"] = {"startTime": at}
    return p


def select_victims(running: list, incoming: dict, pdbs: tuple = (), cpu: str = "2") -> tuple:
    """DefaultPreemption's SelectVictimsOnNode on one node running ``running``: (victim names, the
    number of victims that break a budget, status)."""
    from k8slearn.scheduler import Framework, Profile

    info = node_info(node("node-1", cpu=cpu), *running)
    fwk = Framework(Profile(), snapshot_of(info))
    state = CycleState()
    fwk.run_pre_filter_plugins(state, incoming)
    victims, violations, status = fwk.plugins_by_name["DefaultPreemption"].select_victims_on_node(
        state, incoming, info.snapshot(), pdbs)
    return [v["metadata"]["name"] for v in victims], violations, status


PRIORITY_CLASSES = """
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: low}
value: 100
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: mid}
value: 500
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high-never}
value: 1000
preemptionPolicy: Never
"""
"""PriorityClasses for preemption tests: low (100), mid (500), high (1000), high-never (1000, may not preempt)."""
