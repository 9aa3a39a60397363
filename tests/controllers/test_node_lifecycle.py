"""Node lifecycle and taint eviction: Unknown after the grace period, taints, evictions at tolerationSeconds."""

import pytest
from ctlkit import Harness, node, pod

from k8slearn.api.meta import micro_timestamp, thaw
from k8slearn.controllers.node_lifecycle import NodeLifecycleController
from k8slearn.controllers.node_lifecycle_eviction import FULL, NORMAL, PARTIAL, compute_zone_state
from k8slearn.controllers.rate_limited_queue import RateLimitedTimedQueue
from k8slearn.controllers.taint_eviction import TaintEvictionController, get_min_toleration_time


def lease(name, t):
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": {"name": name, "namespace": "kube-node-lease"},
            "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": micro_timestamp(t)}}


def ready(c):
    return {"type": "Ready", "status": c}


@pytest.mark.parametrize("conditions, expected", [
    ([ready("True")] * 4, NORMAL),
    ([ready("True")] * 3 + [ready("Unknown")], NORMAL),
    ([ready("True")] * 2 + [ready("Unknown")] * 3, PARTIAL),
    ([ready("Unknown")] * 2 + [ready("True")], NORMAL),
    ([ready("Unknown"), ready("False"), None], FULL),
], ids=["all ready is normal",
        "one dead node of four is normal",
        "three of five dead (more than 2 and 55%) is a partial disruption",
        "two dead of three is still normal (needs more than 2)",
        "no ready node is a full disruption"])
def test_compute_zone_state(conditions, expected):
    assert compute_zone_state(conditions) == expected


def test_the_taint_queue_hands_out_one_node_per_ten_seconds_at_the_default_rate():
    q = RateLimitedTimedQueue(0.1, now=0.0)
    for name in ("a", "b", "c"):
        q.add(name, 0.0)
    done = []
    for t in (0.0, 1.0, 10.0, 15.0, 20.0):
        q.try_(lambda name, t=t: (done.append((t, name)) or True, 0.0), t)
    assert done == [(0.0, "a"), (10.0, "b"), (20.0, "c")]
    assert q.add("a", 30.0) is False  # processed nodes stay known until removed
    q.remove("a")
    assert q.add("a", 30.0) is True


def setup_node(**options):
    h = Harness(NodeLifecycleController, node_monitor_grace_period=options.pop("grace", 50.0), **options)
    for name in ("node-1", "node-2"):
        h.create(node(name))
        h.create(lease(name, 0.0))
    h.create(*pod("web-1", node="node-1", phase="Running", ready=True))
    h.start()
    h.controller.monitor_node_health()
    h.client.actions.clear()
    h.client.events.clear()
    return h


def test_a_node_that_stops_renewing_goes_unknown_only_after_the_grace_period():
    h = setup_node()
    h.loop.run(45)
    h.controller.monitor_node_health()
    assert h.client.actions == []
    h.loop.run(10)
    h.controller.monitor_node_health()
    n = h.get("nodes", "node-1", None)
    conditions = {c["type"]: c for c in n["status"]["conditions"]}
    assert (conditions["Ready"]["status"], conditions["Ready"]["reason"], conditions["Ready"]["message"]) == \
        ("Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
    assert {c["status"] for c in conditions.values()} == {"Unknown"} and len(conditions) == 4
    assert ("Normal", "NodeNotReady", "Node node-1 status is now: NodeNotReady") in h.events
    assert ("Warning", "NodeNotReady", "Node is not ready") in h.events
    pod_ready = {c["type"]: c for c in h.get("pods", "web-1")["status"]["conditions"]}["Ready"]
    assert pod_ready["status"] == "False"


def test_renewed_leases_keep_the_nodes_healthy():
    h = setup_node()
    for t in (10, 20, 30, 40, 50, 60):
        h.loop.run_until(t)
        for name in ("node-1", "node-2"):
            fresh = h.get("leases", name, "kube-node-lease")
            fresh["spec"]["renewTime"] = micro_timestamp(t)
            h.api.update(fresh)
        h.settle()
        h.controller.monitor_node_health()
    assert [a for a in h.client.actions if a[1] == "nodes"] == []


def test_unknown_brings_unreachable_taints_and_the_node_coming_back_removes_them():
    h = setup_node(grace=10.0)
    h.loop.run(15)
    healthy = h.get("leases", "node-2", "kube-node-lease")
    healthy["spec"]["renewTime"] = micro_timestamp(15)
    h.api.update(healthy)  # node-2 stays healthy: not every node is down (that would stop all tainting)
    h.settle()
    h.controller.monitor_node_health()  # Ready -> Unknown
    h.settle()
    h.controller.sync("node-1")  # NoSchedule taint mirrors the condition
    h.settle()
    h.controller.monitor_node_health()  # observed Unknown: queue for the NoExecute taint
    h.controller.do_no_execute_tainting_pass()
    h.settle()
    taints = {(t["key"], t["effect"]) for t in h.get("nodes", "node-1", None)["spec"]["taints"]}
    assert taints == {("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute")}
    n = h.get("nodes", "node-1", None)  # the kubelet is back
    n["status"]["conditions"] = [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                  "lastHeartbeatTime": "2026-01-05T09:00:16Z", "lastTransitionTime": "2026-01-05T09:00:16Z"}]
    h.api.update_status(n)
    h.settle()
    h.controller.monitor_node_health()
    h.settle()
    h.controller.sync("node-1")
    assert h.get("nodes", "node-1", None)["spec"].get("taints") in (None, [])


