"""The Endpoints controller: the pod addresses behind a Service, grouped by the ports they serve."""

import pytest
from ctlkit import Harness, node, pod

from k8slearn.api.errors import ApiError
from k8slearn.controllers.base import Requeue
from k8slearn.controllers.endpoints import EndpointsController, find_port, repack_subsets, truncate_endpoints
from k8slearn.controllers.endpointslice import EndpointSliceController

TRIGGER = "endpoints.kubernetes.io/last-change-trigger-time"


def service(name="web", selector=None, target_port="http", **spec):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default",
                                                                 "labels": {"app": name}},
           "spec": {"ports": [{"name": "http", "port": 80, "targetPort": target_port}], **spec}}
    if selector is not False:
        svc["spec"]["selector"] = {"app": "web"} if selector is None else selector
    return svc


def setup(controller, svc=None, pods=(("a", True, "10.244.1.2"), ("b", False, "10.244.2.2")), **pod_spec):
    h = Harness(controller)
    h.create(node("node-1"))
    h.create(svc or service())
    for name, ready, ip in pods:
        h.create(*pod(name, node="node-1", phase="Running", ready=ready, ip=ip, **pod_spec))
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


SIDECAR = {"name": "proxy", "image": "envoy", "restartPolicy": "Always",
           "ports": [{"name": "https", "containerPort": 8443}]}


@pytest.mark.parametrize("init_containers, target, expected", [
    ([SIDECAR], "https", 8443),
    ([{**SIDECAR, "restartPolicy": None}], "https", None),
    ([SIDECAR], "http", 8080),
    ([], "metrics", None),
], ids=["a targetPort naming a native sidecar's port resolves to it",
        "an init container that is not a sidecar is not searched",
        "the containers are searched before the sidecars",
        "a name no container has resolves to nothing"])
def test_find_port(init_containers, target, expected):
    p = {"spec": {"containers": [{"ports": [{"name": "http", "containerPort": 8080}]}],
                  "initContainers": init_containers}}
    assert find_port(p, {"port": 443, "targetPort": target, "protocol": "TCP"}) == expected


