"""Rolling updates, sampled and drawn: ``record_rollout`` and ``RolloutChart``.

``record_rollout(cluster, "web", image="nginx:1.27")`` runs ``kubectl set image`` and samples the
Deployment's ReplicaSets and pods while time runs, at every change; ``RolloutChart(cluster, "web",
samples)`` draws each ReplicaSet's replicas as a step line (the new one green, the old one it scales
down in a colour of its own, idle old revisions pale) and the pods inside the corridor maxSurge and
maxUnavailable allow, with a dot wherever terminating pods make more than the controller counts.
Its widget rolls out again with chosen settings, and says in red when the rollout stalled (or the
Deployment is paused). A Recreate Deployment has no corridor: it has no maxSurge or maxUnavailable.

Upstream: none (a teaching view); it reads what pkg/controller/deployment writes.
"""

from __future__ import annotations

from typing import Any

from k8slearn.viz import style
from k8slearn.viz.panels import KubectlFailed, Panel, Refused, Trouble, figure_png, new_figure
from k8slearn.viz.rollout_samples import (
    RolloutSample,
    sample_deployment,
)
from k8slearn.viz.snapshot import holding, unobserved


CHANGE_TICK = 0.02         # seconds: how finely record_rollout looks for changes between two samples
SETTLE_MARGIN = 10.0       # seconds past the progress deadline: the controller has said "stalled" by then


def record_rollout(cluster: Any, name: str, image: str | None = None, step: float = 1.0, until_done: bool = True,
                   namespace: str = "default", container: str | None = None,
                   max_seconds: float | None = None) -> list[RolloutSample]:
    """``kubectl set image deployment/<name> <container>=<image>``, then sample every ``step`` seconds
    and at every change in between.

    Between two samples time runs in ticks of about 0.02 s; after a tick in which the API server
    stored one of the namespace's pods or ReplicaSets (an ``etcd`` step in ``cluster.trace``), a
    sample is taken too, so a pod that is Terminating for a tenth of a second is seen. Returns the
    samples, the first taken just before the change. With ``until_done`` sampling stops once
    ``kubectl rollout status`` would stop waiting: the rollout is done, or it passed its
    ``progressDeadlineSeconds``. ``max_seconds`` caps it (by default that deadline + 10 s, so a
    stalled rollout ends with the Deployment controller's own verdict, ProgressDeadlineExceeded).
    """
    samples = [sample_deployment(cluster, name, namespace)]
    with unobserved(cluster):
        d = cluster.api.get("deployments", name, namespace)
    if image is not None:
        container = container or d["spec"]["template"]["spec"]["containers"][0]["name"]
        result = cluster.kubectl(["set", "image", f"deployment/{name}", f"{container}={image}", "-n", namespace])
        if result.code:
            raise KubectlFailed(result.stderr.strip())
    if not step > 0:  # (also NaN) a step that does not advance the clock would never end
        raise ValueError(f"step must be a number of seconds greater than 0 (got {step!r})")
    if max_seconds is None:
        max_seconds = d["spec"].get("progressDeadlineSeconds", 600) + SETTLE_MARGIN
    watched = (f"/registry/pods/{namespace}/", f"/registry/replicasets/{namespace}/")
    ticks = max(1, round(step / CHANGE_TICK))     # ticks per regular sample
    start, tick = cluster.now, 0
    while cluster.now - start < max_seconds:
        seen = len(cluster.trace)
        cluster.run(step / ticks)
        tick += 1
        if tick % ticks == 0 or _stored(cluster.trace[seen:], watched):
            samples.append(sample_deployment(cluster, name, namespace))
            if until_done and samples[-1].done:
                break
    return samples


def _stored(steps: list, prefixes: tuple) -> bool:
    """Did etcd store (or delete) a key under one of ``prefixes`` in these steps?"""
    return any(s.component == "etcd" and s.object.startswith(prefixes) for s in steps)


ACTIVE_COLOURS = (style.POD_COLORS["pending"], style.OWNER["edge"], "#5b7fa6")   # old ReplicaSets still scaling
IDLE_COLOUR = "#bdbdbd"    # old revisions that stayed at 0 replicas the whole time share this one


def replica_set_lines(samples: list[RolloutSample]) -> list[tuple]:
    """``(name, label, colour, spec.replicas per sample)`` per ReplicaSet line of the chart.

    The newest revision is green; each older ReplicaSet that had replicas during the samples (the
    one this rollout scales down) gets a colour of its own; the old revisions that stayed at 0 the
    whole time are drawn as one pale line, labelled with their revisions.
    """
    revisions = sorted({c.name: c.revision for s in samples for c in s.replica_sets}.items(), key=lambda kv: kv[1])
    lines, idle = [], []
    for i, (rs, revision) in enumerate(revisions):
        counts = [next((c.replicas for c in s.replica_sets if c.name == rs), 0) for s in samples]
        if i == len(revisions) - 1:
            colour = style.POD_COLORS["running"]
        elif any(counts):
            colour = ACTIVE_COLOURS[len(lines) % len(ACTIVE_COLOURS)]   # lines: the active old ones so far
        else:
            idle.append(str(revision))
            continue
        lines.append((rs, f"{rs} (revision {revision})", colour, counts))
    if idle:
        label = (f"older revision {idle[0]}, 0 replicas" if len(idle) == 1 else
                 f"{len(idle)} older revisions ({', '.join(idle)}), 0 replicas")
        lines.insert(0, ("", label, IDLE_COLOUR, [0] * len(samples)))
    return lines


