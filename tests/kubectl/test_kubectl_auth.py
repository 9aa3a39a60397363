"""kubectl auth whoami / auth can-i as kubeadm's admin, and kubectl version's argument check.

Expected texts were recorded from the real kubectl v1.32 against a server answering the
SelfSubjectReview and SelfSubjectAccessReview as kube-apiserver does for admin.conf's user
(staging/src/k8s.io/kubectl/pkg/cmd/auth/whoami.go, cani.go; pkg/registry/authentication/selfsubjectreview).
"""

import json

import pytest

from k8slearn import Cluster
from k8slearn.api.meta import timestamp

USAGE = ("error: you must specify two arguments: verb resource or verb resource/resourceName.\n"
         "See 'kubectl auth can-i -h' for help and examples.\n")


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0, current=False)
    c.settle()
    return c


def test_auth_whoami_prints_kubeadm_admin_and_its_groups(cluster):
    r = cluster.kubectl("auth whoami")
    assert (r.stderr, r.code) == ("", 0)
    assert r.stdout == ("ATTRIBUTE   VALUE\n"
                        "Username    kubernetes-admin\n"
                        "Groups      [kubeadm:cluster-admins system:authenticated]\n")


def test_auth_whoami_as_json_is_the_review_in_go_field_order_stamped_now(cluster):
    review = json.loads(cluster.kubectl("auth whoami -o json").stdout)
    assert list(review) == ["kind", "apiVersion", "metadata", "status"]
    assert review["status"] == {"userInfo": {"username": "kubernetes-admin",
                                             "groups": ["kubeadm:cluster-admins", "system:authenticated"]}}
    assert review["metadata"] == {"creationTimestamp": timestamp(cluster.now)}
    assert cluster.kubectl("auth whoami -o yaml").stdout.startswith(
        "apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\nmetadata:\n  creationTimestamp: ")


@pytest.mark.parametrize("command, stdout, stderr, code", [
    ("auth can-i get pods", "yes\n", "", 0),
    ("auth can-i delete deploy/web", "yes\n", "", 0),
    ("auth can-i list deploy/web -q", "", "", 0),
    ("auth can-i get /healthz", "yes\n", "", 0),
    ("auth can-i get no", "yes\n", "Warning: resource 'nodes' is not namespace scoped\n\n", 0),
    ("auth can-i get priorityclasses", "yes\n",
     "Warning: resource 'priorityclasses' is not namespace scoped in group 'scheduling.k8s.io'\n\n", 0),
    ("auth can-i frob pods", "yes\n", "Warning: verb 'frob' is not a known verb\n\n", 0),
    ("auth can-i frob nodes -A", "yes\n", "", 0),
    ("auth can-i get foo", "yes\n", "Warning: the server doesn't have a resource type 'foo'\n\n", 0),
    ("auth can-i get foo.bar", "yes\n",
     "Warning: the server doesn't have a resource type 'foo' in group 'bar'\n\n", 0),
    ("auth can-i impersonate users", "yes\n", "", 0),
    ("auth can-i", "", USAGE, 1),
    ("auth can-i get pods extra", "", USAGE, 1),
    ("auth can-i get /logs --subresource=x", "",
     "error: --subresource can not be used with NonResourceURL\n", 1),
    ("auth can-i get pods --no-headers", "",
     "error: --no-headers cannot be set without --list specified\n", 1),
    ("auth can-i --list get", "", "error: list option must be specified with no arguments\n", 1),
    ("auth can-i --list -q", "",
     "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n", 1),
    ("version foo bar", "", "error: extra arguments: [foo bar]\n", 1),
], ids=[
    "the admin may get pods",
    "a short name and an object name are resolved",
    "--quiet answers with the exit code only",
    "a non-resource URL is asked about as it is",
    "a cluster-scoped core resource asked in a namespace is warned about",
    "a cluster-scoped resource of a named group names its group",
    "a verb no API uses is warned about",
    "with --all-namespaces neither scope nor verb is warned about",
    "a resource type the server lacks is warned about and asked anyway",
    "a resource type in a group the server lacks names the group",
    "users and groups are known to the server though discovery does not list them",
    "can-i needs a verb and a resource",
    "can-i takes no third argument",
    "a subresource has no meaning for a URL",
    "--no-headers belongs to --list",
    "--list takes no arguments",
    "--list cannot be quiet",
    "kubectl version takes no arguments",
])
def test_auth_can_i_as_the_admin(cluster, command, stdout, stderr, code):
    before = cluster.etcd.revision
    r = cluster.kubectl(command)
    assert (r.stdout, r.stderr, r.code) == (stdout, stderr, code)
    assert cluster.etcd.revision == before  # reviews are answered, never stored
