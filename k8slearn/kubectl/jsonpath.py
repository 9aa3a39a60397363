"""The JSONPath behind ``-o jsonpath=``, ``-o custom-columns=``, ``--sort-by`` and ``wait --for=jsonpath``.

A template is text with ``{...}`` actions: ``{.metadata.name}``, ``{.items[*].spec.nodeName}``,
``{.status.conditions[?(@.type=="Ready")].status}``, ``{range .items[*]}{.metadata.name}{"\\n"}{end}``.
Several results of one action are joined by spaces; maps and lists print as compact JSON;
missing keys print nothing (kubectl's ``--allow-missing-template-keys=true``; ``false`` makes them errors).

>>> pods = {"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}
>>> jsonpath("{.items[*].metadata.name}", pods)
'a b'
>>> jsonpath('{range .items[*]}{.metadata.name}{"\\\\n"}{end}', pods)
'a\\nb\\n'
>>> jsonpath("{.data.ca\\\\.crt} {@.kind} {$.items[-1:].metadata.name}", {"data": {"ca.crt": "PEM"}, "kind": "List",
...          "items": pods["items"]})
'PEM List b'

It models client-go's two steps. The parser (parser.go) turns each action into nodes: fields
(``.a``, with ``\\.`` escaping a dot inside a key), ``*``, ``..``, ``[i]``/``[a:b:c]`` slices,
``['key']``, unions ``[0,2]``, filters ``[?(@.x==...)]``, quoted text, numbers, ``true``/``false``
and the identifiers ``range``/``end``; ``@`` and ``$`` (the current object) are skipped. The
evaluator (jsonpath.go) walks them: an index outside the list is an error
(``array index out of bounds: index 3, length 1``), as are slicing a non-list, comparing several
values at once, an unknown filter operator or identifier, and a stray ``{end}``. kubectl's
JSONPathPrinter then wraps such an error with the template and a Go ``%#v`` dump of the object
(see ``_printer_error``); a parse error reads ``error parsing jsonpath <template>, <reason>``.
``--sort-by``'s keys and comparison are in :mod:`k8slearn.kubectl.sorter`.

Simplified: numbers compare as numbers whatever their Go type (client-go compares an int64 field
with an int literal only after its own conversions); an error inside a filter's left side means
"no match" instead of client-go's partial values; floats print as Python does; ``--sort-by``
treats an evaluation error as a missing value; ``jsonpath-as-json`` prints Python's indented JSON.

Upstream: staging/src/k8s.io/client-go/util/jsonpath (parser.go, jsonpath.go, node.go),
staging/src/k8s.io/client-go/third_party/forked/golang/template/funcs.go (filter comparisons),
staging/src/k8s.io/cli-runtime/pkg/printers/jsonpath.go (JSONPathPrinter.PrintObj),
staging/src/k8s.io/cli-runtime/pkg/genericclioptions/jsonpath_flags.go (the parse error),
staging/src/k8s.io/cli-runtime/pkg/printers/customcolumn.go, kubectl/pkg/cmd/get/sorter.go
"""

from __future__ import annotations

import contextvars
import json
import re
from typing import Any

from k8slearn.api.field import go_float as _go_float
from k8slearn.api.field import go_quote as _go_quote
from k8slearn.api.field import go_type_of as _go_type
from k8slearn.kubectl import tabwriter

__all__ = ["JSONPathError", "JSONPathExecutionError", "custom_columns", "custom_columns_from_template",
           "evaluate", "jsonpath"]

Node = tuple  # ("field", name), ("wildcard",), ("recursive",), ("array", params), ("union", [nodes, ...]),
#               ("filter", left, operator, right), ("text", s), ("int", n), ("float", f), ("bool", b),
#               ("identifier", name)

_TERMINATORS = frozenset(" \t\r\n.,[]$@{}")  # isTerminator: where a field or identifier ends
_SLICE = re.compile(r"(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?")  # sliceOperatorRex
_DICT_KEY = re.compile(r"'([^']*)'")  # dictKeyRex
_FILTER = re.compile(r"([^!<>=]+)([!<>=]+)(.+?)")  # parseFilter's left, operator, right
_OPERATORS = ("<", ">", "==", "!=", "<=", ">=")


class JSONPathError(ValueError):
    """A template kubectl cannot use; str() is the message after ``error: ``."""


class JSONPathExecutionError(JSONPathError):
    """An error while walking the data (jsonpath.go's FindResults); str() is client-go's text."""


