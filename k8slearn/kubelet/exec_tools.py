"""The programs an exec runs inside a simulated container: a few BusyBox / coreutils tools.

A command started by ``kubectl exec`` (or an exec probe) runs in the container's namespaces: it
sees the container's own files, the three files the kubelet mounts into every container of the pod
(/etc/hosts, /etc/resolv.conf, /etc/hostname; :mod:`k8slearn.kubelet.pod_files`), and the pod's
one network namespace, so ``wget http://localhost`` from a sidecar reaches the web server in the
other container. :class:`ExecContext` is that view; :func:`run_tool` runs one program in it:

>>> ctx = ExecContext("busybox", files={}, etc={"/etc/hostname": "web\\n"}, hostname="web", pod_ip="10.244.1.5")
>>> run_tool(["hostname", "-i"], "", ctx)
(0, '10.244.1.5 \\n', '')
>>> run_tool(["cat", "/etc/hostname", "/nope"], "", ctx)
(1, 'web\\n', "cat: can't open '/nope': No such file or directory\\n")
>>> run_tool(["wget", "-qO-", "http://localhost"], "", ctx)
(1, '', "wget: can't connect to remote host (127.0.0.1): Connection refused\\n")
>>> run_tool(["grep", "-c", "o"], "one\\ntwo\\nsix\\n", ctx)
(0, '2\\n', '')

BusyBox images (busybox, alpine, agnhost) print BusyBox's messages, the others GNU coreutils'.

Simplified: the tools are ``cat``, ``ls`` (names only), ``test``/``[``, ``echo``, ``true``,
``false``, ``hostname``, ``grep``, ``head``, ``tail``, ``wc``, ``touch``, ``mkdir``, ``rm``,
``sleep`` (returns at once), ``date`` (the simulated clock, UTC), ``env`` and ``printenv``
(:mod:`k8slearn.kubelet.exec_env`) and
BusyBox's ``wget`` (plain HTTP, no progress meter). Other real tools (``ps``, ``curl``,
``nslookup``, ...) are not run: a probe that uses them is taken to
succeed, and ``kubectl exec`` says that the simulation does not run them rather than print made-up
output. ``wget`` reaches the pod's own network namespace and other pods by IP
(:mod:`k8slearn.kubelet.exec_wget`); there is no kube-proxy or cluster DNS in the simulation yet.
Files hold text only (:mod:`k8slearn.kubelet.container_fs`); the images' files are known only in
part, and a file or directory whose contents the simulation does not know says so.

Upstream: none in Kubernetes (these are the workloads' tools): BusyBox 1.36 (coreutils, wget,
hostname applets), GNU coreutils 9.1, GNU grep
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from datetime import timedelta

from k8slearn.api.meta import EPOCH
from k8slearn.kubelet.container_fs import DIR, NOT_SIMULATED, ReadOnlyFileSystem, listing, lookup
from k8slearn.kubelet.exec_context import NO_USERLAND, ExecContext, not_simulated
from k8slearn.kubelet.exec_env import env, printenv
from k8slearn.kubelet.exec_wget import wget

__all__ = ["COREUTILS", "DIR", "ExecContext", "available", "not_simulated", "redirect_read_only_error",
           "run_tool", "tool_read_only_error"]

COREUTILS = {"cat", "ls", "test", "[", "true", "false", "echo", ":", "hostname", "grep", "head", "tail",
             "wc", "touch", "mkdir", "rm", "sleep", "env", "printenv", "date"}
BUSYBOX_ONLY = {"wget"}
# Real tools the simulation does not run: a probe using them is taken to succeed.
ASSUMED_OK = {"wget", "curl", "pgrep", "ps", "nc", "stat", "find", "redis-cli", "pg_isready", "mysqladmin",
              "nginx", "httpd", "python", "python3", "node", "/agnhost", "agnhost", "timeout",
              "whoami", "id", "nslookup", "ping", "ip", "ifconfig", "netstat", "uname",
              "df", "du", "top", "kill", "mount", "bash", "sh", "ash", "dash",
              # in BusyBox and in Debian's essential packages (coreutils, sed, mawk, findutils, debianutils)
              "tr", "cut", "sort", "uniq", "sed", "awk", "xargs", "tee", "basename", "dirname", "expr", "md5sum",
              "sha256sum", "base64", "od", "cp", "mv", "ln", "chmod", "which", "nproc", "tac", "yes", "readlink",
              "realpath"}



def available(exe: str, ctx: ExecContext) -> bool:
    """Whether the image has the program ``exe`` (a base name) at all."""
    if ctx.image in NO_USERLAND:
        return False
    if exe in ("bash", "dash"):  # Debian's shells; BusyBox images have ash
        return not ctx.busybox
    if exe in ("ash", "[["):  # ([[ ... ]]: BusyBox ash's bash-compatible test; dash has none)
        return ctx.busybox
    return exe in COREUTILS or exe in ASSUMED_OK or exe in BUSYBOX_ONLY


def run_tool(words: list[str], stdin: str, ctx: ExecContext, shell: str = "") -> tuple[int, str, str]:
    """Run one program (``words``: its name and arguments) with ``stdin``; (exit code, stdout, stderr)."""
    exe, args = words[0].rsplit("/", 1)[-1], words[1:]
    if shell and words[0] in SHELL_BUILTINS:  # the shell's own commands: no working directory or variables here
        return not_simulated(f"the shell builtin '{words[0]}'") if ctx.interactive else (0, "", "")
    if not available(exe, ctx) or (exe in BUSYBOX_ONLY and ctx.image == "nginx" and ctx.interactive):
        if ctx.busybox:
            return 127, "", f"{shell or 'sh'}: {words[0]}: not found\n"
        if shell == "bash":
            return 127, "", f"bash: line 1: {words[0]}: command not found\n"
        return 127, "", f"{shell or 'sh'}: 1: {words[0]}: not found\n"
    tool = _TOOLS.get(exe)
    if tool is None or (exe in BUSYBOX_ONLY and not ctx.busybox):
        if not ctx.interactive:
            return 0, "", ""
        runs = sorted(t for t in _TOOLS if t not in (":", "[", "[[") and (ctx.busybox or t not in BUSYBOX_ONLY))
        return not_simulated(f"'{exe}'", f"; the simulated containers run {', '.join(runs)} and sh -c")
    try:
        return tool(args, stdin, ctx)
    except ReadOnlyFileSystem as err:  # (wget -O) BusyBox's xopen under a read-only mount
        return 1, "", f"{exe}: can't open '{err}': Read-only file system\n"


def date_text(now: float, fmt: str = "") -> str:
    """What ``date`` prints at simulated time ``now`` (UTC: ``Mon Jan  5 09:01:00 UTC 2026``), or
    ``date +FORMAT`` (``%s``: seconds since the Unix epoch).

    >>> date_text(60.0), date_text(60.0, "%H:%M %s")
    ('Mon Jan  5 09:01:00 UTC 2026', '09:01 1767603660')
    """
    moment = EPOCH + timedelta(seconds=now)
    if fmt:
        return moment.strftime(fmt.replace("%s", str(int(moment.timestamp()))))
    return moment.strftime("%a %b ") + f"{moment.day:2d}" + moment.strftime(" %H:%M:%S UTC %Y")


def _date(args, stdin, ctx):
    if ctx.now is None:
        return not_simulated("'date' here (no clock)")
    formats = [a[1:] for a in args if a.startswith("+")]
    if any(not (a.startswith("+") or a in ("-u", "--utc")) for a in args) or len(formats) > 1:
        return not_simulated("'date' with these arguments")
    return 0, date_text(ctx.now, formats[0] if formats else "") + "\n", ""


def _paths(args: list[str]) -> list[str]:
    return [a for a in args if not a.startswith("-") or a == "-"]


def _cat(args, stdin, ctx):
    out, err, code = "", "", 0
    for path in _paths(args) or ["-"]:
        if path == "-":
            out += stdin
            continue
        entry = lookup(path, ctx)
        if entry is None:
            code = 1
            err += (f"cat: can't open '{path}': No such file or directory\n" if ctx.busybox
                    else f"cat: {path}: No such file or directory\n")
        elif entry is DIR:
            code = 1
            err += "cat: read error: Is a directory\n" if ctx.busybox else f"cat: {path}: Is a directory\n"
        elif entry is True or entry is NOT_SIMULATED:
            if ctx.interactive and (entry is NOT_SIMULATED or path not in ctx.files):
                return not_simulated(f"the content of {path}")
        else:
            out += entry
    return code, out, err


def _ls(args, stdin, ctx):
    flags = "".join(a[1:] for a in args if a.startswith("-"))
    if ctx.interactive and flags.strip("1aA"):
        return not_simulated(f"ls -{flags}")
    hidden = "a" in flags or "A" in flags
    dots = [".", ".."] if "a" in flags else []  # -a lists the directory and its parent too
    out, err, code = "", "", 0
    paths = _paths(args) or ["."]
    for path in paths:
        entry = DIR if path == "." else lookup(path, ctx)
        if entry is None:
            code = 1 if ctx.busybox else 2
            err += (f"ls: {path}: No such file or directory\n" if ctx.busybox
                    else f"ls: cannot access '{path}': No such file or directory\n")
        elif entry is not DIR:
            out += path + "\n"
        else:
            names = listing("/" if path == "." else path, ctx, hidden)
            if names is None:
                if ctx.interactive:
                    return not_simulated(f"the listing of {path}")
                continue
            header = f"{path}:\n" if len(paths) > 1 else ""
            out += ("\n" if out and header else "") + header + "".join(n + "\n" for n in dots + names)
    return code, out, err


def _test(args, stdin, ctx):
    """``test EXPRESSION``, ``[ EXPRESSION ]`` and BusyBox ash's ``[[ EXPRESSION ]]`` (POSIX: by the
    number of arguments; ``-a`` and ``-o``; file tests on the container's files, where root may
    read, write and run anything)."""
    name = "["
    if args and args[-1] in ("]", "]]"):
        args = args[:-1]
    else:
        name = "test"
    try:
        return (0 if _test_expression(list(args), ctx) else 1), "", ""
    except _BadNumber as bad:
        if ctx.busybox:
            return 2, "", f"sh: {bad}: bad number\n"
        return 2, "", f"sh: 1: {name}: Illegal number: {bad}\n"  # dash, the Debian images' sh


class _BadNumber(ValueError):
    """An integer comparison's operand that is not an integer (``str()``: the operand)."""


