"""The generic registry: how every resource is created, updated and deleted in etcd.

One code path serves every kind (``genericregistry.Store``); the per-kind differences live in
the strategies (``strategy.py``). Objects are stored as compact JSON under the resource's key,
without ``metadata.resourceVersion``: the resourceVersion *is* the etcd ``mod_revision``, filled
in on every read. Concurrency is etcd's compare-and-swap:

* create: ``txn(if mod_revision(key) == 0 then put)``; a failed compare is ``409 AlreadyExists``;
* update: read, change, ``txn(if mod_revision(key) == <read> then put)``; a client whose
  ``resourceVersion`` is not the stored one gets ``409 Conflict``; an update that changes
  nothing writes nothing;
* delete: either a real delete, or, for a graceful or finalized object, an *update* that sets
  ``metadata.deletionTimestamp`` and leaves the object in place until its kubelet (or the
  finalizers' owners) are done.

>>> import json
>>> obj = {"kind": "Pod", "metadata": {"name": "web", "resourceVersion": "7"}, "spec": {}}
>>> encode(obj)
b'{"kind":"Pod","metadata":{"name":"web"},"spec":{}}'

Events are written with an etcd lease (``lease_manager``), so etcd deletes them an hour after
their last write, as kube-apiserver's ``--event-ttl`` does.

Simplified: one storage version (v1 JSON, no protobuf, no conversion), no
managedFields; dry-run and preconditions are supported for the simple cases.

Upstream: staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go,
staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go,
staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go
"""

from __future__ import annotations

import json
from typing import Any, Callable

from k8slearn.api import field
from k8slearn.api.errors import (
    ApiError,
    already_exists,
    conflict,
    internal_error,
    invalid,
    not_found,
    status_error,
)
from k8slearn.api.meta import generate_name, parse_timestamp, thaw, timestamp
from k8slearn.api.resources import ResourceInfo
from k8slearn.api.validation import validate
from k8slearn.apiserver.lease_manager import EVENT_TTL, LeaseManager
from k8slearn.apiserver.strategy import BACKGROUND, ORPHAN, UNSUPPORTED, Strategy, ephemeral_containers_update, strategy_for
from k8slearn.etcd import Compare, Delete, MVCCStore, Put

MAX_GENERATE_NAME_ATTEMPTS = 8  # maxNameGenerationCreateAttempts
FOREGROUND = "Foreground"
PROPAGATION_POLICIES = (FOREGROUND, BACKGROUND, ORPHAN)
FINALIZER_ORPHAN, FINALIZER_FOREGROUND = "orphan", "foregroundDeletion"

Hook = Callable[[dict, "dict | None"], Callable[[], None]]  # begin_create/begin_update: returns a revert


_ENCODER = json.JSONEncoder(separators=(",", ":"))  # json.dumps(obj, separators=...) without a new encoder
# The same bytes without the cycle check (a speed-up): an object containing itself makes it
# recurse until RecursionError, and is then encoded again by _ENCODER for its own ValueError.
_FAST_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def encode(obj: dict) -> bytes:
    """The bytes etcd stores: compact JSON without ``metadata.resourceVersion``."""
    meta = obj.get("metadata") or {}
    if "resourceVersion" in meta:
        if isinstance(meta, dict):  # a copy without it, others in order (cheaper than a comprehension)
            meta = dict(meta)
            del meta["resourceVersion"]
        else:
            meta = {k: v for k, v in meta.items() if k != "resourceVersion"}
        obj = {**obj, "metadata": meta}
    try:
        text = _FAST_ENCODER.encode(obj)
    except RecursionError:
        text = _ENCODER.encode(obj)  # "Circular reference detected", or too deep for either
    return text.encode()


_DECODER = json.JSONDecoder()  # json.loads' own default decoder


def decode(value: bytes, mod_revision: int) -> dict:
    """A stored object as a mutable dict, its resourceVersion set from the etcd ``mod_revision``."""
    if value.__class__ is bytes and value[:1] == b"{" and value[1:2] != b"\x00":
        # what json.loads does with these bytes (json.detect_encoding says UTF-8), without its checks
        obj = _DECODER.decode(value.decode("utf-8", "surrogatepass"))
    else:
        obj = json.loads(value)
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    if not isinstance(obj.get("metadata"), dict):
        obj["metadata"] = {}
    obj["metadata"]["resourceVersion"] = str(mod_revision)
    return obj


