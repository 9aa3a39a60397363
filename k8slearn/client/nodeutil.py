"""PatchNodeStatus: how the kubelet writes its Node's status.

The kubelet never PUTs its Node back: it reads the Node, works out the status it wants, and sends a
strategic merge patch of ``nodes/<name>/status`` from the status it read to that one. The patch
carries no resourceVersion, so it cannot conflict with the node lifecycle controller, node IPAM or
anyone else writing the Node at the same time, and it names only what changed (a heartbeat: the
conditions' ``lastHeartbeatTime``).

Simplified: upstream diffs the whole Node with its spec reset (so metadata changes would be patched
too) and patches ``status.addresses`` by hand (fixupPatchForNodeStatusAddresses: the field is
wrongly tagged patchStrategy=merge); the simulation's kubelet changes neither.

Upstream: pkg/util/node/node.go (PatchNodeStatus, preparePatchBytesforNodeStatus),
pkg/kubelet/kubelet_node_status.go (tryUpdateNodeStatus, patchNodeStatus)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.patch_diff import two_way_merge_patch


def patch_node_status(client: Any, name: str, old_status: dict, new_status: dict) -> dict:
    """PatchNodeStatus: PATCH ``nodes/<name>/status`` with the strategic merge patch from
    ``old_status`` to ``new_status``; returns the Node the API server stored."""
    patch = two_way_merge_patch({"status": old_status}, {"status": new_status}, "Node")
    return client.patch("nodes", name, patch, None, subresource="status")
