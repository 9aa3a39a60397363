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
cannot be changed by accident; the STATUS rules follow ``printPod`` without restart counts and
scheduling gates.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/get (what ``kubectl get`` lists) and
pkg/printers/internalversion/printers.go (``printPod``, ``printNode``).
"""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple

__all__ = [
    "EndpointsInfo", "NodeInfo", "OwnerInfo", "PodInfo", "ServiceInfo", "Snapshot",
    "pod_display_status", "snapshot",
]

CONTROL_PLANE_ROLE_LABEL = "node-role.kubernetes.io/control-plane"
ROLE_LABEL_PREFIX = "node-role.kubernetes.io/"
NODE_UNREACHABLE_POD_REASON = "NodeLost"  # pkg/util/node: NodeUnreachablePodReason
Labels = tuple  # tuple of (key, value) pairs, sorted by key


class NodeInfo(NamedTuple):
    """A Node as the picture sees it; ``ready`` is the Ready condition's status string."""

    name: str
    ready: str                      # "True" / "False" / "Unknown"
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

    @classmethod
    def from_objects(cls, objects: Iterable[dict], now: float = 0.0) -> "Snapshot":
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
        )


RESOURCES = {"nodes": "Node", "pods": "Pod", "services": "Service", "endpoints": "Endpoints",
             "deployments": "Deployment", "replicasets": "ReplicaSet", "daemonsets": "DaemonSet"}


def snapshot(cluster: Any) -> Snapshot:
    """List what the picture needs from ``cluster.api`` (never from components) at ``cluster.now``."""
    objects = []
    for resource, kind in RESOURCES.items():
        for obj in cluster.api.list(resource):
            objects.append(obj if obj.get("kind") else {**obj, "kind": kind})
    return Snapshot.from_objects(objects, now=cluster.now)


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
    labels = meta.get("labels") or {}
    roles = sorted(k[len(ROLE_LABEL_PREFIX):] for k in labels
                   if k.startswith(ROLE_LABEL_PREFIX) and len(k) > len(ROLE_LABEL_PREFIX))
    return NodeInfo(meta.get("name", ""), ready, bool(spec.get("unschedulable")), tuple(taints),
                    tuple(roles), _labels(meta))


def pod_info(obj: dict) -> PodInfo:
    meta, spec, status = obj.get("metadata", {}), obj.get("spec") or {}, obj.get("status") or {}
    return PodInfo(meta.get("namespace") or "default", meta.get("name", ""),
                   status.get("phase") or "Pending", pod_display_status(obj),
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


def _terminated_reason(state: dict) -> str:
    if state.get("reason"):
        return state["reason"]
    if state.get("signal"):
        return f"Signal:{state['signal']}"
    return f"ExitCode:{state.get('exitCode', 0)}"


def pod_display_status(pod: dict) -> str:
    """The STATUS column of ``kubectl get pods`` (``printPod``), without the RESTARTS part.

    >>> pod_display_status({"status": {"phase": "Running", "containerStatuses": [
    ...     {"ready": False, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}})
    'CrashLoopBackOff'
    >>> pod_display_status({"metadata": {"deletionTimestamp": "2024-01-01T00:00:00Z"},
    ...                     "status": {"phase": "Running"}})
    'Terminating'
    """
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    phase = status.get("phase") or "Pending"
    reason = status.get("reason") or phase
    initializing = False
    init_specs = spec.get("initContainers") or []
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if terminated is not None:
            reason = "Init:" + _terminated_reason(terminated)
        elif waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break
    if not initializing:
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            state = cs.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None:
                reason = _terminated_reason(terminated)
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
        if reason == "Completed" and has_running:
            ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                        for c in status.get("conditions") or [])
            reason = "Running" if ready else "NotReady"
    if meta.get("deletionTimestamp"):
        if status.get("reason") == NODE_UNREACHABLE_POD_REASON:
            reason = "Unknown"
        elif phase not in ("Succeeded", "Failed"):
            reason = "Terminating"
    return reason
