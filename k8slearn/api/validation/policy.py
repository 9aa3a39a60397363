"""policy/v1 validation: PodDisruptionBudget.

A budget names its pods with a label selector and says how many of them must stay (``minAvailable``)
or may be missing (``maxUnavailable``): one of the two, a number or a percentage up to 100%.

>>> pdb = {"metadata": {"name": "web", "namespace": "default"},
...        "spec": {"minAvailable": "120%", "selector": {"matchLabels": {"app": "web"}}}}
>>> [e.error() for e in validate_pod_disruption_budget(pdb)]
['spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%']

Simplified: when both ``minAvailable`` and ``maxUnavailable`` are set, the bad value is shown as
``policy.PodDisruptionBudgetSpec{...}`` instead of Go's full struct dump (which holds pointers).

Upstream: pkg/apis/policy/validation/validation.go (ValidatePodDisruptionBudget,
ValidatePodDisruptionBudgetSpec, ValidatePodDisruptionBudgetStatusUpdate)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api import field
from k8slearn.api.field import FieldError, GoValue, Path
from k8slearn.api.names import name_is_dns_subdomain
from k8slearn.api.validation.apps import _int_or_percent, _not_more_than_100
from k8slearn.api.validation.common import (
    as_dict,
    nonnegative,
    validate_label_selector,
    validate_object_meta,
    validate_object_meta_update,
)

SPEC = Path("spec")
UNHEALTHY_POD_EVICTION_POLICIES = ["AlwaysAllow", "IfHealthyBudget"]


def validate_pod_disruption_budget_spec(spec: Any, path: Path = SPEC) -> list[FieldError]:
    spec = as_dict(spec)
    errs: list[FieldError] = []
    min_available, max_unavailable = spec.get("minAvailable"), spec.get("maxUnavailable")
    if min_available is not None and max_unavailable is not None:
        errs.append(field.invalid(path, GoValue("policy.PodDisruptionBudgetSpec{...}"),
                                  "minAvailable and maxUnavailable cannot be both set"))
    for name, value in (("minAvailable", min_available), ("maxUnavailable", max_unavailable)):
        if value is not None:
            errs += _int_or_percent(value, path.child(name)) + _not_more_than_100(value, path.child(name))
    errs += validate_label_selector(spec.get("selector"), path.child("selector"))
    policy = spec.get("unhealthyPodEvictionPolicy")
    if policy is not None and policy not in UNHEALTHY_POD_EVICTION_POLICIES:
        errs.append(field.not_supported(path.child("unhealthyPodEvictionPolicy"), policy,
                                        UNHEALTHY_POD_EVICTION_POLICIES))
    return errs


def validate_pod_disruption_budget(pdb: dict) -> list[FieldError]:
    return (validate_object_meta(pdb.get("metadata"), name_is_dns_subdomain)
            + validate_pod_disruption_budget_spec(pdb.get("spec")))


def validate_pod_disruption_budget_update(new: dict, old: dict) -> list[FieldError]:
    return (validate_object_meta_update(new.get("metadata"), old.get("metadata"))
            + validate_pod_disruption_budget_spec(new.get("spec")))


def validate_pod_disruption_budget_status(status: Any, path: Path = Path("status")) -> list[FieldError]:
    """The counts a status update may not make negative."""
    status = as_dict(status)
    errs: list[FieldError] = []
    for name in ("disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"):
        errs += nonnegative(status.get(name, 0), path.child(name))
    return errs
