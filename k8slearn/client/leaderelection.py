"""Leader election with a Lease: of several copies of a component, exactly one does the work.

kube-controller-manager and kube-scheduler run on every control-plane node, but only one copy
acts. They race for a Lease (``kube-system/kube-controller-manager``): the holder renews
``spec.renewTime`` every ``retry_period`` (2 s); the others retry every 2–4.4 s and take the Lease
over only after they have seen it unchanged for ``leaseDurationSeconds`` (15 s). A leader that
cannot renew within ``renew_deadline`` (10 s) stops leading. The Lease after one takeover::

    holderIdentity: control-plane-2_4f1c...   leaseDurationSeconds: 15
    acquireTime / renewTime: ...              leaseTransitions: 1

Each new leader records the event ``LeaderElection  <identity> became leader`` on the Lease.

>>> from k8slearn.sim import Loop
>>> elector = LeaderElector(Loop(), client=None, lease_name="kube-scheduler", identity="cp_1")
>>> elector.lease_namespace, elector.lease_duration, elector.renew_deadline, elector.retry_period
('kube-system', 15.0, 10.0, 2.0)

A leader that cannot renew records ``<identity> stopped leading`` and its process exits (status 1);
the kubelet starts the static pod's container again, a new process with a new identity.

Simplified: the follower's clock is the simulation's (no skew); the jitter of the retry period
comes from the cluster's seeded RNG; leadership is not released on stop (as kube-controller-manager).

Upstream: staging/src/k8s.io/client-go/tools/leaderelection/leaderelection.go,
resourcelock/leaselock.go
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import micro_timestamp, new_uid, parse_timestamp
from k8slearn.client.record import EventRecorder

LEASE_DURATION = 15.0
RENEW_DEADLINE = 10.0
RETRY_PERIOD = 2.0
JITTER_FACTOR = 1.2
RESTART_DELAY = 1.0  # an exited process with no kubelet to restart it starts again this much later


def new_identity(hostname: str, rng: Any) -> str:
    """kube-controller-manager's identity: ``<hostname>_<uuid>``."""
    return f"{hostname}_{new_uid(rng)}"


def next_identity(identity: str, rng: Any) -> str:
    """The identity of a new process on the host of ``identity`` (``<hostname>_<new uuid>``)."""
    return new_identity(identity.rpartition("_")[0] or identity, rng)


class LeaderElector:
    """Acquires and renews one Lease; calls ``on_started_leading`` / ``on_stopped_leading``."""

    def __init__(self, loop: Any, client: Any, lease_name: str, identity: str,
                 on_started_leading: Callable[[], None] | None = None,
                 on_stopped_leading: Callable[[], None] | None = None, *,
                 lease_namespace: str = "kube-system", lease_duration: float = LEASE_DURATION,
                 renew_deadline: float = RENEW_DEADLINE, retry_period: float = RETRY_PERIOD,
                 component: str = "") -> None:
        self.loop = loop
        self.client = client
        self.lease_name = lease_name
        self.lease_namespace = lease_namespace
        self.identity = identity
        self.on_started_leading = on_started_leading
        self.on_stopped_leading = on_stopped_leading
        self.lease_duration = lease_duration
        self.renew_deadline = renew_deadline
        self.retry_period = retry_period
        self.recorder = EventRecorder(client, component or lease_name, clock=lambda: loop.now)
        self.observed_record: dict | None = None
        self.observed_time = 0.0
        self.leading = False
        self.last_renew = 0.0
        self._process: Any = None

    def run(self) -> None:
        """Try to acquire the Lease now; keep retrying (or renewing) on the loop."""
        if self._process is not None:
            return
        acquired = self.try_acquire_or_renew()  # the first attempt is immediate (JitterUntil, sliding)
        self._process = self.loop.spawn(self._run(acquired), f"leader-election/{self.lease_name}", periodic=True)
        if acquired:
            self._became_leader()

    def stop(self) -> None:
        """The process dies: no more renewals (the Lease expires on its own); callbacks not called."""
        if self._process is not None:
            self._process.stop()
            self._process = None
        self.leading = False

    def is_running(self) -> bool:
        """The elector's process runs (it leads or waits to)."""
        return self._process is not None

    def is_leader(self) -> bool:
        return bool(self.observed_record) and self.observed_record.get("holderIdentity") == self.identity

    def _became_leader(self) -> None:
        self.leading = True
        self.last_renew = self.loop.now
        self._event("became leader")
        if self.on_started_leading:
            self.on_started_leading()

    def _run(self, acquired: bool):
        while not acquired:  # acquire: retry every 2-4.4 s (jittered)
            yield self.retry_period * (1 + self.loop.rng.random() * JITTER_FACTOR)
            acquired = self.try_acquire_or_renew()
            if acquired:
                self._became_leader()
        while True:  # renew every retry period; a round of retries that lasts renew_deadline gives up
            yield self.retry_period
            if self.try_acquire_or_renew():
                self.last_renew = self.loop.now
            elif self.loop.now - (self.last_renew + self.retry_period) >= self.renew_deadline:
                self.leading = False
                self._event("stopped leading")
                self._process = None
                if self.on_stopped_leading:
                    self.on_stopped_leading()
                return

    def _record(self, now: float, old: dict | None) -> dict:
        record = {"holderIdentity": self.identity, "leaseDurationSeconds": int(self.lease_duration),
                  "acquireTime": micro_timestamp(now), "renewTime": micro_timestamp(now),
                  "leaseTransitions": 0}
        if old is not None:
            if self.is_leader():
                record["acquireTime"] = old.get("acquireTime", record["acquireTime"])
                record["leaseTransitions"] = old.get("leaseTransitions", 0)
            else:
                record["leaseTransitions"] = old.get("leaseTransitions", 0) + 1
        return record

    def try_acquire_or_renew(self) -> bool:
        """One attempt: create the Lease, renew ours, or take over an expired one."""
        now = self.loop.now
        try:
            lease = self.client.get("leases", self.lease_name, self.lease_namespace)
        except ApiError as err:
            if err.code != 404:
                return False
            record = self._record(now, None)
            try:
                self.client.create({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                    "metadata": {"name": self.lease_name, "namespace": self.lease_namespace},
                                    "spec": record})
            except ApiError:
                return False
            self._observe(record, now)
            return True
        old = dict(lease.get("spec") or {})
        if old != self.observed_record:
            self._observe(old, now)
        if old.get("holderIdentity") and self.observed_time + old.get("leaseDurationSeconds", 0) > now \
                and not self.is_leader():
            return False  # held by someone else, not expired
        record = self._record(now, old)
        lease["spec"] = record
        try:
            self.client.update(lease)
        except ApiError:
            return False
        self._observe(record, now)
        return True

    def _observe(self, record: dict, now: float) -> None:
        self.observed_record = record
        self.observed_time = now

    def lease_expiry(self) -> float | None:
        """When the observed holder's Lease runs out (by its renewTime), for display."""
        if not self.observed_record or not self.observed_record.get("renewTime"):
            return None
        return parse_timestamp(self.observed_record["renewTime"]) + self.observed_record.get("leaseDurationSeconds", 0)

    def _event(self, what: str) -> None:
        try:
            lease = self.client.get("leases", self.lease_name, self.lease_namespace)
        except ApiError:
            return
        self.recorder.event(lease, "Normal", "LeaderElection", f"{self.identity} {what}")


