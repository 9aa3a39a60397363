"""kubectl logs TYPE/NAME: the pod kubectl picks, and what it does while there is none yet."""

import pytest

from k8slearn import Cluster
from k8slearn.kubectl.logs_for_object import by_logging


def pod(name, node="node-1", phase="Running", ready_at=None, restarts=0, created="2026-01-05T09:00:00Z"):
    conditions = [{"type": "Ready", "status": "True", "lastTransitionTime": ready_at}] if ready_at else []
    return {"metadata": {"name": name, "creationTimestamp": created}, "spec": {"nodeName": node} if node else {},
            "status": {"phase": phase, "conditions": conditions,
                       "containerStatuses": [{"name": "app", "restartCount": restarts}]}}


@pytest.mark.parametrize("pods, first", [
    ([pod("a", node=""), pod("b")], "b"),
    ([pod("a", phase="Pending"), pod("b", phase="Unknown")], "b"),
    ([pod("a", phase="Pending"), pod("b", phase="Succeeded")], "b"),
    ([pod("a"), pod("b", ready_at="2026-01-05T09:05:00Z")], "b"),
    ([pod("a", ready_at="2026-01-05T09:05:00Z"), pod("b", ready_at="2026-01-05T09:01:00Z")], "b"),
    ([pod("a"), pod("b", restarts=3)], "b"),
    ([pod("a", created="2026-01-05T09:02:00Z"), pod("b", created="2026-01-05T09:01:00Z")], "b"),
    ([pod("a"), pod("b")], "a"),
], ids=[
    "a pod on a node comes before one still unscheduled",
    "Unknown comes before Pending",
    "a finished pod counts as Running, so before Pending",
    "a Ready pod comes before one that is not",
    "of two Ready pods, the one Ready for longer",
    "more container restarts come first",
    "then the older pod",
    "pods that tie keep their order (name order from the API server)",
])
def test_the_logging_order(pods, first):
    assert min(pods, key=by_logging)["metadata"]["name"] == first


@pytest.fixture
def cluster():
    c = Cluster(workers=2, seed=4)
    c.kubectl("create deployment web --image=nginx --replicas=3")
    c.settle()
    return c


def test_a_deployment_shows_one_pods_log_and_says_which(cluster):
    result = cluster.kubectl("logs deployment/web --tail=1")
    chosen = min(cluster.api.list("pods", "default"), key=by_logging)["metadata"]["name"]
    assert result.stderr == f"Found 3 pods, using pod/{chosen}\n"
    assert result.stdout == "/docker-entrypoint.sh: Configuration complete; ready for start up\n"


def test_with_no_pod_yet_kubectl_waits_on_the_clock_and_then_gives_up(cluster):
    cluster.kubectl("create deployment idle --image=nginx --replicas=0")
    start = cluster.now
    result = cluster.kubectl("logs deploy/idle --pod-running-timeout=3s")
    assert (result.stderr, result.code) == ("error: timed out waiting for the condition\n", 1)
    assert 3.0 <= cluster.now - start < 3.2


def test_a_pod_that_appears_while_kubectl_waits_is_the_one_asked(cluster):
    cluster.kubectl("create deployment late --image=nginx")
    result = cluster.kubectl("logs deploy/late")
    name = cluster.api.list("pods", "default", label_selector="app=late")[0]["metadata"]["name"]
    assert result.stderr == (f'Error from server (BadRequest): container "nginx" in pod "{name}" is waiting to '
                             "start: ContainerCreating\n")
