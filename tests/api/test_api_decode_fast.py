"""The one-pass decode walk gives exactly the answers of the plain two-walk version it replaced."""

import json
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8slearn.api.meta import FrozenDict, freeze, thaw
from k8slearn.api.validation import decode
from k8slearn.api.validation.decode_struct import zero_null_elements
import decode_reference as reference

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"

KEYS = ["labels", "annotations", "metadata", "env", "value", "spec", "replicas", "ports", "containerPort",
        "hostPort", "containers", "limits", "requests", "emptyDir", "sizeLimit", "capacity", "allocatable",
        "port", "nodePort", "template", "xreplicas", "spec.replicas", "backoffLimit", "data", "status",
        "overhead", "hard", "used", "name", "activeDeadlineSeconds", "terminationGracePeriodSeconds", ""]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([2147483647, 2147483648, -2147483649, 2 ** 63]), st.floats(allow_nan=False, width=16),
                    st.sampled_from(["1", "100m", "1K", "lots", "1Gi", "0.5", "", "3", "e", "1e3"]),
                    st.text(max_size=3))
NESTED_KEYS = st.one_of(st.sampled_from(KEYS), st.text(max_size=4), st.integers(0, 2))
TREES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(NESTED_KEYS, inner, max_size=4)),
                     max_leaves=25)
KINDS = st.sampled_from(["Pod", "Deployment", "Service", "ConfigMap", "Job", "Node", ""])
TOP_KEYS = st.one_of(st.sampled_from(KEYS), st.sampled_from([1, None, True]))


def outcome(fn, obj):
    """The answer, or the exception's type and text: both walks must fail the same way too."""
    try:
        return fn(obj)
    except Exception as e:  # noqa: BLE001 - comparing failures is the point
        return (type(e).__name__, str(e))


def both(obj):
    return outcome(decode.decode_error, obj), outcome(reference.decode_error, obj)


def containers(value):
    """Every dict and list inside ``value`` (the parts a copy must not share)."""
    if isinstance(value, dict):
        return [value, *(c for v in value.values() for c in containers(v))]
    if isinstance(value, list):
        return [value, *(c for v in value for c in containers(v))]
    return []


def check_copy(obj):
    """Without a problem, decode_body's copy is thaw's: equal, plain dicts and lists, nothing shared."""
    try:
        copy, problem = decode.decode_body(obj)
    except Exception:  # noqa: BLE001 - the failure itself is compared by both()
        return
    if problem is None:
        expected = thaw(obj)
        zero_null_elements(expected)  # (a null list element decodes to its type's zero value)
        assert copy == expected and type(copy) is dict
        assert {id(c) for c in containers(copy)}.isdisjoint(id(c) for c in containers(obj))
        assert all(type(c) in (dict, list) for c in containers(copy))


@settings(max_examples=300, deadline=None)
@given(KINDS, st.dictionaries(TOP_KEYS, TREES, max_size=5))
def test_the_fast_walk_agrees_with_the_reference_on_any_object(kind, body):
    obj = {"kind": kind, **body}
    fast, slow = both(obj)
    assert fast == slow
    check_copy(obj)


@settings(max_examples=100, deadline=None)
@given(KINDS, st.dictionaries(st.sampled_from(KEYS), TREES, max_size=5))
def test_the_fast_walk_agrees_with_the_reference_on_frozen_objects(kind, body):
    obj = freeze({"kind": kind, **body})
    fast, slow = both(obj)
    assert fast == slow
    check_copy(obj)


