"""The API server's health endpoints: ``/healthz``, ``/livez``, ``/readyz``, and one path per check.

Each endpoint runs its list of named checks in order. Without ``?verbose`` a healthy endpoint answers
just ``ok``; with it, one line per check and a last line naming the endpoint. ``?exclude=<name>``
skips a check (it still gets its line); a name that matches no check earns a warning line:

>>> checks = [HealthCheck("ping"), HealthCheck("log"), HealthCheck("etcd")]
>>> handle_root_health("readyz", checks, "")
(200, 'ok')
>>> print(handle_root_health("readyz", checks, "verbose&exclude=etcd&exclude=kms")[1], end="")
[+]ping ok
[+]log ok
[+]etcd excluded: ok
warn: some health checks cannot be excluded: no matches for "kms"
readyz check passed

A failing check makes the whole endpoint an HTTP 500 whose body is always verbose, the reason kept
out of it (the endpoint is public); the check's own path gives the reason:

>>> down = [HealthCheck("ping"), HealthCheck("etcd", lambda: "etcd client connection not yet established")]
>>> print(handle_root_health("livez", down, "")[1], end="")
[+]ping ok
[-]etcd failed: reason withheld
livez check failed
>>> adapt_check_to_handler(down[1])
(500, 'internal server error: etcd client connection not yet established\\n')

``/healthz`` and ``/livez`` run ping, log, etcd and one check per post-start hook
(``poststarthook/<hook>``: ok once the hook has returned); ``/readyz`` adds etcd-readiness and
informer-sync after etcd, and shutdown last (it fails once the server is shutting down). The hooks are
those a kubeadm v1.32 control plane starts, in the order its three chained servers (kube-aggregator,
kube-apiserver, apiextensions-apiserver) list them.

Simplified: the simulated API server finishes starting at once and is never shut down, so every hook
and informer check passes; etcd's checks ask whether the store is up (it always is in the simulation).
No livez grace period; the log check never finds logging blocked.

Upstream: staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go (PingHealthz, LogHealthz,
NewInformerSyncHealthz, InstallPathHandler, handleRootHealth, adaptCheckToHandler),
staging/src/k8s.io/apiserver/pkg/server/healthz.go (addHealthChecks, AddReadyzChecks, shutdownCheck),
staging/src/k8s.io/apiserver/pkg/server/hooks.go (AddPostStartHook: the ``poststarthook/`` checks),
staging/src/k8s.io/apiserver/pkg/server/config.go (New: the generic hooks, informer-sync),
staging/src/k8s.io/apiserver/pkg/server/options/etcd.go (addEtcdHealthEndpoint: etcd, etcd-readiness),
pkg/controlplane/apiserver/server.go, pkg/controlplane/instance.go,
staging/src/k8s.io/kube-aggregator/pkg/apiserver/apiserver.go (the hooks, autoregister-completion)
"""

from __future__ import annotations

from typing import Callable, NamedTuple
from urllib.parse import parse_qs, urlsplit

from k8slearn.api.field import go_quote

__all__ = ["HealthCheck", "adapt_check_to_handler", "handle_root_health", "health_endpoints", "serve"]

NOT_FOUND = (404, "404 page not found\n")  # http.NotFound: what the server answers a path no handler serves


def _passes() -> str:
    return ""


class HealthCheck(NamedTuple):
    """healthz.HealthChecker: a name and a check that returns "" when healthy, else the error text."""

    name: str
    check: Callable[[], str] = _passes


