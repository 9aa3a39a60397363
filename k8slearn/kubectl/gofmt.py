"""How Go's ``fmt`` prints the values a Go template sees: JSON decoded into ``interface{}``.

kubectl hands a template the object as ``map[string]interface{}`` (apimachinery's
``util/json.Unmarshal``: whole numbers become ``int64``, the others ``float64``). So a template
prints maps as ``map[key:value ...]`` with sorted keys, lists as ``[a b]``, a JSON null inside
them as ``<nil>`` and floats as Go's shortest ``%v`` (``1e+06``, ``0.5``).

>>> sprint({"b": [1, 2.5, None], "a": "x"})
'map[a:x b:[1 2.5 <nil>]]'
>>> sprintf("%05.1f|%q|%v|%s", [3.14159, "x", 2, 2])
'003.1|"x"|2|%!s(int64=2)'
>>> format_float(1e6), format_float(123456.0), format_float(0.0001), format_float(0.00001)
('1e+06', '123456', '0.0001', '1e-05')

Values: ``dict`` (map), ``list`` (slice), ``str``, ``bool``, ``int`` (``int64``), :class:`GoInt`
(an ``int`` constant written in the template), ``float`` (``float64``), ``None`` (nil).

Simplified: the verbs ``%v %s %d %q %t %x %X %o %b %c %f %F %e %E %g %G %U %%`` with flags
``+-# 0``, width and precision; no ``%T``, ``%p`` or argument indexes.

Upstream: Go's fmt (print.go, format.go) and strconv (ftoa.go, quote.go)
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from k8slearn.api.field import go_float, go_quote, go_type_of

__all__ = ["GoInt", "go_type", "sprint", "sprintln", "sprintf", "format_float", "quote"]


class GoInt(int):
    """An integer constant written in a template (``{{3}}``): Go type ``int``, not ``int64``."""


def go_type(value: Any) -> str:
    """The Go type name of a decoded JSON value, as ``%!verb(type=value)`` and errors print it: a
    template's own integer constant is an ``int``, nil is ``<nil>``, the rest as
    :func:`k8slearn.api.field.go_type_of` names them (``int64``, ``map[string]interface {}``...)."""
    if value is None:
        return "<nil>"
    if isinstance(value, GoInt):
        return "int"
    return go_type_of(value)


def format_float(f: float, verb: str = "g", prec: int = -1) -> str:
    """strconv.FormatFloat(f, verb, prec, 64); ``%v`` is ``'g'`` with the shortest digits, which
    switches to an exponent when it is below -4 or at least 6 (the shortest form's eprec)."""
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if math.isnan(f):
        return "NaN"
    if verb in "eE" and prec >= 0:
        return f"{f:.{prec}{verb}}"
    if verb in "fF":
        return f"{f:.{prec if prec >= 0 else _shortest_decimals(f)}f}"
    if prec >= 0:  # %.3g: Go and Python agree but for the exponent's width (both use two digits)
        return f"{f:.{prec or 1}{verb}}"
    if verb == "g":
        return go_float(f)  # %v: the shortest digits (k8slearn.api.field, as the API's messages print it)
    sign, digits, exponent = Decimal(repr(abs(f))).normalize().as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    exp = len(digits) + int(exponent) - 1 if f else 0
    minus = "-" if math.copysign(1, f) < 0 else ""
    if verb in "eE" or exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{minus}{mantissa}{'E' if verb in 'EG' else 'e'}{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp < 0:
        return f"{minus}0.{'0' * (-exp - 1)}{text}"
    return minus + (text[:exp + 1].ljust(exp + 1, "0") + ("." + text[exp + 1:] if len(text) > exp + 1 else ""))


def _shortest_decimals(f: float) -> int:
    exponent = Decimal(repr(abs(f))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


quote = go_quote  # strconv.Quote: a double-quoted Go string literal (printable Unicode kept)


def _plain(value: Any, verb: str = "v") -> str:
    """One operand under ``%v`` (or, inside maps and lists, the verb applied to each element)."""
    if value is None:
        return "<nil>"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{_plain(k, verb)}:{_plain(value[k], verb)}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(_plain(v, verb) for v in value) + "]"
    if verb != "v":
        return _format_one(verb, "", -1, -1, value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_float(value)
    return str(value)


def sprint(*args: Any) -> str:
    """fmt.Sprint: a space between two operands when neither is a string."""
    out = []
    for i, arg in enumerate(args):
        if i and not isinstance(arg, str) and not isinstance(args[i - 1], str):
            out.append(" ")
        out.append(_plain(arg))
    return "".join(out)


def sprintln(*args: Any) -> str:
    """fmt.Sprintln: always a space between operands, and a newline at the end."""
    return " ".join(_plain(a) for a in args) + "\n"


_VERB = re.compile(r"%([-+# 0]*)(\*|\d+)?(?:\.(\*|\d*))?(.)?", re.S)


def sprintf(format: str, args: list[Any]) -> str:
    """fmt.Sprintf, with Go's complaints inline: ``%!d(string=x)``, ``%!s(MISSING)``, ``%!(EXTRA ...)``."""
    out, pos, used = [], 0, 0
    for m in _VERB.finditer(format):
        out.append(format[pos:m.start()])
        pos = m.end()
        flags, width, prec, verb = m.group(1), m.group(2), m.group(3), m.group(4)
        if verb is None:
            out.append("%!(NOVERB)")
            continue
        if verb == "%":
            out.append("%")
            continue
        if used >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        w = int(width) if width and width != "*" else -1
        p = (int(prec) if prec else 0) if prec is not None and prec != "*" else -1
        text = _format_one(verb, flags, w, p, args[used])
        used += 1
        out.append(_pad(text, flags, w, verb, args[used - 1]))
    out.append(format[pos:])
    if used < len(args):
        out.append("%!(EXTRA " + ", ".join(f"{go_type(a)}={_plain(a)}" for a in args[used:]) + ")")
    return "".join(out)


def _pad(text: str, flags: str, width: int, verb: str, value: Any) -> str:
    if width < 0 or len(text) >= width:
        return text
    if "-" in flags:
        return text.ljust(width)
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool) and verb in "dfFeEgGvxXob"
    if "0" in flags and numeric:
        sign = text[0] if text[:1] in "+-" else ""
        return sign + text[len(sign):].rjust(width - len(sign), "0")
    return text.rjust(width)


def _bad(verb: str, value: Any) -> str:
    return f"%!{verb}(<nil>)" if value is None else f"%!{verb}({go_type(value)}={_plain(value)})"


def _format_one(verb: str, flags: str, width: int, prec: int, value: Any) -> str:
    """One verb applied to one operand (printValue/printArg); ``%!verb(type=value)`` when they do not fit."""
    if isinstance(value, (dict, list)) or value is None:
        return _bad(verb, value) if value is None and verb != "v" else _plain(value, verb)
    if isinstance(value, bool):
        return ("true" if value else "false") if verb in "vt" else _bad(verb, value)
    if isinstance(value, int):
        return _format_int(verb, flags, prec, value)
    if isinstance(value, float):
        if verb in "vgGeEfF":
            prec = 6 if prec < 0 and verb in "eEfF" else prec
            text = format_float(value, "g" if verb == "v" else verb, prec)
            return ("+" + text) if "+" in flags and value >= 0 else text
        return _bad(verb, value)
    if verb in "vs":
        return value if prec < 0 else value[:prec]
    if verb == "q":
        return quote(value)
    if verb in "xX":
        hexed = value.encode().hex()
        return hexed.upper() if verb == "X" else hexed
    return _bad(verb, value)


def _format_int(verb: str, flags: str, prec: int, value: int) -> str:
    bases = {"d": "d", "v": "d", "x": "x", "X": "X", "o": "o", "b": "b"}
    if verb in bases:
        text = format(abs(value), bases[verb])
        if prec >= 0:
            text = text.zfill(prec)
        sign = "-" if value < 0 else ("+" if "+" in flags else "")
        prefix = {"x": "0x", "X": "0X", "o": "0"}.get(verb, "") if "#" in flags else ""
        return sign + prefix + text
    if verb == "c":
        return chr(value)
    if verb == "q":
        return "'" + chr(value) + "'"
    if verb == "U":
        return f"U+{value:04X}"
    return _bad(verb, value)
