"""Validation shared by every kind: ObjectMeta on create and update, labels, annotations,
label selectors, and the small Go-rendering helpers their messages need.

>>> [e.error() for e in validate_object_meta({"name": "My_Pod"}, name_is_dns_subdomain)][0][:52]
'metadata.name: Invalid value: "My_Pod": a lowercase '
>>> validate_object_meta({}, name_is_dns_subdomain)[0].error()
'metadata.name: Required value: name or generateName is required'

Simplifies: a missing ``metadata.namespace`` is not reported (the API server fills it from the
request) and ``resourceVersion`` on update is the server's optimistic-concurrency business.

Upstream: staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go,
staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go
"""

from __future__ import annotations

import functools
import marshal
from datetime import timedelta
from typing import Any, Callable

from k8slearn.api import field
from k8slearn.api.field import FieldError, GoValue, Path, go_quote, go_string_map, go_string_slice
from k8slearn.api.lru import LRUCache
from k8slearn.api.meta import EPOCH, parse_timestamp
from k8slearn.api.names import is_qualified_name, is_valid_label_value, name_is_dns_label
from k8slearn.api.names import name_is_dns_subdomain  # noqa: F401 (used by the docstring example)

NameFn = Callable[[str, bool], list]
FIELD_IMMUTABLE = "field is immutable"
IS_NEGATIVE = "must be greater than or equal to 0"
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024
STANDARD_FINALIZERS = {"kubernetes", "orphan", "foregroundDeletion"}
META = Path("metadata")
# The paths every metadata check names (a Path never changes): built once, not on each request.
_PATHS = {key: META.child(key) for key in ("name", "generateName", "namespace", "uid", "generation",
                                           "labels", "annotations", "ownerReferences", "finalizers",
                                           "creationTimestamp", "deletionTimestamp",
                                           "deletionGracePeriodSeconds")}
NO_VALUES_FOR_EXISTS = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"


Validator = Callable[[Any, Path], "list[FieldError]"]
REMEMBERED_VALID = 8192  # per validator: how many values found valid are remembered


def remember_valid(fn: Validator) -> Validator:
    """Remember the values a pure validator ``fn(value, path)`` found valid, and do not check them again.

    The API server validates the same values over and over: every pod of a ReplicaSet has the
    same spec, and a pod's spec is checked again on each of its status updates. A value is known
    by its ``marshal`` bytes, which keep exact types (``1``, ``1.0`` and ``True`` differ, so do
    lists and tuples) and refuse subclasses and other types: such a value is simply validated.
    Only "valid" is remembered (an error holds the bad value and the path), and validity never
    depends on the path, so the answer is always the one ``fn`` gives. A simulation speed-up.
    """
    valid = LRUCache(REMEMBERED_VALID)

    @functools.wraps(fn)
    def check(value: Any, path: Path) -> list[FieldError]:
        try:
            key = marshal.dumps(value)
        except ValueError:  # a type marshal cannot write exactly
            return fn(value, path)
        if key in valid:
            return []
        errs = fn(value, path)
        if not errs:
            valid.add(key)
        return errs

    check.remembered = valid  # type: ignore[attr-defined]
    return check


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def nonnegative(value: Any, path: Path) -> list[FieldError]:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return [field.invalid(path, value, IS_NEGATIVE)]
    return []


@remember_valid
def validate_labels(labels: Any, path: Path) -> list[FieldError]:
    """ValidateLabels: every key a qualified name, every value a label value (keys sorted)."""
    errs = []
    for k, v in sorted(as_dict(labels).items()):
        errs += [field.invalid(path, k, m) for m in is_qualified_name(k)]
        errs += [field.invalid(path, v, m) for m in is_valid_label_value(str(v))]
    return errs


@remember_valid
def validate_annotations(annotations: Any, path: Path) -> list[FieldError]:
    annotations = as_dict(annotations)
    errs = []
    for k in sorted(annotations):
        errs += [field.invalid(path, k, m) for m in is_qualified_name(k.lower())]
    size = sum(len(k.encode()) + len(str(v).encode()) for k, v in annotations.items())
    if size > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(field.too_long(path, "", TOTAL_ANNOTATION_SIZE_LIMIT))
    return errs


