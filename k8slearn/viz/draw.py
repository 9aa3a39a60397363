"""Draw the cluster picture with matplotlib (Agg, no pyplot).

``draw_cluster(cluster)`` returns a ``matplotlib.figure.Figure``; ``render_png`` returns PNG bytes;
``summary(snap)`` (from graph.py) is the picture's alt text. ``ClusterFigure`` keeps one figure
and its artists alive: the static part (control plane, node boxes, legend) is rendered once and
restored as a background; a redraw only moves dots and changes colours and texts. The figure is
rebuilt only when the set of nodes, owners or services (or the columns' height, or the room for
taints under them) changes. Each node's taints are written under its box, as ``kubectl describe
node`` lists them (abbreviated to a count where the columns are narrow).
matplotlib is imported inside functions, so importing this module stays light.

>>> from k8slearn.viz.snapshot import Snapshot
>>> picture = ClusterFigure()
>>> fig = picture.update(Snapshot.from_objects([{"kind": "Node", "metadata": {"name": "node-1"}}]))
>>> [c.id for c in picture.layout.columns], picture.png()[:4]
(['node/node-1'], b'\x89PNG')

The building half of the class is in ``draw_build.py``, the picture's words in ``draw_text.py``.

Simplified: one fixed visual grammar; pod names are shortened to fit their column, and hidden
when the columns are too narrow to read them.

Upstream: none (a picture); its words follow ``kubectl get nodes`` and ``kubectl get pods``.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from k8slearn.viz import style
from k8slearn.viz.draw_build import BOX_HALF, BUS_DX, LABEL_DX, FigureBuilder, _category_style, _light_hatch
from k8slearn.viz.draw_text import _box_text, _by_count, _node_header, _shorten, _title
from k8slearn.viz.graph import ETCD, build_graph, summary
from k8slearn.viz.layout import HEADER_Y, PENDING, Layout
from k8slearn.viz.panels import picture_metadata
from k8slearn.viz.snapshot import as_snapshot

__all__ = ["ClusterFigure", "draw_cluster", "render_png", "summary"]

INCH_PER_UNIT_Y = 0.62
MIN_WIDTH_IN, MAX_WIDTH_IN, INCH_PER_COLUMN = 10.5, 12.0, 1.5   # 10.5 in: room for the three legends
TITLE_IN, LEGEND_IN = 0.5, 0.95
LABEL_LIMIT = 60                # above this many pods in view, pods are dots without names
PNG_COMPRESS_LEVEL = 1          # zlib level: fast; the picture is flat colours and compresses well
PNG_COLOURS = 256               # a palette PNG: a quarter of the bytes, no visible change


@functools.lru_cache(maxsize=None)
def _figure_class() -> type:
    """matplotlib's Figure plus ``_repr_png_``: a notebook cell ending in a picture shows it even
    without pyplot (the inline backend registers its Figure formatter only when pyplot is imported).

    Its ``_repr_mimebundle_`` adds only the output's metadata: the picture's alt text
    (``describe``, which ``ClusterFigure.update`` sets to its ``alt_text``; ``panels.picture_metadata``).
    IPython keeps that metadata and still takes the PNG from ``_repr_png_`` and text/plain from the
    figure's repr (IPython.core.formatters.DisplayFormatter.format)."""
    from matplotlib.figure import Figure

    def _repr_png_(figure: Any) -> bytes:
        buf = io.BytesIO()
        figure.savefig(buf, format="png", metadata={"Software": None})
        return buf.getvalue()

    def _repr_mimebundle_(figure: Any, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        return {}, picture_metadata(figure.describe() if figure.describe else "")

    methods = {"_repr_png_": _repr_png_, "_repr_mimebundle_": _repr_mimebundle_, "describe": None}
    return type("ClusterPictureFigure", (Figure,), {**methods, "__module__": __name__})


class ClusterFigure(FigureBuilder):
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
        self._described: tuple | None = None     # what graph.summary needs for the alt text
        self._labels: list = []
        self._dynamic: list = []

    def update(self, source: Any, namespace: str | None = None, selector: Any = None,
               collapse_owners: bool = False, highlight: Any = None) -> Any:
        """Redraw from a cluster or Snapshot; returns the Figure."""
        snap = as_snapshot(source)
        g = build_graph(snap, namespace=namespace, selector=selector, collapse_owners=collapse_owners)
        self.graph = g
        # graph.summary counts each pod: from the snapshot when owners are collapsed into one dot
        self._described = (snap if collapse_owners else g, namespace, selector)
        self.layout.update(g)
        key = (tuple(c.id for c in self.layout.columns), self.layout.rows, self.layout.taint_room,
               tuple(sorted(n for n, k in g.nodes(data="kind") if k in ("owner", "service"))))
        if key != self._key:
            self._build(g)
            self._key = key
        marked = _resolve(g, highlight)
        self._refresh_static(g, marked)
        self._refresh_dynamic(g, marked, _title(snap, namespace, selector))
        if not self._external:
            self.figure.describe = self.alt_text     # words only when shown (see _figure_class)
        return self.figure

    def alt_text(self) -> str:
        """The picture of the last ``update`` in words (``graph.summary``): its alternative text."""
        return summary(*self._described) if self._described else ""

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

    # -- refreshing --
    def _refresh_static(self, g: Any, marked: set) -> None:
        """Node boxes, headers, kubelet arrows, highlighted components: redrawn only when they change."""
        state = tuple((col.id, g.nodes[col.id]["ready"], g.nodes[col.id]["unschedulable"], col.id in marked,
                       g.nodes[col.id]["taints"]) for col in self.layout.columns if col.id != PENDING)
        state += tuple((cid in marked, g.nodes[cid].get("stopped", False)) for cid in self._component_boxes)
        if state == self._static:
            return
        self._static, self._background = state, None
        for col in self.layout.columns:
            box, header, _, arrow, taints = self._columns[col.id]
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
            shown, size = self._taints_label(data["taints"])
            taints.set(text=shown, fontsize=size, visible=bool(shown))
        for cid, text in self._component_boxes.items():
            colours = style.ETCD if cid == ETCD else style.COMPONENT
            stopped = g.nodes[cid].get("stopped", False)   # its machine is off: a grey box, a faint arrow
            name = g.nodes[cid]["name"]
            text.set(text=f"{name}\n(stopped)" if stopped else name, color=style.MUTED if stopped else colours["text"])
            text.get_bbox_patch().set(lw=2.6 if cid in marked else 1.0,
                                      fc=style.STOPPED["face"] if stopped else colours["face"],
                                      ec=style.HIGHLIGHT if cid in marked else
                                      style.STOPPED["edge"] if stopped else colours["edge"],
                                      linestyle="--" if stopped else "-")
            if cid in self._component_arrows:
                self._component_arrows[cid].set_alpha(0.2 if stopped else style.EDGE_STYLES["watches"]["alpha"])

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
            total, left = lay.summarised[col.id], col.x - self._across(BOX_HALF) + 0.08
            width, top = 2 * (self._across(BOX_HALF) - 0.08), lay.box_bottom + 0.32
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
                    bus = x + self._across(BUS_DX)
                    runs_on.append([(bus, top), (bus, y), (x, y)])
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
            text = self.ax.text(0, 0, "", fontsize=style.LABEL_SIZE, va="center", color=style.TEXT,
                                zorder=5)
            self._labels.append(text)
            self._dynamic.append(text)
        pos = self.layout.positions
        for i, text in enumerate(self._labels):
            if i < len(names):
                n, name = names[i]
                x, y = pos[n]
                text.set(text=name, x=x + self._across(LABEL_DX), y=y, visible=True)
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
