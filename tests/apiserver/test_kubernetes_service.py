"""kube-apiserver's kubernetes service controller: default/kubernetes comes back."""

from k8slearn import Cluster


def test_a_deleted_kubernetes_service_and_its_endpoints_come_back_within_ten_seconds():
    c = Cluster(workers=1, seed=0)
    c.kubectl("delete svc kubernetes")
    c.run(10)
    service = c.api.get("services", "kubernetes")
    assert (service["spec"]["clusterIP"], service["spec"]["ports"][0]["port"]) == ("10.96.0.1", 443)
    assert c.api.get("endpoints", "kubernetes")["subsets"][0]["addresses"] == [{"ip": "172.18.0.2"}]
    c.kubectl("run after --image=busybox -- sleep 3600")
    c.settle()
    env = c.kubectl("exec after -- printenv KUBERNETES_SERVICE_HOST")
    assert env.stdout == "10.96.0.1\n"


def test_the_check_writes_nothing_while_both_are_there():
    c = Cluster(workers=1, seed=0)
    c.settle()
    versions = [c.api.get(r, "kubernetes")["metadata"]["resourceVersion"] for r in ("services", "endpoints")]
    c.run(30)
    assert [c.api.get(r, "kubernetes")["metadata"]["resourceVersion"] for r in ("services", "endpoints")] == versions


def test_the_kubernetes_service_has_the_endpoint_slice_the_endpoints_adapter_makes_and_describe_reads_it():
    c = Cluster(workers=1, seed=0)
    eps = c.api.get("endpointslices", "kubernetes")
    assert ({k: eps[k] for k in ("addressType", "endpoints", "ports")}, eps["metadata"]["labels"]) == (
        {"addressType": "IPv4", "endpoints": [{"addresses": ["172.18.0.2"], "conditions": {"ready": True}}],
         "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]},
        {"kubernetes.io/service-name": "kubernetes"})
    assert "Endpoints:                172.18.0.2:6443\n" in c.kubectl("describe svc kubernetes").stdout
    c.kubectl("delete endpointslice kubernetes")
    c.run(10)
    assert c.api.get("endpointslices", "kubernetes")["endpoints"][0]["addresses"] == ["172.18.0.2"]
