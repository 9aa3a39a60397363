"""kube-scheduler: the scheduling framework, its queue and cache, and the in-tree plugins.

>>> from k8slearn.scheduler import Profile
>>> [name for name, _ in Profile().plugin_weights()][:6]
['SchedulingGates', 'PrioritySort', 'NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity']

Upstream: pkg/scheduler (kubernetes/kubernetes)
"""

from k8slearn.scheduler.cache import Cache
from k8slearn.scheduler.config import ConfigError, load_config
from k8slearn.scheduler.explain import Attempt, Explanation
from k8slearn.scheduler.framework import (
    MAX_NODE_SCORE,
    SUCCESS,
    Code,
    CycleState,
    FitError,
    Framework,
    Handle,
    PreFilterResult,
    Status,
)
from k8slearn.scheduler.node_info import NodeInfo
from k8slearn.scheduler.plugins import REGISTRY
from k8slearn.scheduler.profile import DEFAULT_PLUGINS, DEFAULT_SCHEDULER_NAME, Profile
from k8slearn.scheduler.queue import SchedulingQueue
from k8slearn.scheduler.resources import PodInfo, Resource
from k8slearn.scheduler.scheduler import Scheduler
from k8slearn.scheduler.snapshot import Snapshot

__all__ = [
    "DEFAULT_PLUGINS",
    "DEFAULT_SCHEDULER_NAME",
    "MAX_NODE_SCORE",
    "REGISTRY",
    "SUCCESS",
    "Attempt",
    "Cache",
    "Code",
    "ConfigError",
    "CycleState",
    "Explanation",
    "FitError",
    "Framework",
    "Handle",
    "NodeInfo",
    "PodInfo",
    "PreFilterResult",
    "Profile",
    "Resource",
    "Scheduler",
    "SchedulingQueue",
    "Snapshot",
    "Status",
    "load_config",
]
