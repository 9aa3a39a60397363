"""``crictl``: look inside a node's container runtime, below the API server.

``kubectl`` shows what the API server knows; ``crictl`` (run on the node) asks containerd over
the CRI socket what is really running, including the *pause* containers that hold each pod's
network namespace (``crictl pods`` lists those sandboxes).

>>> human_duration(0.4), human_duration(75), human_duration(3 * 3600)
('Less than a second', 'About a minute', '3 hours')

Simplified: ``ps`` and ``pods`` (``-a``, ``-q``, and the filters ``--name``, ``--namespace`` as regular
expressions, ``--state``, ``--pod``, ``--id`` as ID prefixes), ``images`` (``-q``) and ``logs`` only
(crictl's other commands and options, ``-o json`` among them, say they are not simulated); times are
simulated.

Upstream: kubernetes-sigs/cri-tools cmd/crictl (container.go, sandbox.go, image.go),
github.com/docker/go-units (HumanDuration)
"""

from __future__ import annotations

import shlex
from typing import Any

CONTAINER_STATES = {
    "CONTAINER_CREATED": "Created",
    "CONTAINER_RUNNING": "Running",
    "CONTAINER_EXITED": "Exited",
    "CONTAINER_UNKNOWN": "Unknown",
}
SANDBOX_STATES = {"SANDBOX_READY": "Ready", "SANDBOX_NOTREADY": "NotReady"}


def human_duration(seconds: float) -> str:
    """docker/go-units HumanDuration (what crictl prints in CREATED, before " ago")."""
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = s // 60
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = round(seconds / 3600)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds // 3600) // 24 // 365} years"


