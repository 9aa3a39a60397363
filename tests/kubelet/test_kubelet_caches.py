"""The kubelet's simulation speed-ups give the answers the plain computation gives.

Each cache (remembered timestamps, parsed quantities, image names, the requests a pod worker
keeps from admission) is checked against the uncached function over a table of cases.
"""

import pytest

from k8slearn import Cluster
from k8slearn.api.meta import timestamp
from k8slearn.api.quantity import cpu_millis, memory_bytes
from k8slearn.kubelet import images
from k8slearn.kubelet.process import NGINX_BANNER
from k8slearn.kubelet.resource_helpers import _amount
from k8slearn.kubelet.status import _timestamp


@pytest.mark.parametrize(
    "seconds",
    [
        pytest.param(0.0, id="time zero formats as the simulated epoch"),
        pytest.param(0.999999, id="a fraction of a second is cut to the whole second"),
        pytest.param(1.0, id="a whole second formats as itself"),
        pytest.param(59.99, id="just under a minute stays in the minute"),
        pytest.param(3600.5, id="an hour and a half second"),
        pytest.param(3 * 86400 + 0.25, id="three days later changes the date"),
    ],
)
def test_the_remembered_timestamp_equals_the_formatted_one(seconds):
    assert _timestamp(seconds) == timestamp(seconds)
    assert _timestamp(seconds) == timestamp(seconds)  # the second call comes from the cache


@pytest.mark.parametrize(
    "resource, value",
    [
        pytest.param("cpu", "500m", id="millicores as text"),
        pytest.param("cpu", "1.5", id="fractional cores as text"),
        pytest.param("cpu", 2, id="cores as a JSON integer are not cached but converted"),
        pytest.param("cpu", 0.25, id="cores as a JSON float"),
        pytest.param("memory", "1Gi", id="binary suffix memory"),
        pytest.param("memory", "129e6", id="exponent memory"),
        pytest.param("memory", "128974848", id="plain bytes as text"),
        pytest.param("memory", 1000, id="bytes as a JSON integer"),
    ],
)
def test_a_parsed_quantity_equals_the_quantity_conversion(resource, value):
    convert = cpu_millis if resource == "cpu" else memory_bytes
    assert _amount(resource, value) == convert(value)
    assert _amount(resource, value) == convert(value)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("nginx", id="a short name"),
        pytest.param("nginx:1.27", id="a short name with a tag"),
        pytest.param("registry.k8s.io/pause:3.10", id="a name with a registry"),
        pytest.param("localhost:5000/app", id="a local registry with a port"),
        pytest.param("NGINX", id="an uppercase name, which is invalid"),
        pytest.param("nginxx", id="a repository the registry does not have"),
    ],
)
def test_remembered_image_lookups_equal_a_fresh_parse(name):
    for cached in (images.normalize, images.invalid_reason, images.find):
        assert cached(name) == cached.__wrapped__(name)
        assert cached(name) == cached.__wrapped__(name)


def _pod(name, cpu=None, memory=None):
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}
    container = {"name": "app", "image": "nginx", "resources": {"requests": requests}}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"nodeName": "node-1", "terminationGracePeriodSeconds": 0, "containers": [container]},
    }


OUT_OF_CPU = (
    "Pod was rejected: Node didn't have enough resource: cpu, requested: 1000, used: 1500, capacity: 2000"
)
OUT_OF_MEMORY = (
    "Pod was rejected: Node didn't have enough resource: memory, requested: 1073741824, used: "
    "3221225472, capacity: 4190109696"
)


@pytest.mark.parametrize(
    "steps, phase, reason, message",
    [
        pytest.param([("a", "1", None), ("b", "500m", None)], "Running", None, None,
                     id="a pod that fits next to an admitted one is admitted"),
        pytest.param([("a", "1500m", None), ("b", "1", None)], "Failed", "OutOfcpu", OUT_OF_CPU,
                     id="a pod over the rest of the node's cpu is rejected with the used amount"),
        pytest.param([("a", "1500m", None), ("-a", None, None), ("b", "1", None)], "Running", None, None,
                     id="the requests of a deleted pod no longer count"),
        pytest.param([("a", None, "3Gi"), ("b", None, "1Gi")], "Failed", "OutOfmemory", OUT_OF_MEMORY,
                     id="a pod over the rest of the node's memory is rejected"),
        pytest.param([("a", "1500m", None), ("x", "1", None), ("b", "500m", None)], "Running", None, None,
                     id="a rejected pod's requests are not counted as used"),
    ],
)
def test_admission_counts_the_requests_of_the_admitted_pods(steps, phase, reason, message):
    cluster = Cluster(workers=1, seed=0)  # node-1: 2 cpu, 4Gi
    for name, cpu, memory in steps:
        if name.startswith("-"):
            cluster.api.delete("pods", name[1:], grace_period_seconds=0)
        else:
            cluster.api.create(_pod(name, cpu, memory))
        cluster.settle()
    status = cluster.api.get("pods", steps[-1][0])["status"]
    assert (status["phase"], status.get("reason"), status.get("message")) == (phase, reason, message)


