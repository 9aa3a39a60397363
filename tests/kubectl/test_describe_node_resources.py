"""kubectl describe node: what each pod requests and limits, and the node's Allocated resources, as
kubectl v1.32 counts them (PodRequestsAndLimits: sidecars add up, init containers raise the floor,
the overhead adds to requests and non-zero limits)."""

import pytest

from k8slearn import Cluster
from k8slearn.kubectl.describe_node import pod_requests_and_limits


def c(name, requests=None, limits=None, sidecar=False):
    resources = {k: v for k, v in (("requests", requests), ("limits", limits)) if v}
    return {"name": name, "resources": resources, **({"restartPolicy": "Always"} if sidecar else {})}


def texts(pod):
    reqs, limits = pod_requests_and_limits({"spec": pod})
    return {k: str(v) for k, v in reqs.items()}, {k: str(v) for k, v in limits.items()}


@pytest.mark.parametrize("spec, requests, limits", [
    pytest.param({"containers": [c("a", {"cpu": "100m"}), c("b", {"cpu": "250m", "memory": "64Mi"})]},
                 {"cpu": "350m", "memory": "64Mi"}, {}, id="app containers add up"),
    pytest.param({"containers": [c("app", {"cpu": "500m"})], "initContainers": [c("migrate", {"cpu": "2"})]},
                 {"cpu": "2"}, {}, id="a bigger init container raises the request"),
    pytest.param({"containers": [c("app", {"cpu": "100m"}, {"cpu": "200m"})],
                  "initContainers": [c("proxy", {"cpu": "50m"}, {"cpu": "50m"}, sidecar=True)]},
                 {"cpu": "150m"}, {"cpu": "250m"}, id="a sidecar adds to the app containers"),
    pytest.param({"containers": [c("app", {"cpu": "100m"})],
                  "initContainers": [c("proxy", {"cpu": "250m"}, sidecar=True), c("warm", {"cpu": "1"})]},
                 {"cpu": "1250m"}, {}, id="an init container after a sidecar runs beside it"),
    pytest.param({"containers": [c("app", {"cpu": "100m"}, {"memory": "128Mi"})],
                  "overhead": {"cpu": "10m", "memory": "16Mi"}},
                 {"cpu": "110m", "memory": "16Mi"}, {"memory": "144Mi"},
                 id="the overhead adds to every request and only to limits that are set"),
    pytest.param({"containers": [c("a", {"memory": "0"}), c("b", {"memory": "1Gi"})]},
                 {"memory": "1Gi"}, {}, id="a sum that starts at zero takes the format of what is added"),
])
def test_pod_requests_and_limits_count_as_kubectl_does(spec, requests, limits):
    assert texts(spec) == (requests, limits)


SIDECAR_POD = """
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
  - name: setup
    image: busybox
    command: ["true"]
    resources: {requests: {cpu: 300m, memory: 64Mi}}
  - name: proxy
    image: nginx
    restartPolicy: Always
    resources: {requests: {cpu: 250m, memory: 1Gi}, limits: {memory: 1Gi}}
  containers:
  - name: app
    image: nginx
    resources: {requests: {cpu: 500m, memory: 128Mi}, limits: {cpu: "1", memory: 256Mi}}
"""


def test_describe_node_counts_a_sidecar_in_the_pod_row_and_the_allocated_resources():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl("apply -f -", stdin=SIDECAR_POD)
    cluster.settle()
    out = cluster.kubectl("describe node node-1").stdout
    table = out[out.index("Non-terminated Pods:"):out.index("Events:")]
    assert table.splitlines()[3].split()[:10] == ["default", "web", "750m", "(37%)", "1", "(50%)",
                                                  "1152Mi", "(28%)", "1280Mi", "(32%)"]
    assert "  cpu                750m (37%)    1 (50%)\n" in table
    assert "  memory             1152Mi (28%)  1280Mi (32%)\n" in table


def test_an_advertised_extended_resource_gets_a_row_without_percentages():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.api.patch("nodes", "node-1", {"status": {"capacity": {"example.com/dongle": "4"},
                                                      "allocatable": {"example.com/dongle": "4"}}},
                      namespace=None, subresource="status")
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "dongle"},
                        "spec": {"containers": [{"name": "app", "image": "nginx",
                                                 "resources": {"limits": {"example.com/dongle": "3"}}}]}})
    cluster.settle()
    out = cluster.kubectl("describe node node-1").stdout
    allocated = out[out.index("Allocated resources:"):out.index("Events:")]
    assert allocated.splitlines()[-1] == "  example.com/dongle  3         3"
