"""The files a simulated container has, as far as the simulation knows them.

A path of a container is looked up in the container's own writable layer first (what its
programs and execs wrote or removed), then in the kubelet's files (/etc/hosts, /etc/resolv.conf,
/etc/hostname), then in the image. A directory lists its names only when the simulation knows
all of them (an image's root, nginx's default site, /tmp):

>>> from k8slearn.kubelet.exec_context import ExecContext
>>> ctx = ExecContext("nginx", files={"/tmp/ready": "ok\\n"}, etc={"/etc/hostname": "web\\n"})
>>> lookup("/tmp/ready", ctx), lookup("/etc/hostname", ctx), lookup("/nope", ctx)
('ok\\n', 'web\\n', None)
>>> listing("/usr/share/nginx/html", ctx), listing("/etc", ctx)
(['50x.html', 'index.html'], None)

Simplified: text files only, no permissions, owners, sizes or times; of the images' files, only
the root directories, the default web sites and a few system files are known.

Upstream: none (the images' file systems: BusyBox, Alpine, Debian bookworm as nginx ships it)
"""

from __future__ import annotations

from typing import Any

from k8slearn.kubelet.servers import SITE_FILES

DIR = ("dir",)  # the value of a directory in ExecContext.files (a file's value is its text, or True)
_DEBIAN_ROOT = ["bin", "boot", "dev", "docker-entrypoint.d", "docker-entrypoint.sh", "etc", "home", "lib", "lib64",
                "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var"]
ROOT_LISTING = {
    "busybox": ["bin", "dev", "etc", "home", "lib", "lib64", "proc", "root", "sys", "tmp", "usr", "var"],
    "alpine": ["bin", "dev", "etc", "home", "lib", "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv",
               "sys", "tmp", "usr", "var"],
    "nginx": _DEBIAN_ROOT,
}
IMAGE_DIRS = {"/", "/etc", "/tmp", "/bin", "/usr", "/var", "/root", "/home", "/proc", "/dev"}
IMAGE_FILES = {"/etc/passwd", "/bin/sh", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname"}
IMAGE_EXTRA = {
    "nginx": {"/usr/share/nginx/html": DIR, "/usr/share/nginx/html/index.html": SITE_FILES[
        "/usr/share/nginx/html/index.html"], "/usr/share/nginx/html/50x.html": True, "/etc/nginx": DIR,
        "/etc/nginx/nginx.conf": True, "/etc/nginx/conf.d": DIR, "/etc/nginx/conf.d/default.conf": True},
    "httpd": {"/usr/local/apache2/htdocs": DIR, "/usr/local/apache2/htdocs/index.html": SITE_FILES[
        "/usr/local/apache2/htdocs/index.html"]},
}
LISTED_DIRS = {"/tmp", "/usr/share/nginx/html", "/etc/nginx/conf.d", "/usr/local/apache2/htdocs"}


def lookup(path: str, ctx: Any):
    """A path's entry: its text (or True when the text is unknown), DIR, or None when missing."""
    if path in ctx.files:
        value = ctx.files[path]
        return None if value is False else value
    if path in ctx.etc:
        return ctx.etc[path]
    extra = IMAGE_EXTRA.get(ctx.image, {})
    if path in extra:
        return extra[path]
    if path in IMAGE_DIRS:
        return DIR
    return True if path in IMAGE_FILES else None


def listing(path: str, ctx: Any) -> list[str] | None:
    """The names in a directory, or None when the simulation does not know them all."""
    if path == "/":
        names = ROOT_LISTING.get(ctx.image)
        return None if names is None else sorted(set(names) | set(_children("/", ctx)))
    if path not in LISTED_DIRS:
        return None
    return sorted(_children(path, ctx))


def _children(path: str, ctx: Any) -> set[str]:
    prefix = path.rstrip("/") + "/"
    known = {**IMAGE_EXTRA.get(ctx.image, {}), **ctx.files}
    return {p[len(prefix):] for p, v in known.items()
            if p.startswith(prefix) and "/" not in p[len(prefix):] and v is not False}
