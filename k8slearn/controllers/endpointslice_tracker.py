"""EndpointSliceTracker: which EndpointSlice generations a controller has written itself.

An informer cache lags behind the API server: right after a controller writes a slice, its own
cache may still show the old version (or still show a slice it has just deleted). Acting on that
cache would create duplicate slices, delete slices twice (404) or update old versions (409). So
the EndpointSlice and EndpointSlice mirroring controllers remember, per Service, the
``metadata.generation`` each slice had after their own write (or that they expect it deleted):

* ``stale_slices(service, slices)``: the cache is behind (a slice older than written, one
  expected deleted, or one written but not cached yet): the controller skips this sync and
  tries again later;
* ``should_sync(slice)``: an informer event that is not the echo of the controller's own write
  (a newer generation, or an unknown slice), so the Service needs a sync.

>>> t = EndpointSliceTracker()
>>> s = {"metadata": {"namespace": "default", "uid": "u1", "generation": 2,
...                   "labels": {"kubernetes.io/service-name": "web"}}}
>>> svc = {"metadata": {"namespace": "default", "name": "web"}}
>>> t.update(s); t.should_sync(s), t.stale_slices(svc, [s]), t.stale_slices(svc, [])
(False, False, True)

Simplified: the tracker is keyed by the slice's ``kubernetes.io/service-name`` label, as upstream.

:class:`TrackedSliceHandlers` are the slice informer handlers both slice controllers share, and
:func:`write_slices` the writes that end both reconcilers' ``finalize``.

Upstream: staging/src/k8s.io/endpointslice/util/endpointslice_tracker.go; the handlers:
pkg/controller/endpointslice/endpointslice_controller.go and
pkg/controller/endpointslicemirroring/endpointslicemirroring_controller.go (onEndpointSliceAdd,
onEndpointSliceUpdate, onEndpointSliceDelete)
"""

from __future__ import annotations

from typing import Any, Callable

from k8slearn.api.errors import ApiError, namespace_terminating
from k8slearn.controllers.base import Requeue

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
DELETION_EXPECTED = -1


def service_key(endpoint_slice: dict) -> str:
    """getServiceNN: the slice's namespace and ``kubernetes.io/service-name`` label."""
    meta = endpoint_slice["metadata"]
    return f"{meta.get('namespace')}/{(meta.get('labels') or {}).get(SERVICE_NAME_LABEL, '')}"


class EndpointSliceTracker:
    """GenerationsBySlice per Service: ``{service key: {slice uid: generation or -1}}``."""

    def __init__(self) -> None:
        self.generations_by_service: dict[str, dict[str, int]] = {}

    def has(self, endpoint_slice: dict) -> bool:
        generations = self.generations_by_service.get(service_key(endpoint_slice), {})
        return endpoint_slice["metadata"]["uid"] in generations

    def should_sync(self, endpoint_slice: dict) -> bool:
        """Not tracked, or newer than the generation this controller wrote."""
        meta = endpoint_slice["metadata"]
        generations = self.generations_by_service.get(service_key(endpoint_slice))
        if generations is None or meta["uid"] not in generations:
            return True
        return meta.get("generation", 0) > generations[meta["uid"]]

    def stale_slices(self, service: dict, endpoint_slices: list[dict]) -> bool:
        """StaleSlices: whether the cached ``endpoint_slices`` lag behind this controller's writes."""
        meta = service["metadata"]
        generations = self.generations_by_service.get(f"{meta['namespace']}/{meta['name']}")
        if generations is None:
            return False
        provided = set()
        for endpoint_slice in endpoint_slices:
            uid = endpoint_slice["metadata"]["uid"]
            provided.add(uid)
            written = generations.get(uid)
            if written is not None and (written == DELETION_EXPECTED
                                        or written > endpoint_slice["metadata"].get("generation", 0)):
                return True
        return any(g != DELETION_EXPECTED and uid not in provided for uid, g in generations.items())

    def update(self, endpoint_slice: dict) -> None:
        """Remember the generation of a slice this controller has just created or updated."""
        generations = self.generations_by_service.setdefault(service_key(endpoint_slice), {})
        generations[endpoint_slice["metadata"]["uid"]] = endpoint_slice["metadata"].get("generation", 0)

    def expect_deletion(self, endpoint_slice: dict) -> None:
        generations = self.generations_by_service.setdefault(service_key(endpoint_slice), {})
        generations[endpoint_slice["metadata"]["uid"]] = DELETION_EXPECTED

    def handle_deletion(self, endpoint_slice: dict) -> bool:
        """Forget a deleted slice; False if this controller did not expect the deletion."""
        generations = self.generations_by_service.get(service_key(endpoint_slice))
        if generations is not None:
            written = generations.pop(endpoint_slice["metadata"]["uid"], None)
            if written is not None and written != DELETION_EXPECTED:
                return False
        return True

    def delete_service(self, namespace: str, name: str) -> None:
        self.generations_by_service.pop(f"{namespace}/{name}", None)


