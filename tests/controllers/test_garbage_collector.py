"""Garbage collector: background, foreground and orphan deletion through ownerReferences."""

import pytest
from ctlkit import Harness, deployment, pod, replicaset

from k8slearn.api.meta import owner_reference
from k8slearn.controllers.garbage_collector import GarbageCollector


def world():
    """A Deployment owning a ReplicaSet owning two (unscheduled) pods; the collector running."""
    h = Harness(GarbageCollector)
    d = h.create(deployment(replicas=2))
    rs_obj = replicaset(name="web-1")
    rs_obj["metadata"]["ownerReferences"] = [owner_reference(d)]
    rs = h.create(rs_obj)
    for name in ("web-1-a", "web-1-b"):
        h.create(pod(name, owner=rs)[0])
    h.controller.run()
    h.loop.run(1)
    return h


def names(h, resource):
    return sorted(o["metadata"]["name"] for o in h.api.list(resource, "default"))


@pytest.mark.parametrize("policy, deployments, replicasets, pods", [
    (None, [], [], []),
    ("Background", [], [], []),
    ("Foreground", [], [], []),
    ("Orphan", [], ["web-1"], ["web-1-a", "web-1-b"]),
], ids=["the default (background) deletes the whole tree",
        "background deletes the whole tree",
        "foreground deletes the whole tree, dependents first",
        "orphan keeps the ReplicaSet and its pods"])
def test_deleting_a_deployment(policy, deployments, replicasets, pods):
    h = world()
    h.api.delete("deployments", "web", propagation_policy=policy)
    h.loop.run(5)
    assert (names(h, "deployments"), names(h, "replicasets"), names(h, "pods")) == (deployments, replicasets, pods)


def test_foreground_keeps_the_owner_until_its_blocking_dependents_are_gone():
    h = world()
    h.api.delete("deployments", "web", propagation_policy="Foreground")
    d = h.get("deployments", "web")
    assert d["metadata"]["finalizers"] == ["foregroundDeletion"] and d["metadata"]["deletionTimestamp"]
    order = []
    h.loop.run(5)
    for step in h.loop.trace:
        if step.component == "etcd" and step.action == "delete":
            order.append(step.object.split("/")[2])
    assert order.index("pods") < order.index("replicasets") < order.index("deployments")


def test_orphaning_removes_the_owner_reference_from_the_dependents():
    h = world()
    h.api.delete("replicasets", "web-1", propagation_policy="Orphan")
    h.loop.run(5)
    assert names(h, "replicasets") == []
    assert [bool(p["metadata"].get("ownerReferences")) for p in h.api.list("pods", "default")] == [False, False]


def test_a_dependent_whose_owner_never_existed_is_collected():
    h = Harness(GarbageCollector)
    ghost = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "ghost", "uid": "no-such-uid"}}
    h.create(pod("orphaned", owner=ghost)[0])
    h.controller.run()
    h.loop.run(2)
    assert names(h, "pods") == []


def test_an_object_with_one_live_owner_left_only_loses_the_dead_reference():
    h = Harness(GarbageCollector)
    alive = h.create(replicaset(name="alive"))
    obj = pod("shared", owner=alive)[0]
    obj["metadata"]["ownerReferences"].append({"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "gone",
                                               "uid": "gone-uid"})
    h.create(obj)
    h.controller.run()
    h.loop.run(2)
    refs = h.get("pods", "shared")["metadata"]["ownerReferences"]
    assert [r["name"] for r in refs] == ["alive"]
