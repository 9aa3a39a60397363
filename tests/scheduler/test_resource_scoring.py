"""Scoring by resources: LeastAllocated, MostAllocated, RequestedToCapacityRatio, BalancedAllocation;
NodeResourcesFit's arguments and their validation; ImageLocality."""

import pytest
from scheduler_builders import MiniCluster, node, node_info, pod, snapshot_of

from k8slearn.scheduler import Profile
from k8slearn.scheduler.framework import CycleState
from k8slearn.scheduler.plugins.image_locality import (
    ImageLocality,
    calculate_priority,
    normalized_image_name,
    sum_image_scores,
)
from k8slearn.scheduler.plugins.node_resources_balanced_allocation import NodeResourcesBalancedAllocation
from k8slearn.scheduler.plugins.node_resources_fit import NodeResourcesFit
from k8slearn.scheduler.plugins.resource_allocation import (
    balanced_resource_scorer,
    broken_linear_function,
    least_resource_scorer,
    most_resource_scorer,
    requested_to_capacity_ratio_scorer,
)

GI = 2**30
UP = [(0, 0), (100, 10)]  # bin packing: fuller is better
DOWN = [(0, 10), (100, 0)]  # spreading: emptier is better


@pytest.mark.parametrize(
    "scorer, requested, allocatable, expected",
    [
        (least_resource_scorer([1, 1]), [1000, 2 * GI], [4000, 8 * GI], 75),
        (most_resource_scorer([1, 1]), [1000, 2 * GI], [4000, 8 * GI], 25),
        (least_resource_scorer([1, 1]), [5000, 2 * GI], [4000, 8 * GI], 37),
        (most_resource_scorer([1, 1]), [5000, 2 * GI], [4000, 8 * GI], 62),
        (least_resource_scorer([3, 1]), [1000, 6 * GI], [4000, 8 * GI], 62),
        (least_resource_scorer([1, 1]), [1000, 0], [4000, 0], 75),
        (requested_to_capacity_ratio_scorer(UP, [1, 1]), [1000, 2 * GI], [4000, 8 * GI], 25),
        (requested_to_capacity_ratio_scorer(DOWN, [1, 1]), [1000, 2 * GI], [4000, 8 * GI], 75),
        (requested_to_capacity_ratio_scorer(UP, [3, 1]), [1000, 4 * GI], [4000, 8 * GI], 31),
        (requested_to_capacity_ratio_scorer(UP, [1, 1]), [0, 4 * GI], [4000, 8 * GI], 50),
        (requested_to_capacity_ratio_scorer(UP, [1, 1]), [5000, 4 * GI], [4000, 8 * GI], 75),
        (balanced_resource_scorer, [1000, 6 * GI], [4000, 8 * GI], 75),
        (balanced_resource_scorer, [6000, 4 * GI], [4000, 8 * GI], 75),
        (balanced_resource_scorer, [2000, 4 * GI], [4000, 8 * GI], 100),
        (balanced_resource_scorer, [2, 4, 6], [10, 10, 10], 83),
        (balanced_resource_scorer, [1000, 0], [4000, 0], 100),
    ],
    ids=[
        "LeastAllocated scores the share left free: 75% of cpu and of memory",
        "MostAllocated scores the share in use",
        "LeastAllocated gives 0 for an over-committed resource",
        "MostAllocated caps an over-committed resource at 100",
        "resource weights make a weighted average, rounded down",
        "a resource the node does not have is left out of the average",
        "RequestedToCapacityRatio with a rising shape packs: 25% used scores 25",
        "RequestedToCapacityRatio with a falling shape spreads: 25% used scores 75",
        "RequestedToCapacityRatio averages by weight and rounds to the nearest integer",
        "RequestedToCapacityRatio leaves resources that score 0 out of the average",
        "RequestedToCapacityRatio scores an over-committed resource as 100% used",
        "BalancedAllocation: cpu 25% and memory 75% give std 0.25, score 75",
        "BalancedAllocation caps a fraction at 1 before comparing",
        "BalancedAllocation gives 100 when cpu and memory are used in the same share",
        "BalancedAllocation with three resources uses the population standard deviation",
        "BalancedAllocation with a single resource has nothing to balance",
    ],
)
def test_resource_scorers(scorer, requested, allocatable, expected):
    assert scorer(requested, allocatable) == expected


