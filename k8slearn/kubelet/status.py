"""How the kubelet turns what the runtime holds into ``pod.status`` (phase, conditions, containers).

The phase is computed from the containers, as upstream ``getPhase`` does: a container that has
never run counts as *waiting*; one that exited counts as *stopped* (also while it waits in
CrashLoopBackOff), so a crash-looping pod with ``restartPolicy: Always`` is still ``Running``.

>>> get_phase("Always", running=0, waiting=1, stopped=0, succeeded=0)
'Pending'
>>> get_phase("Always", running=0, waiting=0, stopped=1, succeeded=0)
'Running'
>>> get_phase("Never", running=0, waiting=0, stopped=1, succeeded=1)
'Succeeded'
>>> get_phase("Always", running=0, waiting=0, stopped=1, succeeded=1, pod_is_terminal=True)  # deleted
'Succeeded'

A running container is ``started`` and ``ready`` unless its probes say otherwise
(:mod:`k8slearn.kubelet.prober`: ``probes``). A plain init container is ``started`` while it
runs and ``ready`` once it exited 0; a sidecar (``restartPolicy: Always``) is started and ready
as a regular container is, counts for ContainersReady and Ready, and for Initialized once it
has started. For the phase, a running sidecar counts as running and one that exited is not
counted; a plain init container that failed under ``restartPolicy: Never`` fails the pod:

>>> get_phase("Never", running=1, waiting=0, stopped=1, succeeded=1)  # a Job's sidecar still runs
'Running'
>>> get_phase("Never", running=1, waiting=1, stopped=0, succeeded=0, failed_initialization=True)
'Failed'

Simplified: no readiness gates, no pod-level resources.

Upstream: pkg/kubelet/kubelet_pods.go (generateAPIPodStatus, getPhase,
convertToAPIContainerStatuses), pkg/kubelet/status/generate.go,
pkg/kubelet/prober/prober_manager.go (UpdatePodStatus: started and ready)
"""

from __future__ import annotations

import functools
from typing import Any

from k8slearn.api.meta import timestamp


def get_phase(
    restart_policy: str,
    running: int,
    waiting: int,
    stopped: int,
    succeeded: int,
    pending_initialization: bool = False,
    pod_is_terminal: bool = False,
    failed_initialization: bool = False,
) -> str:
    """The pod phase from container counts (upstream getPhase). A pod the kubelet has finished
    (``pod_is_terminal``: deleted, its containers stopped) ends Succeeded or Failed whatever its
    restart policy: its containers will not be restarted. Running sidecars count as running,
    one not started yet (or never run) keeps initialization pending; one that exited is not
    counted (see :func:`init_phase_counts`)."""
    if failed_initialization and restart_policy == "Never":
        return "Failed"
    if (pending_initialization and not pod_is_terminal) or waiting > 0:
        return "Pending"
    if running > 0:
        return "Running"
    if stopped > 0:
        if pod_is_terminal:
            return "Succeeded" if stopped == succeeded else "Failed"
        if restart_policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        if restart_policy == "Never":
            return "Failed"
        return "Running"
    return "Pending"


def qos_class(pod: dict) -> str:
    """Guaranteed (requests == limits for cpu and memory everywhere), BestEffort (none) or Burstable."""
    containers = pod["spec"].get("containers", []) + pod["spec"].get("initContainers", [])
    any_set, guaranteed = False, True
    for c in containers:
        res = c.get("resources") or {}
        req, lim = res.get("requests") or {}, res.get("limits") or {}
        if req or lim:
            any_set = True
        for r in ("cpu", "memory"):
            if r not in lim or req.get(r, lim.get(r)) != lim.get(r):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


UNIX_EPOCH = "1970-01-01T00:00:00Z"


def container_spec(pod: dict, name: str) -> dict | None:
    """The container (or init or ephemeral container) ``name`` of the pod's spec, or None."""
    spec = pod.get("spec") or {}
    return next((c for key in ("containers", "initContainers", "ephemeralContainers") for c in spec.get(key) or ()
                 if c.get("name") == name), None)


