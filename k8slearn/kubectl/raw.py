"""``kubectl get --raw PATH`` and ``kubectl create --raw PATH -f FILE``: one request to an API server
path, the response body printed as it comes.

The health endpoints (``/healthz``, ``/livez``, ``/readyz``) answer ``ok``, every check with ``?verbose``,
and one check at its own path (``/readyz/etcd``): the API server's answer (its ``healthz.py``); a
failed check is the 500 kubectl prints as ``Error from server (InternalError): an error on the server
("[+]ping ok\\n...") has prevented the request from succeeding``. ``/version`` the server's
version as indented JSON; the discovery paths (``/api``, ``/api/v1``, ``/apis``, ``/apis/apps``,
``/apis/apps/v1``) their documents (:mod:`k8slearn.api.discovery`); a resource path
(``/api/v1/namespaces/default/pods``, ``/apis/apps/v1/namespaces/default/deployments/web``) one
object or a list, as compact JSON with the serializer's newline. A path the server does not serve is its 404.

``create --raw`` POSTs the file (``-`` is stdin) as it is, JSON only (it goes as
``application/json``): to a collection (``/api/v1/namespaces/default/configmaps``) it creates the
object and prints it; to ``/api/v1/namespaces/<ns>/pods/<name>/eviction`` it evicts the pod as
``kubectl drain`` does, and prints the server's Status::

    {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}

A collection path with ``?watch=1`` (or ``true``) is a watch: one compact JSON event per line,
``{"type":"ADDED","object":{...}}``, from ``resourceVersion`` on (without one, or ``0``, the current
objects as ``ADDED`` first), narrowed by ``labelSelector`` and ``fieldSelector``; the simulated cluster
runs while it prints, until nothing more changes (``kubectl get -w``'s Ctrl-C). A resourceVersion the
server no longer has (``too old resource version: 1 (95)``, 410 Expired) or does not have yet (504)
is not an error of the request: the watch cache answers it as a last ``ERROR`` event with the
Status, and kubectl exits 0, as upstream's cacher does (newErrWatcher).

A GET of an object's ``/status`` (or a pod's ``/ephemeralcontainers``) answers the whole object, of
``/scale`` its Scale; a pod's ``/binding`` and ``/eviction`` are served for POST only, so a GET of
them, like a POST to one object's path, is the 405 kubectl prints as ``Error from server
(MethodNotAllowed): the server does not allow this method on the requested resource``.

A GET of ``pods/<name>/log`` is the container's log as plain text, as ``kubectl logs`` reads it
(``?container=``, ``previous``, ``timestamps``, ``tailLines``, ``sinceSeconds``, ``sinceTime``,
``limitBytes``); ``exec``, ``attach`` and ``portforward`` only upgrade to a stream, so a plain GET
of them, once the pod and container check out, is ``Error from server (BadRequest): Upgrade
request required``.

Simplified: the JSON's keys come in the simulation's order, not the Go struct order; no query
parameters but the health endpoints' (``?verbose``, ``?exclude=``), ``labelSelector`` and
``fieldSelector`` (a list's or a watch's), a watch's ``resourceVersion`` and a log's; ``limit``
and ``continue`` are not read (a list comes whole); of the POSTs to a subresource only
``pods/<name>/eviction``; a body is not checked against the kind the path expects.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/get/get.go (RawGet), staging/src/k8s.io/kubectl/pkg/cmd/create/create.go
(ValidateArgs, RunCreate), staging/src/k8s.io/kubectl/pkg/rawhttp/raw.go (RawPost), staging/src/k8s.io/apiserver/pkg/server
(the version handler), staging/src/k8s.io/client-go/rest/request.go (newUnstructuredResponseError),
the REST paths of staging/src/k8s.io/apiserver/pkg/endpoints/installer.go,
staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go (transformDecodeError, summarizeData),
staging/src/k8s.io/apiserver/pkg/endpoints/handlers/watch.go (serveWatch: one metav1.WatchEvent per line),
staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go (Watch: newErrWatcher),
pkg/registry/core/pod/rest/log.go (LogREST.Get), pkg/apis/core/validation/validation.go (ValidatePodLogOptions)
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn
from urllib.parse import parse_qs, urlsplit

from k8slearn.api import discovery, field
from k8slearn.api.errors import ApiError, bad_request, status_error
from k8slearn.api.field import go_quote
from k8slearn.api.resources import ResourceInfo
from k8slearn.kubectl.errors import KubectlError, errno_text
from k8slearn.kubectl.log_options import LogOptions, parse_rfc3339, read_log, shape
from k8slearn.kubectl.watch import run_cluster_while_watching

NOT_FOUND = "the server could not find the requested resource"


GET_SUBRESOURCES = ("status", "scale", "ephemeralcontainers")  # (the server 404s a kind that has none)
POD_POST_SUBRESOURCES = ("binding", "eviction")  # a pod's routes for POST only: a GET of them is a 405
POD_CONNECT_SUBRESOURCES = ("log", "exec", "attach", "portforward")  # answered by the pod's kubelet


def _pod_connect(cluster: Any, namespace: str, name: str, subresource: str, query: dict[str, str]) -> str:
    """A GET of a pod's connect subresource. ``log``: the container's log as the kubelet reads it
    (``?container=``, ``previous``, ``timestamps``, ``tailLines``, ``sinceSeconds``, ``limitBytes``);
    a pod not yet on a node has an empty log. ``exec``, ``attach`` and ``portforward`` pass the same
    checks (LogLocation, streamLocation), then the 400 of a request that does not upgrade to a stream."""
    if cluster is None or not hasattr(cluster, "connect_location"):
        raise KubectlError(f"a GET of pods/{subresource} is not available without a simulated cluster")
    if subresource != "log":
        cluster.connect_location(namespace, name, subresource, query.get("container", ""))
        raise bad_request("Upgrade request required")  # (proxy.UpgradeAwareHandler, UpgradeRequired)
    options = _log_options(name, query, cluster.now)
    node, container = cluster.connect_location(namespace, name, "log", query.get("container", ""))
    if not node:
        return ""
    text, whole = read_log(cluster, namespace, name, container, _go_bool(query.get("previous")))
    return shape(text, options, cluster.now) if whole else text


def _log_options(name: str, query: dict[str, str], now: float) -> LogOptions:
    """The PodLogOptions a query decodes to (integers as strconv.ParseInt reads them: a bad one is
    a 400), checked as ValidatePodLogOptions does (a 422 naming the field)."""
    numbers = {}
    for key in ("tailLines", "sinceSeconds", "limitBytes"):
        if key in query:
            if not re.fullmatch(r"[+-]?[0-9]+", query[key]):
                raise bad_request(f"strconv.ParseInt: parsing {go_quote(query[key])}: invalid syntax")
            numbers[key] = int(query[key])
    errors = []
    if numbers.get("tailLines", 0) < 0:
        errors.append(field.invalid("tailLines", numbers["tailLines"], "must be greater than or equal to 0"))
    if numbers.get("limitBytes", 1) < 1:
        errors.append(field.invalid("limitBytes", numbers["limitBytes"], "must be greater than 0"))
    if "sinceSeconds" in numbers and "sinceTime" in query:
        errors.append(field.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"))
    elif numbers.get("sinceSeconds", 1) < 1:
        errors.append(field.invalid("sinceSeconds", numbers["sinceSeconds"], "must be greater than 0"))
    if errors:  # (errors.NewInvalid(api.Kind("PodLogOptions"), name, errs))
        raise status_error(422, "Invalid", f'PodLogOptions "{name}" is invalid: {field.aggregate(errors)}',
                           {"name": name, "kind": "PodLogOptions", "causes": [e.cause() for e in errors]})
    since = now - numbers["sinceSeconds"] if "sinceSeconds" in numbers else None
    if "sinceTime" in query:
        try:
            since = parse_rfc3339(query["sinceTime"])
        except ValueError as err:
            raise bad_request(str(err)) from None
    return LogOptions(timestamps=_go_bool(query.get("timestamps")), since=since,
                      limit_bytes=numbers.get("limitBytes", 0), tail=numbers.get("tailLines", -1))


def _go_bool(value: str | None) -> bool:
    """A boolean query parameter as the parameter codec reads it (Convert_Slice_string_To_bool):
    absent, ``false`` or ``0`` is false; any other value, even empty, is true."""
    return value is not None and value.lower() not in ("false", "0")


def raw_get(client, path: str, server_version: dict, cluster: Any = None) -> str:
    """The body the API server answers a GET of ``path`` with; ApiError 404 if it serves none.
    ``cluster`` serves the pods' connect subresources (``log``, ``exec``...)."""
    parts = [p for p in urlsplit(path).path.split("/") if p]
    if parts[:1] in (["healthz"], ["livez"], ["readyz"]):  # (served by the API server's healthz handlers)
        code, body = client.health(path)
        if code != 200:
            raise generic_server_response(code, body)
        return body
    if parts == ["version"]:
        return json.dumps(server_version, indent=2)
    document = _discovery(client, parts)
    if document is not None:
        return _compact(document)
    info, namespace, rest = _resource_path(parts)
    if info.namespaced and namespace is None and len(rest) > 1:  # (no such route: /api/v1/pods/<name>)
        _not_found()
    if len(rest) == 3 and info.plural == "pods" and rest[2] in POD_CONNECT_SUBRESOURCES:
        return _pod_connect(cluster, namespace, rest[1], rest[2], _query(path, keep_blank=True))
    post_only = len(rest) == 3 and info.plural == "pods" and rest[2] in POD_POST_SUBRESOURCES
    if len(rest) > 3 or (len(rest) == 3 and rest[2] not in GET_SUBRESOURCES and not post_only):
        _not_found()
    if post_only:
        _method_not_allowed()
    if len(rest) >= 2:  # (GET .../status answers the whole object; .../scale the Scale)
        subresource = rest[2] if len(rest) == 3 else ""
        body = dict(client.get(info.request_name, rest[1], namespace, subresource=subresource))
    else:
        query = _query(path)
        items, version = client.list_with_version(info.request_name, namespace,
                                                  label_selector=query.get("labelSelector") or None,
                                                  field_selector=query.get("fieldSelector") or None)
        meta = {"resourceVersion": version} if version else {}  # (a computed list has no version)
        body = {"kind": f"{info.kind}List", "apiVersion": info.api_version, "metadata": meta,
                "items": [dict(i) for i in items]}
    return _compact(body)


