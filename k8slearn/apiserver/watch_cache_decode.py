"""Decoding etcd values into shared, read-only objects: what the watch cache keeps.

The watch cache decodes each value etcd reports once, with ``metadata.resourceVersion`` set to
the etcd mod_revision, into a ``FrozenDict``/``FrozenList`` tree that every list and watch then
hands out without copying.

Decoded objects share what they have in common: every key, short strings, and equal read-only
parts (the containers of one pod template, an owner reference, the default tolerations) are one
object in memory, found through bounded tables (see ``_Objects``). A Go API server does not do
this; here it is a memory saving that nobody can see, since cached objects are read-only. Each
object's metadata stays its own (it carries the object's resourceVersion):

>>> a = decode(b'{"metadata":{"name":"a"},"spec":{"tolerations":[{"key":"k"}]}}', 7)
>>> b = decode(b'{"metadata":{"name":"b"},"spec":{"tolerations":[{"key":"k"}]}}', 8)
>>> a["spec"] is b["spec"], a["metadata"] is b["metadata"], b["metadata"]["resourceVersion"]
(True, False, '8')

Simplified: JSON only (no protobuf, no API versions to convert between); the sharing tables are
a simulation memory saving, not an upstream mechanism.

Upstream: staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go (decode, the resourceVersion
from the mod_revision), staging/src/k8s.io/apiserver/pkg/storage/cacher/watch_cache.go
"""

from __future__ import annotations

import json

from k8slearn.api.meta import FrozenDict, FrozenList
from k8slearn.api.shared import SharedTable


def decode_or_none(value: bytes | None, mod_revision: int) -> dict | None:
    """``decode``, or None for a value that is not a JSON object (written with etcdctl): an uncached
    resource serves it as if absent."""
    try:
        return None if value is None else decode(value, mod_revision)
    except ValueError:
        return None


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

    __slots__ = ("keys", "limit", "texts", "values")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.values: dict[tuple, object] = {}
        self.keys: dict[int, tuple] = {}
        self.texts: dict[int, str] = {}  # id of a shared value -> a JSON text of it (see watch_cache_next)

    def share(self, key: tuple, value):
        """The shared value for ``key``, ``value`` itself if it is the first one."""
        found = self.values.get(key)
        if found is not None:
            return found
        if len(self.values) >= self.limit:
            self.values.clear()
            self.keys.clear()
            self.texts.clear()
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
_STRINGS = SharedTable(1 << 16)  # canonical strings: ``_STRINGS[s]``
_OBJECTS = _Objects(1 << 15)
_TRUE, _FALSE = ("true",), ("false",)  # a boolean's stand-in in a key (no JSON value is a tuple)
_UNSHARED = ("unshared",)  # a value with no key: its parent is not shared either
# Objects never shared: an API object (``metadata``, which decode() replaces) and its metadata
# (``creationTimestamp``): each is one object's own, a table entry for it would only be kept alive.
_OWN = frozenset({"metadata", "creationTimestamp"})
# Long strings that many objects repeat: a container's imageID (a ~100-character digest reference,
# the same in every pod that runs the image) is shared too, its parent still counted unshared.
_LONG_REPEATED = frozenset({"imageID"})


# _frozen_list and _frozen_object classify each value with the same inline branch (share a short
# string, look up a shared child, key a scalar): a helper called per value would add a function
# call to each of a pod's ~150 values on every decode. Change one, change both (the tests in
# tests/apiserver/test_cacher_memory.py compare decoded objects with and without sharing); only
# _frozen_object knows a value's key (_LONG_REPEATED) and meets FrozenLists (watch_cache_next).
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
                if name in _LONG_REPEATED:
                    v = strings[v]
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
        elif c is FrozenList:  # (only in pairs watch_cache_next passes: the JSON decoder gives lists)
            k = keys.get(id(v), _UNSHARED)
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
    return with_resource_version(obj, mod_revision)


def with_resource_version(obj: FrozenDict, mod_revision: int) -> FrozenDict:
    """The decoded object with its own fresh metadata (a decoded one may be shared with other
    objects), ``resourceVersion`` set to the etcd mod_revision."""
    meta = obj.get("metadata")
    if meta.__class__ is not FrozenDict:
        obj = FrozenDict(obj)  # may be shared (it has no metadata object): a copy of its own
    meta = FrozenDict(meta if meta.__class__ is FrozenDict else ())
    dict.__setitem__(obj, "metadata", meta)
    dict.__setitem__(meta, "resourceVersion", str(mod_revision))
    return obj
