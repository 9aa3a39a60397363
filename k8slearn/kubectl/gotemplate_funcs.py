r"""The functions a kubectl go-template can call: Go's text/template builtins and kubectl's own.

>>> eq(2, 1, 2), lt("a", "b"), index({"labels": {"app": "web"}}, "labels", "app")
(True, True, 'web')
>>> exists({"items": []}, "items", 0), base64decode("czNjcjN0")
(False, 's3cr3t')

Builtins: ``and or not len index slice print printf println html js urlquery eq ne lt le gt ge``
(``call`` has nothing to call: the data is JSON). kubectl adds ``exists`` and ``base64decode``;
v1.32 has no sprig functions (``upper``, ``default`` ...: "function not defined").
A function's failure is a :class:`FuncError`; execution words it ``error calling NAME: ...``.

Simplified: ``and``/``or`` are evaluated by the executor (they are lazy); complex and unsigned
numbers do not occur in JSON.

Upstream: Go's text/template/funcs.go; staging/src/k8s.io/cli-runtime/pkg/printers/template.go
(exists, base64decode)
"""

from __future__ import annotations

import base64
import urllib.parse
from typing import Any, Callable

from k8slearn.kubectl.gofmt import GoInt, go_type, sprint, sprintf, sprintln

__all__ = ["FUNCS", "MISSING", "FuncError", "truth", "eq", "lt", "index", "exists", "base64decode"]


class _Missing:
    """Go's invalid ``reflect.Value``: a missing key, printed ``<no value>``."""

    def __repr__(self) -> str:
        return "<no value>"


MISSING = _Missing()


class FuncError(Exception):
    """A function's own error; execution words it ``error calling NAME: ...``."""


def truth(value: Any) -> bool:
    """isTrue: false, 0, "", nil, an empty map or list, and a missing value are false."""
    if value is MISSING or value is None:
        return False
    if isinstance(value, (bool, int, float, str, list, dict)):
        return bool(value)
    return True


def _basic_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if value is MISSING or value is None:
        return "invalid"
    raise FuncError("invalid type for comparison")


def eq(arg1: Any, *arg2: Any) -> bool:
    """eq: arg1 == any of the others; values of different kinds are an error unless one is missing."""
    if not arg2:
        raise FuncError("missing argument for comparison")
    k1 = _kind_or_other(arg1)
    for arg in arg2:
        k2 = _kind_or_other(arg)
        if k1 != k2:
            if arg1 not in (MISSING, None) and arg not in (MISSING, None):
                raise FuncError("incompatible types for comparison")
            continue
        if k1 == "other":
            raise FuncError(f"non-comparable type {sprint(arg)}: {go_type(arg)}")
        if k1 == "invalid" or arg1 == arg:
            return True
    return False


def _kind_or_other(value: Any) -> str:
    try:
        return _basic_kind(value)
    except FuncError:
        return "other"


def lt(arg1: Any, arg2: Any) -> bool:
    """lt: only numbers with numbers of the same kind, strings with strings."""
    k1, k2 = _basic_kind(arg1), _basic_kind(arg2)
    if k1 != k2:
        raise FuncError("incompatible types for comparison")
    if k1 in ("bool", "invalid"):
        raise FuncError("invalid type for comparison")
    return arg1 < arg2


def _len(item: Any) -> GoInt:
    if item is MISSING:  # (a missing value reaches length() as a zero reflect.Value)
        raise FuncError("reflect: call of reflect.Value.Type on zero Value")
    if item is None:
        raise FuncError("len of nil pointer")
    if isinstance(item, str):
        return GoInt(len(item.encode()))
    if isinstance(item, (list, dict)):
        return GoInt(len(item))
    raise FuncError(f"len of type {go_type(item)}")


def _index_of(index: Any, size: int) -> int:
    if not isinstance(index, int) or isinstance(index, bool):
        raise FuncError("cannot index slice/array with nil" if index in (None, MISSING) else
                        f"cannot index slice/array with type {go_type(index)}")
    if index < 0 or index >= size:
        raise FuncError(f"index out of range: {index}")
    return index


