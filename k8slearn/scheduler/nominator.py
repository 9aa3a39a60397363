"""Nominated pods: which pending pods preemption has promised a node to, and which node.

After preemption evicts pods from node-2 for pod ``critical``, the victims take a while to
terminate. Meanwhile ``critical`` is *nominated* to node-2 (``status.nominatedNodeName``), and
every other pod of lower or equal priority that is filtered against node-2 is filtered as if
``critical`` were already running there, so it cannot take the room that was freed.

>>> from k8slearn.scheduler.resources import PodInfo
>>> n = Nominator()
>>> n.add_nominated_pod(PodInfo({"metadata": {"namespace": "default", "name": "critical"}}), "node-2")
>>> [p.key for p in n.nominated_pods_for_node("node-2")], n.has_nominated_pods()
(['default/critical'], True)
>>> n.delete_nominated_pod_if_exists({"metadata": {"namespace": "default", "name": "critical"}})
>>> n.nominated_pods_for_node("node-2"), n.has_nominated_pods()
([], False)

Upstream: pkg/scheduler/backend/queue/nominator.go (pkg/scheduler/internal/queue before v1.32)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NOOP = None  # "use the pod's own status.nominatedNodeName"


def _key(pod: dict) -> str:
    meta = pod.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


def nominated_node_name(pod: dict) -> str:
    return (pod.get("status") or {}).get("nominatedNodeName") or ""


class Nominator:
    """node name -> nominated PodInfos, and pod key -> node name."""

    def __init__(self, pod_getter: Callable[[str, str], Any] | None = None) -> None:
        self.nominated_pods: dict[str, list] = {}
        self.nominated_pod_to_node: dict[str, str] = {}
        self.pod_getter = pod_getter  # (name, namespace) -> the pod from the informer, or None

    def has_nominated_pods(self) -> bool:
        return bool(self.nominated_pod_to_node)

    def nominated_pods_for_node(self, node_name: str) -> list:
        return list(self.nominated_pods.get(node_name, ()))

    def add_nominated_pod(self, pod_info: Any, node_name: str | None = NOOP) -> None:
        """Nominate the pod to ``node_name`` (NOOP: to its status.nominatedNodeName; "": to nothing)."""
        self.delete_nominated_pod_if_exists(pod_info.pod)
        if node_name is NOOP:
            node_name = nominated_node_name(pod_info.pod)
        if not node_name:
            return
        if self.pod_getter is not None:  # a pod that is gone, or already bound, is not nominated
            meta = pod_info.pod.get("metadata") or {}
            current = self.pod_getter(meta.get("name", ""), meta.get("namespace"))
            if current is None or (current.get("spec") or {}).get("nodeName"):
                return
        self.nominated_pod_to_node[pod_info.key] = node_name
        self.nominated_pods.setdefault(node_name, []).append(pod_info)

    def delete_nominated_pod_if_exists(self, pod: dict) -> None:
        if not self.nominated_pod_to_node:  # nothing nominated (the usual case): nothing to look up
            return
        key = _key(pod)
        node_name = self.nominated_pod_to_node.pop(key, None)
        if node_name is None:
            return
        remaining = [p for p in self.nominated_pods.get(node_name, ()) if p.key != key]
        if remaining:
            self.nominated_pods[node_name] = remaining
        else:
            self.nominated_pods.pop(node_name, None)

    def update_nominated_pod(self, old_pod: dict, new_pod_info: Any) -> None:
        """A newer version of a nominated pod: keep its in-memory nomination unless the status changed it."""
        node_name = NOOP
        if not nominated_node_name(old_pod) and not nominated_node_name(new_pod_info.pod):
            node_name = self.nominated_pod_to_node.get(_key(old_pod), NOOP)
        self.delete_nominated_pod_if_exists(old_pod)
        self.add_nominated_pod(new_pod_info, node_name)
