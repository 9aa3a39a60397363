"""batch/v1 validation: Job and CronJob.

A Job's pods must not restart ``Always`` (they are meant to finish), its selector is generated
from its uid, and after creation its template and selector are frozen.

>>> job = {"kind": "Job", "metadata": {"name": "j"},
...        "spec": {"template": {"spec": {"restartPolicy": "Always"}}}}
>>> [e.error() for e in validate_job(job) if "restartPolicy" in e.field]
['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']

A CronJob's ``schedule`` must parse with robfig/cron's standard parser (``k8slearn.api.cron``);
a new schedule may not carry ``TZ=``/``CRON_TZ=`` (the ``timeZone`` field says it instead):

>>> errs = validate_schedule_format("TZ=UTC 0 * * * *", False, None, SPEC.child("schedule"))
>>> errs[0].field, errs[0].detail
('spec.schedule', 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead')
>>> [e.error() for e in validate_time_zone("Mars/Olympus", SPEC.child("timeZone"))]
['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']

Simplifies: no pod failure policy, success policy or backoff-per-index rules; a frozen template
is reported with a placeholder instead of Go's full struct dump. Job status rules are in
``batch_status``.

Upstream: pkg/apis/batch/validation/validation.go, github.com/robfig/cron/v3 parser.go
"""

from __future__ import annotations

import re

from k8slearn.api import field
from k8slearn.api.cron import CronError, cron_error, load_location
from k8slearn.api.field import FieldError, GoValue, Path, go_string_map
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.names import is_dns1123_label, name_is_dns_subdomain
from k8slearn.api.validation.common import (
    FIELD_IMMUTABLE,
    as_dict,
    go_label_selector,
    nonnegative,
    validate_immutable,
    validate_label_selector,
    validate_object_meta,
    validate_object_meta_update,
)
from k8slearn.api.validation.pod import validate_pod_template_spec

SPEC = Path("spec")
UID_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid")
NAME_LABELS = ("job-name", "batch.kubernetes.io/job-name")


def _has_label(template: dict, key: str, expected: str) -> list[FieldError]:
    labels = as_dict(as_dict(template.get("metadata")).get("labels"))
    path = SPEC.child("template", "metadata", "labels").key(key)
    if key not in labels:
        return [field.required(path, f"must be '{expected}'")]
    if labels[key] != expected:
        return [field.invalid(path, go_string_map(labels), f"must be '{expected}'")]
    return []


def _generated_selector(job: dict) -> list[FieldError]:
    """validateGeneratedSelector: the template carries the uid/name labels the selector picks."""
    spec, meta = as_dict(job.get("spec")), as_dict(job.get("metadata"))
    if spec.get("manualSelector") or spec.get("selector") is None:
        return []
    errs = []
    uid, name = meta.get("uid") or "", meta.get("name") or ""
    if not uid:
        errs.append(field.required(Path("metadata.uid")))
    template = as_dict(spec.get("template"))
    for key, expected in ((UID_LABELS[0], uid), (NAME_LABELS[0], name), (UID_LABELS[1], uid),
                          (NAME_LABELS[1], name)):
        errs += _has_label(template, key, expected)
    expected_labels = {UID_LABELS[0]: uid, NAME_LABELS[0]: name, UID_LABELS[1]: uid, NAME_LABELS[1]: name}
    try:
        if not selector_from_label_selector(spec["selector"]).matches(expected_labels):
            errs.append(field.invalid(SPEC.child("selector"), go_label_selector(spec["selector"]),
                                      "`selector` not auto-generated"))
    except ValueError:
        pass
    return errs