# JSONPath.AllowMissingKeys: kubectl's printers set it from --allow-missing-template-keys (default true);
# false makes a field no value has an error (``nope is not found``). Set for one jsonpath() call.
_ALLOW_MISSING_KEYS: contextvars.ContextVar[bool] = contextvars.ContextVar("allow_missing_keys", default=True)


# --- the parser (parser.go) ---------------------------------------------------------------------

def _actions(template: str) -> list[tuple[str, str]]:
    """Split a template into ("text", s) and ("action", s) parts."""
    parts, i = [], 0
    while i < len(template):
        start = template.find("{", i)
        if start < 0:
            parts.append(("text", template[i:]))
            break
        if start > i:
            parts.append(("text", template[i:start]))
        depth, j, quote = 0, start, ""
        while j < len(template):
            ch = template[j]
            if quote:
                if ch == "\\":
                    j += 1
                elif ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= len(template):  # (parseQuote reads on to the end of the whole template)
            reason = "unterminated quoted string" if quote else "unclosed action"
            raise JSONPathError(f"error parsing jsonpath {template}, {reason}")
        parts.append(("action", template[start + 1:j].strip()))
        i = j + 1
    return parts


def _parse(text: str) -> list[Node]:
    """parseInsideAction: the nodes of one action (the text between ``{`` and ``}``).

    >>> _parse(r"@.data.ca\\.crt")
    [('field', 'data'), ('field', 'ca.crt')]
    >>> _parse("range .items[*]")
    [('identifier', 'range'), ('field', 'items'), ('array', ((False, 0, False), (False, 0, False), (False, 0, False)))]
    >>> _parse(".a || .b")
    Traceback (most recent call last):
    ...
    k8slearn.kubectl.jsonpath.JSONPathError: unrecognized character in action: U+007C '|'
    """
    nodes: list[Node] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("[?(", i):
            i = _parse_filter(text, i, nodes)
            continue
        if text.startswith("..", i):
            if nodes and nodes[-1][0] == "recursive":
                raise JSONPathError("invalid multiple recursive descent")
            nodes.append(("recursive",))
            i += 2
            if i < n and _is_alphanumeric(text[i]):
                i = _parse_field(text, i, nodes)
            continue
        ch = text[i]
        if ch in "\r\n":
            raise JSONPathError("unclosed action")
        if ch in " @$":  # a space, or the current object: just pass it
            i += 1
        elif ch == "[":
            i = _parse_array(text, i, nodes)
        elif ch in "\"'":
            i = _parse_quote(text, i, nodes)
        elif ch == ".":
            i = _parse_field(text, i + 1, nodes)
        elif ch in "+-" or ch.isdecimal():
            i = _parse_number(text, i, nodes)
        elif _is_alphanumeric(ch):
            i = _parse_identifier(text, i, nodes)
        else:
            raise JSONPathError(f"unrecognized character in action: {_go_rune(ch)}")
    return nodes


def _is_alphanumeric(ch: str) -> bool:
    return ch == "_" or ch.isalpha() or ch.isdecimal()


def _go_rune(ch: str) -> str:
    """fmt's ``%#U``: ``U+007C '|'``."""
    code = f"U+{ord(ch):04X}"
    return f"{code} '{ch}'" if ch.isprintable() else code


def _parse_field(text: str, i: int, nodes: list[Node]) -> int:
    """parseField/advance: up to the next terminator that is not backslash-escaped."""
    j = i
    while j < len(text) and text[j] not in _TERMINATORS:
        j += 2 if text[j] == "\\" else 1
    j = min(j, len(text))
    value = text[i:j]
    nodes.append(("wildcard",) if value == "*" else ("field", value.replace("\\", "")))
    return j


def _parse_identifier(text: str, i: int, nodes: list[Node]) -> int:
    j = i
    while j < len(text) and text[j] not in _TERMINATORS:
        j += 1
    value = text[i:j]
    nodes.append(("bool", value == "true") if value in ("true", "false") else ("identifier", value))
    return j


def _parse_number(text: str, i: int, nodes: list[Node]) -> int:
    j = i + 1 if text[i] in "+-" else i
    while j < len(text) and (text[j] == "." or text[j].isdecimal()):
        j += 1
    value = text[i:j]
    try:
        nodes.append(("int", int(value)))
    except ValueError:
        try:
            nodes.append(("float", float(value)))
        except ValueError:
            raise JSONPathError(f"cannot parse number {value}") from None
    return j


