"""The multi-version key-value store: every write makes a new revision, and old revisions stay readable.

etcd never overwrites a value in place. A put of ``/registry/pods/default/web`` appends a new version
under the next store revision; a delete appends a *tombstone*. A read names a revision ("the key as of
revision 7") or takes the newest. Three structures make that fast here, as in etcd:

* the **backend** — every stored version in revision order (etcd: a bbolt bucket keyed by revision);
  compaction and watch replay scan it;
* the **index** — per key, a ``KeyIndex`` of generations (see ``key_index``; a key written once
  and never deleted has just that version, ``key_index.version_at``), plus the sorted list of
  keys so that a prefix range is two binary searches (etcd: a B-tree of keyIndex);
* the **current view** — a dict from key to its newest ``KeyValue``, so reading the present is one
  dictionary lookup (etcd reads the present through the index too; this is the simulation's shortcut).

A version that a newer put or a delete replaces is stored compressed from then on (``packed``; etcd
keeps history on disk, this simulation in memory): every read of history unpacks it, so readers see
exactly the bytes that were written, and sizes are counted uncompressed. Under a prefix named to
``pack_newest`` (the API server's events: written once, seldom read; its pods: read by gets and
updates, its watch cache serves the rest) the newest version is packed too.

Rules, as etcd v3: a fresh store is at revision 1 and the first write makes revision 2; a delete of a
missing key changes nothing (no new revision); ``version`` counts puts since the key was (re)created and
a delete resets it; ``create_revision`` is the revision of the latest creation. ``compact(R)`` forgets
every version superseded at or before R: reading at R still works, reading before R raises
``CompactedError``, reading after the current revision raises ``FutureRevisionError``.

>>> s = KVStore()
>>> s.revision, s.put("/registry/pods/default/web", "v1"), s.put("/registry/pods/default/web", "v2")
(1, 2, 3)
>>> s.get("/registry/pods/default/web")
KeyValue(key='/registry/pods/default/web', value=b'v2', create_revision=2, mod_revision=3, version=2, lease=0)
>>> s.delete("/registry/pods/default/web"), s.delete("/registry/pods/default/web")
(4, None)
>>> s.put("/registry/pods/default/web", "v3")
5
>>> [(kv.value, kv.create_revision, kv.version) for kv in (s.get("/registry/pods/default/web", r)
...                                                      for r in (2, 3, 5))]
[(b'v1', 2, 1), (b'v2', 2, 2), (b'v3', 5, 1)]
>>> print(s.get("/registry/pods/default/web", revision=4))
None
>>> s.compact(3); s.get("/registry/pods/default/web", revision=3).value
b'v2'
>>> s.get("/registry/pods/default/web", revision=2)
Traceback (most recent call last):
...
k8slearn.etcd.revision.CompactedError: mvcc: required revision has been compacted

A put may attach its key to a lease (see ``lease``): the lease must exist, and the key moves off
the lease it had. Revoking the lease deletes its keys (``MVCCStore.lease_revoke``).

``KVStore`` is written in three modules, along etcd's own files: this one holds the store, its
reads and the single-key writes; ``kvstore_txn`` the transaction and what one write does to the
index, the backend and the leases; ``backend`` compaction, the packing of superseded history, watch
replay and snapshot restore.

Simplified: no quota, no bbolt file: the backend is an
in-memory list and compaction finishes at once.

Upstream: etcd server/storage/mvcc/kvstore.go, index.go
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from typing import Callable, Sequence, Union

from k8slearn.etcd.backend import StoreBackend
from k8slearn.etcd.key_index import CurrentVersions, Entry, version_at
from k8slearn.etcd.kvstore_txn import Change, StoreTxn
from k8slearn.etcd.lease import Lessor
from k8slearn.etcd.packed import NewestPacking, PackedKeyValue, Stored, unpack
from k8slearn.etcd.revision import CompactedError, FutureRevisionError, KeyValue
from k8slearn.etcd.txn import check_key, to_bytes


def _no_clock() -> float:
    return 0.0


def prefix_end(prefix: str) -> str:
    """The first string after every string that starts with ``prefix`` (etcd's GetPrefixRangeEnd).

    >>> prefix_end("/registry/pods/")
    '/registry/pods0'
    """
    while prefix:
        last = ord(prefix[-1])
        if last < 0x10FFFF:
            return prefix[:-1] + chr(last + 1)
        prefix = prefix[:-1]
    return ""  # every key


class KVStore(StoreTxn, StoreBackend):
    """An MVCC key-value store with etcd v3 semantics (no watch; see ``watchable_store.MVCCStore``).

    ``txn`` and the write internals come from ``StoreTxn`` (``kvstore_txn``); ``compact``, the packing
    of history, replay and restore from ``StoreBackend`` (``backend``).
    """

    def __init__(self, clock: Union[Callable[[], float], None] = None) -> None:
        self.clock = clock or _no_clock  # simulated seconds, for lease expiry
        self.lessor = Lessor(start=self.clock())
        self._rev = 1
        self._compact_rev = 0
        self._newest = NewestPacking()
        # The packed newest version ``get`` unpacked last, and its KeyValue: an update reads the key,
        # then writes it, and the write needs the version it replaces (a simulation speed-up: one
        # decompression instead of two; the stored object is kept, so its identity stays its own).
        self._unpacked: tuple = (None, None)
        self._index: dict[str, Entry] = {}
        # each existing key's newest version (packed only under a pack_newest prefix), read from _index
        self._current = CurrentVersions(self._index)
        self._sorted_keys: list[str] = []  # every key in _index, sorted ...
        self._new_keys: list[str] = []  # ... except these, merged in at the next range
        self._backend: list[Stored] = []  # every stored version, in revision order (history packed)
        # the sub revision of each: an array of 4-byte unsigned ints, half a list's 8-byte pointers
        # (a memory saving; sub revisions count the operations of one transaction)
        self._backend_sub: array[int] = array("I")
        self._db_size = 0
        self._watchers: tuple = ()  # filled by MVCCStore; checked before building events

    # ---- the present -------------------------------------------------------------------------------

    @property
    def revision(self) -> int:
        """The revision of the last completed write (1 for a fresh store)."""
        return self._rev

    @property
    def compact_revision(self) -> int:
        """The revision of the last compaction (0 before the first)."""
        return self._compact_rev

    @property
    def db_size(self) -> int:
        """Approximate bytes of the live values."""
        return self._db_size

    def get(self, key: str, revision: Union[int, None] = None) -> Union[KeyValue, None]:
        """The key as of ``revision`` (default: now), or None if it did not exist then."""
        if revision is None or self._read_rev(revision) == self._rev:
            kv = self._current.get(key)
            if kv.__class__ is not PackedKeyValue:
                return kv
            if self._unpacked[0] is not kv:
                self._unpacked = (kv, kv.unpack())
            return self._unpacked[1]
        ki = self._index.get(key)
        return None if ki is None else version_at(ki, revision)

    def value_at(self, key: str, mod_revision: int) -> Union[bytes, None]:
        """The value of the version of ``key`` written at ``mod_revision``, while the store has it
        (a compaction keeps the newest version of every key), else None.

        For a reader that keeps only the revision of what it has seen (the API server's uncached
        resources) and reads the value back when it is asked for it.
        """
        kv = self._current.get(key)
        if kv is None or kv.mod_revision != mod_revision:
            ki = self._index.get(key)
            kv = None if ki is None else version_at(ki, mod_revision)
            if kv is None or kv.mod_revision != mod_revision:
                return None
        return kv.value

    def pack_newest(self, prefix: str, chained: bool = False) -> None:
        """From the next write on, keep the newest value of each key under ``prefix`` packed too
        (``chained``: each against the value written before it under the prefix).

        For values seldom read (see ``packed.NewestPacking``): every read
        unpacks them, so readers see the same bytes. A simulation memory saving.
        """
        self._newest.add(prefix, chained)

    def range(
        self, key_or_prefix: str, revision: Union[int, None] = None, prefix: bool = True, limit: int = 0
    ) -> list[KeyValue]:
        """Keys under ``key_or_prefix`` (exactly it if not ``prefix``) as of ``revision``, sorted by key."""
        rev = None if revision is None else self._read_rev(revision)
        return self._read(key_or_prefix, None if rev == self._rev else rev, prefix, limit)

    def count(self, prefix: str, revision: Union[int, None] = None) -> int:
        """How many keys exist under ``prefix`` (as of ``revision``)."""
        if revision is None or self._read_rev(revision) == self._rev:
            return len(list(filter(self._current.__contains__, self._keys(prefix))))
        return len(self.range(prefix, revision))

    # ---- writes ------------------------------------------------------------------------------------

    def put(self, key: str, value: Union[bytes, str], lease: int = 0) -> int:
        """Write ``value`` under ``key``; returns the new revision."""
        if key.__class__ is not str or not key:
            check_key(key)
        if value.__class__ is not bytes:
            value = to_bytes(value)
        if lease:
            self._check_lease(lease)
        rev = self._rev + 1
        change = self._put_at(key, value, lease, rev, 0)
        self._rev = rev
        if self._watchers:
            self._notify((change,))
        return rev

    def delete(self, key: str) -> Union[int, None]:
        """Delete ``key``: the delete's revision, or None (and no new revision) if it did not exist."""
        if key not in self._current:
            check_key(key)
            return None
        rev = self._rev + 1
        change = self._delete_at(key, rev, 0)
        self._rev = rev
        if self._watchers:
            self._notify((change,))
        return rev

    def delete_prefix(self, prefix: str) -> Union[int, None]:
        """Delete every key under ``prefix`` in one revision; None if there was none."""
        return self._delete_keys(self._keys(prefix))

    def _delete_keys(self, keys: Sequence[str]) -> Union[int, None]:
        """Delete those of ``keys`` that exist, in that order, in one revision; None if none did."""
        keys = [k for k in keys if k in self._current]
        if not keys:
            return None
        rev = self._rev + 1
        changes = [self._delete_at(k, rev, sub) for sub, k in enumerate(keys)]
        self._rev = rev
        if self._watchers:
            self._notify(changes)
        return rev

    # ---- internals ---------------------------------------------------------------------------------

    def _read_rev(self, revision: int) -> int:
        """The revision a read at ``revision`` sees (0 or less = now), or the error etcd returns."""
        if revision <= 0:
            return self._rev
        if revision > self._rev:
            raise FutureRevisionError()
        if revision < self._compact_rev:
            raise CompactedError(self._compact_rev)
        return revision

    def _all_keys(self) -> list[str]:
        new, keys = self._new_keys, self._sorted_keys
        if new:
            if len(new) <= 16:
                for k in new:
                    insort(keys, k)
            else:
                keys.extend(new)
                keys.sort()  # timsort: one long sorted run plus a tail
            self._new_keys = []
        return self._sorted_keys

    def _keys(self, key: str, prefix: bool = True) -> list[str]:
        """Keys in the index (alive or not) under ``key``, or just ``key``."""
        if not prefix:
            return [key] if key in self._index else []
        keys = self._all_keys()
        if not key:
            return keys[:]
        lo = bisect_left(keys, key)
        end = prefix_end(key)
        return keys[lo : bisect_left(keys, end, lo) if end else len(keys)]

    def _read(self, key: str, rev: Union[int, None], prefix: bool, limit: int) -> list[KeyValue]:
        """Range read; ``rev`` None means the current view (including the writes of a running txn)."""
        keys = self._keys(key, prefix)
        if rev is None:
            kvs = list(filter(None, map(self._current.get, keys)))
            if self._newest.prefixes:
                kvs = list(map(unpack, kvs))
        else:
            index = self._index
            kvs = [kv for kv in (version_at(index[k], rev) for k in keys) if kv is not None]
        return kvs[:limit] if limit > 0 else kvs

    def _notify(self, changes: Sequence[Change]) -> None:
        """Called after each committed write when watchers exist; ``MVCCStore`` delivers the events."""


__all__ = ["KVStore", "prefix_end"]
