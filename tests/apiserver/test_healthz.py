"""The API server's /healthz, /livez and /readyz handlers (k8slearn.apiserver.healthz).

Texts from staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go (handleRootHealth,
adaptCheckToHandler); the check lists are a kubeadm v1.32 control plane's (see the module docstring).
The same handlers served to the real kubectl 1.32 (tests/kubectl/kubectl_realserver.py) print what
k8slearn's kubectl prints.
"""

import pytest

from k8slearn.apiserver.healthz import HealthCheck, handle_root_health, health_endpoints, serve

HOOKS = [
    "poststarthook/start-apiserver-admission-initializer",
    "poststarthook/generic-apiserver-start-informers",
    "poststarthook/priority-and-fairness-config-consumer",
    "poststarthook/priority-and-fairness-filter",
    "poststarthook/storage-object-count-tracker-hook",
    "poststarthook/start-apiextensions-informers",
    "poststarthook/start-apiextensions-controllers",
    "poststarthook/crd-informer-synced",
    "poststarthook/start-system-namespaces-controller",
    "poststarthook/start-cluster-authentication-info-controller",
    "poststarthook/start-kube-apiserver-identity-lease-controller",
    "poststarthook/start-kube-apiserver-identity-lease-garbage-collector",
    "poststarthook/start-legacy-token-tracking-controller",
    "poststarthook/start-service-ip-repair-controllers",
    "poststarthook/rbac/bootstrap-roles",
    "poststarthook/scheduling/bootstrap-system-priority-classes",
    "poststarthook/priority-and-fairness-config-producer",
    "poststarthook/bootstrap-controller",
    "poststarthook/aggregator-reload-proxy-client-cert",
    "poststarthook/start-kube-aggregator-informers",
    "poststarthook/apiservice-status-local-available-controller",
    "poststarthook/apiservice-status-remote-available-controller",
    "poststarthook/apiservice-registration-controller",
    "poststarthook/apiservice-discovery-controller",
    "poststarthook/kube-apiserver-autoregistration",
    "autoregister-completion",
    "poststarthook/apiservice-openapi-controller",
    "poststarthook/apiservice-openapiv3-controller",
]

ETCD_DOWN = "etcd client connection not yet established"


def _up() -> bool:
    return True


def _down() -> bool:
    return False


def _names(endpoint: str) -> list[str]:
    return [check.name for check in health_endpoints(_up)[endpoint]]


@pytest.mark.parametrize("endpoint, expected", [
    pytest.param("/readyz", ["ping", "log", "etcd", "etcd-readiness", "informer-sync", *HOOKS, "shutdown"],
                 id="readyz adds etcd-readiness and informer-sync after etcd and shutdown last"),
    pytest.param("/livez", ["ping", "log", "etcd", *HOOKS], id="livez runs ping, log, etcd and the post-start hooks"),
    pytest.param("/healthz", ["ping", "log", "etcd", *HOOKS], id="healthz runs the same checks as livez"),
])
def test_each_endpoint_runs_the_checks_of_a_kubeadm_v1_32_api_server_in_order(endpoint, expected):
    assert _names(endpoint) == expected


CHECKS = [HealthCheck("ping"), HealthCheck("log"), HealthCheck("etcd")]
FAILING = [HealthCheck("ping"), HealthCheck("etcd", lambda: ETCD_DOWN), HealthCheck("shutdown")]


