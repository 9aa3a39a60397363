"""StatefulSet spec validation as kube-apiserver v1.32 does it: update strategy, rolling update,
PVC retention policy, ordinals and pod management policy, with upstream's exact messages."""

import pytest
from apikit import prepared

from k8slearn import Cluster
from k8slearn.api.validation import apps, validate

ROLLING = "spec.updateStrategy.rollingUpdate"


def statefulset(**spec) -> dict:
    base = {"selector": {"matchLabels": {"app": "db"}}, "serviceName": "db",
            "template": {"metadata": {"labels": {"app": "db"}},
                         "spec": {"containers": [{"name": "db", "image": "postgres"}]}}}
    return prepared({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
                     "spec": {**base, **spec}})


def messages(obj, old=None) -> list[str]:
    return [e.error() for e in validate(obj, old)]


RETENTION = "spec.persistentVolumeClaimRetentionPolicy"
STATEFULSETS = [
    ("a StatefulSet with every policy set to a known value is accepted",
     statefulset(podManagementPolicy="Parallel", ordinals={"start": 5},
                 updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 2}},
                 persistentVolumeClaimRetentionPolicy={"whenDeleted": "Delete", "whenScaled": "Retain"}),
     []),
    ("an OnDelete update strategy without rollingUpdate is accepted",
     statefulset(updateStrategy={"type": "OnDelete"}), []),
    ("an OnDelete update strategy may not have a rollingUpdate",
     statefulset(updateStrategy={"type": "OnDelete", "rollingUpdate": {"partition": 1}}),
     [f"{ROLLING}: Invalid value: apps.RollingUpdateStatefulSetStrategy{{Partition:1, "
      "MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"]),
    ("an empty rollingUpdate under OnDelete shows partition 0",
     statefulset(updateStrategy={"type": "OnDelete", "rollingUpdate": {}}),
     [f"{ROLLING}: Invalid value: apps.RollingUpdateStatefulSetStrategy{{Partition:0, "
      "MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"]),
    ("with its feature gate off maxUnavailable is left out of the bad value, as v1.32 drops it",
     statefulset(updateStrategy={"type": "OnDelete", "rollingUpdate": {"maxUnavailable": 2}}),
     [f"{ROLLING}: Invalid value: apps.RollingUpdateStatefulSetStrategy{{Partition:0, "
      "MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"]),
    ("a negative partition is refused",
     statefulset(updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": -1}}),
     [f"{ROLLING}.partition: Invalid value: -1: must be greater than or equal to 0"]),
    ("an unknown update strategy type is refused with the whole strategy",
     statefulset(updateStrategy={"type": "Canary"}),
     ['spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Canary", '
      "RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"]),
    ("an unknown pod management policy is refused",
     statefulset(podManagementPolicy="Sometimes"),
     ["spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'"]),
    ("an unknown whenDeleted retention policy is not supported",
     statefulset(persistentVolumeClaimRetentionPolicy={"whenDeleted": "Keep"}),
     [f'{RETENTION}.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"']),
    ("an unknown whenScaled retention policy is not supported",
     statefulset(persistentVolumeClaimRetentionPolicy={"whenScaled": "Shrink"}),
     [f'{RETENTION}.whenScaled: Unsupported value: "Shrink": supported values: "Retain", "Delete"']),
    ("a negative start ordinal is refused",
     statefulset(ordinals={"start": -1}),
     ["spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0"]),
    ("a start ordinal of zero is accepted",
     statefulset(ordinals={"start": 0}), []),
    ("maxUnavailable is not checked while its feature gate is off, as in v1.32",
     statefulset(updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0}}), []),
    ("the volume claim templates are not checked in v1.32",
     statefulset(volumeClaimTemplates=[{"metadata": {"name": "Bad Name"}, "spec": {}}]), []),
    ("the errors come in upstream's order",
     statefulset(podManagementPolicy="Sometimes", ordinals={"start": -1}, replicas=-1,
                 updateStrategy={"type": "OnDelete", "rollingUpdate": {}},
                 persistentVolumeClaimRetentionPolicy={"whenDeleted": "Keep", "whenScaled": "Shrink"}),
     ["spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'",
      f"{ROLLING}: Invalid value: apps.RollingUpdateStatefulSetStrategy{{Partition:0, "
      "MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'",
      f'{RETENTION}.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
      f'{RETENTION}.whenScaled: Unsupported value: "Shrink": supported values: "Retain", "Delete"',
      "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
      "spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0"]),
]


@pytest.mark.parametrize("obj,expected", [c[1:] for c in STATEFULSETS], ids=[c[0] for c in STATEFULSETS])
def test_statefulset_spec_validation(obj, expected):
    assert messages(obj) == expected


