"""StatefulSet controller, one sync at a time against a real API server: the writes each sync makes."""

import pytest
from ctlkit import Harness, pod, template

from k8slearn.api.errors import ApiError, forbidden
from k8slearn.api.meta import owner_reference
from k8slearn.api.resources import lookup
from k8slearn.controllers.history import hash_controller_revision
from k8slearn.controllers.statefulset import StatefulSetController
from k8slearn.controllers.statefulset.control import compute_replica_status
from k8slearn.controllers.statefulset.utils import get_parent_name_and_ordinal, identity_matches, new_revision

KEY = "default/web"


def statefulset(replicas=3, **spec):
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web", "namespace": "default"},
            "spec": {"serviceName": "nginx", "replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": template({"app": "web"}), **spec}}


def setup(**spec):
    h = Harness(StatefulSetController)
    sts = h.create(statefulset(**spec))
    h.start()
    return h, sts


def make_running(h, name, ready=True, phase="Running"):
    p = h.get("pods", name)
    p["status"] = {"phase": phase, "conditions": [{"type": "Ready", "status": "True" if ready else "False",
                                                   "lastTransitionTime": "2026-01-05T09:00:00Z"}]}
    h.api.update_status(p)
    h.settle()


def writes(actions):
    return [(verb, resource, key) for verb, resource, key in actions if resource != "events"]


@pytest.mark.parametrize("name, expected", [
    ("web-0", ("web", 0)), ("my-db-12", ("my-db", 12)), ("web", ("", -1)), ("web-x", ("", -1)),
    ("web-99999999999", ("web", -1)),
], ids=["a pod web-0 is ordinal 0 of web", "a set name with a dash keeps it: my-db-12 is ordinal 12 of my-db",
        "a name without a number is no member", "a name ending in letters is no member",
        "an ordinal beyond int32 is not parsed"])
def test_parent_and_ordinal_come_from_the_name(name, expected):
    assert get_parent_name_and_ordinal({"metadata": {"name": name}}) == expected


def test_the_first_sync_saves_a_revision_creates_web_0_only_and_writes_the_status():
    h, _ = setup()
    assert writes(h.sync(KEY)) == [("create", "controllerrevisions", "default/web-" + hash_controller_revision(
        h.api.list("controllerrevisions", "default")[0]["data"], 0)), ("create", "pods", "default/web-0"),
        ("update_status", "statefulsets", "default/web")]
    assert h.events == [("Normal", "SuccessfulCreate", "create Pod web-0 in StatefulSet web successful")]
    h.settle()
    assert writes(h.sync(KEY)) == [("update_status", "statefulsets", "default/web")]  # web-0 is not Ready: wait
    make_running(h, "web-0")
    assert writes(h.sync(KEY))[0] == ("create", "pods", "default/web-1")


def test_a_failed_pod_is_deleted_and_recreated_on_the_next_sync():
    h, _ = setup(replicas=1)
    h.sync(KEY)
    h.settle()
    make_running(h, "web-0", ready=False, phase="Failed")
    assert writes(h.sync(KEY)) == [("delete", "pods", "default/web-0"), ("update_status", "statefulsets", "default/web")]
    assert h.events == [("Normal", "SuccessfulDelete", "delete Pod web-0 in StatefulSet web successful")]
    h.settle()
    assert writes(h.sync(KEY))[0] == ("create", "pods", "default/web-0")


def test_a_failed_create_records_a_warning_and_fails_the_sync():
    h, _ = setup(replicas=1)
    h.client.fail[("create", "pods")] = forbidden(lookup("pods"), "web-0", "exceeded quota")
    with pytest.raises(ApiError):
        h.sync(KEY)
    assert h.events[0][:2] == ("Warning", "FailedCreate")
    assert h.events[0][2].startswith("create Pod web-0 in StatefulSet web failed error: ")


ON_DELETE = {"type": "OnDelete"}  # so that pods made without a revision label are not rolled


