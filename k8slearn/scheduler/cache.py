"""The scheduler's picture of the cluster: one NodeInfo per node, assumed pods, and a snapshot.

The informers fill the cache with nodes and *assigned* pods. When the scheduler picks a node it
does not wait for the binding to come back through the watch: it *assumes* the pod onto the node
at once, so the next pod already sees that CPU as taken. The bound pod arriving through the watch
*confirms* the assumption; a failed binding *forgets* it.

>>> cache = Cache()
>>> _ = cache.add_node({"metadata": {"name": "node-1"},
...                     "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}})
>>> web = PodInfo({"metadata": {"namespace": "default", "name": "web"},
...                "spec": {"nodeName": "node-1",
...                         "containers": [{"resources": {"requests": {"cpu": "500m"}}}]}})
>>> cache.assume_pod(web)
>>> info = cache.nodes["node-1"]
>>> info.requested.milli_cpu, info.free_milli_cpu, len(info.pods), cache.is_assumed_pod(web.pod)
(500, 1500, 1, True)
>>> cache.add_pod(web.pod)                       # the watch delivers the bound pod: confirmed
>>> cache.is_assumed_pod(web.pod), len(info.pods)
(False, 1)

Each scheduling cycle reads a :class:`Snapshot`, refreshed from the cache at the start of the
cycle; only the NodeInfos that changed since the last cycle are copied.

A NodeInfo also keeps what the plugins look up on every node: the host ports in use (NodePorts),
the images the node reported with how many nodes have each (ImageLocality), and the pods with
pod (anti-)affinity (InterPodAffinity). The snapshot lists the nodes that have such pods, so
InterPodAffinity need not visit the others. For PodTopologySpread, a NodeInfo counts its pods by
namespace and label set (``label_counts``), and the snapshot sums those counts by topology domain
(``domain_counts``); see :mod:`k8slearn.scheduler.pod_counts`.

Simplified: assumed pods never expire (upstream's default since v1.28); no PVC reference counts.

Upstream: pkg/scheduler/framework/types.go (NodeInfo), pkg/scheduler/backend/cache/cache.go,
snapshot.go, node_tree.go (pkg/scheduler/internal/cache before v1.32)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from k8slearn.scheduler.pod_counts import DomainCounts, add_count, copy_counts
from k8slearn.scheduler.resources import PodInfo, Resource

_generation = itertools.count(1)
_layouts = itertools.count(1)

ZONE_LABELS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
REGION_LABELS = ("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region")
CHANGE_LOG_LIMIT = 65_536  # Snapshot.changed_positions kept before starting a new log


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


def zone_key(node: dict) -> str:
    """GetZoneKey: ``region:\\x00:zone``, or "" for a node without topology labels."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    zone = next((labels[k] for k in ZONE_LABELS if labels.get(k)), "")
    region = next((labels[k] for k in REGION_LABELS if labels.get(k)), "")
    return f"{region}:\x00:{zone}" if region or zone else ""


class NodeTree:
    """Node names by zone; ``list()`` interleaves zones so that early nodes are spread out."""

    def __init__(self) -> None:
        self.tree: dict[str, list[str]] = {}
        self.zone_of: dict[str, str] = {}

    def add(self, node: dict) -> None:
        name = node["metadata"]["name"]
        if name not in self.zone_of:
            self.zone_of[name] = zone = zone_key(node)
            self.tree.setdefault(zone, []).append(name)

    def remove(self, node: dict) -> None:
        name = node["metadata"]["name"]
        zone = self.zone_of.pop(name, None)
        if zone is not None:
            names = self.tree[zone]
            names.remove(name)
            if not names:
                del self.tree[zone]

    def update(self, old: dict, new: dict) -> None:
        if zone_key(old) != zone_key(new):
            self.remove(old)
            self.add(new)

    def list(self) -> list[str]:
        zones = list(self.tree.values())
        out: list[str] = []
        for i in range(max((len(z) for z in zones), default=0)):
            out.extend(z[i] for z in zones if i < len(z))
        return out