MAX_UNAVAILABLE = [
    ("with the feature gate on a maxUnavailable of 0 is refused", 0,
     [f'{ROLLING}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}: cannot be 0']),
    ("with the feature gate on a negative maxUnavailable is refused", -1,
     [f"{ROLLING}.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"]),
    ("with the feature gate on a maxUnavailable above 100 percent is refused", "150%",
     [f'{ROLLING}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:"150%"}}: '
      "must not be greater than 100%"]),
    ("with the feature gate on a maxUnavailable of 0 percent is refused", "0%",
     [f'{ROLLING}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:"0%"}}: cannot be 0']),
    ("with the feature gate on a maxUnavailable of 2 is accepted", 2, []),
]


@pytest.mark.parametrize("value,expected", [c[1:] for c in MAX_UNAVAILABLE], ids=[c[0] for c in MAX_UNAVAILABLE])
def test_max_unavailable_behind_its_feature_gate(monkeypatch, value, expected):
    monkeypatch.setattr(apps, "MAX_UNAVAILABLE_STATEFUL_SET", True)
    obj = statefulset(updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": value}})
    assert messages(obj) == expected


def test_an_update_may_change_ordinals_but_they_are_still_checked():
    old = statefulset(ordinals={"start": 1})
    assert messages(statefulset(ordinals={"start": 3}), old) == []
    assert messages(statefulset(ordinals={"start": -3}), old) == [
        "spec.ordinals.start: Invalid value: -3: must be greater than or equal to 0"]


STS_YAML = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
{spec}
  selector:
    matchLabels: {{app: db}}
  template:
    metadata:
      labels: {{app: db}}
    spec:
      containers:
      - name: db
        image: postgres
"""


def test_the_api_server_refuses_the_statefulset():
    cluster = Cluster(workers=1, seed=0)
    spec = ("  ordinals:\n    start: -2\n  updateStrategy:\n    type: OnDelete\n    rollingUpdate:\n"
            "      partition: 1")
    result = cluster.kubectl("apply -f -", stdin=STS_YAML.format(spec=spec))
    assert (result.stdout, result.stderr, result.code) == (
        "", 'The StatefulSet "db" is invalid: \n'
        f"* {ROLLING}: Invalid value: apps.RollingUpdateStatefulSetStrategy{{Partition:1, "
        "MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'\n"
        "* spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0\n", 1)
    result = cluster.kubectl("apply -f -", stdin=STS_YAML.format(spec="  podManagementPolicy: Parallel"))
    assert (result.stdout, result.stderr, result.code) == ("statefulset.apps/db created\n", "", 0)


MAX_UNAVAILABLE_STORED = [
    ("a new StatefulSet's maxUnavailable is dropped while the feature gate is off",
     False, None, {"partition": 0, "maxUnavailable": 2}, {"partition": 0}),
    ("an update may not add a maxUnavailable while the feature gate is off",
     False, {"partition": 0}, {"partition": 1, "maxUnavailable": 2}, {"partition": 1}),
    ("an update keeps the maxUnavailable the stored StatefulSet already has",
     False, {"partition": 0, "maxUnavailable": 2}, {"partition": 0, "maxUnavailable": 3},
     {"partition": 0, "maxUnavailable": 3}),
    ("with the feature gate on a new StatefulSet keeps its maxUnavailable",
     True, None, {"partition": 0, "maxUnavailable": 2}, {"partition": 0, "maxUnavailable": 2}),
]


@pytest.mark.parametrize("gate,old_rolling,new_rolling,stored", [c[1:] for c in MAX_UNAVAILABLE_STORED],
                         ids=[c[0] for c in MAX_UNAVAILABLE_STORED])
def test_the_strategy_drops_max_unavailable_behind_its_feature_gate(monkeypatch, gate, old_rolling,
                                                                     new_rolling, stored):
    from k8slearn.apiserver.strategy import strategy_for

    monkeypatch.setattr(apps, "MAX_UNAVAILABLE_STATEFUL_SET", gate)
    new = statefulset(updateStrategy={"type": "RollingUpdate", "rollingUpdate": dict(new_rolling)})
    if old_rolling is None:
        strategy_for("statefulsets").prepare_for_create(new)
    else:
        old = statefulset(updateStrategy={"type": "RollingUpdate", "rollingUpdate": dict(old_rolling)})
        old["metadata"]["generation"] = 1
        strategy_for("statefulsets").prepare_for_update(new, old)
    assert new["spec"]["updateStrategy"]["rollingUpdate"] == stored


def test_kubectl_apply_stores_no_max_unavailable_in_v1_32():
    cluster = Cluster(workers=1, seed=0)
    spec = "  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 2"
    assert cluster.kubectl("apply -f -", stdin=STS_YAML.format(spec=spec)).code == 0
    stored = cluster.api.get("statefulsets", "db", "default")
    assert stored["spec"]["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
