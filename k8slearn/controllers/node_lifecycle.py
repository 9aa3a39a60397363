"""The node lifecycle controller: notice dead nodes, mark them, and taint them so pods move.

Every ``node_monitor_period`` (5 s) it looks at each node's heartbeats: the node's Lease in
``kube-node-lease`` (renewed by the kubelet every 10 s) and the Ready condition's
``lastHeartbeatTime``. If neither moved for ``node_monitor_grace_period`` (50 s), the kubelet is
presumed gone: the four kubelet conditions become ``Unknown`` ("Kubelet stopped posting node
status."), an event ``NodeNotReady`` is recorded, and every pod on the node is marked not
ready. Then taints follow: ``node.kubernetes.io/unreachable:NoSchedule`` at once (no new pods)
and ``node.kubernetes.io/unreachable:NoExecute`` at the next pass (pods must go), which the
taint-eviction controller turns into evictions when the pods' tolerations run out (300 s)::

    t=0    node-2 powered off (last Lease renewal a few seconds before)
    t≈55   Ready=Unknown, NodeNotReady, pods Ready=False, taint unreachable:NoSchedule
    t≈60   taint unreachable:NoExecute
    t≈360  pods deleted (TaintManagerEviction); their ReplicaSets create replacements elsewhere

When the node's heartbeats come back, the NoExecute taints are removed. If *every* node in a
zone looks dead the controller assumes the problem is its own network and stops tainting
(full disruption); a zone with >55% of nodes dead (and more than 2) taints only slowly.

Demo-friendly settings: pass ``node_monitor_grace_period=``, ``node_monitor_period=`` and
``eviction_limiter_qps=`` to :class:`NodeLifecycleController` (or to ``ControllerManager(...,
node_lifecycle={...})``); the defaults are kube-controller-manager's.

Simplified: no node startup/eviction metrics, no node label reconciliation; zone keys read
``topology.kubernetes.io/region`` and ``/zone`` only.

The NoExecute half (queues paced per zone, disruption states) is in ``node_lifecycle_eviction``.

Upstream: pkg/controller/nodelifecycle/node_lifecycle_controller.go, pkg/controller/util/node/controller_utils.go
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import parse_timestamp, thaw, timestamp
from k8slearn.client.cache import split_key
from k8slearn.client.record import node_reference
from k8slearn.controllers.base import Controller
from k8slearn.controllers.node_lifecycle_eviction import (
    NOT_READY,
    UNHEALTHY_ZONE_THRESHOLD,
    UNREACHABLE,
    TaintBasedEviction,
    get_condition,
    zone_key,
)
from k8slearn.controllers.rate_limited_queue import RateLimitedTimedQueue

NODE_MONITOR_PERIOD = 5.0
NODE_MONITOR_GRACE_PERIOD = 50.0  # 50 s since v1.32 (was 40 s)
NODE_STARTUP_GRACE_PERIOD = 60.0
NODE_EVICTION_RATE = 0.1
SECONDARY_NODE_EVICTION_RATE = 0.01
LARGE_CLUSTER_SIZE_THRESHOLD = 50
UPDATE_TAINT_RETRIES = 5

UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
CONDITION_TAINTS = {  # nodeConditionToTaintKeyStatusMap: condition -> status -> NoSchedule taint key
    "Ready": {"False": NOT_READY, "Unknown": UNREACHABLE},
    "MemoryPressure": {"True": "node.kubernetes.io/memory-pressure"},
    "DiskPressure": {"True": "node.kubernetes.io/disk-pressure"},
    "NetworkUnavailable": {"True": "node.kubernetes.io/network-unavailable"},
    "PIDPressure": {"True": "node.kubernetes.io/pid-pressure"},
}
CONDITION_TAINT_KEYS = {key for statuses in CONDITION_TAINTS.values() for key in statuses.values()}
KUBELET_CONDITIONS = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")
EXCLUDE_DISRUPTION_LABEL = "node.kubernetes.io/exclude-disruption"


def changes_due(node: dict, powered_off: bool, now: float, period: float = NODE_MONITOR_PERIOD) -> bool:
    """Whether monitorNodeHealth will still change this Node at one of its next checks (every
    ``period``): a question for whoever waits on the controller (``Cluster.node_changes_pending``,
    which ``kubectl get -w`` asks), since its checks are heartbeats that ``settle()`` does not wait for.

    - a powered-off machine whose Node is ``Ready``: conditions ``Unknown`` (NotReady) and its pods
      not ready, once ``--node-monitor-grace-period`` passes without a heartbeat;
    - a Node not ready and not yet tainted ``NoExecute``: tainted at the next check, one check after
      it became not ready (processTaintBaseEviction reads the condition as the check before left
      it); then its pods' eviction timers keep ``settle()`` busy by themselves. Waited for two
      checks only: a zone in disruption is never tainted;
    - a ``Ready`` Node still tainted ``NoExecute`` unreachable/not-ready: untainted at the next check
      (markNodeAsReachable)."""
    ready = get_condition(node, "Ready") or {}
    tainted = any(t.get("effect") == "NoExecute" and t.get("key") in (NOT_READY, UNREACHABLE)
                  for t in (node.get("spec") or {}).get("taints") or ())
    if ready.get("status") == "True":
        return powered_off or tainted
    since = ready.get("lastTransitionTime")
    return bool(since) and not tainted and now < parse_timestamp(since) + 2 * period


@dataclass
class NodeHealth:
    probe_timestamp: float
    ready_transition_timestamp: float
    ready: dict | None = None  # the Ready condition as last seen
    lease_renew: float | None = None


class NodeLifecycleController(TaintBasedEviction, Controller):
    """Monitors node health; sets Unknown conditions and condition taints; marks pods not ready."""

    name = "node-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None, *,
                 node_monitor_period: float = NODE_MONITOR_PERIOD,
                 node_monitor_grace_period: float = NODE_MONITOR_GRACE_PERIOD,
                 node_startup_grace_period: float = NODE_STARTUP_GRACE_PERIOD,
                 eviction_limiter_qps: float = NODE_EVICTION_RATE,
                 secondary_eviction_limiter_qps: float = SECONDARY_NODE_EVICTION_RATE,
                 large_cluster_threshold: int = LARGE_CLUSTER_SIZE_THRESHOLD,
                 unhealthy_zone_threshold: float = UNHEALTHY_ZONE_THRESHOLD) -> None:
        super().__init__(loop, client, informers)
        self.node_monitor_period = node_monitor_period
        self.node_monitor_grace_period = node_monitor_grace_period
        self.node_startup_grace_period = node_startup_grace_period
        self.eviction_limiter_qps = eviction_limiter_qps
        self.secondary_eviction_limiter_qps = secondary_eviction_limiter_qps
        self.large_cluster_threshold = large_cluster_threshold
        self.unhealthy_zone_threshold = unhealthy_zone_threshold
        self.node_health: dict[str, NodeHealth] = {}
        self.known_nodes: dict[str, dict] = {}
        self.zone_states: dict[str, str] = {}
        self.zone_tainter: dict[str, RateLimitedTimedQueue] = {}
        self.nodes_to_retry: set[str] = set()
        self._tainting_timer: Any = None
        self.node_informer = self.informers.informer("nodes")
        self.lease_informer = self.informers.informer("leases")  # read in kube-node-lease, shared with the GC
        self.pod_informer = self.informers.informer("pods")
        if "spec.nodeName" not in self.pod_informer.indexer.indexers:
            self.pod_informer.add_indexers({"spec.nodeName": lambda p: [p["spec"].get("nodeName") or ""]})
        self.node_informer.add_event_handler(on_add=self.enqueue, on_update=lambda old, cur: self.enqueue(cur))

    def run(self) -> None:
        super().run()
        self._processes.append(self.loop.spawn(self._monitor(), f"{self.name}-monitor", periodic=True))

    def stop(self) -> None:
        super().stop()
        if self._tainting_timer is not None:
            self._tainting_timer.cancel()
            self._tainting_timer = None

    def _monitor(self):
        while True:
            self.monitor_node_health()
            yield self.node_monitor_period

    def pods_on(self, node_name: str) -> list[dict]:
        return self.pod_informer.lister.by_index("spec.nodeName", node_name)

    # -- condition taints (NoSchedule), on every node change ---------------------------------------
    def sync(self, key: str) -> None:
        """doNoScheduleTaintingPass: NoSchedule taints that mirror the node's conditions."""
        node = self.node_informer.lister.get(split_key(key)[1])
        if node is None:
            return
        wanted = []
        for cond in (node.get("status") or {}).get("conditions") or ():
            taint_key = CONDITION_TAINTS.get(cond.get("type"), {}).get(cond.get("status"))
            if taint_key:
                wanted.append({"key": taint_key, "effect": "NoSchedule"})
        if (node.get("spec") or {}).get("unschedulable"):
            wanted.append({"key": UNSCHEDULABLE, "effect": "NoSchedule"})
        existing = [t for t in (node.get("spec") or {}).get("taints") or () if t.get("effect") == "NoSchedule"
                    and (t.get("key") == UNSCHEDULABLE or t.get("key") in CONDITION_TAINT_KEYS)]
        add = [t for t in wanted if not any(_same_taint(t, e) for e in existing)]
        remove = [e for e in existing if not any(_same_taint(t, e) for t in wanted)]
        if (add or remove) and not self.swap_node_controller_taint(node, add, remove):
            raise ApiError({"code": 409, "reason": "Conflict", "message": f"failed to swap taints of node {key}"})

    def swap_node_controller_taint(self, node: dict, add: list[dict], remove: list[dict]) -> bool:
        """Add taints (stamped with timeAdded) and remove others: a PATCH of spec.taints.

        The first try uses the cached node; on a conflict the node is read again (RetryOnConflict,
        5 steps). Returns False if it still failed.
        """
        for attempt in range(UPDATE_TAINT_RETRIES):
            current = (node.get("spec") or {}).get("taints") or ()
            taints = [thaw(t) for t in current if not any(_same_taint(t, r) for r in remove)]
            changed = len(taints) != len(current)
            for taint in add:
                if not any(_same_taint(taint, t) for t in taints):
                    taints.append({**taint, "timeAdded": timestamp(self.loop.now)})
                    changed = True
            if not changed:
                return True
            # PatchNodeTaints sends a two-way merge patch of the JSON: no taints left is taints: null
            # (the list is omitempty), so the field goes instead of staying as [].
            patch = {"metadata": {"resourceVersion": node["metadata"]["resourceVersion"]},
                     "spec": {"taints": taints or None}}
            try:
                self.client.patch("nodes", node["metadata"]["name"], patch, None)
                return True
            except ApiError as err:
                if err.code == 404:
                    return True
                if err.code != 409 or attempt == UPDATE_TAINT_RETRIES - 1:
                    return False
            try:
                node = self.client.get("nodes", node["metadata"]["name"], None)
            except ApiError:
                return False
        return False

    # -- health monitoring ------------------------------------------------------------------------
    def monitor_node_health(self) -> None:
        nodes = self.node_informer.lister.list()
        seen = {n["metadata"]["name"] for n in nodes}
        for node in nodes:
            name = node["metadata"]["name"]
            if name not in self.known_nodes:
                self.record_node_event(node, "RegisteredNode", f"Registered Node {name} in Controller")
                self.known_nodes[name] = node
                self._add_zone(node)
                self.mark_node_as_reachable(node)
        for name in sorted(set(self.known_nodes) - seen):
            gone = self.known_nodes.pop(name)
            self.record_node_event(gone, "RemovingNode", f"Removing Node {name} from Controller")
            self.node_health.pop(name, None)
        zone_conditions: dict[str, list[dict | None]] = {}
        for node in nodes:
            try:
                node, observed, current = self.try_update_node_health(node)
            except ApiError:
                self.enqueue(node)
                continue
            if (node["metadata"].get("labels") or {}).get(EXCLUDE_DISRUPTION_LABEL) is None:
                zone_conditions.setdefault(zone_key(node), []).append(current)
            if current is None:
                continue
            self.process_taint_based_eviction(node, observed)
            name = node["metadata"]["name"]
            if current.get("status") != "True" and observed.get("status") == "True":
                self.record_node_status_change(node, "NodeNotReady")
                self.mark_pods_not_ready(name)
            elif name in self.nodes_to_retry and observed.get("status") != "True":
                self.mark_pods_not_ready(name)
        self.handle_disruption(zone_conditions, nodes)
        self._schedule_tainting_pass()

    def record_node_event(self, node: dict, reason: str, event: str) -> None:
        """nodeutil.RecordNodeEvent: a Normal event ``Node <name> event: <event>`` about the node,
        under its real UID (the kubelet's events use the node name instead)."""
        name = node["metadata"]["name"]
        self.recorder.event(node_reference(name, node["metadata"].get("uid", "")), "Normal", reason,
                            f"Node {name} event: {event}")

    def record_node_status_change(self, node: dict, new_status: str) -> None:
        """nodeutil.RecordNodeStatusChange: ``Node <name> status is now: <status>``, under the node's UID."""
        name = node["metadata"]["name"]
        self.recorder.event(node_reference(name, node["metadata"].get("uid", "")), "Normal", new_status,
                            f"Node {name} status is now: {new_status}")

    def try_update_node_health(self, node: dict) -> tuple[dict, dict, dict | None]:
        """(node, the Ready condition as observed, the Ready condition now): go Unknown past the grace period."""
        now, name = self.loop.now, node["metadata"]["name"]
        current = get_condition(node, "Ready")
        if current is None:  # the kubelet never posted status: count from creation, with the startup grace
            observed, grace = {"type": "Ready", "status": "Unknown"}, self.node_startup_grace_period
            known = self.node_health.get(name)
            if known is None:  # first seen: probe and transition at creation
                created = parse_timestamp(node["metadata"].get("creationTimestamp") or timestamp(0))
                self.node_health[name] = NodeHealth(created, created)
            else:  # seen before: only the status is new (the probe time stays, so the grace runs out)
                known.ready = None
        else:
            observed, grace = dict(current), self.node_monitor_grace_period
        health = self.node_health.get(name)
        saved = health.ready if health is not None else None
        if health is None:
            health = NodeHealth(now, now, current)
        elif saved is None and current is not None:
            health = NodeHealth(now, now, current, health.lease_renew)
        elif saved is not None and current is None:
            health = NodeHealth(now, now, None, health.lease_renew)
        elif saved is not None and current is not None and \
                saved.get("lastHeartbeatTime") != current.get("lastHeartbeatTime"):
            transition = now if saved.get("lastTransitionTime") != current.get("lastTransitionTime") \
                else health.ready_transition_timestamp
            health = NodeHealth(now, transition, current, health.lease_renew)
        lease = self.lease_informer.lister.get(name, "kube-node-lease")
        renew = (lease or {}).get("spec", {}).get("renewTime")
        if renew and (health.lease_renew is None or parse_timestamp(renew) > health.lease_renew):
            health.lease_renew = parse_timestamp(renew)
            health.probe_timestamp = now
        self.node_health[name] = health
        if now > health.probe_timestamp + grace:
            node = thaw(node)
            self._mark_unknown(node, now)
            current = get_condition(node, "Ready")
            if current != observed:
                node = self.client.update_status(node)
                self.node_health[name] = NodeHealth(health.probe_timestamp, now, get_condition(node, "Ready"),
                                                    health.lease_renew)
        return node, observed, current

    @staticmethod
    def _mark_unknown(node: dict, now: float) -> None:
        conditions = node.setdefault("status", {}).setdefault("conditions", [])
        for type_ in KUBELET_CONDITIONS:
            cond = next((c for c in conditions if c.get("type") == type_), None)
            if cond is None:
                conditions.append({"type": type_, "status": "Unknown", "lastHeartbeatTime": node["metadata"].get(
                    "creationTimestamp"), "lastTransitionTime": timestamp(now), "reason": "NodeStatusNeverUpdated",
                    "message": "Kubelet never posted node status."})
            elif cond.get("status") != "Unknown":
                cond.update(status="Unknown", reason="NodeStatusUnknown", message="Kubelet stopped posting node status.",
                            lastTransitionTime=timestamp(now))

    def mark_pods_not_ready(self, node_name: str) -> None:
        """MarkPodsNotReady: each pod's Ready condition becomes False; event ``NodeNotReady``."""
        failed = False
        for pod in self.pods_on(node_name):
            ready = next((c for c in (pod.get("status") or {}).get("conditions") or () if c.get("type") == "Ready"), None)
            if ready is None or ready.get("status") == "False":
                continue
            update = thaw(pod)
            for cond in update["status"]["conditions"]:
                if cond.get("type") == "Ready":
                    cond.update(status="False", lastTransitionTime=timestamp(self.loop.now))
            try:
                self.client.update_status(update)
            except ApiError as err:
                failed = failed or err.code != 404
                continue
            self.recorder.event(pod, "Warning", "NodeNotReady", "Node is not ready")
        if failed:
            self.nodes_to_retry.add(node_name)
        else:
            self.nodes_to_retry.discard(node_name)


def _same_taint(a: dict, b: dict) -> bool:
    """Taint.MatchTaint: same key and effect."""
    return a.get("key") == b.get("key") and a.get("effect") == b.get("effect")
