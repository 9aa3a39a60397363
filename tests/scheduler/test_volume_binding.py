"""VolumeBinding with real claims: an unbound Immediate claim keeps the pod waiting, a bound volume's
node affinity picks the nodes, and a WaitForFirstConsumer claim is bound by the scheduler to an
Available volume that fits the chosen node.

The MiniCluster runs no PersistentVolume controller; ``bind_by_hand`` does what its bind does."""

import pytest
from scheduler_builders import MiniCluster, node, node_info, pod

from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, PreFilterResult, Status
from k8slearn.scheduler.plugins.volume_binding import VolumeBinding

NOT_HELPFUL_4 = "preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."
UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
NODE_CONFLICT = "node(s) had volume node affinity conflict"
PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"


# -- builders ------------------------------------------------------------------------------------
def claim(name="data", cls=None, volume_name="", bound=False, uid="claim-uid"):
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    if cls is not None:
        spec["storageClassName"] = cls
    if volume_name:
        spec["volumeName"] = volume_name
    meta = {"name": name, "namespace": "default", "uid": uid}
    if bound:
        meta["annotations"] = {"pv.kubernetes.io/bind-completed": "yes"}
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": meta, "spec": spec,
            "status": {"phase": "Bound" if bound else "Pending"}}


def storage_class(name, mode="WaitForFirstConsumer"):
    sc = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": name},
          "provisioner": "kubernetes.io/no-provisioner"}
    if mode is not None:
        sc["volumeBindingMode"] = mode
    return sc


def hostname_affinity(*nodes):
    term = {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": list(nodes)}]}
    return {"required": {"nodeSelectorTerms": [term]}}


def volume(name="pv0", cls="local", size="1Gi", on_nodes=(), phase="Available"):
    spec = {"capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"], "storageClassName": cls,
            "persistentVolumeReclaimPolicy": "Retain", "hostPath": {"path": f"/mnt/{name}"}}
    if on_nodes:
        spec["nodeAffinity"] = hostname_affinity(*on_nodes)
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name}, "spec": spec,
            "status": {"phase": phase}}


def pod_with_claim(name="db", claim_name="data"):
    p = pod(name)
    p["spec"]["volumes"] = [{"name": "data", "persistentVolumeClaim": {"claimName": claim_name}}]
    return p


def worker(name):
    return node(name, labels={"kubernetes.io/hostname": name})


class Lister:
    """What the scheduler's informer for one resource holds."""

    def __init__(self, *objs):
        self.objs = {(o["metadata"]["name"], o["metadata"].get("namespace")): o for o in objs}

    def get(self, name, namespace=None):
        return self.objs.get((name, namespace))

    def list(self, namespace=None):
        return list(self.objs.values())


class FakeHandle:
    def __init__(self, claims=(), pvs=(), classes=()):
        self.listers = {"persistentvolumeclaims": Lister(*claims), "persistentvolumes": Lister(*pvs),
                        "storageclasses": Lister(*classes)}

    def lister(self, resource):
        return self.listers.get(resource)


def rejected(message):
    return Status(Code.UnschedulableAndUnresolvable, message)


# -- PreFilter -----------------------------------------------------------------------------------
@pytest.mark.parametrize("claims, pvs, classes, expected", [
    ((claim(cls="my-storage-class"),), (), (), rejected(UNBOUND_IMMEDIATE)),
    ((claim(),), (), (), rejected(UNBOUND_IMMEDIATE)),
    ((claim(cls="fast"),), (), (storage_class("fast", "Immediate"),), rejected(UNBOUND_IMMEDIATE)),
    ((claim(cls="local"),), (), (storage_class("local"),), (None, SUCCESS)),
    ((claim(cls="local", volume_name="pv0"),), (), (storage_class("local"),), rejected(UNBOUND_IMMEDIATE)),
    ((claim(volume_name="pv0", bound=True),), (volume(),), (), (None, SUCCESS)),
    ((claim(volume_name="pv0", bound=True),), (volume(on_nodes=("node-2",)),), (),
     (PreFilterResult(frozenset({"node-2"})), SUCCESS)),
    ((claim(cls="local"),), (), (storage_class("local", mode=None),),
     Status(Code.Error, 'VolumeBindingMode not set for StorageClass "local"')),
], ids=[
    "a claim of a class that does not exist binds Immediate, so the pod waits for the PV controller",
    "a claim with no class binds Immediate too",
    "a claim of an Immediate class that is not bound yet keeps the pod waiting",
    "an unbound claim of a WaitForFirstConsumer class is left to Filter",
    "a claim pre-bound by volumeName counts as Immediate even in a WaitForFirstConsumer class",
    "a bound claim whose volume has no node affinity leaves every node in",
    "a bound claim of a local volume narrows the nodes to the ones its affinity names",
    "a class without volumeBindingMode is an error",
])
def test_pre_filter_sorts_the_claims_as_get_pod_volume_claims_does(claims, pvs, classes, expected):
    plugin = VolumeBinding(FakeHandle(claims, pvs, classes))
    assert plugin.pre_filter(CycleState(), pod_with_claim()) == expected


