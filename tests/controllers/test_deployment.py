"""Deployment controller: ReplicaSet naming, rolling and recreate steps, scaling, pausing, history."""

import pytest
from ctlkit import Harness, deployment, replicaset

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import thaw
from k8slearn.controllers.controller_utils import compute_hash
from k8slearn.controllers.deployment import DeploymentController
from k8slearn.kubectl.rollout_history import (
    RolloutError,
    rollout_history,
    rollout_pause,
    rollout_resume,
    rollout_undo,
)


def new_harness(d):
    h = Harness(DeploymentController)
    h.create(d)
    h.start()
    return h


def replica_sets(h):
    """The Deployment's ReplicaSets, oldest revision first."""
    return sorted(h.api.list("replicasets", "default"),
                  key=lambda rs: int(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]))


def converge(h, rounds=4):
    for _ in range(rounds):
        settle_sync(h, rounds=2)
        finish(h)


def finish(h, key="default/web"):
    """Pretend the ReplicaSet controller ran: every ReplicaSet's pods exist and are available."""
    for rs in map(thaw, h.api.list("replicasets", "default")):
        n = rs["spec"]["replicas"]
        rs["status"] = {"replicas": n, "fullyLabeledReplicas": n, "readyReplicas": n, "availableReplicas": n,
                        "observedGeneration": rs["metadata"]["generation"]}
        h.api.update_status(rs)
    h.settle()


def settle_sync(h, key="default/web", rounds=6):
    """Sync and let the caches catch up, a few times; a conflict is retried, as the work queue would."""
    for _ in range(rounds):
        try:
            h.sync(key)
        except ApiError as err:
            assert err.code == 409
        h.settle()


def set_image(h, image, name="web"):
    d = h.get("deployments", name)
    d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    h.api.update(d)
    h.settle()


def test_the_first_sync_creates_a_replica_set_named_after_the_template_hash():
    d = deployment(replicas=3)
    h = new_harness(d)
    actions = h.sync("default/web")
    rs = replica_sets(h)[0]
    pod_hash = compute_hash(h.get("deployments", "web")["spec"]["template"])
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert actions[0] == ("create", "replicasets", f"default/web-{pod_hash}")
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": pod_hash}
    assert rs["spec"]["template"]["metadata"]["labels"] == {"app": "web", "pod-template-hash": pod_hash}
    assert rs["spec"]["replicas"] == 3
    assert rs["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1",
                                             "deployment.kubernetes.io/desired-replicas": "3",
                                             "deployment.kubernetes.io/max-replicas": "4"}
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    assert h.events == [("Normal", "ScalingReplicaSet", f"Scaled up replica set web-{pod_hash} from 0 to 3")]


def test_conditions_follow_the_rollout_from_created_to_available():
    h = new_harness(deployment(replicas=2))
    h.sync("default/web")
    h.settle()
    cond = {c["type"]: c for c in h.get("deployments", "web")["status"]["conditions"]}
    assert (cond["Available"]["status"], cond["Available"]["reason"]) == ("False", "MinimumReplicasUnavailable")
    assert cond["Progressing"]["reason"] == "NewReplicaSetCreated"
    assert cond["Progressing"]["message"].startswith('Created new replica set "web-')
    finish(h)
    settle_sync(h)
    status = h.get("deployments", "web")["status"]
    cond = {c["type"]: c for c in status["conditions"]}
    assert (cond["Available"]["reason"], cond["Available"]["message"]) == \
        ("MinimumReplicasAvailable", "Deployment has minimum availability.")
    assert cond["Progressing"]["reason"] == "NewReplicaSetAvailable"
    assert cond["Progressing"]["message"].endswith('" has successfully progressed.')
    assert {k: status[k] for k in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
                                   "observedGeneration")} == \
        {"replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2, "observedGeneration": 1}
    assert h.sync("default/web") == []


def test_the_deployment_gets_the_revision_annotation_through_its_status():
    h = new_harness(deployment(replicas=1))
    h.sync("default/web")
    assert h.get("deployments", "web")["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert h.get("deployments", "web")["metadata"]["generation"] == 1


@pytest.mark.parametrize("replicas, strategy, new_size, old_size", [
    (4, None, 1, 3),
    (4, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}, 0, 3),
    (10, {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "50%", "maxUnavailable": 0}}, 5, 10),
], ids=["the default 25% surge starts one new pod and stops one of the four old ones",
        "with no surge an old pod is stopped first",
        "a 50% surge starts half of the new pods at once"])
