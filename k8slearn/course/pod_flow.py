"""The pod creation chapter's helpers: step one pod's journey, read its revisions in etcd, find
who did what in the trace, order the stages, map a pod IP to its node, and verify the result.

Every helper reads what the simulated components left behind (``cluster.trace``, etcd, the
runtimes on the nodes); none of them changes the cluster except :func:`step_pod`, which only
runs events the cluster had queued anyway. A worked example on a trace written by hand:

>>> from k8slearn.sim import Step
>>> trace = [Step(0.003, "kubectl", "create", "pod/default/web"),
...          Step(0.003, "etcd", "put", "/registry/pods/default/web", "revision 56"),
...          Step(0.004, "kube-scheduler", "schedule", "pod/default/web", "picked node-1"),
...          Step(0.004, "kube-scheduler", "bind", "pod/default/web", "node-1")]
>>> who_did(trace, "decide which node runs the pod")
'kube-scheduler'
>>> who_did(trace, "validate the pod, fill in its defaults and write it to etcd")
'kube-apiserver'
>>> node_for_ip("10.244.10.7", {"node-1": "10.244.1.0/24", "node-10": "10.244.10.0/24"})
'node-10'

Simplified: a stage is the first trace line of its kind; watch deliveries of MODIFIED events,
which every watcher gets for every change, are stepped over quietly by :func:`step_pod`.

Upstream: none as code (a reading of the trace); the hops are those of
pkg/scheduler/schedule_one.go, pkg/kubelet/pod_workers.go, k8s.io/cri-api and the CNI SPEC.md
"""

from __future__ import annotations

import ipaddress
import itertools
import json
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from k8slearn.course.cases.pod_flow import COMPONENTS, WHO_DOES
from k8slearn.course.checks import CheckResult, Outcome
from k8slearn.viz.snapshot import unobserved

__all__ = [
    "COMPONENTS",
    "STAGES",
    "TASKS",
    "Placement",
    "Revision",
    "Revisions",
    "StepLog",
    "check_order",
    "node_for_ip",
    "pod_revisions",
    "stage_order",
    "step_pod",
    "verify",
    "where_is",
    "who_did",
]

TASKS = [case.args[0] for case in WHO_DOES]
"""The jobs of the ``pod_flow.who_does`` table, in table order."""

WRITES = {"create", "update", "patch", "bind", "delete"}


def _refs(name: str, namespace: str) -> tuple[str, str]:
    return f"pod/{namespace}/{name}", f"/registry/pods/{namespace}/{name}"


def component_name(component: str) -> str:
    """The component a trace line's writer belongs to, in the names of ``COMPONENTS``.

    >>> component_name("kubelet/node-1"), component_name("cni/node-2"), component_name("node-ipam-controller")
    ('kubelet', 'CNI plugin', 'kube-controller-manager')
    """
    head = component.split("/", 1)[0]
    return {"cni": "CNI plugin", "node-ipam-controller": "kube-controller-manager"}.get(head, head)


# -- who did what ---------------------------------------------------------------------------------

Matcher = Callable[[Any, str, str], bool]

# task -> (which trace line proves it, who gets the credit: None = the line's own component).
# Only kube-apiserver holds an etcd client, so the "etcd put" lines are its writes.
_EVIDENCE: dict[str, tuple[Matcher, str | None]] = {
    TASKS[0]: (
        lambda s, ref, key: s.component == "kubectl" and s.action == "create" and s.object == ref,
        None,
    ),
    TASKS[1]: (
        lambda s, ref, key: s.component == "etcd" and s.action == "put" and s.object == key,
        "kube-apiserver",
    ),
    TASKS[2]: (lambda s, ref, key: s.component == "etcd" and s.action == "put" and s.object == key, None),
    TASKS[3]: (lambda s, ref, key: s.action == "schedule" and s.object == ref, None),
    TASKS[4]: (lambda s, ref, key: s.action == "bind" and s.object == ref, None),
    TASKS[5]: (
        lambda s, ref, key: (
            s.component == "kube-scheduler"
            and s.action == "create"
            and s.object.startswith("event/" + ref.split("/", 1)[1] + ".")
        ),
        None,
    ),
    TASKS[6]: (
        lambda s, ref, key: (
            s.component.startswith("kubelet/")
            and s.action == "watch"
            and s.object == ref
            and s.detail.startswith("ADDED")
        ),
        None,
    ),
    TASKS[7]: (lambda s, ref, key: s.action == "RunPodSandbox" and s.object == ref, None),
    TASKS[8]: (lambda s, ref, key: s.action == "ADD" and s.object == ref, None),
    TASKS[9]: (lambda s, ref, key: s.action == "PullImage" and s.object == ref, None),
    TASKS[10]: (
        lambda s, ref, key: (
            s.component.startswith("kubelet/")
            and s.action == "update"
            and s.object == ref
            and s.detail == "status"
        ),
        None,
    ),
    TASKS[11]: (lambda s, ref, key: s.action == "allocate" and s.object.startswith("node/"), None),
}


