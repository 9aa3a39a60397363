"""The watch cache's name and node indexes give exactly what offering every change to every watch gives."""

import json

import pytest
from apiserver_builders import new_server, node, pod

from k8slearn.apiserver.watch import convert_event

WATCHES = [  # (actor, resource, field selector, label selector, namespace)
    ("everything", "nodes", None, None, None),
    ("kubelet/n1", "nodes", "metadata.name=n1", None, None),
    ("kubelet/n2", "nodes", "metadata.name==n2", None, None),
    ("not-n1", "nodes", "metadata.name!=n1", None, None),
    ("n1-labelled", "nodes", "metadata.name=n1", "tier=a", None),
    ("impossible", "nodes", "metadata.name=n1,metadata.name=n2", None, None),
    ("pods", "pods", None, None, None),
    ("pod-a", "pods", "metadata.name=a", None, "default"),
    ("pod-a-anywhere", "pods", "metadata.name=a", None, None),
    ("kubelet-pods/n1", "pods", "spec.nodeName=n1", None, None),
    ("pod-a-on-n1", "pods", "spec.nodeName=n1,metadata.name=a", None, None),
    ("late-n1", "nodes", "metadata.name=n1", None, None),
]


def labelled(obj, **labels):
    obj["metadata"]["labels"] = labels
    return obj


def changes(server):
    """Writes through the API and straight into etcd, including objects whose name is not their key's."""
    api = server.client("kubectl")
    api.create(node("n1"))
    api.create(labelled(node("n2"), tier="a"))
    api.patch("nodes", "n1", {"metadata": {"labels": {"tier": "a"}}}, None)
    api.create(pod("a"))
    api.create(pod("a", namespace="kube-system"))
    api.create(pod("b"))
    api.bind("a", "default", "n1")
    api.bind("b", "default", "n2")
    odd = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}
    server.store.put("/registry/minions/imposter", json.dumps(odd))  # a node named n1 under another key
    renamed = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n2"}}
    server.store.put("/registry/minions/imposter", json.dumps(renamed))  # ... now named n2
    server.store.delete("/registry/minions/imposter")
    api.delete("nodes", "n2", None)
    api.delete("pods", "a", "kube-system")


def run_with_index(seed=0):
    server = new_server(seed=seed)
    log, offered = [], []
    server.cacher.listeners.append(lambda info, obj, old: offered.append((info.plural, obj, old)))
    watches = []
    for actor, resource, fields, labels, ns in WATCHES:
        def handler(kind, obj, actor=actor):
            log.append((actor, kind, obj["metadata"]["name"]))
        w = server.client(actor).watch(resource, namespace=ns, field_selector=fields, label_selector=labels,
                                       handler=handler)
        watches.append(w)
    changes(server)
    server.loop.run(1)
    return log, offered, watches


def reference_log(offered, watches):
    """Every change offered to every watch, in registration order; pods' node-pinned watches last."""
    expected = []
    for resource, obj, old in offered:
        mine = [w for w in watches if w.resource == resource]
        ordered = [w for w in mine if w.node_name is None] + [w for w in mine if w.node_name is not None]
        for w in ordered:
            if w.node_name is not None:
                before = None if old is None else (old.get("spec") or {}).get("nodeName") or ""
                after = None if obj is None else (obj.get("spec") or {}).get("nodeName") or ""
                if w.node_name not in (before, after):
                    continue
            kind = convert_event(w.selection, obj, old)
            if kind is not None:
                expected.append((w.actor, kind, (obj if kind != "DELETED" else old)["metadata"]["name"]))
    return expected


def test_indexed_watches_hear_what_every_watch_offered_every_change_would_hear_in_the_same_order():
    log, offered, watches = run_with_index()
    assert log == reference_log(offered, watches)
    heard = {actor for actor, _, _ in log}
    assert {"kubelet/n1", "kubelet/n2", "pod-a", "kubelet-pods/n1", "late-n1"} <= heard
    assert "impossible" not in heard


