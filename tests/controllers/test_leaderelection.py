"""Leader election: one holder renews the Lease; a stopped leader's Lease is taken over after it expires."""

import pytest

from k8slearn.apiserver import APIServer
from k8slearn.client.leaderelection import LeaderElected, LeaderElector
from k8slearn.controllers.manager import ControllerManager
from k8slearn.etcd import MVCCStore
from k8slearn.sim import Loop


@pytest.fixture
def api():
    loop = Loop(seed=0)
    server = APIServer(MVCCStore(), loop)
    server.client("test").create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-system"}})
    return loop, server


def elector(loop, server, identity, log):
    return LeaderElector(loop, server.client(identity), "kube-controller-manager", identity,
                         on_started_leading=lambda: log.append((round(loop.now, 1), identity, "start")),
                         on_stopped_leading=lambda: log.append((round(loop.now, 1), identity, "stop")))


def test_the_first_candidate_leads_and_the_second_waits(api):
    loop, server = api
    log = []
    a, b = elector(loop, server, "cp-1_aaa", log), elector(loop, server, "cp-2_bbb", log)
    a.run()
    b.run()
    loop.run(60)
    assert log == [(0.0, "cp-1_aaa", "start")]
    lease = server.client("test").get("leases", "kube-controller-manager", "kube-system")
    assert (lease["spec"]["holderIdentity"], lease["spec"]["leaseDurationSeconds"], lease["spec"]["leaseTransitions"]) == \
        ("cp-1_aaa", 15, 0)


def test_a_stopped_leaders_lease_is_taken_over_after_it_expires(api):
    loop, server = api
    log = []
    a, b = elector(loop, server, "cp-1_aaa", log), elector(loop, server, "cp-2_bbb", log)
    a.run()
    b.run()
    loop.run(10)
    a.stop()
    stopped = loop.now
    loop.run(30)
    takeover = [t for t, who, what in log if who == "cp-2_bbb" and what == "start"]
    assert len(takeover) == 1
    assert stopped + 15 <= takeover[0] <= stopped + 15 + 4.4 + 2
    lease = server.client("test").get("leases", "kube-controller-manager", "kube-system")
    assert (lease["spec"]["holderIdentity"], lease["spec"]["leaseTransitions"]) == ("cp-2_bbb", 1)
    events = [e for e in server.client("test").list("events", "kube-system") if e["reason"] == "LeaderElection"]
    assert [e["message"] for e in events] == ["cp-1_aaa became leader", "cp-2_bbb became leader"]
    assert events[0]["involvedObject"]["kind"] == "Lease"


def test_a_leader_that_cannot_renew_within_the_deadline_stops_leading(api):
    loop, server = api
    log = []
    a = elector(loop, server, "cp-1_aaa", log)
    a.run()
    loop.run(5)
    lease = server.client("test").get("leases", "kube-controller-manager", "kube-system")
    lease["spec"]["holderIdentity"] = "intruder"
    server.client("test").update(lease)  # someone else holds it now (renewTime fresh)
    loop.run(20)
    # last renewal at 4 s; the next round of retries starts at 6 s and gives up 10 s later
    assert log == [(0.0, "cp-1_aaa", "start"), (16.0, "cp-1_aaa", "stop")]


class Component:
    def __init__(self):
        self.started = self.stopped = 0

    def start(self):
        self.started += 1

    def stop(self):
        self.stopped += 1


def test_any_component_can_be_wrapped_to_run_only_while_leading(api):
    loop, server = api
    one, two = Component(), Component()
    w1 = LeaderElected(loop, server.client("s1"), "kube-scheduler", one, hostname="cp-1")
    w2 = LeaderElected(loop, server.client("s2"), "kube-scheduler", two, hostname="cp-2")
    w1.start()
    w2.start()
    loop.run(5)
    assert (one.started, two.started, w1.leading, w2.leading) == (1, 0, True, False)
    w1.stop()
    loop.run(25)
    assert (one.stopped, two.started, w2.leading) == (1, 1, True)
    assert w1.elector.identity.startswith("cp-1_") and len(w1.elector.identity) == len("cp-1_") + 36


def test_two_controller_managers_only_one_runs_controllers(api):
    loop, server = api
    cm1 = ControllerManager(loop, server.client("kcm-1"), hostname="cp-1", controllers=["replicaset-controller"])
    cm2 = ControllerManager(loop, server.client("kcm-2"), hostname="cp-2", controllers=["replicaset-controller"])
    cm1.start()
    cm2.start()
    loop.run(5)
    assert (cm1.leading, cm2.leading) == (True, False)
    cm1.stop()
    loop.run(25)
    assert (cm1.leading, cm2.leading) == (False, True)


def test_a_wrapped_component_that_loses_its_lease_exits_and_a_new_process_starts_a_second_later(api):
    loop, server = api
    one = Component()
    wrapped = LeaderElected(loop, server.client("s1"), "kube-scheduler", one, hostname="cp-1")
    wrapped.start()
    loop.run(5)
    first = wrapped.elector.identity
    lease = server.client("test").get("leases", "kube-scheduler", "kube-system")
    lease["spec"]["holderIdentity"] = "intruder"
    server.client("test").update(lease)
    loop.run(14)  # stopped leading at 16 s; the new process starts at 17 s and waits
    assert (one.started, one.stopped, wrapped.leading, wrapped.is_up()) == (1, 2, False, True)
    assert wrapped.elector.identity != first and wrapped.elector.identity.startswith("cp-1_")
    loop.run(20)  # intruder's record is not renewed: taken over 15 s after the new process first read it
    lease = server.client("test").get("leases", "kube-scheduler", "kube-system")
    assert (lease["spec"]["holderIdentity"], lease["spec"]["leaseTransitions"]) == (wrapped.elector.identity, 1)
    assert one.started == 2


