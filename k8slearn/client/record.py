"""The event recorder: how a component tells the world what it did (``kubectl get events``).

``recorder.event(obj, "Normal", "Scheduled", "Successfully assigned default/web to node-1")``
creates a core/v1 Event about ``obj``. Through client-go's EventCorrelator
(k8slearn.client.events_cache), a repeat of the same event (same object, type, reason, message
and source) does not create a new object: it bumps ``count`` and ``lastTimestamp`` on the first
one, which is why ``kubectl describe`` can say ``Back-off restarting failed container (x4 over
2m)``; similar events are aggregated and a chatty source is throttled.

Simplified: events are written synchronously (no broadcaster goroutine), and a repeat is written
with get + update rather than a strategic-merge patch.

Upstream: k8s.io/client-go/tools/record/event.go, events_cache.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import timestamp
from k8slearn.client.events_cache import CorrelateResult, EventCorrelator

NAME_TRIES = 8  # names an event tries when the one before is taken (see EventRecorder._create)
_NANOS_BASE = 1_767_603_600 * 10**9  # the simulated epoch as Unix nanoseconds (2026-01-05T09:00:00Z)


def event_serial(now: float, counter: int) -> int:
    """What an Event's name ends with, in hex (``<object>.<serial>``): the Unix nanoseconds of its
    time, as client-go names events, plus the recorder's counter so that two events of one
    instant get two names."""
    return _NANOS_BASE + int(now * 1e9) + counter


def object_reference(obj: dict, field_path: str = "") -> dict:
    """The involvedObject of an event: kind, namespace, name, uid, apiVersion, resourceVersion."""
    meta = obj.get("metadata", {})
    kind = obj.get("kind", "")
    ref = {"apiVersion": obj.get("apiVersion", "v1"), "kind": kind}
    name = meta.get("name", "")
    namespace = meta.get("namespace")
    if namespace:
        ref["namespace"] = namespace
    ref["name"] = name
    if meta.get("uid"):  # (omitempty: a reference made from a key alone has none)
        ref["uid"] = meta["uid"]
    resource_version = meta.get("resourceVersion")
    if resource_version:
        ref["resourceVersion"] = resource_version
    if field_path:
        ref["fieldPath"] = field_path
    return ref


def node_reference(name: str, uid: str) -> dict:
    """The Node an event is about, as the node's components name it (kind, name and UID, no
    resourceVersion). Upstream has two UIDs for a node's events: the kubelet (and kube-proxy) use
    the node *name* as UID (its ``nodeRef``), the node lifecycle and IPAM controllers the Node's
    real ``metadata.uid`` (``nodeutil.RecordNodeEvent``, ``RecordNodeStatusChange``); ``kubectl
    describe node`` looks events up under both.

    >>> object_reference(node_reference("node-1", "node-1"))
    {'apiVersion': 'v1', 'kind': 'Node', 'name': 'node-1', 'uid': 'node-1'}
    """
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": uid}}


class EventRecorder:
    """Writes Events for one component (``source.component``), optionally on one host.

    Each recorder has its own EventCorrelator, as each client-go EventBroadcaster does: repeats
    are counted, similar events aggregated, and a source + object pair throttled past 25 events.
    ``correlate=False`` keeps only the counting of exact repeats. ``component`` and ``host`` are
    the recorder's for its whole life (as a broadcaster's source is): they are not to be changed.
    """

    def __init__(self, client: Any, component: str, host: str = "", clock: Any = None,
                 correlate: bool = True) -> None:
        self.client = client
        self.component = component
        self.host = host
        self.clock = clock
        self.correlator = EventCorrelator() if correlate else EventCorrelator.counting_only()
        self._counter = 0
        # Every event's source: one dict shared by all of them (nothing changes an event's source;
        # the API server stores its own copy), built once rather than per event.
        self._source = {"component": component, "host": host} if host else {"component": component}

    def forget(self) -> None:
        """A new process: the correlator's caches start empty, so a repeat of an event recorded
        before becomes a new Event object rather than a higher count on the old one."""
        self.correlator = self.correlator.fresh()

    def event(
        self, obj: dict, type_: str, reason: str, message: str, field_path: str = "", action: str = ""
    ) -> dict | None:
        """Record one event about ``obj``; returns the Event as stored (None if dropped or the write failed)."""
        ref = object_reference(obj, field_path)
        namespace = ref.get("namespace", "default")
        now = self.clock() if self.clock else 0.0
        self._counter += 1
        serial = event_serial(now, self._counter)
        stamp = timestamp(now)  # the same text for both (a str: sharing it changes no byte written)
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": f"{ref['name']}.{serial:x}", "namespace": namespace},
            "involvedObject": ref,
            "reason": reason,
            "message": message,
            "source": self._source,
            "firstTimestamp": stamp,
            "lastTimestamp": stamp,
            "count": 1,
            "type": type_,
            "eventTime": None,
            "reportingComponent": self.component,
            "reportingInstance": self.host,
        }
        if action:
            event["action"] = action
        # The correlator's key for the source and object (get_spam_key), built here from what it is
        # made of rather than read back from the event: a simulation speed-up, the same tuple.
        object_key = (self.component, self.host, ref["kind"], ref.get("namespace", ""), ref["name"], ref.get("uid", ""),
                      ref["apiVersion"])
        result = self.correlator.correlate(event, now, object_key, serial)
        if result.action == "skip":
            return None
        try:
            stored = self._write(result)
        except ApiError:
            return None
        self.correlator.update_state(stored, result)
        return stored

    def _write(self, result: CorrelateResult) -> dict:
        """recordEvent: bump the existing event (count, lastTimestamp, message), or create it."""
        event = result.event
        if result.action == "update":
            try:
                existing = self.client.get("events", event["metadata"]["name"], event["metadata"]["namespace"])
            except ApiError as err:
                if err.code != 404:
                    raise
            else:
                existing["count"] = event["count"]
                existing["lastTimestamp"] = event["lastTimestamp"]
                existing["message"] = event["message"]
                return self.client.update(existing)
        return self._create(event)

    def _create(self, event: dict) -> dict:
        """Create the event. Its name ends in its time's Unix nanoseconds, which two events upstream
        practically never share; on the simulated clock many events share an instant, and two
        recorders can pick the same name (a DaemonSet's and a budget's events about ``logs``), so a
        name already taken moves on to the next nanosecond instead of losing the event."""
        base, _, serial = event["metadata"]["name"].rpartition(".")
        tries = 1
        while True:
            try:
                return self.client.create(event)
            except ApiError as err:
                if err.code != 409 or err.reason != "AlreadyExists" or tries == NAME_TRIES:
                    raise
            event["metadata"]["name"] = f"{base}.{int(serial, 16) + tries:x}"
            tries += 1