def test_a_name_pinned_watch_is_indexed_and_leaves_the_index_when_stopped(server):
    w = server.client("kubelet/n1").watch("nodes", field_selector="metadata.name=n1")
    cache = server.cacher.cache("nodes")
    assert cache.name_watches == {"n1": [w]} and w not in cache.watches
    w.stop()
    assert cache.name_watches == {}


SELECTIONS = [
    ("nodes", None, "metadata.name=n1"),
    ("nodes", None, "metadata.name=n2"),
    ("nodes", None, "metadata.name=missing"),
    ("nodes", None, "metadata.name=n1,metadata.name!=n1"),
    ("nodes", None, "metadata.name=a/b"),
    ("pods", "default", "metadata.name=a"),
    ("pods", "kube-system", "metadata.name=a"),
    ("pods", None, "metadata.name=a"),
    ("pods", "default", "metadata.name="),
    ("pods", "def", "metadata.name=a"),
    ("pods", "a/b", "metadata.name=b/c"),
    ("pods", "a", "metadata.name=b/c"),
]


@pytest.mark.parametrize("resource, namespace, fields", SELECTIONS,
                         ids=[f"listing {r} in {ns or 'every namespace'} with {f} finds what a scan finds"
                              for r, ns, f in SELECTIONS])
def test_a_list_by_name_finds_exactly_what_a_scan_finds(resource, namespace, fields):
    server = new_server()
    api = server.client("kubectl")
    api.create(node("n1"))
    api.create(node("n2"))
    api.create(pod("a"))
    api.create(pod("a", namespace="kube-system"))
    api.create(pod("b"))
    strays = {
        "/registry/minions/imposter": {"kind": "Node", "metadata": {"name": "n1"}},
        "/registry/minions/a/b": {"kind": "Node", "metadata": {"name": "a/b"}},
        "/registry/minions": {"kind": "Node", "metadata": {"name": "n2"}},
        "/registry/pods/default/x/a": {"kind": "Pod", "metadata": {"name": "a", "namespace": "default"}},
        "/registry/pods/default/c": {"kind": "Pod", "metadata": {"name": "a", "namespace": "default"}},
        "/registry/pods/default/nameless": {"kind": "Pod", "metadata": {"namespace": "default"}},
        "/registry/pods/default": {"kind": "Pod", "metadata": {"name": "a", "namespace": "default"}},
        "/registry/pods/defaultish/a": {"kind": "Pod", "metadata": {"name": "a", "namespace": "def"}},
        "/registry/pods/a/b/c": {"kind": "Pod", "metadata": {"name": "b/c", "namespace": "a/b"}},
        "/registry/pods/a/b/c/d": {"kind": "Pod", "metadata": {"name": "b/c", "namespace": "a"}},
    }
    for key, obj in strays.items():
        server.store.put(key, json.dumps(obj))
    cache = server.cacher.cache(resource)
    selection = server._selection(server._info(resource), namespace, None, fields)
    scanned = [o for o in cache.list() if selection.matches(o)]
    if selection.namespace is not None:  # a namespaced scan covers the namespace's key range only
        prefix = cache.info.list_prefix(selection.namespace)
        scanned = [o for k, o in sorted(cache.objects.items())
                   if k.startswith(prefix) and selection.matches(o)]
    assert cache.list(selection) == scanned


def test_the_odd_name_set_follows_overwrites_and_deletes(server):
    cache = server.cacher.cache("nodes")
    server.store.put("/registry/minions/x", json.dumps({"kind": "Node", "metadata": {"name": "y"}}))
    assert cache._odd_names == {"/registry/minions/x"}
    server.store.put("/registry/minions/x", json.dumps({"kind": "Node", "metadata": {"name": "x"}}))
    assert cache._odd_names == set()
    server.store.put("/registry/minions/x", json.dumps({"kind": "Node", "metadata": {"name": "z"}}))
    server.store.delete("/registry/minions/x")
    assert cache._odd_names == set()
