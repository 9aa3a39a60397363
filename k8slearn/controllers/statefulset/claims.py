"""A StatefulSet pod's PersistentVolumeClaims: made from ``volumeClaimTemplates``, one per
template and pod, and owned as ``persistentVolumeClaimRetentionPolicy`` says.

Template ``www`` of set ``web`` gives pod ``web-0`` the claim ``www-web-0``, labelled with the
set's selector. The claim outlives the pod: a new ``web-0`` mounts the same claim. Who owns it
decides when the garbage collector deletes it:

==============  ==============  ===============================================================
whenDeleted     whenScaled      owner references on the claim
==============  ==============  ===============================================================
Retain          Retain          none (the default): claims stay until deleted by hand
Delete          Retain          the StatefulSet: deleting the set deletes the claims
Retain          Delete          the pod, once it is scaled away: scaling down deletes its claims
Delete          Delete          the set; the pod instead once the pod is scaled away
==============  ==============  ===============================================================

>>> sts = {"apiVersion": "apps/v1", "kind": "StatefulSet",
...        "metadata": {"name": "web", "namespace": "default", "uid": "u-web"},
...        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "nginx"}},
...                 "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete", "whenScaled": "Retain"},
...                 "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {}}]}}
>>> pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-0", "uid": "u-pod"}}
>>> claim = get_persistent_volume_claims(sts, pod)[0]
>>> claim["metadata"]
{'name': 'www-web-0', 'namespace': 'default', 'labels': {'app': 'nginx'}}
>>> is_claim_owner_up_to_date(claim, sts, pod)
False
>>> update_claim_owner_ref_for_set_and_pod(claim, sts, pod)
>>> [(r["kind"], r["name"], r["controller"]) for r in claim["metadata"]["ownerReferences"]]
[('StatefulSet', 'web', True)]

Upstream: pkg/controller/statefulset/stateful_set_utils.go (getPersistentVolumeClaims,
getPersistentVolumeClaimRetentionPolicy, isClaimOwnerUpToDate, updateClaimOwnerRefForSetAndPod,
hasUnexpectedController, hasNonControllerOwner, hasStaleOwnerRef, addControllerRef); the
StatefulSetAutoDeletePVC feature gate is beta (on) in v1.32
"""

from __future__ import annotations

from k8slearn.api.meta import thaw
from k8slearn.controllers.statefulset.utils import (
    get_ordinal,
    get_persistent_volume_claim_name,
    pod_in_ordinal_range,
)

RETAIN, DELETE = "Retain", "Delete"


def get_persistent_volume_claims(sts: dict, pod: dict) -> list[dict]:
    """getPersistentVolumeClaims: the pod's claims, in template order: each template with the
    claim's name and namespace, and the set's ``selector.matchLabels`` added to its labels."""
    ordinal = get_ordinal(pod)
    match_labels = (sts["spec"].get("selector") or {}).get("matchLabels") or {}
    claims = []
    for template in sts["spec"].get("volumeClaimTemplates") or ():
        claim = thaw(template)
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        meta = claim["metadata"] = dict(claim.get("metadata") or {})
        meta["name"] = get_persistent_volume_claim_name(sts, template, ordinal)
        meta["namespace"] = sts["metadata"]["namespace"]
        meta["labels"] = {**(meta.get("labels") or {}), **match_labels}
        claim.pop("status", None)
        claims.append(claim)
    return claims


def get_persistent_volume_claim_retention_policy(sts: dict) -> tuple[str, str]:
    """(whenDeleted, whenScaled); Retain where unset."""
    policy = sts["spec"].get("persistentVolumeClaimRetentionPolicy") or {}
    return policy.get("whenDeleted") or RETAIN, policy.get("whenScaled") or RETAIN


def _refs(claim: dict) -> list[dict]:
    return list(claim["metadata"].get("ownerReferences") or ())


def _matches_ref(ref: dict, obj: dict, kind: str) -> bool:
    """matchesRef: the reference names ``obj`` by kind and name (whatever its uid)."""
    return ref.get("kind") == kind and ref.get("name") == obj["metadata"]["name"]


