"""A deleted pod's sidecars with preStop hooks.

Upstream v1.32 killContainer (pkg/kubelet/kuberuntime/kuberuntime_container.go) runs a container's
preStop hook first (executePreStopHook, taking its whole seconds off the grace period) and only
then waits for the container's turn (terminationOrdering.waitForTurn,
kuberuntime_termination_order.go), taking that wait off too, at least 2 s left
(minimumGracePeriodInSeconds). So a sidecar's hook runs at once, beside the app's shutdown, and a
hook that ends within the grace period has not failed.
"""

import pytest

from k8slearn import Cluster

SLEEPY_PROXY = {"name": "proxy", "image": "busybox", "restartPolicy": "Always",
                "command": ["sh", "-c", "sleep 1000"], "lifecycle": {"preStop": {"sleep": {"seconds": 5}}}}
DRAINING_SHIPPER = {"name": "shipper", "image": "nginx", "restartPolicy": "Always",
                    "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "sleep 3"]}}}}
STUBBORN_APP = {"name": "app", "image": "busybox", "command": ["sh", "-c", "sleep 1000"]}  # ignores SIGTERM
QUICK_APP = {"name": "app", "image": "nginx"}


def delete_and_watch(init: list, app: dict) -> tuple[list[tuple[float, str, str]], list[str]]:
    """Create pod ``web`` on a 1-worker cluster, delete it (grace 30 s) and return its
    StopContainer calls (seconds after the delete, container, grace) and the reasons of the pod's
    events (nothing was killed before the delete)."""
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                        "spec": {"initContainers": init, "containers": [app]}})
    cluster.settle()
    since = cluster.now
    cluster.kubectl("delete pod web --wait=false")
    cluster.run(60)
    assert cluster.api.list("pods", namespace="default") == []
    stops = []
    for step in cluster.trace:
        if step.action == "StopContainer" and step.time >= since:
            _, _, name, grace, _ = step.detail.split()
            stops.append((round(step.time - since, 1), name.rstrip(","), grace))
    reasons = [e["reason"] for e in cluster.api.list("events", namespace="default")
               if e["involvedObject"]["kind"] == "Pod"]
    return stops, reasons


@pytest.mark.parametrize(
    "init, app, expected",
    [
        pytest.param([SLEEPY_PROXY, DRAINING_SHIPPER], STUBBORN_APP,
                     [(0.0, "app", "30s"), (30.0, "shipper", "2s"), (30.0, "proxy", "2s")],
                     id="hooks that end while the app still stops leave the sidecars 2 s after the grace period"),
        pytest.param([SLEEPY_PROXY], QUICK_APP, [(0.0, "app", "30s"), (5.0, "proxy", "25s")],
                     id="a sidecar whose app stopped at once gets SIGTERM when its hook ends"),
    ],
)
def test_a_sidecars_pre_stop_hook_runs_at_once_and_its_turn_comes_after(init, app, expected):
    stops, reasons = delete_and_watch(init, app)
    assert stops == expected
    assert "FailedPreStopHook" not in reasons  # the exec hook's 3 s ended well within the grace period
    assert reasons.count("Killing") == 1 + len(init)