def _job_spec_core(spec: dict, path: Path) -> list[FieldError]:
    """validateJobSpec: counts, completion mode, replacement policy, template and restart policy."""
    errs = []
    for key in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                "ttlSecondsAfterFinished"):
        if spec.get(key) is not None:
            errs += nonnegative(spec[key], path.child(key))
    mode = spec.get("completionMode")
    if mode is not None:
        if mode not in ("NonIndexed", "Indexed"):
            errs.append(field.not_supported(path.child("completionMode"), mode, ["NonIndexed", "Indexed"]))
        if mode == "Indexed" and spec.get("completions") is None:
            errs.append(field.required(path.child("completions"), "when completion mode is Indexed"))
    replacement = spec.get("podReplacementPolicy")
    if replacement is not None:
        if spec.get("podFailurePolicy") is not None:
            if replacement != "Failed":
                errs.append(field.not_supported(path.child("podReplacementPolicy"), replacement, ["Failed"]))
        elif replacement not in ("Failed", "TerminatingOrFailed"):
            errs.append(field.not_supported(path.child("podReplacementPolicy"), replacement,
                                            ["Failed", "TerminatingOrFailed"]))
    template = as_dict(spec.get("template"))
    errs += validate_pod_template_spec(template, path.child("template"))
    policy = as_dict(template.get("spec")).get("restartPolicy") or ""
    rp = path.child("template", "spec", "restartPolicy")
    if policy in ("Always", ""):
        errs.append(field.required(rp, 'valid values: "OnFailure", "Never"'))
    elif policy not in ("OnFailure", "Never"):
        errs.append(field.not_supported(rp, policy, ["OnFailure", "Never"]))
    elif spec.get("podFailurePolicy") is not None and policy != "Never":
        errs.append(field.invalid(rp, policy, 'only "Never" is supported when podFailurePolicy is specified'))
    return errs


def _job_spec(spec: dict) -> list[FieldError]:
    """ValidateJobSpec: validateJobSpec plus the selector."""
    errs = _job_spec_core(spec, SPEC)
    if spec.get("selector") is None:
        errs.append(field.required(SPEC.child("selector")))
    else:
        errs += validate_label_selector(spec["selector"], SPEC.child("selector"))
        template = as_dict(spec.get("template"))
        try:
            sel = selector_from_label_selector(spec["selector"])
        except ValueError:
            return errs
        if not sel.matches(as_dict(as_dict(template.get("metadata")).get("labels"))):
            errs.append(field.invalid(SPEC.child("template", "metadata", "labels"),
                                      go_string_map(as_dict(template.get("metadata")).get("labels")),
                                      "`selector` does not match template `labels`"))
    return errs


def validate_job(job: dict) -> list[FieldError]:
    """ValidateJob (create). Run ``defaults.generate_job_selector`` first, as the Job strategy does."""
    meta, spec = as_dict(job.get("metadata")), as_dict(job.get("spec"))
    errs = validate_object_meta(meta, name_is_dns_subdomain)
    errs += _generated_selector(job)
    errs += _job_spec(spec)
    completions = spec.get("completions")
    if spec.get("completionMode") == "Indexed" and isinstance(completions, int) and completions > 0:
        hostname = f"{meta.get('name', '')}-{completions - 1}"
        if is_dns1123_label(hostname):
            errs.append(field.invalid(Path("metadata.name"), meta.get("name", ""),
                                      f"will not able to create pod with invalid DNS label: {hostname}"))
    return errs


def validate_job_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateJobUpdate: selector, template, completions and modes are frozen after creation."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    ns, os_ = as_dict(new.get("spec")), as_dict(old.get("spec"))
    errs += _job_spec(ns)
    errs += validate_immutable(ns.get("completions"), os_.get("completions"), SPEC.child("completions"))
    errs += validate_immutable(ns.get("selector"), os_.get("selector"), SPEC.child("selector"),
                               go_label_selector)
    if ns.get("template") != os_.get("template"):
        errs.append(field.invalid(SPEC.child("template"), GoValue("core.PodTemplateSpec{...}"),
                                  FIELD_IMMUTABLE))
    for key in ("completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy",
                "podReplacementPolicy"):
        errs += validate_immutable(ns.get(key), os_.get(key), SPEC.child(key))
    return errs


