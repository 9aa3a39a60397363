"""Node IPAM: give every node its own slice of the pod network (``spec.podCIDR``).

kube-controller-manager runs with ``--allocate-node-cidrs --cluster-cidr=10.244.0.0/16`` in a
kubeadm cluster set up for flannel. The range allocator hands each node the next free /24:

>>> allocator = CIDRSet("10.244.0.0/16", 24)
>>> allocator.allocate_next(), allocator.allocate_next()
('10.244.0.0/24', '10.244.1.0/24')

A released subnet is not handed out again at once: the allocator goes on from the last one it
gave and comes back to the freed one after wrapping around the range:

>>> allocator.release("10.244.0.0/24"); allocator.allocate_next()
'10.244.2.0/24'

The CNI plugin on each node then takes pod IPs from that node's /24, so a pod's IP tells you
which node it lives on.

Simplified: IPv4 only, one CIDR per node.

Upstream: pkg/controller/nodeipam/ipam/range_allocator.go, pkg/controller/nodeipam/ipam/cidrset/,
pkg/util/node/node.go (PatchNodeCIDRs)
"""

from __future__ import annotations

import ipaddress

from k8slearn.client.record import node_reference
from k8slearn.controllers.base import Controller, Requeue

CLUSTER_CIDR = "10.244.0.0/16"
NODE_CIDR_MASK_SIZE = 24


class CIDRSet:
    """The pool of node-sized subnets cut from the cluster CIDR: one bit per subnet, as cidrset's
    bitmap, and subnets computed from their index (nothing is listed in advance)."""

    def __init__(self, cluster_cidr: str = CLUSTER_CIDR, mask_size: int = NODE_CIDR_MASK_SIZE) -> None:
        self.network = ipaddress.ip_network(cluster_cidr)
        self.mask_size = mask_size
        self.max_cidrs = 1 << (mask_size - self.network.prefixlen)
        self.used: set[int] = set()
        self.next_candidate = 0

    def _cidr(self, index: int) -> str:
        base = int(self.network.network_address) + (index << (32 - self.mask_size))
        return f"{ipaddress.IPv4Address(base)}/{self.mask_size}"

    def _index(self, cidr: str) -> int:
        subnet = ipaddress.ip_network(cidr)
        return (int(subnet.network_address) - int(self.network.network_address)) >> (32 - self.mask_size)

    def allocate_next(self) -> str:
        """AllocateNext: the first free subnet from the one after the last allocated, wrapping around."""
        if len(self.used) == self.max_cidrs:
            raise ValueError(
                "CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range"
            )
        candidate = self.next_candidate
        while candidate in self.used:
            candidate = (candidate + 1) % self.max_cidrs
        self.next_candidate = (candidate + 1) % self.max_cidrs
        self.used.add(candidate)
        return self._cidr(candidate)

    def occupy(self, cidr: str) -> None:
        if ipaddress.ip_network(cidr).subnet_of(self.network):
            self.used.add(self._index(cidr))

    def release(self, cidr: str) -> None:
        self.used.discard(self._index(cidr))


class NodeIpamController(Controller):
    """Watches nodes; a node without ``spec.podCIDR`` gets the next free /24."""

    name = "node-ipam-controller"

    def __init__(self, loop, client, informers=None, cluster_cidr: str = CLUSTER_CIDR) -> None:
        super().__init__(loop, client, informers)
        self.cidrs = CIDRSet(cluster_cidr)
        self.nodes = self.informers.informer("nodes")
        self.nodes.add_event_handler(
            on_add=self._on_add, on_update=lambda old, new: self.enqueue(new), on_delete=self._on_delete
        )

    def _on_add(self, node: dict) -> None:
        if node["spec"].get("podCIDR"):
            self.cidrs.occupy(node["spec"]["podCIDR"])  # already allocated before a restart
        self.enqueue(node)

    def _on_delete(self, node: dict) -> None:
        if node["spec"].get("podCIDR"):
            self.cidrs.release(node["spec"]["podCIDR"])
            self.loop.record(
                self.name,
                "release",
                f"node/{node['metadata']['name']}",
                f"podCIDR {node['spec']['podCIDR']} is free again",
            )

    def sync(self, key: str) -> None:
        node = self.nodes.lister.get(key)
        if node is None or node["spec"].get("podCIDR"):
            return
        try:
            cidr = self.cidrs.allocate_next()
        except ValueError as err:  # the cluster CIDR is full: say so on the node, try again later
            ref = node_reference(key, node["metadata"].get("uid", ""))  # nodeutil.RecordNodeStatusChange
            self.recorder.event(ref, "Normal", "CIDRNotAvailable", f"Node {key} status is now: CIDRNotAvailable")
            raise Requeue(str(err)) from None
        try:  # nodeutil.PatchNodeCIDRs: a strategic merge patch, so no write of another can conflict
            self.client.patch("nodes", key, {"spec": {"podCIDR": cidr, "podCIDRs": [cidr]}}, namespace=None)
        except Exception:
            self.cidrs.release(cidr)
            raise
        self.loop.record(self.name, "allocate", f"node/{key}", f"podCIDR {cidr}")
