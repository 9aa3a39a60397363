"""Controller pictures: timeline rows from the trace and Events, the DaemonSet panel, rollout samples.

The row-building functions are tested on hand-made traces; the views on small real clusters
(module-scoped, so each is built once). Buttons are exercised by calling the panel's actions.
"""

import subprocess
import sys

import pytest
from vizkit import recorder

from k8slearn.sim import Step
from k8slearn.viz.daemon_nodes import daemon_nodes
from k8slearn.viz.graph import summary
from k8slearn.viz.rollout_samples import rollout_history_rows
from k8slearn.viz.timeline import controller_rows, lanes, summary_text

PNG = b"\x89PNG\r\n\x1a\n"
KCM = "kube-controller-manager"


def event(name, reason, message, kind, obj, source, namespace="default", host=""):
    return {"metadata": {"namespace": namespace, "name": name}, "reason": reason, "message": message,
            "involvedObject": {"kind": kind, "namespace": namespace, "name": obj},
            "source": {"component": source, **({"host": host} if host else {})}}


def scaled(name, rs, old, new):
    direction = "up" if new > old else "down"
    return event(name, "ScalingReplicaSet", f"Scaled {direction} replica set {rs} from {old} to {new}",
                 "Deployment", "web", "deployment-controller")


def pod_event(name, verb, pod, owner="web-7c4b", kind="ReplicaSet", source="replicaset-controller"):
    reason = "SuccessfulCreate" if verb == "Created" else "SuccessfulDelete"
    return event(name, reason, f"{verb} pod: {pod}", kind, owner, source)


def ev_step(t, name, component=KCM, action="create"):
    return Step(t, component, action, f"event/default/{name}")


# A Deployment scaled to 3, its ReplicaSet creating 3 pods, then scaled to 1: 2 deletions.
SCALE_EVENTS = [scaled("e1", "web-7c4b", 0, 3), *(pod_event(f"c{i}", "Created", f"web-7c4b-{i}") for i in range(3)),
                scaled("e2", "web-7c4b", 3, 1), pod_event("d0", "Deleted", "web-7c4b-0"),
                pod_event("d1", "Deleted", "web-7c4b-1")]
SCALE_STEPS = [ev_step(1.0, "e1"), *(ev_step(1.1, f"c{i}") for i in range(3)), ev_step(9.0, "e2"),
               Step(9.1, KCM, "delete", "pod/default/web-7c4b-0", "graceful, 30s"), ev_step(9.1, "d0"),
               Step(9.1, KCM, "delete", "pod/default/web-7c4b-1", "graceful, 30s"), ev_step(9.1, "d1")]


def whys(steps, events, **kwargs):
    return [(r.controller, r.action, r.why) for r in controller_rows(steps, events, **kwargs)]


