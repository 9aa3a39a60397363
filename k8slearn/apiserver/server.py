"""kube-apiserver: the only component that talks to etcd, and the one every other component talks to.

A request goes through the same stages as in the real server (``handlers/create.go`` etc.):

1. decode: the object's ``apiVersion``/``kind`` name the resource; defaults are applied;
2. admission: the mutating plugin chain (``admission.py``) may change or refuse it;
3. registry: the resource's strategy prepares it, validation checks it, etcd stores it
   with a compare-and-swap transaction (``registry.py``);
4. the etcd watch feeds the watch cache, which answers lists and fans the change out to
   every API watch of that resource (``cacher.py``, ``watch.py``).

Each component has its own ``Client`` (``server.client("kube-scheduler")``) so that every
request is traced under its name: ``Step("kube-scheduler", "bind", "pod/default/web", "node-1")``
followed by ``Step("etcd", "put", "/registry/pods/default/web", "revision 12")``.

>>> from k8slearn.etcd import MVCCStore
>>> from k8slearn.sim import Loop
>>> loop = Loop(seed=0)
>>> server = APIServer(MVCCStore(), loop)
>>> api = server.client("kubectl")
>>> ns = api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
>>> pod = api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
...                   "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}})
>>> pod["metadata"]["resourceVersion"], pod["status"]["phase"]
('3', 'Pending')
>>> print(loop.trace[-2]); print(loop.trace[-1])
     0.000  kubectl                  create              pod/default/web
     0.000  etcd                     put                 /registry/pods/default/web  revision 3

Simplified: one API version per group, no authentication/authorization, no server-side apply,
no managedFields, no API priority and fairness.

Upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/ (create.go, update.go, patch.go,
delete.go, get.go, watch.go), pkg/registry/core/pod/storage/storage.go (BindingREST)
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable

from k8slearn.api.defaults import apply_defaults
from k8slearn.api.errors import ApiError, bad_request, expired, status_error
from k8slearn.api.field import go_quote
from k8slearn.api.fields import FieldSelector, FieldSelectorError, parse_field_selector
from k8slearn.api.labels import Selector, parse_selector
from k8slearn.api.meta import thaw, timestamp
from k8slearn.api.validation.decode import decode_body
from k8slearn.api.resources import (
    RESOURCES,
    NoKindMatchError,
    ResourceInfo,
    UnknownResourceError,
    by_kind,
    lookup,
)
from k8slearn.apiserver import admission
from k8slearn.apiserver.admission import CREATE, DELETE, UPDATE, Attributes
from k8slearn.apiserver.allocators import ClusterIPAllocator, NodePortAllocator, ServiceAllocation
from k8slearn.apiserver.cacher import Cacher
from k8slearn.apiserver.cacher import decode as decode_frozen
from k8slearn.apiserver.patch import apply_patch
from k8slearn.apiserver.registry import DeleteOptions, Registry
from k8slearn.apiserver.strategy import strategy_for
from k8slearn.apiserver.watch import ADDED, Handler, Selection, Watch
from k8slearn.etcd import DELETE as ETCD_DELETE
from k8slearn.etcd import CompactedError, MVCCStore

WIPED_ON_CREATE = ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")
NOT_FOUND_RESOURCE = "the server could not find the requested resource"
BEING_DELETED_MSG = "pod {} is being deleted, cannot be assigned to a host"
ALREADY_ASSIGNED_MSG = "pod {} is already assigned to node {}"


class CacheLister(admission.Lister):
    """Admission plugins read namespaces and PriorityClasses from the watch cache."""

    def __init__(self, cacher: Cacher) -> None:
        self.cacher = cacher

    def get(self, resource: str, namespace: str | None, name: str) -> dict | None:
        return self.cacher.cache(resource).get(RESOURCES[resource].key(namespace, name))

    def list(self, resource: str) -> list[dict]:
        return self.cacher.cache(resource).list()


class _Request:
    """Traces one request: ``Step(actor, verb, object, detail)``, then the etcd steps it caused.

    ``ref`` names the object: a string, or ``(function, *arguments)`` that gives it. The string is
    only made when the step is recorded, so a cluster that does not trace makes none (a simulation
    speed-up). The arguments are the strings of the moment (or the request body, which the server
    never changes), so the text is the one an eager call would give.
    """

    def __init__(self, server: "APIServer", actor: str, verb: str, ref: Any, detail: str = "") -> None:
        self.server, self.actor, self.verb, self.ref, self.detail = server, actor, verb, ref, detail

    def __enter__(self) -> "_Request":
        self.server.requests += 1
        self.server.registry.pending = []
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        registry = self.server.registry
        loop = self.server.loop
        if not loop.tracing:  # nothing is kept: no need to word the steps
            registry.pending = []
            return
        detail = self.detail
        if isinstance(exc, ApiError):
            detail = f"{exc.code} {exc.reason}: {exc.message}" if exc.reason else f"{exc.code}: {exc.message}"
            if len(detail) > 120:
                detail = detail[:117] + "..."
        ref = self.ref
        if ref.__class__ is tuple:
            ref = ref[0](*ref[1:])
        loop.record(self.actor, self.verb, ref, detail)
        for action, key, text in registry.pending:
            loop.record("etcd", action, key, text)
        registry.pending = []


class APIServer:
    """The simulated kube-apiserver, serving every resource in ``api.resources.RESOURCES``."""

    def __init__(self, store: MVCCStore, loop: Any, service_cluster_ip_range: str = "10.96.0.0/12",
                 service_node_port_range: tuple[int, int] = (30000, 32767)) -> None:
        self.store = store
        self.loop = loop
        self.watch_delay = 0.001
        self.requests = 0
        self.registry = Registry(store, loop)
        self.services = ServiceAllocation(ClusterIPAllocator(service_cluster_ip_range, loop.rng),
                                          NodePortAllocator(*service_node_port_range, rng=loop.rng))
        self.registry.begin_create["services"] = self.services.begin_create
        self.registry.begin_update["services"] = self.services.begin_update
        self.cacher = Cacher(store)
        self.cacher.listeners.append(self.services.sync)
        for svc in self.cacher.cache("services").list():  # the repair controller, at start
            self.services.sync(RESOURCES["services"], svc, None)
        self.lister = CacheLister(self.cacher)

    @property
    def resource_version(self) -> str:
        """The current etcd revision, as a resourceVersion string."""
        return str(self.store.revision)

    def client(self, actor: str) -> "Client":
        """A client whose requests are traced under ``actor`` (a component name)."""
        return Client(self, actor)

    # -- resolving names -----------------------------------------------------------------------
    @staticmethod
    def _info(resource: str) -> ResourceInfo:
        try:
            return lookup(resource)
        except UnknownResourceError:
            raise status_error(404, "NotFound", NOT_FOUND_RESOURCE, {}) from None

    @staticmethod
    def _kind_info(obj: dict, resource: str | None) -> ResourceInfo:
        """The resource of a request body: its apiVersion/kind, filled from ``resource`` if missing."""
        if resource is not None:
            info = APIServer._info(resource)
            obj.setdefault("apiVersion", info.api_version)
            obj.setdefault("kind", info.kind)
            if (obj["apiVersion"], obj["kind"]) != (info.api_version, info.kind):
                raise bad_request(f"the object provided is unrecognized (must be of type {info.kind})")
            return info
        kind = obj.get("kind")
        if not kind:
            raise bad_request(f"Object 'Kind' is missing in '{json.dumps(obj, separators=(',', ':'))}'")
        if not obj.get("apiVersion"):
            try:
                info = lookup(kind)
            except UnknownResourceError:
                raise status_error(404, "NotFound", f'no matches for kind "{kind}"', {}) from None
            obj["apiVersion"] = info.api_version
        try:
            return by_kind(obj["apiVersion"], kind)
        except NoKindMatchError as e:
            raise status_error(404, "NotFound", str(e), {}) from None

    def _decode(self, obj: Any, resource: str | None) -> tuple[dict, ResourceInfo, dict]:
        """A mutable copy of a request body, its resource, and its metadata."""
        if not isinstance(obj, dict):
            raise bad_request("the body of the request was in an unknown format")
        obj = dict(obj)  # the top of the server's own copy: apiVersion and kind may be filled in
        info = self._kind_info(obj, resource)
        obj, problem = decode_body(obj)  # the rest of the copy, made while checking the JSON types
        if problem:
            raise bad_request(problem)  # a value of the wrong JSON type never reaches defaulting
        meta = obj.get("metadata")
        if not isinstance(meta, dict):
            meta = obj["metadata"] = {}
        return obj, info, meta

    @staticmethod
    def _check_subresource(info: ResourceInfo, subresource: str) -> None:
        """Only kinds with a status subresource have /status; only namespaces have /finalize."""
        served = {"": True, "status": strategy_for(info.plural).has_status,
                  "finalize": info.plural == "namespaces"}
        if not served.get(subresource, False):
            raise status_error(404, "NotFound", NOT_FOUND_RESOURCE, {})

    @staticmethod
    def _namespace(info: ResourceInfo, namespace: str | None) -> str | None:
        return (namespace or "default") if info.namespaced else None

    @staticmethod
    def _ref(info: ResourceInfo, namespace: str | None, name: str) -> str:
        return f"{info.singular}/{namespace}/{name}" if info.namespaced else f"{info.singular}/{name}"

    def _selection(self, info: ResourceInfo, namespace: str | None, label_selector: Any,
                   field_selector: Any) -> Selection:
        label: Selector | None = None
        fields: FieldSelector | None = None
        try:
            if isinstance(label_selector, Selector):
                label = label_selector
            elif label_selector:
                label = parse_selector(label_selector)
            if isinstance(field_selector, FieldSelector):
                fields = field_selector
            elif field_selector:
                fields = parse_field_selector(field_selector)
            if fields is not None:
                fields.check(info.plural)
        except (ValueError, FieldSelectorError) as e:
            raise bad_request(str(e)) from None
        return Selection(namespace if info.namespaced else None, label, fields)

    # -- verbs ---------------------------------------------------------------------------------
    def create(self, actor: str, obj: dict, namespace: str | None = None, dry_run: bool = False,
               resource: str | None = None) -> dict:
        detail = "dry run" if dry_run else ""
        request = _Request(self, actor, "create", (_rough_ref, obj, resource, namespace), detail)
        with request:
            obj, info, meta = self._decode(obj, resource)
            if info.namespaced:
                if namespace and meta.get("namespace") and meta["namespace"] != namespace:
                    raise bad_request("the namespace of the provided object does not match the namespace "
                                      "sent on the request")
                meta["namespace"] = namespace or meta.get("namespace") or "default"
            else:
                meta.pop("namespace", None)
            ns = meta.get("namespace")
            for key in WIPED_ON_CREATE:
                meta.pop(key, None)
            request.ref = (self._ref, info, ns, meta.get("name") or meta.get("generateName") or "")
            user_priority = (obj.get("spec") or {}).get("priority") if info.plural == "pods" else None
            apply_defaults(obj)
            attrs = Attributes(CREATE, info.plural, ns, obj)
            attrs.user_priority = user_priority
            admission.admit(attrs, self.lister)
            created = self.registry.create(info, obj, dry_run=dry_run)
            request.ref = (self._ref, info, ns, created["metadata"]["name"])
        return created

    def get(self, actor: str, resource: str, name: str, namespace: str | None = "default") -> dict:
        info = self._info(resource)
        ns = self._namespace(info, namespace)
        with _Request(self, actor, "get", (self._ref, info, ns, name)):
            obj, _ = self.registry.read(info, ns, name)
        return obj

    def list_with_version(self, actor: str, resource: str, namespace: str | None = None,
                          label_selector: Any = None, field_selector: Any = None) -> tuple[list[dict], str]:
        info = self._info(resource)
        request = _Request(self, actor, "list", info.plural)
        with request:
            selection = self._selection(info, namespace, label_selector, field_selector)
            items = self.cacher.cache(info.plural).list(selection)
            request.detail = _list_detail(len(items), selection)
        return items, str(self.store.revision)

    def list(self, actor: str, resource: str, namespace: str | None = None, label_selector: Any = None,
             field_selector: Any = None) -> list[dict]:
        return self.list_with_version(actor, resource, namespace, label_selector, field_selector)[0]

    def update(self, actor: str, obj: dict, subresource: str = "", dry_run: bool = False) -> dict:
        request = _Request(self, actor, "update", (_rough_ref, obj, None, None), subresource)
        with request:
            obj, info, meta = self._decode(obj, None)
            if not meta.get("name"):
                raise bad_request("resource name may not be empty")
            self._check_subresource(info, subresource)
            ns = self._namespace(info, meta.get("namespace"))
            if ns is not None:
                meta["namespace"] = ns
            else:
                meta.pop("namespace", None)
            request.ref = (self._ref, info, ns, meta["name"])
            apply_defaults(obj)
            return self.registry.update(info, ns, meta["name"], lambda existing: obj, subresource, dry_run,
                                        self._admit_update(info, ns, subresource))

    def _admit_update(self, info: ResourceInfo, namespace: str | None,
                      subresource: str) -> Callable[[dict, dict], None]:
        def admit(new: dict, existing: dict) -> None:
            attrs = Attributes(UPDATE, info.plural, namespace, new, existing, subresource)
            admission.admit(attrs, self.lister)
        return admit

    def patch(self, actor: str, resource: str, name: str, patch: Any, namespace: str | None = "default",
              patch_type: str = "strategic", subresource: str = "", dry_run: bool = False) -> dict:
        info = self._info(resource)
        ns = self._namespace(info, namespace)

        def updated(existing: dict) -> dict:
            patched = apply_patch(existing, thaw(patch), patch_type, info.kind)
            patched.setdefault("metadata", {})
            for key in ("name", "namespace"):  # the URL names the object
                if key in existing["metadata"]:
                    patched["metadata"][key] = existing["metadata"][key]
            apply_defaults(patched)
            return patched

        detail = patch_type if not subresource else f"{patch_type}, {subresource}"
        with _Request(self, actor, "patch", self._ref(info, ns, name), detail):
            self._check_subresource(info, subresource)
            return self.registry.update(info, ns, name, updated, subresource, dry_run,
                                        self._admit_update(info, ns, subresource))

    def delete(self, actor: str, resource: str, name: str, namespace: str | None = "default",
               grace_period_seconds: int | None = None, propagation_policy: str | None = None,
               dry_run: bool = False) -> dict:
        info = self._info(resource)
        ns = self._namespace(info, namespace)
        request = _Request(self, actor, "delete", self._ref(info, ns, name))
        with request:
            options = DeleteOptions(grace_period_seconds, propagation_policy, dry_run)
            admission.admit(Attributes(DELETE, info.plural, ns, None, name=name), self.lister)
            result = self.registry.delete(info, ns, name, options)
            request.detail = _delete_detail(self.store.get(info.key(ns, name)) is None, result, dry_run)
        return result

    def finalize_namespace(self, actor: str, name: str, finalizers: Iterable[str] = ()) -> dict:
        """namespaces/finalize: set ``spec.finalizers`` (what the namespace controller does last)."""
        info = RESOURCES["namespaces"]
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name},
                "spec": {"finalizers": list(finalizers)}}
        with _Request(self, actor, "update", self._ref(info, None, name), "finalize"):
            return self.registry.update(info, None, name, lambda existing: body, "finalize")

    def bind(self, actor: str, pod_name: str, namespace: str, node_name: str) -> None:
        """The pods/binding subresource: set ``spec.nodeName`` once (what the scheduler's bind does)."""
        info = RESOURCES["pods"]
        ns = namespace or "default"

        def assign(existing: dict) -> dict:
            spec = existing.get("spec") or {}
            if existing["metadata"].get("deletionTimestamp"):
                raise _binding_conflict(pod_name, BEING_DELETED_MSG.format(pod_name))
            if spec.get("nodeName"):
                node = go_quote(spec["nodeName"])
                raise _binding_conflict(pod_name, ALREADY_ASSIGNED_MSG.format(pod_name, node))
            pod = _copy_for_binding(existing)
            pod.setdefault("spec", {})["nodeName"] = node_name
            _set_pod_scheduled(pod, timestamp(self.loop.now))
            return pod

        with _Request(self, actor, "bind", (self._ref, info, ns, pod_name), node_name):
            if not node_name:
                raise status_error(500, "", "target.name: Required value", None)
            self.registry.update_raw(info, ns, pod_name, assign)

    # -- watch ---------------------------------------------------------------------------------
    def watch(self, actor: str, resource: str, namespace: str | None = None,
              resource_version: str | None = None, label_selector: Any = None, field_selector: Any = None,
              handler: Handler | None = None) -> Watch:
        info = self._info(resource)
        request = _Request(self, actor, "watch", info.plural)
        with request:
            selection = self._selection(info, namespace, label_selector, field_selector)
            request.detail = _watch_detail(resource_version, selection)
            w = Watch(self, info.plural, info.singular, selection, actor, handler)
            cache = self.cacher.cache(info.plural)
            if resource_version in (None, "", "0"):
                for obj in cache.list(selection):
                    w.send(ADDED, obj)
            else:
                self._replay(info, w, _parse_resource_version(resource_version))
            cache.add_watch(w)
        return w

    def _replay(self, info: ResourceInfo, w: Watch, rv: int) -> None:
        """Send a watch every change after ``rv``, from etcd's history (410 Expired if compacted)."""
        current = self.store.revision
        if rv > current:
            cause = {"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}
            raise status_error(504, "Timeout", f"Too large resource version: {rv}, current: {current}",
                               {"causes": [cause], "retryAfterSeconds": 1})
        if rv == current:
            return
        events: list = []
        try:
            etcd_watch = self.store.watch(info.list_prefix(w.selection.namespace), start_revision=rv + 1,
                                          callback=events.append)
        except CompactedError as e:
            raise expired(f"too old resource version: {rv} ({e.compact_revision - 1})") from None
        etcd_watch.cancel()
        for ev in events:
            kv = ev.kv
            old = decode_frozen(ev.prev_kv.value, ev.prev_kv.mod_revision) if ev.prev_kv is not None else None
            if ev.type == ETCD_DELETE:
                if old is not None:
                    w.notify(None, old, kv.mod_revision)
            else:
                w.notify(decode_frozen(kv.value, kv.mod_revision), old, kv.mod_revision)


def _rough_ref(obj: Any, resource: str | None, namespace: str | None) -> str:
    """How the trace names a request body before it is decoded (``pod/default/web`` at best)."""
    if not isinstance(obj, dict):
        return resource or "?"
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    kind = str(obj.get("kind") or resource or "?").lower()
    ns = meta.get("namespace") or namespace
    name = meta.get("name") or meta.get("generateName") or ""
    return f"{kind}/{ns}/{name}" if ns else f"{kind}/{name}"


def _binding_conflict(name: str, message: str) -> ApiError:
    return status_error(409, "Conflict", f'Operation cannot be fulfilled on pods/binding "{name}": {message}',
                        {"name": name, "kind": "pods/binding"})


def _copy_for_binding(existing: dict) -> dict:
    """A copy of ``existing`` that binding may change: its own top level, spec, status and conditions list.

    ``existing`` is the request's own decoded object and binding only sets ``spec.nodeName`` and
    replaces or appends the PodScheduled condition, so the rest is shared rather than deep-copied.
    """
    pod = dict(existing)
    if isinstance(pod.get("spec"), dict):
        pod["spec"] = dict(pod["spec"])
    status = pod.get("status")
    if isinstance(status, dict):
        pod["status"] = status = dict(status)
        if isinstance(status.get("conditions"), list):
            status["conditions"] = list(status["conditions"])
    return pod


def _set_pod_scheduled(pod: dict, now: str) -> None:
    """podutil.UpdatePodCondition(PodScheduled=True): replace it; keep the transition time if unchanged."""
    status = pod.setdefault("status", {})
    conditions = status.setdefault("conditions", [])
    condition = {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": now}
    for i, c in enumerate(conditions):
        if c.get("type") == "PodScheduled":
            if c.get("status") == "True":
                condition["lastTransitionTime"] = c.get("lastTransitionTime")
            conditions[i] = condition
            return
    conditions.append(condition)


def _parse_resource_version(rv: Any) -> int:
    try:
        value = int(str(rv))
    except ValueError:
        value = -1
    if value < 0:
        raise bad_request(f"invalid resource version: {rv}")
    return value


def _list_detail(n: int, selection: Selection) -> str:
    parts = [f"{n} item" if n == 1 else f"{n} items"]
    if selection.namespace:
        parts.append(f"namespace {selection.namespace}")
    if selection.label is not None:
        parts.append(f"-l {selection.label}")
    if selection.field is not None:
        parts.append(f"--field-selector {selection.field}")
    return ", ".join(parts)


def _watch_detail(rv: Any, selection: Selection) -> str:
    parts = [f"from rv {rv}" if rv not in (None, "", "0") else "from now, with current objects"]
    if selection.namespace:
        parts.append(f"namespace {selection.namespace}")
    if selection.label is not None:
        parts.append(f"-l {selection.label}")
    if selection.field is not None:
        parts.append(f"--field-selector {selection.field}")
    return ", ".join(parts)


def _delete_detail(gone: bool, obj: dict, dry_run: bool) -> str:
    if dry_run:
        return "dry run"
    if gone:
        return "deleted"
    meta = obj.get("metadata") or {}
    if meta.get("finalizers"):
        return f"waiting for finalizers {', '.join(meta['finalizers'])}"
    grace = meta.get("deletionGracePeriodSeconds")
    return f"graceful, {grace}s" if grace is not None else "terminating"


class Client:
    """One component's connection to the API server: the verbs, traced under ``actor``."""

    def __init__(self, server: APIServer, actor: str) -> None:
        self.server = server
        self.actor = actor

    def create(self, obj: dict, namespace: str | None = None, dry_run: bool = False,
               resource: str | None = None) -> dict:
        """Create ``obj``; returns the stored object (a mutable copy)."""
        return self.server.create(self.actor, obj, namespace, dry_run, resource)

    def get(self, resource: str, name: str, namespace: str | None = "default") -> dict:
        """Read one object straight from etcd (a mutable copy)."""
        return self.server.get(self.actor, resource, name, namespace)

    def list(self, resource: str, namespace: str | None = None, label_selector: Any = None,
             field_selector: Any = None) -> list[dict]:
        """Read-only objects from the watch cache, in etcd key order."""
        return self.server.list(self.actor, resource, namespace, label_selector, field_selector)

    def list_with_version(self, resource: str, namespace: str | None = None, label_selector: Any = None,
                          field_selector: Any = None) -> tuple[list[dict], str]:
        """(items, list resourceVersion): what a reflector lists before it watches."""
        return self.server.list_with_version(self.actor, resource, namespace, label_selector, field_selector)

    def update(self, obj: dict, dry_run: bool = False) -> dict:
        """PUT: optimistic concurrency on ``metadata.resourceVersion`` (empty = unconditional)."""
        return self.server.update(self.actor, obj, "", dry_run)

    def update_status(self, obj: dict, dry_run: bool = False) -> dict:
        """PUT .../status: only the status of ``obj`` is kept."""
        return self.server.update(self.actor, obj, "status", dry_run)

    def patch(self, resource: str, name: str, patch: Any, namespace: str | None = "default",
              patch_type: str = "strategic", subresource: str = "", dry_run: bool = False) -> dict:
        """PATCH with a strategic merge (default), JSON merge ("merge") or JSON ("json") patch."""
        return self.server.patch(self.actor, resource, name, patch, namespace, patch_type, subresource,
                                 dry_run)

    def delete(self, resource: str, name: str, namespace: str | None = "default",
               grace_period_seconds: int | None = None, propagation_policy: str | None = None,
               dry_run: bool = False) -> dict:
        """Delete now, or start a graceful/finalized deletion; returns the object."""
        return self.server.delete(self.actor, resource, name, namespace, grace_period_seconds,
                                  propagation_policy, dry_run)

    def bind(self, pod_name: str, namespace: str, node_name: str) -> None:
        """POST pods/<name>/binding: assign the pod to a node (only once)."""
        self.server.bind(self.actor, pod_name, namespace, node_name)

    def finalize_namespace(self, name: str, finalizers: Iterable[str] = ()) -> dict:
        """PUT namespaces/<name>/finalize: what the namespace controller does when the namespace is empty."""
        return self.server.finalize_namespace(self.actor, name, finalizers)

    def watch(self, resource: str, namespace: str | None = None, resource_version: str | None = None,
              label_selector: Any = None, field_selector: Any = None,
              handler: Handler | None = None) -> Watch:
        """Watch a resource; see ``Watch``."""
        return self.server.watch(self.actor, resource, namespace, resource_version, label_selector,
                                 field_selector, handler)

    def __repr__(self) -> str:
        return f"<Client {self.actor}>"
