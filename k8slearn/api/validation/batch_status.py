"""batch/v1 Job status validation: what ``PUT .../jobs/<name>/status`` may write.

With the JobManagedBy feature (beta, on by default in v1.32) the API server checks that a Job's
status stays consistent, because a controller other than the built-in one may write it. Most
rules run only when the fields they look at *change* in this write, so a Job whose status was
already odd can still be updated in other ways. For example, more ready pods than active ones:

>>> old = {"spec": {}, "status": {"active": 1, "ready": 1}}
>>> new = {"spec": {}, "status": {"active": 0, "ready": 1}}
>>> [e.error() for e in validate_job_status_update(new, old)]
['status.ready: Invalid value: 1: cannot set more ready pods than active']

That is the write the v1.32 Job controller makes while a replacement pod waits out its back-off
(it reports ``active: 0``, kubernetes/kubernetes#139428, fixed in later releases): the real API
server answers 422, the controller's sync fails and is retried with back-off, and until the
back-off ends no status update (and no finalizer removal) gets through.

Terminal conditions need their interim one first (``Failed`` after ``FailureTarget``,
``Complete`` after ``SuccessCriteriaMet``), and a finished Job has a startTime, a completionTime
(Complete) and no active, terminating or uncounted pods.

Simplified: the options are v1.32's ``getStatusValidationOptions`` with JobManagedBy on, as of
the last v1.32 patches: resuming a suspended Job may reset ``startTime`` (the fix of
kubernetes#134521, cherry-picked to 1.32 in #135128; earlier 1.32 patches refused it with
"startTime cannot be removed for unsuspended job"). The interim-condition rules are taken to run
when the terminal condition (or its interim one) flips; upstream may also run them on other
changes. The source read for the option list was a 1.31 strategy.go; the rules 1.32 added
(ready <= active, no terminating pods, the interim conditions) come from the validation code and
the 1.32 upgrade notes of Job API users (kubernetes-sigs/jobset#882).

Upstream: pkg/apis/batch/validation/validation.go (validateJobStatus,
ValidateJobStatusUpdate), pkg/registry/batch/job/strategy.go (getStatusValidationOptions)
"""

from __future__ import annotations

import re
from datetime import timedelta

from k8slearn.api import field
from k8slearn.api.field import OMIT, FieldError, GoValue, Path, go_quote
from k8slearn.api.meta import EPOCH, parse_timestamp
from k8slearn.api.validation.common import as_dict, nonnegative, validate_object_meta_update

STATUS = Path("status")
CONDITIONS = STATUS.child("conditions")


def _cond(detail: str) -> FieldError:
    """An Invalid error on status.conditions without a value (field.OmitValueType)."""
    return field.invalid(CONDITIONS, OMIT, detail)


def _true(job: dict, ctype: str) -> bool:
    return any(c.get("type") == ctype and c.get("status") == "True"
               for c in as_dict(job.get("status")).get("conditions") or ())


def is_job_finished(job: dict) -> bool:
    return _true(job, "Complete") or _true(job, "Failed")


def _go_time(text: str) -> GoValue:
    """A metav1.Time as a bad value: Go's time.Time.String()."""
    moment = EPOCH + timedelta(seconds=parse_timestamp(text))
    return GoValue(moment.strftime("%Y-%m-%d %H:%M:%S +0000 UTC"))


def _uncounted_value(uncounted: dict) -> GoValue:
    def uids(key: str) -> str:
        items = uncounted.get(key)
        if items is None:
            return "[]types.UID(nil)"
        return "[]types.UID{" + ", ".join(go_quote(u) for u in items) + "}"
    return GoValue(f"batch.UncountedTerminatedPods{{Succeeded:{uids('succeeded')}, Failed:{uids('failed')}}}")


