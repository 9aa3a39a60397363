"""Remembering scores: a node that has not changed gets the same score for the same kind of pod.

NodeResourcesFit and BalancedAllocation score a node from two things only: the node's
allocatable and requested resources, and the pod's requests. PodTopologySpread, when only
hostname constraints count (the system default in a cluster without zone labels), scores a node
from the matching pods on that node alone. A NodeInfo's ``generation`` changes whenever a pod is
added to or removed from it, or the node object changes (a snapshot's copy carries the
generation of what it copies), so a generation stands for one state of one node. (A new version
of a pod that changes nothing Filter and Score read, a status update, keeps the generation: see
``NodeInfo.replace_pod_info``.) The framework
keeps, for each "this plugin of this profile, this kind of pod" (a signature), the plugin's raw
scores by generation. When the next pod of the same kind looks at a node
whose generation has not moved, the scores are reused instead of recomputed; looking them up
is one dictionary read per node, done for the whole list at once.

In the scheduler itself the nodes to score are usually a run of the snapshot's node list (Filter
tries them in list order and, in a roomy cluster, all pass). The snapshot the Cache keeps then
knows each position's generation, so the scores are kept by position: reading them is slicing
lists, and only the positions whose generation moved are scored again.

A plugin opts in with ``score_key(state, pod)``: a hashable value that captures everything its
Score reads besides the node itself (the pod's requests; PodTopologySpread's namespace, selector
and weights); None means "do not remember".

>>> from k8slearn.scheduler.node_info import NodeInfo
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
from operator import attrgetter, is_not
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
    """One per framework: maps each (plugin name, its score key) to a small number, a signature,
    and each signature to its remembered scores (node generation -> score, or by position).

    Each plugin has its signatures of its own: a plugin whose key differs from one kind of pod to
    the next (PodTopologySpread: one per ReplicaSet) does not make the others start over."""

    POSITION_LIMIT = 64  # signatures kept by position (the least recently used is dropped)
    LIMIT = 100_000  # remembered rows, all signatures together, before starting over (they just miss)

    def __init__(self) -> None:
        self.ids: dict = {}
        self.rows: dict[int, dict[int, Any]] = {}
        self.size = 0
        self.by_position: dict[int, tuple] = {}  # signature id -> (layout, generations, scores)

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
        self,
        plugins: list,
        state: Any,
        pod: dict,
        nodes: list,
        snapshot: Any = None,
        keys: list | None = None,
    ) -> list[list]:
        """Each plugin's raw scores for ``nodes`` (same order), reusing what was remembered.
        (``keys``: the plugins' score keys, if the caller has them already.)

        When ``nodes`` are a run of the ``snapshot``'s node list (as Filter hands them over when
        every node it tried passed), the scores are kept by position instead, next to the
        generation each was computed at, and read as slices: no NodeInfo is looked at unless
        its generation moved."""
        if keys is None:
            keys = [p.score_key(state, pod) for p in plugins]
        sids = [self.signature_id((p.name, key)) for p, key in zip(plugins, keys)]
        ranges = _run_of(snapshot, nodes) if snapshot is not None else None
        if ranges is not None:
            return [
                self._by_position(sid, plugin, state, pod, snapshot, ranges)
                for sid, plugin in zip(sids, plugins)
            ]
        generations = list(map(_generation, nodes))
        return [
            self._by_generation(sid, plugin, state, pod, nodes, generations)
            for sid, plugin in zip(sids, plugins)
        ]

    def _by_generation(
        self, sid: int, plugin: Any, state: Any, pod: dict, nodes: list, generations: list
    ) -> list:
        known = self.rows.get(sid)
        if known is None:
            known = self.rows[sid] = {}
        scores = list(map(known.get, generations))
        if None in scores:
            stale = [i for i, score in enumerate(scores) if score is None]
            if self.size + len(stale) > self.LIMIT:
                for table in self.rows.values():
                    table.clear()
                self.size = 0
            fresh = plugin_scores(plugin, state, pod, [nodes[i] for i in stale])
            for i, score in zip(stale, fresh):
                scores[i] = known[generations[i]] = score
            self.size += len(stale)
        return scores

    def _by_position(
        self, sid: int, plugin: Any, state: Any, pod: dict, snapshot: Any, ranges: list
    ) -> list:
        by_position = self.by_position
        entry = by_position.pop(sid, None)  # (put back last: the most recently used)
        if entry is None or entry.layout != snapshot.layout:
            if len(by_position) >= self.POSITION_LIMIT:
                del by_position[next(iter(by_position))]  # the least recently used
            entry = Positions(snapshot)
        by_position[sid] = entry
        stale = entry.stale(snapshot, ranges)
        if stale:
            column, seen, current = entry.column, entry.seen, snapshot.generations
            all_nodes = snapshot.node_info_list
            for i, score in zip(stale, plugin_scores(plugin, state, pod, [all_nodes[i] for i in stale])):
                column[i] = score
                seen[i] = current[i]
        column = entry.column
        if len(ranges) == 1:
            a, b = ranges[0]
            return column[a:b]
        (a, b), (c, d) = ranges  # wrapped around the end of the list
        return column[a:b] + column[c:d]


class Positions:
    """One signature's scores by position in a snapshot's node list, and the generation each was
    computed at (``seen``).

    Which positions of a run are stale (``seen`` is not the snapshot's generation there)? Rather
    than comparing the whole run, ``dirty`` holds every position that may be stale: all of them
    at first, then the positions the snapshot logs as changed (``Snapshot.changed_positions``,
    read from ``tick`` on), less those scored since. In a steady cluster that is a handful, not
    the 500 nodes of a run. (A simulation speed-up; the stale positions found are the same.)"""

    __slots__ = ("column", "dirty", "layout", "log", "seen", "tick")

    def __init__(self, snapshot: Any) -> None:
        n = len(snapshot.node_info_list)
        self.layout = snapshot.layout
        self.seen: list = [None] * n
        self.column: list = [0] * n
        self.log: list | None = None  # the snapshot's log this entry follows
        self.tick = 0  # how much of it was read
        self.dirty: set[int] = set()

    def stale(self, snapshot: Any, ranges: list) -> list[int]:
        """The positions within ``ranges`` whose scores must be computed again, in the ranges' order."""
        seen, current, log = self.seen, snapshot.generations, snapshot.changed_positions
        if self.log is not log:  # new, or the snapshot started a new log: look at every position
            self.dirty = set(itertools.compress(range(len(seen)), map(is_not, seen, current)))
            self.log = log
        else:
            self.dirty.update(log[self.tick :])
        self.tick = len(log)
        dirty = self.dirty
        if len(dirty) > sum(b - a for a, b in ranges):  # many: comparing the runs is quicker
            stale: list[int] = []
            for a, b in ranges:
                if seen[a:b] != current[a:b]:
                    stale += itertools.compress(range(a, b), map(is_not, seen[a:b], current[a:b]))
                dirty.difference_update(range(a, b))
            self.dirty = set(dirty)  # a set keeps its (slow to walk) big table after removals: shrink it
            return stale
        (a, b), (c, d) = ranges if len(ranges) == 2 else (ranges[0], (0, 0))
        inside = sorted(i for i in dirty if a <= i < b or c <= i < d)
        dirty.difference_update(inside)
        stale = [i for i in inside if seen[i] is not current[i]]
        return [i for i in stale if i >= a] + [i for i in stale if i < a] if c < d else stale


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
