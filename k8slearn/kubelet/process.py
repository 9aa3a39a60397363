"""What runs inside a simulated container: a tiny model of the container's main process.

A container is a process. Whether a pod ends up Running, Completed or in CrashLoopBackOff depends
only on what that process does: run forever (a web server), finish (``echo hi``), or fail
(``exit 1``). The model understands the commands the course uses:

>>> parse_program(["sh", "-c", "echo hello; sleep 5; exit 3"], image="busybox").steps
[('print', 'hello'), ('sleep', 5.0), ('exit', 3)]
>>> parse_program([], image="nginx").forever
True
>>> parse_program(["sleep", "3600"], image="busybox").steps
[('sleep', 3600.0), ('exit', 0)]
>>> parse_program(["nginxx"], image="nginx").start_error
'exec: "nginxx": executable file not found in $PATH'
>>> parse_program(["sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
...               image="busybox").steps[:3]
[('touch', '/tmp/healthy'), ('sleep', 30.0), ('rm', '/tmp/healthy')]
>>> parse_program(["sh", "-c", "sleep 5; echo ok > /tmp/ready; sleep 3600"], image="busybox").steps
[('sleep', 5.0), ('write', ('/tmp/ready', 'ok\\n', False)), ('sleep', 3600.0), ('exit', 0)]
>>> parse_program([], image="registry.k8s.io/e2e-test-images/agnhost:2.40", args=["liveness"]).servers
(Server(port=8080, kind='agnhost-liveness'),)

A plain ``sleep`` ignores SIGTERM (it runs as PID 1 with no handler), so deleting such a pod
waits the whole grace period before SIGKILL; a web server stops at once. Both are real. A Go
program with no SIGTERM handler (agnhost) exits with code 2 on SIGTERM: as PID 1 the kernel does
not kill it, so the Go runtime exits by itself with status 2.

``touch``/``mkdir`` and ``rm`` change the container's own files (its writable layer: a restarted
container starts with the image's files again), which an ``exec`` probe such as
``cat /tmp/healthy`` reads (:mod:`k8slearn.kubelet.exec_sync`). What a program listens on is
:mod:`k8slearn.kubelet.servers`. Args given without a command go to the image's ENTRYPOINT
(agnhost's ``/agnhost``), or replace its CMD.

A script's own variables, ``$((...))`` and ``$(...)`` are worked out as it runs
(:mod:`k8slearn.kubelet.program_shell`), so the documentation's logging example runs:

>>> parse_program(["sh", "-c", 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'],
...               image="busybox").loop_body
[('echo', ('"$i: $(date)"',)), ('set', ('i', '$((i+1))')), ('sleep', 1.0)]

Simplified: no real shell; ``;`` and ``&&`` sequences of ``echo``/``printf``/``sleep`` (``1m``,
``1h 30m``)/``exit``/``true``/``false``/``touch``/``mkdir``/``rm``/``date`` (the simulated clock, in
UTC)/``printenv``/``env``, variable assignments, the file tools ``ls``, ``cat``, ``head``, ``tail``,
``wc``, ``grep``, ``hostname`` and BusyBox's ``wget`` (run through the simulated shell when the
program gets there, in the container's files, volumes and pod network; the script ends with the
last one's status), ``tail -f``/``-F`` of one file as the last command, and
``while true; do ...; done`` loops, ``for NAME in WORDS; do ...; done`` loops (written out turn by
turn: :func:`k8slearn.kubelet.program_shell.unroll_for_loops`); ``$NAME`` of the environment is
expanded before, by :mod:`k8slearn.kubelet.kuberuntime`, unless the script sets variables of its
own; ``$`` expansions
in ``echo`` only; ``if COND; then ...; [elif ...;] [else ...;] fi`` (an ``if`` step: the condition
runs in the container when the program gets there, then the chosen branch's steps); ``while
COND``/``until COND`` loops the same way (a turn that sleeps less than 10 ms is followed by a 10 ms
pause: a simulation limit, so a busy wait polls instead of spinning). Anything else (``case``,
functions, a ``for`` over a glob, a ``$`` elsewhere, a command the model does not run) runs until
stopped without running the script, its log saying what is not modelled; whatever the image runs
by default runs until stopped too.

Upstream: none in Kubernetes (this is the workload); exit handling mirrors containerd's task
exit events (reasons Completed / Error / StartError).
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass, field

from k8slearn.kubelet.program_shell import (
    ASSIGNMENT,
    protect_single_quoted,
    shell_words,
    sleep_seconds,
    tail_options,
    unroll_for_loops,
)
from k8slearn.kubelet.servers import Server, servers_for

SHELLS = {"sh", "/bin/sh", "bash", "/bin/bash", "ash"}
BUILTINS = {"echo", "printf", "sleep", "exit", "true", "false", "while", "/bin/echo", "/bin/sleep",
            "touch", "rm", "mkdir", "date", "printenv", "env", "ls", "cat", "head", "tail", "wc", "grep", "hostname",
            "wget"}
# Tools a program's script runs through the simulated shell at the moment it gets there, in the
# container's files (its volumes included): ``ls /etc/config``, ``cat /etc/config/game.properties``.
RUNTIME_TOOLS = {"ls", "cat", "head", "wc", "grep", "hostname", "/bin/ls", "/bin/cat", "wget"}
# BusyBox applets the model does not run: a container whose command is one runs on, printing
# nothing (its image does have it: not the runtime's "executable file not found")
BUSYBOX_APPLETS = {"nslookup", "ping", "ps", "nc", "top", "netstat", "ifconfig", "ip", "traceroute", "telnet",
                   "vi", "find", "stat", "id", "whoami", "uname", "free", "df", "du", "dmesg", "httpd", "nohup",
                   "timeout", "xargs", "awk", "sed", "sort", "uniq", "tr", "cut", "base64", "md5sum",
                   "sha256sum", "tee", "seq", "yes", "watch", "which", "dd", "mount", "sh", "ash"}
DAEMONS = {
    "nginx",
    "redis-server",
    "httpd-foreground",
    "httpd",
    "postgres",
    "mysqld",
    "/pause",
    "pause",
    "etcd",
    "kube-apiserver",
    "kube-scheduler",
    "kube-controller-manager",
    "kube-proxy",
    "/coredns",
    "/opt/bin/flanneld",
    "fluentd",
    "tail",
    "python",
    "python3",
    "node",
    "/agnhost",
    "agnhost",
    "cat",
    "goproxy",
}
# Exit code on SIGTERM of programs that do not exit 0 (a Go program with no handler, as PID 1)
SIGTERM_EXIT = {"agnhost": 2, "goproxy": 2}


@dataclass
class ImageDefaults:
    """What an image runs when the pod gives no command, and what it prints when it starts."""

    forever: bool
    banner: list[str] = field(default_factory=list)
    stop_seconds: float = 0.1  # how long it takes to exit after SIGTERM (None = ignores SIGTERM)
    ignores_sigterm: bool = False
    entrypoint: tuple[str, ...] = ()  # the image's ENTRYPOINT: args without a command go to it
    cmd: tuple[str, ...] = ()  # the image's CMD: what runs when the pod gives neither


NGINX_BANNER = [
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    "/docker-entrypoint.sh: Configuration complete; ready for start up",
]

IMAGE_DEFAULTS = {
    "nginx": ImageDefaults(True, NGINX_BANNER, cmd=("nginx", "-g", "daemon off;")),
    "nginx-slim": ImageDefaults(True, cmd=("nginx", "-g", "daemon off;")),
    "redis": ImageDefaults(True, ["1:M * Ready to accept connections tcp"], cmd=("redis-server",)),
    "httpd": ImageDefaults(
        True,
        [
            "AH00558: httpd: Could not reliably determine the server's fully qualified domain name",
            "[mpm_event:notice] resuming normal operations",
        ],
        cmd=("httpd-foreground",),
    ),
    "agnhost": ImageDefaults(True, entrypoint=("/agnhost",), cmd=("pause",)),
    "goproxy": ImageDefaults(True, cmd=("/goproxy",)),
    "busybox": ImageDefaults(False),  # runs `sh`, which exits at once with no terminal
    "alpine": ImageDefaults(False),
    "ubuntu": ImageDefaults(False),
    "debian": ImageDefaults(False),
    "python": ImageDefaults(False),
    "perl": ImageDefaults(False),  # its CMD, perl5.x with no script and no terminal, exits at once
}


@dataclass
class Program:
    """A parsed main process: ordered steps, or ``forever``, or a start error."""

    steps: list[tuple] = field(default_factory=list)
    forever: bool = False
    loop_body: list[tuple] = field(default_factory=list)  # repeated forever after ``steps``
    start_error: str = ""
    ignores_sigterm: bool = False
    servers: tuple[Server, ...] = ()  # the ports it listens on while it runs
    term_exit: int = 0  # its exit code when SIGTERM stops it (0: a clean shutdown)


def image_name(image: str) -> str:
    """``docker.io/library/nginx:1.27`` → ``nginx``."""
    name = image.split("@")[0].rsplit("/", 1)[-1]
    return name.split(":")[0]


def _parse_script(script: str, env: tuple | None = None) -> tuple[list[tuple], list[tuple], str]:
    """Parse ``a; b && c`` and one trailing ``while true; do ...; done``: (steps, loop body, what is
    not modelled, "" if nothing). ``env`` is the process's environment, for ``printenv`` and ``env``
    (without it they are not understood)."""
    try:
        unrolled = unroll_for_loops(script)  # for NAME in WORDS; do ...; done: written out
        return _parse_steps(unrolled, env) if unrolled is not None else ([], [], "this for loop")
    except ValueError:  # quotes the simple split on ; cannot follow ("echo 'a; b'"): not modelled
        return [], [], "quoting the simple split on ; cannot follow"


def _syntax_error(script: str, image: str) -> str:
    """What the image's ``sh`` says about a script whose quotes never close ("" if they do)."""
    try:
        shlex.split(script)
        return ""
    except ValueError:
        if image_name(image) in ("busybox", "alpine", "agnhost"):
            return "sh: syntax error: unterminated quoted string"
        return "sh: 1: Syntax error: Unterminated quoted string"  # dash, the Debian images' sh


