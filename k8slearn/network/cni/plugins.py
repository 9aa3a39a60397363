"""Three reference CNI plugins: ``bridge`` (with ``host-local`` IPAM) and ``portmap``.

``bridge`` makes sure the node has a Linux bridge (``cni0``) holding the gateway address, creates a
veth pair, moves one end into the pod's network namespace as ``eth0`` and asks its IPAM plugin
for an address. ``host-local`` hands out addresses from the node's subnet, one file per address
under ``/var/lib/cni/networks/<network>/``, continuing after the last one it reserved.

Simplified: no real kernel objects, no iptables masquerade rules, no hairpin mode; ``portmap``
only records the mappings it would install.

Upstream: containernetworking/plugins plugins/main/bridge/bridge.go,
plugins/ipam/host-local/backend/allocator/allocator.go, plugins/meta/portmap/
"""

from __future__ import annotations

import ipaddress

from k8slearn.network.cni.spec import CNI_VERSION, INTERNAL, UNKNOWN_CONTAINER, CNIError, Host

STATE_DIR = "/var/lib/cni/networks"


# -- host-local IPAM --------------------------------------------------------------------------
def _range(config: dict) -> tuple[ipaddress.IPv4Network, list]:
    subnet = ipaddress.ip_network(config["ipam"]["ranges"][0][0]["subnet"])
    hosts = list(subnet.hosts())  # .1 .. .254 for a /24
    return subnet, hosts


def host_local(host: Host, config: dict, command: str, container_id: str, ifname: str) -> dict:
    """Allocate (ADD) or release (DEL) one address for ``container_id`` from the node's subnet."""
    subnet, hosts = _range(config)
    gateway = hosts[0]
    folder = f"{STATE_DIR}/{config['name']}"
    owner = f"{container_id}\r\n{ifname}"
    if command == "DEL":
        for path, content in list(host.files.items()):
            if path.startswith(folder + "/") and content == owner:
                del host.files[path]
        return {}
    for path, content in host.files.items():
        if path.startswith(folder + "/") and content == owner:
            ip = path.rsplit("/", 1)[1]
            return _ipam_result(ip, subnet, gateway)
    candidates = hosts[1:]  # the gateway (.1) is never handed out
    last = host.files.get(f"{folder}/last_reserved_ip.0")
    start = 0
    if last is not None:
        start = (candidates.index(ipaddress.ip_address(last)) + 1) % len(candidates)
    for offset in range(len(candidates)):
        ip = str(candidates[(start + offset) % len(candidates)])
        if f"{folder}/{ip}" not in host.files:
            host.write_file(f"{folder}/{ip}", owner)
            host.write_file(f"{folder}/last_reserved_ip.0", ip)
            return _ipam_result(ip, subnet, gateway)
    raise CNIError(
        INTERNAL,
        "failed to allocate for range 0",
        f"no IP addresses available in range set: {candidates[0]}-{candidates[-1]}",
    )


def _ipam_result(ip: str, subnet, gateway) -> dict:
    return {
        "cniVersion": CNI_VERSION,
        "ips": [{"address": f"{ip}/{subnet.prefixlen}", "gateway": str(gateway)}],
        "routes": [{"dst": "0.0.0.0/0"}],
    }


# -- bridge -------------------------------------------------------------------------------------
def bridge(host: Host, config: dict, command: str, container_id: str, netns: str, ifname: str) -> dict:
    """Wire ``netns`` to the node bridge with a veth pair and an address from IPAM."""
    name = config.get("bridge", "cni0")
    veth = f"veth{container_id[:8]}"
    if command == "DEL":
        host_local(host, config, "DEL", container_id, ifname)
        host.interfaces.pop(veth, None)
        host.netns.pop(netns, None)
        return {}
    if command == "CHECK":
        if netns not in host.netns:
            raise CNIError(UNKNOWN_CONTAINER, "Container unknown", f"netns {netns} not set up")
        return config.get("prevResult", {})
    ipam = host_local(host, config, "ADD", container_id, ifname)
    gateway = ipam["ips"][0]["gateway"]
    prefix = ipam["ips"][0]["address"].split("/")[1]
    if name not in host.interfaces:
        host.interfaces[name] = {
            "mac": host.mac(name),
            "addresses": [f"{gateway}/{prefix}"],
            "type": "bridge",
        }
    host.interfaces[veth] = {
        "mac": host.mac(veth),
        "master": name,
        "type": "veth",
        "peer": f"{netns}:{ifname}",
    }
    pod_if = {"mac": host.mac(container_id), "addresses": [ipam["ips"][0]["address"]], "type": "veth"}
    host.netns[netns] = {
        "interfaces": {"lo": {"addresses": ["127.0.0.1/8"]}, ifname: pod_if},
        "routes": [{"dst": "0.0.0.0/0", "gw": gateway}],
    }
    return {
        "cniVersion": CNI_VERSION,
        "interfaces": [
            {"name": name, "mac": host.interfaces[name]["mac"]},
            {"name": veth, "mac": host.interfaces[veth]["mac"]},
            {"name": ifname, "mac": pod_if["mac"], "sandbox": netns},
        ],
        "ips": [{**ipam["ips"][0], "interface": 2}],
        "routes": [{"dst": "0.0.0.0/0", "gw": gateway}],
        "dns": {},
    }


def portmap(host: Host, config: dict, command: str, container_id: str, netns: str, ifname: str) -> dict:
    """Chained after bridge: passes the previous result through (host ports come later)."""
    return config.get("prevResult", {})


PLUGINS = {"bridge": bridge, "portmap": portmap}
