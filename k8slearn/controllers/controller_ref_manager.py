"""Adopting and releasing: how a controller claims the objects its selector matches.

A ReplicaSet (or Deployment, DaemonSet) owns the objects whose controller ownerReference names
it. On every sync it *claims*: it keeps its own objects that still match its selector, releases
those that no longer match (a PATCH removing its reference), and adopts matching orphans in its
namespace (a PATCH adding it as controller, guarded by the object's uid). Objects another
controller owns are left alone. Before the first adoption the owner is read fresh, so a
controller being deleted adopts nothing.

>>> patch = adopt_patch({"apiVersion": "apps/v1", "kind": "ReplicaSet",
...                      "metadata": {"name": "web-1", "uid": "u-rs"}}, {"metadata": {"uid": "u-pod"}})
>>> patch["metadata"]["ownerReferences"][0]["controller"], patch["metadata"]["uid"]
(True, 'u-pod')
>>> release_patch("u-rs", {"metadata": {"uid": "u-pod"}})["metadata"]["ownerReferences"]
[{'$patch': 'delete', 'uid': 'u-rs'}]

Simplified: patches go through the API server's strategic merge patch one object at a time.

Upstream: pkg/controller/controller_ref_manager.go (ClaimObjects, AdoptPod, ReleasePod,
RecheckDeletionTimestamp)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from k8slearn.api.errors import ApiError


def adopt_patch(owner: dict, obj: dict) -> dict:
    """The strategic merge patch that adds ``owner`` as controller (with a uid precondition)."""
    ref = {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
           "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}
    return {"metadata": {"ownerReferences": [ref], "uid": obj["metadata"]["uid"]}}


def release_patch(owner_uid: str, obj: dict) -> dict:
    """The strategic merge patch that removes one owner reference."""
    return {"metadata": {"ownerReferences": [{"$patch": "delete", "uid": owner_uid}],
                         "uid": obj["metadata"]["uid"]}}


def claim_objects(client: Any, resource: str, owner: dict, match: Callable[[dict], bool],
                  objects: Iterable[dict], can_adopt: Callable[[], bool] | None = None) -> list[dict]:
    """ControllerRefManager.ClaimObjects: keep ours that match, adopt matching orphans, release the rest.

    Objects controlled by someone else are ignored. Adopting or releasing is a PATCH; an object
    that is gone (404) is simply not claimed.
    """
    claimed: list[dict] = []
    meta = owner["metadata"]
    owner_uid = meta["uid"]
    deleting = bool(meta.get("deletionTimestamp"))
    adoptable: bool | None = None
    for obj in objects:
        ref = None  # get_controller_of(obj), inlined: a ReplicaSet sync claims each of its pods (a speed-up)
        for candidate in obj["metadata"].get("ownerReferences") or ():
            if candidate.get("controller"):
                ref = candidate
                break
        if ref is not None:
            if ref.get("uid") != owner_uid:
                continue
            if match(obj):
                claimed.append(obj)
            elif not deleting:
                _patch(client, resource, obj, release_patch(owner_uid, obj))
            continue
        if deleting or not match(obj) or obj["metadata"].get("deletionTimestamp"):
            continue
        if obj["metadata"].get("namespace") != meta.get("namespace"):
            continue
        if adoptable is None:
            adoptable = can_adopt() if can_adopt else True
        if not adoptable:
            continue
        adopted = _patch(client, resource, obj, adopt_patch(owner, obj))
        if adopted is not None:
            claimed.append(adopted)
    return claimed


def _patch(client: Any, resource: str, obj: dict, patch: dict) -> dict | None:
    try:
        return client.patch(resource, obj["metadata"]["name"], patch, obj["metadata"].get("namespace"))
    except ApiError as err:
        if err.code == 404:
            return None
        raise


def recheck_deletion_timestamp(get_fresh: Callable[[], dict | None], uid: str) -> Callable[[], bool]:
    """RecheckDeletionTimestamp: adopt only if a fresh read shows the owner alive and the same uid."""
    def can_adopt() -> bool:
        fresh = get_fresh()
        return fresh is not None and fresh["metadata"].get("uid") == uid \
            and not fresh["metadata"].get("deletionTimestamp")
    return can_adopt

