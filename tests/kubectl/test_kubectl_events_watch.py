"""kubectl events -w in a running simulated cluster: the events there are, then each new or updated one.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/events/events.go (runWatch), event_printer.go.
"""

import pytest

from k8slearn import Cluster

NEVER_READY = """
apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  containers:
  - name: c
    image: nginx
    readinessProbe:
      exec: {command: [cat, /nope]}
      periodSeconds: 5
"""


@pytest.fixture
def cluster():
    c = Cluster(workers=1, seed=1)
    c.settle()
    return c


def _columns(stdout: str) -> list[list[str]]:
    return [line.split()[:4] for line in stdout.splitlines()]


def test_events_watch_prints_a_new_pods_events_as_they_happen_under_one_header(cluster):
    cluster.kubectl("run web --image=nginx")
    result = cluster.kubectl("events -w --for pod/web")
    assert (result.code, result.stderr) == (0, "")
    assert [row[:3] for row in _columns(result.stdout)] == [
        ["LAST", "SEEN", "TYPE"],
        ["0s", "Normal", "Scheduled"],
        ["0s", "Normal", "Pulling"],
        ["0s", "Normal", "Pulled"],
        ["0s", "Normal", "Created"],
        ["0s", "Normal", "Started"],
    ]
    assert cluster.loop.pending == 0  # the watch ran the cluster until it was quiet


def test_events_watch_starts_with_the_events_already_there(cluster):
    cluster.kubectl("run web --image=nginx")
    cluster.run(seconds=60)
    lines = cluster.kubectl("events -w --for pod/web").stdout.splitlines()
    assert lines[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert [line.split()[2] for line in lines[1:]] == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    assert all(line.split()[0] in ("60s", "59s", "58s") for line in lines[1:])


def test_events_watch_prints_a_repeated_event_again_with_its_count(cluster):
    cluster.kubectl("apply -f -", stdin=NEVER_READY)
    result = cluster.kubectl("events -w --types=Warning --request-timeout=20s")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert lines[1].split()[:4] == ["0s", "Warning", "Unhealthy", "Pod/never"]
    counts = [line.split()[1] for line in lines[2:]]
    assert counts == [f"(x{n}" for n in range(2, len(lines))] and len(counts) >= 3


@pytest.mark.parametrize("args, expected", [
    ("events -w --types=Warning", ""),                    # nothing to print: not even the header
    ("events -w --for pod/nope", ""),                    # no "No events found" under -w
    ("events -w --for pod/web --no-headers --types=normal", "0s    Normal   Scheduled"),
], ids=[
    "a watch of warnings in a healthy namespace prints nothing",
    "a watch of an object without events prints nothing",
    "--no-headers and --types in any case keep the matching events without the header",
])
def test_events_watch_filters(cluster, args, expected):
    cluster.kubectl("run web --image=nginx")
    result = cluster.kubectl(args)
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.startswith(expected) if expected else result.stdout == ""


def test_events_watch_with_output_name_prints_each_event_on_its_own(cluster):
    cluster.kubectl("run web --image=nginx")
    names = cluster.kubectl("events -w --for pod/web -o name").stdout.splitlines()
    assert len(names) == 5 and all(name.startswith("event/web.") for name in names)


def test_events_watch_with_output_yaml_separates_the_events(cluster):
    cluster.kubectl("run web --image=nginx")
    documents = cluster.kubectl("events -w --for pod/web -o yaml").stdout.split("---\n")
    assert len(documents) == 5
    assert all("kind: Event\n" in doc and "apiVersion: v1\n" in doc for doc in documents)


def test_events_watch_with_a_bad_type_changes_nothing_and_says_so(cluster):
    result = cluster.kubectl("events -w --types=Info")
    assert (result.stdout, result.stderr, result.code) == ("", "error: valid --types are Normal or Warning\n", 1)
