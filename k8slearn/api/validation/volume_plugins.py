"""Validation of the volume sources that name outside storage: in-tree network and cloud disks
(iscsi, glusterfs, rbd, cephfs, fc, azureFile, ...), flexVolume and inline CSI volumes.

The simulation's kubelet mounts none of them, but the API server still checks each one's own
fields, so a manifest that a real cluster refuses is refused here too, with the same words:

>>> for e in validate_plugin_source("iscsi", {"targetPortal": "10.0.0.1:3260", "lun": 300}, Path("iscsi")):
...     print(e.error())
iscsi.iqn: Required value
iscsi.lun: Invalid value: 300: must be between 0 and 255, inclusive

Each function checks what upstream's function of the same name checks, at the same paths (the
odd ones too: ``iscsi.initiatorname``, and ``csi.name`` for a bad node-publish secret name).

Upstream: pkg/apis/core/validation/validation.go (validateGCEPersistentDiskVolumeSource,
validateAWSElasticBlockStoreVolumeSource, validateISCSIVolumeSource, validateGlusterfsVolumeSource,
validateFlockerVolumeSource, validateRBDVolumeSource, validateCinderVolumeSource,
validateCephFSVolumeSource, validateQuobyteVolumeSource, validateFCVolumeSource,
validateFlexVolumeSource, validateAzureFile, validateVsphereVolumeSource,
validatePhotonPersistentDiskVolumeSource, validatePortworxVolumeSource, validateAzureDisk,
validateStorageOSVolumeSource, validateScaleIOVolumeSource, ValidateCSIDriverName,
validateCSIVolumeSource)
"""

from __future__ import annotations

import re
from typing import Any, Callable

from k8slearn.api import field
from k8slearn.api.field import FieldError, Path
from k8slearn.api.names import (
    inclusive_range_error,
    is_dns1123_label,
    is_dns1123_subdomain,
    name_is_dns_subdomain,
)
from k8slearn.api.validation.common import as_dict, as_list

PD_PARTITION_ERROR = inclusive_range_error(1, 255)
# Go's regexps: the iqn one is not anchored at its start (MatchString finds it anywhere).
ISCSI_INITIATOR_IQN = re.compile(r"iqn\.[0-9]{4}-[0-9]{2}\.([A-Za-z0-9.-]+)(:[^,;*&$|\t\n\f\r ]+)$")
ISCSI_INITIATOR_EUI = re.compile(r"^eui.[A-Za-z0-9]{16}$")
ISCSI_INITIATOR_NAA = re.compile(r"^naa.[A-Za-z0-9]{32}$")
AZURE_CACHING_MODES = ["None", "ReadOnly", "ReadWrite"]
AZURE_DISK_KINDS = ["Dedicated", "Managed", "Shared"]
AZURE_MANAGED_URI = "/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"
AZURE_BLOB_URI = "https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"
QUOBYTE_REGISTRY = "must be a host:port pair or multiple pairs separated by commas"


def _required(source: dict, path: Path, *keys: str) -> list[FieldError]:
    """``field.Required`` for each of ``keys`` that is empty (Go's ``len(x) == 0``)."""
    return [field.required(path.child(k)) for k in keys if not source.get(k)]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _partition(source: dict, path: Path) -> list[FieldError]:
    partition = _int(source.get("partition")) or 0
    if not 0 <= partition <= 255:
        return [field.invalid(path.child("partition"), partition, PD_PARTITION_ERROR)]
    return []


def _secret_ref_name(source: dict, path: Path) -> list[FieldError]:
    """An optional ``secretRef`` must name its Secret."""
    if source.get("secretRef") is not None and not as_dict(source["secretRef"]).get("name"):
        return [field.required(path.child("secretRef", "name"))]
    return []


def validate_gce_persistent_disk(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "pdName") + _partition(source, path)


def validate_aws_elastic_block_store(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "volumeID") + _partition(source, path)


def _iscsi_name(name: str, path: Path) -> list[FieldError]:
    """An iqn, eui or naa name in its format (the ``iqn`` field and ``initiatorName`` alike)."""
    if not name.startswith(("iqn", "eui", "naa")):
        return [field.invalid(path, name, "must be valid format starting with iqn, eui, or naa")]
    pattern = {"iqn": ISCSI_INITIATOR_IQN, "eui": ISCSI_INITIATOR_EUI, "naa": ISCSI_INITIATOR_NAA}[name[:3]]
    return [] if pattern.search(name) else [field.invalid(path, name, "must be valid format")]


