"""JSON patch (RFC 6902) as kube-apiserver and kubectl 1.32 apply it: evanphx/json-patch v4.12.0
(gopkg.in/evanphx/json-patch.v4) with its default options, then the API server's answers.

Upstream: vendor/gopkg.in/evanphx/json-patch.v4/patch.go (findObject, partialDoc, partialArray,
Patch.add/remove/replace/move/test/copy, DecodePatch); staging/src/k8s.io/apiserver/pkg/endpoints/
handlers/patch.go (jsonPatcher.applyJSPatch); apimachinery api/errors NewGenericServerResponse
"""

import pytest

from k8slearn.api.errors import ApiError
from k8slearn.api.patch import JSON_PATCH_FAILED, JSONPatchError, apply_json_patch, json_patch

DOC = {"kind": "ConfigMap", "data": {"a": "1", "b": None}, "list": ["x", "y", "z"], "n": 1}

APPLIES = [
    ("a negative index counts from the end when removing",
     [{"op": "remove", "path": "/list/-1"}], {"list": ["x", "y"]}),
    ("a negative index counts from the end when replacing",
     [{"op": "replace", "path": "/list/-3", "value": "X"}], {"list": ["X", "y", "z"]}),
    ("adding at -1 appends, as the index counts from the end of the longer list",
     [{"op": "add", "path": "/list/-1", "value": "w"}], {"list": ["x", "y", "z", "w"]}),
    ("adding at -4 puts the value first",
     [{"op": "add", "path": "/list/-4", "value": "w"}], {"list": ["w", "x", "y", "z"]}),
    ("adding at - appends",
     [{"op": "add", "path": "/list/-", "value": "w"}], {"list": ["x", "y", "z", "w"]}),
    ("adding at the length appends",
     [{"op": "add", "path": "/list/3", "value": "w"}], {"list": ["x", "y", "z", "w"]}),
    ("an index with a leading zero is read as a number",
     [{"op": "remove", "path": "/list/01"}], {"list": ["x", "z"]}),
    ("a negative index works on the way to the target",
     [{"op": "add", "path": "/nested/-1/k", "value": "v"}], {"nested": [{}, {"k": "v"}]}),
    ("replacing a missing key adds it",
     [{"op": "replace", "path": "/data/c", "value": "3"}], {"data": {"a": "1", "b": None, "c": "3"}}),
    ("a path without a leading slash names a top-level key",
     [{"op": "replace", "path": "data/n", "value": 2}], {"n": 2}),
    ("moving from a negative index",
     [{"op": "move", "from": "/list/-1", "path": "/last"}], {"list": ["x", "y"], "last": "z"}),
    ("copying from a missing key copies a null",
     [{"op": "copy", "from": "/data/nope", "path": "/c"}], {"c": None}),
    ("copying to a negative index",
     [{"op": "copy", "from": "/n", "path": "/list/-4"}], {"list": [1, "x", "y", "z"]}),
    ("a test of a missing key with a null value passes",
     [{"op": "test", "path": "/data/nope", "value": None}], {}),
    ("a test of a null with the value left out passes",
     [{"op": "test", "path": "/data/b"}], {}),
    ("a test at a negative index",
     [{"op": "test", "path": "/list/-1", "value": "z"}], {}),
    ("a test of the whole document",
     [{"op": "test", "path": "", "value": {"kind": "ConfigMap", "data": {"a": "1", "b": None},
                                           "list": ["x", "y", "z"], "n": 1, "nested": [{}, {}]}}], {}),
    ("replacing the whole document",
     [{"op": "replace", "path": "", "value": {"kind": "Secret"}}], None),
]


@pytest.mark.parametrize("ops, changed", [c[1:] for c in APPLIES], ids=[c[0] for c in APPLIES])
def test_an_operation_json_patch_v4_accepts(ops, changed):
    doc = {**DOC, "nested": [{}, {}]}
    expected = {"kind": "Secret"} if changed is None else {**doc, **changed}
    assert apply_json_patch(doc, ops) == expected
    assert doc == {**DOC, "nested": [{}, {}]}  # the original is not changed


