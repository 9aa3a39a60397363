"""A pod's PersistentVolumeClaim volume on the kubelet: the populator follows the claim to its bound
PersistentVolume; a hostPath or local volume is a directory of the node, shared by the pods there;
a claim that is not bound yet keeps the pod in ContainerCreating with upstream's event."""

import pytest
import yaml

from k8slearn import Cluster
from k8slearn.kubelet.unmountable_volumes import pv_volume_spec

CLAIM = {"metadata": {"name": "data", "namespace": "default", "uid": "claim-uid"},
         "spec": {"volumeName": "pv0"}, "status": {"phase": "Bound"}}
VOLUME = {"metadata": {"name": "pv0"},
          "spec": {"hostPath": {"path": "/mnt/data"}, "claimRef": {"name": "data", "uid": "claim-uid"}}}
POD_VOLUME = {"name": "www", "persistentVolumeClaim": {"claimName": "data"}}


def objects(claim=CLAIM, pv=VOLUME):
    store = {("persistentvolumeclaims", "data"): claim, ("persistentvolumes", "pv0"): pv}
    return lambda resource, name, namespace: store.get((resource, name))


def changed(obj, **parts):
    return {**obj, **{key: {**obj[key], **value} for key, value in parts.items()}}


@pytest.mark.parametrize("claim, pv, expected", [
    (None, VOLUME, ({}, 'failed to fetch PVC from API server: persistentvolumeclaims "data" not found')),
    (changed(CLAIM, status={"phase": "Pending"}), VOLUME, ({}, "PVC is not bound")),
    (changed(CLAIM, metadata={"deletionTimestamp": "2026-01-05T09:00:00Z"}), VOLUME, ({}, "PVC is being deleted")),
    ({**CLAIM, "spec": {}}, VOLUME, ({}, "PVC has empty pvc.Spec.VolumeName")),
    (CLAIM, None, ({}, 'failed to fetch PV pv0 from API server: persistentvolumes "pv0" not found')),
    (CLAIM, {**VOLUME, "spec": {"hostPath": {"path": "/mnt/data"}}},
     ({}, "found PV object pv0 but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim")),
    (CLAIM, changed(VOLUME, spec={"claimRef": {"name": "data", "uid": "other"}}),
     ({}, "found PV object pv0 but its pv.Spec.ClaimRef.UID other does not point to claim.UID claim-uid")),
    (CLAIM, VOLUME, ({"name": "pv0", "hostPath": {"path": "/mnt/data"}}, "")),
    (CLAIM, {**VOLUME, "spec": {"local": {"path": "/mnt/disks/ssd1"}, "claimRef": {"uid": "claim-uid"}}},
     ({"name": "pv0", "hostPath": {"path": "/mnt/disks/ssd1"}}, "")),
    (CLAIM, {**VOLUME, "spec": {"nfs": {"server": "10.0.0.5", "path": "/exports"}, "claimRef": {"uid": "claim-uid"}}},
     ({"name": "pv0", "nfs": {"server": "10.0.0.5", "path": "/exports"}}, "")),
], ids=[
    "a claim that does not exist cannot be fetched",
    "a claim that is still Pending is not bound",
    "a claim being deleted is refused",
    "a Bound claim without a volume name is refused",
    "a claim bound to a volume that does not exist cannot fetch it",
    "a volume with no claimRef is not yet bound to the claim",
    "a volume bound to another claim of the same name is refused",
    "a hostPath volume is mounted as a hostPath volume named after the PersistentVolume",
    "a local volume is a directory of the node, mounted like a hostPath one",
    "another kind keeps its source, so its own SetUp answers as for an inline volume",
])
def test_the_populator_follows_the_claim_to_its_volume(claim, pv, expected):
    spec, error = pv_volume_spec(POD_VOLUME, "data", "default", objects(claim, pv))
    assert (spec if not error else {}, error) == expected


# -- on a cluster ----------------------------------------------------------------------------------
PV_AND_CLAIM = """
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv0
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  hostPath: {path: /mnt/data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
"""


def pod(name, command, node="node-1"):
    return yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": {
        "nodeName": node,
        "containers": [{"name": "app", "image": "busybox", "command": ["sh", "-c", command],
                        "volumeMounts": [{"name": "www", "mountPath": "/data"}]}],
        "volumes": [POD_VOLUME]}})


def bind_by_hand(c):
    """What the PersistentVolume controller's bind writes."""
    pvc = c.api.get("persistentvolumeclaims", "data")
    pv = c.api.get("persistentvolumes", "pv0")
    pv["spec"]["claimRef"] = {"kind": "PersistentVolumeClaim", "namespace": "default", "name": "data",
                              "uid": pvc["metadata"]["uid"], "apiVersion": "v1"}
    pv = c.api.update(pv)
    c.api.update_status({**pv, "status": {"phase": "Bound"}})
    pvc["spec"]["volumeName"] = "pv0"
    pvc["metadata"]["annotations"] = {"pv.kubernetes.io/bind-completed": "yes"}
    pvc = c.api.update(pvc)
    c.api.update_status({**pvc, "status": {"phase": "Bound"}})


def test_two_pods_on_a_node_share_the_files_of_a_hostpath_persistent_volume():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=PV_AND_CLAIM)
    bind_by_hand(c)
    c.kubectl("apply -f -", stdin=pod("writer", "echo hello > /data/index.html; sleep 3600"))
    c.kubectl("apply -f -", stdin=pod("reader", "sleep 3600"))
    c.settle()
    c.run(5)
    assert c.kubectl("exec reader -- cat /data/index.html").stdout == "hello\n"


def test_a_pod_whose_claim_is_not_bound_waits_in_container_creating_with_upstreams_event():
    c = Cluster(workers=1, seed=0)
    c.kubectl("apply -f -", stdin=PV_AND_CLAIM.split("---")[1].replace("manual", "slow"))
    c.kubectl("apply -f -", stdin=pod("web", "sleep 3600"))
    c.settle()
    c.run(1)
    assert c.kubectl("get pod web").stdout.split("\n")[1].split()[1:3] == ["0/1", "ContainerCreating"]
    messages = [e["message"] for e in c.api.list("events", "default")
                if e["involvedObject"]["name"] == "web" and e["reason"] == "FailedMount"]
    assert messages == [
        "Unable to attach or mount volumes: unmounted volumes=[www], unattached volumes=[], failed to process "
        "volumes=[www]: error processing PVC default/data: PVC is not bound"
    ]
