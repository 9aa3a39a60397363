"""The CronJob controller's arithmetic: which scheduled time is due, when to wake up, the Job to make.

Times here are aware ``datetime`` values in UTC: the simulated clock's seconds from
``EPOCH`` (2026-01-05T09:00:00Z, a Monday). ``most_recent_schedule_time`` looks from the last
schedule time (or the CronJob's creation) up to now and returns the latest time a Job should
have started, and whether none, a few or many (more than 100) times were missed::

    >>> from k8slearn.api.cron import parse_standard
    >>> cj = {"metadata": {"creationTimestamp": "2026-01-05T09:00:00Z"}, "spec": {}, "status": {}}
    >>> every_minute = parse_standard("*/1 * * * *")
    >>> earliest, recent, missed = most_recent_schedule_time(cj, to_time(150.5), every_minute, False)
    >>> recent.isoformat(), missed       # 09:01 and 09:02 both passed: the latest counts
    ('2026-01-05T09:02:00+00:00', 'few')
    >>> next_schedule_time_duration(cj, to_time(150.5), every_minute)   # wake at 09:03:00.1
    29.6
    >>> get_job_name({"metadata": {"name": "hello"}}, to_time(60))      # minutes since 1970
    'hello-29460061'

The count of missed times is an estimate (elapsed time over the gap between the next two
runs), as upstream's; only "many" matters: it adds the ``TooManyMissedTimes`` warning.

Simplified: no metrics (CronJobCreationSkew). Upstream: pkg/controller/cronjob/utils.go (v1.32)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from k8slearn.api.cron import CronError, load_location, parse_standard
from k8slearn.api.meta import EPOCH, owner_reference, parse_timestamp, thaw

NEXT_SCHEDULE_DELTA = 0.1  # 100 ms padding against clock skew
SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"
NONE_MISSED, FEW_MISSED, MANY_MISSED = "none", "few", "many"
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=EPOCH.tzinfo)


def to_time(seconds: float) -> datetime:
    """The calendar time of a simulated-clock reading."""
    return EPOCH + timedelta(seconds=seconds)


def from_time(t: datetime) -> float:
    return (t - EPOCH).total_seconds()


def parse_time(text: str) -> datetime:
    return to_time(parse_timestamp(text))


def in_active_list(cj: dict, uid: str) -> bool:
    return any(ref.get("uid") == uid for ref in cj["status"].get("active") or ())


def in_active_list_by_name(cj: dict, name: str, namespace: str) -> bool:
    return any(ref.get("name") == name and ref.get("namespace") == namespace
               for ref in cj["status"].get("active") or ())


def delete_from_active_list(cj: dict, uid: str) -> None:
    """Forget one Job; an empty list is left out, as ``omitempty`` does on the wire."""
    active = [ref for ref in cj["status"].get("active") or () if ref.get("uid") != uid]
    if active:
        cj["status"]["active"] = active
    else:
        cj["status"].pop("active", None)


def get_finished_status(job: dict) -> tuple[bool, str]:
    """(finished, "Complete" or "Failed"): the first Complete/Failed condition that is True."""
    for cond in (job.get("status") or {}).get("conditions") or ():
        if cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True":
            return True, cond["type"]
    return False, ""


def is_job_finished(job: dict) -> bool:
    return get_finished_status(job)[0]


def is_job_succeeded(job: dict) -> bool:
    return any(c.get("type") == "Complete" and c.get("status") == "True"
               for c in (job.get("status") or {}).get("conditions") or ())


def _seconds(delta: timedelta) -> float:
    return delta.total_seconds()


def most_recent_schedule_time(cj: dict, now: datetime, schedule: Any, include_starting_deadline: bool
                              ) -> tuple[datetime, datetime | None, str]:
    """mostRecentScheduleTime: (earliest time looked from, most recent due time or None, missed).

    Raises CronError when the schedule never runs or runs twice within a second (``0 0 31 2 *``).
    """
    earliest = parse_time(cj["metadata"]["creationTimestamp"])
    missed = NONE_MISSED
    last = (cj.get("status") or {}).get("lastScheduleTime")
    if last:
        earliest = parse_time(last)
    deadline_seconds = cj["spec"].get("startingDeadlineSeconds")
    if include_starting_deadline and deadline_seconds is not None:
        scheduling_deadline = now - timedelta(seconds=deadline_seconds)
        if scheduling_deadline > earliest:
            earliest = scheduling_deadline
    t1 = schedule.next(earliest)
    t2 = schedule.next(t1) if t1 is not None else None
    if t1 is not None and now < t1:
        return earliest, None, missed
    if t2 is not None and now < t2:
        return earliest, t1, missed
    between = round(_seconds(t2 - t1)) if t1 is not None and t2 is not None else 0
    if between < 1:
        raise CronError("time difference between two schedules is less than 1 second")
    elapsed = int(_seconds(now - t1))
    number_missed = elapsed // between + 1
    most_recent = None
    t = schedule.next(t1 + timedelta(seconds=(number_missed - 2) * between))
    while t is not None and t <= now:
        most_recent = t
        t = schedule.next(t)
    if number_missed > 100:
        missed = MANY_MISSED
    elif number_missed > 0:
        missed = FEW_MISSED
    return earliest, most_recent, missed


def next_schedule_time_duration(cj: dict, now: datetime, schedule: Any) -> float:
    """nextScheduleTimeDuration: seconds until the next run after the last one, plus 100 ms."""
    try:
        earliest, most_recent, missed = most_recent_schedule_time(cj, now, schedule, False)
    except CronError:
        most_recent = now  # still requeue some time: the next slot from now
    else:
        if most_recent is None:
            most_recent = earliest if missed == NONE_MISSED else now
    nxt = schedule.next(most_recent)
    if nxt is None:  # Go's zero time: a negative wait, i.e. at once
        return 0.0
    return round(_seconds(nxt - now) + NEXT_SCHEDULE_DELTA, 6)


def next_schedule_time(cj: dict, now: datetime, schedule: Any, recorder: Any) -> datetime | None:
    """nextScheduleTime: the due time not yet started, or None; warns when more than 100 were missed."""
    _, most_recent, missed = most_recent_schedule_time(cj, now, schedule, True)
    if most_recent is None or most_recent > now:
        return None
    if missed == MANY_MISSED:
        recorder.event(cj, "Warning", "TooManyMissedTimes",
                       "too many missed start times. Set or decrease .spec.startingDeadlineSeconds "
                       "or check clock skew")
    return most_recent


def format_schedule(cj: dict, recorder: Any) -> str:
    """formatSchedule: ``TZ=<timeZone> <schedule>``; a schedule with TZ in it is used as written."""
    spec = cj["spec"]
    if "TZ" in spec["schedule"]:
        if recorder is not None:
            recorder.event(cj, "Warning", "UnsupportedSchedule",
                           f'CRON_TZ or TZ used in schedule "{spec["schedule"]}" is not officially '
                           "supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/"
                           " for more details")
        return spec["schedule"]
    if spec.get("timeZone") is not None:
        try:
            load_location(spec["timeZone"])
        except CronError:
            return spec["schedule"]
        return f"TZ={spec['timeZone']} {spec['schedule']}"
    return spec["schedule"]


def parse_schedule(cj: dict, recorder: Any) -> Any:
    return parse_standard(format_schedule(cj, recorder))


def get_time_hash_in_minutes(scheduled: datetime) -> int:
    """Unix time in minutes: the scheduled time's part of the Job name."""
    return int(_seconds(scheduled - _UNIX_EPOCH)) // 60


