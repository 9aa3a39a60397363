"""The per-key history index: which revisions of one key exist, grouped into generations.

etcd keeps, for every key, a ``keyIndex``: a list of *generations*. A generation is one life of the
key, from the put that created it to the delete (tombstone) that ended it. A delete appends the
tombstone to the current generation and opens a new, empty one; the next put starts filling it. The
store asks the index "what did this key look like at revision R?" and the index answers by finding
the generation alive at R and, inside it, the last version written at or before R.

Compaction at revision R drops, in every generation, the versions older than the last one at or
before R (that one must stay: it is the key's value *at* R). Generations that ended before R vanish
entirely, and a key left with nothing but an empty generation leaves the index.

Simplified: etcd stores ``Revision`` pairs in a list of generations and fetches values from the
backend; here a ``KeyIndex`` is one flat list of the ``KeyValue`` versions themselves, oldest first
(a memory saving: one list per key, not a list of lists). A tombstone (a ``KeyValue`` with
``version == 0``) ends a generation, so the generations are the runs that end with a tombstone,
then the current one after the last tombstone (empty if the key is deleted); ``generations`` spells
them out. Only main revisions are compared: one transaction never writes one key twice. A
superseded version may be stored packed (``packed.PackedKeyValue``, its value compressed); ``get``
always answers with the plain ``KeyValue``.

Worked example (the one in etcd's key_index.go): put at 1 and 2, delete at 3, put at 4, delete at 5.

>>> from k8slearn.etcd.revision import KeyValue
>>> def put(ki, rev):
...     prev = ki.get(rev - 1)
...     ki.put(KeyValue("foo", b"v%d" % rev, prev.create_revision if prev else rev, rev,
...                     prev.version + 1 if prev else 1))
>>> ki = KeyIndex("foo")
>>> put(ki, 1); put(ki, 2); ki.tombstone(tombstone_kv("foo", 3))
>>> put(ki, 4); ki.tombstone(tombstone_kv("foo", 5))
>>> print(ki)
foo: [1 2 3(t)] [4 5(t)] []
>>> len(ki), len(ki.generations)
(5, 3)
>>> ki.get(2).value, ki.get(3), ki.get(4).value, ki.get(4).create_revision, ki.get(6)
(b'v2', None, b'v4', 4, None)
>>> keep = set()
>>> ki.compact(2, keep); print(ki)
foo: [2 3(t)] [4 5(t)] []
>>> ki.compact(4, keep); print(ki)
foo: [4 5(t)] []
>>> ki.compact(5, keep); print(ki)
foo: [5(t)] []
>>> ki.compact(6, keep); print(ki), ki.is_empty()
foo: []
(None, True)

Upstream: etcd server/storage/mvcc/key_index.go
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from operator import attrgetter
from typing import Any, Iterable, Iterator, Union

from k8slearn.etcd.packed import Stored, unpack
from k8slearn.etcd.revision import KeyValue

ERR_REVISION_NOT_FOUND = "mvcc: revision not found"

mod_revision_of = attrgetter("mod_revision")


def tombstone_kv(key: str, rev: int) -> KeyValue:
    """The record a delete leaves behind: no value, version 0, ``mod_revision`` = the delete's revision."""
    return KeyValue(key, b"", 0, rev, 0, 0)


