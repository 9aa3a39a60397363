"""``kubectl get --raw PATH``: a GET of one API server path, its body printed as it comes.

The health endpoints answer ``ok`` (``/healthz``, ``/livez``, ``/readyz``); ``/version`` the server's
version as indented JSON; the discovery paths (``/api``, ``/api/v1``, ``/apis``, ``/apis/apps``,
``/apis/apps/v1``) their documents (:mod:`k8slearn.api.discovery`); a resource path
(``/api/v1/namespaces/default/pods``, ``/apis/apps/v1/namespaces/default/deployments/web``) one
object or a list, as compact JSON with the serializer's newline. A path the server does not serve is its 404.

Simplified: the JSON's keys come in the simulation's order, not the Go struct order; no
``?watch``, query parameters or subresources.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (RawGet), staging/src/k8s.io/apiserver/pkg/server
(healthz, the version handler), the REST paths of staging/src/k8s.io/apiserver/pkg/endpoints/installer.go
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from k8slearn.api import discovery
from k8slearn.api.errors import ApiError, status_error
from k8slearn.api.resources import RESOURCES
from k8slearn.kubectl.errors import KubectlError

NOT_FOUND = "the server could not find the requested resource"


def raw_get(client, path: str, server_version: dict) -> str:
    """The body the API server answers a GET of ``path`` with; ApiError 404 if it serves none."""
    parts = [p for p in urlsplit(path).path.split("/") if p]
    if parts in (["healthz"], ["livez"], ["readyz"]):
        return "ok"
    if parts == ["version"]:
        return json.dumps(server_version, indent=2)
    document = _discovery(client, parts)
    if document is not None:
        return _compact(document)
    if parts[:2] == ["api", "v1"]:
        group, rest = "", parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group, rest = parts[1], parts[3:]
    else:
        raise status_error(404, "NotFound", NOT_FOUND, {})
    namespace = None
    if len(rest) >= 2 and rest[0] == "namespaces" and len(rest) != 2:
        namespace, rest = rest[1], rest[2:]
    info = next((r for r in RESOURCES.values() if r.plural == (rest[0] if rest else "") and r.group == group), None)
    if info is None or len(rest) > 2 or (namespace is not None and not info.namespaced):
        raise status_error(404, "NotFound", NOT_FOUND, {})
    if len(rest) == 2:
        body = dict(client.get(info.plural, rest[1], namespace))
    else:
        items, version = client.list_with_version(info.plural, namespace)
        body = {"kind": f"{info.kind}List", "apiVersion": info.api_version,
                "metadata": {"resourceVersion": version}, "items": [dict(i) for i in items]}
    return _compact(body)


def _compact(body: dict) -> str:
    """The JSON serializer's output: compact, one newline after."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False) + "\n"


def _discovery(client, parts: list[str]) -> dict | None:
    """The discovery document at a path, or None when the path is not a discovery path."""
    if parts == ["api"]:
        return discovery.api_versions(_server_address(client))
    if parts == ["api", "v1"]:
        return discovery.resource_list("", "v1")
    if parts == ["apis"]:
        return discovery.group_list()
    if len(parts) == 2 and parts[0] == "apis":
        return discovery.api_group(parts[1]) or _not_found()
    if len(parts) == 3 and parts[0] == "apis":
        return discovery.resource_list(parts[1], parts[2]) or _not_found()
    return None


def _not_found():
    raise status_error(404, "NotFound", NOT_FOUND, {})


def _server_address(client) -> str:
    """Where the API server advertises itself: the address its ``kubernetes`` Endpoints name, port 6443."""
    try:
        endpoints = client.get("endpoints", "kubernetes", "default")
        ip = endpoints["subsets"][0]["addresses"][0]["ip"]
    except (ApiError, LookupError, TypeError):
        return ""
    return f"{ip}:6443"


def run_raw(ctx, path: str, args: list[str], server_version: dict) -> int:
    """GetOptions.Validate for --raw, then RawGet: the body on stdout."""
    if args:
        raise KubectlError("arguments may not be passed when --raw is specified")
    if ctx.flags.get("output"):
        raise KubectlError("--raw and --output are mutually exclusive\nSee 'kubectl get -h' for help and examples")
    if ctx.flags.get("watch") or ctx.flags.get("watch-only") or ctx.flags.get("selector"):
        raise KubectlError("--raw may not be specified with other flags that filter the server request or alter "
                           "the output")
    if not path.startswith("/"):
        raise KubectlError(f'--raw must be a valid URL path: parse "{path}": invalid URI for request')
    ctx.print(raw_get(ctx.client, path, server_version), end="")
    return 0
