"""``kubectl drain``: cordon a node, then evict its pods and wait until they are gone.

Draining is done by the client, in three steps a student can watch in the trace:

1. **cordon**: ``spec.unschedulable: true`` (the node lifecycle controller adds the
   ``node.kubernetes.io/unschedulable:NoSchedule`` taint, so the scheduler sends nothing new);
2. **choose the pods** on the node (``spec.nodeName=<node>``), through filters in upstream's order:
   pods deleted more than ``--skip-wait-for-delete-timeout`` seconds ago are skipped; DaemonSet pods
   are never evicted (their controller would put them straight back) and stop the drain unless
   ``--ignore-daemonsets``; mirror pods are skipped; pods with ``emptyDir`` data need
   ``--delete-emptydir-data``; pods that no controller would replace need ``--force``;
3. **evict** each chosen pod through the pods/eviction subresource (``--disable-eviction``: a plain
   DELETE), then poll every second until each is gone, printing ``pod/<name> evicted``.

The pods' controllers make replacements, which the scheduler places on the other nodes::

    node/node-1 cordoned
    evicting pod default/web-7c4b4cb947-abcde
    pod/web-7c4b4cb947-abcde evicted
    node/node-1 drained

>>> filter_messages = [LOCAL_STORAGE_FATAL, UNMANAGED_FATAL]
>>> cannot_delete({m: ["default/a"] for m in filter_messages})[1]
'cannot delete cannot delete Pods that declare no controller (use --force to override): default/a'
>>> go_duration(3600), go_duration(90), go_duration(0.25)
('1h0m0s', '1m30s', '250ms')

Simplified: pods are evicted and polled one after another in list order (kubectl uses one
goroutine per pod, so a real terminal may show the lines in another order); errors and warnings
are listed in the order their pods come (kubectl's come from a Go map, in random order); no
PodDisruptionBudgets, so an eviction is never refused with 429; ``--timeout=0`` (wait forever)
waits at most an hour of simulated time; without a simulated cluster to run (a bare API server),
the wait ends after the first poll; ``--chunk-size`` is accepted and ignored.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/drain/drain.go, staging/src/k8s.io/kubectl/pkg/drain/
(drain.go, filters.go, cordon.go)
"""

from __future__ import annotations

from k8slearn.api.errors import ApiError
from k8slearn.api.labels import parse_selector
from k8slearn.apiserver.eviction import eviction_body
from k8slearn.kubectl.apply import dry_run_mode
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.edit import cordon_nodes, nodes_for
from k8slearn.kubectl.errors import Aggregate, KubectlError, message_for, usage_error

DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
FOREVER = 3600.0  # what --timeout=0 waits here, in simulated seconds (kubectl: no limit)

OKAY, SKIP, WARNING, ERROR = "Okay", "Skip", "Warning", "Error"
_FINISHED = ("Succeeded", "Failed")


def go_duration(seconds: float) -> str:
    """Go's time.Duration.String for whole milliseconds and up: ``1h0m0s``, ``1m30s``, ``250ms``."""
    if seconds < 1:
        return f"{round(seconds * 1000)}ms" if seconds else "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{secs:g}s"
    if hours or minutes:
        text = f"{int(minutes)}m" + text
    if hours:
        text = f"{int(hours)}h" + text
    return text


def _controller_of(pod: dict) -> dict | None:
    return next((r for r in pod["metadata"].get("ownerReferences") or () if r.get("controller")), None)


