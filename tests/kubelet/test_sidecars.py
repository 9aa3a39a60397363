"""Native sidecars (KEP-753): init containers with ``restartPolicy: Always``, end to end on a simulated node.

The pods follow the Kubernetes documentation's sidecar examples (a log shipper beside an app, a
Job whose pod has a sidecar) and what a student meets next: a sidecar with a startup probe, one
that crashes, one that fails its liveness probe, and the order in which a deleted pod's
containers stop.
"""

from types import SimpleNamespace

import pytest

from k8slearn import Cluster
from k8slearn.kubelet.init_containers import compute_init_container_actions
from k8slearn.kubelet.probe import FAILURE, UNKNOWN

SHIPPER = {"name": "logshipper", "image": "busybox", "restartPolicy": "Always",
           "command": ["sh", "-c", "while true; do echo shipped; sleep 10; done"]}
PROXY = {"name": "proxy", "image": "nginx", "restartPolicy": "Always"}
APP = {"name": "app", "image": "nginx"}


def start(init: list, containers: list | None = None, restart: str = "Always", seconds: float = 0,
          warm: float = 0):
    """A 1-worker cluster (seed 0) running pod ``web``; settled, then ``seconds`` more. ``warm``:
    seconds the cluster runs before the pod is created (a kubelet up for longer than a probe's
    period starts probing without a random delay, so probe times do not depend on the seed)."""
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    cluster.run(warm)
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                        "spec": {"restartPolicy": restart, "initContainers": init,
                                 "containers": containers or [APP]}})
    cluster.settle()
    cluster.run(seconds)
    return cluster


def status(cluster) -> dict:
    return cluster.api.get("pods", "web")["status"]


def row(cluster) -> list[str]:
    """READY, STATUS, RESTARTS of ``kubectl get pod web``."""
    line = cluster.kubectl("get pod web").stdout.splitlines()[1].split()
    return [line[1], line[2], " ".join(line[3:-1])]


def conditions(cluster) -> dict:
    return {c["type"]: c["status"] for c in status(cluster)["conditions"]}


def events(cluster, reason: str) -> list[tuple[str, str]]:
    return [(e["message"], e["involvedObject"].get("fieldPath", ""))
            for e in cluster.api.list("events", namespace="default")
            if e["reason"] == reason and e["involvedObject"]["kind"] == "Pod"]


def stops(cluster, since: float) -> list[tuple[float, str]]:
    """(seconds after ``since``, container) of every StopContainer (SIGTERM) in the trace."""
    return [(round(s.time - since, 1), s.detail.split()[2].rstrip(","))
            for s in cluster.trace if s.action == "StopContainer" and s.time >= since]


# -- a running pod with a sidecar ------------------------------------------------------------------
def test_a_pod_with_a_log_shipper_sidecar_runs_with_both_containers_ready():
    cluster = start([SHIPPER])
    assert row(cluster) == ["2/2", "Running", "0"]
    (sidecar,) = status(cluster)["initContainerStatuses"]
    assert (sidecar["started"], sidecar["ready"], "running" in sidecar["state"]) == (True, True, True)
    assert status(cluster)["phase"] == "Running"
    assert conditions(cluster) == {"PodReadyToStartContainers": "True", "Initialized": "True", "Ready": "True",
                                   "ContainersReady": "True", "PodScheduled": "True"}
    started = [m for m, _ in events(cluster, "Started")]
    assert started == ["Started container logshipper", "Started container app"]  # the sidecar first
    described = cluster.kubectl("describe pod web").stdout
    sidecar_block = described[described.index("Init Containers:"):described.index("Containers:\n  app:")]
    assert "    State:          Running\n" in sidecar_block and "    Ready:          True\n" in sidecar_block
    assert "Restart Policy" not in described  # kubectl describe does not print a container's restartPolicy


@pytest.mark.parametrize(
    "seconds, ready, shown, started",
    [
        (5, "0/3", "Init:0/3", ["proxy"]),
        (12, "1/3", "Init:1/3", ["proxy", "migrate"]),
        (16, "3/3", "Running", ["proxy", "migrate", "logshipper", "app"]),
    ],
    ids=[
        "until its startup probe passes the sidecar holds up the next init container",
        "once the proxy started the plain init container runs, and the proxy counts as ready",
        "after the plain one exited the second sidecar starts at once, then the app",
    ],
)
def test_a_sidecar_with_a_startup_probe_delays_the_next_init_container_and_the_app(
        seconds, ready, shown, started):
    probed = {**PROXY, "startupProbe": {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5,
                                        "periodSeconds": 5}}
    migrate = {"name": "migrate", "image": "busybox", "command": ["sh", "-c", "sleep 3"]}
    cluster = start([probed, migrate, SHIPPER], warm=10)
    cluster.run(10 + seconds - cluster.now)  # seconds after the pod was created
    assert row(cluster)[:2] == [ready, shown]
    assert [m.split()[-1] for m, _ in events(cluster, "Started")] == started


