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

Simplifies: the checks each module lists; decoding covers the common wrong-type mistakes only.

Upstream: pkg/apis/core/validation, pkg/apis/apps/validation, pkg/apis/batch/validation,
pkg/apis/storage/validation,
pkg/registry/*/strategy.go (Validate, ValidateUpdate)
"""

from __future__ import annotations

from typing import Callable

from k8slearn.api import field
from k8slearn.api.field import FieldError, Path
from k8slearn.api.names import name_is_dns_subdomain
from k8slearn.api.validation import apps, batch, batch_status, core, misc, pod, policy
from k8slearn.api.validation import persistent_volume as pv
from k8slearn.api.validation import storage_class as sc
from k8slearn.api.validation.decode import decode_check, decode_error
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
    "PodDisruptionBudget": policy.validate_pod_disruption_budget,
    "PersistentVolume": pv.validate_persistent_volume,
    "PersistentVolumeClaim": pv.validate_persistent_volume_claim,
    "StorageClass": sc.validate_storage_class,
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
    "PodDisruptionBudget": policy.validate_pod_disruption_budget_update,
    "PersistentVolume": pv.validate_persistent_volume_update,
    "PersistentVolumeClaim": pv.validate_persistent_volume_claim_update,
    "StorageClass": sc.validate_storage_class_update,
}


_STATUS_UPDATE: dict[str, Callable[[dict, dict], list[FieldError]]] = {
    "Pod": pod.validate_pod_status_update,
    "Job": batch_status.validate_job_update_status,
    "CronJob": lambda new, old: [],  # cronJobStatusStrategy validates nothing
    "PodDisruptionBudget": lambda new, old: (validate_object_meta_update(new.get("metadata"), old.get("metadata"))
                                             + policy.validate_pod_disruption_budget_status(new.get("status"))),
    "PersistentVolume": pv.validate_persistent_volume_status_update,
    "PersistentVolumeClaim": pv.validate_persistent_volume_claim_status_update,
}


def validate(obj: dict, old: dict | None = None, subresource: str = "") -> list[FieldError]:
    """The field errors for creating ``obj`` (``old`` None) or updating ``old`` to ``obj``.

    ``subresource="status"`` is an update through ``/status``: kinds with their own status rules
    (``_STATUS_UPDATE``) use them, the others the rules of a plain update.

    Values of the wrong type should have been refused by ``decode_check``; any that slip
    through are reported as one internal error instead of raising.
    """
    try:
        return _validate(obj, old, subresource)
    except (TypeError, AttributeError, ValueError, KeyError) as exc:
        return [field.internal_error(Path(""), f"unable to validate the object: {exc}")]


def _validate(obj: dict, old: dict | None, subresource: str) -> list[FieldError]:
    kind = obj.get("kind", "")
    if old is None:
        fn = _CREATE.get(kind)
        return fn(obj) if fn else validate_object_meta(obj.get("metadata"), name_is_dns_subdomain)
    if subresource == "ephemeralcontainers" and kind == "Pod":
        return pod.validate_pod_ephemeral_containers_update(obj, old)
    update = (subresource == "status" and _STATUS_UPDATE.get(kind)) or _UPDATE.get(kind)
    if update:
        return update(obj, old)
    return validate_object_meta_update(obj.get("metadata"), old.get("metadata"))


__all__ = ["validate", "decode_check", "decode_error"]
