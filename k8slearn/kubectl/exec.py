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

The old form without ``--`` (``kubectl exec web ls``) is refused since v1.31.

Simplified: no terminal (``-t`` with ``-i`` warns that input is not a terminal, as kubectl does
when its stdin is not one), stdin is what ``Kubectl.run(..., stdin=...)`` passes, no ``-f``.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/exec/exec.go (Complete, Validate, Run, SetupTTY),
staging/src/k8s.io/kubectl/pkg/polymorphichelpers/attachablepodforobject.go,
staging/src/k8s.io/client-go/tools/remotecommand (the exit code: CodeExitError)
"""

from __future__ import annotations

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
    except StreamError as refused:
        raise KubectlError(f"unable to upgrade connection: {refused}") from None
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
