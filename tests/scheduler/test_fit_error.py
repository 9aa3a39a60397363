"""The FailedScheduling message: exact upstream text, histogram sorted as strings."""

import pytest
from scheduler_builders import MiniCluster, node, pod, taint

from k8slearn.scheduler import SUCCESS, Code, Profile, Scheduler, Status
from k8slearn.scheduler.explain import Attempt
from k8slearn.scheduler.framework import CycleState
from k8slearn.scheduler.queue import QueuedPodInfo
from k8slearn.scheduler.resources import PodInfo
from k8slearn.scheduler.schedule_one import scheduling_cycle, truncate_message
from k8slearn.sim import Loop

CP = taint("node-role.kubernetes.io/control-plane")


def message(nodes, running=(), p=None, profile=None):
    """Run one scheduling cycle against these nodes (no API server); return the error text or host."""
    sched = Scheduler(Loop(0), client=None, profiles=[profile or Profile()])
    for n in nodes:
        sched.add_node_to_cache(n)
    for r in running:
        sched.add_pod_to_cache(r)
    p = p or pod(cpu="1")
    fwk = sched.framework_for_pod(p)
    result, err = scheduling_cycle(
        sched,
        fwk,
        CycleState(),
        QueuedPodInfo(PodInfo(p), 0.0),
        Attempt("default/web", 0.0, 1, "default-scheduler"),
    )
    return str(err) if err else result.suggested_host


def busy(node_name, cpu="2"):
    return pod(f"busy-{node_name}", cpu=cpu, node_name=node_name)


@pytest.mark.parametrize(
    "nodes, running, p, expected",
    [
        (
            [node("control-plane", taints=[CP]), node("node-1"), node("node-2")],
            [busy("node-1"), busy("node-2")],
            pod(cpu="500m"),
            (
                "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
                "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
                "2 No preemption victims found for incoming pod."
            ),
        ),
        ([], [], pod(), "no nodes available to schedule pods"),
        (
            [node(f"n{i:02}", cpu="1") for i in range(10)]
            + [node("t1", taints=[taint("a")]), node("t2", taints=[taint("a")])],
            [],
            pod(cpu="2"),
            (
                "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {a: }. preemption: "
                "0/12 nodes are available: 10 No preemption victims found for incoming pod, "
                "2 Preemption is not helpful for scheduling."
            ),
        ),
        (
            [node("n1", cpu="1", memory="1Gi")],
            [],
            pod(cpu="2", memory="2Gi"),
            (
                "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are "
                "available: 1 No preemption victims found for incoming pod."
            ),
        ),
        (
            [node("n1", pods=1)],
            [busy("n1", cpu="100m")],
            pod(),
            (
                "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: "
                "1 No preemption victims found for incoming pod."
            ),
        ),
        (
            [node("n1", unschedulable=True), node("n2", taints=[taint("gpu", "yes")]), node("n3")],
            [],
            pod(cpu="8", node_name=""),
            (
                "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {gpu: yes}, "
                "1 node(s) were unschedulable. preemption: 0/3 nodes are available: "
                "1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling."
            ),
        ),
    ],
    ids=[
        "two full workers and a tainted control plane give the classic message with the preemption suffix",
        "a cluster without nodes says so",
        "counts are sorted as strings, so 10 comes before 2",
        "a node short of two resources counts once for each",
        "a node with all its pod slots used reports Too many pods",
        "each node counts under the first plugin that rejected it",
    ],
)
def test_fit_error_messages(nodes, running, p, expected):
    assert message(nodes, running, p) == expected


def test_a_pre_filter_rejection_replaces_the_per_node_histogram():
    class Gate:
        name = "Gate"

        def pre_filter(self, state, p):
            return Status(Code.UnschedulableAndUnresolvable, "pod is waiting for its gate")

    assert message([node("n1"), node("n2")], profile=Profile().add(Gate)) == (
        "0/2 nodes are available: pod is waiting for its gate. preemption: 0/2 nodes are available: "
        "2 Preemption is not helpful for scheduling."
    )


def test_nodes_left_out_by_a_pre_filter_result_are_counted_under_the_narrowing_plugin():
    from k8slearn.scheduler.framework import PreFilterResult

    class OnlyN1:
        name = "OnlyN1"

        def pre_filter(self, state, p):
            return PreFilterResult(frozenset({"n1"})), SUCCESS

    assert message(
        [node("n1", cpu="1"), node("n2"), node("n3")], p=pod(cpu="2"), profile=Profile().add(OnlyN1)
    ) == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [OnlyN1]. preemption: "
        "0/3 nodes are available: 1 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling."
    )


def test_a_post_filter_message_is_appended_after_a_space():
    class FakePreemption:
        name = "FakePreemption"

        def post_filter(self, state, p, node_to_status):
            n = len(node_to_status)
            return None, Status(
                Code.Unschedulable,
                f"preemption: 0/{n} nodes are available: {n} No preemption victims found for incoming pod.",
            )

    profile = Profile().without("DefaultPreemption").add(FakePreemption)
    assert message([node("n1", cpu="1")], p=pod(cpu="2"), profile=profile) == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
        "1 No preemption victims found for incoming pod."
    )


def test_an_event_message_is_cut_at_1024_characters():
    assert truncate_message("x" * 1024) == "x" * 1024
    cut = truncate_message("x" * 2000)
    assert len(cut) == 1024 and cut.endswith("x ...")


def test_the_failed_scheduling_event_and_condition_carry_the_message():
    c = MiniCluster(control_plane=True, workers=2)
    for i in (1, 2):
        c.create(pod(f"hog-{i}", cpu="1900m", node_name=f"node-{i}"))
    c.create(pod("web", cpu="500m"))
    c.settle()
    text = (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: "
        "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    )
    assert c.events("web") == [("Warning", "FailedScheduling", text)]
    event = c.api.list("events")[0]
    # an events.k8s.io Event: reporting controller and instance, an eventTime, no core/v1 source
    assert (event["source"], event["action"], event["reportingComponent"], event["reportingInstance"]) == (
        {},
        "Scheduling",
        "default-scheduler",
        "default-scheduler-control-plane",
    )
    assert (event["eventTime"], event["firstTimestamp"], "count" in event) == ("2026-01-05T09:00:00.001000Z", None, False)
    assert c.condition("web") == {
        "type": "PodScheduled",
        "status": "False",
        "lastProbeTime": None,
        "lastTransitionTime": "2026-01-05T09:00:00Z",
        "reason": "Unschedulable",
        "message": text,
    }


def test_plugins_returning_success_objects_or_none_are_both_accepted():
    class Lenient:
        name = "Lenient"

        def filter(self, state, p, info):
            return None if info.name == "n1" else Status()

    host = message([node("n1"), node("n2")], p=pod(cpu="100m"), profile=Profile().add(Lenient))
    assert host in ("n1", "n2")
    assert SUCCESS.is_success()
