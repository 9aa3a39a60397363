"""A whole simulated cluster: one etcd, one API server, a control-plane node and worker nodes.

This is the only module that wires components together. Each component gets its own API client
and from then on talks only to the API server, as in a kubeadm cluster:

>>> cluster = Cluster(workers=2, seed=0)
>>> cluster.node_names()
['control-plane', 'node-1', 'node-2']
>>> print(cluster.kubectl("get nodes").stdout.splitlines()[1])  # doctest: +NORMALIZE_WHITESPACE
control-plane   Ready    control-plane   0s    v1.32.0

Time is simulated: nothing moves until you call :meth:`step`, :meth:`run` or :meth:`settle`.

The simulation itself is single-threaded. Two threads may still call one cluster (ipykernel 7 runs
a widget's callback in a subshell thread while another runs), so :meth:`step`, :meth:`run`,
:meth:`settle`, :meth:`kubectl`, :meth:`add_node`, :meth:`add_controller_manager`,
:meth:`stop_node`, :meth:`start_node` and :meth:`untraced` hold ``cluster.lock``, a re-entrant lock:
the second caller waits for the first to finish instead of stepping the same loop at the same time.

Simplified: no kube-proxy or CoreDNS yet, and the scheduler, kubelet pod workers and controllers
arrive with later chapters; the control-plane pods you see are the kubelet's mirror pods.

Upstream: kubeadm init / kubeadm join (cmd/kubeadm), which bootstrap a real cluster like this.
"""

from __future__ import annotations

import contextlib
import threading
from itertools import zip_longest
from typing import Any, Callable, Iterator

from k8slearn.api.errors import ApiError
from k8slearn.api.meta import thaw
from k8slearn.apiserver import APIServer
from k8slearn.apiserver.compact import Compactor
from k8slearn.apiserver.pod_connect import log_location, port_forward_location, stream_location
from k8slearn.apiserver.identity_lease import IdentityLease
from k8slearn.apiserver.kubernetes_service import KubernetesService
from k8slearn.apiserver.admission import SYSTEM_PRIORITY_CLASS_OBJECTS as SYSTEM_PRIORITY_CLASSES
from k8slearn.apiserver.system_namespaces import SYSTEM_NAMESPACES, SystemNamespaces
from k8slearn.client.leaderelection import RESTART_DELAY, LeaderElected
from k8slearn.controllers import node_lifecycle
from k8slearn.controllers.manager import ControllerManager
from k8slearn.etcd import MVCCStore
from k8slearn.etcd.lease import LeaseExpiry
from k8slearn.kubectl import Kubectl, Result
from k8slearn.kubelet import Kubelet, node_status
from k8slearn.kubelet.crictl import crictl as run_crictl
from k8slearn.kubelet.static_pods import CONTROL_PLANE_COMPONENTS
from k8slearn.network.pod_network import PodNetwork
from k8slearn.scheduler import Scheduler
from k8slearn.sim import Loop, Step

CONTROL_PLANE = "control-plane"
KUBERNETES_SERVICE_IP = "10.96.0.1"
NODE_SUBNET = "172.18.0."

_current: "Cluster | None" = None


def _hostname(replica: int) -> str:
    """The control-plane host a replica of kube-scheduler/kube-controller-manager runs on."""
    return CONTROL_PLANE if replica == 0 else f"{CONTROL_PLANE}-{replica + 1}"


def _machine(component: Any) -> str:
    """The machine a kube-controller-manager or (leader-elected) kube-scheduler runs on: its
    leader-election identity is ``<hostname>_<uuid>``."""
    identity = getattr(component, "identity", None) or component.elector.identity
    return identity.rpartition("_")[0] or identity


def _component_name(component: Any) -> str:
    """``kube-controller-manager`` or ``kube-scheduler``: the static pod a process runs in."""
    return "kube-controller-manager" if isinstance(component, ControllerManager) else "kube-scheduler"


