"""batch/v1 validation: Job and CronJob.

A Job's pods must not restart ``Always`` (they are meant to finish), its selector is generated
from its uid, and after creation its template and selector are frozen.

>>> job = {"kind": "Job", "metadata": {"name": "j"},
...        "spec": {"template": {"spec": {"restartPolicy": "Always"}}}}
>>> [e.error() for e in validate_job(job) if "restartPolicy" in e.field]
['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']

Simplifies: no pod failure policy, success policy or backoff-per-index rules; the cron parser
covers the five standard fields, names and ``@`` descriptors; a frozen template is reported
with a placeholder instead of Go's full struct dump.

Upstream: pkg/apis/batch/validation/validation.go, github.com/robfig/cron/v3 parser.go
"""

from __future__ import annotations

from k8slearn.api import field
from k8slearn.api.field import FieldError, GoValue, Path, go_string_map
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.names import is_dns1123_label, name_is_dns_subdomain
from k8slearn.api.validation.common import (
    FIELD_IMMUTABLE, as_dict, go_label_selector, nonnegative, validate_immutable, validate_label_selector,
    validate_object_meta, validate_object_meta_update,
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

_CRON_FIELDS = [(0, 59, {}), (0, 23, {}), (1, 31, {}),
                (1, 12,
                 {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}),
                (0, 6, {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())})]
_DESCRIPTORS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}


def cron_error(schedule: str) -> str | None:
    """robfig/cron ParseStandard: the error text, or None when the schedule is valid."""
    spec = schedule.strip()
    if not spec:
        return "empty spec string"
    if spec.startswith("TZ=") or spec.startswith("CRON_TZ="):
        spec = spec.split(None, 1)[1] if " " in spec else ""
    if spec.startswith("@"):
        if spec in _DESCRIPTORS or spec.startswith("@every "):
            return None
        return f"unrecognized descriptor: {spec}"
    fields = spec.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]"
    for text, (lo, hi, names) in zip(fields, _CRON_FIELDS):
        for expr in text.split(","):
            err = _cron_range(expr, lo, hi, names)
            if err:
                return err
    return None


def _cron_int(text: str, names: dict) -> tuple[int | None, str | None]:
    if text.lower() in names:
        return names[text.lower()], None
    if not text.isdigit():
        return None, f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax'
    return int(text), None


def _cron_range(expr: str, lo: int, hi: int, names: dict) -> str | None:
    range_and_step = expr.split("/")
    if len(range_and_step) > 2:
        return f"too many slashes: {expr}"
    low_high = range_and_step[0].split("-")
    if len(low_high) > 2:
        return f"too many hyphens: {expr}"
    if low_high[0] in ("*", "?"):
        start, end = lo, hi
    else:
        start, err = _cron_int(low_high[0], names)
        if err:
            return err
        end = start
        if len(low_high) == 2:
            end, err = _cron_int(low_high[1], names)
            if err:
                return err
    if len(range_and_step) == 2:
        step, err = _cron_int(range_and_step[1], {})
        if err:
            return err
        if step <= 0:
            return f"step of range should be a positive number: {expr}"
    if start < lo:
        return f"beginning of range ({start}) below minimum ({lo}): {expr}"
    if end > hi:
        return f"end of range ({end}) above maximum ({hi}): {expr}"
    if start > end:
        return f"beginning of range ({start}) beyond end of range ({end}): {expr}"
    return None


def _cron_spec(spec: dict, old_spec: dict | None) -> list[FieldError]:
    errs = []
    schedule = spec.get("schedule") or ""
    if not schedule:
        errs.append(field.required(SPEC.child("schedule")))
    else:
        err = cron_error(schedule)
        if err:
            errs.append(field.invalid(SPEC.child("schedule"), schedule, err))
        if "TZ" in schedule and "TZ" not in (old_spec or {}).get("schedule", ""):
            errs.append(field.invalid(SPEC.child("schedule"), schedule,
                                      "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
    if spec.get("startingDeadlineSeconds") is not None:
        errs += nonnegative(spec["startingDeadlineSeconds"], SPEC.child("startingDeadlineSeconds"))
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

