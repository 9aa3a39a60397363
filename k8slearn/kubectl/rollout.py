"""``kubectl rollout status`` (and ``restart``): watching a Deployment or DaemonSet roll out.

The status line comes from the object's status alone, as kubectl's status viewers compute it:
``Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...`` until
``deployment "web" successfully rolled out``. Real kubectl watches and prints each new line;
with a cluster attached this runs simulated time a second at a time and does the same.

>>> d = {"metadata": {"name": "web", "generation": 2},
...      "spec": {"replicas": 3}, "status": {"observedGeneration": 2, "replicas": 3,
...      "updatedReplicas": 3, "availableReplicas": 1}}
>>> deployment_status(d)
('Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\\n', False)

Simplified: without ``--timeout`` the watch gives up after 600 simulated seconds.

Upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go,
staging/src/k8s.io/kubectl/pkg/cmd/rollout/rollout_status.go, rollout_restart.go
"""

from __future__ import annotations

from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError

__all__ = ["deployment_status", "daemonset_status", "run_rollout_status"]


def deployment_status(d: dict) -> tuple[str, bool]:
    meta, spec, status = d.get("metadata", {}), d.get("spec", {}), d.get("status", {})
    name = meta.get("name", "")
    if meta.get("generation", 0) <= status.get("observedGeneration", 0):
        for c in status.get("conditions") or []:
            if c.get("type") == "Progressing" and c.get("reason") == "ProgressDeadlineExceeded":
                raise KubectlError(f'deployment "{name}" exceeded its progress deadline')
        replicas, updated = spec.get("replicas", 1), status.get("updatedReplicas", 0)
        if updated < replicas:
            return (f'Waiting for deployment "{name}" rollout to finish: {updated} out of {replicas} new replicas '
                    "have been updated...\n", False)
        if status.get("replicas", 0) > updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {status["replicas"] - updated} old '
                    "replicas are pending termination...\n", False)
        if status.get("availableReplicas", 0) < updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {status.get("availableReplicas", 0)} of '
                    f"{updated} updated replicas are available...\n", False)
        return f'deployment "{name}" successfully rolled out\n', True
    return "Waiting for deployment spec update to be observed...\n", False


def daemonset_status(ds: dict) -> tuple[str, bool]:
    meta, spec, status = ds.get("metadata", {}), ds.get("spec", {}), ds.get("status", {})
    name = meta.get("name", "")
    if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
        raise KubectlError("rollout status is only available for RollingUpdate strategy type")
    if meta.get("generation", 0) <= status.get("observedGeneration", 0):
        desired = status.get("desiredNumberScheduled", 0)
        if status.get("updatedNumberScheduled", 0) < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {status.get("updatedNumberScheduled", 0)} '
                    f"out of {desired} new pods have been updated...\n", False)
        if status.get("numberAvailable", 0) < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {status.get("numberAvailable", 0)} of '
                    f"{desired} updated pods are available...\n", False)
        return f'daemon set "{name}" successfully rolled out\n', True
    return "Waiting for daemon set spec update to be observed...\n", False


_VIEWERS = {"Deployment": deployment_status, "DaemonSet": daemonset_status}


@command("rollout status")
def run_rollout_status(ctx: Context, args: list[str]) -> int:
    from k8slearn.kubectl.builder import parse_args

    if not args and not ctx.flags["filename"]:
        raise KubectlError("required resource not specified")
    targets = parse_args(args)
    if len(targets) != 1 or targets[0].name is None:
        raise KubectlError("rollout status is only supported on individual resources and resource collections - "
                           f"{len(targets)} resources were found")
    target = targets[0]
    viewer = _VIEWERS.get(target.resource.kind)
    if viewer is None:
        raise KubectlError(f"no status viewer has been implemented for {target.resource.kind}")
    obj = ctx.client.get(target.resource.plural, target.name, ctx.namespace)
    last = ""
    budget = ctx.flags["timeout"] or 600.0
    waited = 0.0
    while True:
        line, done = viewer(obj)
        if line != last:
            ctx.print(line, end="")
            last = line
        if done or not ctx.flags["watch"]:
            return 0
        cluster = ctx.cluster
        if cluster is None or not hasattr(cluster, "run") or waited >= budget:
            if cluster is not None and waited >= budget and ctx.flags["timeout"]:
                raise KubectlError("timed out waiting for the condition")
            return 0
        cluster.run(seconds=1)
        waited += 1
        obj = ctx.client.get(target.resource.plural, target.name, ctx.namespace)


@command("rollout restart")
def run_rollout_restart(ctx: Context, args: list[str]) -> int:
    from k8slearn.kubectl.apply import print_result
    from k8slearn.kubectl.get import infos_for
    from k8slearn.api.meta import timestamp

    infos, errors = infos_for(ctx, args)
    for info in infos:
        stamp = timestamp(ctx.now())
        patch = {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}}
        result = ctx.client.patch(info.resource.plural, info.name, patch, namespace=info.namespace or None,
                                  patch_type="strategic")
        print_result(ctx, info.resource, result, "restarted")
    if errors:
        from k8slearn.kubectl.errors import Aggregate

        raise Aggregate(errors)
    return 0
