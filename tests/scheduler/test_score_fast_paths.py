"""Round six's scoring fast paths give the same answers as the plain computations: PodTopologySpread
scoring a few nodes one by one, normalizing equal scores, its default constraints parsed once,
selector keys remembered, the framework's all-equal check, the tie draw walking from the nearer
end, the nominator's early return, Status keeping a Code as it is, and NodePorts reading the
PodInfo's host ports."""

import itertools
import operator
import random

import pytest
from scheduler_builders import OneReplicaSet, plain_select_host, pod
from test_pod_counts import HOSTNAME, STEPS, ZONE, hard, incoming, owned, soft, start

from k8slearn.api.labels import Selector, selector_from_set
from k8slearn.api.selector_parser import parse_selector
from k8slearn.scheduler import pod_counts
from k8slearn.scheduler.framework import Code, CycleState, Handle, Status
from k8slearn.scheduler.framework_score import all_equal
from k8slearn.scheduler.nominator import Nominator
from k8slearn.scheduler.plugins.helper import default_selector
from k8slearn.scheduler.plugins.node_ports import NodePorts
from k8slearn.scheduler.plugins.pod_topology_spread import FEW_NODES, PodTopologySpread, scoring
from k8slearn.scheduler.plugins.pod_topology_spread.common import (
    DO_NOT_SCHEDULE,
    SCHEDULE_ANYWAY,
    filter_constraints,
)
from k8slearn.scheduler.resources import PodInfo
from k8slearn.scheduler.schedule_one import select_host


# -- PodTopologySpread: a few nodes scored one by one -----------------------------------------------
@pytest.mark.parametrize(
    "new",
    [
        incoming(),
        incoming([soft(), soft(HOSTNAME)]),
        incoming([soft("rack"), soft(), soft(HOSTNAME)]),
        incoming([soft(), hard()], namespace="prod"),
        incoming([soft(), hard()], node_selector={"disk": "ssd"}),
    ],
    ids=[
        "a ReplicaSet's pod with the system default constraints",
        "a pod's own soft zone and hostname constraints (nodes without a zone are ignored)",
        "a soft constraint on a key no node has",
        "a pod of another namespace",
        "a pod with a nodeSelector (counted node by node)",
    ],
)
def test_a_few_nodes_get_the_scores_the_whole_pass_gives(new):
    cache, snap = start()
    for step in ("add", "relabel", "terminate"):
        STEPS[step](cache)
    cache.update_snapshot(snap)
    plugin = PodTopologySpread(Handle(snapshot=snap, listers={"replicasets": OneReplicaSet()}))
    nodes = snap.node_info_list
    state = CycleState()
    plugin.pre_score(state, new, nodes)
    s = state["PreScorePodTopologySpread"]
    whole = dict(zip((n.name for n in nodes), plugin.score_nodes(state, new, nodes)))
    assert len(nodes) > FEW_NODES  # the whole list takes the one pass
    picks = [nodes[:1], nodes[-1:], nodes[2:4], nodes[::3][:FEW_NODES], nodes[1 : FEW_NODES + 2]]
    for some in picks:
        got = plugin.score_nodes(state, new, some)
        assert got == [scoring.node_score(s, new, n) for n in some] == [whole[n.name] for n in some]
        assert got == scoring.node_scores(s, new, some, plugin._domain_counts_of(some))


@pytest.mark.parametrize(
    "raw",
    [[13, 13, 13], [0, 0, 0], [13], [], [13, 5, 13], [5, 13, 13], [13, 13, 5], [300, 300], [2, 2.0]],
    ids=[
        "every node the same raw score: the one normalized score repeated",
        "every node a raw score of zero: all get the maximum",
        "a single node",
        "no node at all",
        "varying scores, first and last equal",
        "varying scores, the first differs",
        "varying scores, the last differs",
        "equal scores beyond the shared small ints",
        "equal numbers of different types",
    ],
)
def test_normalizing_a_list_gives_what_normalizing_the_map_gives(raw):
    plain = dict(zip((f"n{i}" for i in range(len(raw))), raw))
    scoring.normalize(plain, set())
    got = scoring.normalize_list(scoring.PreScoreState(), raw)
    assert got == list(plain.values())
    mapped = by_distinct_score(raw)  # the list form before the shortcut: the very same objects
    assert [type(v) for v in got] == [type(v) for v in mapped]
    assert got is not raw


