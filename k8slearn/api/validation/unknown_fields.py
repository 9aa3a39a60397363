"""Unknown fields, and values of the wrong JSON type, by the Go types of the v1.32 API.

The API server decodes a body into the Go type of its kind. A field the type does not have
(``metadata.lables``, ``spec.contaners``) is handled as the request's ``fieldValidation`` says:
``Strict`` (what kubectl sends by default, ``--validate=strict``) refuses the request with a 400,
``strict decoding error: unknown field "metadata.lables", unknown field "spec.contaners"``; ``Warn``
(the default of other clients) and ``Ignore`` (``--validate=false``) drop the field and go on.
The fields of every type come from the Kubernetes v1.32 API (``k8slearn.api.schema_types``,
generated from the official Python client's models).

>>> unknown_fields({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "lables": {}},
...                 "spec": {"contaners": [], "containers": [{"name": "c", "imagePullpolicy": "Always"}]}})
['metadata.lables', 'spec.containers[0].imagePullpolicy', 'spec.contaners']
>>> strict_error(["metadata.lables"])
'strict decoding error: unknown field "metadata.lables"'
>>> pod = {"apiVersion": "v1", "kind": "Pod", "spec": {"nodeName": "n", "nodename": "n"}}
>>> drop_unknown_fields(pod), pod
(['spec.nodename'], {'apiVersion': 'v1', 'kind': 'Pod', 'spec': {'nodeName': 'n'}})

``type_error`` walks the same types for a value of the wrong JSON type anywhere (what
:mod:`k8slearn.api.validation.decode` checks in the usual fields only), with encoding/json's words:

>>> type_error({"apiVersion": "v1", "kind": "Pod", "spec": {"tolerations": [{"tolerationSeconds": "30"}]}})
'json: cannot unmarshal string into Go struct field Toleration.spec.tolerations.tolerationSeconds of type int64'
>>> type_error({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "spec": {"selector": "app=web"}})
'json: cannot unmarshal string into Go struct field PodDisruptionBudgetSpec.spec.selector of type v1.LabelSelector'
>>> type_error({"apiVersion": "v1", "kind": "Pod", "spec": {"hostNetwork": "yes"}})
'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool'

The paths are those of kubectl's JSON, whose keys are sorted (kubectl turns a manifest's YAML
into JSON through a map), list elements numbered; a key of a map whose values are objects is in
brackets.

Simplified: duplicate fields (a key twice in the YAML) are not reported: the YAML reader keeps the
last one. (Under ``Warn`` the API server sends each dropped field back as a warning, ``unknown field
"spec.contaners"``, which kubectl prints: :mod:`k8slearn.api.warnings`.) The Python client's
types say ``str`` and ``int`` where Go has named types and int32 or int64: a string field is named
``string`` (the usual named ones, ``v1.RestartPolicy``..., are worded exactly by the decode checks
that run first), an integer ``int32`` unless its name is one of ``INT64_FIELDS``.

Upstream: sigs.k8s.io/json (UnmarshalStrict: unknown field %q), staging/src/k8s.io/apimachinery/pkg/
runtime/serializer/json/json.go and runtime/error.go (strictDecodingError), staging/src/k8s.io/apiserver/
pkg/endpoints/handlers (fieldValidation)
"""

from __future__ import annotations

import re
from typing import Any

from k8slearn.api.schema_types import KINDS, TYPES
from k8slearn.api.validation.decode_struct import fits, unmarshal_error

_SCALARS = frozenset({"str", "int", "bool", "float", "datetime", "date", "object"})


def type_of(obj: dict) -> str | None:
    """The Go type of a body's apiVersion and kind (None: a kind this table does not know)."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return None
    return KINDS.get(f"{api_version}/{kind}")


def unknown_fields(obj: dict) -> list[str]:
    """The paths of the fields of ``obj`` its Go type does not have, in kubectl's JSON order."""
    found: list[str] = []
    type_name = type_of(obj)
    if type_name is not None:
        _walk(obj, type_name, "", found, None)
    return found


def drop_unknown_fields(obj: dict) -> list[str]:
    """Remove the unknown fields from ``obj`` (in place), as a decode that ignores them does; their paths."""
    found: list[str] = []
    type_name = type_of(obj)
    if type_name is not None:
        _walk(obj, type_name, "", found, [])
    return found


def strict_error(paths: list[str]) -> str:
    """runtime.NewStrictDecodingError's message for these unknown fields."""
    return "strict decoding error: " + ", ".join(f'unknown field "{p}"' for p in paths)


