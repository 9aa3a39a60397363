"""Service ClusterIP and NodePort allocation: bands, explicit addresses, refusals, release."""

import ipaddress
import random

import pytest
from apiserver_builders import expect_error, service

from k8slearn.apiserver.allocators import (
    AllocationError,
    ClusterIPAllocator,
    NodePortAllocator,
    range_offset,
)


@pytest.mark.parametrize(
    "size, step, maximum, expected",
    [(2**20, 16, 256, 256), (256, 16, 256, 16), (2768, 32, 128, 86), (8, 16, 256, 0)],
    ids=[
        "a /12 service range keeps 256 addresses for static allocation",
        "a /24 keeps the minimum of 16",
        "the NodePort range keeps 86 ports (size/32)",
        "a tiny range has no static band",
    ],
)
def test_the_static_band_size(size, step, maximum, expected):
    assert range_offset(size, step, maximum) == expected


def test_random_addresses_come_from_the_upper_band_until_it_is_full():
    ips = ClusterIPAllocator("10.0.0.0/27", random.Random(1))  # 30 addresses, 16 of them static
    first = [ipaddress.ip_address(ips.allocate_next()) for _ in range(14)]
    assert all(ip >= ipaddress.ip_address("10.0.0.17") for ip in first)
    spill = ipaddress.ip_address(ips.allocate_next())
    assert spill < ipaddress.ip_address("10.0.0.17")  # upper band full: the lower band is used


def test_a_full_range_refuses():
    ports = NodePortAllocator(30000, 30001, random.Random(0))
    ports.allocate_next(), ports.allocate_next()
    with pytest.raises(AllocationError, match="range is full"):
        ports.allocate_next()


def test_a_service_gets_a_random_cluster_ip_outside_the_static_band(api):
    ip = api.create(service("web"))["spec"]["clusterIP"]
    addr = ipaddress.ip_address(ip)
    assert addr in ipaddress.ip_network("10.96.0.0/12")
    assert addr >= ipaddress.ip_address("10.96.1.1")


def test_a_requested_cluster_ip_is_honoured_and_filled_in_everywhere(api):
    spec = api.create(service("kube-dns", cluster_ip="10.96.0.10"))["spec"]
    assert (spec["clusterIP"], spec["clusterIPs"], spec["ipFamilies"], spec["ipFamilyPolicy"]) == (
        "10.96.0.10", ["10.96.0.10"], ["IPv4"], "SingleStack")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: service("b", cluster_ip="10.96.0.10"),
         'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: '
         "failed to allocate IP 10.96.0.10: provided IP is already allocated"),
        (lambda: service("b", cluster_ip="1.2.3.4"),
         'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"1.2.3.4"}: failed to allocate IP '
         "1.2.3.4: the provided IP (1.2.3.4) is not in the valid range. "
         "The range of valid IPs is 10.96.0.0/12"),
        (lambda: service("b", cluster_ip="abc"),
         'Service "b" is invalid: spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, '
         "(e.g. 10.9.8.7 or 2001:db8::ffff)"),
        (lambda: service("b", type_="NodePort", ports=[{"port": 80, "nodePort": 30080}]),
         'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
         "provided port is already allocated"),
        (lambda: service("b", type_="NodePort", ports=[{"port": 80, "nodePort": 29999}]),
         'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 29999: '
         "provided port is not in the valid range. The range of valid ports is 30000-32767"),
    ],
    ids=[
        "a cluster IP another service holds is refused",
        "a cluster IP outside the service range is refused",
        "a cluster IP that is not an address is refused before allocation",
        "a node port another service holds is refused",
        "a node port outside 30000-32767 is refused",
    ],
)
def test_refused_allocations_write_nothing(server, api, make, message):
    api.create(service("kube-dns", cluster_ip="10.96.0.10", type_="NodePort",
                       ports=[{"port": 80, "nodePort": 30080}]))
    expect_error(server, lambda: api.create(make()), 422, "Invalid", message)


