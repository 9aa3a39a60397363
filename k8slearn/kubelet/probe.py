"""Running one probe against a container: ``exec``, ``httpGet``, ``tcpSocket`` or ``grpc``.

The kubelet's prober turns a probe spec into one check and reads its outcome as a result
(``success``, ``failure``, ``unknown``) and an output, the text a failure event shows:

- **exec**: ExecSync in the container; exit code 0 is success, anything else failure with the
  command's output (``cat: can't open '/tmp/healthy': No such file or directory``); a command
  that cannot start is an error (the probe *errored*, and its result is thrown away);
- **httpGet**: ``GET scheme://host:port/path`` from the node to the pod IP; a status from 200 to
  399 is success, any other ``HTTP probe failed with statuscode: 500``; no listener is
  ``Get "http://10.244.1.5:8080/healthz": dial tcp 10.244.1.5:8080: connect: connection refused``;
- **tcpSocket**: a TCP connect; success if something listens;
- **grpc**: the gRPC health protocol (``grpc.health.v1.Health/Check``); etcd serves it, so the
  documentation's ``etcd-with-grpc`` passes; a port nothing listens on, or a server that speaks
  no gRPC, fails with ``timeout: failed to connect service "10.244.1.5:2379" within 1s: context
  deadline exceeded``.

A named port is looked up in the container's ``ports``; a name that is not there is read as a
number, and fails as Go's ``strconv.Atoi`` does:

>>> extract_port("http", {"ports": [{"name": "http", "containerPort": 8080}]})
8080
>>> extract_port("web", {"ports": []})
Traceback (most recent call last):
...
k8slearn.kubelet.probe.ProbeError: strconv.Atoi: parsing "web": invalid syntax

Simplified: probes are instant (``timeoutSeconds`` never runs out); the node reaches only its own
pod's IP (a probe ``host`` naming another address is refused); no redirects or HTTP headers.

Upstream: pkg/kubelet/prober/prober.go (runProbe, extractPort), pkg/probe/exec/exec.go,
pkg/probe/http/http.go (DoHTTPProbe), pkg/probe/tcp/tcp.go, pkg/probe/grpc/grpc.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.meta import go_duration
from k8slearn.kubelet.container_fs import web_files
from k8slearn.kubelet.servers import GRPC_HEALTH

SUCCESS, FAILURE, UNKNOWN = "success", "failure", "unknown"


class ProbeError(Exception):
    """The probe could not be run (an error, not a failure): its result is thrown away."""


def extract_port(port: Any, container: dict) -> int:
    """The port number of ``httpGet``/``tcpSocket``/``grpc`` ``port`` (a number or a port name)."""
    if isinstance(port, str):
        found = next((p.get("containerPort") for p in container.get("ports") or [] if p.get("name") == port), None)
        if found is None:
            if not port.lstrip("+-").isdigit():
                raise ProbeError(f'strconv.Atoi: parsing "{port}": invalid syntax')
            found = int(port)
        port = found
    if not 0 < int(port) < 65536:
        raise ProbeError(f"invalid port number: {port}")
    return int(port)


def listener_on(runtime: Any, sandbox_id: str, port: int) -> tuple[Any, Any]:
    """(container, server) of the pod's running container listening on ``port``, or (None, None):
    the containers of a pod share its network namespace, so any of them may answer."""
    for container in runtime.list_containers(sandbox_id=sandbox_id, all_states=False):
        for server in container.program.servers:
            if server.port == port:
                return container, server
    return None, None


def _hostport(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def run_probe(probe: dict, container: dict, container_id: str, pod_ip: str, sandbox_id: str,
              runtime: Any, now: float, hostname: str = "") -> tuple[str, str]:
    """Run ``probe`` once; (result, output). Raises :class:`ProbeError` (or the runtime's error)
    when the probe errored."""
    if probe.get("exec") is not None:
        code, output = runtime.exec_sync(container_id, probe["exec"].get("command") or [])
        return (SUCCESS if code == 0 else FAILURE), output
    if probe.get("httpGet") is not None:
        get = probe["httpGet"]
        port = extract_port(get.get("port"), container)
        host = get.get("host") or pod_ip
        scheme = (get.get("scheme") or "HTTP").lower()
        path = get.get("path") or ""
        if path and not path.startswith("/"):
            path = "/" + path
        url = f"{scheme}://{_hostport(host, port)}{path}"
        target, server = listener_on(runtime, sandbox_id, port) if host == pod_ip else (None, None)
        if server is None:
            return FAILURE, f'Get "{url}": dial tcp {_hostport(host, port)}: connect: connection refused'
        answer = server.get(path or "/", now - target.started_at, hostname, web_files(target))
        if answer is None:
            return FAILURE, f'Get "{url}": EOF'
        if scheme == "https":
            return FAILURE, f'Get "{url}": http: server gave HTTP response to HTTPS client'
        status, body = answer
        if 200 <= status < 400:
            return SUCCESS, body
        return FAILURE, f"HTTP probe failed with statuscode: {status}"
    if probe.get("tcpSocket") is not None:
        sock = probe["tcpSocket"]
        port = extract_port(sock.get("port"), container)
        host = sock.get("host") or pod_ip
        _, server = listener_on(runtime, sandbox_id, port) if host == pod_ip else (None, None)
        if server is None:
            return FAILURE, f"dial tcp {_hostport(host, port)}: connect: connection refused"
        return SUCCESS, ""
    if probe.get("grpc") is not None:
        return _grpc_probe(probe, container, pod_ip, sandbox_id, runtime)
    return UNKNOWN, ""


def _grpc_probe(probe: dict, container: dict, pod_ip: str, sandbox_id: str, runtime: Any) -> tuple[str, str]:
    """grpcProber.Probe: dial the pod's port (blocking, for ``timeoutSeconds``), then call
    ``grpc.health.v1.Health/Check`` for ``grpc.service`` (default ""). A port nothing listens on,
    or a server that does not speak gRPC (the client never gets its HTTP/2 settings frame), keeps
    the dial retrying until the deadline; a gRPC server without the health service answers
    Unimplemented; one without that service name, NotFound."""
    port = extract_port(probe["grpc"].get("port"), container)
    addr = _hostport(pod_ip, port)
    _, server = listener_on(runtime, sandbox_id, port)
    if server is None or server.kind not in GRPC_HEALTH:
        timeout = go_duration(float(probe.get("timeoutSeconds", 1)))
        return FAILURE, (f'timeout: failed to connect service "{addr}" within {timeout}: '
                         "context deadline exceeded")
    serving = GRPC_HEALTH[server.kind]
    if serving is None:
        return FAILURE, ("error: this server does not implement the grpc health protocol "
                         "(grpc.health.v1.Health): unknown service grpc.health.v1.Health")
    if (probe["grpc"].get("service") or "") not in serving:  # grpc-go's health server: NotFound
        return FAILURE, "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service"
    return SUCCESS, "service healthy"
