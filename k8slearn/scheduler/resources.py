"""What a pod asks for and what a node offers, as the scheduler counts them.

A pod's request is the sum of its containers' requests, raised to the largest init container
(init containers run one at a time, before the app containers), plus the pod's ``overhead``.
Restartable init containers (sidecars) keep running, so they add up like app containers.

>>> pod = {"spec": {
...     "containers": [{"resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}},
...                    {"resources": {"requests": {"cpu": "250m"}}}],
...     "initContainers": [{"resources": {"requests": {"cpu": "1"}}}]}}
>>> r = pod_requests(pod)
>>> r.milli_cpu, r.memory // 2**20
(1000, 64)
>>> info = PodInfo(pod)
>>> info.non0_cpu, info.non0_mem // 2**20    # the second container's missing memory counts as 200Mi
(1000, 264)

For scoring only, a container that names no cpu or memory request counts as ``100m`` / ``200Mi``
(``DefaultMilliCPURequest``, ``DefaultMemoryRequest``), so that many "free" pods do not pile onto
one node. Filtering always uses the real requests.

Simplified: no pod-level resources (alpha in v1.32), no in-place resize status.

Upstream: pkg/scheduler/framework/types.go (Resource, PodInfo, calculateResource),
staging/src/k8s.io/component-helpers/resource/helpers.go (PodRequests), pkg/scheduler/util/pod_resources.go
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from k8slearn.api.quantity import parse_quantity
from k8slearn.api.resource_requests import pod_request_amounts as request_amounts
from k8slearn.api.shared import SharedTable
from k8slearn.scheduler.pod_counts import count_key

DEFAULT_MILLI_CPU_REQUEST = 100  # 0.1 core
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024  # 200 MB
NON_MISSING_CONTAINER_REQUESTS = {"cpu": "100m", "memory": "200Mi"}

CPU, MEMORY, EPHEMERAL_STORAGE, PODS = "cpu", "memory", "ephemeral-storage", "pods"


@functools.lru_cache(maxsize=4096)
def milli_value(q: str) -> int:
    """``500m`` -> 500 (cached: the same few strings come back millions of times)."""
    return parse_quantity(q).milli_value()


@functools.lru_cache(maxsize=4096)
def value(q: str) -> int:
    """``64Mi`` -> 67108864."""
    return parse_quantity(q).value()


def is_scalar_resource_name(name: str) -> bool:
    """Extended resources (``nvidia.com/gpu``), hugepages and attachable volumes: counted, not named."""
    if name.startswith(("hugepages-", "attachable-volumes-")):
        return True
    return "/" in name and not name.startswith("requests.")


class Resource:
    """A bundle of amounts: millicores, bytes, a pod count and any scalar (extended) resources."""

    __slots__ = ("allowed_pod_number", "ephemeral_storage", "memory", "milli_cpu", "scalar_resources")

    def __init__(
        self,
        milli_cpu: int = 0,
        memory: int = 0,
        ephemeral_storage: int = 0,
        allowed_pod_number: int = 0,
        scalar_resources: dict | None = None,
    ) -> None:
        self.milli_cpu = milli_cpu
        self.memory = memory
        self.ephemeral_storage = ephemeral_storage
        self.allowed_pod_number = allowed_pod_number
        self.scalar_resources = scalar_resources if scalar_resources is not None else {}

    @classmethod
    def from_list(cls, resource_list: Mapping | None) -> Resource:
        """A Resource from a ResourceList such as ``status.allocatable`` (NewResource)."""
        r = cls()
        for name, q in (resource_list or {}).items():
            q = str(q)
            if name == CPU:
                r.milli_cpu += milli_value(q)
            elif name == MEMORY:
                r.memory += value(q)
            elif name == PODS:
                r.allowed_pod_number += value(q)
            elif name == EPHEMERAL_STORAGE:
                r.ephemeral_storage += value(q)
            elif is_scalar_resource_name(name):
                r.scalar_resources[name] = r.scalar_resources.get(name, 0) + value(q)
        return r

    def add(self, other: Resource, sign: int = 1) -> None:
        self.milli_cpu += sign * other.milli_cpu
        self.memory += sign * other.memory
        self.ephemeral_storage += sign * other.ephemeral_storage
        self.allowed_pod_number += sign * other.allowed_pod_number
        for name, amount in other.scalar_resources.items():
            self.scalar_resources[name] = self.scalar_resources.get(name, 0) + sign * amount

    def copy_from(self, other: Resource) -> None:
        self.milli_cpu, self.memory = other.milli_cpu, other.memory
        self.ephemeral_storage, self.allowed_pod_number = other.ephemeral_storage, other.allowed_pod_number
        self.scalar_resources = dict(other.scalar_resources) if other.scalar_resources else {}

    def clone(self) -> Resource:
        return Resource(
            self.milli_cpu,
            self.memory,
            self.ephemeral_storage,
            self.allowed_pod_number,
            dict(self.scalar_resources),
        )

    def is_zero(self) -> bool:
        return not (self.milli_cpu or self.memory or self.ephemeral_storage or self.scalar_resources)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Resource) and all(
            getattr(self, f) == getattr(other, f) for f in Resource.__slots__
        )

    def __repr__(self) -> str:
        extra = f", scalar_resources={self.scalar_resources}" if self.scalar_resources else ""
        return (
            f"Resource(milli_cpu={self.milli_cpu}, memory={self.memory}, "
            f"ephemeral_storage={self.ephemeral_storage}, "
            f"allowed_pod_number={self.allowed_pod_number}{extra})"
        )


def _amounts(requests: Mapping | None, non_missing: Mapping | None) -> dict[str, int]:
    """One container's requests as integers (cpu in millicores), with defaults for missing names."""
    if non_missing:
        requests = {**non_missing, **(requests or {})}
    out = {}
    for name, q in (requests or {}).items():
        out[name] = milli_value(str(q)) if name == CPU else value(str(q))
    return out


