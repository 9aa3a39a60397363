"""``kubectl explain``: the fields of a resource, from the OpenAPI v3 schema the API server publishes.

``kubectl explain pods.spec.containers`` reads the path as JSONPath, finds the resource named by its
first field (and its group: ``deployments.apps``), then walks the rest through the schema, following
``$ref``, ``allOf``, array items and map values, and prints it as kubectl v1.32's ``plaintext``
template does: ``KIND``/``VERSION`` (and ``GROUP``), the ``FIELD`` with its type guess (``<[]Container>``,
``<map[string]string>``, ``<IntOrString>``), its ``ENUM``, the description wrapped at 76 columns as
go-wordwrap does, and the ``FIELDS`` below it, or all of them nested with ``--recursive``.

The schemas are Kubernetes v1.32's, shipped in ``k8slearn/api/openapi_v1_32.json.gz`` (made by
``tools/gen_openapi_schema.py``). Simplified: ``Quantity`` and ``IntOrString`` have no description
of their own there, so explaining a field of those types prints only the field's description;
``-o plaintext-openapiv2`` (the old template, from ``/openapi/v2`` in protobuf) is not available.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/explain/explain.go,
staging/src/k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl, github.com/mitchellh/go-wordwrap.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

from k8slearn.api.resources import RESOURCES, ResourceInfo, UnknownResourceError, lookup
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import ExitSilently, KubectlError
from k8slearn.kubectl.jsonpath import JSONPathError, _actions, _parse

__all__ = ["explain", "word_wrap"]

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "api" / "openapi_v1_32.json.gz"
REF_PREFIX = "#/components/schemas/"


class FieldNotFound(Exception):
    """The path names no field; str() is kubectl's message (it names the path's last element)."""


@lru_cache(maxsize=1)
def schemas() -> dict[str, dict]:
    return json.loads(gzip.decompress(SCHEMA_FILE.read_bytes()))["schemas"]


def word_wrap(text: str, limit: int) -> str:
    """go-wordwrap's ``WrapString``: break at spaces so lines stay within ``limit``; keep newlines;
    a word longer than the limit gets a line of its own.

    >>> word_wrap("the quick brown fox jumps", 10)
    'the quick\\nbrown fox\\njumps'
    >>> word_wrap("see https://example.com/a/very/long/path now", 12)
    'see\\nhttps://example.com/a/very/long/path\\nnow'
    """
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []
    for char in text:
        if char == "\n":
            if not word:
                if current + len(space) <= limit:
                    out += space
            else:
                out += space + word
            space, word = [], []
            out.append(char)
            current = 0
        elif char.isspace() and char != "\u00a0":
            if not space or word:
                current += len(space) + len(word)
                out += space + word
                space, word = [], []
            space.append(char)
        else:
            word.append(char)
            if current + len(space) + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= limit:
            out += space
    else:
        out += space + word
    return "".join(out)


def indent(amount: int, text: str) -> str:
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


def resolve(schema: dict) -> dict | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(REF_PREFIX):
        return schemas().get(ref[len(REF_PREFIX):])
    return None


def type_guess(schema: dict) -> str:
    """The template's ``typeGuess``: ``string``, ``[]Container``, ``map[string]string``, ``Object``..."""
    if schema.get("items"):
        return "[]" + type_guess(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict) and schema["additionalProperties"]:
        return "map[string]" + type_guess(schema["additionalProperties"])
    if schema.get("allOf") and not schema.get("properties") and len(schema["allOf"]) == 1:
        return type_guess(schema["allOf"][0])
    if schema.get("$ref"):
        target = resolve(schema)
        if not target or not target.get("type") or target["type"] == "object":
            return schema["$ref"].split("/")[-1].split(".")[-1] or "Object"
        return target["type"]
    return "Object" if schema.get("type") == "object" else (schema.get("type") or "Object")


def enum_text(schema: dict, long_view: bool, limit: int = -1, indent_amount: int = 0) -> str:
    values = schema.get("enum")
    if not values:
        return ""
    text = "ENUM:" if long_view else "\n" + " " * indent_amount + "enum: "
    for index, value in enumerate(values):
        if limit > -1 and index >= limit:
            text += ", ...."
            break
        if index > 0 and not long_view:
            text += ", "
        elif long_view:
            text += "\n    "
        text += '""' if value == "" else str(value)
    return text


