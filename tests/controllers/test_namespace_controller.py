"""Deleting a namespace: it goes Terminating, its content is deleted, then the namespace goes."""

import pytest

from k8slearn import Cluster
from k8slearn.controllers.namespace import finalizers_message, remaining_message


def test_remaining_message_lists_resources_in_order():
    assert remaining_message({"pods": 2, "configmaps": 1, "services": 0}) == (
        "Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances")


def test_finalizers_message_lists_each_finalizer_with_its_count_sorted():
    assert finalizers_message({"example.com/keep": 2, "a.io/hold": 1, "gone.io/x": 0}) == (
        "Some content in the namespace has finalizers remaining: "
        "a.io/hold in 1 resource instances, example.com/keep in 2 resource instances")


def _configmap(name, finalizers):
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "demo", "finalizers": finalizers}}


@pytest.mark.parametrize("finalizers, content, condition", [
    ({"cm": ["example.com/keep"]},
     "Some resources are remaining: configmaps. has 1 resource instances",
     ("True", "SomeFinalizersRemain",
      "Some content in the namespace has finalizers remaining: example.com/keep in 1 resource instances")),
    ({"a": ["example.com/keep", "b.io/hold"], "b": ["example.com/keep"]},
     "Some resources are remaining: configmaps. has 2 resource instances",
     ("True", "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: "
      "b.io/hold in 1 resource instances, example.com/keep in 2 resource instances")),
], ids=["one configmap held by one finalizer is reported under NamespaceFinalizersRemaining",
        "several finalizers are counted per object and listed sorted, joined with a comma"])
def test_the_finalizers_that_keep_a_namespace_terminating_are_reported(finalizers, content, condition):
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create ns demo")
    for name, names in finalizers.items():
        cluster.api.create(_configmap(name, names))
    cluster.kubectl("delete ns demo --wait=false")
    cluster.run(5)
    conditions = {c["type"]: c for c in cluster.api.get("namespaces", "demo")["status"]["conditions"]}
    assert conditions["NamespaceContentRemaining"]["message"] == content
    final = conditions["NamespaceFinalizersRemaining"]
    assert (final["status"], final["reason"], final["message"]) == condition
    for name in finalizers:  # the finalizers go: the content, then the namespace go with them
        cluster.api.patch("configmaps", name, {"metadata": {"finalizers": None}}, "demo", patch_type="merge")
    cluster.run(5)
    assert cluster.kubectl("get ns demo").code == 1


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
