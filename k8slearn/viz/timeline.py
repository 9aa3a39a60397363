"""Rows for the controller pictures: which controller did what, when, and what it saw.

The trace says *that* kube-controller-manager wrote an object; Events say *which* controller did it
(``source.component``) and why (``SuccessfulCreate  Created pod: web-7c4b4cb947-x7k2p``). The
functions here join the two into one row per controller action, in the order things happened, and
replay the history to say what the controller saw when it acted: a ReplicaSet's pods before and
its desired count after (``1 of 3 pods → create 2``). Each row reads the Event as that very write
stored it (``events_written.py``): a later rewrite of the Event (``(combined from similar
events)``) does not change earlier rows, and an action whose Event is gone says so. Nothing here
draws: ``controllers_view.py`` turns the rows into a swimlane figure and a table. The replay itself is in ``timeline_replay.py``;
the DaemonSet panel's rows are in ``daemon_nodes.py``, the rollout chart's samples in ``rollout_samples.py``.

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

A node lifecycle controller's taint patch says which taints it added or removed and what they
mirror (``Ready=Unknown → add node.kubernetes.io/unreachable:NoSchedule``), from the Node's
versions before and after it, read back from etcd like the Events.

Simplified: a controller's API writes are attributed by resource (only the endpoints controller
writes Endpoints; only the node lifecycle controller patches a node's taints, and the node IPAM
controller its podCIDR, told apart by the IPAM controller's ``allocate`` step that follows its
patch; only the pod garbage collector deletes a bound pod with grace period 0); status writes
are left out. "Observed" counts are replayed from Events and pod deletions, and shown only when
they add up; otherwise the row says what was done without a count. A taint patch whose Node
versions etcd has compacted away keeps a general why.

Upstream: none (a teaching view); it reads what kube-controller-manager's controllers record as
Events (k8s.io/client-go/tools/record) and what the simulated API server traces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from k8slearn.viz.events_written import EventsWritten, stored_revision
from k8slearn.viz.timeline_replay import _event_item, _pod_why, _State, taint_change

__all__ = ["LANE_ORDER", "Row", "controller_rows", "lanes", "summary_text"]

# Lanes in the order a reader meets them; event sources keep their upstream names
# (the node lifecycle controller reports as "node-controller", the scheduler as "default-scheduler").
LANE_ORDER = ("kube-controller-manager", "deployment-controller", "replicaset-controller",
              "daemonset-controller", "statefulset-controller", "cronjob-controller", "job-controller",
              "node-controller", "taint-eviction-controller", "node-ipam-controller",
              "endpoint-controller", "endpoint-slice-controller", "garbage-collector-controller",
              "pod-garbage-collector", "serviceaccount-controller", "root-ca-cert-publisher",
              "kube-scheduler", "kubelet")
API_VERBS = frozenset({"create", "update", "patch", "delete", "get", "list", "watch", "bind", "evict"})
NOT_CONTROLLERS = ("etcd", "kube-apiserver", "kubectl", "sim")
NODE_KEY = "/registry/minions/"   # where the API server stores Nodes in etcd
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
                         "the node's conditions or its cordon changed → the taints that mirror them "
                         "(NoSchedule at once; not-ready / unreachable NoExecute at the next health check)"),
    ("endpoints/", "create"): ("endpoint-controller", "create Endpoints", "a new Service with a selector"),
    ("endpoints/", "update"): ("endpoint-controller", "update Endpoints", "the Service's ready pods changed"),
    ("endpointslice/", "create"): ("endpoint-slice-controller", "create EndpointSlice",
                                   "a new Service with a selector"),
    ("endpointslice/", "update"): ("endpoint-slice-controller", "update EndpointSlice",
                                   "the Service's ready pods changed"),
    ("serviceaccount/", "create"): ("serviceaccount-controller", "create ServiceAccount",
                                    "a namespace without its default ServiceAccount"),
    ("configmap/", "create"): ("root-ca-cert-publisher", "create ConfigMap",
                               "a namespace without kube-root-ca.crt, the cluster's CA certificate"),
    ("configmap/", "update"): ("root-ca-cert-publisher", "update ConfigMap",
                               "kube-root-ca.crt was changed: the CA certificate is put back"),
}
# The controller that records Events about an object of each kind: the lane of an action whose
# Event is gone (see ``_gone_item``).
CONTROLLER_OF = {"deployment": "deployment-controller", "replicaset": "replicaset-controller",
                 "daemonset": "daemonset-controller", "statefulset": "statefulset-controller",
                 "job": "job-controller", "cronjob": "cronjob-controller", "node": "node-controller"}
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


def controller_rows(steps: Iterable[Any], events: Any = (), since: float = 0.0,
                    until: float | None = None, scheduler: bool = True, kubelets: bool = False,
                    writes: bool = True) -> list[Row]:
    """Controller actions between ``since`` and ``until``, oldest first, one row per sync's action.

    ``steps`` is ``cluster.trace``. ``events`` says what each Event write said: best an
    ``EventsWritten`` (``events_written(cluster)``: each Event as that very write stored it, so
    earlier rows keep their words when the Event is later rewritten), or a list of Event objects
    (``cluster.api.list("events")``), looked up by name as they are now. With ``EventsWritten``, a
    controller's action whose Event is gone (expired after 1 h, or rewritten before any picture
    read it) still gets a row that says so. The whole history is replayed (so counts are right)
    but only rows in the window are kept.
    """
    steps = steps if isinstance(steps, list) else list(steps)
    if isinstance(events, EventsWritten):
        find = events
    else:
        by_key = {(e["metadata"].get("namespace", ""), e["metadata"]["name"]): e for e in events}
        find = _Named(by_key)
    state, groups = _State(), []
    for i, step in enumerate(steps):
        if until is not None and step.time > until:
            break
        if _allocates_pod_cidr(steps, i):
            continue    # the node IPAM controller's own "allocate" step, just after, says more
        after = steps[i + 1] if i + 1 < len(steps) else None
        item = _row_for_step(step, after, find, state, scheduler, kubelets, writes)
        if item is None:
            continue
        if groups and _extends(groups[-1], item):
            groups[-1].append(item)
        else:
            groups.append([item])
    # Rows are written last: a DaemonSet pod's node is known only once the scheduler has bound it.
    rows = [_finish(group, state) for group in groups]
    return [r for r in rows if r.time >= since]


class _Named:
    """Events looked up by name, as they are now (for a plain list of Event objects)."""

    def __init__(self, by_key: dict) -> None:
        self.by_key = by_key

    def at(self, key: str, revision: int | None) -> dict | None:
        _, _, namespace, name = key.rsplit("/", 3)
        return self.by_key.get((namespace, name))


def _row_for_step(step: Any, after: Any, find: Any, state: _State, scheduler: bool, kubelets: bool,
                  writes: bool) -> dict | None:
    """Update the replay with one step; return a raw row (a dict) if the step is a controller action.

    ``after`` is the next step: after a write of an Event, the etcd put that stored it."""
    kind, namespace, name = _split(step.object)
    if _failed(step):
        return None
    if step.component == "etcd" and step.object.startswith(NODE_KEY):
        revision = stored_revision(step)
        if revision is not None:
            state.node_revision[step.object] = revision
        return None
    if kind == "pod" and step.action == "delete":
        state.pod_gone(namespace, name)
        forced = step.detail == "deleted" and (namespace, name) in state.node   # a bound pod gone at once
        return _pod_gc_item(step) if forced and step.component == "kube-controller-manager" else None
    if step.component == "kube-scheduler" and step.action == "bind":
        state.node[(namespace, name)] = step.detail.split()[0] if step.detail else ""
        return None
    if kind == "event" and step.action in ("create", "update"):
        if step.component.startswith("kubelet/") and not kubelets:
            return None    # (not even read: there are many)
        key = f"/registry/events/{namespace}/{name}"
        revision = stored_revision(after) if after is not None and after.object == key else None
        event = find.at(key, revision)
        if event is None:
            return _gone_item(step, find, key, state) if isinstance(find, EventsWritten) else None
        return _event_item(step, event, state, scheduler, kubelets)
    if kind in CONTROLLER_OF:
        state.workloads[(namespace, name)] = kind
    if kind == "controllerrevision" and step.action == "create":
        state.revised[(namespace, name.rsplit("-", 1)[0])] = step.time
    if step.component == "kube-controller-manager" and step.action in API_VERBS:
        item = _write_item(step, kind) if writes else None
        if item is not None and kind == "controllerrevision":  # a DaemonSet's or a StatefulSet's history
            owner = state.workloads.get((namespace, name.rsplit("-", 1)[0]))
            item["lane"] = f"{owner if owner == 'statefulset' else 'daemonset'}-controller"
        if item is not None and kind == "node":
            item["why"] = _taints_written(find, state, NODE_KEY + name, after) or item["why"]
        return item
    if step.action in API_VERBS:
        return None
    lane = _lane_of(step)
    if lane is None or (lane == "kube-scheduler" and not scheduler) or step.action == "leading":
        return None     # "leading" repeats the LeaderElection event
    return _own_item(step, lane)


def _taints_written(find: Any, state: _State, key: str, after: Any) -> str | None:
    """What a patch of a Node's taints changed, read back from the versions etcd stored before and by
    it (``after`` is the put that stored it); None when one of them is no longer known."""
    if not isinstance(find, EventsWritten) or after is None or after.object != key:
        return None
    revision, previous = stored_revision(after), state.node_revision.get(key)
    if revision is None or previous is None:
        return None
    new, old = find.at(key, revision), find.at(key, previous)
    return taint_change(old, new) if new is not None and old is not None else None


def _allocates_pod_cidr(steps: list, i: int) -> bool:
    """Is step ``i`` the node IPAM controller's patch of a Node's ``spec.podCIDR``? It is a
    kube-controller-manager patch of a node, like the node lifecycle controller's taint patches,
    but the IPAM controller's ``allocate`` step of the same node follows it (after etcd's put)."""
    step = steps[i]
    patch = (step.component, step.action) == ("kube-controller-manager", "patch")
    if not patch or not step.object.startswith("node/"):
        return False
    return any(s.component == "node-ipam-controller" and s.action == "allocate" and s.object == step.object
               for s in steps[i + 1:i + 4])


def _gone_item(step: Any, written: EventsWritten, key: str, state: _State) -> dict | None:
    """A controller wrote an Event here, and nobody has it any more: say so, in the lane of the
    controller that records Events about that object (its name is the Event's, up to the dot)."""
    if step.component != "kube-controller-manager":
        return None    # the scheduler's own steps say more; kubelets are left out
    namespace, about = key.split("/")[3], key.rsplit("/", 1)[1].rsplit(".", 1)[0]
    kind = state.workloads.get((namespace, about)) or state.workloads.get(("", about))
    obj = "/".join(part for part in (kind, "" if kind == "node" else namespace, about) if part)
    gone = "rewritten" if written.exists(key) else "expired"
    return {"time": step.time, "lane": CONTROLLER_OF.get(kind, "kube-controller-manager"), "object": obj,
            "why": _gone_why(gone, 1), "kind": "unknown", "reason": gone, "action": "an action"}


def _gone_why(gone: str, k: int) -> str:
    """Why ``k`` actions are no longer known: their Events ``"expired"`` or were ``"rewritten"``."""
    its, was = ("its Event", "was") if k == 1 else ("their Events", "were")
    if gone == "expired":
        return f"{its} expired (kube-apiserver keeps Events 1 h, --event-ttl): what was done is no longer known"
    return (f"{its} {was} rewritten since (combined with similar events) and etcd no longer keeps the "
            f"old version: what was done is no longer known")


def _pod_gc_item(step: Any) -> dict:
    """The pod garbage collector's force delete (it records no Event): its node object is gone."""
    return {"time": step.time, "lane": "pod-garbage-collector", "action": "delete pod", "object": step.object,
            "why": "its node was deleted (still gone after 40 s) → force-delete it, grace period 0",
            "kind": "delete", "reason": "podgc"}


def _write_item(step: Any, kind: str) -> dict | None:
    found = WRITES.get((kind + "/", step.action))
    if found is None or step.detail == "status":
        return None
    lane, action, why = found
    if kind == "serviceaccount" and not step.object.endswith("/default"):
        # not a namespace's default account: one a controller runs as (--use-service-account-credentials)
        lane, why = "kube-controller-manager", "the account a controller talks to the API server as"
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


def _extends(group: list, item: dict) -> bool:
    first = group[0]
    return (item["lane"] == first["lane"] and item.get("reason") == first.get("reason")
            and item["object"] == first["object"] and item["time"] - group[-1]["time"] <= GROUP_WINDOW
            and ("owner" in first or first["kind"] == "unknown"))


def _finish(members: list, state: _State) -> Row:
    first = members[0]
    k = len(members)
    if first["kind"] == "unknown":
        return Row(first["time"], first["lane"], f"{k} actions" if k > 1 else "an action", first["object"],
                   _gone_why(first["reason"], k), "unknown", k)
    if "owner" not in first:
        return Row(first["time"], first["lane"], first["action"], first["object"], first["why"], first["kind"])
    owner = first["owner"]
    pods = [p for m in members for p in m["pods"]]
    creating = first["reason"] == "SuccessfulCreate"
    verb = "create" if creating else "delete"
    action = f"{verb} {k} pods" if k > 1 else f"{verb} pod"
    why = _pod_why(owner, first, k, creating, pods, state)
    return Row(first["time"], first["lane"], action, first["object"], why, first["kind"], k)


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
    first, last = f"{rows[0].time:.1f}", f"{rows[-1].time:.1f}"
    when = f"at t = {first} s" if first == last else f"from t = {first} s to t = {last} s"
    return f"{len(rows)} controller {noun} {when}: {who}."
