"""The Endpoints controller: for each Service with a selector, the list of pod IPs behind it.

The Endpoints object has the Service's name. Its ``subsets`` group addresses by the ports they
serve; a ready pod goes in ``addresses``, a running but not-ready one in ``notReadyAddresses``
(kube-proxy sends traffic only to the first). A named ``targetPort`` ("http") is looked up in
each pod's container ports, so pods may even use different numbers for it:

>>> pod = {"spec": {"containers": [{"ports": [{"name": "http", "containerPort": 8080}]}]}}
>>> find_port(pod, {"port": 80, "targetPort": "http", "protocol": "TCP"}), find_port(pod, {"port": 80, "targetPort": 9090})
(8080, 9090)

A native sidecar (an init container with ``restartPolicy: Always``) may name the port too. A pod
with ``spec.hostname`` whose ``spec.subdomain`` is the Service's name (a StatefulSet's pod behind
its headless Service) gets a ``hostname``: DNS serves ``web-0.nginx`` from it.

A Service without a selector (such as ``kubernetes``), or with an empty one, is left alone:
whoever created it manages its Endpoints.

The ``last-change-trigger-time`` annotation comes from the TriggerTimeTracker: the Service's
creation time on its first sync, later the oldest Ready change among its pods since the last sync,
and no annotation when nothing such changed (a pod that only went away). A controller that has just
updated the Endpoints and sees the old version in its cache waits for the cache to catch up
(staleEndpointsTracker) instead of writing over it.

An Endpoints object holds at most 1000 addresses (maxCapacity): past that, the controller keeps
ready addresses first, shares the room among the subsets in proportion (truncateEndpoints) and
annotates the object ``endpoints.kubernetes.io/over-capacity: truncated``; EndpointSlices have no
such limit. A write the API server refuses is recorded as a ``FailedToCreateEndpoint`` or
``FailedToUpdateEndpoint`` Warning on the Endpoints and retried, except a create in a namespace
being deleted, which is dropped.

Simplified: IPv4 only; subsets are ordered by address instead of by hash (addresses within a
subset are ordered as upstream: IP text byte by byte, then pod uid).

Upstream: pkg/controller/endpoint/endpoints_controller.go, endpoints_tracker.go,
pkg/api/v1/endpoints/util.go (RepackSubsets, LessEndpointAddress), pkg/api/v1/pod/util.go (FindPort),
staging/src/k8s.io/endpointslice/util/controller_utils.go (ShouldPodBeInEndpoints, ShouldSetHostname)
"""

from __future__ import annotations

import math
from typing import Any

from k8slearn.api.errors import ApiError, namespace_terminating
from k8slearn.api.labels import selector_from_set
from k8slearn.api.meta import FrozenDict, thaw
from k8slearn.client.cache import meta_key, split_key
from k8slearn.controllers.base import Controller, Requeue
from k8slearn.controllers.pod_util import is_pod_ready
from k8slearn.controllers.trigger_time_tracker import TriggerTimeTracker

LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
HEADLESS_LABEL = "service.kubernetes.io/headless"
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
MAX_CAPACITY = 1000  # maxCapacity: the addresses, ready or not, one Endpoints object holds


def _count(subsets: list, field: str) -> int:
    return sum(len(s.get(field) or ()) for s in subsets)


def capacity_annotation_set_correctly(annotations: Any, subsets: Any) -> bool:
    """capacityAnnotationSetCorrectly: False when the subsets hold more than 1000 addresses (they
    must be truncated), else whether the over-capacity annotation is absent."""
    subsets = subsets or []
    if _count(subsets, "addresses") + _count(subsets, "notReadyAddresses") > MAX_CAPACITY:
        return False
    return OVER_CAPACITY not in (annotations or {})


