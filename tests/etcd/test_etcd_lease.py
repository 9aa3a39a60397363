"""Leases: grant, keep-alive, time to live, expiry, and revocation deleting the attached keys."""

import os

import pytest

from k8slearn.etcd import DELETE, MVCCStore
from k8slearn.etcd.lease import (
    CHECK_INTERVAL,
    MIN_LEASE_TTL,
    LeaseExistsError,
    LeaseExpiry,
    LeaseNotFoundError,
    LeaseTTLTooLargeError,
    Lessor,
)
from k8slearn.sim import Loop


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(clock):
    return MVCCStore(clock=clock)


# ---- the lessor on its own ------------------------------------------------------------------

@pytest.mark.parametrize("ttl, granted", [(60, 60), (1, MIN_LEASE_TTL), (0, MIN_LEASE_TTL), (3660, 3660)], ids=[
    "a lease gets the TTL asked for",
    "a TTL under etcd's minimum of 2 s is raised to it",
    "a TTL of 0 is raised to the minimum too",
    "the API server's event lease gets one hour and a minute",
])
def test_grant_gives_the_ttl_or_the_minimum(ttl, granted):
    lease = Lessor().grant(0, ttl, now=10.0)
    assert (lease.ttl, lease.expiry) == (granted, 10.0 + granted)


def test_lease_ids_follow_etcds_generator_member_prefix_then_time_then_counter():
    lessor = Lessor(start=0.0)
    ids = [lessor.grant(0, 60, now=0.0).id for _ in range(3)]
    assert [f"{i:016x}" for i in ids] == ["694d9b8d627a8001", "694d9b8d627a8002", "694d9b8d627a8003"]


@pytest.mark.parametrize("call, error", [
    (lambda x: x.grant(7, 60, now=0.0), LeaseExistsError),
    (lambda x: x.grant(0, 9_000_000_001, now=0.0), LeaseTTLTooLargeError),
    (lambda x: x.renew(8, now=0.0), LeaseNotFoundError),
    (lambda x: x.revoke(8), LeaseNotFoundError),
    (lambda x: x.attach(8, "k"), LeaseNotFoundError),
    (lambda x: x.renew(7, now=60.0), LeaseNotFoundError),
], ids=[
    "granting an id that exists is refused",
    "a TTL over etcd's maximum is refused",
    "renewing an unknown lease is refused",
    "revoking an unknown lease is refused",
    "attaching a key to an unknown lease is refused",
    "renewing a lease whose time is up is refused, as etcd does before it revokes it",
])
def test_bad_lease_requests_get_etcds_error_text(call, error):
    lessor = Lessor()
    lessor.grant(7, 60, now=0.0)
    with pytest.raises(error) as raised:
        call(lessor)
    assert str(raised.value) == {
        LeaseExistsError: "etcdserver: lease already exists",
        LeaseTTLTooLargeError: "etcdserver: too large lease TTL",
        LeaseNotFoundError: "etcdserver: requested lease not found",
    }[error]


def test_the_expiry_check_runs_on_the_500_ms_grid():
    lessor = Lessor()
    assert lessor.next_check() is None
    lessor.grant(0, 60, now=0.2)
    assert lessor.next_check() == 60.5 and CHECK_INTERVAL == 0.5


# ---- the store ---------------------------------------------------------------------------------

def test_a_key_put_with_a_lease_carries_its_id_and_is_listed_by_time_to_live(store, clock):
    lease = store.lease_grant(60)
    store.put("/a", "1", lease=lease.id)
    store.put("/b", "2", lease=lease.id)
    clock.now = 20.4
    assert store.get("/a").lease == lease.id
    assert store.lease_time_to_live(lease.id, keys=True)[1:] == (39, 60, ["/a", "/b"])


def test_putting_with_an_unknown_lease_writes_nothing(store):
    with pytest.raises(LeaseNotFoundError):
        store.put("/a", "1", lease=12345)
    assert (store.revision, store.get("/a")) == (1, None)


