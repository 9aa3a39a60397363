"""The EndpointSlice mirroring controller: EndpointSlices for Endpoints written by hand.

A Service without a selector gets no endpoints from the controllers: whoever made it writes its
Endpoints object (an external database, say ``192.0.2.42:9376``). kube-proxy and ``kubectl
describe svc`` read EndpointSlices, so this controller copies ("mirrors") each such Endpoints
object into slices named ``<name>-<random>``, owned by the Endpoints and labelled
``kubernetes.io/service-name: <name>`` and
``endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io``:

* one slice per subset (after RepackSubsets) and address type, with the subset's ports;
* each address becomes an endpoint with ``conditions.ready`` (true for ``addresses``, false for
  ``notReadyAddresses``) and the address's ``hostname``, ``nodeName`` and ``targetRef``;
* the slice carries the Endpoints' labels, and its annotations except
  ``last-change-trigger-time`` and ``kubectl.kubernetes.io/last-applied-configuration``;
* at most 1000 addresses per subset are mirrored (a Warning event ``TooManyAddressesToMirror``).

It mirrors nothing (and removes what it mirrored) when the Service is gone or has a selector, or
when the Endpoints carries ``endpointslice.kubernetes.io/skip-mirror: "true"`` (the API server's
own ``kubernetes`` Endpoints does) or a leader-election annotation. Like the EndpointSlice
controller it skips a sync while its cache lags behind its own writes (EndpointSliceTracker).

Simplified: the addresses of a new slice keep the Endpoints' order (upstream: map order).

Upstream: pkg/controller/endpointslicemirroring/endpointslicemirroring_controller.go,
reconciler.go, reconciler_helpers.go, utils.go
"""

from __future__ import annotations

import ipaddress
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import owner_reference
from k8slearn.client.cache import meta_key, split_key
from k8slearn.controllers.base import Controller, Requeue
from k8slearn.controllers.endpoints import LAST_CHANGE_TRIGGER_TIME, repack_subsets
from k8slearn.controllers.endpointslice import (
    endpoints_equal_beyond_hash,
    hash_endpoint,
    port_map_key,
)
from k8slearn.controllers.endpointslice_tracker import (
    MANAGED_BY_LABEL,
    SERVICE_NAME_LABEL,
    EndpointSliceTracker,
    TrackedSliceHandlers,
    service_key,
    write_slices,
)

CONTROLLER_NAME = "endpointslicemirroring-controller.k8s.io"
SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror"
LEADER_ELECTION_ANNOTATION = "control-plane.alpha.kubernetes.io/leader"
LAST_APPLIED_CONFIG = "kubectl.kubernetes.io/last-applied-configuration"
MAX_ENDPOINTS_PER_SUBSET = 1000  # --mirroring-max-endpoints-per-subset


def should_mirror(endpoints: dict | None) -> bool:
    """shouldMirror: not marked skip-mirror and not a leader-election record."""
    if endpoints is None:
        return False
    meta = endpoints["metadata"]
    return (meta.get("labels") or {}).get(SKIP_MIRROR_LABEL) != "true" \
        and LEADER_ELECTION_ANNOTATION not in (meta.get("annotations") or {})


def address_to_endpoint(address: dict, ready: bool) -> tuple[dict, str] | None:
    """addressToEndpoint: the endpoint and its address type (None for an address that is no IP)."""
    try:
        ip = ipaddress.ip_address(address["ip"])
    except ValueError:
        return None
    endpoint: dict = {"addresses": [str(ip)], "conditions": {"ready": ready}}
    if address.get("hostname"):
        endpoint["hostname"] = address["hostname"]
    if address.get("targetRef"):
        endpoint["targetRef"] = dict(address["targetRef"])
    if address.get("nodeName") is not None:
        endpoint["nodeName"] = address["nodeName"]
    return endpoint, "IPv4" if ip.version == 4 else "IPv6"


def ep_ports_to_eps_ports(ports: list[dict] | None) -> list[dict]:
    """epPortsToEpsPorts: an Endpoints port as an EndpointSlice port (the name always present)."""
    out = []
    for port in ports or ():
        eps_port = {"name": port.get("name") or "", "protocol": port.get("protocol") or "TCP",
                    "port": port["port"]}
        if port.get("appProtocol"):
            eps_port["appProtocol"] = port["appProtocol"]
        out.append(eps_port)
    return out


def mirrored_annotations(endpoints: dict) -> dict:
    return {k: v for k, v in (endpoints["metadata"].get("annotations") or {}).items()
            if k not in (LAST_CHANGE_TRIGGER_TIME, LAST_APPLIED_CONFIG)}


