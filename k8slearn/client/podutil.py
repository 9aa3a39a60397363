"""PatchPodStatus: how components write a pod's status without a read-modify-write race.

The scheduler (its ``PodScheduled`` condition), the taint eviction controller (``DisruptionTarget``)
and the kubelet's status manager do not PUT the whole pod back with its resourceVersion (which could
conflict with every other writer); they send a strategic merge patch of ``pods/<name>/status`` from
the status they read to the status they want, so only what they changed is written.

Upstream: pkg/scheduler/util/utils.go (PatchPodStatus), pkg/util/pod/pod.go (PatchPodStatus, with the
pod's uid in the patch as a guard), staging/src/k8s.io/apimachinery/pkg/util/strategicpatch
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.patch_diff import two_way_merge_patch


def patch_pod_status(client: Any, pod: dict, new_status: dict, with_uid: bool = False) -> dict | None:
    """PatchPodStatus: PATCH ``pods/<name>/status`` with the strategic merge patch from the pod's
    status to ``new_status`` (no resourceVersion, so no conflict); ``with_uid`` puts the pod's uid
    in it as a guard (pkg/util/pod's version). None when nothing changed or the pod is gone."""
    meta = pod["metadata"]
    guard = {"metadata": {"uid": meta.get("uid", "")}} if with_uid else {}
    patch = two_way_merge_patch({"status": pod.get("status") or {}}, {**guard, "status": new_status}, "Pod")
    if not patch or patch == guard:
        return None
    try:
        return client.patch("pods", meta["name"], patch, meta.get("namespace", "default"), subresource="status")
    except ApiError as err:
        if err.code == 404:
            return None
        raise
