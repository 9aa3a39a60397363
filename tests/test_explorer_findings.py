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


@pytest.mark.parametrize("seconds, error", [
    (float("inf"), ValueError), (float("nan"), ValueError), (-5, ValueError), ("10", TypeError),
], ids=["forever would never return", "not a number", "time does not run backwards", "a string is not seconds"])
def test_run_refuses_a_duration_it_cannot_advance_by(seconds, error):
    c = Cluster(workers=1, seed=0)
    with pytest.raises(error, match="seconds"):
        c.run(seconds)


def test_record_rollout_refuses_a_step_that_would_never_end():
    from k8slearn.viz.controllers_view import record_rollout

    c = Cluster(workers=1, seed=0)
    c.kubectl("create deployment d --image=nginx:1.27 --replicas=2")
    c.settle()
    with pytest.raises(ValueError, match="step must be a number of seconds greater than 0"):
        record_rollout(c, "d", image="nginx:1.28", step=0)


def test_replace_with_a_stale_resource_version_is_the_server_s_conflict():
    c = Cluster(workers=1, seed=0)
    c.kubectl("create configmap cm --from-literal=a=1")
    stale = c.kubectl("replace -f -", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, resourceVersion: '2'}\n"
                                          "data: {a: '2'}")
    assert (stale.stdout, stale.code) == ("", 1)
    assert stale.stderr == ('Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled '
                            'on configmaps "cm": the object has been modified; please apply your changes to the latest '
                            'version and try again\n')
    assert c.api.get("configmaps", "cm")["data"] == {"a": "1"}
    fresh = c.kubectl("replace -f -", stdin="apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: '3'}")
    assert fresh.stdout == "configmap/cm replaced\n"


def test_course_checks_report_a_missing_pod_or_a_wrong_answer_as_failing_checks():
    from k8slearn.course import labels_lab, pod_flow

    c = Cluster(workers=1, seed=0)
    for result in (pod_flow.verify(c, "zzz"), labels_lab.verify(c, "zzz"), pod_flow.check_order(None, c.trace),
                   pod_flow.check_order(["x", 5], c.trace)):
        assert str(result).startswith("✘ 0/1 checks pass")


def test_quiz_questions_are_numbered_from_zero_and_answers_must_be_options():
    from k8slearn.course import MultipleChoice, Quiz

    with pytest.raises(ValueError, match="not the index of an option"):
        MultipleChoice("q", ["a", "b"], answer=5)
    quiz = Quiz([MultipleChoice("q", ["a", "b"], answer=0)])
    with pytest.raises(IndexError, match="there is no question -1"):
        quiz.choose(-1, "a")
    with pytest.raises(IndexError, match="numbered 0 to 0"):
        quiz.feedback(7)
