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

Simplified: no real shell; ``;`` and ``&&`` sequences (``&&`` skips the rest of its list after a
tool that failed) of ``echo``/``printf``/``sleep`` (``1m``,
``1h 30m``)/``exit``/``true``/``false``/``touch``/``mkdir``/``rm``/``date`` (the simulated clock, in
UTC)/``printenv``/``env``, variable assignments, the file tools ``ls``, ``cat``, ``head``, ``tail``,
``wc``, ``grep``, ``hostname`` and BusyBox's ``wget`` (run through the simulated shell when the
program gets there, in the container's files, volumes and pod network; the script ends with the
last one's status; what they do not model they say in the log and fail, as ``kubectl exec``
does), ``tail -f``/``-F`` of one file as the last command, and ``while true; do ...; done`` loops, ``for NAME in WORDS; do ...; done`` loops (written out turn by
turn: :func:`k8slearn.kubelet.program_shell.unroll_for_loops`); ``$NAME`` of the environment is
expanded before, by :mod:`k8slearn.kubelet.kuberuntime`, unless the script sets variables of its
own; ``$`` expansions
in ``echo`` only; ``if COND; then ...; [elif ...;] [else ...;] fi`` (an ``if`` step: the condition
runs in the container when the program gets there, then the chosen branch's steps); ``while
COND``/``until COND`` loops the same way (a turn that sleeps less than 10 ms is followed by a 10 ms
pause: a simulation limit, so a busy wait polls instead of spinning); ``trap ACTION TERM`` (also
``SIGTERM``/``15``; ``''`` ignores, ``-`` resets; traps on signals nothing sends here, such as
``INT``, do nothing) and ``sleep N & wait``, the way a script takes the kubelet's SIGTERM
(:meth:`k8slearn.kubelet.task.Tasks._take_term`). The Job example's
``perl -Mbignum=bpi -wle 'print bpi(2000)'`` prints pi (:mod:`k8slearn.kubelet.program_perl`); its
short ``python3 -c`` scripts exit by ``JOB_COMPLETION_INDEX`` (:mod:`k8slearn.kubelet.program_python`).
polinux/stress's ``stress`` and vish/stress allocate the memory they are told to
(:attr:`Program.memory`), which the runtime checks against the container's memory limit
(:mod:`k8slearn.kubelet.runtime`). Anything else (``case``, functions, a ``for`` over a glob, a
``$`` elsewhere, a ``trap`` on ``EXIT`` or another signal, other uses of ``&``, a command the model
does not run) runs until stopped without running the script, its log saying what is not
modelled; whatever the image runs by default runs until stopped too.

Upstream: none in Kubernetes (this is the workload); exit handling mirrors containerd's task
exit events (reasons Completed / Error / StartError / OOMKilled); BusyBox ash's ``trap`` (shell/ash.c
trapcmd, libbb get_signum) and POSIX XCU 2.11 (when a trap runs); stress 1.0.4 (stress.c);
github.com/vishh/stress.
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass, field

