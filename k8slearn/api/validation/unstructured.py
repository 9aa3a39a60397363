"""What the API server answers when a patch brings a value of the wrong type: 422 Invalid, ``patch``.

A strategic merge patch is not decoded from JSON. The API server merges the patch into the
object as Go maps (``map[string]interface{}``) and converts the result into the Go type with
``runtime.DefaultUnstructuredConverter``, whose errors are worded otherwise than encoding/json's.
The answer is ``NewInvalid(schema.GroupKind{}, "", ...)`` (no kind, no name) with one field error:
the field is ``patch``, the bad value is the patch as Go prints a map (``%+v``), and kubectl says

    The request is invalid: patch: Invalid value: "map[spec:map[replicas:3]]": unrecognized type: int32

A JSON merge patch or a JSON patch is applied to the object's JSON, and that JSON is decoded again:
the detail is encoding/json's message, and the bad value is the whole patched object's JSON.

>>> from k8slearn.api.validation.decode import decode_error
>>> converter_error(decode_error({"kind": "Deployment", "spec": {"replicas": "3"}}))
'unrecognized type: int32'
>>> converter_error(decode_error({"kind": "Pod", "metadata": {"labels": {"tier": 1}}}))
'cannot convert int64 to string'
>>> converter_error(decode_error({"kind": "Pod", "spec": {"containers": "web"}}))
'cannot restore slice from string'
>>> go_sprint({"spec": {"replicas": "3", "paused": True, "x": [1, None, 2.5]}})
'map[spec:map[paused:true replicas:3 x:[1 <nil> 2.5]]]'
>>> str(invalid_patch("strategic", {"spec": {"replicas": "3"}}, {}, decode_error(
...     {"kind": "Deployment", "spec": {"replicas": "3"}})))
' "" is invalid: patch: Invalid value: "map[spec:map[replicas:3]]": unrecognized type: int32'

A whole number too big for an integer field is no error for the converter: Go's conversion keeps
its low bits (:func:`wrap_overflow`).

Simplifies: the converter walks the patched object in Go struct field order and stops at the
first error; this module words the first error the decoding checks find in the patch itself
(:mod:`k8slearn.api.validation.decode`), so with two wrong values the other one may be named. A
merge or JSON patch's patched object is printed with sorted keys (upstream keeps the Go struct
order in the parts the patch did not touch, and has ``managedFields``).

Upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go (applyPatchToObject,
jsonPatcher.applyPatchToCurrentObject), staging/src/k8s.io/apimachinery/pkg/runtime/converter.go
(fromUnstructured), staging/src/k8s.io/apimachinery/pkg/util/intstr/intstr.go (UnmarshalJSON)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.errors import ApiError, status_error
from k8slearn.api.field import go_json, go_sprint, go_type_of
from k8slearn.api.validation.decode_struct import UnmarshalError, fits, json_kind, wrapped

_INTEGER_KINDS = ("int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64")


def _source_kind(value: Any) -> str:
    """The Go kind a JSON value has in a ``map[string]interface{}`` (a whole number: int64)."""
    go_type = go_type_of(value)
    return {"map[string]interface {}": "map", "[]interface {}": "slice"}.get(go_type, go_type)


def converter_error(problem: str) -> str:
    """``DefaultUnstructuredConverter.FromUnstructured``'s error for a decoding problem.

    ``problem`` is what decoding the same value from JSON says; a problem that is not a wrong JSON
    type (a malformed quantity) reads the same both ways.
    """
    if not isinstance(problem, UnmarshalError):
        return problem
    value, go_kind = problem.value, problem.go_kind
    st_kind = _source_kind(value)
    if problem.custom:  # intstr.IntOrString.UnmarshalJSON: json.Unmarshal into its int32
        kind = json_kind(value)
        if kind == "number":
            kind = f"number {value!r}"
        return f"json: cannot unmarshal {kind} into Go value of type {go_kind}"
    if go_kind == "struct":
        return f"cannot restore struct from: {st_kind}"
    if go_kind == "slice":
        return f"cannot restore slice from {st_kind}"
    if go_kind == "map":
        return f"cannot restore map from {st_kind}"
    # A simple type: Go converts between integers and floats (a float only if it is whole), and an
    # integer "converts" to a string (as a rune) but the converter refuses it.
    if st_kind == "int64" and go_kind == "string":
        return f"cannot convert int64 to {problem.go_type}"
    if st_kind == "float64" and go_kind in _INTEGER_KINDS:
        return f"cannot convert float64 to {problem.go_type}"
    return f"unrecognized type: {go_kind}"


def wrap_overflow(patched: dict, problem: str) -> bool:
    """A whole number too big for its integer field, in a strategic merge patch: the converter
    converts the int64 with Go's conversion, which keeps the low bits (``replicas: 99999999999``
    is stored as 1215752191), so there is no error. ``patched`` gets the converted number; True if
    ``problem`` was such a number (decoding from JSON, as the other patches do, refuses it).

    >>> from k8slearn.api.validation.decode import decode_error
    >>> obj = {"kind": "Deployment", "spec": {"replicas": 99999999999}}
    >>> wrap_overflow(obj, decode_error(obj)), obj["spec"]["replicas"]
    (True, 1215752191)
    """
    if not (isinstance(problem, UnmarshalError) and problem.value.__class__ is int and not problem.custom
            and not fits(problem.value, problem.go_kind)):
        return False
    _wrap_at(patched, problem.path.split("."), problem.go_kind)
    return True


def _wrap_at(node: Any, keys: list[str], go_type: str) -> None:
    if isinstance(node, list):  # (the path leaves list indexes out: every element is looked at)
        for item in node:
            _wrap_at(item, keys, go_type)
    elif isinstance(node, dict) and keys:
        if len(keys) > 1:
            _wrap_at(node.get(keys[0]), keys[1:], go_type)
        elif node.get(keys[0]).__class__ is int and not fits(node[keys[0]], go_type):
            node[keys[0]] = wrapped(node[keys[0]], go_type)


def invalid_patch(patch_type: str, patch: Any, patched: dict, problem: str) -> ApiError:
    """The 422 for a patch whose result does not convert into the Go type (see the module doc)."""
    if patch_type == "strategic":
        error = field.invalid("patch", go_sprint(patch), converter_error(problem))
    else:
        error = field.invalid("patch", go_json(patched), str(problem))
    return status_error(422, "Invalid", f' "" is invalid: {error.error()}', {"causes": [error.cause()]})
