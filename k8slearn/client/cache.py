"""The informer's local cache: a thread-safe store in Go, a dict here, plus indexes and listers.

Objects in the cache are the read-only (frozen) dicts the API server delivered, so a controller
cannot change the cache by accident: to change an object, copy it (``thaw``) and send an update.

>>> store = Indexer(indexers={"node": lambda o: [o["spec"].get("nodeName", "")]})
>>> store.add({"metadata": {"namespace": "default", "name": "web"}, "spec": {"nodeName": "node-1"}})
>>> store.get_by_key("default/web")["spec"]["nodeName"], [meta_key(o) for o in store.by_index("node", "node-1")]
('node-1', ['default/web'])

Upstream: k8s.io/client-go/tools/cache/store.go, thread_safe_store.go, index.go, listers.go
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Callable, Container, Iterable

from k8slearn.api.selector_parser import parse_selector

IndexFunc = Callable[[dict], Iterable[str]]


def meta_key(obj: dict) -> str:
    """``namespace/name`` (or ``name`` for cluster-scoped objects): MetaNamespaceKeyFunc."""
    meta = obj["metadata"]
    namespace = meta.get("namespace")
    return f"{namespace}/{meta['name']}" if namespace else meta["name"]


def split_key(key: str) -> tuple[str, str]:
    """The inverse of :func:`meta_key`: ``("default", "web")`` or ``("", "node-1")``."""
    namespace, _, name = key.rpartition("/")
    return namespace, name


class SortedKeys:
    """A set of keys in sorted order, kept up to date lazily: what ``sorted(members)`` would give.

    A simulation speed-up with identical results: a ReplicaSet sync lists its ~1,000 pods by
    index, and sorting their keys on every call cost more than the sync's own work. The owner
    reports each key that joins the set (``added``) and that some key left (``removed``); a read
    (``sorted``) drops the keys no longer in ``members`` and merges the new ones into the list it
    kept: a few by bisection, more by one timsort of a long sorted run plus a short tail. Before
    the first read, and after very many changes without one, it keeps nothing and sorts afresh.

    >>> members = {"b", "d"}
    >>> keys = SortedKeys()
    >>> keys.sorted(members)
    ['b', 'd']
    >>> members |= {"a", "c"}; keys.added("a"); keys.added("c")
    >>> members.discard("d"); keys.removed()
    >>> keys.sorted(members)
    ['a', 'b', 'c']
    """

    __slots__ = ("_added", "_keys", "_removed")
    MAX_PENDING = 4096  # more changes than this without a read: drop the list, sort afresh later

    def __init__(self) -> None:
        self._keys: list[str] | None = None  # None: not kept (never read, or too stale)
        self._added: list[str] = []
        self._removed = False

    def added(self, key: str) -> None:
        if self._keys is not None:
            self._added.append(key)
            if len(self._added) > self.MAX_PENDING:
                self._keys, self._added, self._removed = None, [], False

    def removed(self) -> None:
        if self._keys is not None:
            self._removed = True

    def sorted(self, members: Container[str] | Iterable[str]) -> list[str]:
        """The keys of ``members`` (the set itself, e.g. a set or dict), sorted; do not modify."""
        keys = self._keys
        if keys is None:
            self._keys = keys = sorted(members)  # type: ignore[arg-type]
            return keys
        if self._removed:
            self._keys = keys = [k for k in keys if k in members]
            self._removed = False
        if self._added:
            fresh = []
            for k in dict.fromkeys(self._added):  # a key may have left and come back: once
                if k in members:
                    i = bisect_left(keys, k)
                    if i == len(keys) or keys[i] != k:  # not still listed (it left and came back)
                        fresh.append(k)
            self._added = []
            if len(fresh) <= 16:
                for k in fresh:
                    keys.insert(bisect_left(keys, k), k)
            else:
                keys.extend(fresh)
                keys.sort()
        return keys


class Indexer:
    """Objects by key, with named secondary indexes (e.g. pods by node name).

    ``_order`` and ``_index_order`` keep the keys of the whole store and of each index value that
    was read in sorted order (:class:`SortedKeys`, a speed-up with the same results as sorting).
    """

    def __init__(self, indexers: dict[str, IndexFunc] | None = None) -> None:
        self.items: dict[str, dict] = {}
        self.indexers = dict(indexers or {})
        # index name -> value -> the keys with that value. A bucket is a dict used as a set (keys
        # -> None): a memory saving with the same members, since a set grown one key at a time
        # takes ~75 bytes a key at a node's 30 pods, a dict ~28 (bucket order is never read: by_index
        # sorts).
        self.indices: dict[str, dict[str, dict[str, None]]] = {name: {} for name in self.indexers}
        self._order = SortedKeys()
        self._index_order: dict[tuple[str, str], SortedKeys] = {}  # (index, value) -> its keys

    def _index(self, key: str, obj: dict | None, old: dict | None) -> None:
        for name, fn in self.indexers.items():
            index = self.indices[name]
            before = () if old is None else fn(old)
            after = () if obj is None else fn(obj)
            if before.__class__ is list and before == after:
                continue  # same values (most updates): taking the key out and back in changes nothing
            order = self._index_order
            for value in before:
                bucket = index.get(value)
                if bucket is not None:
                    bucket.pop(key, None)
                    if not bucket:
                        del index[value]
                        order.pop((name, value), None)
                    elif order:
                        kept = order.get((name, value))
                        if kept is not None:
                            kept.removed()
            for value in after:
                bucket = index.get(value)
                if bucket is None:
                    index[value] = {key: None}
                else:
                    bucket[key] = None
                    if order:
                        kept = order.get((name, value))
                        if kept is not None:
                            kept.added(key)

    def put(self, key: str, obj: dict) -> dict | None:
        """Store ``obj`` under ``key`` (its :func:`meta_key`, which the caller has at hand); returns the
        object it replaced, or None."""
        items = self.items
        old = items.get(key)
        items[key] = obj
        if old is None:
            self._order.added(key)
        if self.indexers:
            self._index(key, obj, old)
        return old

    def add(self, obj: dict) -> None:
        self.put(meta_key(obj), obj)

    update = add

    def delete(self, obj: dict) -> None:
        key = meta_key(obj)
        old = self.items.pop(key, None)
        if old is not None:
            self._order.removed()
            if self.indexers:
                self._index(key, None, old)

    def replace(self, objs: Iterable[dict]) -> None:
        self.items = {}
        self.indices = {name: {} for name in self.indexers}
        self._order = SortedKeys()
        self._index_order = {}
        for obj in objs:
            self.add(obj)

    def get_by_key(self, key: str) -> dict | None:
        return self.items.get(key)

    def list(self) -> list[dict]:
        return list(self.items.values())

    def list_keys(self) -> list[str]:
        return list(self.items)

    def sorted_keys(self) -> list[str]:
        """Every key, sorted (the list is kept between calls: do not modify it)."""
        return self._order.sorted(self.items)

    def by_index(self, name: str, value: str) -> list[dict]:
        """The objects whose index ``name`` has ``value``, by key order."""
        keys = self.indices[name].get(value)
        if not keys:
            return []
        kept = self._index_order.get((name, value))
        if kept is None:
            self._index_order[name, value] = kept = SortedKeys()
        items = self.items
        return [items[k] for k in kept.sorted(keys)]

    def __len__(self) -> int:
        return len(self.items)


class Lister:
    """Read-only queries over an informer's cache (never a request to the API server)."""

    def __init__(self, indexer: Indexer) -> None:
        self.indexer = indexer

    def list(self, namespace: str | None = None, selector: str | None = None) -> list[dict]:
        """Cached objects, optionally in one namespace and matching a label selector, by key order."""
        keys = self.indexer.sorted_keys()
        if namespace:
            # A namespaced object's key is "<namespace>/<name>", so every object of the namespace is
            # in the sorted keys' run from "<namespace>/" up to "<namespace>0" ('0' follows '/'):
            # only that run is filtered (a speed-up; the filter below still decides).
            lo = bisect_left(keys, namespace + "/")
            hi = bisect_left(keys, namespace + "0", lo)
            if lo == hi and not selector:  # none there (a pod handler's Services, budgets): nothing to filter
                return []
            keys = keys[lo:hi]
        objects = self.indexer.items
        items = [objects[k] for k in keys]
        if namespace is not None:
            items = [o for o in items if o["metadata"].get("namespace") == namespace]
        if selector:
            sel = parse_selector(selector)
            items = [o for o in items if sel.matches(o["metadata"].get("labels"))]
        return items

    def get(self, name: str, namespace: str | None = None) -> dict | None:
        """One cached object, or None."""
        return self.indexer.items.get(f"{namespace}/{name}" if namespace else name)  # (get_by_key, inlined)

    def by_index(self, index: str, value: str) -> list[dict]:
        return self.indexer.by_index(index, value)
