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

>>> g = Graph(); g.observe({"metadata": {"uid": "rs", "name": "web-1", "namespace": "default"},
...                         "apiVersion": "apps/v1", "kind": "ReplicaSet"})
>>> g.observe({"metadata": {"uid": "p1", "name": "web-1-x", "namespace": "default", "ownerReferences": [
...     {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "rs"}]}, "apiVersion": "v1", "kind": "Pod"})
>>> sorted(g.nodes["rs"].dependents)
['p1']

This module also holds the pod garbage collector, which force-deletes pods bound to a node that
no longer exists (after a 40 s quarantine), as kube-controller-manager's podgc does.

Simplified: a fixed list of watched kinds (every resource in the table but events); the graph
is updated in the order the watches deliver; no uid preconditions on deletes.

Upstream: pkg/controller/garbagecollector/garbagecollector.go, graph_builder.go, graph.go,
operations.go, patch.go; pkg/controller/podgc/gc_controller.go
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import FrozenDict, FrozenList
from k8slearn.api.resources import RESOURCES, NoKindMatchError, by_kind
from k8slearn.client.workqueue import WorkQueue
from k8slearn.controllers.base import Controller
from k8slearn.sim import Queue

FOREGROUND, ORPHAN = "foregroundDeletion", "orphan"
ABSENT_OWNER_CACHE_SIZE = 500
IGNORED_RESOURCES = ("events",)
# Most nodes (every pod) never get a dependent: they share this empty set instead of owning an
# empty set() each (a memory saving; a node's first dependent gives it a set of its own).
_NO_DEPENDENTS: frozenset = frozenset()


class Node:
    """One object in the graph: its identity, its owners, the UIDs of its dependents."""

    __slots__ = (
        "api_version",
        "being_deleted",
        "deleting_dependents",
        "dependents",
        "kind",
        "name",
        "namespace",
        "observed",
        "owners",
        "uid",
        "virtual",
    )

    def __init__(self, uid: str, api_version: str, kind: str, namespace: str, name: str, owners: list,
                 virtual: bool = False) -> None:
        self.uid, self.api_version, self.kind, self.namespace, self.name = uid, api_version, kind, namespace, name
        self.owners = owners
        self.dependents: set[str] | frozenset[str] = _NO_DEPENDENTS
        self.being_deleted = self.deleting_dependents = False
        self.virtual, self.observed = virtual, not virtual

    def identity(self) -> tuple:
        return (self.api_version, self.kind, self.namespace, self.name, self.uid)


def _owner_list(refs: list | None) -> list:
    """The node's own copy of ``ownerReferences``.

    An informer's object is read-only (FrozenList of FrozenDicts, shared by the API server's watch
    cache among the pods of one ReplicaSet), so it is kept as it is instead of copied: a memory
    saving with identical contents. A plain (mutable) list is copied, as before.
    """
    if refs.__class__ is FrozenList:
        for r in refs:  # (all(...) written out: no generator for each of the graph's changes)
            if r.__class__ is not FrozenDict:
                break
        else:
            return refs
    return [dict(r) for r in refs or ()]


def _being_deleted(obj: dict) -> bool:
    return bool(obj["metadata"].get("deletionTimestamp"))


def _has_finalizer(obj: dict, finalizer: str) -> bool:
    return finalizer in (obj["metadata"].get("finalizers") or ())


def _starts_waiting(old: dict | None, new: dict, finalizer: str) -> bool:
    """deletionStartsWithFinalizer: being deleted with ``finalizer`` now, and not before."""
    if not _being_deleted(new) or not _has_finalizer(new, finalizer):
        return False
    return old is None or not _being_deleted(old) or not _has_finalizer(old, finalizer)


