"""podgc: the pods of a deleted Node are marked Failed, with a DisruptionTarget condition, and force-deleted
after a 40 s quarantine."""

import pytest

from k8slearn import Cluster


@pytest.fixture
def orphaned():
    """A Deployment's pod on node-1; node-1 powers off and its Node object is deleted."""
    c = Cluster(workers=2, seed=3)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.settle()
    pod = next(p for p in c.api.list("pods", "default") if p["spec"]["nodeName"] == "node-1")
    watch = c.api.watch("pods", namespace="default", resource_version=c.api.get("pods", pod["metadata"]["name"],
                                                                                 "default")["metadata"]["resourceVersion"])
    c.stop_node("node-1")
    c.api.delete("nodes", "node-1", None)
    return c, pod["metadata"]["name"], watch


def test_the_pods_of_a_deleted_node_wait_out_the_quarantine(orphaned):
    c, name, _ = orphaned
    c.run(39)
    assert c.api.get("pods", name, "default")["status"]["phase"] == "Running"


def test_then_each_is_marked_failed_with_a_disruption_target_and_force_deleted(orphaned):
    c, name, watch = orphaned
    c.run(45)
    events = [(t, o) for t, o in watch if o["metadata"]["name"] == name]
    assert [(t, o["status"]["phase"], bool(o["metadata"].get("deletionTimestamp"))) for t, o in events] == [
        ("MODIFIED", "Failed", False), ("MODIFIED", "Failed", True), ("DELETED", "Failed", True)]
    condition = next(x for x in events[0][1]["status"]["conditions"] if x["type"] == "DisruptionTarget")
    assert (condition["status"], condition["reason"], condition["message"]) == (
        "True", "DeletionByPodGC", "PodGC: node no longer exists")
    c.settle()
    pods = c.api.list("pods", "default")
    assert len(pods) == 2 and all(p["spec"]["nodeName"] == "node-2" for p in pods)


def test_a_pod_bound_to_a_node_that_never_existed_is_collected_after_the_quarantine():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: lost}\nspec:\n  nodeName: node-9\n"
                                  "  containers: [{name: a, image: nginx}]\n")
    watch = c.api.watch("pods", namespace="default",
                        resource_version=c.api.get("pods", "lost", "default")["metadata"]["resourceVersion"])
    c.run(39)
    assert c.api.get("pods", "lost", "default")["status"]["phase"] == "Pending"
    c.run(2)
    assert c.kubectl("get pod lost").code == 1
    events = [(t, o) for t, o in watch if o["metadata"]["name"] == "lost"]
    assert [(t, o["status"]["phase"]) for t, o in events] == [("MODIFIED", "Failed"), ("MODIFIED", "Failed"),
                                                              ("DELETED", "Failed")]
    assert [cond["reason"] for cond in events[0][1]["status"]["conditions"] if cond["type"] == "DisruptionTarget"] == [
        "DeletionByPodGC"]
