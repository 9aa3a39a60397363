"""The watch cache: one etcd watch feeds an in-memory copy of every object, and every API watch.

The API server does not ask etcd again for each list and each watch. It lists ``/registry/`` once,
then keeps *one* etcd watch open; every change decodes the JSON once into a read-only object,
updates the per-resource cache, and is fanned out to the API watches of that resource. Lists are
served from the cache, in etcd key order (namespace, then name), without copying.

Pods are indexed by ``spec.nodeName``: a kubelet watches ``spec.nodeName=<its node>``, and with
5,000 kubelets each pod event must reach one or two of them, not all 5,000.

>>> from k8slearn.etcd import MVCCStore
>>> store = MVCCStore()
>>> cacher = Cacher(store)
>>> web = '{"kind":"Pod","metadata":{"name":"web","namespace":"default"}}'
>>> _ = store.put("/registry/pods/default/web", web)
>>> [(p["metadata"]["name"], p["metadata"]["resourceVersion"]) for p in cacher.cache("pods").list()]
[('web', '2')]

A write straight into etcd under ``/registry/`` shows up here too: that is how the real API server
sees what someone wrote with ``etcdctl``.

Simplified: no sliding event window (a watch from an old resourceVersion replays etcd history
instead), no bookmarks, no consistent-read progress requests: delivery is synchronous.

Upstream: staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go, watch_cache.go,
pkg/registry/core/pod/strategy.go (NodeNameTriggerFunc, the spec.nodeName index)
"""

from __future__ import annotations

import json
from bisect import bisect_left
from typing import Callable, Iterable

from k8slearn.api.meta import FrozenDict, FrozenList
from k8slearn.api.resources import ETCD_ROOT, RESOURCES, ResourceInfo
from k8slearn.apiserver.watch import Selection, Watch
from k8slearn.etcd import DELETE, Event, MVCCStore
from k8slearn.etcd.kvstore import prefix_end

Listener = Callable[[ResourceInfo, "dict | None", "dict | None"], None]


def _frozen_list(items: list) -> FrozenList:
    return FrozenList([_frozen_list(x) if x.__class__ is list else x for x in items])


def _frozen_object(pairs: list) -> FrozenDict:
    return FrozenDict([(k, _frozen_list(v) if v.__class__ is list else v) for k, v in pairs])


def decode(value: bytes, mod_revision: int) -> dict:
    """A stored object as a read-only dict, with ``metadata.resourceVersion`` = the etcd mod_revision.

    The JSON decoder builds the frozen dicts and lists directly (no second copy); the new
    resourceVersion is written into the fresh metadata before anyone else can see it.
    """
    obj = json.loads(value, object_pairs_hook=_frozen_object)
    if obj.__class__ is not FrozenDict:
        raise ValueError("not a JSON object")
    meta = obj.get("metadata")
    if meta.__class__ is not FrozenDict:
        meta = FrozenDict()
        dict.__setitem__(obj, "metadata", meta)
    dict.__setitem__(meta, "resourceVersion", str(mod_revision))
    return obj


def node_name_of(obj: dict | None) -> str | None:
    if obj is None:
        return None
    spec = obj.get("spec")
    return (spec.get("nodeName") or "") if isinstance(spec, dict) else ""


