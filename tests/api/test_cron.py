"""robfig/cron v3's standard parser: next run times, error texts, time zones; CronJob validation."""

import copy
from datetime import datetime

import pytest

from k8slearn.api.cron import UTC, cron_error, load_location, parse_standard
from k8slearn.api.defaults import apply_defaults
from k8slearn.api.validation import validate


def at(text: str, tz=UTC) -> datetime:
    whole, _, fraction = text.partition(".")  # (Python 3.10's fromisoformat wants 3 or 6 digits)
    moment = datetime.fromisoformat(whole)
    if fraction:
        moment = moment.replace(microsecond=int(fraction.ljust(6, "0")))
    return moment.replace(tzinfo=tz)


# robfig/cron's own TestNext table, the cases whose seconds field is 0 (five fields here).
NEXT = [
    ("2012-07-09 14:45", "0/15 * * * *", "2012-07-09 15:00", "a quarter-hour step from minute 0"),
    ("2012-07-09 14:59:59", "0/15 * * * *", "2012-07-09 15:00",
     "one second before the hour runs at the hour"),
    ("2012-07-09 15:45", "20-35/15 * * * *", "2012-07-09 16:20", "a stepped range wraps to the next hour"),
    ("2012-07-09 23:46", "*/15 * * * *", "2012-07-10 00:00", "the last quarter of a day wraps to midnight"),
    ("2012-07-09 23:45", "20-35/15 * * * *", "2012-07-10 00:20", "a stepped range wraps to the next day"),
    ("2012-07-09 23:35", "20-35/15 1/2 * * *", "2012-07-10 01:20", "an hour step from 1 means odd hours"),
    ("2012-07-09 23:35", "20-35/15 10-12 * * *", "2012-07-10 10:20", "an hour range starts the next morning"),
    ("2012-07-09 23:35", "20-35/15 1/2 */2 * *", "2012-07-11 01:20",
     "every second day of month means odd days"),
    ("2012-07-09 23:35", "20-35/15 * 9-20 Jul *", "2012-07-10 00:20", "a month name narrows to July"),
    ("2012-07-09 23:35", "0 0 9 Apr-Oct ?", "2012-08-09 00:00",
     "the ninth of the next month in a named range"),
    ("2012-07-09 23:35", "0 0 */5 Apr,Aug,Oct Mon", "2012-08-01 00:00",
     "day of month and a weekday both restricted: either one matches"),
    ("2012-07-09 23:35", "0 0 */5 Oct Mon", "2012-10-01 00:00", "October the first is a fifth-day match"),
    ("2012-07-09 23:35", "0 0 * Feb Mon", "2013-02-04 00:00", "a star day of month: the weekday must match"),
    ("2012-07-09 23:35", "0 0 * Feb Mon/2", "2013-02-01 00:00", "Mon/2 means Monday, Wednesday, Friday"),
    ("2012-12-31 23:59:45", "* * * * *", "2013-01-01 00:00", "every minute wraps the year"),
    ("2012-07-09 23:35", "0 0 29 Feb ?", "2016-02-29 00:00", "the 29th of February waits for a leap year"),
    ("2026-01-05 09:00", "@hourly", "2026-01-05 10:00", "hourly is at minute 0"),
    ("2026-01-05 09:00", "@daily", "2026-01-06 00:00", "daily is at midnight"),
    ("2026-01-05 09:00", "@weekly", "2026-01-11 00:00", "weekly is Sunday midnight"),
    ("2026-01-05 09:00", "@monthly", "2026-02-01 00:00", "monthly is the first at midnight"),
    ("2026-01-05 09:00", "@annually", "2027-01-01 00:00", "annually is New Year's midnight"),
    ("2026-01-05 09:00:00.5", "@every 90s", "2026-01-05 09:01:30", "every 90s counts from the whole second"),
    ("2026-01-05 09:00", "*/1 * * * *", "2026-01-05 09:01", "the course's every-minute schedule"),
]


@pytest.mark.parametrize("now, spec, expected", [c[:3] for c in NEXT], ids=[c[3] for c in NEXT])
def test_next_run_time(now, spec, expected):
    assert parse_standard(spec).next(at(now)) == at(expected)


