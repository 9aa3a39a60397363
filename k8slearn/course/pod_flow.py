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

Simplified: a stage is the first trace line of its kind (the last one for the final status
write); watch deliveries of MODIFIED events, which every watcher gets for every change, are
stepped over quietly by :func:`step_pod`.

Upstream: none as code (a reading of the trace); the hops are those of
pkg/scheduler/schedule_one.go, pkg/kubelet/pod_workers.go, k8s.io/cri-api and the CNI SPEC.md
"""

from __future__ import annotations

import ipaddress
import itertools
import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from k8slearn.course.cases.pod_flow import COMPONENTS, WHO_DOES
from k8slearn.course.checks import CheckResult, Outcome
from k8slearn.viz.snapshot import unobserved

__all__ = ["COMPONENTS", "STAGES", "TASKS", "Pattern", "Placement", "Revision", "Revisions", "StepLog",
           "changes", "check_order", "component_name", "node_for_ip", "pod_revisions", "stage_order",
           "step_pod", "verify", "where_is", "who_did"]  # fmt: skip

TASKS = [case.args[0] for case in WHO_DOES]
"""The jobs of the ``pod_flow.who_does`` table, in table order."""

WRITES = {"create", "update", "patch", "bind", "delete"}


def component_name(component: str) -> str:
    """The component a trace line's writer belongs to, in the names of ``COMPONENTS``.

    >>> component_name("kubelet/node-1"), component_name("cni/node-2"), component_name("node-ipam-controller")
    ('kubelet', 'CNI plugin', 'kube-controller-manager')
    """
    head = component.split("/", 1)[0]
    return {"cni": "CNI plugin", "node-ipam-controller": "kube-controller-manager"}.get(head, head)


class Pattern(NamedTuple):
    """A trace line to look for: its ``action``, what it is ``about`` ("pod", "key" for the pod's
    etcd key, "event" for an Event about the pod, "node" for any node), and optionally prefixes
    of its writer and of its detail.

    >>> from k8slearn.sim import Step
    >>> Pattern("watch", writer="kubelet/", detail="ADDED").matches(
    ...     Step(0.0, "kubelet/node-1", "watch", "pod/default/web", "ADDED rv=57"), "web", "default")
    True
    """

    action: str
    about: str = "pod"
    writer: str = ""
    detail: str = ""
    mentions: str = ""  # a word the detail must contain (the scheduler's "picked")

    def matches(self, step: Any, name: str, namespace: str) -> bool:
        objects = {
            "pod": step.object == f"pod/{namespace}/{name}",
            "key": step.object == f"/registry/pods/{namespace}/{name}",
            "event": step.object.startswith(f"event/{namespace}/{name}."),
            "node": step.object.startswith("node/"),
        }
        return (step.action == self.action and objects[self.about] and step.component.startswith(self.writer)
                and step.detail.startswith(self.detail) and self.mentions in step.detail)  # fmt: skip


# -- who did what ---------------------------------------------------------------------------------

STORE = Pattern("put", about="key", writer="etcd")
STATUS = Pattern("patch", writer="kubelet/", detail="strategic, status")

# job -> (the trace line that proves it, who gets the credit; None: the line's own writer).
# Only kube-apiserver holds an etcd client, so etcd's "put" lines are the API server's writes.
_EVIDENCE: dict[str, tuple[Pattern, str | None]] = dict(zip(TASKS, [
    (Pattern("create", writer="kubectl"), None),
    (STORE, "kube-apiserver"),
    (STORE, None),
    (Pattern("schedule", mentions="picked"), None),  # (a pod that fits nowhere has no node decided)
    (Pattern("bind"), None),
    (Pattern("create", about="event", writer="kube-scheduler"), None),  # after the bind: see who_did
    (Pattern("watch", writer="kubelet/", detail="ADDED"), None),
    (Pattern("RunPodSandbox"), None),
    (Pattern("ADD"), None),
    (Pattern("PullImage"), None),
    (STATUS, None),
    (Pattern("allocate", about="node"), None),
], strict=True))  # fmt: skip


# The Scheduled event is the one recorded after the bind (before it, an event is FailedScheduling).
_AFTER: dict[str, Pattern] = {TASKS[5]: Pattern("bind")}


def who_did(trace: Iterable[Any], task: str, name: str = "web", namespace: str = "default") -> str | None:
    """The component that did ``task`` (one of ``TASKS``) for pod ``name``, read from the trace;
    None when the trace shows nobody doing it. A task not in ``TASKS`` raises a KeyError that
    lists them.

    >>> who_did([], "choose the node")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    KeyError: "no task named “choose the node”; the tasks are: “turn `kubectl run` into a Pod ...”, ..."
    """
    if task not in _EVIDENCE:
        known = ", ".join(f"“{t}”" for t in TASKS)
        raise KeyError(f"no task named “{task}”; the tasks are: {known}") from None
    pattern, credit = _EVIDENCE[task]
    after = _AFTER.get(task)
    steps = list(trace)
    for step in steps[_newest_pod_start(steps, name, namespace):]:
        if after is not None:  # the evidence counts only from this line on
            after = None if after.matches(step, name, namespace) else after
        elif pattern.matches(step, name, namespace):
            return credit or component_name(step.component)
    return None


def _newest_pod_start(steps: list, name: str, namespace: str) -> int:
    """Where the newest pod of this name begins in the trace: its create request, if it came after
    etcd deleted an earlier pod of the same name (as ``pod_journey`` and ``pod_revisions`` count)."""
    start, gone = 0, False
    for i, step in enumerate(steps):
        if step.component == "etcd" and step.action == "delete" and step.object == f"/registry/pods/{namespace}/{name}":
            gone = True
        elif gone and step.action == "create" and step.object == f"pod/{namespace}/{name}":
            start, gone = i, False
    return start


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


def _about(step: Any, name: str, namespace: str) -> bool:
    return any(
        Pattern(step.action, about).matches(step, name, namespace) for about in ("pod", "key", "event")
    )


def _echo(step: Any) -> bool:
    """A watch delivering a change someone else made (MODIFIED): every watcher gets one."""
    return step.action == "watch" and step.detail.startswith("MODIFIED")


def _echo_note(components: list[str]) -> str:
    if not components:
        return ""
    noun = "delivery" if len(components) == 1 else "deliveries"
    return f"(also run: {len(components)} MODIFIED watch {noun}, to {', '.join(components)})"


def step_pod(cluster: Any, name: str, namespace: str = "default", limit: int = 500) -> StepLog:
    """Run the cluster one event at a time until an event does something about the pod; return
    every trace line that event wrote. Events about other objects, timer ticks and MODIFIED
    watch deliveries are run too, and the note says how many deliveries it passed. It stops when
    only heartbeats are left, so it never moves the clock on to the next lease renewal."""
    echoes: list[str] = []
    for _ in range(limit):
        if cluster.loop.pending == 0:
            break
        start = len(cluster.trace)
        cluster.step()
        written = cluster.trace[start:]
        about = [step for step in written if _about(step, name, namespace)]
        if about and all(_echo(step) for step in about):
            echoes += [step.component for step in about]
        elif about:
            return StepLog(written, _echo_note(echoes))
    note = (
        f"(nothing more happens to pod/{namespace}/{name} for now: only periodic work is left, such as "
        f"heartbeats and a scheduler's retry of a pod that fits nowhere; t = {cluster.now:.3f} s)"
    )
    return StepLog([], "\n".join(filter(None, [_echo_note(echoes), note])))


# -- the pod's revisions in etcd -------------------------------------------------------------------


class Revision(NamedTuple):
    """One write of the pod's key: the etcd revision, the key's version, who wrote it, what changed."""

    revision: int
    version: int
    time: float
    writer: str
    changes: str


class Revisions(list):
    """The revisions of one key, shown as a table."""

    def __str__(self) -> str:
        head = ("REVISION", "VERSION", "TIME", "WRITTEN BY", "WHAT CHANGED")
        rows = [head] + [
            (str(r.revision), str(r.version), f"{r.time:.3f}s", r.writer, r.changes) for r in self
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        return "\n".join(
            "   ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[4]]) for row in rows
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
    parts += [f"{f}={status.get(f)}" for f in ("hostIP", "podIP") if status.get(f) != old_status.get(f)]
    old = _conditions(before)
    parts += [f"{kind}={value}" for kind, value in _conditions(after).items() if value != old.get(kind)]
    old = _containers(before)
    parts += [f"{name} {state}" for name, state in _containers(after).items() if old.get(name) != state]
    deleting = [pod.get("metadata", {}).get("deletionTimestamp") for pod in (before, after)]
    if deleting[1] and not deleting[0]:
        parts.append("deletionTimestamp set")
    return ", ".join(parts) or "(metadata only)"


def pod_revisions(cluster: Any, name: str, namespace: str = "default") -> Revisions:
    """Every write of the pod's etcd key so far: revision, version, writer and what changed.
    The writer is the API request that came just before the write in the trace. A name used again
    (``web`` deleted and run anew) is another pod: only the newest one's writes are listed."""
    key = f"/registry/pods/{namespace}/{name}"
    rows, writer, before, gone = Revisions(), "?", None, False
    for step in cluster.trace:
        if step.object == f"pod/{namespace}/{name}" and step.action in WRITES:
            writer = " ".join(filter(None, [step.component, step.action, step.detail]))
        elif step.component == "etcd" and step.object == key:
            revision = int(step.detail.split()[-1])
            if step.action == "delete":
                rows.append(Revision(revision, 0, step.time, writer, "deleted"))
                before, gone = None, True
                continue
            if gone:  # a pod of the same name created again: another pod, whose rows start here
                rows, gone = Revisions(), False
            try:
                kv = cluster.etcd.get(key, revision=revision)
            except Exception as err:  # noqa: BLE001 - compacted history: say so in the table
                rows.append(Revision(revision, 0, step.time, writer, f"(cannot read it any more: {err})"))
                before = None
                continue
            after = json.loads(kv.value)
            what = changes(before, after)
            if before is None and kv.version > 1:  # the version before it was compacted away
                what = "(the first version still readable) " + what.removeprefix("created: ")
            rows.append(Revision(revision, kv.version, step.time, writer, what))
            before = after
    return rows


