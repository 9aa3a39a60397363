"""Cluster events: what changed in the cluster, and whether that may help a pending pod.

A pod that no node could take waits in ``unschedulablePods``. It is not retried in a loop: it
is retried when an *event* arrives that one of the plugins which rejected it registered
for, and that plugin's *queueing hint* says "this may help". A new node may help a pod rejected
for lack of CPU; a node heartbeat does not.

>>> from_taint = node_scheduling_properties_change(
...     {"spec": {}}, {"spec": {"taints": [{"key": "dedicated", "effect": "NoSchedule"}]}})
>>> [e.label for e in from_taint]
['NodeTaintChange']
>>> registered = ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeTaint)
>>> registered.match(from_taint[0]), registered.match(NODE_ALLOCATABLE_CHANGE)
(True, False)

Simplified: pod events are not split into AssignedPod/UnscheduledPod resources (that came in v1.33).

Upstream: pkg/scheduler/framework/types.go (ClusterEvent, ActionType), pkg/scheduler/framework/events.go,
pkg/scheduler/framework/interface.go (QueueingHint)
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, NamedTuple

from k8slearn.scheduler.resources import pod_request_amounts


class ActionType(enum.IntFlag):
    """What happened to an object; the Update kinds say which part changed."""

    Add = 1 << 0
    Delete = 1 << 1
    UpdateNodeAllocatable = 1 << 2
    UpdateNodeLabel = 1 << 3
    UpdateNodeTaint = 1 << 4
    UpdateNodeCondition = 1 << 5
    UpdateNodeAnnotation = 1 << 6
    UpdatePodLabel = 1 << 7
    UpdatePodScaleDown = 1 << 8
    UpdatePodTolerations = 1 << 9
    UpdatePodSchedulingGatesEliminated = 1 << 10
    UpdatePodOther = 1 << 11  # updatePodOther upstream: any other change to the pod
    All = (1 << 12) - 1
    Update = All & ~(Add | Delete)


POD, NODE, WILDCARD = "Pod", "Node", "*"
# Storage resources the volume plugins register for (the simulation serves none of them yet).
PERSISTENT_VOLUME_CLAIM, PERSISTENT_VOLUME = "PersistentVolumeClaim", "PersistentVolume"
STORAGE_CLASS, CSI_NODE = "StorageClass", "CSINode"
CSI_DRIVER, CSI_STORAGE_CAPACITY = "CSIDriver", "CSIStorageCapacity"


class ClusterEvent(NamedTuple):
    """A resource and what happened to it (``Node`` + ``UpdateNodeTaint``)."""

    resource: str
    action_type: ActionType
    label: str = ""

    def is_wildcard(self) -> bool:
        return self.resource == WILDCARD and self.action_type == ActionType.All

    def match(self, event: ClusterEvent) -> bool:
        """True if this registered event covers the incoming ``event``."""
        return self.is_wildcard() or (
            self.resource in (WILDCARD, event.resource) and bool(self.action_type & event.action_type)
        )


class QueueingHint(enum.IntEnum):
    QueueSkip = 0  # this event does not help the pod: leave it waiting
    Queue = 1  # this event may make the pod schedulable: retry it


# Hint functions have the shape ``hint(pod, old_obj, new_obj) -> QueueingHint``.
QueueingHintFn = Callable[[dict, Any, Any], QueueingHint]

ASSIGNED_POD_ADD = ClusterEvent(POD, ActionType.Add, "AssignedPodAdd")
ASSIGNED_POD_UPDATE = ClusterEvent(POD, ActionType.Update, "AssignedPodUpdate")
ASSIGNED_POD_DELETE = ClusterEvent(POD, ActionType.Delete, "AssignedPodDelete")
NODE_ADD = ClusterEvent(NODE, ActionType.Add, "NodeAdd")
NODE_SPEC_UNSCHEDULABLE_CHANGE = ClusterEvent(NODE, ActionType.UpdateNodeTaint, "NodeSpecUnschedulableChange")
NODE_ALLOCATABLE_CHANGE = ClusterEvent(NODE, ActionType.UpdateNodeAllocatable, "NodeAllocatableChange")
NODE_LABEL_CHANGE = ClusterEvent(NODE, ActionType.UpdateNodeLabel, "NodeLabelChange")
NODE_TAINT_CHANGE = ClusterEvent(NODE, ActionType.UpdateNodeTaint, "NodeTaintChange")
NODE_CONDITION_CHANGE = ClusterEvent(NODE, ActionType.UpdateNodeCondition, "NodeConditionChange")
NODE_ANNOTATION_CHANGE = ClusterEvent(NODE, ActionType.UpdateNodeAnnotation, "NodeAnnotationChange")
UNSCHEDULABLE_TIMEOUT = ClusterEvent(WILDCARD, ActionType.All, "UnschedulableTimeout")


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _conditions(node: dict) -> dict:
    # Heartbeat timestamps change every few minutes; only a condition's status matters here.
    return {c.get("type"): c.get("status") for c in (node.get("status") or {}).get("conditions") or ()}


def node_scheduling_properties_change(new: dict, old: dict) -> list[ClusterEvent]:
    """The events a node update produces (none for a heartbeat that changed nothing else)."""
    events = []
    if bool(_spec(new).get("unschedulable")) != bool(_spec(old).get("unschedulable")) and not _spec(new).get(
        "unschedulable"
    ):
        events.append(NODE_SPEC_UNSCHEDULABLE_CHANGE)
    if (new.get("status") or {}).get("allocatable") != (old.get("status") or {}).get("allocatable"):
        events.append(NODE_ALLOCATABLE_CHANGE)
    if (_meta(new).get("labels") or {}) != (_meta(old).get("labels") or {}):
        events.append(NODE_LABEL_CHANGE)
    if (_spec(new).get("taints") or []) != (_spec(old).get("taints") or []):
        events.append(NODE_TAINT_CHANGE)
    if _conditions(new) != _conditions(old):
        events.append(NODE_CONDITION_CHANGE)
    if (_meta(new).get("annotations") or {}) != (_meta(old).get("annotations") or {}):
        events.append(NODE_ANNOTATION_CHANGE)
    return events


def _scaled_down(new: dict, old: dict) -> bool:
    """Does the pod now request less of some resource than before?"""
    before, after = pod_request_amounts(old), pod_request_amounts(new)
    return any(after.get(name, 0) < amount for name, amount in before.items())


def pod_scheduling_properties_change(new: dict, old: dict) -> list[ClusterEvent]:
    """The events an update to a pending pod produces; a status-only write produces none."""
    events = []
    if (_meta(new).get("labels") or {}) != (_meta(old).get("labels") or {}):
        events.append(ClusterEvent(POD, ActionType.UpdatePodLabel, "PodLabelChange"))
    if _scaled_down(new, old):
        events.append(ClusterEvent(POD, ActionType.UpdatePodScaleDown, "PodRequestScaledDown"))
    if _spec(old).get("schedulingGates") and not _spec(new).get("schedulingGates"):
        events.append(
            ClusterEvent(
                POD, ActionType.UpdatePodSchedulingGatesEliminated, "PodSchedulingGateEliminatedChange"
            )
        )
    if (_spec(new).get("tolerations") or []) != (_spec(old).get("tolerations") or []):
        events.append(ClusterEvent(POD, ActionType.UpdatePodTolerations, "PodTolerationChange"))
    other = _spec(new) != _spec(old) or _meta(new).get("annotations") != _meta(old).get("annotations")
    if not events and other:
        events.append(ClusterEvent(POD, ActionType.UpdatePodOther, "PodUpdate"))
    return events
