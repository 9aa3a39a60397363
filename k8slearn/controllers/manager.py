"""kube-controller-manager: one binary running many controllers over shared informers.

Each controller registers the informers it needs on one SharedInformerFactory, so the binary
watches each resource once however many controllers care about it. ``start()`` starts the
informers (list + watch) and every controller's workers.

Simplified: no leader election yet (one instance), and only the controllers built so far.

Upstream: cmd/kube-controller-manager/app/controllermanager.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.client.informer import SharedInformerFactory
from k8slearn.controllers.node_ipam import NodeIpamController
from k8slearn.sim import Loop

NAME = "kube-controller-manager"


class ControllerManager:
    """Runs the controllers; ``controllers`` maps upstream controller names to instances."""

    def __init__(self, loop: Loop, client: Any) -> None:
        self.loop = loop
        self.client = client
        self.informers = SharedInformerFactory(client)
        self.controllers = {
            "node-ipam-controller": NodeIpamController(loop, client, self.informers),
        }
        self.running = False

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        for controller in self.controllers.values():
            controller.run()

    def stop(self) -> None:
        self.running = False
        for controller in self.controllers.values():
            controller.stop()
        self.informers.stop()
