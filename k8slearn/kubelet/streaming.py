"""The kubelet's exec endpoint: what answers when the API server forwards ``kubectl exec``.

``kubectl exec web -c nginx -- hostname -i`` reaches the API server as ``POST
/api/v1/namespaces/default/pods/web/exec``; the API server finds the pod's node and opens a stream
to that node's kubelet (port 10250), which finds the *running* container and has the runtime
start the command in it. The command sees the pod as every container of the pod sees it: the
kubelet's /etc/hosts, the resolv.conf built from the pod's DNS policy, the pod's hostname, and the
one network namespace, where ``localhost`` reaches all the pod's containers.

Errors are the kubelet's: a pod that is not running here is ``pod does not exist``; a container
that is not running (not started yet, or crashed and waiting) is ``container not found
("nginx")``, which kubectl prints after ``unable to upgrade connection:``; a command that cannot
start is the runtime's ``OCI runtime exec failed`` inside an API ``InternalError``.

Simplified: the command runs to its end at once and its whole output is returned (no stream, no
terminal, no resize); stdin is a string given in advance.

Upstream: pkg/kubelet/server/server.go (getExec), pkg/kubelet/kubelet_pods.go (GetExec, findContainer),
pkg/kubelet/cri/streaming/remotecommand/exec.go (ServeExec: the exit code and error statuses)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ExecInternalError, StreamError
from k8slearn.kubelet.container_fs import web_files
from k8slearn.kubelet.cri import RuntimeError_
from k8slearn.kubelet.pod_files import hosts_file, pod_hostname, resolv_conf
from k8slearn.kubelet.probe import listener_on


def exec_in_pod(workers: Any, namespace: str, name: str, container: str, argv: list[str],
                stdin: str = "") -> tuple[int, str, str]:
    """GetExec, then the runtime's Exec: (exit code, stdout, stderr) of ``argv`` in the running
    ``container`` of pod ``namespace/name`` on this node."""
    state = next((s for s in workers.states.values()
                  if (s.namespace, s.name) == (namespace, name) and not s.done), None)
    pod = workers._current(state) if state is not None else None
    if state is None or pod is None:
        raise StreamError("pod does not exist")
    runtime = workers.runtime
    running = [c for c in runtime.list_containers(sandbox_id=state.sandbox_id, all_states=False)
               if c.name == container] if state.sandbox_id else []
    if not running:
        raise StreamError(f'container not found ("{container}")')
    try:
        return runtime.exec(running[0].id, argv, _view(workers, state, pod), stdin, interactive=True)
    except RuntimeError_ as err:
        raise ExecInternalError(f"error executing command in container: {err}") from None


def container_view(workers: Any, container: Any) -> dict:
    """What a process of a container's own script sees of its pod (the same as an exec's), or {}
    if the kubelet no longer knows the pod."""
    state = next((s for s in workers.states.values()
                  if (s.namespace, s.name) == (container.pod_namespace, container.pod_name)), None)
    pod = workers._current(state) if state is not None else None
    return _view(workers, state, pod) if pod is not None else {}


def _view(workers: Any, state: Any, pod: dict) -> dict:
    """What a process in one of the pod's containers sees of the pod (ExecContext's fields)."""
    runtime, now = workers.runtime, workers.loop.now
    sandbox = runtime.sandboxes.get(state.sandbox_id)
    ip = (sandbox.ip if sandbox is not None else "") or workers.k.ip
    if pod["spec"].get("hostNetwork"):  # the node's UTS namespace and files (its /etc/hosts is not simulated)
        hostname, domain = workers.k.node_name, ""
        etc = {"/etc/hostname": hostname + "\n"}
    else:
        hostname, domain = pod_hostname(pod)
        etc = {"/etc/hosts": hosts_file(pod, [ip]), "/etc/hostname": hostname + "\n"}
    resolv = resolv_conf(pod)
    if resolv is not None:
        etc["/etc/resolv.conf"] = resolv
    aliases = {name: alias.get("ip", "") for alias in pod["spec"].get("hostAliases") or []
               for name in alias.get("hostnames") or []}

    def connect(port: int):
        owner, server = listener_on(runtime, state.sandbox_id, port)
        return None if server is None else (server, now - owner.started_at, web_files(owner))

    network = workers.k.pod_network

    def reach(address: str, port: int):  # another pod's server, and the files it serves
        found = network.reach(address, port)
        return (*found[:2], web_files(found[2])) if isinstance(found, tuple) else found

    return {"etc": etc, "hostname": hostname, "fqdn": f"{hostname}.{domain}" if domain else hostname,
            "pod_ip": ip, "aliases": aliases, "connect": connect,
            "reach": reach if network is not None else None}
