"""decode_next (the watch cache's decode of a pod's next version) gives exactly what decode gives.

It reuses the unchanged parts of the previous version, or the spec last decoded, when their JSON
is spelled out at that place; whatever the text, the result must be the plain decode's: same
values, same types (a bool is no int, a FrozenList no list), same key order, same errors.
"""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8slearn.api.meta import FrozenDict, FrozenList
from k8slearn.apiserver import watch_cache_decode
from k8slearn.apiserver.watch_cache_decode import decode
from k8slearn.apiserver.watch_cache_next import decode_next

SPEC = {"containers": [{"name": "app", "image": "nginx:1.27", "resources": {}}],
        "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                         "tolerationSeconds": 300}],
        "priority": 0, "enableServiceLinks": True}
META = {"name": "web-1", "namespace": "default", "uid": "u-1", "labels": {"app": "web"},
        "ownerReferences": [{"kind": "ReplicaSet", "name": "web-7c", "controller": True}]}
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": META, "spec": SPEC, "status": {"phase": "Pending"}}


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def same(a, b) -> bool:
    """Equal, with the same classes and key order all the way down."""
    if a.__class__ is not b.__class__:
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b or isinstance(a, float) and math.isnan(a) and math.isnan(b)


BOUND = {**POD, "spec": {**SPEC, "nodeName": "node-1"}}
RUNNING = {**BOUND, "status": {"phase": "Running", "podIP": "10.244.0.5"}}

CASES = [
    ("a status update after the bind", compact(BOUND), compact(RUNNING)),
    ("a bind adds spec.nodeName after the spec's own members", compact(POD), compact(BOUND)),
    ("a bind that names the node twice keeps the last", compact(POD),
     compact(POD).replace(b'"enableServiceLinks":true}', b'"enableServiceLinks":true,"nodeName":"a","nodeName":"b"}')),
    ("a new pod of the same template (no previous version)", None, compact({**POD, "metadata": {"name": "web-2"}})),
    ("a metadata whose text carries a resourceVersion", compact(POD),
     compact({**POD, "metadata": {**META, "resourceVersion": "99"}})),
    ("the previous metadata with a label changed", compact(POD),
     compact({**POD, "metadata": {**META, "labels": {"app": "db"}}})),
    ("spaces between the members", compact(POD), json.dumps(POD).encode()),
    ("a top-level key given twice", compact(POD), compact(POD)[:-1] + b',"spec":{"x":1}}'),
    ("metadata given twice, the first one unchanged", compact(POD),
     compact(POD)[:-1] + b',"metadata":{"name":"other"}}'),
    ("a spec spelled with unicode escapes where the previous had none", compact(POD),
     compact(POD).replace(b'"app"', b'"\\u0061pp"')),
    ("raw UTF-8 in a value", compact(POD), compact(POD).replace(b"nginx", "nginx\u00e9".encode())),
    ("a spec holding a float, a bool and null", compact({**POD, "spec": {"f": 1.5, "t": True, "n": None}}),
     compact({**POD, "spec": {"f": 1.5, "t": True, "n": None}, "status": {}})),
    ("a spec where 1 becomes true (equal in Python, not in JSON)", compact({**POD, "spec": {"x": 1}}),
     compact({**POD, "spec": {"x": True}})),
    ("an object without metadata", compact(POD), compact({"kind": "Pod", "spec": SPEC})),
    ("a metadata that is not an object", compact(POD), compact({**POD, "metadata": 5})),
    ("trailing whitespace", compact(POD), compact(RUNNING) + b"  \n"),
    ("an empty object", compact(POD), b"{}"),
]


