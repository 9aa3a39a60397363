"""The container process model and image references."""

import pytest

from k8slearn.kubelet.images import find, invalid_reason, normalize
from k8slearn.kubelet.process import parse_program


@pytest.mark.parametrize(
    "command, args, image, steps, forever, start_error",
    [
        ([], None, "nginx", None, True, ""),
        ([], None, "busybox", [("exit", 0)], False, ""),
        (["sleep", "10"], None, "busybox", [("sleep", 10.0), ("exit", 0)], False, ""),
        (["sh", "-c"], ["echo hi; exit 2"], "busybox", [("print", "hi"), ("exit", 2)], False, ""),
        (
            ["sh", "-c", "echo start && sleep 3 && false"],
            None,
            "busybox",
            [("print", "start"), ("sleep", 3.0), ("shell", "false"), ("exit", None)],  # (false's status)
            False,
            "",
        ),
        (["sh", "-c", "while true; do echo tick; sleep 5; done"], None, "busybox", [], True, ""),
        (["sleep", "infinity"], None, "busybox", [], True, ""),
        (["nginxx"], None, "nginx", [], False, 'exec: "nginxx": executable file not found in $PATH'),
        (["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"], None, "busybox:1.28",
         [("date", ""), ("print", "Hello from the Kubernetes cluster"), ("exit", 0)], False, ""),
    ],
    ids=[
        "nginx with no command runs its server forever",
        "busybox with no command runs sh, which exits at once",
        "sleep 10 exits 0 after ten seconds",
        "a shell script prints then exits with its code",
        "&& chains run in order and false fails with 1",
        "a while-true loop runs forever",
        "sleep infinity never exits",
        "an unknown executable cannot start",
        "the CronJob example's date prints the clock then exits",
    ],
)
def test_parse_program(command, args, image, steps, forever, start_error):
    program = parse_program(command, image, args)
    if steps is not None:
        assert program.steps == steps or (forever and program.forever)
    assert program.forever == forever
    assert program.start_error == start_error


@pytest.mark.parametrize(
    "image, normalized",
    [
        ("nginx", "docker.io/library/nginx:latest"),
        ("nginx:1.27", "docker.io/library/nginx:1.27"),
        ("bitnami/redis:7", "docker.io/bitnami/redis:7"),
        ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
    ],
    ids=[
        "a short name gets docker.io/library and :latest",
        "a tag is kept",
        "a user repository gets docker.io only",
        "a registry host is kept",
        "a host with a port is a registry",
    ],
)
def test_normalize(image, normalized):
    assert normalize(image) == normalized


def test_uppercase_is_an_invalid_reference_and_unknown_repositories_do_not_exist():
    assert (
        invalid_reason("Nginx")
        == "invalid reference format: repository name (library/Nginx) must be lowercase"
    )
    assert invalid_reason("nginx:1.27") is None
    assert find("nosuchimage") is None
    assert find("nginx").size == find("nginx:1.25").size


@pytest.mark.parametrize(
    "now, printed",
    [(61.5, "Mon Jan  5 09:01:01 UTC 2026"), (10 * 86400, "Thu Jan 15 09:00:00 UTC 2026")],
    ids=["a one-digit day is padded with a space", "a two-digit day is not"],
)
def test_date_prints_the_simulated_clock_as_busybox_does(now, printed):
    from k8slearn.kubelet.exec_tools import date_text as _date

    assert _date(now) == printed


@pytest.mark.parametrize("args, forever", [
    (["-Mbignum=bpi", "-wle", "print bpi(2000)"], False),
    (["-e", "print 1"], True),
    ([], False),
], ids=["bpi: pi, then exit", "another Perl program is not modelled: it runs until stopped",
        "the image's CMD with no script exits at once"])
def test_perl_programs(args, forever):
    program = parse_program(["perl", *args] if args else [], image="perl:5.34.0")
    assert program.forever == forever


@pytest.mark.parametrize("image, exists", [
    ("nginx:1.14.2", True), ("nginx:1.16.1", True), ("nginx:1.161", False), ("nginx:2.0", False),
    ("nginx:stable-alpine", True), ("nginx", True), ("busybox:1.28", True), ("busybox:1.99", False),
    ("redis:99", True), ("nginx:lastest", False), ("nginx:doesnotexist", False), ("busybox:lates", False),
    ("nginx:1.27-alpinee", False), ("nginx:1.27.3-alpine3.20-slim", True), ("busybox:1.36.1-glibc", True),
    ("registry.k8s.io/etcd:3.5.1-0", True), ("polinux/stress", True),
], ids=["the Deployment documentation's first version", "its second", "its mistyped third does not exist",
        "no nginx 2 yet", "a word tag", "latest", "BusyBox 1.28", "a BusyBox from the future",
        "other repositories: any tag", "a misspelled latest does not exist", "nor a made-up word",
        "nor BusyBox's", "nor a misspelled variant", "a variant with versions", "a BusyBox variant",
        "the gRPC probe example's etcd", "the resource examples' stress"])
