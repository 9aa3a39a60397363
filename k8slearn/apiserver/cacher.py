"""The Cacher: one etcd watch feeds an in-memory copy of every object, and every API watch.

The API server does not ask etcd again for each list and each watch. It lists ``/registry/`` once,
then keeps *one* etcd watch open; every change decodes the JSON once into a read-only object
(``watch_cache_decode``), updates the resource's cache (``watch_cache.ResourceCache``), and is
fanned out to the API watches of that resource.

>>> from k8slearn.etcd import MVCCStore
>>> store = MVCCStore()
>>> cacher = Cacher(store)
>>> web = '{"kind":"Pod","metadata":{"name":"web","namespace":"default"}}'
>>> _ = store.put("/registry/pods/default/web", web)
>>> [(p["metadata"]["name"], p["metadata"]["resourceVersion"]) for p in cacher.cache("pods").list()]
[('web', '2')]

A write straight into etcd under ``/registry/`` shows up here too: that is how the real API server
sees what someone wrote with ``etcdctl``.

Simplified: one Cacher for every resource (upstream has one per resource, each with its own
reflector), no consistent-read progress requests: delivery is synchronous.

Upstream: staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go
"""

from __future__ import annotations

from typing import Callable, Iterable

from k8slearn.api.resources import ETCD_ROOT, RESOURCES, ResourceInfo
from k8slearn.apiserver.watch_cache import ResourceCache
from k8slearn.apiserver.watch_cache_decode import decode, decode_or_none
from k8slearn.apiserver.watch_cache_next import decode_next
from k8slearn.etcd import DELETE, Event, MVCCStore

Listener = Callable[[ResourceInfo, "dict | None", "dict | None"], None]


class Cacher:
    """Every resource's cache, fed by one etcd watch on ``/registry/``."""

    def __init__(self, store: MVCCStore, resources: Iterable[ResourceInfo] | None = None) -> None:
        self.store = store
        infos = list(RESOURCES.values() if resources is None else resources)
        self.caches: dict[str, ResourceCache] = {i.plural: ResourceCache(i, store) for i in infos}
        for c in self.caches.values():
            # etcd may keep the newest values compressed where they are read back only when asked
            # for (an uncached resource), or by a get or an update only (pods: the cache serves
            # their lists and watches; ~1.6 kB less per pod, for a decompression per read; the
            # same bytes are read). An uncached resource's values (events) are chained: each packed
            # against the one written before it, which it resembles most (~30 bytes less an event).
            if c.uncached or c.info.plural == "pods":
                store.pack_newest(c.info.etcd_prefix + "/", chained=c.uncached)
        root = ETCD_ROOT + "/"
        self._routes: dict[str, ResourceCache] = {
            c.info.etcd_prefix[len(root):]: c for c in self.caches.values()}
        self.listeners: list[Listener] = []  # hear every change of a cached resource
        self.revision = store.revision
        for kv in store.range(root):
            cache = self.route(kv.key)
            try:
                obj = kv.mod_revision if cache is not None and cache.uncached \
                    else decode(kv.value, kv.mod_revision)
            except ValueError:
                continue
            self._apply(kv.key, obj, kv.mod_revision, notify=False)
        self.events = 0
        self._watcher = store.watch(root, callback=self._on_event)

    def cache(self, resource: str) -> ResourceCache:
        return self.caches[resource]

    def route(self, key: str) -> ResourceCache | None:
        """The cache a ``/registry/...`` key belongs to (None for keys of no served resource)."""
        rest = key[len(ETCD_ROOT) + 1:]
        first, _, tail = rest.partition("/")
        cache = self._routes.get(first)
        if cache is None:
            second = tail.partition("/")[0]
            cache = self._routes.get(f"{first}/{second}")
        return cache

    def _on_event(self, event: Event) -> None:
        kv = event.kv
        rev = kv.mod_revision
        self.revision = max(self.revision, rev)
        self.events += 1
        cache = self.route(kv.key)
        if cache is None:
            return
        if cache.uncached:
            old = cache.put(kv.key, None if event.type == DELETE else rev)
            if not (cache.watches or cache.name_watches):
                return  # nobody listening: nothing to decode
            # the change as etcd reports it: the new value, and the one replaced (the version seen)
            obj = None if event.type == DELETE else decode_or_none(kv.value, rev)
            if old is not None:
                prev = event.prev_kv
                old = decode_or_none(prev.value, old) if prev is not None and prev.mod_revision == old \
                    else cache._read_stored(kv.key, old)
            if obj is not None or old is not None:
                cache.dispatch(obj, old, rev)
            return
        try:
            if event.type == DELETE:
                obj = None
            elif cache.indexed:  # pods, written four times each, mostly the same (watch_cache_next)
                obj = decode_next(kv.value, rev, cache.objects.get(kv.key))
            else:
                obj = decode(kv.value, rev)
        except ValueError:
            return  # not JSON (someone wrote it with etcdctl): the cache keeps what it had
        self._apply(kv.key, obj, rev, True, cache)

    def _apply(self, key: str, obj: dict | None, rev: int, notify: bool,
               cache: ResourceCache | None = None) -> None:
        """Store a change in its resource's cache (``route(key)``, unless the caller passes it)."""
        if cache is None:
            cache = self.route(key)
            if cache is None:
                return
        old = cache.put(key, obj)
        if obj is None and old is None:
            return
        if notify:
            cache.dispatch(obj, old, rev)
        if cache.uncached:
            return
        for listener in self.listeners:
            listener(cache.info, obj, old)

    def close(self) -> None:
        self._watcher.cancel()
