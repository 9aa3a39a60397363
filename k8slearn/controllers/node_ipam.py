"""Node IPAM: give every node its own slice of the pod network (``spec.podCIDR``).

kube-controller-manager runs with ``--allocate-node-cidrs --cluster-cidr=10.244.0.0/16`` in a
kubeadm cluster set up for flannel. The range allocator hands each node the next free /24:

>>> allocator = CIDRSet("10.244.0.0/16", 24)
>>> allocator.allocate_next(), allocator.allocate_next()
('10.244.0.0/24', '10.244.1.0/24')
>>> allocator.release("10.244.0.0/24"); allocator.allocate_next()
'10.244.0.0/24'

The CNI plugin on each node then takes pod IPs from that node's /24, so a pod's IP tells you
which node it lives on.

Simplified: IPv4 only, one CIDR per node; the free slot is the lowest free index (upstream scans
from the last allocated index and wraps around).

Upstream: pkg/controller/nodeipam/ipam/range_allocator.go, pkg/controller/nodeipam/ipam/cidrset/
"""

from __future__ import annotations

import ipaddress

from k8slearn.api.meta import thaw
from k8slearn.controllers.base import Controller, Requeue

CLUSTER_CIDR = "10.244.0.0/16"
NODE_CIDR_MASK_SIZE = 24


class CIDRSet:
    """The pool of node-sized subnets cut from the cluster CIDR."""

    def __init__(self, cluster_cidr: str = CLUSTER_CIDR, mask_size: int = NODE_CIDR_MASK_SIZE) -> None:
        self.network = ipaddress.ip_network(cluster_cidr)
        self.subnets = list(self.network.subnets(new_prefix=mask_size))
        self.used: set[int] = set()

    def allocate_next(self) -> str:
        for index in range(len(self.subnets)):
            if index not in self.used:
                self.used.add(index)
                return str(self.subnets[index])
        raise ValueError(
            "CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range"
        )

    def occupy(self, cidr: str) -> None:
        subnet = ipaddress.ip_network(cidr)
        if subnet.subnet_of(self.network):
            self.used.add(self.subnets.index(subnet))

    def release(self, cidr: str) -> None:
        self.used.discard(self.subnets.index(ipaddress.ip_network(cidr)))


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
            self.recorder.event(node, "Normal", "CIDRNotAvailable", f"Node {key} status is now: CIDRNotAvailable")
            raise Requeue(str(err)) from None
        update = thaw(node)
        update["spec"]["podCIDR"] = cidr
        update["spec"]["podCIDRs"] = [cidr]
        try:
            self.client.update(update)
        except Exception:
            self.cidrs.release(cidr)
            raise
        self.loop.record(self.name, "allocate", f"node/{key}", f"podCIDR {cidr}")
