"""The framework: extension points in profile order, weights, rules for profiles, student plugins."""

import pytest
from scheduler_builders import MiniCluster, node, node_info, pod, taint

from k8slearn.scheduler import (
    DEFAULT_PLUGINS,
    REGISTRY,
    SUCCESS,
    Code,
    CycleState,
    Framework,
    Profile,
    Status,
)
from k8slearn.scheduler.framework import Diagnosis, PluginError, PreFilterResult


class Recorder:
    """A plugin that records which extension points ran, and answers as told."""

    def __init__(self, name, log, filter_status=None, score=0, pre_filter_status=None):
        self.name, self.log = name, log
        self.filter_status, self.score_value, self.pre_filter_status = filter_status, score, pre_filter_status

    def pre_filter(self, state, p):
        self.log.append((self.name, "pre_filter"))
        return self.pre_filter_status or SUCCESS

    def filter(self, state, p, info):
        self.log.append((self.name, "filter", info.name))
        return self.filter_status or SUCCESS

    def score(self, state, p, info):
        self.log.append((self.name, "score", info.name))
        return self.score_value


def framework(*plugins_with_weights):
    profile = Profile(plugins=[("PrioritySort", 0), *plugins_with_weights, ("DefaultBinder", 0)])
    return Framework(profile)


def test_the_default_profile_lists_the_plugins_in_upstream_order_with_upstream_weights():
    assert DEFAULT_PLUGINS == (
        ("SchedulingGates", 0),
        ("PrioritySort", 0),
        ("NodeUnschedulable", 0),
        ("NodeName", 0),
        ("TaintToleration", 3),
        ("NodeAffinity", 2),
        ("NodePorts", 0),
        ("NodeResourcesFit", 1),
        ("VolumeRestrictions", 0),
        ("NodeVolumeLimits", 0),
        ("VolumeBinding", 0),
        ("VolumeZone", 0),
        ("PodTopologySpread", 2),
        ("InterPodAffinity", 2),
        ("DefaultPreemption", 0),
        ("NodeResourcesBalancedAllocation", 1),
        ("ImageLocality", 1),
        ("DefaultBinder", 0),
    )
    fwk = Framework(Profile())
    assert [p.name for p in fwk.filter_plugins] == [
        "NodeUnschedulable",
        "NodeName",
        "TaintToleration",
        "NodeAffinity",
        "NodePorts",
        "NodeResourcesFit",
        "VolumeRestrictions",
        "NodeVolumeLimits",
        "VolumeBinding",
        "VolumeZone",
        "PodTopologySpread",
        "InterPodAffinity",
    ]
    assert [(p.name, w) for p, w in fwk.score_plugins] == [
        ("TaintToleration", 3),
        ("NodeAffinity", 2),
        ("NodeResourcesFit", 1),
        ("PodTopologySpread", 2),
        ("InterPodAffinity", 2),
        ("NodeResourcesBalancedAllocation", 1),
        ("ImageLocality", 1),
    ]
    assert [p.name for p in fwk.pre_filter_plugins] == [
        "NodeAffinity",
        "NodePorts",
        "NodeResourcesFit",
        "VolumeRestrictions",
        "NodeVolumeLimits",
        "VolumeBinding",
        "VolumeZone",
        "PodTopologySpread",
        "InterPodAffinity",
    ]
    assert [p.name for p in fwk.pre_score_plugins] == [
        "TaintToleration",
        "NodeAffinity",
        "NodeResourcesFit",
        "PodTopologySpread",
        "InterPodAffinity",
        "NodeResourcesBalancedAllocation",
    ]
    assert [p.name for p in fwk.post_filter_plugins] == ["DefaultPreemption"]
    assert [p.name for p in fwk.pre_enqueue_plugins] == ["SchedulingGates"]
    assert fwk.queue_sort.name == "PrioritySort" and [p.name for p in fwk.bind_plugins] == ["DefaultBinder"]


def test_filter_plugins_run_in_profile_order_and_the_first_rejection_decides():
    log = []
    reject = Status(Code.Unschedulable, "no room")
    fwk = framework(
        (Recorder("A", log), 0), (Recorder("B", log, filter_status=reject), 0), (Recorder("C", log), 0)
    )
    state = CycleState()
    fwk.run_pre_filter_plugins(state, pod())
    status = fwk.run_filter_plugins(state, pod(), node_info(node("n1")))
    assert status == Status(Code.Unschedulable, "no room", "B")
    assert [e for e in log if e[1] == "filter"] == [("A", "filter", "n1"), ("B", "filter", "n1")]