def index(item: Any, *indexes: Any) -> Any:
    """index: ``index .items 0 "metadata"`` is ``.items[0].metadata``; a missing map key is nil."""
    if item is None or item is MISSING:
        raise FuncError("index of untyped nil")
    for i in indexes:
        if item is None or item is MISSING:
            raise FuncError("index of nil pointer")
        if isinstance(item, (list, str)):
            item = item[_index_of(i, len(item))]
            if isinstance(item, str) and len(item) == 1 and not isinstance(i, str):
                item = GoInt(ord(item))  # a string's byte
        elif isinstance(item, dict):
            if not isinstance(i, str):
                raise FuncError(f"value has type {go_type(i)}; should be string")
            item = item.get(i, MISSING)
        else:
            raise FuncError(f"can't index item of type {go_type(item)}")
    return item


def slice_(item: Any, *indexes: Any) -> Any:
    """slice: ``slice x 1 2`` is ``x[1:2]``."""
    if item is None or item is MISSING:
        raise FuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    if not isinstance(item, (list, str)):
        raise FuncError(f"can't slice item of type {go_type(item)}")
    if isinstance(item, str) and len(indexes) == 3:
        raise FuncError("cannot 3-index slice a string")
    bounds = [0, len(item)]
    for n, i in enumerate(indexes[:2]):
        bounds[n] = _index_of(i, len(item) + 1)
    if bounds[0] > bounds[1]:
        raise FuncError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    return item[bounds[0]:bounds[1]]


def _eval_args(args: tuple) -> str:
    """evalArgs: one string as it is, anything else through fmt.Sprint."""
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(*[None if a is MISSING else a for a in args])


def html(*args: Any) -> str:
    """HTMLEscapeString."""
    table = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&#39;", '"': "&#34;", "\0": "\ufffd"}
    return "".join(table.get(c, c) for c in _eval_args(args))


def js(*args: Any) -> str:
    """JSEscapeString."""
    table = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D"}
    out = []
    for c in _eval_args(args):
        if c in table:
            out.append(table[c])
        elif ord(c) < 0x20 or not c.isprintable():
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return "".join(out)


def urlquery(*args: Any) -> str:
    """url.QueryEscape."""
    return urllib.parse.quote_plus(_eval_args(args), safe="-_.~")


def exists(item: Any, *indices: Any) -> bool:
    """kubectl's exists: whether ``index`` with these arguments would find something."""
    for i in indices:
        if isinstance(item, (list, str)):
            if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < len(item):
                return False
            item = item[i]
        elif isinstance(item, dict):
            if not isinstance(i, str):
                return False
            item = item.get(i)
        else:
            return False
    return item is not None and item is not MISSING


_B64 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def base64decode(v: str) -> str:
    """kubectl's base64decode (StdEncoding, padding required)."""
    stripped = v.replace("\r", "").replace("\n", "")
    for n, ch in enumerate(stripped):
        if ch not in _B64 and not (ch == "=" and n >= len(stripped.rstrip("=")) and n >= 2):
            raise FuncError(f"base64 decode failed: illegal base64 data at input byte {n}")
    if len(stripped) % 4:
        at = len(stripped) - len(stripped) % 4
        raise FuncError(f"base64 decode failed: illegal base64 data at input byte {at}")
    return base64.b64decode(stripped).decode("utf-8", "replace")


# name -> (function, fixed argument types (None: any value), variadic)
FUNCS: dict[str, tuple[Callable, tuple, bool]] = {
    "and": (None, (None,), True), "or": (None, (None,), True),
    "not": (lambda a: not truth(a), (None,), False),
    "len": (_len, (None,), False), "index": (index, (None,), True), "slice": (slice_, (None,), True),
    "print": (sprint, (), True), "println": (sprintln, (), True),
    "printf": (lambda f, *a: sprintf(f, list(a)), (str,), True),
    "html": (html, (), True), "js": (js, (), True), "urlquery": (urlquery, (), True),
    "eq": (eq, (None,), True), "ne": (lambda a, b: not eq(a, b), (None, None), False),
    "lt": (lt, (None, None), False), "le": (lambda a, b: lt(a, b) or eq(a, b), (None, None), False),
    "gt": (lambda a, b: not (lt(a, b) or eq(a, b)), (None, None), False),
    "ge": (lambda a, b: not lt(a, b), (None, None), False),
    "exists": (exists, (None,), True), "base64decode": (base64decode, (str,), False),
}
