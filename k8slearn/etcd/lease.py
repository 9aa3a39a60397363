"""Leases: keys that etcd deletes by itself when their time is up.

A client asks etcd for a *lease* with a time to live (``etcdctl lease grant 60``) and attaches keys
to it (``etcdctl put --lease=<id> k v``). Unless someone renews the lease (a keep-alive), etcd
*revokes* it once its TTL has passed: every attached key is deleted in one transaction, keys in
sorted order, so watchers see ordinary DELETE events. Kubernetes uses this for Events: the API
server writes every Event with a lease of ``--event-ttl`` (1 hour), so events vanish an hour
after their last update.

The ``Lessor`` keeps the leases: their id, granted TTL, expiry time and attached keys. It does not
delete anything itself; the store asks it which leases have expired and deletes their keys
(``MVCCStore.revoke``). Lease ids are made as etcd's id generator makes them: the member id's low
16 bits, then the start time in milliseconds, then a counter, so a single-member cluster's ids
start with ``694d`` like the ones in etcd's documentation (etcd's counter also counts every other
request; here it counts lease grants only).

>>> lessor = Lessor(start=0.0)
>>> lease = lessor.grant(0, 60, now=0.0)
>>> f"{lease.id:016x}", lease.ttl, lease.expiry
('694d9b8d627a8001', 60, 60.0)
>>> lessor.attach(lease.id, "/registry/events/default/web.1")
>>> lessor.time_to_live(lease.id, now=45.5, keys=True)
TimeToLive(id=7587891978734043137, ttl=14, granted_ttl=60, keys=['/registry/events/default/web.1'])
>>> lessor.renew(lease.id, now=50.0), lessor.lookup(lease.id).expiry
(60, 110.0)
>>> [f"{x.id:x}" for x in lessor.expired(now=109.9)], [f"{x.id:x}" for x in lessor.expired(now=110.0)]
([], ['694d9b8d627a8001'])
>>> lessor.grant(0, 1, now=0.0).ttl          # below the minimum TTL: raised to it
2
>>> lessor.renew(12345, now=0.0)
Traceback (most recent call last):
...
k8slearn.etcd.lease.LeaseNotFoundError: etcdserver: requested lease not found

Simplified: one member, so no checkpoints of the remaining TTL and no lease-revoke rate limit
(etcd revokes at most 1,000 leases a second); the lessor's 500 ms expiry check runs on the
simulated clock (``next_check``).

Upstream: etcd server/lease/lessor.go, server/lease/lease.go, pkg/idutil/id.go,
server/etcdserver/api/v3rpc/rpctypes/error.go
"""

from __future__ import annotations

import math
from typing import NamedTuple

from k8slearn.etcd.revision import EtcdError

NO_LEASE = 0
# etcd's minimum TTL: 1.5 election timeouts' worth of ticks, ceil((3 * 10 / 2) * 100 ms) = 2 s
MIN_LEASE_TTL = 2
MAX_LEASE_TTL = 9_000_000_000
CHECK_INTERVAL = 0.5  # the lessor's loop looks for expired leases every 500 ms
MEMBER_ID = 0x8E9E05C52164694D  # the id etcd gives a lone member named "default" on localhost:2380
EPOCH_MS = 1_767_603_600_000  # 2026-01-05T09:00:00Z (k8slearn.api.meta.EPOCH, simulated time 0) in Unix ms


class LeaseNotFoundError(EtcdError):
    def __init__(self) -> None:
        super().__init__("etcdserver: requested lease not found")


class LeaseExistsError(EtcdError):
    def __init__(self) -> None:
        super().__init__("etcdserver: lease already exists")


class LeaseTTLTooLargeError(EtcdError):
    def __init__(self) -> None:
        super().__init__("etcdserver: too large lease TTL")


class Lease:
    """One lease: its id, granted TTL (seconds), expiry (simulated seconds) and attached keys."""

    __slots__ = ("id", "ttl", "expiry", "keys")

    def __init__(self, lease_id: int, ttl: int, expiry: float) -> None:
        self.id, self.ttl, self.expiry = lease_id, ttl, expiry
        self.keys: set[str] = set()

    def remaining(self, now: float) -> int:
        """Whole seconds left (etcd truncates), -1 once expired."""
        left = self.expiry - now
        return int(left) if left > 0 else -1

    def __repr__(self) -> str:
        return f"Lease(id={self.id:016x}, ttl={self.ttl}, expiry={self.expiry}, keys={len(self.keys)})"


class TimeToLive(NamedTuple):
    """``LeaseTimeToLiveResponse``: ``ttl`` is the remaining seconds (-1: expired or never granted)."""

    id: int
    ttl: int
    granted_ttl: int
    keys: list


