"""Drawing and playing a pod's journey: the sequence diagram and the FlowPlayer panel.

``draw_sequence(hops, current=3)`` draws lanes as columns and hops as arrows, top to bottom in
time order, with the current hop in the highlight colour. :class:`FlowPlayer` wraps it in a panel:
Back / Next buttons, a Play button with a speed choice, the sentence for the current hop, and
the cluster picture with the hop's components highlighted.

The words are as big as the cluster picture's (``style.FONT_SIZE``): a diagram is 1,100 pixels
wide, the width a deck shows a picture at, and a hop's box grows to its label
("WaitForAttachAndMount"). A journey too long for one slide is drawn in parts
(``FlowPlayer.figures``: 20 hops as two pictures of ten).

Displayed, the panel is one output with two views (``panels.picture_bundle``): the live widget,
and a PNG of the moment it was shown (the diagram around the current hop, under its sentence),
which a static page or a deck shows instead of the widget's saved, last, state. ``str(player)``
is the whole journey as text, for screen readers.

Upstream: none (a teaching view).
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

from k8slearn.viz import style
from k8slearn.viz.flow import Hop, graph_ids, lanes_for, pod_journey
from k8slearn.viz.panels import display_bundles, figure_png, picture_bundle, picture_metadata

__all__ = ["FlowPlayer", "draw_sequence", "figure_png", "parts", "snapshot_at"]

WIDTH = 11.0  # inches: 1,100 pixels at style.DPI, as wide as a deck shows a picture
ROW = 0.40  # inches per hop row
WINDOW = 12  # hops visible at once around the current one (the slider reaches the others)
PER_PICTURE = 10  # hops per picture when a journey is drawn in parts (a slide holds ten)
TITLE_CHARACTERS = 110  # the title's line wraps here (room is left for "hops 11–20 of 20")
CAPTION_CHARACTERS = 135  # a caption line wraps here (about 7.6 pixels a character)
LINE = 0.45  # rows per title line
LABEL_GAP = 0.1  # rows between an arrow and its label
BOX_HEIGHT = 0.5  # rows: a component's own work, in a box on its lane
LINE_COLOUR = "#b0bec5"
HOP_COLOUR = "#37474f"


def _visible(hops: list[Hop], current: int | None, window: int, start: int | None = None) -> list[Hop]:
    """The hops drawn: from ``start`` when given, else a window around ``current`` (the first
    ``window`` hops when there is no current one)."""
    if start is not None:
        return hops[start : start + window]
    if len(hops) <= window or current is None:
        return hops[:window] if current is None else hops
    first = min(max(0, current - window // 2), len(hops) - window)
    return hops[first : first + window]


def parts(count: int, per_picture: int = PER_PICTURE) -> list[range]:
    """``count`` hops cut into as few pictures of at most ``per_picture`` as possible, of even size.

    >>> [(r.start, r.stop) for r in parts(20)], [(r.start, r.stop) for r in parts(23)]
    ([(0, 10), (10, 20)], [(0, 8), (8, 16), (16, 23)])
    """
    pictures = max(1, math.ceil(count / per_picture))
    size = math.ceil(count / pictures) if count else 0
    return [range(i, min(i + size, count)) for i in range(0, max(count, 1), max(size, 1))]


def draw_sequence(
    hops: list[Hop],
    current: int | None = None,
    window: int = WINDOW,
    title: str = "",
    dpi: int = style.DPI,
    start: int | None = None,
    caption: str = "",
) -> Any:
    """A matplotlib Figure of the hops as a sequence diagram (Agg canvas; no pyplot).

    ``window`` hops are drawn: from hop ``start`` (counted from 0) when given, else around
    ``current``. ``title`` is the first line; ``caption`` (the current hop's sentence) wraps
    below it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lanes = lanes_for(hops)
    shown = _visible(hops, current, window, start)
    lines = _title_lines(title, caption)
    top = 1.3 + LINE * len(lines)  # rows above the first hop: the lane headers, then the title
    rows = max(len(shown), 1)
    fig = Figure(figsize=(WIDTH, ROW * (rows + 0.1 + top)), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.0, 0.0, 1.0, 1.0])
    ax.set_xlim(-1.05, len(lanes) - 0.45)
    ax.set_ylim(-rows - 0.1, top)
    ax.axis("off")
    x = {lane: i for i, lane in enumerate(lanes)}
    _draw_title(ax, lines, top, len(lanes), _counter(shown, hops))
    _draw_lanes(ax, x, rows)
    for row, hop in enumerate(shown):
        _draw_hop(ax, hop, -row - 0.5, x, hot=hop.index == current)
    return fig


