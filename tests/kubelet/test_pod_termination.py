"""Deleting a pod that is already Terminating: the object changes, the kill in progress does not.

In v1.32 the kubelet's SyncTerminatingPod kills with a context of its own, so the context the pod
worker cancels for a shorter grace period never reaches the running kill (kubernetes issues #83916
and #113712): the container still gets SIGKILL when the first grace period ends.
"""

import pytest

from k8slearn import Cluster


def terminating_sleeper() -> tuple[Cluster, float]:
    """A busybox ``sleep 3600`` (it ignores SIGTERM) deleted with its 30 s grace period, 5 s ago."""
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("run b --image=busybox -- sleep 3600")
    cluster.settle()
    began = cluster.now
    cluster.kubectl("delete pod b --wait=false")
    cluster.run(5)
    return cluster, began


@pytest.mark.parametrize("second_delete, metadata, gone", [
    ("--grace-period=3", ("2026-01-05T09:00:04Z", 3), 30.001),
    ("--now", ("2026-01-05T09:00:02Z", 1), 30.001),
    ("--force --grace-period=0", None, 5.0),
], ids=[
    "a second delete with --grace-period=3 moves the deletionTimestamp but the pod goes at 30 s",
    "a second delete with --now (1 s) does the same",
    "a force delete removes the object at once and the container still runs its 30 s",
])
def test_a_shorter_grace_period_does_not_cut_short_a_kill_in_progress(second_delete, metadata, gone):
    cluster, began = terminating_sleeper()
    assert cluster.kubectl(f"delete pod b {second_delete} --wait=false").code == 0
    pods = [p["metadata"] for p in cluster.api.list("pods", "default")]
    found = [(m["deletionTimestamp"], m["deletionGracePeriodSeconds"]) for m in pods]
    assert found == ([metadata] if metadata else [])
    cluster.run(40)
    deleted = [s.time for s in cluster.trace
               if (s.component, s.action, s.object) == ("etcd", "delete", "/registry/pods/default/b")]
    assert [round(t - began, 3) for t in deleted] == [gone]
    stops = [(round(s.time - began, 3), s.action, s.detail) for s in cluster.trace
             if s.time >= began and s.action in ("StopContainer", "TaskExit")]
    assert stops == [(0.001, "StopContainer", "SIGTERM to b, 30s grace"),
                     (30.001, "TaskExit", "b exited with code 137")]
    killing = [e["message"] for e in cluster.api.list("events") if e["reason"] == "Killing"]
    assert killing == ["Stopping container b"]
