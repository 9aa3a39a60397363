"""The CronJob controller: make a Job at each time the schedule names, keep a short history.

A CronJob holds a cron ``schedule`` (``*/1 * * * *``: every minute) and a Job template. The
controller watches CronJobs and Jobs. A sync of one CronJob:

1. finds its Jobs (those whose controller ownerReference names it) and deletes the oldest
   finished ones beyond ``successfulJobsHistoryLimit`` (default 3) and ``failedJobsHistoryLimit``
   (default 1): event ``SuccessfulDelete  Deleted job hello-29460061``;
2. takes finished Jobs out of ``status.active`` (``SawCompletedJob``), records
   ``lastSuccessfulTime``, and warns about running Jobs it did not make (``UnexpectedJob``);
3. unless ``suspend`` is true, finds the most recent scheduled time that has passed and has no
   Job yet, looking back no further than ``startingDeadlineSeconds`` (if set). A Job still
   running and ``concurrencyPolicy: Forbid``: skip (``JobAlreadyActive``); ``Replace``: delete
   the running Jobs first. Otherwise create ``<cronjob>-<scheduled time in minutes since 1970>``
   with the annotation ``batch.kubernetes.io/cronjob-scheduled-timestamp`` (``SuccessfulCreate
   Created job hello-29460061``), add it to ``status.active`` and set ``lastScheduleTime``;
4. wakes itself up 100 ms after the next scheduled time, on the simulated clock.

Only the *latest* missed time is run: a controller down (or a CronJob suspended) for ten minutes
starts one Job when it comes back, not ten (more than 100 missed also warns
``TooManyMissedTimes``); with ``startingDeadlineSeconds`` a time older than the deadline is
skipped without a word (upstream's ``MissSchedule`` check comes after the due time was already
searched from ``now - startingDeadlineSeconds``, so in v1.32 it never fires). With ``Forbid``, a
skipped time runs late, as soon as the running Job ends, unless the deadline has passed by then.
The name is the lock: a second try for the same time finds the Job already there.

Simplified: one worker; no metrics. The schedule's wake-up does not keep ``settle()`` busy (a
CronJob would otherwise never let the cluster settle); ``cluster.run(seconds=...)`` runs it. API
requests take no simulated time, so a sync that wrote keeps the worker 1 ms (the API server's
watch delay) before the next key: as with real round trips, the next sync sees its own writes.

Upstream: pkg/controller/cronjob/cronjob_controllerv2.go (v1.32: ControllerV2, sync,
syncCronJob, cleanupFinishedJobs, the Job and CronJob event handlers), injection.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.cron import CronError, load_location
from k8slearn.api.errors import ApiError, namespace_terminating
from k8slearn.api.meta import thaw
from k8slearn.client.cache import split_key
from k8slearn.controllers.base import API_ROUND_TRIP, Controller
from k8slearn.controllers.controller_utils import get_controller_of
from k8slearn.controllers.cronjob_handlers import CronJobEventHandlers
from k8slearn.controllers.cronjob_utils import (
    by_job_start_time,
    delete_from_active_list,
    from_time,
    get_finished_status,
    get_job_from_template2,
    get_job_name,
    get_ref,
    in_active_list,
    in_active_list_by_name,
    is_job_finished,
    is_job_succeeded,
    next_schedule_time,
    next_schedule_time_duration,
    parse_schedule,
    parse_time,
    to_time,
)



class CronJobController(CronJobEventHandlers, Controller):
    """Watches CronJobs and Jobs; creates a Job per scheduled time; trims the finished ones."""

    name = "cronjob-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.wrote = False  # the current sync wrote to the API server
        self.job_informer = self.informers.informer("jobs")
        self.cronjob_informer = self.informers.informer("cronjobs")
        self.job_informer.add_event_handler(on_add=self.add_job, on_update=self.update_job,
                                            on_delete=self.delete_job)
        self.cronjob_informer.add_event_handler(on_add=self.enqueue, on_update=self.update_cronjob,
                                                on_delete=self.enqueue)

    def now(self):
        return to_time(self.loop.now)

    # --- the worker -------------------------------------------------------------------------

    def _worker(self):
        """processNextWorkItem: an error retries with back-off; a requeue time waits for the schedule."""
        while True:
            key = yield self.queue.get()
            if key is None:  # shut down
                return
            self.wrote = False
            try:
                requeue_after = self.sync(key)
            except (ApiError, SyncFailed) as err:
                self.loop.record(self.name, "requeue", key, f"error syncing CronJobController {key}, "
                                                            f"requeuing: {err}")
                self.queue.add_rate_limited(key)
            else:
                if requeue_after is not None:
                    self.queue.forget(key)
                    self.queue.add_after(key, requeue_after, background=True)
            finally:
                self.queue.done(key)
            if self.wrote:  # the writes' round trips: their watch events arrive meanwhile
                yield API_ROUND_TRIP

    # --- sync -------------------------------------------------------------------------------

    def get_jobs_to_be_reconciled(self, cj: dict) -> list[dict]:
        """Every Job in the namespace whose controller reference carries the CronJob's name."""
        return [job for job in self.job_informer.lister.list(cj["metadata"]["namespace"])
                if (ref := get_controller_of(job)) is not None and ref.get("name") == cj["metadata"]["name"]]

    def sync(self, key: str) -> float | None:
        """One CronJob: clean up, reconcile, write the status once; returns seconds until the next wake-up."""
        namespace, name = split_key(key)
        cached = self.cronjob_informer.lister.get(name, namespace)
        if cached is None:
            return None
        jobs = self.get_jobs_to_be_reconciled(cached)
        cj = thaw(cached)
        cj.setdefault("status", {})
        update_after_cleanup = self.cleanup_finished_jobs(cj, jobs)
        requeue_after, update_after_sync, sync_err = self.sync_cronjob(cj, jobs)
        if update_after_cleanup or update_after_sync:
            self.wrote = True
            self.client.update_status(cj)
        if requeue_after is not None:
            return requeue_after
        if sync_err is not None:
            raise sync_err
        return None

    def sync_cronjob(self, cj: dict, jobs: list[dict]) -> tuple[float | None, bool, Exception | None]:
        """syncCronJob: (seconds to the next wake-up or None, status changed, error)."""
        try:
            return self._sync_cronjob(cj, jobs)
        except _SyncError as err:
            return None, err.update_status, err.error

    def _sync_cronjob(self, cj: dict, jobs: list[dict]) -> tuple[float | None, bool, None]:
        now = self.now()
        update = False
        children = set()
        for job in jobs:
            uid = job["metadata"]["uid"]
            children.add(uid)
            found = in_active_list(cj, uid)
            if not found and not is_job_finished(job):
                fresh = self._get("cronjobs", cj, update)
                fresh.setdefault("status", {})
                if in_active_list(fresh, uid):
                    cj = fresh  # (as upstream: later changes land on this copy, not the one written)
                    continue
                self.recorder.event(cj, "Warning", "UnexpectedJob",
                                    f"Saw a job that the controller did not create or forgot: "
                                    f"{job['metadata']['name']}")
            elif found and is_job_finished(job):
                _, status = get_finished_status(job)
                delete_from_active_list(cj, uid)
                self.recorder.event(cj, "Normal", "SawCompletedJob",
                                    f"Saw completed job: {job['metadata']['name']}, status: {status}")
                update = True
            elif is_job_succeeded(job):
                completion = (job.get("status") or {}).get("completionTime")
                last = cj["status"].get("lastSuccessfulTime")
                if last is None:
                    cj["status"]["lastSuccessfulTime"] = last = completion
                    update = True
                if completion and last and parse_time(completion) > parse_time(last):
                    cj["status"]["lastSuccessfulTime"] = completion
                    update = True
        for ref in list(cj["status"].get("active") or ()):
            if ref.get("uid") in children:
                continue
            try:  # a slow watch must not make a running Job look gone: ask the API server
                self.client.get("jobs", ref["name"], ref["namespace"])
            except ApiError as err:
                if err.code != 404:
                    raise _SyncError(update, err) from None
                self.recorder.event(cj, "Normal", "MissingJob", f"Active job went missing: {ref['name']}")
                delete_from_active_list(cj, ref.get("uid"))
                update = True
        if cj["metadata"].get("deletionTimestamp"):
            return None, update, None
        spec = cj["spec"]
        if spec.get("timeZone") is not None:
            try:
                load_location(spec["timeZone"])
            except CronError as err:
                self.recorder.event(cj, "Warning", "UnknownTimeZone",
                                    f'invalid timeZone: "{spec["timeZone"]}": {err}')
                return None, update, None
        if spec.get("suspend"):
            return None, update, None
        try:
            sched = parse_schedule(cj, self.recorder)
        except CronError as err:
            self.recorder.event(cj, "Warning", "UnparseableSchedule",
                                f'unparseable schedule: "{spec["schedule"]}" : {err}')
            return None, update, None
        try:
            scheduled = next_schedule_time(cj, now, sched, self.recorder)
        except CronError as err:
            self.recorder.event(cj, "Warning", "InvalidSchedule",
                                f"invalid schedule: {spec['schedule']} : {err}")
            return None, update, None
        if scheduled is None:  # nothing due: only after a restart, or an early wake-up
            return next_schedule_time_duration(cj, now, sched), update, None
        deadline = spec.get("startingDeadlineSeconds")
        if deadline is not None and from_time(scheduled) + deadline < from_time(now):
            self.recorder.event(cj, "Warning", "MissSchedule",
                                f"Missed scheduled time to start a job: {_rfc1123z(scheduled)}")
            return next_schedule_time_duration(cj, now, sched), update, None
        last = cj["status"].get("lastScheduleTime")
        if (in_active_list_by_name(cj, get_job_name(cj, scheduled), cj["metadata"]["namespace"])
                or (last is not None and parse_time(last) == scheduled)):
            return next_schedule_time_duration(cj, now, sched), update, None
        if spec.get("concurrencyPolicy") == "Forbid" and cj["status"].get("active"):
            self.recorder.event(cj, "Normal", "JobAlreadyActive",
                                "Not starting job because prior execution is running and "
                                "concurrency policy is Forbid")
            return next_schedule_time_duration(cj, now, sched), update, None
        if spec.get("concurrencyPolicy") == "Replace":
            for ref in list(cj["status"].get("active") or ()):
                try:
                    job = self.client.get("jobs", ref["name"], ref["namespace"])
                except ApiError as err:
                    self.recorder.event(cj, "Warning", "FailedGet", f"Get job: {err}")
                    raise _SyncError(update, err) from None
                if not self.delete_job_of(cj, job):
                    meta = job["metadata"]
                    failure = SyncFailed(f"could not replace job {meta['namespace']}/{meta['name']}")
                    raise _SyncError(update, failure)
                update = True
        return self._create_job(cj, scheduled, now, sched, update)

    def _create_job(self, cj: dict, scheduled: Any, now: Any, sched: Any, update: bool):
        try:
            request = get_job_from_template2(cj, scheduled)
        except CronError:
            return None, update, None
        self.wrote = True
        try:
            job = self.client.create(request, cj["metadata"]["namespace"])
        except ApiError as err:
            if namespace_terminating(err):
                raise _SyncError(update, err) from None
            if err.reason != "AlreadyExists":
                self.recorder.event(cj, "Warning", "FailedCreate", f"Error creating job: {err}")
                raise _SyncError(update, err) from None
            # Made before, but the status update was lost: add it to the active list again.
            job = self._get("jobs", request, update)
            ref = get_controller_of(job)
            owned = ref is not None and ref.get("uid") == cj["metadata"]["uid"]
            if not owned or in_active_list(cj, job["metadata"]["uid"]):
                return None, update, None
            self.loop.record(self.name, "adopt", f"job/{job['metadata']['name']}", "Job already exists")
        else:
            self.recorder.event(cj, "Normal", "SuccessfulCreate", f"Created job {job['metadata']['name']}")
        cj["status"]["active"] = list(cj["status"].get("active") or ()) + [get_ref(job)]
        cj["status"]["lastScheduleTime"] = _rfc3339(scheduled)
        return next_schedule_time_duration(cj, now, sched), True, None

    def _get(self, resource: str, obj: dict, update: bool) -> dict:
        try:
            return self.client.get(resource, obj["metadata"]["name"], obj["metadata"]["namespace"])
        except ApiError as err:
            raise _SyncError(update, err) from None

    # --- history ----------------------------------------------------------------------------

    def cleanup_finished_jobs(self, cj: dict, jobs: list[dict]) -> bool:
        """cleanupFinishedJobs: delete the oldest finished Jobs beyond the two history limits."""
        spec = cj["spec"]
        if spec.get("failedJobsHistoryLimit") is None and spec.get("successfulJobsHistoryLimit") is None:
            return False
        succeeded, failed = [], []
        for job in jobs:
            finished, status = get_finished_status(job)
            if finished and status == "Complete":
                succeeded.append(job)
            elif finished and status == "Failed":
                failed.append(job)
        update = False
        for limit, group in ((spec.get("successfulJobsHistoryLimit"), succeeded),
                             (spec.get("failedJobsHistoryLimit"), failed)):
            if limit is not None and self.remove_oldest_jobs(cj, group, limit):
                update = True
        return update

    def remove_oldest_jobs(self, cj: dict, jobs: list[dict], max_jobs: int) -> bool:
        update = False
        for job in sorted(jobs, key=by_job_start_time)[:max(0, len(jobs) - max_jobs)]:
            if self.delete_job_of(cj, job):
                update = True
        return update

    def delete_job_of(self, cj: dict, job: dict) -> bool:
        """deleteJob: delete the Job (its pods follow, background propagation) and forget it."""
        self.wrote = True
        try:
            self.client.delete("jobs", job["metadata"]["name"], job["metadata"]["namespace"],
                               propagation_policy="Background")
        except ApiError as err:
            self.recorder.event(cj, "Warning", "FailedDelete", f"Deleted job: {err}")
            return False
        delete_from_active_list(cj, job["metadata"]["uid"])
        self.recorder.event(cj, "Normal", "SuccessfulDelete", f"Deleted job {job['metadata']['name']}")
        return True


class SyncFailed(Exception):
    """A sync error that is not an API error (a running Job that could not be replaced)."""


class _SyncError(Exception):
    """syncCronJob returned an error: carries whether the status still needs writing."""

    def __init__(self, update_status: bool, error: Exception) -> None:
        super().__init__(str(error))
        self.update_status, self.error = update_status, error


def _rfc3339(t: Any) -> str:
    return t.astimezone(to_time(0).tzinfo).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rfc1123z(t: Any) -> str:
    """Go's time.RFC1123Z in UTC: ``Mon, 05 Jan 2026 09:01:00 +0000``."""
    return t.astimezone(to_time(0).tzinfo).strftime("%a, %d %b %Y %H:%M:%S +0000")
