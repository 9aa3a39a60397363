"""Building the cluster picture: the artists that change only when the set of columns changes.

``ClusterFigure`` (draw.py) builds its figure from scratch only when the nodes, owners or
Services in view (or the columns' height) change. A build lays out the control plane and its
arrows, one box per node column with its header and count badge, the legends, and empty
collections for what every redraw fills in (pod dots, edges, count bars, boxes, names).

>>> from k8slearn.viz.draw import ClusterFigure
>>> from k8slearn.viz.snapshot import Snapshot
>>> snap = Snapshot.from_objects([{"kind": "Node", "metadata": {"name": "node-1"}}])
>>> picture = ClusterFigure()
>>> _ = picture.update(snap)
>>> _ = picture.update(snap)
>>> sorted(picture._columns), picture.rebuilds
(['node/node-1'], 1)

Simplified: one fixed visual grammar (see style.py); sizes are in layout units, converted to
points from the figure's width.

Upstream: none (a picture); the control plane's arrows follow who talks to whom in a real
cluster (components watch kube-apiserver, which alone stores in etcd).
"""

from __future__ import annotations

from typing import Any

from k8slearn.viz import style
from k8slearn.viz.draw_text import _taints_text
from k8slearn.viz.graph import APISERVER, CONTROLLER_MANAGER, ETCD, SCHEDULER
from k8slearn.viz.layout import COMPONENT_Y, ETCD_Y, FIRST_SLOT, HEADER_Y, PENDING, POD_DX, SLOT_HEIGHT

# Across a node's column, in units of its width (Layout.column_width: 1 to 1.4):
BOX_HALF = 0.46                 # half the width of a node column's box
BUS_DX, LABEL_DX = -0.10, 0.09      # from a pod's dot: the runs-on line, the start of its name
BOX_TOP = HEADER_Y + 0.55       # room for a three-line header above the first pod
TAINT_GAP, TAINT_LINESPACING = 0.08, 1.1   # a node's taints: below its box, lines this far apart
TAINT_SIZES = (style.TAINT_SIZE, style.TAINT_SIZE - 1, style.TAINT_SIZE - 2)   # smaller when they do not fit
WIDEST_STATUS = "SchedulingDisabled"   # the longest line of a node's header (a cordoned node's STATUS)


def _category_style(category: str) -> tuple:
    """(face RGBA, edge RGBA) of a pod dot: solid when settled, pale with a rim in transition."""
    from matplotlib.colors import to_rgba

    colour = style.POD_COLORS[category]
    return to_rgba(colour, style.PALE_ALPHA if category in style.TRANSITIONAL else 1.0), to_rgba(colour)


def _light_hatch(patch: Any) -> Any:
    """Hatch lines lighter than the border, so text on a cordoned node stays readable (matplotlib >= 3.10)."""
    if hasattr(patch, "set_hatchcolor"):
        patch.set_hatchcolor(style.CORDON_HATCH_COLOR)
    return patch


