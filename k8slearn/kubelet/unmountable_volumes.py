"""The volume kinds a simulated node cannot mount, and what a v1.32 kubeadm node says about each.

The simulated nodes are kubeadm nodes as a course meets them: containerd, no CSI driver
registered, no NFS, iSCSI or Ceph client tools, not on a cloud. Such a node fails a volume at one
of two steps of the kubelet's volume manager, and the two read differently in ``kubectl describe
pod``:

1. **The desired-state populator** (processPodVolumes) cannot turn the volume into a volume spec
   with a plugin. The volume never reaches the reconciler; the wait before the sandbox ends at its
   next 300 ms poll, and SyncPod writes one ``FailedMount`` event per pod sync (every 10 to 15 s):

   - a ``persistentVolumeClaim`` or generic ``ephemeral`` volume whose claim (the ephemeral one
     is ``<pod>-<volume>``) is not found, is not ``Bound`` yet (``PVC is not bound``), or whose
     PersistentVolume is missing or not bound back to it (:func:`pv_volume_spec`). A bound claim's
     volume is then its PersistentVolume's source, named after the PersistentVolume: a ``hostPath``
     or ``local`` one mounts as a directory of the node, the others as below;
   - a kind whose in-tree plugin v1.32 no longer has and does not hand to a CSI driver (cephfs and
     rbd were removed in v1.31, glusterfs in v1.26, ...), or a ``flexVolume`` whose driver is not
     installed on the node:

   >>> pod = {"metadata": {"name": "web", "namespace": "default", "uid": "u1"}}
   >>> populator_error(pod, {"name": "data", "ephemeral": {"volumeClaimTemplate": {}}})
   'error processing PVC default/web-data: failed to fetch PVC from API server: persistentvolumeclaims "web-data" not found'
   >>> populator_error(pod, {"name": "data", "cephfs": {"monitors": ["10.0.0.5:6789"]}})
   'failed to get Plugin from volumeSpec for volume "data" err=no volume plugin matched'

2. **SetUp fails** in the reconciler's mount operation, which retries it with its back-off, each
   failure a ``MountVolume.SetUp failed for volume "data" : ...`` event:

   - ``csi`` (an inline volume): no CSI driver of that name registered with the kubelet;
   - ``nfs``: ``mount -t nfs`` without ``/sbin/mount.nfs`` (the ``nfs-common`` package), which
     util-linux's mount answers with "bad option" and exit status 32 (its text as Ubuntu 22.04's
     util-linux 2.37 prints it; other versions word it a little differently):

   >>> print(set_up_error(pod, {"name": "data", "nfs": {"server": "10.0.0.5", "path": "/exports"}}))
   mount failed: exit status 32
   Mounting command: mount
   Mounting arguments: -t nfs 10.0.0.5:/exports /var/lib/kubelet/pods/u1/volumes/kubernetes.io~nfs/data
   Output: mount: /var/lib/kubelet/pods/u1/volumes/kubernetes.io~nfs/data: bad option; for several filesystems (e.g. nfs, cifs) you might need a /sbin/mount.<type> helper program.
   <BLANKLINE>

Simplified: the other kinds are not simulated, and their event says so, ``k8slearn: ... not
simulated``. v1.32 hands the in-tree cloud kinds (awsElasticBlockStore, gcePersistentDisk,
azureDisk, ...) to their CSI driver (CSI migration), whose VolumeAttachment the attach/detach
controller creates and waits for (a ``FailedAttachVolume`` event from ``attachdetach-controller``),
while the kubelet waits without an event of its own; iscsi and fc are attached the same way, and
their WaitForAttach runs ``iscsiadm`` or scans the node's disks; gitRepo runs the node's ``git
clone``. The simulated cluster has no attach/detach controller, VolumeAttachments, disks or git.

Upstream: pkg/kubelet/volumemanager/populator/desired_state_of_world_populator.go (createVolumeSpec,
getPVCExtractPV), pkg/kubelet/volumemanager/cache/desired_state_of_world.go (AddPodToVolume),
pkg/volume/plugins.go (FindPluginBySpec), pkg/volume/csi/csi_mounter.go (SetUpAt),
pkg/volume/csi/csi_client.go (newCsiDriverClient), pkg/volume/nfs/nfs.go (SetUpAt,
getServerFromSource), k8s.io/mount-utils mount_linux.go (doMount),
k8s.io/csi-translation-lib/plugins (the migrated drivers' names)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from k8slearn.api.volume_claims import volume_claim_name

# Kinds the v1.32 kubelet has no plugin for (FindPluginBySpec: "no volume plugin matched"): in-tree
# plugins removed without CSI migration, and flexVolume (a driver the node does not have).
NO_PLUGIN_KINDS = ("cephfs", "rbd", "glusterfs", "flocker", "quobyte", "scaleIO", "storageos",
                   "photonPersistentDisk", "flexVolume")

# In-tree cloud kinds v1.32 translates to a CSI driver (CSI migration), by the driver's name.
MIGRATED_TO_CSI = {
    "awsElasticBlockStore": "ebs.csi.aws.com",
    "gcePersistentDisk": "pd.csi.storage.gke.io",
    "azureDisk": "disk.csi.azure.com",
    "azureFile": "file.csi.azure.com",
    "cinder": "cinder.csi.openstack.org",
    "vsphereVolume": "csi.vsphere.vmware.com",
    "portworxVolume": "pxd.portworx.com",
}

# Why the other kinds are not simulated (what a real node does with them).
NOT_SIMULATED_BECAUSE = {
    "iscsi": "a real node has the attach/detach controller attach them, then runs iscsiadm",
    "fc": "a real node has the attach/detach controller attach them, then looks for the disk",
    "gitRepo": "a real node clones the repository with its own git",
}

# A PersistentVolume's source fields (PersistentVolumeSource): the kinds a volume spec can take.
PV_SOURCES = ("hostPath", "local", "nfs", "csi", "iscsi", "fc", "awsElasticBlockStore", "gcePersistentDisk",
              "azureDisk", "azureFile", "cinder", "vsphereVolume", "portworxVolume", "cephfs", "rbd",
              "glusterfs", "flocker", "quobyte", "scaleIO", "storageos", "photonPersistentDisk", "flexVolume")

KUBELET_PODS = "/var/lib/kubelet/pods"
MOUNT_HELPER_MISSING = ("bad option; for several filesystems (e.g. nfs, cifs) you might need a "
                        "/sbin/mount.<type> helper program.")


def source_kind(volume: dict) -> str:
    """The volume's source field (``nfs``, ``csi``, ...): its first key other than ``name``."""
    return next((key for key in volume if key != "name"), "")


