"""Validation of a container's environment: ``env`` (with its ``valueFrom`` sources) and ``envFrom``.

>>> errs = validate_env([{"name": "NODE", "valueFrom": {"fieldRef": {"apiVersion": "v1",
...                       "fieldPath": "spec.hostname"}}}], Path("spec.containers[0].env"))
>>> [e.error() for e in errs]
['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.hostname": error converting fieldPath: field label not supported: spec.hostname']
>>> errs = validate_env_from([{"prefix": "X=", "configMapRef": {"name": "cfg"}}], Path("spec.containers[0].envFrom"))
>>> errs[0].field
'spec.containers[0].envFrom[0].prefix'

Upstream: pkg/apis/core/validation/validation.go (ValidateEnv, validateEnvVarValueFrom,
validateObjectFieldSelector, validateContainerResourceFieldSelector, validateContainerResourceDivisor,
validateConfigMapKeySelector, validateSecretKeySelector, ValidateEnvFrom),
pkg/apis/core/pods/helpers.go (ConvertDownwardAPIFieldLabel)
"""

from __future__ import annotations

import re
from typing import Any

from k8slearn.api import field
from k8slearn.api.field import FieldError, Path
from k8slearn.api.fieldpath import split_maybe_subscripted_path
from k8slearn.api.names import (
    has_chdir_prefix,
    is_config_map_key,
    is_dns1123_subdomain,
    is_qualified_name,
    regex_error,
)
from k8slearn.api.quantity import parse_quantity
from k8slearn.api.validation.common import as_dict, as_list

ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
ENV_VAR_NAME_ERR = ("a valid environment variable name must consist of alphabetic characters, digits, "
                    "'_', '-', or '.', and must not start with a digit")
_ENV_VAR_NAME = re.compile(ENV_VAR_NAME_FMT)

# ConvertDownwardAPIFieldLabel: the field paths of a pod the downward API knows at all...
DOWNWARD_API_FIELDS = {"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                       "metadata.uid", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName",
                       "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs", "status.podIP",
                       "status.podIPs"}
# ...and those an environment variable may use
ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
                   "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]
CONTAINER_RESOURCE_FIELDS = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
                             "requests.ephemeral-storage", "requests.memory"]
_BYTE_DIVISORS = {"1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"}
_SOURCES = ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")


