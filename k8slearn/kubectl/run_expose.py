"""``kubectl run`` and ``kubectl expose``: a pod from an image, a Service for a workload.

``run`` builds the pod the real kubectl sends (label ``run=<name>``, the image, the restart
policy) and creates it; ``expose`` builds a Service whose selector and ports come from the
object exposed (a Deployment's template, a pod's labels, a Service's ports), unless ``--selector``
and ``--port`` say otherwise. Without ``-l`` the Service copies the labels of the object exposed.
When that object has several ports, the Service gets them all, named ``port-1``, ``port-2``..., each
targeting the same port number (``port-1-tcp`` and ``port-1-udp`` for a port used with two
protocols).

>>> sorted(_parse_labels("app=web,tier=front").items())
[('app', 'web'), ('tier', 'front')]

``run -i`` (or ``--attach``) waits for the pod, shows what its container prints and, with
``--rm``, deletes the pod (``pod "tmp" deleted``). ``--expose`` creates the pod, then a Service
selecting it (``run=<name>``, or the ``-l`` labels, which the Service then carries too), and prints
the Service before the pod (with ``-o yaml``, ``---`` twice between them, as kubectl does).

Simplified: there is no terminal: an attached container's stdin is empty (``-t`` says it cannot
use a TTY, as kubectl does when its input is not a terminal), and what it prints is shown when it
exits (or after ``ATTACH_LIMIT`` simulated seconds), not as it comes.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/run/run.go (Run, generateService),
staging/src/k8s.io/kubectl/pkg/generate/versioned/service.go (ServiceGeneratorV2),
staging/src/k8s.io/kubectl/pkg/cmd/expose/expose.go (RunExpose, createService),
staging/src/k8s.io/kubectl/pkg/polymorphichelpers (mapbasedselectorforobject.go, portsforobject.go,
multiprotocolsforobject.go)
"""

from __future__ import annotations

import re
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.validation.containers import env_var_name_errors
from k8slearn.kubectl.apply import dry_run_mode, print_flags_format, print_result
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, KubectlError, usage_error
from k8slearn.kubectl.exec import attach_and_follow
from k8slearn.kubectl.generators import _meta, _send, save_config


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


def parse_envs(specs: list[str]) -> list[dict]:
    """parseEnvs: each ``--env`` is ``NAME=VALUE`` with a valid variable name (an empty value is
    left out, as Go's omitempty does).

    >>> parse_envs(["A=1", "B="])
    [{'name': 'A', 'value': '1'}, {'name': 'B'}]
    """
    env = []
    for spec in specs:
        name, equals, value = spec.partition("=")
        if not equals or not name or env_var_name_errors(name):
            raise KubectlError(f"invalid env: {spec}")
        env.append({"name": name, "value": value} if value else {"name": name})
    return env


def run_pod(name: str, image: str, *, labels: dict, port: int, restart: str, env: list[dict],
            command_flag: bool, extra: list[str], stdin: bool = False, stdin_once: bool = False,
            tty: bool = False) -> dict:
    """BasicPod.Generate: the pod ``kubectl run`` sends (``-i`` opens the container's stdin, closed
    after the first attach unless ``--leave-stdin-open``; ``-t`` gives it a terminal)."""
    container: dict = {}
    if extra:
        container["command" if command_flag else "args"] = list(extra)
    if env:
        container["env"] = env
    container["image"] = image
    container["name"] = name
    if port >= 0:
        container["ports"] = [{"containerPort": port}]
    container["resources"] = {}
    for key, value in (("stdin", stdin), ("stdinOnce", stdin_once), ("tty", tty)):
        if value:  # (omitempty)
            container[key] = True
    return {"apiVersion": "v1", "kind": "Pod", "metadata": _meta(name, labels),
            "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
            "status": {}}


