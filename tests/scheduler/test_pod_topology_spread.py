"""PodTopologySpread: skew arithmetic, minDomains, missing labels, scores, the system defaults."""

import pytest
from scheduler_builders import MiniCluster, node, node_info, pod, snapshot_of, spread_constraint, taint

from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.pod_topology_spread import PodTopologySpread

ZONE = "topology.kubernetes.io/zone"
TOO_SKEWED = Status(Code.Unschedulable, "node(s) didn't match pod topology spread constraints")
NO_LABEL = Status(
    Code.UnschedulableAndUnresolvable,
    "node(s) didn't match pod topology spread constraints (missing required label)",
)


def web(name, node_name="", namespace="default", labels=None, deleting=False):
    p = pod(name, node_name=node_name, namespace=namespace, labels=labels or {"app": "web"})
    if deleting:
        p["metadata"]["deletionTimestamp"] = "2026-01-05T09:00:00Z"
    return p


def zone_node(name, zone):
    return node(name, labels={ZONE: zone} if zone else {})


def cluster(counts, extra=()):
    """NodeInfos a1, a2 (zone a), b1 (zone b), each with the given web pods, plus extra pods."""
    nodes = {"a1": "a", "a2": "a", "b1": "b"}
    infos = []
    for name, zone in nodes.items():
        pods = [web(f"{name}-{i}") for i in range(counts.get(name, 0))]
        pods += [p for n, p in extra if n == name]
        infos.append(node_info(zone_node(name, zone), *pods))
    return infos


def verdicts(constraint, counts, incoming=None, extra=(), extra_nodes=()):
    infos = cluster(counts, extra) + list(extra_nodes)
    plugin = PodTopologySpread(snapshot_of(*infos))
    p = incoming or web("new")
    p["spec"]["topologySpreadConstraints"] = [constraint]
    state = CycleState()
    assert plugin.pre_filter(state, p) is SUCCESS
    return {info.name: plugin.filter(state, p, info) for info in infos}


@pytest.mark.parametrize(
    "constraint, counts, incoming, expected",
    [
        (spread_constraint(1), {"a1": 1}, None, {"a1": TOO_SKEWED, "a2": TOO_SKEWED, "b1": SUCCESS}),
        (spread_constraint(2), {"a1": 1}, None, {"a1": SUCCESS, "a2": SUCCESS, "b1": SUCCESS}),
        (
            spread_constraint(1),
            {"a1": 1},
            web("new", labels={"app": "other"}),
            {"a1": SUCCESS, "a2": SUCCESS, "b1": SUCCESS},
        ),
        (spread_constraint(1), {"a1": 1, "b1": 1}, None, {"a1": SUCCESS, "a2": SUCCESS, "b1": SUCCESS}),
        (
            spread_constraint(1, min_domains=3),
            {"a1": 1, "b1": 1},
            None,
            {"a1": TOO_SKEWED, "a2": TOO_SKEWED, "b1": TOO_SKEWED},
        ),
        (
            spread_constraint(1, key="kubernetes.io/hostname"),
            {"a1": 1},
            None,
            {"a1": TOO_SKEWED, "a2": SUCCESS, "b1": SUCCESS},
        ),
        (spread_constraint(1), {"a1": 2, "b1": 1}, None, {"a1": TOO_SKEWED, "a2": TOO_SKEWED, "b1": SUCCESS}),
    ],
    ids=[
        "one web pod in zone a: a second one there would make the skew 2, zone b is fine",
        "with maxSkew 2 the same placement is allowed",
        "a pod that its own selector does not match adds nothing to the skew",
        "with one pod in each zone either zone is fine",
        "with fewer domains than minDomains the global minimum counts as 0",
        "with the hostname key each node is its own domain",
        "two pods in zone a and one in zone b: only zone b is allowed",
    ],
)
def test_filter(constraint, counts, incoming, expected):
    assert verdicts(constraint, counts, incoming) == expected


def test_a_node_without_the_topology_label_cannot_be_used():
    result = verdicts(spread_constraint(1), {}, extra_nodes=[node_info(zone_node("x1", ""))])
    assert result["x1"] == NO_LABEL


def test_pods_in_other_namespaces_or_being_deleted_are_not_counted():
    extra = [("a1", web("other-ns", namespace="prod")), ("a1", web("leaving", deleting=True))]
    assert verdicts(spread_constraint(1), {}, extra=extra) == {"a1": SUCCESS, "a2": SUCCESS, "b1": SUCCESS}


