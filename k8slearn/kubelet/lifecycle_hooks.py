"""Container lifecycle hooks: ``postStart`` right after a container starts, ``preStop`` before it is
stopped.

A hook is a handler, as a probe is: ``exec`` runs a command in the container (ExecSync), ``httpGet``
sends a request to the pod, ``sleep`` waits. The kubelet runs ``postStart`` as soon as the
container has started and waits for it; if it fails, a ``FailedPostStartHook`` event, and the
container is killed and restarted as the pod's ``restartPolicy`` says. It runs ``preStop`` when it
stops a container, before the SIGTERM, within the termination grace period (what the hook used is
taken off; at least 2 s are left for the container); a failure is a ``FailedPreStopHook`` event and
the stop goes on. The events say only that the hook failed: the handler's output could hold secrets.

>>> from types import SimpleNamespace as NS
>>> runtime = NS(exec_sync=lambda cid, cmd: (0, "") if cmd == ["true"] else (1, ""))
>>> def outcome(handler):
...     gen = run_handler(handler, runtime, "c1", "10.244.1.2", lambda port: None, limit=30)
...     waited = []
...     try:
...         while True:
...             waited.append(next(gen))
...     except StopIteration as done:
...         return waited, done.value
>>> outcome({"exec": {"command": ["true"]}}), outcome({"exec": {"command": ["false"]}})
(([], ''), ([], "command 'false' exited with 1: "))
>>> outcome({"sleep": {"seconds": 5}}), outcome({"httpGet": {"port": 80, "path": "/ready"}})
(([5.0], ''), ([], 'Get "http://10.244.1.2:80/ready": dial tcp 10.244.1.2:80: connect: connection refused'))

Simplified: an exec or HTTP hook takes no time; an HTTP hook's response is not read (only a
failure to connect fails it, as upstream); hooks are not retried.

Upstream: pkg/kubelet/lifecycle/handlers.go (HandlerRunner.Run, runSleepHandler),
pkg/kubelet/kuberuntime/kuberuntime_container.go (startContainer's post start hook,
executePreStopHook, killContainer)
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from k8slearn.kubelet.cri import RuntimeError_
from k8slearn.kubelet.probe import ProbeError, extract_port

MINIMUM_GRACE_PERIOD = 2.0  # minimumGracePeriodInSeconds: what a container gets after its preStop hook


def run_handler(handler: dict, runtime: Any, container_id: str, pod_ip: str,
                listener: Callable[[int], Any], limit: float, container: dict | None = None
                ) -> Generator[float, None, str]:
    """Run one lifecycle handler; yields the seconds it waits (``sleep``, at most ``limit``) and
    returns the error ("" when it succeeded). ``listener(port)`` is what listens on the pod's
    port; ``container`` resolves a named port."""
    if handler.get("exec") is not None:
        command = list(handler["exec"].get("command") or [])
        try:
            code, output = runtime.exec_sync(container_id, command)
        except RuntimeError_ as err:
            return str(err)
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
        seconds = min(float(handler["sleep"].get("seconds") or 0), limit)
        if seconds > 0:
            yield seconds
        return ""
    return f"invalid handler: {handler}"
