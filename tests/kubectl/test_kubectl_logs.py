"""kubectl logs in a running simulated cluster: --previous and --follow."""

import re

import pytest

from k8slearn import Cluster


@pytest.fixture
def cluster():
    c = Cluster(workers=1, seed=1)
    c.settle()
    return c


@pytest.mark.parametrize("command, expected", [
    ("logs crash", "starting\n"),
    ("logs crash -p", "starting\n"),
    ("logs crash --previous --tail=0", ""),
], ids=["a crash-looping container waiting to restart shows its last run's log (the kubelet's lastState)",
        "--previous shows the run that crashed",
        "--tail=0 shows nothing of it"])
def test_previous_shows_the_last_terminated_run(cluster, command, expected):
    cluster.kubectl("run crash --image=busybox -- sh -c 'echo starting; exit 1'")
    cluster.run(30)  # the second crash was at 12 s; the next look, 10 to 15 s later, shows CrashLoopBackOff
    assert str(cluster.kubectl(command)) == expected


@pytest.mark.parametrize("wait, expected", [
    (5, "image can't be pulled"),
    (15, "trying and failing to pull image"),
], ids=["ErrImagePull: the image can't be pulled", "ImagePullBackOff: trying and failing to pull it"])
def test_a_container_whose_image_cannot_be_pulled_has_no_log_and_says_why(cluster, wait, expected):
    cluster.kubectl("run bad --image=nginx:9.99")
    cluster.run(wait)
    reason = cluster.api.get("pods", "bad")["status"]["containerStatuses"][0]["state"]["waiting"]["reason"]
    assert reason == {5: "ErrImagePull", 15: "ImagePullBackOff"}[wait]
    assert str(cluster.kubectl("logs bad")) == (
        f'Error from server (BadRequest): container "bad" in pod "bad" is waiting to start: {expected}\n')


def test_previous_of_a_container_that_never_restarted(cluster):
    cluster.kubectl("run web --image=nginx")
    cluster.settle()
    assert str(cluster.kubectl("logs web -p")) == (
        'Error from server (BadRequest): previous terminated container "web" in pod "web" not found\n')


def test_follow_waits_for_the_container_to_finish(cluster):
    cluster.kubectl("run once --image=busybox --restart=Never -- sh -c 'echo a; sleep 3; echo b'")
    cluster.run(1.5)
    assert str(cluster.kubectl("logs once")) == "a\n"
    start = cluster.now
    assert str(cluster.kubectl("logs once -f")) == "a\nb\n"
    assert 1 < cluster.now - start < 3


NGINX_BANNER_END = ["10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
                    "/docker-entrypoint.sh: Configuration complete; ready for start up"]


@pytest.fixture
def two_webs():
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.settle()
    return c, sorted(p["metadata"]["name"] for p in c.api.list("pods", "default"))


def test_a_tail_longer_than_the_log_shows_all_of_it(two_webs):
    c, (first, _) = two_webs
    assert c.kubectl(f"logs {first} --tail=10").stdout == c.kubectl(f"logs {first}").stdout
    assert len(c.kubectl(f"logs {first}").stdout.splitlines()) == 6


@pytest.mark.parametrize("command, per_pod", [
    ("logs -l app=web", 6), ("logs -l app=web --tail=2", 2),
], ids=["a selector shows each pod's last 10 lines (all 6 of nginx's)", "--tail sets how many"])
def test_logs_of_every_pod_a_selector_matches_one_after_the_other(two_webs, command, per_pod):
    c, pods = two_webs
    lines = c.kubectl(command).stdout.splitlines()
    assert len(lines) == 2 * per_pod and lines[per_pod - 2:per_pod] == NGINX_BANNER_END
    prefixed = c.kubectl(command + " --prefix").stdout.splitlines()
    assert [line.split("] ", 1)[0] for line in prefixed] == [f"[pod/{pod}/nginx" for pod in pods for _ in range(per_pod)]


@pytest.mark.parametrize("command, stderr", [
    ("logs -l app=nope", "No resources found in default namespace.\n"),
    ("logs web -l app=web", "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n"),
], ids=["no pod matches: said on stderr, not an error", "a name and a selector: a usage error"])
def test_logs_selector_edge_cases(two_webs, command, stderr):
    c, _ = two_webs
    result = c.kubectl(command)
    assert (result.stdout, result.stderr) == ("", stderr)


