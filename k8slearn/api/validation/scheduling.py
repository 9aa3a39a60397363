"""Scheduling fields of a pod spec: tolerations, node and pod affinity, scheduling gates and
topology spread constraints.

>>> t = [{"key": "gpu", "operator": "Exists", "value": "x"}]
>>> print(validate_tolerations(t, Path("spec.tolerations"))[0].error())
spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"gpu", Operator:"Exists", Value:"x", \
Effect:"", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'

That bad value is the whole toleration, as upstream passes it, printed with %#v; a set
``tolerationSeconds`` shows as a pointer whose address is made up here (it changes per request).

Simplifies: no matchLabelKeys/mismatchLabelKeys in pod affinity terms (topology spread has them).

Upstream: pkg/apis/core/validation/validation.go (ValidateTolerations, validateAffinity,
ValidateNodeSelectorRequirement, validatePodAffinityTerm, validateTopologySpreadConstraints,
validateMatchLabelKeysInTopologySpread)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.field import FieldError, GoValue, Path, go_quote
from k8slearn.api.names import (
    is_dns1123_label, is_qualified_name, is_valid_label_value, name_is_dns_subdomain,
)
from k8slearn.api.validation.common import (
    NO_VALUES_FOR_EXISTS, as_dict, as_list, remember_valid, validate_label_selector,
)

TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]


@remember_valid
def validate_tolerations(tolerations: Any, path: Path) -> list[FieldError]:
    errs = []
    for i, t in enumerate(as_list(tolerations)):
        t, p = as_dict(t), path.index(i)
        key, op = t.get("key", ""), t.get("operator", "")
        value, effect = t.get("value", ""), t.get("effect", "")
        if key:
            errs += [field.invalid(p.child("key"), key, m) for m in is_qualified_name(key)]
        if not key and op != "Exists":
            errs.append(field.invalid(p.child("operator"), op,
                                      'operator must be Exists when `key` is empty, which means '
                                      '"match all values and all keys"'))
        if t.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(field.invalid(p.child("effect"), effect,
                                      "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        if op in ("Equal", ""):
            msgs = is_valid_label_value(str(value))
            if msgs:
                errs.append(field.invalid(p.child("operator"), value, ";".join(msgs)))
        elif op == "Exists":
            if value:  # upstream passes the whole toleration here, not its value
                errs.append(field.invalid(p.child("operator"), _go_toleration(t, i),
                                          "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(field.not_supported(p.child("operator"), op, ["Equal", "Exists"]))
        if effect and effect not in TAINT_EFFECTS:
            errs.append(field.not_supported(p.child("effect"), effect, TAINT_EFFECTS))
    return errs


def _go_toleration(t: dict, n: int) -> GoValue:
    """%#v of a core.Toleration. The TolerationSeconds pointer's address is made up, as for the
    pointers in batch.py: a real one changes per request."""
    seconds = "(nil)" if t.get("tolerationSeconds") is None else f"(0xc0000{0x12a40 + 8 * n:05x})"
    key, op, value, effect = (go_quote(str(t.get(f) or "")) for f in ("key", "operator", "value", "effect"))
    return GoValue(f"core.Toleration{{Key:{key}, Operator:{op}, Value:{value}, Effect:{effect}, "
                   f"TolerationSeconds:(*int64){seconds}}}")


def affinity_errors(affinity: Any, path: Path) -> list[FieldError]:
    affinity = as_dict(affinity)
    errs = []
    node = affinity.get("nodeAffinity")
    if node is not None:
        node, np_ = as_dict(node), path.child("nodeAffinity")
        required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        if required is not None:
            terms_path = np_.child("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
            terms = as_list(as_dict(required).get("nodeSelectorTerms"))
            if not terms:
                errs.append(field.required(terms_path, "must have at least one node selector term"))
            for i, term in enumerate(terms):
                errs += _node_selector_term(term, terms_path.index(i))
        for i, pref in enumerate(as_list(node.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            pp = np_.child("preferredDuringSchedulingIgnoredDuringExecution").index(i)
            weight = as_dict(pref).get("weight", 0)
            if not 1 <= weight <= 100:
                errs.append(field.invalid(pp.child("weight"), weight, "must be in the range 1-100"))
            errs += _node_selector_term(as_dict(pref).get("preference"), pp.child("preference"))
    for kind in ("podAffinity", "podAntiAffinity"):
        pod = affinity.get(kind)
        if pod is None:
            continue
        pod, kp = as_dict(pod), path.child(kind)
        for i, term in enumerate(as_list(pod.get("requiredDuringSchedulingIgnoredDuringExecution"))):
            errs += _pod_affinity_term(term,
                                       kp.child("requiredDuringSchedulingIgnoredDuringExecution").index(i))
        for i, w in enumerate(as_list(pod.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            wp = kp.child("preferredDuringSchedulingIgnoredDuringExecution").index(i)
            weight = as_dict(w).get("weight", 0)
            if not 1 <= weight <= 100:
                errs.append(field.invalid(wp.child("weight"), weight, "must be in the range 1-100"))
            errs += _pod_affinity_term(as_dict(w).get("podAffinityTerm"), wp.child("podAffinityTerm"))
    return errs


def _node_selector_term(term: Any, path: Path) -> list[FieldError]:
    errs = []
    for j, req in enumerate(as_list(as_dict(term).get("matchExpressions"))):
        req, p = as_dict(req), path.child("matchExpressions").index(j)
        op, values = req.get("operator", ""), as_list(req.get("values"))
        if op in ("In", "NotIn"):
            if not values:
                errs.append(field.required(p.child("values"),
                                           "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(field.forbidden(p.child("values"), NO_VALUES_FOR_EXISTS))
        elif op in ("Gt", "Lt"):
            if len(values) != 1:
                errs.append(field.required(p.child("values"),
                                           "must be specified single value when `operator` is 'Lt' or 'Gt'"))
        else:
            errs.append(field.invalid(p.child("operator"), op, "not a valid selector operator"))
        errs += [field.invalid(p.child("key"), req.get("key", ""),
                               m) for m in is_qualified_name(req.get("key", ""))]
    for j, req in enumerate(as_list(as_dict(term).get("matchFields"))):
        req, p = as_dict(req), path.child("matchFields").index(j)
        if req.get("operator") in ("In", "NotIn"):
            if len(as_list(req.get("values"))) != 1:
                errs.append(field.required(p.child("values"), "must be only one value when `operator` is "
                                                              "'In' or 'NotIn' for node field selector"))
        else:
            errs.append(field.invalid(p.child("operator"), req.get("operator", ""),
                                      "not a valid selector operator"))
        if req.get("key") != "metadata.name":
            errs.append(field.invalid(p.child("key"), req.get("key", ""), "not a valid field selector key"))
        else:
            for i, v in enumerate(as_list(req.get("values"))):
                errs += [field.invalid(p.child("values").index(i), v,
                                       m) for m in name_is_dns_subdomain(str(v))]
    return errs


def _pod_affinity_term(term: Any, path: Path) -> list[FieldError]:
    term = as_dict(term)
    errs = validate_label_selector(term.get("labelSelector"), path.child("labelSelector"))
    errs += validate_label_selector(term.get("namespaceSelector"), path.child("namespaceSelector"))
    for ns in as_list(term.get("namespaces")):
        errs += [field.invalid(path.child("namespace"), ns, m) for m in is_dns1123_label(str(ns))]
    key = term.get("topologyKey", "")
    if not key:
        errs.append(field.required(path.child("topologyKey"), "can not be empty"))
    return errs + [field.invalid(path.child("topologyKey"), key, m) for m in is_qualified_name(key)]


def scheduling_gate_errors(gates: Any, path: Path) -> list[FieldError]:
    errs, seen = [], set()
    for i, gate in enumerate(as_list(gates)):
        name = as_dict(gate).get("name", "")
        errs += [field.invalid(path.index(i), name, m) for m in is_qualified_name(name)]
        if name in seen:
            errs.append(field.duplicate(path.index(i), name))
        seen.add(name)
    return errs


def topology_spread_errors(constraints: Any, path: Path) -> list[FieldError]:
    constraints = [as_dict(c) for c in as_list(constraints)]
    errs = []
    for i, c in enumerate(constraints):
        p = path.index(i)
        if c.get("maxSkew", 0) <= 0:
            errs.append(field.invalid(p.child("maxSkew"), c.get("maxSkew", 0), "must be greater than zero"))
        if not c.get("topologyKey"):
            errs.append(field.required(p.child("topologyKey"), "can not be empty"))
        action = c.get("whenUnsatisfiable", "")
        if action not in ("DoNotSchedule", "ScheduleAnyway"):
            errs.append(field.not_supported(p.child("whenUnsatisfiable"), action,
                                            ["DoNotSchedule", "ScheduleAnyway"]))
        for later in constraints[i + 1:]:
            if (later.get("topologyKey"), later.get("whenUnsatisfiable")) == (c.get("topologyKey"), action):
                errs.append(field.duplicate(p.child("{topologyKey, whenUnsatisfiable}"),
                                            f"{{{c.get('topologyKey', '')}, {action}}}"))
                break
        min_domains = c.get("minDomains")
        if min_domains is not None:  # validateMinDomains
            if min_domains <= 0:
                errs.append(field.invalid(p.child("minDomains"), min_domains, "must be greater than zero"))
            if action != "DoNotSchedule":
                errs.append(field.invalid(p.child("minDomains"), min_domains,
                                          f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"))
        for key in ("nodeAffinityPolicy", "nodeTaintsPolicy"):  # validateNodeInclusionPolicy
            if c.get(key) is not None and c[key] not in ("Honor", "Ignore"):
                errs.append(field.not_supported(p.child(key), c[key], ["Honor", "Ignore"]))
        errs += _match_label_keys_errors(c.get("matchLabelKeys"), c.get("labelSelector"),
                                         p.child("matchLabelKeys"))
        errs += validate_label_selector(c.get("labelSelector"), p.child("labelSelector"))
    return errs


def _match_label_keys_errors(keys: Any, selector: Any, path: Path) -> list[FieldError]:
    """validateMatchLabelKeysInTopologySpread: each key a valid label name, and not one the
    labelSelector already uses (the scheduler adds ``key=<the pod's value>`` to the selector)."""
    keys = as_list(keys)
    if not keys:
        return []
    errs, used = [], set()
    if selector is None:
        errs.append(field.forbidden(path, "must not be specified when labelSelector is not set"))
    else:
        selector = as_dict(selector)
        used = set(as_dict(selector.get("matchLabels")))
        used |= {as_dict(e).get("key", "") for e in as_list(selector.get("matchExpressions"))}
    for i, key in enumerate(keys):
        errs += [field.invalid(path.index(i), key, m) for m in is_qualified_name(str(key))]
        if key in used:
            errs.append(field.invalid(path.index(i), key, "exists in both matchLabelKeys and labelSelector"))
    return errs
