"""Container lifecycle hooks, end to end: postStart after the start, preStop before the stop."""

import pytest
import yaml

from k8slearn import Cluster


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


def test_the_pod_is_not_reported_running_while_a_post_start_hook_waits():
    cluster = start(pod({"postStart": {"sleep": {"seconds": 10}}}))
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
       "terminationGracePeriodSeconds (10)")]),
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

