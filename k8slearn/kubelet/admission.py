"""Pod admission: the kubelet's own check that a pod fits on its node before it runs it.

The scheduler already chose a node with room, but it decided from its cache, and other pods may
have landed on the node in between (or a pod was bound with ``spec.nodeName`` set directly,
skipping the scheduler). So before a pod worker starts anything, the kubelet runs the
scheduler's fit check (``noderesources.Fits``) against the pods it already admitted and the
node's ``status.allocatable``, in the same order: a free pod slot first, then cpu, memory,
ephemeral-storage, then hugepages and extended resources. A pod that does not fit is rejected
for good, on the first shortfall: phase ``Failed``, reason ``OutOfpods`` / ``OutOfcpu`` /
``OutOfmemory`` / ``OutOfephemeral-storage`` / ``OutOf<resource>``, message "Pod was rejected:
Node didn't have enough resource: ..."; the ``Warning`` event of the same reason has the
message without the "Pod was rejected: " prefix.

>>> first_insufficient({"cpu": 2000}, {"cpu": 500}, 3, {"cpu": "2", "pods": "110"})
('cpu', 2000, 500, 2000)
>>> first_insufficient({}, {}, 110, {"cpu": "2", "pods": "110"})    # a pod asking nothing needs a slot
('pods', 1, 110, 110)

Simplified: no node affinity, node name, host port, NoExecute taint or OS checks; no eviction of
critical pods to make room; a pod admitted before the kubelet saw its Node is not checked for
a pod slot.

Upstream: pkg/kubelet/lifecycle/predicate.go (predicateAdmitHandler.Admit, generalFilter,
removeMissingExtendedResources, InsufficientResourceError), pkg/kubelet/kubelet.go (rejectPod),
pkg/scheduler/framework/plugins/noderesources/fit.go (fitsRequest)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from k8slearn.api.meta import timestamp
from k8slearn.kubelet.resource_helpers import _amount, pod_requests

if TYPE_CHECKING:
    from k8slearn.kubelet.pod_workers import PodState

INSUFFICIENT_RESOURCE_PREFIX = "OutOf"  # OutOfcpu, OutOfmemory, OutOfephemeral-storage, OutOfpods
NOT_ENOUGH = "Node didn't have enough resource: {}, requested: {}, used: {}, capacity: {}"
STANDARD_ORDER = ("cpu", "memory", "ephemeral-storage")


def first_insufficient(
    requests: Mapping[str, int], used: Mapping[str, int], pod_count: int | None, allocatable: Mapping
) -> tuple[str, int, int, int] | None:
    """The first resource the pod lacks, as (name, requested, used, capacity), else None: fitsRequest's
    order, of which the kubelet reports only the first. ``pod_count`` is the pods already admitted
    (None: not checked)."""
    if pod_count is not None:
        allowed_pods = _amount("pods", allocatable.get("pods", "0"))
        if pod_count + 1 > allowed_pods:
            return "pods", 1, pod_count, allowed_pods
    scalars = sorted(name for name in requests if name not in STANDARD_ORDER)
    for name in (*STANDARD_ORDER, *scalars):
        requested = requests.get(name, 0)
        capacity = _amount(name, allocatable.get(name, "0"))
        if requested and requested > capacity - used.get(name, 0):
            return name, requested, used.get(name, 0), capacity
    return None


def without_missing_extended_resources(requests: dict[str, int], allocatable: Mapping) -> dict[str, int]:
    """removeMissingExtendedResources: an extended resource (``example.com/foo``) the node does not
    list is left to a cluster-level allocator, so the kubelet does not check it."""
    return {
        name: amount for name, amount in requests.items()
        if name in allocatable or not _is_extended_resource_name(name)
    }


def _is_extended_resource_name(name: str) -> bool:
    """IsExtendedResourceName: a qualified name outside ``kubernetes.io/`` (and not ``requests.*``)."""
    return "/" in name and "kubernetes.io/" not in name and not name.startswith("requests.")


class Admission:
    """The admission part of :class:`~k8slearn.kubelet.pod_workers.PodWorkers`."""

    def _admit(self, state: PodState, pod: dict) -> bool:
        """The kubelet's own fit check (the scheduler may have raced with other pods)."""
        requests = pod_requests(pod)
        node = self.k.node()
        allocatable = (node["status"].get("allocatable") or {}) if node else {}
        requests = without_missing_extended_resources(requests, allocatable)
        # Pods are counted only when the kubelet knows as many pods as the node allows: fewer can
        # never fill it (a simulation speed-up with the same answer). Without its Node yet
        # (upstream: the kubelet's initial node), a pod slot is assumed free.
        count_pods = node is not None and len(self.states) >= _amount("pods", allocatable.get("pods", "0"))
        pod_count, used = self._admitted_usage(state, count_pods, sum_requests=bool(requests))
        shortfall = first_insufficient(requests, used, pod_count if count_pods else None, allocatable)
        if shortfall is not None:
            self._reject(state, pod, shortfall)
            return False
        state.admitted = True
        if requests:  # else the default: one shared empty mapping for all such pods (a memory saving)
            state.requests = requests
        return True

    def _admitted_usage(self, state: PodState, count_pods: bool, sum_requests: bool) -> tuple[int, dict]:
        """How many other admitted pods are still active (not Succeeded or Failed), and what they
        request in all: the NodeInfo that Admit builds from ``attrs.OtherPods``, the kubelet's
        active pods. Skips the work nobody will read."""
        pod_count, used = 0, {}
        if not count_pods and not sum_requests:
            return pod_count, used
        for other in self.states.values():
            if not other.admitted or other.done or other.uid == state.uid or self._terminal(other):
                continue  # filterOutInactivePods: a Succeeded or Failed pod uses nothing any more
            if not count_pods and not other.requests:
                continue  # a pod that requests nothing adds nothing: its lookup is skipped
            if self._current(other) is None:
                continue
            pod_count += 1
            for name, amount in other.requests.items():
                used[name] = used.get(name, 0) + amount
        return pod_count, used

    def _reject(self, state: PodState, pod: dict, shortfall: tuple[str, int, int, int]) -> None:
        """rejectPod: a Warning event with the bare message; the status has phase Failed and the prefix."""
        reason = INSUFFICIENT_RESOURCE_PREFIX + shortfall[0]
        message = NOT_ENOUGH.format(*shortfall)
        state.rejected = reason
        self.k.events.event(pod, "Warning", reason, message)
        self._write(
            state,
            pod,
            {
                **pod["status"],
                "phase": "Failed",
                "reason": reason,
                "message": "Pod was rejected: " + message,
                "startTime": timestamp(self.loop.now),
            },
        )
