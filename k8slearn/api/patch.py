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
* **JSON patch** (RFC 6902, ``--type=json``): a list of operations on JSON pointers, applied as
  evanphx/json-patch v4 does (a negative array index counts from the end, ``replace`` of a missing
  key adds it, a path without a leading ``/`` names a top-level key).

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

import contextlib
import copy
import re
from typing import Any

from k8slearn.api.errors import bad_request, status_error
from k8slearn.api.field import go_sprint
from k8slearn.api.meta import thaw
from k8slearn.api.patch_meta import MERGE_PRIMITIVE_LISTS
from k8slearn.api.patch_meta import merge_key as _merge_key

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
    if patch is None:  # (JSON null decodes into a map as no change)
        patch = {}
    if not isinstance(patch, dict):
        raise bad_request(f"json: cannot unmarshal {_json_type(patch)} into Go value of type map[string]interface {{}}")
    result = _merge_map(original if isinstance(original, dict) else {}, patch, (), kind)
    return {} if result is _DELETE else result


_DELETE = object()  # a map patched with "$patch: delete"


def _merge_map(original: dict, patch: dict, path: tuple, kind: str) -> Any:
    directive = patch.get("$patch")
    if directive == "delete":
        return _DELETE
    if directive == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if directive is not None:  # mergepatch.ErrBadPatchType, a plain error: the API server's 500 with no reason
        raise status_error(500, "", f"unknown patch type: {go_sprint(directive)} in map: {go_sprint(patch)}")
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


# ---- JSON patch (RFC 6902), as evanphx/json-patch v4 applies it ------------------------------------

# The generic 422 the API server answers when a JSON patch does not apply.
JSON_PATCH_FAILED = "the server rejected our request due to an error in our request"

MAX_JSON_PATCH_OPERATIONS = 10000  # maxJSONPatchOperations (handlers/patch.go)


class JSONPatchError(Exception):
    """An operation that does not apply, in json-patch v4's words (``Patch.Apply``'s error)."""


_ERR_MISSING = "missing value"  # ErrMissing
_ERR_INVALID_INDEX = "invalid index referenced"  # ErrInvalidIndex
_ERR_TEST_FAILED = "test failed"  # ErrTestFailed


def _decode_patch_key(key: str) -> str:
    """decodePatchKey: ``~1`` is ``/`` and ``~0`` is ``~``, in one pass (strings.NewReplacer)."""
    return re.sub("~[01]", lambda m: "/" if m.group() == "~1" else "~", key)


def _atoi(key: str) -> int:
    """strconv.Atoi: an optional sign and decimal digits (leading zeros allowed)."""
    if not re.fullmatch(r"[+-]?[0-9]+", key):
        raise JSONPatchError(f'strconv.Atoi: parsing "{key}": invalid syntax')
    return int(key)


def _invalid_index(index: int) -> JSONPatchError:
    return JSONPatchError(f"Unable to access invalid index: {index}: {_ERR_INVALID_INDEX}")


def _array_index(ary: list, key: str) -> int:
    """partialArray.get/remove/set's index: a negative one counts from the end
    (SupportNegativeIndices, true by default), and it must name an element."""
    index = _atoi(key)
    if index < 0:
        if index < -len(ary):
            raise _invalid_index(index)
        index += len(ary)
    if index >= len(ary):
        raise _invalid_index(index)
    return index


def _container_get(container: dict | list, key: str) -> Any:
    """container.get: a missing key of an object is no error (None, as a null is); an array
    needs a good index."""
    if isinstance(container, dict):
        return container.get(key)
    return container[_array_index(container, key)]


def _container_add(container: dict | list, key: str, value: Any) -> None:
    """container.add: an object takes any key; an array takes ``-`` (append) or an index up to its
    length, a negative one counting from the end of the longer array (``-1`` appends too)."""
    if isinstance(container, dict):
        container[key] = value
        return
    if key == "-":
        container.append(value)
        return
    try:
        index = _atoi(key)
    except JSONPatchError as err:
        raise JSONPatchError(f"value was not a proper array index: '{key}': {err}") from None
    size = len(container) + 1
    if index >= size or index < -size:
        raise _invalid_index(index)
    container.insert(index + size if index < 0 else index, value)


def _container_remove(container: dict | list, key: str) -> None:
    """container.remove: the key or element must be there."""
    if isinstance(container, dict):
        if key not in container:
            raise JSONPatchError(f"Unable to remove nonexistent key: {key}: {_ERR_MISSING}")
        del container[key]
        return
    index = _atoi(key)
    if index >= len(container) or index < -len(container):
        raise _invalid_index(index)
    del container[index]