@command("run", required=("image",))
def run_run(ctx: Context, args: list[str]) -> int:
    mode = dry_run_mode(ctx)  # Complete: the dry-run strategy and the printer come first
    print_flags_format(ctx)
    if not args or (ctx.args_at_dash == 0):
        raise usage_error(ctx.path, "NAME is required for run")
    name, extra = args[0], args[1:]
    interactive = ctx.flags["stdin"]
    attach = ctx.flags["attach"] if "attach" in ctx.changed else interactive  # -i attaches unless told not to
    if ctx.flags["tty"] and not interactive:
        raise usage_error(ctx.path, "-i/--stdin is required for containers with -t/--tty=true")
    if ctx.flags["expose"] and not ctx.flags["port"]:
        raise usage_error(ctx.path, "--port must be set when exposing a service")
    restart = ctx.flags["restart"] or ("OnFailure" if interactive else "Always")
    if restart not in ("Always", "OnFailure", "Never"):
        raise usage_error(ctx.path, f"invalid restart policy: {restart}")
    if ctx.flags["rm"] and not attach:
        raise usage_error(ctx.path, "--rm should only be used for attached containers")
    if attach and mode != "none":
        raise usage_error(ctx.path, "--dry-run=[server|client] can't be used with attached containers options "
                                    "(--attach, --stdin, or --tty)")
    env = parse_envs(ctx.flags.get("env") or [])  # (BasicPod.Generate: the env, the labels, then the port)
    labels = _parse_labels(ctx.flags["labels"]) if ctx.flags["labels"] else {"run": name}
    port = _atoi(ctx.flags["port"]) if ctx.flags["port"] else -1
    pod = run_pod(name, ctx.flags["image"], labels=labels, port=port, restart=restart,
                  env=env, command_flag=ctx.flags["command"], extra=extra, stdin=interactive,
                  stdin_once=interactive and not ctx.flags["leave-stdin-open"], tty=ctx.flags["tty"])
    if ctx.flags.get("overrides"):
        pod = _override(pod, ctx.flags["overrides"], ctx.flags.get("override-type") or "merge")
    if attach:
        ctx.client.create(save_config(ctx, pod), namespace=ctx.namespace)
        if ctx.flags["expose"]:
            _expose_run(ctx, name, port)  # (an attached run returns without the Service's error)
        try:
            return _attached(ctx, name, restart)
        finally:
            if ctx.flags["rm"]:
                ctx.client.delete("pods", name, ctx.namespace)
                ctx.print(f'pod "{name}" deleted')
    resource, created = _send(ctx, pod if mode == "client" else save_config(ctx, pod))  # created first...
    errors = _expose_run(ctx, name, port) if ctx.flags["expose"] else []
    print_result(ctx, resource, created, "created", typed=True, separate=True)  # ...and printed last
    if errors:
        raise Aggregate(errors)
    return 0


def _expose_run(ctx: Context, name: str, port: int) -> list[Exception]:
    """generateService: the Service for ``run --expose`` (ServiceGeneratorV2 with run's string
    flags), created and printed; its failure is returned, for after the pod is printed."""
    try:
        labels = ctx.flags["labels"] or ""
        svc = service_object(name, labels or f"run={name}", labels, [str(port)], {}, protocol="",
                             target_port="")
        resource, created = _send(ctx, svc if dry_run_mode(ctx) == "client" else save_config(ctx, svc))
        print_result(ctx, resource, created, "created", typed=True, separate=True)
    except (ApiError, KubectlError) as err:
        return [err]
    if print_flags_format(ctx)[0] == "yaml":  # "separate yaml objects"
        ctx.print("---")
    return []


def _attached(ctx: Context, name: str, restart: str) -> int:
    """``run -i`` / ``--attach``: wait for the pod to start, show what its container prints until it
    exits (its stdin is empty: no terminal), then, for ``--restart=Never|OnFailure``, the exit code
    as kubectl reports it (a failed pod: ``pod default/x terminated (Error)``, with its code). A
    container found running is attached to, which says "If you don't see a command prompt, try
    pressing enter." (after SetupTTY's refusal with ``-t``); with ``-i`` its stdin is kubectl's, which
    has nothing to send here: a shell that waits for its commands there reads the end of its input
    and exits. A container that has already exited is only read from its log (handleAttachPod:
    ErrPodCompleted, then logOpts), which says neither."""
    cluster = ctx.cluster
    if cluster is None or not hasattr(cluster, "run"):
        return 0

    def state() -> dict:
        statuses = ctx.client.get("pods", name, ctx.namespace).get("status", {}).get("containerStatuses") or []
        return (statuses[0].get("state") or {}) if statuses else {}

    start = cluster.now
    while not ({"running", "terminated"} & set(state())) and cluster.now - start < 60:
        cluster.run(seconds=0.1)  # --pod-running-timeout, 1m
    attach_and_follow(ctx, name, name, state, start)
    if restart == "Always" or ctx.flags["leave-stdin-open"]:  # (no exit code to wait for)
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


