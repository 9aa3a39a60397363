"""Container lifecycle hooks, end to end: postStart after the start, preStop before the stop."""

import pytest
import yaml

from k8slearn import Cluster
from k8slearn.api.meta import timestamp


def pod(lifecycle: dict, image: str = "nginx:1.27", grace: int = 30, command=None) -> str:
    container = {"name": "app", "image": image, "lifecycle": lifecycle}
    if command:
        container["command"] = command
    return yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "hooks"},
                           "spec": {"terminationGracePeriodSeconds": grace, "containers": [container]}})


def start(manifest: str, warm: float = 10) -> Cluster:
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.run(warm)
    assert cluster.kubectl("apply -f -", stdin=manifest).code == 0
    return cluster


def events(cluster, *reasons):
    return [(e["reason"], e["message"]) for e in cluster.api.list("events")
            if e["involvedObject"]["name"] == "hooks" and e["reason"] in reasons]


def gone_after(cluster) -> float:
    """Seconds from the delete until the pod object is gone."""
    began = cluster.now
    cluster.kubectl("delete pod hooks --wait=false")
    while any(p["metadata"]["name"] == "hooks" for p in cluster.api.list("pods")):
        cluster.run(0.5)
        assert cluster.now - began < 120
    return cluster.now - began


def test_a_post_start_hook_runs_in_the_container_before_it_counts_as_started():
    cluster = start(pod({"postStart": {"exec": {"command": ["sh", "-c", "echo ready > /usr/share/nginx/html/ready"]}}}))
    cluster.settle()
    assert cluster.kubectl("exec hooks -- cat /usr/share/nginx/html/ready").stdout == "ready\n"
    assert events(cluster, "FailedPostStartHook") == []


@pytest.mark.parametrize("post_start", [
    {"sleep": {"seconds": 10}},
    {"exec": {"command": ["sh", "-c", "sleep 10"]}},
], ids=["a sleep hook", "an exec hook whose command sleeps 10 s"])
def test_the_pod_is_not_reported_running_while_a_post_start_hook_waits(post_start):
    cluster = start(pod({"postStart": post_start}))
    cluster.run(5)
    assert cluster.api.get("pods", "hooks")["status"]["phase"] == "Pending"
    cluster.run(10)
    assert cluster.api.get("pods", "hooks")["status"]["phase"] == "Running"


@pytest.mark.parametrize("hook", [
    {"exec": {"command": ["sh", "-c", "exit 1"]}},
    {"httpGet": {"port": 8080, "path": "/warm-up"}},
], ids=["an exec hook that exits 1", "an HTTP hook to a port nothing listens on"])
def test_a_failed_post_start_hook_kills_the_container_and_it_is_restarted(hook):
    cluster = start(pod({"postStart": hook}))
    cluster.run(30)
    found = events(cluster, "FailedPostStartHook", "Killing")
    assert found[:2] == [("FailedPostStartHook", "PostStartHook failed"), ("Killing", "FailedPostStartHook")]
    status = cluster.api.get("pods", "hooks")["status"]["containerStatuses"][0]
    assert status["restartCount"] >= 1


@pytest.mark.parametrize("pre_stop, grace, seconds", [
    (None, 30, (0, 1)),
    ({"sleep": {"seconds": 5}}, 30, (5, 6)),
    ({"sleep": {"seconds": 10}}, 10, (10, 11)),
], ids=[
    "without a hook nginx stops at once on SIGTERM",
    "a preStop sleep holds the SIGTERM back for its seconds",
    "a preStop that uses the whole grace period still leaves the container its SIGTERM (nginx stops at once)",
])
def test_a_pre_stop_hook_runs_before_the_sigterm_within_the_grace_period(pre_stop, grace, seconds):
    cluster = start(pod({"preStop": pre_stop} if pre_stop else {}, grace=grace))
    cluster.settle()
    took = gone_after(cluster)
    assert seconds[0] <= took <= seconds[1], took


def deleted(cluster) -> tuple[float, float, list, list]:
    """Delete the pod and let 40 s pass: when the delete began, how long until the object left etcd,
    the runtime's StopContainer and TaskExit steps and the Killing and FailedPreStopHook events
    (seconds after the delete)."""
    began = cluster.now
    cluster.kubectl("delete pod hooks --wait=false")
    cluster.run(40)
    gone = next(s.time for s in cluster.trace
                if (s.component, s.action, s.object) == ("etcd", "delete", "/registry/pods/default/hooks"))
    steps = [(round(s.time - began, 3), s.action, s.detail) for s in cluster.trace
             if s.time >= began and s.action in ("StopContainer", "TaskExit")]
    found = [(e["reason"], e["firstTimestamp"]) for e in cluster.api.list("events")
             if e["involvedObject"]["name"] == "hooks" and e["reason"] in ("Killing", "FailedPreStopHook")]
    return began, round(gone - began, 3), steps, found


def sigterm(at: float, left: int) -> tuple:
    return at, "StopContainer", f"SIGTERM to app, {left}s grace"


def exited(at: float, code: int) -> tuple:
    return at, "TaskExit", f"app exited with code {code}"