def description(schema: dict) -> str:
    """The template's ``description``: this schema's and those of what it refers to, a line each."""
    schema = resolve(schema) or schema
    text = schema["description"] + "\n" if schema.get("description") else ""
    for part in schema.get("allOf", []):
        text += description(part)
    if schema.get("items"):
        text += description(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict) and schema["additionalProperties"]:
        text += description(schema["additionalProperties"])
    return text


def field_detail(name: str, parent: dict, short: bool, level: int) -> str:
    amount = level * 2
    field = parent["properties"][name]
    text = indent(amount, name) + "\t<" + type_guess(field) + ">"
    if name in parent.get("required", []):
        text += " -required-"
    text += enum_text(field, long_view=False, limit=4, indent_amount=amount) + "\n"
    if not short:
        text += indent(amount + 2, word_wrap(field.get("description") or "<no description>", 78 - amount))
        text += "\n\n"
    return text


def field_list(schema: dict, level: int, recursive: bool, history: frozenset = frozenset()) -> str:
    """The template's ``fieldList``: each field (in name order), or the whole tree with --recursive;
    a type met again on the way down is not expanded again."""
    ref = schema.get("$ref") or ""
    if ref and ref in history:
        return ""
    history = history | {ref}
    resolved = resolve(schema) or schema
    text = ""
    for name in sorted(resolved.get("properties", {})):
        text += field_detail(name, resolved, recursive, level)
        if recursive:
            text += field_list(resolved["properties"][name], level + 1, recursive, history)
    for part in resolved.get("allOf", []):
        text += field_list(part, level, recursive, history)
    if resolved.get("items"):
        text += field_list(resolved["items"], level, recursive, history)
    if isinstance(resolved.get("additionalProperties"), dict) and resolved["additionalProperties"]:
        text += field_list(resolved["additionalProperties"], level, recursive, history)
    return text


def output(schema: dict, path: list[str], recursive: bool, history: frozenset = frozenset()) -> str:
    """The template's ``output``: follow ``path`` down the schema, then describe where it ends."""
    ref = schema.get("$ref") or ""
    next_history = history | {ref}
    resolved = resolve(schema) or schema
    if not path:
        text = "DESCRIPTION:\n" + indent(4, word_wrap(description(resolved) or "<empty>", 76)) + "\n"
        fields = field_list(resolved, 1, recursive)
        return text + ("FIELDS:\n" + fields if fields else "")
    if ref and ref in history:
        return ""
    properties = resolved.get("properties") or {}
    if path[0] in properties:
        sub = properties[path[0]]
        text = ""
        if len(path) == 1:
            text = f"FIELD: {path[0]} <{type_guess(sub)}>\n" + enum_text(sub, long_view=True) + "\n\n"
        return text + output(sub, path[1:], recursive)
    if resolved.get("items"):
        return output(resolved["items"], path, recursive, next_history)
    if isinstance(resolved.get("additionalProperties"), dict) and resolved["additionalProperties"]:
        return output(resolved["additionalProperties"], path, recursive, next_history)
    for part in resolved.get("allOf", []):
        text = output(part, path, recursive, next_history)
        if text:
            return text
    return ""


def path_nodes(text: str) -> list[tuple]:
    """kubectl's jsonPathParse: the path read as the JSONPath ``{.PATH}`` (one trailing dot dropped)."""
    text = text.removesuffix(".")
    parts = _actions("{." + text + "}")
    if len(parts) != 1 or parts[0][0] != "action":
        raise KubectlError("must pass in 1 jsonpath string")
    return _parse(parts[0][1])


def field_names(nodes: list[tuple], message: str) -> list[str]:
    if any(node[0] != "field" for node in nodes):
        raise KubectlError(f"invalid jsonpath syntax, {message}")
    return [node[1] for node in nodes]


