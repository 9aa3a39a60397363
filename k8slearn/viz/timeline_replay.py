"""The replay behind the controller timeline: what a controller saw when it acted.

Events say what a controller did (``SuccessfulCreate  Created pod: web-7c4b-1``); replaying
them in order, with the pods' deletions and bindings from the trace, gives each owner's live pods
and each ReplicaSet's desired count at every moment. ``_event_item`` turns one Event into a raw row
(a dict) and updates the replay; ``_pod_why`` words what the controller saw for a group of rows.

>>> state = _State()
>>> item = {"time": 1.0, "reason": "SuccessfulCreate", "message": "Created pod: web-7c4b-1",
...         "inv": {"kind": "ReplicaSet", "namespace": "default", "name": "web-7c4b"}}
>>> _replay_pod_event(item, state)
>>> item["before"], state.active[("ReplicaSet", "default", "web-7c4b")]
(0, {'web-7c4b-1'})
>>> _pod_why(item["owner"], {**item, "desired": 1}, 1, True, ["web-7c4b-1"], state)
'ReplicaSet web-7c4b: 0 of 1 pods → create 1'

Simplified: "observed" counts come only from Events and pod deletions; a row whose counts do not
add up says what was done without a count.

``taint_change`` words what a node lifecycle controller's taint patch did, from the Node before
and after it (``Ready=Unknown → add node.kubernetes.io/unreachable:NoSchedule``).

Upstream: none (a teaching view); it replays the Events kube-controller-manager's controllers
record (k8s.io/client-go/tools/record); the taint eviction controller's two TaintManagerEviction
messages are pkg/controller/tainteviction/taint_eviction.go's, the condition taints
pkg/controller/nodelifecycle/node_lifecycle_controller.go's (doNoScheduleTaintingPass).
"""

from __future__ import annotations

import re
from typing import Any

from k8slearn.controllers.node_lifecycle import CONDITION_TAINTS, UNSCHEDULABLE

_SCALED = re.compile(r"Scaled (up|down) replica set (\S+) from (\d+) to (\d+)")
_CREATED = re.compile(r"(?:Created|Deleted) pod: (\S+)|(?:create|delete) Pod (\S+) in StatefulSet \S+ successful")
_JOB = re.compile(r"(?:Created|Deleted) job (\S+)")
# The taint eviction controller records both of its decisions under one reason, TaintManagerEviction:
# "Marking for deletion Pod default/web-x" (emitPodDeletionEvent) and
# "Cancelling deletion of Pod default/web-x" (emitCancelPodDeletionEvent).
CANCELLING = "Cancelling deletion of Pod "


class _State:
    """What the replay knows: each owner's live pods, each ReplicaSet's desired count, pods' nodes."""

    def __init__(self) -> None:
        self.active: dict[tuple, set] = {}      # (kind, namespace, owner) -> pod names
        self.owner: dict[tuple, tuple] = {}     # (namespace, pod) -> (kind, namespace, owner)
        self.desired: dict[tuple, int] = {}     # (namespace, replicaset) -> replicas
        self.node: dict[tuple, str] = {}        # (namespace, pod) -> node it was bound to
        self.created: dict[tuple, float] = {}   # (namespace, pod) -> when its owner created it
        self.revised: dict[tuple, float] = {}   # (namespace, daemonset) -> its newest ControllerRevision
        self.workloads: dict[tuple, str] = {}   # (namespace, name) -> "deployment", "daemonset", "node", ...
        self.node_revision: dict[str, int] = {}  # a Node's etcd key -> revision of its newest version yet
        self.deleted: set = set()

    def pod_gone(self, namespace: str, pod: str) -> None:
        key = (namespace, pod)
        if key in self.deleted:
            return
        self.deleted.add(key)
        owner = self.owner.get(key)
        if owner is not None:
            self.active.get(owner, set()).discard(pod)


