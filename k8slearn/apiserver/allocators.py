"""Service ClusterIP and NodePort allocators: a bitmap of a range, and a random free bit.

The API server hands every new Service a ClusterIP from ``--service-cluster-ip-range``
(kubeadm: ``10.96.0.0/12``) and, for ``type: NodePort``/``LoadBalancer``, a port from
``--service-node-port-range`` (``30000-32767``). Each range is a bitmap: bit *i* is set when
address *i* is taken. A requested address is checked and marked; a missing one is drawn at random.

Since Kubernetes 1.26/1.29 the range is split in two bands: random allocation prefers the *upper*
band, so the lower band (the first ``min(max(16, size/16), 256)`` IPs, ``min(max(16, size/32), 128)``
ports) stays free for addresses people pick by hand, such as ``10.96.0.10`` for kube-dns.

>>> import random
>>> ips = ClusterIPAllocator("10.96.0.0/12", random.Random(0))
>>> ips.allocate("10.96.0.1")
>>> ips.allocate("10.96.0.1")
Traceback (most recent call last):
...
k8slearn.apiserver.allocators.AllocationError: provided IP is already allocated
>>> ips.allocate_next().startswith("10.96.0.")   # dynamic addresses come from the upper band
False
>>> ports = NodePortAllocator(30000, 32767, random.Random(0))
>>> 30086 <= ports.allocate_next() <= 32767
True

Simplified: the bitmaps live in memory (the real ones are RangeAllocation objects stored in etcd
under /registry/ranges/serviceips and servicenodeports, kept honest by a repair controller); these
are rebuilt from the Services in the watch cache. Single-stack IPv4 only; no health-check NodePorts.

Upstream: pkg/registry/core/service/ipallocator/bitmap.go, portallocator/allocator.go,
pkg/registry/core/service/allocator/bitmap.go (randomScanStrategyWithOffset)
"""

from __future__ import annotations

import copy
import ipaddress
import random
from typing import TYPE_CHECKING, Callable

from k8slearn.api import field
from k8slearn.api.errors import internal_error, invalid
from k8slearn.api.resources import lookup
from k8slearn.api.validation.core import VALID_IP

if TYPE_CHECKING:
    from k8slearn.api.resources import ResourceInfo

ERR_IP_ALLOCATED = "provided IP is already allocated"
ERR_PORT_ALLOCATED = "provided port is already allocated"
ERR_FULL = "range is full"


class AllocationError(Exception):
    """An address could not be allocated; ``str()`` is the allocator's own error text."""


class _Bitmap:
    """``size`` bits; random allocation scans the upper band [offset, size) first, then [0, offset)."""

    def __init__(self, size: int, offset: int, rng: random.Random) -> None:
        self.size, self.offset, self.rng = size, offset, rng
        self.taken: set[int] = set()

    def allocate_next(self) -> int:
        if len(self.taken) >= self.size:
            raise AllocationError(ERR_FULL)
        for lo, hi in ((self.offset, self.size), (0, self.offset)):
            span = hi - lo
            if span <= 0:
                continue
            start = self.rng.randrange(span)
            for i in range(span):
                at = lo + (start + i) % span
                if at not in self.taken:
                    self.taken.add(at)
                    return at
        raise AllocationError(ERR_FULL)