def _parse_steps(script: str, env: tuple | None) -> tuple[list[tuple], list[tuple], str]:
    loop_body: list[tuple] = []
    match = re.search(r"while\s+(true|:)\s*;?\s*do\s+(.*?);?\s*done\s*;?\s*$", script, re.DOTALL)
    if match:
        loop_body, _, problem = _parse_steps(match.group(2), env)
        if problem:
            return [], [], problem
        script = script[: match.start()]
    try:
        items = _group_ifs(_commands(script), 0, ())[0]
    except _NotAnIf as err:
        return [], [], "this if or loop block"
    steps, problem = _steps(items, env)
    return (steps, loop_body, "") if not problem else ([], [], problem)


class _NotAnIf(ValueError):
    """``if``, ``then``, ``elif``, ``else`` and ``fi`` (or ``while``/``until``, ``do`` and ``done``)
    do not make a whole block."""


def _commands(script: str) -> list[str]:
    """The commands of ``a; b && c`` one by one, with ``then``/``else``/``do`` apart from the
    command that follows them (``then echo yes`` is ``then`` and ``echo yes``)."""
    out = []
    for part in re.split(r";|&&|\n", script):
        part = part.strip()
        head, _, rest = part.partition(" ")
        if head in ("then", "else", "do") and rest.strip():
            out += [head, rest.strip()]
        elif part:
            out.append(part)
    return out