from k8slearn.api.quantity import memory_bytes
from k8slearn.kubelet.exec_context import BUSYBOX_IMAGES
from k8slearn.kubelet.exec_tools import IMAGE_TOOLS
from k8slearn.kubelet.program_perl import perl_one_liner
from k8slearn.kubelet.program_python import python_script
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
AND = "&& "  # _commands: this command runs only if the one before it succeeded
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
    exit_code: int = 0  # how the CMD of an image that does not run forever exits
    reads_stdin: bool = False  # its CMD (a shell, a REPL) reads its commands from stdin


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
    # runs `sh`, which reads its commands from stdin: with none open (no `stdin: true`), it ends at once
    "busybox": ImageDefaults(False, reads_stdin=True),
    "alpine": ImageDefaults(False, reads_stdin=True),
    "ubuntu": ImageDefaults(False, reads_stdin=True),
    "debian": ImageDefaults(False, reads_stdin=True),
    "python": ImageDefaults(False, reads_stdin=True),
    "perl": ImageDefaults(False, reads_stdin=True),  # its CMD, perl5.x with no script, reads one from stdin
    "vish/stress": ImageDefaults(True, entrypoint=("/stress",)),  # the CPU resource examples' image
    "netshoot": ImageDefaults(False, reads_stdin=True),  # its CMD is zsh
    # curlimages/curl: ENTRYPOINT /entrypoint.sh, CMD curl; curl with no URL says so and exits 2
    "curl": ImageDefaults(False, ["curl: try 'curl --help' or 'curl --manual' for more information"], exit_code=2),
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
    # what it allocates (stress): (base bytes, bytes per chunk, seconds per chunk, chunks); () none
    memory: tuple = ()
    reads_stdin: bool = False  # it waits for its commands on an open stdin (until it is closed)

    def oom_after(self, limit: int) -> float | None:
        """Seconds after it starts at which its memory passes ``limit`` bytes (the container's
        ``resources.limits.memory``): then the kernel's OOM killer kills it. None: it never does
        (no limit, or it stays under it).

        >>> Program(memory=(0, 10, 1.0, 15)).oom_after(100), Program(memory=(0, 10, 1.0, 5)).oom_after(100)
        (11.0, None)
        """
        if not self.memory or limit <= 0:
            return None
        base, chunk, seconds, chunks = self.memory
        if base + chunk * chunks <= limit:
            return None
        return max((limit - base) // chunk + 1, 1) * seconds


def image_name(image: str) -> str:
    """``docker.io/library/nginx:1.27`` → ``nginx``."""
    name = image.split("@")[0].rsplit("/", 1)[-1]
    return name.split(":")[0]


def _parse_script(script: str, env: tuple | None = None) -> tuple[list[tuple], list[tuple], str]:
    """Parse ``a; b && c`` and one trailing ``while true; do ...; done``: (steps, loop body, what is
    not modelled, "" if nothing). ``env`` is the process's environment, for ``printenv`` and ``env``
    (without it they are not understood)."""
    try:
        unrolled = unroll_for_loops(_protect_traps(script))  # for NAME in WORDS; do ...; done: written out
        return _parse_steps(unrolled, env) if unrolled is not None else ([], [], "this for loop")
    except ValueError:  # quotes the simple split on ; cannot follow ("echo 'a; b'"): not modelled
        return [], [], "quoting the simple split on ; cannot follow"


def _syntax_error(script: str, image: str) -> str:
    """What the image's ``sh`` says about a script whose quotes never close ("" if they do)."""
    try:
        shlex.split(script)
        return ""
    except ValueError:
        if image_name(image) in BUSYBOX_IMAGES:
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
    command that follows them (``then echo yes`` is ``then`` and ``echo yes``); a command that
    runs only if the one before it succeeded starts with ``&&`` (:data:`AND`).

    >>> _commands("cat /tmp/x && echo ok; echo done")
    ['cat /tmp/x', '&& echo ok', 'echo done']
    """
    out, chained = [], False
    for part in re.split(r"(;|&&|\n)", script):
        if part in (";", "\n", "&&"):
            chained = part == "&&"
            continue
        part = part.strip()
        head, _, rest = part.partition(" ")
        if head in ("then", "else", "do") and rest.strip():
            out += [head, rest.strip()]
        elif part:
            out.append(AND + part if chained else part)
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
    chosen as the program gets there); what is not modelled ("" if every command is).

    ``A && B``: when A is a tool run in the container (a ``shell`` step, which may fail), it
    becomes an ``and`` step, ``("and", (A, steps of B))``: B runs only if A succeeded, and the
    status of the list is the last one run (an ``exit`` in B ends the script; a command after the
    list's ``;`` runs either way). Other commands (``echo``, ``sleep``...) cannot fail here.

    >>> _steps(["cat /tmp/x", "&& echo ok", "echo done"], None)
    ([('and', ('cat /tmp/x', [('print', 'ok')])), ('print', 'done')], '')
    """
    out: list[tuple] = []
    steps, ended = out, False  # where the next steps go: the script's, or an and-list's rest
    for part in _background_waits(items):
        if part.__class__ is str and part.startswith(AND):
            part = part[len(AND):]
            if ended:  # A && exit 1 && B: B is never reached
                continue
            if steps and steps[-1][0] == "shell":
                rest: list[tuple] = []
                steps[-1] = ("and", (steps[-1][1], rest))
                steps = rest
        else:
            steps, ended = out, False
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
        wait = _BACKGROUND_WAIT.fullmatch(part.strip())
        if wait is not None:  # sleep N & wait: the shell waits in its ``wait`` builtin
            seconds = sleep_seconds(wait.group(1).split())
            if seconds is None:
                return [], f"'{part.strip()}'"
            steps.append(("wait", seconds))
            continue
        if cmd == "trap":
            step, problem = _trap(args, env)
            if problem:
                return [], problem
            if step is not None:
                steps.append(step)
            continue
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
            if steps is out:
                break
            ended = True
            continue
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
            if steps is out:
                break
            ended = True
        elif cmd == "date" and not args:
            steps.append(("date", ""))
        elif cmd in ("touch", "mkdir"):
            steps.extend((cmd, arg) for arg in args if not arg.startswith("-"))
        elif cmd == "rm":
            steps.extend(("rm", arg) for arg in args if not arg.startswith("-"))
        elif cmd == "true" or cmd == ":":
            continue
        elif cmd == "false":
            steps.append(("shell", "false"))  # status 1; the script goes on
        else:
            return [], f"'{cmd}'"  # something we do not model: treat as a long-running program
    return out, ""


# ``trap 'ACTION' SIGNALS``: the quoted action is written as one word of hex digits before the script
# is split on ``;`` (so ``trap 'echo bye; exit 0' TERM`` stays one command), and read back by _trap
_TRAP_WORD = "k8slearn-trap-"
_TRAP_ACTION = re.compile(r"(^|[;\n&|]|\bthen\b|\bdo\b)(\s*trap\s+)('[^']*'|\"[^\"$`\\]*\")(?=\s)")
_BACKGROUND_WAIT = re.compile(r"(?:/bin/)?sleep\s+([^&;|<>$]+?)\s*&\s*wait(?:\s+\$!)?")
# Signals a trap may name that nothing sends to a container's process here (the kubelet stops a
# container with SIGTERM, then SIGKILL): setting their trap changes nothing the model shows.
_UNSENT_SIGNALS = {"HUP", "INT", "QUIT", "USR1", "USR2", "1", "2", "3", "10", "12"}


def _protect_traps(script: str) -> str:
    """``script`` with each quoted trap action made one word (:data:`_TRAP_WORD` and its hex).

    >>> _protect_traps("trap 'echo bye; exit 0' TERM; sleep 1")
    'trap k8slearn-trap-6563686f206279653b20657869742030 TERM; sleep 1'
    """
    if "trap" not in script:
        return script
    return _TRAP_ACTION.sub(lambda m: m.group(1) + m.group(2) + _TRAP_WORD + m.group(3)[1:-1].encode().hex(),
                            script)


def _background_waits(items: list) -> list:
    """``sleep N &`` and a ``wait`` (or ``wait $!``) after it, on lines of their own, as the one
    command ``sleep N & wait``."""
    out: list = []
    for item in items:
        if item.__class__ is str and re.fullmatch(r"wait(\s+\$!)?", item.strip()) and out \
                and out[-1].__class__ is str and out[-1].rstrip().endswith("&"):
            out[-1] = f"{out[-1].rstrip()} wait"
        else:
            out.append(item)
    return out


def _trap(args: list[str], env: tuple | None) -> tuple[tuple | None, str]:
    """BusyBox ash's ``trap ACTION SIGNALS``: the ``("trap", action)`` step for SIGTERM (the
    action's steps; ``()`` for ``trap '' TERM``, which ignores it; None for ``trap - TERM``, which
    resets it), None when SIGTERM is not named; and what is not modelled ("" if nothing).

    A signal is named as ``TERM``, ``SIGTERM`` or ``15``, in any case (ash's get_signum); a lone
    operand, or a first one that is a number, resets the signals named (POSIX). Traps on signals
    nothing sends here (``INT``, ``HUP``...) change nothing; ``EXIT`` and the others are not modelled.

    >>> _trap(["exit 143", "SIGTERM"], None), _trap(["", "TERM"], None), _trap(["-", "term"], None)
    ((('trap', (('exit', 143),)), ''), (('trap', ()), ''), (('trap', None), ''))
    >>> _trap(["echo bye", "EXIT"], None)
    (None, "'trap' on EXIT")
    """
    if not args or args[0].startswith("-") and args[0] != "-":  # trap (list them), trap -p, trap -l
        return None, "'trap' " + " ".join(args[:1]) if args else "'trap' without arguments"
    reset = len(args) == 1 or args[0].isdigit()
    action = None if reset else args[0]
    if action is not None and action.startswith(_TRAP_WORD):
        action = bytes.fromhex(action[len(_TRAP_WORD):]).decode()
    term = False
    for signal in args if reset else args[1:]:
        name = signal.upper()[3:] if signal.upper().startswith("SIG") else signal.upper()
        if name in ("TERM", "15"):
            term = True
        elif name not in _UNSENT_SIGNALS:
            return None, f"'trap' on {signal}"
    if not term:
        return None, ""
    if action is None or action == "-":
        return ("trap", None), ""
    if not action.strip():
        return ("trap", ()), ""
    steps, body, problem = _parse_steps(_protect_traps(action), env)
    if problem or body:
        return None, problem or "a loop in a trap"
    if steps and steps[-1] == ("exit", 0) and _commands(action)[-1] == "exit":
        steps[-1] = ("exit", None)  # a bare exit: the status of the command the trap interrupted
    return ("trap", tuple(steps)), ""


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


def parse_program(command: list[str], image: str, args: list[str] | None = None, env: tuple | None = None,
                  stdin: bool = False) -> Program:
    """Turn a container's command + args (or the image default) into a :class:`Program`; ``env``
    is the process's environment ((name, value) pairs), which ``printenv`` and ``env`` print.
    ``stdin``: the container's stdin is open (``stdin: true``), so a shell with no script waits
    for its commands there instead of reading the end of an empty input at once."""
    name = image_name(image)
    vish = name == "stress" and "/".join(image.split("@")[0].split("/")[-2:]).startswith("vish/stress")
    defaults = IMAGE_DEFAULTS.get("vish/stress" if vish else name, ImageDefaults(True))
    if command:
        argv = list(command) + list(args or [])
    else:  # args go to the image's ENTRYPOINT, or replace its CMD
        argv = list(defaults.entrypoint) + list(args or defaults.cmd) if defaults.entrypoint else list(args or [])
    if not argv:
        if stdin and defaults.reads_stdin:
            return _reading_stdin()
        if defaults.forever:
            exit_code = SIGTERM_EXIT.get(defaults.cmd[0].rsplit("/", 1)[-1], 0) if defaults.cmd else 0
            return Program(steps=list(_banner_steps(name)), forever=True, servers=servers_for(defaults.cmd, image),
                           term_exit=exit_code)
        return Program(steps=[*_banner_steps(name), ("exit", defaults.exit_code)])
    exe = argv[0]
    if exe in SHELLS:
        if stdin and len(argv) == 1:
            return _reading_stdin()
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
        steps, problem = perl_one_liner(argv[1:])
        program = Program(steps=steps) if steps is not None else _not_modelled(problem, "command")
        program.ignores_sigterm = True  # perl as PID 1 with no SIGTERM handler
        return program
    if base == "stress" and name == "stress":  # polinux/stress (stress 1.0.4) or vish/stress (Go)
        return _vish_stress(argv[1:]) if vish else _stress(argv[1:])
    if base in BUSYBOX_APPLETS and name in ("busybox", "alpine"):
        return _not_modelled(f"'{base}'", "command")
    if base in ("python", "python3") and len(argv) == 3 and argv[1] == "-c":
        steps, _ = python_script(argv[2], dict(env) if env is not None else None)
        if steps is not None:  # (else it runs on, as any other python program here)
            return Program(steps=steps)
    if exe in DAEMONS or base in DAEMONS:
        return Program(forever=True, servers=servers_for(tuple(argv), image), term_exit=SIGTERM_EXIT.get(base, 0))
    if base in IMAGE_TOOLS.get(name, ()):  # the image has it (BusyBox's rev): not the runtime's error
        return _not_modelled(f"'{base}'", "command")
    return Program(start_error=f'exec: "{exe}": executable file not found in $PATH')


def _reading_stdin() -> Program:
    """A shell waiting for commands on its open stdin: it runs until the stdin is closed (the
    runtime's Attach with ``stdinOnce``), then reads the end of its input and exits 0. As PID 1 it
    has no SIGTERM handler."""
    return Program(forever=True, reads_stdin=True, ignores_sigterm=True)


MiB = 1 << 20
# What stress uses beyond its --vm-bytes: the documentation's memory-demo (150M) shows 162856960
# bytes in ``kubectl top``, 5570560 more than 150 MiB.
STRESS_OVERHEAD = 162_856_960 - 150 * MiB
# How long a vm worker takes to malloc and touch its --vm-bytes: a guess (tens of ms per 100 MiB)
STRESS_ALLOC_SECONDS = 0.1
_STRESS_SHORT = {"-c": "--cpu", "-i": "--io", "-m": "--vm", "-d": "--hdd", "-t": "--timeout",
                 "-b": "--backoff", "-q": "--quiet"}
_STRESS_VALUED = {"--cpu", "--io", "--vm", "--hdd", "--timeout", "--backoff", "--vm-bytes", "--vm-stride",
                  "--vm-hang", "--hdd-bytes"}
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "y": 31536000}


