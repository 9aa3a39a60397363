"""Transactions: compare semantics, one revision for all writes, results, and what etcd refuses."""

import pytest

from k8slearn.etcd import (
    CompactedError,
    Compare,
    Delete,
    EtcdError,
    FutureRevisionError,
    Get,
    KeyValue,
    MVCCStore,
    Put,
    TxnResult,
)


def base():
    s = MVCCStore()
    s.lease_grant(60, lease_id=9)  # (a grant makes no revision)
    s.lease_grant(60, lease_id=7)
    s.put("a", "1")  # 2
    s.put("a", "2")  # 3
    s.put("b", "x", lease=9)  # 4
    return s


@pytest.mark.parametrize(
    "compare, want",
    [
        (Compare("a", "mod_revision", "=", 3), True),
        (Compare("a", "mod_revision", "=", 2), False),
        (Compare("a", "create_revision", "=", 2), True),
        (Compare("a", "version", ">", 1), True),
        (Compare("a", "version", "<", 2), False),
        (Compare("a", "version", "!=", 2), False),
        (Compare("a", "value", "=", b"2"), True),
        (Compare("a", "value", "=", "2"), True),
        (Compare("a", "value", "<", "3"), True),
        (Compare("b", "lease", "=", 9), True),
        (Compare("missing", "mod_revision", "=", 0), True),
        (Compare("missing", "create_revision", "=", 0), True),
        (Compare("missing", "version", "=", 0), True),
        (Compare("missing", "version", ">", 0), False),
        (Compare("missing", "value", "!=", "anything"), False),
        (Compare("missing", "value", "=", ""), False),
    ],
    ids=[
        "mod_revision equal to the last write holds",
        "mod_revision equal to an older write fails",
        "create_revision is the revision of the creation",
        "version greater than 1 holds after two puts",
        "version less than 2 fails after two puts",
        "version not equal fails when it is equal",
        "value equal to the stored bytes holds",
        "a str value compares as its UTF-8 bytes",
        "values compare as bytes, in byte order",
        "lease compares the attached lease id",
        "a missing key has mod_revision 0",
        "a missing key has create_revision 0",
        "a missing key has version 0",
        "a missing key is not greater than version 0",
        "any value compare of a missing key fails, even not-equal",
        "a missing key's value is not the empty value",
    ],
)
def test_compare(compare, want):
    s = base()
    result = s.txn([compare], [Put("c", "yes")], [Put("c", "no")])
    assert result.succeeded is want
    assert s.get("c").value == (b"yes" if want else b"no")


@pytest.mark.parametrize(
    "compares, success, failure, want",
    [
        ([], [Put("c", "1"), Put("d", "2")], [], TxnResult(True, 5, [5, 5])),
        ([Compare("a", "version", "=", 9)], [Put("c", "1")], [Get("a")],
         TxnResult(False, 4, [[KeyValue("a", b"2", 2, 3, 2)]])),
        ([], [Delete("a"), Delete("zzz")], [], TxnResult(True, 5, [1, 0])),
        ([], [Delete("zzz")], [], TxnResult(True, 4, [0])),
        ([], [Put("c", "1"), Get("c")], [], TxnResult(True, 5, [5, [KeyValue("c", b"1", 5, 5, 1)]])),
        ([], [Put("c", "1"), Get("a", revision=2)], [],
         TxnResult(True, 5, [5, [KeyValue("a", b"1", 2, 2, 1)]])),
        ([], [Get("", prefix=True, limit=1)], [], TxnResult(True, 4, [[KeyValue("a", b"2", 2, 3, 2)]])),
        ([], [Delete("", prefix=True)], [], TxnResult(True, 5, [2])),
        ([], [Delete("a"), Delete("", prefix=True)], [], TxnResult(True, 5, [1, 1])),
        ([Compare("a", "value", "=", "2"), Compare("b", "value", "=", "nope")], [Put("c", "1")], [],
         TxnResult(False, 4, [])),
    ],
    ids=[
        "all writes of a transaction share one new revision",
        "a failed compare runs the failure branch, and reads make no revision",
        "a delete's result is how many keys it deleted",
        "a transaction that deletes nothing makes no revision",
        "a get after a put in the same transaction sees the put",
        "a get at an old revision inside a transaction reads that revision",
        "a get with a prefix and a limit returns the first keys",
        "a prefix delete deletes every key in one revision",
        "a second delete does not count keys the first already deleted",
        "every compare must hold for the success branch",
    ],
)
def test_txn_results(compares, success, failure, want):
    assert base().txn(compares, success, failure) == want


def test_txn_writes_reach_watchers_together_with_sub_revision_order():
    s = base()
    w = s.watch("", prefix=True)
    s.txn([], [Put("c", "1"), Delete("a"), Put("b", "y")])
    events = list(w)
    assert [(e.type, e.kv.key, e.kv.mod_revision) for e in events] == [
        ("PUT", "c", 5), ("DELETE", "a", 5), ("PUT", "b", 5)]
    assert [e.prev_kv and e.prev_kv.value for e in events] == [None, b"2", b"x"]
    assert [str(rev) for rev, _ in s._entries()][-3:] == ["5.0", "5.1", "5.2"]


