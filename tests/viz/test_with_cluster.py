"""The picture and the panel on a real k8slearn.Cluster (read through its API only)."""

import pytest

from k8slearn import Cluster
from k8slearn.viz import ClusterView, render_png, snapshot, summary

pytest.importorskip("ipywidgets")

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
"""


@pytest.fixture(scope="module")
def settled():
    cluster = Cluster(workers=3, seed=0)
    cluster.settle()
    return cluster


def test_the_snapshot_of_a_new_cluster_has_its_nodes_control_plane_first(settled):
    snap = snapshot(settled)
    assert [n.name for n in snap.nodes][:1] == ["control-plane"]
    assert sorted(n.name for n in snap.nodes if not n.control_plane) == ["node-1", "node-2", "node-3"]
    assert all(n.ready == "True" for n in snap.nodes)
    assert snap.now == settled.now


def test_reading_for_the_picture_leaves_the_trace_alone(settled):
    before = list(settled.trace)
    snapshot(settled)
    assert settled.trace == before


def test_the_alt_text_of_a_new_cluster(settled):
    assert summary(settled).startswith("3 worker nodes and 1 control-plane node, all Ready;")


def test_the_same_seed_draws_the_same_picture():
    first, second = Cluster(workers=2, seed=3), Cluster(workers=2, seed=3)
    first.settle()
    second.settle()
    assert render_png(first) == render_png(second)


def test_apply_settle_add_stop_through_the_panel():
    view = ClusterView(Cluster(workers=3, seed=0), selector="app=web")
    view.yaml.value = DEPLOYMENT
    view.buttons["Apply YAML"].click()
    assert "deployment.apps/web created" in view.result.value
    view.buttons["Settle"].click()
    assert "3 pods matching app=web: 3 Running" in view.alt.value, view.status.value
    before = view.image.value
    view.buttons["Add node"].click()
    assert view.nodes.value == "node-4" and "4 worker nodes" in view.alt.value
    assert view.image.value != before
    view.nodes.value = "node-4"
    view.buttons["Stop node"].click()
    for _ in range(6):
        view.buttons["Run 10 s"].click()
    assert "node-4 NotReady" in view.alt.value, view.alt.value
    view.buttons["Step"].click()
    assert "failed" not in view.status.value
    assert "→" in view.log.value


@pytest.mark.parametrize("replicas, promise, control_plane_status", [
    pytest.param(1, "No node controller runs now, so nothing marks control-plane NotReady", "Ready",
                 id="with one control plane, stopping it leaves it Ready as the panel says"),
    pytest.param(2, "the standby on control-plane-2 takes over their Leases", "NotReady",
                 id="with a standby, stopping the control plane gets it marked NotReady"),
])
def test_stopping_the_control_plane_through_the_panel(replicas, promise, control_plane_status):
    cluster = Cluster(workers=1, seed=0, control_plane_replicas=replicas)
    view = ClusterView(cluster)
    view.nodes.value = "control-plane"
    view.buttons["Stop node"].click()
    assert promise in view.status.value
    for _ in range(12):
        view.buttons["Run 10 s"].click()
    rows = [line.split() for line in str(cluster.kubectl("get nodes")).splitlines()[1:]]
    assert {row[0]: row[1] for row in rows} == {"control-plane": control_plane_status, "node-1": "Ready"}


@pytest.mark.parametrize("node, clicks, message", [
    pytest.param("node-1", ["Stop node", "Stop node"], "node-1 is already stopped: nothing changed.",
                 id="stopping a stopped node adds nothing to the trace"),
    pytest.param("control-plane", ["Stop node", "Stop node"],
                 "control-plane is already stopped: nothing changed.",
                 id="stopping the stopped control plane adds nothing to the trace"),
    pytest.param("node-1", ["Start node"], "node-1 is already running: nothing changed.",
                 id="starting a running node adds nothing to the trace"),
])
def test_a_stop_or_start_that_changes_nothing_leaves_the_cluster_alone(node, clicks, message):
    cluster = Cluster(workers=1, seed=0)
    view = ClusterView(cluster)
    view.nodes.value = node
    for button in clicks[:-1]:
        view.buttons[button].click()
    before = list(cluster.trace)
    view.buttons[clicks[-1]].click()
    assert cluster.trace == before
    assert message in view.status.value


def test_the_picture_greys_out_the_scheduler_and_controller_manager_of_a_stopped_control_plane():
    cluster = Cluster(workers=2, seed=0)
    view = ClusterView(cluster)
    view.nodes.value = "control-plane"
    view.buttons["Stop node"].click()
    assert snapshot(cluster).stopped == ("kube-scheduler", "kube-controller-manager")
    assert view.alt.value.split(">", 1)[1].startswith("kube-scheduler and kube-controller-manager are stopped. ")
    boxes = {cid.split("/")[1]: box for cid, box in view.picture._component_boxes.items()}
    assert [boxes[name].get_text() for name in ("kube-scheduler", "kube-controller-manager", "kube-apiserver")] == [
        "kube-scheduler\n(stopped)", "kube-controller-manager\n(stopped)", "kube-apiserver"]
    assert boxes["kube-scheduler"].get_bbox_patch().get_facecolor()[:3] == pytest.approx((0xec / 255,) * 3)
    view.buttons["Start node"].click()
    assert snapshot(cluster).stopped == ()
    assert boxes["kube-scheduler"].get_text() == "kube-scheduler"


def _standby_by_hand(cluster):
    """A kube-controller-manager the cluster does not know of, as chapter 07 starts one."""
    from k8slearn.controllers.manager import ControllerManager

    standby = ControllerManager(cluster.loop, cluster.apiserver.client("kube-controller-manager"),
                                hostname="control-plane-2")
    standby.start()
    return standby


@pytest.mark.parametrize("start_standby, while_it_waits", [
    pytest.param(_standby_by_hand, ("kube-controller-manager",),
                 id="a standby started by hand is known by its Lease, once it leads"),
    pytest.param(lambda cluster: cluster.add_controller_manager("control-plane-2"), (),
                 id="a standby the cluster added is known as a running process"),
])
def test_the_picture_shows_the_controller_manager_running_while_a_standby_leads(
        start_standby, while_it_waits):
    cluster = Cluster(workers=1, seed=0)
    standby = start_standby(cluster)
    cluster.settle()
    cluster.controller_managers[0].stop()
    assert snapshot(cluster).stopped == while_it_waits
    cluster.run(30)
    assert standby.leading
    assert snapshot(cluster).stopped == ()
    assert not summary(snapshot(cluster)).startswith("kube-controller-manager is stopped")


def test_a_stopped_standby_started_by_hand_is_stopped_once_its_lease_runs_out():
    cluster = Cluster(workers=1, seed=0)
    standby = _standby_by_hand(cluster)
    cluster.settle()
    cluster.controller_managers[0].stop()
    cluster.run(30)
    standby.stop()
    cluster.run(16)                                    # leaseDurationSeconds: 15
    assert snapshot(cluster).stopped == ("kube-controller-manager",)
