"""A pod's life on a node, end to end: scheduler → kubelet → containerd → CNI → status."""

import ipaddress
import itertools

import pytest

from k8slearn import Cluster


def make_pod(cluster, name, image="nginx", command=None, restart="Always", cpu=None, grace=None):
    container = {"name": name, "image": image}
    if command:
        container["command"] = command
    if cpu:
        container["resources"] = {"requests": {"cpu": cpu}}
    spec = {"restartPolicy": restart, "containers": [container]}
    if grace is not None:
        spec["terminationGracePeriodSeconds"] = grace
    return cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec})


def status_of(cluster, name):
    return cluster.api.get("pods", name)["status"]


@pytest.fixture(scope="module")
def web():
    cluster = Cluster(workers=3, seed=0)
    start = len(cluster.trace)
    result = cluster.kubectl("run web --image=nginx")
    assert result.code == 0, str(result)
    cluster.settle()
    return cluster, cluster.trace[start:]


def test_kubectl_run_gives_a_running_pod_with_an_ip_in_its_nodes_pod_cidr(web):
    cluster, _ = web
    pod = cluster.api.get("pods", "web")
    node = cluster.api.get("nodes", pod["spec"]["nodeName"])
    assert pod["status"]["phase"] == "Running"
    assert ipaddress.ip_address(pod["status"]["podIP"]) in ipaddress.ip_network(node["spec"]["podCIDR"])
    assert pod["status"]["hostIP"] == node["status"]["addresses"][0]["address"]
    assert [c["type"] for c in pod["status"]["conditions"] if c["status"] == "True"] == [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ]


def test_events_are_scheduled_pulling_pulled_created_started_in_order(web):
    cluster, _ = web
    node = cluster.api.get("pods", "web")["spec"]["nodeName"]
    events = [
        e for e in cluster.api.list("events", namespace="default") if e["involvedObject"].get("name") == "web"
    ]
    assert [e["reason"] for e in events] == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    messages = [e["message"] for e in events]
    assert messages[0] == f"Successfully assigned default/web to {node}"
    assert messages[1] == 'Pulling image "nginx"'
    assert messages[2] == (
        'Successfully pulled image "nginx" in 1.024s (1.024s including waiting). Image size: 72404038 bytes.'
    )
    assert messages[3:] == ["Created container web", "Started container web"]


def test_crictl_on_the_node_shows_the_pause_sandbox_and_the_nginx_container(web):
    cluster, _ = web
    node = cluster.api.get("pods", "web")["spec"]["nodeName"]
    pods = cluster.crictl(node, "pods").splitlines()
    ps = cluster.crictl(node, "ps").splitlines()
    assert pods[0].split() == ["POD", "ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"]
    assert pods[1].split()[-5:] == ["web", "default", "0", "(default)"][-5:] or "Ready" in pods[1]
    assert len(ps) == 2 and " Running " in ps[1] and " web " in ps[1]
    images = cluster.crictl(node, "images")
    assert "registry.k8s.io/pause" in images and "docker.io/library/nginx" in images


def test_the_trace_goes_apiserver_etcd_scheduler_apiserver_kubelet_runtime_cni_apiserver(web):
    _, steps = web
    wanted = [
        ("kubectl", "create"),
        ("etcd", "put"),
        ("kube-scheduler", "bind"),
        ("etcd", "put"),
        ("kubelet", "watch"),
        ("containerd", "RunPodSandbox"),
        ("cni", "ADD"),
        ("kubelet", "get"),  # the status manager reads the pod, then patches its status
        ("kubelet", "patch"),
    ]
    it = iter((s.component.split("/")[0], s.action) for s in steps if "web" in s.object)
    assert all(any(item == want for item in it) for want in wanted)


@pytest.mark.parametrize(
    "name, image, command, restart, after, status, reason",
    [
        ("done", "busybox", ["sh", "-c", "echo hi"], "Never", 5, "Succeeded", "Completed"),
        ("fails", "busybox", ["sh", "-c", "exit 3"], "Never", 5, "Failed", "Error"),
        ("crash", "busybox", ["sh", "-c", "sleep 1; exit 1"], "Always", 60, "Running", "CrashLoopBackOff"),
        ("typo", "nginxx", None, "Always", 60, "Pending", "ImagePullBackOff"),
        ("shout", "NGINX", None, "Always", 5, "Pending", "InvalidImageName"),
        ("nocmd", "nginx", ["nginxx"], "Never", 5, "Failed", "StartError"),
    ],
    ids=[
        "a command that finishes with restartPolicy Never completes",
        "a command that exits non-zero with restartPolicy Never fails",
        "a crashing container with restartPolicy Always goes into CrashLoopBackOff",
        "an unknown image ends in ImagePullBackOff",
        "an uppercase image name is an InvalidImageName",
        "a missing executable is a StartError",
    ],
)
def test_container_outcomes(name, image, command, restart, after, status, reason):
    cluster = Cluster(workers=1, seed=1)
    make_pod(cluster, name, image, command, restart)
    cluster.settle()
    cluster.run(after)
    pod_status = status_of(cluster, name)
    assert pod_status["phase"] == status
    state = pod_status["containerStatuses"][0]["state"]
    got = (state.get("waiting") or state.get("terminated") or {}).get("reason")
    assert got == reason


