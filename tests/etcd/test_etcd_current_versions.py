"""The store's current versions, read through its index, are exactly what a plain dict kept beside
the writes would hold: after puts, deletes, re-creations, transactions, compaction, lease revokes
and a snapshot restore."""

import pytest

from k8slearn.etcd import MVCCStore
from k8slearn.etcd.packed import unpack
from k8slearn.etcd.txn import Compare, Delete, Put

PREFIX = "/registry/events/"


def run(store, steps, tmp_path):
    """Apply ``steps`` to ``store``, and to a plain dict of key -> (value, create, mod, version, lease);
    return the store (a restored copy after a "restore" step) and the dict."""
    plain = {}

    def put(key, value, lease, rev):
        old = plain.get(key)
        plain[key] = (value, old[1] if old else rev, rev, old[3] + 1 if old else 1, lease)

    lease = None
    for step, *args in steps:
        if step == "put":
            key, value = args
            store.put(key, value)
            put(key, value.encode(), 0, store.revision)
        elif step == "leased":
            key, value = args
            lease = lease or store.lease_grant(60)
            store.put(key, value, lease=lease.id)
            put(key, value.encode(), lease.id, store.revision)
        elif step == "delete":
            store.delete(args[0])
            plain.pop(args[0], None)
        elif step == "txn":  # two puts and a delete in one revision, if the first key is as read
            a, b, gone = args
            seen = store.get(a)
            store.txn([Compare(a, "mod_revision", "=", seen.mod_revision if seen else 0)],
                      [Put(a, "t" + a), Put(b, "t" + b), Delete(gone)])
            for k in (a, b):
                put(k, ("t" + k).encode(), 0, store.revision)
            plain.pop(gone, None)
        elif step == "revoke":
            store.lease_revoke(lease.id)
            plain = {k: v for k, v in plain.items() if v[4] != lease.id}
            lease = None
        elif step == "compact":
            store.compact(store.revision)
        elif step == "restore":
            store.snapshot(tmp_path / "snap.db")
            store = MVCCStore.restore(tmp_path / "snap.db")
    return store, plain


K = [f"{PREFIX}default/e{i}" for i in range(6)]


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([("put", K[0], "a"), ("put", K[1], "b")], id="keys written once are their only versions"),
        pytest.param([("put", K[0], "a"), ("put", K[0], "b" * 300), ("put", K[0], "c")],
                     id="a key written three times reads as its newest version"),
        pytest.param([("put", K[0], "a"), ("delete", K[0]), ("put", K[1], "b")], id="a deleted key is gone"),
        pytest.param([("put", K[0], "a"), ("delete", K[0]), ("put", K[0], "again")],
                     id="a key created again after a delete reads as its new life"),
        pytest.param([("put", K[0], "a"), ("put", K[2], "c"), ("txn", K[0], K[1], K[2])],
                     id="a transaction's puts and delete in one revision"),
        pytest.param([("put", K[0], "a"), ("put", K[0], "b"), ("delete", K[1]), ("put", K[2], "c"),
                      ("delete", K[2]), ("compact",)], id="compaction keeps the newest versions and drops the deleted"),
        pytest.param([("leased", K[0], "a"), ("leased", K[1], "b"), ("put", K[2], "c"), ("revoke",)],
                     id="a revoked lease's keys are gone, the others stay"),
        pytest.param([("put", K[0], "a" * 200), ("put", K[0], "b" * 200), ("delete", K[1]), ("put", K[3], "d"),
                      ("restore",)], id="a restored snapshot has the same current versions"),
    ],
)
@pytest.mark.parametrize("packing", [False, True], ids=["newest values plain", "newest values packed and chained"])
def test_current_versions_read_as_a_plain_dict_kept_beside_the_writes(steps, packing, tmp_path):
    store = MVCCStore()
    if packing:
        store.pack_newest(PREFIX, chained=True)
    store, plain = run(store, steps, tmp_path)
    current = {k: unpack(kv) for k, kv in store._current.items()}
    assert {k: (kv.value, kv.create_revision, kv.mod_revision, kv.version, kv.lease)
            for k, kv in current.items()} == plain
    assert len(store._current) == len(plain) and all(k in store._current for k in plain)
    assert all(k not in store._current and store._current.get(k) is None for k in K if k not in plain)
    assert store.count(PREFIX) == len(plain)
    assert [(kv.key, kv.value) for kv in store.range(PREFIX)] == sorted((k, v[0]) for k, v in plain.items())
