"""Validation of the other core/v1 kinds: Service, Node, Namespace, ConfigMap, Secret,
ServiceAccount, Endpoints and Event (create and update).

>>> svc = {"kind": "Service", "metadata": {"name": "web"}, "spec": {"type": "ClusterIP",
...        "sessionAffinity": "None", "internalTrafficPolicy": "Cluster"}}
>>> [e.error() for e in validate_service(svc)]
['spec.ports: Required value']

Simplifies: no IP-family/dual-stack, load-balancer source range, health-check port or topology
annotation checks; node status is not validated; Endpoints are checked for ports only.

Upstream: pkg/apis/core/validation/validation.go (ValidateService, ValidateServiceUpdate,
ValidateNode, ValidateNodeUpdate, ValidateNamespace, ValidateConfigMap, ValidateSecret,
ValidateEventCreate), pkg/apis/core/validation/events.go
"""

from __future__ import annotations

import ipaddress
from typing import Any

from k8slearn.api import field
from k8slearn.api.field import FieldError, GoValue, Path, go_quote
from k8slearn.api.names import (
    is_config_map_key, is_dns1123_label, is_qualified_name, is_valid_label_value, is_valid_port_num,
    name_is_dns1035_label, name_is_dns_label, name_is_dns_subdomain,
)
from k8slearn.api.validation.common import (
    IS_NEGATIVE, as_dict, as_list, validate_immutable, validate_labels, validate_object_meta,
    validate_object_meta_update,
)
from k8slearn.api.validation.containers import PROTOCOLS, port_num_or_name
from k8slearn.api.validation.scheduling import TAINT_EFFECTS

SPEC = Path("spec")
MAX_SECRET_SIZE = 1024 * 1024
SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
VALID_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set"


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def cluster_ips(spec: dict) -> list:
    """spec.clusterIPs, or [spec.clusterIP] as the Service strategy normalizes it."""
    ips = as_list(spec.get("clusterIPs"))
    if not ips and spec.get("clusterIP"):
        ips = [spec["clusterIP"]]
    return ips


def _go_service_port(port: dict) -> GoValue:
    """The duplicate-port key: a ServicePort of only the protocol and port (its name stays empty)."""
    protocol = go_quote(port.get("protocol", ""))
    return GoValue(f"core.ServicePort{{Name:\"\", Protocol:{protocol}, "
                   f"AppProtocol:(*string)(nil), Port:{port.get('port', 0)}, "
                   "TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")


