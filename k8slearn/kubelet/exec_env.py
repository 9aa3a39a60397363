"""A container process's environment, and the ``env`` and ``printenv`` tools that print it.

containerd builds the environment of a container's processes (its program and every exec) in
this order: ``PATH`` from the OCI default spec, ``HOSTNAME`` (the pod's hostname), the image's
own ``ENV`` lines (a name already there is replaced in place), then the variables the kubelet
passed in CreateContainer (:mod:`k8slearn.kubelet.container_env`), again replacing in place.
runc adds ``HOME`` (the user's home, ``/root``) when it is not set:

>>> env = process_env("busybox", "web", (("MODE", "fast"), ("PATH", "/app/bin")))
>>> env
[('PATH', '/app/bin'), ('HOSTNAME', 'web'), ('MODE', 'fast'), ('HOME', '/root')]
>>> ctx = ExecContext("busybox", files={}, hostname="web", envs=(("MODE", "fast"),))
>>> printenv(["MODE", "NOPE"], "", ctx)
(1, 'fast\\n', '')

A shell's own variables (``$PPID``, ``$SHLVL``, bash's ``$BASH_VERSION``...) are not in the
environment and not modelled: :func:`shell_variable` finds them, and ``kubectl exec`` says they
are not simulated.

Simplified: the images' ``ENV`` lines are known only where they do not depend on the tag (the
simulated registry has one image per repository): BusyBox, Alpine, Debian and Ubuntu set only
``PATH``; nginx, httpd, python, redis and node also set version variables
(``NGINX_VERSION`` ...), which the simulation does not know: ``env`` says so on stderr, and
``printenv NGINX_VERSION`` answers that it is not simulated. Images outside the table: only the
variables the kubelet and containerd set are known, and ``env`` says so too.

Upstream: containerd internal/cri/server/container_create.go (buildContainerSpec: HOSTNAME, the
image's Env, then the CRI envs, with oci.WithEnv), containerd pkg/oci/spec.go (defaultUnixEnv),
runc libcontainer/init_linux.go (HOME); BusyBox 1.36 env/printenv, GNU coreutils 9.1
"""

from __future__ import annotations

import re

from k8slearn.kubelet.exec_context import ExecContext, not_simulated

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# image -> (its ENV lines that do not depend on the tag, the names of those that do)
IMAGE_ENV: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "busybox": ((("PATH", DEFAULT_PATH),), ()),
    "alpine": ((("PATH", DEFAULT_PATH),), ()),
    "debian": ((("PATH", DEFAULT_PATH),), ()),
    "ubuntu": ((("PATH", DEFAULT_PATH),), ()),
    "nginx": ((("PATH", DEFAULT_PATH),), ("NGINX_VERSION", "NJS_VERSION", "NJS_RELEASE", "PKG_RELEASE")),
    "httpd": ((("PATH", "/usr/local/apache2/bin:" + DEFAULT_PATH), ("HTTPD_PREFIX", "/usr/local/apache2")),
              ("HTTPD_VERSION", "HTTPD_SHA256", "HTTPD_PATCHES")),
    "python": ((("PATH", "/usr/local/bin:" + DEFAULT_PATH),), ("LANG", "GPG_KEY", "PYTHON_VERSION", "PYTHON_SHA256")),
    "redis": ((("PATH", DEFAULT_PATH),), ("REDIS_VERSION", "REDIS_DOWNLOAD_URL", "REDIS_DOWNLOAD_SHA")),
    "node": ((("PATH", DEFAULT_PATH),), ("NODE_VERSION", "YARN_VERSION")),
}


def process_env(image: str, hostname: str, envs: tuple) -> list[tuple[str, str]]:
    """The environment a process of the container starts with, as (name, value) pairs in order."""
    env: dict[str, str] = {"PATH": DEFAULT_PATH, "HOSTNAME": hostname}
    for name, value in IMAGE_ENV.get(image, ((), ()))[0]:
        env[name] = value
    for name, value in envs:
        env[name] = value
    env.setdefault("HOME", "/root")
    return list(env.items())


def unknown_image_variables(ctx: ExecContext) -> tuple[str, ...] | None:
    """The image's own variables the simulation does not know (None: the image is not in the table)."""
    known = IMAGE_ENV.get(ctx.image)
    return known[1] if known is not None else None


def env(args: list[str], stdin: str, ctx: ExecContext) -> tuple[int, str, str]:
    """``env`` with no arguments: every variable, ``NAME=value`` per line."""
    if args:
        return not_simulated("'env' with arguments (changing the environment, running a command)")
    out = "".join(f"{name}={value}\n" for name, value in process_env(ctx.image, ctx.hostname, ctx.envs))
    unknown = unknown_image_variables(ctx)
    if unknown is None:
        return 0, out, f"k8slearn: the {ctx.image} image's own ENV variables (other than PATH) are not simulated\n"
    if unknown:
        return 0, out, f"k8slearn: the {ctx.image} image's {', '.join(unknown)} are not simulated\n"
    return 0, out, ""


