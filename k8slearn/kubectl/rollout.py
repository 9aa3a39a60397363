"""``kubectl rollout status`` (and ``restart``): watching a Deployment, DaemonSet or StatefulSet roll out.

The status line comes from the object's status alone, as kubectl's status viewers compute it:
``Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...`` until
``deployment "web" successfully rolled out``. Real kubectl watches the object and prints the
viewer's line for every change of it (every new resourceVersion), repeats included; with a cluster
attached this runs the simulation one event at a time and does the same.

>>> d = {"metadata": {"name": "web", "generation": 2},
...      "spec": {"replicas": 3}, "status": {"observedGeneration": 2, "replicas": 3,
...      "updatedReplicas": 3, "availableReplicas": 1}}
>>> deployment_status(d)
('Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\\n', False)

Simplified: without ``--timeout`` (kubectl: until Ctrl-C) the watch stops after ``WATCH_LIMIT``
simulated seconds and says so (a stuck Deployment has failed long before: its progress deadline is
600 s by default).

Upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go,
staging/src/k8s.io/kubectl/pkg/cmd/rollout/rollout_status.go, rollout_restart.go, rollout_pause.go,
rollout_resume.go, rollout_undo.go, rollout_history.go
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError
from k8slearn.kubectl.get import with_type_meta
from k8slearn.kubectl.gotemplate import GO_TEMPLATE_FORMATS, print_with_template, template_source

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


def _check_revision(d: dict, revision: int) -> None:
    """DeploymentStatusViewer.Status's revision check (``--revision``): the Deployment's
    ``deployment.kubernetes.io/revision`` annotation (deploymentutil.Revision: 0 when missing)."""
    if revision <= 0:
        return
    meta = d.get("metadata") or {}
    text = (meta.get("annotations") or {}).get("deployment.kubernetes.io/revision")
    running = 0
    if text is not None:
        try:
            running = int(text, 10)
        except ValueError:  # (strconv.ParseInt's error)
            raise KubectlError(f'cannot get the revision of deployment "{meta.get("name", "")}": '
                               f'strconv.ParseInt: parsing "{text}": invalid syntax') from None
    if revision != running:
        raise KubectlError(f"desired revision ({revision}) is different from the running revision "
                           f"({running})")


@command("rollout status")
def run_rollout_status(ctx: Context, args: list[str]) -> int:
    """RolloutStatusOptions.Run: every object the arguments, -l or -f name (ContinueOnError,
    Latest, Flatten; several types at once are fine), each watched in turn by
    :func:`_watch_rollout` until its rollout is done. An object's error (not found, no status
    viewer, past its progress deadline) is kept and the next object visited; the errors are
    reported together at the end. A selector that matches nothing says ``No resources found in
    <ns> namespace.`` and succeeds."""
    if not args and not ctx.flags["filename"]:  # RolloutStatusOptions.Validate
        raise KubectlError("required resource not specified")
    revision = int(ctx.flags.get("revision") or 0)
    if revision < 0:
        raise KubectlError(f"revision must be a positive integer: {revision}")
    errors: list[Exception] = []
    code = found = 0
    for info, error in _visit(ctx, args):
        if error is not None:
            errors.append(error)
            continue
        found += 1
        viewer = _VIEWERS.get(info.resource.kind)
        if viewer is None:  # StatusViewerFor's %v of a GroupKind: "ReplicaSet.apps", "Pod"
            what = _group_kind(info.resource)
            errors.append(KubectlError(f"no status viewer has been implemented for {what}"))
            continue
        try:
            code = max(code, _watch_rollout(ctx, info, viewer, revision))
        except (KubectlError, ApiError) as err:  # (kept, as r.Visit does with ContinueOnError)
            errors.append(err)
    _raise_all(errors)
    if not found:
        ctx.eprint(f"No resources found in {ctx.namespace} namespace.")
    return code


def _watch_rollout(ctx: Context, info: Any, viewer: Any, revision: int) -> int:
    """One object's watchtools.UntilWithSync (list, then watch from the list's resourceVersion).
    The viewer's line is printed for every Added/Modified event, repeats included, until the
    rollout is done; a Deleted event ends it with ``object has been deleted``. The simulated
    cluster runs one loop event at a time in between, so no version of the object is skipped;
    ``--timeout`` is a deadline on the simulated clock (ContextWithOptionalTimeout: ``timed out
    waiting for the condition``)."""
    namespace = info.namespace or ctx.namespace
    selector = f"metadata.name={info.name}"
    cluster = ctx.cluster
    can_wait = hasattr(cluster, "step") and hasattr(cluster, "loop") and hasattr(ctx.client, "watch")
    events: deque = deque()
    if hasattr(ctx.client, "list_with_version"):  # the informer's list: an Added event per item
        items, version = ctx.client.list_with_version(info.resource.plural, namespace,
                                                      field_selector=selector)
    else:
        items, version = [ctx.client.get(info.resource.plural, info.name, namespace)], None
    events.extend(("ADDED", item) for item in items)
    watch = None
    if can_wait and ctx.flags["watch"]:
        watch = ctx.client.watch(info.resource.plural, namespace, resource_version=version,
                                 field_selector=selector,
                                 handler=lambda kind, obj: events.append((kind, obj)))
    timeout = ctx.flags["timeout"] or 0
    deadline = ctx.now() + (timeout or WATCH_LIMIT)
    timer = None
    if watch is not None:  # an event at the deadline, so that stepping stops there
        timer = cluster.loop.call_at(deadline, lambda: None, periodic=True)
    try:
        while True:
            while events:
                kind, obj = events.popleft()
                if kind == "DELETED":
                    # (upstream: "abort to avoid cases of recreation and not to silently watch the wrong
                    # (new) object")
                    raise KubectlError("object has been deleted")
                if kind not in ("ADDED", "MODIFIED"):
                    continue
                if info.resource.kind == "Deployment":
                    _check_revision(obj, revision)
                line, done = viewer(obj)
                ctx.print(line, end="")
                if done or not ctx.flags["watch"]:
                    return 0
            if watch is None:
                return 0
            if ctx.now() >= deadline or cluster.step() is None:
                break
    finally:
        if watch is not None:
            watch.stop()
        if timer is not None:
            timer.cancel()
    if timeout:
        raise KubectlError("timed out waiting for the condition")
    ctx.eprint(f"k8slearn: stopped watching after {WATCH_LIMIT:.0f} s of simulated time; kubectl would "
               "go on waiting until interrupted (--timeout stops it sooner)")
    return 1


def _reduced(errors: list[Exception]) -> list[Exception]:
    """What ``r.Infos()`` adds to a command's error list: nothing, its one error, or an aggregate of
    several (utilerrors.Reduce; printed as ``[a, b]`` on one line when other errors follow)."""
    from k8slearn.kubectl.errors import Aggregate

    if not errors:
        return []
    return [errors[0] if len(errors) == 1 else Aggregate(errors)]


def _raise_all(errors: list[Exception]) -> int:
    """utilerrors.NewAggregate(allErrs) returned to CheckErr: 0 when there is none."""
    from k8slearn.kubectl.errors import Aggregate

    if errors:
        raise Aggregate(errors)
    return 0


def _require_resources(ctx: Context, args: list[str]) -> None:
    """The Validate of restart, pause, resume, undo and history (and status)."""
    if not args and not ctx.flags.get("filename"):
        raise KubectlError("required resource not specified")


def _visit(ctx: Context, args: list[str]) -> list[tuple[Any, Exception | None]]:
    """The objects of ``ResourceTypeOrNameArgs(true, args...)`` with -l and -f, ContinueOnError,
    Latest, Flatten, as ``r.Visit`` meets them: (info, None) for an object, (None, error) for one
    that could not be read (a named object the server does not have), in argument order."""
    from k8slearn.kubectl.builder import Info, parse_args
    from k8slearn.kubectl.get import check_resource_args, fetch, infos_for

    if check_resource_args(ctx, args, allow_empty_selector=True) != "names":
        infos, errors = infos_for(ctx, args, allow_empty_selector=True)
        return [(None, e) for e in errors] + [(i, None) for i in infos]
    visited: list[tuple[Any, Exception | None]] = []
    for target in parse_args(args):
        groups, errors = fetch(ctx, [target])
        visited += [(None, e) for e in errors]
        visited += [(Info(t.resource, o["metadata"].get("namespace", ""), o["metadata"]["name"], o), None)
                    for t, objects in groups for o in objects]
    return visited


# rollout_restart.go RunRestart: the error for an empty patch (a restart within the same second)
RESTART_TOO_SOON = ("if restart has already been triggered within the past second, please wait before "
                    "attempting to trigger another")


@command("rollout restart")
def run_rollout_restart(ctx: Context, args: list[str]) -> int:
    """RestartOptions.RunRestart: CalculatePatches with defaultObjectRestarter for every object,
    then each patch. The restarter stamps the template's ``kubectl.kubernetes.io/restartedAt`` with
    the time to the second; when it already holds that stamp (two restarts in the same second) the
    patch is empty: kubectl v1.32 sends nothing, prints nothing for that object and reports
    ``failed to create patch for NAME: if restart has already been triggered within the past
    second, please wait before attempting to trigger another``."""
    from k8slearn.kubectl.apply import print_result
    from k8slearn.kubectl.get import infos_for
    from k8slearn.api.meta import timestamp

    _require_resources(ctx, args)
    # (ResourceTypeOrNameArgs(true, ...))
    infos, fetch_errors = infos_for(ctx, args, allow_empty_selector=True)
    errors = _reduced(fetch_errors)
    key = "kubectl.kubernetes.io/restartedAt"
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
        template_meta = ((info.obj.get("spec") or {}).get("template") or {}).get("metadata") or {}
        patch: dict = {"spec": {"template": {"metadata": {"annotations": {key: stamp}}}}}
        if (template_meta.get("annotations") or {}).get(key) == stamp:
            errors.append(KubectlError(f"failed to create patch for {info.name}: {RESTART_TOO_SOON}"))
            continue
        result = ctx.client.patch(info.resource.plural, info.name, patch, namespace=info.namespace or None,
                                  patch_type="strategic")
        print_result(ctx, info.resource, result, "restarted", typed=True)
    return _raise_all(errors)


_NAMES = {"Deployment": "deployment.apps", "StatefulSet": "statefulset.apps", "DaemonSet": "daemonset.apps"}
_HISTORY_KINDS = ("Deployment", "StatefulSet", "DaemonSet")


def _group_kind(resource: Any) -> str:
    """A GroupKind as ``%q`` prints it without the quotes: ``Pod``, ``ReplicaSet.apps``."""
    return resource.kind + (f".{resource.group}" if resource.group else "")


@command("rollout history")
def run_rollout_history(ctx: Context, args: list[str]) -> int:
    """RolloutHistoryOptions.Validate and Run: every object the arguments, -l or -f name, each
    through its HistoryViewer; an object's error is kept and the next one visited (ContinueOnError)."""
    _require_resources(ctx, args)
    revision = int(ctx.flags.get("revision") or 0)
    if revision < 0:
        raise KubectlError(f"revision must be a positive integer: {revision}")
    errors: list[Exception] = []
    documents = itertools.count()  # the YAML documents printed so far (-o yaml)
    for info, error in _visit(ctx, args):
        if error is not None:
            errors.append(error)
            continue
        if info.resource.kind not in _HISTORY_KINDS:  # HistoryViewerFor
            what = _group_kind(info.resource)
            errors.append(KubectlError(f'no history viewer has been implemented for "{what}"'))
            continue
        try:
            _history_of(ctx, info, revision, documents)
        except (KubectlError, ApiError) as err:  # (kept, as r.Visit does)
            errors.append(err)
    return _raise_all(errors)


