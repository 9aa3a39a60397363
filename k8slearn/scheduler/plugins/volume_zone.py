"""VolumeZone: a pod whose volume lives in one zone can only run on nodes of that zone.

PreFilter follows each ``persistentVolumeClaim`` of the pod to its bound PersistentVolume and reads
the volume's zone and region labels (``topology.kubernetes.io/zone``, ...); Filter rejects a node
whose labels do not match with ``node(s) had no available volume zone`` (UnschedulableAndUnresolvable).
A pod without claims has nothing to check:

>>> VolumeZone().pre_filter(None, {"metadata": {"name": "web"}, "spec": {"volumes": []}})
Status(Skip, [])

A claim that is not bound yet is skipped if its class binds WaitForFirstConsumer (the scheduler
binds it), and otherwise rejects the pod (``PersistentVolume had no name``; in the default profile
VolumeBinding has already rejected such a pod with ``pod has unbound immediate
PersistentVolumeClaims``). A node without any zone or region label passes: a single-zone cluster's
nodes (kubeadm's, this simulation's) usually have none.

>>> pv = {"metadata": {"name": "pv0", "labels": {"topology.kubernetes.io/zone": "us-east-1a__us-east-1b"}}}
>>> [(name, key, sorted(zones)) for name, key, zones in get_pv_topologies(pv)]
[('pv0', 'topology.kubernetes.io/zone', ['us-east-1a', 'us-east-1b'])]
>>> node_matches({"metadata": {"labels": {"topology.kubernetes.io/zone": "us-east-1c"}}}, get_pv_topologies(pv))
False

Upstream: pkg/scheduler/framework/plugins/volumezone/volume_zone.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.storage_class import persistent_volume_claim_class
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
from k8slearn.scheduler.plugins.volume_claims import ClaimNotFound, claim_is_for_pod, get_claim, pod_volume_claims

NAME = "VolumeZone"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
ERR_REASON_CONFLICT = "node(s) had no available volume zone"
ERR_CLAIM_HAD_NO_NAME = "PersistentVolumeClaim had no name"
ERR_NO_PV_NAME_AND_CLASS = "PersistentVolumeClaim had no pv name and storageClass name"
ERR_PV_HAD_NO_NAME = "PersistentVolume had no name"
# (UpdateNodeTaint too: upstream registers it in case preCheck dropped the Node/Add event.)
NODE_ACTIONS = ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint
# topologyLabels: the beta and GA zone and region labels, in upstream's order.
TOPOLOGY_LABELS = (
    "failure-domain.beta.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
)
GA_LABEL = {
    "failure-domain.beta.kubernetes.io/zone": "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region": "topology.kubernetes.io/region",
}


def get_pv_topologies(pv: dict) -> list[tuple[str, str, frozenset]]:
    """getPVTopologies: (volume, label key, the zones it lists) for each zone or region label; a
    value may list several zones joined by ``__`` (LabelZonesToSet)."""
    labels = (pv.get("metadata") or {}).get("labels") or {}
    name = (pv.get("metadata") or {}).get("name", "")
    return [(name, key, frozenset(labels[key].split("__"))) for key in TOPOLOGY_LABELS if key in labels]


def node_matches(node: dict, topologies: list) -> bool:
    """The Filter's predicate: a node with no zone or region label fits; otherwise it must carry
    each volume label's key (or its GA twin) with one of the listed values."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    if not any(key in labels for key in TOPOLOGY_LABELS):
        return True
    for _, key, values in topologies:
        value = labels.get(key, labels.get(GA_LABEL.get(key, ""), None))
        if value is None or value not in values:
            return False
    return True


class VolumeZone:
    """PreFilter, Filter."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def _lister(self, resource: str) -> Any:
        return self.handle.lister(resource) if self.handle is not None else None

    def get_pv_by_pod(self, pod: dict) -> tuple[list, Status]:
        """getPVbyPod: the zone labels of the volumes bound to the pod's claims."""
        namespace = (pod.get("metadata") or {}).get("namespace", "")
        topologies: list = []
        for name, _ in pod_volume_claims(pod, ephemeral=False):
            if not name:  # (validation refuses it)
                return [], Status(Code.UnschedulableAndUnresolvable, ERR_CLAIM_HAD_NO_NAME)
            try:
                claim = get_claim(self.handle, namespace, name)
            except ClaimNotFound as err:
                return [], Status(Code.UnschedulableAndUnresolvable, str(err))
            pv_name = (claim.get("spec") or {}).get("volumeName", "")
            if not pv_name:
                status = self._unbound_claim_status(claim)
                if status is None:
                    continue  # WaitForFirstConsumer: VolumeBinding picks its volume
                return [], status
            lister = self._lister("persistentvolumes")
            pv = lister.get(pv_name) if lister is not None else None
            if pv is None:
                return [], Status(Code.UnschedulableAndUnresolvable, f'persistentvolume "{pv_name}" not found')
            topologies += get_pv_topologies(pv)
        return topologies, SUCCESS

    def _unbound_claim_status(self, claim: dict) -> Status | None:
        class_name = persistent_volume_claim_class(claim)
        if not class_name:
            return Status(Code.UnschedulableAndUnresolvable, ERR_NO_PV_NAME_AND_CLASS)
        lister = self._lister("storageclasses")
        storage_class = lister.get(class_name) if lister is not None else None
        if storage_class is None:
            return Status(
                Code.UnschedulableAndUnresolvable, f'storageclass.storage.k8s.io "{class_name}" not found'
            )
        mode = storage_class.get("volumeBindingMode")
        if mode is None:
            return Status(
                Code.UnschedulableAndUnresolvable, f'VolumeBindingMode not set for StorageClass "{class_name}"'
            )
        if mode == "WaitForFirstConsumer":
            return None
        return Status(Code.UnschedulableAndUnresolvable, ERR_PV_HAD_NO_NAME)

    def pre_filter(self, state: CycleState, pod: dict) -> Status:
        """No volume with a zone or region label: Skip."""
        topologies, status = self.get_pv_by_pod(pod)
        if not status.is_success():
            return status
        if not topologies:
            return Status(Code.Skip)
        state[PRE_FILTER_STATE_KEY] = topologies
        return SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        if node_matches(node_info.node or {}, state[PRE_FILTER_STATE_KEY]):
            return SUCCESS
        return Status(Code.UnschedulableAndUnresolvable, ERR_REASON_CONFLICT)

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
