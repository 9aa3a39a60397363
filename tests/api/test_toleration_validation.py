"""Toleration validation (ValidateTolerations): which bad value each message carries. Only the
``Exists``-with-a-value check passes the whole core.Toleration, printed with %#v (a set
tolerationSeconds as a made-up pointer address); the other checks pass the one field."""

import pytest

from k8slearn import Cluster
from k8slearn.api.field import Path
from k8slearn.api.validation.scheduling import validate_tolerations

CP = "node-role.kubernetes.io/control-plane"
EXISTS_WITH_VALUE = "value must be empty when `operator` is 'Exists'"
CP_TOLERATION = ('core.Toleration{Key:"node-role.kubernetes.io/control-plane", Operator:"Exists", Value:"x", '
                 'Effect:"NoSchedule", TolerationSeconds:(*int64)(nil)}')


def toleration_errors(*tolerations) -> list[str]:
    return [e.error() for e in validate_tolerations(list(tolerations), Path("spec.tolerations"))]


@pytest.mark.parametrize("tolerations, expected", [
    pytest.param(
        [{"key": CP, "operator": "Exists", "value": "x", "effect": "NoSchedule"}],
        [f"spec.tolerations[0].operator: Invalid value: {CP_TOLERATION}: {EXISTS_WITH_VALUE}"],
        id="an Exists toleration with a value reports the whole toleration"),
    pytest.param(
        [{"operator": "Exists", "value": "x"}],
        ['spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"", Operator:"Exists", '
         'Value:"x", Effect:"", TolerationSeconds:(*int64)(nil)}: ' + EXISTS_WITH_VALUE],
        id="unset key and effect print as empty strings"),
    pytest.param(
        [{"key": "a", "operator": "Exists", "value": "x", "effect": "NoExecute", "tolerationSeconds": 30}],
        ['spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"a", Operator:"Exists", '
         'Value:"x", Effect:"NoExecute", TolerationSeconds:(*int64)(0xc000012a40)}: ' + EXISTS_WITH_VALUE],
        id="a set tolerationSeconds prints as a pointer address"),
    pytest.param(
        [{"key": "a", "operator": "Exists"},
         {"key": "b", "operator": "Exists", "value": "y", "effect": "NoExecute", "tolerationSeconds": 0}],
        ['spec.tolerations[1].operator: Invalid value: core.Toleration{Key:"b", Operator:"Exists", '
         'Value:"y", Effect:"NoExecute", TolerationSeconds:(*int64)(0xc000012a48)}: ' + EXISTS_WITH_VALUE],
        id="the second toleration's pointer has the next made-up address"),
    pytest.param(
        [{"key": "a", "operator": "Exists", "value": "x", "effect": "NoSchedule", "tolerationSeconds": 30}],
        ['spec.tolerations[0].effect: Invalid value: "NoSchedule": '
         "effect must be 'NoExecute' when `tolerationSeconds` is set",
         'spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"a", Operator:"Exists", '
         'Value:"x", Effect:"NoSchedule", TolerationSeconds:(*int64)(0xc000012a40)}: ' + EXISTS_WITH_VALUE],
        id="tolerationSeconds without NoExecute reports the effect alone before the whole toleration"),
    pytest.param(
        [{"key": "a", "operator": "Equal", "value": "a b"}],
        ['spec.tolerations[0].operator: Invalid value: "a b": a valid label must be an empty string or '
         "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
         "character (e.g. "
         "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
         "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
        id="an Equal toleration with a bad value still reports the value alone"),
    pytest.param(
        [{"operator": "Equal", "value": "x"}],
        ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, '
         'which means "match all values and all keys"'],
        id="a keyless Equal toleration still reports the operator alone"),
    pytest.param(
        [{"key": "a", "operator": "In", "value": "x"}],
        ['spec.tolerations[0].operator: Unsupported value: "In": supported values: "Equal", "Exists"'],
        id="an unknown operator still reports the operator alone"),
    pytest.param(
        [{"key": "a", "operator": "Exists", "effect": "Evict"}],
        ['spec.tolerations[0].effect: Unsupported value: "Evict": supported values: "NoSchedule", '
         '"PreferNoSchedule", "NoExecute"'],
        id="an unknown effect still reports the effect alone"),
    pytest.param(
        [{"key": CP, "operator": "Exists", "effect": "NoSchedule"}], [],
        id="an Exists toleration without a value is valid"),
])
def test_each_toleration_check_reports_the_bad_value_upstream_passes(tolerations, expected):
    assert toleration_errors(*tolerations) == expected


def test_applying_a_daemonset_whose_exists_toleration_has_a_value_prints_the_toleration():
    cluster = Cluster(workers=1, seed=0)
    result = cluster.kubectl("apply -f -", stdin=f"""apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
spec:
  selector:
    matchLabels: {{app: log-agent}}
  template:
    metadata:
      labels: {{app: log-agent}}
    spec:
      tolerations:
      - {{key: {CP}, operator: Exists, value: x, effect: NoSchedule}}
      containers:
      - {{name: agent, image: busybox}}
""")
    assert (result.stdout, result.stderr, result.code) == (
        "", f'The DaemonSet "log-agent" is invalid: spec.template.spec.tolerations[0].operator: '
            f"Invalid value: {CP_TOLERATION}: {EXISTS_WITH_VALUE}\n", 1)