def _event_item(step: Any, event: dict, state: _State, scheduler: bool, kubelets: bool) -> dict | None:
    source = (event.get("source") or {}).get("component") or event.get("reportingComponent") or ""
    reason, message = event.get("reason", ""), event.get("message", "")
    inv = event.get("involvedObject") or {}
    obj = "/".join(p for p in (inv.get("kind", "").lower(), inv.get("namespace", ""), inv.get("name", "")) if p)
    lane = {"default-scheduler": "kube-scheduler"}.get(source, source)
    if lane == "kubelet":
        if not kubelets:
            return None
        host = (event.get("source") or {}).get("host", "")
        return {"time": step.time, "lane": lane, "action": reason, "object": obj,
                "why": f"{message} ({host})" if host else message, "kind": "other", "reason": reason}
    if lane == "kube-scheduler" and (not scheduler or reason in ("Scheduled", "FailedScheduling")):
        return None    # the scheduler's own "schedule" step says more
    item = {"time": step.time, "lane": lane, "object": obj, "reason": reason, "message": message,
            "inv": inv, "kind": "other", "action": reason, "why": message}
    if reason in ("SuccessfulCreate", "SuccessfulDelete") and inv.get("kind") == "CronJob":
        job = _JOB.search(message)
        creating = reason == "SuccessfulCreate"
        item.update(action="create job" if creating else "delete job", kind="create" if creating else "delete",
                    object=f"job/{inv.get('namespace', '')}/{job.group(1) if job else ''}",
                    why=(f"CronJob {inv.get('name', '')}: a scheduled time came → create a Job" if creating else
                         f"CronJob {inv.get('name', '')}: more finished Jobs than its history limit keeps"
                         " → delete the oldest"))
    elif reason in ("SuccessfulCreate", "SuccessfulDelete"):
        _replay_pod_event(item, state)
    elif reason == "ScalingReplicaSet":
        found = _SCALED.search(message)
        if found:
            direction, rs, old, new = found.groups()
            state.desired[(inv.get("namespace", ""), rs)] = int(new)
            item.update(action=f"scale {direction}", kind="scale", why=f"replica set {rs}: {old} → {new} replicas")
    else:
        item.update(_describe(reason, message, inv))
    return item


def _replay_pod_event(item: dict, state: _State) -> None:
    inv, found = item["inv"], _CREATED.search(item["message"])
    owner = (inv.get("kind", ""), inv.get("namespace", ""), inv.get("name", ""))
    pod = (found.group(1) or found.group(2)) if found else ""
    creating = item["reason"] == "SuccessfulCreate"
    item["owner"], item["pods"] = owner, [pod]
    item["kind"] = "create" if creating else "delete"
    pods = state.active.setdefault(owner, set())
    item["before"] = len(pods) + (0 if creating else 1)   # a deleted pod left the set at its delete step
    if creating:
        state.owner[(owner[1], pod)] = owner
        state.created[(owner[1], pod)] = item["time"]
        if (owner[1], pod) not in state.deleted:
            pods.add(pod)
    item["desired"] = state.desired.get((owner[1], owner[2])) if owner[0] == "ReplicaSet" else None
    item["busy"] = {state.node.get((owner[1], p)) for p in pods}   # nodes that still have a pod of the owner
    item["revised"] = state.revised.get((owner[1], owner[2]), -1.0)  # the owner's newest template, so far


def _describe(reason: str, message: str, inv: dict) -> dict:
    """Action, marker kind and a why for the node lifecycle and eviction events."""
    if reason == "TaintManagerEviction" and message.startswith(CANCELLING):
        return {"action": "cancel eviction", "kind": "cancel",
                "why": "the NoExecute taint went away (or the pod now tolerates it, or was deleted) "
                       "→ cancel the scheduled deletion"}
    if reason == "TaintManagerEviction":
        return {"action": "evict pod", "kind": "evict",
                "why": "its node has a NoExecute taint the pod no longer tolerates → delete it"}
    if reason == "NodeNotReady" and inv.get("kind") == "Pod":
        return {"action": "mark pod not ready", "kind": "mark",
                "why": "its node stopped reporting → Ready=False, out of Service endpoints"}
    if reason == "NodeNotReady":
        return {"action": "mark node", "kind": "mark",
                "why": "no heartbeat for node-monitor-grace-period → conditions Unknown (NodeNotReady)"}
    if reason == "LeaderElection":
        return {"action": "lead", "kind": "lead", "why": message}
    if reason == "RegisteredNode":
        return {"action": "register node", "kind": "mark", "why": message}
    if reason in ("FailedCreate", "FailedDelete", "FailedDaemonPod", "FailedScheduling"):
        return {"kind": "retry"}
    return {}


