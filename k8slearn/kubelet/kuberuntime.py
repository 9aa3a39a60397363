"""The kubelet's runtime manager: the CRI calls a pod worker makes to start and stop a pod.

This is the kubelet side of the CRI (the runtime side is :mod:`k8slearn.kubelet.runtime`):

- **sandbox**: with no ready sandbox, wait for the node's network (``NetworkNotReady`` until
  the node has a podCIDR), then ``RunPodSandbox``; a failure is a ``FailedCreatePodSandBox``
  event and another try after the back-off;
- **containers**: decide whether a container needs (re)starting from its last run and the
  pod's ``restartPolicy``; a crashed container waits out a back-off of 10 s doubling to 300 s
  (``CrashLoopBackOff``, ``BackOff`` events), looked at again every 10 to 15 s and started at the
  first look past it; then pull the image, work out the container's
  environment (:mod:`k8slearn.kubelet.container_env`; a missing ConfigMap or Secret is
  ``CreateContainerConfigError``, tried again after 10 to 15 s; so is an image that would run as
  root under ``runAsNonRoot``: :mod:`k8slearn.kubelet.security_context`), expand ``$(NAME)`` in its command
  and args, ``CreateContainer`` (``Created``) and ``StartContainer`` (``Started``);
- **init containers** (:mod:`k8slearn.kubelet.init_containers`): read from the last one back to find the
  next one to start; a plain one must exit 0 first, a sidecar (``restartPolicy: Always``) must
  only have started (its startup probe passed), is started again when it exits whatever the
  pod's ``restartPolicy``, and is killed for a failed startup or liveness probe ("Init
  container proxy failed liveness probe");
- **kill** (:mod:`k8slearn.kubelet.kill_pod`): preStop hooks, SIGTERM, SIGKILL after the
  grace period, sidecars last; remove the sandbox (CNI DEL) and delete the pod object;
- **postStart** hooks run right after a container starts (:mod:`k8slearn.kubelet.lifecycle_hooks`);
  a failed one kills the container (``FailedPostStartHook``), and the next status shows it waiting
  with ``PostStartHookError`` and the hook's message until it is started again.

Each sync first decides what to do (:meth:`KubeRuntime._compute_pod_actions`, from the runtime as it
is when the sync begins), then kills, then starts: the steps of upstream's SyncPod.

A running container whose liveness or startup probe failed is killed ("Container app failed
liveness probe, will be restarted") within the probe's ``terminationGracePeriodSeconds`` (else
the pod's), and started again unless ``restartPolicy`` is Never; the crash back-off counts from
the previous run that ended, as upstream's ``doBackOff`` reads the status from before the kill.
PLEG sees the killed container dead as it sees any other death (ContainerDied): the pod syncs again
at once, and that sync's status is the first to show a ``CrashLoopBackOff`` the kill found; the
container's older dead runs are removed, its last one kept.

A running container whose image changed (``kubectl set image pod/web nginx=nginx:1.27``) is
killed in the same way ("Container nginx definition changed, will be restarted", within the pod's
grace period) and started again with the new image whatever ``restartPolicy`` says
(:func:`~k8slearn.kubelet.pod_actions.container_changed`). The crash back-off is kept per
container *definition* (getStableKey), so a crash-looping container given a new image starts at once.

Simplified: each CRI call takes a small fixed time (sandbox 0.4 s, create 0.05 s, start
0.1 s).

Upstream: pkg/kubelet/kuberuntime/kuberuntime_manager.go (computePodActions, SyncPod, KillPod,
doBackOff), pkg/kubelet/kuberuntime/helpers.go (getStableKey),
pkg/kubelet/kuberuntime/kuberuntime_sandbox.go,
pkg/kubelet/kuberuntime/kuberuntime_container.go (startContainer, killContainer,
killContainersWithSyncResult, computeInitContainerActions),
pkg/kubelet/kuberuntime/kuberuntime_termination_order.go
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from k8slearn.api.meta import go_duration
from k8slearn.kubelet import status as pod_status
from k8slearn.kubelet.container_env import (
    CreateContainerConfigError,
    PodEnvSources,
    expand,
    make_environment_variables,
    shared_environment,
)
from k8slearn.kubelet.cri import RuntimeError_, grpc_message
from k8slearn.kubelet.exec_context import ExecContext
from k8slearn.kubelet.exec_env import expand_parameters
from k8slearn.kubelet.lifecycle_hooks import handler_message
from k8slearn.kubelet.pod_actions import (
    PodActions,
    compute_pod_actions,
    hash_container,
    should_container_be_restarted,
)
from k8slearn.kubelet.pod_files import pod_hostname
from k8slearn.kubelet.process import SHELLS, image_name
from k8slearn.kubelet.program_shell import assigns
from k8slearn.kubelet.security_context import verify_run_as_non_root
from k8slearn.kubelet.runtime import SIGKILL_EXIT

if TYPE_CHECKING:
    from k8slearn.kubelet.pod_workers import PodState

SANDBOX_SECONDS = 0.4
CREATE_SECONDS = 0.05
START_SECONDS = 0.1


class KubeRuntime:
    """The sandbox, container and kill part of :class:`~k8slearn.kubelet.pod_workers.PodWorkers`."""

    # -- sandbox ------------------------------------------------------------------------------
    def _create_sandbox(self, state: PodState, pod: dict):
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
        if self.loop.tracing:  # formatted only when kept (a simulation speed-up, the same trace)
            obj = f"pod/{state.namespace}/{state.name}"
            self.loop.record(self.k.component, "SyncPod", obj, "no sandbox yet, so it asks for one")
        self.write_status(state)
        yield SANDBOX_SECONDS
        if self._current(state) is None:
            return False
        try:
            sandbox = self.runtime.run_pod_sandbox(pod, self._sandbox_attempt(state))
        except RuntimeError_ as err:
            self.k.events.event(
                pod, "Warning", "FailedCreatePodSandBox", f"Failed to create pod sandbox: {err}"
            )
            self.requeue_after_error(state.uid)
            return False
        state.sandbox_id = sandbox.id
        self._new_sandboxes.add(state.uid)  # PLEG will see it: a reason found now shows at once
        # No status write here: in v1.32 the kubelet generates the pod's status only when a sync
        # starts, so the IP and PodReadyToStartContainers=True reach the API with the running
        # container (v1.36 adds a write at this point, OnPodSandboxReady).
        return True

    def _sandbox_attempt(self, state: PodState) -> int:
        """computePodActions' Attempt: one more than the pod's newest sandbox (a sandbox change keeps
        the old one, stopped), 0 for its first."""
        old = [s.attempt for s in self.runtime.list_pod_sandbox() if s.uid == state.uid]
        return old[0] + 1 if old else 0

    # -- containers ---------------------------------------------------------------------------
    def _compute_pod_actions(self, state: PodState, pod: dict) -> PodActions:
        """SyncPod's step 1 (computePodActions): what this sync kills and starts, decided from the
        runtime as it is now, when the sync begins (PLEG's pod status); also when each container's
        newest exited run finished, which doBackOff reads later in the sync. A pod that is done
        (``Succeeded`` or ``Failed``) starts nothing again."""
        runtime = self.runtime

        def last(name: str) -> Any:
            return pod_status.last_container(state, runtime, name)

        results = self.prober.results
        kill_reason = self.prober.kill_reason if self.prober.workers else _no_kill_reason
        actions = compute_pod_actions(pod, last, kill_reason, results["Startup"].get, results["Liveness"].get,
                                      lambda: self._keeps_nothing(state, pod))
        if self._terminal(state):
            return PodActions(initialized=actions.initialized, kill_pod=actions.kill_pod)
        for name, ids in state.attempts.items():
            ended = [r for r in map(runtime.containers.get, ids) if r is not None and r.state == "CONTAINER_EXITED"]
            if ended:
                actions.exited_at[name] = ended[-1].finished_at
        return actions

    def _kill_containers_to_kill(self, state: PodState, pod: dict, actions: PodActions):
        """SyncPod's step 3: kill the containers computePodActions chose (a failed liveness or
        startup probe), one after the other, each within its grace period (killContainer: the
        ``Killing`` event, the preStop hook, SIGTERM, SIGKILL). False if the pod went meanwhile."""
        for kill in actions.containers_to_kill:
            self.k.events.event(pod, "Normal", "Killing", kill.message, field_path=_field_path(kill.kind, kill.name))
            yield self._stop(state, pod, kill.spec, kill.record, _grace_period(pod, kill.spec, kill.reason),
                             background=True)
            self._killed(kill.record)
            if self._current(state) is None:
                return False
        return True

    def _start_ephemeral_containers(self, state: PodState, pod: dict, actions: PodActions):
        """SyncPod's step 5: start the ephemeral containers not started yet (once each, never again;
        even before the init containers are done, so ``kubectl debug`` works on a pod stuck in
        ``Init``). False if the pod went meanwhile."""
        for index in actions.ephemeral_containers_to_start:
            yield from self._start(state, pod["spec"]["ephemeralContainers"][index], "ephemeralContainers")
            if self._current(state) is None:
                return False
        return True

    def _start_init_containers(self, state: PodState, pod: dict, actions: PodActions):
        """SyncPod's step 6: start the init containers computeInitContainerActions chose, each after
        doBackOff. A plain one in back-off stops the step; a sidecar in back-off does not hold up the
        others. False if the pod went meanwhile."""
        for index in actions.init_containers_to_start:
            container = pod["spec"]["initContainers"][index]
            name = container["name"]
            if self._in_backoff_since_exit(state, pod, container, actions, "initContainers"):
                if pod_status.is_restartable_init_container(container):
                    continue
                break
            yield from self._start(state, container, "initContainers")
            if self._current(state) is None:
                return False
            started = pod_status.last_container(state, self.runtime, name)
            if pod_status.is_restartable_init_container(container) and started is not None \
                    and started.state == "CONTAINER_RUNNING":
                self.signal(state.uid)  # PLEG: ContainerStarted (the next init container may start)
        return True

    def _start_containers(self, state: PodState, pod: dict, actions: PodActions):
        """SyncPod's step 8: start the regular containers computePodActions chose, in spec order,
        each after doBackOff. False if the pod went meanwhile."""
        for index in actions.containers_to_start:
            container = pod["spec"]["containers"][index]
            if self._in_backoff_since_exit(state, pod, container, actions, "containers"):
                continue
            yield from self._start(state, container, "containers")
            if self._current(state) is None:
                return False
        return True

    def _in_backoff_since_exit(self, state: PodState, pod: dict, container: dict, actions: PodActions,
                               kind: str) -> bool:
        """doBackOff reads the pod status from the start of the sync: the newest run of the container
        that had exited then (none: no back-off; a container this sync killed counts from the run
        before)."""
        finished_at = actions.exited_at.get(container["name"])
        return finished_at is not None and self._in_backoff(state, pod, container, finished_at, kind)

    def _in_backoff(
        self, state: PodState, pod: dict, container: dict, finished_at: float, kind: str = "containers"
    ) -> bool:
        """doBackOff: still waiting after the run that ended at ``finished_at``? Then a ``BackOff``
        event, ``CrashLoopBackOff``, and another sync in 10 to 15 s (the sync "failed"). Else the
        next back-off is counted and the container may start.

        ``CrashLoopBackOff`` goes into the reasonCache, which a status shows from the next sync on
        (SyncPod generates the status before it acts): the sync that found the crash wrote the
        container ``Terminated`` (``Error``), and ``CrashLoopBackOff`` appears at the retry. When
        this sync killed the container (a failed probe), PLEG's ContainerDied makes that next sync
        come at once (:meth:`_killed`).
        """
        name = container["name"]
        key = get_stable_key(pod, container)
        wait = self.crash_backoff.in_backoff_since(key, finished_at, self.loop.now)
        if wait > 0:
            message = (
                f"back-off {go_duration(self.crash_backoff.entries[key][0])} restarting failed "
                f"container={name} pod={state.name}_{state.namespace}({state.uid})"
            )
            if state.waiting.get(name, ("",))[0] == "CrashLoopBackOff":
                state.set_waiting(name, ("CrashLoopBackOff", message))
            else:
                self._next_sync_reasons.setdefault(state.uid, {})[name] = ("CrashLoopBackOff", message)
            self.k.events.event(
                pod,
                "Warning",
                "BackOff",
                f"Back-off restarting failed container {name} in pod "
                f"{state.name}_{state.namespace}({state.uid})",
                field_path=_field_path(kind, name),
            )
            self.requeue_after_error(state.uid)
            return True
        self.crash_backoff.next(key, finished_at, self.loop.now)
        return False

    def _killed(self, record: Any) -> None:
        """PLEG's next relist sees the container this sync killed dead, as it sees any other death
        (ContainerDied): the pod syncs again, and the container deletor removes the older dead runs
        of that container, keeping this one (``lastState``, ``logs --previous``; ``crictl ps -a``
        shows one Exited run, not one per kill). A program that ignores SIGTERM but ended by itself
        before the SIGKILL (its own exit, or its TERM trap's) was reported when it ended."""
        if record.state != "CONTAINER_EXITED":
            return
        if record.program.ignores_sigterm and record.exit_code != SIGKILL_EXIT:
            return
        self.container_exited(record)

    def _keeps_nothing(self, state: PodState, pod: dict) -> bool:
        """computePodActions' ``keepCount == 0 && len(ContainersToStart) == 0``: no regular
        container runs or will be started again, so the pod is killed, its sidecars with it."""
        for container in pod["spec"]["containers"]:
            last = pod_status.last_container(state, self.runtime, container["name"])
            if last is None or last.state != "CONTAINER_EXITED" or should_container_be_restarted(pod, last):
                return False
        return True

    def _start(self, state: PodState, container: dict, kind: str):
        pod = self._current(state)
        name = container["name"]
        field_path = _field_path(kind, name)

        # Until it is created a container waits with the default reason: PodInitializing in a pod
        # with init containers, else ContainerCreating (convertToAPIContainerStatuses).
        creating = ("PodInitializing" if pod["spec"].get("initContainers") else "ContainerCreating", "")

        def pulling() -> None:  # (no status write: a v1.32 kubelet writes when a sync starts, not mid-way)
            if name not in state.waiting:  # a reason from an earlier sync stays shown meanwhile
                state.set_waiting(name, creating)

        waiting = yield from self.images.ensure_image_exists(pod, container, field_path, pulling)
        if waiting is not None:  # ErrImagePull, ImagePullBackOff, InvalidImageName...
            self._start_failed(state, name, waiting)
            return
        try:  # generateContainerConfig: the environment, then verifyRunAsNonRoot, before CreateContainer
            envs = self._container_env(state, pod, container)
            refused = verify_run_as_non_root(pod, container)
            if refused:
                raise CreateContainerConfigError(refused)
        except CreateContainerConfigError as err:
            message = str(err)
            self.k.events.event(pod, "Warning", "Failed", f"Error: {message}", field_path=field_path)
            self._start_failed(state, name, ("CreateContainerConfigError", message))
            return
        yield CREATE_SECONDS
        pod = self._current(state)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return
        attempt = len(state.attempts.get(name, ()))
        mounts = self.k.volume_manager.make_mounts(state.uid, container) if container.get("volumeMounts") else ()
        record = self.runtime.create_container(state.sandbox_id, _expand_command(pod, container, envs), attempt, envs,
                                               mounts)
        # A tuple, not a list: one object per attempt history, 40 bytes smaller (a memory saving).
        state.attempts = state.attempts.with_id(name, record.id)
        state.clear_waiting(name)
        self.k.events.event(pod, "Normal", "Created", _message("Created", name), field_path=field_path)
        yield START_SECONDS
        try:
            self.runtime.start_container(record.id)
        except RuntimeError_ as err:
            # startContainer: the event shows the gRPC description only; the sync fails with
            # ErrRunContainer, which the reasonCache keeps: the next status shows the container
            # waiting with RunContainerError (its StartError run as the last state), if it is to
            # be restarted (convertToAPIContainerStatuses)
            message = grpc_message(err)
            self.k.events.event(pod, "Warning", "Failed", f"Error: {message}", field_path=field_path)
            if should_container_be_restarted(pod, record, container):
                self._next_sync_reasons.setdefault(state.uid, {})[name] = ("RunContainerError", message)
            self.signal(state.uid)
            return
        self.k.events.event(pod, "Normal", "Started", _message("Started", name), field_path=field_path)
        hook = (container.get("lifecycle") or {}).get("postStart")
        if hook is not None:  # the sync waits for the hook; a failure kills the container
            error = yield from self._run_hook(state, hook, record, container)
            if error:
                yield from self._post_start_hook_failed(state, pod, container, record, (hook, error), field_path)
                return
        # No status write here: SyncPod starts every container to start, one after the other, and
        # the status showing them comes after the whole sync (the next sync, which PLEG's
        # ContainerStarted events ask for; here sync_pod's write once it has acted). So a pod of three
        # containers goes from 0/3 ContainerCreating straight to 3/3 Running, never 1/3 or 2/3.

    def _post_start_hook_failed(self, state: PodState, pod: dict, container: dict, record: Any, failed: tuple,
                                field_path: str):
        """startContainer after a failed postStart hook: the ``FailedPostStartHook`` event (without
        the hook's output: it could hold secrets), killContainer ("FailedPostStartHook", the pod's
        grace period), and ErrPostStartHook with HandlerRunner.Run's message, which the reasonCache
        keeps: the next status (PLEG's ContainerDied asks for it at once) shows the container waiting
        with ``PostStartHookError``, if it is to be restarted. Its older dead runs are removed, as
        for any container that died. ``failed``: (the hook, the error it ended with)."""
        name, (hook, error) = container["name"], failed
        self.k.events.event(pod, "Warning", "FailedPostStartHook", "PostStartHook failed", field_path=field_path)
        self.k.events.event(pod, "Normal", "Killing", "FailedPostStartHook", field_path=field_path)
        yield self._stop(state, self._current(state), container, record, _grace_period(pod, container, ""))
        self._killed(record)
        if should_container_be_restarted(pod, record, container):
            message = handler_message(hook, error, name, f"{state.name}_{state.namespace}({state.uid})")
            self._next_sync_reasons.setdefault(state.uid, {})[name] = ("PostStartHookError", message)
        self.signal(state.uid)

    def _start_failed(self, state: PodState, name: str, waiting: tuple) -> None:
        """SyncPod's start() failed for container ``name`` (the image, or its config): the others are
        still started in this sync, and the reason goes into the reasonCache (``waiting``: reason,
        message), which the status shows from the next sync on. The pod worker looks again in 10 to
        15 s (the sync failed), or at once if this sync started the sandbox (PLEG's event)."""
        self._next_sync_reasons.setdefault(state.uid, {})[name] = waiting
        if state.uid in self._new_sandboxes:
            self.signal(state.uid)
        else:
            self.requeue_after_error(state.uid)

    def _container_env(self, state: PodState, pod: dict, container: dict) -> tuple:
        """makeEnvironmentVariables for one container (:mod:`k8slearn.kubelet.container_env`). A
        container that declares no variables gets only its namespace's Service variables: one
        shared tuple per namespace while the Services stay the same (a memory saving, same values)."""
        meta, spec = pod["metadata"], pod["spec"]
        own = container.get("env") or container.get("envFrom")
        key = (meta.get("namespace"), spec.get("enableServiceLinks", True), self.k.services_version)
        if not own and key in self._env_cache:
            return self._env_cache[key]
        services = self.k.services.lister.list() if self.k.services is not None else []
        node = self.k.node() or {}
        sandbox = self.runtime.sandboxes.get(state.sandbox_id)
        sources = PodEnvSources(
            lambda kind, name: self.k.config_object(kind, meta.get("namespace", "default"), name),
            services, host_ip=self.k.ip, pod_ip=sandbox.ip if sandbox is not None else "",
            allocatable=(node.get("status") or {}).get("allocatable"))
        envs = tuple(make_environment_variables(pod, container, sources))
        if not own:
            if len(self._env_cache) > 256:
                self._env_cache.clear()
            self._env_cache[key] = envs = shared_environment(envs)
        return envs


def _expand_command(pod: dict, container: dict, envs: tuple) -> dict:
    """ExpandContainerCommandAndArgs: ``$(NAME)`` in the command and args is the value of the
    container's variable NAME (``$$`` a literal ``$``), before the runtime sees them. A shell
    script (``sh -c '...'``) then has its ``$NAME`` expanded by the shell, from the process's
    environment (:mod:`k8slearn.kubelet.exec_env`): the simulated program is built from the result."""
    command, args = container.get("command") or (), container.get("args") or ()
    if not any("$" in word for word in (*command, *args) if isinstance(word, str)):
        return container
    variables = dict(envs)
    command = [expand(w, variables) if isinstance(w, str) else w for w in command]
    args = [expand(w, variables) if isinstance(w, str) else w for w in args]
    argv = command + args
    if len(argv) > 2 and argv[0] in SHELLS and argv[1] == "-c" and isinstance(argv[2], str) and "$" in argv[2] \
            and not assigns(argv[2]):  # (a script with variables of its own expands them as it runs)
        view = ExecContext(image_name(container.get("image", "")), files={}, hostname=pod_hostname(pod)[0], envs=envs)
        script, refused = expand_parameters(argv[2], view)
        if not refused:  # (what the simulated shell cannot expand stays as written)
            if len(command) > 2:
                command[2] = script
            else:
                args[2 - len(command)] = script
    return {**container, **({"command": command} if command else {}), **({"args": args} if args else {})}


def get_stable_key(pod: dict, container: dict) -> str:
    """getStableKey: the crash back-off's key for a container, with the container's hash in it, so
    a container whose image changed (``kubectl set image`` on a crash-looping pod) starts again
    without waiting out the old image's back-off."""
    meta, name = pod["metadata"], container["name"]
    return f"{meta['name']}_{meta['namespace']}_{meta.get('uid', '')}_{name}_{hash_container(container):x}"


def _no_kill_reason(container_id: str) -> str:
    """A pod without probes: no container is killed for one."""
    return ""


def _grace_period(pod: dict, container: dict, reason: str) -> float:
    """setTerminationGracePeriod for a probe kill: the pod's deletion grace period if it is being
    deleted, else the probe's ``terminationGracePeriodSeconds``, else the pod's (at least 2 s)."""
    meta, spec = pod["metadata"], pod["spec"]
    grace = meta.get("deletionGracePeriodSeconds")
    if grace is None:
        probe = container.get(f"{reason}Probe") or {}
        grace = probe.get("terminationGracePeriodSeconds", spec.get("terminationGracePeriodSeconds", 30))
    return float(max(grace, 2))


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
