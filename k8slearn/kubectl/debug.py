"""``kubectl debug POD --image=IMAGE``: an ephemeral container added to a running pod.

kubectl reads the pod, names the new container (``-c``, else ``debugger-`` and five random
characters: "Defaulting debug container name to debugger-x2k7p."), builds it from the flags and
the profile (``--profile=general`` adds the ``SYS_PTRACE`` capability, ``netadmin`` ``NET_ADMIN``
and ``NET_RAW``, ``sysadmin`` makes it privileged, ``restricted`` takes everything away; the
default, ``legacy``, adds nothing and is deprecated, which kubectl says), and sends it as a
strategic merge patch to the pod's ``ephemeralcontainers`` subresource. The API server validates it
(an ephemeral container has no ports, probes or resources; its ``--target`` must be one of the
pod's containers), the kubelet starts it once in the pod's sandbox, so it shares the pod's
network (``localhost`` is the app), and never restarts it. ``kubectl logs POD -c debugger-x2k7p``
shows what it printed; with ``-i`` kubectl attaches, and here, without a terminal, shows what it
prints until it exits.

Simplified: ``--copy-to``, ``node/NAME`` and ``-f`` (debugging by a copy of the pod, or by a pod on a
node's host namespaces) are not available; the random name comes from the simulated clock; the
processes of ``--target`` are not visible (there is no process table), and of a profile's
securityContext only the user fields act (``restricted``'s ``runAsNonRoot`` keeps a root image such
as busybox from starting, as upstream); capabilities and the rest are stored, not enforced.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/debug/debug.go (debugByEphemeralContainer,
generateDebugContainer), profiles.go
"""

from __future__ import annotations

import copy
import random

from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError
from k8slearn.kubectl.exec import attach_and_follow

__all__ = ["PROFILES", "debug_container"]

LEGACY_WARNING = ('--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly '
                  'specify a profile, for example "--profile=general".')
# the securityContext each profile gives an ephemeral container (profiles.go)
PROFILES: dict[str, dict | None] = {
    "legacy": None,
    "general": {"capabilities": {"add": ["SYS_PTRACE"]}},
    "baseline": None,
    "restricted": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": True,
                   "seccompProfile": {"type": "RuntimeDefault"}},
    "netadmin": {"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}},
    "sysadmin": {"privileged": True},
}
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand: no vowels, no look-alikes


def debug_container(name: str, image: str, command: list[str], *, args_only: bool = False, target: str = "",
                    env: list[str] = (), pull_policy: str = "", stdin: bool = False, tty: bool = False,
                    profile: str = "legacy") -> dict:
    """The EphemeralContainer kubectl sends (generateDebugContainer, then the profile).

    >>> debug_container("debugger-abcde", "busybox", ["sh"], target="app", profile="general")
    {'name': 'debugger-abcde', 'image': 'busybox', 'command': ['sh'], 'targetContainerName': 'app', \
'resources': {}, 'terminationMessagePolicy': 'File', 'securityContext': {'capabilities': {'add': ['SYS_PTRACE']}}}
    """
    container: dict = {"name": name, "image": image}
    if command:
        container["args" if args_only else "command"] = list(command)
    for pair in env:
        key, _, value = pair.partition("=")
        container.setdefault("env", []).append({"name": key, "value": value})
    if pull_policy:
        container["imagePullPolicy"] = pull_policy
    if stdin:
        container["stdin"] = True
    if tty:
        container["tty"] = True
    if target:
        container["targetContainerName"] = target
    container["resources"] = {}
    container["terminationMessagePolicy"] = "File"
    security = PROFILES[profile]
    if security is not None:
        container["securityContext"] = copy.deepcopy(security)  # (each container its own)
    return container


