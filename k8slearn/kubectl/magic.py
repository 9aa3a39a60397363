"""The notebook magics: ``%kubectl get pods`` and ``%%kubectl apply -f -`` (cell body on stdin).

They run on the current cluster (``k8slearn.cluster.current()``) and print what a terminal would
show, stdout and stderr in the order they were written, returning nothing so the cell shows clean text. A failed command
also prints nothing extra: the exit code is in ``k8slearn.kubectl.magic.last_result``.

A magic runs kubectl, not a shell: a line with a pipe, a redirection, ``&&`` or ``;`` outside
quotes is refused with one message on stderr (exit code 1) and nothing reaches kubectl, instead of
kubectl taking ``|``, ``grep`` and ``web`` for pod names. Quoted, they are kubectl's words:

>>> shell_operator("get pods | grep web"), shell_operator("get pods -o jsonpath='{.a|b}'")
('|', '')

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
              'str(cluster.kubectl("get pods")).\n',
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
    line, quote, i = _without_comment(line), "", 0
    while i < len(line):
        c = line[i]
        if c == "\\" and quote != "'":  # escapes the next character, in double quotes too
            i += 2
            continue
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        else:
            op = next((op for op in SHELL_OPERATORS if line.startswith(op, i)), "")
            if op:
                return op
        i += 1
    return ""


def kubectl_magic(line: str, cell: str | None = None) -> None:
    """Run ``kubectl <line>`` with the cell body (if any) as stdin, and print the output; refuse a
    line with shell syntax (:func:`shell_operator`) without running anything."""
    global last_result
    import k8slearn  # late: the cluster module wires every component; kubectl must not import it

    op = shell_operator(line)
    if op:  # as kubectl's stderr would be, and nothing is sent to kubectl
        what = SHELL_OPERATORS[op]
        result = Result("", NOT_A_SHELL.format(what=what, op=op) + INSTEAD[what], 1)
    else:
        result = k8slearn.current().kubectl(line, stdin=cell or "")
    last_result = result
    for name, texts in itertools.groupby(result.chunks, key=lambda chunk: chunk[0]):
        stream = sys.stdout if name == "stdout" else sys.stderr  # in the order kubectl wrote them
        stream.write("".join(text for _, text in texts))
        stream.flush()


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%kubectl`` (line) and ``%%kubectl`` (cell) with IPython."""
    ipython.register_magic_function(lambda line: kubectl_magic(line), magic_kind="line", magic_name="kubectl")
    ipython.register_magic_function(lambda line, cell: kubectl_magic(line, cell), magic_kind="cell",
                                    magic_name="kubectl")
