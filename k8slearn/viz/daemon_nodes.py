"""Which nodes should run a DaemonSet's pod, and why (not): the DaemonSet panel's table.

``daemon_nodes`` asks the DaemonSet controller's own predicate (``node_should_run_daemon_pod``)
for each node and, for a node it turns down, says whether the node's labels or its taints are the
reason. It also lists the daemon pods already bound to each node.

>>> ds = {"metadata": {"name": "node-exporter", "namespace": "monitoring"},
...       "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "prom/node-exporter"}]}}}}
>>> tainted = {"metadata": {"name": "node-2"},
...            "spec": {"taints": [{"key": "dedicated", "value": "infra", "effect": "NoSchedule"}]}}
>>> for row in daemon_nodes([{"metadata": {"name": "node-1"}}, tainted], ds):
...     print(row.node, row.should_run, "|", row.reason)
node-1 True | eligible: labels match, taints tolerated
node-2 False | not tolerated: dedicated=infra:NoSchedule

Simplified: only the reasons the course's panel shows (labels, NoSchedule/NoExecute taints);
a pod template pinned to another node by ``nodeName`` reads "not eligible".

Upstream: pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod),
pkg/controller/daemon/util/daemonset_util.go
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

__all__ = ["DaemonNode", "daemon_nodes"]


class DaemonNode(NamedTuple):
    """Should ``node`` run a pod of the DaemonSet, why (not), and which daemon pods it has now."""

    node: str
    should_run: bool
    reason: str
    pods: tuple             # (name, STATUS) of the DaemonSet's pods bound to this node


def _taint_text(taint: dict) -> str:
    value = f"={taint['value']}" if taint.get("value") else ""
    return f"{taint.get('key', '')}{value}:{taint.get('effect', '')}"


def daemon_nodes(nodes: Iterable[dict], ds: dict, pods: Iterable[dict] = ()) -> list[DaemonNode]:
    """For each node, the DaemonSet controller's own answer (``node_should_run_daemon_pod``) and a reason.

    ``pods`` are the DaemonSet's pods; a pod that is being deleted is left out.
    """
    from k8slearn.controllers.controller_utils import find_matching_untolerated_taint
    from k8slearn.controllers.daemonset.util import (
        matches_required_node_affinity,
        new_pod_spec,
        node_should_run_daemon_pod,
    )
    from k8slearn.kubectl.printers import pod_status

    on_node: dict[str, list] = {}
    for pod in pods:
        if not pod["metadata"].get("deletionTimestamp") and pod["spec"].get("nodeName"):
            on_node.setdefault(pod["spec"]["nodeName"], []).append((pod["metadata"]["name"], pod_status(pod)))
    out = []
    for node in nodes:
        name = node["metadata"]["name"]
        should_run, _ = node_should_run_daemon_pod(node, ds)
        spec = new_pod_spec(ds, name)
        if should_run:
            reason = "eligible: labels match, taints tolerated"
        elif not matches_required_node_affinity(spec, node):
            reason = "its labels do not match the nodeSelector / node affinity"
        else:
            tolerations = spec.get("tolerations") or []
            blocking = [_taint_text(t) for t in (node.get("spec") or {}).get("taints") or []
                        if t.get("effect") in ("NoSchedule", "NoExecute")
                        and find_matching_untolerated_taint([t], tolerations) is not None]
            reason = f"not tolerated: {', '.join(blocking)}" if blocking else "not eligible"
        out.append(DaemonNode(name, should_run, reason, tuple(sorted(on_node.get(name, ())))))
    return out
