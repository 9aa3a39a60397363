"""What a kubelet reports about its node: the Node object it registers and the status it posts.

A kubelet registers its Node (labels, addresses, capacity, allocatable, nodeInfo), then keeps two
heartbeats going: it renews its Lease in ``kube-node-lease`` every 10 s, and it posts the node's
status (conditions with ``lastHeartbeatTime``) when something changed or every 5 minutes.
The functions here are the "setters" that build those pieces, each a pure function.

>>> node = new_node("node-1", "172.18.0.3", cpu="2", memory="4Gi", now=0.0)
>>> node["status"]["allocatable"]["memory"], node["metadata"]["labels"]["kubernetes.io/hostname"]
('4091904Ki', 'node-1')
>>> [c["type"] for c in node["status"]["conditions"]]
['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']

Simplified: capacity is whatever the cluster was told (no cAdvisor); there is no real pressure, so
the pressure conditions are always False; allocatable subtracts only the default hard eviction
threshold for memory (100Mi) and nodefs (10%).

Upstream: pkg/kubelet/kubelet_node_status.go, pkg/kubelet/nodestatus/setters.go,
pkg/kubelet/nodelease/
"""

from __future__ import annotations

import hashlib

from k8slearn.api.meta import micro_timestamp, timestamp
from k8slearn.api.quantity import memory_bytes

KUBELET_VERSION = "v1.32.0"
CONTAINER_RUNTIME_VERSION = "containerd://1.7.24"
OS_IMAGE = "Debian GNU/Linux 12 (bookworm)"
KERNEL_VERSION = "6.1.0-28-amd64"
LEASE_NAMESPACE = "kube-node-lease"
LEASE_DURATION_SECONDS = 40
LEASE_RENEW_INTERVAL = 10.0  # 0.25 x leaseDurationSeconds
NODE_STATUS_REPORT_FREQUENCY = 300.0  # nodeStatusReportFrequency 5m
EVICTION_HARD_MEMORY = 100 * 1024 * 1024  # memory.available: 100Mi
EPHEMERAL_STORAGE = 100 * 1024**3

CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane"

_PRESSURE = [
    ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
]


def _stable_hex(*parts: str, length: int = 32) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def _uuid_like(*parts: str) -> str:
    h = _stable_hex(*parts)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def node_labels(name: str, extra: dict | None = None, control_plane: bool = False) -> dict:
    """The well-known labels a kubelet (and kubeadm for the control plane) puts on its Node."""
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    if control_plane:
        labels[CONTROL_PLANE_ROLE] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    labels.update(extra or {})
    return labels


def capacity(cpu: str, memory: str, pods: int = 110) -> dict:
    """status.capacity as the kubelet reports it (memory in Ki, like cAdvisor's numbers)."""
    return {
        "cpu": str(cpu),
        "ephemeral-storage": f"{EPHEMERAL_STORAGE // 1024}Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": f"{memory_bytes(memory) // 1024}Ki",
        "pods": str(pods),
    }


