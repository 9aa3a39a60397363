"""Superseded versions, kept compressed in memory: a simulation memory saving with identical reads.

etcd keeps every uncompacted version of every key in its bbolt file on disk, and only the pages it
reads are in memory. This simulation keeps the whole history in memory, so a version that a newer
one has replaced (or that a delete has ended) is stored as a ``PackedKeyValue``: the same fields,
with the value compressed (zlib level 3) against the next version of the same key as a preset
dictionary (``base``), so what is stored is little more than the difference between two versions (a
pod's 1.8 kB JSON packs to ~90 bytes). Reading a packed version decompresses its ``base`` first, and
so on along the chain; every ``KEYFRAME_EVERY``-th version of a key (``version`` 16, 32 ...) is
compressed on its own (``base`` None) to keep chains short. A version that ended its key's life
(a delete came next) has no base either. The newest version of a key is packed only under a
prefix the store was told to (``NewestPacking``). Whatever reads history (``get``/``range`` at an old revision, watch replay,
``prev_kv``, snapshots) calls ``unpack`` and gets back a ``KeyValue`` equal to the one written, byte
for byte. Sizes the store reports are unchanged: ``size`` is the uncompressed length.

A value that does not shrink (short ones, e.g. ``b"v1"``) is not packed: ``pack`` returns it as is.

>>> kv = KeyValue("/registry/pods/default/web", b'{"kind":"Pod","spec":{}}' * 8, 2, 3, 2)
>>> p = pack(kv)
>>> p.__class__.__name__, p.mod_revision, p.size, len(p.data) < p.size, p.base
('PackedKeyValue', 3, 192, True, None)
>>> unpack(p) == kv, unpack(kv) is kv, p.value == kv.value
(True, True, True)
>>> older = KeyValue(kv.key, b'{"kind":"Pod","spec":{}}' * 7 + b'{"kind":"Pod"}', 2, 2, 1)
>>> q = pack(older, base=p)                      # compressed against the next version
>>> q.base is p, len(q.data) < len(p.data), unpack(q) == older
(True, True, True)
>>> small = KeyValue("/k", b"v1", 2, 2, 1)
>>> pack(small) is small
True

Upstream: etcd server/storage/backend/backend.go (history lives in bbolt on disk; no counterpart)
"""

from __future__ import annotations

import zlib
from typing import Union

from k8slearn.etcd.revision import KeyValue

MIN_PACK_SIZE = 64  # shorter values are kept as they are: zlib's header would eat the saving
KEYFRAME_EVERY = 16  # the store packs versions 16, 32, ... of a key without a base
# An 8 kB window and a small hash table: values are a few kB, and zlib's defaults (32 kB window,
# memLevel 8) spend ten times longer setting up their tables than compressing one value. Raw
# deflate (negative wbits): no zlib header and checksum, 6 bytes less per packed version.
WBITS, MEM_LEVEL = -13, 6
# Level 3: still zlib's fast matcher, but following longer hash chains than level 1 finds the long
# runs a value shares with its preset dictionary: measured on the mass benchmark's values, a
# superseded pod version packs to ~64 bytes instead of ~83, a pod's newest value to ~314 instead
# of ~350, an event to ~137 instead of ~146, and no slower (fewer, longer matches to emit).
LEVEL = 3

_decompress = zlib.decompress
_compressobj = zlib.compressobj
_decompressobj = zlib.decompressobj


class PackedKeyValue:
    """A stored ``KeyValue`` whose value is zlib-compressed; ``unpack`` gives the ``KeyValue`` back."""

    __slots__ = ("key", "data", "create_revision", "mod_revision", "version", "lease", "base")

    def __init__(self, kv: KeyValue, data: bytes, base: Union[Stored, None] = None) -> None:
        self.base = base  # the stored next version whose value is data's preset dictionary, or None
        self.key = kv.key
        self.data = data
        self.create_revision = kv.create_revision
        self.mod_revision = kv.mod_revision
        self.version = kv.version
        self.lease = kv.lease

    @property
    def size(self) -> int:
        """The uncompressed length (decompressed to count it: not kept, to keep the record small)."""
        return len(self.value)

    @property
    def value(self) -> bytes:
        """The original value bytes (decompressed, along the chain of bases, on every access)."""
        chain = [self]
        base = self.base
        while base.__class__ is PackedKeyValue:
            chain.append(base)
            base = base.base
        value = b"" if base is None else base.value
        for p in reversed(chain):
            if p.base is None:
                value = _decompress(p.data, WBITS)
            else:
                value = _decompressobj(WBITS, zdict=value).decompress(p.data)
        return value

    def unpack(self) -> KeyValue:
        return KeyValue(self.key, self.value, self.create_revision, self.mod_revision, self.version, self.lease)

    def __repr__(self) -> str:
        return (f"PackedKeyValue(key={self.key!r}, packed={len(self.data)}, "
                f"mod_revision={self.mod_revision}, version={self.version})")


Stored = Union[KeyValue, PackedKeyValue]


