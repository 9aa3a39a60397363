"""The PersistentVolumeClaims a pod's volumes use, and looking them up, for the volume plugins.

Each volume's claim is ``api.volume_claims.volume_claim_name``'s (a generic ``ephemeral`` volume's
is ``<pod name>-<volume name>``, which the ephemeral volume controller creates for the pod).

>>> pod = {"metadata": {"name": "db"}, "spec": {"volumes": [
...     {"name": "data", "persistentVolumeClaim": {"claimName": "pgdata"}},
...     {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
...     {"name": "config", "configMap": {"name": "db"}}]}}
>>> list(pod_volume_claims(pod))
[('pgdata', False), ('db-scratch', True)]

The scheduler's informer lists the claims; one it does not hold fails the look-up with the lister's
NotFound error:

>>> get_claim(None, "default", "pgdata")
Traceback (most recent call last):
...
k8slearn.scheduler.plugins.volume_claims.ClaimNotFound: persistentvolumeclaim "pgdata" not found

Upstream: k8s.io/component-helpers/storage/ephemeral (VolumeClaimName),
k8s.io/client-go/listers/core/v1 (PersistentVolumeClaimLister: errors.NewNotFound)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from k8slearn.api.volume_claims import volume_claim_name
from k8slearn.scheduler.events import QueueingHint

PVC_RESOURCE = "persistentvolumeclaims"


class ClaimNotFound(LookupError):
    """The lister has no such claim; ``str()`` is the NotFound error's text."""

    def __init__(self, name: str) -> None:
        super().__init__(f'persistentvolumeclaim "{name}" not found')
        self.name = name

    def __str__(self) -> str:
        return str(self.args[0])


def pod_volume_claims(pod: dict, ephemeral: bool = True) -> Iterator[tuple[str, bool]]:
    """The claims of the pod's volumes in spec order (only ``persistentVolumeClaim`` ones when
    ``ephemeral`` is False, as VolumeRestrictions and VolumeZone look at)."""
    for volume in (pod.get("spec") or {}).get("volumes") or ():
        claim = volume_claim_name(pod, volume)
        if claim is not None and (ephemeral or not claim[1]):
            yield claim


def get_claim(handle: Any, namespace: str, name: str) -> dict:
    """The claim from the scheduler's PVC lister (``PersistentVolumeClaims(ns).Get(name)``)."""
    lister = handle.lister(PVC_RESOURCE) if handle is not None else None
    claim = lister.get(name, namespace) if lister is not None else None
    if claim is None:
        raise ClaimNotFound(name)
    return claim


def missing_claim(handle: Any, pod: dict, ephemeral: bool = True) -> ClaimNotFound | None:
    """The lister's NotFound error for the first of the pod's claims that does not exist, or None
    (the look-up VolumeRestrictions, NodeVolumeLimits and VolumeZone each make)."""
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    for name, _ in pod_volume_claims(pod, ephemeral):
        try:
            get_claim(handle, namespace, name)
        except ClaimNotFound as err:
            return err
    return None


def claim_is_for_pod(pod: dict, claim: dict | None, ephemeral: bool = True) -> QueueingHint:
    """The PVC hint the volume plugins share: a claim added (or changed) in the pod's namespace
    whose name is one the pod's volumes use may make the pod schedulable; any other may not."""
    meta = (claim or {}).get("metadata") or {}
    if meta.get("namespace") != (pod.get("metadata") or {}).get("namespace"):
        return QueueingHint.QueueSkip
    names = {name for name, _ in pod_volume_claims(pod, ephemeral)}
    return QueueingHint.Queue if meta.get("name") in names else QueueingHint.QueueSkip
