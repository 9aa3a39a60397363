"""The kubelet's exec endpoint: what answers when the API server forwards ``kubectl exec``.

``kubectl exec web -c nginx -- hostname -i`` reaches the API server as ``POST
/api/v1/namespaces/default/pods/web/exec``; the API server finds the pod's node and opens a stream
to that node's kubelet (port 10250), which finds the *running* container and has the runtime
start the command in it. The command sees the pod as every container of the pod sees it: the
kubelet's /etc/hosts, the resolv.conf built from the pod's DNS policy, the pod's hostname, and the
one network namespace, where ``localhost`` reaches all the pod's containers. The three files are
one of each for the pod, mounted into every container: a line one container appends to
/etc/hosts the others read (until the kubelet writes the file again for a new container). It also
sees what the kubelet knows of its own container: where it starts (``workingDir``, else the
image's WORKDIR) and PID 1's command line.

Errors are the kubelet's: a pod that is not running here is ``pod does not exist``; a container
that is not running (not started yet, or crashed and waiting) is ``container not found
("nginx")``, which the API server (having upgraded kubectl's websocket already) reports as
``Internal error occurred: unable to upgrade connection: container not found ("nginx")``; a command that cannot
start is the runtime's ``OCI runtime exec failed`` inside an API ``InternalError``.

Simplified: the command runs to its end at once and its whole output is returned (no stream, no
terminal, no resize), its stdout and stderr in the order written; stdin is a string given in advance.

Upstream: pkg/kubelet/server/server.go (getExec), pkg/kubelet/kubelet_pods.go (GetExec, findContainer),
pkg/kubelet/cri/streaming/remotecommand/exec.go (ServeExec: the exit code and error statuses)
"""

from __future__ import annotations

import weakref
from collections import ChainMap
from typing import Any

from k8slearn.api.errors import ExecInternalError, StreamError
from k8slearn.kubelet.container_fs import IMAGE_WORKDIR, WORKDIR, os_release, web_files
from k8slearn.kubelet.cri import RuntimeError_
from k8slearn.kubelet.exec_sync import exec_replaced
from k8slearn.kubelet.pod_files import hosts_file, pod_hostname, resolv_conf
from k8slearn.kubelet.probe import listener_on
from k8slearn.kubelet.security_context import process_identity
from k8slearn.kubelet.status import container_spec


def exec_in_pod(workers: Any, namespace: str, name: str, container: str, argv: list[str],
                stdin: str = "") -> tuple[int, str, str]:
    """GetExec, then the runtime's Exec: (exit code, stdout, stderr) of ``argv`` in the running
    ``container`` of pod ``namespace/name`` on this node."""
    state, pod = _pod_here(workers, namespace, name)
    running = _running_container(workers, state, container)
    try:
        return workers.runtime.exec(running.id, argv, _view(workers, state, pod, running), stdin, interactive=True)
    except RuntimeError_ as err:
        raise ExecInternalError(f"error executing command in container: {err}") from None


def _pod_here(workers: Any, namespace: str, name: str) -> tuple[Any, dict]:
    """The pod worker's state and its pod, or the kubelet's ``pod does not exist``."""
    state = next((s for s in workers.states.values()
                  if (s.namespace, s.name) == (namespace, name) and not s.done), None)
    pod = workers._current(state) if state is not None else None
    if state is None or pod is None:
        raise StreamError("pod does not exist")
    return state, pod


def _running_container(workers: Any, state: Any, container: str) -> Any:
    """findContainer: the runtime's running container of that name in the pod, or ``container not
    found``."""
    running = [c for c in workers.runtime.list_containers(sandbox_id=state.sandbox_id, all_states=False)
               if c.name == container] if state.sandbox_id else []
    if not running:
        raise StreamError(f'container not found ("{container}")')
    return running[0]


def attach_in_pod(workers: Any, namespace: str, name: str, container: str, stdin: bool) -> None:
    """GetAttach, then the runtime's Attach to the running ``container`` of pod ``namespace/name``
    (the same refusals as an exec's)."""
    try:
        state, _ = _pod_here(workers, namespace, name)
        workers.runtime.attach(_running_container(workers, state, container).id, stdin)
    except RuntimeError_ as err:
        raise ExecInternalError(f"error attaching to container: {err}") from None


