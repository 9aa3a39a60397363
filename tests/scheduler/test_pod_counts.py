"""Pods counted by label set and by topology domain (k8slearn.scheduler.pod_counts): the indexed
counts equal counting pod by pod, whatever happened to the pods and nodes, and PodTopologySpread
computes the same states and scores with them as without them."""

import pytest
from scheduler_builders import OneReplicaSet, node, pod, spread_constraint, taint

from k8slearn.api.labels import Selector, selector_from_set
from k8slearn.api.selector_parser import parse_selector
from k8slearn.scheduler.cache import Cache
from k8slearn.scheduler.framework import CycleState, Handle
from k8slearn.scheduler.node_info import NodeInfo
from k8slearn.scheduler.plugins.pod_topology_spread import PodTopologySpread, filtering, scoring
from k8slearn.scheduler.plugins.pod_topology_spread.common import (
    DO_NOT_SCHEDULE,
    SCHEDULE_ANYWAY,
    count_on_node,
    count_pods_match_selector,
    every_node_counts,
    pods_of,
)
from k8slearn.scheduler.pod_counts import DomainCounts, count_key, count_matching, signature
from k8slearn.scheduler.resources import PodInfo
from k8slearn.scheduler.snapshot import Snapshot

ZONE = "topology.kubernetes.io/zone"
HOSTNAME = "kubernetes.io/hostname"
NAMESPACES = ("default", "prod", "empty")
SELECTORS = [
    selector_from_set({"app": "web"}),
    parse_selector("app in (web,db)"),
    parse_selector("!canary"),
    parse_selector("tier"),
    parse_selector("app=web,tier=fe"),
    Selector.everything(),
    Selector.nothing(),
]
SPECS = [
    ((ZONE, True),),
    ((HOSTNAME, True),),
    ((ZONE, True), (HOSTNAME, False)),
    ((HOSTNAME, False), (ZONE, True), ("disk", True)),
]


def bare_node(name, labels):
    """A node without the hostname label (it has exactly ``labels``)."""
    n = node(name, labels=labels)
    n["metadata"]["labels"] = dict(labels)
    return n


NODES = [
    node("a1", labels={ZONE: "a", "disk": "ssd"}),
    node("a2", labels={ZONE: "a"}),
    node("b1", labels={ZONE: "b", "disk": "ssd"}),
    node("e1", labels={ZONE: ""}),  # a zone label with the empty value
    node("x1"),  # no zone label
    bare_node("x2", {"disk": "hdd"}),  # neither zone nor hostname label
    bare_node("z1", {ZONE: "a"}),  # a zone label but no hostname label
    node("t1", labels={ZONE: "b"}, taints=[taint("maintenance", "true")]),
]


def on(p, node_name):
    return {**p, "spec": {**p["spec"], "nodeName": node_name}}


def web(name, node_name, namespace="default", **labels):
    return on(pod(name, namespace=namespace, labels={"app": "web", **labels}), node_name)


def db(name, node_name, namespace="default", **labels):
    return on(pod(name, namespace=namespace, labels={"app": "db", **labels}), node_name)


PODS = [
    web("w1", "a1", tier="fe"),
    web("w2", "a1", tier="fe"),
    web("w3", "a2"),
    web("w4", "b1", canary="yes"),
    web("w5", "e1"),
    web("w6", "x1", tier="fe"),
    web("w7", "x2"),
    web("w8", "t1"),
    web("w9", "z1", tier="fe"),
    db("d1", "a1"),
    db("d2", "x1"),
    web("p1", "a1", namespace="prod"),
    web("p2", "b1", namespace="prod", tier="fe"),
    on(pod("bare", labels=None), "a2"),
]


def relabelled(p, **labels):
    return {**p, "metadata": {**p["metadata"], "labels": labels}}


def terminating(p):
    return {**p, "metadata": {**p["metadata"], "deletionTimestamp": "2026-01-05T09:00:00Z"}}


def node_labelled(n, **labels):
    return {**n, "metadata": {**n["metadata"], "labels": {**n["metadata"]["labels"], **labels}}}


