"""kubectl set serviceaccount (set sa) against the simulated cluster, with kubectl v1.32's texts
(set_serviceaccount.go; the client-side ones checked against the real kubectl 1.32 binary)."""

import pytest

from k8slearn import Cluster

NOT_GIVEN = ("error: You must provide one or more resources by argument or filename.\nExample resource "
             "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n"
             "   '<resource>'\n")

FILE = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
"""


@pytest.fixture()
def cluster():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx")
    c.kubectl("create serviceaccount builder")
    c.settle()
    return c


def service_account(c):
    return c.api.get("deployments", "web")["spec"]["template"]["spec"].get("serviceAccountName")


@pytest.mark.parametrize("command, stdout, stderr", [
    ("set sa", "", "error: serviceaccount is required\n"),
    ("set sa deploy/web", "", NOT_GIVEN),  # the last argument is the service account, not a resource
    ("set sa deploy/web builder --local", "", NOT_GIVEN),  # --local reads only -f files
    ("set sa --local --dry-run=server", "",
     "error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?\n"),
    ("set sa deploy/web deploy/nosuch builder", "",
     'Error from server (NotFound): deployments.apps "nosuch" not found\n'),
])
def test_a_refused_set_serviceaccount_prints_kubectls_error_and_changes_nothing(cluster, command, stdout, stderr):
    revision = cluster.etcd.revision
    r = cluster.kubectl(command)
    assert (r.stdout, r.stderr, r.code) == (stdout, stderr, 1)
    assert cluster.etcd.revision == revision
    assert service_account(cluster) is None


@pytest.mark.parametrize("command, stdout, changed", [
    ("set serviceaccount deployment/web builder", "deployment.apps/web serviceaccount updated\n", True),
    ("set sa deploy web builder", "deployment.apps/web serviceaccount updated\n", True),
    ("set sa deploy/web builder -o name", "deployment.apps/web\n", True),
    ("set sa deploy/web builder --dry-run=server", "deployment.apps/web serviceaccount updated (server dry run)\n",
     False),
    ("set sa deploy/web builder --dry-run=client -o jsonpath={.spec.template.spec.serviceAccountName}",
     "builder", False),
])
def test_set_serviceaccount_sets_the_pod_templates_service_account(cluster, command, stdout, changed):
    r = cluster.kubectl(command)
    assert (r.stdout, r.stderr, r.code) == (stdout, "", 0)
    assert service_account(cluster) == ("builder" if changed else None)


def test_setting_the_same_service_account_again_still_says_updated(cluster):
    cluster.kubectl("set sa deploy/web builder")
    r = cluster.kubectl("set sa deploy/web builder")
    assert (r.stdout, r.stderr, r.code) == ("deployment.apps/web serviceaccount updated\n", "", 0)


def test_a_new_service_account_rolls_the_deployment_out_to_pods_running_as_it(cluster):
    cluster.kubectl("set sa deploy/web builder")
    cluster.settle()
    pods = cluster.api.list("pods", "default")
    assert [p["spec"]["serviceAccountName"] for p in pods] == ["builder"]
    assert len(cluster.api.list("replicasets", "default")) == 2


def test_an_object_without_a_pod_template_is_an_error_after_the_others_are_updated(cluster):
    r = cluster.kubectl("set sa configmap/kube-root-ca.crt deploy/web builder")
    assert (r.stdout, r.stderr, r.code) == (
        "deployment.apps/web serviceaccount updated\n",
        "error: configmaps/kube-root-ca.crt the object is not a pod or does not have a pod template: "
        "*v1.ConfigMap\n", 1)
    assert service_account(cluster) == "builder"


def test_local_changes_the_file_objects_in_memory_and_sends_nothing(cluster):
    revision = cluster.etcd.revision
    r = cluster.kubectl("set sa -f - robot --local -o jsonpath={.spec.template.spec.serviceAccountName}",
                        stdin=FILE)
    assert (r.stdout, r.stderr, r.code) == (
        "robot",
        "error: configmap/cm the object is not a pod or does not have a pod template: *v1.ConfigMap\n", 1)
    assert cluster.etcd.revision == revision
