"""What every exec tool shares: a process's :class:`Output` (both streams in the order written),
how a tool reads its files and scans its options (:func:`getopt`), and the exceptions for what the
simulation does not model.

Split from :mod:`k8slearn.kubelet.exec_tools`, which runs the tools.

Upstream: none in Kubernetes (the workloads' tools): getopt(3) and getopt_long(3) with their messages
(glibc posix/getopt.c), BusyBox 1.36 and GNU coreutils
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from k8slearn.kubelet.container_fs import DIR, NOT_SIMULATED, lookup
from k8slearn.kubelet.exec_context import ExecContext


class Output(tuple):
    """What a process printed: ``(exit code, stdout, stderr)`` as a tuple, and ``chunks``, both
    streams in the order it wrote them (``("stdout"|"stderr", text)``), as a terminal shows them.

    >>> result = Output(1, [("stdout", "a\\n"), ("stderr", "oops\\n"), ("stdout", "b\\n")])
    >>> result
    (1, 'a\\nb\\n', 'oops\\n')
    >>> result.chunks
    [('stdout', 'a\\n'), ('stderr', 'oops\\n'), ('stdout', 'b\\n')]
    """

    chunks: list[tuple[str, str]]

    def __new__(cls, code: int, chunks=()) -> Output:
        merged: list[tuple[str, str]] = []
        for stream, text in chunks:
            if not text:
                continue
            if merged and merged[-1][0] == stream:
                merged[-1] = (stream, merged[-1][1] + text)
            else:
                merged.append((stream, text))
        out = "".join(text for stream, text in merged if stream == "stdout")
        err = "".join(text for stream, text in merged if stream == "stderr")
        self = super().__new__(cls, (code, out, err))
        self.chunks = merged
        return self


def chunks_of(result: tuple) -> list[tuple[str, str]]:
    """The ordered output of a result (an :class:`Output`, or a plain tuple: stdout, then stderr)."""
    if isinstance(result, Output):
        return list(result.chunks)
    return [(stream, text) for stream, text in (("stdout", result[1]), ("stderr", result[2])) if text]


class Printer:
    """A tool's two streams as it writes them."""

    def __init__(self) -> None:
        self.chunks: list[tuple[str, str]] = []

    def out(self, text: str) -> None:
        self.chunks.append(("stdout", text))

    def err(self, text: str) -> None:
        self.chunks.append(("stderr", text))

    def done(self, code: int) -> Output:
        return Output(code, self.chunks)


def _pair(result: tuple) -> tuple[int, list]:
    """(exit code, chunks) of a plain (code, stdout, stderr)."""
    return result[0], [("stdout", result[1]), ("stderr", result[2])]


class NotModelled(Exception):
    """A use of a tool the simulation does not model (``str()``: what, for "... is not simulated")."""


def paths_in(args: list[str]) -> list[str]:
    """The arguments that are not options: every one not starting with ``-``, and ``-``."""
    return [a for a in args if not a.startswith("-") or a == "-"]


def read_file(path: str, ctx: ExecContext) -> tuple[str | None, str]:
    """A file's text for a tool that reads it, or (None, why not): "missing", "dir". A file whose
    content the simulation does not know: ``kubectl exec`` says so; a probe takes it as empty."""
    entry = lookup(path, ctx)
    if entry is None:
        return None, "missing"
    if entry is DIR:
        return None, "dir"
    if entry is NOT_SIMULATED or (entry is True and path not in ctx.files):
        if ctx.interactive:
            raise NotModelled(f"the content of {path}")
        return "", ""
    return ("" if entry is True else entry), ""


class Usage(Exception):
    """An option the program does not have: getopt's message (``args[0]``), then its usage text."""


class GetoptError(Usage):
    """getopt's complaint about ``option`` as written (``-k``, ``--color=auto``), or about its
    missing value (``missing``); ``args[0]`` is the message a program prints, as for :class:`Usage`."""

    def __init__(self, program: str, message: str, option: str, missing: bool = False) -> None:
        super().__init__(f"{program}: {message}\n", program)
        self.option, self.missing = option, missing


def getopt(args: list[str], spec: str, operands: list[str], longs: dict[str, str] | None = None, *,
           program: str, modelled: str | None = None, number: str = "") -> Iterator[tuple[str, str | None]]:
    """The options in ``args`` as getopt(3) and getopt_long(3) scan them for BusyBox's and GNU's
    tools: yields ``(option, value)`` in order (``value`` None for an option without one) and
    appends the operands to ``operands``.

    ``spec`` is getopt's option string: a letter per option, a ``:`` after one that takes a value
    (``-m3`` or ``-m 3``); options may be clustered (``-ic``). ``longs`` maps a long option to what
    it yields (``"--count": "c"``; ``"--regexp=": ...`` for one whose value follows the ``=``).
    ``--`` ends the options, ``-`` alone is an operand, and operands may come between the options
    (GNU's permutation). An option the program does not have, or a missing value, raises
    :class:`GetoptError` when the scan reaches it. For what the simulation does not model:
    ``modelled``, the letters of ``spec`` it does (another raises :class:`NotModelled` before its
    value is read); ``number``, the option a whole ``-NUM`` stands for (head's old ``-5``: ``-n 5``).

    >>> operands = []
    >>> list(getopt(["-ic", "x", "-m3", "--", "-v"], "icm:", operands, program="grep")), operands
    ([('i', None), ('c', None), ('m', '3')], ['x', '-v'])
    >>> list(getopt(["-k"], "icm:", [], program="grep"))
    Traceback (most recent call last):
    k8slearn.kubelet.exec_common.GetoptError: ("grep: invalid option -- 'k'\\n", 'grep')
    """
    longs = longs or {}
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            operands.extend(args[i:])
            break
        if number and re.fullmatch(r"-\d+", arg):
            yield number, arg[1:]
        elif arg.startswith("--"):
            name, equals, value = arg.partition("=")
            if name + equals in longs:
                yield longs[name + equals], (value if equals else None)
            elif name + "=" in longs:
                raise GetoptError(program, f"option '{arg}' requires an argument", arg, missing=True)
            else:
                raise GetoptError(program, f"unrecognized option '{arg}'", arg)
        elif not arg.startswith("-") or arg == "-":
            operands.append(arg)
        else:
            for k, letter in enumerate(arg[1:], 1):
                at = spec.find(letter)
                if letter == ":" or at < 0:
                    raise GetoptError(program, f"invalid option -- '{letter}'", "-" + letter)
                if modelled is not None and letter not in modelled:
                    raise NotModelled(f"{program} -{letter}")
                if not spec.startswith(":", at + 1):
                    yield letter, None
                    continue
                rest = arg[k + 1:]
                if rest:  # the value attached: -m3
                    value = rest
                elif i < len(args):  # the next argument: -m 3
                    value, i = args[i], i + 1
                else:
                    raise GetoptError(program, f"option requires an argument -- '{letter}'", "-" + letter,
                                      missing=True)
                yield letter, value
                break


BUSYBOX_BANNER = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n"


def open_error(tool: str, path: str, busybox: bool) -> str:
    """head's/tail's message for a file that is not there (BusyBox: head's fopen_or_warn, tail's
    open_or_warn; GNU coreutils)."""
    if not busybox:
        return f"{tool}: cannot open '{path}' for reading: No such file or directory\n"
    if tool == "tail":
        return f"tail: can't open '{path}': No such file or directory\n"
    return f"{tool}: {path}: No such file or directory\n"
