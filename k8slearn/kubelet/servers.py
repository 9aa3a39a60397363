"""What a simulated container listens on, and how it answers: the other end of a probe.

A kubelet's ``httpGet`` and ``tcpSocket`` probes connect to the pod's IP, so whether they pass
depends on the program inside: nginx answers ``GET /`` with 200 and ``GET /healthz`` with 404;
agnhost's ``liveness`` mode (the Kubernetes documentation's HTTP liveness example) answers
``/healthz`` with 200 for its first 10 seconds and 500 after; a port nothing listens on refuses
the connection. A :class:`Server` is one listening port of a program:

>>> web = Server(80, "nginx")
>>> web.get("/", uptime=3.0), web.get("/healthz", uptime=3.0)
((200, 'OK'), (404, 'Not Found'))
>>> live = Server(8080, "agnhost-liveness")
>>> live.get("/healthz", uptime=9.5), live.get("/healthz", uptime=10.5)
((200, 'ok'), (500, 'error: 10.5'))
>>> Server(6379, "redis").get("/", uptime=1.0) is None      # not HTTP: closes the connection
True

etcd (the documentation's gRPC liveness example) serves gRPC, with the ``grpc.health.v1.Health``
service a ``grpc`` probe calls (:data:`GRPC_HEALTH`), and HTTP on its client port.

Simplified: a program listens from the moment it starts; answers are instant; only the handlers
the course uses are modelled (nginx, httpd, redis, agnhost ``liveness``/``serve-hostname``,
``python -m http.server``, goproxy, etcd's client port: ``/health`` and gRPC health only); of
the pages, only the default sites' index pages and the agnhost and goproxy answers are known
(:func:`page`), e.g. nginx's welcome page, which ``kubectl exec ... -- wget -qO- http://localhost``
prints.

Upstream: none in Kubernetes (these are the workloads): nginx's default site, etcd
(server/etcdserver/api/v3rpc/grpc.go: the health server), agnhost
(kubernetes test/images/agnhost/liveness/server.go, serve-hostname), elazarl/goproxy's
non-proxy handler, Redis's cross-protocol check (it closes connections that send ``GET``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# where the static web servers look for the files they serve (nginx's default site, httpd's htdocs)
DOCUMENT_ROOTS = {"nginx": "/usr/share/nginx/html", "httpd": "/usr/local/apache2/htdocs"}
_REASONS = {200: "OK", 403: "Forbidden", 404: "Not Found"}
ETCD_HEALTH = '{"health":"true","reason":""}'  # etcd 3.5's /health of a healthy member
# path -> status for the web servers whose content is a fixed default site
_STATIC_SITES = {
    "nginx": {"/", "/index.html", "/50x.html"},
    "httpd": {"/", "/index.html"},
    "python-http": {"/"},
}


@dataclass(frozen=True, slots=True)
class Server:
    """One listening TCP port of a program, and the kind of server behind it."""

    port: int
    kind: str  # nginx, httpd, python-http, agnhost-liveness, serve-hostname, goproxy, redis, tcp

    def get(self, path: str, uptime: float, hostname: str = "", files: Callable | None = None) -> tuple[int, str] | None:
        """The answer to ``GET path`` (status, body) ``uptime`` seconds after the program started,
        or None when the server speaks no HTTP and closes the connection. ``files(root, path)`` is
        what a static web server (nginx, httpd) finds under its document root in its container's
        files ((status, text or None); :func:`k8slearn.kubelet.container_fs.served_file`)."""
        kind = self.kind
        served = files(DOCUMENT_ROOTS[kind], path) if files is not None and kind in DOCUMENT_ROOTS else None
        if served is not None:
            return served[0], _REASONS.get(served[0], "")
        if kind in _STATIC_SITES:
            return (200, "OK") if path in _STATIC_SITES[kind] else (404, "Not Found")
        if kind == "agnhost-liveness":
            if path == "/healthz":
                return (200, "ok") if uptime <= 10 else (500, f"error: {uptime:g}")
            if path == "/started":
                return 200, f"{uptime:g}s"
            return 404, "404 page not found"
        if kind == "serve-hostname":
            return 200, hostname
        if kind == "goproxy":
            return 500, "This is a proxy server. Does not respond to non-proxy requests."
        if kind == "etcd":  # its client port serves HTTP too (cmux): /health among others
            return (200, ETCD_HEALTH) if path == "/health" else (404, "404 page not found")
        return None


NGINX_WELCOME = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""
HTTPD_IT_WORKS = "<html><body><h1>It works!</h1></body></html>\n"
# the files of the default sites, as ``cat`` and a client fetching them see them
SITE_FILES = {"/usr/share/nginx/html/index.html": NGINX_WELCOME,
              "/usr/local/apache2/htdocs/index.html": HTTPD_IT_WORKS}
_PAGES = {"nginx": {"/": NGINX_WELCOME, "/index.html": NGINX_WELCOME},
          "httpd": {"/": HTTPD_IT_WORKS, "/index.html": HTTPD_IT_WORKS}}


def page(server: Server, path: str, uptime: float, hostname: str = "", files: Callable | None = None) -> str | None:
    """The body a client such as ``wget`` receives for a successful ``GET path``, or None when the
    simulation does not know it (a probe only needs the status)."""
    served = files(DOCUMENT_ROOTS[server.kind], path) if files is not None and server.kind in DOCUMENT_ROOTS else None
    if served is not None:
        return served[1]
    if server.kind in _PAGES:
        return _PAGES[server.kind].get(path)
    answer = server.get(path, uptime, hostname)
    if answer is None or server.kind in _STATIC_SITES:
        return None
    return answer[1]


# The servers that speak gRPC: kind -> the services their grpc.health.v1.Health reports SERVING
# (None: a gRPC server without the health service). etcd registers the health server with the
# empty service name SERVING (server/etcdserver/api/v3rpc/grpc.go).
GRPC_HEALTH: dict[str, frozenset | None] = {"etcd": frozenset({""})}
_LOOPBACK = {"localhost", "127.0.0.1", "[::1]", "::1"}


def etcd_servers(argv: tuple[str, ...]) -> tuple[Server, ...]:
    """The client ports etcd listens on, from ``--listen-client-urls`` (default
    ``http://localhost:2379``): gRPC (health service included) and HTTP on one port. Only those
    a probe from the node reaches (not on loopback) count; an ``https`` one is a TLS port, which a
    plain-text client cannot talk to, kept as a bare TCP listener.

    >>> etcd_servers(("etcd", "--listen-client-urls", "http://0.0.0.0:2379"))
    (Server(port=2379, kind='etcd'),)
    >>> etcd_servers(("etcd",))
    ()
    >>> etcd_servers(("etcd", "--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.2:2379"))
    (Server(port=2379, kind='tcp'),)
    """
    urls = "http://localhost:2379"
    for i, arg in enumerate(argv):
        if arg.startswith("--listen-client-urls="):
            urls = arg.split("=", 1)[1]
        elif arg == "--listen-client-urls" and i + 1 < len(argv):
            urls = argv[i + 1]
    found: dict[int, Server] = {}
    for url in urls.split(","):
        scheme, _, rest = url.strip().partition("://")
        host, _, port = rest.split("/", 1)[0].rpartition(":")
        if scheme not in ("http", "https") or not port.isdigit() or host in _LOOPBACK:
            continue
        found.setdefault(int(port), Server(int(port), "etcd" if scheme == "http" else "tcp"))
    return tuple(found.values())


def servers_for(argv: tuple[str, ...], image: str) -> tuple[Server, ...]:
    """The ports the program ``argv`` (after the image's defaults) listens on."""
    if not argv:
        return ()
    exe = argv[0].rsplit("/", 1)[-1]
    if exe == "nginx":
        return (Server(80, "nginx"),)
    if exe in ("httpd-foreground", "httpd"):
        return (Server(80, "httpd"),)
    if exe == "redis-server":
        return (Server(6379, "redis"),)
    if exe == "postgres":
        return (Server(5432, "tcp"),)
    if exe == "goproxy":
        return (Server(8080, "goproxy"),)
    if exe == "etcd":
        return etcd_servers(argv)
    if exe == "agnhost" and len(argv) > 1:
        mode = argv[1]
        if mode == "liveness":
            return (Server(8080, "agnhost-liveness"),)
        if mode == "serve-hostname":
            port = _flag(argv, "--port", 9376)
            return (Server(port, "serve-hostname"),)
    if exe in ("python", "python3") and argv[1:3] == ("-m", "http.server"):
        port = int(argv[3]) if len(argv) > 3 and argv[3].isdigit() else 8000
        return (Server(port, "python-http"),)
    return ()


def _flag(argv: tuple[str, ...], name: str, default: int) -> int:
    for i, arg in enumerate(argv):
        if arg.startswith(name + "="):
            value = arg.split("=", 1)[1]
            return int(value) if value.isdigit() else default
        if arg == name and i + 1 < len(argv) and argv[i + 1].isdigit():
            return int(argv[i + 1])
    return default