# -- the stages, in order ----------------------------------------------------------------------------

STAGES: dict[str, Pattern] = {
    "kubectl sends the pod to the API server": _EVIDENCE[TASKS[0]][0],
    "the API server stores the pod in etcd": STORE,
    "the scheduler filters and scores the nodes": Pattern("schedule"),
    "the scheduler writes the Binding": Pattern("bind"),
    "the kubelet on the chosen node sees the pod": _EVIDENCE[TASKS[6]][0],
    "containerd creates the sandbox and CNI gives it an IP": Pattern("RunPodSandbox"),
    "containerd pulls the image": Pattern("PullImage"),
    "containerd starts the container": Pattern("StartContainer"),
    "the kubelet reports the pod Running": STATUS,
}
"""The nine stages of a pod's journey, each found by its first trace line (the last status write
for the final one)."""
LAST = {"the kubelet reports the pod Running"}


def stage_order(trace: list, name: str = "web", namespace: str = "default") -> dict[str, int]:
    """For each of ``STAGES``, the index of its line in the trace; missing stages are left out."""
    found: dict[str, int] = {}
    for index, step in enumerate(trace):
        for stage, pattern in STAGES.items():
            if stage in LAST and "containerd starts the container" not in found:
                continue  # a status write before the container started does not report it Running
            if (stage not in found or stage in LAST) and pattern.matches(step, name, namespace):
                found[stage] = index
    return {stage: found[stage] for stage in STAGES if stage in found}


