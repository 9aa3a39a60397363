"""Pod workers: one small process per pod that drives the runtime toward the pod's spec.

Every pod bound to this node gets a worker. Each time something changes (the pod object, a
container exiting, a back-off expiring) the worker runs ``sync_pod`` once more. ``sync_pod``
looks at the pod and at what the runtime holds and does the next thing needed:

1. admit the pod (does it fit on this node?);
2. create the sandbox: ``RunPodSandbox`` (pause container + CNI ADD → the pod IP);
3. for each container: pull the image (``Pulling``/``Pulled``), ``CreateContainer`` (``Created``),
   ``StartContainer`` (``Started``);
4. restart exited containers as ``restartPolicy`` says, with a back-off of 10 s doubling to
   300 s (``CrashLoopBackOff``);
5. write ``pod.status`` whenever it changed.

When the pod is deleted gracefully (``deletionTimestamp`` set), the worker stops the containers
(``Killing``: SIGTERM, then SIGKILL after the grace period), tears the sandbox down (CNI DEL),
and deletes the pod object for good with grace period 0. A pod that vanished from the API server
(force delete) is cleaned up the same way, so no sandbox or IP is left behind.

Simplified: no probes, volumes, secrets, resource limits enforcement, or eviction; each CRI call
takes a small fixed time (sandbox 0.4 s, create 0.05 s, start 0.1 s).

Upstream: pkg/kubelet/pod_workers.go, pkg/kubelet/kubelet.go (SyncPod, SyncTerminatingPod),
pkg/kubelet/kuberuntime/kuberuntime_manager.go (computePodActions, SyncPod, doBackOff),
pkg/kubelet/images/image_manager.go, pkg/kubelet/lifecycle/predicate.go (admission)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import FrozenDict, timestamp
from k8slearn.api.quantity import cpu_millis, memory_bytes
from k8slearn.kubelet import status as pod_status
from k8slearn.kubelet.backoff import BACKOFF_INITIAL, Backoff
from k8slearn.kubelet.image_manager import ImageManager
from k8slearn.kubelet.runtime import RuntimeError_
from k8slearn.sim import Queue

SANDBOX_SECONDS = 0.4
CREATE_SECONDS = 0.05
START_SECONDS = 0.1


@dataclass(slots=True)
class PodState:
    """What the kubelet remembers about one pod between syncs."""

    uid: str
    namespace: str
    name: str
    queue: Queue = field(default_factory=Queue)
    signalled: bool = False
    admitted: bool = False
    rejected: str = ""
    sandbox_id: str = ""
    attempts: dict = field(default_factory=dict)  # container name -> (runtime container ids,)
    waiting: dict = field(default_factory=lambda: _NO_WAITING)  # container name -> (reason, message)
    start_time: float | None = None
    done: bool = False
    last_status: dict | None = None
    process: Any = None
    # (cpu millicores, memory bytes) the pod requests, summed once at admission. Upstream sums
    # the active pods' requests afresh for every admission; the API server rejects any change
    # to container resources, so keeping the sum is a simulation speed-up with the same answer.
    requests: tuple = (0, 0)

    def set_waiting(self, name: str, reason_message: tuple) -> None:
        """Remember why a container waits (its own dict is made on the first one)."""
        if self.waiting is _NO_WAITING:
            self.waiting = {}
        self.waiting[name] = reason_message

    def clear_waiting(self, name: str) -> None:
        """The container no longer waits; with none left waiting, the shared empty dict is back."""
        if name in self.waiting:
            del self.waiting[name]
            if not self.waiting:
                self.waiting = _NO_WAITING


# The ``waiting`` of every pod none of whose containers waits: one shared empty read-only dict
# (a memory saving; it reads as an empty dict of its own would, ``set_waiting`` replaces it).
_NO_WAITING = FrozenDict()


class PodWorkers:
    """All pod workers of one kubelet."""

    def __init__(self, kubelet: Any) -> None:
        self.k = kubelet
        self.loop = kubelet.loop
        self.runtime = kubelet.runtime
        self.states: dict[str, PodState] = {}
        self.crash_backoff = Backoff()
        self.images = ImageManager(self.loop, self.runtime, kubelet.events)
        # Every worker's process has the same name: one string for all (a memory saving).
        self._worker_name = f"{kubelet.component}/pod-worker"

    # -- entry points -------------------------------------------------------------------------
    def update_pod(self, pod: dict) -> None:
        """A pod for this node was added or changed: make sure its worker syncs."""
        uid = pod["metadata"]["uid"]
        state = self.states.get(uid)
        if state is None:
            if pod["metadata"].get("annotations", {}).get("kubernetes.io/config.mirror"):
                return  # a static pod's mirror: the kubelet runs the static pod itself
            state = PodState(uid, pod["metadata"]["namespace"], pod["metadata"]["name"])
            self.states[uid] = state
            self._spawn(state)
        self.signal(uid)

    def _spawn(self, state: PodState) -> None:
        state.queue = Queue()
        state.signalled = False
        state.process = self.loop.spawn(self._worker(state), self._worker_name)

    def start(self) -> None:
        """After a reboot: a fresh worker for every pod we knew, each told to sync."""
        for state in self.states.values():
            if state.process is None:
                self._spawn(state)
                self.signal(state.uid)

    def stop(self) -> None:
        """Power off: every worker dies wherever it was."""
        for state in self.states.values():
            if state.process is not None:
                state.process.stop()
                state.process = None

    def logs(self, namespace: str, name: str, container: str | None = None, previous: bool = False) -> str:
        """The log of a container's current (or previous) run; ValueError with kubectl's text if none."""
        state = next((s for s in self.states.values() if (s.namespace, s.name) == (namespace, name)), None)
        if state is None:
            raise ValueError(f'pods "{name}" not found')
        names = list(state.attempts)
        pod = self._current(state)
        if pod is not None:
            names = [c["name"] for c in pod["spec"]["containers"]]
        if container is None:
            if len(names) != 1:
                raise ValueError(
                    f"a container name must be specified for pod {name}, choose one of: [{' '.join(names)}]"
                )
            container = names[0]
        if container not in names:
            raise ValueError(f"container {container} is not valid for pod {name}")
        ids = state.attempts.get(container, [])
        wanted = ids[-2] if previous and len(ids) > 1 else (ids[-1] if ids and not previous else None)
        if wanted is None or wanted not in self.runtime.containers:
            if previous:
                raise ValueError(f'previous terminated container "{container}" in pod "{name}" not found')
            raise ValueError(
                f'container "{container}" in pod "{name}" is waiting to start: ContainerCreating'
            )
        return self.runtime.logs(wanted)

    def signal(self, uid: str) -> None:
        state = self.states.get(uid)
        if state is not None and not state.done and not state.signalled:
            state.signalled = True
            state.queue.put(True)

    def signal_all(self) -> None:
        for uid in list(self.states):
            self.signal(uid)

    def container_exited(self, container: Any) -> None:
        """PLEG: the runtime reported a container exit."""
        for state in self.states.values():
            if container.id in state.attempts.get(container.name, ()):
                self.loop.record(
                    self.k.component,
                    "PLEG",
                    f"pod/{state.namespace}/{state.name}",
                    f"container {container.name} died (exit code {container.exit_code})",
                )
                self.signal(state.uid)

    def _worker(self, state: PodState):
        while not state.done:
            yield state.queue.get()
            state.signalled = False
            yield from self.sync_pod(state)

    # -- the sync -----------------------------------------------------------------------------
    def _current(self, state: PodState) -> dict | None:
        pod = self.k.pods.lister.get(state.name, state.namespace)
        return pod if pod is not None and pod["metadata"]["uid"] == state.uid else None

    def sync_pod(self, state: PodState):
        pod = self._current(state)
        if pod is None:
            yield from self._kill(state, grace=0.0, pod=None)
            return
        if pod["metadata"].get("deletionTimestamp"):
            grace = float(pod["metadata"].get("deletionGracePeriodSeconds", 30))
            yield from self._kill(state, grace, pod)
            return
        if state.rejected or pod["status"].get("phase") in ("Succeeded", "Failed") and not state.sandbox_id:
            return
        if state.start_time is None:
            state.start_time = self.loop.now
        if not state.admitted and not self._admit(state, pod):
            return
        sandbox = self.runtime.sandboxes.get(state.sandbox_id)
        if (
            state.sandbox_id
            and (sandbox is None or sandbox.state != "SANDBOX_READY")
            and not self._terminal(state)
        ):
            self.k.events.event(
                pod, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created."
            )
            self.runtime.remove_pod_sandbox(state.sandbox_id)
            state.sandbox_id = ""
        if not state.sandbox_id:
            if not (yield from self._create_sandbox(state, pod)):
                return
        for container in pod["spec"].get("initContainers", []):
            if not pod_status.init_done(state, self.runtime, container["name"]):
                if self._needs_start(state, pod, container):
                    yield from self._start(state, container, "initContainers")
                self.write_status(state)
                return
        for container in pod["spec"]["containers"]:
            if self._needs_start(state, pod, container):
                yield from self._start(state, container, "containers")
                if self._current(state) is None:
                    return
        self.write_status(state)
        if self._terminal(state):
            self.runtime.stop_pod_sandbox(state.sandbox_id)
            self.write_status(state)

    # -- admission ----------------------------------------------------------------------------
    def _admit(self, state: PodState, pod: dict) -> bool:
        """The kubelet's own fit check (the scheduler may have raced with other pods)."""
        requests = (_requests(pod, "cpu"), _requests(pod, "memory"))
        if requests[0] or requests[1]:
            # A pod that requests nothing always fits (a zero request is never checked), so
            # only a pod with requests sums what the others use.
            node = self.k.node()
            alloc = node["status"]["allocatable"] if node else {}
            used_cpu = used_mem = 0
            for other in self.states.values():
                # An other pod that requests nothing adds nothing: its lookup is skipped (a
                # simulation speed-up with the same sums).
                if other.admitted and not other.done and other.uid != state.uid and other.requests != (0, 0):
                    if self._current(other) is not None:
                        used_cpu += other.requests[0]
                        used_mem += other.requests[1]
            for resource, requested, used, capacity in (
                ("cpu", requests[0], used_cpu, _amount("cpu", alloc.get("cpu", "0"))),
                ("memory", requests[1], used_mem, _amount("memory", alloc.get("memory", "0"))),
            ):
                if requested and requested + used > capacity:
                    reason = f"OutOf{resource}"
                    message = (
                        f"Pod was rejected: Node didn't have enough resource: {resource}, requested: "
                        f"{requested}, used: {used}, capacity: {capacity}"
                    )
                    state.rejected = reason
                    self.k.events.event(pod, "Warning", reason, message)
                    self._write(
                        state,
                        pod,
                        {
                            **pod["status"],
                            "phase": "Failed",
                            "reason": reason,
                            "message": message,
                            "startTime": timestamp(self.loop.now),
                        },
                    )
                    return False
        state.admitted = True
        if requests != (0, 0):  # else the default: one (0, 0) for all such pods (a memory saving)
            state.requests = requests
        return True

    # -- sandbox ------------------------------------------------------------------------------
    def _create_sandbox(self, state: PodState, pod: dict):
        obj = f"pod/{state.namespace}/{state.name}"
        if not pod["spec"].get("hostNetwork") and not self.runtime.network_ready():
            self.k.events.event(
                pod,
                "Warning",
                "NetworkNotReady",
                "network is not ready: container runtime network not ready: "
                "NetworkReady=false reason:NetworkPluginNotReady message:Network plugin "
                "returns error: cni plugin not initialized",
            )
            self.write_status(state)
            return False  # signalled again when the node gets its podCIDR
        self.loop.record(self.k.component, "SyncPod", obj, "no sandbox yet, so it asks for one")
        self.write_status(state)
        yield SANDBOX_SECONDS
        if self._current(state) is None:
            return False
        try:
            sandbox = self.runtime.run_pod_sandbox(pod)
        except RuntimeError_ as err:
            self.k.events.event(
                pod, "Warning", "FailedCreatePodSandBox", f"Failed to create pod sandbox: {err}"
            )
            self.loop.call_later(BACKOFF_INITIAL, self.signal, state.uid, periodic=True)
            return False
        state.sandbox_id = sandbox.id
        self.write_status(state)
        return True

    # -- containers ---------------------------------------------------------------------------
    def _needs_start(self, state: PodState, pod: dict, container: dict) -> bool:
        last = pod_status.last_container(state, self.runtime, container["name"])
        if last is None:
            return True
        if last.state != "CONTAINER_EXITED":
            return False
        policy = pod["spec"].get("restartPolicy", "Always")
        if policy == "Never" or (policy == "OnFailure" and last.exit_code == 0):
            return False
        key = f"{container['name']}_{state.name}_{state.namespace}_{state.uid}"
        wait = self.crash_backoff.in_backoff_since(key, last.finished_at, self.loop.now)
        if wait > 0:
            message = (
                f"back-off {pod_status.go_duration(self.crash_backoff.entries[key][0])} restarting failed "
                f"container={container['name']} pod={state.name}_{state.namespace}({state.uid})"
            )
            state.set_waiting(container["name"], ("CrashLoopBackOff", message))
            self.k.events.event(
                pod,
                "Warning",
                "BackOff",
                f"Back-off restarting failed container {container['name']} in pod "
                f"{state.name}_{state.namespace}({state.uid})",
                field_path=f"spec.containers{{{container['name']}}}",
            )
            self.loop.call_later(wait, self.signal, state.uid, periodic=True)
            return False
        self.crash_backoff.next(key, self.loop.now)
        return True

    def _start(self, state: PodState, container: dict, kind: str):
        pod = self._current(state)
        name = container["name"]
        field_path = _field_path(kind, name)

        def pulling() -> None:
            state.set_waiting(name, ("ContainerCreating", ""))
            self.write_status(state)

        waiting = yield from self.images.ensure_image_exists(pod, container, field_path, pulling)
        if waiting is not None:
            state.set_waiting(name, waiting)
            self.write_status(state)
            if waiting[0] in ("ErrImagePull", "ImagePullBackOff"):
                self.loop.call_later(self.images.retry_in, self.signal, state.uid, periodic=True)
            return
        yield CREATE_SECONDS
        pod = self._current(state)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return
        attempt = len(state.attempts.get(name, ()))
        record = self.runtime.create_container(state.sandbox_id, container, attempt)
        # A tuple, not a list: one object per attempt history, 40 bytes smaller (a memory saving).
        state.attempts[name] = state.attempts.get(name, ()) + (record.id,)
        state.clear_waiting(name)
        self.k.events.event(pod, "Normal", "Created", _message("Created", name), field_path=field_path)
        yield START_SECONDS
        try:
            self.runtime.start_container(record.id)
        except RuntimeError_ as err:
            self.k.events.event(pod, "Warning", "Failed", f"Error: {err}", field_path=field_path)
            self.signal(state.uid)
            return
        self.k.events.event(pod, "Normal", "Started", _message("Started", name), field_path=field_path)
        self.write_status(state)

    # -- termination --------------------------------------------------------------------------
    def _kill(self, state: PodState, grace: float, pod: dict | None):
        """Stop every container (SIGTERM, SIGKILL after ``grace``), tear down the sandbox, finish."""
        if state.done:
            return
        obj = f"pod/{state.namespace}/{state.name}"
        waits = []
        for name, ids in state.attempts.items():
            record = self.runtime.containers.get(ids[-1])
            if record is not None and record.state == "CONTAINER_RUNNING":
                if pod is not None:
                    kind = (
                        "initContainers"
                        if any(c["name"] == name for c in pod["spec"].get("initContainers", []))
                        else "containers"
                    )
                    self.k.events.event(
                        pod,
                        "Normal",
                        "Killing",
                        f"Stopping container {name}",
                        field_path=f"spec.{kind}{{{name}}}",
                    )
                waits.append(self.runtime.stop_container(record.id, grace))
        if waits:
            self.loop.record(
                self.k.component, "KillPod", obj, f"stopping {len(waits)} container(s), grace {grace:g}s"
            )
        for wait in waits:
            yield wait
        if state.sandbox_id:
            self.runtime.remove_pod_sandbox(state.sandbox_id)
        state.done = True
        del self.states[state.uid]
        if pod is not None:
            try:
                self.k.client.delete("pods", state.name, state.namespace, grace_period_seconds=0)
            except ApiError as err:
                if err.code != 404:
                    raise

    def _terminal(self, state: PodState) -> bool:
        return (state.last_status or {}).get("phase") in ("Succeeded", "Failed")

    # -- status -------------------------------------------------------------------------------
    def write_status(self, state: PodState) -> None:
        pod = self._current(state)
        if pod is None or state.rejected:
            return
        self._write(
            state, pod, pod_status.generate_api_pod_status(pod, state, self.runtime, self.k.ip, self.loop.now)
        )

    def _write(self, state: PodState, pod: dict, status: dict) -> None:
        last = state.last_status
        if status == last:
            # Nothing to write. Once the informer's pod carries the very status we wrote (our own
            # write came back), the kubelet keeps that read-only copy instead of its own: equal
            # values, one copy less per pod (a memory saving; comparisons give the same answers).
            current = pod["status"]
            if last is not current and current == last:
                state.last_status = current
            return
        state.last_status = status
        # The informer's pod is read-only; the request body is a new top level around it. The
        # API server decodes the body into its own copy (a real PUT is serialized), so neither
        # the cached pod nor ``status`` is changed by the write.
        update = {**pod, "status": status}
        try:
            self.k.client.update_status(update)
        except ApiError as err:
            if err.code == 409:
                fresh = self.k.client.get("pods", state.name, state.namespace)
                fresh["status"] = status
                self.k.client.update_status(fresh)
            elif err.code != 404:
                raise


