"""The one-pass decode walk gives exactly the answers of the plain two-walk version it replaced."""

import json
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8slearn.api.meta import freeze, thaw
from k8slearn.api.validation import decode
import decode_reference as reference

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "fixtures"

KEYS = ["labels", "annotations", "metadata", "env", "value", "spec", "replicas", "ports", "containerPort",
        "hostPort", "containers", "limits", "requests", "emptyDir", "sizeLimit", "capacity", "allocatable",
        "port", "nodePort", "template", "xreplicas", "spec.replicas", "backoffLimit", "data", "status",
        "overhead", "hard", "used", "name", "activeDeadlineSeconds", "terminationGracePeriodSeconds", ""]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, width=16),
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
        assert copy == thaw(obj) and type(copy) is dict
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
    ({"kind": "Deployment", "metadata": {"labels": {"spec.replicas": "x"}}},
     "json: cannot unmarshal string into Go struct field DeploymentSpec.metadata.labels.spec.replicas of type "
     "int32", "a label key that ends like an integer field is taken for one (kept from the first version)"),
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