def test_the_broken_line_divides_like_go_truncating_toward_zero():
    assert broken_linear_function([(0, 100), (30, 0)])(10) == 67  # 100 - 33.3 -> 100 - 33
    assert broken_linear_function([(20, 50), (80, 100)])(10) == 50  # before the first point: its score
    assert broken_linear_function([(20, 50), (80, 100)])(90) == 100  # after the last point: its score


def scored(plugin, n, p):
    state = CycleState()
    plugin.pre_score(state, p, [])
    return plugin.score(state, p, node_info(n, *[pod(f"r{i}", cpu="1", memory="1Gi") for i in range(2)]))


@pytest.mark.parametrize(
    "args, expected",
    [
        (None, 53),
        ({"scoringStrategy": {"type": "MostAllocated"}}, 46),
        (
            {
                "scoringStrategy": {
                    "type": "RequestedToCapacityRatio",
                    "requestedToCapacityRatio": {
                        "shape": [{"utilization": 0, "score": 0}, {"utilization": 100, "score": 10}]
                    },
                }
            },
            46,
        ),
        ({"scoringStrategy": {"type": "LeastAllocated", "resources": [{"name": "cpu", "weight": 1}]}}, 45),
    ],
    ids=[
        "the default strategy is LeastAllocated over cpu and memory",
        "MostAllocated from the plugin's arguments",
        "RequestedToCapacityRatio with a shape from the plugin's arguments",
        "scoring only cpu when the arguments list only cpu",
    ],
)
def test_node_resources_fit_scoring_strategies(args, expected):
    # 2 of 4 cpus and 2 of 8Gi are requested; the pod asks 200m and 1Gi: cpu 55% used, memory 37%
    n = node("n", cpu="4", memory="8Gi")
    assert scored(NodeResourcesFit(args=args), n, pod(cpu="200m", memory="1Gi")) == expected


@pytest.mark.parametrize(
    "args, message",
    [
        (
            {"scoringStrategy": {"type": "Fancy"}},
            (
                'scoringStrategy.type: Unsupported value: "Fancy": supported values: "LeastAllocated", "MostAllocated", '
                '"RequestedToCapacityRatio"'
            ),
        ),
        (
            {"scoringStrategy": {"type": "LeastAllocated", "resources": [{"name": "cpu", "weight": 101}]}},
            "scoringStrategy.resources[0].weight: Invalid value: 101: resource weight of cpu not in valid range (0, 100]",
        ),
        (
            {"scoringStrategy": {"type": "RequestedToCapacityRatio"}},
            (
                "scoringStrategy.requestedToCapacityRatio: Required value: must be specified when type is "
                "RequestedToCapacityRatio"
            ),
        ),
        (
            {
                "scoringStrategy": {
                    "type": "RequestedToCapacityRatio",
                    "requestedToCapacityRatio": {
                        "shape": [{"utilization": 50, "score": 1}, {"utilization": 10, "score": 11}]
                    },
                }
            },
            (
                "[scoringStrategy.requestedToCapacityRatio.shape[1].utilization: Invalid value: 10: values must be sorted in "
                "increasing order, scoringStrategy.requestedToCapacityRatio.shape[1].score: Invalid value: 11: not in valid "
                "range [0, 10]]"
            ),
        ),
        (
            {"scoringStrategy": {"type": "MostAllocated", "requestedToCapacityRatio": {"shape": []}}},
            "scoringStrategy.requestedToCapacityRatio: Forbidden: must be nil when type is not RequestedToCapacityRatio",
        ),
        (
            {"scoringStrategy": {"type": "LeastAllocated"}, "ignoredResourceGroups": ["example.com/gpu"]},
            "ignoredResourceGroups[0]: Invalid value: \"example.com/gpu\": resource group name can't contain '/'",
        ),
    ],
    ids=[
        "an unknown scoring strategy is refused with the supported ones listed",
        "a resource weight above 100 is refused",
        "RequestedToCapacityRatio needs its shape",
        "shape points must be in increasing utilization and score at most 10",
        "a shape is forbidden for the other strategies",
        "an ignored resource group may not contain a slash",
    ],
)
def test_node_resources_fit_arguments_are_validated_like_upstream(args, message):
    with pytest.raises(ValueError) as err:
        NodeResourcesFit(args=args)
    assert str(err.value) == message


