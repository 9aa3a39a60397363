"""The informer cache's kept key order (SortedKeys) gives what sorting every call would give."""

from __future__ import annotations

import random

import pytest

from k8slearn.client.cache import Indexer, Lister, SortedKeys, meta_key


def pod(namespace: str, name: str, node: str = "", owner: str = "", labels: dict | None = None) -> dict:
    return {"metadata": {"namespace": namespace, "name": name, "labels": labels or {}, "owner": owner},
            "spec": {"nodeName": node}}


def plain_by_index(store: Indexer, index: str, value: str) -> list[dict]:
    fn = store.indexers[index]
    return [store.items[k] for k in sorted(store.items) if value in fn(store.items[k])]


def plain_list(store: Indexer, namespace: str | None) -> list[dict]:
    items = [store.items[k] for k in sorted(store.items)]
    return [o for o in items if namespace is None or o["metadata"].get("namespace") == namespace]


def new_store() -> Indexer:
    return Indexer(indexers={
        "node": lambda o: [o["spec"]["nodeName"]],
        "owner": lambda o: [o["metadata"]["owner"]] if o["metadata"]["owner"] else [],
    })


def check(store: Indexer) -> None:
    lister = Lister(store)
    for namespace in (None, "", "a", "ab", "b", "a/b", "zz"):
        assert lister.list(namespace) == plain_list(store, namespace)
    for index, values in (("node", ("", "n1", "n2", "n3")), ("owner", ("rs1", "rs2", "none"))):
        for value in values:
            assert store.by_index(index, value) == plain_by_index(store, index, value)


# Each step: ("add", namespace, name, node, owner) or ("delete", namespace, name), or ("read",).
CASES = [
    ("adds after a read are merged into the kept order",
     [("add", "b", "p2", "n1", "rs1"), ("read",), ("add", "a", "p9", "n1", "rs1"), ("add", "b", "p1", "n1", "rs1"),
      ("read",)]),
    ("a deleted key disappears from the list and from its index",
     [("add", "a", "p1", "n1", "rs1"), ("add", "a", "p2", "n1", "rs1"), ("read",), ("delete", "a", "p1"), ("read",)]),
    ("a key deleted and added again between reads is listed once",
     [("add", "a", "p1", "n1", "rs1"), ("read",), ("delete", "a", "p1"), ("add", "a", "p1", "n1", "rs1"),
      ("read",)]),
    ("an update that moves a pod to another node moves it between index values",
     [("add", "a", "p1", "n1", "rs1"), ("add", "a", "p2", "n1", "rs1"), ("read",), ("add", "a", "p1", "n2", "rs1"),
      ("read",), ("add", "a", "p1", "n1", "rs2"), ("read",)]),
    ("an index value emptied and filled again lists only its new keys",
     [("add", "a", "p1", "n3", ""), ("read",), ("delete", "a", "p1"), ("add", "b", "p7", "n3", ""), ("read",)]),
    ("namespaces that share a prefix are not mixed up",
     [("add", "ab", "x", "n1", ""), ("add", "a", "x", "n1", ""), ("add", "a/b", "y", "n1", ""), ("read",),
      ("add", "a", "b/y", "n1", ""), ("add", "b", "a", "n2", ""), ("read",)]),
    ("many adds between two reads are merged by one sort",
     [("read",)] + [("add", "a", f"p{i:03d}", "n1", "rs1") for i in range(40, 0, -1)] + [("read",)]),
]


@pytest.mark.parametrize("steps", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_kept_order_equals_sorting_every_call(steps):
    store = new_store()
    for step in steps:
        if step[0] == "add":
            store.add(pod(step[1], step[2], step[3], step[4]))
        elif step[0] == "delete":
            store.delete(pod(step[1], step[2]))
        else:
            check(store)
    check(store)


@pytest.mark.parametrize("seed", [1, 2, 3], ids=lambda s: f"a random sequence of changes (seed {s}) lists as sorting does")
def test_random_changes_list_as_sorting_does(seed):
    rng = random.Random(seed)
    store = new_store()
    for step in range(600):
        namespace, name = rng.choice(["a", "ab", "b"]), f"p{rng.randrange(60)}"
        if rng.random() < 0.3:
            store.delete(pod(namespace, name))
        else:
            store.add(pod(namespace, name, rng.choice(["", "n1", "n2"]), rng.choice(["", "rs1", "rs2"])))
        if rng.random() < 0.2:
            check(store)
    check(store)


def test_a_replace_forgets_the_kept_order():
    store = new_store()
    store.add(pod("a", "p1", "n1", "rs1"))
    check(store)
    store.replace([pod("b", "p2", "n1", "rs1"), pod("a", "p0", "n1", "rs1")])
    assert [meta_key(o) for o in store.by_index("owner", "rs1")] == ["a/p0", "b/p2"]
    check(store)


def test_too_many_changes_without_a_read_start_a_fresh_sort():
    keys, members = SortedKeys(), set()
    assert keys.sorted(members) == []
    for i in range(SortedKeys.MAX_PENDING + 10, 0, -1):
        members.add(f"k{i:05d}")
        keys.added(f"k{i:05d}")
    assert keys._keys is None and keys._added == []
    assert keys.sorted(members) == sorted(members)


def test_a_label_selector_still_filters_a_namespace():
    store = new_store()
    store.add(pod("a", "x", labels={"app": "web"}))
    store.add(pod("a", "y", labels={"app": "db"}))
    store.add(pod("b", "z", labels={"app": "web"}))
    assert [meta_key(o) for o in Lister(store).list("a", "app=web")] == ["a/x"]


@pytest.mark.parametrize("namespace, selector, expected", [
    ("c", None, []),
    ("c", "app=web", []),
    ("a", None, ["a/x", "a/y"]),
    (None, None, ["a/x", "a/y", "b/z"]),
], ids=["a namespace with no objects lists nothing without filtering",
        "a namespace with no objects and a selector lists nothing",
        "a namespace with objects lists them all",
        "no namespace lists every object"])
def test_a_namespace_lists_its_own_objects(namespace, selector, expected):
    store = new_store()
    for ns, name in (("a", "x"), ("a", "y"), ("b", "z")):
        store.add(pod(ns, name, labels={"app": "web"}))
    assert [meta_key(o) for o in Lister(store).list(namespace, selector)] == expected


def test_a_bad_selector_is_rejected_even_where_nothing_is_listed():
    from k8slearn.api.labels import SelectorParseError
    with pytest.raises(SelectorParseError, match="unable to parse requirement"):
        Lister(new_store()).list("empty", "a in (")
