"""Counting pods by label set: "how many pods of namespace N match selector S, on this node, in
this zone?" asked fast.

PodTopologySpread asks that question for every pod it schedules, about every node of the cluster.
Upstream answers it by walking each node's pods (16 goroutines at a time); in a simulation with
150,000 pods that walk, repeated per pod scheduled, is the whole cost. So the scheduler keeps the
answer's ingredients, with identical results:

* each NodeInfo's ``label_counts``: its pods grouped by namespace and label set, terminating pods
  (those with a ``deletionTimestamp``) left out, kept up to date as pods come and go. A Deployment's
  hundred pods on a node are one entry with count 100, so counting is one selector match per
  distinct label set, not per pod; and each selector's verdict on a label set is remembered;
* the Snapshot's :class:`DomainCounts`: the same groups summed over all nodes that share a
  topology *signature* (their values of some topology keys), kept up to date node by node
  as the snapshot is refreshed; and, the other way round, for each label set the nodes that
  hold such pods, so that Score gets every node's own count at once (``node_counts``).

>>> counts = {}
>>> for labels in ({"app": "web"}, {"app": "web"}, {"app": "db"}):
...     add_count(counts, count_key({"namespace": "default", "labels": labels}), 1)
>>> web = selector_from_set({"app": "web"})
>>> count_matching(counts.get("default"), web), count_matching(counts.get("prod"), web)
(2, 0)
>>> count_key({"namespace": "default", "deletionTimestamp": "2026-01-05T09:00:00Z"}) is None
True

A spec names topology keys, each read by value or for presence only. Two nodes in zone a, one
without a zone label, and where the three web pods run:

>>> index = DomainCounts()
>>> for name, zone, pods in (("a1", "a", 2), ("a2", "a", 0), ("x1", None, 1)):
...     node_counts = {}
...     for _ in range(pods):
...         add_count(node_counts, count_key({"namespace": "default", "labels": {"app": "web"}}), 1)
...     index.set_node(name, {"zone": zone} if zone else {}, node_counts)
>>> table = index.table((("zone", True),))
>>> {sig: (n, count_matching(groups.get("default"), web)) for sig, (n, groups) in table.items()}
{('a',): (2, 2), (None,): (1, 1)}
>>> index.node_counts("default", web)
{'a1': 2, 'x1': 1}

Upstream: none. Upstream counts pod by pod (pkg/scheduler/framework/plugins/podtopologyspread/
common.go countPodsMatchSelector, run in parallel); this index is a simulation speed-up with the
same counts.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

from k8slearn.api.labels import Selector, selector_from_set  # noqa: F401 (doctest)
from k8slearn.api.shared import SharedTable

MEMO_LIMIT = 65_536  # remembered verdicts per selector before starting over (they just miss)
SELECTOR_LIMIT = 4_096  # selectors remembered
COUNT_KEY_LIMIT = 65_536  # distinct pod groups whose key objects are shared


_count_keys = SharedTable(COUNT_KEY_LIMIT)


def count_key(meta: dict) -> tuple | None:
    """A pod's group: (namespace, its labels as a frozenset); None for a terminating pod, which
    nobody counts.

    The pods of one template (and every version of one pod) get the very same key object, not
    equal copies: a memory saving, the same values (COUNT_KEY_LIMIT keys are shared, then the
    sharing starts over)."""
    if meta.get("deletionTimestamp"):
        return None
    key = meta.get("namespace"), frozenset((meta.get("labels") or {}).items())
    return _count_keys[key]


def add_count(counts: dict, key: tuple | None, delta: int) -> None:
    """Add ``delta`` pods of group ``key`` to ``counts`` (namespace -> label set -> pods)."""
    if key is None:
        return
    namespace, labels = key
    groups = counts.get(namespace)
    if groups is None:
        groups = counts[namespace] = {}
    n = groups.get(labels, 0) + delta
    if n:
        groups[labels] = n
    else:
        del groups[labels]
        if not groups:
            del counts[namespace]


def add_counts(into: dict, counts: dict, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) a whole ``counts`` table."""
    for namespace, groups in counts.items():
        for labels, n in groups.items():
            add_count(into, (namespace, labels), sign * n)


def copy_counts(counts: dict) -> dict:
    return {namespace: dict(groups) for namespace, groups in counts.items()}


_verdicts: dict[tuple, dict] = {}


