"""Container lifecycle hooks: ``postStart`` right after a container starts, ``preStop`` before it is
stopped.

A hook is a handler, as a probe is: ``exec`` runs a command in the container (ExecSync), ``httpGet``
sends a request to the pod, ``sleep`` waits. The kubelet runs ``postStart`` as soon as the
container has started and waits for it; if it fails, a ``FailedPostStartHook`` event, and the
container is killed and restarted as the pod's ``restartPolicy`` says. It runs ``preStop`` when it
stops a container, before the SIGTERM, and waits for it at most the termination grace period (what
the hook used is taken off; at least 2 s are left for the container: :mod:`k8slearn.kubelet.kill_pod`);
a failure is a ``FailedPreStopHook`` event and the stop goes on. The events say only that the hook
failed: the handler's output could hold secrets.

An exec hook takes as long as its command runs: the ``sleep`` steps of its program
(:func:`exec_seconds`), so ``sleep 8`` or ``sh -c "sleep 8"`` hold the stop back for 8 s.

>>> from types import SimpleNamespace as NS
>>> runtime = NS(exec_sync=lambda cid, cmd: (0, "") if cmd[0] in ("true", "sleep") else (1, ""))
>>> def outcome(handler):
...     gen = run_handler(handler, runtime, "c1", "10.244.1.2", lambda port: None)
...     waited = []
...     try:
...         while True:
...             waited.append(next(gen))
...     except StopIteration as done:
...         return waited, done.value
>>> outcome({"exec": {"command": ["true"]}}), outcome({"exec": {"command": ["false"]}})
(([], ''), ([], "command 'false' exited with 1: "))
>>> outcome({"exec": {"command": ["sleep", "8"]}})
([8.0], '')
>>> outcome({"sleep": {"seconds": 5}}), outcome({"httpGet": {"port": 80, "path": "/ready"}})
(([5.0], ''), ([], 'Get "http://10.244.1.2:80/ready": dial tcp 10.244.1.2:80: connect: connection refused'))

Simplified: an exec hook's command runs in the simulated shell at once (what it prints, the files
it writes and its exit code are there when it starts), then the hook waits for the sum of its
sleeps; a sleep inside an ``if`` or a ``while COND`` loop is not counted, and a command whose
program :mod:`k8slearn.kubelet.process` does not follow (``sleep $DELAY``, a ``while true`` loop,
``sleep infinity``, a tool it does not simulate) takes no time. An HTTP hook takes no time and its
response is not read (only a failure to connect fails it, as upstream); hooks are not retried.

Upstream: pkg/kubelet/lifecycle/handlers.go (HandlerRunner.Run, runSleepHandler),
pkg/kubelet/kuberuntime/kuberuntime_container.go (startContainer's post start hook,
executePreStopHook, killContainer)
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from k8slearn.api.field import go_quote
from k8slearn.kubelet.cri import RuntimeError_
from k8slearn.kubelet.probe import ProbeError, extract_port
from k8slearn.kubelet.process import parse_program

MINIMUM_GRACE_PERIOD = 2.0  # minimumGracePeriodInSeconds: what a container gets after its preStop hook


def run_handler(handler: dict, runtime: Any, container_id: str, pod_ip: str, listener: Callable[[int], Any],
                container: dict | None = None) -> Generator[float, None, str]:
    """HandlerRunner.Run: run one lifecycle handler to its end; yields the seconds it waits (a
    ``sleep`` handler, an exec command's sleeps) and returns the error ("" when it succeeded).
    ``listener(port)`` is what listens on the pod's port; ``container`` (its spec) resolves a named
    port and gives the image the command runs in."""
    if handler.get("exec") is not None:
        command = list(handler["exec"].get("command") or [])
        try:
            code, output = runtime.exec_sync(container_id, command)
        except RuntimeError_ as err:
            return str(err)
        seconds = exec_seconds(command, (container or {}).get("image", ""))
        if seconds > 0:
            yield seconds
        return "" if code == 0 else f"command '{' '.join(command)}' exited with {code}: {output}"
    if handler.get("httpGet") is not None:
        get = handler["httpGet"]
        host = get.get("host") or pod_ip
        try:
            port = extract_port(get.get("port"), container or {})
        except ProbeError as err:
            return str(err)
        path = get.get("path") or ""
        if path and not path.startswith("/"):
            path = "/" + path
        scheme = (get.get("scheme") or "HTTP").lower()
        if host != pod_ip or listener(port) is None:
            return f'Get "{scheme}://{host}:{port}{path}": dial tcp {host}:{port}: connect: connection refused'
        return ""
    if handler.get("sleep") is not None:
        seconds = float(handler["sleep"].get("seconds") or 0)
        if seconds > 0:
            yield seconds
        return ""
    return f"invalid handler: {handler}"


def handler_message(handler: dict, error: str, container_name: str, pod_full_name: str) -> str:
    """HandlerRunner.Run's message for a handler that failed with ``error`` (what :func:`run_handler`
    returned): for a postStart hook, startContainer returns it with ``PostStartHookError``, and the
    container's status shows it (``state.waiting.message``) until it is started again. An exec
    handler's message ends with the command's output, quoted (here read back from the error's
    end: ExecSync's ``exited with N: OUTPUT``); a sleep handler says nothing.

    >>> error = "command 'cat /x' exited with 1: no /x"
    >>> print(handler_message({"exec": {"command": ["cat", "/x"]}}, error, "app", "p"))
    Exec lifecycle hook ([cat /x]) for Container "app" in Pod "p" failed - error: command 'cat /x' \
exited with 1: no /x, message: "no /x"
    >>> print(handler_message({"httpGet": {"port": 80, "path": "/warm-up"}}, "Get ...: refused", "app", "p"))
    HTTP lifecycle hook (/warm-up) for Container "app" in Pod "p" failed - error: Get ...: refused

    Upstream: pkg/kubelet/lifecycle/handlers.go (handlerRunner.Run)
    """
    where = f"for Container {go_quote(container_name)} in Pod {go_quote(pod_full_name)} failed - error: {error}"
    if handler.get("exec") is not None:
        command = [str(word) for word in handler["exec"].get("command") or ()]
        ran = f"command '{' '.join(command)}' exited with "
        output = error[len(ran):].partition(": ")[2] if error.startswith(ran) else ""
        return f"Exec lifecycle hook ([{' '.join(command)}]) {where}, message: {go_quote(output)}"
    if handler.get("httpGet") is not None:
        return f"HTTP lifecycle hook ({handler['httpGet'].get('path') or ''}) {where}"
    return ""


def exec_seconds(command: list, image: str) -> float:
    """How long an exec handler's command runs: the sum of the ``sleep`` steps of its program
    (:func:`k8slearn.kubelet.process.parse_program`, which stops at its ``exit``). A program that
    never ends by itself, or that the model does not follow, takes no time (see the module's
    "Simplified").

    >>> exec_seconds(["sleep", "8"], "busybox"), exec_seconds(["sh", "-c", "sleep 2; sleep 1m && exit 1"], "")
    (8.0, 62.0)
    >>> exec_seconds(["sh", "-c", "echo bye > /tmp/bye"], "busybox"), exec_seconds(["sleep", "infinity"], "")
    (0.0, 0.0)
    """
    program = parse_program(command, image)
    if program.forever or program.start_error:
        return 0.0
    seconds = float(sum(value for kind, value in program.steps if kind in ("sleep", "wait")))  # (N & wait)
    return seconds if seconds != float("inf") else 0.0
