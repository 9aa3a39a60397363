"""client-go's EventCorrelator: count repeats, aggregate look-alikes, throttle a chatty source.

Every event a kube-controller-manager controller or a kubelet records goes through three steps
before it reaches the API server:

1. **Aggregate.** Events that differ only in their message (same source, object, type and reason)
   are *similar*. From the 10th distinct message within 10 minutes on, they are folded into one
   event whose message starts with ``(combined from similar events): ``.
2. **Count.** An event identical to one already written (same source, object, field path, type,
   reason and message — or the same aggregate) is not created again: the first one's ``count``
   goes up and its ``lastTimestamp`` moves. That is the ``(x4 over 2m)`` in ``kubectl describe``.
3. **Throttle.** Each source + object pair has a token bucket of 25 events, refilled at one every
   5 minutes. Past the burst, events are dropped.

So a ReplicaSet that creates 1,000 pods at once shows 9 ``Created pod: ...`` events and one
``(combined from similar events): Created pod: ...`` with a count of 16: 25 writes, not 1,000.

>>> c = EventCorrelator()
>>> ev = lambda i: {"metadata": {"name": f"web.{i}"}, "count": 1,
...     "source": {"component": "replicaset-controller"}, "type": "Normal",
...     "reason": "SuccessfulCreate", "message": f"Created pod: web-{i}",
...     "involvedObject": {"kind": "ReplicaSet", "namespace": "default", "name": "web", "uid": "u1"}}
>>> [c.correlate(ev(i), now=0.0).action for i in range(9)] == ["create"] * 9
True
>>> r = c.correlate(ev(9), now=0.0); r.action, r.event["message"]
('create', '(combined from similar events): Created pod: web-9')
>>> r = c.correlate(ev(10), now=0.0); r.action, r.count, r.event["metadata"]["name"]
('update', 2, 'web.9')
>>> sum(c.correlate(ev(i), now=1.0).action != "skip" for i in range(11, 100))
14

Simplified: the three caches are LRU caches of 4,096 entries as upstream, but when the set of
similar messages is full, the oldest message is forgotten (Go's ``PopAny`` picks one at random).

Upstream: k8s.io/client-go/tools/record/events_cache.go
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter

from k8slearn.api.lru import LRUCache
from k8slearn.api.shared import shared_float

MAX_LRU_CACHE_ENTRIES = 4096
DEFAULT_AGGREGATE_MAX_EVENTS = 10
DEFAULT_AGGREGATE_INTERVAL_SECONDS = 600
DEFAULT_SPAM_BURST = 25
DEFAULT_SPAM_QPS = 1.0 / 300.0
AGGREGATE_PREFIX = "(combined from similar events): "


class _SpamBucket:
    """The spam filter's token bucket for one source + object, and that pair's key as first built.

    golang.org/x/time/rate as flowcontrol.NewTokenBucketRateLimiter uses it: it starts full. The
    rate and burst are the same for all of a correlator's buckets, so they are kept there, not here
    (a memory saving). Keeping the key here saves memory too, with the same results: the correlator
    looks the key up here first and builds every other key of the object's events from this one
    tuple, so a pod's keys in the three caches share one object key instead of one copy per event.
    """

    __slots__ = ("key", "last", "tokens")

    def __init__(self, burst: int, now: float, key: tuple) -> None:
        self.tokens, self.last, self.key = float(burst), now, key

    def try_accept(self, now: float, qps: float, burst: int) -> bool:
        # (the floats kept are the shared ones of their values, see api.shared: a memory saving)
        tokens = min(float(burst), self.tokens + max(0.0, now - self.last) * qps)
        self.last = shared_float(now)
        if tokens >= 1.0:
            self.tokens = shared_float(tokens - 1.0)
            return True
        self.tokens = shared_float(tokens)
        return False


def _object_key(event: dict) -> tuple:
    obj = event.get("involvedObject") or {}
    source = event.get("source") or {}
    return (source.get("component", ""), source.get("host", ""), obj.get("kind", ""), obj.get("namespace", ""),
            obj.get("name", ""), obj.get("uid", ""), obj.get("apiVersion", ""))


# The keys below nest the object key (source and involved object) instead of repeating its seven
# strings, and the next three strings as one tuple: (object key, (field path, type, reason),
# message) and (object key, (type, reason, reporting controller), reporting instance). Two keys
# are equal exactly when the flat tuples of eleven strings would be (an event key can even equal
# an aggregate key just as two flat tuples can). A correlator shares one object key tuple among
# every key of the same object (see _SpamBucket), and all keys with the same three middle strings
# share one tuple from _KEY_PARTS: a memory saving, same decisions.

_KEY_PARTS: dict = {}  # each middle tuple once; cleared when it outgrows a cache (see correlate)

# Aggregate records with one message are shared too: (message, when last seen) is the same tuple
# for every correlator that saw that message at that simulated instant (the kubelets of a cluster
# record "Started container app" at the same moments), instead of one tuple and one float each.
# A record is never changed, only replaced; floats only (an int instant would equal its float).
# A memory saving, the same records; cleared with _KEY_PARTS.
_RECORDS: dict = {}


def _record(message: str, now: float) -> tuple:
    record = (message, now)
    return _RECORDS.setdefault(record, record) if now.__class__ is float else record


def _event_key(object_key: tuple, event: dict) -> tuple:
    middle = ((event.get("involvedObject") or {}).get("fieldPath", ""), event.get("type", ""),
              event.get("reason", ""))
    return (object_key, _KEY_PARTS.setdefault(middle, middle), event.get("message", ""))


def _aggregate_key(object_key: tuple, event: dict) -> tuple:
    middle = (event.get("type", ""), event.get("reason", ""), event.get("reportingComponent", ""))
    return (object_key, _KEY_PARTS.setdefault(middle, middle), event.get("reportingInstance", ""))


def get_event_key(event: dict) -> tuple:
    """Source, involved object (with field path), type, reason and message: what makes a repeat."""
    return _event_key(_object_key(event), event)


def get_spam_key(event: dict) -> tuple:
    """Source and involved object: what the token bucket is per."""
    return _object_key(event)


def aggregate_key(event: dict) -> tuple:
    """EventAggregatorByReasonFunc: source, object, type, reason, reporting controller/instance."""
    return _aggregate_key(_object_key(event), event)


@dataclass
class CorrelateResult:
    """What to do with an event: ``create`` it, ``update`` the stored one of the same name, or ``skip``.

    ``event`` is the event to write: for an update it carries the first occurrence's name and
    firstTimestamp and the new count. ``event_key`` and ``observed`` (the event's key and its
    (name or serial, count, firstTimestamp) as the correlator holds them) let ``update_state`` keep
    those objects rather than copies built from the stored event (a memory saving; not compared).
    """

    action: str
    event: dict
    event_key: tuple | None = field(default=None, repr=False, compare=False)
    observed: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def count(self) -> int:
        return self.event.get("count", 1)


class EventCorrelator:
    """Aggregation, counting and spam filtering, with upstream's defaults."""

    def __init__(self, burst: int = DEFAULT_SPAM_BURST, qps: float = DEFAULT_SPAM_QPS,
                 max_events: int = DEFAULT_AGGREGATE_MAX_EVENTS,
                 max_interval: float = DEFAULT_AGGREGATE_INTERVAL_SECONDS) -> None:
        self.burst, self.qps, self.max_events, self.max_interval = burst, qps, max_events, max_interval
        self._spam = LRUCache(MAX_LRU_CACHE_ENTRIES)
        self._aggregate = LRUCache(MAX_LRU_CACHE_ENTRIES)
        self._observed = LRUCache(MAX_LRU_CACHE_ENTRIES)

    @classmethod
    def counting_only(cls) -> EventCorrelator:
        """Exact repeats counted, nothing aggregated or dropped (a recorder made with ``correlate=False``)."""
        return cls(burst=10**9, max_events=10**9)

    def fresh(self) -> EventCorrelator:
        """A correlator with the same settings and empty caches (a restarted process's)."""
        return EventCorrelator(self.burst, self.qps, self.max_events, self.max_interval)

    def correlate(self, event: dict, now: float, object_key: tuple | None = None,
                  serial: int | None = None) -> CorrelateResult:
        """EventCorrelate: aggregate, then observe (count), then filter. ``event`` is not changed.

        As upstream, a throttled repeat is still counted, so the next one that gets through
        carries the full count. ``object_key``, if given, is ``get_spam_key(event)`` as the
        caller already has it (the recorder builds it from the object, a simulation speed-up).
        ``serial``, if given, says the event is named ``<involved object's name>.<serial in hex>``
        (as the recorder names them): it is remembered instead of the name (see ``_observe``).
        """
        if object_key is None:
            object_key = _object_key(event)
        # A peek: the spam filter's own get comes last, as upstream; no other step uses this cache.
        bucket = self._spam.peek(object_key)
        if bucket is not None:
            object_key = bucket.key  # the equal tuple already held (a memory saving, see _SpamBucket)
        if len(_KEY_PARTS) > MAX_LRU_CACHE_ENTRIES:
            _KEY_PARTS.clear()  # only sharing is lost: the table stays bounded like the caches
        if len(_RECORDS) > MAX_LRU_CACHE_ENTRIES:
            _RECORDS.clear()
        event, key, aggregated = self._aggregate_event(event, object_key, now)
        event, observed = self._observe(event, key, serial)
        if self._filter(object_key, bucket, now):
            return CorrelateResult("skip", event)
        event_key = _event_key(object_key, event) if aggregated else key
        action = "update" if event.get("count", 1) > 1 else "create"
        return CorrelateResult(action, event, event_key, observed)

    def update_state(self, stored: dict, result: CorrelateResult | None = None) -> None:
        """Remember an event as the API server stored it (after a successful write).

        ``result``, the correlation that led to the write, is optional: when the stored event
        agrees with the written one on everything the key and the remembered (name, count,
        firstTimestamp) are made of, the correlator's own key and value are kept (the same
        contents as copies built from the stored event, less memory), without building the key.
        """
        if result is not None and result.event_key is not None and _same_record(stored, result.event):
            self._observed.add(result.event_key, result.observed)
            return
        self._observed.add(get_event_key(stored), (_kept_name(stored["metadata"]["name"]), stored.get("count", 1),
                                                    stored.get("firstTimestamp")))

    def _aggregate_event(self, event: dict, object_key: tuple, now: float) -> tuple[dict, tuple, bool]:
        """EventAggregate: the event to go on with, its key for counting, and whether it was combined.

        A record is (the similar messages seen: one string until there are two, then a dict
        used as an ordered set; when last seen). The get makes the key the most recent, so
        putting the new record back with ``add`` keeps the upstream LRU order.
        """
        akey = _aggregate_key(object_key, event)
        message = event.get("message", "")
        record = self._aggregate.get(akey)
        if record is None or now - record[1] > self.max_interval:
            messages = message
        else:
            messages = record[0]
            if messages.__class__ is str:
                if messages != message:
                    messages = {messages: None, message: None}  # a dict keeps insertion order
            else:
                messages[message] = None
        seen = 1 if messages.__class__ is str else len(messages)
        if seen >= self.max_events:
            if messages.__class__ is str:
                messages = {}  # max_events of 1: the one message is forgotten at once
            else:
                del messages[next(iter(messages))]  # keep the set below max_events: forget the oldest
        self._aggregate.add(akey, _record(messages, now) if messages.__class__ is str else (messages, now))
        if seen < self.max_events:
            return event, _event_key(object_key, event), False
        combined = {k: v for k, v in event.items() if k not in ("reportingComponent", "reportingInstance", "action")}
        combined["message"] = AGGREGATE_PREFIX + message
        return combined, akey, True

    def _observe(self, event: dict, key: tuple, serial: int | None) -> tuple[dict, tuple]:
        """eventObserve: a repeat takes the first one's name and firstTimestamp, and count + 1.

        The value kept is (name, count, firstTimestamp), except that a name made of the involved
        object's name and a serial (see ``correlate``) is kept as the serial: a memory saving (an
        int is half the size of the name), the same name rebuilt when it is needed, for a repeat.
        """
        last = self._observed.get(key)
        if last is not None:
            kept, count, first = last
            event = {**event, "metadata": {**event["metadata"], "name": _name(kept, key)},
                     "count": count + 1, "firstTimestamp": first}
            value = (kept, count + 1, first)
        else:
            value = (_kept_name(event["metadata"]["name"]) if serial is None else serial, event.get("count", 1),
                     event.get("firstTimestamp"))
        self._observed.add(key, value)
        return event, value

    def _filter(self, object_key: tuple, bucket: _SpamBucket | None, now: float) -> bool:
        """The spam filter: False if the source + object still has a token.

        ``bucket`` is what ``correlate`` peeked for ``object_key`` (nothing has touched this cache
        since): a found bucket is made the most recent, as the get upstream does, and changed in place.
        """
        if bucket is None:
            bucket = _SpamBucket(self.burst, now, object_key)
            self._spam.add(object_key, bucket)
        else:
            self._spam.get(object_key)
        return not bucket.try_accept(now, self.qps, self.burst)


