"""Cases for DaemonSets: given the nodes and a DaemonSet's pod spec, how many daemon pods run?

A DaemonSet runs one pod on **every** eligible node, not on one chosen node; the number of
eligible nodes is its ``desiredNumberScheduled``. A node is eligible when its labels satisfy the
pod's ``nodeSelector`` (and required node affinity) and each of its ``NoSchedule`` and
``NoExecute`` taints is tolerated. Besides the tolerations you write, every daemon pod tolerates a
fixed set: ``node.kubernetes.io/not-ready`` and ``/unreachable`` (NoExecute), so a node losing its
heartbeat does not *evict* its agent, and ``/unschedulable``, ``/disk-pressure``,
``/memory-pressure``, ``/pid-pressure`` (NoSchedule), so the agent can still be *placed* on a
cordoned node or one under pressure. A node that stopped reporting also gets
``unreachable:NoSchedule``, which is not in that set: it stops being eligible (no new daemon
pod), while a daemon pod already there keeps running. A ``PreferNoSchedule`` taint never keeps a
daemon pod off. A toleration without an ``operator`` is an ``Equal`` one: its value must be the
taint's (none for a taint without a value).

>>> print(show_nodes([node("node-1", labels={"disktype": "ssd"}, taints=["dedicated=infra:NoExecute"])]))
[node-1 {disktype=ssd} taints dedicated=infra:NoExecute]
>>> DAEMON_POD_COUNT["a DaemonSet without tolerations runs on every worker but not on the control plane"].expected
3

Simplified: nodes and pod specs carry only the fields the decision reads (labels, taints,
``spec.unschedulable``; ``nodeSelector``, ``tolerations``, ``affinity``).

Upstream: pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod),
pkg/controller/daemon/util/daemonset_util.go (AddOrUpdateDaemonPodTolerations)
"""

from __future__ import annotations

from typing import Any

from k8slearn.course.cases.table import Case, CaseTable, show_value

CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane:NoSchedule"


def taint(text: str) -> dict:
    """``"key=value:Effect"`` (or ``"key:Effect"``) as a Taint object."""
    head, effect = text.rsplit(":", 1)
    key, _, value = head.partition("=")
    return {"key": key, "value": value, "effect": effect} if value else {"key": key, "effect": effect}


def node(name: str, labels: dict | None = None, taints: Any = (), unschedulable: bool = False) -> dict:
    """A Node with just what the DaemonSet controller reads."""
    labels = {"kubernetes.io/hostname": name, **(labels or {})}
    spec: dict = {"taints": [taint(t) for t in taints]} if taints else {}
    if unschedulable:
        spec["unschedulable"] = True
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels}, "spec": spec}


def cluster(workers: int = 3, **changes: dict) -> list[dict]:
    """A tainted control-plane node and ``workers`` workers; ``node_2={"taints": [...]}`` changes one."""
    nodes = [node("control-plane", labels={"node-role.kubernetes.io/control-plane": ""},
                  taints=[CONTROL_PLANE_TAINT])]
    for i in range(1, workers + 1):
        name = f"node-{i}"
        nodes.append(node(name, **changes.get(name.replace("-", "_"), {})))
    return nodes


def show_nodes(nodes: list[dict]) -> str:
    """Nodes in one line each: name, labels beyond the hostname, taints, cordoned."""
    parts = []
    for n in nodes:
        labels = {k: v for k, v in n["metadata"]["labels"].items()
                  if k != "kubernetes.io/hostname" and not k.startswith("node-role")}
        text = n["metadata"]["name"]
        if labels:
            text += " {" + ",".join(f"{k}={v}" for k, v in labels.items()) + "}"
        taints = n["spec"].get("taints") or []
        if taints:
            text += " taints " + ",".join(
                f"{t['key']}{'=' + t['value'] if t.get('value') else ''}:{t['effect']}" for t in taints)
        if n["spec"].get("unschedulable"):
            text += " cordoned"
        parts.append(text)
    return "[" + "; ".join(parts) + "]"


class DaemonCaseTable(CaseTable):
    """Shows nodes compactly, so the whole cluster of a case fits on its line."""

    def _call_text(self, case: Case) -> str:
        nodes, pod_spec = case.args
        return f"daemon_pod_count({show_nodes(nodes)}, {show_value(pod_spec, 200, pretty=False)})"