STEPS = {
    "add": lambda c: c.add_pod(web("n1", "b1", tier="fe")),
    "add to a node without keys": lambda c: c.add_pod(db("n2", "x2")),
    "remove": lambda c: c.remove_pod(PODS[0]),
    "remove the last web pod of a node": lambda c: c.remove_pod(PODS[4]),
    "relabel": lambda c: c.update_pod(PODS[2], relabelled(PODS[2], app="db", tier="fe")),
    "relabel to nothing": lambda c: c.update_pod(PODS[8], relabelled(PODS[8])),
    "terminate": lambda c: c.update_pod(PODS[1], terminating(PODS[1])),
    "terminate in prod": lambda c: c.update_pod(PODS[10], terminating(PODS[10])),
    "assume": lambda c: c.assume_pod(PodInfo(web("n3", "a2"))),
    "forget": lambda c: c.forget_pod(PodInfo(web("n3", "a2"))),
    "confirm": lambda c: c.add_pod(web("n3", "a2")),
    "move": lambda c: (c.remove_pod(PODS[5]), c.add_pod(on(PODS[5], "a2"))),
    "other namespace": lambda c: c.add_pod(web("n4", "a1", namespace="empty")),
    "zone a becomes c": lambda c: c.update_node(NODES[1], node_labelled(NODES[1], **{ZONE: "c"})),
    "x1 gets a zone": lambda c: c.update_node(NODES[4], node_labelled(NODES[4], **{ZONE: "a"})),
    "node removed": lambda c: c.remove_node(NODES[0]),
    "node added back": lambda c: c.add_node(NODES[0]),
    "pod before its node": lambda c: c.add_pod(web("early", "late", tier="fe")),
    "late node": lambda c: c.add_node(node("late", labels={ZONE: "b"})),
}


def start():
    """A cache with NODES and PODS, its snapshot, and every spec's table already built (so the
    later steps test keeping them up to date, not building them)."""
    cache, snap = Cache(), Snapshot()
    for n in NODES:
        cache.add_node(n)
    for p in PODS:
        cache.add_pod(p)
    cache.update_snapshot(snap)
    for spec in SPECS:
        snap.domain_counts.table(spec)
    return cache, snap


def plain_groups(info):
    """The node's pods grouped by hand: what ``label_counts`` must hold."""
    out: dict = {}
    for p in pods_of(info):
        meta = p["metadata"]
        if not meta.get("deletionTimestamp"):
            groups = out.setdefault(meta.get("namespace"), {})
            key = frozenset((meta.get("labels") or {}).items())
            groups[key] = groups.get(key, 0) + 1
    return out


def assert_counts_equal_counting_pod_by_pod(snap):
    infos = snap.node_info_list
    assert sorted(snap.domain_counts.nodes) == sorted(i.name for i in infos)
    fresh = DomainCounts(infos)  # kept up to date group by group == built from scratch
    assert snap.domain_counts.group_nodes == fresh.group_nodes
    assert all(snap.domain_counts.table(spec) == fresh.table(spec) for spec in SPECS)
    for info in infos:
        assert info.label_counts == plain_groups(info)
    for namespace in NAMESPACES:
        for sel in SELECTORS:
            plain = {i.name: count_pods_match_selector(pods_of(i), sel, namespace) for i in infos}
            assert {i.name: count_on_node(i, sel, namespace) for i in infos} == plain
            assert snap.domain_counts.node_counts(namespace, sel) == {k: v for k, v in plain.items() if v}
            for spec in SPECS:
                expected: dict = {}
                for i in infos:
                    entry = expected.setdefault(signature(spec, i.labels), [0, 0])
                    entry[0] += 1
                    entry[1] += plain[i.name]
                table = snap.domain_counts.table(spec)
                got = {
                    sig: [n, count_matching(groups.get(namespace), sel)] for sig, (n, groups) in table.items()
                }
                assert got == expected
                remembered = {  # from the label sets the selector matches, remembered across steps
                    sig: [n, snap.domain_counts.count_matching(groups.get(namespace), namespace, sel)]
                    for sig, (n, groups) in table.items()
                }
                assert remembered == expected


