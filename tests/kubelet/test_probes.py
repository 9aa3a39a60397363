"""Liveness, readiness and startup probes, end to end: the kubelet's prober on a simulated node.

The pods are the Kubernetes documentation's own examples (liveness-exec, liveness-http,
goproxy's tcpSocket probes) and the failures a student meets (a wrong path, a wrong port, a
port name that does not exist, a command that is not in the image).
"""

import pytest
import yaml

from k8slearn import Cluster
from k8slearn.kubelet.exec_sync import ExecError, exec_sync
from k8slearn.kubelet.process import parse_program
from k8slearn.kubelet.servers import NGINX_WELCOME, Server

BUSYBOX_LIVENESS = {
    "name": "liveness",
    "image": "registry.k8s.io/busybox:1.27.2",
    "args": ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
    "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5, "periodSeconds": 5},
}
AGNHOST_LIVENESS = {
    "name": "liveness",
    "image": "registry.k8s.io/e2e-test-images/agnhost:2.40",
    "args": ["liveness"],
    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "initialDelaySeconds": 3, "periodSeconds": 3},
}


def nginx(probe_kind: str, probe: dict, **extra) -> dict:
    return {"name": "web", "image": "nginx", probe_kind: probe, **extra}


def start(containers: list[dict], restart: str = "Always", name: str = "probed", labels: dict | None = None):
    """A 2-worker cluster (seed 0) with one pod of ``containers``, settled; (cluster, start time)."""
    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    metadata = {"name": name, **({"labels": labels} if labels else {})}
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
           "spec": {"restartPolicy": restart, "containers": containers}}
    cluster.api.create(pod)
    cluster.settle()
    return cluster


def events(cluster, reason: str, name: str = "probed") -> list[dict]:
    return [e for e in cluster.api.list("events", namespace="default")
            if e["reason"] == reason and e["involvedObject"]["name"] == name]


def status(cluster, name: str = "probed") -> dict:
    return cluster.api.get("pods", name)["status"]


def container_status(cluster, name: str = "probed") -> dict:
    return status(cluster, name)["containerStatuses"][0]


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp[11:19].split(":")
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) - 9 * 3600  # the sim's day starts at 09:00


# -- the documentation's liveness examples --------------------------------------------------------
def test_an_exec_liveness_probe_restarts_the_container_once_its_file_is_gone():
    cluster = start([BUSYBOX_LIVENESS])
    cluster.run(29)
    assert container_status(cluster)["restartCount"] == 0
    assert events(cluster, "Unhealthy") == []  # the file exists for the first 30 s
    cluster.run(26)
    unhealthy = events(cluster, "Unhealthy")
    assert len(unhealthy) == 1 and unhealthy[0]["count"] == 3  # failureThreshold 3, every 5 s
    assert unhealthy[0]["type"] == "Warning"
    assert unhealthy[0]["message"] == "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n"
    assert unhealthy[0]["involvedObject"]["fieldPath"] == "spec.containers{liveness}"
    killing = events(cluster, "Killing")
    assert [(e["type"], e["message"]) for e in killing] == [
        ("Normal", "Container liveness failed liveness probe, will be restarted")]
    # sh ignores SIGTERM: it dies by SIGKILL at the end of the 30 s grace period, then starts again
    cluster.run(25)
    restarted = container_status(cluster)
    assert restarted["restartCount"] == 1
    assert restarted["lastState"]["terminated"]["exitCode"] == 137
    assert restarted["ready"] is True and "running" in restarted["state"]


def test_an_http_liveness_probe_restarts_agnhost_after_its_healthz_turns_500():
    cluster = start([AGNHOST_LIVENESS])
    cluster.run(30)
    assert [e["message"] for e in events(cluster, "Unhealthy")] == [
        "Liveness probe failed: HTTP probe failed with statuscode: 500"]
    assert events(cluster, "Killing")[0]["message"] == "Container liveness failed liveness probe, will be restarted"
    cs = container_status(cluster)
    assert cs["restartCount"] == 1
    # a Go program with no SIGTERM handler, as PID 1, exits with status 2
    assert (cs["lastState"]["terminated"]["reason"], cs["lastState"]["terminated"]["exitCode"]) == ("Error", 2)


