"""The disruption controller keeps PodDisruptionBudget status true; evictions use it up."""

import pytest

from k8slearn import Cluster
from k8slearn.api.errors import ApiError
from k8slearn.api.meta import parse_timestamp, timestamp
from k8slearn.controllers.disruption import (
    desired_healthy,
    disruptions_allowed,
    non_terminating_pod_has_stale_disruption_condition,
    scaled,
)


def budget(name="web", selector=None, **spec):
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": selector or {"app": "web"}}, **spec}}


def cluster_with(replicas=4, **spec):
    c = Cluster(workers=3, seed=1)
    c.kubectl(f"create deployment web --image=nginx --replicas={replicas}")
    c.api.create(budget(**spec))
    c.settle()
    return c


def counts(c, name="web"):
    s = c.api.get("poddisruptionbudgets", name)["status"]
    return s["expectedPods"], s["desiredHealthy"], s["currentHealthy"], s["disruptionsAllowed"]


@pytest.mark.parametrize("value, total, expected", [
    (2, 10, 2), ("50%", 3, 2), ("25%", 4, 1), ("0%", 5, 0), ("100%", 3, 3),
], ids=["an integer is itself", "a percentage rounds up", "25% of 4 is 1", "0% is 0", "100% is all"])
def test_scaled_values_round_up(value, total, expected):
    assert scaled(value, total) == expected


@pytest.mark.parametrize("spec, expected, desired", [
    ({"minAvailable": 3}, 4, 3), ({"maxUnavailable": 1}, 4, 3), ({"maxUnavailable": "50%"}, 3, 1),
    ({"maxUnavailable": 9}, 4, 0),
], ids=["minAvailable is the desired count", "maxUnavailable is taken from the expected count",
        "a percentage of maxUnavailable rounds up, so fewer must stay", "desired never goes below zero"])
def test_desired_healthy(spec, expected, desired):
    assert desired_healthy(spec, expected) == desired


@pytest.mark.parametrize("current, desired, expected, allowed", [
    (4, 3, 4, 1), (3, 3, 4, 0), (2, 3, 4, 0), (4, 3, 0, 0),
], ids=["one more healthy pod than desired allows one disruption", "exactly the desired count allows none",
        "fewer than desired allows none, never a negative number", "nothing expected allows nothing"])
def test_disruptions_allowed(current, desired, expected, allowed):
    assert disruptions_allowed(current, desired, expected) == allowed


@pytest.mark.parametrize("spec, want", [
    ({"minAvailable": 3}, (4, 3, 4, 1)),
    ({"minAvailable": "50%"}, (4, 2, 4, 2)),
    ({"maxUnavailable": 1}, (4, 3, 4, 1)),
    ({"maxUnavailable": 0}, (4, 4, 4, 0)),
], ids=["an integer minAvailable counts the matching pods",
        "a percentage is of the Deployment's replicas",
        "maxUnavailable is of the Deployment's replicas",
        "maxUnavailable 0 allows no disruption at all"])
def test_status_counts_of_a_running_deployment(spec, want):
    c = cluster_with(**spec)
    assert counts(c) == want
    status = c.api.get("poddisruptionbudgets", "web")["status"]
    assert status["observedGeneration"] == 1
    assert [(x["type"], x["status"], x["reason"]) for x in status["conditions"]] == [
        ("DisruptionAllowed", "True" if want[3] else "False", "SufficientPods" if want[3] else "InsufficientPods")]


def test_a_budget_that_matches_no_pods_says_so_and_allows_nothing():
    c = Cluster(workers=1, seed=1)
    c.api.create(budget(minAvailable=1))
    c.settle()
    assert counts(c) == (0, 1, 0, 0)
    assert [e["reason"] for e in c.api.list("events") if e["involvedObject"]["kind"] == "PodDisruptionBudget"] \
        == ["NoPods"]


def test_scaling_the_deployment_moves_the_expected_count():
    c = cluster_with(maxUnavailable=1)
    c.kubectl("scale deployment web --replicas=6")
    c.settle()
    assert counts(c) == (6, 5, 6, 1)


