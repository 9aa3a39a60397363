"""The scheduler inspector: change a pod, its nodes or the weights, and watch the decision change.

``SchedulerView(cluster, "web")`` is a panel (display it in a notebook) that asks
``cluster.scheduler.what_if(...)`` again after every change, so the cluster itself never changes:

* a pod chooser, sliders for the pod's CPU (millicores) and memory (MiB) requests, starting at the
  chosen pod's own (its first container's, the one ``what_if`` changes); a request the slider was
  not moved from is not sent, so the first decision is the pod as it is, as ``kubectl describe``
  reports it (a new pod starts at 100m and 128Mi);
* toggles: tolerate each taint found on the nodes; a ``nodeSelector`` for the demo label;
  give each node the demo label (``disktype=ssd``) or the demo taint (``dedicated=gpu:NoSchedule``);
* the chosen node in words, and the nodes × plugins table (red: filtered out, greener: higher score);
* one weight slider per score plugin, beside the score bars (each plugin's weighted share of a
  node's total) that they change.

>>> from k8slearn import Cluster
>>> view = SchedulerView(Cluster(workers=2, seed=0))
>>> view.state.pod, view.changes()["cpu"]
('', '100m')

The model side (``state``, ``changes()``, ``explanation()``, ``bars_png()``) works without
ipywidgets; ``widget()`` builds the panel (ipywidgets and matplotlib are imported only then). An
update never raises into the notebook: an error is shown in the panel instead. ``repr()`` is one
deterministic line, for strict nbval.

Shown in a notebook, the panel is one output with the live widget, its ``repr()`` as text/plain, and
a PNG of its decision at that moment (``picture_png()``: the score bars with the decision above and
the filter plugins below, in the course's picture text size), as the other panels do
(``panels.picture_bundle``). JupyterLab shows the widget; a slide deck shows the picture, since
the panel's controls do nothing there and its saved widget state is its state at the end of the run.

Upstream: none (a teaching panel over :meth:`k8slearn.scheduler.Scheduler.what_if`).
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from k8slearn.viz import style
from k8slearn.viz.panels import display_bundles, failure_text, figure_png, picture_bundle, picture_metadata

__all__ = ["SchedulerView", "ViewState", "score_bars"]

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
DEMO_LABEL = ("disktype", "ssd")
DEMO_TAINT = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
BARS_WIDTH = 7.5  # inches: beside the weight sliders in the panel (a deck's picture is DECK_WIDTH)
DECK_WIDTH = 11.0  # inches at style.DPI: about the width a deck shows a picture at full size
ROW_INCHES = 0.42  # one node's bar and its text
LINE_INCHES = 0.27  # one line of text at style.FONT_SIZE
LEGEND_SIZE = style.LABEL_SIZE  # the legend, the axis, a filtered node's reason, the footnote
EM = 0.6  # a character's width, about, in DejaVu Sans: of its size
HEADING_LINES = 3  # the decision's words under its first line, at most


@dataclass
class ViewState:
    """What the panel's controls say (everything the next what-if is built from)."""

    pod: str = ""
    namespace: str = "default"
    cpu_m: int = 100
    memory_mi: int = 128
    tolerate: set = field(default_factory=set)  # "key=value:effect" strings
    node_selector: bool = False
    labelled: set = field(default_factory=set)  # node names given the demo label
    tainted: set = field(default_factory=set)  # node names given the demo taint
    weights: dict = field(default_factory=dict)  # score plugin -> weight


def taint_text(t: dict) -> str:
    return f"{t.get('key', '')}={t.get('value', '')}:{t.get('effect', '')}"


