"""Container validation: names, images, ports, env, mounts, probes and resource requests/limits.

>>> errs = validate_containers([{"name": "web", "terminationMessagePolicy": "File",
...                               "imagePullPolicy": "Always"}], {}, Path("spec.containers"))
>>> [e.error() for e in errs]
['spec.containers[0].image: Required value']

Environment variables: :mod:`k8slearn.api.validation.env`.

Simplifies: no volumeDevices, securityContext or resize policy checks.

Upstream: pkg/apis/core/validation/validation.go (validateContainers, validateContainerCommon,
validateContainerPorts, ValidateEnv, ValidateVolumeMounts, validateLifecycle, validateHandler, validateProbe,
ValidateResourceRequirements)
"""

from __future__ import annotations

import re
from typing import Any

from k8slearn.api import field
from k8slearn.api.field import FieldError, GoValue, Path
from k8slearn.api.names import (
    is_dns1123_label,
    is_qualified_name,
    is_valid_port_name,
    is_valid_port_num,
    regex_error,
)
from k8slearn.api.quantity import parse_quantity
from k8slearn.api.validation.common import IS_NEGATIVE, as_dict, as_list, nonnegative
from k8slearn.api.validation.env import env_var_name_errors, validate_env, validate_env_from

__all__ = ["env_var_name_errors", "validate_container_common", "validate_containers", "validate_init_containers"]

PROTOCOLS = ["SCTP", "TCP", "UDP"]
PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"]
NOT_RESTARTABLE = "may not be set for init containers without restartPolicy=Always"
STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
STANDARD_RESOURCES = STANDARD_CONTAINER_RESOURCES | {
    "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
    "persistentvolumeclaims", "storage", "requests.cpu", "requests.memory", "requests.storage",
    "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage"}


def validate_containers(containers: Any, volumes: dict, path: Path, grace: Any = None) -> list[FieldError]:
    """validateContainers: at least one; each valid, names unique, lifecycle hooks (``grace``: the
    pod's terminationGracePeriodSeconds), probes, no restartPolicy."""
    containers = as_list(containers)
    if not containers:
        return [field.required(path)]
    errs, names = [], set()
    for i, c in enumerate(containers):
        c, p = as_dict(c), path.index(i)
        errs += validate_container_common(c, volumes, p)
        if c.get("name") in names:
            errs.append(field.duplicate(p.child("name"), c.get("name")))
        else:
            names.add(c.get("name"))
        errs += _lifecycle(c, p, grace)
        errs += _probes(c, p, allowed=True, grace=grace)
        if c.get("restartPolicy") is not None:
            errs.append(field.forbidden(p.child("restartPolicy"), "may not be set for non-init containers"))
    return errs + host_port_conflicts(containers, path)


def validate_init_containers(inits: Any, regular: Any, volumes: dict, path: Path,
                             grace: Any = None) -> list[FieldError]:
    """validateInitContainers: names unique with the regular containers; ``restartPolicy`` only
    ``Always`` (a native sidecar); lifecycle hooks and probes only on such a sidecar."""
    errs = []
    names = {as_dict(c).get("name") for c in as_list(regular)}
    for i, c in enumerate(as_list(inits)):
        c, p = as_dict(c), path.index(i)
        errs += validate_container_common(c, volumes, p)
        policy = c.get("restartPolicy")
        if policy is not None and policy != "Always":
            errs.append(field.not_supported(p.child("restartPolicy"), policy, ["Always"]))
        name = c.get("name")
        if name in names:
            errs.append(field.duplicate(p.child("name"), name))
        elif name:
            names.add(name)
        errs += host_port_conflicts([c], path)
        if policy != "Always" and c.get("lifecycle") is not None:
            errs.append(field.forbidden(p.child("lifecycle"), NOT_RESTARTABLE))
        elif policy == "Always":
            errs += _lifecycle(c, p, grace)
        errs += _probes(c, p, allowed=policy == "Always", grace=grace)
    return errs


# allowedEphemeralContainerFields: what an ephemeral container may set (the others are False)
EPHEMERAL_FORBIDDEN = ("ports", "resources", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
                       "resizePolicy", "restartPolicy")
