"""The per-key generations index, on etcd's own example: put 1, put 2, delete 3, put 4, delete 5."""

import pytest

from k8slearn.etcd.key_index import KeyIndex, tombstone_kv
from k8slearn.etcd.revision import KeyValue


def example():
    ki = KeyIndex("foo")
    ki.put(KeyValue("foo", b"1", 1, 1, 1))
    ki.put(KeyValue("foo", b"2", 1, 2, 2))
    ki.tombstone(tombstone_kv("foo", 3))
    ki.put(KeyValue("foo", b"4", 4, 4, 1))
    ki.tombstone(tombstone_kv("foo", 5))
    return ki


@pytest.mark.parametrize(
    "at, want",
    [(0, None), (1, b"1"), (2, b"2"), (3, None), (4, b"4"), (5, None), (9, None)],
    ids=[
        "before the first put the key does not exist",
        "at the first put the key has its first value",
        "at the second put the key has the second value",
        "at the first delete the key does not exist",
        "in the second generation the key has the new value",
        "at the second delete the key does not exist",
        "after the last delete the key does not exist",
    ],
)
def test_get(at, want):
    kv = example().get(at)
    assert (kv and kv.value) == want


@pytest.mark.parametrize(
    "at, want, kept",
    [
        (1, "foo: [1 2 3(t)] [4 5(t)] []", [1]),
        (2, "foo: [2 3(t)] [4 5(t)] []", [2]),
        (3, "foo: [3(t)] [4 5(t)] []", [3]),
        (4, "foo: [4 5(t)] []", [4]),
        (5, "foo: [5(t)] []", [5]),
        (6, "foo: []", []),
    ],
    ids=[
        "compacting at the first put keeps everything",
        "compacting at the second put drops the first",
        "compacting at a delete keeps only the tombstone of that generation",
        "compacting inside the second generation drops the whole first generation",
        "compacting at the last delete keeps only that tombstone",
        "compacting after the last delete empties the index",
    ],
)
def test_compact(at, want, kept):
    ki = example()
    by_id = {id(kv): kv.mod_revision for g in ki.generations for kv in g}
    keep = set()
    ki.compact(at, keep)
    assert str(ki) == want
    assert sorted(by_id[i] for i in keep) == kept
    assert ki.is_empty() == (want == "foo: []")


def test_tombstone_on_a_deleted_key_is_refused():
    ki = example()
    with pytest.raises(ValueError, match="mvcc: revision not found"):
        ki.tombstone(tombstone_kv("foo", 6))
    assert str(ki) == "foo: [1 2 3(t)] [4 5(t)] []"
