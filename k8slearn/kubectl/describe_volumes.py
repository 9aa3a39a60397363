"""``kubectl describe``'s ``Volumes:`` section: one printer per volume source, as kubectl 1.32 has.

``describe_volumes`` walks the pod's volumes in order; each one gets its name, then the lines of the
first source it sets, in upstream's order (a volume has only one). A printer writes a ``Type:`` line
and the source's fields, each value printed as Go's ``%v`` would print it: ``""`` for an unset
string, ``0`` and ``false`` for unset numbers and flags, ``[a b]`` for a list, ``map[k:v]`` for a
map, ``<nil>`` or ``&{name}`` for a reference. Most sources are plain rows of fields
(``FIELD_PRINTERS``); a few need a little code of their own.

>>> from k8slearn.kubectl.describe import PrefixWriter
>>> w = PrefixWriter()
>>> describe_volumes([{"name": "share", "nfs": {"server": "10.0.0.5", "path": "/exports"}}], w)
>>> print(w.text(), end="")
Volumes:
  share:
    Type:      NFS (an NFS mount that lasts the lifetime of a pod)
    Server:    10.0.0.5
    Path:      /exports
    ReadOnly:  false

A generic ephemeral volume prints its claim template the way ``describe pvc`` prints a claim, two
levels in; upstream's nested writer also indents the values of ``Labels`` and ``Annotations``, so
they stand four spaces further right than the other values (real kubectl prints them so).

Simplified: a projected Secret's or ConfigMap's ``optional`` is a Go pointer printed with ``%v``: its
address changes from run to run in real kubectl; here it is made from the volume's name.

Upstream: staging/src/k8s.io/kubectl/pkg/describe/describe.go (describeVolumes and the
print*VolumeSource functions it calls, printEphemeralVolumeSource, printPersistentVolumeClaim,
printCSIPersistentVolumeAttributesMultilineIndent, nestedPrefixWriter),
staging/src/k8s.io/component-helpers/storage/volume/helpers.go (GetPersistentVolumeClaimClass)
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable

from k8slearn.api.quantity import parse_quantity
from k8slearn.api.storage_class import access_modes_as_string, persistent_volume_claim_class

__all__ = ["describe_volumes", "FIELD_PRINTERS", "NestedPrefixWriter"]

MAX_ANNOTATION_LEN = 140


# --- how Go's %v prints a field --------------------------------------------------------------

def go_text(value: Any) -> str:
    """``%v`` of a string or a number; an unset string is ``""``."""
    return "" if value is None else str(value)


def go_int(value: Any) -> str:
    """``%v`` of an int32 field: ``0`` when unset."""
    return str(value or 0)


def go_bool(value: Any) -> str:
    """``%v`` of a bool field (or of a ``*bool`` that kubectl dereferences): ``false`` when unset."""
    return "true" if value else "false"


def go_strings(values: Any) -> str:
    """``%v`` of a ``[]string``: ``[a b]``, and ``[]`` when unset."""
    return "[" + " ".join(str(v) for v in values or []) + "]"


def go_string_map(values: Any) -> str:
    """``%v`` of a ``map[string]string``: keys sorted, ``map[a:1 b:2]``; ``map[]`` when unset."""
    return "map[" + " ".join(f"{k}:{v}" for k, v in sorted((values or {}).items())) + "]"


def go_reference(ref: Any) -> str:
    """``%v`` of a ``*LocalObjectReference``: ``<nil>``, or ``&{name}``."""
    return "<nil>" if ref is None else "&{" + go_text((ref or {}).get("name")) + "}"


def go_pointer(value: Any, seed: str) -> str:
    """``%v`` of a ``*bool``: ``<nil>`` when unset, else the pointer itself, an address such as
    ``0xc0007708f8`` that changes from run to run. Here the address is made from the volume's name
    (the seed), so output stays the same.

    >>> go_pointer(None, "all-in-one/1"), go_pointer(True, "all-in-one/1")
    ('<nil>', '0xc00077f241')
    """
    if value is None:
        return "<nil>"
    return "0xc000" + hashlib.sha256(seed.encode()).hexdigest()[:6]


# --- the writer two levels in ----------------------------------------------------------------

class NestedPrefixWriter:
    """nestedPrefixWriter: every write (``write_line`` too) indented ``indent`` levels further.

    Because ``write_line`` indents as well, ``Labels:\\t<none>`` written through it gets four spaces
    before ``<none>``: that is what real kubectl prints for an ephemeral volume's claim template.
    """

    def __init__(self, out: Any, indent: int) -> None:
        self.out, self.indent = out, indent

    def write(self, level: int, text: str) -> None:
        self.out.write(level + self.indent, text)

    def write_line(self, text: str = "") -> None:
        self.out.write(self.indent, text + "\n")


# --- the sources that are rows of fields ---------------------------------------------------------

Row = tuple[str, str, Callable[[Any], str]]  # label (with its colon, as upstream spells it), JSON key, %v

FIELD_PRINTERS: dict[str, tuple[str, list[Row]]] = {
    "gcePersistentDisk": ("GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)", [
        ("PDName:", "pdName", go_text), ("FSType:", "fsType", go_text),
        ("Partition:", "partition", go_int), ("ReadOnly:", "readOnly", go_bool)]),
    "awsElasticBlockStore": ("AWSElasticBlockStore (a Persistent Disk resource in AWS)", [
        ("VolumeID:", "volumeID", go_text), ("FSType:", "fsType", go_text),
        ("Partition:", "partition", go_int), ("ReadOnly:", "readOnly", go_bool)]),
    "gitRepo": ("GitRepo (a volume that is pulled from git when the pod is created)", [
        ("Repository:", "repository", go_text), ("Revision:", "revision", go_text)]),
    "nfs": ("NFS (an NFS mount that lasts the lifetime of a pod)", [
        ("Server:", "server", go_text), ("Path:", "path", go_text), ("ReadOnly:", "readOnly", go_bool)]),
    "glusterfs": ("Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)", [
        ("EndpointsName:", "endpoints", go_text), ("Path:", "path", go_text),
        ("ReadOnly:", "readOnly", go_bool)]),
    "persistentVolumeClaim": (
        "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)", [
            ("ClaimName:", "claimName", go_text), ("ReadOnly:", "readOnly", go_bool)]),
    "rbd": ("RBD (a Rados Block Device mount on the host that shares a pod's lifetime)", [
        ("CephMonitors:", "monitors", go_strings), ("RBDImage:", "image", go_text),
        ("FSType:", "fsType", go_text), ("RBDPool:", "pool", go_text), ("RadosUser:", "user", go_text),
        ("Keyring:", "keyring", go_text), ("SecretRef:", "secretRef", go_reference),
        ("ReadOnly:", "readOnly", go_bool)]),
    "quobyte": ("Quobyte (a Quobyte mount on the host that shares a pod's lifetime)", [
        ("Registry:", "registry", go_text), ("Volume:", "volume", go_text),
        ("ReadOnly:", "readOnly", go_bool)]),
    # upstream dereferences azureDisk's kind, fsType, cachingMode and readOnly: the API server
    # always defaults them (Shared, ext4, ReadWrite, false). Note upstream's space in "Kind: ".
    "azureDisk": ("AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)", [
        ("DiskName:", "diskName", go_text), ("DiskURI:", "diskURI", go_text), ("Kind: ", "kind", go_text),
        ("FSType:", "fsType", go_text), ("CachingMode:", "cachingMode", go_text),
        ("ReadOnly:", "readOnly", go_bool)]),
    "vsphereVolume": ("vSphereVolume (a Persistent Disk resource in vSphere)", [
        ("VolumePath:", "volumePath", go_text), ("FSType:", "fsType", go_text),
        ("StoragePolicyName:", "storagePolicyName", go_text)]),
    "cinder": ("Cinder (a Persistent Disk resource in OpenStack)", [
        ("VolumeID:", "volumeID", go_text), ("FSType:", "fsType", go_text),
        ("ReadOnly:", "readOnly", go_bool), ("SecretRef:", "secretRef", go_reference)]),
    "photonPersistentDisk": ("PhotonPersistentDisk (a Persistent Disk resource in photon platform)", [
        ("PdID:", "pdID", go_text), ("FSType:", "fsType", go_text)]),
    "portworxVolume": ("PortworxVolume (a Portworx Volume resource)", [("VolumeID:", "volumeID", go_text)]),
    "scaleIO": ("ScaleIO (a persistent volume backed by a block device in ScaleIO)", [
        ("Gateway:", "gateway", go_text), ("System:", "system", go_text),
        ("Protection Domain:", "protectionDomain", go_text), ("Storage Pool:", "storagePool", go_text),
        ("Storage Mode:", "storageMode", go_text), ("VolumeName:", "volumeName", go_text),
        ("FSType:", "fsType", go_text), ("ReadOnly:", "readOnly", go_bool)]),
    "cephfs": ("CephFS (a CephFS mount on the host that shares a pod's lifetime)", [
        ("Monitors:", "monitors", go_strings), ("Path:", "path", go_text), ("User:", "user", go_text),
        ("SecretFile:", "secretFile", go_text), ("SecretRef:", "secretRef", go_reference),
        ("ReadOnly:", "readOnly", go_bool)]),
    "storageos": ("StorageOS (a StorageOS Persistent Disk resource)", [
        ("VolumeName:", "volumeName", go_text), ("VolumeNamespace:", "volumeNamespace", go_text),
        ("FSType:", "fsType", go_text), ("ReadOnly:", "readOnly", go_bool)]),
    "azureFile": ("AzureFile (an Azure File Service mount on the host and bind mount to the pod)", [
        ("SecretName:", "secretName", go_text), ("ShareName:", "shareName", go_text),
        ("ReadOnly:", "readOnly", go_bool)]),
    "flexVolume": ("FlexVolume (a generic volume resource that is provisioned/attached using an exec based "
                   "plugin)", [
        ("Driver:", "driver", go_text), ("FSType:", "fsType", go_text),
        ("SecretRef:", "secretRef", go_reference), ("ReadOnly:", "readOnly", go_bool),
        ("Options:", "options", go_string_map)]),
    "flocker": ("Flocker (a Flocker volume mounted by the Flocker agent)", [
        ("DatasetName:", "datasetName", go_text), ("DatasetUUID:", "datasetUUID", go_text)]),
    "image": ("Image (a container image or OCI artifact)", [
        ("Reference:", "reference", go_text), ("PullPolicy:", "pullPolicy", go_text)]),
}


def print_fields(source: dict, w: Any, type_text: str, rows: list[Row]) -> None:
    """The one ``w.Write(LEVEL_2, "Type:\\t...\\n    Label:\\t%v\\n"...)`` most printers make."""
    w.write(2, f"Type:\t{type_text}\n" + "".join(f"    {label}\t{show(source.get(key))}\n"
                                                 for label, key, show in rows))


# --- the sources that need code of their own -------------------------------------------------------

def print_host_path_volume_source(host_path: dict, w: Any) -> None:
    """printHostPathVolumeSource: ``<none>`` only when ``type`` is unset; the API server defaults it
    to ``""``, so a real pod shows an empty ``HostPathType:``."""
    kind = host_path.get("type")
    print_fields({**host_path, "type": "<none>" if kind is None else kind}, w,
                 "HostPath (bare host directory volume)",
                 [("Path:", "path", go_text), ("HostPathType:", "type", go_text)])


def print_empty_dir_volume_source(empty_dir: dict, w: Any) -> None:
    """printEmptyDirVolumeSource: the size limit as a canonical quantity, ``<unset>`` unless above 0."""
    limit = empty_dir.get("sizeLimit")
    try:
        quantity = parse_quantity(limit) if limit is not None else None
    except ValueError:
        quantity = None
    size = str(quantity) if quantity is not None and quantity.amount > 0 else "<unset>"
    print_fields({**empty_dir, "sizeLimit": size}, w,
                 "EmptyDir (a temporary directory that shares a pod's lifetime)",
                 [("Medium:", "medium", go_text), ("SizeLimit:", "sizeLimit", go_text)])


def print_secret_volume_source(secret: dict, w: Any) -> None:
    """printSecretVolumeSource."""
    print_fields(secret, w, "Secret (a volume populated by a Secret)",
                 [("SecretName:", "secretName", go_text), ("Optional:", "optional", go_bool)])


def print_config_map_volume_source(config_map: dict, w: Any) -> None:
    """printConfigMapVolumeSource."""
    print_fields(config_map, w, "ConfigMap (a volume populated by a ConfigMap)",
                 [("Name:", "name", go_text), ("Optional:", "optional", go_bool)])


def print_iscsi_volume_source(iscsi: dict, w: Any) -> None:
    """printISCSIVolumeSource (upstream's ``ISCSIInterface`` label has no colon)."""
    initiator = iscsi.get("initiatorName")
    print_fields({**iscsi, "initiatorName": "<none>" if initiator is None else initiator}, w,
                 "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then "
                 "exposed to the pod)",
                 [("TargetPortal:", "targetPortal", go_text), ("IQN:", "iqn", go_text),
                  ("Lun:", "lun", go_int),
                  ("ISCSIInterface", "iscsiInterface", go_text), ("FSType:", "fsType", go_text),
                  ("ReadOnly:", "readOnly", go_bool), ("Portals:", "portals", go_strings),
                  ("DiscoveryCHAPAuth:", "chapAuthDiscovery", go_bool),
                  ("SessionCHAPAuth:", "chapAuthSession", go_bool), ("SecretRef:", "secretRef", go_reference),
                  ("InitiatorName:", "initiatorName", go_text)])


def print_fc_volume_source(fc: dict, w: Any) -> None:
    """printFCVolumeSource: the WWNs joined by ``, ``; ``<none>`` for an unset LUN."""
    lun = fc.get("lun")
    print_fields({**fc, "targetWWNs": ", ".join(fc.get("targetWWNs") or []),
                  "lun": "<none>" if lun is None else lun}, w, "FC (a Fibre Channel disk)",
                 [("TargetWWNs:", "targetWWNs", go_text), ("LUN:", "lun", go_text),
                  ("FSType:", "fsType", go_text), ("ReadOnly:", "readOnly", go_bool)])


def print_csi_volume_source(csi: dict, w: Any) -> None:
    """printCSIVolumeSource, then its volume attributes (printCSIPersistentVolumeAttributesMultiline)."""
    print_fields(csi, w, "CSI (a Container Storage Interface (CSI) volume source)",
                 [("Driver:", "driver", go_text), ("FSType:", "fsType", go_text),
                  ("ReadOnly:", "readOnly", go_bool)])
    print_csi_volume_attributes(w, "VolumeAttributes", csi.get("volumeAttributes"))


def print_csi_volume_attributes(w: Any, title: str, attributes: dict | None) -> None:
    """printCSIPersistentVolumeAttributesMultilineIndent: ``key=value`` lines sorted by key, each
    written at level 2 (so the first stands four spaces into its column), cut at 140 characters."""
    w.write(2, f"{title}:\t")
    if not attributes:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(attributes)):
        if i:
            w.write(2, "")
            w.write(2, "\t")
        line = f"{key}={attributes[key]}"
        w.write(2, (line[:MAX_ANNOTATION_LEN] + "...\n") if len(line) > MAX_ANNOTATION_LEN else line + "\n")


