"""The volume binder: which of a pod's claims are bound, and which PersistentVolumes could take the rest.

VolumeBinding asks it three questions. At PreFilter, :func:`get_pod_volume_claims` sorts the pod's
claims: *bound* (``spec.volumeName`` set and annotated ``pv.kubernetes.io/bind-completed``), *unbound
and immediate* (the PersistentVolume controller binds those; the pod must wait), or *unbound and
WaitForFirstConsumer* (the scheduler picks their volume). At Filter, :func:`find_pod_volumes` checks
one node: a bound claim's volume must allow the node (its ``nodeAffinity``), an unbound delayed claim
needs an Available volume that matches it and the node (``api.volume_matching.find_matching_volume``,
which the PersistentVolume controller uses too).

>>> claim = {"metadata": {"name": "www-web-0", "namespace": "default"},
...          "spec": {"storageClassName": "my-storage-class", "accessModes": ["ReadWriteOnce"],
...                   "resources": {"requests": {"storage": "1Gi"}}}}
>>> is_pvc_fully_bound(claim), is_delay_binding_mode(claim, {}.get)   # no such class: Immediate
(False, False)
>>> pv = {"metadata": {"name": "pv-small"}, "status": {"phase": "Available"},
...       "spec": {"storageClassName": "my-storage-class", "accessModes": ["ReadWriteOnce"],
...                "capacity": {"storage": "1Gi"}}}
>>> find_matching_volumes([claim], {"my-storage-class": [pv]}, {"metadata": {"name": "node-1"}})[0]
True

Simplified: no assume cache of its own beyond the PersistentVolumes this scheduler has just bound
(kept until the informer delivers the update), no CSI translation, no storage-capacity check, and
dynamic provisioning is not modelled (this cluster has no provisioner).

Upstream: pkg/scheduler/framework/plugins/volumebinding/binder.go (GetPodVolumeClaims,
GetEligibleNodes, FindPodVolumes, checkBoundClaims, findMatchingVolumes, checkVolumeProvisions),
staging/src/k8s.io/component-helpers/storage/volume/helpers.go (IsDelayBindingMode),
pkg/volume/util/util.go (GetLocalPersistentVolumeNodeNames)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from k8slearn.api.quantity import parse_quantity
from k8slearn.api.storage_class import persistent_volume_claim_class
from k8slearn.api.volume_matching import (
    ANN_BIND_COMPLETED,
    ANN_SELECTED_NODE,
    check_node_affinity,
    find_matching_volume,
    is_delay_binding_mode,
)

NOT_SUPPORTED_PROVISIONER = "kubernetes.io/no-provisioner"
LABEL_HOSTNAME = "kubernetes.io/hostname"

# ConflictReason: the reasons Filter reports, in the order FindPodVolumes appends them.
ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
ERR_REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict"
ERR_REASON_NOT_ENOUGH_SPACE = "node(s) did not have enough free storage"
ERR_REASON_PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def is_pvc_fully_bound(claim: dict) -> bool:
    """isPVCFullyBound: the claim names its volume and the bind is annotated complete."""
    annotations = _meta(claim).get("annotations") or {}
    return bool(_spec(claim).get("volumeName")) and ANN_BIND_COMPLETED in annotations


def _node_allows(pv: dict, node: dict) -> bool:
    """CheckNodeAffinity with the node's labels (no error: the volume allows the node)."""
    return check_node_affinity(pv, _meta(node).get("labels")) is None


def get_local_persistent_volume_node_names(pv: dict) -> list[str]:
    """GetLocalPersistentVolumeNodeNames: the nodes a volume's required affinity names with
    ``kubernetes.io/hostname In [...]`` (intersected within a term, united over terms)."""
    required = (_spec(pv).get("nodeAffinity") or {}).get("required") or {}
    result: set[str] = set()
    for term in required.get("nodeSelectorTerms") or ():
        nodes: set[str] | None = None
        for expr in term.get("matchExpressions") or ():
            if expr.get("key") == LABEL_HOSTNAME and expr.get("operator") == "In":
                values = set(expr.get("values") or ())
                nodes = values if nodes is None else nodes & values
        result |= nodes or set()
    return sorted(result)


# -- binder.go ------------------------------------------------------------------------------------
@dataclass
class PodVolumeClaims:
    """The pod's claims sorted by what they still need (PodVolumeClaims)."""

    bound_claims: list = field(default_factory=list)
    unbound_claims_immediate: list = field(default_factory=list)
    unbound_claims_delay_binding: list = field(default_factory=list)
    unbound_volumes_delay_binding: dict = field(default_factory=dict)  # class -> its volumes


@dataclass
class PodVolumes:
    """What binding the pod's volumes on one node takes (PodVolumes): volume/claim pairs."""

    static_bindings: list = field(default_factory=list)  # [(pv, claim)]


