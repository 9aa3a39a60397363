"""apps/v1 validation: Deployment, ReplicaSet, DaemonSet and StatefulSet.

Each needs a selector that matches its own pod template's labels, a template whose pods
restart ``Always``, and sane rollout settings; in apps/v1 the selector never changes.

>>> d = {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 1,
...      "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "x"}}}}}
>>> validate_deployment(d)[0].error()  # doctest: +ELLIPSIS
'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match ...'

A StatefulSet's policies must be known values; ``ordinals.start`` and a rolling update's
``partition`` may not be negative, and an ``OnDelete`` update strategy takes no
``rollingUpdate``:

>>> sts = {"metadata": {"name": "db"}, "spec": {"podManagementPolicy": "Parallel", "replicas": 1,
...        "updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}},
...        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Keep", "whenScaled": "Retain"},
...        "ordinals": {"start": -1}, "selector": {"matchLabels": {"app": "db"}},
...        "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"restartPolicy": "Always"}}}}
>>> errs = validate_stateful_set(sts)
>>> [e.field for e in errs]
['spec.updateStrategy.rollingUpdate', 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted', 'spec.ordinals.start']
>>> errs[0].body()
"Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: \
only allowed for updateStrategy 'RollingUpdate'"
>>> errs[1].error()
'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"'

As in v1.32, a StatefulSet's pod template is checked only for its labels and annotations (the
pod-deletion-cost one included) and its ``volumeClaimTemplates`` not at all (v1.34 added both checks): a bad template is refused
later, when the controller creates the pods or claims.

Simplifies: a StatefulSet rolling update's ``maxUnavailable`` is checked only when
``MAX_UNAVAILABLE_STATEFUL_SET`` is set (the alpha feature gate, off in v1.32: the StatefulSet
strategy then drops the field before validation, unless the stored object has one, and validation
treats it as absent); the pod-specific annotation checks on templates
(ValidatePodSpecificAnnotations) are not made; a bad value Go prints as a struct with a pointer
field shows a made-up pointer address (the real one differs on every request).

Upstream: pkg/apis/apps/validation/validation.go (v1.32 ValidateStatefulSetSpec,
validateRollingUpdateStatefulSet, ValidatePersistentVolumeClaimRetentionPolicy),
pkg/registry/apps/deployment/strategy.go, pkg/registry/apps/replicaset/strategy.go,
pkg/registry/apps/daemonset/strategy.go (selector immutability),
pkg/registry/apps/statefulset/strategy.go (dropStatefulSetDisabledFields)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.field import FieldError, GoValue, Path, go_string_map
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.names import is_valid_percent, name_is_dns_label, name_is_dns_subdomain
from k8slearn.api.validation.common import (
    as_dict,
    go_int_or_string,
    go_label_selector,
    nonnegative,
    validate_annotations,
    validate_immutable,
    validate_label_selector,
    validate_labels,
    validate_object_meta,
    validate_object_meta_update,
)
from k8slearn.api.validation.pod import validate_pod_specific_annotations, validate_pod_template_spec

SPEC = Path("spec")
MAX_UNAVAILABLE_STATEFUL_SET = False  # feature gate MaxUnavailableStatefulSet (alpha, off in v1.32)
PVC_RETENTION_POLICIES = ("Retain", "Delete")
SELECTOR_MISMATCH = "`selector` does not match template `labels`"
STS_FORBIDDEN = ("updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                 "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
                 "are forbidden")


def _selector_matches(selector: Any, template: dict) -> bool | None:
    """Whether the selector matches the template labels; None if it cannot be converted."""
    try:
        sel = selector_from_label_selector(selector)
    except ValueError:
        return None
    labels = as_dict(as_dict(template.get("metadata")).get("labels"))
    return sel.empty() or sel.matches(labels)


def _template_labels(template: dict):
    return go_string_map(as_dict(template.get("metadata")).get("labels"))


def _selector(spec: dict, kind: str) -> list[FieldError]:
    selector = spec.get("selector")
    if selector is None:
        return [field.required(SPEC.child("selector"))]
    errs = validate_label_selector(selector, SPEC.child("selector"))
    selector = as_dict(selector)
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        errs.append(field.invalid(SPEC.child("selector"), go_label_selector(selector),
                                  f"empty selector is invalid for {kind}"))
    return errs


def _replica_set_template(spec: dict, kind: str) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet (also used for Deployments)."""
    template, tpath = as_dict(spec.get("template")), SPEC.child("template")
    errs = []
    matches = _selector_matches(spec.get("selector"), template)
    if matches is None:
        return [field.invalid(SPEC.child("selector"), go_label_selector(spec.get("selector")),
                              "invalid label selector")]
    if not matches:
        errs.append(field.invalid(tpath.child("metadata", "labels"), _template_labels(template),
                                  SELECTOR_MISMATCH))
    errs += validate_pod_template_spec(template, tpath)
    errs += _restart_always(template, tpath, kind)
    return errs