def _group_ifs(parts: list[str], i: int, stops: tuple) -> tuple[list, int]:
    """The commands from ``parts[i]`` up to one whose first word is in ``stops``, each if-block
    made one ``("if", (condition, then-items, else-items))`` item and each ``while``/``until``
    loop one ``("while", (condition, body-items, until))``; and where it stopped."""
    items: list = []
    while i < len(parts):
        first = parts[i].split(None, 1)[0]
        if first in stops:
            return items, i
        if first in ("then", "elif", "else", "fi", "do", "done"):
            raise _NotAnIf(first)
        if first == "if":
            block, i = _if_block(parts[i][2:].strip(), parts, i + 1)
            items.append(block)
            continue
        if first in ("while", "until"):
            condition = parts[i][len(first):].strip()
            if i + 1 >= len(parts) or parts[i + 1] != "do" or not condition:
                raise _NotAnIf("do")
            body, i = _group_ifs(parts, i + 2, ("done",))
            if parts[i] != "done" or not body:  # done < file, done | ...: not modelled
                raise _NotAnIf(parts[i])
            items.append(("while", (condition, body, first == "until")))
            i += 1
            continue
        items.append(parts[i])
        i += 1
    if stops:
        raise _NotAnIf("end of script")  # an if without its fi
    return items, i