def _parse_quote(text: str, i: int, nodes: list[Node]) -> int:
    quote, j = text[i], i + 1
    while True:
        if j >= len(text) or text[j] == "\n":
            raise JSONPathError("unterminated quoted string")
        if text[j] == quote and text[j - 1] != "\\":
            break
        j += 1
    value = text[i:j + 1]
    try:
        nodes.append(("text", _unquote(value)))
    except UnicodeDecodeError:
        raise JSONPathError(f"unquote string {value} error invalid syntax") from None
    return j + 1


def _unquote(literal: str) -> str:
    inner = literal[1:-1]
    return inner.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in inner else inner


def _parse_array(text: str, i: int, nodes: list[Node]) -> int:
    """parseArray: ``[*]``, ``[i]``, ``[a:b:c]``, ``['key']`` or a union ``[x,y]``."""
    end = i + 1
    while end < len(text) and text[end] not in "]\n":
        end += 1
    if end >= len(text) or text[end] == "\n":
        raise JSONPathError("unterminated array")
    inner = text[i + 1:end]
    if inner == "*":
        inner = ":"
    pieces = inner.split(",")
    if len(pieces) > 1:
        nodes.append(("union", [_parse(f"[{piece.strip(' ')}]") for piece in pieces]))
        return end + 1
    key = _DICT_KEY.fullmatch(inner)
    if key:  # ['a.b'] is .a.b, as upstream re-parses the key as a field path
        nodes.extend(_parse("." + key.group(1)))
        return end + 1
    match = _SLICE.fullmatch(inner)
    if not match:
        raise JSONPathError(f"invalid array index {inner}")
    params: list[tuple[bool, int, bool]] = []  # (known, value, derived) for start, end, step
    for k, raw in enumerate(g or "" for g in match.groups()):
        if raw:
            raw = raw[1:] if k > 0 else raw
            if k > 0 and raw == "":
                params.append((False, 0, False))
                continue
            try:
                params.append((True, int(raw), False))
            except ValueError:
                raise JSONPathError(f"array index {raw} is not a number") from None
        elif k == 1:  # [i] is [i:i+1]
            params.append((True, params[0][1] + 1, True))
        else:
            params.append((False, 0, False))
    nodes.append(("array", tuple(params)))
    return end + 1


def _parse_filter(text: str, i: int, nodes: list[Node]) -> int:
    """parseFilter: ``[?(left op right)]`` or ``[?(path)]`` (exists)."""
    j, begin, end, pair = i + 3, False, False, ""
    while True:
        if j >= len(text) or text[j] == "\n":
            raise JSONPathError("unterminated filter")
        ch = text[j]
        j += 1
        if ch in "\"'":
            if not begin:
                begin, pair = True, ch
                continue
            if text[j - 2] != "\\" and ch == pair:
                end = True
        elif ch == ")" and begin == end:
            break
    if j >= len(text) or text[j] != "]":
        raise JSONPathError("unclosed array expect ]")
    inner = text[i + 3:j - 1]
    match = _FILTER.fullmatch(inner)
    if match is None:
        nodes.append(("filter", _parse(inner), "exists", []))
    else:
        nodes.append(("filter", _parse(match.group(1)), match.group(2), _parse(match.group(3))))
    return j + 1


# --- the evaluator (jsonpath.go) ----------------------------------------------------------------

def evaluate(path: str, value: Any) -> list[Any]:
    """All values the path reaches from ``value`` (missing keys give nothing).

    Raises JSONPathError for a path that does not parse and JSONPathExecutionError for one that
    fails on this data:

    >>> evaluate(".spec.containers[?(@.ready==true)].name", {"spec": {"containers": [
    ...     {"name": "a", "ready": False}, {"name": "b", "ready": True}]}})
    ['b']
    >>> evaluate(".items[3]", {"items": ["x"]})
    Traceback (most recent call last):
    ...
    k8slearn.kubectl.jsonpath.JSONPathExecutionError: array index out of bounds: index 3, length 1
    """
    return _walk([value], _parse(path.strip()))


def _walk(values: list[Any], nodes: list[Node]) -> list[Any]:
    """evalList: each node maps the current values to the next ones."""
    for node in nodes:
        values = _EVAL[node[0]](values, node)
    return values


