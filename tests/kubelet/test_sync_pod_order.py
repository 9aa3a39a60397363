"""SyncPod as upstream orders it: decide from the status the sync began with, kill, then start.

Upstream v1.32, pkg/kubelet/kuberuntime/kuberuntime_manager.go SyncPod: step 1 computePodActions
(pod, podStatus) from PLEG's pod status; step 3 kills ContainersToKill; step 5 starts the ephemeral
containers (even before the init containers are done); step 6 the init containers; step 8 the
regular containers, each after doBackOff, which reads the same podStatus. A container that dies
while the sync is busy is left to the next sync.
"""

from types import SimpleNamespace as Record

import pytest
import yaml

from k8slearn import Cluster
from k8slearn.kubelet.backoff import Backoff
from k8slearn.kubelet.pod_actions import compute_pod_actions
from k8slearn.kubelet.probe import FAILURE, SUCCESS

# ---------------------------------------------------------------------------------------------------
# computePodActions, on its own

RUNNING = Record(state="CONTAINER_RUNNING", id="r1", exit_code=0, name="app", image="")  # as APP: unchanged
PROXY_RUNNING = Record(state="CONTAINER_RUNNING", id="p1", exit_code=0, name="proxy", image="")  # unchanged
FAILED = Record(state="CONTAINER_EXITED", id="f1", exit_code=1)
SUCCEEDED = Record(state="CONTAINER_EXITED", id="s1", exit_code=0)
APP, SIDE = {"name": "app"}, {"name": "side"}


def actions_for(spec: dict, runs: dict, failed_probes: dict | None = None) -> tuple:
    """compute_pod_actions with every startup probe passed and every init container's liveness
    probe failed (only a sidecar with a livenessProbe looks at it): (kills, init containers,
    containers and ephemeral containers to start)."""
    actions = compute_pod_actions({"spec": spec}, runs.get, (failed_probes or {}).get,
                                  lambda cid: SUCCESS, lambda cid: FAILURE, lambda: False)
    kills = [(kill.kind, kill.name, kill.message) for kill in actions.containers_to_kill]
    return kills, actions.init_containers_to_start, actions.containers_to_start, actions.ephemeral_containers_to_start


@pytest.mark.parametrize("spec, runs, failed_probes, expected", [
    pytest.param({"containers": [APP]}, {}, None, ([], [], [0], []),
                 id="a container never run is started"),
    pytest.param({"containers": [APP, SIDE]}, {"app": RUNNING, "side": FAILED}, {"r1": "liveness"},
                 ([("containers", "app", "Container app failed liveness probe, will be restarted")], [], [0, 1], []),
                 id="a probe kill and a crash in one sync: the killed one and the crashed one both start after it"),
    pytest.param({"restartPolicy": "Never", "containers": [APP]}, {"app": RUNNING}, {"r1": "startup"},
                 ([("containers", "app", "Container app failed startup probe")], [], [], []),
                 id="with restartPolicy Never a container killed for its probe is not started again"),
    pytest.param({"restartPolicy": "OnFailure", "containers": [APP, SIDE]}, {"app": SUCCEEDED, "side": FAILED}, None,
                 ([], [], [1], []),
                 id="with restartPolicy OnFailure only the container that failed starts again"),
    pytest.param({"initContainers": [{"name": "migrate"}], "containers": [APP],
                  "ephemeralContainers": [{"name": "debugger"}]}, {"migrate": RUNNING}, None,
                 ([], [], [], [0]),
                 id="an ephemeral container starts while an init container still runs, the app does not"),
    pytest.param({"initContainers": [{"name": "proxy", "restartPolicy": "Always", "livenessProbe": {}}],
                  "containers": [APP]}, {"proxy": PROXY_RUNNING, "app": RUNNING}, None,
                 ([("initContainers", "proxy", "Init container proxy failed liveness probe")], [0], [], []),
                 id="a sidecar killed for its liveness probe is started again with the init containers"),
])
def test_compute_pod_actions_decides_what_to_kill_and_start(spec, runs, failed_probes, expected):
    assert actions_for(spec, runs, failed_probes) == expected


# ---------------------------------------------------------------------------------------------------
# End to end

def two_containers(grace: int, crash_after: int) -> dict:
    """``app`` fails its liveness probe from the first probe on (killed within ``grace`` seconds:
    sh as PID 1 ignores SIGTERM); ``side`` crashes ``crash_after`` seconds after each start."""
    return {"containers": [
        {"name": "app", "image": "busybox:1.36", "args": ["/bin/sh", "-c", "sleep 600"],
         "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5,
                           "periodSeconds": 5, "failureThreshold": 1, "terminationGracePeriodSeconds": grace}},
        {"name": "side", "image": "busybox:1.36", "args": ["/bin/sh", "-c", f"sleep {crash_after}; exit 1"]},
    ]}


def watch_pod(spec: dict, seconds: float, name: str = "order"):
    """A 1-worker cluster (seed 0) running ``spec``: (cluster, [status of every write, in order])."""
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    writes = []
    cluster.api.watch("pods", namespace="default",
                      handler=lambda _t, pod: writes.append(pod["status"]) if pod["metadata"]["name"] == name else None)
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec})
    cluster.run(seconds)
    return cluster, writes


def shown(status: dict, name: str) -> tuple:
    entry = next((s for s in status.get("containerStatuses") or () if s["name"] == name), None)
    if entry is None:
        return ()
    kind, detail = next(iter(entry["state"].items()))
    return entry["restartCount"], kind, detail.get("reason", "")


