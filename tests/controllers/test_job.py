"""Job controller: sync(key) against real informer caches, asserting the API writes and the status."""

import copy

import pytest
from ctlkit import Harness

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import owner_reference
from k8slearn.client.workqueue import WorkQueue
from k8slearn.controllers.job import JobController, past_backoff_limit_on_failure
from k8slearn.controllers.job_backoff import BackoffRecord, get_remaining_time_for_failures_count
from k8slearn.controllers.job_indexed import COMPLETION_INDEX_ANNOTATION, Intervals
from k8slearn.controllers.job_pod_failure_policy import match_pod_failure_policy
from k8slearn.controllers.job_success_policy import match_success_policy
from k8slearn.controllers.job_utils import (
    JOB_TRACKING_FINALIZER,
    active_pods_for_removal,
    is_pod_failed,
)
from k8slearn.sim import Loop

T0 = "2026-01-05T09:00:00Z"


def job(name="pi", completions=1, parallelism=1, restart_policy="Never", **spec):
    s = {"parallelism": parallelism,
         "template": {"spec": {"restartPolicy": restart_policy,
                               "containers": [{"name": "pi", "image": "busybox", "command": ["echo", "hi"]}]}},
         **spec}
    if completions is not None:
        s["completions"] = completions
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "namespace": "default"}, "spec": s}


def job_pod(owner, name, phase="Running", finalizer=True, restarts=0, finished=T0, node="node-1", ready=False):
    """A pod of ``owner`` (its template labels, a controller reference) and the status to give it."""
    meta = {"name": name, "namespace": "default", "labels": dict(owner["spec"]["template"]["metadata"]["labels"]),
            "ownerReferences": [owner_reference(owner)]}
    if finalizer:
        meta["finalizers"] = [JOB_TRACKING_FINALIZER]
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
           "spec": {"nodeName": node, "restartPolicy": "Never",
                    "containers": [{"name": "pi", "image": "busybox"}]}}
    state = {"running": {"startedAt": T0}} if phase in ("Running", "Pending") else \
        {"terminated": {"exitCode": 0 if phase == "Succeeded" else 1, "finishedAt": finished}}
    status = {"phase": phase, "containerStatuses": [{"name": "pi", "restartCount": restarts, "state": state}],
              "conditions": [{"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": T0}]}
    return obj, status


def setup(spec_job, pods=(), start=True):
    h = Harness(JobController)
    owner = h.create(spec_job)
    for args in pods:
        h.create(*job_pod(owner, *args[:2], **(args[2] if len(args) > 2 else {})))
    if start:
        h.start()
    return h, owner


def capture_statuses(h):
    """Record a copy of each status the controller writes (the RecordingClient keeps only keys)."""
    written = []
    update = h.client.update_status

    def recording(obj, **kw):
        written.append(copy.deepcopy(obj["status"]))
        return update(obj, **kw)
    h.client.update_status = recording
    return written


def drain(h):
    """Take every queued key, as a worker would (the test syncs by hand)."""
    while len(h.controller.queue):
        h.controller.queue.done(h.controller.queue.pop())


def verbs(actions):
    return [(verb, resource) for verb, resource, _ in actions]


@pytest.mark.parametrize("completions, parallelism, pods, creates", [
    (1, 1, [], 1),
    (5, 2, [], 2),
    (5, 2, [("pi-a", "Succeeded"), ("pi-b", "Succeeded"), ("pi-c", "Succeeded"), ("pi-d", "Succeeded")], 1),
    (5, 2, [("pi-a", "Running")], 1),
    (2, 5, [], 2),
    (None, 3, [], 3),
    (None, 3, [("pi-a", "Succeeded"), ("pi-b", "Running")], 0),
    (3, 0, [], 0),
], ids=["a one-completion job creates one pod",
        "completions 5 parallelism 2 starts with two pods",
        "with four of five completions done only one more pod is wanted",
        "one running pod of parallelism 2 gets one companion",
        "parallelism above the remaining completions creates only as many as remain",
        "a work-queue job (no completions) starts parallelism pods",
        "a work-queue job with one success creates no more pods",
        "parallelism 0 creates nothing"])
def test_sync_keeps_want_active_pods(completions, parallelism, pods, creates):
    h, _ = setup(job(completions=completions, parallelism=parallelism), pods)
    assert verbs(h.sync("default/pi")).count(("create", "pods")) == creates