def test_first_step_of_a_rolling_update(replicas, strategy, new_size, old_size):
    h = new_harness(deployment(replicas=replicas, strategy=strategy))
    settle_sync(h, rounds=2)
    finish(h)
    settle_sync(h, rounds=2)
    set_image(h, "nginx:1.28")
    h.sync("default/web")  # one step: scale the new ReplicaSet up, or else the old one down
    old, new = replica_sets(h)
    assert (new["spec"]["replicas"], old["spec"]["replicas"]) == (new_size, old_size)
    assert new["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"


def test_a_rolling_update_keeps_its_fenceposts_until_done():
    h = new_harness(deployment(replicas=4))
    settle_sync(h, rounds=2)
    finish(h)
    settle_sync(h, rounds=2)
    set_image(h, "nginx:1.28")
    for _ in range(20):
        h.sync("default/web")
        h.settle()
        total = sum(rs["spec"]["replicas"] for rs in h.api.list("replicasets", "default"))
        assert total <= 4 + 1
        available = sum((rs.get("status") or {}).get("availableReplicas", 0) for rs in h.api.list("replicasets", "default"))
        assert available >= 4 - 1
        finish(h)
    old, new = replica_sets(h)
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (0, 4)
    messages = [e[2] for e in h.events]
    assert all(m.startswith("Scaled ") for m in messages)


def test_recreate_stops_the_old_pods_before_creating_the_new_replica_set():
    h = new_harness(deployment(replicas=3, strategy={"type": "Recreate"}))
    settle_sync(h, rounds=2)
    finish(h)
    set_image(h, "nginx:1.28")
    actions = h.sync("default/web")
    assert ("update", "replicasets") in [(a[0], a[1]) for a in actions]
    assert ("create", "replicasets") not in [(a[0], a[1]) for a in actions]
    assert replica_sets(h)[0]["spec"]["replicas"] == 0
    assert h.events[0][2].startswith("Scaled down replica set web-") and h.events[0][2].endswith("from 3 to 0")
    h.settle()
    finish(h)  # the old ReplicaSet reports 0 pods
    h.sync("default/web")
    assert [rs["spec"]["replicas"] for rs in replica_sets(h)] == [0, 3]


def test_scaling_mid_rollout_spreads_the_new_replicas_proportionally():
    h = new_harness(deployment(replicas=10))
    settle_sync(h, rounds=2)
    finish(h)
    settle_sync(h, rounds=2)
    set_image(h, "nginx:1.28")
    h.sync("default/web")
    h.settle()
    old, new = replica_sets(h)
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (8, 3)
    d = h.get("deployments", "web")
    d["spec"]["replicas"] = 20
    h.api.update(d)
    h.settle()
    h.sync("default/web")
    old, new = replica_sets(h)
    assert old["spec"]["replicas"] + new["spec"]["replicas"] == 25  # 20 + maxSurge 5
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (19, 6)
    assert old["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "20"


def test_a_paused_deployment_records_the_pause_and_does_not_roll_out():
    h = new_harness(deployment(replicas=2))
    settle_sync(h, rounds=2)
    d = h.get("deployments", "web")
    d["spec"]["paused"] = True
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    h.api.update(d)
    h.settle()
    h.sync("default/web")
    assert len(h.api.list("replicasets", "default")) == 1
    cond = {c["type"]: c for c in h.get("deployments", "web")["status"]["conditions"]}["Progressing"]
    assert (cond["status"], cond["reason"], cond["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused")


def test_old_replica_sets_beyond_the_history_limit_are_deleted():
    h = new_harness(deployment(replicas=1, revisionHistoryLimit=1, image="nginx:1.24"))
    for image in ("nginx:1.25", "nginx:1.26", "nginx:1.27"):
        converge(h)
        set_image(h, image)
    converge(h)
    remaining = [rs["spec"]["template"]["spec"]["containers"][0]["image"] for rs in replica_sets(h)]
    assert remaining == ["nginx:1.26", "nginx:1.27"]


def test_a_stuck_rollout_times_out_after_the_progress_deadline():
    h = new_harness(deployment(replicas=1, progressDeadlineSeconds=60))
    h.sync("default/web")
    h.loop.run(61)
    h.settle()
    h.sync("default/web")
    cond = {c["type"]: c for c in h.get("deployments", "web")["status"]["conditions"]}["Progressing"]
    assert (cond["status"], cond["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert cond["message"].endswith('" has timed out progressing.')


def test_a_deployment_selecting_everything_gets_a_warning():
    d = deployment(replicas=1)
    h = Harness(DeploymentController)
    h.start()
    h.controller.d_informer.indexer.add({**d, "metadata": {**d["metadata"], "uid": "u", "generation": 1},
                                         "spec": {**d["spec"], "selector": {}}})
    with pytest.raises(ApiError):
        h.sync("default/web")  # the status write fails: this object exists only in the cache
    assert h.events == [("Warning", "SelectingAll",
                         "This deployment is selecting all pods. A non-empty selector is required.")]


def test_rollout_history_and_undo_go_back_to_the_previous_template():
    h = new_harness(deployment(replicas=1))
    settle_sync(h, rounds=3)
    d = h.get("deployments", "web")
    d["metadata"]["annotations"] = {"kubernetes.io/change-cause": "upgrade to 1.28"}
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    h.api.update(d)
    h.settle()
    settle_sync(h, rounds=3)
    assert rollout_history(h.api, "default", "web") == [(1, "<none>"), (2, "upgrade to 1.28")]
    assert rollout_undo(h.api, "default", "web") == "rolled back"
    h.settle()
    assert h.get("deployments", "web")["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    settle_sync(h, rounds=3)
    assert rollout_history(h.api, "default", "web") == [(2, "upgrade to 1.28"), (3, "<none>")]
    assert len(h.api.list("replicasets", "default")) == 2
    with pytest.raises(RolloutError, match="unable to find specified revision 7 in history"):
        rollout_undo(h.api, "default", "web", to_revision=7)
    assert rollout_undo(h.api, "default", "web", to_revision=3).startswith("skipped rollback")


def test_rollout_pause_and_resume_flip_spec_paused_once():
    h = new_harness(deployment(replicas=1))
    rollout_pause(h.api, "default", "web")
    assert h.get("deployments", "web")["spec"]["paused"] is True
    with pytest.raises(RolloutError, match="is already paused"):
        rollout_pause(h.api, "default", "web")
    with pytest.raises(RolloutError, match="you cannot rollback a paused deployment"):
        settle_sync(h, rounds=2)
        rollout_undo(h.api, "default", "web", to_revision=1)
    rollout_resume(h.api, "default", "web")
    assert "paused" not in h.get("deployments", "web")["spec"]
    with pytest.raises(RolloutError, match="is not paused"):
        rollout_resume(h.api, "default", "web")


@pytest.mark.parametrize("spec_replicas, available, expected", [
    pytest.param(3, 1, ([1], 2), id="an old ReplicaSet with two unavailable pods is scaled down by two"),
    pytest.param(3, 3, ([3], 0), id="an old ReplicaSet whose pods are all available is left alone"),
    pytest.param(2, 3, None, id="a status that lags a scale-down (3 available, 2 asked) is never a scale up"),
])
def test_cleaning_up_unhealthy_replicas(spec_replicas, available, expected):
    h = new_harness(deployment(replicas=4))
    old = h.create(replicaset("web-old", replicas=spec_replicas),
                   status={"replicas": 3, "availableReplicas": available, "readyReplicas": available})
    h.client.actions.clear()
    result = h.controller.cleanup_unhealthy_replicas([old], h.get("deployments", "web"), 5)
    sizes = h.get("replicasets", "web-old")["spec"]["replicas"]
    if expected is None:
        assert (result, sizes, h.client.actions, h.events) == (None, spec_replicas, [], [])
    else:
        assert ([rs["spec"]["replicas"] for rs in result[0]], result[1]) == expected
        assert sizes == expected[0][0]


def test_resuming_a_rollout_never_scales_an_old_replica_set_up():
    """Paused mid-way to a third template, then resumed: the second ReplicaSet's status still counts
    the pods it had; the sync must not read that as room to grow it (it did: 2 -> 3)."""
    from k8slearn import Cluster

    c = Cluster(workers=3, seed=0)
    c.kubectl("create deployment web --image=nginx:1.26 --replicas=4")
    c.settle()
    c.kubectl("set image deployment/web nginx=nginx:1.27")
    c.settle()
    second = c.api.list("replicasets", "default")
    c.kubectl("rollout pause deployment/web")
    c.kubectl("set image deployment/web nginx=nginx:1.28")
    c.settle()
    c.kubectl("rollout resume deployment/web")
    c.settle()
    second_name = next(rs["metadata"]["name"] for rs in second if rs["spec"]["replicas"] == 4)
    ups = [e for e in c.api.list("events", "default") if e["reason"] == "ScalingReplicaSet"
           and e["message"].startswith(f"Scaled up replica set {second_name} ")]
    assert [(e["message"], e["count"]) for e in ups] == [
        (f"Scaled up replica set {second_name} from {n} to {n + 1}", 1) for n in range(4)]


def test_a_namespace_being_terminated_refuses_the_new_replica_set_without_an_event_or_a_condition():
    """getNewReplicaSet's NamespaceTerminatingCause case: the create is retried, nothing is reported."""
    h = Harness(DeploymentController)
    h.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "leaving"}})
    d = deployment(replicas=2)
    d["metadata"]["namespace"] = "leaving"
    h.create(d)
    h.start()
    h.api.delete("namespaces", "leaving")  # the namespace is now Terminating: every create is refused
    h.settle()
    with pytest.raises(ApiError) as refused:
        h.sync("leaving/web")
    assert refused.value.code == 403
    assert h.events == []
    assert h.api.list("replicasets", "leaving") == []
    assert "conditions" not in (h.get("deployments", "web", "leaving").get("status") or {})
