"""The container runtime (containerd) as the kubelet sees it: the CRI calls.

The kubelet never runs containers itself. It asks the runtime, over the Container Runtime
Interface (CRI), to:

1. ``RunPodSandbox``: start the pod's *pause* container (``registry.k8s.io/pause:3.10``), whose
   only job is to hold the pod's network namespace, and run the CNI plugin to give that
   namespace an IP. Every container of the pod joins this namespace: one IP, and ``localhost``
   between containers.
2. ``PullImage`` for each container image (layers are cached per node; :mod:`.image_service`).
3. ``CreateContainer`` then ``StartContainer`` inside the sandbox.

``StopContainer`` sends SIGTERM and, after the grace period, SIGKILL; ``StopPodSandbox`` tears
the network down (CNI DEL) and ``RemovePodSandbox`` forgets it. ``crictl ps`` / ``crictl pods``
on a node list what the runtime holds, pause sandboxes included.

The sandbox and container records and the CRI's error are in :mod:`.cri`.

A container whose program allocates more memory than its ``resources.limits.memory`` (the
documentation's ``stress --vm 1 --vm-bytes 250M`` under a 100Mi limit) is killed by the kernel's
OOM killer once its memory passes the limit: the whole cgroup is killed (cgroup v2's
``memory.oom.group``), so it exits with 137 (SIGKILL) and containerd's reason ``OOMKilled``.

Simplified: no images on disk, no cgroups or namespaces; image pull time is size / bandwidth
plus a fixed registry round trip; containers are the tiny process model of
:mod:`k8slearn.kubelet.process`, run as tasks by :mod:`k8slearn.kubelet.task`. Docker
(dockershim) was removed from the kubelet in v1.24. Memory is what a program says it allocates
(only ``stress`` says so: :attr:`~k8slearn.kubelet.process.Program.memory`), checked against
the container's limit alone (no node-wide OOM, no memory requests, no swap, no page cache).

Upstream: k8s.io/cri-api/pkg/apis/runtime/v1/api.proto, containerd internal/cri/server/
(sandbox_run.go, sandbox_stop.go, container_start.go, container_stop.go, restart.go,
events.go and helpers.go: TaskOOM, oomExitReason "OOMKilled"),
kubernetes-sigs/cri-tools cmd/crictl
"""

from __future__ import annotations

import functools
import hashlib
import re
from typing import Callable

from k8slearn.api.meta import FrozenDict, rfc3339_nano_fixed
from k8slearn.api.quantity import memory_bytes
from k8slearn.api.shared import shared_float
from k8slearn.kubelet import images as image_catalog
from k8slearn.kubelet.cri import Container, RuntimeError_, Sandbox
from k8slearn.kubelet.exec_env import process_env
from k8slearn.kubelet.image_service import ImageService
from k8slearn.kubelet.pod_files import pod_hostname
from k8slearn.kubelet.process import Program, image_name, parse_program
from k8slearn.kubelet.task import Tasks
from k8slearn.network.cni import CNIError, Host, invoke, node_network_config
from k8slearn.network.cni.spec import CONFIG_PATH, config_text
from k8slearn.sim import Loop, Waitable

PAUSE_IMAGE = "registry.k8s.io/pause:3.10"
RUNTIME_VERSION = "1.7.24"
SIGKILL_EXIT = 137
OOM_REASON = "OOMKilled"  # containerd's reason for a task the kernel's OOM killer killed (exit 137)


def _labels(labels: dict | None) -> dict:
    """The sandbox's labels: the pod's own read-only dict as it is (the informer's pods are
    frozen and the runtime never changes them), a copy of anything else."""
    return labels if labels.__class__ is FrozenDict else dict(labels or {})


@functools.lru_cache(maxsize=1024)
def _program(command: tuple, image: str, args: tuple, stdin: bool = False) -> Program:
    """``parse_program``, once per (command, image, args, stdin): a Program is never changed after
    it is parsed, so the containers of one pod template share it (a simulation saving, same result)."""
    return parse_program(list(command), image, list(args) or None, stdin=stdin)


def _prints_environment(command: list, args: list | None) -> bool:
    """Whether the program runs ``printenv`` or ``env``, or a Python script reads ``os.environ``
    (then it is parsed with its environment)."""
    words = [w for w in (*command, *(args or ())) if isinstance(w, str)]
    return any(re.search(r"(^|[\s;&|/])(printenv|env)(\s|;|$)|os\.environ", w) for w in words)