def range_offset(size: int, step: int, maximum: int) -> int:
    """``min(max(16, size/step), maximum)``: the size of the lower, static band (0 for tiny ranges)."""
    if size < 16:
        return 0
    return min(max(16, size // step), maximum)


class ClusterIPAllocator:
    """Allocates Service ClusterIPs from one IPv4 CIDR (network and broadcast addresses excluded)."""

    def __init__(self, cidr: str = "10.96.0.0/12", rng: random.Random | None = None) -> None:
        self.cidr = cidr
        self.network = ipaddress.ip_network(cidr)
        self.base = int(self.network.network_address) + 1
        size = self.network.num_addresses - 2
        self._bits = _Bitmap(size, range_offset(self.network.num_addresses, 16, 256), rng or random.Random(0))

    def _bit(self, ip: str) -> int:
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            raise AllocationError(f"failed to parse service IP {ip!r}") from None
        bit = int(addr) - self.base
        if not 0 <= bit < self._bits.size:
            raise AllocationError(
                f"the provided IP ({ip}) is not in the valid range. The range of valid IPs is {self.cidr}")
        return bit

    def allocate(self, ip: str) -> None:
        """Mark ``ip`` taken; AllocationError if it is outside the range or already taken."""
        bit = self._bit(ip)
        if bit in self._bits.taken:
            raise AllocationError(ERR_IP_ALLOCATED)
        self._bits.taken.add(bit)

    def allocate_next(self) -> str:
        """A random free address (upper band first)."""
        return str(ipaddress.ip_address(self.base + self._bits.allocate_next()))

    def release(self, ip: str) -> None:
        try:
            self._bits.taken.discard(self._bit(ip))
        except AllocationError:
            pass

    def has(self, ip: str) -> bool:
        try:
            return self._bit(ip) in self._bits.taken
        except AllocationError:
            return False

    def used(self) -> int:
        return len(self._bits.taken)


class NodePortAllocator:
    """Allocates NodePorts from ``[first, last]``."""

    def __init__(self, first: int = 30000, last: int = 32767, rng: random.Random | None = None) -> None:
        self.first, self.last = first, last
        size = last - first + 1
        self._bits = _Bitmap(size, range_offset(size, 32, 128), rng or random.Random(0))

    def _bit(self, port: int) -> int:
        if not isinstance(port, int) or not self.first <= port <= self.last:
            raise AllocationError("provided port is not in the valid range. "
                                  f"The range of valid ports is {self.first}-{self.last}")
        return port - self.first

    def allocate(self, port: int) -> None:
        bit = self._bit(port)
        if bit in self._bits.taken:
            raise AllocationError(ERR_PORT_ALLOCATED)
        self._bits.taken.add(bit)

    def allocate_next(self) -> int:
        return self.first + self._bits.allocate_next()

    def release(self, port: int) -> None:
        try:
            self._bits.taken.discard(self._bit(port))
        except AllocationError:
            pass

    def has(self, port: int) -> bool:
        try:
            return self._bit(port) in self._bits.taken
        except AllocationError:
            return False

    def used(self) -> int:
        return len(self._bits.taken)


# ---- the Service registry's use of the allocators ----------------------------------------------------

NEEDS_NODE_PORTS = ("NodePort", "LoadBalancer")


def held(svc: dict | None) -> tuple[list[str], list[int]]:
    """The ClusterIPs and NodePorts a stored Service holds."""
    if svc is None:
        return [], []
    spec = svc.get("spec") or {}
    ips = list(spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else []))
    ports = [p["nodePort"] for p in spec.get("ports") or [] if isinstance(p, dict) and p.get("nodePort")]
    return [ip for ip in ips if ip and ip != "None"], ports


def _patch_and_normalize_cluster_ips(spec: dict, old_spec: dict) -> None:
    """patchAllocatedValues, then normalizeClusterIPs, for an update that names an address: a field
    left out is the old one; a changed ``clusterIP`` beside unchanged ``clusterIPs`` moves into
    ``clusterIPs[0]``, so validation sees the change and refuses it ("may not change once set")."""
    if not spec.get("clusterIP"):
        spec["clusterIP"] = old_spec.get("clusterIP", "")
    if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
        spec["clusterIPs"] = list(old_spec["clusterIPs"])
    ips = spec.get("clusterIPs")
    if spec.get("clusterIP") != old_spec.get("clusterIP") and isinstance(ips, list) and ips \
            and ips == old_spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"], *ips[1:]]


class ServiceAllocation:
    """Allocates a Service's ClusterIP and NodePorts on create/update; releases them when it goes away.

    ``begin_create``/``begin_update`` run before validation (the registry's BeginCreate/BeginUpdate)
    and return a function that undoes the allocation if the request then fails. Releases happen
    when the watch cache sees a Service deleted or changed (``sync``), so a Service deleted straight
    from etcd frees its address too.
    """

    def __init__(self, ips: ClusterIPAllocator, ports: NodePortAllocator) -> None:
        self.ips = ips
        self.ports = ports

    def begin_create(self, svc: dict, old: dict | None = None) -> Callable[[], None]:
        taken_ips: list[str] = []
        taken_ports: list[int] = []

        def revert() -> None:
            for ip in taken_ips:
                self.ips.release(ip)
            for port in taken_ports:
                self.ports.release(port)

        try:
            self._cluster_ip(svc, old, taken_ips)
            self._node_ports(svc, old, taken_ports)
        except BaseException:
            revert()
            raise
        return revert

    begin_update = begin_create

    def _cluster_ip(self, svc: dict, old: dict | None, taken: list[str]) -> None:
        spec = svc.setdefault("spec", {})
        kind = spec.get("type") or "ClusterIP"
        if kind == "ExternalName":
            return
        old_spec = (old or {}).get("spec") or {}
        if old is not None and (old_spec.get("type") or "ClusterIP") != "ExternalName":
            if not spec.get("clusterIP") and not spec.get("clusterIPs"):  # patchAllocatedValues
                for key in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
                    if key in old_spec:
                        spec[key] = copy.deepcopy(old_spec[key])
            else:
                _patch_and_normalize_cluster_ips(spec, old_spec)
            return  # an existing Service keeps its address (validation refuses a change)
        ips = list(spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else []))
        if ips[:1] == ["None"]:
            spec["clusterIP"], spec["clusterIPs"] = "None", ["None"]
            if spec.get("selector"):
                spec.setdefault("ipFamilyPolicy", "SingleStack")
                spec.setdefault("ipFamilies", ["IPv4"])
            else:  # headless and selectorless: dual stack where the cluster has it
                spec.setdefault("ipFamilyPolicy", "RequireDualStack")
                spec.setdefault("ipFamilies", ["IPv4", "IPv6"])
            return
        if ips and ips[0]:
            try:
                ipaddress.ip_address(ips[0])
            except ValueError:  # ValidateServiceClusterIPsRelatedFields runs before allocation
                raise invalid(lookup("services"), svc["metadata"].get("name", ""),
                              [field.invalid("spec.clusterIPs[0]", ips[0], VALID_IP)]) from None
            try:
                self.ips.allocate(ips[0])
            except AllocationError as e:
                detail = f"failed to allocate IP {ips[0]}: {e}"
                raise invalid(lookup("services"), svc["metadata"].get("name", ""),
                              [field.invalid("spec.clusterIPs", ips, detail)]) from None
            ip = ips[0]
        else:
            try:
                ip = self.ips.allocate_next()
            except AllocationError as e:
                raise internal_error(f"failed to allocate a serviceIP: {e}") from None
        taken.append(ip)
        spec["clusterIP"], spec["clusterIPs"] = ip, [ip]
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")

    def _node_ports(self, svc: dict, old: dict | None, taken: list[int]) -> None:
        spec = svc.get("spec") or {}
        if (spec.get("type") or "ClusterIP") not in NEEDS_NODE_PORTS:
            return
        old_spec = (old or {}).get("spec") or {}
        _, old_ports = held(old)
        if (old_spec.get("type") or "ClusterIP") in NEEDS_NODE_PORTS:  # patchAllocatedValues, by port name
            by_name = {p.get("name", ""): p.get("nodePort") for p in old_spec.get("ports") or []}
            used = {p.get("nodePort") for p in spec.get("ports") or []}
            for port in spec.get("ports") or []:
                if not port.get("nodePort") and by_name.get(port.get("name", "")) not in used:
                    port["nodePort"] = by_name.get(port.get("name", ""))
        for i, port in enumerate(spec.get("ports") or []):
            if not isinstance(port, dict):
                continue
            wanted = port.get("nodePort")
            if wanted and (wanted in old_ports or wanted in taken):
                continue
            try:
                if wanted:
                    self.ports.allocate(wanted)
                else:
                    port["nodePort"] = wanted = self.ports.allocate_next()
            except AllocationError as e:
                if not wanted:
                    raise internal_error(f"failed to allocate a nodePort: {e}") from None
                raise invalid(lookup("services"), svc["metadata"].get("name", ""),
                              [field.invalid(f"spec.ports[{i}].nodePort", wanted, str(e))]) from None
            taken.append(wanted)

    def sync(self, info: "ResourceInfo", obj: dict | None, old: dict | None) -> None:
        """Watch-cache listener: hold what a Service now holds, release what it dropped."""
        if info.plural != "services":
            return
        new_ips, new_ports = held(obj)
        old_ips, old_ports = held(old)
        for ip in old_ips:
            if ip not in new_ips:
                self.ips.release(ip)
        for port in old_ports:
            if port not in new_ports:
                self.ports.release(port)
        for ip in new_ips:
            if not self.ips.has(ip):
                try:
                    self.ips.allocate(ip)
                except AllocationError:
                    pass  # outside the range: the repair controller would report it
        for port in new_ports:
            if not self.ports.has(port):
                try:
                    self.ports.allocate(port)
                except AllocationError:
                    pass
