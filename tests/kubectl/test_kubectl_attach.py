"""kubectl attach in a running simulated cluster: what the container writes while attached."""

import pytest

from k8slearn import Cluster

PODS = """apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  containers:
  - {name: app, image: busybox, command: [sh, -c, 'i=0; while [ $i -lt 5 ]; do echo tick $i; i=$((i+1)); sleep 5; done']}
  - {name: side, image: nginx:1.27}
---
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers:
  - {name: c, image: busybox, command: [sh, -c, 'echo boom; exit 3']}
"""
HINT = "If you don't see a command prompt, try pressing enter.\n"


@pytest.fixture
def cluster():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=PODS)
    c.run(8)  # app: tick 0 at 1.2 s, tick 1 at 6.2 s, the rest every 5 s until it exits after tick 4
    return c


def test_attach_shows_what_the_container_writes_from_now_until_it_exits(cluster):
    result = cluster.kubectl("attach two")
    assert (result.stdout, result.stderr, result.code) == (
        "tick 2\ntick 3\ntick 4\n", 'Defaulted container "app" out of: app, side\n' + HINT, 0)


@pytest.mark.parametrize("command, stderr", [
    ("attach crash",
     HINT + 'error: Internal error occurred: unable to upgrade connection: container not found ("c")\n'),
    ("attach two -c app -t",
     "error: Unable to use a TTY - container app did not allocate one\n" + HINT),
    ("attach two -c side -q", ""),
], ids=["a container that is not running is refused by the kubelet, after the hint",
        "-t to a container without a TTY says so and attaches without one",
        "-q prints neither the hint nor the defaulted container"])
def test_attach_messages(cluster, command, stderr):
    assert cluster.kubectl(command).stderr == stderr
