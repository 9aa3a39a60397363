"""The compact per-pod network records read exactly like the dicts the bridge plugin used to store."""

import pytest

from k8slearn.network.cni import Host, invoke, node_network_config
from k8slearn.network.cni.host_state import LOOPBACK, default_route


def plain_veth(host, name, master, netns, ifname):
    return {"mac": host.mac(name), "master": master, "type": "veth", "peer": f"{netns}:{ifname}"}


def plain_netns(host, ifname, seed, address, gateway):
    pod_if = {"mac": host.mac(seed), "addresses": [address], "type": "veth"}
    return {"interfaces": {"lo": LOOPBACK, ifname: pod_if}, "routes": default_route(gateway)}


@pytest.mark.parametrize(
    "node, name, master, netns, ifname",
    [
        pytest.param("node-1", "vetha1b2c3d4", "cni0", "/var/run/netns/cni-1", "eth0",
                     id="a pod's veth reads as the plugin's dict"),
        pytest.param("node-2", "veth00000000", "br-x", "/var/run/netns/a:b", "net1",
                     id="a veth on another node, bridge and interface name reads with that node's MAC"),
    ],
)
def test_a_veth_record_reads_as_the_plain_dict(node, name, master, netns, ifname):
    host = Host(node)
    host.interfaces.put_veth(name, master, netns, ifname)
    got = host.interfaces[name]
    assert got == plain_veth(host, name, master, netns, ifname)
    assert list(got) == ["mac", "master", "type", "peer"]


@pytest.mark.parametrize(
    "ifname, seed, address, gateway",
    [
        pytest.param("eth0", "c0ffee", "10.244.1.2/24", "10.244.1.1", id="a pod's namespace reads as the plain dict"),
        pytest.param("net1", "ab" * 32, "fd00::2/64", "fd00::1", id="an IPv6 address and another ifname read back"),
    ],
)
def test_a_namespace_record_reads_as_the_plain_dict(ifname, seed, address, gateway):
    host = Host("node-1")
    host.netns.put_pod("/var/run/netns/x", ifname, seed, address, gateway)
    got = host.netns["/var/run/netns/x"]
    want = plain_netns(host, ifname, seed, address, gateway)
    assert got == want
    assert list(got["interfaces"]) == ["lo", ifname] and list(got["interfaces"][ifname]) == ["mac", "addresses", "type"]
    assert got["routes"] is default_route(gateway) and got["interfaces"]["lo"] is LOOPBACK


@pytest.mark.parametrize(
    "table, key, value",
    [
        pytest.param("interfaces", "cni0", {"mac": "0a:00:00:00:00:01", "addresses": ["10.0.0.1/24"], "type": "bridge"},
                     id="a plain interface dict is kept and read back as the same object"),
        pytest.param("netns", "/var/run/netns/x", ("a", "plain", "tuple"),
                     id="a plain tuple stored in a table is not taken for a compact record"),
    ],
)
def test_other_values_are_kept_as_they_are(table, key, value):
    records = getattr(Host("node-1"), table)
    records[key] = value
    assert records[key] is value


def test_a_table_behaves_as_a_dict_for_membership_order_and_removal():
    host = Host("node-1")
    host.interfaces["cni0"] = bridge = {"mac": "m", "addresses": [], "type": "bridge"}
    host.interfaces.put_veth("veth1", "cni0", "/n/1", "eth0")
    host.interfaces.put_veth("veth2", "cni0", "/n/2", "eth0")
    assert list(host.interfaces) == ["cni0", "veth1", "veth2"] and len(host.interfaces) == 3
    assert dict(host.interfaces) == {"cni0": bridge, "veth1": plain_veth(host, "veth1", "cni0", "/n/1", "eth0"),
                                     "veth2": plain_veth(host, "veth2", "cni0", "/n/2", "eth0")}
    assert host.interfaces.pop("veth1") == plain_veth(host, "veth1", "cni0", "/n/1", "eth0")
    assert "veth1" not in host.interfaces and host.interfaces.pop("veth1", None) is None
    del host.interfaces["veth2"]
    assert list(host.interfaces) == ["cni0"] and host.interfaces.get("veth2") is None


def test_a_record_stored_again_replaces_the_old_one_and_a_read_copy_changes_nothing():
    host = Host("node-1")
    host.netns.put_pod("/n/1", "eth0", "a", "10.244.1.2/24", "10.244.1.1")
    host.netns["/n/1"]["interfaces"]["eth0"]["addresses"].append("10.9.9.9/32")  # a copy: not kept
    assert host.netns["/n/1"]["interfaces"]["eth0"]["addresses"] == ["10.244.1.2/24"]
    host.netns.put_pod("/n/1", "eth0", "b", "10.244.1.3/24", "10.244.1.1")
    assert host.netns["/n/1"] == plain_netns(host, "eth0", "b", "10.244.1.3/24", "10.244.1.1")
    host.netns["/n/1"] = {"interfaces": {}, "routes": []}
    assert host.netns["/n/1"] == {"interfaces": {}, "routes": []}


def test_the_bridge_plugin_leaves_the_records_it_used_to():
    host, config = Host("node-1"), node_network_config("10.244.1.0/24")
    result = invoke(host, config, "ADD", "c0ffee12345", "/var/run/netns/cni-1")
    assert host.interfaces["vethc0ffee12"] == plain_veth(host, "vethc0ffee12", "cni0", "/var/run/netns/cni-1", "eth0")
    assert host.netns["/var/run/netns/cni-1"] == plain_netns(host, "eth0", "c0ffee12345", "10.244.1.2/24", "10.244.1.1")
    assert [i["mac"] for i in result["interfaces"][1:]] == [host.mac("vethc0ffee12"), host.mac("c0ffee12345")]
    invoke(host, config, "DEL", "c0ffee12345", "/var/run/netns/cni-1")
    assert list(host.interfaces) == ["cni0"] and len(host.netns) == 0
