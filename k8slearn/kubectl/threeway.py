"""The patch ``kubectl apply`` sends: a three-way strategic merge of last-applied, new and live.

``kubectl apply`` remembers what you applied last time in the annotation
``kubectl.kubernetes.io/last-applied-configuration``. Next time it computes:

* **deletions**: what you removed since last time (original -> modified, deletions only);
* **delta**: what the live object lacks or has differently (current -> modified, no deletions,
  so fields the server or other clients set stay untouched);

and merges them into one strategic merge patch. An empty patch (``{}``) means ``unchanged``.
Lists with a merge key (``containers`` by ``name``...) are diffed element by element, with a
``$setElementOrder/<list>`` entry and ``{"$patch": "delete", ...}`` for removed elements.

>>> original = {"spec": {"replicas": 1, "paused": True}}
>>> modified = {"spec": {"replicas": 3}}
>>> current = {"spec": {"replicas": 1, "paused": True, "revisionHistoryLimit": 10}}
>>> three_way_merge_patch(original, modified, current, "Deployment")
{'spec': {'paused': None, 'replicas': 3}}
>>> three_way_merge_patch(modified, modified, {"spec": {"replicas": 3, "x": 1}}, "Deployment")
{}

A map whose patch strategy is ``retainKeys`` also names the keys it keeps, so that changing a
Deployment's strategy to ``Recreate`` drops the defaulted ``rollingUpdate``:

>>> live = {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}}}
>>> three_way_merge_patch({"spec": {}}, {"spec": {"strategy": {"type": "Recreate"}}}, live, "Deployment")
{'spec': {'strategy': {'type': 'Recreate', '$retainKeys': ['type']}}}

Simplified: merge keys and retainKeys come from a small table of the built-in types' struct tags
(kubectl compiles the same k8s.io/api types in), not from the OpenAPI schema.

The diff itself is :mod:`k8slearn.api.patch_diff` (the kubelet's status patches use it too).

Upstream: staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (CreateThreeWayMergePatch,
mergeMap, mergeSlice, mergeSortedSlice), staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go
"""

from __future__ import annotations

from k8slearn.api.patch_diff import diff_maps
from k8slearn.api.patch_meta import merge_key

__all__ = ["three_way_merge_patch"]


def three_way_merge_patch(original: dict | None, modified: dict, current: dict, kind: str) -> dict:
    """CreateThreeWayMergePatch(original, modified, current) for an object of ``kind``."""
    delta = diff_maps(current, modified, kind, (), ignore_deletions=True)
    deletions = diff_maps(original or {}, modified, kind, (), ignore_changes=True)
    return _merge(deletions, delta, kind, ())


def _merge(base: dict, extra: dict, kind: str, path: tuple) -> dict:
    """mergeMap(deletions, delta) without MergeParallelList: nested maps merge, lists with a merge
    key merge element by element (mergeSlice), anything else (directives included) is replaced."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = _merge(old, value, kind, path + (key,))
        elif isinstance(old, list) and isinstance(value, list) and not key.startswith("$"):
            out[key] = _merge_lists(old, value, kind, path + (key,))
        else:
            out[key] = value
    return out


def _merge_lists(base: list, extra: list, kind: str, path: tuple) -> list:
    """mergeSlice of two patches' lists: an element of ``extra`` merges into the element of ``base``
    with its merge key; then normalizeElementOrder puts the elements only ``base`` has among
    ``extra``'s (mergeSortedSlice). A list of scalars is the two lists without repeats."""
    key = merge_key(path, kind)
    if key is None or not all(isinstance(x, dict) for x in base + extra):
        return extra + [x for x in base if x not in extra]
    base_keys = [x.get(key) for x in base]
    patch_items = []
    for element in extra:
        at = base_keys.index(element.get(key)) if element.get(key) in base_keys else None
        patch_items.append(element if at is None else _merge(base[at], element, kind, path))
    extra_keys = [x.get(key) for x in extra]
    server_only = [x for x in base if x.get(key) not in extra_keys]
    return _merge_sorted(server_only, patch_items, base_keys, key)


def _merge_sorted(left: list, right: list, order: list, key: str) -> list:
    """mergeSortedSlice: ``left``'s elements go in among ``right``'s, keeping each list's order; an
    element of ``left`` goes first only when both are in ``order`` and it comes earlier there."""
    merged, i, j = [], 0, 0
    while i < len(left) or j < len(right):
        if j < len(right) and i < len(left):
            li, ri = (order.index(x.get(key)) if x.get(key) in order else -1 for x in (left[i], right[j]))
            take_left = li >= 0 and ri >= 0 and li < ri
        else:
            take_left = i < len(left)
        if take_left:
            merged.append(left[i])
            i += 1
        else:
            merged.append(right[j])
            j += 1
    return merged
