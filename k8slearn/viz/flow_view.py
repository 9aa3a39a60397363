"""Drawing and playing a pod's journey: the sequence diagram and the FlowPlayer panel.

``draw_sequence(hops, current=3)`` draws lanes as columns and hops as arrows, top to bottom in
time order, with the current hop in the highlight colour. :class:`FlowPlayer` wraps it in a panel:
Back / Next buttons, a Play button with a speed choice, the sentence for the current hop, and
the cluster picture with the hop's components highlighted.

Displayed outside a live kernel (nbconvert, slides), the panel still shows its pictures (widget
state carries the PNGs); ``str(player)`` is the whole journey as text, for screen readers.

Upstream: none (a teaching view).
"""

from __future__ import annotations

import io
from typing import Any

from k8slearn.viz import style
from k8slearn.viz.flow import Hop, graph_ids, lanes_for, pod_journey

ROW = 0.40  # inches per hop row
WINDOW = 12  # hops visible at once around the current one (the slider reaches the others)


def _visible(hops: list[Hop], current: int | None, window: int) -> list[Hop]:
    if len(hops) <= window or current is None:
        return hops[:window] if current is None else hops
    start = min(max(0, current - window // 2), len(hops) - window)
    return hops[start : start + window]


def draw_sequence(
    hops: list[Hop], current: int | None = None, window: int = WINDOW, title: str = "", dpi: int = style.DPI
) -> Any:
    """A matplotlib Figure of the hops as a sequence diagram (Agg canvas; no pyplot)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    lanes = lanes_for(hops)
    shown = _visible(hops, current, window)
    height = 1.1 + ROW * max(len(shown), 1)
    fig = Figure(figsize=(11, height), dpi=dpi)
    ax = fig.add_axes([0.0, 0.0, 1.0, 1.0])
    ax.set_xlim(-1.6, len(lanes) - 0.35)
    ax.set_ylim(-len(shown) - 0.3, 1.75)
    ax.axis("off")
    x = {lane: i for i, lane in enumerate(lanes)}
    for lane, i in x.items():
        ax.add_patch(
            FancyBboxPatch(
                (i - 0.45, 0.75),
                0.9,
                0.5,
                boxstyle="round,pad=0.02",
                facecolor=style.ETCD["face"] if lane == "etcd" else style.COMPONENT["face"],
                edgecolor="none",
            )
        )
        ax.text(
            i,
            1.0,
            _lane_title(lane),
            ha="center",
            va="center",
            color="white",
            fontsize=8,
            fontweight="bold",
            linespacing=0.9,
        )
        ax.plot([i, i], [0.7, -len(shown) - 0.2], color="#b0bec5", linewidth=1, zorder=0)
    if title:
        ax.text(-1.55, 1.5, title, ha="left", va="center", fontsize=10, color=style.TEXT)
    for row, hop in enumerate(shown):
        y = -row - 0.35
        hot = hop.index == current
        colour = style.HIGHLIGHT if hot else "#37474f"
        weight = "bold" if hot else "normal"
        ax.text(
            -1.55,
            y,
            f"{hop.index + 1:>2}  t={hop.time:.3f}s",
            ha="left",
            va="center",
            fontsize=7.5,
            color=colour,
            fontweight=weight,
            family="monospace",
        )
        a, b = x[hop.source], x[hop.target]
        if a == b:
            ax.add_patch(
                FancyBboxPatch(
                    (a - 0.42, y - 0.15),
                    0.84,
                    0.3,
                    boxstyle="round,pad=0.02",
                    facecolor="#fff3e0" if hot else "#f5f5f5",
                    edgecolor=colour,
                    linewidth=2 if hot else 0.8,
                )
            )
            ax.text(a, y, hop.label, ha="center", va="center", fontsize=7.5, color=colour, fontweight=weight)
            continue
        ax.annotate(
            "",
            xy=(b, y),
            xytext=(a, y),
            arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 2.2 if hot else 1.1},
        )
        ax.text(
            (a + b) / 2,
            y + 0.12,
            hop.label,
            ha="center",
            va="bottom",
            fontsize=7.5,
            color=colour,
            fontweight=weight,
        )
    if len(shown) < len(hops):
        ax.text(
            len(lanes) - 0.45,
            -len(shown) - 0.15,
            f"hops {shown[0].index + 1}–{shown[-1].index + 1} of {len(hops)}",
            ha="right",
            va="center",
            fontsize=7,
            color=style.MUTED,
        )
    return fig


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
    """Wrap long lane names on two lines: at a space, else after the last hyphen that fits."""
    if len(lane) <= 14:
        return lane
    if " " in lane:
        return lane.replace(" ", "\n", 1)
    cut = lane.rfind("-", 0, 15) + 1
    return f"{lane[:cut]}\n{lane[cut:]}" if cut else lane


def figure_png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


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

    def figure(self, current: int | None = None) -> Any:
        """The whole journey as one figure (for slides and static pages)."""
        return draw_sequence(
            self.hops, current, window=max(len(self.hops), 1), title=f"The journey of {self.pod_ref}"
        )

    def _repr_png_(self) -> bytes:
        return figure_png(self.figure())

    # -- view -----------------------------------------------------------------------------------
    def _pictures(self) -> tuple[bytes, bytes]:
        from k8slearn.viz.draw import render_png
        from k8slearn.viz.snapshot import holding

        hop = self.hops[self.current] if self.hops else None
        diagram = figure_png(
            draw_sequence(self.hops, self.current if hop else None, title=f"The journey of {self.pod_ref}")
        )
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

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())
