"""Rows for the controller pictures: which controller did what, when, and what it saw.

The trace says *that* kube-controller-manager wrote an object; Events say *which* controller did it
(``source.component``) and why (``SuccessfulCreate  Created pod: web-7c4b4cb947-x7k2p``). The
functions here join the two into one row per controller action, in the order things happened, and
replay the history to say what the controller saw when it acted: a ReplicaSet's pods before and
its desired count after (``1 of 3 pods → create 2``). Nothing here draws: ``controllers_view.py``
turns the rows into a swimlane figure and a table.

>>> from k8slearn.sim import Step
>>> scaled = {"metadata": {"namespace": "default", "name": "web.1"}, "reason": "ScalingReplicaSet",
...           "involvedObject": {"kind": "Deployment", "namespace": "default", "name": "web"},
...           "message": "Scaled up replica set web-7c4b from 0 to 2",
...           "source": {"component": "deployment-controller"}}
>>> created = [{"metadata": {"namespace": "default", "name": f"web-7c4b.{i}"}, "reason": "SuccessfulCreate",
...             "involvedObject": {"kind": "ReplicaSet", "namespace": "default", "name": "web-7c4b"},
...             "message": f"Created pod: web-7c4b-{i}", "source": {"component": "replicaset-controller"}}
...            for i in (1, 2)]
>>> steps = [Step(0.1, "kube-controller-manager", "create", "event/default/web.1"),
...          Step(0.2, "kube-controller-manager", "create", "event/default/web-7c4b.1"),
...          Step(0.2, "kube-controller-manager", "create", "event/default/web-7c4b.2")]
>>> for row in controller_rows(steps, [scaled, *created]):
...     print(row.controller, "|", row.action, "|", row.why)
deployment-controller | scale up | replica set web-7c4b: 0 → 2 replicas
replicaset-controller | create 2 pods | ReplicaSet web-7c4b: 0 of 2 pods → create 2

The rollout half samples a Deployment's ReplicaSets while time runs (:func:`sample_deployment`)
and turns samples into rows (:func:`rollout_history_rows`).

Simplified: a controller's API writes are attributed by resource (only the endpoints controller
writes Endpoints; only the node lifecycle controller patches a node's taints); status writes are
left out. "Observed" counts are replayed from Events and pod deletions, and shown only when they
add up; otherwise the row says what was done without a count.

Upstream: none (a teaching view); it reads what kube-controller-manager's controllers record as
Events (k8s.io/client-go/tools/record) and what the simulated API server traces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

__all__ = [
    "LANE_ORDER",
    "DaemonNode",
    "ReplicaSetCount",
    "RolloutSample",
    "Row",
    "controller_rows",
    "daemon_nodes",
    "lanes",
    "rollout_complete",
    "rollout_history_rows",
    "sample_deployment",
    "summary_text",
]

# Lanes in the order a reader meets them; event sources keep their upstream names
# (the node lifecycle controller reports as "node-controller", the scheduler as "default-scheduler").
LANE_ORDER = ("kube-controller-manager", "deployment-controller", "replicaset-controller",
              "daemonset-controller", "node-controller", "taint-eviction-controller", "node-ipam-controller",
              "endpoint-controller", "endpoint-slice-controller", "garbage-collector-controller",
              "pod-garbage-collector", "kube-scheduler", "kubelet")
API_VERBS = frozenset({"create", "update", "patch", "delete", "get", "list", "watch", "bind", "evict"})
NOT_CONTROLLERS = ("etcd", "kube-apiserver", "kubectl", "sim")
GROUP_WINDOW = 0.05          # seconds: actions of one sync that land this close together form one row

# (resource prefix of the trace object, verb) -> (lane, action, why) for writes that carry no Event.
WRITES = {
    ("replicaset/", "create"): ("deployment-controller", "create ReplicaSet",
                                "the pod template changed: a new ReplicaSet runs the new template"),
    ("replicaset/", "delete"): ("deployment-controller", "delete ReplicaSet",
                                "an old revision beyond revisionHistoryLimit"),
    ("controllerrevision/", "create"): ("daemonset-controller", "create ControllerRevision",
                                        "a new pod template: a new revision to roll out"),
    ("node/", "patch"): ("node-controller", "update taints",
                         "the node's Ready condition changed: its not-ready / unreachable taints follow it"),
    ("endpoints/", "create"): ("endpoint-controller", "create Endpoints", "a new Service with a selector"),
    ("endpoints/", "update"): ("endpoint-controller", "update Endpoints", "the Service's ready pods changed"),
    ("endpointslice/", "create"): ("endpoint-slice-controller", "create EndpointSlice",
                                   "a new Service with a selector"),
    ("endpointslice/", "update"): ("endpoint-slice-controller", "update EndpointSlice",
                                   "the Service's ready pods changed"),
}
_SCALED = re.compile(r"Scaled (up|down) replica set (\S+) from (\d+) to (\d+)")
_CREATED = re.compile(r"(?:Created|Deleted) pod: (\S+)")
_FILTERED = re.compile(r"filtered (\d+) nodes?: (\d+) feasible")
_PICKED = re.compile(r"picked (\S+)")
_UNAVAILABLE = re.compile(r"\d+/\d+ nodes are available: (.*?)\.(?: preemption|$)")


class Row(NamedTuple):
    """One controller action: ``kind`` picks its marker (create, delete, scale, mark, evict, ...)."""

    time: float
    controller: str
    action: str
    object: str
    why: str
    kind: str = "other"
    count: int = 1

    def __str__(self) -> str:
        return f"t={self.time:8.3f}  {self.controller:<26} {self.action:<18} {self.object}  {self.why}"


class _State:
    """What the replay knows: each owner's live pods, each ReplicaSet's desired count, pods' nodes."""

    def __init__(self) -> None:
        self.active: dict[tuple, set] = {}      # (kind, namespace, owner) -> pod names
        self.owner: dict[tuple, tuple] = {}     # (namespace, pod) -> (kind, namespace, owner)
        self.desired: dict[tuple, int] = {}     # (namespace, replicaset) -> replicas
        self.node: dict[tuple, str] = {}        # (namespace, pod) -> node it was bound to
        self.created: dict[tuple, float] = {}   # (namespace, pod) -> when its owner created it
        self.revised: dict[tuple, float] = {}   # (namespace, daemonset) -> its newest ControllerRevision
        self.deleted: set = set()

    def pod_gone(self, namespace: str, pod: str) -> None:
        key = (namespace, pod)
        if key in self.deleted:
            return
        self.deleted.add(key)
        owner = self.owner.get(key)
        if owner is not None:
            self.active.get(owner, set()).discard(pod)


