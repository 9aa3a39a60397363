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

import functools
import ipaddress
from dataclasses import dataclass

from k8slearn.network.cni.spec import CNI_VERSION, INTERNAL, UNKNOWN_CONTAINER, CNIError, Host

STATE_DIR = "/var/lib/cni/networks"


# -- host-local IPAM --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Range:
    """One IPAM range as integers: the gateway and the first/last address handed out.

    A simulation speed-up with identical results: upstream compares ``net.IP`` values while it
    walks the range; the simulation walks plain integers and only turns the address it checks
    into text, instead of building a list of every address object of the subnet per call.

    >>> r = _range("10.244.1.0/24")
    >>> r.gateway, r.text(r.first), r.text(r.last), r.index_of("10.244.1.7"), r.index_of("10.244.1.1")
    ('10.244.1.1', '10.244.1.2', '10.244.1.254', 5, None)
    """

    prefixlen: int
    version: int
    gateway: str  # the first usable address (.1), kept by the bridge
    first: int  # the first address handed out (.2)
    last: int  # the last address handed out (.254 in a /24)

    def text(self, value: int) -> str:
        """The dotted (or IPv6) text of an address."""
        if self.version == 4:
            return f"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}"
        return str(ipaddress.IPv6Address(value))

    def index_of(self, text: str) -> int | None:
        """The offset of ``text`` from ``first``, or None if it is not an address of the range."""
        value = _dotted_value(text) if self.version == 4 else None
        if value is None:
            try:
                address = ipaddress.ip_address(text)
            except ValueError:
                return None
            value = int(address)
            if address.version != self.version:
                return None
        return value - self.first if self.first <= value <= self.last else None


def _dotted_value(text: str) -> int | None:
    """The value of a plain dotted-quad IPv4 address (``10.244.1.7``, as :meth:`_Range.text` writes
    it), or None for any other text, which ``ipaddress`` then judges.

    A simulation speed-up with identical results: host-local reads back the address it wrote last
    on every ADD, and this skips ``ipaddress``'s general parser for that one exact form (the text
    must read back unchanged, so leading zeros, signs or spaces all go the slow way).

    >>> _dotted_value("10.244.1.7") == int(ipaddress.ip_address("10.244.1.7"))
    True
    >>> [_dotted_value(t) for t in ("10.244.1.07", "10.244.1.256", "10.244.1", "::1", " 10.0.0.1")]
    [None, None, None, None, None]
    """
    parts = text.split(".")
    if len(parts) != 4:
        return None
    try:
        a, b, c, d = (int(part) for part in parts)
    except ValueError:
        return None
    if not (0 <= a <= 255 and 0 <= b <= 255 and 0 <= c <= 255 and 0 <= d <= 255):
        return None
    if f"{a}.{b}.{c}.{d}" != text:
        return None
    return (a << 24) | (b << 16) | (c << 8) | d


@functools.lru_cache(maxsize=1024)
def _range(subnet_text: str) -> _Range:
    """The range of a ``subnet``: its usable hosts (as ``ipaddress`` counts them) minus the gateway."""
    subnet = ipaddress.ip_network(subnet_text)
    if subnet.num_addresses <= 4:  # /30, /31, /32: hosts() has special cases, and is tiny
        hosts = [int(ip) for ip in subnet.hosts()]
        first_host, last_host = hosts[0], hosts[-1]
    else:  # hosts() = network+1 .. broadcast-1 (IPv4) or .. broadcast (IPv6)
        first_host = int(subnet.network_address) + 1
        last_host = int(subnet.broadcast_address) - (1 if subnet.version == 4 else 0)
    gateway = str(ipaddress.ip_address(first_host))
    return _Range(subnet.prefixlen, subnet.version, gateway, first_host + 1, last_host)


def host_local(host: Host, config: dict, command: str, container_id: str, ifname: str) -> dict:
    """Allocate (ADD) or release (DEL) one address for ``container_id`` from the node's subnet.

    ADD first looks for an address this container already holds; otherwise it walks the range
    from the address after ``last_reserved_ip.0``, wrapping at the end, and takes the first one
    without a file (the gateway is never handed out).
    """
    ipam_range = _range(config["ipam"]["ranges"][0][0]["subnet"])
    folder = f"{STATE_DIR}/{config['name']}/"
    owner = f"{container_id}\r\n{ifname}"
    files = host.files
    if command == "DEL":
        for path in [p for p, content in files.items() if content == owner and p.startswith(folder)]:
            del files[path]
        return {}
    # ``owner in files.values()`` first: a C-speed scan that is almost always a miss (a new
    # container), so the walk below only runs when the container may already hold an address
    # (a simulation speed-up with the same answer).
    if owner in files.values():
        for path, content in files.items():
            if content == owner and path.startswith(folder):
                return _ipam_result(path[len(folder):], ipam_range)
    size = ipam_range.last - ipam_range.first + 1
    last = files.get(f"{folder}last_reserved_ip.0")
    start = 0
    if last is not None:
        # Upstream: a last reserved address outside the range is ignored (start at the beginning).
        index = ipam_range.index_of(last)
        start = 0 if index is None else (index + 1) % size
    for offset in range(size):
        ip = ipam_range.text(ipam_range.first + (start + offset) % size)
        path = folder + ip
        if path not in files:
            host.write_file(path, owner)
            host.write_file(f"{folder}last_reserved_ip.0", ip)
            return _ipam_result(ip, ipam_range)
    raise CNIError(
        INTERNAL,
        "failed to allocate for range 0",
        f"no IP addresses available in range set: {ipam_range.text(ipam_range.first)}-"
        f"{ipam_range.text(ipam_range.last)}",
    )


def _ipam_result(ip: str, ipam_range: _Range) -> dict:
    return {
        "cniVersion": CNI_VERSION,
        "ips": [{"address": f"{ip}/{ipam_range.prefixlen}", "gateway": ipam_range.gateway}],
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
    # The veth's host end {"mac", "master", "type": "veth", "peer": "<netns>:<ifname>"} and the pod's
    # namespace (lo, ifname with its MAC and address, the default route), kept compact (host_state).
    host.interfaces.put_veth(veth, name, netns, ifname)
    host.netns.put_pod(netns, ifname, container_id, ipam["ips"][0]["address"], gateway)
    return {
        "cniVersion": CNI_VERSION,
        "interfaces": [
            {"name": name, "mac": host.interfaces[name]["mac"]},
            {"name": veth, "mac": host.mac(veth)},
            {"name": ifname, "mac": host.mac(container_id), "sandbox": netns},
        ],
        "ips": [{**ipam["ips"][0], "interface": 2}],
        "routes": [{"dst": "0.0.0.0/0", "gw": gateway}],
        "dns": {},
    }


def portmap(host: Host, config: dict, command: str, container_id: str, netns: str, ifname: str) -> dict:
    """Chained after bridge: passes the previous result through (host ports come later)."""
    return config.get("prevResult", {})


PLUGINS = {"bridge": bridge, "portmap": portmap}
