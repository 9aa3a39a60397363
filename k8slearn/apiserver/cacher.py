"""The watch cache: one etcd watch feeds an in-memory copy of every object, and every API watch.

The API server does not ask etcd again for each list and each watch. It lists ``/registry/`` once,
then keeps *one* etcd watch open; every change decodes the JSON once into a read-only object,
updates the per-resource cache, and is fanned out to the API watches of that resource. Lists are
served from the cache, in etcd key order (namespace, then name), without copying.

Pods are indexed by ``spec.nodeName``: a kubelet watches ``spec.nodeName=<its node>``, and with
5,000 kubelets each pod event must reach one or two of them, not all 5,000. Watches pinned to one
object by ``metadata.name`` (each kubelet watches its own Node) are indexed by that name, and a
list by ``metadata.name`` looks its key up instead of scanning. Upstream indexes the same two
fields (the pod's ``NodeNameTriggerFunc``, the cacher's ``metadata.name`` selector); here the
index is also a simulation speed-up with identical results: a watch hears exactly the changes,
in exactly the order, that offering every change to every watch would give it.

>>> from k8slearn.etcd import MVCCStore
>>> store = MVCCStore()
>>> cacher = Cacher(store)
>>> web = '{"kind":"Pod","metadata":{"name":"web","namespace":"default"}}'
>>> _ = store.put("/registry/pods/default/web", web)
>>> [(p["metadata"]["name"], p["metadata"]["resourceVersion"]) for p in cacher.cache("pods").list()]
[('web', '2')]

A write straight into etcd under ``/registry/`` shows up here too: that is how the real API server
sees what someone wrote with ``etcdctl``.

Decoded objects share what they have in common: every key, short strings, and equal read-only
parts (the containers of one pod template, an owner reference, the default tolerations) are one
object in memory, found through bounded tables (see ``_Objects``). A Go API server does not do
this; here it is a memory saving that nobody can see, since cached objects are read-only. Each
object's metadata stays its own (it carries the object's resourceVersion):

>>> a = decode(b'{"metadata":{"name":"a"},"spec":{"tolerations":[{"key":"k"}]}}', 7)
>>> b = decode(b'{"metadata":{"name":"b"},"spec":{"tolerations":[{"key":"k"}]}}', 8)
>>> a["spec"] is b["spec"], a["metadata"] is b["metadata"], b["metadata"]["resourceVersion"]
(True, False, '8')

Events are not cached, as in kube-apiserver (its default ``--watch-cache-sizes`` gives events a
size of 0): for them the cache keeps only the revision of each key, a list or a get reads the
values back from etcd and decodes them, and a watch decodes the change etcd reports. A cluster of
150,000 pods writes some 600,000 events that nobody lists; decoding and keeping each of them
would cost more than the pods themselves. (etcd keeps their values compressed: ``pack_newest``.)

Simplified: no sliding event window (a watch from an old resourceVersion replays etcd history
instead), no bookmarks, no consistent-read progress requests: delivery is synchronous.

Upstream: staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go, watch_cache.go,
pkg/registry/core/pod/strategy.go (NodeNameTriggerFunc, the spec.nodeName index)
"""

from __future__ import annotations

import json
from bisect import bisect_left
from itertools import count
from operator import attrgetter
from typing import Callable, Iterable

from k8slearn.api.fields import field_value
from k8slearn.api.meta import FrozenDict, FrozenList
from k8slearn.api.resources import ETCD_ROOT, RESOURCES, ResourceInfo
from k8slearn.apiserver.watch import Selection, Watch, with_resource_version
from k8slearn.etcd import DELETE, Event, MVCCStore
from k8slearn.etcd.kvstore import prefix_end

Listener = Callable[[ResourceInfo, "dict | None", "dict | None"], None]
_by_seq = attrgetter("seq")
UNCACHED = frozenset({"events"})  # kube-apiserver's DefaultWatchCacheSizes: events -> 0


def decode_or_none(value: bytes | None, mod_revision: int) -> dict | None:
    """``decode``, or None for a value that is not a JSON object (written with etcdctl): an uncached
    resource serves it as if absent."""
    try:
        return None if value is None else decode(value, mod_revision)
    except ValueError:
        return None


class _Strings(dict):
    """A bounded table of canonical strings: ``table[s]`` is the first string equal to ``s`` seen.

    When it holds ``limit`` entries it starts over (strings already handed out stay shared).
    """

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def __missing__(self, value: str) -> str:
        if len(self) >= self.limit:
            self.clear()
        self[value] = value
        return value


