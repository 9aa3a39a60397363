"""PersistentVolume, PersistentVolumeClaim and StorageClass validation, after defaulting, against
pkg/apis/core/validation/validation.go (ValidatePersistentVolume(Spec), ValidatePersistentVolumeClaim(Update))
and pkg/apis/storage/validation/validation.go (ValidateStorageClass(Update))."""

import copy

import pytest

from k8slearn.api.defaults import apply_defaults
from k8slearn.api.validation import validate

DNS1123 = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
           "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


def defaulted(obj):
    obj = copy.deepcopy(obj)
    apply_defaults(obj)
    return obj


def messages(obj, old=None, subresource=""):
    return [e.error() for e in validate(defaulted(obj), defaulted(old) if old else None, subresource)]


def pv(**spec):
    base = {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}, "hostPath": {"path": "/mnt/data"}}
    base.update(spec)
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pv0"},
            "spec": {k: v for k, v in base.items() if v is not None}}


def pvc(name="data", **spec):
    base = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    base.update(spec)
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": name, "namespace": "default", "resourceVersion": "5"},
            "spec": {k: v for k, v in base.items() if v is not None}}


def sc(**fields):
    base = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fast"},
            "provisioner": "kubernetes.io/no-provisioner"}
    base.update(fields)
    return base


LOCAL_AFFINITY = {"required": {"nodeSelectorTerms": [{"matchExpressions": [
    {"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-1"]}]}]}}

CREATE_CASES = [
    ("a hand-made hostPath volume of 1Gi is valid", pv(), []),
    ("a local volume with node affinity is valid", pv(hostPath=None, local={"path": "/mnt/disks/ssd1"},
                                                     nodeAffinity=LOCAL_AFFINITY), []),
    ("a volume without access modes, capacity or source lists all three",
     pv(accessModes=None, capacity=None, hostPath=None),
     ["spec.accessModes: Required value", "spec.capacity: Required value",
      'spec.capacity: Unsupported value: core.ResourceList(nil): supported values: "storage"',
      "spec: Required value: must specify a volume type"]),
    ("a zero capacity must be greater than zero", pv(capacity={"storage": "0"}),
     ['spec.capacity[storage]: Invalid value: "0": must be greater than zero']),
    ("a reclaim policy must be Delete, Recycle or Retain", pv(persistentVolumeReclaimPolicy="Keep"),
     ['spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", '
      '"Retain"']),
    ("a volume may set one source only", pv(nfs={"server": "10.0.0.5", "path": "/exports"}),
     ["spec.nfs: Forbidden: may not specify more than 1 volume type"]),
    ("a local volume needs node affinity", pv(hostPath=None, local={"path": "/mnt/disks/ssd1"}),
     ["spec.nodeAffinity: Required value: Local volume requires node affinity"]),
    ("a local volume's path may not step back", pv(hostPath=None, local={"path": "/mnt/../etc"},
                                                   nodeAffinity=LOCAL_AFFINITY),
     ["spec.local.path: Invalid value: \"/mnt/../etc\": must not contain '..'"]),
    ("node affinity needs required terms", pv(nodeAffinity={}),
     ["spec.nodeAffinity.required: Required value: must specify required node constraints"]),
    ("ReadWriteOncePod goes alone", pv(accessModes=["ReadWriteOncePod", "ReadWriteOnce"]),
     ["spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"]),
    ("a volume's class name is a DNS subdomain", pv(storageClassName="My_Class"),
     [f'spec.storageClassName: Invalid value: "My_Class": {DNS1123}']),
    ("a claim of 1Gi ReadWriteOnce is valid", pvc(), []),
    ("a claim needs an access mode and a storage request", pvc(accessModes=None, resources=None),
     ["spec.accessModes: Required value: at least 1 access mode is required",
      "spec.resources[storage]: Required value"]),
    ("a claim's name is a DNS subdomain", pvc(name="Data"), [f'metadata.name: Invalid value: "Data": {DNS1123}']),
    ("a storage class with no provisioner, a Recycle policy and an unknown binding mode lists all three",
     sc(provisioner="", reclaimPolicy="Recycle", volumeBindingMode="Later"),
     ["provisioner: Required value",
      'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"']),
    ("a storage class's topology values may not repeat",
     sc(allowedTopologies=[{"matchLabelExpressions": [{"key": "zone", "values": ["a", "a"]}]}]),
     ['allowedTopologies[0].matchLabelExpressions[0].values[1]: Duplicate value: "a"']),
    ("two identical topology terms are duplicates",
     sc(allowedTopologies=[{"matchLabelExpressions": [{"key": "zone", "values": ["a"]}]},
                           {"matchLabelExpressions": [{"key": "zone", "values": ["a"]}]}]),
     ['allowedTopologies[1].matchLabelExpressions: Duplicate value: ""']),
]


@pytest.mark.parametrize("obj, expected", [pytest.param(o, e, id=s) for s, o, e in CREATE_CASES])
def test_create_validation_reports_upstreams_errors(obj, expected):
    assert messages(obj) == expected


def with_status(obj, **status):
    return {**obj, "status": status}


IMMUTABLE = ("spec: Forbidden: spec is immutable after creation except resources.requests and "
             "volumeAttributesClassName for bound claims")

UPDATE_CASES = [
    ("the binder may name a pending claim's volume once", pvc(volumeName="pv0"), pvc(), []),
    ("a bound claim's volume cannot be renamed", pvc(volumeName="pv1"), pvc(volumeName="pv0"), [IMMUTABLE]),
    ("a claim without a class may be given one (the retroactive default class)",
     pvc(storageClassName="gold"), pvc(), []),
    ("a claim's class cannot change", pvc(storageClassName="silver"), pvc(storageClassName="gold"), [IMMUTABLE]),
    ("a claim's access modes cannot change", pvc(accessModes=["ReadWriteMany"]), pvc(), [IMMUTABLE]),
    ("a bound claim may ask for more storage",
     with_status(pvc(volumeName="pv0", resources={"requests": {"storage": "2Gi"}}), phase="Bound"),
     with_status(pvc(volumeName="pv0"), phase="Bound"), []),
    ("a pending claim may not change its request, nor shrink it",
     pvc(resources={"requests": {"storage": "512Mi"}}), pvc(),
     [IMMUTABLE, "spec.resources.requests.storage: Forbidden: field can not be less than previous value"]),
    ("a volume's source cannot change", pv(hostPath={"path": "/mnt/other"}), pv(),
     ["spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation"]),
    ("a volume's capacity and class may change", pv(capacity={"storage": "2Gi"}, storageClassName="gold"), pv(), []),
    ("a storage class's provisioner, parameters and binding mode are fixed",
     sc(provisioner="example.com/x", parameters={"type": "ssd"}, volumeBindingMode="WaitForFirstConsumer"), sc(),
     ["parameters: Forbidden: updates to parameters are forbidden.",
      "provisioner: Forbidden: updates to provisioner are forbidden.",
      'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable']),
    ("a storage class's reclaim policy is fixed", sc(reclaimPolicy="Retain"), sc(),
     ["reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden."]),
]


@pytest.mark.parametrize("new, old, expected", [pytest.param(n, o, e, id=s) for s, n, o, e in UPDATE_CASES])
def test_update_validation_reports_upstreams_errors(new, old, expected):
    assert messages(new, old) == expected


def test_a_status_update_may_change_a_claims_status_freely():
    assert messages(with_status(pvc(), phase="Bound", capacity={"storage": "1Gi"}), pvc(), "status") == []
