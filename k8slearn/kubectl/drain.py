"""``kubectl drain``: cordon a node, then evict its pods and wait until they are gone.

Draining is done by the client, in three steps a student can watch in the trace:

1. **cordon**: ``spec.unschedulable: true`` (the node lifecycle controller adds the
   ``node.kubernetes.io/unschedulable:NoSchedule`` taint, so the scheduler sends nothing new);
2. **choose the pods** on the node (``spec.nodeName=<node>``), through the filters of
   ``drain_filters``: DaemonSet pods stay (and stop the drain unless ``--ignore-daemonsets``),
   mirror pods are skipped, ``emptyDir`` data needs ``--delete-emptydir-data``, pods that no
   controller would replace need ``--force``;
3. **evict** each chosen pod through the pods/eviction subresource (``--disable-eviction``: a plain
   DELETE), then poll every second until each is gone, printing ``pod/<name> evicted``.

The pods' controllers make replacements, which the scheduler places on the other nodes::

    node/node-1 cordoned
    evicting pod default/web-7c4b4cb947-abcde
    pod/web-7c4b4cb947-abcde evicted
    node/node-1 drained

An eviction that would break a PodDisruptionBudget is refused (429) and retried every 5 seconds,
so a drain waits until the pods' replacements are Ready elsewhere.

When ``--timeout`` passes with a pod still there, the wait ends with ``context deadline exceeded``:
since v1.32 ``waitForDelete`` polls with ``wait.PollUntilContextTimeout`` (PR #127881), whose
error is the context's (kubectl 1.31 said ``timed out waiting for the condition`` after a
``--disable-eviction`` delete, and ``global timeout reached: <timeout>`` after an eviction).

Simplified: the pods' evictions and polls take turns in list order on the simulated clock (kubectl
uses one goroutine per pod, so a real terminal may show the lines in another order);
``--timeout=0`` (wait forever) waits at most an hour of simulated time; without a simulated cluster
to run (a bare API server), the wait ends after the first poll; ``--chunk-size`` is accepted and
ignored.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go, staging/src/k8s.io/kubectl/pkg/drain/
(drain.go, cordon.go)
"""

from __future__ import annotations

from k8slearn.api.errors import ApiError
from k8slearn.api.labels import parse_selector
from k8slearn.api.meta import go_duration
from k8slearn.api.policy import eviction_body
from k8slearn.kubectl.apply import dry_run_mode
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.drain_filters import pods_for_deletion, should_skip_pod
from k8slearn.kubectl.edit import cordon_nodes, nodes_for
from k8slearn.kubectl.errors import Aggregate, KubectlError, usage_error

FOREVER = 3600.0  # what --timeout=0 waits here, in simulated seconds (kubectl: no limit)
DEADLINE_EXCEEDED = "context deadline exceeded"  # context.DeadlineExceeded: how waitForDelete times out
RETRY_SECONDS = 5.0  # kubectl waits this long after a 429 (a disruption budget said no) before trying again


def _current(ctx: Context, pod: dict) -> dict | None:
    """The pod as the API server has it now; None once it is gone (or a new pod took its name)."""
    meta = pod["metadata"]
    try:
        current = ctx.client.get("pods", meta["name"], meta.get("namespace"))
    except ApiError as err:
        if err.code == 404:
            return None
        raise
    return current if current["metadata"].get("uid") == meta.get("uid") else None


def wait_for_delete(ctx: Context, pods: list[dict], verb: str, timeout: float) -> list[dict]:
    """Poll every simulated second (``timeout`` 0: once); print ``pod/<name> <verb>`` as each disappears.
    Returns those left."""
    cluster = ctx.cluster
    skip_after = ctx.flags["skip-wait-for-delete-timeout"]
    waited = 0.0
    while True:
        left = []
        for pod in pods:
            current = _current(ctx, pod)
            if current is None:
                ctx.print(f"pod/{pod['metadata']['name']} {verb}")
            elif should_skip_pod(current, skip_after, ctx.now()):
                ctx.print(f'pod "{pod["metadata"]["name"]}" has DeletionTimestamp older than {skip_after} '
                          "seconds, skipping")
            else:
                left.append(pod)
        pods = left
        if not pods or cluster is None or not hasattr(cluster, "run") or waited >= timeout:
            return pods
        cluster.run(seconds=1)
        waited += 1


def evict_or_delete(ctx: Context, pods: list[dict], mode: str) -> Exception | None:
    """DeleteOrEvictPods: the error (None when every pod is gone). Evictions give an aggregate of one
    error per pod; deletes give one plain error (so the last line of the drain reads ``error: ...``)."""
    if not pods:
        return None
    flags = ctx.flags
    grace = flags["grace-period"]
    timeout = flags["timeout"] or FOREVER
    if not flags["disable-eviction"]:
        errors = evict_pods(ctx, pods, mode, grace, timeout)
        return Aggregate([KubectlError(e) for e in errors]) if errors else None
    return delete_pods(ctx, pods, mode, grace, timeout)


def delete_pods(ctx: Context, pods: list[dict], mode: str, grace: int, timeout: float) -> Exception | None:
    """deletePods: DELETE each pod, then wait for all of them until the timeout (its error, or None)."""
    for pod in pods:
        meta = pod["metadata"]
        try:
            ctx.client.delete("pods", meta["name"], meta.get("namespace"),
                              grace_period_seconds=grace if grace >= 0 else None, dry_run=(mode == "server"))
        except ApiError as err:
            if err.code != 404:
                return err
    if mode == "server":
        return None  # nothing was deleted, so nothing to wait for (kubectl would wait forever)
    if wait_for_delete(ctx, pods, "deleted", timeout):
        return KubectlError(DEADLINE_EXCEEDED)
    return None


