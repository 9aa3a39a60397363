"""kubectl scale's flag validation and describe deployment's ReplicaSet lines, on a real Cluster.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go (ScaleOptions.Validate),
staging/src/k8s.io/kubectl/pkg/describe/describe.go (describeDeployment) and
staging/src/k8s.io/kubectl/pkg/util/deployment/deployment.go (GetAllReplicaSets).
"""

import pytest

from k8slearn import Cluster


REFUSED_RS = """apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 0
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: nope
      containers:
      - name: nginx
        image: nginx:1.27
"""


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx:1.25 --replicas=2")
    c.settle()
    return c


@pytest.mark.parametrize("args, stderr", [
    ("scale deploy web --replicas=-1",
     "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"),
    ("scale deploy web --replicas=3 --current-replicas=-2",
     "error: The --current-replicas must specify an integer of -1 or greater\n"),
    ("scale --replicas=3 --current-replicas=-5",
     "error: The --current-replicas must specify an integer of -1 or greater\n"),
    ("scale deploy web --replicas=3 --current-replicas=5",
     "error: Expected replicas to be 5, was 2\n"),
], ids=["a negative replica count is refused before anything is read",
        "a current-replicas precondition below -1 is refused",
        "the current-replicas check comes before the missing resource",
        "a current-replicas precondition that does not hold names both counts"])
def test_scale_refuses_bad_counts_and_changes_nothing(cluster, args, stderr):
    revision = cluster.etcd.revision
    result = cluster.kubectl(args)
    assert (result.stdout, result.stderr, result.code) == ("", stderr, 1)
    assert cluster.etcd.revision == revision


def test_describe_deployment_lists_old_replica_sets_oldest_first_not_by_name():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx:1.25 --replicas=2")
    c.settle()
    for version in ("1.26", "1.27", "1.28"):
        c.run(seconds=5)
        c.kubectl(f"set image deployment/web nginx=nginx:{version}")
        c.settle()
    by_age = [rs["metadata"]["name"] for rs in sorted(
        c.api.list("replicasets", namespace="default"),
        key=lambda rs: int(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]))]
    assert by_age != sorted(by_age)  # (the case only tells something if the two orders differ)
    *old, new = by_age
    described = c.kubectl("describe deployment web").stdout
    assert ("OldReplicaSets:  " + ", ".join(f"{name} (0/0 replicas created)" for name in old) + "\n"
            f"NewReplicaSet:   {new} (2/2 replicas created)\n") in described


def test_scale_with_a_timeout_returns_once_the_new_pods_exist():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx:1.27 --replicas=1")
    c.settle()
    result = c.kubectl("scale deployment web --replicas=3 --timeout=30s")
    assert (result.stdout, result.stderr, result.code) == ("deployment.apps/web scaled\n", "", 0)
    assert c.api.get("deployments", "web")["status"]["replicas"] == 3


def test_scale_with_a_timeout_gives_up_when_the_api_server_refuses_the_pods():
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=REFUSED_RS)
    c.settle()
    started = c.now
    result = c.kubectl("scale rs web --replicas=2 --timeout=10s")
    assert (result.stdout, result.stderr, result.code) == \
        ("", 'error: timed out waiting for "web" to be synced\n', 1)
    assert 10 <= c.now - started <= 11
    assert c.api.get("replicasets", "web")["spec"]["replicas"] == 2
