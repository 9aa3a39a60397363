"""The scheduler's cache: one NodeInfo per node, the assumed pods, and the snapshot it keeps fresh.

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

Each scheduling cycle reads a :class:`~k8slearn.scheduler.snapshot.Snapshot`, refreshed from the
cache at the start of the cycle; only the NodeInfos that changed since the last cycle are copied
(:mod:`k8slearn.scheduler.node_info` has NodeInfo, :mod:`k8slearn.scheduler.node_tree` the order
of the nodes).

Simplified: assumed pods never expire (upstream's default since v1.28); no PVC reference counts.

Upstream: pkg/scheduler/backend/cache/cache.go (pkg/scheduler/internal/cache before v1.32)
"""

from __future__ import annotations

from k8slearn.scheduler.node_info import ImageState, NodeInfo
from k8slearn.scheduler.node_tree import NodeTree
from k8slearn.scheduler.resources import PodInfo
from k8slearn.scheduler.snapshot import Snapshot


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
        self._snapshot: Snapshot | None = None  # the snapshot update_snapshot last refreshed

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
            # Most updates change only the status: what PodInfo computed from the spec still holds.
            same_spec = current.pod.get("spec") == pod.get("spec")
            if same_spec:
                pod_info = current.with_pod(pod)
                if self._replace_pod(current, pod_info):
                    self.assumed_pods.pop(key, None)
                    return
            self._remove_pod(current)  # replace the assumed (or stale) copy with the real one
            if not same_spec:
                pod_info = PodInfo(pod)
        else:
            pod_info = PodInfo(pod)
        self.assumed_pods.pop(key, None)
        self._add_pod(pod_info)

    def _replace_pod(self, current: PodInfo, pod_info: PodInfo) -> bool:
        """``_remove_pod(current)`` then ``_add_pod(pod_info)`` when the new version changes nothing
        its node adds up (``NodeInfo.replace_pod_info``): the same state, in the same order, and
        the node keeps its generation (a simulation speed-up: its remembered scores stay valid).
        False, with nothing done, otherwise."""
        info = self.nodes.get(current.node_name)
        if info is None or info.node is None or pod_info.node_name != current.node_name:
            return False
        if not info.replace_pod_info(pod_info):
            return False
        del self.pod_states[current.key]  # (remove and add move the key to the end; so does this)
        self.pod_states[pod_info.key] = pod_info
        self._dirty[pod_info.node_name] = None  # the snapshot takes the new version of the pod
        # The snapshot's copy of the node may still hold ``current``: it takes the new version now
        # rather than at the next cycle's update (which copies the node again all the same), so the
        # old version of the pod is not kept alive until then (after the last cycle: for good). A
        # memory saving with the same cycles: nothing reads the snapshot between two cycles, and
        # a replacement changes nothing Filter or Score reads.
        clone = None if self._snapshot is None else self._snapshot.node_info_map.get(pod_info.node_name)
        if clone is not None and clone.pods.get(pod_info.key) is current:
            clone.replace_pod_info(pod_info)
        return True

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
        self._snapshot = snapshot
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

