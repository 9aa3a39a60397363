"""Which PersistentVolume a claim may bind to: the matching both the PV controller and the
scheduler's VolumeBinding plugin use.

A claim asks for a size, access modes, a volume mode, a storage class and maybe a label
selector; a volume matches if it offers at least that. Of the Available volumes that match, the
*smallest* wins (so a 1Gi claim leaves the 10Gi volume for a bigger claim). A volume pre-bound
to the claim (``spec.claimRef`` naming it) wins whatever its size:

>>> def pv(name, size, cls="", modes=("ReadWriteOnce",), phase="Available"):
...     return {"metadata": {"name": name}, "spec": {"capacity": {"storage": size},
...             "accessModes": list(modes), "storageClassName": cls}, "status": {"phase": phase}}
>>> claim = {"metadata": {"name": "www-web-0", "namespace": "default", "uid": "u1"},
...          "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "my-storage-class",
...                   "resources": {"requests": {"storage": "1Gi"}}}}
>>> volumes = [pv("big", "10Gi", "my-storage-class"), pv("small", "1Gi", "my-storage-class"),
...            pv("tiny", "500Mi", "my-storage-class"), pv("other", "1Gi", "fast")]
>>> find_best_match_for_claim(claim, volumes)["metadata"]["name"]
'small'
>>> find_best_match_for_claim(claim, volumes[:1] + volumes[2:])["metadata"]["name"]
'big'
>>> find_best_match_for_claim(claim, [pv("rwx", "1Gi", "my-storage-class", ("ReadWriteMany",))]) is None
True

Simplified: volumes of equal size (and access-mode sets of equal length) are taken in name order,
where upstream takes them in its informer cache's order.

Upstream: pkg/controller/volume/persistentvolume/util/util.go (FindMatchingVolume,
CheckVolumeModeMismatches, CheckAccessModes, GetBindVolumeToClaim, IsVolumeBoundToClaim),
pkg/controller/volume/persistentvolume/index.go (findByClaim, allPossibleMatchingAccessModes),
staging/src/k8s.io/component-helpers/storage/volume/helpers.go (CheckNodeAffinity, matching with
:mod:`k8slearn.api.node_affinity`); the class and access-mode helpers it uses are
:mod:`k8slearn.api.storage_class`'s
"""

from __future__ import annotations

from collections.abc import Callable

from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.node_affinity import match_node_selector_terms
from k8slearn.api.quantity import parse_quantity
from k8slearn.api.storage_class import (ACCESS_MODE_SHORT, access_modes_as_string, persistent_volume_claim_class,
                                        persistent_volume_class)

ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node"
ANN_DYNAMICALLY_PROVISIONED = "pv.kubernetes.io/provisioned-by"

# ---- modes (classes: k8slearn.api.storage_class) ----------------------------------------------

def is_delay_binding_mode(claim: dict, get_class: Callable[[str], dict | None]) -> bool:
    """IsDelayBindingMode: does the claim's class say WaitForFirstConsumer? No class, or a class
    that does not exist, means Immediate (``get_class``: a class by name, or None).
    A class with no binding mode raises ValueError."""
    class_name = persistent_volume_claim_class(claim)
    if not class_name:
        return False
    storage_class = get_class(class_name)
    if storage_class is None:
        return False
    mode = storage_class.get("volumeBindingMode")
    if mode is None:
        raise ValueError(f'VolumeBindingMode not set for StorageClass "{class_name}"')
    return mode == "WaitForFirstConsumer"


def check_volume_mode_mismatches(claim_spec: dict, volume_spec: dict) -> bool:
    """CheckVolumeModeMismatches: True if the claim and the volume differ (unset = Filesystem)."""
    return (claim_spec.get("volumeMode") or "Filesystem") != (volume_spec.get("volumeMode") or "Filesystem")


def check_access_modes(claim: dict, volume: dict) -> bool:
    """CheckAccessModes: the volume offers every access mode the claim asks for."""
    offered = set((volume.get("spec") or {}).get("accessModes") or ())
    return all(mode in offered for mode in (claim.get("spec") or {}).get("accessModes") or ())


def _storage(obj_spec: dict, *path: str):
    value = obj_spec
    for key in path:
        value = (value or {}).get(key)
    return parse_quantity(value if value is not None else "0")


# ---- binding -----------------------------------------------------------------------------------

def is_volume_bound_to_claim(volume: dict, claim: dict) -> bool:
    """IsVolumeBoundToClaim: the volume's claimRef names the claim (and its uid, if it has one)."""
    ref = (volume.get("spec") or {}).get("claimRef")
    if not ref:
        return False
    meta = claim["metadata"]
    if ref.get("name") != meta.get("name") or ref.get("namespace") != meta.get("namespace"):
        return False
    return not ref.get("uid") or ref.get("uid") == meta.get("uid")


def claim_reference(claim: dict) -> dict:
    """reference.GetReference(claim): the ObjectReference a bound volume keeps in ``claimRef``."""
    meta = claim["metadata"]
    return {"kind": "PersistentVolumeClaim", "namespace": meta.get("namespace"), "name": meta["name"],
            "uid": meta.get("uid"), "apiVersion": "v1", "resourceVersion": meta.get("resourceVersion")}


