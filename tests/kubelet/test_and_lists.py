"""A container's ``sh -c`` script with ``&&`` (an AND list, POSIX XCU 2.9.3): the command after
``&&`` runs only if the one before it succeeded, and the list's status is the last command run;
``false`` sets the status and the script goes on.

The failing commands are tools the process model runs in the container (``cat``, ``ls``,
``grep``, ``wget``: k8slearn.kubelet.process's ``and`` step, run by k8slearn.kubelet.task).
"""

import pytest

from k8slearn import Cluster


@pytest.fixture(scope="module")
def finished():
    """name -> (exit code, log) of one pod per script, each run to its end on one node."""
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    for name, script in SCRIPTS.items():
        cluster.api.create({
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"restartPolicy": "Never",
                     "containers": [{"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", script]}]},
        })
    cluster.settle()
    cluster.run(seconds=5)
    result = {}
    for name in SCRIPTS:
        state = cluster.api.get("pods", name)["status"]["containerStatuses"][0]["state"]
        result[name] = (state["terminated"]["exitCode"], cluster.kubectl(f"logs {name}").stdout)
    return result


MISSING = "cat: can't open '/missing': No such file or directory\n"
SCRIPTS = {
    "and-fails": "cat /missing && echo ok",
    "and-succeeds": "cat /etc/hostname && echo ok",
    "and-then-more": "ls /nope && echo ok; echo next",
    "and-chain": "cat /etc/hostname && cat /missing && echo never",
    "and-exit": "cat /etc/hostname && exit 3; echo never",
    "and-exit-skipped": "cat /missing && exit 3; echo reached",
    "false-goes-on": "false; echo hi",
    "false-last": "echo hi; false",
    "sequence": "cat /missing; echo done",
}


@pytest.mark.parametrize("name, code, log", [
    pytest.param("and-fails", 1, MISSING, id="what follows && does not run after a failure, whose status the script ends with"),
    pytest.param("and-succeeds", 0, "and-succeeds\nok\n", id="what follows && runs after a success"),
    pytest.param("and-then-more", 0, "ls: /nope: No such file or directory\nnext\n",
                 id="a command after the list's ; runs either way"),
    pytest.param("and-chain", 1, "and-chain\n" + MISSING, id="a chain stops at its first failure"),
    pytest.param("and-exit", 3, "and-exit\n", id="an exit in the list ends the script"),
    pytest.param("and-exit-skipped", 0, MISSING + "reached\n", id="an exit the list skips does not"),
    pytest.param("false-goes-on", 0, "hi\n", id="false sets the status and the script goes on"),
    pytest.param("false-last", 1, "hi\n", id="a script that ends with false exits 1"),
    pytest.param("sequence", 0, MISSING + "done\n", id="a failure followed by ; does not end the script"),
])
def test_an_and_list_in_a_containers_script(finished, name, code, log):
    assert finished[name] == (code, log)
