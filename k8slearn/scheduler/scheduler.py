"""kube-scheduler: watches pods and nodes, and gives every pending pod a node.

The scheduler sees the cluster only through informers: nodes and pods, plus the Services,
ReplicaSets and StatefulSets (which pods belong together, for default spreading), Namespaces
(pod affinity's namespaceSelector) and PodDisruptionBudgets (which victims preemption prefers).
The node and pod handlers sort what arrives:

* a pod with no ``spec.nodeName``, for one of this scheduler's profiles -> the scheduling queue;
* a pod with a node (bound by us, by another scheduler, or created with nodeName) -> the cache,
  which counts its requests on that node (and confirms it if we had assumed it);
* a node -> the cache; a new node, a removed taint, more allocatable... may also move waiting
  pods back to the active queue.

One process pops pods and runs :func:`~k8slearn.scheduler.schedule_one.schedule_one` on each::

    while True:
        pod = yield queue.pop()
        schedule_one(scheduler, pod)

A KubeSchedulerConfiguration can be loaded with :meth:`Scheduler.load_config` (see
:mod:`k8slearn.scheduler.config`); :meth:`Scheduler.what_if` asks "where would this pod go if..."
without changing anything (see :mod:`k8slearn.scheduler.what_if`).

Leader election is not in this class: the cluster runs one scheduler per control-plane replica,
each wrapped in a :class:`~k8slearn.client.leaderelection.LeaderElected`, and only the one holding
the ``kube-scheduler`` Lease schedules.

Simplified: no metrics; scheduling takes no simulated time (only the API
server's watch delays do); no PersistentVolume or ReplicationController informers (the simulation
has none of those objects).

Upstream: pkg/scheduler/scheduler.go, pkg/scheduler/eventhandlers.go, cmd/kube-scheduler
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from k8slearn.client.events_v1 import EventsRecorder
from k8slearn.client.informer import SharedInformerFactory
from k8slearn.client.record import EventRecorder
from k8slearn.scheduler.cache import Cache
from k8slearn.scheduler.config import ConfigError, SchedulerConfig, load_config
from k8slearn.scheduler.events import (
    ASSIGNED_POD_DELETE,
    NODE_ADD,
    PERSISTENT_VOLUME,
    PERSISTENT_VOLUME_CLAIM,
    STORAGE_CLASS,
    ActionType,
    ClusterEvent,
    node_scheduling_properties_change,
)
from k8slearn.scheduler.explain import Attempt, Explanation, drop_details
from k8slearn.scheduler.framework import SUCCESS, Framework, Handle, Status
from k8slearn.scheduler.nominator import Nominator
from k8slearn.scheduler.profile import DEFAULT_SCHEDULER_NAME, Profile
from k8slearn.scheduler.queue import SchedulingQueue
from k8slearn.scheduler.schedule_one import COMPONENT, schedule_one
from k8slearn.scheduler.snapshot import Snapshot
from k8slearn.sim import Loop

EXPLAIN_DETAIL_LIMIT = 1000  # attempts kept with per-node details; older ones keep only the outcome
LISTED_RESOURCES = ("services", "replicasets", "statefulsets", "namespaces", "poddisruptionbudgets")  # for plugins
# Storage objects the volume plugins read; a change to one may help a pod they rejected.
STORAGE_RESOURCES = {
    "persistentvolumeclaims": PERSISTENT_VOLUME_CLAIM,
    "persistentvolumes": PERSISTENT_VOLUME,
    "storageclasses": STORAGE_CLASS,
}


def assigned_pod(pod: dict) -> bool:
    return bool((pod.get("spec") or {}).get("nodeName"))


def terminated(pod: dict) -> bool:
    # The real informer filters these out with a field selector (status.phase!=Succeeded,...).
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def filtering(
    accept: Callable[[dict], bool], on_add: Callable, on_update: Callable, on_delete: Callable
) -> tuple[Callable, Callable, Callable]:
    """FilteringResourceEventHandler: an object that starts/stops matching is an add/delete."""

    def add(obj: dict) -> None:
        if accept(obj):
            on_add(obj)

    def update(old: dict, new: dict) -> None:
        was, now = accept(old), accept(new)
        if was and now:
            on_update(old, new)
        elif now:
            on_add(new)
        elif was:
            on_delete(old)

    def delete(obj: dict) -> None:
        if accept(obj):
            on_delete(obj)

    return add, update, delete


class Scheduler:
    """The kube-scheduler component: ``Scheduler(loop, client).start()``."""

    def __init__(
        self,
        loop: Loop,
        client: Any,
        recorder: EventRecorder | None = None,
        profiles: Iterable[Profile] | None = None,
        percentage_of_nodes_to_score: int = 0,
        hostname: str = "control-plane",
    ) -> None:
        self.loop = loop
        self.client = client
        self.hostname = hostname  # its events' reportingInstance: <scheduler name>-<hostname>
        self.rng = loop.rng
        self.percentage_of_nodes_to_score = percentage_of_nodes_to_score
        self._recorder = recorder
        self._profile_configs = list(profiles or [Profile()])
        self._processes: list = []
        self._recorders: dict[str, Any] = {}  # one per profile (set_profiles)
        self.running = False
        self.new_process()

    def new_process(self) -> None:
        """What a kube-scheduler process holds when it has just started: an empty cache and queue,
        informers that have listed nothing yet, the frameworks of its profiles. A restart (the
        process exited: it lost its Lease) begins here, remembering nothing of the old process."""
        if self.running:
            raise RuntimeError("stop() the scheduler before a new process replaces it")
        loop, client = self.loop, self.client
        self.cache = Cache()
        self.snapshot = Snapshot()
        self.informers = SharedInformerFactory(client)
        self.node_informer = self.informers.informer("nodes")
        self.pod_informer = self.informers.informer("pods")
        self.pod_lister = self.pod_informer.lister
        listers = {"pods": self.pod_lister, "nodes": self.node_informer.lister}
        for resource in (*LISTED_RESOURCES, *STORAGE_RESOURCES):
            listers[resource] = self.informers.informer(resource).lister
        self.nominator = Nominator(self.pod_lister.get)
        self.handle = Handle(client, self.snapshot, loop.rng, listers, self.nominator, clock=lambda: loop.now)
        self.next_start_node_index = 0
        self.attempts: OrderedDict[str, Attempt] = OrderedDict()
        self._summaries: dict[str, Attempt] = {}
        self._last_summary: Attempt | None = None
        self.profiles: dict[str, Framework] = {}
        self.queue: SchedulingQueue | None = None
        self.set_profiles(self._profile_configs)
        self.queue = SchedulingQueue(
            loop,
            self._less,
            self._hints(),
            self._pre_enqueue,
            self._profile_of,
            self.nominator,
            sort_key=self._sort_key,
        )
        self.add_all_event_handlers()

    def add_all_event_handlers(self) -> None:
        """Sort what the informers deliver: assigned pods to the cache, pending ones to the queue."""
        self.node_informer.add_event_handler(
            self.add_node_to_cache, self.update_node_in_cache, self.delete_node_from_cache
        )
        self.pod_informer.add_event_handler(
            *filtering(
                lambda p: assigned_pod(p) and not terminated(p),
                self.add_pod_to_cache,
                self.update_pod_in_cache,
                self.delete_pod_from_cache,
            )
        )
        self.pod_informer.add_event_handler(
            *filtering(
                lambda p: not assigned_pod(p) and not terminated(p) and self.responsible_for_pod(p),
                self.add_pod_to_scheduling_queue,
                self.update_pod_in_scheduling_queue,
                self.delete_pod_from_scheduling_queue,
            )
        )
        for resource, kind in STORAGE_RESOURCES.items():
            self.informers.informer(resource).add_event_handler(*self.build_evt_res_handler(kind))

    def build_evt_res_handler(self, kind: str) -> tuple[Callable, Callable, Callable]:
        """buildEvtResHandler: an added, updated or deleted object of ``kind`` is a cluster event
        (``PersistentVolumeClaimAdd``, ...) that may move pods out of unschedulablePods."""
        def move(event: ClusterEvent, old: Any, new: Any) -> None:
            self.queue.move_all_to_active_or_backoff_queue(event, old, new)

        add_event = ClusterEvent(kind, ActionType.Add, f"{kind}Add")
        update_event = ClusterEvent(kind, ActionType.Update, f"{kind}Update")
        delete_event = ClusterEvent(kind, ActionType.Delete, f"{kind}Delete")
        return (
            lambda obj: move(add_event, None, obj),
            lambda old, new: move(update_event, old, new),
            lambda obj: move(delete_event, obj, None),
        )

    # -- profiles ----------------------------------------------------------------------------
    def set_profiles(self, profiles: Iterable[Profile]) -> None:
        """Use these profiles from now on (like restarting kube-scheduler with a new config). A profile
        that cannot be built is refused with kube-scheduler's message, and nothing changes."""
        profiles = list(profiles)
        frameworks: dict[str, Framework] = {}
        first_sort = ""
        for profile in profiles:
            name = profile.scheduler_name
            try:
                fwk = Framework(profile, self.handle)
            except ValueError as err:
                raise ConfigError(
                    f"initializing profiles: creating profile for scheduler name {name}: {err}"
                ) from None
            if name in frameworks:
                raise ConfigError(f'initializing profiles: duplicate profile with scheduler name "{name}"')
            sort = fwk.queue_sort.name
            if first_sort and sort != first_sort:
                raise ConfigError(
                    f'initializing profiles: different queue sort plugins for profile "{name}": '
                    f'"{sort}", first: "{first_sort}"'
                )
            first_sort = first_sort or sort
            frameworks[name] = fwk
        if not frameworks:
            raise ConfigError("initializing profiles: at least one profile is required")
        self.profiles = frameworks
        self._profile_configs = profiles  # what a new process builds its frameworks from
        self._queue_sort = next(iter(frameworks.values())).less  # one queue, one order for all profiles
        for recorder in self._recorders.values():  # the replaced profiles' recorders end
            if isinstance(recorder, EventsRecorder):
                recorder.stop()
        self._recorders = {
            name: (
                self._recorder
                if self._recorder and name == DEFAULT_SCHEDULER_NAME
                # kube-scheduler records through events.k8s.io: an EventSeries for repeats
                else EventsRecorder(self.loop, self.client, name, f"{name}-{self.hostname}")
            )
            for name in frameworks
        }
        if self.running:
            self._start_recorders()
        for name, fwk in frameworks.items():
            fwk.handle.recorder = self._recorders[name]
        if self.queue is not None:
            self.queue.hints = self._hints()

    def load_config(self, source: str | dict, registry: dict | None = None) -> SchedulerConfig:
        """Apply a KubeSchedulerConfiguration (YAML text or dict): its profiles and its
        percentageOfNodesToScore. ``registry`` adds your own plugins by name. Invalid input raises
        ConfigError and changes nothing."""
        config = load_config(source, registry)
        self.set_profiles(config.profiles)
        self.percentage_of_nodes_to_score = config.percentage_of_nodes_to_score or 0
        return config

    def _less(self, a: Any, b: Any) -> bool:
        return self._queue_sort(a, b)

    def _sort_key(self) -> Callable | None:
        """The QueueSort plugin's ``sort_key`` (same order as its ``less``), if it has one."""
        return getattr(next(iter(self.profiles.values())).queue_sort, "sort_key", None)

    def _hints(self) -> dict:
        return {name: fwk.events_to_register() for name, fwk in self.profiles.items()}

    def _profile_of(self, pod: dict) -> str:
        return (pod.get("spec") or {}).get("schedulerName") or DEFAULT_SCHEDULER_NAME

    def _pre_enqueue(self, pod: dict) -> Status:
        fwk = self.framework_for_pod(pod)
        return fwk.run_pre_enqueue_plugins(pod) if fwk else SUCCESS

    def framework_for_pod(self, pod: dict) -> Framework | None:
        return self.profiles.get(self._profile_of(pod))

    def responsible_for_pod(self, pod: dict) -> bool:
        return self._profile_of(pod) in self.profiles

    def recorder_for(self, fwk: Framework) -> EventRecorder:
        return self._recorders[fwk.profile_name]

    # -- running -----------------------------------------------------------------------------
    def start(self) -> Scheduler:
        """List+watch nodes and pods (filling cache and queue), and start scheduling."""
        if self.running:
            return self
        self.running = True
        self.queue.closed = False
        self._start_recorders()
        self.informers.start()
        self._processes = [
            self.loop.spawn(self._run(), COMPONENT),
            self.loop.spawn(self.queue.run_periodic_flush(), f"{COMPONENT}/flush", periodic=True),
        ]
        return self

    def _start_recorders(self) -> None:
        for recorder in self._recorders.values():
            if isinstance(recorder, EventsRecorder):
                recorder.start()

    def stop(self) -> None:
        """Halt: no more watching, no more scheduling (pods in the queue stay pending); repeats of
        events only counted so far are lost with the process."""
        self.running = False
        for recorder in self._recorders.values():
            if isinstance(recorder, EventsRecorder):
                recorder.stop()
        self.informers.stop()
        self.queue.close()
        for process in self._processes:
            process.stop()
        self._processes = []

    def _run(self):
        while self.running:
            pinfo = yield self.queue.pop()
            if pinfo is not None and self.running:
                schedule_one(self, pinfo)

    # -- informer handlers (eventhandlers.go) ------------------------------------------------
    def add_node_to_cache(self, node: dict) -> None:
        self.cache.add_node(node)
        self.queue.move_all_to_active_or_backoff_queue(NODE_ADD, None, node)

    def update_node_in_cache(self, old: dict, new: dict) -> None:
        self.cache.update_node(old, new)
        for event in node_scheduling_properties_change(new, old):
            self.queue.move_all_to_active_or_backoff_queue(event, old, new)

    def delete_node_from_cache(self, node: dict) -> None:
        self.cache.remove_node(node)

    def add_pod_to_cache(self, pod: dict) -> None:
        self.cache.add_pod(pod)
        self.queue.assigned_pod_added(pod)

    def update_pod_in_cache(self, old: dict, new: dict) -> None:
        self.cache.update_pod(old, new)
        self.queue.assigned_pod_updated(old, new)

    def delete_pod_from_cache(self, pod: dict) -> None:
        self.cache.remove_pod(pod)
        self.queue.move_all_to_active_or_backoff_queue(ASSIGNED_POD_DELETE, pod, None)

    def add_pod_to_scheduling_queue(self, pod: dict) -> None:
        self.queue.add(pod)

    def update_pod_in_scheduling_queue(self, old: dict, new: dict) -> None:
        if old["metadata"].get("resourceVersion") == new["metadata"].get("resourceVersion"):
            return
        if self.cache.is_assumed_pod(new):  # we already placed it; the bound version is on its way
            return
        self.queue.update(old, new)

    def delete_pod_from_scheduling_queue(self, pod: dict) -> None:
        self.queue.delete(pod)

    # -- explain -----------------------------------------------------------------------------
    def record_attempt(self, attempt: Attempt) -> None:
        """Keep the latest attempt per pod; only the newest EXPLAIN_DETAIL_LIMIT keep node details."""
        attempts = self.attempts
        attempts.pop(attempt.pod_key, None)
        attempts[attempt.pod_key] = attempt
        if len(attempts) > EXPLAIN_DETAIL_LIMIT:
            oldest = attempts.popitem(last=False)[1]
            drop_details(oldest, self._last_summary)
            self._summaries[oldest.pod_key] = self._last_summary = oldest

    def explain(self, name: str, namespace: str = "default") -> Explanation:
        """The last scheduling attempt for pod ``namespace/name``: filters, scores, and the choice."""
        key = f"{namespace}/{name}"
        attempt = self.attempts.get(key)
        if attempt is not None:
            return Explanation(attempt)
        summary = self._summaries.get(key)
        if summary is not None:
            return Explanation(
                summary,
                note="(Per-node details were dropped: only the newest "
                f"{EXPLAIN_DETAIL_LIMIT} attempts keep them.)",
            )
        pod = self.pod_lister.get(name, namespace)
        if pod is not None and assigned_pod(pod):
            return Explanation(
                None,
                key,
                f"Pod {key} was not placed by this scheduler: it was created with "
                f"spec.nodeName {pod['spec']['nodeName']!r} (or bound by another scheduler).",
            )
        if pod is not None and not self.responsible_for_pod(pod):
            return Explanation(
                None,
                key,
                f"Pod {key} asks for scheduler {self._profile_of(pod)!r}, which "
                "this scheduler does not run: it stays Pending.",
            )
        return Explanation(None, key)

    def what_if(self, pod: dict | str, namespace: str = "default", **changes: Any) -> Explanation:
        """Where would this pod go, with these changes? Runs one cycle on a private copy: nothing is
        bound, written or queued. See :mod:`k8slearn.scheduler.what_if` for the changes."""
        from k8slearn.scheduler.what_if import what_if

        return what_if(self, pod, namespace, **changes)

    def pending(self) -> dict[str, list[str]]:
        """Pod keys waiting in activeQ, backoffQ and unschedulablePods."""
        return self.queue.pending_pods()
