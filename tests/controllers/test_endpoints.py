"""Endpoints and EndpointSlice controllers: the pod addresses behind a Service."""

import pytest
from ctlkit import Harness, pod

from k8slearn.controllers.endpoints import EndpointsController, repack_subsets
from k8slearn.controllers.endpointslice import EndpointSliceController


def service(name="web", selector=None, target_port="http", **spec):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default",
                                                                 "labels": {"app": name}},
           "spec": {"ports": [{"name": "http", "port": 80, "targetPort": target_port}], **spec}}
    if selector is not False:
        svc["spec"]["selector"] = selector or {"app": "web"}
    return svc


def setup(controller, svc=None, pods=(("a", True, "10.244.1.2"), ("b", False, "10.244.2.2"))):
    h = Harness(controller)
    h.create(svc or service())
    for name, ready, ip in pods:
        h.create(*pod(name, node="node-1", phase="Running", ready=ready, ip=ip))
    h.create(*pod("pending", node="node-1", phase="Pending"))  # no IP yet: not an endpoint
    h.start()
    return h


def test_ready_pods_are_addresses_and_unready_ones_not_ready_addresses():
    h = setup(EndpointsController)
    assert h.sync("default/web") == [("create", "endpoints", "default/web")]
    ep = h.get("endpoints", "web")
    subset = ep["subsets"][0]
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.1.2"]
    assert [a["ip"] for a in subset["notReadyAddresses"]] == ["10.244.2.2"]
    assert subset["addresses"][0]["targetRef"]["name"] == "a" and subset["addresses"][0]["nodeName"] == "node-1"
    assert subset["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    assert ep["metadata"]["labels"] == {"app": "web"}
    h.settle()
    assert h.sync("default/web") == []


@pytest.mark.parametrize("target_port, expected_port", [("http", 8080), (9090, 9090)],
                         ids=["a named targetPort resolves to the container port of that name",
                              "a numeric targetPort is used as it is"])
def test_target_ports(target_port, expected_port):
    h = setup(EndpointsController, service(target_port=target_port))
    h.sync("default/web")
    assert h.get("endpoints", "web")["subsets"][0]["ports"][0]["port"] == expected_port


def test_a_service_without_a_selector_is_left_alone():
    h = setup(EndpointsController, service(selector=False))
    assert h.sync("default/web") == []
    assert h.sync("default/kubernetes") == []


def test_the_endpoints_object_goes_when_its_service_goes():
    h = setup(EndpointsController)
    h.sync("default/web")
    h.api.delete("services", "web")
    h.settle()
    assert h.sync("default/web") == [("delete", "endpoints", "default/web")]


def test_repack_groups_addresses_by_the_ports_they_share():
    a = {"ip": "10.0.0.1", "targetRef": {"uid": "a"}}
    b = {"ip": "10.0.0.2", "targetRef": {"uid": "b"}}
    http = {"name": "http", "port": 80, "protocol": "TCP"}
    metrics = {"name": "metrics", "port": 9100, "protocol": "TCP"}
    subsets = repack_subsets([(a, http, True), (a, metrics, True), (b, http, True)])
    assert [([x["ip"] for x in s["addresses"]], [p["name"] for p in s["ports"]]) for s in subsets] == \
        [(["10.0.0.1"], ["metrics"]), (["10.0.0.1", "10.0.0.2"], ["http"])]


def test_an_endpoint_slice_holds_every_pod_with_its_conditions():
    h = setup(EndpointSliceController)
    actions = h.sync("default/web")
    assert [a[:2] for a in actions] == [("create", "endpointslices")]
    s = h.api.list("endpointslices", "default")[0]
    assert s["metadata"]["name"].startswith("web-")
    assert s["metadata"]["labels"] == {"app": "web", "kubernetes.io/service-name": "web",
                                       "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    assert s["metadata"]["ownerReferences"][0]["kind"] == "Service"
    assert s["addressType"] == "IPv4"
    assert [(e["addresses"], e["conditions"]) for e in s["endpoints"]] == [
        (["10.244.1.2"], {"ready": True, "serving": True, "terminating": False}),
        (["10.244.2.2"], {"ready": False, "serving": False, "terminating": False})]
    assert s["ports"] == [{"name": "http", "protocol": "TCP", "port": 8080}]
    h.settle()
    assert h.sync("default/web") == []


def test_a_service_with_no_pods_gets_a_placeholder_slice_and_it_makes_way_for_real_ones():
    h = setup(EndpointSliceController, pods=())
    h.sync("default/web")
    placeholder = h.api.list("endpointslices", "default")[0]
    assert "endpoints" not in placeholder and "ports" not in placeholder
    h.create(*pod("a", node="node-1", phase="Running", ready=True, ip="10.244.1.2"))
    actions = h.sync("default/web")
    assert [a[:2] for a in actions] == [("create", "endpointslices"), ("delete", "endpointslices")]


def test_slices_hold_at_most_the_maximum_endpoints_each():
    pods = [(f"p{i}", True, f"10.244.1.{i + 2}") for i in range(5)]
    h = Harness(EndpointSliceController, max_endpoints_per_slice=2)
    h.create(service())
    for name, ready, ip in pods:
        h.create(*pod(name, node="node-1", phase="Running", ready=ready, ip=ip))
    h.start()
    h.sync("default/web")
    assert sorted(len(s["endpoints"]) for s in h.api.list("endpointslices", "default")) == [1, 2, 2]
