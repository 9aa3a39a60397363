"""Controllers at work, in pictures: a timeline, a DaemonSet panel and a rolling-update chart.

- ``ControllerTimeline(cluster)``: one swimlane per controller, one numbered marker per action
  (▲ create, ▼ delete, ◆ scale, ■ mark, ✕ evict, ● schedule), and a table saying what each
  controller saw and did ("ReplicaSet web-7c4b4cb947: 1 of 3 pods → create 2"). Rows come from
  ``timeline.controller_rows`` (the trace joined with Events).
- ``DaemonSetPanel(cluster, "node-exporter", namespace="monitoring")``: buttons that add, remove,
  taint and untaint nodes; after each, the cluster settles and the panel shows the picture with the
  daemon pods ringed, "3 eligible nodes → 3 daemon pods (desired 3, current 3, ready 3)" and why
  each node is (not) eligible.
- ``record_rollout(cluster, "web", image="nginx:1.27")`` runs ``kubectl set image`` and samples the
  Deployment's ReplicaSets while time runs; ``RolloutChart(cluster, "web", samples)`` draws each
  ReplicaSet's replicas as a step line inside the corridor maxSurge and maxUnavailable allow.

Every picture is an Agg figure turned into PNG (``ipywidgets.Image`` in panels, ``_repr_png_``
elsewhere), so it survives static HTML export and strict nbval; texts are deterministic. Panel
buttons never raise into the frontend: errors are shown in the panel.

Simplified: panels act synchronously (no background thread); "Remove node" powers the machine off
and deletes its Node object, as ``kubectl delete node`` after draining would.

Upstream: none (teaching views); they read what kube-controller-manager's controllers write
(pkg/controller/{replicaset,deployment,daemon,nodelifecycle}) through the API server.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable
from typing import Any

from k8slearn.viz import style
from k8slearn.viz.snapshot import unobserved
from k8slearn.viz.timeline import (
    DaemonNode,
    RolloutSample,
    controller_rows,
    daemon_nodes,
    lanes,
    sample_deployment,
    summary_text,
)

__all__ = ["ControllerTimeline", "DaemonSetPanel", "RolloutChart", "daemonset_line", "draw_rollout",
           "draw_timeline", "record_rollout", "slot_positions"]

MARKERS = {  # kind -> (matplotlib marker, colour, legend label)
    "create": ("^", style.POD_COLORS["running"], "create"),
    "delete": ("v", style.POD_COLORS["failed"], "delete"),
    "scale": ("D", style.OWNER["edge"], "scale"),
    "mark": ("s", style.POD_COLORS["pending"], "mark / register"),
    "evict": ("X", style.POD_COLORS["terminating"], "evict"),
    "schedule": ("o", style.COMPONENT["face"], "schedule"),
    "write": ("P", style.SERVICE["edge"], "write endpoints / taints"),
    "retry": ("x", style.MUTED, "conflict, retry"),
    "other": (".", style.MUTED, "other"),
}
GAP_SECONDS = 10.0          # a quiet spell longer than this gets a break mark on the time axis
NUMBER_LIMIT = 70           # above this many rows, markers are not numbered
TABLE_STYLE = "text-align:left;padding:1px 8px;vertical-align:top;font-size:12px"
DAEMON_TAINT = ("dedicated", "infra")


def _png(figure: Any) -> bytes:
    """A figure as PNG bytes: drawn on an Agg canvas, encoded by PIL with fast compression (the
    pictures are flat colours). The same picture gives the same bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=1)
    return buf.getvalue()


