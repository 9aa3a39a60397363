"""``kubectl patch --type=json`` against the simulated API server: json-patch v4's rules (negative
indices, ``replace`` of a missing key) and the server's generic 422 for a patch that does not apply.

Upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go (jsonPatcher.applyJSPatch:
NewGenericServerResponse(422, ..., isUnexpectedResponse=false), so no cause carries the library's
text); gopkg.in/evanphx/json-patch.v4 v4.12.0 patch.go
"""

import json

import pytest

from k8slearn import Cluster

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "nginx:1.25"}
      - {name: log, image: "busybox:1.36"}
"""
CONTAINERS = "/spec/template/spec/containers"
GENERIC_422 = "The request is invalid: the server rejected our request due to an error in our request\n"


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0)
    c.settle()
    assert c.kubectl("apply -f -", stdin=DEPLOYMENT).code == 0
    return c


def patch(cluster, *ops):
    return cluster.kubectl(["patch", "deploy", "web", "--type=json", "-p", json.dumps(list(ops))])


def images(cluster):
    return cluster.kubectl("get deploy web -o jsonpath={.spec.template.spec.containers[*].image}").stdout


def test_a_negative_index_names_the_last_container(cluster):
    result = patch(cluster, {"op": "replace", "path": f"{CONTAINERS}/-1/image", "value": "busybox:1.37"})
    assert (result.stdout, result.stderr, result.code) == ("deployment.apps/web patched\n", "", 0)
    assert images(cluster) == "nginx:1.25 busybox:1.37"


def test_replace_of_a_missing_label_adds_it(cluster):
    result = patch(cluster, {"op": "replace", "path": "/metadata/labels/tier", "value": "front"})
    assert result.code == 0
    assert cluster.kubectl("get deploy web -o jsonpath={.metadata.labels.tier}").stdout == "front"


@pytest.mark.parametrize("op", [
    {"op": "test", "path": f"{CONTAINERS}/0/image", "value": "nginx:1.99"},
    {"op": "remove", "path": f"{CONTAINERS}/-3"},
    {"op": "remove", "path": "/metadata/labels/nope"},
    {"op": "move", "from": "/spec/nope", "path": "/spec/x"},
], ids=["a failed test", "a negative index past the start", "removing a missing key", "moving a missing key"])
def test_a_patch_that_does_not_apply_is_the_generic_422_and_changes_nothing(cluster, op):
    before = cluster.kubectl("get deploy web -o json").stdout
    result = patch(cluster, op)
    assert (result.stdout, result.stderr, result.code) == ("", GENERIC_422, 1)
    assert cluster.kubectl("get deploy web -o json").stdout == before
