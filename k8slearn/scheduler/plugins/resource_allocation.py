"""Scoring by resource use: the strategies NodeResourcesFit and BalancedAllocation share.

Each strategy turns, per resource, (what would be requested after placing the pod, what the node
can give) into 0..100, then averages over the resources by weight (integer division):

* ``LeastAllocated`` (the default): the share left free — spreads pods over nodes;
* ``MostAllocated``: the share in use — packs pods onto fewer nodes;
* ``RequestedToCapacityRatio``: a broken-line function of the utilisation, given as a *shape* of
  (utilization %, score 0..10) points — any policy in between;
* BalancedAllocation: 100 × (1 − the standard deviation of the cpu and memory fractions).

>>> least_requested_score(requested=500, capacity=2000), most_requested_score(500, 2000)
(75, 25)
>>> bin_pack = broken_linear_function([(0, 0), (100, 100)])    # scores already scaled to 0..100
>>> bin_pack(30), broken_linear_function([(0, 100), (100, 0)])(30)
(30, 70)
>>> balanced_resource_scorer([1000, 2 * 2**30], [2000, 4 * 2**30])    # both at 50%: perfectly balanced
100

Upstream: pkg/scheduler/framework/plugins/noderesources/resource_allocation.go, least_allocated.go,
most_allocated.go, requested_to_capacity_ratio.go, balanced_allocation.go,
pkg/scheduler/framework/plugins/helper/shape_score.go
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from k8slearn.scheduler.framework import MAX_NODE_SCORE
from k8slearn.scheduler.resources import (
    CPU,
    EPHEMERAL_STORAGE,
    MEMORY,
    NON_MISSING_CONTAINER_REQUESTS,
    is_scalar_resource_name,
    pod_request_amounts,
)

LEAST_ALLOCATED, MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO = (
    "LeastAllocated",
    "MostAllocated",
    "RequestedToCapacityRatio",
)
SCORING_STRATEGIES = (LEAST_ALLOCATED, MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO)
DEFAULT_RESOURCES = ((CPU, 1), (MEMORY, 1))  # resource, weight
MAX_UTILIZATION = 100
MAX_CUSTOM_PRIORITY_SCORE = 10  # shape scores are 0..10 in the configuration


def go_div(a: int, b: int) -> int:
    """Go's integer division truncates toward zero (Python's // floors): -7 / 2 is -3 in Go."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def least_requested_score(requested: int, capacity: int) -> int:
    """The share of the resource left over, 0..100 (0 if the node would be over-committed)."""
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def most_requested_score(requested: int, capacity: int) -> int:
    """The share of the resource in use, 0..100 (requested is capped at the capacity)."""
    if capacity == 0:
        return 0
    return min(requested, capacity) * MAX_NODE_SCORE // capacity


def _weighted_average(resource_score: Callable[[int, int], int], weights: list[int]) -> Callable:
    def scorer(requested: list[int], allocatable: list[int]) -> int:
        node_score = weight_sum = 0
        for i, capacity in enumerate(allocatable):
            if capacity:
                node_score += resource_score(requested[i], capacity) * weights[i]
                weight_sum += weights[i]
        return node_score // weight_sum if weight_sum else 0

    return scorer


def least_resource_scorer(weights: list[int]) -> Callable:
    return _weighted_average(least_requested_score, weights)


def most_resource_scorer(weights: list[int]) -> Callable:
    return _weighted_average(most_requested_score, weights)


def broken_linear_function(shape: list[tuple[int, int]]) -> Callable[[int], int]:
    """BuildBrokenLinearFunction: straight lines between the (utilization, score) points."""

    def f(p: int) -> int:
        for i, (utilization, score) in enumerate(shape):
            if p <= utilization:
                if i == 0:
                    return score
                u0, s0 = shape[i - 1]
                return s0 + go_div((score - s0) * (p - u0), utilization - u0)
        return shape[-1][1]

    return f


def requested_to_capacity_ratio_scorer(shape: Iterable[tuple[int, int]], weights: list[int]) -> Callable:
    """The shape's 0..10 scores are scaled to 0..100; resources scoring 0 are left out of the average,
    and the average is rounded (not truncated)."""
    raw = broken_linear_function([(u, s * (MAX_NODE_SCORE // MAX_CUSTOM_PRIORITY_SCORE)) for u, s in shape])

    def resource_score(requested: int, capacity: int) -> int:
        if capacity == 0 or requested > capacity:
            return raw(MAX_UTILIZATION)
        return raw(requested * MAX_UTILIZATION // capacity)

    def scorer(requested: list[int], allocatable: list[int]) -> int:
        node_score = weight_sum = 0
        for i, capacity in enumerate(allocatable):
            if capacity:
                score = resource_score(requested[i], capacity)
                if score > 0:
                    node_score += score * weights[i]
                    weight_sum += weights[i]
        return math.floor(node_score / weight_sum + 0.5) if weight_sum else 0  # Go's math.Round

    return scorer


def balanced_resource_scorer(requested: list[int], allocatable: list[int]) -> int:
    """100 × (1 − std) of the used fractions (each capped at 1); two resources: std = |f1 − f2| / 2."""
    fractions = [min(r / a, 1.0) for r, a in zip(requested, allocatable) if a]
    std = 0.0
    if len(fractions) == 2:
        std = abs((fractions[0] - fractions[1]) / 2)
    elif len(fractions) > 2:
        mean = sum(fractions) / len(fractions)
        std = math.sqrt(sum((f - mean) ** 2 for f in fractions) / len(fractions))
    return int((1 - std) * MAX_NODE_SCORE)


class ResourceAllocationScorer:
    """resourceAllocationScorer: which resources, which scorer, and whether to count real requests
    (BalancedAllocation) or the non-zero defaults for containers without requests (Fit scoring)."""

    def __init__(self, resources: Iterable[tuple[str, int]], scorer: Callable, use_requested: bool) -> None:
        self.resources = list(resources)
        self.scorer = scorer
        self.use_requested = use_requested

    def pod_requests(self, pod: dict) -> list[int]:
        """The pod's request for each scored resource, in order."""
        amounts = pod_request_amounts(pod, None if self.use_requested else NON_MISSING_CONTAINER_REQUESTS)
        return [amounts.get(name, 0) for name, _ in self.resources]

    def allocatable_and_requested(self, node_info, resource: str, pod_request: int) -> tuple[int, int]:
        """(allocatable, requested after placing the pod) for one resource; (0, 0) means: skip it."""
        requested = node_info.requested if self.use_requested else node_info.non_zero_requested
        if pod_request == 0 and is_scalar_resource_name(resource):
            return 0, 0
        if resource == CPU:
            return node_info.allocatable.milli_cpu, requested.milli_cpu + pod_request
        if resource == MEMORY:
            return node_info.allocatable.memory, requested.memory + pod_request
        if resource == EPHEMERAL_STORAGE:
            return (
                node_info.allocatable.ephemeral_storage,
                node_info.requested.ephemeral_storage + pod_request,
            )
        allocatable = node_info.allocatable.scalar_resources
        if resource in allocatable:
            return allocatable[resource], node_info.requested.scalar_resources.get(resource, 0) + pod_request
        return 0, 0

    def score(self, node_info, pod_requests: list[int]) -> int:
        requested, allocatable = [], []
        for (name, _), pod_request in zip(self.resources, pod_requests):
            alloc, req = self.allocatable_and_requested(node_info, name, pod_request)
            allocatable.append(alloc)
            requested.append(req if alloc else 0)
        return self.scorer(requested, allocatable)
