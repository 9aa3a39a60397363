"""Why a JSON patch operation does not apply, in the words of the JSON patch library kubectl vendors.

kubectl applies a JSON patch itself for ``patch --local`` and ``patch --dry-run=client``. When an
operation does not apply, the error is evanphx/json-patch v4's, and ``patch.go`` rewords the
"doc is missing key" of a ``replace`` as "Object to be patched is missing field":

>>> doc = {"spec": {"replicas": 1, "containers": [{"name": "web"}]}}
>>> operation_error(doc, {"op": "remove", "path": "/spec/nope/x"})
'remove operation does not apply: doc is missing path: "/spec/nope/x": missing value'
>>> operation_error(doc, {"op": "remove", "path": "/spec/nope"})
"error in remove for path: '/spec/nope': Unable to remove nonexistent key: nope: missing value"
>>> operation_error(doc, {"op": "replace", "path": "/spec/containers/5", "value": 1})
'Object to be patched is missing field (/spec/containers/5: missing value)'
>>> operation_error(doc, {"op": "replace", "path": "/spec/nope", "value": 1}) is None  # v4 adds it
True

Simplified: a ``move`` looks for its destination in the document before the move (upstream looks
after removing the source); ``test`` is left to the caller.

Upstream: github.com/evanphx/json-patch v4.12.0 patch.go (findObject, partialDoc, partialArray,
Patch.add/remove/replace/move/copy); staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go
(getPatchedJSON)
"""

from __future__ import annotations

import re
from typing import Any

MISSING = "missing value"  # ErrMissing
INVALID_INDEX = "invalid index referenced"  # ErrInvalidIndex

_GO_INT = re.compile(r"[+-]?[0-9]+")


def _decode_key(part: str) -> str:
    """decodePatchKey: ``~1`` is ``/``, ``~0`` is ``~``."""
    return part.replace("~1", "/").replace("~0", "~")


def _atoi(key: str) -> int | None:
    return int(key) if _GO_INT.fullmatch(key) else None


def _invalid_index(index: int) -> str:
    return f"Unable to access invalid index: {index}: {INVALID_INDEX}"


def _get(container: Any, key: str) -> tuple[Any, str | None]:
    """partialDoc.get (a missing key is no error: nothing) and partialArray.get (negative indices
    count from the end)."""
    if isinstance(container, dict):
        return container.get(key), None
    index = _atoi(key)
    if index is None:
        return None, f'strconv.Atoi: parsing "{key}": invalid syntax'
    if index < -len(container) or index >= len(container):
        return None, _invalid_index(index)
    return container[index], None


def _add_error(container: Any, key: str) -> str | None:
    """partialDoc.add always works; partialArray.add takes ``-`` or an index up to the length."""
    if isinstance(container, dict) or key == "-":
        return None
    index = _atoi(key)
    if index is None:
        return f"value was not a proper array index: '{key}': strconv.Atoi: parsing \"{key}\": invalid syntax"
    size = len(container) + 1
    return _invalid_index(index) if index >= size or index < -size else None


def _remove_error(container: Any, key: str) -> str | None:
    """partialDoc.remove of a key that is not there; partialArray.remove of a bad index."""
    if isinstance(container, dict):
        return None if key in container else f"Unable to remove nonexistent key: {key}: {MISSING}"
    return _get(container, key)[1]


def find_object(doc: Any, path: str) -> tuple[Any, str]:
    """findObject: the container that holds the path's last part, and that part; ``(None, "")``
    when a part on the way is missing or is not an object or an array."""
    parts = path.split("/")
    if len(parts) < 2:
        return None, ""
    for part in parts[1:-1]:
        if not isinstance(doc, (dict, list)):
            return None, ""
        doc, error = _get(doc, _decode_key(part))
        if doc is None or error:
            return None, ""
    if not isinstance(doc, (dict, list)):
        return None, ""
    return doc, _decode_key(parts[-1])


def operation_error(doc: Any, op: dict) -> str | None:
    """The error of one add, remove, replace, move or copy on ``doc``, or None if it applies."""
    kind, path = op.get("op"), str(op.get("path", ""))
    if kind in ("move", "copy"):
        return _move_or_copy_error(doc, kind, str(op.get("from", "")), path)
    container, key = find_object(doc, path)
    if kind == "add":
        if container is None:
            return f'add operation does not apply: doc is missing path: "{path}": {MISSING}'
        error = _add_error(container, key)
        return error and f"error in add for path: '{path}': {error}"
    if kind == "remove":
        if container is None:
            return f'remove operation does not apply: doc is missing path: "{path}": {MISSING}'
        error = _remove_error(container, key)
        return error and f"error in remove for path: '{path}': {error}"
    if kind == "replace":
        if container is None:
            return f"replace operation does not apply: doc is missing path: {path}: {MISSING}"
        if _get(container, key)[1]:  # "doc is missing key: <path>", as getPatchedJSON rewords it
            return f"Object to be patched is missing field ({path}: {MISSING})"
    return None


def _move_or_copy_error(doc: Any, kind: str, source: str, path: str) -> str | None:
    container, key = find_object(doc, source)
    if container is None:
        return f"{kind} operation does not apply: doc is missing from path: {source}: {MISSING}"
    error = _get(container, key)[1]
    if kind == "move":
        error = error or _remove_error(container, key)
        if error:
            return f"error in move for path: '{key}': {error}"
    elif error:
        return f"error in copy for from: '{source}': {error}"
    target, target_key = find_object(doc, path)
    if target is None:
        return f"{kind} operation does not apply: doc is missing destination path: {path}: {MISSING}"
    error = _add_error(target, target_key)
    return error and f"error in {kind} for path: '{path}': {error}"
