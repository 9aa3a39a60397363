"""Taint-based eviction: dead nodes get a NoExecute taint, paced per zone, and zones in trouble are spared.

The half of the node lifecycle controller (``node_lifecycle``) that acts on what its health
monitor saw. A node whose Ready condition is ``False`` is queued for the
``node.kubernetes.io/not-ready:NoExecute`` taint, one that is ``Unknown`` (the kubelet stopped
posting) for ``node.kubernetes.io/unreachable:NoExecute``; a node that is Ready again loses both.
The queues (one per zone, ``rate_limited_queue``) let a node out at ``--node-eviction-rate``
(0.1/s). Each zone's state decides the rate: ``Normal``; ``PartialDisruption`` (more than 2 and at
least 55% of its nodes not ready) taints at ``--secondary-node-eviction-rate`` (0.01/s) in a large
cluster (over 50 nodes) and not at all in a small one; and if every zone is in
``FullDisruption`` (no node ready anywhere) the controller blames its own network, stops tainting
and removes the NoExecute taints:

>>> ready, dead = {"status": "True"}, {"status": "Unknown"}
>>> compute_zone_state([ready, ready, dead]), compute_zone_state([ready, dead, dead, dead])
('Normal', 'PartialDisruption')
>>> compute_zone_state([dead, dead]), compute_zone_state([])
('FullDisruption', 'Normal')

Simplified: zone keys read ``topology.kubernetes.io/region`` and ``/zone`` only.

Upstream: pkg/controller/nodelifecycle/node_lifecycle_controller.go (processTaintBaseEviction,
doNoExecuteTaintingPass, handleDisruption, ComputeZoneState)
"""

from __future__ import annotations

from k8slearn.controllers.rate_limited_queue import RateLimitedTimedQueue

UNHEALTHY_ZONE_THRESHOLD = 0.55
NODE_EVICTION_PERIOD = 0.1  # how often queued NoExecute taints are tried
UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
NORMAL, PARTIAL, FULL, INITIAL = "Normal", "PartialDisruption", "FullDisruption", "Initial"


def get_condition(node: dict, type_: str) -> dict | None:
    for c in (node.get("status") or {}).get("conditions") or ():
        if c.get("type") == type_:
            return c
    return None


def zone_key(node: dict) -> str:
    labels = node["metadata"].get("labels") or {}
    region = labels.get("topology.kubernetes.io/region", "")
    zone = labels.get("topology.kubernetes.io/zone", "")
    return f"{region}:\x00:{zone}" if region or zone else ""


def compute_zone_state(ready_conditions: list[dict | None], threshold: float = UNHEALTHY_ZONE_THRESHOLD) -> str:
    """Normal, PartialDisruption (more than 2 and >= 55% not ready) or FullDisruption (none ready)."""
    ready = sum(1 for c in ready_conditions if c is not None and c.get("status") == "True")
    not_ready = len(ready_conditions) - ready
    if ready == 0 and not_ready > 0:
        return FULL
    if not_ready > 2 and not_ready / (not_ready + ready) >= threshold:
        return PARTIAL
    return NORMAL


