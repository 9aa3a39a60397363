"""Commands that change one field: label, annotate, scale, cordon/uncordon, taint, patch, set image.

Each fetches the object, changes it on the client, and sends a patch (a JSON merge patch for
label/annotate/scale/taint/cordon, a strategic merge patch for ``set image``, whichever
``--type`` says for ``patch``). Each prints ``<kind>/<name> <verb>``: ``pod/web labeled``,
``deployment.apps/web scaled``, ``node/node-1 cordoned``, ``node/node-1 already uncordoned``.

>>> parse_label_args(["app=web", "tier-"], "label")
({'app': 'web'}, ['tier'])
>>> parse_taint("dedicated=db:NoSchedule")
({'key': 'dedicated', 'value': 'db', 'effect': 'NoSchedule'}, False)

``--list`` prints the labels (annotations) after the changes, as ``key=value`` lines in the
object's order (kubectl prints them in Go's map order, which varies), without sending the changes.

Simplified: ``--local`` is not supported.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/label/label.go, annotate/annotate.go, scale/scale.go,
drain/cordon.go (via pkg/drain/cordon.go), taint/taint.go, taint/utils.go, patch/patch.go,
set/set_image.go
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.field import go_quote
from k8slearn.api.meta import thaw
from k8slearn.api.names import is_valid_label_value
from k8slearn.kubectl.apply import dry_run_mode, print_result
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, KubectlError, errno_text, usage_error
from k8slearn.kubectl.get import infos_for
from k8slearn.kubectl.set_helper import no_resources_given

__all__ = ["parse_label_args", "parse_taint"]


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
    return no_resources_given()


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
    infos, errors = _targets(ctx, resources)
    mode = "client" if listing else dry_run_mode(ctx)
    one = len(infos) == 1 and not errors and _single_item_implied(ctx, resources)
    for info in infos:
        obj = info.obj
        current = dict(obj.get("metadata", {}).get(field) or {})
        if not ctx.flags["overwrite"]:  # validateNoOverwrites: the same value is no conflict
            taken = [(key, current[key]) for key in sets if key in current and current[key] != sets[key]]
            if taken and word == "label":
                texts = [f"'{key}' already has a value ({value}), and --overwrite is false" for key, value in taken]
                raise KubectlError(texts[0] if len(texts) == 1 else f"[{', '.join(texts)}]")
            if taken:
                raise KubectlError("--overwrite is false but found the following declared annotation(s): " +
                                   "; ".join(f"'{key}' already has a value ({value})" for key, value in taken))
        updated = dict(current)
        for key in removes:
            if key not in updated and field == "labels" and mode != "client":
                ctx.print(f'label "{key}" not found.')
            updated.pop(key, None)
        updated.update(sets)
        if field == "labels":
            message = "not labeled"
            if updated != current:
                message = "labeled"
                if not ctx.flags["overwrite"] and len(json.dumps(updated)) < len(json.dumps(current)):
                    message = "unlabeled"
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
        if listing:  # the object's labels (or annotations) after the changes, one key=value a line
            if not one:
                ctx.print(f"Listing {field} for {info.resource.kind}.{info.resource.group}/{info.name}:")
            for key, value in updated.items():
                ctx.print(f"{'' if one else ' '}{key}={value}")
            continue
        # label prints the object it changed locally; annotate what the server answered
        print_result(ctx, info.resource, local if field == "labels" else result, message)
    if errors:
        raise Aggregate(errors)
    return 0


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
    replicas = ctx.flags["replicas"]
    if replicas < 0:
        raise KubectlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    if not args and not ctx.flags["filename"]:
        raise _no_resources_given(ctx)
    infos, errors = infos_for(ctx, args)
    mode = dry_run_mode(ctx)
    for info in infos:
        if info.resource.kind not in ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"):
            raise KubectlError(f'no scaler has been implemented for {{"{info.resource.group}" "{info.resource.kind}"}}')
        expected = ctx.flags["current-replicas"]
        actual = info.obj.get("spec", {}).get("replicas", 0)
        if expected >= 0 and expected != actual:
            raise KubectlError(f"Expected replicas to be {expected}, was {actual}")
        if mode != "client":  # ScaleSimple: a merge patch of the scale subresource
            ctx.client.patch(info.resource.plural, info.name, {"spec": {"replicas": replicas}},
                             namespace=info.namespace or None, patch_type="merge", dry_run=(mode == "server"),
                             subresource="scale")
        print_result(ctx, info.resource, info.obj, "scaled")  # (kubectl prints the object it read)
    if errors:
        raise Aggregate(errors)
    return 0


def nodes_for(ctx: Context, args: list[str]) -> list[dict]:
    """The nodes ``cordon``/``uncordon``/``drain`` act on: each named one (a missing one fails the
    command before anything changes), or those ``--selector`` matches."""
    if ctx.flags["selector"]:
        return ctx.client.list("nodes", label_selector=ctx.flags["selector"])
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


_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def parse_taint(spec: str) -> tuple[dict, bool]:
    """``key[=value]:Effect`` to add, ``key[:Effect]-`` to remove (taint.parseTaints): the key a
    qualified name, the value a label value, the effect one of the three; an added taint needs one."""
    from k8slearn.api.names import is_qualified_name, is_valid_label_value

    remove = spec.endswith("-")
    text = spec[:-1] if remove else spec
    parts = text.split(":")
    key, value, effect = text, "", ""
    if len(parts) == 2:
        effect = parts[1]
        if effect not in _EFFECTS:
            raise KubectlError(f"invalid taint effect: {effect}, unsupported taint effect")
        key_value = parts[0].split("=")
        if len(key_value) > 2:
            raise KubectlError(f"invalid taint spec: {text}")
        key = key_value[0]
        if len(key_value) == 2:
            value = key_value[1]
            errs = is_valid_label_value(value)
            if errs:
                raise KubectlError(f"invalid taint spec: {text}, {'; '.join(errs)}")
    elif len(parts) > 2:
        raise KubectlError(f"invalid taint spec: {text}")
    errs = is_qualified_name(key)
    if errs:
        raise KubectlError(f"invalid taint spec: {text}, {'; '.join(errs)}")
    if not remove and not effect:
        raise KubectlError(f"invalid taint spec: {spec}")
    taint = {"key": key}
    if value:
        taint["value"] = value
    if effect:
        taint["effect"] = effect
    return taint, remove


@command("taint")
def run_taint(ctx: Context, args: list[str]) -> int:
    from k8slearn.kubectl.describe import taint_text

    resources, specs = [], []  # (Complete: every resource before the first taint change)
    for arg in args:
        if "=" in arg or ":" in arg or arg.endswith("-"):
            specs.append(arg)
        elif specs:
            raise KubectlError(f"all resources must be specified before taint changes: {arg}")
        else:
            resources.append(arg)
    adds, removes, seen = [], [], set()
    for spec in specs:
        try:
            taint, remove = parse_taint(spec)
        except KubectlError as err:
            raise usage_error(ctx.path, str(err)) from None
        if not remove:
            if (taint["key"], taint["effect"]) in seen:
                raise usage_error(ctx.path, f"duplicated taints with the same key and effect: "
                                            f"{{{taint['key']} {taint.get('value', '')} {taint['effect']} <nil>}}")
            seen.add((taint["key"], taint["effect"]))
        (removes if remove else adds).append(taint)
    if not adds and not removes:
        raise KubectlError("at least one taint update is required")
    if resources and resources[0] not in ("node", "nodes", "no"):
        raise KubectlError(f'invalid resource type {resources[0]}, only node types are supported')
    conflicts = [f"{r['key']}={r.get('effect', '')}" for a in adds for r in removes
                 if a["key"] == r["key"] and (not r.get("effect") or r.get("effect") == a["effect"])]
    if conflicts:
        raise KubectlError(f"can not both modify and remove the following taint(s) in the same command: "
                           f"{', '.join(conflicts)}")
    if len(resources) < 2 and not ctx.flags["all"] and not ctx.flags["selector"]:
        raise KubectlError("at least one resource name must be specified since 'all' parameter is not set")
    infos, errors = infos_for(ctx, resources if len(resources) > 1 else ["nodes"])
    mode = dry_run_mode(ctx)
    for info in infos:
        updated = list(info.obj.get("spec", {}).get("taints") or [])
        for taint in adds:
            same = [t for t in updated if t.get("key") == taint["key"] and t.get("effect") == taint.get("effect")]
            if same and not ctx.flags["overwrite"]:
                raise KubectlError(f"node {info.name} already has {taint['key']} taint(s) with same effect(s) "
                                   "and --overwrite is false")
            updated = [t for t in updated if t not in same] + [taint]
        removed_any = False
        for taint in removes:
            keep = [t for t in updated if not (t.get("key") == taint["key"]
                                               and (not taint.get("effect") or t.get("effect") == taint["effect"]))]
            if len(keep) == len(updated):
                raise KubectlError(f'taint "{taint_text(taint)}" not found')
            removed_any, updated = True, keep
        operation = "untainted" if removed_any and not adds else "tainted"
        if mode != "client":
            ctx.client.patch("nodes", info.name, {"spec": {"taints": updated or None}}, namespace=None,
                             patch_type="merge", dry_run=(mode == "server"))
        print_result(ctx, info.resource, info.obj, operation)
    if errors:
        raise Aggregate(errors)
    return 0


@command("patch")
def run_patch(ctx: Context, args: list[str]) -> int:
    from k8slearn.kubectl.manifests import ManifestError, load_manifests

    text = ctx.flags["patch"]
    if ctx.flags["patch-file"]:
        try:
            with open(ctx.flags["patch-file"], "rb") as handle:
                text = handle.read().decode("utf-8", "replace")
        except OSError as err:  # os.ReadFile's error, as Go words it (a directory opens, then fails to read)
            step = "read" if isinstance(err, IsADirectoryError) else "open"
            raise KubectlError(f"unable to read patch file: {step} {ctx.flags['patch-file']}: {errno_text(err)}") \
                from None
    if not text:
        raise KubectlError("must specify --patch or --patch-file containing the contents of the patch")
    patch_type = ctx.flags["type"]
    if patch_type not in ("json", "merge", "strategic"):
        raise KubectlError(f'--type must be one of [json merge strategic], not "{patch_type}"')
    try:
        patch = json.loads(text)
    except ValueError:
        try:
            patch = load_manifests(text, validate=False)[0] if text.strip() else None
        except (ManifestError, IndexError):
            patch = None
        if patch is None:
            import yaml

            from k8slearn.kubectl.manifests import go_yaml_error

            try:
                patch = yaml.safe_load(text)
            except yaml.MarkedYAMLError as exc:  # (yaml.ToJSON: go-yaml's message)
                raise KubectlError(f"unable to parse {go_quote(text)}: {go_yaml_error(exc, text)}") from None
            except yaml.YAMLError as exc:
                raise KubectlError(f"unable to parse {go_quote(text)}: yaml: {exc}") from None
    if not args and not ctx.flags["filename"]:
        raise _no_resources_given(ctx)
    infos, errors = infos_for(ctx, args)
    mode = dry_run_mode(ctx)
    for info in infos:
        result = ctx.client.patch(info.resource.plural, info.name, patch, namespace=info.namespace or None,
                                  patch_type=patch_type, dry_run=(mode != "none"),
                                  subresource=ctx.flags.get("subresource") or "")
        unchanged = _same_apart_from_version(info.obj, result)
        print_result(ctx, info.resource, result, "patched (no change)" if unchanged else "patched")
    if errors:
        raise Aggregate(errors)
    return 0


def _same_apart_from_version(old: dict, new: dict) -> bool:
    a, b = thaw(old), thaw(new)
    for obj in (a, b):
        obj.get("metadata", {}).pop("resourceVersion", None)
        obj.get("metadata", {}).pop("generation", None)
        obj.get("metadata", {}).pop("managedFields", None)
    return a == b


@command("set image")
def run_set_image(ctx: Context, args: list[str]) -> int:
    resources = [a for a in args if "=" not in a]
    pairs = [a for a in args if "=" in a]
    if not resources and not ctx.flags["filename"]:
        raise _no_resources_given(ctx)
    if not pairs:
        raise usage_error(ctx.path, "at least one image update is required")
    images = dict(p.split("=", 1) for p in pairs)
    infos, errors = infos_for(ctx, resources)
    mode = dry_run_mode(ctx)
    for info in infos:
        obj = info.obj
        spec = obj.get("spec", {})
        pod_spec = spec if info.resource.kind == "Pod" else (
            spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec", {})
            if info.resource.kind == "CronJob" else spec.get("template", {}).get("spec", {}))
        containers = {c["name"]: c for c in (pod_spec.get("initContainers") or []) + (pod_spec.get("containers") or [])}
        patch_containers: dict[str, list] = {}
        for name, image in images.items():
            targets = list(containers) if name == "*" else [name]
            if name != "*" and name not in containers:
                raise KubectlError(f'unable to find container named "{name}"')
            for target in targets:
                field = "initContainers" if any(c["name"] == target for c in pod_spec.get("initContainers") or []) \
                    else "containers"
                patch_containers.setdefault(field, []).append({"image": image, "name": target})
        body: dict = dict(patch_containers)
        for field in list(body):
            body[f"$setElementOrder/{field}"] = [{"name": c["name"]} for c in pod_spec.get(field) or []]
        patch = {"spec": body} if info.resource.kind == "Pod" else (
            {"spec": {"jobTemplate": {"spec": {"template": {"spec": body}}}}} if info.resource.kind == "CronJob"
            else {"spec": {"template": {"spec": body}}})
        result = obj
        if mode != "client":
            result = ctx.client.patch(info.resource.plural, info.name, patch, namespace=info.namespace or None,
                                      patch_type="strategic", dry_run=(mode == "server"))
        print_result(ctx, info.resource, result, "image updated")
    if errors:
        raise Aggregate(errors)
    return 0