@pytest.mark.parametrize(
    "steps",
    [
        [],
        ["add", "add to a node without keys"],
        ["remove", "remove the last web pod of a node"],
        ["relabel", "relabel to nothing"],
        ["terminate", "terminate in prod"],
        ["assume", "forget"],
        ["assume", "confirm"],
        ["move"],
        ["other namespace"],
        ["zone a becomes c", "x1 gets a zone"],
        ["node removed"],
        ["node removed", "add", "node added back"],
        ["pod before its node", "late node"],
        list(STEPS),
    ],
    ids=[
        "right after the snapshot is taken the indexed counts equal the pod-by-pod counts",
        "pods added, also to a node without any topology key, are counted",
        "removed pods are no longer counted, and an emptied group disappears",
        "a relabelled pod moves to its new label set",
        "a terminating pod is no longer counted, in any namespace",
        "an assumed pod counts until it is forgotten",
        "an assumed pod confirmed by the watch counts once",
        "a pod moved to another node is counted there only",
        "a pod in another namespace counts only for that namespace",
        "a node whose zone label changes moves its pods to the new domain",
        "the pods of a removed node leave the snapshot with it",
        "a node removed and added back brings its pods back",
        "a pod that arrives before its node counts once the node is there",
        "everything at once, one snapshot update after each step",
    ],
)
def test_indexed_counts_equal_counting_pod_by_pod(steps):
    cache, snap = start()
    for step in steps:
        STEPS[step](cache)
        cache.update_snapshot(snap)
        assert_counts_equal_counting_pod_by_pod(snap)
    assert_counts_equal_counting_pod_by_pod(snap)


def test_a_snapshot_built_from_node_infos_counts_them_too():
    cache, snap = start()
    fresh = Snapshot([cache.nodes[n.name].snapshot() for n in snap.node_info_list])
    assert_counts_equal_counting_pod_by_pod(fresh)
    assert fresh.domain_counts.table(SPECS[0]) == snap.domain_counts.table(SPECS[0])


@pytest.mark.parametrize(
    "meta, expected",
    [
        ({"namespace": "default", "labels": {"app": "web"}}, ("default", frozenset({("app", "web")}))),
        ({"namespace": "default"}, ("default", frozenset())),
        (
            {"namespace": "default", "labels": {"app": "web"}, "deletionTimestamp": "2026-01-05T09:00:00Z"},
            None,
        ),
    ],
    ids=[
        "a pod is counted by namespace and label set",
        "a pod without labels is counted in the empty label set",
        "a terminating pod is not counted at all",
    ],
)
def test_count_key(meta, expected):
    assert count_key(meta) == expected


def test_a_node_info_replacing_a_pod_of_the_same_name_counts_only_the_new_one():
    info = NodeInfo(node("n"))
    info.add_pod_info(PodInfo(web("w", "n")))
    info.add_pod_info(PodInfo(db("w", "n")))
    assert info.label_counts == plain_groups(info) == {"default": {frozenset({("app", "db")}): 1}}


# -- PodTopologySpread with and without the indexes --------------------------------------------
def owned(p):
    ref = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "controller": True}
    return {**p, "metadata": {**p["metadata"], "ownerReferences": [ref]}}


def incoming(spread=None, **kwargs):
    return owned(pod("new", labels={"app": "web", "tier": "fe"}, spread=spread, **kwargs))


def soft(key=ZONE, **extra):
    return {**spread_constraint(1, key=key, when=SCHEDULE_ANYWAY), **extra}


def hard(key=ZONE, **extra):
    return {**spread_constraint(1, key=key, when=DO_NOT_SCHEDULE), **extra}