def _map_based_selector(obj: dict) -> str:
    """polymorphichelpers.MapBasedSelectorForObject: the selector of the object exposed, as
    ``k=v,...``."""
    kind, spec = obj.get("kind"), obj.get("spec") or {}
    if kind == "ReplicationController":
        return _make_labels(spec.get("selector") or {})
    if kind == "Pod":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if not labels:
            raise KubectlError("the pod has no labels and cannot be exposed")
        return _make_labels(labels)
    if kind == "Service":
        if spec.get("selector") is None:
            raise KubectlError("the service has no pod selector set")
        return _make_labels(spec["selector"])
    what = {"Deployment": "deployment", "ReplicaSet": "replicaset"}[kind]
    selector = spec.get("selector") or {}
    if not selector.get("matchLabels"):
        raise KubectlError(f"invalid {what}: no selectors, therefore cannot be exposed")
    if selector.get("matchExpressions"):
        shown = " ".join(f"{{Key:{e.get('key', '')} Operator:{e.get('operator', '')} "
                         f"Values:[{' '.join(e.get('values') or [])}]}}" for e in selector["matchExpressions"])
        raise KubectlError(f'couldn\'t convert expressions - "[{shown}]" to map-based selector format')
    return _make_labels(selector["matchLabels"])


def _make_labels(labels: dict) -> str:
    """polymorphichelpers.MakeLabels: ``k=v`` pairs joined with commas."""
    return ",".join(f"{k}={v}" for k, v in labels.items())


def _pod_spec(obj: dict) -> dict:
    spec = obj.get("spec") or {}
    return spec if obj.get("kind") == "Pod" else ((spec.get("template") or {}).get("spec") or {})


def _ports_and_protocols(obj: dict) -> tuple[list[str], dict[str, list[str]]]:
    """PortsForObject (each port number once, in order) and MultiProtocolsForObject (the protocols
    each port number is used with, TCP when none is given): a Service's ports, or the container
    ports of a pod or a workload's template."""
    if obj.get("kind") == "Service":
        entries = [(p.get("port"), p.get("protocol")) for p in (obj.get("spec") or {}).get("ports") or []]
    else:
        entries = [(p.get("containerPort"), p.get("protocol")) for c in _pod_spec(obj).get("containers") or []
                   for p in c.get("ports") or []]
    ports: list[str] = []
    protocols: dict[str, list[str]] = {}
    for number, protocol in entries:
        key = str(number or 0)
        if key not in ports:
            ports.append(key)
        protocols.setdefault(key, []).append(protocol or "TCP")
    return ports, protocols


def service_object(name: str, selector: str, labels: str, ports: list[str], protocols: dict[str, list[str]],
                   protocol: str, target_port: str, external_ip: str = "", service_type: str = "",
                   load_balancer_ip: str = "", session_affinity: str = "", cluster_ip: str = "") -> dict:
    """expose.go createService (ServiceGeneratorV2 for ``run --expose``): the Service, as a Go
    struct would print (no labels when there are none; each port named ``port-N`` when there are
    several)."""
    if not selector:
        raise KubectlError("selector must be specified")
    selector_map = _parse_labels(selector)
    labels_map = _parse_labels(labels) if labels else None
    entries: list[dict] = []
    for i, text in enumerate(ports):
        number = _atoi(text)
        port_name = f"port-{i + 1}" if len(ports) > 1 else ""
        chosen = protocol
        if not chosen:
            chosen = "TCP"
            used = protocols.get(text) or []
            if len(used) == 1:
                chosen = used[0]
            elif used:  # one Service port per protocol
                for each in used:
                    entries.append({"name": f"port-{i + 1}-{each.lower()}", "protocol": each, "port": number})
                continue
        entry: dict = {"name": port_name} if port_name else {}
        entry.update({"protocol": chosen, "port": number})
        entries.append(entry)
    for entry in entries:  # intstr.Parse: a number, or else a name
        if target_port:
            try:
                entry["targetPort"] = _atoi(target_port)
            except KubectlError:
                entry["targetPort"] = target_port
        else:
            entry["targetPort"] = entry["port"]
    spec: dict = {}
    if entries:
        spec["ports"] = entries
    spec["selector"] = selector_map
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    if service_type:
        spec["type"] = service_type
    if external_ip:
        spec["externalIPs"] = [external_ip]
    if session_affinity:
        if session_affinity not in ("None", "ClientIP"):
            raise KubectlError(f"unknown session affinity: {session_affinity}")
        spec["sessionAffinity"] = session_affinity
    if service_type == "LoadBalancer" and load_balancer_ip:
        spec["loadBalancerIP"] = load_balancer_ip
    return {"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, labels_map), "spec": spec,
            "status": {"loadBalancer": {}}}


