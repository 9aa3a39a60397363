"""``kubectl diff -f``: what ``kubectl apply -f`` would change, as a unified diff of YAML.

For each object of the manifests kubectl GETs the live object and asks the API server what apply
would make of it, without storing anything: the apply patch (or a create) sent with
``dryRun=All``. Both are written as YAML (``managedFields`` dropped, a Secret's ``data`` masked as
``***``) into two directories, ``LIVE-<n>`` and ``MERGED-<n>``, one file per object named
``<group>.<version>.<Kind>.<namespace>.<name>``, and ``diff -u -N`` compares the directories. The
exit code is 0 when nothing would change, 1 when something would, 2 on an error.

So the diff shows what the server adds, not only what the file says: a changed template bumps
``metadata.generation``, a new object gets its uid and creationTimestamp.

Simplified: there is no ``diff`` program; :func:`unified_diff` writes what GNU diff writes (headers
with the files' times, hunks with three lines of context) by GNU diff's steps: the identical start
and end set aside but for three lines, the middle matched (by ``difflib``, where GNU uses Myers'
algorithm), then each changed run slid as GNU's shift_boundaries slides it. On 4,000 random edits
of objects' YAML it printed what GNU diff 3.8 prints. The temporary directories' numbers come from
the simulated clock, and both files carry its time. ``--prune``, ``-k`` and ``KUBECTL_EXTERNAL_DIFF``
are not available.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/diff/diff.go (InfoObject.Live/Merged, Masker,
Directory, DiffProgram)
"""

from __future__ import annotations

import copy
import difflib
import json
import random
from datetime import timedelta

from k8slearn.api.meta import EPOCH
from k8slearn.kubectl.apply import (
    LAST_APPLIED,
    _without_nulls,
    file_infos,
    select_by_label,
    validation_directive,
)
from k8slearn.kubectl.builder import Info
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, ExitSilently, KubectlError, render
from k8slearn.kubectl.output import to_yaml
from k8slearn.kubectl.threeway import three_way_merge_patch

__all__ = ["masked", "unified_diff"]

MASK = "***"


def file_name(info: Info) -> str:
    """diff.go's InfoObject.Name: ``apps.v1.Deployment.default.web``, ``v1.Node..worker-1``."""
    res = info.resource
    group = f"{res.group}." if res.group else ""
    return f"{group}{res.version}.{res.kind}.{info.namespace}.{info.name}"


def masked(kind: str, live: dict | None, merged: dict | None) -> tuple[dict | None, dict | None]:
    """diff.go's Masker: a Secret's values become ``***``, or ``*** (before)``/``*** (after)`` when
    they differ, so the diff shows which keys change but not their values.

    >>> masked("Secret", {"data": {"a": "eA==", "b": "eQ=="}}, {"data": {"a": "eA==", "b": "eg==", "c": "dw=="}})
    ({'data': {'a': '***', 'b': '*** (before)'}}, {'data': {'a': '***', 'b': '*** (after)', 'c': '***'}})
    """
    if kind != "Secret":
        return live, merged
    live, merged = copy.deepcopy(live), copy.deepcopy(merged)
    before = (live or {}).get("data") or {}
    after = (merged or {}).get("data") or {}
    for key in before:
        if key in after and before[key] != after[key]:
            before[key], after[key] = MASK + " (before)", MASK + " (after)"
            continue
        if key in after:
            after[key] = MASK
        before[key] = MASK
    for key in after:
        if key not in before:
            after[key] = MASK
    return live, merged


def _yaml(obj: dict | None, show_managed_fields: bool) -> str:
    if obj is None:
        return ""
    obj = copy.deepcopy(obj)
    if not show_managed_fields and isinstance(obj.get("metadata"), dict):
        obj["metadata"].pop("managedFields", None)
    return to_yaml(obj)


