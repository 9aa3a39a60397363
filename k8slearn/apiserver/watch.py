"""API watches: a stream of ``ADDED`` / ``MODIFIED`` / ``DELETED`` events for one resource.

A watch belongs to one client (``kube-scheduler``, ``kubelet/node-1``...) and may narrow what it
sees with a namespace, a label selector and a field selector. The watch cache tells every watch
about every change of its resource, with the object before and after; the watch decides what that
change means *to it* (``convert_event``, the cacheWatcher's convertToWatchEvent):

* new object matches, old did not (or there was none): ``ADDED``
* both match: ``MODIFIED``
* old matched, new does not (or it was deleted): ``DELETED``, with the old object

So a kubelet watching ``spec.nodeName=node-1`` sees a pod appear as ``ADDED`` the moment the
scheduler binds it there, although for the API server the pod was only modified.

>>> from k8slearn.api.selector_parser import parse_selector
>>> sel = Selection(label=parse_selector("app=web"))
>>> convert_event(sel, {"metadata": {"labels": {"app": "web"}}}, None)
'ADDED'
>>> convert_event(sel, {"metadata": {"labels": {"app": "db"}}}, {"metadata": {"labels": {"app": "web"}}})
'DELETED'

Events are either buffered (iterate the watch to drain them, never blocking) or handed to a
``handler(type, obj)``, each delivery one event on the simulation loop, ``server.watch_delay``
seconds later, recorded in the trace as ``Step(actor, "watch", "pod/default/web", "ADDED rv=12")``.

Simplified: no bookmarks, no timeouts, no slow-watcher eviction, no chunked initial events.

Upstream: staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go,
staging/src/k8s.io/apimachinery/pkg/watch/watch.go
"""

from __future__ import annotations

from collections import deque
from typing import Any, Callable, Iterator

from k8slearn.api.fields import FieldSelector
from k8slearn.api.labels import Selector
from k8slearn.api.meta import FrozenDict

ADDED, MODIFIED, DELETED = "ADDED", "MODIFIED", "DELETED"

Handler = Callable[[str, dict], Any]


class Selection:
    """What a watch or list wants: a namespace (None = all), a label and a field selector."""

    __slots__ = ("namespace", "label", "field")

    def __init__(self, namespace: str | None = None, label: Selector | None = None,
                 field: FieldSelector | None = None) -> None:
        self.namespace = namespace or None
        self.label = None if label is None or label.empty() else label
        self.field = None if field is None or field.empty() else field

    def matches(self, obj: dict) -> bool:
        meta = obj["metadata"]
        if self.namespace is not None and meta.get("namespace") != self.namespace:
            return False
        if self.label is not None and not self.label.matches(meta.get("labels")):
            return False
        return self.field is None or self.field.matches(obj)

    def exact_field(self, path: str) -> str | None:
        """The value ``path`` must equal (``spec.nodeName=node-1``), if the field selector pins it."""
        if self.field is None:
            return None
        for f, op, value in self.field.requirements:
            if f == path and op in ("=", "=="):
                return value
        return None


def convert_event(selection: Selection, obj: dict | None, old: dict | None) -> str | None:
    """The event type this change means to a watcher with ``selection`` (None: not interested)."""
    cur = obj is not None and selection.matches(obj)
    was = old is not None and selection.matches(old)
    if cur:
        return MODIFIED if was else ADDED
    return DELETED if was else None


def object_ref(singular: str, obj: dict) -> str:
    """``pod/default/web`` or ``node/node-1``: how the trace names an object."""
    meta = obj["metadata"]
    ns = meta.get("namespace")
    return f"{singular}/{ns}/{meta.get('name', '')}" if ns else f"{singular}/{meta.get('name', '')}"


class Watch:
    """One client's watch on one resource. Iterate to drain buffered events; ``stop()`` ends it."""

    def __init__(self, server: Any, resource: str, singular: str, selection: Selection, actor: str,
                 handler: Handler | None = None) -> None:
        self.server = server
        self.resource = resource
        self.singular = singular
        self.selection = selection
        self.actor = actor
        self.handler = handler
        self.stopped = False
        self.delivered = 0
        self._events: deque[tuple[str, dict]] = deque()
        self._on_stop: list[Callable[[], None]] = []
        index_value = selection.exact_field("spec.nodeName") if resource == "pods" else None
        self.node_name = index_value  # the pod watch cache indexes watchers by this value
        self.object_name = selection.exact_field("metadata.name")  # ... and any watch by this one
        self.seq = 0  # the watch cache's registration number: watches hear a change in this order
        # No namespace, label or field selector: every object matches, so convert_event's answer
        # only depends on which of obj/old exist (a speed-up for notify, identical results).
        self._everything = selection.namespace is None and selection.label is None \
            and selection.field is None

    # -- fed by the watch cache ----------------------------------------------------------------
    def notify(self, obj: dict | None, old: dict | None, rev: int, gone: dict | None = None) -> None:
        """One change of the resource: ``obj`` after (None if deleted), ``old`` before (None if new).

        ``gone`` is ``old`` at resourceVersion ``rev`` if the caller has it already (the watch cache
        makes it once per deletion for all its watches, as upstream's event carries one object).
        """
        if self._everything:
            if obj is not None:
                kind = MODIFIED if old is not None else ADDED
            elif old is not None:
                kind = DELETED
            else:
                return
        else:
            kind = convert_event(self.selection, obj, old)
            if kind is None:
                return
        if kind == DELETED:
            obj = gone if gone is not None else with_resource_version(old, rev)
        self.send(kind, obj)

    def send(self, kind: str, obj: dict) -> None:
        if self.stopped:
            return
        if self.handler is None:
            self._events.append((kind, obj))
        else:
            # (post_later: call_later without a Timer, since nobody cancels a delivery)
            self.server.loop.post_later(self.server.watch_delay, self._dispatch, kind, obj)

    def _dispatch(self, kind: str, obj: dict) -> None:
        if self.stopped:
            return
        self.delivered += 1
        loop = self.server.loop
        if loop.tracing:  # (the step is only built to be kept)
            rv = obj["metadata"].get("resourceVersion", "")
            loop.record(self.actor, "watch", object_ref(self.singular, obj), f"{kind} rv={rv}")
        self.handler(kind, obj)

    # -- the client's side ---------------------------------------------------------------------
    def __iter__(self) -> Iterator[tuple[str, dict]]:
        """The events buffered when iteration starts, oldest first; never blocks."""
        events = self._events
        n = len(events)
        while n and events:
            n -= 1
            self.delivered += 1
            yield events.popleft()

    def __len__(self) -> int:
        return len(self._events)

    def stop(self) -> None:
        """Stop the watch: no more events, and pending deliveries are dropped."""
        if not self.stopped:
            self.stopped = True
            for fn in self._on_stop:
                fn()

    def __repr__(self) -> str:
        state = "stopped" if self.stopped else f"{len(self._events)} buffered"
        return f"<Watch {self.actor} {self.resource} {state}>"


def with_resource_version(obj: dict, rev: int) -> dict:
    """A frozen copy of ``obj`` carrying resourceVersion ``rev`` (a DELETED event's object)."""
    meta = FrozenDict({**obj["metadata"], "resourceVersion": str(rev)})
    return FrozenDict({**obj, "metadata": meta})


__all__ = ["Watch", "Selection", "convert_event", "object_ref", "ADDED", "MODIFIED", "DELETED"]