class Graph:
    """The GraphBuilder's uidToNode, and the queue actions each change implies."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.attempt_to_delete: list[str] = []  # filled by changes, drained into the work queue
        self.attempt_to_orphan: list[str] = []
        self.absent_owners: OrderedDict = OrderedDict()

    def absent(self, key: tuple) -> None:
        self.absent_owners[key] = True
        self.absent_owners.move_to_end(key)
        while len(self.absent_owners) > ABSENT_OWNER_CACHE_SIZE:
            self.absent_owners.popitem(last=False)

    def _add_dependent_to_owners(self, node: Node, owners: list) -> None:
        for ref in owners:
            owner = self.nodes.get(ref["uid"])
            if owner is None:
                owner = Node(ref["uid"], ref.get("apiVersion", ""), ref.get("kind", ""), node.namespace,
                             ref.get("name", ""), [], virtual=True)
                self.nodes[owner.uid] = owner
                self.attempt_to_delete.append(owner.uid)  # does it exist? the collector will ask
            if owner.dependents is _NO_DEPENDENTS:
                owner.dependents = set()
            owner.dependents.add(node.uid)

    def _remove_dependent_from_owners(self, node: Node, owners: list) -> None:
        for ref in owners:
            owner = self.nodes.get(ref["uid"])
            if owner is not None and owner.dependents:
                owner.dependents.discard(node.uid)

    def observe(self, obj: dict, old: dict | None = None) -> None:
        """An add or update from an informer."""
        meta = obj["metadata"]
        owners = _owner_list(meta.get("ownerReferences"))
        node = self.nodes.get(meta["uid"])
        if node is not None and not node.observed:
            node.api_version, node.kind, node.namespace, node.name = \
                obj.get("apiVersion", ""), obj.get("kind", ""), meta.get("namespace", ""), meta["name"]
            node.virtual, node.observed = False, True
        if node is None:
            node = Node(meta["uid"], obj.get("apiVersion", ""), obj.get("kind", ""), meta.get("namespace", ""),
                        meta["name"], owners)
            node.being_deleted = _being_deleted(obj)
            node.deleting_dependents = node.being_deleted and _has_finalizer(obj, FOREGROUND)
            self.nodes[node.uid] = node
            self._add_dependent_to_owners(node, owners)
        else:
            if node.owners is not owners and node.owners != owners:  # equal lists: nothing added or removed
                old_by_uid = {r["uid"]: r for r in node.owners}
                new_by_uid = {r["uid"]: r for r in owners}
                added = [r for u, r in new_by_uid.items() if u not in old_by_uid]
                removed = [r for u, r in old_by_uid.items() if u not in new_by_uid]
                changed = [(old_by_uid[u], r) for u, r in new_by_uid.items()
                           if u in old_by_uid and old_by_uid[u] != r]
                if added or removed or changed:
                    unblocked = [r for r in removed if r.get("blockOwnerDeletion")]
                    unblocked += [o for o, n in changed
                                  if o.get("blockOwnerDeletion") and not n.get("blockOwnerDeletion")]
                    for ref in unblocked:
                        owner = self.nodes.get(ref["uid"])
                        if owner is not None and owner.deleting_dependents:
                            self.attempt_to_delete.append(owner.uid)
                    node.owners = owners
                    self._add_dependent_to_owners(node, added)
                    self._remove_dependent_from_owners(node, removed)
            if _being_deleted(obj):
                node.being_deleted = True
        if not _being_deleted(obj):
            return  # no deletion can start (what _starts_waiting checks first, asked once: a speed-up)
        if _starts_waiting(old, obj, ORPHAN):
            self.attempt_to_orphan.append(node.uid)
        elif _starts_waiting(old, obj, FOREGROUND):
            node.deleting_dependents = True
            self.attempt_to_delete.extend(sorted(node.dependents))
            self.attempt_to_delete.append(node.uid)

    def remove(self, uid: str) -> None:
        """A delete from an informer (or a confirmed-absent virtual owner)."""
        node = self.nodes.pop(uid, None)
        if node is None:
            return
        self._remove_dependent_from_owners(node, node.owners)
        if node.dependents:
            self.absent((node.api_version, node.kind, node.namespace, node.name, node.uid))
        self.attempt_to_delete.extend(sorted(node.dependents))
        for ref in node.owners:
            owner = self.nodes.get(ref["uid"])
            if owner is not None and owner.deleting_dependents:
                self.attempt_to_delete.append(owner.uid)

    def blocking_dependents(self, node: Node) -> list[Node]:
        result = []
        for uid in sorted(node.dependents):
            dep = self.nodes.get(uid)
            if dep is not None and any(r["uid"] == node.uid and r.get("blockOwnerDeletion") for r in dep.owners):
                result.append(dep)
        return result


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
        self._processes.append(self.loop.spawn(self._orphan_worker(), f"{self.name}-orphan-worker"))

    def _graph_builder(self):
        while True:
            change = yield self.graph_changes.get()
            self.process_graph_change(*change)

    def process_graph_change(self, event: str, obj: dict, old: dict | None) -> None:
        if event == "delete":
            self.graph.remove(obj["metadata"]["uid"])
        else:
            self.graph.observe(obj, old)
        self._flush()

    def _flush(self) -> None:
        while self.graph.attempt_to_delete:
            self.queue.add(self.graph.attempt_to_delete.pop(0))
        while self.graph.attempt_to_orphan:
            self.orphan_queue.add(self.graph.attempt_to_orphan.pop(0))

    def _orphan_worker(self):
        while True:
            uid = yield self.orphan_queue.get()
            try:
                self.attempt_to_orphan(uid)
            except ApiError:
                self.orphan_queue.add_rate_limited(uid)
            else:
                self.orphan_queue.forget(uid)
            finally:
                self.orphan_queue.done(uid)

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
            policy = "Orphan" if _has_finalizer(latest, ORPHAN) else \
                "Foreground" if _has_finalizer(latest, FOREGROUND) else "Background"
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
            elif _being_deleted(owner) and _has_finalizer(owner, FOREGROUND):
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


class PodGCController(Controller):
    """podgc: force-delete pods whose node object is gone (after a 40 s quarantine)."""

    name = "pod-garbage-collector"
    QUARANTINE = 40.0

    def __init__(self, loop: Any, client: Any, informers: Any = None, gc_period: float = 20.0) -> None:
        super().__init__(loop, client, informers)
        self.gc_period = gc_period
        self.pod_informer = self.informers.informer("pods")
        self.node_informer = self.informers.informer("nodes")
        if "spec.nodeName" not in self.pod_informer.indexer.indexers:
            self.pod_informer.add_indexers({"spec.nodeName": lambda p: [p["spec"].get("nodeName") or ""]})
        self.node_informer.add_event_handler(on_delete=self._node_deleted)

    def _node_deleted(self, node: dict) -> None:
        self.queue.add_after(node["metadata"]["name"], self.QUARANTINE)

    def sync(self, node_name: str) -> None:
        """gcOrphaned: the node is still gone after the quarantine → delete its pods (grace 0)."""
        if self.node_informer.lister.get(node_name) is not None:
            return
        for pod in self.pod_informer.lister.by_index("spec.nodeName", node_name):
            try:
                self.client.delete("pods", pod["metadata"]["name"], pod["metadata"]["namespace"],
                                   grace_period_seconds=0)
            except ApiError as err:
                if err.code != 404:
                    raise
