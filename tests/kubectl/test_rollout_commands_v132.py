"""kubectl rollout status | pause | resume | undo | history | restart as kubectl v1.32 runs them.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/rollout/rollout_status.go (UntilWithSync prints the
status viewer's line for every Added/Modified event, a Deleted event is "object has been deleted",
len(infos) != 1 is refused with the count), polymorphichelpers/rollout_status.go (the --revision
check of DeploymentStatusViewer), rollout_pause.go, rollout_resume.go, rollout_restart.go (r.Infos()
then CalculatePatches, errors aggregated; an empty restart patch is reported and not sent),
rollout_undo.go and rollout_history.go (r.Visit with ContinueOnError).
"""

import pytest

from k8slearn import Cluster

W = 'Waiting for deployment "web" rollout to finish: '


def test_rollout_status_prints_the_viewer_line_for_every_watch_event_repeats_included():
    c = Cluster(workers=3, seed=0)
    c.settle()
    c.kubectl("create deployment web --image=nginx:1.26 --replicas=4")
    c.run(seconds=30)
    c.kubectl("set image deployment/web nginx=nginx:1.27")
    result = c.kubectl("rollout status deployment/web")
    assert (result.stderr, result.code) == ("", 0)
    assert result.stdout.splitlines() == [
        "Waiting for deployment spec update to be observed...",  # the list: the spec is not yet observed
        "Waiting for deployment spec update to be observed...",  # the controller's revision annotation
        W + "0 out of 4 new replicas have been updated...",
        W + "1 out of 4 new replicas have been updated...",
        W + "1 out of 4 new replicas have been updated...",
        *[W + "2 out of 4 new replicas have been updated..."] * 5,
        *[W + "3 out of 4 new replicas have been updated..."] * 3,
        *[W + "1 old replicas are pending termination..."] * 3,
        W + "3 of 4 updated replicas are available...",
        'deployment "web" successfully rolled out',
    ]
    assert c.api.get("deployments", "web")["status"]["updatedReplicas"] == 4  # (ended with the rollout)


def test_rollout_status_timeout_is_a_deadline_on_the_simulated_clock():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx:1.26")
    c.settle()
    c.kubectl("set image deployment/web nginx=nginx:nope")
    start = c.now
    result = c.kubectl("rollout status deployment/web --timeout=5s")
    assert (result.stderr, result.code) == ("error: timed out waiting for the condition\n", 1)
    assert result.stdout.splitlines()[-1] == W + "1 old replicas are pending termination..."
    assert c.now - start == 5.0


def test_rollout_status_of_an_object_deleted_while_it_waits_says_object_has_been_deleted():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx:1.26 --replicas=2")
    c.settle()
    c.kubectl("set image deployment/web nginx=nginx:nope")
    c.loop.call_later(5, lambda: c.api.delete("deployments", "web", "default"))
    result = c.kubectl("rollout status deployment/web")
    assert (result.stderr, result.code) == ("error: object has been deleted\n", 1)
    assert result.stdout.splitlines()[-1] == W + "1 out of 2 new replicas have been updated..."


def _two_deployments() -> Cluster:
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx:1.26")
    c.kubectl("create deployment api --image=nginx:1.26")
    c.settle()
    return c


ROLLED = 'deployment "web" successfully rolled out\n'
NEGATIVE = "error: revision must be a positive integer: -1\n"
REQUIRED = "error: required resource not specified\n"

TOO_SOON = ("failed to create patch for web: if restart has already been triggered within the past second, "
            "please wait before attempting to trigger another")