def printenv(args: list[str], stdin: str, ctx: ExecContext) -> tuple[int, str, str]:
    """``printenv [NAME...]``: the values of the named variables (exit 1 when one is not set)."""
    if not args:
        return env([], stdin, ctx)
    variables = dict(process_env(ctx.image, ctx.hostname, ctx.envs))
    unknown = unknown_image_variables(ctx)
    out, code = [], 0
    for name in args:
        if name in variables:
            out.append(variables[name] + "\n")
        elif unknown is None or name in unknown:
            return not_simulated(f"the {ctx.image} image's own variable {name}")
        else:
            code = 1
    return code, "".join(out), ""


# Variables a shell sets itself (not from the environment), which the simulation does not model;
# bash's own only in bash (BusyBox ash and dash leave them unset)
SHELL_VARIABLES = frozenset({"PPID", "PWD", "OLDPWD", "IFS", "PS1", "PS2", "PS4", "OPTIND", "OPTARG", "LINENO",
                             "SHLVL", "RANDOM", "SECONDS", "HISTFILE", "HISTSIZE", "ENV", "MAILCHECK", "COLUMNS",
                             "LINES", "REPLY"})
BASH_VARIABLES = frozenset({"BASH", "BASH_VERSION", "BASH_VERSINFO", "BASHPID", "BASHOPTS", "BASH_SUBSHELL",
                            "BASH_COMMAND", "BASH_SOURCE", "BASH_LINENO", "BASH_ARGC", "BASH_ARGV", "BASH_ARGV0",
                            "EUID", "UID", "GROUPS", "HOSTTYPE", "MACHTYPE", "OSTYPE", "SHELLOPTS", "FUNCNAME",
                            "PIPESTATUS", "EPOCHSECONDS", "EPOCHREALTIME", "SRANDOM", "DIRSTACK", "HISTCMD"})


def shell_variable(text: str, shell: str, ctx: ExecContext | None = None) -> str:
    """The first variable of the shell's own that a script expands (``$PPID``, bash's
    ``$BASH_VERSION``; not one the script assigns or the environment has), or "".

    >>> shell_variable("echo $BASH_VERSION '$PPID'", "bash"), shell_variable("echo $BASH_VERSION", "sh")
    ('BASH_VERSION', '')
    >>> shell_variable("PPID=1; echo $PPID $HOME", "sh")
    ''
    """
    if "$" not in text:
        return ""
    names = SHELL_VARIABLES | BASH_VARIABLES if shell == "bash" else SHELL_VARIABLES
    environment = {name for name, _ in process_env(ctx.image, ctx.hostname, ctx.envs)} if ctx is not None else set()
    quote, i, n = "", 0, len(text)
    while i < n:
        c = text[i]
        i += 1
        if c in "'\"" and quote in ("", c) and not (c == "'" and quote == '"'):
            quote = "" if quote == c else c
        elif c == "$" and quote != "'":
            match = re.match(r"\{?([A-Za-z_][A-Za-z0-9_]*)", text[i:])
            if match and match.group(1) in names and match.group(1) not in environment \
                    and not re.search(rf"(?:^|[\s;&|(]){match.group(1)}=", text):
                return match.group(1)
    return ""


_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _./:,=@%+-")
_NAME_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | set("0123456789")


def expand_parameters(text: str, ctx: ExecContext) -> tuple[str, str]:
    """The shell's ``$NAME`` and ``${NAME}`` outside single quotes, replaced by the variable's
    value (an unset one by nothing); (the script, "") or ("", what is not simulated) for the other
    expansions (``$?``, ``$1``, ``${X:-y}``, ``$(...)``...) and values the shell would re-read.

    >>> ctx = ExecContext("busybox", files={}, hostname="web", envs=(("POD", "web-1"),))
    >>> expand_parameters("echo $POD \\"${POD}\\" '$POD' $NOPE.", ctx)
    ('echo web-1 "web-1" \\'$POD\\' .', '')
    >>> expand_parameters("echo $(hostname)", ctx)
    ('', 'expanding shell variables and command substitution')
    """
    if "$" not in text:
        return text, ""
    variables = dict(process_env(ctx.image, ctx.hostname, ctx.envs))
    unknown = unknown_image_variables(ctx)
    out, i, n, quote = [], 0, len(text), ""
    refused = ("", "expanding shell variables and command substitution")
    while i < n:
        c = text[i]
        if quote == "'" or c != "$":
            if c == "'" and quote != '"':
                quote = "" if quote == "'" else "'"
            elif c == '"' and quote != "'":
                quote = "" if quote == '"' else '"'
            out.append(c)
            i += 1
            continue
        braced = text.startswith("${", i)
        start = i + 2 if braced else i + 1
        end = start
        while end < n and text[end] in _NAME_CHARS:
            end += 1
        name = text[start:end]
        if not name or name[0] not in _NAME_START or (braced and not text.startswith("}", end)):
            return refused
        if name not in variables and (unknown is None or name in unknown):
            return "", f"the {ctx.image} image's own variable {name}"
        value = variables.get(name, "")
        if not set(value) <= _SAFE:
            return refused
        out.append(value)
        i = end + 1 if braced else end
    return "".join(out), ""
