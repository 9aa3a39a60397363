"""``DaemonSetPanel(cluster, "node-exporter", namespace="monitoring")``: a DaemonSet follows its nodes.

Buttons add, remove, taint and untaint nodes; after each, the cluster settles and the panel shows
the picture with the daemon pods ringed, "3 eligible nodes → 3 daemon pods (desired 3, current 3,
ready 3)", whether each node is eligible and why (a node that is no longer eligible may still run
its daemon pod: a NoSchedule taint keeps only new pods away), and the last actions of the three
controllers that remove pods here: the DaemonSet controller, the taint eviction controller (a
NoExecute taint) and the pod garbage collector (the pods of a deleted Node).

Simplified: the panel acts synchronously (no background thread); "Remove node" powers the machine
off and deletes its Node object, as ``kubectl delete node`` after draining would.

Upstream: none (a teaching view); it reads what pkg/controller/daemon writes.
"""

from __future__ import annotations

import html
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.viz import style
from k8slearn.viz.controller_timeline import ControllerTimeline
from k8slearn.viz.daemon_nodes import (
    DaemonNode,
    daemon_nodes,
)
from k8slearn.viz.panels import TABLE_STYLE, KubectlFailed, Panel, Refused
from k8slearn.viz.snapshot import unobserved

DAEMON_TAINT = ("dedicated", "infra")
# who removes daemon pods: their own controller, the taint eviction controller (a NoExecute taint),
# and the pod garbage collector (the pods of a deleted Node)
LOG_LANES = {"daemonset-controller", "taint-eviction-controller", "pod-garbage-collector"}


def daemonset_line(nodes: list[DaemonNode], ds: dict) -> str:
    """"3 eligible nodes → 3 daemon pods (desired 3, current 3, ready 3)", with the status's
    ``numberMisscheduled`` when a node that should not run a daemon pod still does (a NoSchedule
    taint added under it): ``kubectl describe ds`` says "Number of Nodes Misscheduled: 1".

    >>> daemonset_line([DaemonNode("node-1", True, "", (("a", "Running"),)),
    ...                 DaemonNode("node-2", False, "", (("b", "Running"),))],
    ...                {"status": {"desiredNumberScheduled": 1, "currentNumberScheduled": 1, "numberReady": 1,
    ...                            "numberMisscheduled": 1}})
    '1 eligible node → 2 daemon pods (desired 1, current 1, ready 1, misscheduled 1)'
    """
    st = ds.get("status") or {}
    eligible = sum(n.should_run for n in nodes)
    pods = sum(len(n.pods) for n in nodes)
    misscheduled = f", misscheduled {st['numberMisscheduled']}" if st.get("numberMisscheduled") else ""
    return (f"{eligible} eligible node{'s' * (eligible != 1)} → {pods} daemon pod{'s' * (pods != 1)} "
            f"(desired {st.get('desiredNumberScheduled', 0)}, current {st.get('currentNumberScheduled', 0)}, "
            f"ready {st.get('numberReady', 0)}{misscheduled})")


def _about(row: Any) -> str:
    """``pod <name>: `` for a row about one pod (its why does not name it), else nothing."""
    return f"pod {row.object.rsplit('/', 1)[-1]}: " if row.object.startswith("pod/") else ""


