"""The CRI's objects as containerd's CRI plugin keeps them: pod sandboxes and containers.

A *sandbox* is a pod's pause container and network namespace (``RunPodSandbox``); a *container*
runs one of the pod's images inside it. Both carry the CRI's states (``SANDBOX_READY`` /
``SANDBOX_NOTREADY``; ``CONTAINER_CREATED`` / ``CONTAINER_RUNNING`` / ``CONTAINER_EXITED``), which
``crictl pods`` and ``crictl ps`` print, and the kubelet reads to build the pod's status. A failed
CRI call raises ``RuntimeError_``, whose text is the gRPC error the kubelet puts in events.

>>> from k8slearn.kubelet.process import parse_program
>>> sandbox = Sandbox("5f1e", "web", "default", "uid-1", 0, 0.0, "/var/run/netns/cni-1")
>>> container = Container("9c2a", sandbox.id, "nginx", "nginx:1.27", "sha256:aa", 0, 0.0,
...                       sandbox.name, sandbox.namespace, parse_program([], "nginx:1.27"))
>>> sandbox.state, container.state, container.exit_code
('SANDBOX_READY', 'CONTAINER_CREATED', 0)

Simplified: no image layers, mounts, cgroups or namespaces behind these records; a container's
process is the tiny program model of :mod:`k8slearn.kubelet.process`, its log a list of lines.

Upstream: k8s.io/cri-api/pkg/apis/runtime/v1/api.proto (PodSandbox, Container, their states),
containerd internal/cri/store/sandbox/sandbox.go, internal/cri/store/container/container.go
"""

from __future__ import annotations

from dataclasses import dataclass, field

from k8slearn.kubelet.process import Program
from k8slearn.kubelet.program_shell import Shell
from k8slearn.sim import Timer


class RuntimeError_(Exception):
    """A CRI call failed; ``str()`` is the gRPC error text the kubelet puts in events."""


def grpc_message(err: BaseException) -> str:
    """grpcstatus.FromError(err).Message(): a gRPC error's description without its ``rpc error:
    code = ... desc =`` prefix (what the kubelet's StartContainer failure event shows).

    >>> grpc_message(RuntimeError_("rpc error: code = Unknown desc = failed to create containerd task"))
    'failed to create containerd task'
    """
    text = str(err)
    if text.startswith("rpc error: code = "):
        head, sep, desc = text.partition(" desc = ")
        if sep:
            return desc
    return text


@dataclass(slots=True)
class Sandbox:
    id: str
    name: str
    namespace: str
    uid: str
    attempt: int
    created_at: float
    netns: str
    ip: str = ""
    state: str = "SANDBOX_READY"
    labels: dict = field(default_factory=dict)
    stopped: bool = False  # StopPodSandbox ran (network torn down)
    hostname: str = ""  # PodSandboxConfig.hostname: containerd sets HOSTNAME in every container from it


@dataclass(slots=True)
class Container:
    id: str
    sandbox_id: str
    name: str
    image: str  # the image reference as the pod spec wrote it
    image_id: str  # sha256:... of the pulled image
    attempt: int
    created_at: float
    pod_name: str
    pod_namespace: str
    program: Program
    state: str = "CONTAINER_CREATED"
    started_at: float | None = None  # never started (a StartError): containerd keeps 0, the Unix epoch
    finished_at: float = 0.0
    exit_code: int = 0
    reason: str = ""
    message: str = ""
    mounts: tuple = ()  # the volumes mounted into it (container_fs.Mount), fixed at CreateContainer
    readonly_rootfs: bool = False  # securityContext.readOnlyRootFilesystem: only its mounts are writable
    logs: list = field(default_factory=list)  # (time, lines printed at that time)
    files: dict | None = None  # path -> exists, for files the program made or removed (else the image's)
    envs: tuple = ()  # (name, value) pairs the kubelet passed in CreateContainer (ContainerConfig.envs)
    pid_namespace: object = None  # its PID namespace (exec_ps.PidNamespace): the last PID given, PID 1 its own
    shell: Shell | None = None  # its script's variables, once it assigns one (program_shell)
    last_status: int = 0  # the exit status of the last tool its script ran (a "shell" step)
    memory_limit: int = 0  # resources.limits.memory in bytes, for a program that allocates (0: none)
    stdin_once: bool = False  # its stdin is closed when the first attach that brought one ends
    termination_message_path: str = "/dev/termination-log"  # where the kubelet reads why it ended
    fallback_to_logs: bool = False  # terminationMessagePolicy FallbackToLogsOnError
    term_trap: tuple | None = None  # its shell's ``trap ... TERM`` action (steps), once set
    _waiting: tuple | None = None  # while its shell is in ``wait``: (the steps after it, again)
    _pending_trap: tuple | None = None  # a trapped SIGTERM came during a foreground command: its action
    _timer: Timer | None = None
    _stopping: tuple | None = None  # while StopContainer waits: (its Waitable, the SIGKILL/exit timer)