def new_endpoint_slice(endpoints: dict, ports: list[dict], address_type: str, name: str) -> dict:
    """newEndpointSlice: owned by the Endpoints, with its labels and annotations; named ``name``
    (an update of that slice) or by the API server from ``<name>-``."""
    meta = endpoints["metadata"]
    labels = {**(meta.get("labels") or {}), SERVICE_NAME_LABEL: meta["name"],
              MANAGED_BY_LABEL: CONTROLLER_NAME}
    slice_meta: dict = {"namespace": meta["namespace"], "labels": labels,
                        "ownerReferences": [owner_reference(endpoints)]}
    if mirrored_annotations(endpoints):
        slice_meta["annotations"] = mirrored_annotations(endpoints)
    if name:
        slice_meta["name"] = name
    else:
        slice_meta["generateName"] = f"{meta['name']}-"
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": slice_meta,
            "addressType": address_type, "endpoints": [], "ports": ports or None}


def total_changes(existing: dict, desired: dict[tuple, dict]) -> tuple[int, int, int]:
    """totalChanges: endpoints to add, update and remove to turn ``existing`` into ``desired``."""
    updated = removed = matches = 0
    for endpoint in existing.get("endpoints") or ():
        wanted = desired.get(hash_endpoint(endpoint))
        if wanted is None:
            removed += 1
        else:
            matches += 1
            updated += not endpoints_equal_beyond_hash(wanted, endpoint)
    return len(desired) - matches, updated, removed


