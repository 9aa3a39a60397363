"""Command-line flags parsed as spf13/pflag parses them (the library under every kubectl command).

Flags may come before, between or after the arguments; ``--`` ends them. Long flags take
``--name=value`` or ``--name value``; shorthands take ``-n value``, ``-nvalue`` or ``-n=value``
and booleans can be grouped (``-it``). A boolean given without a value means ``true``; so does
``--dry-run`` alone (``unchanged``, which kubectl reads as client). Errors read as pflag's.

>>> spec = FlagSet([("n", "namespace", "''"), ("A", "all-namespaces", "false"), ("", "replicas", "1")])
>>> parsed = spec.parse(["get", "-A", "pods", "--replicas=3", "-nkube-system", "--", "-x"])
>>> parsed.args, parsed.values["all-namespaces"], parsed.values["replicas"], parsed.values["namespace"]
(['get', 'pods', '-x'], True, 3, 'kube-system')
>>> spec.parse(["--replicas", "x"])
Traceback (most recent call last):
...
k8slearn.kubectl.flags.FlagError: invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax

Simplified: flag types are read from the defaults ``--help`` shows (``false`` is a bool, ``[]`` a
list, ``0s`` a duration...); a few list flags that keep commas are named in STRING_ARRAYS.

Upstream: github.com/spf13/pflag (flag.go parseArgs, parseLongArg, parseSingleShortArg; bool.go,
int.go, string_slice.go, string_array.go, duration.go)
"""

from __future__ import annotations

import csv
import re
from typing import Any, Iterable, NamedTuple

__all__ = ["FlagError", "Flag", "FlagSet", "Parsed", "parse_bool", "parse_duration"]

# StringArray flags (values are not split at commas); every other "[]" flag is a StringSlice.
STRING_ARRAYS = {"from-literal", "from-file", "from-env-file", "env", "annotations", "overrides-file",
                 "as-group", "prefix-from-file"}
# Flags with pflag NoOptDefVal: given bare, they take this value.
NO_OPTION_DEFAULTS = {"dry-run": "unchanged", "validate": "strict", "cascade": "background"}


class FlagError(ValueError):
    """A flag pflag rejects; str() is pflag's message."""


class Flag(NamedTuple):
    short: str
    name: str
    kind: str  # bool, int, string, slice, array, duration
    default: Any
    no_opt: str | None


class Parsed(NamedTuple):
    args: list[str]
    values: dict[str, Any]
    changed: set[str]
    args_at_dash: int  # -1 when there was no "--"
    help: bool


def _flag_from_help(short: str, name: str, shown: str) -> Flag:
    """Build a Flag from ``--help``'s ``-n, --name=default`` (the default reveals the type)."""
    no_opt = NO_OPTION_DEFAULTS.get(name)
    if shown in ("true", "false"):
        return Flag(short, name, "bool", shown == "true", "true")
    if re.fullmatch(r"-?\d+", shown):
        return Flag(short, name, "int", int(shown), no_opt)
    if shown.startswith("["):
        items = [s for s in shown[1:-1].split(",") if s]
        return Flag(short, name, "array" if name in STRING_ARRAYS else "slice", items, no_opt)
    if re.fullmatch(r"[\dhms.]+", shown) and shown.endswith("s"):
        return Flag(short, name, "duration", parse_duration(shown), no_opt)
    if shown.startswith("'") and shown.endswith("'"):
        shown = shown[1:-1]
    return Flag(short, name, "string", shown, no_opt)


