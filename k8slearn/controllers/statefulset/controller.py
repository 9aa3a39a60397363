"""The StatefulSet controller: pods with stable names, made and replaced in ordinal order.

It watches StatefulSets, their pods and ControllerRevisions. Handlers only enqueue the set's
``namespace/name``; ``sync(key)`` then adopts orphaned revisions, claims the pods named
``<set>-<n>`` that match the selector (adopting orphans, releasing pods that stopped matching),
and hands them to :class:`StatefulSetControl`. A watch of ``kubectl get pods -w`` on a new
3-replica set with the default ``podManagementPolicy: OrderedReady`` shows::

    web-0 Pending -> Running (Ready)  then  web-1 Pending -> Running (Ready)  then  web-2 ...

A pod's becoming Ready is what wakes the controller to create the next one. With
``minReadySeconds`` the set is synced again that many seconds (+1) after a pod turns Ready, and
after each sync that left pods not yet available, so ``availableReplicas`` catches up.

Upstream keeps no expectations for StatefulSets: a sync trusts its informer cache, which has
seen the previous sync's writes by the time the next sync starts because each write is a round
trip. API requests here take no simulated time, so a sync that wrote keeps the worker
``API_ROUND_TRIP`` (the API server's watch delay) before it takes the next key; without it a
second sync of the same key would delete ``web-2`` again before its watch event came back
(``delete Pod web-2 ... (x2 over 0s)`` in ``kubectl describe sts``).

It reads PersistentVolumeClaims from their informer too: each pod's claims
(``volumeClaimTemplates``) are created before the pod.

Simplified: no alpha maxUnavailable. Could not confirm
against the exact v1.32 tag: the source read is of the v1.31-v1.32 era (typed workqueue,
isHealthy-gated rolling update), not the tagged release.

Upstream: pkg/controller/statefulset/stateful_set.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.labels import selector_from_label_selector
from k8slearn.client.cache import meta_key, split_key
from k8slearn.controllers.base import Controller, Requeue
from k8slearn.controllers.controller_ref_manager import claim_objects, recheck_deletion_timestamp
from k8slearn.controllers.controller_utils import (
    add_pod_controller_uid_indexer,
    filter_pods_by_owner,
    get_controller_of,
)
from k8slearn.controllers.history import History
from k8slearn.controllers.pod_util import is_pod_ready
from k8slearn.controllers.statefulset.control import StatefulSetControl
from k8slearn.controllers.statefulset.pod_control import StatefulPodControl
from k8slearn.controllers.statefulset.utils import is_member_of, replicas_of

class StatefulSetController(Controller):
    """Watches StatefulSets, pods and ControllerRevisions; ``sync`` runs the ordered control loop."""

    name = "statefulset-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.set_informer = self.informers.informer("statefulsets")
        self.pod_informer = self.informers.informer("pods")
        self.revision_informer = self.informers.informer("controllerrevisions")
        self.claim_informer = self.informers.informer("persistentvolumeclaims")
        add_pod_controller_uid_indexer(self.pod_informer)
        self.history = History(client, self.revision_informer.lister)
        pod_control = StatefulPodControl(client, self.recorder, self.claim_informer.lister)
        self.control = StatefulSetControl(pod_control, self.history, client, lambda: loop.now)
        self.set_informer.add_event_handler(on_add=self.enqueue, on_update=lambda old, cur: self.enqueue(cur),
                                            on_delete=self.enqueue)
        self.pod_informer.add_event_handler(on_add=self._add_pod, on_update=self._update_pod,
                                            on_delete=self._delete_pod)

    # -- handlers ---------------------------------------------------------------------------------
    def resolve_controller_ref(self, namespace: str, ref: dict | None) -> dict | None:
        return self.owner_from_ref(self.set_informer.lister, "StatefulSet", namespace, ref)

    def get_stateful_sets_for_pod(self, pod: dict) -> list[dict]:
        labels = pod["metadata"].get("labels")
        if not labels:
            return []
        return [s for s in self.set_informer.lister.list(pod["metadata"]["namespace"])
                if (s["spec"].get("selector") or {})
                and selector_from_label_selector(s["spec"]["selector"]).matches(labels)]

    def _add_pod(self, pod: dict) -> None:
        if pod["metadata"].get("deletionTimestamp"):
            self._delete_pod(pod)
            return
        ref = get_controller_of(pod)
        if ref is not None:
            sts = self.resolve_controller_ref(pod["metadata"]["namespace"], ref)
            if sts is not None:
                self.enqueue(sts)
            return
        for sts in self.get_stateful_sets_for_pod(pod):
            self.enqueue(sts)

    def _update_pod(self, old: dict, cur: dict) -> None:
        if cur["metadata"].get("resourceVersion") == old["metadata"].get("resourceVersion"):
            return
        cur_ref, old_ref = get_controller_of(cur), get_controller_of(old)
        if cur_ref != old_ref and old_ref is not None:
            previous = self.resolve_controller_ref(old["metadata"]["namespace"], old_ref)
            if previous is not None:
                self.enqueue(previous)
        if cur_ref is not None:
            sts = self.resolve_controller_ref(cur["metadata"]["namespace"], cur_ref)
            if sts is None:
                return
            self.enqueue(sts)
            min_ready = sts["spec"].get("minReadySeconds") or 0
            if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(cur):
                self.queue.add_after(meta_key(sts), min_ready + 1)  # +1 s against clock skew, as upstream
            return
        if cur_ref != old_ref or cur["metadata"].get("labels") != old["metadata"].get("labels"):
            for sts in self.get_stateful_sets_for_pod(cur):
                self.enqueue(sts)

    def _delete_pod(self, pod: dict) -> None:
        sts = self.resolve_controller_ref(pod["metadata"]["namespace"], get_controller_of(pod))
        if sts is not None:
            self.enqueue(sts)

    # -- the worker -------------------------------------------------------------------------------
    def _worker(self):
        """processNextWorkItem, then the round trip of the sync's writes (see the module doc)."""
        return self.queue_worker(self.queue, self.sync, "sync failed", writes=self.control.writes)

    # -- sync -------------------------------------------------------------------------------------
    def sync(self, key: str) -> None:
        namespace, name = split_key(key)
        sts = self.set_informer.lister.get(name, namespace)
        if sts is None:
            return
        selector = selector_from_label_selector(sts["spec"].get("selector"))
        can_adopt = recheck_deletion_timestamp(lambda: self.fresh("statefulsets", sts),
                                               sts["metadata"]["uid"])
        revisions = self.adopt_orphan_revisions(sts, selector.matches, can_adopt)
        pods = self.get_pods_for_stateful_set(sts, selector.matches, can_adopt)
        status = self.control.update_stateful_set(sts, pods, revisions)
        min_ready = sts["spec"].get("minReadySeconds") or 0
        if min_ready > 0 and status and status.get("availableReplicas", 0) != replicas_of(sts):
            # A Ready pod becomes available once minReadySeconds pass: settle() waits for that; a
            # pod that is not Ready (crash-looping, never scheduled) may never be: it does not.
            waiting = status.get("readyReplicas", 0) > status.get("availableReplicas", 0)
            self.queue.add_after(key, min_ready, background=not waiting)

    def adopt_orphan_revisions(self, sts: dict, matches: Any, can_adopt: Any) -> list[dict]:
        """The set's revisions (matching its selector), orphans adopted first."""
        revisions = self.history.list_controller_revisions(sts, matches)
        orphans = [r for r in revisions if get_controller_of(r) is None]
        if orphans:
            if not can_adopt():
                raise Requeue(f"can't adopt ControllerRevisions: StatefulSet {meta_key(sts)} "
                              "is gone or being deleted")
            adopted = {r["metadata"]["name"]: self.history.adopt_controller_revision(sts, r) for r in orphans}
            revisions = [adopted.get(r["metadata"]["name"], r) for r in revisions]
        return revisions

    def get_pods_for_stateful_set(self, sts: dict, matches: Any, can_adopt: Any) -> list[dict]:
        """Claimed pods: ours (or orphans) that match the selector and are named ``<set>-<n>``."""
        return claim_objects(self.client, "pods", sts,
                             lambda p: matches(p["metadata"].get("labels")) and is_member_of(sts, p),
                             filter_pods_by_owner(self.pod_informer, sts), can_adopt)
