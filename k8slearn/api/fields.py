"""Field selectors: ``status.phase=Running,spec.nodeName!=node-1`` (``kubectl get --field-selector``).

Terms are ``field=value``, ``field==value`` or ``field!=value``, ANDed. Each resource supports
only some fields (``supported_field_labels``); the API server rejects others with
``field label not supported: <field>``.

>>> sel = parse_field_selector("spec.nodeName=node-1,status.phase!=Failed")
>>> sel.requirements
[('spec.nodeName', '=', 'node-1'), ('status.phase', '!=', 'Failed')]
>>> pod = {"kind": "Pod", "spec": {"nodeName": "node-1"}, "status": {"phase": "Running"}}
>>> sel.matches(pod)
True
>>> str(parse_field_selector("metadata.name==web"))
'metadata.name=web'

Simplifies: field values come from the object's JSON (dotted paths) plus the few computed
fields the registries define (an Event's ``source``, a Pod's ``status.podIP``).

Upstream: staging/src/k8s.io/apimachinery/pkg/fields/selector.go, pkg/apis/core/v1/conversion.go,
pkg/registry/core/pod/strategy.go, pkg/registry/core/event/strategy.go
"""

from __future__ import annotations

FIELD_LABEL_NOT_SUPPORTED = "field label not supported: {}"

_META = {"metadata.name", "metadata.namespace"}
_FIELD_LABELS: dict[str, set[str]] = {
    "pods": _META | {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                     "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"},
    "nodes": {"metadata.name", "spec.unschedulable"},
    "namespaces": {"metadata.name", "status.phase"},
    "events": _META | {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                       "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                       "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"},
    "secrets": _META | {"type"},
    "replicasets": _META | {"status.replicas"},
    "jobs": _META | {"status.successful"},
}


def supported_field_labels(resource_plural: str) -> set[str]:
    """The field paths the API server accepts in a field selector for this resource."""
    return set(_FIELD_LABELS.get(resource_plural, _META))


class FieldSelectorError(ValueError):
    """A malformed field selector; str() is apimachinery's message."""


class FieldSelector:
    """An AND of ``(field, op, value)`` terms; op is ``=``, ``==`` or ``!=``."""

    __slots__ = ("requirements",)

    def __init__(self, requirements: list[tuple[str, str, str]]) -> None:
        self.requirements = requirements

    def matches(self, obj: dict) -> bool:
        for path, op, value in self.requirements:
            actual = field_value(obj, path)
            if (actual == value) != (op != "!="):
                return False
        return True

    def empty(self) -> bool:
        return not self.requirements

    def unsupported(self, resource_plural: str) -> list[str]:
        """Fields this resource does not support, in selector order."""
        allowed = supported_field_labels(resource_plural)
        return [f for f, _, _ in self.requirements if f not in allowed]

    def check(self, resource_plural: str) -> None:
        """Raise FieldSelectorError(``field label not supported: x``) like the API server."""
        bad = self.unsupported(resource_plural)
        if bad:
            raise FieldSelectorError(FIELD_LABEL_NOT_SUPPORTED.format(bad[0]))

    def __str__(self) -> str:
        return ",".join(f"{f}{'!=' if op == '!=' else '='}{escape_value(v)}" for f, op,
                        v in self.requirements)

    def __repr__(self) -> str:
        return f"FieldSelector({str(self)!r})"


def escape_value(s: str) -> str:
    return s.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def unescape_value(s: str) -> str:
    if not any(c in s for c in "\\,="):
        return s
    out, in_slash = [], False
    for c in s:
        if in_slash:
            if c not in "\\,=":
                raise FieldSelectorError(f"invalid field selector: invalid escape sequence: {s}")
            out.append(c)
            in_slash = False
        elif c == "\\":
            in_slash = True
        elif c in ",=":
            raise FieldSelectorError(f"invalid field selector: unescaped character in value: {ord(c)}")
        else:
            out.append(c)
    if in_slash:
        raise FieldSelectorError(f"invalid field selector: invalid escape sequence: {s}")
    return "".join(out)


def _split_terms(s: str) -> list[str]:
    if not s:
        return []
    terms, start, in_slash = [], 0, False
    for i, c in enumerate(s):
        if in_slash:
            in_slash = False
        elif c == "\\":
            in_slash = True
        elif c == ",":
            terms.append(s[start:i])
            start = i + 1
    terms.append(s[start:])
    return terms


def parse_field_selector(s: str) -> FieldSelector:
    """fields.ParseSelector: terms sorted, split at the first ``!=``, ``==`` or ``=``."""
    reqs = []
    for part in sorted(_split_terms(s)):
        if not part:
            continue
        for i in range(len(part)):
            op = next((o for o in ("!=", "==", "=") if part.startswith(o, i)), None)
            if op:
                reqs.append((part[:i], op, unescape_value(part[i + len(op):])))
                break
        else:
            raise FieldSelectorError(f"invalid selector: '{s}'; can't understand '{part}'")
    return FieldSelector(reqs)


_ZERO = {"spec.hostNetwork": "false", "spec.unschedulable": "false", "status.replicas": "0",
         "status.successful": "0"}


_PATH_PARTS: dict[str, list[str]] = {}  # a field path -> its dotted parts


def field_value(obj: dict, path: str) -> str:
    """The string a registry's ToSelectableFields gives for ``path`` ("" when absent)."""
    kind = obj.get("kind")
    if kind == "Event" and path == "source":
        return (obj.get("source") or {}).get("component") or obj.get("reportingComponent") or ""
    if kind == "Event" and path == "reportingComponent":
        return obj.get("reportingComponent") or ""
    if kind == "Pod" and path == "status.podIP":
        status = obj.get("status") or {}
        ips = status.get("podIPs") or []
        return ips[0].get("ip", "") if ips else status.get("podIP", "")
    parts = _PATH_PARTS.get(path)
    if parts is None:
        parts = path.split(".")
        if len(_PATH_PARTS) < 1024:  # selectable field paths are few: each is split once
            _PATH_PARTS[path] = parts
    value: object = obj
    for part in parts:
        if not isinstance(value, dict):
            value = None
            break
        value = value.get(part)
    if value is None:
        return _ZERO.get(path, "")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