@pytest.mark.parametrize("rewrite, attached", [
    (lambda s, lease: s.put("/a", "2"), []),
    (lambda s, lease: s.delete("/a"), []),
    (lambda s, lease: s.put("/a", "2", lease=lease), ["/a"]),
], ids=[
    "a put without the lease detaches the key from it",
    "a deleted key is detached",
    "a put with the same lease keeps the key attached",
])
def test_rewriting_a_key_moves_it_off_its_lease(store, rewrite, attached):
    lease = store.lease_grant(60).id
    store.put("/a", "1", lease=lease)
    rewrite(store, lease)
    assert store.lease_time_to_live(lease, keys=True).keys == attached


def test_revoking_deletes_every_attached_key_in_one_revision_in_key_order(store):
    lease = store.lease_grant(60).id
    for key in ("/c", "/a", "/b"):
        store.put(key, "v", lease=lease)
    store.put("/other", "v")
    watcher = store.watch("/", start_revision=store.revision + 1)
    revision = store.lease_revoke(lease)
    events = list(watcher)
    assert revision == 6 == store.revision
    assert [(e.type, e.kv.key, e.kv.mod_revision) for e in events] == [
        (DELETE, "/a", 6), (DELETE, "/b", 6), (DELETE, "/c", 6)]
    assert [kv.key for kv in store.range("/")] == ["/other"]
    assert store.lease_time_to_live(lease).ttl == -1


def test_revoking_a_lease_without_keys_makes_no_revision(store):
    lease = store.lease_grant(60).id
    assert store.lease_revoke(lease) is None and store.revision == 1


def test_keep_alive_starts_the_ttl_again(store, clock):
    lease = store.lease_grant(60).id
    clock.now = 50.0
    assert store.lease_keep_alive(lease) == 60
    clock.now = 100.0
    assert store.revoke_expired() == [] and store.lease_time_to_live(lease).ttl == 10


def test_expired_leases_are_revoked_earliest_first(store, clock):
    late, early = store.lease_grant(90).id, store.lease_grant(30).id
    store.put("/late", "v", lease=late)
    store.put("/early", "v", lease=early)
    clock.now = 95.0
    assert store.revoke_expired() == [early, late]
    assert store.range("/") == [] and store.lease_leases() == []


def test_leases_survive_a_snapshot_and_start_their_ttl_again_on_restore(store, clock, tmp_path):
    lease = store.lease_grant(60).id
    store.put("/a", "v", lease=lease)
    clock.now = 50.0
    path = os.path.join(tmp_path, "snapshot.db")
    store.snapshot(path)
    restored = MVCCStore.restore(path, clock=clock)
    assert restored.lease_time_to_live(lease, keys=True)[1:] == (60, 60, ["/a"])
    assert restored.get("/a").lease == lease


# ---- the 500 ms expiry loop on the simulated clock ---------------------------------------------

def test_lease_expiry_deletes_keys_at_the_first_500_ms_check_after_the_ttl():
    loop = Loop()
    store = MVCCStore(clock=lambda: loop.now)
    LeaseExpiry(loop, store).start()
    loop.run(0.2)
    store.put("/registry/events/default/web.1", "{}", lease=store.lease_grant(60).id)
    loop.run(60.0)   # t = 60.2: expired at 60.2, not yet checked
    assert store.get("/registry/events/default/web.1") is not None
    loop.run(0.3)    # t = 60.5: the check at 60.5 revokes it
    assert store.get("/registry/events/default/web.1") is None
    assert [(s.time, s.component, s.action) for s in loop.trace][-1] == (60.5, "etcd", "revoke")


def test_a_pending_expiry_does_not_keep_settle_busy():
    loop = Loop()
    store = MVCCStore(clock=lambda: loop.now)
    LeaseExpiry(loop, store).start()
    store.put("/k", "v", lease=store.lease_grant(3660).id)
    assert loop.settle() == 0.0 and store.get("/k") is not None


def test_a_fresh_id_skips_the_ids_a_restored_snapshot_still_uses(store, tmp_path):
    first = store.lease_grant(60).id
    path = os.path.join(tmp_path, "snapshot.db")
    store.snapshot(path)
    restored = MVCCStore.restore(path)  # its generator starts from the same time again
    assert restored.lease_grant(60).id == first + 1