def test_a_sidecar_that_exits_is_restarted_with_back_off_while_the_app_keeps_running():
    crashing = {**SHIPPER, "command": ["sh", "-c", "sleep 5; exit 1"]}
    # the pod's restartPolicy does not apply; at 45 s the third run (ended at 30 s) has been found in
    # its 20 s back-off by the look after the one that wrote it Terminated (Init:Error)
    cluster = start([crashing], restart="Never", seconds=45)
    sidecar = status(cluster)["initContainerStatuses"][0]
    app = status(cluster)["containerStatuses"][0]
    assert (sidecar["restartCount"], sidecar["state"]["waiting"]["reason"]) == (2, "CrashLoopBackOff")
    assert (app["restartCount"], "running" in app["state"]) == (0, True)
    assert status(cluster)["phase"] == "Running"
    assert row(cluster) == ["1/2", "Init:CrashLoopBackOff", "2 (17s ago)"]
    assert conditions(cluster)["Initialized"] == "True"  # the app had started: still initialized
    backoff = events(cluster, "BackOff")[0]
    assert backoff[1] == "spec.initContainers{logshipper}"


def test_a_job_whose_pod_has_a_sidecar_completes_once_its_main_container_has():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "report"},
           "spec": {"template": {"spec": {"restartPolicy": "Never", "initContainers": [SHIPPER],
                                          "containers": [{"name": "main", "image": "busybox",
                                                          "command": ["sh", "-c", "sleep 5"]}]}}}}
    cluster.api.create(job)
    cluster.settle()
    cluster.run(10)
    (pod,) = cluster.api.list("pods", namespace="default")
    assert pod["status"]["phase"] == "Running"  # main is done; the shell ignores SIGTERM for 30 s
    assert events(cluster, "Killing") == [("Stopping container logshipper", "spec.initContainers{logshipper}")]
    cluster.run(40)
    (pod,) = cluster.api.list("pods", namespace="default")
    sidecar = pod["status"]["initContainerStatuses"][0]["state"]["terminated"]
    assert (pod["status"]["phase"], sidecar["exitCode"]) == ("Succeeded", 137)
    conditions = {c["type"]: c for c in cluster.api.get("jobs", "report")["status"]["conditions"]}
    assert conditions["Complete"]["status"] == "True"


@pytest.mark.parametrize(
    "containers, expected",
    [
        ([APP], [(0.0, "app"), (0.1, "proxy"), (0.2, "logshipper")]),
        ([APP, {"name": "worker", "image": "busybox", "command": ["sh", "-c", "sleep 1000"]}],
         [(0.0, "app"), (0.0, "worker"), (30.0, "proxy"), (30.0, "logshipper")]),
    ],
    ids=[
        "the app stops first, then the sidecars in reverse order, each once the later one has stopped",
        "an app that ignores SIGTERM uses up the grace period and the sidecars then get 2 s",
    ],
)
def test_deleting_a_pod_stops_the_app_before_its_sidecars(containers, expected):
    cluster = start([SHIPPER, PROXY], containers)
    since = cluster.now
    cluster.kubectl("delete pod web --wait=false")
    cluster.run(60)
    assert stops(cluster, since) == expected
    grace = [s.detail.rsplit(" ", 2)[-2] for s in cluster.trace if s.action == "StopContainer" and s.time >= since]
    assert grace == (["30s", "30s", "30s"] if len(containers) == 1 else ["30s", "30s", "2s", "2s"])
    assert cluster.api.list("pods", namespace="default") == []


def test_a_sidecar_failing_its_liveness_probe_is_killed_and_started_again():
    liveness = {"exec": {"command": ["cat", "/tmp/healthy"]}, "periodSeconds": 5}
    sidecar = {**SHIPPER, "command": ["sh", "-c", "touch /tmp/healthy; sleep 20; rm -f /tmp/healthy; sleep 600"],
               "livenessProbe": liveness}
    cluster = start([sidecar], seconds=80)  # the shell ignores SIGTERM: 30 s until SIGKILL
    assert events(cluster, "Killing") == [("Init container logshipper failed liveness probe",
                                           "spec.initContainers{logshipper}")]
    unhealthy = events(cluster, "Unhealthy")
    assert unhealthy[0] == ("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n",
                            "spec.initContainers{logshipper}")
    assert status(cluster)["initContainerStatuses"][0]["restartCount"] == 1
    assert status(cluster)["containerStatuses"][0]["restartCount"] == 0