def validate_service(svc: dict) -> list[FieldError]:
    """ValidateService."""
    errs = validate_object_meta(svc.get("metadata"), name_is_dns1035_label)
    spec = as_dict(svc.get("spec"))
    kind, ports, ips = spec.get("type") or "", as_list(spec.get("ports")), cluster_ips(spec)
    headless = ips[:1] == ["None"]
    if not ports and not headless and kind != "ExternalName":
        errs.append(field.required(SPEC.child("ports")))
    if kind in ("LoadBalancer", "NodePort") and headless:
        errs.append(field.invalid(SPEC.child("clusterIPs").index(0), "None",
                                  f"may not be set to 'None' for {kind} services"))
    elif kind == "ExternalName":
        if ips:
            errs.append(field.forbidden(SPEC.child("clusterIPs"), "may not be set for ExternalName services"))
        cname = (spec.get("externalName") or "").removesuffix(".")
        if cname:
            errs += [field.invalid(SPEC.child("externalName"), cname,
                                   m) for m in name_is_dns_subdomain(cname)]
        else:
            errs.append(field.required(SPEC.child("externalName")))
    names: set = set()
    for i, port in enumerate(ports):
        errs += _service_port(as_dict(port), len(ports) > 1, names, SPEC.child("ports").index(i))
    if spec.get("selector") is not None:
        errs += validate_labels(spec.get("selector"), SPEC.child("selector"))
    affinity = spec.get("sessionAffinity") or ""
    if not affinity:
        errs.append(field.required(SPEC.child("sessionAffinity")))
    elif affinity not in ("ClientIP", "None"):
        errs.append(field.not_supported(SPEC.child("sessionAffinity"), affinity, ["ClientIP", "None"]))
    if affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(field.forbidden(SPEC.child("sessionAffinityConfig"),
                                    "must not be set when session affinity is None"))
    if affinity == "ClientIP":
        errs += _client_ip_affinity_config(spec.get("sessionAffinityConfig"), SPEC.child("sessionAffinityConfig"))
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                errs.append(field.invalid(SPEC.child("clusterIPs"), ips,
                                          "'None' must be the first and only value"))
        elif not _is_ip(str(ip)):
            errs.append(field.invalid(SPEC.child("clusterIPs").index(i), ip, VALID_IP))
    if not kind:
        errs.append(field.required(SPEC.child("type")))
    elif kind not in SERVICE_TYPES:
        errs.append(field.not_supported(SPEC.child("type"), kind, SERVICE_TYPES))
    if kind == "ClusterIP":
        for i, port in enumerate(ports):
            if as_dict(port).get("nodePort"):
                errs.append(field.forbidden(SPEC.child("ports").index(i).child("nodePort"),
                                            "may not be used when `type` is 'ClusterIP'"))
    seen_node, seen_port = set(), set()
    for i, port in enumerate(map(as_dict, ports)):
        node_port = port.get("nodePort")
        if node_port:
            if (port.get("protocol"), node_port) in seen_node:
                errs.append(field.duplicate(SPEC.child("ports").index(i).child("nodePort"), node_port))
            seen_node.add((port.get("protocol"), node_port))
    for i, port in enumerate(map(as_dict, ports)):
        key = (port.get("protocol"), port.get("port"))
        if key in seen_port:
            errs.append(field.duplicate(SPEC.child("ports").index(i), _go_service_port(port)))
        seen_port.add(key)
    if spec.get("allocateLoadBalancerNodePorts") is not None and kind != "LoadBalancer":
        errs.append(field.forbidden(SPEC.child("allocateLoadBalancerNodePorts"),
                                    "may only be used when `type` is 'LoadBalancer'"))
    if kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(field.required(Path("allocateLoadBalancerNodePorts")))
    return errs + _traffic_policies(spec, kind)


MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS = 86400


def _client_ip_affinity_config(config: Any, path: Any) -> list:
    """validateClientIPAffinityConfig: ClientIP affinity needs a timeout in (0, 86400] seconds."""
    need = "when session affinity type is ClientIP"
    if not isinstance(config, dict):
        return [field.required(path, need)]
    client_ip = config.get("clientIP")
    if not isinstance(client_ip, dict):
        return [field.required(path.child("clientIP"), need)]
    timeout = client_ip.get("timeoutSeconds")
    if timeout is None:
        return [field.required(path.child("clientIP").child("timeoutSeconds"), need)]
    if isinstance(timeout, int) and not 0 < timeout <= MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS:
        return [field.invalid(path.child("clientIP").child("timeoutSeconds"), timeout,
                              f"must be greater than 0 and less than {MAX_CLIENT_IP_SERVICE_AFFINITY_SECONDS}")]
    return []


def _service_port(port: dict, require_name: bool, names: set, path: Path) -> list[FieldError]:
    errs = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(field.required(path.child("name")))
    elif name:
        errs += [field.invalid(path.child("name"), name, m) for m in is_dns1123_label(name)]
        if name in names:
            errs.append(field.duplicate(path.child("name"), name))
        names.add(name)
    number = port.get("port") if isinstance(port.get("port"), int) else 0
    errs += [field.invalid(path.child("port"), number, m) for m in is_valid_port_num(number)]
    protocol = port.get("protocol") or ""
    if not protocol:
        errs.append(field.required(path.child("protocol")))
    elif protocol not in PROTOCOLS:
        errs.append(field.not_supported(path.child("protocol"), protocol, PROTOCOLS))
    errs += port_num_or_name(port.get("targetPort"), path.child("targetPort"))
    if port.get("appProtocol") is not None:
        errs += [field.invalid(path.child("appProtocol"), port["appProtocol"], m)
                 for m in is_qualified_name(port["appProtocol"])]
    return errs


