"""Validation of the small kinds from other groups: Lease (coordination.k8s.io), PriorityClass
(scheduling.k8s.io) and EndpointSlice (discovery.k8s.io).

>>> pc = {"kind": "PriorityClass", "metadata": {"name": "high"}, "value": 2000000000}
>>> validate_priority_class(pc)[0].error()
'value: Forbidden: maximum allowed value of a user defined priority is 1000000000'

Simplifies: Lease strategies (coordinated leader election) and EndpointSlice endpoint details
(topology hints, conditions) are not validated.

Upstream: pkg/apis/coordination/validation/validation.go, pkg/apis/scheduling/validation/validation.go,
pkg/apis/discovery/validation/validation.go
"""

from __future__ import annotations

from k8slearn.api import field
from k8slearn.api.field import FieldError, Path
from k8slearn.api.names import is_valid_port_num, name_is_dns_subdomain
from k8slearn.api.validation.common import (
    as_dict, as_list, validate_immutable, validate_object_meta, validate_object_meta_update,
)
from k8slearn.api.validation.containers import PROTOCOLS

HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000
SYSTEM_PRIORITY_CLASSES = {"system-node-critical": 2_000_001_000, "system-cluster-critical": 2_000_000_000}
ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"]


def validate_lease(lease: dict) -> list[FieldError]:
    errs = validate_object_meta(lease.get("metadata"), name_is_dns_subdomain)
    spec, path = as_dict(lease.get("spec")), Path("spec")
    duration = spec.get("leaseDurationSeconds")
    if duration is not None and duration <= 0:
        errs.append(field.invalid(path.child("leaseDurationSeconds"), duration, "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if transitions is not None and transitions < 0:
        errs.append(field.invalid(path.child("leaseTransitions"), transitions,
                                  "must be greater than or equal to 0"))
    return errs


def validate_lease_update(new: dict, old: dict) -> list[FieldError]:
    return validate_object_meta_update(new.get("metadata"), old.get("metadata")) + validate_lease(new)


def validate_priority_class(pc: dict) -> list[FieldError]:
    meta = as_dict(pc.get("metadata"))
    errs = validate_object_meta(meta, name_is_dns_subdomain, namespaced=False)
    name, value = meta.get("name") or "", pc.get("value", 0)
    if name.startswith("system-"):
        problem = None
        if name not in SYSTEM_PRIORITY_CLASSES:
            problem = f"{name} is not a known system priority class"
        elif SYSTEM_PRIORITY_CLASSES[name] != value:
            problem = f"value of {name} PriorityClass must be {SYSTEM_PRIORITY_CLASSES[name]}"
        elif pc.get("globalDefault"):
            problem = f"globalDefault of {name} PriorityClass must be false"
        if problem:
            errs.append(field.forbidden(Path("metadata.name"),
                                        "priority class names with 'system-' prefix are "
                                        f"reserved for system use only. error: {problem}"))
    elif value > HIGHEST_USER_DEFINABLE_PRIORITY:
        limit = HIGHEST_USER_DEFINABLE_PRIORITY
        errs.append(field.forbidden(Path("value"),
                                    f"maximum allowed value of a user defined priority is {limit}"))
    policy = pc.get("preemptionPolicy")
    if policy is not None and policy not in ("PreemptLowerPriority", "Never"):
        errs.append(field.not_supported(Path("preemptionPolicy"), policy, ["PreemptLowerPriority", "Never"]))
    return errs


def validate_priority_class_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePriorityClassUpdate: the value and preemption policy are fixed once created."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    if new.get("value") != old.get("value"):
        errs.append(field.forbidden(Path("value"), "may not be changed in an update."))
    errs += validate_immutable(new.get("preemptionPolicy"), old.get("preemptionPolicy"),
                               Path("preemptionPolicy"))
    return errs


def validate_endpoint_slice(slice_: dict) -> list[FieldError]:
    errs = validate_object_meta(slice_.get("metadata"), name_is_dns_subdomain)
    address_type = slice_.get("addressType") or ""
    if not address_type:
        errs.append(field.required(Path("addressType")))
    elif address_type not in ADDRESS_TYPES:
        errs.append(field.not_supported(Path("addressType"), address_type, ADDRESS_TYPES))
    for i, port in enumerate(as_list(slice_.get("ports"))):
        port, p = as_dict(port), Path("ports").index(i)
        if port.get("port") is not None:
            errs += [field.invalid(p.child("port"), port["port"], m) for m in is_valid_port_num(port["port"])]
        if port.get("protocol") not in PROTOCOLS:
            errs.append(field.not_supported(p.child("protocol"), port.get("protocol", ""), PROTOCOLS))
    return errs


def validate_endpoint_slice_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_object_meta_update(new.get("metadata"),
                                       old.get("metadata")) + validate_endpoint_slice(new)
    return errs + validate_immutable(new.get("addressType"), old.get("addressType"), Path("addressType"))