def test_created_pods_carry_the_job_labels_a_controller_reference_and_the_tracking_finalizer():
    h, owner = setup(job(completions=2, parallelism=2))
    h.sync("default/pi")
    pods = h.pods()
    uid = owner["metadata"]["uid"]
    assert [p["metadata"]["generateName"] for p in pods] == ["pi-", "pi-"]
    assert pods[0]["metadata"]["labels"] == {"batch.kubernetes.io/controller-uid": uid,
                                             "batch.kubernetes.io/job-name": "pi", "controller-uid": uid,
                                             "job-name": "pi"}
    assert pods[0]["metadata"]["finalizers"] == [JOB_TRACKING_FINALIZER]
    ref = pods[0]["metadata"]["ownerReferences"][0]
    assert (ref["apiVersion"], ref["kind"], ref["name"], ref["uid"], ref["controller"], ref["blockOwnerDeletion"]) \
        == ("batch/v1", "Job", "pi", uid, True, True)
    assert sorted(h.events) == sorted(("Normal", "SuccessfulCreate", f"Created pod: {p['metadata']['name']}")
                                      for p in pods)


def test_the_first_sync_writes_start_time_and_the_counts():
    h, _ = setup(job())
    statuses = capture_statuses(h)
    h.sync("default/pi")
    assert statuses == [{"startTime": T0, "active": 1, "terminating": 0, "uncountedTerminatedPods": {},
                         "ready": 0}]


def test_expectations_stop_a_second_sync_from_creating_before_the_cache_catches_up():
    h, _ = setup(job(completions=3, parallelism=3))
    h.sync("default/pi")
    with pytest.raises(ApiError) as err:  # the cached Job is stale: its status write conflicts (retried later)
        h.sync("default/pi")
    assert err.value.code == 409
    assert ("create", "pods") not in verbs(h.client.actions)
    h.settle()
    assert ("create", "pods") not in verbs(h.sync("default/pi"))
    assert len(h.pods()) == 3


def test_a_succeeded_pod_is_counted_through_uncounted_terminated_pods_then_the_job_completes():
    h, _ = setup(job(), [("pi-a", "Succeeded")])
    uid = h.get("pods", "pi-a")["metadata"]["uid"]
    statuses = capture_statuses(h)
    actions = h.sync("default/pi")
    assert verbs(actions) == [("update_status", "jobs"), ("patch", "pods"), ("update_status", "jobs")]
    scm = {"type": "SuccessCriteriaMet", "status": "True", "lastProbeTime": T0, "lastTransitionTime": T0,
           "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"}
    assert statuses[0]["uncountedTerminatedPods"] == {"succeeded": [uid]}
    assert statuses[0]["conditions"] == [scm]
    assert "succeeded" not in statuses[0]
    assert statuses[1] == {"conditions": [scm, {**scm, "type": "Complete"}], "startTime": T0,
                           "completionTime": T0, "succeeded": 1, "terminating": 0,
                           "uncountedTerminatedPods": {}, "ready": 0}
    assert not h.get("pods", "pi-a")["metadata"].get("finalizers")
    assert h.events == [("Normal", "Completed", "Job completed")]


def test_a_finished_job_is_left_alone():
    h, _ = setup(job(), [("pi-a", "Succeeded")])
    h.sync("default/pi")
    h.settle()
    assert h.sync("default/pi") == []


@pytest.mark.parametrize("failed_pods, backoff_limit, finished", [
    (2, 2, False),
    (3, 2, True),
    (1, 0, True),
], ids=["two failures within backoffLimit 2 do not fail the job",
        "a third failure exceeds backoffLimit 2 and fails the job",
        "one failure exceeds backoffLimit 0"])
def test_failures_beyond_the_backoff_limit_fail_the_job(failed_pods, backoff_limit, finished):
    pods = [(f"pi-{i}", "Failed") for i in range(failed_pods)]
    h, _ = setup(job(backoffLimit=backoff_limit), pods)
    h.sync("default/pi")
    conditions = [(c["type"], c.get("reason")) for c in h.get("jobs", "pi")["status"].get("conditions", [])]
    expected = [("FailureTarget", "BackoffLimitExceeded"), ("Failed", "BackoffLimitExceeded")] if finished else []
    assert conditions == expected
    assert h.get("jobs", "pi")["status"]["failed"] == failed_pods
    assert (("Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit") in h.events) == finished


