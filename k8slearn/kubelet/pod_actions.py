"""What one sync of a pod will do, worked out before it does anything.

A pod worker's sync first looks at the pod's containers as the runtime reported them when the sync
began (PLEG's pod status), and only from that decides which containers to kill and which to start.
Then it kills, then it starts. A container that dies while the sync is busy (say, during another
container's 30 s kill) is not part of this sync's plan: the next sync, which PLEG's ContainerDied
asks for, shows it ``Terminated`` and restarts it.

>>> from types import SimpleNamespace as Record
>>> pod = {"spec": {"containers": [{"name": "app", "image": "nginx"}, {"name": "side"}]}}
>>> runs = {"app": Record(state="CONTAINER_RUNNING", id="a1", name="app", image="nginx"),
...         "side": Record(state="CONTAINER_EXITED", id="s1", exit_code=1)}
>>> actions = compute_pod_actions(pod, runs.get, {"a1": "liveness"}.get)
>>> [(kill.name, kill.message) for kill in actions.containers_to_kill], actions.containers_to_start
([('app', 'Container app failed liveness probe, will be restarted')], [0, 1])

(``app`` failed its liveness probe: killed, then started again; ``side`` exited: started again.)

A running container whose definition changed (``kubectl set image pod/web nginx=nginx:1.27``: the
image is the one field of a regular container a pod update may change) is killed and started again
with the new image, whatever ``restartPolicy`` says: its hash (:func:`hash_container`, the spec's
name and image) is no longer the one it was created with.

>>> runs = {"app": Record(state="CONTAINER_RUNNING", id="a1", name="app", image="nginx:1.25")}
>>> pod = {"spec": {"restartPolicy": "Never", "containers": [{"name": "app", "image": "nginx:1.27"}]}}
>>> actions = compute_pod_actions(pod, runs.get, {}.get)
>>> [kill.message for kill in actions.containers_to_kill], actions.containers_to_start
(['Container app definition changed, will be restarted'], [0])

Simplified: no in-place resize; upstream kills one container after the other in Go's random map
order, here in spec order (init containers first). A running sidecar whose image changed is
killed and started again too ("Init container proxy definition changed", without "will be
restarted": :func:`~k8slearn.kubelet.init_containers.compute_init_container_actions`).

Upstream: pkg/kubelet/kuberuntime/kuberuntime_manager.go (computePodActions, containerChanged,
podActions, containerToKillInfo), pkg/kubelet/container/helpers.go (ShouldContainerBeRestarted,
HashContainer, pickFieldsToHash)
"""

from __future__ import annotations

import functools
import json
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
        initialized, to_start, to_kill, kill_pod = compute_init_container_actions(
            pod, last, startup, liveness, container_changed)
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
        if record.state != "CONTAINER_RUNNING":
            continue  # kept
        restarts = restart
        if container_changed(container, record):
            message, reason = f"Container {name} definition changed", ""
            restarts = True  # whatever restartPolicy says: the spec changed
        else:
            reason = kill_reason(record.id)
            if not reason:
                continue  # kept
            message = f"Container {name} failed {reason} probe"
        if restarts:
            message += ", will be restarted"
            actions.containers_to_start.append(index)
        actions.containers_to_kill.append(ContainerToKill("containers", container, record, message, reason))
    return actions


def hash_container(container: dict) -> int:
    """HashContainer as in v1.32: FNV-32a over the JSON of the container's ``name`` and ``image``
    only (pickFieldsToHash: the one field of a container a pod update may change, and its name).
    Simplified: upstream feeds the hash DeepHashObject's printout of that JSON, so its numbers
    differ; what matters is that a new image gives a new hash.

    >>> old, new = {"name": "nginx", "image": "nginx:1.25"}, {"name": "nginx", "image": "nginx:1.27"}
    >>> hash_container(old) == hash_container(new)
    False
    """
    return _hash_picked_fields(container["name"], container.get("image", ""))


@functools.lru_cache(maxsize=4096)
def _hash_picked_fields(name: str, image: str) -> int:
    """FNV-32a of ``{"image":...,"name":...}``, once per (name, image): every sync of every pod
    asks again (a simulation speed-up, the same result)."""
    data = json.dumps({"image": image, "name": name}, separators=(",", ":"))
    h = 0x811C9DC5
    for byte in data.encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def container_changed(container: dict, record: Any) -> bool:
    """containerChanged: the spec's container no longer hashes to what the running container was
    created from. Upstream reads that hash from the container's ``io.kubernetes.container.hash``
    annotation; here it is worked out again from the name and image the runtime record keeps
    (all that v1.32 hashes)."""
    return hash_container(container) != _hash_picked_fields(record.name, record.image)


def should_container_be_restarted(pod: dict, record: Any, container: dict | None = None) -> bool:
    """ShouldContainerBeRestarted for a container whose last run exited: by its own
    ``restartPolicy`` if it has one (a sidecar's ``Always``), else the pod's (OnFailure: only after
    a non-zero exit code)."""
    policy = (container or {}).get("restartPolicy") or pod["spec"].get("restartPolicy", "Always")
    return policy == "Always" or (policy == "OnFailure" and record.exit_code != 0)