def test_an_eviction_uses_up_the_budget_until_the_replacement_is_ready():
    c = cluster_with(minAvailable=3)
    victims = sorted(p["metadata"]["name"] for p in c.api.list("pods", "default"))
    c.api.evict(victims[0], "default")
    status = c.api.get("poddisruptionbudgets", "web")["status"]
    assert status["disruptionsAllowed"] == 0 and list(status["disruptedPods"]) == [victims[0]]
    with pytest.raises(ApiError) as refused:
        c.api.evict(victims[1], "default")
    assert (refused.value.code, refused.value.message) == (429, "Cannot evict pod as it would violate the pod's "
                                                               "disruption budget.")
    assert refused.value.status["details"] == {"causes": [{
        "reason": "DisruptionBudget", "message": "The disruption budget web needs 3 healthy pods and has 4 currently"}]}
    c.settle()  # the evicted pod goes, a replacement becomes Ready
    assert counts(c) == (4, 3, 4, 1)
    assert "disruptedPods" not in c.api.get("poddisruptionbudgets", "web")["status"]
    c.api.evict(victims[1], "default")


def test_a_pod_stuck_terminating_on_a_dead_node_leaves_disrupted_pods_but_never_counts_as_healthy():
    c = cluster_with(minAvailable=3)
    pod = next(p for p in c.api.list("pods", "default") if p["spec"]["nodeName"] == "node-1")
    name = pod["metadata"]["name"]
    c.stop_node("node-1")  # its kubelet cannot finish the pod
    c.api.evict(name, "default")
    assert list(c.api.get("poddisruptionbudgets", "web")["status"]["disruptedPods"]) == [name]
    c.run(5)
    stuck = c.api.get("pods", name, "default")
    assert stuck["metadata"]["deletionTimestamp"]  # Terminating for good: it counts neither way
    assert "disruptedPods" not in c.api.get("poddisruptionbudgets", "web")["status"]
    # an integer minAvailable expects every matching pod (the stuck one and its replacement, which the
    # scheduler put on node-1 before anyone noticed the node was gone): 3 healthy, none may go
    assert counts(c) == (5, 3, 3, 0)


@pytest.mark.parametrize("prepare, code, message", [
    (lambda c: c.api.create(budget("web-2", minAvailable=1)), 500,
     "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."),
], ids=["a pod covered by two budgets cannot be evicted"])
def test_refused_evictions_leave_the_pod_alone(prepare, code, message):
    c = cluster_with(minAvailable=1)
    prepare(c)
    c.settle()
    name = sorted(p["metadata"]["name"] for p in c.api.list("pods", "default"))[0]
    with pytest.raises(ApiError) as refused:
        c.api.evict(name, "default")
    assert (refused.value.code, refused.value.message) == (code, message)
    assert "deletionTimestamp" not in c.api.get("pods", name, "default")["metadata"]


def test_a_budget_not_yet_processed_refuses_evictions():
    c = cluster_with(minAvailable=1)
    pdb = c.api.get("poddisruptionbudgets", "web")
    pdb["spec"]["minAvailable"] = 2
    c.api.update(pdb)  # generation 2; the controller has not run yet
    name = sorted(p["metadata"]["name"] for p in c.api.list("pods", "default"))[0]
    with pytest.raises(ApiError) as refused:
        c.api.evict(name, "default")
    # createTooManyRequestsError: the message is the usual one (all kubectl prints); the cause says why
    assert (refused.value.code, refused.value.message) == (
        429, "Cannot evict pod as it would violate the pod's disruption budget.")
    assert refused.value.status["details"] == {
        "causes": [{"reason": "DisruptionBudget",
                    "message": "The disruption budget web is still being processed by the server."}],
        "retryAfterSeconds": 10}


def test_a_pending_pod_is_evicted_whatever_the_budget():
    c = Cluster(workers=1, seed=1)
    c.kubectl("create deployment web --image=nginx --replicas=2")
    c.api.create(budget(maxUnavailable=0))
    c.kubectl("cordon node-1")
    c.settle()
    c.kubectl("scale deployment web --replicas=3")
    c.settle()
    pending = next(p for p in c.api.list("pods", "default") if p["status"]["phase"] == "Pending")
    assert c.api.evict(pending["metadata"]["name"], "default")["status"] == "Success"


