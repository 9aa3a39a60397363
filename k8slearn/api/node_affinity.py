"""Node affinity matching: does a node satisfy a NodeSelector? One matcher for every component.

A ``NodeSelector`` holds *terms* that are ORed; inside a term, ``matchExpressions`` (on the
node's labels) and ``matchFields`` (on ``metadata.name`` only) are ANDed. Operators: ``In``,
``NotIn`` (also true when the label is missing), ``Exists``, ``DoesNotExist``, ``Gt``/``Lt``
(the label and the value are parsed as integers). The scheduler's NodeAffinity plugin, the
DaemonSet controller and the volume code (a PersistentVolume's ``nodeAffinity``) all use it.

Each term is parsed once, like ``labels.NewRequirement``. A term that does not parse (an
unknown operator, ``In`` with no values, ``Gt`` with a non-integer, a value that is not a valid
label value) matches nothing, but the other terms still can: parse errors are only reported
when no term matched (LazyErrorNodeSelector). A term with neither expressions nor fields, and
a selector with no terms, match nothing.

>>> node = {"metadata": {"name": "node-2", "labels": {"disk": "ssd", "cores": "8"}}}
>>> selector = LazyErrorNodeSelector({"nodeSelectorTerms": [
...     {"matchExpressions": [{"key": "cores", "operator": "Gt", "values": ["eight"]}]},
...     {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}]})
>>> selector.match(node)
(True, '')
>>> selector.match({"metadata": {"name": "node-1", "labels": {}}})  # doctest: +NORMALIZE_WHITESPACE
(False, 'nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: "eight":
 for \\'Gt\\', \\'Lt\\' operators, the value must be an integer')
>>> on_node_2 = {"key": "metadata.name", "operator": "In", "values": ["node-2"]}
>>> pinned = {"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
...     "nodeSelectorTerms": [{"matchFields": [on_node_2]}]}}}}}
>>> RequiredNodeAffinity(pinned).matches(node)
True

Simplifies: errors are field-error strings (no Go error types); the field selector of a term
is a list of ``(key, operator, value)``.

Upstream: staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
(NewLazyErrorNodeSelector, LazyErrorNodeSelector.Match, nodeSelectorTerm.match,
nodeSelectorRequirementsAsSelector, nodeSelectorRequirementsAsFieldSelector,
NewPreferredSchedulingTerms, GetRequiredNodeAffinity),
staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go (MatchNodeSelectorTerms),
staging/src/k8s.io/apimachinery/pkg/labels/selector.go (NewRequirement)
"""

from __future__ import annotations

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
    parse_int64,
    validate_label_key,
    validate_label_value,
)

OBJECT_NAME_FIELD = "metadata.name"  # metav1.ObjectNameField: the one field matchFields may test
REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution"
PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution"
VALID_SELECTOR_OPERATORS = {
    "In": IN,
    "NotIn": NOT_IN,
    "Exists": EXISTS,
    "DoesNotExist": DOES_NOT_EXIST,
    "Gt": GREATER_THAN,
    "Lt": LESS_THAN,
}
VALID_FIELD_SELECTOR_OPERATORS = ("In", "NotIn")
ERR_IN_NOT_IN_EMPTY = "for 'in', 'notin' operators, values set can't be empty"
ERR_EXISTS_WITH_VALUES = "values set must be empty for exists and does not exist"
ERR_GT_LT_ONE_VALUE = "for 'Gt', 'Lt' operators, exactly one value is required"
ERR_GT_LT_INTEGER = "for 'Gt', 'Lt' operators, the value must be an integer"
ERR_FIELD_ONE_VALUE = "must have one element"
ROOT = field.Path()  # error paths of a selector start here unless the caller gives one


# -- parsing: one NodeSelectorRequirement ---------------------------------------------------------
def _go_values(values: list | None) -> field.GoValue:
    """The bad value of a ``values`` error as Go prints a []string: ``[]string(nil)`` when absent."""
    return field.go_string_slice(None if values is None else [str(v) for v in values])


