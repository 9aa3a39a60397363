"""``kubectl set env -`` reads ``KEY=VALUE`` lines from stdin as kubectl v1.32's readEnv does.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/set/env/env_parse.go (readEnv, parseIntoEnvVar); the
expected values were printed by the real kubectl v1.32.5 for the same stdin.
"""

import pytest

from k8slearn import Cluster
from k8slearn.kubectl.set_env import read_env

ENV = "-o jsonpath={.spec.template.spec.containers[0].env}"


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment web --image=nginx")
    c.settle()
    return c


@pytest.mark.parametrize("text, expected", [
    ("A=1\nB=2\n", [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]),
    ("A=1 # the first\n", [{"name": "A", "value": "1 "}]),
    ("#B=2\n", []),
    ("junk\n\n", []),
    ("  C = 3\r\n", [{"name": "  C ", "value": " 3"}]),
    ("URL=http://x/#top\n", [{"name": "URL", "value": "http://x/"}]),
    ("EMPTY=\n", [{"name": "EMPTY", "value": ""}]),
], ids=[
    "each KEY=VALUE line is one variable, in order",
    "everything from a # on is cut, the space before it stays in the value",
    "a commented-out line is skipped",
    "a line without = is skipped without a word",
    "names and values are not trimmed and a CRLF line ending is dropped",
    "a # inside the value cuts it too",
    "an empty value is kept",
])
def test_read_env(text, expected):
    assert read_env(text) == expected


def test_a_comment_after_a_value_is_cut_as_kubectl_does(cluster):
    stdin = "A=1 # note\n#C=3\njunk\nB=x\n"
    r = cluster.kubectl(f"set env deployment/web - --dry-run=client {ENV}", stdin=stdin)
    assert (r.stdout, r.stderr, r.code) == ('[{"name":"A","value":"1 "},{"name":"B","value":"x"}]', "", 0)


def test_a_bad_name_from_stdin_is_left_to_the_api_server_to_reject(cluster):
    # (v1.32's API server takes any printable ASCII but "=" in a name, "1B" too: a tab is refused)
    r = cluster.kubectl(f"set env deployment/web - {ENV}", stdin="B\tC=x\n")
    assert r.code == 1 and r.stdout == ""
    assert r.stderr.startswith('error: failed to patch env update to pod template: Deployment.apps "web" is '
                               'invalid: spec.template.spec.containers[0].env[0].name: Invalid value: "B\\tC": ')
    assert "env" not in cluster.api.get("deployments", "web")["spec"]["template"]["spec"]["containers"][0]


def test_removing_a_variable_that_stdin_sets_is_not_a_conflict(cluster):
    r = cluster.kubectl(f"set env deployment/web - A- B=2 --dry-run=client {ENV}", stdin="A=1\n")
    assert (r.stdout, r.stderr, r.code) == ('[{"name":"B","value":"2"}]', "", 0)


def test_removing_a_variable_the_command_line_sets_is_a_conflict(cluster):
    r = cluster.kubectl("set env deployment/web A=1 A-")
    assert (r.stdout, r.stderr, r.code) == (
        "", "error: can not both modify and remove the same environment variable in the same command\n", 1)
