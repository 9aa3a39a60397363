"""client-go, small: informers, listers, the workqueue and the event recorder."""

import pytest

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import freeze
from k8slearn.apiserver import APIServer
from k8slearn.client import informer
from k8slearn.client.cache import meta_key
from k8slearn.client.informer import SharedInformerFactory
from k8slearn.client.record import EventRecorder
from k8slearn.client.workqueue import ItemExponentialFailureRateLimiter, WorkQueue
from k8slearn.etcd import MVCCStore
from k8slearn.sim import Loop


def pod(name, labels=None, node=""):
    spec = {"containers": [{"name": "c", "image": "nginx"}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels or {}}, "spec": spec}


@pytest.fixture
def world():
    loop = Loop(seed=0)
    server = APIServer(MVCCStore(), loop)
    client = server.client("test")
    client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
    return loop, client


def recording_informer(client, **kwargs):
    informer = SharedInformerFactory(client).informer("pods", **kwargs)
    seen = []
    informer.add_event_handler(
        on_add=lambda o: seen.append(("add", o["metadata"]["name"])),
        on_update=lambda old, new: seen.append(("update", new["metadata"]["name"])),
        on_delete=lambda o: seen.append(("delete", o["metadata"]["name"])),
    )
    return informer, seen


def test_an_informer_lists_then_watches_and_keeps_its_cache_in_step(world):
    loop, client = world
    client.create(pod("a"))
    informer, seen = recording_informer(client)
    informer.run()
    client.create(pod("b"))
    client.patch("pods", "a", {"metadata": {"labels": {"x": "1"}}}, patch_type="merge")
    client.delete("pods", "b")
    loop.settle()
    # deleting even an unbound pod first writes deletionTimestamp (grace 0), as upstream's store does
    assert seen == [("add", "a"), ("add", "b"), ("update", "a"), ("update", "b"), ("delete", "b")]
    assert [o["metadata"]["name"] for o in informer.lister.list()] == ["a"]
    assert informer.lister.get("a", "default")["metadata"]["labels"] == {"x": "1"}


def test_cached_objects_cannot_be_changed_by_accident(world):
    loop, client = world
    client.create(pod("a", labels={"app": "web"}))
    informer, _ = recording_informer(client)
    informer.run()
    cached = informer.lister.get("a", "default")
    with pytest.raises(TypeError, match="read-only"):
        cached["metadata"]["labels"]["x"] = "1"


def test_a_restarted_informer_reports_what_changed_while_it_was_stopped(world):
    loop, client = world
    client.create(pod("a"))
    client.create(pod("b"))
    informer, seen = recording_informer(client)
    informer.run()
    informer.stop()
    client.delete("pods", "a")
    client.create(pod("c"))
    loop.settle()
    seen.clear()
    informer.run()
    assert sorted(seen) == [("add", "c"), ("delete", "a"), ("update", "b")]


def test_a_field_selector_informer_sees_only_its_nodes_pods_and_a_binding_as_an_add(world):
    loop, client = world
    client.create(pod("a"))
    informer, seen = recording_informer(client, field_selector="spec.nodeName=node-1")
    informer.run()
    client.create(pod("elsewhere", node="node-2"))
    client.bind("a", "default", "node-1")
    loop.settle()
    assert seen == [("add", "a")]


def test_a_lister_filters_by_label_selector_in_key_order(world):
    loop, client = world
    for name, app in (("c", "web"), ("a", "web"), ("b", "db")):
        client.create(pod(name, {"app": app}))
    informer, _ = recording_informer(client)
    informer.run()
    assert [o["metadata"]["name"] for o in informer.lister.list(selector="app=web")] == ["a", "c"]


@pytest.mark.parametrize(
    "actions, queued, processing",
    [
        ([("add", "x"), ("add", "x")], ["x"], []),
        ([("add", "x"), ("pop",), ("add", "x")], [], ["x"]),
        ([("add", "x"), ("pop",), ("add", "x"), ("done", "x")], ["x"], []),
        ([("add", "x"), ("add", "y"), ("pop",)], ["y"], ["x"]),
    ],
    ids=[
        "adding a key twice queues it once",
        "a key changed while being processed waits in dirty, not in the queue",
        "when its worker is done, a dirty key is queued again",
        "keys come out first-in-first-out",
    ],
)
def test_workqueue_dirty_and_processing_sets(actions, queued, processing):
    q = WorkQueue(Loop(), "test")
    for action in actions:
        if action[0] == "add":
            q.add(action[1])
        elif action[0] == "pop":
            q.pop()
        else:
            q.done(action[1])
    assert list(q.queue) == queued
    assert sorted(q.processing) == processing


