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


def _graph_obj(uid, kind="Pod", owners=None, frozen=True):
    from k8slearn.api.meta import freeze
    obj = {"apiVersion": "v1", "kind": kind, "metadata": {"uid": uid, "name": uid, "namespace": "default"}}
    if owners is not None:
        obj["metadata"]["ownerReferences"] = [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": o, "uid": o, "controller": True} for o in owners]
    return freeze(obj) if frozen else obj


@pytest.mark.parametrize("frozen", [True, False], ids=[
    "an informer's read-only owner references are kept as they are",
    "a plain list of owner references is copied",
])
def test_the_graph_keeps_read_only_owner_references_and_copies_mutable_ones(frozen):
    from k8slearn.controllers.gc_graph import Graph
    g = Graph()
    pod = _graph_obj("p1", owners=["rs"], frozen=frozen)
    g.observe(pod)
    refs = pod["metadata"]["ownerReferences"]
    assert g.nodes["p1"].owners == refs
    assert (g.nodes["p1"].owners is refs) is frozen


@pytest.mark.parametrize("updates, dependents", [
    ([["rs"]], {"rs": ["p1"]}),
    ([["rs"], ["rs"]], {"rs": ["p1"]}),
    ([["rs"], ["rs2"]], {"rs": [], "rs2": ["p1"]}),
    ([["rs"], ["rs", "rs2"]], {"rs": ["p1"], "rs2": ["p1"]}),
    ([["rs"], []], {"rs": []}),
], ids=[
    "a pod is its owner's dependent",
    "an update with the same owners changes nothing",
    "a new owner takes the dependent over",
    "a second owner adds the dependent to it too",
    "dropping every owner removes the dependent",
])
def test_owner_changes_move_dependents(updates, dependents):
    from k8slearn.controllers.gc_graph import Graph
    g = Graph()
    old = None
    for owners in updates:
        new = _graph_obj("p1", owners=owners)
        g.observe(new, old)
        old = new
    assert {uid: sorted(g.nodes[uid].dependents) for uid in dependents} == dependents
    assert not g.nodes["p1"].dependents


def test_nodes_without_dependents_share_nothing_they_could_change():
    from k8slearn.controllers.gc_graph import Graph
    g = Graph()
    g.observe(_graph_obj("a", owners=["rs-a"]))
    g.observe(_graph_obj("b", owners=["rs-b"]))
    assert sorted(g.nodes["rs-a"].dependents) == ["a"] and sorted(g.nodes["rs-b"].dependents) == ["b"]
    g.remove("a")
    assert not g.nodes["rs-a"].dependents and sorted(g.nodes["rs-b"].dependents) == ["b"]


@pytest.mark.parametrize("recreate", [
    pytest.param(True, id="a Deployment deleted and made again while kube-controller-manager was down"),
    pytest.param(False, id="a Deployment deleted while kube-controller-manager was down"),
])
def test_a_restarted_controller_manager_starts_with_an_empty_graph_and_collects_the_old_replica_set(recreate):
    """A new process knows only what its first lists tell it: the old ReplicaSet's owner is a UID no
    live object has, whatever the name, so the ReplicaSet and its pods go (the restarted process
    kept its old graph, which still held the deleted Deployment as observed)."""
    from k8slearn import Cluster

    manifest = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: %d\n"
                "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                "    spec: {containers: [{name: c, image: nginx:1.27}]}\n")
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=manifest % 2)
    c.settle()
    c.kubectl("delete deployment web --wait=false")
    c.stop_node("control-plane")
    if recreate:
        c.kubectl("apply -f -", stdin=manifest % 1)
    c.start_node("control-plane")
    c.settle()
    c.run(120)
    c.settle()
    live = {d["metadata"]["uid"] for d in c.api.list("deployments", "default")}
    owners = [r["metadata"]["ownerReferences"][0]["uid"] for r in c.api.list("replicasets", "default")]
    assert owners == ([next(iter(live))] if recreate else [])
    assert len(c.api.list("pods", "default")) == (1 if recreate else 0)


def _ns_obj(uid, namespace, kind="Pod", api_version="v1", owner=None):
    """A graph object; ``owner`` is ``(name, uid)`` of a ReplicaSet it references."""
    obj = {"apiVersion": api_version, "kind": kind, "metadata": {"uid": uid, "name": uid, "namespace": namespace}}
    if owner is not None:
        obj["metadata"]["ownerReferences"] = [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": owner[0], "uid": owner[1]}]
    return obj


@pytest.mark.parametrize("first, pod, queued, reported", [
    (_ns_obj("rs", "default", "ReplicaSet", "apps/v1"), _ns_obj("p", "other", owner=("rs", "rs")), True, True),
    (_ns_obj("a", "other", owner=("rs", "rs")), _ns_obj("p", "default", owner=("rs", "rs")), True, False),
    (_ns_obj("rs", "default", "ReplicaSet", "apps/v1"), _ns_obj("p", "default", owner=("web", "rs")), True, False),
    (_ns_obj("rs", "default", "ReplicaSet", "apps/v1"), _ns_obj("p", "default", owner=("rs", "rs")), False, False),
], ids=["an owner observed in another namespace: the dependent is checked and the reference reported",
        "an owner so far only referenced from another namespace: the dependent is checked, nothing reported",
        "a reference with another name than the observed owner: the dependent is checked",
        "a reference that matches its owner in the same namespace: nothing to check"])
def test_a_dependent_whose_reference_cannot_mean_the_owner_in_the_graph_is_queued(first, pod, queued, reported):
    from k8slearn.controllers.gc_graph import Graph
    g = Graph()
    g.observe(first)
    g.attempt_to_delete.clear()
    g.observe(pod)
    assert ("p" in g.attempt_to_delete) is queued
    assert [(n.name, r["uid"]) for n, r in g.invalid_namespace_owner_refs] == ([("p", "rs")] if reported else [])
    assert "p" in g.nodes["rs"].dependents


def test_a_pod_owned_across_namespaces_is_deleted_with_an_OwnerRefInvalidNamespace_warning():
    h = Harness(GarbageCollector)
    h.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}})
    rs = h.create(replicaset(name="web-1"))
    h.create(pod("y", owner=rs)[0])
    h.controller.run()
    h.loop.run(1)
    h.create(pod("x", owner=rs, namespace="other")[0])  # the owner is in the graph, observed, in default
    h.loop.run(2)
    assert (names(h, "pods"), h.api.list("pods", "other")) == (["y"], [])
    assert h.events == [("Warning", "OwnerRefInvalidNamespace",
                         f"ownerRef [apps/v1/ReplicaSet, namespace: other, name: web-1, uid: {rs['metadata']['uid']}] "
                         'does not exist in namespace "other"')]
    event = h.api.list("events", "other")[0]
    assert (event["involvedObject"]["kind"], event["involvedObject"]["name"], event["source"]) == (
        "Pod", "x", {"component": "garbage-collector-controller"})
