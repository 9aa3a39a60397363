"""The API server drops image volumes (feature gate ImageVolume, alpha and off in v1.32) from pods and
from every workload's pod template, with the mounts that name them, and refuses nothing for it."""

import copy

import pytest
from apiserver_builders import deployment, pod

from k8slearn.apiserver.pod_util import drop_disabled_fields

IMAGE_VOLUME = {"name": "tools", "image": {"reference": "quay.io/crio/artifact:v1", "pullPolicy": "IfNotPresent"}}
TOOLS_MOUNT = {"name": "tools", "mountPath": "/tools"}


def spec_with_image_volume(*other_volumes: dict, mounts: tuple = (TOOLS_MOUNT,)) -> dict:
    return {"containers": [{"name": "app", "image": "nginx:1.27", "volumeMounts": list(mounts)}],
            "initContainers": [{"name": "init", "image": "busybox", "volumeMounts": [TOOLS_MOUNT]}],
            "volumes": [IMAGE_VOLUME, *other_volumes]}


def volumes_and_mounts(spec: dict) -> tuple:
    return (spec.get("volumes"), [c.get("volumeMounts") for c in spec["containers"]],
            [c.get("volumeMounts") for c in spec.get("initContainers") or []])


CACHE = {"name": "cache", "emptyDir": {}}
CACHE_MOUNT = {"name": "cache", "mountPath": "/cache"}
CASES = [
    ("a new spec loses its image volume and every mount of it, and empty lists are removed",
     spec_with_image_volume(), None, (None, [None], [None])),
    ("the other volumes and mounts stay as they were",
     spec_with_image_volume(CACHE, mounts=(TOOLS_MOUNT, CACHE_MOUNT)), None,
     ([CACHE], [[CACHE_MOUNT]], [None])),
    ("an update whose old spec already used an image volume keeps it",
     spec_with_image_volume(), spec_with_image_volume(), None),
    ("an update whose old spec had no image volume loses the new one",
     spec_with_image_volume(CACHE), {"containers": [], "volumes": [CACHE]}, ([CACHE], [None], [None])),
]


@pytest.mark.parametrize("spec, old, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_drop_disabled_fields_drops_image_volumes_unless_the_old_spec_uses_them(spec, old, expected):
    before = copy.deepcopy(spec)
    drop_disabled_fields(spec, old)
    assert volumes_and_mounts(spec) == (volumes_and_mounts(before) if expected is None else expected)


def user_volumes(spec: dict) -> list[str]:
    """The volume names, without the service account token volume admission adds."""
    return [v["name"] for v in spec.get("volumes") or [] if not v["name"].startswith("kube-api-access-")]


def test_a_pod_with_an_image_volume_is_created_without_it(api):
    created = api.create(pod("web", volumes=[IMAGE_VOLUME, CACHE]))
    assert user_volumes(created["spec"]) == user_volumes(api.get("pods", "web")["spec"]) == ["cache"]


def test_a_pod_whose_mount_names_only_a_dropped_image_volume_is_accepted(api):
    obj = pod("web", volumes=[IMAGE_VOLUME])
    obj["spec"]["containers"][0]["volumeMounts"] = [TOOLS_MOUNT]
    created = api.create(obj)
    assert [m["name"] for m in created["spec"]["containers"][0]["volumeMounts"]] == [
        created["spec"]["volumes"][0]["name"]]  # the token's mount only
    assert user_volumes(created["spec"]) == []


def with_image_volume(obj: dict, *path: str) -> dict:
    spec = obj
    for key in path:
        spec = spec[key]
    spec["volumes"] = [IMAGE_VOLUME]
    spec["containers"][0]["volumeMounts"] = [TOOLS_MOUNT]
    return obj


def cron_job() -> dict:
    template = {"spec": {"restartPolicy": "Never", "containers": [{"name": "app", "image": "busybox"}]}}
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "nightly"},
            "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": template}}}}


@pytest.mark.parametrize("obj, resource, path", [
    (deployment("web"), "deployments", ("spec", "template", "spec")),
    (cron_job(), "cronjobs", ("spec", "jobTemplate", "spec", "template", "spec")),
], ids=["a Deployment's template loses its image volume", "a CronJob's job template loses its image volume"])
def test_a_workload_template_is_stored_without_image_volumes(api, obj, resource, path):
    created = api.create(with_image_volume(obj, *path))
    spec = created
    for key in path:
        spec = spec[key]
    assert "volumes" not in spec and "volumeMounts" not in spec["containers"][0]


def test_adding_an_image_volume_to_a_deployment_changes_nothing_and_keeps_the_generation(api):
    created = api.create(deployment("web"))
    updated = api.update(with_image_volume(copy.deepcopy(created), "spec", "template", "spec"))
    assert updated["spec"] == created["spec"]
    assert updated["metadata"]["generation"] == created["metadata"]["generation"] == 1