def selector_key(selector: Selector) -> tuple:
    """A hashable value equal for selectors that match the same label sets (same requirements).

    Remembered per selector object (Selectors are never changed; the pods of one ReplicaSet share
    one, asked about several times per pod): a simulation speed-up, the same keys."""
    known = _selector_keys.get(id(selector))
    if known is not None and known[0] is selector:
        return known[1]
    # (Selector.nothing() with requirements added would match nothing: keep it apart.)
    nothing = getattr(selector, "_nothing", False)
    key = (nothing, *((r.key, r.operator, r.values) for r in selector.requirements))
    if len(_selector_keys) >= SELECTOR_LIMIT:
        _selector_keys.clear()
    _selector_keys[id(selector)] = (selector, key)  # (holding the selector keeps its id its own)
    return key


_selector_keys: dict[int, tuple] = {}  # id(selector) -> (that selector, its key)


def verdicts(selector: Selector) -> dict:
    """The remembered verdicts of this selector (label set -> matches?), shared by every selector
    with the same requirements."""
    key = selector_key(selector)
    memo = _verdicts.get(key)
    if memo is None:
        if len(_verdicts) >= SELECTOR_LIMIT:
            _verdicts.clear()
        memo = _verdicts[key] = {}
    elif len(memo) > MEMO_LIMIT:
        memo.clear()
    return memo


def count_matching(groups: dict | None, selector: Selector, memo: dict | None = None) -> int:
    """Pods in ``groups`` (label set -> pods, one namespace) that the selector matches. Like
    ``countPodsMatchSelector``, an empty selector (or one that selects nothing) counts nothing."""
    if not groups or not selector.requirements:
        return 0
    if memo is None:
        memo = verdicts(selector)
    total = 0
    for labels, n in groups.items():
        matched = memo.get(labels)
        if matched is None:
            matched = memo[labels] = selector.matches(dict(labels))
        if matched:
            total += n
    return total


def signature(spec: tuple, labels: dict) -> tuple:
    """A node's place in a spec: per key its value (None if missing), or whether it has the key."""
    return tuple(labels.get(key) if by_value else key in labels for key, by_value in spec)


