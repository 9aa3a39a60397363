"""NodeAffinity: nodeSelector, required terms with every operator, matchFields, PreFilter, preferred scores."""

import pytest
from scheduler_builders import MiniCluster, expr, node, node_info, pod, required_node_affinity

from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, PreFilterResult, Status
from k8slearn.scheduler.plugins.node_affinity import NodeAffinity, matches

SSD = node("node-1", labels={"disk": "ssd", "cores": "8", "zone": "a"})
HDD = node("node-2", labels={"disk": "hdd", "cores": "2"})
MISMATCH = Status(Code.UnschedulableAndUnresolvable, "node(s) didn't match Pod's node affinity/selector")


@pytest.mark.parametrize(
    "p, n, expected",
    [
        (pod(node_selector={"disk": "ssd"}), SSD, True),
        (pod(node_selector={"disk": "ssd"}), HDD, False),
        (pod(node_selector={"disk": "ssd", "zone": "a"}), SSD, True),
        (pod(node_selector={"disk": "ssd", "zone": "b"}), SSD, False),
        (pod(affinity=required_node_affinity([expr("disk", "In", "ssd", "nvme")])), SSD, True),
        (pod(affinity=required_node_affinity([expr("disk", "In", "nvme")])), SSD, False),
        (pod(affinity=required_node_affinity([expr("disk", "NotIn", "hdd")])), SSD, True),
        (pod(affinity=required_node_affinity([expr("gpu", "NotIn", "true")])), SSD, True),
        (pod(affinity=required_node_affinity([expr("zone", "Exists")])), SSD, True),
        (pod(affinity=required_node_affinity([expr("zone", "Exists")])), HDD, False),
        (pod(affinity=required_node_affinity([expr("zone", "DoesNotExist")])), HDD, True),
        (pod(affinity=required_node_affinity([expr("cores", "Gt", "4")])), SSD, True),
        (pod(affinity=required_node_affinity([expr("cores", "Gt", "4")])), HDD, False),
        (pod(affinity=required_node_affinity([expr("cores", "Lt", "4")])), HDD, True),
        (pod(affinity=required_node_affinity([expr("disk", "Gt", "4")])), SSD, False),
        (
            pod(affinity=required_node_affinity([expr("disk", "In", "ssd"), expr("cores", "Lt", "4")])),
            SSD,
            False,
        ),
        (
            pod(affinity=required_node_affinity([expr("disk", "In", "nvme")], [expr("cores", "Gt", "4")])),
            SSD,
            True,
        ),
        (pod(affinity=required_node_affinity([expr("disk", "Like", "ssd")])), SSD, False),
        (
            pod(
                affinity=required_node_affinity(
                    [expr("disk", "In", "nvme")], [expr("disk", "Like", "x")], [expr("cores", "Gt", "4")]
                )
            ),
            SSD,
            True,
        ),
        (
            pod(node_selector={"disk": "ssd"}, affinity=required_node_affinity([expr("cores", "Lt", "4")])),
            SSD,
            False,
        ),
        (
            pod(
                affinity={
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{}]}
                    }
                }
            ),
            SSD,
            False,
        ),
        (
            pod(
                affinity={
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {
                                    "matchFields": [
                                        {"key": "metadata.name", "operator": "In", "values": ["node-1"]}
                                    ]
                                }
                            ]
                        }
                    }
                }
            ),
            SSD,
            True,
        ),
        (
            pod(
                affinity={
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {
                                    "matchFields": [
                                        {"key": "metadata.name", "operator": "In", "values": ["node-1"]}
                                    ]
                                }
                            ]
                        }
                    }
                }
            ),
            HDD,
            False,
        ),
        (
            pod(
                affinity={
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {
                                    "matchFields": [
                                        {"key": "metadata.name", "operator": "NotIn", "values": ["node-1"]}
                                    ]
                                }
                            ]
                        }
                    }
                }
            ),
            HDD,
            True,
        ),
        (pod(), HDD, True),
    ],
    ids=[
        "a nodeSelector label on the node matches",
        "a nodeSelector with another value does not match",
        "every nodeSelector label must be on the node",
        "one wrong nodeSelector label is enough to fail",
        "In matches one of the listed values",
        "In fails when the value is not listed",
        "NotIn matches a node whose value is not listed",
        "NotIn also matches a node that lacks the label",
        "Exists matches a node with the label",
        "Exists fails on a node without it",
        "DoesNotExist matches a node without the label",
        "Gt compares the label as an integer",
        "Gt fails for a smaller number",
        "Lt matches a smaller number",
        "Gt never matches a label that is not an integer",
        "the expressions of one term are ANDed",
        "the terms are ORed",
        "an unknown operator makes its term match nothing",
        "a term with a parse error is skipped and the next term may still match",
        "nodeSelector and node affinity must both hold",
        "an empty term matches no node",
        "matchFields metadata.name pins a pod to one node (how DaemonSets do it)",
        "matchFields metadata.name keeps the pod off every other node",
        "matchFields NotIn excludes one node",
        "a pod without nodeSelector or affinity fits everywhere",
    ],
)
def test_matches(p, n, expected):
    assert matches(p, n) is expected


