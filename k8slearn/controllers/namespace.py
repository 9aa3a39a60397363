"""The namespace controller: empties a namespace that is being deleted, then lets it go.

``kubectl delete namespace dev`` does not delete anything inside ``dev`` by itself. The API
server only marks the namespace: ``deletionTimestamp`` set, ``status.phase: Terminating``, and the
``kubernetes`` finalizer still in ``spec.finalizers`` keeps the object alive. This controller
sees that, deletes every namespaced object in it (pods gracefully, so the kubelets stop their
containers), reports what remains in the namespace's five deletion conditions (the "ok" variant,
``False``, of each that is not failing): the resources left, and the finalizers those objects
still carry (what keeps a namespace stuck in Terminating), and once nothing is left it
calls the ``namespaces/finalize`` subresource with an empty finalizer list: only then does the
API server remove the namespace.

Simplified: no discovery (it walks the built-in resource table), no DeleteCollection (it deletes
one object at a time), and the remaining-content estimate is a fixed 2 s recheck.

Upstream: pkg/controller/namespace/namespace_controller.go,
pkg/controller/namespace/deletion/namespaced_resources_deleter.go
"""

from __future__ import annotations

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import thaw, timestamp
from k8slearn.api.resources import RESOURCES
from k8slearn.controllers.base import Controller

RECHECK_SECONDS = 2.0


def remaining_message(counts: dict[str, int]) -> str:
    """The NamespaceContentRemaining message: ``Some resources are remaining: pods. has 2 resource instances``."""
    parts = [f"{plural}. has {n} resource instances" for plural, n in sorted(counts.items()) if n]
    return "Some resources are remaining: " + ", ".join(parts)


def finalizers_message(finalizers: dict[str, int]) -> str:
    """The NamespaceFinalizersRemaining message: ``Some content in the namespace has finalizers
    remaining: example.com/keep in 1 resource instances`` (each finalizer, sorted)."""
    parts = sorted(f"{finalizer} in {n} resource instances" for finalizer, n in finalizers.items() if n)
    return "Some content in the namespace has finalizers remaining: " + ", ".join(parts)


class NamespaceController(Controller):
    """Deletes what is left in a Terminating namespace, then finalizes it."""

    name = "namespace-controller"

    def __init__(self, loop, client, informers=None) -> None:
        super().__init__(loop, client, informers)
        self.namespaces = self.informers.informer("namespaces")
        self.namespaces.add_event_handler(on_add=self._maybe, on_update=lambda old, new: self._maybe(new))

    def _maybe(self, namespace: dict) -> None:
        if namespace["metadata"].get("deletionTimestamp"):
            self.enqueue(namespace)

    def sync(self, key: str) -> None:
        namespace = self.namespaces.lister.get(key)
        if namespace is None or not namespace["metadata"].get("deletionTimestamp"):
            return
        counts: dict[str, int] = {}
        finalizers: dict[str, int] = {}  # finalizersToNumRemaining, over every resource
        for info in RESOURCES.values():
            if not info.namespaced:
                continue
            items = self.client.list(info.plural, namespace=key)
            for item in items:
                if not item["metadata"].get("deletionTimestamp"):
                    try:
                        self.client.delete(info.plural, item["metadata"]["name"], key,
                                           propagation_policy="Background")
                    except ApiError as err:
                        if err.code != 404:
                            raise
            left = self.client.list(info.plural, namespace=key)
            if left:
                counts[info.plural] = len(left)
            for item in left:
                for finalizer in item["metadata"].get("finalizers") or ():
                    finalizers[finalizer] = finalizers.get(finalizer, 0) + 1
        if counts:
            self._report(namespace, counts, finalizers)
            self.loop.record(self.name, "wait", f"namespace/{key}", remaining_message(counts))
            self.queue.add_after(key, RECHECK_SECONDS)
            return
        self.client.finalize_namespace(key, [])
        self.loop.record(self.name, "finalize", f"namespace/{key}", "empty: finalizer kubernetes removed")

    def _report(self, namespace: dict, counts: dict[str, int], finalizers: dict[str, int]) -> None:
        """ProcessContentTotals, then namespaceConditionUpdater.Update: the five deletion conditions,
        each the failing variant when this pass found one, else its "ok" variant (False); written
        when one changed."""
        failing = {"NamespaceContentRemaining": ("True", "SomeResourcesRemain", remaining_message(counts))}
        if finalizers:
            failing["NamespaceFinalizersRemaining"] = ("True", "SomeFinalizersRemain",
                                                       finalizers_message(finalizers))
        update = thaw(namespace)
        conditions = update["status"].setdefault("conditions", [])
        changed = False
        for kind in CONDITION_TYPES:
            status, reason, message = failing.get(kind, ("False", *OK_CONDITIONS[kind]))
            old = next((c for c in conditions if c.get("type") == kind), None)
            if old is None:
                conditions.append({"type": kind, "status": status, "lastTransitionTime": timestamp(self.loop.now),
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
        except ApiError as err:
            if err.code not in (404, 409):
                raise


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
