"""Chapter 06's case tables are right: each passes against the real scheduler code, and a wrong answer fails."""

import pytest

from k8slearn.course import check
from k8slearn.course.cases import get_table
from k8slearn.scheduler import lab
from k8slearn.scheduler.plugins.node_resources_fit import least_requested_score
from k8slearn.scheduler.plugins.taint_toleration import tolerates_taint

IMPLEMENTATIONS = {
    "scheduling.tolerates": tolerates_taint,
    "scheduling.node_selector_requirement": lab.requirement_matches,
    "scheduling.insufficient": lab.insufficient,
    "scheduling.least_allocated": least_requested_score,
    "scheduling.pick_node": lab.pick_node,
    "scheduling.spread_allows": lab.spread_allows,
}


@pytest.mark.parametrize(
    "name",
    sorted(IMPLEMENTATIONS),
    ids=[f"{n} agrees with the scheduler's own code" for n in sorted(IMPLEMENTATIONS)],
)
def test_every_case_passes_against_the_package(name):
    result = check(IMPLEMENTATIONS[name], name)
    assert result.ok, str(result)
    assert len(get_table(name)) >= 5


WRONG = {
    "scheduling.tolerates": lambda toleration, taint: toleration.get("key") == taint.get("key"),
    "scheduling.node_selector_requirement": lambda requirement, labels: requirement["key"] in labels,
    "scheduling.insufficient": lambda request, free: [],
    "scheduling.least_allocated": lambda requested, capacity: 100 - requested * 100 // max(capacity, 1),
    "scheduling.pick_node": lambda pod, nodes: nodes[0]["name"],
    "scheduling.spread_allows": lambda counts, zone, max_skew: counts[zone] < max_skew,
}


@pytest.mark.parametrize(
    "name", sorted(WRONG), ids=[f"{n} catches a plausible wrong answer" for n in sorted(WRONG)]
)
def test_a_plausible_wrong_answer_fails_some_case(name):
    assert not check(WRONG[name], name).ok


def test_a_from_scratch_toy_scheduler_agrees_with_k8slearn_on_every_case():
    def pick_node(pod, nodes):
        feasible = [
            n
            for n in nodes
            if set(n["taints"]) <= set(pod.get("tolerations", ()))
            and n["used_cpu"] + pod["cpu"] <= n["cpu"]
            and n["used_memory"] + pod["memory"] <= n["memory"]
        ]
        if not feasible:
            return None
        return max(
            feasible,
            key=lambda n: (
                (n["cpu"] - n["used_cpu"] - pod["cpu"]) / n["cpu"]
                + (n["memory"] - n["used_memory"] - pod["memory"]) / n["memory"]
            ),
        )["name"]

    assert check(pick_node, "scheduling.pick_node").ok
