"""Deployment sync: find or create the new ReplicaSet, scale ReplicaSets, clean up old ones.

The new ReplicaSet is ``<deployment>-<pod-template-hash>``: the hash of the pod template (and of
``status.collisionCount`` if a name ever collided), also added as the ``pod-template-hash`` label
to its selector and template so its pods never mix with another revision's. Each new template
gets the next revision number (``deployment.kubernetes.io/revision``); going back to an old
template re-uses that old ReplicaSet with a new revision.

Scaling a Deployment in the middle of a rollout spreads the change over the ReplicaSets in
proportion to their size (``desired-replicas`` / ``max-replicas`` annotations remember what each
ReplicaSet was sized for). Worked example: mid-rollout, old has 8 pods and new 5, both sized for
``max-replicas: 13`` (10 + surge 3). Scaling to 15 allows 15 + 4 = 19 pods, 6 more; each gets
``round(size * 19 / 13) - size`` of them, biggest first: old 8 → 12, new 5 → 7.

Upstream: pkg/controller/deployment/sync.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError, namespace_terminating
from k8slearn.api.meta import owner_reference, thaw
from k8slearn.controllers.controller_utils import compute_hash, get_controller_of
from k8slearn.controllers.deployment import util
from k8slearn.controllers.deployment.util import replicas


def calculate_status(all_rss: list[dict | None], new_rs: dict | None, d: dict, now: float) -> dict:
    """The status a Deployment with these ReplicaSets has: counts and the Available condition."""
    available = util.get_available_replica_count(all_rss)
    total = util.get_replica_count(all_rss)
    status: dict = {"observedGeneration": d["metadata"].get("generation", 0),
                    "replicas": util.get_actual_replica_count(all_rss),
                    "updatedReplicas": util.get_actual_replica_count([new_rs]),
                    "readyReplicas": util.get_ready_replica_count(all_rss),
                    "availableReplicas": available,
                    "unavailableReplicas": max(total - available, 0)}
    status = {k: v for k, v in status.items() if v}
    old = d.get("status") or {}
    if old.get("conditions"):
        status["conditions"] = thaw(old["conditions"])
    if old.get("collisionCount") is not None:
        status["collisionCount"] = old["collisionCount"]
    if available >= replicas(d) - util.max_unavailable(d):
        cond = util.new_condition("Available", "True", util.MINIMUM_REPLICAS_AVAILABLE,
                                  "Deployment has minimum availability.", now)
    else:
        cond = util.new_condition("Available", "False", util.MINIMUM_REPLICAS_UNAVAILABLE,
                                  "Deployment does not have minimum availability.", now)
    util.set_condition(status, cond)
    return status


class SyncMixin:
    """Methods of DeploymentController shared by every strategy."""

    client: Any
    loop: Any
    recorder: Any

    # -- status writes ------------------------------------------------------------------------------
    def update_deployment_status(self, d: dict) -> dict:
        """PUT /status; ``d`` goes on with the new resourceVersion."""
        updated = self.client.update_status(d)
        d["metadata"]["resourceVersion"] = updated["metadata"]["resourceVersion"]
        return updated

    def check_paused_conditions(self, d: dict) -> None:
        """Progressing=Unknown DeploymentPaused / DeploymentResumed when ``spec.paused`` flips."""
        if not util.has_progress_deadline(d):
            return
        status = d.setdefault("status", {})
        cond = util.get_condition(status, "Progressing")
        if cond is not None and cond.get("reason") == util.TIMED_OUT:
            return
        paused_exists = cond is not None and cond.get("reason") == util.PAUSED_DEPLOY
        if d["spec"].get("paused") and not paused_exists:
            new = util.new_condition("Progressing", "Unknown", util.PAUSED_DEPLOY, "Deployment is paused",
                                     self.loop.now)
        elif not d["spec"].get("paused") and paused_exists:
            new = util.new_condition("Progressing", "Unknown", util.RESUMED_DEPLOY, "Deployment is resumed",
                                     self.loop.now)
        else:
            return
        util.set_condition(status, new)
        self.update_deployment_status(d)

    def sync_status_only(self, d: dict, rs_list: list[dict]) -> None:
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        self.sync_deployment_status(old_rss + [new_rs], new_rs, d)

    def sync_scale_or_pause(self, d: dict, rs_list: list[dict]) -> None:
        """Upstream ``sync``: a scaling event or a paused Deployment: scale, clean up, write status."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        self.scale(d, new_rs, old_rss)
        if d["spec"].get("paused"):
            self.cleanup_deployment(old_rss, d)
        self.sync_deployment_status(old_rss + [new_rs], new_rs, d)

    def sync_deployment_status(self, all_rss: list[dict | None], new_rs: dict | None, d: dict) -> None:
        status = calculate_status(all_rss, new_rs, d, self.loop.now)
        if (d.get("status") or {}) == status:
            return
        d["status"] = status
        self.update_deployment_status(d)

    def is_scaling_event(self, d: dict, rs_list: list[dict]) -> bool:
        """An active ReplicaSet was sized for a different ``spec.replicas``."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        for rs in util.filter_active_replica_sets(old_rss + [new_rs]):
            desired = util.get_desired_replicas_annotation(rs)
            if desired is not None and desired != replicas(d):
                return True
        return False

    # -- the new ReplicaSet -------------------------------------------------------------------------
    def get_all_replica_sets_and_sync_revision(self, d: dict, rs_list: list[dict],
                                               create: bool) -> tuple[dict | None, list[dict]]:
        _, all_old = util.find_old_replica_sets(d, rs_list)
        new_rs = self.get_new_replica_set(d, rs_list, all_old, create)
        return new_rs, all_old

    def get_new_replica_set(self, d: dict, rs_list: list[dict], old_rss: list[dict], create: bool) -> dict | None:
        """Sync the existing new ReplicaSet's revision, or create it (``<name>-<hash>``)."""
        existing = util.find_new_replica_set(d, rs_list)
        new_revision = str(util.max_revision(old_rss) + 1)
        status = d.setdefault("status", {})
        if existing is not None:
            rs = thaw(existing)
            annotations_updated = util.set_new_replica_set_annotations(d, rs, new_revision, True)
            min_ready = d["spec"].get("minReadySeconds") or 0
            if annotations_updated or (rs["spec"].get("minReadySeconds") or 0) != min_ready:
                rs["spec"]["minReadySeconds"] = min_ready
                if not min_ready:
                    del rs["spec"]["minReadySeconds"]  # omitempty, as the Go client sends it
                return self.client.update(rs)
            needs_update = util.set_deployment_revision(d, rs["metadata"]["annotations"].get(util.REVISION_ANNOTATION, ""))
            if util.has_progress_deadline(d) and util.get_condition(status, "Progressing") is None:
                util.set_condition(status, util.new_condition(
                    "Progressing", "True", util.FOUND_NEW_RS, f'Found new replica set "{rs["metadata"]["name"]}"',
                    self.loop.now))
                needs_update = True
            if needs_update:
                self.update_deployment_status(d)
            return rs
        if not create:
            return None
        return self._create_new_replica_set(d, old_rss, new_revision)

    def _new_replica_set_object(self, d: dict, new_revision: str, old_rss: list[dict]) -> dict:
        template = thaw(d["spec"]["template"])
        pod_hash = compute_hash(d["spec"]["template"], (d.get("status") or {}).get("collisionCount"))
        template.setdefault("metadata", {}).setdefault("labels", {})[util.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY] = pod_hash
        selector = thaw(d["spec"]["selector"])
        selector.setdefault("matchLabels", {})[util.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY] = pod_hash
        rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
              "metadata": {"name": f"{d['metadata']['name']}-{pod_hash}", "namespace": d["metadata"]["namespace"],
                           "ownerReferences": [owner_reference(d)], "labels": dict(template["metadata"]["labels"])},
              "spec": {"replicas": 0, "selector": selector, "template": template}}
        if d["spec"].get("minReadySeconds"):
            rs["spec"]["minReadySeconds"] = d["spec"]["minReadySeconds"]
        rs["spec"]["replicas"] = self.new_rs_new_replicas(d, old_rss + [rs], rs)
        util.set_new_replica_set_annotations(d, rs, new_revision, False)
        return rs

    def _create_new_replica_set(self, d: dict, old_rss: list[dict], new_revision: str) -> dict | None:
        rs = self._new_replica_set_object(d, new_revision, old_rss)
        name, status = rs["metadata"]["name"], d["status"]
        already_exists = False
        try:
            created = self.client.create(rs)
        except ApiError as err:
            if namespace_terminating(err):  # every create will fail: nothing to report, just retry
                raise
            if err.reason != "AlreadyExists":
                msg = f'Failed to create new replica set "{name}": {err}'
                if util.has_progress_deadline(d):
                    util.set_condition(status, util.new_condition("Progressing", "False", util.FAILED_RS_CREATE,
                                                                  msg, self.loop.now))
                    self.update_deployment_status(d)
                self.recorder.event(d, "Warning", util.FAILED_RS_CREATE, msg)
                raise
            found = self.client.get("replicasets", name, d["metadata"]["namespace"])
            ref = get_controller_of(found) or {}
            if not (ref.get("uid") == d["metadata"]["uid"]
                    and util.equal_ignore_hash(d["spec"]["template"], found["spec"]["template"])):
                status["collisionCount"] = status.get("collisionCount", 0) + 1  # hash collision: try another name
                self.update_deployment_status(d)
                raise
            created, already_exists = found, True
        new_replicas = replicas(created)
        if not already_exists and new_replicas > 0:
            self.recorder.event(d, "Normal", "ScalingReplicaSet",
                                f"Scaled up replica set {name} from 0 to {new_replicas}")
        needs_update = util.set_deployment_revision(d, new_revision)
        if not already_exists and util.has_progress_deadline(d):
            util.set_condition(status, util.new_condition("Progressing", "True", util.NEW_REPLICA_SET,
                                                          f'Created new replica set "{name}"', self.loop.now))
            needs_update = True
        if needs_update:
            self.update_deployment_status(d)
        return created

    def new_rs_new_replicas(self, d: dict, all_rss: list[dict], new_rs: dict) -> int:
        """NewRSNewReplicas: how big the new ReplicaSet may be now (surge-limited for RollingUpdate)."""
        if not util.is_rolling_update(d):
            return replicas(d)
        surge = util.get_scaled_value_from_int_or_percent(
            ((d["spec"].get("strategy") or {}).get("rollingUpdate") or {}).get("maxSurge"), replicas(d), True)
        current = util.get_replica_count(all_rss)
        max_total = replicas(d) + surge
        if current >= max_total:
            return replicas(new_rs)
        scale_up = min(max_total - current, replicas(d) - replicas(new_rs))
        return replicas(new_rs) + scale_up

    # -- scaling ------------------------------------------------------------------------------------
    def scale(self, d: dict, new_rs: dict | None, old_rss: list[dict]) -> None:
        """Scale for a resize: one active ReplicaSet takes all; otherwise spread proportionally."""
        latest = _find_active_or_latest(new_rs, old_rss)
        if latest is not None:
            if replicas(latest) != replicas(d):
                self.scale_replica_set_and_record_event(latest, replicas(d), d)
            return
        if util.is_saturated(d, new_rs):
            for old in util.filter_active_replica_sets(old_rss):
                self.scale_replica_set_and_record_event(old, 0, d)
            return
        if not util.is_rolling_update(d):
            return
        active = util.filter_active_replica_sets(old_rss + [new_rs])
        allowed = replicas(d) + util.max_surge(d) if replicas(d) > 0 else 0
        to_add = allowed - util.get_replica_count(active)
        operation = ""
        if to_add > 0:  # ReplicaSetsBySizeNewer: biggest first, newer first among equals
            active.sort(key=util._created, reverse=True)
            active.sort(key=lambda rs: -replicas(rs))
            operation = "up"
        elif to_add < 0:  # ReplicaSetsBySizeOlder: biggest first, older first among equals
            active.sort(key=lambda rs: (-replicas(rs), util._created(rs)))
            operation = "down"
        added, sizes = 0, {}
        for rs in active:
            proportion = util.get_proportion(rs, d, to_add, added) if to_add else 0
            sizes[rs["metadata"]["name"]] = replicas(rs) + proportion
            added += proportion
        for i, rs in enumerate(active):
            name = rs["metadata"]["name"]
            if i == 0 and to_add:
                sizes[name] = max(sizes[name] + to_add - added, 0)
            self.scale_replica_set(rs, sizes[name], d, operation)

    def scale_replica_set_and_record_event(self, rs: dict, new_scale: int, d: dict) -> tuple[bool, dict]:
        if replicas(rs) == new_scale:
            return False, rs
        return self.scale_replica_set(rs, new_scale, d, "up" if replicas(rs) < new_scale else "down")

    def scale_replica_set(self, rs: dict, new_scale: int, d: dict, operation: str) -> tuple[bool, dict]:
        """Write the ReplicaSet's new size (and annotations); event ``ScalingReplicaSet``."""
        max_replicas = replicas(d) + util.max_surge(d)
        size_changed = replicas(rs) != new_scale
        if not size_changed and not util.replicas_annotations_need_update(rs, replicas(d), max_replicas):
            return False, rs
        old_scale = replicas(rs)
        copy = thaw(rs)
        copy["spec"]["replicas"] = new_scale
        util.set_replicas_annotations(copy, replicas(d), max_replicas)
        updated = self.client.update(copy)
        if size_changed:
            self.recorder.event(d, "Normal", "ScalingReplicaSet",
                                f"Scaled {operation} replica set {rs['metadata']['name']} from {old_scale} to {new_scale}")
        return size_changed, updated

    def cleanup_deployment(self, old_rss: list[dict], d: dict) -> None:
        """Delete the oldest empty ReplicaSets beyond ``revisionHistoryLimit``."""
        if not util.has_revision_history_limit(d):
            return
        alive = [rs for rs in old_rss if rs is not None and not rs["metadata"].get("deletionTimestamp")]
        diff = len(alive) - d["spec"]["revisionHistoryLimit"]
        if diff <= 0:
            return
        for rs in util.by_revision(alive)[:diff]:
            st = rs.get("status") or {}
            if st.get("replicas", 0) != 0 or replicas(rs) != 0 or \
                    rs["metadata"].get("generation", 0) > st.get("observedGeneration", 0):
                continue
            try:
                self.client.delete("replicasets", rs["metadata"]["name"], rs["metadata"]["namespace"])
            except ApiError as err:
                if err.code != 404:
                    raise


def _find_active_or_latest(new_rs: dict | None, old_rss: list[dict]) -> dict | None:
    """FindActiveOrLatest: the only active ReplicaSet, or the newest if none is active."""
    if new_rs is None and not old_rss:
        return None
    olds = sorted(old_rss, key=util._created, reverse=True)
    active = util.filter_active_replica_sets(olds + [new_rs])
    if not active:
        return new_rs if new_rs is not None else olds[0]
    return active[0] if len(active) == 1 else None
