"""Jobs in a whole simulated cluster: pods run to completion, fail and back off, are deleted with the Job."""

import hashlib

import pytest

from k8slearn import Cluster
from k8slearn.api.meta import parse_timestamp


def job(name, command, completions=None, parallelism=None, restart_policy="Never", **spec):
    s = {"template": {"spec": {"restartPolicy": restart_policy,
                               "containers": [{"name": name, "image": "busybox", "command": command}]}}, **spec}
    if completions is not None:
        s["completions"] = completions
    if parallelism is not None:
        s["parallelism"] = parallelism
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "namespace": "default"}, "spec": s}


def job_pods(c, name):
    return sorted(c.api.list("pods", "default", label_selector=f"batch.kubernetes.io/job-name={name}"),
                  key=lambda p: (p["metadata"]["creationTimestamp"], int(p["metadata"]["resourceVersion"])))


def is_active(p):
    return p["status"].get("phase") not in ("Succeeded", "Failed") and not p["metadata"].get("deletionTimestamp")


@pytest.fixture
def cluster():
    c = Cluster(workers=2, seed=0)
    c.settle()
    return c


def test_a_one_completion_job_runs_one_pod_to_succeeded_and_is_complete(cluster):
    c = cluster
    assert c.kubectl("create job hello --image=busybox -- echo hi").stdout == "job.batch/hello created\n"
    c.run(seconds=10)
    pods = job_pods(c, "hello")
    assert [p["status"]["phase"] for p in pods] == ["Succeeded"]
    assert not pods[0]["metadata"].get("finalizers")  # counted: the tracking finalizer is gone
    st = c.api.get("jobs", "hello")["status"]
    assert [(x["type"], x["reason"]) for x in st["conditions"]] == [("SuccessCriteriaMet", "CompletionsReached"),
                                                                   ("Complete", "CompletionsReached")]
    assert (st["succeeded"], st.get("active", 0), st.get("failed", 0), st["uncountedTerminatedPods"]) == (1, 0, 0, {})
    # the pod waits 0.3 s for its token volume, pulls busybox and runs: complete in the 2nd second
    assert parse_timestamp(st["completionTime"]) - parse_timestamp(st["startTime"]) == 2
    out = c.kubectl("get jobs").stdout.splitlines()
    assert out[0].split() == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    assert out[1].split() == ["hello", "Complete", "1/1", "2s", "10s"]
    events = [line.split(None, 4)[1:] for line in c.kubectl("get events --field-selector involvedObject.kind=Job")
              .stdout.splitlines()[1:]]
    assert events == [["Normal", "SuccessfulCreate", "job/hello", f"Created pod: {pods[0]['metadata']['name']}"],
                      ["Normal", "Completed", "job/hello", "Job completed"]]


def test_a_running_job_pod_carries_the_tracking_finalizer_in_its_yaml(cluster):
    c = cluster
    c.kubectl("create job sleeper --image=busybox -- sleep 30")
    c.run(seconds=3)
    name = job_pods(c, "sleeper")[0]["metadata"]["name"]
    assert "  finalizers:\n  - batch.kubernetes.io/job-tracking\n" in c.kubectl(f"get pod {name} -o yaml").stdout
    assert c.kubectl("get jobs").stdout.splitlines()[1].split() == ["sleeper", "Running", "0/1", "3s", "3s"]


def test_completions_5_parallelism_2_never_runs_more_than_2_pods_and_ends_5_of_5(cluster):
    c = cluster
    c.api.create(job("par", ["sh", "-c", "sleep 3"], completions=5, parallelism=2))
    most = 0
    for _ in range(40):
        c.run(seconds=0.5)
        most = max(most, sum(is_active(p) for p in job_pods(c, "par")))
        most = max(most, c.api.get("jobs", "par")["status"].get("active", 0))
    assert most == 2
    pods = job_pods(c, "par")
    assert [p["status"]["phase"] for p in pods] == ["Succeeded"] * 5
    assert c.kubectl("get jobs").stdout.splitlines()[1].split()[:3] == ["par", "Complete", "5/5"]
    assert c.api.get("jobs", "par")["status"]["succeeded"] == 5


