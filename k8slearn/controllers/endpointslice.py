"""The EndpointSlice controller: the scalable successor of Endpoints, in slices of 100 endpoints.

For each Service with a selector it keeps EndpointSlices named ``<service>-<random>``, owned by
the Service and labelled ``kubernetes.io/service-name: <service>`` and
``endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io``. Each endpoint is one
pod: its address, ``hostname`` (a StatefulSet pod behind its headless Service), ``nodeName``, the
node's ``zone`` (its ``topology.kubernetes.io/zone`` label), ``targetRef`` and three conditions:

=============  ==========================================================
``serving``    the pod is Ready
``terminating`` the pod is being deleted
``ready``      serving and not terminating (what kube-proxy routes to)
=============  ==========================================================

Pods whose named ports resolve to the same numbers share slices. The reconciler changes as little
as it can: an endpoint stays in the slice it is in; new endpoints first fill the slices being
updated anyway (fullest first), then the unchanged slice they fill best, then new slices. A slice
left empty is deleted, but a slice to delete and one to create become one *update*, so a slice
keeps its name and age. A Service with no endpoints at all keeps one empty "placeholder" slice.
Worked example: 3 ready pods → one slice ``web-nk6n5`` with 3 endpoints; scale to 0 → ``web-nk6n5``
is updated into the placeholder (``endpoints: null``, ``ports: null``); scale up → ``web-nk6n5``
again holds the new pods.

Like the Endpoints controller it stamps the ``last-change-trigger-time`` annotation, and it
remembers the generation of every slice it wrote (EndpointSliceTracker): when its informer cache
has not caught up with its own writes it skips the sync and tries again, rather than create a
duplicate slice, delete one twice or update an old version.

Simplified: IPv4 only; no topology hints or traffic distribution; the new endpoints of a sync are
added in address order (upstream: in map order, effectively random); one back-off for every
controller's queue (upstream: 1 s doubling for this one).

Upstream: pkg/controller/endpointslice/endpointslice_controller.go,
staging/src/k8s.io/endpointslice/reconciler.go, utils.go, util/endpointset.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.meta import owner_reference, thaw
from k8slearn.client.cache import split_key
from k8slearn.controllers.base import Controller, Requeue
from k8slearn.controllers.endpoints import (
    HEADLESS_LABEL,
    LAST_CHANGE_TRIGGER_TIME,
    ServicePodsMixin,
    find_port,
    has_selector,
    is_service_ip_set,
    service_pods,
    should_pod_be_in_endpoints,
    should_set_hostname,
)
from k8slearn.controllers.endpointslice_tracker import (
    MANAGED_BY_LABEL,
    SERVICE_NAME_LABEL,
    EndpointSliceTracker,
    TrackedSliceHandlers,
    service_key,
    write_slices,
)
from k8slearn.controllers.pod_util import is_pod_ready
from k8slearn.controllers.trigger_time_tracker import TriggerTimeTracker

CONTROLLER_NAME = "endpointslice-controller.k8s.io"
TOPOLOGY_ZONE_LABEL = "topology.kubernetes.io/zone"
MAX_ENDPOINTS_PER_SLICE = 100
ENDPOINT_SLICE_CHANGE_MIN_SYNC_DELAY = 1.0  # a slice changed by someone else: sync its Service 1 s later


def pod_to_endpoint(pod: dict, node: dict | None, service: dict) -> dict:
    """podToEndpoint: the pod's IPv4 addresses, conditions, hostname, reference, node and zone."""
    serving = is_pod_ready(pod)
    terminating = bool(pod["metadata"].get("deletionTimestamp"))
    ready = bool(service["spec"].get("publishNotReadyAddresses")) or (serving and not terminating)
    status = pod["status"]
    ips = [p["ip"] for p in status.get("podIPs") or ()] or [status["podIP"]]
    endpoint: dict = {"addresses": [ip for ip in ips if ":" not in ip],
                      "conditions": {"ready": ready, "serving": serving, "terminating": terminating}}
    if should_set_hostname(pod, service):
        endpoint["hostname"] = pod["spec"]["hostname"]
    endpoint["targetRef"] = {"kind": "Pod", "namespace": pod["metadata"]["namespace"],
                             "name": pod["metadata"]["name"], "uid": pod["metadata"]["uid"]}
    if pod["spec"].get("nodeName"):
        endpoint["nodeName"] = pod["spec"]["nodeName"]
    zone = ((node or {}).get("metadata", {}).get("labels") or {}).get(TOPOLOGY_ZONE_LABEL)
    if zone:
        endpoint["zone"] = zone
    return endpoint


