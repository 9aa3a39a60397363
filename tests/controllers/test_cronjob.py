"""The CronJob controller in a whole simulated cluster: Jobs on the simulated clock, policies, history.

Simulated time 0 is 2026-01-05T09:00:00Z; a CronJob created at once has its first ``*/1`` run at
09:01:00, so its Jobs are named after 29460061, 29460062, ... (minutes since 1970).
"""

import pytest

from k8slearn import Cluster
from k8slearn.controllers.manager import ControllerManager

MINUTE = {1: 29460061, 2: 29460062, 3: 29460063, 4: 29460064, 5: 29460065, 6: 29460066}


def cronjob(name="hello", command="echo hi", schedule="*/1 * * * *", restart="OnFailure", **spec):
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name, "namespace": "default"},
            "spec": {"schedule": schedule, **spec, "jobTemplate": {
                "metadata": {"labels": {"team": "batch"}, "annotations": {"owner": "ops"}},
                "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": restart, "containers": [
                    {"name": "c", "image": "busybox", "command": ["sh", "-c", command]}]}}}}}}


@pytest.fixture
def cluster():
    c = Cluster(workers=2, seed=0)
    c.settle()
    return c


def job_names(c, cj="hello"):
    return sorted(j["metadata"]["name"] for j in c.api.list("jobs", "default")
                  if (j["metadata"].get("ownerReferences") or [{}])[0].get("name") == cj)


def events(c, name="hello"):
    return [(e["type"], e["reason"], e["message"]) for e in sorted(
        (e for e in c.api.list("events", "default")
         if e["involvedObject"]["kind"] == "CronJob" and e["involvedObject"]["name"] == name),
        key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))]


def until(c, hh_mm_ss):
    """Run the cluster until the given wall time of 2026-01-05 (09:mm:ss)."""
    h, m, s = (int(x) for x in hh_mm_ss.split(":"))
    c.run(seconds=(h - 9) * 3600 + m * 60 + s - c.now)


def test_an_every_minute_cronjob_makes_one_job_per_minute_named_after_its_scheduled_minute(cluster):
    c = cluster
    c.api.create(cronjob())
    until(c, "09:03:05")
    assert job_names(c) == [f"hello-{MINUTE[m]}" for m in (1, 2, 3)]
    job = c.api.get("jobs", f"hello-{MINUTE[2]}")
    meta = job["metadata"]
    assert meta["annotations"] == {"batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-01-05T09:02:00Z",
                                   "owner": "ops"}
    assert meta["labels"] == {"team": "batch"}
    assert meta["creationTimestamp"] == "2026-01-05T09:02:00Z"
    owner = c.api.get("cronjobs", "hello")
    assert meta["ownerReferences"] == [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "hello",
                                        "uid": owner["metadata"]["uid"], "controller": True,
                                        "blockOwnerDeletion": True}]
    assert owner["status"] == {"lastScheduleTime": "2026-01-05T09:03:00Z",
                               "lastSuccessfulTime": "2026-01-05T09:03:02Z"}
    first = f"hello-{MINUTE[1]}"
    assert events(c)[:2] == [("Normal", "SuccessfulCreate", f"Created job {first}"),
                             ("Normal", "SawCompletedJob", f"Saw completed job: {first}, status: Complete")]
    rows = [line.split() for line in c.kubectl("get cronjobs").stdout.splitlines()]
    assert rows == [["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST", "SCHEDULE", "AGE"],
                    ["hello", "*/1", "*", "*", "*", "*", "<none>", "False", "0", "5s", "3m5s"]]


def test_a_running_job_is_listed_in_status_active_with_its_reference(cluster):
    c = cluster
    c.api.create(cronjob(command="sleep 30"))
    until(c, "09:01:10")
    job = c.api.get("jobs", f"hello-{MINUTE[1]}")
    active = c.api.get("cronjobs", "hello")["status"]["active"]
    assert [(r["kind"], r["name"], r["uid"]) for r in active] == [("Job", job["metadata"]["name"],
                                                                    job["metadata"]["uid"])]
    assert c.kubectl("get cronjobs").stdout.splitlines()[1].split()[-4:] == ["False", "1", "10s", "70s"]


