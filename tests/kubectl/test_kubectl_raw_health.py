"""kubectl get --raw on the API server's health endpoints.

Expected texts were checked against the real kubectl v1.32 talking to the same handlers
(tests/kubectl/kubectl_realserver.py serves /healthz, /livez and /readyz from
k8slearn.apiserver.healthz); the check lists and line formats against upstream
staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go, the 500's message against client-go's
newUnstructuredResponseError and apimachinery's errors.NewGenericServerResponse.
"""

import pytest

from k8slearn import Cluster
from k8slearn.kubectl.raw import generic_server_response

NOT_FOUND = "Error from server (NotFound): the server could not find the requested resource\n"


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0, current=False)
    c.settle()
    return c


@pytest.mark.parametrize("path, stdout, stderr", [
    pytest.param("/healthz", "ok", "", id="healthz answers ok"),
    pytest.param("/livez", "ok", "", id="livez answers ok"),
    pytest.param("/readyz", "ok", "", id="readyz answers ok"),
    pytest.param("/readyz/etcd", "ok", "", id="readyz's etcd check has its own path"),
    pytest.param("/livez/ping", "ok", "", id="livez's ping check has its own path"),
    pytest.param("/readyz/poststarthook/rbac/bootstrap-roles", "ok", "", id="a post-start hook has its own path"),
    pytest.param("/readyz/shutdown", "ok", "", id="readyz has a shutdown check"),
    pytest.param("/livez/shutdown", "", NOT_FOUND, id="livez has no shutdown check"),
    pytest.param("/readyz/nope", "", NOT_FOUND, id="an unknown check path is not found"),
    pytest.param("/healthz?exclude=nope", "ok", "", id="an exclude that matches nothing is only shown verbose"),
])
def test_get_raw_on_a_health_path_prints_the_servers_answer(cluster, path, stdout, stderr):
    r = cluster.kubectl(["get", "--raw", path])
    assert (r.stdout, r.stderr, r.code) == (stdout, stderr, 1 if stderr else 0)


def test_readyz_verbose_lists_every_check_then_says_readyz_passed(cluster):
    lines = cluster.kubectl(["get", "--raw", "/readyz?verbose"]).stdout.splitlines()
    assert lines[:6] == ["[+]ping ok", "[+]log ok", "[+]etcd ok", "[+]etcd-readiness ok", "[+]informer-sync ok",
                         "[+]poststarthook/start-apiserver-admission-initializer ok"]
    assert lines[-5:] == ["[+]autoregister-completion ok", "[+]poststarthook/apiservice-openapi-controller ok",
                          "[+]poststarthook/apiservice-openapiv3-controller ok", "[+]shutdown ok",
                          "readyz check passed"]
    assert len(lines) == 35


def test_livez_verbose_has_no_readiness_only_checks_and_says_livez_passed(cluster):
    lines = cluster.kubectl(["get", "--raw", "/livez?verbose"]).stdout.splitlines()
    assert lines[:3] == ["[+]ping ok", "[+]log ok", "[+]etcd ok"]
    assert lines[-1] == "livez check passed"
    assert not {"[+]etcd-readiness ok", "[+]informer-sync ok", "[+]shutdown ok"} & set(lines)


def test_exclude_marks_the_check_and_warns_about_names_that_match_none(cluster):
    out = cluster.kubectl(["get", "--raw", "/healthz?verbose&exclude=etcd&exclude=x"]).stdout
    assert "[+]etcd excluded: ok\n" in out
    assert out.endswith('[+]poststarthook/apiservice-openapiv3-controller ok\n'
                        'warn: some health checks cannot be excluded: no matches for "x"\nhealthz check passed\n')


def test_an_unreachable_etcd_fails_readyz_with_kubectls_internal_error_and_changes_nothing():
    c = Cluster(workers=1, seed=0, current=False)
    c.settle()
    c.apiserver.component_checks["etcd-0"] = lambda: False  # (the simulation never loses etcd: forced here)
    before = c.etcd.revision
    r = c.kubectl(["get", "--raw", "/readyz"])
    assert (r.stdout, r.code) == ("", 1)
    assert r.stderr.startswith('Error from server (InternalError): an error on the server ("[+]ping ok\\n'
                               '[+]log ok\\n[-]etcd failed: reason withheld\\n[-]etcd-readiness failed: reason withheld\\n')
    assert r.stderr.endswith('[+]shutdown ok\\nreadyz check failed") has prevented the request from succeeding\n')
    r = c.kubectl(["get", "--raw", "/livez/etcd"])
    assert r.stderr == ('Error from server (InternalError): an error on the server ("internal server error: '
                        'etcd client connection not yet established") has prevented the request from succeeding\n')
    assert c.etcd.revision == before


@pytest.mark.parametrize("code, body, reason, message", [
    pytest.param(404, "404 page not found\n", "NotFound", "the server could not find the requested resource",
                 id="a 404 gets a fixed message whatever the body"),
    pytest.param(500, "  x\n", "InternalError", 'an error on the server ("x") has prevented the request from succeeding',
                 id="a 500 quotes the trimmed body"),
    pytest.param(500, "é" * 1100, "InternalError",
                 f'an error on the server ("{"é" * 1024}") has prevented the request from succeeding',
                 id="a 500 quotes at most 2048 bytes of the body"),
])
def test_a_plain_text_error_response_becomes_client_gos_generic_error(code, body, reason, message):
    err = generic_server_response(code, body)
    assert (err.code, err.reason, err.message) == (code, reason, message)
