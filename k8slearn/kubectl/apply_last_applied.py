"""``kubectl apply view-last-applied``: the configuration ``kubectl apply`` remembers for an object.

``kubectl apply`` keeps what you applied last in the annotation
``kubectl.kubernetes.io/last-applied-configuration`` (compact JSON). This command reads the
objects named by ``TYPE NAME``, ``TYPE/NAME``, ``-l`` or ``-f`` (always their live copies) and
prints that annotation as YAML (the default) or indented JSON, one object after the other. An
object named by type and name that has no annotation prints nothing (kubectl adds the file name to
the error, and with no file name it adds nothing); an object of a ``-f`` file without it is an error.

>>> print(json_indent('{"a":{},"b":["x",1]}\\n'), end="")
{
  "a": {},
  "b": [
    "x",
    1
  ]
}

``kubectl apply set-last-applied -f FILE`` does the opposite: it writes each file object, as
compact JSON, into the annotation of the live object (nothing else of the object changes), so
that the next ``kubectl apply`` computes its three-way merge from that file. An object without
the annotation is refused unless ``--create-annotation`` is given; one whose annotation already
holds that configuration prints ``set-last-applied NAME: no changes required.``

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/apply/apply_view_last_applied.go (Complete,
RunApplyViewLastApplied), staging/src/k8s.io/kubectl/pkg/util/apply.go (GetOriginalConfiguration),
staging/src/k8s.io/kubectl/pkg/cmd/apply/apply_set_last_applied.go (Validate, RunSetLastApplied),
staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go (GetApplyPatch)
"""

from __future__ import annotations

import json

from k8slearn.api.errors import ApiError
from k8slearn.kubectl.apply import (
    LAST_APPLIED, _info_string, dry_run_mode, file_infos, print_flags_format, print_result,
)
from k8slearn.kubectl.builder import Info
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError, add_source
from k8slearn.kubectl.get import infos_for
from k8slearn.kubectl.manifests import go_json
from k8slearn.kubectl.output import to_yaml
from k8slearn.kubectl.set_helper import no_resources_given

__all__ = ["json_indent", "run_set_last_applied", "run_view_last_applied", "strip_comments"]


@command("apply view-last-applied")
def run_view_last_applied(ctx: Context, args: list[str]) -> int:
    """Complete (collect each object's annotation; the first error ends the command before anything
    is printed), then RunApplyViewLastApplied (``-o`` is checked only when there is something to print)."""
    infos, errors = infos_for(ctx, args)
    if errors:
        raise errors[0]
    configs = []
    for info in infos:
        config = ((info.obj.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED)
        if config is None:
            if info.source:  # cmdutil.AddSourceToErr(message, source, nil)
                raise KubectlError(f"error when no last-applied-configuration annotation found on resource: "
                                   f'{info.name}\n "{info.source}": <nil>')
            continue  # (with no source, AddSourceToErr returns the nil error: nothing to say)
        configs.append(config)
    output = ctx.flags.get("output") or "yaml"
    for config in configs:
        if output == "json":
            ctx.print(json_indent(config), end="")
        elif output == "yaml":
            ctx.print(to_yaml(json.loads(config)), end="")  # yaml.JSONToYAML
        else:
            raise KubectlError(f"Unexpected -o output mode: {output}, the flag 'output' must be one of "
                               f"yaml|json\nSee '{ctx.path} -h' for help and examples")
    return 0


def json_indent(text: str) -> str:
    """Go's json.Indent(text, "", "  "): a newline and two spaces per level after ``{``, ``[`` and
    ``,``, a space after ``:``, empty ``{}``/``[]`` kept on one line, strings copied as they are,
    the whitespace at the end kept."""
    body = text.rstrip(" \t\r\n")
    out: list[str] = []
    depth, in_string, escaped, opened = 0, False, False, False
    for char in body.lstrip(" \t\r\n"):
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char in " \t\r\n":
            continue
        was_opened, opened = opened, False
        if was_opened and char not in "]}":  # the first element of a non-empty object or array
            out.append("\n" + "  " * depth)
        if char in "{[":
            depth, opened = depth + 1, True
            out.append(char)
        elif char in "]}":
            depth -= 1
            out.append(char if was_opened else "\n" + "  " * depth + char)
        elif char == ",":
            out.append(",\n" + "  " * depth)
        elif char == ":":
            out.append(": ")
        else:
            in_string = char == '"'
            out.append(char)
    return "".join(out) + text[len(body):]


def strip_comments(config: str | None) -> str:
    """cmdutil.StripComments: the text through yaml.ToJSON (compact JSON, keys sorted), which is how
    set-last-applied compares an annotation with a file object (``null`` for no annotation).

    >>> strip_comments('{"b":1,"a":{}}\\n'), strip_comments(None)
    ('{"a":{},"b":1}', 'null')
    """
    if config is None:
        return "null"
    try:
        return go_json(json.loads(config))
    except ValueError:  # (ManualStrip: the text without its comment lines)
        return "\n".join(line for line in config.split("\n") if not line.lstrip().startswith("#"))


@command("apply set-last-applied")
def run_set_last_applied(ctx: Context, args: list[str]) -> int:
    """Complete (the dry-run mode, the printer), Validate (for each file object in turn: read the
    live object, compare its annotation; the first error ends the command), then RunSetLastApplied
    (a JSON merge patch of the annotation for each object that differs, printed ``configured``)."""
    mode = dry_run_mode(ctx)
    print_flags_format(ctx)
    if not ctx.flags.get("filename"):
        raise no_resources_given()
    infos, errors = file_infos(ctx, validate=False)
    if errors:
        raise errors[0]
    changes = []
    for info in infos:
        config = go_json(info.obj)  # GetApplyPatch: the file object as json.Marshal writes it
        live = _live_object(ctx, info)
        original = ((live.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED)
        if original is None and not ctx.flags.get("create-annotation"):
            raise KubectlError(f"no last-applied-configuration annotation found on resource: {info.name}, "
                               "to create the annotation, run the command with --create-annotation")
        if strip_comments(original) != strip_comments(config):
            changes.append((info, live, config))
        else:
            ctx.print(f"set-last-applied {info.name}: no changes required.")
    for info, live, config in changes:
        result = live  # (a client dry run prints the live object as it was read)
        if mode != "client":
            result = ctx.client.patch(info.resource.plural, info.name,
                                      {"metadata": {"annotations": {LAST_APPLIED: config}}},
                                      namespace=info.namespace or None, patch_type="merge",
                                      dry_run=(mode == "server"))
        print_result(ctx, info.resource, result, "configured")
    return 0


def _live_object(ctx: Context, info: Info) -> dict:
    """info.Get(): the live object; a 404 as the server said it, any other error with the source."""
    try:
        return ctx.client.get(info.resource.plural, info.name, info.namespace or None)
    except ApiError as err:
        if err.code == 404:
            raise
        raise add_source(f"retrieving current configuration of:\n{_info_string(info)}\nfrom server for:",
                         info.source, err) from None
