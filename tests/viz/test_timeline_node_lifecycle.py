"""Timeline rows for a node that goes dark and comes back: who patched the Node, and what the
taint eviction controller decided (delete the pod, or cancel its deletion).

Hand-made traces for the row rules; one small real cluster for the whole story.
"""

import pytest

from k8slearn import Cluster
from k8slearn.sim import Step
from k8slearn.viz.controller_timeline import ControllerTimeline, draw_timeline
from k8slearn.viz.timeline import controller_rows
from k8slearn.viz.timeline_replay import taint_change

KCM = "kube-controller-manager"
UNREACHABLE, NOT_READY = "node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"
EVICTS = " (its pods are evicted when their tolerations run out)"
MARKING = "Marking for deletion Pod default/web-1"
CANCELLING = "Cancelling deletion of Pod default/web-1"


def eviction_event(name, message):
    return {"metadata": {"namespace": "default", "name": name}, "reason": "TaintManagerEviction",
            "message": message, "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web-1"},
            "source": {"component": "taint-eviction-controller"}}


def ev_step(t, name):
    return Step(t, KCM, "create", f"event/default/{name}")


def node_patch(t, node="node-2"):
    return Step(t, KCM, "patch", f"node/{node}", "strategic")


def put(t, node="node-2", revision=64):
    return Step(t, "etcd", "put", f"/registry/minions/{node}", f"revision {revision}")


def allocate(t, node="node-2"):
    return Step(t, "node-ipam-controller", "allocate", f"node/{node}", "podCIDR 10.244.2.0/24")


def rows(steps, events=()):
    return [(r.controller, r.action, r.kind) for r in controller_rows(steps, list(events))]


@pytest.mark.parametrize("steps, events, expected", [
    pytest.param([ev_step(425.1, "e1")], [eviction_event("e1", MARKING)],
                 [("taint-eviction-controller", "evict pod", "evict")],
                 id="marking a pod for deletion is an eviction"),
    pytest.param([ev_step(85.0, "e1")], [eviction_event("e1", CANCELLING)],
                 [("taint-eviction-controller", "cancel eviction", "cancel")],
                 id="cancelling a pod's deletion is not an eviction but its cancellation"),
    pytest.param([node_patch(0.001), put(0.001), allocate(0.001)], [],
                 [("node-ipam-controller", "allocate", "mark")],
                 id="the node IPAM controller's podCIDR patch is its allocate row and not a taint update"),
    pytest.param([node_patch(120.001), put(120.001)], [],
                 [("node-controller", "update taints", "write")],
                 id="a node patch that no allocate step follows is the node lifecycle controller's taints"),
    pytest.param([node_patch(0.001), put(0.001), allocate(0.001, node="node-3")], [],
                 [("node-controller", "update taints", "write"),
                  ("node-ipam-controller", "allocate", "mark")],
                 id="an allocate step of another node does not take a node's taint patch"),
])
def test_node_and_eviction_rows_name_the_controller_and_its_decision(steps, events, expected):
    assert rows(steps, events) == expected


def test_a_cancelled_eviction_has_its_own_legend_entry():
    (row,) = controller_rows([ev_step(85.0, "e1")], [eviction_event("e1", CANCELLING)])
    figure = draw_timeline([row])
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["cancel eviction"]


@pytest.fixture(scope="module")
def node_back_in_time():
    """node-2 stops, is marked and tainted, and starts again well before its pods' 300 s run out."""
    cluster = Cluster(workers=3, seed=0)
    cluster.settle()
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=3")
    cluster.settle()
    started = cluster.now
    cluster.stop_node("node-2")
    cluster.run(70)
    cluster.start_node("node-2")
    cluster.run(20)
    return cluster, started


def test_a_node_back_before_the_toleration_runs_out_cancels_the_eviction_and_deletes_nothing(
        node_back_in_time):
    cluster, started = node_back_in_time
    evictions = [(r.action, r.object) for r in ControllerTimeline(cluster, since=started).rows
                 if r.controller == "taint-eviction-controller"]
    (pod,) = [p["metadata"]["name"] for p in cluster.api.list("pods") if p["spec"]["nodeName"] == "node-2"]
    assert evictions == [("cancel eviction", f"pod/default/{pod}")]


