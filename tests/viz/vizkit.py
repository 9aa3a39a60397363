"""Tiny builders of Kubernetes JSON for the viz tests, and a cluster-like fake with the Cluster API
the widget uses (api.list, now, step, run, settle, add_node, stop_node, start_node, kubectl, trace,
kubelets, controller_managers)."""

from __future__ import annotations

import copy
from typing import NamedTuple

import yaml

from k8slearn.sim import Step

CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def node(name: str, ready: str = "True", unschedulable: bool = False, control_plane: bool = False) -> dict:
    labels = {"kubernetes.io/hostname": name}
    spec: dict = {}
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        spec["taints"] = [dict(CONTROL_PLANE_TAINT)]
    if unschedulable:
        spec["unschedulable"] = True
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels}, "spec": spec,
            "status": {"conditions": [{"type": "Ready", "status": ready}]}}


def pod(name: str, node_name: str = "", status: str = "Running", labels: dict | None = None,
        namespace: str = "default", owner: tuple = ()) -> dict:
    """A pod whose kubectl STATUS will be ``status`` (Running, Pending, ContainerCreating,
    CrashLoopBackOff, Terminating, Succeeded, Failed)."""
    meta: dict = {"name": name, "namespace": namespace, "labels": dict(labels or {})}
    if owner:
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": owner[0], "name": owner[1],
                                    "uid": f"uid-{owner[1]}", "controller": True}]
    phase, container = "Running", {"name": "c", "ready": True, "state": {"running": {}}}
    if status in ("Pending", "ContainerCreating"):
        phase = "Pending"
        container = {"name": "c", "ready": False, "state": {"waiting": {"reason": "ContainerCreating"}}}
    elif status == "CrashLoopBackOff":
        container = {"name": "c", "ready": False, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}
    elif status == "Terminating":
        meta["deletionTimestamp"] = "2024-01-01T00:00:30Z"
    elif status in ("Succeeded", "Failed"):
        phase = status
        exit_code = 0 if status == "Succeeded" else 1
        container = {"name": "c", "ready": False, "state": {"terminated": {"exitCode": exit_code}}}
    status_obj: dict = {"phase": phase}
    if status != "Pending":                         # a Pending pod's kubelet has not reported yet
        status_obj["containerStatuses"] = [container]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"nodeName": node_name, "containers": [{"name": "c", "image": "nginx"}]} if node_name
            else {"containers": [{"name": "c", "image": "nginx"}]},
            "status": status_obj}


def service(name: str, selector: dict | None, namespace: str = "default") -> dict:
    spec: dict = {"type": "ClusterIP", "ports": [{"port": 80}]}
    if selector is not None:
        spec["selector"] = dict(selector)
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": namespace},
            "spec": spec}


def owner(kind: str, name: str, namespace: str = "default", replicas: int = 1, owned_by: tuple = ()) -> dict:
    meta: dict = {"name": name, "namespace": namespace}
    if owned_by:
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": owned_by[0], "name": owned_by[1],
                                    "uid": f"uid-{owned_by[1]}", "controller": True}]
    api = "apps/v1"
    return {"apiVersion": api, "kind": kind, "metadata": meta, "spec": {"replicas": replicas},
            "status": {"desiredNumberScheduled": replicas} if kind == "DaemonSet" else {}}


def sample_objects() -> list:
    """The demo picture: a control-plane node, three workers, a Deployment's pods, a pending pod,
    a crashing pod, a terminating pod and a Service."""
    objs = [node("control-plane", control_plane=True), node("node-1"), node("node-2"), node("node-3")]
    rs = ("ReplicaSet", "web-7c4b4cb947")
    objs += [owner("Deployment", "web", replicas=3), owner("ReplicaSet", "web-7c4b4cb947", replicas=3,
                                                             owned_by=("Deployment", "web"))]
    objs += [pod("web-7c4b4cb947-x2x9z", "node-1", labels={"app": "web"}, owner=rs),
             pod("web-7c4b4cb947-k8m4p", "node-2", labels={"app": "web"}, owner=rs),
             pod("web-7c4b4cb947-q9r2d", "node-3", "ContainerCreating", labels={"app": "web"}, owner=rs),
             pod("db", "node-1", labels={"app": "db"}),
             pod("batch-1", "node-2", "CrashLoopBackOff", labels={"app": "batch"}),
             pod("old-cache", "node-3", "Terminating", labels={"app": "cache"}),
             pod("big-job", "", "Pending", labels={"app": "job"}),
             service("web", {"app": "web"})]
    return objs


class Result(NamedTuple):
    stdout: str
    stderr: str
    code: int


