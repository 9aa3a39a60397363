"""Validation of PersistentVolumes and PersistentVolumeClaims, as the API server checks them.

A volume needs an access mode, a ``storage`` capacity and exactly one volume source; a ``local``
volume also needs node affinity (the scheduler must know which node holds the disk):

>>> pv = {"metadata": {"name": "pv0"}, "spec": {"accessModes": ["ReadWriteOnce"],
...       "capacity": {"storage": "1Gi"}, "local": {"path": "/mnt/disks/ssd1"}}}
>>> [e.error() for e in validate_persistent_volume(pv)]
['spec.nodeAffinity: Required value: Local volume requires node affinity']

A claim's spec is fixed once created, except its volume name (set once, by the binder), a class
given to a claim that had none (the retroactive default class), and a bound claim's storage request:

>>> old = {"metadata": {"name": "data", "namespace": "default", "resourceVersion": "5"},
...        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
...        "status": {"phase": "Pending"}}
>>> new = {**old, "spec": {**old["spec"], "accessModes": ["ReadWriteMany"]}}
>>> [e.error() for e in validate_persistent_volume_claim_update(new, old)]
['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims']

Simplified: the ``cmp.Diff`` of the two specs that upstream appends to the immutability errors is
left out; a volume source that has a PersistentVolume-only variant upstream (iscsi, rbd, cephfs,
cinder, azureFile, flexVolume, scaleIO, storageos, csi, glusterfs) is checked as the pod volume's
source; a capacity that is not just ``storage`` is shown without its quantities' Go internals; a
status update checks the metadata only (no capacity or allocatedResources rules).

Upstream: pkg/apis/core/validation/validation.go (ValidatePersistentVolume, ValidatePersistentVolumeSpec,
validateVolumeNodeAffinity, validateLocalVolumeSource, ValidatePersistentVolumeUpdate,
ValidatePersistentVolumeStatusUpdate, ValidatePersistentVolumeClaim, ValidatePersistentVolumeClaimUpdate,
validateStorageClassUpgradeFromNil, ValidatePersistentVolumeClaimStatusUpdate)
"""

from __future__ import annotations

import math
import posixpath
from typing import Any

from k8slearn.api import field, storage_class
from k8slearn.api.field import FieldError, GoValue, Path
from k8slearn.api.names import name_is_dns_subdomain
from k8slearn.api.quantity import parse_quantity
from k8slearn.api.validation.common import (as_dict, as_list, validate_immutable, validate_object_meta,
                                            validate_object_meta_update)
from k8slearn.api.validation.persistent_volume_claim import ACCESS_MODES, VOLUME_MODES, validate_persistent_volume_claim_spec
from k8slearn.api.validation.scheduling import _node_selector_term
from k8slearn.api.validation.volumes import path_no_backsteps, validate_volume_source

RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"]  # (sets.List: sorted)
BETA_STORAGE_CLASS_ANNOTATION = storage_class.BETA_STORAGE_CLASS_ANNOTATION
# ValidatePersistentVolumeSpec's sources, in its order: (JSON key, the path upstream reports the
# source's own errors at; the "more than 1 volume type" error names the JSON key).
PERSISTENT_VOLUME_SOURCES = [
    ("hostPath", "hostPath"), ("gcePersistentDisk", "persistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"), ("glusterfs", "glusterfs"), ("flocker", "flocker"),
    ("nfs", "nfs"), ("rbd", "rbd"), ("quobyte", "quobyte"), ("cephfs", "cephfs"), ("iscsi", "iscsi"),
    ("cinder", "cinder"), ("fc", "fc"), ("flexVolume", "flexVolume"), ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"), ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"), ("azureDisk", "azureDisk"), ("scaleIO", "scaleIO"), ("local", "local"),
    ("storageos", "storageos"), ("csi", "csi"),
]
CLAIM_SPEC_IMMUTABLE = ("spec is immutable after creation except resources.requests and volumeAttributesClassName "
                        "for bound claims")


# --- PersistentVolume -------------------------------------------------------------------------

def _go_resource_list(capacity: Any) -> GoValue:
    """%#v of a core.ResourceList (nil, empty, or its names only: see the module's Simplified)."""
    if capacity is None:
        return GoValue("core.ResourceList(nil)")
    names = ", ".join(f'"{name}":resource.Quantity{{...}}' for name in sorted(as_dict(capacity)))
    return GoValue(f"core.ResourceList{{{names}}}")


