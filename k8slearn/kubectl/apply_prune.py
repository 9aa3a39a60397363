"""``kubectl apply --prune``: delete what an earlier apply created but the files no longer have.

After every object of the files was applied, kubectl lists, in each namespace it applied to, the
objects of a fixed list of kinds (or ``--prune-allowlist``) that match ``-l`` (or all, with
``--all``). An object is deleted and reported ``<kind>/<name> pruned`` when it carries the
last-applied annotation (kubectl apply or ``create --save-config`` made it) and was not one of the
objects just applied. A ReplicaSet's pods have no annotation, so they are never pruned themselves.

Simplified: the namespaces are visited in sorted order (kubectl ranges over a Go set); kinds of the
allowlist the simulation does not serve are skipped; there are no ApplySets (``--applyset``).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/apply/prune.go (pruneAll, prune, getRESTMappings,
parsePruneResources), apply.go (Validate, MarkNamespaceVisited, MarkObjectVisited)
"""

from __future__ import annotations

from k8slearn.api.resources import NoKindMatchError, ResourceInfo, by_kind
from k8slearn.kubectl.cli import Context
from k8slearn.kubectl.errors import KubectlError

__all__ = ["DEFAULT_ALLOWLIST", "check_prune_flags", "prune_resources", "prune_all"]

PRUNE_WITHOUT_SELECTOR = ("all resources selected for prune without explicitly passing --all. To prune "
                          "all resources, pass the --all flag. If you did not mean to prune all resources, "
                          "specify a label selector")

# getRESTMappings' default allowlist, as group/version/kind.
DEFAULT_ALLOWLIST = (
    "core/v1/ConfigMap", "core/v1/Endpoints", "core/v1/Namespace", "core/v1/PersistentVolumeClaim",
    "core/v1/PersistentVolume", "core/v1/Pod", "core/v1/ReplicationController", "core/v1/Secret",
    "core/v1/Service", "batch/v1/Job", "batch/v1/CronJob", "networking.k8s.io/v1/Ingress",
    "apps/v1/DaemonSet", "apps/v1/Deployment", "apps/v1/ReplicaSet", "apps/v1/StatefulSet",
)


def check_prune_flags(ctx: Context) -> None:
    """ApplyOptions.Validate for legacy pruning: ``--force`` would recreate objects with new uids,
    and pruning everything must be asked for with ``--all``."""
    if ctx.flags.get("force"):
        raise KubectlError("--force cannot be used with --prune")
    if not ctx.flags.get("all") and not (ctx.flags.get("selector") or ""):
        raise KubectlError(PRUNE_WITHOUT_SELECTOR)


def prune_resources(allowlist: list[str]) -> list[ResourceInfo]:
    """parsePruneResources (``--prune-allowlist``, ``core`` for the core group) or the default list;
    the kinds the simulation does not serve are left out when they come from the default list."""
    resources = []
    for gvk in allowlist or DEFAULT_ALLOWLIST:
        parts = gvk.split("/")
        if len(parts) != 3:
            raise KubectlError(f"invalid GroupVersionKind format: {gvk}, please follow <group/version/kind>")
        group, version, kind = parts
        api_version = version if group in ("", "core") else f"{group}/{version}"
        try:
            resources.append(by_kind(api_version, kind))
        except NoKindMatchError as err:
            if allowlist:
                raise KubectlError(str(err)) from None
    return resources


def prune_all(ctx: Context, resources: list[ResourceInfo], namespaces: set[str], applied_uids: set[str],
              mode: str, policy: str) -> None:
    """pruner.pruneAll: the namespaced kinds in every visited namespace, then the cluster-scoped ones."""
    for namespace in sorted(namespaces):
        for resource in resources:
            if resource.namespaced:
                _prune(ctx, resource, namespace, applied_uids, mode, policy)
    for resource in resources:
        if not resource.namespaced:
            _prune(ctx, resource, None, applied_uids, mode, policy)


def _prune(ctx: Context, resource: ResourceInfo, namespace: str | None, applied_uids: set[str], mode: str,
           policy: str) -> None:
    """pruner.prune: list with ``-l``; skip the objects without the annotation or just applied;
    delete the rest (not with ``--dry-run=client``) and print ``<kind>/<name> pruned``."""
    from k8slearn.kubectl.apply import LAST_APPLIED, print_result

    grace = ctx.flags.get("grace-period", -1)
    selector = (ctx.flags.get("selector") or "").strip() or None
    for obj in ctx.client.list(resource.plural, namespace, label_selector=selector):
        meta = obj.get("metadata") or {}
        if LAST_APPLIED not in (meta.get("annotations") or {}) or meta.get("uid") in applied_uids:
            continue
        if mode != "client":
            ctx.client.delete(resource.plural, meta["name"], namespace=namespace,
                              grace_period_seconds=grace if grace >= 0 else None, propagation_policy=policy,
                              dry_run=(mode == "server"))
        print_result(ctx, resource, obj, "pruned")