def parse_index_interval(text: str, completions: int) -> tuple[int, int]:
    """parseIndexInterval: ``"3"`` or ``"3-5"``, below ``completions``; ValueError with upstream's text."""
    limits = text.split("-")
    if len(limits) > 2:
        raise ValueError(f'the fragment "{text}" violates the requirement that an index interval can have at '
                         "most two parts separated by '-'")
    x = _atoi(limits[0])
    if x >= completions:
        raise ValueError(f'too large index: "{limits[0]}"')
    y = x
    if len(limits) > 1:
        y = _atoi(limits[1])
        if y >= completions:
            raise ValueError(f'too large index: "{limits[1]}"')
        if x >= y:
            raise ValueError(f"non-increasing order, previous: {x}, current: {y}")
    return x, y


def _atoi(text: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ValueError(f'cannot convert string to integer for index: "{text}"')
    return int(text)


def validate_indexes_format(text: str, completions: int) -> int:
    """validateIndexesFormat: the number of indexes in ``"1,3-5"``; ValueError when malformed."""
    if not text:
        return 0
    last, total = None, 0
    for interval in text.split(","):
        x, y = parse_index_interval(interval, completions)
        if last is not None and last >= x:
            raise ValueError(f"non-increasing order, previous: {last}, current: {x}")
        total += y - x + 1
        last = y
    return total


def _overlap(completed: str, failed: str, completions: int) -> str | None:
    """validateFailedIndexesNotOverlapCompleted, as a set check over the parsable intervals."""
    def indexes(text: str) -> set[int]:
        found: set[int] = set()
        for interval in text.split(",") if text else ():
            try:
                x, y = parse_index_interval(interval, completions)
            except ValueError:
                continue
            found.update(range(x, y + 1))
        return found
    both = indexes(completed) & indexes(failed)
    return f"failedIndexes and completedIndexes overlap at index: {min(both)}" if both else None


def status_validation_options(new: dict, old: dict) -> dict[str, bool]:
    """getStatusValidationOptions with JobManagedBy on: which rules run for this write."""
    ns, os_ = as_dict(new.get("status")), as_dict(old.get("status"))
    spec = as_dict(new.get("spec"))

    def changed(key: str) -> bool:
        return ns.get(key) != os_.get(key)

    def flipped(ctype: str) -> bool:
        return _true(new, ctype) != _true(old, ctype)

    finished = is_job_finished(new) != is_job_finished(old)
    completed = (ns.get("completedIndexes") or "") != (os_.get("completedIndexes") or "")
    failed_indexes = changed("failedIndexes")
    active = (ns.get("active") or 0) != (os_.get("active") or 0)
    indexed = spec.get("completionMode") == "Indexed"
    return {
        "decreasing_succeeded": not indexed or spec.get("completions") != spec.get("parallelism"),
        "invalid_completed_indexes": completed,
        "invalid_failed_indexes": failed_indexes,
        "completed_indexes_for_non_indexed": completed,
        "failed_indexes_without_backoff_limit_per_index": failed_indexes,
        "failed_overlapping_completed": failed_indexes or completed,
        "finished_with_active": finished or active,
        "finished_without_start_time": finished or changed("startTime"),
        "finished_with_uncounted": finished or changed("uncountedTerminatedPods"),
        "start_time_update_unsuspended": changed("startTime"),
        "completion_before_start": changed("startTime") or changed("completionTime"),
        "not_complete_with_completion_time": flipped("Complete") or changed("completionTime"),
        "complete_without_completion_time": flipped("Complete") or changed("completionTime"),
        "complete_with_failed": flipped("Complete") or flipped("Failed"),
        "complete_with_failure_target": flipped("Complete") or flipped("FailureTarget"),
        "failed_without_failure_target": flipped("Failed"),
        "complete_without_success_criteria_met": flipped("Complete") or flipped("SuccessCriteriaMet"),
        "more_ready_than_active": changed("ready") or active,
        "finished_with_terminating": finished or changed("terminating"),
    }


def _uncounted_errors(uncounted: dict) -> list[FieldError]:
    errs, seen = [], set()
    path = STATUS.child("uncountedTerminatedPods")
    for key in ("succeeded", "failed"):
        for i, uid in enumerate(uncounted.get(key) or ()):
            p = path.child(key).index(i)
            if uid == "":
                errs.append(field.invalid(p, uid, "must not be empty"))
            elif uid in seen:
                errs.append(field.duplicate(p, uid))
            else:
                seen.add(uid)
    return errs


def validate_job_status(job: dict, opts: dict[str, bool]) -> list[FieldError]:
    """validateJobStatus: counters, uncounted pods, and the consistency rules ``opts`` turns on."""
    status, spec = as_dict(job.get("status")), as_dict(job.get("spec"))
    errs: list[FieldError] = []
    for key in ("active", "succeeded", "failed", "ready", "terminating"):
        if status.get(key) is not None:
            errs += nonnegative(status[key], STATUS.child(key))
    uncounted = status.get("uncountedTerminatedPods")
    if isinstance(uncounted, dict):
        errs += _uncounted_errors(uncounted)
    complete, failed, finished = _true(job, "Complete"), _true(job, "Failed"), is_job_finished(job)
    start, completion = status.get("startTime"), status.get("completionTime")
    if opts["complete_with_failed"] and complete and failed:
        errs.append(_cond("cannot set Complete=True and Failed=true conditions"))
    if opts["complete_with_failure_target"] and complete and _true(job, "FailureTarget"):
        errs.append(_cond("cannot set Complete=True and FailureTarget=true conditions"))
    if opts["not_complete_with_completion_time"] and completion and not complete:
        errs.append(field.invalid(STATUS.child("completionTime"), _go_time(completion),
                                  "cannot set completionTime when there is no Complete=True condition"))
    if opts["complete_without_completion_time"] and not completion and complete:
        errs.append(field.required(STATUS.child("completionTime"),
                                   "completionTime is required for Complete jobs"))
    if (opts["completion_before_start"] and start and completion
            and parse_timestamp(completion) < parse_timestamp(start)):
        errs.append(field.invalid(STATUS.child("completionTime"), _go_time(completion),
                                  "completionTime cannot be set before startTime"))
    if opts["failed_without_failure_target"] and failed and not _true(job, "FailureTarget"):
        errs.append(_cond("cannot set Failed=True condition without the FailureTarget=true condition"))
    if opts["complete_without_success_criteria_met"] and complete and not _true(job, "SuccessCriteriaMet"):
        errs.append(_cond("cannot set Complete=True condition without the SuccessCriteriaMet=true condition"))
    active = status.get("active") or 0
    if opts["finished_with_active"] and active > 0 and finished:
        errs.append(field.invalid(STATUS.child("active"), active, "active>0 is invalid for finished job"))
    if opts["finished_without_start_time"] and not start and finished:
        errs.append(field.required(STATUS.child("startTime"), "startTime is required for finished job"))
    if (opts["finished_with_uncounted"] and finished and isinstance(uncounted, dict)
            and (uncounted.get("failed") or uncounted.get("succeeded"))):
        errs.append(field.invalid(STATUS.child("uncountedTerminatedPods"), _uncounted_value(uncounted),
                                  "uncountedTerminatedPods needs to be empty for finished job"))
    errs += _index_errors(spec, status, opts)
    terminating = status.get("terminating")
    if opts["finished_with_terminating"] and terminating and terminating > 0 and finished:
        errs.append(field.invalid(STATUS.child("terminating"), terminating,
                                  "terminating>0 is invalid for finished job"))
    ready = status.get("ready")
    if opts["more_ready_than_active"] and ready is not None and ready > active:
        errs.append(field.invalid(STATUS.child("ready"), ready, "cannot set more ready pods than active"))
    met, target = _true(job, "SuccessCriteriaMet"), _true(job, "FailureTarget")
    if met and failed:
        errs.append(_cond("cannot set SuccessCriteriaMet=True and Failed=true conditions"))
    if met and target:
        errs.append(_cond("cannot set SuccessCriteriaMet=True and FailureTarget=true conditions"))
    if spec.get("successPolicy") is not None and not met and complete:
        errs.append(_cond("cannot set Complete=True for Job with SuccessPolicy unless "
                          "SuccessCriteriaMet=True"))
    return errs


def _index_errors(spec: dict, status: dict, opts: dict[str, bool]) -> list[FieldError]:
    errs = []
    completions, completed = spec.get("completions"), status.get("completedIndexes") or ""
    failed = status.get("failedIndexes")
    if opts["invalid_completed_indexes"] and completions is not None:
        try:
            validate_indexes_format(completed, completions)
        except ValueError as err:
            errs.append(field.invalid(STATUS.child("completedIndexes"), completed,
                                      f"error parsing completedIndexes: {err}"))
    per_index = spec.get("backoffLimitPerIndex") is not None
    if opts["invalid_failed_indexes"] and completions is not None and per_index and failed is not None:
        try:
            validate_indexes_format(failed, completions)
        except ValueError as err:
            errs.append(field.invalid(STATUS.child("failedIndexes"), failed,
                                      f"error parsing failedIndexes: {err}"))
    if opts["completed_indexes_for_non_indexed"] and completed and spec.get("completionMode") != "Indexed":
        errs.append(field.invalid(STATUS.child("completedIndexes"), completed,
                                  "cannot set non-empty completedIndexes when non-indexed completion mode"))
    if opts["failed_indexes_without_backoff_limit_per_index"] and not per_index and failed is not None:
        errs.append(field.invalid(STATUS.child("failedIndexes"), failed,
                                  "cannot set non-null failedIndexes when backoffLimitPerIndex is null"))
    if opts["failed_overlapping_completed"] and completions is not None and failed is not None:
        message = _overlap(completed, failed, completions)
        if message:
            errs.append(field.invalid(STATUS.child("failedIndexes"), failed, message))
    return errs


def validate_job_status_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateJobStatusUpdate: validateJobStatus plus the rules comparing with the stored status."""
    opts = status_validation_options(new, old)
    errs = validate_job_status(new, opts)
    ns, os_ = as_dict(new.get("status")), as_dict(old.get("status"))
    for ctype in ("Failed", "Complete", "FailureTarget"):
        if _true(old, ctype) and not _true(new, ctype):
            errs.append(_cond(f"cannot disable the terminal {ctype}=True condition"))
    if (ns.get("failed") or 0) < (os_.get("failed") or 0):
        errs.append(field.invalid(STATUS.child("failed"), ns.get("failed") or 0,
                                  "cannot decrease the failed counter"))
    if opts["decreasing_succeeded"] and (ns.get("succeeded") or 0) < (os_.get("succeeded") or 0):
        errs.append(field.invalid(STATUS.child("succeeded"), ns.get("succeeded") or 0,
                                  "cannot decrease the succeeded counter"))
    completion, old_completion = ns.get("completionTime"), os_.get("completionTime")
    if completion and old_completion and parse_timestamp(completion) != parse_timestamp(old_completion):
        errs.append(field.invalid(STATUS.child("completionTime"), _go_time(completion),
                                  "completionTime cannot be mutated"))
    start_changed = ns.get("startTime") != os_.get("startTime")
    resumed = _true(old, "Suspended") and not _true(new, "Suspended")  # the v1.32 patch fix (#134521)
    if (opts["start_time_update_unsuspended"] and os_.get("startTime") and start_changed
            and not as_dict(new.get("spec")).get("suspend") and not resumed):
        errs.append(field.required(STATUS.child("startTime"),
                                   "startTime cannot be removed for unsuspended job"))
    if _true(old, "SuccessCriteriaMet") and not _true(new, "SuccessCriteriaMet"):
        errs.append(_cond("cannot disable the SuccessCriteriaMet=True condition"))
    if _true(old, "Complete") and not _true(old, "SuccessCriteriaMet") and _true(new, "SuccessCriteriaMet"):
        errs.append(_cond("cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions"))
    return errs


def validate_job_update_status(new: dict, old: dict) -> list[FieldError]:
    """ValidateJobUpdateStatus: metadata rules, then the status rules."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    return errs + validate_job_status_update(new, old)

