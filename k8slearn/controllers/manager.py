"""kube-controller-manager: one binary running many controllers over shared informers.

Each controller registers the informers it needs on one SharedInformerFactory, so the binary
watches each resource once however many controllers care about it. ``start()`` first runs
leader election on the Lease ``kube-system/kube-controller-manager``; only the leader starts the
informers (list + watch) and every controller's workers. A second instance waits, and takes over
about 15 s after the leader stops renewing::

    cm1 = ControllerManager(loop, client1, hostname="control-plane")    # becomes leader
    cm2 = ControllerManager(loop, client2, hostname="control-plane-2")  # waits
    cm1.stop()                                                          # ... cm2 leads ~15-20 s later

Options (the defaults are kube-controller-manager's): ``controllers=`` the names to run (default
all), ``leader_elect=False`` to start at once, ``node_lifecycle={...}`` keyword arguments for the
node lifecycle controller (``node_monitor_grace_period=``, ``node_monitor_period=``,
``eviction_limiter_qps=``) for demos that should not wait 50 s; ``controller_options={name: {...}}``
for any controller (``{"node-ipam-controller": {"cluster_cidr": "10.0.0.0/8"}}`` for big clusters).

A manager that loses its Lease exits (status 1), as the real binary does; the kubelet of its
static pod starts a new process (new identity, empty caches), which waits for the Lease again.

Simplified: one worker per controller.

Upstream: cmd/kube-controller-manager/app/controllermanager.go, cmd/kube-controller-manager/names
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.client.informer import SharedInformerFactory
from k8slearn.client.leaderelection import RESTART_DELAY, LeaderElector, new_identity, next_identity
from k8slearn.controllers.cronjob import CronJobController
from k8slearn.controllers.daemonset import DaemonSetsController
from k8slearn.controllers.deployment import DeploymentController
from k8slearn.controllers.disruption import DisruptionController
from k8slearn.controllers.endpoints import EndpointsController
from k8slearn.controllers.endpointslice import EndpointSliceController
from k8slearn.controllers.endpointslice_mirroring import EndpointSliceMirroringController
from k8slearn.controllers.garbage_collector import GarbageCollector
from k8slearn.controllers.job import JobController
from k8slearn.controllers.job_ttl_after_finished import TTLAfterFinishedController
from k8slearn.controllers.namespace import NamespaceController
from k8slearn.controllers.node_ipam import NodeIpamController
from k8slearn.controllers.node_lifecycle import NodeLifecycleController
from k8slearn.controllers.persistent_volume import PersistentVolumeController
from k8slearn.controllers.podgc import PodGCController
from k8slearn.controllers.pv_protection import PVProtectionController
from k8slearn.controllers.pvc_protection import PVCProtectionController
from k8slearn.controllers.replicaset import ReplicaSetController
from k8slearn.controllers.root_ca_publisher import RootCACertPublisher
from k8slearn.controllers.serviceaccounts import ServiceAccountsController
from k8slearn.controllers.statefulset import StatefulSetController
from k8slearn.controllers.taint_eviction import TaintEvictionController
from k8slearn.sim import Loop

NAME = "kube-controller-manager"

# Upstream controller names (kube-controller-manager --controllers) -> class.
CONTROLLERS: dict[str, Any] = {
    "node-ipam-controller": NodeIpamController,
    "node-lifecycle-controller": NodeLifecycleController,
    "taint-eviction-controller": TaintEvictionController,
    "replicaset-controller": ReplicaSetController,
    "deployment-controller": DeploymentController,
    "daemonset-controller": DaemonSetsController,
    "statefulset-controller": StatefulSetController,
    "job-controller": JobController,
    "ttl-after-finished-controller": TTLAfterFinishedController,
    "endpoints-controller": EndpointsController,
    "endpointslice-controller": EndpointSliceController,
    "endpointslice-mirroring-controller": EndpointSliceMirroringController,
    "disruption-controller": DisruptionController,
    "garbage-collector-controller": GarbageCollector,
    "pod-garbage-collector-controller": PodGCController,
    "namespace-controller": NamespaceController,
    "cronjob-controller": CronJobController,
    "serviceaccount-controller": ServiceAccountsController,
    "root-ca-certificate-publisher-controller": RootCACertPublisher,
    "persistentvolume-binder-controller": PersistentVolumeController,
    "persistentvolumeclaim-protection-controller": PVCProtectionController,
    "persistentvolume-protection-controller": PVProtectionController,
}


# --use-service-account-credentials (kubeadm sets it): each controller talks to the API server as
# its own ServiceAccount in kube-system, which the controller manager creates before starting it
# (controllerContext.ClientBuilder.ClientOrDie("<name>")). Controllers may share one.
SERVICE_ACCOUNTS = {
    "node-ipam-controller": "node-controller",
    "node-lifecycle-controller": "node-controller",
    "taint-eviction-controller": "node-controller",
    "replicaset-controller": "replicaset-controller",
    "deployment-controller": "deployment-controller",
    "daemonset-controller": "daemon-set-controller",
    "statefulset-controller": "statefulset-controller",
    "job-controller": "job-controller",
    "ttl-after-finished-controller": "ttl-after-finished-controller",
    "endpoints-controller": "endpoint-controller",
    "endpointslice-controller": "endpointslice-controller",
    "endpointslice-mirroring-controller": "endpointslicemirroring-controller",
    "disruption-controller": "disruption-controller",
    "garbage-collector-controller": "generic-garbage-collector",
    "pod-garbage-collector-controller": "pod-garbage-collector",
    "namespace-controller": "namespace-controller",
    "cronjob-controller": "cronjob-controller",
    "serviceaccount-controller": "service-account-controller",
    "root-ca-certificate-publisher-controller": "root-ca-cert-publisher",
    "persistentvolume-binder-controller": "persistent-volume-binder",
    "persistentvolumeclaim-protection-controller": "pvc-protection-controller",
    "persistentvolume-protection-controller": "pv-protection-controller",
}


class ControllerManager:
    """Runs the controllers while it holds the leader Lease; ``controllers`` maps names to instances."""

    def __init__(self, loop: Loop, client: Any, *, hostname: str = "control-plane", identity: str | None = None,
                 leader_elect: bool = True, controllers: Iterable[str] | None = None,
                 node_lifecycle: dict | None = None, controller_options: dict[str, dict] | None = None) -> None:
        self.loop = loop
        self.client = client
        options = {name: dict(opts) for name, opts in (controller_options or {}).items()}
        options.setdefault("node-lifecycle-controller", {}).update(node_lifecycle or {})
        self._names = list(CONTROLLERS) if controllers is None else list(controllers)
        self._options = options
        self._new_process_memory()
        self.identity = identity or new_identity(hostname, loop.rng)
        self.elector = self._new_elector() if leader_elect else None
        # told when the process exits (status 1 when it lost the Lease); the cluster makes it the
        # kubelet of the static pod, which starts a new process
        self.on_exit: Callable[[int], Any] = lambda code: loop.call_later(RESTART_DELAY, self.restart)
        self.running = False

    def _new_elector(self) -> LeaderElector:
        """The leader election of a process that has just started: it has observed no Lease yet."""
        return LeaderElector(self.loop, self.client, NAME, self.identity, self._start_controllers,
                             self._lost_lease, component=NAME)

    @property
    def leading(self) -> bool:
        return self.running

    def start(self) -> None:
        """Start leader election (or, without it, the controllers at once)."""
        if self.elector is not None:
            self.elector.run()
        else:
            self._start_controllers()

    def stop(self) -> None:
        """Power off this instance: no more Lease renewals, no more controllers."""
        if self.elector is not None:
            self.elector.stop()
        self._stop_controllers()

    def is_up(self) -> bool:
        """The process runs (leading, or waiting for the Lease)."""
        return self.elector.is_running() if self.elector is not None else self.running

    def _new_process_memory(self) -> None:
        """The informers and controllers of a process that has just started: empty caches, an empty
        garbage-collector graph, no expectations (all it knows comes from its first lists)."""
        self.informers = SharedInformerFactory(self.client)
        self.controllers = {name: CONTROLLERS[name](self.loop, self.client, self.informers,
                                                    **self._options.get(name, {}))
                            for name in self._names}

    def restart(self) -> None:
        """A new process on the same host: a new identity (``<hostname>_<uuid>``), memory and caches
        as a new process has them (nothing carried over from the old one), then ``start()``."""
        self.stop()
        self._new_process_memory()
        self.identity = next_identity(self.identity, self.loop.rng)
        if self.elector is not None:
            self.elector = self._new_elector()
        self.start()

    def _start_controllers(self) -> None:
        if self.running:
            return
        self.running = True
        self.loop.record(NAME, "leading", f"lease/kube-system/{NAME}", f"{self.identity} runs the controllers")
        self._ensure_service_accounts()
        for controller in self.controllers.values():
            controller.run()

    def _ensure_service_accounts(self) -> None:
        """SAControllerClientBuilder: the ServiceAccount each controller runs as, created if missing."""
        for account in dict.fromkeys(SERVICE_ACCOUNTS[name] for name in self.controllers if name in SERVICE_ACCOUNTS):
            try:
                self.client.create({"apiVersion": "v1", "kind": "ServiceAccount",
                                    "metadata": {"name": account, "namespace": "kube-system"}}, "kube-system")
            except ApiError as err:
                if err.code != 409:  # already there: made by an earlier leader
                    raise

    def _lost_lease(self) -> None:
        """OnStoppedLeading: ``leaderelection lost``, and the process exits with status 1."""
        self._stop_controllers()
        self.on_exit(1)

    def _stop_controllers(self) -> None:
        if not self.running:
            return
        self.running = False
        for controller in self.controllers.values():
            controller.stop()
        self.informers.stop()
