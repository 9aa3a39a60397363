"""crictl's filters: what a node's runtime holds, narrowed as crictl narrows it."""

import pytest

from k8slearn import Cluster


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx:1.27")
    c.kubectl("run crash --image=busybox:1.36 -- sh -c 'exit 1'")
    c.kubectl("run other --image=nginx:1.27 -n kube-system")
    c.settle()
    c.run(30)
    return c


def names(output: str, column: int) -> list[str]:
    """The NAME column, counted from the end (CREATED, "30 seconds ago", has spaces)."""
    return sorted({line.split()[column] for line in output.splitlines()[1:]})


@pytest.mark.parametrize("command, column, expected", [
    ("ps", -5, ["other", "web"]),
    ("ps --state exited", -5, ["crash"]),
    ("ps --name web", -5, ["web"]),
    ("ps -a --name=^cr", -5, ["crash"]),
    ("ps --namespace kube", -5, ["other"]),
    ("pods --name web", -4, ["web"]),
    ("pods --namespace default", -4, ["crash", "web"]),
    ("pods --state notready", -4, []),
], ids=["ps lists running containers", "a --state shows the exited ones", "--name is a regular expression",
        "with -a too", "--namespace filters by the pod's namespace", "pods --name",
        "pods --namespace", "pods --state notready"])
def test_filters_narrow_the_listing(cluster, command, column, expected):
    assert names(cluster.crictl("node-1", command), column) == expected


def test_a_pod_id_prefix_selects_that_pod_s_containers(cluster):
    pod_id = cluster.crictl("node-1", "pods -q --name web").split()[0]
    assert names(cluster.crictl("node-1", f"ps --pod {pod_id[:6]}"), -5) == ["web"]


@pytest.mark.parametrize("command, answer", [
    ("ps --state bogus", "FATA[0000] --state should be one of created, running, exited or unknown\n"),
    ("ps -o json", "k8slearn: crictl option -o is not simulated (-a, -q, --name, --state, --pod, --namespace "
                   "and --id are)\n"),
    ("ps --name", "flag needs an argument: --name\n"),
    ("logs", "k8slearn: crictl logs needs a container ID (crictl ps -a lists them)\n"),
], ids=["an unknown state", "an option not simulated says so", "a filter needs its value", "logs needs an ID"])
def test_what_crictl_cannot_do_is_said(cluster, command, answer):
    assert cluster.crictl("node-1", command) == answer
