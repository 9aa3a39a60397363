"""The kubelet's image manager: make sure a container's image is on the node before it starts.

For each container it applies ``imagePullPolicy``:

* ``IfNotPresent`` and the image is cached → ``Pulled "Container image "nginx:1.27" already
  present on machine"``;
* ``Never`` and not cached → ``ErrImageNeverPull``;
* otherwise pull through the runtime: ``Pulling`` then ``Pulled "Successfully pulled image ... in
  1.024s (1.024s including waiting). Image size: ... bytes."``. A failed pull is ``ErrImagePull``
  (``Failed to pull image ...`` with containerd's error, then ``Error: ErrImagePull``) and puts
  the pod's image in back-off: 10 s, doubling at each failure to 300 s. Every sync inside the
  back-off records ``BackOff "Back-off pulling image ..."`` and ``Error: ImagePullBackOff`` and
  pulls nothing. The first such sync comes at once: PLEG has seen the sandbox the failed sync
  created (upstream at its next relist, within a second). Later syncs come every 10 to 15 s
  (the pod worker's retry after a failed sync), so a pull is tried at the first look past the
  back-off.

An image name that cannot be parsed never reaches the runtime: ``InvalidImageName``.

Simplified: no pull secrets, no image GC, no per-image ``imageID`` resolution by digest.

Upstream: pkg/kubelet/images/image_manager.go (EnsureImageExists), pkg/kubelet/images/types.go
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from k8slearn.api.meta import go_duration
from k8slearn.kubelet import images as image_catalog
from k8slearn.kubelet.backoff import Backoff
from k8slearn.kubelet.cri import RuntimeError_, grpc_message

Waiting = tuple[str, str]  # (reason, message) of a container that cannot start yet


class ImageManager:
    """Pulls images for one node's pods, with events and back-off, through the runtime."""

    def __init__(self, loop: Any, runtime: Any, events: Any) -> None:
        self.loop, self.runtime, self.events = loop, runtime, events
        self.backoff = Backoff()

    def ensure_image_exists(
        self, pod: dict, container: dict, field_path: str, on_pull_start: Callable[[], None]
    ):
        """A generator for the pod worker: ``waiting = yield from manager.ensure_image_exists(...)``.

        Returns None when the image is ready, or the (reason, message) the container waits with.
        """
        image, uid = container["image"], pod["metadata"].get("uid", "")
        event = self._event_for(pod, field_path)
        invalid = image_catalog.invalid_reason(image)
        if invalid:
            message = f'Failed to apply default image tag "{image}": couldn\'t parse image name "{image}": {invalid}'
            event("Warning", "InspectFailed", message)
            event("Warning", "Failed", "Error: InvalidImageName")
            return ("InvalidImageName", message)
        policy = container.get("imagePullPolicy", "IfNotPresent")
        if self.runtime.image_status(image) is not None and policy != "Always":
            event("Normal", "Pulled", _present(image))
            return None
        if policy == "Never":
            message = f'Container image "{image}" is not present with pull policy of Never'
            event("Warning", "ErrImageNeverPull", message)
            event("Warning", "Failed", "Error: ErrImageNeverPull")  # startContainer, as for every image error
            return ("ErrImageNeverPull", message)
        key = f"{uid}_{image}"
        if key in self.backoff.entries:
            wait = self.backoff.in_backoff_since(key, self.backoff.entries[key][1], self.loop.now)
            if wait > 0:
                event("Normal", "BackOff", f'Back-off pulling image "{image}"')
                event("Warning", "Failed", "Error: ImagePullBackOff")
                return ("ImagePullBackOff", f'Back-off pulling image "{image}"')
        event("Normal", "Pulling", _pulling(image))
        on_pull_start()
        meta = pod["metadata"]
        result = yield self.runtime.pull_image(image, for_pod=f"pod/{meta['namespace']}/{meta['name']}")
        if isinstance(result, RuntimeError_):
            error = pull_image_error(result)
            event("Warning", "Failed", f'Failed to pull image "{image}": {error}')
            self.backoff.next(key, self.loop.now)
            event("Warning", "Failed", "Error: ErrImagePull")
            return ("ErrImagePull", error)
        entry, pull_seconds, total_seconds = result
        event("Normal", "Pulled", _pulled(image, pull_seconds, total_seconds, entry.size))
        self.backoff.gc(self.loop.now)  # (the pod's entry stays until it is old: a later failure doubles it)
        return None

    def _event_for(self, pod: dict, field_path: str) -> Callable[[str, str, str], None]:
        def event(type_: str, reason: str, message: str) -> None:
            self.events.event(pod, type_, reason, message, field_path=field_path)

        return event


def pull_image_error(err: RuntimeError_) -> str:
    """The kubelet's CRI client drops the ``rpc error: code = Unknown desc =`` of a failed
    PullImage ("they add no value"), so Docker Hub's pull access denied reads as containerd wrote
    it; other codes (a missing tag's NotFound) keep their prefix.

    >>> pull_image_error(RuntimeError_("rpc error: code = Unknown desc = failed to pull and unpack image"))
    'failed to pull and unpack image'
    >>> pull_image_error(RuntimeError_("rpc error: code = NotFound desc = x: not found"))
    'rpc error: code = NotFound desc = x: not found'

    Upstream: staging/src/k8s.io/cri-client/pkg/remote_image.go (pullImageV1)
    """
    text = str(err)
    return grpc_message(err) if text.startswith("rpc error: code = Unknown desc = ") else text


# One shared string per image for the messages every pod's events repeat (a pull's durations
# repeat too: pulls on a node queue one behind the other): the event recorder keeps each message
# it sends, and the same text need not be kept once per pod (a memory saving, and the durations
# are formatted once).
@functools.lru_cache(maxsize=1024)
def _present(image: str) -> str:
    return f'Container image "{image}" already present on machine'


@functools.lru_cache(maxsize=1024)
def _pulling(image: str) -> str:
    return f'Pulling image "{image}"'


@functools.lru_cache(maxsize=1024, typed=True)  # typed: a size of 5.0 is written "5.0", of 5 "5"
def _pulled(image: str, pull_seconds: float, total_seconds: float, size: int) -> str:
    return (f'Successfully pulled image "{image}" in {go_duration(pull_seconds)} '
            f"({go_duration(total_seconds)} including waiting). Image size: {size} bytes.")