_EXPOSABLE = ("Pod", "Service", "Deployment", "ReplicaSet", "ReplicationController")


@command("expose")
def run_expose(ctx: Context, args: list[str]) -> int:
    """RunExpose: each object named (or read from ``-f``) gets a Service. As in kubectl, what one
    object supplied (the selector, ports, protocols and labels it was exposed with) carries over to
    the next objects of the same command."""
    from k8slearn.kubectl.apply import file_infos
    from k8slearn.kubectl.builder import Info, parse_args

    mode = dry_run_mode(ctx)
    print_flags_format(ctx)
    flags = ctx.flags
    if flags["filename"] and args:
        raise KubectlError("when paths, URLs, or stdin is provided as input, you may not specify resource "
                           "arguments as well")
    if not args and not flags["filename"]:
        raise KubectlError("You must provide one or more resources by argument or filename.\n"
                           "Example resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                           "   '<resource> <name>'\n   '<resource>'")
    errors: list[Exception] = []
    if flags["filename"]:
        infos, errors = file_infos(ctx)
    else:
        infos = []
        for target in parse_args(args):
            if target.name is None:
                raise KubectlError("resource(s) were provided, but no name was specified")
            infos.append(Info(target.resource, ctx.namespace, target.name))
    state = {"selector": flags["selector"] or "", "port": flags["port"] or "", "ports": "", "protocols": {},
             "labels": flags["labels"] or ""}
    for info in infos:
        try:
            _expose_one(ctx, info, state, mode)
        except (ApiError, KubectlError) as err:
            errors.append(err)
    if errors:
        raise Aggregate(errors)
    return 0


def _expose_one(ctx: Context, info: Any, state: dict, mode: str) -> None:
    resource = info.resource
    if resource.kind not in _EXPOSABLE:
        raise KubectlError(f"cannot expose a {resource.kind}.{resource.group or ''}".rstrip("."))
    obj = info.obj if info.obj is not None else ctx.client.get(resource.plural, info.name, ctx.namespace)
    flags = ctx.flags
    default_name = info.name[:63]
    if not state["selector"]:
        try:
            state["selector"] = _map_based_selector(obj)
        except KubectlError as err:
            raise KubectlError(f"couldn't retrieve selectors via --selector flag or introspection: {err}") from None
    headless = flags["cluster-ip"] == "None"
    ports, protocols = _ports_and_protocols(obj)
    if not state["port"]:
        if not ports and not headless:
            raise KubectlError("couldn't find port via --port flag or introspection")
        if len(ports) == 1:
            state["port"] = ports[0]
        elif ports:
            state["ports"] = ",".join(ports)
    if protocols:
        state["protocols"] = protocols
    if not state["labels"]:
        state["labels"] = _make_labels((obj.get("metadata") or {}).get("labels") or {})
    port_text = state["ports"] or state["port"]
    svc = service_object(flags["name"] or default_name, state["selector"], state["labels"],
                         port_text.split(",") if port_text else [], state["protocols"], flags["protocol"] or "",
                         flags["target-port"] or "", flags["external-ip"] or "", flags["type"] or "",
                         flags["load-balancer-ip"] or "", flags["session-affinity"] or "", flags["cluster-ip"] or "")
    if flags.get("overrides"):
        svc = _override(svc, flags["overrides"], flags.get("override-type") or "merge")
    if mode != "client":
        svc = save_config(ctx, svc)
    resource_info, created = _send(ctx, svc)  # (the server's answer is read into a Go struct too)
    print_result(ctx, resource_info, created, "exposed", typed=True, separate=True)


def _atoi(text: str) -> int:
    """Go's strconv.Atoi, with its error as kubectl prints it."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise KubectlError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    if not -(1 << 63) <= int(text) < (1 << 63):
        raise KubectlError(f'strconv.Atoi: parsing "{text}": value out of range')
    return int(text)
