"""The node lifecycle controller's queue of nodes to taint, and the token bucket that paces it.

Tainting a dead node ``NoExecute`` evicts its pods, so kube-controller-manager does not do it to
every dead node at once: each zone has a queue, and a token bucket lets one node out every
``1 / qps`` seconds (``--node-eviction-rate`` 0.1/s: a node every 10 s). A node stays a member
after it was processed, so it is not queued twice until it is removed (it became reachable):

>>> q = RateLimitedTimedQueue(qps=0.1, now=0.0)
>>> q.add("node-1", 0.0), q.add("node-2", 0.0), q.add("node-1", 0.0)
(True, True, False)
>>> tainted = []
>>> q.try_(lambda name: (tainted.append(name) or True, 0.0), now=0.0)
>>> tainted, q.limiter.wait()          # the bucket (burst 1) is empty: the next in 10 s
(['node-1'], 10.0)
>>> q.try_(lambda name: (tainted.append(name) or True, 0.0), now=10.0); tainted
['node-1', 'node-2']

A zone in full or partial disruption gets a limiter that accepts nothing; when it recovers, the
new token bucket is drained if the old limiter was empty (it always is), so the first node is
tainted one token (10 s) later, not at once:

>>> q.swap_limiter(0, now=20.0); q.limiter.try_accept(30.0)
False
>>> q.swap_limiter(0.1, now=30.0); q.limiter.try_accept(30.0), q.limiter.wait()
(False, 10.0)

Simplified: the simulated clock, no separate goroutine; the controller asks ``next_due`` and
``limiter.wait`` when to call ``try_`` again.

Upstream: pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go,
staging/src/k8s.io/client-go/util/flowcontrol/throttle.go (NewTokenBucketRateLimiter, NewFakeNeverRateLimiter)
"""

from __future__ import annotations

import heapq
import itertools
from typing import Any


class TokenBucket:
    """flowcontrol.NewTokenBucketRateLimiter(qps, burst) on the simulated clock (qps 0 rejects all)."""

    def __init__(self, qps: float, burst: int, now: float) -> None:
        self.qps, self.burst, self.tokens, self.last = qps, burst, float(burst), now

    def try_accept(self, now: float) -> bool:
        if self.qps <= 0:
            return False
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.qps)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def wait(self) -> float | None:
        return None if self.qps <= 0 else max(0.0, (1 - self.tokens) / self.qps)


class NeverLimiter:
    """flowcontrol.NewFakeNeverRateLimiter: accepts nothing, ever. Its QPS() says 1, as upstream's
    does (so swapping to a rate of 1/s from it would keep it: SwapLimiter compares QPS())."""

    qps = 1.0

    def try_accept(self, now: float) -> bool:
        return False

    def wait(self) -> float | None:
        return None


class RateLimitedTimedQueue:
    """Nodes waiting for their NoExecute taint, handed out no faster than the zone's limiter allows.

    A node stays in the set after it was processed, so it is not queued again until removed
    (when it becomes reachable, or its taint disappears).
    """

    def __init__(self, qps: float, now: float) -> None:
        self.limiter: TokenBucket | NeverLimiter = TokenBucket(qps, 1, now)
        self.heap: list = []
        self.members: set[str] = set()
        self.seq = itertools.count()

    def add(self, name: str, now: float) -> bool:
        if name in self.members:
            return False
        self.members.add(name)
        heapq.heappush(self.heap, [now, next(self.seq), name])
        return True

    def remove(self, name: str) -> None:
        self.members.discard(name)
        self.heap = [e for e in self.heap if e[2] != name]
        heapq.heapify(self.heap)

    def next_due(self) -> float | None:
        """When the head of the queue is due (None if nothing is queued)."""
        return self.heap[0][0] if self.heap else None

    def swap_limiter(self, qps: float, now: float) -> None:
        """SwapLimiter: a new limiter when the rate changed: the never-accepting one for 0, else a
        token bucket (burst 1) that is drained at once if the old limiter has no token left ("If
        we're currently waiting on limiter, we drain the new one")."""
        if self.limiter.qps == qps:
            return
        new: TokenBucket | NeverLimiter
        if qps <= 0:
            new = NeverLimiter()
        else:
            new = TokenBucket(qps, 1, now)
            if not self.limiter.try_accept(now):
                new.try_accept(now)
        self.limiter = new

    def try_(self, fn: Any, now: float) -> None:
        """Process due entries while the limiter accepts; ``fn(name) -> (done, retry_after)``."""
        while self.heap:
            entry = self.heap[0]
            if entry[0] > now or not self.limiter.try_accept(now):
                break
            done, wait = fn(entry[2])
            heapq.heappop(self.heap)
            if not done:
                heapq.heappush(self.heap, [now + wait, next(self.seq), entry[2]])
