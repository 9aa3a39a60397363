"""The component through a real API server: binding, events, conditions, profiles, explain."""

import pytest
from scheduler_builders import MiniCluster, pod, taint

from k8slearn.scheduler import Profile
from k8slearn.scheduler.queue import UNSCHEDULABLE_PODS


def test_a_pod_is_bound_with_a_scheduled_event_and_a_true_pod_scheduled_condition():
    c = MiniCluster(control_plane=True, workers=2)
    c.create(pod("web", cpu="100m"))
    c.settle()
    host = c.node_of("web")
    assert host in ("node-1", "node-2")
    assert c.events("web") == [("Normal", "Scheduled", f"Successfully assigned default/web to {host}")]
    event = c.api.list("events")[0]
    assert (event["source"], event["action"], event["reportingComponent"]) == ({}, "Binding", "default-scheduler")
    assert c.condition("web")["status"] == "True"


def test_every_decision_is_in_the_trace():
    c = MiniCluster(control_plane=True, workers=2)
    c.create(pod("web", cpu="100m"))
    c.settle()
    (schedule,) = c.scheduler_steps("schedule")
    assert schedule.object == "pod/default/web"
    assert schedule.detail.startswith("filtered 3 nodes: 2 feasible; scored node-")
    assert schedule.detail.endswith(f"picked {c.node_of('web')}")
    (bind,) = c.scheduler_steps("bind")
    assert (bind.object, bind.detail) == ("pod/default/web", c.node_of("web"))


def test_the_scheduler_keeps_other_conditions_when_it_marks_a_pod_unschedulable():
    c = MiniCluster(workers=1)
    created = c.create(pod("web", cpu="9"))
    c.settle()
    types = [cond["type"] for cond in c.api.get("pods", "web")["status"]["conditions"]]
    before = [cond["type"] for cond in created.get("status", {}).get("conditions", [])]
    assert types == before + ["PodScheduled"]


def test_later_pods_see_the_resources_of_earlier_ones_before_any_binding_comes_back():
    c = MiniCluster(workers=2)
    for i in range(4):
        c.create(pod(f"web-{i}", cpu="900m"))
    c.settle()
    assert sorted(c.node_of(f"web-{i}") for i in range(4)) == ["node-1", "node-1", "node-2", "node-2"]


def test_pods_for_another_scheduler_are_left_alone_and_explained():
    c = MiniCluster(workers=1)
    c.create(pod("custom", scheduler_name="my-scheduler"))
    c.settle()
    assert c.node_of("custom") == "" and c.events("custom") == []
    assert "asks for scheduler 'my-scheduler', which this scheduler does not run" in str(
        c.scheduler.explain("custom")
    )


def test_a_second_profile_schedules_its_own_pods_and_reports_under_its_own_name():
    c = MiniCluster(workers=1, profiles=[Profile(), Profile("my-scheduler")])
    c.create(pod("custom", scheduler_name="my-scheduler"))
    c.settle()
    assert c.node_of("custom") == "node-1"
    event = c.api.list("events")[0]
    assert (event["reportingComponent"], event["reportingInstance"]) == ("my-scheduler", "my-scheduler-control-plane")


def test_a_pod_created_with_a_node_name_bypasses_the_scheduler_but_counts_in_its_cache():
    c = MiniCluster(workers=2)
    c.create(pod("pinned", cpu="1900m", node_name="node-1"))
    c.create(pod("web", cpu="500m"))
    c.settle()
    assert c.node_of("web") == "node-2" and c.events("pinned") == []
    assert "was not placed by this scheduler" in str(c.scheduler.explain("pinned"))


def test_a_deleted_pending_pod_leaves_the_queue():
    c = MiniCluster(workers=1)
    c.create(pod("web", cpu="9"))
    c.settle()
    assert c.scheduler.pending()[UNSCHEDULABLE_PODS] == ["default/web"]
    c.api.delete("pods", "web")
    c.settle()
    assert c.scheduler.pending()[UNSCHEDULABLE_PODS] == []


def test_a_failed_binding_forgets_the_pod_and_retries_after_a_backoff():
    c = MiniCluster(workers=1)
    calls = []
    real_bind = c.scheduler.client.bind

    def flaky_bind(name, namespace, node_name):
        calls.append(c.loop.now)
        if len(calls) == 1:
            from k8slearn.api.errors import internal_error

            raise internal_error("etcd is having a bad day")
        real_bind(name, namespace, node_name)

    c.scheduler.client.bind = flaky_bind
    c.create(pod("web", cpu="1"))
    c.settle()
    assert c.node_of("web") == "node-1" and len(calls) == 2 and calls[1] - calls[0] == pytest.approx(1.0)
    assert [e[1] for e in c.events("web")] == ["FailedScheduling", "Scheduled"]
    assert c.scheduler.cache.nodes["node-1"].requested.milli_cpu == 1000