def _title_lines(title: str, caption: str) -> list[tuple[str, bool]]:
    """The title (bold) and the caption's wrapped lines, each with whether it is the title."""
    lines = [(line, True) for line in textwrap.wrap(title, TITLE_CHARACTERS)]
    return lines + [(line, False) for line in textwrap.wrap(caption.strip(), CAPTION_CHARACTERS)]


def _counter(shown: list[Hop], hops: list[Hop]) -> str:
    """"hops 11–20 of 20" when the picture shows only some of the hops, else nothing."""
    if not shown or len(shown) == len(hops):
        return ""
    return f"hops {shown[0].index + 1}–{shown[-1].index + 1} of {len(hops)}"


def _draw_title(ax: Any, lines: list[tuple[str, bool]], top: float, lanes: int, counter: str) -> None:
    for n, (text, bold) in enumerate(lines):
        ax.text(-1.0, top - 0.35 - LINE * n, text, ha="left", va="center", fontsize=style.FONT_SIZE,
                color=style.TEXT, fontweight="bold" if bold else "normal")
    if counter:
        ax.text(lanes - 0.5, top - 0.35, counter, ha="right", va="center", fontsize=style.LABEL_SIZE,
                color=style.MUTED)


def _draw_lanes(ax: Any, x: dict, rows: int) -> None:
    """A coloured header and a grey line down the picture for each lane."""
    from matplotlib.patches import FancyBboxPatch

    for lane, i in x.items():
        face = style.ETCD["face"] if lane == "etcd" else style.COMPONENT["face"]
        ax.add_patch(FancyBboxPatch((i - 0.46, 0.2), 0.92, 0.8, boxstyle="round,pad=0.02",
                                    facecolor=face, edgecolor="none"))
        _fitted_text(ax, i, 0.6, _lane_title(lane), 0.88, color="white", fontweight="bold",
                     linespacing=0.95)
        ax.plot([i, i], [0.2, -rows - 0.1], color=LINE_COLOUR, linewidth=1, zorder=0)


def _draw_hop(ax: Any, hop: Hop, y: float, x: dict, hot: bool) -> None:
    """One row: the hop's number and time, then its arrow and label (or its box, on one lane)."""
    colour = style.HIGHLIGHT if hot else HOP_COLOUR
    weight = "bold" if hot else "normal"
    ax.text(-1.0, y, f"{hop.index + 1:>2}  t={hop.time:.3f}s", ha="left", va="center",
            fontsize=style.LABEL_SIZE, color=colour, fontweight=weight, family="monospace")
    a, b = x[hop.source], x[hop.target]
    if a == b:
        _own_work(ax, hop.label, a, y, colour, weight, hot)
        return
    ax.annotate("", xy=(b, y), xytext=(a, y),
                arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 2.2 if hot else 1.1})
    ax.text((a + b) / 2, y + LABEL_GAP, hop.label, ha="center", va="bottom", fontsize=style.LABEL_SIZE,
            color=colour, fontweight=weight)


def _own_work(ax: Any, label: str, lane: float, y: float, colour: str, weight: str, hot: bool) -> None:
    """A component's own work (filter + score, WaitForAttachAndMount): a box on its lane, as wide
    as its label needs (wider than the lane if it must: the lanes beside it stay clear)."""
    from matplotlib.patches import FancyBboxPatch

    text = ax.text(lane, y, label, ha="center", va="center", fontsize=style.LABEL_SIZE, color=colour,
                   fontweight=weight, zorder=3)
    width = max(0.84, _data_width(ax, text) + 0.12)
    ax.add_patch(FancyBboxPatch((lane - width / 2, y - BOX_HEIGHT / 2), width, BOX_HEIGHT,
                                boxstyle="round,pad=0.02", facecolor="#fff3e0" if hot else "#f5f5f5",
                                edgecolor=colour, linewidth=2 if hot else 0.8, zorder=2))


