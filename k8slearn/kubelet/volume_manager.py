"""The kubelet's volume manager: every volume a pod's containers mount is set up before the sandbox.

A pod worker's sync calls :meth:`VolumeManager.wait_for_attach_and_mount` before it asks for
the pod's sandbox (SyncPod's "Wait for volumes to attach/mount"). The manager's reconciler mounts
each volume the pod's containers mount (``volumeMounts``; a volume no container mounts is
ignored) with its plugin (:mod:`k8slearn.kubelet.volume_plugins`), and retries a failed mount
with an exponential back-off of 500 ms doubling to 2m2s. Every failure is a ``FailedMount``
event from the kubelet, ``MountVolume.SetUp failed for volume "cfg" : configmap "missing" not
found``, which the event recorder counts, so ``kubectl describe`` shows ``(x8 over 2m)``.
Meanwhile the pod stays ``Pending``, its containers waiting in ``ContainerCreating``:

>>> [round(d, 1) for d in retry_delays(9)]
[0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 122.0]

The wait polls every 300 ms and gives up after 2m3s. In v1.32 a timed-out wait writes no event
of its own (SyncPod records "Unable to attach or mount volumes: ..." only for an error that is not
a timeout, ``!wait.Interrupted(err)``): the pod worker tries the sync again after its back-off
of 10 to 15 s, and the reconciler keeps retrying the mount on its own clock. So once the ConfigMap is
created, the next retry mounts it and the pod starts. An error found before any mount is tried
(the populator's: a claim that is not found, a kind with no plugin) ends the wait at its next
poll with the event ``Unable to attach or mount volumes: unmounted volumes=[data], unattached
volumes=[], failed to process volumes=[data]: error processing PVC default/data: ...``, once
per pod sync (:mod:`k8slearn.kubelet.unmountable_volumes` lists what fails where).

How the kubelet reads ConfigMaps and Secrets: through the API server only, with a GET through the
kubelet's client at each SetUp (the ``Get`` change-detection strategy). Upstream's default
(``configMapAndSecretChangeDetectionStrategy: Watch``) keeps a watch per referenced object and
reads the watch's cache; both see a created object at the next retry, and both say
``configmap "x" not found`` for a missing one.

A ConfigMap or Secret edited later reaches a running pod's files on its next sync: every sync
re-runs SetUp for configMap, secret, downwardAPI and projected volumes (they "require remount"),
and AtomicWriter swaps in a new timestamped directory when the data changed. A running pod is
synced again every ``syncFrequency`` (1 min, plus up to 50 % jitter upstream), so an edit shows
within about a minute, as the Kubernetes documentation says ("kubelet sync period + cache
propagation delay"); the Watch cache's own delay is not modelled. A change of the pod's own labels
or annotations is different: it is a pod update, which the kubelet syncs at once, so a
downwardAPI file follows it within the reconciler's next pass (100 ms). A subPath mount of such a volume
is never updated (the file was bind-mounted when the container started), and an object deleted
later fails the remount (a ``FailedMount`` event) while the files stay as they were.

Pods whose containers mount no volume cost nothing here: no API call, no entry, no timer.

Simplified: the desired-state populator and the reconciler's 100 ms loops are one scheduled
mount per volume (the first 100 ms after the pod's first sync, a retry at the reconciler's pass
100 ms after its back-off ends, the mount itself taking no time); no attachable volumes
(``unattached volumes`` is always empty); the 60 s resync has no jitter, and the remount runs on
the manager's own timer rather than inside a pod sync; a persistentVolumeClaim (or ephemeral) volume
mounts its bound PersistentVolume's source (a hostPath or local volume as a directory of the node,
other kinds as :mod:`k8slearn.kubelet.unmountable_volumes` says); an emptyDir lives until the pod's
deletion.

Upstream: pkg/kubelet/volumemanager/volume_manager.go (WaitForAttachAndMount, podAttachAndMountTimeout,
podAttachAndMountRetryInterval), pkg/kubelet/volumemanager/reconciler/, pkg/kubelet/volumemanager/populator/
(processPodVolumes, the PVC error), pkg/volume/util/nestedpendingoperations/nestedpendingoperations.go
and pkg/util/goroutinemap/exponentialbackoff (the retry back-off),
pkg/volume/util/operationexecutor/operation_generator.go (MountVolume.SetUp failed, FailedMount),
pkg/kubelet/kubelet.go (SyncPod)
"""

