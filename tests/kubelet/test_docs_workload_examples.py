"""The workload examples of kubernetes.io's concepts/workloads pages, pasted as they are: the Job
page's pi (perl:5.34.0) and its Python examples, the ReplicaSet page's frontend of v1.28 and
before, the Indexed Job's BusyBox ``rev``; and the models behind them
(k8slearn/kubelet/program_perl.py, program_python.py)."""

from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.process import parse_program
from k8slearn.kubelet.program_perl import bpi, perl_one_liner
from k8slearn.kubelet.program_python import python_script

PI_JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
"""

# The start and the end of what the Job page shows for `kubectl logs $pods`
PAGE_START = "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803"
PAGE_END = "4677646575739624138908658326459958133904780275901"


def pi_by_gauss_legendre(digits: int) -> str:
    """Pi to ``digits`` significant digits by another algorithm than the model's (Machin's)."""
    with localcontext() as context:
        context.prec = digits + 20
        a, b, t, p = Decimal(1), 1 / Decimal(2).sqrt(), Decimal("0.25"), Decimal(1)
        for _ in range(max(digits, 2).bit_length() + 2):
            a, b, t, p = (a + b) / 2, (a * b).sqrt(), t - p * ((a - b) / 2) ** 2, 2 * p
        pi = (a + b) ** 2 / (4 * t)
        context.prec, context.rounding = digits, ROUND_HALF_EVEN
        return str(+pi)


def cluster_with(manifest: str, seconds: float = 30) -> Cluster:
    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    result = cluster.kubectl("apply -f -", stdin=manifest)
    assert result.code == 0, result.stderr
    cluster.run(seconds)
    return cluster


def test_the_job_pages_pi_example_completes_and_logs_the_2000_digits_the_page_shows():
    cluster = cluster_with(PI_JOB)
    jobs = cluster.kubectl("get jobs").stdout.splitlines()
    assert jobs[1].split()[:3] == ["pi", "Complete", "1/1"]
    assert cluster.kubectl("get pods").stdout.splitlines()[1].split()[1:3] == ["0/1", "Completed"]
    logs = cluster.kubectl("logs job/pi").stdout
    assert logs.startswith(PAGE_START) and logs.endswith(PAGE_END + "\n") and len(logs) == 2002
    assert logs == pi_by_gauss_legendre(2000) + "\n"


def test_the_pi_pod_computes_for_two_seconds_before_it_prints_and_exits():
    cluster = cluster_with(PI_JOB)
    (pod,) = cluster.api.list("pods", namespace="default")
    terminated = pod["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["reason"], terminated["exitCode"]) == ("Completed", 0)
    started, finished = (datetime.fromisoformat(terminated[key]) for key in ("startedAt", "finishedAt"))
    assert (finished - started).total_seconds() == 2


@pytest.mark.parametrize("digits", [1, 2, 3, 10, 20, 100, 1999, 2000, 4301, 5000])
def test_bpi_prints_n_significant_digits_rounded_as_math_bigfloat_does(digits):
    assert bpi(digits) == pi_by_gauss_legendre(digits)


@pytest.mark.parametrize("args, steps", [
    (["-Mbignum=bpi", "-wle", "print bpi(2000)"], [("sleep", 2.0), ("print", bpi(2000)), ("exit", 0)]),
    (["-Mbignum=bpi", "-le", "print bpi(10)"], [("sleep", 0.1), ("print", "3.141592654"), ("exit", 0)]),
    (["-Mbignum=bpi", "-e", "print(bpi(3));"], [("sleep", 0.1), ("print", "3.14"), ("exit", 0)]),
    (["-w", "-l", "-e", "print bpi(5)", "-Mbignum=bpi"], [("sleep", 0.1), ("print", "3.1416"), ("exit", 0)]),
    (["-Mbignum=bpi", "-wle", "print bpi(10000)"], [("sleep", 50.0), ("print", bpi(10000)), ("exit", 0)]),
    ([], [("exit", 0)]),
    (["-e", "print 1"], None),
    (["-wle", "print bpi(20)"], None),
    (["-Mbignum=bpi", "-wle", "print bpi(20); print 1"], None),
    (["-Mbignum=bpi", "-wle", "print bpi(0)"], None),
    (["-Mbignum=bpi", "-wle", "print bpi(10001)"], None),
    (["-Mbignum=bpi", "-e", "print bpi(1)", "-e", "print 2"], None),
    (["-Mbignum=bpi", "/app/pi.pl"], None),
    (["-Mbignum=bpi", "-wle"], None),
], ids=[
    "the Job page's one-liner computes two seconds, prints pi and exits 0",
    "-le is -l and -e",
    "-e alone prints too, and parentheses and a semicolon are Perl's",
    "switches apart and -M after -e are read as perl reads them",
    "ten thousand digits compute for 25 times as long",
    "perl with no program reads an empty stdin and exits 0",
    "another program is not modelled",
    "bpi without bignum is not modelled",
    "more than print bpi is not modelled",
    "no digits is not modelled",
    "more digits than the model computes is not modelled",
    "two -e programs are not modelled",
    "a script file is not modelled",
    "-e without its program is not modelled",
])
def test_perl_one_liners(args, steps):
    got, problem = perl_one_liner(args)
    assert got == steps
    assert (problem == "") == (steps is not None)


def test_a_perl_program_the_model_does_not_run_says_so_in_its_log_and_runs_on_ignoring_sigterm():
    program = parse_program(["perl", "-e", "print 1"], image="perl:5.34.0")
    assert program.forever and program.ignores_sigterm
    assert program.steps == [("print", "k8slearn: this command is not simulated ('perl -e print 1' is not "
                                       "modelled): the container runs on without running it")]


def test_pi_longer_than_pythons_int_string_limit_completes_without_stopping_the_simulation():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl("run big --image=perl:5.34.0 --restart=Never -- perl -Mbignum=bpi -wle 'print bpi(5000)'")
    cluster.run(40)
    assert cluster.kubectl("get pod big").stdout.split()[-3] == "Completed"
    assert cluster.kubectl("logs big").stdout == bpi(5000) + "\n"


FRONTEND_V3 = """apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
  labels:
    app: guestbook
    tier: frontend
