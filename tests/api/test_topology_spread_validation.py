"""Topology spread constraint validation (validateTopologySpreadConstraints): matchLabelKeys and
the constraint's own labelSelector, with the API server's messages and in its order."""

import pytest

from k8slearn import Cluster
from k8slearn.api.field import Path
from k8slearn.api.validation.scheduling import topology_spread_errors

PATH = "spec.topologySpreadConstraints[0]"
QUALIFIED = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
             "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
             "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")


def constraint(**extra) -> dict:
    return {"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule", **extra}


def spread_errors(c) -> list[str]:
    return [e.error() for e in topology_spread_errors([c], Path("spec.topologySpreadConstraints"))]


@pytest.mark.parametrize("c, expected", [
    pytest.param(constraint(labelSelector={"matchLabels": {"app": "web"}}, matchLabelKeys=["pod-template-hash"]),
                 [], id="a key the selector does not use is valid"),
    pytest.param(constraint(labelSelector={"matchLabels": {"app": "web"}}, matchLabelKeys=["app"]),
                 [f'{PATH}.matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector'],
                 id="a key the selector's matchLabels already use is refused"),
    pytest.param(constraint(labelSelector={"matchExpressions": [{"key": "tier", "operator": "Exists"}]},
                            matchLabelKeys=["ok", "tier"]),
                 [f'{PATH}.matchLabelKeys[1]: Invalid value: "tier": exists in both matchLabelKeys and labelSelector'],
                 id="a key the selector's matchExpressions already use is refused"),
    pytest.param(constraint(matchLabelKeys=["app"]),
                 [f"{PATH}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set"],
                 id="matchLabelKeys without a labelSelector is forbidden"),
    pytest.param(constraint(labelSelector={}, matchLabelKeys=["bad key!"]),
                 [f'{PATH}.matchLabelKeys[0]: Invalid value: "bad key!": {QUALIFIED}'],
                 id="a key that is not a label name is refused"),
    pytest.param(constraint(labelSelector={"matchExpressions": [{"key": "app", "operator": "In"}]}),
                 [f"{PATH}.labelSelector.matchExpressions[0].values: Required value: "
                  "must be specified when `operator` is 'In' or 'NotIn'"],
                 id="the constraint's labelSelector is validated like any selector"),
])
def test_topology_spread_match_label_keys_and_selector(c, expected):
    assert spread_errors(c) == expected


def test_kubectl_apply_refuses_a_spread_constraint_whose_match_label_key_is_in_the_selector():
    c = Cluster(workers=1, seed=0)
    r = c.kubectl("apply -f -", stdin="""apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  topologySpreadConstraints:
  - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule,
     labelSelector: {matchLabels: {app: web}}, matchLabelKeys: [app]}
  containers: [{name: app, image: nginx}]
""")
    assert (r.code, r.stderr.strip()) == (1, 'The Pod "web" is invalid: spec.topologySpreadConstraints[0].'
                                             'matchLabelKeys[0]: Invalid value: "app": exists in both '
                                             'matchLabelKeys and labelSelector')
    assert c.api.list("pods", "default") == []