def _figure(figure: Any, width: float, height: float) -> Any:
    """Reuse ``figure`` (cleared, resized) or make a new one on an Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if figure is None:
        figure = Figure(figsize=(width, height), dpi=style.DPI, facecolor="white")
        FigureCanvasAgg(figure)
    else:
        figure.clear()
        figure.set_size_inches(width, height)
    return figure


def _display(bundles: list) -> None:
    from IPython.display import display

    for bundle in bundles:
        display(bundle, raw=True)


# ---- the timeline ------------------------------------------------------------------------------


def slot_positions(times: list[float], gap: float = GAP_SECONDS) -> tuple[list[float], list[tuple]]:
    """x of each row (one slot per row, in order) and the breaks ``(x, seconds skipped)``.

    >>> slot_positions([0.0, 0.1, 60.0, 60.2])
    ([0.0, 1.0, 3.0, 4.0], [(2.0, 59.9)])
    """
    xs, breaks, x = [], [], 0.0
    for i, t in enumerate(times):
        if i and t - times[i - 1] > gap:
            breaks.append((x, round(t - times[i - 1], 1)))
            x += 1.0
        xs.append(x)
        x += 1.0
    return xs, breaks


def _time_ticks(times: list[float], xs: list[float], min_slots: float = 4.0) -> list[tuple]:
    """(x, label) for the first row of each new moment, thinned so labels do not collide; the first
    row after a break is always labelled (and may push out the label just before it)."""
    ticks: list[tuple] = []
    last_t = None
    for i, (t, x) in enumerate(zip(times, xs)):
        if last_t is not None and round(t, 1) == round(last_t, 1):
            continue
        last_t = t
        after_break = i > 0 and x - xs[i - 1] > 1.0
        if after_break:
            while ticks and x - ticks[-1][0] < min_slots and len(ticks) > 1 and ticks[-1][0] > xs[0]:
                ticks.pop()
        if not ticks or after_break or x - ticks[-1][0] >= min_slots:
            ticks.append((x, f"{t:.1f}"))
    return ticks


def draw_timeline(rows: list, title: str = "", figure: Any = None) -> Any:
    """Swimlanes: one lane per controller, one numbered marker per row; returns the Figure."""
    names = lanes(rows)
    times = [r.time for r in rows]
    xs, breaks = slot_positions(times)
    span = (xs[-1] + 1) if xs else 1.0
    width = min(12.0, max(7.5, 2.6 + 0.15 * span))
    height = 1.35 + 0.42 * max(len(names), 1)
    fig = _figure(figure, width, height)
    left = min(0.3, 1.9 / width)
    ax = fig.add_axes((left, 0.95 / height, 0.98 - left, 1 - 1.3 / height))
    y = {lane: len(names) - i for i, lane in enumerate(names)}
    ax.set_xlim(-0.8, span - 0.2)
    ax.set_ylim(0.4, len(names) + 0.6)
    for ly in y.values():
        ax.axhline(ly, color="#e0e0e0", lw=0.8, zorder=0)
    ax.set_yticks(list(y.values()), list(y.keys()), fontsize=style.FONT_SIZE)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ticks = _time_ticks(times, xs)
    ax.set_xticks([x for x, _ in ticks], [label for _, label in ticks], fontsize=style.FONT_SIZE - 1)
    ax.set_xlabel("simulated time (s) — one slot per action, in order; ⋯ marks a quiet spell",
                  fontsize=style.FONT_SIZE, color=style.MUTED)
    for bx, skipped in breaks:
        ax.axvline(bx, color=style.MUTED, lw=0.8, ls=(0, (1, 2)))
        ax.text(bx, len(names) + 0.45, f"⋯ {skipped:g} s", ha="center", va="top",
                fontsize=style.FONT_SIZE - 1, color=style.MUTED)
    for kind, (marker, colour, _) in MARKERS.items():       # one collection per kind of action
        points = [(x, y[r.controller]) for r, x in zip(rows, xs) if (r.kind if r.kind in MARKERS else "other") == kind]
        if points:
            edge = {"linewidths": 1.6} if marker == "x" else {"linewidths": 0.5, "edgecolors": "white"}
            ax.scatter(*zip(*points), marker=marker, s=46, color=colour, zorder=3, **edge)
    if len(rows) <= NUMBER_LIMIT:
        for i, (row, x) in enumerate(zip(rows, xs)):
            ax.text(x, y[row.controller] + 0.2, str(i + 1), ha="center", va="bottom",
                    fontsize=style.FONT_SIZE - 2, color=style.TEXT)
    _marker_legend(ax, sorted({r.kind for r in rows}, key=list(MARKERS).index))
    if not title and rows:
        span_text = f"{rows[0].time:.1f}" + (f"–{rows[-1].time:.1f}" if rows[-1].time - rows[0].time >= 0.05 else "")
        title = f"{len(rows)} controller action{'s' * (len(rows) != 1)}, t = {span_text} s"
    ax.set_title(title or "No controller actions", fontsize=style.FONT_SIZE + 1, loc="left", color=style.TEXT)
    return fig


def _marker_legend(ax: Any, kinds: list) -> None:
    """One row of marker meanings along the bottom edge of the figure."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], ls="", marker=MARKERS[k][0], ms=6, color=MARKERS[k][1], label=MARKERS[k][2])
               for k in kinds]
    if handles:
        ax.figure.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=len(handles),
                         frameon=False, fontsize=style.FONT_SIZE - 0.5, handletextpad=0.2, columnspacing=1.0)