def table(rows: list[list[str]]) -> str:
    """crictl's tabwriter: minimum cell width 20, padding 3, left-aligned."""
    widths = [max(20, max(len(r[i]) for r in rows) + 3) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) if i < len(row) - 1 else cell for i, cell in enumerate(row)]
        lines.append("".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _truncate(identifier: str) -> str:
    return identifier.split(":", 1)[-1][:13]


def ps(runtime: Any, now: float, all_states: bool = False, containers: list | None = None) -> str:
    rows = [["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD", "NAMESPACE"]]
    for c in containers if containers is not None else runtime.list_containers(all_states=all_states):
        rows.append(
            [
                _truncate(c.id),
                _truncate(c.image_id),
                human_duration(now - c.created_at) + " ago",
                CONTAINER_STATES[c.state],
                c.name,
                str(c.attempt),
                _truncate(c.sandbox_id),
                c.pod_name,
                c.pod_namespace,
            ]
        )
    return table(rows)


def pods(runtime: Any, now: float, sandboxes: list | None = None) -> str:
    rows = [["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"]]
    for s in sandboxes if sandboxes is not None else runtime.list_pod_sandbox():
        rows.append(
            [
                _truncate(s.id),
                human_duration(now - s.created_at) + " ago",
                SANDBOX_STATES[s.state],
                s.name,
                s.namespace,
                str(s.attempt),
                "(default)",
            ]
        )
    return table(rows)


def images(runtime: Any) -> str:
    rows = [["IMAGE", "TAG", "IMAGE ID", "SIZE"]]
    for image in sorted(runtime.images.values(), key=lambda i: i.ref):
        repo, tag = image.ref.rsplit(":", 1)
        rows.append([repo, tag, _truncate(image.image_id), _size(image.size)])
    return table(rows)


def _size(size: int) -> str:
    """go-units HumanSizeWithPrecision(size, 3): decimal units."""
    value, unit = float(size), "B"
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000:
            break
        value /= 1000
    return f"{value:.3g}{unit}"


FILTERS = {"--name": "name", "--state": "state", "--pod": "pod", "-p": "pod", "--namespace": "namespace",
           "--id": "id"}
SWITCHES = {"-a", "--all", "-q", "--quiet"}


def _filters(rest: list[str]) -> dict[str, str] | str:
    """``--name web`` or ``--name=web`` and the other filters; an option not simulated says so."""
    filters: dict[str, str] = {}
    i = 0
    while i < len(rest):
        word = rest[i]
        flag, eq, value = word.partition("=")
        if word in SWITCHES:
            i += 1
            continue
        if flag in FILTERS:
            if not eq:
                i += 1
                if i >= len(rest):
                    return f"flag needs an argument: {flag}\n"
                value = rest[i]
            filters[FILTERS[flag]] = value
            i += 1
            continue
        return (f"k8slearn: crictl option {flag} is not simulated (-a, -q, --name, --state, --pod, --namespace "
                "and --id are)\n")
    return filters


def _regex_match(pattern: str, text: str) -> bool:
    import re

    try:
        return re.search(pattern, text) is not None
    except re.error:
        return False


def _matching_containers(runtime: Any, filters: dict[str, str], all_states: bool) -> list | str:
    """ListContainers with crictl's filters: a --state shows containers in any state; --name and
    --namespace are regular expressions; --pod and --id are ID prefixes."""
    state = filters.get("state", "").lower()
    states = {"created": "CONTAINER_CREATED", "running": "CONTAINER_RUNNING", "exited": "CONTAINER_EXITED",
              "unknown": "CONTAINER_UNKNOWN"}
    if state and state not in states:
        return "FATA[0000] --state should be one of created, running, exited or unknown\n"
    out = []
    for c in runtime.list_containers(all_states=all_states or bool(state)):
        if state and c.state != states[state]:
            continue
        if "name" in filters and not _regex_match(filters["name"], c.name):
            continue
        if "namespace" in filters and not _regex_match(filters["namespace"], c.pod_namespace):
            continue
        if "pod" in filters and not c.sandbox_id.startswith(filters["pod"]):
            continue
        if "id" in filters and not c.id.startswith(filters["id"]):
            continue
        out.append(c)
    return out


def _matching_sandboxes(runtime: Any, filters: dict[str, str]) -> list | str:
    """ListPodSandbox with crictl's filters (--state ready or notready)."""
    state = filters.get("state", "").lower()
    states = {"ready": "SANDBOX_READY", "notready": "SANDBOX_NOTREADY"}
    if state and state not in states:
        return "FATA[0000] --state should be ready or notready\n"
    if "pod" in filters:
        return "k8slearn: crictl pods has no --pod option (crictl ps does)\n"
    out = []
    for sandbox in runtime.list_pod_sandbox():
        if state and sandbox.state != states[state]:
            continue
        if "name" in filters and not _regex_match(filters["name"], sandbox.name):
            continue
        if "namespace" in filters and not _regex_match(filters["namespace"], sandbox.namespace):
            continue
        if "id" in filters and not sandbox.id.startswith(filters["id"]):
            continue
        out.append(sandbox)
    return out


# crictl's other commands: real, but not simulated here
OTHER_COMMANDS = {"attach", "checkpoint", "completion", "config", "create", "events", "exec", "imagefsinfo", "info",
                  "inspect", "inspecti", "inspectp", "metricsp", "port-forward", "pull", "rm", "rmi", "rmp", "run",
                  "runp", "start", "stats", "statsp", "stop", "stopp", "update", "update-runtime-config", "version"}


def crictl(runtime: Any, now: float, command: str) -> str:
    """Run ``crictl <command>`` against one node's runtime and return what it prints."""
    try:
        args = shlex.split(command)
    except ValueError:  # the node's shell reads the line first
        return "sh: syntax error: unterminated quoted string\n"
    if not args:
        return "NAME:\n   crictl - client for CRI\n"
    verb, rest = args[0], args[1:]
    quiet = "-q" in rest or "--quiet" in rest  # only the IDs
    if verb in ("ps", "pods"):
        filters = _filters(rest)
        if isinstance(filters, str):
            return filters
    if verb == "ps":
        containers = _matching_containers(runtime, filters, "-a" in rest or "--all" in rest)
        if isinstance(containers, str):
            return containers
        if quiet:
            return "".join(f"{c.id}\n" for c in containers)
        return ps(runtime, now, containers=containers)
    if verb == "pods":
        sandboxes = _matching_sandboxes(runtime, filters)
        if isinstance(sandboxes, str):
            return sandboxes
        return "".join(f"{s.id}\n" for s in sandboxes) if quiet else pods(runtime, now, sandboxes)
    if verb == "images":
        if quiet:
            return "".join(f"{i.image_id}\n" for i in sorted(runtime.images.values(), key=lambda i: i.ref))
        return images(runtime)
    if verb in OTHER_COMMANDS:
        return f"k8slearn: crictl {verb} is not simulated (ps, pods, images and logs are)\n"
    if verb == "logs" and not rest:
        return "k8slearn: crictl logs needs a container ID (crictl ps -a lists them)\n"
    if verb == "logs" and rest:
        matches = [c for c in runtime.containers.values() if c.id.startswith(rest[-1])]
        if len(matches) != 1:
            return f'E0000 00:00:00.000000 logs.go:000] "Failed to get container status" containerID="{rest[-1]}"\n'
        return runtime.logs(matches[0].id)
    return f"No help topic for '{verb}'\n"