def _range(start: int, length: int) -> str:
    """GNU diff's unified range: ``5`` for one line, ``5,3``, ``4,0`` when empty (the line before)."""
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _shift_boundaries(changed: list[bool], other: list[bool], lines: list[str]) -> None:
    """GNU diff's shift_boundaries for one file: slide each run of changed lines back to merge with
    the run before it, then forward as far as the text allows (or back to where the other file's
    changes are), so equal-looking edits land where GNU diff puts them. ``changed`` and ``other``
    carry a False sentinel at each end (line k is at index k + 1)."""
    n = len(lines)
    i = j = 0
    while True:
        while i < n and not changed[i + 1]:
            while other[j + 1]:
                j += 1
            j += 1
            i += 1
        if i == n:
            break
        start = i
        i += 1
        while changed[i + 1]:
            i += 1
        while other[j + 1]:
            j += 1
        while True:
            run_length = i - start
            while start and lines[start - 1] == lines[i - 1]:
                start -= 1
                changed[start + 1] = True
                i -= 1
                changed[i + 1] = False
                while changed[start]:
                    start -= 1
                j -= 1
                while other[j + 1]:
                    j -= 1
            corresponding = i if other[j] else n
            while i != n and lines[start] == lines[i]:
                changed[start + 1] = False
                start += 1
                changed[i + 1] = True
                i += 1
                while changed[i + 1]:
                    i += 1
                j += 1
                while other[j + 1]:
                    corresponding = i
                    j += 1
            if run_length == i - start:
                break
        while corresponding < i:
            start -= 1
            changed[start + 1] = True
            i -= 1
            changed[i + 1] = False
            j -= 1
            while other[j + 1]:
                j -= 1


def _identical_ends(a: list[str], b: list[str], horizon: int) -> tuple[int, int]:
    """GNU diff's find_identical_ends, by lines: the lines of the equal prefix and suffix left out of
    the comparison, each less ``horizon`` lines kept next to the differences. The suffix may not
    reach back into the prefix."""
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    prefix = max(prefix - horizon, 0)
    suffix, limit = 0, min(len(a), len(b)) - prefix
    while suffix < limit and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, max(suffix - horizon, 0)


def _changes(a: list[str], b: list[str], horizon: int) -> list[tuple[int, int, int, int]]:
    """(first line of a, lines deleted, first line of b, lines inserted) for each change, in order:
    the middle that differs is compared, then its changed runs are slid as GNU diff slides them."""
    prefix, suffix = _identical_ends(a, b, horizon)
    mid_a, mid_b = a[prefix:len(a) - suffix], b[prefix:len(b) - suffix]
    changed_a, changed_b = [False] * (len(mid_a) + 2), [False] * (len(mid_b) + 2)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False).get_opcodes():
        if tag != "equal":
            changed_a[i1 + 1:i2 + 1] = [True] * (i2 - i1)
            changed_b[j1 + 1:j2 + 1] = [True] * (j2 - j1)
    _shift_boundaries(changed_a, changed_b, mid_a)
    _shift_boundaries(changed_b, changed_a, mid_b)
    changes, i, j = [], 0, 0
    while i < len(mid_a) or j < len(mid_b):
        if changed_a[i + 1] or changed_b[j + 1]:
            i0, j0 = i, j
            while changed_a[i + 1]:
                i += 1
            while changed_b[j + 1]:
                j += 1
            changes.append((prefix + i0, i - i0, prefix + j0, j - j0))
        i += 1
        j += 1
    return changes


