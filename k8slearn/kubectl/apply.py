"""``kubectl apply``, ``create -f`` and ``replace -f``: sending manifests to the API server.

Client-side apply keeps the configuration you applied in the annotation
``kubectl.kubernetes.io/last-applied-configuration`` (compact JSON, keys sorted, with
``"annotations":{}`` and the namespace filled in). A missing object is created; an existing one
gets the three-way patch of :mod:`k8slearn.kubectl.threeway`: ``unchanged`` when the patch is
``{}``, else ``configured``. Each document succeeds or fails on its own; all errors are reported
at the end and the exit code is 1.

>>> last_applied({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
'{"apiVersion":"v1","kind":"Namespace","metadata":{"annotations":{},"name":"dev"}}\\n'

``--server-side`` sends the configuration for the server to merge (``serverside-applied``, no
annotation; see ``_server_side_apply``). ``--dry-run=client`` patches nothing: an existing object
is shown as it was read. With ``-o yaml``/``json``/``jsonpath`` the objects are printed once all
were applied, several as one ``List``.

``replace -f`` PUTs each object (``--dry-run=client`` prints it as the file has it, before the live
resourceVersion is filled in); ``replace --force`` deletes the objects, waits until they are gone
and creates them again (``configmap "cfg" deleted``, then ``configmap/cfg replaced``).

A patch the server refuses as Invalid (an immutable field such as a Deployment's selector) or
Conflict fails, unless ``--force`` is given: then the object is deleted and created again.
``--prune`` deletes what an earlier apply made and the files no longer have
(:mod:`k8slearn.kubectl.apply_prune`); ``-l`` applies only the files' objects it selects.

Simplified: server-side apply has no field ownership; no openapi validation beyond
``apiVersion``/``kind`` (the API server validates the rest).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/apply/apply.go (applyOneObject), patcher.go,
staging/src/k8s.io/kubectl/pkg/util/apply.go (GetModifiedConfiguration), cmd/create/create.go,
cmd/replace/replace.go
"""

from __future__ import annotations

import copy
from typing import Any

from k8slearn.kubectl.apply_prune import check_prune_flags, prune_all, prune_resources
from k8slearn.kubectl.builder import Info, mapped_files
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, KubectlError, add_source
from k8slearn.kubectl.gotemplate import GO_TEMPLATE_FORMATS, print_with_template, template_source
from k8slearn.kubectl.manifests import go_json
from k8slearn.kubectl.output import to_json, to_yaml
from k8slearn.kubectl.table import kind_prefix
from k8slearn.kubectl.threeway import three_way_merge_patch

__all__ = ["run_apply", "run_create_files", "run_replace", "last_applied", "LAST_APPLIED", "print_result",
           "print_flags_format", "dry_run_mode", "file_infos", "select_by_label"]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_NO_ANNOTATION_WARNING = ("Warning: resource {name} is missing the kubectl.kubernetes.io/last-applied-configuration "
                          "annotation which is required by kubectl apply. kubectl apply should only be used on "
                          "resources created declaratively by either kubectl create --save-config or kubectl apply. "
                          "The missing annotation will be patched automatically.")


def last_applied(obj: dict) -> str:
    """GetModifiedConfiguration: the object without the annotation, as compact JSON + newline."""
    clone = copy.deepcopy(obj)
    meta = clone.setdefault("metadata", {})
    annotations = _annotations(meta)
    annotations.pop(LAST_APPLIED, None)
    meta["annotations"] = annotations
    return go_json(clone) + "\n"


def with_last_applied(obj: dict) -> dict:
    clone = copy.deepcopy(obj)
    meta = clone.setdefault("metadata", {})
    meta["annotations"] = {**_annotations(meta), LAST_APPLIED: last_applied(obj)}
    return clone


