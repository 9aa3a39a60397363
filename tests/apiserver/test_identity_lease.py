"""kube-apiserver's identity Lease: named from its host name, renewed every 10 s, back when deleted."""

import pytest

from k8slearn import Cluster
from k8slearn.apiserver.identity_lease import apiserver_id

NAME = "apiserver-6vzvajxlkf7lcarzgdc4jnyaru"  # upstream's ID for the host name control-plane


@pytest.mark.parametrize("hostname, expected", [
    ("control-plane", NAME),
    ("kind-control-plane", apiserver_id("kind-control-plane")),
], ids=["the ID of the host control-plane is the one a kubeadm cluster of that host name shows",
        "another host name gives another ID"])
def test_the_id_is_a_hash_of_the_host_name(hostname, expected):
    assert apiserver_id(hostname) == expected
    assert len(expected) == len("apiserver-") + 26


def test_the_identity_lease_is_listed_with_its_labels_and_renewed_every_10_seconds():
    cluster = Cluster(workers=1, seed=0)
    cluster.run(25)
    lease = cluster.api.get("leases", NAME, "kube-system")
    assert lease["metadata"]["labels"] == {"apiserver.kubernetes.io/identity": "kube-apiserver",
                                           "kubernetes.io/hostname": "control-plane"}
    spec = lease["spec"]
    assert spec["holderIdentity"].startswith(NAME + "_") and len(spec["holderIdentity"]) == len(NAME) + 37
    assert (spec["leaseDurationSeconds"], spec["renewTime"]) == (3600, "2026-01-05T09:00:20.000000Z")
    assert "acquireTime" not in spec  # the lease controller sets only holder, duration and renewal
    rows = str(cluster.kubectl("get leases -n kube-system")).splitlines()
    assert [row.split()[0] for row in rows] == ["NAME", NAME, "kube-controller-manager", "kube-scheduler"]


def test_a_deleted_identity_lease_is_made_again_at_the_next_renewal():
    cluster = Cluster(workers=1, seed=0)
    cluster.run(5)
    holder = cluster.api.get("leases", NAME, "kube-system")["spec"]["holderIdentity"]
    cluster.kubectl(f"delete lease {NAME} -n kube-system")
    cluster.run(10)
    lease = cluster.api.get("leases", NAME, "kube-system")
    assert (lease["spec"]["holderIdentity"], lease["spec"]["renewTime"]) == (holder, "2026-01-05T09:00:10.000000Z")
