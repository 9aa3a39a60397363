"""``kubectl run`` and ``kubectl expose``: a pod from an image, a Service for a workload.

``run`` builds the pod the real kubectl sends (label ``run=<name>``, the image, the restart
policy) and creates it; ``expose`` builds a Service whose selector and ports come from the
object exposed (a Deployment's template, a pod's labels, a Service's ports).

>>> sorted(_parse_labels("app=web,tier=front").items())
[('app', 'web'), ('tier', 'front')]

``run -i`` (or ``--attach``) waits for the pod, shows what its container prints and, with
``--rm``, deletes the pod (``pod "tmp" deleted``); ``--expose`` creates a Service for the pod first.

Simplified: there is no terminal: an attached container's stdin is empty (``-t`` says it cannot
use a TTY, as kubectl does when its input is not a terminal), and what it prints is shown when it
exits (or after ``ATTACH_LIMIT`` simulated seconds), not as it comes.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/run/run.go, staging/src/k8s.io/kubectl/pkg/cmd/expose/expose.go
"""

from __future__ import annotations

import re

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError, usage_error
from k8slearn.kubectl.apply import dry_run_mode
from k8slearn.kubectl.generators import _create, _meta


def _parse_labels(text: str) -> dict[str, str]:
    """generate.ParseLabels: ``k=v`` pairs split at commas, each with exactly one ``=`` and a key."""
    labels = {}
    for part in text.split(","):
        pieces = part.split("=")
        if len(pieces) != 2:
            raise KubectlError(f"unexpected label spec: {part}")
        if not pieces[0]:
            raise KubectlError("unexpected empty label key")
        labels[pieces[0]] = pieces[1]
    return labels


def run_pod(name: str, image: str, *, labels: dict, port: int, restart: str, env: list[str],
            command_flag: bool, extra: list[str]) -> dict:
    container: dict = {}
    if extra:
        container["command" if command_flag else "args"] = list(extra)
    if env:
        container["env"] = [{"name": e.partition("=")[0], "value": e.partition("=")[2]} for e in env]
    container["image"] = image
    container["name"] = name
    if port >= 0:
        container["ports"] = [{"containerPort": port}]
    container["resources"] = {}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": _meta(name, labels),
            "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
            "status": {}}


@command("run", required=("image",))
def run_run(ctx: Context, args: list[str]) -> int:
    if not args or (ctx.args_at_dash == 0):
        raise usage_error(ctx.path, "NAME is required for run")
    name, extra = args[0], args[1:]
    restart = ctx.flags["restart"] or "Always"
    if restart not in ("Always", "OnFailure", "Never"):
        raise KubectlError(f"invalid restart policy: {restart}")
    interactive = ctx.flags["stdin"]
    attach = ctx.flags["attach"] if "attach" in ctx.changed else interactive  # -i attaches unless told not to
    if ctx.flags["tty"] and not interactive:
        raise usage_error(ctx.path, "-i/--stdin is required for containers with -t/--tty=true")
    if ctx.flags["expose"] and not ctx.flags["port"]:
        raise usage_error(ctx.path, "--port must be set when exposing a service")
    if ctx.flags["rm"] and not attach:
        raise usage_error(ctx.path, "--rm should only be used for attached containers")
    labels = _parse_labels(ctx.flags["labels"]) if ctx.flags["labels"] else {"run": name}
    port = _atoi(ctx.flags["port"]) if ctx.flags["port"] else -1
    pod = run_pod(name, ctx.flags["image"], labels=labels, port=port, restart=restart,
                  env=ctx.flags.get("env") or [], command_flag=ctx.flags["command"], extra=extra)
    if ctx.flags.get("overrides"):
        pod = _override(pod, ctx.flags["overrides"], ctx.flags.get("override-type") or "merge")
    if ctx.flags["expose"]:  # generateService: the Service first, selecting the pod's labels
        _create(ctx, service_for(pod, name, port, ctx.flags.get("target-port") or "", "TCP", ""))
    if not attach or dry_run_mode(ctx) != "none":
        return _create(ctx, pod)
    if ctx.flags["tty"]:  # a notebook's kubectl has no terminal
        ctx.eprint("Unable to use a TTY - input is not a terminal or the right kind of file")
    ctx.client.create(pod, namespace=ctx.namespace)
    try:
        return _attached(ctx, name, restart)
    finally:
        if ctx.flags["rm"]:
            ctx.client.delete("pods", name, ctx.namespace)
            ctx.print(f'pod "{name}" deleted')


ATTACH_LIMIT = 300.0  # simulated seconds an attached container that keeps running is followed


