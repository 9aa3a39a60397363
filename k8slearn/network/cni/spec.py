"""The CNI contract: a runtime executes a plugin with a command, a config and a network namespace.

A container runtime (containerd, CRI-O) wires a new pod sandbox by executing the plugin named in
``/etc/cni/net.d/*.conflist`` with ``CNI_COMMAND=ADD``, ``CNI_CONTAINERID``, ``CNI_NETNS`` and
``CNI_IFNAME=eth0`` in the environment and the network config on stdin. The plugin answers with a
JSON *result*: the interfaces it made, the IPs it assigned and the routes. ``DEL`` undoes it.

>>> host = Host("node-1")
>>> config = node_network_config("10.244.1.0/24")
>>> result = invoke(host, config, "ADD", "c0ffee", "/var/run/netns/cni-1")
>>> result["ips"][0]["address"], result["ips"][0]["gateway"]
('10.244.1.2/24', '10.244.1.1')
>>> host.files["/var/lib/cni/networks/containerd-net/10.244.1.2"]
'c0ffee\\r\\neth0'
>>> invoke(host, config, "DEL", "c0ffee", "/var/run/netns/cni-1")
{}

Simplified: the plugins are Python functions, not executables; "interfaces" are records in a
per-node :class:`Host`, and no packet moves until the networking chapter's packet-path tracer.

Upstream: containernetworking/cni SPEC.md; containerd's CNI config template
(``/etc/cni/net.d/10-containerd-net.conflist``, filled with the node's PodCIDR)
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.network.cni.host_state import Interfaces, NetworkNamespaces

CNI_VERSION = "1.1.0"
SUPPORTED_VERSIONS = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"]
CONFIG_PATH = "/etc/cni/net.d/10-containerd-net.conflist"

# Error codes from the spec.
INCOMPATIBLE_VERSION, UNKNOWN_CONTAINER, INVALID_CONFIG, TRY_AGAIN_LATER = 1, 3, 7, 11
INTERNAL = 999  # types.ErrInternal: a plugin's own failure


class CNIError(Exception):
    """A plugin error result: ``{"cniVersion", "code", "msg", "details"}``."""

    def __init__(self, code: int, msg: str, details: str = "") -> None:
        super().__init__(f"{msg}: {details}" if details else msg)
        self.code, self.msg, self.details = code, msg, details

    def result(self) -> dict:
        return {"cniVersion": CNI_VERSION, "code": self.code, "msg": self.msg, "details": self.details}


class Host:
    """What a node's kernel and disk hold for networking: interfaces and plugin state files."""

    def __init__(self, name: str) -> None:
        self.name = name
        # The hash of the ``"<node>/"`` every MAC seed starts with, taken once: FNV-1a reads the
        # text byte by byte, so going on from it gives the hash of the whole text (a simulation
        # speed-up with the same MACs; two per pod, each hash a Python loop over the bytes).
        self._prefix_hash = hash_text(f"{name}/")
        # name -> {"mac", "addresses", "type", "master", "peer"}; netns path -> {"interfaces": {...},
        # "routes": [...]}. Both read as dicts; a pod's records are kept compact (see host_state).
        self.interfaces = Interfaces(self.mac)
        self.files: dict[str, str] = {}  # path -> content (host-local IPAM state lives here)
        self.netns = NetworkNamespaces(self.mac)

    def write_file(self, path: str, content: str) -> None:
        self.files[path] = content

    def mac(self, seed: str) -> str:
        """A stable locally-administered MAC address for an interface."""
        digest = abs(hash_text(seed, self._prefix_hash))  # = hash_text(f"{self.name}/{seed}")
        # 0a, then the digest's five low bytes, lowest first: the same text as joining
        # f"{(digest >> 8 * i) & 0xFF:02x}" for i in 0..4, in one call (a speed-up, same result).
        return "0a:" + digest.to_bytes(8, "little")[:5].hex(":")


FNV_OFFSET = 0xCBF29CE484222325


def hash_text(text: str, value: int = FNV_OFFSET) -> int:
    """A deterministic hash (Python's str hash is salted per process): 64-bit FNV-1a.

    ``value`` is where to start: the hash of the text before this one, so that
    ``hash_text(b, hash_text(a)) == hash_text(a + b)``.

    >>> hash_text("node-1/veth0", hash_text("ab")) == hash_text("abnode-1/veth0")
    True
    """
    for byte in text.encode():
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def node_network_config(pod_cidr: str) -> dict:
    """containerd's default CNI conflist for a node: bridge ``cni0`` + host-local IPAM + portmap."""
    return {
        "cniVersion": "1.0.0",
        "name": "containerd-net",
        "plugins": [
            {
                "type": "bridge",
                "bridge": "cni0",
                "isGateway": True,
                "ipMasq": True,
                "promiscMode": True,
                "ipam": {
                    "type": "host-local",
                    "ranges": [[{"subnet": pod_cidr}]],
                    "routes": [{"dst": "0.0.0.0/0"}],
                },
            },
            {"type": "portmap", "capabilities": {"portMappings": True}},
        ],
    }


def invoke(
    host: Host, conflist: dict, command: str, container_id: str, netns: str, ifname: str = "eth0"
) -> dict:
    """Run every plugin of the conflist for ``command`` (DEL runs them in reverse), as libcni does."""
    from k8slearn.network.cni import plugins

    if command == "VERSION":
        return {"cniVersion": CNI_VERSION, "supportedVersions": SUPPORTED_VERSIONS}
    if command not in ("ADD", "DEL", "CHECK"):
        raise CNIError(4, "invalid environment variables", f"unknown CNI_COMMAND {command!r}")
    chain = conflist["plugins"] if command != "DEL" else list(reversed(conflist["plugins"]))
    previous: dict[str, Any] = {}
    for plugin in chain:
        run = plugins.PLUGINS.get(plugin["type"])
        if run is None:
            raise CNIError(
                INVALID_CONFIG,
                "Invalid Configuration",
                f"failed to find plugin {plugin['type']!r} in path [/opt/cni/bin]",
            )
        config = {"cniVersion": conflist["cniVersion"], "name": conflist["name"], **plugin}
        if previous:
            config["prevResult"] = previous
        previous = run(host, config, command, container_id, netns, ifname)
    return previous if command == "ADD" else {}


def config_text(conflist: dict) -> str:
    """The conflist as the file on disk would read."""
    return json.dumps(conflist, indent=2)
