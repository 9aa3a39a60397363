"""The events.k8s.io recorder: how kube-scheduler writes its Events, with an EventSeries for repeats.

Newer components record through the events.k8s.io/v1 API instead of the core recorder of
:mod:`k8slearn.client.record`. An Event then has an ``eventTime`` (microseconds), an ``action``
and a ``reportingInstance`` (``default-scheduler-control-plane``), and none of the old fields:
read through core/v1 (``kubectl get events -o yaml``) its ``source`` is ``{}``, its
``firstTimestamp`` and ``lastTimestamp`` are null and it has no ``count``.

Repeats are grouped by what the event is about, not by its words: the type, action, reason,
reporting controller and instance, and the object it regards *with that object's
resourceVersion*. The second one of a group gives the Event a ``series`` (count 2, the last time
observed), written at once; later ones only count up in memory. The server hears of them when
the series ends (6 minutes without a repeat) or at the half-hourly refresh. So a pod that stays
Pending shows ``FailedScheduling ... (x2 over 5m)`` for a while although the scheduler tried more
often: that is what a real cluster shows too.

Simplified: written synchronously (no broadcaster goroutine); the periodic jobs run on the
simulated clock from when the recorder starts.

Upstream: staging/src/k8s.io/client-go/tools/events/event_broadcaster.go (recordToSink,
getKey, refreshExistingEventSeries, finishSeries, recordEvent), event_recorder.go (makeEvent)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import micro_timestamp
from k8slearn.client.record import event_serial, object_reference

REFRESH_TIME = 30 * 60.0  # refreshTime: every series is written again this often
FINISH_TIME = 6 * 60.0  # finishTime: a series with no repeat for this long is over


class EventsRecorder:
    """Writes events.k8s.io Events for one reporting controller and instance, with series for repeats."""

    def __init__(self, loop: Any, client: Any, reporting_controller: str, reporting_instance: str) -> None:
        self.loop = loop
        self.client = client
        self.reporting_controller = reporting_controller
        self.reporting_instance = reporting_instance
        # eventCache: a group's key -> (name, namespace, note, eventTime) of a single Event (what a
        # series needs of it: a simulation saving, the same writes), or [the Event with its series,
        # its eventTime, when the last repeat was observed]
        self.cache: dict[tuple, tuple | list] = {}
        self._counter = 0
        self._processes: list = []

    def start(self) -> EventsRecorder:
        """StartRecordingToSink: the half-hourly refresh of the series and the 6-minute check for ended ones."""
        if not self._processes:
            self._processes = [self.loop.spawn(self._every(REFRESH_TIME, self.refresh_series), "events/refresh", True),
                               self.loop.spawn(self._every(FINISH_TIME, self.finish_series), "events/finish", True)]
        return self

    def stop(self) -> None:
        """The process ends: what was only counted in memory is lost with it."""
        for process in self._processes:
            process.stop()
        self._processes = []
        self.cache.clear()

    @staticmethod
    def _every(seconds: float, job: Any):
        while True:
            yield seconds
            job()

    def event(self, regarding: dict, type_: str, reason: str, note: str, action: str,
              related: dict | None = None) -> dict | None:
        """Eventf: record one event about ``regarding``; returns the Event written (None when the
        repeat was only counted, or the write failed)."""
        now = self.loop.now
        ref = object_reference(regarding)
        rel = object_reference(related) if related is not None else None
        # getKey: what the event is about, the object's resourceVersion included (its values in
        # one flat tuple: the cache holds one key per event for 6 minutes)
        key = (type_, action, reason, *ref.values(), *(rel.values() if rel is not None else ()))
        cached = self.cache.get(key)
        if cached is None:  # the first: a new Event; the cache keeps what a series needs of it
            self._counter += 1
            name = f"{ref['name']}.{event_serial(now, self._counter):x}"
            namespace = ref.get("namespace", "default")
            self.cache[key] = (name, namespace, note, now)
            return self._record(self._event(name, namespace, ref, rel, type_, reason, note, action, now))
        if cached.__class__ is tuple:  # the second: the first Event gets a series, written at once
            name, namespace, first_note, first_time = cached
            event = self._event(name, namespace, ref, rel, type_, reason, first_note, action, first_time)
            event["series"] = {"count": 2, "lastObservedTime": micro_timestamp(now)}
            self.cache[key] = [event, first_time, now]
            return self._record(event)
        event = cached[0]  # later ones: counted in memory, written when the series ends or is refreshed
        cached[0] = {**event, "series": {"count": event["series"]["count"] + 1, "lastObservedTime": micro_timestamp(now)}}
        cached[2] = now
        return None

    def _event(self, name: str, namespace: str, ref: dict, rel: dict | None, type_: str, reason: str, note: str,
               action: str, event_time: float) -> dict:
        """makeEvent, as the core/v1 API shows it: no source, timestamps or count of its own."""
        event = {
            "apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": namespace},
            "involvedObject": ref, "reason": reason, "message": note, "source": {},
            "firstTimestamp": None, "lastTimestamp": None, "type": type_, "eventTime": micro_timestamp(event_time),
            "action": action, "reportingComponent": self.reporting_controller,
            "reportingInstance": self.reporting_instance,
        }
        if rel is not None:
            event["related"] = rel
        return event

    def _record(self, event: dict) -> dict | None:
        """recordEvent: a series is PATCHed onto the Event (created again if it is gone); a new one is created."""
        meta = event["metadata"]
        if event.get("series") is not None:
            try:
                return self.client.patch("events", meta["name"], {"series": event["series"]}, meta["namespace"],
                                         patch_type="merge")
            except ApiError as err:
                if err.code != 404:
                    return None
        new = {**event, "metadata": {"name": meta["name"], "namespace": meta["namespace"]}}
        try:
            return self.client.create(new)
        except ApiError:
            return None

    def refresh_series(self) -> None:
        """refreshExistingEventSeries: every series is written again (its count so far)."""
        for cached in self.cache.values():
            if cached.__class__ is list:
                self._record(cached[0])

    def finish_series(self) -> None:
        """finishSeries: a series with no repeat for 6 minutes is written a last time and forgotten;
        a single event older than 6 minutes is forgotten (a repeat later starts a new Event)."""
        horizon = self.loop.now - FINISH_TIME
        for key, cached in list(self.cache.items()):
            if cached.__class__ is tuple:
                if cached[3] < horizon:
                    del self.cache[key]
            elif cached[2] < horizon:
                self._record(cached[0])
                del self.cache[key]
