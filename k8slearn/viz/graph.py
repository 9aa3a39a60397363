"""The cluster as a graph: who watches whom, what runs where, what selects and owns what; and in words.

Nodes of the graph (ids are strings):

- ``component/<name>``: kube-apiserver, etcd, kube-scheduler, kube-controller-manager (always);
- ``node/<name>``: cluster nodes, with ``ready`` ("True"/"False"/"Unknown"), ``status`` (kubectl's
  STATUS), ``unschedulable``, ``taints`` and ``roles``;
- ``pod/<namespace>/<name>``: pods, with ``phase``, ``status`` (kubectl's STATUS), ``node``, ``owner``;
- ``svc/<namespace>/<name>``: services;
- with ``collapse_owners=True``: ``deployment/…``, ``replicaset/…``, ``daemonset/…`` owners that
  stand for their pods, with ``pods`` (how many), ``statuses`` and ``nodes`` (counts).

Edges carry ``relation``: "watches" (scheduler, controller-manager and each node's kubelet →
kube-apiserver), "stores in" (kube-apiserver → etcd), "runs on" (pod → node; for a collapsed
owner, owner → node with ``pods``), "selects" (service → pod, or → owner with ``pods``) and
"owns" (owner → ReplicaSet, following ownerReferences).

>>> from k8slearn.viz.snapshot import Snapshot
>>> snap = Snapshot.from_objects([
...     {"kind": "Node", "metadata": {"name": "node-1"}},
...     {"kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
...      "spec": {"nodeName": "node-1"}, "status": {"phase": "Running"}},
...     {"kind": "Pod", "metadata": {"name": "db"}},
...     {"kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}}},
... ])
>>> g = build_graph(snap)
>>> sorted(n for n, kind in g.nodes(data="kind") if kind != "component")
['node/node-1', 'pod/default/db', 'pod/default/web', 'svc/default/web']
>>> sorted((u, v) for u, v, r in g.edges(data="relation") if r in ("runs on", "selects"))
[('pod/default/web', 'node/node-1'), ('svc/default/web', 'pod/default/web')]

``summary`` says the same in one or two sentences, the alt text of the picture:

>>> summary(g)
'1 worker node, node-1 Unknown; 2 pods: 1 Running on node-1, 1 Pending. Services: web selects 1 pod.'

A node's taints, which the picture writes under its box, come last:
``Taints: control-plane has node-role.kubernetes.io/control-plane:NoSchedule.``

Simplified: a Service's selector is matched against pod labels directly (the endpoints
controller does this in a real cluster); only Deployment, ReplicaSet and DaemonSet owners collapse.

Upstream: none as code (a picture of the architecture); ownerReferences follow
staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go and selectors pkg/labels.
"""

from __future__ import annotations

from typing import Any, Callable

import networkx as nx

from k8slearn.api.labels import selector_from_set
from k8slearn.api.selector_parser import parse_selector
from k8slearn.viz import style
from k8slearn.viz.layout import natural_key
from k8slearn.viz.snapshot import Snapshot, as_snapshot

__all__ = ["COMPONENTS", "OWNER_KINDS", "build_graph", "plural", "pod_id", "selector_matcher",
           "selector_text", "summary"]

APISERVER, ETCD = "component/kube-apiserver", "component/etcd"
SCHEDULER, CONTROLLER_MANAGER = "component/kube-scheduler", "component/kube-controller-manager"
COMPONENTS = (ETCD, APISERVER, SCHEDULER, CONTROLLER_MANAGER)
OWNER_KINDS = {"Deployment": "deployment", "ReplicaSet": "replicaset", "DaemonSet": "daemonset"}


def pod_id(namespace: str, name: str) -> str:
    return f"pod/{namespace}/{name}"


def selector_text(selector: Any) -> str:
    """A selector as ``kubectl -l`` takes it: strings as given, matchLabels dicts as ``k=v,k=v``."""
    if isinstance(selector, dict):
        return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    return str(selector)


def selector_matcher(selector: Any) -> Callable[[dict], bool]:
    """A predicate over a label dict: ``None`` matches all, a string is a label selector
    (``"app=web,tier!=db"``, parsed by ``k8slearn.api.selector_parser.parse_selector``), a dict is matchLabels."""
    if selector is None:
        return lambda labels: True
    if isinstance(selector, dict):
        return selector_from_set(selector).matches
    return parse_selector(selector).matches