@pytest.mark.parametrize("steps, events, expected", [
    pytest.param(SCALE_STEPS, SCALE_EVENTS, [
        ("deployment-controller", "scale up", "replica set web-7c4b: 0 → 3 replicas"),
        ("replicaset-controller", "create 3 pods", "ReplicaSet web-7c4b: 0 of 3 pods → create 3"),
        ("deployment-controller", "scale down", "replica set web-7c4b: 3 → 1 replicas"),
        ("replicaset-controller", "delete 2 pods", "ReplicaSet web-7c4b: 3 pods, 1 wanted → delete 2")],
        id="one sync's creations or deletions become one row saying what the ReplicaSet had and wanted"),
    pytest.param(SCALE_STEPS[1:4], SCALE_EVENTS[1:4], [
        ("replicaset-controller", "create 3 pods", "ReplicaSet web-7c4b: too few pods → create 3")],
        id="without the Deployment's scaling event the row gives no counts"),
    pytest.param([ev_step(1.0, "c0"), Step(1.0, "kube-scheduler", "bind", "pod/default/agent-x", "node-4")],
                 [pod_event("c0", "Created", "agent-x", owner="agent", kind="DaemonSet",
                            source="daemonset-controller")],
                 [("daemonset-controller", "create pod", "DaemonSet agent: node-4 had no daemon pod → create 1")],
                 id="a DaemonSet's creation names the node its pod was bound to"),
    pytest.param([ev_step(1.0, "c0"), Step(1.0, "kube-scheduler", "bind", "pod/default/agent-x", "node-1"),
                  ev_step(2.0, "c1"), Step(2.0, "kube-scheduler", "bind", "pod/default/agent-y", "node-1"),
                  Step(3.0, KCM, "delete", "pod/default/agent-y", "graceful, 30s"), ev_step(3.0, "d0")],
                 [pod_event("c0", "Created", "agent-x", owner="agent", kind="DaemonSet", source="daemonset-controller"),
                  pod_event("c1", "Created", "agent-y", owner="agent", kind="DaemonSet", source="daemonset-controller"),
                  pod_event("d0", "Deleted", "agent-y", owner="agent", kind="DaemonSet", source="daemonset-controller")],
                 [("daemonset-controller", "create pod", "DaemonSet agent: node-1 had no daemon pod → create 1"),
                  ("daemonset-controller", "create pod", "DaemonSet agent: node-1 had no daemon pod → create 1"),
                  ("daemonset-controller", "delete pod", "DaemonSet agent: node-1 ran two daemon pods → delete 1")],
                 id="a DaemonSet deleting a second pod on a node says the node ran two"),
    pytest.param([ev_step(0.1, "c0"), Step(0.1, "kube-scheduler", "bind", "pod/default/agent-x", "node-1"),
                  Step(1.0, KCM, "create", "controllerrevision/default/agent-7756c5cc6d"),
                  Step(1.1, KCM, "delete", "pod/default/agent-x", "graceful, 30s"), ev_step(1.1, "d0")],
                 [pod_event("c0", "Created", "agent-x", owner="agent", kind="DaemonSet", source="daemonset-controller"),
                  pod_event("d0", "Deleted", "agent-x", owner="agent", kind="DaemonSet", source="daemonset-controller")],
                 [("daemonset-controller", "create pod", "DaemonSet agent: node-1 had no daemon pod → create 1"),
                  ("daemonset-controller", "create ControllerRevision", "a new pod template: a new revision to roll out"),
                  ("daemonset-controller", "delete pod",
                   "DaemonSet agent: node-1 ran the old pod template (rolling update) → delete 1")],
                 id="a DaemonSet deleting a pod older than its newest template is rolling out"),
    pytest.param([Step(2.5, "kube-scheduler", "schedule", "pod/default/agent-x",
                       "filtered 1 nodes: 0 feasible; 0/5 nodes are available: 1 node(s) had untolerated taint "
                       "{node.kubernetes.io/not-ready: }. preemption: 0/5 nodes are available: 5 Preemption is not "
                       "helpful for scheduling.")], [],
                 [("kube-scheduler", "schedule", ("no feasible node (1 node(s) had untolerated taint "
                                                  "{node.kubernetes.io/not-ready: }) → back to the queue"))],
                 id="a pod that fits nowhere goes back to the scheduling queue"),
    pytest.param([Step(2.0, KCM, "update", "endpoints/default/web"),
                  Step(2.0, KCM, "update", "replicaset/default/web-7c4b", "status"),
                  Step(2.0, KCM, "patch", "node/node-2", "409 Conflict: Operation cannot be fulfilled")],
                 [], [("endpoint-controller", "update Endpoints", "the Service's ready pods changed")],
                 id="writes are attributed by resource; status writes and failed writes are left out"),
    pytest.param([Step(3.0, "kube-scheduler", "schedule", "pod/default/web-1",
                       "filtered 4 nodes: 3 feasible; scored node-1=394, node-2=389, picked node-1")], [],
                 [("kube-scheduler", "schedule", "3 of 4 nodes feasible → node-1")],
                 id="the scheduler's decision reads as feasible nodes and the pick"),
    pytest.param([Step(4.0, "deployment-controller", "requeue", "default/web",
                       "sync failed: Operation cannot be fulfilled on deployments.apps \"web\": the object has "
                       "been modified; please apply your changes to the latest version and try again")], [],
                 [("deployment-controller", "requeue",
                   "conflict: the object changed after it was read → the workqueue retries the key")],
                 id="a conflict on write is a retry of the key, not a failure"),
    pytest.param([Step(0.0, "kubectl", "create", "statefulset/default/web"),
                  Step(0.1, KCM, "create", "controllerrevision/default/web-5d85c59ddf"), ev_step(0.1, "s0"),
                  ev_step(9.0, "s1")],
                 [event("s0", "SuccessfulCreate", "create Pod web-0 in StatefulSet web successful", "StatefulSet",
                        "web", "statefulset-controller"),
                  event("s1", "SuccessfulDelete", "delete Pod web-0 in StatefulSet web successful", "StatefulSet",
                        "web", "statefulset-controller")],
                 [("statefulset-controller", "create ControllerRevision",
                   "a new pod template: a new revision to roll out"),
                  ("statefulset-controller", "create pod", "StatefulSet web: web-0 missing → create it (one ordinal at a time)"),
                  ("statefulset-controller", "delete pod",
                   "StatefulSet web: web-0 beyond the replicas, or on the old revision → delete it")],
                 id="a StatefulSet's revision and pods are its own controller's, named by ordinal"),
    pytest.param([ev_step(60.1, "j0"), ev_step(121.1, "j1")],
                 [event("j0", "SuccessfulCreate", "Created job hello-29460061", "CronJob", "hello", "cronjob-controller"),
                  event("j1", "SuccessfulDelete", "Deleted job hello-29460061", "CronJob", "hello",
                        "cronjob-controller")],
                 [("cronjob-controller", "create job", "CronJob hello: a scheduled time came → create a Job"),
                  ("cronjob-controller", "delete job",
                   "CronJob hello: more finished Jobs than its history limit keeps → delete the oldest")],
                 id="a CronJob creates and deletes Jobs, not pods"),
    pytest.param([ev_step(5.0, "k1", component="kubelet/node-1")],
                 [event("k1", "Pulling", 'Pulling image "nginx"', "Pod", "web-1", "kubelet", host="node-1")], [],
                 id="kubelet events are left out unless asked for"),
])
def test_rows_say_which_controller_did_what_and_why(steps, events, expected):
    assert whys(steps, events) == expected