EPHEMERAL_FORBIDDEN_MSG = "cannot be set for an Ephemeral Container"


def validate_ephemeral_containers(ephemeral: Any, containers: Any, inits: Any, volumes: dict,
                                  path: Path) -> list[FieldError]:
    """validateEphemeralContainers: each is a valid container whose name no other container of the
    pod has, whose ``targetContainerName`` names one of the pod's containers, and which sets none of
    what a debugging container may not have (ports, resources, probes, lifecycle: they would make it
    part of the workload), nor a volume mount's subPath."""
    errs = []
    others = {as_dict(c).get("name") for c in as_list(containers) + as_list(inits)}
    names = set(others)
    for i, c in enumerate(as_list(ephemeral)):
        c, p = as_dict(c), path.index(i)
        errs += validate_container_common(c, volumes, p)
        name = c.get("name")
        if name in names:
            errs.append(field.duplicate(p.child("name"), name))
        else:
            names.add(name)
        target = c.get("targetContainerName")
        if target and target not in others:
            errs.append(field.not_found(p.child("targetContainerName"), target))
        for key in EPHEMERAL_FORBIDDEN:
            if _set(c.get(key)):
                errs.append(field.forbidden(p.child(key), EPHEMERAL_FORBIDDEN_MSG))
        for j, mount in enumerate(as_list(c.get("volumeMounts"))):
            for key in ("subPath", "subPathExpr"):
                if as_dict(mount).get(key):
                    errs.append(field.forbidden(p.child("volumeMounts").index(j).child(key), EPHEMERAL_FORBIDDEN_MSG))
    return errs


def _set(value: Any) -> bool:
    """Not Go's zero value: absent, empty, or an object with nothing set in it."""
    if isinstance(value, dict):
        return any(_set(v) for v in value.values())
    if isinstance(value, (list, str)):
        return bool(value)
    return value is not None and value is not False


def validate_container_common(c: dict, volumes: dict, path: Path) -> list[FieldError]:
    """validateContainerCommon: what every container (regular or init) must satisfy."""
    errs = []
    name = c.get("name") or ""
    if not name:
        errs.append(field.required(path.child("name")))
    else:
        errs += [field.invalid(path.child("name"), name, m) for m in is_dns1123_label(name)]
    if not c.get("image"):
        errs.append(field.required(path.child("image")))
    policy = c.get("terminationMessagePolicy") or ""
    if not policy:
        errs.append(field.required(path.child("terminationMessagePolicy")))
    elif policy not in MESSAGE_POLICIES:
        errs.append(field.not_supported(path.child("terminationMessagePolicy"), policy, MESSAGE_POLICIES))
    errs += validate_container_ports(c.get("ports"), path.child("ports"))
    errs += validate_env(c.get("env"), path.child("env"))
    errs += validate_env_from(c.get("envFrom"), path.child("envFrom"))
    errs += _volume_mounts(c.get("volumeMounts"), volumes, path.child("volumeMounts"))
    pull = c.get("imagePullPolicy") or ""
    if not pull:
        errs.append(field.required(path.child("imagePullPolicy")))
    elif pull not in PULL_POLICIES:
        errs.append(field.not_supported(path.child("imagePullPolicy"), pull, PULL_POLICIES))
    return errs + validate_resource_requirements(c.get("resources"), path.child("resources"))


def validate_container_ports(ports: Any, path: Path) -> list[FieldError]:
    errs, names = [], set()
    for i, port in enumerate(as_list(ports)):
        port, p = as_dict(port), path.index(i)
        name = port.get("name") or ""
        if name:
            msgs = is_valid_port_name(name)
            if msgs:
                errs += [field.invalid(p.child("name"), name, m) for m in msgs]
            elif name in names:
                errs.append(field.duplicate(p.child("name"), name))
            else:
                names.add(name)
        cport = port.get("containerPort") or 0
        if not cport:
            errs.append(field.required(p.child("containerPort")))
        else:
            errs += [field.invalid(p.child("containerPort"), cport, m) for m in is_valid_port_num(cport)]
        if port.get("hostPort"):
            errs += [field.invalid(p.child("hostPort"), port["hostPort"],
                                   m) for m in is_valid_port_num(port["hostPort"])]
        protocol = port.get("protocol") or ""
        if not protocol:
            errs.append(field.required(p.child("protocol")))
        elif protocol not in PROTOCOLS:
            errs.append(field.not_supported(p.child("protocol"), protocol, PROTOCOLS))
    return errs


