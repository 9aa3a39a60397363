"""PodTopologySpread's Score: the fewer matching pods in a node's domains, the better.

For each ``ScheduleAnyway`` constraint (or system default), a node's raw score adds
``matching pods in its domain × log(number of domains + 2) + (maxSkew − 1)``; the log weight keeps
a constraint over many small domains (hostnames) from drowning one over a few big ones (zones).
NormalizeScore then turns "fewest pods" into 100: ``100 × (max + min − score) / max``.

>>> round(score_for_count(2, max_skew=1, tp_weight=topology_normalizing_weight(3)), 3)
3.219
>>> scores = {"node-1": 4, "node-2": 0, "node-3": 2}
>>> normalize(scores, ignored=set()); scores
{'node-1': 0, 'node-2': 100, 'node-3': 50}

Upstream: pkg/scheduler/framework/plugins/podtopologyspread/scoring.go
"""

from __future__ import annotations

import math
from operator import attrgetter
from typing import Any

from k8slearn.scheduler.framework import MAX_NODE_SCORE
from k8slearn.scheduler.framework_score import all_equal
from k8slearn.scheduler.plugins.node_affinity import RequiredNodeAffinity
from k8slearn.scheduler.plugins.pod_topology_spread.common import (
    LABEL_HOSTNAME,
    count_on_node,
    node_labels_match_constraints,
)
from k8slearn.scheduler.pod_counts import DomainCounts, selector_key, verdicts

INVALID_SCORE = -1


class PreScoreState:
    """The soft constraints, nodes to ignore, matching pods per domain, and each constraint's weight."""

    __slots__ = (
        "constraints",
        "ignored_nodes",
        "memos",
        "scored_names",
        "topology_normalizing_weight",
        "topology_value_to_pod_counts",
    )

    def __init__(self) -> None:
        self.constraints: list = []
        self.ignored_nodes: set[str] = set()
        self.topology_value_to_pod_counts: list[dict] = []
        self.topology_normalizing_weight: list[float] = []
        self.memos: list[dict] = []  # each constraint's remembered selector verdicts (pod_counts)
        self.scored_names: list[str] = []  # the nodes PreScore saw, in order (kept if some are ignored)


def topology_normalizing_weight(size: int) -> float:
    return math.log(size + 2)


def score_for_count(count: int, max_skew: int, tp_weight: float) -> float:
    return count * tp_weight + (max_skew - 1)


def init_pre_score_state(
    state: PreScoreState,
    filtered_nodes: list,
    require_all_topologies: bool,
    domains: DomainCounts | None = None,
) -> None:
    """Which nodes are scored, which domains they form, and each constraint's normalizing weight.
    (``domains``, the snapshot's, tells which keys no node has: their only domain is "".)"""
    scored = filtered_nodes
    if require_all_topologies:
        scored = []
        for node_info in filtered_nodes:
            if node_labels_match_constraints(node_info.labels, state.constraints):
                scored.append(node_info)
            else:
                state.ignored_nodes.add(node_info.name)  # missing a topology key: not scored
        if state.ignored_nodes:
            state.scored_names = [node_info.name for node_info in filtered_nodes]
    # Each constraint's domains, in the order the nodes show them, every count 0 for now.
    # (Per-node hostname counts are taken in Score.)
    for c in state.constraints:
        key = c.topology_key
        if key == LABEL_HOSTNAME:
            values = {}
        elif domains is not None and _no_node_has(domains, key):
            values = {"": 0} if scored else {}
        else:
            values = dict.fromkeys([node_info.labels.get(key, "") for node_info in scored], 0)
        state.topology_value_to_pod_counts.append(values)
        size = len(scored) if key == LABEL_HOSTNAME else len(values)
        state.topology_normalizing_weight.append(topology_normalizing_weight(size))


