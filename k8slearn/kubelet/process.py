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

A plain ``sleep`` ignores SIGTERM (it runs as PID 1 with no handler), so deleting such a pod
waits the whole grace period before SIGKILL; a web server stops at once. Both are real.

Simplified: no real shell; ``;`` and ``&&`` sequences of ``echo``/``printf``/``sleep``/``exit``/
``true``/``false`` and ``while true; do ...; done`` loops; anything else the image runs by default
runs until stopped.

Upstream: none in Kubernetes (this is the workload); exit handling mirrors containerd's task
exit events (reasons Completed / Error / StartError).
"""

from __future__ import annotations

import functools
import re
import shlex
from dataclasses import dataclass, field

SHELLS = {"sh", "/bin/sh", "bash", "/bin/bash", "ash"}
BUILTINS = {"echo", "printf", "sleep", "exit", "true", "false", "while", "/bin/echo", "/bin/sleep"}
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
}


@dataclass
class ImageDefaults:
    """What an image runs when the pod gives no command, and what it prints when it starts."""

    forever: bool
    banner: list[str] = field(default_factory=list)
    stop_seconds: float = 0.1  # how long it takes to exit after SIGTERM (None = ignores SIGTERM)
    ignores_sigterm: bool = False


NGINX_BANNER = [
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    "/docker-entrypoint.sh: Configuration complete; ready for start up",
]

IMAGE_DEFAULTS = {
    "nginx": ImageDefaults(True, NGINX_BANNER),
    "redis": ImageDefaults(True, ["1:M * Ready to accept connections tcp"]),
    "httpd": ImageDefaults(
        True,
        [
            "AH00558: httpd: Could not reliably determine the server's fully qualified domain name",
            "[mpm_event:notice] resuming normal operations",
        ],
    ),
    "busybox": ImageDefaults(False),  # runs `sh`, which exits at once with no terminal
    "alpine": ImageDefaults(False),
    "ubuntu": ImageDefaults(False),
    "debian": ImageDefaults(False),
    "python": ImageDefaults(False),
}


@dataclass
class Program:
    """A parsed main process: ordered steps, or ``forever``, or a start error."""

    steps: list[tuple] = field(default_factory=list)
    forever: bool = False
    loop_body: list[tuple] = field(default_factory=list)  # repeated forever after ``steps``
    start_error: str = ""
    ignores_sigterm: bool = False


def image_name(image: str) -> str:
    """``docker.io/library/nginx:1.27`` → ``nginx``."""
    name = image.split("@")[0].rsplit("/", 1)[-1]
    return name.split(":")[0]


def _parse_script(script: str) -> tuple[list[tuple], list[tuple], bool]:
    """Parse ``a; b && c`` and one trailing ``while true; do ...; done``."""
    loop_body: list[tuple] = []
    match = re.search(r"while\s+(true|:)\s*;\s*do\s+(.*?);?\s*done\s*$", script)
    if match:
        loop_body, _, _ = _parse_script(match.group(2))
        script = script[: match.start()]
    steps: list[tuple] = []
    for part in re.split(r";|&&|\n", script):
        words = shlex.split(part.strip()) if part.strip() else []
        if not words:
            continue
        cmd, args = words[0], words[1:]
        if cmd in ("echo", "/bin/echo", "printf"):
            steps.append(("print", " ".join(args).replace("\\n", "")))
        elif cmd in ("sleep", "/bin/sleep"):
            steps.append(("sleep", float(args[0]) if args and args[0] != "infinity" else float("inf")))
        elif cmd == "exit":
            steps.append(("exit", int(args[0]) if args else 0))
            break
        elif cmd == "true" or cmd == ":":
            continue
        elif cmd == "false":
            steps.append(("exit", 1))
            break
        else:
            return [], [], False  # something we do not model: treat as a long-running program
    return steps, loop_body, True


@functools.lru_cache(maxsize=256)
def _banner_steps(name: str) -> tuple[tuple, ...]:
    """The ``print`` steps of an image's start-up banner, built once per image (steps are tuples)."""
    return tuple(("print", line) for line in IMAGE_DEFAULTS.get(name, ImageDefaults(True)).banner)


def parse_program(command: list[str], image: str, args: list[str] | None = None) -> Program:
    """Turn a container's command + args (or the image default) into a :class:`Program`."""
    argv = list(command or []) + list(args or [])
    name = image_name(image)
    defaults = IMAGE_DEFAULTS.get(name, ImageDefaults(True))
    if not argv:
        if defaults.forever:
            return Program(steps=list(_banner_steps(name)), forever=True)
        return Program(steps=[("exit", 0)])
    exe = argv[0]
    if exe in SHELLS:
        script = argv[2] if len(argv) > 2 and argv[1] == "-c" else ""
        steps, body, understood = _parse_script(script)
        program = _finish(steps, body) if understood else Program(forever=True)
        program.ignores_sigterm = True  # a shell as PID 1 has no SIGTERM handler
        return program
    if exe in BUILTINS:
        steps, body, understood = _parse_script(shlex.join(argv))
        program = _finish(steps, body) if understood else Program(forever=True)
        program.ignores_sigterm = exe in ("sleep", "/bin/sleep")
        return program
    if exe in DAEMONS or exe.rsplit("/", 1)[-1] in DAEMONS:
        return Program(forever=True)
    return Program(start_error=f'exec: "{exe}": executable file not found in $PATH')


def _finish(steps: list[tuple], body: list[tuple]) -> Program:
    if body:
        return Program(steps=steps, loop_body=body, forever=True)
    if not steps or steps[-1][0] != "exit":
        steps = steps + [("exit", 0)]
    if any(s == ("sleep", float("inf")) for s in steps):
        return Program(steps=[s for s in steps if s[0] == "print"], forever=True, ignores_sigterm=True)
    return Program(steps=steps)