_INTEGER_TESTS = {"-eq": int.__eq__, "-ne": int.__ne__, "-lt": int.__lt__, "-le": int.__le__,
                  "-gt": int.__gt__, "-ge": int.__ge__}


def _test_expression(args: list[str], ctx) -> bool:
    for joiner in ("-o", "-a"):  # -o binds loosest
        if joiner in args[1:-1]:
            at = args.index(joiner, 1)
            left, right = _test_expression(args[:at], ctx), args[at + 1:]
            return (left or _test_expression(right, ctx)) if joiner == "-o" else \
                (left and _test_expression(right, ctx))
    if not args:
        return False
    if len(args) == 1:
        return args[0] != ""
    if args[0] == "!":
        return not _test_expression(args[1:], ctx)
    if len(args) == 2:
        op, operand = args
        if op == "-n":
            return operand != ""
        if op == "-z":
            return operand == ""
        if op in ("-e", "-f", "-d", "-s", "-r", "-w", "-x", "-L", "-h"):
            entry = lookup(operand, ctx)
            if entry is None or op in ("-L", "-h"):
                return False
            return {"-d": entry is DIR, "-f": entry is not DIR,
                    "-s": entry is DIR or bool(entry)}.get(op, True)
        return True  # an unknown unary operator: taken as two strings (a simplification)
    if len(args) == 3 and args[0] == "(" and args[2] == ")":
        return _test_expression(args[1:2], ctx)
    left, op, right = args[0], args[1], args[2]
    if op in ("=", "=="):
        return left == right
    if op == "!=":
        return left != right
    if op in _INTEGER_TESTS:
        return _INTEGER_TESTS[op](_integer(left), _integer(right))
    if op in ("<", ">"):
        return left < right if op == "<" else left > right
    return True


