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

Its PreFilter also looks up every ``persistentVolumeClaim`` the pod uses, to find ReadWriteOncePod
claims. A claim that does not exist rejects the pod at once, for every node, with the lister's
error: ``persistentvolumeclaim "data" not found``, UnschedulableAndUnresolvable. The pod waits in
unschedulablePods until that claim is created (or a node is added). A ReadWriteOncePod claim that a
pod already placed on some node uses rejects every node, ``node has pod using
PersistentVolumeClaim with the same name and ReadWriteOncePod access mode`` (Unschedulable:
preempting that pod would free the claim).

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
from k8slearn.scheduler.plugins.volume_claims import ClaimNotFound, claim_is_for_pod, get_claim, pod_volume_claims

NAME = "VolumeRestrictions"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
ERR_REASON_DISK_CONFLICT = "node(s) had no available disk"
ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT = (
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode"
)
READ_WRITE_ONCE_POD = "ReadWriteOncePod"
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


def read_write_once_pod_claims(handle: Any, pod: dict) -> tuple[set[str], str]:
    """readWriteOncePodPVCsForPod: the ``namespace/name`` keys of the pod's ReadWriteOncePod
    claims, and the lister's error for a claim that does not exist (or "")."""
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    keys: set[str] = set()
    for name, _ in pod_volume_claims(pod, ephemeral=False):
        try:
            claim = get_claim(handle, namespace, name)
        except ClaimNotFound as err:
            return keys, str(err)
        if READ_WRITE_ONCE_POD in ((claim.get("spec") or {}).get("accessModes") or ()):
            keys.add(f"{namespace}/{name}")
    return keys, ""


def pod_claim_keys(pod: dict) -> set[str]:
    """The ``namespace/name`` of each ``persistentVolumeClaim`` the pod uses (NodeInfo.PVCRefCounts)."""
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    return {f"{namespace}/{name}" for name, _ in pod_volume_claims(pod, ephemeral=False)}


class PreFilterState:
    """The pod's ReadWriteOncePod claims and how many placed pods use one of them."""

    def __init__(self, claims: set[str], conflicting: int) -> None:
        self.read_write_once_pod_pvcs = claims
        self.conflicting_pvc_ref_count = conflicting

    def clone(self) -> PreFilterState:
        return PreFilterState(self.read_write_once_pod_pvcs, self.conflicting_pvc_ref_count)

    def update_with_pod(self, pod_info: Any, multiplier: int) -> None:
        self.conflicting_pvc_ref_count += multiplier * len(pod_claim_keys(pod_info.pod) & self.read_write_once_pod_pvcs)


class VolumeRestrictions:
    """PreFilter (with AddPod/RemovePod for preemption), Filter."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        """A missing claim rejects the pod; a pod without the four disk types or a ReadWriteOncePod
        claim in use has nothing to check."""
        claims, missing = read_write_once_pod_claims(self.handle, pod)
        if missing:
            return Status(Code.UnschedulableAndUnresolvable, missing)
        conflicting = self._pods_using(claims) if claims else 0  # calPreFilterState
        volumes = (pod.get("spec") or {}).get("volumes") or ()
        if not any(needs_restrictions_check(v) for v in volumes) and conflicting == 0:
            return Status(Code.Skip)
        state[PRE_FILTER_STATE_KEY] = PreFilterState(claims, conflicting)
        return SUCCESS

    def _pods_using(self, claims: set[str]) -> int:
        """How many of the claims a pod already placed on a node uses (StorageInfos().IsPVCUsedByPods)."""
        snapshot = self.handle.snapshot if self.handle is not None else None
        used: set[str] = set()
        for info in snapshot.node_info_list if snapshot is not None else ():
            for pod_info in info.pods.values():
                used |= pod_claim_keys(pod_info.pod)
        return len(claims & used)

    def add_pod(self, state: CycleState, pod: dict, pod_info_to_add: Any, node_info: Any) -> Status:
        if PRE_FILTER_STATE_KEY in state:
            state[PRE_FILTER_STATE_KEY].update_with_pod(pod_info_to_add, 1)
        return SUCCESS

    def remove_pod(self, state: CycleState, pod: dict, pod_info_to_remove: Any, node_info: Any) -> Status:
        if PRE_FILTER_STATE_KEY in state:
            state[PRE_FILTER_STATE_KEY].update_with_pod(pod_info_to_remove, -1)
        return SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        pods_on_node = [info.pod for info in node_info.pods.values()]
        if not satisfy_volume_conflicts(pod, pods_on_node):
            return Status(Code.Unschedulable, ERR_REASON_DISK_CONFLICT)
        s = state.get(PRE_FILTER_STATE_KEY)
        if s is not None and s.conflicting_pvc_ref_count > 0:  # satisfyReadWriteOncePod
            return Status(Code.Unschedulable, ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT)
        return SUCCESS

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
