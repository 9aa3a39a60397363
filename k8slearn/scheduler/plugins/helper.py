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

from typing import Any


def default_normalize_scores(max_priority: int, reverse: bool, scores: list) -> list:
    """The same, on a list of scores (returns a new list).

    >>> default_normalize_scores(100, False, [0, 5, 10])
    [0, 50, 100]
    """
    max_count = max(scores, default=0) if any(scores) else 0  # (all zero, the usual case: no max)
    if max_count == 0:
        return [max_priority] * len(scores) if reverse else list(scores)
    if reverse:
        return [max_priority - max_priority * s // max_count for s in scores]
    return [max_priority * s // max_count for s in scores]


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


def controller_ref(obj: dict) -> dict | None:
    """The ownerReference with ``controller: true`` (metav1.GetControllerOf)."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def default_selector(pod: dict, listers: dict):
    """DefaultSelector: the labels that select the pod's "group" — the selectors of the Services that
    select the pod, plus the selector of its ReplicaSet or StatefulSet. Empty if it has neither.

    >>> pod = {"metadata": {"namespace": "default", "labels": {"app": "web"}}}
    >>> str(default_selector(pod, {}))
    ''
    """
    from k8slearn.api.labels import (
        Selector,
        SelectorParseError,
        selector_from_label_selector,
        selector_from_set,
    )

    meta = pod.get("metadata") or {}
    namespace, labels = meta.get("namespace", ""), meta.get("labels") or {}
    merged: dict = {}
    services = listers.get("services")
    for service in services.list(namespace) if services is not None else ():
        chosen = (service.get("spec") or {}).get("selector")
        if chosen is not None and all(labels.get(k) == v for k, v in chosen.items()):
            merged.update(chosen)
    selector = selector_from_set(merged)
    owner = controller_ref(pod)
    if owner is None:
        return selector
    resource = {("apps/v1", "ReplicaSet"): "replicasets", ("apps/v1", "StatefulSet"): "statefulsets"}.get(
        (owner.get("apiVersion"), owner.get("kind"))
    )
    lister = listers.get(resource) if resource else None
    controller = lister.get(owner.get("name", ""), namespace) if lister is not None else None
    if controller is not None:
        label_selector = (controller.get("spec") or {}).get("selector")
        key = _label_selector_key(label_selector)
        if key is not None:
            key = (tuple(merged.items()), key)
            combined = _combined_selectors.get(key)
            if combined is not None:
                return combined
        try:
            other = selector_from_label_selector(label_selector)
        except SelectorParseError:
            return selector
        selector = Selector([*selector.requirements, *other.requirements])
        if key is not None:
            if len(_combined_selectors) >= SELECTOR_LIMIT:
                _combined_selectors.clear()
            _combined_selectors[key] = selector
    return selector


# The default selectors built so far, by the Services' labels and the controller's selector they
# come from: every pod of a ReplicaSet gets the same one, so it is parsed and validated once, not
# once per pod (Selectors are never changed). A simulation speed-up; the same selectors.
_combined_selectors: dict = {}
SELECTOR_LIMIT = 4_096  # selectors remembered before starting over (they just miss)


def _label_selector_key(label_selector: Any) -> tuple | None:
    """Everything ``selector_from_label_selector`` reads from a LabelSelector, as a hashable value;
    None for one it is not worth remembering (None, or not made of plain strings)."""
    if not isinstance(label_selector, dict):
        return None
    match_labels = label_selector.get("matchLabels") or {}
    expressions = label_selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(expressions, list):
        return None
    labels = tuple(match_labels.items())
    if not all(type(k) is str and type(v) is str for k, v in labels):
        return None
    terms = []
    for expr in expressions:
        if not isinstance(expr, dict):
            return None
        key, operator, values = expr.get("key", ""), expr.get("operator", ""), expr.get("values") or []
        if type(key) is not str or type(operator) is not str or not isinstance(values, list):
            return None
        if not all(type(v) is str for v in values):
            return None
        terms.append((key, operator, tuple(values)))
    return labels, tuple(terms)
