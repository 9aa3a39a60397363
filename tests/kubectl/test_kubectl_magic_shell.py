"""``%kubectl`` runs kubectl, not a shell: a pipe, a redirection, ``&&`` or ``;`` outside quotes is
refused with one message on stderr and nothing reaches kubectl; quoted, they are kubectl's words."""

import pytest

import k8slearn
from k8slearn import Cluster
from k8slearn.kubectl import Result, magic

FILTER = ("Let kubectl filter: -l app=web, --field-selector status.phase=Running, -o name, "
          "-o jsonpath='{.items[*].metadata.name}'; or use its text in Python: "
          'str(cluster.kubectl("get pods")).\n'
          "(A pipe into kubectl itself runs: ... -o yaml | kubectl apply -f -.)\n")
ONE_PER_LINE = "Give each command its own %kubectl line.\n"


def refusal(what: str, op: str, instead: str) -> str:
    return (f'%kubectl runs kubectl only, not a shell, so it cannot run {what} ("{op}" outside quotes): '
            f"nothing was run.\n{instead}")


@pytest.fixture
def seen(monkeypatch):
    """The lines that reached kubectl (a fake current cluster that answers every line)."""
    lines = []

    class Cluster:
        def kubectl(self, line, stdin=""):
            lines.append(line)
            return Result("ok\n", "", 0)

    monkeypatch.setattr(k8slearn, "current", lambda: Cluster())
    return lines


@pytest.mark.parametrize("line, stderr", [
    pytest.param("get pods | grep web", refusal("a pipe", "|", FILTER),
                 id="a pipe into grep is refused with the ways to filter instead"),
    pytest.param("api-resources | head -3", refusal("a pipe", "|", FILTER),
                 id="a pipe into head is refused instead of head's -3 becoming kubectl's flag"),
    pytest.param("get pods|grep web", refusal("a pipe", "|", FILTER),
                 id="a pipe without spaces around it is still a pipe"),
    pytest.param("get pods > pods.txt", refusal("a redirection", ">", FILTER),
                 id="redirecting the output to a file is refused"),
    pytest.param("get pods >> pods.txt", refusal("a redirection", ">>", FILTER),
                 id="appending the output to a file is refused and names the two-character operator"),
    pytest.param("get pods 2>&1", refusal("a redirection", ">", FILTER),
                 id="redirecting stderr is refused"),
    pytest.param("apply -f - < pod.yaml", refusal("a redirection", "<", FILTER),
                 id="reading stdin from a file is refused"),
    pytest.param("get nodes && get pods", refusal("a command list", "&&", ONE_PER_LINE),
                 id="two commands joined by && are refused with one command per line as the way"),
    pytest.param("get nodes; get pods", refusal("a command list", ";", ONE_PER_LINE),
                 id="two commands separated by a semicolon are refused"),
    pytest.param("get pods -o 'jsonpath={.a}' | wc -l", refusal("a pipe", "|", FILTER),
                 id="a pipe after a quoted word is still a pipe"),
])
def test_a_line_with_shell_syntax_is_refused_and_nothing_is_run(seen, capsys, line, stderr):
    assert magic.kubectl_magic(line) is None
    out = capsys.readouterr()
    assert (out.out, out.err, seen) == ("", stderr, [])
    assert (magic.last_result.stdout, magic.last_result.stderr, magic.last_result.code) == ("", stderr, 1)


@pytest.mark.parametrize("line", [
    pytest.param("get pods -o jsonpath='{.items[*].metadata.name}{\"|\"}'",
                 id="a pipe inside a single-quoted jsonpath reaches kubectl"),
    pytest.param('get pods -l "tier in (web)" -o jsonpath="{.a|b}"',
                 id="a pipe inside a double-quoted jsonpath reaches kubectl"),
    pytest.param("get pods -o jsonpath='{.items[?(@.spec.priority>1)]}'",
                 id="a comparison inside a quoted filter reaches kubectl"),
    pytest.param(r"get pods web\|db", id="a backslash-escaped pipe is a plain character, as in a shell"),
    pytest.param("get pods -o wide   # | grep web", id="a pipe in a comment is not a pipe"),
    pytest.param("get pods --field-selector=status.phase!=Running",
                 id="a field selector with != is no operator"),
    pytest.param("get pods 'a;b' \"c && d\"", id="a semicolon and && inside quotes reach kubectl"),
])
def test_shell_characters_inside_quotes_reach_kubectl_unchanged(seen, capsys, line):
    magic.kubectl_magic(line)
    assert (seen, capsys.readouterr().out, magic.last_result.code) == ([line], "ok\n", 0)


class FakeIPython:
    def __init__(self):
        self.magics = {}

    def register_magic_function(self, fn, magic_kind, magic_name):
        self.magics[(magic_kind, magic_name)] = fn


def test_the_cell_magic_refuses_a_pipe_on_its_line_without_reading_the_cell(seen, capsys):
    ip = FakeIPython()
    magic.load_ipython_extension(ip)
    ip.magics[("cell", "kubectl")]("apply -f - | tee out", "kind: Pod\n")
    assert (capsys.readouterr().err, seen) == (refusal("a pipe", "|", FILTER), [])


@pytest.mark.parametrize("line, stdout", [
    pytest.param("get nodes -o jsonpath='{range .items[*]}{.metadata.name}{\"|\"}{end}'",
                 "control-plane|node-1|", id="a real cluster prints a jsonpath that writes pipes"),
    pytest.param("get nodes -o name", "node/control-plane\nnode/node-1\n",
                 id="a real cluster answers the -o name the message suggests"),
])
def test_quoted_pipes_work_against_a_real_cluster(capsys, line, stdout):
    Cluster(workers=1, seed=0)
    magic.kubectl_magic(line)
    assert (capsys.readouterr().out, magic.last_result.code) == (stdout, 0)


def test_a_pipe_from_kubectl_into_kubectl_runs_both_as_the_documentation_does(capsys):
    """``create ... --dry-run=client -o yaml | kubectl apply -f -``: the first one's YAML is the
    second one's stdin; what shows is the last one's output, and its exit code."""
    cluster = Cluster(workers=1, seed=0)
    k8slearn.use(cluster)
    magic.kubectl_magic("create deployment web --image=nginx --dry-run=client -o yaml | kubectl apply -f -")
    assert capsys.readouterr().out == "deployment.apps/web created\n"
    assert magic.last_result.code == 0
    assert cluster.api.get("deployments", "web")["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx"
    magic.kubectl_magic("get deployment web -o yaml | kubectl label -f - tier=front")
    assert capsys.readouterr().out == "deployment.apps/web labeled\n"


def test_a_failing_first_command_shows_its_error_and_the_next_one_reads_nothing(capsys):
    cluster = Cluster(workers=1, seed=0)
    k8slearn.use(cluster)
    magic.kubectl_magic("get deployment nope -o yaml | kubectl apply -f -")
    captured = capsys.readouterr()
    assert captured.err == ('Error from server (NotFound): deployments.apps "nope" not found\n'
                            "error: no objects passed to apply\n")
    assert magic.last_result.code == 1


def test_a_pipe_into_kubectl_then_into_grep_is_still_refused(seen):
    magic.kubectl_magic("get pods -o yaml | kubectl apply -f - | grep web")
    assert seen == [] and magic.last_result.code == 1