def test_repeated_liveness_kills_end_in_crash_loop_back_off():
    cluster = start([AGNHOST_LIVENESS])
    waiting = []
    for _ in range(60):
        cluster.run(5)
        waiting.append(container_status(cluster)["state"].get("waiting", {}).get("message", ""))
    uid = cluster.api.get("pods", "probed")["metadata"]["uid"]
    assert f"back-off 20s restarting failed container=liveness pod=probed_default({uid})" in waiting
    assert container_status(cluster)["restartCount"] >= 4
    # (after 25 kubelet events for the pod, the recorder's spam filter drops the rest, as upstream's)


# -- readiness -----------------------------------------------------------------------------------
def test_a_passing_readiness_probe_makes_the_pod_ready_as_soon_as_it_starts():
    cluster = start([nginx("readinessProbe", {"httpGet": {"path": "/", "port": 80}})])
    conditions = {c["type"]: c["status"] for c in status(cluster)["conditions"]}
    assert conditions["Ready"] == conditions["ContainersReady"] == "True"
    assert container_status(cluster)["ready"] is True
    assert events(cluster, "Unhealthy") == []


@pytest.mark.parametrize(
    "probe, message",
    [
        ({"httpGet": {"path": "/healthz", "port": 80}},
         "Readiness probe failed: HTTP probe failed with statuscode: 404"),
        ({"httpGet": {"path": "/", "port": 8080}},
         'Readiness probe failed: Get "http://{ip}:8080/": dial tcp {ip}:8080: connect: connection refused'),
        ({"httpGet": {"path": "/", "port": 80, "scheme": "HTTPS"}},
         'Readiness probe failed: Get "https://{ip}:80/": http: server gave HTTP response to HTTPS client'),
        ({"tcpSocket": {"port": 81}}, "Readiness probe failed: dial tcp {ip}:81: connect: connection refused"),
        ({"exec": {"command": ["cat", "/tmp/ready"]}},
         "Readiness probe failed: cat: /tmp/ready: No such file or directory\n"),
        ({"exec": {"command": ["sh", "-c", "exit 3"]}}, "Readiness probe failed: "),
    ],
    ids=[
        "a path nginx does not serve fails with 404",
        "a port nothing listens on refuses the connection",
        "https to a plain http server fails as Go's client does",
        "a tcp probe to a closed port is refused",
        "an exec probe for a missing file fails with GNU cat's message in a Debian image",
        "an exec probe that exits non-zero with no output fails with an empty output",
    ],
)
def test_a_failing_readiness_probe_keeps_the_pod_running_but_not_ready(probe, message):
    cluster = start([nginx("readinessProbe", {**probe, "periodSeconds": 5})])
    cluster.run(30)
    ip = status(cluster)["podIP"]
    assert [e["message"] for e in events(cluster, "Unhealthy")] == [message.format(ip=ip)]
    ready = next(c for c in status(cluster)["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "False", "ContainersNotReady", "containers with unready status: [web]")
    assert status(cluster)["phase"] == "Running"
    assert container_status(cluster)["restartCount"] == 0  # readiness never restarts anything
    assert cluster.kubectl("get pod probed").stdout.splitlines()[1].split()[1:3] == ["0/1", "Running"]


@pytest.mark.parametrize(
    "probe, message",
    [
        ({"httpGet": {"path": "/", "port": "http"}}, 'Readiness probe errored: strconv.Atoi: parsing "http": invalid syntax'),
        ({"exec": {"command": ["curlx", "localhost"]}},
         ('Readiness probe errored: rpc error: code = Unknown desc = failed to exec in container: failed to start exec '
          '"{id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "curlx": '
          "executable file not found in $PATH: unknown")),
    ],
    ids=["a port name the container does not declare", "a command that is not in the image"],
)
def test_a_probe_that_errors_is_reported_and_its_result_thrown_away(probe, message):
    cluster = start([nginx("readinessProbe", probe)])
    cluster.run(25)
    errored = events(cluster, "Unhealthy")
    assert len(errored) >= 1
    for event in errored:  # (each exec has its own id, so those events are not aggregated)
        text = event["message"]
        expected = message
        if "{id}" in message:
            exec_id = text.split('failed to start exec "')[1].split('"')[0]
            assert len(exec_id) == 64
            expected = message.replace("{id}", exec_id)
        assert text == expected
    assert container_status(cluster)["ready"] is False  # readiness stays at its initial Failure


def test_a_service_lists_only_the_ready_pod_as_an_endpoint():
    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    for name, path in (("ready", "/"), ("unready", "/healthz")):
        cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "web"}},
                            "spec": {"containers": [nginx("readinessProbe", {"httpGet": {"path": path, "port": 80}})]}})
    cluster.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}})
    cluster.settle()
    cluster.run(15)
    subset = cluster.api.get("endpoints", "web")["subsets"][0]
    assert [a["targetRef"]["name"] for a in subset["addresses"]] == ["ready"]
    assert [a["targetRef"]["name"] for a in subset["notReadyAddresses"]] == ["unready"]


