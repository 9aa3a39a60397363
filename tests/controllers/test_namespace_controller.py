"""Deleting a namespace: it goes Terminating, its content is deleted, then the namespace goes."""

import pytest

from k8slearn import Cluster
from k8slearn.controllers.namespace import finalizers_message, remaining_message


def test_remaining_message_lists_resource_dot_group_sorted_so_core_resources_end_in_a_dot():
    assert remaining_message({"pods.": 2, "configmaps.": 1, "services.": 0, "deployments.apps": 1}) == (
        "Some resources are remaining: configmaps. has 1 resource instances, "
        "deployments.apps has 1 resource instances, pods. has 2 resource instances")


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
    cluster.run(6)  # the controller's first pass comes 5 s after the deletion
    conditions = {c["type"]: c for c in cluster.api.get("namespaces", "demo")["status"]["conditions"]}
    assert conditions["NamespaceContentRemaining"]["message"] == content
    final = conditions["NamespaceFinalizersRemaining"]
    assert (final["status"], final["reason"], final["message"]) == condition
    for name in finalizers:  # the finalizers go: the content, then the namespace go with them
        cluster.api.patch("configmaps", name, {"metadata": {"finalizers": None}}, "demo", patch_type="merge")
    cluster.run(8)  # content held by finalizers is looked at again after 15 / 2 + 1 s
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
    cluster.run(6)
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
    assert ("  NamespaceContentRemaining                    True    Mon, 05 Jan 2026 09:00:06 +0000  "
            "SomeResourcesRemain     Some resources are remaining: pods. has 1 resource instances\n") in described
    cluster.settle()
    assert cluster.kubectl("get ns team").code == 1  # gone once the pod is


def _conditions(cluster, name):
    namespace = cluster.api.get("namespaces", name)
    return {c["type"]: (c["status"], c["reason"], c["message"]) for c in namespace["status"].get("conditions", [])}


def test_the_controller_waits_the_five_second_namespace_deletion_grace_period_before_deleting_anything():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create namespace demo")
    cluster.kubectl("create configmap settings --from-literal=a=b -n demo")
    cluster.kubectl("delete namespace demo --wait=false")
    cluster.run(4)
    assert cluster.api.get("configmaps", "settings", "demo")["metadata"].get("deletionTimestamp") is None
    assert _conditions(cluster, "demo") == {}
    cluster.run(2)
    assert cluster.api.list("configmaps", namespace="demo") == []


def test_a_deployment_held_by_a_finalizer_is_counted_as_deployments_dot_apps():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create namespace demo")
    cluster.kubectl("create deployment web --image=nginx --replicas=0 -n demo")
    cluster.api.patch("deployments", "web", {"metadata": {"finalizers": ["example.com/keep"]}}, "demo",
                      patch_type="merge")
    cluster.kubectl("delete namespace demo --wait=false")
    cluster.run(6)
    conditions = _conditions(cluster, "demo")
    assert conditions["NamespaceContentRemaining"] == (
        "True", "SomeResourcesRemain",
        "Some resources are remaining: deployments.apps has 1 resource instances")
    assert conditions["NamespaceDeletionContentFailure"] == (
        "False", "ContentDeleted", "All content successfully deleted, may be waiting on finalization")


def test_pods_stuck_terminating_on_a_stopped_node_are_reported_as_content_deletion_failed_after_their_grace():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create namespace demo")
    cluster.kubectl("run web --image=nginx -n demo")
    cluster.settle()
    cluster.stop_node("node-1")  # no kubelet to confirm the pod stopped: it stays Terminating
    cluster.kubectl("delete namespace demo --wait=false")
    cluster.run(20)
    # within the pod's 30 s grace period the controller waits
    assert _conditions(cluster, "demo")["NamespaceDeletionContentFailure"][0] == "False"
    cluster.run(60)
    conditions = _conditions(cluster, "demo")
    assert conditions["NamespaceDeletionContentFailure"] == (
        "True", "ContentDeletionFailed", "Failed to delete all resource types, 1 remaining: "
        "unexpected items still remain in namespace: demo for gvr: /v1, Resource=pods")
    assert conditions["NamespaceContentRemaining"] == (
        "True", "SomeResourcesRemain", "Some resources are remaining: pods. has 1 resource instances")
    assert cluster.kubectl("get ns demo").stdout.splitlines()[1].split()[:2] == ["demo", "Terminating"]