# The post-start hooks of a kubeadm v1.32 control plane, in the order /livez and /readyz list them.
# Hooks behind a feature gate that is off by default in v1.32 are absent: start-kubernetes-service-cidr-
# controller (MultiCIDRServiceAllocator), storage-readiness (WatchCacheInitializationPostStartHook),
# peer-endpoint-reconciler-controller (UnknownVersionInteroperabilityProxy),
# start-kube-apiserver-coordinated-leader-election-controller (CoordinatedLeaderElection).
POST_START_HOOKS = (
    "start-apiserver-admission-initializer",  # kube-apiserver's admission plugins get their informers
    "generic-apiserver-start-informers",
    "priority-and-fairness-config-consumer",
    "priority-and-fairness-filter",
    "storage-object-count-tracker-hook",
    "start-apiextensions-informers",  # apiextensions-apiserver (CustomResourceDefinitions)
    "start-apiextensions-controllers",
    "crd-informer-synced",
    "start-system-namespaces-controller",  # kube-apiserver: kube-system, kube-public, kube-node-lease
    "start-cluster-authentication-info-controller",
    "start-kube-apiserver-identity-lease-controller",
    "start-kube-apiserver-identity-lease-garbage-collector",
    "start-legacy-token-tracking-controller",
    "start-service-ip-repair-controllers",
    "rbac/bootstrap-roles",
    "scheduling/bootstrap-system-priority-classes",
    "priority-and-fairness-config-producer",
    "bootstrap-controller",  # the default/kubernetes Service and its endpoints
    "aggregator-reload-proxy-client-cert",  # kube-aggregator (kubeadm sets --proxy-client-cert-file)
    "start-kube-aggregator-informers",
    "apiservice-status-local-available-controller",
    "apiservice-status-remote-available-controller",
    "apiservice-registration-controller",
    "apiservice-discovery-controller",
    "kube-apiserver-autoregistration",
)
# The aggregator's own checks, added after its hooks (autoregister-completion is a plain health check).
AFTER_HOOKS = ("autoregister-completion", "poststarthook/apiservice-openapi-controller",
               "poststarthook/apiservice-openapiv3-controller")


def health_endpoints(etcd_up: Callable[[], bool]) -> dict[str, list[HealthCheck]]:
    """The checks of each endpoint (GenericAPIServer's healthzRegistry, livezRegistry, readyzRegistry).
    ``etcd_up`` says whether the API server reaches its etcd (etcd and etcd-readiness fail if not)."""

    def etcd() -> str:
        return "" if etcd_up() else "etcd client connection not yet established"

    hooks = [HealthCheck(f"poststarthook/{hook}") for hook in POST_START_HOOKS] + \
        [HealthCheck(name) for name in AFTER_HOOKS]
    live = [HealthCheck("ping"), HealthCheck("log"), HealthCheck("etcd", etcd), *hooks]
    ready = [*live[:3], HealthCheck("etcd-readiness", etcd), HealthCheck("informer-sync"), *hooks,
             HealthCheck("shutdown")]
    return {"/healthz": live, "/livez": live, "/readyz": ready}


def handle_root_health(name: str, checks: list[HealthCheck], query: str) -> tuple[int, str]:
    """handleRootHealth: run every check not excluded; (HTTP code, body). A failure is a 500 with every
    line (http.Error adds a newline); success is ``ok``, or every line and "<name> check passed" with
    ``?verbose`` (any value)."""
    params = parse_qs(query, keep_blank_values=True)
    excluded = set(params.get("exclude", []))
    lines, failed = [], False
    for check in checks:
        if check.name in excluded:
            excluded.discard(check.name)
            lines.append(f"[+]{check.name} excluded: ok\n")
        elif check.check():
            lines.append(f"[-]{check.name} failed: reason withheld\n")
            failed = True
        else:
            lines.append(f"[+]{check.name} ok\n")
    if excluded:
        names = ",".join(go_quote(n) for n in sorted(excluded))
        lines.append(f"warn: some health checks cannot be excluded: no matches for {names}\n")
    if failed:
        return 500, "".join(lines) + f"{name} check failed\n"
    if "verbose" not in params:
        return 200, "ok"
    return 200, "".join(lines) + f"{name} check passed\n"


def adapt_check_to_handler(check: HealthCheck) -> tuple[int, str]:
    """adaptCheckToHandler: one check's own path (``/readyz/etcd``): ``ok``, or a 500 with its error."""
    error = check.check()
    return (500, f"internal server error: {error}\n") if error else (200, "ok")


def serve(path: str, endpoints: dict[str, list[HealthCheck]]) -> tuple[int, str]:
    """InstallPathHandler's routes: each endpoint, and ``<endpoint>/<check name>`` for each of its
    checks (paths match exactly: ``/readyz/`` is a 404, as is a check the endpoint lacks)."""
    url = urlsplit(path)
    checks = endpoints.get(url.path)
    if checks is not None:
        return handle_root_health(url.path.lstrip("/"), checks, url.query)
    endpoint, _, check_name = url.path[1:].partition("/")
    for check in endpoints.get(f"/{endpoint}", ()):
        if check.name == check_name:
            return adapt_check_to_handler(check)
    return NOT_FOUND
