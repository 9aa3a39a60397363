"""What a process started in a container sees: the ``ExecContext`` of an exec.

A command started by ``kubectl exec`` (or an exec probe) runs in the container's namespaces: it
sees the container's own files, the three files the kubelet mounts into every container of the
pod (/etc/hosts, /etc/resolv.conf, /etc/hostname; :mod:`k8slearn.kubelet.pod_files`), and the
pod's one network namespace, where ``localhost`` reaches every container of the pod:

>>> ctx = ExecContext("busybox", files={}, hostname="web", pod_ip="10.244.1.5")
>>> ctx.busybox, ctx.interactive
(True, False)
>>> not_simulated("'curl'")
(1, '', "k8slearn: 'curl' is not simulated\\n")

Upstream: none (the view a Linux process has inside a container's namespaces; runc exec)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from k8slearn.kubelet.servers import Server

BUSYBOX_IMAGES = {"busybox", "alpine", "agnhost", "curl", "netshoot"}  # their sh is BusyBox ash
NO_USERLAND = {"pause", "coredns", "kube-proxy", "goproxy"}


@dataclass
class ExecContext:
    """What a process started in a container sees."""

    image: str  # the image's short name (busybox, nginx, ...)
    files: dict  # the container's own changes: path -> text, True (a file), DIR, False (removed)
    etc: dict = field(default_factory=dict)  # the kubelet's files: /etc/hosts, /etc/resolv.conf, /etc/hostname
    hostname: str = ""
    fqdn: str = ""
    pod_ip: str = ""
    aliases: dict = field(default_factory=dict)  # hostAliases: name -> IP
    # a server listening on this port in the pod's network namespace, how long it has run, and the
    # files it serves (container_fs.web_files, or None)
    connect: Callable[[int], tuple[Server, float, Any] | None] | None = None
    # another pod's server at (IP, port): (server, uptime, files), None (refused) or "no route"
    reach: Callable[[str, int], tuple[Server, float, Any] | str | None] | None = None
    # say what is not simulated (kubectl exec, and the container's own program, whose log is read)
    # rather than stay silent (an exec probe or hook: nobody reads its output)
    interactive: bool = False
    envs: tuple = ()  # the (name, value) pairs the kubelet created the container with (exec_env)
    now: float | None = None  # the simulated clock when the process runs (``date``), if known
    # who the process is: (uid, gid, supplementary groups) from the securityContext
    # (security_context.process_identity), or None where the simulation does not know (``id``)
    user: tuple | None = None
    # the container's PID namespace (exec_ps.PidNamespace: the last PID given), None where not counted,
    # and the processes this exec started that still run while a command runs (the exec'd shell)
    pid_namespace: Any = None
    processes: list = field(default_factory=list)

    @property
    def busybox(self) -> bool:
        return self.image in BUSYBOX_IMAGES


def not_simulated(what: str, hint: str = "") -> tuple[int, str, str]:
    """The simulation's own answer (exit code 1) for what it does not model, instead of made-up output."""
    return 1, "", f"k8slearn: {what} is not simulated{hint}\n"
