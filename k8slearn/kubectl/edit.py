"""Commands that change one field: label, annotate, scale, cordon/uncordon, set image (taint and
patch have their own modules, :mod:`.taint` and :mod:`.patch`, and share the helpers here).

Each fetches the object, changes it on the client, and sends a patch (a JSON merge patch for
label/annotate/scale/cordon, a strategic merge patch for ``set image``). Each prints
``<kind>/<name> <verb>``: ``pod/web labeled``, ``deployment.apps/web scaled``, ``node/node-1
cordoned``, ``node/node-1 already uncordoned``.

>>> parse_label_args(["app=web", "tier-"], "label")
({'app': 'web'}, ['tier'])

``--list`` prints the labels (annotations) after the changes, as ``key=value`` lines in the
object's order (kubectl prints them in Go's map order, which varies), without sending the changes.

``--local`` (label, annotate, patch, set image) changes the objects of the ``-f`` files in memory
and prints them: nothing is read from or sent to the server.

Simplified: ``set image --local -o yaml`` prints the file's object with only the pod template's
``creationTimestamp: null`` of Go's typed round trip (which also adds the object's own, and
``resources: {}``, ``strategy: {}``, ``status: {}``...).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/label/label.go, annotate/annotate.go, scale/scale.go,
pkg/scale/scale.go, drain/cordon.go (via pkg/drain/cordon.go), set/set_image.go
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.field import go_quote
from k8slearn.api.meta import thaw
from k8slearn.api.names import is_valid_label_value
from k8slearn.api.resources import lookup
from k8slearn.kubectl.apply import dry_run_mode, print_flags_format, print_result
from k8slearn.kubectl.builder import Info, list_selected, mapped_files
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, KubectlError, usage_error
from k8slearn.kubectl.get import infos_for
from k8slearn.kubectl.record import CHANGE_CAUSE
from k8slearn.kubectl.set_helper import no_resources_given, object_name, pod_spec_of, send_patches
from k8slearn.kubectl.table import kind_prefix

__all__ = ["parse_label_args", "update_data_change_msg"]


def parse_label_args(args: list[str], word: str) -> tuple[dict, list[str]]:
    """``key=value`` sets, ``key-`` removes: label.parseLabels (exactly one ``=``, a valid label
    value; the key is the API server's to check) or, for annotations, cmdutil.ParsePairs (the value is
    everything after the first ``=``)."""
    sets: dict = {}
    removes: list[str] = []
    for arg in args:
        if "=" in arg and (word == "label" or arg[0] != "="):
            if word == "label":
                parts = arg.split("=")
                if len(parts) != 2:
                    raise KubectlError(f"invalid label spec: {arg}")
                errs = is_valid_label_value(parts[1])
                if errs:
                    raise KubectlError(f"invalid label value: {go_quote(arg)}: {';'.join(errs)}")
            key, _, value = arg.partition("=")
            sets[key] = value  # (a key given twice: the last value wins)
        elif arg.endswith("-") and arg != "-":
            removes.append(arg[:-1])
        else:
            raise KubectlError(f"{'unknown label spec' if word == 'label' else 'invalid annotation format'}: {arg}")
    both = [key for key in removes if key in sets]
    if both and word == "label":
        raise KubectlError("can not both modify and remove a label in the same command")
    if both:  # annotate.validateAnnotations
        raise KubectlError(f"can not both modify and remove the following annotation(s) in the same command: "
                           f"{', '.join(both)}")
    return sets, removes


def split_pairs(args: list[str], word: str) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs: the resources, then the ``k=v``/``k-`` changes; a resource
    after the first change is an error (before anything is sent)."""
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        change = ("=" in arg and arg[0] != "=") or (arg.endswith("-") and arg != "-")
        if change:
            pairs.append(arg)
        elif pairs:
            raise KubectlError(f"all resources must be specified before {word} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def _json_merge_diff(old: Any, new: Any) -> Any:
    """jsonpatch.CreateMergePatch(old, new)."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return new
    patch: dict = {}
    for key in old:
        if key not in new:
            patch[key] = None
    for key, value in new.items():
        if key not in old:
            patch[key] = value
        elif old[key] != value:
            patch[key] = _json_merge_diff(old[key], value) if isinstance(value, dict) else value
    return patch


def _no_resources_given(ctx: Context) -> KubectlError:
    """The builder's error when no argument names a type: with a selector it asks for one."""
    if (ctx.flags.get("selector") or ctx.flags.get("field-selector")) and not ctx.flags.get("filename"):
        return KubectlError("at least one resource must be specified to use a selector")
    return no_resources_given()


LOCAL_SERVER_DRY_RUN = "cannot specify --local and --dry-run=server - did you mean --dry-run=client?"


def files_as_written(ctx: Context, local: bool) -> tuple[list[Info], list[Exception]]:
    """The ``-f`` objects as the builder reads them when it asks the server nothing (``--local``, or
    ``patch``, whose builder has no Latest()): each object as its file has it, in file order. Not
    local, a namespaced object without a namespace gets the command's (DefaultNamespace) and a
    cluster-scoped one loses any (FilterNamespace); ``--local`` leaves the namespace as it is."""
    infos: list[Info] = []
    found, errors = mapped_files(ctx.flags, ctx.stdin)
    for res, source, obj in found:
        obj = thaw(obj)
        meta = obj.setdefault("metadata", {})
        if not local and res.namespaced and not meta.get("namespace"):
            meta["namespace"] = ctx.namespace
        elif not local and not res.namespaced:
            meta.pop("namespace", None)
        infos.append(Info(res, meta.get("namespace") or "", meta.get("name") or "", obj, source))
    return infos, errors


def print_plain(ctx: Context, resource: Any, obj: dict, operation: str) -> None:
    """What patch and taint print: ``-o`` as asked, else ``<kind>/<name> <operation>`` with no dry-run
    suffix (their ToPrinter sets the operation after PrintFlagsWithDryRunStrategy added it)."""
    if print_flags_format(ctx)[0]:
        print_result(ctx, resource, obj, operation)
    else:
        ctx.print(f"{kind_prefix(resource)}/{obj.get('metadata', {}).get('name', '')} {operation}")


def _one_or_aggregate(errors: list[Exception]) -> Exception:
    """ContinueOnErrorVisitor's result: the one error as it is, several as an aggregate."""
    return errors[0] if len(errors) == 1 else Aggregate(errors)


def _targets(ctx: Context, resources: list[str]) -> tuple[list, list]:
    if not resources and not ctx.flags.get("filename"):
        raise _no_resources_given(ctx)
    if ctx.flags.get("all") and not ctx.flags.get("selector"):
        return infos_for(ctx, resources)
    if len(resources) == 1 and "/" not in resources[0] and not ctx.flags.get("selector") and not ctx.flags.get("all"):
        raise KubectlError("resource(s) were provided, but no name was specified")
    return infos_for(ctx, resources)


def _metadata_command(ctx: Context, args: list[str], field: str, word: str) -> int:
    """label.go and annotate.go: Complete (the pairs), Validate, then a merge patch per object."""
    resources, pairs = split_pairs(args, word)
    sets, removes = parse_label_args(pairs, word)
    listing = ctx.flags.get("list")
    if listing and ctx.flags.get("output"):
        raise KubectlError("--list and --output may not be specified together")
    if ctx.flags.get("all") and ctx.flags.get("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    if ctx.flags.get("all") and ctx.flags.get("field-selector"):
        raise KubectlError("cannot set --all and --field-selector at the same time")
    if not resources and not ctx.flags.get("filename"):
        raise KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if not sets and not removes and not listing:
        raise KubectlError(f"at least one {word} update is required")
    local = bool(ctx.flags.get("local"))
    if local and dry_run_mode(ctx) == "server":
        raise KubectlError(LOCAL_SERVER_DRY_RUN)
    if local:  # the files' objects, changed in memory: nothing is read from the server or sent
        if resources:  # (label's and annotate's words differ)
            example = "pod.yaml or --filename=pod.json" if field == "labels" else "rsrc.yaml or --filename=rsrc.json"
            raise KubectlError(f"can only use local files by -f {example} when --local=true is set")
        if not ctx.flags.get("filename"):
            raise _no_resources_given(ctx)
        infos, errors = files_as_written(ctx, local=True)
    else:
        infos, errors = _targets(ctx, resources)
    mode = "client" if listing or local else dry_run_mode(ctx)
    implied = _single_item_implied(ctx, resources)
    if not implied and ctx.flags.get("resource-version"):  # resource version locking needs one object
        raise KubectlError("--resource-version may only be used with a single resource")
    one = len(infos) == 1 and not errors and implied
    failures: list[Exception] = []
    for info in infos:  # ContinueOnError: an object that fails is reported at the end, the rest go on
        try:
            _change_metadata(ctx, info, field, sets, removes, mode, one)
        except (KubectlError, Aggregate, ApiError) as err:
            failures.append(err)
    failures += errors
    if failures:
        raise _one_or_aggregate(failures)
    return 0


def _change_metadata(ctx: Context, info: Info, field: str, sets: dict, removes: list[str], mode: str,
                     one: bool) -> None:
    """The visitor of RunLabel (RunAnnotate) for one object: change its labels (annotations) on the
    client, refuse a key that would be overwritten, send the difference as a merge patch (unless in a
    client dry run or ``--list``), then print the object or list its keys."""
    obj = info.obj
    current = dict(obj.get("metadata", {}).get(field) or {})
    if field == "labels" and mode != "client":  # printed before labelFunc checks for overwrites
        for key in removes:
            if key not in current:
                ctx.print(f'label "{key}" not found.')
    if not ctx.flags["overwrite"]:
        _refuse_overwrites(current, sets, "label" if field == "labels" else "annotation")
    updated = dict(current)
    for key in removes:
        updated.pop(key, None)
    updated.update(sets)
    if field == "labels":
        message = update_data_change_msg(obj.get("metadata", {}).get(field), updated, ctx.flags["overwrite"])
    else:
        message = "annotated"
    result = local = {**obj, "metadata": {**obj.get("metadata", {}), field: updated}}
    if mode != "client":
        patch = {"metadata": {field: _json_merge_diff(current, updated) if current else updated}}
        version = ctx.flags.get("resource-version")
        if version:  # a precondition the server checks: 409 Conflict if the object moved on
            patch["metadata"]["resourceVersion"] = version
        if updated != current or version:
            result = ctx.client.patch(info.resource.plural, info.name, patch, namespace=info.namespace or None,
                                      patch_type="merge", dry_run=(mode == "server"))
    if ctx.flags.get("list"):  # the object's labels (or annotations) after the changes, one key=value a line
        if not one:
            ctx.print(f"Listing {field} for {info.resource.kind}.{info.resource.group}/{info.name}:")
        for key, value in updated.items():
            ctx.print(f"{'' if one else ' '}{key}={value}")
        return
    # label prints the object it changed locally; annotate what the server answered
    print_result(ctx, info.resource, local if field == "labels" else result, message)


def _refuse_overwrites(current: dict, sets: dict, word: str) -> None:
    """validateNoOverwrites (label: one error per key, several as an aggregate, which kubectl prints
    a line each) and validateNoAnnotationOverwrites (annotate: one error naming every key)."""
    taken = _overwritten(current, sets, word)
    if taken and word == "label":
        raise _one_or_aggregate([KubectlError(f"'{key}' already has a value ({value}), and --overwrite is false")
                                 for key, value in taken])
    if taken:
        raise KubectlError("--overwrite is false but found the following declared annotation(s): " +
                           "; ".join(f"'{key}' already has a value ({value})" for key, value in taken))


def update_data_change_msg(before: dict | None, after: dict, overwrite: bool) -> str:
    """label.go updateDataChangeMsg: compare the object's JSON before and after the change (here only
    its labels differ, so theirs stands for it). "labeled" if it changed, "unlabeled" if it also got
    shorter without ``--overwrite``, else "not labeled". labelFunc always sets a map, so an object
    without labels gets ``"labels":{}``: removing a label it never had still says "labeled".

    >>> update_data_change_msg(None, {}, False), update_data_change_msg({"a": "b"}, {}, False)
    ('labeled', 'unlabeled')
    """
    def size(labels: dict | None) -> int:  # Go's compact JSON; a missing field is no text at all
        return -1 if labels is None else len(json.dumps(labels, separators=(",", ":"), ensure_ascii=False))
    if before == after:
        return "not labeled"
    if not overwrite and size(after) < size(before):
        return "unlabeled"
    return "labeled"


def _overwritten(current: dict, sets: dict, word: str) -> list[tuple[str, str]]:
    """validateNoOverwrites (label) and validateNoAnnotationOverwrites (annotate): the keys that
    already hold a different value, with that value (setting the same value again is no conflict).
    annotate lets ``kubernetes.io/change-cause`` be overwritten always."""
    return [(key, current[key]) for key in sets
            if key in current and current[key] != sets[key] and not (word == "annotation" and key == CHANGE_CAUSE)]


def _single_item_implied(ctx: Context, resources: list[str]) -> bool:
    """resource.Builder's singleItemImplied: one ``TYPE/NAME`` or ``TYPE NAME`` (or one -f object)."""
    if ctx.flags.get("selector") or ctx.flags.get("all"):
        return False
    return (len(resources) == 1 and "/" in resources[0]) or len(resources) == 2 or bool(ctx.flags.get("filename"))


@command("label")
def run_label(ctx: Context, args: list[str]) -> int:
    return _metadata_command(ctx, args, "labels", "label")


@command("annotate")
def run_annotate(ctx: Context, args: list[str]) -> int:
    return _metadata_command(ctx, args, "annotations", "annotation")


@command("scale", required=("replicas",))
def run_scale(ctx: Context, args: list[str]) -> int:
    """RunScale: every object first (a missing one is kept for the end), then each scaled through its
    ``scale`` subresource; a kind without one (a Pod, a Service, a Job...) gets the server's 404."""
    replicas = ctx.flags["replicas"]
    if replicas < 0:  # ScaleOptions.Validate
        raise KubectlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    if ctx.flags["current-replicas"] < -1:
        raise KubectlError("The --current-replicas must specify an integer of -1 or greater")
    if not args and not ctx.flags["filename"]:
        raise _no_resources_given(ctx)
    infos, errors = infos_for(ctx, args)
    version = ctx.flags.get("resource-version") or ""
    if version and len(infos) > 1:
        raise KubectlError("cannot use --resource-version with multiple resources")
    if not infos:  # fmt.Errorf("no objects passed to scale %w", infoErr), or without the error
        raise KubectlError("no objects passed to scale" + (f" {Aggregate(errors)}" if errors else ""))
    mode = dry_run_mode(ctx)
    expected = ctx.flags["current-replicas"]
    for info in infos:
        if mode != "client":
            namespace = info.namespace or None
            if expected != -1 or version:  # a precondition: GET the Scale, check it (PreconditionError)
                scale = ctx.client.get(info.resource.plural, info.name, namespace, subresource="scale")
                actual = (scale.get("spec") or {}).get("replicas", 0)
                actual_version = (scale.get("metadata") or {}).get("resourceVersion", "")
                if expected != -1 and expected != actual:
                    raise KubectlError(f"Expected replicas to be {expected}, was {actual}")
                if version and version != actual_version:
                    raise KubectlError(f"Expected resource version to be {version}, was {actual_version}")
            # ScaleSimple: a merge patch of the scale subresource
            ctx.client.patch(info.resource.plural, info.name, {"spec": {"replicas": replicas}},
                             namespace=namespace, patch_type="merge", dry_run=(mode == "server"),
                             subresource="scale")
            if ctx.flags["timeout"] and mode == "none":
                wait_for_scale_has_desired_replicas(ctx, info, replicas, ctx.flags["timeout"])
        print_result(ctx, info.resource, info.obj, "scaled")  # (kubectl prints the object it read)
    if errors:
        raise Aggregate(errors)
    return 0


def wait_for_scale_has_desired_replicas(ctx: Context, info: Info, replicas: int, timeout: float) -> None:
    """WaitForScaleHasDesiredReplicas (``scale --timeout``): read the Scale every second of simulated
    time until its status counts ``replicas`` too (or someone else changed its spec meanwhile).

    A Deployment's Scale counts the pods that exist, ready or not; pods the API server refuses
    (a missing service account...) never come, and the wait ends with the timeout error.
    Simplified: without a simulated cluster to run, nothing can change, so the timeout is spent at once.
    """
    deadline = ctx.now() + timeout
    while True:
        scale = ctx.client.get(info.resource.plural, info.name, info.namespace or None, subresource="scale")
        spec = (scale.get("spec") or {}).get("replicas", 0)
        if spec != replicas or (scale.get("status") or {}).get("replicas", 0) == replicas:
            return
        if ctx.cluster is None or not hasattr(ctx.cluster, "run") or ctx.now() + 1 > deadline:
            raise KubectlError(f"timed out waiting for {go_quote(info.name)} to be synced")
        ctx.cluster.run(seconds=1.0)


def nodes_for(ctx: Context, args: list[str]) -> list[dict]:
    """The nodes ``cordon``/``uncordon``/``drain`` act on: each named one (a missing one fails the
    command before anything changes), or those ``--selector`` matches."""
    if ctx.flags["selector"]:  # (the builder's Selector visitor: a refused list reads "Unable to find ...")
        return list_selected(ctx.client, lookup("nodes"), None, ctx.flags["selector"])
    return [ctx.client.get("nodes", name, None) for name in args]


def cordon_nodes(ctx: Context, nodes: list[dict], desired: bool, mode: str) -> None:
    """RunCordonOrUncordon: set ``spec.unschedulable`` where it differs; one line per node."""
    verb = "cordon" if desired else "uncordon"
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")
    for node in nodes:
        name = node["metadata"]["name"]
        if bool(node.get("spec", {}).get("unschedulable")) == desired:
            ctx.print(f"node/{name} already {verb}ed{suffix}")
            continue
        if mode != "client":
            try:
                ctx.client.patch("nodes", name, {"spec": {"unschedulable": True if desired else None}},
                                 namespace=None, patch_type="merge", dry_run=(mode == "server"))
            except ApiError as err:
                ctx.eprint(f'error: unable to {verb} node "{name}": {err.status.get("message", "")}')
                continue
        ctx.print(f"node/{name} {verb}ed{suffix}")


def _cordon(ctx: Context, args: list[str], desired: bool) -> int:
    verb = "cordon" if desired else "uncordon"
    if not args and "selector" not in ctx.changed:
        raise usage_error(ctx.path, f"USAGE: {verb} NODE [flags]")
    if args and ctx.flags["selector"]:
        raise usage_error(ctx.path, "error: cannot specify both a node name and a --selector option")
    mode = dry_run_mode(ctx)
    cordon_nodes(ctx, nodes_for(ctx, args), desired, mode)
    return 0


@command("cordon")
def run_cordon(ctx: Context, args: list[str]) -> int:
    return _cordon(ctx, args, True)


@command("uncordon")
def run_uncordon(ctx: Context, args: list[str]) -> int:
    return _cordon(ctx, args, False)


@command("set image")
def run_set_image(ctx: Context, args: list[str]) -> int:
    """set_image.go: Complete (the printer, the resources and pairs, the objects: a missing one ends
    the command), Validate (its errors together), then CalculatePatches for every object and a
    strategic merge patch for each that changed; one with nothing to change is skipped silently."""
    flags = ctx.flags
    mode = dry_run_mode(ctx)
    print_flags_format(ctx)
    resources, pairs = split_pairs(args, "image")
    images: dict[str, str] = {}
    invalid = []
    for pair in pairs:  # cmdutil.ParsePairs(pairs, "image", false)
        if "=" in pair and pair[0] != "=":
            name, _, image = pair.partition("=")
            images[name] = image
        else:
            invalid.append(pair)
    if invalid:
        raise KubectlError(f"invalid image format: {', '.join(invalid)}")
    local = bool(flags.get("local"))
    if local:
        if resources:  # resource.LocalResourceError
            raise KubectlError("you must specify resources by --filename when --local is set.\nExample resource "
                               "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'")
        if not flags["filename"]:
            raise _no_resources_given(ctx)
        infos, errors = files_as_written(ctx, local=True)
    else:
        if not resources and not flags["filename"]:
            raise _no_resources_given(ctx)
        infos, errors = infos_for(ctx, resources, allow_all=True)
    if errors:
        raise Aggregate(errors)
    problems = []
    if flags.get("all") and flags.get("selector"):
        problems.append(KubectlError("cannot set --all and --selector at the same time"))
    if not images:  # (no resources and no -f: the builder has already refused, in Complete)
        problems.append(KubectlError("at least one image update is required"))
    elif len(images) > 1 and "*" in images:
        problems.append(KubectlError("all containers are already specified by *, but saw more than one "
                                     "container_name=container_image pairs"))
    if local and mode == "server":
        problems.append(KubectlError(LOCAL_SERVER_DRY_RUN))
    if problems:
        raise Aggregate(problems)
    failures: list[Exception] = []
    computed = []
    for info in infos:  # CalculatePatches: every object first
        obj = thaw(info.obj)
        try:
            pod_spec = pod_spec_of(info.resource.kind, obj)
        except KubectlError as err:
            computed.append((info, None, KubectlError(f"error: {object_name(info, local)} {err}\n")))
            continue
        for name, image in images.items():
            found = False
            for field in ("initContainers", "containers"):
                for container in pod_spec.get(field) or ():
                    if name in ("*", container.get("name")):
                        container["image"], found = image, True
            if not found:
                failures.append(KubectlError(f'error: unable to find container named "{name}"'))
        computed.append((info, obj, None))
    if local:  # printed as they are, nothing sent (as --dry-run=client)
        for info, obj, error in computed:
            if error is not None:
                failures.append(error)
            elif obj != info.obj:
                print_result(ctx, info.resource, obj, "image updated", typed=True)
    else:
        failures += send_patches(ctx, computed, "image updated", "failed to patch image update to pod template: ",
                                 _image_patch)
    if failures:
        raise Aggregate(failures)
    return 0


def _image_patch(info: Info, obj: dict) -> dict:
    """The pod-spec part of CreateTwoWayMergePatch: the containers whose image changed, by name, and
    the order of their list."""
    old = pod_spec_of(info.resource.kind, thaw(info.obj))
    new = pod_spec_of(info.resource.kind, obj)
    body: dict = {}
    for field in ("containers", "initContainers"):
        before = {c.get("name"): c.get("image") for c in old.get(field) or ()}
        changed = [{"image": c.get("image"), "name": c.get("name")} for c in new.get(field) or ()
                   if before.get(c.get("name")) != c.get("image")]
        if changed:
            body[f"$setElementOrder/{field}"] = [{"name": c.get("name")} for c in new.get(field) or ()]
            body[field] = changed
    return body


@command("edit")
def run_edit(ctx: Context, args: list[str]) -> int:
    """editoptions.go EditOptions.Complete: the builder's error when nothing names a resource (no
    argument, no ``-f``/``-k``). Simplified: editing itself (an editor on the object) is not
    available in the simulated cluster."""
    if not args and not ctx.flags.get("filename") and not ctx.flags.get("kustomize"):
        raise _no_resources_given(ctx)
    raise KubectlError("edit is not available in this simulated cluster")