@pytest.mark.parametrize(
    "new, indexed",
    [
        (incoming(), True),
        (incoming([soft(), soft(HOSTNAME)]), True),
        (incoming([hard(), hard(HOSTNAME), soft("disk")]), True),
        (incoming([soft(), hard()], namespace="prod"), True),
        (incoming([soft("rack"), soft(), soft(HOSTNAME)]), True),
        (incoming([soft(), hard()], node_selector={"disk": "ssd"}), False),
        (
            incoming(
                [soft(nodeAffinityPolicy="Ignore"), hard(nodeAffinityPolicy="Ignore")],
                node_selector={"disk": "ssd"},
            ),
            True,
        ),
        (incoming([soft(nodeTaintsPolicy="Honor"), hard(nodeTaintsPolicy="Honor")]), False),
    ],
    ids=[
        "a ReplicaSet's pod with the system default constraints counts whole domains",
        "a pod's own soft zone and hostname constraints count whole domains",
        "hard zone and hostname constraints count whole domains",
        "a pod of another namespace counts whole domains of its namespace",
        "a soft constraint on a key no node has adds nothing, with or without the indexes",
        "a pod with a nodeSelector counts node by node (only the nodes it may use count)",
        "nodeAffinityPolicy Ignore lets the nodeSelector pod count whole domains",
        "nodeTaintsPolicy Honor with a tainted node counts node by node",
    ],
)
def test_pod_topology_spread_gives_the_same_states_and_scores_with_the_indexes(new, indexed):
    cache, snap = start()
    for step in ("add", "relabel", "terminate", "other namespace", "zone a becomes c"):
        STEPS[step](cache)
    cache.update_snapshot(snap)
    plugin = PodTopologySpread(Handle(snapshot=snap, listers={"replicasets": OneReplicaSet()}))
    nodes, domains = snap.node_info_list, snap.domain_counts
    hard_constraints = plugin.constraints(new, DO_NOT_SCHEDULE)
    soft_constraints = plugin.constraints(new, SCHEDULE_ANYWAY)
    assert every_node_counts(new, hard_constraints + soft_constraints, snap) is indexed
    assert plugin._domain_counts(new, soft_constraints) is (domains if indexed else None)

    chosen = plugin._domain_counts(new, hard_constraints)  # the plugin's choice: indexed or not
    with_index = filtering.cal_pre_filter_state(new, hard_constraints, nodes, chosen)
    without = filtering.cal_pre_filter_state(new, hard_constraints, nodes)
    assert with_index.tp_value_to_match_num == without.tp_value_to_match_num

    state = CycleState()
    plugin.pre_score(state, new, nodes)
    s = state["PreScorePodTopologySpread"]
    plain = scoring.PreScoreState()
    plain.constraints = s.constraints
    require_all = bool(new["spec"].get("topologySpreadConstraints"))
    scoring.init_pre_score_state(plain, nodes, require_all)
    scoring.count_all_nodes(plain, new, nodes, require_all)
    assert s.topology_value_to_pod_counts == plain.topology_value_to_pod_counts
    one_by_one = [scoring.node_score(s, new, n) for n in nodes]
    assert plugin.score_nodes(state, new, nodes) == scoring.node_scores(s, new, nodes) == one_by_one
    assert plugin.normalize_scores(state, new, one_by_one) == list(
        _normalized(plugin, state, new, nodes, one_by_one)
    )


def _normalized(plugin, state, new, nodes, raw):
    scores = dict(zip((n.name for n in nodes), raw))
    plugin.normalize_score(state, new, scores)
    return scores.values()


def test_the_system_default_zone_domain_of_nodes_without_zones_holds_every_matching_pod():
    _, snap = start()
    plugin = PodTopologySpread(Handle(snapshot=snap, listers={"replicasets": OneReplicaSet()}))
    state = CycleState()
    plugin.pre_score(state, incoming(), snap.node_info_list)
    zone_counts = state["PreScorePodTopologySpread"].topology_value_to_pod_counts[1]
    # a: w1 w2 w3 w9; b: w4 w8; "": e1's w5 plus the nodes without a zone label (w6, w7)
    assert zone_counts == {"a": 4, "b": 2, "": 3}


def test_without_zone_labels_the_system_default_scores_are_the_same_with_the_indexes():
    cache, snap = Cache(), Snapshot()
    for i in range(6):
        cache.add_node(node(f"n{i}"))
    for i in range(20):
        cache.add_pod(web(f"w{i}", f"n{i * 7 % 5}", tier="fe" if i % 3 else "be"))
    cache.update_snapshot(snap)
    plugin = PodTopologySpread(Handle(snapshot=snap, listers={"replicasets": OneReplicaSet()}))
    state, new, nodes = CycleState(), incoming(), snap.node_info_list
    plugin.pre_score(state, new, nodes)
    s = state["PreScorePodTopologySpread"]
    assert s.topology_value_to_pod_counts == [{}, {"": 20}]  # hostname (taken in Score), zone ""
    scores = plugin.score_nodes(state, new, nodes)
    assert scores == [scoring.node_score(s, new, n) for n in nodes] == scoring.node_scores(s, new, nodes)
    assert scores == [10, 10, 10, 10, 10, 2]  # 4 web pods on n0..n4: 4 × log(6 + 2) + (3 − 1) = 10.3
