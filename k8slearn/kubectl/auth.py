"""``kubectl auth whoami`` and ``kubectl auth can-i``: ask the API server about yourself.

``auth whoami`` creates a SelfSubjectReview and prints the user the API server saw:

>>> print(whoami_table({"userInfo": {"username": "kubernetes-admin", "groups": ["a", "b"]}}), end="")
ATTRIBUTE   VALUE
Username    kubernetes-admin
Groups      [a b]

``auth can-i VERB TYPE[/NAME]`` (or ``VERB /URL``) creates a SelfSubjectAccessReview and prints
``yes`` or ``no`` (exit code 1). Before asking it warns, as kubectl does, about a resource type the
server does not have, a cluster-scoped resource asked about in a namespace and a verb no API uses.

Simplified: ``can-i --list`` (a SelfSubjectRulesReview, compacted RBAC rules) is not available; the
API server models no RBAC objects (see :mod:`k8slearn.apiserver.auth_reviews`).

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/auth/whoami.go (WhoAmIOptions.Run,
printTableSelfSubjectAccessReview), staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go (CanIOptions
Complete, Validate, RunAccessCheck, resourceFor)
"""

from __future__ import annotations

import json

from k8slearn.api.resources import ResourceInfo, UnknownResourceError, lookup
from k8slearn.kubectl import tabwriter
from k8slearn.kubectl.apply import print_flags_format
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import ExitSilently, KubectlError
from k8slearn.kubectl.output import to_yaml

__all__ = ["whoami_table"]

RESOURCE_VERBS = frozenset({"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection",
                            "use", "bind", "impersonate", "*", "approve", "sign", "escalate", "attest"})
NON_RESOURCE_URL_VERBS = frozenset({"get", "put", "post", "head", "options", "delete", "patch", "*"})
# resources the server knows that discovery does not list (users and groups, for the impersonate verb)
NON_STANDARD_RESOURCE_NAMES = frozenset({"users", "groups"})


def whoami_table(status: dict) -> str:
    """printTableSelfSubjectAccessReview: ATTRIBUTE/VALUE rows for the fields that are set (Go's
    ``%v`` of a list: ``[a b]``)."""
    info = status.get("userInfo") or {}
    lines = ["ATTRIBUTE\tVALUE"]
    if info.get("username"):
        lines.append(f"Username\t{info['username']}")
    if info.get("uid"):
        lines.append(f"UID\t{info['uid']}")
    if info.get("groups"):
        lines.append(f"Groups\t[{' '.join(info['groups'])}]")
    for key in sorted(info.get("extra") or {}):
        lines.append(f"Extra: {key}\t[{' '.join(info['extra'][key])}]")
    return tabwriter.render("\n".join(lines) + "\n", **tabwriter.TABLE)


@command("auth whoami")
def run_whoami(ctx: Context, args: list[str]) -> int:
    """WhoAmIOptions.Run: create a SelfSubjectReview; print it as the table, YAML or JSON."""
    output, _ = print_flags_format(ctx)  # (PrintFlags.ToPrinter: an unknown format is refused first)
    if output not in ("", "yaml", "json"):
        raise KubectlError(f"the output format {output} is not available in this simulated cluster")
    review = ctx.client.review_self()
    if output == "yaml":
        ctx.print(to_yaml(review), end="")
    elif output == "json":  # a typed object: its fields in the Go struct's order
        ctx.print(json.dumps(review, indent=4, ensure_ascii=False))
    else:
        ctx.print(whoami_table(review["status"]), end="")
    return 0


@command("auth can-i")
def run_can_i(ctx: Context, args: list[str]) -> int:
    """NewCmdCanI's Run: Complete, Validate, then RunAccessCheck (exit code 1 for ``no``)."""
    flags = ctx.flags
    if flags["list"]:
        if args:
            raise KubectlError("list option must be specified with no arguments")
        if flags["quiet"] or flags["all-namespaces"] or flags["subresource"]:
            raise KubectlError("list option can't be specified with neither quiet, all-namespaces nor "
                               "subresource options")
        raise KubectlError("auth can-i --list is not available in this simulated cluster")
    if len(args) != 2:
        raise KubectlError("you must specify two arguments: verb resource or verb resource/resourceName.\n"
                           "See 'kubectl auth can-i -h' for help and examples.")
    verb, target = args
    spec = _validate(ctx, verb, target)
    if flags["no-headers"]:
        raise KubectlError("--no-headers cannot be set without --list specified")
    allowed = ctx.client.review_access(spec)["status"].get("allowed", False)
    if not flags["quiet"]:
        ctx.print("yes" if allowed else "no")
    if not allowed:
        raise ExitSilently(1)
    return 0


def _validate(ctx: Context, verb: str, target: str) -> dict:
    """Complete and Validate: the SelfSubjectAccessReview spec to send, after kubectl's warnings
    (a cluster-scoped resource or an unknown verb is only warned about when asking in a namespace)."""
    subresource = ctx.flags["subresource"]
    if target.startswith("/"):
        if subresource:
            raise KubectlError("--subresource can not be used with NonResourceURL")
        if verb not in NON_RESOURCE_URL_VERBS:
            _warn(ctx, f"verb '{verb}' is not a known verb")
        return {"nonResourceAttributes": {"path": target, "verb": verb}}
    resource_arg, _, name = target.partition("/")
    info = _resource_for(ctx, resource_arg)
    if not ctx.flags["all-namespaces"]:
        if info is not None and not info.namespaced:
            where = f" in group '{info.group}'" if info.group else ""
            _warn(ctx, f"resource '{info.plural}' is not namespace scoped{where}")
        if verb not in RESOURCE_VERBS:
            _warn(ctx, f"verb '{verb}' is not a known verb")
    attributes = {"namespace": "" if ctx.flags["all-namespaces"] else ctx.namespace, "verb": verb,
                  "group": info.group if info is not None else "",
                  "resource": info.plural if info is not None else resource_arg,
                  "subresource": subresource, "name": name}
    return {"resourceAttributes": {key: value for key, value in attributes.items() if value}}


def _resource_for(ctx: Context, resource_arg: str) -> ResourceInfo | None:
    """resourceFor: the resource the RESTMapper finds (short names too); ``*`` and names it does not
    know are sent as typed, with a warning unless they are users or groups."""
    if resource_arg == "*":
        return None
    try:
        return lookup(resource_arg.lower())
    except UnknownResourceError:
        resource, _, group = resource_arg.lower().partition(".")  # schema.ParseGroupResource
        if resource_arg.lower() not in NON_STANDARD_RESOURCE_NAMES:
            where = f" in group '{group}'" if group else ""
            _warn(ctx, f"the server doesn't have a resource type '{resource}'{where}")
        return None


def _warn(ctx: Context, message: str) -> None:
    """printers.WarningPrinter.Print of a message ending in a newline: ``Warning: ...``, then a blank line."""
    ctx.eprint(f"Warning: {message}\n")
