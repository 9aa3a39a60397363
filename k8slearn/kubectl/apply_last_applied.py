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

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/apply/apply_view_last_applied.go (Complete,
RunApplyViewLastApplied), staging/src/k8s.io/kubectl/pkg/util/apply.go (GetOriginalConfiguration)
"""

from __future__ import annotations

import json

from k8slearn.kubectl.apply import LAST_APPLIED
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError
from k8slearn.kubectl.get import infos_for
from k8slearn.kubectl.output import to_yaml

__all__ = ["json_indent", "run_view_last_applied"]


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
