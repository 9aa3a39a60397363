"""The deterministic event loop every component of the simulated cluster runs on.

There are no threads and no wall clock. The loop keeps a heap of pending events ordered by
``(time, priority, sequence)``: the earliest time runs first, a lower priority number wins a tie,
and the sequence number (a counter) makes any remaining tie first-in-first-out. So the same seed
and the same calls always produce the same run, step for step.

Components are written as generator *processes* that read like the Go loops they model::

    def heartbeat(loop):
        while True:
            loop.record("kubelet", "renew", "lease/node-1")
            yield 10.0                      # sleep 10 simulated seconds

A process may ``yield`` a number (sleep that many seconds) or a :class:`Waitable` such as
``queue.get()`` (resume when a value arrives; the value is sent back into the generator).

>>> loop = Loop(seed=0)
>>> _ = loop.call_later(2.0, loop.record, "etcd", "put", "/registry/pods/default/web")
>>> _ = loop.call_later(1.0, loop.record, "kube-apiserver", "create", "pod/default/web")
>>> loop.settle()
2.0
>>> [(s.time, s.component) for s in loop.trace]
[(1.0, 'kube-apiserver'), (2.0, 'etcd')]

Simplified: one event runs to completion before the next (no preemption, no parallelism); the
time an action takes is whatever delay the component schedules.

Upstream: the SimPy event loop (environment.py) is the model; it stands in for Go's goroutines,
channels and timers in every Kubernetes binary.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import random
from collections import deque
from typing import Any, Callable, Generator, NamedTuple

from k8slearn.api.meta import uuid4_text

__all__ = ["Loop", "Step", "Timer", "Process", "Waitable", "Queue", "SettleTimeout"]


class Step(NamedTuple):
    """One visible hop: at ``time``, ``component`` did ``action`` to ``object`` (``detail`` says more)."""

    time: float
    component: str
    action: str
    object: str
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.time:10.3f}  {self.component:<24} {self.action:<19} {self.object}"
        return f"{text}  {self.detail}" if self.detail else text


def _owner(fn: Callable, args: tuple) -> str:
    """Words for a pending event: ``process "<name>"``, or ``<Type> "<name>": <method>(<first argument>)``."""
    owner = getattr(fn, "__self__", None)
    if isinstance(owner, Process):
        return f'process "{owner.name}"'
    name = getattr(owner, "name", None)
    who = f'{type(owner).__name__} "{name}": ' if isinstance(name, str) else ""
    what = args[0] if args and isinstance(args[0], str) else ""
    return f"{who}{getattr(fn, '__name__', type(fn).__name__)}({what})"


class SettleTimeout(RuntimeError):
    """settle() ran for its whole budget and work was still pending (a loop that never calms down).

    The message names the first pending events. A cluster can be busy for ever, faithfully: a
    Deployment whose old pods keep restarting "progresses" at every restart, so its controller
    keeps checking it. ``run(seconds)`` advances time without waiting for quiet."""


class Timer:
    """A handle on one scheduled event; ``cancel()`` stops it from running."""

    __slots__ = ("_entry", "_loop")

    def __init__(self, loop: "Loop", entry: list) -> None:
        self._loop = loop
        self._entry = entry

    @property
    def when(self) -> float:
        return self._entry[0]

    @property
    def cancelled(self) -> bool:
        return self._entry[3] is None

    @property
    def periodic(self) -> bool:
        """Whether ``settle()`` leaves it out (a heartbeat, a background wait)."""
        return bool(self._entry[5])

    def cancel(self) -> None:
        entry = self._entry
        if entry[3] is not None:
            entry[3] = None
            if not entry[5]:
                self._loop._busy -= 1


class Waitable:
    """Something a process can ``yield`` to wait on; ``trigger(value)`` wakes every waiter.

    Nearly every waitable has exactly one waiter (the process that yielded it), and there are
    many of them (a pending CRI call, a watch, a work queue): the first waiter has a slot of its
    own and a list is only made for a second one (a memory saving; waiters are woken in the same
    order).
    """

    __slots__ = ("_first", "_more", "triggered", "value")

    def __init__(self) -> None:
        self._first: Callable[[Any], None] | None = None
        self._more: list[Callable[[Any], None]] | None = None  # the waiters after the first
        self.triggered = False
        self.value: Any = None

    def add_waiter(self, callback: Callable[[Any], None]) -> None:
        if self.triggered:
            callback(self.value)
        elif self._first is None:
            self._first = callback
        elif self._more is None:
            self._more = [callback]
        else:
            self._more.append(callback)

    def trigger(self, value: Any = None) -> None:
        if self.triggered:
            return
        self.triggered, self.value = True, value
        first, more = self._first, self._more
        self._first = self._more = None
        if first is not None:
            first(value)
        if more is not None:
            for callback in more:
                callback(value)


class Queue:
    """A FIFO a process can block on: ``item = yield queue.get()``.

    A queue is mostly idle with its one process waiting, so it is kept small (a memory saving;
    the same items and wake-ups in the same order): an empty deque costs 600 bytes, so the
    items' deque is made on first use and let go again when ``get`` empties it; and like
    :class:`Waitable`, the first waiting getter has a slot of its own, a list only holding the
    ones after it.

    >>> q = Queue()
    >>> q.put("a"); q.put("b"); len(q)
    2
    >>> q.get().value, q.get().value, len(q), q._items is None
    ('a', 'b', 0, True)
    """

    __slots__ = ("_first", "_items", "_more")

    def __init__(self) -> None:
        self._items: deque | None = None
        self._first: Waitable | None = None  # the getter waiting longest
        self._more: list[Waitable] | None = None  # the getters after it, in order

    @property
    def items(self) -> deque:
        if self._items is None:
            self._items = deque()
        return self._items

    def __len__(self) -> int:
        return len(self._items) if self._items is not None else 0

    def put(self, item: Any) -> None:
        getter = self._first
        if getter is None:
            self.items.append(item)
            return
        more = self._more
        if more:
            self._first = more.pop(0)
        else:
            self._first = self._more = None
        getter.trigger(item)

    def get(self) -> Waitable:
        waitable = Waitable()
        items = self._items
        if items:
            waitable.trigger(items.popleft())
            if not items:
                self._items = None  # the empty deque is let go (see the class docstring)
        elif self._first is None:
            self._first = waitable
        elif self._more is None:
            self._more = [waitable]
        else:
            self._more.append(waitable)
        return waitable


ProcessGenerator = Generator[Any, Any, Any]


class Process:
    """A generator driven by the loop. ``periodic`` processes (heartbeats) do not keep settle() busy.

    A pod worker starts one for every burst of syncs (two or more per pod), so a process has
    ``__slots__``, and its pending wake-up is kept as the bare heap entry rather than a
    :class:`Timer` around it (a simulation saving: one object less per resume; ``stop`` cancels
    the entry exactly as ``Timer.cancel`` does).
    """

    __slots__ = ("_entry", "alive", "gen", "loop", "name", "periodic")

    def __init__(self, loop: "Loop", gen: ProcessGenerator, name: str, periodic: bool) -> None:
        self.loop, self.gen, self.name, self.periodic = loop, gen, name, periodic
        self.alive = True
        self._entry: list | None = None  # the heap entry of the pending resume, if any

    def _resume(self, value: Any = None) -> None:
        if not self.alive:
            return
        self._entry = None
        try:
            target = self.gen.send(value)
        except StopIteration:
            self.alive = False
            return
        if isinstance(target, Waitable):
            target.add_waiter(self._wake)
        else:
            loop = self.loop
            delay = 0.0 if target is None else float(target)
            self._entry = loop._push(loop.now + delay, 0, self._resume, (), self.periodic)

    def _wake(self, value: Any) -> None:
        # Resume through the heap, so a wake-up is an ordinary, ordered event.
        loop = self.loop
        self._entry = loop._push(loop.now + 0.0, 0, self._resume, (value,), self.periodic)  # call_later(0.0)

    def stop(self) -> None:
        """Kill the process (a component powered off); pending wake-ups are cancelled."""
        self.alive = False
        entry = self._entry
        if entry is not None and entry[3] is not None:  # what Timer.cancel does
            entry[3] = None
            if not entry[5]:
                self.loop._busy -= 1
        self.gen.close()


class Loop:
    """Simulated clock + event heap + the cluster's one seeded RNG + the trace of every step."""

    def __init__(self, seed: int = 0, trace: bool = True) -> None:
        self.now: float = 0.0
        self.seed = seed
        self.rng = random.Random(seed)
        self._uids = itertools.count(1)
        self.uid_salt = ""  # a restored cluster's: its UIDs must not be those its snapshot already holds
        self.trace: list[Step] = []
        self.tracing = trace
        self._heap: list[list] = []
        self._seq = itertools.count()
        self._busy = 0  # pending events that are not periodic heartbeats
        self.events_run = 0

    def new_uid(self) -> str:
        """The next object UID: uuid4-shaped, from the seed and a counter (not from ``rng``, so that
        a new kind of object does not move every later random draw: pod names, tie-breaks)."""
        salt = f"{self.uid_salt}/" if self.uid_salt else ""
        digest = hashlib.blake2b(f"{self.seed}/{salt}{next(self._uids)}".encode(), digest_size=16).digest()
        return uuid4_text(int.from_bytes(digest, "big"))

    # -- scheduling ---------------------------------------------------------------------------
    def _push(self, when: float, priority: int, fn: Callable, args: tuple, periodic: bool) -> list:
        """Put one event on the heap (never earlier than now) and return its entry.

        ``call_at``, ``call_later`` and the processes all come through here without keyword
        arguments: the loop schedules a couple of hundred thousand events per second of
        wall time, and this is the same work as before with fewer calls (a speed-up, same order).
        """
        now = self.now
        # ``max(when, now)`` written out: the same value (``when`` on a tie), one call less.
        entry = [now if now > when else when, priority, next(self._seq), fn, args, periodic]  # noqa: FURB136
        heapq.heappush(self._heap, entry)
        if not periodic:
            self._busy += 1
        return entry

    def call_at(
        self, when: float, fn: Callable, *args: Any, priority: int = 0, periodic: bool = False
    ) -> Timer:
        """Run ``fn(*args)`` at simulated time ``when`` (never earlier than now)."""
        return Timer(self, self._push(when, priority, fn, args, periodic))

    def call_later(
        self, delay: float, fn: Callable, *args: Any, priority: int = 0, periodic: bool = False
    ) -> Timer:
        """Run ``fn(*args)`` ``delay`` simulated seconds from now."""
        return Timer(self, self._push(self.now + delay, priority, fn, args, periodic))

    def post_later(self, delay: float, fn: Callable, *args: Any) -> None:
        """``call_later`` for an event nobody will cancel: the same heap entry, no Timer made (the
        API server's watch deliveries, one per watcher per change: a simulation speed-up)."""
        self._push(self.now + delay, 0, fn, args, False)

    def spawn(self, gen: ProcessGenerator, name: str = "", periodic: bool = False) -> Process:
        """Start a generator process at the current time."""
        process = Process(self, gen, name, periodic)
        process._entry = self._push(self.now + 0.0, 0, process._resume, (), periodic)  # call_later(0.0)
        return process

    def record(self, component: str, action: str, obj: str = "", detail: str = "") -> Step:
        """Append one visible hop to the trace (and return it)."""
        step = Step(self.now, component, action, obj, detail)
        if self.tracing:
            self.trace.append(step)
        return step

    # -- running ------------------------------------------------------------------------------
    @property
    def pending(self) -> int:
        """Events waiting that are not periodic heartbeats."""
        return self._busy

    def _pop(self) -> list | None:
        heap = self._heap
        while heap:
            entry = heapq.heappop(heap)
            if entry[3] is not None:
                return entry
        return None

    def _run_entry(self, entry: list) -> None:
        self.now = entry[0]
        fn, args = entry[3], entry[4]
        entry[3] = None
        if not entry[5]:
            self._busy -= 1
        self.events_run += 1
        fn(*args)

    def step(self) -> Step | None:
        """Run exactly one event; return the first step it recorded (None if the heap is empty)."""
        entry = self._pop()
        if entry is None:
            return None
        mark = len(self.trace)
        self._run_entry(entry)
        if len(self.trace) > mark:
            return self.trace[mark]
        return Step(self.now, "sim", "tick", "", "a timer fired; nothing visible changed")

    def run_until(self, when: float) -> None:
        """Run every event up to and including time ``when``; the clock ends at ``when``."""
        heap, pop = self._heap, heapq.heappop
        while heap and heap[0][0] <= when:
            entry = pop(heap)
            fn = entry[3]
            if fn is not None:  # ``_run_entry`` written out: the hottest loop of the simulation
                self.now = entry[0]
                entry[3] = None
                if not entry[5]:
                    self._busy -= 1
                self.events_run += 1
                fn(*entry[4])
        self.now = max(self.now, when)

    def run(self, seconds: float) -> None:
        """Advance simulated time by ``seconds``."""
        self.run_until(self.now + seconds)

    def settle(self, max_seconds: float = 3600.0) -> float:
        """Run until only periodic heartbeats are pending; return the simulated seconds advanced.

        Raises :class:`SettleTimeout` if work is still pending after ``max_seconds``.
        """
        start = self.now
        deadline = start + max_seconds
        while self._busy > 0:
            entry = self._pop()
            if entry is None:  # only cancelled entries were left
                self._busy = 0
                break
            if entry[0] > deadline:
                heapq.heappush(self._heap, entry)
                self.now = deadline
                count = self._busy
                raise SettleTimeout(f"still busy after {max_seconds:g} simulated seconds ({count} "
                                    f"{'event' if count == 1 else 'events'} pending: {self.pending_summary()})")
            self._run_entry(entry)
        return self.now - start

    def pending_summary(self, most: int = 3) -> str:
        """What keeps the loop busy, soonest first: a process's name, or the owner of a callback and
        its first argument (``WorkQueue "deployment-controller": add(default/web) at 4034.0 s``), up to ``most``."""
        entries = sorted(e for e in self._heap if e[3] is not None and not e[5])
        parts = [f"{_owner(entry[3], entry[4])} at {entry[0]:.1f} s" for entry in entries[:most]]
        if len(entries) > most:
            parts.append(f"{len(entries) - most} more")
        return ", ".join(parts)

    def trace_text(self) -> str:
        """The whole trace as text, one step per line (byte-identical for the same seed)."""
        return "\n".join(map(str, self.trace))