def test_a_failing_pod_with_backoff_limit_2_fails_the_job_after_3_pods_backed_off_10_then_20_seconds(cluster):
    c = cluster
    c.api.create(job("fail", ["sh", "-c", "exit 1"], backoffLimit=2))
    start = c.now
    c.run(seconds=60)
    pods = job_pods(c, "fail")
    assert [p["status"]["phase"] for p in pods] == ["Failed"] * 3
    created = [parse_timestamp(p["metadata"]["creationTimestamp"]) - start for p in pods]
    # each pod fails a second after its creation (its volume, the image): then 10 s, then 20 s of back-off
    assert [created[1] - created[0], created[2] - created[1]] == [11, 21]
    st = c.api.get("jobs", "fail")["status"]
    assert [(x["type"], x["reason"], x["message"]) for x in st["conditions"]] == [
        ("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
        ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")]
    assert (st["failed"], "completionTime" in st) == (3, False)
    assert c.kubectl("get jobs").stdout.splitlines()[1].split()[:3] == ["fail", "Failed", "0/1"]
    lines = [line.split(None, 4)[1:] for line in c.kubectl("get events").stdout.splitlines() if "job/fail" in line]
    assert lines[-1] == ["Warning", "BackoffLimitExceeded", "job/fail", "Job has reached the specified backoff limit"]
    assert [x[1] for x in lines] == ["SuccessfulCreate"] * 3 + ["BackoffLimitExceeded"]


def test_on_failure_restarts_the_container_and_the_restarts_count_towards_the_backoff_limit(cluster):
    c = cluster
    c.api.create(job("onf", ["sh", "-c", "exit 1"], restart_policy="OnFailure", backoffLimit=2))
    c.run(seconds=30)
    st = c.api.get("jobs", "onf")["status"]
    assert [x["type"] for x in st["conditions"]] == ["FailureTarget", "Failed"]
    assert st["failed"] == 1
    assert job_pods(c, "onf") == []  # the one pod, restarted twice, was deleted


def test_active_deadline_seconds_deletes_the_pods_and_fails_the_job_once_they_are_gone(cluster):
    c = cluster
    c.api.create(job("slow", ["sleep", "100"], activeDeadlineSeconds=5))
    c.run(seconds=8)
    st = c.api.get("jobs", "slow")["status"]
    assert [x["type"] for x in st["conditions"]] == ["FailureTarget"]  # sleep ignores SIGTERM: 30 s grace
    assert st["terminating"] == 1
    c.run(seconds=30)
    st = c.api.get("jobs", "slow")["status"]
    assert [(x["type"], x["reason"]) for x in st["conditions"]] == [("FailureTarget", "DeadlineExceeded"),
                                                                   ("Failed", "DeadlineExceeded")]
    assert (st["terminating"], st["failed"]) == (0, 1)


@pytest.mark.parametrize("command, pods_left", [
    ("delete job sleeper", 0),
    ("delete job sleeper --cascade=orphan", 1),
], ids=["kubectl delete job deletes its pods through the garbage collector",
        "an orphaning delete keeps the pod and the Job controller takes its finalizer off"])
def test_deleting_a_job(cluster, command, pods_left):
    c = cluster
    c.kubectl("create job sleeper --image=busybox -- sleep 3600")
    c.run(seconds=3)
    assert c.kubectl(command).stdout == 'job.batch "sleeper" deleted\n'
    c.run(seconds=40)
    pods = job_pods(c, "sleeper")
    assert len(pods) == pods_left
    for p in pods:
        assert not p["metadata"].get("finalizers") and not p["metadata"].get("ownerReferences")


def scenario(seed):
    c = Cluster(workers=2, seed=seed)
    c.api.create(job("par", ["sh", "-c", "sleep 2"], completions=3, parallelism=2))
    c.api.create(job("fail", ["sh", "-c", "exit 1"], backoffLimit=1))
    c.run(seconds=40)
    store = "\n".join(f"{kv.key} {kv.mod_revision} {kv.value.decode()}" for kv in c.etcd.range("/registry/jobs"))
    return hashlib.sha256(c.loop.trace_text().encode()).hexdigest(), store


def test_the_same_seed_runs_jobs_step_for_step_the_same():
    assert scenario(3) == scenario(3)


def test_a_suspended_job_runs_nothing_until_resumed_and_its_deadline_counts_from_the_resume(cluster):
    c = cluster
    c.api.create(job("sus", ["sleep", "2"], suspend=True))
    c.run(seconds=5)
    assert job_pods(c, "sus") == []
    assert c.kubectl("get jobs").stdout.splitlines()[1].split() == ["sus", "Suspended", "0/1", "5s"]
    assert "startTime" not in c.api.get("jobs", "sus")["status"]
    c.api.patch("jobs", "sus", {"spec": {"suspend": False}})
    c.run(seconds=0.5)
    st = c.api.get("jobs", "sus")["status"]
    assert [(x["type"], x["status"], x["reason"]) for x in st["conditions"]] == [("Suspended", "False", "JobResumed")]
    assert parse_timestamp(st["startTime"]) == 5
    assert len(job_pods(c, "sus")) == 1
    c.run(seconds=5)
    assert c.kubectl("get jobs").stdout.splitlines()[1].split()[:3] == ["sus", "Complete", "1/1"]
    reasons = [line.split()[2] for line in c.kubectl("get events").stdout.splitlines() if "job/sus" in line]
    assert reasons == ["Suspended", "SuccessfulCreate", "Resumed", "Completed"]


def test_an_indexed_job_runs_each_index_once_and_describe_lists_the_completed_indexes(cluster):
    c = cluster
    c.api.create(job("idx", ["sh", "-c", "sleep 2"], completions=5, parallelism=2, completionMode="Indexed"))
    c.run(seconds=15)
    pods = job_pods(c, "idx")
    assert sorted(p["metadata"]["name"].rsplit("-", 1)[0] for p in pods) == [f"idx-{i}" for i in range(5)]
    assert sorted(p["spec"]["hostname"] for p in pods) == [f"idx-{i}" for i in range(5)]
    st = c.api.get("jobs", "idx")["status"]
    assert (st["completedIndexes"], st["succeeded"]) == ("0-4", 5)
    lines = [" ".join(line.split()) for line in c.kubectl("describe job idx").stdout.splitlines()]
    assert "Completion Mode: Indexed" in lines
    at = lines.index("Pods Statuses: 0 Active (0 Ready) / 5 Succeeded / 0 Failed")
    assert lines[at + 1] == "Completed Indexes: 0-4"


def test_describe_shows_the_completion_mode_of_a_non_indexed_job(cluster):
    c = cluster
    c.kubectl("create job hello --image=busybox -- echo hi")
    c.run(seconds=3)
    text = c.kubectl("describe job hello").stdout
    assert "\nCompletions:      1\nCompletion Mode:  NonIndexed\nSuspend:          false\n" in text
    assert "Completed Indexes" not in text


@pytest.mark.parametrize("exit_code, finished, failed", [
    (42, "Failed", 1),
    (3, None, None),
], ids=["a FailJob rule fails the job at the first matching failure, whatever the backoffLimit",
        "failures an Ignore rule matches never count towards backoffLimit 1"])
def test_pod_failure_policy(cluster, exit_code, finished, failed):
    c = cluster
    policy = {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [42]}},
                        {"action": "Ignore", "onExitCodes": {"operator": "In", "values": [3]}}]}
    c.api.create(job("pfp", ["sh", "-c", f"exit {exit_code}"], backoffLimit=1, podFailurePolicy=policy))
    c.run(seconds=35)
    st = c.api.get("jobs", "pfp")["status"]
    assert [x["type"] for x in st.get("conditions", [])] == (["FailureTarget", "Failed"] if finished else [])
    assert st.get("failed") == failed
    pods = job_pods(c, "pfp")
    if finished:
        assert st["conditions"][1]["message"] == (f"Container pfp for pod default/{pods[0]['metadata']['name']} "
                                                  "failed with exit code 42 matching FailJob rule at index 0")
        assert len(pods) == 1
    else:
        assert [p["status"]["phase"] for p in pods] == ["Failed"] * 3  # still backed off: 10 s, then 20 s
        assert c.kubectl("get jobs").stdout.splitlines()[1].split()[:3] == ["pfp", "Running", "0/1"]