def test_an_orphan_pod_with_a_member_name_is_adopted_and_one_with_another_name_is_not():
    h, sts = setup(replicas=1, updateStrategy=ON_DELETE)
    h.create(*pod("web-0", phase="Running", ready=True))
    h.create(*pod("cache-0", phase="Running", ready=True))
    actions = writes(h.sync(KEY))
    assert ("patch", "pods", "default/web-0") in actions and ("patch", "pods", "default/cache-0") not in actions
    assert h.get("pods", "web-0")["metadata"]["ownerReferences"][0]["uid"] == sts["metadata"]["uid"]


def test_a_pod_whose_name_label_was_removed_gets_its_identity_back():
    h, sts = setup(replicas=1, updateStrategy=ON_DELETE)
    h.create(*pod("web-0", owner=sts, phase="Running", ready=True))
    assert ("update", "pods", "default/web-0") in writes(h.sync(KEY))
    fixed = h.get("pods", "web-0")
    assert identity_matches(sts, fixed) and fixed["metadata"]["labels"]["apps.kubernetes.io/pod-index"] == "0"
    assert h.events == [("Normal", "SuccessfulUpdate", "update Pod web-0 in StatefulSet web successful")]


def test_parallel_creates_every_missing_pod_in_one_sync():
    h, _ = setup(podManagementPolicy="Parallel")
    created = [key for verb, resource, key in h.sync(KEY) if (verb, resource) == ("create", "pods")]
    assert created == ["default/web-0", "default/web-1", "default/web-2"]


@pytest.mark.parametrize("policy, deleted", [
    ("OrderedReady", ["default/web-4"]),
    ("Parallel", ["default/web-4", "default/web-3"]),
], ids=["OrderedReady deletes only the highest surplus pod per sync",
        "Parallel deletes every surplus pod at once, highest first"])
def test_scale_down(policy, deleted):
    h, sts = setup(replicas=3, podManagementPolicy=policy, updateStrategy=ON_DELETE)
    for i in range(5):
        h.create(*pod(f"web-{i}", owner=sts, phase="Running", ready=True,
                      labels={"app": "web", "statefulset.kubernetes.io/pod-name": f"web-{i}"}))
    actions = h.sync(KEY)
    assert [key for verb, resource, key in actions if (verb, resource) == ("delete", "pods")] == deleted


def test_an_orphan_revision_is_adopted():
    h, sts = setup(replicas=0)
    h.sync(KEY)
    h.settle()
    rev = h.api.list("controllerrevisions", "default")[0]
    h.api.patch("controllerrevisions", rev["metadata"]["name"],
                {"metadata": {"ownerReferences": [{"$patch": "delete", "uid": sts["metadata"]["uid"]}]}})
    h.settle()
    assert writes(h.sync(KEY))[:1] == [("patch", "controllerrevisions", f"default/{rev['metadata']['name']}")]
    assert h.api.list("controllerrevisions", "default")[0]["metadata"]["ownerReferences"][0]["kind"] == "StatefulSet"


def test_a_name_taken_by_another_revision_counts_a_collision():
    h, sts = setup(replicas=0)
    squatter = new_revision(h.get("statefulsets", "web"), 1, 0)
    squatter["data"] = {"spec": {"template": {"metadata": {"labels": {"app": "other"}}, "$patch": "replace"}}}
    squatter["metadata"]["ownerReferences"] = [owner_reference({**sts, "metadata": {**sts["metadata"], "uid": "x"}})]
    h.api.create(squatter)
    h.settle()
    h.sync(KEY)
    status = h.get("statefulsets", "web")["status"]
    assert status["collisionCount"] == 1 and status["updateRevision"] != squatter["metadata"]["name"]


def test_the_status_counts_only_created_pods_and_not_terminating_ones_as_current():
    created = {"metadata": {"name": "web-0", "labels": {"controller-revision-hash": "web-a"}},
               "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}}
    terminating = {"metadata": {"name": "web-1", "deletionTimestamp": "2026-01-05T09:00:00Z",
                                "labels": {"controller-revision-hash": "web-a"}}, "status": {"phase": "Running"}}
    placeholder = {"metadata": {"name": "web-2", "labels": {"controller-revision-hash": "web-b"}}}
    assert compute_replica_status([created, terminating, placeholder], 0, 0.0, "web-a", "web-b") == {
        "replicas": 2, "readyReplicas": 1, "availableReplicas": 1, "currentReplicas": 1, "updatedReplicas": 0}