def disruption_target(status="True", reason="EvictionByEvictionAPI", at="2026-01-05T09:00:00Z"):
    return {"type": "DisruptionTarget", "status": status, "reason": reason, "message": "Eviction API: evicting",
            "lastTransitionTime": at}


def with_condition(condition, phase="Running", deleting=False):
    meta = {"deletionTimestamp": "2026-01-05T09:00:30Z"} if deleting else {}
    return {"metadata": meta, "status": {"phase": phase, "conditions": [condition] if condition else []}}


T0 = parse_timestamp("2026-01-05T09:00:00Z")


@pytest.mark.parametrize("pod, now, expected", [
    (with_condition(disruption_target()), T0 + 30, (True, 90.0)),
    (with_condition(disruption_target()), T0 + 120, (True, 0.0)),
    (with_condition(disruption_target()), T0 + 500, (True, 0.0)),
    (with_condition(disruption_target(at=None)), T0, (True, 0.0)),
    (with_condition(None), T0 + 500, (False, 0)),
    (with_condition(disruption_target(status="False")), T0 + 500, (False, 0)),
    (with_condition(disruption_target(reason="TerminationByKubelet")), T0 + 500, (False, 0)),
    (with_condition(disruption_target(), phase="Succeeded"), T0 + 500, (False, 0)),
    (with_condition(disruption_target(), phase="Failed"), T0 + 500, (False, 0)),
    (with_condition(disruption_target(), deleting=True), T0 + 500, (False, 0)),
], ids=[
    "a fresh condition has the rest of the two minutes to go",
    "after exactly two minutes it is stale",
    "a long-forgotten condition is stale at once",
    "a condition without a transition time counts from the zero time, so it is stale",
    "a pod without the condition has nothing to clean",
    "a condition already False is not stale",
    "a condition the kubelet set is never stale",
    "a pod that succeeded keeps its condition",
    "a pod that failed keeps its condition",
    "a pod being deleted is doing what the condition announced",
])
def test_non_terminating_pod_has_stale_disruption_condition(pod, now, expected):
    assert non_terminating_pod_has_stale_disruption_condition(pod, now) == expected


def test_a_disruption_target_condition_left_without_a_delete_is_reset_to_false_after_two_minutes():
    c = cluster_with(replicas=1)
    name = c.api.list("pods", "default")[0]["metadata"]["name"]
    set_at = timestamp(c.now)
    c.api.patch("pods", name, {"status": {"conditions": [disruption_target(at=set_at)]}}, "default",
                subresource="status")

    def condition():
        pod = c.api.get("pods", name, "default")
        return next(x for x in pod["status"]["conditions"] if x["type"] == "DisruptionTarget")

    c.run(115)
    assert (condition()["status"], condition()["lastTransitionTime"]) == ("True", set_at)
    c.run(10)
    reset = condition()
    assert (reset["status"], reset["reason"], reset["message"]) == ("False", "EvictionByEvictionAPI",
                                                                    "Eviction API: evicting")
    assert parse_timestamp(reset["lastTransitionTime"]) - parse_timestamp(set_at) in (120, 121)
    assert "Reset stale DisruptionTarget condition to False" in c.loop.trace_text()


def test_a_pod_that_two_budgets_select_gets_a_warning_naming_the_one_chosen():
    c = cluster_with(replicas=1, minAvailable=1)
    c.api.create(budget(name="web-too", maxUnavailable=1))
    name = c.api.list("pods", "default")[0]["metadata"]["name"]
    c.kubectl(f"label pod {name} touched=yes")
    c.settle()
    warnings = [e["message"] for e in c.api.list("events", "default")
                if e["reason"] == "MultiplePodDisruptionBudgets" and e["involvedObject"]["name"] == name]
    assert warnings == [f'Pod "default"/"{name}" matches multiple PodDisruptionBudgets.  Chose "web" arbitrarily.']
    assert counts(c, "web-too") == (1, 0, 1, 1)  # each budget is still kept up to date by its own sync


LOGS = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logs}
spec:
  selector: {matchLabels: {app: logs}}
  template:
    metadata: {labels: {app: logs}}
    spec:
      containers: [{name: agent, image: busybox, command: [sleep, "3600"]}]
