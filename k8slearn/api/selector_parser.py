"""The string form of a label selector, ``app=web,tier in (db,cache),!canary``: a lexer and a
recursive-descent parser, as in apimachinery's selector.go.

The lexer cuts the string into tokens (identifiers, operators, parentheses, commas); the parser
reads them as a comma-separated list of requirements and checks each with ``new_requirement``.
``parse_selector`` gives a :class:`~k8slearn.api.labels.Selector`; ``parse_to_label_selector``
gives the LabelSelector object (``{matchLabels, matchExpressions}``) that the string stands for.

>>> [lit for _, lit in _lex("tier in (db,cache),!canary")]
['tier', 'in', '(', 'db', ',', 'cache', ')', ',', '!', 'canary', '']
>>> str(parse_selector("tier in (db,cache), app=web, !canary"))
'app=web,!canary,tier in (cache,db)'
>>> parse_selector("tier in db")
Traceback (most recent call last):
k8slearn.api.labels.SelectorParseError: unable to parse requirement: found 'db' expected: '('

Simplifies: nothing beyond apimachinery's grammar; errors are raised as ``SelectorParseError``
(a ``ValueError``) whose text is apimachinery's.

Upstream: staging/src/k8s.io/apimachinery/pkg/labels/selector.go (Lexer, Parser, Parse),
staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go (ParseToLabelSelector)
"""

from __future__ import annotations

from k8slearn.api import field
from k8slearn.api.labels import (
    BINARY_OPERATORS, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, EXISTS, GREATER_THAN, IN, LESS_THAN, NOT_EQUALS,
    NOT_IN, Requirement, Selector, SelectorParseError, new_requirement,
)
from k8slearn.api.names import is_qualified_name


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
