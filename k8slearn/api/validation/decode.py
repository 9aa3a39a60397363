"""Decoding checks: the values of the wrong JSON type, and the malformed quantities, that make the
API server refuse a request with 400 BadRequest before it defaults or validates anything.

>>> decode_error({"kind": "Pod", "metadata": {"labels": {"version": 1}}})
'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'
>>> decode_check({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "3"}})
... # doctest: +ELLIPSIS
'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into ...'
>>> decode_body({"kind": "Pod", "metadata": {"name": "web"}})  # the server's own copy, and no problem
({'kind': 'Pod', 'metadata': {'name': 'web'}}, None)

The rules, for every ``key: value`` met anywhere in the object, depth first, in order (the field's
path is the dotted keys that lead to it; list elements keep their list's path):

* ``labels``/``annotations`` under a path ending in ``metadata``: every value is a string;
* ``env`` (a list): every ``value`` is a string;
* a path ending in one of ``INT_FIELDS`` (``spec.replicas``...): an integer. The path is matched key
  by key: a key with a dot in it (a label named ``spec.replicas``) is a map key, never a Go struct
  field, so it is never taken for one;
* a DaemonSet's ``deprecated.daemonset.template.generation`` annotation is an int64 (the apps/v1
  conversion parses it into spec.templateGeneration);
* a Secret's ``data`` and a ConfigMap's ``binaryData`` are []byte maps: each value is a string
  of base64 (:mod:`k8slearn.api.go_base64`);
* after all that, every quantity map (``limits``, ``requests``, ``capacity``...) and
  ``emptyDir.sizeLimit`` parses as a quantity.

Every request runs this over the whole object, so the walk is written to be cheap: one pass for
both kinds of check that also makes the server's own copy of the body (``decode_body``), string
leaves (most of an object) cost one class test, and the integer rules are looked at only for keys
that end like one of them. ``tests/api/decode_reference.py`` keeps the plain two-walk version; a
property test checks both give the same answer, and the same copy as ``thaw``, for any object.

Simplifies: only the common mistakes are checked: string-valued maps (labels, annotations, config
map data), environment values, the usual integer fields, and quantities.

Upstream: encoding/json (UnmarshalTypeError), staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go
(``%s in version %q cannot be handled as a %s: %v``), staging/src/k8s.io/apimachinery/pkg/api/resource,
encoding/base64 (CorruptInputError)
"""

from __future__ import annotations

import marshal
from typing import Any

from k8slearn.api.go_base64 import CorruptInputError, corrupt_input_offset
from k8slearn.api.lru import LRUCache
from k8slearn.api.meta import FrozenDict, FrozenList
from k8slearn.api.quantity import parse_quantity
from k8slearn.api.validation.decode_struct import fits, structure_check, unmarshal_error, zero_null_elements

QUANTITY_MAPS = {"limits", "requests", "overhead", "capacity", "allocatable", "hard", "used"}
WORKLOAD_SPECS = {"Deployment": "DeploymentSpec", "ReplicaSet": "ReplicaSetSpec", "StatefulSet": "StatefulSetSpec",
                  "DaemonSet": "DaemonSetSpec", "Job": "JobSpec"}
# field path suffix -> (Go struct holding the field, Go type); "<spec>" is the workload's spec struct
INT_FIELDS = {
    "spec.replicas": ("<spec>", "int32"),
    "spec.minReadySeconds": ("<spec>", "int32"),
    "spec.revisionHistoryLimit": ("<spec>", "int32"),
    "spec.progressDeadlineSeconds": ("<spec>", "int32"),
    "spec.parallelism": ("<spec>", "int32"),
    "spec.completions": ("<spec>", "int32"),
    "spec.backoffLimit": ("<spec>", "int32"),
    "containers.ports.containerPort": ("ContainerPort", "int32"),
    "containers.ports.hostPort": ("ContainerPort", "int32"),
    "spec.terminationGracePeriodSeconds": ("PodSpec", "int64"),
    "Probe.initialDelaySeconds": ("Probe", "int32"),
    "Probe.timeoutSeconds": ("Probe", "int32"),
    "Probe.periodSeconds": ("Probe", "int32"),
    "Probe.successThreshold": ("Probe", "int32"),
    "Probe.failureThreshold": ("Probe", "int32"),
    "spec.activeDeadlineSeconds": ("PodSpec", "int64"),
}
SERVICE_INT_FIELDS = {"spec.ports.port": ("ServicePort", "int32"), "spec.ports.nodePort": ("ServicePort", "int32")}
_SERVICE_RULES = {**INT_FIELDS, **SERVICE_INT_FIELDS}

