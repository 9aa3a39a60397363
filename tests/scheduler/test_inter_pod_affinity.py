"""InterPodAffinity: required affinity and anti-affinity (the pod's and the existing pods'), preferred scores."""

import pytest
from scheduler_builders import MiniCluster, node, node_info, pod, pod_term, snapshot_of

from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status
from k8slearn.scheduler.plugins.inter_pod_affinity import InterPodAffinity

ZONE = "topology.kubernetes.io/zone"
HOST = "kubernetes.io/hostname"
AFFINITY = Status(Code.UnschedulableAndUnresolvable, "node(s) didn't match pod affinity rules")
ANTI = Status(Code.Unschedulable, "node(s) didn't match pod anti-affinity rules")
EXISTING_ANTI = Status(Code.Unschedulable, "node(s) didn't satisfy existing pods anti-affinity rules")


def required(kind, *terms):
    return {kind: {"requiredDuringSchedulingIgnoredDuringExecution": list(terms)}}


def preferred(kind, *weighted):
    return {
        kind: {
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": w, "podAffinityTerm": t} for w, t in weighted
            ]
        }
    }


def nodes_with(placed):
    """node-1 (zone a), node-2 (zone a), node-3 (zone b), with (node, pod) pairs running on them."""
    zones = {"node-1": "a", "node-2": "a", "node-3": "b"}
    return [
        node_info(node(n, labels={ZONE: z}), *[p for where, p in placed if where == n])
        for n, z in zones.items()
    ]


def filtered(incoming, placed):
    infos = nodes_with(placed)
    plugin, state = InterPodAffinity(snapshot_of(*infos)), CycleState()
    status = plugin.pre_filter(state, incoming)
    if status.is_skip():
        return "skip"
    return {i.name: plugin.filter(state, incoming, i) for i in infos}


DB = pod("db", labels={"app": "db"})
WEB = pod("web-0", labels={"app": "web"})
LONER = pod(
    "loner", labels={"app": "loner"}, affinity=required("podAntiAffinity", pod_term({"app": "web"}, HOST))
)


@pytest.mark.parametrize(
    "incoming, placed, expected",
    [
        (
            pod(
                "web", labels={"app": "web"}, affinity=required("podAffinity", pod_term({"app": "db"}, ZONE))
            ),
            [("node-1", DB)],
            {"node-1": SUCCESS, "node-2": SUCCESS, "node-3": AFFINITY},
        ),
        (
            pod(
                "web", labels={"app": "web"}, affinity=required("podAffinity", pod_term({"app": "db"}, HOST))
            ),
            [("node-1", DB)],
            {"node-1": SUCCESS, "node-2": AFFINITY, "node-3": AFFINITY},
        ),
        (
            pod(
                "web", labels={"app": "web"}, affinity=required("podAffinity", pod_term({"app": "db"}, ZONE))
            ),
            [],
            {"node-1": AFFINITY, "node-2": AFFINITY, "node-3": AFFINITY},
        ),
        (
            pod(
                "web", labels={"app": "web"}, affinity=required("podAffinity", pod_term({"app": "web"}, ZONE))
            ),
            [],
            {"node-1": SUCCESS, "node-2": SUCCESS, "node-3": SUCCESS},
        ),
        (
            pod(
                "web",
                labels={"app": "web"},
                affinity=required("podAntiAffinity", pod_term({"app": "web"}, HOST)),
            ),
            [("node-1", WEB)],
            {"node-1": ANTI, "node-2": SUCCESS, "node-3": SUCCESS},
        ),
        (
            pod(
                "web",
                labels={"app": "web"},
                affinity=required("podAntiAffinity", pod_term({"app": "web"}, ZONE)),
            ),
            [("node-1", WEB)],
            {"node-1": ANTI, "node-2": ANTI, "node-3": SUCCESS},
        ),
        (
            pod("web", labels={"app": "web"}),
            [("node-2", LONER)],
            {"node-1": SUCCESS, "node-2": EXISTING_ANTI, "node-3": SUCCESS},
        ),
        (pod("api", labels={"app": "api"}), [("node-2", LONER)], "skip"),
        (
            pod(
                "web", labels={"app": "web"}, affinity=required("podAffinity", pod_term({"app": "db"}, ZONE))
            ),
            [("node-1", pod("db", labels={"app": "db"}, namespace="prod"))],
            {"node-1": AFFINITY, "node-2": AFFINITY, "node-3": AFFINITY},
        ),
        (pod("plain"), [("node-1", WEB)], "skip"),
    ],
    ids=[
        "affinity to db by zone: both zone-a nodes qualify, zone b does not",
        "affinity to db by hostname: only db's node qualifies",
        "affinity to pods that do not exist leaves no node",
        "the first pod of a group with affinity to itself may go anywhere",
        "anti-affinity by hostname keeps the pod off the node of a matching pod",
        "anti-affinity by zone keeps the pod out of the whole zone",
        "an existing pod's anti-affinity keeps matching pods off its node",
        "an existing pod's anti-affinity ignores pods it does not select",
        "a term without namespaces only looks at the pod's own namespace",
        "a pod without affinity on a cluster without anti-affinity skips the plugin",
    ],
)
def test_filter(incoming, placed, expected):
    assert filtered(incoming, placed) == expected


def test_preferred_affinity_and_anti_affinity_score_per_domain():
    infos = nodes_with([("node-1", DB), ("node-3", WEB)])
    incoming = pod(
        "web",
        labels={"app": "web"},
        affinity={
            **preferred("podAffinity", (80, pod_term({"app": "db"}, ZONE))),
            **preferred("podAntiAffinity", (50, pod_term({"app": "web"}, HOST))),
        },
    )
    plugin, state = InterPodAffinity(snapshot_of(*infos)), CycleState()
    assert plugin.pre_score(state, incoming, infos) is SUCCESS
    raw = {i.name: plugin.score(state, incoming, i) for i in infos}
    assert raw == {"node-1": 80, "node-2": 80, "node-3": -50}
    plugin.normalize_score(state, incoming, raw)
    assert raw == {"node-1": 100, "node-2": 100, "node-3": 0}


def test_an_existing_pods_required_affinity_draws_matching_pods_with_the_hard_weight():
    follower = pod(
        "cache", labels={"app": "cache"}, affinity=required("podAffinity", pod_term({"app": "web"}, HOST))
    )
    infos = nodes_with([("node-2", follower)])
    plugin, state = InterPodAffinity(snapshot_of(*infos), args={"hardPodAffinityWeight": 5}), CycleState()
    incoming = pod("web", labels={"app": "web"})
    assert plugin.pre_score(state, incoming, infos) is SUCCESS
    assert [plugin.score(state, incoming, i) for i in infos] == [0, 5, 0]


def test_hard_pod_affinity_weight_out_of_range_is_refused():
    with pytest.raises(
        ValueError, match=r"hardPodAffinityWeight: Invalid value: 101: not in valid range \[0, 100\]"
    ):
        InterPodAffinity(args={"hardPodAffinityWeight": 101})


def test_replicas_with_anti_affinity_spread_one_per_node_and_the_extra_one_waits():
    anti = required("podAntiAffinity", pod_term({"app": "web"}, HOST))
    c = MiniCluster(workers=2)
    for i in range(3):
        c.create(pod(f"web-{i}", labels={"app": "web"}, affinity=anti))
        c.settle()
    assert sorted(c.node_of(f"web-{i}") for i in range(3)) == ["", "node-1", "node-2"]
    assert c.events("web-2")[-1][2] == (
        "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are "
        "available: 2 No preemption victims found for incoming pod."
    )
