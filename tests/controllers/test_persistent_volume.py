"""The PV controller (persistentvolume-binder) and the PVC / PV protection controllers, on a
cluster with no default StorageClass and no provisioner, as kubeadm leaves it."""

from __future__ import annotations

import pytest

from k8slearn import Cluster
from k8slearn.api.volume_matching import find_best_match_for_claim, find_matching_volume
from k8slearn.controllers.persistent_volume_reclaim import is_volume_released


# ---- builders -----------------------------------------------------------------------------------

def pv(name, size="1Gi", cls="", modes=("ReadWriteOnce",), phase="Available", **spec):
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name, **spec.pop("meta", {})},
            "spec": {"capacity": {"storage": size}, "accessModes": list(modes), "storageClassName": cls,
                     "hostPath": {"path": f"/mnt/{name}"}, **spec},
            "status": {"phase": phase}}


def pvc(name="data", size="1Gi", cls="", modes=("ReadWriteOnce",), **spec):
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
             "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}"},
             "spec": {"accessModes": list(modes), "resources": {"requests": {"storage": size}}, **spec}}
    if cls is not None:
        claim["spec"]["storageClassName"] = cls
    return claim


def storage_class(name, provisioner="kubernetes.io/no-provisioner", mode="Immediate", default=False):
    meta = {"name": name}
    if default:
        meta["annotations"] = {"storageclass.kubernetes.io/is-default-class": "true"}
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": meta,
            "provisioner": provisioner, "volumeBindingMode": mode}


def events_of(c, name):
    return [(e["type"], e["reason"], e["message"]) for e in c.api.list("events", "default")
            if e["involvedObject"]["name"] == name]


def strip(obj):
    """An object as a user would create it (no status, no uid)."""
    meta = {k: v for k, v in obj["metadata"].items() if k != "uid"}
    return {k: v for k, v in {**obj, "metadata": meta}.items() if k != "status"}


@pytest.fixture
def c():
    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    return cluster


# ---- matching -----------------------------------------------------------------------------------

MATCH_CASES = [
    ("the smallest volume that holds the request wins",
     pvc(size="1Gi"), [pv("big", "10Gi"), pv("fit", "2Gi"), pv("small", "500Mi")], "fit"),
    ("a volume of another storage class is not matched",
     pvc(cls="fast"), [pv("slow", cls="slow"), pv("fast", "5Gi", cls="fast")], "fast"),
    ("a volume lacking a requested access mode is not matched",
     pvc(modes=("ReadWriteMany",)), [pv("rwo"), pv("rwx", "9Gi", modes=("ReadWriteMany",))], "rwx"),
    ("a volume whose access modes are exactly the claim's is preferred to a smaller superset",
     pvc(), [pv("superset", "1Gi", modes=("ReadWriteOnce", "ReadOnlyMany")), pv("exact", "5Gi")], "exact"),
    ("a block volume does not serve a filesystem claim",
     pvc(), [pv("block", volumeMode="Block")], None),
    ("a volume whose labels miss the claim's selector is not matched",
     pvc(selector={"matchLabels": {"tier": "db"}}),
     [pv("plain"), pv("db", "3Gi", meta={"labels": {"tier": "db"}})], "db"),
    ("a Released volume is not matched", pvc(), [pv("old", phase="Released")], None),
    ("a volume pre-bound to the claim wins over a smaller free one",
     pvc(), [pv("free"), pv("mine", "8Gi", claimRef={"namespace": "default", "name": "data"})], "mine"),
    ("a volume pre-bound to another claim is not matched",
     pvc(), [pv("theirs", claimRef={"namespace": "default", "name": "other"})], None),
]


@pytest.mark.parametrize("claim, volumes, expected", [c[1:] for c in MATCH_CASES], ids=[c[0] for c in MATCH_CASES])
def test_find_best_match_for_claim(claim, volumes, expected):
    best = find_best_match_for_claim(claim, volumes)
    assert (best and best["metadata"]["name"]) == expected