def allocatable(cap: dict) -> dict:
    """capacity minus the default hard-eviction reserves (no system/kube reserved); a negative
    result is 0, as the MachineInfo setter makes it ("Negative Allocatable resources don't make sense").

    >>> allocatable({"memory": "65536Ki"})["memory"]
    '0'
    """
    memory_ki = int(cap["memory"][:-2]) - EVICTION_HARD_MEMORY // 1024
    return {**cap, "memory": f"{memory_ki}Ki" if memory_ki > 0 else "0",
            "ephemeral-storage": str(EPHEMERAL_STORAGE * 9 // 10)}


NETWORK_NOT_READY = (
    "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
    "message:Network plugin returns error: cni plugin not initialized"
)


def conditions(
    now: float,
    ready: bool,
    previous: list | None = None,
    not_ready_message: str = "container runtime status check may not have completed yet",
) -> list[dict]:
    """The four kubelet-owned conditions; lastTransitionTime only moves when the status flips."""
    before = {c["type"]: c for c in previous or []}
    stamp = timestamp(now)
    rows = [(t, "False", reason, message) for t, reason, message in _PRESSURE]
    if ready:
        rows.append(("Ready", "True", "KubeletReady", "kubelet is posting ready status"))
    else:
        rows.append(("Ready", "False", "KubeletNotReady", not_ready_message))
    result = []
    for ctype, status, reason, message in rows:
        old = before.get(ctype)
        transition = old["lastTransitionTime"] if old and old["status"] == status else stamp
        result.append(
            {
                "type": ctype,
                "status": status,
                "lastHeartbeatTime": stamp,
                "lastTransitionTime": transition,
                "reason": reason,
                "message": message,
            }
        )
    return result


_PRESSURE_EVENTS = {  # each pressure condition setter's event when it (re)turns False
    "MemoryPressure": "NodeHasSufficientMemory",
    "DiskPressure": "NodeHasNoDiskPressure",
    "PIDPressure": "NodeHasSufficientPID",
}


def pressure_events(previous: list | None) -> list[str]:
    """The events of the MemoryPressureCondition, DiskPressureCondition and PIDPressureCondition
    setters, in that order: each records ``NodeHas...`` when its condition was not ``False``
    before, that is when it is new (the Node a kubelet builds at registration, ``initialNode``,
    has none) or ``Unknown`` (set by the node lifecycle controller while the kubelet was gone).

    >>> pressure_events(None)
    ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']
    >>> pressure_events([{"type": "MemoryPressure", "status": "Unknown"},
    ...                  {"type": "DiskPressure", "status": "False"}, {"type": "PIDPressure", "status": "False"}])
    ['NodeHasSufficientMemory']
    """
    before = {c.get("type"): c.get("status") for c in previous or ()}
    return [event for ctype, event in _PRESSURE_EVENTS.items() if before.get(ctype) != "False"]


def rebooted_message(name: str, previous_boot_id: str, boot_id: str) -> str:
    """The MachineInfo setter's Warning ``Rebooted`` message when the boot ID the Node had is not
    this boot's; "" when it is the same, or the Node had none yet (a Node being registered).

    >>> rebooted_message("node-1", "a", "b")
    'Node node-1 has been rebooted, boot id: b'
    >>> rebooted_message("node-1", "", "b")
    ''
    """
    if not previous_boot_id or previous_boot_id == boot_id:
        return ""
    return f"Node {name} has been rebooted, boot id: {boot_id}"


def ready_event(previous: list | None, current: list[dict]) -> str:
    """The ReadyCondition setter's event: ``NodeReady`` or ``NodeNotReady`` when the Ready status
    this kubelet posts differs from the one on the Node (Unknown, set by the node lifecycle
    controller, counts too); nothing when they agree or the Node had no Ready condition yet.

    >>> ready_event([{"type": "Ready", "status": "True"}], [{"type": "Ready", "status": "False"}])
    'NodeNotReady'
    >>> ready_event([{"type": "Ready", "status": "Unknown"}], [{"type": "Ready", "status": "True"}])
    'NodeReady'
    >>> ready_event(None, [{"type": "Ready", "status": "False"}])
    ''
    """
    before = next((c.get("status") for c in previous or () if c.get("type") == "Ready"), None)
    after = next(c["status"] for c in current if c["type"] == "Ready")
    if before is None or before == after:
        return ""
    return "NodeReady" if after == "True" else "NodeNotReady"


def boot_id(name: str, boot: int = 1, salt: str = "") -> str:
    """The machine's boot ID for its ``boot``-th start (the first boot's is the one ``node_info``
    gives); ``salt`` tells apart the machines of a restored cluster from the snapshot's."""
    if boot <= 1 and not salt:
        return _uuid_like("boot", name)
    return _uuid_like("boot", name, str(boot), *([salt] if salt else []))


def node_info(name: str) -> dict:
    """status.nodeInfo: versions and machine identity (stable ids derived from the node name)."""
    return {
        "architecture": "amd64",
        "bootID": boot_id(name),
        "containerRuntimeVersion": CONTAINER_RUNTIME_VERSION,
        "kernelVersion": KERNEL_VERSION,
        "kubeProxyVersion": KUBELET_VERSION,
        "kubeletVersion": KUBELET_VERSION,
        "machineID": _stable_hex("machine", name),
        "operatingSystem": "linux",
        "osImage": OS_IMAGE,
        "systemUUID": _uuid_like("system", name),
    }


def new_node(
    name: str,
    ip: str,
    cpu: str = "2",
    memory: str = "4Gi",
    now: float = 0.0,
    labels: dict | None = None,
    taints: list | None = None,
    control_plane: bool = False,
    pods: int = 110,
) -> dict:
    """The Node object a kubelet POSTs when it registers (kubeadm adds the control-plane taint)."""
    cap = capacity(cpu, memory, pods)
    annotations = {
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
    }
    spec: dict = {}
    all_taints = list(taints or [])
    if control_plane:
        all_taints.insert(0, {"key": CONTROL_PLANE_ROLE, "effect": "NoSchedule"})
    if all_taints:
        spec["taints"] = all_taints
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": node_labels(name, labels, control_plane),
            "annotations": annotations,
        },
        "spec": spec,
        "status": {
            "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": allocatable(cap),
            "capacity": cap,
            "conditions": conditions(now, ready=False),
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": node_info(name),
        },
    }


def new_lease(node: dict | None, now: float, name: str = "") -> dict:
    """The node's heartbeat Lease in kube-node-lease, owned by the Node; without an owner when the
    Node object does not exist (the lease controller's setNodeOwnerFunc could not read it)."""
    name = node["metadata"]["name"] if node is not None else name
    owners = [{"apiVersion": "v1", "kind": "Node", "name": name, "uid": node["metadata"]["uid"]}] if node else []
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {
            "name": name,
            "namespace": LEASE_NAMESPACE,
            **({"ownerReferences": owners} if owners else {}),
        },
        "spec": {
            "holderIdentity": name,
            "leaseDurationSeconds": LEASE_DURATION_SECONDS,
            "renewTime": micro_timestamp(now),
        },
    }
