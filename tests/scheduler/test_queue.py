"""The scheduling queue: order, backoff, and when a pending pod is tried again (and when not)."""

import pytest
from scheduler_builders import MiniCluster, pod, taint, toleration

from k8slearn.api.meta import thaw
from k8slearn.scheduler.events import NODE_ADD, ClusterEvent, QueueingHint
from k8slearn.scheduler.plugins.priority_sort import PrioritySort
from k8slearn.scheduler.queue import (
    ACTIVE_Q,
    BACKOFF_Q,
    UNSCHEDULABLE_PODS,
    SchedulingQueue,
    calculate_backoff_duration,
)
from k8slearn.sim import Loop


def new_queue(hints=None):
    loop = Loop(0)
    queue = SchedulingQueue(loop, PrioritySort().less, hints or {}, profile_of=lambda p: "default-scheduler")
    return loop, queue


def pop_all(q):
    out = []
    while (pinfo := q._pop_now()) is not None:
        out.append(pinfo.pod["metadata"]["name"])
    return out


def test_higher_priority_pods_are_popped_first_and_equal_ones_first_in_first_out():
    _loop, q = new_queue()
    for name, priority in [("low-1", 0), ("high", 1000), ("mid", 500), ("low-2", None), ("low-3", 0)]:
        q.add(pod(name, priority=priority))
    assert pop_all(q) == ["high", "mid", "low-1", "low-2", "low-3"]


def test_with_equal_priority_the_earlier_timestamp_goes_first():
    loop, q = new_queue()
    loop.run(5.0)
    q.add(pod("late"))
    early = q.add(pod("early"))
    assert early == ACTIVE_Q
    q._active["default/early"].pinfo.timestamp = 1.0
    import heapq

    heapq.heapify(q.active_q)
    assert pop_all(q) == ["early", "late"]


@pytest.mark.parametrize(
    "attempts, seconds",
    [(0, 0.0), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (12, 10.0)],
    ids=[
        "no attempt yet means no backoff",
        "the first failure waits 1 s",
        "the second waits 2 s",
        "the third waits 4 s",
        "the fourth waits 8 s",
        "the fifth is capped at 10 s",
        "later ones stay at 10 s",
    ],
)
def test_backoff_doubles_from_1s_up_to_10s(attempts, seconds):
    assert calculate_backoff_duration(attempts) == seconds


def test_a_pod_that_failed_with_an_error_returns_to_active_q_when_its_backoff_expires():
    loop, q = new_queue()
    q.add(pod("web"))
    waits = []
    for _ in range(4):
        pinfo = q._pop_now()
        assert q.add_unschedulable_if_not_present(pinfo) == BACKOFF_Q  # no rejecting plugin: an error
        waits.append(loop.settle())  # runs until the backoff timer has fired
        assert q.where("default/web") == ACTIVE_Q
    assert waits == [1.0, 2.0, 4.0, 8.0]


def rejected(q, name, plugin):
    q.add(pod(name))
    pinfo = q._pop_now()
    pinfo.unschedulable_plugins = {plugin: None}
    return q.add_unschedulable_if_not_present(pinfo)


def test_an_unschedulable_pod_waits_until_an_event_its_rejecting_plugin_registered_arrives():
    seen = []

    def hint(p, old, new):
        seen.append(new["metadata"]["name"])
        return QueueingHint.Queue if new["metadata"]["name"] == "big" else QueueingHint.QueueSkip

    loop, q = new_queue({"default-scheduler": [("NodeResourcesFit", ClusterEvent("Node", 1), hint)]})
    assert rejected(q, "web", "NodeResourcesFit") == UNSCHEDULABLE_PODS
    assert q.move_all_to_active_or_backoff_queue(NODE_ADD, None, {"metadata": {"name": "small"}}) == 0
    assert q.where("default/web") == UNSCHEDULABLE_PODS
    loop.run(5.0)  # past the 1 s backoff
    assert q.move_all_to_active_or_backoff_queue(NODE_ADD, None, {"metadata": {"name": "big"}}) == 1
    assert q.where("default/web") == ACTIVE_Q and seen == ["small", "big"]