def test_a_generic_ephemeral_volumes_claim_the_pod_does_not_own_is_refused():
    p = pod("cache")
    p["metadata"]["uid"] = "pod-uid"
    p["spec"]["volumes"] = [{"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}}]
    plugin = VolumeBinding(FakeHandle([claim("cache-scratch")]))
    assert plugin.pre_filter(CycleState(), p) == rejected(
        "PVC default/cache-scratch was not created for pod default/cache (pod is not owner)"
    )


# -- Filter --------------------------------------------------------------------------------------
@pytest.mark.parametrize("claims, pvs, classes, expected", [
    ((claim(volume_name="pv0", bound=True),),
     (volume(on_nodes=("node-2",)) | {"spec": {**volume()["spec"], "nodeAffinity": {"required": {
         "nodeSelectorTerms": [{"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}]}}}},),
     (), {"node-1": rejected(NODE_CONFLICT), "node-2": rejected(NODE_CONFLICT)}),
    ((claim(volume_name="gone", bound=True),), (), (),
     {"node-1": rejected(PV_NOT_EXIST), "node-2": rejected(PV_NOT_EXIST)}),
    ((claim(cls="local"),), (), (storage_class("local"),),
     {"node-1": rejected(BIND_CONFLICT), "node-2": rejected(BIND_CONFLICT)}),
    ((claim(cls="local"),), (volume(on_nodes=("node-2",)),), (storage_class("local"),),
     {"node-1": rejected(BIND_CONFLICT), "node-2": SUCCESS}),
    ((claim(cls="local"),), (volume(size="500Mi"),), (storage_class("local"),),
     {"node-1": rejected(BIND_CONFLICT), "node-2": rejected(BIND_CONFLICT)}),
    ((claim(cls="local"),), (volume(phase="Released"),), (storage_class("local"),),
     {"node-1": rejected(BIND_CONFLICT), "node-2": rejected(BIND_CONFLICT)}),
], ids=[
    "a bound volume whose node affinity no node matches is a node affinity conflict",
    "a claim bound to a volume that does not exist makes every node unavailable",
    "a WaitForFirstConsumer claim with no volume of its class finds nothing to bind",
    "a WaitForFirstConsumer claim finds the local volume only on the volume's node",
    "a volume smaller than the request does not match",
    "a Released volume is not Available, so it does not match",
])
def test_filter_finds_pod_volumes_per_node(claims, pvs, classes, expected):
    plugin = VolumeBinding(FakeHandle(claims, pvs, classes))
    state = CycleState()
    result = plugin.pre_filter(state, pod_with_claim())
    assert result[1] == SUCCESS
    verdicts = {n: plugin.filter(state, pod_with_claim(), node_info(worker(n))) for n in ("node-1", "node-2")}
    assert verdicts == expected


# -- with an API server and a running scheduler ----------------------------------------------------
def bind_by_hand(c, claim_name, pv_name):
    """What the PersistentVolume controller's bind writes (its syncClaim for an Immediate claim)."""
    pvc = c.api.get("persistentvolumeclaims", claim_name)
    pv = c.api.get("persistentvolumes", pv_name)
    pv["spec"]["claimRef"] = {"kind": "PersistentVolumeClaim", "namespace": "default", "name": claim_name,
                              "uid": pvc["metadata"]["uid"], "apiVersion": "v1"}
    pv = c.api.update(pv)
    c.api.update_status({**pv, "status": {"phase": "Bound"}})
    pvc["spec"]["volumeName"] = pv_name
    pvc["metadata"]["annotations"] = {"pv.kubernetes.io/bind-completed": "yes"}
    pvc = c.api.update(pvc)
    c.api.update_status({**pvc, "status": {"phase": "Bound"}})


def create_available(c, pv):
    created = c.api.create(pv)
    c.api.update_status({**created, "status": {"phase": "Available"}})


def test_a_pod_with_an_unbound_immediate_claim_waits_until_the_claim_is_bound():
    c = MiniCluster(workers=3, control_plane=True)
    c.create(claim(cls="my-storage-class"))
    c.create(pod_with_claim("web-0"))
    c.settle()
    message = f"0/4 nodes are available: {UNBOUND_IMMEDIATE}. {NOT_HELPFUL_4}"
    assert c.node_of("web-0") == ""
    assert c.events("web-0") == [("Warning", "FailedScheduling", message)]
    create_available(c, volume(cls="my-storage-class", on_nodes=("node-2",)))
    bind_by_hand(c, "data", "pv0")
    c.loop.run(2.0)
    assert c.node_of("web-0") == "node-2"


def test_a_wait_for_first_consumer_claim_is_bound_by_the_scheduler_to_the_volume_on_the_chosen_node():
    c = MiniCluster(workers=3, control_plane=True)
    c.create(storage_class("local"))
    create_available(c, volume("local-pv", on_nodes=("node-3",)))
    c.create(claim(cls="local"))
    c.create(pod_with_claim("db"))
    c.settle()
    assert c.node_of("db") == "node-3"
    pv = c.api.get("persistentvolumes", "local-pv")
    pvc = c.api.get("persistentvolumeclaims", "data")
    ref = pv["spec"]["claimRef"]
    assert (ref["kind"], ref["namespace"], ref["name"], ref["uid"]) == (
        "PersistentVolumeClaim", "default", "data", pvc["metadata"]["uid"])
    assert pv["metadata"]["annotations"] == {"pv.kubernetes.io/bound-by-controller": "yes"}


def test_two_pods_scheduled_in_a_row_do_not_both_take_the_one_available_volume():
    c = MiniCluster(workers=2)
    c.create(storage_class("local"))
    create_available(c, volume("only-pv"))
    c.create(claim("a", cls="local", uid="uid-a"))
    c.create(claim("b", cls="local", uid="uid-b"))
    c.create(pod_with_claim("first", "a"))
    c.create(pod_with_claim("second", "b"))
    c.settle()
    assert c.node_of("first") != ""
    assert c.node_of("second") == ""
    assert c.api.get("persistentvolumes", "only-pv")["spec"]["claimRef"]["name"] == "a"
    assert c.events("second")[-1][2] == (
        f"0/2 nodes are available: 2 {BIND_CONFLICT}. "
        "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    )


# -- VolumeRestrictions and VolumeZone read the claims too ----------------------------------------
def test_a_second_pod_using_a_read_write_once_pod_claim_in_use_is_unschedulable_on_every_node():
    c = MiniCluster(workers=2)
    rwop = claim()
    rwop["spec"]["accessModes"] = ["ReadWriteOncePod"]
    c.create(rwop)
    create_available(c, volume(cls=""))
    bind_by_hand(c, "data", "pv0")
    c.create(pod_with_claim("first"))
    c.settle()
    c.create(pod_with_claim("second"))
    c.settle()
    assert c.node_of("first") != "" and c.node_of("second") == ""
    assert c.events("second")[-1][2] == (
        "0/2 nodes are available: 2 node has pod using PersistentVolumeClaim with the same name and "
        "ReadWriteOncePod access mode. preemption: 0/2 nodes are available: "
        "2 No preemption victims found for incoming pod."
    )


@pytest.mark.parametrize("node_labels, expected", [
    ({}, "node-1"),
    ({"topology.kubernetes.io/zone": "zone-a"}, "node-1"),
    ({"topology.kubernetes.io/zone": "zone-b"}, ""),
], ids=[
    "a node with no zone label may use a zoned volume (a single-zone cluster)",
    "a node in the volume's zone may use it",
    "a node in another zone may not: the pod stays pending",
])
def test_volume_zone_matches_the_bound_volumes_zone_label_with_the_nodes(node_labels, expected):
    c = MiniCluster(workers=1)
    if node_labels:
        n = c.api.get("nodes", "node-1")
        n["metadata"]["labels"].update(node_labels)
        c.api.update(n)
    c.create(claim())
    pv = volume(cls="")
    pv["metadata"]["labels"] = {"topology.kubernetes.io/zone": "zone-a"}
    create_available(c, pv)
    bind_by_hand(c, "data", "pv0")
    c.create(pod_with_claim("db"))
    c.settle()
    assert c.node_of("db") == expected
    if not expected:
        assert c.events("db")[-1][2].startswith("0/1 nodes are available: 1 node(s) had no available volume zone.")
