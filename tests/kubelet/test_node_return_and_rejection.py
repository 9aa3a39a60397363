"""A node back from a power cut, and a pod the kubelet rejects.

After ``start_node`` the kubelet finds each pod's sandbox gone (``SandboxChanged``): SyncPod's step 2
(killPodWithSyncResult) stops the old sandbox but removes nothing, so the container that died with
the power stays in containerd (exit code 255, reason ``Unknown``, finished when containerd started
again) and is the new container's ``lastState``; init containers are purged and run again. A pod
that does not fit is rejected: the event has the bare message, ``status.message`` the
"Pod was rejected: " prefix (kubelet.go rejectPod).
"""

import pytest

from k8slearn import Cluster
from k8slearn.api.meta import timestamp


MANIFEST = """apiVersion: v1
kind: Pod
metadata: {name: w}
spec:
  initContainers: [{name: init, image: busybox, command: [sh, -c, 'echo hi']}]
  containers: [{name: app, image: nginx}]
"""


@pytest.fixture(scope="module")
def returned():
    """One nginx pod on node-1; the node is off for 100 s, then on again for 30 s."""
    c = Cluster(workers=1, seed=0)
    c.settle()
    c.kubectl("apply -f -", stdin=MANIFEST)
    c.settle()
    c.run(5)
    app = c.api.get("pods", "w", "default")["status"]["containerStatuses"][0]
    started = app["state"]["running"]["startedAt"]
    c.stop_node("node-1")
    c.run(100)
    back = c.now
    c.start_node("node-1")
    c.run(30)
    return c, started, back


def test_the_new_container_shows_the_run_the_power_cut_ended_as_its_last_state(returned):
    c, started, back = returned
    status = c.api.get("pods", "w", "default")["status"]["containerStatuses"][0]
    terminated = status["lastState"]["terminated"]
    assert (status["restartCount"], terminated["exitCode"], terminated["reason"]) == (1, 255, "Unknown")
    # startedAt: the old run's start; finishedAt: when containerd, starting again, found its task gone
    assert (terminated["startedAt"], terminated["finishedAt"]) == (started, timestamp(back))
    assert terminated["containerID"] != status["containerID"] and "running" in status["state"]


def test_describe_pod_prints_the_last_state_block(returned):
    c, started, back = returned
    out = c.kubectl("describe pod w").stdout
    app = out[out.index("  app:"):]
    expected = ("    Last State:     Terminated\n"
                "      Reason:       Unknown\n"
                "      Exit Code:    255\n"
                "      Started:      Mon, 05 Jan 2026 09:00:02 +0000\n"
                f"      Finished:     Mon, 05 Jan 2026 09:01:{int(back) % 60:02d} +0000\n"
                "    Ready:          True\n"
                "    Restart Count:  1\n")
    assert started == "2026-01-05T09:00:02Z" and expected in app


def test_crictl_lists_the_exited_container_and_the_stopped_sandbox_beside_the_new_ones(returned):
    c, _, _ = returned
    rows = [line.split() for line in c.crictl("node-1", "ps -a").splitlines()[1:]]
    assert sorted((r[-5], r[-6], r[-4]) for r in rows) == [
        ("app", "Exited", "0"), ("app", "Running", "1"), ("init", "Exited", "1")]
    sandboxes = [line.split() for line in c.crictl("node-1", "pods").splitlines()[1:]]
    assert sorted((s[-5], s[-2]) for s in sandboxes if s[-4] == "w") == [("NotReady", "0"), ("Ready", "1")]


def test_the_init_container_was_purged_and_ran_again_in_the_new_sandbox(returned):
    c, _, back = returned
    init = c.api.get("pods", "w", "default")["status"]["initContainerStatuses"][0]
    assert (init["restartCount"], init["lastState"], init["state"]["terminated"]["reason"]) == (
        1, {}, "Completed")
    assert init["state"]["terminated"]["finishedAt"] >= timestamp(back)


def test_deleting_the_pod_removes_both_sandboxes_and_all_its_containers(returned):
    c, _, _ = returned
    c.kubectl("delete pod w")
    c.settle()
    assert c.crictl("node-1", "ps -a").splitlines()[1:] == []
    assert [line for line in c.crictl("node-1", "pods").splitlines()[1:] if " w " in line] == []


def test_a_short_flap_restarts_the_pod_with_the_same_last_state():
    c = Cluster(workers=1, seed=1)
    c.kubectl("run web --image=nginx")
    c.settle()
    c.stop_node("node-1")
    c.run(10)
    c.start_node("node-1")
    c.run(20)
    status = c.api.get("pods", "web", "default")["status"]
    terminated = status["containerStatuses"][0]["lastState"]["terminated"]
    assert (status["phase"], terminated["exitCode"], terminated["reason"]) == ("Running", 255, "Unknown")
    listed = c.kubectl("get events --field-selector involvedObject.name=web -o custom-columns=R:.reason")
    reasons = listed.stdout.split()[1:]
    assert reasons.count("SandboxChanged") == 1 and reasons.count("Started") == 2


# ---- rejectPod ------------------------------------------------------------------------------------

@pytest.mark.parametrize("resource, amount, text", [
    pytest.param("cpu", "100", "Node didn't have enough resource: cpu, requested: 100000, used: 0, "
                 "capacity: 2000",
                 id="a pod asking more cpu than the node has is rejected OutOfcpu"),
    pytest.param("memory", "100Gi", "Node didn't have enough resource: memory, requested: 107374182400, "
                 "used: 0, capacity: 4190109696",
                 id="a pod asking more memory than the node has is rejected OutOfmemory"),
])
def test_the_rejection_event_has_the_bare_message_and_the_status_the_prefix(resource, amount, text):
    c = Cluster(workers=1, seed=0)
    c.settle()
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "big"},
                  "spec": {"nodeName": "node-1", "containers": [
                      {"name": "a", "image": "nginx", "resources": {"requests": {resource: amount}}}]}})
    c.settle()
    status = c.api.get("pods", "big", "default")["status"]
    assert (status["phase"], status["reason"], status["message"]) == (
        "Failed", f"OutOf{resource}", f"Pod was rejected: {text}")
    events = [(e["type"], e["reason"], e["message"]) for e in c.api.list("events", "default")
              if e["involvedObject"]["name"] == "big"]
    assert events == [("Warning", f"OutOf{resource}", text)]
    assert f"Warning  OutOf{resource}  " in c.kubectl("describe pod big").stdout
