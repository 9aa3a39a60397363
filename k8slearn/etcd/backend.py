"""The backend side of the store: compaction, packed history, watch replay and snapshot restore.

etcd keeps every version in its backend, a bbolt bucket keyed by revision; here ``KVStore._backend``
is a list in revision order (with ``_backend_sub``, the sub revision of each). This part of
``KVStore`` works on it:

* **compaction** — ``compact(R)`` drops every version superseded at or before R, from each key's
  ``KeyIndex`` and from the backend; the version each key had at R stays readable;
* **packed history** — a version that a newer put or a delete replaces is stored compressed against
  the newer one (``packed``), so history costs little memory and reads still see the exact bytes;
* **replay** — a watcher that starts in the past reads the backend from its start revision;
* **snapshot** — ``_entries`` lists the backend as etcd's key bucket holds it, ``_load`` rebuilds an
  empty store from that list (and packs its history again).

>>> from k8slearn.etcd.kvstore import KVStore
>>> s = KVStore()
>>> s.put("/registry/pods/default/web", "v1"), s.put("/registry/pods/default/web", "v2")
(2, 3)
>>> s.delete("/registry/pods/default/web")
4
>>> [(str(rev), kv.version, kv.value) for rev, kv in s._entries()]
[('2.0', 1, b'v1'), ('3.0', 2, b'v2'), ('4.0', 0, b'')]
>>> s.compact(3); [(str(rev), kv.value) for rev, kv in s._entries()]
[('3.0', b'v2'), ('4.0', b'')]

Simplified: compaction finishes at once (etcd deletes from bbolt in batches,
``kvstore_compaction.go``), nothing is written to disk, and no defragmentation.

Upstream: etcd server/storage/mvcc/kvstore_compaction.go, kvstore.go (compact, restore), index.go
(Compact), server/storage/backend/backend.go
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from typing import Iterable, Iterator, Union

from k8slearn.etcd.key_index import CurrentVersions, Entry, KeyIndex, mod_revision_of, version_at
from k8slearn.etcd.packed import KEYFRAME_EVERY, PackedKeyValue, Stored, pack, unpack
from k8slearn.etcd.revision import CompactedError, EtcdError, FutureRevisionError, KeyValue, Revision


class StoreBackend:
    """``KVStore``'s work on its backend and history.

    Mixed into ``KVStore``: it changes the store's state (below) and uses ``KVStore._all_keys``.
    """

    _rev: int
    _compact_rev: int
    _current: CurrentVersions
    _index: dict[str, Entry]
    _sorted_keys: list[str]
    _backend: list[Stored]
    _backend_sub: array[int]
    _db_size: int

    # ---- compaction and packed history -------------------------------------------------------------

    def compact(self, revision: int) -> None:
        """Forget every version superseded at or before ``revision``."""
        if revision <= self._compact_rev:
            raise CompactedError(self._compact_rev)
        if revision > self._rev:
            raise FutureRevisionError()
        self._compact_rev = revision
        keep: set[int] = set()
        emptied = []
        for key, ki in self._index.items():
            if ki.__class__ is not KeyIndex:  # a key's only version: it stays (read at revision if older)
                if ki.mod_revision <= revision:
                    keep.add(id(ki))
                continue
            ki.compact(revision, keep)
            if ki.is_empty():
                emptied.append(key)
        if emptied:
            gone = set(emptied)
            for key in emptied:
                del self._index[key]
            self._sorted_keys = [k for k in self._all_keys() if k not in gone]
        cut = bisect_right(self._backend, revision, key=mod_revision_of)
        kept = [i for i in range(cut) if id(self._backend[i]) in keep]
        self._backend = [self._backend[i] for i in kept] + self._backend[cut:]
        self._backend_sub = array("I", [self._backend_sub[i] for i in kept]) + self._backend_sub[cut:]

    def _pack_superseded(self, ki: KeyIndex, prev: Stored, plain: KeyValue, newer: Union[Stored, None],
                         newer_value: Union[bytes, None]) -> None:
        """Store ``prev`` compressed: it was the newest version of its key (``plain`` is its
        ``KeyValue``, ``prev`` as stored: under a ``pack_newest`` prefix, already packed) and
        ``newer`` (whose value is ``newer_value``; None for a delete) replaced it; ``prev`` is packed
        against ``newer`` unless it is a keyframe.

        The change the write returns still carries ``plain``, so watch events get their
        ``prev_kv`` without decompressing. A simulation memory saving (see ``packed``).
        """
        if not ki or ki[-1] is not prev:
            return
        base = newer if prev.version % KEYFRAME_EVERY else None
        packed = pack(plain, base, None if base is None else newer_value)
        if packed is plain:
            return  # it would not shrink: stored as it was
        if len(ki) > 1:
            older = ki[-2]
            if older.__class__ is PackedKeyValue and older.base is prev:
                older.base = packed  # the chain now goes through the packed form
        backend = self._backend
        i = bisect_left(backend, prev.mod_revision, key=mod_revision_of)
        while backend[i] is not prev:
            i += 1
        ki[-1] = backend[i] = packed

    # ---- the backend, for watch replay and snapshots -----------------------------------------------

    def _backend_since(self, rev: int) -> list[Stored]:
        """Every stored version with ``mod_revision >= rev``, in revision order (``unpack`` each to read)."""
        return self._backend[bisect_left(self._backend, rev, key=mod_revision_of) :]

    def _prev_kv(self, kv: KeyValue) -> Union[KeyValue, None]:
        """The version ``kv`` replaced, if it is still readable (etcd reads it at ``mod_revision - 1``)."""
        if kv.version == 1 or kv.mod_revision - 1 < self._compact_rev:
            return None
        return version_at(self._index[kv.key], kv.mod_revision - 1)

    def _entries(self) -> Iterator[tuple[Revision, KeyValue]]:
        """The backend as etcd's key bucket holds it: (revision, version) in revision order."""
        for kv, sub in zip(self._backend, self._backend_sub):
            yield Revision(kv.mod_revision, sub), unpack(kv)

    def _load(
        self, revision: int, compact_revision: int, entries: Iterable[tuple[Revision, KeyValue]]
    ) -> None:
        """Rebuild an empty store from ``_entries()`` of another (snapshot restore)."""
        if self._backend or self._rev != 1:
            raise EtcdError("restore needs an empty store")
        for rev, kv in entries:
            ki = self._index.get(kv.key)
            if ki is None:
                ki = self._index[kv.key] = KeyIndex(kv.key)
                if kv.version == 0:
                    ki.restore_tombstone(kv)
                else:
                    ki.put(kv)
            elif kv.version == 0:
                ki.tombstone(kv)
            else:
                ki.put(kv)
            self._backend.append(kv)
            self._backend_sub.append(rev.sub)
        for kv in self._current.values():  # the keys whose newest version is a put
            self._db_size += len(kv.value)
        self._pack_history()
        self._sorted_keys = sorted(self._index)
        self._rev = max(revision, compact_revision, 1)
        self._compact_rev = compact_revision

    def _pack_history(self) -> None:
        """Pack every stored version that is not the newest of its key (after a restore), newest
        first in each generation, each against the next one as ``_pack_superseded`` would."""
        packed_by_id: dict[int, Stored] = {}
        originals = []  # kept alive until the backend is rewritten, so that their ids stay theirs
        current = self._current
        for ki in self._index.values():
            now = current.get(ki.key)
            nxt = stored_next = None  # the plain version after ki[i], and how it is stored
            for i in range(len(ki) - 1, -1, -1):
                kv = ki[i]
                if kv.version and kv is not now:
                    if nxt is None or not nxt.version:  # ended by a delete: no base
                        p = pack(kv)
                    else:
                        p = pack(kv, stored_next if kv.version % KEYFRAME_EVERY else None, nxt.value)
                    if p is not kv:
                        originals.append(kv)
                        packed_by_id[id(kv)] = ki[i] = p
                nxt, stored_next = kv, ki[i]
        if packed_by_id:
            self._backend = [packed_by_id.get(id(kv), kv) for kv in self._backend]