def pack(kv: KeyValue, base: Union[Stored, None] = None, zdict: Union[bytes, None] = None) -> Stored:
    """``kv`` with its value compressed (against ``base``'s value, if given), or ``kv`` itself if that
    would not save memory. ``zdict``, if given, is ``base.value`` already at hand."""
    value = kv.value
    if len(value) < MIN_PACK_SIZE:
        return kv
    if base is None:
        c = _compressobj(LEVEL, zlib.DEFLATED, WBITS, MEM_LEVEL)
    else:
        c = _compressobj(LEVEL, zlib.DEFLATED, WBITS, MEM_LEVEL, zdict=base.value if zdict is None else zdict)
    data = c.compress(value) + c.flush()
    return PackedKeyValue(kv, data, base) if len(data) < len(value) else kv


def unpack(kv: Stored) -> KeyValue:
    """The ``KeyValue`` a stored version stands for (itself if it was never packed)."""
    return kv if kv.__class__ is KeyValue else kv.unpack()


class NewestPacking:
    """Which keys keep their *newest* value packed too, and the preset dictionary for each prefix.

    For values seldom read (the API server's events: it does not cache them and reads them back
    from etcd when asked; its pods: the watch cache serves their lists and watches, etcd's newest
    value is read by a get or an update): each is packed against a value written before it under
    its prefix, the *dictionary*, and every read unpacks it. The dictionary is renewed as values
    come: the 1st, 2nd, 4th, 8th ... value written under the prefix becomes the dictionary of
    those after it, so it soon is a typical value rather than the very first one (a cluster's
    first events are about its nodes, most later ones about pods: ~710 bytes then pack to ~150
    rather than ~240, and faster). Each packed value keeps its own dictionary as its ``base``; at
    most one per power of two stays alive. A simulation memory saving like the rest of this
    module; reads return the same bytes.

    Under a *chained* prefix (the API server's events: written in runs that repeat one another's
    names, node, timestamps and reasons), a value is packed against the value stored just before
    it under the prefix instead, whatever its key (~105 bytes rather than ~137 for an event), and
    keeps that stored value as its ``base``; every ``KEYFRAME_EVERY``-th value still goes against
    the dictionary, so that reading one unpacks at most ``KEYFRAME_EVERY`` values. (A value keeps
    the ones before it in its chain alive, fifteen at most, as long as it is kept itself.)

    >>> newest = NewestPacking()
    >>> newest.add("/registry/events/")
    >>> ev = KeyValue("/registry/events/default/a", b'{"kind":"Event","reason":"Pulled"}' * 4, 2, 2, 1)
    >>> p = newest.stored(ev)
    >>> p.__class__.__name__, unpack(p) == ev, p.base.value == ev.value
    ('PackedKeyValue', True, True)
    >>> pod = KeyValue("/registry/pods/default/a", ev.value, 3, 3, 1)
    >>> newest.stored(pod) is pod
    True
    >>> later = [KeyValue(f"/registry/events/default/e{i}", ev.value + b"%d" % i, 4, 4, 1) for i in range(3)]
    >>> [newest.stored(kv).base.value[-1:] for kv in later]  # the 2nd and the 4th value: dictionaries
    [b'0', b'0', b'2']
    >>> newest.add("/registry/leases/", chained=True)
    >>> chain = [newest.stored(KeyValue(f"/registry/leases/l{i}", ev.value + b"%d" % i, 5, 5, 1)) for i in range(3)]
    >>> chain[1].base is chain[0], chain[2].base is chain[1], unpack(chain[2]).value == ev.value + b"2"
    (True, True, True)
    """

    __slots__ = ("chained", "dictionaries", "prefixes", "previous", "written")

    def __init__(self) -> None:
        self.prefixes: tuple[str, ...] = ()
        self.dictionaries: dict[str, KeyValue] = {}  # per prefix: the dictionary (see the class doc)
        self.written: dict[str, int] = {}  # per prefix: how many values were stored under it
        self.chained: set[str] = set()  # prefixes whose values are packed against the one before
        self.previous: dict[str, tuple[Stored, bytes]] = {}  # per chained prefix: the last one stored, its value

    def add(self, prefix: str, chained: bool = False) -> None:
        """Keep the newest values under ``prefix`` packed, from the next write on (``chained``: each
        against the value stored before it; see the class doc)."""
        if prefix not in self.prefixes:
            self.prefixes += (prefix,)
        if chained:
            self.chained.add(prefix)

    def stored(self, kv: KeyValue) -> Stored:
        """How the store keeps ``kv`` as a key's newest version: packed if its key is under a prefix."""
        for prefix in self.prefixes:
            if kv.key.startswith(prefix):
                n = self.written[prefix] = self.written.get(prefix, 0) + 1
                if n & (n - 1) == 0:  # n is a power of two: this value is the dictionary from now on
                    # (not a stored version: only a dictionary, for the values packed against it)
                    self.dictionaries[prefix] = KeyValue(prefix, kv.value, 0, 0, 0)
                base = self.dictionaries[prefix]
                zdict = base.value
                if prefix not in self.chained:
                    return pack(kv, base, zdict)
                previous = self.previous.get(prefix)
                if previous is not None and n % KEYFRAME_EVERY:  # (a keyframe: the dictionary)
                    base, zdict = previous
                stored = self.previous[prefix] = pack(kv, base, zdict), kv.value
                return stored[0]
        return kv