def test_a_sidecar_that_is_not_ready_keeps_the_pod_unready():
    sidecar = {**PROXY, "readinessProbe": {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 5}}
    cluster = start([sidecar], seconds=20)
    assert row(cluster)[:2] == ["1/2", "Running"]
    ready = next(c for c in status(cluster)["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["message"]) == ("False", "containers with unready status: [proxy]")


def test_a_failed_init_container_with_restart_policy_never_fails_the_pod_and_stops_its_sidecar():
    failing = {"name": "migrate", "image": "busybox", "command": ["sh", "-c", "sleep 2; exit 3"]}
    cluster = start([PROXY, failing], restart="Never", seconds=10)
    assert status(cluster)["phase"] == "Failed"
    assert row(cluster)[:2] == ["0/2", "Init:Error"]
    assert events(cluster, "Killing") == [("Stopping container proxy", "spec.initContainers{proxy}")]


@pytest.mark.parametrize(
    "seconds, started, ready",
    [(1, True, False), (10, False, True)],
    ids=["a plain init container that runs is started but not ready",
         "a plain init container that exited 0 is ready and no longer started"],
)
def test_a_plain_init_containers_started_and_ready(seconds, started, ready):
    plain = {"name": "migrate", "image": "busybox", "command": ["sh", "-c", "sleep 3"]}
    cluster = start([plain], seconds=seconds)
    entry = status(cluster)["initContainerStatuses"][0]
    assert (entry["started"], entry["ready"]) == (started, ready)


# -- computeInitContainerActions on its own --------------------------------------------------------
def rec(state: str, exit_code: int = 0, cid: str = "c") -> SimpleNamespace:
    return SimpleNamespace(state=f"CONTAINER_{state}", exit_code=exit_code, id=cid)


PLAIN, SIDECAR = {"name": "init"}, {"name": "side", "restartPolicy": "Always"}
PROBED = {**SIDECAR, "startupProbe": {}}
LIVE = {**SIDECAR, "livenessProbe": {}}


@pytest.mark.parametrize(
    "inits, records, restart, startup, liveness, expected",
    [
        ([SIDECAR, PLAIN], {}, "Always", None, None, (False, [0], [], False)),
        ([SIDECAR, PLAIN], {"side": rec("RUNNING")}, "Always", None, None, (False, [1], [], False)),
        ([PROBED, PLAIN], {"side": rec("RUNNING")}, "Always", UNKNOWN, None, (False, [], [], False)),
        ([PROBED, PLAIN], {"side": rec("RUNNING")}, "Always", FAILURE, None,
         (False, [0], [(0, "Init container side failed startup probe", "startup")], False)),
        ([PLAIN, SIDECAR], {"init": rec("EXITED"), "side": rec("RUNNING")}, "Always", None, None,
         (True, [], [], False)),
        ([SIDECAR], {"side": rec("EXITED", 1), "app": rec("RUNNING")}, "Never", None, None, (True, [0], [], False)),
        ([LIVE], {"side": rec("RUNNING"), "app": rec("RUNNING")}, "Always", None, FAILURE,
         (True, [0], [(0, "Init container side failed liveness probe", "liveness")], False)),
        ([SIDECAR, PLAIN], {"side": rec("RUNNING"), "init": rec("EXITED", 2)}, "Never", None, None,
         (False, [], [], True)),
        ([SIDECAR, PLAIN], {"side": rec("RUNNING"), "init": rec("EXITED", 2)}, "OnFailure", None, None,
         (False, [1], [], False)),
        ([PLAIN, SIDECAR], {"app": rec("RUNNING")}, "Always", None, None, (True, [1], [], False)),
    ],
    ids=[
        "nothing ran yet: the first init container starts",
        "a sidecar without a startup probe that runs lets the next init container start",
        "a sidecar whose startup probe has not passed holds everything up",
        "a sidecar whose startup probe failed is killed and started again",
        "the pod is initialized once the last init container, a sidecar, has started",
        "an exited sidecar is started again even with restartPolicy Never",
        "a sidecar that failed its liveness probe is killed and started again, the pod stays initialized",
        "a failed plain init container with restartPolicy Never kills the pod",
        "a failed plain init container with restartPolicy OnFailure runs again",
        "after the app ran, a sidecar whose container is gone is started again, the plain one is not",
    ],
)
def test_compute_init_container_actions(inits, records, restart, startup, liveness, expected):
    pod = {"spec": {"restartPolicy": restart, "initContainers": inits, "containers": [{"name": "app"}]}}
    got = compute_init_container_actions(pod, records.get, lambda cid: startup, lambda cid: liveness)
    assert got == expected


@pytest.mark.parametrize(
    "container, expected",
    [
        ("logshipper", "shipped\nshipped\nshipped\n"),
        (None, ("a container name must be specified for pod web, choose one of: [app worker] "
                "or one of the init containers: [logshipper]")),
    ],
    ids=["the kubelet serves a sidecar's log by its name",
         "without a name the kubelet lists the init containers after the containers"],
)
def test_a_sidecars_log(container, expected):
    worker = {"name": "worker", "image": "busybox", "command": ["sh", "-c", "sleep 1000"]}
    cluster = start([SHIPPER], [APP, worker], seconds=25)
    try:
        text = cluster.logs("default", "web", container)
    except ValueError as err:
        text = str(err)
    assert text == expected


def test_before_its_init_container_is_created_a_pod_shows_init_0_of_1_and_both_wait_for_pod_initializing():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    plain = {"name": "migrate", "image": "busybox", "command": ["sh", "-c", "sleep 3"]}
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                        "spec": {"initContainers": [plain], "containers": [APP]}})
    while "initContainerStatuses" not in status(cluster):
        cluster.step()  # the kubelet's first status: the sandbox is on its way
    waiting = [s["state"]["waiting"]["reason"]
               for s in status(cluster)["initContainerStatuses"] + status(cluster)["containerStatuses"]]
    assert waiting == ["PodInitializing", "PodInitializing"]  # convertToAPIContainerStatuses' default
    assert row(cluster) == ["0/1", "Init:0/1", "0"]


