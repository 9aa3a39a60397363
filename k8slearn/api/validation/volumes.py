"""Validation of a pod's volume sources: exactly one source per volume, and that source's own checks.

The sources the simulation's kubelet mounts are checked here: emptyDir, hostPath, secret,
configMap, downwardAPI and projected (their items, paths and modes), gitRepo, nfs and
persistentVolumeClaim. The storage plugins' sources are checked in ``volume_plugins``, an
ephemeral volume's claim template in ``persistent_volume_claim``.

>>> errs = validate_volume_source("configMap", {"name": "cfg", "items": [{"key": "k", "path": "../x"}]},
...                               Path("spec.volumes[0].configMap"))
>>> [e.error() for e in errs]
['spec.volumes[0].configMap.items[0].path: Invalid value: "../x": must not contain \\'..\\'']

Errors are reported where upstream reports them, its slips included: a second source named
``downwardAPI`` or ``cephfs`` is refused at ``downwarAPI`` and ``cephFS``, a gcePersistentDisk is
checked at ``persistentDisk``, and a downwardAPI file's errors are given at the volume's path
rather than the item's (``validateDownwardAPIVolumeFile`` is given the volume's path).

Simplifies: an image volume is not checked (its feature gate is off in v1.32: the API server
drops it before validation, see ``apiserver/pod_util``); nor is the name of the claim an
ephemeral volume makes (``<pod>-<volume>``), nor a persistentVolumeClaim volume naming it.

Upstream: pkg/apis/core/validation/validation.go (validateVolumeSource and its branches:
validateSecretVolumeSource, validateConfigMapVolumeSource, validateKeyToPath,
validateDownwardAPIVolumeSource/File, validateProjectedVolumeSource/validateProjectionSources,
validateHostPathVolumeSource, validateHostPathType, validateGitRepoVolumeSource,
validateNFSVolumeSource, validatePersistentClaimVolumeSource, ValidateLocalNonReservedPath,
validateLocalDescendingPath, validatePathNoBacksteps)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.field import FieldError, Path
from k8slearn.api.quantity import parse_quantity
from k8slearn.api.validation.common import as_dict, as_list
from k8slearn.api.validation.env import validate_object_field_selector, validate_resource_field_selector
from k8slearn.api.validation.persistent_volume_claim import validate_ephemeral_volume_source
from k8slearn.api.validation.volume_plugins import PLUGIN_VALIDATORS, validate_plugin_source

FILE_MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive"
VOLUME_DOWNWARD_API_FIELDS = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
                              "metadata.uid"]
HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]
MORE_THAN_ONE = "may not specify more than 1 volume type"
ISCSI_NAME_TOO_LONG = ("Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if "
                       "iscsi.initiatorName is specified.")
# validateVolumeSource's order: the first source set is checked, every later one is refused.
VOLUME_SOURCES = ["emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs",
                  "iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte",
                  "downwardAPI", "fc", "flexVolume", "configMap", "azureFile", "vsphereVolume",
                  "photonPersistentDisk", "portworxVolume", "azureDisk", "storageos", "projected", "scaleIO", "csi",
                  "ephemeral", "image"]
REFUSED_AT = {"downwardAPI": "downwarAPI", "cephfs": "cephFS"}  # (upstream's spellings of those paths)
CHECKED_AT = {"gcePersistentDisk": "persistentDisk"}


def validate_volume_sources(vol: dict, path: Path) -> list[FieldError]:
    """validateVolumeSource: one source (the first, in upstream's order, is checked; any other is
    refused), else ``must specify a volume type``. ``path`` is the volume's (``spec.volumes[0]``)."""
    errs, found = [], False
    for kind in VOLUME_SOURCES:
        if vol.get(kind) is None:
            continue
        if found:
            errs.append(field.forbidden(path.child(REFUSED_AT.get(kind, kind)), MORE_THAN_ONE))
        else:
            found = True
            errs += validate_volume_source(kind, vol[kind], path.child(CHECKED_AT.get(kind, kind)))
        if kind == "iscsi":  # (checked even for a second source, as upstream does)
            errs += _iscsi_volume_name(str(vol.get("name") or ""), as_dict(vol[kind]), path)
    if not found:
        errs.append(field.required(path, "must specify a volume type"))
    return errs


