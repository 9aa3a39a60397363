"""The JSONPath behind ``-o jsonpath=``, ``-o custom-columns=`` and ``--sort-by``.

A template is text with ``{...}`` actions: ``{.metadata.name}``, ``{.items[*].spec.nodeName}``,
``{.status.conditions[?(@.type=="Ready")].status}``, ``{range .items[*]}{.metadata.name}{"\\n"}{end}``.
Several results of one action are joined by spaces; maps and lists print as compact JSON;
missing keys print nothing (kubectl's ``--allow-missing-template-keys=true``).

>>> pods = {"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}
>>> jsonpath("{.items[*].metadata.name}", pods)
'a b'
>>> jsonpath('{range .items[*]}{.metadata.name}{"\\\\n"}{end}', pods)
'a\\nb\\n'

Simplified: filters support ``==``, ``!=``, ``<``, ``>`` and existence; no recursive ``..`` on lists
of lists; no ``$`` functions.

Upstream: staging/src/k8s.io/client-go/util/jsonpath (parser.go, jsonpath.go),
staging/src/k8s.io/cli-runtime/pkg/printers/customcolumn.go, kubectl/pkg/cmd/get/sorter.go
"""

from __future__ import annotations

import json
import re
from typing import Any

from k8slearn.kubectl import tabwriter

__all__ = ["JSONPathError", "jsonpath", "evaluate", "custom_columns", "sort_key"]

_MISSING = object()


class JSONPathError(ValueError):
    """A template kubectl cannot parse; str() is the message after ``error: ``."""


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
        if j >= len(template):
            raise JSONPathError(f"error parsing jsonpath {template}, unclosed action")
        parts.append(("action", template[start + 1:j].strip()))
        i = j + 1
    return parts


def _tokens(path: str) -> list[tuple[str, Any]]:
    """``.a['b'][0][*][?(@.x=="y")]`` into field/index/all/slice/filter tokens."""
    tokens, i = [], 0
    path = path.strip()
    if path.startswith("$"):
        path = path[1:]
    while i < len(path):
        ch = path[i]
        if path.startswith("..", i):
            m = re.match(r"\.\.([A-Za-z0-9_\-/]+|\*)", path[i:])
            if not m:
                raise JSONPathError(f"invalid path {path}")
            tokens.append(("recursive", m.group(1)))
            i += m.end()
        elif ch == ".":
            m = re.match(r"\.([A-Za-z0-9_\-/]+|\*)?", path[i:])
            name = m.group(1) if m else None
            if name == "*":
                tokens.append(("all", None))
            elif name:
                tokens.append(("field", name))
            i += m.end() if m else 1
        elif ch == "[":
            end = path.find("]", i)
            if end < 0:
                raise JSONPathError(f"unterminated array in {path}")
            if path.startswith("[?(", i):
                end = path.find(")]", i) + 1
            tokens.append(_bracket(path[i + 1:end]))
            i = end + 1
        else:
            raise JSONPathError(f"unrecognized character in action: {ch}")
    return tokens


def _bracket(inner: str) -> tuple[str, Any]:
    inner = inner.strip()
    if inner == "*":
        return ("all", None)
    if inner.startswith("?(") and inner.endswith(")"):
        return ("filter", inner[2:-1].strip())
    if inner[:1] in "'\"":
        return ("field", inner[1:-1])
    if ":" in inner:
        bounds = [int(b) if b.strip() else None for b in inner.split(":")[:2]]
        return ("slice", bounds)
    try:
        return ("index", int(inner))
    except ValueError:
        return ("field", inner)


def evaluate(path: str, value: Any) -> list[Any]:
    """All values the path reaches from ``value`` (missing branches give nothing)."""
    current = [value]
    for kind, arg in _tokens(path):
        nxt: list[Any] = []
        for item in current:
            nxt.extend(_step(kind, arg, item))
        current = nxt
    return current