def _resource_path(parts: list[str]) -> tuple[ResourceInfo, str | None, list[str]]:
    """A REST path's resource, namespace and what follows (``[plural]``, ``[plural, name]``,
    ``[plural, name, subresource]``); the server's 404 for a resource it does not serve."""
    if parts[:2] == ["api", "v1"]:
        group, rest = "", parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group, rest = parts[1], parts[3:]
    else:
        _not_found()
    namespace = None
    if len(rest) >= 2 and rest[0] == "namespaces" and len(rest) != 2:
        namespace, rest = rest[1], rest[2:]
    info = next((r for r in discovery.served() if r.plural == (rest[0] if rest else "") and r.group == group), None)
    if info is None or (namespace is not None and not info.namespaced):
        _not_found()
    return info, namespace, rest


def raw_post(client, path: str, body: str) -> str:
    """The body the API server answers a POST of ``body`` to ``path`` with (the created object, or
    an eviction's Status); its error Status as an ApiError."""
    info, namespace, rest = _resource_path([p for p in urlsplit(path).path.split("/") if p])
    if info.namespaced and namespace is None and len(rest) > 1:  # (no such route: /api/v1/pods/<name>)
        _not_found()
    if len(rest) == 3 and info.plural == "pods" and rest[2] == "eviction":
        return _compact(client.evict(rest[1], namespace, decode_body(body, "Eviction")))
    if len(rest) == 2 and not info.computed:  # (an object's route: GET, PUT, PATCH, DELETE, no POST)
        _method_not_allowed()
    if len(rest) != 1 or (info.namespaced and namespace is None) or info.storage_of:
        raise KubectlError(f"a POST to {urlsplit(path).path} is not available in this simulated cluster")
    return _compact(client.create(decode_body(body, info.kind), namespace, resource=info.plural))


