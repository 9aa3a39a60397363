"""A Job created without labels reads back with its pod template's, as SetDefaults_Job applies them
on every read from etcd (after the strategy added the selector labels to the template)."""

import pytest

from k8slearn import Cluster


@pytest.mark.parametrize(
    "job_labels, expected",
    [
        (None, {"batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name", "controller-uid", "job-name"}),
        ({"team": "a"}, {"team"}),
    ],
    ids=["a job without labels gets the template's, selector labels included",
         "a job with its own labels keeps only those"],
)
def test_job_labels_default_from_the_template(job_labels, expected):
    c = Cluster(workers=1, seed=0)
    meta = {"name": "pi", **({"labels": job_labels} if job_labels else {})}
    c.api.create({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
                  "spec": {"template": {"spec": {"containers": [{"name": "pi", "image": "busybox"}],
                                                 "restartPolicy": "Never"}}}})
    job = c.api.get("jobs", "pi")
    assert set(job["metadata"]["labels"]) == expected
    if job_labels is None:
        assert job["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] == job["metadata"]["uid"]