def test_kubelet_rows_name_their_node_when_asked_for():
    steps = [ev_step(5.0, "k1", component="kubelet/node-1")]
    events = [event("k1", "Pulling", 'Pulling image "nginx"', "Pod", "web-1", "kubelet", host="node-1")]
    assert whys(steps, events, kubelets=True) == [("kubelet", "Pulling", 'Pulling image "nginx" (node-1)')]


def test_rows_before_since_are_dropped_but_still_replayed():
    rows = controller_rows(SCALE_STEPS, SCALE_EVENTS, since=5.0)
    assert [r.why for r in rows][-1] == "ReplicaSet web-7c4b: 3 pods, 1 wanted → delete 2"
    assert min(r.time for r in rows) == 9.0


def test_lanes_follow_the_reading_order_and_the_summary_counts_them():
    rows = controller_rows(SCALE_STEPS, SCALE_EVENTS)
    assert lanes(rows) == ["deployment-controller", "replicaset-controller"]
    assert summary_text(rows) == ("4 controller actions from t = 1.0 s to t = 9.1 s: "
                                  "deployment-controller 2, replicaset-controller 2.")
    assert summary_text(rows[:1]) == "1 controller action at t = 1.0 s: deployment-controller 1."
    assert summary_text([]) == "No controller actions in this time window."


def test_rollout_rows_from_events_know_only_the_scaling_decisions():
    assert rollout_history_rows((SCALE_STEPS, SCALE_EVENTS)) == [(1.0, "web-7c4b", 3, None, None),
                                                                  (9.0, "web-7c4b", 1, None, None)]