def truncate_endpoints(subsets: list[dict]) -> bool:
    """truncateEndpoints, in place: with more than 1000 addresses, ready ones are kept first; the
    room left (all 1000 when the ready ones alone are too many, and then no not-ready address
    stays) is shared among the subsets in proportion to what each holds, rounded up, so the last
    ones may get less. True when it truncated.

    >>> subsets = [{"addresses": [{"ip": "a"}] * 900, "notReadyAddresses": [{"ip": "b"}] * 150},
    ...            {"addresses": [{"ip": "c"}] * 60, "notReadyAddresses": [{"ip": "d"}] * 50}]
    >>> truncate_endpoints(subsets), [(len(s["addresses"]), len(s["notReadyAddresses"])) for s in subsets]
    (True, [(900, 30), (60, 10)])
    """
    ready, not_ready = _count(subsets, "addresses"), _count(subsets, "notReadyAddresses")
    if ready + not_ready <= MAX_CAPACITY:
        return False
    truncate_ready = ready > MAX_CAPACITY
    room = MAX_CAPACITY if truncate_ready else MAX_CAPACITY - ready
    total = ready if truncate_ready else not_ready
    field = "addresses" if truncate_ready else "notReadyAddresses"
    can_be_added = room
    for subset in subsets:
        held = subset.get(field) or []
        kept = held[:min(math.ceil(len(held) / total * room), can_be_added)]
        subset[field] = kept
        if truncate_ready:
            subset["notReadyAddresses"] = []
        for name in ("addresses", "notReadyAddresses"):
            if not subset.get(name, True):  # (an empty list is omitted, as Go's omitempty does)
                del subset[name]
        can_be_added -= len(kept)
    return True


def find_port(pod: dict, service_port: dict) -> int | None:
    """FindPort: the container port a Service port's targetPort names (or the number itself).

    A name is looked up in the containers, then in the native sidecars (init containers with
    ``restartPolicy: Always``), with the Service port's protocol.
    """
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    protocol = service_port.get("protocol") or "TCP"
    sidecars = [c for c in pod["spec"].get("initContainers") or () if c.get("restartPolicy") == "Always"]
    for container in [*(pod["spec"].get("containers") or ()), *sidecars]:
        for port in container.get("ports") or ():
            if port.get("name") == target and (port.get("protocol") or "TCP") == protocol:
                return port["containerPort"]
    return None


def should_pod_be_in_endpoints(pod: dict, include_terminating: bool) -> bool:
    """Not finished, has an IP, and (unless asked) not being deleted."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return False
    if not status.get("podIP") and not status.get("podIPs"):
        return False
    return include_terminating or not pod["metadata"].get("deletionTimestamp")


def should_set_hostname(pod: dict, service: dict) -> bool:
    """ShouldSetHostname: the pod has a hostname and its subdomain is this Service (same namespace)."""
    return bool(pod["spec"].get("hostname")) and pod["spec"].get("subdomain") == service["metadata"]["name"] \
        and pod["metadata"].get("namespace") == service["metadata"].get("namespace")


def has_selector(service: dict) -> bool:
    """The controllers manage this Service's endpoints: not ExternalName, and a selector.

    An empty selector (``selector: {}``) is no selector: the real API server stores it as none.
    """
    spec = service.get("spec") or {}
    return spec.get("type") != "ExternalName" and bool(spec.get("selector"))


def is_service_ip_set(service: dict) -> bool:
    """IsServiceIPSet: a ClusterIP that is neither empty nor ``None`` (not headless)."""
    return service["spec"].get("clusterIP") not in (None, "", "None")


def service_pods(pod_informer: Any, service: dict) -> list[dict]:
    selector = selector_from_set(service["spec"]["selector"])
    return [p for p in pod_informer.lister.list(service["metadata"]["namespace"])
            if selector.matches(p["metadata"].get("labels"))]


def pod_address(pod: dict, service: dict) -> dict:
    """podToEndpointAddressForService: the pod's IP, hostname (ShouldSetHostname), node and reference."""
    address = {"ip": pod["status"].get("podIP") or pod["status"]["podIPs"][0]["ip"]}
    if should_set_hostname(pod, service):
        address["hostname"] = pod["spec"]["hostname"]
    if pod["spec"].get("nodeName"):
        address["nodeName"] = pod["spec"]["nodeName"]
    address["targetRef"] = {"kind": "Pod", "namespace": pod["metadata"]["namespace"],
                            "name": pod["metadata"]["name"], "uid": pod["metadata"]["uid"]}
    return address


def endpoint_port(service_port: dict, number: int) -> dict:
    port = {"port": number, "protocol": service_port.get("protocol") or "TCP"}
    if service_port.get("name"):
        port = {"name": service_port["name"], **port}
    if service_port.get("appProtocol"):
        port["appProtocol"] = service_port["appProtocol"]
    return port


def _addr_key(address: dict) -> tuple:
    """LessEndpointAddress: the IP as text, byte by byte ("10.244.1.10" < "10.244.1.2"), then the uid."""
    return address["ip"], (address.get("targetRef") or {}).get("uid", "")


