"""StorageClass helpers every component reads the same way: which class a claim or volume names,
which class is the cluster's default, and how access modes are abbreviated.

>>> claim = {"metadata": {"name": "data"}, "spec": {"storageClassName": "my-storage-class"}}
>>> persistent_volume_claim_class(claim), claim_has_class(claim)
('my-storage-class', True)
>>> claim_has_class({"metadata": {}, "spec": {}}), claim_has_class({"metadata": {}, "spec": {"storageClassName": ""}})
(False, True)
>>> access_modes_as_string(["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"])
'RWO,RWX'

Upstream: pkg/apis/core/helper/helpers.go (GetAccessModesAsString, GetPersistentVolumeClass,
GetPersistentVolumeClaimClass, PersistentVolumeClaimHasClass), pkg/apis/storage/util/helpers.go
(IsDefaultAnnotation), pkg/volume/util/storageclass.go (GetDefaultClass)
"""

from __future__ import annotations

BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
IS_DEFAULT_STORAGE_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class"
ACCESS_MODE_SHORT = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"}


def _annotations(obj: dict) -> dict:
    return (obj.get("metadata") or {}).get("annotations") or {}


def access_modes_as_string(modes: list[str] | None) -> str:
    """GetAccessModesAsString: ``RWO,ROX,RWX,RWOP``, in that order, each once."""
    return ",".join(short for mode, short in ACCESS_MODE_SHORT.items() if mode in (modes or []))


def persistent_volume_class(volume: dict) -> str:
    """GetPersistentVolumeClass: the beta annotation, else ``spec.storageClassName``, else ""."""
    annotations = _annotations(volume)
    if BETA_STORAGE_CLASS_ANNOTATION in annotations:
        return annotations[BETA_STORAGE_CLASS_ANNOTATION]
    return (volume.get("spec") or {}).get("storageClassName") or ""


persistent_volume_claim_class = persistent_volume_class  # GetPersistentVolumeClaimClass: the same rule


def claim_has_class(claim: dict) -> bool:
    """PersistentVolumeClaimHasClass: the beta annotation, or a ``storageClassName`` (even "")."""
    return (BETA_STORAGE_CLASS_ANNOTATION in _annotations(claim)
            or (claim.get("spec") or {}).get("storageClassName") is not None)


def is_default_annotation(storage_class: dict) -> bool:
    """IsDefaultAnnotation: the (beta) is-default-class annotation says ``true``."""
    annotations = _annotations(storage_class)
    return "true" in (annotations.get(IS_DEFAULT_STORAGE_CLASS_ANNOTATION),
                      annotations.get(BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION))


def get_default_class(storage_classes: list[dict]) -> dict | None:
    """GetDefaultClass: of the classes marked default, the newest (then the first by name); None if none."""
    defaults = sorted((sc for sc in storage_classes if is_default_annotation(sc)),
                      key=lambda sc: sc["metadata"].get("name", ""))
    defaults.sort(key=lambda sc: sc["metadata"].get("creationTimestamp", ""), reverse=True)
    return defaults[0] if defaults else None
