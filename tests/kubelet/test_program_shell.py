"""A container's script as its shell runs it: variables, $((...)), $(...), sleep durations, tail -f.

The Kubernetes documentation's logging examples (the counter, and the counter with streaming
sidecars) print what they print on a real cluster."""

import pytest
import yaml

from k8slearn import Cluster
from k8slearn.api.errors import ApiError
from k8slearn.kubelet.process import parse_program
from k8slearn.kubelet.program_shell import Shell, ShellError, sleep_seconds, tail_options

NOTE = "k8slearn: this script is not simulated ({} is not modelled): the container runs on without running it"

COUNTER = """apiVersion: v1
kind: Pod
metadata:
  name: counter
spec:
  containers:
  - name: count
    image: busybox:1.28
    args: [/bin/sh, -c,
            'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done']
"""

# https://kubernetes.io/docs/concepts/cluster-administration/logging/ (two-files-counter-pod-streaming-sidecar)
STREAMING = """apiVersion: v1
kind: Pod
metadata:
  name: counter
spec:
  containers:
  - name: count
    image: busybox:1.28
    args:
    - /bin/sh
    - -c
    - >
      i=0;
      while true;
      do
        echo "$i: $(date)" >> /var/log/1.log;
        echo "$(date) INFO $i" >> /var/log/2.log;
        i=$((i+1));
        sleep 1;
      done
    volumeMounts:
    - name: varlog
      mountPath: /var/log
  - name: count-log-1
    image: busybox:1.28
    args: [/bin/sh, -c, 'tail -n+1 -F /var/log/1.log']
    volumeMounts:
    - name: varlog
      mountPath: /var/log
  - name: count-log-2
    image: busybox:1.28
    args: [/bin/sh, -c, 'tail -n+1 -F /var/log/2.log']
    volumeMounts:
    - name: varlog
      mountPath: /var/log
  volumes:
  - name: varlog
    emptyDir: {}
"""


def run(manifest: str, seconds: float) -> Cluster:
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl("apply -f -", stdin=manifest)
    cluster.settle()
    cluster.run(seconds)
    return cluster


def pod(name: str, script: str, image: str = "busybox:1.36", volume: bool = False, command=None) -> str:
    container = {"name": "app", "image": image, "command": command or ["sh", "-c", script]}
    spec = {"containers": [container], "restartPolicy": "Never"}
    if volume:
        container["volumeMounts"] = [{"name": "shared", "mountPath": "/shared"}]
        spec["volumes"] = [{"name": "shared", "emptyDir": {}}]
    return yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec})


def logs(cluster: Cluster, command: str) -> list[str]:
    return str(cluster.kubectl(command)).splitlines()


def test_the_documentations_counter_prints_a_numbered_line_with_the_date_every_second():
    cluster = run(COUNTER, 3)
    assert logs(cluster, "logs counter") == [
        "0: Mon Jan  5 09:00:01 UTC 2026",
        "1: Mon Jan  5 09:00:02 UTC 2026",
        "2: Mon Jan  5 09:00:03 UTC 2026",
        "3: Mon Jan  5 09:00:04 UTC 2026",
    ]


def test_the_documentations_streaming_sidecars_each_follow_one_of_the_counters_files():
    cluster = run(STREAMING, 2.5)  # the counter started a second in, when the pod was Running
    dates = [f"Mon Jan  5 09:00:0{second} UTC 2026" for second in (1, 2, 3)]
    assert logs(cluster, "logs counter count-log-1") == [f"{i}: {date}" for i, date in enumerate(dates)]
    assert logs(cluster, "logs counter -c count-log-2") == [f"{date} INFO {i}" for i, date in enumerate(dates)]
    assert logs(cluster, "logs counter -c count") == []  # it writes to its files, not to stdout
    assert logs(cluster, "exec counter -c count -- cat /var/log/1.log") == logs(cluster, "logs counter count-log-1")