def _attached(ctx: Context, name: str, restart: str) -> int:
    """``run -i`` / ``--attach``: wait for the pod to start, show what its container prints until it
    exits (its stdin is empty: no terminal), then, for ``--restart=Never|OnFailure``, the exit code
    as kubectl reports it (a failed pod: ``pod default/x terminated (Error)``, with its code)."""
    cluster = ctx.cluster
    if cluster is None or not hasattr(cluster, "run"):
        return 0

    def state() -> dict:
        statuses = ctx.client.get("pods", name, ctx.namespace).get("status", {}).get("containerStatuses") or []
        return (statuses[0].get("state") or {}) if statuses else {}

    start = cluster.now
    while not ({"running", "terminated"} & set(state())) and cluster.now - start < 60:
        cluster.run(seconds=0.1)  # --pod-running-timeout, 1m
    while "running" in state() and cluster.now - start < ATTACH_LIMIT:
        cluster.run(seconds=0.1)
    if {"running", "terminated"} & set(state()):
        ctx.print(cluster.logs(ctx.namespace, name, name), end="")
    if restart == "Always":
        return 0
    pod = ctx.client.get("pods", name, ctx.namespace)
    phase = (pod.get("status") or {}).get("phase")
    if phase == "Succeeded":
        return 0
    if phase == "Failed":
        terminated = state().get("terminated") or {}
        code = terminated.get("exitCode", 0)
        if not code:
            raise KubectlError(f"pod {ctx.namespace}/{name} failed with unknown exit code")
        text = f"pod {ctx.namespace}/{name} terminated ({terminated.get('reason', '')})\n{terminated.get('message', '')}"
        ctx.eprint(text, end="" if text.endswith("\n") else "\n")  # (an ExitError: no "error: ")
        return code
    raise KubectlError(f"pod {ctx.namespace}/{name} left in phase {phase}")


def _override(obj: dict, overrides: str, override_type: str) -> dict:
    """``--overrides``: the generated object patched with inline JSON (Overrider.Apply): a JSON
    merge patch by default, or ``--override-type=strategic`` / ``json``."""
    import json

    from k8slearn.api.patch import apply_patch

    if override_type not in ("json", "merge", "strategic"):
        raise KubectlError(f"invalid override type: {override_type}")
    try:
        patch = json.loads(overrides)
    except ValueError:
        raise KubectlError("Invalid JSON Patch") from None
    try:
        return apply_patch(obj, patch, override_type, obj.get("kind", ""))
    except ApiError as err:
        raise KubectlError(str(err.status.get("message", err))) from None


def service_for(obj: dict, name: str, port: int | None, target: str, protocol: str, kind: str) -> dict:
    """ServiceGeneratorV2 over the object's selector and labels."""
    spec = obj.get("spec", {})
    if obj.get("kind") == "Pod":
        selector = dict(obj.get("metadata", {}).get("labels") or {})
    elif obj.get("kind") == "Service":
        selector = dict(spec.get("selector") or {})
    else:
        selector = dict((spec.get("selector") or {}).get("matchLabels") or {})
    labels = dict(obj.get("metadata", {}).get("labels") or {})
    ports = []
    if port is None:
        template = spec.get("template", {}).get("spec", {}) if obj.get("kind") != "Pod" else spec
        ports = [p.get("containerPort") for c in template.get("containers") or [] for p in c.get("ports") or []]
    else:
        ports = [port]
    entries = []
    for i, p in enumerate(ports):
        entry: dict = {}
        if len(ports) > 1:
            entry["name"] = f"port-{i + 1}"
        entry["port"] = p
        entry["protocol"] = protocol
        t: Any = target or p
        entry["targetPort"] = int(t) if str(t).isdigit() else t
        entries.append(entry)
    svc_spec: dict = {"ports": entries, "selector": selector}
    if kind:
        svc_spec["type"] = kind
    meta = _meta(name, labels or None)
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": svc_spec,
            "status": {"loadBalancer": {}}}


@command("expose")
def run_expose(ctx: Context, args: list[str]) -> int:
    from k8slearn.kubectl.builder import parse_args

    if not args and not ctx.flags["filename"]:
        raise KubectlError("You must provide one or more resources by argument or filename.\n"
                           "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                           "   '<resource> <name>'\n   '<resource>'")
    targets = parse_args(args)
    for target in targets:
        if target.resource.kind not in ("Pod", "Service", "Deployment", "ReplicaSet", "ReplicationController"):
            raise KubectlError(f"cannot expose a {target.resource.kind}.{target.resource.group or ''}".rstrip("."))
        obj = ctx.client.get(target.resource.plural, target.name, ctx.namespace)
        port_flag = ctx.flags["port"]
        port = _atoi(port_flag) if port_flag else None
        svc = service_for(obj, ctx.flags["name"] or target.name or "", port, ctx.flags["target-port"],
                          ctx.flags["protocol"] or "TCP", ctx.flags["type"])
        if port is None and not svc["spec"]["ports"]:
            raise KubectlError("couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for "
                               "help and examples")
        _create(ctx, svc, "exposed")
    return 0


def _atoi(text: str) -> int:
    """Go's strconv.Atoi, with its error as kubectl prints it."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise KubectlError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    if not -(1 << 63) <= int(text) < (1 << 63):
        raise KubectlError(f'strconv.Atoi: parsing "{text}": value out of range')
    return int(text)
