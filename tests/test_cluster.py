"""The Cluster: bootstrap like kubeadm, nodes joining and failing, leader election, restore."""

import pytest

from k8slearn import Cluster
from k8slearn.controllers.node_ipam import CIDRSet, NodeIpamController


def test_a_fresh_cluster_looks_like_kubeadm():
    cluster = Cluster(workers=2, seed=0)
    namespaces = [n["metadata"]["name"] for n in cluster.api.list("namespaces")]
    assert namespaces == ["default", "kube-node-lease", "kube-public", "kube-system"]
    service = cluster.api.get("services", "kubernetes")
    assert service["spec"]["clusterIP"] == "10.96.0.1" and service["spec"]["ports"][0]["targetPort"] == 6443
    assert [p["metadata"]["name"] for p in cluster.api.list("pods", namespace="kube-system")] == [
        "etcd-control-plane", "kube-apiserver-control-plane", "kube-controller-manager-control-plane",
        "kube-scheduler-control-plane"]
    nodes = cluster.kubectl("get nodes").stdout.splitlines()
    assert [line.split()[:3] for line in nodes[1:]] == [
        ["control-plane", "Ready", "control-plane"], ["node-1", "Ready", "<none>"], ["node-2", "Ready", "<none>"]]
    assert [n["spec"]["podCIDR"] for n in cluster.api.list("nodes")] == [
        "10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]
    assert cluster.api.get("nodes", "control-plane")["spec"]["taints"] == [
        {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]


def test_nodes_renew_their_lease_every_10_seconds():
    cluster = Cluster(workers=1, seed=0)
    before = cluster.api.get("leases", "node-1", "kube-node-lease")["spec"]["renewTime"]
    cluster.run(10)
    after = cluster.api.get("leases", "node-1", "kube-node-lease")["spec"]["renewTime"]
    assert before != after and after.endswith("Z")


def test_a_new_node_joins_gets_a_pod_cidr_and_becomes_ready():
    cluster = Cluster(workers=1, seed=0)
    name = cluster.add_node(cpu="8", memory="16Gi", labels={"size": "big"})
    cluster.settle()
    node = cluster.api.get("nodes", name)
    assert name == "node-2" and node["spec"]["podCIDR"] == "10.244.2.0/24"
    assert node["status"]["capacity"]["cpu"] == "8" and node["metadata"]["labels"]["size"] == "big"
    assert cluster.kubectl(f"get node {name}").stdout.splitlines()[1].split()[1] == "Ready"


@pytest.mark.parametrize("grace, unknown_by", [(50.0, 61.0), (20.0, 31.0)],
                         ids=["the upstream 50 s grace period", "a shorter grace period for demos"])
def test_a_stopped_node_goes_unknown_after_the_grace_period(grace, unknown_by):
    cluster = Cluster(workers=2, seed=0, node_monitor_grace_period=grace)
    cluster.stop_node("node-1")
    cluster.run(grace - 11)
    assert cluster.kubectl("get node node-1").stdout.split()[6] == "Ready"
    cluster.run(unknown_by - (grace - 11))
    assert cluster.kubectl("get node node-1").stdout.split()[6] == "NotReady"
    ready = next(c for c in cluster.api.get("nodes", "node-1")["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["message"]) == ("Unknown", "Kubelet stopped posting node status.")


def test_a_stopped_leader_is_replaced_by_the_standby_for_both_leases():
    cluster = Cluster(workers=1, seed=0, control_plane_replicas=2)
    holders = lambda: {  # noqa: E731
        n: cluster.api.get("leases", n, "kube-system")["spec"]["holderIdentity"].split("_")[0]
        for n in ("kube-scheduler", "kube-controller-manager")}
    assert holders() == {"kube-scheduler": "control-plane", "kube-controller-manager": "control-plane"}
    cluster.scheduler_electors[0].stop()
    cluster.controller_managers[0].stop()
    cluster.run(30)
    assert holders() == {"kube-scheduler": "control-plane-2", "kube-controller-manager": "control-plane-2"}
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    cluster.settle()
    assert [p["status"]["phase"] for p in cluster.api.list("pods", namespace="default")] == ["Running", "Running"]


def test_snapshot_and_restore_bring_back_the_same_objects(tmp_path):
    cluster = Cluster(workers=1, seed=0)
    cluster.kubectl("create deployment web --image=nginx --replicas=2")
    cluster.settle()
    cluster.snapshot(str(tmp_path / "snap.db"))
    restored = Cluster.restore(str(tmp_path / "snap.db"), seed=1, current=False)
    names = lambda c: [p["metadata"]["name"] for p in c.api.list("pods", namespace="default")]  # noqa: E731
    assert names(restored) == names(cluster)
    assert restored.etcd.revision >= cluster.etcd.revision


def test_a_full_cluster_cidr_is_an_event_not_a_crash():
    cidrs = CIDRSet("10.244.0.0/23", 24)
    assert [cidrs.allocate_next(), cidrs.allocate_next()] == ["10.244.0.0/24", "10.244.1.0/24"]
    with pytest.raises(ValueError):
        cidrs.allocate_next()
    cluster = Cluster(workers=0, seed=0)
    ipam = cluster.controller_manager.controllers["node-ipam-controller"]
    assert isinstance(ipam, NodeIpamController)
    ipam.cidrs = CIDRSet("10.244.0.0/24", 24)
    ipam.cidrs.occupy("10.244.0.0/24")
    cluster.add_node("late")
    cluster.settle()
    assert "podCIDR" not in cluster.api.get("nodes", "late")["spec"]
    reasons = [e["reason"] for e in cluster.api.list("events", namespace="default")
               if e["involvedObject"]["name"] == "late"]
    assert "CIDRNotAvailable" in reasons


@pytest.mark.parametrize("cluster_cidr, steps, expected", [
    ("10.244.0.0/16", ["next", "next", "release 10.244.0.0/24", "next"], "10.244.2.0/24"),
    ("10.244.0.0/22", ["next", "next", "next", "release 10.244.1.0/24", "next", "next"], "10.244.1.0/24"),
    ("10.244.0.0/16", ["occupy 10.244.0.0/24", "next"], "10.244.1.0/24"),
], ids=[
    "a released subnet is not given again at once: allocation goes on after the last one",
    "after the last subnet of the range the allocator wraps around to a freed one",
    "a subnet a node already had before a restart is occupied, not handed out again",
])
def test_the_node_cidr_allocator_goes_round_the_range(cluster_cidr, steps, expected):
    cidrs, got = CIDRSet(cluster_cidr, 24), None
    for step in steps:
        verb, _, cidr = step.partition(" ")
        got = cidrs.allocate_next() if verb == "next" else getattr(cidrs, verb)(cidr)
    assert got == expected


def test_a_controller_manager_added_later_waits_then_takes_over_as_one_of_the_clusters():
    cluster = Cluster(workers=1, seed=0)
    standby = cluster.add_controller_manager("control-plane-2")
    cluster.settle()
    assert (standby.leading, cluster.controller_managers[-1] is standby) == (False, True)
    cluster.controller_manager.stop()
    cluster.run(30)
    lease = cluster.api.get("leases", "kube-controller-manager", "kube-system")
    assert lease["spec"]["holderIdentity"] == standby.identity
    assert lease["spec"]["holderIdentity"].startswith("control-plane-2_")
    assert cluster.controller_manager is standby


def test_stop_node_and_start_node_power_an_added_controller_manager_off_and_on():
    cluster = Cluster(workers=1, seed=0)
    standby = cluster.add_controller_manager("control-plane-2")
    cluster.stop_node("control-plane-2")
    assert standby.is_up() is False
    cluster.start_node("control-plane-2")
    assert standby.is_up() is True
    with pytest.raises(KeyError, match="nodes are control-plane, node-1, control-plane-2"):
        cluster.stop_node("control-plane-3")


def kube_system_pods(cluster: Cluster) -> list[str]:
    return sorted(p["metadata"]["name"] for p in cluster.api.list("pods", "kube-system"))


def test_moving_the_leaders_manifest_away_stops_it_deletes_its_mirror_pod_and_the_standby_takes_over():
    cluster = Cluster(workers=1, seed=0)
    standby = cluster.add_controller_manager("control-plane-2")
    cluster.settle()
    leader = cluster.controller_manager
    stopped_at = cluster.now
    cluster.remove_static_pod("control-plane", "kube-controller-manager")
    assert leader.is_up() is False
    killing = [(e["reason"], e["message"], e["involvedObject"]["fieldPath"])
               for e in cluster.api.list("events", "kube-system") if e["reason"] == "Killing"]
    assert killing == [("Killing", "Stopping container kube-controller-manager",
                        "spec.containers{kube-controller-manager}")]
    cluster.run(1.9)  # the mirror pod goes at the kubelet's next housekeeping, 2 s later
    assert "kube-controller-manager-control-plane" in kube_system_pods(cluster)
    cluster.run(0.2)
    assert kube_system_pods(cluster) == ["etcd-control-plane", "kube-apiserver-control-plane",
                                         "kube-scheduler-control-plane"]
    cluster.run(20)
    renewed = cluster.api.get("leases", "kube-controller-manager", "kube-system")["spec"]
    assert (standby.leading, renewed["holderIdentity"], renewed["leaseTransitions"]) == (True, standby.identity, 1)
    assert stopped_at + 15 <= cluster.now
    # a reboot of the machine does not bring it back: the manifest is not there
    cluster.stop_node("control-plane")
    cluster.start_node("control-plane")
    cluster.run(5)
    assert (leader.is_up(), "kube-controller-manager-control-plane" in kube_system_pods(cluster)) == (False, False)


def test_moving_the_manifest_back_runs_a_new_process_that_waits_for_the_lease_and_publishes_its_mirror_pod():
    cluster = Cluster(workers=1, seed=0)
    standby = cluster.add_controller_manager("control-plane-2")
    cluster.remove_static_pod("control-plane", "kube-controller-manager")
    cluster.run(30)
    old_identity = cluster.controller_managers[0].identity
    cluster.restore_static_pod("control-plane", "kube-controller-manager")
    cluster.run(30)
    manager = cluster.controller_managers[0]
    assert (manager.is_up(), manager.leading, standby.leading) == (True, False, True)
    assert manager.identity != old_identity and manager.identity.startswith("control-plane_")
    mirror = cluster.api.get("pods", "kube-controller-manager-control-plane", "kube-system")
    status = mirror["status"]["containerStatuses"][0]
    assert (mirror["status"]["phase"], status["ready"], status["restartCount"]) == ("Running", True, 0)
    started = [e["message"] for e in cluster.api.list("events", "kube-system")
               if e["involvedObject"]["name"] == "kube-controller-manager-control-plane"
               and e["reason"] in ("Killing", "Pulled", "Created", "Started")]
    assert started == ["Stopping container kube-controller-manager",
                       'Container image "registry.k8s.io/kube-controller-manager:v1.32.0" already present on machine',
                       "Created container kube-controller-manager", "Started container kube-controller-manager"]


@pytest.mark.parametrize("call, node, component, error, message", [
    ("remove_static_pod", "control-plane", "etcd", ValueError,
     "k8slearn: moving the manifest of etcd is not simulated"),
    ("remove_static_pod", "control-plane", "kube-apiserver", ValueError,
     "k8slearn: moving the manifest of kube-apiserver is not simulated"),
    ("remove_static_pod", "node-1", "kube-scheduler", ValueError,
     "'node-1' runs no kube-scheduler: it is not a control-plane machine"),
    ("remove_static_pod", "control-plane", "coredns", ValueError,
     r"'control-plane' runs no coredns \(it runs kube-controller-manager, kube-scheduler\)"),
    ("remove_static_pod", "node-9", "kube-scheduler", KeyError, "no node named 'node-9'; nodes are control-plane, node-1"),
    ("restore_static_pod", "control-plane", "kube-scheduler", ValueError,
     "/etc/kubernetes/manifests/kube-scheduler.yaml is already there on control-plane"),
], ids=["etcd", "the API server", "a worker", "an unknown component", "an unknown machine",
        "a manifest that is already there"])
def test_moving_a_manifest_that_cannot_move_is_refused_and_changes_nothing(call, node, component, error, message):
    cluster = Cluster(workers=1, seed=0)
    before = kube_system_pods(cluster)
    with pytest.raises(error, match=message):
        getattr(cluster, call)(node, component)
    cluster.run(5)
    assert kube_system_pods(cluster) == before
    assert all(m.is_up() for m in cluster.controller_managers) and cluster.scheduler_electors[0].is_up()


def test_moving_a_manifest_away_twice_is_refused_the_second_time():
    cluster = Cluster(workers=1, seed=0)
    cluster.remove_static_pod("control-plane", "kube-scheduler")
    with pytest.raises(ValueError, match="no static pod manifest kube-scheduler.yaml in /etc/kubernetes/manifests"):
        cluster.remove_static_pod("control-plane", "kube-scheduler")


@pytest.mark.parametrize("hostname, error, message", [
    ("control-plane", ValueError, "'control-plane' already runs a kube-controller-manager or a kubelet"),
    ("node-1", ValueError, "'node-1' already runs a kube-controller-manager or a kubelet"),
    ("", TypeError, "hostname must be a machine's name, a non-empty string"),
    (2, TypeError, "hostname must be a machine's name, a non-empty string"),
], ids=["the first control plane's machine", "a worker's machine", "an empty name", "a number"])
def test_adding_a_controller_manager_on_a_taken_or_bad_hostname_is_refused_and_adds_nothing(
        hostname, error, message):
    cluster = Cluster(workers=1, seed=0)
    with pytest.raises(error, match=message):
        cluster.add_controller_manager(hostname)
    assert len(cluster.controller_managers) == 1
