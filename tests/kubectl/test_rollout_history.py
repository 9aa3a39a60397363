"""kubectl rollout history | undo | pause | resume against a live Deployment."""

import pytest

from k8slearn import Cluster


@pytest.fixture
def rolled():
    cluster = Cluster(workers=2, seed=0)
    cluster.kubectl("create deployment web --image=nginx:1.26 --replicas=2")
    cluster.kubectl("rollout status deployment/web")
    cluster.kubectl("set image deployment/web nginx=nginx:1.27")
    cluster.kubectl("rollout status deployment/web")
    return cluster


def image(cluster):
    return cluster.api.get("deployments", "web")["spec"]["template"]["spec"]["containers"][0]["image"]


def test_history_lists_one_revision_per_template(rolled):
    assert rolled.kubectl("rollout history deployment/web").stdout == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")


def test_history_of_one_revision_shows_its_pod_template(rolled):
    out = rolled.kubectl("rollout history deployment/web --revision=1").stdout
    assert out.startswith("deployment.apps/web with revision #1\nPod Template:\n")
    assert "    Image:\tnginx:1.26\n" in out


def test_undo_goes_back_to_the_previous_template_which_becomes_the_newest_revision(rolled):
    assert rolled.kubectl("rollout undo deployment/web").stdout == "deployment.apps/web rolled back\n"
    rolled.kubectl("rollout status deployment/web")
    assert image(rolled) == "nginx:1.26"
    assert rolled.kubectl("rollout history deployment/web").stdout.splitlines()[2:4] == [
        "2         <none>", "3         <none>"]


@pytest.mark.parametrize(
    "commands, stdout, stderr",
    [
        (["rollout pause deployment/web"], "deployment.apps/web paused\n", ""),
        (["rollout pause deployment/web", "rollout pause deployment/web"], "",
         'error: deployments.apps "web" is already paused\n'),
        (["rollout resume deployment/web"], "", 'error: deployments.apps "web" is not paused\n'),
        (["rollout undo deployment/web --to-revision=9"], "",
         "error: unable to find specified revision 9 in history\n"),
        (["rollout history deployment/nope"], "", 'Error from server (NotFound): deployments.apps "nope" not found\n'),
    ],
    ids=["pausing a deployment says paused", "pausing twice is an error", "resuming a running one is an error",
         "undo to a revision that never existed is an error", "a missing deployment is NotFound"],
)
def test_pause_resume_and_errors(rolled, commands, stdout, stderr):
    for command in commands[:-1]:
        rolled.kubectl(command)
    result = rolled.kubectl(commands[-1])
    assert (result.stdout, result.stderr) == (stdout, stderr)


def test_a_paused_deployment_does_not_roll_out_until_resumed(rolled):
    rolled.kubectl("rollout pause deployment/web")
    rolled.kubectl("set image deployment/web nginx=nginx:1.28")
    rolled.settle()
    assert {rs["spec"]["template"]["spec"]["containers"][0]["image"] for rs in rolled.api.list("replicasets")
            if rs["spec"]["replicas"]} == {"nginx:1.27"}
    rolled.kubectl("rollout resume deployment/web")
    rolled.kubectl("rollout status deployment/web")
    assert {rs["spec"]["template"]["spec"]["containers"][0]["image"] for rs in rolled.api.list("replicasets")
            if rs["spec"]["replicas"]} == {"nginx:1.28"}


DAEMONSET = """apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: nginx:1.26}]}
"""


def test_a_daemonset_rolls_back_as_the_perform_a_rollback_task_shows():
    cluster = Cluster(workers=2, seed=0)
    cluster.kubectl("apply -f -", stdin=DAEMONSET)
    cluster.settle()
    assert cluster.kubectl("rollout undo daemonset/agent").stderr == "error: no last revision to roll back to\n"
    cluster.kubectl("set image ds/agent agent=nginx:1.27")
    cluster.settle()
    assert cluster.kubectl("rollout history daemonset/agent").stdout == (
        "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    first = cluster.kubectl("rollout history daemonset/agent --revision=1").stdout
    assert first.startswith("daemonset.apps/agent with revision #1\nPod Template:\n") and "Image:\tnginx:1.26" in first
    assert cluster.kubectl("rollout undo daemonset/agent").stdout == "daemonset.apps/agent rolled back\n"
    cluster.settle()
    images = {p["spec"]["containers"][0]["image"] for p in cluster.api.list("pods", "default")}
    assert images == {"nginx:1.26"}
    assert cluster.kubectl("rollout history ds/agent").stdout.splitlines()[2:4] == ["2         <none>", "3         <none>"]
    assert cluster.kubectl("rollout undo ds/agent --to-revision=3").stdout == (
        "daemonset.apps/agent skipped rollback (current template already matches revision 3)\n")


_REPLICA_SET = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "x", "namespace": "default"},
               "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "x"}},
                        "template": {"metadata": {"labels": {"app": "x"}},
                                     "spec": {"containers": [{"name": "x", "image": "nginx"}]}}}}


@pytest.mark.parametrize("command, stderr", [
    ("rollout history pod/x", 'error: no history viewer has been implemented for "Pod"\n'),
    ("rollout undo replicaset/x", 'error: no rollbacker has been implemented for "ReplicaSet.apps"\n'),
], ids=["a pod has no history, its kind quoted as Go's %q", "a ReplicaSet cannot be rolled back, its group named"])
def test_kinds_without_history_say_so_as_kubectl_does(command, stderr):
    # (the builder reads the object first: a missing one is the server's NotFound, as with kubectl)
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("run x --image=nginx")
    cluster.api.create(_REPLICA_SET)
    assert cluster.kubectl(command).stderr == stderr


def test_rollout_restart_refuses_kinds_it_cannot_restart_and_a_paused_deployment():
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("run b --image=nginx")
    cluster.kubectl("create deployment web --image=nginx")
    cluster.settle()
    assert cluster.kubectl("rollout restart pod/b").stderr == 'error: pods "b" restarting is not supported\n'
    cluster.kubectl("rollout pause deployment/web")
    assert cluster.kubectl("rollout restart deployment/web").stderr == (
        'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n')
    cluster.kubectl("rollout resume deployment/web")
    assert cluster.kubectl("rollout restart deployment/web").stdout == "deployment.apps/web restarted\n"