def host_port_conflicts(containers: list, path: Path) -> list[FieldError]:
    """AccumulateUniqueHostPorts: one protocol/hostIP/hostPort per pod."""
    errs, seen = [], set()
    for ci, c in enumerate(containers):
        for pi, port in enumerate(as_list(as_dict(c).get("ports"))):
            port = as_dict(port)
            if not port.get("hostPort"):
                continue
            key = f"{port.get('protocol', '')}/{port.get('hostIP', '')}/{port['hostPort']}"
            if key in seen:
                errs.append(field.duplicate(path.index(ci).child("ports").index(pi).child("hostPort"), key))
            seen.add(key)
    return errs


def _volume_mounts(mounts: Any, volumes: dict, path: Path) -> list[FieldError]:
    errs, points = [], set()
    for i, m in enumerate(as_list(mounts)):
        m, p = as_dict(m), path.index(i)
        if not m.get("name"):
            errs.append(field.required(p.child("name")))
        if m.get("name") not in volumes:
            errs.append(field.not_found(p.child("name"), m.get("name", "")))
        if not m.get("mountPath"):
            errs.append(field.required(p.child("mountPath")))
        if m.get("mountPath") in points:
            errs.append(field.invalid(p.child("mountPath"), m.get("mountPath"), "must be unique"))
        points.add(m.get("mountPath"))
    return errs


# (v1.32 names the gate by its option's name, AllowPodLifecycleSleepActionZeroValue, in the message)
SLEEP_SECONDS_MSG = ("must be greater than 0 and less than terminationGracePeriodSeconds ({}). "
                     "Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.")
LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")  # handlerFromLifecycle
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")  # handlerFromProbe
HTTP_SCHEMES = ["HTTP", "HTTPS"]  # sets.List(supportedHTTPSchemes): sorted
_HTTP_HEADER_NAME = re.compile(r"[-A-Za-z0-9]+")
HTTP_HEADER_NAME_MSG = regex_error("a valid HTTP header must consist of alphanumeric characters or '-'",
                                   "[-A-Za-z0-9]+", "X-Header-Name")


def _lifecycle(c: dict, path: Path, grace: Any) -> list[FieldError]:
    """validateLifecycle: postStart, then preStop, each through validateHandler (exactly one
    handler, each valid; a sleep lasts more than 0 s and at most the pod's grace period)."""
    lifecycle = c.get("lifecycle")
    if lifecycle is None:
        return []
    errs = []
    for hook in ("postStart", "preStop"):
        handler = as_dict(lifecycle).get(hook)
        if handler is not None:
            errs += _handler(as_dict(handler), LIFECYCLE_HANDLERS, grace, path.child("lifecycle", hook))
    return errs


def _handler(handler: dict, kinds: tuple, grace: Any, path: Path) -> list[FieldError]:
    """validateHandler: the first handler set (in the order exec, httpGet, tcpSocket, grpc, sleep) is
    validated, each later one is Forbidden at its place in that order, none at all is Required."""
    errs, found = [], False
    for kind in kinds:
        if handler.get(kind) is None:
            continue
        ap = path.child(kind)
        if found:
            errs.append(field.forbidden(ap, "may not specify more than 1 handler type"))
            continue
        found = True
        action = as_dict(handler[kind])
        if kind == "exec":
            errs += _exec_action(action, ap)
        elif kind == "httpGet":
            errs += _http_get_action(action, ap)
        elif kind == "tcpSocket":
            errs += port_num_or_name(action.get("port"), ap.child("port"))  # validateTCPSocketAction
        elif kind == "grpc":
            errs += _grpc_action(action, ap)
        else:
            errs += _sleep_action(action, grace, ap)
    if not found:
        errs.append(field.required(path, "must specify a handler type"))
    return errs