def decode_body(body: str, kind: str) -> dict:
    """What the server's JSON decoder makes of a request body; a body it cannot read is a 400 with
    transformDecodeError's text (a YAML file, say: the body goes as ``application/json``)."""
    try:
        obj = json.loads(body)
    except json.JSONDecodeError as err:
        problem = f"couldn't get version/kind; json parse error: {_go_json_error(err)}"
    else:
        if isinstance(obj, dict):
            return obj
        problem = ("couldn't get version/kind; json parse error: json: cannot unmarshal "
                   f"{_JSON_TYPES[type(obj)]} into Go value of type struct {{ APIVersion string "
                   '"json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }')
    raise bad_request(f"the object provided is unrecognized (must be of type {kind}): {problem} "
                      f"({_summarize_data(body.encode(), 30)})")


_JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "bool", type(None): "null"}


def _go_json_error(err: json.JSONDecodeError) -> str:
    """encoding/json's SyntaxError text for what Python's decoder stopped at."""
    text, pos, msg = err.doc, err.pos, err.msg
    if pos >= len(text) or msg.startswith("Unterminated string"):
        return "unexpected end of JSON input"
    char = text[pos]
    context = {"Expecting property name enclosed in double quotes": "looking for beginning of object key string",
               "Expecting ':' delimiter": "after object key",
               "Extra data": "after top-level value"}.get(msg, "looking for beginning of value")
    if msg == "Expecting ',' delimiter":
        opener = max(text.rfind("{", 0, pos), text.rfind("[", 0, pos))
        context = "after object key:value pair" if opener >= 0 and text[opener] == "{" else "after array element"
    return f"invalid character {_go_quote_char(char)} {context}"


