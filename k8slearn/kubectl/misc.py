"""Small commands: version, api-resources, api-versions, cluster-info, logs, config current-context, top.

>>> print(version_text(client_only=False), end="")
Client Version: v1.32.5
Kustomize Version: v5.5.0
Server Version: v1.32.0

Simplified: ``logs`` asks the cluster for the container's log with each line's time
(``cluster.logs(namespace, pod, container, timestamps=True)``) since there are no real containers,
and applies ``--tail``, ``--since``/``--since-time``, ``--limit-bytes`` and ``--timestamps`` to it as
the kubelet would (:mod:`k8slearn.kubectl.log_options`); ``top`` answers as a cluster without metrics-server does;
``explain`` is not available.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/version/version.go, apiresources/apiresources.go,
clusterinfo/clusterinfo.go, logs/logs.go, config/current_context.go, top/top.go
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from k8slearn.kubectl import tabwriter
from k8slearn.kubectl.cli import CONTEXT_NAME, Context, command
from k8slearn.kubectl.errors import KubectlError, usage_error
from k8slearn.kubectl.log_options import LogOptions, log_options, read_log, shape
from k8slearn.kubectl.logs_for_object import pod_for_logs
from k8slearn.kubectl.output import to_yaml
from k8slearn.kubectl.podcmd import find_or_default_container

__all__ = ["version_text", "SERVER_URL"]

SERVER_URL = "https://control-plane:6443"
CLIENT_VERSION = {"major": "1", "minor": "32", "gitVersion": "v1.32.5",
                  "gitCommit": "9894294ef13a5b32803e3ca2c0d620a088cc84d1", "gitTreeState": "clean",
                  "buildDate": "2025-05-15T09:12:10Z", "goVersion": "go1.23.8", "compiler": "gc",
                  "platform": "linux/amd64"}
SERVER_VERSION = {"major": "1", "minor": "32", "gitVersion": "v1.32.0",
                  "gitCommit": "70d3cc986aa8221cd1dfb1121852688902d3bf53", "gitTreeState": "clean",
                  "buildDate": "2024-12-11T17:59:15Z", "goVersion": "go1.23.3", "compiler": "gc",
                  "platform": "linux/amd64"}
KUSTOMIZE_VERSION = "v5.5.0"


def version_text(client_only: bool) -> str:
    text = f"Client Version: {CLIENT_VERSION['gitVersion']}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
    if not client_only:
        text += f"Server Version: {SERVER_VERSION['gitVersion']}\n"
    return text


@command("version")
def run_version(ctx: Context, args: list[str]) -> int:
    """Options.Validate, then Run: the client's (and the server's) version, as text, YAML or JSON."""
    if args:
        raise KubectlError(f"extra arguments: [{' '.join(args)}]")
    output = ctx.flags["output"]
    if output not in ("", "yaml", "json"):
        raise KubectlError("--output must be 'yaml' or 'json'")
    if not output:
        ctx.print(version_text(ctx.flags["client"]), end="")
        return 0
    doc: dict = {"clientVersion": CLIENT_VERSION, "kustomizeVersion": KUSTOMIZE_VERSION}
    if not ctx.flags["client"]:
        doc["serverVersion"] = SERVER_VERSION
    if output == "yaml":
        ctx.print(to_yaml(doc))
    else:
        ctx.print(json.dumps(doc, indent=2))
    return 0


@command("api-resources")
def run_api_resources(ctx: Context, args: list[str]) -> int:
    """APIResourceOptions.RunAPIResources: the discovery lists, filtered, sorted by group (stable)."""
    from k8slearn.api.discovery import categories, served, verbs

    if ctx.flags["output"] not in ("", "wide", "name"):  # APIResourceOptions.Validate
        raise KubectlError(f"--output {ctx.flags['output']} is not available")
    if ctx.flags["sort-by"] and ctx.flags["sort-by"] not in ("name", "kind"):
        raise KubectlError("--sort-by accepts only name or kind")
    rows = sorted(served(), key=lambda r: (r.group, r.plural))
    if "namespaced" in ctx.changed:
        rows = [r for r in rows if r.namespaced == ctx.flags["namespaced"]]
    if "api-group" in ctx.changed:  # (--api-group= names the core group)
        rows = [r for r in rows if r.group == ctx.flags["api-group"]]
    wanted_verbs = [v for v in (ctx.flags["verbs"] or []) if v]
    if wanted_verbs:  # a resource that allows every verb asked for
        rows = [r for r in rows if set(wanted_verbs) <= set(verbs(r))]
    wanted = [c for c in (ctx.flags["categories"] or []) if c]
    if wanted:  # a resource in every category asked for
        rows = [r for r in rows if set(wanted) <= set(categories(r))]
    if ctx.flags["sort-by"] in ("name", "kind"):
        rows = sorted(rows, key=lambda r: r.plural if ctx.flags["sort-by"] == "name" else r.kind)
    output = ctx.flags["output"]
    if output == "name":
        for r in rows:
            ctx.print(r.group_resource)
        return 0
    lines = [] if ctx.flags["no-headers"] else ["NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND" +
                                                ("\tVERBS\tCATEGORIES" if output == "wide" else "")]
    for r in rows:
        line = f"{r.plural}\t{','.join(r.short_names)}\t{r.api_version}\t{'true' if r.namespaced else 'false'}\t{r.kind}"
        if output == "wide":
            line += f"\t{','.join(verbs(r))}\t{','.join(categories(r))}"
        lines.append(line)
    ctx.print(tabwriter.render("\n".join(lines) + "\n", **tabwriter.TABLE), end="")
    return 0


@command("api-versions")
def run_api_versions(ctx: Context, args: list[str]) -> int:
    """The group/versions discovery lists, sorted (Go's sort.Strings)."""
    from k8slearn.api.discovery import served

    if args:
        raise KubectlError(f"unexpected arguments: [{' '.join(args)}]\nSee '{ctx.path} -h' for help and examples")
    for version in sorted({r.api_version for r in served()}):
        ctx.print(version)
    return 0


@command("cluster-info")
def run_cluster_info(ctx: Context, args: list[str]) -> int:
    if args:
        raise usage_error(ctx.path, f"Unexpected args: [{' '.join(args)}]")
    ctx.print(f"Kubernetes control plane is running at {SERVER_URL}")
    services = ctx.client.list("services", namespace="kube-system",
                               label_selector="kubernetes.io/cluster-service=true")
    for svc in services:
        meta = svc.get("metadata", {})
        name = (meta.get("labels") or {}).get("kubernetes.io/name") or meta.get("name", "")
        ports = svc.get("spec", {}).get("ports") or []
        link = meta.get("name", "") + (f":{ports[0]['name']}" if ports and ports[0].get("name") else "")
        ctx.print(f"{name} is running at {SERVER_URL}/api/v1/namespaces/kube-system/services/{link}/proxy")
    ctx.print("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")
    return 0


@command("config current-context")
def run_current_context(ctx: Context, args: list[str]) -> int:
    ctx.print(ctx.kubectl.kubeconfig.current)
    return 0


@command("top node")
def run_top_node(ctx: Context, args: list[str]) -> int:
    raise KubectlError("Metrics API not available")


@command("top pod")
def run_top_pod(ctx: Context, args: list[str]) -> int:
    raise KubectlError("Metrics API not available")


@command("logs")
def run_logs(ctx: Context, args: list[str]) -> int:
    """``kubectl logs POD|TYPE/NAME [-c C]``, or ``-l SELECTOR``: the last 10 lines (unless
    ``--tail`` says otherwise) of each matching pod's default container, one pod after the other
    (kubectl goes through its requests in Go's map order, which varies; here in name order),
    ``--prefix`` marking each line with ``[pod/NAME/CONTAINER]``; ``--all-pods TYPE/NAME``: every pod
    of the object, prefixed. With ``-f`` and more than one log request, they are followed together
    (at most ``--max-log-requests``)."""
    selector = ctx.flags["selector"]
    if selector:
        if args:
            raise usage_error(ctx.path, "only a selector (-l) or a POD name is allowed")
        from k8slearn.api.resources import lookup
        from k8slearn.kubectl.builder import list_selected

        pods = sorted(list_selected(ctx.client, lookup("pods"), ctx.namespace, selector),
                      key=lambda pod: pod["metadata"]["name"])  # (the builder's Selector: EnhanceListError)
        if not pods:
            ctx.eprint(f"No resources found in {ctx.namespace} namespace.")
            return 0
        options = log_options(ctx.flags, ctx.now(), ctx.flags["tail"] if ctx.flags["tail"] >= 0 else SELECTOR_TAIL)
        _consume(ctx, _log_requests(ctx, pods, ctx.flags["container"]), options)
        return 0
    if not args:
        raise usage_error(ctx.path, "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                          "POD or TYPE/NAME is a required argument for the logs command")
    options = log_options(ctx.flags, ctx.now(), ctx.flags["tail"])
    if ctx.flags["all-pods"]:  # (new in v1.32) every pod the object stands for, each line prefixed
        ctx.flags["prefix"] = True
        _consume(ctx, _log_requests(ctx, _pods_of(ctx, args[0]), ctx.flags["container"]), options)
        return 0
    from k8slearn.api.resources import lookup
    from k8slearn.kubectl.logs_for_object import object_for

    pod = object_for(ctx, lookup("pods"), pod_for_logs(ctx, args[0]))
    _consume(ctx, _log_requests(ctx, [pod], ctx.flags["container"] or (args[1] if len(args) > 1 else "")), options)
    return 0


def _pods_of(ctx: Context, argument: str) -> list[dict]:
    """``logs --all-pods TYPE/NAME``: the pods the object's selector picks, by name (kubectl asks for
    them concurrently, so its order varies); a pod argument is that pod alone."""
    from k8slearn.api.resources import lookup
    from k8slearn.kubectl.logs_for_object import object_for, selector_for

    kind_text, _, name = argument.rpartition("/")
    resource = lookup(kind_text) if kind_text else lookup("pods")
    obj = object_for(ctx, resource, name)
    if resource.kind == "Pod":
        return [obj]
    pods = ctx.client.list("pods", ctx.namespace, label_selector=selector_for(obj))
    return sorted(pods, key=lambda pod: pod["metadata"]["name"])


def _log_requests(ctx: Context, pods: list[dict], container: str) -> list[tuple[dict, str]]:
    """logsForObjectWithClient: one log request per pod and container, all made (and checked,
    "Defaulted container" said) before any is read: the container named, else the default one, or
    with ``--all-containers`` every container, init containers first."""
    requests = []
    for pod in pods:
        if not ctx.flags["all-containers"]:
            requests.append((pod, _container_for(ctx, pod, container)))
            continue
        spec = pod.get("spec") or {}
        requests += [(pod, each["name"]) for part in ("initContainers", "containers", "ephemeralContainers")
                     for each in spec.get(part) or []]
    return requests


def _container_for(ctx: Context, pod: dict, container: str) -> str:
    """The container a request reads: the one named if the pod has it, else the default one."""
    spec = pod.get("spec") or {}
    if not container:
        return find_or_default_container(pod, False, ctx.eprint, missing_default=True)
    if container not in [c["name"] for key in ("containers", "initContainers", "ephemeralContainers")
                         for c in spec.get(key) or []]:
        raise KubectlError(f"container {container} is not valid for pod {pod['metadata']['name']}")
    return container


MAX_FOLLOW = ("you are attempting to follow {} log streams, but maximum allowed concurrency is {}, "
              "use --max-log-requests to increase the limit")


def _consume(ctx: Context, requests: list[tuple[dict, str]], options: LogOptions) -> None:
    """RunLogs: with ``-f`` and several requests, at most ``--max-log-requests`` of them followed
    together (parallelConsumeRequest); else one after the other (sequentialConsumeRequest)."""
    if ctx.flags["follow"] and len(requests) > 1:
        if len(requests) > ctx.flags["max-log-requests"]:
            raise KubectlError(MAX_FOLLOW.format(len(requests), ctx.flags["max-log-requests"]))
        _follow_together(ctx, requests, options)
        return
    for pod, container in requests:
        _print_logs(ctx, pod, container, options)


SELECTOR_TAIL = 10  # kubectl logs -l: selectorTail, the lines shown per container unless --tail is given


def _read(ctx: Context, name: str, container: str) -> str | None:
    """The container's log with each line's time, as the kubelet answers; None when the kubelet's
    error came after its 200 (the error's text was printed as the log's body)."""
    text, whole = read_log(ctx.cluster, ctx.namespace, name, container, ctx.flags["previous"])
    if not whole:
        ctx.print(text, end="")
        return None
    return text


def _print_logs(ctx: Context, pod: dict, container: str, options: LogOptions) -> None:
    """One pod's container log, as the kubelet returns it (``-p``: the previous run; ``-f``: follow)."""
    name, cluster = pod["metadata"]["name"], ctx.cluster
    if cluster is None or not hasattr(cluster, "logs"):
        return
    text = _read(ctx, name, container)
    if text is None:
        return
    shaped = shape(text, replace(options, limit_bytes=0), ctx.now())  # --tail, --since: of the log so far
    if ctx.flags["follow"] and not ctx.flags["previous"]:  # (once the kubelet answered at all)
        _follow(ctx, cluster, [(name, container)])
        later = _read(ctx, name, container) or ""
        if later.startswith(text):  # then every line that came while following
            shaped += shape(later[len(text):], LogOptions(timestamps=options.timestamps), ctx.now())
    _write(ctx, name, container, _limit(shaped, options))


def _follow_together(ctx: Context, requests: list[tuple[dict, str]], options: LogOptions) -> None:
    """parallelConsumeRequest: each stream's lines so far, in request order (kubectl's goroutines
    race; here the order is fixed), then the lines written while following, in the order they were
    written (a tie: request order). ``--limit-bytes`` counts per stream."""
    cluster, targets = ctx.cluster, [(pod["metadata"]["name"], container) for pod, container in requests]
    if cluster is None or not hasattr(cluster, "logs"):
        return
    texts = [_read(ctx, name, container) for name, container in targets]
    for (name, container), text in zip(targets, texts):
        if text is not None:
            _write(ctx, name, container, _limit(shape(text, replace(options, limit_bytes=0), ctx.now()), options))
    if ctx.flags["previous"]:
        return
    _follow(ctx, cluster, targets)
    written = []
    for at, ((name, container), text) in enumerate(zip(targets, texts)):
        later = _read(ctx, name, container) if text is not None else None
        if later is not None and later.startswith(text):
            written += [(line.partition(" ")[0], at, line) for line in later[len(text):].splitlines(keepends=True)]
    from k8slearn.kubectl.log_options import parse_rfc3339

    for _, at, line in sorted(written, key=lambda each: (parse_rfc3339(each[0]), each[1])):
        _write(ctx, *targets[at], shape(line, LogOptions(timestamps=options.timestamps), ctx.now()))


def _limit(shaped: str, options: LogOptions) -> str:
    """``--limit-bytes``: the first bytes of what a request returns."""
    if options.limit_bytes:
        shaped = shaped.encode("utf-8")[:options.limit_bytes].decode("utf-8", "ignore")
    return shaped


def _write(ctx: Context, name: str, container: str, shaped: str) -> None:
    """DefaultConsumeRequest: each line, after ``[pod/NAME/CONTAINER] `` with ``--prefix``."""
    lines = shaped.splitlines(keepends=True)
    if ctx.flags["prefix"]:
        lines = [f"[pod/{name}/{container}] {line}" for line in lines]
    ctx.print("".join(lines), end="")


FOLLOW_LIMIT = 300.0  # simulated seconds ``logs -f`` follows a container that keeps running


def _follow(ctx: Context, cluster: Any, targets: list[tuple[str, str]]) -> None:
    """``-f``: the streams last while their containers run (a real terminal: until Ctrl-C for a
    server); here the cluster runs, 0.1 s at a time, until every container followed has stopped,
    at most ``FOLLOW_LIMIT`` seconds."""
    def running(name: str, container: str) -> bool:
        status = ctx.client.get("pods", name, ctx.namespace).get("status", {})
        return any(s.get("name") == container and "running" in (s.get("state") or {})
                   for key in ("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses")
                   for s in status.get(key) or ())

    start = cluster.now
    while any(running(*target) for target in targets) and cluster.now - start < FOLLOW_LIMIT:
        cluster.run(seconds=0.1)