def test_filtering_many_nodes_gives_each_node_the_same_verdict_as_one_by_one():
    fwk = Framework(Profile())
    nodes = [
        node_info(node("a")),
        node_info(node("b", taints=[taint("x")])),
        node_info(node("c", cpu="100m")),
        node_info(node("d", unschedulable=True, cpu="100m")),
    ]
    p = pod(cpu="500m")
    state = CycleState()
    fwk.run_pre_filter_plugins(state, p)
    one_by_one = {n.name: fwk.run_filter_plugins(state, p, n) for n in nodes}
    diagnosis = Diagnosis()
    feasible = fwk.run_filter_plugins_on_nodes(state, p, nodes, diagnosis)
    assert [n.name for n in feasible] == ["a"]
    assert diagnosis.node_to_status.statuses == {k: v for k, v in one_by_one.items() if v is not SUCCESS}
    assert list(diagnosis.unschedulable_plugins) == [
        "NodeUnschedulable",
        "TaintToleration",
        "NodeResourcesFit",
    ]


@pytest.mark.parametrize(
    "weights, scores, expected_totals",
    [
        ((1, 1), (10, 20), [30, 30]),
        ((3, 1), (10, 20), [50, 50]),
        ((0, 2), (10, 20), [50, 50]),
    ],
    ids=[
        "the total is the sum of the plugins' scores",
        "each score is multiplied by its plugin's weight",
        "a score plugin listed with weight 0 counts with weight 1",
    ],
)
def test_scores_are_weighted_and_summed(weights, scores, expected_totals):
    log = []
    fwk = framework(
        (Recorder("A", log, score=scores[0]), weights[0]), (Recorder("B", log, score=scores[1]), weights[1])
    )
    nodes = [node_info(node("x")), node_info(node("y"))]
    totals, per_plugin = fwk.run_score_plugins(CycleState(), pod(), nodes)
    assert totals == expected_totals
    assert [(s.name, s.weight) for s in per_plugin] == [("A", weights[0] or 1), ("B", weights[1])]


def test_a_score_outside_0_to_100_after_normalising_is_an_error():
    fwk = framework((Recorder("Greedy", [], score=150), 1))
    with pytest.raises(
        PluginError,
        match='plugin "Greedy" returns an invalid score 150, it should in the '
        r"range of \[0, 100\] after normalizing",
    ):
        fwk.run_score_plugins(CycleState(), pod(), [node_info(node())])


@pytest.mark.parametrize(
    "plugins, message",
    [
        (
            [("NodeName", 0), ("DefaultBinder", 0)],
            'only one queue sort plugin required for profile with scheduler name "default-scheduler", but got 0',
        ),
        (
            [("PrioritySort", 0), ("NodeName", 0)],
            'at least one bind plugin is needed for profile with scheduler name "default-scheduler"',
        ),
        ([("PrioritySort", 0), ("Nope", 0), ("DefaultBinder", 0)], 'PreFilterPlugin "Nope" does not exist'),
    ],
    ids=[
        "a profile needs a queue sort plugin",
        "a profile needs a bind plugin",
        "a profile may only name registered plugins",
    ],
)
def test_invalid_profiles_are_refused(plugins, message):
    with pytest.raises(ValueError, match=message):
        Framework(Profile(plugins=plugins))


def test_a_pre_filter_skip_means_the_plugin_is_not_asked_to_filter():
    log = []
    lazy = Recorder("Lazy", log, pre_filter_status=Status(Code.Skip))
    fwk = framework((lazy, 0), (Recorder("Busy", log), 0))
    state = CycleState()
    fwk.run_pre_filter_plugins(state, pod())
    fwk.run_filter_plugins(state, pod(), node_info(node("n1")))
    assert state.skip_filter_plugins == {"Lazy"}
    assert [e for e in log if e[1] == "filter"] == [("Busy", "filter", "n1")]


def test_pre_filter_results_narrow_the_nodes_and_an_empty_intersection_rejects():
    class Only:
        def __init__(self, name, nodes):
            self.name, self.nodes = name, frozenset(nodes)

        def pre_filter(self, state, p):
            return PreFilterResult(self.nodes), SUCCESS

    fwk = framework((Only("A", {"n1", "n2"}), 0), (Only("B", {"n2", "n3"}), 0))
    result, status, narrowing = fwk.run_pre_filter_plugins(CycleState(), pod())
    assert (result.node_names, status, narrowing) == (frozenset({"n2"}), SUCCESS, ["A", "B"])
    fwk = framework((Only("A", {"n1"}), 0), (Only("B", {"n3"}), 0))
    _, status, _ = fwk.run_pre_filter_plugins(CycleState(), pod())
    assert status.code is Code.UnschedulableAndUnresolvable
    assert status.message() == "node(s) didn't satisfy plugin(s) [A B] simultaneously"


# -- the student exercise: write a plugin, add one line ---------------------------------------------
class AvoidNode2:
    """Filter: keep pods off node-2."""

    name = "AvoidNode2"

    def filter(self, state, p, node_info):
        if node_info.name == "node-2":
            return Status(Code.Unschedulable, "node-2 is off limits")
        return SUCCESS


