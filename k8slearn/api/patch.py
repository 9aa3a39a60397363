"""The three patch formats ``kubectl patch`` can send: strategic merge, JSON merge, JSON patch.

The API server applies a patch to the stored object, and the result goes down the ordinary
update path (admission, validation, optimistic concurrency). kubectl applies the same code to the
object it generated for ``kubectl run --overrides``; both sides share it, as both share
k8s.io/apimachinery upstream.

* **JSON merge patch** (RFC 7386, ``--type=merge``): maps merge key by key, ``null`` deletes a key,
  anything else (lists included) replaces.
* **Strategic merge patch** (``--type=strategic``, kubectl's default): like a merge patch, but some
  lists are merged element by element using a *merge key* taken from the Go struct tags
  (``containers`` by ``name``, container ``ports`` by ``containerPort``...), and directives
  (``$patch: delete``, ``$patch: replace``, ``$deleteFromPrimitiveList/<field>``, ``$retainKeys``)
  say what plain JSON cannot.
* **JSON patch** (RFC 6902, ``--type=json``): a list of operations on JSON pointers.

>>> pod = {"spec": {"containers": [{"name": "web", "image": "nginx:1.25"},
...                                 {"name": "log", "image": "busybox"}]}}
>>> strategic_merge_patch(pod, {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}, "Pod")
{'spec': {'containers': [{'name': 'web', 'image': 'nginx:1.27'}, {'name': 'log', 'image': 'busybox'}]}}
>>> json_merge_patch(pod, {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}})
{'spec': {'containers': [{'name': 'web', 'image': 'nginx:1.27'}]}}
>>> json_patch({"a": [1, 2]}, [{"op": "add", "path": "/a/-", "value": 3}, {"op": "remove", "path": "/a/0"}])
{'a': [2, 3]}

Simplified: the strategic merge schema is a small table of the built-in lists below (not the
OpenAPI schema); ``$setElementOrder`` puts the elements it names first, in its order, and the
others after them (upstream interleaves those by their old positions).

Upstream: k8s.io/apimachinery/pkg/util/strategicpatch/patch.go, evanphx/json-patch (merge.go,
patch.go), k8s.io/apiserver/pkg/endpoints/handlers/patch.go
"""

from __future__ import annotations

import copy
from typing import Any

from k8slearn.api.errors import bad_request, status_error
from k8slearn.api.field import go_sprint
from k8slearn.api.meta import thaw
from k8slearn.api.patch_meta import MERGE_PRIMITIVE_LISTS
from k8slearn.api.patch_meta import merge_key as _merge_key

# The generic 422 the API server answers when a JSON patch does not apply.
JSON_PATCH_FAILED = "the server rejected our request due to an error in our request"



# ---- JSON merge patch (RFC 7386) ---------------------------------------------------------------------