def _stress(args: list[str]) -> Program:
    """polinux/stress's ``stress`` (Amos Waterland's stress 1.0.4), the memory examples' program:
    ``--vm N`` workers each malloc and touch ``--vm-bytes`` (default 256M; k/m/g are powers of
    1024, so ``150M`` is 150 MiB) again and again; ``--cpu``/``--io``/``--hdd`` workers only spin.
    It prints its ``dispatching hogs`` line (not with ``-q``) and runs until stopped, or for
    ``--timeout`` (s/m/h/d/y), then says ``successful run completed`` and exits 0. It has no
    SIGTERM handler (as PID 1 the signal does nothing: SIGKILL at the grace period's end).

    >>> program = _stress(["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"])
    >>> program.steps, program.oom_after(100 * MiB), program.oom_after(300 * MiB)
    ([('print', 'stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd')], 0.1, None)

    Simplified: its memory is its workers' ``--vm-bytes`` plus a fixed overhead, reached
    :data:`STRESS_ALLOC_SECONDS` after it starts; an option it does not know, ``-v`` and options
    run together (``-c2``) are not modelled.
    """
    counts = {"--cpu": 0, "--io": 0, "--vm": 0, "--hdd": 0}
    vm_bytes, timeout, quiet, i = 256 * MiB, None, False, 0
    while i < len(args):
        name, equals, value = str(args[i]).partition("=")
        name = _STRESS_SHORT.get(name, name)
        if name in ("--quiet", "--vm-keep") and not equals:
            quiet, i = quiet or name == "--quiet", i + 1
            continue
        if name not in _STRESS_VALUED or not equals and i + 1 >= len(args):
            return _not_modelled(f"'stress {args[i]}'", "command")
        if not equals:
            value, i = str(args[i + 1]), i + 1
        i += 1
        match = re.fullmatch(r"(\d+)([a-zA-Z]?)", value)
        units = _SECONDS if name == "--timeout" else _UNITS
        if match is None or match.group(2).lower() not in units:
            return _not_modelled(f"'stress {name} {value}'", "command")
        amount = int(match.group(1)) * units[match.group(2).lower()]
        if name in counts:
            counts[name] = amount
        elif name == "--vm-bytes":
            vm_bytes = amount
        elif name == "--timeout":
            timeout = amount
    if not any(counts.values()):
        return _not_modelled("'stress' without workers", "command")
    banner = "stress: info: [1] dispatching hogs: {} cpu, {} io, {} vm, {} hdd".format(*counts.values())
    steps: list[tuple] = [] if quiet else [("print", banner)]
    memory = (STRESS_OVERHEAD, counts["--vm"] * vm_bytes, STRESS_ALLOC_SECONDS, 1) if counts["--vm"] else ()
    if timeout is None:
        return Program(steps=steps, forever=True, ignores_sigterm=True, memory=memory)
    done = [] if quiet else [("print", f"stress: info: [1] successful run completed in {timeout}s")]
    steps += [("sleep", float(timeout)), *done, ("exit", 0)]
    return Program(steps=steps, ignores_sigterm=True, memory=memory)