class DomainCounts:
    """The snapshot's pods summed by topology signature (see the module docstring).

    ``table(spec)`` maps each signature some node has to ``[nodes with it, namespace -> label
    set -> pods]``. A spec's table is built from every node the first time it is asked for, then
    kept up to date by ``set_node``/``remove_node``, which the cache calls for each NodeInfo it
    refreshes in the snapshot. ``node_counts`` answers the per-node question for all nodes at
    once, from ``group_nodes`` (namespace -> label set -> node name -> pods).

    The NodeInfos of a snapshot change only through these calls (the cache overwrites a
    snapshot's NodeInfo and calls ``set_node``); a NodeInfo changed behind its back would make
    the counts stale."""

    SPEC_LIMIT = 32  # tables kept; more kinds of constraints than that: start over

    def __init__(self, node_infos: Any = ()) -> None:
        self.nodes: dict[str, tuple[dict, dict]] = {}  # node name -> (labels, label_counts)
        self.tables: dict[tuple, dict] = {}
        self.group_nodes: dict[str, dict] = {}
        # Which label sets a selector matches, per namespace (see matching_sets); it holds until a
        # label set appears in or leaves group_nodes, which moves label_sets_version.
        self.label_sets_version = 0
        self.matching: dict[tuple, tuple[int, list]] = {}
        for info in node_infos:
            self.set_node(info.name, info.labels, info.label_counts)

    def set_node(self, name: str, labels: dict, label_counts: dict) -> None:
        """The node's labels or pods changed (``label_counts`` must not change afterwards)."""
        old = self.nodes.get(name)
        if old is not None and old[0] == labels and self._change_groups(name, labels, old[1], label_counts):
            return
        self.remove_node(name)
        self.nodes[name] = (labels, label_counts)
        self.label_sets_version += 1
        for spec, table in self.tables.items():
            _add_node(table, spec, labels, label_counts, 1)
        for namespace, groups in label_counts.items():
            by_set = self.group_nodes.setdefault(namespace, {})
            for label_set, n in groups.items():
                by_set.setdefault(label_set, {})[name] = n

    def _change_groups(self, name: str, labels: dict, before: dict, after: dict) -> bool:
        """``set_node`` when only the node's pods changed (the usual case: a pod came or went): the
        groups whose count moved are updated, not the node's every group taken out and put back
        (same counts). False, having changed nothing, if a table lacks the node's signature."""
        changes = _changed_groups(before, after)
        entries = [self.tables[spec].get(signature(spec, labels)) for spec in self.tables]
        if None in entries:
            return False
        self.nodes[name] = (labels, after)
        for namespace, label_set, was, now in changes:
            for entry in entries:
                add_count(entry[1], (namespace, label_set), now - was)
            by_set = self.group_nodes.setdefault(namespace, {})
            if now:
                nodes = by_set.get(label_set)
                if nodes is None:
                    nodes = by_set[label_set] = {}
                    self.label_sets_version += 1
                nodes[name] = now
                continue
            nodes = by_set[label_set]
            del nodes[name]
            if not nodes:
                del by_set[label_set]
                self.label_sets_version += 1
                if not by_set:
                    del self.group_nodes[namespace]
        return True

    def remove_node(self, name: str) -> None:
        old = self.nodes.pop(name, None)
        if old is None:
            return
        self.label_sets_version += 1
        for spec, table in self.tables.items():
            _add_node(table, spec, old[0], old[1], -1)
        for namespace, groups in old[1].items():
            by_set = self.group_nodes[namespace]
            for label_set in groups:
                nodes = by_set[label_set]
                del nodes[name]
                if not nodes:
                    del by_set[label_set]
            if not by_set:
                del self.group_nodes[namespace]

    def node_counts(self, namespace: str, selector: Selector, memo: dict | None = None) -> dict:
        """Node name -> pods of ``namespace`` on it that the selector matches (nodes with none are
        left out): ``count_matching`` for every node at once. Read it, don't change it."""
        by_set = self.group_nodes.get(namespace)
        if not by_set or not selector.requirements:
            return {}
        matching = [by_set[label_set] for label_set in self.matching_sets(namespace, selector, memo)]
        if len(matching) == 1:
            return matching[0]
        merged: dict[str, int] = {}
        for nodes in matching:
            for name, n in nodes.items():
                merged[name] = merged.get(name, 0) + n
        return merged

    def matching_sets(self, namespace: str, selector: Selector, memo: dict | None = None) -> list:
        """The label sets of ``namespace`` (those some node's pods have) that the selector matches,
        in ``group_nodes`` order. Remembered per (namespace, selector requirements) until a label
        set comes or goes: a simulation speed-up that spares looking at every label set (one per
        ReplicaSet) for every pod scheduled; the same label sets."""
        key = (namespace, selector_key(selector))
        found = self.matching.get(key)
        if found is not None and found[0] == self.label_sets_version:
            return found[1]
        if memo is None:
            memo = verdicts(selector)
        sets = []
        for label_set in self.group_nodes.get(namespace) or ():
            matched = memo.get(label_set)
            if matched is None:
                matched = memo[label_set] = selector.matches(dict(label_set))
            if matched:
                sets.append(label_set)
        if len(self.matching) >= SELECTOR_LIMIT:
            self.matching.clear()
        self.matching[key] = (self.label_sets_version, sets)
        return sets

    def count_matching(
        self, groups: dict | None, namespace: str, selector: Selector, memo: dict | None = None
    ) -> int:
        """``count_matching(groups, selector, memo)`` for ``groups`` of this index (a table entry's
        label set -> pods, of ``namespace``): only the label sets the selector matches are looked
        up (every label set of a table entry is one of ``group_nodes``)."""
        if not groups or not selector.requirements:
            return 0
        return sum(map(groups.get, self.matching_sets(namespace, selector, memo), repeat(0)))

    def table(self, spec: tuple) -> dict:
        table = self.tables.get(spec)
        if table is None:
            if len(self.tables) >= self.SPEC_LIMIT:
                self.tables.clear()
            table = self.tables[spec] = {}
            for labels, label_counts in self.nodes.values():
                _add_node(table, spec, labels, label_counts, 1)
        return table


def _changed_groups(before: dict, after: dict) -> list[tuple]:
    """(namespace, label set, pods before, pods after) for each group whose count differs."""
    changes = []
    for namespace, groups in after.items():
        old = before.get(namespace) or {}
        if groups == old:
            continue
        changes += [(namespace, s, old.get(s, 0), n) for s, n in groups.items() if old.get(s, 0) != n]
        changes += [(namespace, s, n, 0) for s, n in old.items() if s not in groups]
    for namespace, groups in before.items():
        if namespace not in after:
            changes += [(namespace, s, n, 0) for s, n in groups.items()]
    return changes


def _add_node(table: dict, spec: tuple, labels: dict, label_counts: dict, sign: int) -> None:
    sig = signature(spec, labels)
    entry = table.get(sig)
    if entry is None:
        entry = table[sig] = [0, {}]
    entry[0] += sign
    add_counts(entry[1], label_counts, sign)
    if not entry[0]:
        del table[sig]
