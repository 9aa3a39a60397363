"""The ``scale`` subresource: a Deployment's, ReplicaSet's or StatefulSet's replicas as an autoscaling/v1 Scale.

``GET .../deployments/web/scale`` answers a Scale made from the Deployment (its metadata, the wanted
replicas, the replicas it has, and its selector as a string); ``PATCH`` or ``PUT`` of it changes the
Deployment's ``spec.replicas`` and nothing else. ``kubectl scale`` and a HorizontalPodAutoscaler
go through it, and so does ``kubectl get|patch --subresource=scale``.

>>> scale_of({"metadata": {"name": "web", "namespace": "default", "uid": "u", "resourceVersion": "7",
...           "creationTimestamp": "2026-01-05T09:00:00Z"}, "spec": {"replicas": 3,
...           "selector": {"matchLabels": {"app": "web"}}}, "status": {"replicas": 2}})["status"]
{'replicas': 2, 'selector': 'app=web'}

Upstream: pkg/registry/apps/deployment/storage/storage.go (ScaleREST, scaleFromDeployment),
staging/src/k8s.io/api/autoscaling/v1/types.go (Scale), pkg/apis/autoscaling/validation (ValidateScale)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.errors import status_error
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import thaw
from k8slearn.api.patch import apply_patch
from k8slearn.api.validation.decode_struct import fits, unmarshal_error
from k8slearn.api.validation.unstructured import invalid_patch, wrap_overflow

SCALABLE = frozenset({"deployments", "replicasets", "statefulsets"})
_META = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")


def scale_of(obj: dict) -> dict:
    """scaleFromDeployment (and the ReplicaSet's and StatefulSet's): the object as a Scale."""
    meta = obj.get("metadata") or {}
    selector = (obj.get("spec") or {}).get("selector")
    return {"kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {k: meta[k] for k in _META if k in meta},
            "spec": {"replicas": (obj.get("spec") or {}).get("replicas", 0)},
            "status": {"replicas": (obj.get("status") or {}).get("replicas", 0),
                       "selector": str(selector_from_label_selector(selector)) if selector else ""}}


def scaled(existing: dict, patch: Any, patch_type: str) -> dict:
    """``existing`` (a Deployment...) with the replicas of its Scale patched by ``patch``; the
    API server's errors for a patch of the wrong type or a negative count."""
    scale = scale_of(existing)
    patched = apply_patch(scale, thaw(patch), patch_type, "Scale")
    replicas = (patched.get("spec") or {}).get("replicas")
    if replicas is not None and (not isinstance(replicas, int) or isinstance(replicas, bool)
                                 or not fits(replicas, "int32")):
        problem = unmarshal_error(replicas, "ScaleSpec", "spec.replicas", "int32")
        if not (patch_type == "strategic" and wrap_overflow(patched, problem)):
            raise invalid_patch(patch_type, patch, patched, problem)
        replicas = patched["spec"]["replicas"]
    replicas = replicas or 0
    if replicas < 0:
        error = field.invalid("spec.replicas", replicas, "must be greater than or equal to 0")
        name = scale["metadata"].get("name", "")
        raise status_error(422, "Invalid", f'Scale.autoscaling "{name}" is invalid: {error.error()}',
                           {"name": name, "group": "autoscaling", "kind": "Scale", "causes": [error.cause()]})
    updated = thaw(existing)
    updated.setdefault("spec", {})["replicas"] = replicas
    return updated