def test_forbid_skips_a_run_while_the_last_one_runs_and_starts_it_late_when_that_ends(cluster):
    c = cluster
    c.api.create(cronjob(command="sleep 75", concurrencyPolicy="Forbid"))
    until(c, "09:02:10")
    assert job_names(c) == [f"hello-{MINUTE[1]}"]
    skipped = "Not starting job because prior execution is running and concurrency policy is Forbid"
    assert ("Normal", "JobAlreadyActive", skipped) in events(c)
    until(c, "09:02:45")  # the 09:01 Job ended at about 09:02:16: the skipped 09:02 run starts then
    assert job_names(c) == [f"hello-{MINUTE[1]}", f"hello-{MINUTE[2]}"]
    late = c.api.get("jobs", f"hello-{MINUTE[2]}")["metadata"]
    assert late["creationTimestamp"] > "2026-01-05T09:02:10Z"
    assert late["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2026-01-05T09:02:00Z"


def test_forbid_with_a_starting_deadline_drops_the_skipped_run(cluster):
    c = cluster
    c.api.create(cronjob(command="sleep 75", concurrencyPolicy="Forbid", startingDeadlineSeconds=10))
    until(c, "09:03:05")
    assert job_names(c) == [f"hello-{MINUTE[1]}", f"hello-{MINUTE[3]}"]


def test_replace_deletes_the_running_job_and_starts_the_new_one(cluster):
    c = cluster
    c.api.create(cronjob(command="sleep 75", concurrencyPolicy="Replace"))
    until(c, "09:02:05")
    assert job_names(c) == [f"hello-{MINUTE[2]}"]
    assert events(c)[:3] == [("Normal", "SuccessfulCreate", f"Created job hello-{MINUTE[1]}"),
                             ("Normal", "SuccessfulDelete", f"Deleted job hello-{MINUTE[1]}"),
                             ("Normal", "SuccessfulCreate", f"Created job hello-{MINUTE[2]}")]
    assert [r["name"] for r in c.api.get("cronjobs", "hello")["status"]["active"]] == [f"hello-{MINUTE[2]}"]


def test_allow_runs_jobs_side_by_side(cluster):
    c = cluster
    c.api.create(cronjob(command="sleep 150"))
    until(c, "09:03:05")
    assert len(c.api.get("cronjobs", "hello")["status"]["active"]) == 3


def test_suspend_stops_new_jobs_and_resuming_runs_the_latest_missed_time_at_once(cluster):
    c = cluster
    c.api.create(cronjob())
    until(c, "09:01:30")
    c.kubectl(["patch", "cronjob", "hello", "-p", '{"spec":{"suspend":true}}'])
    until(c, "09:05:30")
    assert job_names(c) == [f"hello-{MINUTE[1]}"]
    assert c.kubectl("get cronjobs").stdout.splitlines()[1].split()[7] == "True"
    c.kubectl(["patch", "cronjob", "hello", "-p", '{"spec":{"suspend":false}}'])
    until(c, "09:05:35")
    assert job_names(c) == [f"hello-{MINUTE[1]}", f"hello-{MINUTE[5]}"]  # 09:02-09:04 are not made up
    assert c.api.get("cronjobs", "hello")["status"]["lastScheduleTime"] == "2026-01-05T09:05:00Z"


def test_history_limits_keep_the_three_newest_successful_jobs(cluster):
    c = cluster
    c.api.create(cronjob())
    until(c, "09:06:30")
    assert job_names(c) == [f"hello-{MINUTE[m]}" for m in (4, 5, 6)]
    deleted = [m for t, reason, m in events(c) if reason == "SuccessfulDelete"]
    assert deleted == [f"Deleted job hello-{MINUTE[m]}" for m in (1, 2, 3)]
    assert [e for e in events(c) if e[0] == "Warning"] == []


def test_history_limits_keep_one_failed_job(cluster):
    c = cluster
    c.api.create(cronjob(command="exit 1", restart="Never"))
    until(c, "09:03:30")
    assert job_names(c) == [f"hello-{MINUTE[3]}"]
    assert ("Normal", "SawCompletedJob", f"Saw completed job: hello-{MINUTE[3]}, status: Failed") in events(c)


def test_a_history_limit_of_zero_deletes_a_job_as_soon_as_it_finishes(cluster):
    c = cluster
    c.api.create(cronjob(successfulJobsHistoryLimit=0))
    until(c, "09:01:30")
    assert job_names(c) == []
    assert c.api.list("pods", "default") == []


def restart_controller_manager(c, down_until):
    """Power the controller manager off now and start a new one at ``down_until``."""
    c.controller_manager.stop()
    until(c, down_until)
    client = c.apiserver.client("kube-controller-manager")
    standby = ControllerManager(c.loop, client, hostname="control-plane-2")
    standby.start()
    return standby


DOWN = [
    (None, "09:05:45", [1, 5], "without a deadline the latest missed time runs when the controller is back"),
    (120, "09:05:45", [1, 5], "a deadline the latest missed time is within still runs it"),
    (10, "09:05:45", [1, 6], "a deadline every missed time is past skips them all"),
]


@pytest.mark.parametrize("deadline, check_at, minutes", [d[:3] for d in DOWN], ids=[d[3] for d in DOWN])
def test_missed_schedules_while_the_controller_manager_was_down(cluster, deadline, check_at, minutes):
    c = cluster
    spec = {} if deadline is None else {"startingDeadlineSeconds": deadline}
    c.api.create(cronjob(**spec))
    until(c, "09:01:30")
    restart_controller_manager(c, "09:05:20")
    until(c, check_at)
    if minutes[-1] == 6:
        until(c, "09:06:05")
    assert job_names(c) == [f"hello-{MINUTE[m]}" for m in minutes]
    assert [e for e in events(c) if e[0] == "Warning"] == []  # a skipped time is skipped silently


def test_more_than_100_missed_times_warn_and_run_only_the_latest(cluster):
    c = cluster
    c.api.create(cronjob())
    until(c, "09:00:30")
    restart_controller_manager(c, "10:45:00")
    until(c, "10:45:40")
    assert job_names(c) == ["hello-29460165"]  # 10:45
    assert ("Warning", "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
            ) in events(c)


def test_a_time_zone_names_the_wall_clock_and_the_annotation_carries_its_offset(cluster):
    c = cluster
    c.api.create(cronjob(schedule="1 18 * * *", timeZone="Asia/Seoul"))  # 18:01 in Seoul is 09:01 UTC
    until(c, "09:01:05")
    assert job_names(c) == [f"hello-{MINUTE[1]}"]
    annotations = c.api.get("jobs", f"hello-{MINUTE[1]}")["metadata"]["annotations"]
    assert annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2026-01-05T18:01:00+09:00"
    assert c.kubectl("get cronjobs").stdout.splitlines()[1].split()[:7] == [
        "hello", "1", "18", "*", "*", "*", "Asia/Seoul"]


def test_a_job_deleted_by_hand_goes_missing_from_the_active_list(cluster):
    c = cluster
    c.api.create(cronjob(command="sleep 30"))
    until(c, "09:01:05")
    c.api.delete("jobs", f"hello-{MINUTE[1]}", "default")
    until(c, "09:01:10")
    assert "active" not in c.api.get("cronjobs", "hello")["status"]
    assert ("Normal", "MissingJob", f"Active job went missing: hello-{MINUTE[1]}") in events(c)


def test_changing_the_schedule_waits_for_the_new_schedules_next_time(cluster):
    c = cluster
    c.api.create(cronjob(schedule="0 * * * *"))
    until(c, "09:01:30")
    c.kubectl(["patch", "cronjob", "hello", "-p", '{"spec":{"schedule":"*/2 * * * *"}}'])
    until(c, "09:02:05")
    assert job_names(c) == [f"hello-{MINUTE[2]}"]


def test_deleting_the_cronjob_deletes_its_jobs_and_their_pods(cluster):
    c = cluster
    c.api.create(cronjob(command="sleep 100"))
    until(c, "09:02:10")
    c.kubectl("delete cronjob hello")
    c.run(seconds=40)
    assert job_names(c) == []
    assert c.api.list("pods", "default") == []


def trace_of(seed):
    c = Cluster(workers=2, seed=seed)
    c.settle()
    c.api.create(cronjob(command="sleep 70", concurrencyPolicy="Forbid"))
    c.run(seconds=200)
    return [(round(s.time, 6), s.component, s.action, s.object, s.detail) for s in c.trace]


def test_the_same_seed_gives_the_same_trace():
    assert trace_of(3) == trace_of(3)


def test_describe_cronjob_shows_the_policies_the_last_run_and_the_active_jobs(cluster):
    c = cluster
    c.api.create(cronjob(command="sleep 30", startingDeadlineSeconds=20))
    until(c, "09:01:10")
    lines = c.kubectl("describe cronjob hello").stdout.splitlines()
    head = [line.split(":", 1)[0] for line in lines[:13]]
    assert head == ["Name", "Namespace", "Labels", "Annotations", "Schedule", "Concurrency Policy", "Suspend",
                    "Successful Job History Limit", "Failed Job History Limit", "Starting Deadline Seconds",
                    "Selector", "Parallelism", "Completions"]
    assert lines[9].split(":", 1)[1].strip() == "20s"
    assert "Last Schedule Time:  Mon, 05 Jan 2026 09:01:00 +0000" in lines
    assert f"Active Jobs:         hello-{MINUTE[1]}" in lines
    assert lines[-1].split(None, 4) == ["Normal", "SuccessfulCreate", "10s", "cronjob-controller",
                                        f"Created job hello-{MINUTE[1]}"]


def test_the_controller_wakes_100_ms_after_the_scheduled_time_on_the_simulated_clock(cluster):
    c = cluster
    c.api.create(cronjob())
    until(c, "09:01:05")
    job = f"job/default/hello-{MINUTE[1]}"
    creates = [s.time for s in c.trace if s.action == "create" and s.object == job]
    assert creates == [pytest.approx(60.1)]


def test_an_every_descriptor_counts_from_the_creation_time(cluster):
    c = cluster
    c.api.create(cronjob(schedule="@every 2m"))
    until(c, "09:04:05")
    assert job_names(c) == [f"hello-{MINUTE[2]}", f"hello-{MINUTE[4]}"]
