"""A running pod whose container image changed in place (``kubectl set image pod/...``).

Upstream v1.32: the kubelet's computePodActions (pkg/kubelet/kuberuntime/kuberuntime_manager.go)
compares the hash of each running container's spec (HashContainer, pkg/kubelet/container/helpers.go:
the name and image only) with the hash the container was created with (containerChanged). If it
differs the container is killed ("Container nginx definition changed, will be restarted") and
started again with the new image, whatever the pod's restartPolicy. A completed plain init container
is not looked at again. The crash back-off's key (getStableKey) holds the hash, so a crash-looping
container given a new image starts at once.
"""

from types import SimpleNamespace as Record

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.pod_actions import compute_pod_actions, container_changed, hash_container


def kubelet_events(cluster: Cluster, pod: str) -> list[tuple[str, str, int]]:
    """The kubelet's events about ``pod``, oldest first: (reason, message, count)."""
    return [
        (e["reason"], e["message"], e.get("count", 1))
        for e in cluster.api.list("events", namespace="default")
        if e["involvedObject"].get("name") == pod and e["source"].get("component") == "kubelet"
    ]


def running_web(policy: str) -> Cluster:
    """A 1-worker cluster running pod ``web`` (one nginx:1.25 container) with ``restartPolicy``."""
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.api.create({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
        "spec": {"restartPolicy": policy, "containers": [{"name": "nginx", "image": "nginx:1.25"}]},
    })
    cluster.settle()
    return cluster


@pytest.mark.parametrize("policy", ["Always", "OnFailure", "Never"])
def test_a_changed_image_restarts_the_container_with_the_new_image_whatever_the_restart_policy(policy):
    cluster = running_web(policy)
    result = cluster.kubectl("set image pod/web nginx=nginx:1.27")
    assert result.stdout == "pod/web image updated\n"
    cluster.run(seconds=10)

    events = kubelet_events(cluster, "web")
    killing = events.index(("Killing", "Container nginx definition changed, will be restarted", 1))
    assert events[killing + 1:] == [  # (Created and Started: the first ones, counted twice)
        ("Pulling", 'Pulling image "nginx:1.27"', 1),
        ("Pulled", 'Successfully pulled image "nginx:1.27" in 1.024s (1.024s including waiting). '
                   "Image size: 72404038 bytes.", 1),
    ]
    assert ("Created", "Created container nginx", 2) in events
    assert ("Started", "Started container nginx", 2) in events
    pod = cluster.api.get("pods", "web")
    status = pod["status"]["containerStatuses"][0]
    assert pod["status"]["phase"] == "Running"
    assert (status["image"], status["restartCount"]) == ("docker.io/library/nginx:1.27", 1)
    assert status["ready"] is True
    assert status["imageID"].startswith("docker.io/library/nginx@sha256:")
    assert "running" in status["state"]
    assert status["lastState"]["terminated"]["reason"] == "Completed"
    assert cluster.kubectl("get pod web --no-headers").stdout.split()[1:4] == ["1/1", "Running", "1"]


def test_while_a_new_image_cannot_be_pulled_the_status_shows_the_image_of_the_newest_run():
    """convertToAPIContainerStatuses: image and imageID come from the newest container the runtime
    has (the killed nginx:1.25), not from the spec's nginx:1.999, which never ran."""
    cluster = running_web("Always")
    digest = cluster.api.get("pods", "web")["status"]["containerStatuses"][0]["imageID"]
    assert cluster.kubectl("set image pod/web nginx=nginx:1.999").code == 0
    cluster.run(seconds=10)

    status = cluster.api.get("pods", "web")["status"]["containerStatuses"][0]
    assert status["state"]["waiting"]["reason"] in ("ErrImagePull", "ImagePullBackOff")
    assert (status["image"], status["imageID"]) == ("docker.io/library/nginx:1.25", digest)
    assert cluster.api.get("pods", "web")["spec"]["containers"][0]["image"] == "nginx:1.999"


