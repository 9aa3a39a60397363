"""Superseded versions are stored compressed; every read of history must still see the exact bytes.

Each case runs the same writes against the real store and against a store that never packs, then
compares what a reader of history sees: get and range at every revision, txn reads at old
revisions, watch replay with prev_kv, live watch events, compaction, db_size and snapshot files.
"""

import json
import random

import pytest

from k8slearn.etcd import Compare, Delete, Get, MVCCStore, Put
from k8slearn.etcd.key_index import KeyIndex
from k8slearn.etcd.packed import MIN_PACK_SIZE, PackedKeyValue, pack, unpack
from k8slearn.etcd.revision import KeyValue


class UnpackedStore(MVCCStore):
    """The store as it was before packing: history kept as plain ``KeyValue`` objects."""

    def _pack_superseded(self, ki, prev, plain, newer, newer_value):
        pass

    def _pack_history(self):
        pass


def pod(name, phase, n=0):
    """A pod-like JSON value, long and repetitive like the API server's."""
    return json.dumps({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": name, "namespace": "default",
                       "labels": {"app": "web"}, "resourceVersion": str(n)},
                       "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}] * 3},
                       "status": {"phase": phase, "conditions": [{"type": "Ready", "status": "False"}] * n}})


A, B, C = "/registry/pods/default/a", "/registry/pods/default/b", "/registry/events/default/c"


def updates(s):
    s.put(A, pod("a", "Pending"))
    s.put(A, pod("a", "Pending", 1))
    s.put(A, pod("a", "Running", 2))


def delete_and_recreate(s):
    s.put(A, pod("a", "Pending"))
    s.put(B, pod("b", "Pending"))
    s.put(A, pod("a", "Running", 1))
    s.delete(A)
    s.put(A, pod("a", "Pending", 2))
    s.put(B, pod("b", "Running", 3))


def txns_and_prefix_delete(s):
    s.put(A, pod("a", "Pending"))
    s.put(C, pod("c", "Pending"))
    rev = s.get(A).mod_revision
    s.txn([Compare(A, "mod_revision", "=", rev)], [Put(A, pod("a", "Running", 1))])
    s.txn([Compare(A, "version", "=", 2)], [Put(A, pod("a", "Running", 2)), Put(B, pod("b", "x")), Delete(C)])
    s.put(B, pod("b", "Running", 4))
    s.delete_prefix("/registry/pods/")
    s.put(B, "short")
    s.put(B, "short again")


def short_and_incompressible_values(s):
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(300))
    s.put(A, "v1")
    s.put(A, "v2")
    s.put(B, noise)
    s.put(B, noise[::-1])
    s.put(C, b"x" * MIN_PACK_SIZE)
    s.put(C, b"y" * MIN_PACK_SIZE)


def many_updates(s):
    for n in range(40):
        s.put(A, pod("a", "Running", n % 7))
        if n == 20:
            s.delete(A)


CASES = [
    pytest.param(updates, 2, id="a pod updated twice keeps its two older versions packed"),
    pytest.param(delete_and_recreate, 3, id="a deleted and re-created key keeps its ended generation packed"),
    pytest.param(txns_and_prefix_delete, 6, id="versions replaced by transactions and a prefix delete are packed"),
    pytest.param(many_updates, 39, id="forty versions of a key form chains cut by keyframes and a delete"),
    pytest.param(short_and_incompressible_values, 1, id="short and incompressible values are stored as they are"),
]


def both(history):
    packed, plain = MVCCStore(), UnpackedStore()
    history(packed)
    history(plain)
    return packed, plain


def packed_count(s):
    return sum(1 for kv in s._backend if isinstance(kv, PackedKeyValue))


@pytest.mark.parametrize("history, n_packed", CASES)
def test_history_is_packed_and_the_newest_versions_are_not(history, n_packed):
    s, _ = both(history)
    assert packed_count(s) == n_packed
    assert all(kv.__class__ is KeyValue for kv in s._current.values())


def assert_bases_are_the_stored_next_versions(s):
    stored = {id(kv) for kv in s._backend}
    for ki in s._index.values():
        for g in ki.generations if isinstance(ki, KeyIndex) else [[ki]]:
            for i, kv in enumerate(g):
                assert id(kv) in stored
                if isinstance(kv, PackedKeyValue) and kv.base is not None:
                    assert kv.base is g[i + 1]


@pytest.mark.parametrize("history, n_packed", CASES)
def test_every_base_is_the_stored_next_version_so_no_plain_copy_is_kept(history, n_packed):
    s, _ = both(history)
    assert_bases_are_the_stored_next_versions(s)