def build_graph(snap: Snapshot, namespace: str | None = None, selector: Any = None,
                collapse_owners: bool = False) -> nx.DiGraph:
    """The graph of ``snap``; ``namespace`` limits pods, services and owners, ``selector`` limits pods."""
    g = nx.DiGraph(now=snap.now)
    for cid in COMPONENTS:
        name = cid.split("/", 1)[1]
        g.add_node(cid, kind="component", name=name, stopped=name in snap.stopped)
    g.add_edge(APISERVER, ETCD, relation="stores in")
    g.add_edge(SCHEDULER, APISERVER, relation="watches")
    g.add_edge(CONTROLLER_MANAGER, APISERVER, relation="watches")
    for node in snap.nodes:
        nid = f"node/{node.name}"
        g.add_node(nid, kind="node", name=node.name, ready=node.ready, status=node.status,
                   unschedulable=node.unschedulable,
                   taints=node.taints, roles=node.roles, control_plane=node.control_plane)
        g.add_edge(nid, APISERVER, relation="watches", via="kubelet")

    matches = selector_matcher(selector)
    pods = [p for p in snap.pods
            if (namespace is None or p.namespace == namespace) and matches(dict(p.labels))]
    services = [s for s in snap.services if namespace is None or s.namespace == namespace]
    owner_of = _owner_chain(snap) if collapse_owners else {}

    members: dict[str, list] = {}           # graph id of a pod or collapsed owner -> its pods
    for pod in pods:
        controller = (pod.namespace, *pod.owner) if pod.owner else None
        if controller in owner_of:
            members.setdefault(_add_owner(g, controller, owner_of), []).append(pod)
            continue
        pid = pod_id(pod.namespace, pod.name)
        g.add_node(pid, kind="pod", name=pod.name, namespace=pod.namespace, phase=pod.phase,
                   status=pod.status, node=pod.node, labels=dict(pod.labels),
                   owner="/".join(pod.owner))
        members[pid] = [pod]
        if f"node/{pod.node}" in g:
            g.add_edge(pid, f"node/{pod.node}", relation="runs on")

    for oid, owned in members.items():
        if g.nodes[oid]["kind"] == "owner":
            _count_owned(g, oid, owned)
    _add_services(g, services, snap, members)
    return g


def _owner_chain(snap: Snapshot) -> dict:
    """(namespace, kind, name) -> (namespace, kind, name) of its own controller, or None."""
    chain = {}
    for owner in snap.owners:
        if owner.kind in OWNER_KINDS:
            controlled = bool(owner.owner) and owner.owner[0] in OWNER_KINDS
            parent = (owner.namespace, *owner.owner) if controlled else None
            chain[(owner.namespace, owner.kind, owner.name)] = parent
    return chain


def _add_owner(g: nx.DiGraph, key: tuple, owner_of: dict) -> str:
    """Add the owner ``key`` and, up its chain, its own owners joined by "owns" edges; return its id."""
    namespace, kind, name = key
    oid = f"{OWNER_KINDS[kind]}/{namespace}/{name}"
    if oid not in g:
        g.add_node(oid, kind="owner", owner_kind=kind, name=name, namespace=namespace,
                   pods=0, statuses={}, nodes={})
        parent = owner_of.get(key)
        if parent in owner_of:
            g.add_edge(_add_owner(g, parent, owner_of), oid, relation="owns")
    return oid


def _count_owned(g: nx.DiGraph, oid: str, pods: list) -> None:
    """Give ``oid`` (and the owners above it) the counts of ``pods``; add its "runs on" edges."""
    per_node: dict[str, int] = {}
    for pod in pods:
        if pod.node:
            per_node[pod.node] = per_node.get(pod.node, 0) + 1
    for node, count in sorted(per_node.items()):
        if f"node/{node}" in g:
            g.add_edge(oid, f"node/{node}", relation="runs on", pods=count)
    current = oid
    while current is not None:
        data = g.nodes[current]
        data["pods"] += len(pods)
        for pod in pods:
            data["statuses"][pod.status] = data["statuses"].get(pod.status, 0) + 1
        for node, count in per_node.items():
            data["nodes"][node] = data["nodes"].get(node, 0) + count
        parents = [u for u, _, r in g.in_edges(current, data="relation") if r == "owns"]
        current = parents[0] if parents else None


def _add_services(g: nx.DiGraph, services: list, snap: Snapshot, members: dict) -> None:
    endpoints = {(e.namespace, e.name): e for e in snap.endpoints}
    for svc in services:
        sid = f"svc/{svc.namespace}/{svc.name}"
        ep = endpoints.get((svc.namespace, svc.name))
        g.add_node(sid, kind="service", name=svc.name, namespace=svc.namespace, type=svc.type,
                   selector=dict(svc.selector), pods=0)
        if not svc.selector:
            continue
        matches = selector_from_set(dict(svc.selector)).matches
        for target, pods in members.items():
            chosen = [p for p in pods if p.namespace == svc.namespace and matches(dict(p.labels))]
            if not chosen:
                continue
            g.nodes[sid]["pods"] += len(chosen)
            ready = ep is not None and all(p.name in ep.ready for p in chosen)
            g.add_edge(sid, target, relation="selects", pods=len(chosen), ready=ready)


# -- the picture in words --
def summary(source: Any, namespace: str | None = None, selector: Any = None) -> str:
    """A short alt text for the picture: nodes and readiness, pods by status and where, services.

    ``source`` is a cluster, a Snapshot, or a graph already built from one (without collapsed owners).
    """
    if isinstance(source, nx.DiGraph):
        g = source
    else:
        g = build_graph(as_snapshot(source), namespace=namespace, selector=selector)
    return " ".join(filter(None, [_stopped_sentence(g), _nodes_sentence(g), _pods_sentence(g, namespace, selector),
                                  _services_sentence(g), _taints_sentence(g)]))


