"""A pod's container attempts: for each of its containers, the runtime containers started for it.

The kubelet's pod worker remembers, per pod, the ids of the runtime containers that ran each
container, oldest first: their number is the next attempt (``restartCount`` + 1), the last one is
the container whose state the status reports, the one before it what ``kubectl logs --previous``
reads. Upstream finds them again by listing the runtime's containers with the pod's labels;
here the worker keeps them.

They read as a dict (container name -> ids: ``get``, ``items``, the names in the order their
first attempt came), but are kept as one flat tuple ``(name, ids, name, ids, ...)``: pods have one
container or a few, and a dict of one key takes 184 bytes, this 112 (a simulation memory saving,
the same answers). A value never changes: ``with_id`` gives the next one.

>>> a = NO_ATTEMPTS.with_id("app", "c1").with_id("app", "c2").with_id("sidecar", "s1")
>>> list(a), a["app"], a.get("init", ()), len(a), dict(a.items())
(['app', 'sidecar'], ('c1', 'c2'), (), 2, {'app': ('c1', 'c2'), 'sidecar': ('s1',)})
>>> NO_ATTEMPTS.get("app", []), a == {"app": ("c1", "c2"), "sidecar": ("s1",)}
([], True)

Upstream: pkg/kubelet/kuberuntime/kuberuntime_container.go (getKubeletContainers, by label); no
counterpart for the compact form
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterator


class ContainerAttempts(Mapping):
    """Container name -> the ids of its runtime containers, oldest first (see the module doc)."""

    __slots__ = ("_flat",)

    def __init__(self, flat: tuple = ()) -> None:
        self._flat = flat  # (name, ids, name, ids, ...)

    def get(self, name: str, default: Any = None) -> Any:
        flat = self._flat
        for i in range(0, len(flat), 2):
            if flat[i] == name:
                return flat[i + 1]
        return default

    def __getitem__(self, name: str) -> tuple:
        ids = self.get(name)
        if ids is None:
            raise KeyError(name)
        return ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._flat[::2])

    def __len__(self) -> int:
        return len(self._flat) // 2

    def with_id(self, name: str, container_id: str) -> ContainerAttempts:
        """These attempts and one more for ``name``: the runtime container ``container_id``."""
        flat = self._flat
        for i in range(0, len(flat), 2):
            if flat[i] == name:
                return ContainerAttempts((*flat[: i + 1], (*flat[i + 1], container_id), *flat[i + 2 :]))
        return ContainerAttempts((*flat, name, (container_id,)))

    def __repr__(self) -> str:
        return repr(dict(self.items()))


NO_ATTEMPTS = ContainerAttempts()  # a pod none of whose containers was created yet (shared)