def _same(a: dict, b: dict) -> bool:
    """Equal apart from resourceVersion (an update that changes nothing is not written)."""
    ma, mb = dict(a.get("metadata") or {}), dict(b.get("metadata") or {})
    ma.pop("resourceVersion", None)
    mb.pop("resourceVersion", None)
    return ma == mb and {**a, "metadata": None} == {**b, "metadata": None}


EMPTY_OMITTED = ("labels", "annotations", "ownerReferences", "finalizers")


def drop_empty_metadata(meta: dict) -> None:
    """Empty labels, annotations, ownerReferences and finalizers are not kept: the API server
    stores typed objects, and Go's ``omitempty`` leaves an empty map or list out (removing the last
    finalizer, or the last label, reads back without the field).

    >>> meta = {"name": "p", "labels": {}, "finalizers": [], "annotations": {"a": "1"}}
    >>> drop_empty_metadata(meta); meta
    {'name': 'p', 'annotations': {'a': '1'}}
    """
    for key in EMPTY_OMITTED:
        if key in meta and not meta[key]:
            del meta[key]


class DeleteOptions:
    """The parts of metav1.DeleteOptions the simulation honours."""

    __slots__ = ("grace_period_seconds", "propagation_policy", "dry_run")

    def __init__(self, grace_period_seconds: int | None = None, propagation_policy: str | None = None,
                 dry_run: bool = False) -> None:
        if propagation_policy is not None and propagation_policy not in PROPAGATION_POLICIES:
            err = field.not_supported("propagationPolicy", propagation_policy, [*PROPAGATION_POLICIES, "nil"])
            raise status_error(422, "Invalid", f'DeleteOptions.meta.k8s.io "" is invalid: {err.error()}',
                               {"group": "meta.k8s.io", "kind": "DeleteOptions", "causes": [err.cause()]})
        self.grace_period_seconds = grace_period_seconds
        self.propagation_policy = propagation_policy
        self.dry_run = dry_run