CASES = [
    ({"kind": "Deployment", "metadata": {"labels": {"spec.replicas": "x"}}}, None,
     "a label named like an integer field is a label (a key with a dot is never a struct field)"),
    ({"kind": "Deployment", "spec": {"template": {"metadata": {"annotations": {"spec.replicas": "3"}}}}}, None,
     "an annotation named like an integer field is an annotation"),
    ({"kind": "Service", "spec": {"selector": {"ports.port": "http"}}}, None,
     "a selector key named like a port field is a selector key"),
    ({"kind": "Pod", "spec": {"containers": [{"resources": {"limits": {"cpu": "1"}}, "ports": [
        {"containerPort": "80"}]}]}},
     "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of "
     "type int32", "a type error wins over a later good quantity"),
    ({"kind": "Pod", "spec": {"containers": [{"resources": {"limits": {"cpu": "lots"}}, "ports": [
        {"containerPort": "80"}]}]}},
     "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of "
     "type int32", "a type error wins over an earlier bad quantity"),
    ({"kind": "Pod", "spec": {"volumes": [{"emptyDir": {"sizeLimit": "1K"}}],
                              "containers": [{"resources": {"limits": {"cpu": "lots"}}}]}},
     "unable to parse quantity's suffix", "the first bad quantity in walk order is reported"),
    ({"kind": "Service", "spec": {"ports": [{"port": 80, "nodePort": True}]}},
     "json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.nodePort of type int32",
     "a boolean is not an integer"),
    ({"kind": "Pod", "spec": {"replicas": "3"}}, None, "spec.replicas means nothing on a pod"),
]


@pytest.mark.parametrize("obj, expected", [c[:2] for c in CASES], ids=[c[2] for c in CASES])
def test_decode_error_cases(obj, expected):
    assert decode.decode_error(obj) == expected == reference.decode_error(obj)


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.json")) + sorted(FIXTURES.rglob("*.yaml")),
                         ids=lambda p: f"the fixture {p.name} decodes the same way")
def test_fixtures_decode_the_same(path):
    import yaml

    text = path.read_text()
    docs = [json.loads(text)] if path.suffix == ".json" else list(yaml.safe_load_all(text))
    for doc in docs:
        if isinstance(doc, dict):
            assert both(doc)[0] == both(doc)[1]


def test_a_remembered_quantity_answer_is_the_parse_answer():
    decode._QUANTITY_ERRORS.clear()
    first = decode._quantity_error("1K")
    assert first == "unable to parse quantity's suffix" == decode._quantity_error("1K")
    assert decode._QUANTITY_ERRORS == {"1K": "unable to parse quantity's suffix"}
    assert decode._quantity_error("1Ki") is None and decode._QUANTITY_ERRORS["1Ki"] is None


@settings(max_examples=100, deadline=None)
@given(KINDS, st.dictionaries(TOP_KEYS, TREES, max_size=5))
def test_a_second_decode_of_the_same_object_from_remembered_parts_agrees_with_the_reference(kind, body):
    # each generated part is padded into a part large enough to be remembered, at one and two levels
    obj = {"kind": kind, **{k: big(**{str(k): v, "deeper": big(x=v)}) for k, v in body.items()}}
    first = both(obj)
    second = both(obj)
    assert first[0] == first[1] == second[0] == second[1]
    check_copy(obj)


def distinct_containers(copy):
    found = containers(copy)
    return len({id(c) for c in found}) == len(found)


def big(**extra):
    """A part large enough to be remembered (more than 4 keys, more than _SMALL_PART marshal bytes)."""
    return {f"field{i}": "x" * 40 for i in range(5)} | extra