def new_requirement(expr: dict, path: field.Path) -> tuple[Requirement | None, list]:
    """labels.NewRequirement(key, op, values, field.WithPath(path)) for one matchExpressions entry.

    Returns the Requirement, or None and the field errors NewRequirement gives."""
    key, op, raw = expr.get("key", ""), expr.get("operator", ""), expr.get("values")
    if op not in VALID_SELECTOR_OPERATORS:
        return None, [field.not_supported(path.child("operator"), op, list(VALID_SELECTOR_OPERATORS))]
    values = [str(v) for v in raw or ()]
    errs = []
    key_errors = validate_label_key(key)
    if key_errors:
        errs.append(field.invalid(path.child("key"), key, "; ".join(key_errors)))
    values_path = path.child("values")
    if op in ("In", "NotIn") and not values:
        errs.append(field.invalid(values_path, _go_values(raw), ERR_IN_NOT_IN_EMPTY))
    elif op in ("Exists", "DoesNotExist") and values:
        errs.append(field.invalid(values_path, _go_values(raw), ERR_EXISTS_WITH_VALUES))
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(field.invalid(values_path, _go_values(raw), ERR_GT_LT_ONE_VALUE))
        for i, v in enumerate(values):
            if parse_int64(v) is None:
                errs.append(field.invalid(values_path.index(i), v, ERR_GT_LT_INTEGER))
    for i, v in enumerate(values):  # every operator's values must be valid label values
        value_errors = validate_label_value(v)
        if value_errors:
            errs.append(field.invalid(values_path.index(i).key(key), v, "; ".join(value_errors)))
    return (None, errs) if errs else (Requirement(key, VALID_SELECTOR_OPERATORS[op], values), [])


def node_selector_requirements_as_selector(nsm: list, path: field.Path) -> tuple[Selector | None, list]:
    """nodeSelectorRequirementsAsSelector: the matchExpressions ANDed as one label Selector."""
    if not nsm:
        return Selector.nothing(), []
    requirements, errs = [], []
    for i, expr in enumerate(nsm):
        requirement, requirement_errs = new_requirement(expr, path.index(i))
        errs += requirement_errs
        requirements.append(requirement)
    return (None, errs) if errs else (Selector(requirements), [])


def node_selector_requirements_as_field_selector(nsr: list, path: field.Path) -> tuple[list | None, list]:
    """nodeSelectorRequirementsAsFieldSelector: matchFields as ``(key, operator, value)`` terms.

    Only ``In`` and ``NotIn`` with exactly one value parse (OneTermEqualSelector /
    OneTermNotEqualSelector); the key is not checked here (API validation allows only
    ``metadata.name``; any other key reads as the empty string)."""
    selectors, errs = [], []
    for i, expr in enumerate(nsr):
        p = path.index(i)
        op, values = expr.get("operator", ""), expr.get("values")
        if op not in VALID_FIELD_SELECTOR_OPERATORS:
            errs.append(field.not_supported(p.child("operator"), op, list(VALID_FIELD_SELECTOR_OPERATORS)))
        elif len(values or ()) != 1:
            errs.append(field.invalid(p.child("values"), _go_values(values), ERR_FIELD_ONE_VALUE))
        else:
            selectors.append((expr.get("key", ""), op, str(values[0])))
    return (None, errs) if errs else (selectors, [])


# -- terms ----------------------------------------------------------------------------------------
def is_empty_node_selector_term(term: dict) -> bool:
    """isEmptyNodeSelectorTerm: neither matchExpressions nor matchFields (it selects nothing)."""
    return not (term.get("matchExpressions") or term.get("matchFields"))


class NodeSelectorTerm:
    """nodeSelectorTerm: a parsed term, its label selector, field selector and parse errors."""

    __slots__ = ("errors", "fields", "labels")

    def __init__(self, term: dict, path: field.Path = ROOT) -> None:
        self.labels: Selector | None = None
        self.fields: list[tuple[str, str, str]] | None = None
        self.errors: list = []
        expressions, fields = term.get("matchExpressions") or [], term.get("matchFields") or []
        if expressions:
            p = path.child("matchExpressions")
            self.labels, errs = node_selector_requirements_as_selector(expressions, p)
            self.errors += errs
        if fields:
            p = path.child("matchFields")
            self.fields, errs = node_selector_requirements_as_field_selector(fields, p)
            self.errors += errs

    def matches(self, labels: dict, node_name: str) -> bool:
        """nodeSelectorTerm.match without its errors: a term that did not parse matches nothing.
        A node without a name (``node_name`` empty) skips the field requirements, as upstream."""
        if self.errors:
            return False
        if self.labels is not None and not self.labels.matches(labels):
            return False
        if self.fields is not None and node_name:
            for key, op, value in self.fields:
                actual = node_name if key == OBJECT_NAME_FIELD else ""
                if (actual == value) != (op == "In"):
                    return False
        return True


