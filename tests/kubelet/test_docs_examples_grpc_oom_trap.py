"""The documentation's gRPC liveness example, its memory-limit examples, and shells that trap SIGTERM.

- "Configure Liveness, Readiness and Startup Probes", *Define a gRPC liveness probe*: etcd serves
  ``grpc.health.v1.Health`` on its client port, so ``etcd-with-grpc`` passes its probe; the
  failures keep the kubelet's texts (pkg/probe/grpc/grpc.go).
- "Assign Memory Resources to Containers and Pods": polinux/stress under its limit runs; over it,
  the OOM killer kills it (``OOMKilled``, exit code 137), and it restarts into CrashLoopBackOff.
- "Assign CPU Resources to Containers and Pods": vish/stress ``-cpus 2`` runs.
- BusyBox ``sh`` with ``trap ... TERM``: a SIGTERM during ``wait`` runs the trap at once; during a
  foreground command, once it ends (POSIX XCU 2.11).
"""

from types import SimpleNamespace

from k8slearn import Cluster
from k8slearn.kubelet.probe import FAILURE, SUCCESS, run_probe
from k8slearn.kubelet.process import parse_program
from k8slearn.kubelet.servers import GRPC_HEALTH, Server

ETCD_COMMAND = ["/usr/local/bin/etcd", "--data-dir", "/var/lib/etcd",
                "--listen-client-urls", "http://0.0.0.0:2379",
                "--advertise-client-urls", "http://127.0.0.1:2379", "--log-level", "debug"]
TIMEOUT = 'timeout: failed to connect service "{}" within {}: context deadline exceeded'



def etcd(grpc: dict) -> dict:
    return {"name": "etcd", "image": "registry.k8s.io/etcd:3.5.1-0", "command": ETCD_COMMAND,
            "ports": [{"containerPort": 2379}], "livenessProbe": {"grpc": grpc, "initialDelaySeconds": 10}}


def start(containers: list[dict], name: str, restart: str = "Always", grace: int | None = None) -> Cluster:
    """A 1-worker cluster (seed 0) with one pod of ``containers``, created and settled."""
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    spec = {"restartPolicy": restart, "containers": containers}
    if grace is not None:
        spec["terminationGracePeriodSeconds"] = grace
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec})
    cluster.settle()
    return cluster


def events(cluster: Cluster, name: str, reason: str) -> list[dict]:
    return [e for e in cluster.api.list("events", namespace="default")
            if e["reason"] == reason and e["involvedObject"]["name"] == name]


def container_status(cluster: Cluster, name: str) -> dict:
    return cluster.api.get("pods", name)["status"]["containerStatuses"][0]


def seconds(stamp: str) -> int:
    hours, minutes, secs = stamp[11:19].split(":")
    return int(hours) * 3600 + int(minutes) * 60 + int(secs)


# -- gRPC probes ---------------------------------------------------------------------------------
def test_the_docs_grpc_liveness_example_etcd_passes_its_probe_and_never_restarts():
    cluster = start([etcd({"port": 2379})], "etcd-with-grpc")
    cluster.run(60)
    status = container_status(cluster, "etcd-with-grpc")
    assert (status["restartCount"], status["ready"], list(status["state"])) == (0, True, ["running"])
    assert events(cluster, "etcd-with-grpc", "Unhealthy") == []
    assert events(cluster, "etcd-with-grpc", "Killing") == []
    assert "Liveness:       grpc <pod>:2379  delay=10s timeout=1s period=10s #success=1 #failure=3" in \
        cluster.kubectl("describe pod etcd-with-grpc").stdout


def test_a_grpc_probe_on_a_port_nothing_listens_on_times_out_as_the_kubelets_blocking_dial_does():
    cluster = start([etcd({"port": 2380})], "etcd-with-grpc")
    cluster.run(45)
    ip = cluster.api.get("pods", "etcd-with-grpc")["status"]["podIP"]
    unhealthy = events(cluster, "etcd-with-grpc", "Unhealthy")
    assert [e["message"] for e in unhealthy] == [
        "Liveness probe failed: " + TIMEOUT.format(f"{ip}:2380", "1s")]
    assert [e["message"] for e in events(cluster, "etcd-with-grpc", "Killing")] == [
        "Container etcd failed liveness probe, will be restarted"]


def test_a_grpc_probe_for_a_service_name_etcd_does_not_report_fails_with_not_found():
    cluster = start([etcd({"port": 2379, "service": "liveness"})], "etcd-with-grpc")
    cluster.run(35)
    assert [e["message"] for e in events(cluster, "etcd-with-grpc", "Unhealthy")] == [
        "Liveness probe failed: error: health rpc probe failed: "
        "rpc error: code = NotFound desc = unknown service"]


