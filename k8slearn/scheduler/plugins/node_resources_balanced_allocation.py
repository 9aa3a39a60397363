"""NodeResourcesBalancedAllocation: prefer the node whose cpu and memory would be used in equal shares.

A node whose CPU is 90% requested but whose memory is 10% requested strands memory nobody can
use; one at 50% / 50% does not. The score is 100 × (1 − std) of the fractions (requested after
placing the pod / allocatable, each capped at 1). Unlike NodeResourcesFit's score, it counts the
real requests: a container without requests adds nothing.

>>> from k8slearn.scheduler.node_info import NodeInfo
>>> node = NodeInfo({"metadata": {"name": "n"}, "status": {"allocatable": {"cpu": "2", "memory": "4Gi"}}})
>>> pod = {"spec": {"containers": [{"resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}}
>>> balanced_score(pod, node)    # cpu 50%, memory 25%: std = 0.125
87

Upstream: pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.scheduler.framework import SUCCESS, CycleState, Status
from k8slearn.scheduler.plugins.resource_allocation import (
    DEFAULT_RESOURCES,
    ResourceAllocationScorer,
    balanced_resource_scorer,
)
from k8slearn.scheduler.resources import CPU, MEMORY

NAME = "NodeResourcesBalancedAllocation"
PRE_SCORE_STATE_KEY = "PreScore" + NAME


def balanced_score(pod: dict, node_info: Any, resources: tuple = DEFAULT_RESOURCES) -> int:
    """The score function on its own (the plugin precomputes the pod's requests once per cycle)."""
    scorer = ResourceAllocationScorer(resources, balanced_resource_scorer, use_requested=True)
    return scorer.score(node_info, scorer.pod_requests(pod))


def validate_args(args: dict) -> list:
    """ValidateNodeResourcesBalancedAllocationArgs: no resource twice, every weight 1."""
    errs, seen = [], set()
    for i, r in enumerate(args.get("resources") or ()):
        path = field.Path("resources").index(i)
        if r.get("name") in seen:
            errs.append(field.duplicate(path.child("name"), r.get("name")))
        seen.add(r.get("name"))
        if r.get("weight", 1) != 1:
            errs.append(field.invalid(path.child("weight"), r.get("weight"), "must be 1"))
    return errs


class NodeResourcesBalancedAllocation:
    """PreScore, Score (score weight 1 in the default profile)."""

    name = NAME

    def __init__(self, handle: Any = None, args: dict | None = None) -> None:
        self.handle = handle
        args = args or {}
        errs = validate_args(args)
        if errs:
            raise ValueError(field.aggregate(errs))
        self.resources = (
            tuple((r["name"], r.get("weight", 1)) for r in args.get("resources") or ()) or DEFAULT_RESOURCES
        )
        self.scorer = ResourceAllocationScorer(self.resources, balanced_resource_scorer, use_requested=True)
        self.cpu_memory = [name for name, _ in self.resources] == [CPU, MEMORY]

    def pre_score(self, state: CycleState, pod: dict, nodes: list) -> Status:
        info = state.pod_info
        if self.cpu_memory and info is not None and info.pod is pod:  # computed once per pod already
            state[PRE_SCORE_STATE_KEY] = [info.requests.milli_cpu, info.requests.memory]
        else:
            state[PRE_SCORE_STATE_KEY] = self.scorer.pod_requests(pod)
        return SUCCESS

    def score(self, state: CycleState, pod: dict, node_info: Any) -> int:
        requests = (
            state[PRE_SCORE_STATE_KEY] if PRE_SCORE_STATE_KEY in state else self.scorer.pod_requests(pod)
        )
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
        if not self.cpu_memory:
            return [self.scorer.score(n, requests) for n in nodes]
        cpu, memory = requests
        out = []
        append = out.append
        for n in nodes:
            ac, am = n.alloc_milli_cpu, n.alloc_memory
            if ac and am:  # the common case, spelled out: int((1 - |f1 - f2| / 2) * 100)
                f1, f2 = (n.req_milli_cpu + cpu) / ac, (n.req_memory + memory) / am
                append(int((1 - abs(((f1 if f1 < 1 else 1.0) - (f2 if f2 < 1 else 1.0)) / 2)) * 100))
            else:
                append(self.scorer.score(n, requests))
        return out