# -- DaemonSet eligibility ------------------------------------------------------------------------

def _node(name, labels=None, taints=()):
    from k8slearn.course.cases.daemonset import node

    return node(name, labels=labels, taints=taints)


def _ds(**pod_spec):
    return {"metadata": {"name": "agent"}, "spec": {"template": {"spec": {"containers": [], **pod_spec}}}}


@pytest.mark.parametrize("node, ds, should_run, reason", [
    pytest.param(_node("n", taints=["node-role.kubernetes.io/control-plane:NoSchedule"]), _ds(), False,
                 "not tolerated: node-role.kubernetes.io/control-plane:NoSchedule",
                 id="the control plane's taint keeps a plain DaemonSet off"),
    pytest.param(_node("n"), _ds(nodeSelector={"disktype": "ssd"}), False,
                 "its labels do not match the nodeSelector / node affinity",
                 id="a node without the selected label is not eligible"),
    pytest.param(_node("n", taints=["node.kubernetes.io/unschedulable:NoSchedule"]), _ds(), True,
                 "eligible: labels match, taints tolerated",
                 id="a cordoned node is eligible"),
])
def test_daemon_nodes_give_the_controllers_answer_and_a_reason(node, ds, should_run, reason):
    (found,) = daemon_nodes([node], ds)
    assert (found.should_run, found.reason) == (should_run, reason)


# -- the views, on real clusters -------------------------------------------------------------------

DS_YAML = """
apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app: node-exporter
  template:
    metadata:
      labels:
        app: node-exporter
    spec:
      containers:
      - name: node-exporter
        image: prom/node-exporter:v1.8.2
"""


def web_cluster(seed=0):
    from k8slearn import Cluster

    cluster = Cluster(workers=3, seed=seed)
    cluster.kubectl("create deployment web --image=nginx:1.26 --replicas=4")
    cluster.settle()
    return cluster


@pytest.fixture(scope="module")
def timeline_cluster():
    return web_cluster()


def test_the_timeline_of_a_new_deployment_shows_the_chain_of_controllers(timeline_cluster):
    from k8slearn.viz.controllers_view import ControllerTimeline

    timeline = ControllerTimeline(timeline_cluster, controllers=["deployment-controller", "replicaset-controller"])
    assert [(r.controller, r.action) for r in timeline.rows] == [
        ("deployment-controller", "create ReplicaSet"), ("deployment-controller", "scale up"),
        ("replicaset-controller", "create 4 pods")]
    assert timeline.rows[-1].why.endswith(": 0 of 4 pods → create 4")
    assert timeline.png()[:8] == PNG
    assert "<td style" in timeline.html() and "create 4 pods" in timeline.html()


def test_the_timeline_is_the_same_text_and_picture_for_the_same_seed(timeline_cluster):
    from k8slearn.viz.controllers_view import ControllerTimeline

    first, second = ControllerTimeline(timeline_cluster), ControllerTimeline(web_cluster())
    assert first.text() == second.text()
    assert first.png() == second.png()


def test_a_leader_taking_the_lease_is_a_lead_row_with_its_own_legend_entry():
    from k8slearn.viz.controller_timeline import MARKERS

    took = event("l0", "LeaderElection", "control-plane-2_1f2e became leader", "Lease", "kube-controller-manager",
                 KCM, namespace="kube-system")
    rows = controller_rows([Step(17.3, KCM, "create", "event/kube-system/l0")], [took])
    assert [(r.controller, r.action, r.object, r.why, r.kind) for r in rows] == [
        (KCM, "lead", "lease/kube-system/kube-controller-manager", "control-plane-2_1f2e became leader", "lead")]
    assert MARKERS["lead"][2] == "lead (took the Lease)"


def test_the_timeline_reuses_its_figure_when_redrawn(timeline_cluster):
    from k8slearn.viz.controllers_view import ControllerTimeline

    timeline = ControllerTimeline(timeline_cluster)
    figure = timeline.figure()
    assert timeline.refresh().figure() is figure


