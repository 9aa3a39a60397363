"""persistentvolume-binder: the PV controller that binds claims to volumes.

A PersistentVolumeClaim asks for storage; a PersistentVolume is storage an administrator (or a
provisioner) made. This controller pairs them, and keeps both phases honest::

    claim www-web-0 (Pending, 1Gi RWO, class my-storage-class)
      + volume pv-1 (Available, 1Gi RWO, class my-storage-class)
      -> pv-1.spec.claimRef = www-web-0        (annotation pv.kubernetes.io/bound-by-controller)
         pv-1 Bound
         www-web-0.spec.volumeName = pv-1      (annotations bind-completed, bound-by-controller)
         www-web-0 Bound, with pv-1's capacity and access modes

A claim with no match stays ``Pending`` and says why, as an event, on every sync (each claim is
synced again every 15 s, so ``kubectl describe pvc`` shows ``(x3 over 30s)``):

- no class: ``FailedBinding`` "no persistent volumes available for this claim and no storage
  class is set";
- a class that does not exist: ``ProvisioningFailed`` ``storageclass.storage.k8s.io "x" not found``;
- a class with provisioner ``kubernetes.io/no-provisioner`` (local volumes made by hand):
  ``ProvisioningFailed`` "no volume plugin matched name: kubernetes.io/no-provisioner";
- a class of an external provisioner: ``ExternalProvisioning`` "Waiting for a volume to be
  created either by the external provisioner '...' ...", and the claim is annotated with it;
- a ``WaitForFirstConsumer`` class: ``WaitForFirstConsumer`` "waiting for first consumer to be
  created before binding" (``WaitForPodScheduled`` once a pod uses it): the scheduler picks the
  volume when it places the pod, and this controller finishes the binding.

When a bound claim is deleted its volume becomes ``Released``, then its reclaim policy acts
(:mod:`~k8slearn.controllers.persistent_volume_reclaim`): ``Retain`` keeps its ``claimRef`` and
data (an administrator frees it by removing ``spec.claimRef``); ``Delete`` deletes the volume
object once its deleter succeeds (a hostPath under ``/tmp/``), else the volume is ``Failed`` with
the deleter's error (``VolumeFailedDelete``); ``Recycle`` is deprecated, see that module.

Simplified: no provisioner runs (this is a kubeadm cluster without one), so nothing is ever
provisioned; no recycler pod runs; no volume-mode-mismatch event on pre-bound volumes, no metrics,
no CSI migration annotations; one worker per queue (claims, volumes), where upstream runs one
goroutine each too; the in-tree plugins that CSI drivers replaced are mapped to their driver's
name for the ExternalProvisioning event, without the migration annotations.

Upstream: pkg/controller/volume/persistentvolume/pv_controller.go (syncClaim, syncUnboundClaim,
syncBoundClaim, syncVolume, bind, updateClaimStatus, updateVolumePhase, updateVolumePhaseWithEvent,
reclaimVolume, deleteVolumeOperation, recycleVolumeOperation, isVolumeUsed, provisionClaim,
findProvisionablePlugin, emitEventForUnboundDelayBindingClaim, assignDefaultStorageClass),
pv_controller_base.go (handlers, resync every 15 s), index.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import thaw
from k8slearn.api.volume_claims import volume_claim_name
from k8slearn.api.volume_matching import (
    ANN_BIND_COMPLETED,
    ANN_BOUND_BY_CONTROLLER,
    ANN_SELECTED_NODE,
    check_access_modes,
    check_volume_mode_mismatches,
    find_best_match_for_claim,
    get_bind_volume_to_claim,
    is_delay_binding_mode,
    is_volume_bound_to_claim,
)
from k8slearn.api.storage_class import (claim_has_class, get_default_class, persistent_volume_claim_class,
                                        persistent_volume_class)
from k8slearn.api.quantity import parse_quantity
from k8slearn.client.cache import meta_key, split_key
from k8slearn.client.workqueue import WorkQueue
from k8slearn.controllers.base import Controller, Requeue
from k8slearn.controllers.persistent_volume_reclaim import (
    NO_RECYCLER_MESSAGE,
    ReclaimError,
    delete_volume,
    has_recyclable_plugin,
    is_migrated,
    is_volume_released,
)

RESYNC_PERIOD = 15.0  # --pvclaimbinder-sync-period (default 15 s)
NO_CLASS_MESSAGE = "no persistent volumes available for this claim and no storage class is set"
WAIT_FOR_FIRST_CONSUMER_MESSAGE = "waiting for first consumer to be created before binding"
EXTERNAL_PROVISIONING_MESSAGE = ("Waiting for a volume to be created either by the external provisioner '{}' "
                                 "or manually by the system administrator. If volume creation is delayed, "
                                 "please verify that the provisioner is running and correctly registered.")
ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
# In-tree provisioners whose volumes CSI drivers serve now (CSI migration is GA for these).
MIGRATED_PROVISIONERS = {
    "kubernetes.io/aws-ebs": "ebs.csi.aws.com", "kubernetes.io/gce-pd": "pd.csi.storage.gke.io",
    "kubernetes.io/azure-disk": "disk.csi.azure.com", "kubernetes.io/azure-file": "file.csi.azure.com",
    "kubernetes.io/cinder": "cinder.csi.openstack.org", "kubernetes.io/vsphere-volume": "csi.vsphere.vmware.com",
}


class PersistentVolumeController(Controller):
    """Binds Pending claims to matching Available volumes; keeps claim and volume phases."""

    name = "persistentvolume-controller"  # the events' source (the manager names it -binder-controller)

    def __init__(self, loop: Any, client: Any, informers: Any = None, resync_period: float = RESYNC_PERIOD,
                 enable_dynamic_provisioning: bool = True) -> None:
        super().__init__(loop, client, informers)
        self.resync_period = resync_period
        self.enable_dynamic_provisioning = enable_dynamic_provisioning
        self.volume_queue = WorkQueue(loop, "volumes")
        self.queue = WorkQueue(loop, "claims")  # the claim queue
        self.volume_informer = self.informers.informer("persistentvolumes")
        self.claim_informer = self.informers.informer("persistentvolumeclaims")
        self.class_informer = self.informers.informer("storageclasses")
        self.pod_informer = self.informers.informer("pods")
        self._written: dict[tuple[str, str], dict] = {}  # ctrl.volumes / ctrl.claims: our own writes
        self.volume_informer.add_event_handler(
            on_add=self._enqueue_volume, on_update=lambda old, new: self._enqueue_volume(new),
            on_delete=self._volume_deleted)
        self.claim_informer.add_event_handler(
            on_add=self.enqueue, on_update=lambda old, new: self.enqueue(new), on_delete=self._claim_deleted)

    def run(self) -> None:
        super().run()
        self._processes.append(self.loop.spawn(self.queue_worker(self.volume_queue, self.volume_worker,
                                                                 "sync volume failed"),
                                               f"{self.name}-volume-worker"))
        self._processes.append(self.loop.spawn(self._resync_loop(), f"{self.name}-resync", periodic=True))

    # -- handlers ---------------------------------------------------------------------------------
    def _enqueue_volume(self, volume: dict) -> None:
        self.volume_queue.add(volume["metadata"]["name"])

    def _volume_deleted(self, volume: dict) -> None:
        """deleteVolume: the claim it was bound to is synced (it becomes Lost)."""
        self._written.pop(("persistentvolumes", volume["metadata"]["name"]), None)
        ref = (volume.get("spec") or {}).get("claimRef")
        if ref:
            self.queue.add(f"{ref.get('namespace')}/{ref.get('name')}")

    def _claim_deleted(self, claim: dict) -> None:
        """deleteClaim: its volume is synced (it becomes Released)."""
        self._written.pop(("persistentvolumeclaims", meta_key(claim)), None)
        volume_name = (claim.get("spec") or {}).get("volumeName")
        if volume_name:
            self.volume_queue.add(volume_name)

    def _resync_loop(self):
        """resync: every 15 s every claim and every volume is synced again."""
        while True:
            yield self.resync_period
            for claim in self.claim_informer.lister.list():
                self.enqueue(claim)
            for volume in self.volume_informer.lister.list():
                self._enqueue_volume(volume)

    # -- the caches -------------------------------------------------------------------------------
    def _newest(self, resource: str, key: str, cached: dict | None) -> dict | None:
        """storeObjectUpdate: the informer's copy, or our own last write if that is newer."""
        mine = self._written.get((resource, key))
        if mine is None or cached is None:
            return cached
        if int(cached["metadata"]["resourceVersion"]) >= int(mine["metadata"]["resourceVersion"]):
            del self._written[(resource, key)]
            return cached
        return mine

    def _store(self, resource: str, obj: dict) -> dict:
        self._written[(resource, meta_key(obj))] = obj
        return obj

    def get_volume(self, name: str) -> dict | None:
        return self._newest("persistentvolumes", name, self.volume_informer.lister.get(name))

    def _volumes(self) -> list[dict]:
        return [self.get_volume(v["metadata"]["name"]) for v in self.volume_informer.lister.list()]

    def get_claim(self, key: str) -> dict | None:
        namespace, name = split_key(key)
        return self._newest("persistentvolumeclaims", key, self.claim_informer.lister.get(name, namespace))

    # -- workers ----------------------------------------------------------------------------------
    def sync(self, key: str) -> None:
        """claimWorker: sync the claim if it still exists (its deletion was handled by the handler)."""
        claim = self.get_claim(key)
        if claim is not None:
            self.sync_claim(claim)

    def volume_worker(self, name: str) -> None:
        volume = self.get_volume(name)
        if volume is not None:
            self.sync_volume(volume)

    def sync_claim(self, claim: dict) -> None:
        """syncClaim: a claim not yet bound (no bind-completed annotation), or one that was."""
        if ANN_BIND_COMPLETED not in (claim["metadata"].get("annotations") or {}):
            self.sync_unbound_claim(claim)
        else:
            self.sync_bound_claim(claim)

    # -- unbound claims ---------------------------------------------------------------------------
    def sync_unbound_claim(self, claim: dict) -> None:
        """syncUnboundClaim: find a volume (or the one the claim names) and bind; else say why."""
        volume_name = (claim.get("spec") or {}).get("volumeName")
        if volume_name:
            self._sync_claim_asking_for_volume(claim, volume_name)
            return
        delay_binding = self.is_delay_binding_mode(claim)
        volume = find_best_match_for_claim(claim, self._volumes(), delay_binding)
        if volume is not None:
            self.bind(volume, claim)
            return
        if self.assign_default_storage_class(claim):
            return  # the update brings the claim back, with its class
        if delay_binding and ANN_SELECTED_NODE not in (claim["metadata"].get("annotations") or {}):
            self.emit_event_for_unbound_delay_binding_claim(claim)
        elif persistent_volume_claim_class(claim):
            self.provision_claim(claim)
            return
        else:
            self.recorder.event(claim, "Normal", "FailedBinding", NO_CLASS_MESSAGE)
        self.update_claim_status(claim, "Pending", None)

    def _sync_claim_asking_for_volume(self, claim: dict, volume_name: str) -> None:
        """The user asked for a specific volume (``spec.volumeName``)."""
        volume = self.get_volume(volume_name)
        if volume is None:
            self.update_claim_status(claim, "Pending", None)  # it may be created later
        elif not (volume.get("spec") or {}).get("claimRef"):
            problem = check_volume_satisfy_claim(volume, claim)
            if problem:
                self.recorder.event(claim, "Warning", "VolumeMismatch",
                                    f'Cannot bind to requested volume "{volume_name}": {problem}')
                self.update_claim_status(claim, "Pending", None)
            else:
                self.bind(volume, claim)
        elif is_volume_bound_to_claim(volume, claim):
            self.bind(volume, claim)  # finish the binding: the claim's uid goes into claimRef
        elif ANN_BOUND_BY_CONTROLLER not in (claim["metadata"].get("annotations") or {}):
            self.update_claim_status(claim, "Pending", None)  # taken by another claim: retry later
        else:
            ref = volume["spec"]["claimRef"]
            raise Requeue(f'invalid binding of claim "{meta_key(claim)}" to volume "{volume_name}": volume '
                          f'already claimed by "{ref.get("namespace")}/{ref.get("name")}"')

    def is_delay_binding_mode(self, claim: dict) -> bool:
        """IsDelayBindingMode: the claim's class binds WaitForFirstConsumer (a class with no binding
        mode: the sync fails and is retried)."""
        try:
            return is_delay_binding_mode(claim, self.class_informer.lister.get)
        except ValueError as err:
            raise Requeue(str(err)) from None

    def assign_default_storage_class(self, claim: dict) -> bool:
        """assignDefaultStorageClass: a claim with no ``storageClassName`` at all (not even "") gets
        the default class once one exists (retroactive default class, GA since v1.28)."""
        if claim_has_class(claim):
            return False
        default = get_default_class(self.class_informer.lister.list())
        if default is None:
            return False
        updated = thaw(claim)
        updated["spec"]["storageClassName"] = default["metadata"]["name"]
        self._store("persistentvolumeclaims", self.client.update(updated))
        return True

    def emit_event_for_unbound_delay_binding_claim(self, claim: dict) -> None:
        """emitEventForUnboundDelayBindingClaim: WaitForFirstConsumer until a pod uses the claim,
        then WaitForPodScheduled naming the pods not yet scheduled."""
        reason, message = "WaitForFirstConsumer", WAIT_FOR_FIRST_CONSUMER_MESSAGE
        pods = self.find_non_scheduled_pods_by_pvc(claim)
        if pods:
            reason = "WaitForPodScheduled"
            message = (f"waiting for pods {','.join(pods)} to be scheduled" if len(pods) > 1
                       else f"waiting for pod {pods[0]} to be scheduled")
        self.recorder.event(claim, "Normal", reason, message)

    def find_non_scheduled_pods_by_pvc(self, claim: dict) -> list[str]:
        """findNonScheduledPodsByPVC: the names of the pods using the claim with no node yet."""
        namespace, name = claim["metadata"]["namespace"], claim["metadata"]["name"]
        names = []
        for pod in self.pod_informer.lister.list(namespace):
            if pod["spec"].get("nodeName"):
                continue
            claims = (volume_claim_name(pod, v) for v in pod["spec"].get("volumes") or ())
            if any(c is not None and c[0] == name for c in claims):
                names.append(pod["metadata"]["name"])
        return names

    def provision_claim(self, claim: dict) -> None:
        """provisionClaim: no volume matched a claim of a class, so a provisioner should make one.
        Only the events happen here: no provisioner runs on this cluster."""
        if not self.enable_dynamic_provisioning:
            return
        class_name = persistent_volume_claim_class(claim)
        storage_class = self.class_informer.lister.get(class_name)
        if storage_class is None:
            self.recorder.event(claim, "Warning", "ProvisioningFailed",
                                f'storageclass.storage.k8s.io "{class_name}" not found')
            return
        provisioner = storage_class.get("provisioner") or ""
        if provisioner.startswith("kubernetes.io/") and provisioner not in MIGRATED_PROVISIONERS:
            # findProvisionablePlugin: no in-tree plugin of that name provisions
            self.recorder.event(claim, "Warning", "ProvisioningFailed", f"no volume plugin matched name: {provisioner}")
            return
        self.provision_claim_operation_external(claim, MIGRATED_PROVISIONERS.get(provisioner, provisioner))

    def provision_claim_operation_external(self, claim: dict, provisioner: str) -> None:
        """provisionClaimOperationExternal: annotate the claim for the external provisioner
        (setClaimProvisioner), then tell the user who is expected to make the volume."""
        annotations = claim["metadata"].get("annotations") or {}
        if annotations.get(ANN_STORAGE_PROVISIONER) != provisioner or annotations.get(
                ANN_BETA_STORAGE_PROVISIONER) != provisioner:
            updated = thaw(claim)
            updated["metadata"].setdefault("annotations", {}).update(
                {ANN_BETA_STORAGE_PROVISIONER: provisioner, ANN_STORAGE_PROVISIONER: provisioner})
            claim = self._store("persistentvolumeclaims", self.client.update(updated))
        self.recorder.event(claim, "Normal", "ExternalProvisioning", EXTERNAL_PROVISIONING_MESSAGE.format(provisioner))

    # -- bound claims -----------------------------------------------------------------------------
    def sync_bound_claim(self, claim: dict) -> None:
        """syncBoundClaim: a claim that was bound. Lost if its volume is gone or taken."""
        volume_name = (claim.get("spec") or {}).get("volumeName")
        if not volume_name:
            self.update_claim_status_with_event(claim, "Lost", "ClaimLost",
                                                "Bound claim has lost reference to PersistentVolume. "
                                                "Data on the volume is lost!")
            return
        volume = self.get_volume(volume_name)
        if volume is None:
            self.update_claim_status_with_event(claim, "Lost", "ClaimLost", "Bound claim has lost its "
                                                "PersistentVolume. Data on the volume is lost!")
            return
        ref = (volume.get("spec") or {}).get("claimRef")
        if not ref or ref.get("uid") == claim["metadata"].get("uid"):
            self.bind(volume, claim)  # unbound volume: fix it; else nothing to do in most cases
        else:
            self.update_claim_status_with_event(claim, "Lost", "ClaimMisbound", "Two claims are bound to the "
                                                "same volume, this one is bound incorrectly")

    # -- volumes ----------------------------------------------------------------------------------
    def sync_volume(self, volume: dict) -> None:
        """syncVolume: Available if unused or only pre-bound; Bound if its claim says so;
        Released (then reclaimed) once its claim is gone."""
        ref = (volume.get("spec") or {}).get("claimRef")
        if not ref or not ref.get("uid"):
            self.update_volume_phase(volume, "Available")
            return
        key = f"{ref.get('namespace')}/{ref.get('name')}"
        claim = self.get_claim(key)
        if claim is None and (volume.get("status") or {}).get("phase") not in ("Released", "Failed"):
            claim = self._claim_from_api_server(ref)  # not in the cache yet (a binder outran it)?
        if claim is not None and claim["metadata"].get("uid") != ref.get("uid"):
            claim = None  # deleted, and another made with the same name
        if claim is None:
            if (volume.get("status") or {}).get("phase") not in ("Released", "Failed"):
                volume = self.update_volume_phase(volume, "Released")
            self.reclaim_volume(volume)
        elif not (claim.get("spec") or {}).get("volumeName"):
            self.queue.add(key)  # the binding is not complete: the claim's sync finishes it
        elif claim["spec"]["volumeName"] == volume["metadata"]["name"]:
            self.update_volume_phase(volume, "Bound")
        else:
            self.unbind_volume(volume)  # the claim went to another volume

    def _claim_from_api_server(self, ref: dict) -> dict | None:
        try:
            return self.client.get("persistentvolumeclaims", ref.get("name"), ref.get("namespace"))
        except ApiError as err:
            if err.code == 404:
                return None
            raise

    def reclaim_volume(self, volume: dict) -> None:
        """reclaimVolume: Retain keeps the volume (and its data) as it is; Delete and Recycle hand
        it to a deleter or recycler (upstream in a goroutine; here at once, again at each sync)."""
        if is_migrated(volume):
            return  # a CSI driver's external provisioner reclaims it
        policy = (volume.get("spec") or {}).get("persistentVolumeReclaimPolicy")
        if policy == "Delete":
            self.delete_volume_operation(volume)
        elif policy == "Recycle":
            self.recycle_volume_operation(volume)
        elif policy != "Retain":
            self.update_volume_phase_with_event(volume, "Failed", "Warning", "VolumeUnknownReclaimPolicy",
                                                "Volume has unrecognized PersistentVolumeReclaimPolicy")

    def _still_released(self, volume: dict) -> dict | None:
        """The volume read again from the API server, if it still needs reclaiming (isVolumeReleased)."""
        volume = self.fresh("persistentvolumes", volume)
        if volume is None:
            return None
        ref = volume["spec"].get("claimRef") or {}
        claim = self.get_claim(f"{ref.get('namespace')}/{ref.get('name')}")
        return volume if is_volume_released(volume, claim) else None

    def delete_volume_operation(self, volume: dict) -> None:
        """deleteVolumeOperation: the deleter deletes the storage, then the PersistentVolume object
        goes. A deleter's error makes the volume Failed, with the error as its message and a
        VolumeFailedDelete event; the delete is tried again at every sync."""
        volume = self._still_released(volume)
        if volume is None:
            return
        try:
            deleted = delete_volume(volume)
        except ReclaimError as err:
            self.update_volume_phase_with_event(volume, "Failed", "Warning", "VolumeFailedDelete", str(err))
            return
        if deleted:  # else an external deleter is to delete it: the volume waits, Released
            try:
                self.client.delete("persistentvolumes", volume["metadata"]["name"], None)
            except ApiError as err:
                if err.code != 404:
                    raise

    def recycle_volume_operation(self, volume: dict) -> None:
        """recycleVolumeOperation: not while pods still use the claim (VolumeFailedRecycle, each
        sync); a volume with no recycler plugin is Failed. The recycler pod of a hostPath or nfs
        volume is not simulated: that volume stays Released."""
        volume = self._still_released(volume)
        if volume is None:
            return
        ref = volume["spec"]["claimRef"]
        pods = self.find_pods_using_claim(ref.get("namespace"), ref.get("name"))
        if pods and self.get_claim(f"{ref.get('namespace')}/{ref.get('name')}") is None:
            self.recorder.event(volume, "Normal", "VolumeFailedRecycle", f"Volume is used by pods: {','.join(pods)}")
        elif not has_recyclable_plugin(volume):
            self.update_volume_phase_with_event(volume, "Failed", "Warning", "VolumeFailedRecycle", NO_RECYCLER_MESSAGE)

    def find_pods_using_claim(self, namespace: str, claim_name: str) -> list[str]:
        """isVolumeUsed: ``namespace/name`` of the pods, not terminated, whose volumes use the claim."""
        names = set()
        for pod in self.pod_informer.lister.list(namespace):
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            claims = (volume_claim_name(pod, v) for v in pod["spec"].get("volumes") or ())
            if any(c is not None and c[0] == claim_name for c in claims):
                names.add(f"{namespace}/{pod['metadata']['name']}")
        return sorted(names)

    def unbind_volume(self, volume: dict) -> None:
        """unbindVolume: the controller's own binding is undone (claimRef removed); a user's
        pre-binding keeps the claim's name but loses its uid. Either way: Available again."""
        updated = thaw(volume)
        annotations = updated["metadata"].get("annotations") or {}
        if ANN_BOUND_BY_CONTROLLER in annotations:
            updated["spec"].pop("claimRef", None)
            del annotations[ANN_BOUND_BY_CONTROLLER]
        else:
            updated["spec"]["claimRef"].pop("uid", None)
        volume = self._store("persistentvolumes", self.client.update(updated))
        self.update_volume_phase(volume, "Available")

    # -- bind -------------------------------------------------------------------------------------
    def bind(self, volume: dict, claim: dict) -> None:
        """bind: volume's claimRef, volume phase Bound, claim's volumeName, claim phase Bound;
        each write only if something changes."""
        volume = self.bind_volume_to_claim(volume, claim)
        volume = self.update_volume_phase(volume, "Bound")
        claim = self.bind_claim_to_volume(claim, volume)
        self.update_claim_status(claim, "Bound", volume)

    def bind_volume_to_claim(self, volume: dict, claim: dict) -> dict:
        updated, dirty = get_bind_volume_to_claim(volume, claim)
        if not dirty:
            return volume
        return self._store("persistentvolumes", self.client.update(updated))

    def bind_claim_to_volume(self, claim: dict, volume: dict) -> dict:
        """bindClaimToVolume: ``spec.volumeName`` and the annotations bound-by-controller (when
        the controller chose the volume) and bind-completed."""
        updated = thaw(claim)
        annotations = updated["metadata"].get("annotations") or {}
        dirty = False
        if updated["spec"].get("volumeName") != volume["metadata"]["name"]:
            updated["spec"]["volumeName"] = volume["metadata"]["name"]
            annotations.setdefault(ANN_BOUND_BY_CONTROLLER, "yes")
            dirty = True
        if ANN_BIND_COMPLETED not in annotations:
            annotations[ANN_BIND_COMPLETED] = "yes"
            dirty = True
        if not dirty:
            return claim
        updated["metadata"]["annotations"] = annotations
        return self._store("persistentvolumeclaims", self.client.update(updated))

    def update_claim_status(self, claim: dict, phase: str, volume: dict | None) -> dict:
        """updateClaimStatus: the phase, and the volume's access modes and capacity (none while
        unbound); written only if something changes."""
        status = dict(claim.get("status") or {})
        before = dict(status)
        status["phase"] = phase
        if volume is None:
            status.pop("accessModes", None)
            status.pop("capacity", None)
        else:
            vspec = volume.get("spec") or {}
            status["accessModes"] = list(vspec.get("accessModes") or [])
            if (parse_quantity((status.get("capacity") or {}).get("storage", "0"))
                    != parse_quantity((vspec.get("capacity") or {}).get("storage", "0"))
                    or "capacity" not in status):
                status["capacity"] = dict(vspec.get("capacity") or {})
        if status == before:
            return claim
        updated = {**claim, "status": status}
        return self._store("persistentvolumeclaims", self.client.update_status(updated))

    def update_claim_status_with_event(self, claim: dict, phase: str, reason: str, message: str) -> None:
        """updateClaimStatusWithEvent: the event only when the phase changes."""
        if (claim.get("status") or {}).get("phase") == phase:
            return
        claim = self.update_claim_status(claim, phase, None)
        self.recorder.event(claim, "Warning", reason, message)

    def update_volume_phase(self, volume: dict, phase: str, message: str = "") -> dict:
        """updateVolumePhase: the status phase and message, if they change."""
        status = volume.get("status") or {}
        if status.get("phase") == phase and (status.get("message") or "") == message:
            return volume
        new_status = {k: v for k, v in status.items() if k != "message"}
        new_status["phase"] = phase
        if message:
            new_status["message"] = message
        return self._store("persistentvolumes", self.client.update_status({**volume, "status": new_status}))

    def update_volume_phase_with_event(self, volume: dict, phase: str, event_type: str, reason: str,
                                       message: str) -> dict:
        """updateVolumePhaseWithEvent: the phase, message and an event, only when the phase changes
        (a Failed volume retried at every sync records its event once)."""
        if (volume.get("status") or {}).get("phase") == phase:
            return volume
        volume = self.update_volume_phase(volume, phase, message)
        self.recorder.event(volume, event_type, reason, message)
        return volume


def check_volume_satisfy_claim(volume: dict, claim: dict) -> str:
    """checkVolumeSatisfyClaim: why a volume the claim names cannot serve it ("" if it can)."""
    vspec, cspec = volume.get("spec") or {}, claim.get("spec") or {}
    if volume["metadata"].get("deletionTimestamp"):
        return f'the volume is marked for deletion "{volume["metadata"]["name"]}"'
    requested = parse_quantity(((cspec.get("resources") or {}).get("requests") or {}).get("storage", "0"))
    if parse_quantity((vspec.get("capacity") or {}).get("storage", "0")).value() < requested.value():
        return "requested PV is too small"
    if persistent_volume_class(volume) != persistent_volume_claim_class(claim):
        return "storageClassName does not match"
    if check_volume_mode_mismatches(cspec, vspec):
        return "incompatible volumeMode"
    if not check_access_modes(claim, volume):
        return "incompatible accessMode"
    return ""

