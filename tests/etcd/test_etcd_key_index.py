"""The per-key generations index, on etcd's own example: put 1, put 2, delete 3, put 4, delete 5."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8slearn.etcd import MVCCStore
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


# ---- the flat index against etcd's list of generations --------------------------------------------


class GenerationsModel:
    """etcd's keyIndex as written there: a list of generations, each a list of versions."""

    def __init__(self):
        self.generations = [[]]

    def put(self, kv):
        self.generations[-1].append(kv)

    def tombstone(self, kv):
        self.generations[-1].append(kv)
        self.generations.append([])

    def get(self, at):
        gens = self.generations
        for i in range(len(gens) - 1, -1, -1):
            g = gens[i]
            if not g:
                continue
            if i != len(gens) - 1 and g[-1].mod_revision <= at:
                return None
            if g[0].mod_revision <= at:
                return [kv for kv in g if kv.mod_revision <= at][-1]
        return None

    def compact(self, at, keep):
        gens = self.generations
        gi = 0
        while gi < len(gens) - 1 and gens[gi][-1].mod_revision < at:
            gi += 1
        g = gens[gi]
        older = [kv for kv in g if kv.mod_revision <= at]
        if older:
            keep.add(id(older[-1]))
            del g[: len(older) - 1]
        del gens[:gi]


# each step: put (True) or delete (False), then maybe a compaction that far back
steps = st.lists(st.tuples(st.booleans(), st.one_of(st.none(), st.integers(0, 4))), max_size=25)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_the_flat_index_answers_like_a_list_of_generations(history):
    ki, model, floor = KeyIndex("foo"), GenerationsModel(), 0
    for rev, (is_put, back) in enumerate(history, start=1):
        alive = ki.get(rev - 1)
        if is_put:
            kv = KeyValue("foo", b"v%d" % rev, alive.create_revision if alive else rev, rev,
                          alive.version + 1 if alive else 1)
            ki.put(kv)
            model.put(kv)
        elif alive is not None:
            kv = tombstone_kv("foo", rev)
            ki.tombstone(kv)
            model.tombstone(kv)
        if back is not None and rev - back > floor:
            floor = rev - back
            keep, keep_model = set(), set()
            ki.compact(floor, keep)
            model.compact(floor, keep_model)
            assert keep == keep_model
        assert ki.generations == model.generations
        assert ki.is_empty() == (model.generations == [[]])
        for at in range(floor, rev + 2):
            assert ki.get(at) == model.get(at)


@pytest.mark.parametrize(
    "writes, has_key_index, want",
    [
        pytest.param(["put"], False, [None, None, (b"v2", 3)], id="a key written once is indexed by its only version"),
        pytest.param(["put", "put"], True, [None, None, (b"v2", 3), (b"v3", 4)],
                     id="its second write gives it a KeyIndex"),
        pytest.param(["put", "delete"], True, [None, None, (b"v2", 3), None], id="its delete gives it a KeyIndex"),
    ],
)
def test_the_store_indexes_a_key_written_once_by_its_version_and_reads_it_the_same(writes, has_key_index, want):
    s = MVCCStore()
    s.put("/other", "x")
    for op in writes:
        s.put("/k", f"v{s.revision}") if op == "put" else s.delete("/k")
    assert isinstance(s._index["/k"], KeyIndex) is has_key_index
    got = [s.get("/k", revision=r) for r in range(1, s.revision + 1)]
    assert [kv and (kv.value, kv.mod_revision) for kv in got] == want
    s.compact(s.revision)
    assert s.get("/k") == got[-1] and s.range("/k", revision=s.revision) == [kv for kv in got[-1:] if kv]