def test_the_timeline_shows_a_picture_then_a_table(timeline_cluster, monkeypatch):
    from k8slearn.viz import controller_timeline

    shown = []
    monkeypatch.setattr(controller_timeline, "display_bundles", recorder(shown))
    timeline = controller_timeline.ControllerTimeline(timeline_cluster)
    timeline._ipython_display_()
    assert [sorted(b) for b, _ in shown] == [["image/png", "text/plain"], ["text/html", "text/plain"]]
    assert shown[0][0]["text/plain"] == timeline.summary()
    assert [metadata for _, metadata in shown] == [
        {"image/png": {"alt": f"Controller timeline: {timeline.summary()}"}}, {}]
    assert sorted(timeline._repr_mimebundle_()) == ["text/html", "text/plain"]


@pytest.fixture(scope="module")
def panel():
    pytest.importorskip("ipywidgets")
    from k8slearn.viz.controllers_view import DaemonSetPanel

    cluster = web_cluster()
    cluster.kubectl("apply -f -", stdin=DS_YAML)
    cluster.settle()
    return DaemonSetPanel(cluster, "node-exporter", namespace="monitoring")


def line(panel):
    return panel.text().splitlines()[0]


def test_the_panel_starts_with_one_daemon_pod_per_worker(panel):
    assert line(panel) == ("DaemonSet monitoring/node-exporter: 3 eligible nodes → 3 daemon pods "
                           "(desired 3, current 3, ready 3)")
    assert panel.image.value[:8] == PNG
    assert "Daemon pods are ringed" in panel.alt.value
    assert list(panel.buttons) == ["Add node", "Remove node", "Taint node", "Untaint node"]


def test_the_panel_follows_nodes_joining_tainted_and_leaving(panel):
    panel.perform("Add node", panel.add_node)
    assert line(panel).endswith("4 eligible nodes → 4 daemon pods (desired 4, current 4, ready 4)")
    message = panel.perform("Taint node", lambda: panel.taint_node("node-4", "NoExecute"))
    assert message == "kubectl taint nodes node-4 dedicated=infra:NoExecute --overwrite: node/node-4 modified"
    assert line(panel).endswith("3 eligible nodes → 3 daemon pods (desired 3, current 3, ready 3)")
    assert "node-4         no   no daemon pod" in panel.text()
    assert panel.text().endswith("not tolerated: dedicated=infra:NoExecute")
    panel.perform("Untaint node", lambda: panel.untaint_node("node-4"))
    assert line(panel).endswith("4 eligible nodes → 4 daemon pods (desired 4, current 4, ready 4)")
    panel.perform("Taint node", lambda: panel.taint_node("node-4", "NoSchedule"))
    assert line(panel).endswith("3 eligible nodes → 4 daemon pods (desired 3, current 3, ready 3, misscheduled 1)")
    assert "Number of Nodes Misscheduled: 1" in panel.cluster.kubectl("describe ds node-exporter -n monitoring").stdout
    panel.perform("Untaint node", lambda: panel.untaint_node("node-4"))
    panel.perform("Remove node", lambda: panel.remove_node("node-4"))
    assert line(panel).endswith("3 eligible nodes → 3 daemon pods (desired 3, current 3, ready 3)")
    assert "node-4" not in panel.nodes.options


def test_the_panel_is_shown_with_a_png_of_this_moment_which_later_clicks_do_not_change(panel, monkeypatch):
    import base64

    from k8slearn.viz import panels

    shown = []
    monkeypatch.setattr(panels, "display_bundles", recorder(shown))
    panel._ipython_display_()
    picture, words, panel_summary = panel.image.value, panel.text(), summary(panel.picture.graph)
    added = panel.add_node()                          # a later cell clicks "Add node"
    panel.refresh()
    [(bundle, metadata)] = shown
    assert metadata == {"image/png": {"alt": (
        "DaemonSet monitoring/node-exporter: 3 eligible nodes → 3 daemon pods "
        "(desired 3, current 3, ready 3). " + panel_summary + " Daemon pods are ringed.")}}
    assert sorted(bundle) == ["application/vnd.jupyter.widget-view+json", "image/png", "text/plain"]
    assert base64.b64decode(bundle["image/png"]) == picture != panel.image.value
    assert bundle["text/plain"] == words
    assert words.splitlines()[0].endswith(
        "3 eligible nodes → 3 daemon pods (desired 3, current 3, ready 3)")
    panel.remove_node(added.split()[0])              # the next tests see three workers again
    panel.refresh()