def _integer(text: str) -> int:
    stripped = text.strip()
    if not re.fullmatch(r"[+-]?\d+", stripped):
        raise _BadNumber(text)
    return int(stripped)


def _echo(args, stdin, ctx):
    """echo [-neE] ARGS: -n without the newline, -e with backslash escapes (\\n, \\t...)."""
    flags = ""
    while args and re.fullmatch(r"-[neE]+", args[0]):
        flags, args = flags + args[0][1:], args[1:]
    text = " ".join(args)
    if "e" in flags.replace("E", "") and flags.rfind("e") > flags.rfind("E"):
        text = text.encode("latin-1", "backslashreplace").decode("unicode_escape", "replace")
    return 0, text + ("" if "n" in flags else "\n"), ""


def _hostname(args, stdin, ctx):
    if "-i" in args:
        return 0, f"{ctx.pod_ip} \n", ""
    if "-f" in args:
        return 0, (ctx.fqdn or ctx.hostname) + "\n", ""
    return 0, ctx.hostname + "\n", ""


def _grep(args, stdin, ctx):
    flags = "".join(a[1:] for a in args if a.startswith("-") and len(a) > 1)
    rest = [a for a in args if not (a.startswith("-") and len(a) > 1)]
    if not rest:
        return 2, "", ("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n" if ctx.busybox
                       else "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n")
    pattern, paths = rest[0], rest[1:]
    text = stdin
    if len(paths) > 1 and "h" not in flags:  # several files: each matching line after its file's name
        found = [_grep([*(f"-{f}" for f in flags if f not in "cq"), pattern, path], "", ctx) for path in paths]
        if "q" in flags:
            return (0 if any(c == 0 for c, _, _ in found) else 1), "", ""
        if "c" in flags:  # (a file that could not be read has no count)
            out = "".join(f"{path}:{o.count(chr(10))}\n" for path, (c, o, _) in zip(paths, found) if c != 2)
        else:
            out = "".join(f"{path}:{line}" for path, (_, o, _) in zip(paths, found) for line in o.splitlines(True))
        err = "".join(e for _, _, e in found)
        code = 0 if any(c == 0 for c, _, _ in found) else (2 if err else 1)
        return code, out, err
    if paths:
        code, text, err = _cat(paths, "", ctx)
        if code:
            return 2, "", err.replace("cat:", "grep:")
    try:
        regex = re.compile(pattern, re.IGNORECASE if "i" in flags else 0)
    except re.error:
        regex = re.compile(re.escape(pattern), re.IGNORECASE if "i" in flags else 0)
    lines = [line for line in text.splitlines(keepends=True) if bool(regex.search(line)) != ("v" in flags)]
    if "q" in flags:
        return (0 if lines else 1), "", ""
    out = f"{len(lines)}\n" if "c" in flags else "".join(l if l.endswith("\n") else l + "\n" for l in lines)
    return (0 if lines else 1), out, ""