def who_did(trace: Iterable[Any], task: str, name: str = "web", namespace: str = "default") -> str | None:
    """The component that did ``task`` (one of ``TASKS``) for pod ``name``, read from the trace;
    None when the trace shows nobody doing it."""
    matches, credit = _EVIDENCE[task]
    ref, key = _refs(name, namespace)
    for step in trace:
        if matches(step, ref, key):
            return credit or component_name(step.component)
    return None


# -- stepping one event at a time -----------------------------------------------------------------


class StepLog(list):
    """The trace lines one event wrote, and a note about what was stepped over on the way."""

    def __init__(self, steps: Iterable[Any] = (), note: str = "") -> None:
        super().__init__(steps)
        self.note = note

    def __str__(self) -> str:
        return "\n".join([str(step) for step in self] + ([self.note] if self.note else []))

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _about(step: Any, ref: str, key: str) -> bool:
    events = "event/" + ref.split("/", 1)[1] + "."
    return step.object in (ref, key) or step.object.startswith(events)


def _echo(step: Any) -> bool:
    """A watch delivering a change someone else made (MODIFIED): every watcher gets one."""
    return step.action == "watch" and step.detail.startswith("MODIFIED")


def step_pod(cluster: Any, name: str, namespace: str = "default", limit: int = 500) -> StepLog:
    """Run the cluster one event at a time until an event does something about the pod; return
    every trace line that event wrote. Events about other objects, timer ticks and MODIFIED
    watch deliveries are run too, and the note says how many of those deliveries it passed."""
    ref, key = _refs(name, namespace)
    echoes: list[str] = []
    for _ in range(limit):
        if cluster.loop.pending == 0:
            break
        start = len(cluster.trace)
        cluster.step()
        written = cluster.trace[start:]
        about = [s for s in written if _about(s, ref, key)]
        if not about:
            continue
        if all(_echo(s) for s in about):
            echoes += [s.component for s in about]
            continue
        return StepLog(written, _echo_note(echoes))
    note = f"(nothing more happens to {ref}: only heartbeats are left, t = {cluster.now:.3f} s)"
    return StepLog([], "\n".join(filter(None, [_echo_note(echoes), note])))


def _echo_note(components: list[str]) -> str:
    if not components:
        return ""
    noun = "delivery" if len(components) == 1 else "deliveries"
    return f"(also run: {len(components)} MODIFIED watch {noun}, to {', '.join(components)})"


# -- the pod's revisions in etcd -------------------------------------------------------------------


class Revision(NamedTuple):
    """One write of the pod's key: the etcd revision, the key's version, who wrote it, what changed."""

    revision: int
    version: int
    time: float
    writer: str
    changes: str


