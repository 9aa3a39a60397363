"""``kubectl set selector``: replace the selector of a Service.

The last argument is the new selector, in the string form ``-l`` takes (``app=green``), the ones
before it name the Services: ``kubectl set selector service/web app=green`` points the Service at
other pods at once (a blue/green switch). The new selector replaces the old one whole; only
``key=value`` requirements fit a Service's selector (``tier in (a)`` is refused). Any other kind
is refused too: ``setting a selector is only supported for Services``. ``--local`` changes the
``-f`` objects in memory and prints them; ``--resource-version`` sends that version with the
patch, so it fails with a Conflict if the Service changed since.

>>> go_requirements([{"key": "tier", "operator": "In", "values": ["a", "b"]}, {"key": "x", "operator": "Exists"}])
'[{tier In [a b]} {x Exists []}]'

Simplified: ``--local -o yaml`` prints the file's object without the zero fields of Go's typed round
trip (``creationTimestamp: null``, ``status: {loadBalancer: {}}``...).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/set/set_selector.go (Complete, Validate, RunSelector,
updateSelectorForObject, getResourcesAndSelector)
"""

from __future__ import annotations

from k8slearn.api.errors import ApiError
from k8slearn.api.labels import SelectorParseError
from k8slearn.api.meta import thaw
from k8slearn.api.patch_diff import two_way_merge_patch
from k8slearn.api.selector_parser import parse_to_label_selector
from k8slearn.kubectl.apply import dry_run_mode, print_flags_format, print_result
from k8slearn.kubectl.builder import Info
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.edit import files_as_written
from k8slearn.kubectl.errors import Aggregate, KubectlError
from k8slearn.kubectl.get import infos_for
from k8slearn.kubectl.set_helper import no_resources_given

LOCAL_RESOURCES = ("you must specify resources by --filename when --local is set.\nExample resource "
                   "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'")


def go_requirements(expressions: list[dict]) -> str:
    """``%v`` of a []LabelSelectorRequirement, as the refusal of match expressions prints it."""
    return "[" + " ".join(f"{{{e['key']} {e['operator']} [{' '.join(e.get('values') or [])}]}}"
                          for e in expressions) + "]"


def update_selector_for_object(obj: dict, selector: dict) -> None:
    """updateSelectorForObject: a Service's ``spec.selector`` becomes the selector's matchLabels."""
    if obj.get("kind") != "Service":
        raise KubectlError("setting a selector is only supported for Services")
    if selector.get("matchExpressions"):
        raise KubectlError(f"match expression {go_requirements(selector['matchExpressions'])} "
                           "not supported on this object")
    labels = dict(selector.get("matchLabels") or {})
    spec = obj.setdefault("spec", {})
    if labels:
        spec["selector"] = labels
    else:  # (an empty map: Go's encoder omits it)
        spec.pop("selector", None)


def _infos(ctx: Context, resources: list[str], local: bool) -> tuple[list[Info], list[Exception]]:
    """The ResourceFinder of the command: with ``--local`` the ``-f`` files only, else the named
    objects, each read from the server (a missing one is an error, the others go on)."""
    if local:
        if resources:
            raise KubectlError(LOCAL_RESOURCES)
        if not ctx.flags.get("filename"):
            raise no_resources_given()
        return files_as_written(ctx, local=True)
    if not resources and not ctx.flags.get("filename"):
        raise no_resources_given()
    return infos_for(ctx, resources, allow_all=True)


@command("set selector")
def run_set_selector(ctx: Context, args: list[str]) -> int:
    """Complete (the dry-run mode, the selector parsed, the printer), Validate (a selector is
    given), then RunSelector: each object changed and printed (``--local``, ``--dry-run=client``)
    or sent as a strategic merge patch; an error for one object does not stop the others."""
    mode = dry_run_mode(ctx)
    selector = None
    if args:  # getResourcesAndSelector: the selector is the last argument
        try:
            selector = parse_to_label_selector(args[-1])
        except SelectorParseError as err:
            raise KubectlError(str(err)) from None
    resources = args[:-1]
    print_flags_format(ctx)
    if selector is None:
        raise KubectlError("one selector is required")
    local = bool(ctx.flags.get("local"))
    infos, errors = _infos(ctx, resources, local)
    for info in infos:
        try:
            _select(ctx, info, selector, write=not local and mode != "client", dry_run=mode == "server")
        except (KubectlError, ApiError) as err:
            errors.append(err)
    if errors:
        raise errors[0] if len(errors) == 1 else Aggregate(errors)
    return 0


def _select(ctx: Context, info: Info, selector: dict, write: bool, dry_run: bool) -> None:
    """One object of RunSelector: CalculatePatch (with ``--resource-version`` in the patch), then the
    object printed as changed, or the patch sent and the server's object printed."""
    original = thaw(info.obj)
    version = ctx.flags.get("resource-version") or ""
    if version:  # cleared from the starting JSON, so that the patch always carries it
        original.get("metadata", {}).pop("resourceVersion", None)
    changed = thaw(original)
    if version:
        changed.setdefault("metadata", {})["resourceVersion"] = version
    update_selector_for_object(changed, selector)
    if not write:
        print_result(ctx, info.resource, changed, "selector updated")
        return
    patch = two_way_merge_patch(original, changed, info.resource.kind)
    result = ctx.client.patch(info.resource.plural, info.name, patch, namespace=info.namespace or None,
                              patch_type="strategic", dry_run=dry_run)
    print_result(ctx, info.resource, result, "selector updated")
