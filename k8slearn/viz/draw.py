"""Draw the cluster picture with matplotlib (Agg, no pyplot).

``draw_cluster(cluster)`` returns a ``matplotlib.figure.Figure``; ``render_png`` returns PNG bytes;
``summary(snap)`` (from graph.py) is the picture's alt text. ``ClusterFigure`` keeps one figure
and its artists alive: the static part (control plane, node boxes, legend) is rendered once and
restored as a background; a redraw only moves dots and changes colours and texts. The figure is
rebuilt only when the set of nodes, owners or services (or the columns' height) changes.
matplotlib is imported inside functions, so importing this module stays light.

>>> from k8slearn.viz.snapshot import Snapshot
>>> picture = ClusterFigure()
>>> fig = picture.update(Snapshot.from_objects([{"kind": "Node", "metadata": {"name": "node-1"}}]))
>>> [c.id for c in picture.layout.columns], picture.png()[:4]
(['node/node-1'], b'\x89PNG')

Simplified: one fixed visual grammar; pod names are shortened to fit their column, and hidden
when the columns are too narrow to read them.

Upstream: none (a picture); its words follow ``kubectl get nodes`` and ``kubectl get pods``.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from k8slearn.viz import style
from k8slearn.viz.graph import (APISERVER, CONTROLLER_MANAGER, ETCD, SCHEDULER, build_graph, plural,
                                selector_text, summary)
from k8slearn.viz.layout import (COMPONENT_Y, ETCD_Y, FIRST_SLOT, HEADER_Y, PENDING, POD_DX, SLOT_HEIGHT,
                                 Layout)
from k8slearn.viz.snapshot import Snapshot, as_snapshot

__all__ = ["ClusterFigure", "draw_cluster", "render_png", "summary"]

BOX_HALF = 0.46                 # half the width of a node column's box
BOX_TOP = HEADER_Y + 0.42
BUS_DX, LABEL_DX = -0.10, 0.09      # from a pod's dot: the runs-on line, the start of its name
INCH_PER_UNIT_Y = 0.62
MIN_WIDTH_IN, MAX_WIDTH_IN, INCH_PER_COLUMN = 7.5, 12.0, 1.5
TITLE_IN, LEGEND_IN = 0.45, 0.75
LABEL_LIMIT = 60                # above this many pods in view, pods are dots without names
PNG_COMPRESS_LEVEL = 1          # zlib level: fast; the picture is flat colours and compresses well
PNG_COLOURS = 256               # a palette PNG: a quarter of the bytes, no visible change


def _category_style(category: str) -> tuple:
    """(face RGBA, edge RGBA) of a pod dot: solid when settled, pale with a rim in transition."""
    from matplotlib.colors import to_rgba

    colour = style.POD_COLORS[category]
    return to_rgba(colour, style.PALE_ALPHA if category in style.TRANSITIONAL else 1.0), to_rgba(colour)


def _shorten(name: str, limit: int, node: str = "") -> str:
    """``name`` in at most ``limit`` characters. A static pod's name ends with its node's name,
    which the column already shows, so that end goes first ("kube-controller-…"); other names
    keep both ends ("web-7c4b…7-x2x9z"), because the end tells a Deployment's pods apart."""
    if len(name) <= limit:
        return name
    if node and name.endswith("-" + node):
        return name[:limit - 1] + "…"
    head = (limit - 1) // 2
    return name[:head] + "…" + name[len(name) - (limit - 1 - head):]


def _fit(name: str, chars: int) -> str:
    """``name`` on one line if it fits in ``chars``, else broken after a hyphen, else shortened."""
    if len(name) <= chars:
        return name
    cut = name.rfind("-", 0, chars + 1)
    if cut > 0 and len(name) - cut - 1 <= chars:
        return name[:cut + 1] + "\n" + name[cut + 1:]
    return _shorten(name, chars)


def _node_header(data: dict, chars: int) -> str:
    """Name, then kubectl's STATUS ("Ready", "NotReady,SchedulingDisabled"), then roles the name lacks."""
    status = data["status"].replace(",", ",\n")
    roles = [r for r in data["roles"] if r not in data["name"]]
    role = f"\n({', '.join(roles)})" if roles else ""
    return f"{_fit(data['name'], chars)}\n{status}{role}"


