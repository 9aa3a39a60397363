"""The namespace controller: empties a namespace that is being deleted, then lets it go.

``kubectl delete namespace dev`` does not delete anything inside ``dev`` by itself. The API
server only marks the namespace: ``deletionTimestamp`` set, ``status.phase: Terminating``, and the
``kubernetes`` finalizer still in ``spec.finalizers`` keeps the object alive. This controller
sees that and, after a 5 s grace period (so every API server's NamespaceLifecycle admission
already refuses new content), makes passes over the namespace. Each pass deletes every
namespaced object in it (pods gracefully, so the kubelets stop their containers), then writes
what it found into the namespace's five deletion conditions: the resources left, the finalizers
those objects still carry (what keeps a namespace stuck in Terminating), and content that should
be gone but is not (``NamespaceDeletionContentFailure``). While pods are still within their
grace period it looks again after half of it; once nothing is left it calls the
``namespaces/finalize`` subresource without the ``kubernetes`` finalizer: only then (when no other
``spec.finalizers`` remain) does the API server remove the namespace.

Simplified: no discovery (it walks the built-in resource table, pods first, so the discovery and
group-version conditions always report success; v1.32 walks discovery's resources in Go map
order; only the OrderedNamespaceDeletion gate, off by default in v1.32, deletes pods first),
no DeleteCollection (it deletes one object at a time), and an object that still has a
``deletionTimestamp`` is not deleted again.

Upstream: pkg/controller/namespace/namespace_controller.go,
pkg/controller/namespace/deletion/namespaced_resources_deleter.go, status_condition_utils.go
"""

from __future__ import annotations

from dataclasses import dataclass, field

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import parse_timestamp, thaw, timestamp
from k8slearn.api.resources import RESOURCES, ResourceInfo
from k8slearn.client.workqueue import ItemExponentialFailureRateLimiter, WorkQueue
from k8slearn.controllers.base import Controller, Requeue

# namespaceDeletionGracePeriod: wait this long after a namespace event before a pass, so that
# every API server's admission has seen the deletion and etcd's last-moment creations are visible.
NAMESPACE_DELETION_GRACE_PERIOD = 5.0
# finalizerEstimateSeconds: how long to wait for content that only its finalizers keep.
FINALIZER_ESTIMATE_SECONDS = 15
FINALIZER_KUBERNETES = "kubernetes"  # v1.FinalizerKubernetes, the controller's finalizer token


@dataclass
class GVRDeletionMetadata:
    """gvrDeletionMetadata: what one resource type left behind after a pass."""

    finalizer_estimate_seconds: int = 0  # how much longer to wait; 0 does not mean "all gone"
    num_remaining: int = 0
    finalizers_to_num_remaining: dict[str, int] = field(default_factory=dict)
    graceful: bool = False  # (k8slearn) the estimate is pods' grace period, which kubelets will end


def gvr_string(info: ResourceInfo) -> str:
    """GroupVersionResource.String(): ``/v1, Resource=pods``, ``apps/v1, Resource=deployments``."""
    return f"{info.group}/{info.version}, Resource={info.plural}"


def remaining_message(counts: dict[str, int]) -> str:
    """The NamespaceContentRemaining message; ``counts`` is keyed by ``resource.group`` (gvr.Resource
    + "." + gvr.Group, so a core resource ends in a dot): ``Some resources are remaining:
    deployments.apps has 1 resource instances, pods. has 2 resource instances``."""
    parts = sorted(f"{resource} has {n} resource instances" for resource, n in counts.items() if n)
    return "Some resources are remaining: " + ", ".join(parts)


def finalizers_message(finalizers: dict[str, int]) -> str:
    """The NamespaceFinalizersRemaining message: ``Some content in the namespace has finalizers
    remaining: example.com/keep in 1 resource instances`` (each finalizer, sorted)."""
    parts = sorted(f"{finalizer} in {n} resource instances" for finalizer, n in finalizers.items() if n)
    return "Some content in the namespace has finalizers remaining: " + ", ".join(parts)


def delete_content_message(errors: list[str]) -> str:
    """makeDeleteContentCondition's message: ``Failed to delete all resource types, 1 remaining:
    unexpected items still remain in namespace: demo for gvr: /v1, Resource=pods``."""
    return f"Failed to delete all resource types, {len(errors)} remaining: " + ", ".join(sorted(errors))


