"""Validation of StorageClasses (storage.k8s.io/v1).

A class names its provisioner (a qualified name: ``kubernetes.io/no-provisioner`` for volumes an
administrator makes by hand), a reclaim policy of ``Delete`` or ``Retain`` and a binding mode of
``Immediate`` or ``WaitForFirstConsumer``; once created, its parameters, provisioner, reclaim
policy and binding mode are fixed:

>>> sc = {"metadata": {"name": "fast"}, "provisioner": "", "reclaimPolicy": "Recycle",
...       "volumeBindingMode": "Immediate"}
>>> [e.error() for e in validate_storage_class(sc)]
['provisioner: Required value', 'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']

Simplified: a term of ``allowedTopologies`` is compared with the others key by key and value set
by value set (as Semantic.DeepEqual of the expression maps does).

Upstream: pkg/apis/storage/validation/validation.go (ValidateStorageClass, ValidateStorageClassUpdate,
validateProvisioner, validateParameters, validateReclaimPolicy, validateVolumeBindingMode,
validateAllowedTopologies), pkg/apis/core/validation/validation.go (ValidateTopologySelectorTerm,
validateTopologySelectorLabelRequirement)
"""

from __future__ import annotations

from k8slearn.api import field
from k8slearn.api.field import FieldError, Path
from k8slearn.api.names import is_qualified_name, name_is_dns_subdomain
from k8slearn.api.validation.common import (as_dict, as_list, validate_immutable, validate_object_meta,
                                            validate_object_meta_update)

RECLAIM_POLICIES = ["Delete", "Retain"]
VOLUME_BINDING_MODES = ["Immediate", "WaitForFirstConsumer"]
MAX_PROVISIONER_PARAMETER_SIZE = 256 * 1024
MAX_PROVISIONER_PARAMETER_LEN = 512


def _provisioner(provisioner: str, path: Path) -> list[FieldError]:
    """validateProvisioner: required, and a qualified name (checked in lower case)."""
    if not provisioner:
        return [field.required(path)]
    return [field.invalid(path, provisioner.lower(), m) for m in is_qualified_name(provisioner.lower())]


def _parameters(params: dict, path: Path) -> list[FieldError]:
    """validateParameters (empty allowed): at most 512 pairs of at most 256 KiB in all, no empty key."""
    if len(params) > MAX_PROVISIONER_PARAMETER_LEN:
        return [field.too_long(path, "Provisioner Parameters exceeded max allowed", MAX_PROVISIONER_PARAMETER_LEN)]
    errs = [field.invalid(path, key, "field can not be empty.") for key in params if not key]
    if sum(len(k) + len(str(v)) for k, v in params.items()) > MAX_PROVISIONER_PARAMETER_SIZE:
        errs.append(field.too_long(path, "", MAX_PROVISIONER_PARAMETER_SIZE))
    return errs


def _topology_term(term: dict, path: Path) -> tuple[dict[str, frozenset], list[FieldError]]:
    """ValidateTopologySelectorTerm: each expression has values, none twice, a label key; no key twice."""
    errs: list[FieldError] = []
    expressions: dict[str, frozenset] = {}
    for i, req in enumerate(as_list(term.get("matchLabelExpressions"))):
        req, p = as_dict(req), path.child("matchLabelExpressions").index(i)
        values = [str(v) for v in as_list(req.get("values"))]
        if not values:
            errs.append(field.required(p.child("values")))
        errs += [field.duplicate(p.child("values").index(j), v) for j, v in enumerate(values) if v in values[:j]]
        key = str(req.get("key") or "")
        errs += [field.invalid(p.child("key"), key, m) for m in is_qualified_name(key)]
        if key in expressions:
            errs.append(field.duplicate(p.child("key"), key))
        expressions[key] = frozenset(values)
    return expressions, errs


def _allowed_topologies(topologies: list, path: Path) -> list[FieldError]:
    """validateAllowedTopologies: each term valid, and no two the same. Upstream starts its list of
    seen terms with one empty entry per term (``make(..., len(topologies))`` then ``append``), so a
    term without expressions already counts as a duplicate."""
    errs: list[FieldError] = []
    seen: list[dict] = [{} for _ in topologies]
    for i, term in enumerate(topologies):
        expressions, term_errs = _topology_term(as_dict(term), path.index(i))
        errs += term_errs
        errs += [field.duplicate(path.index(i).child("matchLabelExpressions"), "") for other in seen
                 if other == expressions]
        seen.append(expressions)
    return errs


def validate_storage_class(sc: dict) -> list[FieldError]:
    """ValidateStorageClass, in upstream's order (after defaulting, so the policy and mode are set)."""
    errs = validate_object_meta(sc.get("metadata"), name_is_dns_subdomain, namespaced=False)
    errs += _provisioner(str(sc.get("provisioner") or ""), Path("provisioner"))
    errs += _parameters(as_dict(sc.get("parameters")), Path("parameters"))
    policy = sc.get("reclaimPolicy")
    if policy and policy not in RECLAIM_POLICIES:
        errs.append(field.not_supported(Path("reclaimPolicy"), policy, RECLAIM_POLICIES))
    mode = sc.get("volumeBindingMode")
    if mode is None:
        errs.append(field.required(Path("volumeBindingMode")))
    elif mode not in VOLUME_BINDING_MODES:
        errs.append(field.not_supported(Path("volumeBindingMode"), mode, VOLUME_BINDING_MODES))
    return errs + _allowed_topologies(as_list(sc.get("allowedTopologies")), Path("allowedTopologies"))


def validate_storage_class_update(new: dict, old: dict) -> list[FieldError]:
    """The strategy's ValidateUpdate: the class itself, then what may not change."""
    errs = validate_storage_class(new) + validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    if as_dict(new.get("parameters")) != as_dict(old.get("parameters")):
        errs.append(field.forbidden(Path("parameters"), "updates to parameters are forbidden."))
    if new.get("provisioner") != old.get("provisioner"):
        errs.append(field.forbidden(Path("provisioner"), "updates to provisioner are forbidden."))
    if new.get("reclaimPolicy") != old.get("reclaimPolicy"):
        errs.append(field.forbidden(Path("reclaimPolicy"), "updates to reclaimPolicy are forbidden."))
    return errs + validate_immutable(new.get("volumeBindingMode"), old.get("volumeBindingMode"), Path("volumeBindingMode"))
