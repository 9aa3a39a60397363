"""Index buckets kept as dicts answer every by_index exactly as the plain filter-and-sort would."""

import pytest

from k8slearn.client.cache import Indexer


def pod(name, node="", ns="default", owners=()):
    return {"metadata": {"namespace": ns, "name": name, "ownerReferences": [{"uid": u} for u in owners]},
            "spec": {"nodeName": node}}


INDEXERS = {
    "node": lambda o: [o["spec"].get("nodeName") or ""],
    "owner": lambda o: [r["uid"] for r in o["metadata"]["ownerReferences"]],  # several values, or none
}


def plain_by_index(objects, name, value):
    """The plain computation: every object whose index function gives ``value``, by key."""
    hits = {f"{o['metadata']['namespace']}/{o['metadata']['name']}": o
            for o in objects.values() if value in INDEXERS[name](o)}
    return [hits[k] for k in sorted(hits)]


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([("add", pod("a", "n1")), ("add", pod("b", "n1")), ("add", pod("c", "n2"))],
                     id="pods on two nodes are found by node"),
        pytest.param([("add", pod("a")), ("add", pod("a", "n1"))],
                     id="a pod bound to a node leaves the unscheduled bucket for the node's"),
        pytest.param([("add", pod("a", "n1")), ("add", pod("b", "n1")), ("delete", pod("a", "n1")),
                      ("delete", pod("b", "n1"))], id="the last pod of a node going empties its bucket"),
        pytest.param([("add", pod("a", owners=("u1", "u2"))), ("add", pod("b", owners=("u2",))),
                      ("add", pod("a", owners=("u2",)))],
                     id="a pod with two owners is in both buckets until it loses one"),
        pytest.param([("add", pod("a", owners=("u1", "u1")))], id="an index function giving a value twice counts it once"),
        pytest.param([("add", pod("z", "n1")), ("add", pod("a", "n1")), ("delete", pod("z", "n1")),
                      ("add", pod("z", "n1")), ("add", pod("m", "n1"))],
                     id="keys leaving and coming back are listed in key order"),
    ],
)
def test_by_index_answers_as_the_plain_computation(steps):
    store = Indexer(indexers=dict(INDEXERS))
    objects = {}
    for op, obj in steps:
        key = f"{obj['metadata']['namespace']}/{obj['metadata']['name']}"
        if op == "add":
            store.add(obj)
            objects[key] = obj
        else:
            store.delete(obj)
            objects.pop(key, None)
        for name in INDEXERS:
            for value in ("", "n1", "n2", "u1", "u2"):
                assert store.by_index(name, value) == plain_by_index(objects, name, value)
    assert all(bucket for index in store.indices.values() for bucket in index.values())  # no empty buckets


def test_replace_rebuilds_the_buckets():
    store = Indexer(indexers=dict(INDEXERS))
    store.add(pod("a", "n1"))
    store.replace([pod("b", "n2"), pod("c", "n2")])
    assert store.by_index("node", "n1") == [] and [o["metadata"]["name"] for o in store.by_index("node", "n2")] == ["b", "c"]
