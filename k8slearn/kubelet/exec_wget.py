"""BusyBox's ``wget`` inside a simulated container: HTTP to the servers of the pod's network namespace.

``wget -qO- http://localhost`` from any container of a pod reaches whatever program of the pod
listens on port 80 (:mod:`k8slearn.kubelet.servers`): the containers share one network
namespace. Names resolve through the pod's /etc/hosts first (``localhost``, the pod's own
hostname, ``hostAliases``):

>>> from k8slearn.kubelet.exec_context import ExecContext
>>> from k8slearn.kubelet.servers import Server
>>> ctx = ExecContext("busybox", files={}, hostname="web", pod_ip="10.244.1.5",
...                   connect=lambda port: (Server(80, "nginx"), 3.0, None) if port == 80 else None)
>>> code, out, err = wget(["-qO-", "http://web/"], "", ctx)
>>> code, out.splitlines()[3], err
(0, '<title>Welcome to nginx!</title>', '')
>>> wget(["-q", "-O-", "http://localhost:8080"], "", ctx)
(1, '', "wget: can't connect to remote host (127.0.0.1): Connection refused\\n")

Another pod's IP is reached over the pod network, on any node. Simplified: plain http:// only, no
progress meter, no redirects; names the pod's /etc/hosts does not know need cluster DNS, and
Service IPs kube-proxy, which the simulation does not have yet: ``kubectl exec`` says so, and so
does a container's own program (the line is in its log, and wget fails with exit code 1); an exec
probe stays silent and succeeds.

Upstream: none in Kubernetes: BusyBox 1.36 networking/wget.c
"""

from __future__ import annotations

import re

from k8slearn.kubelet.exec_context import ExecContext, not_simulated
from k8slearn.kubelet.servers import page

NO_ROUTE, OUTSIDE = "no route", "outside the pod network"  # the pod network's answers (network.pod_network)

_REASONS = {200: "OK", 404: "Not Found", 500: "Internal Server Error"}


def wget(args: list[str], stdin: str, ctx: ExecContext) -> tuple[int, str, str]:
    """BusyBox wget: ``-q`` quiet, ``-O FILE`` (``-`` for stdout), plain http:// URLs."""
    quiet, output, urls, i = False, None, [], 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-") and not arg.startswith("--") and len(arg) > 1:
            for j, flag in enumerate(arg[1:]):
                if flag == "q":
                    quiet = True
                elif flag in "OT":
                    value = arg[j + 2:] or (args[i + 1] if i + 1 < len(args) else "")
                    if not arg[j + 2:]:
                        i += 1
                    if flag == "O":
                        output = value
                    break
        elif not arg.startswith("--"):
            urls.append(arg)
        i += 1
    if not urls:
        return 1, "", "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n"
    url = urls[0]
    if url.startswith("https://"):
        return not_simulated("HTTPS") if ctx.interactive else (0, "", "")
    rest = url.removeprefix("http://")
    hostport, _, path = rest.partition("/")
    host, _, port_text = hostport.partition(":")
    port = int(port_text) if port_text.isdigit() else 80
    ip = _resolve(host, ctx)
    if ip is None:
        return not_simulated(f"looking up '{host}' (cluster DNS)") if ctx.interactive else (0, "", "")
    if ip in ("127.0.0.1", ctx.pod_ip):
        found = ctx.connect(port) if ctx.connect is not None else None
    else:  # another pod, over the pod network
        found = ctx.reach(ip, port) if ctx.reach is not None else OUTSIDE
        if found == OUTSIDE:
            what = f"a connection to {ip}:{port}, outside the pod network (no kube-proxy, nodes or internet)"
            return not_simulated(what) if ctx.interactive else (0, "", "")
    err = "" if quiet else f"Connecting to {host} ({ip}:{port})\n"
    if found == NO_ROUTE:
        return 1, "", err + f"wget: can't connect to remote host ({ip}): No route to host\n"
    if found is None:
        return 1, "", err + f"wget: can't connect to remote host ({ip}): Connection refused\n"
    server, uptime, files = found
    answer = server.get("/" + path, uptime, ctx.hostname, files)
    if answer is None:
        return 1, "", err + "wget: error getting response: Connection reset by peer\n"
    status, _ = answer
    if not 200 <= status < 300:
        return 1, "", err + f"wget: server returned error: HTTP/1.1 {status} {_REASONS.get(status, '')}\n"
    body = page(server, "/" + path, uptime, ctx.hostname, files)
    if body is None:
        return not_simulated(f"the page at {url}") if ctx.interactive else (0, "", "")
    if output in ("-", "/dev/stdout"):
        return 0, body, err + ("" if quiet else "writing to stdout\nwritten to stdout\n")
    name = output or (path.rsplit("/", 1)[-1] or "index.html")
    ctx.files[name if name.startswith("/") else "/" + name] = body
    return 0, "", err + ("" if quiet else f"saving to '{name}'\n'{name}' saved\n")


def _resolve(host: str, ctx: ExecContext) -> str | None:
    """The IP a name has in the pod's /etc/hosts (the resolver reads it before asking DNS)."""
    if host in ("localhost", "127.0.0.1"):
        return "127.0.0.1"
    if host in (ctx.hostname, ctx.fqdn) and host:
        return ctx.pod_ip
    if host in ctx.aliases:
        return ctx.aliases[host]
    return host if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", host) else None