def test_a_new_node_is_registered_once():
    h = setup_node()
    h.create(node("node-3"))
    h.controller.monitor_node_health()
    h.controller.monitor_node_health()
    assert h.events.count(("Normal", "RegisteredNode", "Node node-3 event: Registered Node node-3 in Controller")) == 1
    h.api.delete("nodes", "node-3", None)
    h.settle()
    h.controller.monitor_node_health()
    assert ("Normal", "RemovingNode", "Node node-3 event: Removing Node node-3 from Controller") in h.events


def test_when_every_node_is_down_the_controller_does_not_taint_them():
    h = setup_node(grace=10.0)
    h.loop.run(15)
    for _ in range(3):
        h.controller.monitor_node_health()
        h.settle()
        h.controller.do_no_execute_tainting_pass()
        h.settle()
    for name in ("node-1", "node-2"):
        taints = h.get("nodes", name, None)["spec"].get("taints") or []
        assert not [t for t in taints if t["effect"] == "NoExecute"]
    assert set(h.controller.zone_states.values()) == {FULL}


# ---- taint eviction ----------------------------------------------------------------------------

UNREACHABLE_300 = {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                   "tolerationSeconds": 300}


@pytest.mark.parametrize("tolerations, expected", [
    ([UNREACHABLE_300], 300),
    ([{**UNREACHABLE_300, "tolerationSeconds": 30}, UNREACHABLE_300], 30),
    ([{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}], -1),
    ([], 0),
], ids=["the default toleration gives five minutes",
        "the shortest toleration wins",
        "a toleration without seconds tolerates forever",
        "no matching toleration means now"])
def test_get_min_toleration_time(tolerations, expected):
    assert get_min_toleration_time(tolerations) == expected


def setup_eviction(tolerations, taint_key="node.kubernetes.io/unreachable"):
    h = Harness(TaintEvictionController)
    h.create(node("node-1", taints=[{"key": taint_key, "effect": "NoExecute"}]))
    obj, status = pod("web-1", node="node-1", phase="Running", ready=True)
    if tolerations is not None:
        obj["spec"]["tolerations"] = tolerations
    h.create(obj, status)
    h.start()
    h.controller.sync("node:node-1")
    return h


@pytest.mark.parametrize("tolerations, taint_key, deleted_after", [
    (None, "node.kubernetes.io/unreachable", 300),
    ([{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30}],
     "node.kubernetes.io/unreachable", 30),
    (None, "maintenance", 0),
    ([{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}],
     "node.kubernetes.io/unreachable", None),
], ids=["a pod with the admission default is evicted after 300 s",
        "a pod tolerating 30 s is evicted after 30 s",
        "a pod without a toleration for the taint is evicted at once",
        "a pod tolerating forever stays"])
def test_taint_eviction_timing(tolerations, taint_key, deleted_after):
    h = setup_eviction(tolerations, taint_key)
    for t in (0.5, 29, 31, 299, 301):
        h.loop.run_until(t)
        gone = bool(h.get("pods", "web-1")["metadata"].get("deletionTimestamp")) or \
            ("delete", "pods", "default/web-1") in h.client.actions
        assert gone == (deleted_after is not None and t > deleted_after), t
    if deleted_after is not None:
        assert ("Normal", "TaintManagerEviction", "Marking for deletion Pod default/web-1") in h.events
        cond = {c["type"]: c for c in h.client.client.get("pods", "web-1")["status"]["conditions"]}
        assert cond["DisruptionTarget"]["reason"] == "DeletionByTaintManager"


