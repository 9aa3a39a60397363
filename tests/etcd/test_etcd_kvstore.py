"""Reads, writes, revisions and compaction of the MVCC store (etcd v3 semantics)."""

import pytest

from k8slearn.etcd import CompactedError, EtcdError, FutureRevisionError, KeyValue, MVCCStore

P = "/registry/pods/default/"
FUTURE = "mvcc: required revision is a future revision"


def store(*ops):
    """A store after ``ops``: ("put", key, value[, lease]), ("del", key), ("delp", prefix), ("compact", r)."""
    s = MVCCStore()
    s.lease_grant(60, lease_id=7)  # for puts with a lease (a grant makes no revision)
    for op, *args in ops:
        {"put": s.put, "del": s.delete, "delp": s.delete_prefix, "compact": s.compact}[op](*args)
    return s


@pytest.mark.parametrize(
    "ops, call, want, want_revision",
    [
        ((), lambda s: None, None, 1),
        ((), lambda s: s.put("a", "1"), 2, 2),
        ((("put", "a", "1"), ("put", "b", "2")), lambda s: s.put("a", "3"), 4, 4),
        ((("put", "a", "1"),), lambda s: s.delete("missing"), None, 2),
        ((("put", "a", "1"),), lambda s: s.delete("a"), 3, 3),
        ((("put", "a", "1"), ("del", "a")), lambda s: s.delete("a"), None, 3),
        ((("put", P + "a", "1"), ("put", P + "b", "2"), ("put", "/registry/minions/n", "3")),
         lambda s: s.delete_prefix(P), 5, 5),
        ((("put", "a", "1"),), lambda s: s.delete_prefix("/registry/"), None, 2),
        ((("put", "a", "1"),), lambda s: s.range("a"), [KeyValue("a", b"1", 2, 2, 1)], 2),
    ],
    ids=[
        "a fresh store is at revision 1",
        "the first write gets revision 2",
        "each put makes exactly one new revision",
        "deleting a missing key returns None and makes no revision",
        "deleting an existing key returns the revision of the delete",
        "deleting an already deleted key makes no revision",
        "delete_prefix removes every key under the prefix in one revision",
        "delete_prefix with nothing under the prefix returns None and makes no revision",
        "reads make no revision",
    ],
)
def test_revisions(ops, call, want, want_revision):
    s = store(*ops)
    assert call(s) == want
    assert s.revision == want_revision


@pytest.mark.parametrize(
    "ops, key, want",
    [
        ((("put", "a", "1"),), "a", KeyValue("a", b"1", 2, 2, 1, 0)),
        ((("put", "a", "1"), ("put", "b", "x"), ("put", "a", "2")), "a", KeyValue("a", b"2", 2, 4, 2, 0)),
        ((("put", "a", "1"), ("del", "a"), ("put", "a", "3")), "a", KeyValue("a", b"3", 4, 4, 1, 0)),
        ((("put", "a", "1"), ("del", "a")), "a", None),
        ((("put", "a", "héllo"),), "a", KeyValue("a", "héllo".encode(), 2, 2, 1, 0)),
        ((("put", "a", b"\x00\xff"),), "a", KeyValue("a", b"\x00\xff", 2, 2, 1, 0)),
        ((("put", "a", "1", 7),), "a", KeyValue("a", b"1", 2, 2, 1, 7)),
        ((("put", "a", "1"),), "b", None),
    ],
    ids=[
        "a new key has create and mod revision equal to its write and version 1",
        "an update keeps create_revision, moves mod_revision and bumps version",
        "a key put again after a delete starts over: new create_revision, version 1",
        "a deleted key reads as None",
        "a str value is stored as its UTF-8 bytes",
        "a bytes value is stored unchanged",
        "the lease id given to put is recorded",
        "a key never written reads as None",
    ],
)
def test_get_current(ops, key, want):
    assert store(*ops).get(key) == want


HISTORY = (("put", "a", "v1"), ("put", "b", "b1"), ("put", "a", "v2"), ("del", "a"), ("put", "a", "v3"))
# revisions:  2: a=v1   3: b=b1   4: a=v2   5: a deleted   6: a=v3


