"""The API server's decoding checks as first written: one plain recursive walk per check.

Kept as the oracle for ``k8slearn.api.validation.decode``, whose single-pass walk must give
exactly these answers (tests/api/test_api_decode_fast.py compares the two over generated objects).
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.go_base64 import corrupt_input_offset
from k8slearn.api.quantity import parse_quantity
from k8slearn.api.validation.decode import INT_FIELDS, QUANTITY_MAPS, SERVICE_INT_FIELDS, WORKLOAD_SPECS
from k8slearn.api.validation.decode_struct import structure_error


def decode_check(obj: dict) -> str | None:
    """The API server's 400 message for a request body it cannot decode, or None."""
    problem = decode_error(obj)
    if problem is None:
        return None
    kind = obj.get("kind", "")
    version = str(obj.get("apiVersion", "")).rpartition("/")[2]
    return f'{kind} in version "{version}" cannot be handled as a {kind}: {problem}'


def decode_error(obj: dict) -> str | None:
    """The bare problem (kubectl prints it as ``error: unable to decode "f.yaml": <problem>``)."""
    kind = obj.get("kind", "")
    wrong = structure_error(obj)  # (its own plain walk over the known structure, checked by its doctests)
    if wrong:
        return wrong
    if kind == "ConfigMap" and isinstance(obj.get("data"), dict):
        bad = next((v for v in obj["data"].values() if v is not None and not isinstance(v, str)), None)
        if bad is not None:
            return _unmarshal(bad, "ConfigMap", "data", "string")
    byte_map = {"Secret": "data", "ConfigMap": "binaryData"}.get(kind)
    if byte_map and isinstance(obj.get(byte_map), dict):
        for value in obj[byte_map].values():
            if isinstance(value, str) and corrupt_input_offset(value) is not None:
                return f"illegal base64 data at input byte {corrupt_input_offset(value)}"
            if value is not None and not isinstance(value, str):
                return _unmarshal(value, kind, byte_map, "[]uint8")
    fields = {**INT_FIELDS, **(SERVICE_INT_FIELDS if kind == "Service" else {})}
    return _first_type_error(obj, "", WORKLOAD_SPECS.get(kind, ""), fields) or _first_bad_quantity(obj)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):  # (a read-only FrozenList is an array too)
        return "array"
    return "object" if isinstance(value, dict) else "value"


_BITS = {"int32": 32, "int64": 64}


def _in_range(value: Any, go_type: str) -> bool:
    bits = _BITS.get(go_type)
    return bits is None or -(2 ** (bits - 1)) <= value <= 2 ** (bits - 1) - 1


def _unmarshal(value: Any, struct: str, path: str, go_type: str) -> str:
    kind = _json_kind(value)
    if kind == "number" and go_type.lstrip("u").startswith("int") and not (
            float(value).is_integer() and _in_range(value, go_type)):
        kind = f"number {value!r}"  # encoding/json quotes a number it cannot make an integer
    return (f"json: cannot unmarshal {kind} into Go struct field {struct}.{path} "
            f"of type {go_type}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _first_type_error(obj: Any, path: str, spec_struct: str, int_fields: dict) -> str | None:
    if isinstance(obj, list):
        return next(filter(None, (_first_type_error(v, path, spec_struct, int_fields) for v in obj)), None)
    if not isinstance(obj, dict):
        return None
    for key, value in obj.items():
        here = f"{path}.{key}" if path else key
        if key in ("labels", "annotations") and path.endswith("metadata") and isinstance(value, dict):
            bad = next((v for v in value.values() if v is not None and not isinstance(v, str)), None)
            if bad is not None:
                return _unmarshal(bad, "ObjectMeta", here, "string")
        elif key == "env" and isinstance(value, list):
            for var in value:
                v = var.get("value") if isinstance(var, dict) else None
                if v is not None and not isinstance(v, str):
                    return _unmarshal(v, "EnvVar", f"{here}.value", "string")
        if value is not None and not (isinstance(key, str) and "." in key) \
                and not (_is_int(value) and _in_range(value, "int32")):  # (fits any integer field)
            rule = next((r for suffix, r in int_fields.items() if here.endswith(suffix)), None)
            if rule is not None:
                struct = spec_struct if rule[0] == "<spec>" else rule[0]
                if struct and not (_is_int(value) and _in_range(value, rule[1])):
                    return _unmarshal(value, struct, here, rule[1])
        found = _first_type_error(value, here, spec_struct, int_fields)
        if found:
            return found
    return None


def _first_bad_quantity(value: Any, key: str = "") -> str | None:
    if isinstance(value, dict):
        if key in QUANTITY_MAPS:
            for q in value.values():
                try:
                    parse_quantity(q)
                except ValueError as err:
                    return str(err)
        if key == "emptyDir" and value.get("sizeLimit") is not None:
            try:
                parse_quantity(value["sizeLimit"])
            except ValueError as err:
                return str(err)
        for k, v in value.items():
            found = _first_bad_quantity(v, k)
            if found:
                return found
    elif isinstance(value, list):
        for v in value:
            found = _first_bad_quantity(v, key)
            if found:
                return found
    return None
