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

A ReplicaSet's status counts its pods that carry the template's labels, the ready ones and the
available ones (here the labelled pod has no status yet):

>>> pods = [{"metadata": {}, **pod}, {"metadata": {}, **pod}, {"metadata": {"labels": {"app": "web"}}}]
>>> count_pods(pods, lambda labels: labels == {"app": "web"}, 10, since + 11)
(1, 2, 2)

Simplified: timestamps are the simulation's seconds (RFC 3339 text parsed back), not Go times.

Upstream: pkg/api/v1/pod/util.go (GetPodCondition, IsPodReady, IsPodAvailable),
pkg/controller/replicaset/replica_set_utils.go (calculateStatus: the counts)
"""

from __future__ import annotations

from collections.abc import Callable

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


def count_pods(pods: list[dict], labels_match: Callable[[dict | None], bool], min_ready_seconds: int,
               now: float) -> tuple[int, int, int]:
    """(pods whose labels ``labels_match``, Ready pods, available pods): a ReplicaSet's status counts.

    The pods of a template share one labels object, and pods whose conditions changed at the same
    moments one conditions list (the watch cache shares equal read-only parts): each distinct object
    is checked once per call, by identity. A simulation speed-up with the same counts as checking
    every pod (``pods`` holds every object during the call, so no id is reused).
    """
    labeled = ready = available = 0
    matched: dict[int, bool] = {}  # id(labels) -> labels_match(labels)
    readiness: dict[int, bool] = {}  # id(status.conditions) -> is_pod_ready
    for pod in pods:
        labels = pod["metadata"].get("labels")
        is_labeled = matched.get(id(labels))
        if is_labeled is None:
            is_labeled = matched[id(labels)] = labels_match(labels)
        labeled += is_labeled
        status = pod.get("status")
        conditions = status.get("conditions") if status else None
        is_ready = readiness.get(id(conditions))
        if is_ready is None:
            is_ready = readiness[id(conditions)] = is_pod_ready(pod)
        if is_ready:
            ready += 1
            available += not min_ready_seconds or is_pod_available(pod, min_ready_seconds, now)
    return labeled, ready, available