@pytest.mark.parametrize(
    "image, lines",
    [
        pytest.param("nginx:1.27", 6, id="nginx prints its entrypoint banner"),
        pytest.param("redis", 1, id="redis prints one ready line"),
        pytest.param("registry.k8s.io/e2e-test-images/agnhost:2.52", 0,
                     id="an image without a banner prints nothing"),
    ],
)
def test_each_container_gets_its_own_copy_of_the_shared_banner_steps(image, lines):
    from k8slearn.kubelet.process import IMAGE_DEFAULTS, image_name, parse_program

    first, second = parse_program([], image), parse_program([], image)
    defaults = IMAGE_DEFAULTS.get(image_name(image))
    expected = [("print", line) for line in (defaults.banner if defaults else [])]
    assert first.steps == second.steps == expected and len(expected) == lines
    first.steps.clear()
    assert second.steps == expected


@pytest.mark.parametrize(
    "command, image, args",
    [
        pytest.param([], "nginx:1.27", None, id="an image's default process"),
        pytest.param(["sh", "-c", "echo hello; sleep 5; exit 3"], "busybox", None, id="a shell script"),
        pytest.param(["sleep"], "busybox", ["3600"], id="a command with its arguments in args"),
        pytest.param([], "busybox", ["echo", "hi"], id="arguments with no command"),
        pytest.param(["sh", "-c", "while true; do echo tick; sleep 1; done"], "busybox", None, id="a loop"),
        pytest.param(["nginxx"], "nginx", None, id="an executable the image does not have"),
    ],
)
def test_a_remembered_program_equals_a_fresh_parse(command, image, args):
    from k8slearn.kubelet.process import parse_program
    from k8slearn.kubelet.runtime import _program

    remembered = _program(tuple(command), image, tuple(args or ()))
    assert remembered == parse_program(command, image, args)
    assert _program(tuple(command), image, tuple(args or ())) is remembered


def test_containers_of_one_template_share_their_program_and_keep_their_own_logs():
    cluster = Cluster(workers=1, seed=0)
    for name in ("a", "b"):
        pod = _pod(name)
        pod["spec"]["containers"][0].update(image="busybox", command=["sh", "-c", "echo hello; sleep 3600"])
        cluster.api.create(pod)
    cluster.settle()
    runtime = cluster.kubelets["node-1"].runtime
    records = sorted(runtime.containers.values(), key=lambda c: c.pod_name)
    assert [r.pod_name for r in records] == ["a", "b"] and records[0].program is records[1].program
    assert [runtime.logs(r.id) for r in records] == ["hello\n", "hello\n"]
    assert [r.state for r in records] == ["CONTAINER_RUNNING", "CONTAINER_RUNNING"]


@pytest.mark.parametrize(
    "frozen, shared",
    [
        pytest.param(True, True, id="a pod's read-only labels are kept as they are, not copied"),
        pytest.param(False, False, id="labels that someone could change are copied"),
    ],
)
def test_a_sandbox_keeps_the_pods_labels(frozen, shared):
    from k8slearn.api.meta import freeze
    from k8slearn.kubelet.runtime import _labels

    labels = freeze({"app": "web"}) if frozen else {"app": "web"}
    kept = _labels(labels)
    assert kept == {"app": "web"} and (kept is labels) is shared
    assert _labels(None) == {}


@pytest.mark.parametrize(
    "command, expected",
    [
        pytest.param(None, "".join(f"{line}\n" for line in NGINX_BANNER), id="nginx prints its banner at once"),
        pytest.param(["sh", "-c", "echo a; echo b; sleep 1; echo c; sleep 3600"], "a\nb\nc\n",
                     id="lines printed at two instants read in order"),
        pytest.param(["sh", "-c", "echo only; sleep 3600"], "only\n", id="a single line"),
    ],
)
def test_two_containers_printing_the_same_lines_read_the_same_log(command, expected):
    cluster = Cluster(workers=1, seed=0)
    for name in ("a", "b"):
        pod = _pod(name)
        if command:
            pod["spec"]["containers"][0].update(image="busybox", command=command)
        cluster.api.create(pod)
    cluster.settle()
    cluster.run(2.0)
    runtime = cluster.kubelets["node-1"].runtime
    records = sorted(runtime.containers.values(), key=lambda c: c.pod_name)
    assert [runtime.logs(r.id) for r in records] == [expected, expected]
    assert records[0].logs[0][1] is records[1].logs[0][1]  # the lines are one shared tuple



