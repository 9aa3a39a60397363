"""Pod admission: the kubelet's own check that a pod fits on its node before it runs it.

The scheduler already chose a node with room, but it decided from its cache, and other pods may
have landed on the node in between (or a pod was bound with ``spec.nodeName`` set directly,
skipping the scheduler). So before a pod worker starts anything, the kubelet adds the pod's
cpu and memory requests to those of the pods it already admitted and compares the sums with the
node's ``status.allocatable``. A pod that does not fit is rejected for good: phase ``Failed``,
reason ``OutOfcpu`` / ``OutOfmemory``, message "Pod was rejected: Node didn't have enough
resource: ..."; the ``Warning`` event of the same reason has the message without the "Pod was
rejected: " prefix.

Simplified: only cpu and memory (no pods-per-node limit, extended resources, node affinity,
taints or OS/arch checks); no eviction to make room.

Upstream: pkg/kubelet/lifecycle/predicate.go (predicateAdmitHandler.Admit), pkg/kubelet/kubelet.go
(rejectPod), pkg/scheduler/framework/plugins/noderesources/fit.go (the shared fit check)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slearn.api.meta import timestamp
from k8slearn.kubelet.resource_helpers import _amount, _requests

if TYPE_CHECKING:
    from k8slearn.kubelet.pod_workers import PodState


class Admission:
    """The admission part of :class:`~k8slearn.kubelet.pod_workers.PodWorkers`."""

    def _admit(self, state: PodState, pod: dict) -> bool:
        """The kubelet's own fit check (the scheduler may have raced with other pods)."""
        requests = (_requests(pod, "cpu"), _requests(pod, "memory"))
        if requests[0] or requests[1]:
            # A pod that requests nothing always fits (a zero request is never checked), so
            # only a pod with requests sums what the others use.
            node = self.k.node()
            alloc = node["status"]["allocatable"] if node else {}
            used_cpu = used_mem = 0
            for other in self.states.values():
                # An other pod that requests nothing adds nothing: its lookup is skipped (a
                # simulation speed-up with the same sums).
                if other.admitted and not other.done and other.uid != state.uid and other.requests != (0, 0):
                    if self._current(other) is not None:
                        used_cpu += other.requests[0]
                        used_mem += other.requests[1]
            for resource, requested, used, capacity in (
                ("cpu", requests[0], used_cpu, _amount("cpu", alloc.get("cpu", "0"))),
                ("memory", requests[1], used_mem, _amount("memory", alloc.get("memory", "0"))),
            ):
                if requested and requested + used > capacity:
                    reason = f"OutOf{resource}"
                    message = (
                        f"Node didn't have enough resource: {resource}, requested: "
                        f"{requested}, used: {used}, capacity: {capacity}"
                    )
                    state.rejected = reason
                    # rejectPod: the event has the bare message, only the status the prefix
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
                    return False
        state.admitted = True
        if requests != (0, 0):  # else the default: one (0, 0) for all such pods (a memory saving)
            state.requests = requests
        return True
