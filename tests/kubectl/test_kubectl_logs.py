"""kubectl logs in a running simulated cluster: --previous and --follow."""

import pytest

from k8slearn import Cluster


@pytest.fixture
def cluster():
    c = Cluster(workers=1, seed=1)
    c.settle()
    return c


@pytest.mark.parametrize("command, expected", [
    ("logs crash", 'Error from server (BadRequest): container "crash" in pod "crash" is waiting to start: '
                   "CrashLoopBackOff\n"),
    ("logs crash -p", "starting\n"),
    ("logs crash --previous --tail=0", ""),
], ids=["a crash-looping container's current run has not started",
        "--previous shows the run that crashed",
        "--tail=0 shows nothing of it"])
def test_previous_shows_the_last_terminated_run(cluster, command, expected):
    cluster.kubectl("run crash --image=busybox -- sh -c 'echo starting; exit 1'")
    cluster.run(30)  # the second crash was at 12 s; the next look, 10 to 15 s later, shows CrashLoopBackOff
    assert str(cluster.kubectl(command)) == expected


def test_previous_of_a_container_that_never_restarted(cluster):
    cluster.kubectl("run web --image=nginx")
    cluster.settle()
    assert str(cluster.kubectl("logs web -p")) == (
        'Error from server (BadRequest): previous terminated container "web" in pod "web" not found\n')


def test_follow_waits_for_the_container_to_finish(cluster):
    cluster.kubectl("run once --image=busybox --restart=Never -- sh -c 'echo a; sleep 3; echo b'")
    cluster.run(1.5)
    assert str(cluster.kubectl("logs once")) == "a\n"
    start = cluster.now
    assert str(cluster.kubectl("logs once -f")) == "a\nb\n"
    assert 1 < cluster.now - start < 3
