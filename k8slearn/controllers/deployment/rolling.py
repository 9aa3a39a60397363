"""RollingUpdate: grow the new ReplicaSet and shrink the old ones, never leaving the fence posts.

Two numbers bound every step: at most ``replicas + maxSurge`` pods exist, and at least
``replicas - maxUnavailable`` are available. Worked example, 4 replicas, 25%/25% (surge 1,
unavailable 1), all pods ready the moment they run::

    new 0 -> 1   (5 pods: the surge)            old 4 -> 3 (4 available is more than 3 needed)
    new 1 -> 2   (old 3 + new 1 = 4, room for 1) old 3 -> 2 ...
    ...          until new 4, old 0

Each sync makes at most one of these moves (scale up *or* down), then writes status; the next
change a watch delivers (pods becoming ready) triggers the next step.

Upstream: pkg/controller/deployment/rolling.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.controllers.deployment import util
from k8slearn.controllers.deployment.util import replicas


class RollingMixin:
    """rolloutRolling and its helpers (methods of DeploymentController)."""

    def rollout_rolling(self: Any, d: dict, rs_list: list[dict]) -> None:
        """One step of a rolling update: scale up the new ReplicaSet, or else scale old ones down."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
        all_rss = old_rss + [new_rs]
        scaled_up, _ = self.reconcile_new_replica_set(all_rss, new_rs, d)
        if not scaled_up:
            scaled_down = self.reconcile_old_replica_sets(all_rss, util.filter_active_replica_sets(old_rss), new_rs, d)
            if not scaled_down and util.deployment_complete(d, d.get("status") or {}):
                self.cleanup_deployment(old_rss, d)
        self.sync_rollout_status(all_rss, new_rs, d)

    def reconcile_new_replica_set(self: Any, all_rss: list[dict], new_rs: dict, d: dict) -> tuple[bool, dict]:
        """Scale the new ReplicaSet up as far as maxSurge allows (or down to spec.replicas)."""
        if replicas(new_rs) == replicas(d):
            return False, new_rs
        if replicas(new_rs) > replicas(d):
            return self.scale_replica_set_and_record_event(new_rs, replicas(d), d)
        count = self.new_rs_new_replicas(d, all_rss, new_rs)
        return self.scale_replica_set_and_record_event(new_rs, count, d)

    def reconcile_old_replica_sets(self: Any, all_rss: list[dict], old_rss: list[dict], new_rs: dict,
                                   d: dict) -> bool:
        """Scale old ReplicaSets down as far as maxUnavailable allows: unhealthy pods first."""
        if util.get_replica_count(old_rss) == 0:
            return False
        all_pods = util.get_replica_count(all_rss)
        min_available = replicas(d) - util.max_unavailable(d)
        new_unavailable = replicas(new_rs) - (new_rs.get("status") or {}).get("availableReplicas", 0)
        max_scaled_down = all_pods - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        cleanup = self.cleanup_unhealthy_replicas(old_rss, d, max_scaled_down)
        if cleanup is None:  # upstream logs the error and makes no move this sync
            return False
        old_rss, cleaned = cleanup
        _, scaled = self.scale_down_old_replica_sets_for_rolling_update(old_rss + [new_rs], old_rss, d)
        return cleaned + scaled > 0

    def cleanup_unhealthy_replicas(self: Any, old_rss: list[dict], d: dict,
                                   max_cleanup: int) -> tuple[list[dict], int] | None:
        """Scale old ReplicaSets down by their unavailable pods (oldest first): they serve nobody.

        None when a ReplicaSet's status lags its spec (more available pods than it now asks for, as
        after a pause and resume): upstream refuses that "invalid request to scale down", which
        would be a scale up, and the sync moves nothing."""
        result, total = [], 0
        for rs in util.by_creation_timestamp(old_rss):
            available = (rs.get("status") or {}).get("availableReplicas", 0)
            if total >= max_cleanup or replicas(rs) == 0 or replicas(rs) == available:
                result.append(rs)
                continue
            count = min(max_cleanup - total, replicas(rs) - available)
            if replicas(rs) - count > replicas(rs):
                return None
            _, rs = self.scale_replica_set_and_record_event(rs, replicas(rs) - count, d)
            total += count
            result.append(rs)
        return result, total

    def scale_down_old_replica_sets_for_rolling_update(self: Any, all_rss: list[dict], old_rss: list[dict],
                                                       d: dict) -> tuple[list[dict], int]:
        """Scale old ReplicaSets down (oldest first) while enough pods stay available."""
        min_available = replicas(d) - util.max_unavailable(d)
        available = util.get_available_replica_count(all_rss)
        if available <= min_available:
            return old_rss, 0
        result, total, wanted = [], 0, available - min_available
        for rs in util.by_creation_timestamp(old_rss):
            if total >= wanted or replicas(rs) == 0:
                result.append(rs)
                continue
            count = min(replicas(rs), wanted - total)
            _, rs = self.scale_replica_set_and_record_event(rs, replicas(rs) - count, d)
            total += count
            result.append(rs)
        return result, total
