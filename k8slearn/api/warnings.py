"""The API server's warnings: accepted, but worth a word (``Warning: ...`` in kubectl's stderr).

A request can succeed and still come back with ``Warning`` headers. kubectl prints each one on
stderr as ``Warning: <text>``. Three kinds are modelled:

- unknown fields dropped under ``fieldValidation=Warn`` (kubectl ``--validate=warn``, and the
  server's default for clients that send none, such as ``kubectl run --overrides``):
  ``unknown field "spec.contaners"``;
- a pod's (or a pod template's) ports that repeat or overlap, a hostIP without a hostPort, and a
  negative terminationGracePeriodSeconds, as GetWarningsForPod words them: when a pod or a
  workload is created, and when a workload's spec changes (its generation moves: a new template, a
  scale); never on a pod's update (the pod strategy skips them: a hot path);
- a Job or CronJob created with a name that is a DNS subdomain but no DNS label (``my.job``): its
  pods' names and hostnames come from it (the Job and CronJob strategies' WarningsOnCreate).

>>> spec = {"containers": [{"name": "a", "ports": [{"containerPort": 80, "protocol": "TCP"},
...                                                {"containerPort": 80, "protocol": "TCP"}]}]}
>>> pod_spec_warnings(spec, "spec")
['spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]']

Simplified: the other warnings of GetWarningsForPod (deprecated node labels and annotations,
fractional quantities...) and of the other kinds are not given.

Upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go (AddWarning),
pkg/api/pod/warnings.go (GetWarningsForPod, GetWarningsForPodTemplate),
pkg/registry/batch/job/strategy.go and pkg/registry/batch/cronjob/strategy.go (WarningsOnCreate)
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.names import is_dns1123_label, is_dns1123_subdomain

__all__ = ["name_warnings", "object_warnings", "pod_spec_warnings"]

TEMPLATE_KINDS = {"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"}

# The kinds whose name becomes part of their pods' names and hostnames (Job: ``my-job-x7k2p``).
NAME_WARNING_KINDS = {"Job", "CronJob"}


def name_warnings(obj: dict) -> list[str]:
    """The Job and CronJob strategies' name warning, given on create only.

    >>> [warning] = name_warnings({"kind": "Job", "metadata": {"name": "my.job"}})
    >>> warning.split("; ")[1]
    'a DNS label is recommended: [must not contain dots]'

    Upstream adds warnings only once the object validated; a name that is not even a DNS
    subdomain is rejected instead, so it gets no warning here.
    """
    name = (obj.get("metadata") or {}).get("name")
    if obj.get("kind") not in NAME_WARNING_KINDS or not isinstance(name, str) or is_dns1123_subdomain(name):
        return []
    msgs = is_dns1123_label(name)
    if not msgs:
        return []
    return ["metadata.name: this is used in Pod names and hostnames, which can result in surprising "
            f"behavior; a DNS label is recommended: [{' '.join(msgs)}]"]  # Go's %v of a []string


def object_warnings(obj: dict, creating: bool = False) -> list[str]:
    """The warnings for creating (``creating=True``) or updating ``obj``: a Pod, or a kind with a pod
    template; on create also the Job and CronJob name warning."""
    kind, spec = obj.get("kind"), obj.get("spec")
    if not isinstance(spec, dict):
        return []
    if creating:
        return name_warnings(obj) + object_warnings(obj)
    if kind == "Pod":
        return pod_spec_warnings(spec, "spec")
    if kind in TEMPLATE_KINDS:
        template = spec.get("template")
        if isinstance(template, dict) and isinstance(template.get("spec"), dict):
            return pod_spec_warnings(template["spec"], "spec.template.spec")
    if kind == "CronJob":
        template = ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template")
        if isinstance(template, dict) and isinstance(template.get("spec"), dict):
            return pod_spec_warnings(template["spec"], "spec.jobTemplate.spec.template.spec")
    return []


def pod_spec_warnings(spec: dict, path: str) -> list[str]:
    """warningsForPodSpecAndMeta's port and grace period checks, over every container."""
    warnings: list[str] = []
    grace = spec.get("terminationGracePeriodSeconds")
    if isinstance(grace, int) and not isinstance(grace, bool) and grace < 0:
        warnings.append(f"{path}.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and "
                        "will be treated as 1")
    seen: dict[str, list[tuple[str, dict]]] = {}
    for key in ("initContainers", "containers", "ephemeralContainers"):  # VisitContainersWithPath
        for i, container in enumerate(spec.get(key) or ()):
            if not isinstance(container, dict):
                continue
            for j, port in enumerate(container.get("ports") or ()):
                if not isinstance(port, dict):
                    continue
                here = f"{path}.{key}[{i}].ports[{j}]"
                if port.get("hostIP") and not port.get("hostPort"):
                    warnings.append(f"{here}: hostIP set without hostPort: {_go_port(port)}")
                block = f"{port.get('protocol', '')}/{port.get('containerPort', 0)}"
                for other_path, other in seen.get(block, ()):
                    if (port.get("hostIP", ""), port.get("hostPort", 0)) == (other.get("hostIP", ""),
                                                                              other.get("hostPort", 0)):
                        warnings.append(f"{here}: duplicate port definition with {other_path}")
                    elif not port.get("hostPort") or not other.get("hostPort"):
                        warnings.append(f"{here}: overlapping port definition with {other_path}")
                seen.setdefault(block, []).append((here, port))
    return warnings


def _go_port(port: dict) -> str:
    """A ContainerPort as Go's ``%+v`` prints it."""
    return (f"{{Name:{port.get('name', '')} HostPort:{port.get('hostPort', 0)} "
            f"ContainerPort:{port.get('containerPort', 0)} Protocol:{port.get('protocol', '')} "
            f"HostIP:{port.get('hostIP', '')}}}")


def warned(server: Any, handler: Any, call: Any) -> Any:
    """Run ``call()`` collecting the server's warnings, then hand each to ``handler``."""
    server.warnings = []
    try:
        return call()
    finally:
        found, server.warnings = server.warnings, None
        for text in found:
            handler(text)