def env_var_name_errors(name: str) -> list[str]:
    """validation.IsEnvVarName (kubectl set env checks names with it too)."""
    msgs = [] if _ENV_VAR_NAME.fullmatch(name) else [
        regex_error(ENV_VAR_NAME_ERR, ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1")]
    return msgs + has_chdir_prefix(name)


RELAXED_ENV_VAR_NAME_ERR = ("a valid environment variable name must consist only of printable ASCII characters "
                            "other than '='")


def relaxed_env_var_name_errors(name: str) -> list[str]:
    """validation.IsRelaxedEnvVarName: what the API server checks in v1.32 (the
    RelaxedEnvironmentVariableValidation feature, beta and on by default): any printable ASCII but
    ``=`` (``1ST``, ``my var`` and ``Logging:Level`` are valid names; kubectl still checks its own
    flags with :func:`env_var_name_errors`).

    >>> relaxed_env_var_name_errors("1ST"), relaxed_env_var_name_errors("A=B")
    ([], ["a valid environment variable name must consist only of printable ASCII characters other than '='"])
    """
    errs = [] if name else ["environment variable name must be non-empty"]
    if any(not " " <= char <= "~" or char == "=" for char in name):
        errs.append(RELAXED_ENV_VAR_NAME_ERR)
    return errs


def validate_env(env: Any, path: Path) -> list[FieldError]:
    """ValidateEnv: each variable's name, and its ``valueFrom`` source."""
    errs = []
    for i, var in enumerate(as_list(env)):
        var, p = as_dict(var), path.index(i)
        name = var.get("name") or ""
        if not name:
            errs.append(field.required(p.child("name")))
        else:
            errs += [field.invalid(p.child("name"), name, m) for m in relaxed_env_var_name_errors(name)]
        source = var.get("valueFrom")
        if source is not None:
            errs += _value_from(as_dict(source), bool(var.get("value")), p.child("valueFrom"))
    return errs


def _value_from(source: dict, has_value: bool, path: Path) -> list[FieldError]:
    errs = []
    kinds = [k for k in _SOURCES if source.get(k) is not None]
    if "fieldRef" in kinds:
        errs += validate_object_field_selector(as_dict(source["fieldRef"]), ENV_FIELD_PATHS, path.child("fieldRef"))
    if "resourceFieldRef" in kinds:
        errs += validate_resource_field_selector(as_dict(source["resourceFieldRef"]), path.child("resourceFieldRef"))
    for kind in ("configMapKeyRef", "secretKeyRef"):
        if kind in kinds:
            errs += _key_selector(as_dict(source[kind]), path.child(kind))
    if not kinds:
        errs.append(field.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, "
                                            "`configMapKeyRef` or `secretKeyRef`"))
    elif has_value:
        errs.append(field.invalid(path, "", "may not be specified when `value` is not empty"))
    elif len(kinds) > 1:
        errs.append(field.invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def validate_object_field_selector(ref: dict, expressions: list[str], path: Path) -> list[FieldError]:
    """validateObjectFieldSelector: a ``fieldRef`` (also a downwardAPI volume item's)."""
    version, field_path = ref.get("apiVersion") or "", ref.get("fieldPath") or ""
    if not version:
        return [field.required(path.child("apiVersion"))]
    if not field_path:
        return [field.required(path.child("fieldPath"))]
    if version != "v1":
        reason = f"unsupported pod version: {version}"
    else:
        reason = _convert_field_label(field_path)
    if reason:
        return [field.invalid(path.child("fieldPath"), field_path, f"error converting fieldPath: {reason}")]
    subscripted = split_maybe_subscripted_path(field_path)
    if subscripted is not None:
        base, key = subscripted
        msgs = is_qualified_name(key.lower() if base == "metadata.annotations" else key)
        return [field.invalid(path, key, m) for m in msgs]
    if field_path not in expressions:
        return [field.not_supported(path.child("fieldPath"), field_path, expressions)]
    return []


def _convert_field_label(field_path: str) -> str:
    """ConvertDownwardAPIFieldLabel's error for a field path, or "" when it knows the path."""
    subscripted = split_maybe_subscripted_path(field_path)
    if subscripted is not None:
        if subscripted[0] in ("metadata.annotations", "metadata.labels"):
            return ""
        return f"field label does not support subscript: {field_path}"
    if field_path in DOWNWARD_API_FIELDS or field_path == "spec.host":
        return ""
    return f"field label not supported: {field_path}"


def validate_resource_field_selector(ref: dict, path: Path, volume: bool = False) -> list[FieldError]:
    """validateContainerResourceFieldSelector and validateContainerResourceDivisor."""
    errs, resource = [], ref.get("resource") or ""
    if volume and not ref.get("containerName"):
        errs.append(field.required(path.child("containerName")))
    elif not resource:
        errs.append(field.required(path.child("resource")))
    elif resource not in CONTAINER_RESOURCE_FIELDS:
        errs.append(field.not_supported(path.child("resource"), resource, CONTAINER_RESOURCE_FIELDS))
    divisor = ref.get("divisor")
    try:
        quantity = parse_quantity(divisor) if divisor not in (None, "") else None
    except ValueError:
        return errs
    if quantity is None or not quantity.amount:
        return errs
    text = str(divisor)
    if resource in ("limits.cpu", "requests.cpu") and text not in ("1m", "1"):
        errs.append(field.invalid(path.child("divisor"), resource,
                                  "only divisor's values 1m and 1 are supported with the cpu resource"))
    elif resource in ("limits.memory", "requests.memory", "limits.ephemeral-storage", "requests.ephemeral-storage") \
            and text not in _BYTE_DIVISORS:
        what = "memory" if resource.endswith("memory") else "local ephemeral storage"
        errs.append(field.invalid(path.child("divisor"), resource, "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, "
                                  f"1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the {what} resource"))
    return errs


def _key_selector(ref: dict, path: Path) -> list[FieldError]:
    """validateConfigMapKeySelector / validateSecretKeySelector."""
    name, key = ref.get("name") or "", ref.get("key") or ""
    errs = [field.invalid(path.child("name"), name, m) for m in is_dns1123_subdomain(name)]
    if not key:
        errs.append(field.required(path.child("key")))
    else:
        errs += [field.invalid(path.child("key"), key, m) for m in is_config_map_key(key)]
    return errs


def validate_env_from(sources: Any, path: Path) -> list[FieldError]:
    """ValidateEnvFrom: a valid ``prefix``, and exactly one of ``configMapRef`` and ``secretRef``."""
    errs = []
    for i, source in enumerate(as_list(sources)):
        source, p = as_dict(source), path.index(i)
        prefix = source.get("prefix") or ""
        if prefix:
            errs += [field.invalid(p.child("prefix"), prefix, m) for m in relaxed_env_var_name_errors(prefix)]
        kinds = [k for k in ("configMapRef", "secretRef") if source.get(k) is not None]
        for kind in kinds:
            name = as_dict(source[kind]).get("name") or ""
            if not name:
                errs.append(field.required(p.child(kind, "name")))
            else:
                errs += [field.invalid(p.child(kind, "name"), name, m) for m in is_dns1123_subdomain(name)]
        if not kinds:
            errs.append(field.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif len(kinds) > 1:
            errs.append(field.invalid(path, "", "may not have more than one field specified at a time"))
    return errs