def test_a_failing_button_says_so_in_the_panel_and_raises_nothing(panel):
    message = panel.perform("Remove node", lambda: panel.remove_node("nope"))
    assert message == 'Remove node failed: Error from server (NotFound): nodes "nope" not found'
    assert "#b71c1c" in panel.status.value
    assert not any(b.disabled for b in panel.buttons.values())


@pytest.mark.parametrize("surge, unavailable", [
    pytest.param("25%", "25%", id="with the default strategy the rollout stays inside its bounds"),
    pytest.param(0, 1, id="with maxSurge 0 the rollout never runs an extra pod"),
    pytest.param(2, 0, id="with maxUnavailable 0 the rollout never drops below four available pods"),
])
def test_a_recorded_rollout_stays_within_max_surge_and_max_unavailable(surge, unavailable):
    from k8slearn.viz.controllers_view import record_rollout

    cluster = web_cluster()
    cluster.api.patch("deployments", "web", {"spec": {"strategy": {"rollingUpdate": {
        "maxSurge": surge, "maxUnavailable": unavailable}}}})
    samples = record_rollout(cluster, "web", image="nginx:1.27", step=0.25)
    assert samples[-1].done and len({s.replica_sets[-1].name for s in samples[1:]}) == 1
    for s in samples:
        assert sum(c.replicas for c in s.replica_sets) <= s.desired + s.max_surge
        assert sum(c.current for c in s.replica_sets) <= s.desired + s.max_surge
        assert s.available >= s.desired - s.max_unavailable
    assert [c.replicas for c in samples[-1].replica_sets] == [0, 4]


def test_the_rollout_chart_draws_and_tells_the_samples():
    from k8slearn.viz.controllers_view import RolloutChart, record_rollout

    cluster = web_cluster()
    samples = record_rollout(cluster, "web", image="nginx:1.27", step=0.5)
    chart = RolloutChart(cluster, "web", samples)
    assert chart.png()[:8] == PNG
    assert chart.text().splitlines()[0].startswith("Rollout of deployment web: desired 4, maxSurge 1, "
                                                   "maxUnavailable 1;")
    assert rollout_history_rows(samples)[0][1:] == (samples[0].replica_sets[0].name, 4, 4, 4)


def test_recording_a_rollout_of_a_missing_deployment_gives_kubectls_error():
    from k8slearn import ApiError, Cluster
    from k8slearn.viz.controllers_view import record_rollout

    with pytest.raises(ApiError) as info:
        record_rollout(Cluster(workers=1, seed=0), "nope", image="nginx:1.27")
    assert str(info.value) == 'deployments.apps "nope" not found'


def test_importing_the_view_loads_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, k8slearn.viz.controllers_view, k8slearn.viz.timeline; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_daemonset_panel_says_when_its_daemonset_was_deleted():
    pytest.importorskip("ipywidgets")
    from k8slearn.viz.controllers_view import DaemonSetPanel

    cluster = web_cluster()
    cluster.kubectl("apply -f -", stdin=DS_YAML)
    cluster.settle()
    panel = DaemonSetPanel(cluster, "node-exporter", namespace="monitoring")
    cluster.kubectl("delete daemonset node-exporter -n monitoring")
    cluster.settle()
    panel.refresh()  # it raised NotFound
    assert line(panel) == 'DaemonSet monitoring/node-exporter: daemonsets.apps "node-exporter" not found'
    assert "not found" in panel.line.value


