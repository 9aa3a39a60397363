"""Pod conditions as the controllers read them: Ready, since when, and available.

A pod is *ready* when its ``Ready`` condition is ``True``, and *available* once it has been ready
for more than the owner's ``minReadySeconds`` (a Deployment's rollout counts available pods):

>>> pod = {"status": {"conditions": [{"type": "Ready", "status": "True",
...                                    "lastTransitionTime": "2024-01-01T00:00:00Z"}]}}
>>> is_pod_ready(pod), pod_ready_time(pod) == parse_timestamp("2024-01-01T00:00:00Z")
(True, True)
>>> since = pod_ready_time(pod)
>>> is_pod_available(pod, 10, since + 5), is_pod_available(pod, 10, since + 11), is_pod_available(pod, 0, since)
(False, True, True)

Simplified: timestamps are the simulation's seconds (RFC 3339 text parsed back), not Go times.

Upstream: pkg/api/v1/pod/util.go (GetPodCondition, IsPodReady, IsPodAvailable)
"""

from __future__ import annotations

from k8slearn.api.meta import parse_timestamp


def get_pod_condition(pod: dict, type_: str) -> dict | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == type_:
            return c
    return None


def is_pod_ready(pod: dict) -> bool:
    status = pod.get("status")
    for c in (status.get("conditions") or ()) if status else ():
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def _time(value: str | None) -> float | None:
    return parse_timestamp(value) if value else None


def pod_ready_time(pod: dict) -> float | None:
    if is_pod_ready(pod):
        return _time(get_pod_condition(pod, "Ready").get("lastTransitionTime"))
    return None


def is_pod_available(pod: dict, min_ready_seconds: int, now: float) -> bool:
    """Ready for at least ``min_ready_seconds`` (podutil.IsPodAvailable)."""
    if not is_pod_ready(pod):
        return False
    if not min_ready_seconds:
        return True
    since = _time(get_pod_condition(pod, "Ready").get("lastTransitionTime"))
    return since is not None and since + min_ready_seconds < now
