"""host-local IPAM: the integer range walk gives exactly what the original address-list walk gave.

``_reference_host_local`` is the allocator as it was first written (a list of every
``ipaddress`` host of the subnet, searched per call); the tables below drive both with the same
ADD/DEL sequences and compare every answer, every error and the state files after each step.
"""

import ipaddress
import random

import pytest

from k8slearn.network.cni import CNIError, Host, node_network_config
from k8slearn.network.cni.plugins import INTERNAL, STATE_DIR, _ipam_result, _range, host_local


def _reference_host_local(host, config, command, container_id, ifname):
    """The original allocator (kept here as the specification the fast one must agree with)."""
    subnet = ipaddress.ip_network(config["ipam"]["ranges"][0][0]["subnet"])
    hosts = list(subnet.hosts())
    gateway = hosts[0]
    folder = f"{STATE_DIR}/{config['name']}"
    owner = f"{container_id}\r\n{ifname}"

    def result(ip):
        return {
            "cniVersion": "1.1.0",
            "ips": [{"address": f"{ip}/{subnet.prefixlen}", "gateway": str(gateway)}],
            "routes": [{"dst": "0.0.0.0/0"}],
        }

    if command == "DEL":
        for path, content in list(host.files.items()):
            if path.startswith(folder + "/") and content == owner:
                del host.files[path]
        return {}
    for path, content in host.files.items():
        if path.startswith(folder + "/") and content == owner:
            return result(path.rsplit("/", 1)[1])
    candidates = hosts[1:]
    last = host.files.get(f"{folder}/last_reserved_ip.0")
    start = 0
    if last is not None:
        start = (candidates.index(ipaddress.ip_address(last)) + 1) % len(candidates)
    for offset in range(len(candidates)):
        ip = str(candidates[(start + offset) % len(candidates)])
        if f"{folder}/{ip}" not in host.files:
            host.write_file(f"{folder}/{ip}", owner)
            host.write_file(f"{folder}/last_reserved_ip.0", ip)
            return result(ip)
    raise CNIError(
        INTERNAL,
        "failed to allocate for range 0",
        f"no IP addresses available in range set: {candidates[0]}-{candidates[-1]}",
    )


def _config(subnet):
    conflist = node_network_config(subnet)
    return {"cniVersion": conflist["cniVersion"], "name": conflist["name"], **conflist["plugins"][0]}


def _run(allocator, subnet, ops):
    """Apply ops to a fresh host; returns [(answer or error, files after the step)] per step."""
    host, config = Host("node-1"), _config(subnet)
    seen = []
    for op in ops:
        if op[0] == "LAST":  # seed last_reserved_ip.0, as a restarted node finds it on disk
            host.write_file(f"{STATE_DIR}/containerd-net/last_reserved_ip.0", op[1])
            continue
        command, container_id = op[0], op[1]
        ifname = op[2] if len(op) > 2 else "eth0"
        try:
            answer = allocator(host, config, command, container_id, ifname)
        except CNIError as err:
            answer = ("error", err.code, err.msg, err.details)
        seen.append((answer, dict(host.files)))
    return seen


def _adds(*ids):
    return [("ADD", i) for i in ids]