def _go_quote_char(char: str) -> str:
    """quoteChar of encoding/json: ``'a'``, with a quote escaped."""
    return "'\\''" if char == "'" else f"'{char}'"


def _summarize_data(data: bytes, max_length: int) -> str:
    """summarizeData: a JSON-looking body as text, anything else in hex; at most ``max_length`` bytes."""
    if not data:
        return "<empty>"
    head = data[:max_length]
    shown = head.decode("utf-8", "replace") if data[:1] == b"{" else head.hex()
    return shown + " ..." if len(data) > max_length else shown


def run_raw_create(ctx) -> int:
    """CreateOptions.ValidateArgs for --raw, then RunCreate's RawPost: the response body on stdout."""
    flags, path = ctx.flags, ctx.flags["raw"]
    filenames = flags.get("filename") or []
    for failed, message in ((flags.get("edit"), "--raw and --edit are mutually exclusive"),
                            (len(filenames) != 1, "--raw can only use a single local file or stdin"),
                            (filenames and filenames[0].startswith(("http://", "https://")),
                             "--raw cannot read from a url"),
                            (flags.get("recursive"), "--raw and --recursive are mutually exclusive"),
                            (flags.get("selector"), "--raw and --selector (-l) are mutually exclusive"),
                            (flags.get("output"), "--raw and --output are mutually exclusive"),
                            (not path.startswith("/"),
                             f'--raw must be a valid URL path: parse "{path}": invalid URI for request')):
        if failed:
            raise KubectlError(message)
    ctx.print(raw_post(ctx.client, path, _read_body(ctx, filenames[0])), end="")
    return 0


def _read_body(ctx, filename: str) -> str:
    """The request body: stdin for ``-``, else the file (os.Open's error as Go prints it)."""
    if filename == "-":
        return ctx.stdin or ""
    try:
        with open(filename, encoding="utf-8") as handle:
            return handle.read()
    except OSError as err:
        raise KubectlError(f"open {filename}: {errno_text(err)}") from None


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


def _not_found() -> NoReturn:
    raise status_error(404, "NotFound", NOT_FOUND, {})


