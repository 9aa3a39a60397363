"""The main cluster panel: the picture, buttons that drive the simulation, and what just happened.

``ClusterView(cluster)`` is an ``ipywidgets.VBox`` (its ``.widget``): the cluster picture as an
``Image`` (PNG from an Agg figure, so it survives static HTML export and strict nbval), its alt
text, buttons "Step", "Run 10 s", "Settle", "Add node", "Stop node", "Start node" and
"Apply YAML", a node chooser, a YAML box, the kubectl output, and the last steps of
``cluster.trace``. Every click redraws the same figure. A cell that ends with
``ClusterView(cluster)`` shows the panel, with a PNG of the picture at that moment beside it for
static pages and decks (``panels.picture_bundle``). "Stop node" on the control-plane machine also stops
the kube-controller-manager and kube-scheduler running there; without a standby
(``control_plane_replicas=2``) no node controller is left to mark any node NotReady, and the
panel says so. Stopping a stopped machine or starting a running one changes nothing.

Simplified: actions run synchronously in the kernel (no background thread), one at a time (a click
while another action runs is dropped, see ``panels.Panel.perform``); "Settling…" is shown while
``settle()`` runs. Nothing is ever printed: all text goes into HTML widgets, because output
printed during a cell breaks strict nbval (see reference/jupyter-recipes.md §1).

Upstream: none (a teaching panel); its buttons stand for ``kubectl apply -f -`` and for
powering nodes off and on.
"""

from __future__ import annotations

import html
from typing import Any, Callable

from k8slearn.client.leaderelection import LEASE_DURATION
from k8slearn.viz.draw import ClusterFigure
from k8slearn.viz.panels import Panel, Refused, picture_bundle
from k8slearn.viz.snapshot import snapshot, unobserved

__all__ = ["BUTTONS", "ClusterView", "format_step"]

