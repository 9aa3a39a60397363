"""Each Event as it was written: what a controller said at the moment it acted.

An Event object does not keep its words. client-go's EventCorrelator rewrites it in place: a
repeat bumps its ``count``, and from the 11th similar event on (same object, same reason) the one
aggregate Event is rewritten each time, ``(combined from similar events): Created pod: <the newest
pod>``. And kube-apiserver deletes every Event an hour after its last write (``--event-ttl``). So
the Event list of *now* cannot say what a controller did *then*.

The trace can: a write of an Event is followed by the ``etcd put`` that stored it, with its
revision. ``EventsWritten(cluster).at(key, revision)`` reads that version back from etcd while etcd
still has it (kube-apiserver compacts old versions every 5 minutes), and keeps every version it
has read for as long as the cluster lives, so a row once known stays known.

>>> from k8slearn.etcd import MVCCStore
>>> class Toy:                   # anything with an etcd
...     etcd = MVCCStore()
>>> key = "/registry/events/default/web.1"
>>> first = Toy.etcd.put(key, b'{"message": "Created pod: web-a"}')
>>> later = Toy.etcd.put(key, b'{"message": "(combined from similar events): Created pod: web-k"}')
>>> written = events_written(Toy)
>>> written.at(key, first)["message"], written.at(key, later)["message"]
('Created pod: web-a', '(combined from similar events): Created pod: web-k')
>>> Toy.etcd.compact(later)                          # etcd forgets the first version...
>>> written.at(key, first)["message"], EventsWritten(Toy).at(key, first)   # ...the record does not
('Created pod: web-a', None)

Simplified: a version compacted away before any picture read it is lost (``at`` gives None).

Upstream: none (a teaching view); it reads etcd's MVCC history (etcd ``mvcc``, a key's revisions).
"""

from __future__ import annotations

import json
import weakref
from typing import Any

__all__ = ["EventsWritten", "events_written", "stored_revision"]

_RECORDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()    # cluster -> its EventsWritten


class EventsWritten:
    """The Events of one cluster as they were written, by etcd revision."""

    def __init__(self, cluster: Any) -> None:
        self.etcd = cluster.etcd
        self.kept: dict[int, dict] = {}          # revision -> the Event as that write stored it

    def at(self, key: str, revision: int) -> dict | None:
        """The Event stored under ``key`` by the write at ``revision``; None once nobody has it."""
        if revision not in self.kept:
            value = self.etcd.value_at(key, revision)
            if value is None:
                return None
            self.kept[revision] = json.loads(value)
        return self.kept[revision]

    def exists(self, key: str) -> bool:
        """Is there an Event under ``key`` now (it has not expired)?"""
        return self.etcd.get(key) is not None


def events_written(cluster: Any) -> EventsWritten:
    """The one record of ``cluster``'s Events, shared by every picture of it."""
    try:
        return _RECORDS[cluster]
    except KeyError:
        record = _RECORDS[cluster] = EventsWritten(cluster)
        return record


def stored_revision(step: Any) -> int | None:
    """The revision of an ``etcd put`` step (``revision 87``), else None."""
    if step is None or step.component != "etcd" or step.action != "put":
        return None
    words = (step.detail or "").split()
    return int(words[1]) if len(words) == 2 and words[0] == "revision" and words[1].isdigit() else None
