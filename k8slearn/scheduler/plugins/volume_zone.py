"""VolumeZone: a pod whose volume lives in one zone can only run on nodes of that zone.

PreFilter follows each ``persistentVolumeClaim`` of the pod to its bound PersistentVolume and reads
the volume's zone and region labels (``topology.kubernetes.io/zone``, ...); Filter rejects a node
whose labels do not match with ``node(s) had no available volume zone`` (UnschedulableAndUnresolvable).
A pod without claims has nothing to check:

>>> VolumeZone().pre_filter(None, {"metadata": {"name": "web"}, "spec": {"volumes": []}})
Status(Skip, [])

Simplified: the simulation serves no PersistentVolumeClaims or PersistentVolumes, so a pod with a
claim is rejected at PreFilter with the lister's error (``persistentvolumeclaim "data" not found``;
in the default profile VolumeRestrictions has already rejected it with the same words), and the
zone matching itself is not modelled.

Upstream: pkg/scheduler/framework/plugins/volumezone/volume_zone.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.events import (
    NODE,
    PERSISTENT_VOLUME,
    PERSISTENT_VOLUME_CLAIM,
    STORAGE_CLASS,
    ActionType,
    ClusterEvent,
    QueueingHint,
)
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.volume_claims import claim_is_for_pod, missing_claim, pod_volume_claims

NAME = "VolumeZone"
ERR_REASON_CONFLICT = "node(s) had no available volume zone"
ERR_CLAIM_HAD_NO_NAME = "PersistentVolumeClaim had no name"
# (UpdateNodeTaint too: upstream registers it in case preCheck dropped the Node/Add event.)
NODE_ACTIONS = ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint


class VolumeZone:
    """PreFilter (and Filter, which passes: it is reached only when every claim exists)."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        """getPVbyPod: every claim must exist; no claim (so no volume topology): Skip."""
        if any(not name for name, _ in pod_volume_claims(pod, ephemeral=False)):  # (validation refuses it)
            return Status(Code.UnschedulableAndUnresolvable, ERR_CLAIM_HAD_NO_NAME)
        missing = missing_claim(self.handle, pod, ephemeral=False)
        if missing is not None:
            return Status(Code.UnschedulableAndUnresolvable, str(missing))
        return Status(Code.Skip)  # (no PersistentVolumes here, so no volume has a zone)

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        return SUCCESS

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        return [
            (ClusterEvent(STORAGE_CLASS, ActionType.Add), None),
            (ClusterEvent(NODE, NODE_ACTIONS), None),
            (
                ClusterEvent(PERSISTENT_VOLUME_CLAIM, ActionType.Add | ActionType.Update),
                self.is_schedulable_after_claim_change,
            ),
            (ClusterEvent(PERSISTENT_VOLUME, ActionType.Add | ActionType.Update), None),
        ]

    def is_schedulable_after_claim_change(self, pod: dict, old: Any, new: dict) -> QueueingHint:
        return claim_is_for_pod(pod, new, ephemeral=False)
