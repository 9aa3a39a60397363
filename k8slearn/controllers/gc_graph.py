"""The garbage collector's graph: who owns whom, by UID, as the informers last reported.

Every object the collector watches becomes a :class:`Node` with its owners (its
``ownerReferences``) and the UIDs of its dependents. An owner that is referenced but not (yet)
seen is a *virtual* node. Each change the informers deliver updates the graph and says which
nodes the collector should look at next (``attempt_to_delete``, ``attempt_to_orphan``): a
dependent whose owner went away, an owner waiting in ``foregroundDeletion`` or ``orphan``, a
dependent whose reference cannot mean the owner the graph has under that UID (a namespaced owner
in another namespace, another name or kind). An owner is looked up in its dependent's own
namespace, so a reference across namespaces is dangling: the dependent is deleted, and the
collector reports it on the dependent (``Warning OwnerRefInvalidNamespace``, from
``invalid_namespace_owner_refs``).

>>> g = Graph(); g.observe({"metadata": {"uid": "rs", "name": "web-1", "namespace": "default"},
...                         "apiVersion": "apps/v1", "kind": "ReplicaSet"})
>>> g.observe({"metadata": {"uid": "p1", "name": "web-1-x", "namespace": "default", "ownerReferences": [
...     {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "rs"}]}, "apiVersion": "v1", "kind": "Pod"})
>>> sorted(g.nodes["rs"].dependents)
['p1']

Simplified: the graph is updated in the order the watches deliver, by one process; a virtual
owner that turns out to have other coordinates than its dependents' references does not send
those dependents to be checked again (processGraphChanges' partitionDependents).

Upstream: pkg/controller/garbagecollector/graph.go, graph_builder.go
"""

from __future__ import annotations

from collections import OrderedDict

from k8slearn.api.meta import FrozenDict, FrozenList

FOREGROUND, ORPHAN = "foregroundDeletion", "orphan"
ABSENT_OWNER_CACHE_SIZE = 500
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


def being_deleted(obj: dict) -> bool:
    return bool(obj["metadata"].get("deletionTimestamp"))


def has_finalizer(obj: dict, finalizer: str) -> bool:
    return finalizer in (obj["metadata"].get("finalizers") or ())


def _starts_waiting(old: dict | None, new: dict, finalizer: str) -> bool:
    """deletionStartsWithFinalizer: being deleted with ``finalizer`` now, and not before."""
    if not being_deleted(new) or not has_finalizer(new, finalizer):
        return False
    return old is None or not being_deleted(old) or not has_finalizer(old, finalizer)


class Graph:
    """The GraphBuilder's uidToNode, and the queue actions each change implies."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.attempt_to_delete: list[str] = []  # filled by changes, drained into the work queue
        self.attempt_to_orphan: list[str] = []
        self.invalid_namespace_owner_refs: list[tuple[Node, dict]] = []  # (dependent, ownerRef) to report
        self.absent_owners: OrderedDict = OrderedDict()

    def absent(self, key: tuple) -> None:
        self.absent_owners[key] = True
        self.absent_owners.move_to_end(key)
        while len(self.absent_owners) > ABSENT_OWNER_CACHE_SIZE:
            self.absent_owners.popitem(last=False)

    def _add_dependent_to_owners(self, node: Node, owners: list) -> None:
        """addDependentToOwners: link ``node`` to each owner, creating a virtual owner node (to be
        checked) for a UID not seen yet. If an owner already in the graph cannot be the one a
        reference means, ``node`` is queued to have its references checked: a namespaced owner in
        another namespace (reported when that owner was observed), a reference with another
        apiVersion, kind or name, or a cluster-scoped virtual owner first met in another namespace."""
        suspect = False
        for ref in owners:
            owner = self.nodes.get(ref["uid"])
            if owner is None:
                owner = Node(ref["uid"], ref.get("apiVersion", ""), ref.get("kind", ""), node.namespace,
                             ref.get("name", ""), [], virtual=True)
                self.nodes[owner.uid] = owner
                self.attempt_to_delete.append(owner.uid)  # does it exist? the collector will ask
            elif not suspect:
                if owner.namespace and owner.namespace != node.namespace:
                    if owner.observed:
                        self.invalid_namespace_owner_refs.append((node, ref))
                    suspect = True
                elif (ref.get("apiVersion", ""), ref.get("kind", ""), ref.get("name", "")) != \
                        (owner.api_version, owner.kind, owner.name):
                    suspect = True
                elif owner.namespace != node.namespace and not owner.observed:
                    suspect = True
            if owner.dependents is _NO_DEPENDENTS:
                owner.dependents = set()
            owner.dependents.add(node.uid)
        if suspect:
            self.attempt_to_delete.append(node.uid)

    def _remove_dependent_from_owners(self, node: Node, owners: list) -> None:
        for ref in owners:
            owner = self.nodes.get(ref["uid"])
            if owner is not None and owner.dependents:
                owner.dependents.discard(node.uid)

    def observe(self, obj: dict, old: dict | None = None) -> None:
        """An add or update from an informer."""
        meta = obj["metadata"]
        owners = _owner_list(meta.get("ownerReferences"))
        node = self.nodes.get(meta.get("uid", ""))
        if node is not None and not node.observed:
            node.api_version, node.kind, node.namespace, node.name = \
                obj.get("apiVersion", ""), obj.get("kind", ""), meta.get("namespace", ""), meta["name"]
            node.virtual, node.observed = False, True
        if node is None:
            node = Node(meta.get("uid", ""), obj.get("apiVersion", ""), obj.get("kind", ""),
                        meta.get("namespace", ""), meta["name"], owners)
            node.being_deleted = being_deleted(obj)
            node.deleting_dependents = node.being_deleted and has_finalizer(obj, FOREGROUND)
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
            if being_deleted(obj):
                node.being_deleted = True
        if not being_deleted(obj):
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