def test_a_shut_down_queue_hands_out_what_it_holds_then_tells_workers_to_return():
    loop = Loop()
    q = WorkQueue(loop, "test")
    q.add("x")
    q.add_after("later", 1.0)
    q.shut_down()
    q.add("y")
    loop.run(2)
    assert (q.shutting_down(), list(q.queue), q.waiting) == (True, ["x"], {})
    assert [q.get().value, q.get().value] == ["x", None]


def test_a_worker_waiting_on_the_queue_returns_when_it_is_shut_down(world):
    from k8slearn.controllers.base import Controller

    loop, client = world
    synced = []

    class Demo(Controller):
        name = "demo"

        def sync(self, key):
            synced.append(key)

    demo = Demo(loop, client)
    demo.run()
    demo.queue.add("default/a")
    loop.run(1)
    demo.queue.shut_down()
    loop.run(1)
    assert synced == ["default/a"]
    assert not any(p.alive for p in demo._processes)


def test_stopping_a_controller_stops_the_informers_it_made_but_not_a_shared_factory(world):
    from k8slearn.controllers.base import Controller

    loop, client = world
    shared = SharedInformerFactory(client)
    own, borrowing = Controller(loop, client), Controller(loop, client, informers=shared)
    for controller in (own, borrowing):
        controller.informers.informer("pods")
        controller.run()
    loop.run(1)
    own.stop()
    borrowing.stop()
    assert own.informers.informer("pods").watch is None
    assert shared.informer("pods").watch is not None


def test_rate_limited_requeues_back_off_exponentially_until_forgotten():
    limiter = ItemExponentialFailureRateLimiter(base_delay=0.005, max_delay=1000.0)
    assert [limiter.when("k") for _ in range(4)] == [0.005, 0.01, 0.02, 0.04]
    limiter.forget("k")
    assert limiter.when("k") == 0.005
    assert ItemExponentialFailureRateLimiter(1.0, 5.0).when("k") == 1.0


def test_add_rate_limited_waits_before_the_key_comes_back():
    loop = Loop()
    q = WorkQueue(loop, "test")
    q.add_rate_limited("k")
    assert len(q) == 0
    loop.run(0.006)
    assert list(q.queue) == ["k"]


def test_the_recorder_counts_repeats_instead_of_creating_new_events(world):
    loop, client = world
    target = client.create(pod("a"))
    recorder = EventRecorder(client, "kubelet", host="node-1", clock=lambda: loop.now)
    recorder.event(target, "Warning", "BackOff", "Back-off restarting failed container")
    loop.run(10)
    again = recorder.event(target, "Warning", "BackOff", "Back-off restarting failed container")
    events = client.list("events", namespace="default")
    assert len(events) == 1 and again["count"] == 2
    assert events[0]["source"] == {"component": "kubelet", "host": "node-1"}
    assert events[0]["involvedObject"]["name"] == "a"
    assert events[0]["firstTimestamp"] != events[0]["lastTimestamp"]


def test_the_recorder_never_raises_when_the_write_fails(world):
    loop, client = world
    recorder = EventRecorder(client, "test")
    orphan = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "namespace": "missing", "uid": "u"}}
    assert recorder.event(orphan, "Normal", "Test", "hello") is None
    with pytest.raises(ApiError):
        client.get("pods", "x", "missing")


@pytest.mark.parametrize(
    "objects, want",
    [
        pytest.param([{"metadata": {"namespace": "default", "name": "web"}}], ["default/web"],
                     id="a namespaced object's key is namespace/name"),
        pytest.param([{"metadata": {"name": "node-1"}}], ["node-1"], id="a cluster-scoped object's key is its name"),
        pytest.param([{"metadata": {"namespace": "a", "name": "x"}}, {"metadata": {"namespace": "b", "name": "x"}},
                      {"metadata": {"namespace": "a", "name": "x"}}], ["a/x", "b/x", "a/x"],
                     id="objects asked about in turn get their own keys"),
    ],
)
def test_the_informer_key_of_a_frozen_object_is_its_meta_key_and_is_shared(objects, want):
    frozen = [freeze(o) for o in objects]
    keys = [informer._key(o) for o in frozen]
    assert keys == want == [meta_key(o) for o in objects]
    assert informer._key(frozen[-1]) is keys[-1]  # asked again (the next informer): the same string


def test_the_informer_key_of_a_changed_plain_object_follows_the_change():
    obj = {"metadata": {"namespace": "default", "name": "a"}}
    assert informer._key(obj) == "default/a"
    obj["metadata"]["name"] = "b"
    assert informer._key(obj) == "default/b"
