"""Per-key exponential back-off: how long the kubelet waits before restarting or re-pulling.

>>> b = Backoff(initial=10.0, maximum=300.0)
>>> b.in_backoff_since("web", event_time=0, now=0)          # never failed: go ahead
0.0
>>> b.next("web", event_time=0.0); b.in_backoff_since("web", event_time=0.0, now=4.0)
6.0
>>> b.next("web", event_time=20); b.entries["web"][0]        # each failure doubles it
20.0

The delay starts at 10 s and doubles up to 300 s (``backOffPeriod``/``MaxContainerBackOff``); an
entry untouched for twice the maximum is forgotten, so a container that ran fine for a while
starts again from 10 s.

The kubelet's back-offs have no jitter (``flowcontrol.NewBackOff``: jitter factor 0); the pod
worker's 10 to 15 s retry after a failed sync is where the kubelet jitters.

Whether an entry has expired is judged at the *event's* time (for a container, the time its last
run finished), while the entry is stamped with the time ``next`` was called: a container that
crashed 601 s after the kubelet last counted its back-off starts again from 10 s, even if the
kubelet only looks at it later.

>>> b.next("web", event_time=20 + 601, now=20 + 650); b.entries["web"]   # expired at the crash: back to 10 s
(10.0, 670)
>>> b.gc(now=670 + 601); b.entries                         # GC: entries older than twice the maximum go
{}

Simplified: the jitter a client-go Backoff may have (``NewBackOffWithJitter``) is left out.

Upstream: staging/src/k8s.io/client-go/util/flowcontrol/backoff.go, pkg/kubelet/kubelet.go
"""

from __future__ import annotations

BACKOFF_INITIAL = 10.0  # backOffPeriod
BACKOFF_MAX = 300.0  # MaxContainerBackOff


class Backoff:
    """Per-key exponential back-off, as client-go's flowcontrol.Backoff (used by the kubelet)."""

    def __init__(self, initial: float = BACKOFF_INITIAL, maximum: float = BACKOFF_MAX) -> None:
        self.initial, self.maximum = initial, maximum
        self.entries: dict[str, tuple[float, float]] = {}  # key -> (backoff, lastUpdate)

    def _expired(self, key: str, now: float) -> bool:
        _, last = self.entries[key]
        return now - last > 2 * self.maximum

    def in_backoff_since(self, key: str, event_time: float, now: float) -> float:
        """Seconds still to wait (0 if not in back-off) for an event at ``event_time``."""
        if key not in self.entries or self._expired(key, event_time):
            return 0.0
        backoff, _ = self.entries[key]
        return max(0.0, event_time + backoff - now)

    def next(self, key: str, event_time: float, now: float | None = None) -> None:
        """Backoff.Next(id, eventTime): count one more back-off for an event at ``event_time``
        (the first one, or again from the first if the entry had expired by then: 10 s; else
        twice the last, at most the maximum), stamped ``now`` (``Clock.Now()``; the event's time
        when not given, as the image puller's ``Next(key, Clock.Now())``)."""
        now = event_time if now is None else now
        if key not in self.entries or self._expired(key, event_time):
            self.entries[key] = (self.initial, now)
        else:
            backoff, _ = self.entries[key]
            self.entries[key] = (min(backoff * 2, self.maximum), now)

    def gc(self, now: float) -> None:
        """GC: forget the entries untouched for more than twice the maximum."""
        for key in [key for key in self.entries if self._expired(key, now)]:
            del self.entries[key]