def json_merge_patch(original: Any, patch: Any) -> Any:
    """RFC 7386: ``null`` deletes, maps merge recursively, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(original) if isinstance(original, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge_patch(result.get(key), value)
    return result


# ---- strategic merge patch ---------------------------------------------------------------------------


def strategic_merge_patch(original: dict, patch: dict, kind: str = "") -> dict:
    """Apply a strategic merge patch to a built-in object of ``kind`` (``original`` is not changed;
    parts of ``patch`` may become parts of the result, so the caller passes a copy of its own)."""
    if not isinstance(patch, dict):
        raise bad_request("json: cannot unmarshal array into Go value of type map[string]interface {}")
    result = _merge_map(original if isinstance(original, dict) else {}, patch, (), kind)
    return {} if result is _DELETE else result


_DELETE = object()  # a map patched with "$patch: delete"


def _merge_map(original: dict, patch: dict, path: tuple, kind: str) -> Any:
    directive = patch.get("$patch")
    if directive == "delete":
        return _DELETE
    if directive == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if directive is not None:
        raise bad_request(f"Unknown patch type: {directive} in map: {patch}")
    result = dict(original)
    retain = patch.get("$retainKeys")
    for key, value in patch.items():
        if key.startswith("$setElementOrder/") or key in ("$retainKeys",):
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            field = key.split("/", 1)[1]
            if field in result and isinstance(result[field], list):
                result[field] = [x for x in result[field] if x not in value]
            continue
        if value is None:
            result.pop(key, None)
            continue
        current = result.get(key)
        if isinstance(value, dict):
            merged = _merge_map(current if isinstance(current, dict) else {}, value, path + (key,), kind)
            if merged is _DELETE:
                result.pop(key, None)
            else:
                result[key] = merged
        elif isinstance(value, list):
            current = current if isinstance(current, list) else []
            result[key] = _merge_list(current, value, path + (key,), kind)
        else:
            result[key] = value
    for key, order in patch.items():
        if key.startswith("$setElementOrder/") and isinstance(result.get(key[17:]), list):
            result[key[17:]] = _in_order(result[key[17:]], order)
    if retain is not None:
        result = {k: v for k, v in result.items() if k in retain}
    return result


def _in_order(items: list, order: list) -> list:
    """``$setElementOrder``: the elements it names (by merge key, or by value for a list of
    scalars) in its order, then the others as they were."""
    key = next(iter(order[0]), None) if order and isinstance(order[0], dict) else None

    def name(item: Any) -> Any:
        value = item.get(key) if key is not None and isinstance(item, dict) else item
        return value if isinstance(value, (str, int, float, bool)) else None

    rank: dict = {}
    for i, entry in enumerate(order):
        if name(entry) is not None:
            rank.setdefault(name(entry), i)
    names = [name(item) for item in items]
    if names == list(rank) and len(names) == len(order):
        return items  # already in that order (a status patch's usual case)
    named = sorted((item for item in items if name(item) in rank), key=lambda item: rank[name(item)])
    return named + [item for item in items if name(item) not in rank]


def _merge_list(original: list, patch: list, path: tuple, kind: str) -> list:
    name = path[-1]
    if name in MERGE_PRIMITIVE_LISTS:
        merged = list(original)
        merged.extend(x for x in patch if x not in merged)
        return merged
    key = _merge_key(path, kind)
    if key is None:  # (the patch is the caller's own copy: its parts may go into the result)
        return [x for x in patch if not (isinstance(x, dict) and x.get("$patch"))]
    if any(isinstance(x, dict) and x.get("$patch") == "replace" for x in patch):
        return [x for x in patch if not (isinstance(x, dict) and "$patch" in x)]
    merged = [dict(x) if isinstance(x, dict) else x for x in original]
    for element in patch:
        if not isinstance(element, dict) or key not in element:
            # mergepatch.ErrNoMergeKey, a plain error: the API server answers 500 with no reason
            raise status_error(500, "", f"map: {go_sprint(element)} does not contain declared merge key: {key}")
        same = [i for i, x in enumerate(merged) if isinstance(x, dict) and x.get(key) == element[key]]
        at = same[0] if same else None
        if element.get("$patch") == "delete":
            merged = [x for x in merged if not (isinstance(x, dict) and x.get(key) == element[key])]
        elif at is None:
            merged.append(_merge_map({}, element, path, kind))
        else:
            merged[at] = _merge_map(merged[at], element, path, kind)
    return merged


# ---- JSON patch (RFC 6902) ---------------------------------------------------------------------------


class _PatchFailed(Exception):
    """A patch that does not apply; ``cause``: its message is the one the API server shows (the
    json-patch library's), else only the generic 422 is."""

    def __init__(self, message: str, cause: bool = False) -> None:
        super().__init__(message)
        self.cause = cause


_MISSING = object()


def _has_parent(doc: Any, tokens: list[str]) -> bool:
    try:
        _parent(doc, tokens)
    except (_PatchFailed, IndexError):
        return False
    return True


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise _PatchFailed(f"invalid path: {path}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _index(container: list, token: str, allow_end: bool) -> int:
    if token == "-" and allow_end:
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise _PatchFailed(f"invalid array index: {token}")
    i = int(token)
    if i > len(container) or (i == len(container) and not allow_end):
        raise _PatchFailed(f"array index out of bounds: {i}")
    return i


def _parent(doc: Any, tokens: list[str]) -> Any:
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token, False)]
        else:
            raise _PatchFailed("doc is missing path")
    if not isinstance(node, (dict, list)):
        raise _PatchFailed("doc is missing path")
    return node


