"""ControllerRevisions: the saved templates a StatefulSet (or DaemonSet) can roll forward or back to.

A ControllerRevision holds ``data``, a patch that restores the owner's pod template, and a
``revision`` number. Its name is ``<owner>-<hash>``, the hash taken over the data (plus the
owner's ``collisionCount`` when a name was already taken by different data). Going back to an
older template does not make a new revision: the old one gets the next revision number.

>>> sts = {"metadata": {"name": "web"}, "spec": {"template": {"metadata": {"labels": {"app": "web"}}}}}
>>> patch = get_patch(sts)
>>> patch["spec"]["template"]["$patch"]
'replace'
>>> name = controller_revision_name("web", hash_controller_revision(patch, 0))
>>> name.startswith("web-"), name == controller_revision_name("web", hash_controller_revision(patch, 0))
(True, True)
>>> revs = [{"metadata": {"name": "web-b"}, "revision": 2}, {"metadata": {"name": "web-a"}, "revision": 1}]
>>> ordered = sort_controller_revisions(revs)
>>> [r["metadata"]["name"] for r in ordered], next_revision(ordered)
(['web-a', 'web-b'], 3)

Simplified: the hash is FNV-32 over the data's JSON with sorted keys (upstream hashes the patch
bytes as the API encodes them, so the letters differ from a real cluster's); the probe is
written as its decimal text, as upstream.

Upstream: pkg/controller/history/controller_history.go; pkg/controller/statefulset/stateful_set_utils.go
(getPatch, nextRevision); pkg/controller/daemon/update.go (getPatch)
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import owner_reference, parse_timestamp, thaw
from k8slearn.controllers.controller_ref_manager import adopt_patch
from k8slearn.controllers.controller_utils import fnv32, get_controller_of, safe_encode_string

CONTROLLER_REVISION_HASH_LABEL = "controller.kubernetes.io/hash"


def get_patch(owner: dict) -> dict:
    """The ControllerRevision data: a strategic merge patch that replaces ``spec.template``."""
    return {"spec": {"template": {**thaw(owner["spec"]["template"]), "$patch": "replace"}}}


def controller_revision_name(prefix: str, hash_: str) -> str:
    """``<prefix>-<hash>``, the prefix cut to 223 characters so the name stays within 253."""
    return f"{prefix[:223]}-{hash_}"


def hash_controller_revision(data: dict, probe: int | None = None) -> str:
    """HashControllerRevision: FNV-32 of the data (and the probe's decimal text), safely encoded."""
    h = fnv32(json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
    if probe is not None:
        h = fnv32(str(probe).encode(), h)
    return safe_encode_string(str(h))


def _created(revision: dict) -> float:
    stamp = revision["metadata"].get("creationTimestamp")
    return parse_timestamp(stamp) if stamp else 0.0


def sort_controller_revisions(revisions: list[dict]) -> list[dict]:
    """By revision number; ties by creation time, then name (a stable sort, as byRevision)."""
    return sorted(revisions, key=lambda r: (r.get("revision", 0), _created(r), r["metadata"]["name"]))


def next_revision(revisions: list[dict]) -> int:
    """One more than the last (sorted) revision's number; 1 for an empty history."""
    return revisions[-1].get("revision", 0) + 1 if revisions else 1


def equal_revision(lhs: dict | None, rhs: dict | None) -> bool:
    """Same data (and, where both carry one, the same hash label)."""
    if lhs is None or rhs is None:
        return lhs is rhs
    lh = (lhs["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL)
    rh = (rhs["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH_LABEL)
    if lh is not None and rh is not None and lh != rh:
        return False
    return lhs.get("data") == rhs.get("data")


def find_equal_revisions(revisions: list[dict], needle: dict) -> list[dict]:
    return [r for r in revisions if equal_revision(r, needle)]


def new_controller_revision(parent: dict, template_labels: dict | None, data: dict, revision: int,
                            collision_count: int | None) -> dict:
    """A revision owned by ``parent``: the template's labels plus the hash label, named by the hash."""
    hash_ = hash_controller_revision(data, collision_count)
    labels = dict(template_labels or {})
    labels[CONTROLLER_REVISION_HASH_LABEL] = hash_
    return {"apiVersion": "apps/v1", "kind": "ControllerRevision",
            "metadata": {"name": controller_revision_name(parent["metadata"]["name"], hash_),
                         "namespace": parent["metadata"]["namespace"], "labels": labels,
                         "ownerReferences": [owner_reference(parent)]},
            "data": data, "revision": revision}


class History:
    """realHistory: list, create, renumber, adopt and delete one owner's ControllerRevisions."""

    def __init__(self, client: Any, lister: Any) -> None:
        self.client = client
        self.lister = lister

    def list_controller_revisions(self, parent: dict, matches: Any) -> list[dict]:
        """The revisions in the parent's namespace that ``matches`` and that it owns or nobody does."""
        uid = parent["metadata"]["uid"]
        owned = []
        for revision in self.lister.list(parent["metadata"]["namespace"]):
            ref = get_controller_of(revision)
            if (ref is None or ref.get("uid") == uid) and matches(revision["metadata"].get("labels")):
                owned.append(revision)
        return owned

    def create_controller_revision(self, parent: dict, revision: dict,
                                   collision_count: int) -> tuple[dict, int]:
        """Create ``revision``; on a name taken by other data, count a collision and try the next name.

        Returns (the revision, the collision count): the caller writes the count to its status.
        """
        namespace = parent["metadata"]["namespace"]
        while True:
            clone = thaw(revision)
            clone["metadata"]["name"] = controller_revision_name(
                parent["metadata"]["name"], hash_controller_revision(revision["data"], collision_count))
            try:
                return self.client.create(clone), collision_count
            except ApiError as err:
                if err.reason != "AlreadyExists":
                    raise
            exists = self.client.get("controllerrevisions", clone["metadata"]["name"], namespace)
            if exists.get("data") == clone["data"]:
                return exists, collision_count
            collision_count += 1

    def update_controller_revision(self, revision: dict, new_revision: int) -> dict:
        """Give ``revision`` a new number (a rollback to an older template)."""
        if revision.get("revision") == new_revision:
            return revision
        clone = thaw(revision)
        clone["revision"] = new_revision
        return self.client.update(clone)

    def delete_controller_revision(self, revision: dict) -> None:
        meta = revision["metadata"]
        self.client.delete("controllerrevisions", meta["name"], meta["namespace"])

    def adopt_controller_revision(self, parent: dict, revision: dict) -> dict:
        """A strategic merge patch adding ``parent`` as the controller (guarded by the revision's uid)."""
        meta = revision["metadata"]
        patch = adopt_patch(parent, revision)
        return self.client.patch("controllerrevisions", meta["name"], patch, meta["namespace"])
