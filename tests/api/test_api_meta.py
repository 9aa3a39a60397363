"""Metadata helpers: simulated time, UIDs, generated names, owner references and frozen objects."""

import copy
import json
import pickle
import random
import re

import pytest
import yaml

from k8slearn.api.meta import (
    ALPHANUMS, READ_ONLY_MSG, FrozenDict, FrozenList, freeze, generate_name, go_duration, micro_timestamp, namespaced_name,
    new_uid, owner_reference, parse_timestamp, thaw, timestamp,
)

TIMES = [
    (0, "2026-01-05T09:00:00Z", "time zero is the epoch"),
    (30.9, "2026-01-05T09:00:30Z", "timestamps keep whole seconds"),
    (86400, "2026-01-06T09:00:00Z", "a day later is the next date"),
]


@pytest.mark.parametrize("seconds,text", [t[:2] for t in TIMES], ids=[t[2] for t in TIMES])
def test_timestamp_is_rfc3339_from_the_epoch(seconds, text):
    assert timestamp(seconds) == text


DURATIONS = [
    (0, "0s", "no time at all is 0s"),
    (0.25, "250ms", "under a second is whole milliseconds"),
    (1.0243, "1.024s", "seconds keep three decimals, truncated"),
    (10, "10s", "whole seconds have no decimals"),
    (90, "1m30s", "a minute and more shows minutes"),
    (300, "5m0s", "whole minutes keep 0s"),
    (3600, "1h0m0s", "an hour shows hours, minutes and seconds"),
    (3725.5, "1h2m5.5s", "hours, minutes and a fraction"),
]


@pytest.mark.parametrize("seconds,text", [d[:2] for d in DURATIONS], ids=[d[2] for d in DURATIONS])
def test_go_duration_prints_like_go_time_duration(seconds, text):
    assert go_duration(seconds) == text


def test_micro_timestamps_keep_microseconds_and_parse_back():
    assert micro_timestamp(1.25) == "2026-01-05T09:00:01.250000Z"
    assert parse_timestamp(micro_timestamp(1.25)) == 1.25 and parse_timestamp(timestamp(90)) == 90


def test_uids_are_uuid4_shaped_and_reproducible():
    uid = new_uid(random.Random(7))
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", uid)
    assert uid == new_uid(random.Random(7)) != new_uid(random.Random(8))


def test_generate_name_adds_five_characters_from_the_vowel_free_alphabet():
    name = generate_name("web-", random.Random(3))
    assert name.startswith("web-") and len(name) == 9 and set(name[4:]) <= set(ALPHANUMS)
    assert name == generate_name("web-", random.Random(3))


def test_generate_name_cuts_the_base_to_58_characters():
    assert len(generate_name("x" * 80, random.Random(0))) == 63


def test_the_alphabet_has_no_vowels_and_no_confusable_digits():
    assert ALPHANUMS == "bcdfghjklmnpqrstvwxz2456789"


def test_owner_reference_points_at_the_controller():
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-1", "uid": "u-1"}}
    assert owner_reference(rs) == {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1",
                                   "uid": "u-1",
                                   "controller": True, "blockOwnerDeletion": True}


KEYS = [
    ({"metadata": {"name": "web", "namespace": "default"}}, "default/web",
     "a namespaced object keys as ns/name"),
    ({"metadata": {"name": "node-1"}}, "node-1", "a cluster-scoped object keys as its name"),
]


@pytest.mark.parametrize("obj,key", [k[:2] for k in KEYS], ids=[k[2] for k in KEYS])
def test_namespaced_name(obj, key):
    assert namespaced_name(obj) == key


POD = {"metadata": {"name": "web", "labels": {"app": "web"}},
       "spec": {"containers": [{"name": "c", "ports": [1]}]}}
MUTATIONS = [
    (lambda o: o.__setitem__("x", 1), "setting a key"),
    (lambda o: o["metadata"]["labels"].update(app="db"), "updating a nested dict"),
    (lambda o: o["metadata"].pop("name"), "popping a key"),
    (lambda o: o.setdefault("status", {}), "setdefault"),
    (lambda o: o.clear(), "clearing"),
    (lambda o: o["spec"]["containers"].append({}), "appending to a list"),
    (lambda o: o["spec"]["containers"][0]["ports"].__setitem__(0, 2), "assigning into a nested list"),
    (lambda o: o["spec"]["containers"].sort(), "sorting a list"),
    (lambda o: o["metadata"].__delitem__("name"), "deleting a key"),
]


@pytest.mark.parametrize("mutate", [m[0] for m in MUTATIONS],
                         ids=[f"{m[1]} on a frozen object raises" for m in MUTATIONS])
def test_a_frozen_object_refuses_every_change(mutate):
    frozen = freeze(POD)
    with pytest.raises(TypeError) as err:
        mutate(frozen)
    assert str(err.value) == READ_ONLY_MSG


def test_augmented_assignment_on_a_frozen_list_raises():
    frozen = freeze(POD)
    with pytest.raises(TypeError):
        containers = frozen["spec"]["containers"]
        containers += [{}]


def test_a_frozen_object_reads_compares_and_serializes_like_the_original():
    frozen = freeze(POD)
    assert frozen == POD and isinstance(frozen["spec"]["containers"], FrozenList)
    assert json.loads(json.dumps(frozen)) == POD
    assert yaml.safe_load(yaml.safe_dump(frozen)) == POD
    assert pickle.loads(pickle.dumps(frozen)) == POD


def test_thaw_gives_a_deep_mutable_copy():
    frozen = freeze(POD)
    copy_ = thaw(frozen)
    copy_["metadata"]["labels"]["app"] = "db"
    copy_["spec"]["containers"].append({"name": "d"})
    assert type(copy_) is dict and type(copy_["spec"]["containers"]) is list
    assert frozen["metadata"]["labels"]["app"] == "web" and len(frozen["spec"]["containers"]) == 1


def test_freezing_a_frozen_object_reuses_it_and_deepcopy_is_free():
    frozen = freeze(POD)
    assert freeze(frozen) is frozen and copy.deepcopy(frozen) is frozen
    assert isinstance(freeze({"a": 1}), FrozenDict)


@pytest.mark.parametrize("bits", [0, 1, (1 << 128) - 1, 0x0123456789ABCDEF0123456789ABCDEF, 1 << 76,
                                  0xC000 << 48],
                         ids=["all zero bits", "one low bit", "all one bits", "a mixed pattern",
                              "only the version nibble's low bit", "only the variant bits"])
def test_the_uuid_text_is_the_one_uuid_module_gives(bits):
    import uuid

    from k8slearn.api.meta import uuid4_text
    assert uuid4_text(bits) == str(uuid.UUID(int=bits, version=4))


def test_the_remembered_timestamp_is_the_formatted_one_whatever_the_order_of_calls():
    from datetime import timedelta

    from k8slearn.api.meta import EPOCH, timestamp
    moments = [0, 0.5, 0.99, 1, 30.2, 1, 1, 86_400 * 400 + 0.1, 0.2, -1.5]
    expected = [(EPOCH + timedelta(seconds=int(s // 1))).strftime("%Y-%m-%dT%H:%M:%SZ") for s in moments]
    assert [timestamp(s) for s in moments] == expected
