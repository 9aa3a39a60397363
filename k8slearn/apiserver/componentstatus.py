"""componentstatuses: the health of the control plane, worked out by the API server when asked.

``kubectl get componentstatuses`` (``cs``) reads no object from etcd: for each request the API
server probes the components it knows about and answers with one ComponentStatus per component,
made there and then. kube-scheduler and kube-controller-manager are probed at ``/healthz`` on their
default secure ports *on the API server's own machine* (``127.0.0.1``); each etcd server the API
server stores into is probed through its client (``etcd-0`` for the first):

>>> checks = {"scheduler": lambda: True, "controller-manager": lambda: False, "etcd-0": lambda: True}
>>> [(s["metadata"]["name"], s["conditions"][0]["status"]) for s in list_component_statuses(checks)]
[('scheduler', 'True'), ('controller-manager', 'False'), ('etcd-0', 'True')]
>>> list_component_statuses(checks)[1]["conditions"][0]["message"]
'Get "https://127.0.0.1:10257/healthz": dial tcp 127.0.0.1:10257: connect: connection refused'

A component that is down (its machine powered off, its process restarting) is ``Unhealthy``: the
probe's connection error is the condition's message (the HTTP prober turns a failed connection into
a Failure whose output is the error text, so the ERROR column stays empty). The API has been
deprecated since v1.19: every answer carries the warning kubectl prints first. It serves get and
list only (a watch is a 405; create, update, patch and delete have no route).

Simplified: the items come in one fixed order (scheduler, controller-manager, etcd-0); upstream
probes them in parallel and lists them in the order the probes finish. The simulated etcd is never
down, so etcd-0 is always Healthy.

Upstream: pkg/registry/core/componentstatus/rest.go (REST.List, REST.Get, getComponentStatus),
pkg/registry/core/componentstatus/validator.go (HttpServer.DoServerCheck, EtcdServer.DoServerCheck),
pkg/registry/core/rest/storage_core.go (componentStatusStorage.serversToValidate),
pkg/probe/http/http.go (DoHTTPProbe), staging/src/k8s.io/api/core/v1/types.go (ComponentStatus:
+k8s:prerelease-lifecycle-gen:deprecated=1.19)
"""

from __future__ import annotations

from typing import Callable

from k8slearn.api.errors import status_error

__all__ = ["DEPRECATION_WARNING", "SERVERS", "get_component_status", "list_component_statuses"]

# The warning the API server adds to every answer about a deprecated kind (deprecation.go).
DEPRECATION_WARNING = "v1 ComponentStatus is deprecated in v1.19+"

# serversToValidate: the name, and the /healthz port the API server probes on 127.0.0.1 (None: etcd,
# probed through its client). kube-scheduler's DefaultKubeSchedulerPort and ports.KubeControllerManagerPort.
SERVERS: dict[str, int | None] = {"scheduler": 10259, "controller-manager": 10257, "etcd-0": None}

HEALTHY = "Healthy"  # the one condition type


def do_server_check(name: str, up: bool) -> tuple[str, str, str]:
    """DoServerCheck: (condition status, message, error). A component's ``/healthz`` answers ``ok``;
    one that is not listening fails the probe with the dial error as its output (DoHTTPProbe: "Convert
    errors into failures"); etcd's client probe answers ``ok``."""
    if up:
        return "True", "ok", ""
    port = SERVERS[name]
    if port is None:  # (never reached: the simulated etcd does not go down)
        return "False", "", "context deadline exceeded"
    url = f"https://127.0.0.1:{port}/healthz"
    return "False", f'Get "{url}": dial tcp 127.0.0.1:{port}: connect: connection refused', ""


def component_status(name: str, status: str, message: str, error: str) -> dict:
    """getComponentStatus: one ComponentStatus with its Healthy condition (empty fields omitted; the
    zero creationTimestamp is written as null, as Go writes a zero metav1.Time)."""
    condition = {"type": HEALTHY, "status": status}
    if message:
        condition["message"] = message
    if error:
        condition["error"] = error
    return {"kind": "ComponentStatus", "apiVersion": "v1",
            "metadata": {"name": name, "creationTimestamp": None}, "conditions": [condition]}


def list_component_statuses(checks: dict[str, Callable[[], bool]]) -> list[dict]:
    """REST.List: every server to validate, probed now. ``checks`` says whether the process behind a
    name is listening; a name it lacks has nothing listening."""
    return [component_status(name, *do_server_check(name, checks.get(name, _down)())) for name in SERVERS]


def get_component_status(checks: dict[str, Callable[[], bool]], name: str) -> dict:
    """REST.Get: one server, probed now. An unknown name is a plain Go error, which the API server
    answers with a 500 whose reason is empty (kubectl: ``Error from server: Component not found: x``)."""
    if name not in SERVERS:
        raise status_error(500, "", f"Component not found: {name}")
    return component_status(name, *do_server_check(name, checks.get(name, _down)()))


def _down() -> bool:
    return False
