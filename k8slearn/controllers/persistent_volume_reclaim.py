"""What the PV controller does with a ``Released`` volume: its reclaim policy, and which plugin acts.

When a volume's claim is gone the volume is ``Released`` and its ``persistentVolumeReclaimPolicy``
decides what happens next (:func:`reclaim_action`). ``Retain`` does nothing. ``Delete`` asks a
*deleter* plugin to delete the storage, then deletes the PersistentVolume object. ``Recycle``
(deprecated) asks a *recycler* to empty the volume, which is then ``Available`` again.

kube-controller-manager has few in-tree plugins (ProbeControllerVolumePlugins): ``host-path``
(deletes and recycles), ``nfs`` (recycles only), ``local-volume`` and ``csi`` (neither). A volume
a CSI driver (or any external provisioner) serves is left to that driver; anything else the PV
API accepts (iscsi, fc, rbd, ...) has no plugin at all here. The deleter's error becomes the
volume's ``status.message`` and a ``VolumeFailedDelete`` event, and the volume is ``Failed``:

>>> volume = {"metadata": {"name": "pv-1"}, "spec": {"hostPath": {"path": "/mnt/data"}}}
>>> delete_volume(volume)
Traceback (most recent call last):
...
k8slearn.controllers.persistent_volume_reclaim.ReclaimError: host_path deleter only supports /tmp/.+ but received provided /mnt/data
>>> delete_volume({"metadata": {"name": "pv-2"}, "spec": {"hostPath": {"path": "/tmp/data"}}})
True
>>> delete_volume({"metadata": {"name": "pv-3"}, "spec": {"local": {"path": "/mnt/disks/ssd1"}}})
Traceback (most recent call last):
...
k8slearn.controllers.persistent_volume_reclaim.ReclaimError: error getting deleter volume plugin for volume "pv-3": no deletable volume plugin matched
>>> delete_volume({"metadata": {"name": "pv-4"}, "spec": {"csi": {"driver": "ebs.csi.aws.com"}}})
False

The host-path deleter is for single-node test clusters: it runs ``os.RemoveAll`` on the machine
kube-controller-manager runs on, not on the node whose directory the pods used. On a kubeadm
cluster that is the kube-controller-manager container's own ``/tmp``, so the deletion "succeeds"
and the files stay on the worker node. This simulation models exactly that: the PersistentVolume
object goes, no node's files are touched.

Simplified: the recycler pod (``recycler-for-<volume>``, image debian-base, ``find /scrub
-mindepth 1 -delete``) is not run, because the simulated kubelet can neither pull that image nor
run ``find``: a ``Recycle`` volume of a recycler plugin (hostPath, nfs) stays ``Released``. The
CSI-migrated in-tree sources (awsElasticBlockStore, gcePersistentDisk, azureDisk, azureFile,
cinder, vsphereVolume) are left to their CSI driver, as the ``pv.kubernetes.io/migrated-to``
annotation upstream writes on them would make the controller do, without writing it.

Upstream: pkg/controller/volume/persistentvolume/pv_controller.go (reclaimVolume,
deleteVolumeOperation, doDeleteVolume, findDeletablePlugin, recycleVolumeOperation,
isVolumeReleased, isVolumeUsed), pkg/volume/plugins.go (FindPluginBySpec, FindPluginByName,
FindDeletablePluginBySpec/ByName, FindRecyclablePluginBySpec), pkg/volume/hostpath/host_path.go
(hostPathDeleter.Delete), cmd/kube-controller-manager/app/plugins.go (ProbeControllerVolumePlugins)
"""

from __future__ import annotations

import re

from k8slearn.api.volume_matching import ANN_DYNAMICALLY_PROVISIONED

ANN_MIGRATED_TO = "pv.kubernetes.io/migrated-to"
HOST_PATH_PLUGIN = "kubernetes.io/host-path"
# The plugins kube-controller-manager registers, by the PV source each one supports (CanSupport).
CONTROLLER_PLUGINS = {"hostPath": HOST_PATH_PLUGIN, "nfs": "kubernetes.io/nfs", "local": "kubernetes.io/local-volume",
                      "csi": "kubernetes.io/csi"}