def _traffic_policies(spec: dict, kind: str) -> list[FieldError]:
    errs = []
    external = spec.get("externalTrafficPolicy") or ""
    accessible = kind in ("NodePort",
                          "LoadBalancer") or (kind == "ClusterIP" and as_list(spec.get("externalIPs")))
    if not accessible:
        if external:
            errs.append(field.invalid(SPEC.child("externalTrafficPolicy"), external,
                                      "may only be set for externally-accessible services"))
    elif not external:
        errs.append(field.required(SPEC.child("externalTrafficPolicy")))
    elif external not in ("Cluster", "Local"):
        errs.append(field.not_supported(SPEC.child("externalTrafficPolicy"), external, ["Cluster", "Local"]))
    internal = spec.get("internalTrafficPolicy")
    if internal is None and kind in ("NodePort", "LoadBalancer", "ClusterIP"):
        errs.append(field.required(SPEC.child("internalTrafficPolicy")))
    if internal is not None and internal not in ("Cluster", "Local"):
        errs.append(field.not_supported(SPEC.child("internalTrafficPolicy"), internal, ["Cluster", "Local"]))
    return errs


def validate_service_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateServiceUpdate: a cluster IP, once set, may not change (a missing one is carried over)."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    ns, os_ = as_dict(new.get("spec")), as_dict(old.get("spec"))
    if "ExternalName" not in (ns.get("type"), os_.get("type")):
        old_ips, new_ips = cluster_ips(os_), cluster_ips(ns) or cluster_ips(os_)
        if not (old_ips[:1] == ["None"] and new_ips[:1] == ["None"]):
            path = SPEC.child("clusterIPs").index(0)
            if len(old_ips) == len(new_ips):
                changed = any(a != b for a, b in zip(old_ips, new_ips))
                errs += [field.invalid(path, new_ips, "may not change once set")] if changed else []
            elif old_ips and (not new_ips or old_ips[0] != new_ips[0]):
                errs.append(field.invalid(path, new_ips, "may not change once set"))
    return errs + validate_service(new)


def _node_taints(taints: Any, path: Path) -> list[FieldError]:
    errs, seen = [], set()
    for i, t in enumerate(as_list(taints)):
        t, p = as_dict(t), path.index(i)
        key, value, effect = t.get("key", ""), t.get("value", ""), t.get("effect", "")
        errs += [field.invalid(p.child("key"), key, m) for m in is_qualified_name(key)]
        msgs = is_valid_label_value(str(value))
        if msgs:
            errs.append(field.invalid(p.child("value"), value, ";".join(msgs)))
        if not effect:
            errs.append(field.required(p.child("effect")))
        elif effect not in TAINT_EFFECTS:
            errs.append(field.not_supported(p.child("effect"), effect, TAINT_EFFECTS))
        if (effect, key) in seen:
            go = GoValue(f"core.Taint{{Key:{go_quote(key)}, Value:{go_quote(str(value))}, "
                         f"Effect:{go_quote(effect)}, TimeAdded:<nil>}}")
            errs.append(field.FieldError(field.DUPLICATE, str(p), go,
                                         "taints must be unique by key and effect pair"))
            continue
        seen.add((effect, key))
    return errs


def _pod_cidrs(spec: dict) -> list:
    return as_list(spec.get("podCIDRs")) or ([spec["podCIDR"]] if spec.get("podCIDR") else [])


def validate_node(node: dict) -> list[FieldError]:
    errs = validate_object_meta(node.get("metadata"), name_is_dns_subdomain, namespaced=False)
    return errs + _node_spec(as_dict(node.get("spec"))) + _node_resources(as_dict(node.get("status")))


def _node_resources(status: dict) -> list[FieldError]:
    """ValidateNodeResources: the capacity and allocatable quantities are not negative."""
    from k8slearn.api.quantity import parse_quantity

    errs = []
    for part in ("capacity", "allocatable"):
        for name, value in sorted(as_dict(status.get(part)).items()):
            try:
                q = parse_quantity(value)
            except (ValueError, TypeError):
                continue  # (a malformed quantity is the decoder's error)
            if q.amount < 0:
                errs.append(field.invalid(Path("status").child(part).child(name), str(q), IS_NEGATIVE))
    return errs


def _node_spec(spec: dict) -> list[FieldError]:
    errs = _node_taints(spec.get("taints"), SPEC.child("taints"))
    for i, cidr in enumerate(_pod_cidrs(spec)):
        try:
            ipaddress.ip_network(str(cidr), strict=False)
        except ValueError:
            errs.append(field.invalid(SPEC.child("podCIDRs").index(i), cidr,
                                      'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'))
    return errs


