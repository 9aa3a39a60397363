"""What ``kubectl get pods -w`` shows while the containers of a pod with several start, one of them
failing: as a v1.32 kubelet, which starts them all in one sync (kuberuntime_manager.go SyncPod, a
failure of one does not stop the others) and writes the status that shows them only at the next
sync, never one container at a time."""

import pytest

from k8slearn import Cluster

CONFIG_ERROR = ("CreateContainerConfigError", 'configmap "missing" not found')


def container(name, image):
    """A container of the test pod: busybox sleeps, the others run their image's program; an
    image of ``missing-config`` runs nginx with a variable from a ConfigMap that does not exist."""
    spec = {"name": name, "image": "nginx:1.27" if image == "missing-config" else image}
    if image.startswith("busybox"):
        spec["command"] = ["sleep", "3600"]
    if image == "missing-config":
        spec["env"] = [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "missing", "key": "k"}}}]
    return spec


def watched(images, seconds=40):
    """(READY, STATUS, AGE) of every line ``get pods -w`` prints for a pod of these containers
    (named c0, c1, ... in the spec's order), followed for ``seconds``; and the pod at the end."""
    c = Cluster(workers=3, seed=0)
    c.settle()
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "multi", "namespace": "default"},
                  "spec": {"containers": [container(f"c{i}", image) for i, image in enumerate(images)]}})
    lines = c.kubectl(f"get pods -w --request-timeout={seconds}s").stdout.splitlines()[1:]
    rows = [line.split() for line in lines]  # NAME READY STATUS RESTARTS AGE
    return [(ready, status, age) for _, ready, status, _, age in rows], c.api.get("pods", "multi")


# created, bound, the kubelet's first sync (before it starts anything)
PENDING_AND_CREATING = [("0/3", "Pending", "0s"), ("0/3", "Pending", "0s"),
                        ("0/3", "ContainerCreating", "0s")]
PULL_FAILS_WHILE_TWO_RUN = PENDING_AND_CREATING + [
    ("2/3", "ErrImagePull", "2s"), ("2/3", "ImagePullBackOff", "12s"), ("2/3", "ErrImagePull", "27s")]


@pytest.mark.parametrize("images, lines", [
    (["nginx:1.27", "busybox:1.36", "nginx:doesnotexist"], PULL_FAILS_WHILE_TWO_RUN),
    (["nginx:doesnotexist", "nginx:1.27", "busybox:1.36"], PULL_FAILS_WHILE_TWO_RUN),
    (["nginx:1.27", "nginx:doesnotexist", "busybox:1.36"], PULL_FAILS_WHILE_TWO_RUN),
    (["nginx:doesnotexist", "busybox:1.36", "example.com/nope/app:1"], PENDING_AND_CREATING + [
        ("1/3", "ErrImagePull", "1s"), ("1/3", "ImagePullBackOff", "14s"), ("1/3", "ErrImagePull", "27s")]),
    (["nginx:1.27", "busybox:1.36", "redis:7"], PENDING_AND_CREATING + [("3/3", "Running", "3s")]),
    (["missing-config", "busybox:1.36", "redis:7"], PENDING_AND_CREATING + [
        ("2/3", "CreateContainerConfigError", "3s")]),
], ids=[
    "the last container's image missing: from 0/3 ContainerCreating straight to 2/3 ErrImagePull",
    "the first container's image missing: the two after it are still started in the same sync",
    "the middle container's image missing: the same lines as when the last one's is",
    "two images missing: 1/3 and the pull error, never a line per started container",
    "three images that exist: from 0/3 ContainerCreating straight to 3/3 Running",
    "a missing ConfigMap: the error shows with the other containers running, not before they start",
])
def test_get_pods_w_shows_the_pods_status_once_per_sync_not_once_per_started_container(images, lines):
    seen, _ = watched(images)
    assert seen == lines


@pytest.mark.parametrize("images, waiting", [
    (["nginx:1.27", "busybox:1.36", "nginx:doesnotexist"], {"c2": "ImagePullBackOff"}),
    (["nginx:doesnotexist", "busybox:1.36", "example.com/nope/app:1"], {"c0": "ImagePullBackOff",
                                                                        "c2": "ImagePullBackOff"}),
    (["missing-config", "busybox:1.36", "redis:7"], {"c0": CONFIG_ERROR[0]}),
], ids=[
    "the container whose image is missing waits in back-off while the others run",
    "both containers whose image is missing wait in back-off",
    "the container whose ConfigMap is missing waits with the kubelet's error while the others run",
])
def test_only_the_failing_containers_wait_and_the_others_run(images, waiting):
    _, pod = watched(images, seconds=15)
    states = {s["name"]: s["state"] for s in pod["status"]["containerStatuses"]}
    reasons = {name: state["waiting"]["reason"] for name, state in states.items() if "waiting" in state}
    assert reasons == waiting
    assert all("running" in state for name, state in states.items() if name not in waiting)
    if CONFIG_ERROR[0] in waiting.values():
        assert states["c0"]["waiting"]["message"] == CONFIG_ERROR[1]
