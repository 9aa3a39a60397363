"""The PersistentVolumeClaim a pod's volume uses: what the scheduler's volume plugins and the
kubelet's volume manager both ask.

A ``persistentVolumeClaim`` volume names its claim. A generic ``ephemeral`` volume names none: its
claim is ``<pod name>-<volume name>``, which the ephemeral volume controller creates for the pod.

>>> pod = {"metadata": {"name": "db"}}
>>> volume_claim_name(pod, {"name": "data", "persistentVolumeClaim": {"claimName": "pgdata"}})
('pgdata', False)
>>> volume_claim_name(pod, {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}})
('db-scratch', True)
>>> volume_claim_name(pod, {"name": "config", "configMap": {"name": "db"}}) is None
True

Upstream: staging/src/k8s.io/component-helpers/storage/ephemeral/ephemeral.go (VolumeClaimName)
"""

from __future__ import annotations


def volume_claim_name(pod: dict, volume: dict) -> tuple[str, bool] | None:
    """(claim name, is it a generic ephemeral volume's claim), or None for a volume without a claim."""
    if "persistentVolumeClaim" in volume:
        return (volume.get("persistentVolumeClaim") or {}).get("claimName", ""), False
    if "ephemeral" in volume:
        return f"{(pod.get('metadata') or {}).get('name', '')}-{volume.get('name', '')}", True
    return None
