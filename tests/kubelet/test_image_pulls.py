"""Image pulls as a student sees them: the events, the STATUS column and the waiting messages of a
container whose image cannot be pulled, through the kubelet's image back-off."""

import pytest

from k8slearn import Cluster

NOT_FOUND = ('rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:nope": '
             'failed to resolve reference "docker.io/library/nginx:nope": docker.io/library/nginx:nope: not found')
ACCESS_DENIED = ('failed to pull and unpack image "docker.io/library/nginxx:latest": failed to resolve reference '
                 '"docker.io/library/nginxx:latest": pull access denied, repository does not exist or may require '
                 'authorization: server message: insufficient_scope: authorization failed')


def pod_events(cluster, name):
    """(type, reason, message, count) of the pod's events, oldest first."""
    events = [e for e in cluster.api.list("events", namespace="default") if e["involvedObject"]["name"] == name]
    return [(e["type"], e["reason"], e["message"], e.get("count")) for e in events]


def waiting(cluster, name):
    return cluster.api.get("pods", name)["status"]["containerStatuses"][0]["state"].get("waiting")


@pytest.mark.parametrize(
    "image, error",
    [
        pytest.param("nginx:nope", NOT_FOUND, id="a tag the registry does not have is containerd's NotFound"),
        pytest.param("nginxx", ACCESS_DENIED,
                     id="a Docker Hub repository that does not exist is pull access denied, without its Unknown code"),
    ],
)
def test_a_failed_pull_shows_containerds_error_in_the_event_and_the_waiting_message(image, error):
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl(f"run bad --image={image}")
    cluster.run(5)
    assert ("Warning", "Failed", f'Failed to pull image "{image}": {error}', 1) in pod_events(cluster, "bad")
    assert waiting(cluster, "bad") == {"reason": "ErrImagePull", "message": error}


def test_the_first_back_off_comes_with_the_first_failure_from_the_sync_the_new_sandbox_starts():
    # Upstream v1.32: the sync that created the sandbox pulls and fails (backOff.Next: 10 s); PLEG
    # has seen the new sandbox, so the pod syncs again at once and finds the image in back-off
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl("run bad --image=nginx:nope")
    cluster.run(5)
    kubelet_events = [event[:3] for event in pod_events(cluster, "bad") if event[1] != "Scheduled"]
    assert kubelet_events == [
        ("Normal", "Pulling", 'Pulling image "nginx:nope"'),
        ("Warning", "Failed", f'Failed to pull image "nginx:nope": {NOT_FOUND}'),
        ("Warning", "Failed", "Error: ErrImagePull"),
        ("Normal", "BackOff", 'Back-off pulling image "nginx:nope"'),
        ("Warning", "Failed", "Error: ImagePullBackOff"),
    ]
    # ... and the status that sync wrote first thing shows the failure; the back-off shows next time
    assert waiting(cluster, "bad")["reason"] == "ErrImagePull"
    cluster.run(15)
    assert waiting(cluster, "bad") == {"reason": "ImagePullBackOff", "message": 'Back-off pulling image "nginx:nope"'}


def test_a_restarted_kubelet_pulls_again_at_once_because_its_image_back_off_is_new():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl("run bad --image=nginx:nope")
    cluster.run(95)  # the fourth failed pull (about 80 s in) has put the image in an 80 s back-off
    cluster.stop_node("node-1")
    cluster.run(5)
    restarted = cluster.now
    cluster.start_node("node-1")
    cluster.run(5)
    pulls = [s.time for s in cluster.trace if s.action == "PullImage" and s.object == "pod/default/bad"]
    assert any(restarted < time < restarted + 5 for time in pulls)


def test_an_init_container_whose_image_cannot_be_pulled_goes_from_init_0_1_straight_to_init_err_image_pull():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  initContainers:
  - {name: init, image: "busybox:nope", command: [sh, -c, "true"]}
  containers:
  - {name: app, image: "nginx:1.27"}
""")
    watch = cluster.kubectl("get pods -w --request-timeout=20s").stdout
    assert [line.split()[2] for line in watch.splitlines()[1:]] == [
        "Pending", "Pending", "Init:0/1", "Init:ErrImagePull", "Init:ImagePullBackOff"]


@pytest.mark.parametrize(
    "image, error",
    [
        pytest.param("NGINX", "invalid reference format: repository name (library/NGINX) must be lowercase",
                     id="an uppercase repository name must be lowercase"),
        pytest.param("nginx@sha256:abc", "invalid reference format", id="a digest too short to be one is no reference"),
        pytest.param("nginx@sha256:" + "a" * 40, "invalid checksum digest length",
                     id="a sha256 digest must have 64 hex digits"),
    ],
)
def test_an_image_name_the_kubelet_cannot_parse_waits_as_invalid_image_name(image, error):
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl(f"run bad --image={image}")
    cluster.run(5)
    message = f'Failed to apply default image tag "{image}": couldn\'t parse image name "{image}": {error}'
    assert waiting(cluster, "bad") == {"reason": "InvalidImageName", "message": message}
    assert ("Warning", "InspectFailed", message, 2) in pod_events(cluster, "bad")
