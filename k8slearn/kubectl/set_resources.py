"""``kubectl set resources``: set requests and limits of containers in a pod template.

``--requests=cpu=100m,memory=128Mi`` and ``--limits=...`` set those entries (others stay),
``-c`` picks containers by name (``*`` is a wildcard). Quantities are written in canonical form
(``0.5`` CPU becomes ``500m``). On a Deployment this changes the template, so it starts a rollout.

>>> resource_list("cpu=0.5,memory=1Gi")
{'cpu': '500m', 'memory': '1Gi'}

Simplified: no ``--local``.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/set/set_resources.go,
staging/src/k8s.io/kubectl/pkg/generate/versioned/run.go (HandleResourceRequirementsV1)
"""

from __future__ import annotations

from k8slearn.api.meta import thaw
from k8slearn.api.quantity import parse_quantity
from k8slearn.kubectl.apply import dry_run_mode
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.errors import Aggregate, KubectlError
from k8slearn.kubectl.get import infos_for
from k8slearn.kubectl.set_helper import (
    no_resources_given, object_name, pod_spec_of, select_containers, send_patches,
)


def resource_list(spec: str) -> dict[str, str]:
    """populateResourceListV1: ``name=quantity`` pairs, comma-separated."""
    out: dict[str, str] = {}
    for item in spec.split(","):
        parts = item.split("=")
        if len(parts) != 2:
            raise KubectlError(f"Invalid argument syntax {item}, expected <resource>=<value>")
        try:
            out[parts[0]] = str(parse_quantity(parts[1]))
        except ValueError as err:
            raise KubectlError(str(err)) from None
    return out


@command("set resources")
def run_set_resources(ctx: Context, args: list[str]) -> int:
    flags = ctx.flags
    dry_run_mode(ctx)  # an invalid --dry-run value fails before anything is fetched
    if flags.get("local"):
        raise KubectlError("--local is not available in this simulated cluster")
    if not args and not flags.get("filename"):
        raise no_resources_given()
    infos, errors = infos_for(ctx, args, allow_all=True)  # Complete() fetches before Validate() checks
    if errors:
        raise Aggregate(errors)
    if flags.get("all") and flags.get("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    limits_flag, requests_flag = flags.get("limits") or "", flags.get("requests") or ""
    if not limits_flag and not requests_flag:
        raise KubectlError("you must specify an update to requests or limits (in the form of --requests/--limits)")
    limits = resource_list(limits_flag) if limits_flag else {}
    requests = resource_list(requests_flag) if requests_flag else {}
    selector = flags.get("containers") or "*"
    # CalculatePatches: every object first (a container that is not there is an error now) ...
    failures: list[Exception] = []
    computed = []
    for info in infos:
        obj = thaw(info.obj)
        try:
            containers = select_containers(pod_spec_of(info.resource.kind, obj), selector)
        except KubectlError as err:
            computed.append((info, None, KubectlError(f"error: {object_name(info)} {err}\n")))
            continue
        if not containers:
            failures.append(KubectlError(f"error: unable to find container named {selector}"))
            continue
        for c in containers:
            resources = c.setdefault("resources", {})
            for field, values in (("limits", limits), ("requests", requests)):
                if values:
                    resources[field] = {**(resources.get(field) or {}), **values}
        computed.append((info, obj, None))
    # ... then the patches, in order
    failures += send_patches(ctx, computed, "resource requirements updated",
                             "failed to patch resources update to pod template ",
                             lambda info, obj: _resources_patch(pod_spec_of(info.resource.kind, obj)))
    if failures:
        raise Aggregate(failures)
    return 0


def _resources_patch(pod_spec: dict) -> dict:
    """A strategic merge patch that gives every container its (new) ``resources``."""
    body: dict = {}
    for field in ("containers", "initContainers"):
        if pod_spec.get(field):
            body[field] = [{"name": c["name"], "resources": c.get("resources") or {}} for c in pod_spec[field]]
    return body