@pytest.mark.parametrize("history, n_packed", CASES)
def test_get_and_range_at_every_revision_return_the_exact_bytes(history, n_packed):
    s, ref = both(history)
    assert s.revision == ref.revision
    for rev in range(1, s.revision + 1):
        for key in (A, B, C):
            got, want = s.get(key, revision=rev), ref.get(key, revision=rev)
            assert got == want and (got is None or got.__class__ is KeyValue)
        assert s.range("/registry/", revision=rev) == ref.range("/registry/", revision=rev)
        assert s.range("/registry/pods/", revision=rev, limit=1) == ref.range("/registry/pods/", revision=rev,
                                                                             limit=1)


@pytest.mark.parametrize("history, n_packed", CASES)
def test_txn_reads_at_old_revisions_return_the_exact_bytes(history, n_packed):
    s, ref = both(history)
    for rev in range(1, s.revision + 1):
        ops = [Get("/registry/", prefix=True, revision=rev), Get(A, revision=rev)]
        assert s.txn([], ops).results == ref.txn([], ops).results


@pytest.mark.parametrize("history, n_packed", CASES)
def test_watch_replay_from_every_revision_gives_the_same_events_and_prev_kv(history, n_packed):
    s, ref = both(history)
    for start in range(1, s.revision + 1):
        got, want = list(s.watch("/registry/", start_revision=start)), list(ref.watch("/registry/",
                                                                                 start_revision=start))
        assert got == want
        assert all(e.kv.__class__ is KeyValue and e.prev_kv.__class__ in (KeyValue, type(None)) for e in got)


@pytest.mark.parametrize("history, n_packed", CASES)
def test_live_watch_events_carry_the_exact_prev_kv(history, n_packed):
    packed, plain = MVCCStore(), UnpackedStore()
    w, ref = packed.watch("/registry/"), plain.watch("/registry/")
    history(packed)
    history(plain)
    events = list(w)
    assert events == list(ref)
    assert sum(1 for e in events if e.prev_kv is not None) >= n_packed


@pytest.mark.parametrize("history, n_packed", CASES)
def test_compaction_keeps_the_same_versions_and_they_stay_readable(history, n_packed):
    s, ref = both(history)
    at = s.revision - 2
    s.compact(at)
    ref.compact(at)
    assert [(kv.key, kv.mod_revision) for kv in s._backend] == [(kv.key, kv.mod_revision) for kv in ref._backend]
    for rev in range(at, s.revision + 1):
        assert s.range("", revision=rev) == ref.range("", revision=rev)
    assert list(s.watch("", start_revision=at)) == list(ref.watch("", start_revision=at))


@pytest.mark.parametrize("history, n_packed", CASES)
def test_db_size_counts_uncompressed_bytes(history, n_packed):
    s, ref = both(history)
    assert s.db_size == ref.db_size == sum(len(kv.value) for kv in s._current.values())


@pytest.mark.parametrize("history, n_packed", CASES)
def test_snapshot_is_byte_identical_to_an_unpacked_stores_and_round_trips(history, n_packed, tmp_path):
    s, ref = both(history)
    assert list(s._entries()) == list(ref._entries())
    s.snapshot(tmp_path / "packed.db")
    ref.snapshot(tmp_path / "plain.db")
    data = (tmp_path / "packed.db").read_bytes()
    assert data == (tmp_path / "plain.db").read_bytes()
    restored = MVCCStore.restore(tmp_path / "packed.db")
    assert packed_count(restored) == n_packed
    assert_bases_are_the_stored_next_versions(restored)
    restored.snapshot(tmp_path / "again.db")
    assert (tmp_path / "again.db").read_bytes() == data
    for rev in range(1, s.revision + 1):
        assert restored.range("", revision=rev) == ref.range("", revision=rev)
    assert restored.db_size == ref.db_size


@pytest.mark.parametrize(
    "value, packs",
    [
        pytest.param(b"v1", False, id="a two-byte value is kept as it is"),
        pytest.param(b"a" * (MIN_PACK_SIZE - 1), False, id="a value just under the minimum size is kept as it is"),
        pytest.param(b"a" * MIN_PACK_SIZE, True, id="a repetitive value of the minimum size is packed"),
        pytest.param(pod("a", "Running", 3).encode(), True, id="a pod's JSON is packed"),
        pytest.param(random.Random(1).randbytes(200), False,
                     id="random bytes that do not shrink are kept as they are"),
    ],
)
def test_pack_round_trips_and_keeps_the_uncompressed_size(value, packs):
    kv = KeyValue(A, value, 2, 5, 4, 0)
    p = pack(kv)
    assert isinstance(p, PackedKeyValue) is packs
    assert unpack(p) == kv and p.value == value and p.mod_revision == 5
    if packs:
        assert p.size == len(value) and len(p.data) < len(value)


# ---- newest values kept packed too (pack_newest) ----------------------------------------------------


def newest_packed_store(prefix="/registry/"):
    s = MVCCStore()
    s.pack_newest(prefix)
    return s


HISTORIES = [pytest.param(case.values[0], id=case.id) for case in CASES]