def claim_name(pod: dict, volume: dict) -> str | None:
    """The claim a ``persistentVolumeClaim`` or generic ``ephemeral`` volume uses, or None for
    another kind (``api.volume_claims``)."""
    claim = volume_claim_name(pod, volume)
    return claim[0] if claim is not None else None


def populator_error(pod: dict, volume: dict, get: Callable | None = None) -> str:
    """createVolumeSpec and AddPodToVolume for one volume: the error that keeps it out of the desired
    state of the world, or ``""``. ``get(resource, name, namespace)`` reads through the API server
    (None: not found); without it every claim is missing."""
    return volume_spec(pod, volume, get)[1]


def volume_spec(pod: dict, volume: dict, get: Callable | None = None) -> tuple[dict, str]:
    """createVolumeSpec: (the volume to mount, the error or ``""``). A claim's volume is its bound
    PersistentVolume's source under the pod's volume name (``{"name": "www", "hostPath": {...}}``)."""
    claim = claim_name(pod, volume)
    if claim is not None:
        namespace = pod["metadata"].get("namespace", "default")
        spec, error = pv_volume_spec(volume, claim, namespace, get or (lambda *_: None))
        return spec, f"error processing PVC {namespace}/{claim}: {error}" if error else ""
    if source_kind(volume) in NO_PLUGIN_KINDS:
        name = volume.get("name", "")
        return volume, f'failed to get Plugin from volumeSpec for volume "{name}" err=no volume plugin matched'
    return volume, ""