@command("debug")
def run_debug(ctx: Context, args: list[str]) -> int:
    flags = ctx.flags
    command_args = args[ctx.args_at_dash:] if ctx.args_at_dash >= 0 else []
    names = args[:ctx.args_at_dash] if ctx.args_at_dash >= 0 else args
    if not flags["image"] and not flags["copy-to"]:
        raise KubectlError("you must specify --image when not using --copy-to.")
    if not names and not flags["filename"]:
        raise KubectlError("NAME or filename is required for debug")
    if flags["tty"] and not flags["stdin"]:
        raise KubectlError("-i/--stdin is required for containers with -t/--tty=true")
    if flags["profile"] not in PROFILES:
        raise KubectlError(f"unknown profile: {flags['profile']}")
    if flags["copy-to"] or flags["filename"]:
        raise KubectlError("debugging by a copy of the pod (--copy-to, -f) is not available in this simulated cluster")
    if "profile" not in ctx.changed:
        ctx.eprint(LEGACY_WARNING)
    for target in names:
        _debug_one(ctx, target, command_args)
    return 0


def _debug_one(ctx: Context, target: str, command_args: list[str]) -> None:
    flags = ctx.flags
    kind, _, pod_name = target.rpartition("/")
    if kind in ("node", "nodes", "no"):
        raise KubectlError("debugging a node (node/NAME) is not available in this simulated cluster")
    if kind and kind not in ("pod", "pods", "po"):
        from k8slearn.api.resources import lookup

        info = lookup(kind)
        raise KubectlError(f'"{info.api_version}, Kind={info.kind}" not supported by debug')
    pod = ctx.client.get("pods", pod_name, ctx.namespace)  # (a missing pod: its NotFound)
    name = flags["container"]
    if not name:  # utilrand.String(5): here from the simulated clock and the pod's debug containers so far
        rng = random.Random(f"{ctx.now()!r}/{pod_name}/{len(pod['spec'].get('ephemeralContainers') or ())}")
        name = "debugger-" + "".join(rng.choice(ALPHANUMS) for _ in range(5))
        if not flags["quiet"]:
            ctx.print(f"Defaulting debug container name to {name}.")
    if flags["target"] and not flags["quiet"]:
        ctx.print(f'Targeting container "{flags["target"]}". If you don\'t see processes from this container it may '
                  "be because the container runtime doesn't support this feature.")
    container = debug_container(name, flags["image"], command_args, args_only=flags["arguments-only"],
                                target=flags["target"], env=flags["env"] or [], pull_policy=flags["image-pull-policy"],
                                stdin=flags["stdin"], tty=flags["tty"], profile=flags["profile"])
    ctx.client.patch("pods", pod_name, {"spec": {"ephemeralContainers": [container]}}, ctx.namespace,
                     subresource="ephemeralcontainers")
    if flags["stdin"] or flags["attach"]:
        _attached(ctx, pod_name, name)


def _attached(ctx: Context, pod_name: str, name: str) -> None:
    """The attach after the patch: wait for the ephemeral container to start, then attach
    (AttachOptions.Run: SetupTTY's refusal with ``-t``, the prompt hint) and show what it prints
    until it exits or ``ATTACH_LIMIT`` passes. A debug container's stdin is not closed when
    kubectl's ends (no ``stdinOnce``): a shell there goes on waiting, and stays running."""
    cluster = ctx.cluster
    if cluster is None or not hasattr(cluster, "run"):
        return

    def state() -> dict:
        statuses = ctx.client.get("pods", pod_name, ctx.namespace).get("status", {}).get("ephemeralContainerStatuses")
        return next(((s.get("state") or {}) for s in statuses or () if s.get("name") == name), {})

    start, warned = cluster.now, set()
    while not ({"running", "terminated"} & set(state())):  # waitForContainer
        message = (state().get("waiting") or {}).get("message", "")
        if message and message not in warned and not ctx.flags["quiet"]:
            warned.add(message)
            ctx.eprint(f"Warning: container {name}: {message}")
        if cluster.now - start >= 60:  # --pod-running-timeout, 1m
            raise KubectlError("timed out waiting for the condition")
        cluster.run(seconds=0.1)
    attach_and_follow(ctx, pod_name, name, state, start)
