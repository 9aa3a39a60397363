"""``ps`` in a container: the processes of its PID namespace, as BusyBox's ``ps`` lists them.

A container has its own PID namespace: its first process (the command the kubelet started it
with) is PID 1, and each process started in it later (a ``kubectl exec``, a probe's command, a
program a shell forks) takes the next free PID (:func:`start_process`). BusyBox's ``ps`` prints
the columns ``pid,user,time,args``: PID right-aligned in 5, the user's name (its number where the
image's /etc/passwd has none) in 8, the CPU time used in 5, then the command line:

>>> from k8slearn.kubelet.exec_context import ExecContext
>>> ns = PidNamespace()
>>> ctx = ExecContext("busybox", files={}, etc={"/proc/1/cmdline": "sleep\\x001h\\x00"},
...                   user=(1000, 3000, (2000, 3000)), pid_namespace=ns)
>>> ctx.processes.append((start_process(ctx), ["sh"]))
>>> print(_ps([], "", ctx)[1], end="")
PID   USER     TIME  COMMAND
    1 1000      0:00 sleep 1h
    2 1000      0:00 sh
    3 1000      0:00 ps

Simplified: the processes listed are PID 1 (when the kubelet's spec tells its command line:
/proc/1/cmdline), the exec'd shell still running the command, and ``ps`` itself; a program
finishes at once here, so nothing else runs and every process has used no CPU time (0:00).
Only the default columns (``ps``, and the options BusyBox accepts and ignores: ``-a -A -d -e
-f -l``); ``-o``, ``-T`` and procps' ``ps`` of other images are not simulated.

Upstream: BusyBox 1.36 procps/ps.c (ps_main with ENABLE_DESKTOP: DEFAULT_O_STR "pid,user,time,args",
format_header, format_process, func_pid, func_user, format_time), libbb/procps.c (read_cmdline);
the kernel's PID allocation (alloc_pid: the next number after the last one given)
"""

from __future__ import annotations

from dataclasses import dataclass

from k8slearn.kubelet.exec_common import NotModelled
from k8slearn.kubelet.exec_context import ExecContext
from k8slearn.kubelet.security_context import UnknownName, id_name

# out_spec's widths of the default columns: pid 5, user 8, time 5; args, the last, is not padded
_COLUMNS = (("PID", 5), ("USER", 8), ("TIME", 5), ("COMMAND", 0))


@dataclass
class PidNamespace:
    """A container's PID namespace: the last PID the kernel gave (1: the container's own process)."""

    last_pid: int = 1


def pid_namespace(container) -> PidNamespace:
    """The runtime's container's PID namespace (made when a process is first started in it)."""
    if container.pid_namespace is None:
        container.pid_namespace = PidNamespace()
    return container.pid_namespace


def start_process(ctx: ExecContext) -> int | None:
    """alloc_pid: the PID of a process started now in the container (None where nobody counts)."""
    namespace = ctx.pid_namespace
    if namespace is None:
        return None
    namespace.last_pid += 1
    return namespace.last_pid


def _user(uid: int, ctx: ExecContext) -> str:
    """func_user: get_cached_username, the name in the image's /etc/passwd, else the number."""
    try:
        name = id_name("user", uid, ctx.image)
    except UnknownName as unknown:
        raise NotModelled(str(unknown)) from None
    return (name or str(uid))[:8]


def format_process(pid: int, user: str, argv: list[str]) -> str:
    """format_process for ``pid,user,time,args``: each field padded to its width and one space."""
    fields = (f"{pid:5d}", user, " 0:00", " ".join(argv))
    return "".join(f"{value:<{width}} " for value, (_, width) in zip(fields[:-1], _COLUMNS)) + fields[-1] + "\n"


def _header() -> str:
    """format_header: the headers left-aligned in their widths, the last one not padded."""
    return "".join(f"{name:<{width}} " for name, width in _COLUMNS[:-1]) + _COLUMNS[-1][0] + "\n"


def _ps(args, stdin, ctx):
    """``ps``: PID 1, the exec's own processes still running, and ``ps`` itself."""
    if not ctx.busybox:
        raise NotModelled(f"'ps' of the {ctx.image} image")
    for arg in args:
        if arg.startswith("-") and (len(arg) == 1 or set(arg[1:]) - set("aAdefl")):
            raise NotModelled("ps " + " ".join(args))
    cmdline = ctx.etc.get("/proc/1/cmdline")
    if ctx.user is None or ctx.pid_namespace is None or not isinstance(cmdline, str):
        raise NotModelled("the processes of this container (its PID 1's command line)")
    user = _user(ctx.user[0], ctx)
    own = start_process(ctx)
    processes = [(1, cmdline.rstrip("\0").split("\0")), *ctx.processes, (own, ["ps", *args])]
    return 0, _header() + "".join(format_process(pid, user, argv) for pid, argv in processes), ""
