"""``kubectl rollout history|undo`` for StatefulSets and DaemonSets: their ControllerRevisions.

Each ControllerRevision the StatefulSet (or DaemonSet) controller saved holds a patch that
restores one pod template, and a revision number. History lists the numbers (with the revision's
``kubernetes.io/change-cause`` annotation); undo sends the chosen revision's patch to the
StatefulSet, and the controller rolls the pods to it (renumbering that revision, not making a
new one)::

    revision 1: nginx:1.27 (web-66c9b4d89)   revision 2: nginx:1.28 (web-5b9f7d6c8)
    rollout_undo_statefulset(...)  -> template = nginx:1.27 -> web-66c9b4d89 becomes revision 3

>>> find_history(0, [{"revision": 1}, {"revision": 3}, {"revision": 2}])
{'revision': 2}
>>> find_history(0, [{"revision": 1}]) is None
True

Upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/history.go (StatefulSetHistoryViewer,
DaemonSetHistoryViewer, printHistory), rollback.go (StatefulSetRollbacker, DaemonSetRollbacker,
findHistory)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import thaw
from k8slearn.kubectl.rollout_history import (
    CHANGE_CAUSE_ANNOTATION,
    ROLLBACK_SKIPPED,
    ROLLBACK_SUCCESS,
    RolloutError,
)


def controlled_revisions(client: Any, sts: dict) -> list[dict]:
    """The ControllerRevisions the set controls (by selector and controller UID), by revision."""
    selector = selector_from_label_selector(sts["spec"]["selector"])
    owned = []
    for rev in client.list("controllerrevisions", sts["metadata"]["namespace"]):
        refs = [r for r in rev["metadata"].get("ownerReferences") or () if r.get("controller")]
        ours = bool(refs) and refs[0].get("uid") == sts["metadata"]["uid"]
        if ours and selector.matches(rev["metadata"].get("labels")):
            owned.append(rev)
    return sorted(owned, key=lambda r: r.get("revision", 0))


def revision_template(revision: dict) -> dict:
    """The pod template a revision restores (its patch without the ``$patch`` directive)."""
    template = thaw(revision["data"]["spec"]["template"])
    template.pop("$patch", None)
    return template


def controller_history(client: Any, resource: str, namespace: str, name: str) -> list[tuple[int, str]]:
    """(revision, change-cause or ``<none>``) of a StatefulSet or DaemonSet (``resource``), oldest
    first; empty if none was saved."""
    sts = client.get(resource, name, namespace)
    return [(r.get("revision", 0),
             (r["metadata"].get("annotations") or {}).get(CHANGE_CAUSE_ANNOTATION) or "<none>")
            for r in controlled_revisions(client, sts)]


def controller_revision_template(client: Any, resource: str, namespace: str, name: str, revision: int) -> dict:
    """The pod template of one revision (``--revision=N``)."""
    for r in controlled_revisions(client, client.get(resource, name, namespace)):
        if r.get("revision") == revision:
            return revision_template(r)
    raise RolloutError("unable to find the specified revision")


def find_history(to_revision: int, history: list[dict]) -> dict | None:
    """The revision numbered ``to_revision``; for 0, the one before the latest."""
    if to_revision == 0:
        return sorted(history, key=lambda r: r.get("revision", 0))[-2] if len(history) > 1 else None
    return next((r for r in history if r.get("revision") == to_revision), None)


def rollout_undo_controller(client: Any, resource: str, namespace: str, name: str, to_revision: int = 0,
                            dry_run: str = "none", describe: Any = None) -> str:
    """``kubectl rollout undo statefulset/NAME`` (or ``daemonset/NAME``) ``[--to-revision=N]``;
    returns kubectl's verb (``--dry-run=client``: "will roll back to" the revision's template)."""
    if to_revision < 0:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    sts = client.get(resource, name, namespace)
    history = controlled_revisions(client, sts)
    if to_revision == 0 and len(history) <= 1:
        raise RolloutError("no last revision to roll back to")
    target = find_history(to_revision, history)
    if target is None:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    if dry_run == "client":
        return f"will roll back to {describe(revision_template(target))}"
    if revision_template(target) == thaw(sts["spec"]["template"]):
        return f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})"
    client.patch(resource, name, thaw(target["data"]), namespace, patch_type="strategic", dry_run=dry_run == "server")
    return ROLLBACK_SUCCESS
