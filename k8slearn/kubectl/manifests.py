"""Reading manifests the way ``kubectl apply -f`` does: YAML or JSON, several documents, errors.

kubectl first cuts the stream into documents at lines that start with ``---`` (apimachinery's
YAMLReader), converts each document from YAML to JSON, skips empty ones, checks that each has
``apiVersion`` and ``kind``, and flattens ``kind: List``. A syntax error stops the stream and is
reported in go-yaml's words, with go-yaml's line number (counted from the start of that
document, and for parser errors one less, a quirk of yaml.v2 kept here on purpose).
The true position is on the exception as ``line`` and ``column`` (1-based, whole text), and
``str()`` of the exception names both.

>>> docs = load_manifests("apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: dev\\n---\\n")
>>> [d["metadata"]["name"] for d in docs]
['dev']
>>> try:
...     load_manifests("apiVersion: v1\\nkind: Pod\\nmetadata:\\n  name: x\\n  labels: a: b\\n")
... except ManifestError as err:
...     print(err); print(err.line, err.column)
error parsing STDIN: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context (line 5, column 12)
5 12

Simplified: YAML is read by PyYAML (safe_load) and its messages are translated to go-yaml's;
rare problems keep PyYAML's own text. YAML 1.1 sexagesimal numbers (``1:20``) follow PyYAML.

Upstream: k8s.io/apimachinery/pkg/util/yaml/decoder.go, k8s.io/cli-runtime/pkg/resource/visitor.go,
sigs.k8s.io/yaml, gopkg.in/yaml.v2 (yaml.go fail(), scannerc.go, parserc.go)
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any, Iterator

import yaml
from yaml.composer import ComposerError
from yaml.scanner import ScannerError

from k8slearn.api.field import go_json

__all__ = ["ManifestError", "load_manifests", "iter_documents", "go_json"]

_VALIDATE_HINT = "; if you choose to ignore these errors, turn validation off with --validate=false"


class ManifestError(ValueError):
    """A manifest kubectl cannot read; ``.message`` is kubectl's message (without ``error: ``).

    ``str()`` adds where the problem is, line and column, for people reading a traceback in a
    notebook (kubectl itself names only the line).

    ``stops`` is True for errors that end the stream (syntax and validation errors); decode
    errors only skip their document, as kubectl's ContinueOnError visitor does.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 document: int = 0, stops: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.document = document
        self.stops = stops

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"line {self.line}" + (f", column {self.column}" if self.column is not None else "")
        return f"{self.message} ({where})"


def load_manifests(text: str, source: str = "STDIN", validate: bool = True) -> list[dict]:
    """All objects in ``text`` (Lists flattened, empty documents skipped); raises ManifestError."""
    objects = []
    for item in iter_documents(text, source, validate):
        if isinstance(item, ManifestError):
            raise item
        objects.append(item)
    return objects


def iter_documents(text: str, source: str = "STDIN", validate: bool = True) -> Iterator[Any]:
    """Yield each object, or a ManifestError in its place; nothing follows an error that stops."""
    if text.lstrip()[:1] == "{":
        chunks = _json_chunks(text, source)
    else:
        chunks = _yaml_chunks(text, source)
    for index, chunk in enumerate(chunks):
        if isinstance(chunk, ManifestError):
            chunk.document = index
            yield chunk
            return
        raw, obj = chunk
        if obj is None:
            continue
        if validate:
            problem = _validation_problem(obj)
            if problem:
                yield ManifestError(f'error validating "{source}": error validating data: '
                                    f"{problem}{_VALIDATE_HINT}", document=index)
                return
        yield from _decode(raw, obj, source, index)


# --- splitting and parsing -------------------------------------------------------------------

def _yaml_chunks(text: str, source: str) -> Iterator[Any]:
    """apimachinery's YAMLReader: documents end at lines beginning with ``---``."""
    lines = text.splitlines(keepends=True)
    start, buf = 0, []
    for number, line in enumerate(lines):
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                yield ManifestError(f"error parsing {source}: invalid Yaml document separator: {rest}")
                return
            if buf:
                yield _parse_yaml("".join(buf), start, source)
            start, buf = number + 1, []
            continue
        buf.append(line)
    if buf:
        yield _parse_yaml("".join(buf), start, source)


