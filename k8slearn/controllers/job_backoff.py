"""The Job controller's pod-failure back-off: how long to wait before replacing a failed pod.

After a pod of a Job fails, the controller does not create the replacement at once. It keeps, per
Job, a *back-off record*: how many pods failed since the last success, and when the last one
finished. The next pod may be created ``10 s * 2^(failures - 1)`` (at most 10 minutes) after that
last failure; a success resets the count. A worked example, with pods that fail at t=100 and
t=112 and one that succeeds at t=140:

>>> store = BackoffStore()
>>> failed = lambda name, t: {"metadata": {"name": name}, "status": {"phase": "Failed",
...     "containerStatuses": [{"state": {"terminated": {"finishedAt": timestamp(t)}}}]}}
>>> record = store.new_backoff_record("default/pi", [], [failed("pi-a", 100)])
>>> record.failures_after_last_success, record.get_remaining_time(now=104)   # 10 s after 1 failure
(1, 6.0)
>>> store.update_backoff_record(record)
>>> record = store.new_backoff_record("default/pi", [], [failed("pi-b", 112)])
>>> record.failures_after_last_success, record.get_remaining_time(now=112)   # 20 s after 2
(2, 20.0)
>>> store.update_backoff_record(record)
>>> ok = {"metadata": {"name": "pi-c"}, "status": {"phase": "Succeeded",
...     "containerStatuses": [{"state": {"terminated": {"finishedAt": timestamp(140)}}}]}}
>>> store.new_backoff_record("default/pi", [ok], []).failures_after_last_success
0

A pod's finish time is the latest ``finishedAt`` of its containers if all of them terminated,
else the time its Ready condition turned False, else its deletion time minus the grace period,
else its creation time.

Simplified: times are the simulation's seconds, read back from the pods' RFC 3339 text (whole
seconds, as a real controller reads them).

Upstream: pkg/controller/job/backoff_utils.go; the constants DefaultJobPodFailureBackOff and
MaxJobPodFailureBackOff in pkg/controller/job/job_controller.go
"""

from __future__ import annotations

from dataclasses import dataclass

from k8slearn.api.meta import parse_timestamp, timestamp  # noqa: F401 (timestamp: the doctest)
from k8slearn.controllers.pod_util import get_pod_condition

DEFAULT_JOB_POD_FAILURE_BACKOFF = 10.0  # DefaultJobPodFailureBackOff
MAX_JOB_POD_FAILURE_BACKOFF = 10 * 60.0  # MaxJobPodFailureBackOff


@dataclass
class BackoffRecord:
    key: str
    failures_after_last_success: int = 0
    last_failure_time: float | None = None

    def get_remaining_time(self, now: float, default_backoff: float = DEFAULT_JOB_POD_FAILURE_BACKOFF,
                           max_backoff: float = MAX_JOB_POD_FAILURE_BACKOFF) -> float:
        """Seconds left before a replacement pod may be created (0: now)."""
        return get_remaining_time_for_failures_count(now, default_backoff, max_backoff,
                                                     self.failures_after_last_success, self.last_failure_time)


def get_remaining_time_for_failures_count(now: float, default_backoff: float, max_backoff: float,
                                          failures: int, last_failure_time: float | None) -> float:
    if failures == 0 or last_failure_time is None:
        return 0.0
    backoff = default_backoff
    for _ in range(1, failures):
        backoff *= 2
        if backoff >= max_backoff:
            backoff = max_backoff
            break
    elapsed = now - last_failure_time
    return 0.0 if backoff < elapsed else backoff - elapsed


class BackoffStore:
    """Per Job key, the back-off record of its last status update (kept in memory only)."""

    def __init__(self) -> None:
        self.store: dict[str, BackoffRecord] = {}

    def update_backoff_record(self, record: BackoffRecord) -> None:
        self.store[record.key] = BackoffRecord(record.key, record.failures_after_last_success,
                                               record.last_failure_time)

    def remove_backoff_record(self, key: str) -> None:
        self.store.pop(key, None)

    def new_backoff_record(self, key: str, new_succeeded: list[dict], new_failed: list[dict]) -> BackoffRecord:
        """The record after these newly finished pods (not yet counted in the Job's status)."""
        old = self.store.get(key)
        record = BackoffRecord(key, old.failures_after_last_success, old.last_failure_time) if old \
            else BackoffRecord(key)
        succeeded = sorted(get_finished_time(p) for p in new_succeeded)
        failed = sorted(get_finished_time(p) for p in new_failed)
        if not succeeded:
            if failed:
                record.failures_after_last_success += len(failed)
                record.last_failure_time = failed[-1]
            return record
        record.failures_after_last_success, record.last_failure_time = 0, None
        last_success = succeeded[-1]
        for failed_time in reversed(failed):
            if not failed_time > last_success:
                break
            if record.last_failure_time is None:
                record.last_failure_time = failed_time
            record.failures_after_last_success += 1
        return record


def get_finished_time(pod: dict) -> float:
    """getFinishedTime: containers' latest finish, else Ready=False time, else deletion, else creation."""
    status = pod.get("status") or {}
    finish = _finish_time_from_containers(status)
    if finish is not None:
        return finish
    ready = get_pod_condition(pod, "Ready")
    if ready is not None and ready.get("status") == "False" and ready.get("lastTransitionTime"):
        return parse_timestamp(ready["lastTransitionTime"])
    meta = pod["metadata"]
    if meta.get("deletionTimestamp"):
        return parse_timestamp(meta["deletionTimestamp"]) - (meta.get("deletionGracePeriodSeconds") or 0)
    return parse_timestamp(meta["creationTimestamp"]) if meta.get("creationTimestamp") else 0.0


def _finish_time_from_containers(status: dict) -> float | None:
    finish = None
    for cs in status.get("containerStatuses") or ():
        terminated = (cs.get("state") or {}).get("terminated")
        if not terminated or not terminated.get("finishedAt"):
            return None
        t = parse_timestamp(terminated["finishedAt"])
        if finish is None or finish < t:
            finish = t
    return finish
