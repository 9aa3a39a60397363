"""A running sidecar whose image changed in place (``kubectl set image pod/web proxy=nginx:1.27``).

Upstream v1.32 (kubernetes PR #126525, "Restart sidecar container when the image has changed"):
computeInitContainerActions (pkg/kubelet/kuberuntime/kuberuntime_container.go) kills a running,
started restartable init container whose hash no longer matches its spec (containerChanged) with the
message "Init container proxy definition changed" (no ", will be restarted", unlike a regular
container) and starts it again, whatever the pod's restartPolicy. A sidecar whose startup probe has
not passed yet is not looked at; a plain init container's new image changes nothing
(tests/kubelet/test_definition_changed.py).
"""

from types import SimpleNamespace as Record

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.init_containers import compute_init_container_actions
from k8slearn.kubelet.pod_actions import compute_pod_actions, container_changed
from k8slearn.kubelet.probe import FAILURE, SUCCESS, UNKNOWN

PROXY = {"name": "proxy", "image": "nginx:1.25", "restartPolicy": "Always"}
APP = {"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 3600"]}
CHANGED = "Init container proxy definition changed"


def running_web(policy: str) -> Cluster:
    """A 1-worker cluster running pod ``web``: sidecar ``proxy`` (nginx:1.25) and ``app``."""
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                        "spec": {"restartPolicy": policy, "initContainers": [PROXY], "containers": [APP]}})
    cluster.settle()
    return cluster


def kubelet_events(cluster: Cluster) -> list[tuple[str, str, str]]:
    """The kubelet's events about pod ``web``, oldest first: (reason, message, fieldPath)."""
    return [(e["reason"], e["message"], e["involvedObject"].get("fieldPath", ""))
            for e in cluster.api.list("events", namespace="default")
            if e["involvedObject"].get("name") == "web" and e["source"].get("component") == "kubelet"]


@pytest.mark.parametrize("policy", ["Always", "Never"])
def test_a_sidecar_given_a_new_image_is_killed_and_started_again_with_it_whatever_the_restart_policy(policy):
    cluster = running_web(policy)
    assert cluster.kubectl("set image pod/web proxy=nginx:1.27").stdout == "pod/web image updated\n"
    cluster.run(seconds=20)

    events = kubelet_events(cluster)
    killing = events.index(("Killing", CHANGED, "spec.initContainers{proxy}"))
    assert [reason for reason, _, _ in events[killing + 1:]] == ["Pulling", "Pulled"]
    assert events[killing + 1][1] == 'Pulling image "nginx:1.27"'
    status = cluster.api.get("pods", "web")["status"]
    proxy, app = status["initContainerStatuses"][0], status["containerStatuses"][0]
    assert (proxy["image"], proxy["restartCount"], "running" in proxy["state"]) == (
        "docker.io/library/nginx:1.27", 1, True)
    assert (proxy["started"], proxy["ready"]) == (True, True)
    assert "terminated" in proxy["lastState"]
    assert (app["restartCount"], "running" in app["state"]) == (0, True)  # the app is not touched
    assert cluster.kubectl("get pod web --no-headers").stdout.split()[1:4] == ["2/2", "Running", "1"]


def test_a_sidecar_update_that_leaves_the_image_alone_restarts_nothing():
    cluster = running_web("Always")
    before = kubelet_events(cluster)
    cluster.kubectl("set image pod/web proxy=nginx:1.25")
    cluster.kubectl("label pod web tier=front")
    cluster.run(seconds=20)
    assert kubelet_events(cluster) == before
    assert cluster.api.get("pods", "web")["status"]["initContainerStatuses"][0]["restartCount"] == 0


def rec(state: str, name: str = "proxy", image: str = "nginx:1.25") -> Record:
    return Record(state=f"CONTAINER_{state}", exit_code=0, id=f"{name}-id", name=name, image=image)


PROBED = {**PROXY, "image": "nginx:1.27", "startupProbe": {}}
LIVE = {**PROXY, "image": "nginx:1.27", "livenessProbe": {}}
PLAIN = {"name": "migrate", "image": "busybox:1.37"}
APP_RUNNING = rec("RUNNING", "app")


@pytest.mark.parametrize(
    "inits, records, startup, liveness, expected",
    [
        pytest.param([{**PROXY, "image": "nginx:1.27"}], {"proxy": rec("RUNNING"), "app": APP_RUNNING},
                     None, None, (True, [0], [(0, CHANGED, "")], False),
                     id="a started sidecar with a new image is killed and started again"),
        pytest.param([PROXY], {"proxy": rec("RUNNING"), "app": APP_RUNNING},
                     None, None, (True, [], [], False), id="a sidecar with its own image is kept"),
        pytest.param([{**PROXY, "image": "nginx:1.27"}, PLAIN], {"proxy": rec("RUNNING")},
                     None, None, (False, [0, 1], [(0, CHANGED, "")], False),
                     id="while the pod initializes the next init container starts as well"),
        pytest.param([PROBED], {"proxy": rec("RUNNING")}, UNKNOWN, None, (False, [], [], False),
                     id="a sidecar whose startup probe has not passed is not looked at"),
        pytest.param([PROBED], {"proxy": rec("RUNNING")}, SUCCESS, None,
                     (True, [0], [(0, CHANGED, "")], False),
                     id="once its startup probe passed a changed sidecar is restarted"),
        pytest.param([LIVE], {"proxy": rec("RUNNING"), "app": APP_RUNNING}, None, FAILURE,
                     (True, [0], [(0, CHANGED, "")], False),
                     id="a definition change is the reason given before a failed liveness probe"),
        pytest.param([PLAIN], {"migrate": rec("EXITED", "migrate", "busybox:1.36"), "app": APP_RUNNING},
                     None, None, (True, [], [], False),
                     id="a completed plain init container with a new image is not looked at"),
    ],
)
def test_compute_init_container_actions_for_a_changed_sidecar(inits, records, startup, liveness, expected):
    pod = {"spec": {"initContainers": inits, "containers": [{"name": "app", "image": "nginx:1.25"}]}}
    got = compute_init_container_actions(pod, records.get, lambda cid: startup, lambda cid: liveness,
                                         container_changed)
    assert got == expected


def test_compute_pod_actions_kills_a_changed_sidecar_as_an_init_container_and_keeps_the_app():
    pod = {"spec": {"restartPolicy": "Never", "initContainers": [{**PROXY, "image": "nginx:1.27"}],
                    "containers": [{"name": "app", "image": "nginx:1.25"}]}}
    records = {"proxy": rec("RUNNING"), "app": APP_RUNNING}
    actions = compute_pod_actions(pod, records.get, {}.get, lambda cid: None, lambda cid: None)
    assert [(k.kind, k.name, k.message, k.reason) for k in actions.containers_to_kill] == [
        ("initContainers", "proxy", CHANGED, "")]
    assert (actions.init_containers_to_start, actions.containers_to_start) == ([0], [])