# A path ends with "a.b.port" only if its last key ends with "port": the last segment of every
# rule, to test a key against all rules in one call before building its path.
_RULE_TAILS = tuple(sorted({suffix.rpartition(".")[2] for suffix in _SERVICE_RULES}))
_INT32_MIN, _INT32_MAX = -(1 << 31), (1 << 31) - 1  # an int in this range fits every integer field
_LEAVES = frozenset({str, int, float, bool, type(None)})  # JSON scalars: nothing below them to check
# Keys (str) that end like no rule or hold a dot: a set lookup instead of the endswith test for each
# of the many string values of an object (a simulation speed-up; the same keys come again and again).
_NO_RULE_KEYS: set[str] = set()
_QUANTITY_ERRORS: dict[str, str | None] = {}  # quantity string -> its parse error (None: valid)
_MAX_REMEMBERED = 4096
# (path, spec struct, service rules?, marshal bytes) of the parts found well typed, least recently used first
_WELL_TYPED = LRUCache(_MAX_REMEMBERED)
_MARSHAL_VERSION = 2  # no shared references: every dict and list of a copy is its own
_SMALL_PART = 160  # marshal bytes below which a part is walked, not remembered
# Parts of one object (a uid, a status of its own: IPs, container ids, times): never seen twice, so
# not remembered as a whole (their parts are: labels, owner references, conditions...).
_ONE_OBJECT = frozenset({"metadata", "involvedObject", "status"})
# id of a read-only part -> (the part, marshal bytes of its plain copy, or None if small); see _frozen_data
_FROZEN_DATA: dict[int, tuple] = {}
_DICTS = (dict, FrozenDict)
_LISTS = (list, FrozenList)


def decode_check(obj: dict) -> str | None:
    """The API server's 400 message for a request body it cannot decode, or None."""
    return decode_body(obj)[1]


def decode_body(obj: dict) -> tuple[dict, str | None]:
    """A fresh mutable copy of a request body (as ``meta.thaw`` makes) and its 400 message, or None.

    The copy is made by the same walk that checks the types, as decoding JSON into Go structs
    builds the object and finds the type errors at once. The copy is complete only without a problem.
    """
    copy, problem = _decode(obj)
    if problem is None:
        return copy, None
    kind = obj.get("kind", "")
    version = str(obj.get("apiVersion", "")).rpartition("/")[2]
    return copy, f'{kind} in version "{version}" cannot be handled as a {kind}: {problem}'


def decode_error(obj: dict) -> str | None:
    """The bare problem (kubectl prints it as ``error: unable to decode "f.yaml": <problem>``)."""
    return _decode(obj)[1]


TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"


def _template_generation_problem(obj: dict) -> str | None:
    """The apps/v1 conversion of a DaemonSet reads this annotation into spec.templateGeneration with
    strconv.ParseInt: a value that is no 64-bit integer is its error."""
    annotations = (obj.get("metadata") or {}).get("annotations")
    value = annotations.get(TEMPLATE_GENERATION) if isinstance(annotations, dict) else None
    if not isinstance(value, str):
        return None
    digits = value[1:] if value[:1] in "+-" else value
    if not digits.isascii() or not digits.isdigit():
        return f'strconv.ParseInt: parsing "{value}": invalid syntax'
    if not -(2 ** 63) <= int(value) < 2 ** 63:
        return f'strconv.ParseInt: parsing "{value}": value out of range'
    return None


def _decode(obj: dict) -> tuple[dict, str | None]:
    kind = obj.get("kind", "")
    copy: dict = {}
    problem, nulls = structure_check(obj)  # an object, list or string where the Go struct has one
    if problem:
        return copy, problem
    if kind == "ConfigMap" and isinstance(obj.get("data"), dict):
        bad = next((v for v in obj["data"].values() if v is not None and not isinstance(v, str)), None)
        if bad is not None:
            return copy, unmarshal_error(bad, "ConfigMap", "data", "string")
    problem = _byte_map_problem(obj, kind)
    if problem:
        return copy, problem
    if kind == "DaemonSet":
        problem = _template_generation_problem(obj)
        if problem:
            return copy, problem
    rules = _SERVICE_RULES if kind == "Service" else INT_FIELDS
    quantities: list = []
    problem = _walk(obj, copy, "", "", WORKLOAD_SPECS.get(kind, ""), rules, quantities)
    if problem is None and nulls:
        zero_null_elements(copy)
    return copy, problem or _first_bad_quantity(quantities)


# the []byte maps whose string values JSON decoding reads as base64 (Secret.data, ConfigMap.binaryData)
BYTE_MAPS = {"Secret": "data", "ConfigMap": "binaryData"}


