"""Pod workers: one small process per pod that drives the runtime toward the pod's spec.

Every pod bound to this node gets a worker. Each time something changes (the pod object, a
container exiting, a back-off expiring) the worker is signalled and runs ``sync_pod``
(:mod:`k8slearn.kubelet.sync_pod`) once more. Signals that arrive while one is already pending
collapse into it, so a busy pod is synced once, not once per change. The worker ends when the pod
is killed; a reboot (``stop``/``start``) gives every known pod a fresh one.

What the kubelet remembers about one pod between syncs is its :class:`PodState`:

>>> state = PodState("uid-1", "default", "web")
>>> state.waiting
{}
>>> state.set_waiting("app", ("ContainerCreating", ""))
>>> state.waiting
{'app': ('ContainerCreating', '')}
>>> state.clear_waiting("app")
>>> state.waiting is _NO_WAITING
True

Simplified: a signal carries no pod update, only "sync again" (the worker reads the pod from the
informer each time). Upstream's worker goroutine waits on its channel for as long as the pod
lives; here a worker's process exists only while it has a sync to do, and a signal to an idle pod
starts one (a memory saving: no parked generator, process and waiter per running pod; the syncs
run at the same simulated moments and in the same order, see :meth:`PodWorkers._worker`).

Upstream: pkg/kubelet/pod_workers.go (podWorkers, UpdatePod, podWorkerLoop),
pkg/kubelet/kubelet_pods.go (GetContainerLogs: ``logs``), pkg/kubelet/pleg/generic.go (``container_exited``)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from k8slearn.api.meta import FrozenDict
from k8slearn.kubelet.admission import Admission
from k8slearn.kubelet.backoff import Backoff
from k8slearn.kubelet.container_attempts import NO_ATTEMPTS, ContainerAttempts
from k8slearn.kubelet.image_manager import ImageManager
from k8slearn.kubelet.kill_pod import PodTermination
from k8slearn.kubelet.kuberuntime import KubeRuntime
from k8slearn.kubelet.prober import ProberManager
from k8slearn.kubelet.resource_helpers import NO_REQUESTS
from k8slearn.kubelet.sync_pod import PodSync

BACKOFF_PERIOD = 10.0  # kubelet.go backOffPeriod: the pod worker's wait after a sync that failed
BACKOFF_JITTER = 0.5  # workerBackOffPeriodJitterFactor: wait.Jitter makes it 10 to 15 s
RELIST_PERIOD = 1.0  # PLEG's relist period: the runtime status the kubelet works from is this old at most
# kubelet.go: newPodContainerDeletor(runtime, max(MaxPerPodContainer, minDeadContainerInPod)), the
# --maximum-dead-containers-per-container default 1 and minDeadContainerInPod 1
DEAD_CONTAINERS_TO_KEEP = 1


@dataclass(slots=True)
class PodState:
    """What the kubelet remembers about one pod between syncs."""

    uid: str
    namespace: str
    name: str
    signalled: bool = False  # a sync is pending (collapses further signals)
    admitted: bool = False
    rejected: str = ""
    sandbox_id: str = ""
    # container name -> (runtime container ids,), read as a dict (see container_attempts)
    attempts: ContainerAttempts = field(default_factory=lambda: NO_ATTEMPTS)
    waiting: dict = field(default_factory=lambda: _NO_WAITING)  # container name -> (reason, message)
    start_time: float | None = None
    done: bool = False
    last_status: dict | None = None
    process: Any = None  # the worker's process while it has a sync to do, else None
    # resource -> amount the pod requests (cpu in millicores), summed once at admission. Upstream
    # sums the active pods' requests afresh for every admission; the API server rejects any change
    # to container resources, so keeping the sum is a simulation speed-up with the same answer.
    requests: Mapping[str, int] = field(default_factory=lambda: NO_REQUESTS)

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


class PodWorkers(PodSync, Admission, KubeRuntime, PodTermination):
    """All pod workers of one kubelet. The sync itself (:class:`PodSync`), admission
    (:class:`Admission`) and the CRI calls (:class:`KubeRuntime`) live in their own modules."""

    def __init__(self, kubelet: Any) -> None:
        self.k = kubelet
        self.loop = kubelet.loop
        self.runtime = kubelet.runtime
        self.states: dict[str, PodState] = {}
        # Pods this kubelet has finished terminating whose API object is still there (held by a
        # finalizer): they are not started again (upstream podSyncStatuses remembers terminated
        # pods until the pod leaves the kubelet's config). Forgotten when the delete arrives.
        self.terminated: set[str] = set()
        self.running = False  # between start() and stop(): signals start worker processes
        self.crash_backoff = Backoff()
        self.images = ImageManager(self.loop, self.runtime, kubelet.events)
        # The prober reads the status we last generated, and a probe result that matters makes
        # the pod sync again (upstream: the results managers' updates in syncLoopIteration).
        self.prober = ProberManager(kubelet, self._last_status, lambda kind, uid, result: self.signal(uid))
        # The environment of containers that declare none, per namespace and Services (kuberuntime)
        self._env_cache: dict[tuple, tuple] = {}
        self._requeue: dict[str, Any] = {}  # uid -> the Timer of its one pending retry after a failed sync
        # What the next sync's status shows first (SyncPod generates the status before it acts):
        # pods whose container died since (PLEG), and reasons a sync found that the API sees only
        # at the next one (the reasonCache: CrashLoopBackOff, ErrImagePull...): uid -> {container: reason}.
        self._exited: set[str] = set()
        self._new_sandboxes: set[str] = set()  # pods whose sandbox the current sync started
        self._next_sync_reasons: dict[str, dict] = {}
        # Every worker's process has the same name: one string for all (a memory saving).
        self._worker_name = f"{kubelet.component}/pod-worker"

    # -- entry points -------------------------------------------------------------------------
    def update_pod(self, pod: dict) -> None:
        """A pod for this node was added or changed: make sure its worker syncs. A worker busy killing
        the pod finishes that kill first, whatever the change (a shorter grace period too: in v1.32
        the context UpdatePod cancels does not reach SyncTerminatingPod's kill; see kill_pod)."""
        uid = pod["metadata"].get("uid", "")
        state = self.states.get(uid)
        if state is None:
            if uid in self.terminated:
                return
            if pod["metadata"].get("annotations", {}).get("kubernetes.io/config.mirror"):
                return  # a static pod's mirror: the kubelet runs the static pod itself
            state = PodState(uid, pod["metadata"]["namespace"], pod["metadata"]["name"])
            self.states[uid] = state
            self._start_worker(state, fresh=True)
            return
        self.signal(uid)

    def reconcile_pod(self, pod: dict) -> None:
        """HandlePodReconcile: only the pod's status changed, so there is nothing to sync. Once the
        informer's pod carries the very status this kubelet wrote (its own write came back), the
        kubelet keeps that read-only copy instead of its own: equal values, one copy less per pod
        (a memory saving; comparisons give the same answers)."""
        state = self.states.get(pod["metadata"].get("uid", ""))
        if state is not None and state.last_status is not pod["status"] and state.last_status == pod["status"]:
            state.last_status = pod["status"]

    def pod_deleted(self, pod: dict) -> None:
        """The pod left the API server: its worker (if any) finishes, and it is forgotten."""
        uid = pod["metadata"].get("uid", "")
        self.terminated.discard(uid)
        self.signal(uid)

    def _start_worker(self, state: PodState, fresh: bool) -> None:
        """Mark a sync pending and start the process that runs it (see :meth:`_worker`)."""
        state.signalled = True
        state.process = self.loop.spawn(self._worker(state, fresh), self._worker_name)

    def start(self) -> None:
        """Power on (and after a reboot): a fresh worker for every pod we knew, each told to sync."""
        if self.running:
            return  # already on: an idle pod without a process is simply not signalled
        self.running = True
        # A new kubelet process: no container and no image pull is in back-off (NewMainKubelet makes
        # kl.backOff and the image manager's imageBackOff afresh)
        self.crash_backoff = Backoff()
        self.images.backoff = Backoff()
        self.prober.started_at = self.loop.now
        for state in self.states.values():
            if state.process is None:
                self._start_worker(state, fresh=True)

    def stop(self) -> None:
        """Power off: every worker dies wherever it was."""
        self.running = False
        self.prober.stop()
        for state in self.states.values():
            if state.process is not None:
                state.process.stop()
                state.process = None

    def logs(self, namespace: str, name: str, container: str | None = None, previous: bool = False,
             timestamps: bool = False) -> str:
        """The log of a container's current (or previous) run (``timestamps``: each line after its
        time); ValueError with kubectl's text if none."""
        state = next((s for s in self.states.values() if (s.namespace, s.name) == (namespace, name)), None)
        if state is None:
            raise ValueError(f'pods "{name}" not found')
        names, inits = list(state.attempts), []
        pod = self._current(state)
        if pod is not None:
            names = [c["name"] for c in pod["spec"]["containers"]]
            inits = [c["name"] for key in ("initContainers", "ephemeralContainers") for c in pod["spec"].get(key) or ()]
        if container is None:
            if len(names) != 1:
                message = f"a container name must be specified for pod {name}, choose one of: [{' '.join(names)}]"
                init_only = [c["name"] for c in pod["spec"].get("initContainers") or ()] if pod is not None else []
                if init_only:
                    message += f" or one of the init containers: [{' '.join(init_only)}]"
                raise ValueError(message)
            container = names[0]
        if container not in names and container not in inits:
            raise ValueError(f"container {container} is not valid for pod {name}")
        wanted = _log_container_id(state.last_status, container, name, previous)
        if wanted not in self.runtime.containers:
            # The status still names a run the container deletor has removed since (the crash's
            # first status shows the run before as lastState): the runtime's ContainerStatus
            # fails after GetKubeletContainerLogs's zero-byte write has sent the 200, so its error
            # is the text of the answer, not an error status.
            err = ValueError(f"unable to retrieve container logs for containerd://{wanted}")
            err.after_header = True
            raise err
        return self.runtime.logs(wanted, timestamps)

    def _last_status(self, uid: str) -> dict | None:
        """The pod status this kubelet last generated (the prober's view of the pod)."""
        state = self.states.get(uid)
        return state.last_status if state is not None else None

    def sandbox_of(self, uid: str) -> str:
        state = self.states.get(uid)
        return state.sandbox_id if state is not None else ""

    def signal(self, uid: str) -> None:
        """Ask the pod's worker to sync again (once, however many signals come before it does)."""
        state = self.states.get(uid)
        if state is None or state.done or state.signalled:
            return
        if state.process is None and self.running:
            self._start_worker(state, fresh=False)  # an idle worker wakes up
        else:
            state.signalled = True  # a busy worker syncs again when it is done (or after start())

    def requeue(self, uid: str, delay: float) -> None:
        """workQueue.Enqueue(uid, delay) after a failed sync: the pod syncs again ``delay`` seconds
        from now. A pod has one pending retry; a later one replaces it."""
        old = self._requeue.pop(uid, None)
        if old is not None:
            old.cancel()
        self._requeue[uid] = self.loop.call_later(delay, self._requeued, uid, periodic=True)

    def requeue_after_error(self, uid: str) -> None:
        """completeWork after a sync that returned an error: the pod syncs again after
        ``wait.Jitter(backOffPeriod, 0.5)``, 10 to 15 s. In v1.32 a container in back-off is such an
        error too (``ErrCrashLoopBackOff``: the filter meant to let it pass never does, kubernetes
        issue #123602), so a crashed container is looked at every 10 to 15 s and restarts at the
        first look after its back-off is over (v1.35 waits for the back-off's end instead)."""
        self.requeue(uid, BACKOFF_PERIOD * (1 + BACKOFF_JITTER * self.loop.rng.random()))

    def _requeued(self, uid: str) -> None:
        self._requeue.pop(uid, None)
        self.signal(uid)

    def signal_all(self) -> None:
        for uid in list(self.states):
            self.signal(uid)

    def container_exited(self, container: Any) -> None:
        """PLEG: the runtime reported a container exit (ContainerDied): the pod syncs again, and
        the pod's older dead runs of that container are removed (cleanUpContainersInPod)."""
        for state in self.states.values():
            if container.id in state.attempts.get(container.name, ()):
                self.loop.record(
                    self.k.component,
                    "PLEG",
                    f"pod/{state.namespace}/{state.name}",
                    f"container {container.name} died (exit code {container.exit_code})",
                )
                self._exited.add(state.uid)
                self.signal(state.uid)
                self.loop.call_later(RELIST_PERIOD, self._delete_containers_in_pod, state, container.name)

    def _delete_containers_in_pod(self, state: PodState, name: str) -> None:
        """podContainerDeletor.deleteContainersInPod after a ContainerDied event: of the pod's
        exited containers with the dead one's name, the newest ``DEAD_CONTAINERS_TO_KEEP`` stay
        (its last run: ``lastState``, ``logs --previous``) and the older ones are removed from the
        runtime, so ``crictl ps -a`` shows a crash-looping container's last run, not all of them.
        Upstream hands them to a worker goroutine, and the sync the event started still reads the
        pod's runtime status cached at the relist (its ``lastState`` is the run before): here they
        go one relist later. The restart count is the kubelet's own (upstream: the newest
        container's annotation), so it does not drop."""
        if state.done:
            return
        known = self.runtime.containers
        dead = [known[i] for i in state.attempts.get(name, ()) if i in known
                and known[i].state == "CONTAINER_EXITED"]
        dead.sort(key=lambda c: -c.created_at)
        for container in dead[DEAD_CONTAINERS_TO_KEEP:]:
            self.runtime.remove_container(container.id)

    def _worker(self, state: PodState, fresh: bool):
        """Sync while signals keep coming, then end (the next signal starts a new process).

        The moments are those of a worker that lives as long as its pod and waits on a queue:
        the wake-up after a signal is one event at the signal's time (here: the process starting;
        there: the queue handing the waiting worker its item), a signal already pending when a
        sync ends is one more event at that time (``yield 0.0``; there: the queue's ``get``
        answering at once), and a new worker takes one extra event before its first sync (there:
        the process starting, then taking the item queued meanwhile).
        """
        if fresh:
            yield 0.0
        while True:
            state.signalled = False
            yield from self.sync_pod(state)
            if state.done or not state.signalled:
                break
            yield 0.0
        state.process = None


def _log_container_id(status: dict | None, container: str, pod: str, previous: bool) -> str:
    """validateContainerLogStatus: the runtime container whose log ``logs`` shows, read from the
    pod status the kubelet generated: ``previous``, the run in ``lastState`` (in CrashLoopBackOff,
    the run that just crashed); else the running one, the terminated one, or the last run of one
    waiting to restart. ValueError with the kubelet's words when there is none."""
    entry = next((s for key in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")
                  for s in (status or {}).get(key) or () if s.get("name") == container), None)
    if entry is None:  # (no status written yet: the kubelet is creating the pod)
        if previous:
            raise ValueError(f'previous terminated container "{container}" in pod "{pod}" not found')
        raise ValueError(f'container "{container}" in pod "{pod}" is waiting to start: ContainerCreating')
    state = entry.get("state") or {}
    last = (entry.get("lastState") or {}).get("terminated")
    if previous:
        found = (last or {}).get("containerID")
        if not found:
            raise ValueError(f'previous terminated container "{container}" in pod "{pod}" not found')
    elif "running" in state:
        found = entry.get("containerID")
    elif "terminated" in state or last is not None:
        # (a terminated state without an ID: the next run did not start; its last run then)
        found = ("terminated" in state and state["terminated"].get("containerID")) or (last or {}).get("containerID")
        if not found:
            raise ValueError(f'container "{container}" in pod "{pod}" is terminated')
    else:
        reason = (state.get("waiting") or {}).get("reason")
        if reason is None:
            raise ValueError(f'container "{container}" in pod "{pod}" is waiting to start - no logs yet')
        reason = {"ErrImagePull": "image can't be pulled",
                  "ImagePullBackOff": "trying and failing to pull image"}.get(reason, reason)
        raise ValueError(f'container "{container}" in pod "{pod}" is waiting to start: {reason}')
    return found.partition("://")[2] or found