def test_a_failed_pod_is_replaced_only_after_the_back_off():
    h, _ = setup(job(), [("pi-a", "Failed", {"finished": T0})])
    h.loop.run(4)  # now t = 4 s: 6 s of the 10 s back-off are left
    assert ("create", "pods") not in verbs(h.sync("default/pi"))
    assert h.get("jobs", "pi")["status"]["failed"] == 1
    h.loop.run(1.5)  # the status and pod updates wake the Job 1 s later (batched) ...
    drain(h)
    assert h.sync("default/pi") == []  # ... and that sync asks again for t = 10 s
    h.loop.run(3.5)
    assert list(h.controller.queue.queue) == []
    h.loop.run(1)
    assert list(h.controller.queue.queue) == ["default/pi"]
    assert verbs(h.sync("default/pi")).count(("create", "pods")) == 1


@pytest.mark.parametrize("failures, elapsed, remaining", [
    (0, 0, 0.0),
    (1, 0, 10.0),
    (1, 4, 6.0),
    (2, 0, 20.0),
    (3, 5, 35.0),
    (7, 0, 600.0),
    (12, 100, 500.0),
    (1, 11, 0.0),
], ids=["no failure means no wait",
        "one failure waits 10 s",
        "4 s after one failure 6 s are left",
        "two failures wait 20 s",
        "three failures wait 40 s, 35 after 5 s",
        "seven failures would wait 640 s and are capped at 10 minutes",
        "many failures stay capped at 600 s",
        "once the back-off has passed nothing is left"])
def test_pod_failure_back_off_doubles_from_10_seconds_up_to_10_minutes(failures, elapsed, remaining):
    assert get_remaining_time_for_failures_count(100.0 + elapsed, 10.0, 600.0, failures, 100.0) == remaining
    assert BackoffRecord("k", failures, 100.0 if failures else None).get_remaining_time(100.0 + elapsed) == remaining


@pytest.mark.parametrize("restart_policy, phase, restarts, backoff_limit, past", [
    ("OnFailure", "Running", 2, 2, True),
    ("OnFailure", "Running", 1, 2, False),
    ("OnFailure", "Running", 1, 0, True),
    ("OnFailure", "Failed", 5, 2, False),
    ("Never", "Running", 5, 2, False),
], ids=["restarts reaching backoffLimit count as exceeding it",
        "fewer restarts than backoffLimit do not",
        "with backoffLimit 0 one restart is too many",
        "restarts of a pod that is no longer running do not count",
        "restartPolicy Never never counts restarts"])
def test_container_restarts_count_towards_the_backoff_limit_only_for_on_failure(
        restart_policy, phase, restarts, backoff_limit, past):
    spec = job(restart_policy=restart_policy, backoffLimit=backoff_limit)
    _, status = job_pod({"spec": {"template": {"metadata": {"labels": {}}}}, "apiVersion": "batch/v1",
                         "kind": "Job", "metadata": {"name": "pi", "uid": "u"}}, "pi-a", phase, restarts=restarts)
    assert past_backoff_limit_on_failure(spec, [{"metadata": {}, "status": status}]) is past


def test_on_failure_restarts_past_the_limit_delete_the_pod_and_wait_for_it_before_failed():
    h, _ = setup(job(restart_policy="OnFailure", backoffLimit=2), [("pi-a", "Running", {"restarts": 2})])
    actions = h.sync("default/pi")
    assert ("delete", "pods", "default/pi-a") in actions
    status = h.get("jobs", "pi")["status"]
    assert [c["type"] for c in status["conditions"]] == ["FailureTarget"]
    assert (status["failed"], status["terminating"]) == (1, 1)
    assert ("Normal", "SuccessfulDelete", "Deleted pod: pi-a") in h.events


def test_a_job_past_its_active_deadline_fails_with_deadline_exceeded():
    h, _ = setup(job(activeDeadlineSeconds=5))
    h.sync("default/pi")
    h.loop.run(1.5)  # the status update wakes the Job 1 s later; that sync asks again for t = 5 s
    drain(h)
    h.sync("default/pi")
    h.loop.run(3)
    assert list(h.controller.queue.queue) == []
    h.loop.run(1)  # the sync asked to come back when the deadline passes
    assert list(h.controller.queue.queue) == ["default/pi"]
    h.sync("default/pi")
    status = h.get("jobs", "pi")["status"]
    assert [(c["type"], c["reason"], c["message"]) for c in status["conditions"]] == [
        ("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline")]


