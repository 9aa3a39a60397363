"""The in-tree plugins and the registry: plugin name -> factory (``factory(handle) -> plugin``).

A new plugin is one new file here plus one line in :data:`REGISTRY`. Factories are called with the
framework's handle, and with the plugin's arguments (``factory(handle, args)``) when the profile
gives some.

>>> sorted(REGISTRY)[:3]
['DefaultBinder', 'DefaultPreemption', 'ImageLocality']

Upstream: pkg/scheduler/framework/plugins/registry.go (NewInTreeRegistry)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8slearn.scheduler.plugins.default_binder import DefaultBinder
from k8slearn.scheduler.plugins.default_preemption import DefaultPreemption
from k8slearn.scheduler.plugins.image_locality import ImageLocality
from k8slearn.scheduler.plugins.inter_pod_affinity import InterPodAffinity
from k8slearn.scheduler.plugins.node_affinity import NodeAffinity
from k8slearn.scheduler.plugins.node_name import NodeName
from k8slearn.scheduler.plugins.node_ports import NodePorts
from k8slearn.scheduler.plugins.node_resources_balanced_allocation import NodeResourcesBalancedAllocation
from k8slearn.scheduler.plugins.node_resources_fit import NodeResourcesFit
from k8slearn.scheduler.plugins.node_unschedulable import NodeUnschedulable
from k8slearn.scheduler.plugins.node_volume_limits import NodeVolumeLimits
from k8slearn.scheduler.plugins.pod_topology_spread import PodTopologySpread
from k8slearn.scheduler.plugins.priority_sort import PrioritySort
from k8slearn.scheduler.plugins.scheduling_gates import SchedulingGates
from k8slearn.scheduler.plugins.taint_toleration import TaintToleration
from k8slearn.scheduler.plugins.volume_binding import VolumeBinding
from k8slearn.scheduler.plugins.volume_restrictions import VolumeRestrictions
from k8slearn.scheduler.plugins.volume_zone import VolumeZone

Factory = Callable[..., Any]

REGISTRY: dict[str, Factory] = {
    "SchedulingGates": SchedulingGates,
    "PrioritySort": PrioritySort,
    "NodeUnschedulable": NodeUnschedulable,
    "NodeName": NodeName,
    "TaintToleration": TaintToleration,
    "NodeAffinity": NodeAffinity,
    "NodePorts": NodePorts,
    "NodeResourcesFit": NodeResourcesFit,
    "VolumeRestrictions": VolumeRestrictions,
    "NodeVolumeLimits": NodeVolumeLimits,
    "VolumeBinding": VolumeBinding,
    "VolumeZone": VolumeZone,
    "PodTopologySpread": PodTopologySpread,
    "InterPodAffinity": InterPodAffinity,
    "DefaultPreemption": DefaultPreemption,
    "NodeResourcesBalancedAllocation": NodeResourcesBalancedAllocation,
    "ImageLocality": ImageLocality,
    "DefaultBinder": DefaultBinder,
}

__all__ = [
    "REGISTRY",
    "DefaultBinder",
    "DefaultPreemption",
    "Factory",
    "ImageLocality",
    "InterPodAffinity",
    "NodeAffinity",
    "NodeName",
    "NodePorts",
    "NodeResourcesBalancedAllocation",
    "NodeResourcesFit",
    "NodeUnschedulable",
    "NodeVolumeLimits",
    "PodTopologySpread",
    "PrioritySort",
    "SchedulingGates",
    "TaintToleration",
    "VolumeBinding",
    "VolumeRestrictions",
    "VolumeZone",
]
