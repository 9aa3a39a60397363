"""DaemonSet updates: ControllerRevisions (the history of templates) and the rolling update.

Each distinct pod template is saved as a ControllerRevision named ``<ds>-<hash>`` whose ``data``
is a patch that restores that template; its ``controller-revision-hash`` label is stamped on the
pods made from it. A rolling update (``maxUnavailable`` 1, ``maxSurge`` 0 by default) then
deletes old pods a few at a time, and the ordinary sync creates the new ones in their place::

    3 nodes, template changed, maxUnavailable 1:
    delete old pod on node-1 -> create new pod on node-1 -> (ready) -> delete old on node-2 -> ...

Simplified: revisions are compared by their template (upstream compares the patch bytes);
history beyond ``revisionHistoryLimit`` is cleaned up oldest first, as upstream.

The patch and the ``<ds>-<hash>`` name are the shared ones of ``controllers.history``.

Upstream: pkg/controller/daemon/update.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import owner_reference, thaw
from k8slearn.controllers.controller_ref_manager import claim_objects, recheck_deletion_timestamp
from k8slearn.controllers.controller_utils import compute_hash
from k8slearn.controllers.history import controller_revision_name, get_patch
from k8slearn.controllers.daemonset.util import (
    CONTROLLER_REVISION_HASH,
    get_template_generation,
    is_pod_updated,
    node_should_run_daemon_pod,
    surge_count,
    unavailable_count,
)
from k8slearn.controllers.pod_util import is_pod_available


def match(ds: dict, history: dict) -> bool:
    return history.get("data") == get_patch(ds)


def find_updated_pods_on_node(ds: dict, pods: list[dict], hash_: str) -> tuple[dict | None, dict | None, bool]:
    """(new pod, old pod, ok): ok is False if a node has two of either kind."""
    new = old = None
    generation = get_template_generation(ds)
    for pod in pods:
        if pod["metadata"].get("deletionTimestamp"):
            continue
        if is_pod_updated(pod, hash_, generation):
            if new is not None:
                return None, None, False
            new = pod
        else:
            if old is not None:
                return None, None, False
            old = pod
    return new, old, True


class UpdateMixin:
    """constructHistory, rollingUpdate and cleanupHistory (methods of DaemonSetsController)."""

    client: Any
    loop: Any

    # -- history ------------------------------------------------------------------------------
    def controlled_histories(self: Any, ds: dict) -> list[dict]:
        selector = selector_from_label_selector(ds["spec"]["selector"])
        can_adopt = recheck_deletion_timestamp(lambda: self.fresh("daemonsets", ds), ds["metadata"]["uid"])
        candidates = self.history_informer.lister.list(ds["metadata"]["namespace"])
        return claim_objects(self.client, "controllerrevisions", ds,
                             lambda h: selector.matches(h["metadata"].get("labels")), candidates, can_adopt)

    def construct_history(self: Any, ds: dict) -> tuple[dict, list[dict]]:
        """(current revision, old revisions); creates the current one if the template is new."""
        current, old = [], []
        for history in self.controlled_histories(ds):
            if CONTROLLER_REVISION_HASH not in (history["metadata"].get("labels") or {}):
                history = thaw(history)
                history["metadata"].setdefault("labels", {})[CONTROLLER_REVISION_HASH] = history["metadata"]["name"]
                history = self.client.update(history)
            (current if match(ds, history) else old).append(history)
        revision = max([h.get("revision", 0) for h in old] or [0]) + 1
        if not current:
            return self.snapshot(ds, revision), old
        cur = self.dedup_cur_histories(ds, current)
        if cur.get("revision", 0) < revision:
            cur = thaw(cur)
            cur["revision"] = revision
            cur = self.client.update(cur)
        return cur, old

    def dedup_cur_histories(self: Any, ds: dict, histories: list[dict]) -> dict:
        if len(histories) == 1:
            return histories[0]
        keep = max(histories, key=lambda h: h.get("revision", 0))
        for h in histories:
            if h is keep:
                continue
            for pod in self.pod_informer.lister.by_index("podControllerUID", ds["metadata"]["uid"]):
                labels = pod["metadata"].get("labels") or {}
                if labels.get(CONTROLLER_REVISION_HASH) == h["metadata"]["labels"].get(CONTROLLER_REVISION_HASH):
                    patched = {"metadata": {"labels": {CONTROLLER_REVISION_HASH: keep["metadata"]["labels"][CONTROLLER_REVISION_HASH]}}}
                    self.client.patch("pods", pod["metadata"]["name"], patched, pod["metadata"]["namespace"])
            self.client.delete("controllerrevisions", h["metadata"]["name"], h["metadata"]["namespace"])
        return keep

    def snapshot(self: Any, ds: dict, revision: int) -> dict:
        """Save the current template as ControllerRevision ``<ds>-<hash>``."""
        collision = (ds.get("status") or {}).get("collisionCount")
        hash_ = compute_hash(ds["spec"]["template"], collision)
        name = controller_revision_name(ds["metadata"]["name"], hash_)
        labels = dict((ds["spec"]["template"].get("metadata") or {}).get("labels") or {})
        labels[CONTROLLER_REVISION_HASH] = hash_
        history = {"apiVersion": "apps/v1", "kind": "ControllerRevision",
                   "metadata": {"name": name, "namespace": ds["metadata"]["namespace"], "labels": labels,
                                "ownerReferences": [owner_reference(ds)]},
                   "data": get_patch(ds), "revision": revision}
        if ds["metadata"].get("annotations"):
            history["metadata"]["annotations"] = thaw(ds["metadata"]["annotations"])
        try:
            return self.client.create(history)
        except ApiError as err:
            if err.reason != "AlreadyExists":
                raise
            existing = self.client.get("controllerrevisions", name, ds["metadata"]["namespace"])
            if match(ds, existing):
                return existing
            current = self.client.get("daemonsets", ds["metadata"]["name"], ds["metadata"]["namespace"])
            if (current.get("status") or {}).get("collisionCount") == collision:
                current.setdefault("status", {})["collisionCount"] = (collision or 0) + 1
                self.client.update_status(current)
            raise

    def cleanup_history(self: Any, ds: dict, old: list[dict]) -> None:
        """Delete old revisions beyond revisionHistoryLimit that no pod uses any more."""
        limit = ds["spec"].get("revisionHistoryLimit", 10)
        to_kill = len(old) - limit
        if to_kill <= 0:
            return
        live = {(p["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH)
                for pods in self.get_nodes_to_daemon_pods(ds, include_deleted_terminal=True).values() for p in pods}
        for history in sorted(old, key=lambda h: h.get("revision", 0)):
            if to_kill <= 0:
                break
            if (history["metadata"].get("labels") or {}).get(CONTROLLER_REVISION_HASH) in live:
                continue
            self.client.delete("controllerrevisions", history["metadata"]["name"], history["metadata"]["namespace"])
            to_kill -= 1

    # -- rolling update -------------------------------------------------------------------------
    def updated_desired_node_counts(self: Any, ds: dict, nodes: list[dict],
                                    node_to_pods: dict[str, list[dict]]) -> tuple[int, int, int]:
        desired = 0
        for node in nodes:
            if node_should_run_daemon_pod(node, ds)[0]:
                desired += 1
                node_to_pods.setdefault(node["metadata"]["name"], [])
        max_unavailable, max_surge = unavailable_count(ds, desired), surge_count(ds, desired)
        if max_unavailable == 0 and max_surge == 0:
            max_unavailable = 1
        return max_surge, max_unavailable, desired

    def rolling_update(self: Any, ds: dict, nodes: list[dict], hash_: str) -> None:
        node_to_pods = self.get_nodes_to_daemon_pods(ds)
        max_surge, max_unavailable, desired = self.updated_desired_node_counts(ds, nodes, node_to_pods)
        now, min_ready = self.loop.now, ds["spec"].get("minReadySeconds") or 0
        if max_surge == 0:
            unavailable, replace, candidates = 0, [], []
            for node_name in sorted(node_to_pods):
                new, old, ok = find_updated_pods_on_node(ds, node_to_pods[node_name], hash_)
                if not ok or (old is None) == (new is None):
                    unavailable += 1  # the manage loop creates or deletes here
                elif new is not None:
                    unavailable += not is_pod_available(new, min_ready, now)
                elif not is_pod_available(old, min_ready, now):
                    replace.append(old["metadata"]["name"])
                elif unavailable < max_unavailable:
                    candidates.append(old["metadata"]["name"])
            remaining = min(max(max_unavailable - unavailable, 0), len(candidates))
            self.sync_nodes(ds, replace + candidates[:remaining], [], hash_)
            return
        self._surge_update(ds, node_to_pods, max_surge, desired, hash_)

    def _surge_update(self: Any, ds: dict, node_to_pods: dict[str, list[dict]], max_surge: int,
                      desired: int, hash_: str) -> None:
        """With maxSurge: start the new pod next to the old one; delete the old once the new is available."""
        now, min_ready = self.loop.now, ds["spec"].get("minReadySeconds") or 0
        to_delete, not_run_delete, candidates, allowed = [], [], [], []
        surge = available = 0
        for node_name in sorted(node_to_pods):
            new, old, ok = find_updated_pods_on_node(ds, node_to_pods[node_name], hash_)
            if not ok:
                surge += 1
                continue
            if (old or new) is not None and is_pod_available(old or new, min_ready, now):
                available += 1
            if old is None:
                continue
            node = self.node_informer.lister.get(node_name)
            should_run = node is not None and node_should_run_daemon_pod(node, ds)[0]
            if new is None:
                if not is_pod_available(old, min_ready, now):
                    (allowed.append(node_name) if should_run else to_delete.append(old["metadata"]["name"]))
                elif not should_run:
                    not_run_delete.append(old["metadata"]["name"])
                elif surge < max_surge:
                    candidates.append(node_name)
            elif not is_pod_available(new, min_ready, now):
                surge += 1
            else:
                to_delete.append(old["metadata"]["name"])
        deletable = min(max(available - desired, 0), len(not_run_delete))
        to_delete += not_run_delete[:deletable]
        remaining = min(max(max_surge - surge, 0), len(candidates))
        self.sync_nodes(ds, to_delete, allowed + candidates[:remaining], hash_)
