"""The in-tree volume plugins a pod course meets: what ``SetUp`` puts into each kind of volume.

The kubelet's volume manager finds the plugin for each volume of a pod and calls its ``SetUp``,
which fills the volume's directory on the node. Here a volume's directory is a dict from the
path inside the volume to the file's text (or ``DIR``), which the containers that mount it share
(:class:`~k8slearn.kubelet.container_fs.MountedFiles`). :func:`set_up` is that call; it returns
the volume's files and whether the volume is read-only, or raises :class:`MountError` with the
plugin's error text:

- **emptyDir**: an empty directory, made when the pod's volumes are set up and gone with the pod
  (``medium: Memory`` is a tmpfs upstream, the same empty directory here);
- **configMap** / **secret**: the object read through the API server; each key a file (a
  Secret's values base64-decoded), or only the ``items`` (key → path); a missing object fails
  with ``configmap "x" not found`` unless the volume is ``optional``; an item whose key is missing
  fails with ``configmap references non-existent config key: k``;
- **downwardAPI**: the pod's name, namespace, uid, labels and annotations as files, and a
  container's requests or limits (``resourceFieldRef``; an unset limit is the node's allocatable);
- **projected**: configMap, secret and downwardAPI sources in one directory;
- **hostPath**: a directory of the node, shared by every pod on the node that mounts that path
  (a file for ``type: File``, ``FileOrCreate``, ``Socket``, ``CharDevice`` or ``BlockDevice``).

configMap, secret, downwardAPI and projected volumes are written as upstream's AtomicWriter
writes them: the files live in a timestamped directory, ``..data`` points at it, and each
top-level name is a link into ``..data``, so ``ls`` shows the keys and ``ls -a`` the dot entries
(the simulated ``ls`` has no ``-a``; ``cat /etc/config/..data/key`` reads through the link):

>>> sorted(atomic_files({"game.properties": "lives=3\\n"}, "..2026_01_05_09_00_00.42"))  # doctest: +NORMALIZE_WHITESPACE
['..2026_01_05_09_00_00.42', '..2026_01_05_09_00_00.42/game.properties',
 '..data', '..data/game.properties', 'game.properties']
>>> cm = {"metadata": {"name": "game"}, "data": {"a": "1", "b": "2"}}
>>> configmap_payload(cm, [{"key": "b", "path": "conf/b.txt"}], optional=False)
{'conf/b.txt': '2'}
>>> configmap_payload(cm, [{"key": "c", "path": "c"}], optional=False)
Traceback (most recent call last):
...
k8slearn.kubelet.volume_plugins.MountError: configmap references non-existent config key: c

Simplified: no file modes, owners or sizes (``defaultMode``/``mode`` are accepted and not
applied); emptyDir's ``sizeLimit`` is not enforced; the node's own file system is not simulated,
so a hostPath directory starts empty and a hostPath file reads as empty (per node and path), and
the ``type`` checks (``hostPath type check failed``) always pass; a projected
``serviceAccountToken`` source gives a file whose content is not simulated (there is no token
machinery; ``cat`` says so rather than show an invented token), and a ``clusterTrustBundle`` source
fails the mount and says it is not simulated. A claim's volume is its bound PersistentVolume's
source (a ``local`` volume mounts as ``hostPath``). The other kinds (nfs, csi, the cloud
disks, ...) never mount on a simulated node: :mod:`k8slearn.kubelet.unmountable_volumes` says
what a real node prints for each.

Upstream: pkg/volume/emptydir/empty_dir.go, pkg/volume/configmap/configmap.go (MakePayload),
pkg/volume/secret/secret.go (MakePayload), pkg/volume/downwardapi/downwardapi.go (CollectData),
pkg/volume/projected/projected.go (collectData), pkg/volume/hostpath/host_path.go,
pkg/volume/util/atomic_writer.go, pkg/fieldpath/fieldpath.go (FormatMap),
pkg/api/v1/resource/helpers.go (ExtractContainerResourceValue)
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from sys import intern
from typing import Any

from k8slearn.api.fieldpath import extract_field_path_as_string
from k8slearn.api.resource_fields import resource_field_value
from k8slearn.api.validation.env import CONTAINER_RESOURCE_FIELDS
from k8slearn.kubelet.container_fs import DIR, NOT_SIMULATED
from k8slearn.kubelet.unmountable_volumes import set_up_error

# the kinds whose volumes the kubelet always mounts read-only (API data written by AtomicWriter)
API_DATA_KINDS = ("configMap", "secret", "downwardAPI", "projected")
KINDS = ("emptyDir", "hostPath") + API_DATA_KINDS
HOST_PATH_FILE_TYPES = ("File", "FileOrCreate", "Socket", "CharDevice", "BlockDevice")


class MountError(Exception):
    """SetUp failed; ``str()`` is the plugin's error text (the event says ``MountVolume.SetUp
    failed for volume "x" : <text>``)."""


def volume_kind(volume: dict) -> str:
    """The volume's source: ``configMap``, ``emptyDir``, ... (the first known key), or ``""``."""
    return next((kind for kind in KINDS if kind in volume), "")


