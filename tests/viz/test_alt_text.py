"""Every course picture says what it shows: its alternative text rides in the output's metadata as
``{"image/png": {"alt": ...}}``, where nbconvert's ``get_metadata`` filter (and so the deck template)
finds it. The words are the picture's at the moment it was shown, and the same on every run."""

from __future__ import annotations

import pytest
from IPython.core.formatters import DisplayFormatter

from k8slearn import Cluster
from k8slearn.viz import controller_timeline, flow_view, panels, scheduler_view
from k8slearn.viz.draw import draw_cluster
from k8slearn.viz.graph import summary
from k8slearn.viz.panels import display_bundles, picture_metadata
from k8slearn.viz.rollout_chart import RolloutChart

pytest.importorskip("ipywidgets")


def course_cluster() -> Cluster:
    """Two workers, a bare pod ``web`` and a Deployment ``api`` of two replicas, settled."""
    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    cluster.kubectl("run web --image=nginx")
    cluster.kubectl("create deployment api --image=nginx --replicas=2")
    cluster.settle()
    return cluster


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return course_cluster()


def alt_of(metadata: dict) -> str:
    return metadata["image/png"]["alt"]


def shown_by(module, obj) -> list:
    """The (data, metadata) of each output ``obj`` shows in a notebook."""
    outputs: list = []
    original = module.display_bundles
    module.display_bundles = lambda bundles: outputs.extend(
        b if isinstance(b, tuple) else (b, {}) for b in bundles)
    try:
        obj._ipython_display_()
    finally:
        module.display_bundles = original
    return outputs


def test_a_cell_ending_in_draw_cluster_carries_the_cluster_in_words_beside_its_png(cluster):
    figure = draw_cluster(cluster)
    data, metadata = DisplayFormatter().format(figure)
    assert sorted(data) == ["image/png", "text/plain"]
    assert data["text/plain"].startswith("<ClusterPictureFigure size")      # nbval's text, as before
    assert alt_of(metadata) == summary(cluster)
    assert alt_of(metadata) == ("2 worker nodes and 1 control-plane node, all Ready; 7 pods: 7 Running on "
                                "control-plane, node-1, node-2. Services: kubernetes has no selector. "
                                "Taints: control-plane has node-role.kubernetes.io/control-plane:NoSchedule.")


def test_a_figure_drawn_into_the_callers_axes_is_left_without_words():
    from matplotlib.figure import Figure

    figure = Figure()
    draw_cluster(course_cluster(), ax=figure.add_subplot())
    assert DisplayFormatter().format(figure)[1] == {}


@pytest.mark.parametrize("module, make, alt", [
    pytest.param(scheduler_view, lambda c: scheduler_view.SchedulerView(c, "web"),
                 "Score bars: default/web → node-2. Total score per node: control-plane filtered out by "
                 "TaintToleration; node-1 489; node-2 489 (picked).", id="the scheduler's decision"),
    pytest.param(panels, lambda c: RolloutChart(c, "api"),
                 "Chart of spec.replicas per ReplicaSet over time. Rollout of deployment api: desired 2, "
                 "maxSurge 1, maxUnavailable 0; 1 sample over 0.0 s. At the end: api-6bcdd669f6=2; "
                 "available 2 of 2, done.", id="the rollout chart"),
    pytest.param(flow_view, lambda c: flow_view.FlowPlayer(c, "web"),
                 "The journey of pod/default/web, 20 hops; now hop 1. t=0.004s  kubectl → kube-apiserver: "
                 "kubectl sends the Pod to the API server as JSON (POST /api/v1/namespaces/.../pods); "
                 "the API server defaults, admits and validates it.", id="the pod's journey"),
])
def test_each_panel_shows_its_picture_with_what_it_shows_in_words(cluster, module, make, alt):
    [(data, metadata)] = shown_by(module, make(cluster))
    assert "image/png" in data
    assert metadata == {"image/png": {"alt": alt}}


def test_the_controller_timeline_gives_its_words_to_the_picture_not_to_the_table(cluster):
    timeline = controller_timeline.ControllerTimeline(cluster, controllers="replicaset-controller")
    (picture, metadata), (table, none) = shown_by(controller_timeline, timeline)
    assert alt_of(metadata) == ("Controller timeline: 1 controller action at t = 0.0 s: "
                                "replicaset-controller 1.") == f"Controller timeline: {timeline.summary()}"
    assert "image/png" in picture and "image/png" not in table and none == {}


def test_a_scheduler_panel_without_a_picture_has_no_words_for_one(cluster):
    [(data, metadata)] = shown_by(scheduler_view, scheduler_view.SchedulerView(cluster, "no-such-pod"))
    assert "image/png" not in data and metadata == {}


def test_a_journey_cut_for_slides_names_the_hops_each_picture_shows(cluster):
    first, second = flow_view.FlowPlayer(cluster, "web").pictures()
    assert alt_of(DisplayFormatter().format(first)[1]).startswith(
        "The journey of pod/default/web, hops 1–10 of 20: kubectl → kube-apiserver, "
        "kube-apiserver → etcd,")
    assert alt_of(DisplayFormatter().format(second)[1]).startswith(
        "The journey of pod/default/web, hops 11–20 of 20: kubelet, kubelet,")


def test_the_words_are_the_same_on_every_run():
    def words(c: Cluster) -> list:
        return [summary(c), scheduler_view.SchedulerView(c, "web").picture_alt(),
                flow_view.FlowPlayer(c, "web").moment_alt()]

    assert words(course_cluster()) == words(course_cluster())


@pytest.mark.parametrize("alt, metadata", [
    pytest.param("3 worker nodes", {"image/png": {"alt": "3 worker nodes"}}, id="words go under image/png"),
    pytest.param("", {}, id="no words, no metadata: nbconvert's default alt stays"),
])
def test_picture_metadata(alt, metadata):
    assert picture_metadata(alt) == metadata


def test_display_bundles_hands_each_bundle_its_own_metadata(monkeypatch):
    import IPython.display

    calls = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda data, raw, metadata: calls.append((data, raw, metadata)))
    display_bundles([({"image/png": "AA=="}, picture_metadata("a picture")), {"text/plain": "a table"}])
    assert calls == [({"image/png": "AA=="}, True, {"image/png": {"alt": "a picture"}}),
                     ({"text/plain": "a table"}, True, None)]
