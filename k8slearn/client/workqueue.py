"""The workqueue: where controllers keep the keys of objects that need a sync.

Two small sets make it safe and fair: ``dirty`` (keys waiting to be processed) and ``processing``
(keys a worker is syncing right now). Adding a key that is already dirty does nothing, so a burst
of changes to one object causes one sync. Adding a key while it is being processed marks it dirty
and it is queued again when the worker calls ``done``, so one key is never synced twice at once.

>>> from k8slearn.sim import Loop
>>> q = WorkQueue(Loop(), "demo")
>>> q.add("default/web"); q.add("default/web"); q.add("default/db")
>>> len(q), q.pop(), sorted(q.processing)
(2, 'default/web', ['default/web'])
>>> q.add("default/web")            # changed while being synced: remembered, not queued twice
>>> len(q), q.done("default/web"), len(q)
(1, None, 2)

A delayed add waits once per key, at the earliest time asked for:

>>> loop = Loop(); q = WorkQueue(loop, "demo")
>>> q.add_after("default/pi", 1.0); q.add_after("default/pi", 1.5); q.add_after("default/pi", 0.5)
>>> len(q.waiting), q.waiting["default/pi"].when
(1, 0.5)

``shut_down()`` ends it, as client-go's ``ShutDown``: adds are ignored from then on, and a worker
waiting in ``get()`` receives ``None`` (client-go's ``shutdown == true``), its sign to return:

>>> q = WorkQueue(Loop(), "demo"); w = q.get(); q.shut_down()
>>> q.shutting_down(), w.value, q.add("default/web"), len(q)
(True, None, None, 0)

Retries live here, never in business logic: ``add_rate_limited(key)`` requeues after an
exponential per-item delay (5 ms doubling up to 1000 s), and ``forget(key)`` resets it after a
successful sync.

Simplified: no overall token bucket (client-go also caps all retries at 10 qps / 100 burst).

Upstream: k8s.io/client-go/util/workqueue/queue.go, delaying_queue.go, default_rate_limiters.go
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable

from k8slearn.sim import Loop, Timer, Waitable

QUICK_RETRIES = 5  # retries that settle() still waits for (5 ms ... 80 ms)


class ItemExponentialFailureRateLimiter:
    """Delay = base * 2^(failures so far), capped at max_delay."""

    def __init__(self, base_delay: float = 0.005, max_delay: float = 1000.0) -> None:
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.failures: dict[Hashable, int] = {}

    def when(self, item: Hashable) -> float:
        exp = self.failures.get(item, 0)
        self.failures[item] = exp + 1
        return min(self.base_delay * 2**exp, self.max_delay)

    def num_requeues(self, item: Hashable) -> int:
        return self.failures.get(item, 0)

    def forget(self, item: Hashable) -> None:
        self.failures.pop(item, None)


class WorkQueue:
    """A rate-limited, deduplicating FIFO of keys, driven by the simulation loop."""

    def __init__(self, loop: Loop, name: str, rate_limiter: ItemExponentialFailureRateLimiter | None = None):
        self.loop = loop
        self.name = name
        self.rate_limiter = rate_limiter or ItemExponentialFailureRateLimiter()
        self.queue: deque[Hashable] = deque()
        self.dirty: set[Hashable] = set()
        self.processing: set[Hashable] = set()
        self._getters: deque[Waitable] = deque()
        self.waiting: dict[Hashable, Timer] = {}  # add_after's keys, each with its one timer
        self._shutting_down = False

    def __len__(self) -> int:
        return len(self.queue)

    def add(self, item: Hashable) -> None:
        if self._shutting_down or item in self.dirty:
            return
        self.dirty.add(item)
        if item in self.processing:
            return
        self._push(item)

    def _push(self, item: Hashable) -> None:
        if self._getters:
            self.queue.append(item)
            self._getters.popleft().trigger(self.pop())
        else:
            self.queue.append(item)

    def pop(self) -> Hashable:
        """Take the next key now (it moves from dirty to processing); the queue must not be empty."""
        if not self.queue:
            raise IndexError(f"workqueue {self.name!r} is empty: a worker waits with `key = yield queue.get()`")
        item = self.queue.popleft()
        self.processing.add(item)
        self.dirty.discard(item)
        return item

    def get(self) -> Waitable:
        """For a worker process: ``key = yield queue.get()``; ``None`` once the queue is shut
        down and empty (the worker returns then)."""
        waitable = Waitable()
        if self.queue:
            waitable.trigger(self.pop())
        elif self._shutting_down:
            waitable.trigger(None)
        else:
            self._getters.append(waitable)
        return waitable

    def done(self, item: Hashable) -> None:
        """The worker finished ``item``; if it changed meanwhile, queue it again."""
        self.processing.discard(item)
        if item in self.dirty:
            self._push(item)

    def shut_down(self) -> None:
        """ShutDown: ignore adds from now on, drop the delayed ones, and wake every waiting worker
        with ``None``. Keys already queued are still handed out, as client-go does."""
        self._shutting_down = True
        for timer in self.waiting.values():
            timer.cancel()
        self.waiting.clear()
        while self._getters:
            self._getters.popleft().trigger(None)

    def drop_waiting_workers(self) -> None:
        """Forget the workers blocked in ``get()``: their processes were stopped, and a key handed
        to one of them would sit in ``processing`` forever, never to be synced again."""
        self._getters.clear()

    def shutting_down(self) -> bool:
        return self._shutting_down

    def add_after(self, item: Hashable, delay: float, background: bool = False) -> None:
        """Add ``item`` after ``delay``; a ``background`` wait does not keep ``settle()`` busy.

        As client-go's delaying queue, a key waits once: a later ``add_after`` of a key that is
        already waiting only moves its time *earlier* (the earliest wins), so a burst of delayed
        adds costs one add; a wait in the foreground makes a background one count for ``settle()``.
        An immediate ``add`` leaves the waiting entry as it is.
        """
        if delay <= 0 or self._shutting_down:
            self.add(item)
            return
        waiting = self.waiting.get(item)
        if waiting is not None:
            if waiting.when <= self.loop.now + delay and (background or not waiting.periodic):
                return
            delay = min(delay, waiting.when - self.loop.now)  # (a foreground add of a background wait)
            waiting.cancel()
        self.waiting[item] = self.loop.call_later(delay, self._ready, item, periodic=background)

    def _ready(self, item: Hashable) -> None:
        del self.waiting[item]
        self.add(item)

    def add_rate_limited(self, item: Hashable) -> None:
        """Retry ``item`` after its back-off. After a few quick retries a key that keeps failing
        waits in the background: settle() does not wait on a controller that cannot progress."""
        delay = self.rate_limiter.when(item)
        self.add_after(item, delay, background=self.rate_limiter.num_requeues(item) > QUICK_RETRIES)

    def forget(self, item: Hashable) -> None:
        self.rate_limiter.forget(item)

    def num_requeues(self, item: Hashable) -> int:
        return self.rate_limiter.num_requeues(item)
