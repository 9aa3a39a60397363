"""VolumeBinding: a pod whose claims are not ready does not get a node yet.

A pod that uses a PersistentVolumeClaim (or a generic ``ephemeral`` volume, whose claim
``<pod>-<volume>`` the ephemeral volume controller creates) can only run where its volume can be
reached. PreFilter first checks that every claim exists (and is not lost or being deleted), then
sorts them (:mod:`k8slearn.scheduler.plugins.volume_binder`): a claim that is not bound yet and whose
class binds ``Immediate`` (no class, or a class that does not exist, counts as Immediate) is the
PersistentVolume controller's job, so the pod waits. Filter checks, per node, that the bound
volumes allow the node (their ``nodeAffinity``) and that every ``WaitForFirstConsumer`` claim finds
an Available volume that fits it there; Reserve keeps that choice, and PreBind writes each chosen
volume's ``claimRef``, which the PersistentVolume controller then completes.

A claim that does not exist rejects the pod at PreFilter, for every node, with the lister's error,
as UnschedulableAndUnresolvable (preemption cannot help):

>>> pod = {"metadata": {"name": "cache", "namespace": "default"}, "spec": {"volumes": [
...     {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}}]}}
>>> VolumeBinding().pre_filter(None, pod).message()
'waiting for ephemeral volume controller to create the persistentvolumeclaim "cache-scratch"'

The FailedScheduling message is then ``0/4 nodes are available: <that error>. preemption: 0/4 nodes
are available: 4 Preemption is not helpful for scheduling.``, and the pod waits in
unschedulablePods until the claim is added or updated (or a node is added, or 5 minutes pass).
A claim of a class with no provisioner in a cluster with no default StorageClass (the StatefulSet
docs example on a kubeadm cluster) waits the same way with ``pod has unbound immediate
PersistentVolumeClaims``, until an administrator creates a PersistentVolume it can bind to.

Simplified: PreBind does not wait for the PersistentVolume controller to finish the binding
(upstream polls every second for up to 10 minutes): the pod is bound at once, and its kubelet waits
for the claim instead. Dynamic provisioning and the capacity Score are not modelled (the cluster has
no provisioner).

Upstream: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go (PreFilter, podHasPVCs,
Filter, Reserve, PreBind, Unreserve, EventsToRegister), binder.go (GetPodVolumeClaims,
FindPodVolumes, AssumePodVolumes, BindPodVolumes)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.storage_class import persistent_volume_class
from k8slearn.api.volume_matching import get_bind_volume_to_claim
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
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, PreFilterResult, Status
from k8slearn.scheduler.plugins.volume_binder import (
    PodVolumeClaims,
    PodVolumes,
    find_pod_volumes,
    get_eligible_nodes,
    get_pod_volume_claims,
)
from k8slearn.scheduler.plugins.volume_claims import (
    ClaimNotFound,
    claim_is_for_pod,
    get_claim,
    pod_volume_claims,
)

NAME = "VolumeBinding"
STATE_KEY = NAME
ERR_WAITING_FOR_EPHEMERAL_CLAIM = (
    'waiting for ephemeral volume controller to create the persistentvolumeclaim "%s"'
)
ERR_CLAIM_LOST = 'persistentvolumeclaim "%s" bound to non-existent persistentvolume "%s"'
ERR_CLAIM_DELETING = 'persistentvolumeclaim "%s" is being deleted'
ERR_NOT_OWNER = "PVC %s/%s was not created for pod %s/%s (pod is not owner)"
ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
PV_RESOURCE, CLASS_RESOURCE = "persistentvolumes", "storageclasses"


def volume_is_for_pod(pod: dict, claim: dict) -> str:
    """ephemeral.VolumeIsForPod: a generic ephemeral volume's claim must be owned by the pod."""
    pod_meta, meta = pod.get("metadata") or {}, claim.get("metadata") or {}
    owners = meta.get("ownerReferences") or ()
    if any(o.get("controller") and o.get("uid") == pod_meta.get("uid") for o in owners):
        return ""
    return ERR_NOT_OWNER % (meta.get("namespace"), meta.get("name"), pod_meta.get("namespace"), pod_meta.get("name"))


def pod_has_pvcs(handle: Any, pod: dict) -> tuple[bool, str]:
    """podHasPVCs: (does the pod use any claim, the first problem with one of them or "")."""
    return _pod_claims(handle, pod)[1:]


def _pod_claims(handle: Any, pod: dict) -> tuple[list, bool, str]:
    """The pod's claims in volume order, whether it has any, and the first problem (podHasPVCs)."""
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    claims: list = []
    for name, is_ephemeral in pod_volume_claims(pod):
        try:
            claim = get_claim(handle, namespace, name)
        except ClaimNotFound as err:  # normal right after creating a pod with an ephemeral volume
            return claims, True, ERR_WAITING_FOR_EPHEMERAL_CLAIM % name if is_ephemeral else str(err)
        if (claim.get("status") or {}).get("phase") == "Lost":
            return claims, True, ERR_CLAIM_LOST % (name, (claim.get("spec") or {}).get("volumeName", ""))
        if (claim.get("metadata") or {}).get("deletionTimestamp"):
            return claims, True, ERR_CLAIM_DELETING % name
        if is_ephemeral and (problem := volume_is_for_pod(pod, claim)):
            return claims, True, problem
        claims.append(claim)
    return claims, bool(claims), ""


class StateData:
    """What PreFilter sorted, and what Filter found per node (stateData)."""

    def __init__(self, claims: PodVolumeClaims | None = None) -> None:
        self.pod_volume_claims = claims
        self.pod_volumes_by_node: dict[str, PodVolumes] = {}
        self.all_bound = True

    def clone(self) -> StateData:
        return self  # (upstream too: the state is shared, Filter writes under a lock)


