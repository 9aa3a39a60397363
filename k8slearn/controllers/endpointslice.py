"""The EndpointSlice controller: the scalable successor of Endpoints, in slices of 100 endpoints.

For each Service with a selector it keeps EndpointSlices named ``<service>-<random>``, owned by
the Service and labelled ``kubernetes.io/service-name: <service>`` and
``endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io``. Each endpoint is one
pod: its address, ``nodeName``, ``targetRef`` and three conditions:

=============  ==========================================================
``serving``    the pod is Ready
``terminating`` the pod is being deleted
``ready``      serving and not terminating (what kube-proxy routes to)
=============  ==========================================================

Pods whose named ports resolve to the same numbers share slices; a Service with no endpoints at
all still has one empty "placeholder" slice. Worked example: 3 ready pods → one slice with 3
endpoints; scale to 0 → the slice is replaced by a placeholder with no ports and no endpoints.

Simplified: IPv4 only; endpoints are packed in address order (upstream keeps them where they
are and packs new ones into the fullest slices); the trigger-time annotation as in Endpoints.

Upstream: pkg/controller/endpointslice/endpointslice_controller.go,
staging/src/k8s.io/endpointslice/reconciler.go, utils.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.meta import owner_reference, thaw
from k8slearn.client.cache import split_key
from k8slearn.controllers.base import Controller
from k8slearn.controllers.endpoints import (
    HEADLESS_LABEL,
    LAST_CHANGE_TRIGGER_TIME,
    ServicePodsMixin,
    find_port,
    has_selector,
    pod_address,
    service_pods,
    should_pod_be_in_endpoints,
    trigger_time,
)
from k8slearn.controllers.pod_util import is_pod_ready

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
MAX_ENDPOINTS_PER_SLICE = 100


def pod_to_endpoint(pod: dict, service: dict) -> dict:
    serving = is_pod_ready(pod)
    terminating = bool(pod["metadata"].get("deletionTimestamp"))
    ready = bool(service["spec"].get("publishNotReadyAddresses")) or (serving and not terminating)
    address = pod_address(pod)
    endpoint = {"addresses": [address["ip"]],
                "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
                "targetRef": address["targetRef"]}
    if address.get("nodeName"):
        endpoint["nodeName"] = address["nodeName"]
    return endpoint


def endpoint_ports(service: dict, pod: dict) -> list[dict]:
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


def _ports_key(ports: list[dict] | None) -> tuple:
    return tuple(sorted(tuple(sorted(p.items())) for p in ports or ()))


def slice_labels(service: dict) -> dict:
    labels = {k: v for k, v in (service["metadata"].get("labels") or {}).items()
              if k not in (SERVICE_NAME_LABEL, MANAGED_BY_LABEL)}
    labels[SERVICE_NAME_LABEL] = service["metadata"]["name"]
    labels[MANAGED_BY_LABEL] = CONTROLLER_NAME
    if service["spec"].get("clusterIP") == "None":
        labels[HEADLESS_LABEL] = ""
    return labels


class EndpointSliceController(ServicePodsMixin, Controller):
    """Keeps each selector Service's EndpointSlices in step with its pods."""

    name = "endpoint-slice-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None,
                 max_endpoints_per_slice: int = MAX_ENDPOINTS_PER_SLICE) -> None:
        super().__init__(loop, client, informers)
        self.max_endpoints_per_slice = max_endpoints_per_slice
        self.service_informer = self.informers.informer("services")
        self.pod_informer = self.informers.informer("pods")
        self.slice_informer = self.informers.informer("endpointslices")
        self._register()
        self.slice_informer.add_event_handler(on_update=lambda o, c: self._slice_changed(c),
                                              on_delete=self._slice_changed)

    def _slice_changed(self, endpoint_slice: dict) -> None:
        labels = endpoint_slice["metadata"].get("labels") or {}
        if labels.get(MANAGED_BY_LABEL) == CONTROLLER_NAME and labels.get(SERVICE_NAME_LABEL):
            self.queue.add(f"{endpoint_slice['metadata']['namespace']}/{labels[SERVICE_NAME_LABEL]}")

    def existing_slices(self, service: dict) -> list[dict]:
        name = service["metadata"]["name"]
        return [s for s in self.slice_informer.lister.list(service["metadata"]["namespace"])
                if (s["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL) == name
                and (s["metadata"].get("labels") or {}).get(MANAGED_BY_LABEL) == CONTROLLER_NAME]

    def sync(self, key: str) -> None:
        """syncService → reconcile: desired endpoints by port set, then create/update/delete slices."""
        namespace, name = split_key(key)
        service = self.service_informer.lister.get(name, namespace)
        if service is None or not has_selector(service):
            return  # the slices of a deleted Service go with it (garbage collector: owner reference)
        pods = [p for p in service_pods(self.pod_informer, service) if should_pod_be_in_endpoints(p, True)]
        desired: dict[tuple, tuple[list[dict], list[dict]]] = {}
        for pod in pods:
            ports = endpoint_ports(service, pod)  # a port the pod cannot resolve is left out, not the pod
            entry = desired.setdefault(_ports_key(ports), (ports, []))
            entry[1].append(pod_to_endpoint(pod, service))
        self.reconcile(service, desired, trigger_time(service, pods))

    def reconcile(self, service: dict, desired: dict[tuple, tuple[list[dict], list[dict]]], trigger: str) -> None:
        existing = sorted(self.existing_slices(service), key=lambda s: s["metadata"]["name"])
        by_ports: dict[tuple, list[dict]] = {}
        for s in existing:
            by_ports.setdefault(_ports_key(s.get("ports")), []).append(s)
        wanted: list[tuple[dict | None, list[dict], list[dict]]] = []  # (slice to reuse, ports, endpoints)
        for key, (ports, endpoints) in sorted(desired.items()):
            endpoints.sort(key=lambda e: (tuple(int(x) for x in e["addresses"][0].split(".")), e["targetRef"]["name"]))
            chunks = [endpoints[i:i + self.max_endpoints_per_slice]
                      for i in range(0, len(endpoints), self.max_endpoints_per_slice)]
            reuse = by_ports.pop(key, [])
            for i, chunk in enumerate(chunks):
                wanted.append((reuse[i] if i < len(reuse) else None, ports, chunk))
            for extra in reuse[len(chunks):]:
                by_ports.setdefault(("delete",), []).append(extra)
        to_delete = [s for slices in by_ports.values() for s in slices]
        if not wanted:  # no endpoints at all: keep (or make) one placeholder slice
            placeholder = next((s for s in to_delete if not s.get("ports") and not s.get("endpoints")), None)
            wanted.append((placeholder, [], []))
            to_delete = [s for s in to_delete if s is not placeholder]
        for current, ports, endpoints in wanted:
            self._write(service, current, ports, endpoints, trigger)
        for s in to_delete:
            self.client.delete("endpointslices", s["metadata"]["name"], s["metadata"]["namespace"])

    def _write(self, service: dict, current: dict | None, ports: list[dict], endpoints: list[dict],
               trigger: str) -> None:
        labels = slice_labels(service)
        if current is not None:
            same = thaw(current.get("endpoints") or []) == endpoints and \
                dict(current["metadata"].get("labels") or {}) == labels
            if same:
                return
            updated = thaw(current)
            updated["endpoints"] = endpoints
            updated["metadata"]["labels"] = labels
            updated["metadata"].setdefault("annotations", {})[LAST_CHANGE_TRIGGER_TIME] = trigger
            self.client.update(updated)
            return
        meta = {"generateName": f"{service['metadata']['name']}-", "namespace": service["metadata"]["namespace"],
                "labels": labels, "ownerReferences": [owner_reference(service)]}
        if endpoints:
            meta["annotations"] = {LAST_CHANGE_TRIGGER_TIME: trigger}
        body = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": meta,
                "addressType": "IPv4", "endpoints": endpoints, "ports": ports}
        if not endpoints:
            del body["endpoints"]
        if not ports:
            del body["ports"]
        self.client.create(body)