@pytest.mark.parametrize("before, after", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_decode_next_gives_what_decode_gives(before, after):
    previous = None if before is None else decode(before, 7)
    fast, plain = decode_next(after, 8, previous), decode(after, 8)
    assert same(fast, plain)
    assert fast["metadata"] is not (previous or {}).get("metadata")
    assert fast["metadata"]["resourceVersion"] == "8"


def test_an_unchanged_spec_is_the_previous_spec_itself():
    previous = decode(compact(BOUND), 7)
    assert decode_next(compact(RUNNING), 8, previous)["spec"] is previous["spec"]


def test_a_bound_spec_keeps_the_parts_of_the_previous_spec():
    previous = decode(compact(POD), 7)
    bound = decode_next(compact(BOUND), 8, previous)
    assert bound["spec"]["containers"] is previous["spec"]["containers"]
    assert bound["spec"].__class__ is FrozenDict and bound["spec"]["tolerations"].__class__ is FrozenList


BAD = [
    ("text that is not JSON", b'{"metadata":{"name":"a"},"spec":'),
    ("a JSON array", b'[{"metadata":{}}]'),
    ("a member cut short inside a reused spec", compact(POD)[:40]),
]


@pytest.mark.parametrize("value", [c[1] for c in BAD], ids=[c[0] for c in BAD])
def test_decode_next_refuses_what_decode_refuses(value):
    previous = decode(compact(POD), 7)
    with pytest.raises(ValueError) as fast:
        decode_next(value, 8, previous)
    with pytest.raises(ValueError) as plain:
        decode(value, 8)
    assert str(fast.value) == str(plain.value)


def test_after_the_sharing_table_starts_over_the_answer_is_the_same(monkeypatch):
    previous = decode(compact(BOUND), 7)
    monkeypatch.setattr(watch_cache_decode, "_OBJECTS", watch_cache_decode._Objects(1 << 15))
    fast = decode_next(compact(RUNNING), 8, previous)
    assert same(fast, decode(compact(RUNNING), 8))
    assert fast["spec"] is previous["spec"]  # no longer shared, but the previous version's own: compared, reused


def test_a_recent_value_no_longer_shared_is_parsed_again(monkeypatch):
    first = decode_next(compact(BOUND), 7, None)  # (its spec becomes the recent one)
    monkeypatch.setattr(watch_cache_decode, "_OBJECTS", watch_cache_decode._Objects(1 << 15))
    fast = decode_next(compact(RUNNING), 8, None)
    assert same(fast, decode(compact(RUNNING), 8))
    assert fast["spec"] is not first["spec"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, 1.0, 2.5])
    | st.sampled_from(["", "a", "True", "x" * 70]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "nodeName"]), inner,
                                                                max_size=3),
    max_leaves=10,
)
members = st.dictionaries(st.sampled_from(["metadata", "spec", "status", "kind"]), json_values, max_size=4)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(members, st.sampled_from(["new", "same", "grown"])), min_size=1, max_size=5))
def test_any_sequence_of_versions_decodes_as_decode_does(versions):
    """Each version keeps, grows or replaces the members of the one before (the reuse paths and
    the plain one), with a sharing table that starts over often, as a long run does."""
    saved = watch_cache_decode._OBJECTS.limit
    watch_cache_decode._OBJECTS.limit = 3
    try:
        previous, body = None, {}
        for rev, (fresh, how) in enumerate(versions, start=2):
            if how == "same":
                body = {**body, **{k: v for k, v in fresh.items() if k not in body}}
            elif how == "grown":
                body = {k: ({**v, **fresh} if isinstance(v, dict) else v) for k, v in body.items()} or fresh
            else:
                body = fresh
            previous = decode_next(compact(body), rev, previous)
            assert same(previous, decode(compact(body), rev))
    finally:
        watch_cache_decode._OBJECTS.limit = saved


def test_a_part_read_from_another_spelling_is_compared_with_that_spelling():
    spaced = b'{"metadata":{"name":"a"},"spec":{"x": [1, 2], "y": true}}'
    first = decode_next(spaced, 7, None)
    assert same(first, decode(spaced, 7))
    again = b'{"metadata":{"name":"a"},"spec":{"x": [1, 2], "y": true},"status":{}}'
    fast = decode_next(again, 8, first)
    assert same(fast, decode(again, 8)) and fast["spec"] is first["spec"]  # its own text: reused
    grown = b'{"metadata":{"name":"a"},"spec":{"x": [1, 2], "y": true,"z":1}}'
    assert same(decode_next(grown, 9, fast), decode(grown, 9))
    compacted = compact({"metadata": {"name": "a"}, "spec": {"x": [1, 2], "y": True}})
    assert same(decode_next(compacted, 10, fast), decode(compacted, 10))