def test_an_event_no_rejecting_plugin_registered_for_leaves_the_pod_waiting():
    _loop, q = new_queue({"default-scheduler": [("NodeResourcesFit", ClusterEvent("Pod", 2), None)]})
    rejected(q, "web", "TaintToleration")
    event = ClusterEvent("Pod", 2, "AssignedPodDelete")
    assert q.move_all_to_active_or_backoff_queue(event, pod("x"), None) == 0


def test_a_pod_moved_while_still_backing_off_goes_to_backoff_q_first():
    loop, q = new_queue({"default-scheduler": [("NodeResourcesFit", ClusterEvent("Node", 1), None)]})
    rejected(q, "web", "NodeResourcesFit")
    q.move_all_to_active_or_backoff_queue(NODE_ADD, None, {"metadata": {"name": "n"}})
    assert q.where("default/web") == BACKOFF_Q
    loop.run(1.0)
    assert q.where("default/web") == ACTIVE_Q


def test_pods_waiting_more_than_5_minutes_are_flushed_back_by_the_30s_ticker():
    loop, q = new_queue()
    rejected(q, "web", "TaintToleration")
    loop.spawn(q.run_periodic_flush(), "flush", periodic=True)
    loop.run(300.0)
    assert q.where("default/web") == UNSCHEDULABLE_PODS  # exactly 5 minutes is not more than 5 minutes
    loop.run(30.0)
    assert q.where("default/web") == ACTIVE_Q


def test_a_status_only_update_leaves_the_pod_waiting_but_new_tolerations_retry_it():
    loop, q = new_queue({"default-scheduler": [("TaintToleration", ClusterEvent("Pod", 1 << 9), None)]})
    rejected(q, "web", "TaintToleration")
    loop.run(5.0)
    old = pod("web")
    status_only = {**old, "status": {"conditions": [{"type": "PodScheduled", "status": "False"}]}}
    assert q.update(old, status_only) == UNSCHEDULABLE_PODS
    tolerant = pod("web", tolerations=[toleration("dedicated", "Exists")])
    assert q.update(status_only, tolerant) == ACTIVE_Q


def test_deleting_a_pod_removes_it_from_every_queue():
    _loop, q = new_queue()
    q.add(pod("a"))
    rejected(q, "b", "TaintToleration")
    for name in ("a", "b"):
        q.delete(pod(name))
    assert q.pending_pods() == {ACTIVE_Q: [], BACKOFF_Q: [], UNSCHEDULABLE_PODS: []} and len(q) == 0


# -- through the API server --------------------------------------------------------------------------
def pending_cluster():
    """Two 2-CPU workers, each with a 1.9-CPU pod; ``web`` (500m) cannot fit anywhere."""
    c = MiniCluster(workers=2)
    for i in (1, 2):
        c.create(pod(f"hog-{i}", cpu="1900m", node_name=f"node-{i}"))
    c.create(pod("web", cpu="500m"))
    c.settle()
    assert c.node_of("web") == "" and c.scheduler.pending()[UNSCHEDULABLE_PODS] == ["default/web"]
    return c


def attempts(c, name="web"):
    return c.scheduler.attempts[f"default/{name}"].number


def test_an_unschedulable_pod_does_not_busy_loop_settle_returns():
    c = pending_cluster()
    assert c.loop.pending == 0 and attempts(c) == 1
    assert c.settle() == 0.0


def test_a_pending_pod_is_scheduled_when_a_node_is_added():
    c = pending_cluster()
    c.add_real_node("node-3")
    c.settle()
    assert c.node_of("web") == "node-3" and attempts(c) == 2


def test_a_pending_pod_is_scheduled_when_an_assigned_pod_is_deleted():
    c = pending_cluster()
    c.api.delete("pods", "hog-2", grace_period_seconds=0)
    c.settle()
    assert c.node_of("web") == "node-2"


def update_node(c, name, change, status=False):
    n = thaw(c.api.get("nodes", name))
    change(n)
    c.api.update_status(n) if status else c.api.update(n)
    c.settle()