class TaintBasedEviction:
    """The NodeLifecycleController methods that queue, pace and apply the NoExecute taints (a mixin:
    they use the controller's loop, node informer, health records, zone states and queues, and its
    ``swap_node_controller_taint``)."""

    def _add_zone(self, node: dict) -> None:
        zone = zone_key(node)
        if zone not in self.zone_states:
            self.zone_states[zone] = INITIAL
            self.zone_tainter[zone] = RateLimitedTimedQueue(self.eviction_limiter_qps, self.loop.now)

    def process_taint_based_eviction(self, node: dict, observed: dict) -> None:
        status, taints = observed.get("status"), (node.get("spec") or {}).get("taints") or ()
        has = {(t.get("key"), t.get("effect")) for t in taints}
        if status == "False":
            if (UNREACHABLE, "NoExecute") in has:
                self.swap_node_controller_taint(node, [{"key": NOT_READY, "effect": "NoExecute"}],
                                                [{"key": UNREACHABLE, "effect": "NoExecute"}])
            else:
                self.mark_node_for_tainting(node, NOT_READY)
        elif status == "Unknown":
            if (NOT_READY, "NoExecute") in has:
                self.swap_node_controller_taint(node, [{"key": UNREACHABLE, "effect": "NoExecute"}],
                                                [{"key": NOT_READY, "effect": "NoExecute"}])
            else:
                self.mark_node_for_tainting(node, UNREACHABLE)
        elif status == "True":
            self.mark_node_as_reachable(node)

    def mark_node_for_tainting(self, node: dict, taint_key: str) -> None:
        self._add_zone(node)
        queue = self.zone_tainter[zone_key(node)]
        if not any(t.get("key") == taint_key and t.get("effect") == "NoExecute"
                   for t in (node.get("spec") or {}).get("taints") or ()):
            queue.remove(node["metadata"]["name"])
        queue.add(node["metadata"]["name"], self.loop.now)

    def mark_node_as_reachable(self, node: dict) -> None:
        self.swap_node_controller_taint(node, [], [{"key": UNREACHABLE, "effect": "NoExecute"},
                                                   {"key": NOT_READY, "effect": "NoExecute"}])
        queue = self.zone_tainter.get(zone_key(node))
        if queue is not None:
            queue.remove(node["metadata"]["name"])

    def _schedule_tainting_pass(self) -> None:
        if self._tainting_timer is not None and not self._tainting_timer.cancelled:
            return
        waits = []
        for q in self.zone_tainter.values():
            due, token = q.next_due(), q.limiter.wait()
            if due is not None and token is not None:
                waits.append(max(due - self.loop.now, token))
        if waits:
            delay = max(NODE_EVICTION_PERIOD, min(waits))
            self._tainting_timer = self.loop.call_later(delay, self.do_no_execute_tainting_pass)

    def do_no_execute_tainting_pass(self) -> None:
        self._tainting_timer = None
        for zone in sorted(self.zone_tainter):
            self.zone_tainter[zone].try_(self._taint_one, self.loop.now)
        self._schedule_tainting_pass()

    def _taint_one(self, name: str) -> tuple[bool, float]:
        node = self.node_informer.lister.get(name)
        ready = get_condition(node, "Ready") if node is not None else None
        if ready is None or ready.get("status") not in ("False", "Unknown"):
            return True, 0.0
        add, opposite = (NOT_READY, UNREACHABLE) if ready["status"] == "False" else (UNREACHABLE, NOT_READY)
        done = self.swap_node_controller_taint(node, [{"key": add, "effect": "NoExecute"}],
                                               [{"key": opposite, "effect": "NoExecute"}])
        return done, 0.05

    def handle_disruption(self, zone_conditions: dict[str, list[dict | None]], nodes: list[dict]) -> None:
        """Per-zone states; all zones fully disrupted → stop tainting and remove the NoExecute taints."""
        new_states = {z: compute_zone_state(c, self.unhealthy_zone_threshold) for z, c in zone_conditions.items()}
        all_are_full = all(s == FULL for s in new_states.values())
        for zone in new_states:
            self.zone_states.setdefault(zone, INITIAL)
            if zone not in self.zone_tainter:
                self.zone_tainter[zone] = RateLimitedTimedQueue(self.eviction_limiter_qps, self.loop.now)
        for zone in list(self.zone_states):
            if zone not in zone_conditions:
                del self.zone_states[zone]
        all_were_full = all(s == FULL for s in self.zone_states.values())
        if all_are_full and all_were_full:
            return
        now = self.loop.now
        if all_are_full:
            for node in nodes:
                self.mark_node_as_reachable(node)
            for zone in self.zone_states:
                self.zone_tainter[zone].swap_limiter(0, now)
                self.zone_states[zone] = FULL
            return
        if all_were_full:
            for health in self.node_health.values():
                health.probe_timestamp = health.ready_transition_timestamp = now
        for zone, state in new_states.items():
            if self.zone_states[zone] != state or all_were_full:
                self.zone_tainter[zone].swap_limiter(self._zone_qps(len(zone_conditions[zone]), state), now)
                self.zone_states[zone] = state

    def _zone_qps(self, size: int, state: str) -> float:
        if state == PARTIAL:
            return self.secondary_eviction_limiter_qps if size > self.large_cluster_threshold else 0.0
        return self.eviction_limiter_qps
