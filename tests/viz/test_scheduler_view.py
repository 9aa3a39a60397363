"""The scheduler inspector: its controls become what-if changes; the cluster never changes; no exception escapes."""

import html

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
        ({}, {}),
        ({"cpu_m": 1500, "memory_mi": 512}, {"cpu": "1500m", "memory": "512Mi"}),
        ({"cpu_m": 100, "memory_mi": 64}, {"memory": "64Mi"}),
        (
            {"tolerate": {"node-role.kubernetes.io/control-plane=:NoSchedule"}},
            {
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
                "node_selector": {"disktype": "ssd"},
                "node_labels": {"node-2": {"disktype": "ssd"}},
            },
        ),
        (
            {"tainted": {"node-1"}},
            {"node_taints": {"node-1": [DEMO_TAINT]}},
        ),
        (
            {"weights_change": ("NodeResourcesFit", 7)},
            {"weights": {"NodeResourcesFit": 7}},
        ),
    ],
    ids=[
        "sliders left at the pod's own requests send no change: the pod as it is",
        "moving the sliders changes the requests",
        "only the request whose slider moved is sent",
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


def big_pod(name, cpu, memory):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": [{"name": "app", "image": "nginx",
                                 "resources": {"requests": {"cpu": cpu, "memory": memory}}}]},
    }


@pytest.fixture(scope="module")
def pending_cluster():
    """A pod asking for more than any node has: it stays Pending with a FailedScheduling event."""
    c = Cluster(workers=2, seed=0)
    c.api.create(big_pod("big", "64", "20Gi"))
    c.api.create(big_pod("small", "250m", "64Mi"))
    c.settle()
    return c


@pytest.mark.parametrize("pod, cpu_m, memory_mi", [
    ("big", 64000, 20480),
    ("small", 250, 64),
    ("", 100, 128),
], ids=[
    "a pod's sliders start at its own requests, even past their usual range",
    "a small pod's sliders start at its own requests",
    "a new pod's sliders start at 100m and 128Mi",
])
def test_the_sliders_start_at_the_pods_own_requests(pending_cluster, pod, cpu_m, memory_mi):
    view = SchedulerView(pending_cluster, pod)
    assert (view.state.cpu_m, view.state.memory_mi) == (cpu_m, memory_mi)
    pytest.importorskip("ipywidgets")
    controls = view.widget().children[0].children[0].children
    sliders = {c.description: c.value for c in controls if c.description in ("cpu (m)", "memory (Mi)")}
    assert sliders == {"cpu (m)": cpu_m, "memory (Mi)": memory_mi}


def test_a_pod_that_never_schedules_is_shown_with_its_failed_scheduling_message(pending_cluster):
    [event] = [e for e in pending_cluster.api.list("events", "default")
               if e["reason"] == "FailedScheduling" and e["involvedObject"]["name"] == "big"]
    view = SchedulerView(pending_cluster, "big")
    decision, _, _ = view.render()
    assert repr(view) == "<SchedulerView pod=default/big: Pending>"
    assert view.explanation().message == event["message"]
    assert decision == ("<p style='font-size:14px'><b>default/big would stay Pending</b><br><code>"
                        + html.escape(event["message"]) + "</code></p>")


def test_choosing_another_pod_moves_the_sliders_to_its_requests(pending_cluster):
    pytest.importorskip("ipywidgets")
    view = SchedulerView(pending_cluster, "small")
    controls = view.widget().children[0].children[0].children
    pod, cpu, memory = (next(c for c in controls if c.description == d)
                        for d in ("pod", "cpu (m)", "memory (Mi)"))
    pod.value = "big"
    assert (cpu.value, memory.value, view.changes()) == (64000, 20480, {})
    assert "default/big would stay Pending" in view._decision.value
    pod.value = ""
    assert (cpu.value, memory.value, view.changes()) == (100, 128, {"cpu": "100m", "memory": "128Mi"})
    assert "default/what-if → node-" in view._decision.value