def _step(kind: str, arg: Any, item: Any) -> list[Any]:
    if kind == "field":
        return [item[arg]] if isinstance(item, dict) and arg in item else []
    if kind == "all":
        return list(item.values()) if isinstance(item, dict) else list(item) if isinstance(item, list) else []
    if kind == "index":
        if isinstance(item, list) and -len(item) <= arg < len(item):
            return [item[arg]]
        return []
    if kind == "slice":
        return list(item[arg[0]:arg[1]]) if isinstance(item, list) else []
    if kind == "filter":
        return [x for x in (item if isinstance(item, list) else []) if _matches(arg, x)]
    if kind == "recursive":
        found = []
        stack = [item]
        while stack:
            node = stack.pop(0)
            if isinstance(node, dict):
                if arg in node:
                    found.append(node[arg])
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        return found
    return []


def _matches(expression: str, item: Any) -> bool:
    m = re.match(r"^@(\S*?)\s*(==|!=|<=|>=|<|>)\s*(.+)$", expression)
    if not m:
        return bool(evaluate(expression.lstrip("@"), item)) if expression.startswith("@") else False
    left = evaluate(m.group(1), item)
    if not left:
        return False
    right_text = m.group(3).strip()
    right: Any = right_text[1:-1] if right_text[:1] in "'\"" else _number(right_text)
    value = left[0]
    ops = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
           ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}
    try:
        return ops[m.group(2)](value, right)
    except TypeError:
        return False


def _number(text: str) -> Any:
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return str(value)


def jsonpath(template: str, document: Any, as_json: bool = False) -> str:
    """Render a kubectl JSONPath template against one object (or a List)."""
    parts = _actions(template)
    out: list[str] = []
    _render(parts, 0, len(parts), document, out, as_json)
    return "".join(out)


def _render(parts: list, start: int, stop: int, data: Any, out: list[str], as_json: bool) -> None:
    i = start
    while i < stop:
        kind, body = parts[i]
        if kind == "text":
            out.append(body)
        elif body.startswith("range "):
            end = _matching_end(parts, i, stop)
            for item in evaluate(body[6:], data):
                _render(parts, i + 1, end, item, out, as_json)
            i = end
        elif body == "end":
            pass
        elif body[:1] in "'\"":
            out.append(_unquote(body))
        else:
            values = evaluate(body, data)
            if as_json:
                out.append(json.dumps(values, indent=4))
            else:
                out.append(" ".join(_text(v) for v in values))
        i += 1


def _matching_end(parts: list, i: int, stop: int) -> int:
    depth = 0
    for j in range(i + 1, stop):
        kind, body = parts[j]
        if kind == "action" and body.startswith("range "):
            depth += 1
        elif kind == "action" and body == "end":
            if depth == 0:
                return j
            depth -= 1
    raise JSONPathError("not in range, nothing to end")


def _unquote(literal: str) -> str:
    inner = literal[1:-1]
    return inner.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in inner else inner


def custom_columns(spec: str, items: list[dict], no_headers: bool = False) -> str:
    """``-o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName``."""
    columns = []
    for part in spec.split(","):
        if ":" not in part:
            raise JSONPathError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        header, path = part.split(":", 1)
        path = path.strip()
        if path.startswith("{") and path.endswith("}"):
            path = path[1:-1]
        columns.append((header, path if path.startswith((".", "[")) else "." + path))
    lines = [] if no_headers else ["\t".join(h for h, _ in columns)]
    for item in items:
        cells = []
        for _, path in columns:
            values = evaluate(path, item)
            cells.append(",".join(_text(v) for v in values) if values else "<none>")
        lines.append("\t".join(cells))
    return tabwriter.render("\n".join(lines) + "\n", **tabwriter.TABLE) if lines else ""


def sort_key(obj: dict, expression: str) -> tuple:
    """``--sort-by``: numbers before strings, missing values first."""
    path = expression.strip()
    if path.startswith("{") and path.endswith("}"):
        path = path[1:-1]
    if not path.startswith((".", "[")):
        path = "." + path
    values = evaluate(path, obj)
    if not values:
        return (0, 0, "")
    value = values[0]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value, "")
    return (2, 0, _text(value))
