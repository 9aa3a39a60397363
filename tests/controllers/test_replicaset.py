"""ReplicaSet controller: sync(key) against real informer caches, asserting the API writes it makes."""

import pytest
from ctlkit import Harness, deployment, pod, replicaset

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import owner_reference
from k8slearn.controllers.replicaset import ReplicaSetController


def setup(replicas=3, running=0, **kwargs):
    h = Harness(ReplicaSetController, **kwargs)
    rs = h.create(replicaset(replicas=replicas))
    for i in range(running):
        h.create(*pod(f"web-{i}", owner=rs, node=f"node-{i % 3 + 1}", phase="Running", ready=True, ip=f"10.244.0.{i + 2}"))
    h.start()
    return h, rs


def verbs(actions):
    return [(verb, resource) for verb, resource, _ in actions]


@pytest.mark.parametrize("replicas, running, expected", [
    (3, 0, [("create", "pods")] * 3 + [("update_status", "replicasets")]),
    (3, 1, [("create", "pods")] * 2 + [("update_status", "replicasets")]),
    (1, 3, [("delete", "pods")] * 2 + [("update_status", "replicasets")]),
    (2, 2, [("update_status", "replicasets")]),
], ids=["an empty ReplicaSet creates all its pods",
        "a ReplicaSet with one pod creates the missing two",
        "a ReplicaSet with too many pods deletes the surplus",
        "a ReplicaSet at its size only writes its status"])
def test_sync_makes_the_pod_count_match(replicas, running, expected):
    h, _ = setup(replicas, running)
    assert verbs(h.sync("default/web")) == expected


