"""Tasks: the running process of each container, behind the runtime's CRI calls.

containerd calls a container's running process a *task*; a small shim process per container
(``containerd-shim-runc-v2``) starts it with runc, waits for it and reports its exit
(``TaskExit``) back to containerd, whose CRI plugin marks the container exited and the kubelet's
PLEG notices. Here a task runs the container's tiny program (:mod:`k8slearn.kubelet.process`)
over simulated time:

- ``print`` lines go to the container's log, the lines printed at one moment kept together;
- ``sleep`` waits on the loop's clock (``sleep infinity`` simply never wakes);
- ``touch`` and ``rm`` change the container's own files (``Container.files``), or, under a
  volume's mount path, the volume's files (an emptyDir written by one container is read by the
  other; a write under a read-only mount prints the shell's ``Read-only file system`` error);
- ``exit`` ends the task (reason ``Completed`` for code 0, else ``Error``) and tells the
  runtime's ``on_container_exit`` (the PLEG hook);
- a ``while true`` body runs again after its last step;
- an ``if`` runs its condition in the container when the program gets there (the simulated shell,
  :mod:`k8slearn.kubelet.exec_sync`), then the steps of the branch it chose; ``while COND`` and
  ``until COND`` run theirs before every turn (a turn that sleeps less than 10 ms is followed by
  a 10 ms pause, so a busy wait polls);
- a script's own variables, ``$((...))`` and ``$(...)`` (``date`` at the simulated time) are worked
  out when it gets there (:mod:`k8slearn.kubelet.program_shell`);
- ``tail -f FILE`` prints the file's last lines, then checks it every second for new ones (``-F``
  also waits for a file that is not there yet);
- ``trap ACTION TERM`` sets what the shell does on SIGTERM, and ``sleep N & wait`` waits in the
  ``wait`` builtin: a trapped SIGTERM ends a ``wait`` at once and runs the action, or runs it
  once the foreground command (``sleep``) ends (:meth:`Tasks._take_term`; POSIX XCU 2.11).

``exec_sync`` (the CRI's ExecSync, behind exec probes) and ``exec`` (behind ``kubectl exec``)
start one more process in a running container and wait for it (:mod:`k8slearn.kubelet.exec_sync`).

Simplified: no real processes, cgroups or signals (``StopContainer`` decides when the task
ends and calls ``_exit`` itself; a program that ignores SIGTERM may still end by itself first).

Upstream: containerd cmd/containerd-shim-runc-v2/task/service.go (the shim's task service),
BusyBox ash's trap and wait (shell/ash.c: trapcmd, dotrap, waitcmd),
containerd internal/cri/server/events.go (TaskExit: the container exited),
containerd internal/cri/server/container_execsync.go (ExecSync)
"""

from __future__ import annotations

import functools
import hashlib

from k8slearn.kubelet.container_fs import ReadOnlyFileSystem, container_files, lookup
from k8slearn.kubelet.cri import Container, RuntimeError_
from k8slearn.kubelet.exec_context import BUSYBOX_IMAGES
from k8slearn.kubelet.exec_env import process_env
from k8slearn.kubelet.exec_ps import pid_namespace
from k8slearn.kubelet.exec_sync import ExecError, run, script
from k8slearn.kubelet.exec_tools import (
    DIR,
    ExecContext,
    date_text,
    redirect_read_only_error,
    tool_read_only_error,
)
from k8slearn.kubelet.process import echo_lines, image_name
from k8slearn.kubelet.program_shell import (
    QUOTED_DOLLAR,
    Shell,
    ShellError,
    TailOptions,
    first_lines,
    protect_single_quoted,
    tail_messages,
)

_PRINTS = ("print", "date", "echo")  # steps that print: lines printed at one moment are one log entry
TAIL_SLEEP = 1.0  # BusyBox tail -f: sleep(sleep_period), 1 s unless -s says otherwise
BUSY_LOOP_SLEEP = 0.01  # a loop that sleeps less than this per turn is run once (a simulation limit)


