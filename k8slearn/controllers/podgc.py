"""podgc: the pod garbage collector of kube-controller-manager.

When a Node object is deleted, the pods bound to it can never run again, and no kubelet is left
to finish them; the same holds for a pod bound to a node that never existed. After a 40 s
quarantine (the node might come back, or register late), this controller marks each of
them ``Failed`` with the condition ``DisruptionTarget`` (reason ``DeletionByPodGC``, message
"PodGC: node no longer exists"), then force-deletes it (grace period 0), so its controller can
replace it elsewhere.

Every 20 s it also looks for pods stuck ``Terminating`` on a node that is shut down for good: a
pod with a ``deletionTimestamp`` whose node is not Ready and carries the
``node.kubernetes.io/out-of-service`` taint (the non-graceful node shutdown an administrator
declares with ``kubectl taint nodes N node.kubernetes.io/out-of-service=nodeshutdown:NoExecute``)
is patched to phase ``Failed`` (no condition) and then deleted with grace period 0, evicted
pods first, then the oldest.

Simplified: the terminated pods above ``--terminated-pod-gc-threshold`` (12500) and the
unscheduled terminating pods are not collected; orphaned pods are found when the pod or the node
changes rather than by the 20 s scan (so their quarantine starts up to 20 s earlier); the pods
of one pass are handled one after the other, in upstream's sort order, where upstream uses a
goroutine for each; the status is written with a strategic merge patch of the changed fields,
without upstream's UID precondition.

Upstream: pkg/controller/podgc/gc_controller.go (gc, gcTerminating, gcOrphaned,
markFailedAndDeletePodWithCondition, byEvictionAndCreationTimestamp)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import timestamp
from k8slearn.api.pod_conditions import update_pod_condition
from k8slearn.client.cache import meta_key
from k8slearn.controllers.base import Controller
from k8slearn.controllers.node_lifecycle_eviction import get_condition

OUT_OF_SERVICE = "node.kubernetes.io/out-of-service"  # the taint of a node shut down for good


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

    def run(self) -> None:
        super().run()
        self._processes.append(self.loop.spawn(self._gc_loop(), f"{self.name}-gc", periodic=True))

    def _gc_loop(self):
        """wait.UntilWithContext(gc, gcCheckPeriod): a pass at start, then every 20 s."""
        while True:
            self.gc_terminating()
            yield self.gc_period

    def gc_terminating(self) -> None:
        """gcTerminating: force-delete the terminating pods of nodes that are not Ready and carry
        the ``node.kubernetes.io/out-of-service`` taint (markFailedAndDeletePod: no condition)."""
        terminating = []
        for pod in self.pod_informer.lister.list():
            if not pod["metadata"].get("deletionTimestamp"):
                continue
            node = self.node_informer.lister.get(pod["spec"].get("nodeName") or "")
            if node is None:  # ("Failed to get node": left to gcOrphaned)
                continue
            if not _node_ready(node) and any(t.get("key") == OUT_OF_SERVICE
                                             for t in (node.get("spec") or {}).get("taints") or ()):
                terminating.append(pod)
        for pod in sorted(terminating, key=_eviction_and_creation_order):
            try:
                self.mark_failed_and_delete_pod_with_condition(pod, None)
            except ApiError as err:
                if err.code != 404:
                    self.loop.record(self.name, "error", meta_key(pod), str(err))

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

    def mark_failed_and_delete_pod_with_condition(self, pod: dict, condition: dict | None) -> None:
        """markFailedAndDeletePodWithCondition: a pod not yet terminal is first patched to
        ``Failed``, with ``condition`` if there is one (no kubelet is left to do it), then deleted
        with grace period 0."""
        name, namespace = pod["metadata"]["name"], pod["metadata"]["namespace"]
        status = pod.get("status") or {}
        if status.get("phase") not in ("Succeeded", "Failed"):
            patch: dict = {"phase": "Failed"}
            if condition is not None:
                # UpdatePodCondition on a copy: a condition already True keeps its transition time
                update_pod_condition([dict(c) for c in status.get("conditions") or ()], condition)
                patch["conditions"] = [condition]
            self.client.patch("pods", name, {"status": patch}, namespace, subresource="status")
        self.client.delete("pods", name, namespace, grace_period_seconds=0)


def _node_ready(node: dict) -> bool:
    """nodeutil.IsNodeReady: the node's Ready condition is True."""
    return (get_condition(node, "Ready") or {}).get("status") == "True"


def _eviction_and_creation_order(pod: dict) -> tuple:
    """byEvictionAndCreationTimestamp: evicted pods (Failed, reason Evicted) first, then the
    oldest, by name when created at the same time."""
    status = pod.get("status") or {}
    evicted = status.get("phase") == "Failed" and status.get("reason") == "Evicted"
    return (not evicted, pod["metadata"].get("creationTimestamp") or "", pod["metadata"]["name"])