def validate_iscsi(source: dict, path: Path) -> list[FieldError]:
    errs = _required(source, path, "targetPortal")
    iqn = str(source.get("iqn") or "")
    errs += [field.required(path.child("iqn"))] if not iqn else _iscsi_name(iqn, path.child("iqn"))
    lun = _int(source.get("lun")) or 0
    if not 0 <= lun <= 255:
        errs.append(field.invalid(path.child("lun"), lun, inclusive_range_error(0, 255)))
    if (source.get("chapAuthDiscovery") or source.get("chapAuthSession")) and source.get("secretRef") is None:
        errs.append(field.required(path.child("secretRef")))
    if source.get("initiatorName") is not None:
        errs += _iscsi_name(str(source["initiatorName"]), path.child("initiatorname"))
    return errs


def validate_glusterfs(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "endpoints", "path")


def validate_flocker(source: dict, path: Path) -> list[FieldError]:
    name, uuid = str(source.get("datasetName") or ""), source.get("datasetUUID")
    errs = []
    if not name and not uuid:
        errs.append(field.required(path, "one of datasetName and datasetUUID is required"))
    if name and uuid:
        errs.append(field.invalid(path, "resource",
                                  "datasetName and datasetUUID can not be specified simultaneously"))
    if "/" in name:
        errs.append(field.invalid(path.child("datasetName"), name, "must not contain '/'"))
    return errs


def validate_rbd(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "monitors", "image")


def validate_cinder(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "volumeID") + _secret_ref_name(source, path)


def validate_cephfs(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "monitors")


def _split_host_port(pair: str) -> bool:
    """Whether Go's ``net.SplitHostPort`` accepts ``pair`` (a host, or ``[ipv6]``, a colon, a port)."""
    if pair.startswith("["):
        end = pair.find("]")
        return end > 0 and pair[end + 1:end + 2] == ":" and ":" not in pair[end + 2:] and "[" not in pair[1:]
    host, colon, port = pair.rpartition(":")
    return bool(colon) and ":" not in host and not any(c in host + port for c in "[]")


def validate_quobyte(source: dict, path: Path) -> list[FieldError]:
    registry = str(source.get("registry") or "")
    errs = []
    if not registry:
        errs.append(field.required(path.child("registry"), QUOBYTE_REGISTRY))
    elif len(str(source.get("tenant") or "")) >= 65:
        errs.append(field.required(path.child("tenant"),
                                   "must be a UUID and may not exceed a length of 64 characters"))
    else:
        errs += [field.invalid(path.child("registry"), registry, QUOBYTE_REGISTRY)
                 for pair in registry.split(",") if not _split_host_port(pair)]
    return errs + _required(source, path, "volume")


def validate_fc(source: dict, path: Path) -> list[FieldError]:
    wwns, wwids = as_list(source.get("targetWWNs")), as_list(source.get("wwids"))
    errs = []
    if not wwns and not wwids:
        errs.append(field.required(path.child("targetWWNs"),
                                   "must specify either targetWWNs or wwids, but not both"))
    if wwns and wwids:
        errs.append(field.invalid(path.child("targetWWNs"), wwns,
                                  "targetWWNs and wwids can not be specified simultaneously"))
    if wwns:
        lun = _int(source.get("lun"))
        if lun is None:
            errs.append(field.required(path.child("lun"), "lun is required if targetWWNs is specified"))
        elif not 0 <= lun <= 255:
            errs.append(field.invalid(path.child("lun"), lun, inclusive_range_error(0, 255)))
    return errs


def validate_flex_volume(source: dict, path: Path) -> list[FieldError]:
    """The driver, and no option in the kubernetes.io or k8s.io namespaces (options in key order:
    upstream walks a Go map, in no set order)."""
    errs = _required(source, path, "driver")
    for key in sorted(as_dict(source.get("options"))):
        namespace = key.split("/", 1)[0] if "/" in key else key
        normalized = "." + namespace.lower()
        if normalized.endswith((".kubernetes.io", ".k8s.io")):
            errs.append(field.invalid(path.child("options").key(key), key,
                                      "kubernetes.io and k8s.io namespaces are reserved"))
    return errs


def validate_azure_file(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "secretName", "shareName")


def validate_vsphere_volume(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "volumePath")