@pytest.mark.parametrize(
    "steps, phase, reason, message",
    [
        pytest.param([("a", "1500m", None), ("n", None, None), ("b", "1", None)], "Failed", "OutOfcpu",
                     OUT_OF_CPU, id="a pod that requests nothing adds nothing to what is used"),
        pytest.param([("a", "2", "4Gi"), ("n", None, None)], "Running", None, None,
                     id="a pod that requests nothing fits on a full node"),
        pytest.param([("n", None, None), ("m", None, None), ("b", "2", None)], "Running", None, None,
                     id="a pod may take the whole node next to pods that request nothing"),
    ],
)
def test_admission_skips_pods_that_request_nothing(steps, phase, reason, message):
    test_admission_counts_the_requests_of_the_admitted_pods(steps, phase, reason, message)


@pytest.mark.parametrize(
    "kind, name, field_path, verb, message",
    [
        pytest.param("containers", "app", "spec.containers{app}", "Created", "Created container app",
                     id="an app container's field path and Created message"),
        pytest.param("initContainers", "init-db", "spec.initContainers{init-db}", "Started",
                     "Started container init-db", id="an init container's field path and Started message"),
    ],
)
def test_shared_event_strings_read_as_the_formatted_text(kind, name, field_path, verb, message):
    from k8slearn.kubelet.image_manager import _present, _pulling
    from k8slearn.kubelet.kuberuntime import _field_path, _message

    assert _field_path(kind, name) == field_path and _field_path(kind, name) is _field_path(kind, name)
    assert _message(verb, name) == message and _message(verb, name) is _message(verb, name)
    assert _present(name) == f'Container image "{name}" already present on machine'
    assert _pulling(name) == f'Pulling image "{name}"'


def test_a_pod_state_waits_in_its_own_dict_and_never_in_the_shared_empty_one():
    from k8slearn.kubelet.pod_workers import _NO_WAITING, PodState

    first, second = PodState("u1", "default", "a"), PodState("u2", "default", "b")
    assert first.waiting is second.waiting is _NO_WAITING
    first.set_waiting("app", ("ContainerCreating", ""))
    first.clear_waiting("other")
    assert first.waiting == {"app": ("ContainerCreating", "")} and second.waiting == {} == _NO_WAITING
    first.clear_waiting("app")
    second.clear_waiting("app")
    assert first.waiting is second.waiting is _NO_WAITING == {}


@pytest.mark.parametrize(
    "command, phase",
    [
        pytest.param(None, "Running", id="a running pod"),
        pytest.param(["sh", "-c", "exit 0"], "Succeeded", id="a pod whose container finished"),
    ],
)
def test_the_kept_status_is_the_informers_copy_and_equals_a_fresh_one(command, phase):
    from k8slearn.kubelet.status import generate_api_pod_status

    cluster = Cluster(workers=1, seed=0)
    pod = _pod("a")
    if command:
        pod["spec"]["containers"][0].update(image="busybox", command=command)
        pod["spec"]["restartPolicy"] = "Never"
    cluster.api.create(pod)
    cluster.settle()
    kubelet = cluster.kubelets["node-1"]
    (state,) = kubelet.workers.states.values()
    current = kubelet.workers._current(state)
    fresh = generate_api_pod_status(current, state, kubelet.runtime, kubelet.ip, cluster.now)
    assert state.last_status is current["status"]  # no second copy of the same status
    assert state.last_status == fresh and fresh["phase"] == phase


def _etcd(cluster):
    return [(kv.key, kv.mod_revision, kv.value) for kv in cluster.etcd.range("/")]


@pytest.mark.parametrize(
    "component, action",
    [
        pytest.param("kubelet/node-1", "SyncPod", id="the kubelet asking for a sandbox"),
        pytest.param("containerd/node-1", "RunPodSandbox", id="the runtime starting the pause container"),
        pytest.param("cni/node-1", "ADD", id="the CNI plugin wiring the sandbox"),
        pytest.param("containerd/node-1", "PullImage", id="the runtime pulling the image"),
        pytest.param("containerd/node-1", "ImagePulled", id="the runtime finishing the pull"),
        pytest.param("containerd/node-1", "CreateContainer", id="the runtime creating the container"),
        pytest.param("containerd/node-1", "StartContainer", id="the runtime starting the container"),
    ],
)
def test_trace_lines_formatted_only_while_tracing_leave_the_run_unchanged(component, action):
    runs = {}
    for tracing in (True, False):
        cluster = Cluster(workers=1, seed=0, trace=tracing)
        cluster.api.create(_pod("a"))
        cluster.settle()
        runs[tracing] = cluster
    traced, untraced = runs[True], runs[False]
    lines = [s.object for s in traced.trace if (s.component, s.action) == (component, action)]
    assert lines == ["pod/default/a"]
    assert untraced.trace == []
    assert _etcd(untraced) == _etcd(traced) and untraced.now == traced.now
    (sandbox,) = untraced.kubelets["node-1"].runtime.sandboxes.values()
    assert sandbox.ip == "10.244.1.2"