def print_projected_volume_source(projected: dict, w: Any, name: str) -> None:
    """printProjectedVolumeSource (kubectl 1.32): per source, a Secret's or ConfigMap's name and its
    ``optional`` pointer, ``DownwardAPI: true``, or the token's lifetime; other sources print nothing."""
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
    for i, source in enumerate(projected.get("sources") or []):
        if source.get("secret") is not None:
            optional = go_pointer(source["secret"].get("optional"), f"{name}/{i}")
            w.write(2, f"SecretName:\t{go_text(source['secret'].get('name'))}\n"
                       f"    SecretOptionalName:\t{optional}\n")
        elif source.get("downwardAPI") is not None:
            w.write(2, "DownwardAPI:\ttrue\n")
        elif source.get("configMap") is not None:
            optional = go_pointer(source["configMap"].get("optional"), f"{name}/{i}")
            w.write(2, f"ConfigMapName:\t{go_text(source['configMap'].get('name'))}\n"
                       f"    ConfigMapOptional:\t{optional}\n")
        elif source.get("serviceAccountToken") is not None:
            seconds = go_int(source["serviceAccountToken"].get("expirationSeconds"))
            w.write(2, f"TokenExpirationSeconds:\t{seconds}\n")


def print_downward_api_volume_source(downward: dict, w: Any) -> None:
    """printDownwardAPIVolumeSource: ``fieldPath -> path`` and ``resource -> path`` items."""
    w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
    for item in downward.get("items") or []:
        path = go_text(item.get("path"))
        if item.get("fieldRef") is not None:
            w.write(3, f"{go_text(item['fieldRef'].get('fieldPath'))} -> {path}\n")
        if item.get("resourceFieldRef") is not None:
            w.write(3, f"{go_text(item['resourceFieldRef'].get('resource'))} -> {path}\n")