def _head_tail(tail: bool):
    def tool(args, stdin, ctx):
        n, paths = 10, []
        words = iter(args)
        for arg in words:
            if arg == "-n":  # -n N
                count = next(words, "")
                n = int(count.lstrip("+-")) if count.lstrip("+-").isdigit() else n
            elif re.fullmatch(r"-n?\d+", arg):  # -nN, -N
                n = int(arg.lstrip("-n"))
            elif not arg.startswith("-") or arg == "-":
                paths.append(arg)
        code, text, err = _cat(paths, stdin, ctx) if paths else (0, stdin, "")
        lines = text.splitlines(keepends=True)
        return code, "".join((lines[-n:] if n else []) if tail else lines[:n]), err
    return tool


def _wc(args, stdin, ctx):
    """wc [-lwc] [FILE]...: the counts of stdin, or of each file then their total (after its name)."""
    flags = "".join(a[1:] for a in args if a.startswith("-") and len(a) > 1) or "lwc"
    paths = [a for a in args if not a.startswith("-") or a == "-"]

    def line(text: str, name: str) -> str:
        counts = {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode())}
        values = [counts[f] for f in "lwc" if f in flags]
        if len(values) == 1:
            shown = str(values[0])
        else:
            width = 7 if not ctx.busybox else 9
            shown = "".join(f"{v:>{width}}" for v in values).lstrip()
        return f"{shown} {name}\n" if name else f"{shown}\n"

    if not paths:
        return 0, line(stdin, ""), ""
    out, err, code, texts = "", "", 0, []
    for path in paths:
        failed, text, problem = _cat([path], stdin, ctx)
        if failed:
            code, err = 1, err + problem.replace("cat:", "wc:")
            continue
        texts.append(text)
        out += line(text, path)
    if len(paths) > 1:
        out += line("".join(texts), "total")
    return code, out, err


def _sleep(args, stdin, ctx):
    """sleep DURATION...: over at once here (every command finishes at once), but a duration that
    is none is the tool's error."""
    from k8slearn.kubelet.program_shell import sleep_seconds

    if not args:
        return 1, "", ("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n" if ctx.busybox
                       else "sleep: missing operand\nTry 'sleep --help' for more information.\n")
    if sleep_seconds(args) is None:
        bad = next(a for a in args if sleep_seconds([a]) is None)
        return 1, "", (f"sleep: invalid number '{bad}'\n" if ctx.busybox
                       else f"sleep: invalid time interval '{bad}'\nTry 'sleep --help' for more information.\n")
    return 0, "", ""


def _touch(args, stdin, ctx):
    code, err = 0, ""
    for path in _paths(args):
        if lookup(path, ctx) is None:
            code, err = _set(ctx, path, True, "touch", code, err)
    return code, "", err


def _mkdir(args, stdin, ctx):
    parents = any(a.startswith("-") and "p" in a for a in args)
    code, err = 0, ""
    for path in _paths(args):
        if lookup(path, ctx) is not None and not parents:
            return 1, "", _mkdir_error(path, "File exists", ctx)
        parent = posixpath.dirname(path.rstrip("/"))
        missing = []
        while parent not in ("", "/") and lookup(parent, ctx) is None:
            missing.append(parent)
            parent = posixpath.dirname(parent)
        if missing and not parents:
            code, err = 1, err + _mkdir_error(path, "No such file or directory", ctx)
            continue
        for ancestor in reversed(missing):  # -p: the parents first
            code, err = _set(ctx, ancestor, DIR, "mkdir", code, err)
        if lookup(path, ctx) is None:  # (-p of a directory that is there changes nothing)
            code, err = _set(ctx, path, DIR, "mkdir", code, err)
    return code, "", err


