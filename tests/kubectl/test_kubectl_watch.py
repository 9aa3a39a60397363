"""kubectl get -w in a running simulated cluster: the clock runs while the watch prints.

The layout (remembered column widths, the EVENT column, the swallowed first event of a one-object
watch) is checked against the real kubectl in test_kubectl_golden.py; here the changes are real.
"""

import pytest

from k8slearn import Cluster
from k8slearn.kubectl.watch import RememberingTabwriter


@pytest.fixture
def cluster():
    c = Cluster(workers=1, seed=1)
    c.settle()
    return c


def test_a_new_pod_is_watched_from_pending_to_running(cluster):
    cluster.kubectl("run web --image=nginx")
    result = cluster.kubectl("get pods -w --output-watch-events")
    assert [line.split()[:4] for line in result.stdout.splitlines()] == [
        ["EVENT", "NAME", "READY", "STATUS"],
        ["ADDED", "web", "0/1", "Pending"],
        ["MODIFIED", "web", "0/1", "Pending"],             # bound to node-1
        ["MODIFIED", "web", "0/1", "ContainerCreating"],   # the kubelet's first status
        ["MODIFIED", "web", "1/1", "Running"],
    ]
    assert cluster.loop.pending == 0  # the watch ran the cluster until it was quiet


def test_a_deleted_pod_ends_with_a_deleted_event(cluster):
    cluster.kubectl("run web --image=nginx")
    cluster.settle()
    cluster.kubectl("delete pod web --wait=false")
    events = [line.split()[0] for line in cluster.kubectl("get pods -w --output-watch-events").stdout.splitlines()]
    assert events[0] == "EVENT" and events[-1] == "DELETED"


def test_request_timeout_stops_the_watch_after_that_much_simulated_time(cluster):
    cluster.kubectl("run crash --image=busybox -- sh -c 'exit 1'")  # restarts forever: never quiet
    start = cluster.now
    cluster.kubectl("get pods -w --request-timeout=7s")
    assert cluster.now - start == pytest.approx(7)


def test_a_crash_looping_pod_is_followed_through_its_back_off_with_a_request_timeout(cluster):
    cluster.kubectl("run crash --image=busybox -- sh -c 'exit 1'")
    quiet = cluster.kubectl("get pods -w").stdout  # stops once only back-off timers are left
    followed = cluster.kubectl("get pods -w --request-timeout=60s").stdout
    # the sync that found the second crash wrote Error; CrashLoopBackOff comes with its next look
    assert quiet.splitlines()[-1].split()[2:4] == ["Error", "1"]
    assert [line.split()[2:4] for line in followed.splitlines()[-2:]] == [["Error", "3"], ["CrashLoopBackOff", "3"]]


@pytest.mark.parametrize("batches, expected", [
    ([["A\tB\tC", "x\ty\tz"]], ["A     B     C", "x     y     z"]),
    ([["A\tB\tC"], ["longer-name\ty\tz"], ["x\ty\tz"]],
     ["A     B     C", "longer-name   y     z", "x             y     z"]),
    ([["a\tb"], ["a\tb"]], ["a     b", "a     b"]),
], ids=["one flush aligns as a plain tabwriter (minimum width 6, padding 3)",
        "a wider cell widens its column for that line and every later one, not the earlier",
        "short cells keep the minimum width"])
def test_remembering_tabwriter(batches, expected):
    w = RememberingTabwriter()
    assert "".join(w.render(b) for b in batches).splitlines() == expected
