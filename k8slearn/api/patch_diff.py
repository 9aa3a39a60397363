"""The diff behind every strategic merge patch a client computes: CreateTwoWayMergePatch.

Two versions of an object go in, the patch that turns the first into the second comes out. Maps
are diffed key by key (a removed key is ``null``), lists with a merge key element by element (the
changed fields of each element with its key, ``{"$patch": "delete", ...}`` for a removed one, and
a ``$setElementOrder/<list>`` naming the new order), other lists whole. This is how the kubelet
sends a pod's status (``PatchPodStatus``: the old status, the new one, and the pod's uid as a
guard) and how ``kubectl apply`` builds its three-way patch (:mod:`k8slearn.kubectl.threeway`):

>>> old = {"status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "True"}]}}
>>> new = {"metadata": {"uid": "u-1"}, "status": {"phase": "Running", "conditions": [
...     {"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}]}}
>>> two_way_merge_patch(old, new, "Pod")
{'metadata': {'uid': 'u-1'}, 'status': {'phase': 'Running', 'conditions': [{'type': 'Ready', 'status': 'True'}], '$setElementOrder/conditions': [{'type': 'Ready'}, {'type': 'PodScheduled'}]}}

(Go's JSON encoder writes a map's keys sorted; the order means nothing to the patch.)

A map whose patchStrategy is retainKeys (a Deployment's ``strategy``, each of a pod's ``volumes``)
also gets a ``$retainKeys`` list naming the keys it keeps, so the server drops the others.

Simplified: merge keys and retainKeys come from a small table of the built-in types' struct tags
(:mod:`k8slearn.api.patch_meta`), not from the OpenAPI schema.

Upstream: staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (CreateTwoWayMergePatch,
diffMaps, diffLists, diffListsOfMaps)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.patch_meta import MERGE_PRIMITIVE_LISTS, RETAIN_KEYS_LISTS, retain_keys
from k8slearn.api.patch_meta import merge_key as _merge_key

__all__ = ["diff_maps", "two_way_merge_patch"]

# The field names that may carry patchStrategy retainKeys (a quick check before retain_keys).
RETAIN_KEYS_FIELDS = frozenset(("strategy", *RETAIN_KEYS_LISTS))


def two_way_merge_patch(original: dict, modified: dict, kind: str) -> dict:
    """CreateTwoWayMergePatch(original, modified) for an object of ``kind``."""
    return diff_maps(original, modified, kind, ())


def _primitive_merge(path: tuple) -> bool:
    return bool(path) and path[-1] in MERGE_PRIMITIVE_LISTS


def diff_maps(original: dict, modified: dict, kind: str, path: tuple, *, ignore_deletions: bool = False,
              ignore_changes: bool = False, retain: bool = False) -> dict:
    """diffMaps: the patch from ``original`` to ``modified`` (``ignore_*`` as in its DiffOptions;
    ``retain``: BuildRetainKeysDirective, for a map whose patchStrategy is retainKeys)."""
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
            sub = diff_maps(old, new, kind, path + (key,), ignore_deletions=ignore_deletions,
                             ignore_changes=ignore_changes, retain=key in RETAIN_KEYS_FIELDS and
                             retain_keys(path + (key,), kind))
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
    if retain:
        _add_retain_keys(original, modified, patch)
    return patch


def _add_retain_keys(original: dict, modified: dict, patch: dict) -> None:
    """The ``$retainKeys`` directive: the keys ``modified`` sets, sorted, when the patch changes
    something or ``original`` has a key that must go (hasAdditionalNewField). The server then drops
    every other key of the map: ``{"type": "Recreate", "$retainKeys": ["type"]}`` clears a
    Deployment's defaulted ``rollingUpdate``."""
    keep = sorted(key for key, value in modified.items() if value is not None)
    if keep and (patch or any(value is not None and key not in modified for key, value in original.items())):
        patch["$retainKeys"] = keep


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
            sub = diff_maps(old_by[k], element, kind, path, ignore_deletions=ignore_deletions,
                             ignore_changes=ignore_changes, retain=path[-1] in RETAIN_KEYS_LISTS)
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
