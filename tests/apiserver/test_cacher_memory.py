"""The watch cache's decode shares strings and equal read-only parts, and nobody can tell.

Every decoded object must equal (and serialize like) what a plain ``json.loads`` gives, keep its
own metadata and resourceVersion, and stay unchanged whatever is decoded after it.
"""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8slearn.api.meta import FrozenDict, FrozenList
from k8slearn.apiserver import watch_cache_decode
from k8slearn.api.shared import SharedTable
from k8slearn.apiserver.watch_cache_decode import _Objects, decode

POD = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "web-1", "namespace": "default", "uid": "u-1", "creationTimestamp": "2026-01-05T09:00:00Z",
                 "labels": {"app": "web"},
                 "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7c", "uid": "rs-1",
                                      "controller": True, "blockOwnerDeletion": True}]},
    "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "resources": {}}],
             "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                              "effect": "NoExecute", "tolerationSeconds": 300}],
             "nodeName": "node-1"},
    "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": None}]},
}


def encoded(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def without_version(obj):
    meta = {k: v for k, v in obj["metadata"].items() if k != "resourceVersion"}
    return {**obj, "metadata": meta}


def twin(name):
    """POD under another name and uid (same template, owner and node)."""
    return {**POD, "metadata": {**POD["metadata"], "name": name, "uid": f"u-{name}"}}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(("spec", "containers"), id="pods of one template share their containers list"),
        pytest.param(("spec", "tolerations"), id="pods share the default tolerations"),
        pytest.param(("metadata", "ownerReferences"), id="pods of one ReplicaSet share the owner reference"),
        pytest.param(("metadata", "labels"), id="pods with the same labels share the labels object"),
        pytest.param(("status", "conditions"), id="equal conditions are one list"),
    ],
)
def test_equal_read_only_parts_of_two_pods_are_one_object(path):
    a, b = decode(encoded(twin("a")), 5), decode(encoded(twin("b")), 6)
    part_a, part_b = a, b
    for step in path:
        part_a, part_b = part_a[step], part_b[step]
    assert part_a is part_b and isinstance(part_a, (FrozenDict, FrozenList))
    assert a["metadata"]["name"] == "a" and b["metadata"]["name"] == "b"


def test_keys_and_short_values_are_one_string_each():
    a, b = decode(encoded(twin("a")), 5), decode(encoded(twin("b")), 6)
    key_a = next(k for k in a["spec"] if k == "nodeName")
    key_b = next(k for k in b["spec"] if k == "nodeName")
    assert key_a is key_b
    assert a["spec"]["nodeName"] is b["spec"]["nodeName"] == "node-1"


DIGEST = "docker.io/library/nginx@sha256:" + "2d0c3f105bd06cb84a17ed06368224f64ed5c43fd6990a85be8562ea0ca888a8"


@pytest.mark.parametrize("key, shared", [
    ("imageID", True),
    ("message", False),
], ids=["two pods' long imageIDs of one image are one string",
        "other long strings (a message) are each object's own"])
def test_long_strings_are_shared_only_under_the_keys_that_repeat_them(key, shared):
    def running(name):
        status = {"containerStatuses": [{"containerID": f"containerd://{name * 64}", key: DIGEST, "name": "app"}]}
        return {**twin(name), "status": status}
    a, b = decode(encoded(running("a")), 5), decode(encoded(running("b")), 6)
    first, second = a["status"]["containerStatuses"][0], b["status"]["containerStatuses"][0]
    assert (first[key] is second[key]) is shared and first[key] == second[key] == DIGEST
    assert first is not second and first["containerID"] != second["containerID"]


def test_the_same_bytes_decoded_at_two_revisions_keep_their_own_metadata():
    value = encoded(POD)
    first, second = decode(value, 7), decode(value, 8)
    assert first["metadata"] is not second["metadata"]
    assert (first["metadata"]["resourceVersion"], second["metadata"]["resourceVersion"]) == ("7", "8")
    assert first == {**second, "metadata": {**second["metadata"], "resourceVersion": "7"}}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"kind":"Thing"}', id="an object with no metadata gets a fresh one of its own"),
        pytest.param('{"kind":"Thing","metadata":"odd"}', id="an object whose metadata is not an object"),
        pytest.param('{"kind":"Thing","metadata":{"name":"x"}}', id="a metadata of strings only"),
    ],
)
def test_a_shareable_object_written_with_etcdctl_is_not_changed_by_a_later_decode(text):
    first = decode(text.encode(), 2)
    second = decode(text.encode(), 3)
    assert first["metadata"]["resourceVersion"] == "2" and second["metadata"]["resourceVersion"] == "3"
    assert first is not second


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param(['{"x":1}', '{"x":true}', '{"x":1.0}'], id="one, true and 1.0 stay three different values"),
        pytest.param(['{"x":0}', '{"x":false}'], id="zero and false stay apart"),
        pytest.param(['{"a":"1","b":"2"}', '{"b":"2","a":"1"}'], id="the order of keys is kept"),
        pytest.param(['[1,2]', '[true,2]', '{"a":[1,2]}', '{"a":[true,2]}'], id="lists with one or true"),
        pytest.param(['[["a","b"]]', '{"a":"b"}', '[{"a":"b"}]'], id="a list of a pair is not an object"),
        pytest.param(['{"x":null}', '{"x":[]}', '{"x":{}}'], id="null, empty list and empty object"),
        pytest.param(['{"s":"' + "x" * 65 + '"}', '{"s":"' + "x" * 65 + '"}'], id="long strings"),
    ],
)
def test_decoded_values_serialize_exactly_as_the_json_they_came_from(texts):
    wrapped = [f'{{"metadata":{{}},"v":{t}}}' for t in texts]
    decoded = [decode(t.encode(), i + 2) for i, t in enumerate(wrapped)]
    for text, obj in zip(texts, decoded):
        assert json.dumps(obj["v"], separators=(",", ":")) == text


def test_a_full_table_starts_over_and_what_it_handed_out_stays_as_it_was():
    strings, objects = SharedTable(2), _Objects(2)
    assert [strings[s] for s in ("a", "b", "c")] == ["a", "b", "c"] and list(strings) == ["c"]
    first = objects.share(("k1",), FrozenDict(a="1"))
    objects.share(("k2",), FrozenDict(a="2"))
    third = objects.share(("k3",), FrozenDict(a="3"))
    assert list(objects.values) == [("k3",)] and objects.keys == {id(third): ("k3",)}
    assert first == {"a": "1"} and objects.share(("k1",), FrozenDict(a="1")) is not first


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, 1.0, 2.5])
    | st.sampled_from(["", "a", "True", "x" * 70]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "metadata"]), inner,
                                                                max_size=3),
    max_leaves=12,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(json_values, min_size=1, max_size=6))
def test_any_sequence_of_decodes_gives_what_json_loads_gives_and_changes_nothing_decoded_before(values):
    saved = watch_cache_decode._OBJECTS.limit
    watch_cache_decode._OBJECTS.limit = 3  # start over often, as a long run does
    try:
        done = []
        for i, value in enumerate(values):
            text = json.dumps({"metadata": {"name": "n"}, "v": value})
            obj = decode(text.encode(), i + 2)
            done.append((text, i + 2, obj))
        for text, rev, obj in done:
            assert obj["metadata"]["resourceVersion"] == str(rev)
            assert json.dumps(without_version(obj)) == text
    finally:
        watch_cache_decode._OBJECTS.limit = saved