TABLE = [
    pytest.param("10.244.1.0/24", _adds("a", "b", "c"), ["10.244.1.2", "10.244.1.3", "10.244.1.4"],
                 id="pods on a fresh /24 get .2, .3, .4 in turn"),
    pytest.param("10.244.1.0/24", _adds("a", "b") + [("DEL", "a")] + _adds("c"),
                 ["10.244.1.2", "10.244.1.3", None, "10.244.1.4"],
                 id="a freed address is not reused while later ones are free"),
    pytest.param("10.244.1.0/29", _adds("a", "b", "c", "d", "e") + [("DEL", "b")] + _adds("f"),
                 ["10.244.1.2", "10.244.1.3", "10.244.1.4", "10.244.1.5", "10.244.1.6", None, "10.244.1.3"],
                 id="at the end of the range the walk wraps and takes the first freed address"),
    pytest.param("10.244.1.0/29", _adds("a", "b", "c", "d", "e") + [("DEL", "a")] + _adds("f"),
                 ["10.244.1.2", "10.244.1.3", "10.244.1.4", "10.244.1.5", "10.244.1.6", None, "10.244.1.2"],
                 id="wrapping around skips the gateway and the network address"),
    pytest.param("10.244.1.0/24", _adds("a", "a"), ["10.244.1.2", "10.244.1.2"],
                 id="a second ADD for the same container returns the address it already holds"),
    pytest.param("10.244.1.0/24", [("ADD", "a", "eth0"), ("ADD", "a", "net1")], ["10.244.1.2", "10.244.1.3"],
                 id="the same container with another interface name gets its own address"),
    pytest.param("10.244.3.0/30", _adds("a", "b"), ["10.244.3.2", "error"],
                 id="a /30 has one address to hand out and then is exhausted"),
    pytest.param("10.244.3.0/29", _adds("a", "b", "c", "d", "e", "f") + [("DEL", "c")] + _adds("g", "h"),
                 ["10.244.3.2", "10.244.3.3", "10.244.3.4", "10.244.3.5", "10.244.3.6", "error", None,
                  "10.244.3.4", "error"],
                 id="a full range refuses, and after a release re-uses exactly the freed address"),
    pytest.param("10.244.3.0/31", _adds("a", "b"), ["10.244.3.1", "error"],
                 id="a /31 keeps its first address as gateway and hands out the second"),
    pytest.param("10.244.0.0/23", [("LAST", "10.244.0.253")] + _adds("a", "b", "c"),
                 ["10.244.0.254", "10.244.0.255", "10.244.1.0"],
                 id="inside a /23 the walk crosses the octet boundary like any other address"),
    pytest.param("10.244.5.0/24", [("LAST", "10.244.5.254")] + _adds("a"), ["10.244.5.2"],
                 id="after the last address of the range the next pod gets the first one"),
    pytest.param("fd00:10:244::/120", _adds("a", "b"), ["fd00:10:244::2", "fd00:10:244::3"],
                 id="an IPv6 range is walked the same way"),
    pytest.param("10.244.1.0/24", _adds("a") + [("DEL", "zzz"), ("DEL", "a"), ("DEL", "a")] + _adds("b"),
                 ["10.244.1.2", None, None, None, "10.244.1.3"],
                 id="DEL of an unknown or already released container changes nothing"),
]


@pytest.mark.parametrize("subnet, ops, expected", TABLE)
def test_the_integer_walk_agrees_with_the_address_list_walk(subnet, ops, expected):
    fast, reference = _run(host_local, subnet, ops), _run(_reference_host_local, subnet, ops)
    assert fast == reference
    got = []
    for answer, _ in fast:
        if isinstance(answer, tuple):
            got.append("error")
        elif answer == {}:
            got.append(None)
        else:
            got.append(answer["ips"][0]["address"].split("/")[0])
    assert got == expected


@pytest.mark.parametrize(
    "seed, subnet",
    [
        pytest.param(1, "10.244.7.0/28", id="300 random ADDs and DELs on a /28 give the same answers"),
        pytest.param(2, "10.244.7.0/29", id="300 random ADDs and DELs on a nearly always full /29 agree"),
        pytest.param(3, "10.244.7.0/27", id="300 random ADDs and DELs on a /27 agree"),
    ],
)
def test_random_add_and_del_sequences_agree(seed, subnet):
    rng = random.Random(seed)
    ops = [(rng.choice(["ADD", "ADD", "DEL"]), f"c{rng.randrange(40)}") for _ in range(300)]
    assert _run(host_local, subnet, ops) == _run(_reference_host_local, subnet, ops)