class KeyIndex(list):
    """All uncompacted versions of one key, oldest first; a tombstone ends a generation.

    The list holds the stored versions (``KeyValue`` or ``PackedKeyValue``) in revision order.
    """

    __slots__ = ("key",)

    def __init__(self, key: str, versions: Iterable[Stored] = ()) -> None:
        super().__init__(versions)  # a new key's first version: a list of exactly one item
        self.key = key

    # A put records a new version at the end of the current generation (creating the key if it is
    # empty): list.append itself, without a Python call around it (one per write to etcd).
    put = list.append

    def tombstone(self, kv: KeyValue) -> None:
        """Record a delete: it ends the current generation (the next put opens a new one)."""
        if not self or self[-1].version == 0:
            raise ValueError(ERR_REVISION_NOT_FOUND)
        self.append(kv)

    def restore_tombstone(self, kv: KeyValue) -> None:
        """Restore a key whose only surviving version is a tombstone (kept by compaction)."""
        self[:] = [kv]

    def get(self, at_rev: int) -> KeyValue | None:
        """The version alive at ``at_rev``, or None if the key did not exist then."""
        i = bisect_right(self, at_rev, key=mod_revision_of) - 1  # the last version at or before at_rev
        if i < 0:
            return None
        kv = self[i]
        return None if kv.version == 0 else unpack(kv)  # a tombstone: deleted, not yet re-created

    def compact(self, at_rev: int, keep: set[int]) -> None:
        """Drop the versions superseded at ``at_rev``.

        The ``id()`` of each version kept at or below ``at_rev`` goes into ``keep``: the backend keeps those.
        """
        i = bisect_right(self, at_rev, key=mod_revision_of) - 1  # the last version at or before at_rev
        if i < 0:
            return
        kv = self[i]
        if kv.version == 0 and kv.mod_revision < at_rev:
            del self[: i + 1]  # every generation up to this delete ended before at_rev: all vanish
        else:
            keep.add(id(kv))  # the key's value (or tombstone) at at_rev stays; older ones go
            del self[:i]

    def is_empty(self) -> bool:
        """True when nothing is left: the key can leave the index."""
        return not self

    @property
    def generations(self) -> list[list[Stored]]:
        """The versions grouped as etcd's generations (a new list, for reading): the last is the current
        one, empty when the key is deleted."""
        gens: list[list[Stored]] = [[]]
        for kv in self:
            gens[-1].append(kv)
            if kv.version == 0:
                gens.append([])
        return gens

    def __str__(self) -> str:
        def rev(kv: KeyValue) -> str:
            return f"{kv.mod_revision}(t)" if kv.version == 0 else str(kv.mod_revision)

        return f"{self.key}: " + " ".join("[" + " ".join(map(rev, g)) + "]" for g in self.generations)

    def __repr__(self) -> str:
        return f"<KeyIndex {self}>"


Entry = Union[KeyIndex, Stored]  # what the store's index holds for a key (see version_at)


def version_at(entry: Entry, at_rev: int) -> KeyValue | None:
    """``KeyIndex.get`` for an entry of the store's index: a ``KeyIndex``, or, for a key written once
    and never deleted (most keys: events), its only version itself, without a KeyIndex around it
    (a memory saving: the store makes the KeyIndex at the key's second write or its delete).

    >>> only = KeyValue("/registry/events/default/e1", b"{}", 4, 4, 1)
    >>> version_at(only, 3), version_at(only, 4) is only, version_at(KeyIndex("k", [only]), 9) is only
    (None, True, True)
    """
    if entry.__class__ is KeyIndex:
        return entry.get(at_rev)
    return unpack(entry) if entry.mod_revision <= at_rev else None


class CurrentVersions(Mapping):
    """The newest stored version of every existing key (key -> ``Stored``), read from the index.

    The store's index already holds it: an entry that is not a ``KeyIndex`` is a key's only version
    (alive: a delete makes a KeyIndex); a ``KeyIndex``'s last version is the newest, unless that is
    a tombstone (the key is deleted) or the list is empty. The store used to keep a dict of its own
    for this, one more entry per key (with a dict's growth slack, ~50-80 bytes each, and the
    envelope has ~750,000 keys, events included); reading through the index answers the same: a
    simulation memory saving. Iteration follows the index (the order keys were first written).

    >>> index = {"a": KeyValue("a", b"1", 2, 2, 1), "b": KeyIndex("b", [KeyValue("b", b"x", 3, 3, 1)])}
    >>> current = CurrentVersions(index)
    >>> current["a"].value, current.get("b").value, "c" in current, len(current)
    (b'1', b'x', False, 2)
    >>> index["b"].tombstone(tombstone_kv("b", 4))
    >>> current.get("b"), list(current)
    (None, ['a'])
    """

    __slots__ = ("_index",)

    def __init__(self, index: dict) -> None:
        self._index = index

    def get(self, key: str, default: Any = None) -> Any:
        entry = self._index.get(key)
        if entry.__class__ is KeyIndex:
            if not entry:
                return default
            entry = entry[-1]
            if not entry.version:
                return default
        return default if entry is None else entry

    def __getitem__(self, key: str) -> Stored:
        kv = self.get(key)
        if kv is None:
            raise KeyError(key)
        return kv

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        get = self.get
        return (key for key in list(self._index) if get(key) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)
