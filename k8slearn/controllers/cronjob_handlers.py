"""The CronJob controller's informer handlers: which CronJob a Job or CronJob change wakes.

A Job wakes the CronJob its controller ownerReference names (checked by uid); a CronJob whose
``schedule`` or ``timeZone`` changed waits for its new next time (an unparseable one gets the
Warning ``UnParseableCronJobSchedule``); any other change of a CronJob syncs it at once.

Upstream: pkg/controller/cronjob/cronjob_controllerv2.go (v1.32: resolveControllerRef, addJob,
updateJob, deleteJob, updateCronJob)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.cron import CronError, parse_standard
from k8slearn.client.cache import meta_key
from k8slearn.controllers.controller_utils import get_controller_of
from k8slearn.controllers.cronjob_utils import format_schedule, next_schedule_time_duration


class CronJobEventHandlers:
    """Mixed into CronJobController (which has the informer, queue, recorder, ``enqueue`` and ``now``)."""

    cronjob_informer: Any
    queue: Any
    recorder: Any

    def resolve_controller_ref(self, namespace: str, ref: dict) -> dict | None:
        return self.owner_from_ref(self.cronjob_informer.lister, "CronJob", namespace, ref)

    def _enqueue_owner(self, job: dict) -> None:
        ref = get_controller_of(job)
        if ref is None:
            return
        cj = self.resolve_controller_ref(job["metadata"]["namespace"], ref)
        if cj is not None:
            self.enqueue(cj)

    def add_job(self, job: dict) -> None:
        """A new Job (or one already being deleted): wake its CronJob."""
        self._enqueue_owner(job)

    def update_job(self, old: dict, cur: dict) -> None:
        if cur["metadata"].get("resourceVersion") == old["metadata"].get("resourceVersion"):
            return
        old_ref, cur_ref = get_controller_of(old), get_controller_of(cur)
        if old_ref != cur_ref and old_ref is not None:
            cj = self.resolve_controller_ref(old["metadata"]["namespace"], old_ref)
            if cj is not None:
                self.enqueue(cj)
        if cur_ref is not None:
            self._enqueue_owner(cur)

    def delete_job(self, job: dict) -> None:
        self._enqueue_owner(job)

    def update_cronjob(self, old: dict, cur: dict) -> None:
        """A new schedule or time zone: wait for its next time; any other change: sync now."""
        old_spec, cur_spec = old.get("spec") or {}, cur.get("spec") or {}
        if (old_spec.get("schedule") != cur_spec.get("schedule")
                or old_spec.get("timeZone") != cur_spec.get("timeZone")):
            try:
                sched = parse_standard(format_schedule(cur, None))
            except CronError:
                self.recorder.event(cur, "Warning", "UnParseableCronJobSchedule",
                                    f"unparseable schedule for cronjob: {cur_spec.get('schedule')}")
                return
            delay = next_schedule_time_duration(cur, self.now(), sched)
            self.queue.add_after(meta_key(cur), delay, background=True)
            return
        self.enqueue(cur)

