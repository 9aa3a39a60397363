"""``kubectl get`` and ``kubectl describe`` of PersistentVolumes, PersistentVolumeClaims and StorageClasses.

The expected texts are what the real kubectl v1.32 printed for the same objects, served to it by
tests/kubectl/kubectl_realserver.py. Its tables are made of k8slearn's cells, so the table cases
check the cells against pkg/printers/internalversion/printers.go (printPersistentVolume,
printPersistentVolumeClaim, printStorageClass) by reading. One difference is kubectl's clock: a
deleted volume's ``Terminating (lasts ...)`` is measured here from the simulated now.
"""

import pytest

from k8slearn.api.meta import parse_timestamp
from k8slearn.kubectl.describe_storage import (describe_persistent_volume, describe_persistent_volume_claim,
                                               describe_storage_class, pods_for_claim)
from k8slearn.kubectl.printers import print_table

T0 = "2026-01-05T09:00:00Z"


def meta(name, ns=None, **kw):
    m = {"name": name, "uid": f"uid-{name}", "resourceVersion": "7", "creationTimestamp": T0, **kw}
    if ns:
        m["namespace"] = ns
    return m


PV_HOST = {"apiVersion": "v1", "kind": "PersistentVolume",
           "metadata": meta("task-pv-volume", labels={"type": "local"}, finalizers=["kubernetes.io/pv-protection"],
                            annotations={"pv.kubernetes.io/bound-by-controller": "yes"}),
           "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"], "storageClassName": "manual",
                    "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem",
                    "hostPath": {"path": "/mnt/data", "type": ""},
                    "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": "default",
                                 "name": "task-pv-claim", "uid": "uid-task-pv-claim", "resourceVersion": "5"}},
           "status": {"phase": "Bound", "lastPhaseTransitionTime": T0}}
PV_LOCAL = {"apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": meta("local-pv", finalizers=["kubernetes.io/pv-protection"], deletionTimestamp="2026-01-05T09:01:00Z",
                             deletionGracePeriodSeconds=0),
            "spec": {"capacity": {"storage": "100Gi"}, "accessModes": ["ReadWriteOnce", "ReadOnlyMany"],
                     "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "local-storage",
                     "local": {"path": "/mnt/disks/ssd1"},
                     "nodeAffinity": {"required": {"nodeSelectorTerms": [
                         {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-1", "node-2"]},
                                               {"key": "disk", "operator": "Exists"}]},
                         {"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["z"]}]}]}}},
            "status": {"phase": "Released", "message": "claim gone", "reason": "Gone"}}
PVC_PENDING = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
               "metadata": meta("www-web-0", "default", labels={"app": "nginx"}, finalizers=["kubernetes.io/pvc-protection"]),
               "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "my-storage-class", "volumeMode": "Filesystem",
                        "resources": {"requests": {"storage": "1Gi"}}},
               "status": {"phase": "Pending"}}
PVC_BOUND = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
             "metadata": meta("task-pv-claim", "default", finalizers=["kubernetes.io/pvc-protection"],
                              annotations={"pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes"}),
             "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "manual", "volumeMode": "Filesystem",
                      "volumeName": "task-pv-volume", "resources": {"requests": {"storage": "3Gi"}}},
             "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"},
                        "conditions": [{"type": "Resizing", "status": "True", "lastProbeTime": None,
                                        "lastTransitionTime": T0, "reason": "", "message": "m"}]}}
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": meta("task-pv-pod", "default"),
       "spec": {"containers": [{"name": "c", "image": "nginx"}],
                "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "task-pv-claim"}}]},
       "status": {"phase": "Pending"}}
SC_DEFAULT = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
              "metadata": meta("standard", annotations={"storageclass.kubernetes.io/is-default-class": "true"}),
              "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete", "volumeBindingMode": "WaitForFirstConsumer"}
