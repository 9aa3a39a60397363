"""Creating a Job or CronJob whose name is no DNS label warns: the name goes into pod names.

Upstream: pkg/registry/batch/job/strategy.go and pkg/registry/batch/cronjob/strategy.go
(WarningsOnCreate).
"""

import pytest

from k8slearn import Cluster

JOB = """apiVersion: batch/v1
kind: Job
metadata: {name: NAME}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: "busybox:1.28"}]
"""

CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata: {name: NAME}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: main, image: "busybox:1.28"}]
"""

DOTS = ("Warning: metadata.name: this is used in Pod names and hostnames, which can result in "
        "surprising behavior; a DNS label is recommended: [must not contain dots]\n")


@pytest.mark.parametrize("manifest, name, stdout, stderr", [
    (JOB, "my.job", "job.batch/my.job created\n", DOTS),
    (CRONJOB, "my.cron", "cronjob.batch/my.cron created\n", DOTS),
    (JOB, "my-job", "job.batch/my-job created\n", ""),
    (CRONJOB, "hello", "cronjob.batch/hello created\n", ""),
], ids=["a Job named with a dot is created with a warning",
        "a CronJob named with a dot is created with a warning",
        "a Job named with a DNS label gets no warning",
        "a CronJob named with a DNS label gets no warning"])
def test_a_job_s_name_is_warned_about_when_it_is_no_dns_label(manifest, name, stdout, stderr):
    c = Cluster(workers=1, seed=0)
    result = c.kubectl("create -f -", stdin=manifest.replace("NAME", name))
    assert (result.stdout, result.stderr, result.code) == (stdout, stderr, 0)


def test_the_name_warning_is_given_on_create_only():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create -f -", stdin=JOB.replace("NAME", "my.job"))
    result = c.kubectl("label job my.job tier=batch")
    assert (result.stdout, result.stderr) == ("job.batch/my.job labeled\n", "")


def test_a_name_that_is_no_dns_subdomain_gets_the_error_and_no_warning():
    c = Cluster(workers=1, seed=0)
    result = c.kubectl("create -f -", stdin=JOB.replace("NAME", "My.Job"))
    assert result.code == 1
    assert not result.stderr.startswith("Warning:")
    assert 'The Job "My.Job" is invalid' in result.stderr


POD_WITH_DUPLICATE_PORTS = """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    IMAGE
    ports: [{containerPort: 80}, {containerPort: 80}]
"""
DUPLICATE_PORT = ("Warning: spec.containers[0].ports[1]: duplicate port definition with "
                  "spec.containers[0].ports[0]\n")


@pytest.mark.parametrize("image, runs, stderr", [
    pytest.param("", 1, 'The Pod "p" is invalid: spec.containers[0].image: Required value\n',
                 id="an object that fails validation gets its error and no warning"),
    pytest.param("image: nginx", 1, DUPLICATE_PORT, id="a valid object gets its warning"),
    pytest.param("image: nginx", 2, DUPLICATE_PORT + 'Error from server (AlreadyExists): error when creating '
                 '"STDIN": pods "p" already exists\n',
                 id="a valid object that already exists gets its warning, then the error"),
])
def test_create_warns_only_about_an_object_that_validated(image, runs, stderr):
    """rest.BeforeCreate adds WarningsOnCreate after Validate passed; storage comes after it."""
    cluster = Cluster(workers=1, seed=0)
    manifest = POD_WITH_DUPLICATE_PORTS.replace("IMAGE", image)
    for _ in range(runs):
        result = cluster.kubectl("create -f -", stdin=manifest)
    assert result.stderr == stderr
