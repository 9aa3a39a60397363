"""What the ``kubectl set`` commands share: finding the pod spec of an object and its containers.

``pod_spec_of`` is polymorphichelpers.UpdatePodSpecForObject: a Pod's own spec, or the pod
template's spec of a workload. ``select_containers`` picks containers by name with ``-c``, where
``*`` is a wildcard (kubectl's own non-greedy matcher, quirks included):

>>> select_string("app", "*"), select_string("app", "ap*"), select_string("sidecar", "ap*")
(True, True, False)
>>> template_patch("Deployment", {"containers": []})
{'spec': {'template': {'spec': {'containers': []}}}}

Upstream: staging/src/k8s.io/kubectl/pkg/cmd/set/helper.go,
staging/src/k8s.io/kubectl/pkg/polymorphichelpers/updatepodspec.go
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.kubectl.apply import dry_run_mode, print_result
from k8slearn.kubectl.errors import KubectlError

WORKLOADS = ("ReplicationController", "Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "Job")


def no_resources_given() -> KubectlError:
    """The builder's error when neither a resource nor ``-f`` names anything."""
    return KubectlError("You must provide one or more resources by argument or filename.\nExample resource "
                        "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n"
                        "   '<resource> <name>'\n   '<resource>'")


def pod_spec_of(kind: str, obj: dict) -> dict:
    """The pod spec inside ``obj`` (the object itself is changed through it)."""
    spec = obj.setdefault("spec", {})
    if kind == "Pod":
        return spec
    if kind in WORKLOADS:
        return spec.setdefault("template", {}).setdefault("spec", {})
    if kind == "CronJob":
        job = spec.setdefault("jobTemplate", {}).setdefault("spec", {})
        return job.setdefault("template", {}).setdefault("spec", {})
    raise KubectlError(f"the object is not a pod or does not have a pod template: *v1.{kind}")


def object_name(info: Any, local: bool = False) -> str:
    """Info.ObjectName, how a ``set`` command names an object in its errors: ``<resource>/<name>``
    (``poddisruptionbudgets/web``, no group) for an object mapped through the server; read with no
    mapping (``--local``), its kind in lower case and its group (Go's format for that case ends in a
    newline, kept as it is).

    >>> from k8slearn.api.resources import lookup
    >>> from k8slearn.kubectl.builder import Info
    >>> pdb = Info(lookup("pdb"), "default", "web")
    >>> object_name(pdb), object_name(pdb, local=True), object_name(Info(lookup("cm"), "default", "cm"), True)
    ('poddisruptionbudgets/web', 'poddisruptionbudget.policy/web\\n', 'configmap/cm')
    """
    resource = info.resource
    if not local:
        return f"{resource.plural}/{info.name}"
    if not resource.group:
        return f"{resource.kind.lower()}/{info.name}"
    return f"{resource.kind.lower()}.{resource.group}/{info.name}\n"


def as_typed(kind: str, obj: dict) -> dict:
    """The object as kubectl prints a typed object it changed itself (``--dry-run=client``): a pod
    template's metadata always has ``creationTimestamp`` (``null`` when unset), as Go's encoder
    writes every non-pointer struct."""
    if kind in WORKLOADS or kind == "CronJob":
        spec = obj.get("spec") or {}
        if kind == "CronJob":
            job = spec.get("jobTemplate") or {}
            job.setdefault("metadata", {}).setdefault("creationTimestamp", None)
            spec = job.get("spec") or {}
        if "template" in spec:
            spec["template"].setdefault("metadata", {}).setdefault("creationTimestamp", None)
    return obj


def template_patch(kind: str, body: dict) -> dict:
    """A patch of the pod spec, wrapped in the path ``pod_spec_of`` follows for ``kind``."""
    if kind == "Pod":
        return {"spec": body}
    if kind == "CronJob":
        return {"spec": {"jobTemplate": {"spec": {"template": {"spec": body}}}}}
    return {"spec": {"template": {"spec": body}}}


def select_string(s: str, spec: str) -> bool:
    """selectString: ``spec`` with non-greedy ``*`` wildcards (a line-by-line port of kubectl's)."""
    if spec == "*":
        return True
    if "*" not in spec:
        return s == spec
    pos = 0
    parts = spec.split("*")
    for i, part in enumerate(parts):
        if not part:
            continue
        found = s[pos:].find(part)
        if found < pos or (i == 0 and pos != 0) or (i == len(parts) - 1 and len(s) != len(part) + found):
            return False
        pos = found
    return True


def select_containers(pod_spec: dict, spec: str) -> list[dict]:
    """The containers, then the init containers, whose names match ``spec``."""
    return [c for field in ("containers", "initContainers") for c in pod_spec.get(field) or ()
            if select_string(c.get("name", ""), spec)]


def send_patches(ctx: Any, computed: list, operation: str, wrap: str, body_of: Callable, *,
                 keep_unchanged: bool = False) -> list[Exception]:
    """The second half of a ``set`` command, after CalculatePatches: for each ``(info, changed
    object or None, error or None)`` in order, report the error, skip an unchanged object (no patch,
    nothing printed; ``keep_unchanged``: ``set serviceaccount`` has no such check and sends it all
    the same), or send a strategic merge patch (``body_of(info, obj)``, a pod-spec patch) and
    print ``<kind>/<name> <operation>``. ``--dry-run=client`` prints the changed object instead of
    sending it. An API error is wrapped (``wrap`` + message) and the next object goes on."""
    mode = dry_run_mode(ctx)
    failures: list[Exception] = []
    for info, obj, error in computed:
        if error is not None:
            failures.append(error)
            continue
        if obj is None or (obj == info.obj and not keep_unchanged):
            continue
        kind = info.resource.kind
        result = as_typed(kind, obj)
        if mode != "client":
            try:
                result = ctx.client.patch(info.resource.plural, info.name, template_patch(kind, body_of(info, obj)),
                                          namespace=info.namespace or None, patch_type="strategic",
                                          dry_run=(mode == "server"))
            except ApiError as err:
                failures.append(KubectlError(f"{wrap}{err}"))
                continue
        print_result(ctx, info.resource, result, operation, typed=True)  # (kubectl holds them as Go structs)
    return failures