def test_the_pv_controller_leaves_a_wait_for_first_consumer_claim_to_the_scheduler():
    assert find_best_match_for_claim(pvc(), [pv("free")], delay_binding=True) is None
    prebound = pv("mine", claimRef={"namespace": "default", "name": "data"})
    assert find_best_match_for_claim(pvc(), [prebound], delay_binding=True) is prebound


def test_the_scheduler_path_checks_the_volumes_node_affinity():
    local = pv("local", nodeAffinity={"required": {"nodeSelectorTerms": [{"matchExpressions": [
        {"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-1"]}]}]}})
    node1 = {"metadata": {"name": "node-1", "labels": {"kubernetes.io/hostname": "node-1"}}}
    node2 = {"metadata": {"name": "node-2", "labels": {"kubernetes.io/hostname": "node-2"}}}
    assert find_matching_volume(pvc(), [local], node1) is local
    assert find_matching_volume(pvc(), [local], node2) is None


# ---- the PV controller: why a claim stays Pending -------------------------------------------------

NO_CLASS = ("Normal", "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set")
PENDING_CASES = [
    ("a claim of no class with no volume says so", [], "", NO_CLASS, 3),
    ("a claim of a class that does not exist gets ProvisioningFailed", [], "my-storage-class",
     ("Warning", "ProvisioningFailed", 'storageclass.storage.k8s.io "my-storage-class" not found'), 3),
    ("a claim of a no-provisioner class gets ProvisioningFailed", [storage_class("local")], "local",
     ("Warning", "ProvisioningFailed", "no volume plugin matched name: kubernetes.io/no-provisioner"), 3),
    ("a claim of a WaitForFirstConsumer class waits for a pod",
     [storage_class("local", mode="WaitForFirstConsumer")], "local",
     ("Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding"), 3),
    ("a claim of an external provisioner's class waits for that provisioner",
     [storage_class("nfs", provisioner="nfs.csi.k8s.io")], "nfs",
     ("Normal", "ExternalProvisioning", "Waiting for a volume to be created either by the external provisioner "
      "'nfs.csi.k8s.io' or manually by the system administrator. If volume creation is delayed, please verify "
      "that the provisioner is running and correctly registered."), 4),  # + the sync of its annotation
]


@pytest.mark.parametrize("classes, cls, event, count", [c[1:] for c in PENDING_CASES],
                         ids=[c[0] for c in PENDING_CASES])
def test_a_claim_without_a_volume_stays_pending_and_says_why(c, classes, cls, event, count):
    for sc in classes:
        c.api.create(sc)
    c.api.create(strip(pvc(cls=cls)))
    c.settle()
    c.run(seconds=31)
    claim = c.api.get("persistentvolumeclaims", "data")
    assert claim["status"]["phase"] == "Pending"
    assert "volumeName" not in claim["spec"]
    recorded = c.api.list("events", "default")
    [stored] = [e for e in recorded if e["involvedObject"]["name"] == "data"]
    assert (stored["type"], stored["reason"], stored["message"]) == event
    assert stored["count"] == count  # the sync at creation, then the 15 s resyncs
    assert stored["source"] == {"component": "persistentvolume-controller"}


def test_a_claim_binds_to_a_matching_volume_and_both_become_bound(c):
    c.api.create(strip(pvc()))
    c.api.create(strip(pv("pv-1", "2Gi")))
    c.settle()
    c.run(seconds=16)
    claim = c.api.get("persistentvolumeclaims", "data")
    volume = c.api.get("persistentvolumes", "pv-1")
    assert claim["spec"]["volumeName"] == "pv-1"
    assert claim["status"] == {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "2Gi"}}
    assert {k: v for k, v in claim["metadata"]["annotations"].items() if k.startswith("pv.")} == {
        "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes"}
    assert volume["metadata"]["annotations"] == {"pv.kubernetes.io/bound-by-controller": "yes"}
    ref = volume["spec"]["claimRef"]
    assert (ref["kind"], ref["namespace"], ref["name"], ref["uid"]) == (
        "PersistentVolumeClaim", "default", "data", claim["metadata"]["uid"])
    assert volume["status"]["phase"] == "Bound"
    assert c.kubectl("get pvc data").stdout.splitlines()[1].split()[:5] == ["data", "Bound", "pv-1", "2Gi", "RWO"]


