"""The scheduling queue: which pending pod is tried next, and when a failed one is tried again.

Three places a pending pod can be:

* **activeQ**: a heap ordered by the QueueSort plugin (PrioritySort: higher ``spec.priority``
  first, then the earlier timestamp). The scheduler pops from here.
* **backoffQ**: pods that failed recently and wait out their backoff (1 s, doubling per attempt,
  at most 10 s) before going back to activeQ.
* **unschedulablePods**: pods no node could take. They stay here, costing nothing, until a
  cluster event that may help them arrives (a node added, a taint removed, a pod deleted...),
  or until they have waited 5 minutes (a periodic flush, checked every 30 s).

>>> calculate_backoff_duration(attempts=1), calculate_backoff_duration(3), calculate_backoff_duration(9)
(1.0, 4.0, 10.0)

Simplified: backoffQ is flushed at each pod's exact expiry (upstream ticks every second); a pod that
keeps failing with *errors* is retried every 10 s in the background (its timer does not keep
``settle()`` busy); scheduling is atomic, so no "in-flight events" bookkeeping. Nominated pods
(preemption) are kept by :class:`~k8slearn.scheduler.nominator.Nominator`.

Upstream: pkg/scheduler/backend/queue/scheduling_queue.go (pkg/scheduler/internal/queue before v1.32)
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable
from typing import Any

from k8slearn.scheduler.events import (
    ASSIGNED_POD_ADD,
    UNSCHEDULABLE_TIMEOUT,
    ClusterEvent,
    QueueingHint,
    pod_scheduling_properties_change,
)
from k8slearn.scheduler.framework import SUCCESS, Status
from k8slearn.scheduler.nominator import Nominator
from k8slearn.scheduler.resources import PodInfo
from k8slearn.sim import Loop, Waitable

POD_INITIAL_BACKOFF_DURATION = 1.0  # podInitialBackoffDuration
POD_MAX_BACKOFF_DURATION = 10.0  # podMaxBackoffDuration
POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION = 300.0  # podMaxInUnschedulablePodsDuration (5 min)
UNSCHEDULABLE_FLUSH_PERIOD = 30.0  # flushUnschedulablePodsLeftover runs every 30 s

ACTIVE_Q, BACKOFF_Q, UNSCHEDULABLE_PODS = "activeQ", "backoffQ", "unschedulablePods"
QUEUE_SKIP, QUEUE_AFTER_BACKOFF, QUEUE_IMMEDIATELY = "skip", "after backoff", "immediately"


def calculate_backoff_duration(
    attempts: int, initial: float = POD_INITIAL_BACKOFF_DURATION, maximum: float = POD_MAX_BACKOFF_DURATION
) -> float:
    """initial * 2^(attempts-1), capped at ``maximum``; no penalty before the first attempt."""
    if attempts == 0:
        return 0.0
    duration = initial
    for _ in range(1, attempts):
        if duration > maximum - duration:
            return maximum
        duration += duration
    return duration


class QueuedPodInfo:
    """A pending pod plus its queue bookkeeping: when it (re)entered, how often it was tried."""

    __slots__ = (
        "attempts",
        "gated",
        "initial_attempt_timestamp",
        "pending_plugins",
        "pod_info",
        "seq",
        "timestamp",
        "unschedulable_plugins",
    )

    def __init__(self, pod_info: PodInfo, timestamp: float) -> None:
        self.pod_info = pod_info
        self.timestamp = timestamp
        self.attempts = 0
        self.initial_attempt_timestamp: float | None = None
        self.unschedulable_plugins: dict[str, None] = {}
        self.pending_plugins: dict[str, None] = {}
        self.gated = False
        self.seq = 0

    @property
    def pod(self) -> dict:
        return self.pod_info.pod

    @property
    def key(self) -> str:
        return self.pod_info.key

    def __repr__(self) -> str:
        return f"QueuedPodInfo({self.key}, attempts={self.attempts}, timestamp={self.timestamp:g})"


class _Entry:
    """A heap entry: QueueSort's ``less`` decides; ties go first-in-first-out. If the QueueSort
    plugin also offers a ``sort_key`` (same order as ``less``), the key is computed once per push
    and compared directly, which is cheaper than calling ``less`` at every comparison."""

    __slots__ = ("key", "less", "pinfo", "removed")

    def __init__(self, pinfo: QueuedPodInfo, less: Callable, sort_key: Callable | None = None) -> None:
        self.pinfo, self.less, self.removed = pinfo, less, False
        self.key = (*sort_key(pinfo), pinfo.seq) if sort_key is not None else None

    def __lt__(self, other: _Entry) -> bool:
        if self.key is not None and other.key is not None:
            return self.key < other.key
        a, b = self.pinfo, other.pinfo
        if self.less(a, b):
            return True
        return not self.less(b, a) and a.seq < b.seq


Hints = dict  # profile name -> [(plugin name, registered ClusterEvent, hint fn or None)]


class SchedulingQueue:
    """activeQ + backoffQ + unschedulablePods, driven by the loop's clock (PriorityQueue)."""

    def __init__(
        self,
        loop: Loop,
        less: Callable,
        hints: Hints | None = None,
        pre_enqueue: Callable[[dict], Status] | None = None,
        profile_of: Callable[[dict], str] | None = None,
        nominator: Nominator | None = None,
        sort_key: Callable | None = None,
    ) -> None:
        self.loop = loop
        self.less = less
        self.hints: Hints = hints or {}
        self.pre_enqueue = pre_enqueue or (lambda pod: SUCCESS)
        self.profile_of = profile_of or (lambda pod: (pod.get("spec") or {}).get("schedulerName", ""))
        self.active_q: list[_Entry] = []
        self._active: dict[str, _Entry] = {}
        self.backoff_q: list[tuple[float, int, str]] = []
        self._backoff: dict[str, QueuedPodInfo] = {}
        self.unschedulable_pods: dict[str, QueuedPodInfo] = {}
        self._seq = itertools.count()
        self._waiters: deque[Waitable] = deque()
        self._timers: dict[str, Any] = {}  # backoffQ pod key -> its loop timer
        self.closed = False
        self.nominator = nominator if nominator is not None else Nominator()
        self.sort_key = sort_key  # () -> the QueueSort plugin's sort_key, or None

    # -- activeQ -----------------------------------------------------------------------------
    def _add_to_active_q(self, pinfo: QueuedPodInfo) -> str:
        status = self.pre_enqueue(pinfo.pod)
        if not status.is_success():  # e.g. scheduling gates: wait in unschedulablePods
            pinfo.gated = True
            pinfo.unschedulable_plugins = {status.plugin: None}
            self.unschedulable_pods[pinfo.key] = pinfo
            return UNSCHEDULABLE_PODS
        pinfo.gated = False
        pinfo.seq = next(self._seq)
        entry = _Entry(pinfo, self.less, self.sort_key() if self.sort_key is not None else None)
        self._active[pinfo.key] = entry
        heapq.heappush(self.active_q, entry)
        self._wake()
        return ACTIVE_Q

    def _pop_now(self) -> QueuedPodInfo | None:
        while self.active_q:
            entry = heapq.heappop(self.active_q)
            if entry.removed:
                continue
            pinfo = entry.pinfo
            del self._active[pinfo.key]
            pinfo.attempts += 1
            if pinfo.initial_attempt_timestamp is None:
                pinfo.initial_attempt_timestamp = self.loop.now
            return pinfo
        return None

    def _wake(self) -> None:
        while self._waiters and self._active:
            self._waiters.popleft().trigger(self._pop_now())

    def pop(self) -> Waitable:
        """``pinfo = yield queue.pop()``: the next pod, as soon as activeQ has one."""
        waitable = Waitable()
        if self._active:
            waitable.trigger(self._pop_now())
        else:
            self._waiters.append(waitable)
        return waitable

    # -- backoffQ ----------------------------------------------------------------------------
    def backoff_expiry(self, pinfo: QueuedPodInfo) -> float:
        return pinfo.timestamp + calculate_backoff_duration(pinfo.attempts)

    def is_pod_backing_off(self, pinfo: QueuedPodInfo) -> bool:
        return not pinfo.gated and self.backoff_expiry(pinfo) > self.loop.now

    def _add_to_backoff_q(self, pinfo: QueuedPodInfo) -> str:
        expiry = self.backoff_expiry(pinfo)
        self._backoff[pinfo.key] = pinfo
        heapq.heappush(self.backoff_q, (expiry, next(self._seq), pinfo.key))
        # A pod that keeps hitting errors (no plugin rejected it; something broke) is retried
        # every 10 s for ever, as upstream does; past the cap those retries run in the
        # background, like heartbeats, so that settle() does not wait for them.
        erroring = not (pinfo.unschedulable_plugins or pinfo.pending_plugins)
        background = erroring and calculate_backoff_duration(pinfo.attempts) >= POD_MAX_BACKOFF_DURATION
        self._timers[pinfo.key] = self.loop.call_at(
            expiry, self.flush_backoff_q_completed, periodic=background
        )
        return BACKOFF_Q

    def flush_backoff_q_completed(self) -> None:
        """Move every pod whose backoff has expired to activeQ."""
        while self.backoff_q:
            expiry, _, key = self.backoff_q[0]
            pinfo = self._backoff.get(key)
            if pinfo is None or self.backoff_expiry(pinfo) != expiry:  # removed or re-added since
                heapq.heappop(self.backoff_q)
                continue
            if expiry > self.loop.now:
                return
            heapq.heappop(self.backoff_q)
            del self._backoff[key]
            self._timers.pop(key).cancel()
            self._add_to_active_q(pinfo)

    # -- entering the queue ------------------------------------------------------------------
    def add(self, pod: dict) -> str:
        """A new pending pod (from the informer): straight to activeQ, unless gated."""
        pod_info = PodInfo(pod)
        if self.where(pod_info.key):  # already queued (e.g. an informer relisted): just refresh it
            return self._refresh(pod_info)
        pinfo = QueuedPodInfo(pod_info, self.loop.now)
        self.nominator.add_nominated_pod(pod_info)
        return self._add_to_active_q(pinfo)

    def add_unschedulable_if_not_present(
        self, pinfo: QueuedPodInfo, backoff_without_rejector: bool = True
    ) -> str:
        """A pod that just failed: park it in unschedulablePods (or backoffQ after an error)."""
        key = pinfo.key
        if key in self._active or key in self._backoff or key in self.unschedulable_pods:
            raise ValueError(f"Pod {key} is already present in the scheduling queue")
        pinfo.timestamp = self.loop.now
        rejectors = pinfo.unschedulable_plugins or pinfo.pending_plugins
        if not rejectors and backoff_without_rejector:
            return self._add_to_backoff_q(pinfo)  # an error, not a verdict: retry after backoff
        self.unschedulable_pods[key] = pinfo
        return UNSCHEDULABLE_PODS

    def _refresh(self, pod_info: PodInfo) -> str:
        """Swap in the newer object of a pod in activeQ or backoffQ (its place does not change)."""
        where = self.where(pod_info.key)
        if where == ACTIVE_Q:
            self._active[pod_info.key].pinfo.pod_info = pod_info
        elif where == BACKOFF_Q:
            self._backoff[pod_info.key].pod_info = pod_info
        elif where == UNSCHEDULABLE_PODS:
            self.unschedulable_pods[pod_info.key].pod_info = pod_info
        return where

    def update(self, old: dict, new: dict) -> str:
        """The pending pod changed: refresh it; move it on if the change may help it."""
        pod_info = PodInfo(new)
        key = pod_info.key
        self.nominator.update_nominated_pod(old, pod_info)
        if key in self._active or key in self._backoff:
            return self._refresh(pod_info)
        pinfo = self.unschedulable_pods.get(key)
        if pinfo is None:
            return self.add(new)
        pinfo.pod_info = pod_info
        for event in pod_scheduling_properties_change(new, old):
            hint = self.is_pod_worth_requeuing(pinfo, event, old, new)
            if hint != QUEUE_SKIP:
                del self.unschedulable_pods[key]
                return self._requeue(pinfo, hint)
        return UNSCHEDULABLE_PODS

    def delete(self, pod: dict) -> None:
        self.nominator.delete_nominated_pod_if_exists(pod)
        meta = pod["metadata"]
        key = f"{meta.get('namespace', '')}/{meta['name']}"
        entry = self._active.pop(key, None)
        if entry is not None:
            entry.removed = True
        if self._backoff.pop(key, None) is not None:
            self._timers.pop(key).cancel()
        self.unschedulable_pods.pop(key, None)

    # -- cluster events ----------------------------------------------------------------------
    def is_pod_worth_requeuing(self, pinfo: QueuedPodInfo, event: ClusterEvent, old: Any, new: Any) -> str:
        """Ask the hints of the plugins that rejected the pod whether ``event`` may help it."""
        rejectors = {**pinfo.unschedulable_plugins, **pinfo.pending_plugins}
        if not rejectors or event.is_wildcard():
            return QUEUE_AFTER_BACKOFF
        strategy = QUEUE_SKIP
        for plugin, registered, hint_fn in self.hints.get(self.profile_of(pinfo.pod), ()):
            if plugin not in rejectors or not registered.match(event):
                continue
            try:
                hint = QueueingHint.Queue if hint_fn is None else hint_fn(pinfo.pod, old, new)
            except Exception:  # noqa: BLE001 - a broken hint must not strand the pod
                hint = QueueingHint.Queue
            if hint == QueueingHint.QueueSkip:
                continue
            if plugin in pinfo.pending_plugins:
                return QUEUE_IMMEDIATELY
            strategy = QUEUE_AFTER_BACKOFF
        return strategy

    def _requeue(self, pinfo: QueuedPodInfo, strategy: str) -> str:
        if strategy == QUEUE_AFTER_BACKOFF and self.is_pod_backing_off(pinfo):
            return self._add_to_backoff_q(pinfo)
        return self._add_to_active_q(pinfo)

    def move_all_to_active_or_backoff_queue(
        self,
        event: ClusterEvent,
        old: Any = None,
        new: Any = None,
        pre_check: Callable[[dict], bool] | None = None,
    ) -> int:
        """A cluster event: retry every unschedulable pod it may help; returns how many moved."""
        pods = [p for p in self.unschedulable_pods.values() if pre_check is None or pre_check(p.pod)]
        return self._move(pods, event, old, new)

    def _move(self, pods: list, event: ClusterEvent, old: Any, new: Any) -> int:
        moved = 0
        for pinfo in pods:
            strategy = self.is_pod_worth_requeuing(pinfo, event, old, new)
            if strategy == QUEUE_SKIP:
                continue
            del self.unschedulable_pods[pinfo.key]
            if event.is_wildcard():
                pinfo.unschedulable_plugins, pinfo.pending_plugins = {}, {}
            self._requeue(pinfo, strategy)
            moved += 1
        return moved

    def assigned_pod_added(self, pod: dict) -> int:
        return self._move(self._with_cross_topology_term(pod), ASSIGNED_POD_ADD, None, pod)

    def assigned_pod_updated(self, old: dict, new: dict) -> int:
        """updateAssignedPodInCache: each property that changed (labels, tolerations, a scale-down...)
        is one event for every unschedulable pod; a status write by the kubelet is none at all."""
        if not self.unschedulable_pods:
            return 0  # nobody to move: skip comparing the two versions
        return sum(
            self.move_all_to_active_or_backoff_queue(event, old, new)
            for event in pod_scheduling_properties_change(new, old)
        )

    def _with_cross_topology_term(self, pod: dict) -> list[QueuedPodInfo]:
        """Only pods with (anti-)affinity to other pods can be helped by another pod's arrival."""
        inter_pod = {"podAffinity", "podAntiAffinity"}
        return [
            p
            for p in self.unschedulable_pods.values()
            if ((p.pod.get("spec") or {}).get("affinity") or {}).keys() & inter_pod
        ]

    def flush_unschedulable_pods_leftover(self) -> int:
        """Retry pods that have waited in unschedulablePods longer than 5 minutes."""
        now = self.loop.now
        stale = [
            p
            for p in self.unschedulable_pods.values()
            if now - p.timestamp > POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION
        ]
        return self._move(stale, UNSCHEDULABLE_TIMEOUT, None, None)

    def run_periodic_flush(self):
        """The 30-second ticker, as a loop process (periodic: it never keeps settle() busy)."""
        while not self.closed:
            yield UNSCHEDULABLE_FLUSH_PERIOD
            self.flush_unschedulable_pods_leftover()

    # -- inspection --------------------------------------------------------------------------
    def pending_pods(self) -> dict[str, list[str]]:
        """Pod keys in each queue (activeQ in pop order)."""
        active = [e.pinfo.key for e in sorted(e for e in self.active_q if not e.removed)]
        backoff = [k for _, _, k in sorted(self.backoff_q) if k in self._backoff]
        return {
            ACTIVE_Q: active,
            BACKOFF_Q: list(dict.fromkeys(backoff)),
            UNSCHEDULABLE_PODS: list(self.unschedulable_pods),
        }

    def where(self, key: str) -> str:
        if key in self._active:
            return ACTIVE_Q
        if key in self._backoff:
            return BACKOFF_Q
        if key in self.unschedulable_pods:
            return UNSCHEDULABLE_PODS
        return ""

    def close(self) -> None:
        self.closed = True
        self._waiters.clear()
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._backoff.clear()

    def __len__(self) -> int:
        return len(self._active) + len(self._backoff) + len(self.unschedulable_pods)
