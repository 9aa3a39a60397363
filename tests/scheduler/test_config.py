"""KubeSchedulerConfiguration: profiles chosen by schedulerName, plugin sets merged like upstream,
arguments, percentageOfNodesToScore, and bad input refused with kube-scheduler's words."""

import pytest
from scheduler_builders import MiniCluster, pod

from k8slearn.scheduler import SUCCESS, Code, ConfigError, Framework, Status, load_config

HEAD = "apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n"


def profile(yaml_body, index=0, registry=None):
    return load_config(HEAD + yaml_body, registry).profiles[index]


def framework(yaml_body, index=0, registry=None):
    return Framework(profile(yaml_body, index, registry))


def test_an_empty_configuration_gives_the_default_profile():
    config = load_config(HEAD)
    assert [p.scheduler_name for p in config.profiles] == ["default-scheduler"]
    fwk = Framework(config.profiles[0])
    assert [p.name for p, _ in fwk.score_plugins][:3] == [
        "TaintToleration",
        "NodeAffinity",
        "NodeResourcesFit",
    ]
    assert config.percentage_of_nodes_to_score is None


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            "profiles:\n- plugins:\n    score:\n      disabled: [{name: ImageLocality}]\n",
            [
                ("TaintToleration", 3),
                ("NodeAffinity", 2),
                ("NodeResourcesFit", 1),
                ("PodTopologySpread", 2),
                ("InterPodAffinity", 2),
                ("NodeResourcesBalancedAllocation", 1),
            ],
        ),
        ("profiles:\n- plugins:\n    score:\n      disabled: [{name: '*'}]\n", []),
        (
            "profiles:\n- plugins:\n    score:\n      enabled: [{name: NodeResourcesFit, weight: 5}]\n",
            [
                ("NodeResourcesFit", 5),
                ("TaintToleration", 3),
                ("NodeAffinity", 2),
                ("PodTopologySpread", 2),
                ("InterPodAffinity", 2),
                ("NodeResourcesBalancedAllocation", 1),
                ("ImageLocality", 1),
            ],
        ),
        (
            "profiles:\n- plugins:\n    multiPoint:\n      enabled: [{name: TaintToleration, weight: 10}]\n",
            [
                ("TaintToleration", 10),
                ("NodeAffinity", 2),
                ("NodeResourcesFit", 1),
                ("PodTopologySpread", 2),
                ("InterPodAffinity", 2),
                ("NodeResourcesBalancedAllocation", 1),
                ("ImageLocality", 1),
            ],
        ),
        (
            "profiles:\n- plugins:\n    multiPoint:\n      disabled: [{name: PodTopologySpread}, {name: InterPodAffinity}]\n",
            [
                ("TaintToleration", 3),
                ("NodeAffinity", 2),
                ("NodeResourcesFit", 1),
                ("NodeResourcesBalancedAllocation", 1),
                ("ImageLocality", 1),
            ],
        ),
    ],
    ids=[
        "disabling a plugin at score keeps it everywhere else",
        "disabling * at score leaves no score plugin",
        "enabling a default plugin at score with a weight overrides it and puts it first",
        "re-enabling a default plugin in multiPoint changes its weight in place",
        "disabling plugins in multiPoint removes them from every extension point",
    ],
)
def test_plugin_sets_merge_with_the_defaults(body, expected):
    assert [(p.name, w) for p, w in framework(body).score_plugins] == expected


def test_disabling_a_filter_plugin_keeps_its_score():
    fwk = framework("profiles:\n- plugins:\n    filter:\n      disabled: [{name: TaintToleration}]\n")
    assert "TaintToleration" not in [p.name for p in fwk.filter_plugins]
    assert "TaintToleration" in [p.name for p, _ in fwk.score_plugins]


def test_plugin_args_reach_the_plugins():
    fwk = framework("""profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: RequestedToCapacityRatio
        resources: [{name: cpu, weight: 2}, {name: memory, weight: 1}]
        requestedToCapacityRatio:
          shape: [{utilization: 0, score: 0}, {utilization: 100, score: 10}]
  - name: DefaultPreemption
    args: {minCandidateNodesPercentage: 20, minCandidateNodesAbsolute: 5}
""")
    fit, preemption = fwk.plugins_by_name["NodeResourcesFit"], fwk.plugins_by_name["DefaultPreemption"]
    assert (fit.strategy, fit.resources) == ("RequestedToCapacityRatio", (("cpu", 2), ("memory", 1)))
    assert preemption.calculate_num_candidates(1000) == 200


class NoNode2:
    name = "NoNode2"

    def filter(self, state, p, node_info):
        return Status(Code.Unschedulable, "node-2 is reserved") if node_info.name == "node-2" else SUCCESS


def test_a_student_plugin_is_enabled_by_name_from_the_registry():
    fwk = framework(
        "profiles:\n- plugins:\n    multiPoint:\n      enabled: [{name: NoNode2}]\n",
        registry={"NoNode2": NoNode2},
    )
    assert [p.name for p in fwk.filter_plugins][-1] == "NoNode2"


TWO_PROFILES = (
    HEAD
    + """percentageOfNodesToScore: 40
profiles:
- schedulerName: default-scheduler
- schedulerName: no-node-2
  plugins:
    filter:
      enabled: [{name: NoNode2}]
"""
)