def _method_not_allowed() -> NoReturn:
    """The 405 of a path served, but not for this method (a POST to one object, a GET of
    ``pods/<name>/binding``): kubectl words it as errors.NewGenericServerResponse does; a raw
    request names no resource, so no ``(get pods web)`` follows."""
    raise status_error(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {})


MAX_UNSTRUCTURED_RESPONSE_TEXT_BYTES = 2048  # client-go's maxUnstructuredResponseTextBytes


def generic_server_response(code: int, body: str) -> ApiError:
    """The error client-go makes of a failed response whose body is plain text, not a Status
    (newUnstructuredResponseError, then errors.NewGenericServerResponse): the body, trimmed and cut
    at 2048 bytes, is quoted into a 500's message; a 404's message is a fixed sentence.

    >>> print(generic_server_response(500, "[-]etcd failed\\nreadyz check failed\\n"))
    an error on the server ("[-]etcd failed\\nreadyz check failed") has prevented the request from succeeding
    """
    if code == 404:
        return status_error(404, "NotFound", NOT_FOUND, {})
    text = body.encode()[:MAX_UNSTRUCTURED_RESPONSE_TEXT_BYTES].decode("utf-8", "replace").strip()
    if code == 500:
        message = f"an error on the server ({go_quote(text)}) has prevented the request from succeeding"
        return status_error(500, "InternalError", message)
    return status_error(code, "", f"the server responded with the status code {code} but did not return "
                                  "more information")


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
    if _is_watch(path) and _is_collection(path):
        return run_raw_watch(ctx, path)
    ctx.print(raw_get(ctx.client, path, server_version, ctx.cluster), end="")
    return 0


def _is_watch(path: str) -> bool:
    """Does the query ask for a watch (``?watch=1``, ``?watch=true``)? The server's decoder reads
    ``watch`` as a Go bool (strconv.ParseBool); kubectl itself sends ``watch=true``."""
    return _query(path).get("watch", "") in ("1", "t", "T", "TRUE", "true", "True")


def _query(path: str, keep_blank: bool = False) -> dict[str, str]:
    """The query parameters of ``path``, the first value of each (``labelSelector=app%3Dweb``);
    ``keep_blank``: ``?previous=`` too, with the value ``""``."""
    return {key: values[0] for key, values in parse_qs(urlsplit(path).query, keep_blank_values=keep_blank).items()}


def _is_collection(path: str) -> bool:
    """Is ``path`` a resource collection (``/api/v1/namespaces/default/pods``)? Only a list
    watches: a GET of one object ignores ``?watch`` (handlers/get.go GetResource)."""
    try:
        _, _, rest = _resource_path([p for p in urlsplit(path).path.split("/") if p])
    except ApiError:
        return False  # (raw_get answers the 404 of a path nobody serves)
    return len(rest) == 1


def run_raw_watch(ctx, path: str) -> int:
    """GET of a collection with ``?watch=1``: each watch event as the server streams it, one compact
    ``metav1.WatchEvent`` per line, while the simulated cluster runs (``kubectl get -w``'s way to
    end: when nothing more changes). An expired or future resourceVersion is the watch's one
    ``ERROR`` event (the cacher's newErrWatcher), not a failed request."""
    info, namespace, _ = _resource_path([p for p in urlsplit(path).path.split("/") if p])
    query = _query(path)

    def on_event(event_type: str, obj: dict) -> None:
        ctx.print(_compact({"type": event_type, "object": obj}), end="")

    try:
        watch = ctx.client.watch(info.request_name, namespace, resource_version=query.get("resourceVersion"),
                                 label_selector=query.get("labelSelector") or None,
                                 field_selector=query.get("fieldSelector") or None, handler=on_event)
    except ApiError as err:
        if err.code not in (410, 504):  # (a bad selector, a bad resourceVersion: the request fails)
            raise
        ctx.print(_compact({"type": "ERROR", "object": err.status}), end="")
        return 0
    try:
        run_cluster_while_watching(ctx)
    finally:
        watch.stop()
    return 0
