"""Job status validation (v1.32, JobManagedBy on): what a write to jobs/<name>/status may say."""

import copy

import pytest

from k8slearn import Cluster
from k8slearn.api.validation import validate

START, END = "2026-01-05T09:00:00Z", "2026-01-05T09:00:30Z"
COMPLETE = [{"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Complete", "status": "True"}]
FAILED = [{"type": "FailureTarget", "status": "True"}, {"type": "Failed", "status": "True"}]


def job(**status):
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": "j", "namespace": "default", "uid": "u1", "resourceVersion": "7",
                         "creationTimestamp": START},
            "spec": {"completions": 1, "parallelism": 1, "completionMode": "NonIndexed"},
            "status": status}


def status_errors(old_status, new_status, **spec):
    old, new = job(**old_status), job(**new_status)
    old["spec"].update(spec)
    new["spec"].update(spec)
    return [e.error() for e in validate(new, old, subresource="status")]


CASES = [
    ({"active": 1, "ready": 1, "startTime": START}, {"active": 0, "ready": 1, "startTime": START},
     ["status.ready: Invalid value: 1: cannot set more ready pods than active"],
     "more ready pods than active is refused"),
    ({"active": 0, "ready": 2, "startTime": START},
     {"active": 0, "ready": 2, "failed": 1, "startTime": START}, [],
     "an old inconsistency is not checked when neither count changes"),
    ({"active": 1, "startTime": START}, {"active": 1, "startTime": START, "completionTime": END},
     ['status.completionTime: Invalid value: 2026-01-05 09:00:30 +0000 UTC: cannot set completionTime '
      'when there is no Complete=True condition'], "a completionTime without Complete is refused"),
    ({"active": 1, "startTime": START}, {"startTime": START, "conditions": COMPLETE, "succeeded": 1},
     ["status.completionTime: Required value: completionTime is required for Complete jobs"],
     "Complete without a completionTime is refused"),
    ({"startTime": START}, {"startTime": START, "completionTime": END, "succeeded": 1,
                            "conditions": COMPLETE + [{"type": "Failed", "status": "True"}]},
     ["status.conditions: Invalid value: cannot set Complete=True and Failed=true conditions",
      "status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true "
      "condition",
      "status.conditions: Invalid value: cannot set SuccessCriteriaMet=True and Failed=true conditions"],
     "Complete and Failed together are refused"),
    ({"startTime": START}, {"startTime": START, "completionTime": END, "succeeded": 1,
                            "conditions": [{"type": "Complete", "status": "True"}]},
     ["status.conditions: Invalid value: cannot set Complete=True condition without the "
      "SuccessCriteriaMet=true condition"], "Complete needs SuccessCriteriaMet first"),
    ({"startTime": START},
     {"startTime": START, "failed": 1, "conditions": [{"type": "Failed", "status": "True"}]},
     ["status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true "
      "condition"], "Failed needs FailureTarget first"),
    ({"startTime": START}, {"startTime": END},
     ["status.startTime: Required value: startTime cannot be removed for unsuspended job"],
     "a running Job's startTime cannot move"),
    ({"startTime": START, "conditions": [{"type": "Suspended", "status": "True"}]},
     {"startTime": END, "conditions": [{"type": "Suspended", "status": "False"}]}, [],
     "resuming a suspended Job resets its startTime"),
    ({"active": 1, "startTime": START},
     {"active": 1, "startTime": START, "completionTime": END, "succeeded": 1, "conditions": COMPLETE},
     ["status.active: Invalid value: 1: active>0 is invalid for finished job"],
     "a finished Job with active pods is refused"),
    ({}, {"conditions": FAILED, "failed": 1},
     ["status.startTime: Required value: startTime is required for finished job"],
     "a finished Job needs a startTime"),
    ({"startTime": START, "failed": 2}, {"startTime": START, "failed": 1},
     ["status.failed: Invalid value: 1: cannot decrease the failed counter"],
     "the failed counter never goes down"),
    ({"startTime": START, "conditions": FAILED, "failed": 1}, {"startTime": START, "failed": 1},
     ["status.conditions: Invalid value: cannot disable the terminal Failed=True condition",
      "status.conditions: Invalid value: cannot disable the terminal FailureTarget=True condition"],
     "a terminal condition cannot be taken back"),
    ({"startTime": END}, {"startTime": END, "completionTime": START, "succeeded": 1, "conditions": COMPLETE},
     ["status.completionTime: Invalid value: 2026-01-05 09:00:00 +0000 UTC: completionTime cannot be set "
      "before startTime"], "completion before start is refused"),
    ({"startTime": START, "terminating": 0},
     {"startTime": START, "terminating": 1, "conditions": FAILED, "failed": 1},
     ["status.terminating: Invalid value: 1: terminating>0 is invalid for finished job"],
     "a finished Job with terminating pods is refused"),
    ({"startTime": START}, {"startTime": START, "completedIndexes": "0"},
     ['status.completedIndexes: Invalid value: "0": cannot set non-empty completedIndexes when non-indexed '
      'completion mode'], "completed indexes need an Indexed Job"),
    ({"startTime": START}, {"startTime": START, "uncountedTerminatedPods": {"succeeded": ["a", "a"]}},
     ['status.uncountedTerminatedPods.succeeded[1]: Duplicate value: "a"'], "a pod counted twice is refused"),
    ({"active": 1, "startTime": START}, {"active": -1, "startTime": START},
     ["status.active: Invalid value: -1: must be greater than or equal to 0"], "a negative count is refused"),
    ({"active": 1, "ready": 0, "startTime": START}, {"active": 1, "ready": 1, "startTime": START}, [],
     "a pod becoming ready is a fine update"),
]