def _parse_yaml(chunk: str, first_line: int, source: str) -> Any:
    try:
        obj = yaml.safe_load(chunk)
    except yaml.MarkedYAMLError as exc:
        return _yaml_error(exc, chunk, first_line, source)
    except (ValueError, TypeError) as exc:  # a constructor refused a tagged value (!!int x)
        return ManifestError(f"error parsing {source}: error converting YAML to JSON: yaml: {exc}")
    if obj is None:
        return None, None
    return None, _to_json_value(obj)


def _json_chunks(text: str, source: str) -> Iterator[Any]:
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            at, msg = _at_token(exc, text)
            line = text.count("\n", 0, at) + 1
            yield ManifestError(f"error parsing {source}: {_go_json_error(at, msg, text)}",
                                line=line, column=at - text.rfind("\n", 0, at))
            return
        yield text[pos:end], obj
        pos = end


def _at_token(exc: json.JSONDecodeError, text: str) -> tuple[int, str]:
    """Where Go's decoder stops, and Python's message for it. Python 3.13 reports a trailing comma
    at the comma ("Illegal trailing comma before end of object"); Go, as earlier Pythons, at the
    token after it (``}`` where a key was expected)."""
    pos, msg = exc.pos, exc.msg
    if msg.startswith("Illegal trailing comma"):
        pos += 1
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        msg = "Expecting property name" if msg.endswith("object") else "Expecting value"
    return pos, msg


def _go_json_error(pos: int, msg: str, text: str) -> str:
    if pos >= len(text.rstrip()):
        return "unexpected EOF"
    char = text[pos]
    if msg.startswith("Expecting property name"):
        return f"json: offset {pos + 1}: invalid character '{char}' looking for beginning of object key string"
    return f"json: offset {pos + 1}: invalid character '{char}' looking for beginning of value"


# --- go-yaml's wording ------------------------------------------------------------------------

_SCANNER_PROBLEMS = [
    (r"mapping values are not allowed here", "mapping values are not allowed in this context"),
    (r"mapping keys are not allowed here", "mapping keys are not allowed in this context"),
    (r"sequence entries are not allowed here", "block sequence entries are not allowed in this context"),
    (r"found character .* that cannot start any token", "found character that cannot start any token"),
    (r"found unknown escape character", "found unknown escape character"),
    (r"expected alphabetic or numeric character", "did not find expected alphabetic or numeric character"),
    (r"expected a comment or a line break", "did not find expected comment or line break"),
    (r"found unexpected document separator", "found unexpected document indicator"),
]
_PARSER_PROBLEMS = [
    (r"expected ',' or '\]'", "did not find expected ',' or ']'"),
    (r"expected ',' or '\}'", "did not find expected ',' or '}'"),
    (r"expected the node content", "did not find expected node content"),
    (r"expected '<document start>'", "did not find expected <document start>"),
    (r"found undefined tag handle", "found undefined tag handle"),
]


def _yaml_error(exc: yaml.MarkedYAMLError, chunk: str, first_line: int, source: str) -> ManifestError:
    mark = exc.problem_mark
    line = column = None
    if mark is not None:
        line, column = first_line + mark.line + 1, mark.column + 1
    return ManifestError(f"error parsing {source}: error converting YAML to JSON: {go_yaml_error(exc, chunk)}",
                         line, column)