@functools.lru_cache(maxsize=None)
def _figure_class() -> type:
    """matplotlib's Figure plus ``_repr_png_``: a notebook cell ending in a picture shows it even
    without pyplot (the inline backend registers its Figure formatter only when pyplot is imported)."""
    from matplotlib.figure import Figure

    def _repr_png_(figure: Any) -> bytes:
        buf = io.BytesIO()
        figure.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()

    return type("ClusterPictureFigure", (Figure,), {"_repr_png_": _repr_png_, "__module__": __name__})


def _light_hatch(patch: Any) -> Any:
    """Hatch lines lighter than the border, so text on a cordoned node stays readable (matplotlib >= 3.10)."""
    if hasattr(patch, "set_hatchcolor"):
        patch.set_hatchcolor(style.CORDON_HATCH_COLOR)
    return patch


def _by_count(statuses: dict) -> list:
    """(status, count) pairs, most common first."""
    return sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))


def _counts_text(statuses: dict) -> str:
    return ", ".join(f"{n} {s}" for s, n in _by_count(statuses))


class ClusterFigure:
    """One cluster picture kept alive between redraws (``update`` then ``png``).

    The static part (control plane, node boxes, legend) is rendered once into a background
    that ``png()`` restores; only dots, lines and counts are drawn again on each redraw.
    """

    def __init__(self, ax: Any = None, dpi: int = style.DPI) -> None:
        self.ax, self.dpi = ax, dpi
        self.figure = ax.figure if ax is not None else None
        self._external = ax is not None
        self.layout = Layout()
        self.graph = None
        self.rebuilds = 0                       # how many times the figure was built from scratch
        self._key = self._static = self._background = None
        self._labels: list = []
        self._dynamic: list = []

    def update(self, source: Any, namespace: str | None = None, selector: Any = None,
               collapse_owners: bool = False, highlight: Any = None) -> Any:
        """Redraw from a cluster or Snapshot; returns the Figure."""
        snap = as_snapshot(source)
        g = build_graph(snap, namespace=namespace, selector=selector, collapse_owners=collapse_owners)
        self.graph = g
        self.layout.update(g)
        key = (tuple(c.id for c in self.layout.columns), self.layout.rows,
               tuple(sorted(n for n, k in g.nodes(data="kind") if k in ("owner", "service"))))
        if key != self._key:
            self._build(g)
            self._key = key
        marked = _resolve(g, highlight)
        self._refresh_static(g, marked)
        self._refresh_dynamic(g, marked, _title(snap, namespace, selector))
        return self.figure

    def png(self) -> bytes:
        """The picture as PNG bytes: restore the static background, draw what changes, encode."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = self.figure.canvas
        if not isinstance(canvas, FigureCanvasAgg):       # a figure the caller made without a canvas
            canvas = FigureCanvasAgg(self.figure)
            self._background = None
        if self._background is None:
            for artist in self._dynamic:
                artist.set_animated(True)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            for artist in self._dynamic:
                artist.set_animated(False)
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in self._dynamic:
            if artist.get_visible():
                artist.draw(renderer)
        return _encode_png(canvas)

    # -- building: everything that only changes with the set of columns, owners and services --
    def _build(self, g: Any) -> None:
        self.rebuilds += 1
        self._background = self._static = None
        ax = self._fresh_axes()
        xmin, xmax = self.layout.extent[:2]
        axes_in = self.figure.get_size_inches()[0] * ax.get_position().width
        self._column_pt = 2 * BOX_HALF * axes_in / (xmax - xmin) * 72
        self._header_size = style.FONT_SIZE if self._column_pt >= 80 else style.FONT_SIZE - 1
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
                         + [badge for _, _, badge, _ in self._columns.values()]
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
        for a, b, relation in ((SCHEDULER, APISERVER, "watches"), (CONTROLLER_MANAGER, APISERVER, "watches"),
                               (APISERVER, ETCD, "stores in")):
            self._arrow(ax, self._component_boxes[a], self._component_boxes[b], relation)

    def _build_column(self, ax: Any, col: Any) -> tuple:
        """A node's box, its header, its count badge and its kubelet's arrow to the API server."""
        from matplotlib.patches import FancyBboxPatch

        bottom = self.layout.box_bottom
        box = ax.add_patch(FancyBboxPatch((col.x - BOX_HALF, bottom), 2 * BOX_HALF, BOX_TOP - bottom,
                                          boxstyle="round,pad=0,rounding_size=0.05", lw=1.4, zorder=1))
        header = ax.text(col.x, BOX_TOP - 0.06, "", ha="center", va="top", fontsize=self._header_size,
                         color=style.TEXT, zorder=3, linespacing=1.15)
        badge = ax.text(col.x, HEADER_Y - SLOT_HEIGHT * FIRST_SLOT, "", ha="center", va="top",
                        fontsize=self._header_size - 0.5, color=style.TEXT, zorder=5, visible=False,
                        linespacing=1.2)
        arrow = None
        if col.id != PENDING:
            arrow = self._arrow(ax, (col.x, BOX_TOP), self._component_boxes[APISERVER], "watches")
        return box, header, badge, arrow

    def _fresh_axes(self) -> Any:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        xmin, xmax, ymin, ymax = self.layout.extent
        if self._external:
            self.ax.clear()
        else:
            width = min(MAX_WIDTH_IN, max(MIN_WIDTH_IN, INCH_PER_COLUMN * (xmax - xmin)))
            plot_h = (ymax - ymin) * INCH_PER_UNIT_Y
            height = plot_h + TITLE_IN + LEGEND_IN
            if self.figure is None:
                self.figure = _figure_class()(figsize=(width, height), dpi=self.dpi, facecolor="white")
                FigureCanvasAgg(self.figure)
            else:
                self.figure.clear()
                self.figure.set_size_inches(width, height)
            self.ax = self.figure.add_axes((0.01, LEGEND_IN / height, 0.98, plot_h / height))
        self.ax.set_axis_off()
        self.ax.set_xlim(xmin, xmax)
        self.ax.set_ylim(ymin, ymax)
        return self.ax

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
        room_pt = (BOX_HALF - POD_DX - LABEL_DX - 0.03) * axes_in / (xmax - xmin) * 72
        chars = int(room_pt / ((style.FONT_SIZE - 1) * 0.62))
        return chars if chars >= 8 else 0

    def _legend(self, ax: Any, g: Any) -> None:
        """Three small legends under the picture: pods, nodes, edges."""
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        pods = [Line2D([], [], ls="", marker="o", ms=8, mfc=face, mec=edge, mew=1.4,
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
        for x, title, handles in ((0.0, "Pods", pods), (0.33, "Nodes", nodes), (0.69, "Edges", edges)):
            legend = ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(x, 0.0),
                               ncol=2, frameon=False, fontsize=style.FONT_SIZE - 0.5,
                               title_fontsize=style.FONT_SIZE, alignment="left", handlelength=1.8,
                               columnspacing=1.0, borderaxespad=0.1, labelspacing=0.35)
            ax.add_artist(legend)

    # -- refreshing --
    def _refresh_static(self, g: Any, marked: set) -> None:
        """Node boxes, headers, kubelet arrows, highlighted components: redrawn only when they change."""
        state = tuple((col.id, g.nodes[col.id]["ready"], g.nodes[col.id]["unschedulable"], col.id in marked)
                      for col in self.layout.columns if col.id != PENDING)
        state += tuple(cid in marked for cid in self._component_boxes)
        if state == self._static:
            return
        self._static, self._background = state, None
        for col in self.layout.columns:
            box, header, _, arrow = self._columns[col.id]
            if col.id == PENDING:
                box.set(fc=style.PENDING_LANE["face"], ec=style.PENDING_LANE["edge"], linestyle=(0, (4, 2)))
                header.set_text("Pending\n(no node yet)")
                continue
            data = g.nodes[col.id]
            face, edge, _ = style.node_style(data["ready"])
            if data["control_plane"] and data["ready"] == "True":
                face = style.CONTROL_PLANE_NODE_FACE
            box.set(fc=face, ec=edge, hatch=style.CORDON_HATCH if data["unschedulable"] else None,
                    lw=2.6 if col.id in marked else 1.4)
            _light_hatch(box)
            header.set(text=_node_header(data, self._chars(self._header_size)),
                       fontweight="bold" if col.id in marked else "normal")
            arrow.set_alpha(style.EDGE_STYLES["watches"]["alpha"] if data["ready"] == "True" else 0.2)
        for cid, text in self._component_boxes.items():
            colours = style.ETCD if cid == ETCD else style.COMPONENT
            text.get_bbox_patch().set(lw=2.6 if cid in marked else 1.0,
                                      ec=style.HIGHLIGHT if cid in marked else colours["edge"])

    def _refresh_dynamic(self, g: Any, marked: set, title: str) -> None:
        """Pods, their names, count badges, edges, owner and service boxes, the title."""
        import numpy as np

        pos = self.layout.positions
        self._set_badges(g)
        shown = sorted((n for n, k in g.nodes(data="kind") if k == "pod" and not self._summarised(g, n)),
                       key=lambda n: pos[n])
        looks = {c: _category_style(c) for c in style.POD_CATEGORIES}
        faces_edges = [looks[style.pod_category(g.nodes[n]["status"])] for n in shown]
        self._pods.set_offsets(np.array([pos[n] for n in shown], dtype=float).reshape(-1, 2))
        self._pods.set_facecolors([f for f, _ in faces_edges])
        self._pods.set_edgecolors([e for _, e in faces_edges])
        self._halo.set_offsets(np.array([pos[n] for n in shown if n in marked], dtype=float).reshape(-1, 2))
        self._set_labels(g, shown if len(shown) <= LABEL_LIMIT else [])
        self._set_edges(g)
        for n, text in self._boxes.items():
            text.set(text=_box_text(g.nodes[n]), position=pos[n])
            text.get_bbox_patch().set_linewidth(2.4 if n in marked else 1.0)
        self._title.set_text(title)

    def _chars(self, size: float) -> int:
        """How many characters of text at ``size`` points fit across a node's column."""
        return max(4, int((self._column_pt - 6) / (size * 0.62)))

    def _set_badges(self, g: Any) -> None:
        """A summarised column: "37 pods:" and counts by STATUS (if they fit), over a bar of colours."""
        lay, bars, colours = self.layout, [], []
        chars = self._chars(self._header_size - 0.5)
        for col in lay.columns:
            badge = self._columns[col.id][2]
            badge.set_visible(col.id in lay.summarised)
            if col.id not in lay.summarised:
                continue
            statuses: dict = {}
            for pid in lay.slots.get(col.id, ()):
                if pid is not None:
                    statuses[g.nodes[pid]["status"]] = statuses.get(g.nodes[pid]["status"], 0) + 1
            lines = [f"{n} {status}" for status, n in _by_count(statuses)]
            shown = lines[:3] if all(len(line) <= chars for line in lines[:3]) else []
            badge.set_text("\n".join([f"{lay.summarised[col.id]} pods" + (":" if shown else "")] + shown))
            total, left = lay.summarised[col.id], col.x - BOX_HALF + 0.08
            width, top = 2 * (BOX_HALF - 0.08), lay.box_bottom + 0.32
            for status, n in _by_count(statuses):
                right = left + width * n / total
                bars.append([(left, top), (right, top), (right, top - 0.16), (left, top - 0.16)])
                colours.append(style.POD_COLORS[style.pod_category(status)])
                left = right
        self._bars.set_verts(bars)
        self._bars.set_facecolor(colours)

    def _set_edges(self, g: Any) -> None:
        from matplotlib.colors import to_rgba

        pos, bottom, column_x = self.layout.positions, self.layout.box_bottom, dict(self.layout.columns)
        runs_on, selects, select_colours, owns = [], [], [], []
        ready_colour = to_rgba(style.EDGE_STYLES["selects"]["color"], style.EDGE_STYLES["selects"]["alpha"])
        waiting_colour = to_rgba(style.EDGE_STYLES["selects"]["color"], 0.3)
        crowded = sum(k == "pod" for _, k in g.nodes(data="kind")) > LABEL_LIMIT   # one line per column
        seen: set = set()
        for u, v, data in g.edges(data=True):
            relation = data["relation"]
            if relation == "runs on" and g.nodes[u]["kind"] == "pod":
                if not self._summarised(g, u):
                    (x, y), top = pos[u], HEADER_Y - 0.3
                    runs_on.append([(x + BUS_DX, top), (x + BUS_DX, y), (x, y)])
            elif relation == "runs on":
                runs_on.append([pos[u], (pos[v][0], bottom)])
            elif relation == "selects":
                if g.nodes[v]["kind"] == "pod" and (crowded or self._summarised(g, v)):
                    column = self._column_of(g, v)
                    if (u, column) in seen:
                        continue
                    seen.add((u, column))
                    end = (column_x[column], bottom)
                else:
                    end = pos[v]
                selects.append([pos[u], end])
                select_colours.append(ready_colour if data.get("ready") else waiting_colour)
            elif relation == "owns":
                owns.append([pos[u], pos[v]])
        self._edges["runs on"].set_segments(runs_on)
        self._edges["selects"].set_segments(selects)
        self._edges["selects"].set_color(select_colours)
        self._edges["owns"].set_segments(owns)

    @staticmethod
    def _column_of(g: Any, pid: str) -> str:
        column = f"node/{g.nodes[pid]['node']}"
        return column if column in g else PENDING

    def _summarised(self, g: Any, pid: str) -> bool:
        return self._column_of(g, pid) in self.layout.summarised

    def _set_labels(self, g: Any, shown: list) -> None:
        """Pod names beside their dots, from a pool of Text artists that only grows."""
        chars = self._label_chars
        names = [(n, _shorten(g.nodes[n]["name"], chars, g.nodes[n]["node"])) for n in shown] if chars else []
        while len(self._labels) < len(names):
            text = self.ax.text(0, 0, "", fontsize=style.FONT_SIZE - 1, va="center", color=style.TEXT,
                                zorder=5)
            self._labels.append(text)
            self._dynamic.append(text)
        pos = self.layout.positions
        for i, text in enumerate(self._labels):
            if i < len(names):
                n, name = names[i]
                x, y = pos[n]
                text.set(text=name, x=x + LABEL_DX, y=y, visible=True)
            else:
                text.set_visible(False)