def _data_width(ax: Any, text: Any) -> float:
    """How wide ``text`` is drawn, in the axes' x units (lanes)."""
    box = text.get_window_extent(renderer=ax.figure.canvas.get_renderer())
    return float(box.transformed(ax.transData.inverted()).width)


def _fitted_text(ax: Any, x: float, y: float, words: str, width: float, **kw: Any) -> Any:
    """``words`` centred at (x, y) at ``style.FONT_SIZE``, smaller (not below ``style.MIN_FONT_SIZE``)
    when they would be wider than ``width`` lanes."""
    text = ax.text(x, y, words, ha="center", va="center", fontsize=style.FONT_SIZE, **kw)
    size = style.FONT_SIZE
    while _data_width(ax, text) > width and size > style.MIN_FONT_SIZE:
        size -= 0.5
        text.set_fontsize(size)
    return text


def snapshot_at(cluster: Any, revision: int, now: float) -> Any:
    """The cluster as etcd held it at ``revision`` (None if that history was compacted away)."""
    import json

    from k8slearn.api.resources import RESOURCES
    from k8slearn.etcd import EtcdError
    from k8slearn.viz.snapshot import Snapshot

    if revision <= 0:
        return None
    objects = []
    try:
        for plural in ("nodes", "pods", "services", "endpoints", "deployments", "replicasets", "daemonsets"):
            info = RESOURCES[plural]
            for kv in cluster.etcd.range(info.etcd_prefix + "/", revision=revision):
                obj = json.loads(kv.value)
                objects.append({**obj, "kind": obj.get("kind") or info.kind})
    except EtcdError:  # compacted, or a future revision: show the cluster as it is now
        return None
    return Snapshot.from_objects(objects, now=now)


def _lane_title(lane: str) -> str:
    """Wrap long lane names on two lines: at a space, else after the last hyphen that fits.

    >>> _lane_title("container runtime"), _lane_title("kube-controller-manager"), _lane_title("etcd")
    ('container\\nruntime', 'kube-controller-\\nmanager', 'etcd')
    """
    if len(lane) <= 14:
        return lane
    if " " in lane:
        return lane.replace(" ", "\n", 1)
    cut = lane.rfind("-", 0, 17) + 1
    return f"{lane[:cut]}\n{lane[cut:]}" if cut else lane


