"""Ephemeral containers: added through pods/ephemeralcontainers, validated, started once by the
kubelet in the pod's sandbox, never restarted, outside the pod's readiness and phase."""

import pytest

from k8slearn import Cluster
from k8slearn.api.errors import ApiError


@pytest.fixture
def cluster():
    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx:1.27")
    c.settle()
    return c


def add(cluster, *containers):
    client = cluster.apiserver.client("kubectl")
    return client.patch("pods", "web", {"spec": {"ephemeralContainers": list(containers)}}, "default",
                        subresource="ephemeralcontainers")


def statuses(cluster):
    return {s["name"]: s for s in cluster.api.get("pods", "web")["status"].get("ephemeralContainerStatuses") or []}


def test_an_ephemeral_container_runs_in_the_pod_s_network_and_is_never_restarted(cluster):
    add(cluster, {"name": "probe", "image": "busybox:1.36", "command": ["sh", "-c", "wget -qO- localhost; exit 3"]})
    cluster.run(60)
    status = statuses(cluster)["probe"]
    assert status["state"]["terminated"]["exitCode"] == 3
    assert (status["restartCount"], status["ready"], "started" in status) == (0, False, False)
    assert "<title>Welcome to nginx!</title>" in cluster.kubectl("logs web -c probe").stdout
    pod = cluster.api.get("pods", "web")
    assert pod["status"]["phase"] == "Running"
    assert [c["type"] for c in pod["status"]["conditions"] if c["status"] == "True"] == [
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    events = cluster.kubectl("get events -o jsonpath={.items[*].involvedObject.fieldPath}").stdout.split()
    assert events.count("spec.ephemeralContainers{probe}") == 4  # Pulling, Pulled, Created, Started


def test_kubectl_debug_i_shows_what_the_container_printed(cluster):
    result = cluster.kubectl("debug web --image=busybox:1.36 -c hello --profile=general -i -- echo hello")
    assert (result.stdout, result.stderr, result.code) == ("hello\n", "", 0)
    assert cluster.kubectl("exec web -c hello -- true").code == 1  # exited: nothing to exec into


def test_kubectl_debug_names_the_container_and_a_second_one_differently(cluster):
    first = cluster.kubectl("debug web --image=busybox:1.36 --profile=general -q")
    second = cluster.kubectl("debug web --image=busybox:1.36 --profile=general")
    assert first.stdout == "" and second.stdout.startswith("Defaulting debug container name to debugger-")
    names = [c["name"] for c in cluster.api.get("pods", "web")["spec"]["ephemeralContainers"]]
    assert len(names) == len(set(names)) == 2


def test_deleting_the_pod_stops_its_ephemeral_containers(cluster):
    add(cluster, {"name": "shell", "image": "busybox:1.36", "command": ["sleep", "3600"]})
    cluster.run(5)
    assert "running" in statuses(cluster)["shell"]["state"]
    cluster.kubectl("delete pod web")
    messages = cluster.kubectl("get events -o jsonpath={.items[*].message}").stdout
    assert "Stopping container shell" in messages
    assert cluster.kubectl("get pod web").code == 1


GOOD = {"name": "dbg", "image": "busybox:1.36"}
FORBIDDEN = "Forbidden: cannot be set for an Ephemeral Container"


@pytest.mark.parametrize("containers, message", [
    ([{**GOOD, "ports": [{"containerPort": 80}]}], f"spec.ephemeralContainers[0].ports: {FORBIDDEN}"),
    ([{**GOOD, "readinessProbe": {"exec": {"command": ["true"]}}}],
     f"spec.ephemeralContainers[0].readinessProbe: {FORBIDDEN}"),
    ([{**GOOD, "resources": {"requests": {"cpu": "1"}}}], f"spec.ephemeralContainers[0].resources: {FORBIDDEN}"),
    ([{**GOOD, "targetContainerName": "nope"}], 'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"'),
    ([{**GOOD, "name": "web"}], 'spec.ephemeralContainers[0].name: Duplicate value: "web"'),
    ([{"name": "dbg"}], "spec.ephemeralContainers[0].image: Required value"),
], ids=["ports are for the workload", "probes are for the workload", "resources are for the workload",
        "the target must be one of the pod's containers", "the name must be new in the pod", "an image is required"])
def test_what_an_ephemeral_container_may_not_have(cluster, containers, message):
    with pytest.raises(ApiError) as err:
        add(cluster, *containers)
    assert err.value.status["message"] == f'Pod "web" is invalid: {message}'
    assert "ephemeralContainers" not in cluster.api.get("pods", "web")["spec"]


def test_an_ephemeral_container_may_be_neither_removed_nor_changed(cluster):
    add(cluster, GOOD)
    client = cluster.apiserver.client("kubectl")
    pod = client.get("pods", "web", "default", subresource="ephemeralcontainers")
    removed = {**pod, "spec": {**pod["spec"], "ephemeralContainers": []}}
    with pytest.raises(ApiError) as err:
        client.update_ephemeral_containers(removed)
    assert err.value.status["message"] == ('Pod "web" is invalid: spec.ephemeralContainers: Forbidden: existing '
                                           'ephemeral containers "dbg" may not be removed\n')
    with pytest.raises(ApiError) as err:
        add(cluster, {**GOOD, "image": "busybox:1.37"})
    assert 'spec.ephemeralContainers[dbg]: Forbidden: existing ephemeral containers "dbg" may not be changed' \
        in err.value.status["message"]


def test_a_pod_cannot_be_created_with_ephemeral_containers():
    c = Cluster(workers=1, seed=0)
    result = c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
                                          "  - {name: app, image: nginx}\n  ephemeralContainers:\n"
                                          "  - {name: dbg, image: busybox}\n")
    assert result.code == 1
    assert "spec.ephemeralContainers: Forbidden: cannot be set on create" in result.stderr


def test_debug_i_gives_up_after_a_minute_when_the_container_cannot_start():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: stuck}\nspec:\n  nodeSelector: {x: y}\n"
                                  "  containers:\n  - {name: app, image: nginx:1.27}\n")
    c.settle()
    start = c.now
    result = c.kubectl("debug stuck --image=busybox:1.36 --profile=general -c d1 -i -- echo hi")
    assert (result.stdout, result.stderr, result.code) == ("", "error: timed out waiting for the condition\n", 1)
    assert 60 <= c.now - start < 61


def test_debug_i_warns_of_what_the_container_waits_for():
    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx:1.27")
    c.settle()
    result = c.kubectl("debug web --image=busybox:1.36-nope --profile=general -c bad -i")
    assert result.code == 1
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: container bad: ")]
    assert warnings and result.stderr.endswith("error: timed out waiting for the condition\n")
