"""Strategies build the new object from the request's own copies without copying them, and change neither."""

import copy

import pytest

from k8slearn.apiserver.strategy import strategy_for

OLD = {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": "web", "resourceVersion": "7", "annotations": {"a": "1"},
                    "labels": {"app": "web"}},
       "spec": {"nodeName": "n1", "containers": [{"name": "c", "image": "nginx"}]},
       "status": {"phase": "Pending", "qosClass": "BestEffort"}}

STATUS_CASES = [
    ("pods", {"metadata": {"resourceVersion": "7"}, "status": {"phase": "Running"}},
     {**OLD, "status": {"phase": "Running", "qosClass": "BestEffort"}},
     "a pod's new status is kept and its qosClass carried over"),
    ("pods", {"metadata": {"resourceVersion": "7", "annotations": {}}, "spec": {"nodeName": "x"}},
     {**OLD, "metadata": {k: v for k, v in OLD["metadata"].items() if k != "annotations"},
      "status": {"qosClass": "BestEffort"}},
     "empty annotations clear them and a missing status keeps only the qosClass"),
    ("configmaps", {"metadata": {"resourceVersion": "7"}}, {k: v for k, v in OLD.items() if k != "status"},
     "a kind without qosClass loses a status the request leaves out"),
    ("deployments",
     {"metadata": {"resourceVersion": "3", "annotations": {"b": "2"}}, "status": {"replicas": 1}},
     {**OLD, "metadata": {**OLD["metadata"], "resourceVersion": "3", "annotations": {"b": "2"}},
      "status": {"replicas": 1}},
     "annotations written through /status replace the stored ones"),
]


@pytest.mark.parametrize("resource, new, expected", [c[:3] for c in STATUS_CASES],
                         ids=[c[3] for c in STATUS_CASES])
def test_a_status_update_keeps_the_stored_object_and_takes_status_without_changing_its_inputs(
        resource, new, expected):
    old, new = copy.deepcopy(OLD), copy.deepcopy(new)
    old_before, new_before = copy.deepcopy(old), copy.deepcopy(new)
    result = strategy_for(resource).prepare_for_status_update(new, old)
    assert result == expected
    assert (old, new) == (old_before, new_before)
    assert result is not old and result["metadata"] is not old["metadata"]
    result["metadata"]["resourceVersion"] = "99"  # the registry writes here: old must not see it
    assert old["metadata"]["resourceVersion"] == "7"


def test_an_update_of_the_main_resource_takes_the_stored_status():
    old, new = copy.deepcopy(OLD), {**copy.deepcopy(OLD), "status": {"phase": "Failed"}}
    strategy_for("pods").prepare_for_update(new, old)
    assert new["status"] == OLD["status"] and old == OLD
