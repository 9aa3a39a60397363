"""Remembering scores: a node that has not changed gets the same score for the same kind of pod.

NodeResourcesFit and BalancedAllocation score a node from two things only: the node's
allocatable and requested resources, and the pod's requests. A NodeInfo's ``generation``
changes whenever a pod is added to or removed from it, or the node object changes (a snapshot's
copy carries the generation of what it copies), so a generation stands for one state of one
node. The framework keeps, for each "this profile, this kind of pod" (a signature), the raw
scores of these plugins by generation. When the next pod of the same kind looks at a node
whose generation has not moved, the scores are reused instead of recomputed; looking them up
is one dictionary read per node, done for the whole list at once.

In the scheduler itself the nodes to score are usually a run of the snapshot's node list (Filter
tries them in list order and, in a roomy cluster, all pass). The snapshot the Cache keeps then
knows each position's generation, so the scores are kept by position: reading them is slicing
lists, and only the positions whose generation moved are scored again.

A plugin opts in with ``score_key(state, pod)``: a hashable value that captures everything its
Score reads from the pod (its requests); None means "do not remember".

>>> from k8slearn.scheduler.cache import NodeInfo
>>> class Count:
...     name = "Count"
...     calls = 0
...     def score_key(self, state, pod): return "any"
...     def score(self, state, pod, node_info):
...         Count.calls += 1
...         return 7
>>> nodes = [NodeInfo({"metadata": {"name": "n1"}}), NodeInfo({"metadata": {"name": "n2"}})]
>>> cache = ScoreCache()
>>> cache.raw_scores([Count()], None, {}, nodes), cache.raw_scores([Count()], None, {}, nodes), Count.calls
([[7, 7]], [[7, 7]], 2)

Upstream: none (Go computes these scores fast enough not to need it); the results are identical.
"""

from __future__ import annotations

import itertools
from operator import attrgetter, is_not, itemgetter
from typing import Any

_ids = itertools.count(1)


def plugin_scores(plugin: Any, state: Any, pod: dict, nodes: list) -> list:
    """A plugin's raw scores for ``nodes``: its ``score_nodes`` if it has one, else node by node."""
    score_nodes = getattr(plugin, "score_nodes", None)
    if score_nodes is not None:
        return score_nodes(state, pod, nodes)
    score = plugin.score
    return [score(state, pod, node_info) for node_info in nodes]


class ScoreCache:
    """One per framework: maps (this framework's plugins, their score keys) to a small number,
    and each such number to its remembered scores (node generation -> a tuple, one per plugin)."""

    POSITION_LIMIT = 64  # signatures kept by position
    LIMIT = 100_000  # remembered rows, all signatures together, before starting over (they just miss)

    def __init__(self) -> None:
        self.ids: dict = {}
        self.rows: dict[int, dict[int, tuple]] = {}
        self.size = 0
        self.by_position: dict[int, tuple] = {}  # signature id -> (layout, generations, columns)

    def signature_id(self, keys: tuple) -> int:
        sid = self.ids.get(keys)
        if sid is None:
            if len(self.ids) > 10_000:  # many kinds of pods: start over (old entries just miss)
                self.ids.clear()
                self.rows.clear()
                self.by_position.clear()
                self.size = 0
            sid = self.ids[keys] = next(_ids)
        return sid

    def raw_scores(
        self, plugins: list, state: Any, pod: dict, nodes: list, snapshot: Any = None
    ) -> list[list]:
        """Each plugin's raw scores for ``nodes`` (same order), reusing what was remembered.

        When ``nodes`` are a run of the ``snapshot``'s node list (as Filter hands them over when
        every node it tried passed), the scores are kept by position instead, next to the
        generation each was computed at, and read as slices: no NodeInfo is looked at unless
        its generation moved."""
        sid = self.signature_id(tuple(p.score_key(state, pod) for p in plugins))
        ranges = _run_of(snapshot, nodes) if snapshot is not None else None
        if ranges is not None:
            return self._by_position(sid, plugins, state, pod, snapshot, ranges)
        known = self.rows.get(sid)
        if known is None:
            known = self.rows[sid] = {}
        generations = list(map(_generation, nodes))
        rows = list(map(known.get, generations))
        if None in rows:
            stale = [i for i, row in enumerate(rows) if row is None]
            if self.size + len(stale) > self.LIMIT:
                for table in self.rows.values():
                    table.clear()
                self.size = 0
            stale_nodes = [nodes[i] for i in stale]
            columns = [plugin_scores(p, state, pod, stale_nodes) for p in plugins]
            for j, i in enumerate(stale):
                rows[i] = known[generations[i]] = tuple(column[j] for column in columns)
            self.size += len(stale)
        return [list(map(itemgetter(k), rows)) for k in range(len(plugins))]

    def _by_position(
        self, sid: int, plugins: list, state: Any, pod: dict, snapshot: Any, ranges: list
    ) -> list[list]:
        entry = self.by_position.get(sid)
        if entry is None or entry[0] != snapshot.layout:
            if len(self.by_position) >= self.POSITION_LIMIT:
                self.by_position.clear()
            n = len(snapshot.node_info_list)
            entry = self.by_position[sid] = (snapshot.layout, [None] * n, [[0] * n for _ in plugins])
        _, seen, columns = entry
        current = snapshot.generations
        stale: list[int] = []
        for a, b in ranges:
            if seen[a:b] != current[a:b]:
                stale += itertools.compress(range(a, b), map(is_not, seen[a:b], current[a:b]))
        if stale:
            all_nodes = snapshot.node_info_list
            stale_nodes = [all_nodes[i] for i in stale]
            for column, plugin in zip(columns, plugins):
                for i, score in zip(stale, plugin_scores(plugin, state, pod, stale_nodes)):
                    column[i] = score
            for i in stale:
                seen[i] = current[i]
        if len(ranges) == 1:
            a, b = ranges[0]
            return [column[a:b] for column in columns]
        (a, b), (c, d) = ranges  # wrapped around the end of the list
        return [column[a:b] + column[c:d] for column in columns]


_generation = attrgetter("generation")


def _run_of(snapshot: Any, nodes: list) -> list | None:
    """The index ranges of ``snapshot.node_info_list`` that ``nodes`` are, in order (two when
    they wrap around its end); None if they are not such a run. (Comparing the lists compares
    object identities first: the NodeInfos themselves are not read.)"""
    all_nodes = getattr(snapshot, "node_info_list", None)
    positions = getattr(snapshot, "positions", None)
    if not nodes or not all_nodes or positions is None or len(nodes) > len(all_nodes):
        return None
    first = positions.get(nodes[0].name)
    if first is None or all_nodes[first] is not nodes[0]:
        return None
    end = first + len(nodes)
    if end <= len(all_nodes):
        ranges = [(first, end)]
        run = all_nodes[first:end]
    else:
        ranges = [(first, len(all_nodes)), (0, end - len(all_nodes))]
        run = all_nodes[first:] + all_nodes[: end - len(all_nodes)]
    return ranges if run == nodes else None
