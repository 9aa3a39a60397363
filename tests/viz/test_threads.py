"""Two threads at one cluster: what ipykernel 7 does on a double click (each click in its own thread).

The panels' kernel-wide lock drops a click that arrives while an action runs; the cluster's own
lock makes two threads that step it take turns. Both are tested with real threads.
"""

import sys
import threading

import pytest

from k8slearn import Cluster

pytest.importorskip("ipywidgets")

from k8slearn.viz.controllers_view import RolloutChart, record_rollout  # noqa: E402
from k8slearn.viz.widgets import ClusterView  # noqa: E402


def web_cluster():
    cluster = Cluster(workers=3, seed=0)
    cluster.kubectl("create deployment web --image=nginx:1.26 --replicas=4")
    cluster.settle()
    return cluster


@pytest.fixture
def fast_switching():
    """Switch threads as often as a busy kernel would, so unguarded steps would interleave."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(old)


def etcd_revisions(cluster):
    return [int(s.detail.split()[1]) for s in cluster.trace
            if s.component == "etcd" and s.action in ("put", "delete") and s.detail.startswith("revision ")]


def replica_sets(cluster):
    return sorted((rs["spec"]["template"]["spec"]["containers"][0]["image"], rs["spec"]["replicas"],
                   rs["status"].get("readyReplicas", 0)) for rs in cluster.api.list("replicasets"))


def test_a_click_while_another_action_runs_is_dropped_and_time_advances_once():
    cluster = Cluster(workers=1, seed=0)
    view = ClusterView(cluster)
    start = cluster.now
    running, release = threading.Event(), threading.Event()

    def run_slowly():
        running.set()
        release.wait(10)
        return view._run()

    first = threading.Thread(target=view.perform, args=("Run 10 s", run_slowly))
    first.start()
    assert running.wait(10)
    second = view.perform("Run 10 s", view._run)          # the second click of the double click
    release.set()
    first.join(10)
    assert second == "Run 10 s ignored: another action is still running."
    assert cluster.now == start + 10
    assert "Ran 10 simulated seconds: t = 10.0 s." in view.status.value
    assert not any(b.disabled for b in view.buttons.values())


def test_a_double_click_on_roll_out_runs_one_rollout_and_leaves_the_cluster_consistent(fast_switching):
    cluster = web_cluster()
    chart = RolloutChart(cluster, "web", record_rollout(cluster, "web", image="nginx:1.27", step=0.25))
    chart.widget  # noqa: B018 - the panel and its button
    chart.target.value = "nginx:1.28"
    both = threading.Barrier(2)

    def click():
        both.wait()
        chart.buttons["Roll out"].click()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for t in clicks:
        t.start()
    for t in clicks:
        t.join(60)
    assert "Rolled out nginx:1.28 in 4.1 s (23 samples)." in chart.status.value   # the real rollout, not a no-op
    assert len(chart.samples) == 23
    cluster.run(30)
    assert replica_sets(cluster) == [("nginx:1.26", 0, 0), ("nginx:1.27", 0, 0), ("nginx:1.28", 4, 4)]
    revisions = etcd_revisions(cluster)
    assert revisions == sorted(set(revisions)), "every etcd write got a new, higher revision"


def test_two_threads_rolling_out_at_once_take_turns_on_the_cluster(fast_switching):
    cluster = web_cluster()
    errors = []

    def roll(image):
        try:
            record_rollout(cluster, "web", image=image, step=0.25)
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(repr(exc))

    threads = [threading.Thread(target=roll, args=(image,)) for image in ("nginx:1.27", "nginx:1.28")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    cluster.run(30)                        # raised IndexError from etcd before the cluster had its lock
    images = [image for image, replicas, ready in replica_sets(cluster) if replicas == ready == 4]
    assert len(images) == 1 and images[0] in ("nginx:1.27", "nginx:1.28")
    revisions = etcd_revisions(cluster)
    assert revisions == sorted(set(revisions))


def test_a_thread_that_steps_the_cluster_waits_while_another_holds_its_lock():
    cluster = Cluster(workers=1, seed=0)
    start = cluster.now
    with cluster.lock:
        runner = threading.Thread(target=cluster.run, args=(5,))
        runner.start()
        runner.join(0.3)
        assert runner.is_alive() and cluster.now == start
    runner.join(10)
    assert cluster.now == start + 5
