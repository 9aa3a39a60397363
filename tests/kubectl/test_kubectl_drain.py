"""kubectl drain in a running simulated cluster: cordon, the pod filters, eviction, waiting.

The exact texts of the dry-run paths are checked against the real kubectl in test_kubectl_golden.py;
here the evictions really happen and the pods' controllers replace them elsewhere.
"""

import pytest

from k8slearn import Cluster

DAEMONSET = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logs, namespace: kube-system}
spec:
  selector: {matchLabels: {app: logs}}
  template:
    metadata: {labels: {app: logs}}
    spec:
      tolerations: [{operator: Exists}]
      containers: [{name: agent, image: busybox, command: [sleep, "3600"]}]
"""
SCRATCH = """
apiVersion: v1
kind: Pod
metadata: {name: scratch}
spec:
  nodeName: node-1
  containers: [{name: app, image: nginx}]
  volumes: [{name: tmp, emptyDir: {}}]
"""


def _names(c, node):
    return sorted(p["metadata"]["name"] for p in c.api.list("pods", None, field_selector=f"spec.nodeName={node}"))


@pytest.fixture
def cluster():
    """Two workers: a 2-replica Deployment spread over both, a DaemonSet, a bare pod on node-1."""
    c = Cluster(workers=2, seed=1)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.kubectl("apply -f -", stdin=DAEMONSET)
    c.kubectl("""run bare --image=nginx --overrides='{"spec":{"nodeName":"node-1"}}'""")
    c.settle()
    return c


def test_drain_evicts_and_the_replacement_runs_on_another_node(cluster):
    web_on_node_1 = [n for n in _names(cluster, "node-1") if n.startswith("web-")]
    result = cluster.kubectl("drain node-1 --ignore-daemonsets --force")
    assert result.code == 0
    assert result.stdout.splitlines() == (
        ["node/node-1 cordoned", "evicting pod default/bare"]
        + [f"evicting pod default/{n}" for n in web_on_node_1]
        + ["pod/bare evicted"] + [f"pod/{n} evicted" for n in web_on_node_1] + ["node/node-1 drained"])
    logs = [n for n in _names(cluster, "node-1") if n.startswith("logs-")]
    assert result.stderr == ("Warning: deleting Pods that declare no controller: default/bare; "
                             f"ignoring DaemonSet-managed Pods: kube-system/{logs[0]}\n")
    cluster.settle()
    assert [n.split("-")[0] for n in _names(cluster, "node-1")] == ["logs"]  # only the daemon pod stays
    web = [p for p in cluster.api.list("pods", "default") if p["metadata"]["name"].startswith("web-")]
    assert sorted(p["spec"]["nodeName"] for p in web) == ["node-2", "node-2"]
    assert all(p["status"]["phase"] == "Running" for p in web)
    assert cluster.api.get("nodes", "node-1", None)["spec"]["unschedulable"] is True


@pytest.mark.parametrize("flags, message", [
    ("--force", "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/{logs}"),
    ("--ignore-daemonsets",
     "cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare"),
], ids=["a DaemonSet pod stops the drain without --ignore-daemonsets",
        "a pod that no controller would replace stops the drain without --force"])
def test_a_refused_drain_cordons_but_evicts_nothing(cluster, flags, message):
    before = _names(cluster, "node-1")
    logs = next(n for n in before if n.startswith("logs-"))
    result = cluster.kubectl(f"drain node-1 {flags}")
    text = message.format(logs=logs)
    assert (result.stdout, result.code) == ("node/node-1 cordoned\n", 1)
    assert result.stderr == (f'error: unable to drain node "node-1" due to error: {text}, continuing command...\n'
                             "There are pending nodes to be drained:\n node-1\n" + text + "\n")
    cluster.settle()
    assert _names(cluster, "node-1") == before


def test_a_pod_with_empty_dir_data_needs_delete_emptydir_data():
    c = Cluster(workers=2, seed=1)
    c.kubectl("apply -f -", stdin=SCRATCH)
    c.settle()
    refused = c.kubectl("drain node-1 --force")
    assert "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch" \
        in refused.stderr
    allowed = c.kubectl("drain node-1 --force --delete-emptydir-data")
    assert allowed.stdout.splitlines()[-2:] == ["pod/scratch evicted", "node/node-1 drained"]
    assert allowed.stderr == "Warning: deleting Pods that declare no controller: default/scratch\n"


def test_static_pods_are_skipped_as_mirror_pods():
    c = Cluster(workers=1, seed=1)
    c.settle()
    assert _names(c, "control-plane")  # etcd, kube-apiserver, ... run as static pods there
    result = c.kubectl("drain control-plane")
    assert (result.stdout, result.stderr, result.code) == (
        "node/control-plane cordoned\nnode/control-plane drained\n", "", 0)


def test_disable_eviction_deletes_and_says_deleted(cluster):
    web = next(n for n in _names(cluster, "node-2") if n.startswith("web-"))
    result = cluster.kubectl("drain node-2 --ignore-daemonsets --disable-eviction --grace-period=3")
    assert result.stdout == f"node/node-2 cordoned\npod/{web} deleted\nnode/node-2 drained\n"
    assert not any(s.action == "evict" for s in cluster.trace)


def test_a_server_dry_run_evicts_nothing(cluster):
    before, revision = _names(cluster, "node-1"), cluster.etcd.revision
    result = cluster.kubectl("drain node-1 --ignore-daemonsets --force --dry-run=server")
    assert result.stdout.splitlines()[0] == "node/node-1 cordoned (server dry run)"
    assert result.stdout.splitlines()[-1] == "node/node-1 drained (server dry run)"
    assert "evicting pod default/bare (server dry run)" in result.stdout.splitlines()
    assert (_names(cluster, "node-1"), cluster.etcd.revision) == (before, revision)


def test_a_pod_selector_limits_what_is_evicted(cluster):
    result = cluster.kubectl("drain node-1 --pod-selector=run=bare --force")
    assert result.stdout == "node/node-1 cordoned\nevicting pod default/bare\npod/bare evicted\nnode/node-1 drained\n"
    assert result.stderr == "Warning: deleting Pods that declare no controller: default/bare\n"


def test_pods_on_a_stopped_node_never_finish_so_the_timeout_ends_the_wait(cluster):
    cluster.stop_node("node-1")
    cluster.run(5)
    start = cluster.now
    result = cluster.kubectl("drain node-1 --ignore-daemonsets --force --timeout=20s")
    assert result.code == 1
    # v1.32's waitForDelete polls with wait.PollUntilContextTimeout: the context's own error
    assert 'to terminate: context deadline exceeded' in result.stderr
    assert "There are pending pods in node \"node-1\" when an error occurred" in result.stderr
    assert 19 <= cluster.now - start <= 21


def test_a_delete_that_never_finishes_ends_with_the_plain_context_deadline_error():
    # what kubectl 1.32 prints for the same drain (kubectl 1.31: "timed out waiting for the condition")
    c = Cluster(workers=2, seed=0)
    c.api.create({"apiVersion": "v1", "kind": "Pod",
                  "metadata": {"name": "stuck", "namespace": "default", "finalizers": ["example.com/hold"]},
                  "spec": {"nodeName": "node-1", "containers": [{"name": "app", "image": "nginx"}]}})
    c.settle()
    result = c.kubectl("drain node-1 --disable-eviction --force --ignore-daemonsets --timeout=3s")
    assert (result.stdout, result.code) == ("node/node-1 cordoned\n", 1)
    assert result.stderr == (
        "Warning: deleting Pods that declare no controller: default/stuck\n"
        'There are pending pods in node "node-1" when an error occurred: context deadline exceeded\n'
        "pod/stuck\n"
        'error: unable to drain node "node-1" due to error: context deadline exceeded, continuing command...\n'
        "There are pending nodes to be drained:\n node-1\n"
        "error: context deadline exceeded\n")


def test_skip_wait_for_delete_timeout_gives_up_on_pods_deleted_long_ago(cluster):
    cluster.stop_node("node-1")
    cluster.run(5)
    result = cluster.kubectl("drain node-1 --pod-selector=run=bare --force --skip-wait-for-delete-timeout=10")
    assert result.stdout.splitlines()[-2:] == [
        'pod "bare" has DeletionTimestamp older than 10 seconds, skipping', "node/node-1 drained"]


def _two_nodes_with_a_budget(budget_flag):
    c = Cluster(workers=2, seed=1)
    c.kubectl("create deployment web --image=nginx --replicas=4")  # two pods on each node
    c.kubectl(f"create pdb web --selector=app=web {budget_flag}")
    c.settle()
    return c


def test_a_disruption_budget_makes_drain_wait_for_the_replacement():
    c = _two_nodes_with_a_budget("--min-available=3")
    first, second = _names(c, "node-1")
    start = c.now
    result = c.kubectl("drain node-1")
    assert result.stdout.splitlines() == [
        "node/node-1 cordoned", f"evicting pod default/{first}", f"evicting pod default/{second}",
        f"pod/{first} evicted", f"evicting pod default/{second}", f"pod/{second} evicted", "node/node-1 drained"]
    assert result.stderr == (f'error when evicting pods/"{second}" -n "default" (will retry after 5s): '
                             "Cannot evict pod as it would violate the pod's disruption budget.\n")
    assert c.now - start == pytest.approx(6)  # the retry 5 s later, then the second pod's graceful stop
    c.settle()  # (the second replacement, created a second ago, is still starting)
    assert all(p["status"]["phase"] == "Running" for p in c.api.list("pods", "default"))


def test_a_budget_that_allows_no_disruption_makes_drain_time_out():
    c = _two_nodes_with_a_budget("--max-unavailable=0")
    result = c.kubectl("drain node-1 --timeout=12s")
    assert result.code == 1
    assert result.stderr.count("(will retry after 5s): Cannot evict pod") == 6  # two pods at 0, 5 and 10 s
    assert result.stderr.endswith('": global timeout reached: 12s\n')
    assert len(_names(c, "node-1")) == 2


def test_a_retry_due_after_the_timeout_says_evicting_once_more_then_gives_up():
    c = _two_nodes_with_a_budget("--max-unavailable=0")
    first, second = _names(c, "node-1")
    start = c.now
    result = c.kubectl("drain node-1 --timeout=12s")
    # evictPods prints "evicting pod" before it looks at the deadline: tries at 0, 5 and 10 s, then
    # the wake-up at 15 s prints the line a fourth time and reports the timeout
    assert result.stdout.splitlines() == ["node/node-1 cordoned"] + [
        f"evicting pod default/{name}" for _ in range(4) for name in (first, second)]
    assert c.now - start == 15
    timeouts = [f'error when evicting pods/"{name}" -n "default": global timeout reached: 12s' for name in (first, second)]
    assert result.stderr.endswith("There are pending nodes to be drained:\n node-1\n" + "\n".join(timeouts) + "\n")