class FigureBuilder:
    """The building half of :class:`~k8slearn.viz.draw.ClusterFigure` (its redraws are in draw.py)."""

    def _fitting_size(self, word: str) -> float:
        """The largest font size, up to ``FONT_SIZE``, at which ``word`` fits across a node's column
        (measured with the font's glyph outlines, as the picture draws it)."""
        from matplotlib.textpath import TextPath

        width_pt = TextPath((0, 0), word, size=style.FONT_SIZE).get_extents().width
        return max(style.MIN_FONT_SIZE, min(style.FONT_SIZE, style.FONT_SIZE * (self._column_pt - 8) / width_pt))

    def _across(self, units: float) -> float:
        """A distance across a node's column (``BOX_HALF``, ``LABEL_DX``) in the picture's units."""
        return units * self.layout.column_width

    # -- building: everything that only changes with the set of columns, owners and services --
    def _build(self, g: Any) -> None:
        self.rebuilds += 1
        self._background = self._static = None
        ax = self._fresh_axes()
        xmin, xmax = self.layout.extent[:2]
        axes_in = self.figure.get_size_inches()[0] * ax.get_position().width
        self._column_pt = 2 * self._across(BOX_HALF) * axes_in / (xmax - xmin) * 72
        self._header_size = self._fitting_size(WIDEST_STATUS)
        axes_pt = self.figure.get_size_inches()[1] * ax.get_position().height * 72
        self._unit_pt = axes_pt / (self.layout.extent[3] - self.layout.extent[2])   # points per unit, upwards
        self._build_control_plane(ax, g)
        self._columns = {col.id: self._build_column(ax, col) for col in self.layout.columns}
        self._build_dynamic(ax, g)
        self._label_chars = self._label_room()
        self._legend(ax, g)

    def _build_dynamic(self, ax: Any, g: Any) -> None:
        """The artists a redraw changes: edges, pods, rings, count bars, boxes, title, names."""
        from matplotlib.collections import LineCollection, PolyCollection

        pos = self.layout.positions
        self._edges = {}
        for relation in ("runs on", "selects", "owns"):
            spec = style.EDGE_STYLES[relation]
            self._edges[relation] = ax.add_collection(LineCollection(
                [], colors=spec["color"], linestyles=spec["linestyle"], linewidths=spec["linewidth"],
                alpha=spec["alpha"], zorder=2))
        self._bars = ax.add_collection(PolyCollection([], linewidths=0, zorder=4))
        self._pods = ax.scatter([], [], s=style.POD_MARKER_SIZE, linewidths=1.4, zorder=4)
        self._halo = ax.scatter([], [], s=style.POD_MARKER_SIZE * 3.2, facecolors="none",
                                edgecolors=style.HIGHLIGHT, linewidths=2.2, zorder=6)
        self._boxes = {}
        for n, kind in g.nodes(data="kind"):
            if kind in ("owner", "service"):
                colours = style.OWNER if kind == "owner" else style.SERVICE
                self._boxes[n] = ax.text(*pos[n], "", ha="center", va="center", fontsize=style.FONT_SIZE,
                                         color=colours["text"], zorder=4, linespacing=1.2,
                                         bbox={"boxstyle": "round,pad=0.4", "fc": colours["face"],
                                               "ec": colours["edge"], "lw": 1.0})
        self._title = ax.set_title("", fontsize=style.FONT_SIZE + 2, loc="left", color=style.TEXT, pad=4)
        self._labels = []
        self._dynamic = ([*self._edges.values(), self._bars, self._pods, self._halo]
                         + [badge for _, _, badge, *_ in self._columns.values()]
                         + list(self._boxes.values()) + [self._title])

    def _build_control_plane(self, ax: Any, g: Any) -> None:
        from matplotlib.patches import FancyBboxPatch

        xmin, xmax = self.layout.extent[:2]
        ax.add_patch(FancyBboxPatch((xmin + 0.05, COMPONENT_Y - 0.38), xmax - xmin - 0.1,
                                    ETCD_Y - COMPONENT_Y + 0.7, boxstyle="round,pad=0,rounding_size=0.08",
                                    fc="#f3f6fa", ec="#c5d3e3", lw=0.8, zorder=0))
        ax.text(xmin + 0.12, ETCD_Y + 0.2, "control plane", fontsize=style.FONT_SIZE, color=style.MUTED,
                style="italic", va="center")
        self._component_boxes = {}
        for cid in (ETCD, APISERVER, SCHEDULER, CONTROLLER_MANAGER):
            colours = style.ETCD if cid == ETCD else style.COMPONENT
            self._component_boxes[cid] = ax.text(
                *self.layout.positions[cid], g.nodes[cid]["name"], ha="center", va="center",
                fontsize=style.FONT_SIZE + 0.5, color=colours["text"], fontweight="bold", zorder=4,
                bbox={"boxstyle": "round,pad=0.45", "fc": colours["face"], "ec": colours["edge"]})
        self._component_arrows = {a: self._arrow(ax, self._component_boxes[a], self._component_boxes[b], relation)
                                  for a, b, relation in ((SCHEDULER, APISERVER, "watches"),
                                                         (CONTROLLER_MANAGER, APISERVER, "watches"),
                                                         (APISERVER, ETCD, "stores in"))}

    def _build_column(self, ax: Any, col: Any) -> tuple:
        """A node's box, its header, its count badge, its kubelet's arrow to the API server, and
        the text of its taints under the box."""
        from matplotlib.patches import FancyBboxPatch

        bottom = self.layout.box_bottom
        half = self._across(BOX_HALF)
        box = ax.add_patch(FancyBboxPatch((col.x - half, bottom), 2 * half, BOX_TOP - bottom,
                                          boxstyle="round,pad=0,rounding_size=0.05", lw=1.4, zorder=1))
        header = ax.text(col.x, BOX_TOP - 0.06, "", ha="center", va="top", fontsize=self._header_size,
                         color=style.TEXT, zorder=3, linespacing=1.15)
        badge = ax.text(col.x, HEADER_Y - SLOT_HEIGHT * FIRST_SLOT, "", ha="center", va="top",
                        fontsize=self._header_size - 0.5, color=style.TEXT, zorder=5, visible=False,
                        linespacing=1.2)
        arrow = None
        if col.id != PENDING:
            arrow = self._arrow(ax, (col.x, BOX_TOP), self._component_boxes[APISERVER], "watches")
        taints = ax.text(col.x, bottom - TAINT_GAP, "", ha="center", va="top", fontsize=style.TAINT_SIZE,
                         color=style.TAINT_TEXT, zorder=3, linespacing=TAINT_LINESPACING, visible=False,
                         bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"})
        return box, header, badge, arrow, taints

    def _taint_room(self, size: float) -> tuple[int, int]:
        """(characters across, lines down) that a node's taints have under its box at ``size`` points."""
        chars = int((self._column_pt - 6) / (size * 0.62))
        line_pt = size * TAINT_LINESPACING          # as matplotlib spaces lines (measured)
        room_pt = (self.layout.taint_room - TAINT_GAP) * self._unit_pt - 4     # 4 pt: the text's pad
        lines = int(room_pt / line_pt)
        return chars, lines

    def _taints_label(self, taints: tuple) -> tuple[str, float]:
        """A node's taints as written under its box, and the font size: the largest of
        ``TAINT_SIZES`` that lists them all, else the one that lists the most (``_taints_text``)."""
        def rank(text: str) -> tuple:       # every taint listed, some ("+2 more"), a count, nothing
            return (not text.startswith("Taints:"), "more" in text.rpartition("\n")[2], not text)
        choices = [(_taints_text(taints, *self._taint_room(size)), size) for size in TAINT_SIZES]
        return min(choices, key=lambda choice: (rank(choice[0]), -choice[1]))

    @staticmethod
    def _arrow(ax: Any, start: Any, end: Any, relation: str) -> Any:
        """An arrow from a point or a boxed text to a boxed text, clipped at the boxes' edges."""
        from matplotlib.patches import FancyArrowPatch

        spec = style.EDGE_STYLES[relation]
        from_point = isinstance(start, tuple)
        return ax.add_patch(FancyArrowPatch(
            start if from_point else start.get_position(), end.get_position(),
            patchA=None if from_point else start.get_bbox_patch(), patchB=end.get_bbox_patch(),
            arrowstyle="-|>", mutation_scale=9, color=spec["color"], lw=spec["linewidth"],
            linestyle=spec["linestyle"], alpha=spec["alpha"], zorder=5, shrinkA=0, shrinkB=2))

    def _label_room(self) -> int:
        """How many characters of a pod name fit beside its dot (0: no names)."""
        xmin, xmax = self.layout.extent[:2]
        axes_in = self.figure.get_size_inches()[0] * self.ax.get_position().width
        room_pt = self._across(BOX_HALF - POD_DX - LABEL_DX - 0.03) * axes_in / (xmax - xmin) * 72
        chars = int(room_pt / (style.LABEL_SIZE * 0.62))
        return chars if chars >= 8 else 0

    def _legend(self, ax: Any, g: Any) -> None:
        """Three legends under the picture, side by side (each measured): pods, nodes, edges."""
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        pods = [Line2D([], [], ls="", marker="o", ms=9.5, mfc=face, mec=edge, mew=1.4,
                       label=style.POD_LABELS[c])
                for c in style.POD_CATEGORIES for face, edge in [_category_style(c)]]
        nodes = [Patch(fc=face, ec=edge, lw=1.4, label=label)
                 for face, edge, label in (style.node_style(r) for r in ("True", "False", "Unknown"))]
        cordoned = Patch(fc="white", ec=style.MUTED, hatch=style.CORDON_HATCH, label="cordoned")
        nodes.append(_light_hatch(cordoned))
        relations = ["watches", "stores in", "runs on", "selects"]
        if any(k == "owner" for _, k in g.nodes(data="kind")):
            relations.append("owns")
        edges = [Line2D([], [], color=spec["color"], ls=spec["linestyle"], lw=spec["linewidth"] + 0.3,
                        label=style.EDGE_LABELS[r]) for r in relations for spec in [style.EDGE_STYLES[r]]]
        x = 0.0
        for title, handles in (("Pods", pods), ("Nodes", nodes), ("Edges", edges)):
            legend = ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(x, 0.0),
                               ncol=2, frameon=False, fontsize=style.LABEL_SIZE,
                               title_fontsize=style.FONT_SIZE, alignment="left", handlelength=1.5,
                               columnspacing=0.8, borderaxespad=0.1, labelspacing=0.35)
            ax.add_artist(legend)
            x = legend.get_window_extent().transformed(ax.transAxes.inverted()).x1 + 0.02  # the next one
