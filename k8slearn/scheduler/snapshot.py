"""Snapshot: the picture of the cluster one scheduling cycle reads.

At the start of each cycle the cache copies into the snapshot the NodeInfos that changed since the
last cycle (``Cache.update_snapshot``), so that plugins read a picture that does not move under
them. The snapshot lists the NodeInfos in node-tree order and keeps what plugins would otherwise
recompute for every pod: the nodes that have pods with (anti-)affinity (InterPodAffinity need
not visit the others), pods summed by topology domain (``domain_counts``, for PodTopologySpread;
see :mod:`k8slearn.scheduler.pod_counts`), and how many nodes are tainted or cordoned.

Two additions of this simulation: a *fit floor*, the free room no node is below (a pod that asks
for less fits every node), and a *change log* of the list positions whose NodeInfo changed, which
the score cache reads (see :mod:`k8slearn.scheduler.score_cache`).

>>> def node(name, cpu):
...     return NodeInfo({"metadata": {"name": name},
...                      "status": {"allocatable": {"cpu": cpu, "memory": "4Gi", "pods": "110"}}})
>>> snap = Snapshot([node("node-1", "2"), node("node-2", "4")])
>>> snap.num_nodes(), snap.get("node-2").free_milli_cpu, snap.fit_floor
(2, 4000, (110, 2000, 4294967296))
>>> snap.refresh_positions()
>>> snap.positions, snap.changed_positions
({'node-1': 0, 'node-2': 1}, [])

Simplified: no PVC-related lists; the fit floor and the change log have no upstream counterpart.

Upstream: pkg/scheduler/backend/cache/snapshot.go
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from k8slearn.scheduler.node_info import ImageState, NodeInfo
from k8slearn.scheduler.pod_counts import DomainCounts

_layouts = itertools.count(1)

CHANGE_LOG_LIMIT = 65_536  # Snapshot.changed_positions kept before starting a new log


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