def _stopped_sentence(g: Any) -> str:
    """``kube-scheduler and kube-controller-manager are stopped.`` (empty while they run)."""
    stopped = [d["name"] for n, d in g.nodes(data=True) if d["kind"] == "component" and d.get("stopped")]
    if not stopped:
        return ""
    return f"{' and '.join(stopped)} {'is' if len(stopped) == 1 else 'are'} stopped."


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _nodes_sentence(g: Any) -> str:
    nodes = [d for _, d in sorted(g.nodes(data=True), key=lambda nd: natural_key(nd[0]))
             if d["kind"] == "node"]
    if not nodes:
        return "No nodes;"
    workers = sum(not d["control_plane"] for d in nodes)
    parts = []
    if workers:
        parts.append(plural(workers, "worker node"))
    if len(nodes) - workers:
        parts.append(plural(len(nodes) - workers, "control-plane node"))
    text = " and ".join(parts)
    unready = []
    for d in nodes:
        if d["ready"] != "True":
            status = d["status"].split(",")[0]          # kubectl's word; cordons are listed below
            silent = d["ready"] == "Unknown" and status == "NotReady"   # the node controller's verdict
            unready.append(f"{d['name']} {status}" + (" (no heartbeat)" if silent else ""))
    if not unready:
        text += ", all Ready" if len(nodes) > 1 else ", Ready"
    else:
        ready = len(nodes) - len(unready)
        text += ", " + ", ".join(([f"{ready} Ready"] if ready else []) + unready)
    cordoned = [d["name"] for d in nodes if d["unschedulable"]]
    if cordoned:
        text += f" ({_name_list(cordoned)} cordoned)"
    return text + ";"


def _pods_sentence(g: Any, namespace: Any, selector: Any) -> str:
    pods = [d for _, d in g.nodes(data=True) if d["kind"] == "pod"]
    where = (f" in namespace {namespace}" if namespace else "")
    where += f" matching {selector_text(selector)}" if selector else ""
    if not pods:
        return f"no pods{where}."
    groups: dict[tuple, list] = {}                  # (STATUS, has a node) -> pods
    for d in pods:
        groups.setdefault((d["status"], bool(d["node"])), []).append(d)
    order = {c: i for i, c in enumerate(style.POD_CATEGORIES)}
    parts = []
    for (status, bound), members in sorted(groups.items(), key=lambda kv: (
            order[style.pod_category(kv[0][0])], -len(kv[1]), kv[0][0], not kv[0][1])):
        nodes = sorted({d["node"] for d in members}, key=natural_key)
        parts.append(f"{len(members)} {status}" + (f" on {_name_list(nodes)}" if bound else ""))
    return f"{plural(len(pods), 'pod')}{where}: " + ", ".join(parts) + "."


def _services_sentence(g: Any) -> str:
    services = sorted((d for _, d in g.nodes(data=True) if d["kind"] == "service"),
                      key=lambda d: (d["namespace"], natural_key(d["name"])))
    if not services:
        return ""
    return "Services: " + ", ".join(f"{d['name']} selects {plural(d['pods'], 'pod')}" if d["selector"]
                                    else f"{d['name']} has no selector" for d in services) + "."


def _taints_sentence(g: Any) -> str:
    """The taints written under the nodes' boxes, nodes with the same taints together:
    ``Taints: control-plane has node-role.kubernetes.io/control-plane:NoSchedule; node-1..3 have
    dedicated=infra:NoExecute.`` (empty when no node has a taint)."""
    same: dict[tuple, list] = {}
    for _, d in sorted(g.nodes(data=True), key=lambda nd: natural_key(nd[0])):
        if d["kind"] == "node" and d["taints"]:
            same.setdefault(tuple(d["taints"]), []).append(d["name"])
    if not same:
        return ""
    groups = [f"{_name_list(names)} {'has' if len(names) == 1 else 'have'} {', '.join(taints)}"
              for taints, names in same.items()]
    return "Taints: " + "; ".join(groups) + "."


def _name_list(names: list, limit: int = 4) -> str:
    """"node-1..3" for runs of numbered names, otherwise a comma list of at most ``limit`` items."""
    items: list = []
    for name in sorted(names, key=natural_key):
        stem, _, number = name.rpartition("-")
        last = items[-1] if items else None
        if number.isdigit() and last and last[0] == stem and last[2] == int(number) - 1:
            last[2] = int(number)
        else:
            items.append([stem, name, int(number) if number.isdigit() else None])
    texts = []
    for stem, first, end in items:
        start = first.rpartition("-")[2]
        if end is not None and start.isdigit() and end - int(start) >= 2:
            texts.append(f"{first}..{end}")
        elif end is not None and start.isdigit() and end != int(start):
            texts.extend([first, f"{stem}-{end}"])
        else:
            texts.append(first)
    if len(texts) > limit:
        return ", ".join(texts[:limit - 1]) + f" and {len(texts) - limit + 1} more"
    return ", ".join(texts)