def test_a_deleted_claims_retained_volume_becomes_released_and_keeps_its_claim_ref(c):
    c.api.create(strip(pvc()))
    c.api.create(strip(pv("pv-1")))
    c.settle()
    c.run(seconds=16)
    c.api.delete("persistentvolumeclaims", "data")
    c.settle()
    volume = c.api.get("persistentvolumes", "pv-1")
    assert volume["status"]["phase"] == "Released"
    assert volume["spec"]["claimRef"]["name"] == "data"
    # a new claim of the same name is another object: the volume is not handed to it
    c.api.create(strip(pvc()))
    c.settle()
    c.run(seconds=16)
    assert c.api.get("persistentvolumeclaims", "data")["status"]["phase"] == "Pending"


def test_a_claim_asking_for_a_too_small_volume_gets_volume_mismatch(c):
    c.api.create(strip(pv("small", "500Mi")))
    c.api.create(strip(pvc(volumeName="small")))
    c.settle()
    assert ("Warning", "VolumeMismatch", 'Cannot bind to requested volume "small": requested PV is too small') \
        in events_of(c, "data")
    assert c.api.get("persistentvolumeclaims", "data")["status"]["phase"] == "Pending"


def test_a_claim_with_no_class_gets_the_default_class_once_one_exists(c):
    c.api.create(strip(pvc(cls=None)))
    c.settle()
    c.api.create(storage_class("standard", default=True))
    c.settle()
    c.run(seconds=16)
    assert c.api.get("persistentvolumeclaims", "data")["spec"]["storageClassName"] == "standard"


