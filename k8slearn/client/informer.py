"""Shared informers: list once, then watch, keep a local cache, and call handlers on changes.

A reflector LISTs the resource (remembering the list's resourceVersion), fills the cache, then
WATCHes from that resourceVersion so that no change is missed between the two. Each watch event
updates the cache first and then calls the registered handlers. Handlers should only enqueue a
key (see :mod:`k8slearn.client.workqueue`); the real work happens in the controller's ``sync``.

One informer per resource (and selector) is shared by every handler in a component, exactly like
client-go's SharedInformerFactory, so a component watches each resource once.

Simplified: no resync period and no relist on watch expiry (the simulated watch never breaks);
a restarted informer (``stop()`` then ``run()``) relists and reconciles its cache like Replace().

Upstream: k8s.io/client-go/tools/cache/reflector.go, shared_informer.go, informers/factory.go
"""

from __future__ import annotations

from typing import Any, Callable

from k8slearn.api.meta import FrozenDict
from k8slearn.client.cache import Indexer, IndexFunc, Lister

Handler = Callable[..., None]


class SharedInformer:
    """Watches one resource through the API server and keeps :attr:`lister` up to date."""

    def __init__(
        self,
        client: Any,
        resource: str,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        indexers: dict[str, IndexFunc] | None = None,
    ) -> None:
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.label_selector = label_selector
        self.field_selector = field_selector
        self.indexer = Indexer(indexers)
        self.lister = Lister(self.indexer)
        self.handlers: list[tuple[Handler | None, Handler | None, Handler | None]] = []
        # The same handlers by kind, in registration order, without the Nones: each event calls its
        # kind's list without unpacking every tuple (a speed-up: the same calls in the same order).
        self._on_add: list[Handler] = []
        self._on_update: list[Handler] = []
        self._on_delete: list[Handler] = []
        self.has_synced = False
        self.watch = None

    def add_indexers(self, indexers: dict[str, IndexFunc]) -> None:
        for name, fn in indexers.items():
            self.indexer.indexers[name] = fn
            self.indexer.indices[name] = {}
        self.indexer.replace(self.indexer.list())

    def add_event_handler(
        self,
        on_add: Handler | None = None,
        on_update: Handler | None = None,
        on_delete: Handler | None = None,
    ) -> None:
        """Register handlers; if already synced, ``on_add`` is replayed for cached objects."""
        self.handlers.append((on_add, on_update, on_delete))
        for kind, handler in ((self._on_add, on_add), (self._on_update, on_update), (self._on_delete, on_delete)):
            if handler:
                kind.append(handler)
        if self.has_synced and on_add:
            for obj in self.indexer.list():
                on_add(obj)

    def run(self) -> None:
        """List, fill the cache, call on_add for each object, then watch from the list's version."""
        if self.has_synced:
            return
        items, version = self.client.list_with_version(
            self.resource,
            namespace=self.namespace,
            label_selector=self.label_selector,
            field_selector=self.field_selector,
        )
        before = dict(self.indexer.items)  # what we knew before a restart (empty the first time)
        self.indexer.replace(items)
        self.has_synced = True
        for obj in items:  # Replace(): new objects are adds, known ones updates...
            old = before.pop(_key(obj), None)
            for on_add, on_update, _ in self.handlers:
                if old is None and on_add:
                    on_add(obj)
                elif old is not None and on_update:
                    on_update(old, obj)
        for gone in before.values():  # ...and objects deleted while we were not watching, deletes
            for _, _, on_delete in self.handlers:
                if on_delete:
                    on_delete(gone)
        self.watch = self.client.watch(
            self.resource,
            namespace=self.namespace,
            resource_version=version,
            label_selector=self.label_selector,
            field_selector=self.field_selector,
            handler=self._on_event,
        )

    def stop(self) -> None:
        if self.watch is not None:
            self.watch.stop()
            self.watch = None
        self.has_synced = False

    def _on_event(self, event_type: str, obj: dict) -> None:
        if event_type == "ADDED" or event_type == "MODIFIED":
            old = self.indexer.put(_key(obj), obj)
            if old is None:
                for on_add in self._on_add:
                    on_add(obj)
            else:
                for on_update in self._on_update:
                    on_update(old, obj)
        elif event_type == "DELETED":
            self.indexer.delete(obj)
            for on_delete in self._on_delete:
                on_delete(obj)


# The object _key was last asked about, and its key. One change is delivered to every informer of
# its resource in a row, as the same read-only object: they then share one key string instead of
# each building and keeping its own (a memory saving with the same keys). FrozenDicts only: a
# plain dict could change between two calls.
_last_object: dict | None = None
_last_key = ""


def _key(obj: dict) -> str:
    global _last_object, _last_key
    if obj is _last_object:
        return _last_key
    meta = obj["metadata"]
    key = f"{meta['namespace']}/{meta['name']}" if meta.get("namespace") else meta["name"]
    if obj.__class__ is FrozenDict and meta.__class__ is FrozenDict:
        _last_object, _last_key = obj, key
    return key


class SharedInformerFactory:
    """One informer per (resource, namespace, selectors) for a component; ``start()`` runs them."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.informers: dict[tuple, SharedInformer] = {}

    def informer(
        self,
        resource: str,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> SharedInformer:
        key = (resource, namespace, label_selector, field_selector)
        if key not in self.informers:
            self.informers[key] = SharedInformer(
                self.client, resource, namespace, label_selector, field_selector
            )
        return self.informers[key]

    def start(self) -> None:
        for informer in self.informers.values():
            informer.run()

    def stop(self) -> None:
        for informer in self.informers.values():
            informer.stop()