def _history_of(ctx: Context, target: Any, revision: int, documents: Any) -> int:
    from k8slearn.kubectl import rollout_revisions
    from k8slearn.kubectl.rollout_history import RolloutError, revision_template, rollout_history
    from k8slearn.kubectl.tabwriter import render

    name = f"{_NAMES[target.resource.kind]}/{target.name}"
    sts = target.resource.kind != "Deployment"  # (a StatefulSet or a DaemonSet: ControllerRevisions)
    plural = target.resource.plural
    namespace = target.namespace or ctx.namespace
    if ctx.flags.get("output"):
        return _print_history_objects(ctx, target, revision, documents)
    try:
        if revision:
            if sts:
                template = rollout_revisions.controller_revision_template(
                    ctx.client, plural, namespace, target.name, revision)
            else:
                template = revision_template(ctx.client, namespace, target.name, revision)
            ctx.print(f"{name} with revision #{revision}")
            ctx.print(_template_text(template))
            return 0
        if sts:
            rows = rollout_revisions.controller_history(ctx.client, plural, namespace, target.name)
        else:
            rows = rollout_history(ctx.client, namespace, target.name)
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


def _print_history_objects(ctx: Context, target: Any, revision: int, documents: Any) -> int:
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

    owner = ctx.client.get(target.resource.plural, target.name, target.namespace or ctx.namespace)
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
    for obj in objects:
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
            # one YAML printer for every object of the command: "---" before all but the first
            ctx.print(("---\n" if next(documents) else "") + to_yaml(obj), end="")
        elif kind == "json":
            ctx.print(to_json_typed(_typed(resource.kind, with_type_meta(obj, resource))), end="")
        elif kind in ("jsonpath", "jsonpath-as-json") and template:
            allow = ctx.flags.get("allow-missing-template-keys", True)
            try:
                ctx.print(jsonpath(template, obj, as_json=kind == "jsonpath-as-json", allow_missing_keys=allow),
                          end="")
            except JSONPathError as exc:
                raise KubectlError(str(exc)) from None
        elif kind in GO_TEMPLATE_FORMATS:
            source = template_source(kind, ctx.flags.get("template") or template)
            try:  # (a typed object; kubectl v1.32 exits 0 even when the template fails to execute)
                print_with_template(ctx, source, _typed(resource.kind, with_type_meta(obj, resource)), typed=True)
            except KubectlError:
                pass
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
    """UndoOptions.Validate and RunUndo: every object the arguments, -l or -f name, each through
    its Rollbacker; an object's error is kept and the next one visited (ContinueOnError)."""
    from k8slearn.kubectl.apply import dry_run_mode
    from k8slearn.kubectl.rollout_history import RolloutError, rollout_undo
    from k8slearn.kubectl.rollout_revisions import rollout_undo_controller

    mode = dry_run_mode(ctx)
    _require_resources(ctx, args)
    to_revision = int(ctx.flags.get("to-revision") or 0)
    # (PrintFlagsWithDryRunStrategy)
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")
    errors: list[Exception] = []
    for info, error in _visit(ctx, args):
        if error is not None:
            errors.append(error)
            continue
        if info.resource.kind not in _HISTORY_KINDS:  # RollbackerFor
            what = _group_kind(info.resource)
            errors.append(KubectlError(f'no rollbacker has been implemented for "{what}"'))
            continue
        namespace = info.namespace or ctx.namespace
        try:
            if info.resource.kind == "Deployment":
                outcome = rollout_undo(ctx.client, namespace, info.name, to_revision, mode, _template_text)
            else:
                outcome = rollout_undo_controller(ctx.client, info.resource.plural, namespace, info.name,
                                                  to_revision, mode, _template_text)
        except RolloutError as err:
            errors.append(KubectlError(str(err)))
            continue
        except ApiError as err:  # (kept, as r.Visit does)
            errors.append(err)
            continue
        ctx.print(f"{_NAMES[info.resource.kind]}/{info.name} {outcome}{suffix}")
    return _raise_all(errors)