@pytest.mark.parametrize("checks, query, expected", [
    pytest.param(CHECKS, "", (200, "ok"), id="without verbose a healthy endpoint answers ok"),
    pytest.param(CHECKS, "verbose", (200, "[+]ping ok\n[+]log ok\n[+]etcd ok\nreadyz check passed\n"),
                 id="verbose lists each check and says the endpoint passed"),
    pytest.param(CHECKS, "verbose=false", (200, "[+]ping ok\n[+]log ok\n[+]etcd ok\nreadyz check passed\n"),
                 id="verbose with any value is verbose"),
    pytest.param(CHECKS, "verbose&exclude=etcd",
                 (200, "[+]ping ok\n[+]log ok\n[+]etcd excluded: ok\nreadyz check passed\n"),
                 id="an excluded check is marked excluded"),
    pytest.param(CHECKS, "verbose&exclude=zz&exclude=log&exclude=kms",
                 (200, '[+]ping ok\n[+]log excluded: ok\n[+]etcd ok\n'
                       'warn: some health checks cannot be excluded: no matches for "kms","zz"\nreadyz check passed\n'),
                 id="excludes that match no check are warned about in sorted order"),
    pytest.param(CHECKS, "exclude=nope", (200, "ok"), id="without verbose the warning is not shown"),
    pytest.param(FAILING, "", (500, "[+]ping ok\n[-]etcd failed: reason withheld\n[+]shutdown ok\nreadyz check failed\n"),
                 id="a failing check makes a 500 that lists every check without its reason"),
    pytest.param(FAILING, "exclude=etcd", (200, "ok"), id="excluding the failing check makes the endpoint pass"),
])
def test_handle_root_health_answers_like_upstream(checks, query, expected):
    assert handle_root_health("readyz", checks, query) == expected


@pytest.mark.parametrize("path, etcd_up, expected", [
    pytest.param("/readyz/etcd", _up, (200, "ok"), id="a check has its own path that answers ok"),
    pytest.param("/livez/ping", _up, (200, "ok"), id="livez's ping has its own path"),
    pytest.param("/readyz/poststarthook/rbac/bootstrap-roles", _up, (200, "ok"),
                 id="a post-start hook's path keeps its slashes"),
    pytest.param("/healthz/autoregister-completion", _up, (200, "ok"), id="healthz has per-check paths too"),
    pytest.param("/readyz/etcd?verbose", _up, (200, "ok"), id="a check's path ignores verbose"),
    pytest.param("/readyz/etcd", _down, (500, f"internal server error: {ETCD_DOWN}\n"),
                 id="a failing check's own path gives its reason in a 500"),
    pytest.param("/readyz/nope", _up, (404, "404 page not found\n"), id="an unknown check is not found"),
    pytest.param("/livez/shutdown", _up, (404, "404 page not found\n"), id="livez has no shutdown check"),
    pytest.param("/livez/informer-sync", _up, (404, "404 page not found\n"), id="livez has no informer-sync check"),
    pytest.param("/readyz/", _up, (404, "404 page not found\n"), id="a trailing slash is not the endpoint"),
    pytest.param("/readyz?verbose", _down, (500, None), id="readyz fails while etcd is unreachable"),
])
def test_serve_routes_each_endpoint_and_each_check_path(path, etcd_up, expected):
    code, body = serve(path, health_endpoints(etcd_up))
    assert code == expected[0]
    if expected[1] is not None:
        assert body == expected[1]


def test_an_unreachable_etcd_fails_etcd_and_etcd_readiness_and_nothing_else():
    code, body = serve("/readyz", health_endpoints(_down))
    failed = [line for line in body.splitlines() if line.startswith("[-]")]
    assert (code, failed, body.splitlines()[-1]) == (
        500, ["[-]etcd failed: reason withheld", "[-]etcd-readiness failed: reason withheld"], "readyz check failed")


def test_the_api_server_answers_health_requests_and_traces_them(server, api):
    before = server.store.revision
    assert api.health("/readyz?verbose")[1].endswith("[+]shutdown ok\nreadyz check passed\n")
    assert api.health("/livez/nope") == (404, "404 page not found\n")
    steps = [(s.component, s.action, s.object, s.detail) for s in server.loop.trace[-2:]]
    assert steps == [("kubectl", "get", "/readyz", ""), ("kubectl", "get", "/livez/nope", "404")]
    assert server.store.revision == before