EACH_STAGE_ONCE = "each name of pod_flow.STAGES once, in the order you choose"
"""What a malformed answer is shown as expected: never the stages in their true order."""


def _stage_list_problems(answer: list[str]) -> str:
    """What is wrong with a list that is not the nine stages once each, in words.

    >>> for part in _stage_list_problems(list(STAGES)[1:] + ["containerd pulls the image", "docker runs"]).split("; "):
    ...     print(part)
    unknown: ['docker runs']
    missing: ['kubectl sends the pod to the API server']
    twice: ['containerd pulls the image']
    """
    unknown = [stage for stage in answer if stage not in STAGES]
    missing = [stage for stage in STAGES if stage not in answer]
    twice = sorted({stage for stage in answer if stage in STAGES and answer.count(stage) > 1})
    parts = [f"unknown: {unknown}", f"missing: {missing}"] + ([f"twice: {twice}"] if twice else [])
    return "; ".join(parts)


def check_order(answer: list[str], trace: list, name: str = "web", namespace: str = "default") -> CheckResult:
    """Check a student's ordering of ``STAGES`` against the trace, one neighbouring pair at a time.
    A list that is not the nine stages once each is one failing check that names what is unknown,
    missing or repeated, and never shows the true order."""
    truth = stage_order(trace, name, namespace)
    title = f"the journey of {name}"
    if not isinstance(answer, (list, tuple)) or not all(isinstance(stage, str) for stage in answer):
        outcome = Outcome("the answer is a list of the stages' names", False, EACH_STAGE_ONCE, answer)
        return CheckResult(title, [outcome], noun="checks")
    if sorted(answer) != sorted(STAGES):
        outcome = Outcome("the list holds each of the nine stages once", False, EACH_STAGE_ONCE, answer,
                          note=_stage_list_problems(answer))
        return CheckResult(title, [outcome], noun="checks")
    outcomes = []
    for first, second in itertools.pairwise(answer):
        missing = [stage for stage in (first, second) if stage not in truth]
        if missing:
            note = f"cluster.trace has no line for “{missing[0]}”: the journey of {name} did not get there"
            outcomes.append(Outcome(f"“{first}” comes before “{second}”", False, True, None, note=note))
            continue
        right = truth[first] < truth[second]
        note = f"in cluster.trace it is the other way round (line {truth[second]} before line {truth[first]})"
        outcomes.append(
            Outcome(f"“{first}” comes before “{second}”", right, True, right, note="" if right else note)
        )
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
        return (f"You should see pod {self.name} {self.phase} on {self.node} with IP {self.ip}, "
                f"inside {self.node}'s podCIDR {self.pod_cidr}.")  # fmt: skip


