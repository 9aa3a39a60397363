"""What a student's experiments must not change: the rest of a chapter prints the same."""

import pytest

import k8slearn


def _later_pods(extra):
    c = k8slearn.Cluster(workers=2, seed=0)
    c.kubectl("run bb --image=busybox:1.36 -- sleep 3600")
    c.settle()
    results = [c.kubectl(command) for command in extra]
    c.kubectl("create deployment d --image=nginx:1.27 --replicas=2")
    c.settle()
    return c.kubectl("get pods -o wide").stdout, results


@pytest.mark.parametrize("command", [
    pytest.param("exec bb -- nosuch", id="a mistyped command in kubectl exec changes no later name or node"),
    pytest.param("exec bb -- echo hi", id="a command that runs changes no later name or node"),
])
def test_an_exec_leaves_the_seeded_randomness_alone(command):
    before, _ = _later_pods([])
    after, (result,) = _later_pods([command])
    assert after == before
    assert result.code in (0, 1)


def test_each_failed_exec_has_its_own_id():
    _, results = _later_pods(["exec bb -- nosuch", "exec bb -- nosuch"])
    ids = [r.stderr.split('failed to start exec "')[1].split('"')[0] for r in results]
    assert len(set(ids)) == 2 and all(len(i) == 64 for i in ids)
