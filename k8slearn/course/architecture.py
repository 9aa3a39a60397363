"""The architecture chapter's helpers: the HTTP request kubectl sends, and what the API server
changed before it stored the object.

Kubernetes is a set of programs that meet at one REST API. kubectl turns a manifest into JSON
and sends it to kube-apiserver; the API server validates it, fills in defaults, runs admission,
stores it in etcd and answers with the object as stored. :func:`create_request` shows the first
hop, :func:`field_changes` what the API server did to the object on the way:

>>> pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
...        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}
>>> request = create_request(pod)
>>> print(request.request_line)
POST /api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict
>>> request.body["metadata"]        # kubectl fills in the namespace of the current context
{'name': 'web', 'namespace': 'default'}
>>> rest_path("apps/v1", "Deployment", "shop", "web")
'/apis/apps/v1/namespaces/shop/deployments/web'
>>> stored = {**request.body, "metadata": {"name": "web", "namespace": "default", "uid": "1f0c"},
...           "status": {"phase": "Pending"}}
>>> print(field_changes(request.body, stored))
+ metadata.uid  "1f0c"
+ status.phase  "Pending"

Simplified: the request shows ``kubectl create -f`` (``kubectl apply`` first GETs the object and
adds its last-applied-configuration annotation); kubectl's discovery and OpenAPI requests, TLS and
the credentials every real request carries are left out.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/create/create.go and
staging/src/k8s.io/cli-runtime/pkg/resource (SetNamespace, helper.go Create) for the request,
staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/unstructured (UnstructuredJSONScheme) for its body;
staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go for what the server does with it
"""

from __future__ import annotations

import copy
import json
from typing import Any, NamedTuple

from k8slearn.api.resources import by_kind

__all__ = ["FieldChange", "FieldChanges", "HttpRequest", "create_request", "field_changes", "rest_path"]

ADDED, REMOVED, CHANGED = "+", "-", "~"
VALUE_WIDTH = 60


def rest_path(api_version: str, kind: str, namespace: str | None = None, name: str | None = None) -> str:
    """The REST path of a collection (no ``name``) or of one object.

    Built-in core kinds live under ``/api/v1``, every other group under ``/apis/<group>/<version>``;
    namespaced kinds add ``/namespaces/<namespace>``. Cluster-scoped kinds ignore ``namespace``.

    >>> rest_path("v1", "Node", name="node-1")
    '/api/v1/nodes/node-1'
    """
    for part, what in ((namespace, "namespace"), (name, "name")):
        if part and ("/" in part or part in (".", "..")):  # it would name another path (a subresource)
            raise ValueError(f"a {what} may not contain '/' or be '.' or '..': {part!r}")
    info = by_kind(api_version, kind)
    path = f"/apis/{info.group}/{info.version}" if info.group else f"/api/{info.version}"
    if info.namespaced:
        path += f"/namespaces/{namespace or 'default'}"
    path += f"/{info.plural}"
    return f"{path}/{name}" if name else path