@pytest.mark.parametrize("script, seconds, expected", [
    ("x=5; echo $x; echo ${x}0", 0, ["5", "50"]),
    ("n=7; echo \"$((n / 2)) $((n % 4)) $((-n / 2)) $(((n + 1) * 2)) $((n > 3))\"", 0, ["3 3 -3 16 1"]),
    ("w=$(hostname); echo \"I am $w at $(date +%H:%M:%S)\"", 0, ["I am shell at 09:00:01"]),
    ("echo \"epoch $(date +%s)\"", 0, ["epoch 1767603601"]),
    ("echo \"$HOME, $NOPE.\"", 0, ["/root, ."]),
    ("echo '$x' $((1 + 1))", 0, ["$x 2"]),
    ("echo a $(true) b; E=; echo [$E] $E end", 0, ["a b", "[] end"]),
    ("echo $(date); echo \"$(date)\"", 0, ["Mon Jan 5 09:00:01 UTC 2026", "Mon Jan  5 09:00:01 UTC 2026"]),
    ("X='a  b'; echo $X \"$X\" x\"$X\"y ''$(true) end", 0, ["a b a  b xa  by  end"]),
    ("L=/tmp/l; echo $(echo hi  there) > $L; echo \"$(cat /tmp/l)\"", 0, ["hi there"]),
    ("i=0; echo \"$((1 / i))\"; echo never", 0, ["sh: divide by zero"]),
    ("echo hi; sleep 1m; echo bye", 59, ["hi"]),
    ("echo hi; sleep 1m; echo bye", 61, ["hi", "bye"]),
    ("echo hi; sleep 1m 30s; echo bye", 89, ["hi"]),
    ("echo hi; sleep soon; echo bye", 5, [NOTE.format("'sleep soon'")]),
    ("i=0; while true; do echo \"tick $i\"; i=$((i+1)); sleep 2; done", 4, ["tick 0", "tick 1", "tick 2"]),
    ("echo it's; echo never", 0, ["sh: syntax error: unterminated quoted string"]),
    ("echo 'a; b'", 0, [NOTE.format("quoting the simple split on ; cannot follow")]),
    ("echo ${X:-default} $? `date`", 0, [NOTE.format("`command` substitution")]),
    ("while true; do echo busy; sleep 0; done", 2, ["busy"]),
], ids=[
    "a variable the script assigns is expanded as it runs",
    "arithmetic is on integers and / rounds towards zero",
    "command substitution runs the command: hostname, and date at the simulated time",
    "date +%s is seconds since the Unix epoch",
    "an environment variable, and nothing for an unset one",
    "a $ in single quotes stays as written beside an expansion",
    "an unquoted expansion that is empty makes no word, so echo prints no extra space",
    "an unquoted expansion is split into words at blanks; in double quotes it is kept whole",
    "a variable's blanks split the same way, and quotes in the middle of a word keep them",
    "a redirection's file name is expanded too",
    "dividing by zero is the shell's error and ends the script",
    "sleep 1m is a minute",
    "after the minute the script goes on",
    "sleep adds up its arguments",
    "a sleep it cannot read is not something the model runs: the script runs on, and its log says why",
    "a loop counts with its own variable",
    "a quote that never closes is the shell's syntax error: nothing runs",
    "a ; inside quotes is not something the model splits: the script runs on, and its log says why",
    "expansions the model does not do are not guessed at: the script runs on, and its log says why",
    "a loop that never sleeps would print without end in no time: its body runs once",
])
def test_a_script_as_the_shell_runs_it(script, seconds, expected):
    cluster = run(pod("shell", script), seconds)
    assert logs(cluster, "logs shell") == expected