CASES = [
    # (sentence, commands before, command, stdout, stderr, exit code)
    ("status of a bare type works when exactly one object matches",
     ["delete deployment api"], "rollout status deployment", ROLLED, "", 0),
    ("status with a label selector works when exactly one object matches",
     [], "rollout status deployment -l app=web", ROLLED, "", 0),
    ("status of a bare type with two objects reports each one in turn",
     [], "rollout status deployment", 'deployment "api" successfully rolled out\n' + ROLLED, "", 0),
    ("status with a selector that matches nothing says so and succeeds",
     [], "rollout status deployment -l app=none", "", "No resources found in default namespace.\n", 0),
    ("status of two types with a selector watches every object that matches",
     [], "rollout status deployment,daemonset -l app=web", ROLLED, "", 0),
    ("status of a missing object is the server's NotFound",
     [], "rollout status deployment/nope", "",
     'Error from server (NotFound): deployments.apps "nope" not found\n', 1),
    ("status --revision of the running revision reports the rollout",
     [], "rollout status deployment/web --revision=1", ROLLED, "", 0),
    ("status --revision of another revision is refused as DeploymentStatusViewer refuses it",
     [], "rollout status deployment/web --revision=2", "",
     "error: desired revision (2) is different from the running revision (1)\n", 1),
    ("status --revision below zero fails validation",
     [], "rollout status deployment/web --revision=-1", "", NEGATIVE, 1),
    ("status --watch=false prints the first line only",
     ["set image deployment/web nginx=nginx:1.27"], "rollout status deployment/web --watch=false",
     "Waiting for deployment spec update to be observed...\n", "", 0),
    ("pause takes several TYPE/NAME arguments",
     [], "rollout pause deployment/web deployment/api",
     "deployment.apps/web paused\ndeployment.apps/api paused\n", "", 0),
    ("resume takes TYPE NAME NAME",
     ["rollout pause deployment/web deployment/api"], "rollout resume deployment web api",
     "deployment.apps/web resumed\ndeployment.apps/api resumed\n", "", 0),
    ("pause with a label selector pauses the matching objects",
     [], "rollout pause deployment -l app=web", "deployment.apps/web paused\n", "", 0),
    ("pause of a bare type pauses every object and reports the already paused one last",
     ["rollout pause deployment/web"], "rollout pause deployment", "deployment.apps/api paused\n",
     'error: deployments.apps "web" is already paused\n', 1),
    ("pause reports a missing object first, then each object that cannot be paused, without a prefix",
     ["rollout pause deployment/web deployment/api"], "rollout pause deployment web nope api", "",
     'Error from server (NotFound): deployments.apps "nope" not found\n'
     'error: deployments.apps "web" is already paused\nerror: deployments.apps "api" is already paused\n', 1),
    ("pause of a kind that cannot pause names its resource and goes on with the others",
     ["run x --image=nginx"], "rollout pause pod/x deployment/web", "deployment.apps/web paused\n",
     'error: pods "x" pausing is not supported\n', 1),
    ("resume of objects that are not paused reports each one",
     [], "rollout resume deployment", "",
     'error: deployments.apps "api" is not paused\nerror: deployments.apps "web" is not paused\n', 1),
    ("pause without a resource fails validation", [], "rollout pause", "", REQUIRED, 1),
    ("history without a resource fails validation",
     [], "rollout history", "", REQUIRED, 1),
    ("history takes TYPE NAME NAME and prints each object's table",
     [], "rollout history deployment web api",
     "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
     "deployment.apps/api \nREVISION  CHANGE-CAUSE\n1         <none>\n\n", "", 0),
    ("history goes on after a missing object and reports it at the end",
     [], "rollout history deployment/web deployment/nope deployment/api",
     "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
     "deployment.apps/api \nREVISION  CHANGE-CAUSE\n1         <none>\n\n",
     'Error from server (NotFound): deployments.apps "nope" not found\n', 1),
    ("history of a bare type with no objects prints nothing", [], "rollout history daemonset", "", "", 0),
    ("history --revision below zero fails validation before any object is read",
     [], "rollout history deployment --revision=-1", "", NEGATIVE, 1),
    ("undo of a bare type visits every object and lists the errors without a prefix",
     [], "rollout undo deployment", "",
     'no rollout history found for deployment "api"\nno rollout history found for deployment "web"\n', 1),
    ("undo of several objects rolls back the ones it can",
     ["set image deployment/api nginx=nginx:1.27", "--settle"], "rollout undo deployment/web deployment/api",
     "deployment.apps/api rolled back\n", 'error: no rollout history found for deployment "web"\n', 1),
    ("undo without a resource fails validation", [], "rollout undo", "", REQUIRED, 1),
    ("restart in the same second as the last one sends nothing and asks to wait",
     ["rollout restart deployment/web"], "rollout restart deployment/web", "", f"error: {TOO_SOON}\n", 1),
    ("restart of two objects restarts the one not restarted this second and reports the other",
     ["rollout restart deployment/web"], "rollout restart deployment/web deployment/api",
     "deployment.apps/api restarted\n", f"error: {TOO_SOON}\n", 1),
    ("restart puts the objects it could not read in one bracketed error before the others",
     ["rollout pause deployment/web"], "rollout restart deployment/nope deployment/gone deployment/web", "",
     '[deployments.apps "nope" not found, deployments.apps "gone" not found]\n'
     "error: deployments.apps \"web\" can't restart paused deployment (run rollout resume first)\n", 1),
]


@pytest.mark.parametrize("before, command, stdout, stderr, code", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_rollout_commands_as_kubectl_runs_them(before, command, stdout, stderr, code):
    c = _two_deployments()
    for line in before:
        if line == "--settle":
            c.settle()
        else:
            assert c.kubectl(line).code == 0, line
    result = c.kubectl(command)
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, code)


def test_two_restarts_in_the_same_second_make_one_revision():
    c = _two_deployments()
    c.kubectl("rollout restart deployment/web")
    c.kubectl("rollout restart deployment/web")
    c.settle()
    assert c.kubectl("rollout history deployment/web").stdout == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")


def test_a_restart_within_the_same_second_writes_nothing():
    c = _two_deployments()
    c.kubectl("rollout restart deployment/web")
    revision = c.etcd.revision
    result = c.kubectl("rollout restart deployment/web")
    assert (result.stdout, result.code) == ("", 1)
    assert c.etcd.revision == revision