SHARED = {"name": "app", "image": "registry.example.com/" + "x" * 200}
WELL_TYPED_PARTS = [
    ({"kind": "Pod", "spec": big(containers=[SHARED, SHARED])}, None,
     "a part holding the same dict twice is copied into two separate dicts"),
    ({"kind": "Pod", "spec": big(ports=[{"port": "80"}])},
     None, "a pod spec with a string port is well typed for a pod"),
    ({"kind": "Service", "spec": big(ports=[{"port": "80"}])},
     "json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32",
     "the same spec remembered for a pod is still refused for a Service"),
    ({"kind": "Pod", "spec": big(replicas="3")}, None, "spec.replicas is no integer field of a pod"),
    ({"kind": "Deployment", "spec": big(replicas="3")},
     "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
     "the same spec remembered for a pod is still refused for a Deployment"),
    ({"kind": "Pod", "spec": big(overhead={"cpu": "lots"})},
     ("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
     "a part with a bad quantity is refused every time"),
    ({"kind": "Pod", "status": big(spec=big(replicas="3"))}, None,
     "a part remembered at one path says nothing about another path"),
    ({"kind": "Deployment", "status": big(spec=big(replicas="3"))},
     "json: cannot unmarshal string into Go struct field DeploymentSpec.status.spec.replicas of type int32",
     "a part two levels down is checked with its own path"),
]


@pytest.mark.parametrize("obj, expected", [c[:2] for c in WELL_TYPED_PARTS],
                         ids=[c[2] for c in WELL_TYPED_PARTS])
def test_remembered_well_typed_parts_give_the_walks_answer_and_copy(obj, expected):
    for _ in range(3):
        copy, problem = decode.decode_body(obj)
        assert decode.decode_error(obj) == expected == reference.decode_error(obj)
        if expected is None:
            assert problem is None and copy == thaw(obj) and distinct_containers(copy)
            assert {id(c) for c in containers(copy)}.isdisjoint(id(c) for c in containers(obj))


def test_only_large_well_typed_parts_are_remembered_and_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(decode, "_WELL_TYPED", decode.LRUCache(3))
    decode.decode_body({"kind": "Pod", "metadata": big(labels=big()), "spec": big(nodeName="n1"),
                        "status": {"phase": "Pending"}, "data": ["a"]})
    assert [m[0] for m in decode._WELL_TYPED] == ["metadata.labels", "spec"]  # not metadata, nor small parts
    decode.decode_body({"kind": "Event", "involvedObject": big(), "source": big()})
    assert [m[0] for m in decode._WELL_TYPED][-1] == "source"  # an Event's involvedObject names one object
    decode._WELL_TYPED.discard(list(decode._WELL_TYPED)[-1])
    decode.decode_body({"kind": "Pod", "spec": big(overhead={"cpu": "lots"})})
    decode.decode_body({"kind": "Deployment", "spec": big(replicas="3")})
    assert len(decode._WELL_TYPED) == 2
    decode.decode_body({"kind": "Pod", "spec": big(nodeName="n1")})  # a hit: now the most recently used
    decode.decode_body({"kind": "Pod", "spec": big(nodeName="n2"), "status": big(conditions=[big()])})
    # a status is one object's own: not remembered as a whole, but its conditions are
    assert [m[0] for m in decode._WELL_TYPED] == ["spec", "spec", "status.conditions"]
    remembered = [m[3] for m in decode._WELL_TYPED][:2]
    assert remembered == [decode.marshal.dumps(big(nodeName=n), 2) for n in ("n1", "n2")]


FROZEN_SPEC = freeze(big(containers=[{"name": "app", "image": "nginx", "ports": [{"containerPort": 80}]}]))
MIXED_SPEC = FrozenDict({**big(), "containers": [{"name": "app", "ports": [{"containerPort": 80}]}]})
FROZEN_PARTS = [
    ({"kind": "Pod", "spec": FROZEN_SPEC}, None, "a read-only pod spec is well typed every time"),
    ({"kind": "Deployment", "spec": FROZEN_SPEC}, None, "the same read-only spec in a Deployment is well typed"),
    ({"kind": "Deployment", "spec": freeze(big(replicas="3"))},
     "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
     "a read-only spec with a type error is refused every time"),
    ({"kind": "Pod", "spec": freeze(big(replicas="3"))}, None,
     "a read-only spec refused for a Deployment is well typed for a pod"),
    ({"kind": "Pod", "status": freeze(big(spec=big(replicas="3")))}, None,
     "a read-only part at another path is checked at its own path"),
    ({"kind": "Pod", "spec": freeze(big(overhead={"cpu": "lots"}))},
     ("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
     "a read-only spec with a bad quantity is refused every time"),
    ({"kind": "Pod", "spec": MIXED_SPEC}, None, "a read-only spec holding a plain list is walked every time"),
    ({"kind": "Pod", "spec": FrozenDict({**big(), "x": (1, 2)})}, None,
     "a read-only spec holding a tuple is walked every time"),
    ({"kind": "Pod", "metadata": freeze(big(ownerReferences=[big()])), "spec": FROZEN_SPEC}, None,
     "a read-only owner reference list is remembered by identity too"),
]


@pytest.mark.parametrize("obj, expected", [c[:2] for c in FROZEN_PARTS], ids=[c[2] for c in FROZEN_PARTS])
def test_read_only_parts_remembered_by_identity_give_the_walks_answer_and_copy(obj, expected):
    for _ in range(3):
        copy, problem = decode.decode_body(obj)
        assert problem == decode.decode_check(obj)
        assert decode.decode_error(obj) == expected == reference.decode_error(obj)
        if expected is None:
            assert problem is None and copy == thaw(obj) and distinct_containers(copy)
            assert all(type(c) in (dict, list) for c in containers(copy))
            assert {id(c) for c in containers(copy)}.isdisjoint(id(c) for c in containers(obj))


def test_only_deeply_read_only_parts_are_remembered_and_a_plain_child_that_changes_is_seen():
    decode._FROZEN_DATA.clear()
    decode.decode_body({"kind": "Pod", "spec": FROZEN_SPEC, "status": MIXED_SPEC})
    # the spec and its containers (a part two levels down) are remembered, nothing of the mixed one
    assert list(decode._FROZEN_DATA) == [id(FROZEN_SPEC["containers"]), id(FROZEN_SPEC)]
    assert decode._FROZEN_DATA[id(FROZEN_SPEC)] == (FROZEN_SPEC, decode.marshal.dumps(thaw(FROZEN_SPEC), 2))
    spec = FrozenDict({**big(), "containers": [{"name": "app", "ports": [{"containerPort": 80}]}]})
    assert decode.decode_error({"kind": "Pod", "spec": spec}) is None
    spec["containers"][0]["ports"][0]["containerPort"] = "80"  # the plain list inside can change
    assert decode.decode_error({"kind": "Pod", "spec": spec}) == (
        "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort "
        "of type int32")
    assert decode.decode_body({"kind": "Pod", "spec": spec})[0]["spec"]["containers"][0]["ports"] == [
        {"containerPort": "80"}]


def test_the_read_only_parts_remembered_are_bounded(monkeypatch):
    monkeypatch.setattr(decode, "_FROZEN_DATA", {})
    monkeypatch.setattr(decode, "_MAX_REMEMBERED", 2)
    parts = [freeze(big(nodeName=f"node-{i}")) for i in range(5)]
    for part in parts:
        decode.decode_body({"kind": "Pod", "spec": part})
        assert len(decode._FROZEN_DATA) <= 2
    assert decode._FROZEN_DATA[id(parts[-1])][0] is parts[-1]
    for part in parts:  # forgotten or not, the answer and the copy are the walk's
        copy, problem = decode.decode_body({"kind": "Pod", "spec": part})
        assert problem is None and copy == {"kind": "Pod", "spec": thaw(part)}


NO_RULE_KEY_CASES = [
    ({"kind": "Deployment", "spec": {"xreplicas": "3"}}, None, "a key ending like a rule is no rule field"),
    ({"kind": "Deployment", "spec": {"replicas": "3"}},
     "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
     "a rule field met after plain keys is still checked"),
    ({"kind": "Deployment", "metadata": {"labels": {"spec.replicas": "3"}}, "spec": {"spec.replicas": "3"}}, None,
     "a key with a dot is never a rule field"),
    ({"kind": "Deployment",
      "spec": {"template": {"spec": {"containers": [{"ports": [{"containerPort": "80"}]}]}}}},
     ("json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports."
      "containerPort of type int32"), "a nested rule field is still checked"),
]


@pytest.mark.parametrize("obj, expected", [c[:2] for c in NO_RULE_KEY_CASES], ids=[c[2] for c in NO_RULE_KEY_CASES])
def test_keys_remembered_as_no_rule_give_the_walks_answer(obj, expected):
    for _ in range(2):
        assert decode.decode_error(obj) == expected == reference.decode_error(obj)
    assert "replicas" not in decode._NO_RULE_KEYS and "containerPort" not in decode._NO_RULE_KEYS


def test_the_keys_remembered_as_no_rule_are_bounded(monkeypatch):
    monkeypatch.setattr(decode, "_NO_RULE_KEYS", set())
    monkeypatch.setattr(decode, "_MAX_REMEMBERED", 3)
    decode.decode_error({"kind": "Pod", "spec": {f"key{i}": "v" for i in range(10)}})
    assert decode._NO_RULE_KEYS == {"kind", "key0", "key1"}
    assert decode.decode_error({"kind": "Pod", "spec": {"key9": "v", "terminationGracePeriodSeconds": "30"}}) == (
        "json: cannot unmarshal string into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64")
