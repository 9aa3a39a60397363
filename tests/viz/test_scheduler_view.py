"""The scheduler inspector: its controls become what-if changes; the cluster never changes; no exception escapes."""

import pytest

from k8slearn import Cluster
from k8slearn.viz.scheduler_view import DEMO_TAINT, SchedulerView


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=2, seed=0)
    c.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "containers": [{"name": "app", "image": "nginx", "resources": {"requests": {"cpu": "100m"}}}]
            },
        }
    )
    c.settle()
    return c


def fingerprint(c):
    return c.etcd.revision, len(c.trace), c.scheduler.rng.getstate()


@pytest.mark.parametrize(
    "state, expected",
    [
        ({}, {"cpu": "100m", "memory": "128Mi"}),
        ({"cpu_m": 1500, "memory_mi": 512}, {"cpu": "1500m", "memory": "512Mi"}),
        (
            {"tolerate": {"node-role.kubernetes.io/control-plane=:NoSchedule"}},
            {
                "cpu": "100m",
                "memory": "128Mi",
                "add_tolerations": [
                    {
                        "key": "node-role.kubernetes.io/control-plane",
                        "operator": "Equal",
                        "value": "",
                        "effect": "NoSchedule",
                    }
                ],
            },
        ),
        (
            {"node_selector": True, "labelled": {"node-2"}},
            {
                "cpu": "100m",
                "memory": "128Mi",
                "node_selector": {"disktype": "ssd"},
                "node_labels": {"node-2": {"disktype": "ssd"}},
            },
        ),
        (
            {"tainted": {"node-1"}},
            {"cpu": "100m", "memory": "128Mi", "node_taints": {"node-1": [DEMO_TAINT]}},
        ),
        (
            {"weights_change": ("NodeResourcesFit", 7)},
            {"cpu": "100m", "memory": "128Mi", "weights": {"NodeResourcesFit": 7}},
        ),
    ],
    ids=[
        "the sliders' starting values become the pod's requests",
        "moving the sliders changes the requests",
        "a toleration toggle adds a toleration for that exact taint",
        "the nodeSelector toggle and a labelled node",
        "a tainted node keeps its own taints and gets the demo taint",
        "only weights that differ from the profile are sent",
    ],
)
def test_controls_become_what_if_changes(cluster, state, expected):
    view = SchedulerView(cluster, "web")
    for key, value in state.items():
        if key == "weights_change":
            view.state.weights[value[0]] = value[1]
        else:
            setattr(view.state, key, value)
    assert view.changes() == expected


def test_rendering_asks_the_what_if_and_changes_nothing(cluster):
    view = SchedulerView(cluster, "web")
    before = fingerprint(cluster)
    decision, table, png = view.render()
    assert "default/web →" in decision and "<table" in table and png.startswith(b"\x89PNG")
    view.state.cpu_m = 5000
    decision, _, _ = view.render()
    assert "would stay Pending" in decision and "Insufficient cpu" in decision
    assert fingerprint(cluster) == before


def test_an_error_is_shown_not_raised(cluster):
    view = SchedulerView(cluster, "no-such-pod")
    decision, table, png = view.render()
    assert (
        decision
        == "<p style='color:#b71c1c'>pods &quot;no-such-pod&quot; not found</p>"
    )
    assert (table, png) == ("", b"")
    assert repr(view) == '<SchedulerView pod=default/no-such-pod: pods "no-such-pod" not found>'


def test_the_repr_is_one_deterministic_line(cluster):
    assert repr(SchedulerView(cluster, "web")) == repr(SchedulerView(cluster, "web"))
    assert repr(SchedulerView(cluster, "web")).startswith("<SchedulerView pod=default/web: node-")


def test_the_panel_updates_when_a_control_moves(cluster):
    pytest.importorskip("ipywidgets")
    view = SchedulerView(cluster, "web")
    panel = view.widget()
    controls = panel.children[0].children[0].children
    cpu = next(c for c in controls if getattr(c, "description", "") == "cpu (m)")
    cpu.value = 4000  # the slider's maximum: more than a 2-cpu node has
    assert view.state.cpu_m == 4000 and "would stay Pending" in view._decision.value
    assert view.last_update_ms > 0