def where_is(cluster: Any, name: str, namespace: str = "default") -> Placement:
    """Read the pod and its node through the API server (without adding to the trace)."""
    with unobserved(cluster):
        pod = cluster.api.get("pods", name, namespace)
        node = pod["spec"].get("nodeName", "")
        cidr = cluster.api.get("nodes", node)["spec"].get("podCIDR", "") if node else ""
    status = pod.get("status", {})
    return Placement(name, status.get("phase", ""), node, status.get("podIP", ""), cidr)


def _on_node(cluster: Any, node: str, name: str, namespace: str) -> tuple[int, int]:
    """(Ready sandboxes of the pod, running containers in the first one) in the node's runtime."""
    kubelet = cluster.kubelets.get(node)
    if kubelet is None:
        return 0, 0
    runtime = kubelet.runtime
    ready = [s for s in runtime.list_pod_sandbox()
             if (s.namespace, s.name) == (namespace, name) and s.state == "SANDBOX_READY"]  # fmt: skip
    if not ready:
        return 0, 0
    running = [c for c in runtime.list_containers(sandbox_id=ready[0].id) if c.state == "CONTAINER_RUNNING"]
    return len(ready), len(running)


def verify(cluster: Any, name: str, namespace: str = "default") -> CheckResult:
    """The chapter's end state: the pod Running on a worker, its IP in that node's range, and
    its sandbox and containers in the node's container runtime (a missing pod: a failing check)."""
    from k8slearn.api.errors import ApiError

    try:
        where = where_is(cluster, name, namespace)
    except ApiError as err:
        outcome = Outcome(f"pod {name} exists", False, f"pod {namespace}/{name}", None,
                          note=str(err.status.get("message", err)))
        return CheckResult(f"pod {name}", [outcome], noun="checks")
    with unobserved(cluster):
        wanted = len(cluster.api.get("pods", name, namespace)["spec"]["containers"])
    ready, running = _on_node(cluster, where.node, name, namespace)
    owner = node_for_ip(where.ip, {where.node: where.pod_cidr}) if where.ip and where.pod_cidr else None
    worker = bool(where.node) and where.node != "control-plane"
    outcomes = [
        Outcome(f"pod {name} is Running", where.phase == "Running", "Running", where.phase),
        Outcome("it is bound to a worker node", worker, "a worker node", where.node or None),
        Outcome(f"its IP {where.ip} is inside {where.node}'s podCIDR {where.pod_cidr}",
                bool(owner) and owner == where.node, where.node, owner),
        Outcome(f"crictl pods on {where.node} shows one Ready sandbox for it", ready == 1, 1, ready),
        Outcome(f"crictl ps on {where.node} shows its {wanted} container(s) running in that sandbox",
                running == wanted, wanted, running),
    ]  # fmt: skip
    return CheckResult(f"pod {name}", outcomes, noun="checks")