class _Objects:
    """A bounded hash-consing table of read-only values: one FrozenDict/FrozenList per content.

    ``key`` spells a value out as nested tuples: an object as ``"{"`` then its keys and values in
    turn (flat: no tuple per pair, a third of the table's memory), a list as ``"["`` then its
    items; a shared child stands for itself by its own key, and booleans
    by ``_TRUE``/``_FALSE`` (in Python ``true == 1 == 1.0``, in JSON they differ). A value holding
    a float, a string longer than _SHORT, or a child that is not shared has no key and is never
    shared. ``keys`` maps the id of each shared value to its key: the table keeps the value alive,
    so the id stays its own. When full, the table starts over (values already handed out stay
    shared); its size is bounded, whatever the number of objects.
    """

    __slots__ = ("keys", "limit", "values")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.values: dict[tuple, object] = {}
        self.keys: dict[int, tuple] = {}

    def share(self, key: tuple, value):
        """The shared value for ``key``, ``value`` itself if it is the first one."""
        found = self.values.get(key)
        if found is not None:
            return found
        if len(self.values) >= self.limit:
            self.values.clear()
            self.keys.clear()
        self.values[key] = value
        self.keys[id(value)] = key
        return value


# Memory sharing between decodes, a simulation saving with identical results: each decode would
# otherwise build its own copy of every key, of the values every pod repeats ("True", "Ready",
# image names, timestamps, node names) and of whole parts (a pod template's containers, its
# owner reference, the default tolerations, conditions). A Go API server's objects do not share
# like this; here they are read-only, so sharing is invisible. Strings: every key, and string
# values of at most _SHORT characters. Objects and lists: see _Objects.
_SHORT = 64
_STRINGS = _Strings(1 << 16)
_OBJECTS = _Objects(1 << 15)
_TRUE, _FALSE = ("true",), ("false",)  # a boolean's stand-in in a key (no JSON value is a tuple)
_UNSHARED = ("unshared",)  # a value with no key: its parent is not shared either
# Objects never shared: an API object (``metadata``, which decode() replaces) and its metadata
# (``creationTimestamp``): each is one object's own, a table entry for it would only be kept alive.
_OWN = frozenset({"metadata", "creationTimestamp"})


# _frozen_list and _frozen_object classify each value with the same inline branch (share a short
# string, look up a shared child, key a scalar): a helper called per value would add a function
# call to each of a pod's ~150 values on every decode. Change one, change both (the tests in
# tests/apiserver/test_cacher_memory.py compare decoded objects with and without sharing).
# Both look their key up before building the value: most shareable values (19 of 20 in a pod)
# are in the table already, and then the new FrozenDict/FrozenList would only be thrown away.
def _frozen_list(items: list) -> FrozenList:
    """A FrozenList of the JSON decoder's items, shared when every item is shareable."""
    strings, keys = _STRINGS, _OBJECTS.keys
    key: list | None = ["["]
    out = []
    for v in items:
        c = v.__class__
        if c is str:
            if len(v) <= _SHORT:
                k = v = strings[v]
            else:
                k = _UNSHARED
        elif c is FrozenDict:
            k = keys.get(id(v), _UNSHARED)
        elif c is list:
            v = _frozen_list(v)
            k = keys.get(id(v), _UNSHARED)
        elif c is int or v is None:
            k = v
        elif c is bool:
            k = _TRUE if v else _FALSE
        else:
            k = _UNSHARED
        out.append(v)
        if key is not None:
            if k is _UNSHARED:
                key = None
            else:
                key.append(k)
    if key is None:
        return FrozenList(out)
    key = tuple(key)
    found = _OBJECTS.values.get(key)
    return _OBJECTS.share(key, FrozenList(out)) if found is None else found


def _frozen_object(pairs: list) -> FrozenDict:
    """The JSON decoder's hook for each object: a FrozenDict, its list values made FrozenLists;
    keys and short strings shared, and the whole object shared when all its values are."""
    strings, keys = _STRINGS, _OBJECTS.keys
    key: list | None = ["{"]
    items = []
    for name, v in pairs:
        name = strings[name]
        c = v.__class__
        if c is str:
            if len(v) <= _SHORT:
                k = v = strings[v]
            else:
                k = _UNSHARED
        elif c is FrozenDict:
            k = keys.get(id(v), _UNSHARED)
        elif c is list:
            v = _frozen_list(v)
            k = keys.get(id(v), _UNSHARED)
        elif c is int or v is None:
            k = v
        elif c is bool:
            k = _TRUE if v else _FALSE
        else:
            k = _UNSHARED
        items.append((name, v))
        if key is not None:
            if k is _UNSHARED or name in _OWN:
                key = None
            else:
                key += name, k
    if key is None:
        return FrozenDict(items)
    key = tuple(key)
    found = _OBJECTS.values.get(key)
    return _OBJECTS.share(key, FrozenDict(items)) if found is None else found