@pytest.mark.parametrize("history", HISTORIES)
def test_a_store_packing_the_newest_values_reads_like_one_that_does_not(history, tmp_path):
    s, ref = newest_packed_store(), UnpackedStore()
    w, wref = s.watch("/registry/"), ref.watch("/registry/")
    history(s)
    history(ref)
    assert list(w) == list(wref)  # live events, with prev_kv, plain and exact
    assert s.revision == ref.revision and s.db_size == ref.db_size
    for rev in range(1, s.revision + 1):
        for key in (A, B, C):
            got = s.get(key, revision=rev)
            assert got == ref.get(key, revision=rev) and got.__class__ in (KeyValue, type(None))
        assert s.range("/registry/", revision=rev) == ref.range("/registry/", revision=rev)
        assert list(s.watch("/registry/", start_revision=rev)) == list(ref.watch("/registry/", start_revision=rev))
    assert s.range("/registry/") == ref.range("/registry/")
    assert all(s.get(k).__class__ is KeyValue for k in (A, B, C) if s.get(k) is not None)
    s.snapshot(tmp_path / "packed.db")
    ref.snapshot(tmp_path / "plain.db")
    assert (tmp_path / "packed.db").read_bytes() == (tmp_path / "plain.db").read_bytes()
    at = s.revision - 2
    s.compact(at)
    ref.compact(at)
    for rev in range(at, s.revision + 1):
        assert s.range("", revision=rev) == ref.range("", revision=rev)


@pytest.mark.parametrize("steps", [
    [("put", A, "1"), ("get", A), ("put", A, "2"), ("get", A)],
    [("put", A, "1"), ("put", B, "1"), ("get", A), ("put", B, "2"), ("put", A, "2")],
    [("put", A, "1"), ("get", A), ("get", A), ("put", A, "2"), ("put", A, "3"), ("get", A)],
    [("put", A, "1"), ("get", A), ("delete", A), ("get", A), ("put", A, "2"), ("get", A)],
], ids=[
    "a get then a put of the same key: the put replaces the version the get read",
    "a get of one key then a put of another: each write replaces its own key's version",
    "two gets in a row, then two puts: every read and every replaced version is the newest one",
    "a get, a delete, a get of nothing, a re-create: each read sees what is there",
])
def test_reads_and_writes_of_packed_newest_values_give_what_a_plain_store_gives(steps):
    s, ref = newest_packed_store(), UnpackedStore()
    w, wref = s.watch("/registry/"), ref.watch("/registry/")
    reads: dict = {s: [], ref: []}
    for store in (s, ref):
        for op, key, *value in steps:
            if op == "put":
                store.put(key, pod(key[-1], value[0]))
            elif op == "delete":
                store.delete(key)
            else:
                reads[store].append(store.get(key))
    assert reads[s] == reads[ref] and list(w) == list(wref)
    assert all(kv is None or kv.__class__ is KeyValue for kv in reads[s])


@pytest.mark.parametrize(
    "key, packed",
    [
        pytest.param(C, True, id="a value under the prefix is stored packed as the newest version"),
        pytest.param(A, False, id="a value outside the prefix is stored as it is"),
    ],
)
def test_only_keys_under_the_prefix_keep_their_newest_value_packed(key, packed):
    s = newest_packed_store("/registry/events/")
    s.put(key, pod("c", "Pending"))
    s.put(key, pod("c", "Running", 1))
    assert isinstance(s._current[key], PackedKeyValue) is packed
    assert s.get(key).value == pod("c", "Running", 1).encode()
    assert s.txn([Compare(key, "value", "=", pod("c", "Running", 1))], [Get(key)]).succeeded
    assert s.delete(key) and s.get(key, revision=s.revision - 1).value == pod("c", "Running", 1).encode()


@pytest.mark.parametrize(
    "writes, ask, want",
    [
        pytest.param([("put", "1")], 2, pod("c", "1"), id="the newest version is read back by its revision"),
        pytest.param([("put", "1"), ("put", "2")], 2, pod("c", "1"),
                     id="a superseded version is read back by its revision"),
        pytest.param([("put", "1"), ("put", "2"), ("compact", 4)], 3, pod("c", "2"),
                     id="the newest version is read back after a compaction passed its revision"),
        pytest.param([("put", "1"), ("delete", None)], 2, pod("c", "1"),
                     id="a deleted key's last version is read back until compacted"),
        pytest.param([("put", "1")], 5, None, id="a revision that wrote no version of the key gives None"),
    ],
)
def test_value_at_reads_the_version_written_at_a_revision(writes, ask, want):
    s = newest_packed_store()
    for op, arg in writes:
        if op == "put":
            s.put(C, pod("c", arg))
        elif op == "delete":
            s.delete(C)
        else:
            s.put(A, "x")
            s.compact(arg)
    assert s.value_at(C, ask) == (None if want is None else want.encode())