# ---- protection -----------------------------------------------------------------------------------

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "user", "namespace": "default"},
       "spec": {"containers": [{"name": "c", "image": "busybox", "command": ["sleep", "3600"]}],
                "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}]}}


def test_a_claim_in_use_is_deleted_only_after_its_pod_and_then_frees_the_volume(c):
    c.api.create(strip(pvc()))
    c.api.create(strip(pv("pv-1")))
    c.settle()
    c.run(seconds=16)
    c.api.create(POD)
    c.settle()
    assert c.api.get("pods", "user")["spec"].get("nodeName")
    c.api.delete("persistentvolumeclaims", "data")
    c.settle()
    claim = c.api.get("persistentvolumeclaims", "data")
    assert claim["metadata"]["deletionTimestamp"]
    assert claim["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert c.kubectl("get pvc data").stdout.splitlines()[1].split()[1] == "Terminating"
    # the bound volume cannot go either, while it is Bound
    c.api.delete("persistentvolumes", "pv-1")
    c.settle()
    assert c.api.get("persistentvolumes", "pv-1")["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    c.api.delete("pods", "user")
    c.settle()
    assert c.api.list("persistentvolumeclaims", "default") == []
    assert c.api.list("persistentvolumes") == []


def test_a_wait_for_first_consumer_claim_binds_to_the_local_volume_of_the_node_its_pod_lands_on(c):
    local = pv("local-pv", cls="local-storage", local={"path": "/mnt/disks/ssd1"}, nodeAffinity={"required": {
        "nodeSelectorTerms": [{"matchExpressions": [
            {"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-2"]}]}]}})
    del local["spec"]["hostPath"]
    c.api.create(storage_class("local-storage", mode="WaitForFirstConsumer"))
    c.api.create(strip(local))
    c.api.create(strip(pvc(cls="local-storage")))
    c.settle()
    assert c.api.get("persistentvolumeclaims", "data")["status"]["phase"] == "Pending"
    c.api.create(POD)
    c.settle()
    assert c.api.get("pods", "user")["spec"]["nodeName"] == "node-2"
    claim = c.api.get("persistentvolumeclaims", "data")
    assert (claim["status"]["phase"], claim["spec"]["volumeName"]) == ("Bound", "local-pv")
    assert c.api.get("persistentvolumes", "local-pv")["status"]["phase"] == "Bound"


# ---- reclaim --------------------------------------------------------------------------------------

NODE_1_AFFINITY = {"required": {"nodeSelectorTerms": [{"matchExpressions": [
    {"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-1"]}]}]}}
RECLAIM_CASES = [
    ("a Delete hostPath volume outside /tmp fails with the host_path deleter's error",
     "Delete", {"hostPath": {"path": "/mnt/data"}}, {},
     "Failed",
     ("Warning", "VolumeFailedDelete", "host_path deleter only supports /tmp/.+ but received provided /mnt/data")),
    ("a Delete hostPath volume under /tmp is deleted", "Delete", {"hostPath": {"path": "/tmp/data"}}, {}, None, None),
    ("a Delete hostPath volume whose path has /tmp/ inside is deleted too (the regexp is not anchored)",
     "Delete", {"hostPath": {"path": "/var/tmp/data"}}, {}, None, None),
    ("a Delete local volume fails: the local plugin deletes nothing",
     "Delete", {"local": {"path": "/mnt/disks/ssd1"}, "nodeAffinity": NODE_1_AFFINITY}, {}, "Failed",
     ("Warning", "VolumeFailedDelete",
      'error getting deleter volume plugin for volume "pv-1": no deletable volume plugin matched')),
    ("a Delete nfs volume fails: the nfs plugin only recycles",
     "Delete", {"nfs": {"server": "10.0.0.1", "path": "/export"}}, {}, "Failed",
     ("Warning", "VolumeFailedDelete",
      'error getting deleter volume plugin for volume "pv-1": no deletable volume plugin matched')),
    ("a Delete iscsi volume fails: kube-controller-manager has no iscsi plugin", "Delete",
     {"iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.2001-04.com.example:storage.disk1", "lun": 0}}, {}, "Failed",
     ("Warning", "VolumeFailedDelete", 'error getting deleter volume plugin for volume "pv-1": no volume plugin matched')),
    ("a Delete CSI volume waits, Released, for its driver to delete it",
     "Delete", {"csi": {"driver": "ebs.csi.aws.com", "volumeHandle": "vol-1"}}, {}, "Released", None),
    ("a Delete volume of a CSI-migrated in-tree source waits, Released, for the CSI driver",
     "Delete", {"awsElasticBlockStore": {"volumeID": "vol-0a1b2c"}}, {}, "Released", None),
    ("a Delete volume of an external provisioner waits, Released, for that provisioner",
     "Delete", {"hostPath": {"path": "/mnt/data"}}, {"pv.kubernetes.io/provisioned-by": "rancher.io/local-path"},
     "Released", None),
    ("a Delete volume provisioned by an unknown in-tree plugin fails with the plugin lookup's error",
     "Delete", {"hostPath": {"path": "/tmp/data"}}, {"pv.kubernetes.io/provisioned-by": "kubernetes.io/no-provisioner"},
     "Failed", ("Warning", "VolumeFailedDelete", "no volume plugin matched name: kubernetes.io/no-provisioner")),
    ("a Recycle local volume fails: no recycler plugin for it",
     "Recycle", {"local": {"path": "/mnt/disks/ssd1"}, "nodeAffinity": NODE_1_AFFINITY}, {}, "Failed",
     ("Warning", "VolumeFailedRecycle", "No recycler plugin found for the volume!")),
    ("a Recycle hostPath volume stays Released (its recycler pod is not simulated)",
     "Recycle", {"hostPath": {"path": "/mnt/data"}}, {}, "Released", None),
    ("a Retain volume stays Released", "Retain", {"hostPath": {"path": "/tmp/data"}}, {}, "Released", None),
]