def _annotations(meta: dict) -> dict:
    """Unstructured.GetAnnotations: a copy of the map, or none when the field is not a map of strings."""
    annotations = meta.get("annotations")
    return dict(annotations) if isinstance(annotations, dict) else {}


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def dry_run_mode(ctx: Context) -> str:
    """cmdutil.GetDryRunStrategy for ``--dry-run``: none, client or server. The bare flag (its
    NoOptDefVal ``unchanged``) and Go's bool spellings (``true``, ``0``...) are deprecated: they
    work, with klog's warning on stderr (once per command)::

        W0105 09:00:00.000000   12345 helpers.go:702] --dry-run is deprecated and can be replaced with --dry-run=client.
    """
    value = str(ctx.flags.get("dry-run", "none"))
    if value in GO_BOOLS:  # strconv.ParseBool succeeds: the deprecated boolean form
        mode = "client" if GO_BOOLS[value] else "none"
        _klog_warning(ctx, 716 if mode == "client" else 719,
                      f"--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run={mode}.")
        return mode
    if value == "unchanged":  # the bare --dry-run
        _klog_warning(ctx, 702, "--dry-run is deprecated and can be replaced with --dry-run=client.")
        return "client"
    if value in ("client", "none", "server"):
        return value
    raise KubectlError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')


KLOG_PID = 12345  # the process id klog prints in its header; the simulation has no process of its own


def _klog_warning(ctx: Context, line: int, message: str) -> None:
    """klog.Warning from staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go, as kubectl writes it
    on stderr: ``W<MMDD> <hh:mm:ss.uuuuuu> <pid> helpers.go:<line>] <message>``, at the simulated
    time; once per command (GetDryRunStrategy runs once)."""
    from datetime import datetime, timezone

    if getattr(ctx, "_dry_run_warned", False):
        return
    ctx._dry_run_warned = True  # type: ignore[attr-defined]
    now = datetime.fromtimestamp(ctx.now(), timezone.utc)
    ctx.eprint(f"W{now:%m%d %H:%M:%S.%f} {KLOG_PID:7d} helpers.go:{line}] {message}")


