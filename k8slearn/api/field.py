"""Field errors: one problem with one field of an object, worded exactly like the API server.

A ``FieldError`` has a type (``FieldValueRequired``...), the field path, the bad value and a
detail. ``error()`` is what ``kubectl`` prints; ``cause()`` is the entry in a Status object's
``details.causes``. The bad value is rendered the way Go's ``fmt`` does: strings quoted (%q),
numbers and booleans bare, maps and lists in Go syntax.

>>> p = Path("spec").child("containers").index(0).child("image")
>>> required(p).error()
'spec.containers[0].image: Required value'
>>> not_supported("spec.restartPolicy", "Sometimes", ["Always", "OnFailure", "Never"]).error()
'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'
>>> invalid("spec.replicas", -1, "must be greater than or equal to 0").cause()["message"]
'Invalid value: -1: must be greater than or equal to 0'
>>> go_repr({"app": "web", "tier": "db"})
'map[string]string{"app":"web", "tier":"db"}'

Simplifies: Python values stand in for Go's typed values; a caller that needs an exact Go
rendering (a struct, a nil map) passes a ``GoValue`` holding the text.

Upstream: staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go, path.go
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Union

REQUIRED = "FieldValueRequired"
INVALID = "FieldValueInvalid"
NOT_SUPPORTED = "FieldValueNotSupported"
DUPLICATE = "FieldValueDuplicate"
FORBIDDEN = "FieldValueForbidden"
TOO_LONG = "FieldValueTooLong"
TOO_MANY = "FieldValueTooMany"
NOT_FOUND = "FieldValueNotFound"
INTERNAL = "InternalError"
TYPE_INVALID = "FieldValueTypeInvalid"

TYPE_TEXT = {
    NOT_FOUND: "Not found",
    REQUIRED: "Required value",
    DUPLICATE: "Duplicate value",
    INVALID: "Invalid value",
    NOT_SUPPORTED: "Unsupported value",
    FORBIDDEN: "Forbidden",
    TOO_LONG: "Too long",
    TOO_MANY: "Too many",
    INTERNAL: "Internal error",
    TYPE_INVALID: "Invalid value",
}
_NO_VALUE = {REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL}


class Path:
    """A field path such as ``spec.containers[0].resources.limits[cpu]`` (field.Path)."""

    __slots__ = ("_text",)

    def __init__(self, text: str = "") -> None:
        self._text = text

    def child(self, *names: str) -> "Path":
        text = self._text
        for name in names:
            text = f"{text}.{name}" if text else name
        return Path(text)

    def index(self, i: int) -> "Path":
        return Path(f"{self._text}[{i}]")

    def key(self, k: str) -> "Path":
        return Path(f"{self._text}[{k}]")

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"Path({self._text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Path) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)


PathLike = Union[Path, str]


class GoValue:
    """A bad value whose Go rendering is given verbatim (a Stringer's output or a %#v struct)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"GoValue({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoValue) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


OMIT = GoValue("")  # the value TooMany uses when the actual count is unknown


def go_quote(s: str) -> str:
    """strconv.Quote: Go's double-quoted string literal."""
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_float(x: float) -> str:
    """fmt's %v for a float64: shortest digits, exponent form below 1e-4 or from 1e6 on."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    d = Decimal(repr(abs(x))).normalize()
    digits = "".join(str(n) for n in d.as_tuple().digits)
    exp = d.adjusted()
    sign = "-" if x < 0 else ""
    if exp < -4 or exp >= 6:
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return sign + format(d, "f")


def go_json(value: Any) -> str:
    """Compact JSON as Go's encoding/json writes a map: sorted keys, ``<>&`` escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def go_sprint(value: Any) -> str:
    """``fmt.Sprintf("%+v", v)`` of a value decoded from JSON into ``interface{}`` (integers as int64)."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    return str(value)


def go_type_of(value: Any) -> str:
    """The Go type of a value decoded from JSON into ``interface{}`` (a whole number: int64), as
    ``%v`` of its reflect.Type prints it.

    >>> go_type_of({}), go_type_of([1]), go_type_of(3), go_type_of(2.5), go_type_of("s")
    ('map[string]interface {}', '[]interface {}', 'int64', 'float64', 'string')
    """
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    return "string"


def go_repr(value: Any) -> str:
    """The bad value as field/errors.go prints it."""
    if isinstance(value, GoValue):
        return value.text
    if value is None:
        return '"null"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return go_string_map(value).text
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return go_string_slice(value).text
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def go_string_map(m: dict | None) -> GoValue:
    """%#v of a map[string]string: keys sorted, nil shown as ``map[string]string(nil)``."""
    if m is None:
        return GoValue("map[string]string(nil)")
    body = ", ".join(f"{go_quote(k)}:{go_quote(v)}" for k, v in sorted(m.items()))
    return GoValue("map[string]string{" + body + "}")


def go_string_slice(items: Iterable[str] | None) -> GoValue:
    """%#v of a []string: ``[]string{"a", "b"}``, nil shown as ``[]string(nil)``."""
    if items is None:
        return GoValue("[]string(nil)")
    return GoValue("[]string{" + ", ".join(go_quote(s) for s in items) + "}")


@dataclass(frozen=True)
class FieldError:
    """field.Error: type, field path, bad value and detail."""

    type: str
    field: str
    bad_value: Any = ""
    detail: str = ""

    def body(self) -> str:
        """ErrorBody: the message without the field path."""
        text = TYPE_TEXT[self.type]
        if self.type not in _NO_VALUE and self.bad_value is not OMIT:
            text = f"{text}: {go_repr(self.bad_value)}"
        if self.detail:
            text = f"{text}: {self.detail}"
        return text

    def error(self) -> str:
        return f"{self.field}: {self.body()}"

    def cause(self) -> dict:
        """The Status ``details.causes`` entry."""
        return {"reason": self.type, "message": self.body(), "field": self.field}

    def __str__(self) -> str:
        return self.error()


def required(path: PathLike, detail: str = "") -> FieldError:
    return FieldError(REQUIRED, str(path), "", detail)


def invalid(path: PathLike, value: Any, detail: str) -> FieldError:
    return FieldError(INVALID, str(path), value, detail)


def not_supported(path: PathLike, value: Any, valid_values: Iterable[str]) -> FieldError:
    quoted = [go_quote(v) for v in valid_values]
    detail = "supported values: " + ", ".join(quoted) if quoted else ""
    return FieldError(NOT_SUPPORTED, str(path), value, detail)


def duplicate(path: PathLike, value: Any) -> FieldError:
    return FieldError(DUPLICATE, str(path), value, "")


def forbidden(path: PathLike, detail: str) -> FieldError:
    return FieldError(FORBIDDEN, str(path), "", detail)


def too_long(path: PathLike, value: Any, max_len: int) -> FieldError:
    if max_len >= 0:
        detail = f"may not be more than {max_len} {'byte' if max_len == 1 else 'bytes'}"
    else:
        detail = "value is too long"
    return FieldError(TOO_LONG, str(path), value, detail)


def too_many(path: PathLike, actual: int, max_quantity: int) -> FieldError:
    detail = f"must have at most {max_quantity} items" if max_quantity >= 0 else "has too many items"
    return FieldError(TOO_MANY, str(path), actual if actual >= 0 else OMIT, detail)


def not_found(path: PathLike, value: Any) -> FieldError:
    return FieldError(NOT_FOUND, str(path), value, "")


def internal_error(path: PathLike, message: str) -> FieldError:
    return FieldError(INTERNAL, str(path), None, message)


def aggregate(errors: Iterable[FieldError]) -> str:
    """ErrorList.ToAggregate().Error(): one message, or ``[a, b]`` with duplicates dropped."""
    seen: list[str] = []
    for err in errors:
        msg = err.error()
        if msg not in seen:
            seen.append(msg)
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]" if seen else ""