def repack_subsets(entries: list[tuple[dict, dict | None, bool]]) -> list[dict]:
    """RepackSubsets: one subset per distinct set of addresses, holding every port they share.

    ``entries`` are (address, port or None, ready); not ready wins over ready for the same pair.
    """
    addresses: dict[tuple, dict] = {}
    by_port: dict[tuple, dict[tuple, bool]] = {}
    for address, port, ready in entries:
        key = _addr_key(address)
        addresses.setdefault(key, address)
        port_key = tuple(sorted(port.items())) if port else (("port", -1),)
        ready_map = by_port.setdefault(port_key, {})
        if ready_map.get(key, True):
            ready_map[key] = ready
    groups: dict[tuple, list[tuple]] = {}
    for port_key, ready_map in by_port.items():
        groups.setdefault(tuple(sorted(ready_map.items())), []).append(port_key)
    subsets = []
    for members, port_keys in groups.items():
        subset: dict = {}
        ready = [addresses[k] for k, r in members if r]
        not_ready = [addresses[k] for k, r in members if not r]
        if ready:
            subset["addresses"] = ready
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        ports = sorted((dict(p) for p in port_keys if p != (("port", -1),)),
                       key=lambda p: (p.get("name", ""), p["port"], p["protocol"]))
        if ports:
            subset["ports"] = ports
        subsets.append(subset)
    subsets.sort(key=lambda s: [_addr_key(a) for a in s.get("addresses", []) + s.get("notReadyAddresses", [])])
    return subsets


class ServicePodsMixin:
    """Handlers shared by the Endpoints and EndpointSlice controllers: pods map to their Services."""

    service_informer: Any
    pod_informer: Any

    def _register(self: Any) -> None:
        self.service_informer.add_event_handler(on_add=self.enqueue, on_update=lambda o, c: self.enqueue(c),
                                                on_delete=self.enqueue)
        self.pod_informer.add_event_handler(on_add=self._pod_changed, on_update=self._pod_updated,
                                            on_delete=self._pod_changed)

    def services_for(self, pod: dict) -> list[dict]:
        labels = pod["metadata"].get("labels") or {}
        return [s for s in self.service_informer.lister.list(pod["metadata"]["namespace"])
                if has_selector(s) and selector_from_set(s["spec"]["selector"]).matches(labels)]

    def _pod_changed(self: Any, pod: dict) -> None:
        for service in self.services_for(pod):
            self.enqueue(service)

    def _pod_updated(self: Any, old: dict, cur: dict) -> None:
        if not endpoint_view_changed(old, cur):
            return
        services = self.services_for(cur)
        if cur["metadata"].get("labels") != old["metadata"].get("labels"):  # else the same services again
            services += self.services_for(old)
        seen = set()
        for service in services:
            if service["metadata"]["name"] not in seen:
                seen.add(service["metadata"]["name"])
                self.enqueue(service)


# The last pod update endpoint_view_changed answered, as (old, cur, changed). The Endpoints and
# EndpointSlice controllers hear each pod update in a row, as the same two read-only objects: the
# second reuses the first's answer instead of building both views again (a simulation speed-up with
# the same answers). Read-only objects only: a plain dict could change between two calls.
_last_update: tuple = (None, None, False)


def endpoint_view_changed(old: dict, cur: dict) -> bool:
    """Whether a pod update changed anything endpoints show (podEndpointsChanged)."""
    global _last_update
    last_old, last_cur, changed = _last_update
    if old is last_old and cur is last_cur:
        return changed
    changed = _endpoint_view(old) != _endpoint_view(cur)
    if old.__class__ is FrozenDict and cur.__class__ is FrozenDict:
        _last_update = (old, cur, changed)
    return changed


def _endpoint_view(pod: dict) -> tuple:
    """What of a pod matters to endpoints (podEndpointsChanged)."""
    status = pod.get("status") or {}
    return (pod["metadata"].get("labels"), pod["metadata"].get("deletionTimestamp"), status.get("podIP"),
            status.get("phase"), is_pod_ready(pod), pod["spec"].get("nodeName"), pod["spec"].get("hostname"),
            pod["spec"].get("subdomain"))