def by_distinct_score(raw):
    distinct = set(raw)
    low, high = min(distinct, default=0), max(distinct, default=0)
    if high == 0:
        return [100] * len(raw)
    by_score = {s: 100 * (high + low - s) // high for s in distinct}
    return [by_score[s] for s in raw]


# -- the framework: all-equal check ----------------------------------------------------------------
NAN = float("nan")


@pytest.mark.parametrize(
    "scores",
    [[7], [7, 7, 7], [7, 3, 7], [3, 7, 7], [7, 7, 3], [NAN, NAN], [NAN, float("nan")], [1, 1.0, True]],
    ids=[
        "one score is all equal",
        "three equal scores",
        "first and last equal, the middle differs",
        "the first differs",
        "the last differs",
        "the very same NaN object counts as equal (identity first)",
        "two NaN objects are not equal",
        "equal numbers of different types are equal",
    ],
)
def test_the_all_equal_check_agrees_with_counting(scores):
    assert all_equal(scores) is (scores.count(scores[0]) == len(scores))


# -- the tie draw from the nearer end ------------------------------------------------------------------
@pytest.mark.parametrize(
    "totals",
    [
        [9, 1, 9],
        [9] * 5 + [1] * 40 + [9] * 3,
        [1] * 30 + [9, 9],
        [9, 9] + [1] * 30,
        [5, 9, 2, 9, 9, 0, 9, 3, 9, 9, 1, 9, 9, 9],
        [1000 + i % 3 for i in range(60)],
    ],
    ids=[
        "two tied nodes at both ends",
        "tied runs at both ends of a long list",
        "the tied nodes at the end",
        "the tied nodes at the start",
        "tied nodes scattered",
        "large totals (not shared int objects) tied every third node",
    ],
)
def test_the_tie_draw_from_either_end_picks_what_the_plain_list_picks(totals):
    picked = set()
    for seed in range(40):
        fast, plain = random.Random(seed), random.Random(seed)
        got = select_host(totals, fast)
        assert got == plain_select_host(totals, plain)
        assert fast.random() == plain.random()  # the same draws were made
        picked.add(got[0])
    tied = [i for i, t in enumerate(totals) if t == max(totals)]
    assert picked == set(tied)  # both halves were drawn, each from its own end


def test_a_draw_in_each_half_walks_from_that_end():
    totals = [7, 1] * 10  # ten tied nodes at even positions
    expected = list(itertools.compress(range(20), map(operator.eq, totals, itertools.repeat(7))))
    for drawn in range(10):

        class Fixed(random.Random):
            def randrange(self, n, drawn=drawn):
                assert n == 10
                return drawn

        assert select_host(totals, Fixed()) == (expected[drawn], 10)


# -- PodTopologySpread: the default constraints parsed once -----------------------------------------
LIST_DEFAULTS = {
    "defaultingType": "List",
    "defaultConstraints": [
        {"maxSkew": 2, "topologyKey": ZONE, "whenUnsatisfiable": "DoNotSchedule", "minDomains": 3},
        {
            "maxSkew": 1,
            "topologyKey": HOSTNAME,
            "whenUnsatisfiable": "ScheduleAnyway",
            "nodeAffinityPolicy": "Ignore",
            "nodeTaintsPolicy": "Honor",
            "matchLabelKeys": ["tier"],
        },
    ],
}


def plain_default_constraints(plugin, pod, action):
    """buildDefaultConstraints as it reads: parse the defaults, give each the pod's selector."""
    constraints = filter_constraints(plugin.default_constraints, {}, action)
    if not constraints:
        return []
    selector = default_selector(pod, plugin.handle.listers)
    if selector.empty():
        return []
    for c in constraints:
        c.selector = selector
    return constraints


def _fields(c):
    return (
        c.max_skew,
        c.topology_key,
        str(c.selector),
        c.min_domains,
        c.node_affinity_policy,
        c.node_taints_policy,
    )


@pytest.mark.parametrize(
    "args, new",
    [
        (None, incoming()),
        (None, incoming(namespace="prod")),
        (None, pod("orphan", labels={"app": "web"})),
        (LIST_DEFAULTS, incoming()),
        ({"defaultingType": "List"}, incoming()),
    ],
    ids=[
        "the system defaults for a ReplicaSet's pod",
        "the system defaults for a pod of another namespace",
        "a pod of no ReplicaSet gets none (empty selector)",
        "listed defaults with every optional field",
        "an empty list of defaults",
    ],
)
def test_default_constraints_parsed_once_equal_the_plain_ones(args, new):
    plugin = PodTopologySpread(Handle(listers={"replicasets": OneReplicaSet()}), args)
    for action in (DO_NOT_SCHEDULE, SCHEDULE_ANYWAY) * 2:  # the second round reads what was parsed
        got = plugin.build_default_constraints(new, action)
        assert [_fields(c) for c in got] == [
            _fields(c) for c in plain_default_constraints(plugin, new, action)
        ]
    first = plugin.build_default_constraints(new, SCHEDULE_ANYWAY)
    other = plugin.build_default_constraints(owned(pod("other", labels={"app": "web"})), SCHEDULE_ANYWAY)
    assert all(a is not b for a in first for b in other)  # each pod its own constraint objects


# -- the selector keys remembered per selector ------------------------------------------------------
def plain_selector_key(selector):
    return (
        getattr(selector, "_nothing", False),
        *((r.key, r.operator, r.values) for r in selector.requirements),
    )


def test_selector_keys_remembered_per_selector_equal_the_plain_ones(monkeypatch):
    monkeypatch.setattr(pod_counts, "SELECTOR_LIMIT", 3)  # small: the memo starts over while asked
    selectors = [
        selector_from_set({"app": "web"}),
        selector_from_set({"app": "web"}),  # equal requirements, another object
        parse_selector("app in (web,db),!canary"),
        Selector.everything(),
        Selector.nothing(),
        Selector([*parse_selector("tier").requirements], nothing=True),
    ]
    for _ in range(3):
        for selector in selectors:
            assert pod_counts.selector_key(selector) == plain_selector_key(selector)
    assert pod_counts.selector_key(selectors[0]) == pod_counts.selector_key(selectors[1])
    assert pod_counts.selector_key(selectors[4]) != pod_counts.selector_key(selectors[3])
    assert len(pod_counts._selector_keys) <= 3


# -- the nominator: nothing to delete when nothing is nominated --------------------------------------
def _bare(name):
    return {"metadata": {"namespace": "default", "name": name}}


@pytest.mark.parametrize(
    "nominated, deleted, left",
    [
        ({}, "web", {}),
        ({"web": "node-1"}, "web", {}),
        ({"web": "node-1", "db": "node-1"}, "web", {"db": "node-1"}),
        ({"db": "node-2"}, "web", {"db": "node-2"}),
    ],
    ids=[
        "deleting from an empty nominator changes nothing",
        "deleting the only nominated pod empties the nominator",
        "deleting one of two pods on a node keeps the other",
        "deleting a pod that is not nominated keeps the others",
    ],
)
def test_deleting_a_nomination_leaves_exactly_the_others(nominated, deleted, left):
    n = Nominator()
    for name, node_name in nominated.items():
        n.add_nominated_pod(PodInfo(_bare(name)), node_name)
    n.delete_nominated_pod_if_exists(_bare(deleted))
    assert n.nominated_pod_to_node == {f"default/{k}": v for k, v in left.items()}
    by_node = {node_name: [p.key for p in pods] for node_name, pods in n.nominated_pods.items()}
    expected: dict = {}
    for name, node_name in left.items():
        expected.setdefault(node_name, []).append(f"default/{name}")
    assert by_node == expected


# -- Status: a Code is kept as it is, anything else converted -----------------------------------------
@pytest.mark.parametrize(
    "code",
    [Code.Success, Code.Skip, Code.UnschedulableAndUnresolvable, 2, 5, True],
    ids=[
        "the Success member",
        "the Skip member",
        "the UnschedulableAndUnresolvable member",
        "the number of Unschedulable",
        "the number of Skip",
        "a bool (an int subclass) becomes the member of its value",
    ],
)
def test_a_status_code_is_the_member_the_enum_gives(code):
    assert Status(code).code is Code(code)


def test_a_status_code_that_is_no_member_is_refused_as_before():
    with pytest.raises(ValueError, match="99 is not a valid Code"):
        Status(99)


# -- NodePorts: the host ports the PodInfo worked out ---------------------------------------------------
@pytest.mark.parametrize(
    "wanted, info_of",
    [
        (8080, "the pod"),
        (0, "the pod"),
        (8080, "another version"),
        (8080, None),
    ],
    ids=[
        "a pod with a host port: the PodInfo's ports",
        "a pod without host ports skips Filter",
        "a PodInfo of another version of the pod is not read",
        "no PodInfo: the ports are read from the pod",
    ],
)
def test_node_ports_pre_filter_keeps_what_reading_the_pod_keeps(wanted, info_of):
    p = pod("web", host_port=wanted)
    other = pod("web", host_port=9090)
    info = {"the pod": PodInfo(p), "another version": PodInfo(other), None: None}[info_of]
    state, plain = CycleState(info), CycleState()
    status = NodePorts().pre_filter(state, p)
    assert status == NodePorts().pre_filter(plain, p)
    assert dict(state) == dict(plain)
    assert status.is_skip() is (wanted == 0)
