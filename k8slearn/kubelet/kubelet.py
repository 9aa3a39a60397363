"""The kubelet: the agent on every node that registers it, runs its pods and reports back.

On start the kubelet POSTs its Node (or re-asserts the status of an existing one), writes the
"Starting kubelet." and node-condition events, and creates its Lease in ``kube-node-lease``. It
then watches three things through the API server: its own Node (to learn ``spec.podCIDR``, which
it hands to the container runtime so CNI can give pods IPs), the pods bound to it
(``fieldSelector=spec.nodeName=<node>``), each driven by a pod worker
(:mod:`k8slearn.kubelet.pod_workers`), and every Service (the variables each container starts
with: :mod:`k8slearn.kubelet.container_env`). The ConfigMaps and Secrets a container's
environment names are read when it is created. The node turns Ready once the runtime's network is
ready. From then on the kubelet renews its Lease every 10 s and re-posts node status every
5 minutes. On the control-plane node it also publishes mirror pods for the static control-plane
pods; moving a manifest out of ``/etc/kubernetes/manifests`` stops that pod and deletes its mirror
(:meth:`Kubelet.remove_static_pod`), moving it back runs it again. ``stop()`` is a power cut: the
kubelet goes silent and its containers die with the machine.

Everything goes through the API server client; the kubelet never touches another component.

Pod volumes are set up by its volume manager (:mod:`k8slearn.kubelet.volume_manager`).

Simplified: static pods are reported Running at once (their containers are the control plane we
already simulate); no cAdvisor or eviction manager. Probes: :mod:`k8slearn.kubelet.prober`.

Upstream: pkg/kubelet/kubelet.go, pkg/kubelet/kubelet_node_status.go,
pkg/kubelet/nodelease/ (component-helpers/apimachinery/lease), pkg/kubelet/config/ (static pods),
pkg/kubelet/pod/mirror_client.go
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import micro_timestamp, thaw, timestamp
from k8slearn.client.informer import SharedInformerFactory
from k8slearn.client.nodeutil import patch_node_status
from k8slearn.client.podutil import patch_pod_status
from k8slearn.client.record import EventRecorder, node_reference
from k8slearn.kubelet import node_status
from k8slearn.kubelet.pod_workers import RELIST_PERIOD, PodWorkers
from k8slearn.kubelet.runtime import ContainerRuntime
from k8slearn.kubelet.backoff import Backoff
from k8slearn.kubelet.static_pods import mirror_pod, restarted_status, running_status, static_pod_reference
from k8slearn.kubelet.streaming import attach_in_pod, container_view, exec_in_pod
from k8slearn.kubelet.volume_manager import VolumeManager, read_object
from k8slearn.sim import Loop, Process, Timer

HOUSEKEEPING_PERIOD = 2.0  # the kubelet's housekeeping (HandlePodCleanups) runs every 2 s


class Kubelet:
    """One node's kubelet. Create it, then ``start()``; ``stop()`` powers the node off."""

    def __init__(self, loop: Loop, client: Any, node: dict, static_pods: tuple[str, ...] = ()) -> None:
        self.loop = loop
        self.client = client
        self.node_name = node["metadata"]["name"]
        self.node_template = node
        self.static_pods = static_pods
        self.component = f"kubelet/{self.node_name}"
        self.events = EventRecorder(client, "kubelet", host=self.node_name, clock=lambda: loop.now)
        self.node_ref = node_reference(self.node_name, self.node_name)  # kl.nodeRef: the name as UID
        self.runtime = ContainerRuntime(loop, self.node_name)
        self.workers = PodWorkers(self)
        self.runtime.on_container_exit = self.workers.container_exited
        self.runtime.container_view = lambda container: container_view(self.workers, container)
        self.volume_manager = VolumeManager(loop, client, self.events, self.component, node=self.node)
        self.running = False
        self.ready = False
        self.boots = 0  # how many times the machine has been powered on (each boot has its own boot ID)
        self.lease: dict | None = None
        self._reported_images: list[dict] = []
        self._last_unschedulable = False  # what the last status sync saw of spec.unschedulable
        self.informers: SharedInformerFactory | None = None
        self.pods: Any = None
        self._node_informer: Any = None
        self.services: Any = None
        self.services_version = 0
        self._process: Process | None = None
        self._timers: list[Timer] = []
        self._static_backoff = Backoff()  # the crash-loop back-off of the static pods' containers
        # the pod network beyond this node (cluster.py wires it: the wire, not a component)
        self.pod_network: Any = None

    @property
    def ip(self) -> str:
        return self.node_template["status"]["addresses"][0]["address"]

    def node(self) -> dict | None:
        """This node as the kubelet's informer last saw it."""
        return self._node_informer.lister.get(self.node_name) if self._node_informer else None

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Power on: register (or re-register) the node, then start watching and heartbeating."""
        if self.running:
            return
        self.running = True
        self.boots += 1
        self.runtime.power_on()  # containerd starts before the kubelet
        self._last_unschedulable = False  # a new kubelet process remembers nothing
        self.events.forget()  # nor the events it recorded: a repeat is a new Event, not a higher count
        self._static_backoff = Backoff()  # nor its back-offs
        self.volume_manager.start()
        self._timers.append(self.loop.call_later(0.0, self._register))

    def stop(self) -> None:
        """Power off: no status, no Lease renewals, and every container on the machine dies."""
        self.running = False
        self.ready = False
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        if self._process is not None:
            self._process.stop()
            self._process = None
        if self.informers is not None:
            self.informers.stop()
        self.workers.stop()
        self.volume_manager.stop()
        self.runtime.power_off()
        self.loop.record(
            self.component, "stop", f"node/{self.node_name}", "kubelet stopped (node powered off)"
        )

    # -- registration -------------------------------------------------------------------------
    def _register(self) -> None:
        node, previous_boot = self._register_node()
        self.events.event(self.node_ref, "Normal", "Starting", "Starting kubelet.")
        self.events.event(
            self.node_ref, "Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods"
        )
        for reason in node_status.pressure_events(None):  # initialNode's setters: no conditions yet
            self._record_node_status_event(reason)
        if previous_boot is not None:  # already registered (a restart): re-assert our status
            node = self._post_status(node)
        self._renew_lease()
        for component in self.static_pods:
            self._publish_mirror_pod(node, component)
        self.informers = SharedInformerFactory(self.client)
        self._node_informer = self.informers.informer(
            "nodes", field_selector=f"metadata.name={self.node_name}"
        )
        self._node_informer.add_event_handler(
            on_add=self._on_node, on_update=lambda old, new: self._on_node(new)
        )
        # The Services every container's environment names (getServiceEnvVarMap reads a lister);
        # services_version counts their changes, so environments computed before stay valid until one.
        self.services = self.informers.informer("services")
        self.services.add_event_handler(on_add=self._services_changed, on_update=lambda old, new: self._services_changed(),
                                        on_delete=self._services_changed)
        self.pods = self.informers.informer("pods", field_selector=f"spec.nodeName={self.node_name}")
        self.pods.add_event_handler(
            on_add=self.workers.update_pod,
            on_update=self._on_pod_update,
            on_delete=self._pod_deleted,
        )
        self.informers.start()
        self.workers.start()
        self._process = self.loop.spawn(self._heartbeat(), self.component, periodic=True)

    def _services_changed(self, *_: Any) -> None:
        self.services_version += 1

    def _on_pod_update(self, old: dict, new: dict) -> None:
        """config.checkAndUpdatePod: a change of the pod's spec, labels, annotations or deletion is
        an update its worker syncs for; a change of its status alone (the kubelet's own writes,
        mostly) only refreshes the kubelet's copy (a reconcile, no sync)."""
        if self.volume_manager.pods:  # (only pods whose containers mount volumes are there)
            self.volume_manager.pod_updated(new)
        if self.static_pods:
            self._reconcile_mirror_pod(new)
        if old.get("spec") == new.get("spec") and _same_metadata(old["metadata"], new["metadata"]):
            self.workers.reconcile_pod(new)
            return
        self.workers.update_pod(new)

    def _pod_deleted(self, pod: dict) -> None:
        self.workers.pod_deleted(pod)
        if self.static_pods:
            self._reconcile_mirror_pod(pod, deleted=True)
        if self.volume_manager.pods:
            self.volume_manager.pod_removed(pod)

    def config_object(self, resource: str, namespace: str, name: str) -> dict | None:
        """A ConfigMap or Secret a container's environment names (None when it does not exist)."""
        return read_object(self.client, resource, name, namespace)

    def boot_id(self) -> str:
        """This boot's ID (/proc/sys/kernel/random/boot_id): a new one each time the machine starts
        (and on the new machines of a restored cluster)."""
        return node_status.boot_id(self.node_name, self.boots, salt=getattr(self.loop, "uid_salt", ""))

    def _register_node(self) -> tuple[dict, str | None]:
        """The registered Node, and the boot ID it had before (a restart finds its Node there; None
        when this start registered it)."""
        template = thaw(self.node_template)
        template["status"]["conditions"] = node_status.conditions(
            self.loop.now, ready=False, not_ready_message=node_status.NETWORK_NOT_READY
        )
        template["status"]["nodeInfo"]["bootID"] = self.boot_id()
        try:
            return self.client.create(template), None
        except ApiError as err:
            if err.code != 409:
                raise
        # Already registered (a restart): keep the object (_register re-asserts our status).
        node = self.client.get("nodes", self.node_name)
        return node, (node["status"].get("nodeInfo") or {}).get("bootID", "")

    def _on_node(self, node: dict) -> None:
        """Our Node changed: a new podCIDR lets the runtime configure CNI, and the node become Ready."""
        cidr = node["spec"].get("podCIDR")
        if cidr and self.runtime.cni_config is None:
            self.runtime.update_runtime_config(cidr)
        if self.runtime.network_ready() and not self.ready and self.running:
            self.ready = True
            self._post_status(self.client.get("nodes", self.node_name))  # (the Ready setter records NodeReady)
            self.workers.signal_all()

    def _post_status(self, node: dict) -> dict:
        """updateNode, then patchNodeStatus: the status this kubelet reports (this boot's ID, its
        images, its conditions with a new heartbeat), sent as a patch from the Node it read. The
        setters' events come in their order: MachineInfo's Rebooted, the pressure conditions'
        (again for those the node lifecycle controller set Unknown), ReadyCondition's."""
        status = thaw(node["status"])
        rebooted = node_status.rebooted_message(self.node_name, (status.get("nodeInfo") or {}).get("bootID", ""),
                                                self.boot_id())
        if rebooted:  # (the MachineInfo setter, before the condition setters)
            self.events.event(self.node_ref, "Warning", "Rebooted", rebooted)
        status.setdefault("nodeInfo", {})["bootID"] = self.boot_id()
        status["images"] = self._reported_images = self._images()
        status["conditions"] = node_status.conditions(
            self.loop.now,
            ready=self.ready,
            previous=node["status"].get("conditions"),
            not_ready_message=node_status.NETWORK_NOT_READY,
        )
        for reason in node_status.pressure_events(node["status"].get("conditions")):
            self._record_node_status_event(reason)
        event = node_status.ready_event(node["status"].get("conditions"), status["conditions"])
        if event:
            self._record_node_status_event(event)
        return patch_node_status(self.client, self.node_name, node["status"], status)

    def _images(self) -> list[dict]:
        """status.images: what the runtime has cached, biggest first (the scheduler's ImageLocality reads it)."""
        cached = sorted(self.runtime.images.values(), key=lambda i: (-i.size, i.ref))
        return [{"names": [i.repo_digest, i.ref], "sizeBytes": i.size} for i in cached[:50]]

    # -- heartbeats ---------------------------------------------------------------------------
    def _heartbeat(self):
        """Renew the Lease every 10 s; re-post node status when it changed, else every 5 minutes."""
        since_status = 0.0
        while True:
            yield node_status.LEASE_RENEW_INTERVAL
            self._renew_lease()
            self._record_node_schedulable_event()
            since_status += node_status.LEASE_RENEW_INTERVAL
            if since_status >= node_status.NODE_STATUS_REPORT_FREQUENCY or self._images() != self._reported_images \
                    or self._conditions_overwritten():
                since_status = 0.0
                node = self._get_node()
                if node is not None:
                    self._post_status(node)

    def _conditions_overwritten(self) -> bool:
        """nodeStatusHasChanged: the Node's conditions say something else than this kubelet would
        post (the node lifecycle controller set Ready to Unknown while the heartbeats were missing),
        so the status is posted now, not at the next 5-minute report."""
        node = self._node_informer.lister.get(self.node_name) if self._node_informer is not None else None
        if node is None:
            return False
        ready = next((c.get("status") for c in node["status"].get("conditions") or () if c.get("type") == "Ready"), None)
        return ready is not None and ready != ("True" if self.ready else "False")

    def _get_node(self) -> dict | None:
        """tryUpdateNodeStatus's GET of the Node. A Node object deleted while the kubelet runs is not
        registered again (registration happens once, at start): the kubelet only says it cannot
        update the status, at every try, as "error getting node"."""
        try:
            return self.client.get("nodes", self.node_name)
        except ApiError as err:
            if err.code != 404:
                raise
            self.loop.record(self.component, "updateNodeStatus", f"node/{self.node_name}",
                             f'error getting node "{self.node_name}": {err}')
            return None

    def _record_node_status_event(self, reason: str) -> None:
        """recordNodeStatusEvent: ``Node <name> status is now: <reason>`` about this kubelet's nodeRef."""
        self.events.event(self.node_ref, "Normal", reason, f"Node {self.node_name} status is now: {reason}")

    def _record_node_schedulable_event(self) -> None:
        """recordNodeSchedulableEvent: on each status sync, an event when ``spec.unschedulable``
        changed since the last one (``kubectl cordon`` / ``uncordon``)."""
        node = self._node_informer.lister.get(self.node_name) if self._node_informer is not None else None
        unschedulable = bool(node is not None and node["spec"].get("unschedulable"))
        if node is not None and unschedulable != self._last_unschedulable:
            reason = "NodeNotSchedulable" if unschedulable else "NodeSchedulable"
            self._record_node_status_event(reason)
            self._last_unschedulable = unschedulable

    def _renew_lease(self) -> None:
        if self.lease is not None:
            self.lease["spec"]["renewTime"] = micro_timestamp(self.loop.now)
            try:
                self.lease = self.client.update(self.lease)
                return
            except ApiError:
                self.lease = None  # changed or deleted behind our back: start over
        try:
            self.lease = self.client.get("leases", self.node_name, node_status.LEASE_NAMESPACE)
            self.lease["spec"]["renewTime"] = micro_timestamp(self.loop.now)
            self.lease["spec"]["holderIdentity"] = self.node_name
            self.lease = self.client.update(self.lease)
        except ApiError as err:
            if err.code != 404:
                raise
            node = self._get_node()  # (the lease's owner: none if the Node object is gone)
            try:
                self.lease = self.client.create(node_status.new_lease(node, self.loop.now, self.node_name))
            except ApiError as failed:  # e.g. kube-node-lease deleted: ensureLease tries again later
                self.loop.record(self.component, "ensureLease", f"lease/{self.node_name}",
                                 f"failed to ensure lease exists, will retry: {failed}")

    # -- static pods --------------------------------------------------------------------------
    def _publish_mirror_pod(self, node: dict, component: str) -> None:
        pod = mirror_pod(component, node)
        try:
            stored = self.client.create(pod)
        except ApiError as err:
            if err.code != 409:
                raise
            stored = self.client.get("pods", pod["metadata"]["name"], "kube-system")
            if stored["metadata"].get("deletionTimestamp"):  # being deleted: replace it at once
                self._delete_mirror_pod(stored)
                stored = self.client.create(pod)
        # the status manager's PATCH of the mirror pod's status (with its uid as a guard)
        patch_pod_status(self.client, stored, running_status(stored, self.ip, timestamp(self.loop.now), self.loop.rng),
                         with_uid=True)

    def static_pod_exited(self, component: str, exit_code: int, start_process: Callable[[], None]) -> None:
        """The process of a static pod exited (a kube-scheduler that lost its Lease exits with 1).
        The kubelet notices at its next relist (PLEG, 1 s) and starts the container again: at once
        the first time, after the crash-loop back-off (10 s, doubling to 300 s) when it exits again
        soon. ``start_process`` is the new process; the mirror pod shows the restart."""
        if not self.running or component not in self.static_pods:
            return
        finished, key = self.loop.now, f"{component}-{self.node_name}/{component}"
        wait = max(RELIST_PERIOD, self._static_backoff.in_backoff_since(key, finished, finished))
        self._timers.append(self.loop.call_later(wait, self._restart_static_pod, component, exit_code, finished,
                                                 start_process, key))

    def _restart_static_pod(self, component: str, exit_code: int, finished: float,
                            start_process: Callable[[], None], key: str) -> None:
        if not self.running:  # the machine went off: powering on starts everything again
            return
        self._static_backoff.next(key, finished)
        start_process()
        try:
            pod = self.client.get("pods", f"{component}-{self.node_name}", "kube-system")
        except ApiError:
            return
        status = restarted_status(pod, exit_code, timestamp(finished), timestamp(self.loop.now), self.loop.rng)
        patch_pod_status(self.client, pod, status, with_uid=True)
        self._record_static_start(pod, component)

    def remove_static_pod(self, component: str, stop_process: Callable[[], None]) -> None:
        """The manifest of ``component`` left ``/etc/kubernetes/manifests`` (an administrator's
        ``mv``): the file source reports the static pod removed and the kubelet stops running it
        (HandlePodRemoves). Its pod worker kills the container (a Killing event; SIGTERM ends the
        process, ``stop_process``); the next housekeeping (HandlePodCleanups, every 2 s) finds the
        mirror pod an orphan and deletes it (deleteOrphanedMirrorPods). On a machine that is off
        the manifest is simply gone when it boots.

        Simplified: the process stops at once (kube-controller-manager and kube-scheduler exit on
        SIGTERM well within the grace period); the housekeeping comes a full period later."""
        if component not in self.static_pods:
            raise ValueError(f"no static pod manifest {component}.yaml in /etc/kubernetes/manifests on {self.node_name}")
        self.static_pods = tuple(c for c in self.static_pods if c != component)
        if not self.running:
            return
        stop_process()
        name = f"{component}-{self.node_name}"
        try:
            mirror = self.client.get("pods", name, "kube-system")
        except ApiError:
            return
        self.events.event(static_pod_reference(mirror), "Normal", "Killing", f"Stopping container {component}",
                          field_path=f"spec.containers{{{component}}}")
        self._timers.append(self.loop.call_later(HOUSEKEEPING_PERIOD, self._delete_orphaned_mirror_pod, mirror))

    def _delete_orphaned_mirror_pod(self, mirror: dict) -> None:
        if not self.running or self._static_component(mirror) is not None:
            return  # (the manifest came back in the meantime: the mirror pod is not an orphan)
        try:  # DeleteMirrorPod: grace period 0, only the mirror pod it saw (its UID as a precondition)
            current = self.client.get("pods", mirror["metadata"]["name"], "kube-system")
        except ApiError:
            return
        if current["metadata"].get("uid") == mirror["metadata"].get("uid"):
            self._delete_mirror_pod(current)

    def add_static_pod(self, component: str, start_process: Callable[[], None]) -> None:
        """The manifest of ``component`` is back in ``/etc/kubernetes/manifests``: the kubelet runs
        the static pod again (a new container: ``start_process`` starts a new process) and
        publishes its mirror pod. On a machine that is off, the pod starts when it boots."""
        if component in self.static_pods:
            raise ValueError(f"/etc/kubernetes/manifests/{component}.yaml is already there on {self.node_name}")
        self.static_pods = (*self.static_pods, component)
        node = self.node() if self.running else None
        if node is None:
            return
        start_process()
        self._publish_mirror_pod(node, component)
        pod = self.client.get("pods", f"{component}-{self.node_name}", "kube-system")
        self._record_static_start(pod, component)

    def _record_static_start(self, pod: dict, component: str) -> None:
        """The events of a static pod's container started (again): its image is on the machine."""
        image = pod["spec"]["containers"][0]["image"]
        static, field_path = static_pod_reference(pod), f"spec.containers{{{component}}}"
        for reason, message in (("Pulled", f'Container image "{image}" already present on machine'),
                                ("Created", f"Created container {component}"),
                                ("Started", f"Started container {component}")):
            self.events.event(static, "Normal", reason, message, field_path=field_path)

    def _static_component(self, pod: dict) -> str | None:
        """The static pod whose mirror ``pod`` is (None for any other pod)."""
        meta = pod["metadata"]
        if meta.get("namespace") != "kube-system" or not (meta.get("annotations") or {}).get("kubernetes.io/config.mirror"):
            return None
        return next((c for c in self.static_pods if meta.get("name") == f"{c}-{self.node_name}"), None)

    def _reconcile_mirror_pod(self, pod: dict, deleted: bool = False) -> None:
        """tryReconcileMirrorPods: the kubelet keeps running the static pod, so a mirror pod that is
        being deleted is deleted at once (grace 0) and a missing one is created again."""
        if not deleted and not pod["metadata"].get("deletionTimestamp"):
            return  # (every other update of a pod on this node)
        component = self._static_component(pod)
        node = self.node()
        if component is None or node is None or not self.running:
            return
        try:
            current = self.client.get("pods", pod["metadata"]["name"], "kube-system")
        except ApiError:
            current = None
        if current is not None:
            if current["metadata"].get("uid") != pod["metadata"].get("uid"):
                return  # an old event: the mirror pod was made again since (the delete's UID precondition)
            if not current["metadata"].get("deletionTimestamp"):
                return
            self._delete_mirror_pod(current)
        try:
            self._publish_mirror_pod(node, component)
        except ApiError as failed:  # (the namespace going away, say): the next change tries again
            self.loop.record(self.component, "mirror pod", f"pod/kube-system/{component}-{self.node_name}",
                             f"failed creating a mirror pod: {failed}")

    def _delete_mirror_pod(self, pod: dict) -> None:
        try:
            self.client.delete("pods", pod["metadata"]["name"], "kube-system", grace_period_seconds=0)
        except ApiError as err:
            if err.code != 404:
                raise

    # -- node-local tools ---------------------------------------------------------------------
    def logs(self, namespace: str, pod: str, container: str | None = None, previous: bool = False,
             timestamps: bool = False) -> str:
        """What a container printed (the kubelet serves ``kubectl logs`` from the runtime's log files;
        ``timestamps``: each line after the time it was written)."""
        if namespace == "kube-system" and any(pod == f"{c}-{self.node_name}" for c in self.static_pods):
            raise ValueError(f"k8slearn: the logs of {pod}, a static control-plane pod, are not simulated "
                             f"(its processes are the simulation itself)")
        return self.workers.logs(namespace, pod, container, previous, timestamps)

    def exec(self, namespace: str, pod: str, container: str, command: list[str],
             stdin: str = "") -> tuple[int, str, str]:
        """The kubelet's exec endpoint (``kubectl exec``): (exit code, stdout, stderr) of ``command``
        in a running container here (:mod:`k8slearn.kubelet.streaming`)."""
        return exec_in_pod(self.workers, namespace, pod, container, command, stdin)

    def attach(self, namespace: str, pod: str, container: str, stdin: bool = False) -> None:
        """The kubelet's attach endpoint (``kubectl attach``, ``kubectl run -i``): the runtime's
        Attach to the running container (:mod:`k8slearn.kubelet.streaming`)."""
        attach_in_pod(self.workers, namespace, pod, container, stdin)


def _same_metadata(old: dict, new: dict) -> bool:
    """podsDifferSemantically's metadata part: labels, annotations and the deletion fields."""
    return all(old.get(k) == new.get(k) for k in ("labels", "annotations", "deletionTimestamp",
                                                     "deletionGracePeriodSeconds"))