def _crash_loop(seconds):
    cluster = Cluster(workers=1, seed=0)
    make_pod(cluster, "crash", "busybox", ["sh", "-c", "exit 1"])
    cluster.settle()
    cluster.run(seconds)
    starts = [s.time for s in cluster.trace if s.object == "pod/default/crash" and s.action == "StartContainer"]
    return cluster, starts


def test_crash_loop_back_off_restarts_at_once_then_at_the_first_look_after_10_20_40_80_seconds():
    # v1.32: a sync that finds the container in back-off fails (ErrCrashLoopBackOff), and the pod
    # worker looks again 10 to 15 s later; the container starts at the first look past its back-off
    cluster, starts = _crash_loop(200)
    gaps = [b - a for a, b in itertools.pairwise(starts)]  # exit 1 ends at once
    assert gaps[0] < 1  # the first crash: no back-off yet
    for gap, backoff in zip(gaps[1:], [10, 20, 40, 80], strict=True):
        assert backoff <= gap < backoff + 15 + 1
    assert [round(gap) for gap in gaps[1:]] != [10, 20, 40, 80]  # not at the back-off's exact end
    assert status_of(cluster, "crash")["containerStatuses"][0]["state"]["waiting"]["message"] == (
        "back-off 2m40s restarting failed container=crash pod=crash_default("
        + cluster.api.get("pods", "crash")["metadata"]["uid"]
        + ")"
    )


def test_a_crash_shows_error_until_the_next_look_finds_the_container_in_back_off():
    # SyncPod writes the status before it acts: the sync PLEG starts for the crash shows the
    # container Terminated (Error); the CrashLoopBackOff that sync found is shown by the next one
    cluster, _ = _crash_loop(0)
    seen = []
    for _ in range(700):
        cluster.run(0.1)
        container = status_of(cluster, "crash")["containerStatuses"][0]
        state = container["state"]
        shown = ((state.get("waiting") or state.get("terminated") or {}).get("reason", "Running"),
                 container["restartCount"])
        if not seen or seen[-1][1:] != shown:
            seen.append((cluster.now, *shown))
    assert [shown for _, *shown in seen] == [
        ["Error", 1], ["CrashLoopBackOff", 1], ["Error", 2], ["CrashLoopBackOff", 2], ["Error", 3],
        ["CrashLoopBackOff", 3]]
    for (crashed, *_), (looked, *_) in zip(seen[::2], seen[1::2], strict=True):
        assert 10 - 0.1 <= looked - crashed < 15 + 0.1


def test_an_image_that_cannot_be_pulled_is_tried_again_at_the_first_look_after_10_20_40_seconds():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.kubectl("run bad --image=registry.example.com/team/nope:1.0")
    watch = cluster.kubectl("get pods -w --request-timeout=150s").stdout
    pulls = [s.time for s in cluster.trace if s.action == "PullImage"]
    failures = [b - a for a, b in itertools.pairwise(pulls)]  # a failed pull takes no time here
    for gap, backoff in zip(failures, [10, 20, 40], strict=True):
        assert backoff <= gap < backoff + 15
    assert [round(gap) for gap in failures] != [10, 20, 40]  # not at the back-off's exact end
    rows = [line.split() for line in watch.splitlines()[1:]]
    # ErrImagePull is shown by the sync PLEG starts for the new sandbox, at once; after that the
    # status shows what the previous look found, one look every 10 to 15 s
    assert [row[2] for row in rows][2:7] == [
        "ContainerCreating", "ErrImagePull", "ImagePullBackOff", "ErrImagePull", "ImagePullBackOff"]
    ages = [int(row[4].removesuffix("s")) for row in rows[3:7]]
    assert all(10 <= later - earlier <= 15 for earlier, later in itertools.pairwise(ages))


def test_a_pod_that_never_fits_stays_pending_without_a_busy_loop():
    cluster = Cluster(workers=2, seed=0)
    make_pod(cluster, "huge", cpu="64")
    advanced = cluster.settle()
    assert advanced < 1
    assert status_of(cluster, "huge")["phase"] == "Pending"
    events = cluster.kubectl("get events --field-selector reason=FailedScheduling -o name")
    assert events.code == 0
    conditions = status_of(cluster, "huge")["conditions"]
    assert conditions[0]["reason"] == "Unschedulable"
    assert conditions[0]["message"] == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod."
    )


