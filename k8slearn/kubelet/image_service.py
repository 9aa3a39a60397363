"""The CRI's image service on one node: ``PullImage`` and ``ImageStatus``, as containerd does them.

Before creating a container the kubelet asks ``ImageStatus`` whether the image is on the node and,
if not (or if the pull policy says so), ``PullImage``. Pulls on one node run one at a time (the
kubelet's ``serializeImagePulls``, on by default), so the trace shows each ``PullImage`` call when
it is sent, after the pull before it. A second pull of an image whose layers are already here or on
their way costs only the registry round trip. A pull that fails is traced as ``ImagePullFailed``
with containerd's error.

>>> from k8slearn.kubelet.runtime import ContainerRuntime
>>> from k8slearn.sim import Loop
>>> runtime = ContainerRuntime(Loop(seed=0), "node-1")
>>> first, again = runtime.pull_image("nginx:1.27"), runtime.pull_image("nginx:1.27")
>>> runtime.loop.run(5)
>>> [(image.ref, round(seconds, 3)) for image, seconds, _ in (first.value, again.value)]
[('docker.io/library/nginx:1.27', 1.024), ('docker.io/library/nginx:1.27', 0.3)]

Simplified: no layers on disk, no credentials or mirrors; pull time is size / bandwidth plus a
fixed registry round trip; images come from the small catalog in :mod:`k8slearn.kubelet.images`.

Upstream: k8s.io/cri-api/pkg/apis/runtime/v1/api.proto (ImageService),
containerd internal/cri/server/images/image_pull.go, image_status.go
"""

from __future__ import annotations

from k8slearn.kubelet import images as image_catalog
from k8slearn.kubelet.cri import RuntimeError_
from k8slearn.sim import Waitable


class ImageService:
    """The image part of :class:`~k8slearn.kubelet.runtime.ContainerRuntime`."""

    def image_status(self, image: str) -> image_catalog.Image | None:
        return self.images.get(image_catalog.normalize(image))

    def pull_image(self, image: str, for_pod: str = "") -> Waitable:
        """PullImage: returns a Waitable that fires with ``(Image, pull_seconds, total_seconds)``
        or with a ``RuntimeError_`` when the pull fails. Pulls on one node are serialized.
        ``for_pod`` ("pod/ns/name", from the sandbox config) only labels the trace."""
        done = Waitable()
        requested = self.loop.now
        start = max(self.loop.now, self._pull_busy_until)
        if self.loop.tracing:
            line = ("PullImage", for_pod or image, f"pulling {image_catalog.normalize(image)}")
            if start > requested:  # the serial puller sends the call when the node's previous pull ends
                self.loop.call_at(start, lambda: self._trace(*line))
            else:
                self._trace(*line)
        entry = image_catalog.find(image)
        layers_here = entry is not None and (entry.ref in self.images or entry.ref in self._layers_coming)
        pull_seconds = self.registry_latency + (
            entry.size / self.bandwidth if entry and not layers_here else 0.0
        )
        self._pull_busy_until = start + pull_seconds
        if entry is not None:
            self._layers_coming.add(entry.ref)  # a second pull of the same image finds the layers

        def finish() -> None:
            if entry is None:
                ref = image_catalog.normalize(image)
                error = pull_error(image)
                if self.loop.tracing:
                    self._trace("ImagePullFailed", for_pod or ref, error)
                done.trigger(RuntimeError_(error))
                return
            self.images[entry.ref] = entry
            if self.loop.tracing:
                detail = f"{entry.ref}: {entry.size} bytes in {pull_seconds:.3f}s"
                self._trace("ImagePulled", for_pod or entry.ref, detail)
            done.trigger((entry, pull_seconds, self.loop.now - requested))

        self.loop.call_at(start + pull_seconds, finish)
        return done


def pull_error(image: str) -> str:
    """The gRPC error of a PullImage whose image the registry does not have, as containerd's
    resolver words it. A registry answers 404 for a missing tag (or repository): containerd's
    ``not found``, code NotFound. Docker Hub answers 401 ``insufficient_scope`` for a repository
    that does not exist (it might be a private one), which containerd reports as pull access
    denied, code Unknown:

    >>> pull_error("nginx:nope")[:34], pull_error("nginx:nope").endswith("docker.io/library/nginx:nope: not found")
    ('rpc error: code = NotFound desc = ', True)
    >>> pull_error("nginxx")[:33], "pull access denied, repository does not exist" in pull_error("nginxx")
    ('rpc error: code = Unknown desc = ', True)

    Upstream: containerd core/remotes/docker/resolver.go (Resolve), authorizer.go
    (insufficient_scope: ErrInvalidAuthorization), internal/cri/server/images/image_pull.go
    """
    ref = image_catalog.normalize(image)
    unpack = f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": '
    if ref.startswith("docker.io/") and not image_catalog.repository_exists(image):
        return (f"rpc error: code = Unknown desc = {unpack}pull access denied, repository does not exist or "
                "may require authorization: server message: insufficient_scope: authorization failed")
    return f"rpc error: code = NotFound desc = {unpack}{ref}: not found"