def current() -> "Cluster":
    """The cluster ``%kubectl`` acts on: the last one created, or the one passed to :func:`use`."""
    if _current is None:
        raise RuntimeError("no cluster yet: create one with k8slearn.Cluster()")
    return _current


def use(cluster: "Cluster") -> "Cluster":
    """Make ``cluster`` the one ``%kubectl`` talks to."""
    global _current
    _current = cluster
    return cluster


class Cluster:
    """A deterministic Kubernetes v1.32 cluster. Same seed, same calls: same cluster, step for step."""

    def __init__(
        self,
        workers: int = 3,
        seed: int = 0,
        *,
        cpu: str = "2",
        memory: str = "4Gi",
        control_plane: bool = True,
        control_plane_replicas: int = 1,
        node_monitor_grace_period: float = 50.0,
        scheduler_config: str | dict | None = None,
        scheduler_plugins: dict | None = None,
        trace: bool = True,
        current: bool = True,
        _store: MVCCStore | None = None,
    ) -> None:
        """``workers`` nodes plus a tainted control-plane node, all Ready when this returns.

        ``control_plane_replicas=2`` runs a second kube-controller-manager and kube-scheduler that
        wait on their leader-election Leases; ``node_monitor_grace_period`` is
        kube-controller-manager's ``--node-monitor-grace-period`` (upstream 50 s; shorter for
        demos); ``scheduler_config`` is a KubeSchedulerConfiguration (YAML text or dict) whose
        profiles replace the default one, with ``scheduler_plugins`` naming your own plugin classes;
        ``current=False`` leaves ``%kubectl`` talking to the previous cluster.
        """
        # one caller at a time (see the module docstring); re-entrant: kubectl may run the loop itself
        self.lock = threading.RLock()
        self.seed = seed
        self.loop = Loop(seed=seed, trace=trace)
        self.etcd = _store if _store is not None else MVCCStore()
        if _store is not None:  # the snapshot's objects hold the UIDs a fresh counter would make again
            self.loop.uid_salt = f"restored at revision {_store.revision}"
            self.loop.rng.seed(f"{seed}/{self.loop.uid_salt}")  # new processes' identities, new names
            # time goes on from the snapshot (objects made before it are not "from the future")
            self.loop.now = getattr(_store, "saved_at", 0.0)
            _store.lessor.promote(self.loop.now)
        # etcd's lessor runs on the simulated clock (a restored store's leases live a TTL again: promote)
        self.etcd.clock = lambda: self.loop.now
        self.lease_expiry = LeaseExpiry(self.loop, self.etcd).start()
        self.apiserver = APIServer(self.etcd, self.loop)
        self.api = self.apiserver.client("kubectl")
        self.compactor = Compactor(self.loop, self.etcd).start()
        self.system_namespaces = SystemNamespaces(self.loop, self.apiserver).start()
        self._kubectl = Kubectl(self.apiserver.client("kubectl"), lambda: self.loop.now, cluster=self)
        self.kubelets: dict[str, Kubelet] = {}
        # the wire between the pods of all nodes (what kubectl exec ... wget <pod IP> crosses)
        self.pod_network = PodNetwork(lambda: [k.runtime for k in self.kubelets.values()], lambda: self.loop.now)
        self._defaults = {"cpu": cpu, "memory": memory}
        if _store is None:
            self._bootstrap_api_objects()
        # kube-apiserver's kubernetes service controller: default/kubernetes now (on a new store)
        # and again whenever it is deleted
        self.kubernetes_service = KubernetesService(self.loop, self.apiserver, KUBERNETES_SERVICE_IP,
                                                    f"{NODE_SUBNET}2").start()
        # and its identity Lease, kube-system/apiserver-<hash of its host name>, renewed every 10 s
        self.identity_lease = IdentityLease(self.loop, self.apiserver, CONTROL_PLANE).start()
        big = workers > 250  # more nodes than /24s in 10.244.0.0/16
        # the flags every kube-controller-manager of this cluster runs with (add_controller_manager too)
        self._manager_flags = {
            "node_lifecycle": {"node_monitor_grace_period": node_monitor_grace_period},
            "controller_options": {"node-ipam-controller": {"cluster_cidr": "10.0.0.0/8"}} if big else None,
        }
        self.controller_managers = [
            ControllerManager(self.loop, self.apiserver.client("kube-controller-manager"),
                              hostname=_hostname(i), **self._manager_flags)
            for i in range(control_plane_replicas)
        ]
        self.schedulers = [
            Scheduler(self.loop, self.apiserver.client("kube-scheduler"), hostname=_hostname(i))
            for i in range(control_plane_replicas)
        ]
        if scheduler_config is not None:
            for scheduler in self.schedulers:
                scheduler.load_config(scheduler_config, registry=scheduler_plugins)
        # kube-scheduler records its leader election as its first profile's scheduler name
        self.scheduler_electors = [
            LeaderElected(self.loop, self.apiserver.client("kube-scheduler"), "kube-scheduler", scheduler,
                          hostname=_hostname(i), source=next(iter(scheduler.profiles)))
            for i, scheduler in enumerate(self.schedulers)
        ]
        for i, (manager, elector) in enumerate(zip(self.controller_managers, self.scheduler_electors)):
            manager.on_exit = self._supervised(_hostname(i), "kube-controller-manager", manager.restart)
            elector.on_exit = self._supervised(_hostname(i), "kube-scheduler", elector.restart)
            manager.start()
            elector.start()
        # kubectl get componentstatuses: the API server probes the kube-scheduler and
        # kube-controller-manager of its own machine (127.0.0.1), the first replica's
        self.apiserver.component_checks["scheduler"] = self.scheduler_electors[0].is_up
        self.apiserver.component_checks["controller-manager"] = self.controller_managers[0].is_up
        if _store is None:
            if control_plane:
                self._join(CONTROL_PLANE, cpu=cpu, memory=memory, control_plane=True)
            for i in range(1, workers + 1):
                self._join(f"node-{i}", cpu=cpu, memory=memory)
        else:
            for node in self.api.list("nodes"):
                self._rejoin(node)
            # the snapshot's leader Leases name processes that are gone: the new ones wait them out
            waited = 0.0
            while waited < 60 and not (any(m.leading for m in self.controller_managers)
                                       and any(e.leading for e in self.scheduler_electors)):
                self.loop.run(1.0)
                waited += 1.0
        self.settle()
        if current:
            use(self)

    @property
    def controller_manager(self) -> ControllerManager:
        """The kube-controller-manager that holds the leader Lease (else the first one)."""
        return next((m for m in self.controller_managers if m.leading), self.controller_managers[0])

    @property
    def scheduler(self) -> Scheduler:
        """The kube-scheduler that holds the leader Lease (else the first one)."""
        leading = [s for s, e in zip(self.schedulers, self.scheduler_electors) if e.leading]
        return leading[0] if leading else self.schedulers[0]

    # -- bootstrap ----------------------------------------------------------------------------
    def _bootstrap_api_objects(self) -> None:
        """What kube-apiserver creates for itself on first start (its bootstrap controllers)."""
        system = self.apiserver.client("kube-apiserver")
        for name in SYSTEM_NAMESPACES:
            system.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        for name, (value, description) in SYSTEM_PRIORITY_CLASSES.items():  # scheduling/bootstrap-system-priority-classes
            system.create({"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
                           "value": value, "description": description})

    def _next_ip(self) -> str:
        return f"{NODE_SUBNET}{len(self.kubelets) + 2}"

    def _join(
        self,
        name: str,
        cpu: str,
        memory: str,
        labels: dict | None = None,
        taints: list | None = None,
        control_plane: bool = False,
    ) -> Kubelet:
        node = node_status.new_node(
            name,
            self._next_ip(),
            cpu=cpu,
            memory=memory,
            now=self.loop.now,
            labels=labels,
            taints=taints,
            control_plane=control_plane,
        )
        return self._start_kubelet(node, control_plane)

    def _rejoin(self, node: dict) -> None:
        """After a restore: start a kubelet for a node that is already registered."""
        name = node["metadata"]["name"]
        node = thaw(node)  # the kubelet's own idea of its node: no server-set metadata
        node["metadata"] = {k: v for k, v in node["metadata"].items() if k in ("name", "labels", "annotations")}
        self._start_kubelet(node, control_plane=name == CONTROL_PLANE)

    def _start_kubelet(self, node: dict, control_plane: bool) -> Kubelet:
        """A kubelet (with its own API client) for ``node``, started; control planes run static pods."""
        name = node["metadata"]["name"]
        static = CONTROL_PLANE_COMPONENTS if control_plane else ()
        kubelet = Kubelet(self.loop, self.apiserver.client(f"kubelet/{name}"), node, static_pods=static)
        kubelet.pod_network = self.pod_network
        self.kubelets[name] = kubelet
        kubelet.start()
        return kubelet

    # -- time ---------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        """Simulated time in seconds since the cluster was created."""
        return self.loop.now

    @property
    def trace(self) -> list[Step]:
        """Every visible hop so far: Step(time, component, action, object, detail)."""
        return self.loop.trace

    @contextlib.contextmanager
    def untraced(self) -> Iterator["Cluster"]:
        """Look without leaving footprints: API reads inside this block add no trace steps.

        Pictures and widgets read the cluster this way, so redrawing never changes the story. The
        block holds ``self.lock``: another thread's step waits until the reading is done.
        """
        with self.lock:
            tracing, self.loop.tracing = self.loop.tracing, False
            try:
                yield self
            finally:
                self.loop.tracing = tracing

    def node_changes_pending(self) -> bool:
        """Whether the node lifecycle controller is still to change a Node at one of its next checks
        (``node_lifecycle.changes_due``): a node failure still unfolding while ``settle()`` sees the
        cluster quiet. Only the simulation knows which machines it powered off; without a
        kube-controller-manager running, nobody checks and nothing is pending. Reads untraced."""
        up = [m for m in self.controller_managers if m.is_up()]
        if not up:
            return False
        lifecycle = up[0].controllers.get("node-lifecycle-controller")
        period = lifecycle.node_monitor_period if lifecycle is not None else node_lifecycle.NODE_MONITOR_PERIOD
        with self.untraced():
            nodes = self.api.list("nodes")
        for node in nodes:
            kubelet = self.kubelets.get(node["metadata"]["name"])
            if node_lifecycle.changes_due(node, kubelet is not None and not kubelet.running, self.now, period):
                return True
        return False

    def step(self) -> Step | None:
        """Process exactly one event and return the step it made (holding ``self.lock``)."""
        with self.lock:
            return self.loop.step()

    def run(self, seconds: float) -> None:
        """Advance simulated time by ``seconds`` (heartbeats and all): a finite number, 0 or more.
        Holds ``self.lock``: a call from another thread waits until this one is done."""
        with self.lock:
            self.loop.run(_duration(seconds, "seconds"))

    def settle(self, max_seconds: float = 3600.0) -> float:
        """Run until nothing but periodic heartbeats is pending; return the seconds advanced.
        Holds ``self.lock``: a call from another thread waits until this one is done."""
        with self.lock:
            return self.loop.settle(_duration(max_seconds, "max_seconds"))

    # -- kubectl ------------------------------------------------------------------------------
    def kubectl(self, command: str | list[str], stdin: str = "") -> Result:
        """Run a kubectl command against this cluster; returns Result(stdout, stderr, code).
        Holds ``self.lock`` (``kubectl rollout status`` and ``wait`` advance time)."""
        with self.lock:
            return self._kubectl.run(command, stdin=stdin)

    # -- nodes --------------------------------------------------------------------------------
    def node_names(self) -> list[str]:
        """Names of the nodes that have a kubelet, control plane first."""
        return list(self.kubelets)

    def add_node(
        self,
        name: str | None = None,
        cpu: str | None = None,
        memory: str | None = None,
        labels: dict | None = None,
        taints: list | None = None,
    ) -> str:
        """A new machine joins (``kubeadm join``); returns its name. Time does not advance.

        A node the API server would refuse to register (a name that is no DNS subdomain, a label
        value that is no string, a cpu or memory that is no quantity, a taint that is no object)
        raises ValueError with the server's words, and nothing joins. Holds ``self.lock``."""
        if name is not None and not isinstance(name, str):
            raise TypeError(f"a node's name is a string, not {type(name).__name__}")
        with self.lock:
            if name is None:
                i = 1
                while f"node-{i}" in self.kubelets:
                    i += 1
                name = f"node-{i}"
            if name in self.kubelets:
                raise ValueError(f"node {name!r} already exists (a machine of that name runs a kubelet; "
                                 f"start_node powers it on again)")
            cpu, memory = cpu or self._defaults["cpu"], memory or self._defaults["memory"]
            problem = self._node_problem(name, cpu, memory, labels, taints)
            if problem:  # (a kubelet would retry registering for ever: say it here, join nothing)
                raise ValueError(f"the node cannot register: {problem}")
            self._join(name, cpu, memory, labels=labels, taints=taints)
            return name

    def _node_problem(self, name: str, cpu: str, memory: str, labels: dict | None, taints: list | None) -> str:
        """What the API server would answer the kubelet's registration of this node ("" if it takes it)."""
        from k8slearn.api.errors import invalid
        from k8slearn.api.resources import lookup
        from k8slearn.api.validation import validate
        from k8slearn.api.validation.decode import decode_check
        from k8slearn.api.validation.unknown_fields import type_error

        def undecodable(node: dict) -> str:  # the 400 of a body the API server cannot decode, or ""
            wrong_type = type_error(node)
            return decode_check(node) or (f'Node in version "v1" cannot be handled as a Node: {wrong_type}'
                                          if wrong_type else "")

        # The arguments as the registration carries them, decoded first: a list of labels or a
        # taint dict is encoding/json's error, a bad size the quantity's, as for the whole Node.
        given: dict = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
                       "status": {"capacity": {"cpu": cpu, "memory": memory}}}
        if labels is not None:
            given["metadata"]["labels"] = labels
        if taints is not None:
            given["spec"] = {"taints": taints}
        wrong = undecodable(given)
        if wrong:
            return wrong
        try:
            node = node_status.new_node(name, self._next_ip(), cpu=cpu, memory=memory, now=self.loop.now,
                                        labels=labels, taints=taints)
        except (ValueError, TypeError, AttributeError) as err:
            return str(err)
        wrong = undecodable(node)
        if wrong:
            return wrong
        errors = validate(node)
        return str(invalid(lookup("nodes"), name, errors)) if errors else ""

    def stop_node(self, name: str) -> None:
        """Power the machine off: its kubelet stops posting status and renewing its Lease. On a
        control-plane machine its kube-controller-manager and kube-scheduler stop too: their leader
        Leases lapse and a standby on another control-plane machine (``control-plane-2``, ...) takes
        over. Simplified: etcd and the API server stay up, so kubectl keeps answering. Holds
        ``self.lock``."""
        with self.lock:
            hosted = self._control_plane_on(name)
            if name in self.kubelets or not hosted:
                self._kubelet(name, machines=True).stop()
            for component in hosted:
                component.stop()

    def start_node(self, name: str) -> None:
        """Power the machine back on: the kubelet starts and re-registers; on a control-plane
        machine, new kube-controller-manager and kube-scheduler processes (new identities) start
        and wait their turn for the leader Leases. Holds ``self.lock``."""
        with self.lock:
            hosted = self._control_plane_on(name)
            if name in self.kubelets or not hosted:
                self._kubelet(name, machines=True).start()
            for component in hosted:
                # a machine that is on stays as it is; a manifest moved away stays away
                if not component.is_up() and self._has_manifest(name, component):
                    component.restart()

    def add_controller_manager(self, hostname: str) -> ControllerManager:
        """Start one more kube-controller-manager, on the control-plane machine ``hostname`` (an HA
        control plane runs one on each) with this cluster's flags; returns it. It waits for the
        leader Lease ``kube-system/kube-controller-manager`` and takes it over once the leader has
        not renewed it for 15 s. From now on it is one of ``controller_managers``: the cluster
        picture counts it, ``controller_manager`` is it while it leads, and ``stop_node(hostname)``
        powers it off. Time does not advance. Holds ``self.lock``.

        Simplified: a machine that runs no kubelet (as ``control_plane_replicas=2`` makes), so
        ``kubectl get pods -n kube-system`` lists no mirror pod for it."""
        if not isinstance(hostname, str) or not hostname:
            raise TypeError(f"hostname must be a machine's name, a non-empty string (got {hostname!r})")
        with self.lock:
            if hostname in self.kubelets or hostname in self._control_plane_hosts():
                raise ValueError(f"{hostname!r} already runs a kube-controller-manager or a kubelet; "
                                 f"name a new control-plane machine, such as 'control-plane-"
                                 f"{len(self._control_plane_hosts()) + 1}'")
            manager = ControllerManager(self.loop, self.apiserver.client("kube-controller-manager"),
                                        hostname=hostname, **self._manager_flags)
            manager.on_exit = self._supervised(hostname, "kube-controller-manager", manager.restart)
            self.controller_managers.append(manager)
            manager.start()
            return manager

    def remove_static_pod(self, node: str, component: str) -> None:
        """What ``sudo mv /etc/kubernetes/manifests/<component>.yaml /root/`` does on the
        control-plane machine ``node``, the way an administrator stops a kubeadm control-plane
        component: its kubelet stops the static pod (the process exits: a Killing event) and, at
        its next housekeeping (2 s), deletes the mirror pod. A leader stops renewing its Lease, so
        a standby (:meth:`add_controller_manager`) takes over once it has expired. The component
        stays stopped, across reboots too, until :meth:`restore_static_pod`. ``component`` is
        ``kube-controller-manager`` or ``kube-scheduler``. Time does not advance. Holds
        ``self.lock``.

        Simplified: etcd and kube-apiserver cannot be stopped (kubectl talks to them)."""
        with self.lock:
            process, kubelet = self._static_pod_process(node, component)
            kubelet.remove_static_pod(component, process.stop)

    def restore_static_pod(self, node: str, component: str) -> None:
        """Move the manifest back (``sudo mv /root/<component>.yaml /etc/kubernetes/manifests/``):
        the kubelet of ``node`` runs the static pod again, a new process with a new identity that
        waits its turn for the leader Lease, and publishes its mirror pod. Time does not advance.
        Holds ``self.lock``."""
        with self.lock:
            process, kubelet = self._static_pod_process(node, component)
            kubelet.add_static_pod(component, process.restart)

    def _static_pod_process(self, node: str, component: str) -> tuple[Any, Kubelet]:
        """The kube-controller-manager or kube-scheduler that ``component``'s static pod on
        ``node`` runs, and that machine's kubelet."""
        kubelet = self._kubelet(node)
        if component in ("etcd", "kube-apiserver"):
            raise ValueError(f"k8slearn: moving the manifest of {component} is not simulated (kubectl "
                             f"talks to it); kube-controller-manager and kube-scheduler can be moved")
        hosted = self._control_plane_on(node)
        process = next((c for c in hosted if _component_name(c) == component), None)
        if process is None:
            runs = ", ".join(_component_name(c) for c in hosted)
            raise ValueError(f"{node!r} runs no {component}" + (f" (it runs {runs})" if runs else
                                                                 ": it is not a control-plane machine"))
        return process, kubelet

    def _has_manifest(self, host: str, component: Any) -> bool:
        """The machine's kubelet still has the component's static pod manifest (a machine that
        runs no kubelet, a standby control plane here, starts its processes itself)."""
        kubelet = self.kubelets.get(host)
        return kubelet is None or _component_name(component) in kubelet.static_pods

    def _supervised(self, host: str, component: str, restart: Callable[[], None]) -> Callable[[int], None]:
        """What a control-plane process's exit (a lost Lease: status 1) leads to: the kubelet of its
        machine starts its static pod's container again, a new process; a machine that runs no
        kubelet (a standby control plane here) starts a new process a second later."""
        def exited(code: int) -> None:
            kubelet = self.kubelets.get(host)
            if kubelet is None:
                self.loop.call_later(RESTART_DELAY, restart)
            elif component in kubelet.static_pods:  # (not when its manifest was moved away)
                kubelet.static_pod_exited(component, code, restart)
        return exited

    def _control_plane_on(self, host: str) -> list[Any]:
        """The kube-controller-manager and kube-scheduler running on a control-plane machine."""
        return [component for pair in zip_longest(self.controller_managers, self.scheduler_electors)
                for component in pair if component is not None and _machine(component) == host]

    def _control_plane_hosts(self) -> list[str]:
        """The machines that run a kube-controller-manager or kube-scheduler, first one first."""
        return list(dict.fromkeys(_machine(c) for c in (*self.controller_managers, *self.scheduler_electors)))

    def _kubelet(self, name: str, machines: bool = False) -> Kubelet:
        try:
            return self.kubelets[name]
        except KeyError:
            known = list(self.kubelets)
            if machines:  # stop_node/start_node also know the control-plane hosts that are not nodes
                known += [h for h in self._control_plane_hosts() if h not in self.kubelets]
            raise KeyError(f"no node named {name!r}; nodes are {', '.join(known)}") from None

    def crictl(self, node: str, command: str = "ps") -> str:
        """Run ``crictl <command>`` on a node: what its container runtime really holds."""
        return run_crictl(self._kubelet(node).runtime, self.loop.now, command)

    def logs(self, namespace: str, pod: str, container: str | None = None, previous: bool = False,
             timestamps: bool = False) -> str:
        """What a pod's container printed (served by the kubelet of the pod's node); ``timestamps``:
        each line after the RFC 3339 time it was written, as ``kubectl logs --timestamps`` shows."""
        node = self.api.get("pods", pod, namespace)["spec"].get("nodeName")
        if not node:  # LogLocation: a pod not assigned a host has no location; the log is empty
            return ""
        if node not in self.kubelets:
            raise ValueError(f'pod "{pod}" is not scheduled to a node yet')
        kubelet = self.kubelets[node]
        if not kubelet.running:  # the API server's GET to the kubelet finds no one at the address
            url = f"https://{kubelet.ip}:10250/containerLogs/{namespace}/{pod}/{container or ''}"
            if previous:
                url += "?previous=true"
            raise _unreachable(f'Get "{url}": dial tcp {kubelet.ip}:10250: connect: no route to host')
        return kubelet.logs(namespace, pod, container, previous, timestamps)

    def exec(self, namespace: str, pod: str, container: str, command: list[str],
             stdin: str = "") -> tuple[int, str, str]:
        """``POST pods/<pod>/exec``: the API server checks the request (ApiError 400 as upstream)
        and forwards it to the kubelet of the pod's node, which runs ``command`` in the running
        container; (exit code, stdout, stderr). A kubelet that is down is a 500 (``error dialing
        backend``); the kubelet's own refusals raise :class:`~k8slearn.api.errors.StreamError`."""
        node, container = self.connect_location(namespace, pod, "exec", container)
        return self._dial(node).exec(namespace, pod, container, command, stdin)

    def attach(self, namespace: str, pod: str, container: str, stdin: bool = False) -> None:
        """``POST pods/<pod>/attach``: the API server's checks (ApiError 400 as upstream), its
        dial to the kubelet of the pod's node (a 500 when it is down), and the kubelet's Attach to
        the running container (its refusals raise :class:`~k8slearn.api.errors.StreamError`).
        ``stdin``: kubectl's stdin goes along, empty here, so a container whose stdin closes after
        one attach (``stdinOnce``) reads its end. What follows, the running container's output,
        kubectl reads from the container's log here."""
        node, container = self.connect_location(namespace, pod, "attach", container)
        self._dial(node).attach(namespace, pod, container, stdin)

    def connect_location(self, namespace: str, pod: str, subresource: str,
                         container: str = "") -> tuple[str, str]:
        """Where the API server would forward ``pods/<pod>/<subresource>`` (``log``, ``exec``,
        ``attach``, ``portforward``): (node, container), after its checks (a 404 for no such pod;
        a 400 for a container the pod lacks, none named for a pod of several, or a pod not yet on a
        node; a log's node is "" then: its log is empty)."""
        obj = self.api.get("pods", pod, namespace)
        if subresource == "log":
            return log_location(obj, container)
        if subresource == "portforward":
            return port_forward_location(obj), ""
        return stream_location(obj, container)

    def _dial(self, node: str) -> Kubelet:
        """The kubelet the API server reaches on ``node``; a 500 if it does not answer."""
        kubelet = self.kubelets.get(node)
        if kubelet is None or not kubelet.running:
            address = kubelet.ip if kubelet is not None else node
            raise _unreachable(f"error dialing backend: dial tcp {address}:10250: connect: no route to host")
        return kubelet

    # -- etcd backup --------------------------------------------------------------------------
    def snapshot(self, path: str) -> None:
        """``etcdctl snapshot save``: write the whole store to ``path``."""
        self.etcd.snapshot(path)

    @classmethod
    def restore(cls, path: str, seed: int = 0, **kwargs: Any) -> "Cluster":
        """A new cluster whose etcd is restored from a snapshot (same revision, same objects): a
        machine for each Node in it boots again; more join with ``add_node`` (``cpu`` and ``memory``
        size those)."""
        shaping = sorted(set(kwargs) & {"workers", "control_plane"})
        if shaping:
            raise TypeError(f"restore() brings back the snapshot's nodes and takes no {', '.join(shaping)}; "
                            f"add more nodes with add_node() after it")
        return cls(seed=seed, _store=MVCCStore.restore(path), **kwargs)

    def __repr__(self) -> str:
        return (
            f"<Cluster seed={self.seed} nodes={len(self.kubelets)} t={self.loop.now:.1f}s "
            f"revision={self.etcd.revision}>"
        )


def _unreachable(message: str) -> ApiError:
    """The API server's answer when it cannot reach a kubelet: a 500 Status with no reason, which
    kubectl prints as ``Error from server: <message>``."""
    return ApiError({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "code": 500,
                     "message": message})


def _duration(value: object, name: str) -> float:
    """A simulated duration a student passed: a finite number of seconds, not negative.

    >>> _duration(2, "seconds"), _duration(0.5, "seconds")
    (2.0, 0.5)
    >>> _duration(float("inf"), "seconds")
    Traceback (most recent call last):
    ...
    ValueError: seconds must be a finite number of seconds, 0 or more (got inf)
    """
    import math

    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds (got {value!r})")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of seconds, 0 or more (got {value!r})")
    return float(value)