class FakeApi:
    def __init__(self, store: dict) -> None:
        self.store = store

    def list(self, resource: str, namespace=None, label_selector=None, field_selector=None) -> list:
        return [copy.deepcopy(o) for o in self.store.get(resource, [])]


PLURAL = {"Node": "nodes", "Pod": "pods", "Service": "services", "Endpoints": "endpoints",
          "Deployment": "deployments", "ReplicaSet": "replicasets", "DaemonSet": "daemonsets"}


class FakeProcess:
    """A kubelet (``running``) or a kube-controller-manager (``is_up()``, ``identity`` =
    ``<hostname>_<uuid>``, which names the machine it runs on)."""

    def __init__(self, identity: str = "") -> None:
        self.identity, self.running = identity, True

    def is_up(self) -> bool:
        return self.running


class FakeCluster:
    """Just enough of k8slearn.Cluster for the widget: each action changes the stored objects.
    ``control_plane_replicas=2`` adds a standby kube-controller-manager on ``control-plane-2``."""

    def __init__(self, objects: list | None = None, control_plane_replicas: int = 1) -> None:
        self.store: dict = {}
        for obj in objects if objects is not None else sample_objects():
            self.store.setdefault(PLURAL[obj["kind"]], []).append(obj)
        self.api = FakeApi(self.store)
        self.now = 0.0
        self.trace: list = []
        self.joining: list = []
        self.kubelets = {name: FakeProcess() for name in self.node_names()}
        hosts = ["control-plane"] + [f"control-plane-{i + 1}" for i in range(1, control_plane_replicas)]
        self.controller_managers = [FakeProcess(f"{host}_0000") for host in hosts]

    def _record(self, component: str, action: str, obj: str, detail: str = "") -> Step:
        step = Step(self.now, component, action, obj, detail)
        self.trace.append(step)
        return step

    def step(self) -> Step:
        self.now += 0.5
        if self.joining:
            name = self.joining.pop(0)
            self.store["nodes"].append(node(name))
            return self._record(f"kubelet/{name}", "create", f"node/{name}")
        return self._record("kube-scheduler", "bind", "pod/default/big-job", "node-1")

    def run(self, seconds: float = 10) -> None:
        self.now += seconds
        self._record("kubelet", "renew", "lease/node-1")

    def settle(self) -> float:
        for p in self.store.get("pods", []):
            p["status"] = {"phase": "Running", "containerStatuses": [{"name": "c", "ready": True,
                                                                      "state": {"running": {}}}]}
            p["spec"].setdefault("nodeName", "node-1")
        self.now += 3.0
        self._record("kubelet", "sync", "pod/default/big-job")
        return 3.0

    def add_node(self, name: str | None = None) -> str:
        """Like the real one: the kubelet starts now and registers its Node on the next step."""
        name = name or f"node-{len(self.node_names())}"
        self.joining.append(name)
        self.kubelets[name] = FakeProcess()
        return name

    def node_names(self) -> list:
        return [n["metadata"]["name"] for n in self.store.get("nodes", [])] + self.joining

    def _set_ready(self, name: str, status: str) -> None:
        for n in self.store["nodes"]:
            if n["metadata"]["name"] == name:
                n["status"]["conditions"][0]["status"] = status
                return
        raise KeyError(f'nodes "{name}" not found')

    def _power(self, name: str, on: bool) -> None:
        self.kubelets[name].running = on
        for manager in self.controller_managers:
            if manager.identity.startswith(f"{name}_"):
                manager.running = on

    def stop_node(self, name: str) -> None:
        self._set_ready(name, "Unknown")
        self._power(name, False)

    def start_node(self, name: str) -> None:
        self._set_ready(name, "True")
        self._power(name, True)

    def kubectl(self, cmd: str, stdin: str = "") -> Result:
        if cmd != "apply -f -":
            return Result("", f"error: unknown command {cmd!r}\n", 1)
        try:
            docs = [d for d in yaml.safe_load_all(stdin) if d]
        except yaml.YAMLError as exc:
            return Result("", f"error: error parsing STDIN: {exc}\n", 1)
        out = []
        for doc in docs:
            doc.setdefault("metadata", {}).setdefault("namespace", "default")
            self.store.setdefault(PLURAL[doc["kind"]], []).append(doc)
            out.append(f"{doc['kind'].lower()}/{doc['metadata']['name']} created\n")
        return Result("".join(out), "", 0)


def recorder(outputs: list):
    """A stand-in for ``panels.display_bundles``: each output it would show goes into ``outputs`` as
    a ``(data, metadata)`` pair (metadata ``{}`` when the bundle came without)."""
    def display_bundles(bundles: list) -> None:
        outputs.extend(b if isinstance(b, tuple) else (b, {}) for b in bundles)
    return display_bundles