def has_owner_ref(claim: dict, owner: dict) -> bool:
    """hasOwnerRef: a reference with the owner's uid (controller or not)."""
    return any(r.get("uid") == owner["metadata"].get("uid") for r in _refs(claim))


def has_stale_owner_ref(claim: dict, obj: dict, kind: str) -> bool:
    """hasStaleOwnerRef: the first reference naming ``obj`` has another uid (an older ``obj``)."""
    for ref in _refs(claim):
        if _matches_ref(ref, obj, kind):
            return ref.get("uid") != obj["metadata"].get("uid")
    return False


def has_unexpected_controller(claim: dict, sts: dict, pod: dict) -> bool:
    """hasUnexpectedController: with a Delete policy, a controller other than our set or pod
    (or a reference to our set or pod with a stale uid)."""
    if get_persistent_volume_claim_retention_policy(sts) == (RETAIN, RETAIN):
        return False
    for ref in _refs(claim):
        for obj, kind in ((sts, "StatefulSet"), (pod, "Pod")):
            if _matches_ref(ref, obj, kind):
                if ref.get("uid") != obj["metadata"].get("uid"):
                    return True
                break
        else:
            if ref.get("controller"):
                return True
    return False


def has_non_controller_owner(claim: dict, sts: dict, pod: dict) -> bool:
    """hasNonControllerOwner: the set or pod owns the claim without being its controller."""
    uids = (sts["metadata"].get("uid"), pod["metadata"].get("uid"))
    return any(r.get("uid") in uids and not r.get("controller") for r in _refs(claim))


def is_claim_owner_up_to_date(claim: dict, sts: dict, pod: dict) -> bool:
    """isClaimOwnerUpToDate: the claim's owners are what the retention policy wants (a claim
    with stale or unexpected owners is left alone: True)."""
    if has_stale_owner_ref(claim, sts, "StatefulSet") or has_stale_owner_ref(claim, pod, "Pod"):
        return True
    if has_unexpected_controller(claim, sts, pod):
        return not (has_owner_ref(claim, sts) or has_owner_ref(claim, pod))
    if has_non_controller_owner(claim, sts, pod):
        return False
    when_deleted, when_scaled = get_persistent_volume_claim_retention_policy(sts)
    set_ref, pod_ref = has_owner_ref(claim, sts), has_owner_ref(claim, pod)
    scaled_down = not pod_in_ordinal_range(pod, sts)
    if when_scaled == RETAIN and when_deleted == DELETE:
        return set_ref and not pod_ref
    if when_scaled == DELETE and when_deleted == RETAIN:
        return not set_ref and scaled_down == pod_ref
    if when_scaled == DELETE and when_deleted == DELETE:
        return scaled_down != set_ref and scaled_down == pod_ref
    return not set_ref and not pod_ref  # Retain, Retain (and unknown policies)


def _controller_ref(obj: dict, api_version: str, kind: str) -> dict:
    meta = obj["metadata"]
    return {"apiVersion": api_version, "kind": kind, "name": meta["name"], "uid": meta["uid"],
            "controller": True, "blockOwnerDeletion": True}


def update_claim_owner_ref_for_set_and_pod(claim: dict, sts: dict, pod: dict) -> None:
    """updateClaimOwnerRefForSetAndPod: drop our set's and pod's references, then add the
    controller references the policy wants (none if another controller owns the claim)."""
    unexpected = has_unexpected_controller(claim, sts, pod)
    refs = [r for r in _refs(claim) if not (_matches_ref(r, sts, "StatefulSet") or _matches_ref(r, pod, "Pod"))]
    if not unexpected:
        when_deleted, when_scaled = get_persistent_volume_claim_retention_policy(sts)
        scaled_down = not pod_in_ordinal_range(pod, sts)
        if when_deleted == DELETE and (when_scaled == RETAIN or not scaled_down):
            refs.append(_controller_ref(sts, "apps/v1", "StatefulSet"))
        if when_scaled == DELETE and scaled_down:
            refs.append(_controller_ref(pod, "v1", "Pod"))
    if refs:
        claim["metadata"]["ownerReferences"] = refs
    else:
        claim["metadata"].pop("ownerReferences", None)
