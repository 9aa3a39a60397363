"""What a pod requests in all: PodRequests, shared by the scheduler and the kubelet's admission.

A pod needs the sum of its containers' requests while it runs. Init containers run one at a time
before that, so the pod needs at least the largest of them; a sidecar (an init container with
``restartPolicy: Always``) keeps running beside everything started after it, so it adds to the
app containers and to every init container after it. The pod's ``overhead`` comes on top:

>>> def cpu(c):
...     return {"name": c[0], "resources": {"requests": {"cpu": c[1]}}}
>>> def millis(requests):
...     return {name: int(float(q.rstrip("m"))) if q.endswith("m") else int(float(q) * 1000)
...             for name, q in (requests or {}).items()}
>>> pod = {"spec": {"containers": [cpu(("app", "500m"))],
...                 "initContainers": [cpu(("migrate", "2")), {**cpu(("proxy", "250m")), "restartPolicy": "Always"},
...                                    cpu(("warm", "1"))]}}
>>> pod_request_amounts(pod, millis)
{'cpu': 2000}

Here ``migrate`` alone needs 2 CPUs, more than ``proxy`` with ``warm`` (1.25) or ``proxy`` with
``app`` (0.75).

Upstream: staging/src/k8s.io/component-helpers/resource/helpers.go (PodRequests,
AggregateContainerRequests)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def _add_into(total: dict, amounts: dict) -> None:
    for name, amount in amounts.items():
        total[name] = total.get(name, 0) + amount


def _max_into(total: dict, amounts: dict) -> None:
    for name, amount in amounts.items():
        if amount > total.get(name, 0):
            total[name] = amount


def pod_request_amounts(pod: Mapping, amounts: Callable[[Mapping | None], dict[str, int]],
                        overhead_amounts: Callable[[Mapping], dict[str, int]] | None = None) -> dict[str, int]:
    """Resource name -> amount the pod requests; ``amounts`` turns one container's ``requests``
    into integers (``overhead_amounts``, if given, the pod's ``overhead``)."""
    spec = pod.get("spec") or {}
    reqs: dict[str, int] = {}
    for c in spec.get("containers") or ():
        _add_into(reqs, amounts((c.get("resources") or {}).get("requests")))
    sidecars: dict[str, int] = {}
    init_reqs: dict[str, int] = {}
    for c in spec.get("initContainers") or ():
        each = amounts((c.get("resources") or {}).get("requests"))
        if c.get("restartPolicy") == "Always":  # a sidecar keeps running beside the app containers
            _add_into(reqs, each)
            _add_into(sidecars, each)
            each = dict(sidecars)
        else:
            each = {**each}
            _add_into(each, sidecars)
        _max_into(init_reqs, each)
    _max_into(reqs, init_reqs)
    overhead = spec.get("overhead")
    if overhead:
        _add_into(reqs, (overhead_amounts or amounts)(overhead))
    return reqs