def test_a_script_that_ends_on_the_shells_error_exits_with_code_2():
    cluster = run(pod("shell", "i=0; echo $((1 / i))"), 1)
    state = cluster.api.get("pods", "shell")["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (state["exitCode"], state["reason"]) == (2, "Error")


@pytest.mark.parametrize("image, script, writes_after, expected, exit_code", [
    ("busybox:1.36", "tail -F /shared/log", True,
     ["tail: can't open '/shared/log': No such file or directory",
      "tail: /shared/log has appeared; following end of new file", "one", "two"], None),
    ("busybox:1.36", "tail -f /shared/log", True,
     ["tail: can't open '/shared/log': No such file or directory", "tail: no files"], 1),
    ("debian:12", "tail -F /shared/log", True,
     ["tail: cannot open '/shared/log' for reading: No such file or directory",
      "tail: '/shared/log' has appeared;  following new file", "one", "two"], None),
    ("busybox:1.36", "for i in 1 2 3; do echo $i; done > /shared/log; tail -f /shared/log", False,
     [NOTE.format("this for loop")], None),
    ("busybox:1.36", "printf 'a\\nb\\nc\\n' > /shared/log; tail -n 2 -f /shared/log", False, ["b", "c", "one", "two"],
     None),
], ids=[
    "tail -F waits for a file that is not there yet, then prints it from its start",
    "tail -f of a missing file gives up",
    "GNU tail says it in its own words",
    "a script the model cannot run does not follow anything",
    "tail -n 2 -f prints the last two lines, then what is added",
])
def test_tail_follows_a_file_as_it_grows(image, script, writes_after, expected, exit_code):
    cluster = run(pod("follower", script, image=image, volume=True), 1)
    if writes_after or "printf" in script:
        cluster.kubectl("exec follower -- sh -c 'echo one >> /shared/log; echo two >> /shared/log'")
    cluster.run(2)
    assert logs(cluster, "logs follower") == expected
    state = cluster.api.get("pods", "follower")["status"]["containerStatuses"][0]["state"]
    assert (state.get("terminated") or {}).get("exitCode") == exit_code


def test_a_tail_that_is_pid_1_ignores_sigterm_so_its_pod_takes_the_grace_period_to_go():
    cluster = run(pod("follower", "", command=["tail", "-f", "/etc/passwd"]), 1)
    assert cluster.api.get("pods", "follower")["status"]["phase"] == "Running"
    cluster.kubectl("delete pod follower --wait=false")
    cluster.run(29)
    assert cluster.api.get("pods", "follower")["metadata"]["deletionTimestamp"]
    cluster.run(2)  # SIGKILL at the end of the 30 s grace period
    with pytest.raises(ApiError, match="not found"):
        cluster.api.get("pods", "follower")


@pytest.mark.parametrize("word, value", [
    ("$((i+1))", "4"), ("$((i*i - 1))", "8"), ("${i}x", "3x"), ("$i$i", "33"), ("a$", "a$"),
    ("$(echo hi)", "hi"), ("$((n))", "0"),
], ids=["arithmetic on a variable", "precedence", "braces end a name", "two names", "a lone $ stays",
        "a command's output without its last newline", "a name that is not a number counts as 0"])
def test_shell_expansions(word, value):
    shell = Shell({"n": "x"}, substitute=lambda command: command.removeprefix("echo ") + "\n")
    shell.assign("i", "3")
    assert shell.expand(word) == value


def test_an_arithmetic_expansion_it_cannot_read_is_the_shells_syntax_error():
    with pytest.raises(ShellError, match="arithmetic syntax error"):
        Shell({}, substitute=str).arithmetic("1 +")


@pytest.mark.parametrize("args, seconds", [
    (["3600"], 3600.0), (["1.5"], 1.5), (["2h"], 7200.0), (["1d"], 86400.0), (["1m", "1"], 61.0),
    (["infinity"], float("inf")), (["-1"], None), ([], None),
], ids=["plain seconds", "a fraction", "hours", "a day", "a sum", "infinity", "not a duration", "nothing"])
def test_sleep_durations(args, seconds):
    assert sleep_seconds(args) == seconds


@pytest.mark.parametrize("args, followed", [
    (["-f", "/x"], ("/x", False, 10, False)),
    (["-F", "-n", "+5", "/x"], ("/x", True, 5, True)),
    (["-n3", "-f", "/x"], ("/x", False, 3, False)),
    (["/x"], None), (["-f", "/x", "/y"], None), (["-f", "-c", "5", "/x"], None),
], ids=["-f", "-F from line 5", "-n3", "not following", "two files", "bytes"])
def test_tail_options(args, followed):
    options = tail_options(args)
    assert (options and (options.path, options.retry, options.count, options.from_top)) == followed


def test_a_script_with_variables_is_parsed_into_steps_the_shell_works_out_later():
    program = parse_program(["sh", "-c", COUNTER.split("'")[1]], image="busybox")
    assert program.steps == [("set", ("i", "0"))]
    # echo's words are kept as written: their quotes decide how the expansions split into words
    assert program.loop_body == [("echo", ('"$i: $(date)"',)), ("set", ("i", "$((i+1))")), ("sleep", 1.0)]


FOR_LOOPS = [
    ("a for loop runs its body once per word, then what follows it",
     "for i in 1 2 3; do echo step $i; sleep 1; done; echo finished", ["step 1", "step 2", "step 3", "finished"], 0),
    ("seq counts out the words",
     "for n in $(seq 0 5 10)\ndo\n  echo $((n / 5)): $n\ndone", ["0: 0", "1: 5", "2: 10"], 0),
    ("a quoted word is one turn",
     "for w in 'a b' c; do echo \"<$w>\"; done", ["<a b>", "<c>"], 0),
    ("the loop's exit ends the script",
     "for i in 1 2 3; do echo $i; exit 4; done", ["1"], 4),
    ("a loop over a glob is not simulated: the container runs on, printing nothing",
     "for f in /etc/*; do echo $f; done", [NOTE.format("this for loop")], None),
]


def test_a_for_loop_runs_at_the_pace_of_its_sleeps():
    cluster = run(pod("looper", "for i in 1 2 3; do sleep 2; echo $i; done"), 3)
    assert logs(cluster, "logs looper") == ["1"]
    cluster.run(4)
    assert logs(cluster, "logs looper") == ["1", "2", "3"]


def test_an_unquoted_substitution_with_spaces_is_one_expansion():
    cluster = run(pod("sums", "echo $((1 + 2)) and $(echo a b)"), 1)
    assert logs(cluster, "logs sums") == ["3 and a b"]


IFS = [
    ("the test that succeeds runs the then branch, and the script goes on after fi",
     "if [ -f /etc/hostname ]; then echo has hostname; else echo none; exit 3; fi; echo after",
     ["has hostname", "after"], 0),
    ("the else branch's exit ends the container with its code",
     "if [ -f /tmp/missing ]; then echo yes; else echo no; exit 3; fi; echo after", ["no"], 3),
    ("elif is tested with the script's own variables",
     "x=2; if [ $x -gt 3 ]; then echo big; elif [ $x -gt 1 ]; then echo mid; else echo small; fi", ["mid"], 0),
    ("an if in a while loop stops it",
     "i=0; while true; do i=$((i+1)); if [ $i -ge 3 ]; then echo stop at $i; exit 0; fi; echo $i; sleep 1; done",
     ["1", "2", "stop at 3"], 0),
    ("a condition's error goes to the log and no branch runs",
     "if [ a -gt 1 ]; then echo x; fi; echo end", ["sh: a: bad number", "end"], 0),
    ("a file the script wrote is there for the test",
     "touch /tmp/ready; if test -f /tmp/ready; then echo ready; fi", ["ready"], 0),
    ("an if without its fi is not simulated: the container runs on, printing nothing",
     "if true; then echo a", [NOTE.format("this if or loop block")], None),
]




def test_a_while_loop_waits_for_a_file_another_process_writes():
    cluster = run(pod("waiter", "while [ ! -f /tmp/ready ]; do echo waiting; sleep 1; done; echo ready"), 2)
    assert logs(cluster, "logs waiter") == ["waiting"] * 3
    cluster.kubectl("exec waiter -- touch /tmp/ready")
    cluster.run(2)
    assert logs(cluster, "logs waiter") == ["waiting"] * 3 + ["ready"]  # (its next test found the file)
    state = cluster.api.get("pods", "waiter")["status"]["containerStatuses"][0]["state"]
    assert state["terminated"]["exitCode"] == 0


WHILE_LOOPS = [
    ("until runs its body until the test succeeds",
     "i=0; until [ $i -ge 3 ]; do echo $i; i=$((i+1)); done; echo end", ["0", "1", "2", "end"], 0),
    ("a busy wait polls rather than spinning, and ends when its test fails",
     "touch /tmp/go; while [ ! -f /tmp/go ]; do :; done; echo went", ["went"], 0),
    ("a while loop in the middle of the script, with an exit inside",
     "n=0; while true; do n=$((n+1)); if [ $n -ge 2 ]; then echo out; exit 5; fi; done; echo never", ["out"], 5),
    ("break is not simulated: the container runs on, printing nothing",
     "while true; do break; done; echo x", [NOTE.format("'break'")], None),
]




def test_a_containers_wget_reaches_another_pod_and_its_status_is_the_containers():
    cluster = Cluster(workers=2, seed=0)
    cluster.kubectl("create deployment web --image=nginx")
    cluster.settle()
    ip = cluster.api.list("pods", "default")[0]["status"]["podIP"]
    cluster.kubectl(f"run fetch --image=busybox --restart=Never -- wget -qO- http://{ip}")
    cluster.kubectl(f"run title --image=busybox --restart=Never -- sh -c 'wget -qO- http://{ip} | grep title; echo done'")
    cluster.kubectl(f"run refused --image=busybox --restart=Never -- wget -qO- http://{ip}:81")
    cluster.kubectl("run lookup --image=busybox --restart=Never -- nslookup web")
    cluster.settle()
    cluster.run(5)
    state = {p["metadata"]["name"]: p["status"]["containerStatuses"][0]["state"] for p in cluster.api.list("pods", "default")}
    assert "<title>Welcome to nginx!</title>" in cluster.kubectl("logs fetch").stdout
    assert state["fetch"]["terminated"]["exitCode"] == 0
    assert cluster.kubectl("logs title").stdout == "<title>Welcome to nginx!</title>\ndone\n"
    assert cluster.kubectl("logs refused").stdout == f"wget: can't connect to remote host ({ip}): Connection refused\n"
    assert (state["refused"]["terminated"]["exitCode"], state["refused"]["terminated"]["reason"]) == (1, "Error")
    assert "running" in state["lookup"]  # BusyBox has nslookup: not modelled, it runs on (no StartError)


SCRIPTS = FOR_LOOPS + IFS + WHILE_LOOPS


@pytest.mark.parametrize("case, script, expected, exit_code", SCRIPTS, ids=[c[0] for c in SCRIPTS])
def test_loops_and_conditions_in_a_containers_script(case, script, expected, exit_code):
    """What the container logged in 5 s, and its exit code (None: still running)."""
    cluster = run(pod("script", script), 5)
    state = cluster.api.get("pods", "script")["status"]["containerStatuses"][0]["state"]
    assert (logs(cluster, "logs script"), (state.get("terminated") or {}).get("exitCode")) == (expected, exit_code)


def test_a_wait_for_a_tool_the_model_does_not_run_goes_on_waiting_and_says_why():
    """The init-container page's ``until nslookup ...``: no cluster DNS in the simulation, so the
    loop waits on (as a real one does until the Service exists), each turn saying so."""
    cluster = run(pod("waiter", "until nslookup myservice.default.svc.cluster.local; do echo waiting for myservice; "
                      "sleep 2; done; echo out"), 3)
    lines = logs(cluster, "logs waiter")
    assert lines[:2] == ["k8slearn: 'nslookup' is not simulated; the simulated containers run cat, date, echo, env, "
                         "false, grep, head, hostname, id, ls, mkdir, printenv, printf, ps, pwd, rm, rmdir, seq, sleep, "
                         "tail, test, touch, true, wc, wget, whoami and sh -c", "waiting for myservice"]
    assert "out" not in lines


def test_busybox_ash_tests_with_double_brackets_as_the_downward_api_examples_do():
    cluster = run(pod("podinfo", "if [[ -e /etc/hostname ]]; then echo yes; fi"), 2)
    assert logs(cluster, "logs podinfo") == ["yes"]
