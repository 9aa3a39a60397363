"""``kubectl delete``: remove objects named by type and name, ``-f``, ``-l`` or ``--all``.

Each deletion prints ``<resource> "<name>" deleted`` (``pod "web" deleted``,
``deployment.apps "web" deleted``). Like kubectl, it then waits until the objects are really
gone: with a cluster attached, simulated time runs (a second at a time) until the API server
no longer has them, which for a pod means until its kubelet has stopped it.

>>> deleted_line("deployments.apps", "web", "deleted")
'deployment.apps "web" deleted'

Simplified: unless ``--timeout`` says otherwise, waiting gives up after 60 simulated seconds (or a
pod's grace period and 10 s), where kubectl waits a week: the simulation says so, and what the
object still waits for (its finalizers, or a pod's kubelet); a ``--timeout`` that runs out is
kubectl's own error. ``--interactive``
lists what would be deleted and reads the answer from the command's stdin (``y`` goes on). ``--raw``
deletes the one object its path names (no request body, no collections).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go (Complete, Validate, RunDelete, confirmation,
DeleteResult, PrintObj), staging/src/k8s.io/kubectl/pkg/rawhttp/raw.go (RawDelete),
staging/src/k8s.io/kubectl/pkg/cmd/delete/delete_flags.go
"""

from __future__ import annotations

from k8slearn.kubectl.apply import cascade_policy, dry_run_mode
from k8slearn.kubectl.builder import Info
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, ExitSilently, KubectlError, add_source
from k8slearn.kubectl.get import infos_for

__all__ = ["run_delete", "deleted_line"]

_FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                  "terminated. The resource may continue to run on the cluster indefinitely.")


def deleted_line(group_resource: str, name: str, suffix: str) -> str:
    """``pod "web" deleted``: the kind (lower case, with group) and the quoted name."""
    plural, _, group = group_resource.partition(".")
    from k8slearn.api.resources import lookup

    kind = lookup(plural).kind.lower()
    return f'{kind}{"." + group if group else ""} "{name}" {suffix}'


def _kind_string(info: Info) -> str:
    """PrintObj's ``kind[.group]``, lower case: ``pod``, ``deployment.apps``."""
    kind = info.resource.kind.lower()
    return f"{kind}.{info.resource.group}" if info.resource.group else kind


