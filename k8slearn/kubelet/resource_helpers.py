"""Resource helpers: what a pod requests, as plain numbers the kubelet can add up.

The kubelet's admission check (:mod:`k8slearn.kubelet.admission`) needs each pod's requests as
integers: cpu in millicores, everything else (memory, ephemeral-storage, hugepages, extended
resources) in whole units, as ``Quantity.Value()`` rounds them up. A pod's request for one
resource is the sum over its containers; resources it asks nothing of are left out.

>>> pod = {"spec": {"containers": [
...     {"name": "a", "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}},
...     {"name": "b", "resources": {"requests": {"cpu": "1", "ephemeral-storage": "0"}}},
... ]}}
>>> pod_requests(pod)
{'cpu': 1250, 'memory': 67108864}

Init containers, sidecars and the pod's overhead count as the scheduler counts them
(:mod:`k8slearn.api.resource_requests`):

>>> pod["spec"]["initContainers"] = [{"name": "proxy", "restartPolicy": "Always",
...                                   "resources": {"requests": {"cpu": "100m"}}}]
>>> pod_requests(pod)["cpu"]
1350

Upstream: staging/src/k8s.io/component-helpers/resource/helpers.go (PodRequests),
pkg/scheduler/framework/types.go (Resource.Add: MilliValue for cpu, Value for the rest),
k8s.io/apimachinery/pkg/api/resource
"""

from __future__ import annotations

import functools
from types import MappingProxyType
from typing import Any

from k8slearn.api.quantity import cpu_millis, memory_bytes
from k8slearn.api.resource_requests import pod_request_amounts

# What a pod that requests nothing keeps from admission: one shared empty mapping (a memory saving).
NO_REQUESTS: MappingProxyType = MappingProxyType({})


def pod_requests(pod: dict) -> dict[str, int]:
    """Resource name -> what the pod requests of it (cpu in millicores), the zero ones left out:
    PodRequests, so init containers and sidecars count as they do for the scheduler."""
    spec = pod["spec"]
    if not spec.get("initContainers") and not spec.get("overhead"):  # the common case, summed directly
        total: dict[str, int] = {}
        for container in spec.get("containers", []):
            for name, value in ((container.get("resources") or {}).get("requests") or {}).items():
                total[name] = total.get(name, 0) + _amount(name, value)
    else:
        total = pod_request_amounts(pod, _amounts)
    return {name: amount for name, amount in total.items() if amount}


def _amounts(requests: dict | None) -> dict[str, int]:
    return {name: _amount(name, value) for name, value in (requests or {}).items()}


def _amount(resource: str, value: Any) -> int:
    """A quantity in millicores (cpu) or whole units (bytes for memory); the text of one is parsed once."""
    if isinstance(value, str):
        return _parsed_amount(resource, value)
    return cpu_millis(value) if resource == "cpu" else memory_bytes(value)


@functools.lru_cache(maxsize=4096)
def _parsed_amount(resource: str, text: str) -> int:
    """A simulation speed-up with identical results: the same few quantity texts recur."""
    return cpu_millis(text) if resource == "cpu" else memory_bytes(text)