class Tasks:
    """The process part of :class:`~k8slearn.kubelet.runtime.ContainerRuntime`."""

    _failed_execs = 0  # exec starts that failed: their ids are made from it

    def _advance(self, container: Container, steps: list, again: bool = True) -> None:
        """Run the program's steps from now until it sleeps, exits or runs forever (``again``: a
        ``while true`` body starts over when it is done)."""
        container._waiting = None
        if container._pending_trap is not None:  # SIGTERM came during the command that just ended
            steps[:0] = container._pending_trap
            container._pending_trap, container.last_status = None, 0
        while steps:
            kind, value = steps.pop(0)
            try:
                if kind in _PRINTS:
                    lines = self._printed(container, kind, value)
                    while steps and steps[0][0] in _PRINTS:
                        lines.extend(self._printed(container, *steps.pop(0)))
                    container.logs.append(_log_entry(self.loop.now, _lines(tuple(lines))))
                    continue
                if kind == "set":
                    self._shell(container).assign(*value)
                    continue
                if kind == "trap":  # trap ACTION TERM (None: reset, (): ignored, as PID 1 it is anyway)
                    container.term_trap = value or None
                    continue
                if kind == "if":  # the branch its condition chooses runs next
                    condition, then_steps, else_steps = value
                    code, lines = self._condition(container, condition)
                    if lines:
                        container.logs.append(_log_entry(self.loop.now, lines))
                    steps[:0] = then_steps if code == 0 else else_steps
                    continue
                if kind == "and":  # A && B: A runs in the container; B only if it succeeded
                    text, rest = value
                    lines = self._run_in_container(container, text)
                    if lines:
                        container.logs.append(_log_entry(self.loop.now, lines))
                    if container.last_status == 0:
                        steps[:0] = rest
                    continue
                if kind == "while":  # while COND / until COND: one more turn while it holds
                    condition, body, until = value
                    code, lines = self._condition(container, condition)
                    if lines:
                        container.logs.append(_log_entry(self.loop.now, lines))
                    if (code == 0) != until:
                        busy = sum(v for k, v in body if k == "sleep") < BUSY_LOOP_SLEEP
                        steps[:0] = [*body, *((("sleep", BUSY_LOOP_SLEEP),) if busy else ()), (kind, value)]
                    continue
                if kind == "echo_to":  # echo "$i: $(date)" >> /var/log/1.log
                    path, args, append = value
                    shell = self._shell(container)
                    lines = echo_lines([field for arg in args for field in shell.fields(arg)])
                    kind, value = "write", (shell.word(path), "\n".join(lines) + "\n", append)
            except ShellError as err:  # the shell reports it and the script ends
                container.logs.append(_log_entry(self.loop.now, (f"sh: {err}",)))
                self._exit(container, 2, "Error")
                return
            if kind == "follow":
                self._start_follow(container, value)
                return
            if kind in ("touch", "rm", "mkdir", "write"):
                if container.files is None:
                    container.files = {}
                files = container_files(container)
                try:
                    _change_file(files, kind, value)
                except ReadOnlyFileSystem as err:
                    line = read_only_error(kind, str(err), image_name(container.image))
                    container.logs.append(_log_entry(self.loop.now, (line,)))
            elif kind == "shell":
                lines = self._run_in_container(container, value)
                if lines:
                    container.logs.append(_log_entry(self.loop.now, lines))
            elif kind == "wait":  # sleep N & wait: the wait builtin, which a trapped SIGTERM ends
                container._waiting = (steps, again)
                if value != float("inf"):
                    container._timer = self.loop.call_later(value, self._advance, container, steps, again,
                                                            periodic=True)
                return
            elif kind == "sleep":
                if value == float("inf"):
                    return
                # The workload's own time: periodic, so settle() does not wait for it.
                container._timer = self.loop.call_later(value, self._advance, container, steps, again,
                                                        periodic=True)
                return
            elif kind == "exit":  # (None: the end of the script, with the status of its last tool)
                code = container.last_status if value is None else value
                self._exit(container, code, "Completed" if code == 0 else "Error")
                return
        if again and container.program.loop_body and container.state == "CONTAINER_RUNNING":
            body = list(container.program.loop_body)
            # a busy loop (no sleep, or sleep 0) would print without end in no time: its body runs once
            busy = sum(v for k, v in body if k == "sleep") < BUSY_LOOP_SLEEP
            container._timer = self.loop.call_later(0.0, self._advance, container, body, not busy, periodic=True)

    def _take_term(self, container: Container) -> None:
        """SIGTERM to a shell whose script trapped it (``trap 'exit 143' TERM``), as POSIX says
        the shell takes it: in ``wait``, the wait returns at once with status 143 and the trap's
        action runs; during a foreground command (``sleep 30``) the action runs when that command
        ends; then the script goes on where it was, unless the action exits."""
        trap = container.term_trap
        if container.state != "CONTAINER_RUNNING" or not trap:
            return
        if container._waiting is None:
            container._pending_trap = trap
            return
        steps, again = container._waiting
        if container._timer is not None:
            container._timer.cancel()
            container._timer = None
        container.last_status = 143  # 128 + SIGTERM: what a bare ``exit`` in the action exits with
        self._advance(container, [*trap, *steps], again)

    def exec_sync(self, container_id: str, cmd: list[str]) -> tuple[int, str]:
        """ExecSync: run ``cmd`` in the running container; (exit code, stdout then stderr). A
        command that cannot start raises the runtime's error (``RuntimeError_``, containerd's text)."""
        container = self.containers.get(container_id)
        if container is None or container.state != "CONTAINER_RUNNING":
            state = container.state if container is not None else "CONTAINER_UNKNOWN"
            raise RuntimeError_(
                f"rpc error: code = NotFound desc = failed to exec in container: container is in {state} state"
            )
        try:
            code, out, err = self.exec(container_id, cmd)
        except RuntimeError_ as failed:
            raise RuntimeError_(f"rpc error: code = Unknown desc = {failed}") from None
        return code, out + err

    def exec(self, container_id: str, cmd: list[str], view: dict | None = None, stdin: str = "",
             interactive: bool = False) -> tuple[int, str, str]:
        """Exec (the streaming call behind ``kubectl exec``): run ``cmd`` in the running container
        with ``stdin``; (exit code, stdout, stderr). ``view`` is what the kubelet knows of the pod
        (its /etc files, hostname, IP, listening servers: :class:`~k8slearn.kubelet.exec_tools.ExecContext`).
        The container must be running; a command that cannot start raises ``RuntimeError_``."""
        container = self.containers[container_id]
        own = container.files if container.files is not None else {}
        files = container_files(container, own)
        ctx = ExecContext(image_name(container.image), files, interactive=interactive, envs=container.envs,
                          now=self.loop.now, pid_namespace=pid_namespace(container),
                          **(view or {}))
        try:
            result = run(list(cmd), ctx, stdin)
        except ExecError as err:
            # a random id upstream; made from the container and a count here, so a mistyped exec does
            # not draw on the cluster's seeded random numbers (later names and placements stay as they were)
            self._failed_execs += 1
            exec_id = hashlib.sha256(f"{container_id}:exec:{self._failed_execs}".encode()).hexdigest()
            raise RuntimeError_(
                f'failed to exec in container: failed to start exec "{exec_id}": '
                f"OCI runtime exec failed: exec failed: unable to start container process: {err}: unknown"
            ) from None
        if own and container.files is None:
            container.files = own  # the command wrote to the container's writable layer
        return result

    def attach(self, container_id: str, stdin: bool) -> None:
        """Attach (the streaming call behind ``kubectl attach`` and ``kubectl run -i``): the client
        reads what the container writes from now on (from its log, here) and, with ``stdin``, writes
        to its stdin. kubectl in a notebook has nothing to send, so that session ends at once; a
        container whose stdin is closed when the first such session ends (``stdinOnce``) then gives
        its program the end of its input: a shell waiting there for commands exits 0. The
        container must be running (``RuntimeError_`` otherwise)."""
        container = self.containers.get(container_id)
        if container is None or container.state != "CONTAINER_RUNNING":
            raise RuntimeError_(f"container {container_id} is not running")
        if stdin and container.stdin_once and container.program.reads_stdin:
            self._exit(container, 0, "Completed")

    def _run_in_container(self, container: Container, text: str) -> tuple:
        """A file tool of the program's script (``cat /etc/config/x``), run now in the container's
        files and environment; the lines it printed (stdout and stderr both go to the log)."""
        container.last_status, out, err = script(text, self._exec_context(container))
        return tuple((out + err).splitlines())

    def _condition(self, container: Container, condition: str) -> tuple[int, tuple]:
        """An ``if``'s condition (``[ -f /tmp/x ]``, ``grep -q ...``), its words expanded by the
        script's shell, run now in the container: its exit code, and the lines it printed."""
        expanded = self._shell(container).expand(protect_single_quoted(condition)).replace(QUOTED_DOLLAR, "$")
        # A tool the model does not run fails here, saying so (``until nslookup ...`` waits on,
        # as it does until the name resolves; taking it as success would end the wait at once)
        code, out, err = script(expanded, self._exec_context(container))
        return code, tuple((out + err).splitlines())

    def _exec_context(self, container: Container) -> ExecContext:
        """What a command the container's own script runs sees: its files, environment, hostname.
        What the simulation does not model it says so, as ``kubectl exec`` does (``interactive``):
        the line goes to the container's log and the command fails (a probe stays silent instead)."""
        sandbox = self.sandboxes.get(container.sandbox_id)
        if container.files is None:
            container.files = {}
        view = self.container_view(container) if self.container_view is not None else {}
        if not view:
            view = {"hostname": sandbox.hostname if sandbox is not None else "",
                    "pod_ip": sandbox.ip if sandbox is not None else ""}
        return ExecContext(image_name(container.image), container_files(container), envs=container.envs,
                           now=self.loop.now, interactive=True, pid_namespace=pid_namespace(container), **view)

    # -- what the shell works out as the script runs (program_shell) ---------------------------
    def _printed(self, container: Container, kind: str, value) -> list[str]:
        if kind == "print":
            return [value]
        if kind == "date":
            return [date_text(self.loop.now)]
        shell = self._shell(container)  # "echo": each word's fields, as the shell splits them
        return echo_lines([field for arg in value for field in shell.fields(arg)])

    def _shell(self, container: Container) -> Shell:
        """The script's shell: its variables, with the process's environment under them."""
        if container.shell is None:
            ctx = self._exec_context(container)
            env = dict(process_env(ctx.image, ctx.hostname, ctx.envs))
            container.shell = Shell(env, functools.partial(self._substitute, container))
        return container.shell

    def _substitute(self, container: Container, command: str) -> str:
        """``$(command)``: what it prints, run by the simulated shell in the container (``date`` reads
        the simulated clock); its errors go to the log."""
        _, out, err = script(command, self._exec_context(container))
        if err:
            container.logs.append(_log_entry(self.loop.now, tuple(err.splitlines())))
        return out

    def _start_follow(self, container: Container, options: TailOptions) -> None:
        """``tail -f FILE`` as the program: the file's last lines (or from line N on), then whatever
        is added to it, every second; with ``-F`` a file that is not there yet is waited for."""
        messages = tail_messages(image_name(container.image) in BUSYBOX_IMAGES, options.path)
        text = _file_text(self._exec_context(container), options.path)
        if text is None:
            container.logs.append(_log_entry(self.loop.now, (messages["missing"],)))
            if not options.retry:
                container.logs.append(_log_entry(self.loop.now, (messages["no files"],)))
                self._exit(container, 1, "Error")
                return
            offset = None
        else:
            lines = first_lines(text, options)
            if lines:
                container.logs.append(_log_entry(self.loop.now, tuple(lines)))
            offset = text.rfind("\n") + 1
        container._timer = self.loop.call_later(TAIL_SLEEP, self._follow, container, options, offset, messages,
                                                periodic=True)

    def _follow(self, container: Container, options: TailOptions, offset: int | None, messages: dict) -> None:
        """One of ``tail -f``'s checks: the whole lines added since the last one."""
        if container.state != "CONTAINER_RUNNING":
            return
        text = _file_text(self._exec_context(container), options.path)
        lines = []
        if offset is None and text is not None:  # -F: the file is there now
            lines.append(messages["appeared"])
            offset = 0
        if text is not None and offset is not None:
            if len(text) < offset:  # truncated: from its start again
                offset = 0
            end = text.rfind("\n") + 1
            if end > offset:
                lines.extend(text[offset:end].split("\n")[:-1])
                offset = end
        if lines:
            container.logs.append(_log_entry(self.loop.now, tuple(lines)))
        container._timer = self.loop.call_later(TAIL_SLEEP, self._follow, container, options, offset, messages,
                                                periodic=True)

    def _exit(self, container: Container, code: int, reason: str, notify: bool = True) -> None:
        if container.state != "CONTAINER_RUNNING":
            return
        if container._timer is not None:
            container._timer.cancel()
            container._timer = None
        container.state, container.exit_code, container.reason = "CONTAINER_EXITED", code, reason
        container.finished_at = self.loop.now
        self._trace(
            "TaskExit",
            f"pod/{container.pod_namespace}/{container.pod_name}",
            f"{container.name} exited with code {code}",
        )
        stopping = container._stopping
        if stopping is not None:  # StopContainer was waiting: over now, in the grace period or at its end
            container._stopping = None
            stopping[1].cancel()
            stopping[0].trigger(container)
        if notify and self.on_container_exit is not None:
            self.on_container_exit(container)


