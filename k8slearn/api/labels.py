"""Label selectors: ``app=web,tier in (db,cache),!canary``, parsed and matched like apimachinery.

``parse_selector`` reads the string form (``kubectl get -l ...``; its grammar is in selector_parser.py);
``selector_from_label_selector`` converts a ``{matchLabels, matchExpressions}`` dict (``spec.selector``).
Both give a ``Selector`` that ANDs its requirements, sorted by key; ``str()`` is the canonical form.

>>> sel = parse_selector("tier in (db,cache), app=web, !canary")
>>> str(sel)
'app=web,!canary,tier in (cache,db)'
>>> sel.matches({"app": "web", "tier": "db"}), sel.matches({"app": "web", "tier": "db", "canary": "1"})
(True, False)
>>> str(selector_from_label_selector({"matchLabels": {"app": "web"}}))
'app=web'

Simplifies: nothing beyond apimachinery's grammar; errors are raised as ``ValueError``.

Upstream: staging/src/k8s.io/apimachinery/pkg/labels/selector.go,
staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector)
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from k8slearn.api import field
from k8slearn.api.fields import FieldSelector, parse_field_selector, supported_field_labels  # noqa: F401
from k8slearn.api.names import is_qualified_name, is_valid_label_value

_INT64 = re.compile(r"[+-]?[0-9]+")  # what strconv.ParseInt(s, 10, 64) reads, before its range check

EXISTS, DOES_NOT_EXIST = "exists", "!"
EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "=", "==", "!="
IN, NOT_IN, GREATER_THAN, LESS_THAN = "in", "notin", "gt", "lt"
BINARY_OPERATORS = [IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN]


class SelectorParseError(ValueError):
    """A label selector that apimachinery would reject; str() is its message."""


def validate_label_key(key: str) -> list[str]:
    """IsQualifiedName: the reasons a label key is invalid (empty if valid)."""
    return is_qualified_name(key)


def validate_label_value(value: str) -> list[str]:
    """IsValidLabelValue: the reasons a label value is invalid (empty if valid)."""
    return is_valid_label_value(value)


class Requirement:
    """One ``key <op> values`` condition."""

    __slots__ = ("key", "operator", "values")

    def __init__(self, key: str, operator: str, values: Iterable[str] = ()) -> None:
        self.key = key
        self.operator = operator
        self.values = tuple(values)

    def matches(self, labels: Mapping[str, str]) -> bool:
        op, has = self.operator, self.key in labels
        if op in (IN, EQUALS, DOUBLE_EQUALS):
            return has and labels[self.key] in self.values
        if op in (NOT_IN, NOT_EQUALS):
            return not has or labels[self.key] not in self.values
        if op == EXISTS:
            return has
        if op == DOES_NOT_EXIST:
            return not has
        if op in (GREATER_THAN, LESS_THAN) and has and len(self.values) == 1:
            mine, theirs = parse_int64(labels[self.key]), parse_int64(self.values[0])
            if mine is None or theirs is None:  # (strconv.ParseInt failed: no match)
                return False
            return mine > theirs if op == GREATER_THAN else mine < theirs
        return False

    def __str__(self) -> str:
        op = self.operator
        if op == EXISTS:
            return self.key
        if op == DOES_NOT_EXIST:
            return "!" + self.key
        values = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if op in (IN, NOT_IN):
            return f"{self.key} {op} ({values})"
        symbol = {GREATER_THAN: ">", LESS_THAN: "<"}.get(op, op)
        return f"{self.key}{symbol}{values}"

    def __repr__(self) -> str:
        return f"Requirement({self.key!r}, {self.operator!r}, {list(self.values)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Requirement) and (self.key, self.operator, self.values) == (
            other.key, other.operator, other.values)


def new_requirement(key: str, operator: str, values: Iterable[str] = ()) -> Requirement:
    """NewRequirement: validates the key, the operator's value count and each value."""
    values = list(values)
    errs: list[field.FieldError] = []
    for msg in is_qualified_name(key):
        errs.append(field.invalid("key", key, msg))
    vpath = field.Path("values")
    if operator in (IN, NOT_IN) and not values:
        errs.append(field.invalid(vpath, values, "for 'in', 'notin' operators, values set can't be empty"))
    elif operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS) and len(values) != 1:
        errs.append(field.invalid(vpath, values, "exact-match compatibility requires one single value"))
    elif operator in (EXISTS, DOES_NOT_EXIST) and values:
        errs.append(field.invalid(vpath, values, "values set must be empty for exists and does not exist"))
    elif operator in (GREATER_THAN, LESS_THAN):
        if len(values) != 1:
            errs.append(field.invalid(vpath, values,
                                      "for 'Gt', 'Lt' operators, exactly one value is required"))
        for i, v in enumerate(values):
            if not _is_int(v):
                errs.append(field.invalid(vpath.index(i), v,
                                          "for 'Gt', 'Lt' operators, the value must be an integer"))
    elif operator not in (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, EXISTS, DOES_NOT_EXIST):
        errs.append(field.not_supported("operator", operator, BINARY_OPERATORS + [EXISTS, DOES_NOT_EXIST]))
    for i, v in enumerate(values):
        msgs = is_valid_label_value(v)
        if msgs:
            errs.append(field.invalid(vpath.index(i).key(key), v, "; ".join(msgs)))
    if errs:
        raise SelectorParseError(field.aggregate(errs))
    return Requirement(key, operator, values)


