"""The shape every controller shares: informers → handlers enqueue keys → workers call ``sync``.

A handler never does work; it only puts ``namespace/name`` into the workqueue. A worker process
takes one key at a time and calls ``sync(key)``, which reads the current state from listers and
writes through the API server. ``sync`` is level-triggered and idempotent: it looks at how the
world *is* now, not at what event woke it, so running it twice changes nothing the second time.
If ``sync`` fails, the key is requeued with a growing delay; on success the delay is forgotten.

Upstream: k8s.io/sample-controller/controller.go (runWorker, processNextWorkItem)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.client.cache import meta_key
from k8slearn.client.informer import SharedInformerFactory
from k8slearn.client.record import EventRecorder
from k8slearn.client.workqueue import WorkQueue
from k8slearn.sim import Loop, Process


API_ROUND_TRIP = 0.001  # seconds a sync that wrote keeps its worker (the API server's watch delay)


class Requeue(Exception):
    """Raised by ``sync`` when the world is not ready yet: try the key again later, backing off."""


class Controller:
    """Base class: subclasses set ``name``, register handlers in ``__init__`` and define ``sync``."""

    name = "controller"

    def __init__(
        self, loop: Loop, client: Any, informers: SharedInformerFactory | None = None, workers: int = 1
    ) -> None:
        self.loop = loop
        self.client = client
        self._own_informers = informers is None  # a shared factory is its owner's to stop
        self.informers = informers or SharedInformerFactory(client)
        self.queue = WorkQueue(loop, self.name)
        self.recorder = EventRecorder(client, self.name, clock=lambda: loop.now)
        self.workers = workers
        self._processes: list[Process] = []

    def enqueue(self, obj: dict) -> None:
        """The only thing handlers do: remember which object needs a sync."""
        self.queue.add(meta_key(obj))

    def run(self) -> None:
        """Start the informers (if not yet) and the worker processes (once: running already, nothing)."""
        if self._processes:
            return
        self.informers.start()
        for i in range(self.workers):
            self._processes.append(self.loop.spawn(self._worker(), f"{self.name}-worker-{i}"))

    def stop(self) -> None:
        """Stop the workers, and the informers if this controller made its own factory (as the
        sample controller's one stop channel does); the controller manager stops a shared one."""
        for process in self._processes:
            process.stop()
        self._processes.clear()
        for queue in [q for q in vars(self).values() if isinstance(q, WorkQueue)]:
            queue.drop_waiting_workers()  # the stopped workers' get()s: no key may go to them
        if self._own_informers:
            self.informers.stop()

    def _worker(self):
        return self.queue_worker(self.queue, self.sync, "sync failed")

    def queue_worker(self, queue: WorkQueue, sync: Any, what: str | None, writes: Any = None):
        """A worker process for ``queue``: take a key, ``sync(key)``; on failure requeue it with
        its back-off (and trace ``what: error``, unless ``what`` is None), on success forget it.
        Controllers with a second queue (orphans, stale conditions) run one of these for it.

        ``writes``, for a controller that keeps no expectations and trusts its informers (as the
        StatefulSet controller does): a count of the writes it sent. After a sync that wrote, the
        worker waits ``API_ROUND_TRIP`` so that their watch events reach the informers before the
        next sync reads them, as each write's round trip does upstream (API requests here take
        no simulated time)."""
        while True:
            key = yield queue.get()
            if key is None:  # shut down
                return
            sent = writes() if writes is not None else 0
            try:
                sync(key)
            except (ApiError, Requeue) as err:
                if what is not None:
                    self.loop.record(self.name, "requeue", key, f"{what}: {err}")
                queue.add_rate_limited(key)
            else:
                queue.forget(key)
            finally:
                queue.done(key)
            if writes is not None and writes() != sent:
                yield API_ROUND_TRIP

    def fresh(self, resource: str, obj: dict) -> dict | None:
        """``obj`` read again from the API server, not the cache (None if it is gone): what
        RecheckDeletionTimestamp looks at before a controller adopts anything."""
        meta = obj["metadata"]
        try:
            return self.client.get(resource, meta["name"], meta.get("namespace"))
        except ApiError as err:
            if err.code == 404:
                return None
            raise

    @staticmethod
    def owner_from_ref(lister: Any, kind: str, namespace: str, ref: dict | None) -> dict | None:
        """resolveControllerRef: the object a pod's (or ReplicaSet's, Job's) controller reference
        names, if it is a ``kind`` in the lister with the reference's uid; None otherwise (an owner
        deleted and created again under the same name is another object)."""
        if ref is None or ref.get("kind") != kind:
            return None
        owner = lister.get(ref["name"], namespace)
        return owner if owner is not None and owner["metadata"].get("uid") == ref.get("uid") else None

    def sync(self, key: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
