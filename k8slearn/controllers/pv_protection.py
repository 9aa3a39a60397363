"""pv-protection: a volume bound to a claim is not deleted while it is bound.

Admission puts the finalizer ``kubernetes.io/pv-protection`` on every new PersistentVolume.
``kubectl delete pv`` on a ``Bound`` volume only marks it (``Terminating``); this controller
removes the finalizer once the volume's phase is no longer ``Bound`` (its claim was deleted: the
PV controller made it ``Released``), and the volume is really deleted. A volume without the
finalizer and not being deleted gets it.

Upstream: pkg/controller/volume/pvprotection/pv_protection_controller.go (processPV,
isBeingUsed, addFinalizer, removeFinalizer, pvAddedUpdated)
"""

from __future__ import annotations

from typing import Any

from k8slearn.controllers.base import Controller
from k8slearn.controllers.pvc_protection import (
    add_finalizer,
    is_deletion_candidate,
    need_to_add_finalizer,
    remove_finalizer,
)

PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection"


def is_being_used(volume: dict) -> bool:
    """isBeingUsed: the PV controller says the volume is Bound."""
    return (volume.get("status") or {}).get("phase") == "Bound"


class PVProtectionController(Controller):
    """Removes ``kubernetes.io/pv-protection`` from deleted volumes that are not Bound."""

    name = "pv-protection"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.volume_informer = self.informers.informer("persistentvolumes")
        self.volume_informer.add_event_handler(on_add=self._volume_changed,
                                               on_update=lambda old, new: self._volume_changed(new))

    def _volume_changed(self, volume: dict) -> None:
        """pvAddedUpdated: only volumes that need the finalizer added or removed."""
        if need_to_add_finalizer(volume, PV_PROTECTION_FINALIZER) or is_deletion_candidate(
                volume, PV_PROTECTION_FINALIZER):
            self.queue.add(volume["metadata"]["name"])

    def sync(self, name: str) -> None:
        """processPV."""
        volume = self.volume_informer.lister.get(name)
        if volume is None:
            return
        if is_deletion_candidate(volume, PV_PROTECTION_FINALIZER):
            if not is_being_used(volume):
                remove_finalizer(self.client, volume, PV_PROTECTION_FINALIZER)
                return
            self.loop.record(self.name, "keep", f"persistentvolume/{name}", "Keeping PV because it is being used")
        if need_to_add_finalizer(volume, PV_PROTECTION_FINALIZER):
            add_finalizer(self.client, volume, PV_PROTECTION_FINALIZER)
