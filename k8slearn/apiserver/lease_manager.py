"""The API server's etcd lease manager: objects with a time to live share leases.

Some resources live only for a while: kube-apiserver writes every Event with a TTL of
``--event-ttl`` (default 1 hour), which it implements with an etcd lease on the Event's key, so
etcd deletes the Event an hour after its last write. Granting a lease per Event would be one etcd
request more per Event; instead the API server reuses its previous lease while that lease expires
at least ``ttl`` and at most ``ttl + reuse`` seconds from now, where ``reuse`` is 5% of the TTL
but no more than 60 seconds, and a lease holds at most 1,000 objects. A new lease is granted
with ``ttl + reuse`` seconds, so an Event lives between one hour and one hour and a minute.

>>> from k8slearn.etcd import MVCCStore
>>> now = [0.0]
>>> manager = LeaseManager(MVCCStore(clock=lambda: now[0]), clock=lambda: now[0])
>>> first = manager.get_lease(EVENT_TTL)
>>> manager.store.lease_time_to_live(first).granted_ttl   # one hour and the 60 s reuse window
3660
>>> now[0] = 59.0; manager.get_lease(EVENT_TTL) == first  # still expires within ttl + 60 s
True
>>> now[0] = 60.0; manager.get_lease(EVENT_TTL) == first  # would expire in exactly ttl: a new one
False

Upstream: staging/src/k8s.io/apiserver/pkg/storage/etcd3/lease_manager.go,
pkg/registry/core/event/storage/storage.go (TTLFunc), cmd/kube-apiserver/app/options (--event-ttl)
"""

from __future__ import annotations

from typing import Any, Callable

EVENT_TTL = 3600  # kube-apiserver --event-ttl=1h0m0s
REUSE_DURATION_SECONDS = 60  # defaultLeaseReuseDurationSeconds
REUSE_DURATION_PERCENT = 0.05
MAX_OBJECT_COUNT = 1000  # defaultLeaseMaxObjectCount


class LeaseManager:
    """Hands out etcd lease ids for objects with a TTL, reusing the previous lease when it fits."""

    def __init__(self, store: Any, clock: Callable[[], float], reuse_duration_seconds: int = REUSE_DURATION_SECONDS,
                 reuse_duration_percent: float = REUSE_DURATION_PERCENT,
                 max_object_count: int = MAX_OBJECT_COUNT) -> None:
        self.store, self.clock = store, clock
        self.reuse_duration_seconds = reuse_duration_seconds
        self.reuse_duration_percent = reuse_duration_percent
        self.max_object_count = max_object_count
        self.prev_lease_id = 0
        self.prev_lease_expiration = float("-inf")
        self.attached_object_count = 0

    def get_lease(self, ttl: int) -> int:
        """A lease id for one object that must live ``ttl`` seconds."""
        now = self.clock()
        reuse = min(int(self.reuse_duration_percent * ttl), self.reuse_duration_seconds)
        valid = now + ttl < self.prev_lease_expiration
        # Upstream: ``>``. Real time has always moved on since the grant; simulated time has not
        # when many objects are written at one instant, and they must share the lease too.
        sufficient = now + ttl + reuse >= self.prev_lease_expiration
        self.attached_object_count += 1  # upstream counts every call, reused or not
        if valid and sufficient and self.attached_object_count <= self.max_object_count:
            return self.prev_lease_id
        ttl += reuse  # a little extra, so that the lease can be reused for a while
        self.prev_lease_id = self.store.lease_grant(ttl).id
        self.prev_lease_expiration = now + ttl
        self.attached_object_count = 1
        return self.prev_lease_id
