"""The API server serves PersistentVolumeClaims, PersistentVolumes and StorageClasses: their defaults,
strategies (status only through /status; a volume's phase transition time) and the storage admission
plugins (DefaultStorageClass, StorageObjectInUseProtection).

Upstream: pkg/registry/core/persistentvolume(claim)/strategy.go, pkg/apis/{core,storage}/v1/defaults.go,
plugin/pkg/admission/storage/storageclass/setdefault, plugin/pkg/admission/storage/storageobjectinuseprotection
"""

import pytest
from apiserver_builders import pod

from k8slearn.api.errors import ApiError
from k8slearn.apiserver.admission import CREATE, Attributes, Lister
from k8slearn.apiserver.admission_storage import default_storage_class


def claim(name="data", **spec):
    body = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1024Mi"}}, **spec}
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name}, "spec": body}


def volume(name="pv0", **spec):
    body = {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}, "hostPath": {"path": "/mnt/data"},
            **spec}
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name}, "spec": body}


def storage_class(name="gold", default=False, created=None):
    meta = {"name": name}
    if default:
        meta["annotations"] = {"storageclass.kubernetes.io/is-default-class": "true"}
    if created:
        meta["creationTimestamp"] = created
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": meta,
            "provisioner": "kubernetes.io/no-provisioner"}


def test_a_new_claim_is_pending_file_system_storage_with_its_protection_finalizer(api):
    created = api.create(claim(), namespace="default")
    assert created["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert created["spec"]["volumeMode"] == "Filesystem"
    assert created["spec"]["resources"]["requests"]["storage"] == "1Gi"
    assert created["status"] == {"phase": "Pending"}
    assert "storageClassName" not in created["spec"]  # (a kubeadm cluster has no default class)


def test_a_new_volume_is_pending_since_its_creation_with_its_defaults_and_finalizer(api):
    created = api.create({**volume(), "status": {"phase": "Bound"}})
    assert created["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    assert created["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert created["spec"]["hostPath"] == {"path": "/mnt/data", "type": ""}
    assert created["status"] == {"phase": "Pending",
                                 "lastPhaseTransitionTime": created["metadata"]["creationTimestamp"]}


def test_a_storage_class_deletes_its_volumes_and_binds_at_once_by_default(api):
    created = api.create(storage_class())
    assert (created["reclaimPolicy"], created["volumeBindingMode"]) == ("Delete", "Immediate")


@pytest.mark.parametrize("spec, expected", [
    pytest.param({}, "gold", id="a claim naming no class gets the default one"),
    pytest.param({"storageClassName": ""}, "", id="a claim asking for no class keeps none"),
    pytest.param({"storageClassName": "silver"}, "silver", id="a claim naming a class keeps it"),
])
def test_default_storage_class_admission(api, spec, expected):
    api.create(storage_class("gold", default=True))
    api.create(storage_class("silver"))
    created = api.create(claim(**spec), namespace="default")
    assert created["spec"].get("storageClassName") == expected


def test_of_several_default_classes_the_newest_is_given():
    lister = Lister({"storageclasses": [storage_class("old", True, "2026-01-05T09:00:00Z"),
                                        storage_class("new", True, "2026-01-05T10:00:00Z"),
                                        storage_class("plain", False, "2026-01-05T11:00:00Z")]})
    obj = claim()
    default_storage_class(Attributes(CREATE, "persistentvolumeclaims", "default", obj), lister)
    assert obj["spec"]["storageClassName"] == "new"


def test_status_is_written_through_the_status_subresource_only(api):
    api.create(claim(), namespace="default")
    stored = api.get("persistentvolumeclaims", "data")
    api.update({**stored, "status": {"phase": "Bound"}})
    assert api.get("persistentvolumeclaims", "data")["status"] == {"phase": "Pending"}
    api.update_status({**stored, "status": {"phase": "Bound", "capacity": {"storage": "1Gi"}}})
    assert api.get("persistentvolumeclaims", "data")["status"]["phase"] == "Bound"


def test_a_volumes_phase_change_stamps_its_transition_time(server, api):
    api.create(volume())
    server.loop.run(30.0)
    stored = api.get("persistentvolumes", "pv0", namespace=None)
    available = api.update_status({**stored, "status": {**stored["status"], "phase": "Available"}})
    assert available["status"]["lastPhaseTransitionTime"] == "2026-01-05T09:00:30Z"
    server.loop.run(30.0)
    same = api.update_status({**available, "status": {"phase": "Available", "message": "ok"}})
    assert same["status"]["lastPhaseTransitionTime"] == "2026-01-05T09:00:30Z"


def test_an_invalid_claim_is_refused_and_changes_nothing(server, api):
    revision = server.store.revision
    with pytest.raises(ApiError) as err:
        api.create(claim(accessModes=[]), namespace="default")
    assert err.value.code == 422
    assert server.store.revision == revision


def test_a_pod_may_name_a_claim_that_exists(api):
    api.create(claim(), namespace="default")
    created = api.create(pod(volumes=[{"name": "www", "persistentVolumeClaim": {"claimName": "data"}}]),
                         namespace="default")
    assert created["spec"]["volumes"][0]["persistentVolumeClaim"] == {"claimName": "data"}
