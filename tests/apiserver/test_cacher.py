"""The watch cache: lists in key order, selectors, the nodeName index, writes made straight into etcd."""

import json

import pytest
from apiserver_builders import expect_error, new_server, node, pod, service

from k8slearn.api.meta import FrozenDict


def names(items):
    return [(o["metadata"].get("namespace"), o["metadata"]["name"]) for o in items]


def test_list_is_in_etcd_key_order(api):
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a-b"}})
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}})
    pods = (("default", "z"), ("a", "y"), ("a-b", "x"), ("default", "b"), ("a", "web-10"), ("a", "web-9"))
    for ns, name in pods:
        api.create(pod(name, namespace=ns))
    # "/registry/pods/a-b/..." sorts before "/registry/pods/a/..." because '-' < '/'.
    assert names(api.list("pods")) == [("a-b", "x"), ("a", "web-10"), ("a", "web-9"), ("a", "y"),
                                       ("default", "b"), ("default", "z")]


def test_list_hands_out_the_cached_read_only_objects_without_copying(api):
    api.create(pod("a"))
    first, second = api.list("pods"), api.list("pods")
    assert first[0] is second[0] and isinstance(first[0], FrozenDict)
    with pytest.raises(TypeError):
        first[0]["metadata"]["labels"] = {}


def test_list_with_version_gives_the_revision_to_watch_from(server, api):
    api.create(pod("a"))
    items, rv = api.list_with_version("pods")
    assert rv == server.resource_version == items[0]["metadata"]["resourceVersion"]


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, [("default", "a"), ("default", "b"), ("kube-system", "c")]),
        ({"namespace": "kube-system"}, [("kube-system", "c")]),
        ({"label_selector": "tier in (db,cache)"}, [("default", "b"), ("kube-system", "c")]),
        ({"label_selector": "!tier"}, [("default", "a")]),
        ({"field_selector": "spec.nodeName=node-1"}, [("default", "a"), ("kube-system", "c")]),
        ({"field_selector": "spec.nodeName=node-1", "namespace": "default"}, [("default", "a")]),
        ({"field_selector": "metadata.name!=a,spec.nodeName!=node-2"}, [("kube-system", "c")]),
        ({"field_selector": "spec.nodeName=node-1", "label_selector": "tier=cache"}, [("kube-system", "c")]),
    ],
    ids=[
        "a list without selectors returns every pod",
        "a namespaced list returns one namespace",
        "a set-based label selector matches either value",
        "a does-not-exist label selector matches pods without the label",
        "a spec.nodeName field selector is served from the node index",
        "the node index combines with a namespace",
        "field selectors with != exclude",
        "a field and a label selector apply together",
    ],
)
def test_list_selection(api, kwargs, expected):
    api.create(pod("a", nodeName="node-1"))
    api.create(pod("b", nodeName="node-2", labels={"tier": "db"}))
    api.create(pod("c", namespace="kube-system", nodeName="node-1", labels={"tier": "cache"}))
    assert names(api.list("pods", **kwargs)) == expected


def test_the_node_index_follows_binding_and_deletion(api):
    api.create(pod("a"))
    assert names(api.list("pods", field_selector="spec.nodeName=")) == [("default", "a")]
    api.bind("a", "default", "node-3")
    assert names(api.list("pods", field_selector="spec.nodeName=")) == []
    assert names(api.list("pods", field_selector="spec.nodeName=node-3")) == [("default", "a")]
    api.delete("pods", "a", grace_period_seconds=0)
    assert api.list("pods", field_selector="spec.nodeName=node-3") == []


def test_a_node_pinned_watch_never_sees_other_nodes_pods(server):
    kubelets = {n: server.client(f"kubelet/{n}").watch("pods", field_selector=f"spec.nodeName={n}")
                for n in ("node-1", "node-2")}
    api = server.client("kubectl")
    for i in range(5):
        api.create(pod(f"p{i}", nodeName="node-1"))
    assert len(kubelets["node-1"]) == 5 and len(kubelets["node-2"]) == 0
    assert server.cacher.cache("pods").node_watches.keys() == {"node-1", "node-2"}