def test_a_schedule_that_never_happens_has_no_next_time():
    assert parse_standard("0 0 31 2 *").next(at("2026-01-05 09:00")) is None


ZONES = [
    ("TZ=Asia/Seoul 0 9 * * *", "2026-01-05 09:00", "2026-01-06 00:00", "9:00 in Seoul is midnight UTC"),
    ("CRON_TZ=America/New_York 30 8 * * *", "2026-01-05 09:00", "2026-01-05 13:30",
     "8:30 in New York in winter is 13:30 UTC"),
    ("TZ=America/New_York 30 8 * * *", "2026-07-05 09:00", "2026-07-05 12:30",
     "8:30 in New York in summer is 12:30 UTC"),
    ("TZ=UTC 0 9 * * *", "2026-01-05 09:00", "2026-01-06 09:00", "UTC is UTC"),
]


@pytest.mark.parametrize("spec, now, expected", [c[:3] for c in ZONES], ids=[c[3] for c in ZONES])
def test_a_time_zone_prefix_moves_the_wall_clock(spec, now, expected):
    assert parse_standard(spec).next(at(now)) == at(expected)


ERRORS = [
    ("", "empty spec string", "an empty spec"),
    ("* * *", "expected exactly 5 fields, found 3: [* * *]", "three fields"),
    ("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]", "six fields (no seconds in k8s)"),
    ("60 * * * *", "end of range (60) above maximum (59): 60", "minute 60"),
    ("* 24 * * *", "end of range (24) above maximum (23): 24", "hour 24"),
    ("* * 0 * *", "beginning of range (0) below minimum (1): 0", "day of month 0"),
    ("* * * 13 *", "end of range (13) above maximum (12): 13", "month 13"),
    ("* * * * 7", "end of range (7) above maximum (6): 7", "weekday 7 (Sunday is 0 only)"),
    ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1", "a backwards range"),
    ("*/0 * * * *", "step of range should be a positive number: */0", "a zero step"),
    ("1-2-3 * * * *", "too many hyphens: 1-2-3", "two hyphens"),
    ("1/2/3 * * * *", "too many slashes: 1/2/3", "two slashes"),
    ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax', "a word"),
    ("-1 * * * *", 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax',
     "a negative minute"),
    ("@sometimes", "unrecognized descriptor: @sometimes", "an unknown descriptor"),
    ("@every 5x", 'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"',
     "a bad unit"),
    ("@every 5", 'failed to parse duration @every 5: time: missing unit in duration "5"', "a missing unit"),
    ("TZ=Mars/Olympus * * * * *", "provided bad location Mars/Olympus: unknown time zone Mars/Olympus",
     "an unknown zone prefix"),
]


@pytest.mark.parametrize("spec, message", [c[:2] for c in ERRORS], ids=[c[2] for c in ERRORS])
def test_parse_errors_have_robfig_crons_text(spec, message):
    assert cron_error(spec) == message


@pytest.mark.parametrize("spec", ["*/1 * * * *", "0 9 * * MON-FRI", "0 0 1 jan,JUL ?", "@every 1h30m",
                                  "@midnight"],
                         ids=["a step of one", "weekday names in capitals", "month names in any case",
                              "an every descriptor with two units", "midnight"])
def test_valid_schedules_parse(spec):
    assert cron_error(spec) is None


def test_an_unknown_location_has_gos_text():
    with pytest.raises(ValueError, match="^unknown time zone Nowhere/Land$"):
        load_location("Nowhere/Land")


# --- CronJob validation ------------------------------------------------------------------

def cronjob(**spec):
    obj = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "tick", "namespace": "default"},
           "spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
               "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "busybox"}]}}}}, **spec}}
    apply_defaults(obj)
    return obj


def errors(obj, old=None):
    return [e.error() for e in validate(obj, old)]