def validate_node_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    errs += _node_spec(as_dict(new.get("spec")))
    old_cidrs, new_cidrs = _pod_cidrs(as_dict(old.get("spec"))), _pod_cidrs(as_dict(new.get("spec")))
    msg = 'node updates may not change podCIDR except from "" to valid'
    if old_cidrs:
        if len(old_cidrs) != len(new_cidrs):
            errs.append(field.forbidden(SPEC.child("podCIDRs"), msg))
        else:
            errs += [field.forbidden(SPEC.child("podCIDRs"), msg)
                     for a, b in zip(old_cidrs, new_cidrs) if a != b]
    old_id = as_dict(old.get("spec")).get("providerID")
    if old_id and as_dict(new.get("spec")).get("providerID") != old_id:
        errs.append(field.forbidden(SPEC.child("providerID"),
                                    'node updates may not change providerID except from "" to valid'))
    return errs


def validate_namespace(ns: dict) -> list[FieldError]:
    errs = validate_object_meta(ns.get("metadata"), name_is_dns_label, namespaced=False)
    path = SPEC.child("finalizers")
    for f in map(str, as_list(as_dict(ns.get("spec")).get("finalizers"))):
        errs += [field.invalid(path, f, m) for m in is_qualified_name(f)]
        if "/" not in f and f not in ("kubernetes", "orphan", "foregroundDeletion"):
            errs.append(field.invalid(path, f,
                                      "name is neither a standard finalizer name nor is it fully qualified"))
    return errs


def validate_config_map(cm: dict) -> list[FieldError]:
    errs = validate_object_meta(cm.get("metadata"), name_is_dns_subdomain)
    data, binary = as_dict(cm.get("data")), as_dict(cm.get("binaryData"))
    size = 0
    for key, value in sorted(data.items()):
        errs += [field.invalid(Path("data").key(key), key, m) for m in is_config_map_key(key)]
        if key in binary:
            errs.append(field.invalid(Path("data").key(key), key, "duplicate of key present in binaryData"))
        size += len(str(value).encode())
    for key, value in sorted(binary.items()):
        errs += [field.invalid(Path("binaryData").key(key), key, m) for m in is_config_map_key(key)]
        size += len(str(value)) * 3 // 4
    if size > MAX_SECRET_SIZE:
        errs.append(field.too_long(Path(""), "", MAX_SECRET_SIZE))
    return errs


def _immutable_data(new: dict, old: dict, keys: tuple[str, ...]) -> list[FieldError]:
    if not old.get("immutable"):
        return []
    errs = []
    if not new.get("immutable"):
        errs.append(field.forbidden(Path("immutable"), IMMUTABLE_WHEN_SET))
    for key in keys:
        if new.get(key) != old.get(key):
            errs.append(field.forbidden(Path(key), IMMUTABLE_WHEN_SET))
    return errs


def validate_config_map_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    return errs + _immutable_data(new, old, ("data", "binaryData")) + validate_config_map(new)


def validate_secret(secret: dict) -> list[FieldError]:
    errs = validate_object_meta(secret.get("metadata"), name_is_dns_subdomain)
    data_path, size = Path("data"), 0
    data = {**as_dict(secret.get("stringData")), **as_dict(secret.get("data"))}
    for key, value in sorted(data.items()):
        errs += [field.invalid(data_path.key(key), key, m) for m in is_config_map_key(key)]
        size += len(str(value))
    if size > MAX_SECRET_SIZE:
        errs.append(field.too_long(data_path, "", MAX_SECRET_SIZE))
    return errs + _secret_type_errors(secret, data, data_path)


# The built-in Secret types and the data keys ValidateSecret requires of each (corev1.SecretType*)
SECRET_TYPE_KEYS = {
    "kubernetes.io/dockercfg": (".dockercfg",),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
}
SERVICE_ACCOUNT_NAME_KEY = "kubernetes.io/service-account.name"


