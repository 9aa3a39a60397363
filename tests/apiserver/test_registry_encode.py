"""The bytes the registry stores: compact JSON, exactly what json.dumps gives, without the cycle check's cost."""

import json

import pytest

from k8slearn.apiserver.registry import encode


ENCODE_CASES = [
    ({"metadata": {"name": "a", "resourceVersion": "4"}, "spec": {"x": [1, 2.5, True, None, "é"]}},
     "an object is encoded compactly without its resourceVersion"),
    ({"a": (1, 2), 3: "b", "c": float("inf"), "d": float("nan")}, "tuples, int keys and non-finite floats"),
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