@pytest.mark.parametrize("old, new, expected", [c[:3] for c in CASES], ids=[c[3] for c in CASES])
def test_job_status_update_validation(old, new, expected):
    assert status_errors(old, new) == expected


def test_indexed_completed_indexes_beyond_completions_are_refused():
    errs = status_errors({"startTime": START}, {"startTime": START, "completedIndexes": "0-3"},
                         completionMode="Indexed", completions=3, parallelism=3)
    assert errs == ['status.completedIndexes: Invalid value: "0-3": error parsing completedIndexes: '
                    'too large index: "3"']


def test_a_plain_update_of_a_job_does_not_run_the_status_rules():
    old = job(active=1, ready=1, startTime=START)
    new = copy.deepcopy(old)
    new["status"]["active"] = 0
    assert [e.error() for e in validate(new, old) if e.field.startswith("status")] == []


def test_the_v1_32_job_controller_bug_gets_422_while_a_replacement_waits_out_its_back_off():
    """kubernetes#139428: active written as 0 while one pod is still ready; the API server refuses it."""
    c = Cluster(workers=2, seed=0)
    c.settle()
    c.api.create({"apiVersion": "batch/v1", "kind": "Job",
                  "metadata": {"name": "pair", "namespace": "default"},
                  "spec": {"parallelism": 2, "completions": 2, "template": {"spec": {
                      "restartPolicy": "Never", "containers": [{"name": "w", "image": "busybox",
                                                                "command": ["sh", "-c", "sleep 60"]}]}}}})
    c.run(seconds=5)
    pod = c.api.list("pods", "default", label_selector="job-name=pair")[0]["metadata"]["name"]
    c.kubectl(f"delete pod {pod} --grace-period=0 --force")
    c.run(seconds=20)
    refused = [(round(s.time), s.detail) for s in c.trace
               if s.object == "job/default/pair" and s.action == "update" and "422" in str(s.detail)]
    assert refused[0][1] == ('422 Invalid: Job.batch "pair" is invalid: status.ready: Invalid value: 1: '
                             'cannot set more ready pods than active')
    assert [t for t, _ in refused] == [6, 7, 9, 13]  # the Job controller's own retries: 1 s, 2 s, 4 s
    status = c.api.get("jobs", "pair")["status"]
    # after the back-off the write is consistent again
    assert (status["active"], status["ready"], status["failed"]) == (2, 2, 1)