def set_up(volume: dict, pod: dict, get: Callable[[str, str, str], dict | None], host_paths: dict,
           timestamp_dir: str, allocatable: dict | None = None) -> tuple[dict, bool]:
    """SetUp: (the volume's files, read-only?) for ``volume`` of ``pod``. ``get(resource, name,
    namespace)`` reads an object through the API server (None when it does not exist);
    ``host_paths`` is the node's directories by path; ``timestamp_dir`` names AtomicWriter's
    directory; ``allocatable`` is the node's (for a downwardAPI limit). Raises :class:`MountError`."""
    kind = volume_kind(volume)
    source = volume.get(kind) or {}
    namespace = pod["metadata"].get("namespace", "default")
    if kind == "emptyDir":
        return {}, False
    if kind == "hostPath":
        is_file = source.get("type") in HOST_PATH_FILE_TYPES
        return host_paths.setdefault(source.get("path", ""), {"": True} if is_file else {}), False
    if kind == "configMap":
        payload = configmap_payload(_object(get, "configmaps", source, namespace), source.get("items"),
                                    bool(source.get("optional")))
    elif kind == "secret":
        payload = secret_payload(_object(get, "secrets", source, namespace), source.get("items"),
                                 bool(source.get("optional")))
    elif kind == "downwardAPI":
        payload = downward_api_payload(pod, source.get("items"), allocatable)
    elif kind == "projected":
        payload = projected_payload(pod, source.get("sources"), get, allocatable)
    else:
        raise MountError(set_up_error(pod, volume))
    return atomic_files(payload, timestamp_dir), True


def _object(get: Callable, resource: str, source: dict, namespace: str) -> dict:
    """The ConfigMap or Secret a source names; a missing one is an empty object when the source is
    ``optional``, else the watch-based manager's NotFound (``configmap "x" not found``)."""
    name = source.get("name") if resource == "configmaps" else source.get("secretName", source.get("name"))
    obj = get(resource, name or "", namespace)
    if obj is None:
        if source.get("optional"):
            return {"metadata": {"name": name}}
        raise MountError(f'{resource[:-1]} "{name}" not found')
    return obj


def configmap_payload(cm: dict, items: list | None, optional: bool) -> dict:
    """configmap.MakePayload: every key (``data`` then ``binaryData``), or just the items' keys."""
    data = {**(cm.get("data") or {}), **{k: decode_secret_value(v) for k, v in (cm.get("binaryData") or {}).items()}}
    return _payload(data, items, optional, "configmap references non-existent config key: ")


def secret_payload(secret: dict, items: list | None, optional: bool) -> dict:
    """secret.MakePayload: the Secret's values, base64-decoded, by key or by the items."""
    data = {k: decode_secret_value(v) for k, v in (secret.get("data") or {}).items()}
    # (the API server folds ``stringData`` into data; a Secret from an older store may still have it)
    data.update(secret.get("stringData") or {})
    return _payload(data, items, optional, "references non-existent secret key: ")


def _payload(data: dict, items: list | None, optional: bool, missing: str) -> dict:
    if not items:
        return dict(data)
    payload = {}
    for item in items:
        key = item.get("key", "")
        if key not in data:
            if optional:
                continue
            raise MountError(missing + key)
        payload[item.get("path", key)] = data[key]
    return payload


