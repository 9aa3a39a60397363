"""Helpers shared by score plugins.

``default_normalize_score`` scales raw scores so the best node gets 100 (or, with ``reverse``,
so the node with the *most* of something bad gets 0):

>>> scores = {"node-1": 0, "node-2": 1, "node-3": 2}
>>> default_normalize_score(100, True, scores)
>>> scores
{'node-1': 100, 'node-2': 50, 'node-3': 0}

Upstream: pkg/scheduler/framework/plugins/helper/normalize_score.go
"""

from __future__ import annotations


def default_normalize_score(max_priority: int, reverse: bool, scores: dict) -> None:
    """score = max_priority * score // max_score (then max_priority - score if reverse); in place."""
    max_count = max(scores.values(), default=0)
    if max_count == 0:
        if reverse:
            scores.update(dict.fromkeys(scores, max_priority))
        return
    for name, score in scores.items():
        score = max_priority * score // max_count
        scores[name] = max_priority - score if reverse else score
