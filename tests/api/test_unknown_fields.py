"""Unknown fields: the fields a kind's Go type does not have, found by the v1.32 type table."""

import pytest

from k8slearn import Cluster
from k8slearn.api.resources import RESOURCES
from k8slearn.api.validation.unknown_fields import type_error, unknown_fields

CASES = [
    ({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": 1, "replica": 2}}, ["spec.replica"],
     "a misspelled field of a spec"),
    ({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a"}, {"name": "b", "imge": "x"}]}},
     ["spec.containers[1].imge"], "a list element's field is numbered"),
    ({"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"anything": "goes"}, "annotations": {"x/y": "z"}}},
     [], "the keys of a map are no fields"),
    ({"apiVersion": "apps/v1", "kind": "ControllerRevision", "data": {"whatever": {"deep": 1}}}, [],
     "a RawExtension holds any JSON"),
    ({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": 1}}}]},
      "zzz": 1, "aaa": 2}, ["aaa", "zzz"], "unknown fields come in sorted order, as kubectl's JSON has them"),
    ({"apiVersion": "example.com/v1", "kind": "Widget", "spec": {"x": 1}}, [], "a kind the table does not know"),
]


@pytest.mark.parametrize("obj, expected", [c[:2] for c in CASES], ids=[c[2] for c in CASES])
def test_unknown_fields_are_found_where_the_go_types_have_none(obj, expected):
    assert unknown_fields(obj) == expected


def test_the_simulations_own_objects_have_only_fields_and_values_of_the_v1_32_types():
    """Whatever the components write (status, conditions, events, leases, endpoints) must pass a
    strict decode: a field the table lacks, or a value of another type, would make a kubectl
    replace of an object read back fail."""
    c = Cluster(workers=2, seed=0)
    c.kubectl("create deployment web --image=nginx --replicas=3")
    c.kubectl("expose deployment web --port=80")
    c.kubectl("create job once --image=busybox -- echo hi")
    c.kubectl("create cronjob every --image=busybox --schedule='*/1 * * * *' -- echo hi")
    c.kubectl("run crash --image=busybox -- sh -c 'exit 1'")
    c.kubectl("create poddisruptionbudget pdb --selector=app=web --min-available=1")
    c.settle()
    c.run(130)
    c.kubectl("drain node-2 --ignore-daemonsets --delete-emptydir-data --force")
    c.run(30)
    found = {}
    for info in {i.plural: i for i in RESOURCES.values()}.values():
        for obj in c.api.list(info.plural, None):
            body = {"apiVersion": info.api_version, "kind": info.kind, **obj}
            problems = unknown_fields(body) + [type_error(body) or ""]
            if any(problems):
                found[f"{info.plural}/{obj['metadata']['name']}"] = [p for p in problems if p]
    assert found == {}
