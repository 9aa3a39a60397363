"""The TTL-after-finished controller: delete a finished Job ``ttlSecondsAfterFinished`` seconds later.

A Job that sets ``spec.ttlSecondsAfterFinished`` is cleaned up automatically once it has finished
(condition ``Complete`` or ``Failed``): the controller waits until ``lastTransitionTime`` of that
condition plus the TTL, reads the Job fresh from the API server to check the TTL still says so,
and deletes it with ``propagationPolicy: Foreground``: the garbage collector deletes the Job's pods
first, then the Job. A TTL of 0 deletes the Job as soon as it finishes.

>>> job = {"spec": {"ttlSecondsAfterFinished": 100}, "status": {"conditions": [
...     {"type": "Complete", "status": "True", "lastTransitionTime": "2026-01-05T09:00:30Z"}]}}
>>> time_left(job, since=parse_timestamp("2026-01-05T09:01:00Z"))   # finished at :30, now 1:00
70.0
>>> needs_cleanup({"spec": {}, "status": job["status"]})           # no TTL: kept for ever
False

Simplified: the delete carries no UID precondition (the fresh read checks the TTL, not the UID);
no metrics. This is a controller of its own (kube-controller-manager's
``ttl-after-finished-controller``), not part of the Job controller.

Upstream: pkg/controller/ttlafterfinished/ttlafterfinished_controller.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import parse_timestamp
from k8slearn.client.cache import split_key
from k8slearn.client.workqueue import WorkQueue
from k8slearn.controllers.base import Controller, Requeue
from k8slearn.controllers.job_utils import is_job_finished


def needs_cleanup(job: dict) -> bool:
    """A TTL is set and the Job has finished."""
    return job["spec"].get("ttlSecondsAfterFinished") is not None and is_job_finished(job)


def job_finish_time(job: dict) -> float | None:
    """lastTransitionTime of the Complete or Failed condition that is True."""
    for cond in (job.get("status") or {}).get("conditions") or ():
        if cond.get("type") in ("Complete", "Failed") and cond.get("status") == "True":
            return parse_timestamp(cond["lastTransitionTime"]) if cond.get("lastTransitionTime") else None
    return None


def time_left(job: dict, since: float) -> float | None:
    """Seconds until the TTL runs out (<= 0: expired); None if the finish time is unknown."""
    finish = job_finish_time(job)
    if finish is None:
        return None
    return finish + job["spec"]["ttlSecondsAfterFinished"] - since


class TTLAfterFinishedController(Controller):
    """Watches Jobs; deletes each finished one whose TTL has run out."""

    name = "ttl-after-finished-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.queue = WorkQueue(loop, "ttl_jobs_to_delete")
        self.job_informer = self.informers.informer("jobs")
        self.job_informer.add_event_handler(on_add=self._add_job, on_update=lambda old, cur: self._add_job(cur))

    def _add_job(self, job: dict) -> None:
        if not job["metadata"].get("deletionTimestamp") and needs_cleanup(job):
            self.enqueue(job)

    def sync(self, key: str) -> None:
        """processJob: delete the Job if its TTL has run out, by the cache and then by a fresh read."""
        namespace, name = split_key(key)
        job = self.job_informer.lister.get(name, namespace)
        if job is None or not self.process_ttl(job, key):
            return
        try:
            fresh = self.client.get("jobs", name, namespace)
        except ApiError as err:
            if err.code == 404:
                return
            raise
        if not self.process_ttl(fresh, key):
            return
        self.client.delete("jobs", name, namespace, propagation_policy="Foreground")

    def process_ttl(self, job: dict, key: str) -> bool:
        """True if the TTL has expired; otherwise come back when it will have (if it is set)."""
        if job["metadata"].get("deletionTimestamp") or not needs_cleanup(job):
            return False
        left = time_left(job, self.loop.now)
        if left is None:
            meta = job["metadata"]
            raise Requeue(f"unable to find the time when the Job {meta.get('namespace')}/{meta['name']} finished")
        if left <= 0:
            return True
        self.queue.add_after(key, left)
        return False