def test_a_pod_without_do_not_schedule_constraints_skips_the_filter():
    assert PodTopologySpread(snapshot_of()).pre_filter(CycleState(), web("new")) == Status(Code.Skip)


def test_schedule_anyway_scores_the_emptier_zone_higher():
    infos = cluster({"a1": 2, "b1": 0})
    plugin = PodTopologySpread(snapshot_of(*infos))
    p = web("new")
    p["spec"]["topologySpreadConstraints"] = [spread_constraint(1, when="ScheduleAnyway")]
    state = CycleState()
    assert plugin.pre_score(state, p, infos) is SUCCESS
    raw = {i.name: plugin.score(state, p, i) for i in infos}
    assert raw == {"a1": 3, "a2": 3, "b1": 0}  # 2 pods × log(2 zones + 2) + (maxSkew − 1) = 2.77, rounded
    plugin.normalize_score(state, p, raw)
    assert raw == {"a1": 0, "a2": 0, "b1": 100}


def test_a_bare_pod_gets_no_default_spreading():
    plugin = PodTopologySpread(snapshot_of(*cluster({})))
    assert plugin.pre_score(CycleState(), web("new"), cluster({})) == Status(Code.Skip)


REPLICA_SET = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": {"name": "web-1", "namespace": "default", "uid": "rs-uid"},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "app", "image": "nginx"}]},
        },
    },
}


def owned(name):
    p = web(name)
    p["metadata"]["ownerReferences"] = [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "rs-uid", "controller": True}
    ]
    return p


def test_the_system_default_spreads_the_pods_of_one_replica_set_over_nodes():
    c = MiniCluster(workers=3)
    c.create(REPLICA_SET)
    c.settle()
    for i in range(3):
        c.create(owned(f"web-{i}"))
        c.settle()
    assert sorted(c.node_of(f"web-{i}") for i in range(3)) == ["node-1", "node-2", "node-3"]
    rows = {r["node"]: r for r in c.scheduler.explain("web-2").as_rows()}
    assert rows[c.node_of("web-2")]["scores"]["PodTopologySpread"]["normalized"] == 100


def test_a_topology_spread_that_cannot_be_satisfied_gives_the_exact_failed_scheduling_message():
    zoned = [
        node("node-1", labels={ZONE: "a"}),
        node("node-2", labels={ZONE: "a"}),
        node("node-3", labels={ZONE: "b"}, taints=[taint("maintenance", "true")]),
    ]
    c = MiniCluster(nodes=zoned, control_plane=True)
    c.create(web("web-1", node_name="node-1"))
    c.create(web("web-2", node_name="node-2"))
    spread = web("web-3")
    spread["spec"]["topologySpreadConstraints"] = [spread_constraint(1)]
    c.create(spread)
    c.settle()
    assert c.events("web-3") == [
        (
            "Warning",
            "FailedScheduling",
            (
                "0/4 nodes are available: 1 node(s) had untolerated taint {maintenance: true}, "
                "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
                "2 node(s) didn't match pod topology spread constraints. preemption: 0/4 nodes are available: "
                "2 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
            ),
        )
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            {
                "defaultingType": "System",
                "defaultConstraints": [
                    {"maxSkew": 1, "topologyKey": ZONE, "whenUnsatisfiable": "ScheduleAnyway"}
                ],
            },
            'defaultingType: Invalid value: "System": when .defaultConstraints are not empty',
        ),
        (
            {
                "defaultingType": "List",
                "defaultConstraints": [
                    {"maxSkew": 0, "topologyKey": ZONE, "whenUnsatisfiable": "ScheduleAnyway"}
                ],
            },
            "defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)",
        ),
        (
            {"defaultingType": "List", "defaultConstraints": [spread_constraint(1, when="ScheduleAnyway")]},
            (
                "defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they deduced "
                "for each pod"
            ),
        ),
    ],
    ids=[
        "System defaulting cannot come with constraints",
        "a default constraint needs a positive maxSkew",
        "a default constraint may not have a selector: it is deduced for each pod",
    ],
)
def test_plugin_arguments_are_validated(args, message):
    with pytest.raises(ValueError) as err:
        PodTopologySpread(args=args)
    assert str(err.value) == message
