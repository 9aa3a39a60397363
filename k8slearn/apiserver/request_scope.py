"""The request scope: how a handler resolves what a request names before it acts on it.

Every verb handler starts the same way: the URL's resource (or, for a body, its ``apiVersion``
and ``kind``) names a served resource, or the request fails with 404; a body is decoded into the
server's own mutable copy, its JSON types checked before defaulting; a namespaced resource gets a
namespace; label and field selectors are parsed and checked against the resource.

>>> from k8slearn.api.resources import RESOURCES
>>> RequestScope._ref(RESOURCES["pods"], "default", "web"), RequestScope._ref(RESOURCES["nodes"], None, "n1")
('pod/default/web', 'node/n1')
>>> body = {"kind": "Pod", "metadata": {"name": "web"}}
>>> RequestScope._kind_info(body, None).plural, body["apiVersion"]
('pods', 'v1')

Simplified: no content negotiation (bodies are dicts, not bytes), one API version per group; the
one conversion is on reads of events.k8s.io Events (``k8slearn/api/conversion.py``), none on writes.

Upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go (RequestScope),
staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go (decoding a body)
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.api.errors import bad_request, status_error
from k8slearn.api.fields import FieldSelector, FieldSelectorError, parse_field_selector
from k8slearn.api.labels import Selector
from k8slearn.api.resources import NoKindMatchError, ResourceInfo, UnknownResourceError, by_kind, lookup
from k8slearn.api.selector_parser import parse_selector
from k8slearn.api.validation.decode import decode_body
from k8slearn.api.validation.decode_struct import json_kind
from k8slearn.api.validation.unknown_fields import (
    drop_unknown_fields,
    strict_error,
    type_error,
    unknown_fields,
)
from k8slearn.apiserver.scale import SCALABLE
from k8slearn.apiserver.strategy import strategy_for
from k8slearn.apiserver.watch import Selection

NOT_FOUND_RESOURCE = "the server could not find the requested resource"


class RequestScope:
    """What every handler of ``APIServer`` uses to resolve a request (the server inherits it)."""

    @staticmethod
    def _info(resource: str) -> ResourceInfo:
        try:
            return lookup(resource)
        except UnknownResourceError:
            raise status_error(404, "NotFound", NOT_FOUND_RESOURCE, {}) from None

    @staticmethod
    def _kind_info(obj: dict, resource: str | None) -> ResourceInfo:
        """The resource of a request body: its apiVersion/kind, filled from ``resource`` if missing."""
        for field in ("apiVersion", "kind"):  # the serializer's Interpret reads both as strings first
            if obj.get(field) is not None and not isinstance(obj[field], str):
                raise bad_request(f"couldn't get version/kind; json parse error: json: cannot unmarshal "
                                  f"{json_kind(obj[field])} into Go struct field .{field} of type string")
        if resource is not None:
            info = RequestScope._info(resource)
            obj.setdefault("apiVersion", info.api_version)
            obj.setdefault("kind", info.kind)
            if (obj["apiVersion"], obj["kind"]) != (info.api_version, info.kind):
                raise bad_request(f"the object provided is unrecognized (must be of type {info.kind})")
            return info
        kind = obj.get("kind")
        if not kind:
            raise bad_request(f"Object 'Kind' is missing in '{json.dumps(obj, separators=(',', ':'))}'")
        if not obj.get("apiVersion"):
            try:
                info = lookup(kind)
            except UnknownResourceError:
                raise status_error(404, "NotFound", f'no matches for kind "{kind}"', {}) from None
            obj["apiVersion"] = info.api_version
        try:
            return by_kind(obj["apiVersion"], kind)
        except NoKindMatchError as e:
            raise status_error(404, "NotFound", str(e), {}) from None

    def _decode(self, obj: Any, resource: str | None,
                field_validation: str | None = None) -> tuple[dict, ResourceInfo, dict]:
        """A mutable copy of a request body, its resource, and its metadata. Unknown fields are
        refused (``field_validation`` "Strict") or dropped ("Warn", "Ignore"); None: not looked for
        (see ``field_validation``)."""
        if not isinstance(obj, dict):
            raise bad_request("the body of the request was in an unknown format")
        obj = dict(obj)  # the top of the server's own copy: apiVersion and kind may be filled in
        info = self._kind_info(obj, resource)
        obj, problem = decode_body(obj)  # the rest of the copy, made while checking the JSON types
        if problem:
            raise bad_request(problem)  # a value of the wrong JSON type never reaches defaulting
        if field_validation is not None:  # (a user's request: the whole object against its Go types)
            wrong = type_error(obj)
            if wrong:
                version = info.api_version.rpartition("/")[2]
                raise bad_request(f'{info.kind} in version "{version}" cannot be handled as a {info.kind}: '
                                  f"{wrong}")
        if field_validation == "Strict":
            unknown = unknown_fields(obj)
            if unknown:
                version = info.api_version.rpartition("/")[2]
                raise bad_request(f'{info.kind} in version "{version}" cannot be handled as a {info.kind}: '
                                  f"{strict_error(unknown)}")
        elif field_validation is not None:
            dropped = drop_unknown_fields(obj)
            if field_validation == "Warn" and dropped and getattr(self, "warnings", None) is not None:
                self.warnings.extend(f'unknown field "{path}"' for path in dropped)
        meta = obj.get("metadata")
        if not isinstance(meta, dict):
            meta = obj["metadata"] = {}
        return obj, info, meta

    @staticmethod
    def _field_validation(actor: str, requested: str) -> str | None:
        """How a request's unknown fields are handled: as its ``fieldValidation`` parameter says
        (kubectl sends Strict unless ``--validate`` says otherwise), else the server's default, Warn
        (dropped). A component of the cluster (the kubelets, the controllers, the scheduler) writes
        only the fields its types have: its requests are not walked (None), a simulation speed-up
        with the same result."""
        if requested:
            if requested not in ("Strict", "Warn", "Ignore"):
                raise bad_request(f"fieldValidation parameter unsupported: {requested}")
            return requested
        return "Warn" if actor == "kubectl" else None

    @staticmethod
    def _check_subresource(info: ResourceInfo, subresource: str) -> None:
        """Only kinds with a status subresource have /status; only namespaces have /finalize; only
        Deployments, ReplicaSets and StatefulSets have /scale; only pods have /ephemeralcontainers."""
        served = {"": True, "status": strategy_for(info.plural).has_status,
                  "finalize": info.plural == "namespaces", "scale": info.plural in SCALABLE,
                  "ephemeralcontainers": info.plural == "pods"}
        if not served.get(subresource, False):
            raise status_error(404, "NotFound", NOT_FOUND_RESOURCE, {})

    @staticmethod
    def _check_stored(info: ResourceInfo, method: str, name: str = "") -> None:
        """A resource computed at request time (componentstatuses) has routes for get and list only:
        any other method is go-restful's 405, whose plain-text body client-go words as
        NewGenericServerResponse does: ``the server does not allow this method on the requested
        resource (delete componentstatuses scheduler)``."""
        if not info.computed:
            return
        request = " ".join(part for part in (method, info.group_resource, name) if part)
        cause = {"reason": "UnexpectedServerResponse", "message": "405: Method Not Allowed"}
        details = {"name": name} if name else {}
        details.update(kind=info.plural, causes=[cause])  # (the core group: no "group")
        message = f"the server does not allow this method on the requested resource ({request})"
        raise status_error(405, "MethodNotAllowed", message, details)

    @staticmethod
    def _namespace(info: ResourceInfo, namespace: str | None) -> str | None:
        return (namespace or "default") if info.namespaced else None

    @staticmethod
    def _ref(info: ResourceInfo, namespace: str | None, name: str) -> str:
        return f"{info.singular}/{namespace}/{name}" if info.namespaced else f"{info.singular}/{name}"

    def _selection(self, info: ResourceInfo, namespace: str | None, label_selector: Any,
                   field_selector: Any) -> Selection:
        label: Selector | None = None
        fields: FieldSelector | None = None
        try:
            if isinstance(label_selector, Selector):
                label = label_selector
            elif label_selector:
                label = parse_selector(label_selector)
            if isinstance(field_selector, FieldSelector):
                fields = field_selector
            elif field_selector:
                fields = parse_field_selector(field_selector)
            if fields is not None:
                fields.check(info.plural)
        except (ValueError, FieldSelectorError) as e:
            raise bad_request(str(e)) from None
        return Selection(namespace if info.namespaced else None, label, fields)


def _parse_resource_version(rv: Any) -> int:
    try:
        value = int(str(rv))
    except ValueError:
        value = -1
    if value < 0:
        raise bad_request(f"invalid resource version: {rv}")
    return value
