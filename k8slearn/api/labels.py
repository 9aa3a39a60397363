"""Label selectors: ``app=web,tier in (db,cache),!canary``, parsed and matched like apimachinery.

``parse_selector`` reads the string form (``kubectl get -l ...``); ``selector_from_label_selector``
converts a ``{matchLabels, matchExpressions}`` dict (a Deployment's ``spec.selector``). Both give
a ``Selector`` that ANDs its requirements, sorted by key; ``str()`` is the canonical form.

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

from typing import Iterable, Mapping

from k8slearn.api import field
from k8slearn.api.fields import FieldSelector, parse_field_selector, supported_field_labels  # noqa: F401
from k8slearn.api.names import is_qualified_name, is_valid_label_value

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
            try:
                mine, theirs = int(labels[self.key]), int(self.values[0])
            except ValueError:
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


def _is_int(v: str) -> bool:
    try:
        int(v, 10)
    except ValueError:
        return False
    return v.strip() == v and "_" not in v


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


# --- the string grammar: a lexer and a recursive-descent parser, as in selector.go ---

_ERROR, _EOS, _CLOSE, _COMMA, _NOT, _DEQ, _EQ, _GT, _ID, _IN, _LT, _NEQ, _NOTIN, _OPEN = range(14)
_TOKENS = {")": _CLOSE, ",": _COMMA, "!": _NOT, "==": _DEQ, "=": _EQ, ">": _GT, "in": _IN,
           "<": _LT, "!=": _NEQ, "notin": _NOTIN, "(": _OPEN}
_SPECIAL = set("=!(),><")
_SPACE = set(" \t\r\n")


def _lex(s: str) -> list[tuple[int, str]]:
    items, i, n = [], 0, len(s)
    while True:
        while i < n and s[i] in _SPACE:
            i += 1
        if i >= n:
            items.append((_EOS, ""))
            return items
        if s[i] in _SPECIAL:
            j, best = i, None
            while j < n and s[j] in _SPECIAL:
                j += 1
                if s[i:j] in _TOKENS:
                    best = (j, _TOKENS[s[i:j]], s[i:j])
                elif best is not None:
                    j -= 1
                    break
            if best is None:
                items.append((_ERROR, f"error expected: keyword found '{s[i:j]}'"))
                i = j
            else:
                i = best[0]
                items.append((best[1], best[2]))
        else:
            j = i
            while j < n and s[j] not in _SPECIAL and s[j] not in _SPACE:
                j += 1
            word = s[i:j]
            items.append((_TOKENS.get(word, _ID), word))
            i = j


class _Parser:
    def __init__(self, s: str) -> None:
        self.items = _lex(s)
        self.pos = 0

    def peek(self, values: bool = True) -> tuple[int, str]:
        tok, lit = self.items[self.pos]
        return (_ID if values and tok in (_IN, _NOTIN) else tok), lit

    def take(self, values: bool = True) -> tuple[int, str]:
        item = self.peek(values)
        self.pos += 1
        return item

    def parse(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        while True:
            tok, lit = self.peek()
            if tok in (_ID, _NOT):
                try:
                    reqs.append(self.requirement())
                except SelectorParseError as err:
                    raise SelectorParseError(f"unable to parse requirement: {err}") from None
                tok, lit = self.take()
                if tok == _EOS:
                    return reqs
                if tok != _COMMA:
                    raise SelectorParseError(f"found '{lit}', expected: ',' or 'end of string'")
                t2, l2 = self.peek()
                if t2 not in (_ID, _NOT):
                    raise SelectorParseError(f"found '{l2}', expected: identifier after ','")
            elif tok == _EOS:
                return reqs
            else:
                raise SelectorParseError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> Requirement:
        operator = ""
        tok, key = self.take()
        if tok == _NOT:
            operator = DOES_NOT_EXIST
            tok, key = self.take()
        if tok != _ID:
            raise SelectorParseError(f"found '{key}', expected: identifier")
        msgs = is_qualified_name(key)
        if msgs:
            raise SelectorParseError(field.invalid("<nil>", key, "; ".join(msgs)).error())
        if self.peek()[0] in (_EOS, _COMMA):
            return new_requirement(key, operator or EXISTS, [])
        if operator == DOES_NOT_EXIST:
            return new_requirement(key, operator, [])
        tok, lit = self.take(values=False)
        ops = {_IN: IN, _EQ: EQUALS, _DEQ: DOUBLE_EQUALS, _GT: GREATER_THAN, _LT: LESS_THAN,
               _NOTIN: NOT_IN, _NEQ: NOT_EQUALS}
        if tok not in ops:
            raise SelectorParseError(f"found '{lit}', expected: {', '.join(BINARY_OPERATORS)}")
        operator = ops[tok]
        values = self.set_values() if operator in (IN, NOT_IN) else self.exact_value()
        return new_requirement(key, operator, sorted(values))

    def set_values(self) -> set[str]:
        tok, lit = self.take()
        if tok != _OPEN:
            raise SelectorParseError(f"found '{lit}' expected: '('")
        tok, lit = self.peek()
        if tok == _CLOSE:
            self.take()
            return {""}
        if tok not in (_ID, _COMMA):
            raise SelectorParseError(f"found '{lit}', expected: ',', ')' or identifier")
        values: set[str] = set()
        while True:
            tok, item = self.take()
            if tok == _ID:
                values.add(item)
                t2, l2 = self.peek()
                if t2 == _CLOSE:
                    break
                if t2 != _COMMA:
                    raise SelectorParseError(f"found '{l2}', expected: ',' or ')'")
            elif tok == _COMMA:
                if not values:
                    values.add("")
                t2, _ = self.peek()
                if t2 in (_CLOSE, _COMMA):
                    values.add("")
                if t2 == _CLOSE:
                    break
            else:
                raise SelectorParseError(f"found '{item}', expected: ',', or identifier")
        tok, _ = self.take()
        if tok != _CLOSE:
            raise SelectorParseError(f"found '{lit}', expected: ')'")
        return values

    def exact_value(self) -> set[str]:
        if self.peek()[0] in (_EOS, _COMMA):
            return {""}
        tok, lit = self.take()
        if tok == _ID:
            return {lit}
        raise SelectorParseError(f"found '{lit}', expected: identifier")


def parse_selector(s: str) -> Selector:
    """labels.Parse: the string form of a label selector; raises ``SelectorParseError`` (a ValueError)."""
    return Selector(_Parser(s).parse())


def parse_to_label_selector(s: str) -> dict:
    """metav1.ParseToLabelSelector: the string form as a LabelSelector object. ``=``/``==`` become
    ``matchLabels``, the other operators ``matchExpressions`` (``!=``, ``>``, ``<`` are refused).

    >>> parse_to_label_selector("app=web, tier in (db,cache), !canary")
    {'matchLabels': {'app': 'web'}, 'matchExpressions': [{'key': 'canary', 'operator': 'DoesNotExist'}, {'key': 'tier', 'operator': 'In', 'values': ['cache', 'db']}]}
    >>> parse_to_label_selector("")
    {}
    """
    try:
        requirements = _Parser(s).parse()
    except SelectorParseError as err:
        raise SelectorParseError(f'couldn\'t parse the selector string "{s}": {err}') from None
    match_labels: dict[str, str] = {}
    expressions: list[dict] = []
    names = {IN: "In", NOT_IN: "NotIn", EXISTS: "Exists", DOES_NOT_EXIST: "DoesNotExist"}
    for req in sorted(requirements, key=lambda r: r.key):  # ParseToRequirements sorts by key
        if req.operator in (EQUALS, DOUBLE_EQUALS):
            match_labels[req.key] = req.values[0]
        elif req.operator in (GREATER_THAN, LESS_THAN):
            raise SelectorParseError(f'"{req.operator}" isn\'t supported in label selectors')
        elif req.operator in names:
            expression: dict = {"key": req.key, "operator": names[req.operator]}
            if req.values:
                expression["values"] = list(req.values)
            expressions.append(expression)
        else:
            raise SelectorParseError(f'"{req.operator}" is not a valid label selector operator')
    selector: dict = {}
    if match_labels:
        selector["matchLabels"] = dict(sorted(match_labels.items()))
    if expressions:
        selector["matchExpressions"] = expressions
    return selector
