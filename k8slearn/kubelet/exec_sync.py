"""ExecSync: run a command inside a running container and return its exit code and output.

This is the CRI call behind ``exec`` probes: containerd starts a second process in the container's
namespaces (``runc exec``), waits for it and hands back its combined output. The command sees the
container's own files, so the Kubernetes documentation's liveness example works: the main process
runs ``touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600`` and the probe runs
``cat /tmp/healthy``:

>>> files = {"/tmp/healthy": True}
>>> exec_sync(["cat", "/tmp/healthy"], "busybox", files)
(0, '')
>>> exec_sync(["cat", "/tmp/gone"], "busybox", files)
(1, "cat: can't open '/tmp/gone': No such file or directory\\n")
>>> exec_sync(["sh", "-c", "test -f /tmp/healthy && echo ok"], "nginx", files)
(0, 'ok\\n')
>>> exec_sync(["sh", "-c", "cat /tmp/healthy > /dev/null 2>&1 || exit 7"], "busybox", {})
(7, "cat: can't open '/tmp/healthy': No such file or directory\\n")
>>> exec_sync(["nosuch"], "nginx", {})
Traceback (most recent call last):
...
k8slearn.kubelet.exec_sync.ExecError: exec: "nosuch": executable file not found in $PATH

BusyBox images (busybox, alpine, agnhost) print BusyBox's messages, the others GNU coreutils' and
dash's; images without a shell or utilities (pause, coredns, kube-proxy, goproxy) run nothing.

Simplified: the commands ``cat``, ``ls``, ``test``/``[``, ``true``, ``false``, ``echo``, ``exit``
and ``sh -c`` scripts of them joined by ``;``, ``&&``, ``||`` and ``|`` are modelled (redirections
are ignored: output is never kept); common tools we do not
model (``wget``, ``curl``, ``grep``, ``pgrep``, ``redis-cli``, ...) succeed with no output; files
have no content; every command finishes at once (no timeouts).

Upstream: containerd internal/cri/server/container_execsync.go, runc exec; the messages are
BusyBox's, GNU coreutils' and dash's
"""

from __future__ import annotations

import re
import shlex

BUSYBOX_IMAGES = {"busybox", "alpine", "agnhost"}
NO_USERLAND = {"pause", "coredns", "kube-proxy", "goproxy"}
IMAGE_FILES = {"/", "/etc", "/tmp", "/bin", "/usr", "/var", "/etc/hostname", "/etc/hosts",
               "/etc/resolv.conf", "/etc/passwd", "/bin/sh"}
IMAGE_EXTRA_FILES = {
    "nginx": {"/usr/share/nginx/html", "/usr/share/nginx/html/index.html", "/etc/nginx",
              "/etc/nginx/nginx.conf", "/etc/nginx/conf.d/default.conf"},
    "httpd": {"/usr/local/apache2/htdocs", "/usr/local/apache2/htdocs/index.html"},
}
MODELLED = {"cat", "ls", "test", "[", "true", "false", "echo", "sh", "bash", "exit", ":"}
# Real tools the simulation does not run: a probe using them is taken to succeed.
ASSUMED_OK = {"wget", "curl", "grep", "pgrep", "ps", "nc", "stat", "find", "head", "tail", "redis-cli",
              "pg_isready", "mysqladmin", "nginx", "httpd", "python", "python3", "node", "/agnhost", "agnhost",
              "timeout", "sleep", "date", "whoami", "id", "env"}
GNU_ONLY = {"bash"}  # not in BusyBox images


class ExecError(Exception):
    """The process could not be started (runc's message); ``str()`` is the reason."""


def _exists(path: str, image: str, files: dict | None) -> bool:
    if files and path in files:
        return files[path]
    return path in IMAGE_FILES or path in IMAGE_EXTRA_FILES.get(image, ())


