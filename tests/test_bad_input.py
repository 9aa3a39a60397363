"""Bad input gets Kubernetes' own error text and changes nothing (the store revision stays put)."""

import pytest

from k8slearn import Cluster

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: c
    image: {image}
"""

CASES = [
    ("malformed YAML names the line",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: app: web\n",
     "error: error parsing STDIN: error converting YAML to JSON: yaml: line 5: mapping values are not allowed "
     "in this context\n"),
    ("an unknown kind gets kubectl's no-matches text",
     "apiVersion: v1\nkind: Pood\nmetadata:\n  name: x\n",
     'error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind '
     '"Pood" in version "v1"\nensure CRDs are installed first\n'),
    ("a pod without an image is Invalid with the field path",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n",
     'The Pod "x" is invalid: spec.containers[0].image: Required value\n'),
    ("an invalid name gets the RFC 1123 message",
     POD.format(name="My_Pod", image="nginx"),
     'The Pod "My_Pod" is invalid: metadata.name: Invalid value: "My_Pod": a lowercase RFC 1123 subdomain '
     "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
     "alphanumeric character (e.g. 'example.com', regex used for validation is "
     "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"),
    ("a quoted number where an integer belongs is a 400 decode error",
     POD.format(name="x", image="nginx") + "    ports:\n    - containerPort: \"80\"\n",
     'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as '
     "a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports."
     "containerPort of type int32\n"),
    ("a missing namespace is NotFound",
     POD.format(name="x", image="nginx").replace("  name: x\n", "  name: x\n  namespace: nope\n"),
     'Error from server (NotFound): error when creating "STDIN": namespaces "nope" not found\n'),
]


@pytest.mark.parametrize("manifest, stderr", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_manifests_get_upstream_errors_and_write_nothing(manifest, stderr):
    cluster = Cluster(workers=1, seed=0)
    before = cluster.etcd.revision
    result = cluster.kubectl("apply -f -", stdin=manifest)
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)
    assert cluster.etcd.revision == before


def test_a_stale_update_is_a_conflict_and_writes_nothing():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("apply -f -", stdin=POD.format(name="web", image="nginx"))
    stale = cluster.api.get("pods", "web")
    cluster.kubectl("label pod web tier=front")
    before = cluster.etcd.revision
    stale["metadata"]["labels"] = {"tier": "back"}
    with pytest.raises(Exception) as info:
        cluster.api.update(stale)
    assert info.value.code == 409
    assert str(info.value) == ('Operation cannot be fulfilled on pods "web": the object has been modified; '
                               "please apply your changes to the latest version and try again")
    assert cluster.etcd.revision == before