def _byte_map_problem(obj: dict, kind: str) -> str | None:
    """A value of a ``[]byte`` map that is not base64 (``illegal base64 data at input byte N``), or
    not a string at all (``... Go struct field Secret.data of type []uint8``)."""
    values = obj.get(BYTE_MAPS[kind]) if kind in BYTE_MAPS else None
    if not isinstance(values, dict):
        return None
    for value in values.values():
        if isinstance(value, str):
            offset = corrupt_input_offset(value)
            if offset is not None:
                return str(CorruptInputError(offset))
        elif value is not None:
            return unmarshal_error(value, kind, BYTE_MAPS[kind], "[]uint8")
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_rule_error(value: Any, here: str, spec_struct: str, rules: dict) -> str | None:
    """The error if ``here`` names an integer field (``value``: not an integer, or one that may not
    fit the field's Go type)."""
    rule = next((r for suffix, r in rules.items() if here.endswith(suffix)), None)
    if rule is not None:
        struct = spec_struct if rule[0] == "<spec>" else rule[0]
        if struct and not (_is_int(value) and fits(value, rule[1])):
            return unmarshal_error(value, struct, here, rule[1])
    return None


def _walk(obj: dict, out: dict, path: str, key_in: Any, spec_struct: str, rules: dict,
          quantities: list) -> str | None:
    """Copy ``obj`` (reached at ``path`` by key ``key_in``) into ``out``; the first type error in it.

    Quantity maps met on the way are noted in ``quantities``, to be parsed once the walk found no
    type error (a type error is reported first, wherever it is).
    """
    if key_in in QUANTITY_MAPS:
        quantities.append(obj.values())
    elif key_in == "emptyDir" and obj.get("sizeLimit") is not None:
        quantities.append((obj["sizeLimit"],))
    for key, value in obj.items():
        if value.__class__ in _LEAVES and key.__class__ is str:  # a scalar: only the integer rules apply
            out[key] = value
            if value is None or (value.__class__ is int and _INT32_MIN <= value <= _INT32_MAX) \
                    or key in _NO_RULE_KEYS:
                continue
            if not key.endswith(_RULE_TAILS) or "." in key:
                if len(_NO_RULE_KEYS) < _MAX_REMEMBERED:
                    _NO_RULE_KEYS.add(key)
                continue
            found = _int_rule_error(value, f"{path}.{key}" if path else key, spec_struct, rules)
            if found:
                return found
            continue
        here = f"{path}.{key}" if path else key
        if key in ("labels", "annotations") and path.endswith("metadata") and isinstance(value, dict):
            bad = next((v for v in value.values() if v is not None and not isinstance(v, str)), None)
            if bad is not None:
                return unmarshal_error(bad, "ObjectMeta", here, "string")
        elif key == "env" and isinstance(value, list):
            for var in value:
                v = var.get("value") if isinstance(var, dict) else None
                if v is not None and not isinstance(v, str):
                    return unmarshal_error(v, "EnvVar", f"{here}.value", "string")
        may_be_int_field = key.__class__ is not str or (
            key not in _NO_RULE_KEYS and key.endswith(_RULE_TAILS) and "." not in key)
        if may_be_int_field and value is not None and not (_is_int(value) and _INT32_MIN <= value <= _INT32_MAX):
            found = _int_rule_error(value, here, spec_struct, rules)
            if found:
                return found
        if (value.__class__ in _LISTS or value.__class__ in _DICTS and len(value) > 4) and "." not in path \
                and here not in _ONE_OBJECT:  # a part worth remembering (see _walk_part)
            found = _walk_part(value, out, key, here, spec_struct, rules, quantities)
        elif isinstance(value, dict):
            out[key] = child = {}
            found = _walk(value, child, here, key, spec_struct, rules, quantities)
        elif isinstance(value, list):
            out[key] = items = []
            found = _walk_list(value, items, here, key, spec_struct, rules, quantities)
        else:
            out[key] = value
            continue
        if found:
            return found
    return None


