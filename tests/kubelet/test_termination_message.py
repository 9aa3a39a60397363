"""A container's termination message: what it wrote to /dev/termination-log, or with
FallbackToLogsOnError the end of its log when it failed (the docs task "Determine the Reason for
Pod Failure"). Upstream: pkg/kubelet/kuberuntime/kuberuntime_container.go (getPodContainerStatuses,
getTerminationMessage, readLastStringFromContainerLogs), pkg/kubelet/container/runtime.go
(MaxContainerTerminationMessageLength and the two ...LogLines/LogLength limits)."""

import pytest

from k8slearn import Cluster

DOCS_EXAMPLE = """apiVersion: v1
kind: Pod
metadata:
  name: termination-demo
spec:
  containers:
  - name: termination-demo-container
    image: debian
    command: ["/bin/sh"]
    args: ["-c", "sleep 10 && echo Sleep expired > /dev/termination-log"]
"""


def _pod(name, policy, script, path=None):
    container = {"name": "c", "image": "busybox", "command": ["sh", "-c", script]}
    if policy:
        container["terminationMessagePolicy"] = policy
    if path:
        container["terminationMessagePath"] = path
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"restartPolicy": "Never", "containers": [container]}}


def test_the_docs_example_shows_what_the_container_wrote_to_its_termination_log():
    c = Cluster(workers=1, seed=0, current=False)
    c.settle()
    c.kubectl("apply -f -", stdin=DOCS_EXAMPLE)
    c.run(seconds=20)
    r = c.kubectl(["get", "pod", "termination-demo", "-o",
                   "go-template={{range .status.containerStatuses}}{{.lastState.terminated.message}}{{end}}"])
    assert r.stdout == "Sleep expired\n"


@pytest.mark.parametrize("policy, script, path, message", [
    pytest.param(None, "echo one; exit 3", None, None, id="a failed container that wrote no message has none"),
    pytest.param("FallbackToLogsOnError", "echo one; echo two; exit 3", None, "one\ntwo\n",
                 id="FallbackToLogsOnError gives a failed container's log"),
    pytest.param("FallbackToLogsOnError", "echo one; exit 0", None, None,
                 id="FallbackToLogsOnError does not use the log of one that succeeded"),
    pytest.param("FallbackToLogsOnError", "echo one; echo why > /dev/termination-log; exit 3", None, "why\n",
                 id="a written message comes before the log"),
    pytest.param(None, "echo custom > /tmp/why; exit 1", "/tmp/why", "custom\n",
                 id="terminationMessagePath names another file"),
    pytest.param("FallbackToLogsOnError", "for i in $(seq 1 100); do echo line $i; done; exit 1", None,
                 "".join(f"line {i}\n" for i in range(21, 101)), id="only the log's last 80 lines"),
])
def test_the_terminated_state_carries_the_termination_message(policy, script, path, message):
    c = Cluster(workers=1, seed=0, current=False)
    c.settle()
    c.api.create(_pod("p", policy, script, path))
    c.run(seconds=10)
    terminated = c.api.get("pods", "p")["status"]["containerStatuses"][0]["state"]["terminated"]
    assert terminated.get("message") == message