def score_bars(explanation: Any, dpi: int = style.DPI, width: float = BARS_WIDTH,
               heading: bool = False) -> Any:
    """A matplotlib Figure: one bar per node, split into each score plugin's weighted share, its total
    beside it; a filtered node gets the plugin that filtered it out and why. With ``heading``, the
    picture stands alone (a deck shows it instead of the panel): the decision above the bars, the
    filter plugins that ran and those PreFilter skipped below them.

    Text is the course's picture size (``style.FONT_SIZE``); every margin is measured in inches from
    the text it holds, so nothing overlaps however many nodes or plugins there are."""
    from matplotlib.figure import Figure

    rows = explanation.as_rows()
    plugins = [s.name for s in explanation.attempt.scores] if explanation.attempt else []
    scored = [p for p in plugins if any(r["scores"].get(p, {}).get("weighted") for r in rows)]
    top_lines = _heading_lines(explanation, width) if heading else []
    foot_lines = _filter_lines(explanation.attempt, width) if heading and explanation.attempt else []
    columns = _legend_columns(scored, width)
    left = _text_inches(max((r["node"] for r in rows), key=len, default="node"), style.FONT_SIZE) + 0.25
    top = LINE_INCHES * (len(top_lines) + -(-len(scored) // columns)) + 0.15
    bottom = 0.6 + LINE_INCHES * len(foot_lines)
    height = top + ROW_INCHES * max(len(rows), 2) + bottom
    fig = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
    ax = fig.add_axes([left / width, bottom / height, 1 - (left + 0.2) / width, 1 - (top + bottom) / height])
    for y, row in enumerate(rows):
        end = 0
        for i, plugin in enumerate(plugins):
            share = row["scores"].get(plugin, {}).get("weighted", 0)
            if share:
                ax.barh(y, share, left=end, color=PALETTE[i % len(PALETTE)], height=0.6)
                end += share
        _bar_text(ax, y, row, end, width - left - 0.2)
    ax.set_yticks(range(len(rows)), labels=[r["node"] for r in rows], fontsize=style.FONT_SIZE)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.set_xlim(0, max([r["total"] or 0 for r in rows] + [100]) * 1.3)
    ax.set_xlabel("score (each plugin: 0..100 × weight)", fontsize=LEGEND_SIZE)
    ax.tick_params(axis="x", labelsize=LEGEND_SIZE)
    if scored:
        _legend(ax, explanation.attempt, plugins, scored, columns, -left / (width - left - 0.2))
    for k, (text, weight) in enumerate(top_lines):
        fig.text(0.08 / width, 1 - (0.1 + LINE_INCHES * (k + 0.5)) / height, text, va="center",
                 fontsize=style.FONT_SIZE, fontweight=weight, color=style.TEXT)
    for k, text in enumerate(foot_lines):
        fig.text(0.08 / width, (LINE_INCHES * (len(foot_lines) - k - 0.5) + 0.05) / height, text,
                 va="center", fontsize=LEGEND_SIZE, color=style.MUTED)
    return fig


def _text_inches(text: str, size: float) -> float:
    """About how wide ``text`` is at ``size`` points (DejaVu Sans: a character is about EM of the size)."""
    return len(text) * size * EM / 72


def _chars(inches: float, size: float) -> int:
    """About how many characters at ``size`` points fit in ``inches``."""
    return int(inches * 72 / (size * EM))


def _bar_text(ax: Any, y: int, row: dict, end: float, inches: float) -> None:
    """The words at the end of a node's bar: its total (and ``← picked``), or why it was filtered out
    (cut with an ellipsis where the axes, ``inches`` wide, end)."""
    if row["outcome"] == "filtered":
        text = f"filtered out by {row['plugin']}: {row['reason']}"
        chars = _chars(inches - 0.1, LEGEND_SIZE)
        text = text if len(text) <= chars else text[: chars - 1].rstrip() + "…"
        ax.text(0.01, y, text, transform=ax.get_yaxis_transform(), va="center", fontsize=LEGEND_SIZE,
                color="#b71c1c")
    elif row["total"] is not None:
        picked = row["outcome"] == "picked"
        ax.text(end + 3, y, str(row["total"]) + ("  ← picked" if picked else ""), va="center",
                fontsize=style.FONT_SIZE, fontweight="bold" if picked else "normal", color=style.TEXT)


def _legend_columns(scored: list, width: float) -> int:
    """As many legend entries side by side as fit ``width`` inches (an entry: swatch, name, weight)."""
    entry = _text_inches(max(scored, key=len, default="") + " ×10", LEGEND_SIZE) + 0.5
    return max(1, min(len(scored), int((width - 0.3) // entry)))


def _legend(ax: Any, attempt: Any, plugins: list, scored: list, columns: int, x: float) -> None:
    """Above the axes, from the figure's left edge (``x`` in axes units): each plugin with a share,
    and its weight."""
    from matplotlib.patches import Patch

    weights = {s.name: s.weight for s in attempt.scores}
    handles = [Patch(color=PALETTE[plugins.index(p) % len(PALETTE)]) for p in scored]
    ax.legend(handles, [f"{p} ×{weights[p]}" for p in scored], fontsize=LEGEND_SIZE, loc="lower left",
              bbox_to_anchor=(x, 1.0), ncols=columns, frameon=False, borderaxespad=0.1,
              handlelength=1.2, columnspacing=1.2)


def bars_in_words(explanation: Any) -> str:
    """What ``score_bars`` draws, in words, for its alt text: the decision, then each node's total
    (or the filter plugin that ruled it out), in the bars' order."""
    head = (f"{explanation.pod_key} → {explanation.picked}" if explanation.picked
            else f"{explanation.pod_key} would stay Pending")
    nodes = [f"{r['node']} filtered out by {r['plugin']}" if r["outcome"] == "filtered"
             else f"{r['node']} {r['total']}" + (" (picked)" if r["outcome"] == "picked" else "")
             for r in explanation.as_rows()]
    return f"Score bars: {head}." + (f" Total score per node: {'; '.join(nodes)}." if nodes else "")


def _heading_lines(explanation: Any, width: float) -> list:
    """The decision in words, as (line, font weight) pairs that fit ``width`` inches: who goes where
    (or stays Pending), then the what-if in words (or the FailedScheduling message)."""
    import textwrap

    if explanation.picked:
        first, detail = f"{explanation.pod_key} → {explanation.picked}", str(explanation).splitlines()[0]
    else:
        first, detail = f"{explanation.pod_key} would stay Pending", explanation.message
    wrapped = textwrap.wrap(detail, _chars(width - 0.2, style.FONT_SIZE))
    return [(first, "bold")] + [(line, "normal") for line in wrapped[:HEADING_LINES]]


def _filter_lines(attempt: Any, width: float) -> list:
    """Which filter plugins ran on every node, and which PreFilter skipped, wrapped to ``width``; both
    in the profile's order (kube-scheduler's default: pkg/scheduler/apis/config/v1/default_plugins.go),
    as the table's columns and the line under it are."""
    import textwrap

    order = list(next(iter(attempt.filter_matrix.values()), {}))  # a what-if's verdicts, profile order
    rank = {plugin: i for i, plugin in enumerate(order)}
    skipped = sorted(attempt.skipped_filter_plugins, key=lambda plugin: rank.get(plugin, len(order)))
    words = f"Filters run on each node: {', '.join(attempt.filter_plugins)}."
    if skipped:
        words += f" Skipped for this pod (PreFilter found nothing to check): {', '.join(skipped)}."
    return textwrap.wrap(words, _chars(width - 0.2, LEGEND_SIZE))


class SchedulerView:
    """The inspector for one cluster; ``widget()`` is the panel, ``state`` what its controls say."""

    def __init__(
        self,
        cluster: Any,
        pod: str = "",
        namespace: str = "default",
        cpu: str | None = None,
        memory: str | None = None,
    ) -> None:
        from k8slearn.api.quantity import parse_quantity

        self.cluster = cluster
        self.state = ViewState(pod, namespace)
        self.own = self.own_requests()
        self.state.cpu_m, self.state.memory_mi = self.starting_requests()
        if cpu is not None:
            self.state.cpu_m = parse_quantity(cpu).milli_value()
        if memory is not None:
            self.state.memory_mi = parse_quantity(memory).value() // 2**20
        fwk = cluster.scheduler.profiles.get("default-scheduler") or next(
            iter(cluster.scheduler.profiles.values())
        )
        self.profile = fwk.profile
        self.state.weights = {p.name: w for p, w in fwk.score_plugins}
        self.last_update_ms = 0.0
        self.error = ""
        self._widget: Any = None
        self._holding = False  # while the panel moves its own sliders: one redraw, not one per slider

    # -- model ----------------------------------------------------------------------------------
    def nodes(self) -> list[dict]:
        return self.cluster.scheduler.node_informer.lister.list()

    def taints_on_nodes(self) -> list[str]:
        """Every distinct taint on the nodes (plus the demo taint), as ``key=value:effect``."""
        found = {taint_text(t) for n in self.nodes() for t in (n.get("spec") or {}).get("taints") or ()}
        return sorted(found | {taint_text(DEMO_TAINT)})

    def pod_names(self) -> list[str]:
        return [p["metadata"]["name"] for p in self.cluster.scheduler.pod_lister.list(self.state.namespace)]

    def own_requests(self) -> tuple[int | None, int | None]:
        """The chosen pod's own CPU (millicores) and memory (MiB) requests, of its first container
        (the one ``what_if``'s ``cpu`` and ``memory`` change); None where it sets none, and for a new
        pod or one that is not found."""
        from k8slearn.api.quantity import parse_quantity

        s = self.state
        found = self.cluster.scheduler.pod_lister.get(s.pod, s.namespace) if s.pod else None
        containers = ((found or {}).get("spec") or {}).get("containers") or [{}]
        requests = (containers[0].get("resources") or {}).get("requests") or {}
        cpu, memory = requests.get("cpu"), requests.get("memory")
        return (parse_quantity(cpu).milli_value() if cpu is not None else None,
                parse_quantity(memory).value() // 2**20 if memory is not None else None)

    def starting_requests(self) -> tuple[int, int]:
        """Where the sliders start: the chosen pod's own requests (0 for one it does not set), or
        100m and 128Mi for a new pod."""
        if not self.state.pod:
            return 100, 128
        return self.own[0] or 0, self.own[1] or 0

    def target(self) -> Any:
        """The pod to try: the chosen one, or a fresh one-container pod named ``what-if``."""
        if self.state.pod:
            return self.state.pod
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "what-if", "namespace": self.state.namespace},
            "spec": {"containers": [{"name": "app", "image": "nginx"}]},
        }

    def changes(self) -> dict:
        """The what-if changes the controls stand for."""
        s = self.state
        tolerations = []
        for text in sorted(s.tolerate):
            key_value, effect = text.rsplit(":", 1)
            key, value = key_value.split("=", 1)
            tolerations.append({"key": key, "operator": "Equal", "value": value, "effect": effect})
        changes: dict = {}
        if s.cpu_m != (self.own[0] or 0):  # a slider left at the pod's own request sends nothing
            changes["cpu"] = f"{s.cpu_m}m"
        if s.memory_mi != (self.own[1] or 0):
            changes["memory"] = f"{s.memory_mi}Mi"
        if tolerations:
            changes["add_tolerations"] = tolerations
        if s.node_selector:
            changes["node_selector"] = dict([DEMO_LABEL])
        if s.labelled:
            changes["node_labels"] = {n: dict([DEMO_LABEL]) for n in sorted(s.labelled)}
        taints = {}
        for n in self.nodes():
            name = n["metadata"]["name"]
            if name in s.tainted:
                taints[name] = [*((n.get("spec") or {}).get("taints") or ()), dict(DEMO_TAINT)]
        if taints:
            changes["node_taints"] = taints
        weights = {name: w for name, w in s.weights.items() if w != self.profile.weight_of(name)}
        if weights:
            changes["weights"] = weights
        return changes

    def explanation(self) -> Any:
        """The what-if decision, read while no other thread steps the cluster (``cluster.lock``)."""
        from k8slearn.viz.snapshot import holding

        with holding(self.cluster):
            return self.cluster.scheduler.what_if(self.target(), self.state.namespace, **self.changes())

    def bars_png(self, explanation: Any) -> bytes:
        """The score bars the panel shows beside its weight sliders."""
        return figure_png(score_bars(explanation))

    def picture_png(self) -> bytes:
        """The panel's decision as one picture, standing alone (``score_bars`` with its heading, at a
        deck's width): what a deck or a static page shows in place of the live panel. Empty when
        the what-if fails (the panel shows the error)."""
        try:
            explanation = self.explanation()
        except Exception:  # noqa: BLE001 - the panel shows the error; a picture of it adds nothing
            return b""
        return figure_png(score_bars(explanation, width=DECK_WIDTH, heading=True))

    def picture_alt(self) -> str:
        """``picture_png`` in words (``bars_in_words``): its alt text. Empty with no picture."""
        try:
            return bars_in_words(self.explanation())
        except Exception:  # noqa: BLE001 - as picture_png: no picture, no words
            return ""

    def render(self) -> tuple[str, str, bytes]:
        """(the decision in words, the nodes × plugins table, the score bars PNG); errors become text."""
        try:
            e = self.explanation()
            self.error = ""
        except Exception as err:  # noqa: BLE001 - never into the notebook: show it in the panel
            self.error = _message(err)
            return f"<p style='color:#b71c1c'>{html.escape(self.error)}</p>", "", b""
        head = (
            f"<b>{html.escape(e.pod_key)} → {html.escape(e.picked)}</b>"
            if e.picked
            else f"<b>{html.escape(e.pod_key)} would stay Pending</b><br><code>{html.escape(e.message)}</code>"
        )
        return f"<p style='font-size:14px'>{head}</p>", e._repr_html_(), self.bars_png(e)

    def __repr__(self) -> str:
        try:
            picked = self.explanation().picked or "Pending"
        except Exception as err:  # noqa: BLE001 - a repr must not raise
            picked = _message(err) if isinstance(err, KeyError) else f"error: {type(err).__name__}"
        return f"<SchedulerView pod={self.state.namespace}/{self.state.pod or 'what-if'}: {picked}>"

    # -- view -----------------------------------------------------------------------------------
    def widget(self) -> Any:
        """The ipywidgets panel (built once)."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        s = self.state
        small, wide = w.Layout(width="340px"), {"description_width": "initial"}

        def box(value: bool, text: str) -> Any:
            return w.Checkbox(value=value, description=text, indent=False, layout=w.Layout(width="auto"))

        pods = self.pod_names()
        missing = [(f"{s.pod} (not found)", s.pod)] if s.pod and s.pod not in pods else []
        pod = w.Dropdown(
            options=[("(a new pod)", "")] + [(n, n) for n in pods] + missing,
            value=s.pod,
            description="pod",
            layout=small,
            style=wide,
        )
        cpu = w.IntSlider(  # the range reaches the pod's own request, however big (else it is cut)
            max=max(4000, s.cpu_m), value=s.cpu_m, step=50, description="cpu (m)", layout=small, style=wide
        )
        memory = w.IntSlider(
            max=max(8192, s.memory_mi), value=s.memory_mi, step=64, description="memory (Mi)", layout=small,
            style=wide
        )
        selector = box(s.node_selector, f"nodeSelector {'='.join(DEMO_LABEL)}")
        tolerate = [box(t in s.tolerate, f"tolerate {t}") for t in self.taints_on_nodes()]
        names = [n["metadata"]["name"] for n in self.nodes()]
        labelled = [box(n in s.labelled, f"{n}: {'='.join(DEMO_LABEL)}") for n in names]
        tainted = [box(n in s.tainted, f"{n}: taint {taint_text(DEMO_TAINT)}") for n in names]
        weights = [  # from 1: kube-scheduler takes a weight of 0 as the default, 1 (disabling is another thing)
            # a plugin name is long (NodeResourcesBalancedAllocation): room for it and for the track
            w.IntSlider(value=v, min=1, max=10, description=k, style={"description_width": "240px"},
                        layout=w.Layout(width="440px"))
            for k, v in s.weights.items()
        ]
        self._decision, self._table = w.HTML(), w.HTML()
        self._bars = w.Image(format="png", layout=w.Layout(align_self="flex-start"))  # its own size

        def chosen(_: Any = None) -> None:  # another pod: the sliders move to its own requests
            s.pod = pod.value
            self.own = self.own_requests()
            s.cpu_m, s.memory_mi = self.starting_requests()
            with self._held():
                cpu.max, memory.max = max(cpu.max, s.cpu_m), max(memory.max, s.memory_mi)
                cpu.value, memory.value = s.cpu_m, s.memory_mi
            changed()

        def changed(_: Any = None) -> None:
            if self._holding:
                return
            s.cpu_m, s.memory_mi, s.node_selector = cpu.value, memory.value, selector.value
            s.tolerate = {t.description[len("tolerate ") :] for t in tolerate if t.value}
            s.labelled = {n for n, box in zip(names, labelled) if box.value}
            s.tainted = {n for n, box in zip(names, tainted) if box.value}
            s.weights = {slider.description: slider.value for slider in weights}
            self.refresh()

        pod.observe(chosen, names="value")
        for control in [cpu, memory, selector, *tolerate, *labelled, *tainted, *weights]:
            control.observe(changed, names="value")
        pod_box = w.VBox([w.HTML("<b>Pod</b>"), pod, cpu, memory, selector, *tolerate])
        node_box = w.VBox([w.HTML("<b>Nodes (only in the what-if)</b>"), *labelled, *tainted])
        weight_box = w.VBox([w.HTML("<b>Score weights</b>"), *weights])
        controls, scores = _row(pod_box, node_box), _row(weight_box, self._bars)
        self._widget = w.VBox([controls, self._decision, self._table, scores])
        self.refresh()
        return self._widget

    @contextmanager
    def _held(self) -> Iterator[None]:
        """Controls moved inside do not redraw the panel (the caller redraws once after)."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def refresh(self) -> None:
        """Ask the what-if again and redraw; records how long it took in ``last_update_ms``."""
        start = time.perf_counter()
        decision, table, png = self.render()
        if hasattr(self, "_decision"):
            self._decision.value, self._table.value = decision, table
            if png:
                self._bars.value = png
        self.last_update_ms = (time.perf_counter() - start) * 1000

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """The live panel, a PNG of its decision now (``panels.picture_bundle``: a deck shows it, not
        the controls, which do nothing there), and the one-line ``repr`` as text/plain."""
        return {**picture_bundle(self.widget(), self.picture_png()), "text/plain": repr(self)}

    def _ipython_display_(self) -> None:
        """One output: ``_repr_mimebundle_``, with the picture's alt text in its metadata."""
        display_bundles([(self._repr_mimebundle_(), picture_metadata(self.picture_alt()))])


def _row(*children: Any) -> Any:
    """Boxes side by side, wrapping below each other when the notebook is too narrow for both."""
    import ipywidgets as w

    return w.HBox(list(children), layout=w.Layout(flex_flow="row wrap", grid_gap="12px"))


def _message(err: Exception) -> str:
    """What went wrong, in words: a lookup's own message (``pods "x" not found``), else what kubectl
    would print for it (``panels.failure_text``)."""
    if isinstance(err, KeyError) and err.args and isinstance(err.args[0], str):
        return err.args[0]
    return failure_text(err)