BUTTONS = ("Step", "Run 10 s", "Settle", "Add node", "Stop node", "Start node", "Apply YAML")
LOG_LINES = 12
JOIN_STEPS = 200              # "Add node" steps the cluster at most this often, until the Node is registered
YAML_PLACEHOLDER = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx"""


def format_step(step: Any) -> str:
    """One trace line: ``time  component → action → object`` (no arrow to an empty object).

    >>> from k8slearn.sim import Step
    >>> format_step(Step(1.5, "kube-scheduler", "bind", "pod/default/web", "node-2"))
    '    1.500  kube-scheduler → bind → pod/default/web'
    """
    line = f"{step.time:9.3f}  {step.component} → {step.action}"
    return f"{line} → {step.object}" if step.object else line


def _host(manager: Any) -> str:
    """The machine a kube-controller-manager runs on: its identity is ``<hostname>_<uuid>``."""
    return manager.identity.rpartition("_")[0] or manager.identity


def _pre(text: str, colour: str = "#212121", wrap: bool = True) -> str:
    space = "pre-wrap" if wrap else "pre;overflow-x:auto"
    return (f"<pre style='margin:0;font-size:12px;line-height:1.35;color:{colour};"
            f"white-space:{space}'>{html.escape(text)}</pre>")


class ClusterView(Panel):
    """The cluster panel for one cluster; ``.widget`` is the VBox, ``refresh()`` redraws it."""

    def __init__(self, cluster: Any, namespace: str | None = None, selector: Any = None,
                 collapse_owners: bool = False) -> None:
        import ipywidgets as w

        self.cluster, self.namespace, self.selector = cluster, namespace, selector
        self.collapse_owners = collapse_owners
        self.picture = ClusterFigure()
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        self.alt = w.HTML()
        self.status = w.HTML()
        self.log = w.HTML()
        self.result = w.HTML()
        # the label takes its own width, so the choice has room for "control-plane"
        self.nodes = w.Dropdown(description="Node", options=[], layout=w.Layout(width="230px"),
                                style={"description_width": "initial"})
        self.yaml = w.Textarea(placeholder=YAML_PLACEHOLDER, layout=w.Layout(width="100%", height="150px"))
        actions: dict[str, Callable[[], str]] = {
            "Step": self._step, "Run 10 s": self._run, "Settle": self._settle, "Add node": self._add_node,
            "Stop node": self._stop_node, "Start node": self._start_node, "Apply YAML": self._apply}
        self.buttons = {}
        for name in BUTTONS:
            button = w.Button(description=name, layout=w.Layout(width="auto", flex="0 0 auto"))  # never cut
            button.on_click(self._handler(name, actions[name]))
            self.buttons[name] = button
        b = self.buttons
        self.widget = w.VBox([
            w.HBox([b["Step"], b["Run 10 s"], b["Settle"]]),
            w.HBox([b["Add node"], self.nodes, b["Stop node"], b["Start node"]]),
            self.status,            # a row of its own: a long message wraps and leaves the buttons whole
            self.image, self.alt,
            w.HBox([w.VBox([w.HTML("<b>Last steps</b> (time  component → action → object)"), self.log],
                           layout=w.Layout(width="55%")),
                    w.VBox([self.yaml, b["Apply YAML"], self.result], layout=w.Layout(width="45%"))]),
        ])
        self.refresh()

    # -- showing --
    def refresh(self) -> None:
        """Redraw the picture (reusing the figure), the alt text, the node chooser and the log."""
        snap = snapshot(self.cluster)
        self.picture.update(snap, namespace=self.namespace, selector=self.selector,
                            collapse_owners=self.collapse_owners)
        self.image.value = self.picture.png()
        self.words = self.picture.alt_text()
        self.alt.value = f"<span style='font-size:12px;color:#424242'>{html.escape(self.words)}</span>"
        names = list(self.cluster.node_names())
        if list(self.nodes.options) != names:
            keep = self.nodes.value if self.nodes.value in names else None
            workers = [n.name for n in snap.nodes if not n.control_plane and n.name in names]
            self.nodes.options = names
            self.nodes.value = keep or (workers[0] if workers else (names[0] if names else None))
        steps = list(self.cluster.trace[-LOG_LINES:])
        self.log.value = _pre("\n".join(format_step(s) for s in steps) or "(no steps yet)", wrap=False)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        """The live panel and a PNG of the picture now (``panels.picture_bundle``); its
        text/plain is the widget's own."""
        return picture_bundle(self.widget, self.image.value)

    def alt_text(self) -> str:
        """The picture in words (``graph.summary``), as the panel shows them under it."""
        return self.words

    # -- clicking (Panel.perform runs one action at a time): each action returns the message to show --
    def _step(self) -> str:
        step = self.cluster.step()
        if step is None:
            return "Nothing left to do."
        return "Step: " + format_step(step).strip() + (f" ({step.detail})" if step.detail else "")

    def _run(self) -> str:
        self.cluster.run(seconds=10)
        return f"Ran 10 simulated seconds: t = {self.cluster.now:.1f} s."

    def _settle(self) -> str:
        self._say("Settling…", "#e65100")
        advanced = self.cluster.settle()
        return f"Settled after {advanced:.1f} simulated seconds: t = {self.cluster.now:.1f} s."

    def _add_node(self) -> str:
        """A new machine joins; step until its kubelet has registered the Node, so it shows at once."""
        name = self.cluster.add_node()
        for _ in range(JOIN_STEPS):
            if self._registered(name) or self.cluster.step() is None:
                break
        self.nodes.options = list(self.cluster.node_names())
        self.nodes.value = name
        if not self._registered(name):
            return f"Added {name}; its kubelet has not registered the Node yet: press Step or Settle."
        return f"Added {name}: its kubelet registered the Node with the API server."

    def _registered(self, name: str) -> bool:
        with unobserved(self.cluster):
            return any(n["metadata"]["name"] == name for n in self.cluster.api.list("nodes"))

    def _chosen_node(self) -> str:
        if not self.nodes.value:
            raise Refused("No node is chosen: choose one in the Node list first.")
        return self.nodes.value

    def _stop_node(self) -> str:
        """Power the chosen machine off. On the control-plane machine its kube-controller-manager
        and kube-scheduler stop too: without a standby, no node controller is left to mark it."""
        name = self._chosen_node()
        if not self._powered(name):
            return f"{name} is already stopped: nothing changed."
        hosted = bool(self._managers_on(name))
        self.cluster.stop_node(name)
        said = f"Stopped {name}: its kubelet no longer reports"
        if hosted:
            said += ", and the kube-controller-manager and kube-scheduler that ran on it stopped with it"
        standby = sorted({_host(m) for m in self.cluster.controller_managers if m.is_up()})
        if not standby:
            return (f"{said}. No node controller runs now, so nothing marks {name} NotReady or reschedules "
                    f"its pods{self._until_restart(hosted)}.")
        if hosted:
            return (f"{said}. Press Run 10 s a few times: the standby on {' and '.join(standby)} takes over "
                    f"their Leases, then its node controller waits 50 s before it marks the node "
                    f"(Settle does not wait for checks).")
        return (f"{said}. Press Run 10 s a few times: the node controller checks every 5 s and waits 50 s "
                f"before it marks the node (Settle does not wait for checks).")

    def _start_node(self) -> str:
        name = self._chosen_node()
        if self._powered(name):
            return f"{name} is already running: nothing changed."
        hosted = bool(self._managers_on(name))
        standby = any(m.is_up() for m in self.cluster.controller_managers)   # (before the new processes start)
        self.cluster.start_node(name)
        if hosted:
            said = (f"Started {name}: its kubelet reports again, and new kube-controller-manager and "
                    f"kube-scheduler processes start and wait their turn for the leader Leases")
            if standby:
                return said + "."
            return (f"{said}. Press Run 10 s twice: a new process takes a Lease only after it has seen it "
                    f"unchanged for leaseDuration ({LEASE_DURATION:g} s), and no controller acts until then "
                    f"(Settle does not wait for that).")
        if not any(m.is_up() for m in self.cluster.controller_managers):
            return (f"Started {name}: its kubelet reports again "
                    f"(no node controller runs{self._until_restart()}).")
        return (f"Started {name}: its kubelet reports again. Press Run 10 s: the node controller lifts the "
                f"taints at its next check, 5 s at most.")

    def _managers_on(self, name: str) -> list:
        """The kube-controller-manager processes on machine ``name`` (each has a kube-scheduler beside it)."""
        return [m for m in self.cluster.controller_managers if _host(m) == name]

    def _powered(self, name: str) -> bool:
        """The machine is on: its kubelet runs, and so do the control-plane processes it hosts."""
        return self.cluster.kubelets[name].running and all(m.is_up() for m in self._managers_on(name))

    def _until_restart(self, hosted: bool = False) -> str:
        """`` until <machine> starts again``: the machine whose kube-controller-manager is down."""
        hosts = ["it"] if hosted else sorted({_host(m) for m in self.cluster.controller_managers
                                              if not m.is_up()})
        return f" until {' or '.join(hosts)} starts again" if hosts else ""

    def _apply(self) -> str:
        text = self.yaml.value
        if not text.strip():
            raise Refused("The YAML box is empty: paste a manifest into it first.")
        result = self.cluster.kubectl("apply -f -", stdin=text)
        output = (result.stdout or "") + (result.stderr or "")
        self.result.value = _pre(output or "(no output)", "#212121" if result.code == 0 else "#b71c1c")
        return f"kubectl apply -f -: exit code {result.code}."