def test_a_suspended_job_creates_nothing_and_says_so():
    h, _ = setup(job(suspend=True))
    actions = h.sync("default/pi")
    assert ("create", "pods") not in verbs(actions)
    status = h.get("jobs", "pi")["status"]
    assert "startTime" not in status
    assert [(c["type"], c["status"], c["reason"]) for c in status["conditions"]] == [("Suspended", "True", "JobSuspended")]
    assert h.events == [("Normal", "Suspended", "Job suspended")]


def test_an_orphan_pod_matching_the_selector_is_adopted_with_the_tracking_finalizer():
    h, owner = setup(job(), start=False)
    obj, _ = job_pod(owner, "stray", finalizer=False)
    obj["metadata"].pop("ownerReferences")
    h.create(obj)
    h.start()
    actions = h.sync("default/pi")
    assert ("patch", "pods", "default/stray") in actions
    adopted = h.get("pods", "stray")["metadata"]
    assert adopted["finalizers"] == [JOB_TRACKING_FINALIZER]
    assert adopted["ownerReferences"][0]["uid"] == owner["metadata"]["uid"]
    assert ("create", "pods") not in verbs(actions)


def test_an_orphaned_pod_loses_the_tracking_finalizer():
    h, owner = setup(job(), start=False)
    obj, _ = job_pod(owner, "left")
    obj["metadata"].pop("ownerReferences")
    h.create(obj)
    h.start()
    h.controller.sync_orphan_pod("default/left")
    assert not h.get("pods", "left")["metadata"].get("finalizers")


@pytest.mark.parametrize("phase, deleting, replacement, failed", [
    ("Failed", False, "TerminatingOrFailed", True),
    ("Running", True, "TerminatingOrFailed", True),
    ("Succeeded", True, "TerminatingOrFailed", False),
    ("Running", True, "Failed", False),
    ("Running", False, "TerminatingOrFailed", False),
], ids=["a Failed pod is failed",
        "a pod deleted while running counts as failed",
        "a pod deleted after it succeeded does not",
        "with podReplacementPolicy Failed a deleted running pod is not failed yet",
        "a running pod is not failed"])
def test_is_pod_failed(phase, deleting, replacement, failed):
    pod = {"metadata": {"deletionTimestamp": T0} if deleting else {}, "status": {"phase": phase}}
    assert is_pod_failed(pod, {"spec": {"podReplacementPolicy": replacement}}) is failed


def test_extra_pods_are_removed_unscheduled_pending_and_not_ready_first():
    def p(name, node, phase, ready):
        return {"metadata": {"name": name, "creationTimestamp": T0}, "spec": {"nodeName": node},
                "status": {"phase": phase, "conditions": [{"type": "Ready", "status": "True" if ready else "False",
                                                           "lastTransitionTime": T0}]}}
    pods = [p("ready", "node-1", "Running", True), p("unready", "node-1", "Running", False),
            p("pending", "node-2", "Pending", False), p("unscheduled", "", "Pending", False)]
    assert [x["metadata"]["name"] for x in active_pods_for_removal(pods, 3)] == ["unscheduled", "pending", "unready"]


# ---- Indexed completion mode ------------------------------------------------------------------------

def indexed_pod(owner, name, index, phase="Running", **kw):
    obj, status = job_pod(owner, name, phase, **kw)
    obj["metadata"]["annotations"] = {COMPLETION_INDEX_ANNOTATION: str(index)}
    return obj, status


@pytest.mark.parametrize("text, completions, added, expected", [
    ("", 5, [], ""),
    ("", 5, [0, 1, 2], "0-2"),
    ("0,1", 5, [], "0,1"),
    ("0-2,4", 10, [3, 7, 8], "0-4,7,8"),
    ("0-2,4,9", 5, [], "0-2,4"),
    ("1-20", 5, [], "1-4"),
    ("x,2", 5, [3], "2,3"),
], ids=["nothing is the empty string",
        "three neighbours become a range",
        "two neighbours are written with a comma",
        "new indexes merge into the intervals they touch",
        "an index past completions is dropped",
        "an interval past completions is cut",
        "a malformed piece is skipped"])
