"""DefaultBinder: tell the API server the decision by creating the pod's Binding.

The Binding subresource (``POST /api/v1/namespaces/default/pods/web/binding``) sets
``spec.nodeName``. The scheduler itself never writes the pod spec.

Upstream: pkg/scheduler/framework/plugins/defaultbinder/default_binder.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.scheduler.framework import SUCCESS, Code, CycleState, Status

NAME = "DefaultBinder"


class DefaultBinder:
    """Bind."""

    name = NAME

    def __init__(self, handle: Any = None) -> None:
        self.handle = handle

    def bind(self, state: CycleState, pod: dict, node_name: str) -> Status:
        meta = pod["metadata"]
        try:
            self.handle.client.bind(meta["name"], meta.get("namespace", "default"), node_name)
        except ApiError as err:
            return Status(Code.Error, str(err))
        return SUCCESS
