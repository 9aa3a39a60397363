"""CNI bridge + host-local: addresses from the node's podCIDR, state files, ADD/DEL."""

import pytest

from k8slearn.network.cni import CNIError, Host, invoke, node_network_config


def add(host, config, container_id):
    return invoke(host, config, "ADD", container_id, f"/var/run/netns/{container_id}")


def test_the_first_pod_gets_dot_2_because_dot_1_is_the_bridge_gateway():
    host, config = Host("node-1"), node_network_config("10.244.1.0/24")
    result = add(host, config, "a")
    assert result["ips"] == [{"address": "10.244.1.2/24", "gateway": "10.244.1.1", "interface": 2}]
    assert [i["name"] for i in result["interfaces"]] == ["cni0", "vetha", "eth0"]
    assert host.interfaces["cni0"]["addresses"] == ["10.244.1.1/24"]


def test_host_local_continues_after_the_last_reserved_address_instead_of_reusing_a_freed_one():
    host, config = Host("node-1"), node_network_config("10.244.1.0/24")
    add(host, config, "a")
    add(host, config, "b")
    invoke(host, config, "DEL", "a", "/var/run/netns/a")
    assert add(host, config, "c")["ips"][0]["address"] == "10.244.1.4/24"


def test_del_removes_the_state_file_and_the_veth():
    host, config = Host("node-1"), node_network_config("10.244.2.0/24")
    add(host, config, "a")
    assert host.files["/var/lib/cni/networks/containerd-net/10.244.2.2"] == "a\r\neth0"
    invoke(host, config, "DEL", "a", "/var/run/netns/a")
    assert "/var/lib/cni/networks/containerd-net/10.244.2.2" not in host.files
    assert "vetha" not in host.interfaces


def test_an_exhausted_range_gives_the_host_local_error():
    host, config = Host("node-1"), node_network_config("10.244.3.0/30")  # .1 gateway, .2 only
    add(host, config, "a")
    with pytest.raises(CNIError, match="no IP addresses available in range set: 10.244.3.2-10.244.3.2"):
        add(host, config, "b")


def test_version_lists_the_spec_versions():
    result = invoke(Host("n"), node_network_config("10.244.0.0/24"), "VERSION", "", "")
    assert result["cniVersion"] == "1.1.0" and "0.3.1" in result["supportedVersions"]