from __future__ import annotations

import hashlib
import math
from datetime import timedelta
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import EPOCH
from k8slearn.kubelet.pod_volumes import PodVolumes, expected_volumes, make_mounts
from k8slearn.kubelet.unmountable_volumes import volume_spec
from k8slearn.kubelet.volume_plugins import MountError, set_up
from k8slearn.sim import Loop, Timer, Waitable

POD_ATTACH_AND_MOUNT_TIMEOUT = 123.0  # 2m3s
POD_ATTACH_AND_MOUNT_RETRY_INTERVAL = 0.3
RECONCILER_LOOP_SLEEP_PERIOD = 0.1
INITIAL_DURATION_BEFORE_RETRY = 0.5
MAX_DURATION_BEFORE_RETRY = 122.0  # 2m2s
SYNC_FREQUENCY = 60.0  # kubelet syncFrequency: a running pod's periodic resync (its volumes' remount)
FAILED_MOUNT = "FailedMount"
INTERRUPTED = "interrupted"  # the wait timed out or the pod is going away: no event
POD_ERRORS = "pod errors"  # the populator failed some volumes: the wait reports its errors
REPROCESS = ""  # the key of a pending ReprocessPod in a pod's timers (no volume has an empty name)


def next_delay(previous: float) -> float:
    """exponentialbackoff.Update: the wait before the next try, after one that waited ``previous``."""
    return INITIAL_DURATION_BEFORE_RETRY if previous == 0 else min(2 * previous, MAX_DURATION_BEFORE_RETRY)


def retry_delays(count: int) -> list[float]:
    """The first ``count`` waits before a failed mount is tried again."""
    delays = [next_delay(0.0)]
    while len(delays) < count:
        delays.append(next_delay(delays[-1]))
    return delays[:count]


