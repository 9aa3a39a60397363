"""The EndpointSlice controller: slices of pod endpoints, changed in place as pods come and go."""

import pytest
from ctlkit import Harness, node, pod
from test_endpoints import TRIGGER, make_ready, service, setup

from k8slearn.controllers.base import Requeue
from k8slearn.controllers.endpointslice import EndpointSliceController

WEB = "kubernetes.io/service-name=web"


def slices(h):
    return h.api.list("endpointslices", "default", label_selector=WEB)


def by_name(h):
    """{slice name: [its endpoints' addresses, in order]}."""
    return {s["metadata"]["name"]: [e["addresses"][0] for e in s["endpoints"] or ()] for s in slices(h)}


def add_pod(h, name, ip, ready=True, node_name="node-1"):
    h.create(*pod(name, node=node_name, phase="Running", ready=ready, ip=ip))


def test_an_endpoint_slice_holds_every_pod_with_its_conditions():
    h = setup(EndpointSliceController)
    actions = h.sync("default/web")
    assert [a[:2] for a in actions] == [("create", "endpointslices")]
    s = slices(h)[0]
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


def test_a_service_with_no_pods_gets_a_placeholder_with_null_lists_and_the_creation_time():
    h = setup(EndpointSliceController, pods=())
    h.sync("default/web")
    placeholder = slices(h)[0]
    assert placeholder["endpoints"] is None and placeholder["ports"] is None
    assert placeholder["metadata"]["annotations"] == {TRIGGER: h.get("services", "web")["metadata"]["creationTimestamp"]}
    h.settle()
    assert h.sync("default/web") == []


def delete_pods(h, *names):
    for name in names:
        h.api.delete("pods", name, grace_period_seconds=0)
    h.settle()


# Each case: what happens to the Service's one slice, which keeps its name through all of them.
IN_PLACE = [
    ("scaling to zero turns the slice into the placeholder", lambda h: delete_pods(h, "a", "b"), []),
    ("a pod that goes away leaves the slice with the others", lambda h: delete_pods(h, "a"), ["10.244.2.2"]),
    ("a new pod is added to the slice", lambda h: add_pod(h, "c", "10.244.1.9"),
     ["10.244.1.2", "10.244.2.2", "10.244.1.9"]),
    ("a changed targetPort updates the slice's ports", lambda h: h.api.patch(
        "services", "web", {"spec": {"ports": [{"name": "http", "port": 80, "targetPort": 9090}]}}),
     ["10.244.1.2", "10.244.2.2"]),
]


@pytest.mark.parametrize("change, addresses", [c[1:] for c in IN_PLACE], ids=[c[0] for c in IN_PLACE])
def test_slices_are_updated_in_place(change, addresses):
    h = setup(EndpointSliceController)
    h.sync("default/web")
    h.settle()
    (name, uid), = [(s["metadata"]["name"], s["metadata"]["uid"]) for s in slices(h)]
    change(h)
    h.settle()
    assert h.sync("default/web") == [("update", "endpointslices", f"default/{name}")]
    (s,) = slices(h)
    assert (s["metadata"]["name"], s["metadata"]["uid"]) == (name, uid)
    assert [e["addresses"][0] for e in s["endpoints"] or ()] == addresses


def test_the_placeholder_becomes_the_slice_of_the_pods_that_come_back():
    h = setup(EndpointSliceController, pods=())
    h.sync("default/web")
    h.settle()
    (name,) = by_name(h)
    add_pod(h, "a", "10.244.1.5")
    assert h.sync("default/web") == [("update", "endpointslices", f"default/{name}")]
    assert by_name(h) == {name: ["10.244.1.5"]}
    assert slices(h)[0]["ports"] == [{"name": "http", "protocol": "TCP", "port": 8080}]


def many(h, count, first=2):
    for i in range(count):
        add_pod(h, f"p{first + i:02d}", f"10.244.1.{first + i}")


def test_slices_hold_at_most_the_maximum_endpoints_each():
    h = Harness(EndpointSliceController, max_endpoints_per_slice=2)
    h.create(node("node-1"))
    h.create(service())
    h.start()
    many(h, 5)
    h.sync("default/web")
    assert sorted(len(s["endpoints"]) for s in slices(h)) == [1, 2, 2]