def test_a_grpc_probe_against_nginx_which_speaks_no_grpc_times_out_too():
    web = {"name": "web", "image": "nginx", "livenessProbe": {"grpc": {"port": 80}, "periodSeconds": 5}}
    cluster = start([web], "web")
    cluster.run(12)
    ip = cluster.api.get("pods", "web")["status"]["podIP"]
    assert {e["message"] for e in events(cluster, "web", "Unhealthy")} == {
        "Liveness probe failed: " + TIMEOUT.format(f"{ip}:80", "1s")}


def _probe_against(server: Server, grpc: dict) -> tuple[str, str]:
    """run_probe's grpc branch against one listening server of a fake runtime."""
    running = SimpleNamespace(program=SimpleNamespace(servers=(server,)))
    runtime = SimpleNamespace(list_containers=lambda sandbox_id, all_states: [running])
    return run_probe({"grpc": grpc, "timeoutSeconds": 2}, {}, "c1", "10.244.1.7", "s1", runtime, 0.0)


def test_the_grpc_probe_says_which_server_lacks_the_health_service(monkeypatch):
    assert _probe_against(Server(2379, "etcd"), {"port": 2379}) == (SUCCESS, "service healthy")
    assert _probe_against(Server(2379, "etcd"), {"port": 2379, "service": ""}) == (SUCCESS, "service healthy")
    assert _probe_against(Server(6379, "redis"), {"port": 6379}) == (
        FAILURE, TIMEOUT.format("10.244.1.7:6379", "2s"))
    monkeypatch.setitem(GRPC_HEALTH, "bare-grpc", None)  # a gRPC server without the health service
    assert _probe_against(Server(9000, "bare-grpc"), {"port": 9000}) == (
        FAILURE, "error: this server does not implement the grpc health protocol (grpc.health.v1.Health): "
                 "unknown service grpc.health.v1.Health")


def test_etcd_listens_only_where_its_listen_client_urls_say():
    assert parse_program(ETCD_COMMAND, "registry.k8s.io/etcd:3.5.1-0").servers == (Server(2379, "etcd"),)
    # the default, http://localhost:2379, is not reachable at the pod's IP
    assert parse_program(["etcd"], "registry.k8s.io/etcd:3.5.1-0").servers == ()


# -- memory limits (polinux/stress) --------------------------------------------------------------
def stress(name: str, vm_bytes: str, limit: str, request: str) -> dict:
    return {"name": name, "image": "polinux/stress", "command": ["stress"],
            "args": ["--vm", "1", "--vm-bytes", vm_bytes, "--vm-hang", "1"],
            "resources": {"requests": {"memory": request}, "limits": {"memory": limit}}}


def test_memory_demo_allocating_150m_under_its_200mi_limit_stays_running():
    cluster = start([stress("memory-demo-ctr", "150M", "200Mi", "100Mi")], "memory-demo")
    cluster.run(60)
    status = container_status(cluster, "memory-demo")
    assert (status["restartCount"], list(status["state"])) == (0, ["running"])
    assert cluster.kubectl("logs memory-demo").stdout == \
        "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n"


