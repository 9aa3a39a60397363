"""A container killed for a failed probe, after the kill: the runtime's dead runs and the status writes.

Upstream v1.32: SyncPod kills the container (computePodActions: "Container X failed liveness probe,
will be restarted") and starts it again unless doBackOff says it is in back-off; PLEG's next relist
sees the killed container dead (ContainerDied), which syncs the pod again and makes the container
deletor remove the older dead runs (cleanUpContainersInPod, MaxPerPodContainer 1); the status the
API server sees is the one each sync generates when it starts (kubelet.go SyncPod), so a
CrashLoopBackOff found by the killing sync is written by the next one, once.
"""

import pytest

from k8slearn import Cluster

# The documentation's "Define a liveness command" container, and a quicker one that fails from its
# first probe and dies 10 s after SIGTERM (sh as PID 1 ignores it).
CAT_HEALTHY = {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5, "periodSeconds": 5}
DOCS_LIVENESS = {
    "name": "liveness",
    "image": "registry.k8s.io/busybox:1.27.2",
    "args": ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
    "livenessProbe": CAT_HEALTHY,
}
QUICK_PROBE = dict(CAT_HEALTHY, failureThreshold=1)
QUICK_LIVENESS = {
    "name": "app",
    "image": "busybox:1.36",
    "args": ["/bin/sh", "-c", "sleep 600"],
    "livenessProbe": dict(QUICK_PROBE, terminationGracePeriodSeconds=10),
}
CRASHING = {"name": "side", "image": "busybox:1.36", "args": ["/bin/sh", "-c", "sleep 25; exit 1"]}
NGINX_STARTUP = {
    "name": "web",
    "image": "nginx",
    "startupProbe": {"httpGet": {"path": "/healthz", "port": 80}, "periodSeconds": 2, "failureThreshold": 3},
}
SLEEPER = {"name": "app", "image": "busybox:1.36", "args": ["sleep", "3600"]}


def run_pod(spec: dict, seconds: float):
    """A 1-worker cluster (seed 0) running pod ``probed``; (cluster, [(time, status) of every write])."""
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    writes = []

    def record(_type, pod):
        if pod["metadata"]["name"] == "probed":
            writes.append((cluster.now, pod["status"]))

    cluster.api.watch("pods", namespace="default", handler=record)
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "probed"}, "spec": spec})
    cluster.run(seconds)
    return cluster, writes


def entry(status: dict, name: str) -> dict:
    key = "containerStatuses"
    if not any(s["name"] == name for s in status.get(key) or ()):
        key = "initContainerStatuses"
    return next((s for s in status.get(key) or () if s["name"] == name), {})


@pytest.mark.parametrize("spec, name, seconds", [
    pytest.param({"containers": [DOCS_LIVENESS]}, "liveness", 400,
                 id="the documentation's liveness-exec container killed five times leaves its last run only"),
    pytest.param({"containers": [NGINX_STARTUP]}, "web", 60,
                 id="a container killed again and again for its startup probe leaves its last run only"),
    pytest.param({"initContainers": [dict(QUICK_LIVENESS, name="proxy", restartPolicy="Always")],
                  "containers": [SLEEPER]}, "proxy", 300,
                 id="a sidecar killed again and again for its liveness probe leaves its last run only"),
])
def test_the_runtime_keeps_one_dead_run_of_a_container_killed_for_its_probe(spec, name, seconds):
    cluster, _ = run_pod(spec, seconds)
    status = cluster.api.get("pods", "probed")["status"]
    assert entry(status, name)["restartCount"] >= 3
    runtime = cluster.kubelets["node-1"].runtime
    dead = [c.id for c in runtime.containers.values()
            if c.pod_name == "probed" and c.name == name and c.state == "CONTAINER_EXITED"]
    last_run = entry(status, name)["lastState"]["terminated"]["containerID"]
    assert ["containerd://" + i for i in dead] == [last_run]  # the run lastState and logs --previous show
    assert sum("Exited" in line.split() for line in cluster.crictl("node-1", "ps -a").splitlines()) == 1
    # every kill is a ContainerDied event for PLEG, as any other death is
    died = [s for s in cluster.trace if s.action == "PLEG" and s.object == "pod/default/probed"]
    assert len(died) == entry(status, name)["restartCount"] + ("waiting" in entry(status, name)["state"])


