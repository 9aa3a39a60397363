"""explain() in words: a count of one node reads "1 other node was ...", not "1 other nodes were ..."."""

import pytest
from scheduler_builders import PRIORITY_CLASSES

from k8slearn import Cluster
from k8slearn.scheduler.explain import Attempt, Explanation
from k8slearn.scheduler.framework import Code, Status

NOMINATED = ("the pod's nominated node node-1 (status.nominatedNodeName, set by preemption) passed every "
             "filter, so no other node was tried")
PINNED = "node(s) didn't satisfy plugin(s) [NodeAffinity]"


def attempt(num_all_nodes, feasible, left_out="", reason="", num_to_find=0):
    a = Attempt("default/web", time=1.0, number=1, profile="default-scheduler", num_all_nodes=num_all_nodes,
                filter_plugins=["NodeResourcesFit"])
    a.feasible, a.left_out, a.reason, a.num_to_find = feasible, left_out, reason, num_to_find
    if reason == "SchedulerError":
        a.node_to_status = {"node-1": Status(Code.Error, "TypeError: boom", "Broken")}
    return a


@pytest.mark.parametrize("a, line", [
    pytest.param(attempt(2, ["node-1"], left_out=PINNED),
                 f"  1 other node was left out by PreFilter: {PINNED}",
                 id="one node outside the PreFilter result is one other node that was left out"),
    pytest.param(attempt(3, ["node-1"], left_out=PINNED),
                 f"  2 other nodes were left out by PreFilter: {PINNED}",
                 id="two nodes outside the PreFilter result are two other nodes that were left out"),
    pytest.param(attempt(2, ["node-1"], left_out=NOMINATED), f"  1 other node was not tried: {NOMINATED}",
                 id="one node not tried after the nominated node passed is one other node"),
    pytest.param(attempt(2, [], reason="SchedulerError"),
                 "  1 node has no verdict: a plugin failed and the cycle stopped "
                 "(the Message below says why).",
                 id="one node without a verdict after a failed plugin has no verdict"),
    pytest.param(attempt(102, ["node-1"] * 101, num_to_find=101),
                 "  1 node was not evaluated: the search stops once 101 feasible nodes are found "
                 "(percentageOfNodesToScore).",
                 id="one node past the feasible nodes to find was not evaluated"),
    pytest.param(attempt(21, [f"node-{i}" for i in range(21)]), "  ... and 1 more feasible node",
                 id="one feasible node past the listed ones is one more feasible node"),
])
def test_a_count_of_nodes_is_singular_for_one(a, line):
    assert line in str(Explanation(a)).splitlines()


def manifest(name, priority_class):
    return (f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\n"
            f"spec:\n  priorityClassName: {priority_class}\n"
            "  containers: [{name: app, image: nginx, resources: {requests: {cpu: 1500m}}}]\n")


def test_after_preemption_in_a_two_node_cluster_the_one_other_node_was_not_tried():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=PRIORITY_CLASSES)
    c.kubectl("apply -f -", stdin=manifest("batch", "low"))
    c.settle()
    c.kubectl("apply -f -", stdin=manifest("critical", "high"))
    c.settle()
    assert c.api.get("pods", "critical")["spec"]["nodeName"] == "node-1"
    text = str(c.scheduler.explain("critical"))
    assert "Filter: 1 of 2 nodes evaluated, 1 feasible." in text
    assert f"  1 other node was not tried: {NOMINATED}" in text.splitlines()
