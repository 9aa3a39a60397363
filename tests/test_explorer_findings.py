"""Behaviour a student-explorer pass found wrong, as upstream has it (one test per finding)."""

import pytest

from k8slearn import Cluster


def test_a_node_smaller_than_the_eviction_reserve_joins_with_zero_allocatable_memory():
    c = Cluster(workers=1, seed=0)
    c.add_node(name="tiny", cpu="100m", memory="64Mi")
    c.settle()
    node = c.api.get("nodes", "tiny")
    assert node["status"]["allocatable"]["memory"] == "0"
    assert any(cond["type"] == "Ready" and cond["status"] == "True" for cond in node["status"]["conditions"])


def test_a_tolerated_noexecute_taint_schedules_one_eviction_without_a_cancelling_event():
    c = Cluster(workers=1, seed=0)
    node = next(n for n in c.node_names() if n != "control-plane")
    c.kubectl(f"taint nodes {node} dedicated=gpu:NoExecute")
    c.kubectl("apply -f -", stdin=f"""apiVersion: v1
kind: Pod
metadata: {{name: tol}}
spec:
  nodeName: {node}
  tolerations: [{{key: dedicated, operator: Equal, value: gpu, effect: NoExecute, tolerationSeconds: 20}}]
  containers: [{{name: app, image: nginx:1.27}}]
""")
    c.run(30)
    messages = [e["message"] for e in c.api.list("events", "default") if "Pod default/tol" in e["message"]]
    assert messages == ["Marking for deletion Pod default/tol"]


@pytest.mark.parametrize("constraint, errors", [
    ("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, minDomains: 2}",
     [("spec.topologySpreadConstraints[0].minDomains: Invalid value: 2: can only use minDomains if "
       "whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway")]),
    ("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, minDomains: 0}",
     ["spec.topologySpreadConstraints[0].minDomains: Invalid value: 0: must be greater than zero"]),
    ("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Maybe}",
     [('spec.topologySpreadConstraints[0].nodeTaintsPolicy: Unsupported value: "Maybe": supported values: '
       '"Honor", "Ignore"')]),
], ids=["minDomains only with DoNotSchedule", "minDomains must be positive", "a node inclusion policy is Honor or Ignore"])
def test_topology_spread_constraints_validate_min_domains_and_policies(constraint, errors):
    c = Cluster(workers=1, seed=0)
    result = c.kubectl("apply -f -", stdin="apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                                          f"  topologySpreadConstraints: [{constraint}]\n"
                                          "  containers: [{name: a, image: nginx}]\n")
    assert result.code == 1
    assert result.stderr == f'The Pod "p" is invalid: {errors[0]}\n'