def endpoint_ports(service: dict, pod: dict) -> list[dict]:
    """getEndpointPorts: each Service port the pod resolves (a port it cannot resolve is left out)."""
    ports = []
    for service_port in service["spec"].get("ports") or ():
        number = find_port(pod, service_port)
        if number is None:
            continue
        port = {"name": service_port.get("name") or "", "protocol": service_port.get("protocol") or "TCP",
                "port": number}
        if service_port.get("appProtocol"):
            port["appProtocol"] = service_port["appProtocol"]
        ports.append(port)
    return ports


def port_map_key(ports: list[dict] | None) -> tuple:
    """NewPortMapKey: the same for the same ports in any order (no ports and null alike)."""
    return tuple(sorted(tuple(sorted(p.items())) for p in ports or ()))


def hash_endpoint(endpoint: dict) -> tuple:
    """hashEndpoint: what makes an endpoint the same one (addresses, hostname, pod namespace and name)."""
    ref = endpoint.get("targetRef") or {}
    return (tuple(sorted(endpoint.get("addresses") or ())), endpoint.get("hostname") or "",
            ref.get("namespace", ""), ref.get("name", ""))


def endpoints_equal_beyond_hash(a: dict, b: dict) -> bool:
    """EndpointsEqualBeyondHash: same node, zone, conditions and reference (its resourceVersion aside)."""
    def ref(e: dict) -> dict:
        return {k: v for k, v in (e.get("targetRef") or {}).items() if k != "resourceVersion"}
    conditions = ("ready", "serving", "terminating")
    return a.get("nodeName") == b.get("nodeName") and a.get("zone") == b.get("zone") and ref(a) == ref(b) \
        and all((a.get("conditions") or {}).get(c) == (b.get("conditions") or {}).get(c) for c in conditions)


def set_endpoint_slice_labels(endpoint_slice: dict, service: dict) -> tuple[dict, bool]:
    """setEndpointSliceLabels: the Service's labels plus the reserved ones, and whether they changed."""
    reserved = (SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL)
    current = {k: v for k, v in (endpoint_slice["metadata"].get("labels") or {}).items() if k not in reserved}
    labels = {k: v for k, v in (service["metadata"].get("labels") or {}).items() if k not in reserved}
    changed = current != labels
    if not is_service_ip_set(service):
        labels[HEADLESS_LABEL] = ""
    labels[SERVICE_NAME_LABEL] = service["metadata"]["name"]
    labels[MANAGED_BY_LABEL] = CONTROLLER_NAME
    return labels, changed


def new_endpoint_slice(service: dict, ports: list[dict]) -> dict:
    """newEndpointSlice: an empty slice for these ports, owned by the Service (the API server names it)."""
    endpoint_slice = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                      "metadata": {"generateName": f"{service['metadata']['name']}-",
                                   "namespace": service["metadata"]["namespace"], "labels": {},
                                   "ownerReferences": [owner_reference(service)]},
                      "addressType": "IPv4", "endpoints": [], "ports": ports}
    endpoint_slice["metadata"]["labels"], _ = set_endpoint_slice_labels(endpoint_slice, service)
    return endpoint_slice


def owned_by(endpoint_slice: dict, service: dict) -> bool:
    uid = service["metadata"].get("uid")
    return any(o.get("uid") == uid and o.get("kind") == "Service" and o.get("apiVersion") == "v1"
               for o in endpoint_slice["metadata"].get("ownerReferences") or ())


def get_slice_to_fill(slices: list[dict], num_endpoints: int, max_endpoints: int) -> dict | None:
    """getSliceToFill: the slice that ``num_endpoints`` more would bring closest to full (None: none fits)."""
    closest_diff, closest = max_endpoints, None
    for endpoint_slice in slices:
        diff = max_endpoints - (num_endpoints + len(endpoint_slice.get("endpoints") or ()))
        if 0 <= diff < closest_diff:
            closest_diff, closest = diff, endpoint_slice
            if diff == 0:
                break
    return closest


def is_placeholder_for(endpoint_slice: dict, placeholder: dict) -> bool:
    """placeholderSliceCompare: same namespace, labels and address type, and no endpoints or ports."""
    return endpoint_slice["metadata"].get("namespace") == placeholder["metadata"]["namespace"] \
        and dict(endpoint_slice["metadata"].get("labels") or {}) == placeholder["metadata"]["labels"] \
        and endpoint_slice.get("addressType") == placeholder["addressType"] \
        and not endpoint_slice.get("endpoints") and not endpoint_slice.get("ports")


def add_trigger_time_annotation(endpoint_slice: dict, trigger: str) -> None:
    """addTriggerTimeAnnotation: set it, or clear it when there is no new trigger time."""
    annotations = dict(endpoint_slice["metadata"].get("annotations") or {})
    if trigger:
        annotations[LAST_CHANGE_TRIGGER_TIME] = trigger
    else:
        annotations.pop(LAST_CHANGE_TRIGGER_TIME, None)
    endpoint_slice["metadata"]["annotations"] = annotations
    if not annotations:
        del endpoint_slice["metadata"]["annotations"]