def print_ephemeral_volume_source(ephemeral: dict, w: Any) -> None:
    """printEphemeralVolumeSource: the claim template, printed as a claim two levels in."""
    w.write(2, "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted "
               "with the pod)\n")
    template = ephemeral.get("volumeClaimTemplate")
    if template is not None:
        print_persistent_volume_claim(NestedPrefixWriter(w, 2), template)


def print_persistent_volume_claim(w: Any, pvc: dict, full_status: str | None = None) -> None:
    """printPersistentVolumeClaim. ``full_status``, the ``Status:`` of a whole claim (isFullPVC: its
    name, namespace, status and finalizers are printed too); None for a claim template, which has
    no status, so its Capacity is empty (``0`` once a volume is named) and its Access Modes too."""
    from k8slearn.kubectl.describe import print_annotations_multiline, print_labels_multiline

    meta, spec, status = pvc.get("metadata") or {}, pvc.get("spec") or {}, pvc.get("status") or {}
    full = full_status is not None
    if full:
        w.write(0, f"Name:\t{meta.get('name', '')}\n")
        w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"StorageClass:\t{persistent_volume_claim_class(pvc)}\n")
    if full:
        w.write(0, f"Status:\t{full_status}\n")
    w.write(0, f"Volume:\t{go_text(spec.get('volumeName'))}\n")
    print_labels_multiline(w, "Labels", meta.get("labels"))
    print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    if full:
        w.write(0, f"Finalizers:\t{go_strings(meta.get('finalizers'))}\n")
    bound = bool(spec.get("volumeName"))
    w.write(0, f"Capacity:\t{((status.get('capacity') or {}).get('storage') or '0') if bound else ''}\n")
    w.write(0, f"Access Modes:\t{access_modes_as_string(status.get('accessModes')) if bound else ''}\n")
    if spec.get("volumeMode") is not None:
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    source = spec.get("dataSource")
    if source is not None:
        w.write(0, "DataSource:\n")
        if source.get("apiGroup") is not None:
            w.write(1, f"APIGroup:\t{source['apiGroup']}\n")
        w.write(1, f"Kind:\t{go_text(source.get('kind'))}\n")
        w.write(1, f"Name:\t{go_text(source.get('name'))}\n")


