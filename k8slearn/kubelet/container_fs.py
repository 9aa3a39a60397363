"""The files a simulated container has, as far as the simulation knows them.

A path of a container is looked up in the volumes mounted into it first (a path under a mount
is the volume's, whatever the image has there), then in the container's own writable layer (what
its programs and execs wrote or removed), then in the kubelet's files (/etc/hosts,
/etc/resolv.conf, /etc/hostname), then in the image. A directory lists its names only when the
simulation knows all of them (an image's root, nginx's default site, /tmp, a volume); like ``ls``
without ``-a``, a listing leaves out the names that start with a dot:

>>> from k8slearn.kubelet.exec_context import ExecContext
>>> ctx = ExecContext("nginx", files={"/tmp/ready": "ok\\n"}, etc={"/etc/hostname": "web\\n"})
>>> lookup("/tmp/ready", ctx), lookup("/etc/hostname", ctx), lookup("/nope", ctx)
('ok\\n', 'web\\n', None)
>>> listing("/usr/share/nginx/html", ctx), listing("/etc", ctx)
(['50x.html', 'index.html'], None)

The container's files with its mounts are a :class:`MountedFiles`: a mapping from absolute path to
entry, like the plain dict of the writable layer, that reads and writes a volume's own dict for a
path under its mount (so two containers that mount one emptyDir share its files), and refuses a
write under a read-only mount:

>>> shared = {}
>>> app = MountedFiles({}, (Mount("/data", shared),))
>>> app["/data/x"] = "hi\\n"
>>> shared, MountedFiles({}, (Mount("/cache", shared),))["/cache/x"]
({'x': 'hi\\n'}, 'hi\\n')
>>> config = MountedFiles({}, (Mount("/etc/config", {"game.properties": "lives=3\\n"}, read_only=True),))
>>> ctx = ExecContext("busybox", files=config)
>>> lookup("/etc/config/game.properties", ctx), listing("/etc/config", ctx)
('lives=3\\n', ['game.properties'])
>>> config["/etc/config/x"] = "no"
Traceback (most recent call last):
...
k8slearn.kubelet.container_fs.ReadOnlyFileSystem: /etc/config/x

The kernel's and the devices' files are there, and say that their content is not simulated,
except /dev/null (empty); so are an image's well-known /etc files (/etc/group, Debian's
/etc/os-release and /etc/shells...). What the kubelet knows of one container is in
``ExecContext.etc`` too: PID 1's /proc/1/cmdline, an image's /etc/os-release when its tag tells
the release (:func:`os_release`), and the working directory (under the key :data:`WORKDIR`):

>>> box, web = ExecContext("busybox", files={}), ExecContext("nginx", files={})
>>> lookup("/dev/null", box), lookup("/proc/version", box) is NOT_SIMULATED, lookup("/etc/group", box)
('', True, True)
>>> lookup("/etc/os-release", web), lookup("/etc/os-release", box)
(True, None)

A container with ``readOnlyRootFilesystem`` may write only under its mounts (EROFS elsewhere):

>>> root = MountedFiles({}, (Mount("/cache", {}),), readonly_rootfs=True)
>>> root["/cache/x"] = "ok"
>>> root["/x"] = "no"
Traceback (most recent call last):
...
k8slearn.kubelet.container_fs.ReadOnlyFileSystem: /x

The directories above a mount point that the image lacks (``/data`` for a volume at ``/data/demo``)
are the runtime's, and hold only what is mounted or made under them.

Simplified: text files only, no permissions, owners, sizes or times; of the images' files, only
the root directories, the default web sites and a few system files are known.

Upstream: none (the images' file systems: BusyBox, Alpine, Debian bookworm as nginx ships it)
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

from k8slearn.kubelet.servers import SITE_FILES

DIR = ("dir",)  # the value of a directory in ExecContext.files (a file's value is its text, or True)
# the value of a file that exists but whose content the simulation does not have (a service account token)
NOT_SIMULATED = ("not simulated",)
_DEBIAN_ROOT = ["bin", "boot", "dev", "docker-entrypoint.d", "docker-entrypoint.sh", "etc", "home", "lib", "lib64",
                "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var"]
ROOT_LISTING = {
    "busybox": ["bin", "dev", "etc", "home", "lib", "lib64", "proc", "root", "sys", "tmp", "usr", "var"],
    "alpine": ["bin", "dev", "etc", "home", "lib", "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv",
               "sys", "tmp", "usr", "var"],
    "nginx": _DEBIAN_ROOT,
}
IMAGE_DIRS = {"/", "/etc", "/tmp", "/bin", "/usr", "/var", "/root", "/home", "/proc", "/dev", "/sys"}
IMAGE_FILES = {"/etc/passwd", "/bin/sh", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname"}
# well-known files an image has whose content the simulation does not know (cat says so): the
# BusyBox image's /etc is buildroot's skeleton (group, passwd, shadow), nsswitch.conf and localtime;
# a Debian-based image has the usual /etc of a Debian system
ETC_FILES = {
    "busybox": frozenset({"/etc/group", "/etc/shadow", "/etc/localtime", "/etc/nsswitch.conf"}),
    "debian": frozenset({"/etc/os-release", "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/shells",
                         "/etc/debian_version", "/etc/issue", "/etc/issue.net", "/etc/nsswitch.conf", "/etc/profile",
                         "/etc/bash.bashrc", "/etc/login.defs", "/etc/host.conf", "/etc/localtime", "/etc/timezone",
                         "/etc/motd", "/etc/environment", "/etc/fstab", "/etc/gai.conf", "/etc/ld.so.conf",
                         "/etc/ld.so.cache", "/etc/mime.types", "/etc/networks", "/etc/protocols", "/etc/services",
                         "/etc/subuid", "/etc/subgid", "/etc/xattr.conf", "/etc/adduser.conf"}),
}
DEBIAN_BASED = {"nginx", "debian", "httpd", "redis", "python", "node", "perl", "postgres", "ubuntu"}
# an image's WORKDIR, where an exec starts (``pwd``) unless the container sets ``workingDir``
IMAGE_WORKDIR = {"busybox": "/", "alpine": "/", "nginx": "/", "debian": "/", "ubuntu": "/",
                 "httpd": "/usr/local/apache2", "redis": "/data"}
WORKDIR = "\0workdir"  # the key of the working directory in ExecContext.etc (a path holds no NUL)
# /etc/os-release of Debian 12 (bookworm): /usr/lib/os-release of the base-files package
DEBIAN_12_OS_RELEASE = ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n'
                        'VERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n'
                        'HOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\n'
                        'BUG_REPORT_URL="https://bugs.debian.org/"\n')
IMAGE_EXTRA = {
    "nginx": {"/usr/share/nginx/html": DIR, "/usr/share/nginx/html/index.html": SITE_FILES[
        "/usr/share/nginx/html/index.html"], "/usr/share/nginx/html/50x.html": True, "/etc/nginx": DIR,
        "/etc/nginx/nginx.conf": True, "/etc/nginx/conf.d": DIR, "/etc/nginx/conf.d/default.conf": True,
        "/docker-entrypoint.sh": True, "/docker-entrypoint.d": DIR},
    "httpd": {"/usr/local/apache2/htdocs": DIR, "/usr/local/apache2/htdocs/index.html": SITE_FILES[
        "/usr/local/apache2/htdocs/index.html"]},
}
LISTED_DIRS = {"/tmp", "/usr/share/nginx/html", "/etc/nginx/conf.d", "/usr/local/apache2/htdocs"}


def lookup(path: str, ctx: Any):
    """A path's entry: its text, True (an empty file a program made, or an image's file whose text is
    unknown), NOT_SIMULATED (a mounted file whose content is not simulated), DIR, or None when missing."""
    if path in ctx.files:
        value = ctx.files[path]
        return None if value is False else value
    if path in ctx.etc:
        return ctx.etc[path]
    extra = IMAGE_EXTRA.get(ctx.image, {})
    if path in extra:
        return extra[path]
    if path in mount_parents(ctx.files):  # (/data of a volume at /data/demo: the runtime made it)
        return DIR
    if path in IMAGE_DIRS:
        return DIR
    if path in IMAGE_FILES or path in _etc_files(ctx.image):
        return True
    if path == "/dev/null":  # reads nothing (a write is dropped)
        return ""
    if path.startswith(("/proc/", "/sys/", "/dev/")):  # the kernel's files and the devices
        return NOT_SIMULATED
    return None


def _etc_files(image: str) -> frozenset:
    return ETC_FILES["busybox"] if image == "busybox" else ETC_FILES["debian"] if image in DEBIAN_BASED else frozenset()


def os_release(image: str) -> str | None:
    """An image's /etc/os-release, where the reference tells which release it is (else None).

    >>> os_release("nginx:1.27").splitlines()[0], os_release("nginx:latest"), os_release("busybox:1.36")
    ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"', None, None)
    """
    name, _, tag = image.split("@")[0].rsplit("/", 1)[-1].partition(":")
    bookworm = {"nginx": ("1.26", "1.27"), "debian": ("12", "bookworm")}.get(name, ())
    if tag.endswith("-bookworm") and name in DEBIAN_BASED or any(
            tag == t or tag.startswith((t + ".", t + "-")) and "alpine" not in tag for t in bookworm):
        return DEBIAN_12_OS_RELEASE
    return None


def listing(path: str, ctx: Any, hidden: bool = False) -> list[str] | None:
    """The names in a directory (with ``hidden``, those starting with a dot too, such as a
    configMap volume's ``..data``), or None when the simulation does not know them all."""
    files = ctx.files
    if files.__class__ is MountedFiles and files.mount_of(path) is not None:
        names = files.volume_listing(path)
        return None if names is None else [n for n in names if hidden or not n.startswith(".")]
    if path == "/":
        names = ROOT_LISTING.get(ctx.image)
        return None if names is None else sorted(set(names) | _children("/", ctx))
    # all known: a directory the container made, or one the runtime made for a mount point under it
    if path not in LISTED_DIRS and _created(path, ctx) is not DIR and not _made_for_mounts(path, ctx):
        return None
    return sorted(n for n in _children(path, ctx) if hidden or not n.startswith("."))


def mount_parents(files: Any) -> set[str]:
    """The directories above the container's mount points (``/data`` for a volume at
    ``/data/demo``): runc makes the ones the image lacks (createIfNotExists) before it mounts."""
    if files.__class__ is not MountedFiles:
        return set()
    parents = set()
    for mount in files.mounts:
        folder = posixpath.dirname(mount.container_path.rstrip("/"))
        while folder not in ("", "/"):
            parents.add(folder)
            folder = posixpath.dirname(folder)
    return parents


def _made_for_mounts(path: str, ctx: Any) -> bool:
    """Whether ``path`` is a directory the runtime made for a mount point, where the image has
    nothing (its first part is not in the image's root, which the simulation knows)."""
    root = ROOT_LISTING.get(ctx.image)
    top = path.strip("/").split("/", 1)[0]
    return root is not None and top not in root and path.rstrip("/") in mount_parents(ctx.files)


def _created(path: str, ctx: Any) -> Any:
    """What the container's own files say of ``path`` (DIR for a directory it made), or None."""
    return ctx.files.get(path.rstrip("/") or "/")


def _children(path: str, ctx: Any) -> set[str]:
    prefix = path.rstrip("/") + "/"
    known = {**IMAGE_EXTRA.get(ctx.image, {}), **dict.fromkeys(mount_parents(ctx.files), DIR), **ctx.files}
    return {p[len(prefix):] for p, v in known.items()
            if p.startswith(prefix) and "/" not in p[len(prefix):] and v is not False}


# -- volumes mounted into the container ---------------------------------------------------------
class ReadOnlyFileSystem(OSError):
    """A write under a read-only mount (EROFS); ``str()`` is the path."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Mount:
    """One volume mounted into a container (the CRI's Mount): the volume's files (relative path ->
    entry, shared by every container that mounts the volume) at ``container_path``; with
    ``sub_path`` only that entry of the volume is mounted there. A volume that is a single file
    (a hostPath of type File) holds it under the key ``""``."""

    container_path: str
    files: dict
    read_only: bool = False
    sub_path: str = ""


class MountedFiles(MutableMapping):
    """The container's writable layer (``own``) with its volumes mounted over it. With
    ``readonly_rootfs`` (``readOnlyRootFilesystem``) only the mounts and the ``writable`` paths
    (the termination message file, which the kubelet mounts too) may be written."""

    def __init__(self, own: dict, mounts: tuple, readonly_rootfs: bool = False, writable: tuple = ()) -> None:
        self.own = own
        # the deepest mount first, so /etc/config/extra wins over /etc/config
        self.mounts = sorted(mounts, key=lambda m: -len(m.container_path))
        self.readonly_rootfs, self.writable = readonly_rootfs, ("/dev/null", *writable)

    def mount_of(self, path: str) -> tuple[Mount, str] | None:
        """(the mount that holds ``path``, the path inside the volume), or None."""
        path = path.rstrip("/") or "/"
        for mount in self.mounts:
            top = mount.container_path.rstrip("/")
            if path == top or path.startswith(top + "/"):
                rel = path[len(top) + 1:]
                if mount.sub_path:
                    rel = f"{mount.sub_path}/{rel}" if rel else mount.sub_path
                return mount, rel
        return None

    def volume_listing(self, path: str) -> list[str] | None:
        mount, rel = self.mount_of(path)
        if mount.files.get(rel, DIR if not rel else None) != DIR:
            return None
        prefix = rel + "/" if rel else ""
        return sorted({k[len(prefix):].split("/", 1)[0] for k in mount.files if k.startswith(prefix) and k != rel})

    def __getitem__(self, path: str):
        found = self.mount_of(path)
        if found is None:
            return self.own[path]
        mount, rel = found
        if not rel:
            return mount.files.get("", DIR)  # (a volume that is one file keeps it under "")
        # a path under a mount that the volume does not have is missing (the image's is hidden)
        return mount.files.get(rel, False)

    def __contains__(self, path: object) -> bool:
        return (isinstance(path, str) and self.mount_of(path) is not None) or path in self.own

    def __setitem__(self, path: str, value) -> None:
        found = self.mount_of(path)
        if found is None:
            if self.readonly_rootfs and path not in self.writable:
                raise ReadOnlyFileSystem(path)
            self.own[path] = value
            return
        mount, rel = found
        if mount.read_only:
            raise ReadOnlyFileSystem(path)
        if not rel:
            if "" in mount.files:
                mount.files[""] = value
            return  # (a directory mount point stays a directory)
        if value is False:
            for key in [k for k in mount.files if k == rel or k.startswith(rel + "/")]:
                del mount.files[key]
        else:
            mount.files[rel] = value

    def __delitem__(self, path: str) -> None:
        self[path] = False

    def __iter__(self) -> Iterator[str]:
        yield from (p for p in self.own if self.mount_of(p) is None)
        for mount in self.mounts:
            top = mount.container_path.rstrip("/")
            yield top
            prefix = (mount.sub_path + "/") if mount.sub_path else ""
            for key in mount.files:
                if key.startswith(prefix):
                    yield f"{top}/{key[len(prefix):]}"

    def __len__(self) -> int:
        return sum(1 for _ in self)


def served_file(image: str, files: Any, root: str, path: str) -> tuple[int, str | None] | None:
    """What a static web server with document root ``root`` answers for ``GET path``, from the
    container's files (its own layer and its mounts, over the image's): (200, the text, or None when
    the simulation does not know it), (403, None) for a directory without index.html (nginx's
    autoindex is off), or (404, None). None when the image's files are not known and the container
    has none of its own there (the server's built-in default site answers).

    >>> served_file("nginx", {"/usr/share/nginx/html/index.html": "hi\\n"}, "/usr/share/nginx/html", "/")
    (200, 'hi\\n')
    >>> served_file("nginx", {}, "/usr/share/nginx/html", "/nope.html")
    (404, None)
    """
    view = _View(image, files)
    target = root + ("/" + path.lstrip("/") if path not in ("", "/") else "")
    if image not in IMAGE_EXTRA and target not in files and target.rstrip("/") + "/index.html" not in files:
        return None
    entry = lookup(target, view)
    if entry == DIR:
        entry = lookup(target.rstrip("/") + "/index.html", view)
        if entry is None:
            return 403, None
    if entry is None or entry == DIR:
        return 404, None
    return 200, entry if isinstance(entry, str) else None


class _View:
    """The part of an ExecContext that :func:`lookup` reads: a container's files and image."""

    __slots__ = ("etc", "files", "image")

    def __init__(self, image: str, files: Any) -> None:
        self.image, self.files, self.etc = image, files, {}


def container_files(container: Any, own: dict | None = None) -> Any:
    """A container's files as its processes see them: its own layer (``own``, else its ``files``, else
    an empty one), with its volumes mounted over it."""
    if own is None:
        own = container.files if container.files is not None else {}
    if container.readonly_rootfs:
        return MountedFiles(own, container.mounts, True, (container.termination_message_path,))
    return MountedFiles(own, container.mounts) if container.mounts else own


def web_files(container: Any) -> Callable[[str, str], tuple[int, str | None] | None]:
    """``files(root, path)`` for the web server running in ``container`` (:func:`served_file`)."""
    image = container.image.split("@")[0].rsplit("/", 1)[-1].split(":")[0]
    return functools.partial(served_file, image, container_files(container))