class Registry:
    """Create, update and delete any resource in etcd, as the generic registry store does."""

    def __init__(self, store: MVCCStore, loop: Any) -> None:
        self.store = store
        self.loop = loop
        # Resources that live a while (the registry Store's TTLFunc): every write of one is put with
        # an etcd lease, so etcd deletes it that long after its last write (Events: --event-ttl).
        self.ttl: dict[str, int] = {"events": EVENT_TTL}
        self.leases = LeaseManager(store, lambda: loop.now)
        self.begin_create: dict[str, Hook] = {}  # per resource: allocate (e.g. Service ClusterIPs)
        self.begin_update: dict[str, Hook] = {}
        # etcd steps of the current request, traced after it: (action, key, detail), the detail of a
        # put or delete kept as its revision (an int), worded only if the step is recorded (a speed-up)
        self.pending: list[tuple[str, str, Any]] = []

    # -- etcd, traced --------------------------------------------------------------------------
    def _trace(self, action: str, key: str, detail: Any) -> None:
        """Note an etcd step; ``detail`` is its text, or the revision it wrote (``revision N``)."""
        self.pending.append((action, key, detail))

    def read(self, info: ResourceInfo, namespace: str | None, name: str) -> tuple[dict, int]:
        """The stored object (mutable) and its mod_revision; 404 if missing."""
        kv = self.store.get(info.key(namespace, name))
        if kv is None:
            raise not_found(info, name)
        try:
            return decode(kv.value, kv.mod_revision), kv.mod_revision
        except ValueError as e:
            raise internal_error(f"unable to decode {kv.key}: {e}") from None

    def _lease(self, info: ResourceInfo) -> int:
        """The etcd lease for a write of ``info``'s objects (0: they live until deleted)."""
        ttl = self.ttl.get(info.plural)
        return self.leases.get_lease(ttl) if ttl else 0

    def _put(self, info: ResourceInfo, key: str, obj: dict, expect_rev: int) -> int:
        put = Put(key, encode(obj), lease=self._lease(info))
        result = self.store.txn([Compare(key, "mod_revision", "=", expect_rev)], [put])
        if not result.succeeded:  # cannot happen in one thread; kept for honesty
            raise status_error(409, "Conflict", f"etcd compare failed for {key}")
        self._trace("put", key, result.revision)
        return result.revision

    def _delete(self, key: str, expect_rev: int) -> int:
        result = self.store.txn([Compare(key, "mod_revision", "=", expect_rev)], [Delete(key)])
        self._trace("delete", key, result.revision)
        return result.revision

    # -- create --------------------------------------------------------------------------------
    def create(self, info: ResourceInfo, obj: dict, dry_run: bool = False) -> dict:
        """Fill system fields, generate a name if asked, prepare, validate, and store ``obj``."""
        meta = obj["metadata"]
        if meta.get("resourceVersion"):
            raise status_error(500, "", "resourceVersion should not be set on objects to be created", None)
        generated = not meta.get("name") and bool(meta.get("generateName"))
        if not generated:
            return self._create_once(info, obj, False, dry_run)
        pristine = json.dumps(obj)  # each attempt starts again from the request (createWithGenerateNameRetry)
        for _ in range(MAX_GENERATE_NAME_ATTEMPTS):
            try:
                return self._create_once(info, obj, True, dry_run)
            except ApiError as e:
                if e.reason != "AlreadyExists":
                    raise
            obj = json.loads(pristine)
        raise status_error(500, "ServerTimeout", f"The POST operation against {info.group_kind} could not be "
                           "completed at this time, please try again.",
                           {"name": "POST", "group": info.group, "kind": info.kind, "retryAfterSeconds": 0})

    def _create_once(self, info: ResourceInfo, obj: dict, generated: bool, dry_run: bool) -> dict:
        meta = obj["metadata"]
        drop_empty_metadata(meta)
        meta["creationTimestamp"] = timestamp(self.loop.now)  # FillObjectMetaSystemFields
        meta["uid"] = self.loop.new_uid()
        if generated:
            meta["name"] = generate_name(meta["generateName"], self.loop.rng)
        revert = self._begin(self.begin_create, info, obj, None)
        try:
            strategy_for(info.plural).prepare_for_create(obj)
            errors = validate(obj)
            if errors:
                raise invalid(info, meta.get("name", ""), errors)
            key = info.key(meta.get("namespace"), meta["name"])
            if dry_run:
                kv = self.store.get(key)
                if kv is not None:
                    raise self._exists(info, meta["name"], kv.value)
                revert()
                return obj
            put = Put(key, encode(obj), lease=self._lease(info))
            result = self.store.txn([Compare(key, "mod_revision", "=", 0)], [put])
            if not result.succeeded:
                self._trace("txn", key, "compare failed: the key exists")
                raise self._exists(info, meta["name"], self.store.get(key).value)
        except BaseException:
            revert()
            raise
        self._trace("put", key, result.revision)
        meta["resourceVersion"] = str(result.revision)
        return obj

    def _exists(self, info: ResourceInfo, name: str, stored: bytes) -> ApiError:
        err = already_exists(info, name)
        try:
            deleting = (json.loads(stored).get("metadata") or {}).get("deletionTimestamp")
        except (ValueError, AttributeError):
            deleting = None
        if deleting:
            err.status["message"] = f"object is being deleted: {err.status['message']}"
        return err

    def _begin(self, hooks: dict[str, Hook], info: ResourceInfo, obj: dict,
               old: dict | None) -> Callable[[], None]:
        hook = hooks.get(info.plural)
        return hook(obj, old) if hook is not None else _nothing

    # -- update --------------------------------------------------------------------------------
    def update(self, info: ResourceInfo, namespace: str | None, name: str,
               updated: Callable[[dict], dict], subresource: str = "", dry_run: bool = False,
               admit: Callable[[dict, dict], None] | None = None, uid: str = "") -> dict:
        """GuaranteedUpdate: ``updated(existing)`` gives the new object; the strategy and validation decide.

        ``existing`` must not be changed by ``updated``; ``admit(new, existing)`` is the mutating
        admission chain, run before the resourceVersion check, as upstream. ``existing`` is decoded
        for this request alone, so the strategies let the new object share its parts (no copies).
        ``uid``, a PUT body's own (a PATCH has none), is a precondition checked first.
        """
        existing, mod_rev = self.read(info, namespace, name)
        if uid and uid != existing["metadata"].get("uid"):
            raise conflict(info, name, uid_precondition_failed(info.key(namespace, name), uid, existing))
        new = updated(existing)
        if admit is not None:
            admit(new, existing)
        self._check_resource_version(info, name, new, existing)
        revert = _nothing if subresource else self._begin(self.begin_update, info, new, existing)
        try:
            new = self._before_update(info, new, existing, subresource)
            errors = validate(new, existing, subresource)
            if errors:
                raise invalid(info, name, errors)
            if self._should_delete_during_update(info, new, existing):
                revert()
                if not dry_run:
                    mod_rev = self._delete(info.key(namespace, name), mod_rev)
            elif _same(new, existing) or dry_run:  # an update that changes nothing writes nothing
                revert()
            else:
                mod_rev = self._put(info, info.key(namespace, name), new, mod_rev)
        except BaseException:
            revert()
            raise
        new["metadata"]["resourceVersion"] = str(mod_rev)
        return new

    def update_raw(self, info: ResourceInfo, namespace: str | None, name: str,
                   updated: Callable[[dict], dict]) -> dict:
        """Storage.GuaranteedUpdate without strategy, validation or admission (the pods/binding path)."""
        existing, mod_rev = self.read(info, namespace, name)
        new = updated(existing)
        if not _same(new, existing):
            mod_rev = self._put(info, info.key(namespace, name), new, mod_rev)
        new["metadata"]["resourceVersion"] = str(mod_rev)
        return new

    @staticmethod
    def _check_resource_version(info: ResourceInfo, name: str, new: dict, existing: dict) -> None:
        rv = (new.get("metadata") or {}).get("resourceVersion")
        if rv and str(rv) != existing["metadata"]["resourceVersion"]:
            raise conflict(info, name)
        new.setdefault("metadata", {})["resourceVersion"] = existing["metadata"]["resourceVersion"]

    def _before_update(self, info: ResourceInfo, new: dict, old: dict, subresource: str) -> dict:
        """rest.BeforeUpdate: the strategy's rules, then the metadata no update may change."""
        strategy = strategy_for(info.plural)
        meta, old_meta = new["metadata"], old["metadata"]
        if "generation" in old_meta:
            meta["generation"] = old_meta["generation"]
        else:
            meta.pop("generation", None)
        if subresource == "status":
            new = strategy.prepare_for_status_update(new, old, timestamp(self.loop.now))
        elif subresource == "ephemeralcontainers":
            new = ephemeral_containers_update(new, old)
        elif subresource == "finalize":
            new = finalize_update(new, old)
        else:
            strategy.prepare_for_update(new, old)
        meta = new["metadata"]
        drop_empty_metadata(meta)
        if not meta.get("uid"):
            meta["uid"] = old_meta.get("uid")  # a different uid is left for validation to refuse
        # an update can never remove or change the timestamps; one that sets a deletionTimestamp
        # the object did not have is left for validation to refuse (ValidateImmutableField)
        for key in ("creationTimestamp", "deletionTimestamp"):
            if key in old_meta:
                meta[key] = old_meta[key]
        grace = "deletionGracePeriodSeconds"
        if old_meta.get(grace) is not None and meta.get(grace) is None:
            meta[grace] = old_meta[grace]
        return new

    @staticmethod
    def _should_delete_during_update(info: ResourceInfo, new: dict, old: dict) -> bool:
        """ShouldDeleteDuringUpdate: the last finalizer is gone from an object being deleted."""
        if new["metadata"].get("finalizers") or not old["metadata"].get("deletionTimestamp"):
            return False
        if info.plural == "namespaces" and (new.get("spec") or {}).get("finalizers"):
            return False
        return not old["metadata"].get("deletionGracePeriodSeconds")

    # -- delete --------------------------------------------------------------------------------
    def delete(self, info: ResourceInfo, namespace: str | None, name: str, options: DeleteOptions) -> dict:
        """Delete now, or mark for graceful/finalized deletion; returns the object (its last state)."""
        if info.plural == "namespaces":
            return self._delete_namespace(info, name, options)
        strategy = strategy_for(info.plural)
        obj, _ = self.read(info, namespace, name)
        graceful, pending = self._before_delete(strategy, obj, options)
        if pending:
            return obj  # already being deleted at least this fast: nothing to do
        meta = obj["metadata"]
        update_finalizers, _ = self._gc_finalizers(strategy, meta, options.propagation_policy)
        if graceful or meta.get("finalizers") or update_finalizers:
            return self._update_for_deletion(info, strategy, namespace, name, options)
        return self._delete_now(info, namespace, name, options.dry_run)

    def _delete_now(self, info: ResourceInfo, namespace: str | None, name: str, dry_run: bool) -> dict:
        obj, mod_rev = self.read(info, namespace, name)
        if dry_run:
            return obj
        rev = self._delete(info.key(namespace, name), mod_rev)
        obj["metadata"]["resourceVersion"] = str(rev)
        return obj

    def _update_for_deletion(self, info: ResourceInfo, strategy: Strategy, namespace: str | None, name: str,
                             options: DeleteOptions) -> dict:
        """updateForGracefulDeletionAndFinalizers: write deletionTimestamp (and GC finalizers), or delete."""
        existing, mod_rev = self.read(info, namespace, name)
        new = thaw(existing)
        graceful, pending = self._before_delete(strategy, new, options)
        if pending:
            return existing
        meta = new["metadata"]
        changed, finalizers = self._gc_finalizers(strategy, meta, options.propagation_policy)
        if changed:
            meta["finalizers"] = finalizers
        pending_finalizers = bool(meta.get("finalizers"))
        if not graceful:
            if not pending_finalizers:
                return self._delete_now(info, namespace, name, options.dry_run)
            self._mark_as_deleting(meta)
        key = info.key(namespace, name)
        if _same(new, existing) or options.dry_run:
            written = mod_rev
        else:
            written = self._put(info, key, new, mod_rev)
        meta["resourceVersion"] = str(written)
        if pending_finalizers or not graceful or options.grace_period_seconds:
            return new
        if options.dry_run:
            return new
        rev = self._delete(key, written)  # graceful with a zero grace period: delete right after
        meta["resourceVersion"] = str(rev)
        return new

    def _before_delete(self, strategy: Strategy, obj: dict, options: DeleteOptions) -> tuple[bool, bool]:
        """rest.BeforeDelete: (graceful, graceful deletion already pending); may shorten the grace period."""
        if options.grace_period_seconds is not None and options.grace_period_seconds < 0:
            options.grace_period_seconds = 1
        meta = obj["metadata"]
        if meta.get("deletionGracePeriodSeconds") is not None and meta["deletionGracePeriodSeconds"] < 0:
            meta["deletionGracePeriodSeconds"] = 1
        if strategy.grace_period(obj, options.grace_period_seconds) is None:
            return False, False  # not a graceful kind
        if meta.get("deletionTimestamp"):
            current = meta.get("deletionGracePeriodSeconds")
            if not current:
                return False, False
            wanted = options.grace_period_seconds
            if wanted is None:
                options.grace_period_seconds = current
                return False, True
            if wanted >= current:
                return False, True
            moment = parse_timestamp(meta["deletionTimestamp"]) - current + wanted
            meta["deletionTimestamp"] = timestamp(moment)
            meta["deletionGracePeriodSeconds"] = wanted
            return True, False
        period = strategy.grace_period(obj, options.grace_period_seconds)
        options.grace_period_seconds = period
        meta["deletionTimestamp"] = timestamp(self.loop.now + period)
        meta["deletionGracePeriodSeconds"] = period
        if meta.get("generation", 0) > 0:
            meta["generation"] += 1
        return True, False

    def _mark_as_deleting(self, meta: dict) -> None:
        """markAsDeleting: deletionTimestamp now (unless earlier), grace period 0."""
        now = timestamp(self.loop.now)
        if not meta.get("deletionTimestamp") and meta.get("generation", 0) > 0:
            meta["generation"] += 1
        if not meta.get("deletionTimestamp") or parse_timestamp(meta["deletionTimestamp"]) > self.loop.now:
            meta["deletionTimestamp"] = now
        meta["deletionGracePeriodSeconds"] = 0

    @staticmethod
    def _gc_finalizers(strategy: Strategy, meta: dict, policy: str | None) -> tuple[bool, list[str]]:
        """deletionFinalizersForGarbageCollection: add/remove ``orphan`` and ``foregroundDeletion``."""
        finalizers = list(meta.get("finalizers") or [])
        if strategy.gc_policy == UNSUPPORTED:
            return False, finalizers
        if policy is not None:
            orphan, foreground = policy == ORPHAN, policy == FOREGROUND
        else:
            present = [f for f in finalizers if f in (FINALIZER_ORPHAN, FINALIZER_FOREGROUND)]
            first = present[0] if present else None
            orphan = first == FINALIZER_ORPHAN if first else strategy.gc_policy == ORPHAN
            foreground = first == FINALIZER_FOREGROUND
        new = [f for f in finalizers if f not in (FINALIZER_ORPHAN, FINALIZER_FOREGROUND)]
        if orphan:
            new.append(FINALIZER_ORPHAN)
        if foreground:
            new.append(FINALIZER_FOREGROUND)
        if set(new) == set(finalizers):
            return False, finalizers
        return True, new

    def _delete_namespace(self, info: ResourceInfo, name: str, options: DeleteOptions) -> dict:
        """Namespaces (namespace REST.Delete): the first delete only starts termination (phase
        Terminating) and, as shouldHaveOrphanFinalizer / shouldHaveDeleteDependentsFinalizer ask,
        puts ``orphan`` or ``foregroundDeletion`` into ``metadata.finalizers`` for the garbage
        collector (``kubectl delete ns dev --cascade=foreground``). A further delete while
        ``spec.finalizers`` remain changes nothing and returns the namespace (200, so kubectl
        prints ``namespace "dev" deleted`` again and waits); once the namespace controller has
        emptied ``spec.finalizers``, a further delete is the generic store's."""
        existing, mod_rev = self.read(info, None, name)
        meta = existing["metadata"]
        strategy = strategy_for(info.plural)
        if not meta.get("deletionTimestamp"):
            new = thaw(existing)
            new["metadata"]["deletionTimestamp"] = timestamp(self.loop.now)
            new.setdefault("status", {})["phase"] = "Terminating"
            changed, finalizers = self._gc_finalizers(strategy, new["metadata"], options.propagation_policy)
            if changed:
                new["metadata"]["finalizers"] = finalizers
            if options.dry_run:
                return new
            new["metadata"]["resourceVersion"] = str(self._put(info, info.key(None, name), new, mod_rev))
            return new
        if (existing.get("spec") or {}).get("finalizers"):  # prior to final deletion, finalizers must be empty
            return existing
        update_finalizers, _ = self._gc_finalizers(strategy, meta, options.propagation_policy)
        if meta.get("finalizers") or update_finalizers:
            return self._update_for_deletion(info, strategy, None, name, options)
        return self._delete_now(info, None, name, options.dry_run)


def uid_precondition_failed(key: str, uid: str, existing: dict) -> str:
    """Preconditions.Check's StorageError (ErrCodeInvalidObj, code 4), which InterpretUpdateError
    makes a Conflict: the object of that name is another one than the body's uid says."""
    return (f"StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, AdditionalErrorMsg: "
            f"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing['metadata'].get('uid', '')}")


def finalize_update(new: dict, old: dict) -> dict:
    """The namespaces/finalize subresource: only ``spec.finalizers`` changes."""
    result = thaw(old)
    finalizers = (new.get("spec") or {}).get("finalizers")
    if finalizers:
        result.setdefault("spec", {})["finalizers"] = list(finalizers)
    else:
        (result.get("spec") or {}).pop("finalizers", None)
    result["metadata"]["resourceVersion"] = new["metadata"].get("resourceVersion", "")
    return result


def _nothing() -> None:
    return None