def _if_block(condition: str, parts: list[str], i: int) -> tuple[tuple, int]:
    if i >= len(parts) or parts[i] != "then" or not condition:
        raise _NotAnIf("then")
    then_items, i = _group_ifs(parts, i + 1, ("elif", "else", "fi"))
    head, _, rest = parts[i].partition(" ")
    if head == "elif":  # an if in the else, closed by the same fi
        nested, i = _if_block(rest.strip(), parts, i + 1)
        return ("if", (condition, then_items, [nested])), i
    else_items: list = []
    if head == "else":
        else_items, i = _group_ifs(parts, i + 1, ("fi",))
    if parts[i] != "fi":  # fi > file, fi | ...: not modelled
        raise _NotAnIf(parts[i])
    return ("if", (condition, then_items, else_items)), i + 1


def _steps(items: list, env: tuple | None) -> tuple[list[tuple], str]:
    """The steps of the commands (an if-block: an ``if`` step with the steps of each branch,
    chosen as the program gets there); what is not modelled ("" if every command is)."""
    steps: list[tuple] = []
    for part in items:
        if part.__class__ is tuple and part[0] == "while":
            condition, body_items, until = part[1]
            body_steps, problem = _steps(body_items, env)
            if problem:
                return [], problem
            steps.append(("while", (condition, tuple(body_steps), until)))
            continue
        if part.__class__ is tuple:
            condition, then_items, else_items = part[1]
            then_steps, problem = _steps(then_items, env)
            else_steps, else_problem = _steps(else_items, env)
            if problem or else_problem:
                return [], problem or else_problem
            steps.append(("if", (condition, tuple(then_steps), tuple(else_steps))))
            continue
        words = _whole_substitutions(shlex.split(part))
        if not words:
            continue
        cmd, args = words[0], words[1:]
        if "`" in part:  # `command` substitution, the old way: not modelled
            return [], "`command` substitution"
        if ASSIGNMENT.fullmatch(cmd) and not args:  # i=0, i=$((i+1)): the running shell works it out
            name, _, value = cmd.partition("=")
            steps.append(("set", (name, value)))
            continue
        protected = protect_single_quoted(part)
        if any("$" in word for word in words) and "$" in protected:  # a $ the shell expands
            if cmd not in ("echo", "/bin/echo") or _UNMODELLED.search(protected):
                return [], f"'{cmd}' with a $ expansion"
            # echo "$i: $(date)" [>> file]: expanded when the program gets there (program_shell),
            # so its words are kept as written: quoting decides how an expansion splits into fields
            args = shell_words(part)[1:]
            redirect = next((i for i, word in enumerate(args) if word in (">", ">>")), None)
            if redirect is None:
                steps.append(("echo", tuple(args)))
            elif redirect + 1 < len(args):
                steps.append(("echo_to", (args[redirect + 1], tuple(args[:redirect]), args[redirect] == ">>")))
            continue
        if cmd in ("tail", "/usr/bin/tail") and any(a.startswith(("-f", "-F", "--follow")) for a in args):
            options = tail_options(args)
            if options is None:
                return [], f"'{part.strip()}'"
            steps.append(("follow", options))  # it never ends: nothing after it runs
            break
        if cmd in ("echo", "/bin/echo", "printf") and (">" in args or ">>" in args):
            target = args.index(">") if ">" in args else args.index(">>")
            if target + 1 < len(args) and args[target + 1] != "/dev/null":
                # echo ok > /tmp/ready: a file, not a log line (printf: its format, no newline of its own)
                text = " ".join(args[:target]) + "\n" if cmd != "printf" else \
                    " ".join(args[:target]).replace("\\n", "\n").replace("\\t", "\t")
                steps.append(("write", (args[target + 1], text, args[target] == ">>")))
        elif cmd in ("echo", "/bin/echo"):
            steps.extend(("print", line) for line in echo_lines(args))
        elif cmd in RUNTIME_TOOLS or (cmd == "tail" and not any(a.startswith(("-f", "-F")) for a in args)):
            steps.append(("shell", part.strip()))  # run then, in the container (task.py)
        elif cmd == "printf":
            steps.append(("print", " ".join(args).replace("\\n", "")))
        elif cmd in ("printenv", "env") and env is not None and (cmd == "printenv" or not args):
            variables = dict(env)
            steps.extend(("print", variables[name]) for name in args if name in variables)
            if not args:
                steps.extend(("print", f"{name}={value}") for name, value in env)
        elif cmd in ("sleep", "/bin/sleep"):
            seconds = sleep_seconds(args)  # 3600, 1m, 1h 30m, infinity
            if seconds is None:
                return [], f"'{part.strip()}'"
            steps.append(("sleep", seconds))
        elif cmd == "exit":
            if args and not args[0].isdigit():
                return [], f"'{part.strip()}'"
            steps.append(("exit", int(args[0]) % 256 if args else 0))
            break
        elif cmd == "date" and not args:
            steps.append(("date", ""))
        elif cmd in ("touch", "mkdir"):
            steps.extend((cmd, arg) for arg in args if not arg.startswith("-"))
        elif cmd == "rm":
            steps.extend(("rm", arg) for arg in args if not arg.startswith("-"))
        elif cmd == "true" or cmd == ":":
            continue
        elif cmd == "false":
            steps.append(("exit", 1))
            break
        else:
            return [], f"'{cmd}'"  # something we do not model: treat as a long-running program
    return steps, ""


