"""DefaultPreemption: who may preempt, the smallest set of victims, the chosen node, and what the cluster sees."""

import pytest
from scheduler_builders import PRIORITY_CLASSES, node, node_info, pod, select_victims, snapshot_of, started

from k8slearn import Cluster
from k8slearn.scheduler import Framework, Profile
from k8slearn.scheduler.framework import Code, CycleState, Status
from k8slearn.scheduler.preemption import Candidate, pick_one_node_for_preemption


def manifest(name, priority_class, cpu="1500m"):
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  priorityClassName: {priority_class}
  containers: [{{name: app, image: nginx, resources: {{requests: {{cpu: {cpu}}}}}}}]
"""


@pytest.fixture
def full_cluster():
    """Two 2-cpu workers, each running a low-priority pod that asks for 1.5 cpu."""
    c = Cluster(workers=2, seed=0)
    c.kubectl("apply -f -", stdin=PRIORITY_CLASSES)
    for i in (1, 2):
        c.kubectl("apply -f -", stdin=manifest(f"low-{i}", "low"))
    c.settle()
    return c


def events(c, name, reason):
    return [
        e["message"]
        for e in c.api.list("events", "default")
        if e["involvedObject"]["name"] == name and e["reason"] == reason
    ]


def test_a_high_priority_pod_evicts_a_lower_one_and_runs_in_its_place(full_cluster):
    c = full_cluster
    c.kubectl("apply -f -", stdin=manifest("critical", "high"))
    while not c.api.get("pods", "critical").get("status", {}).get("nominatedNodeName"):
        c.step()
    critical = c.api.get("pods", "critical")
    nominated = critical["status"]["nominatedNodeName"]
    victim = next(
        p["metadata"]["name"] for p in c.api.list("pods", "default") if p["spec"].get("nodeName") == nominated
    )
    assert events(c, "critical", "FailedScheduling") == [
        (
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
            "2 Insufficient cpu."
        )
    ]
    c.run(0.5)
    assert events(c, victim, "Preempted") == [
        f"Preempted by pod {critical['metadata']['uid']} on node {nominated}"
    ]
    preempted = next(e for e in c.api.list("events", "default") if e["reason"] == "Preempted")
    # events.k8s.io: about the victim, related to the preemptor
    assert (preempted["involvedObject"]["name"], preempted["related"]["name"], preempted["related"]["uid"]) == (
        victim, "critical", critical["metadata"]["uid"])
    c.settle()
    assert c.api.get("pods", "critical")["spec"]["nodeName"] == nominated
    survivor = "low-2" if victim == "low-1" else "low-1"
    assert sorted(p["metadata"]["name"] for p in c.api.list("pods", "default")) == ["critical", survivor]


def test_a_victim_is_marked_as_a_disruption_target_and_deleted_gracefully(full_cluster):
    c = full_cluster
    c.kubectl("apply -f -", stdin=manifest("critical", "high"))
    victim = None
    for _ in range(400):
        c.step()
        victim = next(
            (p for p in c.api.list("pods", "default") if p["metadata"].get("deletionTimestamp")), None
        )
        if victim:
            break
    assert victim is not None and victim["metadata"]["name"].startswith("low-")
    condition = next(x for x in victim["status"]["conditions"] if x["type"] == "DisruptionTarget")
    assert (condition["status"], condition["reason"], condition["message"]) == (
        "True",
        "PreemptionByScheduler",
        "default-scheduler: preempting to accommodate a higher priority pod",
    )


def test_a_pod_that_may_not_preempt_says_so_after_the_filter_reasons(full_cluster):
    c = full_cluster
    c.kubectl("apply -f -", stdin=manifest("polite", "high-never"))
    c.settle()
    assert events(c, "polite", "FailedScheduling") == [
        (
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
            "2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
        )
    ]
    assert c.api.get("pods", "polite")["spec"].get("nodeName") is None


def test_pods_of_equal_priority_are_never_victims(full_cluster):
    c = full_cluster
    c.kubectl("apply -f -", stdin=manifest("peer", "low"))
    c.settle()
    assert events(c, "peer", "FailedScheduling") == [
        (
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
            "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
            "2 No preemption victims found for incoming pod."
        )
    ]


def victims_on(running, incoming):
    victims, _, status = select_victims(running, incoming)
    return victims, status


@pytest.mark.parametrize(
    "running, incoming, expected",
    [
        (
            [
                pod("a", cpu="500m", priority=100),
                pod("b", cpu="500m", priority=100),
                pod("c", cpu="500m", priority=200),
            ],
            pod("new", cpu="1", priority=1000),
            ["b"],
        ),
        (
            [
                started(pod("old", cpu="1", priority=100), "2026-01-05T09:00:00Z"),
                started(pod("young", cpu="1", priority=100), "2026-01-05T10:00:00Z"),
            ],
            pod("new", cpu="1", priority=1000),
            ["young"],
        ),
        (
            [pod("a", cpu="1", priority=100), pod("b", cpu="1", priority=100)],
            pod("new", cpu="2", priority=1000),
            ["a", "b"],
        ),
        (
            [pod("a", cpu="500m", priority=100), pod("vip", cpu="1500m", priority=5000)],
            pod("new", cpu="1", priority=1000),
            [],
        ),
    ],
    ids=[
        "only as many pods as needed are evicted, the most important ones are kept",
        "among equal priorities the pod that started earlier is kept",
        "a pod that needs the whole node evicts every lower-priority pod",
        "a higher-priority pod is never a victim, so evicting the rest may not be enough",
    ],
)
def test_select_victims_on_node(running, incoming, expected):
    victims, status = victims_on(running, incoming)
    assert victims == expected
    assert status.is_success() == bool(expected)


def test_a_node_without_lower_priority_pods_has_no_victims():
    assert victims_on([pod("a", cpu="2", priority=1000)], pod("new", cpu="1", priority=1000)) == (
        [],
        Status(Code.UnschedulableAndUnresolvable, "No preemption victims found for incoming pod"),
    )


def p(name, priority, start="2026-01-05T09:00:00Z"):
    return started(pod(name, priority=priority), start)


@pytest.mark.parametrize(
    "candidates, expected",
    [
        ([Candidate("n1", [p("a", 500)]), Candidate("n2", [p("b", 100)])], "n2"),
        ([Candidate("n1", [p("a", 100), p("b", 100)]), Candidate("n2", [p("c", 100), p("d", 50)])], "n2"),
        ([Candidate("n1", [p("a", 100), p("b", 0)]), Candidate("n2", [p("c", 100)])], "n2"),
        (
            [
                Candidate("n1", [p("a", 100, "2026-01-05T09:00:00Z")]),
                Candidate("n2", [p("b", 100, "2026-01-05T11:00:00Z")]),
            ],
            "n2",
        ),
        ([Candidate("n1", [p("a", 100)]), Candidate("n2", [p("b", 100)])], "n1"),
    ],
    ids=[
        "the node whose most important victim has the lowest priority wins",
        "then the smallest sum of victim priorities",
        "then the fewest victims",
        "then the node whose victims started last",
        "a complete tie goes to the first candidate",
    ],
)
def test_pick_one_node_for_preemption(candidates, expected):
    assert pick_one_node_for_preemption(candidates) == expected


@pytest.mark.parametrize(
    "priority, expected",
    [
        (0, "Insufficient cpu"),
        (1000, "Insufficient cpu"),
        (2000, ""),
    ],
    ids=[
        "a lower-priority pod may not take the room freed for a nominated pod",
        "an equal-priority pod may not take it either",
        "a higher-priority pod may",
    ],
)
def test_nominated_pods_count_on_their_node_for_pods_that_must_yield(priority, expected):
    from k8slearn.scheduler.framework import Handle
    from k8slearn.scheduler.nominator import Nominator
    from k8slearn.scheduler.resources import PodInfo

    info = node_info(node("node-1", cpu="2"))
    nominator = Nominator()
    nominator.add_nominated_pod(PodInfo(pod("critical", cpu="1500m", priority=1000)), "node-1")
    fwk = Framework(Profile(), Handle(snapshot=snapshot_of(info).snapshot, nominator=nominator))
    incoming = pod("other", cpu="1", priority=priority)
    state = CycleState()
    fwk.run_pre_filter_plugins(state, incoming)
    assert fwk.run_filter_plugins_with_nominated_pods(state, incoming, info).message() == expected
