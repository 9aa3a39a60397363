"""The StatefulSet's reconcile step: revisions, then pods in ordinal order, then the rolling update.

``update_stateful_set(sts, pods)`` does, in order:

1. **Revisions.** The current template is saved as ControllerRevision ``web-<hash>`` (or an
   older equal one is renumbered: a rollback). ``status.updateRevision`` names it;
   ``status.currentRevision`` stays the one the pods were made from until a rollout completes.
2. **Replicas** ``web-0 .. web-(n-1)`` (from ``spec.ordinals.start``). With ``OrderedReady`` (the
   default) they are handled one at a time in ordinal order and the sync stops at the first that
   is missing (it is created), terminating, or not Running and Ready (and available for
   ``minReadySeconds``); so web-1 is created only once web-0 is Ready. A Failed or Succeeded pod
   is deleted and comes back, same name, on a later sync. With ``Parallel`` all are created at
   once (in slow-start batches 1, 2, 4, ...) and nothing waits. A Pending pod whose claim was
   deleted meanwhile gets it made again (else it could never be scheduled).
3. **Condemned** pods, ordinals beyond the range, are deleted from the highest down: with
   OrderedReady one per sync, each once every replica is healthy.
4. **RollingUpdate**: from the highest ordinal down to ``partition``, the first pod not on the
   update revision is deleted (step 2 recreates it from the new template); a pod that is not
   healthy yet stops the walk. ``OnDelete`` stops before this: pods change only when deleted.

Then the status is written if it changed, and revisions beyond ``revisionHistoryLimit`` that no
pod and neither status revision uses are deleted, oldest first.

Step 2 and 3 start by sorting the pods: one per ordinal in range (a new, not yet created pod
where one is missing) and the condemned ones, highest ordinal first. With 2 replicas, web-0
and web-3 existing:

>>> sts = {"apiVersion": "apps/v1", "kind": "StatefulSet",
...        "metadata": {"name": "web", "namespace": "default", "uid": "u"},
...        "spec": {"replicas": 2, "updateStrategy": {"type": "OnDelete"},
...                 "template": {"metadata": {"labels": {"app": "web"}}, "spec": {}}}}
>>> existing = [{"metadata": {"name": n}, "status": {"phase": "Running"}} for n in ("web-3", "web-0")]
>>> replicas, condemned = replicas_and_condemned(sts, existing, sts, sts, "web-a", "web-a")
>>> [(p["metadata"]["name"], is_created(p)) for p in replicas], [p["metadata"]["name"] for p in condemned]
([('web-0', True), ('web-1', False)], ['web-3'])

Between steps 2 and 3, the claims of condemned pods get the owners ``persistentVolumeClaimRetentionPolicy``
wants; a pod is created after its claims (see ``pod_control``).

Simplified: the alpha
``maxUnavailable`` (feature gate MaxUnavailableStatefulSet, off in v1.32) is not modelled; a
status update that conflicts is retried on a fresh read, not from the lister.

Upstream: pkg/controller/statefulset/stateful_set_control.go, stateful_set_status_updater.go
(v1.32: isHealthy gates the rolling update; processCondemned waits for Running and Ready)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.controllers.controller_utils import slow_start_batch, update_status_on_conflict
from k8slearn.controllers.history import (
    History,
    find_equal_revisions,
    next_revision,
    sort_controller_revisions,
)
from k8slearn.controllers.statefulset.pod_control import StatefulPodControl
from k8slearn.controllers.statefulset.utils import (
    allows_burst,
    apply_revision,
    complete_rolling_update,
    get_ordinal,
    get_pod_revision,
    get_start_ordinal,
    identity_matches,
    inconsistent_status,
    is_created,
    is_failed,
    is_healthy,
    is_pending,
    is_running_and_available,
    is_running_and_ready,
    is_succeeded,
    is_terminating,
    new_revision,
    new_versioned_stateful_set_pod,
    pod_in_ordinal_range,
    replicas_of,
    storage_matches,
)

# StatefulSetStatus fields the typed encoding leaves out when zero (omitempty).
_OMIT_EMPTY = ("observedGeneration", "readyReplicas", "currentReplicas", "updatedReplicas",
               "currentRevision", "updateRevision")


def compute_replica_status(pods: list[dict], min_ready_seconds: int, now: float, current: str,
                           update: str) -> dict:
    """replicas, readyReplicas, availableReplicas, currentReplicas, updatedReplicas over ``pods``."""
    counts = dict.fromkeys(("replicas", "readyReplicas", "availableReplicas", "currentReplicas",
                            "updatedReplicas"), 0)
    for pod in pods:
        created = is_created(pod)
        counts["replicas"] += created
        if is_running_and_ready(pod):
            counts["readyReplicas"] += 1
            counts["availableReplicas"] += is_running_and_available(pod, min_ready_seconds, now)
        if created and not is_terminating(pod):
            revision = get_pod_revision(pod)
            counts["currentReplicas"] += revision == current
            counts["updatedReplicas"] += revision == update
    return counts


def replicas_and_condemned(sts: dict, pods: list[dict], current_set: dict, update_set: dict, current: str,
                           update: str) -> tuple[list[dict], list[dict]]:
    """(one pod per ordinal in range, a new unsaved one where missing; the pods beyond, highest first)."""
    start, count = get_start_ordinal(sts), replicas_of(sts)
    replicas: list = [None] * count
    condemned = []
    for pod in pods:
        if pod_in_ordinal_range(pod, sts):
            replicas[get_ordinal(pod) - start] = pod
        elif get_ordinal(pod) >= 0:
            condemned.append(pod)
    for i in range(count):
        if replicas[i] is None:
            replicas[i] = new_versioned_stateful_set_pod(current_set, update_set, current, update, start + i)
    condemned.sort(key=get_ordinal, reverse=True)
    return replicas, condemned


class StatefulSetControl:
    """defaultStatefulSetControl: the ordered create / delete / update of one set's pods."""

    def __init__(self, pod_control: StatefulPodControl, history: History, client: Any,
                 clock: Callable[[], float]) -> None:
        self.pod_control = pod_control
        self.history = history
        self.client = client
        self.clock = clock
        self.status_writes = 0

    def writes(self) -> int:
        """How many pod and status writes this control has sent: a sync wrote if it went up."""
        return self.pod_control.writes + self.status_writes

    # -- entry point ------------------------------------------------------------------------------
    def update_stateful_set(self, sts: dict, pods: list[dict], revisions: list[dict]) -> dict | None:
        """Reconcile ``sts`` with its (claimed) pods; returns the status it computed."""
        revisions = sort_controller_revisions(revisions)
        current = update = None
        try:
            current, update, collision_count = self.get_stateful_set_revisions(sts, revisions)
            status = self.perform_update(sts, current, update, collision_count, pods)
        finally:
            self.truncate_history(sts, pods, revisions, current, update)
        return status

    def perform_update(self, sts: dict, current: dict, update: dict, collision_count: int,
                       pods: list[dict]) -> dict:
        status: dict = {}
        try:
            self.update_pods(sts, current, update, collision_count, pods, status)
        finally:
            if status:
                self.update_stateful_set_status(sts, status)
        return status

    # -- revisions --------------------------------------------------------------------------------
    def get_stateful_set_revisions(self, sts: dict, revisions: list[dict]) -> tuple[dict, dict, int]:
        """(current revision, update revision, collision count); may create or renumber one."""
        collision_count = (sts.get("status") or {}).get("collisionCount") or 0
        update = new_revision(sts, next_revision(revisions), collision_count)
        equal = find_equal_revisions(revisions, update)
        if equal and revisions[-1] is equal[-1]:
            update = revisions[-1]  # the template has not changed
        elif equal:
            update = self.history.update_controller_revision(equal[-1], update["revision"])  # a rollback
        else:
            update, collision_count = self.history.create_controller_revision(sts, update, collision_count)
        current_name = (sts.get("status") or {}).get("currentRevision")
        current = next((r for r in revisions if r["metadata"]["name"] == current_name), update)
        return current, update, collision_count

    def truncate_history(self, sts: dict, pods: list[dict], revisions: list[dict], current: dict | None,
                         update: dict | None) -> None:
        """Delete the oldest revisions beyond the limit that no pod and neither status revision uses."""
        live = {get_pod_revision(p) for p in pods}
        live.update(r["metadata"]["name"] for r in (current, update) if r is not None)
        history = [r for r in revisions if r["metadata"]["name"] not in live]
        limit = sts["spec"].get("revisionHistoryLimit", 10)
        for revision in history[:max(len(history) - limit, 0)]:
            self.history.delete_controller_revision(revision)

    # -- pods -------------------------------------------------------------------------------------
    def update_pods(self, sts: dict, current: dict, update: dict, collision_count: int, pods: list[dict],
                    status: dict) -> None:
        """updateStatefulSet: fills ``status`` and makes at most the writes the policy allows."""
        now, min_ready = self.clock(), sts["spec"].get("minReadySeconds") or 0
        cur, upd = current["metadata"]["name"], update["metadata"]["name"]
        status.update({"observedGeneration": sts["metadata"].get("generation", 0), "currentRevision": cur,
                       "updateRevision": upd, "collisionCount": collision_count})
        status.update(compute_replica_status(pods, min_ready, now, cur, upd))
        current_set, update_set = apply_revision(sts, current), apply_revision(sts, update)
        replicas, condemned = replicas_and_condemned(sts, pods, current_set, update_set, cur, upd)
        first_unhealthy = next((p for p in replicas + condemned[::-1] if not is_healthy(p)), None)
        if sts["metadata"].get("deletionTimestamp"):
            return
        monotonic = not allows_burst(sts)

        def replica(i: int) -> bool:
            return self.process_replica(sts, update_set, monotonic, replicas, i)

        def condemn(i: int) -> bool:
            return self.process_condemned(sts, first_unhealthy, monotonic, condemned, i)

        def fix_pod_claim(i: int) -> bool:
            """Condemned pods' claims get the owners the policy wants (whenScaled: Delete → the pod)."""
            if not self.pod_control.claims_match_retention_policy(update_set, condemned[i]):
                self.pod_control.update_pod_claim_for_retention_policy(update_set, condemned[i])
            return False

        try:
            if self.run_for_all(replicas, replica, monotonic):
                return
            if self.run_for_all(condemned, fix_pod_claim, monotonic):
                return
            if self.run_for_all(condemned, condemn, monotonic):
                return
        finally:
            status.update(compute_replica_status(replicas + condemned, min_ready, now, cur, upd))
        strategy = sts["spec"].get("updateStrategy") or {}
        if strategy.get("type") == "OnDelete":
            return  # pods change only when someone deletes them
        partition = int((strategy.get("rollingUpdate") or {}).get("partition") or 0)
        self.rolling_update(sts, replicas, upd, partition, status)

    @staticmethod
    def run_for_all(pods: list, fn: Callable[[int], bool], monotonic: bool) -> bool:
        """In order, stopping at the first that blocks (OrderedReady); or all at once (Parallel).
        True if the caller should stop here."""
        if monotonic:
            return any(fn(i) for i in range(len(pods)))
        it = iter(range(len(pods)))
        _, err = slow_start_batch(len(pods), 1, lambda: fn(next(it)))
        if err is not None:
            raise err
        return False

    def process_replica(self, sts: dict, update_set: dict, monotonic: bool, replicas: list, i: int) -> bool:
        """One replica: recreate it if it failed, create it if missing, else wait for it (monotonic)."""
        pod = replicas[i]
        if is_failed(pod) or is_succeeded(pod):
            if not is_terminating(pod):
                self.pod_control.delete_stateful_pod(sts, pod)
            return True  # the new pod comes on the next sync, once the old one is gone
        if not is_created(pod):
            if self.pod_control.pod_claim_is_stale(sts, pod):
                return True  # an older web-N's claim is still being deleted: no more work this round
            self.pod_control.create_stateful_pod(sts, pod)
            if monotonic:
                return True
        if is_pending(pod):
            self.pod_control.create_missing_persistent_volume_claims(sts, pod)  # a claim deleted meanwhile
        if monotonic and (is_terminating(pod) or not is_running_and_ready(pod)
                          or not is_running_and_available(pod, sts["spec"].get("minReadySeconds") or 0,
                                                          self.clock())):
            return True
        if not (identity_matches(sts, pod) and storage_matches(sts, pod)
                and self.pod_control.claims_match_retention_policy(update_set, pod)):
            self.pod_control.update_stateful_pod(update_set, pod)
        return False

    def process_condemned(self, sts: dict, first_unhealthy: dict | None, monotonic: bool, condemned: list,
                          i: int) -> bool:
        """One pod beyond the range: delete it (monotonic: only once the others are healthy)."""
        pod = condemned[i]
        if is_terminating(pod):
            return monotonic
        min_ready = sts["spec"].get("minReadySeconds") or 0
        if monotonic and pod is not first_unhealthy and (
                not is_running_and_ready(pod) or not is_running_and_available(pod, min_ready, self.clock())):
            return True
        self.pod_control.delete_stateful_pod(sts, pod)
        return True

    def rolling_update(self, sts: dict, replicas: list, update_revision: str, partition: int,
                       status: dict) -> None:
        """From the highest ordinal down to the partition: delete the first pod on an old revision."""
        for target in range(len(replicas) - 1, partition - 1, -1):
            pod = replicas[target]
            if get_pod_revision(pod) != update_revision and not is_terminating(pod):
                try:
                    self.pod_control.delete_stateful_pod(sts, pod)
                except ApiError as err:
                    if err.code != 404:
                        raise
                status["currentReplicas"] -= 1
                return
            if not is_healthy(pod):
                return  # wait for the pod being updated

    # -- status -----------------------------------------------------------------------------------
    def update_stateful_set_status(self, sts: dict, status: dict) -> None:
        """Write ``status`` (after completing a finished rollout) if it differs from the stored one."""
        complete_rolling_update(sts, status)
        if not inconsistent_status(sts, status):
            return
        body = {k: v for k, v in status.items() if not (k in _OMIT_EMPTY and not v)}
        self.status_writes += 1
        update_status_on_conflict(self.client, "statefulsets", sts, lambda current: body)