def _split(obj: str) -> tuple[str, str, str]:
    """``pod/default/web`` -> ("pod", "default", "web"); ``node/node-1`` -> ("node", "", "node-1")."""
    parts = obj.split("/")
    if len(parts) >= 3:
        return parts[0], parts[1], "/".join(parts[2:])
    return (parts[0], "", parts[1]) if len(parts) == 2 else (obj, "", "")


def _failed(step: Any) -> bool:
    return bool(re.match(r"\d{3} ", step.detail or ""))


def _lane_of(step: Any) -> str | None:
    comp = step.component
    if comp in NOT_CONTROLLERS or comp.startswith(("containerd/", "cni/", "kubelet/")):
        return None
    return comp


def controller_rows(steps: Iterable[Any], events: Iterable[dict] = (), since: float = 0.0,
                    until: float | None = None, scheduler: bool = True, kubelets: bool = False,
                    writes: bool = True) -> list[Row]:
    """Controller actions between ``since`` and ``until``, oldest first, one row per sync's action.

    ``steps`` is ``cluster.trace``; ``events`` the Event objects (``cluster.api.list("events")``).
    The whole history is replayed (so counts are right) but only rows in the window are kept.
    """
    by_key = {(e["metadata"].get("namespace", ""), e["metadata"]["name"]): e for e in events}
    state, groups = _State(), []
    for step in steps:
        if until is not None and step.time > until:
            break
        item = _row_for_step(step, by_key, state, scheduler, kubelets, writes)
        if item is None:
            continue
        if groups and _extends(groups[-1], item):
            groups[-1].append(item)
        else:
            groups.append([item])
    # Rows are written last: a DaemonSet pod's node is known only once the scheduler has bound it.
    rows = [_finish(group, state) for group in groups]
    return [r for r in rows if r.time >= since]


