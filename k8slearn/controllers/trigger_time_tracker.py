"""TriggerTimeTracker: the value of the ``endpoints.kubernetes.io/last-change-trigger-time`` annotation.

The Endpoints and EndpointSlice controllers stamp what they write with the time of the change
that caused the write, so that one can measure how long the change took to reach kube-proxy.
The tracker remembers, per Service, the trigger times it saw at the last sync: the Service's
``creationTimestamp`` and each selected pod's Ready condition ``lastTransitionTime``.

* The first sync of a Service returns the Service's creation time.
* Later syncs return the *oldest* trigger time that changed since the last sync, or ``""`` when
  none did (a pod that only went away changes none): the controllers then drop the annotation.

>>> t = TriggerTimeTracker()
>>> svc = {"metadata": {"name": "web", "creationTimestamp": "2026-01-05T09:00:00Z"}}
>>> pod = {"metadata": {"name": "a"}, "status": {"conditions": [
...     {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-05T09:00:07Z"}]}}
>>> t.compute("default", svc, [pod]), t.compute("default", svc, [pod]), t.compute("default", svc, [])
('2026-01-05T09:00:00Z', '', '')

Simplified: as upstream, a pod that changes twice between two syncs counts once.

Upstream: staging/src/k8s.io/endpointslice/util/trigger_time_tracker.go
"""

from __future__ import annotations

from k8slearn.api.meta import parse_timestamp, timestamp
from k8slearn.controllers.pod_util import get_pod_condition


def get_pod_trigger_time(pod: dict) -> float | None:
    """The pod's Ready condition's lastTransitionTime (None without one)."""
    stamp = (get_pod_condition(pod, "Ready") or {}).get("lastTransitionTime")
    return parse_timestamp(stamp) if stamp else None


class TriggerTimeTracker:
    """Per Service key: (the Service's trigger time, {pod name: trigger time}) at the last sync."""

    def __init__(self) -> None:
        self.service_states: dict[str, tuple[float | None, dict[str, float]]] = {}

    def compute(self, namespace: str, service: dict, pods: list[dict]) -> str:
        """ComputeEndpointLastChangeTriggerTime: the annotation's value, or "" for none."""
        key = f"{namespace}/{service['metadata']['name']}"
        known = key in self.service_states
        last_service, last_pods = self.service_states.get(key, (None, {}))
        changed: list[float] = []
        pod_times = {}
        for pod in pods:
            moment = get_pod_trigger_time(pod)
            if moment is not None:
                pod_times[pod["metadata"]["name"]] = moment
                if moment > last_pods.get(pod["metadata"]["name"], float("-inf")):
                    changed.append(moment)
        created = service["metadata"].get("creationTimestamp")
        service_time = parse_timestamp(created) if created else None
        if service_time is not None and (last_service is None or service_time > last_service):
            changed.append(service_time)
        self.service_states[key] = (service_time, pod_times)
        if not known:  # a new Service: its creation time
            return created or ""
        return timestamp(min(changed)) if changed else ""

    def delete_service(self, namespace: str, name: str) -> None:
        self.service_states.pop(f"{namespace}/{name}", None)