def unified_diff(old: str, new: str, old_label: str, new_label: str, context: int = 3) -> str:
    """``diff -u`` of two texts ("" when they are equal): GNU diff's hunks, three lines of context,
    changes less than seven lines apart in one hunk.

    >>> print(unified_diff("a\\nb\\nc\\n", "a\\nB\\nc\\n", "--- x", "+++ y"), end="")
    --- x
    +++ y
    @@ -1,3 +1,3 @@
     a
    -b
    +B
     c
    """
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    changes = _changes(a, b, context)
    if not changes:
        return ""
    hunks: list[list[tuple[int, int, int, int]]] = [[changes[0]]]
    for change in changes[1:]:
        last = hunks[-1][-1]
        if change[0] - (last[0] + last[1]) <= 2 * context:
            hunks[-1].append(change)
        else:
            hunks.append([change])
    out = [old_label + "\n", new_label + "\n"]
    for hunk in hunks:
        a_start = max(hunk[0][0] - context, 0)
        a_end = min(hunk[-1][0] + hunk[-1][1] + context, len(a))
        b_start = hunk[0][2] - (hunk[0][0] - a_start)
        b_end = b_start + (a_end - a_start) - sum(c[1] for c in hunk) + sum(c[3] for c in hunk)
        out.append(f"@@ -{_range(a_start, a_end - a_start)} +{_range(b_start, b_end - b_start)} @@\n")
        i = a_start
        for i0, deleted, j0, inserted in hunk:
            out += [" " + line for line in a[i:i0]]
            out += ["-" + line for line in a[i0:i0 + deleted]]
            out += ["+" + line for line in b[j0:j0 + inserted]]
            i = i0 + deleted
        out += [" " + line for line in a[i:a_end]]
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def merged_object(ctx: Context, info: Info, live: dict | None) -> dict:
    """InfoObject.Merged: the server's dry-run answer to the apply kubectl would send (for a new
    object, a dry-run create of the file's object as it is: no annotations added)."""
    obj = _without_nulls(info.obj)
    namespace = info.namespace or None
    if ctx.flags["server-side"]:
        if live is None:
            return ctx.client.create(obj, namespace=namespace, dry_run=True,
                                     field_validation=validation_directive(ctx))
        return ctx.client.patch(info.resource.plural, info.name, obj, namespace=namespace,
                                patch_type="strategic", dry_run=True, field_validation=validation_directive(ctx))
    if live is None:  # a dry-run create of the object as the file has it
        return ctx.client.create(obj, namespace=namespace, dry_run=True, field_validation=validation_directive(ctx))
    modified = copy.deepcopy(obj)  # GetModifiedConfiguration(annotate=false): no last-applied annotation
    meta = modified.setdefault("metadata", {})
    meta["annotations"] = {k: v for k, v in (meta.get("annotations") or {}).items() if k != LAST_APPLIED}
    original = (live.get("metadata", {}).get("annotations") or {}).get(LAST_APPLIED)
    patch = three_way_merge_patch(json.loads(original) if original else None, json.loads(json.dumps(modified)),
                                  json.loads(json.dumps(live)), info.resource.kind)
    if not patch:
        return live
    return ctx.client.patch(info.resource.plural, info.name, patch, namespace=namespace, patch_type="strategic",
                            dry_run=True, field_validation=validation_directive(ctx))


def _stamp(seconds: float) -> str:
    nanos = round(seconds * 1_000_000_000)
    whole, fraction = divmod(nanos, 1_000_000_000)
    return (EPOCH + timedelta(seconds=whole)).strftime("%Y-%m-%d %H:%M:%S") + f".{fraction:09d} +0000"


@command("diff")
def run_diff(ctx: Context, args: list[str]) -> int:
    from k8slearn.api.errors import ApiError

    try:
        if ctx.flags.get("kustomize"):
            raise KubectlError("kustomize (-k) is not available in this simulated cluster")
        if not ctx.flags["filename"]:
            raise KubectlError("must specify one of -f and -k")
        if ctx.flags.get("prune"):
            raise KubectlError("diff --prune is not available in this simulated cluster")
        infos, errors = file_infos(ctx)
        infos = select_by_label(ctx, infos)  # (LabelSelectorParam: -l picks the objects)
        if errors:
            raise Aggregate(errors)
        files: dict[str, tuple[str, str]] = {}
        for info in infos:
            try:
                live = ctx.client.get(info.resource.plural, info.name, info.namespace or None)
            except ApiError as err:
                if err.code != 404:
                    raise
                live = None
            merged = merged_object(ctx, info, live)
            live, merged = masked(info.resource.kind, live, merged)
            files[file_name(info)] = (_yaml(live, ctx.flags["show-managed-fields"]),
                                      _yaml(merged, ctx.flags["show-managed-fields"]))
    except Exception as exc:
        if not isinstance(exc, (KubectlError, Aggregate)) and not hasattr(exc, "status"):
            raise
        ctx.eprint(render(exc), end="")
        raise ExitSilently(2) from None
    now = ctx.now()
    rng = random.Random(round(now * 1000))  # os.MkdirTemp's random names, from the simulated clock
    live_dir, merged_dir = f"/tmp/LIVE-{rng.getrandbits(32)}", f"/tmp/MERGED-{rng.getrandbits(32)}"
    changed = False
    for name in sorted(files):
        live_text, merged_text = files[name]
        left, right = f"{live_dir}/{name}", f"{merged_dir}/{name}"
        text = unified_diff(live_text, merged_text, f"--- {left}\t{_stamp(now)}", f"+++ {right}\t{_stamp(now)}")
        if text:
            changed = True
            ctx.print(f"diff -u -N {left} {right}\n" + text, end="")
    if changed:
        raise ExitSilently(1)
    return 0
