"""``kubectl get``: list or fetch objects and print them as a table, YAML, JSON or names.

For tables each resource type is one group (one header); several groups are separated by a
blank line and, when more than one kind is shown, names read ``kind/name``. Objects that are
missing are reported after the ones found, as ``Error from server (NotFound): ...``; when
nothing at all is printed kubectl says ``No resources found in <ns> namespace.`` on stderr.

>>> from k8slearn.kubectl.builder import Target
>>> from k8slearn.api.resources import lookup
>>> no_resources_message([Target(lookup("pods"))], "default", all_namespaces=False)
'No resources found in default namespace.'
>>> no_resources_message([Target(lookup("nodes"))], "default", all_namespaces=False)
'No resources found'

``-w``/``--watch`` and ``--watch-only`` are in ``watch.py``.

``-o go-template`` runs :mod:`k8slearn.kubectl.gotemplate`.

Simplified: ``--chunk-size`` is accepted and ignored (``--raw``: :mod:`k8slearn.kubectl.raw`).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (Run, printGeneric), humanreadable_flags.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.conversion import to_internal_version
from k8slearn.kubectl.builder import (
    Info, Target, expanded_paths, list_selected, mapped_files, parse_args, short_name_warnings,
)
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, KubectlError, errno_text, usage_error
from k8slearn.kubectl.go_sort import sort_interface
from k8slearn.kubectl.gotemplate import GO_TEMPLATE_FORMATS, print_with_template, template_of
from k8slearn.kubectl.jsonpath import (JSONPathError, custom_column_spec, custom_columns,
                                      custom_columns_from_template, jsonpath)
from k8slearn.kubectl.output import to_json, to_yaml
from k8slearn.kubectl.printers import print_table
from k8slearn.kubectl.sorter import MISSING, is_less, sort_key
from k8slearn.kubectl.table import kind_prefix, render_table

__all__ = ["run_get", "fetch", "no_resources_message", "with_type_meta", "name_of"]

_FORMATS = ("custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath",
            "jsonpath-as-json", "jsonpath-file", "name", "template", "templatefile", "wide", "yaml")


def mapped_targets(ctx: Context, args: list[str]) -> list[Target]:
    """The builder's targets for ``args``, after the RESTMapper's warnings about an ambiguous short
    name (``Warning: short name "ev" could also match lower priority resource events.events.k8s.io``)."""
    for text in short_name_warnings(args):
        ctx._warning(text)
    return parse_args(args)


def no_resources_message(targets: list[Target], namespace: str, all_namespaces: bool) -> str:
    if not all_namespaces and all(t.resource.namespaced for t in targets):
        return f"No resources found in {namespace} namespace."
    return "No resources found"


def with_type_meta(obj: dict, resource: Any) -> dict:
    """Items of a list carry no kind/apiVersion on the wire; kubectl fills them in."""
    if obj.get("kind") and obj.get("apiVersion"):
        return obj
    return {"apiVersion": resource.api_version, "kind": resource.kind, **obj}


def name_of(obj: dict, resource: Any) -> str:
    """The ``-o name`` form: ``pod/web``, ``deployment.apps/web``."""
    return f"{kind_prefix(resource)}/{obj.get('metadata', {}).get('name', '')}"


def fetch(ctx: Context, targets: list[Target], *, all_namespaces: bool = False, selector: str = "",
          field_selector: str = "", continue_on_error: bool = False
          ) -> tuple[list[tuple[Target, list[dict]]], list[Exception]]:
    """Fetch each target: (target, objects) groups in order, plus per-object errors. A list the
    server refuses fails as the Selector visitor's EnhanceListError words it (``Unable to find
    "/v1, Resource=events" that match label selector "", field selector "foo=bar": ...``): at once,
    or, with ``continue_on_error`` (the builder's ContinueOnError, as ``get`` has it), as one more
    error while the other types are still listed."""
    from k8slearn.api.errors import ApiError

    groups: list[tuple[Target, list[dict]]] = []
    errors: list[Exception] = []
    for target in targets:
        res = target.resource
        namespace = ctx.namespace if res.namespaced else None
        if target.name is not None:
            try:
                obj = ctx.client.get(res.request_name, target.name, namespace or "default")
            except ApiError as exc:
                errors.append(exc)
                continue
            objects = [obj]
        else:
            try:
                objects = list_selected(ctx.client, res, None if all_namespaces else namespace, selector,
                                        field_selector)
            except ApiError as exc:
                if not continue_on_error:
                    raise
                errors.append(exc)
                continue
        objects = [with_type_meta(o, res) for o in objects]
        if groups and groups[-1][0].resource == res and target.name is not None and groups[-1][0].name is not None:
            groups[-1][1].extend(objects)
        else:
            groups.append((target, objects))
    return groups, errors


def _check_output(ctx: Context, output: str) -> str:
    if not output and ctx.flags.get("template"):  # --template alone means -o go-template
        output = "go-template"
    kind = output.split("=", 1)[0]
    both = kind in GO_TEMPLATE_FORMATS and "=" in output and ctx.flags.get("template")  # (--template wins)
    if output and (kind not in _FORMATS or both):
        raise KubectlError(f'unable to match a printer suitable for the output format "{output}", '
                           f"allowed formats are: {','.join(_FORMATS)}")
    if kind in GO_TEMPLATE_FORMATS:  # (GoTemplatePrintFlags.ToPrinter: before anything is fetched)
        template_of(ctx, kind, output)
    return kind


def _targets_from_files(ctx: Context) -> tuple[list[Target], list[Exception]]:
    found, errors = mapped_files(ctx.flags, ctx.stdin)
    return [Target(res, obj.get("metadata", {}).get("name", "")) for res, _, obj in found], errors


@command("get")
def run_get(ctx: Context, args: list[str]) -> int:
    flags = ctx.flags
    if flags["raw"]:
        from k8slearn.kubectl.misc import SERVER_VERSION
        from k8slearn.kubectl.raw import run_raw

        return run_raw(ctx, flags["raw"], args, SERVER_VERSION)
    output = flags["output"]
    if not args and not flags["filename"]:  # (Complete, before Validate and before any printer)
        ctx.eprint('You must specify the type of resource to get. Use "kubectl api-resources" for a complete '
                   "list of supported resources.\n")
        raise usage_error(ctx.path, 'Required resource not specified.\nUse "kubectl explain <resource>" for a '
                          "detailed description of that resource (e.g. kubectl explain pods).")
    _validate(ctx, output)
    kind = _check_output(ctx, output)
    if flags.get("subresource") == "scale":
        return _get_scales(ctx, args)
    if flags.get("subresource") not in (None, "", "status"):  # (status: GET .../status is the whole object)
        raise KubectlError(f"the {flags['subresource']} subresource is not available in this simulated cluster")
    errors: list[Exception] = []
    how = check_resource_args(ctx, args, allow_empty_selector=True)  # (the builder's refusals)
    if how == "paths":
        targets, errors = _targets_from_files(ctx)
    else:
        targets = mapped_targets(ctx, args)
    all_ns = flags["all-namespaces"]
    watching = flags["watch"] or flags["watch-only"]  # (the watch's builder has no ContinueOnError)
    groups, fetch_errors = fetch(ctx, targets, all_namespaces=all_ns, selector=flags["selector"],
                                 field_selector=flags["field-selector"], continue_on_error=not watching)
    errors += fetch_errors
    if how == "paths" and (flags["selector"] or "").strip():  # -l filters the latest copies of -f's objects
        matches = label_filter(flags["selector"].strip())
        groups = [(t, [o for o in objects if matches(o)]) for t, objects in groups]
        groups = [(t, objects) for t, objects in groups if objects]
    if flags["ignore-not-found"]:
        errors = [e for e in errors if getattr(e, "code", 0) != 404]
    if watching:
        from k8slearn.kubectl.watch import run_watch

        run_watch(ctx, groups, errors, kind, all_ns)
        return 0
    if kind in ("", "wide"):
        _print_tables(ctx, targets, groups, errors, all_ns, wide=(kind == "wide"))
        if errors:
            raise visited_errors(errors)
        return 0
    if errors and _single_item_implied(args, flags["filename"], flags.get("recursive", False)):
        raise Aggregate(errors)  # printGeneric: one named object that failed prints nothing else
    print_error = _print_generic(ctx, kind, output, args, groups)
    errors += [print_error] if print_error else []
    if errors:
        raise Aggregate(errors)  # (printGeneric: Reduce(Flatten(...)), one error is printed as itself)
    return 0


def _validate(ctx: Context, output: str) -> None:
    """GetOptions.Validate: flags that do not go together, checked before the printer is chosen."""
    if ctx.flags["show-labels"] and output not in ("", "wide"):
        raise KubectlError(f"--show-labels option cannot be used with {output} printer")
    if ctx.flags.get("output-watch-events") and not (ctx.flags["watch"] or ctx.flags["watch-only"]):
        raise KubectlError("--output-watch-events option can only be used with --watch or --watch-only")


def visited_errors(errors: list[Exception]) -> Aggregate:
    """What Get (with a table) and Describe return: ``NewAggregate([the Infos() error])``, not
    reduced, and the Infos() error is itself an aggregate (the builder's EagerVisitorList). checkErr
    unwraps one aggregate of one, so what is left is an aggregate: each error on its own line, with
    no ``error: `` even when there is only one (``unable to decode "x.txt": ...``)."""
    return Aggregate([Aggregate(errors)])


def _print_tables(ctx: Context, targets: list[Target], groups: list, errors: list, all_ns: bool,
                  wide: bool) -> None:
    flags = ctx.flags
    multiple_kinds = len({id(t.resource) for t, _ in groups}) > 1 or flags["show-kind"]
    rendered = []
    sticky_namespace = False  # kubectl's shared print flags keep NAMESPACE once a namespaced kind printed
    if flags["sort-by"]:
        _sort_tables(groups, flags["sort-by"])
    for target, objects in groups:
        if flags["sort-by"] and len(objects) > 1:
            try:
                objects = _sorted(objects, flags["sort-by"])
            except KubectlError:
                objects = []  # SortingPrinter's sort fails, Run ignores PrintObj's error: no rows
        # the server's TableConvertor prints its internal object (events.k8s.io's as core events)
        internal = [to_internal_version(target.resource, o) for o in objects]
        # --server-print=false: kubectl's own printer knows no kind here and prints NAME and AGE only
        table = print_table(target.resource.plural if flags["server-print"] else "", internal, ctx.now())
        with_ns = all_ns and (target.resource.namespaced or sticky_namespace)
        sticky_namespace = with_ns
        prefix = kind_prefix(target.resource) if multiple_kinds else ""
        rendered.append((table, objects, prefix, with_ns))
    text = render_table(rendered, wide=wide, label_columns=flags["label-columns"],
                        show_labels=flags["show-labels"], no_headers=flags["no-headers"])
    ctx.print(text, end="")
    if not text and not errors and not flags["ignore-not-found"]:
        ctx.eprint(no_resources_message([t for t, _ in groups] or targets, ctx.namespace, all_ns))


def _sort_tables(groups: list, expression: str) -> None:
    """get.go Run's RuntimeSorter over the infos, before any is printed. With a table each info is
    one Table the server sent (one per type listed, one per name asked for); from two of them on,
    kubectl sorts those Table objects themselves, which have no ``metadata.name`` or ``status``: a
    path that does not parse, or that no Table has, fails the whole command. (Simplified: the
    Tables keep their order when the path is one they all have, such as ``.kind``.)"""
    infos = sum(len(objects) if target.name is not None else 1 for target, objects in groups)
    if infos > 1:
        table = {"apiVersion": "meta.k8s.io/v1", "kind": "Table", "metadata": {"resourceVersion": ""}}
        _sorted([table] * infos, expression)


class FieldFoundNowhere(KubectlError):
    """No object has the ``--sort-by`` field (SortObjects' ``fieldFoundOnce`` check)."""


def _sorted(objects: list[dict], expression: str) -> list[dict]:
    """TableSorter / RuntimeSort: Go's unstable ``sort.Sort`` with ``Less`` and ``isLess``
    (:mod:`k8slearn.kubectl.sorter`): an object without the field is "less" than any other (even
    than another without it), a null value comes next, then the values in their order. When no
    object has the field at all (a null one counts as having it), :class:`FieldFoundNowhere`."""
    try:
        keyed = [(sort_key(o, expression), o) for o in objects]
    except JSONPathError as exc:
        raise KubectlError(str(exc)) from None
    if keyed and all(key[0] == MISSING for key, _ in keyed):
        path = expression.strip().strip("{}")
        path = path if path.startswith((".", "[")) else "." + path
        raise FieldFoundNowhere(f'couldn\'t find any field with path "{{{path}}}" in the list of objects')
    return [o for _, o in sort_interface(keyed, lambda a, b: is_less(a[0], b[0]))]


def _single_item_implied(args: list[str], filenames: list[str] | tuple = (),
                         recursive: bool = False) -> bool:
    """The builder's singleItemImplied: one ``type/name``, or a type and exactly one name, or ``-f``
    naming one file that is not stdin (a directory that holds one manifest counts) -- then one
    object is printed as itself, not in a List; anything else is a List, even of one."""
    if filenames:  # visitByPaths: !b.dir && !b.stream && len(b.paths) == 1
        return "-" not in filenames and len(expanded_paths(list(filenames), recursive)) == 1
    if any("/" in arg for arg in args):
        return len(args) == 1
    return len(args) == 2


def _print_generic(ctx: Context, kind: str, output: str, args: list[str], groups: list) -> Exception | None:
    """printGeneric: every object in one List (or one object alone), through the ``-o`` printer.
    Returns the error the printer's PrintObj stopped with (kubectl adds it to the others)."""
    items = [obj for _, objects in groups for obj in objects]
    if ctx.flags["sort-by"] and len(items) > 1:  # (RuntimeSorter.Sort: 0 or 1 objects are sorted)
        items = _sorted(items, ctx.flags["sort-by"])
    if not items and ctx.flags["ignore-not-found"]:
        return None  # printGeneric prints nothing at all (not even an empty List)
    if kind == "name":
        resource_of = {id(obj): target.resource for target, objects in groups for obj in objects}
        for obj in items:  # (in --sort-by's order when there is one)
            ctx.print(name_of(obj, resource_of[id(obj)]))
        return None
    if not ctx.flags["show-managed-fields"]:
        items = [_without_managed_fields(o) for o in items]
    implied = _single_item_implied(args, ctx.flags["filename"], ctx.flags.get("recursive", False))
    single = len(items) == 1 and implied
    document: dict = items[0] if single else {"apiVersion": "v1", "items": items, "kind": "List",
                                             "metadata": {"resourceVersion": ""}}
    if kind == "yaml":
        ctx.print(to_yaml(document), end="")
    elif kind == "json":
        ctx.print(to_json(document), end="")
    elif kind in ("jsonpath", "jsonpath-as-json"):
        template = output.split("=", 1)[1] if "=" in output else ""
        if not template:
            raise KubectlError("template format specified but no template given")
        try:
            as_json = kind == "jsonpath-as-json"
            allow = ctx.flags.get("allow-missing-template-keys", True)  # (JSONPathPrinter.AllowMissingKeys)
            ctx.print(jsonpath(template, document, as_json=as_json, allow_missing_keys=allow),
                      end="\n" if as_json else "")
        except JSONPathError as exc:
            raise KubectlError(str(exc)) from None
    elif kind in GO_TEMPLATE_FORMATS:
        text = template_of(ctx, kind, output)
        print_with_template(ctx, text, document)
    elif kind in ("custom-columns", "custom-columns-file"):
        columns = _custom_columns_of(kind, output.partition("=")[2])
        no_headers = ctx.flags["no-headers"] and kind == "custom-columns"  # (the file's printer ignores it)
        text, error = custom_columns(columns, items, no_headers=no_headers)
        ctx.print(text, end="")
        if error:
            return KubectlError(str(error))
    else:
        raise KubectlError(f"the output format {kind} is not available in this simulated cluster")
    return None


def _custom_columns_of(kind: str, value: str) -> list[tuple[str, str]]:
    """CustomColumnsPrintFlags.ToPrinter: the columns of ``-o custom-columns=SPEC`` or of the file
    ``-o custom-columns-file=FILE`` names (a directory reads as an empty file, as in Go)."""
    try:
        if kind == "custom-columns" or not value:
            return custom_column_spec(value)
        try:
            with open(value, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except IsADirectoryError:
            text = ""
        except OSError as exc:
            raise KubectlError(f"error reading template {value}, open {value}: {errno_text(exc)}") from None
        return custom_columns_from_template(text)
    except JSONPathError as exc:
        raise KubectlError(str(exc)) from None


def _without_managed_fields(obj: dict) -> dict:
    meta = obj.get("metadata")
    if not meta or "managedFields" not in meta:
        return obj
    return {**obj, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}


def check_resource_args(ctx: Context, args: list[str], *, select_all: bool = False,
                        allow_empty_selector: bool = False) -> str:
    """The resource Builder's checks of what names the objects (ResourceTypeOrNameArgs,
    SelectAllParam, visitorResult, visitByPaths/visitBySelector/visitByResource/visitByName), with
    its errors in its order. Returns how the objects are found: ``"paths"`` (``-f``), ``"selector"``
    (``-l``, ``--field-selector``, ``select_all``, or a lone type with ``--all`` or
    ``allow_empty_selector``) or ``"names"`` (``TYPE NAME...``, ``TYPE/NAME...``)."""
    from k8slearn.kubectl.builder import split_resource_argument
    from k8slearn.kubectl.set_helper import no_resources_given

    flags = ctx.flags
    label = (flags.get("selector") or "").strip()
    field = (flags.get("field-selector") or "").strip()
    if select_all and (label or field):  # SelectAllParam, after LabelSelectorParam/FieldSelectorParam
        raise KubectlError("setting 'all' parameter but found a non empty selector. ")
    tuples = any("/" in a for a in args) or (len(args) >= 2 and len(split_resource_argument(args[0])) > 1)
    targets = mapped_targets(ctx, args)
    names = not tuples and len(args) >= 2
    if flags.get("filename"):  # visitByPaths
        if args and not tuples:
            raise KubectlError("when paths, URLs, or stdin is provided as input, you may not specify resource "
                               "arguments as well")
        if tuples:
            raise KubectlError("resource/name arguments cannot be provided when a path is specified")
        return "paths"
    everything = not tuples and len(args) == 1 and (allow_empty_selector or bool(flags.get("all")))
    if label or field or select_all or everything:  # visitBySelector
        if names:
            raise KubectlError("name cannot be provided when a selector is specified")
        if tuples:
            raise KubectlError("selectors and the all flag cannot be used when passing resource/name arguments")
        if not args:
            raise KubectlError("at least one resource must be specified to use a selector")
        if flags.get("subresource"):
            raise KubectlError("subresource cannot be used when bulk resources are specified")
        return "selector"
    if not args:
        raise no_resources_given()
    if not tuples and not names:
        raise KubectlError("resource(s) were provided, but no name was specified")
    if flags.get("all-namespaces") and any(t.resource.namespaced for t in targets):
        raise KubectlError("a resource cannot be retrieved by name across all namespaces")
    return "names"


def infos_for(ctx: Context, args: list[str], *, allow_all: bool = False, select_all: bool = False,
              allow_empty_selector: bool = False, require_object: bool = True,
              latest: bool = True) -> tuple[list[Info], list[Exception]]:
    """Objects named by ``args``/``-f``/``-l``/``--field-selector``/``--all`` for the verbs that change
    things (and describe), after :func:`check_resource_args`:

    * ``-f``: the files' objects; ``-l`` keeps those whose labels match, the live object's labels
      when the command reads the latest copy (``latest``, the builder's Latest()), else the file's;
    * a selector: the objects listed with it (``select_all``: delete's ``--all``);
    * ``TYPE NAME...`` / ``TYPE/NAME...``: those objects, each fetched (a missing one is a 404 error).

    ``require_object=False`` (delete's ``RequireObject(false)``): named objects are not fetched
    (their Info has no object) and file objects are the files' own. ``allow_all`` is kept for the
    callers that pass it: a command's ``--all`` flag is what allows a lone type.
    """
    flags = ctx.flags
    how = check_resource_args(ctx, args, select_all=select_all, allow_empty_selector=allow_empty_selector)
    label = (flags.get("selector") or "").strip()
    if how == "paths":
        return _file_infos(ctx, label, require_object, latest)
    targets = mapped_targets(ctx, args)
    if how == "names" and not require_object:
        return [Info(t.resource, ctx.namespace if t.resource.namespaced else "", t.name or "") for t in targets], []
    groups, errors = fetch(ctx, targets, all_namespaces=bool(flags.get("all-namespaces")), selector=label,
                           field_selector=(flags.get("field-selector") or "").strip())
    infos = [Info(t.resource, o.get("metadata", {}).get("namespace", ""), o["metadata"]["name"], o)
             for t, objects in groups for o in objects]
    return infos, errors


def label_filter(label: str) -> Any:
    """FilterByLabelSelector's selector (``-l`` with ``-f``)."""
    from k8slearn.api.selector_parser import parse_selector

    try:
        selector = parse_selector(label)
    except ValueError as exc:
        raise KubectlError(f'the provided selector "{label}" is not valid: {exc}') from None
    return lambda obj: selector.matches(((obj or {}).get("metadata") or {}).get("labels") or {})


def _file_infos(ctx: Context, label: str, require_object: bool, latest: bool) -> tuple[list[Info], list[Exception]]:
    """visitByPaths: each document of ``-f`` (namespace resolved as the builder does), fetched from
    the server unless ``require_object`` is false; ``-l`` filters after the fetch when ``latest``."""
    from k8slearn.api.errors import ApiError
    from k8slearn.kubectl.apply import file_infos

    infos, errors = file_infos(ctx, validate=False)
    matches = label_filter(label) if label else None
    if matches and not (require_object and latest):
        infos = [i for i in infos if matches(i.obj)]
    if not require_object:
        return infos, errors
    fetched: list[Info] = []
    for info in infos:
        try:
            obj = ctx.client.get(info.resource.plural, info.name, info.namespace or None)
        except ApiError as exc:
            errors.append(exc)
            continue
        obj = with_type_meta(obj, info.resource)
        if matches and latest and not matches(obj):
            continue
        fetched.append(Info(info.resource, info.namespace, info.name, obj, info.source))
    return fetched, errors


def _get_scales(ctx: Context, args: list[str]) -> int:
    """``get TYPE NAME --subresource=scale``: each named object's autoscaling/v1 Scale, as the
    server's table (NAME, DESIRED, AVAILABLE) or as YAML/JSON."""
    from k8slearn.kubectl import tabwriter

    check_resource_args(ctx, args, allow_empty_selector=True)  # (the builder's refusals)
    targets = mapped_targets(ctx, args)
    scales = [ctx.client.get(t.resource.plural, t.name, ctx.namespace, subresource="scale") for t in targets]
    output = ctx.flags["output"]
    if output in ("yaml", "json"):
        items = scales[0] if len(scales) == 1 else {"apiVersion": "v1", "kind": "List", "items": scales,
                                                     "metadata": {"resourceVersion": ""}}
        ctx.print((to_yaml if output == "yaml" else to_json)(items), end="")
        return 0
    if output:
        raise KubectlError(f"the output format {output} is not available with --subresource")
    rows = [] if ctx.flags["no-headers"] else ["NAME\tDESIRED\tAVAILABLE"]
    rows += [f"{s['metadata']['name']}\t{s['spec']['replicas']}\t{s['status']['replicas']}" for s in scales]
    ctx.print(tabwriter.render("\n".join(rows) + "\n", **tabwriter.TABLE), end="")
    return 0