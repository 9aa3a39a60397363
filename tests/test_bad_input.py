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
    ("a number where a command's list belongs is a 400 decode error (it used to crash the simulation)",
     "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n"
     "      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: 1.5\n",
     'Error from server (BadRequest): error when creating "STDIN": Job in version "v1" cannot be handled as a '
     "Job: json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.command "
     "of type []string\n"),
    ("metadata that is not an object is a 400 decode error",
     "apiVersion: v1\nkind: ConfigMap\nmetadata: 1.5\n",
     'error: error when retrieving current configuration of:\nResource: "/v1, Resource=configmaps", '
     'GroupVersionKind: "/v1, Kind=ConfigMap"\nName: "", Namespace: "default"\nfrom server for: "STDIN": '
     "resource name may not be empty\n"),
    ("a container list that is an object is a 400 decode error",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: {}\n",
     'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a '
     "Pod: json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container\n"),
    ("a fractional maxSurge is a 400 decode error",
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: d}\n"
     "  strategy:\n    rollingUpdate: {maxSurge: 1.5}\n  template:\n    metadata:\n      labels: {app: d}\n"
     "    spec:\n      containers:\n      - {name: c, image: nginx}\n",
     'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled '
     "as a Deployment: json: cannot unmarshal number 1.5 into Go struct field RollingUpdateDeployment.spec."
     "strategy.rollingUpdate.maxSurge of type int32\n"),
    ("a null container decodes to an empty one, which validation refuses",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: [null]\n",
     'The Pod "x" is invalid: \n* spec.containers[0].name: Required value\n* spec.containers[0].image: '
     "Required value\n"),
    ("a probe period that is not a number is a 400 decode error",
     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
     "    livenessProbe:\n      tcpSocket: {port: 80}\n      periodSeconds: 1.5\n",
     'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a '
     "Pod: json: cannot unmarshal number 1.5 into Go struct field Probe.spec.containers.livenessProbe."
     "periodSeconds of type int32\n"),
    ("an apiVersion that is not a string is the serializer's 400",
     "apiVersion: {a: 1}\nkind: ConfigMap\nmetadata:\n  name: x\n",
     'Error from server (BadRequest): error when creating "STDIN": couldn\'t get version/kind; json parse '
     "error: json: cannot unmarshal object into Go struct field .apiVersion of type string\n"),
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


def test_a_patch_that_brings_a_wrong_type_is_refused_and_writes_nothing():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx")
    cluster.settle()
    before = cluster.etcd.revision
    result = cluster.kubectl("""patch deployment web -p '{"spec":{"replicas":{"a":1}}}'""")
    assert (result.stderr, result.code) == (
        'Error from server (BadRequest): Deployment in version "v1" cannot be handled as a Deployment: json: '
        "cannot unmarshal object into Go struct field DeploymentSpec.spec.replicas of type int32\n", 1)
    assert cluster.etcd.revision == before
