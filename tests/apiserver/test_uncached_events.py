"""Events are not watch-cached (kube-apiserver's default): lists read etcd, watches decode changes."""

import json

import pytest
from apiserver_builders import new_server, pod

from k8slearn.etcd.packed import PackedKeyValue


def event(name, obj_name, reason="Started", namespace="default"):
    return {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": namespace},
            "involvedObject": {"kind": "Pod", "name": obj_name, "namespace": namespace},
            "reason": reason, "message": f"{reason} {obj_name}", "type": "Normal", "count": 1}


@pytest.fixture
def server():
    server = new_server()
    api = server.client("kubectl")
    api.create(pod("a"))
    for i, (obj, reason) in enumerate([("a", "Scheduled"), ("a", "Started"), ("b", "Started")]):
        api.create(event(f"e{i}", obj, reason))
    return server


def test_the_cache_holds_revisions_and_etcd_holds_the_events_packed(server):
    cache, store = server.cacher.cache("events"), server.cacher.store
    assert cache.objects and all(v.__class__ is int for v in cache.objects.values())
    assert {key: store.get(key).mod_revision for key in cache.objects} == cache.objects
    assert all(store._current[key].__class__ is PackedKeyValue for key in cache.objects)
    assert store._current["/registry/namespaces/default"].__class__ is not PackedKeyValue
    assert not any(v.__class__ is int for v in server.cacher.cache("pods").objects.values())


def test_etcd_keeps_the_newest_pod_packed_and_reads_give_its_bytes(server):
    store, key = server.cacher.store, "/registry/pods/default/a"
    api = server.client("kubelet")
    written = api.get("pods", "a")
    api.update_status({**written, "status": {**written["status"], "phase": "Running"}})
    assert store._current[key].__class__ is PackedKeyValue
    newest = store.get(key)
    assert newest.value.__class__ is bytes and b'"phase":"Running"' in newest.value
    assert server.cacher.cache("pods").get(key)["status"]["phase"] == "Running"
    before = store.get(key, revision=newest.mod_revision - 1)
    assert before.mod_revision == int(written["metadata"]["resourceVersion"])
    assert json.loads(before.value)["status"] == {k: v for k, v in written["status"].items()}


@pytest.mark.parametrize("field_selector, namespace, expected", [
    (None, None, ["e0", "e1", "e2"]),
    ("involvedObject.name=a", "default", ["e0", "e1"]),
    ("reason=Started", None, ["e1", "e2"]),
    ("involvedObject.name=a", "kube-system", []),
], ids=[
    "a list of every event decodes all of them in key order",
    "a field selector on the involved object picks that pod's events",
    "a field selector on the reason works across namespaces",
    "another namespace has none",
])
def test_lists_of_events_decode_and_filter(server, field_selector, namespace, expected):
    items = server.client("kubectl").list("events", namespace=namespace, field_selector=field_selector)
    assert [e["metadata"]["name"] for e in items] == expected
    assert all(e["metadata"]["resourceVersion"] for e in items)


def test_a_watch_on_events_hears_adds_updates_and_deletes(server):
    api = server.client("kubectl")
    heard = []
    api.watch("events", namespace="default",
              handler=lambda kind, obj: heard.append((kind, obj["metadata"]["name"], obj.get("count"))))
    api.create(event("e3", "a", "Killing"))
    e3 = api.get("events", "e3", "default")
    e3["count"] = 2
    api.update(e3)
    api.delete("events", "e3", "default")
    server.loop.run(1)
    assert heard == [("ADDED", "e0", 1), ("ADDED", "e1", 1), ("ADDED", "e2", 1),
                     ("ADDED", "e3", 1), ("MODIFIED", "e3", 2), ("DELETED", "e3", 2)]


def test_events_are_read_back_after_a_compaction_passed_their_revisions(server):
    api, store = server.client("kubectl"), server.cacher.store
    api.create(pod("later"))
    store.compact(store.revision)
    assert [e["metadata"]["name"] for e in api.list("events")] == ["e0", "e1", "e2"]
    assert api.get("events", "e1", "default")["reason"] == "Started"


def test_a_selected_watch_hears_an_event_leave_its_selection_with_the_old_object(server):
    api = server.client("kubectl")
    heard = []
    api.watch("events", namespace="default", field_selector="reason=Scheduled",
              handler=lambda kind, obj: heard.append((kind, obj["metadata"]["name"], obj["reason"])))
    e0 = api.get("events", "e0", "default")
    e0["reason"] = "Pulled"
    api.update(e0)
    server.loop.run(1)
    assert heard == [("ADDED", "e0", "Scheduled"), ("DELETED", "e0", "Scheduled")]