class Snapshot:
    """The NodeInfos one scheduling cycle reads, in node-tree order, plus the two short lists
    InterPodAffinity walks: nodes with pods that have (anti-)affinity, and with required
    anti-affinity."""

    def __init__(self, node_infos: Iterable[NodeInfo] = ()) -> None:
        self.node_info_list: list[NodeInfo] = list(node_infos)
        self.node_info_map: dict[str, NodeInfo] = {n.name: n for n in self.node_info_list}
        self.image_states: dict[str, ImageState] = {}  # every image some node has (the cache's dict)
        for info in self.node_info_list:
            self.image_states.update(info.image_states)
        # Pods summed by topology domain (PodTopologySpread): see k8slearn.scheduler.pod_counts.
        self.domain_counts = DomainCounts(self.node_info_map.values())
        self.refresh_affinity_lists()
        self.refresh_node_counts()
        self.refresh_fit_floor()
        self.positions: dict[str, int] = {}
        self.generations: list[int] = []
        self.changed_positions: list[int] = []  # positions whose generation moved, oldest first
        self.layout: int | None = None  # None until a Cache keeps this snapshot (update_snapshot)

    def refresh_positions(self) -> None:
        """``positions`` (node name -> index in ``node_info_list``) and ``generations`` (each listed
        NodeInfo's generation, in list order); ``layout`` changes whenever the list does. Only a
        snapshot a Cache keeps up to date has them (its NodeInfos change only through
        ``Cache.update_snapshot``, which updates ``generations`` too); the score cache reads them
        instead of the NodeInfos (see k8slearn.scheduler.score_cache). ``changed_positions`` logs,
        in order, each position whose generation ``update_snapshot`` moved, so that the score cache
        need not compare every position to find them; it starts over (a new list) with each layout
        and every CHANGE_LOG_LIMIT changes.
        Upstream: none; a simulation speed-up."""
        nodes = self.node_info_list
        self.positions = {n.name: i for i, n in enumerate(nodes)}
        self.generations = [n.generation for n in nodes]
        self.changed_positions = []
        self.layout = next(_layouts)

    def position_changed(self, position: int, generation: int) -> None:
        """The NodeInfo at ``position`` (of the list) has a new generation."""
        self.generations[position] = generation
        if len(self.changed_positions) >= CHANGE_LOG_LIMIT:
            self.changed_positions = []  # readers of the old log look at every position once
        self.changed_positions.append(position)

    def refresh_fit_floor(self) -> None:
        """``fit_floor``: (free pod slots, free milli-CPU, free memory) no node of the snapshot is
        below. A pod that asks for no more than that fits every node, so NodeResourcesFit need not
        check them one by one. The cache lowers it as it refreshes nodes (so it may become lower
        than the true least, never higher) and recomputes it when the node list changes.
        Upstream: none (upstream checks every node); a simulation speed-up, identical verdicts."""
        nodes = self.node_info_list
        self.fit_floor = (
            (
                min(n.free_pods for n in nodes),
                min(n.free_milli_cpu for n in nodes),
                min(n.free_memory for n in nodes),
            )
            if nodes
            else (0, 0, 0)
        )

    def lower_fit_floor(self, info: NodeInfo) -> None:
        pods, cpu, memory = self.fit_floor
        if info.free_pods < pods or info.free_milli_cpu < cpu or info.free_memory < memory:
            self.fit_floor = (
                min(pods, info.free_pods),
                min(cpu, info.free_milli_cpu),
                min(memory, info.free_memory),
            )

    def refresh_node_counts(self) -> None:
        """How many nodes are tainted or cordoned: plugins skip their per-node check when none is."""
        self.num_tainted = sum(1 for n in self.node_info_list if n.taints)
        self.num_unschedulable = sum(1 for n in self.node_info_list if n.unschedulable or n.node is None)

    def refresh_affinity_lists(self) -> None:
        self.have_pods_with_affinity_list = [n for n in self.node_info_list if n.pods_with_affinity]
        self.have_pods_with_required_anti_affinity_list = [
            n for n in self.have_pods_with_affinity_list if n.pods_with_required_anti_affinity
        ]

    def num_nodes(self) -> int:
        return len(self.node_info_list)

    def get(self, name: str) -> NodeInfo | None:
        return self.node_info_map.get(name)

    def list(self) -> list[NodeInfo]:
        return self.node_info_list