@pytest.mark.parametrize("policy, source, annotations, phase, event", [case[1:] for case in RECLAIM_CASES],
                         ids=[case[0] for case in RECLAIM_CASES])
def test_a_released_volume_is_reclaimed_by_its_policy(c, policy, source, annotations, phase, event):
    volume = pv("pv-1", persistentVolumeReclaimPolicy=policy, meta={"annotations": annotations} if annotations else {})
    del volume["spec"]["hostPath"]
    volume["spec"].update(source)
    c.api.create(strip(volume))
    c.api.create(strip(pvc()))
    c.settle()
    c.run(seconds=16)
    assert c.api.get("persistentvolumes", "pv-1")["status"]["phase"] == "Bound"
    c.api.delete("persistentvolumeclaims", "data")
    c.settle()
    c.run(seconds=46)  # three more syncs: a Failed volume is retried, its event recorded once
    volumes = {v["metadata"]["name"]: v for v in c.api.list("persistentvolumes")}
    if phase is None:
        assert volumes == {}
        return
    status = volumes["pv-1"]["status"]
    assert (status["phase"], status.get("message")) == (phase, event[2] if event else None)
    reasons = [e for e in events_of(c, "pv-1") if e[1] != "FailedBinding"]
    assert reasons == ([event] if event else [])


def test_a_failed_delete_shows_in_kubectl_get_and_describe(c):
    c.api.create(strip(pv("pv-1", persistentVolumeReclaimPolicy="Delete")))
    c.api.create(strip(pvc()))
    c.settle()
    c.run(seconds=16)
    c.kubectl("delete pvc data")
    c.settle()
    assert c.kubectl("get pv pv-1").stdout.splitlines()[1].split()[3:6] == ["Delete", "Failed", "default/data"]
    describe = c.kubectl("describe pv pv-1").stdout
    assert "Message:         host_path deleter only supports /tmp/.+ but received provided /mnt/pv-1\n" in describe
    event = describe.split("Events:\n")[1].splitlines()[2].split(None, 4)
    assert [event[0], event[1], event[3], event[4]] == [
        "Warning", "VolumeFailedDelete", "persistentvolume-controller",
        "host_path deleter only supports /tmp/.+ but received provided /mnt/pv-1"]


def test_a_volume_is_released_only_once_its_claim_is_gone_or_bound_elsewhere():
    """isVolumeReleased, which deleteVolumeOperation checks again before it deletes anything."""
    volume = {"metadata": {"name": "pv-1"}, "spec": {"claimRef": {"namespace": "default", "name": "data", "uid": "u1"}}}
    claim = {"metadata": {"uid": "u1"}, "spec": {"volumeName": "pv-1"}}
    assert not is_volume_released(volume, claim)
    assert is_volume_released(volume, {"metadata": {"uid": "u2"}, "spec": {}})
    assert is_volume_released(volume, {"metadata": {"uid": "u1"}, "spec": {"volumeName": "pv-2"}})
    assert is_volume_released(volume, None)
    assert not is_volume_released({"metadata": {"name": "pv-1"}, "spec": {"claimRef": {"name": "data"}}}, None)


def test_a_recycle_volume_whose_claim_a_pod_still_names_is_not_recycled(c):
    c.api.create(strip(pv("pv-1", persistentVolumeReclaimPolicy="Recycle")))
    c.api.create(strip(pvc()))
    c.settle()
    c.run(seconds=16)
    c.api.delete("persistentvolumeclaims", "data")
    c.settle()
    c.api.create(POD)  # names the claim that is gone: Pending, not terminated
    c.run(seconds=16)
    assert ("Normal", "VolumeFailedRecycle", "Volume is used by pods: default/user") in events_of(c, "pv-1")
    assert c.api.get("persistentvolumes", "pv-1")["status"]["phase"] == "Released"