class DaemonSetPanel(Panel):
    """Add, remove, taint and untaint nodes, and watch a DaemonSet follow (``.widget`` is the VBox)."""

    def __init__(self, cluster: Any, name: str, namespace: str = "default") -> None:
        import ipywidgets as w

        from k8slearn.viz.draw import ClusterFigure

        self.cluster, self.name, self.namespace = cluster, name, namespace
        self.started = cluster.now
        self.picture = ClusterFigure()
        # the picture at its own size, crisp (a VBox would stretch it to the output's width: taller)
        self.image = w.Image(format="png",
                             layout=w.Layout(max_width="100%", height="auto", align_self="flex-start"))
        self.status, self.line, self.alt, self.table, self.log = (w.HTML() for _ in range(5))
        label = {"description_width": "initial"}  # the label's own width: the choice is not cut ("NoExec")
        self.nodes = w.Dropdown(description="Node", options=[], layout=w.Layout(width="180px"), style=label)
        self.effect = w.Dropdown(description="Effect", options=["NoExecute", "NoSchedule"],
                                 layout=w.Layout(width="190px"), style=label)
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
            try:
                ds = self.cluster.api.get("daemonsets", self.name, self.namespace)
            except ApiError as err:
                if err.code != 404:
                    raise
                return None, []  # deleted since the panel was made: the panel says so
            uid = ds["metadata"]["uid"]
            pods = [p for p in self.cluster.api.list("pods", namespace=self.namespace)
                    if any(r.get("uid") == uid for r in p["metadata"].get("ownerReferences") or ())]
            nodes = self.cluster.api.list("nodes")
        return ds, daemon_nodes(nodes, ds, pods)

    def text(self) -> str:
        ds, nodes = self.state()
        lines = [f"DaemonSet {self.namespace}/{self.name}: {self._line(nodes, ds)}"]
        pods = {n.node: ", ".join(f"{p} ({s})" for p, s in n.pods) or "no daemon pod" for n in nodes}
        width = max((len(text) for text in pods.values()), default=0)
        for n in nodes:
            lines.append(f"  {n.node:<14} {'yes' if n.should_run else 'no':<4} {pods[n.node]:<{width}}  {n.reason}")
        return "\n".join(lines)

    __str__ = text

    def alt_text(self) -> str:
        """The picture in words, as of its last redraw: the DaemonSet's line, then the cluster
        (``graph.summary``)."""
        return self.words

    def _line(self, nodes: list, ds: dict | None) -> str:
        return daemonset_line(nodes, ds) if ds is not None else f'daemonsets.apps "{self.name}" not found'

    def refresh(self) -> None:
        ds, nodes = self.state()
        daemon = [f"pod/{self.namespace}/{p}" for n in nodes for p, _ in n.pods]
        self.picture.update(self.cluster, highlight=daemon)
        self.image.value = self.picture.png()
        words = f"{self.picture.alt_text()} Daemon pods are ringed."
        self.alt.value = f"<span style='font-size:12px;color:{style.MUTED}'>{html.escape(words)}</span>"
        self.words = f"DaemonSet {self.namespace}/{self.name}: {self._line(nodes, ds)}. {words}"
        self.line.value = f"<b style='font-size:14px'>{html.escape(self._line(nodes, ds))}</b>"
        rows = "".join(
            f"<tr><td style='{TABLE_STYLE}'>{html.escape(n.node)}</td>"
            f"<td style='{TABLE_STYLE}'>{'✔' if n.should_run else '✘'}</td>"
            f"<td style='{TABLE_STYLE}'>{html.escape(', '.join(f'{p} ({s})' for p, s in n.pods) or '—')}</td>"
            f"<td style='{TABLE_STYLE}'>{html.escape(n.reason)}</td></tr>" for n in nodes)
        self.table.value = (f"<table><thead><tr><th style='{TABLE_STYLE}'>node</th><th style='{TABLE_STYLE}'>"
                            f"eligible?</th><th style='{TABLE_STYLE}'>daemon pod</th><th style='{TABLE_STYLE}'>"
                            f"why</th></tr></thead><tbody>{rows}</tbody></table>")
        names = [n.node for n in nodes]
        if list(self.nodes.options) != names:
            first = not self.nodes.options
            keep = self.nodes.value if self.nodes.value in names else None
            self.nodes.options = names
            # a removed node's choice goes blank, so a second click cannot remove another node
            self.nodes.value = keep or (names[-1] if names and first else None)
        recent = ControllerTimeline(self.cluster, since=self.started, scheduler=False, controllers=LOG_LANES).rows[-8:]
        log = "\n".join(f"t={r.time:7.1f}  {r.controller}: {_about(r)}{r.why}" for r in recent) or "(nothing yet)"
        self.log.value = (f"<b>Last controller actions</b><pre style='margin:0;font-size:12px'>"
                          f"{html.escape(log)}</pre>")

    # -- acting: each returns the message to show (and raises on bad input) --
    def add_node(self) -> str:
        name = self.cluster.add_node()
        advanced = self.cluster.settle()
        return f"{name} joined; settled after {advanced:.1f} s."

    def remove_node(self, node: str) -> str:
        """Power the machine off and delete its Node (the pod garbage collector removes its pods).
        The control-plane machine is refused: without it, no controller would follow."""
        with unobserved(self.cluster):
            labels = next((n["metadata"].get("labels") or {} for n in self.cluster.api.list("nodes")
                           if n["metadata"]["name"] == node), {})
        if "node-role.kubernetes.io/control-plane" in labels:
            raise Refused(f"{node} runs the control plane (API server, scheduler, controllers): removing it "
                          f"would stop the cluster, so the panel keeps it.")
        if node in self.cluster.node_names():
            self.cluster.stop_node(node)
        result = self.cluster.kubectl(f"delete node {node}")
        if result.code:
            raise KubectlFailed(result.stderr.strip())
        advanced = self.cluster.settle()
        return f"{result.stdout.strip()}; settled after {advanced:.1f} s."

    def taint_node(self, node: str, effect: str = "NoExecute") -> str:
        """``kubectl taint nodes <node> dedicated=infra:<effect> --overwrite`` (so a second click
        with the same effect is no error; kubectl then says ``modified``, not ``tainted``)."""
        key, value = DAEMON_TAINT
        return self._kubectl_and_settle(f"taint nodes {node} {key}={value}:{effect} --overwrite")

    def untaint_node(self, node: str) -> str:
        return self._kubectl_and_settle(f"taint nodes {node} {DAEMON_TAINT[0]}-")

    def _kubectl_and_settle(self, command: str) -> str:
        """Run ``kubectl <command>``, settle, and say exactly what was run and what kubectl printed."""
        result = self.cluster.kubectl(command)
        if result.code:
            raise KubectlFailed(result.stderr.strip())
        self.cluster.settle()
        return f"kubectl {command}: {result.stdout.strip()}"

    def _chosen(self) -> str:
        if not self.nodes.value:
            raise Refused("No node is chosen: choose one in the Node list first.")
        return self.nodes.value

    def _remove(self) -> str:
        return self.remove_node(self._chosen())

    def _taint(self) -> str:
        return self.taint_node(self._chosen(), self.effect.value)

    def _untaint(self) -> str:
        return self.untaint_node(self._chosen())
