"""Rollout status: counts, the Progressing condition, and the progress deadline.

``Progressing`` tells how the rollout goes: ``NewReplicaSetCreated`` / ``FoundNewReplicaSet``
when it starts, ``ReplicaSetUpdated`` ("ReplicaSet "web-7c4b4cb947" is progressing.") while
pods move, ``NewReplicaSetAvailable`` ("... has successfully progressed.") when done, and
``ProgressDeadlineExceeded`` (status False) if nothing moved for ``progressDeadlineSeconds``
(600 s by default). While a rollout is unfinished the controller asks to be woken at the
deadline, so a stuck rollout is noticed even if no watch event arrives.

Simplified: the wake-up timer is cancelled once the rollout completes (upstream's delaying
queue just runs a sync that finds nothing to do), so a settled cluster has no pending work.

Upstream: pkg/controller/deployment/progress.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.meta import parse_timestamp
from k8slearn.controllers.deployment import util
from k8slearn.controllers.deployment.sync import calculate_status


def get_replica_failures(all_rss: list[dict | None], new_rs: dict | None) -> list[dict]:
    """ReplicaFailure conditions of the new ReplicaSet (or else of the old ones), as Deployment conditions."""
    def failures(rss: list[dict | None]) -> list[dict]:
        return [{"type": c["type"], "status": c["status"], "lastUpdateTime": c.get("lastTransitionTime"),
                 "lastTransitionTime": c.get("lastTransitionTime"), "reason": c.get("reason"), "message": c.get("message")}
                for rs in rss if rs is not None
                for c in (rs.get("status") or {}).get("conditions") or () if c.get("type") == "ReplicaFailure"]
    return failures([new_rs]) or failures(all_rss)


class ProgressMixin:
    """syncRolloutStatus and requeueStuckDeployment (methods of DeploymentController)."""

    def sync_rollout_status(self: Any, all_rss: list[dict | None], new_rs: dict | None, d: dict) -> None:
        now = self.loop.now
        status = calculate_status(all_rss, new_rs, d, now)
        if not util.has_progress_deadline(d):
            util.remove_condition(status, "Progressing")
        current = util.get_condition(d.get("status") or {}, "Progressing")
        complete = status.get("replicas", 0) == status.get("updatedReplicas", 0) and current is not None \
            and current.get("reason") == util.NEW_RS_AVAILABLE
        if util.has_progress_deadline(d) and not complete:
            what = f'ReplicaSet "{new_rs["metadata"]["name"]}"' if new_rs else f'Deployment "{d["metadata"]["name"]}"'
            if util.deployment_complete(d, status):
                util.set_condition(status, util.new_condition(
                    "Progressing", "True", util.NEW_RS_AVAILABLE, f"{what} has successfully progressed.", now))
            elif util.deployment_progressing(d, status):
                cond = util.new_condition("Progressing", "True", util.REPLICA_SET_UPDATED, f"{what} is progressing.", now)
                if current is not None:
                    if current["status"] == "True":
                        cond["lastTransitionTime"] = current.get("lastTransitionTime")
                    util.remove_condition(status, "Progressing")
                util.set_condition(status, cond)
            elif util.deployment_timed_out(d, status, now):
                util.set_condition(status, util.new_condition(
                    "Progressing", "False", util.TIMED_OUT, f"{what} has timed out progressing.", now))
        failures = get_replica_failures(all_rss, new_rs)
        if failures:
            util.set_condition(status, failures[0])
        else:
            util.remove_condition(status, "ReplicaFailure")
        if (d.get("status") or {}) == status:
            self.requeue_stuck_deployment(d, status)
            return
        d["status"] = status
        self.update_deployment_status(d)
        self.requeue_stuck_deployment(d, status)

    def requeue_stuck_deployment(self: Any, d: dict, status: dict) -> None:
        """Wake up at the progress deadline of an unfinished rollout (and not otherwise)."""
        key = f"{d['metadata']['namespace']}/{d['metadata']['name']}"
        cond = util.get_condition(status, "Progressing")
        if not util.has_progress_deadline(d) or cond is None or \
                cond.get("reason") in (util.NEW_RS_AVAILABLE, util.TIMED_OUT) or \
                util.deployment_complete(d, status):
            self._cancel_stuck_timer(key)
            return
        after = parse_timestamp(cond["lastUpdateTime"]) + d["spec"]["progressDeadlineSeconds"] - self.loop.now
        delay = 0.0 if after < 1 else after + 1
        self._cancel_stuck_timer(key)
        self._stuck_timers[key] = self.loop.call_later(delay, self.queue.add, key)

    def _cancel_stuck_timer(self: Any, key: str) -> None:
        timer = self._stuck_timers.pop(key, None)
        if timer is not None:
            timer.cancel()