def _encode_png(canvas: Any) -> bytes:
    """The canvas as a palette PNG: flat colours need no more than 256, and it is 4x smaller."""
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image = image.convert("RGB").quantize(PNG_COLOURS, method=Image.Quantize.FASTOCTREE)
    palette = image.getpalette()              # the fast quantizer turns white into (252, 252, 253)
    image.putpalette([255 if min(palette[i - i % 3:i - i % 3 + 3]) >= 248 else v
                      for i, v in enumerate(palette)])
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=PNG_COMPRESS_LEVEL)
    return buf.getvalue()


def _box_text(data: dict) -> str:
    if data["kind"] == "service":
        selects = f"selects {plural(data['pods'], 'pod')}" if data["selector"] else "no selector"
        return f"svc {data['name']}\n{data['type']} · {selects}"
    counts = _counts_text(data["statuses"])
    return f"{data['owner_kind']} {data['name']}\n{plural(data['pods'], 'pod')}: {counts}"


def _title(snap: Snapshot, namespace: Any, selector: Any) -> str:
    parts = [f"Cluster at t = {snap.now:.1f} s"]
    if namespace:
        parts.append(f"namespace {namespace}")
    if selector:
        parts.append(f"pods {selector_text(selector)}")
    return "   ·   ".join(parts)