def test_completed_indexes_are_written_as_compressed_intervals(text, completions, added, expected):
    assert str(Intervals.parse(text, completions).with_ordered_indexes(added)) == expected


def test_an_indexed_job_creates_pods_for_the_lowest_pending_indexes():
    h, owner = setup(job(completions=4, parallelism=2, completionMode="Indexed"), start=False)
    h.create(*indexed_pod(owner, "pi-0-aaaaa", 0, "Succeeded"))
    h.create(*indexed_pod(owner, "pi-2-bbbbb", 2, "Running"))
    h.start()
    h.sync("default/pi")
    created = [p for p in h.pods() if p["metadata"]["name"] not in ("pi-0-aaaaa", "pi-2-bbbbb")]
    assert len(created) == 1
    meta, spec = created[0]["metadata"], created[0]["spec"]
    assert (meta["generateName"], meta["annotations"][COMPLETION_INDEX_ANNOTATION],
            meta["labels"][COMPLETION_INDEX_ANNOTATION], spec["hostname"]) == ("pi-1-", "1", "1", "pi-1")
    assert spec["containers"][0]["env"] == [{"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
        "fieldPath": "metadata.labels['batch.kubernetes.io/job-completion-index']", "apiVersion": "v1"}}}]
    status = h.get("jobs", "pi")["status"]
    assert (status["completedIndexes"], status["succeeded"], status["uncountedTerminatedPods"]) == ("0", 1, {})


def test_an_indexed_job_deletes_a_pod_that_repeats_an_index():
    h, owner = setup(job(completions=3, parallelism=3, completionMode="Indexed"), start=False)
    h.create(*indexed_pod(owner, "pi-0-aaaaa", 0, ready=True))
    h.create(*indexed_pod(owner, "pi-0-bbbbb", 0, ready=False))
    h.create(*indexed_pod(owner, "pi-1-ccccc", 1, ready=True))
    h.start()
    actions = h.sync("default/pi")
    assert [a for a in actions if a[0] == "delete"] == [("delete", "pods", "default/pi-0-bbbbb")]
    assert ("create", "pods") not in verbs(actions)


# ---- podFailurePolicy ---------------------------------------------------------------------------------