@pytest.mark.parametrize(
    "compares, success, failure, error, message",
    [
        ([], [Put("c", "1"), Put("c", "2")], [], EtcdError, "etcdserver: duplicate key given in txn request"),
        ([], [Delete("c", prefix=True), Put("cd", "2")], [], EtcdError,
         "etcdserver: duplicate key given in txn request"),
        ([], [Put("c", "1")], [Put("d", "1"), Put("d", "1")], EtcdError,
         "etcdserver: duplicate key given in txn request"),
        ([], [Get("a")] * 129, [], EtcdError,
         "etcdserver: too many operations in txn request"),
        ([Compare("a", "version", "=", 1)] * 129, [], [], EtcdError,
         "etcdserver: too many operations in txn request"),
        ([], [Put("", "1")], [], EtcdError, "etcdserver: key is not provided"),
        ([], [Put("c", "1"), Get("a", revision=9)], [], FutureRevisionError,
         "mvcc: required revision is a future revision"),
        ([Compare("a", "size", "=", 1)], [], [], ValueError,
         "unknown compare target 'size'; "
         "expected one of version, create_revision, mod_revision, value, lease"),
        ([Compare("a", "version", ">=", 1)], [], [], ValueError,
         "unknown compare op '>='; expected one of = != < >"),
        ([], [("put", "c", "1")], [], TypeError, "txn operations are Put, Delete or Get, not tuple"),
    ],
    ids=[
        "a branch that puts the same key twice is refused",
        "a branch that puts a key inside a range it deletes is refused",
        "the failure branch is checked even when the success branch runs",
        "more than 128 operations in a branch are refused",
        "more than 128 compares are refused",
        "a put with an empty key is refused",
        "a get at a future revision fails the whole transaction",
        "an unknown compare target is a ValueError",
        "an unknown compare operator is a ValueError",
        "an operation that is not Put, Delete or Get is a TypeError",
    ],
)
def test_txn_refused_changes_nothing(compares, success, failure, error, message):
    s = base()
    before = (s.revision, s.range(""))
    with pytest.raises(error) as info:
        s.txn(compares, success, failure)
    assert str(info.value) == message
    assert (s.revision, s.range("")) == before


def test_txn_get_below_the_compact_revision_fails():
    s = base()
    s.compact(3)
    with pytest.raises(CompactedError):
        s.txn([], [Put("c", "1"), Get("a", revision=2)])
    assert s.get("c") is None and s.revision == 4


@pytest.mark.parametrize("failure", [[Get("a", revision=2)], [Put("z", "1", lease=999)]],
                         ids=["a compacted revision on the branch not taken", "an unknown lease on the branch not taken"])
def test_only_the_branch_the_compares_choose_is_checked_against_revisions_and_leases(failure):
    s = base()
    s.compact(3)
    result = s.txn([Compare("a", "version", "!=", 0)], [Put("c", "new")], failure)
    assert (result.succeeded, s.get("c").value) == (True, b"new")


def test_optimistic_update_as_the_api_server_does_it():
    s = base()
    kv = s.get("a")
    first = s.txn([Compare("a", "mod_revision", "=", kv.mod_revision)], [Put("a", "3")], [Get("a")])
    stale = s.txn([Compare("a", "mod_revision", "=", kv.mod_revision)], [Put("a", "4")], [Get("a")])
    assert first.succeeded and first.results == [5]
    assert not stale.succeeded and stale.results == [[KeyValue("a", b"3", 2, 5, 3)]]
    assert s.get("a").value == b"3" and s.revision == 5


def general_path_only(store):
    """A store whose ``txn`` never takes the single compare-and-put fast path."""
    store._put_if_mod_revision = lambda c, op: None
    return store


def txn_outcome(store, compare, put):
    w = store.watch("", prefix=True)
    try:
        result = store.txn([compare], [put])
    except Exception as e:  # noqa: BLE001 - both paths must fail the same way
        result = (type(e).__name__, str(e))
    events = [(e.type, e.kv, e.prev_kv) for e in w]
    return result, store.revision, store.range(""), list(store._entries()), events, store.db_size


@pytest.mark.parametrize(
    "compare, put",
    [
        (Compare("a", "mod_revision", "=", 3), Put("a", "3")),
        (Compare("a", "mod_revision", "=", 2), Put("a", "3")),
        (Compare("c", "mod_revision", "=", 0), Put("c", b"new", lease=7)),
        (Compare("a", "mod_revision", "=", 0), Put("a", "again")),
        (Compare("a", "mod_revision", "=", 3), Put("a", 5)),
        (Compare("", "mod_revision", "=", 0), Put("", "1")),
        (Compare("a", "mod_revision", "=", 3), Put("b", "other key")),
        (Compare("a", "version", "=", 2), Put("a", "3")),
        (Compare("a", "mod_revision", ">", 1), Put("a", "3")),
        (Compare("a", "mod_revision", "=", 3), Delete("a")),
    ],
    ids=[
        "an update whose mod_revision still holds is written",
        "an update against an old mod_revision is not written",
        "a create of a missing key with a lease is written",
        "a create of a key that exists is not written",
        "a value that is not bytes or str is a TypeError",
        "an empty key is refused",
        "a compare on one key and a put of another runs the general way",
        "a compare of another target runs the general way",
        "a compare with another operator runs the general way",
        "a compare and a delete runs the general way",
    ],
)
def test_the_compare_and_put_fast_path_does_what_the_general_transaction_does(compare, put):
    assert txn_outcome(base(), compare, put) == txn_outcome(general_path_only(base()), compare, put)