_DECODER = json.JSONDecoder(object_pairs_hook=_frozen_object)  # one decoder for every event


def decode(value: bytes, mod_revision: int) -> dict:
    """A stored object as a read-only dict, with ``metadata.resourceVersion`` = the etcd mod_revision.

    The JSON decoder builds the frozen dicts and lists directly (no second copy); the new
    resourceVersion is written into a fresh metadata before anyone else can see it.
    """
    if value.__class__ is bytes:  # what json.loads does with bytes, without a new decoder per call
        # (utf-8 is json.detect_encoding's answer for what the registry writes, '{"...', found quicker)
        encoding = "utf-8" if value[:2] == b'{"' else json.detect_encoding(value)
        obj = _DECODER.decode(value.decode(encoding, "surrogatepass"))
    else:
        obj = json.loads(value, object_pairs_hook=_frozen_object)
    if obj.__class__ is not FrozenDict:
        raise ValueError("not a JSON object")
    meta = obj.get("metadata")
    if meta.__class__ is not FrozenDict:
        obj = FrozenDict(obj)  # may be shared (it has no metadata object): a copy of its own
    # The metadata is always a fresh copy: a decoded one may be shared with other objects.
    meta = FrozenDict(meta if meta.__class__ is FrozenDict else ())
    dict.__setitem__(obj, "metadata", meta)
    dict.__setitem__(meta, "resourceVersion", str(mod_revision))
    return obj


def node_name_of(obj: dict | None) -> str | None:
    if obj is None:
        return None
    spec = obj.get("spec")
    return (spec.get("nodeName") or "") if isinstance(spec, dict) else ""


def name_of(obj: dict) -> str:
    """What the field selector ``metadata.name`` compares with (``fields.field_value``)."""
    name = obj["metadata"].get("name")
    return name if name.__class__ is str else field_value(obj, "metadata.name")