def _suffix(mode: str) -> str:
    return {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")


# PrintFlags.AllowedFormats, as kubectl lists them (sorted) when -o names none of them.
PRINT_FLAGS_FORMATS = ("go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file",
                       "name", "template", "templatefile", "yaml")
_TEMPLATE_FORMATS = ("go-template", "go-template-file", "template", "templatefile", "jsonpath", "jsonpath-as-json",
                     "jsonpath-file")


def print_flags_format(ctx: Context) -> tuple[str, str]:
    """PrintFlags.ToPrinter for ``-o``: ``(format, template)``; ``("", "")`` for the success line.
    The commands that build their printer before they send anything (annotate, run, create, scale,
    expose, set, replace) call it first, so a bad ``-o`` changes nothing."""
    output = ctx.flags.get("output") or ""
    template = ctx.flags.get("template") or ""
    if not output and template:  # --template alone means go-template
        output = "go-template"
    if output in ("", "json", "yaml", "name"):
        return output, ""
    kind, equals, value = output.partition("=")
    if kind not in _TEMPLATE_FORMATS or (equals and template):
        raise KubectlError(f'unable to match a printer suitable for the output format "{output}", allowed formats '
                           f"are: {','.join(PRINT_FLAGS_FORMATS)}")
    if not (value or template):
        raise KubectlError("template format specified but no template given")
    if kind in GO_TEMPLATE_FORMATS:
        return kind, template_source(kind, value or template)
    if kind not in ("jsonpath", "jsonpath-as-json"):
        raise KubectlError(f"the output format {kind} is not available in this simulated cluster")
    return kind, value or template


def print_result(ctx: Context, resource: Any, obj: dict, operation: str, *, typed: bool = False,
                 separate: bool = False) -> None:
    """The ``<kind>/<name> <operation>`` line, or the object for ``-o yaml|json|name|jsonpath=…``.

    ``typed``: kubectl holds the object as a Go struct (a generator's object, or what a typed client
    read back), so it prints as Go writes one: a pod template's ``creationTimestamp: null``
    (:func:`~k8slearn.kubectl.set_helper.as_typed`) and, with ``-o json``, the fields in struct order
    (:func:`~k8slearn.kubectl.output.to_json_typed`).
    ``separate``: the command prints all its objects with one YAML printer, which writes ``---``
    before every object after the first (create -f, replace, run --expose)."""
    from k8slearn.kubectl.jsonpath import JSONPathError, jsonpath
    from k8slearn.kubectl.output import to_json_typed

    output, template = print_flags_format(ctx)
    if typed and isinstance(obj, dict):
        from k8slearn.api.meta import thaw
        from k8slearn.kubectl.set_helper import as_typed

        obj = as_typed(str(obj.get("kind", "")), thaw(obj))  # (a copy: the server's object stays as it is)
    if output == "yaml":
        if separate:
            if getattr(ctx, "_yaml_printed", 0):
                ctx.print("---")
            ctx._yaml_printed = getattr(ctx, "_yaml_printed", 0) + 1  # type: ignore[attr-defined]
        ctx.print(to_yaml(obj), end="")
    elif output == "json":
        ctx.print((to_json_typed if typed else to_json)(obj), end="")
    elif output == "name":
        ctx.print(f"{kind_prefix(resource)}/{obj.get('metadata', {}).get('name', '')}")
    elif output in GO_TEMPLATE_FORMATS:
        print_with_template(ctx, template, obj, typed)
    elif output:
        try:
            as_json = output == "jsonpath-as-json"
            allow = ctx.flags.get("allow-missing-template-keys", True)  # (JSONPathPrinter.AllowMissingKeys)
            ctx.print(jsonpath(template, obj, as_json=as_json, allow_missing_keys=allow), end="\n" if as_json else "")
        except JSONPathError as exc:
            raise KubectlError(str(exc)) from None
    else:
        ctx.print(f"{kind_prefix(resource)}/{obj.get('metadata', {}).get('name', '')} {operation}"
                  f"{_suffix(dry_run_mode(ctx))}")


GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
            "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}


def validation_directive(ctx: Context) -> str:
    """cmdutil.GetValidationDirective: the ``fieldValidation`` kubectl sends for ``--validate``
    (true or strict: Strict, the default; warn: Warn; false or ignore: Ignore)."""
    value = str(ctx.flags.get("validate", "strict"))
    if value in GO_BOOLS:
        return "Strict" if GO_BOOLS[value] else "Ignore"
    if value in ("strict", "warn", "ignore"):
        return value.capitalize()
    raise KubectlError(f'invalid - validate option "{value}"; must be one of: strict (or true), warn, ignore (or false)')


def file_infos(ctx: Context, validate: bool = True) -> tuple[list[Info], list[Exception]]:
    """Read ``-f`` (and stdin for ``-f -``) into Infos with their namespace resolved."""
    infos: list[Info] = []
    validate = validate and ctx.flags.get("validate", "strict") not in ("false", "ignore")
    found, errors = mapped_files(ctx.flags, ctx.stdin, validate)
    for res, source, obj in found:
        obj = copy.deepcopy(obj)
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):  # unstructured's setters leave it; the API server refuses it
            infos.append(Info(res, ctx.namespace if res.namespaced else "", "", obj, source))
            continue
        if res.namespaced:
            given = meta.get("namespace")
            if given and ctx.explicit_namespace and given != ctx.namespace:
                raise KubectlError(f'the namespace from the provided object "{given}" does not match the namespace '
                                   f'"{ctx.namespace}". You must pass \'--namespace={given}\' to perform this operation.')
            meta["namespace"] = given or ctx.namespace
        else:
            meta.pop("namespace", None)
        infos.append(Info(res, meta.get("namespace", ""), meta.get("name", ""), obj, source))
    return infos, errors


def _info_string(info: Info) -> str:
    r = info.resource
    gv = r.api_version if "/" in r.api_version else f"/{r.api_version}"
    return (f'Resource: "{gv}, Resource={r.plural}", GroupVersionKind: "{gv}, Kind={r.kind}"\n'
            f'Name: "{info.name}", Namespace: "{info.namespace}"')


