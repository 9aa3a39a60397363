"""Snapshot: the plain record the picture is drawn from."""

import pytest
from vizkit import FakeCluster, node, owner, pod, sample_objects, service

from k8slearn.viz.snapshot import Snapshot, snapshot


@pytest.mark.parametrize("obj, expected", [
    (node("node-1"), ("node-1", "True", "Ready", False, ())),
    (node("node-2", ready="False"), ("node-2", "False", "NotReady", False, ())),
    (node("node-3", ready="Unknown", unschedulable=True),
     ("node-3", "Unknown", "NotReady,SchedulingDisabled", True, ())),
    (node("control-plane", control_plane=True),
     ("control-plane", "True", "Ready", False, ("control-plane",))),
    ({"kind": "Node", "metadata": {"name": "bare"}}, ("bare", "Unknown", "Unknown", False, ())),
], ids=[
    "a node whose Ready condition is True is Ready",
    "a node whose Ready condition is False is NotReady",
    "a cordoned node that stopped reporting is NotReady,SchedulingDisabled",
    "a node labelled node-role.kubernetes.io/control-plane has the control-plane role",
    "a node without a Ready condition is Unknown, as kubectl prints it",
])
def test_node_fields(obj, expected):
    info = Snapshot.from_objects([obj]).nodes[0]
    assert (info.name, info.ready, info.status, info.unschedulable, info.roles) == expected


def test_control_plane_taint_is_kept_as_text():
    info = Snapshot.from_objects([node("control-plane", control_plane=True)]).nodes[0]
    assert info.taints == ("node-role.kubernetes.io/control-plane:NoSchedule",)
    assert info.control_plane


@pytest.mark.parametrize("obj, expected", [
    (pod("web", "node-1"), ("Running", "Running", "node-1")),
    (pod("web", "", "Pending"), ("Pending", "Pending", "")),
    (pod("web", "node-1", "ContainerCreating"), ("Pending", "ContainerCreating", "node-1")),
    (pod("web", "node-1", "CrashLoopBackOff"), ("Running", "CrashLoopBackOff", "node-1")),
    (pod("web", "node-1", "Terminating"), ("Running", "Terminating", "node-1")),
    ({"kind": "Pod", "metadata": {"name": "bare"}}, ("Pending", "Pending", "")),
], ids=[
    "a running pod on a node is Running",
    "a pod without a node is Pending",
    "a bound pod whose container is being created shows ContainerCreating",
    "a pod whose container keeps crashing shows CrashLoopBackOff",
    "a pod with a deletion timestamp shows Terminating",
    "a bare manifest with no status is Pending in namespace default",
])
def test_pod_status_is_what_kubectl_prints(obj, expected):
    info = Snapshot.from_objects([obj]).pods[0]
    assert (info.phase, info.status, info.node) == expected
    assert info.namespace == "default"


def test_pod_owner_is_its_controller_reference():
    snap = Snapshot.from_objects([pod("web-1", "node-1", owner=("ReplicaSet", "web-abc"))])
    assert snap.pods[0].owner == ("ReplicaSet", "web-abc")


def test_labels_and_selectors_are_sorted_pairs():
    snap = Snapshot.from_objects([pod("p", labels={"b": "2", "a": "1"}),
                                  service("s", {"z": "9", "app": "x"})])
    assert snap.pods[0].labels == (("a", "1"), ("b", "2"))
    assert snap.services[0].selector == (("app", "x"), ("z", "9"))


def test_owners_keep_their_own_controller_and_desired_count():
    snap = Snapshot.from_objects([owner("Deployment", "web", replicas=3),
                                  owner("ReplicaSet", "web-abc", replicas=3, owned_by=("Deployment", "web")),
                                  owner("DaemonSet", "kube-proxy", "kube-system", replicas=4)])
    assert [(o.kind, o.name, o.owner, o.desired) for o in snap.owners] == [
        ("Deployment", "web", (), 3), ("ReplicaSet", "web-abc", ("Deployment", "web"), 3),
        ("DaemonSet", "kube-proxy", (), 4)]


def test_endpoints_keep_ready_and_not_ready_pod_names():
    ep = {"kind": "Endpoints", "metadata": {"name": "web", "namespace": "default"},
          "subsets": [{"addresses": [{"ip": "10.244.1.2", "targetRef": {"kind": "Pod", "name": "web-2"}},
                                     {"ip": "10.244.2.2", "targetRef": {"kind": "Pod", "name": "web-1"}}],
                       "notReadyAddresses": [{"ip": "10.244.3.2",
                                              "targetRef": {"kind": "Pod", "name": "web-3"}}]}]}
    info = Snapshot.from_objects([ep]).endpoints[0]
    assert (info.ready, info.not_ready) == (("web-1", "web-2"), ("web-3",))


def test_snapshot_reads_the_cluster_through_its_api_and_clock():
    cluster = FakeCluster()
    cluster.now = 7.5
    snap = snapshot(cluster)
    assert snap.now == 7.5
    assert [n.name for n in snap.nodes] == ["control-plane", "node-1", "node-2", "node-3"]
    assert len(snap.pods) == 7 and [s.name for s in snap.services] == ["web"]
    assert [o.kind for o in snap.owners] == ["Deployment", "ReplicaSet"]


def test_snapshot_is_a_copy_that_later_changes_do_not_touch():
    objects = sample_objects()
    snap = Snapshot.from_objects(objects)
    first_pod = next(o for o in objects if o["kind"] == "Pod")
    first_pod["metadata"]["labels"]["app"] = "changed"
    assert dict(snap.pods[0].labels) == {"app": "web"}
    with pytest.raises(AttributeError):
        snap.pods[0].status = "Failed"