def _children(value: Any) -> list[Any] | None:
    """iterHelper: a list's items, a map's values in key order; None if not iterable."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    return None


def _eval_field(values: list[Any], node: Node) -> list[Any]:
    """evalField: the key's value in each map; with no input there is no output, and a key no map
    has is ``<key> is not found`` unless missing keys are allowed."""
    found = [v[node[1]] for v in values if isinstance(v, dict) and node[1] in v]
    if values and not found and not _ALLOW_MISSING_KEYS.get():
        raise JSONPathExecutionError(f"{node[1]} is not found")
    return found


def _eval_wildcard(values: list[Any], node: Node) -> list[Any]:
    return [child for v in values for child in (_children(v) or [])]


def _eval_recursive(values: list[Any], node: Node) -> list[Any]:
    """evalRecursive: every iterable value, then what is below it, depth first."""
    found: list[Any] = []
    for v in values:
        children = _children(v)
        if children:
            found.append(v)
            found.extend(_eval_recursive(children, node))
    return found


def _eval_array(values: list[Any], node: Node) -> list[Any]:
    """evalArray: index or slice each list; out-of-range indexes are errors."""
    result: list[Any] = []
    (start_known, start, _), (end_known, end, end_derived), (step_known, step, _) = node[1]
    for v in values:
        if v is None:
            continue
        if not isinstance(v, list):
            raise JSONPathExecutionError(f"{_go_type(v)} is not array or slice")
        length = len(v)
        first = start if start_known else 0
        if first < 0:
            first += length
        last = end if end_known else length
        if last < 0 or (last == 0 and end_derived):
            last += length
        if last == first:  # asking for nothing is allowed -- and upstream stops here for every list
            return result
        if first >= length or first < 0:
            raise JSONPathExecutionError(f"array index out of bounds: index {first}, length {length}")
        if last > length or last < 0:
            raise JSONPathExecutionError(f"array index out of bounds: index {last - 1}, length {length}")
        if first > last:
            raise JSONPathExecutionError(f"starting index {first} is greater than ending index {last}")
        if step_known and step <= 0:
            raise JSONPathExecutionError("step must be > 0")
        result.extend(v[first:last:step if step_known else 1])
    return result


def _eval_union(values: list[Any], node: Node) -> list[Any]:
    return [found for nodes in node[1] for found in _walk(values, nodes)]


def _eval_text(values: list[Any], node: Node) -> list[Any]:
    return [node[1]]


def _eval_constant(values: list[Any], node: Node) -> list[Any]:
    return [node[1] for _ in values]


def _eval_identifier(values: list[Any], node: Node) -> list[Any]:
    if node[1] == "range":
        return values
    if node[1] == "end":
        raise JSONPathExecutionError("not in range, nothing to end")
    raise JSONPathExecutionError(f"unrecognized identifier {node[1]}")


def _eval_filter(values: list[Any], node: Node) -> list[Any]:
    """evalFilter: the items (or the value itself) whose left side passes the comparison."""
    _, left, operator, right = node
    results: list[Any] = []
    for v in values:
        items = _children(v)
        for item in (items if items is not None else [v]):
            try:
                lefts = _walk([item], left)
            except JSONPathExecutionError:  # ignored with allowMissingKeys, as kubectl sets it
                if not _ALLOW_MISSING_KEYS.get() and operator != "exists":
                    raise
                lefts = []
            rights = _walk([item], right)
            if not lefts:
                continue
            if len(lefts) > 1:
                raise JSONPathExecutionError("can only compare one element at a time")
            if operator == "exists":
                results.append(item)
                continue
            if not rights:
                continue
            if len(rights) > 1:
                raise JSONPathExecutionError("can only compare one element at a time")
            if _compare(operator, lefts[0], rights[0]):
                results.append(item)
    return results


_EVAL = {"field": _eval_field, "wildcard": _eval_wildcard, "recursive": _eval_recursive,
         "array": _eval_array, "union": _eval_union, "filter": _eval_filter, "text": _eval_text,
         "int": _eval_constant, "float": _eval_constant, "bool": _eval_constant,
         "identifier": _eval_identifier}


def _basic_kind(value: Any) -> str | None:
    """funcs.go basicKind, with ints and floats as one kind (see the module docstring)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def _compare(operator: str, left: Any, right: Any) -> bool:
    """evalOperator: template.Equal/Less/...; a comparison of different kinds is simply false
    (and so ``!=`` is true), as client-go ignores those two errors."""
    if operator not in _OPERATORS:
        raise JSONPathExecutionError(f"unrecognized filter operator {operator}")
    kind = _basic_kind(left)
    if kind is None or kind != _basic_kind(right):
        return operator == "!="
    if operator in ("==", "!="):
        return (left == right) == (operator == "==")
    if kind == "bool":  # ordering bools is "invalid type for comparison", ignored
        return False
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[operator]