def _whole_substitutions(words: list[str]) -> list[str]:
    """Words split inside an unquoted ``$((...))`` or ``$(...)`` put back together: the shell reads
    ``echo $((n / 5))`` as one expansion, a plain split on spaces as three words.

    >>> _whole_substitutions(["echo", "$((n", "/", "5)):", "$(date", "+%s)", "x"])
    ['echo', '$((n / 5)):', '$(date +%s)', 'x']
    """
    out: list[str] = []
    for word in words:
        if out and "$(" in out[-1] and out[-1].count("(") > out[-1].count(")"):
            out[-1] += " " + word
        else:
            out.append(word)
    return out


# $?, $1, $$, ${x:-y} ...: expansions the running shell model does not do (program_shell does
# $NAME, ${NAME}, $((...)) and $(...))
_UNMODELLED = re.compile(r"\$(?![A-Za-z_(]|\{[A-Za-z_][A-Za-z0-9_]*\})(?=\S)")
def echo_lines(args: list[str]) -> list[str]:
    """The lines ``echo`` prints: ``-e`` turns ``\\n`` into a line break, ``-n`` drops the
    final newline (so ``echo -en '\\n'`` prints one empty line). Without ``-e`` a ``\\n`` is
    dropped (the model has no partial lines)."""
    flags = ""
    while args and re.fullmatch(r"-[neE]+", args[0]):
        flags, args = flags + args[0][1:], args[1:]
    text = " ".join(args)
    if "e" in flags:
        text = text.replace("\\n", "\n").replace("\\t", "\t")
    else:
        text = text.replace("\\n", "")
    if "n" in flags and text.endswith("\n"):
        text = text[:-1]
    return text.split("\n")


@functools.lru_cache(maxsize=256)
def _banner_steps(name: str) -> tuple[tuple, ...]:
    """The ``print`` steps of an image's start-up banner, built once per image (steps are tuples)."""
    return tuple(("print", line) for line in IMAGE_DEFAULTS.get(name, ImageDefaults(True)).banner)