def test_a_cluster_scoped_list_ignores_the_namespace(api):
    api.create(node("n1"))
    assert names(api.list("nodes", namespace="default")) == [(None, "n1")]


def test_a_list_is_traced_with_its_size_and_selectors(server, api):
    api.create(pod("a"))
    api.list("pods", namespace="default", label_selector="app=web")
    step = server.loop.trace[-1]
    assert (step.action, step.object, step.detail) == (
        "list", "pods", "0 items, namespace default, -l app=web")


def test_a_write_straight_into_etcd_shows_up_in_the_api_server(server, api):
    watch = api.watch("configmaps")
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "sneaky", "namespace": "default"}}
    rev = server.store.put("/registry/configmaps/default/sneaky", json.dumps(obj))
    assert names(api.list("configmaps")) == [("default", "sneaky")]
    assert api.get("configmaps", "sneaky")["metadata"]["resourceVersion"] == str(rev)
    server.store.delete("/registry/configmaps/default/sneaky")
    assert [t for t, _ in watch] == ["ADDED", "DELETED"] and api.list("configmaps") == []


def test_a_value_that_is_not_json_is_skipped_by_the_cache_and_an_error_for_get(server, api):
    server.store.put("/registry/configmaps/default/junk", "not json")
    assert api.list("configmaps") == []
    expect_error(server, lambda: api.get("configmaps", "junk"), 500, "InternalError")


def test_keys_outside_served_resources_are_ignored(server, api):
    server.store.put("/registry/ranges/serviceips", "{}")
    server.store.put("/other/thing", "{}")
    assert api.list("pods") == []


def test_a_new_server_on_an_existing_store_lists_what_is_there(server, api):
    api.create(pod("a"))
    api.create(service("web"))
    restarted = type(server)(server.store, server.loop)
    assert names(restarted.client("x").list("pods")) == [("default", "a")]


def test_get_reads_a_mutable_copy(api):
    api.create(pod("a"))
    got = api.get("pods", "a")
    got["metadata"]["name"] = "changed"
    assert api.get("pods", "a")["metadata"]["name"] == "a"


@pytest.mark.parametrize(
    "resource, name, kwargs, code, reason, message",
    [
        ("pods", "ghost", {}, 404, "NotFound", 'pods "ghost" not found'),
        ("deployments", "ghost", {}, 404, "NotFound", 'deployments.apps "ghost" not found'),
        ("gizmos", "x", {}, 404, "NotFound", "the server could not find the requested resource"),
    ],
    ids=[
        "a missing pod is not found",
        "a missing deployment names its group",
        "an unknown resource is not found",
    ],
)
def test_refused_gets(server, api, resource, name, kwargs, code, reason, message):
    expect_error(server, lambda: api.get(resource, name, **kwargs), code, reason, message)


def test_an_unsupported_field_selector_is_refused_for_lists(server, api):
    expect_error(server, lambda: api.list("pods", field_selector="spec.foo=bar"), 400, "BadRequest",
                 "field label not supported: spec.foo")
    expect_error(server, lambda: api.list("nodes", field_selector="metadata.namespace=x"), 400, "BadRequest",
                 "field label not supported: metadata.namespace")


def test_the_same_seed_gives_the_same_uids_names_and_addresses():
    def run(seed):
        server = new_server(seed=seed)
        api = server.client("kubectl")
        p = api.create(pod("", generateName="web-"))
        s = api.create(service("web", type_="NodePort"))
        return (p["metadata"]["uid"], p["metadata"]["name"], s["spec"]["clusterIP"],
                s["spec"]["ports"][0]["nodePort"], server.loop.trace_text())

    assert run(7) == run(7)
    assert run(7)[:4] != run(8)[:4]