def test_endpoints_stay_in_the_slice_they_are_in():
    h = Harness(EndpointSliceController, max_endpoints_per_slice=3)
    h.create(node("node-1"))
    h.create(service())
    h.start()
    many(h, 4)
    h.sync("default/web")
    h.settle()
    before = by_name(h)
    assert sorted(before.values()) == [["10.244.1.2", "10.244.1.3", "10.244.1.4"], ["10.244.1.5"]]
    full = next(n for n, ips in before.items() if len(ips) == 3)
    delete_pods(h, "p02", "p03")  # two from the full slice: the other slice is left as it is
    assert h.sync("default/web") == [("update", "endpointslices", f"default/{full}")]
    assert by_name(h) == {**before, full: ["10.244.1.4"]}


def test_new_endpoints_fill_a_slice_being_updated_before_a_new_one_is_made():
    h = Harness(EndpointSliceController, max_endpoints_per_slice=3)
    h.create(node("node-1"))
    h.create(service())
    h.start()
    many(h, 3)
    h.sync("default/web")
    h.settle()
    (name,) = by_name(h)
    delete_pods(h, "p02")
    many(h, 2, first=10)
    actions = h.sync("default/web")
    assert [a[:2] for a in actions] == [("create", "endpointslices"), ("update", "endpointslices")]
    assert actions[1][2] == f"default/{name}"
    assert by_name(h) == {name: ["10.244.1.3", "10.244.1.4", "10.244.1.10"],
                          actions[0][2].split("/")[1]: ["10.244.1.11"]}


ZONES = [
    ("an endpoint gets the zone of its pod's node", {"topology.kubernetes.io/zone": "zone-a"}, "zone-a"),
    ("a node without a zone label gives no zone", {}, None),
]


@pytest.mark.parametrize("labels, zone", [c[1:] for c in ZONES], ids=[c[0] for c in ZONES])
def test_zones(labels, zone):
    h = Harness(EndpointSliceController)
    h.create(node("node-z", labels=labels))
    h.create(service())
    h.start()
    add_pod(h, "a", "10.244.3.2", node_name="node-z")
    h.sync("default/web")
    assert slices(h)[0]["endpoints"][0].get("zone") == zone


@pytest.mark.parametrize("publish, addresses", [(False, []), (True, ["10.244.9.2"])],
                         ids=["a pod on a node that does not exist is skipped, with a warning, and retried",
                              "unless the Service publishes not-ready addresses"])
def test_a_pod_on_a_missing_node(publish, addresses):
    h = setup(EndpointSliceController, service(publishNotReadyAddresses=publish), pods=())
    add_pod(h, "lost", "10.244.9.2", node_name="node-9")
    if publish:
        h.sync("default/web")
    else:
        with pytest.raises(Requeue, match="skipping Pod lost for Service default/web: Node node-9 Not Found"):
            h.sync("default/web")
        assert h.events == [("Warning", "FailedToUpdateEndpointSlices", "Error updating Endpoint Slices for "
                             "Service default/web: skipping Pod lost for Service default/web: Node node-9 Not Found")]
    assert [e["addresses"][0] for e in slices(h)[0]["endpoints"] or ()] == addresses


def test_a_stale_cache_is_not_acted_on_and_the_sync_is_retried():
    h = setup(EndpointSliceController)
    h.sync("default/web")
    h.settle()
    delete_pods(h, "a", "b")
    assert [a[0] for a in h.sync("default/web")] == ["update"]
    # the cache still shows the slice as it was before this controller's update
    with pytest.raises(Requeue, match="EndpointSlice informer cache is out of date"):
        h.sync("default/web")
    assert h.client.actions == []
    h.settle()
    assert h.sync("default/web") == []
    assert len(slices(h)) == 1


def test_only_changes_made_by_someone_else_wake_the_service_up():
    h = setup(EndpointSliceController)
    h.sync("default/web")
    h.settle()
    assert "default/web" not in h.controller.queue.waiting  # its own create: no sync
    h.api.delete("endpointslices", slices(h)[0]["metadata"]["name"])
    h.settle()
    assert h.controller.queue.waiting["default/web"].when == pytest.approx(h.loop.now + 1.0, abs=0.1)


def test_the_trigger_time_annotation_follows_the_ready_changes():
    h = setup(EndpointSliceController)
    h.sync("default/web")
    h.settle()
    make_ready(h, "b", True, 40)
    h.sync("default/web")
    assert slices(h)[0]["metadata"]["annotations"] == {TRIGGER: "2026-01-05T09:00:40Z"}
    h.settle()
    delete_pods(h, "a")
    h.sync("default/web")
    assert "annotations" not in slices(h)[0]["metadata"]