class ContainerRuntime(ImageService, Tasks):
    """containerd on one node: sandboxes, containers, an image cache and the node's CNI setup."""

    def __init__(
        self, loop: Loop, node_name: str, bandwidth_bytes_per_s: float = 100e6, registry_latency: float = 0.3
    ) -> None:
        self.loop = loop
        self.node_name = node_name
        self.component = f"containerd/{node_name}"
        self.host = Host(node_name)
        self.bandwidth = bandwidth_bytes_per_s
        self.registry_latency = registry_latency
        self.images: dict[str, image_catalog.Image] = {}
        self.sandboxes: dict[str, Sandbox] = {}
        self.containers: dict[str, Container] = {}
        self.cni_config: dict | None = None
        self.pod_cidr = ""  # the node's podCIDR, once the kubelet passed it (UpdateRuntimeConfig)
        self.on_container_exit: Callable[[Container], None] | None = None
        # What a process of a container's script sees of its pod (set by the kubelet: its /etc
        # files, hostname, IP and network, as an exec sees them); None: the sandbox's name and IP.
        self.container_view: Callable[[Container], dict] | None = None
        # The kubelet's makeMounts for a container (sandbox, container spec) -> mounts, for a
        # CreateContainer that is not given its ``mounts`` (set by the kubelet: its volume manager).
        self._pull_busy_until = 0.0  # the kubelet pulls one image at a time (serializeImagePulls)
        self._layers_coming: set[str] = set()
        self._lost: list[Container] = []  # running when the power went, until containerd starts again
        self._cache(PAUSE_IMAGE)  # kubeadm pre-pulls the sandbox image

    # -- helpers ------------------------------------------------------------------------------
    def _new_id(self) -> str:
        return f"{self.loop.rng.getrandbits(256):064x}"

    def _cache(self, image: str) -> image_catalog.Image:
        entry = image_catalog.lookup(image)
        self.images[entry.ref] = entry
        return entry

    def _trace(self, action: str, obj: str, detail: str) -> None:
        self.loop.record(self.component, action, obj, detail)

    # The calls made for every pod format their trace lines only while the loop keeps a trace
    # (``if self.loop.tracing``): a simulation speed-up with the same trace, since with tracing
    # off ``record`` keeps nothing.

    # -- runtime config and status --------------------------------------------------------
    def update_runtime_config(self, pod_cidr: str) -> None:
        """UpdateRuntimeConfig: the kubelet passes the node's podCIDR; containerd writes its CNI config."""
        self.cni_config = node_network_config(pod_cidr)
        self.pod_cidr = pod_cidr
        self.host.write_file(CONFIG_PATH, config_text(self.cni_config))
        self._trace(
            "UpdateRuntimeConfig", f"node/{self.node_name}", f"podCIDR {pod_cidr}; CNI config written"
        )

    def network_ready(self) -> bool:
        return self.cni_config is not None

    # -- sandboxes ----------------------------------------------------------------------------
    def run_pod_sandbox(self, pod: dict, attempt: int = 0) -> Sandbox:
        """Start the pause container and set up its network namespace through CNI."""
        meta = pod["metadata"]
        sandbox_id = self._new_id()
        netns = f"/var/run/netns/cni-{self._uuid(sandbox_id)}"
        if pod["spec"].get("hostNetwork"):
            netns = ""
        elif self.cni_config is None:
            raise RuntimeError_(
                "rpc error: code = Unknown desc = failed to setup network for sandbox "
                f'"{sandbox_id}": cni plugin not initialized'
            )
        sandbox = Sandbox(
            sandbox_id,
            meta["name"],
            meta["namespace"],
            meta.get("uid", ""),
            attempt,
            shared_float(self.loop.now),  # (one float per instant: api.shared)
            netns,
            labels=_labels(meta.get("labels")),
            hostname=pod_hostname(pod)[0],
        )
        tracing = self.loop.tracing
        obj = f"pod/{meta['namespace']}/{meta['name']}" if tracing else ""
        if tracing:
            self._trace("RunPodSandbox", obj, f"netns {netns or 'host'}, then CNI ADD, then pause container {PAUSE_IMAGE}")
        if netns:
            try:
                result = invoke(self.host, self.cni_config, "ADD", sandbox_id, netns)
            except CNIError as err:
                raise RuntimeError_(
                    f'rpc error: code = Unknown desc = failed to setup network for sandbox "{sandbox_id}": '
                    f'plugin type="bridge" name="containerd-net" failed (add): {err}'
                ) from None
            sandbox.ip = result["ips"][0]["address"].split("/")[0]
            if tracing:
                self.loop.record(
                    f"cni/{self.node_name}",
                    "ADD",
                    obj,
                    f"bridge cni0 + host-local: eth0 {result['ips'][0]['address']} "
                    f"gw {result['ips'][0]['gateway']}",
                )
        self.sandboxes[sandbox_id] = sandbox
        return sandbox

    @staticmethod
    def _uuid(hex_id: str) -> str:
        h = hashlib.sha256(hex_id.encode()).hexdigest()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    def stop_pod_sandbox(self, sandbox_id: str) -> None:
        """Kill whatever still runs in the sandbox, tear its network down (CNI DEL), stop pause."""
        sandbox = self.sandboxes.get(sandbox_id)
        if sandbox is None or sandbox.stopped:
            return
        for container in self.list_containers(sandbox_id=sandbox_id):
            if container.state == "CONTAINER_RUNNING":
                self._exit(container, SIGKILL_EXIT, "Error", notify=False)
        obj = f"pod/{sandbox.namespace}/{sandbox.name}"
        if sandbox.netns and self.cni_config is not None:
            invoke(self.host, self.cni_config, "DEL", sandbox_id, sandbox.netns)
            self.loop.record(f"cni/{self.node_name}", "DEL", obj, f"released {sandbox.ip}")
        sandbox.state = "SANDBOX_NOTREADY"
        sandbox.stopped = True
        self._trace("StopPodSandbox", obj, "pause container stopped, network torn down")

    def remove_pod_sandbox(self, sandbox_id: str) -> None:
        sandbox = self.sandboxes.get(sandbox_id)
        if sandbox is None:
            return
        self.stop_pod_sandbox(sandbox_id)
        for container in self.list_containers(sandbox_id=sandbox_id):
            del self.containers[container.id]
        del self.sandboxes[sandbox_id]
        self._trace("RemovePodSandbox", f"pod/{sandbox.namespace}/{sandbox.name}", "sandbox removed")

    def list_pod_sandbox(self) -> list[Sandbox]:
        return sorted(self.sandboxes.values(), key=lambda s: -s.created_at)

    # -- containers ---------------------------------------------------------------------------
    def create_container(
        self, sandbox_id: str, spec: dict, attempt: int = 0, envs: tuple = (), mounts: tuple = ()
    ) -> Container:
        """CreateContainer with the ContainerConfig the kubelet made: ``envs`` ((name, value)
        pairs) and ``mounts`` (:class:`~k8slearn.kubelet.container_fs.Mount`)."""
        sandbox = self.sandboxes[sandbox_id]
        image = self.image_status(spec["image"])
        command, args = spec.get("command") or [], spec.get("args")
        if _prints_environment(command, args):  # printenv/env print this container's own variables
            env = tuple(process_env(image_name(spec["image"]), sandbox.hostname, envs))
            program = parse_program(command, spec["image"], args, env)
        else:
            stdin = spec.get("stdin") is True
            try:
                program = _program(tuple(command), spec["image"], tuple(args or ()), stdin)
            except TypeError:  # something unhashable in the command: parsed as it is, not remembered
                program = parse_program(command, spec["image"], args, stdin=stdin)
        container = Container(
            self._new_id(),
            sandbox_id,
            spec["name"],
            spec["image"],
            image.image_id if image else "",
            attempt,
            shared_float(self.loop.now),  # (one float per instant: api.shared)
            sandbox.name,
            sandbox.namespace,
            program,
        )
        if envs:
            container.envs = envs
        if spec.get("stdinOnce") is True:
            container.stdin_once = True
        path = spec.get("terminationMessagePath")
        if path is not None and path != container.termination_message_path:
            container.termination_message_path = path
        if spec.get("terminationMessagePolicy") == "FallbackToLogsOnError":
            container.fallback_to_logs = True
        if mounts:
            container.mounts = tuple(mounts)
        if (spec.get("securityContext") or {}).get("readOnlyRootFilesystem") is True:
            container.readonly_rootfs = True  # LinuxContainerSecurityContext.readonly_rootfs
        if program.memory:  # the cgroup's memory.max: resources.limits.memory
            limit = ((spec.get("resources") or {}).get("limits") or {}).get("memory")
            container.memory_limit = memory_bytes(limit) if limit is not None else 0
        self.containers[container.id] = container
        if self.loop.tracing:
            self._trace(
                "CreateContainer",
                f"pod/{sandbox.namespace}/{sandbox.name}",
                f"container {spec['name']} ({container.id[:13]}) in sandbox {sandbox_id[:13]}",
            )
        return container

    def start_container(self, container_id: str) -> None:
        container = self.containers[container_id]
        if container.program.start_error:
            container.state, container.exit_code, container.reason = "CONTAINER_EXITED", 128, "StartError"
            container.finished_at = self.loop.now
            container.message = (
                "failed to create containerd task: failed to create shim task: OCI runtime "
                "create failed: runc create failed: unable to start container process: "
                f"{container.program.start_error}: unknown"
            )
            self._trace(
                "StartContainer",
                f"pod/{container.pod_namespace}/{container.pod_name}",
                f"{container.name} failed: {container.program.start_error}",
            )
            raise RuntimeError_(f"rpc error: code = Unknown desc = {container.message}")
        container.state, container.started_at = "CONTAINER_RUNNING", shared_float(self.loop.now)
        if self.loop.tracing:
            obj = f"pod/{container.pod_namespace}/{container.pod_name}"
            self._trace("StartContainer", obj, f"{container.name} running")
        self._advance(container, list(container.program.steps))
        oom = container.program.oom_after(container.memory_limit)
        if oom is not None and container.state == "CONTAINER_RUNNING":  # the workload's own time: periodic
            self.loop.call_later(oom, self._exit, container, SIGKILL_EXIT, OOM_REASON, periodic=True)

    def stop_container(self, container_id: str, timeout: float, background: bool = False) -> Waitable:
        """SIGTERM now; SIGKILL after ``timeout`` seconds if it is still running. ``background``:
        the wait is the container's own life (a kill after a failed probe), which ``settle()`` does
        not wait for, as it does not wait for the probes."""
        container = self.containers[container_id]
        done = Waitable()
        if container.state != "CONTAINER_RUNNING":
            done.trigger(container)
            return done
        obj = f"pod/{container.pod_namespace}/{container.pod_name}"
        self._trace("StopContainer", obj, f"SIGTERM to {container.name}, {timeout:g}s grace")
        # A program without a SIGTERM handler (a shell or sleep as PID 1) runs on until SIGKILL at
        # the end of the grace period, unless it ends by itself first (a shell whose script traps
        # SIGTERM runs the trap's action, which may exit); any other one stops now.
        if container.program.ignores_sigterm:
            timer = self.loop.call_later(timeout, self._exit, container, SIGKILL_EXIT, "Error", False,
                                         periodic=background)
            if container.term_trap:  # a shell whose script traps SIGTERM takes it (task.py)
                self.loop.call_later(0.0, self._take_term, container, periodic=background)
        else:
            code = container.program.term_exit
            timer = self.loop.call_later(
                min(0.1, timeout), self._exit, container, code, "Completed" if code == 0 else "Error", False,
                periodic=background,
            )
        container._stopping = (done, timer)  # _exit triggers ``done``, whichever way the task ends
        return done

    def power_off(self) -> None:
        """The machine lost power: every process dies, sandboxes are gone, state on disk stays."""
        for container in self.containers.values():
            if container.state == "CONTAINER_RUNNING":
                if container._timer is not None:
                    container._timer.cancel()
                    container._timer = None
                container.state, container.exit_code, container.reason = "CONTAINER_EXITED", 255, "Unknown"
                container.finished_at = self.loop.now
                self._lost.append(container)
        for sandbox in self.sandboxes.values():
            sandbox.state = "SANDBOX_NOTREADY"
        self._pull_busy_until = self.loop.now

    def power_on(self) -> None:
        """containerd starts again (CRI plugin's loadContainer, restart.go): a container its checkpoint
        says was running but whose task is gone gets exit code 255, reason ``Unknown``, and as
        ``finishedAt`` the time containerd found it so, not the moment the power went."""
        for container in self._lost:
            container.finished_at = shared_float(self.loop.now)
        self._lost.clear()

    def remove_container(self, container_id: str) -> None:
        self.containers.pop(container_id, None)

    def list_containers(self, sandbox_id: str | None = None, all_states: bool = True) -> list[Container]:
        found = [
            c
            for c in self.containers.values()
            if (sandbox_id is None or c.sandbox_id == sandbox_id)
            and (all_states or c.state == "CONTAINER_RUNNING")
        ]
        return sorted(found, key=lambda c: -c.created_at)

    def logs(self, container_id: str, timestamps: bool = False) -> str:
        """The container's log; ``timestamps``: each line after the time it was written, in RFC 3339
        with nine fraction digits (the CRI log file's time as the kubelet's ReadLogs writes it for
        ``timestamps=true``: RFC3339NanoFixed)."""
        container = self.containers[container_id]
        if timestamps:
            return "".join(f"{rfc3339_nano_fixed(at)} {line}\n" for at, lines in container.logs for line in lines)
        return "".join(f"{line}\n" for _, lines in container.logs for line in lines)
