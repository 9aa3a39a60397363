"""Sub revisions, kept in a compact array, read back as written: through compaction and restore."""

import pytest

from k8slearn.etcd import MVCCStore
from k8slearn.etcd.txn import Delete, Put

ALL = [(2, 0, "/a"), (3, 0, "/b"), (4, 0, "/a"), (4, 1, "/c"), (4, 2, "/b"), (5, 0, "/a")]


def entries(store):
    return [(rev.main, rev.sub, kv.key) for rev, kv in store._entries()]


@pytest.mark.parametrize(
    "compact_at, kept",
    [
        pytest.param(None, ALL, id="every version with its sub revision"),
        pytest.param(3, ALL, id="a compaction before the transaction keeps every version here"),
        pytest.param(4, ALL[2:], id="a compaction at the transaction keeps its three writes and their sub revisions"),
        pytest.param(5, [(4, 1, "/c"), (5, 0, "/a")], id="a later compaction keeps a sub revision 1 in the middle"),
    ],
)
def test_sub_revisions_read_back_as_written(compact_at, kept, tmp_path):
    store = MVCCStore()
    store.put("/a", "1")                                                # rev 2, sub 0
    store.put("/b", "1")                                                # rev 3, sub 0
    store.txn([], [Put("/a", "2"), Put("/c", "1"), Delete("/b")])      # rev 4, subs 0, 1, 2
    store.put("/a", "3")                                                # rev 5, sub 0
    if compact_at:
        store.compact(compact_at)
    assert entries(store) == kept
    store.snapshot(tmp_path / "s.db")
    assert entries(MVCCStore.restore(tmp_path / "s.db")) == kept
