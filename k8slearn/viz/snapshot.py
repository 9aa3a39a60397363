"""A read-only record of what the cluster picture needs, read through the API server only.

The picture never reaches into components. Like ``kubectl get``, it lists objects from the API
server and keeps the few fields it shows: node readiness and taints, each pod's phase and the
STATUS column ``kubectl get pods`` would print, owners, services and their endpoints.

>>> snap = Snapshot.from_objects([
...     {"kind": "Node", "metadata": {"name": "node-1"},
...      "status": {"conditions": [{"type": "Ready", "status": "True"}]}},
...     {"kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
...      "spec": {"nodeName": "node-1"},
...      "status": {"phase": "Pending", "containerStatuses": [
...          {"name": "nginx", "state": {"waiting": {"reason": "ContainerCreating"}}}]}},
... ], now=2.5)
>>> snap.nodes[0].name, snap.nodes[0].ready
('node-1', 'True')
>>> pod = snap.pods[0]
>>> pod.namespace, pod.phase, pod.status, pod.node, pod.labels
('default', 'Pending', 'ContainerCreating', 'node-1', (('app', 'web'),))

Simplified: only the fields the picture uses are kept; labels are tuples of pairs so the record
cannot be changed by accident. Which control-plane processes are stopped (their machine powered
off) is asked of the cluster (``is_up()``), not of the API server, which would learn it only when
their leader Leases run out; only a process the cluster does not know (started by hand) is seen
through its fresh leader Lease (``led_elsewhere``). STATUS strings come from
``k8slearn.kubectl.printers`` (the same ``printPod``/``printNode`` rules ``kubectl get`` uses).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/get (what ``kubectl get`` lists) and
pkg/printers/internalversion/printers.go (``printPod``, ``printNode``).
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterable, Iterator, NamedTuple

from k8slearn.api.meta import parse_timestamp
from k8slearn.kubectl.printers import node_roles, node_row, pod_status

__all__ = ["EndpointsInfo", "NodeInfo", "OwnerInfo", "PodInfo", "ServiceInfo", "Snapshot", "as_snapshot",
           "snapshot", "unobserved"]

Labels = tuple  # tuple of (key, value) pairs, sorted by key


class NodeInfo(NamedTuple):
    """A Node as the picture sees it: its Ready condition and the STATUS ``kubectl get nodes`` prints."""

    name: str
    ready: str                      # the Ready condition's status: "True" / "False" / "Unknown"
    status: str                     # "Ready", "NotReady", "NotReady,SchedulingDisabled", ...
    unschedulable: bool             # cordoned: spec.unschedulable
    taints: tuple                   # ("key=value:Effect", ...)
    roles: tuple                    # from node-role.kubernetes.io/<role> labels
    labels: Labels

    @property
    def control_plane(self) -> bool:
        return "control-plane" in self.roles


class PodInfo(NamedTuple):
    """A Pod: phase, the STATUS ``kubectl get pods`` prints, where it runs, who owns it."""

    namespace: str
    name: str
    phase: str
    status: str
    node: str                       # spec.nodeName, "" while unscheduled
    labels: Labels
    owner: tuple                    # (kind, name) of the controller ownerReference, or ()


class ServiceInfo(NamedTuple):
    namespace: str
    name: str
    type: str
    selector: Labels                # spec.selector; () means the service selects nothing


class EndpointsInfo(NamedTuple):
    namespace: str
    name: str                       # same name as its Service
    ready: tuple                    # pod names in subsets[].addresses[].targetRef
    not_ready: tuple                # pod names in subsets[].notReadyAddresses[].targetRef


class OwnerInfo(NamedTuple):
    """A Deployment, ReplicaSet or DaemonSet and its own controller (a ReplicaSet's Deployment)."""

    kind: str
    namespace: str
    name: str
    owner: tuple                    # (kind, name) or ()
    desired: int                    # spec.replicas, or status.desiredNumberScheduled for a DaemonSet


class Snapshot(NamedTuple):
    """Everything the picture shows, at simulated time ``now``."""

    now: float
    nodes: tuple
    pods: tuple
    services: tuple
    endpoints: tuple
    owners: tuple
    stopped: tuple = ()             # control-plane components with no process running: "kube-scheduler", ...

    @classmethod
    def from_objects(cls, objects: Iterable[dict], now: float = 0.0, stopped: tuple = ()) -> "Snapshot":
        """Build a snapshot from plain manifests (Kubernetes JSON dicts); other kinds are ignored."""
        by_kind: dict[str, list] = {}
        for obj in objects:
            by_kind.setdefault(obj.get("kind", ""), []).append(obj)
        owners = [owner_info(o) for kind in ("Deployment", "ReplicaSet", "DaemonSet")
                  for o in by_kind.get(kind, [])]
        return cls(
            now=float(now),
            nodes=tuple(node_info(o) for o in by_kind.get("Node", [])),
            pods=tuple(pod_info(o) for o in by_kind.get("Pod", [])),
            services=tuple(service_info(o) for o in by_kind.get("Service", [])),
            endpoints=tuple(endpoints_info(o) for o in by_kind.get("Endpoints", [])),
            owners=tuple(owners),
            stopped=tuple(stopped),
        )


RESOURCES = {"nodes": "Node", "pods": "Pod", "services": "Service", "endpoints": "Endpoints",
             "deployments": "Deployment", "replicasets": "ReplicaSet", "daemonsets": "DaemonSet"}


def snapshot(cluster: Any) -> Snapshot:
    """List what the picture needs from ``cluster.api`` (never from components) at ``cluster.now``.

    The picture is an onlooker: its own list requests are kept out of ``cluster.trace``, so the
    trace (and the panel's log of it) tells only the cluster's story.
    """
    objects = []
    with unobserved(cluster):
        for resource, kind in RESOURCES.items():
            for obj in cluster.api.list(resource):
                objects.append(obj if obj.get("kind") else {**obj, "kind": kind})
        return Snapshot.from_objects(objects, now=cluster.now, stopped=stopped_components(cluster))


def stopped_components(cluster: Any) -> tuple:
    """The control-plane components of which no process runs: every machine hosting one is off.

    A process the cluster did not start (a ``ControllerManager`` a notebook made and started by
    hand) is known only by its leader Lease: while one holds ``kube-system/<component>`` and
    renewed it within ``leaseDurationSeconds``, the component runs, as its trace shows."""
    stopped = []
    for name, processes in (("kube-scheduler", getattr(cluster, "scheduler_electors", ())),
                            ("kube-controller-manager", getattr(cluster, "controller_managers", ()))):
        if not processes or any(p.is_up() for p in processes):
            continue
        if not led_elsewhere(cluster, name, processes):
            stopped.append(name)
    return tuple(stopped)


def led_elsewhere(cluster: Any, lease_name: str, processes: Any) -> bool:
    """Whether a process other than ``processes`` (the cluster's own, all stopped) holds the leader
    Lease ``kube-system/<lease_name>`` and renewed it less than ``leaseDurationSeconds`` ago.

    Models how client-go's leader election tells a live leader (client-go
    tools/leaderelection/leaderelection.go, ``tryAcquireOrRenew`` and ``isLeaseValid``: a Lease
    with a holder whose ``leaseDurationSeconds`` have not run out is held). Simplified: counted from
    the Lease's ``renewTime``, where client-go counts from when it observed the record change."""
    leases = [lease for lease in cluster.api.list("leases", namespace="kube-system")
              if lease["metadata"]["name"] == lease_name]
    spec = (leases[0].get("spec") or {}) if leases else {}
    holder, renewed = spec.get("holderIdentity"), spec.get("renewTime")
    ours = {identity for p in processes if (identity := _identity(p))}
    if not holder or holder in ours or not renewed:
        return False
    return parse_timestamp(renewed) + spec.get("leaseDurationSeconds", 0) > cluster.now


def _identity(process: Any) -> str:
    """A process's leader-election identity, ``<hostname>_<uuid>``: a ControllerManager's own, or
    that of a LeaderElected scheduler's elector."""
    elector = getattr(process, "elector", None)
    return getattr(process, "identity", None) or getattr(elector, "identity", "") or ""


@contextlib.contextmanager
def unobserved(cluster: Any) -> Iterator[None]:
    """Switch the cluster's trace off while the picture reads (a no-op for cluster-like fakes)."""
    untraced = getattr(cluster, "untraced", None)
    if untraced is None:
        yield
        return
    with untraced():
        yield


def holding(cluster: Any) -> Any:
    """``cluster.lock``: while a view reads, another thread's step waits (a no-op for fakes)."""
    return getattr(cluster, "lock", None) or contextlib.nullcontext()


def as_snapshot(source: Any) -> Snapshot:
    """A Snapshot as is, or a fresh snapshot of a cluster."""
    return source if isinstance(source, Snapshot) else snapshot(source)


def _labels(meta: dict) -> Labels:
    return tuple(sorted((meta.get("labels") or {}).items()))


def _controller_ref(meta: dict) -> tuple:
    refs = meta.get("ownerReferences") or []
    for ref in refs:
        if ref.get("controller"):
            return (ref.get("kind", ""), ref.get("name", ""))
    return (refs[0].get("kind", ""), refs[0].get("name", "")) if refs else ()


def node_info(obj: dict) -> NodeInfo:
    meta, spec, status = obj.get("metadata", {}), obj.get("spec") or {}, obj.get("status") or {}
    ready = "Unknown"
    for cond in status.get("conditions") or []:
        if cond.get("type") == "Ready":
            ready = cond.get("status", "Unknown")
    taints = []
    for t in spec.get("taints") or []:
        value = f"={t['value']}" if t.get("value") else ""
        taints.append(f"{t.get('key', '')}{value}:{t.get('effect', '')}")
    kubectl_status = node_row(obj, 0.0)[1]          # the STATUS cell of `kubectl get nodes`
    return NodeInfo(meta.get("name", ""), ready, kubectl_status, bool(spec.get("unschedulable")),
                    tuple(taints), tuple(node_roles(obj)), _labels(meta))


def pod_info(obj: dict) -> PodInfo:
    meta, spec, status = obj.get("metadata", {}), obj.get("spec") or {}, obj.get("status") or {}
    return PodInfo(meta.get("namespace") or "default", meta.get("name", ""),
                   status.get("phase") or "Pending", pod_status(obj) or "Pending",
                   spec.get("nodeName") or "", _labels(meta), _controller_ref(meta))


def service_info(obj: dict) -> ServiceInfo:
    meta, spec = obj.get("metadata", {}), obj.get("spec") or {}
    return ServiceInfo(meta.get("namespace") or "default", meta.get("name", ""),
                       spec.get("type") or "ClusterIP", tuple(sorted((spec.get("selector") or {}).items())))


def endpoints_info(obj: dict) -> EndpointsInfo:
    meta = obj.get("metadata", {})
    ready, not_ready = [], []
    for subset in obj.get("subsets") or []:
        for key, names in (("addresses", ready), ("notReadyAddresses", not_ready)):
            for address in subset.get(key) or []:
                ref = address.get("targetRef") or {}
                if ref.get("kind", "Pod") == "Pod" and ref.get("name"):
                    names.append(ref["name"])
    return EndpointsInfo(meta.get("namespace") or "default", meta.get("name", ""),
                         tuple(sorted(ready)), tuple(sorted(not_ready)))


def owner_info(obj: dict) -> OwnerInfo:
    meta, spec, status = obj.get("metadata", {}), obj.get("spec") or {}, obj.get("status") or {}
    if obj.get("kind") == "DaemonSet":
        desired = status.get("desiredNumberScheduled", 0)
    else:
        desired = spec.get("replicas", 1)
    return OwnerInfo(obj.get("kind", ""), meta.get("namespace") or "default", meta.get("name", ""),
                     _controller_ref(meta), int(desired or 0))