def test_node_ports_are_allocated_for_node_port_and_load_balancer_services(api):
    for name, kind in (("np", "NodePort"), ("lb", "LoadBalancer")):
        port = api.create(service(name, type_=kind))["spec"]["ports"][0]["nodePort"]
        assert 30086 <= port <= 32767
    assert "nodePort" not in api.create(service("plain"))["spec"]["ports"][0]


def test_a_deleted_service_releases_its_ip_and_port(server, api):
    api.create(service("a", cluster_ip="10.96.0.20", type_="NodePort",
                       ports=[{"port": 80, "nodePort": 30100}]))
    api.delete("services", "a")
    again = api.create(service("b", cluster_ip="10.96.0.20", type_="NodePort",
                               ports=[{"port": 80, "nodePort": 30100}]))
    assert again["spec"]["clusterIP"] == "10.96.0.20"


def test_a_refused_create_gives_its_allocation_back(server, api):
    bad = service("a", cluster_ip="10.96.0.30", sessionAffinity="Sometimes")
    expect_error(server, lambda: api.create(bad), 422, "Invalid")
    assert api.create(service("b", cluster_ip="10.96.0.30"))["spec"]["clusterIP"] == "10.96.0.30"


def test_a_dry_run_create_holds_nothing(api):
    api.create(service("a", cluster_ip="10.96.0.40"), dry_run=True)
    assert api.create(service("b", cluster_ip="10.96.0.40"))["spec"]["clusterIP"] == "10.96.0.40"


def test_reapplying_a_manifest_without_cluster_ip_keeps_the_address_and_writes_nothing(server, api):
    created = api.create(service("web", type_="NodePort"))
    before = server.store.revision
    again = api.update(service("web", type_="NodePort"))
    assert again["spec"]["clusterIP"] == created["spec"]["clusterIP"]
    assert again["spec"]["ports"][0]["nodePort"] == created["spec"]["ports"][0]["nodePort"]
    assert server.store.revision == before


def test_a_cluster_ip_may_not_change(server, api):
    created = api.create(service("web", cluster_ip="10.96.0.50"))
    created["spec"].update(clusterIP="10.96.0.51", clusterIPs=["10.96.0.51"])
    expect_error(server, lambda: api.update(created), 422, "Invalid",
                 'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.51"}: '
                 "may not change once set")


def test_turning_a_node_port_service_into_cluster_ip_releases_the_port(api):
    api.create(service("a", type_="NodePort", ports=[{"port": 80, "nodePort": 30200}]))
    patched = api.patch("services", "a", {"spec": {"type": "ClusterIP"}})
    assert "nodePort" not in patched["spec"]["ports"][0] and "externalTrafficPolicy" not in patched["spec"]
    taken = api.create(service("b", type_="NodePort", ports=[{"port": 80, "nodePort": 30200}]))
    assert taken["spec"]["ports"][0]["nodePort"] == 30200


@pytest.mark.parametrize(
    "spec, expected",
    [
        ({"clusterIP": "None"}, ("None", ["None"], ["IPv4"], "SingleStack")),
        ({"clusterIP": "None", "selector": None}, ("None", ["None"], ["IPv4", "IPv6"], "RequireDualStack")),
        ({"type": "ExternalName", "externalName": "db.example.com", "selector": None, "ports": None},
         (None, None, None, None)),
    ],
    ids=[
        "a headless service keeps clusterIP None",
        "a headless service without selector is dual-stack where the cluster allows",
        "an ExternalName service gets no address at all",
    ],
)
def test_services_that_get_no_cluster_ip(api, spec, expected):
    body = service("web")
    body["spec"].update(spec)
    body["spec"] = {k: v for k, v in body["spec"].items() if v is not None}
    got = api.create(body)["spec"]
    assert tuple(got.get(k) for k in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) == expected


def test_services_already_in_etcd_hold_their_addresses_when_the_server_starts(server):
    api = server.client("kubectl")
    api.create(service("a", cluster_ip="10.96.0.60"))
    restarted = server.__class__(server.store, server.loop)
    fresh = restarted.client("kubectl")
    expect_error(restarted, lambda: fresh.create(service("b", cluster_ip="10.96.0.60")), 422, "Invalid")