def _resolve(g: Any, highlight: Any) -> set:
    """Graph ids to emphasise: ids as given, or bare names of nodes, pods, components."""
    if not highlight:
        return set()
    wanted = {highlight} if isinstance(highlight, str) else set(highlight)
    found = set()
    for item in wanted:
        if item in g:
            found.add(item)
            continue
        for candidate in (f"node/{item}", f"pod/default/{item}", f"component/{item}", f"svc/default/{item}"):
            if candidate in g:
                found.add(candidate)
    return found


def draw_cluster(source: Any, ax: Any = None, namespace: str | None = None, selector: Any = None,
                 collapse_owners: bool = False, highlight: Any = None) -> Any:
    """Draw a cluster (or Snapshot) once; returns the matplotlib Figure (into ``ax`` when given)."""
    picture = ClusterFigure(ax=ax)
    return picture.update(source, namespace=namespace, selector=selector, collapse_owners=collapse_owners,
                          highlight=highlight)


def render_png(source: Any, namespace: str | None = None, selector: Any = None, collapse_owners: bool = False,
               highlight: Any = None, dpi: int = style.DPI) -> bytes:
    """The cluster picture as PNG bytes (deterministic for the same cluster state)."""
    picture = ClusterFigure(dpi=dpi)
    picture.update(source, namespace=namespace, selector=selector, collapse_owners=collapse_owners,
                   highlight=highlight)
    return picture.png()