def toleration(key: str = "", operator: str = "Exists", value: str = "", effect: str = "") -> dict:
    """A Toleration with the fields given; ``operator=""`` leaves the operator out (Equal)."""
    found = {"key": key, "operator": operator, "value": value, "effect": effect}
    return {k: v for k, v in found.items() if v}


SSD = {"labels": {"disktype": "ssd"}}
UNREACHABLE = ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]

DAEMON_POD_COUNT = DaemonCaseTable(
    name="daemonset.daemon_pod_count",
    signature="daemon_pod_count(nodes: list[dict], pod_spec: dict) -> int",
    description="How many of these nodes should run a pod of the DaemonSet: its desiredNumberScheduled.",
    cases=[
        Case("a DaemonSet without tolerations runs on every worker but not on the control plane",
             (cluster(), {}), 3),
        Case("tolerating the control-plane taint adds the control-plane node",
             (cluster(), {"tolerations": [toleration("node-role.kubernetes.io/control-plane",
                                                     effect="NoSchedule")]}), 4),
        Case("an Exists toleration without a key tolerates every taint",
             (cluster(), {"tolerations": [toleration()]}), 4),
        Case("a worker joining adds one daemon pod", (cluster(workers=4), {}), 4),
        Case("a nodeSelector keeps the DaemonSet to the nodes with that label",
             (cluster(node_1=SSD, node_3=SSD), {"nodeSelector": {"disktype": "ssd"}}), 2),
        Case("a nodeSelector that no node matches gives no daemon pod",
             (cluster(), {"nodeSelector": {"disktype": "ssd"}}), 0),
        Case("a cordoned node keeps its daemon pod: unschedulable is tolerated",
             (cluster(node_2={"taints": ["node.kubernetes.io/unschedulable:NoSchedule"], "unschedulable": True}),
              {}), 3),
        Case("a node that stopped reporting is not eligible: unreachable:NoSchedule is not tolerated",
             (cluster(node_2={"taints": UNREACHABLE}), {}), 2),
        Case("memory pressure does not keep a daemon pod away",
             (cluster(node_2={"taints": ["node.kubernetes.io/memory-pressure:NoSchedule"]}), {}), 3),
        Case("a NoExecute taint without a toleration takes the node out",
             (cluster(node_2={"taints": ["dedicated=infra:NoExecute"]}), {}), 2),
        Case("a NoSchedule taint without a toleration takes the node out too",
             (cluster(node_2={"taints": ["dedicated=infra:NoSchedule"]}), {}), 2),
        Case("a PreferNoSchedule taint never keeps a daemon pod away",
             (cluster(node_2={"taints": ["dedicated=infra:PreferNoSchedule"]}), {}), 3),
        Case("a toleration with another value does not match an Equal taint",
             (cluster(node_2={"taints": ["dedicated=infra:NoExecute"]}),
              {"tolerations": [toleration("dedicated", "Equal", "logging", "NoExecute")]}), 2),
        Case("a toleration without an operator is Equal: another value does not tolerate the taint",
             (cluster(node_2={"taints": ["dedicated=infra:NoExecute"]}),
              {"tolerations": [{"key": "dedicated", "value": "logging", "effect": "NoExecute"}]}), 2),
        Case("a toleration without an operator is Equal: the same value tolerates the taint",
             (cluster(node_2={"taints": ["dedicated=infra:NoExecute"]}),
              {"tolerations": [{"key": "dedicated", "value": "infra", "effect": "NoExecute"}]}), 3),
        Case("a toleration without an operator or a value tolerates only the taint without a value",
             (cluster(node_2={"taints": ["dedicated=infra:NoExecute"]},
                      node_3={"taints": ["dedicated:NoExecute"]}),
              {"tolerations": [{"key": "dedicated", "effect": "NoExecute"}]}), 2),
        Case("a toleration without an effect matches its key whatever the effect",
             (cluster(node_2={"taints": ["dedicated=infra:NoExecute"]}),
              {"tolerations": [toleration("dedicated")]}), 3),
        Case("a NoSchedule toleration does not tolerate a NoExecute taint of the same key",
             (cluster(node_2={"taints": ["dedicated=infra:NoExecute"]}),
              {"tolerations": [toleration("dedicated", effect="NoSchedule")]}), 2),
        Case("a node must satisfy both the nodeSelector and its taints",
             (cluster(node_1=SSD, node_2={**SSD, "taints": ["dedicated=infra:NoExecute"]}),
              {"nodeSelector": {"disktype": "ssd"}}), 1),
        Case("no nodes, no daemon pods", ([], {}), 0),
    ],
)