SC_TOPO = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": meta("topo"),
           "provisioner": "example.com/x", "parameters": {"type": "pd-ssd", "fs": "xfs"}, "allowVolumeExpansion": False,
           "mountOptions": ["debug", "ro"], "reclaimPolicy": "Retain", "volumeBindingMode": "Immediate",
           "allowedTopologies": [{"matchLabelExpressions": [{"key": "zone", "values": ["a", "b"]}, {"key": "rack", "values": ["r1"]}]}]}
OBJECTS = [PV_HOST, PV_LOCAL, PVC_PENDING, PVC_BOUND, POD, SC_DEFAULT, SC_TOPO]
NOW = "2026-01-05T09:02:00Z"
NOW_S = parse_timestamp(NOW)

DESCRIBE_CASES = [
    pytest.param(lambda: describe_persistent_volume(PV_HOST, [], NOW_S),
                 ('Name:            task-pv-volume\n'
     'Labels:          type=local\n'
     'Annotations:     pv.kubernetes.io/bound-by-controller: yes\n'
     'Finalizers:      [kubernetes.io/pv-protection]\n'
     'StorageClass:    manual\n'
     'Status:          Bound\n'
     'Claim:           default/task-pv-claim\n'
     'Reclaim Policy:  Retain\n'
     'Access Modes:    RWO\n'
     'VolumeMode:      Filesystem\n'
     'Capacity:        10Gi\n'
     'Node Affinity:   <none>\n'
     'Message:         \n'
     'Source:\n'
     '    Type:          HostPath (bare host directory volume)\n'
     '    Path:          /mnt/data\n'
     '    HostPathType:  \n'
     'Events:            <none>\n'),
                 id='a bound hostPath volume shows its claim, class, capacity and source'),
    pytest.param(lambda: describe_persistent_volume(PV_LOCAL, [], NOW_S),
                 ('Name:              local-pv\n'
     'Labels:            <none>\n'
     'Annotations:       <none>\n'
     'Finalizers:        [kubernetes.io/pv-protection]\n'
     'StorageClass:      local-storage\n'
     'Status:            Terminating (lasts 60s)\n'
     'Claim:             \n'
     'Reclaim Policy:    Delete\n'
     'Access Modes:      RWO,ROX\n'
     'Capacity:          100Gi\n'
     'Node Affinity:     \n'
     '  Required Terms:  \n'
     '    Term 0:        kubernetes.io/hostname in [node-1, node-2]\n'
     '                   disk exists\n'
     '    Term 1:        zone notin [z]\n'
     'Message:           claim gone\n'
     'Source:\n'
     '    Type:  LocalVolume (a persistent volume backed by local storage on a node)\n'
     '    Path:  /mnt/disks/ssd1\n'
     'Events:    <none>\n'),
                 id='a local volume being deleted shows Terminating, its node affinity terms and its message'),
    pytest.param(lambda: describe_persistent_volume_claim(PVC_PENDING, [], [], NOW_S),
                 ('Name:          www-web-0\n'
     'Namespace:     default\n'
     'StorageClass:  my-storage-class\n'
     'Status:        Pending\n'
     'Volume:        \n'
     'Labels:        app=nginx\n'
     'Annotations:   <none>\n'
     'Finalizers:    [kubernetes.io/pvc-protection]\n'
     'Capacity:      \n'
     'Access Modes:  \n'
     'VolumeMode:    Filesystem\n'
     'Used By:       <none>\n'
     'Events:        <none>\n'),
                 id='a pending claim has no capacity and no access modes yet'),
    pytest.param(lambda: describe_persistent_volume_claim(PVC_BOUND, [], pods_for_claim([POD], PVC_BOUND), NOW_S),
                 ('Name:          task-pv-claim\n'
     'Namespace:     default\n'
     'StorageClass:  manual\n'
     'Status:        Bound\n'
     'Volume:        task-pv-volume\n'
     'Labels:        <none>\n'
     'Annotations:   pv.kubernetes.io/bind-completed: yes\n'
     '               pv.kubernetes.io/bound-by-controller: yes\n'
     'Finalizers:    [kubernetes.io/pvc-protection]\n'
     'Capacity:      10Gi\n'
     'Access Modes:  RWO\n'
     'VolumeMode:    Filesystem\n'
     'Used By:       task-pv-pod\n'
     'Conditions:\n'
     '  Type       Status  LastProbeTime                     LastTransitionTime                Reason  Message\n'
     '  ----       ------  -----------------                 ------------------                ------  -------\n'
     '  Resizing   True    Mon, 01 Jan 0001 00:00:00 +0000   Mon, 05 Jan 2026 09:00:00 +0000           m\n'
     'Events:      <none>\n'),
                 id="a bound claim shows its volume's capacity and modes, the pods using it and its conditions"),
    pytest.param(lambda: describe_storage_class(SC_DEFAULT, [], NOW_S),
                 ('Name:                  standard\n'
     'IsDefaultClass:        Yes\n'
     'Annotations:           storageclass.kubernetes.io/is-default-class=true\n'
     'Provisioner:           rancher.io/local-path\n'
     'Parameters:            <none>\n'
     'AllowVolumeExpansion:  <unset>\n'
     'MountOptions:          <none>\n'
     'ReclaimPolicy:         Delete\n'
     'VolumeBindingMode:     WaitForFirstConsumer\n'
     'Events:                <none>\n'),
                 id='the default class says so and prints its annotations as labels'),
    pytest.param(lambda: describe_storage_class(SC_TOPO, [], NOW_S),
                 ('Name:                  topo\n'
     'IsDefaultClass:        No\n'
     'Annotations:           <none>\n'
     'Provisioner:           example.com/x\n'
     'Parameters:            fs=xfs,type=pd-ssd\n'
     'AllowVolumeExpansion:  False\n'
     'MountOptions:\n'
     '  debug\n'
     '  ro\n'
     'ReclaimPolicy:      Retain\n'
     'VolumeBindingMode:  Immediate\n'
     'AllowedTopologies:  \n'
     '  Term 0:           zone in [a, b]\n'
     '                    rack in [r1]\n'
     'Events:             <none>\n'),
                 id='a class with parameters, mount options and allowed topologies lists them all'),
]


