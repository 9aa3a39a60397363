"""kube-apiserver: the only component that talks to etcd, and the one every other component talks to.

A request goes through the same stages as in the real server (``handlers/create.go`` etc.):

1. decode: the object's ``apiVersion``/``kind`` name the resource (``request_scope.py``);
   defaults are applied;
2. admission: the mutating plugin chain (``admission.py``) may change or refuse it;
3. registry: the resource's strategy prepares it, validation checks it, etcd stores it
   with a compare-and-swap transaction (``registry.py``);
4. the etcd watch feeds the watch cache, which answers lists and fans the change out to
   every API watch of that resource (``cacher.py``, ``watch_cache.py``, ``watch.py``).

This module holds the verb handlers; the pods/binding rules are in ``binding.py``, pods/eviction's
in ``eviction.py``, componentstatuses' (worked out at request time, never stored) in
``componentstatus.py``. Each component has its own ``Client`` (``server.client("kube-scheduler")``,
``rest_client.py``) so that every request is traced under its name (``request_trace.py``):
``Step("kube-scheduler", "bind", "pod/default/web", "node-1")`` followed by
``Step("etcd", "put", "/registry/pods/default/web", "revision 12")``.

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
delete.go, get.go, watch.go), pkg/registry/core/pod/storage/storage.go (BindingREST), eviction.go
"""

from __future__ import annotations

import random
from typing import Any, Callable, Iterable

from k8slearn.api.conversion import to_requested_version
from k8slearn.api.defaults import apply_defaults
from k8slearn.api.warnings import TEMPLATE_KINDS, object_warnings
from k8slearn.api.errors import ApiError, bad_request, expired, method_not_allowed, status_error
from k8slearn.api.field import go_quote
from k8slearn.api.meta import thaw, timestamp
from k8slearn.api.omitempty import drop_empty_fields
from k8slearn.api.policy import eviction_body
from k8slearn.api.resources import RESOURCES, ResourceInfo
from k8slearn.api.validation.decode import decode_error
from k8slearn.api.validation.unknown_fields import (
    drop_unknown_fields,
    strict_error,
    type_error,
    unknown_fields,
)
from k8slearn.api.validation.unstructured import invalid_patch, wrap_overflow
from k8slearn.apiserver import admission
from k8slearn.apiserver.admission import CREATE, DELETE, UPDATE, Attributes
from k8slearn.apiserver.allocators import ClusterIPAllocator, NodePortAllocator, ServiceAllocation
from k8slearn.apiserver.binding import (
    ALREADY_ASSIGNED_MSG,
    BEING_DELETED_MSG,
    _binding_conflict,
    _copy_for_binding,
    _set_pod_scheduled,
)
from k8slearn.apiserver.auth_reviews import self_subject_access_review, self_subject_review
from k8slearn.apiserver.cacher import Cacher
from k8slearn.apiserver.componentstatus import (
    DEPRECATION_WARNING,
    get_component_status,
    list_component_statuses,
)
from k8slearn.apiserver.eviction import SUCCESS as EVICTION_SUCCESS
from k8slearn.apiserver.eviction import can_ignore_pdb, check_budget, check_name, with_disruption_condition
from k8slearn.apiserver.healthz import health_endpoints, serve
from k8slearn.api.patch import apply_patch
from k8slearn.apiserver.registry import DeleteOptions, Registry
from k8slearn.apiserver.scale import scale_of, scaled
from k8slearn.apiserver.request_names import check_name as check_object_name
from k8slearn.apiserver.request_names import ensure_object_namespace_matches_request_namespace
from k8slearn.apiserver.request_scope import RequestScope, _parse_resource_version
from k8slearn.apiserver.request_trace import _delete_detail, _list_detail, _Request, _rough_ref, _watch_detail
from k8slearn.apiserver.rest_client import Client
from k8slearn.apiserver.watch import ADDED, Handler, Watch
from k8slearn.apiserver.watch_cache_decode import decode as decode_frozen
from k8slearn.etcd import DELETE as ETCD_DELETE
from k8slearn.etcd import CompactedError, MVCCStore

WIPED_ON_CREATE = ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")
_WIPED = frozenset(WIPED_ON_CREATE)


class CacheLister(admission.Lister):
    """Admission plugins read namespaces and PriorityClasses from the watch cache."""

    def __init__(self, cacher: Cacher, rng: random.Random) -> None:
        super().__init__(rng=rng)
        self.cacher = cacher

    def get(self, resource: str, namespace: str | None, name: str) -> dict | None:
        return self.cacher.cache(resource).get(RESOURCES[resource].key(namespace, name))

    def list(self, resource: str) -> list[dict]:
        return self.cacher.cache(resource).list()


