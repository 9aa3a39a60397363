"""VolumeRestrictions: a disk that only one pod may write to keeps the next pod off that node.

Four in-tree volume types attach one disk to one node: two pods on a node may not both use the same
GCE persistent disk (unless both read-only), AWS EBS volume (ever), iSCSI target (unless both
read-only) or Ceph RBD image (unless both read-only).

>>> writer = {"spec": {"volumes": [{"name": "d", "awsElasticBlockStore": {"volumeID": "vol-1"}}]}}
>>> is_volume_conflict({"awsElasticBlockStore": {"volumeID": "vol-1"}}, writer)
True
>>> reader = {"spec": {"volumes": [{"name": "d", "gcePersistentDisk": {"pdName": "pd", "readOnly": True}}]}}
>>> is_volume_conflict({"gcePersistentDisk": {"pdName": "pd", "readOnly": True}}, reader)
False

Its PreFilter also looks up every ``persistentVolumeClaim`` the pod uses (to find ReadWriteOncePod
claims). A claim that does not exist rejects the pod at once, for every node, with the lister's
error: ``persistentvolumeclaim "data" not found``, UnschedulableAndUnresolvable. The pod waits in
unschedulablePods until that claim is created (or a node is added).

Simplified: the simulation serves no PersistentVolumeClaims, so a pod with a claim is always
rejected here, and the ReadWriteOncePod check (``node has pod using PersistentVolumeClaim with the
same name and ReadWriteOncePod access mode``) never runs.

Upstream: pkg/scheduler/framework/plugins/volumerestrictions/volume_restrictions.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.events import (
    NODE,
    PERSISTENT_VOLUME_CLAIM,
    POD,
    ActionType,
    ClusterEvent,
    QueueingHint,
)
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.volume_claims import claim_is_for_pod, missing_claim, pod_volume_claims

NAME = "VolumeRestrictions"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
ERR_REASON_DISK_CONFLICT = "node(s) had no available disk"
ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT = (
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"
)
CONFLICT_CHECKED_SOURCES = ("gcePersistentDisk", "awsElasticBlockStore", "rbd", "iscsi")


def needs_restrictions_check(volume: dict) -> bool:
    """Only these four volume types can conflict."""
    return any(source in volume for source in CONFLICT_CHECKED_SOURCES)


def have_overlap(a: list, b: list) -> bool:
    """Do two lists share at least one element? (RBD: a common Ceph monitor.)"""
    return bool(set(a or ()) & set(b or ()))


def _same_disk(kind: str, mine: dict, theirs: dict) -> bool:
    """Is it the same disk, used in a way that conflicts (one of the two may write)?"""
    both_read_only = bool(mine.get("readOnly")) and bool(theirs.get("readOnly"))
    if kind == "gcePersistentDisk":
        return mine.get("pdName") == theirs.get("pdName") and not both_read_only
    if kind == "awsElasticBlockStore":  # EBS: even two read-only users conflict
        return mine.get("volumeID") == theirs.get("volumeID")
    if kind == "iscsi":
        return mine.get("iqn") == theirs.get("iqn") and not both_read_only
    return (  # rbd: a common monitor, the same pool and image
        have_overlap(mine.get("monitors"), theirs.get("monitors"))
        and mine.get("pool", "rbd") == theirs.get("pool", "rbd")
        and mine.get("image") == theirs.get("image")
        and not both_read_only
    )


def is_volume_conflict(volume: dict, pod: dict) -> bool:
    """isVolumeConflict: does ``volume`` clash with one of ``pod``'s volumes?"""
    for existing in (pod.get("spec") or {}).get("volumes") or ():
        for kind in CONFLICT_CHECKED_SOURCES:
            both = kind in volume and kind in existing
            if both and _same_disk(kind, volume[kind] or {}, existing[kind] or {}):
                return True
    return False


def satisfy_volume_conflicts(pod: dict, pods_on_node: list) -> bool:
    """The predicate: none of the pod's checked volumes clashes with a pod already on the node."""
    for volume in (pod.get("spec") or {}).get("volumes") or ():
        if not needs_restrictions_check(volume):
            continue
        if any(is_volume_conflict(volume, other) for other in pods_on_node):
            return False
    return True


class VolumeRestrictions:
    """PreFilter, Filter."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        """A missing claim rejects the pod; a pod without the four disk types has nothing to check."""
        missing = missing_claim(self.handle, pod, ephemeral=False)  # readWriteOncePodPVCsForPod
        if missing is not None:
            return Status(Code.UnschedulableAndUnresolvable, str(missing))
        volumes = (pod.get("spec") or {}).get("volumes") or ()
        if not any(needs_restrictions_check(v) for v in volumes):
            return Status(Code.Skip)
        state[PRE_FILTER_STATE_KEY] = True
        return SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        pods_on_node = [info.pod for info in node_info.pods.values()]
        if satisfy_volume_conflicts(pod, pods_on_node):
            return SUCCESS
        return Status(Code.Unschedulable, ERR_REASON_DISK_CONFLICT)

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        """Pod/Delete (a disk freed), Node/Add, PersistentVolumeClaim/Add (the missing claim)."""
        return [
            (ClusterEvent(POD, ActionType.Delete), self.is_schedulable_after_pod_deleted),
            (ClusterEvent(NODE, ActionType.Add), None),
            (ClusterEvent(PERSISTENT_VOLUME_CLAIM, ActionType.Add), self.is_schedulable_after_claim_added),
        ]

    def is_schedulable_after_claim_added(self, pod: dict, old: Any, new: dict) -> QueueingHint:
        return claim_is_for_pod(pod, new, ephemeral=False)

    def is_schedulable_after_pod_deleted(self, pod: dict, old: dict | None, new: Any) -> QueueingHint:
        """A deleted pod in the same namespace that held one of the disks, or used one of the claims."""
        deleted = old or {}
        if (deleted.get("metadata") or {}).get("namespace") != (pod.get("metadata") or {}).get("namespace"):
            return QueueingHint.QueueSkip
        if not satisfy_volume_conflicts(pod, [deleted]):
            return QueueingHint.Queue
        claims = {name for name, _ in pod_volume_claims(pod, ephemeral=False)}
        held = {name for name, _ in pod_volume_claims(deleted, ephemeral=False)}
        return QueueingHint.Queue if claims & held else QueueingHint.QueueSkip
