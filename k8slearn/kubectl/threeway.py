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

Simplified: merge keys come from a small table of the built-in types' patchMergeKey tags (kubectl
compiles the same k8s.io/api types in), not from the OpenAPI schema; ``$retainKeys`` is not generated.

Upstream: staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (CreateThreeWayMergePatch,
diffMaps, diffLists, diffListsOfMaps), staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.patch_meta import MERGE_PRIMITIVE_LISTS
from k8slearn.api.patch_meta import merge_key as _merge_key

__all__ = ["three_way_merge_patch"]


def three_way_merge_patch(original: dict | None, modified: dict, current: dict, kind: str) -> dict:
    """CreateThreeWayMergePatch(original, modified, current) for an object of ``kind``."""
    delta = _diff_maps(current, modified, kind, (), ignore_deletions=True)
    deletions = _diff_maps(original or {}, modified, kind, (), ignore_changes=True)
    return _merge(deletions, delta)




def _primitive_merge(path: tuple) -> bool:
    return bool(path) and path[-1] in MERGE_PRIMITIVE_LISTS


def _diff_maps(original: dict, modified: dict, kind: str, path: tuple, *, ignore_deletions: bool = False,
               ignore_changes: bool = False) -> dict:
    patch: dict = {}
    for key, new in modified.items():
        if key not in original:
            if not ignore_changes:
                patch[key] = new
            continue
        old = original[key]
        if type(old) is not type(new) and not (_is_number(old) and _is_number(new) and old == new):
            if not ignore_changes:
                patch[key] = new
            continue
        if isinstance(new, dict):
            sub = _diff_maps(old, new, kind, path + (key,), ignore_deletions=ignore_deletions,
                             ignore_changes=ignore_changes)
            if sub:
                patch[key] = sub
        elif isinstance(new, list):
            _diff_slice(key, old, new, patch, kind, path + (key,), ignore_deletions, ignore_changes)
        elif old != new and not ignore_changes:
            patch[key] = new
    if not ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    return patch


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _diff_slice(key: str, old: list, new: list, patch: dict, kind: str, path: tuple,
                ignore_deletions: bool, ignore_changes: bool) -> None:
    merge_key = _merge_key(path, kind)
    all_maps = all(isinstance(x, dict) for x in old + new)
    if merge_key and all_maps and (old or new):
        additions, deletions, order = _diff_lists_of_maps(old, new, merge_key, kind, path,
                                                          ignore_deletions, ignore_changes)
        items = additions + deletions
        if items:
            patch[key] = items
        if order:
            patch[f"$setElementOrder/{key}"] = order
    elif _primitive_merge(path) and not all_maps:
        added = [x for x in new if x not in old]
        removed = [x for x in old if x not in new]
        if added and not ignore_changes:
            patch[key] = added
        if removed and not ignore_deletions:
            patch[f"$deleteFromPrimitiveList/{key}"] = removed
        if (removed and not ignore_deletions) or (not ignore_changes and old != new):
            patch[f"$setElementOrder/{key}"] = new
    elif old != new and not ignore_changes:
        patch[key] = new


def _diff_lists_of_maps(old: list, new: list, merge_key: str, kind: str, path: tuple,
                        ignore_deletions: bool, ignore_changes: bool) -> tuple[list, list, list]:
    if not old:
        return ([] if ignore_changes else list(new)), [], []
    old_by = {str(x.get(merge_key)): x for x in old}
    new_keys = [str(x.get(merge_key)) for x in new]
    additions = []
    for element in new:
        k = str(element.get(merge_key))
        if k in old_by:
            sub = _diff_maps(old_by[k], element, kind, path, ignore_deletions=ignore_deletions,
                             ignore_changes=ignore_changes)
            if sub:
                sub[merge_key] = element.get(merge_key)
                additions.append(sub)
        elif not ignore_changes:
            additions.append(element)
    deletions = []
    if not ignore_deletions:
        for element in sorted(old, key=lambda x: str(x.get(merge_key))):
            if str(element.get(merge_key)) not in new_keys:
                deletions.append({"$patch": "delete", merge_key: element.get(merge_key)})
    same_order = [str(x.get(merge_key)) for x in old] == new_keys
    order: list = []
    if (not ignore_changes and (additions or not same_order)) or (not ignore_deletions and deletions):
        order = [{merge_key: x.get(merge_key)} for x in new]
    return additions, deletions, order


def _merge(base: dict, extra: dict) -> dict:
    """mergeMap for two patches: nested maps merge, lists of maps merge by their merge key."""
    out = dict(base)
    for key, value in extra.items():
        if key in out and isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = _merge(out[key], value)
        elif key in out and isinstance(out[key], list) and isinstance(value, list) and not key.startswith("$"):
            out[key] = value + [x for x in out[key] if x not in value]
        else:
            out[key] = value
    return out