class VolumeBinding:
    """PreFilter, Filter, Reserve, PreBind, Unreserve."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle
        self.assumed_pvs: dict[str, tuple[str, dict]] = {}  # name -> (resourceVersion it replaced, pv)

    # -- the listers (the assume cache) --------------------------------------------------------
    def _lister(self, resource: str) -> Any:
        return self.handle.lister(resource) if self.handle is not None else None

    def _assumed(self, pv: dict) -> dict:
        """The version of ``pv`` this scheduler assumed, until the informer brings a newer one."""
        meta = pv.get("metadata") or {}
        base, assumed = self.assumed_pvs.get(meta.get("name", ""), (None, None))
        if assumed is None:
            return pv
        if base != meta.get("resourceVersion"):
            del self.assumed_pvs[meta["name"]]
            return pv
        return assumed

    def get_pv(self, name: str) -> dict | None:
        lister = self._lister(PV_RESOURCE)
        pv = lister.get(name) if lister is not None and name else None
        return self._assumed(pv) if pv is not None else None

    def list_pvs(self, class_name: str) -> list[dict]:
        """pvCache.ListPVs: the volumes of one storage class, by name."""
        lister = self._lister(PV_RESOURCE)
        pvs = [self._assumed(pv) for pv in (lister.list() if lister is not None else ())]
        return sorted((pv for pv in pvs if persistent_volume_class(pv) == class_name),
                      key=lambda pv: pv["metadata"]["name"])

    def get_class(self, name: str) -> dict | None:
        lister = self._lister(CLASS_RESOURCE)
        return lister.get(name) if lister is not None else None

    # -- extension points ------------------------------------------------------------------------
    def pre_filter(self, state: CycleState, pod: dict) -> Any:
        claims, has_pvc, problem = _pod_claims(self.handle, pod)
        if problem:
            return Status(Code.UnschedulableAndUnresolvable, problem)
        if not has_pvc:
            if state is not None:
                state[STATE_KEY] = StateData()
            return Status(Code.Skip)  # no claims: nothing to bind
        try:
            sorted_claims = get_pod_volume_claims(claims, self.get_class, self.list_pvs)
        except ValueError as err:
            return Status(Code.Error, str(err))
        if sorted_claims.unbound_claims_immediate:  # the PV controller binds these first
            return Status(Code.UnschedulableAndUnresolvable, ERR_UNBOUND_IMMEDIATE)
        state[STATE_KEY] = StateData(sorted_claims)
        eligible = get_eligible_nodes(sorted_claims.bound_claims, self.get_pv)
        return (PreFilterResult(eligible) if eligible is not None else None), SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        """FindPodVolumes on this node; every reason is UnschedulableAndUnresolvable."""
        data: StateData = state[STATE_KEY]
        try:
            volumes, reasons = find_pod_volumes(data.pod_volume_claims, node_info.node, self.get_pv, self.get_class)
        except ValueError as err:
            return Status(Code.Error, str(err))
        if reasons:
            return Status(Code.UnschedulableAndUnresolvable, reasons)
        data.pod_volumes_by_node[node_info.name] = volumes
        return SUCCESS

    def reserve(self, state: CycleState, pod: dict, node_name: str) -> Status:
        """AssumePodVolumes: remember the chosen volumes as bound, so the next pod does not take them."""
        data: StateData | None = state.get(STATE_KEY)
        volumes = data.pod_volumes_by_node.get(node_name) if data is not None else None
        if volumes is None:
            if data is not None:
                data.all_bound = True
            return SUCCESS
        bindings = []
        for pv, claim in volumes.static_bindings:
            new_pv, _ = get_bind_volume_to_claim(pv, claim)
            self.assumed_pvs[pv["metadata"]["name"]] = (pv["metadata"].get("resourceVersion"), new_pv)
            bindings.append((new_pv, claim))
        volumes.static_bindings = bindings
        data.all_bound = not bindings
        return SUCCESS

    def pre_bind(self, state: CycleState, pod: dict, node_name: str) -> Status:
        """BindPodVolumes: write each chosen volume's claimRef (bindAPIUpdate). Simplified: it does
        not then wait for the PersistentVolume controller to complete the binding."""
        data: StateData | None = state.get(STATE_KEY)
        if data is None or data.all_bound:
            return SUCCESS
        volumes = data.pod_volumes_by_node.get(node_name)
        if volumes is None:
            return Status(Code.Error, f'no pod volumes found for node "{node_name}"')
        for pv, _ in volumes.static_bindings:
            try:
                self.handle.client.update(pv)
            except ApiError as err:
                self.unreserve(state, pod, node_name)
                return Status(Code.Error, f"binding volumes: {err}")
        return SUCCESS

    def unreserve(self, state: CycleState, pod: dict, node_name: str) -> None:
        """RevertAssumedPodVolumes: forget the volumes assumed for this pod."""
        data: StateData | None = state.get(STATE_KEY)
        volumes = data.pod_volumes_by_node.get(node_name) if data is not None else None
        for pv, _ in volumes.static_bindings if volumes is not None else ():
            self.assumed_pvs.pop(pv["metadata"]["name"], None)

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        """With queueing hints on (v1.32's default) the Node events are Add and UpdateNodeLabel.
        (Hints for StorageClass, CSINode, CSIDriver and CSIStorageCapacity are left out: the
        simulation has no CSI objects, and any StorageClass change requeues the pod.)"""
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
