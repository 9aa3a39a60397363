"""Validation: what the API server checks before it stores an object (after defaulting).

``validate(obj)`` checks a create, ``validate(obj, old)`` an update; both return the list of
``FieldError`` the real API server would report, in its order, with its words. An empty list
means the object is valid. Wrap a non-empty list with ``errors.invalid`` to get the 422 Status.

>>> pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "My_Pod"},
...        "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
>>> from k8slearn.api.defaults import apply_defaults
>>> apply_defaults(pod)
>>> [e.error()[:60] for e in validate(pod)]
['metadata.name: Invalid value: "My_Pod": a lowercase RFC 1123']

Order of work in the API server, for readers wiring this up: decode (``decode_check``),
default (``defaults.apply_defaults``), run the registry strategy (name generation, the Job
selector), admission, then ``validate``.

Upstream: pkg/apis/core/validation, pkg/apis/apps/validation, pkg/apis/batch/validation,
pkg/registry/*/strategy.go (Validate, ValidateUpdate)
"""

from __future__ import annotations

from typing import Any, Callable

from k8slearn.api.field import FieldError
from k8slearn.api.names import name_is_dns_subdomain
from k8slearn.api.quantity import parse_quantity
from k8slearn.api.validation import apps, batch, core, misc, pod
from k8slearn.api.validation.common import validate_object_meta, validate_object_meta_update

_CREATE: dict[str, Callable[[dict], list[FieldError]]] = {
    "Pod": pod.validate_pod,
    "Binding": pod.validate_pod_binding,
    "Service": core.validate_service,
    "Node": core.validate_node,
    "Namespace": core.validate_namespace,
    "ConfigMap": core.validate_config_map,
    "Secret": core.validate_secret,
    "ServiceAccount": core.validate_service_account,
    "Endpoints": core.validate_endpoints,
    "Event": core.validate_event,
    "Deployment": apps.validate_deployment,
    "ReplicaSet": apps.validate_replica_set,
    "DaemonSet": apps.validate_daemon_set,
    "StatefulSet": apps.validate_stateful_set,
    "Job": batch.validate_job,
    "CronJob": batch.validate_cron_job,
    "Lease": misc.validate_lease,
    "PriorityClass": misc.validate_priority_class,
    "EndpointSlice": misc.validate_endpoint_slice,
}


def _meta_update_then(create: Callable[[dict], list[FieldError]]) -> Callable[[dict, dict], list[FieldError]]:
    def update(new: dict, old: dict) -> list[FieldError]:
        return validate_object_meta_update(new.get("metadata"), old.get("metadata")) + create(new)
    return update


def _namespace_update(new: dict, old: dict) -> list[FieldError]:
    return validate_object_meta_update(new.get("metadata"), old.get("metadata"))


_UPDATE: dict[str, Callable[[dict, dict], list[FieldError]]] = {
    "Pod": pod.validate_pod_update,
    "Service": core.validate_service_update,
    "Node": core.validate_node_update,
    "Namespace": _namespace_update,
    "ConfigMap": core.validate_config_map_update,
    "Secret": core.validate_secret_update,
    "ServiceAccount": _meta_update_then(core.validate_service_account),
    "Endpoints": _meta_update_then(core.validate_endpoints),
    "Event": lambda new, old: core.validate_event(new),
    "Deployment": apps.validate_deployment_update,
    "ReplicaSet": apps.validate_replica_set_update,
    "DaemonSet": apps.validate_daemon_set_update,
    "StatefulSet": apps.validate_stateful_set_update,
    "Job": batch.validate_job_update,
    "CronJob": batch.validate_cron_job_update,
    "Lease": misc.validate_lease_update,
    "PriorityClass": misc.validate_priority_class_update,
    "EndpointSlice": misc.validate_endpoint_slice_update,
}