class FlagSet:
    """The flags one command accepts (its own plus kubectl's global ones)."""

    def __init__(self, specs: Iterable[tuple[str, str, str]]) -> None:
        self.flags: dict[str, Flag] = {}
        self.shorthands: dict[str, Flag] = {}
        for short, name, shown in specs:
            flag = _flag_from_help(short, name, shown)
            self.flags[name] = flag
            if short:
                self.shorthands[short] = flag

    def defaults(self) -> dict[str, Any]:
        return {name: (list(f.default) if isinstance(f.default, list) else f.default)
                for name, f in self.flags.items()}

    def parse(self, argv: list[str]) -> Parsed:
        values, changed, args = self.defaults(), set(), []
        at_dash, want_help = -1, False
        rest = list(argv)
        while rest:
            s = rest.pop(0)
            if len(s) < 2 or s[0] != "-":
                args.append(s)
            elif s == "--":
                at_dash = len(args)
                args.extend(rest)
                break
            elif s.startswith("--"):
                want_help |= self._long(s, rest, values, changed)
            else:
                want_help |= self._short(s, rest, values, changed)
        return Parsed(args, values, changed, at_dash, want_help)

    def _long(self, s: str, rest: list[str], values: dict, changed: set) -> bool:
        name = s[2:]
        if not name or name[0] in "-=":
            raise FlagError(f"bad flag syntax: {s}")
        name, eq, value = name.partition("=")
        flag = self.flags.get(name)
        if flag is None:
            if name == "help":
                return True
            raise FlagError(f"unknown flag: --{name}")
        if eq:
            pass
        elif flag.no_opt is not None:
            value = flag.no_opt
        elif rest:
            value = rest.pop(0)
        else:
            raise FlagError(f"flag needs an argument: {s}")
        self._set(flag, value, values, changed)
        return False

    def _short(self, s: str, rest: list[str], values: dict, changed: set) -> bool:
        shorthands = s[1:]
        want_help = False
        while shorthands:
            c = shorthands[0]
            flag = self.shorthands.get(c)
            if flag is None:
                if c == "h":
                    want_help = True
                    shorthands = shorthands[1:]
                    continue
                raise FlagError(f"unknown shorthand flag: '{c}' in -{shorthands}")
            if len(shorthands) > 2 and shorthands[1] == "=":
                value, shorthands = shorthands[2:], ""
            elif flag.no_opt is not None:
                value, shorthands = flag.no_opt, shorthands[1:]
            elif len(shorthands) > 1:
                value, shorthands = shorthands[1:], ""
            elif rest:
                value, shorthands = rest.pop(0), ""
            else:
                raise FlagError(f"flag needs an argument: '{c}' in -{shorthands}")
            self._set(flag, value, values, changed)
        return want_help

    def _set(self, flag: Flag, value: str, values: dict, changed: set) -> None:
        shown = f"-{flag.short}, --{flag.name}" if flag.short else f"--{flag.name}"
        try:
            if flag.kind == "bool":
                parsed: Any = parse_bool(value)
            elif flag.kind == "int":
                parsed = _parse_int(value)
            elif flag.kind == "duration":
                parsed = parse_duration(value)
            elif flag.kind in ("slice", "array"):
                items = next(csv.reader([value])) if flag.kind == "slice" and value else [value]
                parsed = (values[flag.name] if flag.name in changed else []) + items
            else:
                parsed = value
        except ValueError as exc:
            raise FlagError(f'invalid argument "{value}" for "{shown}" flag: {exc}') from None
        values[flag.name] = parsed
        changed.add(flag.name)


def parse_bool(value: str) -> bool:
    """strconv.ParseBool."""
    if value in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if value in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError(f'strconv.ParseBool: parsing "{value}": invalid syntax')


def _parse_int(value: str) -> int:
    """strconv.ParseInt(value, 0, 64)."""
    text = value.replace("_", "") if re.fullmatch(r"[-+]?0[xXoObB]?[0-9a-fA-F_]+", value) else value
    try:
        number = int(text, 0)
    except ValueError:
        raise ValueError(f'strconv.ParseInt: parsing "{value}": invalid syntax') from None
    if not -(2**63) <= number < 2**63:
        raise ValueError(f'strconv.ParseInt: parsing "{value}": value out of range')
    return number


_UNITS = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "\u03bcs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: str) -> float:
    """time.ParseDuration, in seconds: ``1m30s`` -> 90.0 (a bare ``0`` is allowed), with Go's errors:
    ``time: missing unit in duration "5"``, ``time: unknown unit "x" in duration "5x"``,
    ``time: invalid duration "abc"``."""
    invalid = ValueError(f'time: invalid duration "{value}"')
    text, sign = value, 1.0
    if text[:1] in ("-", "+"):
        sign, text = (-1.0 if text[0] == "-" else 1.0), text[1:]
    if text == "0":
        return 0.0
    if not text:
        raise invalid
    total = 0.0
    while text:
        number = re.match(r"(\d*)(?:\.(\d*))?", text)
        whole, fraction = number.group(1), number.group(2)
        if not text[0].isdigit() and text[0] != "." or (not whole and not fraction):
            raise invalid  # the next character must be a digit or a point, with a digit beside it
        text = text[number.end():]
        unit = re.match(r"[^0-9.]*", text).group(0)
        if not unit:
            raise ValueError(f'time: missing unit in duration "{value}"')
        if unit not in _UNITS:
            raise ValueError(f'time: unknown unit "{unit}" in duration "{value}"')
        text = text[len(unit):]
        total += float(f"{whole or 0}.{fraction or 0}") * _UNITS[unit]
    return sign * total


INVALID_TIMEOUT = ("Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
                   "followed by a corresponding time unit (e.g. 1s | 2m | 3h)")


def parse_timeout(value: str) -> float:
    """clientcmd.ParseTimeout (``--request-timeout``), in seconds: a whole number of seconds that is
    not negative, else a time.ParseDuration duration; anything else is :data:`INVALID_TIMEOUT`.

    >>> [parse_timeout(v) for v in ("0", "20", "+5", "2m", "-1s")]
    [0.0, 20.0, 5.0, 120.0, -1.0]
    >>> parse_timeout("abc")
    Traceback (most recent call last):
    ...
    ValueError: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed \
by a corresponding time unit (e.g. 1s | 2m | 3h)
    """
    if re.fullmatch(r"[-+]?[0-9]+", value):  # strconv.ParseInt(duration, 10, 64) and i >= 0
        number = int(value)
        if 0 <= number < 2**63:
            return float(number)
    try:
        return parse_duration(value)
    except ValueError:
        raise ValueError(INVALID_TIMEOUT) from None