class HttpRequest(NamedTuple):
    """One HTTP request: ``str()`` reads like the request on the wire (the body indented for
    reading; kubectl sends it on one line). The body's keys are in sorted order, as kubectl writes
    them: it encodes the manifest as an unstructured object, a Go map, and Go's encoding/json
    sorts map keys (so ``namespace`` comes after ``name``, not at the end where it was added)."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: dict

    @property
    def request_line(self) -> str:
        return f"{self.method} {self.path}"

    def __str__(self) -> str:
        head = [self.request_line, *(f"{k}: {v}" for k, v in self.headers)]
        body = json.dumps(self.body, indent=2, ensure_ascii=False, sort_keys=True)
        return "\n".join(head) + "\n\n" + body

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def create_request(obj: dict, namespace: str = "default") -> HttpRequest:
    """The request ``kubectl create -f`` sends for ``obj``: a POST of its JSON to the collection.

    Like kubectl, it puts the namespace (the object's own, else ``namespace``) into both the path
    and the body of a namespaced object; ``obj`` itself is not changed.
    """
    if not isinstance(obj, dict):
        raise TypeError(f"the object is a dict (a manifest loaded from YAML or JSON), not {type(obj).__name__}")
    body = copy.deepcopy(obj)
    if not isinstance(body.get("metadata"), dict):
        body["metadata"] = {}  # (YAML's "metadata:" with nothing after it is null)
    meta = body["metadata"]
    info = by_kind(body.get("apiVersion", ""), body.get("kind", ""))
    if info.namespaced:
        meta["namespace"] = meta.get("namespace") or namespace or "default"
    else:
        meta.pop("namespace", None)
    path = rest_path(info.api_version, info.kind, meta.get("namespace"))
    headers = (("Content-Type", "application/json"), ("Kubectl-Command", "kubectl create"))
    return HttpRequest("POST", path + "?fieldManager=kubectl-create&fieldValidation=Strict", headers, body)


class FieldChange(NamedTuple):
    """One field that differs: ``change`` is ``+`` (added), ``-`` (removed) or ``~`` (changed)."""

    change: str
    path: str
    before: Any
    after: Any

    @property
    def value(self) -> Any:
        """The value after the change (before it, for a removed field)."""
        return self.before if self.change == REMOVED else self.after


def _show(value: Any, width: int = VALUE_WIDTH) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= width else text[: width - 1] + "…"


class FieldChanges(list):
    """A list of :class:`FieldChange` that prints as an aligned table, one field a line."""

    def __str__(self) -> str:
        if not self:
            return "(no changes)"
        width = max(len(c.path) for c in self)
        lines = []
        for c in self:
            shown = f"{_show(c.before)} → {_show(c.after)}" if c.change == CHANGED else _show(c.value)
            lines.append(f"{c.change} {c.path:<{width}}  {shown}")
        return "\n".join(lines)

    def paths(self, change: str | None = None) -> list[str]:
        """The paths of all changes, or only of ``+``, ``-`` or ``~`` ones."""
        return [c.path for c in self if change is None or c.change == change]

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    key = str(key)
    if "." in key or "/" in key:  # like check_manifest's paths: labels["app.kubernetes.io/name"]
        return f'{path}["{key}"]'
    return f"{path}.{key}" if path else key


def _walk(before: Any, after: Any, path: str, out: FieldChanges) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before:
            sub = _join(path, key)
            if key not in after:
                out.append(FieldChange(REMOVED, sub, before[key], None))
            else:
                _walk(before[key], after[key], sub, out)
        for key in after:
            if key not in before:
                _added(after[key], _join(path, key), out)
    elif isinstance(before, list) and isinstance(after, list) and _merge_key(before, after):
        key = _merge_key(before, after)
        old, new = {item[key]: item for item in before}, {item[key]: item for item in after}
        for value, item in old.items():
            sub = f"{path}[{key}={value}]"
            if value in new:
                _walk(item, new[value], sub, out)
            else:
                out.append(FieldChange(REMOVED, sub, item, None))
        for value, item in new.items():
            if value not in old:
                out.append(FieldChange(ADDED, f"{path}[{key}={value}]", None, item))
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (b, a) in enumerate(zip(before, after)):
            _walk(b, a, _join(path, i), out)
    elif _numbers(before, after) and before == after:
        return  # 1 and 1.0 are the same JSON number
    elif type(before) is not type(after) or before != after:
        out.append(FieldChange(CHANGED, path, before, after))


MERGE_KEYS = ("type", "name")  # conditions by type; containers, ports, volumes, env by name


def _merge_key(before: list, after: list) -> str | None:
    """The key that identifies the items of both lists, as a strategic merge patch matches them
    (``conditions`` by ``type``, ``containers`` by ``name``), or None: then items go by position."""
    items = before + after
    for key in MERGE_KEYS:
        if items and all(isinstance(i, dict) and isinstance(i.get(key), str) for i in items) \
                and all(len({i[key] for i in lst}) == len(lst) for lst in (before, after)):
            # the same items in the same order are clearer by position (containers[0])
            return None if [i[key] for i in before] == [i[key] for i in after] else key
    return None


def _numbers(a: Any, b: Any) -> bool:
    return all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))


def _added(value: Any, path: str, out: FieldChanges) -> None:
    """A new field: a new non-empty object is listed leaf by leaf, anything else whole."""
    if isinstance(value, dict) and value:
        for key, sub in value.items():
            _added(sub, _join(path, key), out)
    else:
        out.append(FieldChange(ADDED, path, None, value))


def field_changes(before: dict, after: dict) -> FieldChanges:
    """Every field that differs between two JSON objects: in each object, first the fields of
    ``before`` (changed or removed) in their order, then the fields only ``after`` has.

    Lists whose items all carry a ``type`` (conditions) or a ``name`` (containers, ports) and were
    reordered, added to or taken from are matched by it, as a strategic merge patch matches them
    (``status.conditions[type=Ready].status``); other lists of the same length item by item, and a
    list whose length changed is one change. A
    number never equals a string or a bool (``3`` is not ``"3"``), but ``1`` equals ``1.0``.

    >>> print(field_changes({"c": [{"type": "A", "s": "1"}, {"type": "B", "s": "1"}]},
    ...                     {"c": [{"type": "B", "s": "2"}, {"type": "A", "s": "1"}]}))
    ~ c[type=B].s  "1" → "2"

    >>> print(field_changes({"spec": {"replicas": "3", "paused": False}}, {"spec": {"replicas": 3}}))
    ~ spec.replicas  "3" → 3
    - spec.paused    false
    """
    out = FieldChanges()
    _walk(before, after, "", out)
    return out
