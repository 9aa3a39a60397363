"""``kubectl patch``: a JSON, merge or strategic merge patch of objects.

It prints ``<kind>/<name> patched`` (``patched (no change)`` when nothing changed), without a dry-run
suffix as kubectl 1.32 does. ``--local`` patches the objects of the ``-f`` files in memory and sends
nothing; ``--dry-run=client`` patches the live object on the client and sends nothing.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/patch/patch.go
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.field import go_quote
from k8slearn.api.meta import thaw
from k8slearn.kubectl.apply import dry_run_mode
from k8slearn.kubectl.builder import Info, parse_args
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.edit import (
    LOCAL_SERVER_DRY_RUN,
    _no_resources_given,
    _one_or_aggregate,
    files_as_written,
    print_plain,
)
from k8slearn.kubectl.errors import KubectlError, errno_text
from k8slearn.kubectl.get import infos_for
from k8slearn.kubectl.json_patch_errors import patched_json
from k8slearn.kubectl.manifests import ManifestError

_PATCH_TYPES = ("json", "merge", "strategic")


@command("patch")
def run_patch(ctx: Context, args: list[str]) -> int:
    """patch.go: Validate, parse the patch (YAML or JSON), then per object either the server's PATCH
    (its answer printed, ``patched (no change)`` when it equals the object read) or, with ``--local``
    or ``--dry-run=client``, the patch applied here to the object (nothing sent). The objects are the
    named ones (read from the server) or the ``-f`` files' objects as written (not read from the
    server); an object's error does not stop the others."""
    from k8slearn.kubectl.manifests import load_manifests

    flags = ctx.flags
    if flags["patch"] and flags["patch-file"]:
        raise KubectlError("cannot specify --patch and --patch-file together")
    if not flags["patch"] and not flags["patch-file"]:
        raise KubectlError("must specify --patch or --patch-file containing the contents of the patch")
    mode = dry_run_mode(ctx)
    local = bool(flags.get("local"))
    if local and args:
        raise KubectlError("cannot specify --local and server resources")
    if local and mode == "server":
        raise KubectlError(LOCAL_SERVER_DRY_RUN)
    patch_type = (flags["type"] or "strategic").lower()
    if patch_type not in _PATCH_TYPES:
        raise KubectlError(f'--type must be one of [json merge strategic], not "{flags["type"]}"')
    text = flags["patch"]
    if flags["patch-file"]:
        try:
            with open(flags["patch-file"], "rb") as handle:
                text = handle.read().decode("utf-8", "replace")
        except OSError as err:  # os.ReadFile's error, as Go words it (a directory opens, then fails to read)
            step = "read" if isinstance(err, IsADirectoryError) else "open"
            raise KubectlError(f"unable to read patch file: {step} {flags['patch-file']}: {errno_text(err)}") \
                from None
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

            # (yaml.ToJSON's error quotes --patch, also when the patch came from --patch-file)
            try:
                patch = yaml.safe_load(text)
            except yaml.MarkedYAMLError as exc:  # (yaml.ToJSON: go-yaml's message)
                raise KubectlError(f"unable to parse {go_quote(flags['patch'])}: {go_yaml_error(exc, text)}") \
                    from None
            except yaml.YAMLError as exc:
                raise KubectlError(f"unable to parse {go_quote(flags['patch'])}: yaml: {exc}") from None
    if not args and not flags["filename"]:
        raise _no_resources_given(ctx)
    if flags["filename"]:
        if args:
            raise KubectlError("when paths, URLs, or stdin is provided as input, you may not specify resource "
                               "arguments as well")
        infos, errors = files_as_written(ctx, local)
    else:
        if any(t.name is None for t in parse_args(args)):
            raise KubectlError("resource(s) were provided, but no name was specified")
        infos, errors = infos_for(ctx, args)
    failures: list[Exception] = []
    for info in infos:
        if not local and mode != "client":
            try:
                result = ctx.client.patch(info.resource.plural, info.name, patch, namespace=info.namespace or None,
                                          patch_type=patch_type, dry_run=(mode == "server"),
                                          subresource=flags.get("subresource") or "")
            except ApiError as err:
                failures.append(err)
                continue
            changed = not _same_apart_from_version(info.obj, result)
        else:
            try:
                result = _patched_here(info, patch, patch_type)
            except KubectlError as err:
                failures.append(err)
                continue
            changed = result != info.obj
        print_plain(ctx, info.resource, result, "patched" if changed else "patched (no change)")
    failures += errors
    if failures:
        raise _one_or_aggregate(failures)
    if not infos:
        raise KubectlError("no objects passed to patch")
    return 0


def _patched_here(info: Info, patch: Any, patch_type: str) -> dict:
    """getPatchedJSON: the patch applied by kubectl itself (``--local``, ``--dry-run=client``), with
    the client's words for a patch that does not apply."""
    from k8slearn.api.patch import apply_patch

    if patch_type == "json":
        return _json_patch_here(info.obj, patch)
    if patch_type == "strategic" and not isinstance(patch, dict):
        raise KubectlError("invalid JSON document")  # (mergepatch.ErrBadJSONDoc)
    if patch_type == "merge" and not isinstance(patch, dict) and patch is not None:
        what = "array" if isinstance(patch, list) else "string" if isinstance(patch, str) else \
            "bool" if isinstance(patch, bool) else "number"
        raise KubectlError(f"json: cannot unmarshal {what} into Go value of type unstructured.detector")
    try:
        return apply_patch(info.obj, patch, patch_type, info.resource.kind)
    except ApiError as err:
        raise KubectlError(err.status.get("message", "")) from None


def _json_patch_here(obj: dict, operations: Any) -> dict:
    """jsonpatch.DecodePatch, then json-patch v4 applied here (json_patch_errors.patched_json):
    an operation that does not apply fails in the library's words."""
    from k8slearn.api.patch import JSONPatchError, decode_json_patch

    try:
        return patched_json(obj, decode_json_patch(operations))
    except (ApiError, JSONPatchError) as err:
        message = err.status.get("message", "") if isinstance(err, ApiError) else str(err)
        raise KubectlError(message) from None


def _same_apart_from_version(old: dict, new: dict) -> bool:
    a, b = thaw(old), thaw(new)
    for obj in (a, b):
        obj.get("metadata", {}).pop("resourceVersion", None)
        obj.get("metadata", {}).pop("generation", None)
        obj.get("metadata", {}).pop("managedFields", None)
    return a == b