def test_which_tags_exist(image, exists):
    assert (find(image) is not None) == exists


@pytest.mark.parametrize("image", [
    pytest.param("curlimages/curl", id="curl's image, the usual way to reach a Service from a pod"),
    pytest.param("nicolaka/netshoot", id="the network troubleshooting image"),
    pytest.param("mysql:8.0", id="the WordPress tutorial's database"),
    pytest.param("wordpress:6.2.1-apache", id="the WordPress tutorial's site"),
    pytest.param("registry.k8s.io/hpa-example", id="the HorizontalPodAutoscaler walkthrough's php-apache"),
    pytest.param("registry.k8s.io/echoserver:1.10", id="the Service tutorials' echo server"),
    pytest.param("hashicorp/http-echo", id="the Ingress guides' echo server"),
])
def test_images_of_the_documentations_tutorials_can_be_pulled(image):
    assert find(image) is not None


@pytest.mark.parametrize("command, image, steps, start_error", [
    pytest.param([], "curlimages/curl", [("print", "curl: try 'curl --help' or 'curl --manual' for more information"),
                                         ("exit", 2)], "", id="curl's image run bare says what curl lacks and exits 2"),
    pytest.param(["curl", "-s", "web"], "curlimages/curl", None, "",
                 id="its curl is there, but not simulated: no runtime error"),
    pytest.param(["dig", "web"], "curlimages/curl", [], 'exec: "dig": executable file not found in $PATH',
                 id="a tool it lacks cannot start"),
    pytest.param([], "nicolaka/netshoot", [("exit", 0)], "", id="netshoot run bare: its shell exits with no terminal"),
    pytest.param(["tcpdump", "-i", "any"], "nicolaka/netshoot", None, "",
                 id="netshoot has tcpdump (not simulated)"),
])
def test_the_tool_images_have_their_programs(command, image, steps, start_error):
    program = parse_program(command, image)
    assert program.start_error == start_error
    if steps is not None:
        assert program.steps == steps


def _pull_lines(runtime_trace):
    return [(round(s.time, 3), s.action, s.detail) for s in runtime_trace if s.action in ("PullImage", "ImagePulled")]


def test_the_trace_shows_a_serialized_pull_when_the_kubelet_sends_it_after_the_pull_before_it():
    from k8slearn.kubelet.runtime import ContainerRuntime
    from k8slearn.sim import Loop

    runtime = ContainerRuntime(Loop(seed=0, trace=True), "node-1")
    runtime.pull_image("nginx:1.27", for_pod="pod/default/a")
    runtime.pull_image("busybox:1.36", for_pod="pod/default/b")
    runtime.loop.run(5)
    assert _pull_lines(runtime.loop.trace) == [
        (0.0, "PullImage", "pulling docker.io/library/nginx:1.27"),
        (1.024, "ImagePulled", "docker.io/library/nginx:1.27: 72404038 bytes in 1.024s"),
        (1.024, "PullImage", "pulling docker.io/library/busybox:1.36"),
        (1.346, "ImagePulled", "docker.io/library/busybox:1.36: 2155000 bytes in 0.322s"),
    ]


def test_a_failed_pull_has_a_trace_line_with_containerds_error_and_the_flow_tells_it():
    from k8slearn import Cluster
    from k8slearn.viz.flow import pod_journey

    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("run web --image=nginx:nope")
    cluster.run(5)
    (failed,) = [s for s in cluster.trace if s.action == "ImagePullFailed"]
    assert (failed.component, failed.object) == ("containerd/node-1", "pod/default/web")
    assert failed.detail == ('rpc error: code = NotFound desc = failed to pull and unpack image '
                             '"docker.io/library/nginx:nope": failed to resolve reference '
                             '"docker.io/library/nginx:nope": docker.io/library/nginx:nope: not found')
    (hop,) = [h for h in pod_journey(cluster.trace, "web") if h.label == "ImagePullFailed"]
    assert hop.sentence.startswith("containerd cannot pull the image: rpc error: code = NotFound")
    assert "ImagePullBackOff" in hop.sentence
