"""The pod subresources that connect through to a node: where the API server sends ``exec``.

``POST pods/web/exec?container=nginx&command=hostname`` is not stored anywhere: the API server
checks the request against the pod and forwards the stream to the kubelet of the pod's node.
Before it forwards, it refuses with 400 BadRequest a container the pod does not have, a request
without a container for a pod of several, and a pod not yet on a node:

>>> pod = {"metadata": {"name": "web"}, "spec": {"nodeName": "node-1",
...        "containers": [{"name": "nginx"}, {"name": "log-agent"}]}}
>>> stream_location(pod, "nginx")
'node-1'
>>> stream_location(pod, "")
Traceback (most recent call last):
...
k8slearn.api.errors.ApiError: a container name must be specified for pod web, choose one of: [nginx log-agent]

Simplified: no node connection info (the kubelet is reached directly), no attach, portforward or
proxy subresources.

Upstream: pkg/registry/core/pod/strategy.go (ExecLocation, streamLocation),
pkg/registry/core/pod/rest/subresources.go (ExecREST)
"""

from __future__ import annotations

from k8slearn.api.errors import ApiError


def bad_request(message: str) -> ApiError:
    return ApiError({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                     "message": message, "reason": "BadRequest", "code": 400})


def stream_location(pod: dict, container: str) -> str:
    """streamLocation: the node whose kubelet serves ``container`` of ``pod``; ApiError if none."""
    spec, name = pod.get("spec") or {}, pod["metadata"]["name"]
    containers = [c["name"] for c in spec.get("containers") or []]
    init = [c["name"] for c in spec.get("initContainers") or []]
    ephemeral = [c["name"] for c in spec.get("ephemeralContainers") or []]
    if not container:
        if len(containers) == 1:
            container = containers[0]
        elif not containers:
            raise bad_request(f"a container name must be specified for pod {name}")
        else:
            message = f"a container name must be specified for pod {name}, choose one of: [{' '.join(containers)}]"
            if init:
                message += f" or one of the init containers: [{' '.join(init)}]"
            if ephemeral:
                message += f" or one of the ephemeral containers: [{' '.join(ephemeral)}]"
            raise bad_request(message)
    elif container not in containers + init + ephemeral:
        raise bad_request(f"container {container} is not valid for pod {name}")
    node = spec.get("nodeName") or ""
    if not node:
        raise bad_request(f"pod {name} does not have a host assigned")
    return node
