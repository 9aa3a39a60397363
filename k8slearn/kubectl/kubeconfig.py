"""``kubectl config``: the kubeconfig of the simulated cluster, and the context each command uses.

A kubeadm cluster's ``admin.conf`` has one cluster (``kubernetes``, the API server's address and
its CA), one user (``kubernetes-admin``, a client certificate) and one context joining them
(``kubernetes-admin@kubernetes``). ``kubectl config set-context --current --namespace=dev`` makes
``dev`` the namespace of every later command that has no ``-n``; ``set-context`` can add contexts,
``use-context`` switch between them, ``rename-context`` rename one, and ``view``/``get-contexts``/
``get-clusters``/``get-users`` show them, with kubectl v1.32's words.

A context naming a cluster the file does not have leaves kubectl without a server, so it tries
``localhost:8080``; one naming an unknown user makes it ask for a username, and with no terminal
reading one fails (``error: EOF``).

Simplified: the kubeconfig lives in the ``Kubectl`` object of a cluster (no file, no
``--kubeconfig``, no ``KUBECONFIG`` merging); the certificates are not shown (``--raw`` and
``--flatten`` are not available), and ``set-cluster``, ``set-credentials``, ``delete-*``, ``set`` and
``unset`` are not there.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/config/*.go, staging/src/k8s.io/client-go/tools/clientcmd
"""

from __future__ import annotations

import json
from typing import Any

from k8slearn.kubectl import tabwriter
from k8slearn.kubectl.cli import CONTEXT_NAME, Context, command
from k8slearn.kubectl.errors import ExitSilently, KubectlError
from k8slearn.kubectl.output import to_yaml

__all__ = ["SERVER_URL", "KubeConfig"]

SERVER_URL = "https://control-plane:6443"
CLUSTER, USER = "kubernetes", "kubernetes-admin"
OMITTED = "DATA+OMITTED"
KUBECONFIG_PATH = "/root/.kube/config"  # where kubeadm's docs copy admin.conf ($HOME/.kube/config)
REFUSED = "The connection to the server localhost:8080 was refused - did you specify the right host or port?"


class KubeConfig:
    """The contexts (name -> cluster, user, namespace) and the current one; one cluster, one user."""

    def __init__(self) -> None:
        self.contexts: dict[str, dict[str, str]] = {CONTEXT_NAME: {"cluster": CLUSTER, "user": USER}}
        self.current = CONTEXT_NAME

    def context(self, name: str = "") -> dict[str, str] | None:
        return self.contexts.get(name or self.current)

    def as_dict(self, minify: bool = False, name: str = "") -> dict[str, Any]:
        """The v1 Config, certificates shortened as ``kubectl config view`` shortens them."""
        names = [name or self.current] if minify else sorted(self.contexts)
        keys = ("cluster", "user", "namespace")
        contexts = [{"name": n, "context": {k: self.contexts[n].get(k, "") for k in keys  # namespace: omitempty
                                            if k != "namespace" or self.contexts[n].get(k)}}
                    for n in names if n in self.contexts]
        clusters = [{"name": CLUSTER, "cluster": {"server": SERVER_URL, "certificate-authority-data": OMITTED}}]
        users = [{"name": USER, "user": {"client-certificate-data": OMITTED, "client-key-data": OMITTED}}]
        if minify:  # only what the context names (nothing named: null, as the Go nil slice prints)
            clusters = clusters if contexts[0]["context"]["cluster"] == CLUSTER else None
            users = users if contexts[0]["context"]["user"] == USER else None
        return {"kind": "Config", "apiVersion": "v1", "preferences": {}, "clusters": clusters, "users": users,
                "contexts": contexts, "current-context": names[0] if minify else self.current}


def check_context(ctx: Context) -> None:
    """What client-go's config loader says before a command reaches the server: an unknown
    ``--context``, or a context whose cluster or user the kubeconfig does not have."""
    name = ctx.flags.get("context") or ""
    config = ctx.kubectl.kubeconfig
    chosen = config.context(name)
    if chosen is None:
        ctx.eprint(f"Error in configuration: context was not found for specified context: {name}")
        raise ExitSilently(1)
    if chosen.get("cluster") != CLUSTER:
        ctx.client = _Refusing(ctx, "", REFUSED + "\n")
    elif chosen.get("user") != USER:
        ctx.client = _Refusing(ctx, "Please enter Username: ", "error: EOF\n")


class _Refusing:
    """A client that cannot reach the API server: each call prints why and ends the command."""

    def __init__(self, ctx: Context, out: str, err: str) -> None:
        self._ctx, self._out, self._err = ctx, out, err

    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            self._ctx.print(self._out, end="")
            self._ctx.eprint(self._err, end="")
            raise ExitSilently(1)

        return fail


def _config(ctx: Context) -> KubeConfig:
    return ctx.kubectl.kubeconfig