def _mkdir_error(path: str, reason: str, ctx) -> str:
    return (f"mkdir: can't create directory '{path}': {reason}\n" if ctx.busybox
            else f"mkdir: cannot create directory '{path}': {reason}\n")


def _rm(args, stdin, ctx):
    """``rm [-f] [-r] PATH...``: a directory only with ``-r`` (its files the container wrote go too)."""
    short = [a for a in args if a.startswith("-") and not a.startswith("--")]
    force = any("f" in a for a in short) or "--force" in args
    recursive = any("r" in a or "R" in a for a in short) or "--recursive" in args
    code, err = 0, ""
    for path in _paths(args):
        entry = lookup(path, ctx)
        if entry is None:
            if not force:
                code = 1
                err += (f"rm: can't remove '{path}': No such file or directory\n" if ctx.busybox
                        else f"rm: cannot remove '{path}': No such file or directory\n")
            continue
        if entry is DIR and not recursive:
            code = 1
            err += (f"rm: '{path}' is a directory\n" if ctx.busybox
                    else f"rm: cannot remove '{path}': Is a directory\n")
            continue
        if entry is DIR:
            inside = path.rstrip("/") + "/"
            for child in [p for p in list(ctx.files) if p.startswith(inside) and ctx.files[p] is not False]:
                code, err = _set(ctx, child, False, "rm", code, err)
        code, err = _set(ctx, path, False, "rm", code, err)
    return code, "", err


def _set(ctx: ExecContext, path: str, value, tool: str, code: int, err: str) -> tuple[int, str]:
    """Write one entry; under a read-only mount the tool's EROFS message and exit code 1 instead."""
    try:
        ctx.files[path] = value
    except ReadOnlyFileSystem:
        return 1, err + tool_read_only_error(tool, path, ctx.busybox)
    return code, err


def tool_read_only_error(tool: str, path: str, busybox: bool) -> str:
    """``touch``/``mkdir``/``rm`` under a read-only mount, as BusyBox or GNU coreutils says it.

    >>> tool_read_only_error("touch", "/etc/config/x", True)
    'touch: /etc/config/x: Read-only file system\\n'
    >>> tool_read_only_error("rm", "/etc/config/x", False)
    "rm: cannot remove '/etc/config/x': Read-only file system\\n"
    """
    if tool == "touch":
        text = f"touch: {path}" if busybox else f"touch: cannot touch '{path}'"
    elif tool == "mkdir":
        text = f"mkdir: can't create directory '{path}'" if busybox else f"mkdir: cannot create directory '{path}'"
    else:
        text = f"rm: can't remove '{path}'" if busybox else f"rm: cannot remove '{path}'"
    return text + ": Read-only file system\n"


def redirect_read_only_error(shell: str, path: str, busybox: bool) -> tuple[int, str]:
    """A shell's ``> path`` under a read-only mount: (exit code, message) of BusyBox ash, dash or bash.

    >>> redirect_read_only_error("sh", "/etc/config/x", True)
    (2, "sh: can't create /etc/config/x: Read-only file system\\n")
    """
    if shell == "bash":
        return 1, f"bash: line 1: {path}: Read-only file system\n"
    if busybox:
        return 2, f"{shell}: can't create {path}: Read-only file system\n"
    return 2, f"{shell}: 1: cannot create {path}: Read-only file system\n"


SHELL_BUILTINS = {"cd", "pwd", "export", "set", "unset", "alias", "source", ".", "read", "trap", "ulimit", "umask",
                  "type", "eval", "exec", "wait", "shift", "local", "return", "break", "continue"}

_TOOLS: dict[str, Callable] = {
    "cat": _cat, "ls": _ls, "test": _test, "[": _test, "[[": _test, "echo": _echo, "hostname": _hostname, "grep": _grep,
    "head": _head_tail(False), "tail": _head_tail(True), "wc": _wc, "touch": _touch, "mkdir": _mkdir,
    "rm": _rm, "wget": wget, "env": env, "printenv": printenv, "date": _date,
    "true": lambda a, s, c: (0, "", ""), ":": lambda a, s, c: (0, "", ""),
    "false": lambda a, s, c: (1, "", ""), "sleep": _sleep,
}
