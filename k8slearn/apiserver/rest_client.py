"""The connection each component has to the API server: every verb, traced under its name.

A component never calls the server's handlers itself: it gets a ``Client`` from
``server.client("kube-scheduler")`` and each request it makes is recorded under that name. Reads
from ``list`` and ``watch`` are the watch cache's read-only objects; ``get``, ``create``,
``update``, ``patch`` and ``delete`` return mutable copies.

Simplified: direct calls instead of HTTP requests; no retries, no rate limiting, no content types.

Upstream: staging/src/k8s.io/client-go/rest/client.go (RESTClient), staging/src/k8s.io/client-go/kubernetes/
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from k8slearn.apiserver.watch import Handler, Watch

if TYPE_CHECKING:
    from k8slearn.apiserver.server import APIServer


class Client:
    """One component's connection to the API server: the verbs, traced under ``actor``."""

    def __init__(self, server: APIServer, actor: str) -> None:
        self.server = server
        self.actor = actor
        self.warning_handler: Any = None  # called with each warning of a request (kubectl prints them)

    def _request(self, call: Any) -> Any:
        """Run a request, handing its ``Warning`` headers to ``warning_handler`` (a write's, or a read
        of a deprecated kind's)."""
        if self.warning_handler is None:
            return call()
        from k8slearn.api.warnings import warned

        return warned(self.server, self.warning_handler, call)

    def create(self, obj: dict, namespace: str | None = None, dry_run: bool = False,
               resource: str | None = None, field_validation: str = "") -> dict:
        """Create ``obj``; returns the stored object (a mutable copy). ``field_validation``:
        ``Strict``, ``Warn`` or ``Ignore`` (unknown fields; the server's default is Warn)."""
        return self._request(lambda: self.server.create(self.actor, obj, namespace, dry_run, resource, field_validation))

    def get(self, resource: str, name: str, namespace: str | None = "default", subresource: str = "") -> dict:
        """Read one object straight from etcd (a mutable copy); ``subresource="scale"``: its Scale."""
        return self._request(lambda: self.server.get(self.actor, resource, name, namespace, subresource))

    def list(self, resource: str, namespace: str | None = None, label_selector: Any = None,
             field_selector: Any = None) -> list[dict]:
        """Read-only objects from the watch cache, in etcd key order."""
        return self._request(lambda: self.server.list(self.actor, resource, namespace, label_selector,
                                                    field_selector))

    def list_with_version(self, resource: str, namespace: str | None = None, label_selector: Any = None,
                          field_selector: Any = None) -> tuple[list[dict], str]:
        """(items, list resourceVersion): what a reflector lists before it watches."""
        return self._request(lambda: self.server.list_with_version(self.actor, resource, namespace, label_selector,
                                                                 field_selector))

    def update(self, obj: dict, dry_run: bool = False, field_validation: str = "") -> dict:
        """PUT: optimistic concurrency on ``metadata.resourceVersion`` (empty = unconditional)."""
        return self._request(lambda: self.server.update(self.actor, obj, "", dry_run, field_validation))

    def update_status(self, obj: dict, dry_run: bool = False) -> dict:
        """PUT .../status: only the status of ``obj`` is kept."""
        return self.server.update(self.actor, obj, "status", dry_run)

    def update_ephemeral_containers(self, obj: dict, dry_run: bool = False) -> dict:
        """PUT .../ephemeralcontainers: only the pod's ``spec.ephemeralContainers`` is taken."""
        return self.server.update(self.actor, obj, "ephemeralcontainers", dry_run)

    def patch(self, resource: str, name: str, patch: Any, namespace: str | None = "default",
              patch_type: str = "strategic", subresource: str = "", dry_run: bool = False,
              field_validation: str = "") -> dict:
        """PATCH with a strategic merge (default), JSON merge ("merge") or JSON ("json") patch."""
        return self._request(lambda: self.server.patch(self.actor, resource, name, patch, namespace, patch_type,
                                                     subresource, dry_run, field_validation))

    def delete(self, resource: str, name: str, namespace: str | None = "default",
               grace_period_seconds: int | None = None, propagation_policy: str | None = None,
               dry_run: bool = False) -> dict:
        """Delete now, or start a graceful/finalized deletion; returns the object."""
        return self.server.delete(self.actor, resource, name, namespace, grace_period_seconds,
                                  propagation_policy, dry_run)

    def bind(self, pod_name: str, namespace: str, node_name: str) -> None:
        """POST pods/<name>/binding: assign the pod to a node (only once)."""
        self.server.bind(self.actor, pod_name, namespace, node_name)

    def evict(self, pod_name: str, namespace: str, eviction: dict | None = None, dry_run: bool = False) -> dict:
        """POST pods/<name>/eviction: delete the pod gracefully if disruption budgets allow."""
        return self.server.evict(self.actor, pod_name, namespace, eviction, dry_run)

    def finalize_namespace(self, name: str, finalizers: Iterable[str] = ()) -> dict:
        """PUT namespaces/<name>/finalize: what the namespace controller does when the namespace is empty."""
        return self.server.finalize_namespace(self.actor, name, finalizers)

    def review_self(self) -> dict:
        """POST selfsubjectreviews: the user this client's requests are made as (kubectl auth whoami)."""
        return self.server.review_self(self.actor)

    def review_access(self, spec: dict) -> dict:
        """POST selfsubjectaccessreviews: may this client do what ``spec`` says (kubectl auth can-i)?"""
        return self.server.review_access(self.actor, spec)

    def health(self, path: str) -> tuple[int, str]:
        """GET /healthz, /livez, /readyz (``?verbose``, ``?exclude=<check>``) or one check's path
        (``/readyz/etcd``): the HTTP code and the plain-text body."""
        return self.server.health(self.actor, path)

    def watch(self, resource: str, namespace: str | None = None, resource_version: str | None = None,
              label_selector: Any = None, field_selector: Any = None,
              handler: Handler | None = None) -> Watch:
        """Watch a resource; see ``Watch``."""
        return self.server.watch(self.actor, resource, namespace, resource_version, label_selector,
                                 field_selector, handler)

    def __repr__(self) -> str:
        return f"<Client {self.actor}>"