class EndpointsController(ServicePodsMixin, Controller):
    """Keeps an Endpoints object per selector Service in step with its pods."""

    name = "endpoint-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.service_informer = self.informers.informer("services")
        self.pod_informer = self.informers.informer("pods")
        self.endpoints_informer = self.informers.informer("endpoints")
        self._register()
        self.endpoints_informer.add_event_handler(on_delete=self.enqueue)
        self.trigger_time_tracker = TriggerTimeTracker()
        # staleEndpointsTracker: per key, the resourceVersion this controller has updated away from
        self.stale_resource_versions: dict[str, str] = {}

    def sync(self, key: str) -> None:
        """syncService: compute the subsets; create, update or delete the Endpoints object."""
        namespace, name = split_key(key)
        service = self.service_informer.lister.get(name, namespace)
        if service is None:
            try:
                self.client.delete("endpoints", name, namespace)
            except ApiError as err:
                if err.code != 404:
                    raise
            self.trigger_time_tracker.delete_service(namespace, name)
            self.stale_resource_versions.pop(key, None)
            return
        if not has_selector(service):
            return
        pods = service_pods(self.pod_informer, service)
        # computed before anything else, so the tracker learns this sync's pods even if nothing is written
        trigger = self.trigger_time_tracker.compute(namespace, service, pods)
        subsets = repack_subsets(self.entries(service, pods))
        current = self.endpoints_informer.lister.get(name, namespace)
        version = current["metadata"]["resourceVersion"] if current is not None else None
        if version is not None and self.stale_resource_versions.get(key) == version:
            raise Requeue(f"endpoints informer cache is out of date, resource version {version} "
                          f"already processed for endpoints {key}")
        service_labels = dict(service["metadata"].get("labels") or {})
        if current is not None:
            labels = {k: v for k, v in (current["metadata"].get("labels") or {}).items() if k != HEADLESS_LABEL}
            capacity_ok = capacity_annotation_set_correctly(current["metadata"].get("annotations"),
                                                            current.get("subsets"))
            if thaw(current.get("subsets") or []) == subsets and labels == service_labels and capacity_ok:
                return
        self.write(service, current, subsets, trigger)

    def entries(self, service: dict, pods: list[dict]) -> list[tuple[dict, dict | None, bool]]:
        """(address, port or None, ready) for each pod in the Endpoints and each port it serves."""
        publish = bool(service["spec"].get("publishNotReadyAddresses"))
        entries = []
        for pod in pods:
            if not should_pod_be_in_endpoints(pod, publish):
                continue
            address = pod_address(pod, service)
            ready = publish or is_pod_ready(pod)
            if not service["spec"].get("ports"):
                if service["spec"].get("clusterIP") == "None":  # a headless Service may have no ports
                    entries.append((address, None, ready))
                continue
            for service_port in service["spec"]["ports"]:
                number = find_port(pod, service_port)
                if number is not None:
                    entries.append((address, endpoint_port(service_port, number), ready))
        return entries

    def write(self, service: dict, current: dict | None, subsets: list[dict], trigger: str) -> None:
        """Create or update the Endpoints: the Service's labels (plus the headless one) and the
        trigger time (removed when there is none); then remember the version it replaced."""
        namespace, name = service["metadata"]["namespace"], service["metadata"]["name"]
        endpoints = thaw(current) if current is not None else {
            "apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": name, "namespace": namespace}}
        endpoints["subsets"] = subsets
        if not subsets:
            endpoints.pop("subsets")
        labels = dict(service["metadata"].get("labels") or {})
        if not is_service_ip_set(service):
            labels[HEADLESS_LABEL] = ""
        endpoints["metadata"]["labels"] = labels
        if not labels:
            endpoints["metadata"].pop("labels")
        annotations = endpoints["metadata"].get("annotations") or {}
        if trigger:
            annotations[LAST_CHANGE_TRIGGER_TIME] = trigger
        else:  # no new trigger time: clear the annotation
            annotations.pop(LAST_CHANGE_TRIGGER_TIME, None)
        if truncate_endpoints(subsets):
            annotations[OVER_CAPACITY] = "truncated"
        else:
            annotations.pop(OVER_CAPACITY, None)
        endpoints["metadata"]["annotations"] = annotations
        if not annotations:
            endpoints["metadata"].pop("annotations")
        try:
            if current is None:
                self.client.create(endpoints)
                return
            updated = self.client.update(endpoints)
        except ApiError as err:
            if current is None and err.code == 403 and namespace_terminating(err):
                return  # creates will keep failing: the item is dropped
            if current is None:
                reason, message = "FailedToCreateEndpoint", "Failed to create endpoint for service"
            else:
                reason, message = "FailedToUpdateEndpoint", "Failed to update endpoint"
            self.recorder.event(endpoints, "Warning", reason, f"{message} {namespace}/{name}: {err.message}")
            raise
        if updated["metadata"]["resourceVersion"] != current["metadata"]["resourceVersion"]:
            self.stale_resource_versions[meta_key(current)] = current["metadata"]["resourceVersion"]
