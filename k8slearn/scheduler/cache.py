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

Simplified: assumed pods never expire (upstream's default since v1.28); image states, used host ports
and pods-with-affinity lists arrive with the plugins that need them.

Upstream: pkg/scheduler/framework/types.go (NodeInfo), pkg/scheduler/backend/cache/cache.go,
snapshot.go, node_tree.go (pkg/scheduler/internal/cache before v1.32)
"""

from __future__ import annotations

import itertools
from typing import Iterable

from k8slearn.scheduler.resources import PodInfo, Resource

_generation = itertools.count(1)

ZONE_LABELS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
REGION_LABELS = ("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region")


class NodeInfo:
    """A node plus the pods on it and their summed requests (real, and non-zero for scoring)."""

    __slots__ = ("node", "name", "taints", "unschedulable", "pods", "allocatable", "requested",
                 "non_zero_requested", "free_milli_cpu", "free_memory", "free_pods", "generation")

    def __init__(self, node: dict | None = None, pods: Iterable[PodInfo] = ()) -> None:
        self.node: dict | None = None
        self.name = ""
        self.taints: tuple = ()
        self.unschedulable = False
        self.pods: dict[str, PodInfo] = {}
        self.allocatable = Resource()
        self.requested = Resource()
        self.non_zero_requested = Resource()
        self.generation = next(_generation)
        if node is not None:
            self.set_node(node)
        for pod_info in pods:
            self.add_pod_info(pod_info)
        self._update_free()

    def set_node(self, node: dict) -> None:
        self.node = node
        self.name = node["metadata"]["name"]
        spec = node.get("spec") or {}
        self.taints = tuple(spec.get("taints") or ())  # read on every Filter call: keep them at hand
        self.unschedulable = bool(spec.get("unschedulable"))
        self.allocatable = Resource.from_list((node.get("status") or {}).get("allocatable"))
        self._update_free()
        self.generation = next(_generation)

    def _update_free(self) -> None:
        # Precomputed for the Filter hot path: what is left for the next pod.
        self.free_milli_cpu = self.allocatable.milli_cpu - self.requested.milli_cpu
        self.free_memory = self.allocatable.memory - self.requested.memory
        self.free_pods = self.allocatable.allowed_pod_number - len(self.pods)

    def add_pod_info(self, pod_info: PodInfo) -> None:
        self.pods[pod_info.key] = pod_info
        self.requested.add(pod_info.requests)
        self.non_zero_requested.milli_cpu += pod_info.non0_cpu
        self.non_zero_requested.memory += pod_info.non0_mem
        self._update_free()
        self.generation = next(_generation)

    def remove_pod(self, key: str) -> PodInfo | None:
        pod_info = self.pods.pop(key, None)
        if pod_info is not None:
            self.requested.add(pod_info.requests, sign=-1)
            self.non_zero_requested.milli_cpu -= pod_info.non0_cpu
            self.non_zero_requested.memory -= pod_info.non0_mem
            self._update_free()
            self.generation = next(_generation)
        return pod_info

    def snapshot(self, into: "NodeInfo | None" = None) -> "NodeInfo":
        """A copy for the scheduling cycle (the pods are shared, the sums copied). Like upstream's
        ``*existing = *clone``, it can overwrite an existing snapshot entry in place."""
        clone = into if into is not None else NodeInfo.__new__(NodeInfo)
        clone.node, clone.name, clone.taints, clone.unschedulable = (
            self.node, self.name, self.taints, self.unschedulable)
        clone.pods = dict(self.pods)
        for field in ("allocatable", "requested", "non_zero_requested"):
            if into is None:
                setattr(clone, field, getattr(self, field).clone())
            else:
                getattr(clone, field).copy_from(getattr(self, field))
        clone.free_milli_cpu, clone.free_memory, clone.free_pods = (
            self.free_milli_cpu, self.free_memory, self.free_pods)
        clone.generation = self.generation
        return clone

    def __repr__(self) -> str:
        return (f"NodeInfo({self.name or '<no node>'}: {len(self.pods)} pods, "
                f"requested cpu={self.requested.milli_cpu}m memory={self.requested.memory})")


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
    """The NodeInfos one scheduling cycle reads, in node-tree order."""

    def __init__(self, node_infos: Iterable[NodeInfo] = ()) -> None:
        self.node_info_list: list[NodeInfo] = list(node_infos)
        self.node_info_map: dict[str, NodeInfo] = {n.name: n for n in self.node_info_list}

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

    def _remove_pod(self, pod_info: PodInfo) -> None:
        info = self.nodes.get(pod_info.node_name)
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
        pod_info = PodInfo(pod)
        current = self.pod_states.get(pod_info.key)
        if current is not None:
            self._remove_pod(current)  # replace the assumed (or stale) copy with the real one
        self.assumed_pods.pop(pod_info.key, None)
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
    def add_node(self, node: dict) -> NodeInfo:
        info = self._node_info(node["metadata"]["name"])
        info.set_node(node)
        self.node_tree.add(node)
        self._dirty[info.name] = None
        self._nodes_changed = True
        return info

    def update_node(self, old: dict, new: dict) -> NodeInfo:
        info = self._node_info(new["metadata"]["name"])
        was_listed = info.node is not None
        info.set_node(new)
        if was_listed:
            self.node_tree.update(old, new)
        else:
            self.node_tree.add(new)
            self._nodes_changed = True
        self._dirty[info.name] = None
        return info

    def remove_node(self, node: dict) -> None:
        name = node["metadata"]["name"]
        info = self.nodes.get(name)
        if info is None:
            return
        self.node_tree.remove(info.node or node)
        info.node = None  # pods still on it stay counted until they are deleted
        if not info.pods:
            del self.nodes[name]
        self._dirty[name] = None
        self._nodes_changed = True

    # -- snapshot ----------------------------------------------------------------------------
    def update_snapshot(self, snapshot: Snapshot) -> None:
        """Copy what changed since the last cycle into ``snapshot`` (UpdateSnapshot)."""
        dirty, self._dirty = self._dirty, {}
        for name in dirty:
            info = self.nodes.get(name)
            if info is None or info.node is None:
                snapshot.node_info_map.pop(name, None)
            elif name in snapshot.node_info_map:  # overwrite in place: the list keeps its objects
                info.snapshot(into=snapshot.node_info_map[name])
            else:
                snapshot.node_info_map[name] = info.snapshot()
        if self._nodes_changed:
            self._nodes_changed = False
            snapshot.node_info_list = [snapshot.node_info_map[n] for n in self.node_tree.list()]

    def dump(self) -> dict[str, list[str]]:
        """Node name -> pod keys (assumed ones marked), for debugging and notebooks."""
        return {name: [k + (" (assumed)" if k in self.assumed_pods else "") for k in sorted(info.pods)]
                for name, info in sorted(self.nodes.items())}