@pytest.mark.parametrize("describe, expected", DESCRIBE_CASES)
def test_describe_prints_what_kubectl_1_32_prints(describe, expected):
    assert describe() == expected


def _rows(resource, objects):
    return [row for row in print_table(resource, objects, NOW_S).rows]


TABLE_CASES = [
    pytest.param('persistentvolumes', [PV_LOCAL, PV_HOST],
                 [['local-pv', '100Gi', 'RWO,ROX', 'Delete', 'Terminating', '', 'local-storage', '<unset>', 'Gone', '2m', '<unset>'],
                  ['task-pv-volume', '10Gi', 'RWO', 'Retain', 'Bound', 'default/task-pv-claim', 'manual', '<unset>', '', '2m', 'Filesystem']],
                 id='persistent volumes show capacity, modes, policy, phase, claim, class, reason and, wide, the volume mode'),
    pytest.param('persistentvolumeclaims', [PVC_BOUND, PVC_PENDING],
                 [['task-pv-claim', 'Bound', 'task-pv-volume', '10Gi', 'RWO', 'manual', '<unset>', '2m', 'Filesystem'],
                  ['www-web-0', 'Pending', '', '', '', 'my-storage-class', '<unset>', '2m', 'Filesystem']],
                 id="claims show their volume's capacity and modes only once bound"),
    pytest.param('storageclasses', [SC_DEFAULT, SC_TOPO],
                 [['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', 'false', '2m'],
                  ['topo', 'example.com/x', 'Retain', 'Immediate', 'false', '2m']],
                 id='the default storage class is marked (default) after its name'),
]


@pytest.mark.parametrize("resource, objects, rows", TABLE_CASES)
def test_table_cells_are_those_kubectl_1_32_shows(resource, objects, rows):
    assert _rows(resource, objects) == rows
