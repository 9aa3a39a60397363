"""PodDisruptionBudget validation: one limit, a number or a percentage up to 100%, a valid selector."""

import pytest

from k8slearn.api.validation import validate


def pdb(**spec):
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, **spec}}


@pytest.mark.parametrize("spec, errors", [
    ({"minAvailable": 2}, []),
    ({"maxUnavailable": "25%"}, []),
    ({"minAvailable": 1, "maxUnavailable": 1},
     ["spec: Invalid value: policy.PodDisruptionBudgetSpec{...}: minAvailable and maxUnavailable cannot be both set"]),
    ({"minAvailable": "120%"}, ['spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%']),
    ({"maxUnavailable": -1}, ["spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"]),
    ({"minAvailable": "half"},
     ['spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"half"}: '
      "a valid percent string must be a numeric string followed by an ending "
      "'%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]),
    ({"minAvailable": 1, "unhealthyPodEvictionPolicy": "Sometimes"},
     ['spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", '
      '"IfHealthyBudget"']),
    ({"minAvailable": 1, "selector": {"matchExpressions": [{"key": "app", "operator": "In"}]}},
     ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or "
      "'NotIn'"]),
], ids=[
    "an integer minAvailable is valid",
    "a percentage maxUnavailable is valid",
    "minAvailable and maxUnavailable together are refused",
    "a percentage over 100% is refused",
    "a negative number is refused",
    "a string that is not a percentage is refused",
    "an unknown unhealthy pod eviction policy is refused",
    "a selector expression without values is refused",
])
def test_pod_disruption_budget_validation(spec, errors):
    body = pdb(**spec)
    if "selector" in spec:
        body["spec"]["selector"] = spec["selector"]
    assert [e.error() for e in validate(body)] == errors


def test_a_status_update_may_not_make_a_count_negative():
    old = pdb(minAvailable=1)
    new = pdb(minAvailable=1)
    new["status"] = {"disruptionsAllowed": -1, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}
    assert [e.error() for e in validate(new, old, "status")] == [
        "status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0"]
