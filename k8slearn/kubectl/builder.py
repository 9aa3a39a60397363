"""Which objects a command acts on: ``TYPE NAME...``, ``TYPE/NAME``, ``a,b``, ``-l``, ``-f``.

This is cli-runtime's resource Builder, the part every kubectl verb shares. Arguments become
(resource, name) pairs: ``pods,svc web`` means ``pods/web svc/web``; a bare type lists; ``all``
expands to the workload kinds; mixing ``TYPE/NAME`` with a separate type is refused. Unknown
types fail before anything is fetched. Missing objects become per-object errors, so that the
found ones still print (ContinueOnError).

>>> [(t.resource.plural, t.name) for t in parse_args(["po,svc", "web", "db"])]
[('pods', 'web'), ('pods', 'db'), ('services', 'web'), ('services', 'db')]
>>> [(t.resource.plural, t.name) for t in parse_args(["deploy/web", "no/node-1"])]
[('deployments', 'web'), ('nodes', 'node-1')]

A short name that two served resources share maps to the first in discovery order, and kubectl
warns once about the other (``ev``: the core ``events`` and events.k8s.io's; see
:func:`short_name_warnings`):

>>> short_name_warnings(["ev"])
['short name "ev" could also match lower priority resource events.events.k8s.io']

Simplified: no URLs, no kustomize; ``-f`` reads local files and directories (``.yaml``,
``.yml``, ``.json``), ``-f -`` reads the command's stdin.

A list the server refuses (an unsupported ``--field-selector``, a label selector it cannot parse)
is reported as the Selector visitor reports it: ``Unable to find "/v1, Resource=pods" that match
label selector "a in", field selector "": unable to parse requirement: ...`` (:func:`list_selected`).

Upstream: staging/src/k8s.io/cli-runtime/pkg/resource/builder.go (ResourceTypeOrNameArgs,
normalizeMultipleResourcesArgs, splitResourceTypeName),
visitor.go (FileVisitorForSTDIN, ExpandPathsToFileVisitors), selector.go (Selector.Visit),
helper.go (EnhanceListError),
staging/src/k8s.io/apimachinery/pkg/runtime/schema/group_version.go (GroupVersionResource.String),
staging/src/k8s.io/client-go/restmapper/shortcut.go (expandResourceShortcut: the ambiguity warning)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterator

from k8slearn.api.discovery import category_members, served
from k8slearn.api.resources import ResourceInfo, by_kind, lookup
from k8slearn.kubectl.errors import KubectlError
from k8slearn.kubectl.manifests import ManifestError, iter_documents

__all__ = ["Target", "Info", "parse_args", "read_files", "mapped_files", "ALL_CATEGORY",
           "split_resource_argument", "list_selected", "enhance_list_error", "gvr_string"]

# Discovery order of the resources in the "all" category that k8slearn serves.
ALL_CATEGORY = category_members("all")


@dataclass
class Target:
    """One resource type, and one name in it (None: list by selector)."""

    resource: ResourceInfo
    name: str | None = None


@dataclass
class Info:
    """One object to act on (resource.Info): where it came from and, once fetched, the object."""

    resource: ResourceInfo
    namespace: str
    name: str
    obj: dict | None = None
    source: str = ""
    extra: dict = field(default_factory=dict)


def split_resource_argument(arg: str) -> list[str]:
    """SplitResourceArgument: ``a,b,a`` -> ``[a, b]`` (order kept, duplicates and blanks dropped)."""
    out: list[str] = []
    for part in arg.split(","):
        if part and part not in out:
            out.append(part)
    return out


def _resources(arg: str) -> list[ResourceInfo]:
    infos: list[ResourceInfo] = []
    for word in split_resource_argument(arg):
        names = ALL_CATEGORY if word == "all" else [word]
        for name in names:
            info = lookup(name)
            if info not in infos:
                infos.append(info)
    return infos


def short_name_warnings(args: list[str]) -> list[str]:
    """expandResourceShortcut's warnings for the resource words of ``args`` (``ev``, ``po,ev``,
    ``ev/NAME``): a word that is the short name of the resource it maps to and of another served
    resource of another group names that other one, once."""
    words = [w for arg in args[:1] if "/" not in arg for w in split_resource_argument(arg)]
    words += [arg.split("/", 1)[0] for arg in args if "/" in arg]
    warnings: list[str] = []
    for word in dict.fromkeys(w.lower() for w in words):
        chosen = next((info for info in served() if word in info.short_names), None)
        for other in served():
            if chosen is not None and other.group != chosen.group and word in other.short_names:
                text = f'short name "{word}" could also match lower priority resource {other.plural}.{other.group}'
                if text not in warnings:
                    warnings.append(text)
    return warnings


def parse_args(args: list[str]) -> list[Target]:
    """ResourceTypeOrNameArgs: the targets the arguments name (raises on bad forms and types)."""
    if len(args) >= 2 and len(split_resource_argument(args[0])) > 1:
        args = [f"{res}/{name}" for res in split_resource_argument(args[0]) for name in args[1:]]
    slashed = sum(1 for a in args if "/" in a)
    if slashed and slashed != len(args):
        raise KubectlError("there is no need to specify a resource type as a separate argument when passing "
                           "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
                           "instead of 'kubectl get resource resource/<resource_name>'")
    if slashed:
        targets = []
        for arg in args:
            parts = arg.split("/")
            if len(parts) != 2:
                raise KubectlError("arguments in resource/name form may not have more than one slash")
            res, name = parts
            if not res or not name or len(split_resource_argument(res)) != 1:
                raise KubectlError("arguments in resource/name form must have a single resource and name")
            targets.append(Target(_resources(res)[0], name))
        return targets
    if not args:
        return []
    infos = _resources(args[0])
    if len(args) == 1:
        return [Target(info) for info in infos]
    if "" in args[1:]:  # (visitByName, once the type is known)
        raise KubectlError("resource name may not be empty")
    return [Target(info, name) for info in infos for name in args[1:]]


# --- files -----------------------------------------------------------------------------------

_EXTENSIONS = (".json", ".yaml", ".yml")


def read_files(filenames: list[str], stdin: str, recursive: bool = False,
               validate: bool = True) -> Iterator[Any]:
    """Yield (source, object) pairs, or ManifestErrors, for each ``-f`` argument in order."""
    for name in filenames:
        if name == "-":
            yield from _documents(stdin, "STDIN", validate)
            continue
        if name.startswith(("http://", "https://")):
            yield ManifestError(f'unable to read URL "{name}": URLs are not available in this simulated cluster')
            continue
        if not os.path.exists(name):
            raise KubectlError(f'the path "{name}" does not exist')
        if os.path.isdir(name):
            files = _directory(name, recursive)
            if not files:
                raise KubectlError(f"error reading [{name}]: recognized file extensions are [.json .yaml .yml]")
            for path in files:
                yield from _read(path, validate)
        else:
            yield from _read(name, validate)


def _directory(path: str, recursive: bool) -> list[str]:
    found = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        found += [os.path.join(root, f) for f in sorted(files) if f.endswith(_EXTENSIONS)]
        if not recursive:
            break
    return found


def expanded_paths(filenames: list[str], recursive: bool = False) -> list[str]:
    """Builder.Path: each ``-f`` as the files it stands for (a directory's manifests, in order);
    stdin (``-``) and URLs as they are."""
    paths: list[str] = []
    for name in filenames:
        paths += _directory(name, recursive) if os.path.isdir(name) else [name]
    return paths


def _read(path: str, validate: bool) -> Iterator[Any]:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    yield from _documents(text, path, validate)


def _documents(text: str, source: str, validate: bool) -> Iterator[Any]:
    for item in iter_documents(text, source, validate):
        if isinstance(item, ManifestError):
            yield item
        else:
            yield source, item


def mapped_files(flags: dict, stdin: str, validate: bool = False
                 ) -> tuple[list[tuple[ResourceInfo, str, dict]], list[Exception]]:
    """The ``-f`` objects (FilenameParam's visitors), each with its resource and source, and the
    errors met on the way: a bad document is an error (a syntax error ends the reading of its own
    file, and the next file is read all the same: EagerVisitorList), as is an object whose kind
    the server does not serve."""
    found: list[tuple[ResourceInfo, str, dict]] = []
    errors: list[Exception] = []
    for item in read_files(flags["filename"], stdin, flags.get("recursive", False), validate):
        if isinstance(item, ManifestError):  # (iter_documents yields nothing more of that stream)
            errors.append(KubectlError(item.message))
            continue
        source, obj = item
        try:
            found.append((mapping_for(obj, source), source, obj))
        except KubectlError as exc:
            errors.append(exc)
    return found, errors


def mapping_for(obj: dict, source: str) -> ResourceInfo:
    """The resource of a manifest (RESTMapping), with kubectl's errors when there is none."""
    from k8slearn.api.resources import NoKindMatchError

    try:
        api_version = obj.get("apiVersion", "")
        if not isinstance(api_version, str):  # GetAPIVersion reads only a string: the kind's preferred version
            return lookup(obj.get("kind", ""))
        return by_kind(api_version, obj.get("kind", ""))
    except NoKindMatchError as exc:
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        raise KubectlError(f'resource mapping not found for name: "{meta.get("name", "")}" namespace: '
                           f'"{meta.get("namespace", "")}" from "{source}": {exc}\n'
                           f"ensure CRDs are installed first") from None


def list_selected(client: Any, resource: ResourceInfo, namespace: str | None, label_selector: str = "",
                  field_selector: str = "") -> list[dict]:
    """Selector.Visit: list ``resource`` with the selectors; a list the server refuses fails with
    :func:`enhance_list_error`'s message."""
    label_selector, field_selector = (label_selector or "").strip(), (field_selector or "").strip()
    try:
        return client.list(resource.request_name, namespace=namespace, label_selector=label_selector or None,
                           field_selector=field_selector or None)
    except Exception as exc:
        raise enhance_list_error(exc, gvr_string(resource), label_selector, field_selector) from None


def gvr_string(resource: ResourceInfo) -> str:
    """schema.GroupVersionResource.String(): ``/v1, Resource=events``, ``apps/v1, Resource=deployments``."""
    return f"{resource.group}/{resource.version}, Resource={resource.plural}"


def enhance_list_error(err: Exception, subject: str, label_selector: str, field_selector: str) -> Exception:
    """EnhanceListError: a BadRequest or NotFound answer to a list says what was listed, keeping the
    API error (so it still prints as ``Error from server (BadRequest): ...``); anything else (an
    Expired one included) is returned as it is.

    >>> from k8slearn.api.errors import ApiError
    >>> bad = ApiError({"reason": "BadRequest", "code": 400, "message": "not supported"})
    >>> print(enhance_list_error(bad, "/v1, Resource=events", "", "a=b"))
    Unable to find "/v1, Resource=events" that match label selector "", field selector "a=b": not supported
    >>> print(enhance_list_error(bad, "apps/v1, Resource=deployments", "", ""))
    Unable to list "apps/v1, Resource=deployments": not supported
    """
    from k8slearn.api.field import go_quote

    status = getattr(err, "status", None)
    if not isinstance(status, dict):
        return err
    reason, code = status.get("reason", ""), int(status.get("code", 0) or 0)
    if not (reason in ("BadRequest", "NotFound") or (not reason and code in (400, 404))):
        return err
    message = status.get("message", "")
    if not label_selector and not field_selector:
        message = f"Unable to list {go_quote(subject)}: {message}"
    else:
        message = (f"Unable to find {go_quote(subject)} that match label selector "
                   f"{go_quote(label_selector)}, field selector {go_quote(field_selector)}: {message}")
    clone: Any = type(err)({**status, "message": message})
    return clone