def validate(obj: dict, old: dict | None = None) -> list[FieldError]:
    """The field errors for creating ``obj`` (``old`` None) or updating ``old`` to ``obj``."""
    kind = obj.get("kind", "")
    if old is None:
        fn = _CREATE.get(kind)
        return fn(obj) if fn else validate_object_meta(obj.get("metadata"), name_is_dns_subdomain)
    update = _UPDATE.get(kind)
    if update:
        return update(obj, old)
    return validate_object_meta_update(obj.get("metadata"), old.get("metadata"))


_QUANTITY_MAPS = {"limits", "requests", "overhead", "capacity", "allocatable", "hard", "used"}
_SPEC_STRUCT = {"Deployment": "DeploymentSpec", "ReplicaSet": "ReplicaSetSpec", "StatefulSet": "StatefulSetSpec"}


def decode_check(obj: dict) -> str | None:
    """The decoder's error for a value of the wrong JSON type or a malformed quantity, or None.

    The API server rejects these with 400 BadRequest before defaulting or validation.

    >>> decode_check({"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"version": 1}}})
    ... # doctest: +ELLIPSIS
    'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct ...'
    """
    problem = decode_error(obj)
    if problem is None:
        return None
    kind = obj.get("kind", "")
    version = str(obj.get("apiVersion", "")).rpartition("/")[2]
    return f'{kind} in version "{version}" cannot be handled as a {kind}: {problem}'


def decode_error(obj: dict) -> str | None:
    """The bare decoding problem (kubectl prints it as ``error: unable to decode "f.yaml": <problem>``)."""
    kind = obj.get("kind", "")
    if kind == "ConfigMap" and isinstance(obj.get("data"), dict):
        bad = next((v for v in obj["data"].values() if v is not None and not isinstance(v, str)), None)
        if bad is not None:
            return _unmarshal(bad, "ConfigMap", "data", "string")
    return _first_type_error(obj, "", _SPEC_STRUCT.get(kind, "")) or _first_bad_quantity(obj)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "value")


def _unmarshal(value: Any, struct: str, path: str, go_type: str) -> str:
    return f"json: cannot unmarshal {_json_kind(value)} into Go struct field {struct}.{path} of type {go_type}"


def _first_type_error(obj: Any, path: str, spec_struct: str) -> str | None:
    """Strings where Go wants strings (labels, annotations, env values), integers where it wants int32."""
    if isinstance(obj, list):
        return next(filter(None, (_first_type_error(v, path, spec_struct) for v in obj)), None)
    if not isinstance(obj, dict):
        return None
    for key, value in obj.items():
        here = f"{path}.{key}" if path else key
        if key in ("labels", "annotations") and path.endswith("metadata") and isinstance(value, dict):
            bad = next((v for v in value.values() if v is not None and not isinstance(v, str)), None)
            if bad is not None:
                return _unmarshal(bad, "ObjectMeta", here, "string")
        elif key == "env" and isinstance(value, list):
            for var in value:
                v = var.get("value") if isinstance(var, dict) else None
                if v is not None and not isinstance(v, str):
                    return _unmarshal(v, "EnvVar", f"{here}.value", "string")
        elif key == "containerPort" and not (isinstance(value, int) and not isinstance(value, bool)):
            return _unmarshal(value, "ContainerPort", here, "int32")
        elif here == "spec.replicas" and spec_struct and value is not None and not (
                isinstance(value, int) and not isinstance(value, bool)):
            return _unmarshal(value, spec_struct, here, "int32")
        found = _first_type_error(value, here, spec_struct)
        if found:
            return found
    return None


def _first_bad_quantity(value: Any, key: str = "") -> str | None:
    if isinstance(value, dict):
        if key in _QUANTITY_MAPS:
            for q in value.values():
                try:
                    parse_quantity(q)
                except ValueError as err:
                    return str(err)
        if key == "emptyDir" and value.get("sizeLimit") is not None:
            try:
                parse_quantity(value["sizeLimit"])
            except ValueError as err:
                return str(err)
        for k, v in value.items():
            found = _first_bad_quantity(v, k)
            if found:
                return found
    elif isinstance(value, list):
        for v in value:
            found = _first_bad_quantity(v, key)
            if found:
                return found
    return None


__all__ = ["validate", "decode_check", "decode_error"]