spec:
  replicas: 3
  selector:
    matchLabels:
      tier: frontend
  template:
    metadata:
      labels:
        tier: frontend
    spec:
      containers:
      - name: php-redis
        image: gcr.io/google_samples/gb-frontend:v3
"""


def test_the_replicaset_pages_frontend_of_v1_28_and_before_pulls_and_runs():
    cluster = cluster_with(FRONTEND_V3, seconds=60)
    assert cluster.kubectl("get rs frontend").stdout.splitlines()[1].split()[1:4] == ["3", "3", "3"]


@pytest.mark.parametrize("command, image", [
    (["rev", "/input/data.txt"], "docker.io/library/busybox"),
    (["sed", "-n", "1p", "/etc/hostname"], "nginx:1.27"),
], ids=["BusyBox's rev (the Indexed Job example's worker)", "sed in a Debian-based image"])
def test_a_program_the_image_has_but_the_model_does_not_run_is_not_modelled_not_a_start_error(command, image):
    program = parse_program(command, image=image)
    assert program.start_error == "" and program.forever
    assert f"('{command[0]}' is not modelled)" in program.steps[0][1]


BACKOFF_LIMIT_PER_INDEX = """apiVersion: batch/v1
kind: Job
metadata:
  name: job-backoff-limit-per-index-example
spec:
  completions: 10
  parallelism: 3
  completionMode: Indexed  # required for the feature
  backoffLimitPerIndex: 1  # maximal number of failures per index
  maxFailedIndexes: 5      # maximal number of failed indexes before terminating the Job execution
  template:
    spec:
      restartPolicy: Never # required for the feature
      containers:
      - name: example
        image: python
        command:
        - python3
        - -c
        - |
          import os, sys
          print("Hello world")
          if int(os.environ.get("JOB_COMPLETION_INDEX")) % 2 == 0:
            sys.exit(1)