def test_a_sidecar_port_is_in_the_endpoints_next_to_the_container_port():
    svc = service()
    svc["spec"]["ports"].append({"name": "https", "port": 443, "targetPort": "https"})
    h = setup(EndpointsController, svc, pods=(("a", True, "10.244.1.2"),), initContainers=[SIDECAR])
    h.sync("default/web")
    assert h.get("endpoints", "web")["subsets"][0]["ports"] == [
        {"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "https", "port": 8443, "protocol": "TCP"}]


@pytest.mark.parametrize("selector", [False, {}], ids=["a Service without a selector is left alone",
                                                       "an empty selector is no selector: left alone too"])
def test_services_without_a_selector(selector):
    h = setup(EndpointsController, service(selector=selector))
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


def test_addresses_are_ordered_as_ip_text_byte_by_byte():
    pods = [("a", True, "10.244.1.2"), ("b", True, "10.244.1.11"), ("c", True, "10.244.1.10")]
    h = setup(EndpointsController, pods=pods)
    h.sync("default/web")
    assert [a["ip"] for a in h.get("endpoints", "web")["subsets"][0]["addresses"]] == \
        ["10.244.1.10", "10.244.1.11", "10.244.1.2"]


HOSTNAME_CASES = [
    ("a pod whose subdomain is the Service gets its hostname", {"hostname": "web-0", "subdomain": "web"}, "web-0"),
    ("a pod whose subdomain is another Service gets none", {"hostname": "web-0", "subdomain": "db"}, None),
    ("a pod with a subdomain but no hostname gets none", {"subdomain": "web"}, None),
]


@pytest.mark.parametrize("pod_spec, expected", [c[1:] for c in HOSTNAME_CASES], ids=[c[0] for c in HOSTNAME_CASES])
def test_hostnames(pod_spec, expected):
    h = setup(EndpointsController, service(clusterIP="None"), pods=(("web-0", True, "10.244.1.2"),), **pod_spec)
    h.sync("default/web")
    assert h.get("endpoints", "web")["subsets"][0]["addresses"][0].get("hostname") == expected
    slices = setup(EndpointSliceController, service(clusterIP="None"), pods=(("web-0", True, "10.244.1.2"),),
                   **pod_spec)
    slices.sync("default/web")
    assert slices.api.list("endpointslices", "default")[0]["endpoints"][0].get("hostname") == expected


def test_a_headless_service_labels_its_endpoints_headless():
    h = setup(EndpointsController, service(clusterIP="None"))
    h.sync("default/web")
    assert h.get("endpoints", "web")["metadata"]["labels"] == {"app": "web", "service.kubernetes.io/headless": ""}
    h.settle()
    assert h.sync("default/web") == []


def make_ready(h, name, ready, since):
    p = h.get("pods", name)
    p["status"]["conditions"] = [{"type": "Ready", "status": "True" if ready else "False",
                                  "lastTransitionTime": f"2026-01-05T09:00:{since:02d}Z"}]
    h.api.update_status(p)
    h.settle()


def test_the_trigger_time_is_the_service_creation_then_the_oldest_ready_change_then_none():
    h = setup(EndpointsController)
    created = h.get("services", "web")["metadata"]["creationTimestamp"]
    h.sync("default/web")
    assert h.get("endpoints", "web")["metadata"]["annotations"] == {TRIGGER: created}
    h.settle()
    make_ready(h, "b", True, 30)
    make_ready(h, "a", False, 20)
    h.sync("default/web")
    assert h.get("endpoints", "web")["metadata"]["annotations"] == {TRIGGER: "2026-01-05T09:00:20Z"}
    h.settle()
    h.api.delete("pods", "b")  # being deleted: out of the Endpoints, and no Ready change
    h.settle()
    assert h.sync("default/web") == [("update", "endpoints", "default/web")]
    assert "annotations" not in h.get("endpoints", "web")["metadata"]  # a pod that only went away


def test_a_stale_cache_is_not_written_over_and_the_sync_is_retried():
    h = setup(EndpointsController)
    h.sync("default/web")
    h.settle()
    make_ready(h, "b", True, 30)
    assert h.sync("default/web") == [("update", "endpoints", "default/web")]
    # the cache still shows the version this controller has just replaced
    with pytest.raises(Requeue, match="endpoints informer cache is out of date, resource version"):
        h.sync("default/web")
    assert h.client.actions == []
    h.settle()
    assert h.sync("default/web") == []


def _subsets(*sizes):
    """Subsets of (ready, not ready) address counts, each address its own IP."""
    return [{"addresses": [{"ip": f"10.{i}.0.{n}"} for n in range(ready)],
             "notReadyAddresses": [{"ip": f"10.{i}.1.{n}"} for n in range(not_ready)]}
            for i, (ready, not_ready) in enumerate(sizes)]


TRUNCATION_CASES = [
    ("1000 addresses fit and are kept", [(990, 10)], False, [(990, 10)]),
    ("past 1000 the not-ready addresses share the room left by the ready ones, in proportion",
     [(900, 150), (60, 50)], True, [(900, 30), (60, 10)]),
    ("with more than 1000 ready addresses the ready ones share the 1000 and no not-ready one stays",
     [(600, 5), (600, 0)], True, [(500, 0), (500, 0)]),
    ("the shares are rounded up, so the last subset gets what is left",
     [(400, 0), (400, 0), (400, 0)], True, [(334, 0), (334, 0), (332, 0)]),
]


@pytest.mark.parametrize("sizes, truncated, expected", [c[1:] for c in TRUNCATION_CASES],
                         ids=[c[0] for c in TRUNCATION_CASES])
def test_truncate_endpoints(sizes, truncated, expected):
    subsets = _subsets(*sizes)
    assert truncate_endpoints(subsets) is truncated
    assert [(len(s.get("addresses", [])), len(s.get("notReadyAddresses", []))) for s in subsets] == expected
    assert all(s.get("addresses", True) and s.get("notReadyAddresses", True) for s in subsets)  # no empty list


def test_a_service_with_more_than_1000_pods_gets_1000_addresses_and_the_over_capacity_annotation():
    pods = [(f"p{i}", True, f"10.244.{i // 250}.{i % 250 + 2}") for i in range(1001)]
    h = setup(EndpointsController, pods=pods)
    h.sync("default/web")
    ep = h.get("endpoints", "web")
    assert sum(len(s["addresses"]) for s in ep["subsets"]) == 1000
    assert ep["metadata"]["annotations"]["endpoints.kubernetes.io/over-capacity"] == "truncated"
    h.settle()
    assert h.sync("default/web") == [("update", "endpoints", "default/web")]  # (truncated: never equal)
    h.api.delete("pods", "p0")
    h.settle()
    h.sync("default/web")
    ep = h.get("endpoints", "web")
    assert sum(len(s["addresses"]) for s in ep["subsets"]) == 1000
    assert "endpoints.kubernetes.io/over-capacity" not in (ep["metadata"].get("annotations") or {})


def test_a_refused_endpoints_write_is_a_warning_event_and_a_retry():
    h = setup(EndpointsController)
    h.client.fail[("create", "endpoints")] = ApiError({"code": 403, "reason": "Forbidden",
                                                       "message": 'endpoints "web" is forbidden: exceeded quota'})
    with pytest.raises(ApiError):
        h.controller.sync("default/web")
    assert h.events == [("Warning", "FailedToCreateEndpoint",
                         'Failed to create endpoint for service default/web: endpoints "web" is forbidden: '
                         "exceeded quota")]
    del h.client.fail[("create", "endpoints")]
    h.sync("default/web")
    h.settle()
    h.client.fail[("update", "endpoints")] = ApiError({"code": 409, "reason": "Conflict", "message": "conflict"})
    h.api.delete("pods", "b")
    h.settle()
    with pytest.raises(ApiError):
        h.controller.sync("default/web")
    assert h.events[-1] == ("Warning", "FailedToUpdateEndpoint", "Failed to update endpoint default/web: conflict")