class ResourceCache:
    """The cached objects of one resource, by etcd key, with the watches on that resource."""

    def __init__(self, info: ResourceInfo, store: MVCCStore | None = None) -> None:
        self.info = info
        self.store = store  # where an uncached resource's values are read back from
        self.objects: dict[str, dict] = {}
        self._keys: list[str] = []  # sorted etcd keys, except the ones in _added
        self._added: list[str] = []
        self._removed = False
        self._odd_names: set[str] = set()  # keys an object's metadata.name would not give (etcdctl writes)
        self.watches: list[Watch] = []  # watches that see every event of the resource
        self.name_watches: dict[str, list[Watch]] = {}  # watches pinned to one metadata.name
        self._watch_seq = count(1)
        self.indexed = info.plural == "pods"
        # An uncached resource's objects are, per key, only the etcd mod_revision (an int) of the
        # version seen: the value is read back from etcd when it is served (_read_stored).
        self.uncached = info.plural in UNCACHED
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
            self._odd_names.discard(key)
        else:
            if old is None:
                keys = self._keys
                i = bisect_left(keys, key)
                if i == len(keys) or keys[i] != key:  # not still there from before a lazy removal
                    self._added.append(key)
            objects[key] = obj
            if self.uncached:
                pass  # no name index: lists decode and filter
            elif self._name_key(key, name_of(obj)) != key:
                self._odd_names.add(key)
            elif self._odd_names:
                self._odd_names.discard(key)
        if self.indexed:
            self._reindex(key, old, obj)
        return old

    def _name_key(self, key: str, name: str) -> str:
        """The key a lookup by ``name`` tries: ``key`` itself unless the object's name disagrees with it."""
        prefix = self.info.etcd_prefix
        if self.info.namespaced:
            return f"{prefix}/{key[len(prefix) + 1:].partition('/')[0]}/{name}"
        return f"{prefix}/{name}"

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
        if self.uncached:
            return self._list_stored(selection)
        if selection is None:
            return [objects[k] for k in self.keys()]
        node = selection.exact_field("spec.nodeName") if self.indexed else None
        name = selection.exact_field("metadata.name") if node is None else None
        if node is not None:
            bucket = self.by_node.get(node, {})
            candidates = [bucket[k] for k in sorted(bucket)]
        elif name is not None and self._by_name_serves(name, selection.namespace):
            candidates = self._named(name, selection.namespace)
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

    def _list_stored(self, selection: Selection | None) -> list[dict]:
        """An uncached resource's list: decode what etcd holds under the prefix, then filter."""
        keys = self.keys()
        if selection is not None and selection.namespace is not None and self.info.namespaced:
            prefix = self.info.list_prefix(selection.namespace)
            lo = bisect_left(keys, prefix)
            keys = keys[lo:bisect_left(keys, prefix_end(prefix), lo)]
        decoded = (self._read_stored(k, self.objects[k]) for k in keys)
        return [o for o in decoded if o is not None and (selection is None or selection.matches(o))]

    def _by_name_serves(self, name: str, namespace: str | None) -> bool:
        """Whether a key lookup finds every object a scan for this name would (no '/' to confuse keys)."""
        if "/" in name:
            return False
        return not self.info.namespaced or (namespace is not None and "/" not in namespace)

    def _named(self, name: str, namespace: str | None) -> list[dict]:
        """The objects a scan would meet whose metadata.name may be ``name``, in key order."""
        objects = self.objects
        key = self.info.key(namespace, name)
        keys = {key} if key in objects else set()
        if self._odd_names:
            if self.info.namespaced:
                prefix = self.info.list_prefix(namespace)
                keys.update(k for k in self._odd_names if k.startswith(prefix))
            else:
                keys.update(self._odd_names)
        return [objects[k] for k in sorted(keys)]

    def get(self, key: str) -> dict | None:
        obj = self.objects.get(key)
        return self._read_stored(key, obj) if self.uncached and obj is not None else obj

    def _read_stored(self, key: str, mod_revision: int) -> dict | None:
        """An uncached object: its value read back from etcd at the revision this cache has seen."""
        return decode_or_none(self.store.value_at(key, mod_revision), mod_revision)

    # -- watches -------------------------------------------------------------------------------
    def add_watch(self, watch: Watch) -> None:
        """Register a watch: pinned to a node name (pods), to an object name, or hearing every change."""
        watch.seq = next(self._watch_seq)
        node = watch.node_name if self.indexed else None
        if node is not None:
            index, value = self.node_watches, node
        elif watch.object_name is not None:
            index, value = self.name_watches, watch.object_name
        else:
            index, value = None, None
        group = self.watches if index is None else index.setdefault(value, [])
        group.append(watch)

        def remove() -> None:
            if watch in group:
                group.remove(watch)
                if index is not None and not group and index.get(value) is group:
                    del index[value]

        watch._on_stop.append(remove)

    def dispatch(self, obj: dict | None, old: dict | None, rev: int) -> None:
        """Tell every interested watch about one change (``obj`` None: deleted; ``old`` None: new).

        Watches that hear every change and those pinned to the object's name hear it in the order
        they were registered; then pods' node-pinned watches, for the node before and after.
        """
        watches = self.watches
        if self.name_watches:
            pinned = self._pinned(self.name_watches, None if old is None else name_of(old),
                                  None if obj is None else name_of(obj))
            if pinned:
                watches = sorted([*watches, *pinned], key=_by_seq)
        gone = with_resource_version(old, rev) if obj is None and old is not None else None
        for watch in tuple(watches):
            watch.notify(obj, old, rev, gone)
        if self.node_watches:
            for watch in self._pinned(self.node_watches, node_name_of(old), node_name_of(obj)):
                watch.notify(obj, old, rev, gone)

    @staticmethod
    def _pinned(index: dict[str, list[Watch]], before: str | None, after: str | None) -> list[Watch]:
        """The watches pinned to the value before the change, then those pinned to the value after."""
        found: list[Watch] = []
        for value in (before, after) if before != after else (after,):
            if value is not None:
                found.extend(index.get(value, ()))
        return found


class Cacher:
    """Every resource's cache, fed by one etcd watch on ``/registry/``."""

    def __init__(self, store: MVCCStore, resources: Iterable[ResourceInfo] | None = None) -> None:
        self.store = store
        infos = list(RESOURCES.values() if resources is None else resources)
        self.caches: dict[str, ResourceCache] = {i.plural: ResourceCache(i, store) for i in infos}
        for c in self.caches.values():
            if c.uncached:  # read back only when asked for: etcd may keep them compressed
                store.pack_newest(c.info.etcd_prefix + "/")
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
            obj = None if event.type == DELETE else decode(kv.value, rev)
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
