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
        try:
            other = selector_from_label_selector((controller.get("spec") or {}).get("selector"))
        except SelectorParseError:
            return selector
        selector = Selector([*selector.requirements, *other.requirements])
    return selector
