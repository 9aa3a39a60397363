"""Deleting a namespace: it goes Terminating, its content is deleted, then the namespace goes."""

from k8slearn import Cluster
from k8slearn.controllers.namespace import remaining_message


def test_remaining_message_lists_resources_in_order():
    assert remaining_message({"pods": 2, "configmaps": 1, "services": 0}) == (
        "Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances")


def test_deleting_a_namespace_deletes_its_pods_gracefully_then_the_namespace():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create namespace dev")
    cluster.kubectl("run web --image=nginx -n dev")
    cluster.kubectl("create configmap settings --from-literal=a=b -n dev")
    cluster.settle()
    assert cluster.api.get("pods", "web", "dev")["status"]["phase"] == "Running"
    cluster.api.delete("namespaces", "dev")
    assert cluster.api.get("namespaces", "dev")["status"]["phase"] == "Terminating"
    cluster.settle()
    cluster.run(5)
    assert cluster.kubectl("get ns dev").stderr == 'Error from server (NotFound): namespaces "dev" not found\n'
    assert cluster.api.list("pods", namespace="dev") == []
    finalize = [s for s in cluster.trace if s.component == "namespace-controller" and s.action == "finalize"]
    assert [s.object for s in finalize] == ["namespace/dev"]
    runtime = cluster.kubelets["node-1"].runtime
    assert not [c for c in runtime.containers.values() if c.state == "CONTAINER_RUNNING"]


def test_kubectl_delete_namespace_waits_until_it_is_gone():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create namespace tmp")
    result = cluster.kubectl("delete namespace tmp")
    assert result.stdout == 'namespace "tmp" deleted\n'
    assert "tmp" not in [n["metadata"]["name"] for n in cluster.api.list("namespaces")]


def test_a_terminating_namespace_carries_the_five_deletion_conditions_and_describe_shows_them():
    cluster = Cluster(workers=2, seed=0)
    cluster.kubectl("create namespace team")
    cluster.kubectl("-n team run slow --image=busybox -- sleep 3600")  # 30 s of grace to wait out
    cluster.settle()
    cluster.kubectl("delete namespace team --wait=false")
    cluster.run(3)
    conditions = cluster.api.get("namespaces", "team")["status"]["conditions"]
    assert [(c["type"], c["status"], c["reason"], c["message"]) for c in conditions] == [
        ("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered"),
        ("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions",
         "All legacy kube types successfully parsed"),
        ("NamespaceDeletionContentFailure", "False", "ContentDeleted",
         "All content successfully deleted, may be waiting on finalization"),
        ("NamespaceContentRemaining", "True", "SomeResourcesRemain",
         "Some resources are remaining: pods. has 1 resource instances"),
        ("NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers", "All content-preserving finalizers finished"),
    ]
    described = cluster.kubectl("describe ns team").stdout
    assert "Status:       Terminating\nConditions:\n  Type                                         Status  " in described
    assert ("  NamespaceContentRemaining                    True    Mon, 05 Jan 2026 09:00:00 +0000  "
            "SomeResourcesRemain     Some resources are remaining: pods. has 1 resource instances\n") in described
    cluster.settle()
    assert cluster.kubectl("get ns team").code == 1  # gone once the pod is