def test_refreshing_a_rollout_chart_before_it_is_shown_builds_its_panel():
    pytest.importorskip("ipywidgets")
    from k8slearn.viz.controllers_view import RolloutChart

    chart = RolloutChart(web_cluster(), "web")
    chart.refresh()  # it raised AttributeError: no image yet
    assert chart.image.value[:8] == PNG


def test_a_rollout_chart_shown_before_its_panel_is_built_carries_the_chart_as_png():
    pytest.importorskip("ipywidgets")
    import base64

    from k8slearn.viz.controllers_view import RolloutChart

    chart = RolloutChart(web_cluster(), "web")
    bundle = chart._repr_mimebundle_()
    assert sorted(bundle) == ["application/vnd.jupyter.widget-view+json", "image/png", "text/plain"]
    assert base64.b64decode(bundle["image/png"]) == chart.image.value == chart.png()
    assert bundle["text/plain"] == chart.text()


def test_removing_a_node_leaves_no_choice_so_a_second_click_removes_nothing_else(panel):
    panel.nodes.value = "node-3"
    panel.buttons["Remove node"].click()
    assert (panel.nodes.value, "node-3" in panel.nodes.options) == (None, False)
    panel.buttons["Remove node"].click()
    assert "No node is chosen: choose one in the Node list first." in panel.status.value
    assert sorted(panel.nodes.options) == ["control-plane", "node-1", "node-2"]


def test_the_daemonset_panel_keeps_the_control_plane_machine(panel):
    message = panel.perform("Remove node", lambda: panel.remove_node("control-plane"))
    assert message == ("control-plane runs the control plane (API server, scheduler, "
                       "controllers): removing it would stop the cluster, so the panel keeps it.")
    assert "control-plane" in panel.cluster.node_names()


@pytest.mark.parametrize("image, message, colour", [
    ("nginx:1.28", "Rolled out nginx:1.28 in ", "#1b5e20"),
    ("nginx:doesnotexist-9.9", "Not rolled out after 601.0 s (2427 samples): Progressing=False, "
                               "ProgressDeadlineExceeded: ReplicaSet \"web-86b548c8d4\" has timed out progressing.",
     "#b71c1c"),
], ids=["a rollout that finishes says how long it took, in green",
        "a stalled rollout ends with the controller's ProgressDeadlineExceeded, in red"])
def test_the_rollout_chart_says_whether_the_rollout_finished(image, message, colour):
    pytest.importorskip("ipywidgets")
    from k8slearn.viz.controllers_view import RolloutChart

    chart = RolloutChart(web_cluster(), "web")
    chart.widget  # noqa: B018 - the panel, with its status line
    said = chart.perform("Roll out", lambda: chart.roll_out(image, 1, 1))
    assert said.startswith(message)
    assert f"color:{colour}" in chart.status.value