def draw_rollout(samples: list[RolloutSample], title: str = "", figure: Any = None) -> Any:
    """Top: each ReplicaSet's spec.replicas as a step line. Bottom: all pods and available pods
    inside the corridor the strategy allows (desired − maxUnavailable … desired + maxSurge)."""
    fig = new_figure(figure, 11.0, 5.4)    # the legends' lines need the right 40 % at FONT_SIZE
    if not samples:
        fig.text(0.5, 0.5, "no samples", ha="center")
        return fig
    top_ax = fig.add_axes((0.07, 0.56, 0.5, 0.36))
    low_ax = fig.add_axes((0.07, 0.11, 0.5, 0.36), sharex=top_ax)
    t0 = samples[0].time
    ts = [s.time - t0 for s in samples]
    dot = {"marker": "o", "ms": 5} if len(samples) == 1 else {}   # one moment: a line of one point shows nothing
    last = samples[-1]
    for rs, label, colour, counts in replica_set_lines(samples):
        idle = colour == IDLE_COLOUR
        top_ax.step(ts, counts, where="post", color=colour, lw=1.2 if idle else 2.2, label=label,
                    zorder=1 if idle else 2, **dot)
    top_ax.set_ylabel("spec.replicas", fontsize=style.FONT_SIZE + 1)
    top_ax.set_ylim(-0.3, last.desired + last.max_surge + 0.6)
    top_ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=style.FONT_SIZE, frameon=False,
                  title="ReplicaSets", title_fontsize=style.FONT_SIZE)
    high = last.desired + last.max_surge
    ceiling = max([high] + [s.pods for s in samples]) + 1.0
    if last.strategy == "RollingUpdate":
        _draw_corridor(low_ax, last, ceiling)
    counted = [sum(c.current for c in s.replica_sets) for s in samples]
    low_ax.step(ts, counted, where="post", color=style.COMPONENT["face"], lw=1.8, label="pods the controller counts",
                **dot)
    more = [i for i, (s, n) in enumerate(zip(samples, counted)) if s.pods > n]  # some are terminating
    low_ax.step(ts, [s.pods for s in samples], where="post", color=style.POD_COLORS["terminating"], lw=1.2,
                ls=":", label="all pods, terminating ones too")
    if more:
        low_ax.plot([ts[i] for i in more], [samples[i].pods for i in more], "o", ms=3.5,
                    color=style.POD_COLORS["terminating"], label="more than counted: terminating")
    low_ax.step(ts, [s.available for s in samples], where="post", color=style.SERVICE["edge"], lw=1.8,
                ls="-.", label="available pods", **dot)
    if dot:
        low_ax.set_xlim(-0.1, 1.0)     # not a span of ±0.05 s around the one moment
    low_ax.set_ylim(-0.5, ceiling)
    low_ax.set_ylabel("pods", fontsize=style.FONT_SIZE + 1)
    low_ax.set_xlabel("seconds since the rollout started (a sample at every change of its pods)",
                      fontsize=style.FONT_SIZE + 1)
    low_ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=style.FONT_SIZE, frameon=False,
                  title="Pods", title_fontsize=style.FONT_SIZE)
    for ax in (top_ax, low_ax):
        ax.tick_params(labelsize=style.FONT_SIZE)
        ax.yaxis.get_major_locator().set_params(integer=True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
    top_ax.tick_params(labelbottom=False)
    fig.suptitle(title or f"{_kind_of_update(last)} of deployment {last.deployment}: {last.desired} replicas, "
                 f"{_limits(last)}",
                 x=0.07, ha="left", fontsize=style.FONT_SIZE + 2)
    return fig


def _verdict(sample: RolloutSample) -> str:
    """How the rollout ended, in words: ``done``, or stalled at its progress deadline (the reason
    the Deployment controller wrote, pkg/controller/deployment/util TimedOutReason)."""
    return "stalled: ProgressDeadlineExceeded" if sample.stalled else "done"


def _draw_corridor(ax: Any, last: RolloutSample, ceiling: float) -> None:
    """The corridor a RollingUpdate keeps the pods in: desired − maxUnavailable … desired + maxSurge,
    the counts outside it shaded."""
    high, low = last.desired + last.max_surge, last.desired - last.max_unavailable
    ax.axhspan(high, ceiling, color=style.POD_COLORS["failed"], alpha=0.1, lw=0)
    ax.text(0.01, (high + ceiling) / 2, "more pods than maxSurge allows", transform=ax.get_yaxis_transform(),
            va="center", fontsize=style.FONT_SIZE - 1, color=style.POD_COLORS["failed"])
    if low > 0:  # (with maxUnavailable = replicas there is no such band: no count of pods is below 0)
        ax.axhspan(-0.5, low, color=style.POD_COLORS["failed"], alpha=0.1, lw=0)
        ax.text(0.01, (low - 0.5) / 2, "fewer available than maxUnavailable allows",
                transform=ax.get_yaxis_transform(), va="center", fontsize=style.FONT_SIZE - 1,
                color=style.POD_COLORS["failed"])
    ax.axhline(high, color=style.HIGHLIGHT, lw=1, ls="--", label=f"desired + maxSurge = {high}")
    ax.axhline(low, color=style.HIGHLIGHT, lw=1, ls=(0, (1, 1.5)), label=f"desired − maxUnavailable = {low}")


def _kind_of_update(sample: RolloutSample) -> str:
    return "Rolling update" if sample.strategy == "RollingUpdate" else f"{sample.strategy} rollout"


def _limits(sample: RolloutSample) -> str:
    """``maxSurge 1, maxUnavailable 1``; a Recreate Deployment has neither (pkg/controller/deployment/
    recreate.go scales every old pod away before it creates the new ones)."""
    if sample.strategy != "RollingUpdate":
        return "every old pod goes before the new ones start"
    return f"maxSurge {sample.max_surge}, maxUnavailable {sample.max_unavailable}"


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
        count = len(self.samples)
        strategy = "" if s0.strategy == "RollingUpdate" else f"strategy {s0.strategy}, "
        head = (f"Rollout of deployment {self.name}: desired {s0.desired}, {strategy}{_limits(s0)}; "
                f"{count} sample{'s' * (count != 1)} over {self.samples[-1].time - s0.time:.1f} s")
        lines = [head]
        for s in self.samples:
            sets = ", ".join(f"{c.name}={c.replicas}" for c in s.replica_sets)
            going = f" ({s.terminating} terminating)" if s.terminating else ""
            lines.append(f"  t={s.time - s0.time:5.2f}s  {sets}  pods {s.pods}{going}, available {s.available}"
                         + (f"  ({_verdict(s)})" if s.done else ""))
        return "\n".join(lines)

    __str__ = text

    def alt_text(self) -> str:
        """The chart in words: the rollout's first line of ``text``, then where it ended."""
        if not self.samples:
            return self.text()
        last = self.samples[-1]
        sets = ", ".join(f"{c.name}={c.replicas}" for c in last.replica_sets)
        end = f"available {last.available} of {last.desired}, " + (_verdict(last) if last.done else "not done")
        return (f"Chart of spec.replicas per ReplicaSet over time. {self.text().splitlines()[0]}. "
                f"At the end: {sets}; {end}.")

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
        """Set the strategy, then ``kubectl set image`` and record until the rollout is done.

        The whole rollout holds ``cluster.lock``: a second caller in another thread waits for it.
        The image the Deployment already runs changes nothing (the second click of a double
        click): the chart keeps the last rollout. A paused Deployment changes nothing either: its
        controller rolls nothing out (Progressing=Unknown, DeploymentPaused) and ``kubectl rollout
        status`` would wait for ever, so the panel says so instead of waiting out the deadline."""
        def value(v: Any) -> Any:
            return int(v) if isinstance(v, str) and v.isdigit() else v
        if not image:
            raise Refused("The Image box is empty: type an image such as nginx:1.27 first.")
        strategy = {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {
            "maxSurge": value(max_surge), "maxUnavailable": value(max_unavailable)}}}}
        with holding(self.cluster):
            with unobserved(self.cluster):
                paused = self.cluster.api.get("deployments", self.name, self.namespace)["spec"].get("paused")
            if paused:
                return Trouble(f"Nothing rolled out: deployment {self.name} is paused (Progressing=Unknown, "
                               f"DeploymentPaused); kubectl rollout resume deployment/{self.name} first.")
            d = self.cluster.api.patch("deployments", self.name, strategy, self.namespace)
            if d["spec"]["template"]["spec"]["containers"][0]["image"] == image:
                return f"Nothing to roll out: deployment {self.name} already runs {image}."
            self.samples = record_rollout(self.cluster, self.name, image=image, step=step, namespace=self.namespace)
        last = self.samples[-1]
        took = f"{last.time - self.samples[0].time:.1f} s ({len(self.samples)} samples)"
        with unobserved(self.cluster):
            conditions = self.cluster.api.get("deployments", self.name, self.namespace)["status"].get("conditions") or []
        stalled = next((c for c in conditions if c.get("type") == "Progressing" and c.get("status") == "False"), None)
        if stalled:  # past progressDeadlineSeconds: kubectl rollout status gives up with an error
            return Trouble(f"Not rolled out after {took}: Progressing=False, {stalled.get('reason')}: "
                           f"{str(stalled.get('message', '')).rstrip('.')}.")
        if last.done:
            return f"Rolled out {image} in {took}."
        return Trouble(f"Not rolled out after {took}: {last.available} of {last.desired} pods available, "
                       f"kubectl rollout status is still waiting.")

    def _roll(self) -> str:
        return self.roll_out(self.target.value.strip(), self.surge.value, self.unavailable.value)