@pytest.mark.parametrize(
    "revision, want",
    [
        (1, None),
        (2, (b"v1", 2, 2, 1)),
        (3, (b"v1", 2, 2, 1)),
        (4, (b"v2", 2, 4, 2)),
        (5, None),
        (6, (b"v3", 6, 6, 1)),
        (0, (b"v3", 6, 6, 1)),
        (-3, (b"v3", 6, 6, 1)),
    ],
    ids=[
        "at revision 1 nothing existed yet",
        "at its creation revision the key has its first value",
        "a write to another key does not change what the key read as",
        "after an update the key reads as the update",
        "at the delete revision the key does not exist",
        "after being re-created the key reads as the new generation",
        "revision 0 means the current revision",
        "a negative revision means the current revision, as in etcd",
    ],
)
def test_get_at_revision(revision, want):
    kv = store(*HISTORY).get("a", revision=revision)
    assert (kv and (kv.value, kv.create_revision, kv.mod_revision, kv.version)) == want


RANGE = (("put", P + "web-2", "2"), ("put", P + "web-1", "1"), ("put", "/registry/pods/kube-system/dns", "d"),
         ("put", "/registry/minions/node-1", "n"), ("del", P + "web-2"), ("put", P + "web", "w"))
# revisions: 2 web-2, 3 web-1, 4 dns, 5 node-1, 6 web-2 deleted, 7 web


@pytest.mark.parametrize(
    "args, want_keys",
    [
        (dict(key_or_prefix="/registry/pods/"), ["/registry/pods/default/web", P + "web-1",
                                                 "/registry/pods/kube-system/dns"]),
        (dict(key_or_prefix=P + "web", prefix=False), [P + "web"]),
        (dict(key_or_prefix=P + "web"), [P + "web", P + "web-1"]),
        (dict(key_or_prefix=P + "web-2", prefix=False), []),
        (dict(key_or_prefix="/registry/pods/", limit=2), [P + "web", P + "web-1"]),
        (dict(key_or_prefix="/registry/pods/", revision=5), [P + "web-1", P + "web-2",
                                                             "/registry/pods/kube-system/dns"]),
        (dict(key_or_prefix="/registry/pods/", revision=2), [P + "web-2"]),
        (dict(key_or_prefix=""), ["/registry/minions/node-1", P + "web", P + "web-1",
                                  "/registry/pods/kube-system/dns"]),
        (dict(key_or_prefix="/registry/services/"), []),
    ],
    ids=[
        "a prefix range returns every live key under it, sorted by key",
        "prefix=False returns exactly that key",
        "a prefix that is itself a key includes that key and the keys that extend it",
        "an exact range of a deleted key is empty",
        "limit returns only the first keys in order",
        "a range at an old revision includes keys deleted since",
        "a range at an old revision excludes keys created since",
        "the empty prefix ranges over every key",
        "a prefix with no keys under it is empty",
    ],
)
def test_range(args, want_keys):
    assert [kv.key for kv in store(*RANGE).range(**args)] == want_keys


def test_range_returns_the_values_of_that_revision():
    s = store(("put", "a", "1"), ("put", "a", "2"), ("put", "ab", "3"))
    assert s.range("a", revision=3) == [KeyValue("a", b"2", 2, 3, 2)]
    assert s.range("a") == [KeyValue("a", b"2", 2, 3, 2), KeyValue("ab", b"3", 4, 4, 1)]


@pytest.mark.parametrize(
    "prefix, revision, want",
    [("/registry/pods/", None, 3), (P, None, 2), ("/registry/", 4, 3), ("/nothing/", None, 0)],
    ids=[
        "count counts the live keys under a prefix",
        "count of a narrower prefix counts only its keys",
        "count at an old revision counts the keys alive then",
        "count of an empty prefix range is 0",
    ],
)
def test_count(prefix, revision, want):
    assert store(*RANGE).count(prefix, revision) == want


