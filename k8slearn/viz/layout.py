"""Where everything goes in the cluster picture: pure numbers, no drawing.

The control plane sits on top (etcd above kube-apiserver, the scheduler and the
controller-manager beside it). Each cluster node is a column, control-plane node first, then the
others by name (``node-2`` before ``node-10``). Pods stack inside their node's column in *slots*:
a pod keeps its slot while it exists, a new pod takes the first free slot and a deleted pod frees
its own, so the picture does not jump when pods come and go. Pods without a node wait in a
"Pending" lane on the right. Once a node has a taint, ``TAINT_ROOM`` under the boxes holds each
node's taints (unless there are more than ``TAINT_COLUMNS`` columns, too narrow to write one in).
Collapsed owners and services sit in rows below the nodes (and taints), each service under the
middle of the pods it selects. For the same reason the columns grow in steps of ``ROW_STEP``
slots and never shrink, and the Pending lane stays once it has appeared.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("node/node-1", kind="node")
>>> for name in ("a", "b", "c"):
...     g.add_node(f"pod/default/{name}", kind="pod", node="node-1")
>>> lay = Layout()
>>> pos = lay.update(g)
>>> lay.slots["node/node-1"]
['pod/default/a', 'pod/default/b', 'pod/default/c']
>>> g.remove_node("pod/default/b"); g.add_node("pod/default/d", kind="pod", node="node-1")
>>> new = lay.update(g)
>>> lay.slots["node/node-1"]
['pod/default/a', 'pod/default/d', 'pod/default/c']
>>> new["pod/default/c"] == pos["pod/default/c"]
True

Simplified: one fixed grid; a column with more than ``SLOT_LIMIT`` pods is summarised, so all its
pods share the position of one count badge.

Upstream: none (the layout of a picture); the column-per-node view follows the Kubernetes
Dashboard's node list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Layout", "PENDING", "POD_DX", "SLOT_LIMIT", "column_width", "layout", "natural_key", "spread"]

PENDING = "lane/pending"      # the column of pods that have no node (yet)
SLOT_LIMIT = 12               # above this many pods, a column shows one count badge
ROW_STEP = 3                  # columns grow by this many slots at a time
COLUMN_WIDTH = 1.0            # a node's column, at least; the offsets inside it are in this unit
WIDE_COLUMN = 1.4             # and at most, when the control-plane row leaves room (pod names keep more letters)
SLOT_HEIGHT = 0.42
ETCD_Y, COMPONENT_Y = 0.0, -0.95
HEADER_Y = -2.25              # node name and status, at the top of each column
FIRST_SLOT = 1.4              # the first pod sits this many slot heights below the header line
POD_DX = -0.3                 # pods sit left of their column's centre; their names run to the right
ROW_GAP = 0.95                # between the node boxes and each row of owners or services
TAINT_ROOM = 1.35             # under the node boxes, for their taints (once any node has one)
TAINT_COLUMNS = 20            # in more columns than this, a taint is too wide to write (even "1 taint")
MIN_WIDTH = 6.0               # the control-plane row needs about this much
ROW_SPACING = 1.3             # between two owners or two services in a row, at least
OWNER_SPACING = 2.4           # and at most, in a row of owners
CONTROL_PLANE_SPREAD = 2.2    # scheduler and controller-manager sit at least this far from the API server,
SPREAD_FRACTION = 0.3         # or this fraction of the picture's width, whichever is more


class Column(NamedTuple):
    id: str
    x: float


def column_width(columns: int) -> float:
    """How wide each of ``columns`` node columns is: the control-plane row needs ``MIN_WIDTH``
    anyway, so a few columns share it, up to ``WIDE_COLUMN`` each (4 columns: 1.4), and many get
    ``COLUMN_WIDTH`` (the picture grows instead)."""
    return min(WIDE_COLUMN, max(COLUMN_WIDTH, MIN_WIDTH / max(1, columns)))


def natural_key(text: str) -> tuple:
    """Sort key that puts "node-2" before "node-10"."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


