"""``kubectl set serviceaccount`` (``set sa``): set the service account of a pod template.

The last argument is the service account's name, the ones before it name the objects:
``kubectl set sa deployment/web builder`` sets ``spec.template.spec.serviceAccountName: builder``.
On a Deployment this changes the template, so it starts a rollout (a pod's service account
cannot change: the API server refuses the patch). Unlike ``set image``, an object that already
has that service account is still patched (an empty patch) and reported
``deployment.apps/web serviceaccount updated``. ``--local`` changes the ``-f`` objects in memory and
prints them, asking the server nothing.

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/set/set_serviceaccount.go (SetServiceAccountOptions
Complete and Run), cli-runtime/pkg/resource/visitor.go (Info.ObjectName)
"""

from __future__ import annotations

from k8slearn.api.meta import thaw
from k8slearn.kubectl.apply import dry_run_mode, print_flags_format, print_result
from k8slearn.kubectl.builder import Info
from k8slearn.kubectl.cli import Context, command
from k8slearn.kubectl.edit import LOCAL_SERVER_DRY_RUN, files_as_written
from k8slearn.kubectl.errors import Aggregate, KubectlError
from k8slearn.kubectl.get import infos_for
from k8slearn.kubectl.set_helper import no_resources_given, object_name, pod_spec_of, send_patches

OPERATION = "serviceaccount updated"


def _infos(ctx: Context, resources: list[str], local: bool) -> list[Info]:
    """The builder of Complete: with ``--local`` only the ``-f`` files (resource arguments are not
    looked at); else the named objects, each read from the server (a missing one ends the command)."""
    if not ctx.flags.get("filename") and (local or not resources):
        raise no_resources_given()
    if local:
        infos, errors = files_as_written(ctx, local=True)
    else:
        infos, errors = infos_for(ctx, resources, allow_all=True)
    if errors:
        raise Aggregate(errors)
    return infos


@command("set serviceaccount")
def run_set_serviceaccount(ctx: Context, args: list[str]) -> int:
    """SetServiceAccountOptions.Complete, then Run: CalculatePatches sets ``serviceAccountName`` in
    every object's pod spec (an object with none is an error, the others go on), then each object
    is printed (``--local``, ``--dry-run=client``) or sent as a strategic merge patch."""
    mode = dry_run_mode(ctx)
    local = bool(ctx.flags.get("local"))
    if local and mode == "server":
        raise KubectlError(LOCAL_SERVER_DRY_RUN)
    print_flags_format(ctx)
    if not args:
        raise KubectlError("serviceaccount is required")
    service_account, resources = args[-1], args[:-1]
    computed = []
    for info in _infos(ctx, resources, local):
        obj = thaw(info.obj)
        try:
            pod_spec_of(info.resource.kind, obj)["serviceAccountName"] = service_account
        except KubectlError as err:
            computed.append((info, None, KubectlError(f"error: {object_name(info, local)} {err}\n")))
            continue
        computed.append((info, obj, None))
    if local:  # printed as changed, nothing sent
        failures = [error for _, _, error in computed if error is not None]
        for info, obj, error in computed:
            if error is None:
                print_result(ctx, info.resource, obj, OPERATION, typed=True)
    else:
        failures = send_patches(ctx, computed, OPERATION, "failed to patch ServiceAccountName ", _patch,
                                keep_unchanged=True)
    if failures:
        raise Aggregate(failures)
    return 0


def _patch(info: Info, obj: dict) -> dict:
    """The pod-spec part of CreateTwoWayMergePatch: the new name, or nothing when it is the same."""
    name = pod_spec_of(info.resource.kind, obj)["serviceAccountName"]
    before = pod_spec_of(info.resource.kind, thaw(info.obj)).get("serviceAccountName")
    return {} if before == name else {"serviceAccountName": name}