def test_a_pending_pod_is_scheduled_when_a_taint_is_removed():
    c = MiniCluster(workers=1)
    update_node(c, "node-1", lambda n: n["spec"].__setitem__("taints", [taint("dedicated", "gpu")]))
    c.create(pod("web", cpu="100m"))
    c.settle()
    assert c.node_of("web") == ""
    update_node(c, "node-1", lambda n: n["spec"].pop("taints"))
    assert c.node_of("web") == "node-1"


def test_a_pending_pod_is_scheduled_when_a_node_is_uncordoned_or_grows():
    c = MiniCluster(workers=1)
    update_node(c, "node-1", lambda n: n["spec"].__setitem__("unschedulable", True))
    c.create(pod("web", cpu="100m"))
    c.create(pod("big", cpu="3"))
    c.settle()
    update_node(c, "node-1", lambda n: n["spec"].pop("unschedulable"))
    assert (c.node_of("web"), c.node_of("big")) == ("node-1", "")
    update_node(c, "node-1", lambda n: n["status"]["allocatable"].__setitem__("cpu", "8"), status=True)
    assert c.node_of("big") == "node-1"


def test_a_node_heartbeat_does_not_retry_pending_pods():
    c = pending_cluster()

    def heartbeat(n):
        for condition in n["status"]["conditions"]:
            condition["lastHeartbeatTime"] = "2026-01-05T09:05:00Z"

    update_node(c, "node-1", heartbeat, status=True)
    update_node(c, "node-2", lambda n: n["metadata"].setdefault("labels", {}).__setitem__("team", "a"))
    seen = [
        s.object for s in c.loop.trace if s.component == "kube-scheduler" and s.detail.startswith("MODIFIED")
    ]
    assert seen[-2:] == ["node/node-1", "node/node-2"]
    assert attempts(c) == 1


def test_a_pending_pod_is_retried_after_5_minutes_and_its_repeats_become_an_event_series():
    c = pending_cluster()
    c.loop.run(330.0)
    assert attempts(c) == 2 and c.node_of("web") == ""
    assert c.scheduler.pending()[UNSCHEDULABLE_PODS] == ["default/web"]

    def failed():
        return [(e["eventTime"], e.get("series")) for e in c.api.list("events") if e["involvedObject"]["name"] == "web"]

    # the first attempt regarded the pod as created; the second the pod with its PodScheduled
    # condition (another resourceVersion): a second Event, not a count on the first
    assert failed() == [("2026-01-05T09:00:00.001000Z", None), ("2026-01-05T09:05:30.000000Z", None)]
    c.loop.run(330.0)  # the third attempt repeats the second: its series, written at once
    assert failed()[1][1] == {"count": 2, "lastObservedTime": "2026-01-05T09:11:00.000000Z"}
    c.loop.run(330.0)  # the fourth is only counted in memory ...
    assert failed()[1][1]["count"] == 2
    c.loop.run(1800.0)  # ... until the half-hourly refresh or the series' end writes it
    assert failed()[1][1]["count"] >= 4


@pytest.mark.parametrize(
    "old, new, labels",
    [
        (pod(cpu="1"), pod(cpu="1"), []),
        (pod(cpu="1"), pod(cpu="500m"), ["PodRequestScaledDown"]),
        (pod(cpu="1"), pod(cpu="2"), ["PodUpdate"]),
        (pod(), pod(labels={"app": "web"}), ["PodLabelChange"]),
        (pod(), pod(tolerations=[toleration(operator="Exists")]), ["PodTolerationChange"]),
    ],
    ids=[
        "an identical spec produces no event",
        "a smaller request is a scale-down",
        "a larger request is only a generic pod update",
        "new labels are a label change",
        "new tolerations are a toleration change",
    ],
)
def test_pod_scheduling_properties_change(old, new, labels):
    from k8slearn.scheduler.events import pod_scheduling_properties_change

    assert [e.label for e in pod_scheduling_properties_change(new, old)] == labels