def _secret_type_errors(secret: dict, data: dict, data_path: Path) -> list[FieldError]:
    """ValidateSecret's switch on the type: the keys a built-in type needs. A basic-auth Secret needs
    ``username`` or ``password`` (either may be empty), an ssh-auth one a non-empty
    ``ssh-privatekey``, a service-account-token one the name of its ServiceAccount. Simplified: the
    JSON of a dockercfg or dockerconfigjson Secret is not parsed."""
    secret_type = secret.get("type")
    if secret_type in SECRET_TYPE_KEYS:
        keys = SECRET_TYPE_KEYS[secret_type]
        return [field.required(data_path.key(key)) for key in keys if key not in data]
    if secret_type == "kubernetes.io/basic-auth" and "username" not in data and "password" not in data:
        return [field.required(data_path.key("username")), field.required(data_path.key("password"))]
    if secret_type == "kubernetes.io/ssh-auth" and not data.get("ssh-privatekey"):
        return [field.required(data_path.key("ssh-privatekey"))]
    if secret_type == "kubernetes.io/service-account-token":
        annotations = as_dict(as_dict(secret.get("metadata")).get("annotations"))
        if not annotations.get(SERVICE_ACCOUNT_NAME_KEY):
            return [field.required(Path("metadata").child("annotations").key(SERVICE_ACCOUNT_NAME_KEY))]
    return []


def validate_secret_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    errs += validate_immutable(new.get("type"), old.get("type"), Path("type"))
    return errs + _immutable_data(new, old, ("data",)) + validate_secret(new)


def validate_service_account(sa: dict) -> list[FieldError]:
    return validate_object_meta(sa.get("metadata"), name_is_dns_subdomain)


def validate_endpoints(ep: dict) -> list[FieldError]:
    errs = validate_object_meta(ep.get("metadata"), name_is_dns_subdomain)
    for i, subset in enumerate(as_list(ep.get("subsets"))):
        sp = Path("subsets").index(i)
        for kind in ("addresses", "notReadyAddresses"):
            for j, addr in enumerate(as_list(as_dict(subset).get(kind))):
                ip = as_dict(addr).get("ip", "")
                if not _is_ip(str(ip)):
                    errs.append(field.invalid(sp.child(kind).index(j).child("ip"), ip, VALID_IP))
        for j, port in enumerate(as_list(as_dict(subset).get("ports"))):
            port, pp = as_dict(port), sp.child("ports").index(j)
            errs += [field.invalid(pp.child("port"), port.get("port", 0),
                                   m) for m in is_valid_port_num(port.get("port", 0))]
            if port.get("protocol") not in PROTOCOLS:
                errs.append(field.not_supported(pp.child("protocol"), port.get("protocol", ""), PROTOCOLS))
    return errs


# The paths an Event's checks name (a Path never changes): built once, not for each of the many Events.
_INVOLVED_NAMESPACE = Path("involvedObject.namespace")
_REPORTING_COMPONENT = Path("reportingComponent")
_NAMESPACE = Path("namespace")


def validate_event(event: dict) -> list[FieldError]:
    """legacyValidateEvent (core/v1 Events get nothing more, not even ObjectMeta validation)."""
    errs = []
    ns = as_dict(event.get("metadata")).get("namespace") or ""
    involved = as_dict(event.get("involvedObject")).get("namespace") or ""
    path = _INVOLVED_NAMESPACE
    if not event.get("eventTime"):
        if (not involved and ns not in ("", "default")) or (involved and ns != involved):
            errs.append(field.invalid(path, involved, "does not match event.namespace"))
    else:
        if not involved and ns not in ("default", "kube-system"):
            errs.append(field.invalid(path, involved, "does not match event.namespace"))
        controller = event.get("reportingComponent") or ""
        if not controller:
            errs.append(field.required(_REPORTING_COMPONENT))
        errs += [field.invalid(_REPORTING_COMPONENT, controller,
                               m) for m in is_qualified_name(controller)]
        for key, limit in (("reportingInstance", 128), ("action", 128), ("reason", 128)):
            if not event.get(key):
                errs.append(field.required(Path(key)))
            if len(event.get(key) or "") > limit:
                errs.append(field.invalid(Path(key), "", f"can have at most {limit} characters"))
        if len(event.get("message") or "") > 1024:
            errs.append(field.invalid(Path("message"), "", "can have at most 1024 characters"))
    errs += [field.invalid(_NAMESPACE, ns, m) for m in name_is_dns_subdomain(ns)]
    return errs