class FlowPlayer:
    """Step through one pod's journey: ``FlowPlayer(cluster, "web")`` (display it in a notebook)."""

    def __init__(
        self, cluster: Any, name: str, namespace: str = "default", include_all: bool = False
    ) -> None:
        self.cluster = cluster
        self.name, self.namespace = name, namespace
        self.pod_ref = f"pod/{namespace}/{name}"
        self.hops = pod_journey(cluster.trace, name, namespace, include_all)
        self.current = 0
        self._widget: Any = None

    # -- model ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.hops)

    def __str__(self) -> str:
        head = f"The journey of {self.pod_ref}: {len(self.hops)} hops"
        return "\n".join([head] + [str(h) for h in self.hops])

    def __repr__(self) -> str:
        return f"<FlowPlayer {self.pod_ref}: {len(self.hops)} hops>"

    def sentence(self, index: int | None = None) -> str:
        index = self.current if index is None else index
        return str(self.hops[index]) if self.hops else f"No steps for {self.pod_ref} in the trace yet."

    @property
    def title(self) -> str:
        return f"The journey of {self.pod_ref}"

    def figure(self, current: int | None = None) -> Any:
        """The whole journey as one figure (a printed page; a slide holds ``figures()``' parts)."""
        return draw_sequence(self.hops, current, window=max(len(self.hops), 1), title=self.title)

    def figures(self, per_picture: int = PER_PICTURE) -> list:
        """The whole journey as pictures of at most ``per_picture`` hops each, for slides: 20 hops
        make two pictures of ten, each titled with the hops it shows."""
        return [draw_sequence(self.hops, window=len(part), start=part.start, title=self.title)
                for part in parts(len(self.hops), per_picture)]

    def moment_png(self) -> bytes:
        """The picture of this moment: the diagram around the current hop, under its sentence."""
        current = self.current if self.hops else None
        return figure_png(draw_sequence(self.hops, current, title=self.title, caption=self.sentence()))

    def moment_alt(self) -> str:
        """``moment_png`` in words, its alt text: the title, how many hops, and the current hop."""
        if not self.hops:
            return f"{self.title}: {self.sentence()}"
        return f"{self.title}, {len(self.hops)} hops; now hop {self.sentence().strip()}"

    def pictures(self, per_picture: int = PER_PICTURE) -> list:
        """``figures()`` as IPython Images, each with its alt text (which hops, from where to
        where), for a notebook to display one after the other."""
        from IPython.display import Image

        return [Image(figure_png(figure), alt=self._part_alt(part))
                for figure, part in zip(self.figures(per_picture), parts(len(self.hops), per_picture))]

    def _part_alt(self, part: range) -> str:
        arrows = [h.source if h.source == h.target else f"{h.source} → {h.target}"
                  for h in self.hops[part.start:part.stop]]
        return f"{self.title}, hops {part.start + 1}–{part.stop} of {len(self.hops)}: {', '.join(arrows)}."

    def _repr_png_(self) -> bytes:
        return figure_png(self.figure())

    # -- view -----------------------------------------------------------------------------------
    def _pictures(self) -> tuple[bytes, bytes]:
        from k8slearn.viz.draw import render_png
        from k8slearn.viz.snapshot import holding

        hop = self.hops[self.current] if self.hops else None
        diagram = figure_png(draw_sequence(self.hops, self.current if hop else None, title=self.title))
        highlight = graph_ids(hop, self.pod_ref) if hop else [self.pod_ref]
        with holding(self.cluster):  # a click in another thread must not step the cluster meanwhile
            then = snapshot_at(self.cluster, hop.revision, hop.time) if hop else None
            return diagram, render_png(then if then is not None else self.cluster, highlight=highlight)

    def widget(self) -> Any:
        """The ipywidgets panel (built once)."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        last = max(len(self.hops), 1)  # the slider counts hops from 1, like the sentences
        self._slider = w.IntSlider(
            value=1,
            min=1,
            max=last,
            description="hop",
            continuous_update=True,
            layout=w.Layout(width="420px"),
        )
        self._play = w.Play(value=1, min=1, max=last, interval=1000, description="Play")
        w.jslink((self._play, "value"), (self._slider, "value"))
        self._speed = w.Dropdown(
            options=[("0.5×", 2000), ("1×", 1000), ("2×", 500), ("4×", 250)],
            value=1000,
            description="speed",
            layout=w.Layout(width="160px"),
        )
        w.link((self._speed, "value"), (self._play, "interval"))
        back, step = w.Button(description="◀ Back"), w.Button(description="Next ▶")
        back.on_click(lambda _: self._move(-1))
        step.on_click(lambda _: self._move(+1))
        self._text = w.HTML()
        # the diagram at its own size (a VBox would stretch it to the output's width: taller, blurred)
        self._diagram = w.Image(format="png", layout=w.Layout(align_self="flex-start"))
        self._cluster_img = w.Image(format="png", width="640px")
        self._slider.observe(lambda change: self._show(change["new"] - 1), names="value")
        controls = w.HBox([back, step, self._play, self._slider, self._speed])
        self._widget = w.VBox([controls, self._text, self._diagram, self._cluster_img])
        self._show(0)
        return self._widget

    def _move(self, delta: int) -> None:
        if self.hops:
            self._slider.value = min(max(self.current + delta, 0), len(self.hops) - 1) + 1

    def _show(self, index: int) -> None:
        import html

        self.current = index
        self._text.value = f"<div style='font-size:14px;padding:4px 0'>{html.escape(self.sentence())}</div>"
        self._diagram.value, self._cluster_img.value = self._pictures()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """The live panel, and the picture of this moment as PNG (``panels.picture_bundle``)."""
        return picture_bundle(self.widget(), self.moment_png())

    def _ipython_display_(self) -> None:
        """One output: ``_repr_mimebundle_``, with the picture's alt text in its metadata."""
        display_bundles([(self._repr_mimebundle_(), picture_metadata(self.moment_alt()))])
