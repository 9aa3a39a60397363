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

from typing import Callable, Iterable

from k8slearn.api.labels import parse_selector

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


class Indexer:
    """Objects by key, with named secondary indexes (e.g. pods by node name)."""

    def __init__(self, indexers: dict[str, IndexFunc] | None = None) -> None:
        self.items: dict[str, dict] = {}
        self.indexers = dict(indexers or {})
        self.indices: dict[str, dict[str, set[str]]] = {name: {} for name in self.indexers}

    def _index(self, key: str, obj: dict | None, old: dict | None) -> None:
        for name, fn in self.indexers.items():
            index = self.indices[name]
            before = () if old is None else fn(old)
            after = () if obj is None else fn(obj)
            if before.__class__ is list and before == after:
                continue  # same values (most updates): taking the key out and back in changes nothing
            for value in before:
                bucket = index.get(value)
                if bucket is not None:
                    bucket.discard(key)
                    if not bucket:
                        del index[value]
            for value in after:
                bucket = index.get(value)
                if bucket is None:
                    index[value] = {key}
                else:
                    bucket.add(key)

    def put(self, key: str, obj: dict) -> dict | None:
        """Store ``obj`` under ``key`` (its :func:`meta_key`, which the caller has at hand); returns the
        object it replaced, or None."""
        items = self.items
        old = items.get(key)
        items[key] = obj
        if self.indexers:
            self._index(key, obj, old)
        return old

    def add(self, obj: dict) -> None:
        self.put(meta_key(obj), obj)

    update = add

    def delete(self, obj: dict) -> None:
        key = meta_key(obj)
        old = self.items.pop(key, None)
        if old is not None and self.indexers:
            self._index(key, None, old)

    def replace(self, objs: Iterable[dict]) -> None:
        self.items = {}
        self.indices = {name: {} for name in self.indexers}
        for obj in objs:
            self.add(obj)

    def get_by_key(self, key: str) -> dict | None:
        return self.items.get(key)

    def list(self) -> list[dict]:
        return list(self.items.values())

    def list_keys(self) -> list[str]:
        return list(self.items)

    def by_index(self, name: str, value: str) -> list[dict]:
        keys = self.indices[name].get(value, ())
        return [self.items[k] for k in sorted(keys)]

    def __len__(self) -> int:
        return len(self.items)


class Lister:
    """Read-only queries over an informer's cache (never a request to the API server)."""

    def __init__(self, indexer: Indexer) -> None:
        self.indexer = indexer

    def list(self, namespace: str | None = None, selector: str | None = None) -> list[dict]:
        """Cached objects, optionally in one namespace and matching a label selector, by key order."""
        items = [self.indexer.items[k] for k in sorted(self.indexer.items)]
        if namespace is not None:
            items = [o for o in items if o["metadata"].get("namespace") == namespace]
        if selector:
            sel = parse_selector(selector)
            items = [o for o in items if sel.matches(o["metadata"].get("labels"))]
        return items

    def get(self, name: str, namespace: str | None = None) -> dict | None:
        """One cached object, or None."""
        return self.indexer.get_by_key(f"{namespace}/{name}" if namespace else name)

    def by_index(self, index: str, value: str) -> list[dict]:
        return self.indexer.by_index(index, value)
