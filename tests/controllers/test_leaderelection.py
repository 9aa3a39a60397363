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
