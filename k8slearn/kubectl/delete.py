"""``kubectl delete``: remove objects named by type and name, ``-f``, ``-l`` or ``--all``.

Each deletion prints ``<resource> "<name>" deleted`` (``pod "web" deleted``,
``deployment.apps "web" deleted``). Like kubectl, it then waits until the objects are really
gone: with a cluster attached, simulated time runs (a second at a time) until the API server
no longer has them, which for a pod means until its kubelet has stopped it.

>>> deleted_line("deployments.apps", "web", "deleted")
'deployment.apps "web" deleted'

Simplified: unless ``--timeout`` says otherwise, waiting gives up after 60 simulated seconds (or a
pod's grace period and 10 s) with ``--timeout``'s error, where kubectl waits a week; ``--interactive``
is not supported.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go (DeleteResult, PrintObj),
staging/src/k8s.io/kubectl/pkg/cmd/delete/delete_flags.go
"""

from __future__ import annotations

from k8slearn.kubectl.apply import dry_run_mode
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, KubectlError
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


@command("delete")
def run_delete(ctx: Context, args: list[str]) -> int:
    from k8slearn.api.errors import ApiError

    flags = ctx.flags
    if not args and not flags["filename"]:
        raise KubectlError("You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                           "   '<resource> <name>'\n   '<resource>'")
    if flags["all"] and flags["selector"]:  # DeleteOptions.Validate
        raise KubectlError("cannot set --all and --selector at the same time")
    if flags["all"] and flags["field-selector"]:
        raise KubectlError("cannot set --all and --field-selector at the same time")
    if flags["force"] and flags["grace-period"] > 0:
        raise KubectlError("--force and --grace-period greater than 0 cannot be specified together")
    if len(args) == 1 and "/" not in args[0] and not flags["all"] and not flags["selector"] \
            and not flags["field-selector"] and not flags["filename"]:
        raise KubectlError("resource(s) were provided, but no name was specified")
    cascade = flags["cascade"]
    policies = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan",
                "true": "Background", "false": "Orphan"}
    if cascade not in policies:
        raise KubectlError(f'invalid cascade value ({cascade}). Must be "background", "foreground", or "orphan".')
    grace = flags["grace-period"]
    if flags["now"]:
        if grace >= 0:
            raise KubectlError("--now and --grace-period cannot be specified together")
        grace = 1
    force = flags["force"]
    if force and grace < 0:
        grace = 0
    if grace == 0 and not force:
        grace = 1  # kubectl turns --grace-period=0 without --force into 1
    if force:
        ctx.eprint(_FORCE_WARNING)
    infos, errors = infos_for(ctx, args)
    if flags["ignore-not-found"]:
        errors = [e for e in errors if getattr(e, "code", 0) != 404]
    mode = dry_run_mode(ctx)
    deleted = []
    for info in infos:
        try:
            if mode != "client":
                gone = ctx.client.delete(info.resource.plural, info.name, namespace=info.namespace or None,
                                         grace_period_seconds=grace if grace >= 0 else None,
                                         propagation_policy=policies[cascade], dry_run=(mode == "server"))
                info.extra["uid"] = ((gone or {}).get("metadata") or {}).get("uid")
        except ApiError as exc:
            if not (exc.code == 404 and flags["ignore-not-found"]):
                errors.append(exc)
            continue
        suffix = "force deleted" if force else "deleted"
        suffix += {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")
        if flags["output"] == "name":
            from k8slearn.kubectl.table import kind_prefix

            ctx.print(f"{kind_prefix(info.resource)}/{info.name}")
        else:
            ctx.print(deleted_line(info.resource.group_resource, info.name, suffix))
        deleted.append(info)
    if not deleted and not errors and not flags["ignore-not-found"]:
        ctx.print("No resources found")  # DeleteResult's, on stdout (get's has the namespace, on stderr)
    if errors:
        raise Aggregate(errors)  # kubectl returns the visit's errors before it waits
    if mode == "none" and flags["wait"] and deleted:
        _wait_until_gone(ctx, deleted)
    return 0


def _wait_until_gone(ctx: Context, infos: list) -> None:
    """cmdwait.IsDeleted for each deleted object: gone once the API server answers NotFound or holds
    a new object of the same name (another UID, as a StatefulSet's recreated ``web-0``). Time runs a
    simulated second at a time. kubectl waits up to ``--timeout`` (0 or unset: a week); unset, the
    simulation gives up after 60 seconds, or a pod's grace period and 10 seconds when that is
    longer, and then fails as ``--timeout`` does: ``timed out waiting for the condition on
    pods/web-0``."""
    from k8slearn.api.errors import ApiError
    from k8slearn.kubectl.wait import TIMED_OUT

    cluster = ctx.cluster
    if cluster is None or not hasattr(cluster, "run"):
        return
    budget = ctx.flags["timeout"]
    waited = 0.0
    while True:
        remaining = []
        for info in infos:
            try:
                live = ctx.client.get(info.resource.plural, info.name, info.namespace or None)
            except ApiError:
                continue
            meta = live.get("metadata") or {}
            if info.extra.get("uid") and meta.get("uid") != info.extra["uid"]:
                continue
            remaining.append(info)
            if not ctx.flags["timeout"]:
                budget = max(budget or 60.0, float(meta.get("deletionGracePeriodSeconds") or 0) + 10)
        if not remaining:
            return
        infos = remaining
        if waited >= budget:
            info = remaining[0]
            raise KubectlError(f"{TIMED_OUT} on {info.resource.plural}/{info.name}")
        step = min(1.0, budget - waited)  # (a --timeout of 1ms or 1.5s runs out when it says)
        cluster.run(seconds=step)
        waited += step