class Revisions(list):
    """The revisions of one key as a table."""

    def __str__(self) -> str:
        head = ("REVISION", "VERSION", "TIME", "WRITTEN BY", "WHAT CHANGED")
        rows = [head] + [
            (str(r.revision), str(r.version), f"{r.time:.3f}s", r.writer, r.changes) for r in self
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        return "\n".join(
            "   ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "   " + row[4]
            for row in rows
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _containers(pod: dict) -> dict[str, str]:
    found = {}
    for status in pod.get("status", {}).get("containerStatuses", []):
        state = status.get("state", {})
        kind = next(iter(state), "unknown")
        reason = state.get(kind, {}).get("reason")
        found[status["name"]] = f"{kind} ({reason})" if reason else kind
    return found


def _conditions(pod: dict) -> dict[str, str]:
    return {c["type"]: c["status"] for c in pod.get("status", {}).get("conditions", [])}


def changes(before: dict | None, after: dict) -> str:
    """What a write changed in a pod, in a few words (the fields this chapter follows).

    >>> changes(None, {"spec": {}, "status": {"phase": "Pending"}})
    'created: phase Pending, no spec.nodeName yet'
    >>> changes({"spec": {}, "status": {}}, {"spec": {"nodeName": "node-1"}, "status": {}})
    'spec.nodeName=node-1'
    """
    spec, status = after.get("spec", {}), after.get("status", {})
    if before is None:
        node = f"spec.nodeName={spec['nodeName']}" if spec.get("nodeName") else "no spec.nodeName yet"
        return f"created: phase {status.get('phase', '?')}, {node}"
    old_spec, old_status = before.get("spec", {}), before.get("status", {})
    parts = []
    if spec.get("nodeName") != old_spec.get("nodeName"):
        parts.append(f"spec.nodeName={spec.get('nodeName')}")
    if status.get("phase") != old_status.get("phase"):
        parts.append(f"phase {old_status.get('phase')} → {status.get('phase')}")
    for field in ("hostIP", "podIP"):
        if status.get(field) != old_status.get(field):
            parts.append(f"{field}={status.get(field)}")
    old_conditions = _conditions(before)
    parts += [
        f"{kind}={value}"
        for kind, value in _conditions(after).items()
        if old_conditions.get(kind) != value and value == "True"
    ]
    old_containers = _containers(before)
    parts += [
        f"{name} {state}" for name, state in _containers(after).items() if old_containers.get(name) != state
    ]
    if after.get("metadata", {}).get("deletionTimestamp") and not before.get("metadata", {}).get(
        "deletionTimestamp"
    ):
        parts.append("deletionTimestamp set")
    return ", ".join(parts) or "(metadata only)"


def pod_revisions(cluster: Any, name: str, namespace: str = "default") -> Revisions:
    """Every write of the pod's etcd key so far: revision, version, writer and what changed."""
    ref, key = _refs(name, namespace)
    rows, writer, before, version = Revisions(), "?", None, 0
    for step in cluster.trace:
        if step.object == ref and step.action in WRITES:
            writer = f"{step.component} {step.action}" + (f" {step.detail}" if step.detail else "")
        elif step.component == "etcd" and step.object == key:
            revision = int(step.detail.split()[-1])
            if step.action == "delete":
                rows.append(Revision(revision, 0, step.time, writer, "deleted"))
                before, version = None, 0
                continue
            try:
                kv = cluster.etcd.get(key, revision=revision)
            except Exception as err:  # noqa: BLE001 - compacted history: say so in the table
                rows.append(Revision(revision, version + 1, step.time, writer, f"(cannot read: {err})"))
                version += 1
                continue
            after = json.loads(kv.value)
            version = kv.version
            rows.append(Revision(revision, version, step.time, writer, changes(before, after)))
            before = after
    return rows


# -- the stages, in order ----------------------------------------------------------------------------

STAGES: dict[str, Matcher] = {
    "kubectl sends the pod to the API server": _EVIDENCE[TASKS[0]][0],
    "the API server stores the pod in etcd": _EVIDENCE[TASKS[1]][0],
    "the scheduler filters and scores the nodes": _EVIDENCE[TASKS[3]][0],
    "the scheduler writes the Binding": _EVIDENCE[TASKS[4]][0],
    "the kubelet on the chosen node sees the pod": _EVIDENCE[TASKS[6]][0],
    "containerd creates the sandbox and CNI gives it an IP": _EVIDENCE[TASKS[7]][0],
    "containerd pulls the image": _EVIDENCE[TASKS[9]][0],
    "containerd starts the container": lambda s, ref, key: s.action == "StartContainer" and s.object == ref,
    "the kubelet reports the pod Running": lambda s, ref, key: (
        False
    ),  # the last status write; see stage_order
}
"""The nine stages of a pod's journey, each matched by its first trace line."""


def stage_order(trace: list, name: str = "web", namespace: str = "default") -> dict[str, int]:
    """For each of ``STAGES``, the index of its trace line (the last kubelet status write for
    "reports the pod Running"); stages missing from the trace are left out."""
    ref, key = _refs(name, namespace)
    found: dict[str, int] = {}
    for index, step in enumerate(trace):
        for stage, matches in STAGES.items():
            if stage not in found and matches(step, ref, key):
                found[stage] = index
        if _EVIDENCE[TASKS[10]][0](step, ref, key):
            found["the kubelet reports the pod Running"] = index
    return {stage: found[stage] for stage in STAGES if stage in found}


def check_order(answer: list[str], trace: list, name: str = "web", namespace: str = "default") -> CheckResult:
    """Check a student's ordering of ``STAGES`` against the trace, one neighbouring pair at a time."""
    truth = stage_order(trace, name, namespace)
    title = f"the journey of {name}"
    unknown = [stage for stage in answer if stage not in STAGES]
    if unknown or sorted(answer) != sorted(STAGES):
        missing = [stage for stage in STAGES if stage not in answer]
        outcome = Outcome(
            "the list holds each of the nine stages once",
            False,
            sorted(STAGES),
            got=answer,
            note=f"unknown: {unknown}; missing: {missing}",
        )
        return CheckResult(title, [outcome], noun="checks")
    outcomes = []
    for first, second in itertools.pairwise(answer):
        right = truth[first] < truth[second]
        where = f"line {truth[second]} before line {truth[first]}"
        note = "" if right else f"in cluster.trace it is the other way round ({where})"
        outcomes.append(Outcome(f"“{first}” comes before “{second}”", right, True, right, note=note))
    return CheckResult(title, outcomes, noun="checks")


# -- pod IPs and node ranges ---------------------------------------------------------------------------


def node_for_ip(ip: str, pod_cidrs: dict[str, str]) -> str | None:
    """The node whose pod CIDR contains ``ip`` (compared as addresses, not as text), or None."""
    address = ipaddress.ip_address(ip)
    for node, cidr in pod_cidrs.items():
        if cidr and address in ipaddress.ip_network(cidr):
            return node
    return None


# -- where the pod is, and the chapter's verification --------------------------------------------------


class Placement(NamedTuple):
    """Where a pod runs: phase, node, pod IP, and the node's podCIDR."""

    name: str
    phase: str
    node: str
    ip: str
    pod_cidr: str

    def __str__(self) -> str:
        return (
            f"You should see pod {self.name} {self.phase} on {self.node} with IP {self.ip}, "
            f"inside {self.node}'s podCIDR {self.pod_cidr}."
        )


def where_is(cluster: Any, name: str, namespace: str = "default") -> Placement:
    """Read the pod and its node through the API server (without adding to the trace)."""
    with unobserved(cluster):
        pod = cluster.api.get("pods", name, namespace)
        node = pod["spec"].get("nodeName", "")
        cidr = cluster.api.get("nodes", node)["spec"].get("podCIDR", "") if node else ""
    status = pod.get("status", {})
    return Placement(name, status.get("phase", ""), node, status.get("podIP", ""), cidr)


def verify(cluster: Any, name: str, namespace: str = "default") -> CheckResult:
    """The chapter's end state: the pod Running on a worker, its IP in that node's range, and
    its sandbox and containers in the node's container runtime."""
    where = where_is(cluster, name, namespace)
    with unobserved(cluster):
        wanted = len(cluster.api.get("pods", name, namespace)["spec"]["containers"])
    ready, running = _on_node(cluster, where.node, name, namespace)
    owner = node_for_ip(where.ip, {where.node: where.pod_cidr}) if where.ip and where.pod_cidr else None
    outcomes = [
        Outcome(f"pod {name} is Running", where.phase == "Running", "Running", where.phase),
        Outcome(
            "it is bound to a worker node",
            bool(where.node) and where.node != "control-plane",
            "a worker node",
            where.node or None,
        ),
        Outcome(
            f"its IP {where.ip} is inside {where.node}'s podCIDR {where.pod_cidr}",
            bool(owner) and owner == where.node,
            where.node,
            owner,
        ),
        Outcome(f"crictl pods on {where.node} shows one Ready sandbox for it", ready == 1, 1, ready),
        Outcome(
            f"crictl ps on {where.node} shows its {wanted} container(s) running in that sandbox",
            running == wanted,
            wanted,
            running,
        ),
    ]
    return CheckResult(f"pod {name}", outcomes, noun="checks")


def _on_node(cluster: Any, node: str, name: str, namespace: str) -> tuple[int, int]:
    """(Ready sandboxes of the pod, running containers in the first one) in the node's runtime."""
    kubelet = cluster.kubelets.get(node)
    if kubelet is None:
        return 0, 0
    runtime = kubelet.runtime
    ready = [
        s
        for s in runtime.list_pod_sandbox()
        if (s.namespace, s.name) == (namespace, name) and s.state == "SANDBOX_READY"
    ]
    if not ready:
        return 0, 0
    running = [c for c in runtime.list_containers(sandbox_id=ready[0].id) if c.state == "CONTAINER_RUNNING"]
    return len(ready), len(running)