def validate_photon_persistent_disk(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "pdID")


def validate_portworx_volume(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "volumeID")


def validate_azure_disk(source: dict, path: Path) -> list[FieldError]:
    """The disk's name and URI, a known caching mode and kind, and a URI that fits the kind."""
    errs = _required(source, path, "diskName", "diskURI")
    caching, kind, uri = source.get("cachingMode"), source.get("kind"), str(source.get("diskURI") or "")
    if caching is not None and caching not in AZURE_CACHING_MODES:
        errs.append(field.not_supported(path.child("cachingMode"), caching, AZURE_CACHING_MODES))
    if kind is not None and kind not in AZURE_DISK_KINDS:
        errs.append(field.not_supported(path.child("kind"), kind, AZURE_DISK_KINDS))
    if kind == "Managed" and not uri.startswith("/subscriptions/"):
        errs.append(field.not_supported(path.child("diskURI"), uri, [AZURE_MANAGED_URI]))
    if kind is not None and kind != "Managed" and not uri.startswith("https://"):
        errs.append(field.not_supported(path.child("diskURI"), uri, [AZURE_BLOB_URI]))
    return errs


def _dns1123_label(value: str, path: Path) -> list[FieldError]:
    return [field.invalid(path, value, m) for m in is_dns1123_label(value)]


def validate_storageos(source: dict, path: Path) -> list[FieldError]:
    name, namespace = str(source.get("volumeName") or ""), str(source.get("volumeNamespace") or "")
    if name:
        errs = _dns1123_label(name, path.child("volumeName"))
    else:
        errs = [field.required(path.child("volumeName"))]
    if namespace:
        errs += _dns1123_label(namespace, path.child("volumeNamespace"))
    return errs + _secret_ref_name(source, path)


def validate_scale_io(source: dict, path: Path) -> list[FieldError]:
    return _required(source, path, "gateway", "system", "volumeName")


def validate_csi_driver_name(driver: str, path: Path) -> list[FieldError]:
    """ValidateCSIDriverName: required, at most 63 bytes, and (lower-cased) a DNS subdomain.

    >>> [e.error() for e in validate_csi_driver_name("Hostpath.CSI.k8s.io", Path("csi.driver"))]
    []
    """
    errs = [] if driver else [field.required(path)]
    if len(driver.encode()) > 63:
        errs.append(field.too_long(path, "", 63))
    return errs + [field.invalid(path, driver, m) for m in is_dns1123_subdomain(driver.lower())]


def validate_csi(source: dict, path: Path) -> list[FieldError]:
    """validateCSIVolumeSource: the driver's name, and the node-publish Secret's (reported at
    ``csi.name``, as upstream does)."""
    errs = validate_csi_driver_name(str(source.get("driver") or ""), path.child("driver"))
    if source.get("nodePublishSecretRef") is not None:
        name = str(as_dict(source["nodePublishSecretRef"]).get("name") or "")
        if not name:
            errs.append(field.required(path.child("nodePublishSecretRef", "name")))
        else:
            errs += [field.invalid(path.child("name"), name, m) for m in name_is_dns_subdomain(name)]
    return errs


PLUGIN_VALIDATORS: dict[str, Callable[[dict, Path], list[FieldError]]] = {
    "gcePersistentDisk": validate_gce_persistent_disk,
    "awsElasticBlockStore": validate_aws_elastic_block_store,
    "iscsi": validate_iscsi,
    "glusterfs": validate_glusterfs,
    "flocker": validate_flocker,
    "rbd": validate_rbd,
    "cinder": validate_cinder,
    "cephfs": validate_cephfs,
    "quobyte": validate_quobyte,
    "fc": validate_fc,
    "flexVolume": validate_flex_volume,
    "azureFile": validate_azure_file,
    "vsphereVolume": validate_vsphere_volume,
    "photonPersistentDisk": validate_photon_persistent_disk,
    "portworxVolume": validate_portworx_volume,
    "azureDisk": validate_azure_disk,
    "storageos": validate_storageos,
    "scaleIO": validate_scale_io,
    "csi": validate_csi,
}


def validate_plugin_source(kind: str, source: Any, path: Path) -> list[FieldError]:
    """The checks of one storage plugin's volume source (``path`` is where upstream reports them)."""
    check = PLUGIN_VALIDATORS.get(kind)
    return check(as_dict(source), path) if check else []