def _row_for_step(step: Any, by_key: dict, state: _State, scheduler: bool, kubelets: bool,
                  writes: bool) -> dict | None:
    """Update the replay with one step; return a raw row (a dict) if the step is a controller action."""
    kind, namespace, name = _split(step.object)
    if _failed(step):
        return None
    if kind == "pod" and step.action == "delete":
        state.pod_gone(namespace, name)
        return None
    if step.component == "kube-scheduler" and step.action == "bind":
        state.node[(namespace, name)] = step.detail.split()[0] if step.detail else ""
        return None
    if kind == "event" and step.action in ("create", "update"):
        event = by_key.get((namespace, name))
        return _event_item(step, event, state, scheduler, kubelets) if event else None
    if kind == "controllerrevision" and step.action == "create":
        state.revised[(namespace, name.rsplit("-", 1)[0])] = step.time
    if step.component == "kube-controller-manager" and step.action in API_VERBS:
        return _write_item(step, kind) if writes else None
    if step.action in API_VERBS:
        return None
    lane = _lane_of(step)
    if lane is None or (lane == "kube-scheduler" and not scheduler) or step.action == "leading":
        return None     # "leading" repeats the LeaderElection event
    return _own_item(step, lane)


def _write_item(step: Any, kind: str) -> dict | None:
    found = WRITES.get((kind + "/", step.action))
    if found is None or step.detail == "status":
        return None
    lane, action, why = found
    return {"time": step.time, "lane": lane, "action": action, "object": step.object, "why": why,
            "kind": "write", "reason": action}


def _own_item(step: Any, lane: str) -> dict:
    """A step a component recorded about its own work (scheduling, IP ranges, retries, leading)."""
    why, kind = step.detail, "other"
    if lane == "kube-scheduler" and step.action == "schedule":
        kind = "schedule"
        filtered, picked = _FILTERED.search(why or ""), _PICKED.search(why or "")
        reasons = _UNAVAILABLE.search(why or "")
        if filtered and picked:
            why = f"{filtered.group(2)} of {filtered.group(1)} nodes feasible → {picked.group(1)}"
        elif reasons:
            kind, why = "retry", f"no feasible node ({reasons.group(1)}) → back to the queue"
    elif step.action == "requeue":
        kind = "retry"
        if "the object has been modified" in why:
            why = "conflict: the object changed after it was read → the workqueue retries the key"
        else:
            why = f"{why} → the workqueue retries the key"
    elif step.action == "allocate":
        kind = "mark"
    return {"time": step.time, "lane": lane, "action": step.action, "object": step.object, "why": why,
            "kind": kind, "reason": step.action}


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
    if reason in ("SuccessfulCreate", "SuccessfulDelete"):
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
    pod = found.group(1) if found else ""
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
        return {"action": "lead", "kind": "mark", "why": message}
    if reason == "RegisteredNode":
        return {"action": "register node", "kind": "mark", "why": message}
    if reason in ("FailedCreate", "FailedDelete", "FailedDaemonPod", "FailedScheduling"):
        return {"kind": "retry"}
    return {}


def _extends(group: list, item: dict) -> bool:
    first = group[0]
    return (item["lane"] == first["lane"] and item.get("reason") == first.get("reason")
            and item["object"] == first["object"] and item["time"] - group[-1]["time"] <= GROUP_WINDOW
            and "owner" in first)


