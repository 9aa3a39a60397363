"""Remembered validity: a validator wrapped in ``remember_valid`` answers exactly as the bare one."""

import pytest

from k8slearn.api.field import Path
from k8slearn.api.meta import freeze
from k8slearn.api.validation import common, pod, scheduling

SPEC = {"containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "Always",
                        "terminationMessagePolicy": "File"}],
        "restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "terminationGracePeriodSeconds": 30}

CASES = [
    (pod.validate_pod_spec, SPEC, "a valid pod spec"),
    (pod.validate_pod_spec, {**SPEC, "terminationGracePeriodSeconds": None}, "a spec without a grace period"),
    (pod.validate_pod_spec, {**SPEC, "restartPolicy": "Sometimes"}, "a spec with a bad restart policy"),
    (pod.validate_pod_spec, {**SPEC, "activeDeadlineSeconds": 5}, "a deadline that is an integer"),
    (pod.validate_pod_spec, {**SPEC, "activeDeadlineSeconds": 5.0}, "a deadline that is a float"),
    (pod.validate_pod_spec, {**SPEC, "activeDeadlineSeconds": True}, "a deadline that is a boolean"),
    (pod.validate_pod_spec, {**SPEC, "containers": tuple(SPEC["containers"])}, "containers in a tuple"),
    (pod.validate_pod_spec, freeze(SPEC), "a frozen spec (not remembered, just validated)"),
    (common.validate_labels, {"app": "web"}, "valid labels"),
    (common.validate_labels, {"app": "-web"}, "a bad label value"),
    (common.validate_labels, {1: "web"}, "a label key that is a number"),
    (common.validate_annotations, {"a": "b"}, "valid annotations"),
    (common._validate_owner_references, [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1",
                                          "uid": "u", "controller": True}], "a valid owner reference"),
    (common._validate_owner_references, [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": n, "uid": n,
                                          "controller": True} for n in ("a", "b")],
     "two owners that are both the controller"),
    (common._validate_owner_references, [{"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "u"}],
     "an Event as an owner"),
    (common._validate_owner_references, None, "no owner references"),
    (scheduling.validate_tolerations, [{"key": "k", "operator": "Exists"}], "a valid toleration"),
    (scheduling.validate_tolerations, [{"key": "k", "operator": "Maybe"}], "a bad toleration operator"),
]


def bare(validator):
    return validator.__wrapped__


def outcome(fn, value, path):
    try:
        return [e.error() for e in fn(value, path)]
    except Exception as e:  # noqa: BLE001 - a validator that raises must raise the same way twice
        return type(e).__name__


@pytest.mark.parametrize("validator, value", [c[:2] for c in CASES], ids=[c[2] for c in CASES])
def test_the_remembered_answer_is_the_bare_answer_first_and_every_time_after(validator, value):
    path = Path("spec")
    expected = outcome(bare(validator), value, path)
    assert outcome(validator, value, path) == expected
    assert outcome(validator, value, path) == expected
    assert outcome(validator, value, Path("spec.template.spec")) == outcome(bare(validator), value,
                                                                            Path("spec.template.spec"))


def with_probe_port(port):
    # defaulted as the API server does (SetDefaults_HTTPGetAction): validation requires path and scheme
    probe = {"httpGet": {"port": port, "path": "/", "scheme": "HTTP"}}
    container = {**SPEC["containers"][0], "livenessProbe": probe}
    return {**SPEC, "containers": [container]}


def test_values_equal_in_python_but_of_other_types_are_kept_apart():
    valid = with_probe_port(80)
    assert pod.validate_pod_spec(valid, Path("spec")) == []  # now remembered
    as_float = with_probe_port(80.0)
    assert as_float == valid  # equal in Python, but a float is not a port number
    expected = outcome(bare(pod.validate_pod_spec), as_float, Path("spec"))
    assert expected != [] and outcome(pod.validate_pod_spec, as_float, Path("spec")) == expected


def test_only_valid_values_are_remembered_and_the_memory_is_bounded(monkeypatch):
    remembered = common.validate_labels.remembered
    monkeypatch.setattr(remembered, "max_entries", 3)
    remembered.clear()
    common.validate_labels({"app": "-bad"}, Path("metadata.labels"))
    assert len(remembered) == 0
    for i in range(5):
        common.validate_labels({"app": f"v{i}"}, Path("metadata.labels"))
    assert len(remembered) == 3


def test_an_error_is_reported_with_the_path_of_each_call():
    bad = {"app": "-web"}
    first = common.validate_labels(bad, Path("metadata.labels"))
    second = common.validate_labels(bad, Path("spec.selector.matchLabels"))
    assert str(first[0].field) == "metadata.labels" and str(second[0].field) == "spec.selector.matchLabels"
