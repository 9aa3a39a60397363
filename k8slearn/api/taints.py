"""Taints and tolerations: does a pod's toleration let it onto (or keep it on) a tainted node?

Shared by everyone who asks: the scheduler's TaintToleration filter, the DaemonSet controller
and the taint-eviction controller, exactly as upstream shares these helpers.

>>> taint = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
>>> tolerates_taint({"key": "dedicated", "operator": "Equal", "value": "gpu"}, taint)
True
>>> tolerates_taint({"operator": "Exists"}, taint)          # empty key + Exists tolerates everything
True
>>> tolerates_taint({"key": "dedicated", "value": "gpu", "effect": "NoExecute"}, taint)
False
>>> find_matching_untolerated_taint([taint], [])
{'key': 'dedicated', 'value': 'gpu', 'effect': 'NoSchedule'}

Upstream: staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint),
staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go (FindMatchingUntoleratedTaint)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE = "NoSchedule", "NoExecute", "PreferNoSchedule"


def tolerates_taint(toleration: dict, taint: dict) -> bool:
    """One toleration against one taint: effect and key must match (empty matches all), then
    ``Exists`` matches any value and ``Equal`` (the default operator) needs the same value."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Equal":
        return (toleration.get("value") or "") == (taint.get("value") or "")
    return operator == "Exists"


def tolerations_tolerate_taint(tolerations: Iterable[dict], taint: dict) -> bool:
    return any(tolerates_taint(t, taint) for t in tolerations)


def do_not_schedule(taint: dict) -> bool:
    """The taints that keep pods off a node (what the scheduler's Filter looks at)."""
    return taint.get("effect") in (NO_SCHEDULE, NO_EXECUTE)


def find_matching_untolerated_taint(
    taints: Iterable[dict], tolerations: Iterable[dict], inclusion: Callable[[dict], bool] | None = do_not_schedule
) -> dict | None:
    """The first taint (in the node's order) that ``inclusion`` selects and no toleration tolerates."""
    tolerations = list(tolerations)
    for taint in taints:
        if (inclusion is None or inclusion(taint)) and not tolerations_tolerate_taint(tolerations, taint):
            return taint
    return None
