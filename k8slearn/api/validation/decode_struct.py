"""Decoding checks for the structure of the usual objects: an object, list or string where the Go
struct has one.

JSON decoding into Go structs refuses a value of the wrong JSON type anywhere, before defaulting
or validation: ``metadata: 1.5``, ``containers: {}`` or ``command: 1.5`` are a 400 BadRequest,
``json: cannot unmarshal number into Go struct field Container.spec.containers.command of type
[]string``. The message names the struct that holds the field and the field's JSON path from the
object's root (list indexes left out):

>>> structure_error({"kind": "Pod", "spec": {"containers": [{"name": "c", "image": 1.5}]}})
'json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string'
>>> structure_error({"kind": "Job", "metadata": True})
'json: cannot unmarshal bool into Go struct field Job.metadata of type v1.ObjectMeta'
>>> structure_error({"kind": "Job", "spec": {"template": {"spec": {"containers": [{"command": [1]}]}}}})
'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.command of type string'
>>> structure_error({"kind": "Pod", "spec": {"containers": [{"name": "c", "image": "nginx"}]}}) is None
True
>>> structure_error({"kind": "Deployment", "spec": {"strategy": {"rollingUpdate": {"maxSurge": 1.5}}}})
'json: cannot unmarshal number 1.5 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32'

Only the structure this table knows is checked (the objects, lists and strings of the fields the
course's objects use); :mod:`k8slearn.api.validation.decode` checks the integers, label values,
environment values and quantities everywhere.

Upstream: encoding/json (UnmarshalTypeError), the Go types of k8s.io/api core/v1, apps/v1, batch/v1
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.quantity import ERR_FORMAT_WRONG

# A schema node: ("object", struct, go type, {field: node}), ("list", go type, element node),
# ("map", go type, value node) or ("scalar", go type, the JSON kinds it takes).
_STRING = ("scalar", "string", ("string",))


def _obj(struct: str, go_type: str, fields: dict) -> tuple:
    return ("object", struct, go_type, fields)


def _list(go_type: str, element: tuple) -> tuple:
    return ("list", go_type, element)


def _strings(go_type: str = "[]string") -> tuple:
    return _list(go_type, _STRING)


def _string(go_type: str) -> tuple:
    return ("scalar", go_type, ("string",))


_STRING_MAP = ("map", "map[string]string", _STRING)
_INT_OR_STRING = ("scalar", "int32", ("string", "integer"))  # intstr.IntOrString: an integer, or a string ("25%")
_RESOURCE_LIST = ("map", "v1.ResourceList", ("scalar", "resource.Quantity", ("string", "number")))
_META = _obj("ObjectMeta", "v1.ObjectMeta", {
    "name": _STRING, "generateName": _STRING, "namespace": _STRING, "labels": _STRING_MAP,
    "annotations": _STRING_MAP, "finalizers": _strings()})
_SELECTOR = _obj("LabelSelector", "v1.LabelSelector", {"matchLabels": _STRING_MAP})
_CONTAINER = _obj("Container", "v1.Container", {
    "name": _STRING, "image": _STRING, "command": _strings(), "args": _strings(), "workingDir": _STRING,
    "imagePullPolicy": _string("v1.PullPolicy"),
    "ports": _list("[]v1.ContainerPort", _obj("ContainerPort", "v1.ContainerPort", {
        "name": _STRING, "protocol": _string("v1.Protocol")})),
    "env": _list("[]v1.EnvVar", _obj("EnvVar", "v1.EnvVar", {"name": _STRING})),
    "volumeMounts": _list("[]v1.VolumeMount", _obj("VolumeMount", "v1.VolumeMount", {
        "name": _STRING, "mountPath": _STRING, "subPath": _STRING})),
    "resources": _obj("ResourceRequirements", "v1.ResourceRequirements", {
        "requests": _RESOURCE_LIST, "limits": _RESOURCE_LIST}),
})
_POD_SPEC = _obj("PodSpec", "v1.PodSpec", {
    "containers": _list("[]v1.Container", _CONTAINER), "initContainers": _list("[]v1.Container", _CONTAINER),
    "volumes": _list("[]v1.Volume", _obj("Volume", "v1.Volume", {"name": _STRING})),
    "tolerations": _list("[]v1.Toleration", _obj("Toleration", "v1.Toleration", {
        "key": _STRING, "operator": _string("v1.TolerationOperator"), "value": _STRING,
        "effect": _string("v1.TaintEffect")})),
    "nodeSelector": _STRING_MAP, "nodeName": _STRING, "restartPolicy": _string("v1.RestartPolicy"),
    "serviceAccountName": _STRING, "schedulerName": _STRING, "priorityClassName": _STRING,
    "hostname": _STRING, "subdomain": _STRING,
})
_TEMPLATE = _obj("PodTemplateSpec", "v1.PodTemplateSpec", {"metadata": _META, "spec": _POD_SPEC})
_JOB_SPEC = _obj("JobSpec", "v1.JobSpec", {"template": _TEMPLATE, "selector": _SELECTOR})


def _workload(spec_struct: str, extra: dict | None = None) -> tuple:
    return _obj(spec_struct, f"v1.{spec_struct}", {"selector": _SELECTOR, "template": _TEMPLATE, **(extra or {})})


def _rolling(struct: str, strategy_struct: str, field: str, type_field: str) -> dict:
    """A workload's update strategy: its type, and the IntOrString limits of a rolling update."""
    return {field: _obj(strategy_struct, f"v1.{strategy_struct}", {
        "type": _string(type_field), "rollingUpdate": _obj(struct, f"v1.{struct}", {
            "maxSurge": _INT_OR_STRING, "maxUnavailable": _INT_OR_STRING})})}