class Layout:
    """Remembers columns and pod slots between pictures; ``update(graph)`` returns positions."""

    def __init__(self) -> None:
        self.slots: dict[str, list] = {}            # column id -> pod ids (None = free slot)
        self.columns: list[Column] = []
        self.summarised: dict[str, int] = {}        # column id -> number of pods it holds
        self.rows = ROW_STEP                        # pod rows the columns are tall
        self.column_width = COLUMN_WIDTH            # one column's width (see column_width)
        self.pending_lane = False                   # the Pending lane, once needed, stays
        self.positions: dict[str, tuple] = {}
        self.extent = (0.0, 1.0, 0.0, 1.0)          # xmin, xmax, ymin, ymax
        self.box_bottom = HEADER_Y
        self.taint_room = 0.0                       # room under the boxes for taints; once made, it stays

    def update(self, graph: nx.DiGraph) -> dict:
        kinds = dict(graph.nodes(data="kind"))
        nodes = sorted((n for n, k in kinds.items() if k == "node"),
                       key=lambda n: (not graph.nodes[n].get("control_plane"), natural_key(n)))
        placed = self._assign_slots(graph, kinds, set(nodes))
        self.pending_lane = self.pending_lane or bool(placed.get(PENDING))   # once shown, it stays
        column_ids = nodes + ([PENDING] if self.pending_lane else [])
        self.column_width = column_width(len(column_ids))
        self.columns = [Column(c, i * self.column_width) for i, c in enumerate(column_ids)]
        self.summarised = {c: len(placed[c]) for c in column_ids if len(placed.get(c, ())) > SLOT_LIMIT}
        needed = max([1] + [2 if c in self.summarised else len(self.slots.get(c, ())) for c in column_ids])
        self.rows = max(self.rows, -(-needed // ROW_STEP) * ROW_STEP)   # grows in steps, never shrinks
        self.box_bottom = HEADER_Y - SLOT_HEIGHT * (self.rows + FIRST_SLOT - 0.2)
        if len(column_ids) <= TAINT_COLUMNS and any(graph.nodes[n].get("taints") for n in nodes):
            self.taint_room = TAINT_ROOM

        pos: dict[str, tuple] = {}
        width = max(MIN_WIDTH, len(self.columns) * self.column_width)
        left = (len(self.columns) - 1) * self.column_width / 2 - width / 2
        centre = left + width / 2
        self._place_control_plane(pos, kinds, centre, max(CONTROL_PLANE_SPREAD, SPREAD_FRACTION * width))
        self._place_columns(pos)
        y = self.box_bottom - self.taint_room
        for kind in ("owner", "service"):
            members = sorted((n for n, k in kinds.items() if k == kind), key=lambda n: _row_key(graph, n))
            if kind == "service" and 0 < len(members) * ROW_SPACING <= width:
                y = self._place_under_targets(pos, graph, members, left, width, y)
            else:
                y = self._place_row(pos, members, left, width, y)
        self.positions = pos
        self.extent = (left - 0.1, left + width + 0.1, y - ROW_GAP * 0.5, ETCD_Y + 0.45)
        return pos

    def _assign_slots(self, graph: nx.DiGraph, kinds: dict, nodes: set) -> dict:
        placed: dict[str, list] = {}
        for n, k in kinds.items():
            if k == "pod":
                column = f"node/{graph.nodes[n].get('node')}"
                placed.setdefault(column if column in nodes else PENDING, []).append(n)
        for column in list(self.slots):
            if column not in placed:
                del self.slots[column]
        for column, pods in placed.items():
            here = set(pods)
            slots = [p if p in here else None for p in self.slots.get(column, [])]
            have = set(slots)
            for pid in sorted(p for p in pods if p not in have):
                if None in slots:
                    slots[slots.index(None)] = pid
                else:
                    slots.append(pid)
            while slots and slots[-1] is None:
                slots.pop()
            if len(slots) > SLOT_LIMIT >= len(pods):      # back from a summary: close the gaps
                slots = [p for p in slots if p is not None]
            self.slots[column] = slots
        return placed

    def _place_columns(self, pos: dict) -> None:
        """Each node at the top of its column, each pod in its slot (or at its column's badge)."""
        for col in self.columns:
            if col.id != PENDING:
                pos[col.id] = (col.x, HEADER_Y)
            for slot, pid in enumerate(self.slots.get(col.id, ())):
                if pid is None:
                    continue
                if col.id in self.summarised:
                    pos[pid] = (col.x, HEADER_Y - SLOT_HEIGHT * 1.5)
                else:
                    pos[pid] = (col.x + POD_DX * self.column_width, HEADER_Y - SLOT_HEIGHT * (slot + FIRST_SLOT))

    @staticmethod
    def _place_control_plane(pos: dict, kinds: dict, centre: float, spread: float) -> None:
        spots = {"component/etcd": (centre, ETCD_Y), "component/kube-apiserver": (centre, COMPONENT_Y),
                 "component/kube-scheduler": (centre - spread, COMPONENT_Y),
                 "component/kube-controller-manager": (centre + spread, COMPONENT_Y)}
        for n, k in kinds.items():
            if k == "component":
                pos[n] = spots.get(n, (centre, ETCD_Y))

    @staticmethod
    def _place_row(pos: dict, members: list, left: float, width: float, y: float) -> float:
        """Rows of ``members`` below ``y``, centred, at most ``OWNER_SPACING`` apart (so a
        Deployment sits close to its ReplicaSets); return the y of the last row."""
        per_row = max(1, int(width // ROW_SPACING))
        for start in range(0, len(members), per_row):
            y -= ROW_GAP
            row = members[start:start + per_row]
            step = min(width / len(row), OWNER_SPACING)
            first = left + width / 2 - step * (len(row) - 1) / 2
            for i, n in enumerate(row):
                pos[n] = (first + step * i, y)
        return y


    def _place_under_targets(self, pos: dict, graph: nx.DiGraph, members: list, left: float, width: float,
                             y: float) -> float:
        """One row of services, each as near as it can be to the middle of what it selects."""
        y -= ROW_GAP
        column_x = dict(self.columns)
        step = width / len(members)
        wanted = []
        for i, n in enumerate(members):
            xs = []
            for target in graph.successors(n):
                node = f"node/{graph.nodes[target].get('node')}"
                if graph.nodes[target].get("kind") == "pod":
                    xs.append(column_x.get(node, column_x.get(PENDING, 0.0)))
                elif target in pos:
                    xs.append(pos[target][0])
            wanted.append((sum(xs) / len(xs) if xs else left + step * (i + 0.5), i, n))
        wanted.sort()
        for (_, _, n), x in zip(wanted, spread([w for w, _, _ in wanted], left + ROW_SPACING / 2,
                                              left + width - ROW_SPACING / 2, ROW_SPACING)):
            pos[n] = (x, y)
        return y


def spread(wanted: list, low: float, high: float, gap: float) -> list:
    """Points as near to ``wanted`` (ascending) as they can be, ``gap`` apart, within [low, high].

    >>> spread([1.0, 1.0, 5.0], 0.0, 4.0, 1.5)
    [1.0, 2.5, 4.0]
    """
    xs: list = []
    for w in wanted:
        xs.append(max(w, low, xs[-1] + gap if xs else low))
    for i in range(len(xs) - 1, -1, -1):
        xs[i] = min(xs[i], high if i == len(xs) - 1 else xs[i + 1] - gap)
    return xs


def _row_key(graph: nx.DiGraph, n: str) -> tuple:
    """Owners in a row: each Deployment followed by its ReplicaSets, then DaemonSets; services by name."""
    data = graph.nodes[n]
    parents = [u for u, _, r in graph.in_edges(n, data="relation") if r == "owns"]
    top = parents[0] if parents else n
    return (0 if top.startswith("deployment/") else 1, natural_key(top), bool(parents), natural_key(n),
            data.get("kind", ""))


def layout(graph: nx.DiGraph, previous: Layout | None = None) -> dict:
    """Positions ``{id: (x, y)}`` for ``graph``; pass the ``Layout`` of the last picture to keep slots."""
    return (previous if previous is not None else Layout()).update(graph)