def parse_program(command: list[str], image: str, args: list[str] | None = None, env: tuple | None = None) -> Program:
    """Turn a container's command + args (or the image default) into a :class:`Program`; ``env``
    is the process's environment ((name, value) pairs), which ``printenv`` and ``env`` print."""
    name = image_name(image)
    defaults = IMAGE_DEFAULTS.get(name, ImageDefaults(True))
    if command:
        argv = list(command) + list(args or [])
    else:  # args go to the image's ENTRYPOINT, or replace its CMD
        argv = list(defaults.entrypoint) + list(args or defaults.cmd) if defaults.entrypoint else list(args or [])
    if not argv:
        if defaults.forever:
            exit_code = SIGTERM_EXIT.get(defaults.cmd[0].rsplit("/", 1)[-1], 0) if defaults.cmd else 0
            return Program(steps=list(_banner_steps(name)), forever=True, servers=servers_for(defaults.cmd, image),
                           term_exit=exit_code)
        return Program(steps=[("exit", 0)])
    exe = argv[0]
    if exe in SHELLS:
        script = argv[2] if len(argv) > 2 and argv[1] == "-c" else ""
        error = _syntax_error(script, image)
        if error:  # the shell reads the whole script first: nothing runs
            return Program(steps=[("print", error), ("exit", 2)], ignores_sigterm=True)
        steps, body, problem = _parse_script(script, env)
        program = _finish(steps, body) if not problem else _not_modelled(problem)
        program.ignores_sigterm = True  # a shell as PID 1 has no SIGTERM handler
        return program
    if exe in BUILTINS:
        steps, body, problem = _parse_script(shlex.join(argv), env)
        program = _finish(steps, body) if not problem else _not_modelled(problem)
        # sleep and tail as PID 1 have no SIGTERM handler: the signal does nothing to them
        program.ignores_sigterm = exe in ("sleep", "/bin/sleep", "tail", "/usr/bin/tail")
        return program
    base = exe.rsplit("/", 1)[-1]
    if base == "perl" or base.startswith("perl5"):
        return _perl(argv[1:])
    if base in BUSYBOX_APPLETS and name in ("busybox", "alpine"):
        return _not_modelled(f"'{base}'", "command")
    if exe in DAEMONS or base in DAEMONS:
        return Program(forever=True, servers=servers_for(tuple(argv), image), term_exit=SIGTERM_EXIT.get(base, 0))
    return Program(start_error=f'exec: "{exe}": executable file not found in $PATH')


# How long ``perl -Mbignum=bpi -wle 'print bpi(2000)'`` computes before it prints: a guess for a
# small node (pure-Perl big numbers), not a measurement.
BPI_SECONDS = 2.0


def _perl(args: list[str]) -> Program:
    """The documentation's Job example, ``perl -Mbignum=bpi -wle 'print bpi(2000)'``: pi to that
    many digits, then exit 0. Any other Perl program is not modelled: it runs until stopped.

    >>> program = _perl(["-Mbignum=bpi", "-wle", "print bpi(20)"])
    >>> program.steps
    [('sleep', 2.0), ('print', '3.1415926535897932385'), ('exit', 0)]
    """
    script = " ".join(args)
    match = re.search(r"print\s*\(?\s*bpi\((\d{1,5})\)", script)
    if "-Mbignum=bpi" not in args or match is None or int(match.group(1)) < 1:
        return Program(forever=True, ignores_sigterm=True)
    return Program(steps=[("sleep", BPI_SECONDS), ("print", bpi(int(match.group(1)))), ("exit", 0)],
                   ignores_sigterm=True)


def bpi(digits: int) -> str:
    """Pi to ``digits`` significant digits, rounded, as Perl's ``Math::BigFloat->bpi`` prints it
    (Machin's formula in integers, with guard digits).

    >>> bpi(1), bpi(3), bpi(10)
    ('3', '3.14', '3.141592654')
    """
    guard = 10
    scale = 10 ** (digits - 1 + guard)

    def arctan_inverse(x: int) -> int:  # arctan(1/x) * scale
        total = term = scale // x
        k, sign = 1, 1
        while term:
            term //= x * x
            k, sign = k + 2, -sign
            total += sign * (term // k)
        return total

    pi = 4 * (4 * arctan_inverse(5) - arctan_inverse(239))
    text = str((pi + 5 * 10 ** (guard - 1)) // 10 ** guard)
    return text[0] + ("." + text[1:] if len(text) > 1 else "")


def _not_modelled(problem: str, what: str = "script") -> Program:
    """A script (or a BusyBox applet run directly) the model cannot run: the container runs on
    without running it, and its log says why."""
    return Program(steps=[("print", f"k8slearn: this {what} is not simulated ({problem} is not modelled): "
                                    "the container runs on without running it")], forever=True)


def _finish(steps: list[tuple], body: list[tuple]) -> Program:
    if body:
        return Program(steps=steps, loop_body=body, forever=True)
    if steps and steps[-1][0] == "shell":  # the script's status is its last tool's (wget, grep...)
        steps = steps + [("exit", None)]
    elif not steps or steps[-1][0] != "exit":
        steps = steps + [("exit", 0)]
    if any(s == ("sleep", float("inf")) for s in steps):
        return Program(steps=[s for s in steps if s[0] == "print"], forever=True, ignores_sigterm=True)
    return Program(steps=steps)