def taint_change(old: dict, new: dict) -> str | None:
    """What the node lifecycle controller's patch did to a Node's taints, and what they mirror: the
    two versions of the Node around it (None if its taints did not change).

    >>> old = {"spec": {}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}}
    >>> new = {"spec": {"taints": [{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"}]},
    ...        "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}}
    >>> taint_change(old, new)
    'Ready=Unknown → add node.kubernetes.io/unreachable:NoSchedule'
    >>> taint_change(new, old)
    'Ready=True → remove node.kubernetes.io/unreachable:NoSchedule'

    Each taint key names its cause the way doNoScheduleTaintingPass maps them
    (nodeConditionToTaintKeyStatusMap, and spec.unschedulable for a cordon); an added NoExecute taint
    is processTaintBaseEviction's, and the taint eviction controller acts on it.
    """
    before, after = _taints(old), _taints(new)
    added, removed = [t for t in after if t not in before], [t for t in before if t not in after]
    if not added and not removed:
        return None
    causes = [c for c in dict.fromkeys(_cause(new, taint.split(":")[0]) for taint in added + removed) if c]
    done = "; ".join(f"{verb} {', '.join(taints)}" for verb, taints in (("add", added), ("remove", removed))
                     if taints)
    if any(t.endswith(":NoExecute") for t in added):
        done += " (its pods are evicted when their tolerations run out)"
    return f"{', '.join(causes)} → {done}" if causes else done


def _taints(node: dict) -> list[str]:
    return [f"{t.get('key')}:{t.get('effect')}" for t in (node.get("spec") or {}).get("taints") or ()]


def _cause(node: dict, taint_key: str) -> str:
    """``Ready=Unknown``, ``MemoryPressure=True``, ``cordoned``: what a taint key mirrors, as it is now."""
    if taint_key == UNSCHEDULABLE:
        return "cordoned" if (node.get("spec") or {}).get("unschedulable") else "uncordoned"
    kind = next((c for c, keys in CONDITION_TAINTS.items() if taint_key in keys.values()), None)
    status = next((c.get("status") for c in (node.get("status") or {}).get("conditions") or ()
                   if c.get("type") == kind), None)
    return f"{kind}={status}" if kind and status else ""


def _pod_why(owner: tuple, first: dict, k: int, creating: bool, pods: list, state: _State) -> str:
    """What the controller saw, as of its first event of the group (``first``)."""
    kind, namespace, name = owner
    before, desired, busy, revised = first["before"], first["desired"], first["busy"], first["revised"]
    verb = "create" if creating else "delete"
    if kind == "DaemonSet":
        nodes = sorted({state.node.get((namespace, p), "") for p in pods} - {""})
        where = ", ".join(nodes) or "a node"
        if creating:
            return f"DaemonSet {name}: {where} had no daemon pod → create {k}"
        if nodes and set(nodes) <= busy:
            return f"DaemonSet {name}: {where} ran two daemon pods → delete {k}"
        if all(state.created.get((namespace, p), revised) < revised for p in pods):
            return f"DaemonSet {name}: {where} ran the old pod template (rolling update) → delete {k}"
        return f"DaemonSet {name}: {where} should not run it → delete {k}"
    if kind == "StatefulSet":
        if creating:
            return f"StatefulSet {name}: {', '.join(pods)} missing → create it (one ordinal at a time)"
        return f"StatefulSet {name}: {', '.join(pods)} beyond the replicas, or on the old revision → delete it"
    after = before + k if creating else before - k
    if kind == "ReplicaSet" and desired is not None and after == desired:
        have = f"{before} of {desired} pods" if creating else f"{before} pods, {desired} wanted"
        return f"{kind} {name}: {have} → {verb} {k}"
    return f"{kind} {name}: {'too few' if creating else 'too many'} pods → {verb} {k}"