def _capacity(spec: dict, path: Path) -> list[FieldError]:
    """A capacity that is exactly ``storage``, a valid positive quantity."""
    capacity = spec.get("capacity")
    errs = [] if capacity else [field.required(path)]
    if "storage" not in as_dict(capacity) or len(as_dict(capacity)) > 1:
        errs.append(field.not_supported(path, _go_resource_list(capacity), ["storage"]))
    for name, value in sorted(as_dict(capacity).items()):
        quantity = _quantity(value)
        if quantity is None:
            continue  # (decoding refuses it first)
        if quantity.amount < 0:  # validateBasicResource: Quantity.Value(), rounded up
            errs.append(field.invalid(path.key(name), math.ceil(quantity.amount), "must be a valid resource quantity"))
        if quantity.amount <= 0:  # ValidatePositiveQuantityValue
            errs.append(field.invalid(path.key(name), str(quantity), "must be greater than zero"))
    return errs


def _access_modes(modes: list, path: Path, required_detail: str = "") -> list[FieldError]:
    errs = [] if modes else [field.required(path, required_detail)]
    errs += [field.not_supported(path, m, ACCESS_MODES) for m in modes if m not in ACCESS_MODES]
    if "ReadWriteOncePod" in modes and any(m in ACCESS_MODES and m != "ReadWriteOncePod" for m in modes):
        errs.append(field.forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return errs


def _volume_node_affinity(affinity: Any, path: Path) -> list[FieldError]:
    """validateVolumeNodeAffinity: a ``required`` node selector with at least one term."""
    required = as_dict(affinity).get("required")
    if required is None:
        return [field.required(path.child("required"), "must specify required node constraints")]
    terms_path = path.child("required", "nodeSelectorTerms")
    terms = as_list(as_dict(required).get("nodeSelectorTerms"))
    if not terms:
        return [field.required(terms_path, "must have at least one node selector term")]
    return [e for i, term in enumerate(terms) for e in _node_selector_term(term, terms_path.index(i))]


def _local(source: dict, path: Path) -> list[FieldError]:
    """validateLocalVolumeSource: a path without ``..``."""
    if not source.get("path"):
        return [field.required(path.child("path"))]
    return path_no_backsteps(str(source["path"]), path.child("path"))


def _volume_sources(spec: dict, path: Path, node_affinity_set: bool) -> list[FieldError]:
    """Exactly one source, checked; a second one is forbidden."""
    errs: list[FieldError] = []
    count = 0
    for key, report_as in PERSISTENT_VOLUME_SOURCES:
        if spec.get(key) is None:
            continue
        if count and key != "flexVolume":  # (upstream forgot the check for flexVolume)
            errs.append(field.forbidden(path.child(key), "may not specify more than 1 volume type"))
            continue
        count += 1
        if key == "local":
            errs += _local(as_dict(spec[key]), path.child(report_as))
            if not node_affinity_set:
                errs.append(field.required(path.child("nodeAffinity"), "Local volume requires node affinity"))
        else:
            errs += validate_volume_source(key, spec[key], path.child(report_as))
    if not count:
        errs.append(field.required(path, "must specify a volume type"))
    return errs


def validate_persistent_volume_spec(spec: dict, path: Path) -> list[FieldError]:
    """ValidatePersistentVolumeSpec, in upstream's order."""
    errs = _access_modes(as_list(spec.get("accessModes")), path.child("accessModes"))
    errs += _capacity(spec, path.child("capacity"))
    policy = spec.get("persistentVolumeReclaimPolicy")
    if policy and policy not in RECLAIM_POLICIES:
        errs.append(field.not_supported(path.child("persistentVolumeReclaimPolicy"), policy, RECLAIM_POLICIES))
    affinity = spec.get("nodeAffinity")
    if affinity is not None:
        errs += _volume_node_affinity(affinity, path.child("nodeAffinity"))
    errs += _volume_sources(spec, path, affinity is not None)
    host_path = as_dict(spec.get("hostPath"))
    if host_path and posixpath.normpath(str(host_path.get("path") or ".")) == "/" and policy == "Recycle":
        errs.append(field.forbidden(path.child("persistentVolumeReclaimPolicy"),
                                    "may not be 'recycle' for a hostPath mount of '/'"))
    class_name = spec.get("storageClassName")
    if class_name:
        errs += [field.invalid(path.child("storageClassName"), class_name, m) for m in name_is_dns_subdomain(class_name)]
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        errs.append(field.not_supported(path.child("volumeMode"), mode, VOLUME_MODES))
    return errs


def validate_persistent_volume(pv: dict) -> list[FieldError]:
    """ValidatePersistentVolume: cluster-scoped metadata with a DNS subdomain name, then the spec."""
    errs = validate_object_meta(pv.get("metadata"), name_is_dns_subdomain, namespaced=False)
    return errs + validate_persistent_volume_spec(as_dict(pv.get("spec")), Path("spec"))


def _source(spec: dict) -> dict:
    return {key: spec[key] for key, _ in PERSISTENT_VOLUME_SOURCES if spec.get(key) is not None}


def validate_persistent_volume_update(new: dict, old: dict) -> list[FieldError]:
    """The strategy's ValidateUpdate: the metadata update, the volume, then ValidatePersistentVolumeUpdate
    (its source, volume mode and node affinity are fixed once set)."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata")) + validate_persistent_volume(new)
    spec, old_spec = as_dict(new.get("spec")), as_dict(old.get("spec"))
    if _source(spec) != _source(old_spec):
        errs.append(field.forbidden(Path("spec").child("persistentvolumesource"),
                                    "spec.persistentvolumesource is immutable after creation"))
    errs += validate_immutable(spec.get("volumeMode"), old_spec.get("volumeMode"), Path("volumeMode"))
    if old_spec.get("nodeAffinity") is not None:
        errs += validate_immutable(spec.get("nodeAffinity"), old_spec["nodeAffinity"], Path("nodeAffinity"),
                                   lambda _: GoValue("core.VolumeNodeAffinity{...}"))
    return errs


def validate_persistent_volume_status_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePersistentVolumeStatusUpdate: the metadata update only."""
    return validate_object_meta_update(new.get("metadata"), old.get("metadata"))


# --- PersistentVolumeClaim --------------------------------------------------------------------

def validate_persistent_volume_claim(pvc: dict) -> list[FieldError]:
    """ValidatePersistentVolumeClaim: namespaced metadata with a DNS subdomain name, then the spec."""
    errs = validate_object_meta(pvc.get("metadata"), name_is_dns_subdomain)
    return errs + validate_persistent_volume_claim_spec(as_dict(pvc.get("spec")), Path("spec"))


def _annotation(obj: dict, key: str) -> Any:
    return as_dict(as_dict(obj.get("metadata")).get("annotations")).get(key)


def _class_upgrade_from_nil(old: dict, new_class: Any) -> bool:
    """validateStorageClassUpgradeFromNil: a claim with no class (and no beta annotation) may be given one."""
    return (_annotation(old, BETA_STORAGE_CLASS_ANNOTATION) is None and as_dict(old.get("spec")).get("storageClassName")
            is None and bool(new_class))


def _storage(spec: dict) -> Any:
    return as_dict(as_dict(spec.get("resources")).get("requests")).get("storage")


def _quantity(value: Any) -> Any:
    try:
        return parse_quantity(value) if value is not None else None
    except ValueError:
        return None


def validate_persistent_volume_claim_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePersistentVolumeClaimUpdate: what of the spec may change, and the size may not shrink."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata")) + validate_persistent_volume_claim(new)
    spec, old_spec = dict(as_dict(new.get("spec"))), dict(as_dict(old.get("spec")))
    if not old_spec.get("volumeName"):  # (volumeName changes are allowed once)
        old_spec["volumeName"] = spec.get("volumeName")
    errs += validate_immutable(_annotation(new, BETA_STORAGE_CLASS_ANNOTATION) or "",
                               _annotation(old, BETA_STORAGE_CLASS_ANNOTATION) or "",
                               Path("metadata").child("annotations", BETA_STORAGE_CLASS_ANNOTATION))
    if _class_upgrade_from_nil(old, spec.get("storageClassName")):
        spec["storageClassName"] = old_spec.get("storageClassName")
    if as_dict(new.get("status")).get("phase") == "Bound" and as_dict(spec.get("resources")).get("requests") is not None:
        resources = spec["resources"] = dict(spec["resources"])
        resources["requests"] = {**resources["requests"], "storage": _storage(old_spec)}
    spec["volumeAttributesClassName"] = old_spec.get("volumeAttributesClassName")
    old_spec["volumeAttributesClassName"] = old_spec.get("volumeAttributesClassName")
    if {k: v for k, v in spec.items() if v is not None} != {k: v for k, v in old_spec.items() if v is not None}:
        errs.append(field.forbidden(Path("spec"), CLAIM_SPEC_IMMUTABLE))
    new_size, old_size = _quantity(_storage(as_dict(new.get("spec")))), _quantity(_storage(as_dict(old.get("spec"))))
    if new_size is not None and old_size is not None and new_size.amount < old_size.amount:
        errs.append(field.forbidden(Path("spec").child("resources", "requests", "storage"),
                                    "field can not be less than previous value"))
    errs += validate_immutable(as_dict(new.get("spec")).get("volumeMode"), as_dict(old.get("spec")).get("volumeMode"),
                               Path("volumeMode"))
    return errs


def validate_persistent_volume_claim_status_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePersistentVolumeClaimStatusUpdate, its metadata part."""
    return validate_object_meta_update(new.get("metadata"), old.get("metadata"))