@pytest.mark.parametrize(
    "moment",
    [0.01, 0.5, 1.0, 5.0],
    ids=[
        "deleted right after binding",
        "deleted while the sandbox starts",
        "deleted while the image is pulled",
        "deleted while running",
    ],
)
def test_deleting_a_pod_mid_flight_leaves_no_sandbox_and_no_ip(moment):
    cluster = Cluster(workers=1, seed=0)
    make_pod(cluster, "web", grace=0)
    cluster.run(moment)
    cluster.api.delete("pods", "web")
    cluster.settle()
    cluster.run(2)
    runtime = cluster.kubelets["node-1"].runtime
    assert runtime.sandboxes == {}
    assert not [c for c in runtime.containers.values() if c.state == "CONTAINER_RUNNING"]
    assert [f for f in runtime.host.files if f.split("/")[-1].startswith("10.244.")] == []
    assert cluster.api.list("pods", namespace="default") == []


def test_graceful_deletion_waits_for_a_process_that_ignores_sigterm():
    cluster = Cluster(workers=1, seed=0)
    make_pod(cluster, "sleeper", "busybox", ["sleep", "3600"], grace=30)
    cluster.settle()
    cluster.api.delete("pods", "sleeper")
    cluster.run(29)
    assert cluster.api.get("pods", "sleeper")["metadata"]["deletionTimestamp"]
    cluster.run(2)
    assert cluster.api.list("pods", namespace="default") == []


def test_logs_show_what_the_container_printed():
    cluster = Cluster(workers=1, seed=0)
    make_pod(cluster, "hello", "busybox", ["sh", "-c", "echo hello; echo world"], restart="Never")
    cluster.settle()
    assert cluster.logs("default", "hello") == "hello\nworld\n"


def test_a_node_that_reboots_recreates_its_pod_sandboxes():
    cluster = Cluster(workers=1, seed=0)
    make_pod(cluster, "web")
    cluster.settle()
    cluster.stop_node("node-1")
    cluster.run(20)
    cluster.start_node("node-1")
    cluster.settle()
    status = status_of(cluster, "web")
    assert status["phase"] == "Running" and status["containerStatuses"][0]["restartCount"] == 1
    reasons = [
        e["reason"]
        for e in cluster.api.list("events", namespace="default")
        if e["involvedObject"].get("name") == "web"
    ]
    assert "SandboxChanged" in reasons


@pytest.mark.parametrize("run, gone_after, reason", [
    ("run p --image=nginx", (0.0, 0.5), "Completed"),
    ("run p --image=busybox -- sh -c 'sleep 10'", (8.0, 9.5), "Completed"),
    ("run p --image=busybox -- sleep 3600", (30.0, 30.5), "Error"),
], ids=[
    "nginx handles SIGTERM and stops at once",
    "a shell ignores SIGTERM but its program ends by itself before the grace period does",
    "a sleep that ignores SIGTERM lives until SIGKILL at the end of the 30 s grace period",
])
def test_how_long_a_deleted_pod_takes_to_go(run, gone_after, reason):
    c = Cluster(workers=1, seed=2)
    c.kubectl(run)
    c.settle()
    c.run(1)
    version = c.api.get("pods", "p")["metadata"]["resourceVersion"]
    watch = c.api.watch("pods", namespace="default", resource_version=version)
    start = c.now
    c.kubectl("delete pod p --wait=false")
    while c.api.list("pods", "default") and c.now - start < 60:
        c.run(0.1)
    assert gone_after[0] <= c.now - start <= gone_after[1]
    last = [obj for event_type, obj in watch][-1]
    assert last["status"]["containerStatuses"][0]["state"]["terminated"]["reason"] == reason


@pytest.mark.parametrize("command, phase, conditions", [
    ("echo done", "Succeeded",
     {"Initialized": ("True", "PodCompleted", None), "Ready": ("False", "PodCompleted", None),
      "ContainersReady": ("False", "PodCompleted", None)}),
    ("exit 3", "Failed",
     {"Initialized": ("True", None, None), "Ready": ("False", "PodFailed", None),
      "ContainersReady": ("False", "PodFailed", None)}),
], ids=["a pod that succeeded says PodCompleted, Initialized included",
        "a pod that failed says PodFailed, with no message"])
def test_the_conditions_of_a_finished_pod(command, phase, conditions):
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl(f"run once --image=busybox:1.36 --restart=Never -- sh -c '{command}'")
    cluster.settle()
    cluster.run(5)
    status = cluster.api.get("pods", "once")["status"]
    assert status["phase"] == phase
    got = {c["type"]: (c["status"], c.get("reason"), c.get("message")) for c in status["conditions"]
           if c["type"] in conditions}
    assert got == conditions


def test_crictl_quiet_listings_and_commands_it_does_not_simulate():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.kubectl("run web --image=nginx")
    c.settle()
    runtime = c.kubelets["node-1"].runtime
    assert c.crictl("node-1", "ps -q") == "".join(f"{x.id}\n" for x in runtime.list_containers())
    assert c.crictl("node-1", "pods -q") == "".join(f"{x.id}\n" for x in runtime.list_pod_sandbox())
    assert c.crictl("node-1", "inspect abc") == "k8slearn: crictl inspect is not simulated (ps, pods, images and logs are)\n"
    assert c.crictl("node-1", "bogus") == "No help topic for 'bogus'\n"
    assert c.crictl("node-1", "ps --name 'x") == "sh: syntax error: unterminated quoted string\n"
