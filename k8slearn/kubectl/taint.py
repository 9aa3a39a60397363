"""``kubectl taint``: add, change or remove the taints of nodes.

``key[=value]:Effect`` adds (or, with ``--overwrite``, changes) a taint, ``key[:Effect]-`` removes
them; the new taints come first, as kubectl builds the list, and go out as a strategic merge patch.
It prints ``node/<name> tainted``, ``untainted``, or ``modified`` when ``--overwrite`` is given or a
taint is both added and removed, without a ``(dry run)`` suffix (kubectl 1.32's printer replaces it).

>>> parse_taint("dedicated=db:NoSchedule")
({'key': 'dedicated', 'value': 'db', 'effect': 'NoSchedule'}, False)

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/taint/taint.go, taint/utils.go
"""

from __future__ import annotations

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import thaw
from k8slearn.kubectl.apply import dry_run_mode
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.edit import _one_or_aggregate, print_plain
from k8slearn.kubectl.errors import Aggregate, ExitSilently, KubectlError, usage_error
from k8slearn.kubectl.get import infos_for

__all__ = ["parse_taint"]

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
    """taint.go: Complete (resources, then taint changes), Validate, then per node the new taint list
    (reorganizeTaints: the added taints first, then the old ones they do not replace, less the removed
    ones) sent as a strategic merge patch; a node's error does not stop the others."""
    from k8slearn.api.patch_diff import two_way_merge_patch
    from k8slearn.api.resources import UnknownResourceError, lookup
    from k8slearn.kubectl.describe import taint_text

    resources, specs = [], []  # (Complete: every resource before the first taint change)
    for arg in args:
        if "=" in arg or ":" in arg or arg.endswith("-"):
            specs.append(arg)
        elif specs:
            raise KubectlError(f"all resources must be specified before taint changes: {arg}")
        else:
            resources.append(arg)
    if not resources:
        raise KubectlError("one or more resources must be specified as <resource> <name>")
    if not specs:
        raise KubectlError("at least one taint update is required")
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
    try:  # Validate: the type through the RESTMapper (its own error, printed without "error: ")
        kind = lookup(resources[0].lower()).kind
    except UnknownResourceError as exc:
        ctx.eprint(str(exc))
        raise ExitSilently(1) from None
    if kind != "Node":
        raise KubectlError(f"invalid resource type {resources[0].lower()}, only node types are supported")
    conflicts = [f"{r['key']}={r.get('effect', '')}" for a in adds for r in removes
                 if a["key"] == r["key"] and (not r.get("effect") or r.get("effect") == a["effect"])]
    if conflicts:
        raise KubectlError(f"can not both modify and remove the following taint(s) in the same command: "
                           f"{', '.join(conflicts)}")
    if ctx.flags["all"] and ctx.flags["selector"]:
        raise KubectlError("setting 'all' parameter with a non empty selector is prohibited")
    if len(resources) < 2 and not ctx.flags["all"] and not ctx.flags["selector"]:
        raise KubectlError("at least one resource name must be specified since 'all' parameter is not set")
    by_name = len(resources) > 1 and not ctx.flags["all"] and not ctx.flags["selector"]
    infos, fetch_errors = infos_for(ctx, resources if by_name else ["nodes"])
    mode = dry_run_mode(ctx)
    overwrite = ctx.flags["overwrite"]

    def same(a: dict, b: dict) -> bool:  # Taint.MatchTaint: the key and the effect
        return a.get("key") == b.get("key") and a.get("effect", "") == b.get("effect", "")

    errors: list[Exception] = []
    for info in infos:
        node = thaw(info.obj)
        old = list((node.get("spec") or {}).get("taints") or [])
        if not overwrite:  # checkIfTaintsAlreadyExists
            exists = [t["key"] for t in adds for o in old if same(t, o)]
            if exists:
                errors.append(KubectlError(f"node {info.name} already has {','.join(exists)} taint(s) with same "
                                           "effect(s) and --overwrite is false"))
                continue
        new = [dict(t) for t in adds]  # reorganizeTaints
        for taint in old:
            if not any(same(t, taint) for t in new):
                new.append(taint)
        added, removed, missing = len(old) != len(new), False, []
        for taint in removes:
            kept = [t for t in new if not (t.get("key") == taint["key"]
                                           and (not taint.get("effect") or t.get("effect") == taint["effect"]))]
            removed, new = len(kept) != len(new), kept  # (only the last removal's result counts)
            if not removed:
                missing.append(KubectlError(f'taint "{taint_text(taint)}" not found'))
        if missing:
            errors.append(Aggregate(missing))
            continue
        operation = "modified" if (added and removed) or overwrite else "tainted" if added else "untainted"
        spec = node.setdefault("spec", {})
        if new:
            spec["taints"] = new
        else:
            spec.pop("taints", None)  # (omitempty)
        if mode == "client":
            print_plain(ctx, info.resource, node, operation)
            continue
        try:
            result = ctx.client.patch("nodes", info.name, two_way_merge_patch(info.obj, node, "Node"),
                                      namespace=None, patch_type="strategic", dry_run=(mode == "server"))
        except ApiError as err:
            errors.append(err)
            continue
        print_plain(ctx, info.resource, result, operation)
    errors += fetch_errors
    if errors:
        raise _one_or_aggregate(errors)
    return 0