def get_bind_volume_to_claim(volume: dict, claim: dict) -> tuple[dict, bool]:
    """GetBindVolumeToClaim: (a copy of the volume bound to the claim, whether it changed).
    ``claimRef`` is set to the claim; ``pv.kubernetes.io/bound-by-controller: "yes"`` is added
    unless the volume was pre-bound to the claim by its author."""
    should_set_bound_by_controller = not is_volume_bound_to_claim(volume, claim)
    clone = {**volume, "metadata": {**volume["metadata"]}, "spec": {**(volume.get("spec") or {})}}
    dirty = False
    ref = clone["spec"].get("claimRef") or {}
    meta = claim["metadata"]
    if (ref.get("name"), ref.get("namespace"), ref.get("uid")) != (meta["name"], meta.get("namespace"),
                                                                  meta.get("uid")):
        clone["spec"]["claimRef"] = claim_reference(claim)
        dirty = True
    annotations = dict(clone["metadata"].get("annotations") or {})
    if should_set_bound_by_controller and ANN_BOUND_BY_CONTROLLER not in annotations:
        annotations[ANN_BOUND_BY_CONTROLLER] = "yes"
        clone["metadata"]["annotations"] = annotations
        dirty = True
    return clone, dirty


# ---- node affinity -----------------------------------------------------------------------------

def check_node_affinity(volume: dict, node_labels: dict | None) -> str | None:
    """CheckNodeAffinity: None if a node with these labels may use the volume, else the error
    text: the terms' parse errors if no term matched and some did not parse, otherwise
    ``no matching NodeSelectorTerms``. The node has labels only and no name (as upstream builds
    it), so ``matchFields`` requirements are skipped."""
    required = ((volume.get("spec") or {}).get("nodeAffinity") or {}).get("required")
    if required is None:
        return None
    matched, err = match_node_selector_terms({"metadata": {"labels": node_labels or {}}}, required)
    if err:
        return err
    return None if matched else "no matching NodeSelectorTerms"


# ---- matching ----------------------------------------------------------------------------------

def _label_selector_matches(selector: dict | None, labels: dict) -> bool:
    if selector is None:
        return True
    return selector_from_label_selector(selector).matches(labels)


def find_matching_volume(claim: dict, volumes: list[dict], node: dict | None = None,
                         excluded_volumes: dict | set | None = None,
                         delay_binding: bool = False) -> dict | None:
    """FindMatchingVolume: the volume pre-bound to the claim, else the smallest Available one of
    the claim's class, volume mode and selector that holds the requested storage.

    ``node`` is given only by the scheduler: then the volume's node affinity must allow the node
    and the access modes are checked here. ``delay_binding`` is True only for the PV controller
    and a WaitForFirstConsumer claim: it returns only a pre-bound volume (the scheduler binds the
    others). ``excluded_volumes``: names already chosen for another claim of the same pod."""
    spec = claim.get("spec") or {}
    requested = _storage(spec, "resources", "requests", "storage")
    requested_class = persistent_volume_claim_class(claim)
    selector = spec.get("selector")
    excluded = excluded_volumes or ()
    smallest, smallest_qty = None, None
    for volume in volumes:
        vspec, vmeta = volume.get("spec") or {}, volume["metadata"]
        if vmeta["name"] in excluded:
            continue
        if vspec.get("claimRef") and not is_volume_bound_to_claim(volume, claim):
            continue
        volume_qty = _storage(vspec, "capacity", "storage")
        if volume_qty < requested or check_volume_mode_mismatches(spec, vspec):
            continue
        if vmeta.get("deletionTimestamp"):
            continue
        node_affinity_valid = node is None or check_node_affinity(
            volume, node.get("metadata", {}).get("labels")) is None
        if is_volume_bound_to_claim(volume, claim):
            return volume if node_affinity_valid else None
        if node is None and delay_binding:
            continue  # the scheduler binds this claim
        if ((volume.get("status") or {}).get("phase") != "Available"
                or not _label_selector_matches(selector, vmeta.get("labels") or {})
                or persistent_volume_class(volume) != requested_class or not node_affinity_valid):
            continue
        if node is not None and not check_access_modes(claim, volume):
            continue
        if smallest is None or volume_qty < smallest_qty:
            smallest, smallest_qty = volume, volume_qty
    return smallest


def all_possible_matching_access_modes(claim_modes: list[str] | None, volumes: list[dict]) -> list[str]:
    """allPossibleMatchingAccessModes: the access-mode sets of the volumes (as index keys such as
    ``RWO,ROX``) that contain every mode the claim asks for, fewest modes first."""
    requested = set(claim_modes or ())
    keys = {access_modes_as_string((v.get("spec") or {}).get("accessModes")) for v in volumes}
    matched = [k for k in keys if requested <= {m for m, s in ACCESS_MODE_SHORT.items() if s in k.split(",")}]
    return sorted(matched, key=lambda k: (len(k.split(",")) if k else 0, k))


def find_best_match_for_claim(claim: dict, volumes: list[dict], delay_binding: bool = False) -> dict | None:
    """findByClaim (the PV controller's index): try the volumes whose access modes are exactly
    each matching set in turn, fewest modes first; the first set with a match gives the answer."""
    ordered = sorted(volumes, key=lambda v: v["metadata"]["name"])
    for modes in all_possible_matching_access_modes((claim.get("spec") or {}).get("accessModes"), ordered):
        candidates = [v for v in ordered
                      if access_modes_as_string((v.get("spec") or {}).get("accessModes")) == modes]
        best = find_matching_volume(claim, candidates, None, None, delay_binding)
        if best is not None:
            return best
    return None
