"""The event recorder: how a component tells the world what it did (``kubectl get events``).

``recorder.event(obj, "Normal", "Scheduled", "Successfully assigned default/web to node-1")``
creates a core/v1 Event about ``obj``. Like client-go's EventCorrelator, a repeat of the same
event (same object, type, reason, message and source) does not create a new object: it bumps
``count`` and ``lastTimestamp`` on the first one, which is why ``kubectl describe`` can say
``Back-off restarting failed container (x4 over 2m)``.

Simplified: events are written synchronously (no broadcaster goroutine, no rate limiting, no
spam filter), and old events are never expired (the real API server gives them a 1 h TTL).

Upstream: k8s.io/client-go/tools/record/event.go, events_cache.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import timestamp

_NANOS_BASE = 1_767_603_600 * 10**9  # the simulated epoch as Unix nanoseconds (2026-01-05T09:00:00Z)


def object_reference(obj: dict, field_path: str = "") -> dict:
    """The involvedObject of an event: kind, namespace, name, uid, apiVersion, resourceVersion."""
    meta = obj.get("metadata", {})
    ref = {"apiVersion": obj.get("apiVersion", "v1"), "kind": obj.get("kind", "")}
    if obj.get("kind") == "Node":
        # The kubelet refers to its node by name, with the node name as UID (upstream quirk).
        ref.update(name=meta.get("name", ""), uid=meta.get("name", ""))
        return ref
    if meta.get("namespace"):
        ref["namespace"] = meta["namespace"]
    ref.update(name=meta.get("name", ""), uid=meta.get("uid", ""))
    if meta.get("resourceVersion"):
        ref["resourceVersion"] = meta["resourceVersion"]
    if field_path:
        ref["fieldPath"] = field_path
    return ref


class EventRecorder:
    """Writes Events for one component (``source.component``), optionally on one host."""

    def __init__(self, client: Any, component: str, host: str = "", clock: Any = None) -> None:
        self.client = client
        self.component = component
        self.host = host
        self.clock = clock
        self._seen: dict[tuple, str] = {}
        self._counter = 0

    def _now(self) -> float:
        return self.clock() if self.clock else 0.0

    def event(
        self, obj: dict, type_: str, reason: str, message: str, field_path: str = "", action: str = ""
    ) -> dict | None:
        """Record one event about ``obj``; returns the Event as stored (None if the write failed)."""
        ref = object_reference(obj, field_path)
        namespace = ref.get("namespace", "default")
        key = (ref["kind"], namespace, ref["name"], ref.get("uid"), field_path, type_, reason, message)
        now = self._now()
        try:
            if key in self._seen:
                existing = self.client.get("events", self._seen[key], namespace)
                existing["count"] = existing.get("count", 1) + 1
                existing["lastTimestamp"] = timestamp(now)
                return self.client.update(existing)
            self._counter += 1
            nanos = _NANOS_BASE + int(now * 1e9) + self._counter
            name = f"{ref['name']}.{nanos:x}"
            event = {
                "apiVersion": "v1",
                "kind": "Event",
                "metadata": {"name": name, "namespace": namespace},
                "involvedObject": ref,
                "reason": reason,
                "message": message,
                "source": {"component": self.component, **({"host": self.host} if self.host else {})},
                "firstTimestamp": timestamp(now),
                "lastTimestamp": timestamp(now),
                "count": 1,
                "type": type_,
                "eventTime": None,
                "reportingComponent": self.component,
                "reportingInstance": self.host,
            }
            if action:
                event["action"] = action
            stored = self.client.create(event)
            self._seen[key] = name
            return stored
        except ApiError:
            self._seen.pop(key, None)
            return None
