"""NodeVolumeLimits: a node can attach only so many volumes of each CSI driver.

A cloud VM takes a limited number of attached disks (say 39 EBS volumes); the CSI driver on each node
reports that limit in the node's CSINode object. The plugin counts the attachable volumes the pod
needs (its claims' volumes, and inline volumes of in-tree types migrated to CSI) plus those the node's
pods already use, and rejects the node past the limit: ``node(s) exceed max volume count``.

>>> needs_volume_limits_check({"spec": {"volumes": [{"name": "c", "configMap": {"name": "x"}}]}})
False
>>> needs_volume_limits_check({"spec": {"volumes": [{"name": "d", "ephemeral": {}}]}})
True

Simplified: the simulation has no CSINode objects or CSI drivers (and hostPath or local volumes are
not attachable), so no node reports a limit and a node is rejected only when one of the pod's claims
does not exist (``looking up PVC default/data: persistentvolumeclaim "data" not found``), and in the
default profile VolumeRestrictions or VolumeBinding has already rejected such a pod at PreFilter.

Upstream: pkg/scheduler/framework/plugins/nodevolumelimits/csi.go (CSILimits)
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.events import (
    CSI_NODE,
    PERSISTENT_VOLUME_CLAIM,
    POD,
    ActionType,
    ClusterEvent,
    QueueingHint,
)
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.volume_claims import claim_is_for_pod, missing_claim

NAME = "NodeVolumeLimits"
ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED = "node(s) exceed max volume count"
# In-tree volume types that CSI migration translates (csi-translation-lib CanSupportInline).
INLINE_MIGRATABLE_SOURCES = (
    "awsElasticBlockStore",
    "gcePersistentDisk",
    "cinder",
    "azureDisk",
    "azureFile",
    "vsphereVolume",
    "portworxVolume",
)


def _counts(volume: dict) -> bool:
    return (
        "persistentVolumeClaim" in volume
        or "ephemeral" in volume
        or any(source in volume for source in INLINE_MIGRATABLE_SOURCES)
    )


def needs_volume_limits_check(pod: dict) -> bool:
    """Does the pod use a claim, a generic ephemeral volume or a migratable inline volume?"""
    return any(_counts(v) for v in (pod.get("spec") or {}).get("volumes") or ())


class NodeVolumeLimits:
    """PreFilter, Filter."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        return SUCCESS if needs_volume_limits_check(pod) else Status(Code.Skip)

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        """filterAttachableVolumes for the new pod: every claim must exist. (Counting against the
        CSINode limits is not modelled: without a CSINode a node has no limits, and fits.)"""
        missing = missing_claim(self.handle, pod)
        if missing is None:
            return SUCCESS
        namespace = (pod.get("metadata") or {}).get("namespace", "")
        return Status(Code.UnschedulableAndUnresolvable, f"looking up PVC {namespace}/{missing.name}: {missing}")

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        return [
            (ClusterEvent(CSI_NODE, ActionType.Add), None),
            (ClusterEvent(POD, ActionType.Delete), self.is_schedulable_after_pod_deleted),
            (ClusterEvent(PERSISTENT_VOLUME_CLAIM, ActionType.Add), self.is_schedulable_after_claim_added),
        ]

    def is_schedulable_after_pod_deleted(self, pod: dict, old: dict | None, new: Any) -> QueueingHint:
        """Only an assigned pod that used an attachable volume frees one."""
        deleted = old or {}
        if not (deleted.get("spec") or {}).get("nodeName"):
            return QueueingHint.QueueSkip
        return QueueingHint.Queue if needs_volume_limits_check(deleted) else QueueingHint.QueueSkip

    def is_schedulable_after_claim_added(self, pod: dict, old: Any, new: dict) -> QueueingHint:
        return claim_is_for_pod(pod, new)