class ResourceCache:
    """The cached objects of one resource, by etcd key, with the watches on that resource."""

    def __init__(self, info: ResourceInfo) -> None:
        self.info = info
        self.objects: dict[str, dict] = {}
        self._keys: list[str] = []  # sorted etcd keys, except the ones in _added
        self._added: list[str] = []
        self._removed = False
        self.watches: list[Watch] = []  # watches that see every event of the resource
        self.indexed = info.plural == "pods"
        self.by_node: dict[str, dict[str, dict]] = {}  # pods only: spec.nodeName -> key -> pod
        self.node_watches: dict[str, list[Watch]] = {}  # pods only: watches pinned to one node name

    # -- the store -----------------------------------------------------------------------------
    def keys(self) -> list[str]:
        """Every key, sorted (new keys are merged in lazily, removed ones dropped lazily)."""
        objects = self.objects
        if self._removed:
            self._keys = [k for k in self._keys if k in objects]
            self._removed = False
        if self._added:
            fresh = [k for k in dict.fromkeys(self._added) if k in objects]
            self._added = []
            if len(fresh) <= 16:
                for k in fresh:
                    self._keys.insert(bisect_left(self._keys, k), k)
            else:
                self._keys.extend(fresh)
                self._keys.sort()  # timsort: one long sorted run plus a tail
        return self._keys

    def put(self, key: str, obj: dict | None) -> dict | None:
        """Store (or, with None, remove) the object under ``key``; returns the previous one."""
        objects = self.objects
        old = objects.get(key)
        if obj is None:
            if old is not None:
                del objects[key]
                self._removed = True
        else:
            if old is None:
                keys = self._keys
                i = bisect_left(keys, key)
                if i == len(keys) or keys[i] != key:  # not still there from before a lazy removal
                    self._added.append(key)
            objects[key] = obj
        if self.indexed:
            self._reindex(key, old, obj)
        return old

    def _reindex(self, key: str, old: dict | None, obj: dict | None) -> None:
        before, after = node_name_of(old), node_name_of(obj)
        if before is not None and before != after:
            bucket = self.by_node.get(before)
            if bucket is not None:
                bucket.pop(key, None)
                if not bucket:
                    del self.by_node[before]
        if after is not None:
            self.by_node.setdefault(after, {})[key] = obj

    # -- reads ---------------------------------------------------------------------------------
    def list(self, selection: Selection | None = None) -> list[dict]:
        """The objects that match ``selection``, in etcd key order (read-only, not copied)."""
        objects = self.objects
        if selection is None:
            return [objects[k] for k in self.keys()]
        node = selection.exact_field("spec.nodeName") if self.indexed else None
        if node is not None:
            bucket = self.by_node.get(node, {})
            candidates = [bucket[k] for k in sorted(bucket)]
        elif selection.namespace is not None and self.info.namespaced:
            keys = self.keys()
            prefix = self.info.list_prefix(selection.namespace)
            lo = bisect_left(keys, prefix)
            hi = bisect_left(keys, prefix_end(prefix), lo)
            candidates = [objects[k] for k in keys[lo:hi]]
        else:
            candidates = [objects[k] for k in self.keys()]
        if selection.label is None and selection.field is None:
            return candidates
        return [o for o in candidates if selection.matches(o)]

    def get(self, key: str) -> dict | None:
        return self.objects.get(key)

    # -- watches -------------------------------------------------------------------------------
    def add_watch(self, watch: Watch) -> None:
        node = watch.node_name if self.indexed else None
        group = self.watches if node is None else self.node_watches.setdefault(node, [])
        group.append(watch)

        def remove() -> None:
            if watch in group:
                group.remove(watch)

        watch._on_stop.append(remove)

    def dispatch(self, obj: dict | None, old: dict | None, rev: int) -> None:
        """Tell every interested watch about one change (``obj`` None: deleted; ``old`` None: new)."""
        for watch in tuple(self.watches):
            watch.notify(obj, old, rev)
        if self.node_watches:
            before, after = node_name_of(old), node_name_of(obj)
            for node in (before, after) if before != after else (after,):
                if node is not None:
                    for watch in tuple(self.node_watches.get(node, ())):
                        watch.notify(obj, old, rev)


class Cacher:
    """Every resource's cache, fed by one etcd watch on ``/registry/``."""

    def __init__(self, store: MVCCStore, resources: Iterable[ResourceInfo] | None = None) -> None:
        self.store = store
        infos = list(RESOURCES.values() if resources is None else resources)
        self.caches: dict[str, ResourceCache] = {i.plural: ResourceCache(i) for i in infos}
        root = ETCD_ROOT + "/"
        self._routes: dict[str, ResourceCache] = {
            c.info.etcd_prefix[len(root):]: c for c in self.caches.values()}
        self.listeners: list[Listener] = []
        self.revision = store.revision
        for kv in store.range(root):
            try:
                self._apply(kv.key, decode(kv.value, kv.mod_revision), kv.mod_revision, notify=False)
            except ValueError:
                continue
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
        try:
            obj = None if event.type == DELETE else decode(kv.value, rev)
        except ValueError:
            return  # not JSON (someone wrote it with etcdctl): the cache keeps what it had
        self._apply(kv.key, obj, rev, notify=True)

    def _apply(self, key: str, obj: dict | None, rev: int, notify: bool) -> None:
        cache = self.route(key)
        if cache is None:
            return
        old = cache.put(key, obj)
        if obj is None and old is None:
            return
        if notify:
            cache.dispatch(obj, old, rev)
        for listener in self.listeners:
            listener(cache.info, obj, old)

    def close(self) -> None:
        self._watcher.cancel()
