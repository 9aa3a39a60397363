"""The pod network itself: which sandbox an IP address belongs to, on whichever node.

Kubernetes' network model says every pod can reach every other pod at its IP, on any node,
without NAT. The CNI plugins set that up (here containerd's bridge and host-local on each
node); this module is the wire: given a destination IP and port, it finds the pod sandbox that
holds the address and the program listening there. ``kubectl exec web -- wget -qO-
http://10.244.2.3`` goes this way:

>>> from types import SimpleNamespace as NS
>>> server = NS(port=80, kind="nginx")
>>> nginx = NS(program=NS(servers=(server,)), started_at=1.0)
>>> sandbox = NS(id="s1", ip="10.244.2.3", state="SANDBOX_READY")
>>> runtime = NS(sandboxes={"s1": sandbox}, pod_cidr="10.244.2.0/24",
...              list_containers=lambda sandbox_id, all_states: [nginx])
>>> network = PodNetwork(lambda: [runtime], now=lambda: 5.0)
>>> network.reach("10.244.2.3", 80) == (server, 4.0, nginx)
True
>>> network.reach("10.244.2.3", 8080), network.reach("10.244.2.9", 80), network.reach("10.96.0.1", 443)
(None, 'no route', 'outside the pod network')

Simplified: no packets, routes or tunnels: an address of a node's pod range either belongs to a
running sandbox or is unreachable (``No route to host``), and a powered-off node's pods are
unreachable. Addresses outside the pods' ranges (Service IPs: there is no kube-proxy yet; nodes;
the internet) are not simulated.

Upstream: the Kubernetes network model (https://kubernetes.io/docs/concepts/services-networking/),
containernetworking/plugins bridge (the node's side of the wire)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

NO_ROUTE = "no route"
OUTSIDE = "outside the pod network"


class PodNetwork:
    """Finds the listener at ``ip:port`` among the sandboxes of every node's runtime."""

    def __init__(self, runtimes: Callable[[], Iterable[Any]], now: Callable[[], float]) -> None:
        self.runtimes = runtimes
        self.now = now

    def reach(self, ip: str, port: int) -> tuple[Any, float, Any] | str | None:
        """(server, its uptime, the container it runs in) at ``ip:port``; None when the pod is there but nothing listens
        (connection refused); ``NO_ROUTE`` when no running pod has the address; ``OUTSIDE`` for
        an address in no node's pod range (a Service IP, a node, the internet)."""
        address = ipaddress.ip_address(ip)
        runtimes = list(self.runtimes())
        if not any(r.pod_cidr and address in ipaddress.ip_network(r.pod_cidr) for r in runtimes):
            return OUTSIDE
        for runtime in runtimes:
            for sandbox in runtime.sandboxes.values():
                if sandbox.ip != ip or sandbox.state != "SANDBOX_READY":
                    continue
                for container in runtime.list_containers(sandbox_id=sandbox.id, all_states=False):
                    for server in container.program.servers:
                        if server.port == port:
                            return server, self.now() - container.started_at, container
                return None
        return NO_ROUTE