def get_job_name(cj: dict, scheduled: datetime) -> str:
    return f"{cj['metadata']['name']}-{get_time_hash_in_minutes(scheduled)}"


def go_rfc3339(t: datetime) -> str:
    """Go's time.RFC3339 (whole seconds): ``Z`` for UTC, else the offset (``+09:00``)."""
    text = t.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if t.utcoffset() == timedelta(0) else text


def get_job_from_template2(cj: dict, scheduled: datetime) -> dict:
    """getJobFromTemplate2: the Job for one scheduled time (name, labels, annotations, owner, spec).

    Raises CronError when ``spec.timeZone`` is unknown (the annotation needs the zone).
    """
    template = cj["spec"].get("jobTemplate") or {}
    template_meta = template.get("metadata") or {}
    annotations = dict(template_meta.get("annotations") or {})
    location = load_location(cj["spec"].get("timeZone") or "")
    annotations[SCHEDULED_TIMESTAMP_ANNOTATION] = go_rfc3339(scheduled.astimezone(location))
    meta: dict = {"name": get_job_name(cj, scheduled), "namespace": cj["metadata"]["namespace"]}
    if template_meta.get("labels"):
        meta["labels"] = dict(template_meta["labels"])
    meta["annotations"] = annotations
    meta["ownerReferences"] = [owner_reference({"apiVersion": "batch/v1", "kind": "CronJob",
                                                "metadata": cj["metadata"]})]
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
            "spec": thaw(template.get("spec") or {})}


def by_job_start_time(job: dict) -> tuple:
    """Sort key: Jobs with a startTime first, oldest first; ties by name (byJobStartTime)."""
    start = (job.get("status") or {}).get("startTime")
    return (start is None, parse_timestamp(start) if start else 0.0, job["metadata"]["name"])


def get_ref(job: dict) -> dict:
    """getRef: the ObjectReference kept in ``status.active``."""
    meta = job["metadata"]
    return {"kind": "Job", "namespace": meta["namespace"], "name": meta["name"], "uid": meta["uid"],
            "apiVersion": "batch/v1", "resourceVersion": meta["resourceVersion"]}
