"""Resource helpers: what a pod requests, as plain numbers the kubelet can add up.

The kubelet's admission check (:mod:`k8slearn.kubelet.admission`) needs each pod's requests as
integers: cpu in millicores, memory in bytes. A pod's request for one resource is the sum over
its containers.

>>> pod = {"spec": {"containers": [
...     {"name": "a", "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}},
...     {"name": "b", "resources": {"requests": {"cpu": "1"}}},
... ]}}
>>> _requests(pod, "cpu"), _requests(pod, "memory")
(1250, 67108864)

Init containers, sidecars and the pod's overhead count as the scheduler counts them
(:mod:`k8slearn.api.resource_requests`):

>>> pod["spec"]["initContainers"] = [{"name": "proxy", "restartPolicy": "Always",
...                                   "resources": {"requests": {"cpu": "100m"}}}]
>>> _requests(pod, "cpu")
1350

Simplified: only cpu and memory.

Upstream: staging/src/k8s.io/component-helpers/resource/helpers.go (PodRequests),
k8s.io/apimachinery/pkg/api/resource
"""

from __future__ import annotations

import functools
from typing import Any

from k8slearn.api.quantity import cpu_millis, memory_bytes
from k8slearn.api.resource_requests import pod_request_amounts


def _requests(pod: dict, resource: str) -> int:
    """What the pod requests of one resource (cpu in millicores, memory in bytes): PodRequests,
    so init containers and sidecars count as they do for the scheduler."""
    spec = pod["spec"]
    if not spec.get("initContainers") and not spec.get("overhead"):  # the common case, summed directly
        total = 0
        for container in spec.get("containers", []):
            value = (container.get("resources") or {}).get("requests", {}).get(resource)
            if value is not None:
                total += _amount(resource, value)
        return total

    def amounts(requests):
        value = (requests or {}).get(resource)
        return {} if value is None else {resource: _amount(resource, value)}

    return pod_request_amounts(pod, amounts).get(resource, 0)


def _amount(resource: str, value: Any) -> int:
    """A quantity in millicores (cpu) or bytes (memory); the text of one is parsed once."""
    if isinstance(value, str):
        return _parsed_amount(resource, value)
    return cpu_millis(value) if resource == "cpu" else memory_bytes(value)


@functools.lru_cache(maxsize=4096)
def _parsed_amount(resource: str, text: str) -> int:
    """A simulation speed-up with identical results: the same few quantity texts recur."""
    return cpu_millis(text) if resource == "cpu" else memory_bytes(text)