@pytest.mark.parametrize(
    "sidecar, shown, reason",
    [
        # the status shows the last pull's error and the back-off in turn, 10 to 15 s each
        ({**PROXY, "image": "nginxx"}, "Init:ErrImagePull", "ErrImagePull"),
        ({**PROXY, "command": ["nginxx"]}, "Init:CrashLoopBackOff", "CrashLoopBackOff"),
    ],
    ids=["a sidecar whose image cannot be pulled holds the pod in Init:ErrImagePull and Init:ImagePullBackOff",
         "a sidecar whose executable is missing crash-loops and the app never starts"],
)
def test_a_sidecar_that_cannot_start_holds_up_the_pod(sidecar, shown, reason):
    cluster = start([sidecar], seconds=60)
    assert row(cluster)[:2] == ["0/2", shown]
    if reason == "ErrImagePull":
        cluster.run(15)  # the next look: the back-off
        assert row(cluster)[:2] == ["0/2", "Init:ImagePullBackOff"]
        reason = "ImagePullBackOff"
    assert status(cluster)["initContainerStatuses"][0]["state"]["waiting"]["reason"] == reason
    assert (status(cluster)["phase"], "containerID" in status(cluster)["containerStatuses"][0]) == ("Pending", False)


def test_kubectl_logs_and_exec_reach_a_sidecar_by_name_and_list_it_among_the_choices():
    cluster = start([SHIPPER], seconds=25)
    logs = cluster.kubectl("logs web -c logshipper")
    assert (logs.stdout, logs.stderr) == ("shipped\nshipped\nshipped\n", "")
    default = cluster.kubectl("logs web")
    assert default.stderr == 'Defaulted container "app" out of: app, logshipper (init)\n'
    ran = cluster.kubectl("exec web -c logshipper -- hostname")
    assert (ran.stdout, ran.stderr, ran.code) == ("web\n", "", 0)
    assert cluster.kubectl("exec web -- hostname").stderr == 'Defaulted container "app" out of: app, logshipper (init)\n'


@pytest.mark.parametrize("sidecar_cpu, phase", [("500m", "Running"), ("1500m", "Failed")],
                         ids=["a pod whose app and sidecar fit the node is admitted",
                              "the kubelet counts the sidecar's request too and rejects a pod that does not fit"])
def test_the_kubelet_admits_a_pod_with_its_sidecars_requests(sidecar_cpu, phase):
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    allocatable = cluster.api.get("nodes", "node-1")["status"]["allocatable"]["cpu"]
    assert allocatable == "2"
    sidecar = {**SHIPPER, "resources": {"requests": {"cpu": sidecar_cpu}}}
    app = {**APP, "resources": {"requests": {"cpu": "1"}}}
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                        "spec": {"nodeName": "node-1", "initContainers": [sidecar], "containers": [app]}})
    cluster.settle()
    status = cluster.api.get("pods", "web")["status"]
    assert status["phase"] == phase
    if phase == "Failed":
        message = "Pod was rejected: Node didn't have enough resource: cpu, requested: 2500, used: 0, capacity: 2000"
        assert (status["reason"], status["message"]) == ("OutOfcpu", message)
