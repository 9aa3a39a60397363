"""The garbage collector: delete what nobody owns any more, in the order ``propagationPolicy`` asks.

Every object may list ``ownerReferences``. The collector watches every kind, keeps a graph of
owner → dependents keyed by UID, and reacts to deletions:

* **Background** (the default for most kinds): the owner is deleted at once; then each dependent
  whose owners are all gone is deleted too (a Deployment → its ReplicaSets → their pods).
* **Foreground**: the API server only marks the owner (``deletionTimestamp`` + finalizer
  ``foregroundDeletion``); the collector deletes the dependents first (blocking ones in
  foreground too) and removes the finalizer when no dependent with ``blockOwnerDeletion`` is left,
  which lets the API server delete the owner.
* **Orphan**: the owner is marked with the ``orphan`` finalizer; the collector removes the
  owner's reference from every dependent, then the finalizer. The dependents live on.

An owner is always looked up in its dependent's namespace (or cluster-wide, for a cluster-scoped
kind): a reference to a namespaced owner in another namespace is dangling, so that dependent is
deleted, with the event ``Warning OwnerRefInvalidNamespace ownerRef [apps/v1/ReplicaSet,
namespace: other, name: web-1, uid: ...] does not exist in namespace "other"`` on it.

The graph itself (nodes, owners, dependents, and which node to look at after each change) is in
:mod:`k8slearn.controllers.gc_graph`; the pod garbage collector (pods of deleted nodes) is in
:mod:`k8slearn.controllers.podgc`.

Simplified: a fixed list of watched kinds (every resource in the table but events); the graph
is updated in the order the watches deliver; no uid preconditions on deletes.

Upstream: pkg/controller/garbagecollector/garbagecollector.go, graph_builder.go
(reportInvalidNamespaceOwnerRef), operations.go, patch.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.field import go_quote
from k8slearn.api.resources import RESOURCES, NoKindMatchError, by_kind
from k8slearn.client.workqueue import WorkQueue
from k8slearn.controllers.base import Controller
from k8slearn.controllers.gc_graph import FOREGROUND, ORPHAN, Graph, Node, being_deleted, has_finalizer
from k8slearn.sim import Queue

IGNORED_RESOURCES = ("events",)


class GarbageCollector(Controller):
    """Deletes dependents whose owners are gone; carries out Foreground and Orphan deletions."""

    name = "garbage-collector-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None,
                 resources: tuple[str, ...] | None = None) -> None:
        super().__init__(loop, client, informers)
        self.graph = Graph()
        self.graph_changes = Queue()
        self.orphan_queue = WorkQueue(loop, f"{self.name}-orphan")
        self._unobserved_delay: dict[str, float] = {}
        watched = resources or tuple(r for r in RESOURCES if r not in IGNORED_RESOURCES)
        for resource in watched:
            informer = self.informers.informer(resource)
            informer.add_event_handler(
                on_add=lambda obj: self.graph_changes.put(("add", obj, None)),
                on_update=lambda old, new: self.graph_changes.put(("update", new, old)),
                on_delete=lambda obj: self.graph_changes.put(("delete", obj, None)))

    def run(self) -> None:
        super().run()
        self._processes.append(self.loop.spawn(self._graph_builder(), f"{self.name}-graph"))
        orphans = self.queue_worker(self.orphan_queue, self.attempt_to_orphan, None)
        self._processes.append(self.loop.spawn(orphans, f"{self.name}-orphan-worker"))

    def _graph_builder(self):
        while True:
            change = yield self.graph_changes.get()
            self.process_graph_change(*change)

    def process_graph_change(self, event: str, obj: dict, old: dict | None) -> None:
        if event == "delete":
            self.graph.remove(obj["metadata"].get("uid", ""))
        else:
            self.graph.observe(obj, old)
        self._flush()

    def _flush(self) -> None:
        while self.graph.invalid_namespace_owner_refs:
            self.report_invalid_namespace_owner_ref(*self.graph.invalid_namespace_owner_refs.pop(0))
        while self.graph.attempt_to_delete:
            self.queue.add(self.graph.attempt_to_delete.pop(0))
        while self.graph.attempt_to_orphan:
            self.orphan_queue.add(self.graph.attempt_to_orphan.pop(0))

    def report_invalid_namespace_owner_ref(self, node: Node, ref: dict) -> None:
        """reportInvalidNamespaceOwnerRef: a Warning on the dependent naming the owner as it would
        have to be, in the dependent's namespace (objectReference's String())."""
        owner = (f"[{ref.get('apiVersion', '')}/{ref.get('kind', '')}, namespace: {node.namespace}, "
                 f"name: {ref.get('name', '')}, uid: {ref['uid']}]")
        dependent = {"apiVersion": node.api_version, "kind": node.kind,
                     "metadata": {"namespace": node.namespace, "name": node.name, "uid": node.uid}}
        self.recorder.event(dependent, "Warning", "OwnerRefInvalidNamespace",
                            f"ownerRef {owner} does not exist in namespace {go_quote(node.namespace)}")

    # -- API helpers --------------------------------------------------------------------------------
    @staticmethod
    def _resource(api_version: str, kind: str) -> Any:
        try:
            return by_kind(api_version, kind)
        except NoKindMatchError:
            return None

    def get_object(self, node: Node) -> dict | None:
        info = self._resource(node.api_version, node.kind)
        if info is None:
            return None
        try:
            return self.client.get(info.plural, node.name, node.namespace or None)
        except ApiError as err:
            if err.code == 404:
                return None
            raise

    def _patch(self, node: Node, patch: Any, patch_type: str = "strategic") -> None:
        info = self._resource(node.api_version, node.kind)
        try:
            self.client.patch(info.plural, node.name, patch, node.namespace or None, patch_type=patch_type)
        except ApiError as err:
            if err.code != 404:
                raise

    def delete_object(self, node: Node, policy: str) -> None:
        info = self._resource(node.api_version, node.kind)
        try:
            self.client.delete(info.plural, node.name, node.namespace or None, propagation_policy=policy)
        except ApiError as err:
            if err.code != 404:
                raise

    def remove_finalizer(self, node: Node, finalizer: str) -> None:
        obj = self.get_object(node)
        if obj is None or finalizer not in (obj["metadata"].get("finalizers") or ()):
            return
        rest = [f for f in obj["metadata"]["finalizers"] if f != finalizer]
        patch = {"metadata": {"resourceVersion": obj["metadata"]["resourceVersion"], "finalizers": rest or None}}
        self._patch(node, patch, "merge")

    # -- attemptToDelete ----------------------------------------------------------------------------
    def sync(self, uid: str) -> None:
        node = self.graph.nodes.get(uid)
        if node is None:
            return
        if self.attempt_to_delete_item(node) and not node.observed and uid in self.graph.nodes:
            # a virtual owner that exists: look again until its informer shows it (issue 56121)
            delay = self._unobserved_delay.get(uid, 0.005)
            self._unobserved_delay[uid] = min(delay * 2, 60.0)
            self.queue.add_after(uid, delay)
        else:
            self._unobserved_delay.pop(uid, None)

    def attempt_to_delete_item(self, node: Node) -> bool:
        """attemptToDeleteItem: should this object go, given its owners? False: a virtual delete was sent."""
        uid = node.uid
        if node.being_deleted and not node.deleting_dependents:
            return True
        latest = self.get_object(node)
        if latest is None or latest["metadata"].get("uid") != uid:
            if self._resource(node.api_version, node.kind) is None:
                return False  # a kind this cluster does not serve: nothing to ask, nothing to wait for
            self.graph_changes.put(("delete", {"metadata": {"uid": uid}}, None))  # confirmed absent
            return False
        if node.deleting_dependents:
            self.process_deleting_dependents_item(node)
            return True
        refs = latest["metadata"].get("ownerReferences") or []
        if not refs:
            return True
        solid, dangling, waiting = self.classify_references(node, refs)
        if solid:
            if dangling or waiting:
                gone = [{"$patch": "delete", "uid": r["uid"]} for r in dangling + waiting]
                self._patch(node, {"metadata": {"ownerReferences": gone, "uid": uid}})
        elif waiting and node.dependents:
            if any(self.graph.nodes[d].deleting_dependents for d in node.dependents if d in self.graph.nodes):
                unblock = [{**r, "blockOwnerDeletion": False} for r in refs if r.get("blockOwnerDeletion")]
                self._patch(node, {"metadata": {"ownerReferences": unblock, "uid": uid}})
            self.delete_object(node, "Foreground")
        else:
            policy = "Orphan" if has_finalizer(latest, ORPHAN) else \
                "Foreground" if has_finalizer(latest, FOREGROUND) else "Background"
            self.delete_object(node, policy)
        return True

    def classify_references(self, node: Node, refs: list[dict]) -> tuple[list, list, list]:
        """(solid, dangling, waitingForDependentsDeletion) owner references."""
        solid, dangling, waiting = [], [], []
        for ref in refs:
            info = self._resource(ref.get("apiVersion", ""), ref.get("kind", ""))
            namespace = node.namespace if info is None or info.namespaced else ""
            key = (ref.get("apiVersion"), ref.get("kind"), namespace, ref.get("name"), ref["uid"])
            if key in self.graph.absent_owners or info is None:
                dangling.append(ref)
                continue
            try:
                owner = self.client.get(info.plural, ref["name"], namespace or None)
            except ApiError as err:
                if err.code != 404:
                    raise
                owner = None
            if owner is None or owner["metadata"].get("uid") != ref["uid"]:
                self.graph.absent(key)
                dangling.append(ref)
            elif being_deleted(owner) and has_finalizer(owner, FOREGROUND):
                waiting.append(ref)
            else:
                solid.append(ref)
        return solid, dangling, waiting

    def process_deleting_dependents_item(self, node: Node) -> None:
        blocking = self.graph.blocking_dependents(node)
        if not blocking:
            self.remove_finalizer(node, FOREGROUND)
            return
        for dep in blocking:
            if not dep.deleting_dependents:
                self.queue.add(dep.uid)

    # -- attemptToOrphan ----------------------------------------------------------------------------
    def attempt_to_orphan(self, uid: str) -> None:
        node = self.graph.nodes.get(uid)
        if node is None:
            return
        for dep_uid in sorted(node.dependents):
            dep = self.graph.nodes.get(dep_uid)
            if dep is not None and self._resource(dep.api_version, dep.kind) is not None:
                self._patch(dep, {"metadata": {"ownerReferences": [{"$patch": "delete", "uid": uid}], "uid": dep_uid}})
        self.remove_finalizer(node, ORPHAN)
