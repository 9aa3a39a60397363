"""podgc: the pod garbage collector of kube-controller-manager.

When a Node object is deleted, the pods bound to it can never run again, and no kubelet is left
to finish them; the same holds for a pod bound to a node that never existed. After a 40 s
quarantine (the node might come back, or register late), this controller marks each of
them ``Failed`` with the condition ``DisruptionTarget`` (reason ``DeletionByPodGC``, message
"PodGC: node no longer exists"), then force-deletes it (grace period 0), so its controller can
replace it elsewhere.

Simplified: only pods of missing nodes (upstream also cleans up terminated pods above a
threshold, and unscheduled terminating pods), found when the pod or the node changes rather than
by a scan every 20 s (so the quarantine starts up to 20 s earlier); the status is written with a strategic merge patch
of the changed fields, without upstream's UID precondition.

Upstream: pkg/controller/podgc/gc_controller.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import timestamp
from k8slearn.api.pod_conditions import update_pod_condition
from k8slearn.controllers.base import Controller


class PodGCController(Controller):
    """podgc: force-delete pods whose node object is gone or never was (after a 40 s quarantine)."""

    name = "pod-garbage-collector"
    QUARANTINE = 40.0

    def __init__(self, loop: Any, client: Any, informers: Any = None, gc_period: float = 20.0) -> None:
        super().__init__(loop, client, informers)
        self.gc_period = gc_period
        self.pod_informer = self.informers.informer("pods")
        self.node_informer = self.informers.informer("nodes")
        if "spec.nodeName" not in self.pod_informer.indexer.indexers:
            self.pod_informer.add_indexers({"spec.nodeName": lambda p: [p["spec"].get("nodeName") or ""]})
        self.node_informer.add_event_handler(on_delete=self._node_deleted)
        self.pod_informer.add_event_handler(on_add=self._pod_seen, on_update=lambda old, new: self._pod_seen(new))

    def _node_deleted(self, node: dict) -> None:
        self.queue.add_after(node["metadata"]["name"], self.QUARANTINE)

    def _pod_seen(self, pod: dict) -> None:
        """gcOrphaned's scan: a pod bound to a node the cluster does not know puts that node in
        quarantine too (a pod created with ``spec.nodeName`` of a node that never existed)."""
        node = pod["spec"].get("nodeName")
        if node and self.node_informer.lister.get(node) is None:
            self.queue.add_after(node, self.QUARANTINE)

    def sync(self, node_name: str) -> None:
        """gcOrphaned: the node is still gone after the quarantine → delete its pods (grace 0)."""
        if self.node_informer.lister.get(node_name) is not None:
            return
        for pod in self.pod_informer.lister.by_index("spec.nodeName", node_name):
            condition = {"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                         "lastTransitionTime": timestamp(self.loop.now), "reason": "DeletionByPodGC",
                         "message": "PodGC: node no longer exists"}
            try:
                self.mark_failed_and_delete_pod_with_condition(pod, condition)
            except ApiError as err:
                if err.code != 404:
                    raise

    def mark_failed_and_delete_pod_with_condition(self, pod: dict, condition: dict) -> None:
        """A pod not yet terminal is patched to ``Failed`` with ``condition`` (no kubelet is left to
        do it), then deleted at once."""
        name, namespace = pod["metadata"]["name"], pod["metadata"]["namespace"]
        status = pod.get("status") or {}
        if status.get("phase") not in ("Succeeded", "Failed"):
            # UpdatePodCondition on a copy: a condition that was already True keeps its transition time
            update_pod_condition([dict(c) for c in status.get("conditions") or ()], condition)
            self.client.patch("pods", name, {"status": {"phase": "Failed", "conditions": [condition]}}, namespace,
                              subresource="status")
        self.client.delete("pods", name, namespace, grace_period_seconds=0)
