"""SyncPod: one pass of a pod worker, doing the next thing the pod needs.

Every time a pod's worker is woken it runs ``sync_pod`` once. It looks at the pod (from the
kubelet's informer) and at what the runtime holds, and does the next step:

1. admit the pod (does it fit on this node? :mod:`k8slearn.kubelet.admission`);
   wait until every volume its containers mount is set up (:mod:`k8slearn.kubelet.volume_manager`:
   ``FailedMount`` events while a ConfigMap is missing; the pod stays ``ContainerCreating``);
2. create the sandbox: ``RunPodSandbox`` (pause container + CNI ADD → the pod IP);
3. decide, from the containers as the runtime reports them when the sync begins, what to kill
   (a failed liveness or startup probe) and what to start (:mod:`k8slearn.kubelet.pod_actions`);
   then kill those, one after the other; then start the ephemeral containers, the next init
   containers, and the containers (:mod:`k8slearn.kubelet.kuberuntime`: pull, ``Created``,
   ``Started``, with restarts and ``CrashLoopBackOff`` as ``restartPolicy`` says). A container
   that dies while the sync is busy (during another one's kill) waits for the next sync, which
   shows it ``Terminated`` first. A *sidecar* (an init container with
   ``restartPolicy: Always``) only has to start before the next one does, and keeps running
   beside the app; it is started again whenever it exits. An *ephemeral container* (added by
   ``kubectl debug`` through ``pods/ephemeralcontainers``) is started once, in the same sandbox,
   even while the init containers are not done, and never again, whatever ``restartPolicy`` says;
4. write ``pod.status`` whenever it changed, as the status manager does: read the pod from the
   API server, keep the conditions the kubelet does not own, and PATCH ``pods/status`` with only
   what changed (and the pod's uid, as a guard); once the pod is ``Succeeded`` or ``Failed``, or
   its regular containers are done for good while sidecars still run (a Job's pod), stop what
   still runs (the sidecars last) and the sandbox.

A pod with a ``deletionTimestamp``, or gone from the API server (force delete), is killed
instead, so no sandbox or IP is left behind. A deleted pod's last status (``Succeeded`` or
``Failed``, its containers terminated) is written before the kubelet's own delete lets it go, so
a finalizer that holds the object shows a finished pod, and ``kubectl get -w`` shows ``0/1``.

The pod's probes are handed to the prober (:mod:`k8slearn.kubelet.prober`) once it is admitted;
a running container whose liveness or startup probe failed is killed and started again.

Simplified: no resource limits enforcement or eviction; the status is written at once (upstream
the status manager's goroutine writes it a moment later, and again every 10 s if a write failed).

Upstream: pkg/kubelet/kubelet.go (SyncPod, SyncTerminatingPod),
pkg/kubelet/kuberuntime/kuberuntime_manager.go (SyncPod: step 1 computePodActions, KillPod when no
container is kept; step 2 on a changed sandbox: killPodWithSyncResult, purgeInitContainers; step 3
kill, steps 5, 6 and 8 start),
pkg/kubelet/status/status_manager.go (syncPod, mergePodStatus), pkg/util/pod/pod.go (PatchPodStatus)
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from k8slearn.api.errors import ApiError
from k8slearn.api.shared import shared_float
from k8slearn.client.podutil import patch_pod_status
from k8slearn.kubelet import status as pod_status
from k8slearn.kubelet.status import merge_pod_status
from k8slearn.kubelet.volume_manager import FAILED_MOUNT, INTERRUPTED

if TYPE_CHECKING:
    from k8slearn.kubelet.pod_workers import PodState


class PodSync:
    """The sync and status part of :class:`~k8slearn.kubelet.pod_workers.PodWorkers`."""

    def _current(self, state: PodState) -> dict | None:
        pod = self.k.pods.lister.get(state.name, state.namespace)
        return pod if pod is not None and pod["metadata"].get("uid", "") == state.uid else None

    def sync_pod(self, state: PodState):
        pod = self._current(state)
        if pod is None:
            yield from self._kill(state, grace=0.0, pod=None)
            return
        if pod["metadata"].get("deletionTimestamp"):
            # Read once: a shorter grace period given while the kill runs does not shorten it (v1.32's
            # SyncTerminatingPod ignores the context UpdatePod cancels; see kill_pod).
            grace = float(pod["metadata"].get("deletionGracePeriodSeconds", 30))
            yield from self._kill(state, grace, pod)
            return
        if state.rejected or pod["status"].get("phase") in ("Succeeded", "Failed") and not state.sandbox_id:
            return
        if state.start_time is None:
            state.start_time = shared_float(self.loop.now)  # (one float per instant: api.shared)
        if not state.admitted and not self._admit(state, pod):
            return
        if pod["spec"].get("volumes") and not self.k.volume_manager.volumes_ready(pod):
            pod = yield from self._wait_for_volumes(state, pod)
            if pod is None:
                return
        self.prober.add_pod(pod)
        sandbox = self.runtime.sandboxes.get(state.sandbox_id)
        if (
            state.sandbox_id
            and (sandbox is None or sandbox.state != "SANDBOX_READY")
            and not self._terminal(state)
        ):
            self.k.events.event(
                pod, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created."
            )
            self._kill_for_new_sandbox(state, pod)
        self._new_sandboxes.discard(state.uid)
        if not state.sandbox_id:
            if not (yield from self._create_sandbox(state, pod)):
                return
        elif state.uid in self._exited or state.uid in self._next_sync_reasons:
            self._status_at_sync_start(state)
        # The runtime manager's SyncPod: decide from the runtime as it is now, kill, then start.
        actions = self._compute_pod_actions(state, pod)  # step 1
        if not (yield from self._kill_containers_to_kill(state, pod, actions)):  # step 3
            return
        if not (yield from self._start_ephemeral_containers(state, pod, actions)):  # step 5
            return
        if not (yield from self._start_init_containers(state, pod, actions)):  # step 6
            return
        inits = pod["spec"].get("initContainers")
        if not actions.initialized:
            if not self._next_sync_shows_reasons(state):
                self.write_status(state)
            if self._terminal(state):  # a plain init container failed and may not restart
                yield from self._finish(state, pod)
            return
        if not (yield from self._start_containers(state, pod, actions)):  # step 8
            return
        if not self._next_sync_shows_reasons(state):
            self.write_status(state)
        if inits and not self._terminal(state) and self._keeps_nothing(state, pod):
            # The regular containers are done and will not restart: the pod is killed, so its
            # sidecars stop (a Job's pod completes although its log shipper never exits).
            yield from self._finish(state, pod)
        elif self._terminal(state):
            yield from self._finish(state, pod)

    def _next_sync_shows_reasons(self, state: PodState) -> bool:
        """A reason this sync found (ErrImagePull...) waits in the reasonCache and the next sync,
        due at once (PLEG saw the new sandbox), writes the status first thing: no write now, so
        ``kubectl get -w`` goes from ContainerCreating (or Init:0/1) straight to ErrImagePull."""
        return state.signalled and state.uid in self._next_sync_reasons

    def _kill_for_new_sandbox(self, state: PodState, pod: dict) -> None:
        """SyncPod's step 2 when the sandbox changed (a node back from a power cut):
        killPodWithSyncResult stops the old sandbox and whatever still ran in it, but removes
        nothing, so the exited containers stay in the runtime (``crictl ps -a``) and each new
        container's status shows the old run as ``lastState`` (``Terminated``, exit code 255,
        reason ``Unknown`` after a power cut); then purgeInitContainers removes every init
        container, which runs again in the new sandbox. The old sandbox and its dead containers go
        when the pod is removed (the sim has no periodic container GC; upstream's
        MaxPerPodContainer=1 keeps this one dead container per name too, and its sandbox with it)."""
        self.runtime.stop_pod_sandbox(state.sandbox_id)
        for container in pod["spec"].get("initContainers") or ():
            for container_id in state.attempts.get(container["name"], ()):
                self.runtime.remove_container(container_id)
        state.sandbox_id = ""

    def _wait_for_volumes(self, state: PodState, pod: dict):
        """SyncPod's "Wait for volumes to attach/mount": the pod (read again) once they are, else
        None, after the ``FailedMount`` event for an error that is not a timeout and with another
        sync after the pod worker's back-off."""
        self.write_status(state)  # SyncPod sets the pod's status before it waits
        spec = pod["spec"]
        error = yield from self.k.volume_manager.wait_for_attach_and_mount(pod)
        pod = self._current(state)
        if pod is None or not error:
            return pod
        if error != INTERRUPTED:
            self.k.events.event(pod, "Warning", FAILED_MOUNT, f"Unable to attach or mount volumes: {error}")
        if not pod["metadata"].get("deletionTimestamp") and pod["spec"] == spec:
            # Only the pod's status changed meanwhile (our own write coming back), which the
            # kubelet's pod config does not pass on: the next sync is the back-off's.
            state.signalled = False
        self.requeue_after_error(state.uid)
        return None

    def _finish(self, state: PodState, pod: dict):
        """KillPod for a pod that is done: stop what still runs (the sidecars, in order, within the
        pod's grace period), then the sandbox, and write the final status."""
        grace = float(pod["spec"].get("terminationGracePeriodSeconds", 30))
        yield from self._kill_containers(state, grace, pod)
        if self._current(state) is None or state.done:
            return
        self.write_status(state)
        if self._terminal(state):
            self.prober.remove_pod(state.uid)
            self.runtime.stop_pod_sandbox(state.sandbox_id)
            self.write_status(state)

    def _terminal(self, state: PodState) -> bool:
        return (state.last_status or {}).get("phase") in ("Succeeded", "Failed")

    # -- status -------------------------------------------------------------------------------
    def _status_at_sync_start(self, state: PodState) -> None:
        """SyncPod generates and sets the pod's status before it acts. Written here when it shows
        something new: a container PLEG saw die (``Terminated``, ``Error``, even if this sync starts
        it again at once), or the reasons the previous sync left in the reasonCache
        (``CrashLoopBackOff``, ``ErrImagePull``, ``ImagePullBackOff``...). Other syncs write once they have acted (the sync a PLEG event
        would start a second later, folded into this one)."""
        self._exited.discard(state.uid)
        for name, reason in self._next_sync_reasons.pop(state.uid, {}).items():
            state.set_waiting(name, reason)
        self.write_status(state)

    def write_status(self, state: PodState, pod_is_terminal: bool = False) -> None:
        pod = self._current(state)
        if pod is None or state.rejected:
            return
        probes = None
        if self.prober.workers and self.prober.has_probes(state.uid):
            probes = functools.partial(self.prober.started_ready, state.uid)  # (name, container id)
        self._write(state, pod, pod_status.generate_api_pod_status(
            pod, state, self.runtime, self.k.ip, self.loop.now, pod_is_terminal, probes))

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
        # The status manager's syncPod: GET the pod from the API server, keep the conditions the
        # kubelet does not own (mergePodStatus), and PATCH only what changed (PatchPodStatus: a
        # strategic merge patch of pods/status, with the pod's uid in it as a guard).
        client = self.k.client
        try:
            current = client.get("pods", state.name, state.namespace)
        except ApiError as err:
            if err.code == 404:
                return  # deleted meanwhile: nothing to write
            raise
        if current["metadata"].get("uid") != state.uid:
            return  # deleted and created again under the same name: not this kubelet's pod any more
        old = current.get("status") or {}
        patch_pod_status(client, current, merge_pod_status(old, status), with_uid=True)  # (nothing if unchanged)
