"""``kubectl create job NAME --from=cronjob/X``: the CronJob's template as a Job run by hand."""

import pytest

from k8slearn import Cluster


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0)
    c.settle()
    c.kubectl("create cronjob hello --image=busybox --schedule='*/5 * * * *' -- echo hi")
    c.kubectl("create job preexisting --image=busybox")
    return c


def test_the_job_is_annotated_manual_and_controlled_by_the_cronjob_without_block_owner_deletion(cluster):
    c = cluster
    out = c.kubectl("create job preview --from=cronjob/hello --dry-run=client -o yaml").stdout
    uid = c.api.get("cronjobs", "hello")["metadata"]["uid"]
    assert out.startswith("apiVersion: batch/v1\nkind: Job\nmetadata:\n  annotations:\n"
                          "    cronjob.kubernetes.io/instantiate: manual\n  creationTimestamp: null\n"
                          "  name: preview\n  ownerReferences:\n  - apiVersion: batch/v1\n"
                          "    controller: true\n"
                          f"    kind: CronJob\n    name: hello\n    uid: {uid}\nspec:\n")
    assert "restartPolicy: OnFailure" in out  # the CronJob's own template


ERRORS = [
    ("create job x --from=cronjob/nope",
     'Error from server (NotFound): cronjobs.batch "nope" not found\n', "a CronJob that does not exist"),
    ("create job x --from=cronjob/hello -- date", "error: cannot specify --from and command\n",
     "a command with --from"),
    ("create job x --from=cronjob/hello --image=busybox",
     "error: either --image or --from must be specified\n", "both --image and --from"),
    ("create job x", "error: either --image or --from must be specified\n", "neither --image nor --from"),
    ("create job preexisting --from=cronjob/hello",
     'error: failed to create job: jobs.batch "preexisting" already exists\n', "a Job name already taken"),
    ("create cronjob bad --image=busybox --schedule='61 * * * *'",
     'error: failed to create cronjob: CronJob.batch "bad" is invalid: spec.schedule: Invalid value: '
     '"61 * * * *": end of range (61) above maximum (59): 61\n', "a schedule the parser refuses"),
]


@pytest.mark.parametrize("command, stderr", [e[:2] for e in ERRORS], ids=[e[2] for e in ERRORS])
def test_bad_uses_get_kubectls_errors(cluster, command, stderr):
    result = cluster.kubectl(command)
    assert (result.code, result.stderr) == (1, stderr)


def test_the_cronjob_controller_warns_about_a_job_it_did_not_make():
    c = Cluster(workers=1, seed=0)
    c.settle()
    c.kubectl("create cronjob hello --image=busybox --schedule='*/5 * * * *' -- echo hi")
    assert c.kubectl("create job manual --from=cronjob/hello").stdout == "job.batch/manual created\n"
    c.run(seconds=10)
    events = c.kubectl("get events --field-selector involvedObject.kind=CronJob").stdout.splitlines()
    assert events[1].split(None, 4)[1:] == ["Warning", "UnexpectedJob", "cronjob/hello",
                                           "Saw a job that the controller did not create or forgot: manual"]
    assert c.kubectl("get jobs").stdout.splitlines()[1].split()[:3] == ["manual", "Complete", "1/1"]