@pytest.mark.parametrize("grace, crash_after", [
    pytest.param(10, 25, id="side crashes during app's 10 s kill"),
    pytest.param(30, 20, id="side crashes during app's 30 s kill"),
])
def test_a_container_that_dies_during_another_container_s_kill_is_shown_terminated_before_its_back_off(
        grace, crash_after):
    _, writes = watch_pod(two_containers(grace, crash_after), 400)
    side = [shown(status, "side") for status in writes]
    changes = [state for i, state in enumerate(side) if state and (i == 0 or state != side[i - 1])]
    back_offs = [i for i, (_, kind, reason) in enumerate(changes) if reason == "CrashLoopBackOff"]
    assert len(back_offs) >= 2
    for i in back_offs:  # the run that crashed was written Terminated (Error) first, with the same restart count
        assert changes[i - 1] == (changes[i][0], "terminated", "Error")


def test_kubectl_debug_starts_an_ephemeral_container_in_a_pod_stuck_in_init():
    cluster = Cluster(workers=1, seed=0)
    stuck = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "stuck"}, "spec": {
        "initContainers": [{"name": "wait-for-db", "image": "busybox:1.36", "command": ["sleep", "3600"]}],
        "containers": [{"name": "app", "image": "nginx:1.27"}]}}
    assert cluster.kubectl("apply -f -", stdin=yaml.safe_dump(stuck)).code == 0
    cluster.run(30)
    result = cluster.kubectl("debug stuck --image=busybox:1.36 -c dbg --profile=general -i -- echo hello")
    assert (result.stdout, result.code) == ("hello\n", 0)
    assert cluster.kubectl("get pod stuck").stdout.split()[7] == "Init:0/1"


# ---------------------------------------------------------------------------------------------------
# A failed postStart hook (startContainer: FailedPostStartHook, killContainer, ErrPostStartHook)

def hooked(hook: dict, policy: str = "Always") -> dict:
    return {"restartPolicy": policy,
            "containers": [{"name": "app", "image": "nginx:1.27", "lifecycle": {"postStart": hook}}]}


EXEC_HOOK = {"exec": {"command": ["cat", "/etc/ready"]}}
HTTP_HOOK = {"httpGet": {"port": 8080, "path": "/warm-up"}}


@pytest.mark.parametrize("hook, message", [
    pytest.param(EXEC_HOOK, 'Exec lifecycle hook ([cat /etc/ready]) for Container "app" in Pod "order_default({uid})" '
                            "failed - error: command 'cat /etc/ready' exited with 1: cat: /etc/ready: No such file or "
                            'directory\n, message: "cat: /etc/ready: No such file or directory\\n"',
                 id="an exec hook: its command and output"),
    pytest.param(HTTP_HOOK, 'HTTP lifecycle hook (/warm-up) for Container "app" in Pod "order_default({uid})" failed - '
                            'error: Get "http://{ip}:8080/warm-up": dial tcp {ip}:8080: connect: connection refused',
                 id="an HTTP hook: its path and the connection error"),
])
def test_after_a_failed_post_start_hook_the_container_waits_with_post_start_hook_error(hook, message):
    cluster, writes = watch_pod(hooked(hook), 30)
    pod = cluster.api.get("pods", "order")
    message = message.format(uid=pod["metadata"]["uid"], ip=pod["status"].get("podIP"))
    first = next(s for s in writes if shown(s, "app")[1:] not in ((), ("waiting", "ContainerCreating")))
    entry = first["containerStatuses"][0]
    assert (entry["restartCount"], entry["state"]["waiting"]["reason"]) == (0, "PostStartHookError")
    assert entry["state"]["waiting"]["message"] == message
    assert entry["lastState"]["terminated"]["reason"] == "Completed"  # nginx stops at once on SIGTERM
    assert {shown(s, "app")[1:] for s in writes} >= {("waiting", "PostStartHookError"), ("waiting", "CrashLoopBackOff")}


def test_a_container_killed_by_its_post_start_hook_leaves_its_last_run_only():
    cluster, _ = watch_pod(hooked(EXEC_HOOK), 120)
    status = cluster.api.get("pods", "order")["status"]["containerStatuses"][0]
    assert status["restartCount"] >= 3
    runtime = cluster.kubelets["node-1"].runtime
    dead = ["containerd://" + c.id for c in runtime.containers.values() if c.pod_name == "order"]
    assert dead == [status["lastState"]["terminated"]["containerID"]]


def test_with_restart_policy_never_a_failed_post_start_hook_leaves_the_container_terminated():
    cluster, writes = watch_pod(hooked(EXEC_HOOK, "Never"), 30)
    assert all(shown(s, "app")[2:] != ("PostStartHookError",) for s in writes)
    pod = cluster.api.get("pods", "order")
    assert pod["status"]["phase"] == "Succeeded"
    assert pod["status"]["containerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"


# ---------------------------------------------------------------------------------------------------
# doBackOff's Backoff.Next(id, eventTime): expiry judged at the crash, the entry stamped now

@pytest.mark.parametrize("entry, finished_at, now, expected", [
    pytest.param(None, 100.0, 130.0, (10.0, 130.0), id="a first crash counts 10 s"),
    pytest.param((40.0, 20.0), 500.0, 700.0, (80.0, 700.0),
                 id="a crash within 10 min of the last count doubles it even when looked at later"),
    pytest.param((40.0, 20.0), 621.0, 650.0, (10.0, 650.0),
                 id="a crash more than 10 min after the last count starts again from 10 s"),
    pytest.param((300.0, 20.0), 100.0, 100.0, (300.0, 100.0), id="the back-off stays at 5 min at most"),
])
def test_the_crash_back_off_expires_by_the_time_the_container_finished(entry, finished_at, now, expected):
    backoff = Backoff()
    if entry is not None:
        backoff.entries["app"] = entry
    backoff.next("app", finished_at, now)
    assert backoff.entries["app"] == expected