# --- printing (jsonpath.go PrintResults, cli-runtime printers/jsonpath.go) ----------------------

def _text(value: Any) -> str:
    """evalToText: maps and lists as JSON (encoding/json), ``null`` for a null, the rest as fmt's %v."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return _go_json(value)
    return str(value)


def _go_json(value: Any) -> str:
    """json.Marshal: compact, keys sorted, ``<``, ``>``, ``&``, U+2028 and U+2029 escaped."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    for ch, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                        ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, escaped)
    return text


def jsonpath(template: str, document: Any, as_json: bool = False, allow_missing_keys: bool = True) -> str:
    """Render a kubectl JSONPath template against one object (or a List).

    The whole template is parsed first; nothing is printed when evaluating it fails. With
    ``allow_missing_keys=False`` (``--allow-missing-template-keys=false``) a missing key fails:

    >>> jsonpath("{.kind}", {"kind": "Pod"}, allow_missing_keys=False)
    'Pod'
    >>> try:
    ...     jsonpath("{.metadata.nope}", {"metadata": {}}, allow_missing_keys=False)
    ... except JSONPathError as err:
    ...     print(str(err).splitlines()[0])
    error executing jsonpath "{.metadata.nope}": Error executing template: nope is not found. Printing more information for debugging the template:
    """
    parts: list[tuple[str, Any]] = []
    for kind, body in _actions(template):
        if kind == "text":
            parts.append((kind, body))
            continue
        try:
            parts.append((kind, _parse(body)))
        except JSONPathError as err:
            raise JSONPathError(f"error parsing jsonpath {template}, {err}") from None
    out: list[str] = []
    token = _ALLOW_MISSING_KEYS.set(allow_missing_keys)
    try:
        _render(parts, 0, len(parts), document, out, as_json)
    except JSONPathExecutionError as err:
        raise JSONPathError(_printer_error(template, document, err)) from None
    finally:
        _ALLOW_MISSING_KEYS.reset(token)
    return "".join(out)


def _render(parts: list, start: int, stop: int, data: Any, out: list[str], as_json: bool) -> None:
    i = start
    while i < stop:
        kind, body = parts[i]
        if kind == "text":
            out.append(body)
        elif body[:1] == [("identifier", "range")]:
            end = _matching_end(parts, i, stop)
            for item in _walk([data], body[1:]):
                _render(parts, i + 1, end, item, out, as_json)
            i = end
        else:
            values = _walk([data], body)
            out.append(json.dumps(values, indent=4) if as_json else " ".join(_text(v) for v in values))
        i += 1


def _matching_end(parts: list, i: int, stop: int) -> int:
    """The ``{end}`` closing the range at ``i``; without one the range runs to the template's end."""
    depth = 0
    for j in range(i + 1, stop):
        kind, body = parts[j]
        if kind == "action" and body[:1] == [("identifier", "range")]:
            depth += 1
        elif kind == "action" and body == [("identifier", "end")]:
            if depth == 0:
                return j
            depth -= 1
    return stop


def _printer_error(template: str, document: Any, err: Exception) -> str:
    r"""JSONPathPrinter.PrintObj's error: the jsonpath error, the template and a ``%#v`` dump.

    >>> lines = _printer_error("{.items[3]}", {"kind": "List", "items": []}, JSONPathExecutionError("boom")).split("\n")
    >>> lines[0]
    'error executing jsonpath "{.items[3]}": Error executing template: boom. Printing more information for debugging the template:'
    >>> lines[1:]
    ['\ttemplate was:', '\t\t{.items[3]}', '\tobject given to jsonpath engine was:', '\t\tmap[string]interface {}{"items":[]interface {}{}, "kind":"List"}', '', '', '']
    """
    debug = (f"Error executing template: {err}. Printing more information for debugging the template:\n"
             f"\ttemplate was:\n\t\t{template}\n"
             f"\tobject given to jsonpath engine was:\n\t\t{_go_syntax(document)}\n\n")
    return f"error executing jsonpath {_go_quote(template)}: {debug}\n"