"""


def daemonset_with_budget(**spec):
    """Three workers running a DaemonSet's pods, then a budget over them."""
    c = Cluster(workers=3, seed=1)
    c.kubectl("apply -f -", stdin=LOGS)
    c.settle()
    c.api.create(budget("logs", selector={"app": "logs"}, **spec))
    c.settle()
    return c


@pytest.mark.parametrize("spec", [{"maxUnavailable": 1}, {"minAvailable": "50%"}],
                         ids=["maxUnavailable over a DaemonSet's pods cannot be worked out",
                              "a percentage over a DaemonSet's pods cannot be worked out"])
def test_a_budget_whose_pods_have_no_scale_fails_safe(spec):
    c = daemonset_with_budget(**spec)
    pdb = c.api.get("poddisruptionbudgets", "logs")
    # failSafe: nothing may go, and the condition says why; the counts were never worked out
    assert pdb["status"] == {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0,
                             "conditions": [{"type": "DisruptionAllowed", "status": "False",
                                             "lastTransitionTime": pdb["status"]["conditions"][0]["lastTransitionTime"],
                                             "reason": "SyncFailed",
                                             "message": "daemonsets.apps does not implement the scale subresource"}]}
    events = [e for e in c.api.list("events", "default") if e["involvedObject"]["kind"] == "PodDisruptionBudget"]
    assert {(e["type"], e["reason"], e["message"]) for e in events} == {
        ("Warning", "CalculateExpectedPodCountFailed",
         "Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource")}
    pod = c.api.list("pods", "default")[0]["metadata"]["name"]
    with pytest.raises(ApiError) as refused:  # observedGeneration is still 0: "still being processed"
        c.api.evict(pod, "default")
    assert (refused.value.code, refused.value.message) == (
        429, "Cannot evict pod as it would violate the pod's disruption budget.")


def test_an_integer_min_available_over_a_daemonsets_pods_counts_them():
    c = daemonset_with_budget(minAvailable=2)
    assert counts(c, "logs") == (3, 2, 3, 1)
    assert c.api.get("poddisruptionbudgets", "logs")["status"]["conditions"][0]["reason"] == "SufficientPods"


def test_a_budget_that_recovers_from_a_failed_sync_says_so():
    c = daemonset_with_budget(maxUnavailable=1)
    pdb = c.api.get("poddisruptionbudgets", "logs")
    pdb["spec"] = {"selector": pdb["spec"]["selector"], "minAvailable": 1}
    c.api.update(pdb)
    c.settle()
    status = c.api.get("poddisruptionbudgets", "logs")["status"]
    assert counts(c, "logs") == (3, 1, 3, 2)
    assert (status["observedGeneration"], status["conditions"][0]["reason"], status["conditions"][0]["message"]) \
        == (2, "SufficientPods", "")


def test_a_budget_with_neither_limit_expects_nothing():
    c = cluster_with(replicas=2)
    assert counts(c) == (0, 0, 2, 0)


@pytest.mark.parametrize("status, message", [
    ({"disruptionsAllowed": -1}, 'poddisruptionbudget.policy "web" is forbidden: pdb disruptions allowed is negative'),
    ({"disruptionsAllowed": 1, "disruptedPods": {f"p{i}": "2026-01-05T09:00:00Z" for i in range(2001)}},
     'poddisruptionbudget.policy "web" is forbidden: DisruptedPods map too big - too many evictions not confirmed '
     "by PDB controller"),
], ids=["a negative count is forbidden, naming the resource in the singular as upstream does",
        "too many unconfirmed evictions are forbidden"])
def test_a_budget_in_a_broken_state_forbids_evictions(status, message):
    from k8slearn.apiserver.eviction import check_and_decrement

    pdb = {"metadata": {"name": "web", "generation": 1}, "status": {"observedGeneration": 1, **status}}
    with pytest.raises(ApiError) as refused:
        check_and_decrement(pdb, "web-1", "2026-01-05T09:00:00Z")
    assert (refused.value.code, refused.value.message) == (403, message)
    assert refused.value.status["details"] == {"name": "web", "group": "policy", "kind": "poddisruptionbudget"}