"""
FAIL_INDEX = """apiVersion: batch/v1
kind: Job
metadata:
  name: job-backoff-limit-per-index-failindex
spec:
  completions: 4
  parallelism: 2
  completionMode: Indexed
  backoffLimitPerIndex: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: docker.io/library/python:3
        command:
          - python3
          - -c
          - |
            import os, sys
            index = int(os.environ.get("JOB_COMPLETION_INDEX"))
            if index == 0:
              sys.exit(1)
            elif index == 1:
              sys.exit(42)
            else:
              sys.exit(0)
  backoffLimit: 6
  podFailurePolicy:
    rules:
    - action: FailIndex
      onExitCodes:
        containerName: main
        operator: In
        values: [42]
"""


@pytest.mark.parametrize("manifest, name, status", [
    (BACKOFF_LIMIT_PER_INDEX, "job-backoff-limit-per-index-example",
     {"completedIndexes": "1,3,5,7,9", "failedIndexes": "0,2,4,6,8", "succeeded": 5, "failed": 10}),
    (FAIL_INDEX, "job-backoff-limit-per-index-failindex",
     {"completedIndexes": "2,3", "failedIndexes": "0,1", "succeeded": 2, "failed": 3}),
], ids=["the backoffLimitPerIndex example fails its even indexes after one retry each",
        "the FailIndex example fails index 1 at once and index 0 after its retry"])
def test_the_job_pages_python_examples_end_with_the_status_the_page_shows(manifest, name, status):
    cluster = cluster_with(manifest, seconds=150)
    job = cluster.api.get("jobs", name)["status"]
    assert {key: job.get(key) for key in status} == status
    assert [c["type"] for c in job["conditions"]] == ["FailureTarget", "Failed"]
    assert {c["reason"] for c in job["conditions"]} == {"FailedIndexes"}
    assert cluster.kubectl(f"logs {name}-0-mf6d4").stdout == ("Hello world\n" if "Hello" in manifest else "")


@pytest.mark.parametrize("script, env, steps", [
    ('import os, sys\nprint("Hello world")\n'
     'if int(os.environ.get("JOB_COMPLETION_INDEX")) % 2 == 0:\n  sys.exit(1)\n',
     {"JOB_COMPLETION_INDEX": "4"}, [("print", "Hello world"), ("exit", 1)]),
    ('import os, sys\nif os.environ.get("JOB_COMPLETION_INDEX") == "2":\n  sys.exit(0)\n'
     'else:\n  sys.exit(1)\n', {"JOB_COMPLETION_INDEX": "2"}, [("exit", 0)]),
    ("import sys; print('a', 1); sys.exit(-1)", {}, [("print", "a 1"), ("exit", 255)]),
    ('import os\nprint(os.environ["HOSTNAME"])', {"HOSTNAME": "web-0"}, [("print", "web-0"), ("exit", 0)]),
    ('import os\nprint(os.environ.get("MISSING", "none"))', {}, [("print", "none"), ("exit", 0)]),
    ('import os\nprint(os.environ.get("JOB_COMPLETION_INDEX"))', None, None),
    ('import os\nint(os.environ.get("MISSING"))', {}, None),
    ("import time\ntime.sleep(5)", {}, None),
    ("while True: pass", {}, None),
    ("print(", {}, None),
], ids=["the backoffLimitPerIndex example's even index exits 1 after its line",
        "the successPolicy example's index 2 exits 0", "print joins its arguments; an exit code wraps at 256",
        "os.environ[NAME] reads the environment", "os.environ.get takes a default",
        "an environment the runtime did not give is not guessed", "a traceback is not modelled",
        "another module is not modelled", "a loop is not modelled", "a syntax error is not modelled"])
def test_python_scripts(script, env, steps):
    got, problem = python_script(script, env)
    assert got == steps
    assert (problem == "") == (steps is not None)


def test_a_python_program_the_model_does_not_run_still_runs_on_as_a_server():
    assert parse_program(["python", "-m", "http.server", "9090"], image="python").forever
    assert parse_program(["python3", "-c", "import time; time.sleep(99)"], image="python").forever