def _walk(value: Any, type_name: str, path: str, found: list[str], drop: list | None) -> None:
    if type_name in _SCALARS:
        return
    if type_name.startswith("list["):
        if isinstance(value, list):
            inner = type_name[5:-1]
            for i, item in enumerate(value):
                _walk(item, inner, f"{path}[{i}]", found, drop)
        return
    if type_name.startswith("dict("):
        inner = type_name[5:-1].split(",", 1)[1].strip()
        if isinstance(value, dict) and inner not in _SCALARS:
            for key in sorted(value, key=str):
                _walk(value[key], inner, f"{path}[{key}]", found, drop)
        return
    fields = TYPES.get(type_name)
    if fields is None or not isinstance(value, dict):
        return
    for key in sorted(value, key=str):
        here = f"{path}.{key}" if path else str(key)
        field_type = fields.get(key) if isinstance(key, str) else None
        if field_type is None:
            found.append(here)
            if drop is not None:
                del value[key]
        else:
            _walk(value[key], field_type, here, found, drop)


# The integer fields that are int64 in Go (the rest are int32)
INT64_FIELDS = frozenset({
    "terminationGracePeriodSeconds", "activeDeadlineSeconds", "tolerationSeconds", "runAsUser", "runAsGroup",
    "fsGroup", "supplementalGroups", "deletionGracePeriodSeconds", "generation", "observedGeneration",
    "startingDeadlineSeconds", "expirationSeconds", "seconds", "revision"})
# Fields whose Go type decodes itself from a string or a number: resource.Quantity (and maps of them)
_QUANTITIES = frozenset({"limits", "requests", "overhead", "capacity", "allocatable", "hard", "used",
                         "sizeLimit", "divisor"})
_VERSION_PREFIX = re.compile(r"^(?:Core|Discovery|Events)?V\d+(?:(?:alpha|beta)\d+)?")
_JSON_KINDS = {"str": str, "datetime": str, "date": str, "bool": bool}


def type_error(obj: dict, ranges: bool = True) -> str | None:
    """The first value (in kubectl's JSON order) of a JSON type its Go field cannot hold, as
    encoding/json words it, or None. ``ranges=False``: a whole number too big for its field is no
    error (a strategic merge patch converts it, keeping the low bits: unstructured.wrap_overflow)."""
    type_name = type_of(obj)
    return None if type_name is None else _first_wrong(obj, type_name, "", "", "", ranges)


def _struct(type_name: str) -> str:
    return _VERSION_PREFIX.sub("", type_name)


def _go_type(type_name: str, field: str) -> str:
    """The Go type's name as encoding/json prints it (``[]v1.Container``, ``map[string]string``)."""
    if type_name.startswith("list["):
        return "[]" + _go_type(type_name[5:-1], field)
    if type_name.startswith("dict("):
        return "map[string]" + _go_type(type_name[5:-1].split(",", 1)[1].strip(), field)
    if type_name == "int":
        return "int64" if field in INT64_FIELDS else "int32"
    if type_name in ("str", "datetime", "date"):
        return "string"
    if type_name == "float":
        return "float64"
    if type_name == "bool":
        return "bool"
    return "v1." + _struct(type_name)


def _first_wrong(value: Any, type_name: str, struct: str, path: str, field: str = "",
                 ranges: bool = True) -> str | None:
    """``value`` at ``path`` (a field of Go struct ``struct``), of Python client type ``type_name``."""
    if value is None or type_name == "object" or field in _QUANTITIES:
        return None  # (null is the zero value; object: any JSON; a quantity parses itself)
    if type_name.startswith("list["):
        if not isinstance(value, list):
            return unmarshal_error(value, struct, path, _go_type(type_name, field), "slice")
        inner = type_name[5:-1]
        for item in value:
            found = _first_wrong(item, inner, struct, path, field, ranges)
            if found:
                return found
        return None
    if type_name.startswith("dict("):
        if not isinstance(value, dict):
            return unmarshal_error(value, struct, path, _go_type(type_name, field), "map")
        inner = type_name[5:-1].split(",", 1)[1].strip()
        for key in sorted(value, key=str):
            found = _first_wrong(value[key], inner, struct, path, field, ranges)
            if found:
                return found
        return None
    if type_name == "int":
        go = _go_type("int", field)
        ok = isinstance(value, int) and not isinstance(value, bool) and (not ranges or fits(value, go))
        return None if ok else unmarshal_error(value, struct, path, go)
    if type_name == "float":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else unmarshal_error(value, struct, path, "float64")
    if type_name in _JSON_KINDS:
        ok = isinstance(value, _JSON_KINDS[type_name]) and (type_name == "bool") == isinstance(value, bool)
        go = _go_type(type_name, field)
        return None if ok else unmarshal_error(value, struct, path, go, go)
    fields = TYPES.get(type_name)
    if fields is None:
        return None
    if not isinstance(value, dict):
        return unmarshal_error(value, struct, path, _go_type(type_name, field), "struct")
    here_struct = _struct(type_name)
    for key in sorted(value, key=str):
        field_type = fields.get(key) if isinstance(key, str) else None
        if field_type is not None:
            here = f"{path}.{key}" if path else key
            found = _first_wrong(value[key], field_type, here_struct, here, key, ranges)
            if found:
                return found
    return None
