"""API errors: the Kubernetes ``Status`` object a failed request returns, raised as ``ApiError``.

Every builder returns an ``ApiError`` whose ``.status`` is the full Status dict the real API
server would send, whose ``.code`` is the HTTP code and whose ``str()`` is the message.

>>> from k8slearn.api.resources import lookup
>>> err = not_found(lookup("pods"), "web")
>>> err.code, err.reason, str(err)
(404, 'NotFound', 'pods "web" not found')
>>> err.status["details"]
{'name': 'web', 'kind': 'pods'}
>>> from k8slearn.api import field
>>> str(invalid(lookup("pods"), "web", [field.required("spec.containers[0].image")]))
'Pod "web" is invalid: spec.containers[0].image: Required value'

Simplifies: no retryAfterSeconds, no ``uid`` in details.

Upstream: staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go,
staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go (Status)
"""

from __future__ import annotations

from typing import Iterable

from k8slearn.api.field import FieldError, aggregate
from k8slearn.api.resources import ResourceInfo

OPTIMISTIC_LOCK_MSG = ("the object has been modified; please apply your changes to the latest version "
                       "and try again")


class ApiError(Exception):
    """A request failed; ``.status`` is the Kubernetes Status object."""

    def __init__(self, status: dict) -> None:
        super().__init__(status.get("message", ""))
        self.status = status

    @classmethod
    def from_status(cls, status: dict) -> "ApiError":
        return cls(status)

    @property
    def code(self) -> int:
        return int(self.status.get("code", 0))

    @property
    def reason(self) -> str:
        return self.status.get("reason", "")

    @property
    def message(self) -> str:
        return self.status.get("message", "")

    @property
    def details(self) -> dict:
        return self.status.get("details", {})

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ApiError({self.code}, {self.reason!r}, {self.message!r})"


NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating"  # v1.NamespaceTerminatingCause


def namespace_terminating(err: ApiError) -> bool:
    """errors.HasStatusCause(err, v1.NamespaceTerminatingCause): a create refused because its
    namespace is being deleted (it will keep failing, so controllers do not count it a failure)."""
    return any(c.get("reason") == NAMESPACE_TERMINATING_CAUSE for c in err.details.get("causes") or ())


def status_error(code: int, reason: str, message: str, details: dict | None = None) -> ApiError:
    """A Status failure with the fields in the order the API server writes them."""
    status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
              "message": message, "reason": reason}
    if details is not None:
        status["details"] = details
    status["code"] = code
    return ApiError(status)


def _details(name: str = "", group: str = "", kind: str = "", causes: list | None = None) -> dict:
    details: dict = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    if kind:
        details["kind"] = kind
    if causes:
        details["causes"] = causes
    return details


def not_found(info: ResourceInfo, name: str) -> ApiError:
    return status_error(404, "NotFound", f'{info.group_resource} "{name}" not found',
                        _details(name, info.group, info.plural))


def already_exists(info: ResourceInfo, name: str) -> ApiError:
    return status_error(409, "AlreadyExists", f'{info.group_resource} "{name}" already exists',
                        _details(name, info.group, info.plural))


def conflict(info: ResourceInfo, name: str, detail: str = OPTIMISTIC_LOCK_MSG) -> ApiError:
    return status_error(409, "Conflict",
                        f'Operation cannot be fulfilled on {info.group_resource} "{name}": {detail}',
                        _details(name, info.group, info.plural))


def invalid(info: ResourceInfo, name: str, errors: Iterable[FieldError]) -> ApiError:
    """422 Invalid: ``<Kind[.group]> "name" is invalid: <errors>``, one cause per field error."""
    errors = list(errors)
    message = f'{info.group_kind} "{name}" is invalid'
    if errors:
        message += ": " + aggregate(errors)
    causes = [e.cause() for e in errors]
    return status_error(422, "Invalid", message, _details(name, info.group, info.kind, causes))


def bad_request(message: str) -> ApiError:
    return status_error(400, "BadRequest", message)


def expired(message: str) -> ApiError:
    """410 Gone, reason Expired, e.g. ``too old resource version: 5 (120)``."""
    return status_error(410, "Expired", message)


def forbidden(info: ResourceInfo, name: str, message: str) -> ApiError:
    if name:
        text = f'{info.group_resource} "{name}" is forbidden: {message}'
    else:
        text = f"{info.group_resource} is forbidden: {message}"
    return status_error(403, "Forbidden", text, _details(name, info.group, info.plural))


def method_not_allowed(info: ResourceInfo, action: str) -> ApiError:
    """405: ``<action> is not supported on resources of kind "<group resource>"``."""
    return status_error(405, "MethodNotAllowed",
                        f'{action} is not supported on resources of kind "{info.group_resource}"',
                        _details(group=info.group, kind=info.plural))


def internal_error(message: str) -> ApiError:
    return status_error(500, "InternalError", f"Internal error occurred: {message}",
                        {"causes": [{"message": message}]})


# -- streamed connections (pods/exec) -------------------------------------------------------------
class StreamError(Exception):
    """An exec stream the kubelet refused with a plain-text body (its ``http.Error``, e.g.
    ``container not found ("nginx")``); the API server's stream translator, which has upgraded
    kubectl's websocket already, reports it as an InternalError, so kubectl prints
    ``error: Internal error occurred: unable to upgrade connection: <body>``."""


class ExecInternalError(Exception):
    """An exec stream that ended with an InternalError Status (the command could not start);
    ``str()`` is the cause, which kubectl prints after ``error: Internal error occurred: ``."""
