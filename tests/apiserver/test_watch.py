"""Watches: initial events, replay from a resourceVersion, expiry, selectors, delivery through the loop."""

import pytest
from apiserver_builders import configmap, expect_error, pod

from k8slearn.api.meta import FrozenDict


def kinds(watch):
    return [(t, o["metadata"]["name"]) for t, o in watch]


def test_a_watch_from_zero_starts_with_an_added_event_per_object_in_key_order(api):
    for name in ("b", "a"):
        api.create(pod(name))
    api.create(pod("c", namespace="kube-system"))
    watch = api.watch("pods", resource_version="0")
    assert kinds(watch) == [("ADDED", "a"), ("ADDED", "b"), ("ADDED", "c")]
    api.create(pod("d"))
    assert kinds(watch) == [("ADDED", "d")]


def test_iterating_a_watch_drains_what_is_buffered_and_never_blocks(api):
    watch = api.watch("pods")
    assert list(watch) == []
    api.create(pod("a"))
    assert len(watch) == 1 and kinds(watch) == [("ADDED", "a")] and list(watch) == []


def test_a_watch_from_a_resource_version_replays_the_changes_after_it(server, api):
    api.create(pod("a"))
    items, rv = api.list_with_version("pods")
    api.create(pod("b"))
    current = api.get("pods", "a")
    current["metadata"]["labels"] = {"x": "y"}
    api.update(current)
    api.delete("pods", "b")
    watch = api.watch("pods", resource_version=rv)
    assert [name for name in (o["metadata"]["name"] for o in items)] == ["a"]
    assert kinds(watch) == [("ADDED", "b"), ("MODIFIED", "a"), ("MODIFIED", "b"), ("DELETED", "b")]
    api.create(pod("c"))
    assert kinds(watch) == [("ADDED", "c")]


def test_a_deleted_event_carries_the_last_state_at_the_deletes_revision(server, api):
    api.create(configmap("cfg"))
    watch = api.watch("configmaps", resource_version=server.resource_version)
    api.delete("configmaps", "cfg")
    [(kind, obj)] = list(watch)
    assert kind == "DELETED" and obj["data"] == {"k": "v"}
    assert obj["metadata"]["resourceVersion"] == server.resource_version


def test_a_resource_version_older_than_the_compaction_has_expired(server, api):
    api.create(pod("a"))
    old = server.resource_version
    api.create(pod("b"))
    api.create(pod("c"))
    server.store.compact(server.store.revision)
    compacted = server.store.compact_revision
    expect_error(server, lambda: api.watch("pods", resource_version=old), 410, "Expired",
                 f"too old resource version: {old} ({compacted - 1})")


def test_a_resource_version_from_the_future_times_out(server, api):
    future = int(server.resource_version) + 10
    expect_error(server, lambda: api.watch("pods", resource_version=str(future)), 504, "Timeout",
                 f"Too large resource version: {future}, current: {server.resource_version}")


@pytest.mark.parametrize(
    "kwargs, changes, expected",
    [
        ({"namespace": "kube-system"}, [("create", pod("a")), ("create", pod("b", namespace="kube-system"))],
         [("ADDED", "b")]),
        ({"label_selector": "app=web"},
         [("create", pod("a", labels={"app": "web"})), ("create", pod("b", labels={"app": "db"}))],
         [("ADDED", "a")]),
        ({"label_selector": "app=web"},
         [("create", pod("a", labels={"app": "db"})), ("label", ("a", {"app": "web"})),
          ("label", ("a", {"app": "db"}))],
         [("ADDED", "a"), ("DELETED", "a")]),
        ({"field_selector": "spec.nodeName=node-1"},
         [("create", pod("a")), ("bind", ("a", "node-1")), ("create", pod("b", nodeName="node-2"))],
         [("ADDED", "a")]),
        ({"field_selector": "spec.nodeName="},
         [("create", pod("a")), ("bind", ("a", "node-1"))],
         [("ADDED", "a"), ("DELETED", "a")]),
        ({"field_selector": "status.phase!=Running"},
         [("create", pod("a")), ("phase", ("a", "Running"))],
         [("ADDED", "a"), ("DELETED", "a")]),
    ],
    ids=[
        "a namespaced watch sees only its namespace",
        "a label selector filters events",
        "an object whose labels start and stop matching is ADDED, then DELETED, for that watcher",
        "a kubelet's spec.nodeName watch sees a pod appear when it is bound to its node",
        "the scheduler's unassigned-pod watch sees a bound pod leave",
        "a field selector on status.phase follows status updates",
    ],
)
def test_watch_selection(server, api, kwargs, changes, expected):
    watch = api.watch("pods", **kwargs)
    for verb, arg in changes:
        if verb == "create":
            api.create(arg)
        elif verb == "bind":
            api.bind(arg[0], "default", arg[1])
        elif verb == "label":
            current = api.get("pods", arg[0])
            current["metadata"]["labels"] = arg[1]
            api.update(current)
        elif verb == "phase":
            current = api.get("pods", arg[0])
            current["status"]["phase"] = arg[1]
            api.update_status(current)
    assert kinds(watch) == expected


