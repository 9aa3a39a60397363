"""ClusterView: the panel builds, and each button changes what it should (callbacks called directly)."""

import pytest
from vizkit import FakeCluster, recorder

from k8slearn.viz.graph import summary

pytest.importorskip("ipywidgets")

from k8slearn.viz.widgets import BUTTONS, ClusterView  # noqa: E402


@pytest.fixture
def view():
    return ClusterView(FakeCluster())


def test_the_panel_has_exactly_the_buttons_the_browser_test_clicks(view):
    import ipywidgets

    assert isinstance(view.widget, ipywidgets.VBox)
    assert list(view.buttons) == list(BUTTONS) == [
        "Step", "Run 10 s", "Settle", "Add node", "Stop node", "Start node", "Apply YAML"]
    assert all(b.description == name for name, b in view.buttons.items())
    assert view.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert "3 worker nodes and 1 control-plane node" in view.alt.value


def test_the_node_chooser_lists_the_nodes_and_starts_on_a_worker(view):
    assert list(view.nodes.options) == ["control-plane", "node-1", "node-2", "node-3"]
    assert view.nodes.value == "node-1"


def test_step_advances_the_cluster_and_shows_the_step(view):
    view.buttons["Step"].click()
    assert view.cluster.now == 0.5
    assert "kube-scheduler → bind → pod/default/big-job" in view.status.value
    assert "kube-scheduler → bind → pod/default/big-job" in view.log.value


def test_run_10_s_advances_simulated_time_by_ten_seconds(view):
    view.buttons["Run 10 s"].click()
    assert view.cluster.now == 10.0
    assert "t = 10.0 s" in view.status.value


def test_settle_reports_the_time_it_advanced_and_redraws(view):
    before = view.image.value
    view.buttons["Settle"].click()
    assert "Settled after 3.0 simulated seconds" in view.status.value
    assert "7 pods: 6 Running on node-1..3, 1 Terminating on node-3." in view.alt.value
    assert view.image.value != before


def test_add_node_steps_until_the_new_node_is_registered_and_draws_it(view):
    before = view.image.value
    view.buttons["Add node"].click()
    assert view.cluster.node_names()[-1] == "node-4"
    assert view.cluster.now == 0.5, "one step: the kubelet's registration"
    assert "node-4: its kubelet registered the Node" in view.status.value
    assert view.nodes.value == "node-4" and "node-4" in view.nodes.options
    assert "4 worker nodes" in view.alt.value
    assert view.image.value != before
    assert view.picture.rebuilds == 2


@pytest.mark.parametrize("button, ready", [("Stop node", "Unknown"), ("Start node", "True")],
                         ids=["stop node powers the chosen node off", "start node powers it on again"])
def test_stop_and_start_act_on_the_chosen_node(view, button, ready):
    view.nodes.value = "node-2"
    view.buttons["Stop node"].click()
    if button == "Start node":
        view.buttons["Start node"].click()
    node = next(n for n in view.cluster.store["nodes"] if n["metadata"]["name"] == "node-2")
    assert node["status"]["conditions"][0]["status"] == ready
    assert ("node-2 NotReady" in view.alt.value) == (ready != "True")


def test_apply_yaml_creates_objects_and_shows_kubectl_output(view):
    view.yaml.value = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  containers:\n"
                       "  - name: c\n    image: nginx\n")
    view.buttons["Apply YAML"].click()
    assert "pod/hello created" in view.result.value
    assert "exit code 0" in view.status.value
    assert "8 pods" in view.alt.value


def test_bad_yaml_shows_the_error_in_the_panel(view):
    view.yaml.value = "kind: [unclosed"
    view.buttons["Apply YAML"].click()
    assert "error: error parsing STDIN" in view.result.value
    assert "exit code 1" in view.status.value


