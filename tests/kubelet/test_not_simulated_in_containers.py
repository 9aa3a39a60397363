"""What a container's own program and ``kubectl exec`` say when they reach something the simulation
does not model: the ``k8slearn: ... is not simulated`` line, never made-up output or a made-up
success. An exec probe stays silent (nobody reads its output), as it always has."""

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.exec_sync import exec_sync

LOOKUP_WEB = "k8slearn: looking up 'web' (cluster DNS) is not simulated"


@pytest.fixture(scope="module")
def cluster():
    """An nginx Deployment behind the Service ``web``, and the programs that fetch from it."""
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx")
    c.kubectl("expose deployment web --port=80")
    c.settle()
    runs = {
        "fetch": "-- wget -qO- http://web",
        "then": "-- sh -c 'wget -qO- http://web; echo done'",
        "substituted": "-- sh -c 'page=$(wget -qO- http://web); echo \"got $page.\"'",
        # the HorizontalPodAutoscaler walkthrough's load generator
        "load-generator": "-- /bin/sh -c 'while sleep 0.01; do wget -q -O- http://php-apache; done'",
        "box": "-- sleep 3600",
    }
    for name, command in runs.items():
        c.kubectl(f"run {name} --image=busybox:1.28 --restart=Never {command}")
    c.settle()
    c.run(1)
    return c


def state(cluster, name):
    return cluster.api.get("pods", name)["status"]["containerStatuses"][0]["state"]


def test_a_containers_wget_to_a_service_name_logs_that_cluster_dns_is_not_simulated_and_fails(cluster):
    assert cluster.kubectl("logs fetch").stdout == LOOKUP_WEB + "\n"
    terminated = state(cluster, "fetch")["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (1, "Error")


def test_the_script_goes_on_after_the_unsimulated_wget_as_a_shell_goes_on_after_a_failed_command(cluster):
    assert cluster.kubectl("logs then").stdout == LOOKUP_WEB + "\ndone\n"
    assert state(cluster, "then")["terminated"]["exitCode"] == 0  # echo's status, the script's last


def test_an_unsimulated_command_substitution_logs_the_line_and_substitutes_nothing(cluster):
    assert cluster.kubectl("logs substituted").stdout == LOOKUP_WEB + "\ngot .\n"


def test_the_hpa_load_generator_keeps_looping_and_says_each_turn_that_its_wget_is_not_simulated(cluster):
    assert "running" in state(cluster, "load-generator")
    lines = cluster.kubectl("logs load-generator").stdout.splitlines()
    assert len(lines) > 10
    assert set(lines) == {"k8slearn: looking up 'php-apache' (cluster DNS) is not simulated"}


def test_kubectl_exec_of_the_same_wget_says_the_same(cluster):
    result = cluster.kubectl("exec box -- wget -qO- http://web")
    assert (result.stdout, result.stderr, result.code) == (
        "", LOOKUP_WEB + "\ncommand terminated with exit code 1\n", 1)


@pytest.mark.parametrize("argv", [
    ["wget", "-qO-", "http://web"],
    ["sh", "-c", "f() { echo hi; }; f"],
    ["sh", "-c", "cd /tmp; echo on"],
], ids=[
    "an exec probe's wget to a Service name succeeds silently",
    "an exec probe's script with a function succeeds silently",
    "an exec probe's script goes on after a shell builtin",
])
def test_exec_probes_stay_silent_about_what_is_not_simulated(argv):
    code, output = exec_sync(argv, "busybox", {})
    assert code == 0
    assert "not simulated" not in output


FUNCTIONS_AND_GROUPS = [
    ("f() { echo hi; }; f", "shell functions"),
    ("f () { echo hi; }; f", "shell functions"),
    ("function f { echo hi; }; f", "shell functions"),
    ("{ echo a; echo b; } > /tmp/x; cat /tmp/x", "command groups ({ ...; })"),
    ("(cd /tmp; ls)", "subshells ( ... )"),
    ("case a in a) echo a;; esac", "case ... esac"),
]


@pytest.mark.parametrize("script, what", FUNCTIONS_AND_GROUPS, ids=[
    "a function defined with f() is not simulated",
    "a function defined with f () is not simulated",
    "a function defined with the function keyword is not simulated",
    "a command group is not simulated",
    "a subshell is not simulated",
    "case is not simulated",
])
def test_kubectl_exec_of_a_script_with_syntax_the_shell_model_lacks_says_so_and_runs_nothing(
        cluster, script, what):
    result = cluster.kubectl(f"exec box -- sh -c '{script}'")
    assert (result.stdout, result.stderr, result.code) == (
        "", f"k8slearn: a script with {what} is not simulated\ncommand terminated with exit code 1\n", 1)


def test_braces_and_parentheses_in_quotes_are_only_words(cluster):
    result = cluster.kubectl("exec box -- sh -c \"echo '{' 'f()' '(x)'\"")
    assert (result.stdout, result.stderr, result.code) == ("{ f() (x)\n", "", 0)


BUILTINS = [
    ("export A=1; echo $A", "", "export"),
    ("echo before; cd /tmp; ls", "before\n", "cd"),
    ("i=1; if true; then unset i; fi; echo $i", "", "unset"),
]


@pytest.mark.parametrize("script, stdout, builtin", BUILTINS, ids=[
    "export stops the script before the echo that would print a made-up empty line",
    "what ran before cd is kept, nothing after it runs",
    "a builtin in an if stops the whole script",
])
def test_kubectl_exec_stops_a_script_at_a_shell_builtin_it_does_not_simulate(
        cluster, script, stdout, builtin):
    result = cluster.kubectl(f"exec box -- sh -c '{script}'")
    said = f"k8slearn: the shell builtin '{builtin}' is not simulated\n"
    assert (result.stdout, result.stderr, result.code) == (
        stdout, said + "command terminated with exit code 1\n", 1)


def test_a_builtin_in_a_pipeline_runs_in_a_subshell_so_the_script_goes_on(cluster):
    result = cluster.kubectl("exec box -- sh -c 'cd /tmp | cat; echo after'")
    assert (result.stdout, result.stderr, result.code) == (
        "after\n", "k8slearn: the shell builtin 'cd' is not simulated\n", 0)