def decode_secret_value(value: str) -> str:
    """A Secret's ``data`` value as the files and variables the kubelet makes from it hold it."""
    try:
        return base64.b64decode(value, validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return value


def downward_api_payload(pod: dict, items: list | None, allocatable: dict | None = None) -> dict:
    """downwardapi.CollectData: one file per item, its value the pod field or the container
    resource it names."""
    payload = {}
    for item in items or ():
        ref = item.get("resourceFieldRef")
        payload[item.get("path", "")] = resource_value(pod, ref, allocatable or {}) if ref else \
            field_value(pod, (item.get("fieldRef") or {}).get("fieldPath", ""))
    return payload


def resource_value(pod: dict, ref: dict, allocatable: dict) -> str:
    """A downwardAPI file's ``resourceFieldRef``: the named container's request or limit (an unset
    limit is the node's allocatable), as :func:`~k8slearn.api.resource_fields.resource_field_value`.

    >>> p = {"spec": {"containers": [{"name": "app", "resources": {"requests": {"cpu": "250m"}}}]}}
    >>> resource_value(p, {"containerName": "app", "resource": "requests.cpu", "divisor": "1m"}, {})
    '250'
    >>> resource_value(p, {"containerName": "app", "resource": "limits.memory", "divisor": "1Mi"}, {"memory": "2Gi"})
    '2048'
    """
    name = ref.get("containerName", "")
    spec = pod["spec"]
    container = next((c for key in ("containers", "initContainers") for c in spec.get(key) or ()
                      if c.get("name") == name), None)
    if container is None:
        raise MountError(f"container {name} not found")
    if ref.get("resource") not in CONTAINER_RESOURCE_FIELDS:
        raise MountError(f"unsupported container resource : {ref.get('resource')}")
    return resource_field_value(ref, container, allocatable)


def field_value(pod: dict, field_path: str) -> str:
    """A downwardAPI file's ``fieldRef``: fieldpath.ExtractFieldPathAsString of the pod."""
    try:
        return extract_field_path_as_string(pod["metadata"], field_path)
    except ValueError as err:
        raise MountError(str(err)) from None


def projected_payload(pod: dict, sources: list | None, get: Callable, allocatable: dict | None = None) -> dict:
    """projected collectData: each source's files, into one directory; the errors of all the
    sources together (an aggregate: one error as it is, more as ``[a, b]``)."""
    namespace = pod["metadata"].get("namespace", "default")
    payload: dict = {}
    errors: list[str] = []
    for source in sources or ():
        try:
            if "configMap" in source:
                cm = source["configMap"]
                payload.update(configmap_payload(_object(get, "configmaps", cm, namespace), cm.get("items"),
                                                 bool(cm.get("optional"))))
            elif "secret" in source:
                secret = source["secret"]
                payload.update(secret_payload(_object(get, "secrets", secret, namespace), secret.get("items"),
                                              bool(secret.get("optional"))))
            elif "downwardAPI" in source:
                payload.update(downward_api_payload(pod, source["downwardAPI"].get("items"), allocatable))
            elif "serviceAccountToken" in source:
                # The kubelet gets a token for the pod's ServiceAccount (TokenRequest) and writes it
                # at ``path``. There is no token machinery here: the file exists, its content is
                # not simulated (``cat`` says so), so a pod with the usual kube-api-access volume runs.
                payload[source["serviceAccountToken"].get("path") or "token"] = NOT_SIMULATED
            else:
                what = next(iter(source), "this")
                errors.append(f"k8slearn: the projected {what} source is not simulated (the simulated "
                              "cluster has no token or certificate machinery)")
        except MountError as err:
            errors.append(str(err))
    if errors:
        raise MountError(errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]")
    return payload


def atomic_files(payload: dict, timestamp_dir: str) -> dict:
    """AtomicWriter's layout of ``payload`` (path -> text): the files in ``timestamp_dir``,
    ``..data`` linking to it, and a link per top-level name (links read as their targets here).

    The paths under ``..data`` and the top level, and the texts, are the same in many pods (every
    pod's kube-api-access volume holds the cluster's CA certificate): they are interned, one string
    each in the whole simulation (a memory saving; the files read the same)."""
    files: dict[str, Any] = {timestamp_dir: DIR, "..data": DIR}
    stamped = timestamp_dir + "/"
    for path, text in payload.items():
        parts = path.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            files[stamped + parent] = DIR
            for root in ("..data/", ""):
                files[intern(root + parent)] = DIR
        if text.__class__ is str:
            text = intern(text)
        files[stamped + path] = text
        for root in ("..data/", ""):
            files[intern(root + path)] = text
    return files