class LeaderElected:
    """Wrap a component so that it runs only while it leads: ``start()`` → elect → ``component.start()``.

    The component needs ``start()`` and ``stop()`` (and may have ``new_process()``: forget all it
    knew, as a new process starts). The cluster wraps each scheduler this way:
    ``LeaderElected(loop, client, "kube-scheduler", scheduler, hostname, source="default-scheduler")``
    (``source``: the events' source component, the Lease's name if not given).

    A copy that loses the Lease exits with status 1, as kube-scheduler does (``Leaderelection
    lost``): ``on_exit(1)`` tells its supervisor, the kubelet of its static pod, which starts a new
    process (``restart()``). Without a supervisor a new process starts a second later.
    """

    def __init__(self, loop: Any, client: Any, lease_name: str, component: Any, hostname: str = "control-plane",
                 identity: str | None = None, source: str = "", **elector_options: Any) -> None:
        self.component = component
        self._loop, self._client, self._lease_name = loop, client, lease_name
        self._options = {**elector_options, "component": source or lease_name}  # its events' source
        self.on_exit: Callable[[int], Any] = lambda code: loop.call_later(RESTART_DELAY, self.restart)
        self.elector = self._new_elector(identity or new_identity(hostname, loop.rng))

    def _new_elector(self, identity: str) -> LeaderElector:
        """The elector of a process that has just started: it has observed no Lease yet."""
        return LeaderElector(self._loop, self._client, self._lease_name, identity,
                             on_started_leading=self.component.start, on_stopped_leading=self._lost,
                             **self._options)

    @property
    def leading(self) -> bool:
        return self.elector.leading

    def start(self) -> None:
        self.elector.run()

    def stop(self) -> None:
        self.elector.stop()
        self.component.stop()

    def is_up(self) -> bool:
        """The process runs (leading, or waiting for the Lease)."""
        return self.elector.is_running()

    def _lost(self) -> None:
        """OnStoppedLeading: the component stops and the process exits with status 1."""
        self.component.stop()
        self.on_exit(1)

    def restart(self) -> None:
        """A new process on the same host: a new identity, memory as a new process has it (no
        observed Lease, the component's ``new_process()``), then ``start()``."""
        self.stop()
        new_process = getattr(self.component, "new_process", None)
        if new_process is not None:
            new_process()
        self.elector = self._new_elector(next_identity(self.elector.identity, self._loop.rng))
        self.start()