def _kept_name(name: object) -> object:
    """A name as ``_observe`` keeps it: a str as it is, anything else (not a valid name, but kept
    as upstream keeps it) in a 1-tuple, so that only a serial is kept as an int."""
    return name if name.__class__ is str else (name,)


def _name(kept: object, key: tuple) -> object:
    """The name ``_kept_name`` or a serial stands for; ``key[0][4]`` is the involved object's name."""
    if kept.__class__ is str:
        return kept
    if kept.__class__ is int:
        return f"{key[0][4]}.{kept:x}"
    return kept[0]  # type: ignore[index]


# What an event key and the remembered (name, count, firstTimestamp) are read from, but the name.
_RECORD_FIELDS = itemgetter("involvedObject", "source", "message", "reason", "type", "count", "firstTimestamp")


def _same_record(stored: dict, written: dict) -> bool:
    """Whether the stored event has the written one's event key and (name, count, firstTimestamp).

    Equal fields give equal keys and values; a difference anywhere in them (even where the key
    does not look) or a field missing on either side (where the key would read a default) only
    means the key is built from the stored event, as it would be anyway.
    """
    try:
        return (_RECORD_FIELDS(stored) == _RECORD_FIELDS(written)
                and stored["metadata"]["name"] == written["metadata"]["name"])
    except KeyError:
        return False