def find_resource(path: str, api_version: str) -> tuple[ResourceInfo, list[str]]:
    """``deployments.apps.spec.paused`` -> (deployments, [spec, paused]), as kubectl's
    SplitAndParseResourceRequestWithMatchingPrefix: the path is read as JSONPath; its first field
    names the resource, and when the path starts with ``<resource>.<group>`` as written
    (``deployments.apps``) the fields come after it, otherwise after the first field
    (``deploy.apps.spec`` is the field ``apps``). With ``--api-version`` the resource is the first
    field only (SplitAndParseResourceRequest), and the group/version must serve it."""
    try:
        nodes = path_nodes(path)
    except JSONPathError as exc:
        raise KubectlError(str(exc)) from None
    if not nodes or nodes[0][0] != "field":
        raise KubectlError("invalid jsonpath syntax, first node must be field node")
    info = lookup(nodes[0][1])
    if api_version:
        fields = field_names(nodes[1:], "all nodes must be field nodes")
        if api_version.count("/") > 1:
            raise KubectlError(f"unexpected GroupVersion string: {api_version}")
        group, _, version = api_version.rpartition("/")
        gvr = f"{group}/{version}, Resource={info.plural}"
        if api_version not in {r.api_version for r in RESOURCES.values()}:
            raise KubectlError(f'couldn\'t find resource for "{gvr}"')
        if api_version != info.api_version:
            raise KubectlError(f"GVR ({gvr}) not found in OpenAPI schema")
        return info, fields
    group_resource = info.plural + (f".{info.group}" if info.group else "")
    if not path.startswith(group_resource):
        return info, field_names(nodes[1:], "first node must be field node")
    suffix = path[len(group_resource):]
    try:
        rest = path_nodes(suffix)[1:] if suffix else []
    except JSONPathError as exc:
        raise KubectlError(str(exc)) from None
    return info, field_names(rest, "first node must be field node")


def explain(path: str, recursive: bool = False, api_version: str = "") -> tuple[str, str]:
    """(stdout, error) of ``kubectl explain PATH``; error is "" when it worked.

    >>> print(explain("deploy.spec.paused")[0], end="")
    GROUP:      apps
    KIND:       Deployment
    VERSION:    v1
    <BLANKLINE>
    FIELD: paused <boolean>
    <BLANKLINE>
    <BLANKLINE>
    DESCRIPTION:
        Indicates that the deployment is paused.
    <BLANKLINE>
    <BLANKLINE>
    >>> explain("pods.spec.nope")[1]
    'error: field "nope" does not exist'
    """
    info, fields = find_resource(path, api_version)
    head = (f"GROUP:      {info.group}\n" if info.group else "") + f"KIND:       {info.kind}\n"
    head += f"VERSION:    {info.version}\n\n"
    gvk = {"group": info.group, "kind": info.kind, "version": info.version}
    root = next((schema for schema in schemas().values()
                 if gvk in schema.get("x-kubernetes-group-version-kind", [])), None)
    if root is None:  # (a served kind whose schema tools/gen_openapi_schema.py did not save)
        raise KubectlError(f"explain {info.plural} is not available in this simulated cluster")
    body = output(root, fields, recursive)
    if not body:
        return head, f'error: field "{fields[-1]}" does not exist'
    return head + body + "\n", ""


@command("explain")
def run_explain(ctx: Context, args: list[str]) -> int:
    if not args:
        raise KubectlError('You must specify the type of resource to explain. Use "kubectl api-resources" '
                           "for a complete list of supported resources.")
    if len(args) > 1:
        raise KubectlError("We accept only this format: explain RESOURCE")
    fmt = ctx.flags["output"]
    if fmt == "plaintext-openapiv2":
        raise KubectlError("-o plaintext-openapiv2 is not available in this simulated cluster (it needs "
                           "/openapi/v2 in protobuf); the default, -o plaintext, is")
    if fmt != "plaintext":
        raise KubectlError(f"unrecognized format: {fmt}")
    try:
        text, error = explain(args[0], ctx.flags["recursive"], ctx.flags["api-version"])
    except UnknownResourceError as exc:
        ctx.eprint(str(exc))
        raise ExitSilently(1) from None
    ctx.print(text, end="")
    if error:
        ctx.eprint(error)
        raise ExitSilently(1)
    return 0
