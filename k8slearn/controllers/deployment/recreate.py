"""Recreate: stop every old pod first, then start the new ReplicaSet at full size.

Worked example, 3 replicas, new image: old 3 -> 0; wait until no old pod is left (not even
one terminating); create the new ReplicaSet at 3. For a while nothing serves: that is the
price of never running two versions at once.

Upstream: pkg/controller/deployment/recreate.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.controllers.deployment import util


def old_pods_running(new_rs: dict | None, old_rss: list[dict], pod_map: dict[str, list[dict]]) -> bool:
    """Any old ReplicaSet still counts pods, or any pod not of the new ReplicaSet has not finished."""
    if util.get_actual_replica_count(old_rss) > 0:
        return True
    new_uid = new_rs["metadata"]["uid"] if new_rs is not None else None
    for uid, pods in pod_map.items():
        if uid == new_uid:
            continue
        if any((p.get("status") or {}).get("phase") not in ("Failed", "Succeeded") for p in pods):
            return True
    return False


class RecreateMixin:
    """rolloutRecreate (methods of DeploymentController)."""

    def rollout_recreate(self: Any, d: dict, rs_list: list[dict], pod_map: dict[str, list[dict]]) -> None:
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        all_rss = old_rss + [new_rs]
        scaled_down = False
        for rs in util.filter_active_replica_sets(old_rss):
            scaled, _ = self.scale_replica_set_and_record_event(rs, 0, d)
            scaled_down = scaled_down or scaled
        if scaled_down or old_pods_running(new_rs, old_rss, pod_map):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if new_rs is None:
            new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
            all_rss = old_rss + [new_rs]
        self.scale_replica_set_and_record_event(new_rs, util.replicas(d), d)
        if util.deployment_complete(d, d.get("status") or {}):
            self.cleanup_deployment(old_rss, d)
        self.sync_rollout_status(all_rss, new_rs, d)
