"""Go's ``omitempty``: an empty map or list field is not encoded, so it is not stored.

The API server decodes every object into its Go type and encodes that again. A map or slice
field tagged ``omitempty`` that ends up empty (``{}``, ``[]`` or ``null``) is left out of the
JSON: a patch that removes a ConfigMap's last ``data`` key stores no ``data`` at all, and
deleting a container's last env var leaves no ``env``. The few list fields without the tag
(``spec.containers``, an EndpointSlice's ``endpoints``...) keep ``[]``; structs are never
omitted (``resources: {}`` stays).

>>> cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {}}
>>> drop_empty_fields(cm, {"data": {"a": None}}); cm
{'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'c'}}

Simplified: only the parts of the object a patch reached are walked (what is stored was
already encoded once), and not on a patch of the ``status`` subresource; ``NOT_OMITEMPTY`` is a short table of the built-in types' list and map
fields without the tag, read from their ``types.go``.

Upstream: encoding/json (omitempty), k8s.io/api/*/v1/types.go json tags
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.schema_types import KINDS, TYPES

# (type, field): list and map fields whose json tag has no omitempty (an empty one is encoded)
NOT_OMITEMPTY = frozenset({
    ("V1PodSpec", "containers"),
    ("V1EndpointSlice", "endpoints"), ("V1EndpointSlice", "ports"), ("V1Endpoint", "addresses"),
    ("V1NodeSelector", "nodeSelectorTerms"),
    ("V1ContainerImage", "names"),
    ("V1ProjectedVolumeSource", "sources"),
    ("V1TopologySelectorLabelRequirement", "values"),
    ("V1PodFailurePolicy", "rules"), ("V1PodFailurePolicyOnExitCodesRequirement", "values"),
    ("V1SuccessPolicy", "rules"),
})

_EVERYTHING = None  # walk a whole value (a list element, a value a JSON patch wrote)


def drop_empty_fields(obj: dict, patch: Any) -> None:
    """Leave out the empty omitempty lists and maps of ``obj`` (a built-in kind) where ``patch``
    reached: the keys of a merge or strategic patch, the whole object for a JSON patch."""
    type_name = KINDS.get(f"{obj.get('apiVersion')}/{obj.get('kind')}")
    if type_name is not None:
        _drop(obj, type_name, patch if isinstance(patch, dict) else _EVERYTHING)


def _field_name(key: str) -> str:
    """The field a patch key is about: ``$setElementOrder/env`` and
    ``$deleteFromPrimitiveList/finalizers`` name the list after the slash."""
    return key.split("/", 1)[1] if key.startswith("$") and "/" in key else key


def _drop(value: dict, type_name: str, patch: dict | None) -> None:
    fields = TYPES.get(type_name)
    if fields is None:
        return
    keys = list(value) if patch is None else {_field_name(k) for k in patch}
    for key in keys:
        field_type = fields.get(key)
        if key not in value or field_type is None:
            continue
        inner = patch.get(key) if patch is not None else None
        _drop_field(value, key, field_type, type_name, inner if isinstance(inner, dict) else _EVERYTHING)


def _drop_field(value: dict, key: str, field_type: str, type_name: str, patch: dict | None) -> None:
    """One field: gone when it is an empty omitempty list or map; else walked into."""
    field = value[key]
    collection = field_type.startswith(("list[", "dict("))
    if collection and not field and (type_name, key) not in NOT_OMITEMPTY:
        del value[key]
    elif field_type in TYPES and isinstance(field, dict):
        _drop(field, field_type, patch)
    elif field_type.startswith("list[") and field_type[5:-1] in TYPES and isinstance(field, list):
        for item in field:
            if isinstance(item, dict):
                _drop(item, field_type[5:-1], _EVERYTHING)
