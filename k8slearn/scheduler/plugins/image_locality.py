"""ImageLocality: prefer nodes that already have the pod's images, so the pod starts without a pull.

Each image already on the node counts its size, scaled by the share of nodes that have it (an
image on one node out of a hundred counts 1%, so pods do not all pile onto that one node). The
sum is clamped to [23 MiB, 1000 MiB × number of containers] and mapped onto 0..100.

>>> MB = 1024 * 1024
>>> calculate_priority(500 * MB, num_containers=1), calculate_priority(10 * MB, 1)
(48, 0)

The nodes' images come from ``node.status.images`` (the kubelet reports them); a node that reports
none scores 0 for every pod.

Upstream: pkg/scheduler/framework/plugins/imagelocality/image_locality.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.scheduler.framework import MAX_NODE_SCORE, CycleState

NAME = "ImageLocality"
MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB
MAX_CONTAINER_THRESHOLD = 1000 * MB
DEFAULT_IMAGE_TAG = "latest"


def normalized_image_name(name: str) -> str:
    """``nginx`` -> ``nginx:latest`` (an image without a tag means :latest)."""
    if name.rfind(":") <= name.rfind("/"):
        name = f"{name}:{DEFAULT_IMAGE_TAG}"
    return name


def calculate_priority(sum_scores: int, num_containers: int) -> int:
    max_threshold = MAX_CONTAINER_THRESHOLD * num_containers
    sum_scores = min(max(sum_scores, MIN_THRESHOLD), max_threshold)
    return MAX_NODE_SCORE * (sum_scores - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)


def scaled_image_score(state: Any, total_num_nodes: int) -> int:
    return int(state.size * (state.num_nodes / total_num_nodes))


def pod_images(pod: dict) -> list[str]:
    spec = pod.get("spec") or {}
    return [
        normalized_image_name(c.get("image", ""))
        for c in [*(spec.get("initContainers") or ()), *(spec.get("containers") or ())]
    ]


def sum_image_scores(node_info: Any, images: list[str], total_num_nodes: int) -> int:
    states = node_info.image_states
    return sum(scaled_image_score(states[i], total_num_nodes) for i in images if i in states)


class ImageLocality:
    """Score (score weight 1 in the default profile)."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def _total_nodes(self) -> int:
        snapshot = getattr(self.handle, "snapshot", None)
        return max(snapshot.num_nodes(), 1) if snapshot is not None else 1

    def score(self, state: CycleState, pod: dict, node_info: Any) -> int:
        images = pod_images(pod)
        return calculate_priority(sum_image_scores(node_info, images, self._total_nodes()), len(images))

    def score_nodes(self, state: CycleState, pod: dict, nodes: list) -> list[int]:
        """Score for a whole list at once; images that no node has score 0 everywhere, quickly."""
        images = pod_images(pod)
        known = getattr(getattr(self.handle, "snapshot", None), "image_states", None)
        if known is not None and not any(image in known for image in images):
            return [calculate_priority(0, len(images))] * len(nodes)
        total = self._total_nodes()
        return [calculate_priority(sum_image_scores(n, images, total), len(images)) for n in nodes]
