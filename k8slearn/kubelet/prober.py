"""The kubelet's prober: liveness, readiness and startup probes, one worker per container and kind.

When the kubelet syncs a pod it adds a worker for every probe its containers declare. A worker
probes every ``periodSeconds`` (the first time after a random part of a period if the kubelet
started less than a period ago, so a restarted kubelet does not probe everything at once), and
turns ``failureThreshold`` failures or ``successThreshold`` successes in a row into a *result*
for the current container:

- **readiness** starts as Failure: the container is not ``ready`` (and the pod not Ready, so no
  Service sends it traffic) until the probe passes; the kubelet asks for one probe at once when
  a started container has no result yet;
- **liveness** starts as Success; a Failure makes the kubelet kill the container
  (``Killing``: "Container app failed liveness probe, will be restarted") and start it again;
- **startup** starts as Unknown: until it passes the container is not ``started`` and the other
  two probes wait; a Failure kills the container like liveness does.

Sidecars (init containers with ``restartPolicy: Always``) are probed as regular containers are:
their startup probe holds up the next init container, their readiness counts for the pod's.

Readiness and liveness wait ``initialDelaySeconds`` after the container started. A failed check
records a ``Warning`` ``Unhealthy`` event ("Liveness probe failed: HTTP probe failed with
statuscode: 500"); a probe that could not run ("Readiness probe errored: ...") changes nothing.
After a liveness or startup Failure the worker holds until it sees a new container.

>>> readiness = Results()
>>> readiness.set("c1", "failure"), readiness.set("c1", "failure"), readiness.get("c1")
(True, False, 'failure')

Simplified: a worker reads the kubelet's last pod status (upstream: the status manager's cache);
probes take no time; ticks are heartbeats, so ``settle()`` does not wait for them (use ``run()``),
but the first readiness check of a new container is waited for.

Upstream: pkg/kubelet/prober/prober_manager.go (AddPod, UpdatePodStatus, isContainerStarted,
getRestartableInitContainers),
pkg/kubelet/prober/worker.go (run, doProbe), pkg/kubelet/prober/prober.go (probe: the events),
pkg/kubelet/prober/results/results_manager.go, pkg/kubelet/kubelet.go (syncLoopIteration:
the probe updates)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8slearn.kubelet.cri import RuntimeError_
from k8slearn.kubelet.probe import FAILURE, SUCCESS, UNKNOWN, ProbeError, run_probe

LIVENESS, READINESS, STARTUP = "Liveness", "Readiness", "Startup"  # probeType.String()
_SPEC = {LIVENESS: "livenessProbe", READINESS: "readinessProbe", STARTUP: "startupProbe"}
_INITIAL = {LIVENESS: SUCCESS, READINESS: FAILURE, STARTUP: UNKNOWN}


class Results:
    """One results manager (per probe kind): the last result of each container id."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def get(self, container_id: str) -> str | None:
        return self.cache.get(container_id)

    def set(self, container_id: str, result: str) -> bool:
        """Remember ``result``; True if it changed (upstream then sends an update)."""
        if self.cache.get(container_id) == result:
            return False
        self.cache[container_id] = result
        return True

    def remove(self, container_id: str) -> None:
        self.cache.pop(container_id, None)


