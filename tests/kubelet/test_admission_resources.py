"""The kubelet's admission of a pod bound straight to its node (spec.nodeName): the scheduler's fit
check in fitsRequest's order, reported as OutOf<resource> with the first shortfall only."""

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.admission import first_insufficient, without_missing_extended_resources

NODE = {"cpu": "2", "memory": "4Gi", "ephemeral-storage": "100Gi", "hugepages-2Mi": "0", "pods": "110"}


@pytest.mark.parametrize("requests, used, pod_count, expected", [
    pytest.param({"cpu": 500}, {"cpu": 1000}, 2, None, id="a pod that fits beside the others is admitted"),
    pytest.param({"cpu": 2000}, {"cpu": 500}, 2, ("cpu", 2000, 500, 2000),
                 id="a cpu request over what is left reports the used and the capacity"),
    pytest.param({}, {}, 110, ("pods", 1, 110, 110), id="a pod that asks nothing still needs a pod slot"),
    pytest.param({"cpu": 9000, "memory": 1}, {}, 110, ("pods", 1, 110, 110),
                 id="a full node reports the pod slot before the cpu"),
    pytest.param({"cpu": 9000, "memory": 2**40}, {}, 0, ("cpu", 9000, 0, 2000),
                 id="cpu is reported before memory"),
    pytest.param({"memory": 2**40}, {}, 0, ("memory", 2**40, 0, 4 * 2**30), id="memory in bytes"),
    pytest.param({"ephemeral-storage": 200 * 2**30}, {}, 0,
                 ("ephemeral-storage", 200 * 2**30, 0, 100 * 2**30), id="ephemeral-storage is checked"),
    pytest.param({"hugepages-2Mi": 4 * 2**20}, {}, 0, ("hugepages-2Mi", 4 * 2**20, 0, 0),
                 id="hugepages the node has none of"),
    pytest.param({"example.com/gpu": 1}, {}, 0, ("example.com/gpu", 1, 0, 0),
                 id="an extended resource is checked when it is still in the request"),
])
def test_the_first_insufficient_resource_follows_fits_request_order(requests, used, pod_count, expected):
    assert first_insufficient(requests, used, pod_count, NODE) == expected


@pytest.mark.parametrize("requests, allocatable, expected", [
    pytest.param({"example.com/gpu": 1, "cpu": 100}, NODE, {"cpu": 100},
                 id="an extended resource the node does not list is left to a cluster-level allocator"),
    pytest.param({"hugepages-2Mi": 2**21}, NODE, {"hugepages-2Mi": 2**21},
                 id="hugepages are native and stay"),
    pytest.param({"example.com/gpu": 1}, {**NODE, "example.com/gpu": "2"}, {"example.com/gpu": 1},
                 id="an extended resource the node lists stays"),
])
def test_missing_extended_resources_are_removed_before_the_check(requests, allocatable, expected):
    assert without_missing_extended_resources(requests, allocatable) == expected


def _pod(name, requests=None, limits=None):
    resources = {k: v for k, v in (("requests", requests), ("limits", limits)) if v}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"nodeName": "node-1",
                     "containers": [{"name": "app", "image": "nginx", "resources": resources}]}}


def _status(cluster, name):
    status = cluster.api.get("pods", name)["status"]
    return status["phase"], status.get("reason"), status.get("message")


@pytest.mark.parametrize("requests, limits, reason, message", [
    pytest.param({"ephemeral-storage": "200Gi"}, None, "OutOfephemeral-storage",
                 "Node didn't have enough resource: ephemeral-storage, requested: 214748364800, used: 0, "
                 "capacity: 96636764160", id="a pod asking more scratch space than the node has"),
    pytest.param(None, {"hugepages-2Mi": "4Mi", "memory": "64Mi"}, "OutOfhugepages-2Mi",
                 "Node didn't have enough resource: hugepages-2Mi, requested: 4194304, used: 0, capacity: 0",
                 id="a pod asking hugepages of a node with none"),
    pytest.param({"example.com/gpu": "1"}, {"example.com/gpu": "1"}, None, None,
                 id="a pod asking an extended resource the node does not list is admitted"),
])
def test_a_pod_bound_to_a_node_without_room_is_rejected(requests, limits, reason, message):
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.api.create(_pod("big", requests, limits))
    cluster.settle()
    if reason is None:
        assert _status(cluster, "big") == ("Running", None, None)
        return
    assert _status(cluster, "big") == ("Failed", reason, "Pod was rejected: " + message)
    events = [(e["type"], e["reason"], e["message"]) for e in cluster.api.list("events", "default")
              if e["involvedObject"]["name"] == "big"]
    assert events == [("Warning", reason, message)]


def test_a_pod_past_the_nodes_pod_capacity_is_rejected_out_of_pods():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    two_pods = {"status": {"allocatable": {"pods": "2"}, "capacity": {"pods": "2"}}}
    cluster.api.patch("nodes", "node-1", two_pods, namespace=None, subresource="status")
    for name in ("a", "b", "c"):
        cluster.api.create(_pod(name))
        cluster.settle()
    assert [_status(cluster, n)[0] for n in ("a", "b")] == ["Running", "Running"]
    assert _status(cluster, "c") == (
        "Failed", "OutOfpods",
        "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2")
    assert "OutOfpods" in cluster.kubectl("get pod c").stdout


def test_a_finished_pods_requests_no_longer_count():
    cluster = Cluster(workers=1, seed=0)  # node-1: 2 cpu
    cluster.settle()
    done = _pod("done", {"cpu": "1500m"})
    done["spec"].update(restartPolicy="Never")
    done["spec"]["containers"][0].update(image="busybox", command=["true"])
    cluster.api.create(done)
    cluster.settle()
    cluster.run(5.0)
    assert _status(cluster, "done")[0] == "Succeeded"
    cluster.api.create(_pod("next", {"cpu": "1"}))
    cluster.settle()
    assert _status(cluster, "next") == ("Running", None, None)