DELETABLE_PLUGINS = {HOST_PATH_PLUGIN}
RECYCLABLE_PLUGINS = {HOST_PATH_PLUGIN, "kubernetes.io/nfs"}
# In-tree sources whose volumes CSI drivers serve now (CSI migration is GA for these).
MIGRATED_SOURCES = ("awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "azureFile", "cinder", "vsphereVolume")
NO_RECYCLER_MESSAGE = "No recycler plugin found for the volume!"


class ReclaimError(Exception):
    """A deleter's or plugin lookup's error; ``str()`` is the text upstream records."""


def is_migrated(volume: dict) -> bool:
    """reclaimVolume's first check: a volume CSI migration hands to a CSI driver is not ours."""
    spec = volume.get("spec") or {}
    return bool((volume["metadata"].get("annotations") or {}).get(ANN_MIGRATED_TO)) or any(
        spec.get(source) for source in MIGRATED_SOURCES)


def find_plugin_by_spec(volume: dict) -> str:
    """FindPluginBySpec: the name of the registered plugin that supports the volume's source."""
    spec = volume.get("spec") or {}
    for source, plugin in CONTROLLER_PLUGINS.items():
        if spec.get(source):
            return plugin
    raise ReclaimError("no volume plugin matched")


def find_deletable_plugin(volume: dict) -> str | None:
    """findDeletablePlugin: the deleter plugin's name, or None when an external deleter (a CSI
    driver, an external provisioner) is to delete the volume."""
    provisioner = (volume["metadata"].get("annotations") or {}).get(ANN_DYNAMICALLY_PROVISIONED)
    if provisioner:  # FindDeletablePluginByName: the plugin that provisioned it
        if provisioner in DELETABLE_PLUGINS:
            return provisioner
        if provisioner in CONTROLLER_PLUGINS.values():
            raise ReclaimError("no deletable volume plugin matched")
        if not provisioner.startswith("kubernetes.io/"):
            return None
        raise ReclaimError(f"no volume plugin matched name: {provisioner}")
    if (volume.get("spec") or {}).get("csi"):
        return None  # HonorPVReclaimPolicy (beta, on): the CSI driver's external provisioner deletes
    try:
        plugin = find_plugin_by_spec(volume)
        if plugin not in DELETABLE_PLUGINS:
            raise ReclaimError("no deletable volume plugin matched")
    except ReclaimError as err:
        name = volume["metadata"]["name"]
        raise ReclaimError(f'error getting deleter volume plugin for volume "{name}": {err}') from None
    return plugin


def host_path_delete(volume: dict) -> None:
    """hostPathDeleter.Delete: only a path matching ``/tmp/.+`` (anywhere in it: the regexp is not
    anchored) is removed, on kube-controller-manager's own machine; nothing to remove here."""
    host_path = (volume.get("spec") or {}).get("hostPath")
    if not host_path:  # newDeleter, for a volume provisioned by host-path that is no hostPath now
        raise ReclaimError(f'failed to create deleter for volume "{volume["metadata"]["name"]}": '
                           "spec.PersistentVolumeSource.HostPath is nil")
    path = host_path.get("path") or ""
    if not re.search(r"/tmp/.+", path):
        raise ReclaimError(f"host_path deleter only supports /tmp/.+ but received provided {path}")


def delete_volume(volume: dict) -> bool:
    """doDeleteVolume: True once the storage is deleted, False when an external deleter is to do
    it; the deleter's error is raised as a :class:`ReclaimError`."""
    plugin = find_deletable_plugin(volume)
    if plugin is None:
        return False
    host_path_delete(volume)  # host-path is the only deletable plugin
    return True


def has_recyclable_plugin(volume: dict) -> bool:
    """FindRecyclablePluginBySpec succeeds: the volume's plugin is host-path or nfs."""
    try:
        return find_plugin_by_spec(volume) in RECYCLABLE_PLUGINS
    except ReclaimError:
        return False


def is_volume_released(volume: dict, claim: dict | None) -> bool:
    """isVolumeReleased: bound (with a uid) to a claim that is gone, or that went to another volume."""
    ref = (volume.get("spec") or {}).get("claimRef") or {}
    if not ref.get("uid"):
        return False
    if claim is not None and claim["metadata"].get("uid") == ref["uid"]:
        volume_name = (claim.get("spec") or {}).get("volumeName")
        return bool(volume_name) and volume_name != volume["metadata"]["name"]
    return True