@pytest.mark.parametrize("command, main, gone, steps, hook_events", [
    (["sleep", "8"], None, 8.101, [sigterm(8.001, 12), exited(8.101, 0)], []),
    (["sh", "-c", "sleep 8"], None, 8.101, [sigterm(8.001, 12), exited(8.101, 0)], []),
    (["sh", "-c", "echo bye > /tmp/bye; sleep 2 && sleep 3"], None, 5.101, [sigterm(5.001, 15), exited(5.101, 0)], []),
    (["sh", "-c", "sleep 5; exit 1"], None, 5.101, [sigterm(5.001, 15), exited(5.101, 0)],
     [("FailedPreStopHook", 5.001)]),
    (["sleep", "60"], None, 20.101, [sigterm(20.001, 2), exited(20.101, 0)], [("FailedPreStopHook", 20.101)]),
    (["sleep", "60"], ["sleep", "3600"], 22.001, [sigterm(20.001, 2), exited(22.001, 137)],
     [("FailedPreStopHook", 22.001)]),
    (["sleep", "21"], ["sleep", "3600"], 22.001, [sigterm(20.001, 2), exited(22.001, 137)], []),
], ids=[
    "exec sleep 8 holds the SIGTERM back 8 s and leaves nginx the other 12 s",
    "sh -c sleep 8 does the same",
    "a script's sleeps add up: 2 s and 3 s hold the SIGTERM back 5 s",
    "a script that sleeps 5 s then exits 1 fails after its 5 s, then the SIGTERM",
    "a hook longer than the grace period is waited for 20 s, then nginx stops and the hook dies with it",
    "a sleep container that ignores SIGTERM gets SIGKILL 2 s later, and its hook dies then",
    "a hook that ends between the SIGTERM and the SIGKILL did not fail",
])
def test_an_exec_pre_stop_hook_takes_the_time_its_command_sleeps_within_the_grace_period(
        command, main, gone, steps, hook_events):
    image = "busybox:1.36" if main else "nginx:1.27"
    cluster = start(pod({"preStop": {"exec": {"command": command}}}, image=image, grace=20, command=main))
    cluster.settle()
    began, took, stopped, found = deleted(cluster)
    assert took == gone
    assert stopped == steps
    assert found == [(reason, timestamp(began + at)) for reason, at in [("Killing", 0.001), *hook_events]]


def test_the_pod_shows_terminating_while_its_exec_pre_stop_hook_sleeps():
    cluster = start(pod({"preStop": {"exec": {"command": ["sleep", "8"]}}}, grace=20))
    cluster.settle()
    cluster.kubectl("delete pod hooks --wait=false")
    cluster.run(7)
    assert cluster.kubectl("get pod hooks --no-headers").stdout.split()[1:3] == ["1/1", "Terminating"]
    cluster.run(2)
    assert cluster.api.list("pods", "default") == []


def test_a_failed_pre_stop_hook_is_an_event_and_the_stop_goes_on():
    cluster = start(pod({"preStop": {"exec": {"command": ["nosuch"]}}}))
    cluster.settle()
    assert gone_after(cluster) <= 1
    assert events(cluster, "FailedPreStopHook") == [("FailedPreStopHook", "PreStopHook failed")]


def test_a_pre_stop_hook_also_runs_when_a_liveness_probe_kills_the_container():
    cluster = start(pod({"preStop": {"exec": {"command": ["sh", "-c", "echo bye > /tmp/bye"]}}},
                        image="busybox:1.36", command=["sh", "-c", "sleep 3600"]) .replace(
        "lifecycle:", "livenessProbe:\n      exec: {command: [cat, /tmp/missing]}\n      periodSeconds: 5\n    lifecycle:"))
    cluster.run(60)
    assert [r for r, _ in events(cluster, "Killing")] == ["Killing"]
    assert cluster.api.get("pods", "hooks")["status"]["containerStatuses"][0]["restartCount"] == 1


@pytest.mark.parametrize("lifecycle, grace, errors", [
    ({"preStop": {"sleep": {"seconds": 60}}}, 10,
     [("spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be greater than 0 and less than "
       "terminationGracePeriodSeconds (10). Enable AllowPodLifecycleSleepActionZeroValue feature gate for "
       "zero sleep.")]),
    ({"postStart": {"exec": {}, "httpGet": {"port": 80}}}, 30,
     ["spec.containers[0].lifecycle.postStart.exec.command: Required value",
      "spec.containers[0].lifecycle.postStart.httpGet: Forbidden: may not specify more than 1 handler type"]),
    ({"preStop": {}}, 30, ["spec.containers[0].lifecycle.preStop: Required value: must specify a handler type"]),
    ({"preStop": {"httpGet": {"port": 80, "scheme": "FTP"}}}, 30,
     [('spec.containers[0].lifecycle.preStop.httpGet.scheme: Unsupported value: "FTP": supported values: '
       '"HTTP", "HTTPS"')]),
], ids=[
    "a preStop sleep longer than the grace period",
    "an exec hook without a command, and a second handler",
    "a hook with no handler",
    "an HTTP hook with a scheme that is not HTTP or HTTPS",
])
def test_the_api_server_refuses_invalid_hooks(lifecycle, grace, errors):
    from k8slearn.api.errors import ApiError

    cluster = Cluster(workers=1, seed=0)
    manifest = yaml.safe_load(pod(lifecycle, grace=grace))
    with pytest.raises(ApiError) as refused:
        cluster.api.create(manifest)
    causes = refused.value.status["details"]["causes"]
    assert [f"{c['field']}: {c['message']}" for c in causes] == errors
    assert cluster.api.list("pods", "default") == []