def estimate_graceful_termination_for_pods(pods: list[dict]) -> int:
    """estimateGracefulTerminationForPods: the longest grace period of the pods not yet finished."""
    estimate = 0
    for pod in pods:
        if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            continue
        grace = (pod.get("spec") or {}).get("terminationGracePeriodSeconds")
        if grace is not None and grace > estimate:
            estimate = grace
    return estimate


def finalized(namespace: dict) -> bool:
    """finalized: no ``spec.finalizers`` left."""
    return not (namespace.get("spec") or {}).get("finalizers")


class NamespaceController(Controller):
    """Deletes what is left in a Terminating namespace, then finalizes it."""

    name = "namespace-controller"

    def __init__(self, loop, client, informers=None) -> None:
        super().__init__(loop, client, informers)
        # nsControllerRateLimiter: failed passes are retried at least every minute.
        self.queue = WorkQueue(loop, self.name, ItemExponentialFailureRateLimiter(0.005, 60.0))
        self.namespaces = self.informers.informer("namespaces")
        self.namespaces.add_event_handler(on_add=self.enqueue_namespace,
                                          on_update=lambda old, new: self.enqueue_namespace(new))

    def enqueue_namespace(self, namespace: dict) -> None:
        """enqueueNamespace: only a namespace being deleted, and only after the grace period."""
        if namespace["metadata"].get("deletionTimestamp"):
            self.queue.add_after(namespace["metadata"]["name"], NAMESPACE_DELETION_GRACE_PERIOD)

    def sync(self, key: str) -> None:
        """syncNamespaceFromKey + namespacedResourcesDeleter.Delete: read the namespace afresh,
        delete its content, and finalize it once nothing is left."""
        if self.namespaces.lister.get(key) is None:
            return
        try:
            namespace = self.client.get("namespaces", key)
        except ApiError as err:
            if err.code == 404:
                return
            raise
        if not namespace["metadata"].get("deletionTimestamp") or finalized(namespace):
            return
        estimate, graceful = self.delete_all_content(namespace)
        if estimate > 0:  # ResourcesRemainingError: look again after half the estimate
            # (pods end within their grace period; content that only finalizers hold, pods too,
            # may wait forever, so that wait does not keep settle() busy)
            self.queue.add_after(key, estimate // 2 + 1, background=not graceful)
            return
        self.finalize_namespace(namespace)

    def delete_all_content(self, namespace: dict) -> tuple[int, bool]:
        """deleteAllContent: one pass over every namespaced resource; updates the conditions and
        returns the estimate of seconds until the rest is gone, and whether that is pods' grace
        period. Raises Requeue (a rate-limited retry) when content remains that nothing is
        waiting for."""
        key = namespace["metadata"]["name"]
        deleted_at = parse_timestamp(namespace["metadata"]["deletionTimestamp"])
        estimate, graceful, errors = 0, False, []
        counts: dict[str, int] = {}  # gvrToNumRemaining, as "resource.group"
        finalizers: dict[str, int] = {}  # finalizersToNumRemaining, over every resource
        for info in RESOURCES.values():
            if not info.namespaced:
                continue
            meta, error = self.delete_all_content_for_resource(info, key, deleted_at)
            if error:
                errors.append(error)
            estimate = max(estimate, meta.finalizer_estimate_seconds)
            graceful = graceful or meta.graceful
            if meta.num_remaining:
                counts[f"{info.plural}.{info.group}"] = meta.num_remaining
                for finalizer, n in meta.finalizers_to_num_remaining.items():
                    finalizers[finalizer] = finalizers.get(finalizer, 0) + n
        self.update_conditions(namespace, counts, finalizers, errors)
        if errors:
            raise Requeue(f"deletion of namespace {key} failed: " + ", ".join(errors))
        if counts:
            self.loop.record(self.name, "wait", f"namespace/{key}", remaining_message(counts))
        return estimate, graceful

    def delete_all_content_for_resource(self, info: ResourceInfo, namespace: str,
                                        deleted_at: float) -> tuple[GVRDeletionMetadata, str]:
        """deleteAllContentForGroupVersionResource: estimate, delete each item, list what is left.
        Returns the metadata and an error message ("" if none)."""
        estimate = self.estimate_graceful_termination(info, namespace, deleted_at)
        for item in self.client.list(info.plural, namespace=namespace):
            if item["metadata"].get("deletionTimestamp"):
                continue
            try:
                self.client.delete(info.plural, item["metadata"]["name"], namespace,
                                   propagation_policy="Background")
            except ApiError as err:
                if err.code != 404:
                    raise
        left = self.client.list(info.plural, namespace=namespace)
        if not left:
            return GVRDeletionMetadata(), ""
        finalizers: dict[str, int] = {}
        for item in left:
            for finalizer in item["metadata"].get("finalizers") or ():
                finalizers[finalizer] = finalizers.get(finalizer, 0) + 1
        if estimate:
            return GVRDeletionMetadata(estimate, len(left), finalizers, graceful=True), ""
        if finalizers:  # a normal condition: give their owners (the GC, ...) time to finish
            return GVRDeletionMetadata(FINALIZER_ESTIMATE_SECONDS, len(left), finalizers), ""
        return (GVRDeletionMetadata(0, len(left)),
                f"unexpected items still remain in namespace: {namespace} for gvr: {gvr_string(info)}")

    def estimate_graceful_termination(self, info: ResourceInfo, namespace: str, deleted_at: float) -> int:
        """estimateGracefulTermination: for pods, their longest grace period, but 0 once that
        much time has passed since the namespace's deletion (the pods should be gone by now)."""
        if info.plural != "pods":
            return 0
        estimate = estimate_graceful_termination_for_pods(self.client.list("pods", namespace=namespace))
        return 0 if self.loop.now - deleted_at >= estimate else estimate

    def update_conditions(self, namespace: dict, counts: dict[str, int], finalizers: dict[str, int],
                          errors: list[str]) -> None:
        """ProcessContentTotals, ProcessDeleteContentErr, then namespaceConditionUpdater.Update: the
        five deletion conditions, each the failing variant when this pass found one, else its "ok"
        variant (False); written (UpdateStatus) when one changed."""
        failing = {}
        if counts:
            failing["NamespaceContentRemaining"] = ("True", "SomeResourcesRemain", remaining_message(counts))
        if finalizers:
            failing["NamespaceFinalizersRemaining"] = ("True", "SomeFinalizersRemain",
                                                       finalizers_message(finalizers))
        if errors:
            failing["NamespaceDeletionContentFailure"] = ("True", "ContentDeletionFailed",
                                                          delete_content_message(errors))
        update = thaw(namespace)
        conditions = update.setdefault("status", {}).setdefault("conditions", [])
        changed = False
        for kind in CONDITION_TYPES:
            status, reason, message = failing.get(kind, ("False", *OK_CONDITIONS[kind]))
            old = next((c for c in conditions if c.get("type") == kind), None)
            if old is None:
                conditions.append({"type": kind, "status": status,
                                   "lastTransitionTime": timestamp(self.loop.now),
                                   "reason": reason, "message": message})
                changed = True
            elif (old.get("status"), old.get("reason"), old.get("message")) != (status, reason, message):
                if old.get("status") != status:
                    old["lastTransitionTime"] = timestamp(self.loop.now)
                old.update(status=status, reason=reason, message=message)
                changed = True
        if not changed:
            return
        try:
            self.client.update_status(update)
        except ApiError as err:  # (upstream: HandleError, and the pass goes on)
            if err.code not in (404, 409):
                raise

    def finalize_namespace(self, namespace: dict) -> None:
        """finalizeNamespace: PUT namespaces/<name>/finalize with every finalizer but ours (sorted);
        with none left, the API server deletes the namespace."""
        key = namespace["metadata"]["name"]
        rest = sorted({f for f in namespace["spec"]["finalizers"] if f != FINALIZER_KUBERNETES})
        try:
            self.client.finalize_namespace(key, rest)
        except ApiError as err:
            if err.code != 404:  # removed already: life is good
                raise
        detail = "empty: finalizer kubernetes removed" + (f", {', '.join(rest)} remaining" if rest else "")
        self.loop.record(self.name, "finalize", f"namespace/{key}", detail)


# status_condition_utils.go: the conditions the deleter keeps, in order, and their "ok" variants.
CONDITION_TYPES = ("NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure",
                   "NamespaceDeletionContentFailure", "NamespaceContentRemaining", "NamespaceFinalizersRemaining")
OK_CONDITIONS = {
    "NamespaceDeletionDiscoveryFailure": ("ResourcesDiscovered", "All resources successfully discovered"),
    "NamespaceDeletionGroupVersionParsingFailure": ("ParsedGroupVersions", "All legacy kube types successfully parsed"),
    "NamespaceDeletionContentFailure": ("ContentDeleted",
                                        "All content successfully deleted, may be waiting on finalization"),
    "NamespaceContentRemaining": ("ContentRemoved", "All content successfully removed"),
    "NamespaceFinalizersRemaining": ("ContentHasNoFinalizers", "All content-preserving finalizers finished"),
}