class Cache:
    """NodeInfos for every node, built from the informers, plus the assumed pods."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeInfo] = {}
        self.pod_states: dict[str, PodInfo] = {}
        self.assumed_pods: dict[str, bool] = {}  # key -> binding finished
        self.node_tree = NodeTree()
        self._dirty: dict[str, None] = {}  # nodes changed since the last snapshot (ordered set)
        self._nodes_changed = True
        self._affinity_changed = True  # a pod with (anti-)affinity came or went
        self._node_objects_changed = True  # a Node object (taints, cordon) came, changed or went
        self.image_states: dict[str, ImageState] = {}  # image name -> size and nodes

    # -- pods --------------------------------------------------------------------------------
    def _node_info(self, name: str) -> NodeInfo:
        info = self.nodes.get(name)
        if info is None:  # a pod can arrive before its node: keep it on a node-less NodeInfo
            info = self.nodes[name] = NodeInfo()
            info.name = name
        return info

    def _add_pod(self, pod_info: PodInfo) -> None:
        self._node_info(pod_info.node_name).add_pod_info(pod_info)
        self.pod_states[pod_info.key] = pod_info
        self._dirty[pod_info.node_name] = None
        if pod_info.has_affinity:
            self._affinity_changed = True

    def _remove_pod(self, pod_info: PodInfo) -> None:
        info = self.nodes.get(pod_info.node_name)
        if pod_info.has_affinity:
            self._affinity_changed = True
        if info is not None:
            info.remove_pod(pod_info.key)
            self._dirty[pod_info.node_name] = None
            if info.node is None and not info.pods:
                del self.nodes[pod_info.node_name]
                self._nodes_changed = True
        self.pod_states.pop(pod_info.key, None)

    def assume_pod(self, pod_info: PodInfo) -> None:
        """Count the pod on its (chosen) node now, before the binding is confirmed."""
        if pod_info.key in self.pod_states:
            raise ValueError(f"pod {pod_info.key} is in the cache, so can't be assumed")
        self._add_pod(pod_info)
        self.assumed_pods[pod_info.key] = False

    def finish_binding(self, pod_info: PodInfo) -> None:
        if pod_info.key in self.assumed_pods:
            self.assumed_pods[pod_info.key] = True

    def forget_pod(self, pod_info: PodInfo) -> None:
        """The binding failed: give the node's resources back."""
        if pod_info.key in self.assumed_pods:
            self._remove_pod(self.pod_states[pod_info.key])
            del self.assumed_pods[pod_info.key]

    def is_assumed_pod(self, pod: dict) -> bool:
        meta = pod["metadata"]
        return f"{meta.get('namespace', '')}/{meta['name']}" in self.assumed_pods

    def add_pod(self, pod: dict) -> None:
        """An assigned pod arrived through the watch (this confirms an assumed pod)."""
        meta = pod["metadata"]
        key = f"{meta.get('namespace', '')}/{meta.get('name', '')}"
        current = self.pod_states.get(key)
        if current is not None:
            self._remove_pod(current)  # replace the assumed (or stale) copy with the real one
            # Most updates change only the status: what PodInfo computed from the spec still holds.
            same_spec = current.pod.get("spec") == pod.get("spec")
            pod_info = current.with_pod(pod) if same_spec else PodInfo(pod)
        else:
            pod_info = PodInfo(pod)
        self.assumed_pods.pop(key, None)
        self._add_pod(pod_info)

    def update_pod(self, old: dict, new: dict) -> None:
        self.add_pod(new)

    def remove_pod(self, pod: dict) -> None:
        meta = pod["metadata"]
        key = f"{meta.get('namespace', '')}/{meta['name']}"
        current = self.pod_states.get(key)
        if current is not None:
            self._remove_pod(current)
        self.assumed_pods.pop(key, None)

    # -- nodes -------------------------------------------------------------------------------
    def _set_node_images(self, info: NodeInfo, node: dict | None) -> None:
        """addNodeImageStates / removeNodeImageStates: which images this node has, shared summaries."""
        for name, state in info.image_states.items():
            state.nodes.discard(info.name)
            if not state.nodes:
                del self.image_states[name]
        info.image_states = {}
        for image in ((node or {}).get("status") or {}).get("images") or ():
            for name in image.get("names") or ():
                state = self.image_states.get(name)
                if state is None:
                    state = self.image_states[name] = ImageState(image.get("sizeBytes") or 0)
                state.nodes.add(info.name)
                info.image_states.setdefault(name, state)

    def add_node(self, node: dict) -> NodeInfo:
        self._node_objects_changed = True
        info = self._node_info(node["metadata"]["name"])
        info.set_node(node)
        self._set_node_images(info, node)
        self.node_tree.add(node)
        self._dirty[info.name] = None
        self._nodes_changed = True
        return info

    def update_node(self, old: dict, new: dict) -> NodeInfo:
        self._node_objects_changed = True
        info = self._node_info(new["metadata"]["name"])
        was_listed = info.node is not None
        info.set_node(new)
        if (old.get("status") or {}).get("images") != (new.get("status") or {}).get(
            "images"
        ) or not was_listed:
            self._set_node_images(info, new)
        if was_listed:
            self.node_tree.update(old, new)
        else:
            self.node_tree.add(new)
            self._nodes_changed = True
        self._dirty[info.name] = None
        return info

    def remove_node(self, node: dict) -> None:
        self._node_objects_changed = True
        name = node["metadata"]["name"]
        info = self.nodes.get(name)
        if info is None:
            return
        self.node_tree.remove(info.node or node)
        self._set_node_images(info, None)
        info.node = None  # pods still on it stay counted until they are deleted
        if not info.pods:
            del self.nodes[name]
        self._dirty[name] = None
        self._nodes_changed = True

    # -- snapshot ----------------------------------------------------------------------------
    def update_snapshot(self, snapshot: Snapshot) -> None:
        """Copy what changed since the last cycle into ``snapshot`` (UpdateSnapshot)."""
        dirty, self._dirty = self._dirty, {}
        snapshot.image_states = self.image_states
        domains = snapshot.domain_counts
        for name in dirty:
            info = self.nodes.get(name)
            if info is None or info.node is None:
                snapshot.node_info_map.pop(name, None)
                domains.remove_node(name)
                continue
            if name in snapshot.node_info_map:  # overwrite in place: the list keeps its objects
                clone = info.snapshot(into=snapshot.node_info_map[name])
            else:
                clone = snapshot.node_info_map[name] = info.snapshot()
            domains.set_node(name, clone.labels, clone.label_counts)
            snapshot.lower_fit_floor(clone)
            position = snapshot.positions.get(name)
            if position is not None and snapshot.node_info_list[position] is clone:
                snapshot.position_changed(position, clone.generation)
        if self._nodes_changed:
            self._nodes_changed = False
            self._affinity_changed = True
            snapshot.node_info_list = [snapshot.node_info_map[n] for n in self.node_tree.list()]
            snapshot.refresh_fit_floor()
            snapshot.refresh_positions()
        elif snapshot.layout is None:  # a snapshot this cache has not kept before
            snapshot.refresh_positions()
        if self._affinity_changed:
            self._affinity_changed = False
            snapshot.refresh_affinity_lists()
        if self._node_objects_changed:
            self._node_objects_changed = False
            snapshot.refresh_node_counts()

    def dump(self) -> dict[str, list[str]]:
        """Node name -> pod keys (assumed ones marked), for debugging and notebooks."""
        return {
            name: [k + (" (assumed)" if k in self.assumed_pods else "") for k in sorted(info.pods)]
            for name, info in sorted(self.nodes.items())
        }
