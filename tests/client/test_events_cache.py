"""The EventCorrelator behind every EventRecorder: counting, aggregation and the spam filter."""

import pytest

from k8slearn.apiserver import APIServer
from k8slearn.client.events_cache import AGGREGATE_PREFIX
from k8slearn.client.record import EventRecorder
from k8slearn.etcd import MVCCStore
from k8slearn.sim import Loop


@pytest.fixture
def world():
    loop = Loop(seed=0)
    server = APIServer(MVCCStore(), loop)
    client = server.client("test")
    client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    rs = client.create({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web"},
                        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                                 "template": {"metadata": {"labels": {"app": "web"}},
                                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    return loop, client, rs


def summary(client):
    """(message, count) of every stored event, oldest first."""
    events = sorted(client.list("events", namespace="default"), key=lambda e: int(e["metadata"]["resourceVersion"]))
    return [(e["message"], e["count"]) for e in events]


@pytest.mark.parametrize("created, expected", [
    (5, [(f"Created pod: web-{i}", 1) for i in range(5)]),
    (10, [(f"Created pod: web-{i}", 1) for i in range(9)] + [(AGGREGATE_PREFIX + "Created pod: web-9", 1)]),
    (12, [(f"Created pod: web-{i}", 1) for i in range(9)] + [(AGGREGATE_PREFIX + "Created pod: web-11", 3)]),
    (1000, [(f"Created pod: web-{i}", 1) for i in range(9)] + [(AGGREGATE_PREFIX + "Created pod: web-24", 16)]),
], ids=[
    "fewer than ten different messages are each their own event",
    "the tenth different message starts one combined event",
    "later different messages bump the combined event and replace its message",
    "a thousand creations at once are throttled to twenty-five writes, as upstream",
])
def test_similar_events_are_aggregated_and_throttled(world, created, expected):
    loop, client, rs = world
    recorder = EventRecorder(client, "replicaset-controller", clock=lambda: loop.now)
    for i in range(created):
        recorder.event(rs, "Normal", "SuccessfulCreate", f"Created pod: web-{i}")
    assert summary(client) == expected


def test_the_spam_filter_refills_one_event_every_five_minutes(world):
    loop, client, rs = world
    recorder = EventRecorder(client, "kubelet", host="node-1", clock=lambda: loop.now)
    results = [recorder.event(rs, "Warning", "BackOff", "Back-off restarting failed container") for _ in range(30)]
    assert [r is not None for r in results] == [True] * 25 + [False] * 5
    loop.run(299)
    assert recorder.event(rs, "Warning", "BackOff", "Back-off restarting failed container") is None
    loop.run(1)
    again = recorder.event(rs, "Warning", "BackOff", "Back-off restarting failed container")
    # throttled repeats are still counted, as in client-go's eventLogger
    assert again["count"] == 32
    assert summary(client) == [("Back-off restarting failed container", 32)]


@pytest.mark.parametrize("gap, combined", [(600, True), (601, False)], ids=[
    "similar events within ten minutes keep aggregating",
    "after ten quiet minutes the set of similar messages starts again",
])
def test_aggregation_window(world, gap, combined):
    loop, client, rs = world
    recorder = EventRecorder(client, "replicaset-controller", clock=lambda: loop.now)
    for i in range(9):
        recorder.event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: web-{i}")
    loop.run(gap)
    recorder.event(rs, "Normal", "SuccessfulDelete", "Deleted pod: web-9")
    assert summary(client)[-1][0].startswith(AGGREGATE_PREFIX) is combined


def test_each_object_has_its_own_budget(world):
    loop, client, rs = world
    other = client.create({**rs, "metadata": {"name": "api"}})
    recorder = EventRecorder(client, "replicaset-controller", clock=lambda: loop.now)
    for i in range(30):
        recorder.event(rs, "Normal", "SuccessfulCreate", f"Created pod: web-{i}")
    assert recorder.event(other, "Normal", "SuccessfulCreate", "Created pod: api-0")["count"] == 1


def test_without_correlation_only_exact_repeats_are_counted(world):
    loop, client, rs = world
    recorder = EventRecorder(client, "default-scheduler", clock=lambda: loop.now, correlate=False)
    for i in range(40):
        recorder.event(rs, "Normal", "Test", f"message {i % 20}")
    assert summary(client) == [(f"message {i}", 2) for i in range(20)]


@pytest.mark.parametrize("ops, expected_keys", [
    ([("add", "a"), ("add", "b"), ("add", "c"), ("add", "d")], ["b", "c", "d"]),
    ([("add", "a"), ("add", "b"), ("add", "c"), ("get", "a"), ("add", "d")], ["c", "a", "d"]),
    ([("add", "a"), ("add", "b"), ("add", "a"), ("add", "c"), ("add", "d")], ["a", "c", "d"]),
    ([("add", "a"), ("add", "b"), ("add", "c"), ("peek", "a"), ("add", "d")], ["b", "c", "d"]),
], ids=[
    "the least recently added key is forgotten past the limit",
    "a lookup makes a key recent again",
    "adding a key again makes it recent again",
    "a peek does not make a key recent",
])
def test_the_lru_cache_forgets_the_least_recently_used_key(ops, expected_keys):
    from k8slearn.api.lru import LRUCache
    cache = LRUCache(max_entries=3)
    for op, key in ops:
        cache.add(key, key.upper()) if op == "add" else getattr(cache, op)(key)
    assert list(cache._data) == expected_keys
    assert [cache.get(k) for k in expected_keys] == [k.upper() for k in expected_keys]


# ---- the memory-saving key layout decides exactly as flat keys do --------------------------------

def _flat_object_key(e):
    o, s = e.get("involvedObject") or {}, e.get("source") or {}
    return (s.get("component", ""), s.get("host", ""), o.get("kind", ""), o.get("namespace", ""),
            o.get("name", ""), o.get("uid", ""), o.get("apiVersion", ""))


class FlatCorrelator:
    """The plain computation: client-go's EventCorrelator with flat keys, unbounded dicts, no sharing."""

    def __init__(self, burst=25, qps=1 / 300, max_events=10, max_interval=600):
        self.burst, self.qps, self.max_events, self.max_interval = burst, qps, max_events, max_interval
        self.spam, self.aggregate, self.observed = {}, {}, {}

    def event_key(self, e):
        return (*_flat_object_key(e), (e.get("involvedObject") or {}).get("fieldPath", ""), e.get("type", ""),
                e.get("reason", ""), e.get("message", ""))

    def correlate(self, e, now):
        akey = (*_flat_object_key(e), e.get("type", ""), e.get("reason", ""), e.get("reportingComponent", ""),
                e.get("reportingInstance", ""))
        messages, last = self.aggregate.get(akey, (None, None))
        if messages is None or now - last > self.max_interval:
            messages = []
        if e["message"] not in messages:
            messages.append(e["message"])
        key = self.event_key(e)
        if len(messages) >= self.max_events:
            messages.pop(0)
            e = {k: v for k, v in e.items() if k not in ("reportingComponent", "reportingInstance", "action")}
            e["message"] = AGGREGATE_PREFIX + e["message"]
            key = akey
        self.aggregate[akey] = (messages, now)
        if key in self.observed:
            name, count, first = self.observed[key]
            e = {**e, "metadata": {**e["metadata"], "name": name}, "count": count + 1, "firstTimestamp": first}
        self.observed[key] = (e["metadata"]["name"], e.get("count", 1), e.get("firstTimestamp"))
        skey = _flat_object_key(e)
        tokens, last = self.spam.get(skey, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + max(0.0, now - last) * self.qps)
        accepted = tokens >= 1.0
        self.spam[skey] = (tokens - 1.0 if accepted else tokens, now)
        return ("skip" if not accepted else "update" if e.get("count", 1) > 1 else "create"), e

    def update_state(self, stored):
        self.observed[self.event_key(stored)] = (stored["metadata"]["name"], stored.get("count", 1),
                                                 stored.get("firstTimestamp"))


def _event(i, obj="web", reason="SuccessfulCreate", message=None, field_path="", host=""):
    ref = {"kind": "ReplicaSet", "namespace": "default", "name": obj, "uid": f"uid-{obj}", "apiVersion": "apps/v1"}
    if field_path:
        ref["fieldPath"] = field_path
    source = {"component": "c", **({"host": host} if host else {})}
    return {"metadata": {"name": f"{obj}.{i:x}", "namespace": "default"}, "involvedObject": ref,
            "reason": reason, "message": message if message is not None else f"Created pod: {obj}-{i}",
            "source": source, "firstTimestamp": f"t{i}", "lastTimestamp": f"t{i}", "count": 1, "type": "Normal",
            "reportingComponent": "c", "reportingInstance": host}


@pytest.mark.parametrize("events", [
    [(_event(i), 0.0) for i in range(40)],
    [(_event(i, message="Back-off restarting failed container", reason="BackOff"), i * 20.0) for i in range(60)],
    [(_event(i, obj=f"o{i % 3}", message=f"m{i % 12}"), i * 7.0) for i in range(90)],
    [(_event(i, field_path=f"spec.containers{{c{i % 2}}}", message="Started", host="node-1"), 0.0)
     for i in range(30)],
    [(_event(i, message=f"m{i}"), 0.0 if i < 9 else 700.0) for i in range(20)],
], ids=[
    "forty different messages about one object: aggregated, then throttled",
    "one repeated message spaced out: counted, throttled, refilled",
    "three objects and twelve messages interleaved over time",
    "repeats that differ only in field path are counted apart",
    "the aggregation window expires and starts again",
])
@pytest.mark.parametrize("as_recorder", [False, True], ids=[
    "called with the event alone",
    "called as the recorder calls it, with the object key and the name's serial",
])
def test_the_correlator_decides_as_the_plain_flat_key_computation(events, as_recorder):
    from k8slearn.client.events_cache import EventCorrelator
    fast, plain = EventCorrelator(), FlatCorrelator()
    for event, now in events:
        if as_recorder:
            serial = int(event["metadata"]["name"].rsplit(".", 1)[1], 16)
            got = fast.correlate(event, now, _flat_object_key(event), serial)
        else:
            got = fast.correlate(event, now)
        want = plain.correlate(event, now)
        assert (got.action, got.event) == want
        if got.action != "skip":
            stored = {**got.event, "metadata": {**got.event["metadata"], "resourceVersion": "1"}}
            fast.update_state(stored, got)
            plain.update_state(stored)


def test_the_table_of_shared_key_parts_stays_bounded_and_decisions_do_not_change():
    from k8slearn.client.events_cache import _KEY_PARTS, MAX_LRU_CACHE_ENTRIES, EventCorrelator
    fast, plain = EventCorrelator(), FlatCorrelator()
    _KEY_PARTS.clear()  # (shared by all correlators: start from an empty table)
    cleared = 0
    # 3,000 reasons (two shared key parts each: the table is cleared once) over 500 objects, then
    # the first reasons again: 3,000 keys in each cache, fewer than the caches' 4,096 (no eviction)
    for i in range(4000):
        event = _event(i, obj=f"o{i % 500}", reason=f"R{i % 3000}", message="x")
        size = len(_KEY_PARTS)
        got, want = fast.correlate(event, 0.0), plain.correlate(event, 0.0)
        assert (got.action, got.event) == want
        assert len(_KEY_PARTS) <= MAX_LRU_CACHE_ENTRIES + 2
        cleared += len(_KEY_PARTS) < size
        if got.action != "skip":
            fast.update_state(got.event, got)
            plain.update_state(got.event)
    assert cleared == 1
    assert [v[1] for v in plain.observed.values()].count(2) == 1000  # the last thousand were repeats


def _renamed(e):
    return {**e, "metadata": {**e["metadata"], "name": "renamed-" + e["metadata"]["name"]}}


@pytest.mark.parametrize("change", [
    _renamed,
    lambda e: {**e, "metadata": {**e["metadata"], "name": 7}},
    lambda e: {**e, "count": e["count"] + 5},
    lambda e: {**e, "firstTimestamp": "t-stored"},
    lambda e: {**e, "message": e["message"] + " (stored)"},
    lambda e: {**e, "involvedObject": {**e["involvedObject"], "resourceVersion": "9"}},
    lambda e: {**e, "involvedObject": {**e["involvedObject"], "uid": "other"}},
    lambda e: {**e, "source": {"component": "c", "host": "elsewhere"}},
    lambda e: {k: v for k, v in e.items() if k != "type"},
], ids=[
    "the server stored another name: repeats take that name",
    "the server stored a name that is not a string: repeats take it as it is",
    "the server stored another count: repeats count on from it",
    "the server stored another first timestamp: repeats keep it",
    "the server stored another message: the stored event is remembered under its own key",
    "the stored involved object differs only where no key looks: the same decisions",
    "the stored involved object has another uid: remembered under that object",
    "the stored source differs: remembered under that source",
    "the stored event has no type: remembered under an empty type",
])
@pytest.mark.parametrize("as_recorder", [False, True], ids=[
    "called with the event alone",
    "called as the recorder calls it",
])
def test_update_state_remembers_what_the_server_stored_as_the_plain_computation(change, as_recorder):
    from k8slearn.client.events_cache import EventCorrelator, _name
    fast, plain = EventCorrelator(), FlatCorrelator()
    # a repeated message, similar messages until they are combined, an event with no type: each stored changed
    events = ([_event(i, message="Back-off", reason="BackOff") for i in range(4)] + [_event(i) for i in range(4, 20)]
              + [{**_event(20, reason="Null"), "type": None}])
    for i, event in enumerate(events):
        key = _flat_object_key(event)
        got = fast.correlate(event, 0.0, key, i) if as_recorder else fast.correlate(event, 0.0)
        want = plain.correlate(event, 0.0)
        assert (got.action, got.event) == want
        stored = change({**got.event, "metadata": {**got.event["metadata"], "resourceVersion": "1"}})
        fast.update_state(stored, got)
        plain.update_state(stored)
    # what each remembers: flat keys, and the names the remembered serials stand for
    remembered = {(*k[0], *k[1], k[2]): (_name(v[0], k), *v[1:]) for k, v in fast._observed._data.items()}
    assert remembered == plain.observed


def test_one_objects_keys_share_one_object_key_tuple():
    from k8slearn.client.events_cache import EventCorrelator
    c = EventCorrelator()
    for i, reason in enumerate(("Pulled", "Created", "Started")):
        r = c.correlate(_event(i, reason=reason, message=reason, host="node-1"), 0.0)
        c.update_state({**r.event}, r)
    object_keys = [k[0] for k in c._aggregate] + [k[0] for k in c._observed] + list(c._spam)
    assert len(object_keys) == 7
    assert all(k is object_keys[0] for k in object_keys)


@pytest.mark.parametrize("stored_change, kept", [
    ({}, True),
    ({"message": "changed by someone else"}, False),
], ids=[
    "a stored event equal to the written one keeps the correlator's own key",
    "a stored event that differs is remembered under its own key",
])
def test_update_state_keeps_its_own_key_only_when_equal(stored_change, kept):
    from k8slearn.client.events_cache import EventCorrelator, get_event_key
    c = EventCorrelator()
    r = c.correlate(_event(1), 0.0)
    stored = {**r.event, **stored_change}
    c.update_state(stored, r)
    key = next(k for k in c._observed if k == get_event_key(stored))
    assert (key is r.event_key) is kept