def test_pods_choose_their_profile_by_scheduler_name():
    c = MiniCluster(workers=2)
    config = c.scheduler.load_config(TWO_PROFILES, registry={"NoNode2": NoNode2})
    assert sorted(c.scheduler.profiles) == ["default-scheduler", "no-node-2"]
    assert c.scheduler.percentage_of_nodes_to_score == 40 == config.percentage_of_nodes_to_score
    for i in range(4):
        c.create(pod(f"picky-{i}", cpu="100m", scheduler_name="no-node-2"))
    c.settle()
    assert {c.node_of(f"picky-{i}") for i in range(4)} == {"node-1"}
    picky = next(e for e in c.api.list("events") if e["involvedObject"]["name"] == "picky-0")
    # events.k8s.io: the profile's name reports it, from its host (no core/v1 source)
    assert (picky["source"], picky["reportingComponent"], picky["reportingInstance"]) == (
        {}, "no-node-2", "no-node-2-control-plane")


@pytest.mark.parametrize(
    "config, message",
    [
        (
            HEAD + "profiles:\n- plugins:\n    multiPoint:\n      enabled: [{name: Foo}]\n",
            (
                'initializing profiles: creating profile for scheduler name default-scheduler: PreFilterPlugin "Foo" does '
                "not exist"
            ),
        ),
        (
            HEAD + "profiles:\n- plugins:\n    score:\n      enabled: [{name: Foo, weight: 1}]\n",
            (
                'initializing profiles: creating profile for scheduler name default-scheduler: ScorePlugin "Foo" does not '
                "exist"
            ),
        ),
        (
            HEAD + "profiles:\n- plugins:\n    score:\n      enabled: [{name: NodePorts}]\n",
            (
                'initializing profiles: creating profile for scheduler name default-scheduler: plugin "NodePorts" does not '
                "extend ScorePlugin plugin"
            ),
        ),
        (
            HEAD
            + "profiles:\n- plugins:\n    score:\n      enabled: [{name: NodeResourcesFit, weight: -1}]\n",
            "profiles[0].plugins.score.enabled[0].weight: Invalid value: -1: must be greater than or equal to 0",
        ),
        (
            HEAD + "profiles:\n- plugins:\n    score:\n      enabled: [{name: EBSLimits}]\n",
            (
                'profiles[0].plugins.score.enabled[0]: Invalid value: "EBSLimits": was invalid in version '
                '"kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")'
            ),
        ),
        (
            HEAD + "profiles:\n- schedulerName: a\n- schedulerName: a\n",
            "profiles[1].schedulerName: Duplicate value: profiles[0].schedulerName",
        ),
        (
            HEAD + "profiles:\n- schedulerName: a\n- percentageOfNodesToScore: 101\n",
            (
                "[profiles[1].schedulerName: Required value, profiles[1].percentageOfNodesToScore: Invalid value: 101: not in "
                "valid range [0-100]]"
            ),
        ),
        (
            HEAD
            + "profiles:\n- pluginConfig:\n  - name: DefaultPreemption\n    args: {minCandidateNodesPercentage: 150}\n",
            "profiles[0].pluginConfig[0].args.minCandidateNodesPercentage: Invalid value: 150: not in valid range [0, 100]",
        ),
        (
            HEAD
            + "profiles:\n- pluginConfig:\n  - name: NodeResourcesFit\n    args: {scoringStrategy: {type: Fancy}}\n",
            (
                "initializing profiles: creating profile for scheduler name default-scheduler: initializing plugin "
                '"NodeResourcesFit": scoringStrategy.type: Unsupported value: "Fancy": supported values: "LeastAllocated", '
                '"MostAllocated", "RequestedToCapacityRatio"'
            ),
        ),
        (
            HEAD + "profiles:\n- plugin:\n    score: {}\n",
            'strict decoding error: unknown field "profiles[0].plugin"',
        ),
        (
            "apiVersion: kubescheduler.config.k8s.io/v1beta2\nkind: KubeSchedulerConfiguration\n",
            'no kind "KubeSchedulerConfiguration" is registered for version "kubescheduler.config.k8s.io/v1beta2"',
        ),
        (HEAD + "profiles: [\n", "yaml: line 4: expected the node content, but found '<stream end>'"),
        (
            HEAD + "podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2\n",
            "podMaxBackoffSeconds: Invalid value: 2: must be greater than or equal to PodInitialBackoffSeconds",
        ),
    ],
    ids=[
        "an unknown plugin in multiPoint is named in the error",
        "an unknown plugin at one extension point is named with that point's type",
        "a plugin enabled at a point it does not implement is refused",
        "a negative weight is refused",
        "a plugin removed from the API is refused",
        "two profiles may not share a scheduler name",
        "with several profiles each needs a name, and percentages stay in 0-100",
        "plugin arguments are validated with their path in the file",
        "NodeResourcesFit's arguments are validated when the plugin starts",
        "an unknown field is refused by the strict decoder",
        "an old apiVersion is refused",
        "malformed YAML names the line",
        "the maximum backoff may not be below the initial one",
    ],
)
def test_bad_configurations_are_refused_with_upstream_messages_and_change_nothing(config, message):
    c = MiniCluster(workers=1, start=False)
    before = c.scheduler.profiles
    with pytest.raises(ConfigError) as err:
        c.scheduler.load_config(config)
    assert str(err.value) == message
    assert c.scheduler.profiles is before