@pytest.mark.parametrize(
    "p, expected",
    [
        (pod(), (None, Status(Code.Skip))),
        (pod(node_selector={"disk": "ssd"}), (None, SUCCESS)),
        (
            pod(
                affinity={
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {
                                    "matchFields": [
                                        {
                                            "key": "metadata.name",
                                            "operator": "In",
                                            "values": ["node-1", "node-2"],
                                        }
                                    ]
                                },
                                {
                                    "matchFields": [
                                        {"key": "metadata.name", "operator": "In", "values": ["node-3"]}
                                    ]
                                },
                            ]
                        }
                    }
                }
            ),
            (PreFilterResult(frozenset({"node-1", "node-2", "node-3"})), SUCCESS),
        ),
        (
            pod(
                affinity={
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {
                                    "matchFields": [
                                        {"key": "metadata.name", "operator": "In", "values": ["node-1"]},
                                        {"key": "metadata.name", "operator": "In", "values": ["node-2"]},
                                    ]
                                }
                            ]
                        }
                    }
                }
            ),
            (None, Status(Code.UnschedulableAndUnresolvable, "pod affinity terms conflict")),
        ),
        (
            pod(
                affinity={
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {
                                    "matchFields": [
                                        {"key": "metadata.name", "operator": "In", "values": ["node-1"]}
                                    ]
                                },
                                {"matchExpressions": [expr("disk", "Exists")]},
                            ]
                        }
                    }
                }
            ),
            (None, SUCCESS),
        ),
    ],
    ids=[
        "a pod with neither nodeSelector nor required affinity skips the plugin",
        "a nodeSelector alone needs the Filter but names no nodes",
        "matchFields terms narrow the search to the union of their nodes",
        "two metadata.name requirements in one term that share no node conflict",
        "a term without matchFields lets every node through",
    ],
)
def test_pre_filter(p, expected):
    out = NodeAffinity().pre_filter(CycleState(), p)
    assert (out if isinstance(out, tuple) else (None, out)) == expected


def test_filter_gives_the_upstream_reason_and_code():
    plugin = NodeAffinity()
    p = pod(node_selector={"disk": "ssd"})
    state = CycleState()
    plugin.pre_filter(state, p)
    assert plugin.filter(state, p, node_info(HDD)) == MISMATCH
    assert plugin.filter(state, p, node_info(SSD)) is SUCCESS


def preferred(*weighted):
    return {
        "nodeAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": w, "preference": {"matchExpressions": [e]}} for w, e in weighted
            ]
        }
    }


@pytest.mark.parametrize(
    "affinity, raw, normalized",
    [
        (preferred((10, expr("disk", "In", "ssd"))), [10, 0], [100, 0]),
        (preferred((10, expr("disk", "In", "ssd")), (30, expr("cores", "Exists"))), [40, 30], [100, 75]),
        (preferred((5, expr("gpu", "Exists"))), [0, 0], [0, 0]),
    ],
    ids=[
        "a matching preferred term adds its weight, normalised so the best node gets 100",
        "the weights of every matching term add up",
        "when no node matches a preference every node scores 0",
    ],
)
def test_score(affinity, raw, normalized):
    plugin, state, p = NodeAffinity(), CycleState(), pod(affinity=affinity)
    assert plugin.pre_score(state, p, []) is SUCCESS
    scores = [plugin.score(state, p, node_info(n)) for n in (SSD, HDD)]
    assert scores == raw
    as_dict = dict(zip("ab", scores))
    plugin.normalize_score(state, p, as_dict)
    assert list(as_dict.values()) == normalized == plugin.normalize_scores(state, p, scores)