def count_all_nodes(
    state: PreScoreState,
    pod: dict,
    all_nodes: list,
    require_all_topologies: bool,
    domains: DomainCounts | None = None,
) -> None:
    """Add up, over every node of the cluster, the matching pods of each domain being scored.

    With ``domains`` (every node counts: see ``every_node_counts``), the same sums come from the
    snapshot's per-domain counts instead of node by node."""
    state.memos = [verdicts(c.selector) for c in state.constraints]
    if domains is not None:
        count_domains(state, pod, domains, require_all_topologies)
        return
    required = RequiredNodeAffinity(pod)
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    for node_info in all_nodes:
        node = node_info.node
        if node is None:
            continue
        if require_all_topologies and not node_labels_match_constraints(node_info.labels, state.constraints):
            continue
        for i, c in enumerate(state.constraints):
            if not c.match_node_inclusion_policies(pod, node, required):
                continue
            value = node_info.labels.get(c.topology_key, "")
            counts = state.topology_value_to_pod_counts[i]
            if value not in counts:
                continue  # not a domain of any feasible node (hostname counts are taken in Score)
            counts[value] += count_on_node(node_info, c.selector, namespace, state.memos[i])


def count_domains(state: PreScoreState, pod: dict, domains: DomainCounts, require_all: bool) -> None:
    """count_all_nodes when every node counts: the nodes of one topology signature at once.

    A node's domain is its value of the key, or "" without it; with ``require_all`` a node that
    lacks any of the keys is left out (hence the hostname key is read for presence only)."""
    keys = [c.topology_key for c in state.constraints if c.topology_key != LABEL_HOSTNAME]
    if not keys:
        return  # hostname counts are taken in Score
    if require_all:
        keys += [c.topology_key for c in state.constraints if c.topology_key == LABEL_HOSTNAME]
    spec = tuple((key, key != LABEL_HOSTNAME) for key in dict.fromkeys(keys))
    position = {key: j for j, (key, _) in enumerate(spec)}
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    scored = [
        (c, state.topology_value_to_pod_counts[i], position[c.topology_key], state.memos[i])
        for i, c in enumerate(state.constraints)
        if c.topology_key != LABEL_HOSTNAME
    ]
    for sig, (_, groups) in domains.table(spec).items():
        if require_all and (None in sig or False in sig):
            continue
        pods = groups.get(namespace)
        if not pods:
            continue
        for c, counts, j, memo in scored:
            value = sig[j]
            if value is None:
                value = ""
            if value in counts:
                counts[value] += domains.count_matching(pods, namespace, c.selector, memo)


def node_score(state: PreScoreState, pod: dict, node_info: Any) -> int:
    """The raw score: each constraint's count in the node's domain, weighted, plus maxSkew − 1."""
    if node_info.name in state.ignored_nodes:
        return 0
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    score = 0.0
    for i, c in enumerate(state.constraints):
        value = node_info.labels.get(c.topology_key)
        if value is None:
            continue
        if c.topology_key == LABEL_HOSTNAME:
            count = count_on_node(node_info, c.selector, namespace, state.memos[i] if state.memos else None)
        else:
            count = state.topology_value_to_pod_counts[i].get(value, 0)
        score += score_for_count(count, c.max_skew, state.topology_normalizing_weight[i])
    return math.floor(score + 0.5)  # Go's math.Round


def node_local_key(state: PreScoreState, pod: dict, domains: DomainCounts | None) -> tuple | None:
    """For the score cache (see k8slearn.scheduler.score_cache): when a node's raw score depends on
    that node alone, a hashable value standing for everything else the score reads; else None.

    That is the case when no node is ignored and every constraint is on the hostname (counted on
    the node itself) or on a key no node of the snapshot has (it adds nothing): the system default
    in a cluster without zone labels. The score then reads, besides the node's own labels and
    pods, the namespace and each hostname constraint's selector, weight and maxSkew."""
    if domains is None or state.ignored_nodes:
        return None
    terms = []
    for i, c in enumerate(state.constraints):
        if c.topology_key == LABEL_HOSTNAME:
            terms.append((selector_key(c.selector), state.topology_normalizing_weight[i], c.max_skew))
        elif not _no_node_has(domains, c.topology_key):
            return None  # a shared domain: the score depends on other nodes too
    return ((pod.get("metadata") or {}).get("namespace", ""), *terms)