def test_a_readiness_probe_with_an_initial_delay_keeps_goproxy_unready_until_it_passes():
    probe = {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 15, "periodSeconds": 10}
    cluster = start([{"name": "goproxy", "image": "registry.k8s.io/goproxy:0.1",
                      "ports": [{"containerPort": 8080}], "readinessProbe": probe, "livenessProbe": dict(probe)}])
    cluster.run(12)
    assert container_status(cluster)["ready"] is False
    cluster.run(15)
    assert container_status(cluster)["ready"] is True
    assert events(cluster, "Unhealthy") == [] and events(cluster, "Killing") == []


# -- startup -------------------------------------------------------------------------------------
def test_a_startup_probe_holds_started_and_ready_until_it_passes():
    startup = {"exec": {"command": ["cat", "/tmp/started"]}, "periodSeconds": 2, "failureThreshold": 30}
    cluster = start([{"name": "app", "image": "busybox", "command": ["sh", "-c", "sleep 8; touch /tmp/started; sleep 3600"],
                      "startupProbe": startup, "readinessProbe": {"exec": {"command": ["true"]}}}])
    cs = container_status(cluster)
    assert (cs["started"], cs["ready"]) == (False, False)
    cluster.run(15)
    cs = container_status(cluster)
    assert (cs["started"], cs["ready"], cs["restartCount"]) == (True, True, 0)


def test_a_startup_probe_that_never_passes_kills_the_container():
    startup = {"httpGet": {"path": "/healthz", "port": 80}, "periodSeconds": 2, "failureThreshold": 3}
    cluster = start([nginx("startupProbe", startup)])
    cluster.run(10)  # 3 failures 2 s apart (after up to one period of start-up jitter): one kill, not two
    killing = events(cluster, "Killing")
    assert [(e["message"], e["count"]) for e in killing] == [("Container web failed startup probe, will be restarted", 1)]
    assert container_status(cluster)["restartCount"] == 1
    assert container_status(cluster)["started"] is False  # the new container has not passed either


# -- restart policy, grace period and deletion ---------------------------------------------------
def test_with_restart_policy_never_a_liveness_failure_ends_the_pod():
    cluster = start([dict(BUSYBOX_LIVENESS, livenessProbe=dict(BUSYBOX_LIVENESS["livenessProbe"],
                                                                terminationGracePeriodSeconds=5))],
                    restart="Never")
    cluster.run(60)
    assert [e["message"] for e in events(cluster, "Killing")] == ["Container liveness failed liveness probe"]
    assert status(cluster)["phase"] == "Failed"
    terminated = container_status(cluster)["state"]["terminated"]
    assert (terminated["exitCode"], container_status(cluster)["restartCount"]) == (137, 0)


