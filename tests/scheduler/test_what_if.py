"""what_if: the same cycle on a private copy. Nothing in the cluster changes; changes are applied as asked."""

import pytest
from scheduler_builders import MiniCluster, pod, taint

from k8slearn.api.errors import ApiError


@pytest.fixture
def c():
    cluster = MiniCluster(control_plane=True, workers=2)
    cluster.create(pod("hog", cpu="1500m", node_name="node-1"))
    cluster.create(pod("web", cpu="100m"))
    cluster.settle()
    return cluster


def fingerprint(c):
    return (
        c.server.store.revision,
        len(c.loop.trace),
        c.scheduler.rng.getstate(),
        c.scheduler.next_start_node_index,
        c.scheduler.queue.pending_pods(),
        c.scheduler.cache.dump(),
        str(c.scheduler.explain("web")),
    )


def test_asking_changes_nothing_and_asking_twice_gives_the_same_answer(c):
    before = fingerprint(c)
    first = str(c.scheduler.what_if("web", cpu="1"))
    second = str(c.scheduler.what_if("web", cpu="1"))
    assert first == second
    assert fingerprint(c) == before


@pytest.mark.parametrize(
    "changes, picked, needle",
    [
        ({}, "node-2", "scored"),
        ({"cpu": "1"}, "node-2", "node-1 was filtered out by NodeResourcesFit: Insufficient cpu"),
        (
            {"cpu": "3"},
            "",
            (
                "0/3 nodes are available: 1 node(s) had untolerated taint "
                "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu."
            ),
        ),
        (
            {"tolerations": [{"operator": "Exists"}], "cpu": "1"},
            "node-2",
            "control-plane passed every filter",
        ),
        ({"node_selector": {"disk": "ssd"}, "node_labels": {"node-1": {"disk": "ssd"}}}, "node-1", "node-1"),
        (
            {"node_taints": {"node-2": [taint("dedicated", "gpu")]}},
            "node-1",
            "node-2 was filtered out by TaintToleration: node(s) had untolerated taint {dedicated: gpu}",
        ),
        ({"weights": {"NodeResourcesFit": 0}}, "node-2", "NodeResourcesFit ×1"),
    ],
    ids=[
        "without changes the pod goes where the scheduler would put it now",
        "a bigger request rules out the busy node",
        "a request no node can meet gives the FailedScheduling message",
        "a toleration for everything opens the control plane",
        "a node label added in the what-if satisfies a nodeSelector",
        "a taint added in the what-if filters that node out",
        "a weight of 0 counts as 1, as in a real profile",
    ],
)
def test_changes(c, changes, picked, needle):
    e = c.scheduler.what_if("web", **changes)
    assert e.picked == picked
    assert needle in str(e)


def test_the_control_plane_can_take_a_pod_that_tolerates_its_taint_and_fits(c):
    e = c.scheduler.what_if("web", cpu="1", tolerations=[{"operator": "Exists"}])
    rows = {r["node"]: r["outcome"] for r in e.as_rows()}
    assert rows["control-plane"] in ("feasible", "picked") and rows["node-1"] == "filtered"


def test_every_filter_plugin_s_verdict_is_shown_for_every_node(c):
    e = c.scheduler.what_if("web", cpu="1")
    matrix = e.attempt.filter_matrix
    assert matrix["control-plane"]["TaintToleration"].message() == (
        "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"
    )
    assert matrix["node-1"]["NodeResourcesFit"].message() == "Insufficient cpu"
    assert matrix["node-2"]["NodeResourcesFit"].is_success()
    assert matrix["node-2"]["NodeAffinity"] is None  # skipped at PreFilter: the pod has no node affinity
    html = e._repr_html_()
    assert "✘ Insufficient cpu" in html and "<th>NodeAffinity</th>" not in html
    assert "skipped for this pod (PreFilter found nothing to check): NodeAffinity, NodePorts" in html


def test_a_pod_dict_that_is_not_in_the_cluster_can_be_tried(c):
    e = c.scheduler.what_if(pod("newcomer", cpu="200m"))
    assert e.picked == "node-2" and str(e).startswith("What if pod default/newcomer (no changes;")