def _go_syntax(value: Any) -> str:
    """fmt's ``%#v`` of unstructured data: maps with sorted keys, ``interface {}(nil)`` for null.

    >>> _go_syntax({"b": [1, 2.5, None], "a": {"x": True, "y": "q\\""}})
    'map[string]interface {}{"a":map[string]interface {}{"x":true, "y":"q\\\\""}, "b":[]interface {}{1, 2.5, interface {}(nil)}}'
    """
    if isinstance(value, dict):
        return "map[string]interface {}{" + ", ".join(
            f"{_go_quote(str(k))}:{_go_syntax(value[k])}" for k in sorted(value)) + "}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(_go_syntax(v) for v in value) + "}"
    if isinstance(value, str):
        return _go_quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, float):
        return _go_float(value)
    return str(value)


# --- custom columns ------------------------------------------------------------------------------

def _go_value(value: Any) -> str:
    """fmt's ``%v`` of unstructured data, as a custom column prints a value: ``map[app:web]``
    (keys sorted), ``[a b]``, ``<nil>``; strings as they are.

    >>> _go_value({"b": [1, {"k": "v"}], "a": None})
    'map[a:<nil> b:[1 map[k:v]]]'
    """
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_go_value(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(_go_value(v) for v in value) + "]"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    if isinstance(value, float):
        return _go_float(value)
    return str(value)


def custom_column_spec(spec: str) -> list[tuple[str, str]]:
    """NewCustomColumnsPrinterFromSpec: ``NAME:.metadata.name,...`` as (header, path) pairs."""
    if not spec:
        raise JSONPathError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        if ":" not in part:
            raise JSONPathError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        header, path = part.split(":", 1)
        columns.append((header, _relaxed_path(path)))
    return columns


_TEMPLATE_FORMAT = ("Expected format is one line of space separated headers, one line of space separated "
                    "column specs.")


def custom_columns_from_template(text: str) -> list[tuple[str, str]]:
    r"""NewCustomColumnsPrinterFromTemplate (``-o custom-columns-file=FILE``): the first line holds
    the headers, the second the paths, both split on whitespace; further lines are ignored.

    >>> custom_columns_from_template("NAME   NODE\n.metadata.name {.spec.nodeName}\n")
    [('NAME', '.metadata.name'), ('NODE', '.spec.nodeName')]
    """
    lines = text.splitlines()
    if not lines:
        raise JSONPathError(f"invalid template, missing header line. {_TEMPLATE_FORMAT}")
    if len(lines) < 2:
        raise JSONPathError(f"invalid template, missing spec line. {_TEMPLATE_FORMAT}")
    headers, specs = lines[0].split(), lines[1].split()
    if len(headers) != len(specs):
        raise JSONPathError(f"number of headers ({len(headers)}) and field specifications ({len(specs)}) "
                            "don't match")
    return [(header, _relaxed_path(spec)) for header, spec in zip(headers, specs)]


def _relaxed_path(path: str) -> str:
    """RelaxedJSONPathExpression, simplified: ``{.a.b}``, ``a.b`` and ``.a.b`` all mean ``.a.b``."""
    path = path.strip()
    if path.startswith("{") and path.endswith("}"):
        path = path[1:-1]
    return path if path.startswith((".", "[")) else "." + path


def custom_column_row(columns: list[tuple[str, str]], item: Any) -> str:
    """CustomColumnsPrinter.printOneObject: one object's cells, tab-separated, each value as fmt's %v
    (``<none>`` when the path finds nothing)."""
    cells = []
    for _, path in columns:
        values = evaluate(path, item)
        cells.append(",".join(_go_value(v) for v in values) if values else "<none>")
    return "\t".join(cells)


def custom_columns(columns: list[tuple[str, str]], items: list[dict],
                   no_headers: bool = False) -> tuple[str, JSONPathError | None]:
    r"""CustomColumnsPrinter.PrintObj: the printed text and the error that stopped it, if any. The
    header line is written first; only then are the columns' paths parsed, so a path that does not
    parse leaves the header printed (alone) before the error. An object a path fails on stops the
    printing there, after the rows before it.

    >>> custom_columns([("A", ".metadata.name"), ("B", ".x[")], [{"metadata": {"name": "web"}}])
    ('A     B\n', JSONPathError('unterminated array'))
    """
    lines = [] if no_headers else ["\t".join(h for h, _ in columns)]
    try:
        for _, path in columns:
            _parse(path)
        for item in items:
            lines.append(custom_column_row(columns, item))
    except JSONPathError as err:
        return _aligned(lines), err
    return _aligned(lines), None


def _aligned(lines: list[str]) -> str:
    return tabwriter.render("\n".join(lines) + "\n", **tabwriter.TABLE) if lines else ""