def _iscsi_volume_name(name: str, iscsi: dict, path: Path) -> list[FieldError]:
    """With an initiatorName, ``<volume name>:<targetPortal>`` must fit in 64 characters."""
    if iscsi.get("initiatorName") is not None and len(name + ":" + str(iscsi.get("targetPortal") or "")) > 64:
        return [field.invalid(path.child("name"), name, ISCSI_NAME_TOO_LONG)]
    return []


def validate_volume_source(kind: str, source: Any, path: Path) -> list[FieldError]:
    """The checks of one volume source; ``path`` is where upstream reports them (``spec.volumes[0].nfs``)."""
    source = as_dict(source)
    if kind in PLUGIN_VALIDATORS:
        return validate_plugin_source(kind, source, path)
    if kind == "emptyDir":
        return _empty_dir(source, path)
    if kind == "hostPath":
        return _host_path(source, path)
    if kind == "gitRepo":
        return _git_repo(source, path)
    if kind in ("secret", "configMap"):
        name_key = "secretName" if kind == "secret" else "name"
        errs = [] if source.get(name_key) else [field.required(path.child(name_key))]
        errs += _mode(source.get("defaultMode"), path.child("defaultMode"))
        return errs + _items(source.get("items"), path)
    if kind == "downwardAPI":
        errs = _mode(source.get("defaultMode"), path.child("defaultMode"))
        for item in as_list(source.get("items")):
            errs += _downward_api_file(as_dict(item), path)
        return errs
    if kind == "projected":
        return _mode(source.get("defaultMode"), path.child("defaultMode")) + _projection_sources(source, path)
    if kind == "nfs":
        return _nfs(source, path)
    if kind == "persistentVolumeClaim":
        return [] if source.get("claimName") else [field.required(path.child("claimName"))]
    if kind == "ephemeral":
        return validate_ephemeral_volume_source(source, path)
    return []


def _mode(mode: Any, path: Path) -> list[FieldError]:
    if mode is not None and isinstance(mode, int) and not 0 <= mode <= 0o777:
        return [field.invalid(path, mode, FILE_MODE_ERROR)]
    return []


def local_non_reserved_path(target: str, path: Path) -> list[FieldError]:
    """validateLocalNonReservedPath: relative, no ``..`` element, not starting with ``..``.

    >>> [e.error() for e in local_non_reserved_path("/etc/x", Path("p"))]
    ['p: Invalid value: "/etc/x": must be a relative path']
    >>> [e.error() for e in local_non_reserved_path("..data", Path("p"))]
    ['p: Invalid value: "..data": must not start with \\'..\\'']
    """
    errs = local_descending_path(target, path)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(field.invalid(path, target, "must not start with '..'"))
    return errs


def local_descending_path(target: str, path: Path) -> list[FieldError]:
    """validateLocalDescendingPath: relative, and no ``..`` element.

    >>> for e in local_descending_path("/srv/../x", Path("p")):
    ...     print(e.error())
    p: Invalid value: "/srv/../x": must be a relative path
    p: Invalid value: "/srv/../x": must not contain '..'
    """
    errs = [field.invalid(path, target, "must be a relative path")] if target.startswith("/") else []
    return errs + path_no_backsteps(target, path)


def path_no_backsteps(target: str, path: Path) -> list[FieldError]:
    """validatePathNoBacksteps: no ``..`` element (one error however many)."""
    if ".." in target.split("/"):
        return [field.invalid(path, target, "must not contain '..'")]
    return []


def _key_to_path(item: dict, path: Path) -> list[FieldError]:
    """validateKeyToPath: a key, a path that stays inside the volume, a valid mode."""
    errs = []
    if not item.get("key"):
        errs.append(field.required(path.child("key")))
    if not item.get("path"):
        errs.append(field.required(path.child("path")))
    errs += local_non_reserved_path(str(item.get("path") or ""), path.child("path"))
    return errs + _mode(item.get("mode"), path.child("mode"))


def _items(items: Any, path: Path) -> list[FieldError]:
    errs = []
    for i, item in enumerate(as_list(items)):
        errs += _key_to_path(as_dict(item), path.child("items").index(i))
    return errs