def test_created_pods_carry_the_template_labels_and_a_controller_reference():
    h, rs = setup(2)
    h.sync("default/web")
    pods = h.pods()
    assert [p["metadata"]["generateName"] for p in pods] == ["web-", "web-"]
    assert all(p["metadata"]["name"].startswith("web-") and len(p["metadata"]["name"]) == 9 for p in pods)
    ref = pods[0]["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["uid"], ref["controller"], ref["blockOwnerDeletion"]) == \
        ("ReplicaSet", "web", rs["metadata"]["uid"], True, True)
    assert h.events == [("Normal", "SuccessfulCreate", f"Created pod: {p['metadata']['name']}") for p in
                        sorted(pods, key=lambda p: p["metadata"]["creationTimestamp"] + p["metadata"]["resourceVersion"].zfill(9))]


def test_expectations_stop_a_second_sync_from_creating_again_before_the_cache_catches_up():
    h, _ = setup(3)
    h.sync("default/web")
    assert ("create", "pods") not in verbs(h.sync("default/web"))
    h.settle()
    assert ("create", "pods") not in verbs(h.sync("default/web"))
    assert len(h.pods()) == 3


def test_sync_is_idempotent_once_the_cache_has_caught_up():
    h, _ = setup(3)
    h.sync("default/web")
    h.settle()
    h.sync("default/web")
    h.settle()
    assert h.sync("default/web") == []


def test_scale_down_deletes_the_unready_and_unscheduled_pods_first():
    h = Harness(ReplicaSetController)
    rs = h.create(replicaset(replicas=2))
    h.create(*pod("ready-1", owner=rs, node="node-1", phase="Running", ready=True))
    h.create(*pod("ready-2", owner=rs, node="node-2", phase="Running", ready=True))
    h.create(*pod("unready", owner=rs, node="node-3", phase="Running", ready=False))
    h.create(*pod("unscheduled", owner=rs))
    h.start()
    actions = h.sync("default/web")
    assert sorted(a[2] for a in actions if a[0] == "delete") == ["default/unready", "default/unscheduled"]
    assert ("Normal", "SuccessfulDelete", "Deleted pod: unscheduled") in h.events


@pytest.mark.parametrize("owned_by_deployment, deleted_from", [
    (False, ["node-2"]),
    (True, ["node-1"]),
], ids=["a ReplicaSet with no controller deletes the pod ready for the shortest time, alone on node-2",
        "a Deployment's ReplicaSet deletes one of the two pods that crowd node-1"])
def test_scale_down_prefers_doubled_up_pods_only_for_a_replica_set_with_a_controller(owned_by_deployment,
                                                                                       deleted_from):
    # Scaled from 3 to 2: old-1 and old-2 (ready for 200 s) share node-1, new (ready for 50 s)
    # is alone on node-2.
    h = Harness(ReplicaSetController)
    rs_obj = replicaset(replicas=2)
    if owned_by_deployment:
        rs_obj["metadata"]["ownerReferences"] = [owner_reference(h.create(deployment()))]
    rs = h.create(rs_obj)
    h.create(*pod("old-1", owner=rs, node="node-1", phase="Running", ready=True, ready_since=0))
    h.create(*pod("old-2", owner=rs, node="node-1", phase="Running", ready=True, ready_since=1))
    h.create(*pod("new", owner=rs, node="node-2", phase="Running", ready=True, ready_since=150))
    h.start()
    h.settle(200)
    deleted = [a[2].split("/")[1] for a in h.sync("default/web") if a[0] == "delete"]
    assert [h.get("pods", name)["spec"]["nodeName"] for name in deleted] == deleted_from


def test_related_pods_are_those_each_sibling_replica_set_selects_not_those_it_owns():
    h = Harness(ReplicaSetController)
    d = h.create(deployment())
    ref = owner_reference(d)
    rs_obj = replicaset(replicas=1, labels={"app": "web", "pod-template-hash": "a"})
    sibling = replicaset(name="web-b", replicas=0, labels={"app": "web", "pod-template-hash": "b"})
    for obj in (rs_obj, sibling):
        obj["metadata"]["ownerReferences"] = [ref]
    rs = h.create(rs_obj)
    h.create(sibling)
    labels_a = {"app": "web", "pod-template-hash": "a"}
    h.create(*pod("a-old", labels=labels_a, owner=rs, node="node-1", phase="Running", ready=True, ready_since=0))
    h.create(*pod("a-new", labels=labels_a, owner=rs, node="node-2", phase="Running", ready=True, ready_since=150))
    # An orphan the sibling selects but does not own: it still makes node-1 crowded.
    h.create(*pod("stray-b", labels={"app": "web", "pod-template-hash": "b"}, node="node-1", phase="Running",
                  ready=True))
    h.start()
    h.settle(200)
    related = sorted(p["metadata"]["name"] for p in h.controller.get_indirectly_related_pods(h.get("replicasets", "web")))
    assert related == ["a-new", "a-old", "stray-b"]
    assert [a[2] for a in h.sync("default/web") if a[0] == "delete"] == ["default/a-old"]


def test_a_replica_set_with_no_controller_has_no_indirectly_related_pods():
    h, _ = setup(replicas=3, running=3)
    assert h.controller.get_indirectly_related_pods(h.get("replicasets", "web")) == []


def test_an_orphan_with_matching_labels_is_adopted_and_counted():
    h = Harness(ReplicaSetController)
    rs = h.create(replicaset(replicas=1))
    h.create(*pod("stray", phase="Running", ready=True, node="node-1"))
    h.start()
    assert verbs(h.sync("default/web")) == [("patch", "pods"), ("update_status", "replicasets")]
    ref = h.get("pods", "stray")["metadata"]["ownerReferences"][0]
    assert (ref["uid"], ref["controller"]) == (rs["metadata"]["uid"], True)


def test_a_pod_whose_labels_no_longer_match_is_released_and_replaced():
    h = Harness(ReplicaSetController)
    rs = h.create(replicaset(replicas=1))
    h.create(*pod("debug-me", labels={"app": "debug"}, owner=rs, node="node-1", phase="Running", ready=True))
    h.start()
    assert verbs(h.sync("default/web")) == [("patch", "pods"), ("create", "pods"), ("update_status", "replicasets")]
    assert h.get("pods", "debug-me")["metadata"].get("ownerReferences") in (None, [])


def test_pods_controlled_by_another_owner_are_left_alone():
    h = Harness(ReplicaSetController)
    h.create(replicaset(replicas=1))
    other = h.create(replicaset(name="other", replicas=1, labels={"app": "other"}))
    h.create(*pod("theirs", labels={"app": "web"}, owner=other, node="node-1", phase="Running", ready=True))
    h.start()
    assert verbs(h.sync("default/web")) == [("create", "pods"), ("update_status", "replicasets")]


def test_status_counts_ready_available_and_fully_labeled_pods():
    h = Harness(ReplicaSetController)
    rs = h.create(replicaset(replicas=3))
    h.create(*pod("a", owner=rs, node="n1", phase="Running", ready=True))
    h.create(*pod("b", owner=rs, node="n2", phase="Running", ready=False))
    h.create(*pod("c", labels={"app": "web"}, owner=rs, phase="Pending"))
    h.start()
    h.sync("default/web")
    status = h.get("replicasets", "web")["status"]
    assert status == {"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 1, "availableReplicas": 1,
                      "observedGeneration": 1}


def test_one_sync_creates_at_most_burst_replicas_pods():
    h, _ = setup(10, burst_replicas=4)
    assert verbs(h.sync("default/web")).count(("create", "pods")) == 4


def test_a_failed_creation_stops_the_slow_start_and_records_FailedCreate():
    h, _ = setup(10)
    h.client.fail[("create", "pods")] = ApiError({"code": 403, "reason": "Forbidden", "message": "exceeded quota"})
    with pytest.raises(ApiError):
        h.sync("default/web")
    assert h.client.actions.count(("create", "pods", "error")) == 1
    assert h.events == [("Warning", "FailedCreate", "Error creating: exceeded quota")]
    assert h.controller.expectations.satisfied_expectations("default/web") is True


def test_a_deleted_replica_set_is_forgotten_without_writes():
    h, _ = setup(3)
    h.api.delete("replicasets", "web")
    h.settle()
    assert h.sync("default/web") == []


def test_a_failed_creation_sets_replica_failure_and_a_clean_sync_clears_it():
    h, _ = setup(2)
    h.client.fail[("create", "pods")] = ApiError({"code": 403, "reason": "Forbidden", "message": "exceeded quota"})
    with pytest.raises(ApiError):
        h.sync("default/web")
    cond = h.get("replicasets", "web")["status"]["conditions"]
    assert [(c["type"], c["status"], c["reason"], c["message"]) for c in cond] == \
        [("ReplicaFailure", "True", "FailedCreate", "exceeded quota")]
    del h.client.fail[("create", "pods")]
    h.settle()
    h.sync("default/web")
    assert "conditions" not in h.get("replicasets", "web")["status"]


def test_a_namespace_being_terminated_refuses_creations_without_an_event_or_a_failure_condition():
    h = Harness(ReplicaSetController)
    h.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "leaving"}})
    rs = replicaset(replicas=3)
    rs["metadata"]["namespace"] = "leaving"
    h.create(rs)
    h.start()
    h.api.delete("namespaces", "leaving")  # the namespace is now Terminating: every create is refused
    h.settle()
    assert h.sync("leaving/web") == [("update_status", "replicasets", "leaving/web")]
    assert h.events == []
    assert h.get("replicasets", "web", "leaving")["status"] == {"replicas": 0, "observedGeneration": 1}


