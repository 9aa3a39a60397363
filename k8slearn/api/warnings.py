"""The API server's warnings: accepted, but worth a word (``Warning: ...`` in kubectl's stderr).

A request can succeed and still come back with ``Warning`` headers. kubectl prints each one on
stderr as ``Warning: <text>``. Two kinds are modelled:

- unknown fields dropped under ``fieldValidation=Warn`` (kubectl ``--validate=warn``, and the
  server's default for clients that send none, such as ``kubectl run --overrides``):
  ``unknown field "spec.contaners"``;
- a pod's (or a pod template's) ports that repeat or overlap, a hostIP without a hostPort, and a
  negative terminationGracePeriodSeconds, as GetWarningsForPod words them: when a pod or a
  workload is created, and when a workload's spec changes (its generation moves: a new template, a
  scale); never on a pod's update (the pod strategy skips them: a hot path).

>>> spec = {"containers": [{"name": "a", "ports": [{"containerPort": 80, "protocol": "TCP"},
...                                                {"containerPort": 80, "protocol": "TCP"}]}]}
>>> pod_spec_warnings(spec, "spec")
['spec.containers[0].ports[1]: duplicate port definition with spec.containers[0].ports[0]']

Simplified: the other warnings of GetWarningsForPod (deprecated node labels and annotations,
fractional quantities...) and of the other kinds are not given.

Upstream: staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go (AddWarning),
pkg/api/pod/warnings.go (GetWarningsForPod, GetWarningsForPodTemplate)
"""

from __future__ import annotations

from typing import Any

__all__ = ["object_warnings", "pod_spec_warnings"]

TEMPLATE_KINDS = {"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"}


def object_warnings(obj: dict) -> list[str]:
    """The warnings for creating or updating ``obj`` (a Pod, or a kind with a pod template)."""
    kind, spec = obj.get("kind"), obj.get("spec")
    if not isinstance(spec, dict):
        return []
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