class EndpointSliceMirroringController(TrackedSliceHandlers, Controller):
    """Mirrors the Endpoints of selectorless Services into EndpointSlices."""

    name = "endpoint-slice-mirroring-controller"
    managed_by = CONTROLLER_NAME

    def __init__(self, loop: Any, client: Any, informers: Any = None,
                 max_endpoints_per_subset: int = MAX_ENDPOINTS_PER_SUBSET) -> None:
        super().__init__(loop, client, informers)
        self.max_endpoints_per_subset = max_endpoints_per_subset
        self.endpoints_informer = self.informers.informer("endpoints")
        self.slice_informer = self.informers.informer("endpointslices")
        self.service_informer = self.informers.informer("services")
        self.endpoints_informer.add_event_handler(on_add=self._endpoints_changed,
                                                  on_update=self._endpoints_updated,
                                                  on_delete=self._endpoints_changed)
        self.slice_informer.add_event_handler(on_add=self._slice_added, on_update=self._slice_updated,
                                              on_delete=self._slice_deleted)
        self.service_informer.add_event_handler(on_add=self._service_changed, on_update=self._service_updated,
                                                on_delete=self._service_changed)
        self.tracker = EndpointSliceTracker()

    # -- handlers for Endpoints and Services: a key is the Endpoints' (and its Service's) name ---
    def _endpoints_changed(self, endpoints: dict) -> None:
        if should_mirror(endpoints):
            self.enqueue(endpoints)

    def _endpoints_updated(self, old: dict, cur: dict) -> None:
        if should_mirror(old) or should_mirror(cur):
            self.enqueue(cur)

    def _service_changed(self, service: dict) -> None:
        if not service["spec"].get("selector"):
            self.enqueue(service)

    def _service_updated(self, old: dict, cur: dict) -> None:
        if bool(old["spec"].get("selector")) != bool(cur["spec"].get("selector")):  # added or removed
            self.enqueue(cur)

    # -- handlers for slices (TrackedSliceHandlers): only changes this controller did not make
    def queue_for_slice(self, endpoint_slice: dict) -> None:
        if (endpoint_slice["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL):
            self.queue.add(service_key(endpoint_slice))

    # -- sync ------------------------------------------------------------------------------------
    def mirrored_slices(self, namespace: str, name: str) -> list[dict]:
        return [s for s in self.slice_informer.lister.list(namespace)
                if (s["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL) == name and self.managed(s)]

    def sync(self, key: str) -> None:
        """syncEndpoints: mirror the Endpoints of a selectorless Service, or remove what was mirrored."""
        namespace, name = split_key(key)
        endpoints = self.endpoints_informer.lister.get(name, namespace)
        service = self.service_informer.lister.get(name, namespace)
        if not should_mirror(endpoints) or service is None or service["spec"].get("selector"):
            self.delete_mirrored_slices(namespace, name)
            return
        slices = self.mirrored_slices(namespace, name)
        if self.tracker.stale_slices(service, slices):
            raise Requeue("EndpointSlice informer cache is out of date")
        self.reconcile(endpoints, slices)

    def delete_mirrored_slices(self, namespace: str, name: str) -> None:
        """deleteMirroredSlices (the garbage collector would, too, once the Endpoints is gone)."""
        self.tracker.delete_service(namespace, name)
        slices = self.mirrored_slices(namespace, name)
        errors = []
        for endpoint_slice in slices:
            try:
                self.client.delete("endpointslices", endpoint_slice["metadata"]["name"], namespace)
            except ApiError as err:
                errors.append(err)
        if errors:
            raise Requeue(f"error(s) deleting {len(errors)}/{len(slices)} EndpointSlices for "
                          f"{namespace}/{name} Endpoints, including: {errors[0]}")

    def reconcile(self, endpoints: dict, existing: list[dict]) -> None:
        """reconcile: the desired endpoints per (address type, ports), then one slice for each."""
        desired: dict[tuple, dict[tuple, dict]] = {}  # (address type, port key) -> {hash: endpoint}
        ports_by_key: dict[tuple, list[dict]] = {}
        skipped = invalid = 0
        for subset in repack_subsets(self.entries(endpoints)):
            ports = ep_ports_to_eps_ports(subset.get("ports"))
            addresses = [(a, True) for a in subset.get("addresses") or ()] + \
                [(a, False) for a in subset.get("notReadyAddresses") or ()]
            added = 0
            for address, ready in addresses:
                if added >= self.max_endpoints_per_subset:
                    break
                converted = address_to_endpoint(address, ready)
                if converted is None:
                    invalid += 1
                    continue
                endpoint, address_type = converted
                key = (address_type, port_map_key(ports))
                ports_by_key[key] = ports
                desired.setdefault(key, {})[hash_endpoint(endpoint)] = endpoint
                added += 1
            skipped += len(addresses) - added
        if invalid:
            self.recorder.event(endpoints, "Warning", "InvalidIPAddress",
                                f"Skipped {invalid} invalid IP addresses when mirroring to EndpointSlices")
        if skipped > invalid:
            self.recorder.event(endpoints, "Warning", "TooManyAddressesToMirror",
                                f"A max of {self.max_endpoints_per_subset} addresses can be mirrored to "
                                f"EndpointSlices per Endpoints subset. {skipped} addresses were skipped")
        existing_by_key: dict[tuple, list[dict]] = {}
        for s in existing:
            existing_by_key.setdefault((s.get("addressType"), port_map_key(s.get("ports"))), []).append(s)
        to_create: list[dict] = []
        to_update: list[dict] = []
        to_delete: list[dict] = []
        for key, wanted in desired.items():
            create, update, delete = self.reconcile_by_port_mapping(
                endpoints, existing_by_key.get(key, []), wanted, ports_by_key[key], key[0])
            to_create += create
            to_update += update
            to_delete += delete
        for key, slices in existing_by_key.items():
            if key not in desired:
                to_delete += slices
        self.finalize(endpoints, to_create, to_update, to_delete)

    @staticmethod
    def entries(endpoints: dict) -> list[tuple[dict, dict | None, bool]]:
        """The Endpoints' subsets as (address, port, ready) for RepackSubsets."""
        entries = []
        for subset in endpoints.get("subsets") or ():
            for field, ready in (("addresses", True), ("notReadyAddresses", False)):
                for address in subset.get(field) or ():
                    for port in subset.get("ports") or [None]:
                        entries.append((dict(address), dict(port) if port else None, ready))
        return entries

    def reconcile_by_port_mapping(self, endpoints: dict, existing: list[dict], desired: dict[tuple, dict],
                                  ports: list[dict], address_type: str) -> tuple[list, list, list]:
        """reconcileByPortMapping: one slice holds them all; the others of this key are deleted."""
        if not desired:
            return [], [], list(existing)
        if existing:
            first = existing[0]
            labels = {k: v for k, v in (first["metadata"].get("labels") or {}).items()
                      if k not in (MANAGED_BY_LABEL, SERVICE_NAME_LABEL)}
            if total_changes(first, desired) == (0, 0, 0) \
                    and labels == dict(endpoints["metadata"].get("labels") or {}) \
                    and mirrored_annotations(endpoints) == dict(first["metadata"].get("annotations") or {}):
                return [], [], existing[1:]
        name = existing[0]["metadata"]["name"] if existing else ""
        new = new_endpoint_slice(endpoints, ports, address_type, name)
        new["endpoints"] = list(desired.values())[:self.max_endpoints_per_subset]
        return ([], [new], existing[1:]) if existing else ([new], [], [])

    def finalize(self, endpoints: dict, to_create: list[dict], to_update: list[dict],
                 to_delete: list[dict]) -> None:
        """finalize: recycle slices to delete as updates of slices to create (recycleSlices), then write."""
        for address_type in dict.fromkeys(s["addressType"] for s in to_create):
            creates = [s for s in to_create if s["addressType"] == address_type]
            deletes = [s for s in to_delete if s.get("addressType") == address_type]
            for create, delete in zip(creates, deletes):
                to_create.remove(create)
                to_delete.remove(delete)
                create["metadata"]["name"] = delete["metadata"]["name"]
                to_update.append(create)
        where = f"for Endpoints {meta_key(endpoints)}"
        write_slices(self.client, self.tracker, where, not endpoints["metadata"].get("deletionTimestamp"),
                     to_create, to_update, to_delete)
