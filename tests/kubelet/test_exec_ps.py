"""``ps`` in a container, as the task "Configure a Security Context for a Pod or Container" uses it:
BusyBox's columns, the user from the securityContext, PID 1 as the kubelet started it, and each
process started later in the container taking the next PID."""

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.exec_context import ExecContext
from k8slearn.kubelet.exec_ps import PidNamespace, format_process
from k8slearn.kubelet.exec_sync import exec_replaced, run

# the documentation's pod (https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
DEMO = """apiVersion: v1
kind: Pod
metadata:
  name: security-context-demo
spec:
  securityContext:
    runAsUser: 1000
    runAsGroup: 3000
    fsGroup: 2000
  volumes:
  - name: sec-ctx-vol
    emptyDir: {}
  containers:
  - name: sec-ctx-demo
    image: busybox:1.28
    command: [ "sh", "-c", "sleep 1h" ]
    volumeMounts:
    - name: sec-ctx-vol
      mountPath: /data/demo
    securityContext:
      allowPrivilegeEscalation: false
"""
HEADER = "PID   USER     TIME  COMMAND\n"


@pytest.fixture
def cluster():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=DEMO)
    c.kubectl("run root-box --image=busybox:1.36 -- sleep 3600")
    c.kubectl("run web --image=nginx:1.27")
    c.settle()
    return c


def test_ps_in_the_security_context_demo_lists_sleep_as_pid_1_run_by_user_1000(cluster):
    result = cluster.kubectl("exec security-context-demo -- ps")
    assert (result.stdout, result.stderr, result.code) == (
        HEADER + "    1 1000      0:00 sleep 1h\n    2 1000      0:00 ps\n", "", 0)


def test_an_exec_d_shell_and_the_ps_it_runs_take_the_next_pids_after_earlier_execs(cluster):
    cluster.kubectl("exec security-context-demo -- ps")  # PID 2
    result = cluster.kubectl("exec -i security-context-demo -- sh", stdin="ps\n")
    assert result.stdout == HEADER + "    1 1000      0:00 sleep 1h\n    3 1000      0:00 sh\n    4 1000      0:00 ps\n"


def test_a_script_lists_its_shell_with_its_arguments_and_each_forked_program_uses_a_pid(cluster):
    result = cluster.kubectl("exec root-box -- sh -c 'cat /etc/hostname >/dev/null; ps aux'")
    assert result.stdout == (HEADER + "    1 root      0:00 sleep 3600\n"
                             "    2 root      0:00 sh -c cat /etc/hostname >/dev/null; ps aux\n"
                             "    4 root      0:00 ps aux\n")


def test_nginx_has_no_ps(cluster):
    result = cluster.kubectl("exec web -- ps")
    assert result.code == 1
    assert 'exec: "ps": executable file not found in $PATH: unknown' in result.stderr


@pytest.mark.parametrize("command, stderr", [
    pytest.param("ps -o pid,args", "k8slearn: ps -o pid,args is not simulated\n", id="ps -o is not simulated"),
    pytest.param("ps -T", "k8slearn: ps -T is not simulated\n", id="ps -T (threads) is not simulated"),
])
def test_ps_options_the_simulation_does_not_model_say_so(cluster, command, stderr):
    result = cluster.kubectl(f"exec security-context-demo -- {command}")
    assert (result.stdout, result.stderr, result.code) == ("", stderr + "command terminated with exit code 1\n", 1)


def test_ps_without_a_known_pid_1_says_the_processes_are_not_simulated():
    ctx = ExecContext("busybox", files={}, user=(0, 0, (0, 10)), pid_namespace=PidNamespace(), interactive=True)
    assert run(["ps"], ctx) == (
        1, "", "k8slearn: the processes of this container (its PID 1's command line) is not simulated\n")


@pytest.mark.parametrize("argv, replaced", [
    pytest.param(["sh", "-c", "sleep 1h"], ["sleep", "1h"], id="a shell with one command execs it"),
    pytest.param(["/bin/sh", "-c", "sleep '1h'"], ["sleep", "1h"], id="quotes are the shell's, not the command's"),
    pytest.param(["sh", "-c", "date; sleep 1h"], ["sh", "-c", "date; sleep 1h"],
                 id="a shell with two commands stays the process"),
    pytest.param(["sh", "-c", "sleep $T"], ["sh", "-c", "sleep $T"], id="a shell that expands a variable stays"),
    pytest.param(["sleep", "3600"], ["sleep", "3600"], id="a program that is not a shell stays itself"),
])
def test_which_command_line_a_process_ends_up_with(argv, replaced):
    assert exec_replaced(argv) == replaced


@pytest.mark.parametrize("pid, user, argv, line", [
    pytest.param(1, "root", ["sleep", "3600"], "    1 root      0:00 sleep 3600\n", id="pid right-aligned in 5"),
    pytest.param(12345, "1000", ["ps"], "12345 1000      0:00 ps\n", id="a five-digit pid fills its column"),
])
def test_busybox_ps_formats_each_process_in_its_columns(pid, user, argv, line):
    assert format_process(pid, user, argv) == line