# --- CronJob -----------------------------------------------------------------------------

_TIME_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


def validate_schedule_format(schedule: str, allow_tz_in_schedule: bool, time_zone: str | None,
                             path: Path) -> list[FieldError]:
    """validateScheduleFormat: robfig/cron's ParseStandard, and no TZ= in a new schedule."""
    errs = []
    err = cron_error(schedule)
    if err:
        errs.append(field.invalid(path, schedule, err))
    if allow_tz_in_schedule and "TZ" in schedule and time_zone is not None:
        errs.append(field.invalid(path, schedule,
                                  "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
    elif not allow_tz_in_schedule and "TZ" in schedule:
        errs.append(field.invalid(path, schedule,
                                  "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
    return errs


def validate_time_zone(time_zone: str | None, path: Path) -> list[FieldError]:
    """validateTimeZone: an IANA name (``Europe/Berlin``), never empty and never ``Local``."""
    if time_zone is None:
        return []
    if time_zone == "":
        return [field.invalid(path, time_zone, "timeZone must be nil or non-empty string")]
    for part in time_zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TIME_ZONE_PART.fullmatch(part):
            return [field.invalid(path, time_zone, f"unknown time zone {time_zone}")]
    errs = []
    if time_zone.lower() == "local":
        errs.append(field.invalid(path, time_zone,
                                  "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
    try:
        load_location(time_zone)
    except CronError as err:
        errs.append(field.invalid(path, time_zone, str(err)))
    return errs


def _cron_spec(spec: dict, old_spec: dict | None) -> list[FieldError]:
    errs = []
    schedule = spec.get("schedule") or ""
    if not schedule:
        errs.append(field.required(SPEC.child("schedule")))
    else:
        allow_tz = old_spec is not None and "TZ" in (old_spec.get("schedule") or "")
        errs += validate_schedule_format(schedule, allow_tz, spec.get("timeZone"), SPEC.child("schedule"))
    if spec.get("startingDeadlineSeconds") is not None:
        errs += nonnegative(spec["startingDeadlineSeconds"], SPEC.child("startingDeadlineSeconds"))
    if old_spec is None or old_spec.get("timeZone") != spec.get("timeZone"):
        errs += validate_time_zone(spec.get("timeZone"), SPEC.child("timeZone"))
    policy = spec.get("concurrencyPolicy") or ""
    if not policy:
        errs.append(field.required(SPEC.child("concurrencyPolicy")))
    elif policy not in ("Allow", "Forbid", "Replace"):
        errs.append(field.not_supported(SPEC.child("concurrencyPolicy"), policy,
                                        ["Allow", "Forbid", "Replace"]))
    jt_path = SPEC.child("jobTemplate")
    job_spec = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
    errs += _job_spec_core(job_spec, jt_path.child("spec"))
    if job_spec.get("selector") is not None:
        errs.append(field.invalid(jt_path.child("spec", "selector"), go_label_selector(job_spec["selector"]),
                                  "`selector` will be auto-generated"))
    if job_spec.get("manualSelector"):
        errs.append(field.not_supported(jt_path.child("spec", "manualSelector"), True, ["nil", "false"]))
    for key in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if spec.get(key) is not None:
            errs += nonnegative(spec[key], SPEC.child(key))
    return errs


def validate_cron_job(cj: dict) -> list[FieldError]:
    meta = as_dict(cj.get("metadata"))
    errs = validate_object_meta(meta, name_is_dns_subdomain)
    errs += _cron_spec(as_dict(cj.get("spec")), None)
    if len(meta.get("name") or "") > 52:
        errs.append(field.invalid(Path("metadata.name"), meta["name"], "must be no more than 52 characters"))
    return errs


def validate_cron_job_update(new: dict, old: dict) -> list[FieldError]:
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    return errs + _cron_spec(as_dict(new.get("spec")), as_dict(old.get("spec")))