_GO_DURATION = re.compile(r"((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+")
_GO_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def _vish_stress(args: list[str]) -> Program:
    """vish/stress's ``/stress`` (github.com/vishh/stress, Go), the CPU examples' program:
    ``-cpus N`` threads spin; ``-mem-total Q`` is allocated ``-mem-alloc-size Q`` (default 4Ki)
    at a time, ``-mem-alloc-sleep D`` (default 1ms) apart; then it runs until stopped. A Go program
    with no SIGTERM handler: as PID 1 it exits with code 2 on SIGTERM.

    >>> program = _vish_stress(["-cpus", "2"])
    >>> program.forever, program.memory, program.term_exit
    (True, (), 2)
    >>> filling = _vish_stress(["-mem-total", "150Mi", "-mem-alloc-size", "10Mi", "-mem-alloc-sleep", "1s"])
    >>> filling.oom_after(100 * MiB)  # past 100Mi with its 11th 10Mi chunk
    11.0

    Simplified: it prints nothing (its glog lines are not simulated); CPU is not throttled or
    measured; glog's own flags are accepted and do nothing; any other flag is not modelled.
    """
    total, step, pause, i = 0, 4 << 10, 0.001, 0
    while i < len(args):
        name, equals, value = str(args[i]).lstrip("-").partition("=")
        if name in ("logtostderr", "alsologtostderr"):
            i += 1
            continue
        if name not in ("cpus", "mem-total", "mem-alloc-size", "mem-alloc-sleep", "v", "stderrthreshold") \
                or not equals and i + 1 >= len(args):
            return _not_modelled(f"'{args[i]}'", "command")
        if not equals:
            value, i = str(args[i + 1]), i + 1
        i += 1
        try:
            if name == "cpus":
                int(value)
            elif name == "mem-total":
                total = memory_bytes(value)
            elif name == "mem-alloc-size":
                step = memory_bytes(value)
            elif name == "mem-alloc-sleep":
                if _GO_DURATION.fullmatch(value) is None:
                    raise ValueError(value)
                pause = sum(float(n) * _GO_UNITS[u] for n, u in re.findall(r"([\d.]+)([a-zµ]+)", value))
        except ValueError:
            return _not_modelled(f"'-{name} {value}'", "command")
    memory = (0, step, pause, -(-total // step)) if total > 0 and step > 0 else ()
    return Program(forever=True, term_exit=SIGTERM_EXIT["agnhost"], memory=memory)


def _not_modelled(problem: str, what: str = "script") -> Program:
    """A script (or a BusyBox applet run directly) the model cannot run: the container runs on
    without running it, and its log says why."""
    return Program(steps=[("print", f"k8slearn: this {what} is not simulated ({problem} is not modelled): "
                                    "the container runs on without running it")], forever=True)


def _finish(steps: list[tuple], body: list[tuple]) -> Program:
    if body:
        return Program(steps=steps, loop_body=body, forever=True)
    if steps and steps[-1][0] in ("shell", "and"):  # the script's status is its last tool's (wget, grep...)
        steps = steps + [("exit", None)]
    elif not steps or steps[-1][0] != "exit":
        steps = steps + [("exit", 0)]
    if any(s == ("sleep", float("inf")) for s in steps):
        return Program(steps=[s for s in steps if s[0] == "print"], forever=True, ignores_sigterm=True)
    return Program(steps=steps)