def go_yaml_error(exc: yaml.MarkedYAMLError, chunk: str) -> str:
    """go-yaml's message for what PyYAML could not parse in ``chunk``: ``yaml: line 5: ...``.

    >>> try:
    ...     yaml.safe_load("{bad json")
    ... except yaml.MarkedYAMLError as exc:
    ...     go_yaml_error(exc, "{bad json")
    "yaml: line 1: did not find expected ',' or '}'"
    """
    problem = exc.problem or "unknown problem parsing YAML content"
    mark, context_mark = exc.problem_mark, exc.context_mark
    prefix = "yaml: "
    if isinstance(exc, ComposerError) and "undefined alias" in problem:
        name = problem.split("'")[1] if "'" in problem else ""
        return f"{prefix}unknown anchor '{name}' referenced"
    scanner = isinstance(exc, ScannerError)
    if scanner:
        problem = _translate(problem, _SCANNER_PROBLEMS)
        if problem == "found character that cannot start any token" and _tab_breaks_scalar(chunk, mark):
            problem = "found a tab character that violates indentation"
    else:
        problem = _translate(problem, _PARSER_PROBLEMS)
        if problem.startswith("expected <block end>"):
            in_sequence = (exc.context or "").endswith("block collection")
            problem = "did not find expected '-' indicator" if in_sequence else "did not find expected key"
    # yaml.v2 fail(): scanner marks are reported 1-based, parser marks 0-based; line 0 is omitted.
    where = 0
    if mark is not None and not scanner and mark.index >= len(chunk) and mark.column != 0:
        where = mark.line + 1  # go-yaml's stream end starts a new line after a last line with no newline
    elif mark is not None and mark.line != 0:
        where = mark.line + 1 if scanner else mark.line
    elif context_mark is not None and context_mark.line != 0:
        where = context_mark.line
    text = f"line {where}: {problem}" if where else problem
    return prefix + text


def _translate(problem: str, table: list[tuple[str, str]]) -> str:
    for pattern, go_text in table:
        if re.search(pattern, problem):
            return go_text
    return problem


def _tab_breaks_scalar(chunk: str, mark: Any) -> bool:
    """A tab indenting the continuation of a plain scalar: go-yaml blames the indentation."""
    if mark is None or mark.column != 0:
        return False
    previous = [ln.rstrip() for ln in chunk.splitlines()[: mark.line] if ln.strip()]
    return bool(previous) and previous[-1][-1] not in ":-[{,"


# --- YAML to JSON, validation, decoding ------------------------------------------------------

def _to_json_value(value: Any) -> Any:
    """What sigs.k8s.io/yaml produces: string keys, integral floats as ints, dates as strings."""
    if isinstance(value, dict):
        return {_json_key(k): _to_json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_json_value(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(_to_json_value(key))


def _validation_problem(obj: Any) -> str:
    """kubectl's client-side check before anything is sent (``--validate=true``)."""
    if not isinstance(obj, dict):
        return "invalid object to validate"
    if obj.get("kind") == "List" and "items" in obj:
        items = obj["items"]
        if not isinstance(items, list):
            return "invalid object to validate"
        for item in items:
            problem = _validation_problem(item)
            if problem:
                return problem
        return ""
    missing = [f"{field} not set" for field in ("apiVersion", "kind") if not obj.get(field)]
    if len(missing) == 2:
        return "[" + ", ".join(missing) + "]"
    return missing[0] if missing else ""


_GO_TYPES = {str: "string", list: "array", bool: "bool", int: "number", float: "number"}


def _decode(raw: str | None, obj: Any, source: str, index: int) -> Iterator[Any]:
    if not isinstance(obj, dict):
        kind = _GO_TYPES.get(type(obj), "value")
        yield ManifestError(f'unable to decode "{source}": json: cannot unmarshal {kind} into Go value '
                            f"of type unstructured.detector", document=index, stops=False)
        return
    if not obj.get("kind") or not isinstance(obj["kind"], str):  # (GetKind reads only a string)
        shown = raw if raw is not None else go_json(obj)
        yield ManifestError(f"unable to decode \"{source}\": Object 'Kind' is missing in '{shown}'",
                            document=index, stops=False)
        return
    if obj.get("kind") == "List" and "items" in obj:
        items = obj["items"]
        if not isinstance(items, list):
            kind = _GO_TYPES.get(type(items), "value")
            yield ManifestError(f'unable to decode "{source}": json: cannot unmarshal {kind} into Go struct '
                                f"field decodeList.items of type []json.RawMessage", document=index, stops=False)
            return
        for item in items:
            yield from _decode(None, item, source, index)
        return
    yield obj

