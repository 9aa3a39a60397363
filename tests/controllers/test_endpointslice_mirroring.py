"""The EndpointSlice mirroring controller: slices for the Endpoints of Services without a selector."""

import pytest
from ctlkit import Harness
from test_endpoints import service

from k8slearn import Cluster
from k8slearn.controllers.base import Requeue
from k8slearn.controllers.endpointslice_mirroring import EndpointSliceMirroringController

MIRRORED = "endpointslice.kubernetes.io/managed-by=endpointslicemirroring-controller.k8s.io"


def endpoints(name="db", labels=None, annotations=None, ready=("192.0.2.42",), not_ready=(), port=9376):
    meta = {"name": name, "namespace": "default"}
    if labels:
        meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    subset = {"ports": [{"port": port}]}
    if ready:
        subset["addresses"] = [{"ip": ip} for ip in ready]
    if not_ready:
        subset["notReadyAddresses"] = [{"ip": ip} for ip in not_ready]
    return {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta, "subsets": [subset]}


def setup(svc=None, eps=None):
    h = Harness(EndpointSliceMirroringController)
    if svc is not False:
        h.create(svc or service("db", selector=False))
    h.create(eps or endpoints())
    h.start()
    return h


def mirrored(h):
    return h.api.list("endpointslices", "default", label_selector=MIRRORED)


def test_the_endpoints_of_a_service_without_a_selector_are_mirrored():
    h = setup(eps=endpoints(labels={"team": "db"}, ready=("192.0.2.42",), not_ready=("192.0.2.43",),
                            annotations={"note": "by hand", "kubectl.kubernetes.io/last-applied-configuration": "{}",
                                         "endpoints.kubernetes.io/last-change-trigger-time": "2026-01-05T09:00:00Z"}))
    assert [a[:2] for a in h.sync("default/db")] == [("create", "endpointslices")]
    (s,) = mirrored(h)
    assert s["metadata"]["name"].startswith("db-")
    assert s["metadata"]["labels"] == {"team": "db", "kubernetes.io/service-name": "db",
                                       "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io"}
    assert s["metadata"]["annotations"] == {"note": "by hand"}
    owner = s["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"]) == ("Endpoints", "db", True)
    assert s["addressType"] == "IPv4"
    assert s["ports"] == [{"name": "", "protocol": "TCP", "port": 9376}]
    assert s["endpoints"] == [{"addresses": ["192.0.2.42"], "conditions": {"ready": True}},
                              {"addresses": ["192.0.2.43"], "conditions": {"ready": False}}]
    h.settle()
    assert h.sync("default/db") == []


NOT_MIRRORED = [
    ("a Service with a selector gets its slices from the EndpointSlice controller",
     service("db"), endpoints()),
    ("Endpoints without a Service are not mirrored", False, endpoints()),
    ("Endpoints labelled skip-mirror are not mirrored", service("db", selector=False),
     endpoints(labels={"endpointslice.kubernetes.io/skip-mirror": "true"})),
    ("a leader-election record is not mirrored", service("db", selector=False),
     endpoints(annotations={"control-plane.alpha.kubernetes.io/leader": "{}"})),
]


@pytest.mark.parametrize("svc, eps", [c[1:] for c in NOT_MIRRORED], ids=[c[0] for c in NOT_MIRRORED])
def test_what_is_not_mirrored(svc, eps):
    h = setup(svc, eps)
    assert h.sync("default/db") == []
    assert mirrored(h) == []


def test_a_changed_endpoints_updates_its_slice_in_place():
    h = setup()
    h.sync("default/db")
    h.settle()
    (name,) = [s["metadata"]["name"] for s in mirrored(h)]
    eps = h.get("endpoints", "db")
    eps["subsets"][0]["addresses"].append({"ip": "192.0.2.44"})
    h.api.update(eps)
    h.settle()
    assert h.sync("default/db") == [("update", "endpointslices", f"default/{name}")]
    assert [e["addresses"][0] for e in mirrored(h)[0]["endpoints"]] == ["192.0.2.42", "192.0.2.44"]


def test_a_new_port_recycles_the_old_slice_under_its_name():
    h = setup()
    h.sync("default/db")
    h.settle()
    (name,) = [s["metadata"]["name"] for s in mirrored(h)]
    eps = h.get("endpoints", "db")
    eps["subsets"][0]["ports"] = [{"port": 5432}]
    h.api.update(eps)
    h.settle()
    assert h.sync("default/db") == [("update", "endpointslices", f"default/{name}")]
    assert mirrored(h)[0]["ports"] == [{"name": "", "protocol": "TCP", "port": 5432}]


@pytest.mark.parametrize("change", ["delete the Endpoints", "give the Service a selector"])
def test_mirrored_slices_go_when_there_is_nothing_to_mirror(change):
    h = setup()
    h.sync("default/db")
    h.settle()
    (name,) = [s["metadata"]["name"] for s in mirrored(h)]
    if change == "delete the Endpoints":
        h.api.delete("endpoints", "db")
    else:
        h.api.patch("services", "db", {"spec": {"selector": {"app": "db"}}})
    h.settle()
    assert h.sync("default/db") == [("delete", "endpointslices", f"default/{name}")]


def test_a_stale_cache_is_not_acted_on():
    h = setup()
    h.sync("default/db")
    with pytest.raises(Requeue, match="EndpointSlice informer cache is out of date"):
        h.sync("default/db")  # its own slice is not in the cache yet: no second create
    assert h.client.actions == []
    h.settle()
    assert h.sync("default/db") == []


def test_describe_service_shows_the_mirrored_endpoints():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="""
apiVersion: v1
kind: Service
metadata: {name: my-service}
spec: {ports: [{protocol: TCP, port: 80, targetPort: 9376}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: my-service}
subsets: [{addresses: [{ip: 192.0.2.42}], ports: [{port: 9376}]}]
""")
    c.settle()
    assert "Endpoints:                192.0.2.42:9376\n" in c.kubectl("describe svc my-service").stdout
