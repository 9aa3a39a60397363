"""``id`` and ``whoami`` in a container: the user and groups its securityContext gives the process.

The kubelet works out who a container's processes are (:func:`~k8slearn.kubelet.security_context.process_identity`:
``runAsUser``, ``runAsGroup``, ``fsGroup``, ``supplementalGroups``) and the exec sees it as
``ExecContext.user``. BusyBox's ``id`` prints the groups as the kernel keeps them (sorted), GNU's
the primary group first; an id the image's /etc/passwd or /etc/group does not name is a bare number:

>>> from k8slearn.kubelet.exec_context import ExecContext
>>> demo = ExecContext("busybox", files={}, user=(1000, 3000, (2000, 3000)))
>>> _id([], "", demo), _id([], "", ExecContext("nginx", files={}, user=(1000, 3000, (2000, 3000))))
((0, 'uid=1000 gid=3000 groups=2000,3000\\n', ''), (0, 'uid=1000 gid=3000 groups=3000,2000\\n', ''))
>>> _id([], "", ExecContext("busybox", files={}, user=(0, 0, (0, 10))))
(0, 'uid=0(root) gid=0(root) groups=0(root),10(wheel)\\n', '')
>>> _whoami([], "", demo)
(1, '', 'whoami: unknown uid 1000\\n')

Simplified: ``id`` with ``-u``, ``-g``, ``-G`` and ``-n`` (no user operand, ``-r`` or ``-Z``);
an id whose name the simulation does not know (a system user such as 101) is not simulated.

Upstream: BusyBox 1.36 coreutils/id.c (print_common, id_main) and coreutils/whoami.c
(xuid2uname: "unknown uid"), GNU coreutils 9.1 src/id.c (print_full_info, print_group_list) and
src/whoami.c
"""

from __future__ import annotations

from k8slearn.kubelet.exec_common import NotModelled
from k8slearn.kubelet.exec_context import ExecContext
from k8slearn.kubelet.security_context import UnknownName, id_name


def _identity(ctx: ExecContext, tool: str) -> tuple[int, int, tuple[int, ...]]:
    if ctx.user is None:
        raise NotModelled(f"'{tool}' in the {ctx.image} image (its users)")
    return ctx.user


def _name(kind: str, number: int, ctx: ExecContext) -> str | None:
    try:
        return id_name(kind, number, ctx.image)
    except UnknownName as unknown:
        raise NotModelled(str(unknown)) from None


def _shown(kind: str, number: int, ctx: ExecContext) -> str:
    """``1000`` or ``0(root)``, as ``id`` prints an id in its full form."""
    name = _name(kind, number, ctx)
    return f"{number}({name})" if name else str(number)


def _id(args, stdin, ctx):
    """``id [-u|-g|-G] [-n]``: the process's user, group and supplementary groups."""
    uid, gid, groups = _identity(ctx, "id")
    flags = "".join(a[1:] for a in args)
    if any(not a.startswith("-") or a == "-" for a in args) or set(flags) - set("ugGn") \
            or len(set(flags) & set("ugG")) != (1 if flags else 0):
        raise NotModelled("id " + " ".join(args))
    if not flags:
        listed = groups if ctx.busybox else (gid, *[g for g in groups if g != gid])
        text = f"uid={_shown('user', uid, ctx)} gid={_shown('group', gid, ctx)} groups=" + \
            ",".join(_shown("group", g, ctx) for g in listed)
        return 0, text + "\n", ""
    kind = "user" if "u" in flags else "group"
    numbers = [uid] if "u" in flags else [gid] if "g" in flags else [gid, *[g for g in groups if g != gid]]
    if "n" not in flags:
        return 0, " ".join(map(str, numbers)) + "\n", ""
    words, err = [], ""
    for number in numbers:
        name = _name(kind, number, ctx)
        words.append(name or str(number))
        if name is None:
            err += (f"id: unknown ID {number}\n" if ctx.busybox
                    else f"id: cannot find name for {kind} ID {number}\n")
    return (1 if err else 0), " ".join(words) + "\n", err


def _whoami(args, stdin, ctx):
    """``whoami``: the name of the process's user (an error for a user the image does not name)."""
    if args:
        raise NotModelled("whoami " + " ".join(args))
    uid = _identity(ctx, "whoami")[0]
    name = _name("user", uid, ctx)
    if name is None:
        return 1, "", (f"whoami: unknown uid {uid}\n" if ctx.busybox
                       else f"whoami: cannot find name for user ID {uid}\n")
    return 0, name + "\n", ""