class APIServer(RequestScope):
    """The simulated kube-apiserver, serving every resource in ``api.resources.RESOURCES``."""

    def __init__(self, store: MVCCStore, loop: Any, service_cluster_ip_range: str = "10.96.0.0/12",
                 service_node_port_range: tuple[int, int] = (30000, 32767)) -> None:
        self.store = store
        self.loop = loop
        self.warnings: list[str] | None = None  # collected while a client that reads them asks (api.warnings)
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
        # the token volumes' names: a random stream of their own, so that they move no other random choice
        self.lister = CacheLister(self.cacher, random.Random(f"{loop.seed}/kube-api-access"))
        # componentstatuses: is something listening behind each name it probes (cluster.py wires in
        # the kube-scheduler and kube-controller-manager of this machine; etcd is this server's store)
        self.component_checks: dict[str, Callable[[], bool]] = {"etcd-0": lambda: True}
        # /healthz, /livez, /readyz (healthz.py): their etcd checks ask what componentstatuses' etcd-0 asks
        self.health_checks = health_endpoints(lambda: self.component_checks["etcd-0"]())

    @property
    def resource_version(self) -> str:
        """The current etcd revision, as a resourceVersion string."""
        return str(self.store.revision)

    def client(self, actor: str) -> "Client":
        """A client whose requests are traced under ``actor`` (a component name)."""
        return Client(self, actor)

    # -- verbs ---------------------------------------------------------------------------------
    def create(self, actor: str, obj: dict, namespace: str | None = None, dry_run: bool = False,
               resource: str | None = None, field_validation: str = "") -> dict:
        detail = "dry run" if dry_run else ""
        request = _Request(self, actor, "create", (_rough_ref, obj, resource, namespace), detail)
        with request:
            obj, info, meta = self._decode(obj, resource, self._field_validation(actor, field_validation))
            self._check_stored(info, "post")
            if info.namespaced:
                if namespace and meta.get("namespace") and meta["namespace"] != namespace:
                    raise bad_request("the namespace of the provided object does not match the namespace "
                                      "sent on the request")
                meta["namespace"] = namespace or meta.get("namespace") or "default"
            else:
                meta.pop("namespace", None)
            ns = meta.get("namespace")
            if not _WIPED.isdisjoint(meta):  # (most requests carry none: no five pops for nothing)
                for key in WIPED_ON_CREATE:
                    meta.pop(key, None)
            request.ref = (self._ref, info, ns, meta.get("name") or meta.get("generateName") or "")
            user_spec = (obj.get("spec") or {}) if info.plural == "pods" else {}
            user_priority, user_policy = user_spec.get("priority"), user_spec.get("preemptionPolicy")
            apply_defaults(obj)
            warnings = object_warnings(obj, creating=True) if self.warnings is not None else []
            attrs = Attributes(CREATE, info.plural, ns, obj)
            attrs.user_priority, attrs.user_preemption_policy = user_priority, user_policy
            try:
                admission.admit(attrs, self.lister)
                created = self.registry.create(info, obj, dry_run=dry_run)
            except ApiError as err:  # BeforeCreate adds the warnings once the object validated
                if warnings and err.code != 422:
                    self.warnings.extend(warnings)
                raise
            if warnings:
                self.warnings.extend(warnings)
            request.ref = (self._ref, info, ns, created["metadata"]["name"])
        return created

    def get(self, actor: str, resource: str, name: str, namespace: str | None = "default",
            subresource: str = "") -> dict:
        info = self._info(resource)
        ns = self._namespace(info, namespace)
        with _Request(self, actor, "get", (self._ref, info, ns, name), subresource):
            self._check_subresource(info, subresource)
            if info.computed:
                self._warn_deprecated()
                return get_component_status(self.component_checks, name)
            obj, _ = self.registry.read(info, ns, name)
        if subresource == "scale":
            return scale_of(obj)
        return to_requested_version(info, obj)  # (GET .../status: the whole object)

    def list_with_version(self, actor: str, resource: str, namespace: str | None = None,
                          label_selector: Any = None, field_selector: Any = None) -> tuple[list[dict], str]:
        info = self._info(resource)
        request = _Request(self, actor, "list", info.plural)
        with request:
            selection = self._selection(info, namespace, label_selector, field_selector)
            if info.computed:  # REST.List: probed now, filtered by the selectors; no resourceVersion
                self._warn_deprecated()
                items = [s for s in list_component_statuses(self.component_checks) if selection.matches(s)]
                request.detail = _list_detail(len(items), selection)
                return items, ""
            items = self.cacher.cache(info.plural).list(selection)
            request.detail = _list_detail(len(items), selection)
        if info.storage_of:  # another group's view of these objects (events.k8s.io): in its version
            items = [to_requested_version(info, item) for item in items]
        return items, str(self.store.revision)

    def list(self, actor: str, resource: str, namespace: str | None = None, label_selector: Any = None,
             field_selector: Any = None) -> list[dict]:
        return self.list_with_version(actor, resource, namespace, label_selector, field_selector)[0]

    def update(self, actor: str, obj: dict, subresource: str = "", dry_run: bool = False,
               field_validation: str = "") -> dict:
        request = _Request(self, actor, "update", (_rough_ref, obj, None, None), subresource)
        with request:
            obj, info, meta = self._decode(obj, None, self._field_validation(actor, field_validation))
            if not meta.get("name"):
                raise bad_request("resource name may not be empty")
            self._check_stored(info, "put", meta["name"])
            self._check_subresource(info, subresource)
            ns = self._namespace(info, meta.get("namespace"))
            if ns is not None:
                meta["namespace"] = ns
            else:
                meta.pop("namespace", None)
            request.ref = (self._ref, info, ns, meta["name"])
            apply_defaults(obj)
            before: dict = {}

            def updated(existing: dict) -> dict:
                before["generation"] = existing["metadata"].get("generation")
                return obj

            result = self.registry.update(info, ns, meta["name"], updated, subresource, dry_run,
                                          self._admit_update(info, ns, subresource), uid=meta.get("uid") or "")
            self._warn_on_update(info, result, before.get("generation"), subresource)
            return result

    def _warn_deprecated(self) -> None:
        """The deprecation warning of a read of componentstatuses, the one deprecated kind served."""
        if self.warnings is not None:
            self.warnings.append(DEPRECATION_WARNING)

    def _warn_on_update(self, info: ResourceInfo, result: dict, generation: Any, subresource: str) -> None:
        """WarningsOnUpdate: a workload whose spec changed (its generation moved) is warned about its
        pod template; a pod update never is (the pod strategy skips them, a hot path)."""
        if self.warnings is not None and subresource in ("", "scale") and info.kind in TEMPLATE_KINDS \
                and result["metadata"].get("generation") != generation:
            self.warnings.extend(object_warnings(result))

    def _admit_update(self, info: ResourceInfo, namespace: str | None,
                      subresource: str) -> Callable[[dict, dict], None]:
        def admit(new: dict, existing: dict) -> None:
            attrs = Attributes(UPDATE, info.plural, namespace, new, existing, subresource)
            admission.admit(attrs, self.lister)
        return admit

    def patch(self, actor: str, resource: str, name: str, patch: Any, namespace: str | None = "default",
              patch_type: str = "strategic", subresource: str = "", dry_run: bool = False,
              field_validation: str = "") -> dict:
        info = self._info(resource)
        ns = self._namespace(info, namespace)
        validation = self._field_validation(actor, field_validation)

        def updated(existing: dict) -> dict:
            patched = apply_patch(existing, thaw(patch), patch_type, info.kind)
            # The patched object is converted into its Go type again. The stored object decoded
            # well, so for a merge patch the values it brings are what can be wrong: they are
            # checked where they land (a simulation speed-up); a JSON patch's result is checked
            # whole. A value of the wrong type is a 422 naming the patch (not create's 400).
            body = patched if patch_type == "json" or not isinstance(patch, dict) else \
                {"apiVersion": info.api_version, "kind": info.kind, **patch}
            wrong = decode_error(body)
            while wrong and patch_type == "strategic" and wrap_overflow(patched, wrong):
                wrong = decode_error(patched)  # (converted as Go converts an int64 to an int32)
            if wrong:
                raise invalid_patch(patch_type, patch, patched, wrong)
            if validation is not None:  # (a user's request: the values it brings against their Go types)
                wrong = type_error({"apiVersion": info.api_version, "kind": info.kind, **body},
                                   ranges=patch_type != "strategic")
                if wrong:
                    raise invalid_patch(patch_type, patch, patched, wrong)
            if validation == "Strict":  # the patched object decoded strictly
                unknown = unknown_fields({"apiVersion": info.api_version, "kind": info.kind, **patched})
                if unknown:
                    raise invalid_patch(patch_type, patch, patched, strict_error(unknown))
            elif validation is not None:  # (Warn, Ignore: the fields are dropped)
                patched.setdefault("apiVersion", info.api_version)
                patched.setdefault("kind", info.kind)
                dropped = drop_unknown_fields(patched)
                if validation == "Warn" and self.warnings is not None:
                    self.warnings.extend(f'unknown field "{path}"' for path in dropped)
            meta = patched.setdefault("metadata", {})  # the URL names the object: it stays that one
            ensure_object_namespace_matches_request_namespace(ns, meta)
            check_object_name(meta, name, ns)
            if subresource != "status":  # decoded into its Go type: omitempty (on a status write, the
                drop_empty_fields(patched, patch)  # kubelet's many, skipped: a simulation speed-up)
            apply_defaults(patched)
            return patched

        detail = patch_type if not subresource else f"{patch_type}, {subresource}"
        with _Request(self, actor, "patch", self._ref(info, ns, name), detail):
            self._check_stored(info, "patch", name)
            self._check_subresource(info, subresource)
            before: dict = {}

            def remembered(change: Callable[[dict], dict]) -> Callable[[dict], dict]:
                if self.warnings is None:  # (the components' requests: no warnings to work out)
                    return change

                def call(existing: dict) -> dict:
                    before["generation"] = existing["metadata"].get("generation")
                    return change(existing)
                return call

            if subresource == "scale":  # the Scale is patched; the object's spec.replicas changes
                result = self.registry.update(info, ns, name,
                                              remembered(lambda existing: scaled(existing, patch, patch_type)),
                                              "", dry_run, self._admit_update(info, ns, ""))
                self._warn_on_update(info, result, before.get("generation"), "scale")
                return scale_of(result)
            result = self.registry.update(info, ns, name, remembered(updated), subresource, dry_run,
                                          self._admit_update(info, ns, subresource))
            self._warn_on_update(info, result, before.get("generation"), subresource)
            return result

    def delete(self, actor: str, resource: str, name: str, namespace: str | None = "default",
               grace_period_seconds: int | None = None, propagation_policy: str | None = None,
               dry_run: bool = False) -> dict:
        info = self._info(resource)
        ns = self._namespace(info, namespace)
        request = _Request(self, actor, "delete", self._ref(info, ns, name))
        with request:
            self._check_stored(info, "delete", name)
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

    def evict(self, actor: str, pod_name: str, namespace: str, eviction: dict | None = None,
              dry_run: bool = False) -> dict:
        """The pods/eviction subresource (``eviction.py``): the pod's disruption budget must allow it;
        then the DisruptionTarget condition and a graceful delete with the Eviction's deleteOptions."""
        info = RESOURCES["pods"]
        ns = namespace or "default"
        body = eviction if eviction is not None else eviction_body(pod_name, ns)
        with _Request(self, actor, "evict", (self._ref, info, ns, pod_name)):
            check_name(pod_name, body)
            options = body.get("deleteOptions") or {}
            dry_run = dry_run or "All" in (options.get("dryRun") or ())
            pod, _ = self.registry.read(info, ns, pod_name)  # 404 for a missing pod
            if not can_ignore_pdb(pod):
                check_budget(self, pod, dry_run)
            if not dry_run:
                now = timestamp(self.loop.now)
                self.registry.update(info, ns, pod_name, lambda pod: with_disruption_condition(pod, now), "status")
            self.registry.delete(info, ns, pod_name, DeleteOptions(options.get("gracePeriodSeconds"),
                                                                   options.get("propagationPolicy"), dry_run))
        return dict(EVICTION_SUCCESS)

    def review_self(self, actor: str) -> dict:
        """POST selfsubjectreviews (authentication.k8s.io/v1): who the request's user is
        (``auth_reviews.py``)."""
        with _Request(self, actor, "create", "selfsubjectreview"):
            return self_subject_review(actor, timestamp(self.loop.now))

    def review_access(self, actor: str, spec: dict) -> dict:
        """POST selfsubjectaccessreviews (authorization.k8s.io/v1): may the request's user do ``spec``?"""
        with _Request(self, actor, "create", "selfsubjectaccessreview"):
            return self_subject_access_review(actor, spec)

    def health(self, actor: str, path: str) -> tuple[int, str]:
        """GET of a health endpoint (``/readyz?verbose``) or of one check (``/readyz/etcd``), answered
        by ``healthz.py``: (HTTP code, plain-text body)."""
        with _Request(self, actor, "get", path.split("?")[0]) as request:
            code, body = serve(path, self.health_checks)
            request.detail = "" if code == 200 else str(code)
        return code, body

    # -- watch ---------------------------------------------------------------------------------
    def watch(self, actor: str, resource: str, namespace: str | None = None,
              resource_version: str | None = None, label_selector: Any = None, field_selector: Any = None,
              handler: Handler | None = None) -> Watch:
        info = self._info(resource)
        request = _Request(self, actor, "watch", info.plural)
        with request:
            if info.computed:  # (ListResource: a storage that is no rest.Watcher)
                raise method_not_allowed(info, "watch")
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