def _exec_action(action: dict, path: Path) -> list[FieldError]:
    """validateExecAction: a command is required."""
    return [] if as_list(action.get("command")) else [field.required(path.child("command"))]


def _http_get_action(action: dict, path: Path) -> list[FieldError]:
    """validateHTTPGetAction: path required, the port a number or name, the scheme HTTP or HTTPS
    (case matters), each header name an HTTP token (IsHTTPHeaderName), reported at ``httpHeaders``."""
    errs = []
    if not action.get("path"):
        errs.append(field.required(path.child("path")))
    errs += port_num_or_name(action.get("port"), path.child("port"))
    scheme = action.get("scheme") or ""
    if scheme not in HTTP_SCHEMES:
        errs.append(field.not_supported(path.child("scheme"), scheme, HTTP_SCHEMES))
    for header in as_list(action.get("httpHeaders")):
        name = as_dict(header).get("name") or ""
        if not isinstance(name, str) or not _HTTP_HEADER_NAME.fullmatch(name):
            errs.append(field.invalid(path.child("httpHeaders"), name, HTTP_HEADER_NAME_MSG))
    return errs


def _grpc_action(action: dict, path: Path) -> list[FieldError]:
    """validateGRPCAction: ValidatePortNumOrName of the int32 port (so 1..65535; 0 when unset)."""
    port = action.get("port")
    port = port if isinstance(port, int) and not isinstance(port, bool) else 0
    return [field.invalid(path.child("port"), port, m) for m in is_valid_port_num(port)]


def _sleep_action(action: dict, grace: Any, path: Path) -> list[FieldError]:
    """validateSleepAction (gate PodLifecycleSleepActionAllowZero off): 0 < seconds <= the pod's
    terminationGracePeriodSeconds; nothing is checked without a grace period."""
    if not isinstance(grace, int):
        return []
    seconds = action.get("seconds", 0)
    if not isinstance(seconds, int) or not 0 < seconds <= grace:
        return [field.invalid(path, seconds, SLEEP_SECONDS_MSG.format(grace))]
    return []


PROBE_NONNEGATIVE = ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                     "failureThreshold")


def _probes(c: dict, path: Path, allowed: bool, grace: Any = None) -> list[FieldError]:
    """validateLivenessProbe, validateReadinessProbe and validateStartupProbe, in that order (or,
    on an init container that is not a sidecar, Forbidden for each probe set)."""
    errs = []
    for name in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = c.get(name)
        if probe is None:
            continue
        p = path.child(name)
        if not allowed:
            errs.append(field.forbidden(p, NOT_RESTARTABLE))
            continue
        probe = as_dict(probe)
        errs += _probe(probe, grace, p)
        if name == "readinessProbe":
            if probe.get("terminationGracePeriodSeconds") is not None:
                errs.append(field.invalid(p.child("terminationGracePeriodSeconds"),
                                          probe["terminationGracePeriodSeconds"],
                                          "must not be set for readinessProbes"))
        elif probe.get("successThreshold", 1) != 1:
            errs.append(field.invalid(p.child("successThreshold"), probe.get("successThreshold"),
                                      "must be 1"))
    return errs


def _probe(probe: dict, grace: Any, path: Path) -> list[FieldError]:
    """validateProbe: the handler (validateHandler of handlerFromProbe), the nonnegative timings and
    thresholds, and a probe-level terminationGracePeriodSeconds above 0."""
    errs = _handler(probe, PROBE_HANDLERS, grace, path)
    for key in PROBE_NONNEGATIVE:
        errs += nonnegative(probe.get(key, 0), path.child(key))
    seconds = probe.get("terminationGracePeriodSeconds")
    if isinstance(seconds, int) and seconds <= 0:
        errs.append(field.invalid(path.child("terminationGracePeriodSeconds"), seconds,
                                  "must be greater than 0"))
    return errs


