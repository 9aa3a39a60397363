"""``kubectl exec POD [-c CONTAINER] -- COMMAND [args...]``: run a command in a running container.

kubectl reads the pod (for ``deploy/web`` or ``svc/web`` the most active of its pods), picks the
container (``-c``, else the ``kubectl.kubernetes.io/default-container`` annotation, else the first,
saying ``Defaulted container "nginx" out of: nginx, log-agent`` when there was a choice), and opens
a stream through the API server to the kubelet (:meth:`k8slearn.Cluster.exec`). What the command
prints comes back on stdout and stderr, in the order it wrote them; a command that fails ends with
``command terminated with exit code N`` and kubectl exits with N:

>>> from k8slearn import Cluster
>>> cluster = Cluster(workers=1, seed=0)
>>> _ = cluster.kubectl("run web --image=nginx:1.27"); _ = cluster.settle()
>>> print(cluster.kubectl("exec web -- hostname"), end="")
web
>>> r = cluster.kubectl("exec web -- cat /nope")
>>> r.code, r.stderr
(1, 'cat: /nope: No such file or directory\\ncommand terminated with exit code 1\\n')
>>> cluster.kubectl("exec web -- sh -c 'echo a; echo b >&2; echo c'").chunks
[('stdout', 'a\\n'), ('stderr', 'b\\n'), ('stdout', 'c\\n')]

The old form without ``--`` (``kubectl exec web ls``) is refused since v1.31. A container that is
not running is refused by the kubelet; the API server, which has already upgraded kubectl's
websocket, reports that as an InternalError: ``error: Internal error occurred: unable to upgrade
connection: container not found ("nginx")``.

``kubectl attach POD`` (same module: both open a stream to a running container) says "If you don't
see a command prompt, try pressing enter." and shows what the container writes from then on, until
it exits.

Simplified: no terminal (``-t`` with ``-i`` warns that input is not a terminal, as kubectl does
when its stdin is not one), stdin is what ``Kubectl.run(..., stdin=...)`` passes, no ``-f``.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go (Complete, Validate, Run, SetupTTY),
staging/src/k8s.io/kubectl/pkg/cmd/attach/attach.go (Validate, Run),
staging/src/k8s.io/apiserver/pkg/util/proxy/streamtranslator.go (ServeHTTP: errors after the upgrade),
staging/src/k8s.io/kubectl/pkg/polymorphichelpers/attachablepodforobject.go,
staging/src/k8s.io/client-go/tools/remotecommand (the exit code: CodeExitError)
"""

from __future__ import annotations

from collections.abc import Callable

from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import KubectlError, usage_error
from k8slearn.kubectl.logs_for_object import first_pod
from k8slearn.kubectl.podcmd import find_or_default_container


@command("exec")
def run_exec(ctx: Context, args: list[str]) -> int:
    from k8slearn.api.errors import ExecInternalError, StreamError

    quiet, dash = ctx.flags["quiet"], ctx.args_at_dash
    resource = args[0] if args and dash != 0 else ""
    if dash == -1 and len(args) > 1:
        raise usage_error(ctx.path, "exec [POD] [COMMAND] is not supported anymore. "
                                    "Use exec [POD] -- [COMMAND] instead")
    argv = args[dash:] if dash > -1 else []
    if ctx.flags["filename"]:
        raise KubectlError("-f is not available in this simulated cluster")
    if not resource:
        raise KubectlError("pod, type/name or --filename must be specified")
    if not argv:
        raise KubectlError("you must specify at least one command for the container")
    name = first_pod(ctx, resource)
    pod = ctx.client.get("pods", name, ctx.namespace)
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(f"cannot exec into a container in a completed pod; current phase is {phase}")
    container = ctx.flags["container"] or find_or_default_container(pod, quiet, ctx.eprint)
    if ctx.flags["stdin"] and ctx.flags["tty"] and not quiet:
        ctx.eprint("Unable to use a TTY - input is not a terminal or the right kind of file")
    cluster = ctx.cluster
    if cluster is None or not hasattr(cluster, "exec"):
        raise KubectlError("exec is not available without a simulated cluster")
    stdin = ctx.stdin if ctx.flags["stdin"] else ""
    try:
        result = cluster.exec(ctx.namespace, name, container, list(argv), stdin)
    except StreamError as refused:  # the kubelet's refusal, after the API server upgraded kubectl's websocket
        raise KubectlError(f"Internal error occurred: unable to upgrade connection: {refused}") from None
    except ExecInternalError as failed:
        raise KubectlError(f"Internal error occurred: {failed}") from None
    code, out, err = result
    # the two streams as the command wrote them (a plain result: its stdout, then its stderr)
    chunks = getattr(result, "chunks", None) or [("stdout", out), ("stderr", err)]
    for stream, text in chunks:
        if text:
            (ctx.print if stream == "stdout" else ctx.eprint)(text, end="")
    if code:
        ctx.eprint(f"command terminated with exit code {code}")
    return code


ATTACH_LIMIT = 300.0  # simulated seconds ``attach`` stays on a container that keeps running
PROMPT_HINT = "If you don't see a command prompt, try pressing enter."
NO_TERMINAL = "Unable to use a TTY - input is not a terminal or the right kind of file"


