"""The scheduler inspector: change a pod, its nodes or the weights, and watch the decision change.

``SchedulerView(cluster, "web")`` is a panel (display it in a notebook) that asks
``cluster.scheduler.what_if(...)`` again after every change, so the cluster itself never changes:

* a pod chooser, sliders for the pod's CPU (millicores) and memory (MiB) requests;
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

Upstream: none (a teaching panel over :meth:`k8slearn.scheduler.Scheduler.what_if`).
"""

from __future__ import annotations

import html
import io
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SchedulerView", "ViewState", "score_bars"]

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
DEMO_LABEL = ("disktype", "ssd")
DEMO_TAINT = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}


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


def score_bars(explanation: Any, dpi: int = 100) -> Any:
    """A matplotlib Figure: one bar per node, split into each score plugin's weighted share."""
    from matplotlib.figure import Figure

    rows = explanation.as_rows()
    plugins = [s.name for s in explanation.attempt.scores] if explanation.attempt else []
    height = 0.3 * max(len(rows), 2) + 1.1
    fig = Figure(figsize=(7.5, height), dpi=dpi)
    ax = fig.add_axes([0.16, 0.55 / height, 0.8, 1 - 1.0 / height])
    names = [r["node"] for r in rows]
    for y, row in enumerate(rows):
        left = 0
        for i, plugin in enumerate(plugins):
            share = row["scores"].get(plugin, {}).get("weighted", 0)
            if share:
                ax.barh(
                    y,
                    share,
                    left=left,
                    color=PALETTE[i % len(PALETTE)],
                    height=0.6,
                    label=plugin if y == next((k for k, r in enumerate(rows) if r["scores"]), -1) else None,
                )
                left += share
        if row["outcome"] == "filtered":
            ax.text(2, y, f"filtered: {row['reason'][:60]}", va="center", fontsize=7, color="#b71c1c")
        elif row["total"] is not None:
            ax.text(
                left + 3,
                y,
                str(row["total"]) + ("  ← picked" if row["outcome"] == "picked" else ""),
                va="center",
                fontsize=8,
                fontweight="bold" if row["outcome"] == "picked" else "normal",
            )
    ax.set_yticks(range(len(names)), labels=names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max([r["total"] or 0 for r in rows] + [100]) * 1.3)
    ax.set_xlabel("score (each plugin: 0..100 × weight)", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    if plugins and any(r["scores"] for r in rows):
        ax.legend(fontsize=6.5, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=4, frameon=False)
    return fig


def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


class SchedulerView:
    """The inspector for one cluster; ``widget()`` is the panel, ``state`` what its controls say."""

    def __init__(
        self,
        cluster: Any,
        pod: str = "",
        namespace: str = "default",
        cpu: str = "100m",
        memory: str = "128Mi",
    ) -> None:
        from k8slearn.api.quantity import parse_quantity

        self.cluster = cluster
        self.state = ViewState(
            pod, namespace, parse_quantity(cpu).milli_value(), parse_quantity(memory).value() // 2**20
        )
        fwk = cluster.scheduler.profiles.get("default-scheduler") or next(
            iter(cluster.scheduler.profiles.values())
        )
        self.profile = fwk.profile
        self.state.weights = {p.name: w for p, w in fwk.score_plugins}
        self.last_update_ms = 0.0
        self.error = ""
        self._widget: Any = None

    # -- model ----------------------------------------------------------------------------------
    def nodes(self) -> list[dict]:
        return self.cluster.scheduler.node_informer.lister.list()

    def taints_on_nodes(self) -> list[str]:
        """Every distinct taint on the nodes (plus the demo taint), as ``key=value:effect``."""
        found = {taint_text(t) for n in self.nodes() for t in (n.get("spec") or {}).get("taints") or ()}
        return sorted(found | {taint_text(DEMO_TAINT)})

    def pod_names(self) -> list[str]:
        return [p["metadata"]["name"] for p in self.cluster.scheduler.pod_lister.list(self.state.namespace)]

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
        changes: dict = {"cpu": f"{s.cpu_m}m", "memory": f"{s.memory_mi}Mi"}
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
        return _png(score_bars(explanation))

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
        cpu = w.IntSlider(
            value=s.cpu_m, min=0, max=4000, step=50, description="cpu (m)", layout=small, style=wide
        )
        memory = w.IntSlider(
            value=s.memory_mi, min=0, max=8192, step=64, description="memory (Mi)", layout=small, style=wide
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

        def changed(_: Any = None) -> None:
            s.pod, s.cpu_m, s.memory_mi, s.node_selector = pod.value, cpu.value, memory.value, selector.value
            s.tolerate = {t.description[len("tolerate ") :] for t in tolerate if t.value}
            s.labelled = {n for n, box in zip(names, labelled) if box.value}
            s.tainted = {n for n, box in zip(names, tainted) if box.value}
            s.weights = {slider.description: slider.value for slider in weights}
            self.refresh()

        for control in [pod, cpu, memory, selector, *tolerate, *labelled, *tainted, *weights]:
            control.observe(changed, names="value")
        pod_box = w.VBox([w.HTML("<b>Pod</b>"), pod, cpu, memory, selector, *tolerate])
        node_box = w.VBox([w.HTML("<b>Nodes (only in the what-if)</b>"), *labelled, *tainted])
        weight_box = w.VBox([w.HTML("<b>Score weights</b>"), *weights])
        controls, scores = _row(pod_box, node_box), _row(weight_box, self._bars)
        self._widget = w.VBox([controls, self._decision, self._table, scores])
        self.refresh()
        return self._widget

    def refresh(self) -> None:
        """Ask the what-if again and redraw; records how long it took in ``last_update_ms``."""
        start = time.perf_counter()
        decision, table, png = self.render()
        if hasattr(self, "_decision"):
            self._decision.value, self._table.value = decision, table
            if png:
                self._bars.value = png
        self.last_update_ms = (time.perf_counter() - start) * 1000

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def _row(*children: Any) -> Any:
    """Boxes side by side, wrapping below each other when the notebook is too narrow for both."""
    import ipywidgets as w

    return w.HBox(list(children), layout=w.Layout(flex_flow="row wrap", grid_gap="12px"))


def _message(err: Exception) -> str:
    """What went wrong, in words: a lookup's own message (``pods "x" not found``), else the error's type."""
    if isinstance(err, KeyError) and err.args and isinstance(err.args[0], str):
        return err.args[0]
    return f"{type(err).__name__}: {err}"