SPECS = {
    "Pod": _POD_SPEC,
    "Deployment": _workload("DeploymentSpec", _rolling("RollingUpdateDeployment", "DeploymentStrategy", "strategy",
                                                       "v1.DeploymentStrategyType")),
    "ReplicaSet": _workload("ReplicaSetSpec"),
    "DaemonSet": _workload("DaemonSetSpec", _rolling("RollingUpdateDaemonSet", "DaemonSetUpdateStrategy",
                                                     "updateStrategy", "v1.DaemonSetUpdateStrategyType")),
    "StatefulSet": _workload("StatefulSetSpec", {"serviceName": _STRING, **_rolling(
        "RollingUpdateStatefulSetStrategy", "StatefulSetUpdateStrategy", "updateStrategy",
        "v1.StatefulSetUpdateStrategyType")}),
    "Job": _JOB_SPEC,
    "CronJob": _obj("CronJobSpec", "v1.CronJobSpec", {
        "schedule": _STRING, "jobTemplate": _obj("JobTemplateSpec", "v1.JobTemplateSpec", {
            "metadata": _META, "spec": _JOB_SPEC})}),
    "Service": _obj("ServiceSpec", "v1.ServiceSpec", {
        "selector": _STRING_MAP, "type": _string("v1.ServiceType"),
        "ports": _list("[]v1.ServicePort", _obj("ServicePort", "v1.ServicePort", {
            "name": _STRING, "protocol": _string("v1.Protocol")}))}),
}


_TOP = {"metadata": _META}
_TOPS = {kind: {"metadata": _META, "spec": spec} for kind, spec in SPECS.items()}


def structure_error(obj: dict) -> str | None:
    """The first value of the wrong JSON type in the object's known structure, or None."""
    return structure_check(obj)[0]


def structure_check(obj: dict) -> tuple[str | None, bool]:
    """(the first wrong value's error or None, whether a list holds a ``null`` element)."""
    kind = obj.get("kind")
    if not isinstance(kind, str):
        return None, False
    nulls: list = []
    return _check_fields(obj, kind, "", _TOPS.get(kind, _TOP), nulls), bool(nulls)


def _check_fields(obj: dict, struct: str, path: str, fields: dict, nulls: list) -> str | None:
    for name, node in fields.items():
        value = obj.get(name)
        if value is None:
            continue
        found = _check(value, struct, f"{path}.{name}" if path else name, node, nulls)
        if found:
            return found
    return None


