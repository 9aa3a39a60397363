"""NodeResourcesFit: the pod's requests must fit in what the node has left; emptier nodes score higher.

Filter compares the pod's request with ``allocatable - requested`` for every resource the pod
asks for, and reports *every* resource that is short. Score (strategy LeastAllocated) prefers
the node that would have the most left over, with 100m CPU / 200Mi memory counted for
containers that request nothing.

>>> from k8slearn.scheduler.cache import NodeInfo
>>> node = {"metadata": {"name": "node-1"},
...         "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}}
>>> big = {"spec": {"containers": [{"resources": {"requests": {"cpu": "3", "memory": "8Gi"}}}]}}
>>> insufficient_resources(big, NodeInfo(node))
['Insufficient cpu', 'Insufficient memory']
>>> least_requested_score(requested=500, capacity=2000)    # 75% of the CPU left over
75

Upstream: pkg/scheduler/framework/plugins/noderesources/fit.go, least_allocated.go, most_allocated.go,
resource_allocation.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.cache import NodeInfo
from k8slearn.scheduler.events import NODE, POD, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import MAX_NODE_SCORE, SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.resources import (CPU, EPHEMERAL_STORAGE, MEMORY, NON_MISSING_CONTAINER_REQUESTS,
                                          PodInfo, Resource, is_scalar_resource_name, pod_request_amounts,
                                          pod_requests)

NAME = "NodeResourcesFit"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME
ERR_REASON_TOO_MANY_PODS = "Too many pods"
ERR_REASON_INSUFFICIENT = "Insufficient %s"
LEAST_ALLOCATED, MOST_ALLOCATED = "LeastAllocated", "MostAllocated"
DEFAULT_RESOURCES = ((CPU, 1), (MEMORY, 1))  # resource, weight


def fits_request(request: Resource, node_info: NodeInfo) -> list[str]:
    """Every reason the request does not fit (empty list: it fits)."""
    reasons = []
    if node_info.free_pods < 1:  # len(pods) + 1 > allocatable pods
        reasons.append(ERR_REASON_TOO_MANY_PODS)
    if not (request.milli_cpu or request.memory or request.ephemeral_storage or request.scalar_resources):
        return reasons  # a pod that asks for nothing only needs a pod slot
    if request.milli_cpu > 0 and request.milli_cpu > node_info.free_milli_cpu:
        reasons.append(ERR_REASON_INSUFFICIENT % CPU)
    if request.memory > 0 and request.memory > node_info.free_memory:
        reasons.append(ERR_REASON_INSUFFICIENT % MEMORY)
    free_ephemeral = node_info.allocatable.ephemeral_storage - node_info.requested.ephemeral_storage
    if request.ephemeral_storage > 0 and request.ephemeral_storage > free_ephemeral:
        reasons.append(ERR_REASON_INSUFFICIENT % EPHEMERAL_STORAGE)
    for name in sorted(request.scalar_resources) if request.scalar_resources else ():
        amount = request.scalar_resources[name]
        if amount and amount > (node_info.allocatable.scalar_resources.get(name, 0)
                                - node_info.requested.scalar_resources.get(name, 0)):
            reasons.append(ERR_REASON_INSUFFICIENT % name)
    return reasons


def insufficient_resources(pod: dict, node_info: NodeInfo) -> list[str]:
    """The predicate, as reasons: what ``pod`` lacks on this node."""
    return fits_request(pod_requests(pod), node_info)


def fits(pod: dict, node_info: NodeInfo) -> bool:
    return not insufficient_resources(pod, node_info)


def least_requested_score(requested: int, capacity: int) -> int:
    """The share of the resource left over, 0..100 (0 if the node would be over-committed)."""
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def most_requested_score(requested: int, capacity: int) -> int:
    """The share of the resource in use, 0..100 (bin packing)."""
    if capacity == 0:
        return 0
    return min(requested, capacity) * MAX_NODE_SCORE // capacity


def resource_allocatable_request(node_info: NodeInfo, resource: str, pod_request: int) -> tuple[int, int]:
    """(allocatable, requested-after-placing-the-pod) for one resource; (0, 0) means: don't score it."""
    if resource == CPU:
        return node_info.allocatable.milli_cpu, node_info.non_zero_requested.milli_cpu + pod_request
    if resource == MEMORY:
        return node_info.allocatable.memory, node_info.non_zero_requested.memory + pod_request
    if resource == EPHEMERAL_STORAGE:
        return node_info.allocatable.ephemeral_storage, node_info.requested.ephemeral_storage + pod_request
    if pod_request == 0 and is_scalar_resource_name(resource):
        return 0, 0
    allocatable = node_info.allocatable.scalar_resources
    if resource in allocatable:
        return allocatable[resource], node_info.requested.scalar_resources.get(resource, 0) + pod_request
    return 0, 0


