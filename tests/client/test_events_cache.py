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
], ids=[
    "the least recently added key is forgotten past the limit",
    "a lookup makes a key recent again",
    "adding a key again makes it recent again",
])
def test_the_lru_cache_forgets_the_least_recently_used_key(ops, expected_keys):
    from k8slearn.api.lru import LRUCache
    cache = LRUCache(max_entries=3)
    for op, key in ops:
        cache.add(key, key.upper()) if op == "add" else cache.get(key)
    assert list(cache._data) == expected_keys
    assert [cache.get(k) for k in expected_keys] == [k.upper() for k in expected_keys]