def _pause_or_resume(ctx: Context, args: list[str], verb: str) -> int:
    """PauseOptions.RunPause / ResumeOptions.RunResume: every object the arguments, -l or -f name
    (r.Infos(): the ones it could not read become one error), CalculatePatches with the
    ObjectPauser/ObjectResumer for all of them first (``is already paused``, ``is not paused``,
    ``pausing is not supported``), then each patch and the patched object through the print flags:
    ``deployment.apps/web paused``, or the object for ``-o name|yaml|json|jsonpath=...``. The errors
    come last, together."""
    from k8slearn.kubectl.apply import print_result
    from k8slearn.kubectl.get import infos_for

    _require_resources(ctx, args)
    infos, fetch_errors = infos_for(ctx, args, allow_empty_selector=True)
    errors = _reduced(fetch_errors)
    pause = verb == "pause"
    planned = []
    for info in infos:
        if info.resource.kind != "Deployment":
            problem = f"{verb.rstrip('e')}ing is not supported"
        elif bool((info.obj.get("spec") or {}).get("paused")) == pause:
            problem = "is already paused" if pause else "is not paused"
        else:
            problem = ""
        planned.append((info, problem))
    for info, problem in planned:
        if problem:
            errors.append(KubectlError(f'error: {info.resource.group_resource} "{info.name}" {problem}'))
            continue
        patch = {"spec": {"paused": True if pause else None}}
        try:
            result = ctx.client.patch(info.resource.plural, info.name, patch, info.namespace or ctx.namespace)
        except ApiError as err:
            errors.append(KubectlError(f"failed to patch: {err}"))
            continue
        print_result(ctx, info.resource, with_type_meta(result, info.resource), f"{verb}d", typed=True)
    return _raise_all(errors)


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
