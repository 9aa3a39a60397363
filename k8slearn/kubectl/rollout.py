"""``kubectl rollout status`` (and ``restart``): watching a Deployment, DaemonSet or StatefulSet roll out.

The status line comes from the object's status alone, as kubectl's status viewers compute it:
``Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...`` until
``deployment "web" successfully rolled out``. Real kubectl watches and prints each new line;
with a cluster attached this runs simulated time a second at a time and does the same.

>>> d = {"metadata": {"name": "web", "generation": 2},
...      "spec": {"replicas": 3}, "status": {"observedGeneration": 2, "replicas": 3,
...      "updatedReplicas": 3, "availableReplicas": 1}}
>>> deployment_status(d)
('Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\\n', False)

Simplified: without ``--timeout`` (kubectl: until Ctrl-C) the watch stops after ``WATCH_LIMIT``
simulated seconds and says so (a stuck Deployment has failed long before: its progress deadline is
600 s by default).

Upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go,
staging/src/k8s.io/kubectl/pkg/cmd/rollout/rollout_status.go, rollout_restart.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError
from k8slearn.kubectl.get import with_type_meta

__all__ = ["deployment_status", "daemonset_status", "statefulset_status", "run_rollout_status",
           "run_rollout_history", "run_rollout_undo", "run_rollout_pause", "run_rollout_resume"]


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


def statefulset_status(sts: dict) -> tuple[str, bool]:
    """StatefulSetStatusViewer. The API server defaults ``rollingUpdate: {partition: 0}``, so a
    finished rollout usually reads ``partitioned roll out complete: 3 new pods have been updated...``."""
    meta, spec, status = sts.get("metadata", {}), sts.get("spec", {}), sts.get("status", {})
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        raise KubectlError("rollout status is only available for RollingUpdate strategy type")
    if not status.get("observedGeneration") or meta.get("generation", 0) > status["observedGeneration"]:
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas, ready = spec.get("replicas"), status.get("readyReplicas", 0)
    if replicas is not None and ready < replicas:
        return f"Waiting for {replicas - ready} pods to be ready...\n", False
    updated = status.get("updatedReplicas", 0)
    if strategy.get("rollingUpdate") is not None:
        partition = strategy["rollingUpdate"].get("partition")
        if replicas is not None and partition is not None and updated < replicas - partition:
            return ("Waiting for partitioned roll out to finish: "
                    f"{updated} out of {replicas - partition} new pods have been updated...\n", False)
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    if status.get("updateRevision") != status.get("currentRevision"):
        return (f"waiting for statefulset rolling update to complete {updated} pods at revision "
                f"{status.get('updateRevision', '')}...\n", False)
    return (f"statefulset rolling update complete {status.get('currentReplicas', 0)} pods at revision "
            f"{status.get('currentRevision', '')}...\n", True)


_VIEWERS = {"Deployment": deployment_status, "DaemonSet": daemonset_status, "StatefulSet": statefulset_status}


WATCH_LIMIT = 3600.0  # simulated seconds ``rollout status`` watches when no --timeout is given


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
    budget = ctx.flags["timeout"] or WATCH_LIMIT
    waited = 0.0
    while True:
        line, done = viewer(obj)
        if line != last:
            ctx.print(line, end="")
            last = line
        if done or not ctx.flags["watch"]:
            return 0
        cluster = ctx.cluster
        if cluster is None or not hasattr(cluster, "run"):
            return 0
        if waited >= budget:
            if ctx.flags["timeout"]:
                raise KubectlError("timed out waiting for the condition")
            ctx.eprint(f"k8slearn: stopped watching after {WATCH_LIMIT:.0f} s of simulated time; kubectl would "
                       "go on waiting until interrupted (--timeout stops it sooner)")
            return 1
        cluster.run(seconds=1)
        waited += 1
        obj = ctx.client.get(target.resource.plural, target.name, ctx.namespace)


@command("rollout restart")
def run_rollout_restart(ctx: Context, args: list[str]) -> int:
    from k8slearn.kubectl.apply import print_result
    from k8slearn.kubectl.get import infos_for
    from k8slearn.api.meta import timestamp

    if not args and not ctx.flags.get("filename"):  # RestartOptions.Validate
        raise KubectlError("required resource not specified")
    infos, errors = infos_for(ctx, args, allow_empty_selector=True)  # (ResourceTypeOrNameArgs(true, ...))
    for info in infos:
        # defaultObjectRestarter: only these kinds restart, and not a paused Deployment
        problem = ""
        if info.resource.kind not in ("Deployment", "DaemonSet", "StatefulSet"):
            problem = "restarting is not supported"
        elif info.resource.kind == "Deployment" and (info.obj.get("spec") or {}).get("paused"):
            problem = "can't restart paused deployment (run rollout resume first)"
        if problem:
            errors.append(KubectlError(f'error: {info.resource.group_resource} "{info.name}" {problem}'))
            continue
        stamp = timestamp(ctx.now())
        patch = {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}}
        result = ctx.client.patch(info.resource.plural, info.name, patch, namespace=info.namespace or None,
                                  patch_type="strategic")
        print_result(ctx, info.resource, result, "restarted", typed=True)
    if errors:
        from k8slearn.kubectl.errors import Aggregate

        raise Aggregate(errors)
    return 0


_NAMES = {"Deployment": "deployment.apps", "StatefulSet": "statefulset.apps", "DaemonSet": "daemonset.apps"}


def _deployment_target(ctx: Context, args: list[str], verb: str, kinds: tuple[str, ...] = ("Deployment",)):
    """The single Deployment (or, for history and undo, StatefulSet) a rollout command names."""
    from k8slearn.kubectl.builder import parse_args

    if not args and not ctx.flags.get("filename"):
        raise KubectlError("required resource not specified")
    targets = parse_args(args)
    if len(targets) != 1 or targets[0].name is None:
        raise KubectlError("you must provide one or more resources by argument or filename")
    target = targets[0]
    if target.resource.kind not in kinds:
        what = {"history": "no history viewer", "undo": "no rollbacker"}.get(verb)
        if what:  # (%q of the GroupKind: "Pod", "ReplicaSet.apps")
            group_kind = target.resource.kind + (f".{target.resource.group}" if target.resource.group else "")
            raise KubectlError(f'{what} has been implemented for "{group_kind}"')
        raise KubectlError(f'{target.resource.group_resource} "{target.name}" {verb.rstrip("e")}ing is not supported')
    ctx.client.get(target.resource.plural, target.name, ctx.namespace)  # NotFound as the server says it
    return target


@command("rollout history")
def run_rollout_history(ctx: Context, args: list[str]) -> int:
    from k8slearn.kubectl.builder import Target, parse_args

    kinds = ("Deployment", "StatefulSet", "DaemonSet")
    targets = parse_args(args) if args else []
    if len(targets) == 1 and targets[0].name is None and targets[0].resource.kind in kinds:
        # a type without a name: the history of every object of it in the namespace, one after another
        plural = targets[0].resource.plural
        for obj in sorted(ctx.client.list(plural, ctx.namespace), key=lambda o: o["metadata"]["name"]):
            _history_of(ctx, Target(targets[0].resource, obj["metadata"]["name"]))
        return 0
    return _history_of(ctx, _deployment_target(ctx, args, "history", kinds))


def _history_of(ctx: Context, target: Any) -> int:
    from k8slearn.kubectl import rollout_revisions
    from k8slearn.kubectl.rollout_history import RolloutError, revision_template, rollout_history
    from k8slearn.kubectl.tabwriter import render

    name = f"{_NAMES[target.resource.kind]}/{target.name}"
    sts = target.resource.kind != "Deployment"  # (a StatefulSet or a DaemonSet: ControllerRevisions)
    plural = target.resource.plural
    revision = int(ctx.flags.get("revision") or 0)
    if revision < 0:  # HistoryOptions.Validate
        raise KubectlError(f"revision must be a positive integer: {revision}")
    if ctx.flags.get("output"):
        return _print_history_objects(ctx, target, revision)
    try:
        if revision:
            if sts:
                template = rollout_revisions.controller_revision_template(
                    ctx.client, plural, ctx.namespace, target.name, revision)
            else:
                template = revision_template(ctx.client, ctx.namespace, target.name, revision)
            ctx.print(f"{name} with revision #{revision}")
            ctx.print(_template_text(template))
            return 0
        if sts:
            rows = rollout_revisions.controller_history(ctx.client, plural, ctx.namespace, target.name)
        else:
            rows = rollout_history(ctx.client, ctx.namespace, target.name)
    except RolloutError as err:
        raise KubectlError(str(err)) from None
    if not rows and sts:  # printHistory's answer for a set without revisions
        ctx.print(f"{name} ")
        ctx.print("No rollout history found.")
        return 0
    table = "REVISION\tCHANGE-CAUSE\n" + "".join(f"{rev}\t{cause}\n" for rev, cause in rows)
    ctx.print(f"{name} ")
    ctx.print(render(table, 0, 2), end="")
    ctx.print("")
    return 0


def _print_history_objects(ctx: Context, target: Any, revision: int) -> int:
    """``rollout history -o yaml|json|name|jsonpath=…``: HistoryViewer.GetHistory's objects, oldest
    first, or the one of ``--revision``. For a Deployment they are its ReplicaSets; for a StatefulSet
    or a DaemonSet the set itself with each ControllerRevision's patch applied (applyHistory: a
    strategic merge of the revision's data), so ``-o name`` prints ``statefulset.apps/web`` once per
    revision. ``-o json`` prints them as kubectl prints typed objects, in Go's field order (for the
    kinds :data:`~k8slearn.kubectl.output.GO_FIELDS` knows; a StatefulSet's keys come sorted). A
    ``--revision`` that does not exist is an error (kubectl 1.32 panics in its printer)."""
    from k8slearn.api.meta import thaw
    from k8slearn.api.patch import strategic_merge_patch
    from k8slearn.api.resources import lookup
    from k8slearn.kubectl.jsonpath import JSONPathError, jsonpath
    from k8slearn.kubectl.output import to_json_typed, to_yaml
    from k8slearn.kubectl.rollout_history import _revision, replica_sets_of
    from k8slearn.kubectl.rollout_revisions import controlled_revisions
    from k8slearn.kubectl.get import name_of

    owner = ctx.client.get(target.resource.plural, target.name, ctx.namespace)
    if target.resource.kind == "Deployment":
        resource = lookup("replicasets")
        history = {_revision(rs): rs for rs in replica_sets_of(ctx.client, owner) if _revision(rs) is not None}
    else:
        resource = target.resource
        owner = with_type_meta(thaw(owner), resource)
        history = {r.get("revision", 0): strategic_merge_patch(thaw(owner), thaw(r.get("data") or {}),
                                                               resource.kind)
                   for r in controlled_revisions(ctx.client, owner)}
    if revision:
        if revision not in history:
            raise KubectlError("unable to find the specified revision")
        objects = [history[revision]]
    else:
        objects = [history[k] for k in sorted(history)]
    output = ctx.flags["output"]
    kind, _, template = output.partition("=")
    for i, obj in enumerate(objects):
        obj = thaw(obj)
        meta = obj.get("metadata")
        if isinstance(meta, dict) and "managedFields" in meta and not ctx.flags.get("show-managed-fields"):
            del meta["managedFields"]  # (the print flags' OmitManagedFieldsPrinter)
        if kind == "name":
            ctx.print(name_of(obj, resource))
        elif kind == "yaml":  # a typed object: its template's empty creationTimestamp is written as null
            meta = ((obj.get("spec") or {}).get("template") or {}).get("metadata")
            if isinstance(meta, dict):
                meta.setdefault("creationTimestamp", None)
            for claim in (obj.get("spec") or {}).get("volumeClaimTemplates") or []:  # (and a claim's status)
                if isinstance(claim, dict):
                    if isinstance(claim.get("metadata"), dict):
                        claim["metadata"].setdefault("creationTimestamp", None)
                    claim.setdefault("status", {})
            ctx.print(("---\n" if i else "") + to_yaml(obj), end="")  # (the YAML printer's separator)
        elif kind == "json":
            ctx.print(to_json_typed(_typed(resource.kind, with_type_meta(obj, resource))), end="")
        elif kind in ("jsonpath", "jsonpath-as-json") and template:
            allow = ctx.flags.get("allow-missing-template-keys", True)
            try:
                ctx.print(jsonpath(template, obj, as_json=kind == "jsonpath-as-json", allow_missing_keys=allow),
                          end="")
            except JSONPathError as exc:
                raise KubectlError(str(exc)) from None
        else:
            raise KubectlError(f"the output format {output} is not available in this simulated cluster")
    return 0


def _template_text(template: dict) -> str:
    """``Pod Template:`` as printTemplate writes one revision: DescribePodTemplate into a plain
    buffer (tab-separated, not aligned)."""
    from k8slearn.kubectl.describe import PrefixWriter, describe_pod_template

    w = PrefixWriter()
    describe_pod_template(template, w)
    return w.plain()


@command("rollout undo")
def run_rollout_undo(ctx: Context, args: list[str]) -> int:
    from k8slearn.kubectl.rollout_history import RolloutError, rollout_undo
    from k8slearn.kubectl.rollout_revisions import rollout_undo_controller

    from k8slearn.kubectl.apply import dry_run_mode

    mode = dry_run_mode(ctx)
    target = _deployment_target(ctx, args, "undo", ("Deployment", "StatefulSet", "DaemonSet"))
    to_revision = int(ctx.flags.get("to-revision") or 0)
    try:
        if target.resource.kind == "Deployment":
            outcome = rollout_undo(ctx.client, ctx.namespace, target.name, to_revision, mode, _template_text)
        else:
            outcome = rollout_undo_controller(ctx.client, target.resource.plural, ctx.namespace, target.name,
                                              to_revision, mode, _template_text)
    except RolloutError as err:
        raise KubectlError(str(err)) from None
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")  # PrintFlagsWithDryRunStrategy
    ctx.print(f"{_NAMES[target.resource.kind]}/{target.name} {outcome}{suffix}")
    return 0


def _pause_or_resume(ctx: Context, args: list[str], verb: str) -> int:
    """PauseOptions/ResumeOptions.RunPause: the patch, then the patched object through the print
    flags: ``deployment.apps/web paused``, or the object for ``-o name|yaml|json|jsonpath=...``."""
    from k8slearn.api.resources import lookup
    from k8slearn.kubectl.apply import print_result
    from k8slearn.kubectl.rollout_history import RolloutError, rollout_pause, rollout_resume

    target = _deployment_target(ctx, args, verb)
    try:
        result = (rollout_pause if verb == "pause" else rollout_resume)(ctx.client, ctx.namespace, target.name)
    except RolloutError as err:
        raise KubectlError(f'deployments.apps "{target.name}" {err}') from None
    print_result(ctx, lookup("deployments"), with_type_meta(result, lookup("deployments")), f"{verb}d", typed=True)
    return 0


@command("rollout pause")
def run_rollout_pause(ctx: Context, args: list[str]) -> int:
    return _pause_or_resume(ctx, args, "pause")


@command("rollout resume")
def run_rollout_resume(ctx: Context, args: list[str]) -> int:
    return _pause_or_resume(ctx, args, "resume")


def _typed(kind: str, obj: dict) -> dict:
    """The object as kubectl prints one it holds as a Go struct (a copy: the server's stays as it is)."""
    from k8slearn.api.meta import thaw
    from k8slearn.kubectl.set_helper import as_typed

    return as_typed(kind, thaw(obj))