def pod_request_amounts(pod: Mapping, non_missing: Mapping | None = None) -> dict[str, int]:
    """PodRequests: name -> amount (cpu in millicores), sidecar-aware, overhead included."""
    return request_amounts(pod, lambda requests: _amounts(requests, non_missing),
                           lambda overhead: _amounts(overhead, None))


def pod_requests(pod: Mapping, non_missing: Mapping | None = None) -> Resource:
    """The pod's request as a :class:`Resource` (what NodeResourcesFit compares with free space)."""
    r = Resource()
    for name, amount in pod_request_amounts(pod, non_missing).items():
        if name == CPU:
            r.milli_cpu = amount
        elif name == MEMORY:
            r.memory = amount
        elif name == EPHEMERAL_STORAGE:
            r.ephemeral_storage = amount
        elif is_scalar_resource_name(name):
            r.scalar_resources[name] = amount
    return r


# Pods made from one template ask for the same amounts: they share one Resource (and one big int
# for the non-zero memory) instead of each holding equal copies. A memory saving with the same
# values; a pod's requests are only ever read (NodeInfo sums them into a Resource of its own).
SHARED_LIMIT = 4_096  # distinct requests shared before starting over
_shared_requests = SharedTable(SHARED_LIMIT)
_shared_amounts = SharedTable(SHARED_LIMIT)


def shared_request(request: Resource) -> Resource:
    """An equal Resource, the same object for every equal request (see above)."""
    key = (
        request.milli_cpu,
        request.memory,
        request.ephemeral_storage,
        request.allowed_pod_number,
        tuple(sorted(request.scalar_resources.items())),
    )
    return _shared_requests.share(key, request)


def shared_amount(amount: int) -> int:
    """An equal int, the same object for every equal amount (see above)."""
    return _shared_amounts[amount]


class PodInfo:
    """A pod plus what the scheduler precomputes about it once: key, requests, non-zero requests,
    host ports, whether it has pod (anti-)affinity (the parsed terms are built on first use), and
    the group it is counted in by label set (see :mod:`k8slearn.scheduler.pod_counts`)."""

    __slots__ = (
        "_terms",
        "count_key",
        "has_affinity",
        "has_required_anti_affinity",
        "host_ports",
        "key",
        "non0_cpu",
        "non0_mem",
        "pod",
        "requests",
    )

    def __init__(self, pod: Mapping) -> None:
        self.pod = pod
        meta = pod.get("metadata") or {}
        self.key = f"{meta.get('namespace', '')}/{meta.get('name', '')}"
        self.count_key = count_key(meta)
        self.requests = shared_request(pod_requests(pod))
        non0 = pod_request_amounts(pod, NON_MISSING_CONTAINER_REQUESTS)
        self.non0_cpu = non0.get(CPU, 0)
        self.non0_mem = shared_amount(non0.get(MEMORY, 0))
        spec = pod.get("spec") or {}
        self.host_ports = host_ports(spec)
        affinity = spec.get("affinity") or {}
        anti = affinity.get("podAntiAffinity") or {}
        self.has_affinity = bool(affinity.get("podAffinity") or anti)
        self.has_required_anti_affinity = bool(anti.get("requiredDuringSchedulingIgnoredDuringExecution"))
        self._terms = None

    @property
    def terms(self):
        """The pod's (anti-)affinity terms, parsed (see :mod:`k8slearn.scheduler.affinity_terms`)."""
        if self._terms is None:
            from k8slearn.scheduler.affinity_terms import pod_affinity_terms

            self._terms = pod_affinity_terms(self.pod)
        return self._terms

    def with_pod(self, pod: Mapping) -> PodInfo:
        """The same pod, another version of its object (requests are not recomputed)."""
        clone = PodInfo.__new__(PodInfo)
        for name in PodInfo.__slots__:
            setattr(clone, name, getattr(self, name))
        clone.pod = pod
        clone.count_key = count_key(pod.get("metadata") or {})
        return clone

    @property
    def node_name(self) -> str:
        return (self.pod.get("spec") or {}).get("nodeName") or ""

    @property
    def priority(self) -> int:
        return (self.pod.get("spec") or {}).get("priority") or 0

    def __repr__(self) -> str:
        return f"PodInfo({self.key})"


def host_ports(spec: Mapping) -> tuple:
    """GetHostPorts: (hostIP, protocol, hostPort) of every container port that asks for a host port,
    sidecars included; an empty hostIP means 0.0.0.0 and an empty protocol TCP."""
    out = []
    sidecars = [c for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"]
    for c in [*sidecars, *(spec.get("containers") or ())]:
        for p in c.get("ports") or ():
            port = p.get("hostPort") or 0
            if port > 0:
                out.append((p.get("hostIP") or "0.0.0.0", p.get("protocol") or "TCP", port))
    return tuple(out)