def test_a_template_naming_a_missing_service_account_fails_with_the_admission_error_in_event_and_condition():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    c.kubectl("patch deployment web -p '{\"spec\":{\"template\":{\"spec\":{\"serviceAccountName\":\"nope\"}}}}'")
    c.run(seconds=5)
    d = c.api.get("deployments", "web")
    new_rs = next(rs for rs in c.api.list("replicasets", namespace="default")
                  if rs["spec"]["template"]["spec"].get("serviceAccountName") == "nope")
    name = new_rs["metadata"]["name"]
    message = (f'pods "{name}-" is forbidden: error looking up service account default/nope: '
               'serviceaccount "nope" not found')
    failure = [(cond["type"], cond["status"], cond["reason"], cond["message"])
               for cond in new_rs["status"]["conditions"]]
    assert failure == [("ReplicaFailure", "True", "FailedCreate", message)]
    assert ("ReplicaFailure", "True", "FailedCreate", message) in [
        (cond["type"], cond["status"], cond["reason"], cond["message"]) for cond in d["status"]["conditions"]]
    described = c.kubectl(f"describe rs {name}").stdout
    assert "Conditions:\n  Type             Status  Reason\n  ----             ------  ------\n" \
           "  ReplicaFailure   True    FailedCreate\n" in described
    assert f"replicaset-controller  Error creating: {message}\n" in described
