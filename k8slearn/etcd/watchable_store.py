"""Watch: tell interested parties about every change, in revision order, starting from any revision.

Every Kubernetes component learns about the world this way: the API server watches etcd, informers
watch the API server. A watcher names a key (or a prefix) and a start revision. First it is
*unsynced*: the store replays, from its backend, every stored event at or after the start revision.
Then it is *synced*: each write, once committed, is pushed to it as an ``Event`` — ``PUT`` (a creation
when ``kv.version == 1``) or ``DELETE`` (``kv`` is the tombstone: the delete's revision, version 0,
no value), with ``prev_kv``, the version it replaced. A start revision older than the last compaction
cannot be replayed: the watch fails with ``CompactedError`` (etcd cancels it and reports the
compact revision), and the watcher must list again and watch from the new revision — exactly what
an informer does on "410 Gone".

>>> s = MVCCStore()
>>> s.put("/registry/pods/default/a", "1"), s.put("/registry/minions/node-1", "n")
(2, 3)
>>> s.delete("/registry/pods/default/a")
4
>>> w = s.watch("/registry/pods/", start_revision=2)     # replays history from revision 2
>>> s.put("/registry/pods/default/b", "2")
5
>>> for ev in w:
...     print(ev.type, ev.kv.key, ev.kv.mod_revision, ev.prev_kv and ev.prev_kv.value)
PUT /registry/pods/default/a 2 None
DELETE /registry/pods/default/a 4 b'1'
PUT /registry/pods/default/b 5 None
>>> list(w)                                              # drained; later writes arrive later
[]
>>> seen = []
>>> w2 = s.watch("/registry/pods/default/b", prefix=False, callback=seen.append)
>>> s.put("/registry/pods/default/b", "3"); [(e.type, e.kv.version) for e in seen]
6
[('PUT', 2)]
>>> s.compact(5); s.watch("/registry/pods/", start_revision=4)
Traceback (most recent call last):
...
k8slearn.etcd.revision.CompactedError: mvcc: required revision has been compacted

Simplified: delivery is synchronous — a callback runs right after the write commits, before ``put``
returns — and buffers never overflow, so there are no slow "victim" watchers. Events that a write
triggers while callbacks are running are queued and delivered after, so every watcher still sees
revision order. A callback that raises loses the rest of that write's events for its own watcher;
the other watchers still get them, then the first exception reaches the writer (the write itself has
committed). No progress notifications or filters.

Upstream: etcd server/storage/mvcc/watchable_store.go, watcher.go, api/mvccpb/kv.proto (Event)
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Iterator, NamedTuple, Sequence, Union

from k8slearn.etcd import snapshot as _snapshot
from k8slearn.etcd.kvstore import KVStore
from k8slearn.etcd.kvstore_txn import Change
from k8slearn.etcd.lease import NO_LEASE, Lease, TimeToLive
from k8slearn.etcd.packed import unpack
from k8slearn.etcd.revision import CompactedError, KeyValue
from k8slearn.etcd.snapshot import PathLike
from k8slearn.etcd.txn import check_key

PUT = "PUT"
DELETE = "DELETE"


class Event(NamedTuple):
    """One change: ``PUT`` or ``DELETE``, the new version (a tombstone for a delete), the one it replaced."""

    type: str
    kv: KeyValue
    prev_kv: Union[KeyValue, None] = None


def event_of(kv: KeyValue, prev_kv: Union[KeyValue, None]) -> Event:
    return Event(DELETE if kv.version == 0 else PUT, kv, prev_kv)


class Watcher:
    """A watch on one key or prefix. Iterate to drain buffered events, or pass ``callback=`` to ``watch``."""

    __slots__ = ("watch_id", "key", "prefix", "start_revision", "callback", "canceled",
                 "_store", "_events", "_min_rev")

    def __init__(self, store: MVCCStore, watch_id: int, key: str, prefix: bool,
                 start_revision: Union[int, None], callback: Union[Callable[[Event], object], None]) -> None:
        self.watch_id = watch_id
        self.key = key
        self.prefix = prefix
        self.start_revision = start_revision
        self.callback = callback
        self.canceled = False
        self._store = store
        self._events: deque[Event] = deque()
        self._min_rev = 0  # the lowest revision this watcher still has to receive

    def matches(self, key: str) -> bool:
        """Whether a change of ``key`` concerns this watcher."""
        return key.startswith(self.key) if self.prefix else key == self.key

    def cancel(self) -> None:
        """Stop receiving events (events already buffered can still be drained)."""
        if not self.canceled:
            self.canceled = True
            self._store._watchers = tuple(w for w in self._store._watchers if w is not self)

    def __iter__(self) -> Iterator[Event]:
        """Yield the events buffered when iteration starts, oldest first; never blocks."""
        events = self._events
        n = len(events)
        while n and events:
            n -= 1
            yield events.popleft()

    def __len__(self) -> int:
        return len(self._events)

    def _deliver(self, events: Sequence[Event]) -> None:
        callback = self.callback
        for ev in events:
            if self.canceled:
                return
            if self.matches(ev.kv.key):
                if callback is None:
                    self._events.append(ev)
                else:
                    callback(ev)

    def __repr__(self) -> str:
        what = "prefix" if self.prefix else "key"
        state = "canceled" if self.canceled else f"next revision {self._min_rev}"
        return f"<Watcher {self.watch_id} {what} {self.key!r}, {state}, {len(self._events)} buffered>"


class MVCCStore(KVStore):
    """The MVCC store with watches, snapshots and restore: what the simulated API server talks to."""

    def __init__(self, clock: Union[Callable[[], float], None] = None) -> None:
        super().__init__(clock)
        self.lease_listeners: list[Callable[[], None]] = []  # told of every grant and keep-alive
        self._pending: deque[Sequence[Change]] = deque()
        self._notifying = False
        self._next_watch_id = 0

    def watch(self, key_or_prefix: str, start_revision: Union[int, None] = None, prefix: bool = True,
              callback: Union[Callable[[Event], object], None] = None) -> Watcher:
        """Watch ``key_or_prefix`` from ``start_revision`` (default: the next write); see the module doc."""
        if prefix:
            if not isinstance(key_or_prefix, str):
                check_key(key_or_prefix)
        else:
            check_key(key_or_prefix)
        if start_revision is not None and 0 < start_revision < self._compact_rev:
            raise CompactedError(self._compact_rev)
        w = Watcher(self, self._next_watch_id, key_or_prefix, prefix, start_revision, callback)
        self._next_watch_id += 1
        next_rev = self._rev + 1 if start_revision is None or start_revision <= 0 else start_revision
        while next_rev <= self._rev and not w.canceled:  # unsynced: replay from the backend
            upto = self._rev
            backlog = [kv for kv in self._backend_since(next_rev) if kv.mod_revision <= upto]
            w._deliver([event_of(unpack(kv), self._prev_kv(kv)) for kv in backlog if w.matches(kv.key)])
            next_rev = upto + 1  # callbacks may have written more: loop until caught up
        w._min_rev = next_rev
        if not w.canceled:
            self._watchers += (w,)  # synced: from now on, writes are pushed
        return w

    def _notify(self, changes: Sequence[Change]) -> None:
        self._pending.append(changes)
        if self._notifying:
            return  # a callback wrote: the loop below delivers it after the current round
        self._notifying = True
        failure = None
        pending = self._pending
        while pending:
            changes = pending.popleft()
            events = [event_of(kv, prev) for kv, prev in changes]
            rev = events[0].kv.mod_revision
            for w in self._watchers:
                if w._min_rev <= rev and not w.canceled:
                    w._min_rev = rev + 1
                    try:
                        w._deliver(events)
                    except Exception as e:  # one bad callback must not starve the other watchers
                        failure = failure or e
        self._notifying = False
        if failure is not None:
            raise failure

    # ---- snapshot and restore ----------------------------------------------------------------------

    def snapshot(self, path: PathLike) -> None:
        """Save revision, compact revision and all stored versions to ``path`` (``etcdctl snapshot save``)."""
        leases = [(x.id, x.ttl) for x in sorted(self.lessor.leases.values(), key=lambda x: x.id)]
        _snapshot.save(self._rev, self._compact_rev, self._entries(), path, leases,
                       saved_at=self.clock())

    @classmethod
    def restore(cls, path: PathLike, clock: Union[Callable[[], float], None] = None) -> MVCCStore:
        """A new store with the state saved in ``path`` (``etcdutl snapshot restore``); no watchers.
        Each lease lives its whole TTL again from now; ``saved_at`` is the simulated time the
        snapshot was taken (0 if unknown), where a restored cluster's clock goes on."""
        store = cls(clock)
        revision, compact_revision, entries, leases, store.saved_at = _snapshot.load(path)
        for lease_id, ttl in leases:
            store.lessor.grant(lease_id, ttl, store.clock())
        store._load(revision, compact_revision, entries)
        for key, kv in store._current.items():
            if kv.lease and store.lessor.lookup(kv.lease) is not None:
                store.lessor.attach(kv.lease, key)
        return store

    # ---- leases (etcd's Lease service; see ``lease``) -----------------------------------------------

    def lease_grant(self, ttl: int, lease_id: int = NO_LEASE) -> Lease:
        """``etcdctl lease grant <ttl>``: a new lease, expiring ``ttl`` seconds from now."""
        lease = self.lessor.grant(lease_id, ttl, self.clock())
        self._leases_changed()
        return lease

    def lease_keep_alive(self, lease_id: int) -> int:
        """``etcdctl lease keep-alive --once``: the lease lives its whole TTL again; returns the TTL."""
        ttl = self.lessor.renew(lease_id, self.clock())
        self._leases_changed()
        return ttl

    def lease_revoke(self, lease_id: int) -> Union[int, None]:
        """``etcdctl lease revoke``: forget the lease and delete its keys in one revision (in key
        order, as etcd does); that revision, or None if it had no keys."""
        return self._delete_keys(self.lessor.revoke(lease_id))

    def lease_time_to_live(self, lease_id: int, keys: bool = False) -> TimeToLive:
        """``etcdctl lease timetolive <id> [--keys]``: remaining and granted TTL (-1: no such lease)."""
        return self.lessor.time_to_live(lease_id, self.clock(), keys)

    def lease_leases(self) -> list[int]:
        """``etcdctl lease list``: every lease id, in order."""
        return sorted(self.lessor.leases)

    def revoke_expired(self) -> list[int]:
        """Revoke every lease whose time is up, earliest first; their ids."""
        expired = [lease.id for lease in self.lessor.expired(self.clock())]
        for lease_id in expired:
            self.lease_revoke(lease_id)
        return expired

    def _leases_changed(self) -> None:
        for listener in self.lease_listeners:
            listener()


__all__ = ["MVCCStore", "Event", "Watcher", "PUT", "DELETE"]
