"""An ExternalName Service: a name for a host outside the cluster, no cluster IP, no endpoints."""

from k8slearn import Cluster


def test_an_external_name_service_has_no_cluster_ip_and_describe_names_the_host():
    c = Cluster(workers=1, seed=0)
    assert c.kubectl("create service externalname db --external-name db.example.com").stdout == "service/db created\n"
    assert c.kubectl("get svc db").stdout.splitlines()[1].split()[:5] == [
        "db", "ExternalName", "<none>", "db.example.com", "<none>"]
    described = c.kubectl("describe svc db").stdout.splitlines()
    assert "External Name:     db.example.com" in described
    assert described.index("External Name:     db.example.com") == described.index("IPs:               <none>") + 1
