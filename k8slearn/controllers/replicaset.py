"""The ReplicaSet controller: keep exactly ``spec.replicas`` pods matching the selector alive.

Each sync counts the active pods the ReplicaSet owns (adopting matching orphans, releasing pods
whose labels no longer match) and compares with ``spec.replicas``:

* too few: create the difference (at most 500 per sync) from the pod template, with
  ``generateName: <rs>-`` and a controller ownerReference, in slow-start batches of 1, 2, 4, ...;
  each creation is an event ``SuccessfulCreate  Created pod: web-7c4b4cb947-x7k2p``;
* too many: delete the ones ranked first by :func:`controller_utils.get_pods_to_delete`
  (unscheduled before scheduled, Pending before Running, not-ready before ready, ...).

Then it writes ``status`` (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
observedGeneration). Worked example, 3 replicas and one pod already running::

    sync("default/web")  ->  create pod web-x7k2p, create pod web-9bq4z   (expect 2 creations)
    sync("default/web")  ->  nothing: the informer has not shown the 2 new pods yet
    (informer sees them)  ->  expectations met; sync counts 3 pods: only the status changes

A failed create or delete sets the condition ReplicaFailure (reason FailedCreate or FailedDelete,
message the API server's error) until a sync succeeds; a create refused because the namespace is
being terminated is not a failure. The status update retries once on a conflict, as upstream.

Simplified: the pods of one slow-start batch are created one after another, not in parallel.

Upstream: pkg/controller/replicaset/replica_set.go, replica_set_utils.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError, namespace_terminating
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import owner_reference, thaw, timestamp
from k8slearn.client.cache import meta_key, split_key
from k8slearn.controllers.active_pods_with_ranks import get_pods_to_delete
from k8slearn.controllers.base import Controller
from k8slearn.controllers.controller_ref_manager import claim_objects, recheck_deletion_timestamp
from k8slearn.controllers.controller_utils import (
    BURST_REPLICAS,
    SLOW_START_INITIAL_BATCH_SIZE,
    PodControl,
    UIDTrackingControllerExpectations,
    add_pod_controller_uid_indexer,
    filter_active_pods,
    filter_pods_by_owner,
    get_controller_of,
    label_selector_matcher,
    set_matcher,
    slow_start_batch,
    update_status_on_conflict,
)
from k8slearn.controllers.pod_util import count_pods, is_pod_ready

STATUS_UPDATE_RETRIES = 1


def pod_key(pod: dict) -> str:
    return f"{pod['metadata'].get('namespace')}/{pod['metadata']['name']}"


def calculate_status(rs: dict, pods: list[dict], now: float, error: ApiError | None = None) -> dict:
    """The status a ReplicaSet with these (claimed, active) pods should have.

    ``replicas`` counts the pods, ``fullyLabeledReplicas`` those that carry every label of the
    template, ``readyReplicas`` the Ready ones and ``availableReplicas`` those Ready for at least
    ``minReadySeconds`` (see :func:`~k8slearn.controllers.pod_util.count_pods`); zero counts are
    left out, as Go's omitempty does.

    A failed create or delete adds the condition ReplicaFailure (reason FailedCreate/FailedDelete);
    the next clean sync removes it.
    """
    template_labels = set_matcher((rs["spec"].get("template") or {}).get("metadata", {}).get("labels"))
    min_ready = rs["spec"].get("minReadySeconds") or 0
    fully_labeled, ready, available = count_pods(pods, template_labels, min_ready, now)
    status = {"replicas": len(pods)}
    for key, value in (("fullyLabeledReplicas", fully_labeled), ("readyReplicas", ready),
                       ("availableReplicas", available)):
        if value:
            status[key] = value
    conditions = [c for c in (rs.get("status") or {}).get("conditions") or ()]
    failure = next((c for c in conditions if c.get("type") == "ReplicaFailure"), None)
    if error is not None and failure is None:
        diff = len(pods) - rs["spec"].get("replicas", 1)
        reason = "FailedCreate" if diff < 0 else "FailedDelete" if diff > 0 else ""
        conditions.append({"type": "ReplicaFailure", "status": "True", "lastTransitionTime": timestamp(now),
                           "reason": reason, "message": str(error)})
    elif error is None and failure is not None:
        conditions.remove(failure)
    if conditions:
        status["conditions"] = thaw(conditions)
    return status


class ReplicaSetController(Controller):
    """Watches ReplicaSets and pods; creates and deletes pods so the counts match."""

    name = "replicaset-controller"
    kind = "ReplicaSet"

    def __init__(self, loop: Any, client: Any, informers: Any = None, burst_replicas: int = BURST_REPLICAS) -> None:
        super().__init__(loop, client, informers)
        self.burst_replicas = burst_replicas
        self.expectations = UIDTrackingControllerExpectations(lambda: loop.now)
        self.pod_control = PodControl(client, self.recorder)
        self.rs_informer = self.informers.informer("replicasets")
        self.pod_informer = self.informers.informer("pods")
        add_pod_controller_uid_indexer(self.pod_informer)
        self.rs_informer.add_event_handler(on_add=self.enqueue, on_update=self._update_rs,
                                           on_delete=self._delete_rs)
        self.pod_informer.add_event_handler(on_add=self._add_pod, on_update=self._update_pod,
                                            on_delete=self._delete_pod)

    # -- handlers: only bookkeeping and enqueueing ------------------------------------------------
    def _update_rs(self, old: dict, cur: dict) -> None:
        self.enqueue(cur)

    def _delete_rs(self, rs: dict) -> None:
        self.expectations.delete_expectations(f"{rs['metadata']['namespace']}/{rs['metadata']['name']}")
        self.enqueue(rs)

    def resolve_controller_ref(self, namespace: str, ref: dict) -> dict | None:
        return self.owner_from_ref(self.rs_informer.lister, self.kind, namespace, ref)

    def get_pod_replica_sets(self, pod: dict) -> list[dict]:
        """The ReplicaSets whose selector matches an orphan pod (candidates to adopt it)."""
        labels = pod["metadata"].get("labels")
        if not labels:
            return []
        found = []
        for rs in self.rs_informer.lister.list(pod["metadata"]["namespace"]):
            selector = rs["spec"].get("selector") or {}
            if (selector.get("matchLabels") or selector.get("matchExpressions")) and \
                    selector_from_label_selector(selector).matches(labels):
                found.append(rs)
        return found

    def _add_pod(self, pod: dict) -> None:
        if pod["metadata"].get("deletionTimestamp"):
            self._delete_pod(pod)  # already going: do not wait for its creation to be observed
            return
        ref = get_controller_of(pod)
        if ref is not None:
            rs = self.resolve_controller_ref(pod["metadata"]["namespace"], ref)
            if rs is not None:
                self.expectations.creation_observed(meta_key(rs))
                self.enqueue(rs)
            return
        for rs in self.get_pod_replica_sets(pod):
            self.enqueue(rs)

    def _update_pod(self, old: dict, cur: dict) -> None:
        if cur["metadata"].get("resourceVersion") == old["metadata"].get("resourceVersion"):
            return
        labels_changed = cur["metadata"].get("labels") != old["metadata"].get("labels")
        if cur["metadata"].get("deletionTimestamp"):
            self._delete_pod(cur)
            if labels_changed:
                self._delete_pod(old)
            return
        cur_ref, old_ref = get_controller_of(cur), get_controller_of(old)
        ref_changed = cur_ref != old_ref
        if ref_changed and old_ref is not None:
            rs = self.resolve_controller_ref(old["metadata"]["namespace"], old_ref)
            if rs is not None:
                self.enqueue(rs)
        if cur_ref is not None:
            rs = self.resolve_controller_ref(cur["metadata"]["namespace"], cur_ref)
            if rs is not None:
                self.enqueue(rs)
                min_ready = rs["spec"].get("minReadySeconds") or 0
                if min_ready and not is_pod_ready(old) and is_pod_ready(cur):
                    self.queue.add_after(meta_key(rs), min_ready + 1)
            return
        if labels_changed or ref_changed:
            for rs in self.get_pod_replica_sets(cur):
                self.enqueue(rs)

    def _delete_pod(self, pod: dict) -> None:
        ref = get_controller_of(pod)
        if ref is None:
            return
        rs = self.resolve_controller_ref(pod["metadata"]["namespace"], ref)
        if rs is None:
            return
        self.expectations.deletion_observed(meta_key(rs), pod_key(pod))
        self.enqueue(rs)


    # -- sync -------------------------------------------------------------------------------------
    def sync(self, key: str) -> None:
        namespace, name = split_key(key)
        rs = self.rs_informer.lister.get(name, namespace)
        if rs is None:
            self.expectations.delete_expectations(key)
            return
        needs_sync = self.expectations.satisfied_expectations(key)
        matches = label_selector_matcher(rs["spec"].get("selector"))
        pods = filter_active_pods(filter_pods_by_owner(self.pod_informer, rs))
        pods = self.claim_pods(rs, matches, pods)
        error = None
        if needs_sync and not rs["metadata"].get("deletionTimestamp"):
            error = self.manage_replicas(pods, rs, key)
        updated = self.update_status(rs, calculate_status(rs, pods, self.loop.now, error))
        min_ready = updated["spec"].get("minReadySeconds") or 0
        replicas = updated["spec"].get("replicas", 1)
        st = updated.get("status") or {}
        if error is None and min_ready and st.get("readyReplicas", 0) == replicas \
                and st.get("availableReplicas", 0) != replicas:
            self.queue.add_after(key, min_ready)
        if error is not None:
            raise error

    def claim_pods(self, rs: dict, matches: Any, pods: list[dict]) -> list[dict]:
        can_adopt = recheck_deletion_timestamp(lambda: self.fresh("replicasets", rs), rs["metadata"]["uid"])
        return claim_objects(self.client, "pods", rs, lambda p: matches(p["metadata"].get("labels")), pods, can_adopt)

    def manage_replicas(self, pods: list[dict], rs: dict, key: str) -> ApiError | None:
        """Create or delete pods so that ``len(pods) == spec.replicas`` (at most burst_replicas now)."""
        diff = len(pods) - rs["spec"].get("replicas", 1)
        if diff < 0:
            diff = min(-diff, self.burst_replicas)
            self.expectations.expect_creations(key, diff)
            ref = owner_reference(rs)
            template = rs["spec"]["template"]
            successes, error = slow_start_batch(diff, SLOW_START_INITIAL_BATCH_SIZE,
                                                lambda: self.create_pod_unless_namespace_terminating(template, rs, ref))
            for _ in range(diff - successes):  # skipped or failed: the informer will never show them
                self.expectations.creation_observed(key)
            return error
        if diff > 0:
            diff = min(diff, self.burst_replicas)
            victims = get_pods_to_delete(pods, self.get_indirectly_related_pods(rs), diff, self.loop.now)
            self.expectations.expect_deletions(key, [pod_key(p) for p in victims])
            error = None
            for pod in victims:
                try:
                    self.pod_control.delete_pod(rs["metadata"]["namespace"], pod["metadata"]["name"], rs)
                except ApiError as err:
                    self.expectations.deletion_observed(key, pod_key(pod))
                    if err.code != 404 and error is None:
                        error = err
            return error
        return None

    def create_pod_unless_namespace_terminating(self, template: dict, rs: dict, ref: dict) -> None:
        """The create in manageReplicas' slow-start batch: a namespace being terminated refuses every
        creation, so that refusal is not an error (no ReplicaFailure condition, no retry) and,
        as upstream, it still counts as a creation the informer is expected to show."""
        try:
            self.pod_control.create_pods(template, rs, ref)
        except ApiError as err:
            if not namespace_terminating(err):
                raise

    def get_replica_sets_with_same_controller(self, rs: dict) -> list[dict]:
        """getReplicaSetsWithSameController: every ReplicaSet whose controller has the uid of this one's
        (a Deployment's old and new sets, this one included); none for a ReplicaSet with no controller."""
        ref = get_controller_of(rs)
        if ref is None:
            return []
        return [other for other in self.rs_informer.lister.list(rs["metadata"]["namespace"])
                if (get_controller_of(other) or {}).get("uid") == ref.get("uid")]

    def get_indirectly_related_pods(self, rs: dict) -> list[dict]:
        """getIndirectlyRelatedPods: the pods each ReplicaSet with the same controller selects.

        They are listed by each ReplicaSet's label selector (not by owner), each pod once; a
        ReplicaSet whose selector is invalid selects nothing. A bare ReplicaSet has no related pods,
        so its scale-down never prefers pods that share a node (every rank is 0).
        """
        related: list[dict] = []
        seen: set[str] = set()
        for other in self.get_replica_sets_with_same_controller(rs):
            try:
                selector = selector_from_label_selector(other["spec"].get("selector"))
            except ValueError:
                continue
            for pod in self.pod_informer.lister.list(other["metadata"]["namespace"]):
                uid = pod["metadata"].get("uid", "")
                if uid not in seen and selector.matches(pod["metadata"].get("labels")):
                    seen.add(uid)
                    related.append(pod)
        return related

    def update_status(self, rs: dict, status: dict) -> dict:
        """updateReplicaSetStatus: write only if something changed; retry once with a fresh copy."""
        old = rs.get("status") or {}
        generation = rs["metadata"].get("generation", 0)
        if all(old.get(k, 0) == status.get(k, 0) for k in
               ("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas")) \
                and old.get("observedGeneration", 0) == generation and old.get("conditions") == status.get("conditions"):
            return rs
        new_status = dict(status)
        new_status["observedGeneration"] = generation
        if "conditions" in new_status:  # keep Go's field order: conditions last
            new_status["conditions"] = new_status.pop("conditions")
        return update_status_on_conflict(self.client, "replicasets", rs, lambda current: new_status,
                                         STATUS_UPDATE_RETRIES)