class Worker:
    """Probes one container of one pod for one kind of probe (upstream's worker goroutine)."""

    def __init__(self, manager: ProberManager, pod: dict, container: dict, kind: str) -> None:
        self.manager, self.kind = manager, kind
        self.uid = pod["metadata"].get("uid", "")
        self.pod = pod
        self.container = container
        self.spec = container[_SPEC[kind]]
        self.results = manager.results[kind]
        self.container_id = ""
        self.last_result = ""
        self.result_run = 0
        self.on_hold = False
        self.stopped = False
        self.timer: Any = None
        self.triggered = False

    @property
    def period(self) -> float:
        return float(self.spec.get("periodSeconds", 10))

    def start(self) -> None:
        loop = self.manager.loop
        delay = 0.0
        if self.period > loop.now - self.manager.started_at:  # the kubelet started recently
            delay = loop.rng.random() * self.period
        self.timer = loop.call_later(delay, self._tick, periodic=True)

    def stop(self) -> None:
        self.stopped = True
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.container_id:
            self.results.remove(self.container_id)

    def trigger(self) -> None:
        """manualTriggerCh: probe now, without moving the ticker (at most one waiting)."""
        if not self.stopped and not self.triggered:
            self.triggered = True
            self.manager.loop.call_later(0.0, self._manual)

    def _manual(self) -> None:
        self.triggered = False
        if not self.stopped and not self.do_probe():
            self.manager.remove_worker(self)

    def _tick(self) -> None:
        self.timer = None
        if self.stopped:
            return
        if not self.do_probe():
            self.manager.remove_worker(self)
            return
        self.timer = self.manager.loop.call_later(self.period, self._tick, periodic=True)

    def _set(self, result: str) -> None:
        if self.results.set(self.container_id, result):
            self.manager.updated(self.kind, self.uid, result)

    def do_probe(self) -> bool:
        """One probe pass; False when the worker should end (worker.go doProbe)."""
        manager = self.manager
        status = manager.pod_status(self.uid)
        if status is None:
            return True  # not created yet, or already gone
        if status.get("phase") in ("Failed", "Succeeded"):
            return False
        name = self.container["name"]
        found = None
        for key in ("containerStatuses", "initContainerStatuses"):
            found = next((c for c in status.get(key) or () if c["name"] == name and c.get("containerID")), None)
            if found is not None:
                break
        if found is None:
            return True  # the container has not been created yet
        container_id = found["containerID"].split("://", 1)[-1]
        if container_id != self.container_id:
            if self.container_id:
                self.results.remove(self.container_id)
            self.container_id = container_id
            self._set(_INITIAL[self.kind])
            self.on_hold = False  # a new container: probe again
        if self.on_hold:
            return True
        state = found.get("state") or {}
        if "running" not in state:
            self._set(FAILURE)
            return ("terminated" not in state or self.container.get("restartPolicy") == "Always"
                    or self.pod["spec"].get("restartPolicy", "Always") != "Never")
        record = manager.runtime.containers.get(container_id)
        started_at = record.started_at if record is not None else manager.loop.now
        if int(manager.loop.now - started_at) < int(self.spec.get("initialDelaySeconds", 0)):
            return True
        if found.get("started"):
            if self.kind == STARTUP:
                return True  # started: the startup probe is done (kept for a restarted container)
        elif self.kind != STARTUP:
            return True  # the other probes wait for the container to start
        try:
            result = manager.probe(self.kind, self.pod, status, self.container, container_id)
        except (ProbeError, RuntimeError_):
            return True  # errored: the result is thrown away
        if result == self.last_result:
            self.result_run += 1
        else:
            self.last_result, self.result_run = result, 1
        if (result == FAILURE and self.result_run < int(self.spec.get("failureThreshold", 3))) or (
            result == SUCCESS and self.result_run < int(self.spec.get("successThreshold", 1))
        ):
            return True  # below the threshold: the result stays as it was
        self._set(result)
        if self.kind in (LIVENESS, STARTUP) and result == FAILURE:
            self.on_hold = True  # wait for the restarted container
            self.result_run = 0
        return True