def test_finalizing_removes_only_the_kubernetes_finalizer_so_another_keeps_the_namespace_terminating():
    cluster = Cluster(workers=1, seed=0)
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo"},
                        "spec": {"finalizers": ["example.com/hold"]}})
    cluster.kubectl("create configmap settings -n demo")
    cluster.kubectl("delete namespace demo --wait=false")
    cluster.run(20)
    namespace = cluster.api.get("namespaces", "demo")
    assert namespace["spec"]["finalizers"] == ["example.com/hold"]
    assert namespace["status"]["phase"] == "Terminating"
    assert [status for status, _, _ in _conditions(cluster, "demo").values()] == ["False"] * 5
    assert _conditions(cluster, "demo")["NamespaceContentRemaining"] == (
        "False", "ContentRemoved", "All content successfully removed")
    cluster.api.finalize_namespace("demo", [])  # the other finalizer's owner is done too
    assert cluster.kubectl("get ns demo").code == 1


_KEPT_POD = {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "p", "namespace": "demo", "finalizers": ["example.com/keep"]},
             "spec": {"containers": [{"name": "c", "image": "nginx"}]}}


@pytest.mark.parametrize("held, remaining", [
    (_configmap("cm", ["example.com/keep"]), "configmaps. has 1 resource instances"),
    (_KEPT_POD, "pods. has 1 resource instances"),
], ids=["settle returns while a finalizer nobody removes keeps a configmap and the namespace terminating",
        "settle returns while a finalizer nobody removes keeps a stopped pod and the namespace terminating"])
def test_settle_returns_while_a_finalizer_nobody_removes_keeps_the_namespace_terminating(held, remaining):
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create ns demo")
    cluster.api.create(held)
    cluster.settle()
    cluster.kubectl("delete ns demo --wait=false")
    assert cluster.settle() < 60  # the 8 s rechecks wait in the background
    assert cluster.api.get("namespaces", "demo")["status"]["phase"] == "Terminating"
    assert _conditions(cluster, "demo")["NamespaceContentRemaining"][2] == "Some resources are remaining: " + remaining


@pytest.mark.parametrize("cascade, finalizer", [("foreground", "foregroundDeletion"), ("orphan", "orphan")],
                         ids=["a namespace deleted in the foreground goes once the collector drops its finalizer",
                              "a namespace deleted with orphan goes once the collector drops its finalizer"])
def test_kubectl_delete_namespace_with_a_cascade_goes_after_the_garbage_collector(cascade, finalizer):
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create namespace dev")
    cluster.kubectl("create configmap settings -n dev")
    cluster.kubectl(f"delete ns dev --cascade={cascade} --wait=false")
    marked = cluster.kubectl("get ns dev -o jsonpath={.metadata.finalizers}")
    assert marked.stdout == f'["{finalizer}"]'
    result = cluster.kubectl(f"delete ns dev --cascade={cascade}")  # the second delete waits until it is gone
    assert (result.stdout, result.stderr, result.code) == ('namespace "dev" deleted\n', "", 0)
    assert cluster.kubectl("get ns dev").stderr == 'Error from server (NotFound): namespaces "dev" not found\n'


def test_deleting_a_namespace_again_while_a_finalizer_holds_its_content_changes_nothing_and_prints_deleted():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create ns demo")
    cluster.api.create(_configmap("cm", ["example.com/keep"]))
    cluster.kubectl("delete ns demo --wait=false")
    cluster.run(6)
    before = cluster.api.get("namespaces", "demo")
    result = cluster.kubectl("delete ns demo --wait=false")  # namespace REST.Delete returns it as it is
    assert (result.stdout, result.stderr, result.code) == ('namespace "demo" deleted\n', "", 0)
    after = cluster.api.get("namespaces", "demo")
    assert after["metadata"]["deletionTimestamp"] == before["metadata"]["deletionTimestamp"]
    assert after["status"]["phase"] == "Terminating"