POLICY = {"rules": [
    {"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}},
    {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
    {"action": "Count", "onExitCodes": {"operator": "NotIn", "values": [1, 2]}},
]}


def failed_pod(exits, conditions=()):
    return {"metadata": {"namespace": "default", "name": "pi-abcde"},
            "status": {"phase": "Failed", "conditions": [{"type": t, "status": "True"} for t in conditions],
                       "containerStatuses": [{"name": name, "state": {"terminated": {"exitCode": code}}}
                                             for name, code in exits]}}


@pytest.mark.parametrize("exits, conditions, expected", [
    ([("main", 42)], (), (("Container main for pod default/pi-abcde failed with exit code 42 matching FailJob "
                           "rule at index 0"), True, "FailJob")),
    ([("sidecar", 42)], (), (None, True, "Count")),
    ([("main", 1)], ("DisruptionTarget",), (None, False, "Ignore")),
    ([("main", 1)], (), (None, True, None)),
    ([("main", 0), ("sidecar", 7)], (), (None, True, "Count")),
], ids=["exit code 42 of the named container fails the job with upstream's message",
        "the same exit code in another container does not match the FailJob rule, the NotIn rule counts it",
        "a disrupted pod is ignored",
        "a failure no rule matches counts",
        "exit code 0 never matches: the other container's code does"])
def test_match_pod_failure_policy(exits, conditions, expected):
    assert match_pod_failure_policy(POLICY, failed_pod(exits, conditions)) == expected


def test_the_job_queue_keeps_one_waiting_entry_per_key_the_earliest():
    loop = Loop(seed=0)
    queue = WorkQueue(loop, "job")
    for delay in (1.0, 1.5, 0.5):  # a pod update, another, then the Job's own update
        queue.add_after("default/pi", delay)
    loop.run(0.6)
    assert list(queue.queue) == ["default/pi"]
    queue.done(queue.pop())
    loop.run(2)
    assert list(queue.queue) == []  # the 1.0 and 1.5 s entries were merged into the 0.5 s one


@pytest.mark.parametrize("rules, succeeded, expected", [
    ([{"succeededIndexes": "0"}], "0", ("Matched rules at index 0", True)),
    ([{"succeededIndexes": "0-3"}], "0-2", ("", False)),
    ([{"succeededIndexes": "0-3", "succeededCount": 2}], "1,3", ("Matched rules at index 0", True)),
    ([{"succeededIndexes": "7-9"}, {"succeededCount": 2}], "0,1", ("Matched rules at index 1", True)),
    ([{"succeededIndexes": "20-30"}, {"succeededCount": 1}], "4", ("Matched rules at index 1", True)),
    ([{"succeededCount": 1}], "", ("", False)),
], ids=["the one required index succeeded",
        "one of the required indexes is missing",
        "two of the required indexes are enough with succeededCount 2",
        "the second rule matches when the first does not",
        "a rule whose indexes are all out of range is skipped",
        "nothing succeeded: no rule can match"])
def test_match_success_policy(rules, succeeded, expected):
    assert match_success_policy({"rules": rules}, 10, Intervals.parse(succeeded, 10)) == expected


@pytest.mark.parametrize("managed_by, creates", [
    (None, 1),
    ("kubernetes.io/job-controller", 1),
    ("kueue.x-k8s.io/multikueue", 0),
], ids=["a job without managedBy is run", "a job managed by the built-in controller is run",
        "a job managed by another controller is left alone"])
def test_managed_by(managed_by, creates):
    spec = {} if managed_by is None else {"managedBy": managed_by}
    h, _ = setup(job(**spec))
    actions = h.sync("default/pi")
    assert verbs(actions).count(("create", "pods")) == creates
    assert (actions == []) == (creates == 0)


# ---- backoffLimitPerIndex -------------------------------------------------------------------------------

def test_a_failed_index_is_retried_with_its_failure_count_and_the_old_pod_kept_until_then():
    h, owner = setup(job(completions=2, parallelism=2, completionMode="Indexed", backoffLimitPerIndex=1),
                     start=False)
    h.create(*indexed_pod(owner, "pi-0-aaaaa", 0, "Failed", finished=T0))
    h.create(*indexed_pod(owner, "pi-1-bbbbb", 1, "Running"))
    h.start()
    h.loop.run(4)
    actions = h.sync("default/pi")
    assert ("patch", "pods", "default/pi-0-aaaaa") not in actions  # kept: its count goes to the replacement
    assert ("create", "pods") not in verbs(actions)  # the index waits 10 s
    assert h.get("jobs", "pi")["status"]["failedIndexes"] == ""
    h.loop.run(7)
    drain(h)
    actions = h.sync("default/pi")
    created = [p for p in h.pods() if p["metadata"]["name"] not in ("pi-0-aaaaa", "pi-1-bbbbb")]
    assert [p["metadata"]["annotations"] for p in created] == [
        {"batch.kubernetes.io/job-completion-index": "0", "batch.kubernetes.io/job-index-failure-count": "1"}]
    h.settle()
    assert ("patch", "pods", "default/pi-0-aaaaa") in h.sync("default/pi")  # now its finalizer can go


@pytest.mark.parametrize("failure_counts, max_failed, reason", [
    ([1, 0], None, None),
    ([1, 1], None, "FailedIndexes"),
    ([1, 1], 0, "MaxFailedIndexesExceeded"),
], ids=["one index out of retries while the other still runs: the job goes on",
        "every index failed: the job fails with FailedIndexes",
        "more failed indexes than maxFailedIndexes fail the job"])
def test_failed_indexes_fail_the_job(failure_counts, max_failed, reason):
    spec = {} if max_failed is None else {"maxFailedIndexes": max_failed}
    h, owner = setup(job(completions=2, parallelism=2, completionMode="Indexed", backoffLimitPerIndex=1, **spec),
                     start=False)
    for index, count in enumerate(failure_counts):
        obj, status = indexed_pod(owner, f"pi-{index}-x", index, "Failed" if count else "Running")
        obj["metadata"]["annotations"]["batch.kubernetes.io/job-index-failure-count"] = str(count)
        h.create(obj, status)
    h.start()
    h.sync("default/pi")
    status = h.get("jobs", "pi")["status"]
    assert [c["reason"] for c in status.get("conditions", [])] == ([reason, reason] if reason else [])
    assert status["failedIndexes"] == ("0" if failure_counts == [1, 0] else "0,1")