def _walk_part(value: dict | list, out: dict, key: Any, here: str, spec_struct: str, rules: dict,
               quantities: list) -> str | None:
    """``_walk`` for a part one or two levels down (``spec``, ``status.conditions``...), remembered.

    The same parts come again and again (every pod of a ReplicaSet has the same spec, a pod's
    spec comes back with each of its status updates, its labels and owner with each write): a
    part known well typed (no type error, every quantity parses) at the same path, for the same
    kind's rules, is copied with ``marshal`` instead of walked. The check depends on nothing
    else, so the answer and the copy are the ones the walk gives. ``metadata``, ``status`` (and an
    Event's ``involvedObject``) differ for every object and are not remembered (their labels, owner
    references and conditions are); neither are small parts (a dict of up to 4 keys, or under
    ``_SMALL_PART`` bytes), cheaper to walk than to look up. A simulation speed-up.

    A read-only part (a request body built around an informer's object, as the kubelet's status
    updates are) cannot be marshalled: its bytes are those of its plain copy, remembered by
    identity (``_frozen_data``).
    """
    frozen = value.__class__ is FrozenDict or value.__class__ is FrozenList
    if frozen:
        data = _frozen_data(value)
    else:
        try:
            data = marshal.dumps(value, _MARSHAL_VERSION)
            if len(data) < _SMALL_PART:
                data = None  # cheaper to walk than to look up
        except ValueError:  # not plain JSON types: walk it
            data = None
    memo = (here, spec_struct, rules is _SERVICE_RULES, data)
    if data is not None and memo in _WELL_TYPED:  # (``in`` makes it the most recent)
        out[key] = marshal.loads(data)
        return None
    mark = len(quantities)
    if value.__class__ in _DICTS:
        out[key] = child = {}
        found = _walk(value, child, here, key, spec_struct, rules, quantities)
    else:
        out[key] = items = []
        found = _walk_list(value, items, here, key, spec_struct, rules, quantities)
    if found is None and _first_bad_quantity(quantities[mark:]) is None:
        if frozen and data is None and id(value) not in _FROZEN_DATA:
            data = _remember_frozen(value, out[key])
            memo = (here, spec_struct, rules is _SERVICE_RULES, data)
        if data is not None:
            _WELL_TYPED.add(memo)
    return found


def _frozen_data(value: FrozenDict | FrozenList) -> bytes | None:
    """The marshal bytes of a read-only part's plain copy, if remembered (None: unknown or small).

    A simulation speed-up with identical results: the watch cache hands out deeply read-only
    objects and shares equal parts (every status update of a pod, and every pod of a template
    on a node, carries the same ``spec`` object), so the part's copy is known by its identity.
    Only parts whose every container is read-only and every value an exact JSON scalar are
    remembered (nothing in them can change); an entry holds its part, so the id stays its own.
    """
    entry = _FROZEN_DATA.get(id(value))
    return entry[1] if entry is not None and entry[0] is value else None


def _remember_frozen(value: FrozenDict | FrozenList, copy: dict | list) -> bytes | None:
    """Note the bytes of ``copy`` (the walk's complete copy of ``value``) for ``_frozen_data``."""
    if not _deeply_frozen(value):
        return None
    data = marshal.dumps(copy, _MARSHAL_VERSION)
    if len(data) < _SMALL_PART:
        data = None  # cheaper to walk than to look up
    if len(_FROZEN_DATA) >= _MAX_REMEMBERED:
        _FROZEN_DATA.clear()  # bounded: start over
    _FROZEN_DATA[id(value)] = (value, data)
    return data


def _deeply_frozen(value: Any) -> bool:
    """Every container in ``value`` read-only, every key a str, every value an exact JSON scalar."""
    if value.__class__ is FrozenDict:
        if any(k.__class__ is not str for k in value):
            return False
        values = value.values()
    elif value.__class__ is FrozenList:
        values = value
    else:
        return value.__class__ in _LEAVES
    return all(v.__class__ in _LEAVES or _deeply_frozen(v) for v in values)


def _walk_list(items: list, out: list, path: str, key_in: Any, spec_struct: str, rules: dict,
               quantities: list) -> str | None:
    """List elements keep the list's path (and, for quantity maps, its key)."""
    for v in items:
        if isinstance(v, dict):
            child: Any = {}
            out.append(child)
            found = _walk(v, child, path, key_in, spec_struct, rules, quantities)
        elif isinstance(v, list):
            child = []
            out.append(child)
            found = _walk_list(v, child, path, key_in, spec_struct, rules, quantities)
        else:
            out.append(v)
            continue
        if found:
            return found
    return None


def _first_bad_quantity(quantities: list) -> str | None:
    """The parse error of the first malformed quantity, in the order the walk met them."""
    for values in quantities:
        for q in values:
            found = _quantity_error(q)
            if found:
                return found
    return None


def _quantity_error(q: Any) -> str | None:
    """ParseQuantity's message for ``q``, or None; answers for strings are remembered (a pure function)."""
    if q.__class__ is str:
        if q in _QUANTITY_ERRORS:
            return _QUANTITY_ERRORS[q]
    try:
        parse_quantity(q)
        found = None
    except ValueError as err:
        found = str(err)
    if q.__class__ is str and len(_QUANTITY_ERRORS) < _MAX_REMEMBERED:
        _QUANTITY_ERRORS[q] = found
    return found