class Lessor:
    """The leases of one etcd member (``lease.lessor``)."""

    def __init__(self, start: float = 0.0, member_id: int = MEMBER_ID) -> None:
        # idutil.Generator: 16 bits of member id | 40 bits of start time in ms | 8-bit counter
        millis = EPOCH_MS + int(start * 1000)
        self._prefix = (member_id & 0xFFFF) << 48
        self._suffix = (millis & ((1 << 40) - 1)) << 8
        self.leases: dict[int, Lease] = {}

    def next_id(self) -> int:
        self._suffix += 1
        return (self._prefix | (self._suffix & ((1 << 48) - 1))) & ((1 << 63) - 1)

    def grant(self, lease_id: int, ttl: int, now: float) -> Lease:
        """A new lease (``lease_id`` 0: a fresh id); a TTL under the minimum is raised to it."""
        if ttl > MAX_LEASE_TTL:
            raise LeaseTTLTooLargeError()
        if lease_id == NO_LEASE:
            lease_id = self.next_id()
            while lease_id in self.leases:  # a restored snapshot's lease (simulated time restarts at 0)
                lease_id = self.next_id()
        elif lease_id in self.leases:
            raise LeaseExistsError()
        ttl = max(int(ttl), MIN_LEASE_TTL)
        lease = self.leases[lease_id] = Lease(lease_id, ttl, now + ttl)
        return lease

    def lookup(self, lease_id: int) -> Lease | None:
        return self.leases.get(lease_id)

    def _get(self, lease_id: int) -> Lease:
        lease = self.leases.get(lease_id)
        if lease is None:
            raise LeaseNotFoundError()
        return lease

    def revoke(self, lease_id: int) -> list[str]:
        """Forget the lease; return its keys, sorted, for the store to delete in one transaction."""
        lease = self._get(lease_id)
        del self.leases[lease_id]
        return sorted(lease.keys)

    def renew(self, lease_id: int, now: float) -> int:
        """A keep-alive: the lease lives its whole TTL again from ``now``; returns the TTL."""
        lease = self._get(lease_id)
        if lease.expiry <= now:
            raise LeaseNotFoundError()  # expired, waiting for revocation: etcd answers the same
        lease.expiry = now + lease.ttl
        return lease.ttl

    def attach(self, lease_id: int, key: str) -> None:
        self._get(lease_id).keys.add(key)

    def detach(self, lease_id: int, key: str) -> None:
        lease = self.leases.get(lease_id)
        if lease is not None:
            lease.keys.discard(key)

    def time_to_live(self, lease_id: int, now: float, keys: bool = False) -> TimeToLive:
        """``etcdctl lease timetolive <id> [--keys]``; an unknown lease answers ttl -1."""
        lease = self.leases.get(lease_id)
        if lease is None:
            return TimeToLive(lease_id, -1, 0, [])
        return TimeToLive(lease_id, lease.remaining(now), lease.ttl, sorted(lease.keys) if keys else [])

    def promote(self, now: float) -> None:
        """Promote: a new leader's lessor gives every lease its whole TTL again from ``now``."""
        for lease in self.leases.values():
            lease.expiry = now + lease.ttl

    def expired(self, now: float) -> list[Lease]:
        """The leases whose time is up, earliest expiry first (ties by id)."""
        return sorted((x for x in self.leases.values() if x.expiry <= now), key=lambda x: (x.expiry, x.id))

    def next_check(self) -> float | None:
        """When the lessor's 500 ms loop first sees the earliest lease expired (None: no leases)."""
        if not self.leases:
            return None
        first = min(x.expiry for x in self.leases.values())
        return math.ceil(first / CHECK_INTERVAL) * CHECK_INTERVAL


class LeaseExpiry:
    """etcd's lessor loop on the simulated clock: revoke each lease at the first 500 ms check after
    its expiry, deleting its keys (a trace step ``etcd revoke lease/<id>`` says how many).

    ``loop`` is the cluster's event loop (``call_at``, ``record``, ``now``); the store calls
    ``reschedule`` after every grant and keep-alive. The timer is periodic: a lease an hour from
    expiring does not keep ``settle()`` busy.
    """

    def __init__(self, loop, store) -> None:
        self.loop, self.store = loop, store
        self._timer = None

    def start(self) -> "LeaseExpiry":
        self.store.lease_listeners.append(self.reschedule)
        self.reschedule()
        return self

    def reschedule(self) -> None:
        when = self.store.lessor.next_check()
        timer = self._timer
        if timer is not None and not timer.cancelled:
            if when is not None and timer.when <= when:
                return  # the timer comes first; it reschedules after checking
            timer.cancel()
        self._timer = None if when is None else self.loop.call_at(when, self._check, periodic=True)

    def _check(self) -> None:
        self._timer = None
        for lease in self.store.lessor.expired(self.loop.now):
            keys = len(lease.keys)
            self.store.lease_revoke(lease.id)
            self.loop.record("etcd", "revoke", f"lease/{lease.id:016x}",
                             f"TTL {lease.ttl}s expired: {keys} key{'s' if keys != 1 else ''} deleted")
        self.reschedule()
