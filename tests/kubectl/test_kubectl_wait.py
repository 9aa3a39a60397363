"""kubectl wait in a running simulated cluster: the clock moves until the condition holds.

The texts are checked against the real kubectl in test_kubectl_golden.py (conditions that hold
already, timeouts); here the waits really wait.
"""

import pytest

from k8slearn import Cluster


@pytest.fixture
def cluster():
    c = Cluster(workers=2, seed=1)
    c.settle()
    return c


def test_waiting_for_ready_pods_runs_the_clock_until_they_are():
    c = Cluster(workers=2, seed=1)
    c.settle()
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.run(0.5)  # the pods exist, none is Ready yet
    start = c.now
    result = c.kubectl("wait --for=condition=Ready pod -l app=web --timeout=60s")
    names = sorted(p["metadata"]["name"] for p in c.api.list("pods", "default"))
    assert (result.stdout, result.stderr, result.code) == (
        "".join(f"pod/{n} condition met\n" for n in names), "", 0)
    assert all(any(x["type"] == "Ready" and x["status"] == "True" for x in p["status"]["conditions"])
               for p in c.api.list("pods", "default"))
    assert 0 < c.now - start < 5  # the image pull and the start took a few simulated seconds


def test_waiting_for_a_deployment_to_be_available(cluster):
    cluster.kubectl("create deployment web --image=nginx --replicas=3")
    result = cluster.kubectl("wait --for=condition=Available deployment/web")
    assert result.stdout == "deployment.apps/web condition met\n"


def test_waiting_for_a_deleted_pod_to_go(cluster):
    cluster.kubectl("run web --image=nginx")
    cluster.settle()
    cluster.kubectl("delete pod web --wait=false")
    result = cluster.kubectl("wait --for=delete pod/web --timeout=60s")
    assert result.stdout == "pod/web condition met\n"
    assert not cluster.api.list("pods", "default")


def test_waiting_for_a_jsonpath_value(cluster):
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    result = cluster.kubectl("wait --for=jsonpath={.status.readyReplicas}=2 deployment/web")
    assert result.stdout == "deployment.apps/web condition met\n"
    assert cluster.api.get("deployments", "web")["status"]["readyReplicas"] == 2


def test_waiting_for_creation(cluster):
    cluster.loop.call_later(3.0, lambda: cluster.api.create(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "late", "namespace": "default"}}))
    start = cluster.now
    assert cluster.kubectl("wait --for=create configmap/late --timeout=10s").stdout == "configmap/late condition met\n"
    assert 3 <= cluster.now - start < 4


@pytest.mark.parametrize("command, message, seconds", [
    ("wait --for=condition=Ready pod/crash --timeout=5s", "error: timed out waiting for the condition on pods/crash\n", 5),
    ("wait --for=condition=Ready pod/crash --timeout=0", "error: condition not met for pods/crash\n", 0),
    ("wait --for=delete pod/crash --timeout=3s", "error: timed out waiting for the condition on pods/crash\n", 3),
], ids=["a condition that never comes times out after the simulated timeout",
        "a zero timeout checks once and does not wait",
        "a pod that is never deleted times out"])
def test_timeouts_spend_simulated_time(cluster, command, message, seconds):
    cluster.kubectl("run crash --image=busybox -- sh -c 'exit 1'")
    cluster.run(5)
    start = cluster.now
    result = cluster.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == ("", message, 1)
    assert cluster.now - start == pytest.approx(seconds)


def test_wait_on_an_object_unchanged_since_before_a_compaction_waits_rather_than_failing_with_410():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create job slow --image=busybox -- sleep 1800")
    c.settle()
    c.run(700)  # the API server compacts etcd every 5 minutes: the job's own revision is gone
    early = c.kubectl("wait --for=condition=complete job/slow --timeout=5m")
    assert (early.stderr, early.code) == ("error: timed out waiting for the condition on jobs/slow\n", 1)
    done = c.kubectl("wait --for=condition=complete job/slow --timeout=20m")
    assert (done.stdout, done.code) == ("job.batch/slow condition met\n", 0)
    gone = c.kubectl("wait --for=delete job/slow --timeout=5s")
    assert (gone.stderr, gone.code) == ("error: timed out waiting for the condition on jobs/slow\n", 1)


def test_rollout_status_of_a_stuck_rollout_waits_for_the_progress_deadline_and_fails():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment nginx-deployment --image=nginx:1.14.2 --replicas=3")
    c.settle()
    c.kubectl("set image deployment/nginx-deployment nginx=nginx:1.161")  # the Deployments page's typo
    start = c.now
    result = c.kubectl("rollout status deployment/nginx-deployment")
    assert result.stdout.endswith(
        'Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas have been updated...\n')
    assert (result.stderr, result.code) == (
        'error: deployment "nginx-deployment" exceeded its progress deadline\n', 1)
    assert 600 <= c.now - start < 620  # progressDeadlineSeconds, then the controller's next sync


SLOW_POD = """
apiVersion: v1
kind: Pod
metadata: {name: slow}
spec:
  terminationGracePeriodSeconds: 90
  containers:
  - {name: c, image: busybox, command: ["sh", "-c", "sleep 3600"]}
"""


def test_deleting_a_namespace_waits_for_its_pods_grace_period(cluster):
    # kubectl delete waits (up to a week upstream) until the namespace is gone: here the namespace
    # controller's 5 s, then the 90 s its pod's shell needs, as it ignores SIGTERM
    cluster.kubectl("create namespace demo")
    cluster.kubectl("apply -n demo -f -", stdin=SLOW_POD)
    cluster.settle()
    start = cluster.now
    result = cluster.kubectl("delete namespace demo")
    assert (result.stdout, result.stderr, result.code) == ('namespace "demo" deleted\n', "", 0)
    assert 95 <= cluster.now - start <= 110
    assert "demo" not in [ns["metadata"]["name"] for ns in cluster.api.list("namespaces")]