def test_watch_objects_are_read_only(api):
    watch = api.watch("pods")
    api.create(pod("a"))
    [(_, obj)] = list(watch)
    assert isinstance(obj, FrozenDict)
    with pytest.raises(TypeError):
        obj["metadata"]["name"] = "b"


def test_a_handler_is_called_through_the_loop_and_each_delivery_is_traced(server):
    seen = []
    kubelet = server.client("kubelet/node-1")
    kubelet.watch("pods", field_selector="spec.nodeName=node-1", handler=lambda t, o: seen.append(
        (server.loop.now, t, o["metadata"]["name"])))
    server.client("kubectl").create(pod("web", nodeName="node-1"))
    assert seen == []  # nothing happens until the loop runs
    rv = server.resource_version
    server.loop.settle()
    assert seen == [(0.001, "ADDED", "web")]
    step = server.loop.trace[-1]
    assert (step.time, step.component, step.action, step.object, step.detail) == (
        0.001, "kubelet/node-1", "watch", "pod/default/web", f"ADDED rv={rv}")


def test_handler_deliveries_keep_their_order(server):
    seen = []
    api = server.client("kubectl")
    api.watch("pods", handler=lambda t, o: seen.append((t, o["metadata"]["name"])))
    api.create(pod("a"))
    api.create(pod("b"))
    api.delete("pods", "a")
    server.loop.settle()
    assert seen == [("ADDED", "a"), ("ADDED", "b"), ("MODIFIED", "a"), ("DELETED", "a")]


def test_a_stopped_watch_receives_nothing_more_even_what_was_already_scheduled(server):
    seen = []
    api = server.client("kubectl")
    watch = api.watch("pods", handler=lambda t, o: seen.append(t))
    api.create(pod("a"))
    watch.stop()
    api.create(pod("b"))
    server.loop.settle()
    assert seen == []


def test_opening_a_watch_is_traced(server):
    server.client("kube-scheduler").watch("pods", resource_version=server.resource_version,
                                          field_selector="spec.nodeName=")
    step = server.loop.trace[-1]
    assert (step.component, step.action, step.object, step.detail) == (
        "kube-scheduler", "watch", "pods",
        f"from rv {server.resource_version}, --field-selector spec.nodeName=")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"field_selector": "spec.foo=bar"}, "field label not supported: spec.foo"),
        ({"label_selector": "app in (web"}, "unable to parse requirement: found '', expected: ',' or ')'"),
        ({"resource_version": "abc"}, "invalid resource version: abc"),
    ],
    ids=[
        "an unsupported field selector is a bad request with the upstream text",
        "a malformed label selector is a bad request",
        "a resourceVersion that is not a number is a bad request",
    ],
)
def test_refused_watches(server, api, kwargs, message):
    expect_error(server, lambda: api.watch("pods", **kwargs), 400, "BadRequest", message)


_POD = {"metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}}, "spec": {}}


@pytest.mark.parametrize(
    "obj, old",
    [(_POD, None), (_POD, _POD), (None, _POD), (None, None)],
    ids=["a new object is ADDED", "a changed object is MODIFIED", "a deleted object is DELETED",
         "no object before or after is nothing"],
)
def test_a_watch_without_selectors_sees_what_convert_event_says(obj, old):
    from k8slearn.apiserver.watch import Selection, Watch, convert_event

    watch = Watch(None, "pods", "pod", Selection(), "tester")
    assert watch._everything
    watch.notify(obj, old, 9)
    expected = convert_event(Selection(), obj, old)
    got = [(kind, o["metadata"].get("resourceVersion")) for kind, o in watch]
    rv = "9" if expected == "DELETED" else None  # a deletion carries the delete's resourceVersion
    assert got == ([] if expected is None else [(expected, rv)])
