"""podgc: the pods of a deleted Node are marked Failed, with a DisruptionTarget condition, and force-deleted
after a 40 s quarantine; pods stuck Terminating on an out-of-service node are marked Failed and force-deleted
at the next 20 s pass."""

import ctlkit
import pytest

from k8slearn import Cluster
from k8slearn.controllers.podgc import PodGCController


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


# ---- gcTerminating: pods stuck Terminating on an out-of-service node -------------------------------

OUT_OF_SERVICE = {"key": "node.kubernetes.io/out-of-service", "value": "nodeshutdown", "effect": "NoExecute"}


def _terminating_pod_on(harness, node_name, phase="Running", deleted=True):
    obj, status = ctlkit.pod("web-1", node=node_name, phase=phase)
    obj["metadata"]["finalizers"] = ["example.com/hold"]  # keeps the object while the test looks at it
    harness.create(obj, status)
    if deleted:
        harness.api.delete("pods", "web-1", "default")
        harness.settle()


@pytest.mark.parametrize("ready, taints, phase, deleted, actions", [
    pytest.param("Unknown", [OUT_OF_SERVICE], "Running", True,
                 [("patch", "pods", "default/web-1"), ("delete", "pods", "default/web-1")],
                 id="a terminating pod on an unreachable out-of-service node is marked Failed, then deleted"),
    pytest.param("False", [OUT_OF_SERVICE], "Running", True,
                 [("patch", "pods", "default/web-1"), ("delete", "pods", "default/web-1")],
                 id="a terminating pod on a NotReady out-of-service node is marked Failed, then deleted"),
    pytest.param("False", [OUT_OF_SERVICE], "Failed", True, [("delete", "pods", "default/web-1")],
                 id="a pod that is already Failed is only deleted"),
    pytest.param("True", [OUT_OF_SERVICE], "Running", True, [],
                 id="a Ready node keeps its terminating pods although it carries the taint"),
    pytest.param("Unknown", [], "Running", True, [],
                 id="an unreachable node without the out-of-service taint keeps its terminating pods"),
    pytest.param("Unknown", [OUT_OF_SERVICE], "Running", False, [],
                 id="a pod that is not terminating is left alone"),
])
def test_gc_terminating(ready, taints, phase, deleted, actions):
    harness = ctlkit.Harness(PodGCController).start()
    harness.create(ctlkit.node("node-1", taints=taints, ready=ready))
    _terminating_pod_on(harness, "node-1", phase, deleted)
    harness.client.actions.clear()
    harness.controller.gc_terminating()
    assert harness.client.actions == actions
    if actions and actions[0][0] == "patch":
        pod = harness.get("pods", "web-1")
        # markFailedAndDeletePod: the phase only, no condition; then grace period 0
        status, meta = pod["status"], pod["metadata"]
        assert (status["phase"], status.get("conditions"), meta["deletionGracePeriodSeconds"]) == (
            "Failed", None, 0)


def test_pods_of_one_pass_go_evicted_first_then_oldest_first():
    harness = ctlkit.Harness(PodGCController).start()
    harness.create(ctlkit.node("node-1", taints=[OUT_OF_SERVICE], ready="Unknown"))
    evicted = {"phase": "Failed", "reason": "Evicted"}
    running = {"phase": "Running"}
    for name, status in (("c-old", running), ("a-evicted", evicted), ("b-young", running)):
        obj, _ = ctlkit.pod(name, node="node-1")
        obj["metadata"]["finalizers"] = ["example.com/hold"]
        harness.create(obj, status)
        harness.loop.run(1.0)  # one second apart: creationTimestamps differ
    for name in ("c-old", "a-evicted", "b-young"):
        harness.api.delete("pods", name, "default")
    harness.settle()
    harness.client.actions.clear()
    harness.controller.gc_terminating()
    assert [a[2] for a in harness.client.actions if a[0] == "delete"] == [
        "default/a-evicted", "default/c-old", "default/b-young"]


def test_a_pod_stuck_terminating_on_a_shut_down_node_goes_within_one_gc_period_of_the_out_of_service_taint():
    c = Cluster(workers=2, seed=3)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.settle()
    name = next(p["metadata"]["name"] for p in c.api.list("pods", "default")
                if p["spec"]["nodeName"] == "node-1")
    c.stop_node("node-1")
    c.run(70)
    assert "NotReady" in c.kubectl("get node node-1").stdout
    watch = c.api.watch("pods", namespace="default",
                        resource_version=c.api.get("pods", name, "default")["metadata"]["resourceVersion"])
    start = c.now
    assert c.kubectl("taint nodes node-1 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute").code == 0
    c.run(1)
    assert c.api.get("pods", name, "default")["metadata"].get("deletionTimestamp")  # Terminating: no kubelet
    c.run(20)
    events = [(t, o) for t, o in watch if o["metadata"]["name"] == name]
    seen = [(t, o["status"]["phase"], o["metadata"].get("deletionGracePeriodSeconds")) for t, o in events]
    assert seen[-3:] == [("MODIFIED", "Failed", 30), ("MODIFIED", "Failed", 0), ("DELETED", "Failed", 0)]
    gone_at = c.now
    assert gone_at - start <= 21
    failed = events[-3][1]
    # no condition of its own: only the taint manager's DisruptionTarget
    targets = [x.get("reason") for x in failed["status"]["conditions"] if x["type"] == "DisruptionTarget"]
    assert targets == ["DeletionByTaintManager"]
    assert c.kubectl(f"get pod {name}").code == 1