def test_the_rollout_charts_image_box_is_one_argument_not_more_flags():
    from k8slearn.viz.controllers_view import record_rollout

    cluster = web_cluster()
    record_rollout(cluster, "web", image="nginx:1.27 -n kube-system", max_seconds=5)
    image = cluster.api.get("deployments", "web")["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "nginx:1.27 -n kube-system"  # as kubectl set image stores it (the kubelet cannot pull it)


def test_the_daemonset_panel_says_eligible_and_names_the_pods_evicted_or_collected():
    pytest.importorskip("ipywidgets")
    import re

    from k8slearn.viz.controllers_view import DaemonSetPanel

    cluster = web_cluster()
    cluster.kubectl("apply -f -", stdin=DS_YAML)
    cluster.settle()
    panel = DaemonSetPanel(cluster, "node-exporter", namespace="monitoring")
    panel.perform("Taint node", lambda: panel.taint_node("node-3", "NoExecute"))
    panel.perform("Remove node", lambda: panel.remove_node("node-2"))
    assert "<th style='text-align:left;padding:1px 8px;vertical-align:top;font-size:12px'>eligible?</th>" in (
        panel.table.value)
    evicted = "its node has a NoExecute taint the pod no longer tolerates → delete it"
    collected = "its node was deleted (still gone after 40 s) → force-delete it, grace period 0"
    assert re.findall(r"t= *[0-9.]+  ([^\n<]*)", panel.log.value) == [
        "daemonset-controller: DaemonSet node-exporter: node-3 should not run it → delete 1",
        f"taint-eviction-controller: pod web-865f4cf4d9-rnz2j: {evicted}",
        f"taint-eviction-controller: pod node-exporter-ltdd4: {evicted}",
        f"pod-garbage-collector: pod web-865f4cf4d9-2njkb: {collected}",
        f"pod-garbage-collector: pod web-865f4cf4d9-ntwfp: {collected}",
        f"pod-garbage-collector: pod node-exporter-9hcz4: {collected}"]


def test_the_timelines_lane_names_title_and_numbers_stay_inside_the_picture_and_apart(timeline_cluster):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from k8slearn.viz.controllers_view import ControllerTimeline

    figure = ControllerTimeline(timeline_cluster).figure()
    FigureCanvasAgg(figure).draw()
    ax = figure.axes[0]
    inside = figure.bbox
    for text in [*ax.get_yticklabels(), ax.title]:
        box = text.get_window_extent()
        assert box.x0 >= 0 and box.x1 <= inside.x1, text.get_text()
    numbers = sorted((t.get_window_extent() for t in ax.texts if t.get_text().isdigit()), key=lambda b: b.x0)
    assert len(numbers) > 3
    same_lane = [(a, b) for a, b in zip(numbers, numbers[1:]) if abs(a.y0 - b.y0) < 1]
    assert all(a.x1 <= b.x0 for a, b in same_lane)


def _rows_of_kinds(kinds):
    from k8slearn.viz.timeline import Row

    return [Row(120.0 + i, f"controller-{i % 3}", f"{kind} thing", f"node/node-{i}", "why", kind)
            for i, kind in enumerate(kinds)]


SIX_KINDS = ["create", "mark", "evict", "schedule", "write", "retry"]     # notebook 01's timeline of a lost node


@pytest.mark.parametrize("kinds, legend_rows", [
    pytest.param(["create"], 1, id="one kind of action has a legend of one row"),
    pytest.param(SIX_KINDS, 2, id="six kinds with a long write label wrap onto a second row"),
    pytest.param(["create", "delete", "scale", "mark", "lead", "evict", "cancel", "schedule", "write", "retry",
                  "unknown", "other"], 4,
                 id="every kind of marker wraps onto as many rows as it needs"),
    pytest.param([], 0, id="an empty timeline has no legend"),
])
def test_the_timelines_legend_and_time_label_stay_whole_inside_the_picture(kinds, legend_rows):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from k8slearn.viz.controller_timeline import MARKERS, draw_timeline, written

    rows = _rows_of_kinds(kinds)
    if "write" in kinds:
        at = kinds.index("write")
        rows[at] = rows[at]._replace(action="update EndpointSlice, Endpoints, taints")
    figure = draw_timeline(rows)
    FigureCanvasAgg(figure).draw()
    ax, inside = figure.axes[0], figure.bbox
    legends = figure.legends
    shown = [t.get_text() for legend in legends for t in legend.get_texts()]
    labels = {**{k: m[2] for k, m in MARKERS.items()}, "write": written(rows)}
    assert shown == [labels[k] for k in sorted(set(kinds), key=list(MARKERS).index)]
    for item in [ax.xaxis.label, *legends]:
        box = item.get_window_extent()
        assert box.x0 >= 0 and box.x1 <= inside.x1 and box.y0 >= 0, item
    if legends:
        entries = sorted({round(t.get_window_extent().y0) for t in legends[0].get_texts()})
        assert len(entries) == legend_rows
        assert legends[0].get_window_extent().y1 < ax.xaxis.label.get_window_extent().y0   # below the label