def _finish(members: list, state: _State) -> Row:
    first = members[0]
    if "owner" not in first:
        return Row(first["time"], first["lane"], first["action"], first["object"], first["why"], first["kind"])
    k, owner = len(members), first["owner"]
    pods = [p for m in members for p in m["pods"]]
    creating = first["reason"] == "SuccessfulCreate"
    verb = "create" if creating else "delete"
    action = f"{verb} {k} pods" if k > 1 else f"{verb} pod"
    why = _pod_why(owner, first, k, creating, pods, state)
    return Row(first["time"], first["lane"], action, first["object"], why, first["kind"], k)


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
    after = before + k if creating else before - k
    if kind == "ReplicaSet" and desired is not None and after == desired:
        have = f"{before} of {desired} pods" if creating else f"{before} pods, {desired} wanted"
        return f"{kind} {name}: {have} → {verb} {k}"
    return f"{kind} {name}: {'too few' if creating else 'too many'} pods → {verb} {k}"


def lanes(rows: Iterable[Row]) -> list[str]:
    """The lanes that have rows, in LANE_ORDER (others after, alphabetically)."""
    seen = {r.controller for r in rows}
    known = [lane for lane in LANE_ORDER if lane in seen]
    return known + sorted(seen - set(known))


def summary_text(rows: list[Row]) -> str:
    """One sentence for screen readers: how many actions, by whom, over what time."""
    if not rows:
        return "No controller actions in this time window."
    counts = {lane: sum(1 for r in rows if r.controller == lane) for lane in lanes(rows)}
    who = ", ".join(f"{lane} {n}" for lane, n in counts.items())
    noun = "action" if len(rows) == 1 else "actions"
    return (f"{len(rows)} controller {noun} from t = {rows[0].time:.1f} s to t = {rows[-1].time:.1f} s: "
            f"{who}.")


# ---- DaemonSets ----------------------------------------------------------------------------------


class DaemonNode(NamedTuple):
    """Should ``node`` run a pod of the DaemonSet, why (not), and which daemon pods it has now."""

    node: str
    should_run: bool
    reason: str
    pods: tuple             # (name, STATUS) of the DaemonSet's pods bound to this node


def _taint_text(taint: dict) -> str:
    value = f"={taint['value']}" if taint.get("value") else ""
    return f"{taint.get('key', '')}{value}:{taint.get('effect', '')}"


def daemon_nodes(nodes: Iterable[dict], ds: dict, pods: Iterable[dict] = ()) -> list[DaemonNode]:
    """For each node, the DaemonSet controller's own answer (``node_should_run_daemon_pod``) and a reason.

    ``pods`` are the DaemonSet's pods; a pod that is being deleted is left out.
    """
    from k8slearn.controllers.controller_utils import find_matching_untolerated_taint
    from k8slearn.controllers.daemonset.util import (
        matches_required_node_affinity,
        new_pod_spec,
        node_should_run_daemon_pod,
    )
    from k8slearn.kubectl.printers import pod_status

    on_node: dict[str, list] = {}
    for pod in pods:
        if not pod["metadata"].get("deletionTimestamp") and pod["spec"].get("nodeName"):
            on_node.setdefault(pod["spec"]["nodeName"], []).append((pod["metadata"]["name"], pod_status(pod)))
    out = []
    for node in nodes:
        name = node["metadata"]["name"]
        should_run, _ = node_should_run_daemon_pod(node, ds)
        spec = new_pod_spec(ds, name)
        if should_run:
            reason = "eligible: labels match, taints tolerated"
        elif not matches_required_node_affinity(spec, node):
            reason = "its labels do not match the nodeSelector / node affinity"
        else:
            tolerations = spec.get("tolerations") or []
            blocking = [_taint_text(t) for t in (node.get("spec") or {}).get("taints") or []
                        if t.get("effect") in ("NoSchedule", "NoExecute")
                        and find_matching_untolerated_taint([t], tolerations) is not None]
            reason = f"not tolerated: {', '.join(blocking)}" if blocking else "not eligible"
        out.append(DaemonNode(name, should_run, reason, tuple(sorted(on_node.get(name, ())))))
    return out