def pv_volume_spec(volume: dict, claim: str, namespace: str, get: Callable) -> tuple[dict, str]:
    """getPVCExtractPV, then getPVSpec: the claim must be Bound to a volume whose claimRef points
    back at it. A ``local`` volume mounts like a ``hostPath`` one (a directory of the node)."""
    pvc = get("persistentvolumeclaims", claim, namespace)
    if pvc is None:
        return volume, f'failed to fetch PVC from API server: persistentvolumeclaims "{claim}" not found'
    if (pvc.get("metadata") or {}).get("deletionTimestamp"):
        return volume, "PVC is being deleted"
    if (pvc.get("status") or {}).get("phase") != "Bound":
        return volume, "PVC is not bound"
    pv_name = (pvc.get("spec") or {}).get("volumeName", "")
    if not pv_name:
        return volume, "PVC has empty pvc.Spec.VolumeName"
    pv = get("persistentvolumes", pv_name, "")
    if pv is None:
        return volume, f'failed to fetch PV {pv_name} from API server: persistentvolumes "{pv_name}" not found'
    ref = (pv.get("spec") or {}).get("claimRef")
    if ref is None:
        return volume, (f"found PV object {pv_name} but it has a nil pv.Spec.ClaimRef indicating it is not "
                        "yet bound to the claim")
    uid = (pvc.get("metadata") or {}).get("uid", "")
    if ref.get("uid", "") != uid:
        return volume, (f"found PV object {pv_name} but its pv.Spec.ClaimRef.UID {ref.get('uid', '')} does "
                        f"not point to claim.UID {uid}")
    kind = next((k for k in PV_SOURCES if k in pv.get("spec", {})), "")
    source = dict((pv.get("spec") or {}).get(kind) or {})
    if kind == "local":
        kind, source = "hostPath", {"path": source.get("path", "")}
    return ({"name": pv_name, kind: source} if kind else {"name": pv_name}), ""  # (NewSpecFromPersistentVolume)


def set_up_error(pod: dict, volume: dict) -> str:
    """The error of SetUp (after ``MountVolume.SetUp failed for volume "x" : ``) for a kind the
    simulated node cannot mount."""
    kind = source_kind(volume)
    source = volume.get(kind) or {}
    if kind == "csi":
        return ("kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name "
                f"{source.get('driver', '')} not found in the list of registered CSI drivers")
    if kind == "nfs":
        return nfs_mount_error(pod, volume.get("name", ""), source)
    if kind in MIGRATED_TO_CSI:
        why = (f"v1.32 hands them to the {MIGRATED_TO_CSI[kind]} CSI driver, which the attach/detach "
               "controller waits for")
    else:
        why = NOT_SIMULATED_BECAUSE.get(kind, "")
    what = f"{kind} volumes are" if kind else "this kind of volume is"
    return f"k8slearn: {what} not simulated" + (f" ({why})" if why else "")


def nfs_mount_error(pod: dict, name: str, source: dict) -> str:
    """The nfs plugin's SetUpAt: ``mount -t nfs server:path dir`` (``-o ro`` for a read-only
    source; an IPv6 server in brackets), refused by mount without the NFS helper (mount-utils'
    "mount failed" error, with mount's own output)."""
    target = f"{KUBELET_PODS}/{pod['metadata'].get('uid', '')}/volumes/kubernetes.io~nfs/{name}"
    server = source.get("server", "")
    arguments = ["-t", "nfs"] + (["-o", "ro"] if source.get("readOnly") else [])
    arguments += [f"{_bracketed(server)}:{source.get('path', '')}", target]
    return (f"mount failed: exit status 32\nMounting command: mount\n"
            f"Mounting arguments: {' '.join(arguments)}\nOutput: mount: {target}: {MOUNT_HELPER_MISSING}\n")


def _bracketed(server: str) -> str:
    """getServerFromSource: an IPv6 address in brackets, anything else as it is."""
    try:
        return f"[{server}]" if ipaddress.ip_address(server).version == 6 else server
    except ValueError:
        return server