def _restart_always(template: dict, tpath: Path, kind: str) -> list[FieldError]:
    tspec = as_dict(template.get("spec"))
    errs = []
    policy = tspec.get("restartPolicy") or ""
    if policy != "Always":
        errs.append(field.not_supported(tpath.child("spec", "restartPolicy"), policy, ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(field.forbidden(tpath.child("spec", "activeDeadlineSeconds"),
                                    f"activeDeadlineSeconds in {kind} is not Supported"))
    return errs


def _int_or_percent(value: Any, path: Path) -> list[FieldError]:
    if isinstance(value, str):
        return [field.invalid(path, go_int_or_string(value), m) for m in is_valid_percent(value)]
    return nonnegative(value if isinstance(value, int) else 0, path)


def _int_or_percent_value(value: Any) -> int:
    if isinstance(value, str):
        return int(value[:-1]) if not is_valid_percent(value) else 0
    return value if isinstance(value, int) else 0


def _not_more_than_100(value: Any, path: Path) -> list[FieldError]:
    if isinstance(value, str) and not is_valid_percent(value) and int(value[:-1]) > 100:
        return [field.invalid(path, go_int_or_string(value), "must not be greater than 100%")]
    return []


def _deployment_strategy(strategy: Any, path: Path) -> list[FieldError]:
    strategy = as_dict(strategy)
    kind = strategy.get("type", "")
    if kind == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            return [field.forbidden(path.child("rollingUpdate"),
                                    "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if rolling is None:
            return [field.required(path.child("rollingUpdate"), "this should be defaulted and never be nil")]
        rolling, rp = as_dict(rolling), path.child("rollingUpdate")
        unavailable, surge = rolling.get("maxUnavailable", 0), rolling.get("maxSurge", 0)
        errs = _int_or_percent(unavailable, rp.child("maxUnavailable"))
        errs += _int_or_percent(surge, rp.child("maxSurge"))
        if _int_or_percent_value(unavailable) == 0 and _int_or_percent_value(surge) == 0:
            errs.append(field.invalid(rp.child("maxUnavailable"), go_int_or_string(unavailable),
                                      "may not be 0 when `maxSurge` is 0"))
        return errs + _not_more_than_100(unavailable, rp.child("maxUnavailable"))
    return [field.not_supported(path, field.GoValue(_go_strategy(strategy)), ["Recreate", "RollingUpdate"])]


def _go_strategy(strategy: dict) -> str:
    kind = field.go_quote(str(strategy.get("type", "")))
    return f"apps.DeploymentStrategy{{Type:{kind}, RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}}"


def validate_deployment(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), name_is_dns_subdomain)
    return errs + _deployment_spec(as_dict(obj.get("spec")))


def _deployment_spec(spec: dict) -> list[FieldError]:
    errs = nonnegative(spec.get("replicas", 0), SPEC.child("replicas"))
    errs += _selector(spec, "deployment")
    errs += _replica_set_template(spec, "ReplicaSet")
    errs += _deployment_strategy(spec.get("strategy"), SPEC.child("strategy"))
    errs += nonnegative(spec.get("minReadySeconds", 0), SPEC.child("minReadySeconds"))
    if spec.get("revisionHistoryLimit") is not None:
        errs += nonnegative(spec["revisionHistoryLimit"], SPEC.child("revisionHistoryLimit"))
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errs += nonnegative(deadline, SPEC.child("progressDeadlineSeconds"))
        if deadline <= spec.get("minReadySeconds", 0):
            errs.append(field.invalid(SPEC.child("progressDeadlineSeconds"), deadline,
                                      "must be greater than minReadySeconds"))
    return errs


def validate_replica_set(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), name_is_dns_subdomain)
    return errs + _replica_set_spec(as_dict(obj.get("spec")))


def _replica_set_spec(spec: dict) -> list[FieldError]:
    errs = nonnegative(spec.get("replicas", 0), SPEC.child("replicas"))
    errs += nonnegative(spec.get("minReadySeconds", 0), SPEC.child("minReadySeconds"))
    errs += _selector(spec, "deployment")
    return errs + _replica_set_template(spec, "ReplicaSet")


def validate_daemon_set(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), name_is_dns_subdomain)
    return errs + _daemon_set_spec(as_dict(obj.get("spec")))


def _daemon_set_spec(spec: dict) -> list[FieldError]:
    template, tpath = as_dict(spec.get("template")), SPEC.child("template")
    errs = validate_label_selector(spec.get("selector"), SPEC.child("selector"))
    matches = _selector_matches(spec.get("selector"), template)
    if matches is not None and (not matches or spec.get("selector") is None):
        errs.append(field.invalid(tpath.child("metadata", "labels"), _template_labels(template),
                                  SELECTOR_MISMATCH))
    selector = spec.get("selector")
    empty = not any(as_dict(selector).get(k) for k in ("matchLabels", "matchExpressions"))
    if selector is not None and empty:
        errs.append(field.invalid(SPEC.child("selector"), go_label_selector(selector),
                                  "empty selector is invalid for daemonset"))
    errs += validate_pod_template_spec(template, tpath)
    errs += _restart_always(template, tpath, "DaemonSet")
    errs += nonnegative(spec.get("minReadySeconds", 0), SPEC.child("minReadySeconds"))
    errs += _daemon_set_strategy(spec.get("updateStrategy"), SPEC.child("updateStrategy"))
    if spec.get("revisionHistoryLimit") is not None:
        errs += nonnegative(spec["revisionHistoryLimit"], SPEC.child("revisionHistoryLimit"))
    return errs


def _daemon_set_strategy(strategy: Any, path: Path) -> list[FieldError]:
    strategy = as_dict(strategy)
    kind = strategy.get("type", "")
    if kind == "OnDelete":
        return []
    if kind != "RollingUpdate":
        go = (f"apps.DaemonSetUpdateStrategy{{Type:{field.go_quote(str(kind))}, "
              "RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}")
        return [field.not_supported(path, field.GoValue(go), ["RollingUpdate", "OnDelete"])]
    rolling = strategy.get("rollingUpdate")
    if rolling is None:
        return [field.required(path.child("rollingUpdate"))]
    rolling, rp = as_dict(rolling), path.child("rollingUpdate")
    unavailable, surge = rolling.get("maxUnavailable", 0), rolling.get("maxSurge", 0)
    errs = _int_or_percent(unavailable, rp.child("maxUnavailable"))
    errs += _int_or_percent(surge, rp.child("maxSurge"))
    errs += _not_more_than_100(unavailable, rp.child("maxUnavailable"))
    errs += _not_more_than_100(surge, rp.child("maxSurge"))
    has_unavailable, has_surge = _int_or_percent_value(unavailable) != 0, _int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        errs.append(field.invalid(rp.child("maxSurge"), go_int_or_string(surge),
                                  "may not be set when maxUnavailable is non-zero"))
    elif not has_unavailable and not has_surge:
        errs.append(field.required(rp.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"))
    return errs


def validate_stateful_set(obj: dict) -> list[FieldError]:
    errs = validate_object_meta(obj.get("metadata"), name_is_dns_label)
    return errs + _stateful_set_spec(as_dict(obj.get("spec")))


def _go_rolling_update_stateful_set(rolling: dict) -> GoValue:
    """%#v of an apps.RollingUpdateStatefulSetStrategy (the internal type: Partition is no pointer)."""
    partition = rolling.get("partition")
    partition = partition if isinstance(partition, int) else 0
    unavailable = rolling.get("maxUnavailable") if MAX_UNAVAILABLE_STATEFUL_SET else None
    pointer = "(nil)" if unavailable is None else "(0xc000012a40)"
    return GoValue(f"apps.RollingUpdateStatefulSetStrategy{{Partition:{partition}, "
                   f"MaxUnavailable:(*intstr.IntOrString){pointer}}}")


def _go_stateful_set_strategy(strategy: dict) -> GoValue:
    """%#v of an apps.StatefulSetUpdateStrategy."""
    kind = field.go_quote(str(strategy.get("type") or ""))
    pointer = "(nil)" if strategy.get("rollingUpdate") is None else "(0xc000012a48)"
    return GoValue(f"apps.StatefulSetUpdateStrategy{{Type:{kind}, "
                   f"RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy){pointer}}}")


def _rolling_update_stateful_set(rolling: dict, path: Path) -> list[FieldError]:
    """validateRollingUpdateStatefulSet: partition >= 0; maxUnavailable a positive number or percent."""
    errs = nonnegative(rolling.get("partition", 0), path.child("partition"))
    unavailable = rolling.get("maxUnavailable")
    if unavailable is not None and MAX_UNAVAILABLE_STATEFUL_SET:
        up = path.child("maxUnavailable")
        errs += _int_or_percent(unavailable, up)
        if _int_or_percent_value(unavailable) == 0:
            errs.append(field.invalid(up, go_int_or_string(unavailable), "cannot be 0"))
        errs += _not_more_than_100(unavailable, up)
    return errs


def _stateful_set_update_strategy(spec: dict) -> list[FieldError]:
    strategy, path = as_dict(spec.get("updateStrategy")), SPEC.child("updateStrategy")
    kind, rolling = strategy.get("type") or "", strategy.get("rollingUpdate")
    if not kind:
        return [field.required(path)]
    if kind == "OnDelete":
        if rolling is not None:
            return [field.invalid(path.child("rollingUpdate"), _go_rolling_update_stateful_set(as_dict(rolling)),
                                  "only allowed for updateStrategy 'RollingUpdate'")]
        return []
    if kind == "RollingUpdate":
        return [] if rolling is None else _rolling_update_stateful_set(as_dict(rolling), path.child("rollingUpdate"))
    return [field.invalid(path, _go_stateful_set_strategy(strategy), "must be 'RollingUpdate' or 'OnDelete'")]


def _pvc_retention_policy(policy: Any, path: Path) -> list[FieldError]:
    """ValidatePersistentVolumeClaimRetentionPolicy: whenDeleted and whenScaled are Retain or Delete."""
    if policy is None:
        return []
    errs = []
    for key in ("whenDeleted", "whenScaled"):
        value = as_dict(policy).get(key) or ""
        if value not in PVC_RETENTION_POLICIES:
            errs.append(field.not_supported(path.child(key), value, PVC_RETENTION_POLICIES))
    return errs


def _stateful_set_spec(spec: dict) -> list[FieldError]:
    """ValidateStatefulSetSpec, in upstream's order."""
    errs = []
    policy = spec.get("podManagementPolicy") or ""
    if not policy:
        errs.append(field.required(SPEC.child("podManagementPolicy")))
    elif policy not in ("OrderedReady", "Parallel"):
        errs.append(field.invalid(SPEC.child("podManagementPolicy"), policy,
                                  "must be 'OrderedReady' or 'Parallel'"))
    errs += _stateful_set_update_strategy(spec)
    errs += _pvc_retention_policy(spec.get("persistentVolumeClaimRetentionPolicy"),
                                  SPEC.child("persistentVolumeClaimRetentionPolicy"))
    errs += nonnegative(spec.get("replicas", 0), SPEC.child("replicas"))
    errs += nonnegative(spec.get("minReadySeconds", 0), SPEC.child("minReadySeconds"))
    if spec.get("ordinals") is not None:
        errs += nonnegative(as_dict(spec["ordinals"]).get("start", 0), SPEC.child("ordinals.start"))
    if spec.get("selector") is None:
        errs.append(field.required(SPEC.child("selector")))
    else:
        errs += validate_label_selector(spec["selector"], SPEC.child("selector"))
        selector = as_dict(spec["selector"])
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            errs.append(field.invalid(SPEC.child("selector"), go_label_selector(selector),
                                      "empty selector is invalid for statefulset"))
    template, tpath = as_dict(spec.get("template")), SPEC.child("template")
    matches = _selector_matches(spec.get("selector"), template)
    if matches is None:
        errs.append(field.invalid(SPEC.child("selector"), go_label_selector(spec.get("selector")), ""))
    else:
        if not matches:
            errs.append(field.invalid(tpath.child("metadata", "labels"), _template_labels(template),
                                      SELECTOR_MISMATCH))
        meta = as_dict(template.get("metadata"))
        errs += validate_labels(meta.get("labels"), tpath.child("labels"))
        errs += validate_annotations(meta.get("annotations"), tpath.child("annotations"))
        errs += validate_pod_specific_annotations(meta.get("annotations"), tpath.child("annotations"))
    return errs + _restart_always(template, tpath, "StatefulSet")


def _apps_update(new: dict, old: dict, spec_fn) -> list[FieldError]:
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    errs += spec_fn(as_dict(new.get("spec")))
    new_sel, old_sel = as_dict(new.get("spec")).get("selector"), as_dict(old.get("spec")).get("selector")
    return errs + validate_immutable(new_sel, old_sel, SPEC.child("selector"), go_label_selector)


def validate_deployment_update(new: dict, old: dict) -> list[FieldError]:
    return _apps_update(new, old, _deployment_spec)


def validate_replica_set_update(new: dict, old: dict) -> list[FieldError]:
    return _apps_update(new, old, _replica_set_spec)


def validate_daemon_set_update(new: dict, old: dict) -> list[FieldError]:
    return _apps_update(new, old, _daemon_set_spec)


def validate_stateful_set_update(new: dict, old: dict) -> list[FieldError]:
    """Only replicas, ordinals, template, updateStrategy, PVC retention and minReadySeconds may change."""
    errs = validate_object_meta_update(new.get("metadata"), old.get("metadata"))
    ns, os_ = as_dict(new.get("spec")), as_dict(old.get("spec"))
    errs += _stateful_set_spec(ns)
    mutable = ("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
               "minReadySeconds")
    frozen_new = {k: v for k, v in ns.items() if k not in mutable}
    if frozen_new != {k: v for k, v in os_.items() if k not in mutable}:
        errs.append(field.forbidden(SPEC, STS_FORBIDDEN))
    return errs