def node_scores(
    state: PreScoreState, pod: dict, nodes: list, domains: DomainCounts | None = None
) -> list[int]:
    """``node_score`` for each of ``nodes``: the same numbers, in one pass. With ``domains`` (the
    snapshot's, whose NodeInfos ``nodes`` are), each node's own matching pods (the hostname
    count) are looked up by node name instead of counted node by node."""
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    terms = []  # per constraint: key, counts, look counts up by node name?, weight, maxSkew - 1
    for i, c in enumerate(state.constraints):
        memo = state.memos[i] if state.memos else verdicts(c.selector)
        if c.topology_key != LABEL_HOSTNAME:
            if domains is not None and _no_node_has(domains, c.topology_key):
                continue  # it would add nothing to any node's score
            counts, by_name = state.topology_value_to_pod_counts[i], False
        elif domains is not None:
            counts, by_name = domains.node_counts(namespace, c.selector, memo), True
        else:
            counts = {n.name: count_on_node(n, c.selector, namespace, memo) for n in nodes}
            by_name = True
        terms.append((c.topology_key, counts, by_name, state.topology_normalizing_weight[i], c.max_skew - 1))
    ignored, floor = state.ignored_nodes, math.floor
    if len(terms) == 1 and terms[0][2] and not ignored and domains is not None:
        if _every_node_has(domains, terms[0][0]):
            return _by_name_scores(terms[0], nodes)
    out = []
    for node_info in nodes:
        if ignored and node_info.name in ignored:
            out.append(0)
            continue
        labels = node_info.labels
        score = 0.0
        for key, counts, by_name, weight, extra in terms:
            value = labels.get(key)
            if value is None:
                continue
            count = counts.get(node_info.name if by_name else value, 0)
            score += count * weight + extra  # score_for_count
        out.append(floor(score + 0.5))
    return out


def _by_name_scores(term: tuple, nodes: list) -> list[int]:
    """``node_scores`` when the only term is counted by node name and every node has its key (the
    system default's hostname constraint): one dictionary look-up per node. A node's score depends
    on its count alone, so each count's score is worked out once (the same expression, so the
    same number)."""
    _, counts, _, weight, extra = term
    by_count = _ScoreByCount(weight, extra)
    by_count[None] = by_count[0]  # a node with no matching pod
    return list(map(by_count.__getitem__, map(counts.get, map(_name, nodes))))


class _ScoreByCount(dict):
    """count -> ``floor(0.0 + score_for_count(count) + 0.5)``, each worked out when first asked."""

    def __init__(self, weight: float, extra: int) -> None:
        super().__init__()
        self.weight, self.extra = weight, extra

    def __missing__(self, count: int) -> int:
        score = self[count] = math.floor(0.0 + (count * self.weight + self.extra) + 0.5)
        return score


_name = attrgetter("name")


def _every_node_has(domains: DomainCounts, key: str) -> bool:
    table = domains.table(((key, False),))
    return len(table) == 1 and (True,) in table


def _no_node_has(domains: DomainCounts, key: str) -> bool:
    table = domains.table(((key, True),))
    return len(table) == 1 and (None,) in table


def normalize_list(state: PreScoreState, raw: list) -> list:
    """``normalize`` for the scores of the nodes PreScore saw, in that order (a new list)."""
    if state.ignored_nodes:
        scores = dict(zip(state.scored_names, raw))
        normalize(scores, state.ignored_nodes)
        return list(scores.values())
    # Few distinct raw scores (often two or three; integers): their bounds are the list's, and
    # each normalized score is worked out once, then mapped. Often every node has the same raw
    # score (no node has a matching pod yet, say): a count of the first score (comparing the very
    # same int objects) finds that quicker than a set of them all, and the one normalized score
    # is repeated. (A simulation speed-up; the same numbers.)
    same = bool(raw) and all_equal(raw)
    distinct = {raw[0]} if same else set(raw)
    min_score, max_score = min(distinct, default=0), max(distinct, default=0)
    if max_score == 0:
        return [MAX_NODE_SCORE] * len(raw)
    by_score = {s: MAX_NODE_SCORE * (max_score + min_score - s) // max_score for s in distinct}
    if same:
        return [by_score[raw[0]]] * len(raw)
    return list(map(by_score.__getitem__, raw))


def normalize(scores: dict, ignored: set) -> None:
    """Fewest matching pods -> 100, most -> proportionally less; ignored nodes -> 0. In place."""
    valid = [s for name, s in scores.items() if name not in ignored]
    min_score, max_score = min(valid, default=0), max(valid, default=0)
    for name, s in scores.items():
        if name in ignored:
            scores[name] = 0
        elif max_score == 0:
            scores[name] = MAX_NODE_SCORE
        else:
            scores[name] = MAX_NODE_SCORE * (max_score + min_score - s) // max_score