CREATE = [
    ({}, [], "the every-minute CronJob is valid"),
    ({"timeZone": "Asia/Seoul"}, [], "a real IANA zone is valid"),
    ({"timeZone": "Etc/UTC"}, [], "Etc/UTC is valid"),
    ({"schedule": "TZ=UTC */1 * * * *"},
     ['spec.schedule: Invalid value: "TZ=UTC */1 * * * *": cannot use TZ or CRON_TZ in schedule, '
      'use timeZone field instead'], "TZ= in a new schedule is refused"),
    ({"schedule": "CRON_TZ=Nowhere/Land */1 * * * *"},
     ['spec.schedule: Invalid value: "CRON_TZ=Nowhere/Land */1 * * * *": provided bad location Nowhere/Land: '
      'unknown time zone Nowhere/Land',
      'spec.schedule: Invalid value: "CRON_TZ=Nowhere/Land */1 * * * *": cannot use TZ or CRON_TZ in '
      'schedule, use timeZone field instead'], "a bad CRON_TZ gets both errors"),
    ({"timeZone": ""}, ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'],
     "an empty time zone"),
    ({"timeZone": "Local"},
     ['spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in '
      'https://www.iana.org/time-zones'], "Local is not explicit"),
    ({"timeZone": "local"},
     ['spec.timeZone: Invalid value: "local": timeZone must be an explicit time zone as defined in '
      'https://www.iana.org/time-zones',
      'spec.timeZone: Invalid value: "local": unknown time zone local'], "lower-case local gets both errors"),
    ({"timeZone": "Nowhere/Land"},
     ['spec.timeZone: Invalid value: "Nowhere/Land": unknown time zone Nowhere/Land'], "an unknown zone"),
    ({"timeZone": "../etc/passwd"},
     ['spec.timeZone: Invalid value: "../etc/passwd": unknown time zone ../etc/passwd'], "a path is no zone"),
    ({"timeZone": "America/Argentina_Buenos_Aires"},
     ['spec.timeZone: Invalid value: "America/Argentina_Buenos_Aires": unknown time zone '
      'America/Argentina_Buenos_Aires'], "a part longer than 14 characters"),
    ({"startingDeadlineSeconds": -1},
     ["spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0"],
     "a negative starting deadline"),
    ({"concurrencyPolicy": "Sometimes"},
     ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", '
      '"Replace"'],
     "an unknown concurrency policy"),
]


@pytest.mark.parametrize("spec, expected", [c[:2] for c in CREATE], ids=[c[2] for c in CREATE])
def test_cronjob_create_validation(spec, expected):
    assert errors(cronjob(**spec)) == expected


def test_a_cronjob_name_longer_than_52_characters_is_refused():
    obj = cronjob()
    obj["metadata"]["name"] = "a" * 53
    assert errors(obj) == [f'metadata.name: Invalid value: "{"a" * 53}": must be no more than 52 characters']


UPDATES = [
    ("TZ=UTC 0 * * * *", None, "TZ=UTC 5 * * * *", None, [], "a schedule that had TZ may keep it"),
    ("TZ=UTC 0 * * * *", None, "TZ=UTC 5 * * * *", "UTC",
     ['spec.schedule: Invalid value: "TZ=UTC 5 * * * *": cannot use both timeZone field and TZ or CRON_TZ in '
      'schedule'], "but not together with the timeZone field"),
    ("0 * * * *", None, "TZ=UTC 0 * * * *", None,
     ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone '
      'field instead'], "a schedule without TZ may not gain it"),
]


@pytest.mark.parametrize("old_schedule, old_tz, new_schedule, new_tz, expected", [c[:5] for c in UPDATES],
                         ids=[c[5] for c in UPDATES])
def test_cronjob_update_validation(old_schedule, old_tz, new_schedule, new_tz, expected):
    old = cronjob(schedule=old_schedule)
    old["metadata"].update(uid="u1", resourceVersion="5", creationTimestamp="2026-01-05T09:00:00Z")
    if old_tz is not None:
        old["spec"]["timeZone"] = old_tz
    new = copy.deepcopy(old)
    new["spec"]["schedule"] = new_schedule
    if new_tz is not None:
        new["spec"]["timeZone"] = new_tz
    assert errors(new, old) == expected


def test_a_cronjob_status_write_is_not_validated():
    old = cronjob()
    old["metadata"].update(uid="u1", resourceVersion="5", creationTimestamp="2026-01-05T09:00:00Z")
    new = copy.deepcopy(old)
    new["status"] = {"lastScheduleTime": "2026-01-05T09:01:00Z", "active": [{"name": ""}]}
    assert [e.error() for e in validate(new, old, subresource="status")] == []
