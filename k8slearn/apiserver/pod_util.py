"""What the API server drops from a pod spec because its feature gate is off: image volumes.

An ``image`` volume (a container image mounted read-only, KEP-4639) is behind the ImageVolume
feature gate, alpha and off in v1.32. With the gate off, the API server removes every image
volume, and every volumeMount naming one, from a new pod or pod template, or from an update
whose old object has none. Nothing is refused: the object is stored without them.

>>> spec = {"containers": [{"name": "app", "volumeMounts": [{"name": "tools", "mountPath": "/t"},
...                                                         {"name": "cache", "mountPath": "/c"}]}],
...         "volumes": [{"name": "tools", "image": {"reference": "busybox"}},
...                     {"name": "cache", "emptyDir": {}}]}
>>> drop_disabled_fields(spec, None)
>>> spec["volumes"], spec["containers"][0]["volumeMounts"]
([{'name': 'cache', 'emptyDir': {}}], [{'name': 'cache', 'mountPath': '/c'}])

Simplifies: only the ImageVolume gate (the spec fields of other disabled gates are not known
to the simulation).

Upstream: pkg/api/pod/util.go (DropDisabledPodFields, DropDisabledTemplateFields,
dropDisabledFields, dropImageVolumes, imageVolumesInUse)
"""

from __future__ import annotations

IMAGE_VOLUME = False  # the ImageVolume feature gate: alpha, off by default in v1.32
CONTAINER_KINDS = ("containers", "initContainers", "ephemeralContainers")


def drop_disabled_pod_fields(pod: dict, old_pod: dict | None) -> None:
    """DropDisabledPodFields: a pod's spec, against the old pod's (None on create)."""
    spec = pod.get("spec")
    if isinstance(spec, dict):
        drop_disabled_fields(spec, _spec(old_pod))


def drop_disabled_template_fields(template: dict | None, old_template: dict | None) -> None:
    """DropDisabledTemplateFields: a workload's pod template, against the old template's."""
    spec = template.get("spec") if isinstance(template, dict) else None
    if isinstance(spec, dict):
        drop_disabled_fields(spec, _spec(old_template))


def _spec(obj: dict | None) -> dict | None:
    spec = obj.get("spec") if isinstance(obj, dict) else None
    return spec if isinstance(spec, dict) else None


def drop_disabled_fields(spec: dict, old_spec: dict | None) -> None:
    """dropDisabledFields, the part the simulation knows: image volumes."""
    drop_image_volumes(spec, old_spec)


def image_volumes_in_use(spec: dict | None) -> bool:
    """imageVolumesInUse: the spec has an image volume."""
    return any(isinstance(v, dict) and v.get("image") is not None for v in _volumes(spec))


def drop_image_volumes(spec: dict, old_spec: dict | None) -> None:
    """dropImageVolumes: unless the gate is on or the old spec uses image volumes, remove them and
    the volumeMounts that name them (a list left empty is removed: Go's nil slice is omitted)."""
    if IMAGE_VOLUME or image_volumes_in_use(old_spec) or not image_volumes_in_use(spec):
        return
    names = {v.get("name") for v in _volumes(spec) if isinstance(v, dict) and v.get("image") is not None}
    _keep(spec, "volumes", lambda v: not (isinstance(v, dict) and v.get("image") is not None))
    for kind in CONTAINER_KINDS:
        for container in spec.get(kind) or []:
            if isinstance(container, dict) and isinstance(container.get("volumeMounts"), list):
                _keep(container, "volumeMounts",
                      lambda m: not (isinstance(m, dict) and m.get("name") in names))


def _volumes(spec: dict | None) -> list:
    volumes = spec.get("volumes") if isinstance(spec, dict) else None
    return volumes if isinstance(volumes, list) else []


def _keep(obj: dict, key: str, wanted) -> None:
    """Keep the wanted items of ``obj[key]``; an object none is removed from is left untouched
    (an update's new object may share parts with the stored one)."""
    kept = [item for item in obj[key] if wanted(item)]
    if len(kept) == len(obj[key]):
        return
    if kept:
        obj[key] = kept
    else:
        del obj[key]