@command("config view")
def run_view(ctx: Context, args: list[str]) -> int:
    if args:
        raise KubectlError(f"unexpected arguments: [{' '.join(args)}]\nSee '{ctx.path} -h' for help and examples")
    if ctx.flags["raw"] or ctx.flags["flatten"]:
        raise KubectlError("config view --raw and --flatten are not available in this simulated cluster "
                           "(its certificates are not shown)")
    name = ctx.flags.get("context") or ""
    if ctx.flags["minify"]:  # MinifyConfig
        chosen = _config(ctx).context(name)
        if chosen is None:
            raise KubectlError(f"cannot locate context {name or _config(ctx).current}")
        if chosen.get("cluster", CLUSTER) != CLUSTER:
            raise KubectlError(f"cannot locate cluster {chosen['cluster']}")
        if chosen.get("user", USER) != USER:
            raise KubectlError(f"cannot locate user {chosen['user']}")
    config = _config(ctx).as_dict(ctx.flags["minify"], name)
    output = ctx.flags["output"]
    if output == "json":
        ctx.print(json.dumps(config, indent=4))
    elif output == "yaml":
        ctx.print(to_yaml(config), end="")
    elif output == "name":
        ctx.print("config/<unknown>")
    elif output.startswith("jsonpath="):
        from k8slearn.kubectl.jsonpath import jsonpath

        ctx.print(jsonpath(output.partition("=")[2], config), end="")
    elif output.split("=", 1)[0] in ("go-template", "go-template-file", "template", "templatefile"):
        from k8slearn.kubectl.gotemplate import print_with_template, template_source

        kind, _, value = output.partition("=")
        print_with_template(ctx, template_source(kind, ctx.flags.get("template") or value), config)
    else:
        if output.split("=", 1)[0] in ("jsonpath-as-json", "jsonpath-file"):
            raise KubectlError(f"-o {output.split('=', 1)[0]} is not available in this simulated cluster")
        raise KubectlError(f'unable to match a printer suitable for the output format "{output}", allowed '
                           'formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,'
                           'name,template,templatefile,yaml')
    return 0


@command("config get-contexts")
def run_get_contexts(ctx: Context, args: list[str]) -> int:
    config = _config(ctx)
    output = ctx.flags["output"]
    if output not in ("", "name"):
        raise KubectlError(f"--output {output} is not available in kubectl config get-contexts; "
                           "resetting to default output format")
    names = sorted(args) if args else sorted(config.contexts)
    missing = [n for n in names if n not in config.contexts]
    if output == "name":
        for name in names:
            if name in config.contexts:
                ctx.print(name)
    else:
        rows = [] if ctx.flags["no-headers"] else ["CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE"]
        for name in names:
            if name in config.contexts:
                context = config.contexts[name]
                rows.append("\t".join(["*" if name == config.current else "", name, context.get("cluster", ""),
                                       context.get("user", ""), context.get("namespace", "")]))
        ctx.print(tabwriter.render("\n".join(rows) + "\n", **tabwriter.TABLE), end="")
    if missing:
        raise KubectlError(f"context {missing[0]} not found")
    return 0


@command("config get-clusters")
def run_get_clusters(ctx: Context, args: list[str]) -> int:
    ctx.print(f"NAME\n{CLUSTER}")
    return 0


@command("config get-users")
def run_get_users(ctx: Context, args: list[str]) -> int:
    ctx.print(f"NAME\n{USER}")
    return 0


@command("config use-context")
def run_use_context(ctx: Context, args: list[str]) -> int:
    if len(args) != 1:
        from k8slearn.kubectl.helptext import help_for

        ctx.print(help_for(ctx.path), end="")
        raise KubectlError(f"Unexpected args: [{' '.join(args)}]")
    if args[0] not in _config(ctx).contexts:
        raise KubectlError(f'no context exists with the name: "{args[0]}"')
    _config(ctx).current = args[0]
    ctx.print(f'Switched to context "{args[0]}".')
    return 0


@command("config set-context")
def run_set_context(ctx: Context, args: list[str]) -> int:
    config = _config(ctx)
    if len(args) > 1 or (args and ctx.flags["current"]):
        from k8slearn.kubectl.helptext import help_for

        ctx.print(help_for(ctx.path), end="")
        raise KubectlError(f"Unexpected args: [{' '.join(args)}]")
    name = config.current if ctx.flags["current"] else (args[0] if args else "")
    if not name:
        raise KubectlError("you must specify a non-empty context name or --current")
    exists = name in config.contexts
    context = config.contexts.setdefault(name, {})
    for flag in ("cluster", "user", "namespace"):
        if flag in ctx.changed:
            context[flag] = ctx.flags[flag]
            if not context[flag]:
                del context[flag]
    ctx.print(f'Context "{name}" {"modified" if exists else "created"}.')
    return 0


@command("config rename-context")
def run_rename_context(ctx: Context, args: list[str]) -> int:
    config = _config(ctx)
    if len(args) != 2:
        raise KubectlError(f"Unexpected args: [{' '.join(args)}]")
    old, new = args
    if old not in config.contexts:
        raise KubectlError(f'cannot rename the context "{old}", it\'s not in {KUBECONFIG_PATH}')
    if new in config.contexts:
        raise KubectlError(f'cannot rename the context "{old}", the context "{new}" already exists in {KUBECONFIG_PATH}')
    config.contexts[new] = config.contexts.pop(old)
    if config.current == old:
        config.current = new
    ctx.print(f'Context "{old}" renamed to "{new}".')
    return 0