def _find_object(doc: dict | list, path: str) -> tuple[Any, str]:
    """findObject: the object or array holding the path's last part, and that part; None when the
    path has no ``/`` or a part on the way is missing, null or not an object or an array. The text
    before the first ``/`` is ignored (``spec/replicas`` is ``/replicas``)."""
    split = path.split("/")
    if len(split) < 2:
        return None, ""
    for part in split[1:-1]:
        try:
            doc = _container_get(doc, _decode_patch_key(part))
        except JSONPatchError:
            return None, ""
        if not isinstance(doc, (dict, list)):
            return None, ""
    return doc, _decode_patch_key(split[-1])


def _field(op: dict, name: str) -> str:
    """Operation.Path / Operation.From: the field, a string."""
    value = op.get(name)
    if value is None:
        raise JSONPatchError(f"operation{',' if name == 'from' else ''} missing {name} field: {_ERR_MISSING}")
    if not isinstance(value, str):
        raise JSONPatchError(f"json: cannot unmarshal {_json_type(value)} into Go value of type string")
    return value


def _json_type(value: Any) -> str:
    """The JSON type as Go's encoding/json names it in an UnmarshalTypeError."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), "null")


def _json_equal(a: Any, b: Any) -> bool:
    """lazyNode.equal: objects and arrays compared member by member, other values by their JSON
    text (so ``true`` is not ``1`` and ``1`` is not ``1.0``). Simplified: two numbers of the same
    type are compared by value, not by their text."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _value(op: dict) -> Any:
    """Operation.value: a copy of the value (a missing one is null)."""
    return copy.deepcopy(op.get("value"))


def _decoded(op: dict, name: str, operation: str, why: str = "") -> str:
    """The op's ``path`` or ``from``, or ``<operation> operation failed to decode <name>: <why>``
    (the decoding error; add, remove and copy's path always say ErrMissing, as json-patch v4.12)."""
    try:
        return _field(op, name)
    except JSONPatchError as err:
        raise JSONPatchError(f"{operation} operation failed to decode {name}: {why or err}") from None


@contextlib.contextmanager
def _wrapped(prefix: str):
    """errors.Wrapf: a JSONPatchError raised inside comes out as ``<prefix>: <error>``."""
    try:
        yield
    except JSONPatchError as err:
        raise JSONPatchError(f"{prefix}: {err}") from None


def _add(doc: Any, op: dict) -> Any:
    """Patch.add."""
    path = _decoded(op, "path", "add", _ERR_MISSING)
    container, key = _find_object(doc, path)
    if container is None:
        raise JSONPatchError(f'add operation does not apply: doc is missing path: "{path}": {_ERR_MISSING}')
    with _wrapped(f"error in add for path: '{path}'"):
        _container_add(container, key, _value(op))
    return doc


def _remove(doc: Any, op: dict) -> Any:
    """Patch.remove."""
    path = _decoded(op, "path", "remove", _ERR_MISSING)
    container, key = _find_object(doc, path)
    if container is None:
        raise JSONPatchError(f'remove operation does not apply: doc is missing path: "{path}": {_ERR_MISSING}')
    with _wrapped(f"error in remove for path: '{path}'"):
        _container_remove(container, key)
    return doc


def _replace(doc: Any, op: dict) -> Any:
    """Patch.replace: path ``""`` replaces the whole document with an object or array; a missing
    key of an object is added (partialDoc.get finds no error), a bad array index is "missing key"."""
    path = _decoded(op, "path", "replace")
    if path == "":
        if not isinstance(op.get("value"), (dict, list)):
            raise JSONPatchError("replace operation value must be object or array: %!w(<nil>)")
        return _value(op)
    container, key = _find_object(doc, path)
    if container is None:
        raise JSONPatchError(f"replace operation does not apply: doc is missing path: {path}: {_ERR_MISSING}")
    try:
        _container_get(container, key)
    except JSONPatchError:
        raise JSONPatchError(f"replace operation does not apply: doc is missing key: {path}: {_ERR_MISSING}") \
            from None
    if isinstance(container, dict):
        container[key] = _value(op)
    else:
        container[_array_index(container, key)] = _value(op)
    return doc