@command("delete")
def run_delete(ctx: Context, args: list[str]) -> int:
    """NewCmdDelete: ToOptions (the cascade), Complete (grace period, dry run, the builder), Validate,
    then RunDelete (``--raw``, ``--interactive``'s question, DeleteResult)."""
    from k8slearn.api.errors import ApiError

    flags = ctx.flags
    policy = cascade_policy(ctx)
    grace = flags["grace-period"]
    if flags["now"]:
        if grace != -1:
            raise KubectlError("--now and --grace-period cannot be specified together")
        grace = 1
    force = flags["force"]
    if grace == 0 and not force:
        grace = 1  # kubectl turns --grace-period=0 without --force into 1
    if force and grace < 0:
        grace = 0
    mode = dry_run_mode(ctx)
    raw = flags.get("raw") or ""
    infos: list[Info] = []
    errors: list[Exception] = []
    if not raw:  # the builder (Complete): what it refuses is refused before anything else is checked
        infos, errors = infos_for(ctx, args, select_all=flags["all"], require_object=False)
    # Validate
    if flags["output"] and flags["output"] != "name":
        raise KubectlError(f"unexpected -o output mode: {flags['output']}. We only support '-o name'")
    if flags["all"] and flags["selector"]:
        raise KubectlError("cannot set --all and --selector at the same time")
    if flags["all"] and flags["field-selector"]:
        raise KubectlError("cannot set --all and --field-selector at the same time")
    if force and grace == 0:
        ctx.eprint(_FORCE_WARNING)
    elif force and grace > 0:
        raise KubectlError("--force and --grace-period greater than 0 cannot be specified together")
    if raw:
        return _raw_delete(ctx, raw)
    # --all, -l and --field-selector ignore NotFound unless --ignore-not-found says otherwise
    ignore_not_found = flags["ignore-not-found"]
    if "ignore-not-found" not in ctx.changed and (flags["all"] or flags["selector"] or flags["field-selector"]):
        ignore_not_found = True
    if ignore_not_found:
        errors = [e for e in errors if getattr(e, "code", 0) != 404]
    if flags["interactive"]:
        if not infos:
            if errors:
                raise Aggregate(errors)
            ctx.print("No resources found")
            return 0
        if not _confirmed(ctx, infos):
            ctx.print("deletion is cancelled")
            return 0
    warn_cluster_scope = ctx.explicit_namespace and not flags["all-namespaces"]
    deleted = []
    for info in infos:
        if warn_cluster_scope and not info.resource.namespaced:
            ctx.eprint("Warning: deleting cluster-scoped resources, not scoped to the provided namespace")
            warn_cluster_scope = False
        if mode != "client":
            try:
                gone = ctx.client.delete(info.resource.plural, info.name, namespace=info.namespace or None,
                                         grace_period_seconds=grace if grace >= 0 else None,
                                         propagation_policy=policy, dry_run=(mode == "server"))
            except ApiError as exc:
                if not (exc.code == 404 and ignore_not_found):
                    errors.append(add_source("deleting", info.source, exc))  # cmdutil.AddSourceToErr
                continue
            info.extra["uid"] = ((gone or {}).get("metadata") or {}).get("uid")
        suffix = "force deleted" if grace == 0 else "deleted"
        suffix += {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")
        if flags["output"] == "name":
            ctx.print(f"{_kind_string(info)}/{info.name}")
        else:
            ctx.print(f'{_kind_string(info)} "{info.name}" {suffix}')
        deleted.append(info)
    if errors:
        raise Aggregate(errors)  # kubectl returns the visit's errors before it waits
    if not infos:
        ctx.print("No resources found")  # DeleteResult's, on stdout (get's has the namespace, on stderr)
        return 0
    if mode == "none" and flags["wait"] and deleted:
        _wait_until_gone(ctx, deleted)
    return 0


def _confirmed(ctx: Context, infos: list[Info]) -> bool:
    """DeleteOptions.confirmation: the list, then one answer read from stdin (fmt.Fscan: the first
    word); only ``y`` or ``Y`` goes on. With no answer at all (empty stdin) the deletion is cancelled."""
    ctx.print(f"You are about to delete the following {len(infos)} resource(s):")
    for info in infos:
        ctx.print(f"{_kind_string(info)}/{info.name}")
    ctx.print("Do you want to continue? (y/n): ", end="")
    words = (ctx.stdin or "").split()
    return bool(words) and words[0].lower() == "y"


def _raw_delete(ctx: Context, path: str) -> int:
    """Validate's ``--raw`` checks, then RawDelete: DELETE of that path, the response body on stdout.
    Simplified: only the path of one object (``/api/v1/namespaces/default/pods/web``) is served, with
    the default delete options; a path the API server does not serve is its 404."""
    import json
    from urllib.parse import urlsplit

    from k8slearn.api.errors import status_error
    from k8slearn.api.resources import RESOURCES
    from k8slearn.kubectl.raw import NOT_FOUND

    flags = ctx.flags
    if flags["interactive"]:
        raise KubectlError("--interactive can not be used with --raw")
    filenames = flags.get("filename") or []
    if len(filenames) > 1:
        raise KubectlError("--raw can only use a single local file or stdin")
    if filenames and filenames[0].startswith(("http://", "https://")):
        raise KubectlError("--raw cannot read from a url")
    if flags.get("recursive"):
        raise KubectlError("--raw and --recursive are mutually exclusive")
    if flags.get("output"):
        raise KubectlError("--raw and --output are mutually exclusive")
    if not path.startswith("/"):
        raise KubectlError(f'--raw must be a valid URL path: parse "{path}": invalid URI for request')
    if filenames:
        raise KubectlError("a request body (-f) for --raw is not available in this simulated cluster")
    parts = [p for p in urlsplit(path).path.split("/") if p]
    if parts[:2] == ["api", "v1"]:
        group, rest = "", parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group, rest = parts[1], parts[3:]
    else:
        group, rest = None, []
    namespace = None
    if len(rest) >= 2 and rest[0] == "namespaces" and len(rest) != 2:
        namespace, rest = rest[1], rest[2:]
    info = next((r for r in RESOURCES.values() if group is not None and r.plural == (rest[0] if rest else "")
                 and r.group == group), None)
    if info is None or len(rest) > 2 or (namespace is not None and not info.namespaced) \
            or (info.namespaced and len(rest) == 2 and namespace is None):
        raise status_error(404, "NotFound", NOT_FOUND, {})
    if len(rest) != 2:
        raise KubectlError("deleting a collection with --raw is not available in this simulated cluster")
    gone = ctx.client.delete(info.plural, rest[1], namespace=namespace)
    ctx.print(json.dumps(dict(gone or {}), separators=(",", ":"), ensure_ascii=False))
    return 0


def _wait_until_gone(ctx: Context, infos: list) -> None:
    """cmdwait.IsDeleted for each deleted object: gone once the API server answers NotFound or holds
    a new object of the same name (another UID, as a StatefulSet's recreated ``web-0``). Time runs a
    simulated second at a time. kubectl waits up to ``--timeout`` (0 or unset: a week); unset, the
    simulation gives up after 60 seconds, or 10 seconds after the object should be gone when that
    is later (see ``_expected_seconds``), and says so (:func:`still_there`); a ``--timeout`` that
    runs out fails as kubectl does: ``timed out waiting for the condition on pods/web-0``."""
    from k8slearn.api.errors import ApiError
    from k8slearn.kubectl.wait import TIMED_OUT

    cluster = ctx.cluster
    if cluster is None or not hasattr(cluster, "run"):
        return
    budget = ctx.flags["timeout"]
    waited = 0.0
    while True:
        remaining, live_meta = [], {}
        for info in infos:
            try:
                live = ctx.client.get(info.resource.plural, info.name, info.namespace or None)
            except ApiError:
                continue
            meta = live.get("metadata") or {}
            if info.extra.get("uid") and meta.get("uid") != info.extra["uid"]:
                continue
            remaining.append(info)
            live_meta[info.name] = meta
            if not ctx.flags["timeout"]:
                budget = max(budget or 60.0, _expected_seconds(ctx, info, meta) + 10)
        if not remaining:
            return
        infos = remaining
        if waited >= budget:
            info = remaining[0]
            if ctx.flags["timeout"]:
                raise KubectlError(f"{TIMED_OUT} on {info.resource.plural}/{info.name}")
            ctx.eprint(still_there(info, live_meta[info.name], waited))
            raise ExitSilently(1)
        step = min(1.0, budget - waited)  # (a --timeout of 1ms or 1.5s runs out when it says)
        cluster.run(seconds=step)
        waited += step


def still_there(info: Info, meta: dict, waited: float) -> str:
    """What the simulation says when it stops waiting for a deleted object that is still there
    (kubectl would go on for a week): how long it waited and what the object waits for.

    >>> from k8slearn.api.resources import lookup
    >>> pvc = Info(lookup("pvc"), "default", "www-web-0")
    >>> print(still_there(pvc, {"finalizers": ["kubernetes.io/pvc-protection"]}, 60.0))
    k8slearn: persistentvolumeclaims/www-web-0 is still there after 60 simulated seconds (it waits for its finalizers: kubernetes.io/pvc-protection); kubectl would go on waiting, up to a week unless --timeout says less, so the simulation stops here
    """
    finalizers = meta.get("finalizers") or []
    if finalizers:
        why = f" (it waits for its finalizers: {', '.join(finalizers)})"
    elif info.resource.plural == "pods":
        why = " (it waits for its node's kubelet to say its containers have stopped)"
    else:
        why = ""
    return (f"k8slearn: {info.resource.plural}/{info.name} is still there after {waited:g} simulated seconds{why}; "
            "kubectl would go on waiting, up to a week unless --timeout says less, so the simulation stops here")


def _expected_seconds(ctx: Context, info: Info, meta: dict) -> float:
    """How long a deleted object should take to go: a pod its grace period; a namespace the
    namespace controller's 5 s wait and then its pods' longest grace period (upstream kubectl just
    waits a week; the simulation needs an end for an object nothing will ever remove)."""
    if info.resource.plural != "namespaces":
        return float(meta.get("deletionGracePeriodSeconds") or 0)
    pods = ctx.client.list("pods", namespace=info.name)
    return 5.0 + max((float((p.get("spec") or {}).get("terminationGracePeriodSeconds") or 0) for p in pods),
                     default=0.0)