def test_preemption_is_a_dry_run_that_names_its_victims(c):
    c.create(pod("hog-2", cpu="1500m", node_name="node-2"))
    c.settle()
    e = c.scheduler.what_if("web", cpu="1900m", priority=1000)
    victim = {"node-1": "default/hog", "node-2": "default/hog-2"}[e.attempt.nominating]
    assert e.picked == "" and e.attempt.victims == [victim]
    assert f"Preemption would evict {victim} on {e.attempt.nominating}" in str(e)
    assert all(p["metadata"].get("deletionTimestamp") is None for p in c.api.list("pods", "default"))


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {
                "affinity": {
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [{"matchExpressions": [{"key": "disk", "operator": "Like"}]}]
                        }
                    }
                }
            },
            (
                'Pod "web" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.'
                'nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Like": not a valid selector operator'
            ),
        ),
        (
            {"tolerations": [{"key": "a", "operator": "Sometimes"}]},
            (
                'Pod "web" is invalid: spec.tolerations[0].operator: Unsupported value: "Sometimes": supported values: '
                '"Equal", "Exists"'
            ),
        ),
    ],
    ids=[
        "an unknown node affinity operator gets the API server's error",
        "an unknown toleration operator gets the API server's error",
    ],
)
def test_an_invalid_change_is_refused_like_the_api_server_would(c, changes, message):
    with pytest.raises(ApiError) as err:
        c.scheduler.what_if("web", **changes)
    assert str(err.value) == message


def test_an_unknown_change_lists_the_known_ones(c):
    with pytest.raises(TypeError, match="what_if\\(\\) got unknown change\\(s\\) colour; known: cpu, memory"):
        c.scheduler.what_if("web", colour="blue")


def test_a_weight_for_a_plugin_the_profile_does_not_have_is_refused_not_ignored():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    with pytest.raises(ValueError, match="^Nope is not a plugin of profile default-scheduler; its plugins are "
                                         "SchedulingGates, PrioritySort, "):
        c.scheduler.what_if("web", weights={"Nope": 3})


@pytest.mark.parametrize("changes, error, message", [
    pytest.param({"tolerations": {"key": "x", "operator": "Exists"}}, TypeError,
                 "what_if(): tolerations must be a list (as in the pod's spec), not dict {'key': 'x', 'operator': 'Exists'}",
                 id="one toleration given where the spec has a list is named, not an AttributeError"),
    pytest.param({"node_selector": "disk=ssd"}, TypeError,
                 "what_if(): node_selector must be a dict (as in the pod's spec), not str 'disk=ssd'",
                 id="a selector written as kubectl's -l text is refused with words"),
    pytest.param({"priority": "high"}, ApiError,
                 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct '
                 "field PodSpec.spec.priority of type int32",
                 id="a class name where the priority integer belongs is the API server's 400"),
    pytest.param({"weights": {"TaintToleration": 2.5}}, TypeError,
                 "what_if(): the weight of TaintToleration must be a whole number, as in KubeSchedulerConfiguration "
                 "(int32), not 2.5", id="a weight of 2.5 is refused, not truncated to 2"),
    pytest.param({"node_labels": {"node-9": {"disk": "ssd"}}}, KeyError,
                 "'node_labels: nodes \"node-9\" not found (the scheduler knows control-plane, node-1, node-2)'",
                 id="labels for a node that does not exist are a typo, not a silent no-op"),
])
def test_a_change_of_the_wrong_shape_is_refused_before_anything_runs(c, changes, error, message):
    with pytest.raises(error) as err:
        c.scheduler.what_if("web", **changes)
    assert str(err.value) == message


def test_a_score_plugin_that_fails_is_reported_as_the_live_scheduler_does(c):
    from k8slearn.scheduler import Profile

    class NoScore:
        name = "NoScore"

        def score(self, state, pod, node_info):
            return None

    explanation = str(c.scheduler.what_if("web", profile=Profile().add(NoScore)))
    assert "it would not be scheduled (SchedulerError)" in explanation
    assert "Message: TypeError: " in explanation


def test_explain_says_a_failed_filter_stopped_the_cycle_not_percentage_of_nodes_to_score():
    from k8slearn import Cluster
    from k8slearn.scheduler import Profile

    class Broken:
        name = "Broken"

        def filter(self, state, pod, node_info):
            return node_info.name != "node-1"  # a bool, not a Status: an error on node-1

    cluster = Cluster(workers=2, seed=0)
    cluster.scheduler.set_profiles([Profile().add(Broken)])
    cluster.kubectl("taint nodes node-2 gpu=:NoSchedule")
    cluster.kubectl("run p --image=nginx")
    cluster.settle()
    text = str(cluster.scheduler.explain("p"))
    assert "1 node has no verdict: a plugin failed and the cycle stopped (the Message below says why)." in text
    assert "percentageOfNodesToScore" not in text
    with pytest.raises(TypeError, match="weight must be a whole number"):
        Profile().add(Broken, weight="5")
