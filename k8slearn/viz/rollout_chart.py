"""Rolling updates, sampled and drawn: ``record_rollout`` and ``RolloutChart``.

``record_rollout(cluster, "web", image="nginx:1.27")`` runs ``kubectl set image`` and samples the
Deployment's ReplicaSets while time runs; ``RolloutChart(cluster, "web", samples)`` draws each
ReplicaSet's replicas as a step line inside the corridor maxSurge and maxUnavailable allow, and its
widget rolls out again with chosen settings.

Upstream: none (a teaching view); it reads what pkg/controller/deployment writes.
"""

from __future__ import annotations

from typing import Any

from k8slearn.viz import style
from k8slearn.viz.panels import Panel, figure_png, new_figure
from k8slearn.viz.rollout_samples import (
    RolloutSample,
    sample_deployment,
)
from k8slearn.viz.snapshot import unobserved


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
        result = cluster.kubectl(["set", "image", f"deployment/{name}", f"{container}={image}", "-n", namespace])
        if result.code:
            raise ValueError(result.stderr.strip())
    if not step > 0:  # (also NaN) a step that does not advance the clock would never end
        raise ValueError(f"step must be a number of seconds greater than 0 (got {step!r})")
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
    fig = new_figure(figure, 9.0, 5.4)
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


class RolloutChart(Panel):
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
        return figure_png(self.figure())

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
        """Redraw the chart in the panel; a panel not shown yet is built (and drawn) first."""
        if not hasattr(self, "image"):
            self.widget  # noqa: B018 - building the panel draws the chart
            return
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
        took = f"{last.time - self.samples[0].time:.1f} s ({len(self.samples)} samples)"
        if last.done:
            return f"Rolled out {image} in {took}."
        with unobserved(self.cluster):
            conditions = self.cluster.api.get("deployments", self.name, self.namespace)["status"].get("conditions") or []
        stalled = next((c for c in conditions if c.get("type") == "Progressing" and c.get("status") == "False"), None)
        why = (f"Progressing=False, {stalled.get('reason')}: {stalled.get('message')}" if stalled else
               f"{last.available} of {last.desired} pods available, kubectl rollout status is still waiting")
        return f"Not rolled out after {took}: {why}."

    def _roll(self) -> str:
        return self.roll_out(self.target.value.strip(), self.surge.value, self.unavailable.value)
