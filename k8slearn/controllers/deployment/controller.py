"""The Deployment controller: handlers, the claim of ReplicaSets, and the sync dispatch.

``sync(key)`` (syncDeployment) reads the Deployment, claims its ReplicaSets (adopting orphans
whose labels match, releasing ones that no longer match) and then does exactly one of:

* deleting → only recompute status;
* paused, or a scaling event (``spec.replicas`` differs from the ReplicaSets'
  ``desired-replicas`` annotation) → scale the ReplicaSets proportionally (:mod:`.sync`);
* otherwise roll out with the strategy: ``RollingUpdate`` (:mod:`.rolling`) or ``Recreate``
  (:mod:`.recreate`), then write status and conditions (:mod:`.progress`).

Simplified: the pods are only looked up for Recreate (the only strategy that reads them); the deprecated ``deprecated.deployment.rollback.to`` annotation is ignored (kubectl
rolls back by copying the old template, see :mod:`.history`); after a status write the
controller goes on with the new resourceVersion instead of hitting a conflict and retrying.

Upstream: pkg/controller/deployment/deployment_controller.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import thaw
from k8slearn.client.cache import split_key
from k8slearn.controllers.base import Controller
from k8slearn.controllers.controller_ref_manager import claim_objects, recheck_deletion_timestamp
from k8slearn.controllers.controller_utils import (
    add_pod_controller_uid_indexer,
    get_controller_of,
    label_selector_matcher,
)
from k8slearn.controllers.deployment.progress import ProgressMixin
from k8slearn.controllers.deployment.recreate import RecreateMixin
from k8slearn.controllers.deployment.rolling import RollingMixin
from k8slearn.controllers.deployment.sync import SyncMixin

SELECTING_ALL_MSG = "This deployment is selecting all pods. A non-empty selector is required."


def _empty_selector(selector: Any) -> bool:
    return not selector or not (selector.get("matchLabels") or selector.get("matchExpressions"))


class DeploymentController(SyncMixin, RollingMixin, RecreateMixin, ProgressMixin, Controller):
    """Watches Deployments, ReplicaSets and pods; drives ReplicaSets toward the Deployment's template."""

    name = "deployment-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.d_informer = self.informers.informer("deployments")
        self.rs_informer = self.informers.informer("replicasets")
        self.pod_informer = self.informers.informer("pods")
        add_pod_controller_uid_indexer(self.pod_informer)
        self._stuck_timers: dict[str, Any] = {}
        self.d_informer.add_event_handler(on_add=self.enqueue, on_update=lambda old, cur: self.enqueue(cur),
                                          on_delete=self.enqueue)
        self.rs_informer.add_event_handler(on_add=self._add_rs, on_update=self._update_rs,
                                           on_delete=self._delete_rs)
        self.pod_informer.add_event_handler(on_delete=self._delete_pod)

    # -- handlers ---------------------------------------------------------------------------------
    def resolve_controller_ref(self, namespace: str, ref: dict) -> dict | None:
        return self.owner_from_ref(self.d_informer.lister, "Deployment", namespace, ref)

    def get_deployments_for_replica_set(self, rs: dict) -> list[dict]:
        labels = rs["metadata"].get("labels")
        if not labels:
            return []
        return [d for d in self.d_informer.lister.list(rs["metadata"]["namespace"])
                if not _empty_selector(d["spec"].get("selector"))
                and selector_from_label_selector(d["spec"]["selector"]).matches(labels)]

    def _add_rs(self, rs: dict) -> None:
        if rs["metadata"].get("deletionTimestamp"):
            self._delete_rs(rs)
            return
        ref = get_controller_of(rs)
        if ref is not None:
            d = self.resolve_controller_ref(rs["metadata"]["namespace"], ref)
            if d is not None:
                self.enqueue(d)
            return
        for d in self.get_deployments_for_replica_set(rs):
            self.enqueue(d)

    def _update_rs(self, old: dict, cur: dict) -> None:
        if cur["metadata"].get("resourceVersion") == old["metadata"].get("resourceVersion"):
            return
        cur_ref, old_ref = get_controller_of(cur), get_controller_of(old)
        ref_changed = cur_ref != old_ref
        if ref_changed and old_ref is not None:
            d = self.resolve_controller_ref(old["metadata"]["namespace"], old_ref)
            if d is not None:
                self.enqueue(d)
        if cur_ref is not None:
            d = self.resolve_controller_ref(cur["metadata"]["namespace"], cur_ref)
            if d is not None:
                self.enqueue(d)
            return
        if ref_changed or cur["metadata"].get("labels") != old["metadata"].get("labels"):
            for d in self.get_deployments_for_replica_set(cur):
                self.enqueue(d)

    def _delete_rs(self, rs: dict) -> None:
        ref = get_controller_of(rs)
        if ref is not None:
            d = self.resolve_controller_ref(rs["metadata"]["namespace"], ref)
            if d is not None:
                self.enqueue(d)

    def _delete_pod(self, pod: dict) -> None:
        """Recreate waits for every old pod to be gone: the last one going wakes the Deployment."""
        ref = get_controller_of(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        rs = self.rs_informer.lister.get(ref["name"], pod["metadata"]["namespace"])
        rs_ref = get_controller_of(rs) if rs is not None and rs["metadata"]["uid"] == ref.get("uid") else None
        d = self.resolve_controller_ref(pod["metadata"]["namespace"], rs_ref) if rs_ref else None
        if d is None or ((d["spec"].get("strategy") or {}).get("type")) != "Recreate":
            return
        rs_list = self._owned_replica_sets(d)
        if not any(self.get_pod_map_for_deployment(d, rs_list).values()):
            self.enqueue(d)

    # -- sync -------------------------------------------------------------------------------------
    def sync(self, key: str) -> None:
        """syncDeployment: claim, then pause/scale, or roll out with the Deployment's strategy."""
        namespace, name = split_key(key)
        cached = self.d_informer.lister.get(name, namespace)
        if cached is None:
            self._cancel_stuck_timer(key)
            return
        d = thaw(cached)
        if _empty_selector(d["spec"].get("selector")):
            self.recorder.event(d, "Warning", "SelectingAll", SELECTING_ALL_MSG)
            status = d.setdefault("status", {})
            if status.get("observedGeneration", 0) < d["metadata"].get("generation", 0):
                status["observedGeneration"] = d["metadata"]["generation"]
                self.client.update_status(d)
            return
        rs_list = self.get_replica_sets_for_deployment(d)
        if d["metadata"].get("deletionTimestamp"):
            self.sync_status_only(d, rs_list)
            return
        self.check_paused_conditions(d)
        if d["spec"].get("paused"):
            self.sync_scale_or_pause(d, rs_list)
            return
        if self.is_scaling_event(d, rs_list):
            self.sync_scale_or_pause(d, rs_list)
            return
        if (d["spec"].get("strategy") or {}).get("type") == "Recreate":
            self.rollout_recreate(d, rs_list, self.get_pod_map_for_deployment(d, rs_list))
        else:
            self.rollout_rolling(d, rs_list)

    def _owned_replica_sets(self, d: dict) -> list[dict]:
        uid = d["metadata"]["uid"]
        return [rs for rs in self.rs_informer.lister.list(d["metadata"]["namespace"])
                if (get_controller_of(rs) or {}).get("uid") == uid]

    def get_replica_sets_for_deployment(self, d: dict) -> list[dict]:
        """ClaimReplicaSets: ours that match, plus matching orphans (adopted); others released."""
        matches = label_selector_matcher(d["spec"]["selector"])
        can_adopt = recheck_deletion_timestamp(lambda: self.fresh("deployments", d), d["metadata"]["uid"])
        candidates = self.rs_informer.lister.list(d["metadata"]["namespace"])
        return claim_objects(self.client, "replicasets", d, lambda rs: matches(rs["metadata"].get("labels")),
                             candidates, can_adopt)

    def get_pod_map_for_deployment(self, d: dict, rs_list: list[dict]) -> dict[str, list[dict]]:
        """Pods matching the Deployment's selector, grouped by the UID of the ReplicaSet controlling them."""
        matches = label_selector_matcher(d["spec"]["selector"])
        pods: dict[str, list[dict]] = {}
        for rs in rs_list:
            uid = rs["metadata"]["uid"]
            pods[uid] = [p for p in self.pod_informer.lister.by_index("podControllerUID", uid)
                         if matches(p["metadata"].get("labels"))]
        return pods
