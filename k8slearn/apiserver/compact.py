"""The API server's etcd compactor: every 5 minutes, drop history older than the last interval.

etcd keeps every revision until something compacts it. kube-apiserver does that on a timer
(``--etcd-compaction-interval``, default 5m): each time, it compacts to the revision it saw at
the previous tick, so watchers always have at least one interval of history to resume from. It
records that revision under the key ``compact_rev_key`` so several API servers agree.

>>> from k8slearn.etcd import MVCCStore
>>> from k8slearn.sim import Loop
>>> loop, store = Loop(), MVCCStore()
>>> _ = Compactor(loop, store).start()
>>> for i in range(3):
...     _ = store.put("/registry/pods/default/web", f"v{i}")
>>> loop.run(301); store.compact_revision, store.revision   # first tick only remembers revision 5
(0, 5)
>>> loop.run(300); store.compact_revision                   # second tick compacts to it
5

Simplified: one API server, so no compare-and-swap on ``compact_rev_key``'s version.

Upstream: staging/src/k8s.io/apiserver/pkg/storage/etcd3/compact.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.sim import Loop, Process

COMPACT_INTERVAL = 300.0  # DefaultCompactInterval
COMPACT_REV_KEY = "compact_rev_key"


class Compactor:
    def __init__(self, loop: Loop, store: Any, interval: float = COMPACT_INTERVAL) -> None:
        self.loop, self.store, self.interval = loop, store, interval
        self.process: Process | None = None

    def start(self) -> "Compactor":
        self.process = self.loop.spawn(self._run(), "kube-apiserver/compactor", periodic=True)
        return self

    def _run(self):
        previous = 0
        while True:
            yield self.interval
            if previous > self.store.compact_revision:
                self.store.compact(previous)
                self.loop.record("kube-apiserver", "compact", "etcd", f"compacted to revision {previous}")
            self.store.put(COMPACT_REV_KEY, str(previous))
            previous = self.store.revision
