"""The value of a container's ``resourceFieldRef`` (the downward API's ``limits.cpu``, ``requests.memory``...).

Shared by the kubelet (a container's environment) and ``kubectl describe`` (its Environment
section), as upstream shares one helper.

Upstream: pkg/api/v1/resource/helpers.go (ExtractContainerResourceValue, convertResourceCPUToString,
convertResourceMemoryToString), pkg/kubelet/kubelet_resources.go (defaultPodLimitsForDownwardAPI),
k8s.io/kubectl/pkg/util/resource
"""

from __future__ import annotations

import math

from k8slearn.api.quantity import parse_quantity


def resource_field_value(ref: dict, container: dict, allocatable: dict) -> str:
    """ExtractContainerResourceValue: the quantity divided by the divisor, rounded up (CPU in
    millicores, the rest in units); a limit that is not set is taken from ``allocatable`` (the
    kubelet passes the node's, kubectl describe nothing, so it reads 0).

    >>> c = {"resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}
    >>> [resource_field_value({"resource": r, **d}, c, {"cpu": "2", "memory": "4Gi"}) for r, d in
    ...  [("requests.cpu", {}), ("requests.cpu", {"divisor": "1m"}), ("limits.cpu", {}),
    ...   ("requests.memory", {"divisor": "1Mi"}), ("limits.memory", {})]]
    ['1', '250', '2', '64', '4294967296']
    """
    kind, _, name = ref.get("resource", "").partition(".")
    resources = container.get("resources") or {}
    amount = (resources.get(kind) or {}).get(name)
    if amount is None and kind == "limits":
        amount = allocatable.get(name)
    quantity = parse_quantity(amount if amount is not None else "0")
    divisor = parse_quantity(ref.get("divisor") or "0")
    if not divisor.amount:  # unset (the API server stores "0"): 1
        divisor = parse_quantity("1")
    if name == "cpu":
        return str(math.ceil(quantity.milli_value() / divisor.milli_value()))
    return str(math.ceil(quantity.value() / divisor.value()))
