"""A node's network records per pod: the veth on the host and the pod's network namespace.

For every pod sandbox the ``bridge`` plugin leaves two records on the node: the host end of the
veth pair (``Host.interfaces["veth…"]``: its MAC, the bridge it is enslaved to, its peer) and the
pod's network namespace (``Host.netns[path]``: ``lo``, ``eth0`` with its MAC and address, the
default route). Read as a dict, each looks exactly like the dicts the plugin used to store; but a
node holds one of each per pod, and as three or four small dicts and their strings they cost
about a kilobyte a pod. So the tables here keep a pod's records as one tuple each (the MAC as the
seed it is computed from, the peer as its two parts) and build the dicts when they are read: a
simulation memory saving with the same contents. A read gives a new dict each time: to change a
record, store it again. Anything else stored in a table (the bridge's own record) is kept as it is.

>>> from k8slearn.network.cni.spec import Host
>>> host = Host("node-1")
>>> host.interfaces.put_veth("veth1234abcd", "cni0", "/var/run/netns/cni-1", "eth0")
>>> host.interfaces["veth1234abcd"] == {"mac": host.mac("veth1234abcd"), "master": "cni0",
...                                     "type": "veth", "peer": "/var/run/netns/cni-1:eth0"}
True
>>> host.netns.put_pod("/var/run/netns/cni-1", "eth0", "1234abcd", "10.244.1.2/24", "10.244.1.1")
>>> ns = host.netns["/var/run/netns/cni-1"]
>>> list(ns["interfaces"]), ns["interfaces"]["eth0"]["addresses"], ns["routes"]
(['lo', 'eth0'], ['10.244.1.2/24'], [{'dst': '0.0.0.0/0', 'gw': '10.244.1.1'}])
>>> host.netns.pop("/var/run/netns/cni-1")["interfaces"]["eth0"]["mac"] == host.mac("1234abcd")
True
>>> "/var/run/netns/cni-1" in host.netns, len(host.netns)
(False, 0)

Upstream: containernetworking/plugins plugins/main/bridge/bridge.go (setupVeth, the kernel state it
leaves); no counterpart for the compact form
"""

from __future__ import annotations

import functools
from collections.abc import MutableMapping
from typing import Any, Callable, Iterator

from k8slearn.api.meta import FrozenDict, FrozenList

# Every pod's network namespace has the same ``lo`` and, on one node, the same default route: one
# read-only copy is shared by all of them (a memory saving; the namespaces read the same).
LOOPBACK = FrozenDict(addresses=FrozenList(["127.0.0.1/8"]))


@functools.lru_cache(maxsize=1024)
def default_route(gateway: str) -> FrozenList:
    """``[{"dst": "0.0.0.0/0", "gw": gateway}]``, one read-only list per gateway (per node)."""
    return FrozenList([FrozenDict(dst="0.0.0.0/0", gw=gateway)])


class _Packed(tuple):
    """A record kept compact (a tuple subclass, so that no value a caller stores is taken for one)."""

    __slots__ = ()


class _Records(MutableMapping):
    """name -> record, a dict in every way that is read, with packed records built on each read."""

    __slots__ = ("_data", "_mac")

    def __init__(self, mac: Callable[[str], str]) -> None:
        self._data: dict[str, Any] = {}
        self._mac = mac  # the node's MAC function (Host.mac): packed records keep the seed

    def _build(self, key: str, record: _Packed) -> dict:
        raise NotImplementedError

    def __getitem__(self, key: str) -> Any:
        value = self._data[key]
        return self._build(key, value) if value.__class__ is _Packed else value

    def __setitem__(self, key: str, value: Any) -> None:
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        del self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class Interfaces(_Records):
    """``Host.interfaces``: interface name -> ``{"mac", "addresses", "type", ...}``."""

    __slots__ = ()

    def put_veth(self, name: str, master: str, netns: str, ifname: str) -> None:
        """The host end of a pod's veth pair: ``{"mac", "master", "type": "veth", "peer"}``, its MAC
        that of ``name`` and its peer ``<netns>:<ifname>``."""
        self._data[name] = _Packed((master, netns, ifname))

    def _build(self, key: str, record: _Packed) -> dict:
        master, netns, ifname = record
        return {"mac": self._mac(key), "master": master, "type": "veth", "peer": f"{netns}:{ifname}"}


class NetworkNamespaces(_Records):
    """``Host.netns``: namespace path -> ``{"interfaces": {"lo": ..., "eth0": ...}, "routes": [...]}``."""

    __slots__ = ()

    def put_pod(self, netns: str, ifname: str, mac_seed: str, address: str, gateway: str) -> None:
        """A pod's namespace: the shared ``lo``, ``ifname`` (a veth whose MAC is that of ``mac_seed``,
        holding ``address``) and the node's shared default route through ``gateway``."""
        self._data[netns] = _Packed((ifname, mac_seed, address, gateway))

    def _build(self, key: str, record: _Packed) -> dict:
        ifname, mac_seed, address, gateway = record
        pod_if = {"mac": self._mac(mac_seed), "addresses": [address], "type": "veth"}
        return {"interfaces": {"lo": LOOPBACK, ifname: pod_if}, "routes": default_route(gateway)}