@remember_valid
def _validate_owner_references(refs: Any, path: Path) -> list[FieldError]:
    """ValidateOwnerReferences: each reference complete, not an Event, at most one controller."""
    errs, first_controller = [], ""
    for ref in as_list(refs):
        ref = as_dict(ref)
        api_version, kind = ref.get("apiVersion", ""), ref.get("kind", "")
        if not api_version.rpartition("/")[2]:
            errs.append(field.invalid(path.child("apiVersion"), api_version, "version must not be empty"))
        if not kind:
            errs.append(field.invalid(path.child("kind"), kind, "must not be empty"))
        if not ref.get("name"):
            errs.append(field.invalid(path.child("name"), ref.get("name", ""), "must not be empty"))
        if not ref.get("uid"):
            errs.append(field.invalid(path.child("uid"), ref.get("uid", ""), "must not be empty"))
        if api_version == "v1" and kind == "Event":
            errs.append(field.invalid(path, GoValue("metav1.OwnerReference{...}"),
                                      "/v1, Kind=Event is disallowed from being an owner"))
        if ref.get("controller"):
            name = f"{kind}/{ref.get('name', '')}"
            if first_controller:
                errs.append(field.invalid(path, GoValue("[]v1.OwnerReference{...}"),
                                          'Only one reference can have Controller set to true. '
                                          f'Found "true" in references for {first_controller} and {name}'))
            else:
                first_controller = name
    return errs


def _validate_finalizers(finalizers: Any, path: Path) -> list[FieldError]:
    finalizers = [str(f) for f in as_list(finalizers)]
    errs = []
    for f in finalizers:
        errs += [field.invalid(path, f, m) for m in is_qualified_name(f)]
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        errs.append(field.invalid(path, go_string_slice(finalizers),
                                  "finalizer orphan and foregroundDeletion cannot be both set"))
    for i, f in enumerate(finalizers):
        if "/" not in f and f not in STANDARD_FINALIZERS:
            errs.append(field.invalid(path.index(i), f,
                                      "name is neither a standard finalizer name nor is it fully qualified"))
    return errs


def _validate_common(meta: dict, namespaced: bool) -> list[FieldError]:
    errs = []
    ns = meta.get("namespace")
    if namespaced and ns:
        errs += [field.invalid(_PATHS["namespace"], ns, m) for m in name_is_dns_label(ns, False)]
    errs += nonnegative(meta.get("generation"), _PATHS["generation"])
    errs += validate_labels(meta.get("labels"), _PATHS["labels"])
    errs += validate_annotations(meta.get("annotations"), _PATHS["annotations"])
    errs += _validate_owner_references(meta.get("ownerReferences"), _PATHS["ownerReferences"])
    errs += _validate_finalizers(meta.get("finalizers"), _PATHS["finalizers"])
    return errs


def validate_object_meta(meta: Any, name_fn: NameFn, namespaced: bool = True) -> list[FieldError]:
    """ValidateObjectMeta for a create: generateName, name, then the common checks."""
    meta = as_dict(meta)
    errs = []
    generate = meta.get("generateName") or ""
    if generate:
        errs += [field.invalid(_PATHS["generateName"], generate, m) for m in name_fn(generate, True)]
    name = meta.get("name") or ""
    if not name:
        errs.append(field.required(_PATHS["name"], "name or generateName is required"))
    else:
        errs += [field.invalid(_PATHS["name"], name, m) for m in name_fn(str(name), False)]
    return errs + _validate_common(meta, namespaced)


