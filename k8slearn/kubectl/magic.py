"""The notebook magics: ``%kubectl get pods`` and ``%%kubectl apply -f -`` (cell body on stdin).

They run on the current cluster (``k8slearn.cluster.current()``) and print what a terminal would
show, stdout and stderr in the order they were written, returning nothing so the cell shows clean text. A failed command
also prints nothing extra: the exit code is in ``k8slearn.kubectl.magic.last_result``.

A magic runs kubectl, not a shell: a line with a redirection, ``&&`` or ``;`` outside quotes, or a
pipe into anything but kubectl, is refused with one message on stderr (exit code 1) and nothing
reaches kubectl, instead of kubectl taking ``|``, ``grep`` and ``web`` for pod names. Quoted, they
are kubectl's words:

>>> shell_operator("get pods | grep web"), shell_operator("get pods -o jsonpath='{.a|b}'")
('|', '')

A pipe from kubectl into kubectl runs as the shell would run it, the documentation's way to make
an object from generated YAML (``%kubectl create deployment web --image=nginx --dry-run=client -o
yaml | kubectl apply -f -``): each command's stdout is the next one's stdin, every stderr shows as
it comes, and the exit code is the last command's:

>>> pipeline("create deployment web --image=nginx -o yaml | kubectl apply -f -")
['create deployment web --image=nginx -o yaml', 'apply -f -']
>>> pipeline("get pods | grep web") is None, pipeline("get pods") is None
(True, True)

Upstream: none (IPython's magic API); the commands are k8slearn.kubectl's.
"""

from __future__ import annotations

import itertools
import sys
from typing import Any

from k8slearn.kubectl.cli import Result, _without_comment

__all__ = ["kubectl_magic", "load_ipython_extension", "last_result", "shell_operator"]

last_result: Any = None

# what a shell would make of them (the longer spelling first), and what to do instead
SHELL_OPERATORS = {"&&": "a command list", "||": "a command list", ";": "a command list",
                   "|": "a pipe", ">>": "a redirection", ">": "a redirection", "<": "a redirection"}
NOT_A_SHELL = ('%kubectl runs kubectl only, not a shell, so it cannot run {what} ("{op}" outside quotes): '
               "nothing was run.\n")
INSTEAD = {
    "a command list": "Give each command its own %kubectl line.\n",
    "a pipe": "Let kubectl filter: -l app=web, --field-selector status.phase=Running, -o name, "
              "-o jsonpath='{.items[*].metadata.name}'; or use its text in Python: "
              'str(cluster.kubectl("get pods")).\n'
              "(A pipe into kubectl itself runs: ... -o yaml | kubectl apply -f -.)\n",
}
INSTEAD["a redirection"] = INSTEAD["a pipe"]


def shell_operator(line: str) -> str:
    """The first shell operator outside quotes and comments (``|``, ``>``, ``>>``, ``<``, ``&&``,
    ``||``, ``;``), or ``""``. Quotes and backslashes count as in ``shlex.split``, which kubectl
    uses to split the line: ``'a|b'``, ``"a|b"`` and ``a\\|b`` hold a plain ``|``.

    >>> [shell_operator(s) for s in ("api-resources | head -3", "get pods > pods.txt", "get ns; get pods")]
    ['|', '>', ';']
    >>> [shell_operator(s) for s in ('get pods -l "a|b"', r"get pods a\\|b", "get pods  # | grep web")]
    ['', '', '']
    """
    line = _without_comment(line)
    at = _operator_at(line)
    return "" if at < 0 else next(op for op in SHELL_OPERATORS if line.startswith(op, at))


def pipeline(line: str) -> list[str] | None:
    """The kubectl commands of a pipe from kubectl into kubectl (the words after each ``| kubectl``),
    or None when the line has no pipe, another shell operator, or pipes into another program."""
    parts, rest = [], _without_comment(line)
    while True:
        at = _operator_at(rest)
        if at < 0:
            break
        if not rest.startswith("|", at) or rest.startswith("||", at):
            return None
        parts.append(rest[:at].strip())
        rest = rest[at + 1:].lstrip()
        if not rest.startswith("kubectl ") and rest != "kubectl":
            return None
        rest = rest[len("kubectl"):]
    return [*parts, rest.strip()] if parts else None


def kubectl_magic(line: str, cell: str | None = None) -> None:
    """Run ``kubectl <line>`` with the cell body (if any) as stdin, and print the output; a pipe
    into kubectl runs each command in turn (:func:`pipeline`); refuse a line with other shell
    syntax (:func:`shell_operator`) without running anything."""
    global last_result
    import k8slearn  # late: the cluster module wires every component; kubectl must not import it

    commands = pipeline(line)
    op = shell_operator(line) if commands is None else ""
    if op:  # as kubectl's stderr would be, and nothing is sent to kubectl
        what = SHELL_OPERATORS[op]
        result = Result("", NOT_A_SHELL.format(what=what, op=op) + INSTEAD[what], 1)
    elif commands:
        result = _run_pipeline(k8slearn.current(), commands, cell or "")
    else:
        result = k8slearn.current().kubectl(line, stdin=cell or "")
    last_result = result
    for name, texts in itertools.groupby(result.chunks, key=lambda chunk: chunk[0]):
        stream = sys.stdout if name == "stdout" else sys.stderr  # in the order kubectl wrote them
        stream.write("".join(text for _, text in texts))
        stream.flush()


def _run_pipeline(cluster: Any, commands: list[str], stdin: str) -> Result:
    """Each command with the one before's stdout as its stdin (the simulation runs them one after
    the other, as they would finish): the stderr of the first ones, then all the last one wrote;
    its stdout and its exit code."""
    chunks: list[tuple[str, str]] = []
    for i, command in enumerate(commands):
        result = cluster.kubectl(command, stdin=stdin)
        chunks += result.chunks if i == len(commands) - 1 else [c for c in result.chunks if c[0] == "stderr"]
        stdin = result.stdout
    stderr = "".join(text for name, text in chunks if name == "stderr")
    return Result(result.stdout, stderr, result.code, chunks)


def _operator_at(line: str) -> int:
    """Where the first shell operator outside quotes starts in ``line``, or -1."""
    quote, i = "", 0
    while i < len(line):
        c = line[i]
        if c == "\\" and quote != "'":
            i += 2
            continue
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif any(line.startswith(op, i) for op in SHELL_OPERATORS):
            return i
        i += 1
    return -1


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%kubectl`` (line) and ``%%kubectl`` (cell) with IPython."""
    ipython.register_magic_function(lambda line: kubectl_magic(line), magic_kind="line", magic_name="kubectl")
    ipython.register_magic_function(lambda line, cell: kubectl_magic(line, cell), magic_kind="cell",
                                    magic_name="kubectl")
