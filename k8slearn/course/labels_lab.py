"""The pods-and-labels chapter's helpers: what the containers of one pod share on its node, and
small pieces for the selector exercises.

A pod is one sandbox plus its containers. containerd starts the sandbox's *pause* container
first; CNI puts ``eth0`` with the pod IP into the sandbox's network namespace, and every app
container of the pod is created *inside* that namespace. :func:`pod_network` shows this as
``crictl inspectp`` / ``crictl inspect`` would (which sandbox, which namespace, which IP), and
:func:`ip_addr` lists the interfaces of that namespace the way ``ip -brief address`` does.

>>> split_requirements("app=web, env in (prod, staging),!canary")
['app=web', 'env in (prod, staging)', '!canary']
>>> split_requirements("")
[]

Simplified: IPv4 only; ``eth0`` is shown without its ``@ifN`` peer index; the pause container
only holds the network namespace here (real pods also share IPC and UTS namespaces, and the PID
namespace with ``shareProcessNamespace: true``).

Upstream: k8s.io/cri-api/pkg/apis/runtime/v1/api.proto (PodSandboxStatus, ContainerStatus),
kubernetes-sigs/cri-tools cmd/crictl (inspect, inspectp), kubernetes/build/pause/linux/pause.c,
staging/src/k8s.io/apimachinery/pkg/labels/selector.go (the selector grammar)
"""

from __future__ import annotations

from typing import Any, NamedTuple

from k8slearn.course.checks import CheckResult, Outcome, type_in_words
from k8slearn.kubelet.runtime import PAUSE_IMAGE
from k8slearn.viz.snapshot import unobserved

__all__ = [
    "NetworkRow",
    "NetworkView",
    "check_selectors",
    "ip_addr",
    "pod_network",
    "selected",
    "split_requirements",
    "verify",
]


def split_requirements(selector: str) -> list[str]:
    """Split a selector at the commas that separate requirements (not those inside ``( )``)."""
    parts, depth, current = [], 0, ""
    for char in selector:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [part for part in parts if part]


def selected(cluster: Any, selector: str, namespace: str = "default") -> list[str]:
    """The names of the pods ``kubectl get pods -l <selector>`` lists, sorted."""
    with unobserved(cluster):
        pods = cluster.api.list("pods", namespace=namespace, label_selector=selector)
    return sorted(pod["metadata"]["name"] for pod in pods)


def check_selectors(
    cluster: Any, selectors: dict[str, str], wanted: dict[str, list[str]], namespace: str = "default"
) -> CheckResult:
    """Run each of a student's selectors against the pods of ``namespace``: the selector for each
    request in ``wanted`` must list exactly the pods named there. Selectors that are not a dict are
    one failing check, never an exception."""
    if not isinstance(selectors, dict):
        error = (f"{type_in_words(selectors)}; the selectors must be a dict from each request to its "
                 f"selector, as in {{'{next(iter(wanted), 'the request')}': '...'}}")
        outcome = Outcome("the selectors are a dict, one selector per request", False, "a dict", error=error)
        return CheckResult("selectors", [outcome], noun="checks")
    outcomes = []
    for request, names in wanted.items():
        selector = selectors.get(request)
        if selector is None:
            outcomes.append(
                Outcome(request, False, sorted(names), error="(no selector given for this request)")
            )
            continue
        if not isinstance(selector, str):
            outcomes.append(Outcome(request, False, sorted(names), error=(
                f"the selector must be a string, as after kubectl's -l (got {type(selector).__name__} "
                f"{selector!r})")))
            continue
        label = f"{request}: -l '{selector}'"
        try:
            got = selected(cluster, selector, namespace)
        except Exception as err:  # noqa: BLE001 - the API server's refusal is the student's result
            outcomes.append(Outcome(label, False, sorted(names), error=f"the API server refused it: {err}"))
            continue
        outcomes.append(Outcome(label, got == sorted(names), sorted(names), got))
    return CheckResult("selectors", outcomes, noun="checks")


# -- one pod on its node ------------------------------------------------------------------------------


class NetworkRow(NamedTuple):
    """The sandbox or one container: its id, the sandbox it lives in, its network namespace, its IP."""

    kind: str
    name: str
    id: str
    sandbox: str
    netns: str
    ip: str