def go_time(value: Any) -> Any:
    """A metav1.Time as Go's time.String() prints it (None stays None: rendered "null")."""
    if not value:
        return None
    try:
        seconds = parse_timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    return GoValue((EPOCH + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S +0000 UTC"))


def _same_str(a: Any, b: Any) -> bool:
    """Two equal strings (``go_time`` gives equal strings equal renderings: no need to parse them)."""
    return a.__class__ is str and b.__class__ is str and a == b


def validate_object_meta_update(new: Any, old: Any) -> list[FieldError]:
    """ValidateObjectMetaUpdate: identity fields are immutable, no new finalizers while deleting."""
    new, old = as_dict(new), as_dict(old)
    errs = []
    if old.get("deletionTimestamp"):
        added = sorted(set(as_list(new.get("finalizers"))) - set(as_list(old.get("finalizers"))))
        if added:
            errs.append(field.forbidden(_PATHS["finalizers"],
                                        "no new finalizers can be added if the object is being deleted, "
                                        f"found new finalizers {go_string_slice(added).text}"))
    if (new.get("generation") or 0) < (old.get("generation") or 0):
        errs.append(field.invalid(_PATHS["generation"], new.get("generation") or 0,
                                  "must not be decremented"))
    for key in ("name", "namespace", "uid"):
        if new.get(key) and new.get(key) != old.get(key):
            errs.append(field.invalid(_PATHS[key], new.get(key), FIELD_IMMUTABLE))
    for key in ("creationTimestamp", "deletionTimestamp"):  # (a timestamp set where there was none, too)
        if new.get(key) and not _same_str(new[key], old.get(key)) and go_time(new[key]) != go_time(old.get(key)):
            errs.append(field.invalid(_PATHS[key], go_time(new[key]), FIELD_IMMUTABLE))
    if new.get("deletionGracePeriodSeconds") != old.get("deletionGracePeriodSeconds"):
        errs.append(field.invalid(_PATHS["deletionGracePeriodSeconds"], new.get("deletionGracePeriodSeconds"),
                                  FIELD_IMMUTABLE))
    errs += validate_labels(new.get("labels"), _PATHS["labels"])
    errs += validate_annotations(new.get("annotations"), _PATHS["annotations"])
    errs += _validate_owner_references(new.get("ownerReferences"), _PATHS["ownerReferences"])
    errs += _validate_finalizers(new.get("finalizers"), _PATHS["finalizers"])
    return errs


def validate_immutable(new: Any, old: Any, path: Path,
                       render: Callable[[Any], Any] = lambda v: v) -> list[FieldError]:
    """ValidateImmutableField: ``<path>: Invalid value: <new>: field is immutable``."""
    if new != old:
        return [field.invalid(path, render(new), FIELD_IMMUTABLE)]
    return []


def go_label_selector(ls: Any) -> GoValue:
    """%#v of a metav1.LabelSelector, as in ``spec.selector: Invalid value: v1.LabelSelector{...}``."""
    ls = as_dict(ls)
    labels = ls.get("matchLabels")
    exprs = ls.get("matchExpressions")
    ml = go_string_map(labels).text if labels else "map[string]string(nil)"
    if exprs:
        items = ", ".join(
            f"v1.LabelSelectorRequirement{{Key:{go_quote(str(e.get('key', '')))}, "
            f"Operator:{go_quote(str(e.get('operator', '')))}, "
            f"Values:{go_string_slice(e.get('values')).text}}}" for e in map(as_dict, exprs))
        me = f"[]v1.LabelSelectorRequirement{{{items}}}"
    else:
        me = "[]v1.LabelSelectorRequirement(nil)"
    return GoValue(f"v1.LabelSelector{{MatchLabels:{ml}, MatchExpressions:{me}}}")


def validate_label_selector(ls: Any, path: Path) -> list[FieldError]:
    """metav1 ValidateLabelSelector: matchLabels as labels, each expression's operator, key and values."""
    if ls is None:
        return []
    ls = as_dict(ls)
    errs = validate_labels(ls.get("matchLabels"), path.child("matchLabels"))
    for i, expr in enumerate(as_list(ls.get("matchExpressions"))):
        expr = as_dict(expr)
        p = path.child("matchExpressions").index(i)
        op, values = expr.get("operator", ""), as_list(expr.get("values"))
        if op in ("In", "NotIn"):
            if not values:
                errs.append(field.required(p.child("values"),
                                           "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(field.forbidden(p.child("values"), NO_VALUES_FOR_EXISTS))
        else:
            errs.append(field.invalid(p.child("operator"), op, "not a valid selector operator"))
        errs += [field.invalid(p.child("key"), expr.get("key", ""),
                               m) for m in is_qualified_name(expr.get("key", ""))]
        for j, v in enumerate(values):
            errs += [field.invalid(p.child("values").index(j), v, m) for m in is_valid_label_value(str(v))]
    return errs


def go_int_or_string(value: Any) -> Any:
    """An intstr.IntOrString as field.Invalid prints it: its String() has a pointer receiver, so the
    struct value passed to field.Invalid is no fmt.Stringer and prints with %#v.

    >>> go_int_or_string(0).text, go_int_or_string("120%").text
    ('intstr.IntOrString{Type:0, IntVal:0, StrVal:""}', 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}')
    """
    if isinstance(value, str):
        return GoValue(f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(value)}}}")
    number = value if isinstance(value, int) and not isinstance(value, bool) else 0
    return GoValue(f'intstr.IntOrString{{Type:0, IntVal:{number}, StrVal:""}}')
