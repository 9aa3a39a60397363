"""kubectl logs in a running simulated cluster: --previous and --follow."""

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