def get_pod_volume_claims(claims: list, get_class: Any, list_pvs: Any) -> PodVolumeClaims:
    """GetPodVolumeClaims over the pod's claims (in volume order): a claim pre-bound by name
    (``spec.volumeName``) but not yet bound counts as immediate."""
    result = PodVolumeClaims()
    for claim in claims:
        if is_pvc_fully_bound(claim):
            result.bound_claims.append(claim)
        elif is_delay_binding_mode(claim, get_class) and not _spec(claim).get("volumeName"):
            result.unbound_claims_delay_binding.append(claim)
        else:
            result.unbound_claims_immediate.append(claim)
    for claim in result.unbound_claims_delay_binding:
        class_name = persistent_volume_claim_class(claim)
        result.unbound_volumes_delay_binding[class_name] = list_pvs(class_name)
    return result


def get_eligible_nodes(bound_claims: list, get_pv: Any) -> frozenset | None:
    """GetEligibleNodes: the nodes the bound claims' local volumes name (None: any node)."""
    eligible: set[str] | None = None
    for claim in bound_claims:
        pv = get_pv(_spec(claim).get("volumeName", ""))
        if pv is None:
            return None
        names = get_local_persistent_volume_node_names(pv)
        if names:
            eligible = set(names) if eligible is None else eligible & set(names)
    return frozenset(eligible) if eligible is not None else None


def check_bound_claims(claims: list, node: dict, get_pv: Any) -> tuple[bool, bool]:
    """checkBoundClaims: (every bound volume allows the node, every bound volume exists)."""
    for claim in claims:
        pv = get_pv(_spec(claim).get("volumeName", ""))
        if pv is None:
            return True, False
        if not _node_allows(pv, node):
            return False, True
    return True, True


def _claim_size(claim: dict) -> Any:
    """byPVCSize: the claim's requested storage."""
    return parse_quantity(((_spec(claim).get("resources") or {}).get("requests") or {}).get("storage") or "0")


def find_matching_volumes(claims: list, volumes_by_class: dict, node: dict) -> tuple[bool, list, list]:
    """findMatchingVolumes: smallest claims first, each takes a different volume.
    Returns (all matched, [(pv, claim)], the claims left without a volume)."""
    chosen: dict = {}
    bindings, unbound = [], []
    for claim in sorted(claims, key=_claim_size):
        pvs = volumes_by_class.get(persistent_volume_claim_class(claim), [])
        pv = find_matching_volume(claim, pvs, node, chosen, delay_binding=True)
        if pv is None:
            unbound.append(claim)
            continue
        chosen[_meta(pv).get("name")] = pv
        bindings.append((pv, claim))
    return not unbound, bindings, unbound


def check_volume_provisions(claims: list, get_class: Any) -> tuple[bool, bool]:
    """checkVolumeProvisions: (can they be provisioned, is there storage). Simplified: a class with
    a real provisioner would be provisioned, but this cluster runs none, so no claim ever is; a
    class with ``kubernetes.io/no-provisioner`` can only take existing volumes."""
    for claim in claims:
        class_name = persistent_volume_claim_class(claim)
        key = f"{_meta(claim).get('namespace')}/{_meta(claim).get('name')}"
        if not class_name:
            raise ValueError(f'no class for claim "{key}"')
        if get_class(class_name) is None:
            raise ValueError(f'failed to find storage class "{class_name}"')
        return False, True
    return True, True


def find_pod_volumes(claims: PodVolumeClaims, node: dict, get_pv: Any, get_class: Any) -> tuple[PodVolumes, list]:
    """FindPodVolumes for one node: the bindings it would take, and the reasons it cannot."""
    bound_ok, pvs_found, unbound_ok, enough_space = True, True, True, True
    volumes = PodVolumes()
    if claims.bound_claims:
        bound_ok, pvs_found = check_bound_claims(claims.bound_claims, node, get_pv)
    if claims.unbound_claims_delay_binding:
        to_match, to_provision = [], []
        for claim in claims.unbound_claims_delay_binding:
            selected = (_meta(claim).get("annotations") or {}).get(ANN_SELECTED_NODE)
            if selected is None:
                to_match.append(claim)
            elif selected != _meta(node).get("name"):
                return volumes, _reasons(bound_ok, False, True, pvs_found)
            else:
                to_provision.append(claim)
        if to_match:
            unbound_ok, volumes.static_bindings, unmatched = find_matching_volumes(
                to_match, claims.unbound_volumes_delay_binding, node
            )
            to_provision += unmatched
        if to_provision:
            unbound_ok, enough_space = check_volume_provisions(to_provision, get_class)
    return volumes, _reasons(bound_ok, unbound_ok, enough_space, pvs_found)


def _reasons(bound_ok: bool, unbound_ok: bool, enough_space: bool, pvs_found: bool) -> list[str]:
    failed = [
        (bound_ok, ERR_REASON_NODE_CONFLICT),
        (unbound_ok, ERR_REASON_BIND_CONFLICT),
        (enough_space, ERR_REASON_NOT_ENOUGH_SPACE),
        (pvs_found, ERR_REASON_PV_NOT_EXIST),
    ]
    return [reason for ok, reason in failed if not ok]
