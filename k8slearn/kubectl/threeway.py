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

The diff itself is :mod:`k8slearn.api.patch_diff` (the kubelet's status patches use it too).

Upstream: staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (CreateThreeWayMergePatch),
staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go
"""

from __future__ import annotations

from k8slearn.api.patch_diff import diff_maps

__all__ = ["three_way_merge_patch"]


def three_way_merge_patch(original: dict | None, modified: dict, current: dict, kind: str) -> dict:
    """CreateThreeWayMergePatch(original, modified, current) for an object of ``kind``."""
    delta = diff_maps(current, modified, kind, (), ignore_deletions=True)
    deletions = diff_maps(original or {}, modified, kind, (), ignore_changes=True)
    return _merge(deletions, delta)




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