def _requests(pod: dict, resource: str) -> int:
    """Sum of container requests for one resource (cpu in millicores, memory in bytes)."""
    total = 0
    for container in pod["spec"].get("containers", []):
        value = (container.get("resources") or {}).get("requests", {}).get(resource)
        if value is not None:
            total += _amount(resource, value)
    return total


def _amount(resource: str, value: Any) -> int:
    """A quantity in millicores (cpu) or bytes (memory); the text of one is parsed once."""
    if isinstance(value, str):
        return _parsed_amount(resource, value)
    return cpu_millis(value) if resource == "cpu" else memory_bytes(value)


@functools.lru_cache(maxsize=4096)
def _parsed_amount(resource: str, text: str) -> int:
    """A simulation speed-up with identical results: the same few quantity texts recur."""
    return cpu_millis(text) if resource == "cpu" else memory_bytes(text)


@functools.lru_cache(maxsize=1024)
def _field_path(kind: str, name: str) -> str:
    """``spec.containers{app}``: one shared string per container name (a memory saving, same text:
    the event recorder keeps the field path of every event it sends)."""
    return f"spec.{kind}{{{name}}}"


@functools.lru_cache(maxsize=1024)
def _message(verb: str, name: str) -> str:
    """``Created container app``, ``Started container app``: one shared string per container name,
    like :func:`_field_path` (a memory saving, same text)."""
    return f"{verb} container {name}"