TWO = """apiVersion: v1
kind: Pod
metadata: {name: two}
spec:
  initContainers: [{name: init, image: busybox, command: [sh, -c, echo init done]}]
  containers:
  - {name: a, image: busybox, command: [sh, -c, 'echo from a; sleep 3600']}
  - {name: b, image: busybox, command: [sh, -c, 'i=0; while true; do echo b $i; i=$((i+1)); sleep 10; done']}
"""


@pytest.fixture(scope="module")
def two():
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=TWO)
    c.settle()
    c.run(60)
    return c


LOG_OPTIONS = [
    ("logs two --all-containers", "init done\nfrom a\n" + "".join(f"b {i}\n" for i in range(7)), ""),
    ("logs two --all-containers --prefix --tail=1", "[pod/two/init] init done\n[pod/two/a] from a\n[pod/two/b] b 6\n", ""),
    ("logs two -c a --timestamps", "2026-01-05T09:00:01.627550000Z from a\n", ""),
    ("logs two -c b --since=25s", "b 4\nb 5\nb 6\n", ""),
    ("logs two -c b --since-time=2026-01-05T09:00:40Z --timestamps",
     "2026-01-05T09:00:42.077550000Z b 4\n2026-01-05T09:00:52.077550000Z b 5\n2026-01-05T09:01:02.077550000Z b 6\n", ""),
    ("logs two -c b --tail=3 --since=15s", "b 5\nb 6\n", ""),
    ("logs two -c b --limit-bytes=7", "b 0\nb 1", ""),
    ("logs two -c b --since-time=yesterday", "",
     'error: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"\n'),
    ("logs two -c b --since-time=2026-13-05T09:00:40Z", "",
     'error: parsing time "2026-13-05T09:00:40Z": month out of range\n'),
    ("logs two -c b --since=1s --since-time=2026-01-05T09:00:40Z", "",
     "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n"),
    ("logs two -c a --all-containers", "", "error: --all-containers=true should not be specified with container name a\n"),
    ("logs two -c b --limit-bytes=-1", "", "error: --limit-bytes must be greater than 0\n"),
]


@pytest.mark.parametrize("command, stdout, stderr", LOG_OPTIONS, ids=[
    "--all-containers shows the init containers first, and no Defaulted-container note",
    "--prefix names each line's pod and container, --tail applies to each",
    "--timestamps puts the RFC 3339 time each line was written before it",
    "--since shows the lines of the last 25 seconds",
    "--since-time shows the lines written from then on",
    "--tail picks the last lines, then --since filters them, as the kubelet does",
    "--limit-bytes cuts the log after that many bytes, mid-line",
    "a --since-time that is no time is Go's parse error",
    "and a month out of range too",
    "--since and --since-time cannot go together",
    "--all-containers with a container name is refused",
    "a negative --limit-bytes is refused",
])
def test_log_options_shape_what_the_kubelet_returns(two, command, stdout, stderr):
    result = two.kubectl(command)
    assert (result.stdout, result.stderr) == (stdout, stderr)


LOOPER = """apiVersion: v1
kind: Pod
metadata: {name: looper}
spec:
  containers:
  - name: app
    image: busybox:1.36
    command: ["sh", "-c", "i=0; while [ $i -lt 20 ]; do echo tick $i; i=$((i+1)); sleep 2; done"]
"""


def test_follow_with_tail_starts_from_the_last_lines_so_far_then_streams_the_rest():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=LOOPER)
    c.settle()
    c.run(10)
    so_far = c.kubectl("logs looper --tail=2").stdout
    followed = c.kubectl("logs looper -f --tail=2").stdout
    assert followed.startswith(so_far)
    assert followed.splitlines()[-1] == "tick 19"
    assert len(followed.splitlines()) == 2 + 19 - int(so_far.split()[-1])


def test_follow_of_an_init_container_streams_until_it_ends():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n"
                                  "  - name: init\n    image: busybox:1.36\n    command: [sh, -c, 'for i in 0 1 2 3; do "
                                  "echo init $i; sleep 2; done']\n  containers:\n  - {name: app, image: nginx:1.27}\n")
    c.run(3)
    assert c.kubectl("logs p -f -c init").stdout == "init 0\ninit 1\ninit 2\ninit 3\n"


# A container that prints when it started, runs 5 s and fails: at 30 s its third run (started at
# 09:00:23) has just crashed (Error, the run before as lastState); 10 to 15 s later CrashLoopBackOff.
DATED_CRASH = "run crash --image=busybox -- sh -c 'echo run at $(date); sleep 5; exit 1'"