# --- describeVolumes ----------------------------------------------------------------------------

VOLUME_PRINTERS: dict[str, Callable[[dict, Any], None]] = {
    "secret": print_secret_volume_source, "configMap": print_config_map_volume_source,
    "iscsi": print_iscsi_volume_source, "ephemeral": print_ephemeral_volume_source,
    "downwardAPI": print_downward_api_volume_source, "fc": print_fc_volume_source,
    "csi": print_csi_volume_source, "hostPath": print_host_path_volume_source,
    "emptyDir": print_empty_dir_volume_source,
}

# describeVolumes' switch, in its order: the first source a volume sets is the one printed.
VOLUME_SOURCES = [
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "configMap",
    "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "ephemeral", "rbd", "quobyte", "downwardAPI",
    "azureDisk", "vsphereVolume", "cinder", "photonPersistentDisk", "portworxVolume", "scaleIO", "cephfs",
    "storageos", "fc", "azureFile", "flexVolume", "flocker", "projected", "csi", "image",
]


def describe_volumes(volumes: list | None, w: Any, space: str = "") -> None:
    """describeVolumes: ``Volumes:`` then each volume's name and source (``<unknown>`` for a source
    kubectl does not know). In a pod template (``space`` set) names stand one space further in."""
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for volume in volumes:
        name = go_text(volume.get("name"))
        w.write(1, f"{' ' if space else ''}{name}:\n")
        kind = next((k for k in VOLUME_SOURCES if volume.get(k) is not None), None)
        if kind is None:
            w.write(1, "<unknown>\n")
        elif kind == "projected":  # the only printer that needs the name (for its pointers)
            print_projected_volume_source(volume[kind], w, name)
        elif kind in FIELD_PRINTERS:
            print_fields(volume[kind], w, *FIELD_PRINTERS[kind])
        else:
            VOLUME_PRINTERS[kind](volume[kind], w)