@pytest.mark.parametrize("setup, button, message", [
    (lambda v: setattr(v.yaml, "value", "  "), "Apply YAML",
     "The YAML box is empty: paste a manifest into it first."),
    (lambda v: setattr(v.nodes, "value", None), "Stop node",
     "No node is chosen: choose one in the Node list first."),
    (lambda v: v.cluster.store["nodes"].pop(), "Stop node", "Stop node failed: KeyError"),
], ids=[
    "applying an empty box explains itself instead of raising",
    "stopping without a chosen node explains itself instead of raising",
    "an exception from the cluster is shown, not raised",
])
def test_callbacks_never_raise_into_the_frontend(view, setup, button, message):
    view.nodes.value = "node-3"
    setup(view)
    view.buttons[button].click()
    assert message in view.status.value
    assert not any(b.disabled for b in view.buttons.values())


def test_the_log_shows_only_the_last_twelve_steps(view):
    for _ in range(15):
        view.buttons["Step"].click()
    lines = view.log.value.split("<pre")[1].split(">", 1)[1].split("</pre>")[0].splitlines()
    assert len(lines) == 12
    assert lines[-1].strip().startswith("7.500  kube-scheduler → bind")


def test_a_cell_ending_with_the_view_shows_the_panel(view):
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id


def test_the_view_is_shown_with_a_png_of_its_picture_at_that_moment_for_static_pages(view, monkeypatch):
    import base64

    from k8slearn.viz import panels

    shown = []
    monkeypatch.setattr(panels, "display_bundles", recorder(shown))
    view._ipython_display_()
    picture, words = view.image.value, summary(view.picture.graph)
    view.buttons["Add node"].click()                    # a later cell changes the panel
    [(bundle, metadata)] = shown
    assert metadata == {"image/png": {"alt": words}} != {"image/png": {"alt": view.alt_text()}}
    assert sorted(bundle) == ["application/vnd.jupyter.widget-view+json", "image/png", "text/plain"]
    assert base64.b64decode(bundle["image/png"]) == picture != view.image.value
    assert bundle["text/plain"].startswith("VBox(children=(HBox(")   # the widget's own, as before


def test_redraws_reuse_the_figure(view):
    figure = view.picture.figure
    for name in ("Step", "Run 10 s", "Settle"):
        view.buttons[name].click()
    assert view.picture.figure is figure and view.picture.rebuilds == 1


def said(view) -> str:
    """The status line as the student reads it (tags dropped, entities decoded)."""
    import html
    import re

    return html.unescape(re.sub("<[^>]+>", "", view.status.value))


STOPPED_CONTROL_PLANE = ("Stopped control-plane: its kubelet no longer reports, and the "
                         "kube-controller-manager and kube-scheduler that ran on it stopped with it")
