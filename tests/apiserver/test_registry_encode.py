"""The bytes the registry stores: compact JSON, exactly what json.dumps gives, without the cycle check's cost."""

import json

import pytest

from k8slearn.api.meta import freeze
from k8slearn.apiserver.registry import encode


ENCODE_CASES = [
    ({"metadata": {"name": "a", "resourceVersion": "4"}, "spec": {"x": [1, 2.5, True, None, "é"]}},
     "an object is encoded compactly without its resourceVersion"),
    ({"a": (1, 2), 3: "b", "c": float("inf"), "d": float("nan")}, "tuples, int keys and non-finite floats"),
    ({"kind": "Pod", "metadata": {"resourceVersion": "4", "name": "a", "labels": {"app": "web"}, "uid": "u"}},
     "the other metadata keys keep their order when the resourceVersion is dropped from the middle"),
    ({"kind": "Pod", "metadata": freeze({"name": "a", "resourceVersion": "4", "uid": "u"})},
     "read-only metadata is encoded without its resourceVersion too"),
    ({"kind": "Pod", "metadata": {"name": "a"}}, "metadata without a resourceVersion is encoded as it is"),
]


@pytest.mark.parametrize("obj", [c[0] for c in ENCODE_CASES], ids=[c[1] for c in ENCODE_CASES])
def test_encode_gives_the_bytes_json_dumps_gives(obj):
    meta = obj.get("metadata") or {}
    plain = {**obj, "metadata": {k: v for k, v in meta.items() if k != "resourceVersion"}} if meta else obj
    assert encode(obj) == json.dumps(plain, separators=(",", ":")).encode()


def test_encoding_an_object_that_contains_itself_fails_as_json_dumps_does():
    obj = {"metadata": {"name": "a"}, "spec": {}}
    obj["spec"]["self"] = obj
    with pytest.raises(ValueError, match="Circular reference detected"):
        encode(obj)


DECODE_CASES = [
    (b'{"metadata":{"name":"a"},"spec":{"x":[1,2.5,true,null,"\\u00e9"]}}', "a stored object"),
    ('{"metadata":{"name":"a"}}'.encode("utf-16-le"), "JSON in UTF-16 (little endian)"),
    ('{"metadata":{"name":"a"}}'.encode("utf-8-sig"), "JSON after a UTF-8 byte order mark"),
    (b'{"metadata":[]}', "metadata that is not an object"),
    (b'{"a":NaN}', "a NaN, as json.loads reads it"),
    (b'{"a":', "truncated JSON"),
    (b'{"a":"\\xff"}', "bytes that are not UTF-8"),
    (b'[1]', "a JSON value that is not an object"),
    (b'{', "a lone brace"),
    ('{"metadata":{}}', "a str, not bytes"),
]


def plain_decode(value, rev):
    """registry.decode as json.loads alone would do it."""
    obj = json.loads(value)
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    if not isinstance(obj.get("metadata"), dict):
        obj["metadata"] = {}
    obj["metadata"]["resourceVersion"] = str(rev)
    return obj


def decoded(fn, value):
    try:
        return repr(fn(value, 7))
    except Exception as e:  # noqa: BLE001 - both must fail the same way
        return (type(e).__name__, str(e))


@pytest.mark.parametrize("value", [c[0] for c in DECODE_CASES], ids=[c[1] for c in DECODE_CASES])
def test_decode_reads_what_json_loads_reads(value):
    from k8slearn.apiserver.registry import decode
    assert decoded(decode, value) == decoded(plain_decode, value)


EVENT = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "web.18a7", "namespace": "default", "uid": "u"},
         "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{nginx}"},
         "message": 'Pulling image "nginx:1.27" — é\n', "count": 1, "eventTime": None}


@pytest.mark.parametrize("obj", [EVENT] + [c[0] for c in ENCODE_CASES],
                         ids=["an Event"] + [c[1] for c in ENCODE_CASES])
def test_encode_gives_json_dumps_bytes_without_resource_version(obj):
    from k8slearn.apiserver import registry
    meta = obj.get("metadata") or {}
    plain = {**obj, "metadata": {k: v for k, v in meta.items() if k != "resourceVersion"}} if meta else obj
    assert registry.encode(obj) == json.dumps(plain, separators=(",", ":")).encode()


def test_an_object_nested_too_deep_fails_as_json_dumps_does():
    from k8slearn.apiserver import registry
    obj: dict = {"metadata": {}}
    for _ in range(100_000):
        obj = {"spec": obj}
    with pytest.raises(RecursionError):
        json.dumps(obj, separators=(",", ":"))
    with pytest.raises(RecursionError):
        registry.encode(obj)
