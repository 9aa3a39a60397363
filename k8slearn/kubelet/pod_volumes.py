"""One pod's volumes in the kubelet: which it waits for, what is mounted, how containers see them.

The volume manager (:mod:`k8slearn.kubelet.volume_manager`) keeps a :class:`PodVolumes` for each
pod whose containers mount a volume: the volumes it waits for (those named in the containers'
``volumeMounts``; a declared volume that no container mounts is ignored), the files of each one
once it is set up, and the pending retries. When a container is created, :func:`make_mounts`
turns its ``volumeMounts`` into the CRI's mounts: each over its volume's files, so the
containers that mount one emptyDir share one dict:

>>> pod = {"spec": {"containers": [{"name": "app", "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
...                                {"name": "log", "volumeMounts": [{"name": "data", "mountPath": "/logs",
...                                                                  "subPath": "app"}]}],
...                 "volumes": [{"name": "data", "emptyDir": {}}, {"name": "unused", "emptyDir": {}}]}}
>>> expected_volumes(pod)
['data']
>>> mounted = {"data": ({}, False)}
>>> app, log = (make_mounts(mounted, c)[0] for c in pod["spec"]["containers"])
>>> app.files is log.files, log.sub_path, app.files
(True, 'app', {'app': ('dir',)})

Simplified: no mount propagation, recursive read-only or SELinux relabelling; a subPath that
escapes the volume (``..``) is not refused.

Upstream: pkg/kubelet/volumemanager/volume_manager.go (getExpectedVolumes),
pkg/volume/util/util.go (GetPodVolumeNames), pkg/kubelet/kubelet_pods.go (makeMounts),
pkg/kubelet/volumemanager/cache/ (the desired and actual states of the world)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from k8slearn.kubelet.container_fs import DIR, Mount
from k8slearn.sim import Timer, Waitable


def expected_volumes(pod: dict) -> list[str]:
    """getExpectedVolumes: the names of the volumes the pod's containers (init ones too) mount."""
    spec = pod["spec"]
    names = {m.get("name") for key in ("initContainers", "containers") for c in spec.get(key) or ()
             for m in c.get("volumeMounts") or ()}
    return sorted(v["name"] for v in spec.get("volumes") or () if v.get("name") in names)


def make_mounts(mounted: dict, container: dict) -> tuple:
    """makeMounts: the CRI mounts of ``container`` (its ``volumeMounts``) over the ``mounted``
    volumes (name -> (files, read-only?)); read-only when the mount says so or the volume is API
    data. A subPath of a writable volume is made if missing; a subPath of an API-data volume is
    bound when the container starts, so later updates of the volume do not reach it."""
    mounts = []
    for mount in container.get("volumeMounts") or ():
        volume = mounted.get(mount.get("name"))
        if volume is None:
            continue
        files, read_only = volume
        sub_path = (mount.get("subPath") or "").strip("/")
        if sub_path and read_only:
            files = {k: v for k, v in files.items() if k == sub_path or k.startswith(sub_path + "/")}
        elif sub_path and sub_path not in files:
            files[sub_path] = DIR
        mounts.append(Mount(mount.get("mountPath", ""), files, read_only or bool(mount.get("readOnly")), sub_path))
    return tuple(mounts)


@dataclass
class PodVolumes:
    """What the volume manager holds for one pod: its volumes' files once mounted, and the retries."""

    pod: dict
    expected: list
    mounted: dict = field(default_factory=dict)  # volume name -> (files, read-only?)
    backoff: dict = field(default_factory=dict)  # volume name -> the last wait before a retry
    timers: dict = field(default_factory=dict)  # volume name -> the pending mount
    errors: dict = field(default_factory=dict)  # volume name -> the populator's error, until the wait pops it
    waiter: Waitable | None = None  # SyncPod's wait, while it waits
    wait_started: float = 0.0
    resync: Timer | None = None  # the next remount of its API-data volumes

    def unmounted(self) -> list[str]:
        return [name for name in self.expected if name not in self.mounted]
