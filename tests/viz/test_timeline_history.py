"""The controller timeline says what each controller did at that moment, even after its Event changed.

client-go combines the 11th and later similar Events into one Event it rewrites each time, and
kube-apiserver deletes Events after an hour; the rows must not follow the Event list of *now*.
"""

import pytest

from k8slearn import Cluster
from k8slearn.etcd import MVCCStore
from k8slearn.sim import Step
from k8slearn.viz.controller_timeline import ControllerTimeline, draw_timeline, written
from k8slearn.viz.events_written import EventsWritten
from k8slearn.viz.timeline import Row, controller_rows

DS = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: default}
spec:
  selector: {matchLabels: {app: node-exporter}}
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      containers: [{name: node-exporter, image: prom/node-exporter:v1.8.2}]
"""
CREATED = "DaemonSet node-exporter: {} had no daemon pod → create 1"


def daemonset_on_twelve_nodes():
    """3 workers and a DaemonSet, then 9 more nodes: the controller's 12 "Created pod" Events, the
    last three written over one combined Event."""
    cluster = Cluster(workers=3, seed=0)
    cluster.kubectl("apply -f -", stdin=DS)
    cluster.settle()
    for _ in range(9):
        cluster.add_node()
        cluster.settle()
    return cluster


def test_each_daemonset_create_names_the_node_of_its_own_pod_after_the_events_are_combined():
    cluster = daemonset_on_twelve_nodes()
    rows = ControllerTimeline(cluster, controllers=["daemonset-controller"], scheduler=False).rows
    assert [r.why for r in rows[2:]] == [CREATED.format(f"node-{i}") for i in range(4, 13)]
    events = [e["message"] for e in cluster.api.list("events") if e["reason"] == "SuccessfulCreate"]
    assert events[-1].startswith("(combined from similar events): Created pod: node-exporter-")


def test_a_row_whose_combined_event_was_rewritten_and_compacted_says_it_is_no_longer_known():
    cluster = daemonset_on_twelve_nodes()
    cluster.run(700)                      # kube-apiserver compacts etcd every 5 minutes
    rows = ControllerTimeline(cluster, controllers=["daemonset-controller"], scheduler=False).rows
    assert [(r.action, r.why) for r in rows[-3:]] == [
        ("an action", "its Event was rewritten since (combined with similar events) and etcd no longer keeps "
                      "the old version: what was done is no longer known")] * 2 + [
        ("create pod", CREATED.format("node-12"))]


def test_a_replicaset_keeps_its_counts_after_its_events_are_combined():
    cluster = Cluster(workers=3, seed=0)
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=3")
    cluster.settle()
    for _ in range(9):
        pod = sorted(p["metadata"]["name"] for p in cluster.api.list("pods", label_selector="app=web"))[0]
        cluster.kubectl(f"delete pod {pod}")
        cluster.settle()
    rows = ControllerTimeline(cluster, controllers=["replicaset-controller"]).rows
    assert [r.why.split(": ", 1)[1] for r in rows] == ["0 of 3 pods → create 3"] + ["2 of 3 pods → create 1"] * 9


def test_rows_once_shown_stay_after_their_events_expire_and_new_ones_say_they_are_no_longer_known():
    def deployment():
        cluster = Cluster(workers=1, seed=0)
        cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
        cluster.settle()
        return cluster

    lanes = ["deployment-controller", "replicaset-controller"]
    shown, unseen = deployment(), deployment()
    before = [(r.action, r.why) for r in ControllerTimeline(shown, controllers=lanes).rows]
    for cluster in (shown, unseen):
        cluster.run(4300)                 # Events live 1 h; etcd's history of them is compacted later
    assert [(r.action, r.why) for r in ControllerTimeline(shown, controllers=lanes).rows] == before
    assert [(r.controller, r.action, r.why) for r in ControllerTimeline(unseen, controllers=lanes).rows][1:] == [
        ("deployment-controller", "an action", "its Event expired (kube-apiserver keeps Events 1 h, --event-ttl): "
                                               "what was done is no longer known"),
        ("replicaset-controller", "2 actions", "their Events expired (kube-apiserver keeps Events 1 h, --event-ttl): "
                                               "what was done is no longer known")]


def test_each_event_write_is_read_back_as_it_was_stored_at_its_revision():
    class Toy:
        etcd = MVCCStore()

    key = "/registry/events/default/web-7c4b.1"
    revisions = [Toy.etcd.put(key, ('{"metadata": {"namespace": "default", "name": "web-7c4b.1"}, '
                                    '"reason": "SuccessfulCreate", "message": "%sCreated pod: web-7c4b-%s", '
                                    '"involvedObject": {"kind": "ReplicaSet", "namespace": "default", '
                                    '"name": "web-7c4b"}, "source": {"component": "replicaset-controller"}}'
                                    % (prefix, pod)).encode())
                 for prefix, pod in (("", "a"), ("(combined from similar events): ", "b"))]
    steps = []
    for t, revision in zip((1.0, 2.0), revisions):
        steps += [Step(t, "kube-controller-manager", "create", f"pod/default/web-7c4b-{'ab'[int(t) - 1]}"),
                  Step(t, "kube-scheduler", "bind", f"pod/default/web-7c4b-{'ab'[int(t) - 1]}", f"node-{int(t)}"),
                  Step(t, "kube-controller-manager", "update", "event/default/web-7c4b.1"),
                  Step(t, "etcd", "put", key, f"revision {revision}")]
    rows = controller_rows(steps, EventsWritten(Toy))
    assert [(r.time, r.action, r.why) for r in rows] == [
        (1.0, "create pod", "ReplicaSet web-7c4b: too few pods → create 1"),
        (2.0, "create pod", "ReplicaSet web-7c4b: too few pods → create 1")]
    assert [r.why for r in controller_rows(steps, [])] == []   # a list of Events: looked up by name, none here


def test_the_legend_names_what_the_write_markers_wrote():
    rows = [Row(0.1, "daemonset-controller", "create ControllerRevision", "controllerrevision/default/x-1", "",
                "write"),
            Row(0.2, "deployment-controller", "create ReplicaSet", "replicaset/default/web-1", "", "write")]
    assert written(rows) == "write ControllerRevision, ReplicaSet"
    figure = draw_timeline(rows)
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["write ControllerRevision, ReplicaSet"]


def _overlaps(texts, renderer):
    boxes = sorted((t.get_window_extent(renderer) for t in texts if t.get_text()), key=lambda b: b.x0)
    return [(a, b) for a, b in zip(boxes, boxes[1:]) if a.x1 > b.x0]


@pytest.mark.parametrize("rows", [
    pytest.param([Row(i * 0.9 + (i // 2) * 600, "daemonset-controller", "create pod", "x", "", "create")
                  for i in range(40)], id="quiet spells two actions apart"),
    pytest.param([Row(1000 + i * 1.7 + (i // 40) * 30, "replicaset-controller", "create pod", "x", "", "create")
                  for i in range(320)],
                 id="three hundred actions on a twelve-inch axis"),
])
def test_the_time_axis_labels_never_overlap(rows):
    figure = draw_timeline(rows)
    renderer = figure.canvas.get_renderer()
    figure.canvas.draw()
    ax = figure.axes[0]
    assert _overlaps(ax.get_xticklabels(), renderer) == []
    breaks = [t for t in ax.texts if t.get_text().startswith("⋯")]
    assert breaks and _overlaps(breaks, renderer) == []