def container_view(workers: Any, container: Any) -> dict:
    """What a process of a container's own script sees of its pod (the same as an exec's), or {}
    if the kubelet no longer knows the pod."""
    state = next((s for s in workers.states.values()
                  if (s.namespace, s.name) == (container.pod_namespace, container.pod_name)), None)
    pod = workers._current(state) if state is not None else None
    return _view(workers, state, pod, container) if pod is not None else {}


def _view(workers: Any, state: Any, pod: dict, container: Any) -> dict:
    """What a process in one of the pod's containers (``container``, the runtime's) sees of the
    pod (ExecContext's fields)."""
    runtime, now = workers.runtime, workers.loop.now
    sandbox = runtime.sandboxes.get(state.sandbox_id)
    ip = (sandbox.ip if sandbox is not None else "") or workers.k.ip
    if pod["spec"].get("hostNetwork"):  # the node's UTS namespace and files (its /etc/hosts is not simulated)
        hostname, domain = workers.k.node_name, ""
    else:
        hostname, domain = pod_hostname(pod)
    etc = ChainMap(_pod_files(workers, state, pod, hostname, ip), _container_files(pod, container))
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
            "reach": reach if network is not None else None,
            "user": process_identity(pod, {**(container_spec(pod, container.name) or {}), "image": container.image})}


# sandbox ID -> (when the newest container was created, the pod's /etc files), per node's pod workers
_POD_FILES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _pod_files(workers: Any, state: Any, pod: dict, hostname: str, ip: str) -> dict:
    """The pod's /etc/hosts, /etc/hostname and /etc/resolv.conf: one of each for the whole pod
    (the kubelet's etc-hosts file and the runtime's sandbox files, bind-mounted into every
    container), so what one container writes to them the others read. The kubelet writes
    /etc/hosts again each time it creates a container of the pod (makeMounts)."""
    store = _POD_FILES.setdefault(workers, {})
    for gone in [s for s in store if s not in workers.runtime.sandboxes]:
        del store[gone]
    containers = workers.runtime.list_containers(sandbox_id=state.sandbox_id)
    newest = containers[0].created_at if containers else 0.0
    created, files = store.get(state.sandbox_id, (None, None))
    if files is None:
        files = {"/etc/hostname": hostname + "\n"}
        resolv = resolv_conf(pod)
        if resolv is not None:
            files["/etc/resolv.conf"] = resolv
    if created != newest and not pod["spec"].get("hostNetwork"):
        files["/etc/hosts"] = hosts_file(pod, [ip])
    store[state.sandbox_id] = (newest, files)
    return files


def _container_files(pod: dict, container: Any) -> dict:
    """What one container's processes see beyond the pod's files: where they start (the
    container's ``workingDir``, else its image's WORKDIR), PID 1's /proc/1/cmdline (its command
    and arguments, each ended by a NUL) where the kubelet's spec tells it, the image's
    /etc/os-release where its tag tells it."""
    found = container_spec(pod, container.name) or {}
    image = container.image.split("@")[0].rsplit("/", 1)[-1].split(":")[0]
    files: dict = {}
    workdir = found.get("workingDir") or IMAGE_WORKDIR.get(image)
    if workdir:
        files[WORKDIR] = workdir
    command, args = list(found.get("command") or []), list(found.get("args") or [])
    # args without a command replace the CMD of an image that has no ENTRYPOINT; a shell or nginx
    # as PID 1 (a shell may exec its last command, nginx renames its process) is not simulated
    argv = command + args if command else args if image in ("busybox", "alpine", "debian", "ubuntu") else []
    argv = exec_replaced(argv)  # (sh -c 'sleep 1h': the shell execs its one command)
    if argv and not any("$(" in a for a in argv) and argv[0].rsplit("/", 1)[-1] not in (
            "sh", "bash", "ash", "dash", "nginx"):
        files["/proc/1/cmdline"] = "".join(a + "\0" for a in argv)
    release = os_release(container.image)
    if release is not None:
        files["/etc/os-release"] = release
    return files