def cluster_with_a_stolen_lease(lease: str, seconds: float):
    from k8slearn import Cluster

    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    cluster.settle()
    stolen = cluster.now
    cluster.kubectl(["patch", "lease", lease, "-n", "kube-system", "--type=merge",
                     "-p", '{"spec":{"holderIdentity":"intruder"}}'])
    cluster.run(seconds)
    return cluster, stolen


def test_a_controller_manager_that_loses_its_lease_exits_and_its_kubelet_starts_it_again():
    cluster, stolen = cluster_with_a_stolen_lease("kube-controller-manager", 40)
    written = sorted(cluster.api.list("events", "kube-system"), key=lambda e: int(e["metadata"]["resourceVersion"]))
    events = [(e["reason"], e["message"]) for e in written]
    manager = cluster.controller_managers[0]
    assert events[-5:] == [
        ("LeaderElection", f"{events[-5][1].split()[0]} stopped leading"),
        ("Pulled", 'Container image "registry.k8s.io/kube-controller-manager:v1.32.0" already present on machine'),
        ("Created", "Created container kube-controller-manager"),
        ("Started", "Started container kube-controller-manager"),
        ("LeaderElection", f"{manager.identity} became leader"),
    ]
    mirror = cluster.api.get("pods", "kube-controller-manager-control-plane", "kube-system")
    status = mirror["status"]["containerStatuses"][0]
    assert (status["restartCount"], status["lastState"]["terminated"]["exitCode"],
            status["lastState"]["terminated"]["reason"]) == (1, 1, "Error")
    lease = cluster.api.get("leases", "kube-controller-manager", "kube-system")["spec"]
    assert (lease["holderIdentity"], lease["leaseTransitions"]) == (manager.identity, 1)
    # the new process's controllers do their work again: a deleted pod is replaced
    victim = cluster.api.list("pods", "default")[0]["metadata"]["name"]
    cluster.kubectl(f"delete pod {victim}")
    cluster.settle()
    names = [p["metadata"]["name"] for p in cluster.api.list("pods", "default")]
    assert len(names) == 2 and victim not in names


def test_a_scheduler_that_loses_its_lease_restarts_with_an_empty_cache_and_schedules_again():
    cluster, _ = cluster_with_a_stolen_lease("kube-scheduler", 40)
    assert cluster.scheduler.running and cluster.scheduler_electors[0].leading
    assert cluster.api.get("pods", "kube-scheduler-control-plane", "kube-system")[
        "status"]["containerStatuses"][0]["restartCount"] == 1
    cluster.kubectl("scale deployment web --replicas=3")
    cluster.settle()
    assert sorted(p["status"]["phase"] for p in cluster.api.list("pods", "default")) == ["Running"] * 3
    sources = {e["source"]["component"] for e in cluster.api.list("events", "kube-system")
               if e["reason"] == "LeaderElection" and e["involvedObject"]["name"] == "kube-scheduler"}
    assert sources == {"default-scheduler"}  # its first profile's name, as kube-scheduler records


def test_a_process_that_keeps_losing_its_lease_is_restarted_after_the_crash_loop_back_off():
    from k8slearn import Cluster

    cluster = Cluster(workers=1, seed=0)
    for _ in range(2):
        cluster.api.patch("leases", "kube-scheduler", {"spec": {"holderIdentity": "intruder"}}, "kube-system")
        cluster.run(30)
    events = [e for e in cluster.api.list("events", "kube-system") if e["involvedObject"]["name"].startswith("kube-sch")]
    stops = sorted(e["lastTimestamp"] for e in events if e["message"].endswith("stopped leading"))
    started = next(e for e in events if e["reason"] == "Started")
    # exits at 12 s and 40 s: started again at the next relist (13 s), then 10 s after the exit (50 s)
    assert (stops, started["firstTimestamp"], started["lastTimestamp"], started["count"]) == (
        ["2026-01-05T09:00:12Z", "2026-01-05T09:00:40Z"], "2026-01-05T09:00:13Z", "2026-01-05T09:00:50Z", 2)
    assert str(cluster.kubectl("get pods -n kube-system kube-scheduler-control-plane")).splitlines()[1].split()[3:6] \
        == ["2", "(20s", "ago)"]  # RESTARTS: the last exit, 40 s, at 60 s


@pytest.mark.parametrize("lease", ["kube-scheduler", "kube-controller-manager"])
def test_a_new_process_after_a_quick_power_cycle_waits_a_whole_lease_duration_from_its_own_first_look(lease):
    from k8slearn import Cluster
    from k8slearn.api.meta import parse_timestamp

    cluster = Cluster(workers=1, seed=0)
    cluster.run(5)
    cluster.stop_node("control-plane")
    cluster.run(3)
    cluster.start_node("control-plane")
    powered_on = cluster.now
    cluster.run(30)
    acquired = parse_timestamp(cluster.api.get("leases", lease, "kube-system")["spec"]["acquireTime"])
    assert powered_on + 15 < acquired <= powered_on + 15 + 4.4