class PreferNode3:
    """Score: 100 for node-3, 0 elsewhere."""

    name = "PreferNode3"

    def score(self, state, p, node_info):
        return 100 if node_info.name == "node-3" else 0


@pytest.mark.parametrize(
    "profile, expected_nodes",
    [
        (Profile(), {"node-1", "node-2", "node-3"}),
        (Profile().add(AvoidNode2), {"node-1", "node-3"}),
        (Profile().add(PreferNode3, weight=5), {"node-3"}),
        (Profile(plugins=[*DEFAULT_PLUGINS, (PreferNode3(), 5)]), {"node-3"}),
    ],
    ids=[
        "without a student plugin six small pods spread over the three nodes",
        "a student Filter plugin added with one line keeps pods off node-2",
        "a student Score plugin added with one line and a weight wins every choice",
        "a plugin object can also be listed directly in the profile's plugins",
    ],
)
def test_a_student_plugin_added_with_one_line_changes_the_decision(profile, expected_nodes):
    c = MiniCluster(workers=3, profiles=[profile])
    for i in range(6):
        c.create(pod(f"web-{i}", cpu="100m"))
    c.settle()
    assert {c.node_of(f"web-{i}") for i in range(6)} == expected_nodes


def test_a_student_filter_reason_appears_in_the_failed_scheduling_message():
    class NoNodes:
        name = "NoNodes"

        def filter(self, state, p, info):
            return Status(Code.Unschedulable, "closed for maintenance")

    c = MiniCluster(workers=2, profiles=[Profile().add(NoNodes)])
    c.create(pod("web"))
    c.settle()
    assert c.events("web") == [
        (
            "Warning",
            "FailedScheduling",
            (
                "0/2 nodes are available: 2 closed for maintenance. preemption: 0/2 nodes are "
                "available: 2 No preemption victims found for incoming pod."
            ),
        )
    ]


def test_a_plugin_without_a_name_is_refused_with_a_hint():
    class Nameless:
        def filter(self, state, p, info):
            return SUCCESS

    with pytest.raises(ValueError, match='set the class attribute name = "..."'):
        Profile().add(Nameless)


def test_adding_a_plugin_does_not_change_the_registry_or_the_original_profile():
    base = Profile()
    extended = base.add(AvoidNode2)
    assert "AvoidNode2" not in REGISTRY and "AvoidNode2" not in dict(base.plugin_weights())
    assert dict(extended.plugin_weights())["AvoidNode2"] == 0


@pytest.mark.parametrize(
    "plugin_filter, message",
    [
        (
            lambda self, state, p, info: True,
            (
                "plugin 'Broken' returned True; a Filter must return a Status (SUCCESS, or "
                'Status(Code.Unschedulable, "reason"))'
            ),
        ),
        (lambda self, state, p, info: 1 / 0, 'running "Broken" filter plugin: division by zero'),
    ],
    ids=[
        "a filter that returns a bool is reported, not crashed on",
        "a filter that raises is reported as a scheduler error naming the plugin, as an Error status is",
    ],
)
def test_a_broken_student_plugin_gives_a_scheduler_error_and_the_scheduler_keeps_running(
    plugin_filter, message
):
    Broken = type("Broken", (), {"name": "Broken", "filter": plugin_filter})
    c = MiniCluster(workers=1, profiles=[Profile().add(Broken)])
    c.create(pod("web"))
    waited = c.settle()  # retried after 1, 2, 4 and 8 s; then every 10 s in the background
    assert waited == pytest.approx(15.001)
    # events.k8s.io groups repeats by the pod *and its resourceVersion*: the first attempt regards the
    # pod as created, the four others the pod with its PodScheduled condition, so two Events; the
    # second one's series was written at its first repeat (count 2), later repeats only counted
    assert c.events("web") == [("Warning", "FailedScheduling", message)] * 2
    assert [e.get("series", {}).get("count") for e in c.api.list("events")] == [None, 2]
    assert c.condition("web")["reason"] == "SchedulerError"
    c.scheduler.set_profiles([Profile()])  # fix the profile: the scheduler is still alive
    c.loop.run(10.0)
    assert c.node_of("web") == "node-1"


def test_a_score_plugin_that_raises_is_named_in_the_failed_scheduling_event():
    class Bad:
        name = "Bad"

        def score(self, state, p, node_info):
            return 1 / 0

    c = MiniCluster(workers=2, profiles=[Profile().add(Bad, weight=1)])  # (one feasible node is not scored)
    c.create(pod("web"))
    c.settle()
    assert set(c.events("web")) == {("Warning", "FailedScheduling",
                                     'running Score plugins: plugin "Bad" failed with: division by zero')}
