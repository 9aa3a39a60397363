"""Tools the images have but the simulation does not run say so, instead of 'not found' or silence."""

import pytest

from k8slearn import Cluster


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0)
    c.kubectl("run idp --image=busybox:1.36 --restart=Never -- id")
    c.kubectl("run box --image=busybox:1.36 -- sleep 3600")
    c.kubectl("run web --image=nginx:1.27")
    c.settle()
    c.run(3)
    return c


def test_a_busybox_applet_run_as_the_command_logs_that_it_is_not_simulated(cluster):
    assert cluster.kubectl("logs idp").stdout == (
        "k8slearn: this command is not simulated ('id' is not modelled): the container runs on without running it\n")


@pytest.mark.parametrize("pod", ["box", "web"], ids=["BusyBox has tr", "Debian's coreutils have tr"])
def test_a_tool_the_image_has_is_not_simulated_rather_than_not_found(cluster, pod):
    result = cluster.kubectl(f"exec {pod} -- sh -c 'echo a | tr a b'")
    assert result.code == 1
    assert result.stderr.startswith("k8slearn: 'tr' is not simulated; the simulated containers run ")
    assert "not found" not in result.stdout + result.stderr