class VolumeManager:
    """One kubelet's volume manager."""

    def __init__(self, loop: Loop, client: Any, events: Any, component: str, node: Any = None) -> None:
        self.loop = loop
        self.node = node  # () -> this node as the kubelet's informer last saw it (its allocatable)
        self.client = client
        self.events = events
        self.component = component
        self.pods: dict[str, PodVolumes] = {}  # by pod UID; only pods whose containers mount volumes
        self.host_paths: dict[str, dict] = {}  # the node's directories used by hostPath volumes
        self.running = True

    # -- SyncPod's wait ----------------------------------------------------------------------------
    def wait_for_attach_and_mount(self, pod: dict):
        """WaitForAttachAndMount (a generator): ``""`` once every volume the containers mount is
        set up, :data:`INTERRUPTED` when the wait timed out or was cancelled, else the error text."""
        uid = pod["metadata"].get("uid", "")
        entry = self.pods.get(uid)
        if entry is None:
            expected = expected_volumes(pod)
            if not expected:
                return ""
            entry = self.pods[uid] = PodVolumes(pod, expected)
        entry.pod = pod
        for name in entry.unmounted():
            if name not in entry.timers:
                entry.timers[name] = self.loop.call_later(RECONCILER_LOOP_SLEEP_PERIOD, self._mount, uid, name)
        if not entry.unmounted():
            return ""
        entry.waiter, entry.wait_started = Waitable(), self.loop.now
        if self.loop.tracing:
            self.loop.record(self.component, "WaitForAttachAndMount", _obj(pod),
                             f"waiting up to 2m3s for volumes {', '.join(entry.unmounted())} before the sandbox")
        timeout = self.loop.call_later(POD_ATTACH_AND_MOUNT_TIMEOUT, entry.waiter.trigger, INTERRUPTED,
                                       periodic=True)
        result = yield entry.waiter
        timeout.cancel()
        entry.waiter = None
        if result is None or result == INTERRUPTED:
            return result or ""
        errors, entry.errors = entry.errors, {}  # PopPodErrors
        return (f"unmounted volumes=[{' '.join(entry.unmounted())}], unattached volumes=[], failed to process "
                f"volumes=[{' '.join(sorted(errors))}]: {'; '.join(sorted(set(errors.values())))}")

    def volumes_ready(self, pod: dict) -> bool:
        """Whether every volume the pod's containers mount is set up (no wait needed)."""
        entry = self.pods.get(pod["metadata"].get("uid", ""))
        return not entry.unmounted() if entry is not None else not expected_volumes(pod)

    def _wake_at_next_poll(self, entry: PodVolumes, value: str | None) -> None:
        """The wait's next 300 ms poll sees what changed (mounted, or an error to report)."""
        waiter = entry.waiter
        if waiter is None:
            return
        polls = math.ceil((self.loop.now - entry.wait_started) / POD_ATTACH_AND_MOUNT_RETRY_INTERVAL - 1e-9)
        when = entry.wait_started + max(polls, 1) * POD_ATTACH_AND_MOUNT_RETRY_INTERVAL
        self.loop.call_at(when, waiter.trigger, value)

    # -- the reconciler's mount operation ------------------------------------------------------
    def _mount(self, uid: str, name: str) -> None:
        entry = self.pods.get(uid)
        if entry is None:
            return
        entry.timers.pop(name, None)
        if not self.running:
            return
        pod = entry.pod
        volume, error = volume_spec(pod, _volume(pod, name), self._get_or_none)
        if error:
            # the populator's processPodVolumes fails before any mount is tried; the wait reports it
            # (AddErrorToPod), and the next sync processes the pod again (ReprocessPod)
            entry.errors[name] = error
            self._wake_at_next_poll(entry, POD_ERRORS)
            return
        try:
            files, read_only = set_up(volume, pod, self._get, self.host_paths, self._timestamp_dir(uid, name),
                                      self._allocatable())
        except MountError as err:
            self._failed(pod, volume.get("name", name), err)  # (a claim's: its PersistentVolume's name)
            delay = entry.backoff[name] = next_delay(entry.backoff.get(name, 0.0))
            # SafeToRetry refuses the pass at the back-off's very end: the next pass, 100 ms later, runs it
            entry.timers[name] = self.loop.call_later(delay + RECONCILER_LOOP_SLEEP_PERIOD, self._mount, uid, name,
                                                      periodic=True)
            return
        entry.mounted[name] = (files, read_only)
        entry.backoff.pop(name, None)
        if read_only and entry.resync is None:
            entry.resync = self.loop.call_later(SYNC_FREQUENCY, self._remount, uid, periodic=True)
        if self.loop.tracing:
            self.loop.record(self.component, "MountVolume", _obj(pod),
                             f'MountVolume.SetUp succeeded for volume "{volume.get("name", name)}"')
        if not entry.unmounted():
            self._wake_at_next_poll(entry, None)

    def _failed(self, pod: dict, name: str, err: MountError) -> None:
        """The operation generator's event for a failed SetUp (its "simple" error message)."""
        self.events.event(pod, "Warning", FAILED_MOUNT, f'MountVolume.SetUp failed for volume "{name}" : {err}')

    def _remount(self, uid: str) -> None:
        """A running pod's periodic sync: SetUp again for its API-data volumes; new data replaces
        the files in place (AtomicWriter's new timestamped directory), a failure is an event."""
        entry = self.pods.get(uid)
        if entry is None:
            return
        entry.resync = self.loop.call_later(SYNC_FREQUENCY, self._remount, uid, periodic=True)
        self._set_up_again(uid)

    def _reprocess(self, uid: str) -> None:
        """The sync that followed a change of the pod's labels or annotations (ReprocessPod): the
        reconciler's next pass sets the pod's API-data volumes up again."""
        entry = self.pods.get(uid)
        if entry is not None:
            entry.timers.pop(REPROCESS, None)
            self._set_up_again(uid)

    def _set_up_again(self, uid: str) -> None:
        entry = self.pods[uid]
        if not self.running or (entry.pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            return  # (a finished pod is not synced any more)
        for name, (files, read_only) in sorted(entry.mounted.items()):
            if not read_only:
                continue
            try:
                fresh, _ = set_up(_volume(entry.pod, name), entry.pod, self._get, self.host_paths,
                                  self._timestamp_dir(uid, name), self._allocatable())
            except MountError as err:
                self._failed(entry.pod, name, err)
                continue
            if _data(fresh) != _data(files):
                files.clear()
                files.update(fresh)

    def _allocatable(self) -> dict:
        node = self.node() if self.node is not None else None
        return ((node or {}).get("status") or {}).get("allocatable") or {}

    def _get(self, resource: str, name: str, namespace: str) -> dict | None:
        try:
            return read_object(self.client, resource, name, namespace)
        except ApiError as err:
            raise MountError(str(err)) from None

    def _get_or_none(self, resource: str, name: str, namespace: str) -> dict | None:
        """The populator's GET: a claim or volume through the API server, None when not found."""
        try:
            return self.client.get(resource, name, namespace)
        except ApiError:
            return None

    def _timestamp_dir(self, uid: str, name: str) -> str:
        """AtomicWriter's directory: ``..2026_01_05_09_00_01.`` and MkdirTemp's random number (here
        from the pod and volume, so the cluster's random draws are not moved)."""
        moment = EPOCH + timedelta(seconds=self.loop.now)
        digest = hashlib.sha256(f"{uid}/{name}/{self.loop.now}".encode()).digest()
        return moment.strftime("..%Y_%m_%d_%H_%M_%S.") + str(int.from_bytes(digest[:4], "big"))

    # -- the containers' mounts (makeMounts) ---------------------------------------------------
    def make_mounts(self, uid: str, container: dict) -> tuple:
        """makeMounts for ``container`` of pod ``uid`` (:func:`~k8slearn.kubelet.pod_volumes.make_mounts`)."""
        entry = self.pods.get(uid)
        return make_mounts(entry.mounted, container) if entry is not None else ()

    # -- the pod going away, the kubelet stopping ----------------------------------------------
    def pod_updated(self, pod: dict) -> None:
        """The pod changed (its labels, for a downwardAPI volume); a pod being deleted cancels a
        pending wait (the pod worker's context is cancelled)."""
        uid = pod["metadata"].get("uid", "")
        entry = self.pods.get(uid)
        if entry is None:
            return
        old, entry.pod = entry.pod["metadata"], pod
        if pod["metadata"].get("deletionTimestamp") and entry.waiter is not None:
            entry.waiter.trigger(INTERRUPTED)
        # A new label or annotation is a pod update the kubelet syncs for at once; its volumes are
        # then set up again (a downwardAPI file follows within a reconciler pass, not a minute).
        changed = any(old.get(k) != pod["metadata"].get(k) for k in ("labels", "annotations"))
        if changed and REPROCESS not in entry.timers and any(ro for _, ro in entry.mounted.values()):
            entry.timers[REPROCESS] = self.loop.call_later(RECONCILER_LOOP_SLEEP_PERIOD, self._reprocess, uid)

    def pod_removed(self, pod: dict) -> None:
        """The pod is gone: its volumes are unmounted and torn down (an emptyDir's files too)."""
        entry = self.pods.pop(pod["metadata"].get("uid", ""), None)
        if entry is None:
            return
        _cancel([*entry.timers.values(), entry.resync])
        if entry.waiter is not None:
            entry.waiter.trigger(INTERRUPTED)

    def start(self) -> None:
        """Power on again: remounts and retries run (the next syncs start the waits)."""
        self.running = True

    def stop(self) -> None:
        """Power off: no more mount retries or remounts. What is on the node's disk stays (an
        emptyDir, a hostPath directory); a ``medium: Memory`` emptyDir was a tmpfs, and is empty."""
        self.running = False
        for entry in self.pods.values():
            _cancel(entry.timers.values())
            entry.timers.clear()
            entry.waiter = None
            for name, (files, _) in entry.mounted.items():
                if (_volume(entry.pod, name).get("emptyDir") or {}).get("medium") == "Memory":
                    files.clear()


def read_object(client: Any, resource: str, name: str, namespace: str) -> dict | None:
    """A ConfigMap or Secret a pod refers to, read through the API server; None when it does not
    exist (the configMapManager/secretManager's GetConfigMap/GetSecret, for volumes and variables)."""
    try:
        return client.get(resource, name, namespace)
    except ApiError as err:
        if err.code == 404:
            return None
        raise


def _data(files: dict) -> dict:
    """The payload in an API-data volume's files (what ``..data`` holds)."""
    return {k: v for k, v in files.items() if k.startswith("..data/")}


def _obj(pod: dict) -> str:
    return f"pod/{pod['metadata'].get('namespace', 'default')}/{pod['metadata']['name']}"


def _volume(pod: dict, name: str) -> dict:
    return next(v for v in pod["spec"]["volumes"] if v.get("name") == name)


def _cancel(timers: Any) -> None:
    for timer in list(timers):
        if isinstance(timer, Timer):
            timer.cancel()
