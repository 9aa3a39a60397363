"""Which pods ``kubectl drain`` may evict from a node: the drain helper's filters, in upstream's order.

Each pod goes through the filters until one keeps it; the last verdict counts:

1. deleted more than ``--skip-wait-for-delete-timeout`` seconds ago: skipped;
2. a DaemonSet's pod: never evicted (its controller would put it straight back); an error
   unless ``--ignore-daemonsets`` (then a warning); an orphan whose DaemonSet is gone goes with ``--force``;
3. a mirror pod (a static pod's API copy): skipped, the API server cannot delete it;
4. ``emptyDir`` data (lost when the pod goes): an error unless ``--delete-emptydir-data``;
5. no controller (nothing would recreate it): an error unless ``--force``.

Finished pods (Succeeded, Failed) pass every filter. Errors and warnings are grouped by message:

>>> cannot_delete({m: ["default/a"] for m in [LOCAL_STORAGE_FATAL, UNMANAGED_FATAL]})[1]
'cannot delete cannot delete Pods that declare no controller (use --force to override): default/a'

(kubectl v1.32 prefixes every error with "cannot delete", hence the doubled words, as a real
terminal shows.)

Simplified: messages come in the order their first pods come (kubectl groups them in a Go map and
prints them in random order).

Upstream: staging/src/k8s.io/kubectl/pkg/drain/filters.go, drain.go (GetPodsForDeletion)
"""

from __future__ import annotations

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import parse_timestamp
from k8slearn.kubectl.cli import Context

DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"

OKAY, SKIP, WARNING, ERROR = "Okay", "Skip", "Warning", "Error"
_FINISHED = ("Succeeded", "Failed")


def _controller_of(pod: dict) -> dict | None:
    return next((r for r in pod["metadata"].get("ownerReferences") or () if r.get("controller")), None)


def _finished(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in _FINISHED


class Filters:
    """The drain Helper's filters; each gives ``(delete, reason, message)`` for a pod."""

    def __init__(self, ctx: Context) -> None:
        self.ctx, flags = ctx, ctx.flags
        self.force = flags["force"]
        self.ignore_daemonsets = flags["ignore-daemonsets"]
        self.delete_emptydir_data = flags["delete-emptydir-data"] or flags.get("delete-local-data", False)
        self.skip_deleted_after = flags["skip-wait-for-delete-timeout"]

    def status(self, pod: dict) -> tuple[bool, str, str]:
        """The last filter's verdict (filters stop at the first that keeps the pod)."""
        status = (True, OKAY, "")
        for check in (self.skip_deleted, self.daemonset, self.mirror_pod, self.local_storage, self.unreplicated):
            status = check(pod)
            if not status[0]:
                break
        return status

    def skip_deleted(self, pod: dict) -> tuple[bool, str, str]:
        if should_skip_pod(pod, self.skip_deleted_after, self.ctx.now()):
            return False, SKIP, ""
        return True, OKAY, ""

    def daemonset(self, pod: dict) -> tuple[bool, str, str]:
        ref = _controller_of(pod)
        if ref is None or ref.get("kind") != "DaemonSet" or _finished(pod):
            return True, OKAY, ""
        try:
            self.ctx.client.get("daemonsets", ref.get("name", ""), pod["metadata"].get("namespace"))
        except ApiError as err:
            if err.code == 404 and self.force:  # an orphan: its DaemonSet will not bring it back
                return True, WARNING, err.status.get("message", "")
            return False, ERROR, err.status.get("message", "")
        if not self.ignore_daemonsets:
            return False, ERROR, DAEMONSET_FATAL
        return False, WARNING, DAEMONSET_WARNING

    def mirror_pod(self, pod: dict) -> tuple[bool, str, str]:
        if MIRROR_POD_ANNOTATION in (pod["metadata"].get("annotations") or {}):
            return False, SKIP, ""
        return True, OKAY, ""

    def local_storage(self, pod: dict) -> tuple[bool, str, str]:
        if not any("emptyDir" in v for v in (pod.get("spec") or {}).get("volumes") or ()) or _finished(pod):
            return True, OKAY, ""
        if not self.delete_emptydir_data:
            return False, ERROR, LOCAL_STORAGE_FATAL
        return True, WARNING, LOCAL_STORAGE_WARNING

    def unreplicated(self, pod: dict) -> tuple[bool, str, str]:
        if _finished(pod) or _controller_of(pod) is not None:
            return True, OKAY, ""
        if self.force:
            return True, WARNING, UNMANAGED_WARNING
        return False, ERROR, UNMANAGED_FATAL


def should_skip_pod(pod: dict, skip_after: int, now: float) -> bool:
    """Deleted more than ``skip_after`` seconds ago (0: never skip)."""
    deleted = pod["metadata"].get("deletionTimestamp")
    return skip_after > 0 and bool(deleted) and int(now - parse_timestamp(deleted)) > skip_after


def _grouped(statuses: list[tuple[dict, tuple[bool, str, str]]], reason: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for pod, (_, why, message) in statuses:
        if why == reason:
            meta = pod["metadata"]
            groups.setdefault(message or "unexpected error", []).append(f"{meta.get('namespace')}/{meta['name']}")
    return groups


def cannot_delete(groups: dict[str, list[str]]) -> list[str]:
    """PodDeleteList.errors: one ``cannot delete <why>: <pods>`` per reason (v1.32 prefixes every one)."""
    return [f"cannot delete {message}: {', '.join(pods)}" for message, pods in groups.items()]


def pods_for_deletion(ctx: Context, node: str) -> tuple[list[dict], str, list[str]]:
    """GetPodsForDeletion: (pods to evict, the warnings line, the errors), pods in list order."""
    pods = ctx.client.list("pods", None, label_selector=ctx.flags["pod-selector"] or None,
                           field_selector=f"spec.nodeName={node}")
    filters = Filters(ctx)
    statuses = [(pod, filters.status(pod)) for pod in pods]
    warnings = "; ".join(f"{m}: {', '.join(p)}" for m, p in _grouped(statuses, WARNING).items())
    return [pod for pod, status in statuses if status[0]], warnings, cannot_delete(_grouped(statuses, ERROR))
