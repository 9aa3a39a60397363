"""``kubectl rollout history|undo|pause|resume`` for Deployments: client-side, through the API.

The history *is* the ReplicaSets: each one remembers its pod template and, in the annotation
``deployment.kubernetes.io/revision``, when it was last the Deployment's template. The
``kubernetes.io/change-cause`` annotation (copied from the Deployment) says why. Undo finds the
ReplicaSet of the wanted revision and writes its template back into the Deployment (a JSON
patch); the controller then sees a template it already has a ReplicaSet for, gives that
ReplicaSet the next revision number, and scales it back up::

    revision 1: nginx:1.26 (web-5d4f7c6b9)   revision 2: nginx:1.27 (web-7c4b4cb947)
    rollout_undo(...)  -> template = nginx:1.26 -> web-5d4f7c6b9 becomes revision 3

Like upstream kubectl, which keeps its own copy of the deployment utilities, this module works
only through the API client: kubectl is a client, it never calls the controller.

Upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/history.go, rollback.go,
objectpauser.go, objectresumer.go; staging/src/k8s.io/kubectl/pkg/util/deployment/deployment.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import thaw

REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
POD_TEMPLATE_HASH = "pod-template-hash"
ANNOTATIONS_TO_SKIP = ("kubectl.kubernetes.io/last-applied-configuration", REVISION_ANNOTATION,
                       "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
                       "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to")
ROLLBACK_SUCCESS = "rolled back"
ROLLBACK_SKIPPED = "skipped rollback"
PAUSED_ROLLBACK_MSG = ("you cannot rollback a paused deployment; resume it first with "
                       "'kubectl rollout resume' and try again")


class RolloutError(ValueError):
    """What kubectl prints after ``error: `` for a rollout command that cannot be done."""


def _revision(rs: dict) -> int | None:
    try:
        return int((rs["metadata"].get("annotations") or {})[REVISION_ANNOTATION])
    except (KeyError, ValueError):
        return None


def _without_hash(template: dict) -> dict:
    template = thaw(template)
    labels = (template.get("metadata") or {}).get("labels") or {}
    labels.pop(POD_TEMPLATE_HASH, None)
    return template


def replica_sets_of(client: Any, deployment: dict) -> list[dict]:
    """GetAllReplicaSets: the ReplicaSets this Deployment controls (by selector and controller UID)."""
    meta = deployment["metadata"]
    selector = selector_from_label_selector(deployment["spec"]["selector"])
    owned = []
    for rs in client.list("replicasets", meta["namespace"]):
        refs = [r for r in rs["metadata"].get("ownerReferences") or () if r.get("controller")]
        if refs and refs[0].get("uid") == meta["uid"] and selector.matches(rs["metadata"].get("labels")):
            owned.append(rs)
    return owned


def rollout_history(client: Any, namespace: str, name: str) -> list[tuple[int, str]]:
    """``kubectl rollout history``: (revision, change-cause or ``<none>``), oldest first."""
    deployment = client.get("deployments", name, namespace)
    history: dict[int, str] = {}
    for rs in replica_sets_of(client, deployment):
        rev = _revision(rs)
        if rev is not None:
            history[rev] = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE_ANNOTATION) or "<none>"
    return sorted(history.items())


def revision_template(client: Any, namespace: str, name: str, revision: int) -> dict:
    """The pod template of one revision (``kubectl rollout history --revision=N``)."""
    try:
        rs = deployment_revision(client, client.get("deployments", name, namespace), revision)
    except RolloutError:
        raise RolloutError("unable to find the specified revision") from None  # (ViewHistory's words)
    template = thaw(rs["spec"]["template"])
    cause = ((rs.get("metadata") or {}).get("annotations") or {}).get("kubernetes.io/change-cause")
    if cause:  # ViewHistory copies the ReplicaSet's change-cause into the template it prints
        meta = template.setdefault("metadata", {})
        meta["annotations"] = {**(meta.get("annotations") or {}), "kubernetes.io/change-cause": cause}
    return template


def deployment_revision(client: Any, deployment: dict, to_revision: int) -> dict:
    """The ReplicaSet of ``to_revision``, or of the previous revision if it is 0."""
    latest, previous = (-1, None), (-1, None)
    for rs in replica_sets_of(client, deployment):
        rev = _revision(rs)
        if rev is None:
            continue
        if to_revision == 0:
            if latest[0] < rev:
                previous, latest = latest, (rev, rs)
            elif previous[0] < rev:
                previous = (rev, rs)
        elif rev == to_revision:
            return rs
    if to_revision > 0:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    if previous[1] is None:
        raise RolloutError(f'no rollout history found for deployment "{deployment["metadata"]["name"]}"')
    return previous[1]


def rollout_undo(client: Any, namespace: str, name: str, to_revision: int = 0, dry_run: str = "none",
                 describe: Any = None) -> str:
    """``kubectl rollout undo [--to-revision=N]``: put an old template back; returns kubectl's verb.
    ``--dry-run=client`` describes the revision's template instead (``describe(template)``);
    ``--dry-run=server`` sends the patch for the API server to check without storing it."""
    if to_revision < 0:
        raise RolloutError(f"unable to find specified revision {to_revision} in history")
    deployment = client.get("deployments", name, namespace)
    rs = deployment_revision(client, deployment, to_revision)
    if dry_run == "client":
        return describe(rs["spec"]["template"])
    if deployment["spec"].get("paused"):
        raise RolloutError(PAUSED_ROLLBACK_MSG)
    template = _without_hash(rs["spec"]["template"])
    if template == _without_hash(deployment["spec"]["template"]):
        return f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})"
    current = deployment["metadata"].get("annotations") or {}
    annotations = {k: current[k] for k in ANNOTATIONS_TO_SKIP if k in current}
    for key, value in (rs["metadata"].get("annotations") or {}).items():
        if key not in ANNOTATIONS_TO_SKIP:
            annotations[key] = value
    patch = [{"op": "replace", "path": "/spec/template", "value": template},
             {"op": "replace", "path": "/metadata/annotations", "value": annotations}]
    client.patch("deployments", name, patch, namespace, patch_type="json", dry_run=dry_run == "server")
    return ROLLBACK_SUCCESS


def rollout_pause(client: Any, namespace: str, name: str) -> dict:
    """``kubectl rollout pause``: set ``spec.paused`` (error ``is already paused``)."""
    if client.get("deployments", name, namespace)["spec"].get("paused"):
        raise RolloutError("is already paused")
    return client.patch("deployments", name, {"spec": {"paused": True}}, namespace)


def rollout_resume(client: Any, namespace: str, name: str) -> dict:
    """``kubectl rollout resume``: clear ``spec.paused`` (error ``is not paused``)."""
    if not client.get("deployments", name, namespace)["spec"].get("paused"):
        raise RolloutError("is not paused")
    return client.patch("deployments", name, {"spec": {"paused": None}}, namespace)
