"""The framework's Score runner: every Score plugin's points per node, normalised and weighed.

``run_score_plugins`` gets each active plugin's raw scores (skipping the plugins whose PreScore
said Skip), normalises them (NormalizeScore), checks they lie in [0, 100], multiplies them by the
plugin's weight and adds them up per node. It also returns each plugin's numbers, which
``explain`` shows.

>>> from k8slearn.scheduler.framework import Framework, Handle
>>> from k8slearn.scheduler.node_info import NodeInfo
>>> from k8slearn.scheduler.profile import Profile
>>> from k8slearn.scheduler.snapshot import Snapshot
>>> nodes = [NodeInfo({"metadata": {"name": f"node-{i}"},
...                    "status": {"allocatable": {"cpu": cpu, "memory": "4Gi", "pods": "110"}}})
...          for i, cpu in enumerate(["2", "4"], 1)]
>>> fwk = Framework(Profile(), Handle(snapshot=Snapshot(nodes)))
>>> pod = {"metadata": {"namespace": "default", "name": "web"},
...        "spec": {"containers": [{"resources": {"requests": {"cpu": "1500m"}}}]}}
>>> state = CycleState()
>>> _ = fwk.run_pre_filter_plugins(state, pod)
>>> _ = fwk.run_pre_score_plugins(state, pod, nodes)
>>> totals, per_plugin = fwk.run_score_plugins(state, pod, nodes)
>>> totals
[422, 459]
>>> [(p.name, p.weight, p.normalized) for p in per_plugin]  # doctest: +NORMALIZE_WHITESPACE
[('TaintToleration', 3, [100, 100]), ('NodeResourcesFit', 1, [60, 78]),
 ('NodeResourcesBalancedAllocation', 1, [62, 81]), ('ImageLocality', 1, [0, 0])]

Simplified: no parallelism (Go scores nodes over 16 goroutines); plugins may add a
``score_nodes`` method that scores a whole list at once, and plugins with a ``score_key`` may have
their scores remembered per node (:mod:`k8slearn.scheduler.score_cache`). Same numbers.

Upstream: pkg/scheduler/framework/runtime/framework.go (RunScorePlugins)
"""

from __future__ import annotations

import operator
from itertools import repeat
from typing import Any

from k8slearn.scheduler.interface import (
    MAX_NODE_SCORE,
    MIN_NODE_SCORE,
    CycleState,
    PluginError,
    PluginScores,
    as_status,
)
from k8slearn.scheduler.score_cache import plugin_scores


def _has(plugin: Any, method: str) -> bool:
    return callable(getattr(plugin, method, None))