class NetworkView(NamedTuple):
    """What the node's runtime says about one pod's sandbox and containers."""

    pod: str
    node: str
    rows: tuple

    def __str__(self) -> str:
        """A line about the sandbox, then one row per process: the pause container and each app
        container, with the sandbox it lives in, its network namespace and its IP."""
        head = ("NAME", "ID", "POD SANDBOX", "NETWORK NAMESPACE", "IP")
        rows = [head] + [tuple(row[1:]) for row in self.rows]
        widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
        sandbox = next((row.id for row in self.rows if row.kind == "sandbox"), "")
        lines = [
            f"pod {self.pod} on {self.node}: "
            + (f"sandbox {sandbox}, held by the pause container {PAUSE_IMAGE}" if sandbox else "no sandbox")
        ]
        lines += ["   ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    @property
    def ips(self) -> list[str]:
        """The IP each container sees (one per container, in container order)."""
        return [row.ip for row in self.rows if row.kind == "container"]


def _locate(cluster: Any, name: str, namespace: str) -> tuple[dict, Any, Any]:
    """(the pod, its node's runtime, its Ready sandbox or None)."""
    with unobserved(cluster):
        pod = cluster.api.get("pods", name, namespace)
    node = pod["spec"].get("nodeName")
    if not node:
        raise ValueError(f'pod "{name}" is not scheduled to a node yet')
    runtime = cluster.kubelets[node].runtime
    sandbox = next(
        (
            s
            for s in runtime.list_pod_sandbox()
            if (s.namespace, s.name, s.uid) == (namespace, name, pod["metadata"]["uid"])
            and s.state == "SANDBOX_READY"
        ),
        None,
    )
    return pod, runtime, sandbox


def _eth0(runtime: Any, netns: str) -> str:
    interfaces = runtime.host.netns.get(netns, {}).get("interfaces", {})
    addresses = interfaces.get("eth0", {}).get("addresses", [])
    return addresses[0].split("/")[0] if addresses else ""


def pod_network(cluster: Any, name: str, namespace: str = "default") -> NetworkView:
    """The pod's sandbox and each container with its sandbox, network namespace and IP."""
    pod, runtime, sandbox = _locate(cluster, name, namespace)
    node = pod["spec"]["nodeName"]
    if sandbox is None:
        return NetworkView(f"{namespace}/{name}", node, ())
    ip = _eth0(runtime, sandbox.netns)
    rows = [NetworkRow("sandbox", "pause", sandbox.id[:13], sandbox.id[:13], sandbox.netns, ip)]
    for container in sorted(
        runtime.list_containers(sandbox_id=sandbox.id), key=lambda c: (c.created_at, c.name)
    ):
        if container.state == "CONTAINER_RUNNING":
            # A container's OCI spec points its network namespace at the sandbox's.
            netns = runtime.sandboxes[container.sandbox_id].netns
            rows.append(
                NetworkRow(
                    "container",
                    container.name,
                    container.id[:13],
                    container.sandbox_id[:13],
                    netns,
                    _eth0(runtime, netns),
                )
            )
    return NetworkView(f"{namespace}/{name}", node, tuple(rows))


def ip_addr(cluster: Any, name: str, namespace: str = "default") -> str:
    """``ip -brief address`` run inside the pod's network namespace (what every container sees)."""
    _, runtime, sandbox = _locate(cluster, name, namespace)
    if sandbox is None:
        return ""
    lines = []
    for ifname, interface in runtime.host.netns.get(sandbox.netns, {}).get("interfaces", {}).items():
        state = "UNKNOWN" if ifname == "lo" else "UP"
        lines.append(f"{ifname:<16} {state:<14} {' '.join(interface.get('addresses', []))}")
    return "\n".join(lines)


def verify(cluster: Any, name: str, namespace: str = "default") -> CheckResult:
    """A multi-container pod's end state: Running, one sandbox, every container inside it, one eth0
    (a missing pod: a failing check)."""
    from k8slearn.api.errors import ApiError

    try:
        pod, runtime, sandbox = _locate(cluster, name, namespace)
    except ApiError as err:
        outcome = Outcome(f"pod {name} exists", False, f"pod {namespace}/{name}", None,
                          note=str(err.status.get("message", err)))
        return CheckResult(f"pod {name}", [outcome], noun="checks")
    node = pod["spec"]["nodeName"]
    wanted = [c["name"] for c in pod["spec"]["containers"]]
    ready = [s["name"] for s in pod.get("status", {}).get("containerStatuses", []) if s.get("ready")]
    sandboxes = [s for s in runtime.list_pod_sandbox() if (s.namespace, s.name) == (namespace, name)]
    inside = (
        sorted(
            c.name for c in runtime.list_containers(sandbox_id=sandbox.id) if c.state == "CONTAINER_RUNNING"
        )
        if sandbox
        else []
    )
    interfaces = sorted(runtime.host.netns.get(sandbox.netns, {}).get("interfaces", {})) if sandbox else []
    pod_ip = pod.get("status", {}).get("podIP", "")
    outcomes = [
        Outcome(
            f"pod {name} is Running with {len(wanted)}/{len(wanted)} containers ready",
            pod.get("status", {}).get("phase") == "Running" and sorted(ready) == sorted(wanted),
            f"{len(wanted)}/{len(wanted)}",
            f"{len(ready)}/{len(wanted)}",
        ),
        Outcome(
            f"crictl pods on {node} shows exactly one sandbox for it", len(sandboxes) == 1, 1, len(sandboxes)
        ),
        Outcome(
            f"every container ({', '.join(sorted(wanted))}) runs in that sandbox",
            inside == sorted(wanted),
            sorted(wanted),
            inside,
        ),
        Outcome(
            f"the sandbox's network namespace has lo and one eth0 with the pod IP {pod_ip}",
            interfaces == ["eth0", "lo"] and bool(sandbox) and _eth0(runtime, sandbox.netns) == pod_ip,
            ["eth0", "lo"],
            interfaces,
        ),
    ]
    return CheckResult(f"pod {name}", outcomes, noun="checks")