def test_ignored_extended_resources_are_not_checked_by_the_filter():
    gpu_pod = pod(
        containers=[{"name": "c", "image": "x", "resources": {"requests": {"example.com/gpu": "1"}}}]
    )
    state = CycleState()
    strict, lenient = NodeResourcesFit(), NodeResourcesFit(args={"ignoredResources": ["example.com/gpu"]})
    strict.pre_filter(state, gpu_pod)
    assert strict.filter(state, gpu_pod, node_info(node())).message() == "Insufficient example.com/gpu"
    assert lenient.filter(state, gpu_pod, node_info(node())).is_success()


def test_balanced_allocation_counts_real_requests_not_the_defaults():
    plugin = NodeResourcesBalancedAllocation()
    n = node("n", cpu="4", memory="8Gi")
    assert scored(plugin, n, pod()) == 87  # cpu 2/4 = 0.5, memory 2/8 = 0.25: the empty pod adds nothing


def test_a_bin_packing_profile_fills_one_node_before_the_next():
    packing = Profile("bin-packing").with_args(
        "NodeResourcesFit", {"scoringStrategy": {"type": "MostAllocated"}}
    )
    packing = packing.without("NodeResourcesBalancedAllocation")
    c = MiniCluster(workers=3, profiles=[packing])
    for i in range(4):
        c.create(pod(f"web-{i}", cpu="400m", memory="512Mi", scheduler_name="bin-packing"))
        c.settle()
    assert len({c.node_of(f"web-{i}") for i in range(4)}) == 1


@pytest.mark.parametrize(
    "name, expected",
    [
        ("nginx", "nginx:latest"),
        ("nginx:1.27", "nginx:1.27"),
        ("registry.local:5000/app", "registry.local:5000/app:latest"),
        ("registry.local:5000/app:v2", "registry.local:5000/app:v2"),
    ],
    ids=[
        "an image without a tag means :latest",
        "a tagged image stays as it is",
        "a registry port is not a tag",
        "a registry port and a tag",
    ],
)
def test_normalized_image_name(name, expected):
    assert normalized_image_name(name) == expected


MB = 1024 * 1024


@pytest.mark.parametrize(
    "total, containers, expected",
    [
        (0, 1, 0),
        (23 * MB, 1, 0),
        (500 * MB, 1, 48),
        (1000 * MB, 1, 100),
        (5000 * MB, 1, 100),
        (1000 * MB, 2, 49),
    ],
    ids=[
        "no image on the node scores 0",
        "images below 23 MiB score 0",
        "500 MiB of a pod's single image scores 48",
        "1000 MiB per container scores the maximum",
        "more than 1000 MiB per container is clamped",
        "the maximum grows with the number of containers",
    ],
)
def test_image_locality_priority(total, containers, expected):
    assert calculate_priority(total, containers) == expected


def test_an_image_on_fewer_nodes_counts_less():
    from k8slearn.scheduler.cache import Cache

    cache = Cache()
    image = {"names": ["nginx:1.27"], "sizeBytes": 600 * MB}
    with_image = node("n1")
    with_image["status"]["images"] = [image]
    cache.add_node(with_image)
    cache.add_node(node("n2"))
    info = cache.nodes["n1"]
    assert sum_image_scores(info, ["nginx:1.27"], total_num_nodes=2) == 300 * MB  # on 1 node of 2: half
    plugin = ImageLocality(snapshot_of(info, cache.nodes["n2"]))
    assert plugin.score(CycleState(), pod(image="nginx:1.27"), info) == 28
    assert plugin.score(CycleState(), pod(image="nginx:1.27"), cache.nodes["n2"]) == 0