def container_state(record: Any) -> dict:
    """The API ``state`` of one runtime container record (see cri.Container)."""
    if record.state == "CONTAINER_RUNNING":
        return {"running": {"startedAt": _timestamp(record.started_at)}}
    if record.state == "CONTAINER_EXITED":
        term = {
            "containerID": f"containerd://{record.id}",
            "exitCode": record.exit_code,
            "finishedAt": _timestamp(record.finished_at),
            "reason": record.reason,
            # a container that never started (StartError) has containerd's zero start: the Unix epoch
            "startedAt": _timestamp(record.started_at) if record.started_at is not None else UNIX_EPOCH,
        }
        message = termination_message(record)
        if record.message or message:  # (the runtime's own message, then the container's)
            term["message"] = f"{record.message}: {message}" if record.message and message else record.message or message
        return {"terminated": term}
    return {"waiting": {"reason": "ContainerCreating"}}


TERMINATION_MESSAGE_MAX = 4096  # kubecontainer.MaxContainerTerminationMessageLength
LOG_MESSAGE_LINES, LOG_MESSAGE_BYTES = 80, 2048  # ...MaxContainerTerminationMessageLogLines, ...LogLength


def termination_message(record: Any) -> str:
    """Why an exited container says it ended (getPodContainerStatuses: getTerminationMessage, then
    readLastStringFromContainerLogs): the last 4 KiB of the file at its
    ``terminationMessagePath`` (``/dev/termination-log``); with ``terminationMessagePolicy:
    FallbackToLogsOnError``, a container that failed and wrote no message there gives the end of
    its log instead (its last 80 lines, at most the last 2048 bytes).

    >>> from types import SimpleNamespace as NS
    >>> done = NS(files={"/dev/termination-log": "Sleep expired\\n"}, termination_message_path="/dev/termination-log",
    ...           fallback_to_logs=False, exit_code=0, reason="Completed", logs=[])
    >>> termination_message(done)
    'Sleep expired\\n'
    >>> failed = NS(files=None, termination_message_path="/dev/termination-log", fallback_to_logs=True,
    ...             exit_code=3, reason="Error", logs=[(1.0, ("one", "two"))])
    >>> termination_message(failed)
    'one\\ntwo\\n'
    """
    fallback = record.fallback_to_logs and record.exit_code != 0 and record.reason != "ContainerCannotRun"
    written = (record.files or {}).get(record.termination_message_path) if record.termination_message_path else None
    if isinstance(written, str) and written:
        return written.encode()[-TERMINATION_MESSAGE_MAX:].decode("utf-8", "replace")
    if not fallback:
        return ""
    lines = [line for _, printed in record.logs for line in printed][-LOG_MESSAGE_LINES:]
    return "".join(f"{line}\n" for line in lines).encode()[-LOG_MESSAGE_BYTES:].decode("utf-8", "replace")


def condition(
    ctype: str, ok: bool, previous: dict | None, now: float, reason: str = "", message: str = ""
) -> dict:
    """A pod condition; lastTransitionTime only moves when the status flips (``previous``: the old one)."""
    status = "True" if ok else "False"
    since = (
        previous["lastTransitionTime"]
        if previous is not None and previous.get("status") == status
        else _timestamp(now)
    )
    cond = {"type": ctype, "status": status, "lastProbeTime": None, "lastTransitionTime": since}
    if reason:
        cond["reason"] = reason
    if message:
        cond["message"] = message
    return cond


@functools.lru_cache(maxsize=4096)
def _whole_second_timestamp(second: int) -> str:
    return timestamp(second)


