"""Transactions, and what one write does inside the store: the part of ``KVStore`` that changes it.

A transaction (see ``txn`` for its parts) reads the present, checks every compare, then runs the
success or the failure ops. All its writes share **one** new store revision; the n-th write gets
sub revision n, so ``Revision(main, sub)`` still orders them. A transaction that writes nothing
makes no revision. Each write goes through ``_put_at`` or ``_delete_at``, which update the current
view, the key's ``KeyIndex``, the backend and the leases, and return the ``Change`` (new version,
version it replaced) that watchers are told about.

>>> from k8slearn.etcd.kvstore import KVStore
>>> s = KVStore()
>>> s.txn([], [Put("/registry/pods/default/a", "1"), Put("/registry/pods/default/b", "2")]).revision
2
>>> [str(rev) for rev, kv in s._entries()]
['2.0', '2.1']
>>> r = s.txn([Compare("/registry/pods/default/a", "value", "=", "9")],
...           [Delete("/registry/pods/", prefix=True)], [Get("/registry/pods/default/a")])
>>> r.succeeded, r.revision, [kv.value for kv in r.results[0]]
(False, 2, [b'1'])

Simplified: one member, so a transaction is applied at once (no raft proposal); the API server's
``if mod_revision == rev then put`` takes a short path with the same checks and result.

Upstream: etcd server/storage/mvcc/kvstore_txn.go, server/etcdserver/apply/apply.go (Txn),
server/lease/lessor.go (Attach, Detach)
"""

from __future__ import annotations

from array import array
from typing import Sequence, Union

from k8slearn.etcd.key_index import CurrentVersions, Entry, KeyIndex, tombstone_kv
from k8slearn.etcd.lease import NO_LEASE, LeaseNotFoundError, Lessor
from k8slearn.etcd.packed import NewestPacking, PackedKeyValue, Stored, unpack
from k8slearn.etcd.revision import EtcdError, KeyValue
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
    check_ops,
    to_bytes,
)

Change = tuple  # (kv, prev_kv): what one write did; kv is a tombstone (version 0) for a delete


class StoreTxn:
    """``KVStore.txn`` and the writes it is made of.

    Mixed into ``KVStore``: it changes the store's state (below) and uses the store's reads (``get``,
    ``_read_rev``, ``_keys``, ``_read``), ``_notify`` and ``StoreBackend._pack_superseded``.
    """

    lessor: Lessor
    _rev: int
    _current: CurrentVersions
    _newest: NewestPacking
    _unpacked: tuple
    _index: dict[str, Entry]
    _new_keys: list[str]
    _backend: list[Stored]
    _backend_sub: array[int]
    _db_size: int
    _watchers: tuple

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
            check_ops(ops)  # the request's form (v3rpc checkTxnRequest): both branches
        succeeded = all(apply_compare(c, self.get(c.key)) for c in compares)
        for op in success if succeeded else failure:  # checkRequests: only the branch the compares chose
            if isinstance(op, Get) and op.revision:
                self._read_rev(op.revision)
            elif isinstance(op, Put) and op.lease:
                self._check_lease(op.lease)
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
        change = self._put_at(key, value, op.lease, rev, 0, kv)
        self._rev = rev
        if self._watchers:
            self._notify([change])
        return TxnResult(True, rev, [rev])

    # ---- one write ---------------------------------------------------------------------------------

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

    def _put_at(self, key: str, value: bytes, lease: int, rev: int, sub: int,
                current: Union[Stored, None, bool] = False) -> Change:
        """Store a new version; the change carries it and the one it replaced, both plain.
        (``current``: the key's newest stored version or None, if the caller has read it already.)"""
        newest = self._newest.prefixes
        stored_prev = prev = self._current.get(key) if current is False else current
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
                prev = self._unpacked[1] if self._unpacked[0] is prev else prev.unpack()
            kv = KeyValue(prev.key, value, prev.create_revision, rev, prev.version + 1, lease)
            stored = self._newest.stored(kv) if newest and key.startswith(newest) else kv
            ki = self._key_index(key)
            self._db_size += len(value) - len(prev.value)
            if lease or prev.lease:
                self._move_lease(key, prev.lease, lease)
            self._pack_superseded(ki, stored_prev, prev, stored, value)
            ki.put(stored)
        self._backend.append(stored)  # (the index holds it now: _current reads it from there)
        self._backend_sub.append(sub)
        return kv, prev

    def _delete_at(self, key: str, rev: int, sub: int) -> Change:
        stored_prev = self._current[key]  # (the tombstone below ends it in the index)
        prev = unpack(stored_prev)
        tomb = tombstone_kv(prev.key, rev)
        ki = self._key_index(key)
        self._pack_superseded(ki, stored_prev, prev, None, None)
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
            # (the key string the version holds, not the caller's equal copy: one string per key,
            # a memory saving; the caller's is usually new, built for this request)
            ki = self._index[key] = KeyIndex(ki.key, (ki,))
        return ki