def test_a_pod_update_that_leaves_the_image_alone_restarts_nothing():
    cluster = running_web("Always")
    cluster.kubectl("label pod web tier=front")
    cluster.kubectl("set image pod/web nginx=nginx:1.25")
    cluster.run(seconds=10)
    assert [(r, n) for r, _, n in kubelet_events(cluster, "web")] == [
        ("Pulling", 1), ("Pulled", 1), ("Created", 1), ("Started", 1)]
    assert cluster.api.get("pods", "web")["status"]["containerStatuses"][0]["restartCount"] == 0


def test_a_completed_init_containers_new_image_changes_nothing():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.api.create({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
        "spec": {
            "initContainers": [{"name": "setup", "image": "busybox:1.36", "command": ["true"]}],
            "containers": [{"name": "nginx", "image": "nginx:1.25"}],
        },
    })
    cluster.settle()
    before = kubelet_events(cluster, "web")
    assert cluster.kubectl("set image pod/web setup=busybox:1.37").code == 0
    cluster.run(seconds=10)

    assert kubelet_events(cluster, "web") == before
    status = cluster.api.get("pods", "web")["status"]
    assert status["initContainerStatuses"][0]["restartCount"] == 0
    assert status["containerStatuses"][0]["restartCount"] == 0


def test_a_crash_looping_container_given_a_new_image_starts_without_waiting_out_its_back_off():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl("run crashy --image=busybox:1.36 -- false")
    cluster.run(seconds=120)
    assert "CrashLoopBackOff" in cluster.kubectl("get pod crashy").stdout
    changed_at = cluster.now
    cluster.kubectl("set image pod/crashy crashy=busybox:1.37")
    cluster.run(seconds=2)

    creates = [s for s in cluster.trace if s.action == "CreateContainer" and s.time >= changed_at]
    assert len(creates) == 1 and "crashy" in creates[0].detail
    assert cluster.api.get("pods", "crashy")["status"]["containerStatuses"][0]["restartCount"] == 5


RUNNING = Record(state="CONTAINER_RUNNING", id="n1", name="nginx", image="nginx:1.25")
CHANGED = "Container nginx definition changed, will be restarted"
LIVENESS = "Container nginx failed liveness probe"


@pytest.mark.parametrize(
    "image, probe, policy, kill, start",
    [
        pytest.param("nginx:1.25", "", "Always", [], [], id="a running container with its own image is kept"),
        pytest.param("nginx:1.27", "", "Always", [(CHANGED, "")], [0],
                     id="a running container whose image changed is killed and started again"),
        pytest.param("nginx:1.27", "", "Never", [(CHANGED, "")], [0],
                     id="a changed container is started again even when restartPolicy is Never"),
        pytest.param("nginx:1.25", "liveness", "Never", [(LIVENESS, "liveness")], [],
                     id="a failed liveness probe under Never kills without restarting"),
        pytest.param("nginx:1.27", "liveness", "Always", [(CHANGED, "")], [0],
                     id="a definition change is the reason given before a failed probe"),
    ],
)
def test_compute_pod_actions_for_a_running_container(image, probe, policy, kill, start):
    pod = {"spec": {"restartPolicy": policy, "containers": [{"name": "nginx", "image": image}]}}
    actions = compute_pod_actions(pod, {"nginx": RUNNING}.get, {"n1": probe}.get)
    assert [(k.message, k.reason) for k in actions.containers_to_kill] == kill
    assert actions.containers_to_start == start


@pytest.mark.parametrize(
    "spec, changed",
    [
        pytest.param({"name": "nginx", "image": "nginx:1.25"}, False,
                     id="the same name and image is no change"),
        pytest.param({"name": "nginx", "image": "nginx:1.25", "command": ["sh"], "env": [{"name": "A"}]},
                     False, id="fields other than the name and image are not hashed"),
        pytest.param({"name": "nginx", "image": "nginx:1.27"}, True, id="a new tag is a change"),
        pytest.param({"name": "nginx", "image": "docker.io/library/nginx:1.25"}, True,
                     id="the image is compared as written, not as resolved"),
    ],
)
def test_container_changed_compares_the_hash_of_the_name_and_image(spec, changed):
    assert container_changed(spec, RUNNING) is changed
    created_from = {"name": "nginx", "image": "nginx:1.25"}
    assert (hash_container(spec) != hash_container(created_from)) is changed