def port_num_or_name(port: Any, path: Path) -> list[FieldError]:
    """ValidatePortNumOrName: a number in 1..65535 or an IANA service name."""
    if isinstance(port, str):
        return [field.invalid(path, port, m) for m in is_valid_port_name(port)]
    port = port if isinstance(port, int) else 0
    return [field.invalid(path, port, m) for m in is_valid_port_num(port)]


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def _overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not _is_hugepages(name)


def _resource_name_errors(name: str, path: Path) -> list[FieldError]:
    """validateContainerResourceName: a qualified name, standard for containers or extended."""
    errs = [field.invalid(path, name, m) for m in is_qualified_name(name)]
    if errs:
        return errs
    if "/" not in name:
        if name not in STANDARD_RESOURCES and not _is_hugepages(name):
            errs.append(field.invalid(path, name, "must be a standard resource type or fully qualified"))
        if name not in STANDARD_CONTAINER_RESOURCES and not _is_hugepages(name):
            errs.append(field.invalid(path, name, "must be a standard resource for containers"))
    elif not _is_native(name) and (name.startswith("requests.") or is_qualified_name("requests." + name)):
        errs.append(field.invalid(path, name, "doesn't follow extended resource name standard"))
    return errs


def _quantity_errors(name: str, q, path: Path) -> list[FieldError]:
    errs = []
    if q.amount < 0:
        errs.append(field.invalid(path, str(q), IS_NEGATIVE))
    if not _is_native(name) and q.milli_value() % 1000:
        errs.append(field.invalid(path, GoValue(str(q)), "must be an integer"))
    return errs


def _huge_page_value_errors(name: str, q, path: Path) -> list[FieldError]:
    """validateResourceQuantityHugePageValue: hugepages come in whole pages of the size the name
    gives (``hugepages-2Mi: 3Mi`` is refused). Upstream allows indivisible values only on an update
    of a pod that already had them."""
    if not _is_hugepages(name) or _huge_page_value_divisible(name, q):
        return []
    return [field.invalid(path, str(q), f"{q} is not positive integer multiple of {name}")]


def _huge_page_value_divisible(name: str, q) -> bool:
    """IsHugePageResourceValueDivisible: the page size parses, is a positive whole number and
    divides the value."""
    try:
        page = parse_quantity(name[len("hugepages-"):])
    except ValueError:
        return False
    if page.amount <= 0 or page.milli_value() % 1000:
        return False
    return q.value() % page.value() == 0


def validate_resource_requirements(resources: Any, path: Path) -> list[FieldError]:
    """ValidateResourceRequirements: names, non-negative quantities, requests <= limits."""
    resources = as_dict(resources)
    lim_path, req_path = path.child("limits"), path.child("requests")
    limits, requests = _quantities(resources.get("limits")), _quantities(resources.get("requests"))
    errs = []
    for name, q in limits.items():
        errs += _resource_name_errors(name, lim_path.key(name))
        errs += _quantity_errors(name, q, lim_path.key(name))
        errs += _huge_page_value_errors(name, q, lim_path.key(name))
    for name, q in requests.items():
        errs += _resource_name_errors(name, req_path.key(name))
        errs += _quantity_errors(name, q, req_path.key(name))
        limit = limits.get(name)
        if limit is not None:
            if q != limit and not _overcommit_allowed(name):
                errs.append(field.invalid(req_path, str(q), f"must be equal to {name} limit of {limit}"))
            elif q > limit:
                errs.append(field.invalid(req_path, str(q),
                                          f"must be less than or equal to {name} limit of {limit}"))
        elif not _overcommit_allowed(name):
            errs.append(field.required(lim_path, "Limit must be set for non overcommitable resources"))
        errs += _huge_page_value_errors(name, q, req_path.key(name))
    names = set(limits) | set(requests)
    if any(_is_hugepages(n) for n in names) and not names & {"cpu", "memory"}:
        errs.append(field.forbidden(path, "HugePages require cpu or memory"))
    return errs


def _quantities(values: Any) -> dict:
    """Parseable quantities by resource name, sorted (unparseable ones never reach validation upstream)."""
    out = {}
    for name, value in sorted(as_dict(values).items()):
        try:
            out[name] = parse_quantity(value)
        except ValueError:
            continue
    return out