@pytest.mark.parametrize("wait, command, expected", [
    (43, "logs crash", "run at Mon Jan 5 09:00:23 UTC 2026\n"),
    (43, "logs crash -p", "run at Mon Jan 5 09:00:23 UTC 2026\n"),
    (30, "logs crash", "run at Mon Jan 5 09:00:23 UTC 2026\n"),
    (30, "logs crash -p", "unable to retrieve container logs for containerd://"
                          "ad45f23d3b1a11df587fd2803bab6c398d88348a7eed8d14f06d3fef701966a0"),
], ids=["in CrashLoopBackOff, logs shows the run that crashed last",
        "in CrashLoopBackOff, --previous shows that same run (lastState), not the one before",
        "just after a crash (Error), logs shows the run that just ended",
        "just after a crash, --previous names the run before, which the kubelet has removed: the text of a 200"])
def test_logs_read_the_run_the_kubelets_status_names(cluster, wait, command, expected):
    cluster.kubectl(DATED_CRASH)
    cluster.run(wait)
    result = cluster.kubectl(command)
    assert (str(result), result.code) == (expected, 0)


def test_a_crash_looping_container_keeps_only_its_last_dead_run_in_the_runtime(cluster):
    cluster.kubectl(DATED_CRASH)
    cluster.run(120)
    status = cluster.api.get("pods", "crash")["status"]["containerStatuses"][0]
    listed = [re.split(r"\s{2,}", line) for line in cluster.crictl("node-1", "ps -a").splitlines()[1:]]
    assert status["restartCount"] == 4
    assert [(state, attempt) for _, _, _, state, _, attempt, *_ in listed] == [("Exited", "4")]
    assert status["containerID"].startswith("containerd://" + listed[0][0])  # its newest run


def test_logs_of_a_pod_not_yet_on_a_node_are_empty(cluster):
    cluster.kubectl("""run pending --image=nginx --overrides='{"spec":{"nodeSelector":{"disk":"ssd"}}}'""")
    cluster.run(2)
    assert cluster.api.get("pods", "pending")["spec"].get("nodeName") is None
    result = cluster.kubectl("logs pending")
    assert (result.stdout, result.stderr, result.code) == ("", "", 0)


TALKERS = """apiVersion: v1
kind: Pod
metadata: {name: talkers}
spec:
  restartPolicy: Never
  containers:
  - {name: a, image: busybox, command: [sh, -c, 'echo a0; sleep 4; echo a1; sleep 4; echo a2']}
  - {name: b, image: busybox, command: [sh, -c, 'echo b0; sleep 2; echo b1; sleep 4; echo b2']}
"""


def test_following_several_streams_shows_each_ones_lines_so_far_then_new_lines_as_they_come():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=TALKERS)
    c.run(4)  # a0 at 1.2 s, b0 at 1.6 s, b1 at 3.6 s; still to come: a1 at 5.2 s, b2 at 7.6 s, a2 at 9.2 s
    assert c.kubectl("logs talkers --all-containers --prefix").stdout == (
        "[pod/talkers/a] a0\n[pod/talkers/b] b0\n[pod/talkers/b] b1\n")
    result = c.kubectl("logs talkers --all-containers -f --prefix")
    assert (result.stdout, result.stderr, result.code) == (
        "[pod/talkers/a] a0\n[pod/talkers/b] b0\n[pod/talkers/b] b1\n"  # what each had written when asked
        "[pod/talkers/a] a1\n[pod/talkers/b] b2\n[pod/talkers/a] a2\n", "", 0)  # then in the order written


@pytest.mark.parametrize("command, stderr", [
    ("logs -l app=web -f --max-log-requests=1",
     "error: you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, "
     "use --max-log-requests to increase the limit\n"),
    ("logs -l app=web -f --all-containers --max-log-requests=1",
     "error: you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, "
     "use --max-log-requests to increase the limit\n"),
], ids=["following more pods than --max-log-requests is refused before any log is read",
        "the limit counts log streams, one per pod and container"])
def test_follow_refuses_more_streams_than_max_log_requests(two_webs, command, stderr):
    c, _ = two_webs
    start = c.now
    result = c.kubectl(command)
    assert (result.stdout, result.stderr, result.code, c.now) == ("", stderr, 1, start)


def test_a_selector_without_follow_reads_any_number_of_pods_one_after_the_other(two_webs):
    c, _ = two_webs
    assert len(c.kubectl("logs -l app=web --max-log-requests=1 --tail=1").stdout.splitlines()) == 2
