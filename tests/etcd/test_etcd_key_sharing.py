"""A key's index keeps one key string, whatever equal copies later requests spell it with."""

import pytest

from k8slearn.etcd import MVCCStore
from k8slearn.etcd.key_index import KeyIndex


def fresh(text):
    """An equal string that is not the same object (as a request builds its own)."""
    return "".join(list(text))


@pytest.mark.parametrize(
    "ops",
    [
        pytest.param(["put", "put"], id="a key written a second time keeps the first write's string"),
        pytest.param(["put", "put", "put"], id="and a third time"),
        pytest.param(["put", "delete"], id="a key deleted after one write keeps its string in its history"),
        pytest.param(["put", "delete", "put"], id="a key written again after a delete keeps its string"),
    ],
)
def test_a_key_index_shares_the_string_of_the_key_versions(ops):
    store = MVCCStore()
    key = "/registry/pods/default/web"
    first = fresh(key)
    for i, op in enumerate(ops):
        spelled = first if i == 0 else fresh(key)
        store.put(spelled, f"v{i}") if op == "put" else store.delete(spelled)
    ki = store._index[key]
    assert ki.__class__ is KeyIndex and ki.key is first
    assert all(kv.key is first for kv in ki)
    # every revision still reads as written: the value of the op that made it, or nothing after a delete
    seen = [[(kv.key, kv.value) for kv in store.range(key, revision=rev)] for rev in range(2, store.revision + 1)]
    assert seen == [[(key, f"v{i}".encode())] if op == "put" else [] for i, op in enumerate(ops)]
