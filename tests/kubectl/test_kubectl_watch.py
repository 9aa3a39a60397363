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


# --- a node fails while the watch runs: it follows the story to its end ------------------------------

def web_on_three_workers():
    """A Deployment of 3 on 3 workers, one pod each, and the name of the pod on node-1."""
    c = Cluster(workers=3, seed=0)
    c.settle()
    c.kubectl("create deployment web --image=nginx --replicas=3")
    c.settle()
    victim = next(p["metadata"]["name"] for p in c.api.list("pods") if p["spec"]["nodeName"] == "node-1")
    return c, victim


def rows(stdout):
    """The watch's lines after its header, as lists of cells."""
    return [line.split() for line in stdout.splitlines()[1:]]


@pytest.mark.parametrize("command, name_at", [
    ("get pods -w", 0),
    ("get pods -w -o wide", 0),
    ("get pods -w -o wide --output-watch-events", 1),
], ids=["the table", "the wide table", "the wide table with the EVENT column"])
def test_after_a_node_stops_the_pod_watch_follows_it_until_the_replacement_runs(command, name_at):
    c, victim = web_on_three_workers()
    c.stop_node("node-1")
    start = c.now
    lines = rows(c.kubectl(command).stdout)[3:]  # after the list of the three running pods
    story = [("old" if cells[name_at] == victim else "new", *cells[name_at + 1:name_at + 3],
              cells[name_at + 4]) for cells in lines]
    assert story == [
        ("old", "1/1", "Running", "60s"),        # node NotReady: MarkPodsNotReady (READY counts containers)
        ("old", "1/1", "Running", "6m5s"),       # 300 s after the NoExecute taint: DisruptionTarget condition
        ("old", "1/1", "Terminating", "6m5s"),   # then the delete; the kubelet is off, so it stays
        ("new", "0/1", "Pending", "0s"),         # the ReplicaSet's replacement
        ("new", "0/1", "Pending", "0s"),         # bound to node-2 or node-3
        ("new", "0/1", "ContainerCreating", "0s"),
        ("new", "1/1", "Running", "1s"),
    ]
    assert 360 < c.now - start < 370 and c.loop.pending == 0  # the clock stopped at the last change
    if name_at:
        assert [cells[0] for cells in lines] == ["MODIFIED"] * 3 + ["ADDED"] + ["MODIFIED"] * 3


def test_the_watch_keeps_the_widths_it_had_when_a_longer_status_comes():
    c, victim = web_on_three_workers()
    c.stop_node("node-1")
    out = c.kubectl("get pods -w").stdout.splitlines()
    assert out[0] == "NAME                   READY   STATUS    RESTARTS   AGE"
    assert out[4:7] == [f"{victim}   1/1     Running   0          60s",
                        f"{victim}   1/1     Running   0          6m5s",
                        f"{victim}   1/1     Terminating   0          6m5s"]
    assert out[-1].endswith("   1/1     Running             0          1s")


def test_get_nodes_w_shows_the_node_going_not_ready_and_ready_again_after_it_starts():
    c, _ = web_on_three_workers()
    c.stop_node("node-1")
    failing = [cells[1:3] for cells in rows(c.kubectl("get nodes -w").stdout)[4:] if cells[0] == "node-1"]
    assert failing == [["NotReady", "<none>"]] * 3  # conditions Unknown, taint NoSchedule, taint NoExecute
    c.start_node("node-1")
    start = c.now
    watched = rows(c.kubectl("get nodes -w --watch-only").stdout)
    recovering = [cells[1] for cells in watched if cells[0] == "node-1"]
    assert recovering == [
        "NotReady",  # the kubelet's first status: KubeletNotReady
        "Ready",     # KubeletReady
        "Ready",     # the unreachable:NoSchedule taint goes: the condition is no longer Unknown
        "Ready",     # the unreachable:NoExecute taint goes at the node lifecycle controller's next check
    ]
    assert c.api.get("nodes", "node-1", None)["spec"].get("taints") is None
    assert c.now - start < 10


@pytest.mark.parametrize("stopped, waited", [
    (["control-plane"], (0, 0)),                # kube-controller-manager went with it: no one will look
    (["node-1", "node-2", "node-3"], (55, 70)),  # 3 of 4 nodes: a disrupted zone is marked, never tainted
], ids=["nothing is waited for when no kube-controller-manager runs",
        "a disrupted zone is waited for until its nodes are NotReady, not for taints that never come"])
def test_the_watch_waits_only_for_changes_that_will_come(stopped, waited):
    c, _ = web_on_three_workers()
    for name in stopped:
        c.stop_node(name)
    start = c.now
    c.kubectl("get nodes -w")
    assert waited[0] <= c.now - start <= waited[1]


def test_the_watch_looks_at_the_nodes_without_leaving_requests_in_the_trace():
    c, _ = web_on_three_workers()
    c.stop_node("node-1")
    mark = len(c.trace)
    c.kubectl("get pods -w")
    kubectl = [(s.action, s.object) for s in c.trace[mark:] if s.component == "kubectl"]
    assert kubectl[:3] == [("list", "pods"), ("list", "pods"), ("watch", "pods")]  # get, then the watch
    assert not [step for step in kubectl if "node" in step[1]]
