"""kube-apiserver's system namespaces controller: the namespaces a cluster needs come back.

Every minute the API server checks that ``default``, ``kube-system``, ``kube-public`` and
``kube-node-lease`` exist, and creates any that does not. The first three cannot be deleted at all
(NamespaceLifecycle admission); ``kube-node-lease`` can, and returns within a minute, so the
kubelets' heartbeat Leases have a namespace again.

Simplified: the check reads the API server's watch cache directly (upstream: a namespace
informer), so it writes nothing to the trace unless it creates a namespace.

Upstream: pkg/controlplane/controller/systemnamespaces/system_namespaces_controller.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
INTERVAL = 60.0  # the controller's period (1 minute)


class SystemNamespaces:
    """Creates the system namespaces that are missing, every minute."""

    def __init__(self, loop: Any, apiserver: Any) -> None:
        self.loop, self.apiserver = loop, apiserver
        self.client = apiserver.client("kube-apiserver")

    def start(self) -> SystemNamespaces:
        self.loop.spawn(self._run(), "kube-apiserver/system-namespaces", periodic=True)
        return self

    def _run(self):
        while True:
            yield INTERVAL
            for name in SYSTEM_NAMESPACES:
                if self.apiserver.lister.get("namespaces", None, name) is None:
                    try:
                        self.client.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
                    except ApiError as err:
                        if err.code != 409:  # (still terminating: the next minute's check creates it)
                            raise
