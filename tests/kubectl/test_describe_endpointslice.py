"""``kubectl describe endpointslice``: kubectl v1.32's describeEndpointSliceV1
(staging/src/k8s.io/kubectl/pkg/describe/describe.go), not the generic describer."""

import pytest

from k8slearn import Cluster
from k8slearn.api.meta import parse_timestamp
from k8slearn.kubectl.describe_more import describe_endpoint_slice

HEAD = "Name:         web-abc\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\nAddressType:  IPv4\n"


def slice_with(**fields):
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "web-abc", "namespace": "default"}, "addressType": "IPv4", **fields}


def one_endpoint(**fields):
    return slice_with(ports=[{"name": "http", "port": 80, "protocol": "TCP"}], endpoints=[fields])


@pytest.fixture(scope="module")
def web_cluster():
    c = Cluster(workers=3, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=3")
    c.kubectl("expose deployment web --port=80")
    c.settle()
    return c


def test_describe_endpointslices_of_an_exposed_deployment_prints_the_dedicated_describer(web_cluster):
    assert str(web_cluster.kubectl("describe endpointslices -l kubernetes.io/service-name=web")) == """\
Name:         web-f6d4n
Namespace:    default
Labels:       app=web
              endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io
              kubernetes.io/service-name=web
Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2026-01-05T09:00:01Z
AddressType:  IPv4
Ports:
  Name     Port  Protocol
  ----     ----  --------
  <unset>  80    TCP
Endpoints:
  - Addresses:  10.244.1.2
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/web-7957885594-nz2jw
    NodeName:   node-1
    Zone:       <unset>
  - Addresses:  10.244.2.2
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/web-7957885594-tsvlc
    NodeName:   node-2
    Zone:       <unset>
  - Addresses:  10.244.3.2
    Conditions:
      Ready:    true
    Hostname:   <unset>
    TargetRef:  Pod/web-7957885594-twfpr
    NodeName:   node-3
    Zone:       <unset>
Events:         <none>
"""


def test_describe_endpointslice_by_its_service_name_prefix_finds_the_slice(web_cluster):
    out = str(web_cluster.kubectl("describe endpointslice web"))
    assert out.startswith("Name:         web-f6d4n\n") and "API Version:" not in out


def test_show_events_false_leaves_the_events_line_out(web_cluster):
    out = str(web_cluster.kubectl("describe endpointslice web-f6d4n --show-events=false"))
    assert out.endswith("    Zone:       <unset>\n") and "Events:" not in out


def test_a_slice_without_ports_or_endpoints_says_unset_and_none_outside_the_aligned_block():
    assert describe_endpoint_slice(slice_with(), [], 0.0) == HEAD + "Ports: <unset>\nEndpoints: <none>\nEvents:  <none>\n"


PORT_ROWS = [
    ("a named port prints its name", {"name": "http", "port": 8080, "protocol": "TCP"}, "  http  8080  TCP\n"),
    ("an empty port name prints <unset>", {"name": "", "port": 80, "protocol": "TCP"}, "  <unset>  80  TCP\n"),
    ("a missing port name prints <unset>", {"port": 53, "protocol": "UDP"}, "  <unset>  53  UDP\n"),
    ("a missing port number prints <unset>", {"name": "all", "protocol": "TCP"}, "  all   <unset>  TCP\n"),
]


@pytest.mark.parametrize("port, row", [(p, r) for _, p, r in PORT_ROWS], ids=[i for i, _, _ in PORT_ROWS])
def test_the_ports_table_row(port, row):
    text = describe_endpoint_slice(slice_with(ports=[port]), None, 0.0)
    table = text.split("Ports:\n", 1)[1].split("Endpoints:", 1)[0]
    header, rule, line = table.splitlines(keepends=True)
    assert header.split() == ["Name", "Port", "Protocol"] and rule.split() == ["----", "----", "--------"]
    assert line.split() == row.split()
    assert header.index("Port") == line.index(row.split()[1])  # columns aligned by the tabwriter


ENDPOINT_LINES = [
    ("addresses are joined by a comma and a space", {"addresses": ["10.0.0.1", "10.0.0.2"]},
     "- Addresses:", "10.0.0.1, 10.0.0.2"),
    ("no addresses print <none>", {"addresses": []}, "- Addresses:", "<none>"),
    ("ready true prints true", {"addresses": ["a"], "conditions": {"ready": True}}, "Ready:", "true"),
    ("ready false prints false", {"addresses": ["a"], "conditions": {"ready": False}}, "Ready:", "false"),
    ("a missing ready prints <unset>", {"addresses": ["a"], "conditions": {"serving": True}}, "Ready:", "<unset>"),
    ("a missing hostname prints <unset>", {"addresses": ["a"]}, "Hostname:", "<unset>"),
    ("a hostname prints as given", {"addresses": ["a"], "hostname": "web-0"}, "Hostname:", "web-0"),
    ("a target reference prints Kind/Name", {"addresses": ["a"], "targetRef": {"kind": "Pod", "name": "web-1",
                                                                              "namespace": "default"}},
     "TargetRef:", "Pod/web-1"),
    ("a missing node name prints <unset>", {"addresses": ["a"]}, "NodeName:", "<unset>"),
    ("a node name prints as given", {"addresses": ["a"], "nodeName": "node-2"}, "NodeName:", "node-2"),
    ("a missing zone prints <unset>", {"addresses": ["a"]}, "Zone:", "<unset>"),
    ("a zone prints as given", {"addresses": ["a"], "zone": "zone-a"}, "Zone:", "zone-a"),
]


@pytest.mark.parametrize("endpoint, label, value", [c[1:] for c in ENDPOINT_LINES], ids=[c[0] for c in ENDPOINT_LINES])
def test_the_endpoint_line(endpoint, label, value):
    lines = describe_endpoint_slice(one_endpoint(**endpoint), None, 0.0).splitlines()
    found = [line.strip() for line in lines if line.strip().startswith(label)]
    assert len(found) == 1 and found[0][len(label):].strip() == value


def test_serving_and_terminating_are_not_printed_as_upstream_prints_only_ready():
    text = describe_endpoint_slice(one_endpoint(addresses=["a"], conditions={"ready": True, "serving": True,
                                                                            "terminating": True}), None, 0.0)
    assert "Serving" not in text and "Terminating" not in text


def test_an_endpoint_without_a_target_reference_has_no_target_ref_line():
    text = describe_endpoint_slice(one_endpoint(addresses=["a"]), None, 0.0)
    assert text == HEAD + """\
Ports:
  Name  Port  Protocol
  ----  ----  --------
  http  80    TCP
Endpoints:
  - Addresses:  a
    Conditions:
      Ready:   <unset>
    Hostname:  <unset>
    NodeName:  <unset>
    Zone:      <unset>
"""


def test_events_about_the_slice_print_as_the_other_describers_print_them():
    event = {"type": "Warning", "reason": "FailedToUpdateEndpointSlices", "message": "Error updating Endpoint Slices",
             "source": {"component": "endpointslice-controller"}, "count": 1, "metadata": {"name": "web-abc.1"},
             "firstTimestamp": "2026-01-05T09:00:00Z", "lastTimestamp": "2026-01-05T09:00:00Z"}
    text = describe_endpoint_slice(slice_with(), [event], parse_timestamp("2026-01-05T09:00:30Z"))
    assert text == HEAD + """\
Ports: <unset>
Endpoints: <none>
Events:
  Type     Reason                        Age   From                      Message
  ----     ------                        ----  ----                      -------
  Warning  FailedToUpdateEndpointSlices  30s   endpointslice-controller  Error updating Endpoint Slices
"""
