"""Remembering scores: a node that has not changed gets the same score for the same kind of pod.

NodeResourcesFit and BalancedAllocation score a node from two things only: the node's
allocatable and requested resources, and the pod's requests. A NodeInfo's ``generation``
changes whenever a pod is added to or removed from it, or the node object changes. So the
framework keeps, on each NodeInfo, the raw scores of these plugins together with the
generation they were computed at and a number standing for "this profile, this kind of pod".
When the next pod of the same kind looks at the node again and the generation has not moved,
the scores are reused instead of recomputed.

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
    """One per framework: maps (this framework's plugins, their score keys) to a small number."""

    def __init__(self) -> None:
        self.ids: dict = {}

    def signature_id(self, keys: tuple) -> int:
        sid = self.ids.get(keys)
        if sid is None:
            if len(self.ids) > 10_000:  # many kinds of pods: start over (old entries just miss)
                self.ids.clear()
            sid = self.ids[keys] = next(_ids)
        return sid

    def raw_scores(self, plugins: list, state: Any, pod: dict, nodes: list) -> list[list]:
        """Each plugin's raw scores for ``nodes`` (same order), reusing what nodes remember."""
        sid = self.signature_id(tuple(p.score_key(state, pod) for p in plugins))
        rows = [
            memo[2]
            if (memo := n.score_memo) is not None and memo[1] == sid and memo[0] == n.generation
            else None
            for n in nodes
        ]
        if None in rows:
            stale = [i for i, row in enumerate(rows) if row is None]
            stale_nodes = [nodes[i] for i in stale]
            columns = [plugin_scores(p, state, pod, stale_nodes) for p in plugins]
            for j, i in enumerate(stale):
                row = rows[i] = tuple(column[j] for column in columns)
                node = nodes[i]
                node.score_memo = (node.generation, sid, row)
        return [[row[k] for row in rows] for k in range(len(plugins))]
