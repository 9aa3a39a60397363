"""Log entries shared between containers read exactly as entries of their own."""

import pytest

from k8slearn import Cluster
from k8slearn.kubelet import task


def _pod(name, command):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "c", "image": "busybox", "command": command}]}}


def logs(share, command, monkeypatch):
    """Each container's log entries, and its log text, for two pods on one node and one on another."""
    with monkeypatch.context() as m:
        if not share:
            m.setattr(task, "_log_entry", lambda now, lines: (now, lines))  # the plain computation
        task._ENTRIES.clear()
        cluster = Cluster(workers=2, seed=0)
        for name in ("a", "b", "c"):
            cluster.api.create(_pod(name, command))
        cluster.settle()
        cluster.run(3.0)
        records = sorted((c for k in cluster.kubelets.values() for c in k.runtime.containers.values()),
                         key=lambda c: c.pod_name)
        return [(r.pod_name, list(r.logs), k.runtime.logs(r.id)) for r in records
                for k in cluster.kubelets.values() if r.id in k.runtime.containers]


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["sh", "-c", "echo hello; sleep 3600"], id="one line printed at start"),
        pytest.param(["sh", "-c", "echo a; echo b; sleep 1; echo c; sleep 3600"], id="lines at two instants"),
        pytest.param(["sh", "-c", "while true; do echo tick; sleep 1; done"], id="a loop printing every second"),
    ],
)
def test_shared_entries_read_as_entries_of_their_own(command, monkeypatch):
    shared, plain = logs(True, command, monkeypatch), logs(False, command, monkeypatch)
    assert shared == plain and all(text for _, _, text in shared)


def test_two_containers_printing_at_one_instant_share_the_entry():
    task._ENTRIES.clear()
    one, two = task._log_entry(1.5, ("x",)), task._log_entry(1.5, ("x",))
    assert one is two and task._log_entry(1, ("x",)) is not one and task._log_entry(1, ("x",))[0].__class__ is int


def test_logs_with_timestamps_give_nine_fraction_digits_as_the_kubelet_writes_them():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl('run t --image=busybox:1.36 -- sh -c "echo one; sleep 3600"')
    c.settle()
    stamp, line = c.kubectl("logs t --timestamps").stdout.split()
    assert (len(stamp), stamp[19], stamp[-1], line) == (30, ".", "Z", "one")  # 2026-01-05T09:00:00.877550000Z
