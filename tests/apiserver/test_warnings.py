"""The API server's warnings reach kubectl's stderr as ``Warning: ...`` (once each)."""

import pytest

from k8slearn import Cluster

DUPLICATE_PORTS = """apiVersion: v1
kind: Pod
metadata: {name: dupp}
spec:
  containers:
  - name: a
    image: nginx:1.27
    ports: [{containerPort: 80}, {containerPort: 80}]
"""


@pytest.mark.parametrize("manifest, warnings", [
    (DUPLICATE_PORTS, ["spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]"]),
    (DUPLICATE_PORTS.replace("{containerPort: 80}]", "{containerPort: 80, hostPort: 8080}]"),
     ["spec.containers[0].ports[1]: overlapping port definition with spec.containers[0].ports[0]"]),
    (DUPLICATE_PORTS.replace("{containerPort: 80}, {containerPort: 80}", "{containerPort: 80, hostIP: 10.0.0.1}"),
     [("spec.containers[0].ports[0]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:80 "
       "Protocol:TCP HostIP:10.0.0.1}")]),
    (DUPLICATE_PORTS.replace("    ports:", "    bogus: 1\n    ports:"),
     ['unknown field "spec.containers[0].bogus"',
      "spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]"]),
], ids=["the same port twice", "a host port overlapping the same container port",
        "a hostIP without a hostPort", "an unknown field under --validate=warn, then the ports"])
def test_a_created_pod_comes_back_with_its_warnings(manifest, warnings):
    c = Cluster(workers=1, seed=0)
    result = c.kubectl("apply -f - --validate=warn", stdin=manifest)
    assert (result.stdout, result.code) == ("pod/dupp created\n", 0)
    assert result.stderr == "".join(f"Warning: {w}\n" for w in warnings)


def test_a_deployment_s_template_is_warned_about_on_every_update():
    c = Cluster(workers=1, seed=0)
    manifest = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: a, image: "nginx:1.27", ports: [{containerPort: 80}, {containerPort: 80}]}
"""
    warning = ("Warning: spec.template.spec.containers[0].ports[1]: duplicate port definition with "
               "spec.template.spec.containers[0].ports[0]\n")
    assert c.kubectl("apply -f -", stdin=manifest).stderr == warning
    assert c.kubectl("scale deploy web --replicas=2").stderr == warning
    c.settle()
    assert c.kubectl("get pods").stderr == ""  # reads carry none


def test_a_pod_s_update_is_not_warned_about():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=DUPLICATE_PORTS)
    result = c.kubectl("label pod dupp tier=web")
    assert (result.stdout, result.stderr) == ("pod/dupp labeled\n", "")


def test_components_get_no_warnings_and_nothing_is_kept():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f - --validate=warn", stdin=DUPLICATE_PORTS)
    c.settle()
    assert c.apiserver.warnings is None