def test_no_nodes_waits_for_a_node_without_busy_looping():
    c = MiniCluster()
    c.create(pod("web"))
    c.settle()
    assert c.events("web") == [("Warning", "FailedScheduling", "no nodes available to schedule pods")]
    assert c.loop.pending == 0
    c.add_real_node("node-1")
    c.settle()
    assert c.node_of("web") == "node-1"


def test_stop_halts_scheduling_and_start_resumes_it():
    c = MiniCluster(workers=1)
    c.scheduler.stop()
    c.create(pod("web"))
    c.settle()
    assert c.node_of("web") == ""
    c.scheduler.start()
    c.settle()
    assert c.node_of("web") == "node-1" and len(c.events("web")) == 1


def test_explain_reads_as_prose_for_a_scheduled_pod():
    c = MiniCluster(control_plane=True, workers=2)
    c.api.create({**pod("hog", cpu="1", node_name="node-1")})
    c.create(pod("web", cpu="500m"))
    c.settle()
    text = str(c.scheduler.explain("web"))
    assert (
        text.splitlines()[0] == "Pod default/web (attempt 1 at 0.001 s, profile default-scheduler): "
        "scheduled to node-2."
    )
    assert (
        "control-plane was filtered out by TaintToleration: node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }"
    ) in text
    assert (
        "node-2 scored 471 (TaintToleration 100×3 (raw 0) + NodeResourcesFit 84×1 + "
        "NodeResourcesBalancedAllocation 87×1 + ImageLocality 0×1), the highest: picked"
    ) in text
    assert (
        "node-1 scored 419 (TaintToleration 100×3 (raw 0) + NodeResourcesFit 57×1 + "
        "NodeResourcesBalancedAllocation 62×1 + ImageLocality 0×1)"
    ) in text


def test_explain_for_a_pending_pod_names_each_node_s_reason_and_the_message():
    c = MiniCluster(workers=1)
    from k8slearn.api.meta import thaw

    n = thaw(c.api.get("nodes", "node-1"))
    n["spec"]["taints"] = [taint("dedicated", "gpu")]
    c.api.update(n)
    c.add_real_node("node-2", cpu="1")
    c.create(pod("web", cpu="1500m"))
    c.settle()
    explanation = c.scheduler.explain("web")
    assert str(explanation).splitlines() == [
        "Pod default/web (attempt 1 at 0.001 s, profile default-scheduler): not scheduled (Unschedulable).",
        "Filter: 2 of 2 nodes evaluated, 0 feasible.",
        "  node-1 was filtered out by TaintToleration: node(s) had untolerated taint {dedicated: gpu}",
        "  node-2 was filtered out by NodeResourcesFit: Insufficient cpu",
        (
            "Message: 0/2 nodes are available: 1 Insufficient cpu, "
            "1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are available: "
            "1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
        ),
    ]
    rows = explanation.as_rows()
    assert [(r["node"], r["outcome"], r["plugin"]) for r in rows] == [
        ("node-1", "filtered", "TaintToleration"),
        ("node-2", "filtered", "NodeResourcesFit"),
    ]
    assert "<table" in explanation._repr_html_() and "{dedicated: gpu}" in explanation._repr_html_()


def test_explain_rows_carry_raw_normalized_and_weighted_scores():
    c = MiniCluster(workers=2)
    c.create(pod("web", cpu="500m"))
    c.settle()
    rows = {r["node"]: r for r in c.scheduler.explain("web").as_rows()}
    row = rows[c.node_of("web")]
    assert row["outcome"] == "picked"
    assert row["scores"]["TaintToleration"] == {"raw": 0, "normalized": 100, "weight": 3, "weighted": 300}
    assert row["total"] == sum(s["weighted"] for s in row["scores"].values())
    assert row["scores"]["NodeResourcesFit"]["weighted"] == row["scores"]["NodeResourcesFit"]["normalized"]


def test_explain_for_an_unknown_pod_says_so():
    c = MiniCluster(workers=1)
    assert (
        str(c.scheduler.explain("ghost"))
        == "The scheduler has not tried to schedule pod default/ghost (yet)."
    )


def test_explain_says_when_a_tie_was_broken_at_random():
    c = MiniCluster(workers=2)
    c.create(pod("web", cpu="100m"))
    c.settle()
    host = c.node_of("web")
    other = {"node-1": "node-2", "node-2": "node-1"}[host]
    lines = str(c.scheduler.explain("web")).splitlines()
    assert lines[-2].startswith(f"  {host} scored ")
    assert lines[-2].endswith(f"the highest (tied with {other}; the tie was broken at random): picked")
    assert lines[-1].startswith(f"  {other} scored ") and lines[-1].endswith("tied for the highest")
