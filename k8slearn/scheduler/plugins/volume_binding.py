"""VolumeBinding: a pod whose claims are not ready does not get a node yet.

A pod that uses a PersistentVolumeClaim (or a generic ``ephemeral`` volume, whose claim
``<pod>-<volume>`` the ephemeral volume controller creates) can only run where its volume can be
reached. PreFilter first checks that every claim exists (and is not lost or being deleted); Filter
then checks, per node, that the bound volumes are reachable there, or that volumes can be bound or
provisioned there; Reserve and PreBind bind them before the pod is bound.

A claim that does not exist rejects the pod at PreFilter, for every node, with the lister's error,
as UnschedulableAndUnresolvable (preemption cannot help):

>>> pod = {"metadata": {"name": "cache", "namespace": "default"}, "spec": {"volumes": [
...     {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}}]}}
>>> VolumeBinding().pre_filter(None, pod).message()
'waiting for ephemeral volume controller to create the persistentvolumeclaim "cache-scratch"'

The FailedScheduling message is then ``0/4 nodes are available: <that error>. preemption: 0/4 nodes
are available: 4 Preemption is not helpful for scheduling.``, and the pod waits in
unschedulablePods until the claim is added or updated (or a node is added, or 5 minutes pass).

Simplified: the simulation serves no PersistentVolumeClaims, PersistentVolumes or StorageClasses, so
a pod with a claim is always rejected at PreFilter, and Filter, Reserve, PreBind and the capacity
Score are not modelled.

Upstream: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go (PreFilter, podHasPVCs,
EventsToRegister), binder.go (GetPodVolumeClaims)
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.events import (
    CSI_DRIVER,
    CSI_NODE,
    CSI_STORAGE_CAPACITY,
    NODE,
    PERSISTENT_VOLUME,
    PERSISTENT_VOLUME_CLAIM,
    STORAGE_CLASS,
    ActionType,
    ClusterEvent,
    QueueingHint,
)
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.volume_claims import (
    ClaimNotFound,
    claim_is_for_pod,
    get_claim,
    pod_volume_claims,
)

NAME = "VolumeBinding"
ERR_WAITING_FOR_EPHEMERAL_CLAIM = (
    'waiting for ephemeral volume controller to create the persistentvolumeclaim "%s"'
)
ERR_CLAIM_LOST = 'persistentvolumeclaim "%s" bound to non-existent persistentvolume "%s"'
ERR_CLAIM_DELETING = 'persistentvolumeclaim "%s" is being deleted'


def pod_has_pvcs(handle: Any, pod: dict) -> tuple[bool, str]:
    """podHasPVCs: (does the pod use any claim, the first problem with one of them or "")."""
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    has_pvc = False
    for name, is_ephemeral in pod_volume_claims(pod):
        has_pvc = True
        try:
            claim = get_claim(handle, namespace, name)
        except ClaimNotFound as err:  # normal right after creating a pod with an ephemeral volume
            return True, ERR_WAITING_FOR_EPHEMERAL_CLAIM % name if is_ephemeral else str(err)
        if (claim.get("status") or {}).get("phase") == "Lost":
            return True, ERR_CLAIM_LOST % (name, (claim.get("spec") or {}).get("volumeName", ""))
        if (claim.get("metadata") or {}).get("deletionTimestamp"):
            return True, ERR_CLAIM_DELETING % name
    return has_pvc, ""


class VolumeBinding:
    """PreFilter (and Filter, which passes: it is reached only when every claim exists)."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        has_pvc, problem = pod_has_pvcs(self.handle, pod)
        if problem:
            return Status(Code.UnschedulableAndUnresolvable, problem)
        if not has_pvc:
            return Status(Code.Skip)  # no claims: nothing to bind
        return SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        """FindPodVolumes per node is not modelled (there are no PersistentVolumes to match)."""
        return SUCCESS

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        """With queueing hints on (v1.32's default) the Node events are Add and UpdateNodeLabel.
        (Hints for StorageClass, CSINode, CSIDriver and CSIStorageCapacity are left out: the
        simulation has none of those objects, so those events never come.)"""
        return [
            (ClusterEvent(STORAGE_CLASS, ActionType.Add | ActionType.Update), None),
            (
                ClusterEvent(PERSISTENT_VOLUME_CLAIM, ActionType.Add | ActionType.Update),
                self.is_schedulable_after_claim_change,
            ),
            (ClusterEvent(PERSISTENT_VOLUME, ActionType.Add | ActionType.Update), None),
            (ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeLabel), None),
            (ClusterEvent(CSI_NODE, ActionType.Add | ActionType.Update), None),
            (ClusterEvent(CSI_DRIVER, ActionType.Update), None),
            (ClusterEvent(CSI_STORAGE_CAPACITY, ActionType.Add | ActionType.Update), None),
        ]

    def is_schedulable_after_claim_change(self, pod: dict, old: Any, new: dict) -> QueueingHint:
        """A claim the pod uses (its own name, or an ephemeral volume's) was created or updated."""
        return claim_is_for_pod(pod, new)
