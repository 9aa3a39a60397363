"""NodeResourcesFit: the pod's requests must fit in what the node has left; the scoring strategy ranks nodes.

Filter compares the pod's request with ``allocatable - requested`` for every resource the pod
asks for, and reports *every* resource that is short. Score uses the profile's strategy
(``LeastAllocated`` by default: prefer the node that would have the most left over; also
``MostAllocated`` and ``RequestedToCapacityRatio``, see :mod:`.resource_allocation`), counting
100m CPU / 200Mi memory for containers that request nothing.

>>> from k8slearn.scheduler.node_info import NodeInfo
>>> node = {"metadata": {"name": "node-1"},
...         "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"}}}
>>> big = {"spec": {"containers": [{"resources": {"requests": {"cpu": "3", "memory": "8Gi"}}}]}}
>>> insufficient_resources(big, NodeInfo(node))
['Insufficient cpu', 'Insufficient memory']
>>> least_requested_score(requested=500, capacity=2000)    # 75% of the CPU left over
75
>>> NodeResourcesFit(args={"scoringStrategy": {"type": "MostAllocated"}}).strategy
'MostAllocated'

Upstream: pkg/scheduler/framework/plugins/noderesources/fit.go,
pkg/scheduler/apis/config/validation/validation_pluginargs.go (ValidateNodeResourcesFitArgs),
pkg/scheduler/apis/config/v1/defaults.go (SetDefaults_NodeResourcesFitArgs)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.labels import validate_label_key
from k8slearn.scheduler.events import NODE, POD, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.node_info import NodeInfo
from k8slearn.scheduler.plugins.resource_allocation import (
    DEFAULT_RESOURCES,
    LEAST_ALLOCATED,
    MOST_ALLOCATED,
    REQUESTED_TO_CAPACITY_RATIO,
    SCORING_STRATEGIES,
    ResourceAllocationScorer,
    least_requested_score,
    least_resource_scorer,
    most_requested_score,
    most_resource_scorer,
    requested_to_capacity_ratio_scorer,
)
from k8slearn.scheduler.resources import CPU, EPHEMERAL_STORAGE, MEMORY, PodInfo, Resource, pod_requests

__all__ = [
    "NodeResourcesFit",
    "fits",
    "fits_request",
    "insufficient_resources",
    "least_requested_score",
    "most_requested_score",
    "validate_args",
]

NAME = "NodeResourcesFit"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME
ERR_REASON_TOO_MANY_PODS = "Too many pods"
ERR_REASON_INSUFFICIENT = "Insufficient %s"


def fits_request(
    request: Resource,
    node_info: NodeInfo,
    ignored: frozenset = frozenset(),
    ignored_groups: frozenset = frozenset(),
) -> list[str]:
    """Every reason the request does not fit (empty list: it fits). Extended resources named in
    ``ignored`` (or whose prefix is in ``ignored_groups``) are not checked."""
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
        if "/" in name and (name in ignored or name.split("/", 1)[0] in ignored_groups):
            continue
        if amount and amount > (
            node_info.allocatable.scalar_resources.get(name, 0)
            - node_info.requested.scalar_resources.get(name, 0)
        ):
            reasons.append(ERR_REASON_INSUFFICIENT % name)
    return reasons


def insufficient_resources(pod: dict, node_info: NodeInfo) -> list[str]:
    """The predicate, as reasons: what ``pod`` lacks on this node."""
    return fits_request(pod_requests(pod), node_info)


def fits(pod: dict, node_info: NodeInfo) -> bool:
    return not insufficient_resources(pod, node_info)


def least_allocated_cpu_memory(
    node_info: NodeInfo, requests: list, resources: tuple = DEFAULT_RESOURCES
) -> int:
    """The default score (LeastAllocated over cpu and memory) spelled out, because it runs for every
    feasible node of every pod. Same result as the general ResourceAllocationScorer."""
    (_, cpu_weight), (_, memory_weight) = resources
    cpu_request, memory_request = requests
    node_score = weight_sum = 0
    if node_info.alloc_milli_cpu:
        cpu = least_requested_score(node_info.nz_milli_cpu + cpu_request, node_info.alloc_milli_cpu)
        node_score += cpu * cpu_weight
        weight_sum += cpu_weight
    if node_info.alloc_memory:
        memory = least_requested_score(node_info.nz_memory + memory_request, node_info.alloc_memory)
        node_score += memory * memory_weight
        weight_sum += memory_weight
    return node_score // weight_sum if weight_sum else 0


def validate_args(args: dict) -> list:
    """ValidateNodeResourcesFitArgs (paths relative to the args, as upstream's plugin reports them)."""
    errs = []
    for i, res in enumerate(args.get("ignoredResources") or ()):
        errs += [
            field.invalid(field.Path("ignoredResources").index(i), res, m) for m in validate_label_key(res)
        ]
    for i, group in enumerate(args.get("ignoredResourceGroups") or ()):
        path = field.Path("ignoredResourceGroups").index(i)
        if "/" in group:
            errs.append(field.invalid(path, group, "resource group name can't contain '/'"))
        errs += [field.invalid(path, group, m) for m in validate_label_key(group)]
    strategy = args.get("scoringStrategy")
    path = field.Path("scoringStrategy")
    if strategy is None:
        return errs + [field.required(path, "ScoringStrategy field is required")]
    kind = strategy.get("type", "")
    if kind not in SCORING_STRATEGIES:
        errs.append(field.not_supported(path.child("type"), kind, SCORING_STRATEGIES))
    for i, r in enumerate(strategy.get("resources") or ()):
        weight = r.get("weight", 0)
        if not isinstance(weight, int) or weight <= 0 or weight > 100:
            errs.append(
                field.invalid(
                    path.child("resources").index(i).child("weight"),
                    weight,
                    f"resource weight of {r.get('name', '')} not in valid range (0, 100]",
                )
            )
    ratio = strategy.get("requestedToCapacityRatio")
    if kind == REQUESTED_TO_CAPACITY_RATIO:
        if ratio is None:
            errs.append(
                field.required(
                    path.child("requestedToCapacityRatio"),
                    "must be specified when type is RequestedToCapacityRatio",
                )
            )
        else:
            errs += validate_shape(ratio.get("shape") or [], path.child("requestedToCapacityRatio", "shape"))
    elif ratio is not None:
        errs.append(
            field.forbidden(
                path.child("requestedToCapacityRatio"),
                "must be nil when type is not RequestedToCapacityRatio",
            )
        )
    return errs


def validate_shape(shape: list, path: field.Path) -> list:
    """validateFunctionShape: at least one point, utilization increasing in 0..100, score in 0..10."""
    if not shape:
        return [field.required(path, "at least one point must be specified")]
    errs = []
    for i in range(1, len(shape)):
        if shape[i - 1].get("utilization", 0) >= shape[i].get("utilization", 0):
            errs.append(
                field.invalid(
                    path.index(i).child("utilization"),
                    shape[i].get("utilization", 0),
                    "values must be sorted in increasing order",
                )
            )
            break
    for i, point in enumerate(shape):
        if not 0 <= point.get("utilization", 0) <= 100:
            errs.append(
                field.invalid(
                    path.index(i).child("utilization"),
                    point.get("utilization", 0),
                    "not in valid range [0, 100]",
                )
            )
        if not 0 <= point.get("score", 0) <= 10:
            errs.append(
                field.invalid(
                    path.index(i).child("score"), point.get("score", 0), "not in valid range [0, 10]"
                )
            )
    return errs


def default_args(args: dict | None) -> dict:
    """SetDefaults_NodeResourcesFitArgs: LeastAllocated over cpu and memory, weight 1 each."""
    args = dict(args or {})
    strategy = dict(args.get("scoringStrategy") or {"type": LEAST_ALLOCATED})
    resources = [dict(r) for r in strategy.get("resources") or ()] or [
        {"name": name, "weight": weight} for name, weight in DEFAULT_RESOURCES
    ]
    for r in resources:
        r["weight"] = r.get("weight") or 1
    strategy["resources"] = resources
    args["scoringStrategy"] = strategy
    return args


class NodeResourcesFit:
    """PreFilter, Filter, PreScore, Score (score weight 1 in the default profile).

    ``args`` is NodeResourcesFitArgs: ``{"scoringStrategy": {"type": "MostAllocated", "resources":
    [{"name": "cpu", "weight": 1}], "requestedToCapacityRatio": {"shape": [...]}}}``, plus
    ``ignoredResources`` and ``ignoredResourceGroups``."""

    name = NAME

    def __init__(
        self, handle: Any = None, args: dict | None = None, scoring_strategy: str = "", resources: tuple = ()
    ) -> None:
        self.handle = handle
        if scoring_strategy or resources:  # the keyword shortcut (tests, notebooks)
            args = {
                "scoringStrategy": {
                    "type": scoring_strategy or LEAST_ALLOCATED,
                    "resources": [{"name": n, "weight": w} for n, w in resources],
                }
            }
        args = default_args(args)
        errs = validate_args(args)
        if errs:
            raise ValueError(field.aggregate(errs))
        strategy = args["scoringStrategy"]
        self.strategy = strategy["type"]
        self.resources = tuple((r["name"], r["weight"]) for r in strategy["resources"])
        weights = [w for _, w in self.resources]
        if self.strategy == REQUESTED_TO_CAPACITY_RATIO:
            shape = [
                (p.get("utilization", 0), p.get("score", 0))
                for p in strategy["requestedToCapacityRatio"]["shape"]
            ]
            scorer = requested_to_capacity_ratio_scorer(shape, weights)
        elif self.strategy == MOST_ALLOCATED:
            scorer = most_resource_scorer(weights)
        else:
            scorer = least_resource_scorer(weights)
        self.scorer = ResourceAllocationScorer(self.resources, scorer, use_requested=False)
        self.ignored = frozenset(args.get("ignoredResources") or ())
        self.ignored_groups = frozenset(args.get("ignoredResourceGroups") or ())
        names = [resource for resource, _ in self.resources]
        self.cpu_memory = names == [CPU, MEMORY]
        self.default_scoring = self.strategy == LEAST_ALLOCATED and self.cpu_memory

    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        info = state.pod_info
        state[PRE_FILTER_STATE_KEY] = (
            info.requests if info is not None and info.pod is pod else pod_requests(pod)
        )
        return SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: NodeInfo) -> Status:
        request = state[PRE_FILTER_STATE_KEY] if PRE_FILTER_STATE_KEY in state else pod_requests(pod)
        reasons = fits_request(request, node_info, self.ignored, self.ignored_groups)
        if not reasons:
            return SUCCESS
        return Status(Code.Unschedulable, reasons)

    def filter_nodes(self, state: CycleState, pod: dict, nodes: list) -> list | None:
        """Filter for a whole list at once (None: every node fits); same verdicts as ``filter``."""
        request = state[PRE_FILTER_STATE_KEY] if PRE_FILTER_STATE_KEY in state else pod_requests(pod)
        if request.ephemeral_storage or request.scalar_resources:
            return [self.filter(state, pod, n) for n in nodes]
        never = -(1 << 62)  # a zero request is not checked: compare with a number nothing is below
        cpu, memory = request.milli_cpu or never, request.memory or never
        snapshot = getattr(self.handle, "snapshot", None)
        floor = getattr(snapshot, "fit_floor", None)
        if floor is not None and nodes and nodes[0] is snapshot.get(nodes[0].name):
            pods_floor, cpu_floor, memory_floor = floor
            if pods_floor >= 1 and cpu <= cpu_floor and memory <= memory_floor:
                return None  # the snapshot's nodes all have this much free (see Snapshot.fit_floor)
        short = [
            i
            for i, n in enumerate(nodes)
            if n.free_pods < 1 or cpu > n.free_milli_cpu or memory > n.free_memory
        ]
        if not short:
            return None
        results = [SUCCESS] * len(nodes)
        for i in short:
            results[i] = self.filter(state, pod, nodes[i])
        return results

    def pre_score(self, state: CycleState, pod: dict, nodes: list) -> Status:
        info = state.pod_info
        if self.cpu_memory and info is not None and info.pod is pod:  # computed once per pod already
            state[PRE_SCORE_STATE_KEY] = [info.non0_cpu, info.non0_mem]
        else:
            state[PRE_SCORE_STATE_KEY] = self.scorer.pod_requests(pod)
        return SUCCESS

    def score(self, state: CycleState, pod: dict, node_info: NodeInfo) -> int:
        requests = (
            state[PRE_SCORE_STATE_KEY] if PRE_SCORE_STATE_KEY in state else self.scorer.pod_requests(pod)
        )
        if self.default_scoring:
            return least_allocated_cpu_memory(node_info, requests, self.resources)
        return self.scorer.score(node_info, requests)

    def score_key(self, state: CycleState, pod: dict) -> tuple | None:
        """The score depends on the node and on these numbers only (see score_cache)."""
        requests = state.get(PRE_SCORE_STATE_KEY) if state is not None else None
        return tuple(requests) if requests is not None else None

    def score_nodes(self, state: CycleState, pod: dict, nodes: list) -> list[int]:
        """Score for a whole list at once; same numbers as ``score``."""
        requests = (
            state[PRE_SCORE_STATE_KEY] if PRE_SCORE_STATE_KEY in state else self.scorer.pod_requests(pod)
        )
        if not self.default_scoring:
            return [self.score(state, pod, n) for n in nodes]
        (_, cpu_weight), (_, memory_weight) = self.resources
        cpu, memory = requests
        weight_sum = cpu_weight + memory_weight
        out = []
        append = out.append
        for n in nodes:
            ac, am = n.alloc_milli_cpu, n.alloc_memory
            rc, rm = n.nz_milli_cpu + cpu, n.nz_memory + memory
            if ac and am and rc <= ac and rm <= am:  # the common case, spelled out
                append(
                    ((ac - rc) * 100 // ac * cpu_weight + (am - rm) * 100 // am * memory_weight) // weight_sum
                )
            else:
                append(least_allocated_cpu_memory(n, requests, self.resources))
        return out

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        return [
            (
                ClusterEvent(POD, ActionType.Delete | ActionType.UpdatePodScaleDown),
                self.is_schedulable_after_pod_event,
            ),
            (
                ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeAllocatable),
                self.is_schedulable_after_node_change,
            ),
        ]

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
        grew = (
            after.allowed_pod_number > before.allowed_pod_number
            or (request.milli_cpu and after.milli_cpu > before.milli_cpu)
            or (request.memory and after.memory > before.memory)
            or (request.ephemeral_storage and after.ephemeral_storage > before.ephemeral_storage)
            or any(
                after.scalar_resources.get(n, 0) > before.scalar_resources.get(n, 0)
                for n in request.scalar_resources
            )
        )
        return QueueingHint.Queue if grew else QueueingHint.QueueSkip
