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

Simplified: the bitmap lives in memory (the real one is a RangeAllocation object stored in etcd
under /registry/ranges/serviceips, kept honest by a repair controller); this one is rebuilt from
the Services in the watch cache; single stack IPv4 only.

Upstream: pkg/registry/core/service/ipallocator/bitmap.go, portallocator/allocator.go,
pkg/registry/core/service/allocator/bitmap.go (randomScanStrategyWithOffset)
"""

from __future__ import annotations

import ipaddress
import random

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
            raise AllocationError(
                f"provided port is not in the valid range. The range of valid ports is {self.first}-{self.last}")
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
