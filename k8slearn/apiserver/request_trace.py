"""Tracing a request: one step for the request itself, then one for each etcd write it caused.

Each request is recorded under the component that made it, with the object it named and a short
detail (how many items a list found, whether a delete was graceful, the error it got):

>>> from k8slearn.apiserver.watch import Selection
>>> _rough_ref({"kind": "Pod", "metadata": {"name": "web"}}, None, "default")
'pod/default/web'
>>> _list_detail(3, Selection("default", None, None))
'3 items, namespace default'

Simplified: a step in the simulation's trace rather than a span with a start and an end, and no
audit log.

Upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/trace_util.go (the handlers'
utiltrace steps), staging/src/k8s.io/apiserver/pkg/endpoints/filters/traces.go
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8slearn.api.errors import ApiError
from k8slearn.apiserver.watch import Selection

if TYPE_CHECKING:
    from k8slearn.apiserver.server import APIServer


class _Request:
    """Traces one request: ``Step(actor, verb, object, detail)``, then the etcd steps it caused.

    ``ref`` names the object: a string, or ``(function, *arguments)`` that gives it. The string is
    only made when the step is recorded, so a cluster that does not trace makes none (a simulation
    speed-up). The arguments are the strings of the moment (or the request body, which the server
    never changes), so the text is the one an eager call would give.
    """

    def __init__(self, server: "APIServer", actor: str, verb: str, ref: Any, detail: str = "") -> None:
        self.server, self.actor, self.verb, self.ref, self.detail = server, actor, verb, ref, detail

    def __enter__(self) -> "_Request":
        self.server.requests += 1
        registry = self.server.registry
        if registry.pending:  # (an empty list is left as it is: no new list for every request)
            registry.pending = []
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        registry = self.server.registry
        loop = self.server.loop
        if not loop.tracing:  # nothing is kept: no need to word the steps
            if registry.pending:
                registry.pending = []
            return
        detail = self.detail
        if isinstance(exc, ApiError):
            detail = f"{exc.code} {exc.reason}: {exc.message}" if exc.reason else f"{exc.code}: {exc.message}"
            if len(detail) > 120:
                detail = detail[:117] + "..."
        ref = self.ref
        if ref.__class__ is tuple:
            ref = ref[0](*ref[1:])
        loop.record(self.actor, self.verb, ref, detail)
        for action, key, text in registry.pending:
            loop.record("etcd", action, key, text if text.__class__ is str else f"revision {text}")
        registry.pending = []


def _rough_ref(obj: Any, resource: str | None, namespace: str | None) -> str:
    """How the trace names a request body before it is decoded (``pod/default/web`` at best)."""
    if not isinstance(obj, dict):
        return resource or "?"
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    kind = str(obj.get("kind") or resource or "?").lower()
    ns = meta.get("namespace") or namespace
    name = meta.get("name") or meta.get("generateName") or ""
    return f"{kind}/{ns}/{name}" if ns else f"{kind}/{name}"


def _list_detail(n: int, selection: Selection) -> str:
    return _with_selection(f"{n} item" if n == 1 else f"{n} items", selection)


def _watch_detail(rv: Any, selection: Selection) -> str:
    start = f"from rv {rv}" if rv not in (None, "", "0") else "from now, with current objects"
    return _with_selection(start, selection)


def _with_selection(first: str, selection: Selection) -> str:
    """``first``, then the namespace and selectors a list or watch was narrowed by, as kubectl spells them."""
    parts = [first]
    if selection.namespace:
        parts.append(f"namespace {selection.namespace}")
    if selection.label is not None:
        parts.append(f"-l {selection.label}")
    if selection.field is not None:
        parts.append(f"--field-selector {selection.field}")
    return ", ".join(parts)


def _delete_detail(gone: bool, obj: dict, dry_run: bool) -> str:
    if dry_run:
        return "dry run"
    if gone:
        return "deleted"
    meta = obj.get("metadata") or {}
    if meta.get("finalizers"):
        return f"waiting for finalizers {', '.join(meta['finalizers'])}"
    grace = meta.get("deletionGracePeriodSeconds")
    return f"graceful, {grace}s" if grace is not None else "terminating"
