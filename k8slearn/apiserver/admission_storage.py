"""The storage admission plugins: a claim's default StorageClass, and the finalizers that keep a
claim or volume in use from disappearing.

``DefaultStorageClass`` gives a new PersistentVolumeClaim that names no class the cluster's default
one: the StorageClass annotated ``storageclass.kubernetes.io/is-default-class: "true"`` (the newest,
if several are). A kubeadm cluster has none, so a claim without ``storageClassName`` keeps none, and
only a PersistentVolume without a class can bind it. ``storageClassName: ""`` names "no class" on
purpose and is left alone.

``StorageObjectInUseProtection`` adds the ``kubernetes.io/pvc-protection`` finalizer to each new
claim and ``kubernetes.io/pv-protection`` to each new volume: deleting one then only marks it
(``Terminating``) until the PVC protection controller sees no pod using the claim, or the PV
protection controller sees the volume bound to no claim, and removes the finalizer.

>>> from k8slearn.apiserver.admission import Attributes, Lister
>>> claim = {"metadata": {"name": "data"}, "spec": {}}
>>> storage_object_in_use_protection(Attributes("CREATE", "persistentvolumeclaims", "default", claim), Lister())
>>> claim["metadata"]["finalizers"]
['kubernetes.io/pvc-protection']
>>> gold = {"metadata": {"name": "gold", "creationTimestamp": "2026-01-05T09:00:00Z",
...         "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}}
>>> default_storage_class(Attributes("CREATE", "persistentvolumeclaims", "default", claim),
...                       Lister({"storageclasses": [gold]}))
>>> claim["spec"]["storageClassName"]
'gold'

Simplified: no PersistentVolumeClaimResize (a claim's size cannot grow without a class that allows
expansion, which validation refuses anyway for an unbound claim).

Upstream: plugin/pkg/admission/storage/storageclass/setdefault/admission.go (claimDefaulterPlugin.Admit),
plugin/pkg/admission/storage/storageobjectinuseprotection/admission.go
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slearn.api.storage_class import claim_has_class, get_default_class

if TYPE_CHECKING:  # (admission imports this module: only for the type names)
    from k8slearn.apiserver.admission import Attributes, Lister

PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection"
PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection"


def default_storage_class(attrs: Attributes, lister: Lister) -> None:
    """DefaultStorageClass: a new claim naming no class gets the default class, if there is one."""
    if attrs.operation != "CREATE" or attrs.resource != "persistentvolumeclaims" or attrs.subresource:
        return
    claim = attrs.obj
    if claim_has_class(claim):
        return
    default = get_default_class(lister.list("storageclasses"))
    if default is not None:
        claim.setdefault("spec", {})["storageClassName"] = default["metadata"]["name"]


PROTECTION_FINALIZERS = {"persistentvolumeclaims": PVC_PROTECTION_FINALIZER,
                         "persistentvolumes": PV_PROTECTION_FINALIZER}


def storage_object_in_use_protection(attrs: Attributes, lister: Lister) -> None:
    """StorageObjectInUseProtection: a new claim or volume carries its protection finalizer."""
    finalizer = PROTECTION_FINALIZERS.get(attrs.resource)
    if attrs.operation != "CREATE" or finalizer is None or attrs.subresource:
        return
    meta = attrs.obj.setdefault("metadata", {})
    finalizers = meta.get("finalizers") or []
    if finalizer not in finalizers:
        meta["finalizers"] = [*finalizers, finalizer]