def _wire(endpoint_slice: dict) -> dict:
    """The slice as sent: empty lists become null, as the real API server serves them."""
    return {**endpoint_slice, "endpoints": endpoint_slice.get("endpoints") or None,
            "ports": endpoint_slice.get("ports") or None}


def _address_order(endpoint: dict) -> tuple:
    address = (endpoint.get("addresses") or [""])[0]
    parts = address.split(".")
    return tuple(int(x) for x in parts) if len(parts) == 4 and all(x.isdigit() for x in parts) else (address,)


class EndpointSliceController(TrackedSliceHandlers, ServicePodsMixin, Controller):
    """Keeps each selector Service's EndpointSlices in step with its pods."""

    name = "endpoint-slice-controller"
    managed_by = CONTROLLER_NAME

    def __init__(self, loop: Any, client: Any, informers: Any = None,
                 max_endpoints_per_slice: int = MAX_ENDPOINTS_PER_SLICE) -> None:
        super().__init__(loop, client, informers)
        self.max_endpoints_per_slice = max_endpoints_per_slice
        self.service_informer = self.informers.informer("services")
        self.pod_informer = self.informers.informer("pods")
        self.node_informer = self.informers.informer("nodes")
        self.slice_informer = self.informers.informer("endpointslices")
        self._register()
        self.slice_informer.add_event_handler(on_add=self._slice_added, on_update=self._slice_updated,
                                              on_delete=self._slice_deleted)
        self.tracker = EndpointSliceTracker()
        self.trigger_time_tracker = TriggerTimeTracker()

    # -- handlers (TrackedSliceHandlers): only slices changed by someone else wake the Service up
    def queue_for_slice(self, endpoint_slice: dict) -> None:
        if (endpoint_slice["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL):
            self.queue.add_after(service_key(endpoint_slice), ENDPOINT_SLICE_CHANGE_MIN_SYNC_DELAY)

    # -- sync ------------------------------------------------------------------------------------
    def existing_slices(self, service: dict) -> list[dict]:
        """This controller's slices for the Service, those being deleted left out."""
        name = service["metadata"]["name"]
        return [s for s in self.slice_informer.lister.list(service["metadata"]["namespace"])
                if (s["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL) == name
                and self.managed(s) and not s["metadata"].get("deletionTimestamp")]

    def sync(self, key: str) -> None:
        """syncService: skip a stale cache, compute the trigger time, then reconcile the slices."""
        namespace, name = split_key(key)
        service = self.service_informer.lister.get(name, namespace)
        if service is None:  # its slices go with it (garbage collector: owner reference)
            self.trigger_time_tracker.delete_service(namespace, name)
            self.tracker.delete_service(namespace, name)
            return
        if not has_selector(service):
            return
        pods = service_pods(self.pod_informer, service)
        slices = self.existing_slices(service)
        if self.tracker.stale_slices(service, slices):
            raise Requeue("EndpointSlice informer cache is out of date")
        trigger = self.trigger_time_tracker.compute(namespace, service, pods)
        errors = self.reconcile(service, pods, slices, trigger)
        if errors:
            message = errors[0] if len(errors) == 1 else f"[{', '.join(errors)}]"
            self.recorder.event(service, "Warning", "FailedToUpdateEndpointSlices",
                                f"Error updating Endpoint Slices for Service {namespace}/{name}: {message}")
            raise Requeue(message)

    def reconcile(self, service: dict, pods: list[dict], existing: list[dict], trigger: str) -> list[str]:
        """Reconcile (reconcileByAddressType, IPv4): desired endpoints by port set, then
        create, update and delete slices. Returns the errors (a pod on a missing node, a failed write)."""
        namespace, name = service["metadata"]["namespace"], service["metadata"]["name"]
        errors: list[str] = []
        to_create: list[dict] = []
        to_update: list[dict] = []
        to_delete = [s for s in existing if not owned_by(s, service)]
        existing_by_ports: dict[tuple, list[dict]] = {}
        for s in existing:
            if owned_by(s, service):
                existing_by_ports.setdefault(port_map_key(s.get("ports")), []).append(s)
        desired_ports: dict[tuple, list[dict]] = {}
        desired: dict[tuple, dict[tuple, dict]] = {}  # port set -> {endpoint hash: endpoint}
        for pod in pods:
            if not should_pod_be_in_endpoints(pod, True):
                continue
            ports = endpoint_ports(service, pod)
            key = port_map_key(ports)
            desired_ports.setdefault(key, ports)
            endpoints = desired.setdefault(key, {})
            node_name = pod["spec"].get("nodeName", "")
            node = self.node_informer.lister.get(node_name)
            if node is None and not service["spec"].get("publishNotReadyAddresses"):
                errors.append(f"skipping Pod {pod['metadata']['name']} for Service {namespace}/{name}: "
                              f"Node {node_name} Not Found")
                continue
            endpoint = pod_to_endpoint(pod, node, service)
            if endpoint["addresses"]:
                endpoints[hash_endpoint(endpoint)] = endpoint
        for key, endpoints in desired.items():
            create, update, delete = self.reconcile_by_port_mapping(
                service, existing_by_ports.get(key, []), endpoints, desired_ports[key])
            to_create += create
            to_update += update
            to_delete += delete
        for key, slices in existing_by_ports.items():  # port sets no pod has any more
            if key not in desired:
                to_delete += slices
        if len(existing) == len(to_delete) and not to_create:  # no slice would be left: a placeholder
            placeholder = new_endpoint_slice(service, [])
            if len(to_delete) == 1 and is_placeholder_for(to_delete[0], placeholder):
                to_delete = []  # it is there already
            else:
                to_create.append(placeholder)
        try:
            self.finalize(service, to_create, to_update, to_delete, trigger)
        except Requeue as err:
            errors.append(str(err))
        return errors

    def reconcile_by_port_mapping(self, service: dict, existing: list[dict], desired: dict[tuple, dict],
                                  ports: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
        """reconcileByPortMapping: the slices of one port set to create, update and delete.

        1. In each existing slice keep the endpoints still desired (updated if they changed) and
           drop the others; a slice left empty is to be deleted.
        2. Fill the slices being updated anyway with new endpoints, the fullest first.
        3. Put what is left in the unchanged slice it fills best, else in new slices.
        """
        limit = self.max_endpoints_per_slice
        by_name: dict[str, dict] = {}
        unchanged: list[str] = []
        update: list[str] = []
        delete: list[str] = []
        for s in existing:
            name = s["metadata"]["name"]
            by_name[name] = s
            kept, changed = [], False
            for endpoint in s.get("endpoints") or ():
                wanted = desired.pop(hash_endpoint(endpoint), None)
                if wanted is not None:
                    kept.append(wanted)
                    changed = changed or not endpoints_equal_beyond_hash(wanted, endpoint)
            labels, labels_changed = set_endpoint_slice_labels(s, service)
            if changed or len(s.get("endpoints") or ()) != len(kept):
                if not kept:
                    delete.append(name)
                    continue
                by_name[name] = thaw(s)
                by_name[name]["endpoints"] = kept
            elif labels_changed:
                by_name[name] = thaw(s)
            else:
                unchanged.append(name)
                continue
            by_name[name]["metadata"]["labels"] = labels
            update.append(name)
        new = sorted(desired.values(), key=_address_order)
        if new and update:
            for name in sorted(update, key=lambda n: -len(by_name[n]["endpoints"] or ())):
                fill = by_name[name]
                fill["endpoints"] = list(fill.get("endpoints") or ())
                while new and len(fill["endpoints"]) < limit:
                    fill["endpoints"].append(new.pop(0))
        create = []
        while new:
            fill = None
            if len(new) < limit and unchanged:
                fill = get_slice_to_fill([by_name[n] for n in unchanged], len(new), limit)
            if fill is None:
                fill = new_endpoint_slice(service, ports)
            else:
                fill = by_name[fill["metadata"]["name"]] = thaw(fill)
                fill["endpoints"] = list(fill.get("endpoints") or ())
            while new and len(fill["endpoints"]) < limit:
                fill["endpoints"].append(new.pop(0))
            if fill["metadata"].get("name"):
                update.append(fill["metadata"]["name"])
                unchanged.remove(fill["metadata"]["name"])
            else:
                create.append(fill)
        return create, [by_name[n] for n in update], [by_name[n] for n in delete]

    def finalize(self, service: dict, to_create: list[dict], to_update: list[dict], to_delete: list[dict],
                 trigger: str) -> None:
        """finalize: a slice to create and one to delete become an update of the latter (it keeps
        its name and age); then create, update, delete, remembering each write in the tracker."""
        i = 0
        while i < len(to_delete) and to_create:
            old = to_delete[i]
            if old.get("addressType") == to_create[-1]["addressType"] and owned_by(old, service):
                recycled = to_create.pop()
                recycled["metadata"]["name"] = old["metadata"]["name"]
                to_update.append(recycled)
                del to_delete[i]
            else:
                i += 1
        where = f"for Service {service['metadata']['namespace']}/{service['metadata']['name']}"

        def sent(endpoint_slice: dict) -> dict:  # each slice written carries the trigger time
            add_trigger_time_annotation(endpoint_slice, trigger)
            return _wire(endpoint_slice)

        write_slices(self.client, self.tracker, where, not service["metadata"].get("deletionTimestamp"),
                     to_create, to_update, to_delete, sent, missing_ok=True)