def test_removing_the_taint_cancels_the_eviction():
    h = setup_eviction(None)
    h.loop.run_until(100)
    n = thaw(h.get("nodes", "node-1", None))
    n["spec"]["taints"] = []
    h.api.update(n)
    h.settle()
    h.controller.sync("node:node-1")
    h.loop.run_until(400)
    assert not h.get("pods", "web-1")["metadata"].get("deletionTimestamp")
    assert h.events == [("Normal", "TaintManagerEviction", "Cancelling deletion of Pod default/web-1")]


def test_a_node_whose_kubelet_never_posts_status_goes_not_ready_after_the_startup_grace_period():
    from k8slearn import Cluster

    c = Cluster(workers=1, seed=0)
    c.settle()
    c.api.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "ghost"}})
    created = c.now
    c.run(60)  # node-startup-grace-period: 60 s from creation, checked every 5 s (strictly after)
    assert "ghost           Unknown   <none>" in c.kubectl("get nodes").stdout
    c.run(5)
    ghost = c.api.get("nodes", "ghost")
    assert [(x["type"], x["status"], x["reason"], x["message"]) for x in ghost["status"]["conditions"]] == [
        (t, "Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status.")
        for t in ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")]
    assert ghost["status"]["conditions"][0]["lastTransitionTime"] == "2026-01-05T09:01:05Z"
    assert round(c.now - created) == 65
    assert "ghost           NotReady   <none>" in c.kubectl("get nodes").stdout
    c.run(10)
    taints = {(t["key"], t["effect"]) for t in c.api.get("nodes", "ghost")["spec"]["taints"]}
    assert taints == {("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute")}
    described = c.kubectl("describe node ghost").stdout
    assert 'Lease:              Failed to get lease: leases.coordination.k8s.io "ghost" not found\n' in described


# ---- SwapLimiter: a zone's rate changes -------------------------------------------------------------

def _drained(qps):
    q = RateLimitedTimedQueue(qps, now=0.0)
    q.limiter.try_accept(0.0)  # its one token spent on a node
    return q


@pytest.mark.parametrize("queue, new_qps, accepts_now, wait", [
    pytest.param(lambda: _drained(0.1), 0.0, False, None,
                 id="a rate of zero swaps in the limiter that never accepts"),
    pytest.param(lambda: RateLimitedTimedQueue(0.1, now=0.0), 0.01, True, 0.0,
                 id="a bucket with its token left gives a full new bucket"),
    pytest.param(lambda: _drained(0.1), 0.01, False, 100.0,
                 id="a spent bucket drains the new one: the next node after one token at the new rate"),
])
def test_swap_limiter(queue, new_qps, accepts_now, wait):
    q = queue()
    q.swap_limiter(new_qps, now=5.0)
    assert q.limiter.wait() == wait
    assert q.limiter.try_accept(5.0) is accepts_now


def test_leaving_a_zero_rate_drains_the_new_bucket_so_the_first_taint_waits_one_token():
    q = RateLimitedTimedQueue(0.1, now=0.0)
    q.swap_limiter(0.0, now=0.0)
    assert q.limiter.try_accept(50.0) is False and q.limiter.qps == 1.0  # (upstream's never limiter: QPS 1)
    q.swap_limiter(0.1, now=60.0)
    assert (q.limiter.try_accept(60.0), q.limiter.try_accept(69.9), q.limiter.try_accept(70.0)) == (
        False, False, True)


def test_the_same_rate_keeps_the_limiter():
    q = _drained(0.1)
    limiter = q.limiter
    q.swap_limiter(0.1, now=5.0)
    assert q.limiter is limiter


def test_a_zone_back_from_partial_disruption_taints_its_first_dead_node_one_token_later():
    from k8slearn import Cluster

    c = Cluster(workers=3, seed=0)
    c.settle()
    for name in ("node-1", "node-2", "node-3"):
        c.stop_node(name)
    c.run(90)  # 3 of 4 nodes dead: PartialDisruption, rate 0 in a small cluster: no NoExecute taint
    assert not any(t["effect"] == "NoExecute" for n in ("node-1", "node-2")
                   for t in c.api.get("nodes", n)["spec"].get("taints") or ())
    c.start_node("node-3")  # the pass at 09:01:35 sees the zone Normal again
    c.run(40)
    taints = [t for n in ("node-1", "node-2") for t in c.api.get("nodes", n)["spec"]["taints"]]
    added = sorted(t["timeAdded"] for t in taints if t["effect"] == "NoExecute")
    assert added[0] == "2026-01-05T09:01:45Z"  # not 09:01:35: the new bucket starts drained


def _node(ready: str, since: str = "2026-01-05T09:00:00Z", taints=()) -> dict:
    return {"metadata": {"name": "n"}, "spec": {"taints": list(taints)},
            "status": {"conditions": [{"type": "Ready", "status": ready, "lastTransitionTime": since}]}}


NO_EXECUTE = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}
CHANGES_DUE = [  # (case, node, powered off, seconds after the Ready transition, period, due)
    ("a powered-off machine whose Node still says Ready will be marked NotReady", _node("True"), True, 0, 5.0, True),
    ("a running Ready node without the taint has nothing coming", _node("True"), False, 0, 5.0, False),
    ("a Ready node still tainted NoExecute will be untainted", _node("True", taints=[NO_EXECUTE]), False, 0, 5.0, True),
    ("a NotReady node waits for its NoExecute taint for two checks", _node("Unknown"), True, 9, 5.0, True),
    ("after two checks without a taint the zone is taken as disrupted", _node("Unknown"), True, 10, 5.0, False),
    ("a longer --node-monitor-period waits longer for the taint", _node("Unknown"), True, 30, 20.0, True),
    ("a NotReady node already tainted NoExecute has its eviction timers", _node("Unknown", taints=[NO_EXECUTE]),
     True, 1, 5.0, False),
]


