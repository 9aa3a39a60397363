"""The pods/binding subresource's rules: a pod is assigned to a node once, and not while deleted.

Binding sets ``spec.nodeName`` and the ``PodScheduled`` condition on a copy of the stored pod that
shares whatever binding does not change:

>>> pod = {"spec": {"containers": []}, "status": {"conditions": [{"type": "Ready", "status": "False"}]}}
>>> bound = _copy_for_binding(pod)
>>> _set_pod_scheduled(bound, "2026-01-05T09:00:00Z")
>>> [c["type"] for c in bound["status"]["conditions"]], len(pod["status"]["conditions"])
(['Ready', 'PodScheduled'], 1)

Simplified: no ``Binding`` object with annotations to copy onto the pod, no UID precondition.

Upstream: pkg/registry/core/pod/storage/storage.go (BindingREST, assignPod, setPodNodeAndMetadata)
"""

from __future__ import annotations

from k8slearn.api.errors import ApiError, status_error
from k8slearn.api.pod_conditions import update_pod_condition

BEING_DELETED_MSG = "pod {} is being deleted, cannot be assigned to a host"
ALREADY_ASSIGNED_MSG = "pod {} is already assigned to node {}"


def _binding_conflict(name: str, message: str) -> ApiError:
    return status_error(409, "Conflict", f'Operation cannot be fulfilled on pods/binding "{name}": {message}',
                        {"name": name, "kind": "pods/binding"})


def _copy_for_binding(existing: dict) -> dict:
    """A copy of ``existing`` that binding may change: its own top level, spec, status and conditions list.

    ``existing`` is the request's own decoded object and binding only sets ``spec.nodeName`` and
    replaces or appends the PodScheduled condition, so the rest is shared rather than deep-copied.
    """
    pod = dict(existing)
    if isinstance(pod.get("spec"), dict):
        pod["spec"] = dict(pod["spec"])
    status = pod.get("status")
    if isinstance(status, dict):
        pod["status"] = status = dict(status)
        if isinstance(status.get("conditions"), list):
            status["conditions"] = list(status["conditions"])
    return pod


def _set_pod_scheduled(pod: dict, now: str) -> None:
    """podutil.UpdatePodCondition(PodScheduled=True): replace it; keep the transition time if unchanged."""
    conditions = pod.setdefault("status", {}).setdefault("conditions", [])
    update_pod_condition(conditions, {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                                      "lastTransitionTime": now})
