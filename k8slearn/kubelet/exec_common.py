"""What every exec tool shares: a process's :class:`Output` (both streams in the order written),
how a tool reads its files and options, and the exceptions for what the simulation does not model.

Split from :mod:`k8slearn.kubelet.exec_tools`, which runs the tools.

Upstream: none in Kubernetes (the workloads' tools): getopt's messages, BusyBox 1.36 and GNU coreutils
"""

from __future__ import annotations

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


class _Printer:
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


class _NotModelled(Exception):
    """A use of a tool the simulation does not model (``str()``: what, for "... is not simulated")."""


def _paths(args: list[str]) -> list[str]:
    return [a for a in args if not a.startswith("-") or a == "-"]


def _read(path: str, ctx: ExecContext) -> tuple[str | None, str]:
    """A file's text for a tool that reads it, or (None, why not): "missing", "dir". A file whose
    content the simulation does not know: ``kubectl exec`` says so; a probe takes it as empty."""
    entry = lookup(path, ctx)
    if entry is None:
        return None, "missing"
    if entry is DIR:
        return None, "dir"
    if entry is NOT_SIMULATED or (entry is True and path not in ctx.files):
        if ctx.interactive:
            raise _NotModelled(f"the content of {path}")
        return "", ""
    return ("" if entry is True else entry), ""


def _options(args: list[str], program: str, valid: str, longs: dict[str, str]) -> tuple[list[str], list[str]]:
    """Short options (clustered, in any order with the operands) and long ones by ``longs``: (flags
    in order, operands). An option ``program`` does not have is getopt's error, then the usage,
    which is not simulated."""
    flags, operands, i = [], [], 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            operands.extend(args[i:])
            break
        if arg.startswith("--"):
            if arg not in longs:
                raise _Usage(f"{program}: unrecognized option '{arg}'\n", program)
            flags.append(longs[arg])
        elif arg.startswith("-") and arg != "-":
            for flag in arg[1:]:
                if flag not in valid:
                    raise _Usage(f"{program}: invalid option -- '{flag}'\n", program)
                flags.append(flag)
        else:
            operands.append(arg)
    return flags, operands


class _Usage(Exception):
    """An option the program does not have: getopt's message (``args[0]``), then its usage text."""


_BUSYBOX_BANNER = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n"


def _open_error(tool: str, path: str, busybox: bool) -> str:
    """head's/tail's message for a file that is not there (BusyBox: head's fopen_or_warn, tail's
    open_or_warn; GNU coreutils)."""
    if not busybox:
        return f"{tool}: cannot open '{path}' for reading: No such file or directory\n"
    if tool == "tail":
        return f"tail: can't open '{path}': No such file or directory\n"
    return f"{tool}: {path}: No such file or directory\n"