def _timestamp(seconds: float) -> str:
    """``timestamp(seconds)``, remembered per whole second.

    A simulation speed-up with identical results: every status write formats the same few
    instants (startTime, startedAt, transition times) again; the text is formatted once.
    """
    return _whole_second_timestamp(int(seconds // 1))


# -- the pod status the kubelet writes ---------------------------------------------------------
def last_container(state: Any, runtime: Any, name: str) -> Any:
    """The runtime record of a container's latest attempt (None before the first)."""
    ids = state.attempts.get(name, [])
    return runtime.containers.get(ids[-1]) if ids else None


def is_restartable_init_container(container: dict) -> bool:
    """IsRestartableInitContainer: an init container with ``restartPolicy: Always`` (a sidecar)."""
    return container.get("restartPolicy") == "Always"


def init_phase_counts(init_containers: list, statuses: list) -> tuple[int, int, int, int]:
    """getPhase's look at the init containers: (pending initialization, failed initialization,
    running sidecars, waiting sidecars). A plain init container is pending until it exits 0 and
    failed when its last run exited otherwise; a sidecar is pending until it has started."""
    pending = failed = running = waiting = 0
    for container, entry in zip(init_containers, statuses):
        state, last = entry["state"], entry["lastState"].get("terminated")
        if is_restartable_init_container(container):
            if "running" in state:
                running += 1
                pending += not entry["started"]
            elif "waiting" in state and last is None:
                pending += 1
                waiting += 1
        elif "terminated" in state:
            failed += state["terminated"]["exitCode"] != 0
        elif "waiting" in state and last is not None:
            failed += last["exitCode"] != 0
        else:
            pending += 1
    return pending, failed, running, waiting


def incomplete_init_containers(init_containers: list, statuses: list) -> list[str]:
    """GeneratePodInitializedCondition: the init containers not done yet (a plain one that has
    not exited 0, a sidecar that has not started)."""
    return [
        c["name"] for c, entry in zip(init_containers, statuses)
        if not (entry["started"] if is_restartable_init_container(c) else entry["ready"])
    ]


# The pod conditions the kubelet owns (kubetypes.PodConditionsByKubelet): every other one (a
# DisruptionTarget, a readiness gate's) belongs to someone else and survives its status writes.
KUBELET_CONDITIONS = frozenset(("PodScheduled", "Ready", "Initialized", "ContainersReady", "PodReadyToStartContainers"))


def merge_pod_status(old: dict, new: dict) -> dict:
    """mergePodStatus: the kubelet's new status, with the conditions of the API server's copy that
    the kubelet does not own put first.

    >>> old = {"conditions": [{"type": "DisruptionTarget", "status": "True"}, {"type": "Ready", "status": "False"}]}
    >>> [c["type"] for c in merge_pod_status(old, {"conditions": [{"type": "Ready", "status": "True"}]})["conditions"]]
    ['DisruptionTarget', 'Ready']
    """
    others = [c for c in old.get("conditions") or () if c.get("type") not in KUBELET_CONDITIONS]
    if not others:
        return new
    return {**new, "conditions": others + [c for c in new.get("conditions") or () if c.get("type") in KUBELET_CONDITIONS]}


def generate_api_pod_status(
    pod: dict, state: Any, runtime: Any, host_ip: str, now: float, pod_is_terminal: bool = False,
    probes: Any = None,
) -> dict:
    """pod.status from the pod worker's memory (``state``) and what the runtime holds
    (``pod_is_terminal``: the pod was deleted and its containers are stopped for good;
    ``probes(name, container_id)``: a running container's (started, ready), None: both True)."""
    spec = pod["spec"]
    old = pod.get("status", {})
    old_conditions = old.get("conditions", [])
    previous: dict = {}  # the old condition of each type (the first one, if a type repeats)
    scheduled = []  # every old PodScheduled condition, kept as it is; the kubelet always reports one
    for cond in old_conditions:
        ctype = cond.get("type")
        previous.setdefault(ctype, cond)
        if ctype == "PodScheduled":
            scheduled.append(cond)
    sandbox = runtime.sandboxes.get(state.sandbox_id)
    init_containers = spec.get("initContainers", ())
    init_statuses: list = []
    incomplete: list = []
    pending_init = failed_init = 0
    if init_containers:
        init_statuses = [init_container_status(state, runtime, c, probes, pod) for c in init_containers]
        incomplete = incomplete_init_containers(init_containers, init_statuses)
        pending_init, failed_init, running, waiting = init_phase_counts(init_containers, init_statuses)
    else:
        running = waiting = 0
    stopped = succeeded = 0
    statuses = []
    containers = spec["containers"]
    by_name = None
    if len(containers) > 1:
        containers = sorted(containers, key=lambda c: c["name"])
        by_name = {}
    regular_started = False  # HasAnyRegularContainerStarted
    for container in containers:
        entry, kind = container_status(state, runtime, container, bool(init_containers), probes, pod)
        if kind == "running":
            running += 1
        elif kind == "waiting":
            waiting += 1
        else:
            stopped += 1
            if _exit_code(entry) == 0:
                succeeded += 1
        if "waiting" not in entry["state"]:
            regular_started = True
        statuses.append(entry)
        if by_name is not None:
            by_name[entry["name"]] = entry
    if regular_started:
        incomplete = []  # initialized before: a sidecar restarting does not undo it
    phase = get_phase(
        spec.get("restartPolicy", "Always"), running, waiting, stopped, succeeded,
        bool(pending_init) and not regular_started, pod_is_terminal, bool(failed_init),
    )
    terminal = phase in ("Succeeded", "Failed")
    # GenerateContainersReadyCondition: the sidecars, then the containers, in the spec's order
    unready = [c["name"] for c, entry in zip(init_containers, init_statuses)
               if is_restartable_init_container(c) and not entry["ready"]]
    if by_name is None:
        unready += [entry["name"] for entry in statuses if not entry["ready"]]
    else:
        unready += [c["name"] for c in spec["containers"] if not by_name[c["name"]]["ready"]]
    # generateContainersReadyConditionForTerminalPhase: a finished pod's reason, and no message
    ready = not unready and not terminal
    ready_reason = "" if ready else {"Succeeded": "PodCompleted", "Failed": "PodFailed"}.get(phase, "ContainersNotReady")
    ready_message = "" if ready or terminal else f"containers with unready status: [{' '.join(unready)}]"
    initialized = not incomplete or phase == "Succeeded"
    # GeneratePodInitializedCondition: a pod that succeeded says so (True, PodCompleted)
    init_reason = "PodCompleted" if phase == "Succeeded" else "" if initialized else "ContainersNotInitialized"
    conditions = [
        condition(
            "PodReadyToStartContainers",
            sandbox is not None and sandbox.state == "SANDBOX_READY",
            previous.get("PodReadyToStartContainers"),
            now,
        ),
        condition(
            "Initialized",
            initialized,
            previous.get("Initialized"),
            now,
            init_reason,
            "" if initialized else f"containers with incomplete status: [{' '.join(incomplete)}]",
        ),
        condition("Ready", ready, previous.get("Ready"), now, ready_reason, ready_message),
        condition(
            "ContainersReady", ready, previous.get("ContainersReady"), now, ready_reason, ready_message
        ),
    ] + (scheduled or [condition("PodScheduled", True, None, now)])  # (a pod bound by spec.nodeName)
    status: dict = {
        "conditions": conditions,
        "containerStatuses": statuses,
        "hostIP": host_ip,
        "hostIPs": [{"ip": host_ip}],
        "phase": phase,
    }
    if init_containers:
        status["initContainerStatuses"] = init_statuses
    ephemeral = spec.get("ephemeralContainers")
    if ephemeral:  # (not in the phase or the conditions: never ready, never restarted)
        status["ephemeralContainerStatuses"] = [ephemeral_container_status(state, runtime, c) for c in ephemeral]
    ip = host_ip if spec.get("hostNetwork") else (sandbox.ip if sandbox else "")
    if ip:
        status.update(podIP=ip, podIPs=[{"ip": ip}])
    status["qosClass"] = old.get("qosClass") or qos_class(pod)
    status["startTime"] = _timestamp(state.start_time if state.start_time is not None else now)
    return status


def container_status(
    state: Any, runtime: Any, container: dict, has_init_containers: bool, probes: Any = None,
    pod: dict | None = None,
) -> tuple[dict, str]:
    """One containerStatuses entry, and how getPhase counts it: running, waiting or stopped. Not
    created yet, it waits for PodInitializing in a pod with init containers, else ContainerCreating.
    A container whose last run exited shows why it waits (``CrashLoopBackOff``...) only if it will
    be restarted (:func:`will_be_restarted`, given the ``pod``); else its last run is its state."""
    name = container["name"]
    ids = state.attempts.get(name, ())
    known = runtime.containers
    records = [known[i] for i in ids if i in known] if ids else []
    last = records[-1] if records else None
    previous = records[-2] if len(records) > 1 else None
    entry: dict = {
        "image": container["image"],
        "imageID": "",
        "lastState": {},
        "name": name,
        "ready": False,
        "restartCount": max(0, len(ids) - 1),
        "started": False,
    }
    if container.get("volumeMounts"):
        entry["volumeMounts"] = volume_mount_statuses(container["volumeMounts"])
    waiting = state.waiting.get(name)
    if last is not None:
        entry["containerID"] = f"containerd://{last.id}"
        image = runtime.image_status(last.image)  # the newest run's image: the spec's may have changed since
        if image is not None:
            entry["image"], entry["imageID"] = image.ref, image.repo_digest
    exited = last is not None and last.state == "CONTAINER_EXITED"
    if exited and waiting and will_be_restarted(pod, container, last):
        entry["state"] = {"waiting": {"reason": waiting[0], "message": waiting[1]}}
        entry["lastState"] = container_state(last)
        return entry, "stopped"
    if last is not None:
        entry["state"] = container_state(last)
        running = last.state == "CONTAINER_RUNNING"
        if running and probes is not None:
            entry["started"], entry["ready"] = probes(name, last.id)
        else:
            entry["ready"] = entry["started"] = running
        if previous is not None:
            entry["lastState"] = container_state(previous)
        return entry, "running" if running else "stopped"
    reason, message = waiting or (("PodInitializing", "") if has_init_containers else ("ContainerCreating", ""))
    entry["state"] = {"waiting": {"reason": reason, **({"message": message} if message else {})}}
    return entry, "waiting"


def will_be_restarted(pod: dict | None, container: dict, record: Any) -> bool:
    """ShouldContainerBeRestarted, as convertToAPIContainerStatuses asks it before it shows the
    reasonCache's ``Waiting`` reason for an exited container: never once the pod is deleted, else
    by the restart policy (OnFailure: not after exit code 0). Without a ``pod``: True.

    >>> from types import SimpleNamespace as NS
    >>> on_failure = {"metadata": {}, "spec": {"restartPolicy": "OnFailure"}}
    >>> [will_be_restarted(on_failure, {}, NS(exit_code=code)) for code in (0, 137)]
    [False, True]
    >>> deleted = {"metadata": {"deletionTimestamp": "2026-01-05T09:00:00Z"}, "spec": {}}
    >>> will_be_restarted(deleted, {}, NS(exit_code=1))
    False
    """
    if pod is None:
        return True
    if pod.get("metadata", {}).get("deletionTimestamp"):
        return False
    from k8slearn.kubelet.pod_actions import should_container_be_restarted  # (it imports this module)

    return should_container_be_restarted(pod, record, container)


def volume_mount_statuses(mounts: list) -> list[dict]:
    """convertToAPIContainerStatuses' volumeMounts (the RecursiveReadOnlyMounts feature, beta and on
    in v1.32): each of the container's mounts by name and path; a read-only one also says whether
    it is recursively read-only: ``Disabled``, as containerd 1.7 cannot make it so
    (resolveRecursiveReadOnly; a mount that demands it is not refused here)."""
    statuses = []
    for mount in mounts:
        status = {"mountPath": mount.get("mountPath"), "name": mount.get("name")}
        if mount.get("readOnly"):
            status["readOnly"] = True
            status["recursiveReadOnly"] = "Disabled"
        statuses.append(status)
    return statuses


def ephemeral_container_status(state: Any, runtime: Any, container: dict) -> dict:
    """One ephemeralContainerStatuses entry: as a container's, but never ``ready`` and without
    ``started`` (the prober does not look at ephemeral containers)."""
    entry = container_status(state, runtime, container, False)[0]
    entry["ready"] = False
    del entry["started"]
    return entry


def init_container_status(state: Any, runtime: Any, container: dict, probes: Any = None,
                          pod: dict | None = None) -> dict:
    """One initContainerStatuses entry (prober UpdatePodStatus): a plain init container is
    ``started`` while it runs and ``ready`` once it exited 0; a sidecar is ``started`` and
    ``ready`` as a regular container is (its startup and readiness probes)."""
    if is_restartable_init_container(container):
        return container_status(state, runtime, container, True, probes, pod)[0]
    entry = container_status(state, runtime, container, True, pod=pod)[0]
    terminated = entry["state"].get("terminated")
    entry["ready"] = terminated is not None and terminated["exitCode"] == 0
    return entry


def _exit_code(entry: dict) -> int | None:
    """The exit code of a terminated container (getPhase counts only ``state.terminated`` as
    succeeded: one that waits to be restarted is stopped, whatever its last run's exit code)."""
    return (entry["state"].get("terminated") or {}).get("exitCode")