def _check(value: Any, struct: str, path: str, node: tuple, nulls: list) -> str | None:
    """``value`` at ``path``, the field of Go struct ``struct`` that ``node`` describes."""
    shape = node[0]
    if shape == "object":
        if not isinstance(value, dict):
            return unmarshal_error(value, struct, path, node[2], "struct")
        return _check_fields(value, node[1], path, node[3], nulls)
    if shape == "list":
        if not isinstance(value, list):
            return unmarshal_error(value, struct, path, node[1], "slice")
        element = node[2]
        for item in value:
            if item is None:
                nulls.append(path)
                continue
            found = _check(item, struct, path, element, nulls)
            if found:
                return found
        return None
    if shape == "map":
        if not isinstance(value, dict):
            return unmarshal_error(value, struct, path, node[1], "map")
        for item in value.values():
            if item is not None:
                found = _check(item, struct, path, node[2], nulls)
                if found:
                    return found
        return None
    kind = json_kind(value)
    if kind == "number" and "integer" in node[2] and float(value).is_integer() and fits(value, node[1]):
        return None
    if kind not in node[2]:
        if node[1] == "resource.Quantity":  # a Quantity decodes itself (UnmarshalJSON parses any JSON text)
            return ERR_FORMAT_WRONG
        if node[2] == ("string", "integer"):  # an IntOrString decodes itself too, into its int32
            return unmarshal_error(value, struct, path, node[1], "int32", custom=True)
        return unmarshal_error(value, struct, path, node[1], node[2][0])
    return None


def zero_null_elements(obj: dict) -> None:
    """Go decodes a ``null`` element of a list to the element type's zero value: ``""`` in a list of
    strings (``command: [null]``), an empty object in a list of structs (``containers: [null]``,
    which validation then finds without a name). Done on the API server's own copy, in place."""
    kind = obj.get("kind")
    if isinstance(kind, str) and kind in SPECS and isinstance(obj.get("spec"), dict):
        _zero(obj["spec"], SPECS[kind])


def _zero(value: Any, node: tuple) -> None:
    shape = node[0]
    if shape == "object" and isinstance(value, dict):
        for name, child in node[3].items():
            if value.get(name) is not None:
                _zero(value[name], child)
    elif shape == "list" and isinstance(value, list):
        element = node[2]
        for i, item in enumerate(value):
            if item is None and element[0] in ("object", "scalar"):
                value[i] = {} if element[0] == "object" else ""
            elif item is not None:
                _zero(item, element)


def json_kind(value: Any) -> str:
    """How encoding/json names a JSON value's type in its errors."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "value"


class UnmarshalError(str):
    """encoding/json's message, which also says what was decoded into what: the JSON ``value``, the
    Go type's name (``go_type``) and kind (``go_kind``: ``struct``, ``slice``, ``map``, ``string``,
    ``int32``...), and whether the type decodes itself (``custom``: IntOrString). A patch is
    converted rather than decoded, and says it in other words
    (:func:`k8slearn.api.validation.unstructured.converter_error`)."""

    value: Any
    go_type: str
    go_kind: str
    custom: bool
    path: str  # the field's JSON path, dotted, list indexes left out


def unmarshal_error(value: Any, struct: str, path: str, go_type: str, go_kind: str = "",
                    custom: bool = False) -> UnmarshalError:
    """encoding/json's UnmarshalTypeError for a struct field; a number that is no integer, into an
    integer field, is quoted (``number 1.5``). ``go_kind``: the Go type's kind, if not ``go_type``."""
    kind = json_kind(value)
    if kind == "number" and go_type.lstrip("u").startswith("int") and not (
            float(value).is_integer() and fits(value, go_type)):  # a fraction, or too big: the number is quoted
        kind = f"number {value!r}"
    error = UnmarshalError(f"json: cannot unmarshal {kind} into Go struct field {struct}.{path} of type {go_type}")
    error.value, error.go_type, error.go_kind, error.custom = value, go_type, go_kind or go_type, custom
    error.path = path
    return error


_INT_BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64}


def fits(value: Any, go_type: str) -> bool:
    """Whether a whole number fits Go's integer type ``go_type`` (any other type: True).

    >>> fits(2147483647, "int32"), fits(2147483648, "int32"), fits(2147483648, "int64")
    (True, False, True)
    """
    bits = _INT_BITS.get(go_type)
    return bits is None or -(1 << (bits - 1)) <= int(value) < (1 << (bits - 1))


def wrapped(value: int, go_type: str) -> int:
    """What Go's conversion of an int64 to ``go_type`` keeps: the low bits, as a signed number.

    >>> wrapped(99999999999, "int32"), wrapped(2147483648, "int32"), wrapped(5, "int32")
    (1215752191, -2147483648, 5)
    """
    bits = _INT_BITS.get(go_type, 64)
    low = int(value) & ((1 << bits) - 1)
    return low - (1 << bits) if low >= 1 << (bits - 1) else low
