"""NodeInfo: one node as the scheduler sees it, with the pods on it and what they add up to.

The cache keeps one NodeInfo per node, and each scheduling cycle reads copies of them (see
:mod:`k8slearn.scheduler.snapshot`). Adding or removing a pod updates the summed requests (the
real ones, and the non-zero ones used for scoring), the free room, and what the plugins look up on
every node: the host ports in use (NodePorts), the images the node reported with how many nodes
have each (ImageLocality), and the pods with pod (anti-)affinity (InterPodAffinity). For
PodTopologySpread it counts its pods by namespace and label set (``label_counts``; see
:mod:`k8slearn.scheduler.pod_counts`). Every change gives it a new ``generation`` (except a new
version of a pod that changes none of that: see ``replace_pod_info``).

>>> info = NodeInfo({"metadata": {"name": "node-1"},
...                  "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}})
>>> web = PodInfo({"metadata": {"namespace": "default", "name": "web"},
...                "spec": {"nodeName": "node-1", "containers": [
...                    {"resources": {"requests": {"cpu": "500m"}},
...                     "ports": [{"containerPort": 80, "hostPort": 8080}]}]}})
>>> info.add_pod_info(web)
>>> info.requested.milli_cpu, info.free_milli_cpu, info.free_pods, info.used_ports
(500, 1500, 109, {'0.0.0.0': {('TCP', 8080)}})
>>> copy = info.snapshot()
>>> _ = info.remove_pod("default/web")
>>> info.free_milli_cpu, copy.free_milli_cpu, list(copy.pods)
(2000, 1500, ['default/web'])

Simplified: flat copies of the hot numbers (``free_milli_cpu`` and the like) instead of reading
the Resource structs on every Filter call; no PVC reference counts.

Upstream: pkg/scheduler/framework/types.go (NodeInfo, ImageStateSummary)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from k8slearn.scheduler.pod_counts import add_count, copy_counts
from k8slearn.scheduler.resources import PodInfo, Resource

_generation = itertools.count(1)


class ImageState:
    """ImageStateSummary: an image's size and the nodes that have it (shared by their NodeInfos)."""

    __slots__ = ("nodes", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.nodes: set = set()

    @property
    def num_nodes(self) -> int:
        return len(self.nodes)

    def __repr__(self) -> str:
        return f"ImageState(size={self.size}, num_nodes={len(self.nodes)})"


class NodeInfo:
    """A node plus the pods on it and their summed requests (real, and non-zero for scoring)."""

    __slots__ = (
        "alloc_memory",
        "alloc_milli_cpu",
        "allocatable",
        "free_memory",
        "free_milli_cpu",
        "free_pods",
        "generation",
        "image_states",
        "label_counts",
        "labels",
        "name",
        "node",
        "non_zero_requested",
        "nz_memory",
        "nz_milli_cpu",
        "pods",
        "pods_with_affinity",
        "pods_with_required_anti_affinity",
        "req_memory",
        "req_milli_cpu",
        "requested",
        "taints",
        "unschedulable",
        "used_ports",
    )

    def __init__(self, node: dict | None = None, pods: Iterable[PodInfo] = ()) -> None:
        self.node: dict | None = None
        self.name = ""
        self.labels: dict = {}
        self.taints: tuple = ()
        self.unschedulable = False
        self.pods: dict[str, PodInfo] = {}
        self.label_counts: dict[str, dict] = {}  # namespace -> label set -> pods (see pod_counts)
        self.allocatable = Resource()
        self.requested = Resource()
        self.non_zero_requested = Resource()
        self.used_ports: dict[str, set] = {}  # hostIP -> {(protocol, port)}
        self.image_states: dict[str, ImageState] = {}
        self.pods_with_affinity: dict[str, PodInfo] = {}
        self.pods_with_required_anti_affinity: dict[str, PodInfo] = {}
        self.generation = next(_generation)
        if node is not None:
            self.set_node(node)
        for pod_info in pods:
            self.add_pod_info(pod_info)
        self._update_free()

    def set_node(self, node: dict) -> None:
        self.node = node
        meta = node["metadata"]
        self.name = meta["name"]
        self.labels = meta.get("labels") or {}
        spec = node.get("spec") or {}
        self.taints = tuple(spec.get("taints") or ())  # read on every Filter call: keep them at hand
        self.unschedulable = bool(spec.get("unschedulable"))
        self.allocatable = Resource.from_list((node.get("status") or {}).get("allocatable"))
        self._update_free()
        self.generation = next(_generation)

    def _update_free(self) -> None:
        # Flat numbers for the Filter and Score hot paths: what is there, and what is left.
        allocatable, requested, non_zero = self.allocatable, self.requested, self.non_zero_requested
        self.alloc_milli_cpu, self.alloc_memory = allocatable.milli_cpu, allocatable.memory
        self.req_milli_cpu, self.req_memory = requested.milli_cpu, requested.memory
        self.nz_milli_cpu, self.nz_memory = non_zero.milli_cpu, non_zero.memory
        self.free_milli_cpu = allocatable.milli_cpu - requested.milli_cpu
        self.free_memory = allocatable.memory - requested.memory
        self.free_pods = allocatable.allowed_pod_number - len(self.pods)

    def add_pod_info(self, pod_info: PodInfo) -> None:
        key = pod_info.key
        replaced = self.pods.get(key)
        if replaced is not None:
            add_count(self.label_counts, replaced.count_key, -1)
        self.pods[key] = pod_info
        add_count(self.label_counts, pod_info.count_key, 1)
        self.requested.add(pod_info.requests)
        self.non_zero_requested.milli_cpu += pod_info.non0_cpu
        self.non_zero_requested.memory += pod_info.non0_mem
        if pod_info.has_affinity:
            self.pods_with_affinity[key] = pod_info
            if pod_info.has_required_anti_affinity:
                self.pods_with_required_anti_affinity[key] = pod_info
        for ip, protocol, port in pod_info.host_ports:
            self.used_ports.setdefault(ip, set()).add((protocol, port))
        self._update_free()
        self.generation = next(_generation)

    def replace_pod_info(self, pod_info: PodInfo) -> bool:
        """``remove_pod`` then ``add_pod_info`` for a new version of a pod already here that changes
        nothing they add up (the same requests, group and no host ports or affinity: a status
        update): the same pods, counts and free room, in the same order. False (nothing done) for
        any other pod.

        The generation stays: it stands for what Filter and Score read of the node (see
        :mod:`k8slearn.scheduler.score_cache`), and none of that changed, so remembered scores
        stay valid. A simulation speed-up; the NodeInfo reads the same as after remove and add."""
        key = pod_info.key
        old = self.pods.get(key)
        if (old is None or old.requests is not pod_info.requests or old.count_key != pod_info.count_key
                or old.non0_cpu != pod_info.non0_cpu or old.non0_mem != pod_info.non0_mem
                or old.host_ports or pod_info.host_ports or old.has_affinity or pod_info.has_affinity):
            return False
        del self.pods[key]  # (remove and add move the pod to the end; so does this)
        self.pods[key] = pod_info
        count_key = pod_info.count_key
        if count_key is not None:
            groups = self.label_counts[count_key[0]]
            if groups[count_key[1]] == 1:  # (remove would drop the group, add put it back last)
                del groups[count_key[1]]
                groups[count_key[1]] = 1
        return True

    def remove_pod(self, key: str) -> PodInfo | None:
        pod_info = self.pods.pop(key, None)
        if pod_info is not None:
            add_count(self.label_counts, pod_info.count_key, -1)
            self.requested.add(pod_info.requests, sign=-1)
            self.non_zero_requested.milli_cpu -= pod_info.non0_cpu
            self.non_zero_requested.memory -= pod_info.non0_mem
            self.pods_with_affinity.pop(key, None)
            self.pods_with_required_anti_affinity.pop(key, None)
            for ip, protocol, port in pod_info.host_ports:
                ports = self.used_ports.get(ip)
                if ports is not None:
                    ports.discard((protocol, port))
                    if not ports:
                        del self.used_ports[ip]
            self._update_free()
            self.generation = next(_generation)
        return pod_info

    def snapshot(self, into: NodeInfo | None = None) -> NodeInfo:
        """A copy for the scheduling cycle (the pods are shared, the sums copied). Like upstream's
        ``*existing = *clone``, it can overwrite an existing snapshot entry in place."""
        clone = into if into is not None else NodeInfo.__new__(NodeInfo)
        for field in _SHARED_FIELDS:
            setattr(clone, field, getattr(self, field))
        clone.pods = dict(self.pods)
        clone.label_counts = copy_counts(self.label_counts)
        clone.pods_with_affinity = dict(self.pods_with_affinity) if self.pods_with_affinity else {}
        clone.pods_with_required_anti_affinity = (
            dict(self.pods_with_required_anti_affinity) if self.pods_with_required_anti_affinity else {}
        )
        clone.used_ports = {ip: set(ports) for ip, ports in self.used_ports.items()}
        for field in ("allocatable", "requested", "non_zero_requested"):
            if into is None:
                setattr(clone, field, getattr(self, field).clone())
            else:
                getattr(clone, field).copy_from(getattr(self, field))
        return clone

    def __repr__(self) -> str:
        return (
            f"NodeInfo({self.name or '<no node>'}: {len(self.pods)} pods, "
            f"requested cpu={self.requested.milli_cpu}m memory={self.requested.memory})"
        )


# Fields a snapshot shares with the cache's NodeInfo (immutable values, or replaced, never mutated).
_SHARED_FIELDS = (
    "node",
    "name",
    "labels",
    "taints",
    "unschedulable",
    "image_states",
    "free_milli_cpu",
    "free_memory",
    "free_pods",
    "generation",
    "alloc_milli_cpu",
    "alloc_memory",
    "req_milli_cpu",
    "req_memory",
    "nz_milli_cpu",
    "nz_memory",
)