@pytest.mark.parametrize("ttl, gone_at", [
    (10, 12),
    (0, 2),
    (None, None),
], ids=["a job with ttlSecondsAfterFinished 10 is deleted with its pod 10 s after it completed",
        "a ttl of 0 deletes the job as soon as it completed",
        "a job without ttl is kept"])
def test_ttl_after_finished_deletes_finished_jobs(cluster, ttl, gone_at):
    c = cluster
    spec = {} if ttl is None else {"ttlSecondsAfterFinished": ttl}
    c.api.create(job("ttl", ["echo", "hi"], **spec))
    c.run(seconds=15)
    deletes = [s for s in c.trace if s.action == "delete" and s.object == "job/default/ttl"]
    if gone_at is None:
        assert deletes == [] and len(c.api.list("jobs", "default")) == 1
        return
    assert round(deletes[0].time) == gone_at  # the Job completed at t = 2 s
    assert deletes[0].component == "kube-controller-manager" and "foregroundDeletion" in deletes[0].detail
    assert c.api.list("jobs", "default") == [] and job_pods(c, "ttl") == []


def test_a_success_policy_completes_an_indexed_job_early_and_deletes_the_other_pods(cluster):
    c = cluster
    c.api.create(job("sp", ["sh", "-c", "sleep 2"], completions=5, parallelism=3, completionMode="Indexed",
                     successPolicy={"rules": [{"succeededIndexes": "0"}]}))
    c.run(seconds=40)
    st = c.api.get("jobs", "sp")["status"]
    assert [(x["type"], x["reason"], x["message"]) for x in st["conditions"]] == [
        ("SuccessCriteriaMet", "SuccessPolicy", "Matched rules at index 0"),
        ("Complete", "SuccessPolicy", "Matched rules at index 0")]
    left = sorted(p["metadata"]["name"].rsplit("-", 1)[0] for p in job_pods(c, "sp"))
    assert (st["completedIndexes"], st["succeeded"], st.get("failed"), left) == ("0,1", 2, None, ["sp-0", "sp-1"])
    reasons = [line.split()[2] for line in c.kubectl("get events").stdout.splitlines() if "job/sp " in line]
    assert reasons == ["SuccessfulCreate"] * 3 + ["SuccessfulDelete", "Completed"]  # index 2 was still running


