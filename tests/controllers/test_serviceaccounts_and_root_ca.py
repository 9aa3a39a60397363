"""The service account controller and the root CA certificate publisher: a ``default``
ServiceAccount and a ``kube-root-ca.crt`` ConfigMap in every namespace, put back when removed."""

import base64

import pytest

from k8slearn import Cluster
from k8slearn.controllers.root_ca_publisher import DESCRIPTION, DESCRIPTION_ANNOTATION, ROOT_CA

BOOT_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"]


@pytest.fixture
def cluster():
    c = Cluster(workers=1, seed=0)
    c.settle()
    return c


def names(cluster, resource, namespace=None):
    return sorted((o["metadata"]["namespace"], o["metadata"]["name"]) for o in cluster.api.list(resource, namespace))


def test_every_namespace_at_boot_has_its_default_account_and_the_root_ca(cluster):
    accounts = names(cluster, "serviceaccounts")
    assert [a for a in accounts if a[1] == "default"] == [(ns, "default") for ns in BOOT_NAMESPACES]
    assert names(cluster, "configmaps") == [(ns, "kube-root-ca.crt") for ns in BOOT_NAMESPACES]
    cm = cluster.api.get("configmaps", "kube-root-ca.crt", "kube-public")
    assert cm["data"] == {"ca.crt": ROOT_CA}
    assert cm["metadata"]["annotations"] == {DESCRIPTION_ANNOTATION: DESCRIPTION}


@pytest.mark.parametrize("action", [
    "delete serviceaccount default -n shop",
    "delete configmap kube-root-ca.crt -n shop",
    """patch configmap kube-root-ca.crt -n shop -p '{"data":{"ca.crt":"tampered"}}'""",
    """annotate configmap kube-root-ca.crt -n shop kubernetes.io/description-""",
], ids=[
    "a deleted default account is created again",
    "a deleted kube-root-ca.crt is published again",
    "a changed certificate is put back",
    "a removed description is put back",
])
def test_a_new_namespace_gets_both_and_they_come_back(cluster, action):
    cluster.kubectl("create namespace shop")
    cluster.settle()
    assert names(cluster, "serviceaccounts", "shop") == [("shop", "default")]
    assert names(cluster, "configmaps", "shop") == [("shop", "kube-root-ca.crt")]
    result = cluster.kubectl(action)
    assert result.code == 0, result.stderr
    cluster.settle()
    assert names(cluster, "serviceaccounts", "shop") == [("shop", "default")]
    cm = cluster.api.get("configmaps", "kube-root-ca.crt", "shop")
    assert cm["data"] == {"ca.crt": ROOT_CA}
    assert cm["metadata"]["annotations"][DESCRIPTION_ANNOTATION] == DESCRIPTION


def test_a_deleted_namespace_takes_them_along_and_nothing_comes_back(cluster):
    cluster.kubectl("create namespace shop")
    cluster.settle()
    cluster.kubectl("delete namespace shop")
    cluster.settle()
    assert names(cluster, "serviceaccounts", "shop") == [] and names(cluster, "configmaps", "shop") == []
    assert "shop" not in [n["metadata"]["name"] for n in cluster.api.list("namespaces")]


def test_kubectl_lists_them_as_a_real_cluster_does(cluster):
    assert cluster.kubectl("get serviceaccounts").stdout == "NAME      SECRETS   AGE\ndefault   0         0s\n"
    assert cluster.kubectl("get configmaps").stdout == "NAME               DATA   AGE\nkube-root-ca.crt   1      0s\n"


def test_the_published_certificate_is_a_real_der_certificate():
    lines = ROOT_CA.strip().splitlines()
    assert lines[0] == "-----BEGIN CERTIFICATE-----" and lines[-1] == "-----END CERTIFICATE-----"
    der = base64.b64decode("".join(lines[1:-1]))
    assert der[:2] == b"\x30\x82" and int.from_bytes(der[2:4], "big") == len(der) - 4  # one DER SEQUENCE
    assert b"kubernetes" in der  # the subject and issuer: CN=kubernetes


def test_object_uids_do_not_draw_from_the_clusters_random_numbers():
    """A new kind of object must not move every later random choice (pod names, tie-breaks)."""
    def pod_names(extra_objects):
        c = Cluster(workers=2, seed=0)
        for i in range(extra_objects):
            c.kubectl(f"create configmap extra-{i} --from-literal=a=b")
        c.kubectl("create deployment web --image=nginx --replicas=3")
        c.settle()
        return sorted((p["metadata"]["name"], p["spec"]["nodeName"]) for p in c.api.list("pods"))

    assert pod_names(0) == pod_names(3)


def test_uids_are_the_same_for_the_same_seed_and_differ_between_seeds():
    def uids(seed):
        return [ns["metadata"]["uid"] for ns in Cluster(workers=1, seed=seed).api.list("namespaces")]

    assert uids(0) == uids(0)
    assert set(uids(0)).isdisjoint(uids(1))


def test_each_controller_runs_as_its_own_account_in_kube_system(cluster):
    """kubeadm runs kube-controller-manager with --use-service-account-credentials."""
    accounts = [name for ns, name in names(cluster, "serviceaccounts", "kube-system") if name != "default"]
    assert accounts == [
        "cronjob-controller", "daemon-set-controller", "deployment-controller", "disruption-controller",
        "endpoint-controller", "endpointslice-controller", "endpointslicemirroring-controller", "generic-garbage-collector", "job-controller",
        "namespace-controller", "node-controller", "persistent-volume-binder", "pod-garbage-collector",
        "pv-protection-controller", "pvc-protection-controller", "replicaset-controller",
        "root-ca-cert-publisher", "service-account-controller", "statefulset-controller",
        "ttl-after-finished-controller"]


def test_a_second_controller_manager_finds_the_accounts_there():
    from k8slearn.controllers.manager import ControllerManager

    c = Cluster(workers=1, seed=0)
    standby = ControllerManager(c.loop, c.apiserver.client("kube-controller-manager"), hostname="control-plane-2",
                                leader_elect=False)
    standby.start()  # creates nothing twice: the accounts are there (409 is expected and ignored)
    c.settle()
    assert len(names(c, "serviceaccounts", "kube-system")) == 21