def test_memory_demo_2_allocating_250m_under_a_100mi_limit_is_oom_killed_with_137_then_crash_loops():
    cluster = start([stress("memory-demo-2-ctr", "250M", "100Mi", "50Mi")], "memory-demo-2")
    cluster.run(30)
    status = container_status(cluster, "memory-demo-2")
    terminated = status["lastState"]["terminated"]
    assert (terminated["reason"], terminated["exitCode"]) == ("OOMKilled", 137)
    # killed 0.1 s after it starts
    assert seconds(terminated["finishedAt"]) - seconds(terminated["startedAt"]) == 0
    assert status["restartCount"] == 2 and status["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    described = cluster.kubectl("describe pod memory-demo-2").stdout
    last_state = "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n"
    assert last_state in described
    assert events(cluster, "memory-demo-2", "BackOff")[0]["message"].startswith(
        "Back-off restarting failed container memory-demo-2-ctr in pod memory-demo-2_default(")


def test_an_oom_killed_container_of_a_never_restarted_pod_shows_oomkilled_as_its_status():
    cluster = start([stress("memory-demo-2-ctr", "250M", "100Mi", "50Mi")], "memory-demo-2", restart="Never")
    cluster.run(10)
    pod = cluster.api.get("pods", "memory-demo-2")
    assert pod["status"]["phase"] == "Failed"
    assert pod["status"]["containerStatuses"][0]["state"]["terminated"]["reason"] == "OOMKilled"
    assert cluster.kubectl("get pod memory-demo-2").stdout.splitlines()[1].split()[:4] == \
        ["memory-demo-2", "0/1", "OOMKilled", "0"]


def test_stress_reads_its_sizes_in_powers_of_1024_and_adds_its_own_overhead():
    program = parse_program(["stress"], "polinux/stress", ["--vm", "2", "--vm-bytes", "64M"])
    assert program.oom_after(133 * 2**20) == 0.1  # 128 MiB of workers + about 5.3 MiB of its own
    assert program.oom_after(134 * 2**20) is None
    assert parse_program(["stress"], "polinux/stress", ["--cpu", "2", "--timeout", "10s"]).steps == [
        ("print", "stress: info: [1] dispatching hogs: 2 cpu, 0 io, 0 vm, 0 hdd"), ("sleep", 10.0),
        ("print", "stress: info: [1] successful run completed in 10s"), ("exit", 0)]
    # stress is in polinux/stress, not in busybox
    assert parse_program(["stress"], "busybox", ["--vm", "1"]).start_error == \
        'exec: "stress": executable file not found in $PATH'


def test_the_cpu_example_vish_stress_with_two_cpus_runs_under_its_one_cpu_limit():
    cpu = {"name": "cpu-demo-ctr", "image": "vish/stress", "args": ["-cpus", "2"],
           "resources": {"limits": {"cpu": "1"}, "requests": {"cpu": "0.5"}}}
    cluster = start([cpu], "cpu-demo")
    cluster.run(30)
    status = container_status(cluster, "cpu-demo")
    assert (status["restartCount"], list(status["state"]), status["ready"]) == (0, ["running"], True)


# -- shells that trap SIGTERM --------------------------------------------------------------------
def trapping(script: str) -> dict:
    """A busybox container running ``script``, killed by a failing liveness probe about 3 s in."""
    return {"name": "web", "image": "busybox", "command": ["sh", "-c", script],
            "livenessProbe": {"exec": {"command": ["cat", "/tmp/none"]}, "initialDelaySeconds": 3,
                              "periodSeconds": 1, "failureThreshold": 1}}


def killed(script: str, run: float = 20, grace: int | None = None) -> tuple[dict, int, Cluster]:
    """(the terminated state, seconds from the Killing event to the container's end, the cluster)."""
    cluster = start([trapping(script)], "trap", restart="Never", grace=grace)
    cluster.run(run)
    terminated = container_status(cluster, "trap")["state"]["terminated"]
    killing = events(cluster, "trap", "Killing")
    assert [e["message"] for e in killing] == ["Container web failed liveness probe"]
    return terminated, seconds(terminated["finishedAt"]) - seconds(killing[0]["lastTimestamp"]), cluster


def test_a_shell_trapping_term_in_wait_exits_143_with_reason_error_at_once_when_the_kubelet_stops_it():
    terminated, after, _ = killed("trap 'exit 143' TERM; sleep 3600 & wait")
    assert (terminated["exitCode"], terminated["reason"], after) == (143, "Error", 0)


def test_trap_names_sigterm_or_15_alike_and_a_bare_exit_in_the_trap_exits_with_wait_s_143():
    for script in ("trap 'exit 143' SIGTERM; sleep 3600 & wait", "trap 'exit 143' 15; sleep 3600 & wait",
                   "trap exit TERM; sleep 3600 &\nwait"):
        terminated, after, _ = killed(script)
        assert (terminated["exitCode"], terminated["reason"], after) == (143, "Error", 0), script


def test_a_trap_whose_action_echoes_and_exits_0_runs_after_the_current_sleep_of_its_loop():
    terminated, after, cluster = killed("trap 'echo bye; exit 0' TERM; while true; do sleep 1; done")
    assert (terminated["exitCode"], terminated["reason"]) == (0, "Completed")
    assert after <= 1
    assert cluster.kubectl("logs trap").stdout == "bye\n"


def test_a_trap_waits_for_the_foreground_sleep_to_end_as_posix_says():
    terminated, after, _ = killed("trap 'exit 3' TERM; sleep 10; sleep 3600", run=30)
    assert (terminated["exitCode"], terminated["reason"]) == (3, "Error")
    assert seconds(terminated["finishedAt"]) - seconds(terminated["startedAt"]) == 10


def test_an_ignored_or_reset_term_trap_leaves_sigkill_at_the_end_of_the_grace_period():
    for script in ("trap '' TERM; sleep 3600 & wait", "trap 'exit 1' TERM; trap - TERM; sleep 3600 & wait"):
        terminated, after, _ = killed(script, grace=5)
        assert (terminated["exitCode"], terminated["reason"], after) == (137, "Error", 5), script


def test_a_trap_without_exit_lets_the_script_go_on_after_wait():
    terminated, after, cluster = killed("trap 'echo got TERM' TERM; sleep 3600 & wait; echo after; exit 4")
    assert (terminated["exitCode"], after) == (4, 0)
    assert cluster.kubectl("logs trap").stdout == "got TERM\nafter\n"


def test_a_trap_on_exit_is_not_modelled_and_says_so():
    program = parse_program(["sh", "-c", "trap 'echo bye' EXIT; sleep 5"], "busybox")
    assert program.forever and program.steps == [("print", (
        "k8slearn: this script is not simulated ('trap' on EXIT is not modelled): "
        "the container runs on without running it"))]
