"""What one sync of a pod will do, worked out before it does anything.

A pod worker's sync first looks at the pod's containers as the runtime reported them when the sync
began (PLEG's pod status), and only from that decides which containers to kill and which to start.
Then it kills, then it starts. A container that dies while the sync is busy (say, during another
container's 30 s kill) is not part of this sync's plan: the next sync, which PLEG's ContainerDied
asks for, shows it ``Terminated`` and restarts it.

>>> from types import SimpleNamespace as Record
>>> pod = {"spec": {"containers": [{"name": "app"}, {"name": "side"}]}}
>>> runs = {"app": Record(state="CONTAINER_RUNNING", id="a1"),
...         "side": Record(state="CONTAINER_EXITED", id="s1", exit_code=1)}
>>> actions = compute_pod_actions(pod, runs.get, {"a1": "liveness"}.get)
>>> [(kill.name, kill.message) for kill in actions.containers_to_kill], actions.containers_to_start
([('app', 'Container app failed liveness probe, will be restarted')], [0, 1])

(``app`` failed its liveness probe: killed, then started again; ``side`` exited: started again.)

Simplified: no "Container app definition changed" kill after an image change (the sim keeps no
container hash) and no in-place resize; upstream kills one container after the other in Go's
random map order, here in spec order (init containers first).

Upstream: pkg/kubelet/kuberuntime/kuberuntime_manager.go (computePodActions, podActions,
containerToKillInfo), pkg/kubelet/container/helpers.go (ShouldContainerBeRestarted)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from k8slearn.kubelet.init_containers import compute_init_container_actions


@dataclass(slots=True)
class ContainerToKill:
    """containerToKillInfo: a running container to stop, and why (the ``Killing`` event's message)."""

    kind: str  # "containers" or "initContainers": where the container is in the spec
    spec: dict
    record: Any  # the runtime's record of the running container
    message: str
    reason: str  # "liveness" or "startup": which probe's terminationGracePeriodSeconds applies

    @property
    def name(self) -> str:
        return self.spec["name"]


@dataclass(slots=True)
class PodActions:
    """podActions: what this sync kills and starts (indices into the spec's lists, in order)."""

    initialized: bool = True
    kill_pod: bool = False  # a plain init container failed and the pod may not restart it
    containers_to_kill: list[ContainerToKill] = field(default_factory=list)
    init_containers_to_start: list[int] = field(default_factory=list)
    containers_to_start: list[int] = field(default_factory=list)
    ephemeral_containers_to_start: list[int] = field(default_factory=list)
    # doBackOff's view of the pod status the sync began with: container name -> when its newest
    # exited run finished (filled in by the pod worker, which knows every run)
    exited_at: dict[str, float] = field(default_factory=dict)


def compute_pod_actions(pod: dict, last: Any, kill_reason: Any, startup: Any = None, liveness: Any = None,
                        keeps_nothing: Any = None) -> PodActions:
    """computePodActions for a pod whose sandbox is ready. ``last(name)`` is a container's latest
    runtime record as the sync began (None before its first run); ``kill_reason(container id)``
    says "liveness" or "startup" for a running container whose probe failed, else "";
    ``startup``/``liveness(container id)`` are the prober's results (init containers), and
    ``keeps_nothing()`` says whether no regular container runs or will run again (the pod is then
    killed, and no sidecar is started again)."""
    spec = pod["spec"]
    actions = PodActions()
    for index, container in enumerate(spec.get("ephemeralContainers") or ()):
        if last(container["name"]) is None:  # ephemeral containers are never restarted
            actions.ephemeral_containers_to_start.append(index)
    inits = spec.get("initContainers")
    if inits:
        initialized, to_start, to_kill, kill_pod = compute_init_container_actions(pod, last, startup, liveness)
        actions.initialized, actions.kill_pod = initialized, kill_pod
        if kill_pod:
            return actions
        if initialized and keeps_nothing is not None and keeps_nothing():
            return actions  # KillPod: no init container is started again
        actions.init_containers_to_start = to_start
        actions.containers_to_kill = [ContainerToKill("initContainers", inits[i], last(inits[i]["name"]), message,
                                                      reason) for i, message, reason in to_kill]
        if not initialized:
            return actions  # the regular containers are not looked at before initialization
    restart = spec.get("restartPolicy", "Always") != "Never"
    for index, container in enumerate(spec["containers"]):
        name = container["name"]
        record = last(name)
        if record is None or record.state == "CONTAINER_EXITED":
            if record is None or should_container_be_restarted(pod, record):
                actions.containers_to_start.append(index)
            continue
        reason = kill_reason(record.id) if record.state == "CONTAINER_RUNNING" else ""
        if not reason:
            continue  # kept
        message = f"Container {name} failed {reason} probe"
        if restart:
            message += ", will be restarted"
            actions.containers_to_start.append(index)
        actions.containers_to_kill.append(ContainerToKill("containers", container, record, message, reason))
    return actions


def should_container_be_restarted(pod: dict, record: Any, container: dict | None = None) -> bool:
    """ShouldContainerBeRestarted for a container whose last run exited: by its own
    ``restartPolicy`` if it has one (a sidecar's ``Always``), else the pod's (OnFailure: only after
    a non-zero exit code)."""
    policy = (container or {}).get("restartPolicy") or pod["spec"].get("restartPolicy", "Always")
    return policy == "Always" or (policy == "OnFailure" and record.exit_code != 0)
