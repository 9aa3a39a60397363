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
>>> go_duration(1.0243), go_duration(0.35), go_duration(65.2)
('1.024s', '350ms', '1m5.2s')

Simplified: no probes (a running container is ready), no ephemeral containers, no pod-level
resources; init containers run one after another before the app containers.

Upstream: pkg/kubelet/kubelet_pods.go (generateAPIPodStatus, getPhase,
convertToAPIContainerStatuses), pkg/kubelet/status/generate.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.meta import timestamp


def go_duration(seconds: float) -> str:
    """A Go ``time.Duration`` string, truncated to milliseconds: ``1.024s``, ``350ms``, ``1m5.2s``."""
    ms = int(seconds * 1000 + 1e-6)
    if ms < 1000:
        return f"{ms}ms"
    minutes, ms = divmod(ms, 60_000)
    secs = f"{ms / 1000:.3f}".rstrip("0").rstrip(".")
    return f"{minutes}m{secs}s" if minutes else f"{secs}s"


def get_phase(restart_policy: str, running: int, waiting: int, stopped: int, succeeded: int,
              pending_initialization: bool = False) -> str:
    """The pod phase from container counts (upstream getPhase)."""
    if pending_initialization or waiting > 0:
        return "Pending"
    if running > 0:
        return "Running"
    if stopped > 0:
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


def container_state(record: Any, now_stamp: str) -> dict:
    """The API ``state`` of one runtime container record (see runtime.Container)."""
    if record.state == "CONTAINER_RUNNING":
        return {"running": {"startedAt": timestamp(record.started_at)}}
    if record.state == "CONTAINER_EXITED":
        term = {"containerID": f"containerd://{record.id}", "exitCode": record.exit_code,
                "finishedAt": timestamp(record.finished_at), "reason": record.reason,
                "startedAt": timestamp(record.started_at or record.finished_at)}
        if record.message:
            term["message"] = record.message
        return {"terminated": term}
    return {"waiting": {"reason": "ContainerCreating"}}


def condition(ctype: str, ok: bool, old: list, now: float, reason: str = "", message: str = "") -> dict:
    """A pod condition; lastTransitionTime only moves when the status flips."""
    status = "True" if ok else "False"
    previous = next((c for c in old if c.get("type") == ctype), None)
    since = previous["lastTransitionTime"] if previous and previous.get("status") == status else timestamp(now)
    cond = {"type": ctype, "status": status, "lastProbeTime": None, "lastTransitionTime": since}
    if not ok and reason:
        cond.update(reason=reason, message=message)
    return cond