FAILS = [
    ("a negative index past the start",
     {"op": "remove", "path": "/list/-4"},
     "error in remove for path: '/list/-4': Unable to access invalid index: -4: invalid index referenced"),
    ("adding at a negative index past the start of the longer list",
     {"op": "add", "path": "/list/-5", "value": 1},
     "error in add for path: '/list/-5': Unable to access invalid index: -5: invalid index referenced"),
    ("adding past the end",
     {"op": "add", "path": "/list/5", "value": 1},
     "error in add for path: '/list/5': Unable to access invalid index: 5: invalid index referenced"),
    ("removing at - is not a number",
     {"op": "remove", "path": "/list/-"},
     "error in remove for path: '/list/-': strconv.Atoi: parsing \"-\": invalid syntax"),
    ("adding at a word",
     {"op": "add", "path": "/list/x", "value": 1},
     "error in add for path: '/list/x': value was not a proper array index: 'x': "
     "strconv.Atoi: parsing \"x\": invalid syntax"),
    ("removing a missing key",
     {"op": "remove", "path": "/data/nope"},
     "error in remove for path: '/data/nope': Unable to remove nonexistent key: nope: missing value"),
    ("adding under a missing parent",
     {"op": "add", "path": "/nope/x", "value": 1},
     'add operation does not apply: doc is missing path: "/nope/x": missing value'),
    ("adding under a null",
     {"op": "add", "path": "/data/b/x", "value": 1},
     'add operation does not apply: doc is missing path: "/data/b/x": missing value'),
    ("adding under a string",
     {"op": "add", "path": "/kind/x", "value": 1},
     'add operation does not apply: doc is missing path: "/kind/x": missing value'),
    ("adding at the empty path",
     {"op": "add", "path": "", "value": {}},
     'add operation does not apply: doc is missing path: "": missing value'),
    ("replacing past the end of a list is a missing key",
     {"op": "replace", "path": "/list/3", "value": 1},
     "replace operation does not apply: doc is missing key: /list/3: missing value"),
    ("replacing the whole document with a string",
     {"op": "replace", "path": "", "value": "x"},
     "replace operation value must be object or array: %!w(<nil>)"),
    ("moving from a missing key names the key",
     {"op": "move", "from": "/data/nope", "path": "/x"},
     "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value"),
    ("moving to under a missing parent, after the source is gone",
     {"op": "move", "from": "/n", "path": "/nope/x"},
     "move operation does not apply: doc is missing destination path: /nope/x: missing value"),
    ("copying from past the end",
     {"op": "copy", "from": "/list/3", "path": "/x"},
     "error in copy for from: '/list/3': Unable to access invalid index: 3: invalid index referenced"),
    ("copying to past the end",
     {"op": "copy", "from": "/n", "path": "/list/9"},
     "error while adding value during copy: Unable to access invalid index: 9: invalid index referenced"),
    ("a test whose value differs",
     {"op": "test", "path": "/data/a", "value": "2"},
     "testing value /data/a failed: test failed"),
    ("a test does not take 1.0 for 1",
     {"op": "test", "path": "/n", "value": 1.0},
     "testing value /n failed: test failed"),
    ("a test does not take true for 1",
     {"op": "test", "path": "/n", "value": True},
     "testing value /n failed: test failed"),
    ("a test under a missing parent",
     {"op": "test", "path": "/nope/x", "value": 1},
     "test operation does not apply: is missing path: /nope/x: missing value"),
    ("an operation without a path",
     {"op": "remove"},
     "remove operation failed to decode path: missing value"),
    ("a move without a from",
     {"op": "move", "path": "/x"},
     "move operation failed to decode from: operation, missing from field: missing value"),
    ("an unknown op",
     {"op": "bogus", "path": "/x"},
     "Unexpected kind: bogus"),
    ("an operation without an op",
     {"path": "/x"},
     "Unexpected kind: unknown"),
]


@pytest.mark.parametrize("op, message", [c[1:] for c in FAILS], ids=[c[0] for c in FAILS])
def test_an_operation_that_does_not_apply_fails_in_json_patch_v4s_words(op, message):
    with pytest.raises(JSONPatchError) as info:
        apply_json_patch(DOC, [op])
    assert str(info.value) == message


def test_the_api_server_answers_a_patch_that_does_not_apply_with_the_generic_422_without_causes():
    with pytest.raises(ApiError) as info:
        json_patch(DOC, [{"op": "test", "path": "/data/a", "value": "2"}])
    assert info.value.status == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                 "message": JSON_PATCH_FAILED, "reason": "Invalid", "details": {}, "code": 422}


@pytest.mark.parametrize("patch, message", [
    ({"op": "add"}, "json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
    ("x", "json: cannot unmarshal string into Go value of type jsonpatch.Patch"),
    (["x"], "json: cannot unmarshal string into Go value of type jsonpatch.Operation"),
    ([[]], "json: cannot unmarshal array into Go value of type jsonpatch.Operation"),
], ids=["an object", "a string", "a list of strings", "a list of lists"])
def test_a_patch_that_is_not_a_list_of_operations_is_a_400(patch, message):
    with pytest.raises(ApiError) as info:
        json_patch(DOC, patch)
    assert (info.value.code, info.value.reason, info.value.message) == (400, "BadRequest", message)


def test_a_null_patch_changes_nothing():
    assert json_patch(DOC, None) == DOC


def test_more_than_10000_operations_is_a_413():
    ops = [{"op": "test", "path": "/n", "value": 1}] * 10001
    with pytest.raises(ApiError) as info:
        json_patch(DOC, ops)
    assert (info.value.code, info.value.reason, info.value.message) == (
        413, "RequestEntityTooLarge",
        "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001")
