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
``pack_newest`` (the API server's events: written once, seldom read) the newest version is packed too.

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

Simplified: no quota, no bbolt file: the backend is an
in-memory list and compaction finishes at once.

Upstream: etcd server/storage/mvcc/kvstore.go, kvstore_txn.go, index.go
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from typing import Callable, Iterable, Iterator, Sequence, Union

from k8slearn.etcd.key_index import Entry, KeyIndex, mod_revision_of, tombstone_kv, version_at
from k8slearn.etcd.lease import NO_LEASE, LeaseNotFoundError, Lessor
from k8slearn.etcd.packed import KEYFRAME_EVERY, NewestPacking, PackedKeyValue, Stored, pack, unpack
from k8slearn.etcd.revision import CompactedError, EtcdError, FutureRevisionError, KeyValue, Revision
from k8slearn.etcd.txn import (
    ERR_TOO_MANY_OPS,
    MAX_TXN_OPS,
    Compare,
    Delete,
    Get,
    Op,
    Put,
    TxnResult,
    apply_compare,
    check_compare,
    check_key,
    check_ops,
    to_bytes,
)

Change = tuple  # (kv, prev_kv): what one write did; kv is a tombstone (version 0) for a delete


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


class KVStore:
    """An MVCC key-value store with etcd v3 semantics (no watch; see ``watchable_store.MVCCStore``)."""

    def __init__(self, clock: Union[Callable[[], float], None] = None) -> None:
        self.clock = clock or _no_clock  # simulated seconds, for lease expiry
        self.lessor = Lessor(start=self.clock())
        self._rev = 1
        self._compact_rev = 0
        self._current: dict[str, Stored] = {}  # packed only under a pack_newest prefix
        self._newest = NewestPacking()
        self._index: dict[str, Entry] = {}
        self._sorted_keys: list[str] = []  # every key in _index, sorted ...
        self._new_keys: list[str] = []  # ... except these, merged in at the next range
        self._backend: list[Stored] = []  # every stored version, in revision order (history packed)
        self._backend_sub: list[int] = []  # the sub revision of each
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
            return kv if kv.__class__ is not PackedKeyValue else kv.unpack()
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

    def pack_newest(self, prefix: str) -> None:
        """From the next write on, keep the newest value of each key under ``prefix`` packed too.

        For values written once and seldom read (see ``packed.NewestPacking``): every read
        unpacks them, so readers see the same bytes. A simulation memory saving.
        """
        self._newest.add(prefix)

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
        keys = [k for k in self._keys(prefix) if k in self._current]
        if not keys:
            return None
        rev = self._rev + 1
        changes = [self._delete_at(k, rev, sub) for sub, k in enumerate(keys)]
        self._rev = rev
        if self._watchers:
            self._notify(changes)
        return rev

    def txn(
        self, compares: Sequence[Compare], success: Sequence[Op], failure: Sequence[Op] = ()
    ) -> TxnResult:
        """If every compare holds run ``success``, else ``failure``; all writes share one new revision."""
        compares, success, failure = list(compares), list(success), list(failure)
        if len(compares) == 1 and len(success) == 1 and not failure:
            done = self._put_if_mod_revision(compares[0], success[0])
            if done is not None:
                return done
        if len(compares) > MAX_TXN_OPS:
            raise EtcdError(ERR_TOO_MANY_OPS)
        for c in compares:
            check_compare(c)
        for ops in (success, failure):
            check_ops(ops)
            for op in ops:
                if isinstance(op, Get) and op.revision:
                    self._read_rev(op.revision)
                elif isinstance(op, Put) and op.lease:
                    self._check_lease(op.lease)
        succeeded = all(apply_compare(c, self.get(c.key)) for c in compares)
        rev = self._rev + 1
        changes: list[Change] = []
        results: list = []
        for op in success if succeeded else failure:
            if isinstance(op, Put):
                changes.append(self._put_at(op.key, to_bytes(op.value), op.lease, rev, len(changes)))
                results.append(rev)
            elif isinstance(op, Delete):
                keys = [k for k in self._keys(op.key, op.prefix) if k in self._current]
                changes.extend(self._delete_at(k, rev, len(changes) + i) for i, k in enumerate(keys))
                results.append(len(keys))
            else:
                at = op.revision if op.revision and op.revision > 0 else None
                results.append(self._read(op.key, at, op.prefix, op.limit))
        if changes:
            self._rev = rev
            if self._watchers:
                self._notify(changes)
        return TxnResult(succeeded, self._rev, results)

    def _put_if_mod_revision(self, c: Compare, op: Op) -> Union[TxnResult, None]:
        """The API server's write, ``if mod_revision(key) == rev then put(key)``, without the general loop.

        None when the transaction is not exactly that (``txn`` then runs it the general way);
        otherwise the same checks, result and change as the general path. A simulation speed-up.
        """
        if c.__class__ is not Compare or op.__class__ is not Put:
            return None
        key = c.key
        if c.target != "mod_revision" or c.op != "=" or key.__class__ is not str or not key or op.key != key:
            return None
        value = to_bytes(op.value)
        if op.lease:
            self._check_lease(op.lease)
        kv = self._current.get(key)
        if (0 if kv is None else kv.mod_revision) != c.value:
            return TxnResult(False, self._rev, [])
        rev = self._rev + 1
        change = self._put_at(key, value, op.lease, rev, 0)
        self._rev = rev
        if self._watchers:
            self._notify([change])
        return TxnResult(True, rev, [rev])

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
        self._backend_sub = [self._backend_sub[i] for i in kept] + self._backend_sub[cut:]

    # ---- internals ---------------------------------------------------------------------------------

    def _check_lease(self, lease: int) -> None:
        """etcd refuses a put with a lease it does not have, before writing anything."""
        if self.lessor.lookup(lease) is None:
            raise LeaseNotFoundError()

    def _move_lease(self, key: str, old: int, new: int) -> None:
        """The key leaves the lease its previous version had and joins ``new`` (lessor.Attach/Detach)."""
        if old != new:
            if old:
                self.lessor.detach(old, key)
            if new:
                self.lessor.attach(new, key)

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

    def _put_at(self, key: str, value: bytes, lease: int, rev: int, sub: int) -> Change:
        """Store a new version; the change carries it and the one it replaced, both plain."""
        newest = self._newest.prefixes
        stored_prev = prev = self._current.get(key)
        if prev is None:
            ki = self._index.get(key)
            kv = KeyValue(key if ki is None else ki.key, value, rev, rev, 1, lease)
            stored = self._newest.stored(kv) if newest and key.startswith(newest) else kv
            if ki is None:  # a new key: its only version is its index entry (key_index.version_at)
                self._index[key] = stored
                self._new_keys.append(key)
            else:  # re-created after a delete
                ki.put(stored)
            self._db_size += len(value)
            if lease:
                self._move_lease(key, NO_LEASE, lease)
        else:
            if prev.__class__ is PackedKeyValue:  # (only under a pack_newest prefix)
                prev = prev.unpack()
            kv = KeyValue(prev.key, value, prev.create_revision, rev, prev.version + 1, lease)
            stored = self._newest.stored(kv) if newest and key.startswith(newest) else kv
            ki = self._key_index(key)
            self._db_size += len(value) - len(prev.value)
            if lease or prev.lease:
                self._move_lease(key, prev.lease, lease)
            self._pack_superseded(ki, stored_prev, stored)
            ki.put(stored)
        self._current[key] = stored
        self._backend.append(stored)
        self._backend_sub.append(sub)
        return kv, prev

    def _delete_at(self, key: str, rev: int, sub: int) -> Change:
        stored_prev = self._current.pop(key)
        prev = unpack(stored_prev)
        tomb = tombstone_kv(prev.key, rev)
        ki = self._key_index(key)
        self._pack_superseded(ki, stored_prev, None)
        ki.tombstone(tomb)
        self._backend.append(tomb)
        self._backend_sub.append(sub)
        self._db_size -= len(prev.value)
        if prev.lease:
            self._move_lease(key, prev.lease, NO_LEASE)
        return tomb, prev

    def _key_index(self, key: str) -> KeyIndex:
        """The key's ``KeyIndex``, made around its only version if it has none yet (its second write
        or its delete is coming)."""
        ki = self._index[key]
        if ki.__class__ is not KeyIndex:
            ki = self._index[key] = KeyIndex(key, (ki,))
        return ki

    def _pack_superseded(self, ki: KeyIndex, prev: Stored, newer: Union[Stored, None]) -> None:
        """Store ``prev`` compressed: it was the newest version of its key and ``newer`` (None for a
        delete) replaced it; ``prev`` is packed against ``newer`` unless it is a keyframe. (Both are
        as stored: under a ``pack_newest`` prefix, already packed.)

        The change the write returns still carries ``prev`` itself, so watch events get their
        ``prev_kv`` without decompressing. A simulation memory saving (see ``packed``).
        """
        if not ki or ki[-1] is not prev:
            return
        packed = pack(prev, newer if prev.version % KEYFRAME_EVERY else None)
        if packed is prev:
            return
        if len(ki) > 1:
            older = ki[-2]
            if older.__class__ is PackedKeyValue and older.base is prev:
                older.base = packed  # the chain now goes through the packed form
        backend = self._backend
        i = bisect_left(backend, prev.mod_revision, key=mod_revision_of)
        while backend[i] is not prev:
            i += 1
        ki[-1] = backend[i] = packed

    def _notify(self, changes: Sequence[Change]) -> None:
        """Called after each committed write when watchers exist; ``MVCCStore`` delivers the events."""

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
        for key, ki in self._index.items():
            if ki[-1].version:  # the newest version is a put: the key exists
                kv = self._current[key] = ki[-1]
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


__all__ = ["KVStore", "Compare", "Put", "Delete", "Get", "TxnResult", "prefix_end"]