def _finished(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in _FINISHED


class Filters:
    """The drain Helper's filters; each gives ``(delete, reason, message)`` for a pod."""

    def __init__(self, ctx: Context) -> None:
        self.ctx, flags = ctx, ctx.flags
        self.force = flags["force"]
        self.ignore_daemonsets = flags["ignore-daemonsets"]
        self.delete_emptydir_data = flags["delete-emptydir-data"] or flags.get("delete-local-data", False)
        self.skip_deleted_after = flags["skip-wait-for-delete-timeout"]

    def status(self, pod: dict) -> tuple[bool, str, str]:
        """The last filter's verdict (filters stop at the first that keeps the pod)."""
        status = (True, OKAY, "")
        for check in (self.skip_deleted, self.daemonset, self.mirror_pod, self.local_storage, self.unreplicated):
            status = check(pod)
            if not status[0]:
                break
        return status

    def skip_deleted(self, pod: dict) -> tuple[bool, str, str]:
        if should_skip_pod(pod, self.skip_deleted_after, self.ctx.now()):
            return False, SKIP, ""
        return True, OKAY, ""

    def daemonset(self, pod: dict) -> tuple[bool, str, str]:
        ref = _controller_of(pod)
        if ref is None or ref.get("kind") != "DaemonSet" or _finished(pod):
            return True, OKAY, ""
        try:
            self.ctx.client.get("daemonsets", ref.get("name", ""), pod["metadata"].get("namespace"))
        except ApiError as err:
            if err.code == 404 and self.force:  # an orphan: its DaemonSet will not bring it back
                return True, WARNING, err.status.get("message", "")
            return False, ERROR, err.status.get("message", "")
        if not self.ignore_daemonsets:
            return False, ERROR, DAEMONSET_FATAL
        return False, WARNING, DAEMONSET_WARNING

    def mirror_pod(self, pod: dict) -> tuple[bool, str, str]:
        if MIRROR_POD_ANNOTATION in (pod["metadata"].get("annotations") or {}):
            return False, SKIP, ""
        return True, OKAY, ""

    def local_storage(self, pod: dict) -> tuple[bool, str, str]:
        if not any("emptyDir" in v for v in (pod.get("spec") or {}).get("volumes") or ()) or _finished(pod):
            return True, OKAY, ""
        if not self.delete_emptydir_data:
            return False, ERROR, LOCAL_STORAGE_FATAL
        return True, WARNING, LOCAL_STORAGE_WARNING

    def unreplicated(self, pod: dict) -> tuple[bool, str, str]:
        if _finished(pod) or _controller_of(pod) is not None:
            return True, OKAY, ""
        if self.force:
            return True, WARNING, UNMANAGED_WARNING
        return False, ERROR, UNMANAGED_FATAL


def should_skip_pod(pod: dict, skip_after: int, now: float) -> bool:
    """Deleted more than ``skip_after`` seconds ago (0: never skip)."""
    from k8slearn.api.meta import parse_timestamp

    deleted = pod["metadata"].get("deletionTimestamp")
    return skip_after > 0 and bool(deleted) and int(now - parse_timestamp(deleted)) > skip_after


def _grouped(statuses: list[tuple[dict, tuple[bool, str, str]]], reason: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for pod, (_, why, message) in statuses:
        if why == reason:
            meta = pod["metadata"]
            groups.setdefault(message or "unexpected error", []).append(f"{meta.get('namespace')}/{meta['name']}")
    return groups


def cannot_delete(groups: dict[str, list[str]]) -> list[str]:
    """PodDeleteList.errors: one ``cannot delete <why>: <pods>`` per reason (v1.32 prefixes every one)."""
    return [f"cannot delete {message}: {', '.join(pods)}" for message, pods in groups.items()]


def aggregate_text(messages: list[str]) -> str:
    """utilerrors.Aggregate.Error(): one message as it is, several in brackets."""
    return messages[0] if len(messages) == 1 else "[" + ", ".join(messages) + "]"


def pods_for_deletion(ctx: Context, node: str) -> tuple[list[dict], str, list[str]]:
    """GetPodsForDeletion: (pods to evict, the warnings line, the errors), pods in list order."""
    pods = ctx.client.list("pods", None, label_selector=ctx.flags["pod-selector"] or None,
                           field_selector=f"spec.nodeName={node}")
    filters = Filters(ctx)
    statuses = [(pod, filters.status(pod)) for pod in pods]
    warnings = "; ".join(f"{m}: {', '.join(p)}" for m, p in _grouped(statuses, WARNING).items())
    return [pod for pod, status in statuses if status[0]], warnings, cannot_delete(_grouped(statuses, ERROR))


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
    """Poll every simulated second; print ``pod/<name> <verb>`` as each disappears. Returns those left."""
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


def evict_or_delete(ctx: Context, pods: list[dict], mode: str) -> list[str]:
    """DeleteOrEvictPods: the errors (empty when every pod is gone)."""
    if not pods:
        return []
    flags = ctx.flags
    grace = flags["grace-period"]
    timeout = flags["timeout"] or FOREVER
    errors: list[str] = []
    if flags["disable-eviction"]:
        for pod in pods:
            meta = pod["metadata"]
            try:
                ctx.client.delete("pods", meta["name"], meta.get("namespace"),
                                  grace_period_seconds=grace if grace >= 0 else None, dry_run=(mode == "server"))
            except ApiError as err:
                if err.code != 404:
                    return [message_for(err)]
        if mode == "server":
            return []  # nothing was deleted, so nothing to wait for (kubectl would wait forever)
        if wait_for_delete(ctx, pods, "deleted", timeout):
            return [f"global timeout reached: {go_duration(timeout)}"]
        return []
    waiting = []
    for pod in pods:
        meta = pod["metadata"]
        name, namespace = meta["name"], meta.get("namespace")
        ctx.print(f"evicting pod {namespace}/{name}" + (" (server dry run)" if mode == "server" else ""))
        try:
            ctx.client.evict(name, namespace, eviction_body(name, namespace, grace, dry_run=(mode == "server")))
        except ApiError as err:
            if err.code != 404:
                errors.append(f'error when evicting pods/"{name}" -n "{namespace}": {err.status.get("message", "")}')
            continue
        waiting.append(pod)
    if mode != "server":
        for pod in wait_for_delete(ctx, waiting, "evicted", timeout):
            errors.append(f'error when waiting for pod "{pod["metadata"]["name"]}" in namespace '
                          f'"{pod["metadata"].get("namespace")}" to terminate: global timeout reached: '
                          f'{go_duration(timeout)}')
    return errors


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
        pods, warnings, errors = pods_for_deletion(ctx, name)
        if not errors:
            if warnings:
                ctx.eprint(f"Warning: {warnings}")
            if mode == "client":
                for pod in pods:
                    ctx.print(f"evicting pod {pod['metadata'].get('namespace')}/{pod['metadata']['name']} (dry run)")
            else:
                errors = evict_or_delete(ctx, pods, mode)
                if errors:
                    _report_pending(ctx, name, errors)
        if errors:
            ctx.eprint(f'error: unable to drain node "{name}" due to error: {aggregate_text(errors)}, '
                       "continuing command...")
            fatal.append(Aggregate([KubectlError(e) for e in errors]))
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


def _report_pending(ctx: Context, node: str, errors: list[str]) -> None:
    """deleteOrEvictPodsSimple after a failed eviction: the pods still on the node."""
    pods, _, _ = pods_for_deletion(ctx, node)
    if pods:
        ctx.eprint(f'There are pending pods in node "{node}" when an error occurred: {aggregate_text(errors)}')
        for pod in pods:
            ctx.eprint(f"pod/{pod['metadata']['name']}")