def _downward_api_file(item: dict, path: Path) -> list[FieldError]:
    """validateDownwardAPIVolumeFile (given the volume's path, as upstream calls it)."""
    errs = []
    if not item.get("path"):
        errs.append(field.required(path.child("path")))
    errs += local_non_reserved_path(str(item.get("path") or ""), path.child("path"))
    if item.get("fieldRef") is not None:
        ref = as_dict(item["fieldRef"])
        errs += validate_object_field_selector(ref, VOLUME_DOWNWARD_API_FIELDS, path.child("fieldRef"))
        if item.get("resourceFieldRef") is not None:
            errs.append(field.invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified "
                                                        "simultaneously"))
    elif item.get("resourceFieldRef") is not None:
        errs += validate_resource_field_selector(as_dict(item["resourceFieldRef"]), path.child("resourceFieldRef"),
                                                 volume=True)
    else:
        errs.append(field.required(path, "one of fieldRef and resourceFieldRef is required"))
    return errs + _mode(item.get("mode"), path.child("mode"))


def _projection_sources(projected: dict, path: Path) -> list[FieldError]:
    """validateProjectionSources: one kind per source, and no path written twice."""
    errs, seen = [], set()

    def claim(target: str, value: Any) -> None:
        if target in seen:
            errs.append(field.invalid(path, value, "conflicting duplicate paths"))
        seen.add(target)

    for i, source in enumerate(as_list(projected.get("sources"))):
        source, sp = as_dict(source), path.child("sources").index(i)
        kinds = 0
        for kind in ("secret", "configMap"):
            if source.get(kind) is None:
                continue
            kinds += 1
            ref, kp = as_dict(source[kind]), sp.child(kind)
            if not ref.get("name"):
                errs.append(field.required(kp.child("name")))
            for j, item in enumerate(as_list(ref.get("items"))):
                item = as_dict(item)
                errs += _key_to_path(item, kp.child("items").index(j))
                if item.get("path"):
                    claim(item["path"], ref.get("name", ""))
        if source.get("downwardAPI") is not None:
            kinds += 1
            for item in as_list(as_dict(source["downwardAPI"]).get("items")):
                item = as_dict(item)
                errs += _downward_api_file(item, sp.child("downwardAPI"))
                if item.get("path"):
                    claim(item["path"], item["path"])
        if source.get("serviceAccountToken") is not None:
            kinds += 1
            token, tp = as_dict(source["serviceAccountToken"]), sp.child("serviceAccountToken")
            seconds = token.get("expirationSeconds", 3600)
            if isinstance(seconds, int) and seconds < 600:
                errs.append(field.invalid(tp.child("expirationSeconds"), seconds,
                                          "may not specify a duration less than 10 minutes"))
            if isinstance(seconds, int) and seconds > 1 << 32:
                errs.append(field.invalid(tp.child("expirationSeconds"), seconds,
                                          "may not specify a duration larger than 2^32 seconds"))
            if not token.get("path"):
                errs.append(field.required(path.child("path")))
            else:  # (at the projected volume's path, as upstream reports it)
                errs += local_non_reserved_path(str(token["path"]), path.child("path"))
        if kinds > 1:
            errs.append(field.forbidden(sp, MORE_THAN_ONE))
    return errs


def _host_path(source: dict, path: Path) -> list[FieldError]:
    """validateHostPathVolumeSource: a path without ``..``, a known type."""
    target = source.get("path") or ""
    if not target:
        return [field.required(path.child("path"))]
    errs = path_no_backsteps(str(target), path.child("path"))
    kind = source.get("type")
    if kind is not None and kind not in HOST_PATH_TYPES:
        errs.append(field.not_supported(path.child("type"), kind, HOST_PATH_TYPES))
    return errs


def _git_repo(source: dict, path: Path) -> list[FieldError]:
    """validateGitRepoVolumeSource: a repository, and a directory inside the volume."""
    errs = [] if source.get("repository") else [field.required(path.child("repository"))]
    return errs + local_descending_path(str(source.get("directory") or ""), path.child("directory"))


def _nfs(source: dict, path: Path) -> list[FieldError]:
    """validateNFSVolumeSource: a server, and a path that is absolute (an empty path fails both)."""
    target = str(source.get("path") or "")
    errs = [] if source.get("server") else [field.required(path.child("server"))]
    if not target:
        errs.append(field.required(path.child("path")))
    if not target.startswith("/"):
        errs.append(field.invalid(path.child("path"), target, "must be an absolute path"))
    return errs


def _empty_dir(source: dict, path: Path) -> list[FieldError]:
    limit = source.get("sizeLimit")
    if limit is None:
        return []
    try:
        negative = parse_quantity(limit).amount < 0
    except ValueError:
        return []  # (decoding refuses it first)
    return [field.forbidden(path.child("sizeLimit"), "SizeLimit field must be a valid resource quantity")] if negative else []