def test_backoff_limit_per_index_retries_each_index_once_then_fails_the_job_with_failed_indexes(cluster):
    c = cluster
    c.api.create(job("bpi", ["sh", "-c", "exit 1"], completions=3, parallelism=3, completionMode="Indexed",
                     backoffLimitPerIndex=1))
    c.run(seconds=30)
    st = c.api.get("jobs", "bpi")["status"]
    assert [(x["type"], x["reason"]) for x in st["conditions"]] == [("FailureTarget", "FailedIndexes"),
                                                                   ("Failed", "FailedIndexes")]
    assert (st["failedIndexes"], st["failed"]) == ("0-2", 6)
    pods = {(p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"],
             p["metadata"]["annotations"]["batch.kubernetes.io/job-index-failure-count"]): p for p in job_pods(c, "bpi")}
    assert sorted(pods) == [("0", "0"), ("0", "1"), ("1", "0"), ("1", "1"), ("2", "0"), ("2", "1")]
    for index in "012":  # each replacement came 10 s after the first pod of its index failed
        finished = pods[index, "0"]["status"]["containerStatuses"][0]["state"]["terminated"]["finishedAt"]
        created = pods[index, "1"]["metadata"]["creationTimestamp"]
        assert parse_timestamp(created) - parse_timestamp(finished) == 10