def test_each_node_of_a_new_cluster_gets_one_cidr_and_one_taint_update(node_back_in_time):
    cluster, started = node_back_in_time
    first = [(r.controller, r.action, r.object) for r in ControllerTimeline(cluster, until=1.0).rows
             if r.object.startswith("node/")]
    nodes = ["control-plane", "node-1", "node-2", "node-3"]
    assert sorted(first) == sorted([("node-ipam-controller", "allocate", f"node/{n}") for n in nodes] +
                                   [("node-controller", "update taints", f"node/{n}") for n in nodes])


def node(ready="True", *taints, unschedulable=False, memory_pressure="False"):
    return {"spec": {"unschedulable": unschedulable,
                     "taints": [{"key": k, "effect": e} for k, e in (t.split(":") for t in taints)]},
            "status": {"conditions": [{"type": "Ready", "status": ready},
                                      {"type": "MemoryPressure", "status": memory_pressure}]}}


@pytest.mark.parametrize("old, new, expected", [
    pytest.param(node("True"), node("Unknown", f"{UNREACHABLE}:NoSchedule"),
                 f"Ready=Unknown → add {UNREACHABLE}:NoSchedule",
                 id="a node without heartbeat is tainted unreachable NoSchedule"),
    pytest.param(node("Unknown", f"{UNREACHABLE}:NoSchedule"),
                 node("Unknown", f"{UNREACHABLE}:NoSchedule", f"{UNREACHABLE}:NoExecute"),
                 f"Ready=Unknown → add {UNREACHABLE}:NoExecute" + EVICTS,
                 id="an added NoExecute taint says its pods will be evicted"),
    pytest.param(node("Unknown", f"{UNREACHABLE}:NoExecute"), node("False", f"{NOT_READY}:NoExecute"),
                 f"Ready=False → add {NOT_READY}:NoExecute; remove {UNREACHABLE}:NoExecute" + EVICTS,
                 id="unreachable and not-ready swap as the Ready condition does"),
    pytest.param(node("True"),
                 node("True", "node.kubernetes.io/unschedulable:NoSchedule", unschedulable=True),
                 "cordoned → add node.kubernetes.io/unschedulable:NoSchedule",
                 id="a cordon is mirrored by the unschedulable taint"),
    pytest.param(node("True"),
                 node("True", "node.kubernetes.io/memory-pressure:NoSchedule", memory_pressure="True"),
                 "MemoryPressure=True → add node.kubernetes.io/memory-pressure:NoSchedule",
                 id="a pressure condition is named as the cause of its taint"),
    pytest.param(node("Unknown", f"{UNREACHABLE}:NoSchedule"), node("Unknown", f"{UNREACHABLE}:NoSchedule"),
                 None,
                 id="a patch that left the taints as they were changes nothing to tell"),
])
def test_a_taint_patch_says_what_it_added_or_removed_and_why(old, new, expected):
    assert taint_change(old, new) == expected


def test_the_story_of_a_node_that_comes_back_reads_in_its_taint_rows(node_back_in_time):
    cluster, started = node_back_in_time
    whys = [r.why for r in ControllerTimeline(cluster, since=started).rows
            if r.action == "update taints" and r.object == "node/node-2"]
    assert whys == [f"Ready=Unknown → add {UNREACHABLE}:NoSchedule",
                    f"Ready=Unknown → add {UNREACHABLE}:NoExecute" + EVICTS,
                    f"Ready=True → remove {UNREACHABLE}:NoSchedule",
                    f"Ready=True → remove {UNREACHABLE}:NoExecute"]


def test_cordon_and_uncordon_are_the_causes_of_the_unschedulable_taint():
    cluster = Cluster(workers=1, seed=0)
    cluster.settle()
    started = cluster.now
    for verb in ("cordon", "uncordon"):
        cluster.kubectl(f"{verb} node-1")
        cluster.settle()
    whys = [r.why for r in ControllerTimeline(cluster, since=started).rows if r.action == "update taints"]
    assert whys == ["cordoned → add node.kubernetes.io/unschedulable:NoSchedule",
                    "uncordoned → remove node.kubernetes.io/unschedulable:NoSchedule"]