@pytest.mark.parametrize("node,powered_off,after,period,due", [c[1:] for c in CHANGES_DUE],
                         ids=[c[0] for c in CHANGES_DUE])
def test_changes_due_says_what_the_next_checks_will_still_change(node, powered_off, after, period, due):
    from k8slearn.api.meta import parse_timestamp
    from k8slearn.controllers.node_lifecycle import changes_due

    now = parse_timestamp("2026-01-05T09:00:00Z") + after
    assert changes_due(node, powered_off, now, period) is due


def _node_events_by_reason(cluster, name):
    return {(e["source"]["component"], e["reason"]): e["involvedObject"] for e in cluster.api.list("events")
            if e["involvedObject"]["kind"] == "Node" and e["involvedObject"]["name"] == name}


@pytest.fixture(scope="module")
def node_events_after_a_stop():
    from k8slearn import Cluster

    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    cluster.stop_node("node-2")
    cluster.run(70)
    return cluster, cluster.api.get("nodes", "node-2", None)["metadata"]["uid"]


@pytest.mark.parametrize("source, reason, uid_is", [
    ("kubelet", "Starting", "the node name"),
    ("kubelet", "NodeReady", "the node name"),
    ("node-controller", "RegisteredNode", "the Node's uid"),
    ("node-controller", "NodeNotReady", "the Node's uid"),
], ids=["the kubelet's Starting event names its node by name, as UID (its nodeRef)",
        "the kubelet's NodeReady event too",
        "the node controller's RegisteredNode event carries the Node's real UID (RecordNodeEvent)",
        "the node controller's NodeNotReady event too (RecordNodeStatusChange)"])
def test_node_events_carry_the_uid_their_component_uses(node_events_after_a_stop, source, reason, uid_is):
    cluster, uid = node_events_after_a_stop
    ref = _node_events_by_reason(cluster, "node-2")[(source, reason)]
    expected = "node-2" if uid_is == "the node name" else uid
    assert ref == {"apiVersion": "v1", "kind": "Node", "name": "node-2", "uid": expected}


def test_a_node_deleted_and_registered_again_gets_a_new_registered_node_event_not_a_second_count():
    from k8slearn import Cluster

    cluster = Cluster(workers=2, seed=0)
    cluster.settle()
    cluster.stop_node("node-2")
    cluster.run(10)
    cluster.kubectl("delete node node-2")
    cluster.run(60)
    cluster.start_node("node-2")
    cluster.run(30)
    registered = [(e["count"], e["involvedObject"]["uid"]) for e in cluster.api.list("events")
                  if e["reason"] == "RegisteredNode" and e["involvedObject"]["name"] == "node-2"]
    new_uid = cluster.api.get("nodes", "node-2", None)["metadata"]["uid"]
    assert len(registered) == 2 and all(count == 1 for count, _ in registered)
    assert registered[-1][1] == new_uid and registered[0][1] != new_uid
    described = cluster.kubectl("describe node node-2").stdout.split("Events:")[1]
    # describe node looks under the new UID and under the name: the old Node's controller events stay out
    assert described.count("Registered Node node-2 in Controller") == 1
    assert "Removing Node" not in described
