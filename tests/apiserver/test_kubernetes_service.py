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