class TrackedSliceHandlers:
    """The EndpointSlice informer handlers of both slice controllers: only a slice labelled as
    managed by this controller (``managed_by``), and only a change it did not make itself
    (``self.tracker``), sends the slice's Service to a sync (``queue_for_slice``); a slice moved to
    another Service sends both."""

    managed_by: str
    tracker: EndpointSliceTracker

    def managed(self, endpoint_slice: dict) -> bool:
        return (endpoint_slice["metadata"].get("labels") or {}).get(MANAGED_BY_LABEL) == self.managed_by

    def queue_for_slice(self, endpoint_slice: dict) -> None:  # pragma: no cover - each controller's own
        raise NotImplementedError

    def _slice_added(self, endpoint_slice: dict) -> None:
        if self.managed(endpoint_slice) and self.tracker.should_sync(endpoint_slice):
            self.queue_for_slice(endpoint_slice)

    def _slice_updated(self, old: dict, cur: dict) -> None:
        if (old["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL) != \
                (cur["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL):  # moved to another Service
            self.queue_for_slice(cur)
            self.queue_for_slice(old)
        elif self.managed(old) != self.managed(cur) or (self.managed(cur) and self.tracker.should_sync(cur)):
            self.queue_for_slice(cur)

    def _slice_deleted(self, endpoint_slice: dict) -> None:
        # handle_deletion is False for a deletion this controller did not make
        if self.managed(endpoint_slice) and self.tracker.has(endpoint_slice) \
                and not self.tracker.handle_deletion(endpoint_slice):
            self.queue_for_slice(endpoint_slice)


def write_slices(client: Any, tracker: EndpointSliceTracker, where: str, create: bool, to_create: list[dict],
                 to_update: list[dict], to_delete: list[dict], sent: Callable[[dict], dict] = lambda s: s,
                 missing_ok: bool = False) -> None:
    """The writes at the end of both reconcilers' ``finalize``: the creates (unless ``create`` is
    False: the owner is being deleted, so the garbage collector removes its slices), then the
    updates, then the deletes, each remembered in ``tracker``. ``sent(slice)`` is what goes to the
    API server. A create refused because the namespace is being deleted drops the item (they will
    keep failing); any other failure requeues the key with upstream's words (``where``: ``for
    Service ns/name``); a slice already deleted is fine when ``missing_ok``."""
    if create:
        for endpoint_slice in to_create:
            try:
                tracker.update(client.create(sent(endpoint_slice)))
            except ApiError as err:
                if namespace_terminating(err):
                    return
                raise Requeue(f"failed to create EndpointSlice {where}: {err}") from None
    for endpoint_slice in to_update:
        try:
            tracker.update(client.update(sent(endpoint_slice)))
        except ApiError as err:
            name = endpoint_slice["metadata"]["name"]
            raise Requeue(f"failed to update {name} EndpointSlice {where}: {err}") from None
    for endpoint_slice in to_delete:
        name = endpoint_slice["metadata"]["name"]
        try:
            client.delete("endpointslices", name, endpoint_slice["metadata"]["namespace"])
        except ApiError as err:
            if missing_ok and err.code == 404:
                continue
            raise Requeue(f"failed to delete {name} EndpointSlice {where}: {err}") from None
        tracker.expect_deletion(endpoint_slice)