def least_allocated_cpu_memory(node_info: NodeInfo, requests: list) -> int:
    """The default score (LeastAllocated over cpu and memory) spelled out, because it runs for every
    feasible node of every pod. Same result as the general loop in ``NodeResourcesFit.score``."""
    (_, cpu_weight, cpu_request), (_, memory_weight, memory_request) = requests
    allocatable, requested = node_info.allocatable, node_info.non_zero_requested
    node_score = weight_sum = 0
    if allocatable.milli_cpu:
        cpu = least_requested_score(requested.milli_cpu + cpu_request, allocatable.milli_cpu)
        node_score += cpu * cpu_weight
        weight_sum += cpu_weight
    if allocatable.memory:
        memory = least_requested_score(requested.memory + memory_request, allocatable.memory)
        node_score += memory * memory_weight
        weight_sum += memory_weight
    return node_score // weight_sum if weight_sum else 0


class NodeResourcesFit:
    """PreFilter, Filter, PreScore, Score (score weight 1 in the default profile)."""

    name = NAME

    def __init__(self, handle: Any = None, scoring_strategy: str = LEAST_ALLOCATED,
                 resources: tuple = DEFAULT_RESOURCES) -> None:
        self.handle = handle
        self.resources = tuple(resources)
        self.scorer = {LEAST_ALLOCATED: least_requested_score, MOST_ALLOCATED: most_requested_score}[
            scoring_strategy]
        names = [resource for resource, _ in self.resources]
        self.default_scoring = scoring_strategy == LEAST_ALLOCATED and names == [CPU, MEMORY]

    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        state[PRE_FILTER_STATE_KEY] = pod_requests(pod)
        return SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: NodeInfo) -> Status:
        reasons = fits_request(state[PRE_FILTER_STATE_KEY], node_info)
        if not reasons:
            return SUCCESS
        return Status(Code.Unschedulable, reasons)

    def pod_resource_requests(self, pod: dict) -> list[tuple[str, int, int]]:
        """(resource, weight, the pod's request with the non-zero defaults) for each scored resource."""
        amounts = pod_request_amounts(pod, NON_MISSING_CONTAINER_REQUESTS)
        return [(resource, weight, amounts.get(resource, 0)) for resource, weight in self.resources]

    def pre_score(self, state: CycleState, pod: dict, nodes: list) -> Status:
        state[PRE_SCORE_STATE_KEY] = self.pod_resource_requests(pod)
        return SUCCESS

    def score(self, state: CycleState, pod: dict, node_info: NodeInfo) -> int:
        try:
            requests = state[PRE_SCORE_STATE_KEY]
        except KeyError:  # called without PreScore (a notebook, a test): compute it here
            requests = self.pod_resource_requests(pod)
        if self.default_scoring:
            return least_allocated_cpu_memory(node_info, requests)  # the default, for every node
        node_score = weight_sum = 0
        for resource, weight, pod_request in requests:
            allocatable, requested = resource_allocatable_request(node_info, resource, pod_request)
            if allocatable:
                node_score += self.scorer(requested, allocatable) * weight
                weight_sum += weight
        return node_score // weight_sum if weight_sum else 0

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        return [(ClusterEvent(POD, ActionType.Delete | ActionType.UpdatePodScaleDown),
                 self.is_schedulable_after_pod_event),
                (ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeAllocatable),
                 self.is_schedulable_after_node_change)]

    def is_schedulable_after_pod_event(self, pod: dict, old: dict | None, new: dict | None) -> QueueingHint:
        if new is None:  # a pod was deleted: only an assigned one frees resources
            return QueueingHint.Queue if (old.get("spec") or {}).get("nodeName") else QueueingHint.QueueSkip
        same_pod = PodInfo(new).key == PodInfo(pod).key
        return QueueingHint.Queue if same_pod else QueueingHint.QueueSkip  # the pending pod scaled down

    def is_schedulable_after_node_change(self, pod: dict, old: dict | None, new: dict) -> QueueingHint:
        """Queue only if the pod would fit the (empty) node, and the node grew where it matters."""
        if not fits(pod, NodeInfo(new)):
            return QueueingHint.QueueSkip
        if old is None:
            return QueueingHint.Queue
        before, after = NodeInfo(old).allocatable, NodeInfo(new).allocatable
        request = pod_requests(pod)
        grew = (after.allowed_pod_number > before.allowed_pod_number
                or (request.milli_cpu and after.milli_cpu > before.milli_cpu)
                or (request.memory and after.memory > before.memory)
                or (request.ephemeral_storage and after.ephemeral_storage > before.ephemeral_storage)
                or any(after.scalar_resources.get(n, 0) > before.scalar_resources.get(n, 0)
                       for n in request.scalar_resources))
        return QueueingHint.Queue if grew else QueueingHint.QueueSkip
