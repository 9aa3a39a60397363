"""Newest values under a pack_newest prefix are packed against a dictionary renewed at the 1st,
2nd, 4th, 8th ... value written: every value must still read back exactly, whichever dictionary
it was packed against, and the store must read like one that never packs."""

import json

import pytest

from k8slearn.etcd import MVCCStore
from k8slearn.etcd.packed import NewestPacking, PackedKeyValue, unpack
from k8slearn.etcd.revision import KeyValue

PREFIX = "/registry/events/"


def event(i, reason="Pulled"):
    """An Event-like JSON value, long enough to be packed."""
    return json.dumps({"apiVersion": "v1", "kind": "Event",
                       "metadata": {"name": f"web-{i}.{i:x}", "namespace": "default"},
                       "involvedObject": {"kind": "Pod", "name": f"web-{i}", "uid": f"u-{i}"},
                       "reason": reason,
                       "message": f"Container image \"nginx:1.{i}\" already present"}).encode()


@pytest.mark.parametrize(
    "n, dictionary",
    [
        pytest.param(1, 1, id="the first value is its own dictionary"),
        pytest.param(2, 2, id="the second value becomes the dictionary"),
        pytest.param(3, 2, id="the third value is packed against the second"),
        pytest.param(4, 4, id="the fourth value becomes the dictionary"),
        pytest.param(7, 4, id="the seventh value is packed against the fourth"),
        pytest.param(8, 8, id="the eighth value becomes the dictionary"),
        pytest.param(20, 16, id="the twentieth value is packed against the sixteenth"),
    ],
)
def test_each_value_is_packed_against_the_latest_power_of_two_value(n, dictionary):
    newest = NewestPacking()
    newest.add(PREFIX)
    stored = [newest.stored(KeyValue(f"{PREFIX}default/e{i}", event(i), i + 2, i + 2, 1))
              for i in range(1, n + 1)]
    last = stored[-1]
    assert last.__class__ is PackedKeyValue and last.base.value == event(dictionary)
    assert [unpack(p).value for p in stored] == [event(i) for i in range(1, n + 1)]


def test_values_packed_before_a_renewal_keep_their_own_dictionary():
    newest = NewestPacking()
    newest.add(PREFIX)
    first = newest.stored(KeyValue(f"{PREFIX}default/a", event(1, "Scheduled"), 2, 2, 1))
    renewed = [newest.stored(KeyValue(f"{PREFIX}default/e{i}", event(i), i, i, 1)) for i in range(2, 9)]
    assert first.base.value == event(1, "Scheduled") and first.value == event(1, "Scheduled")
    assert {p.base.value for p in renewed} == {event(2), event(4), event(8)}


@pytest.mark.parametrize(
    "reasons",
    [
        pytest.param(["Scheduled"] * 3, id="a few values, before any renewal matters"),
        pytest.param(["Scheduled", "Pulling", "Pulled", "Created", "Started"] * 7,
                     id="values across several renewals"),
        pytest.param(["x" * 3000, "Pulled"] * 5, id="long and short values mixed"),
    ],
)
def test_a_store_packing_newest_values_reads_like_one_that_does_not(reasons):
    packed, plain = MVCCStore(), MVCCStore()
    packed.pack_newest(PREFIX)
    for s in (packed, plain):
        for i, reason in enumerate(reasons):
            s.put(f"{PREFIX}default/e{i % 6}", event(i, reason))
        s.delete(f"{PREFIX}default/e0")
    for rev in range(1, plain.revision + 1):
        assert packed.range(PREFIX, revision=rev) == plain.range(PREFIX, revision=rev)
    assert packed.db_size == plain.db_size
    assert any(kv.__class__ is PackedKeyValue for kv in packed._current.values())