def evict_pods(ctx: Context, pods: list[dict], mode: str, grace: int, timeout: float) -> list[str]:
    """evictPods: kubectl runs one goroutine per pod; here they take turns on the simulated clock.

    Each pod is evicted (a refusal by its disruption budget, 429, is retried 5 s later), then
    polled every second until it is gone. Each try prints ``evicting pod ...`` before it looks at
    the clock, so a pod whose retry comes after the timeout prints that line once more, then fails.
    Returns the errors.
    """
    cluster = ctx.cluster
    can_wait = cluster is not None and hasattr(cluster, "run")
    suffix = " (server dry run)" if mode == "server" else ""
    limit = go_duration(timeout)
    to_evict = [(pod, 0.0) for pod in pods]  # with the time of the next try
    waiting: list[dict] = []
    errors: list[str] = []
    elapsed = 0.0
    while True:
        timed_out = elapsed >= timeout  # the context's deadline has passed
        later = []
        for pod, due in to_evict:
            meta = pod["metadata"]
            name, namespace = meta["name"], meta.get("namespace")
            if due > elapsed:
                later.append((pod, due))
                continue
            ctx.print(f"evicting pod {namespace}/{name}{suffix}")
            if timed_out:
                errors.append(f'error when evicting pods/"{name}" -n "{namespace}": global timeout reached: {limit}')
                continue
            try:
                ctx.client.evict(name, namespace, eviction_body(name, namespace, grace, dry_run=(mode == "server")))
            except ApiError as err:
                message = err.status.get("message", "")
                if err.code == 429:
                    ctx.eprint(f'error when evicting pods/"{name}" -n "{namespace}" (will retry after 5s): {message}')
                    later.append((pod, elapsed + RETRY_SECONDS))
                elif err.code != 404:
                    errors.append(f'error when evicting pods/"{name}" -n "{namespace}": {message}')
                continue
            if mode != "server":  # a server dry run deleted nothing: nothing to wait for
                waiting.append(pod)
        to_evict = later
        waiting = wait_for_delete(ctx, waiting, "evicted", 0)
        if timed_out or not can_wait:  # (no cluster to run: nothing would change, so stop now)
            errors += [f'error when waiting for pod "{p["metadata"]["name"]}" in namespace '
                       f'"{p["metadata"].get("namespace")}" to terminate: {DEADLINE_EXCEEDED}'
                       for p in waiting]
            waiting = []
        if not can_wait:
            errors += [f'error when evicting pods/"{p["metadata"]["name"]}" -n "{p["metadata"].get("namespace")}": '
                       f"global timeout reached: {limit}" for p, _ in to_evict]
            to_evict = []
        if not to_evict and not waiting:
            return errors
        cluster.run(seconds=1)
        elapsed += 1


def _check_flags(ctx: Context, args: list[str]) -> str:
    """DrainCmdOptions.Complete's checks, in its order; returns the dry-run mode."""
    if not args and "selector" not in ctx.changed:
        raise usage_error(ctx.path, "USAGE: drain NODE [flags]")
    if args and ctx.flags["selector"]:
        raise usage_error(ctx.path, "error: cannot specify both a node name and a --selector option")
    mode = dry_run_mode(ctx)
    if ctx.flags["pod-selector"]:
        try:
            parse_selector(ctx.flags["pod-selector"])
        except (ValueError, KubectlError):
            raise KubectlError("--pod-selector=<pod_selector> must be a valid label selector") from None
    return mode


@command("drain")
def run_drain(ctx: Context, args: list[str]) -> int:
    mode = _check_flags(ctx, args)
    nodes = nodes_for(ctx, args)
    cordon_nodes(ctx, nodes, True, mode)
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")
    fatal: list[Exception] = []
    pending: list[str] = []
    for node in nodes:
        name = node["metadata"]["name"]
        failure = _delete_or_evict_pods_simple(ctx, name, mode)
        if failure is not None:
            ctx.eprint(f'error: unable to drain node "{name}" due to error: {failure}, continuing command...')
            fatal.append(failure)
            pending.append(name)
            continue
        ctx.print(f"node/{name} drained{suffix}")
    if pending:
        ctx.eprint("There are pending nodes to be drained:")
        for name in pending:
            ctx.eprint(f" {name}")
    if fatal:
        raise Aggregate(fatal)
    return 0


def _delete_or_evict_pods_simple(ctx: Context, node: str, mode: str) -> Exception | None:
    """deleteOrEvictPodsSimple: choose the node's pods, then evict or delete them; the error, or None."""
    pods, warnings, errors = pods_for_deletion(ctx, node)
    if errors:
        return Aggregate([KubectlError(e) for e in errors])
    if warnings:
        ctx.eprint(f"Warning: {warnings}")
    if mode == "client":
        for pod in pods:
            ctx.print(f"evicting pod {pod['metadata'].get('namespace')}/{pod['metadata']['name']} (dry run)")
        return None
    failure = evict_or_delete(ctx, pods, mode)
    if failure is not None:
        _report_pending(ctx, node, failure)
    return failure


def _report_pending(ctx: Context, node: str, failure: Exception) -> None:
    """deleteOrEvictPodsSimple after a failed eviction: the pods still on the node."""
    pods, _, _ = pods_for_deletion(ctx, node)
    if pods:
        ctx.eprint(f'There are pending pods in node "{node}" when an error occurred: {failure}')
        for pod in pods:
            ctx.eprint(f"pod/{pod['metadata']['name']}")