CP_OFF = ("control-plane", "Stop node")
POWER = [
    pytest.param(
        1, [("node-2", "Stop node")],
        "Stopped node-2: its kubelet no longer reports. Press Run 10 s a few times: the node controller "
        "checks every 5 s and waits 50 s before it marks the node (Settle does not wait for checks).",
        id="stopping a worker says when the node controller will mark it"),
    pytest.param(
        1, [CP_OFF],
        STOPPED_CONTROL_PLANE + ". No node controller runs now, so nothing marks control-plane NotReady "
        "or reschedules its pods until it starts again.",
        id="stopping the only control plane says nothing will mark it NotReady"),
    pytest.param(
        2, [CP_OFF],
        STOPPED_CONTROL_PLANE + ". Press Run 10 s a few times: the standby on control-plane-2 takes "
        "over their Leases, then its node controller waits 50 s before it marks the node (Settle does "
        "not wait for checks).",
        id="stopping a control plane with a standby says the standby takes over"),
    pytest.param(
        1, [CP_OFF, ("node-1", "Stop node")],
        "Stopped node-1: its kubelet no longer reports. No node controller runs now, so nothing marks "
        "node-1 NotReady or reschedules its pods until control-plane starts again.",
        id="stopping a worker while the control plane is off says nothing will mark it"),
    pytest.param(
        1, [("node-1", "Stop node"), ("node-1", "Stop node")],
        "node-1 is already stopped: nothing changed.",
        id="stopping a stopped node says it is already stopped"),
    pytest.param(
        1, [("node-1", "Start node")],
        "node-1 is already running: nothing changed.",
        id="starting a running node says it is already running"),
    pytest.param(
        1, [("control-plane", "Start node")],
        "control-plane is already running: nothing changed.",
        id="starting the running control plane says it is already running"),
    pytest.param(
        1, [("node-1", "Stop node"), ("node-1", "Start node")],
        "Started node-1: its kubelet reports again. Press Run 10 s: the node controller lifts the "
        "taints at its next check, 5 s at most.",
        id="starting a stopped worker says the node controller lifts the taints"),
    pytest.param(
        1, [CP_OFF, ("control-plane", "Start node")],
        "Started control-plane: its kubelet reports again, and new kube-controller-manager and "
        "kube-scheduler processes start and wait their turn for the leader Leases. Press Run 10 s twice: "
        "a new process takes a Lease only after it has seen it unchanged for leaseDuration (15 s), and no "
        "controller acts until then (Settle does not wait for that).",
        id="starting the only control plane says no controller acts until a lease duration has passed"),
    pytest.param(
        2, [CP_OFF, ("control-plane", "Start node")],
        "Started control-plane: its kubelet reports again, and new kube-controller-manager and "
        "kube-scheduler processes start and wait their turn for the leader Leases.",
        id="starting the control plane beside a leading standby says its new processes wait their turn"),
    pytest.param(
        1, [CP_OFF, ("node-1", "Stop node"), ("node-1", "Start node")],
        "Started node-1: its kubelet reports again (no node controller runs until control-plane "
        "starts again).",
        id="starting a worker while the control plane is off says no node controller runs"),
]


@pytest.mark.parametrize("replicas, clicks, message", POWER)
def test_stop_and_start_node_say_what_will_happen(replicas, clicks, message):
    view = ClusterView(FakeCluster(control_plane_replicas=replicas))
    for node, button in clicks:
        view.nodes.value = node
        view.buttons[button].click()
    assert said(view) == message


@pytest.mark.parametrize("clicks, expected_calls, running", [
    pytest.param([("node-1", "Stop node"), ("node-1", "Stop node")], [("stop_node", "node-1")], False,
                 id="a second stop leaves the node stopped and does not stop it again"),
    pytest.param([("node-1", "Start node")], [], True, id="starting a running node leaves it running"),
])
def test_a_stop_or_start_that_changes_nothing_does_not_call_the_cluster(clicks, expected_calls, running):
    cluster = FakeCluster()
    calls = []
    for name in ("stop_node", "start_node"):
        action = getattr(cluster, name)
        setattr(cluster, name,
                lambda node, action=action, name=name: calls.append((name, node)) or action(node))
    view = ClusterView(cluster)
    for node, button in clicks:
        view.nodes.value = node
        view.buttons[button].click()
    assert calls == expected_calls
    assert cluster.kubelets["node-1"].running is running


def test_the_status_message_has_a_row_of_its_own_so_the_buttons_keep_their_labels(view):
    import ipywidgets

    first, second, third = view.widget.children[:3]
    assert [b.description for b in first.children] == ["Step", "Run 10 s", "Settle"]
    assert [getattr(c, "description", "") for c in second.children] == ["Add node", "Node", "Stop node", "Start node"]
    assert third is view.status and not isinstance(third, ipywidgets.HBox)
    assert {b.layout.flex for b in view.buttons.values()} == {"0 0 auto"}     # a button never shrinks
    assert (view.nodes.layout.width, view.nodes.style.description_width) == ("230px", "initial")


def test_the_cluster_view_and_the_panels_share_one_perform():
    from k8slearn.viz.panels import Panel

    assert issubclass(ClusterView, Panel) and ClusterView.perform is Panel.perform