class ControllerTimeline:
    """Which controller did what, when, and why, from ``cluster.trace`` and the Events.

    ``controllers=`` keeps only those lanes; ``scheduler``/``kubelets``/``writes`` choose the
    other sources (see ``timeline.controller_rows``). ``refresh()`` re-reads the trace.
    """

    def __init__(self, cluster: Any, since: float = 0.0, until: float | None = None,
                 controllers: Any = None, scheduler: bool = True, kubelets: bool = False,
                 writes: bool = True, title: str = "") -> None:
        self.cluster, self.since, self.until = cluster, since, until
        self.controllers = None if controllers is None else (
            {controllers} if isinstance(controllers, str) else set(controllers))
        self.options = {"scheduler": scheduler, "kubelets": kubelets, "writes": writes}
        self.title = title
        self._figure = None
        self.rows: list = []
        self.refresh()

    def refresh(self) -> ControllerTimeline:
        with unobserved(self.cluster):
            events = self.cluster.api.list("events")
        rows = controller_rows(self.cluster.trace, events, since=self.since, until=self.until, **self.options)
        self.rows = [r for r in rows if self.controllers is None or r.controller in self.controllers]
        return self

    def figure(self) -> Any:
        self._figure = draw_timeline(self.rows, self.title, self._figure)
        return self._figure

    def png(self) -> bytes:
        return _png(self.figure())

    _repr_png_ = png

    def summary(self) -> str:
        return summary_text(self.rows)

    def text(self) -> str:
        lines = [self.summary()]
        lines += [f"{i:>3}. {row}" for i, row in enumerate(self.rows, 1)]
        return "\n".join(lines)

    __str__ = text

    def __repr__(self) -> str:
        return f"<ControllerTimeline: {len(self.rows)} actions>"

    def html(self) -> str:
        esc = html.escape
        head = "".join(f"<th style='{TABLE_STYLE}'>{h}</th>" for h in
                       ("#", "t (s)", "controller", "action", "object", "what it saw → what it did"))
        body = "".join(
            f"<tr><td style='{TABLE_STYLE}'>{i}</td><td style='{TABLE_STYLE}'>{r.time:.3f}</td>"
            f"<td style='{TABLE_STYLE}'>{esc(r.controller)}</td><td style='{TABLE_STYLE}'>{esc(r.action)}</td>"
            f"<td style='{TABLE_STYLE}'><code>{esc(r.object)}</code></td><td style='{TABLE_STYLE}'>{esc(r.why)}</td></tr>"
            for i, r in enumerate(self.rows, 1))
        return (f"<div><div style='font-size:12px;color:{style.MUTED}'>{esc(self.summary())}</div>"
                f"<div style='max-height:420px;overflow-y:auto'><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table></div></div>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        image = base64.b64encode(self.png()).decode("ascii")
        picture = f"<img alt='{html.escape(self.summary())}' src='data:image/png;base64,{image}'/>"
        return {"text/plain": self.text(), "text/html": picture + self.html()}

    def _ipython_display_(self) -> None:
        """Two outputs: the picture (its alt text as text/plain), then the table."""
        _display([{"image/png": self.png(), "text/plain": self.summary()},
                  {"text/html": self.html(), "text/plain": self.text()}])


# ---- panels: shared conventions with ClusterView -------------------------------------------------


class _Panel:
    """Buttons that act on the cluster, a status line, and a redraw after every action."""

    buttons: dict

    def _handler(self, name: str, action: Callable[[], str]) -> Callable[[Any], None]:
        def on_click(_button: Any = None) -> None:
            self.perform(name, action)
        return on_click

    def perform(self, name: str, action: Callable[[], str]) -> str:
        """Run one action and redraw; never let an exception reach the frontend. Returns the message."""
        for button in self.buttons.values():
            button.disabled = True
        colour = "#1b5e20"
        self._say(f"{name}…", "#e65100")
        try:
            message = action()
        except Exception as exc:  # noqa: BLE001 - shown in the panel, not as a traceback in the browser
            message, colour = f"{name} failed: {type(exc).__name__}: {exc}", "#b71c1c"
        try:
            self.refresh()
        except Exception as exc:  # noqa: BLE001 - same: the panel says what went wrong
            message, colour = f"{message}; redraw failed: {type(exc).__name__}: {exc}", "#b71c1c"
        finally:
            for button in self.buttons.values():
                button.disabled = False
        self._say(message, colour)
        return message

    def _say(self, message: str, colour: str = "#1b5e20") -> None:
        self.status.value = f"<span style='color:{colour};font-size:13px'>{html.escape(message)}</span>"

    def refresh(self) -> None:  # pragma: no cover - every panel defines it
        raise NotImplementedError

    def text(self) -> str:  # pragma: no cover - every panel defines it
        raise NotImplementedError

    def _ipython_display_(self) -> None:
        """The live panel, with a deterministic text/plain (the panel's words) for nbval and readers."""
        bundle = self.widget._repr_mimebundle_() or {}
        _display([{**bundle, "text/plain": self.text()}])


# ---- the DaemonSet panel ---------------------------------------------------------------------------


def daemonset_line(nodes: list[DaemonNode], ds: dict) -> str:
    """"3 eligible nodes → 3 daemon pods (desired 3, current 3, ready 3)"."""
    st = ds.get("status") or {}
    eligible = sum(n.should_run for n in nodes)
    pods = sum(len(n.pods) for n in nodes)
    return (f"{eligible} eligible node{'s' * (eligible != 1)} → {pods} daemon pod{'s' * (pods != 1)} "
            f"(desired {st.get('desiredNumberScheduled', 0)}, current {st.get('currentNumberScheduled', 0)}, "
            f"ready {st.get('numberReady', 0)})")


class DaemonSetPanel(_Panel):
    """Add, remove, taint and untaint nodes, and watch a DaemonSet follow (``.widget`` is the VBox)."""

    def __init__(self, cluster: Any, name: str, namespace: str = "default") -> None:
        import ipywidgets as w

        from k8slearn.viz.draw import ClusterFigure

        self.cluster, self.name, self.namespace = cluster, name, namespace
        self.started = cluster.now
        self.picture = ClusterFigure()
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        self.status, self.line, self.alt, self.table, self.log = (w.HTML() for _ in range(5))
        self.nodes = w.Dropdown(description="Node", options=[], layout=w.Layout(width="180px"))
        self.effect = w.Dropdown(description="Effect", options=["NoExecute", "NoSchedule"],
                                 layout=w.Layout(width="190px"))
        actions = {"Add node": self.add_node, "Remove node": self._remove, "Taint node": self._taint,
                   "Untaint node": self._untaint}
        self.buttons = {}
        for label, action in actions.items():
            button = w.Button(description=label, layout=w.Layout(width="auto"))
            button.on_click(self._handler(label, action))
            self.buttons[label] = button
        self.widget = w.VBox([w.HBox([*self.buttons.values(), self.nodes, self.effect]), self.status,
                              self.line, self.image, self.alt, self.table, self.log])
        self.refresh()

    # -- reading --
    def state(self) -> tuple[dict, list[DaemonNode]]:
        """The DaemonSet and, per node, whether it should run a daemon pod and which it has."""
        with unobserved(self.cluster):
            ds = self.cluster.api.get("daemonsets", self.name, self.namespace)
            uid = ds["metadata"]["uid"]
            pods = [p for p in self.cluster.api.list("pods", namespace=self.namespace)
                    if any(r.get("uid") == uid for r in p["metadata"].get("ownerReferences") or ())]
            nodes = self.cluster.api.list("nodes")
        return ds, daemon_nodes(nodes, ds, pods)

    def text(self) -> str:
        ds, nodes = self.state()
        lines = [f"DaemonSet {self.namespace}/{self.name}: {daemonset_line(nodes, ds)}"]
        pods = {n.node: ", ".join(f"{p} ({s})" for p, s in n.pods) or "no daemon pod" for n in nodes}
        width = max((len(text) for text in pods.values()), default=0)
        for n in nodes:
            lines.append(f"  {n.node:<14} {'yes' if n.should_run else 'no':<4} {pods[n.node]:<{width}}  {n.reason}")
        return "\n".join(lines)

    __str__ = text

    def refresh(self) -> None:
        ds, nodes = self.state()
        daemon = [f"pod/{self.namespace}/{p}" for n in nodes for p, _ in n.pods]
        self.picture.update(self.cluster, highlight=daemon)
        self.image.value = self.picture.png()
        from k8slearn.viz.graph import summary

        self.alt.value = (f"<span style='font-size:12px;color:{style.MUTED}'>"
                          f"{html.escape(summary(self.picture.graph))} Daemon pods are ringed.</span>")
        self.line.value = f"<b style='font-size:14px'>{html.escape(daemonset_line(nodes, ds))}</b>"
        rows = "".join(
            f"<tr><td style='{TABLE_STYLE}'>{html.escape(n.node)}</td>"
            f"<td style='{TABLE_STYLE}'>{'✔' if n.should_run else '✘'}</td>"
            f"<td style='{TABLE_STYLE}'>{html.escape(', '.join(f'{p} ({s})' for p, s in n.pods) or '—')}</td>"
            f"<td style='{TABLE_STYLE}'>{html.escape(n.reason)}</td></tr>" for n in nodes)
        self.table.value = (f"<table><thead><tr><th style='{TABLE_STYLE}'>node</th><th style='{TABLE_STYLE}'>"
                            f"runs it?</th><th style='{TABLE_STYLE}'>daemon pod</th><th style='{TABLE_STYLE}'>"
                            f"why</th></tr></thead><tbody>{rows}</tbody></table>")
        names = [n.node for n in nodes]
        if list(self.nodes.options) != names:
            keep = self.nodes.value if self.nodes.value in names else None
            self.nodes.options = names
            self.nodes.value = keep or (names[-1] if names else None)
        recent = ControllerTimeline(self.cluster, since=self.started, scheduler=False,
                                    controllers={"daemonset-controller", "taint-eviction-controller"}).rows[-8:]
        log = "\n".join(f"t={r.time:7.1f}  {r.controller}: {r.why}" for r in recent) or "(nothing yet)"
        self.log.value = (f"<b>Last controller actions</b><pre style='margin:0;font-size:12px'>"
                          f"{html.escape(log)}</pre>")

    # -- acting: each returns the message to show (and raises on bad input) --
    def add_node(self) -> str:
        name = self.cluster.add_node()
        advanced = self.cluster.settle()
        return f"{name} joined; settled after {advanced:.1f} s."

    def remove_node(self, node: str) -> str:
        """Power the machine off and delete its Node (the pod garbage collector removes its pods)."""
        if node in self.cluster.node_names():
            self.cluster.stop_node(node)
        result = self.cluster.kubectl(f"delete node {node}")
        if result.code:
            raise ValueError(result.stderr.strip())
        advanced = self.cluster.settle()
        return f"{result.stdout.strip()}; settled after {advanced:.1f} s."

    def taint_node(self, node: str, effect: str = "NoExecute") -> str:
        key, value = DAEMON_TAINT
        result = self.cluster.kubectl(f"taint nodes {node} {key}={value}:{effect} --overwrite")
        if result.code:
            raise ValueError(result.stderr.strip())
        self.cluster.settle()
        return f"kubectl taint nodes {node} {key}={value}:{effect}: {result.stdout.strip()}"

    def untaint_node(self, node: str) -> str:
        result = self.cluster.kubectl(f"taint nodes {node} {DAEMON_TAINT[0]}-")
        if result.code:
            raise ValueError(result.stderr.strip())
        self.cluster.settle()
        return f"kubectl taint nodes {node} {DAEMON_TAINT[0]}-: {result.stdout.strip()}"

    def _chosen(self) -> str:
        if not self.nodes.value:
            raise ValueError("choose a node first")
        return self.nodes.value

    def _remove(self) -> str:
        return self.remove_node(self._chosen())

    def _taint(self) -> str:
        return self.taint_node(self._chosen(), self.effect.value)

    def _untaint(self) -> str:
        return self.untaint_node(self._chosen())


# ---- rollouts --------------------------------------------------------------------------------------


def record_rollout(cluster: Any, name: str, image: str | None = None, step: float = 1.0, until_done: bool = True,
                   namespace: str = "default", container: str | None = None,
                   max_seconds: float = 600.0) -> list[RolloutSample]:
    """``kubectl set image deployment/<name> <container>=<image>``, then sample every ``step`` seconds.

    Returns the samples, the first taken just before the change. With ``until_done`` sampling stops
    once ``kubectl rollout status`` would say "successfully rolled out" (or after ``max_seconds``).
    """
    samples = [sample_deployment(cluster, name, namespace)]
    if image is not None:
        if container is None:
            with unobserved(cluster):
                d = cluster.api.get("deployments", name, namespace)
            container = d["spec"]["template"]["spec"]["containers"][0]["name"]
        result = cluster.kubectl(f"set image deployment/{name} {container}={image} -n {namespace}")
        if result.code:
            raise ValueError(result.stderr.strip())
    start = cluster.now
    while cluster.now - start < max_seconds:
        cluster.run(step)
        samples.append(sample_deployment(cluster, name, namespace))
        if until_done and samples[-1].done:
            break
    return samples


def draw_rollout(samples: list[RolloutSample], title: str = "", figure: Any = None) -> Any:
    """Top: each ReplicaSet's spec.replicas as a step line. Bottom: all pods and available pods
    inside the corridor the strategy allows (desired − maxUnavailable … desired + maxSurge)."""
    fig = _figure(figure, 9.0, 5.4)
    if not samples:
        fig.text(0.5, 0.5, "no samples", ha="center")
        return fig
    top_ax = fig.add_axes((0.08, 0.56, 0.6, 0.36))
    low_ax = fig.add_axes((0.08, 0.11, 0.6, 0.36), sharex=top_ax)
    t0 = samples[0].time
    ts = [s.time - t0 for s in samples]
    last = samples[-1]
    names = sorted({c.name: c.revision for s in samples for c in s.replica_sets}.items(), key=lambda kv: kv[1])
    palette = [style.MUTED, style.OWNER["edge"], style.POD_COLORS["pending"]]
    for i, (rs, revision) in enumerate(names):
        colour = style.POD_COLORS["running"] if i == len(names) - 1 else palette[i % len(palette)]
        counts = [next((c.replicas for c in s.replica_sets if c.name == rs), 0) for s in samples]
        top_ax.step(ts, counts, where="post", color=colour, lw=2.2, label=f"{rs} (revision {revision})")
    top_ax.set_ylabel("spec.replicas", fontsize=style.FONT_SIZE + 1)
    top_ax.set_ylim(-0.3, last.desired + last.max_surge + 0.6)
    top_ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=style.FONT_SIZE, frameon=False,
                  title="ReplicaSets", title_fontsize=style.FONT_SIZE)
    high, low = last.desired + last.max_surge, last.desired - last.max_unavailable
    ceiling = max([high] + [s.pods for s in samples]) + 1.0
    low_ax.axhspan(high, ceiling, color=style.POD_COLORS["failed"], alpha=0.1, lw=0)
    low_ax.axhspan(-0.5, low, color=style.POD_COLORS["failed"], alpha=0.1, lw=0)
    low_ax.text(0.01, (high + ceiling) / 2, "more pods than maxSurge allows", transform=low_ax.get_yaxis_transform(),
                va="center", fontsize=style.FONT_SIZE - 1, color=style.POD_COLORS["failed"])
    low_ax.text(0.01, (low - 0.5) / 2, "fewer available than maxUnavailable allows",
                transform=low_ax.get_yaxis_transform(), va="center", fontsize=style.FONT_SIZE - 1,
                color=style.POD_COLORS["failed"])
    low_ax.axhline(high, color=style.HIGHLIGHT, lw=1, ls="--", label=f"desired + maxSurge = {high}")
    low_ax.axhline(low, color=style.HIGHLIGHT, lw=1, ls=(0, (1, 1.5)), label=f"desired − maxUnavailable = {low}")
    low_ax.step(ts, [s.pods for s in samples], where="post", color=style.MUTED, lw=1.0, ls=":",
                label="all pods, terminating ones too")
    low_ax.step(ts, [sum(c.current for c in s.replica_sets) for s in samples], where="post",
                color=style.COMPONENT["face"], lw=1.8, label="pods the controller counts")
    low_ax.step(ts, [s.available for s in samples], where="post", color=style.SERVICE["edge"], lw=1.8,
                ls="-.", label="available pods")
    low_ax.set_ylim(-0.5, ceiling)
    low_ax.set_ylabel("pods", fontsize=style.FONT_SIZE + 1)
    low_ax.set_xlabel("seconds since the rollout started (sampled every "
                      f"{(ts[1] - ts[0]) if len(ts) > 1 else 0:g} s)", fontsize=style.FONT_SIZE + 1)
    low_ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=style.FONT_SIZE, frameon=False,
                  title="Pods", title_fontsize=style.FONT_SIZE)
    for ax in (top_ax, low_ax):
        ax.tick_params(labelsize=style.FONT_SIZE)
        ax.yaxis.get_major_locator().set_params(integer=True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
    top_ax.tick_params(labelbottom=False)
    fig.suptitle(title or f"Rolling update of deployment {last.deployment}: {last.desired} replicas, "
                 f"maxSurge {last.max_surge}, maxUnavailable {last.max_unavailable}",
                 x=0.08, ha="left", fontsize=style.FONT_SIZE + 2)
    return fig


class RolloutChart(_Panel):
    """A Deployment's rollout, drawn from samples; ``.widget`` rolls out again with chosen settings."""

    def __init__(self, cluster: Any, name: str, samples: list | None = None, namespace: str = "default") -> None:
        self.cluster, self.name, self.namespace = cluster, name, namespace
        self.samples = list(samples) if samples is not None else [sample_deployment(cluster, name, namespace)]
        self._figure = None
        self._widget = None

    def figure(self) -> Any:
        self._figure = draw_rollout(self.samples, figure=self._figure)
        return self._figure

    def png(self) -> bytes:
        return _png(self.figure())

    _repr_png_ = png

    def text(self) -> str:
        if not self.samples:
            return f"No samples of deployment {self.name}."
        s0 = self.samples[0]
        head = (f"Rollout of deployment {self.name}: desired {s0.desired}, maxSurge {s0.max_surge}, "
                f"maxUnavailable {s0.max_unavailable}; {len(self.samples)} samples over "
                f"{self.samples[-1].time - s0.time:.1f} s")
        lines = [head]
        for s in self.samples:
            sets = ", ".join(f"{c.name}={c.replicas}" for c in s.replica_sets)
            lines.append(f"  t={s.time - s0.time:5.2f}s  {sets}  pods {s.pods}, available {s.available}"
                         + ("  (done)" if s.done else ""))
        return "\n".join(lines)

    __str__ = text

    def __repr__(self) -> str:
        return f"<RolloutChart deployment/{self.name}: {len(self.samples)} samples>"

    # -- the live panel --
    @property
    def widget(self) -> Any:
        if self._widget is None:
            self._widget = self._build()
        return self._widget

    def _build(self) -> Any:
        import ipywidgets as w

        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        self.status = w.HTML()
        self.target = w.Text(description="Image", value="nginx:1.28", layout=w.Layout(width="220px"))
        self.surge = w.Dropdown(description="maxSurge", options=["25%", "0", "1", "50%", "100%"],
                                layout=w.Layout(width="170px"))
        self.unavailable = w.Dropdown(description="maxUnavailable", options=["25%", "0", "1", "50%", "100%"],
                                      layout=w.Layout(width="200px"), style={"description_width": "initial"})
        button = w.Button(description="Roll out", layout=w.Layout(width="auto"))
        button.on_click(self._handler("Roll out", self._roll))
        self.buttons = {"Roll out": button}
        self.refresh()
        return w.VBox([w.HBox([self.target, self.surge, self.unavailable, button]), self.status, self.image])

    def refresh(self) -> None:
        self.image.value = self.png()

    def roll_out(self, image: str, max_surge: Any = "25%", max_unavailable: Any = "25%", step: float = 0.25) -> str:
        """Set the strategy, then ``kubectl set image`` and record until the rollout is done."""
        def value(v: Any) -> Any:
            return int(v) if isinstance(v, str) and v.isdigit() else v
        strategy = {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {
            "maxSurge": value(max_surge), "maxUnavailable": value(max_unavailable)}}}}
        self.cluster.api.patch("deployments", self.name, strategy, self.namespace)
        self.samples = record_rollout(self.cluster, self.name, image=image, step=step, namespace=self.namespace)
        last = self.samples[-1]
        return f"Rolled out {image} in {last.time - self.samples[0].time:.1f} s ({len(self.samples)} samples)."

    def _roll(self) -> str:
        return self.roll_out(self.target.value.strip(), self.surge.value, self.unavailable.value)