@pytest.mark.parametrize("containers, seconds, back_off", [
    pytest.param([DOCS_LIVENESS], 450, "1m20s",
                 id="the documentation's liveness-exec container reaches CrashLoopBackOff at its sixth kill"),
    pytest.param([QUICK_LIVENESS, CRASHING], 170, "40s",
                 id="a probe-killed container beside one that crashes on its own reaches CrashLoopBackOff"),
])
def test_a_probe_kill_found_in_back_off_is_written_once_by_the_next_sync(containers, seconds, back_off):
    cluster, writes = run_pod({"containers": containers}, seconds)
    name = containers[0]["name"]
    states = [next(iter(entry(status, name).get("state") or {"none": 0})) for _, status in writes]
    assert "terminated" not in states  # killed and restarted: running, then running again or waiting
    first = states.index("waiting", states.index("running"))
    before, crash = entry(writes[first - 1][1], name), entry(writes[first][1], name)
    uid = cluster.api.get("pods", "probed")["metadata"]["uid"]
    assert crash["state"]["waiting"] == {
        "reason": "CrashLoopBackOff",
        "message": f"back-off {back_off} restarting failed container={name} pod=probed_default({uid})"}
    last = crash["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("Error", 137)
    assert crash["restartCount"] == before["restartCount"]  # the new run has not started
    # one write per sync: none shows the pod a moment before another write at the same instant
    times = [t for t, _ in writes]
    assert len(times) == len(set(times))


@pytest.mark.parametrize("script, exit_code", [
    pytest.param("sleep 600", 137,
                 id="a shell that ignores SIGTERM dies by SIGKILL at the end of the grace period"),
    pytest.param("trap 'exit 143' TERM; sleep 600 & wait", 143,
                 id="a shell that traps SIGTERM exits with its trap"),
    pytest.param("sleep 33; exit 3", 3,
                 id="a shell whose script ends during the grace period exits by itself"),
])
def test_pleg_reports_each_death_of_a_probe_killed_container_once(script, exit_code):
    container = {"name": "app", "image": "busybox:1.36", "args": ["/bin/sh", "-c", script],
                 "livenessProbe": QUICK_PROBE}
    cluster, _ = run_pod({"containers": [container]}, 100)
    cs = cluster.api.get("pods", "probed")["status"]["containerStatuses"][0]
    assert cs["lastState"]["terminated"]["exitCode"] == exit_code
    died = [s.detail for s in cluster.trace if s.action == "PLEG" and s.object == "pod/default/probed"]
    deaths = cs["restartCount"] + ("waiting" in cs["state"])  # (the last one waits out its back-off)
    assert died == [f"container app died (exit code {exit_code})"] * deaths


# nginx answers 404 for a path it does not serve and exits 0 on SIGTERM: killed for its liveness
# probe, its run ends "Completed".
NGINX_404_LIVENESS = {
    "name": "web",
    "image": "nginx:1.27",
    "livenessProbe": {"httpGet": {"path": "/nothere", "port": 80}, "periodSeconds": 2, "failureThreshold": 2},
}


def test_under_on_failure_a_probe_killed_container_that_exits_0_in_back_off_ends_the_pod_completed():
    """ShouldContainerBeRestarted is false after exit code 0 under OnFailure, so
    convertToAPIContainerStatuses does not show the reasonCache's CrashLoopBackOff: the container's
    last run is its state, and getPhase gives Succeeded (kubelet_pods.go)."""
    cluster, _ = run_pod({"restartPolicy": "OnFailure", "containers": [NGINX_404_LIVENESS]}, 30)
    status = cluster.api.get("pods", "probed")["status"]
    web = entry(status, "web")
    assert status["phase"] == "Succeeded"
    assert web["state"]["terminated"]["reason"] == "Completed"
    assert web["restartCount"] == 2
    assert cluster.kubectl("get pod probed --no-headers").stdout.split()[1:3] == ["0/1", "Completed"]


def test_a_deleted_crash_looping_pod_ends_with_its_last_run_terminated_not_waiting():
    """Once a pod has a deletionTimestamp no container is restarted (ShouldContainerBeRestarted),
    so the final status the kubelet writes shows the crashed run as the state, not CrashLoopBackOff."""
    crashing = {"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "exit 3"]}
    cluster, writes = run_pod({"containers": [crashing, dict(SLEEPER, name="sleeper")]}, 40)
    assert entry(writes[-1][1], "app")["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    cluster.kubectl("delete pod probed --wait=false")
    cluster.run(35)
    final = writes[-1][1]
    assert final["phase"] == "Failed"
    assert entry(final, "app")["state"]["terminated"]["exitCode"] == 3
    assert entry(final, "app")["state"]["terminated"]["reason"] == "Error"
