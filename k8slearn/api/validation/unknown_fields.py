"""Unknown fields: the fields of a request body that its Go type does not have.

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

The paths are those of kubectl's JSON, whose keys are sorted (kubectl turns a manifest's YAML
into JSON through a map), list elements numbered; a key of a map whose values are objects is in
brackets.

Simplified: duplicate fields (a key twice in the YAML) are not reported: the YAML reader keeps the
last one; ``Warn`` drops the fields without the warnings kubectl would print.

Upstream: sigs.k8s.io/json (UnmarshalStrict: unknown field %q), staging/src/k8s.io/apimachinery/pkg/
runtime/serializer/json/json.go and runtime/error.go (strictDecodingError), staging/src/k8s.io/apiserver/
pkg/endpoints/handlers (fieldValidation)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.schema_types import KINDS, TYPES

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