# ---- rollouts ----------------------------------------------------------------------------------


class ReplicaSetCount(NamedTuple):
    """One ReplicaSet at one moment: its revision, spec.replicas and status counts."""

    name: str
    revision: int
    replicas: int           # spec.replicas: what the Deployment controller asked for
    current: int            # status.replicas: pods that exist and are not terminating
    available: int          # status.availableReplicas


class RolloutSample(NamedTuple):
    """A Deployment and its ReplicaSets at simulated time ``time``."""

    time: float
    deployment: str
    desired: int
    max_surge: int
    max_unavailable: int
    replica_sets: tuple     # of ReplicaSetCount, oldest revision first
    pods: int               # pods of the Deployment, terminating ones included
    available: int          # status.availableReplicas of the Deployment's ReplicaSets, summed
    done: bool              # what `kubectl rollout status` would call "successfully rolled out"


def _revision(rs: dict) -> int:
    try:
        return int((rs["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision", 0))
    except ValueError:
        return 0


def sample_deployment(cluster: Any, name: str, namespace: str = "default") -> RolloutSample:
    """Read a Deployment, its ReplicaSets and pods through the API (outside the trace)."""
    from k8slearn.controllers.deployment.util import max_surge, max_unavailable
    from k8slearn.viz.snapshot import unobserved

    with unobserved(cluster):
        d = cluster.api.get("deployments", name, namespace)
        uid = d["metadata"]["uid"]
        owned = [rs for rs in cluster.api.list("replicasets", namespace=namespace)
                 if any(ref.get("uid") == uid for ref in rs["metadata"].get("ownerReferences") or ())]
        names = {rs["metadata"]["name"] for rs in owned}
        pods = [p for p in cluster.api.list("pods", namespace=namespace)
                if any(ref.get("name") in names for ref in p["metadata"].get("ownerReferences") or ())]
    desired = d["spec"].get("replicas", 1)
    surge, unavailable = max_surge(d), max_unavailable(d)
    counts = sorted((ReplicaSetCount(rs["metadata"]["name"], _revision(rs), rs["spec"].get("replicas", 0),
                                     (rs.get("status") or {}).get("replicas", 0),
                                     (rs.get("status") or {}).get("availableReplicas", 0)) for rs in owned),
                    key=lambda c: (c.revision, c.name))
    return RolloutSample(cluster.now, name, desired, surge, unavailable, tuple(counts), len(pods),
                         sum(c.available for c in counts), rollout_complete(d))


def rollout_complete(d: dict) -> bool:
    """`kubectl rollout status` would print "successfully rolled out" (a deadline counts as over)."""
    from k8slearn.kubectl.errors import KubectlError
    from k8slearn.kubectl.rollout import deployment_status

    try:
        return deployment_status(d)[1]
    except KubectlError:
        return True


def rollout_history_rows(source: Any) -> list[tuple]:
    """``(time, replica_set, replicas, current, available)`` per ReplicaSet per moment.

    ``source`` is a list of :class:`RolloutSample` (all three counts), or a trace with Events
    (``(steps, events)``): then only the Deployment controller's scaling decisions are known, and
    ``current``/``available`` are None.
    """
    if isinstance(source, tuple) and len(source) == 2 and not isinstance(source[0], (int, float)):
        steps, events = source
        return [(r.time, r.why.split(":")[0].split()[-1], int(r.why.split("→")[1].split()[0]), None, None)
                for r in controller_rows(steps, events, scheduler=False, writes=False)
                if r.kind == "scale"]
    return [(s.time, c.name, c.replicas, c.current, c.available) for s in source for c in s.replica_sets]