def parse_int64(value: Any) -> int | None:
    """strconv.ParseInt(value, 10, 64): the integer, or None (an optional sign and digits only: no
    spaces, no ``_`` as Python's ``int`` allows, within 64 bits)."""
    text = str(value)
    if not _INT64.fullmatch(text):
        return None
    number = int(text)
    return number if -(2**63) <= number < 2**63 else None


def _is_int(v: str) -> bool:
    return parse_int64(v) is not None


class Selector:
    """An AND of requirements (labels.Selector). ``Selector.nothing()`` matches no labels at all."""

    __slots__ = ("requirements", "_nothing")

    def __init__(self, requirements: Iterable[Requirement] = (), nothing: bool = False) -> None:
        self.requirements = tuple(sorted(requirements, key=lambda r: r.key))
        self._nothing = nothing

    @classmethod
    def everything(cls) -> "Selector":
        return cls()

    @classmethod
    def nothing(cls) -> "Selector":
        return cls(nothing=True)

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self._nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        """True when the selector selects everything (Everything())."""
        return not self._nothing and not self.requirements

    def requires_exact_match(self, label: str) -> str | None:
        for r in self.requirements:
            if r.key == label:
                if r.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(r.values) == 1:
                    return r.values[0]
                return None
        return None

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    def __repr__(self) -> str:
        return "Selector.nothing()" if self._nothing else f"Selector({str(self)!r})"


def selector_from_set(labels: Mapping[str, str] | None) -> Selector:
    """SelectorFromSet: ``key=value`` for every pair (no validation)."""
    return Selector(Requirement(k, EQUALS, [v]) for k, v in (labels or {}).items())


def selector_from_label_selector(ls: dict | None) -> Selector:
    """LabelSelectorAsSelector: None selects nothing, ``{}`` selects everything."""
    if ls is None:
        return Selector.nothing()
    match_labels = ls.get("matchLabels") or {}
    expressions = ls.get("matchExpressions") or []
    reqs = [new_requirement(k, EQUALS, [v]) for k, v in match_labels.items()]
    ops = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}
    for expr in expressions:
        operator = expr.get("operator", "")
        if operator not in ops:
            quoted = field.go_quote(str(operator))
            raise SelectorParseError(f"{quoted} is not a valid label selector operator")
        reqs.append(new_requirement(expr.get("key", ""), ops[operator], list(expr.get("values") or [])))
    return Selector(reqs)


# The string grammar lives in selector_parser.py, which builds on the classes above; its two entry
# points stay importable from here (chapter 05 and kubectl import them from this module).
from k8slearn.api.selector_parser import parse_selector, parse_to_label_selector  # noqa: E402, F401