class ScoreRunner:
    """Framework's Score method (a base class of :class:`~k8slearn.scheduler.framework.Framework`)."""

    def run_score_plugins(self, state: CycleState, pod: dict, nodes: list) -> tuple[list, list]:
        """Score, normalise and weigh; returns (total per node, [PluginScores]) in node order.

        Raw scores come from each plugin's ``score_nodes`` (the whole list in one call) or ``score``
        (node by node); plugins with a ``score_key`` may have them remembered per node (see
        :mod:`k8slearn.scheduler.score_cache`). A plugin that gives every node the same score only
        shifts the totals, so it is added once instead of node by node."""
        active = [(p, w) for p, w in self.score_plugins if p.name not in state.skip_score_plugins]
        memo, keys = [], []
        for p, _ in active:
            score_key = getattr(p, "score_key", None)
            key = score_key(state, pod) if score_key is not None else None
            if key is not None:
                memo.append(p)
                keys.append(key)
        snapshot = getattr(self.handle, "snapshot", None)
        raws: dict = {}
        if memo:
            columns = self.score_cache.raw_scores(memo, state, pod, nodes, snapshot, keys)
            raws = dict(zip((p.name for p in memo), columns))
        per_plugin: list[PluginScores] = []
        varying: list[tuple] = []  # (normalized, weight, its distinct values) of each varying plugin
        offset = 0
        names = None
        for plugin, weight in active:
            try:
                raw = raws[plugin.name] if plugin.name in raws else plugin_scores(plugin, state, pod, nodes)
            except PluginError:
                raise
            except Exception as err:  # a plugin that raises is an Error status: the cycle ends
                raise PluginError(f'running Score plugins: plugin "{plugin.name}" failed with: {err}') from err
            normalized = raw
            normalize_scores = getattr(plugin, "normalize_scores", None)
            if normalize_scores is not None:  # the list form of normalize_score (same numbers)
                normalized = normalize_scores(state, pod, raw)
            elif _has(plugin, "normalize_score"):
                names = names or [node_info.name for node_info in nodes]
                scores = dict(zip(names, raw))
                status = as_status(plugin.normalize_score(state, pod, scores))
                if not status.is_success():
                    raise PluginError(
                        f'running Normalize on Score plugins: plugin "{plugin.name}" '
                        f"failed with: {status.message()}"
                    )
                normalized = [scores[name] for name in names]
            # One quick pass finds a list of equal scores (common, and usually the very same int
            # object, so counting compares identities); a list whose last score differs from its
            # first (as count would compare them: identity, then ==) is not one, uncounted. A
            # varying list of integers has few distinct values: their least and greatest are its
            # bounds (quicker than min and max over the whole list; other numbers, a float NaN
            # say, take min and max as they are).
            distinct = None
            if normalized and all_equal(normalized):
                lowest = highest = normalized[0]
            else:
                distinct = set(normalized)
                if set(map(type, distinct)) == _INT_ONLY:
                    lowest, highest = min(distinct, default=0), max(distinct, default=0)
                else:
                    lowest, highest = min(normalized, default=0), max(normalized, default=0)
                    distinct = ()  # (not all integers: see _totals)
            if lowest < MIN_NODE_SCORE or highest > MAX_NODE_SCORE:
                bad = next(s for s in normalized if not MIN_NODE_SCORE <= s <= MAX_NODE_SCORE)
                raise PluginError(
                    f'plugin "{plugin.name}" returns an invalid score {bad}, it should in '
                    f"the range of [{MIN_NODE_SCORE}, {MAX_NODE_SCORE}] after normalizing"
                )
            if distinct is None:
                offset += normalized[0] * weight
            else:
                varying.append((normalized, weight, distinct))
            per_plugin.append(PluginScores(plugin.name, weight, raw, normalized))
        return _totals(varying, offset, len(nodes)), per_plugin


_INT_ONLY = {int}


def all_equal(scores: list) -> bool:
    """``scores.count(scores[0]) == len(scores)`` (a non-empty list), without the count when the
    last score already differs from the first (as count would compare them: identity, then ==).
    A simulation speed-up: counting a varying list compares every score by value."""
    first, last = scores[0], scores[-1]
    if last is not first and not last == first:  # noqa: SIM201 (count compares with ==)
        return False
    return scores.count(first) == len(scores)


def _totals(varying: list, offset: Any, count: int) -> list:
    """Per node: the sum of each varying plugin's weighted scores, plus ``offset`` (what the plugins
    that gave every node the same score add); a new list.

    Upstream multiplies and adds node by node. Integers add up to the same in any order, so when
    every number is an integer, a list that must be weighed goes through a table of its few
    distinct values instead (the offset folded into one of them), saving whole passes over the
    nodes; otherwise the sums are taken in upstream's order."""
    if not varying:
        return [offset] * count
    if type(offset) is int and all(distinct and type(weight) is int for _, weight, distinct in varying):
        fold = next((i for i, (_, weight, _) in enumerate(varying) if weight != 1), 0)
        lists = []
        for i, (normalized, weight, distinct) in enumerate(varying):
            extra = offset if i == fold else 0
            if weight == 1 and not extra:
                lists.append(normalized)
            else:
                table = {s: s * weight + extra for s in distinct}
                lists.append(map(table.__getitem__, normalized))
    else:
        lists = [
            normalized if weight == 1 else map(operator.mul, normalized, repeat(weight))
            for normalized, weight, _ in varying
        ]
        if offset:
            lists.append(repeat(offset, count))
    # Element-wise sums, one plugin after the other, node by node: the maps are chained lazily,
    # so only the final list is built (the same additions in the same order).
    totals = lists[0]
    for scores in lists[1:]:
        totals = map(operator.add, totals, scores)
    return list(totals)