class ProberManager:
    """All probe workers of one kubelet, and what they found (upstream's prober manager)."""

    def __init__(self, kubelet: Any, pod_status: Callable[[str], dict | None], on_update: Callable) -> None:
        self.k = kubelet
        self.loop = kubelet.loop
        self.runtime = kubelet.runtime
        self.pod_status = pod_status  # uid -> the pod status the kubelet last generated
        self.on_update = on_update  # (kind, uid, result): the kubelet's sync loop reacts
        self.results = {LIVENESS: Results(), READINESS: Results(), STARTUP: Results()}
        self.workers: dict[str, dict[tuple[str, str], Worker]] = {}  # uid -> (container, kind) -> worker
        self.started_at = self.loop.now

    # -- the kubelet's calls ------------------------------------------------------------------
    def add_pod(self, pod: dict) -> None:
        """AddPod: a worker for each probe of each container (once)."""
        uid = pod["metadata"].get("uid", "")
        sidecars = [c for c in pod["spec"].get("initContainers") or () if c.get("restartPolicy") == "Always"]
        for container in (*pod["spec"]["containers"], *sidecars) if sidecars else pod["spec"]["containers"]:
            for kind in (STARTUP, READINESS, LIVENESS):
                if container.get(_SPEC[kind]) is None:
                    continue
                workers = self.workers.setdefault(uid, {})
                key = (container["name"], kind)
                if key not in workers:
                    worker = workers[key] = Worker(self, pod, container, kind)
                    worker.start()

    def stop_liveness_and_startup(self, uid: str) -> None:
        """StopLivenessAndStartup: a terminating pod is no longer restarted for failing probes."""
        for (name, kind), worker in list(self.workers.get(uid, {}).items()):
            if kind != READINESS:
                worker.stop()
                del self.workers[uid][(name, kind)]

    def remove_pod(self, uid: str) -> None:
        """RemovePod: stop every worker of the pod."""
        for worker in self.workers.pop(uid, {}).values():
            worker.stop()

    def stop(self) -> None:
        """The kubelet died: every worker with it, and everything they found."""
        for uid in list(self.workers):
            self.remove_pod(uid)

    def remove_worker(self, worker: Worker) -> None:
        workers = self.workers.get(worker.uid, {})
        if workers.get((worker.container["name"], worker.kind)) is worker:
            del workers[(worker.container["name"], worker.kind)]
            if not workers:
                del self.workers[worker.uid]
        worker.stop()

    def has_probes(self, uid: str) -> bool:
        return uid in self.workers

    def started_ready(self, uid: str, name: str, container_id: str) -> tuple[bool, bool]:
        """UpdatePodStatus for one running container: (started, ready)."""
        workers = self.workers.get(uid, {})
        startup = self.results[STARTUP].get(container_id)
        started = startup == SUCCESS if startup is not None else (name, STARTUP) not in workers
        if not started:
            return False, False
        if self.results[READINESS].get(container_id) == SUCCESS:
            return True, True
        worker = workers.get((name, READINESS))
        if worker is None:
            return True, True  # no readiness probe: ready
        worker.trigger()  # a started container with no readiness result yet: probe now
        return True, False

    def kill_reason(self, container_id: str) -> str:
        """"liveness" or "startup" when that probe failed for the running container, else ""."""
        if self.results[LIVENESS].get(container_id) == FAILURE:
            return "liveness"
        if self.results[STARTUP].get(container_id) == FAILURE:
            return "startup"
        return ""

    # -- the workers' calls -------------------------------------------------------------------
    def updated(self, kind: str, uid: str, result: str) -> None:
        if kind == LIVENESS and result != FAILURE:
            return  # the kubelet acts on liveness failures only
        self.on_update(kind, uid, result)

    def probe(self, kind: str, pod: dict, status: dict, container: dict, container_id: str) -> str:
        """prober.probe: run the check once, record the event; the result (errors raise)."""
        spec = container[_SPEC[kind]]
        sandbox_id = self.k.workers.sandbox_of(pod["metadata"].get("uid", ""))
        inits = pod["spec"].get("initContainers") or ()
        field = "initContainers" if any(c is container for c in inits) else "containers"
        field_path = f"spec.{field}{{{container['name']}}}"
        try:
            result, output = run_probe(spec, container, container_id, status.get("podIP", ""), sandbox_id,
                                       self.runtime, self.loop.now, pod["metadata"]["name"])
        except (ProbeError, RuntimeError_) as err:
            self.k.events.event(pod, "Warning", "Unhealthy", f"{kind} probe errored: {err}", field_path=field_path)
            raise
        if result == SUCCESS:
            return SUCCESS
        self.k.events.event(pod, "Warning", "Unhealthy", f"{kind} probe failed: {output}", field_path=field_path)
        return FAILURE