def _get(doc: Any, tokens: list[str]) -> Any:
    if not tokens:
        return doc
    parent, last = _parent(doc, tokens), tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise _PatchFailed("missing value")
        return parent[last]
    return parent[_index(parent, last, False)]


def _remove(doc: Any, tokens: list[str]) -> Any:
    if not tokens:
        raise _PatchFailed("cannot remove the whole document")
    parent, last = _parent(doc, tokens), tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise _PatchFailed("missing value")
        return parent.pop(last)
    return parent.pop(_index(parent, last, False))


def _add(doc: Any, tokens: list[str], value: Any) -> Any:
    if not tokens:
        return value
    parent, last = _parent(doc, tokens), tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    else:
        parent.insert(_index(parent, last, True), value)
    return doc


def _apply_op(doc: Any, op: dict) -> Any:
    kind, tokens = op.get("op"), _pointer(op.get("path", ""))
    if kind == "add":
        return _add(doc, tokens, copy.deepcopy(op.get("value")))
    if kind == "remove":
        _remove(doc, tokens)
        return doc
    if kind == "replace":
        if not tokens:
            return copy.deepcopy(op.get("value"))
        _get(doc, tokens)  # must exist
        _remove(doc, tokens)
        return _add(doc, tokens, copy.deepcopy(op.get("value")))
    if kind == "test":  # json-patch v4's texts, which the API server passes on as the 422's cause
        path = op.get("path", "")
        try:
            got = _get(doc, tokens)
        except _PatchFailed:
            if tokens and not _has_parent(doc, tokens):
                raise _PatchFailed(f"test operation does not apply: is missing path: {path}: missing value",
                                   cause=True) from None
            got = _MISSING
        if got is _MISSING or got != op.get("value"):
            raise _PatchFailed(f"testing value {path} failed: test failed", cause=True)
        return doc
    source = _pointer(op.get("from", ""))
    if kind == "move":
        value = _remove(doc, source)
        return _add(doc, tokens, value)
    if kind == "copy":
        return _add(doc, tokens, copy.deepcopy(_get(doc, source)))
    raise _PatchFailed(f"Unexpected kind: {kind}")


def json_patch(original: Any, operations: list) -> Any:
    """RFC 6902. A malformed patch is a 400; one that does not apply is the API server's generic 422."""
    if not isinstance(operations, list) or not all(isinstance(op, dict) for op in operations):
        raise bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = copy.deepcopy(original)
    try:
        for op in operations:
            doc = _apply_op(doc, op)
    except _PatchFailed as failed:  # NewGenericServerResponse(422, ..., err.Error()): the error is a cause
        cause = {"reason": "UnexpectedServerResponse", "message": str(failed)}
        details = {"causes": [cause]} if failed.cause else {}
        raise status_error(422, "Invalid", JSON_PATCH_FAILED, details) from None
    return doc


def apply_patch(original: dict, patch: Any, patch_type: str, kind: str = "") -> dict:
    """Apply ``patch`` of ``patch_type`` ("strategic" | "merge" | "json") to ``original`` (not modified)."""
    if patch_type == "json":
        result = json_patch(original, patch)
    elif patch_type == "merge":
        if not isinstance(patch, dict):
            raise bad_request("Invalid JSON Patch")
        result = json_merge_patch(thaw(original), patch)
    elif patch_type == "strategic":
        result = strategic_merge_patch(thaw(original), patch, kind)
    else:
        raise status_error(415, "UnsupportedMediaType",
                           f"the server does not support the patch type {patch_type!r}", {})
    if not isinstance(result, dict):
        raise bad_request("Invalid JSON Patch")
    return result

