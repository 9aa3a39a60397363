"""Validation of a PersistentVolumeClaim template: what an ``ephemeral`` volume's
``volumeClaimTemplate`` must hold before the API server stores the pod.

The claim's metadata may carry labels and annotations only (the ephemeral volume controller
names the claim ``<pod>-<volume>``); its spec needs an access mode and a storage request:

>>> for e in validate_ephemeral_volume_source({"volumeClaimTemplate": {"spec": {}}}, Path("ephemeral")):
...     print(e.error())
ephemeral.volumeClaimTemplate.spec.accessModes: Required value: at least 1 access mode is required
ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value

Simplifies: no volumeAttributesClassName check (its feature gate is off in v1.32); a
``dataSource`` and ``dataSourceRef`` are checked one by one, not against each other.

Upstream: pkg/apis/core/validation/validation.go (validateEphemeralVolumeSource,
ValidatePersistentVolumeClaimTemplate, ValidateTemplateObjectMeta, validateFieldAllowList,
ValidatePersistentVolumeClaimSpec, validateDataSource, validateDataSourceRef)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.field import FieldError, Path
from k8slearn.api.names import is_dns1123_subdomain, name_is_dns_subdomain
from k8slearn.api.quantity import parse_quantity
from k8slearn.api.validation.common import (
    as_dict,
    as_list,
    validate_annotations,
    validate_label_selector,
    validate_labels,
)

ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]  # (sets.List: sorted)
VOLUME_MODES = ["Block", "Filesystem"]
# ObjectMeta's fields in Go order, as validateFieldAllowList names them (first letter lowered).
TEMPLATE_META_FORBIDDEN = [("name", "name"), ("generateName", "generateName"), ("namespace", "namespace"),
                           ("selfLink", "selfLink"), ("uid", "uID"), ("resourceVersion", "resourceVersion"),
                           ("generation", "generation"), ("creationTimestamp", "creationTimestamp"),
                           ("deletionTimestamp", "deletionTimestamp"),
                           ("deletionGracePeriodSeconds", "deletionGracePeriodSeconds"),
                           ("ownerReferences", "ownerReferences"), ("finalizers", "finalizers"),
                           ("managedFields", "managedFields")]


def validate_ephemeral_volume_source(source: Any, path: Path) -> list[FieldError]:
    """validateEphemeralVolumeSource: a claim template, valid as ValidatePersistentVolumeClaimTemplate says."""
    template = as_dict(source).get("volumeClaimTemplate")
    if template is None:
        return [field.required(path.child("volumeClaimTemplate"))]
    return validate_persistent_volume_claim_template(as_dict(template), path.child("volumeClaimTemplate"))


def validate_persistent_volume_claim_template(template: dict, path: Path) -> list[FieldError]:
    """ValidatePersistentVolumeClaimTemplate: its metadata, then its claim spec."""
    errs = validate_template_object_meta(as_dict(template.get("metadata")), path.child("metadata"))
    return errs + validate_persistent_volume_claim_spec(as_dict(template.get("spec")), path.child("spec"))


def _is_set(value: Any) -> bool:
    """Not Go's zero value: a JSON list is set even when empty (it decodes to a non-nil slice)."""
    return isinstance(value, list) or value not in (None, "", 0, {})


def validate_template_object_meta(meta: dict, path: Path) -> list[FieldError]:
    """ValidateTemplateObjectMeta: valid annotations and labels, and no other metadata field."""
    errs = validate_annotations(meta.get("annotations"), path.child("annotations"))
    errs += validate_labels(meta.get("labels"), path.child("labels"))
    return errs + [field.forbidden(path.child(go_name), "cannot be set")
                   for key, go_name in TEMPLATE_META_FORBIDDEN if _is_set(meta.get(key))]


def validate_persistent_volume_claim_spec(spec: dict, path: Path) -> list[FieldError]:
    """ValidatePersistentVolumeClaimSpec, in upstream's order."""
    modes = as_list(spec.get("accessModes"))
    errs = [] if modes else [field.required(path.child("accessModes"), "at least 1 access mode is required")]
    if spec.get("selector") is not None:
        errs += validate_label_selector(spec["selector"], path.child("selector"))
    errs += [field.not_supported(path.child("accessModes"), m, ACCESS_MODES)
             for m in modes if m not in ACCESS_MODES]
    if "ReadWriteOncePod" in modes and any(m in ACCESS_MODES and m != "ReadWriteOncePod" for m in modes):
        errs.append(field.forbidden(path.child("accessModes"),
                                    "may not use ReadWriteOncePod with other access modes"))
    errs += _storage_request(spec, path.child("resources").key("storage"))
    class_name = spec.get("storageClassName")
    if class_name:
        errs += [field.invalid(path.child("storageClassName"), class_name, m)
                 for m in name_is_dns_subdomain(class_name)]
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        errs.append(field.not_supported(path.child("volumeMode"), mode, VOLUME_MODES))
    for key in ("dataSource", "dataSourceRef"):
        if spec.get(key) is not None:
            errs += _data_source(as_dict(spec[key]), path.child(key))
    return errs


def _storage_request(spec: dict, path: Path) -> list[FieldError]:
    """resources.requests.storage is required and greater than zero (reported at ``resources[storage]``)."""
    requests = as_dict(as_dict(spec.get("resources")).get("requests"))
    if "storage" not in requests:
        return [field.required(path)]
    try:
        quantity = parse_quantity(requests["storage"])
    except ValueError:
        return []  # (decoding refuses it first)
    if quantity.amount <= 0:
        return [field.invalid(path, str(quantity), "must be greater than zero")]
    return []


def _data_source(ref: dict, path: Path) -> list[FieldError]:
    """validateDataSource / validateDataSourceRef: a name and a kind; a claim, or an object of a
    named API group."""
    errs = [field.required(path.child(k)) for k in ("name", "kind") if not ref.get(k)]
    group, kind = ref.get("apiGroup") or "", ref.get("kind") or ""
    if not group and kind != "PersistentVolumeClaim":
        errs.append(field.invalid(path, kind,
                                  "must be 'PersistentVolumeClaim' when referencing the default apiGroup"))
    if group:
        errs += [field.invalid(path.child("apiGroup"), group, m) for m in is_dns1123_subdomain(group)]
    return errs
