"""Newest values under a chained pack_newest prefix (the API server's events) are each packed against
the value stored before them: the store must read exactly like one that never packs, and reading a
value must unpack a bounded chain."""

import json

import pytest

from k8slearn.etcd import MVCCStore
from k8slearn.etcd.packed import KEYFRAME_EVERY, NewestPacking, PackedKeyValue, unpack
from k8slearn.etcd.revision import KeyValue

PREFIX = "/registry/events/"


def event(i, reason="Pulled", node="node-1"):
    return json.dumps({"apiVersion": "v1", "kind": "Event",
                       "metadata": {"name": f"web-{i}.{i:x}", "namespace": "default"},
                       "involvedObject": {"kind": "Pod", "name": f"web-{i}", "uid": f"u-{i}"},
                       "reason": reason, "source": {"component": "kubelet", "host": node},
                       "message": f"Container image \"nginx:1.{i}\" already present"}).encode()


def chain_length(stored):
    n, base = 1, stored.base if stored.__class__ is PackedKeyValue else None
    while base.__class__ is PackedKeyValue:
        n, base = n + 1, base.base
    return n


def stores():
    chained, plain = MVCCStore(), MVCCStore()
    chained.pack_newest(PREFIX, chained=True)
    return chained, plain


def same_reads(chained, plain):
    for rev in range(1, plain.revision + 1):
        assert chained.range(PREFIX, revision=rev) == plain.range(PREFIX, revision=rev)
    assert chained.db_size == plain.db_size


@pytest.mark.parametrize(
    "writes",
    [
        pytest.param([("put", i, "Pulled") for i in range(3)], id="a few values, before the first keyframe"),
        pytest.param([("put", i, ("Scheduled", "Pulled", "Created", "Started")[i % 4]) for i in range(70)],
                     id="values across several keyframes and dictionary renewals"),
        pytest.param([("put", i % 3, "BackOff") for i in range(20)],
                     id="the same keys written again and again: each version against the one before"),
        pytest.param([("put", i, "x" * (3000 if i % 2 else 1)) for i in range(20)],
                     id="long values and short ones that do not shrink mixed in the chain"),
        pytest.param([("put", i, "Pulled") for i in range(10)] + [("delete", i, "") for i in range(0, 10, 2)]
                     + [("put", i, "Created") for i in range(10, 30)],
                     id="values deleted in the middle of a chain still unpack the ones after them"),
    ],
)
def test_a_chained_store_reads_like_one_that_does_not_pack(writes):
    chained, plain = stores()
    for s in (chained, plain):
        for op, i, reason in writes:
            key = f"{PREFIX}default/e{i}"
            s.put(key, event(i, reason)) if op == "put" else s.delete(key)
    same_reads(chained, plain)
    current = list(chained._current.values())
    assert all(chain_length(kv) <= KEYFRAME_EVERY for kv in current)
    assert any(kv.__class__ is PackedKeyValue for kv in current)


def test_compaction_and_a_lease_revoke_leave_the_rest_readable():
    chained, plain = stores()
    for s in (chained, plain):
        lease = s.lease_grant(60)
        for i in range(40):
            s.put(f"{PREFIX}default/e{i}", event(i), lease=lease.id if i < 20 else 0)
        s.lease_revoke(lease.id)  # the first twenty go: the chains of the others run through them
        s.compact(s.revision - 5)
    assert chained.range(PREFIX) == plain.range(PREFIX)
    assert [kv.value for kv in chained.range(PREFIX)] == [kv.value for kv in plain.range(PREFIX)]


@pytest.mark.parametrize(
    "n, base_is",
    [
        pytest.param(1, "dictionary", id="the first value goes against the dictionary"),
        pytest.param(2, "previous", id="the second value goes against the first"),
        pytest.param(KEYFRAME_EVERY - 1, "previous", id="the value before a keyframe goes against the one before"),
        pytest.param(KEYFRAME_EVERY, "dictionary", id="every KEYFRAME_EVERY-th value goes against the dictionary"),
        pytest.param(KEYFRAME_EVERY + 1, "previous", id="the value after a keyframe goes against the keyframe"),
    ],
)
def test_each_value_is_packed_against_the_previous_one_except_keyframes(n, base_is):
    newest = NewestPacking()
    newest.add(PREFIX, chained=True)
    stored = [newest.stored(KeyValue(f"{PREFIX}default/e{i}", event(i), i + 2, i + 2, 1)) for i in range(1, n + 1)]
    last = stored[-1]
    if base_is == "previous":
        assert last.base is stored[-2]
    else:
        assert last.base.__class__ is KeyValue and last.base.key == PREFIX
    assert [unpack(p).value for p in stored] == [event(i) for i in range(1, n + 1)]


def test_an_unchained_prefix_keeps_the_dictionary_as_base():
    newest = NewestPacking()
    newest.add(PREFIX)
    stored = [newest.stored(KeyValue(f"{PREFIX}default/e{i}", event(i), i + 2, i + 2, 1)) for i in range(1, 6)]
    assert all(p.base.__class__ is KeyValue for p in stored)
