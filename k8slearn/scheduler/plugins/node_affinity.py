"""NodeAffinity: ``nodeSelector`` and node affinity rules pick the nodes a pod may use, and prefer some.

``nodeSelector`` is a plain map: every label must be on the node. ``requiredDuringScheduling...``
holds *terms* that are ORed; inside a term the expressions are ANDed. Operators: ``In``,
``NotIn`` (also true when the label is missing), ``Exists``, ``DoesNotExist``, ``Gt``/``Lt``
(integers). ``matchFields`` may only test ``metadata.name``: it is how a DaemonSet pins its pod
to one node. ``preferredDuringScheduling...`` terms add their weight to a node's score.

>>> gpu = {"metadata": {"name": "node-2", "labels": {"gpu": "true", "cores": "8"}}}
>>> plain = {"metadata": {"name": "node-1", "labels": {}}}
>>> wants_gpu = {"spec": {"nodeSelector": {"gpu": "true"}}}
>>> matches(wants_gpu, gpu), matches(wants_gpu, plain)
(True, False)
>>> big = {"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
...     "nodeSelectorTerms": [{"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["4"]}]}]}}}}}
>>> matches(big, gpu), matches(big, plain)
(True, False)
>>> pinned = {"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
...     "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}]}}}}}
>>> matches(pinned, gpu), matches(pinned, plain)
(False, True)

Upstream: pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go,
staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.labels import (
    DOES_NOT_EXIST,
    EXISTS,
    GREATER_THAN,
    IN,
    LESS_THAN,
    NOT_IN,
    Requirement,
    Selector,
    validate_label_key,
    validate_label_value,
)
from k8slearn.scheduler.events import NODE, ActionType, ClusterEvent, QueueingHint
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, PreFilterResult, Status
from k8slearn.scheduler.plugins.helper import default_normalize_score, default_normalize_scores

NAME = "NodeAffinity"
PRE_FILTER_STATE_KEY = "PreFilter" + NAME
PRE_SCORE_STATE_KEY = "PreScore" + NAME
ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector"
ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity"
ERR_REASON_CONFLICT = "pod affinity terms conflict"

OBJECT_NAME_FIELD = "metadata.name"
SELECTOR_OPERATORS = {
    "In": IN,
    "NotIn": NOT_IN,
    "Exists": EXISTS,
    "DoesNotExist": DOES_NOT_EXIST,
    "Gt": GREATER_THAN,
    "Lt": LESS_THAN,
}
FIELD_OPERATORS = ("In", "NotIn")
ROOT = field.Path()  # error paths of a pod's own terms start here
REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution"
PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution"


# -- parsing: NodeSelectorTerm -> requirements on labels and on fields --------------------------
def _requirement(expr: dict, path: field.Path) -> tuple[Requirement | None, list]:
    """One matchExpressions entry as a label Requirement, or the errors labels.NewRequirement gives."""
    key, op, values = expr.get("key", ""), expr.get("operator", ""), list(expr.get("values") or [])
    if op not in SELECTOR_OPERATORS:
        return None, [field.not_supported(path.child("operator"), op, list(SELECTOR_OPERATORS))]
    errs = [field.invalid(path.child("key"), key, m) for m in validate_label_key(key)]
    values_path = path.child("values")
    if op in ("In", "NotIn") and not values:
        errs.append(
            field.invalid(
                values_path,
                field.go_string_slice(values),
                "for 'in', 'notin' operators, values set can't be empty",
            )
        )
    elif op in ("Exists", "DoesNotExist") and values:
        errs.append(
            field.invalid(
                values_path,
                field.go_string_slice(values),
                "values set must be empty for exists and does not exist",
            )
        )
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(
                field.invalid(
                    values_path,
                    field.go_string_slice(values),
                    "for 'Gt', 'Lt' operators, exactly one value is required",
                )
            )
        for i, v in enumerate(values):
            if not _is_int(v):
                errs.append(
                    field.invalid(
                        values_path.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"
                    )
                )
    if op not in ("Gt", "Lt"):
        for i, v in enumerate(values):
            errs += [field.invalid(values_path.index(i), v, m) for m in validate_label_value(str(v))]
    return (None, errs) if errs else (Requirement(key, SELECTOR_OPERATORS[op], values), [])


def _is_int(value: Any) -> bool:
    try:
        int(str(value), 10)
    except ValueError:
        return False
    return True


class NodeSelectorTerm:
    """A parsed term: label requirements (ANDed) and metadata.name requirements (ANDed)."""

    __slots__ = ("errors", "fields", "labels")

    def __init__(self, term: dict, path: field.Path) -> None:
        self.labels: Selector | None = None
        self.fields: list[tuple[str, str, str]] | None = None  # (key, operator, value)
        self.errors: list = []
        expressions, fields = term.get("matchExpressions") or [], term.get("matchFields") or []
        if expressions:
            requirements = []
            for i, expr in enumerate(expressions):
                requirement, errs = _requirement(expr, path.child("matchExpressions").index(i))
                self.errors += errs
                requirements.append(requirement)
            self.labels = None if self.errors else Selector(requirements)
        if fields:
            self.fields = []
            for i, expr in enumerate(fields):
                p = path.child("matchFields").index(i)
                op, values = expr.get("operator", ""), list(expr.get("values") or [])
                if op not in FIELD_OPERATORS:
                    self.errors.append(field.not_supported(p.child("operator"), op, list(FIELD_OPERATORS)))
                elif len(values) != 1:
                    self.errors.append(
                        field.invalid(
                            p.child("values"), field.go_string_slice(values), "must have one element"
                        )
                    )
                else:
                    self.fields.append((expr.get("key", ""), op, values[0]))

    def matches(self, labels: dict, node_name: str) -> bool:
        if self.errors:
            return False
        if self.labels is not None and not self.labels.matches(labels):
            return False
        if self.fields is not None and node_name:
            node_fields = {OBJECT_NAME_FIELD: node_name}
            for key, op, value in self.fields:
                if (node_fields.get(key, "") == value) != (op == "In"):
                    return False
        return True


def _empty(term: dict) -> bool:
    return not (term.get("matchExpressions") or term.get("matchFields"))


class NodeSelector:
    """The required terms, ORed; an empty term matches nothing; parse errors only make a term fail."""

    def __init__(self, node_selector: dict, path: field.Path = ROOT) -> None:
        terms_path = path.child("nodeSelectorTerms")
        self.terms = [
            NodeSelectorTerm(t, terms_path.index(i))
            for i, t in enumerate(node_selector.get("nodeSelectorTerms") or ())
            if not _empty(t)
        ]

    def errors(self) -> list:
        return [e for t in self.terms for e in t.errors]

    def matches(self, node: dict) -> bool:
        meta = node["metadata"]
        labels, name = meta.get("labels") or {}, meta.get("name", "")
        return any(t.matches(labels, name) for t in self.terms)


class RequiredNodeAffinity:
    """A pod's ``nodeSelector`` and required node affinity together (GetRequiredNodeAffinity)."""

    __slots__ = ("affinity", "node_selector")

    def __init__(self, pod: dict) -> None:
        spec = pod.get("spec") or {}
        self.node_selector = spec.get("nodeSelector") or None
        required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(REQUIRED)
        self.affinity = NodeSelector(required) if required is not None else None

    def matches(self, node: dict) -> bool:
        if self.node_selector:
            labels = node["metadata"].get("labels") or {}
            for key, value in self.node_selector.items():
                if labels.get(key) != value:
                    return False
        return self.affinity is None or self.affinity.matches(node)


