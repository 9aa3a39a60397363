"""A container that cannot start, and an image that may not be pulled, as a v1.32 kubelet reports them."""

import pytest

from k8slearn import Cluster

BAD_COMMAND = ('failed to create containerd task: failed to create shim task: OCI runtime create failed: runc '
               'create failed: unable to start container process: exec: "foo": executable file not found in '
               '$PATH: unknown')


def _pod(c, name, restart_policy="Always", **container):
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
                  "spec": {"restartPolicy": restart_policy,
                           "containers": [{"name": "app", "image": "busybox:1.36", **container}]}})


def _statuses(c, name, seconds):
    """The STATUS column every tenth of a simulated second, without repeats."""
    seen = []
    for _ in range(seconds * 10):
        c.run(0.1)
        status = c.kubectl(f"get pod {name} --no-headers").stdout.split()[2]
        if not seen or seen[-1] != status:
            seen.append(status)
    return seen


def test_a_container_that_cannot_start_waits_with_run_container_error_then_crash_loop_back_off():
    c = Cluster(workers=1, seed=0)
    _pod(c, "nocmd", command=["foo"])
    # (the failed start is shown at once, the back-off when the pod worker next syncs: at the end of
    # the back-off, just before it starts the container again)
    seen = _statuses(c, "nocmd", 40)
    assert seen[:2] == ["ContainerCreating", "RunContainerError"]
    assert seen[2:] == ["CrashLoopBackOff", "RunContainerError"] * (len(seen[2:]) // 2) and len(seen) >= 6
    status = c.api.get("pods", "nocmd")["status"]["containerStatuses"][0]
    assert status["state"]["waiting"] == {"reason": "RunContainerError", "message": BAD_COMMAND}
    last = status["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"], last["startedAt"], last["message"]) == (
        "StartError", 128, "1970-01-01T00:00:00Z", BAD_COMMAND)
    failed = [e for e in c.api.list("events", "default") if e["reason"] == "Failed"]
    assert [e["message"] for e in failed] == [f"Error: {BAD_COMMAND}"]  # the gRPC description only
    assert "Started:      Thu, 01 Jan 1970 00:00:00 +0000" in c.kubectl("describe pod nocmd").stdout


def test_the_reason_is_shown_at_the_sync_after_the_failed_start():
    c = Cluster(workers=1, seed=0)
    _pod(c, "nocmd", command=["foo"])
    c.run(2)
    waiting = c.api.get("pods", "nocmd")["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting == {"reason": "RunContainerError", "message": BAD_COMMAND}


@pytest.mark.parametrize("restart_policy, status", [
    pytest.param("Never", "StartError", id="under restartPolicy Never the StartError run is the state"),
    pytest.param("OnFailure", "RunContainerError", id="under OnFailure exit code 128 is restarted: it waits"),
])
def test_a_start_error_waits_only_if_the_container_will_be_restarted(restart_policy, status):
    c = Cluster(workers=1, seed=0)
    _pod(c, "nocmd", restart_policy, command=["foo"])
    c.run(2)
    assert c.kubectl("get pod nocmd --no-headers").stdout.split()[2] == status


def test_an_image_that_may_not_be_pulled_fails_the_start_with_its_own_event_and_error_event():
    c = Cluster(workers=1, seed=0)
    _pod(c, "never", image="busybox:1.37", imagePullPolicy="Never")
    c.run(30)
    events = {(e["reason"], e["message"]) for e in c.api.list("events", "default")
              if e["involvedObject"]["name"] == "never" and e["type"] == "Warning"}
    assert events == {("ErrImageNeverPull", 'Container image "busybox:1.37" is not present with pull policy of Never'),
                      ("Failed", "Error: ErrImageNeverPull")}