@pytest.mark.parametrize(
    "subnet, message",
    [
        pytest.param("10.244.3.0/30", "no IP addresses available in range set: 10.244.3.2-10.244.3.2",
                     id="an exhausted /30 names its one address"),
        pytest.param("10.244.3.0/29", "no IP addresses available in range set: 10.244.3.2-10.244.3.6",
                     id="an exhausted /29 names the first and last address after the gateway"),
    ],
)
def test_exhaustion_keeps_the_host_local_error_text(subnet, message):
    host, config = Host("node-1"), _config(subnet)
    size = _range(subnet).last - _range(subnet).first + 1
    for i in range(size):
        host_local(host, config, "ADD", f"c{i}", "eth0")
    revision = dict(host.files)
    with pytest.raises(CNIError) as caught:
        host_local(host, config, "ADD", "one-too-many", "eth0")
    assert (caught.value.code, caught.value.msg, caught.value.details) == (
        999, "failed to allocate for range 0", message)
    assert host.files == revision


@pytest.mark.parametrize(
    "last, expected",
    [
        pytest.param("10.9.9.9", "10.244.1.2", id="a last reserved address of another subnet is ignored"),
        pytest.param("10.244.1.1", "10.244.1.2",
                     id="a last reserved address equal to the gateway is ignored"),
        pytest.param("not-an-ip", "10.244.1.2", id="an unreadable last reserved address is ignored"),
        pytest.param("10.244.1.9", "10.244.1.10",
                     id="a last reserved address in the range is continued from"),
    ],
)
def test_a_last_reserved_address_outside_the_range_restarts_at_the_beginning_as_upstream(last, expected):
    host, config = Host("node-1"), _config("10.244.1.0/24")
    host.write_file(f"{STATE_DIR}/containerd-net/last_reserved_ip.0", last)
    assert host_local(host, config, "ADD", "a", "eth0")["ips"][0]["address"] == f"{expected}/24"


def test_the_ipam_result_carries_prefix_and_gateway():
    assert _ipam_result("10.244.1.7", _range("10.244.1.0/24")) == {
        "cniVersion": "1.1.0",
        "ips": [{"address": "10.244.1.7/24", "gateway": "10.244.1.1"}],
        "routes": [{"dst": "0.0.0.0/0"}],
    }


def _plain_index_of(subnet, text):
    """index_of without the dotted-quad fast path: ipaddress judges every text."""
    from k8slearn.network.cni.plugins import _range

    r = _range(subnet)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version != r.version:
        return None
    value = int(address)
    return value - r.first if r.first <= value <= r.last else None


@pytest.mark.parametrize(
    "subnet, text",
    [
        pytest.param("10.244.1.0/24", "10.244.1.7", id="an address inside the range"),
        pytest.param("10.244.1.0/24", "10.244.1.1", id="the gateway is not handed out"),
        pytest.param("10.244.1.0/24", "10.244.1.255", id="the broadcast address is outside"),
        pytest.param("10.244.1.0/24", "10.244.2.7", id="an address of another subnet"),
        pytest.param("10.244.1.0/24", "10.244.1.07", id="a leading zero goes to ipaddress"),
        pytest.param("10.244.1.0/24", "10.244.1.256", id="an octet over 255"),
        pytest.param("10.244.1.0/24", " 10.244.1.7", id="a leading space"),
        pytest.param("10.244.1.0/24", "10.244.1.+7", id="a sign"),
        pytest.param("10.244.1.0/24", "10.244.1", id="three octets"),
        pytest.param("10.244.1.0/24", "garbage", id="not an address at all"),
        pytest.param("10.244.1.0/24", "fd00::7", id="an IPv6 address in an IPv4 range"),
        pytest.param("fd00::/120", "fd00::7", id="an IPv6 address in an IPv6 range"),
        pytest.param("fd00::/120", "10.244.1.7", id="an IPv4 address in an IPv6 range"),
    ],
)
def test_the_fast_index_of_equals_ipaddress(subnet, text):
    from k8slearn.network.cni.plugins import _range

    assert _range(subnet).index_of(text) == _plain_index_of(subnet, text)
