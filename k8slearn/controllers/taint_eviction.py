"""The taint-eviction controller: delete pods from nodes with ``NoExecute`` taints they don't tolerate.

For each pod on a node with NoExecute taints:

* a taint no toleration matches → delete the pod now;
* all tolerated, some with ``tolerationSeconds`` → delete when the shortest runs out (counted
  from when the controller saw the taint); every pod gets 300 s for ``not-ready`` and
  ``unreachable`` from the DefaultTolerationSeconds admission plugin;
* all tolerated forever (DaemonSet pods) → stay.

If the taint goes away before the time is up, the scheduled deletion is cancelled
(``Cancelling deletion of Pod default/web-x7k2p``). Worked example::

    >>> get_min_toleration_time([{"key": UNREACHABLE, "operator": "Exists", "effect": "NoExecute",
    ...                           "tolerationSeconds": 300}])
    300
    >>> get_matching_tolerations([{"key": "dedicated", "value": "gpu", "effect": "NoExecute"}], [])
    (False, [])

Before deleting, the pod gets the condition ``DisruptionTarget`` (reason
``DeletionByTaintManager``) and the event ``TaintManagerEviction  Marking for deletion Pod ...``.

Simplified: no per-node worker sharding; deletions run on the simulation loop's timers.

Upstream: pkg/controller/tainteviction/taint_eviction.go, timed_workers.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import thaw, timestamp
from k8slearn.client.podutil import patch_pod_status
from k8slearn.controllers.base import Controller
from k8slearn.controllers.controller_utils import tolerates_taint

UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
EVICTION_REASON = "TaintManagerEviction"


def get_matching_tolerations(taints: list[dict], tolerations: list[dict]) -> tuple[bool, list[dict]]:
    """(all taints tolerated, the toleration used for each)."""
    if not taints:
        return True, []
    used = []
    for taint in taints:
        match = next((t for t in tolerations if tolerates_taint(t, taint)), None)
        if match is None:
            return False, []
        used.append(match)
    return True, used


def get_min_toleration_time(tolerations: list[dict]) -> int:
    """Seconds until eviction: the smallest tolerationSeconds; -1 for "forever"; 0 if none."""
    if not tolerations:
        return 0
    seconds = [t["tolerationSeconds"] for t in tolerations if t.get("tolerationSeconds") is not None]
    if any(s <= 0 for s in seconds):
        return 0
    return min(seconds) if seconds else -1


class TaintEvictionController(Controller):
    """Watches pods and nodes; schedules and cancels NoExecute evictions."""

    name = "taint-eviction-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None) -> None:
        super().__init__(loop, client, informers)
        self.tainted_nodes: dict[str, list[dict]] = {}
        self.work: dict[str, tuple[float, Any]] = {}  # pod key -> (created at, timer or None once done)
        self.node_informer = self.informers.informer("nodes")
        self.pod_informer = self.informers.informer("pods")
        if "spec.nodeName" not in self.pod_informer.indexer.indexers:
            self.pod_informer.add_indexers({"spec.nodeName": lambda p: [p["spec"].get("nodeName") or ""]})
        self.node_informer.add_event_handler(on_add=self._node_changed, on_update=self._node_updated,
                                             on_delete=self._node_changed)
        self.pod_informer.add_event_handler(on_add=self._pod_changed, on_update=self._pod_updated,
                                            on_delete=self._pod_changed)

    # -- handlers: keys "node:<name>" and "pod:<ns>/<name>" ------------------------------------------
    def _node_changed(self, node: dict) -> None:
        self.queue.add(f"node:{node['metadata']['name']}")

    def _node_updated(self, old: dict, cur: dict) -> None:
        if _no_execute(old) != _no_execute(cur):
            self._node_changed(cur)

    def _pod_changed(self, pod: dict) -> None:
        self.queue.add(f"pod:{pod['metadata']['namespace']}/{pod['metadata']['name']}")

    def _pod_updated(self, old: dict, cur: dict) -> None:
        if old["spec"].get("nodeName") != cur["spec"].get("nodeName") or \
                old["spec"].get("tolerations") != cur["spec"].get("tolerations"):
            self._pod_changed(cur)

    def sync(self, key: str) -> None:
        kind, _, name = key.partition(":")
        if kind == "node":
            self.handle_node_update(name)
        else:
            self.handle_pod_update(name)

    # -- sync ---------------------------------------------------------------------------------------
    def handle_node_update(self, name: str) -> None:
        node = self.node_informer.lister.get(name)
        if node is None:
            self.tainted_nodes.pop(name, None)
            return
        taints = _no_execute(node)
        if taints:
            self.tainted_nodes[name] = taints
        else:
            self.tainted_nodes.pop(name, None)
        pods = self.pod_informer.lister.by_index("spec.nodeName", name)
        now = self.loop.now
        for pod in pods:
            key = f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
            if not taints:
                self.cancel_work_with_event(key)
            else:
                self.process_pod_on_node(key, pod["spec"].get("tolerations") or [], taints, now)

    def handle_pod_update(self, key: str) -> None:
        namespace, _, name = key.partition("/")
        pod = self.pod_informer.lister.get(name, namespace)
        if pod is None:
            self.cancel_work_with_event(key)
            return
        taints = self.tainted_nodes.get(pod["spec"].get("nodeName") or "")
        if taints:
            self.process_pod_on_node(key, pod["spec"].get("tolerations") or [], taints, self.loop.now)

    def process_pod_on_node(self, key: str, tolerations: list[dict], taints: list[dict], now: float) -> None:
        all_tolerated, used = get_matching_tolerations(taints, tolerations)
        if not all_tolerated:
            self.cancel_work_with_event(key)
            self.add_work(key, now, now)
            return
        seconds = get_min_toleration_time(used)
        if seconds < 0:
            self.cancel_work_with_event(key)
            return
        start, trigger = now, now + seconds
        scheduled = self.work.get(key)
        if scheduled is not None and scheduled[1] is not None:
            start = scheduled[0]
            # Upstream returns when the old deadline is Before the new one. On a real clock two
            # updates never share an instant; here they can (the pod's creation and its binding),
            # and an equal deadline would cancel and re-add the same work with a "Cancelling" event.
            if start + seconds <= trigger:
                return
            self.cancel_work_with_event(key)
        self.add_work(key, start, trigger)

    # -- timed work -----------------------------------------------------------------------------------
    def add_work(self, key: str, created: float, fire_at: float) -> None:
        if key in self.work:
            return  # already scheduled (or already done)
        timer = self.loop.call_later(max(fire_at - self.loop.now, 0.0), self._fire, key)
        self.work[key] = (created, timer)

    def cancel_work_with_event(self, key: str) -> None:
        entry = self.work.pop(key, None)
        if entry is not None and entry[1] is not None:
            entry[1].cancel()
            self._event(key, f"Cancelling deletion of Pod {key}")

    def _fire(self, key: str) -> None:
        self._event(key, f"Marking for deletion Pod {key}")
        try:
            self.add_condition_and_delete_pod(key)
        except ApiError:
            self.work.pop(key, None)
            return
        self.work[key] = (self.work.get(key, (self.loop.now, None))[0], None)  # done: never again

    def _event(self, key: str, message: str) -> None:
        namespace, _, name = key.partition("/")
        ref = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace}}
        self.recorder.event(ref, "Normal", EVICTION_REASON, message)

    def add_condition_and_delete_pod(self, key: str) -> None:
        namespace, _, name = key.partition("/")
        pod = self.client.get("pods", name, namespace)
        conditions = pod.setdefault("status", {}).setdefault("conditions", [])
        if not any(c.get("type") == "DisruptionTarget" and c.get("status") == "True" for c in conditions):
            status = thaw(pod["status"])
            status["conditions"] = [c for c in conditions if c.get("type") != "DisruptionTarget"] + [
                {"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                 "lastTransitionTime": timestamp(self.loop.now), "reason": "DeletionByTaintManager",
                 "message": "Taint manager: deleting due to NoExecute taint"}]
            patch_pod_status(self.client, pod, status, with_uid=True)  # utilpod.PatchPodStatus
        self.client.delete("pods", name, namespace)


def _no_execute(node: dict) -> list[dict]:
    return [t for t in (node.get("spec") or {}).get("taints") or () if t.get("effect") == "NoExecute"]