class PreferredSchedulingTerms:
    """Weighted preferred terms; a node scores the sum of the weights of the terms it matches."""

    def __init__(self, terms: list, path: field.Path = ROOT) -> None:
        self.terms: list[tuple[NodeSelectorTerm, int]] = []
        self.errors: list = []
        for i, t in enumerate(terms or ()):
            weight, preference = t.get("weight", 0), t.get("preference") or {}
            if not weight or _empty(preference):
                continue
            term = NodeSelectorTerm(preference, path.index(i))
            self.errors += term.errors
            if not term.errors:
                self.terms.append((term, weight))

    def score(self, node: dict) -> int:
        meta = node["metadata"]
        labels, name = meta.get("labels") or {}, meta.get("name", "")
        return sum(weight for term, weight in self.terms if term.matches(labels, name))


def matches(pod: dict, node: dict) -> bool:
    """The predicate: the node has every nodeSelector label and matches a required term (if any)."""
    return RequiredNodeAffinity(pod).matches(node)


def preferred_terms(pod: dict) -> PreferredSchedulingTerms | None:
    node_affinity = ((pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {}
    terms = node_affinity.get(PREFERRED)
    return PreferredSchedulingTerms(terms) if terms is not None else None


def node_names_from_fields(required: dict) -> frozenset | None:
    """The nodes ``matchFields metadata.name In [...]`` allows (None: any node; empty: none)."""
    names: set | None = None
    for term in required.get("nodeSelectorTerms") or ():
        term_names: set | None = None
        for r in term.get("matchFields") or ():
            if r.get("key") == OBJECT_NAME_FIELD and r.get("operator") == "In":
                values = set(r.get("values") or ())
                term_names = values if term_names is None else term_names & values
        if term_names is None:
            return None  # this term does not name nodes, and the terms are ORed
        names = term_names if names is None else names | term_names
    return frozenset(names) if names is not None else None


class NodeAffinity:
    """PreFilter, Filter, PreScore, Score, NormalizeScore (score weight 2 in the default profile).

    ``args={"addedAffinity": {...}}`` (NodeAffinityArgs) adds node affinity to every pod of the profile."""

    name = NAME

    def __init__(self, handle: Any = None, args: dict | None = None) -> None:
        self.handle = handle
        added = (args or {}).get("addedAffinity") or {}
        path = field.Path("addedAffinity")
        self.added_node_selector = (
            NodeSelector(added[REQUIRED], path.child(REQUIRED)) if added.get(REQUIRED) else None
        )
        self.added_pref_terms = (
            PreferredSchedulingTerms(added.get(PREFERRED) or [], path.child(PREFERRED))
            if added.get(PREFERRED)
            else None
        )
        errs = (self.added_node_selector.errors() if self.added_node_selector else []) + (
            self.added_pref_terms.errors if self.added_pref_terms else []
        )
        if errs:
            raise ValueError(field.aggregate(errs))

    def pre_filter(self, state: CycleState, pod: dict):
        spec = pod.get("spec") or {}
        required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(REQUIRED)
        if required is None and self.added_node_selector is None and not spec.get("nodeSelector"):
            return Status(Code.Skip)
        state[PRE_FILTER_STATE_KEY] = RequiredNodeAffinity(pod)
        if not required or not required.get("nodeSelectorTerms"):
            return SUCCESS
        names = node_names_from_fields(required)
        if names is None:
            return SUCCESS
        if not names:
            return Status(Code.UnschedulableAndUnresolvable, ERR_REASON_CONFLICT)
        return PreFilterResult(names), SUCCESS

    def filter(self, state: CycleState, pod: dict, node_info: Any) -> Status:
        node = node_info.node
        if self.added_node_selector is not None and not self.added_node_selector.matches(node):
            return Status(Code.UnschedulableAndUnresolvable, ERR_REASON_ENFORCED)
        required = state.get(PRE_FILTER_STATE_KEY) or RequiredNodeAffinity(pod)
        if not required.matches(node):
            return Status(Code.UnschedulableAndUnresolvable, ERR_REASON_POD)
        return SUCCESS

    def pre_score(self, state: CycleState, pod: dict, nodes: list) -> Status:
        terms = preferred_terms(pod)
        if terms is not None and terms.errors:
            return Status(Code.Error, field.aggregate(terms.errors))
        if terms is None and self.added_pref_terms is None:
            return Status(Code.Skip)
        state[PRE_SCORE_STATE_KEY] = terms
        return SUCCESS

    def score(self, state: CycleState, pod: dict, node_info: Any) -> int:
        count = self.added_pref_terms.score(node_info.node) if self.added_pref_terms else 0
        terms = state[PRE_SCORE_STATE_KEY] if PRE_SCORE_STATE_KEY in state else preferred_terms(pod)
        return count + (terms.score(node_info.node) if terms is not None else 0)

    def normalize_scores(self, state: CycleState, pod: dict, scores: list) -> list:
        """NormalizeScore on a list (what the framework calls; same numbers as ``normalize_score``)."""
        return default_normalize_scores(100, False, scores)

    def normalize_score(self, state: CycleState, pod: dict, scores: dict) -> Status:
        default_normalize_score(100, False, scores)
        return SUCCESS

    # -- requeueing --------------------------------------------------------------------------
    def events_to_register(self) -> list:
        return [
            (
                ClusterEvent(NODE, ActionType.Add | ActionType.UpdateNodeLabel),
                self.is_schedulable_after_node_change,
            )
        ]

    def is_schedulable_after_node_change(self, pod: dict, old: dict | None, new: dict) -> QueueingHint:
        if self.added_node_selector is not None and not self.added_node_selector.matches(new):
            return QueueingHint.QueueSkip
        required = RequiredNodeAffinity(pod)
        if not required.matches(new):
            return QueueingHint.QueueSkip
        return QueueingHint.Queue if old is None or not required.matches(old) else QueueingHint.QueueSkip
