"""Stopping a pod's containers: the preStop hooks, the termination order and the grace period.

When a pod is deleted (or evicted, or its node's kubelet is told the pod must go), the kubelet
kills it (killPodWithSyncResult): a ``Killing`` event for every running container at once; each
container first runs its ``preStop`` hook (:mod:`k8slearn.kubelet.lifecycle_hooks`) within the
grace period, then gets SIGTERM, and SIGKILL when what is left of the grace period (at least 2 s)
runs out. Sidecars stop last, in reverse order, each once the containers after it have stopped
(newTerminationOrdering); a sidecar's preStop hook still runs at once, beside the app's. Then the
sandbox goes (CNI DEL), the final status is written and the pod object is deleted with grace
period 0.

A kill, once started, keeps its grace period. Deleting a Terminating pod again with a shorter one
(``kubectl delete pod b --grace-period=3``, or ``--now``) moves the object's ``deletionTimestamp``
and ``deletionGracePeriodSeconds``, but the containers still get SIGKILL when the first grace
period ends: in v1.32 the pod worker does compute the shorter period and cancels the sync's context
(UpdatePod, calculateEffectiveGracePeriod), but SyncTerminatingPod kills with a context of its own
(``TODO(#113606)`` in kubelet.go), so the running kill is not cut short (kubernetes issues #83916
and #113712). A force delete (``--force --grace-period=0``) does not shorten it either; it only
removes the object at once.

Simplified: a pod whose object is already gone (a force delete) runs no preStop hooks (upstream
restores them from the container's labels); with no grace at all everything stops at once, and
the 2 s minimum is not applied to the regular containers.

Upstream: pkg/kubelet/kuberuntime/kuberuntime_container.go (killContainer, executePreStopHook,
killContainersWithSyncResult), pkg/kubelet/kuberuntime/kuberuntime_termination_order.go,
pkg/kubelet/kuberuntime/kuberuntime_manager.go (KillPod), pkg/kubelet/kubelet.go
(SyncTerminatingPod), pkg/kubelet/pod_workers.go (UpdatePod, calculateEffectiveGracePeriod)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8slearn.api.errors import ApiError
from k8slearn.kubelet import status as pod_status
from k8slearn.kubelet.kuberuntime import _field_path
from k8slearn.kubelet.lifecycle_hooks import MINIMUM_GRACE_PERIOD, run_handler
from k8slearn.kubelet.probe import listener_on
from k8slearn.sim.loop import Waitable

if TYPE_CHECKING:
    from k8slearn.kubelet.pod_workers import PodState


class PodTermination:
    """The kill part of :class:`~k8slearn.kubelet.pod_workers.PodWorkers` (and the hooks it runs)."""

    def _run_hook(self, state: PodState, hook: dict, record: Any, container: dict):
        sandbox = self.runtime.sandboxes.get(state.sandbox_id)
        ip = (sandbox.ip if sandbox is not None else "") or self.k.ip

        def listener(port: int):
            return listener_on(self.runtime, state.sandbox_id, port)[1]

        return (yield from run_handler(hook, self.runtime, record.id, ip, listener, container))

    def _stop(self, state: PodState, pod: dict | None, spec: dict | None, record: Any, grace: float,
              background: bool = False, turn: list | None = None) -> Waitable:
        """killContainer: the container's preStop hook first (when it has one and a grace period),
        then, for a sidecar, its turn (``turn``: what must have stopped before it), then
        StopContainer with the grace period that is left, at least 2 s (``background``: a probe's
        kill, see ``stop_container``). The Waitable is triggered once the container stopped."""
        hook = ((spec or {}).get("lifecycle") or {}).get("preStop")
        if grace <= 0 or (hook is None and not turn):
            return self.runtime.stop_container(record.id, grace, background)
        done = Waitable()
        stop = self._pre_stop_then_stop(state, pod, spec, hook, record, grace, background, done, turn)
        self.loop.spawn(stop, f"{self.k.component}/pre-stop")
        return done

    def _pre_stop_then_stop(self, state: PodState, pod: dict | None, spec: dict, hook: dict | None,
                            record: Any, grace: float, background: bool, done: Waitable, turn: list | None):
        """executePreStopHook, then waitForTurn, then StopContainer. The hook runs in a process of
        its own and is waited for at most ``grace`` seconds ("PreStop hook not completed in grace
        period"); what it used, in whole seconds, is taken off the grace period. A sidecar's hook
        so runs at once, while the app is still stopping; only then does the sidecar wait for its
        turn, within what is left, and that wait, in whole seconds, is taken off as well. A hook
        still running when its container stops dies with it, and an exec hook's ExecSync then
        answers exit code 137: that is a failed hook too, so the ``FailedPreStopHook`` event comes
        as the container stops. Simplified: a container whose program ends by itself while its
        hook runs does not end the hook."""
        finished = None  # the hook's error ("" if it succeeded) once it is over
        if hook is not None:
            began, finished = self.loop.now, Waitable()

            def run_hook():
                finished.trigger((yield from self._run_hook(state, hook, record, spec)))

            hook_process = self.loop.spawn(run_hook(), f"{self.k.component}/pre-stop-hook")
            finished.add_waiter(lambda error: self._pre_stop_failed(pod, spec) if error else None)
            yield _all_done([finished], grace, self.loop)  # the hook, or the grace period if that is shorter
            grace -= int(self.loop.now - began)
        if turn and grace > 0:
            began = self.loop.now
            yield _all_done(turn, grace, self.loop)  # waitForTurn
            grace -= int(self.loop.now - began)
        stopped = self.runtime.stop_container(record.id, max(grace, MINIMUM_GRACE_PERIOD), background)
        if finished is not None and not finished.triggered:

            def container_stopped(_: object) -> None:
                if not finished.triggered:
                    hook_process.stop()
                    # (a sleep hook has not failed: upstream it sleeps on, and nothing follows)
                    finished.trigger("exited with 137" if "exec" in hook else "")

            stopped.add_waiter(container_stopped)
        stopped.add_waiter(done.trigger)

    def _pre_stop_failed(self, pod: dict | None, spec: dict) -> None:
        """The ``FailedPreStopHook`` event (not its error: the handler's output could hold secrets)."""
        if pod is not None:
            self.k.events.event(pod, "Warning", "FailedPreStopHook", "PreStopHook failed",
                                field_path=_field_path(_kind_of(pod, spec["name"]), spec["name"]))

    # -- termination --------------------------------------------------------------------------
    def _kill(self, state: PodState, grace: float, pod: dict | None):
        """Stop every container (SIGTERM, SIGKILL after ``grace``), tear down the sandbox, finish."""
        if state.done:
            return
        self.prober.stop_liveness_and_startup(state.uid)
        yield from self._kill_containers(state, grace, pod)
        if state.sandbox_id:
            self.runtime.stop_pod_sandbox(state.sandbox_id)
        if pod is not None:
            # SyncTerminatingPod: the stopped pod's last status (Succeeded or Failed, the containers
            # terminated) goes to the API server before the delete that lets it go.
            self.write_status(state, pod_is_terminal=True)
        # the pod's sandboxes go with their containers: the current one, and any an earlier
        # sandbox change stopped but kept (upstream container GC removes a deleted pod's all)
        for sandbox_id in [s.id for s in self.runtime.sandboxes.values() if s.uid == state.uid]:
            self.runtime.remove_pod_sandbox(sandbox_id)
        self.prober.remove_pod(state.uid)
        state.done = True
        del self.states[state.uid]
        self._exited.discard(state.uid)
        self._new_sandboxes.discard(state.uid)
        self._next_sync_reasons.pop(state.uid, None)
        if pod is not None:
            self.terminated.add(state.uid)
            try:
                self.k.client.delete("pods", state.name, state.namespace, grace_period_seconds=0)
            except ApiError as err:
                if err.code != 404:
                    raise

    def _kill_containers(self, state: PodState, grace: float, pod: dict | None):
        """killContainersWithSyncResult: a ``Killing`` event for every running container at once,
        and every preStop hook starts at once; the regular containers get SIGTERM then, each sidecar
        only once the regular containers and the sidecars after it have stopped
        (newTerminationOrdering), or when ``grace`` is up, with what is left of it in whole seconds
        (at least 2: minimumGracePeriodInSeconds). Simplified:
        with no grace at all (a force delete) everything stops at once, and the 2 s minimum is not
        applied to the regular containers."""
        inits = pod["spec"].get("initContainers") or () if pod is not None else ()
        sidecars = [c["name"] for c in inits if pod_status.is_restartable_init_container(c)]
        running, waits = {}, {}
        for name, ids in state.attempts.items():
            record = self.runtime.containers.get(ids[-1])
            if record is not None and record.state == "CONTAINER_RUNNING":
                running[name] = record
                if pod is not None:
                    kind = _kind_of(pod, name)
                    self.k.events.event(
                        pod, "Normal", "Killing", f"Stopping container {name}", field_path=f"spec.{kind}{{{name}}}"
                    )
                if name not in sidecars:
                    waits[name] = self._stop(state, pod, _spec_of(pod, name), record, grace)
        if running:
            obj = f"pod/{state.namespace}/{state.name}"
            self.loop.record(self.k.component, "KillPod", obj, f"stopping {len(running)} container(s), grace {grace:g}s")
        regular, later = list(waits.values()), None
        for name in reversed(sidecars):
            record = running.get(name)
            if record is not None:
                turn = regular + ([waits[later]] if later in waits else [])
                waits[name] = self._stop(state, pod, _spec_of(pod, name), record, grace, turn=turn)
            later = name
        for name in running:
            yield waits[name]


def _spec_of(pod: dict | None, name: str) -> dict | None:
    """The container (or init container) ``name`` of ``pod``'s spec, if the pod is still known."""
    return None if pod is None else pod_status.container_spec(pod, name)


def _kind_of(pod: dict, name: str) -> str:
    """Where the container ``name`` is in the pod's spec: its events' field path says so."""
    for kind in ("initContainers", "ephemeralContainers"):
        if any(c["name"] == name for c in pod["spec"].get(kind) or ()):
            return kind
    return "containers"


def _all_done(waits: list, within: float, loop) -> Waitable:
    """terminationOrdering.waitForTurn: triggered once every one of ``waits`` is, or after
    ``within`` seconds, whichever comes first."""
    turn = Waitable()
    pending = [w for w in waits if not w.triggered]
    if not pending:
        turn.trigger()
        return turn
    timer = loop.call_later(within, turn.trigger)
    left = [len(pending)]

    def one_done(_: object) -> None:
        left[0] -= 1
        if left[0] == 0:
            timer.cancel()
            turn.trigger()

    for wait in pending:
        wait.add_waiter(one_done)
    return turn
