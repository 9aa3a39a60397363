"""rollout undo --dry-run: a preview of the rollback that changes nothing."""

import pytest

from k8slearn import Cluster

DAEMONSET = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
      - {name: agent, image: "busybox:1.36", command: ["sleep", "3600"]}
"""


def _rolled(kind):
    c = Cluster(workers=2, seed=0)
    if kind == "deploy":
        c.kubectl("create deployment web --image=nginx:1.26 --replicas=2")
        c.settle()
        c.kubectl("set image deploy/web nginx=nginx:1.27")
    else:
        c.kubectl("apply -f -", stdin=DAEMONSET)
        c.settle()
        c.kubectl("set image ds/agent agent=busybox:1.37")
    c.settle()
    return c


@pytest.mark.parametrize("kind, target, first_line, image", [
    ("deploy", "deploy/web", "deployment.apps/web Pod Template:", "nginx:1.27"),
    ("ds", "ds/agent", "daemonset.apps/agent will roll back to Pod Template:", "busybox:1.37"),
], ids=["a Deployment's client dry run prints the old template", "a DaemonSet's says it will roll back to it"])
def test_client_dry_run_prints_the_template_and_changes_nothing(kind, target, first_line, image):
    c = _rolled(kind)
    result = c.kubectl(f"rollout undo {target} --dry-run=client")
    lines = result.stdout.splitlines()
    assert (lines[0], lines[-1], result.code) == (first_line, " (dry run)", 0)
    assert any("Image:\t" in line and image not in line for line in lines)  # the previous image
    assert c.kubectl(f"get {target} -o jsonpath={{.spec.template.spec.containers[0].image}}").stdout == image


@pytest.mark.parametrize("kind, target, image", [("deploy", "deploy/web", "nginx:1.27"),
                                                 ("ds", "ds/agent", "busybox:1.37")],
                         ids=["a Deployment", "a DaemonSet"])
def test_server_dry_run_is_checked_by_the_server_and_stored_nowhere(kind, target, image):
    c = _rolled(kind)
    result = c.kubectl(f"rollout undo {target} --dry-run=server")
    assert result.stdout.endswith(" rolled back (server dry run)\n") and result.code == 0
    c.settle()
    assert c.kubectl(f"get {target} -o jsonpath={{.spec.template.spec.containers[0].image}}").stdout == image