def _move(doc: Any, op: dict) -> Any:
    """Patch.move: the value is removed from ``from``, then ``path`` is looked for and added to."""
    source = _decoded(op, "from", "move")
    container, key = _find_object(doc, source)
    if container is None:
        raise JSONPatchError(f"move operation does not apply: doc is missing from path: {source}: {_ERR_MISSING}")
    with _wrapped(f"error in move for path: '{key}'"):
        value = _container_get(container, key)
        _container_remove(container, key)
    path = _decoded(op, "path", "move")
    container, key = _find_object(doc, path)
    if container is None:
        raise JSONPatchError(f"move operation does not apply: doc is missing destination path: {path}: "
                             f"{_ERR_MISSING}")
    with _wrapped(f"error in move for path: '{path}'"):
        _container_add(container, key, value)
    return doc


def _copy(doc: Any, op: dict) -> Any:
    """Patch.copy: a missing key of an object copies a null."""
    source = _decoded(op, "from", "copy")
    container, key = _find_object(doc, source)
    if container is None:
        raise JSONPatchError(f"copy operation does not apply: doc is missing from path: {source}: {_ERR_MISSING}")
    with _wrapped(f"error in copy for from: '{source}'"):
        value = copy.deepcopy(_container_get(container, key))
    path = _decoded(op, "path", "copy", _ERR_MISSING)
    container, key = _find_object(doc, path)
    if container is None:
        raise JSONPatchError(f"copy operation does not apply: doc is missing destination path: {path}: "
                             f"{_ERR_MISSING}")
    with _wrapped("error while adding value during copy"):
        _container_add(container, key, value)
    return doc


def _test(doc: Any, op: dict) -> Any:
    """Patch.test: path ``""`` is the whole document; a missing key or a null passes when the
    value is null or left out."""
    path = _decoded(op, "path", "test")
    failed = JSONPatchError(f"testing value {path} failed: {_ERR_TEST_FAILED}")
    if path == "":
        if not _json_equal(doc, op.get("value")):
            raise failed
        return doc
    container, key = _find_object(doc, path)
    if container is None:
        raise JSONPatchError(f"test operation does not apply: is missing path: {path}: {_ERR_MISSING}")
    with _wrapped(f"error in test for path: '{path}'"):
        value = _container_get(container, key)
    if value is None:
        if op.get("value") is not None:
            raise failed
    elif not _json_equal(value, op.get("value")):
        raise failed
    return doc


_OPERATIONS = {"add": _add, "remove": _remove, "replace": _replace, "move": _move, "test": _test, "copy": _copy}


def _kind(op: dict | None) -> str:
    """Operation.Kind: the op, or ``unknown`` when it is missing or not a string."""
    kind = op.get("op") if isinstance(op, dict) else None
    return kind if isinstance(kind, str) else "unknown"


def decode_json_patch(patch: Any) -> list:
    """jsonpatch.DecodePatch: a list of objects (a null is an empty patch); else the JSON decoder's
    error, which the API server answers as a 400."""
    if patch is None:
        return []
    if not isinstance(patch, list):
        raise bad_request(f"json: cannot unmarshal {_json_type(patch)} into Go value of type jsonpatch.Patch")
    for op in patch:
        if op is not None and not isinstance(op, dict):
            raise bad_request(f"json: cannot unmarshal {_json_type(op)} into Go value of type jsonpatch.Operation")
    return patch


def apply_json_patch(original: Any, operations: list) -> Any:
    """Patch.Apply of json-patch v4 with its default options: the operations in order on a copy of
    ``original``; the first that does not apply raises JSONPatchError with the library's text."""
    doc = copy.deepcopy(original)
    for op in operations:
        kind = _kind(op)
        if kind not in _OPERATIONS:
            raise JSONPatchError(f"Unexpected kind: {kind}")
        doc = _OPERATIONS[kind](doc, op)
    return doc


def json_patch(original: Any, operations: Any) -> Any:
    """jsonPatcher.applyJSPatch: a malformed patch is a 400, more than 10000 operations a 413, and
    one that does not apply the generic 422 of NewGenericServerResponse, whose message and causes
    leave out the library's text (kubectl shows "The request is invalid: the server rejected our
    request due to an error in our request")."""
    operations = decode_json_patch(operations)
    if len(operations) > MAX_JSON_PATCH_OPERATIONS:
        raise status_error(413, "RequestEntityTooLarge", "Request entity too large: The allowed maximum "
                           f"operations in a JSON patch is {MAX_JSON_PATCH_OPERATIONS}, got {len(operations)}")
    try:
        return apply_json_patch(original, operations)
    except JSONPatchError:
        raise status_error(422, "Invalid", JSON_PATCH_FAILED, {}) from None


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

