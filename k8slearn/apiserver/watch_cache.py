"""The watch cache of one resource: its objects by etcd key, its indexes, and its API watches.

Lists are served from the cache, in etcd key order (namespace, then name), without copying.

Pods are indexed by ``spec.nodeName``: a kubelet watches ``spec.nodeName=<its node>``, and with
5,000 kubelets each pod event must reach one or two of them, not all 5,000. Watches pinned to one
object by ``metadata.name`` (each kubelet watches its own Node) are indexed by that name, and a
list by ``metadata.name`` looks its key up instead of scanning. Upstream indexes the same two
fields (the pod's ``NodeNameTriggerFunc``, the cacher's ``metadata.name`` selector); here the
index is also a simulation speed-up with identical results: a watch hears exactly the changes,
in exactly the order, that offering every change to every watch would give it.

>>> from k8slearn.api.resources import RESOURCES
>>> from k8slearn.apiserver.watch_cache_decode import decode
>>> pods = ResourceCache(RESOURCES["pods"])
>>> for name, node in [("web", "node-1"), ("db", "node-2")]:
...     value = f'{{"metadata":{{"name":"{name}","namespace":"default"}},"spec":{{"nodeName":"{node}"}}}}'
...     _ = pods.put(f"/registry/pods/default/{name}", decode(value.encode(), 2))
>>> pods.keys(), sorted(pods.by_node)
(['/registry/pods/default/db', '/registry/pods/default/web'], ['node-1', 'node-2'])

Events are not cached, as in kube-apiserver (its default ``--watch-cache-sizes`` gives events a
size of 0): for them the cache keeps only the revision of each key, a list or a get reads the
values back from etcd and decodes them, and a watch decodes the change etcd reports. A cluster of
150,000 pods writes some 600,000 events that nobody lists; decoding and keeping each of them
would cost more than the pods themselves. (etcd keeps their values compressed: ``pack_newest``.)

Simplified: no sliding event window (a watch from an old resourceVersion replays etcd history
instead), no bookmarks.

Upstream: staging/src/k8s.io/apiserver/pkg/storage/cacher/watch_cache.go, cacher.go (the watcher
indexes), pkg/registry/core/pod/strategy.go (NodeNameTriggerFunc, the spec.nodeName index)
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import count
from operator import attrgetter

from k8slearn.api.fields import field_value
from k8slearn.api.resources import ResourceInfo
from k8slearn.apiserver.watch import Selection, Watch, with_resource_version
from k8slearn.apiserver.watch_cache_decode import decode_or_none
from k8slearn.etcd import MVCCStore
from k8slearn.etcd.kvstore import prefix_end

_by_seq = attrgetter("seq")
UNCACHED = frozenset({"events"})  # kube-apiserver's DefaultWatchCacheSizes: events -> 0


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
