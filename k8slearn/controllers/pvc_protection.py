"""pvc-protection: a claim in use by a pod is not deleted until no pod uses it.

The API server's admission (StorageObjectInUseProtection) puts the finalizer
``kubernetes.io/pvc-protection`` on every new claim, so ``kubectl delete pvc`` only marks it
(``deletionTimestamp``: ``kubectl get pvc`` shows ``Terminating``). This controller removes the
finalizer once no scheduled pod names the claim; then the claim is really deleted::

    kubectl delete pvc www-web-0 --wait=false     # Terminating: pod web-0 still mounts it
    kubectl delete pod web-0                      # ... the claim goes away with it

A claim without the finalizer and not being deleted gets it (claims older than the admission
plugin).

Simplified: the pods are read from the informer cache only (upstream asks the API server too
when the cache says "unused", in case it is behind); generic ephemeral volumes' claims are
matched by name only.

Upstream: pkg/controller/volume/pvcprotection/pvc_protection_controller.go (processPVC,
isBeingUsed, podUsesPVC, removeFinalizer, addFinalizer, podAddedDeletedUpdated)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.meta import thaw
from k8slearn.api.volume_claims import volume_claim_name
from k8slearn.client.cache import split_key
from k8slearn.controllers.base import Controller

PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection"


def is_deletion_candidate(obj: dict, finalizer: str) -> bool:
    """protectionutil.IsDeletionCandidate: being deleted and still holding ``finalizer``."""
    meta = obj["metadata"]
    return bool(meta.get("deletionTimestamp")) and finalizer in (meta.get("finalizers") or ())


def need_to_add_finalizer(obj: dict, finalizer: str) -> bool:
    """protectionutil.NeedToAddFinalizer: not being deleted and without ``finalizer``."""
    meta = obj["metadata"]
    return not meta.get("deletionTimestamp") and finalizer not in (meta.get("finalizers") or ())


def add_finalizer(client: Any, obj: dict, finalizer: str) -> dict:
    updated = thaw(obj)
    updated["metadata"]["finalizers"] = [*(updated["metadata"].get("finalizers") or ()), finalizer]
    return client.update(updated)


def remove_finalizer(client: Any, obj: dict, finalizer: str) -> dict:
    updated = thaw(obj)
    updated["metadata"]["finalizers"] = [f for f in updated["metadata"].get("finalizers") or () if f != finalizer]
    return client.update(updated)


def pod_uses_pvc(pod: dict, claim_name: str) -> bool:
    """podUsesPVC: a pod already scheduled (the kubelet may be mounting it) names the claim."""
    if not pod["spec"].get("nodeName"):
        return False
    for volume in pod["spec"].get("volumes") or ():
        claim = volume_claim_name(pod, volume)
        if claim is not None and claim[0] == claim_name:
            return True
    return False


class PVCProtectionController(Controller):
    """Removes ``kubernetes.io/pvc-protection`` from deleted claims no scheduled pod uses."""

    name = "pvc-protection"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.claim_informer = self.informers.informer("persistentvolumeclaims")
        self.pod_informer = self.informers.informer("pods")
        self.claim_informer.add_event_handler(on_add=self._claim_changed,
                                              on_update=lambda old, new: self._claim_changed(new))
        self.pod_informer.add_event_handler(on_add=self._pod_changed,
                                            on_update=lambda old, new: self._pod_changed(new),
                                            on_delete=lambda pod: self._pod_changed(pod, deleted=True))

    def _claim_changed(self, claim: dict) -> None:
        """pvcAddedUpdated: only claims that need the finalizer added or removed."""
        if need_to_add_finalizer(claim, PVC_PROTECTION_FINALIZER) or is_deletion_candidate(
                claim, PVC_PROTECTION_FINALIZER):
            self.enqueue(claim)

    def _pod_changed(self, pod: dict, deleted: bool = False) -> None:
        """podAddedDeletedUpdated (enqueuePVCs): a pod deleted, finished or not yet scheduled may
        free the claims it names; a running scheduled pod cannot."""
        terminated = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
        if not deleted and not terminated and pod["spec"].get("nodeName"):
            return
        namespace = pod["metadata"]["namespace"]
        for volume in pod["spec"].get("volumes") or ():
            claim = volume_claim_name(pod, volume)
            if claim is not None:
                self.queue.add(f"{namespace}/{claim[0]}")

    def sync(self, key: str) -> None:
        """processPVC."""
        namespace, name = split_key(key)
        claim = self.claim_informer.lister.get(name, namespace)
        if claim is None:
            return
        if is_deletion_candidate(claim, PVC_PROTECTION_FINALIZER):
            if not self.is_being_used(claim):
                remove_finalizer(self.client, claim, PVC_PROTECTION_FINALIZER)
                return
            self.loop.record(self.name, "keep", f"persistentvolumeclaim/{key}",
                             "Keeping PVC because it is being used")
        if need_to_add_finalizer(claim, PVC_PROTECTION_FINALIZER):
            add_finalizer(self.client, claim, PVC_PROTECTION_FINALIZER)

    def is_being_used(self, claim: dict) -> bool:
        """isBeingUsed: some scheduled pod in the claim's namespace names it (even one that has
        finished: only its deletion frees the claim)."""
        name = claim["metadata"]["name"]
        return any(pod_uses_pvc(pod, name) for pod in self.pod_informer.lister.list(claim["metadata"]["namespace"]))