@command("apply")
def run_apply(ctx: Context, args: list[str]) -> int:
    """ApplyFlags.ToOptions, ApplyOptions.Validate and Run. With ``-o yaml|json|jsonpath...`` the
    objects are printed once all were applied (printObjects: a List when there are several, nothing
    when one failed); otherwise each gets its ``created``/``configured``/``unchanged`` line."""
    if args:
        raise KubectlError(f"Unexpected args: {_go_list(args)}\nSee '{ctx.path} -h' for help and examples")
    mode = dry_run_mode(ctx)
    if ctx.flags.get("kustomize"):
        raise KubectlError("kustomize (-k) is not available in this simulated cluster")
    if not ctx.flags["filename"]:
        raise KubectlError("must specify one of -f and -k")
    validation_directive(ctx)  # (ToOptions reads --validate before it reads any object)
    server_side, force = ctx.flags.get("server-side"), ctx.flags.get("force")
    if ctx.flags.get("force-conflicts") and not server_side:
        raise KubectlError("--force-conflicts only works with --server-side")
    if mode == "client" and server_side:
        raise KubectlError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)")
    if server_side and force:
        raise KubectlError("--force cannot be used with --server-side")
    if mode == "server" and force:
        raise KubectlError("--dry-run=server cannot be used with --force")
    if ctx.flags.get("all") and ctx.flags.get("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    if ctx.flags.get("prune"):
        check_prune_flags(ctx)
        pruned_kinds = prune_resources(ctx.flags.get("prune-allowlist") or [])
    infos, errors = file_infos(ctx)
    infos = select_by_label(ctx, infos)
    if not infos and not errors:
        raise KubectlError("no objects passed to apply")
    printed: list[dict] = []
    namespaces = {ctx.namespace} if ctx.explicit_namespace else set()  # (EnforceNamespace)
    applied_uids: set[str] = set()
    for info in infos:
        if info.resource.namespaced:  # MarkNamespaceVisited
            namespaces.add(info.namespace)
        try:
            applied = _apply_one(ctx, info, mode, printed)
        except Exception as exc:  # noqa: BLE001 - each document fails on its own
            if not hasattr(exc, "status") and not isinstance(exc, KubectlError):
                raise
            errors.append(exc)
            continue
        applied_uids.add((applied.get("metadata") or {}).get("uid", ""))  # MarkObjectVisited
    if errors:
        raise Aggregate(errors)
    if printed:  # printObjects
        obj = printed[0] if len(printed) == 1 else {"kind": "List", "apiVersion": "v1", "metadata": {},
                                                    "items": printed}
        print_result(ctx, None, obj, "", typed=len(printed) > 1)
    if ctx.flags.get("prune"):
        prune_all(ctx, pruned_kinds, namespaces, applied_uids, mode, cascade_policy(ctx))
    return 0


def select_by_label(ctx: Context, infos: list[Info]) -> list[Info]:
    """The builder's LabelSelectorParam with files: only the objects whose labels match ``-l`` are
    applied or diffed (FilterByLabelSelector)."""
    from k8slearn.kubectl.get import label_filter

    label = (ctx.flags.get("selector") or "").strip()
    if not label:
        return infos
    matches = label_filter(label)
    return [info for info in infos if matches(info.obj)]


def _prints_objects(ctx: Context) -> bool:
    """ApplyOptions.shouldPrintObject: any ``-o`` but ``name``."""
    output, _ = print_flags_format(ctx)
    return bool(output) and output != "name"


def _applied(ctx: Context, info: Info, obj: dict, operation: str, printed: list[dict]) -> dict:
    """The line for one object, or, with ``-o yaml`` and the like, the object kept for the end;
    returns the object (its uid marks it visited, for ``--prune``)."""
    if _prints_objects(ctx):
        printed.append(obj)
    else:
        print_result(ctx, info.resource, obj, operation)
    return obj


def _server_side_apply(ctx: Context, info: Info, mode: str, printed: list[dict]) -> dict:
    """``apply --server-side``: the server merges the applied configuration into the object (a
    missing object is created) and kubectl says ``serverside-applied``; no last-applied annotation.
    Simplified: no field ownership (managedFields), so a field left out of a later apply stays,
    and there are no conflicts between managers."""
    from k8slearn.api.errors import ApiError

    obj = info.obj
    if getattr(ctx, "change_cause", ""):
        from k8slearn.kubectl.record import annotated

        obj = annotated(obj, ctx.change_cause)
    namespace = info.namespace or None
    try:
        ctx.client.get(info.resource.plural, info.name, namespace)
        exists = True
    except ApiError as err:
        if err.code != 404:
            raise
        exists = False
    if exists:
        result = ctx.client.patch(info.resource.plural, info.name, _without_nulls(obj), namespace=namespace,
                                  patch_type="strategic", dry_run=(mode == "server"),
                                  field_validation=validation_directive(ctx))
    else:
        result = ctx.client.create(_without_nulls(obj), namespace=namespace, dry_run=(mode == "server"),
                                   field_validation=validation_directive(ctx))
    _warn_if_deleting(ctx, result)
    return _applied(ctx, info, result, "serverside-applied", printed)


def _apply_one(ctx: Context, info: Info, mode: str, printed: list[dict]) -> dict:
    from k8slearn.api.errors import ApiError

    res, obj = info.resource, info.obj
    meta = obj.get("metadata")
    if not info.name and isinstance(meta, dict) and meta.get("generateName"):
        raise KubectlError(f"from {obj['metadata']['generateName']}: cannot use generate name with apply")
    if not info.name:
        raise KubectlError(f'error when retrieving current configuration of:\n{_info_string(info)}\n'
                           f'from server for: "{info.source}": resource name may not be empty')
    if ctx.flags.get("server-side"):
        return _server_side_apply(ctx, info, mode, printed)
    if getattr(ctx, "change_cause", ""):  # --record: the annotation is part of what is applied
        from k8slearn.kubectl.record import annotated

        obj = annotated(obj, ctx.change_cause)
    modified = with_last_applied(obj)
    try:
        current = ctx.client.get(res.plural, info.name, info.namespace or None)
    except ApiError as exc:
        if exc.code != 404:
            raise add_source(f"retrieving current configuration of:\n{_info_string(info)}\nfrom server for:",
                             info.source, exc) from None
        created = modified
        if mode != "client":
            try:
                created = ctx.client.create(_without_nulls(modified), namespace=info.namespace or None,
                                            dry_run=(mode == "server"), field_validation=validation_directive(ctx))
            except ApiError as err:
                raise add_source("creating", info.source, err) from None
        return _applied(ctx, info, created, "created", printed)
    if mode == "client":  # nothing is patched: kubectl shows the object as it read it
        return _applied(ctx, info, current, "configured", printed)
    if LAST_APPLIED not in (current.get("metadata", {}).get("annotations") or {}):
        ctx.eprint(_NO_ANNOTATION_WARNING.format(name=f"{res.plural}/{info.name}"))
    original_text = (current.get("metadata", {}).get("annotations") or {}).get(LAST_APPLIED)
    original = _parse_json(original_text)
    patch = three_way_merge_patch(original, _json_roundtrip(modified), _json_roundtrip(current), res.kind)
    if not patch:
        _warn_if_deleting(ctx, current)
        return _applied(ctx, info, current, "unchanged", printed)
    try:
        patched = ctx.client.patch(res.plural, info.name, patch, namespace=info.namespace or None,
                                   patch_type="strategic", dry_run=(mode == "server"),
                                   field_validation=validation_directive(ctx))
    except ApiError as err:
        if not (ctx.flags.get("force") and err.code in (409, 422)):  # Patcher.Patch
            err = add_source("patching", info.source, err)
            raise add_source(f"applying patch:\n{go_json(patch)}\nto:\n{_info_string(info)}\nfor:",
                             info.source, err) from None
        patched = _delete_and_create(ctx, info, current, modified)
    _warn_if_deleting(ctx, patched)
    return _applied(ctx, info, patched, "configured", printed)


def _delete_and_create(ctx: Context, info: Info, current: dict, modified: dict) -> dict:
    """Patcher.deleteAndCreate, ``apply --force`` when the patch was refused as Invalid (a changed
    selector, an immutable field) or Conflict: delete the object (``--cascade``, ``--grace-period``),
    wait until it is gone, create the new configuration; if that fails, create the old object again
    and report the create's error.

    Simplified: kubectl first retries a conflicting patch five times; here the retry would meet the
    same conflict, so it goes straight to the delete."""
    from k8slearn.api.errors import ApiError

    namespace = info.namespace or None
    grace = ctx.flags.get("grace-period", -1)
    error_for = f"applying patch:\n{go_json(modified)}\nto:\n{_info_string(info)}\nfor:"
    try:
        ctx.client.delete(info.resource.plural, info.name, namespace=namespace,
                          propagation_policy=cascade_policy(ctx), grace_period_seconds=grace if grace >= 0 else None)
        _wait_until_deleted(ctx, [info])
    except (ApiError, KubectlError) as err:
        raise add_source(error_for, info.source, err) from None
    try:
        return ctx.client.create(_for_create(modified), namespace=namespace)
    except ApiError as err:
        failure = err
    try:
        ctx.client.create(_for_create(current), namespace=namespace)
    except ApiError as restore:
        raise KubectlError(f"An error occurred force-replacing the existing object with the newly provided "
                           f"one:\n\n{failure}.\n\nAdditionally, an error occurred attempting to restore the "
                           f"original object:\n\n{restore}") from None
    raise add_source(error_for, info.source, failure) from None


def _for_create(obj: dict) -> dict:
    """Helper.Create with modify: the object without its resourceVersion (and without nulls)."""
    clone = _without_nulls(obj)
    if isinstance(clone.get("metadata"), dict):
        clone["metadata"].pop("resourceVersion", None)
    return clone


def _warn_if_deleting(ctx: Context, obj: dict) -> None:
    """WarnIfDeleting: a change to an object that is being deleted (it has a deletionTimestamp, e.g.
    a pod still terminating on a node that went down) may be lost, so kubectl says so on stderr."""
    meta = obj.get("metadata") or {}
    if meta.get("deletionTimestamp"):
        ctx.eprint(f"Warning: Detected changes to resource {meta.get('name', '')} which is currently being "
                   "deleted.")


def _json_roundtrip(obj: Any) -> Any:
    import json

    return json.loads(json.dumps(obj))


def _parse_json(text: str | None) -> dict | None:
    import json

    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _go_list(items: list[str]) -> str:
    return "[" + " ".join(items) + "]"


def _annotated_config(ctx: Context, obj: dict) -> dict:
    """util.CreateOrUpdateAnnotation: ``--save-config`` writes the last-applied annotation; without
    it an annotation the object already has is brought up to date."""
    meta = obj.get("metadata")
    annotations = meta.get("annotations") if isinstance(meta, dict) else None
    if not isinstance(meta, dict):  # not an object: the API server's decoding says so
        return obj
    if ctx.flags.get("save-config") or (isinstance(annotations, dict) and annotations.get(LAST_APPLIED)):
        return with_last_applied(obj)
    return obj


def run_create_files(ctx: Context) -> int:
    """``kubectl create -f``: POST each object; ``AlreadyExists`` errors name the source."""
    from k8slearn.api.errors import ApiError

    mode = dry_run_mode(ctx)
    validation_directive(ctx)  # (Complete reads --validate before any object)
    infos, errors = file_infos(ctx)
    if not infos and not errors:
        raise KubectlError("no objects passed to create")
    for info in infos:
        obj = _annotated_config(ctx, info.obj)
        try:
            created = obj if mode == "client" else ctx.client.create(
                _without_nulls(obj), namespace=info.namespace or None, dry_run=(mode == "server"),
                field_validation=validation_directive(ctx))
        except ApiError as err:
            errors.append(add_source("creating", info.source, err))
            continue
        print_result(ctx, info.resource, created, "created", separate=True)
    if errors:
        raise Aggregate(errors)
    return 0


_CASCADE = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan"}


def cascade_policy(ctx: Context) -> str:
    """parseCascadingFlag (delete, replace --force): the deletion propagation of ``--cascade``;
    a Go bool still works, with kubectl's deprecation warning."""
    value = str(ctx.flags.get("cascade", "background"))
    if value in GO_BOOLS:
        policy = "background" if GO_BOOLS[value] else "orphan"
        ctx.eprint(f"warning: --cascade={value} is deprecated (boolean value) and can be replaced with "
                   f"--cascade={policy}.")
        return _CASCADE[policy]
    if value not in _CASCADE:
        raise KubectlError(f'invalid cascade value ({value}). Must be "background", "foreground", or "orphan"')
    return _CASCADE[value]


@command("replace")
def run_replace(ctx: Context, args: list[str]) -> int:
    """``kubectl replace -f``: PUT the whole object; a manifest without a resourceVersion gets the
    live one (Helper.Replace with overwrite; when the object cannot be read the PUT goes as it is),
    one with a resourceVersion is a precondition (a stale one is the server's Conflict).
    ``--dry-run=client`` prints the manifest as it would be sent, before the live resourceVersion is
    looked up. ``--force`` deletes the objects (``configmap "cfg" deleted``; a missing one is no
    error), waits until they are gone and creates them again.

    Upstream: staging/src/k8s.io/kubectl/pkg/cmd/replace/replace.go (Complete, Validate, Run,
    forceReplace), cli-runtime/pkg/resource/helper.go (Replace)"""
    from k8slearn.api.errors import ApiError

    validation_directive(ctx)
    mode = dry_run_mode(ctx)
    print_flags_format(ctx)
    policy = cascade_policy(ctx)
    if not ctx.flags["filename"] and not ctx.flags.get("kustomize"):
        raise KubectlError("must specify one of -f and -k")
    force, grace = ctx.flags.get("force"), ctx.flags.get("grace-period", -1)
    wait = False
    if grace == 0:  # kubectl turns --grace-period=0 into 1 and waits for the deletion
        grace, wait = 1, True
    if grace >= 0 and not force:
        raise KubectlError("--grace-period must have --force specified")
    if ctx.flags.get("timeout") and not force:
        raise KubectlError("--timeout must have --force specified")
    if force and mode != "none":
        raise KubectlError("--dry-run can not be used when --force is set")
    if ctx.flags.get("kustomize"):
        raise KubectlError("kustomize (-k) is not available in this simulated cluster")
    infos, errors = file_infos(ctx)
    if force:
        if errors:
            raise Aggregate(errors)
        return _force_replace(ctx, infos, policy, grace, wait)
    for info in infos:
        try:
            obj = _annotated_config(ctx, copy.deepcopy(info.obj))
            if mode == "client":
                print_result(ctx, info.resource, obj, "replaced", separate=True)
                continue
            obj = copy.deepcopy(obj)
            if not obj["metadata"].get("resourceVersion"):
                try:
                    live = ctx.client.get(info.resource.plural, info.name, info.namespace or None)
                    obj["metadata"]["resourceVersion"] = live["metadata"].get("resourceVersion")
                except ApiError:
                    pass  # "the object does not exist, but we want it to be created": PUT it as it is
            replaced = ctx.client.update(_without_nulls(obj), dry_run=(mode == "server"),
                                         field_validation=validation_directive(ctx))
        except ApiError as err:
            errors.append(add_source("replacing", info.source, err))
            continue
        print_result(ctx, info.resource, replaced, "replaced", separate=True)
    if errors:
        raise Aggregate(errors)
    return 0


REPLACE_WAIT_LIMIT = 300.0  # forceReplace polls a second at a time for up to 5 minutes (or --timeout)


def _force_replace(ctx: Context, infos: list[Info], policy: str, grace: int, wait: bool) -> int:
    """forceReplace: DeleteResult (IgnoreNotFound; a failed delete stops everything), then poll
    each object until the API server says NotFound (simulated time runs a second at a time), then
    create every object again from the file (its resourceVersion dropped)."""
    from k8slearn.api.errors import ApiError
    from k8slearn.api.meta import thaw

    errors: list[Exception] = []
    output, _ = print_flags_format(ctx)
    for info in infos:
        try:
            ctx.client.delete(info.resource.plural, info.name, namespace=info.namespace or None,
                              grace_period_seconds=grace if grace >= 0 else None, propagation_policy=policy)
        except ApiError as err:
            if err.code != 404:
                errors.append(add_source("deleting", info.source, err))
            continue
        if output == "name":
            ctx.print(f"{kind_prefix(info.resource)}/{info.name}")
        else:
            ctx.print(f'{kind_prefix(info.resource)} "{info.name}" deleted')
    if errors:
        raise Aggregate(errors)
    _wait_until_deleted(ctx, infos)
    created = 0
    for info in infos:
        obj = thaw(_annotated_config(ctx, info.obj))
        if isinstance(obj.get("metadata"), dict):
            obj["metadata"].pop("resourceVersion", None)  # Helper.Create with modify
        try:
            result = ctx.client.create(_without_nulls(obj), namespace=info.namespace or None,
                                       field_validation=validation_directive(ctx))
        except ApiError as err:
            errors.append(err)
            continue
        created += 1
        print_result(ctx, info.resource, result, "replaced", separate=True)
    if errors:
        raise Aggregate(errors)
    if not created:
        raise KubectlError("no objects passed to replace")
    return 0


def _wait_until_deleted(ctx: Context, infos: list[Info]) -> None:
    """wait.PollImmediate(1s, --timeout or 5m): until a GET of each object is NotFound; another
    error ends the wait with that error."""
    from k8slearn.api.errors import ApiError

    limit = float(ctx.flags.get("timeout") or 0) or REPLACE_WAIT_LIMIT
    cluster = ctx.cluster
    for info in infos:
        waited = 0.0
        while True:
            try:
                ctx.client.get(info.resource.plural, info.name, info.namespace or None)
            except ApiError as err:
                if err.code == 404:
                    break
                raise
            if cluster is None or not hasattr(cluster, "run") or waited >= limit:
                raise KubectlError("timed out waiting for the condition")
            cluster.run(seconds=1.0)
            waited += 1.0