def test_the_probes_terminationGracePeriodSeconds_shortens_the_kill():
    probe = dict(BUSYBOX_LIVENESS["livenessProbe"], terminationGracePeriodSeconds=3)
    cluster = start([dict(BUSYBOX_LIVENESS, livenessProbe=probe)])
    cluster.run(55)  # third failure by ~46 s; SIGKILL 3 s later, not 30
    cs = container_status(cluster)
    assert cs["restartCount"] == 1
    killed_at = _seconds(events(cluster, "Killing")[0]["lastTimestamp"])
    assert _seconds(cs["lastState"]["terminated"]["finishedAt"]) - killed_at in (3, 4)


def test_a_deleted_pod_is_not_probed_or_restarted_while_it_terminates():
    cluster = start([AGNHOST_LIVENESS])
    cluster.run(5)
    cluster.api.delete("pods", "probed")
    cluster.run(60)
    assert events(cluster, "Unhealthy") == []
    assert cluster.kubelets["node-1"].workers.prober.workers == {}
    assert cluster.kubelets["node-2"].workers.prober.workers == {}


def test_probes_are_deterministic_for_a_seed():
    def trace():
        cluster = start([AGNHOST_LIVENESS, dict(nginx("readinessProbe", {"httpGet": {"path": "/", "port": 80}}))])
        cluster.run(90)
        return cluster.loop.trace_text()

    assert trace() == trace()


# -- the pieces: what runs in the container ------------------------------------------------------
@pytest.mark.parametrize(
    "argv, image, files, expected",
    [
        (["cat", "/tmp/healthy"], "busybox", {"/tmp/healthy": True}, (0, "")),
        (["cat", "/tmp/healthy"], "busybox", {"/tmp/healthy": False},
         (1, "cat: can't open '/tmp/healthy': No such file or directory\n")),
        (["cat", "/tmp/healthy"], "nginx", None, (1, "cat: /tmp/healthy: No such file or directory\n")),
        (["cat", "/usr/share/nginx/html/index.html"], "nginx", None, (0, NGINX_WELCOME)),
        (["ls", "/nope"], "nginx", None, (2, "ls: cannot access '/nope': No such file or directory\n")),
        (["ls", "/nope"], "alpine", None, (1, "ls: /nope: No such file or directory\n")),
        (["test", "-f", "/etc/hosts"], "busybox", None, (0, "")),
        (["[", "-e", "/tmp/x", "]"], "busybox", None, (1, "")),
        (["sh", "-c", "cat /tmp/x || echo fallback"], "busybox", None,
         (0, "fallback\ncat: can't open '/tmp/x': No such file or directory\n")),
        (["sh", "-c", "false && echo never"], "busybox", None, (1, "")),
        (["sh", "-c", "nosuch"], "busybox", None, (127, "sh: nosuch: not found\n")),
        (["sh", "-c", "nosuch"], "nginx", None, (127, "sh: 1: nosuch: not found\n")),
        (["bash", "-c", "nosuch"], "nginx", None, (127, "bash: line 1: nosuch: command not found\n")),
        (["sh", "-c", "exit 4"], "busybox", None, (4, "")),
        (["nginx", "-t"], "nginx", None, (0, "")),
        (["wget", "-q", "-O-", "http://localhost/"], "busybox", None,
         (1, "wget: can't connect to remote host (127.0.0.1): Connection refused\n")),
        (["sh", "-c", "cat /tmp/x 2>/dev/null || exit 3"], "busybox", None, (3, "")),
        (["sh", "-c", "cat /tmp/x | grep ok"], "busybox", None,
         (1, "cat: can't open '/tmp/x': No such file or directory\n")),
    ],
    ids=[
        "cat of a file the program touched succeeds",
        "cat of a file the program removed fails with BusyBox's message",
        "cat in a Debian image fails with GNU coreutils' message",
        "the image's own files are there",
        "GNU ls exits 2 for a missing path",
        "BusyBox ls exits 1 for a missing path",
        "test -f of an image file succeeds",
        "[ -e missing ] fails silently",
        "|| runs the fallback after a failure (stdout, then stderr, as the kubelet joins them)",
        "&& stops at the first failure",
        "BusyBox sh reports an unknown command with 127",
        "dash reports an unknown command with its line number",
        "bash reports an unknown command its own way",
        "exit sets the script's exit code",
        "a real tool the simulation does not model is taken to succeed",
        "wget to a port nothing listens on is refused",
        "2>/dev/null drops the error and || still sees the failure",
        "a pipeline's exit code is its last command's",
    ],
)
def test_exec_sync_runs_probe_commands_against_the_containers_files(argv, image, files, expected):
    assert exec_sync(argv, image, files) == expected