@pytest.mark.parametrize(
    "ops, want",
    [
        ((), 0),
        ((("put", "a", "123"),), 3),
        ((("put", "a", "123"), ("put", "a", "1")), 1),
        ((("put", "a", "123"), ("put", "b", "45"), ("del", "a")), 2),
        ((("put", "a", "123"), ("put", "b", "45"), ("compact", 3)), 5),
    ],
    ids=[
        "an empty store has db_size 0",
        "db_size counts the bytes of a live value",
        "an update replaces the old value's bytes",
        "a delete frees the value's bytes",
        "compaction does not change the live values' size",
    ],
)
def test_db_size(ops, want):
    assert store(*ops).db_size == want


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda s: s.get("a", revision=7), FutureRevisionError, FUTURE),
        (lambda s: s.range("a", revision=7), FutureRevisionError, FUTURE),
        (lambda s: s.get("a", revision=3), CompactedError, "mvcc: required revision has been compacted"),
        (lambda s: s.range("", revision=2), CompactedError, "mvcc: required revision has been compacted"),
        (lambda s: s.count("", revision=2), CompactedError, "mvcc: required revision has been compacted"),
        (lambda s: s.compact(4), CompactedError, "mvcc: required revision has been compacted"),
        (lambda s: s.compact(3), CompactedError, "mvcc: required revision has been compacted"),
        (lambda s: s.compact(7), FutureRevisionError, FUTURE),
        (lambda s: s.put("", "x"), EtcdError, "etcdserver: key is not provided"),
        (lambda s: s.delete(""), EtcdError, "etcdserver: key is not provided"),
        (lambda s: s.put("a", 5), TypeError, "etcd values are bytes or str, not int"),
        (lambda s: s.put(b"a", "x"), TypeError, "etcd keys are str, not bytes"),
    ],
    ids=[
        "reading a future revision fails",
        "ranging at a future revision fails",
        "reading below the compact revision fails",
        "ranging below the compact revision fails",
        "counting below the compact revision fails",
        "compacting again at the compact revision fails",
        "compacting below the compact revision fails",
        "compacting a future revision fails",
        "a put with an empty key is refused with etcd's text",
        "a delete with an empty key is refused with etcd's text",
        "a put of a value that is neither bytes nor str is a TypeError",
        "a put with a bytes key is a TypeError",
    ],
)
def test_errors_change_nothing(call, error, message):
    s = store(("put", "a", "1"), ("put", "a", "2"), ("put", "a", "3"), ("put", "b", "4"), ("put", "a", "5"),
              ("compact", 4))
    before = (s.revision, s.compact_revision, s.range(""), s.get("a", revision=4))
    with pytest.raises(error) as info:
        call(s)
    assert str(info.value) == message
    assert (s.revision, s.compact_revision, s.range(""), s.get("a", revision=4)) == before


def test_compacted_error_reports_the_compact_revision():
    s = store(("put", "a", "1"), ("put", "a", "2"), ("compact", 3))
    with pytest.raises(CompactedError) as info:
        s.get("a", revision=2)
    assert info.value.compact_revision == 3
    assert isinstance(info.value, EtcdError) and isinstance(info.value, Exception)


@pytest.mark.parametrize(
    "compact_at, key, revision, want",
    [
        (3, "a", 3, b"v1"),
        (4, "a", 4, b"v2"),
        (4, "a", 6, b"v3"),
        (5, "a", 5, None),
        (5, "b", 5, b"b1"),
        (6, "a", 6, b"v3"),
        (1, "a", 1, None),
    ],
    ids=[
        "a read at exactly the compact revision sees the value of that revision",
        "compacting at an update keeps that update readable",
        "compaction never changes what later revisions read",
        "compacting at a delete keeps the key deleted at that revision",
        "a key not written since long before the compaction keeps its value",
        "compacting at the current revision keeps the current values",
        "compacting at revision 1 of a store is allowed",
    ],
)
def test_read_after_compaction(compact_at, key, revision, want):
    s = store(*HISTORY, ("compact", compact_at))
    kv = s.get(key, revision=revision)
    assert (kv and kv.value) == want
    assert s.compact_revision == compact_at


@pytest.mark.parametrize(
    "ops, compact_at, want_stored",
    [
        ((("put", "a", "1"), ("put", "a", "2"), ("put", "a", "3")), 4, [4]),
        ((("put", "a", "1"), ("put", "a", "2"), ("put", "a", "3")), 3, [3, 4]),
        ((("put", "a", "1"), ("del", "a")), 3, [3]),
        ((("put", "a", "1"), ("del", "a"), ("put", "b", "1")), 4, [4]),
        ((("put", "a", "1"), ("put", "b", "1"), ("put", "a", "2")), 3, [2, 3, 4]),
    ],
    ids=[
        "compaction keeps only the latest version at or below the compact revision",
        "versions written after the compact revision are all kept",
        "a tombstone at exactly the compact revision is kept",
        "a tombstone below the compact revision is dropped with its key",
        "the latest version of every key survives, however old",
    ],
)
def test_compaction_drops_superseded_versions(ops, compact_at, want_stored):
    s = store(*ops, ("compact", compact_at))
    assert [kv.mod_revision for kv in s._backend] == want_stored


def test_a_key_compacted_away_can_be_created_again():
    s = store(("put", "a", "1"), ("del", "a"), ("put", "b", "1"), ("compact", 4))
    assert s.range("") == [KeyValue("b", b"1", 4, 4, 1)]
    assert s.put("a", "2") == 5
    assert s.range("") == [KeyValue("a", b"2", 5, 5, 1), KeyValue("b", b"1", 4, 4, 1)]
    assert s.get("a", revision=4) is None