def test_a_pod_without_preferences_skips_scoring():
    assert NodeAffinity().pre_score(CycleState(), pod(), []) == Status(Code.Skip)


def test_added_affinity_from_the_profile_keeps_pods_off_other_nodes():
    plugin = NodeAffinity(
        args={
            "addedAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchExpressions": [expr("disk", "In", "ssd")]}]
                }
            }
        }
    )
    assert plugin.filter(CycleState(), pod(), node_info(HDD)) == Status(
        Code.UnschedulableAndUnresolvable, "node(s) didn't match scheduler-enforced node affinity"
    )


def test_invalid_added_affinity_is_refused_with_the_field_path():
    with pytest.raises(ValueError) as err:
        NodeAffinity(
            args={
                "addedAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [{"matchExpressions": [expr("disk", "Like", "ssd")]}]
                    }
                }
            }
        )
    assert str(err.value) == (
        "addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]"
        '.operator: Unsupported value: "Like": supported values: "In", "NotIn", "Exists", "DoesNotExist", '
        '"Gt", "Lt"'
    )


def test_a_node_selector_matching_nothing_gives_the_exact_failed_scheduling_message():
    c = MiniCluster(control_plane=True, workers=2)
    c.create(pod("web", node_selector={"disktype": "ssd"}))
    c.settle()
    assert c.events("web") == [
        (
            "Warning",
            "FailedScheduling",
            (
                "0/3 nodes are available: 1 node(s) had untolerated taint "
                "{node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node "
                "affinity/selector. preemption: 0/3 nodes are available: "
                "3 Preemption is not helpful for scheduling."
            ),
        )
    ]


def test_a_node_labelled_later_makes_the_pending_pod_schedulable():
    c = MiniCluster(workers=2)
    c.create(pod("web", node_selector={"disktype": "ssd"}))
    c.settle()
    assert c.node_of("web") == ""
    c.api.patch("nodes", "node-2", {"metadata": {"labels": {"disktype": "ssd"}}}, None)
    c.settle()
    assert c.node_of("web") == "node-2"


def test_a_daemonset_style_pod_goes_to_its_node_even_past_a_taint_it_tolerates():
    pinned = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["control-plane"]}]}
                ]
            }
        }
    }
    c = MiniCluster(control_plane=True, workers=2)
    c.create(pod("agent", affinity=pinned, tolerations=[{"operator": "Exists"}]))
    c.settle()
    assert c.node_of("agent") == "control-plane"
    text = str(c.scheduler.explain("agent"))
    assert "Filter: 1 of 3 nodes evaluated, 1 feasible." in text
    assert "2 other nodes were left out by PreFilter: node(s) didn't satisfy plugin(s) [NodeAffinity]" in text


@pytest.mark.parametrize("field, values", [
    pytest.param("metadata.name", ["node-9"], id="a pod pinned by matchFields to a node that is not there waits for it"),
])
def test_a_pod_whose_prefilter_leaves_no_existing_node_waits_for_a_node_event_not_a_retry(field, values):
    """NodeAffinity's PreFilterResult narrows the nodes to node-9: the plugin counts as rejecting the
    pod (findNodesThatFitPod's UnschedulablePlugins), so the queue keeps it until a node event
    concerns it or the 5-minute flush, instead of retrying it every 10 s as after an error."""
    from k8slearn import Cluster

    c = Cluster(workers=2, seed=0)
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "pin", "namespace": "default"},
                  "spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                      "nodeSelectorTerms": [{"matchFields": [{"key": field, "operator": "In", "values": values}]}]}}},
                      "containers": [{"name": "app", "image": "nginx:1.27"}]}})
    c.run(120)
    failed = [e for e in c.api.list("events", "default") if e["reason"] == "FailedScheduling"]
    assert [(e.get("series"), e["message"]) for e in failed] == [
        (None, "0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes "
            "are available: 3 Preemption is not helpful for scheduling.")]
    c.add_node(values[0])
    c.run(10)
    assert c.api.get("pods", "pin", "default")["spec"].get("nodeName") == values[0]
