"""The per-key history index: which revisions of one key exist, grouped into generations.

etcd keeps, for every key, a ``keyIndex``: a list of *generations*. A generation is one life of the
key, from the put that created it to the delete (tombstone) that ended it. A delete appends the
tombstone to the current generation and opens a new, empty one; the next put starts filling it. The
store asks the index "what did this key look like at revision R?" and the index answers by finding
the generation alive at R and, inside it, the last version written at or before R.

Compaction at revision R drops, in every generation, the versions older than the last one at or
before R (that one must stay: it is the key's value *at* R). Generations that ended before R vanish
entirely, and a key left with nothing but an empty generation leaves the index.

Simplified: etcd stores ``Revision`` pairs in a generation and fetches values from the backend; here a
generation is simply the list of the ``KeyValue`` versions themselves (a tombstone is a ``KeyValue``
with ``version == 0``), so a generation's created revision is ``gen[0].create_revision`` and its
version count is the ``version`` of its last put. Only main revisions are compared: one transaction
never writes one key twice. A superseded version may be stored packed (``packed.PackedKeyValue``,
its value compressed); ``get`` always answers with the plain ``KeyValue``.

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
from operator import attrgetter

from k8slearn.etcd.packed import unpack
from k8slearn.etcd.revision import KeyValue

ERR_REVISION_NOT_FOUND = "mvcc: revision not found"

mod_revision_of = attrgetter("mod_revision")


def tombstone_kv(key: str, rev: int) -> KeyValue:
    """The record a delete leaves behind: no value, version 0, ``mod_revision`` = the delete's revision."""
    return KeyValue(key, b"", 0, rev, 0, 0)


class KeyIndex:
    """All uncompacted versions of one key, oldest generation first."""

    __slots__ = ("key", "generations")

    def __init__(self, key: str) -> None:
        self.key = key
        self.generations: list[list[KeyValue]] = [[]]

    def put(self, kv: KeyValue) -> None:
        """Record a new version at the end of the current generation (creating the key if it is empty)."""
        self.generations[-1].append(kv)

    def tombstone(self, kv: KeyValue) -> None:
        """Record a delete: it ends the current generation and opens an empty one."""
        if not self.generations[-1]:
            raise ValueError(ERR_REVISION_NOT_FOUND)
        self.generations[-1].append(kv)
        self.generations.append([])

    def restore_tombstone(self, kv: KeyValue) -> None:
        """Restore a key whose only surviving version is a tombstone (kept by compaction)."""
        self.generations = [[kv], []]

    def get(self, at_rev: int) -> KeyValue | None:
        """The version alive at ``at_rev``, or None if the key did not exist then."""
        gens = self.generations
        last = len(gens) - 1
        for i in range(last, -1, -1):
            g = gens[i]
            if not g:
                continue
            if i != last and g[-1].mod_revision <= at_rev:
                return None  # deleted at or before at_rev, and not yet re-created
            if g[0].mod_revision <= at_rev:
                return unpack(g[bisect_right(g, at_rev, key=mod_revision_of) - 1])
        return None

    def compact(self, at_rev: int, keep: set[int]) -> None:
        """Drop the versions superseded at ``at_rev``.

        The ``id()`` of each version kept at or below ``at_rev`` goes into ``keep``: the backend keeps those.
        """
        gens = self.generations
        gi = 0
        # the first generation that is still alive at at_rev, or created after it
        while gi < len(gens) - 1 and gens[gi][-1].mod_revision < at_rev:
            gi += 1
        g = gens[gi]
        if g:
            ri = bisect_right(g, at_rev, key=mod_revision_of) - 1
            if ri >= 0:
                keep.add(id(g[ri]))
                if ri:
                    del g[:ri]
        if gi:
            del gens[:gi]

    def is_empty(self) -> bool:
        """True when nothing is left: the key can leave the index."""
        return len(self.generations) == 1 and not self.generations[0]

    def __str__(self) -> str:
        def rev(kv: KeyValue) -> str:
            return f"{kv.mod_revision}(t)" if kv.version == 0 else str(kv.mod_revision)

        return f"{self.key}: " + " ".join("[" + " ".join(map(rev, g)) + "]" for g in self.generations)

    def __repr__(self) -> str:
        return f"<KeyIndex {self}>"