class LazyErrorNodeSelector:
    """A parsed NodeSelector: the non-empty terms, ORed. ``matches`` is NodeSelector.Match (errors
    ignored); ``match`` is LazyErrorNodeSelector.Match (errors returned when no term matched)."""

    __slots__ = ("terms",)

    def __init__(self, node_selector: dict, path: field.Path = ROOT) -> None:
        terms_path = path.child("nodeSelectorTerms")
        self.terms = [
            NodeSelectorTerm(t, terms_path.index(i))
            for i, t in enumerate(node_selector.get("nodeSelectorTerms") or ())
            if not is_empty_node_selector_term(t)
        ]

    def errors(self) -> list:
        """Every term's parse errors (what NewNodeSelector refuses a selector for)."""
        return [e for t in self.terms for e in t.errors]

    def matches(self, node: dict) -> bool:
        meta = node["metadata"]  # (the Filter's hot path: no helper call)
        labels, name = meta.get("labels") or {}, meta.get("name") or ""
        return any(t.matches(labels, name) for t in self.terms)

    def match(self, node: dict) -> tuple[bool, str]:
        """(matched, the aggregated parse errors of the terms if none matched, else "")."""
        if self.matches(node):
            return True, ""
        return False, field.aggregate(self.errors())


def match_node_selector_terms(node: dict, node_selector: dict) -> tuple[bool, str]:
    """corev1.MatchNodeSelectorTerms: LazyErrorNodeSelector(node_selector).Match(node)."""
    return LazyErrorNodeSelector(node_selector).match(node)


# -- a pod's required and preferred node affinity ---------------------------------------------------
class RequiredNodeAffinity:
    """GetRequiredNodeAffinity(pod): ``spec.nodeSelector`` and required node affinity together.
    ``matches`` is RequiredNodeAffinity.Match with the parse errors ignored, as every caller does."""

    __slots__ = ("affinity", "node_selector")

    def __init__(self, pod: dict) -> None:
        spec = pod.get("spec") or {}
        self.node_selector = spec.get("nodeSelector") or None
        required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(REQUIRED)
        self.affinity = LazyErrorNodeSelector(required) if required is not None else None

    def matches(self, node: dict) -> bool:
        if self.node_selector:
            labels = node["metadata"].get("labels") or {}
            for key, value in self.node_selector.items():
                if labels.get(key) != value:
                    return False
        return self.affinity is None or self.affinity.matches(node)


def get_required_node_affinity(pod: dict) -> RequiredNodeAffinity:
    """GetRequiredNodeAffinity: parse a pod's nodeSelector and required node affinity once."""
    return RequiredNodeAffinity(pod)


class PreferredSchedulingTerms:
    """NewPreferredSchedulingTerms: the weighted terms (weight 0 and empty terms skipped);
    ``errors`` holds the parse errors; a node scores the sum of the weights of the terms it matches."""

    def __init__(self, terms: list, path: field.Path = ROOT) -> None:
        self.terms: list[tuple[NodeSelectorTerm, int]] = []
        self.errors: list = []
        for i, t in enumerate(terms or ()):
            weight, preference = t.get("weight", 0), t.get("preference") or {}
            if not weight or is_empty_node_selector_term(preference):
                continue
            term = NodeSelectorTerm(preference, path.index(i))
            self.errors += term.errors
            if not term.errors:
                self.terms.append((term, weight))

    def score(self, node: dict) -> int:
        meta = node["metadata"]
        labels, name = meta.get("labels") or {}, meta.get("name") or ""
        return sum(weight for term, weight in self.terms if term.matches(labels, name))