@pytest.mark.parametrize(
    "argv, image",
    [(["nosuch"], "nginx"), (["bash", "-c", "true"], "busybox"), (["cat", "/etc/hosts"], "pause"),
     (["pgrep", "nginx"], "nginx")],
    ids=["an executable that is not in the image", "bash is not in BusyBox images",
         "the pause image has no userland at all", "nginx's Debian image has no procps (pgrep, ps)"],
)
def test_exec_sync_cannot_start_a_missing_executable(argv, image):
    with pytest.raises(ExecError, match=r'^exec: ".*": executable file not found in \$PATH$'):
        exec_sync(argv, image, None)


@pytest.mark.parametrize(
    "command, args, image, servers, term_exit",
    [
        ([], None, "nginx:1.27", [Server(80, "nginx")], 0),
        ([], None, "redis", [Server(6379, "redis")], 0),
        ([], ["liveness"], "registry.k8s.io/e2e-test-images/agnhost:2.40", [Server(8080, "agnhost-liveness")], 2),
        ([], ["serve-hostname", "--port=9000"], "registry.k8s.io/e2e-test-images/agnhost:2.40",
         [Server(9000, "serve-hostname")], 2),
        ([], None, "registry.k8s.io/e2e-test-images/agnhost:2.40", [], 2),
        (["python", "-m", "http.server", "9090"], None, "python", [Server(9090, "python-http")], 0),
        ([], None, "registry.k8s.io/goproxy:0.1", [Server(8080, "goproxy")], 2),
        (["sleep", "3600"], None, "busybox", [], 0),
    ],
    ids=[
        "nginx listens on 80",
        "redis listens on 6379",
        "args go to agnhost's entrypoint: liveness listens on 8080",
        "serve-hostname listens on its --port",
        "agnhost with no args runs its default pause",
        "python -m http.server listens on the port it is given",
        "goproxy listens on 8080",
        "sleep listens on nothing",
    ],
)
def test_what_a_program_listens_on(command, args, image, servers, term_exit):
    program = parse_program(command, image, args)
    assert list(program.servers) == servers
    assert program.term_exit == term_exit
    assert program.forever or command


@pytest.mark.parametrize(
    "server, path, uptime, answer",
    [
        (Server(80, "nginx"), "/", 1.0, (200, "OK")),
        (Server(80, "nginx"), "/healthz", 1.0, (404, "Not Found")),
        (Server(8080, "agnhost-liveness"), "/healthz", 10.0, (200, "ok")),
        (Server(8080, "agnhost-liveness"), "/healthz", 11.0, (500, "error: 11")),
        (Server(8080, "goproxy"), "/", 1.0, (500, "This is a proxy server. Does not respond to non-proxy requests.")),
        (Server(6379, "redis"), "/", 1.0, None),
    ],
    ids=[
        "nginx serves its default page",
        "nginx has no /healthz",
        "agnhost liveness is healthy for its first 10 seconds",
        "agnhost liveness answers 500 after 10 seconds",
        "goproxy refuses non-proxy requests with 500",
        "redis closes an HTTP connection",
    ],
)
def test_how_a_server_answers_a_get(server, path, uptime, answer):
    assert server.get(path, uptime) == answer