def exec_sync(argv: list[str], image: str, files: dict | None) -> tuple[int, str]:
    """Run ``argv`` in a container of ``image`` whose own files are ``files``; (exit code, output).
    Raises :class:`ExecError` when the executable does not exist in the image."""
    if not argv:
        raise ExecError("exec: no command")
    exe = argv[0].rsplit("/", 1)[-1]
    if image in NO_USERLAND or exe not in MODELLED | ASSUMED_OK or (
        exe in GNU_ONLY and image in BUSYBOX_IMAGES
    ):
        raise ExecError(f'exec: "{argv[0]}": executable file not found in $PATH')
    if exe in ("sh", "bash"):
        script = argv[2] if len(argv) > 2 and argv[1] == "-c" else ""
        return _script(script, image, files, shell=exe)
    return _command(list(argv), image, files, shell="")


def _script(script: str, image: str, files: dict | None, shell: str) -> tuple[int, str]:
    """A ``sh -c`` script: simple commands joined by ``;``, ``&&``, ``||`` (and newlines)."""
    code, output, joiner = 0, "", ";"
    for part in re.split(r"(;|&&|\|\||\n)", script):
        if part in (";", "&&", "||", "\n"):
            joiner = part
            continue
        if not part.strip() or (joiner == "&&" and code != 0) or (joiner == "||" and code == 0):
            continue
        words = _without_redirects(shlex.split(part))
        if words and words[0] == "exit":
            return (int(words[1]) if len(words) > 1 else code), output
        # a pipeline a | b: its exit code is the last command's; earlier ones only add their errors
        for stage in _pipeline(words):
            code, out = _command(stage, image, files, shell)
            output += out
    return code, output


def _pipeline(words: list[str]) -> list[list[str]]:
    stages: list[list[str]] = [[]]
    for word in words:
        if word == "|":
            stages.append([])
        else:
            stages[-1].append(word)
    return [stage for stage in stages if stage]


def _without_redirects(words: list[str]) -> list[str]:
    """Drop ``> file``, ``2>&1``, ``>/dev/null`` and the like (output is not kept anyway)."""
    kept, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word in (">", ">>", "2>", "<", "1>"):
            skip = True
        elif not re.fullmatch(r"\d?>>?&?\S*|<\S+", word):
            kept.append(word)
    return kept


def _command(words: list[str], image: str, files: dict | None, shell: str) -> tuple[int, str]:
    exe, args = words[0].rsplit("/", 1)[-1], words[1:]
    busybox = image in BUSYBOX_IMAGES
    if exe not in MODELLED | ASSUMED_OK or (exe in GNU_ONLY and busybox):
        if busybox:
            return 127, f"{shell}: {words[0]}: not found\n"
        if shell == "bash":
            return 127, f"bash: line 1: {words[0]}: command not found\n"
        return 127, f"{shell}: 1: {words[0]}: not found\n"
    if exe in ASSUMED_OK or exe in (":", "true"):
        return 0, ""
    if exe == "false":
        return 1, ""
    if exe == "echo":
        return 0, " ".join(args) + "\n"
    paths = [a for a in args if not a.startswith("-")]
    if exe == "cat":
        out, code = "", 0
        for path in paths:
            if not _exists(path, image, files):
                code = 1
                out += (f"cat: can't open '{path}': No such file or directory\n" if busybox
                        else f"cat: {path}: No such file or directory\n")
        return code, out
    if exe == "ls":
        out, code = "", 0
        for path in paths or ["."]:
            if path == "." or _exists(path, image, files):
                out += f"{path}\n" if path != "." else ""
            elif busybox:
                code, out = 1, out + f"ls: {path}: No such file or directory\n"
            else:
                code, out = 2, out + f"ls: cannot access '{path}': No such file or directory\n"
        return code, out
    # test / [ EXPR ]: -e -f -d -s PATH, or a non-empty string
    if exe == "[":
        args = args[:-1] if args and args[-1] == "]" else args
    if len(args) == 2 and args[0] in ("-e", "-f", "-d", "-s", "-r"):
        return (0 if _exists(args[1], image, files) else 1), ""
    if len(args) == 2 and args[0] == "!":
        return (1 if args[1] else 0), ""
    return (0 if args and args[0] else 1), ""