def _change_file(files: dict, kind: str, value) -> None:
    """A program's ``touch``, ``mkdir``, ``rm`` or ``echo text > path`` on the container's files."""
    if kind == "write":
        path, text, append = value
        before = files.get(path)
        files[path] = (before if append and isinstance(before, str) else "") + text
    elif kind == "touch":
        if not files.get(value):
            files[value] = True
    else:
        files[value] = DIR if kind == "mkdir" else False


def read_only_error(kind: str, path: str, image: str) -> str:
    """What the container's shell prints when its program writes under a read-only mount."""
    busybox = image in BUSYBOX_IMAGES
    if kind == "write":
        return redirect_read_only_error("sh", path, busybox)[1].rstrip("\n")
    return tool_read_only_error(kind, path, busybox).rstrip("\n")


def _file_text(ctx: ExecContext, path: str) -> str | None:
    """A file's text as ``tail`` reads it in the container (an image's file whose text is not
    simulated reads as nothing), or None when there is no such file."""
    value = lookup(path, ctx)
    if value is None or value == DIR:
        return None
    return value if isinstance(value, str) else ""


# Log entries (time, lines) are shared too: the containers of one template start at the same
# simulated instants on many nodes and print the same banner, so one (time, lines) tuple and one
# time float serve them all (a memory saving; an entry is never changed). Floats only (an int
# time would equal its float); the table is emptied when it outgrows _ENTRIES_LIMIT.
_ENTRIES: dict = {}
_ENTRIES_LIMIT = 4096


def _log_entry(now: float, lines: tuple) -> tuple:
    entry = (now, lines)
    if now.__class__ is not float:
        return entry
    if len(_ENTRIES) >= _ENTRIES_LIMIT:
        _ENTRIES.clear()
    return _ENTRIES.setdefault(entry, entry)


@functools.lru_cache(maxsize=256)
def _lines(lines: tuple) -> tuple:
    """One tuple for the same lines printed at once (an image's banner is printed by every one of
    its containers): a simulation saving, the log reads the same."""
    return lines