def test_the_probe_settings_read_back_with_their_defaults():
    cluster = start([nginx("livenessProbe", {"httpGet": {"port": 80}})])
    probe = cluster.api.get("pods", "probed")["spec"]["containers"][0]["livenessProbe"]
    assert yaml.safe_dump(probe, sort_keys=True) == yaml.safe_dump({
        "failureThreshold": 3, "httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}, "periodSeconds": 10,
        "successThreshold": 1, "timeoutSeconds": 1}, sort_keys=True)


def test_after_a_node_restart_the_probes_start_again_and_still_restart_a_failing_container():
    cluster = start([AGNHOST_LIVENESS])
    node = cluster.api.get("pods", "probed")["spec"]["nodeName"]
    cluster.run(5)
    cluster.stop_node(node)
    cluster.run(20)
    assert cluster.kubelets[node].workers.prober.workers == {}  # the kubelet died with its probers
    cluster.start_node(node)
    cluster.settle()
    cluster.run(40)
    cs = container_status(cluster)
    assert cs["restartCount"] >= 2  # a new container after the reboot, then a liveness kill
    assert "Container liveness failed liveness probe, will be restarted" in [
        e["message"] for e in events(cluster, "Killing")]


def test_the_statefulset_tutorials_nginx_slim_serves_http_on_80():
    cluster = start([{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.21",
                      "readinessProbe": {"httpGet": {"path": "/", "port": 80}}}])
    assert container_status(cluster)["ready"] is True


def test_a_file_the_program_writes_with_echo_makes_an_exec_readiness_probe_pass():
    cluster = start([{"name": "app", "image": "busybox", "command": ["sh", "-c", "sleep 6; echo ok > /tmp/ready; sleep 3600"],
                      "readinessProbe": {"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 2}}])
    assert container_status(cluster)["ready"] is False
    cluster.run(12)
    assert container_status(cluster)["ready"] is True
    assert cluster.kubectl("logs probed").stdout == ""  # the echo went to the file, not the log


def test_a_zero_probe_period_is_the_default_ten_seconds():
    # SetDefaults_Probe: a zero period (and timeout, thresholds) takes the default; it used to make
    # the prober probe without end at one instant, and the simulation never got past it
    from k8slearn import Cluster

    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: nginx
    livenessProbe: {tcpSocket: {port: 80}, periodSeconds: 0, timeoutSeconds: 0, failureThreshold: 0}
""")
    cluster.settle()
    cluster.run(30)
    probe = cluster.api.get("pods", "p")["spec"]["containers"][0]["livenessProbe"]
    assert {k: probe[k] for k in ("periodSeconds", "timeoutSeconds", "failureThreshold")} == {
        "periodSeconds": 10, "timeoutSeconds": 1, "failureThreshold": 3}


def test_settle_does_not_wait_for_the_kills_of_failed_probes_in_a_stream_of_cron_jobs():
    """A Job every minute whose pods a startup probe kills (sleep ignores SIGTERM: 30 s grace each):
    the kills are the containers' lives, which settle() does not wait for, as it does not wait for
    the probes or the schedule; it raised SettleTimeout after an hour of simulated cron runs."""
    from k8slearn import Cluster

    c = Cluster(workers=2, seed=0)
    c.kubectl("create -f -", stdin="""apiVersion: batch/v1
kind: CronJob
metadata: {name: cron1}
spec:
  schedule: '*/1 * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox:1.36
            command: ["sleep", "3600"]
            startupProbe: {exec: {command: [cat, /tmp/healthy]}, failureThreshold: 3, initialDelaySeconds: 30, periodSeconds: 10}
""")
    c.settle()
    c.run(400)
    before = c.now
    c.settle()
    assert c.now - before < 60