def attach_and_follow(ctx: Context, pod: str, container: str, state: Callable[[], dict], start: float) -> None:
    """handleAttachPod once the wait for the container is over (``run -i``, ``debug -i``): a
    running container is attached to (AttachOptions.Run: :func:`say_attaching`, then the
    kubelet's Attach with kubectl's stdin, empty here) and followed until it stops or
    ``ATTACH_LIMIT`` seconds from ``start`` pass; one that already exited is only read from its log
    (logOpts). ``state()`` is the container's current ``state`` in the pod's status."""
    cluster = ctx.cluster
    if "running" in state():
        say_attaching(ctx)
        if hasattr(cluster, "attach"):
            cluster.attach(ctx.namespace, pod, container, stdin=ctx.flags["stdin"])
    while "running" in state() and cluster.now - start < ATTACH_LIMIT:
        cluster.run(seconds=0.1)
    if {"running", "terminated"} & set(state()):
        ctx.print(cluster.logs(ctx.namespace, pod, container), end="")


def say_attaching(ctx: Context) -> None:
    """What AttachOptions.Run says as ``run -i`` and ``debug -i`` attach, unless ``-q``: with
    ``-t``, SetupTTY's refusal (a notebook's kubectl has no terminal), then the prompt hint."""
    if ctx.flags["quiet"]:
        return
    if ctx.flags["tty"]:
        ctx.eprint(NO_TERMINAL)
    ctx.eprint(PROMPT_HINT)


@command("attach")
def run_attach(ctx: Context, args: list[str]) -> int:
    """``kubectl attach POD [-c CONTAINER]``: what the running container writes from now on, until it
    exits (AttachOptions.Validate and Run). The attach is the kubelet's, as for exec: a container
    that is not running is refused. Simplified: the container's stdout and stderr both come on
    stdout (read from its log), ``-i`` sends nothing (there is no terminal), and a container that
    keeps running is followed for ``ATTACH_LIMIT`` simulated seconds."""
    from k8slearn.api.errors import StreamError

    if not args:
        raise KubectlError("at least 1 argument is required for attach")
    if len(args) > 2:
        raise KubectlError(f"expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw {len(args)}: "
                           f"[{' '.join(args)}]")
    name = first_pod(ctx, "/".join(args))
    pod = ctx.client.get("pods", name, ctx.namespace)
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(f"cannot attach a container in a completed pod; current phase is {phase}")
    container = _container_to_attach_to(ctx, pod)
    quiet, spec = ctx.flags["quiet"], _spec_of(pod, container)
    if ctx.flags["tty"] and not spec.get("tty") and not quiet:
        ctx.eprint(f"error: Unable to use a TTY - container {container} did not allocate one")
    elif (ctx.flags["tty"] or spec.get("tty")) and ctx.flags["stdin"] and not quiet:  # SetupTTY, no terminal
        ctx.eprint("Unable to use a TTY - input is not a terminal or the right kind of file")
    if not quiet:
        ctx.eprint(PROMPT_HINT)
    try:
        ctx.print(attached_output(ctx, name, container), end="")
    except StreamError as refused:
        raise KubectlError(f"Internal error occurred: unable to upgrade connection: {refused}") from None
    return 0


def _container_to_attach_to(ctx: Context, pod: dict) -> str:
    """FindOrDefaultContainerByName: the ``-c`` container, which the pod must have, else the default."""
    wanted = ctx.flags["container"]
    if not wanted:
        return find_or_default_container(pod, ctx.flags["quiet"], ctx.eprint)
    if not _spec_of(pod, wanted):
        raise KubectlError(f"cannot attach to the container: container {wanted} not found in pod "
                           f"{pod['metadata']['name']}")
    return wanted


def _spec_of(pod: dict, container: str) -> dict:
    spec = pod.get("spec") or {}
    return next((c for key in ("containers", "initContainers", "ephemeralContainers")
                 for c in spec.get(key) or [] if c.get("name") == container), {})


def attached_output(ctx: Context, name: str, container: str) -> str:
    """What a running container writes while kubectl is attached: the simulated clock runs until
    the container stops (at most ``ATTACH_LIMIT`` seconds). The API server's refusals come first (a
    pod not yet on a node: ``pod web does not have a host assigned``; its node down: ``error dialing
    backend``); then a container that is not running is the kubelet's ``container not found``
    (StreamError)."""
    from k8slearn.api.errors import StreamError

    def running() -> bool:
        status = ctx.client.get("pods", name, ctx.namespace).get("status") or {}
        return any(s.get("name") == container and "running" in (s.get("state") or {})
                   for key in ("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses")
                   for s in status.get(key) or ())

    cluster = ctx.cluster
    if cluster is None or not hasattr(cluster, "logs"):
        raise KubectlError("attach is not available without a simulated cluster")
    if hasattr(cluster, "attach"):
        cluster.attach(ctx.namespace, name, container, stdin=bool(ctx.flags.get("stdin")))
    if not running():
        raise StreamError(f'container not found ("{container}")')
    before, start = cluster.logs(ctx.namespace, name, container), cluster.now
    while running() and cluster.now - start < ATTACH_LIMIT:
        cluster.run(seconds=0.1)
    after = cluster.logs(ctx.namespace, name, container)
    return after[len(before):] if after.startswith(before) else after
