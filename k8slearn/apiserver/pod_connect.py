"""The pod subresources that connect through to a node: where the API server sends ``exec``.

``POST pods/web/exec?container=nginx&command=hostname`` is not stored anywhere: the API server
checks the request against the pod and forwards the stream to the kubelet of the pod's node.
Before it forwards, it refuses with 400 BadRequest a container the pod does not have, a request
without a container for a pod of several, and a pod not yet on a node:

>>> pod = {"metadata": {"name": "web"}, "spec": {"nodeName": "node-1",
...        "containers": [{"name": "nginx"}, {"name": "log-agent"}]}}
>>> stream_location(pod, "nginx")
('node-1', 'nginx')
>>> stream_location(pod, "")
Traceback (most recent call last):
...
k8slearn.api.errors.ApiError: a container name must be specified for pod web, choose one of: [nginx log-agent]

``GET pods/web/log`` checks the container the same way, but a pod not yet on a node has no
location: its log is empty, not an error (LogLocation). A plain GET of ``exec``, ``attach`` or
``portforward`` passes the same checks, then is refused, since those routes only upgrade to a
stream (:data:`UPGRADE_REQUIRED`).

Simplified: no node connection info (the kubelet is reached directly), no proxy subresources.

Upstream: pkg/registry/core/pod/strategy.go (LogLocation, ExecLocation, AttachLocation,
PortForwardLocation, streamLocation), pkg/registry/core/pod/rest/subresources.go (ExecREST, AttachREST),
staging/src/k8s.io/apimachinery/pkg/util/proxy/upgradeaware.go (UpgradeRequired)
"""

from __future__ import annotations

from k8slearn.api.errors import ApiError


def bad_request(message: str) -> ApiError:
    return ApiError({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                     "message": message, "reason": "BadRequest", "code": 400})


UPGRADE_REQUIRED = "Upgrade request required"  # a plain GET of exec/attach/portforward (UpgradeAwareHandler)


def stream_location(pod: dict, container: str) -> tuple[str, str]:
    """streamLocation: the node whose kubelet serves ``container`` of ``pod``, and that container
    (the pod's only one when none is named); ApiError if none."""
    chosen = validate_container(pod, container)
    return _host(pod), chosen


def log_location(pod: dict, container: str) -> tuple[str, str]:
    """LogLocation: the container whose log is read and the pod's node, ``""`` for a pod not yet
    on a node (no location: the log is empty)."""
    return (pod.get("spec") or {}).get("nodeName") or "", validate_container(pod, container)


def port_forward_location(pod: dict) -> str:
    """PortForwardLocation: the pod's node (no container: a pod's ports are the sandbox's)."""
    return _host(pod)


def _host(pod: dict) -> str:
    node = (pod.get("spec") or {}).get("nodeName") or ""
    if not node:
        raise bad_request(f"pod {pod['metadata']['name']} does not have a host assigned")
    return node


def validate_container(pod: dict, container: str) -> str:
    """The container a request names, which the pod must have, or the pod's only container."""
    spec, name = pod.get("spec") or {}, pod["metadata"]["name"]
    containers = [c["name"] for c in spec.get("containers") or []]
    init = [c["name"] for c in spec.get("initContainers") or []]
    ephemeral = [c["name"] for c in spec.get("ephemeralContainers") or []]
    if container:
        if container not in containers + init + ephemeral:
            raise bad_request(f"container {container} is not valid for pod {name}")
        return container
    if len(containers) == 1:
        return containers[0]
    if not containers:
        raise bad_request(f"a container name must be specified for pod {name}")
    message = f"a container name must be specified for pod {name}, choose one of: [{' '.join(containers)}]"
    if init:
        message += f" or one of the init containers: [{' '.join(init)}]"
    if ephemeral:
        message += f" or one of the ephemeral containers: [{' '.join(ephemeral)}]"
    raise bad_request(message)
