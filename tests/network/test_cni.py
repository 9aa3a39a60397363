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


@pytest.mark.parametrize(
    "subnet, gateway",
    [
        pytest.param("10.244.1.0/24", "10.244.1.1", id="two pods on one node share lo and the default route"),
        pytest.param("10.0.7.0/24", "10.0.7.1", id="another node's pods route through its own gateway"),
    ],
)
def test_pod_namespaces_read_as_their_own_lo_and_default_route(subnet, gateway):
    host, config = Host("node-1"), node_network_config(subnet)
    add(host, config, "a")
    add(host, config, "b")
    first, second = host.netns["/var/run/netns/a"], host.netns["/var/run/netns/b"]
    for netns in (first, second):
        assert netns["interfaces"]["lo"] == {"addresses": ["127.0.0.1/8"]}
        assert netns["routes"] == [{"dst": "0.0.0.0/0", "gw": gateway}]
    assert first["interfaces"]["eth0"]["addresses"] != second["interfaces"]["eth0"]["addresses"]
    with pytest.raises(TypeError):
        first["routes"].append({"dst": "10.0.0.0/8"})  # shared, so read-only


def test_an_add_repeated_for_the_same_container_returns_the_address_it_holds():
    host, config = Host("node-1"), node_network_config("10.244.1.0/24")
    add(host, config, "a")
    add(host, config, "b")
    assert add(host, config, "a")["ips"][0]["address"] == "10.244.1.2/24"
    assert add(host, config, "c")["ips"][0]["address"] == "10.244.1.4/24"


@pytest.mark.parametrize(
    "node, seed",
    [
        pytest.param("node-1", "cni0", id="the bridge's address"),
        pytest.param("node-1", "veth0123abcd", id="a veth's address"),
        pytest.param("node-42", "f" * 64, id="a pod's eth0 address from its sandbox id"),
        pytest.param("n", "", id="an empty seed"),
        pytest.param("", "cni0", id="an empty node name"),
        pytest.param("nöde-ü", "vethé", id="text outside ASCII hashes its UTF-8 bytes in one run"),
    ],
)
def test_a_mac_reads_as_the_octets_joined_one_by_one(node, seed):
    from k8slearn.network.cni.spec import hash_text

    digest = abs(hash_text(f"{node}/{seed}"))
    octets = [0x0A] + [(digest >> (8 * i)) & 0xFF for i in range(5)]
    assert Host(node).mac(seed) == ":".join(f"{o:02x}" for o in octets)
