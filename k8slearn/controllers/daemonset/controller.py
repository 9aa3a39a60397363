"""The DaemonSet controller: one daemon pod on every node that should run it.

``sync(key)`` looks at every node and asks :func:`util.node_should_run_daemon_pod`: does the
node match the pod's nodeSelector and node affinity, and are its NoSchedule/NoExecute taints
tolerated? Then, per node:

* should run, no pod yet → create one aimed at that node (the scheduler binds it);
* may keep running → keep the oldest pod (delete extra ones; a Failed pod is deleted, with
  back-off, and the event ``FailedDaemonPod``);
* should not run but has pods → delete them.

So a node that joins gets a pod, a node that is tainted (without a toleration) loses it, and
a pod left on a deleted node is cleaned up. Worked example, 3 workers and a tainted control
plane, a DaemonSet without tolerations: ``desiredNumberScheduled: 3``, pods on node-1..node-3.

Simplified: the pods of a deleted node are removed by the pod garbage collector, as upstream;
node updates are checked for every DaemonSet (no per-node hints).

Upstream: pkg/controller/daemon/daemon_controller.go
"""

from __future__ import annotations

from typing import Any

from k8slearn.api.errors import ApiError
from k8slearn.api.labels import selector_from_label_selector
from k8slearn.api.meta import owner_reference, thaw
from k8slearn.client.cache import meta_key, split_key
from k8slearn.controllers.base import Controller
from k8slearn.controllers.controller_ref_manager import claim_objects, recheck_deletion_timestamp
from k8slearn.controllers.controller_utils import (
    BURST_REPLICAS,
    SLOW_START_INITIAL_BATCH_SIZE,
    ControllerExpectations,
    PodControl,
    add_pod_controller_uid_indexer,
    filter_pods_by_owner,
    get_controller_of,
    get_pod_from_template,
    update_status_on_conflict,
)
from k8slearn.controllers.daemonset.update import UpdateMixin
from k8slearn.controllers.daemonset.util import (
    create_pod_template,
    get_target_node_name,
    get_template_generation,
    is_pod_updated,
    node_should_run_daemon_pod,
    replace_daemon_set_pod_node_name_node_affinity,
    surge_count,
)
from k8slearn.controllers.pod_util import is_pod_available, is_pod_ready

SELECTING_ALL_MSG = "This daemon set is selecting all pods. A non-empty selector is required."
FAILED_POD_MSG = "Found failed daemon pod {}/{} on node {}, will try to kill it"
SUCCEEDED_POD_MSG = "Found succeeded daemon pod {}/{} on node {}, will try to delete it"
BACKOFF_INITIAL, BACKOFF_MAX = 1.0, 15 * 60.0


def _oldest_first(pod: dict) -> tuple:
    """podByCreationTimestampAndPhase: scheduled first, then oldest, then by name."""
    return (0 if pod["spec"].get("nodeName") else 1, pod["metadata"].get("creationTimestamp") or "",
            pod["metadata"]["name"])


class DaemonSetsController(UpdateMixin, Controller):
    """Watches DaemonSets, ControllerRevisions, pods and nodes."""

    name = "daemonset-controller"

    def __init__(self, loop: Any, client: Any, informers: Any = None, burst_replicas: int = BURST_REPLICAS) -> None:
        super().__init__(loop, client, informers)
        self.burst_replicas = burst_replicas
        self.expectations = ControllerExpectations(lambda: loop.now)
        self.pod_control = PodControl(client, self.recorder)
        self.failed_pods_backoff: dict[str, tuple[float, float]] = {}  # key -> (delay, last update)
        self.ds_informer = self.informers.informer("daemonsets")
        self.history_informer = self.informers.informer("controllerrevisions")
        self.pod_informer = self.informers.informer("pods")
        self.node_informer = self.informers.informer("nodes")
        add_pod_controller_uid_indexer(self.pod_informer)
        self.ds_informer.add_event_handler(on_add=self.enqueue, on_update=lambda o, c: self.enqueue(c),
                                           on_delete=self._delete_ds)
        self.history_informer.add_event_handler(on_add=self._owner_changed, on_update=lambda o, c: self._owner_changed(c),
                                                on_delete=self._owner_changed)
        self.pod_informer.add_event_handler(on_add=self._add_pod, on_update=self._update_pod,
                                            on_delete=self._delete_pod)
        self.node_informer.add_event_handler(on_add=self._add_node, on_update=self._update_node)

    # -- handlers ---------------------------------------------------------------------------------
    def _delete_ds(self, ds: dict) -> None:
        self.expectations.delete_expectations(f"{ds['metadata']['namespace']}/{ds['metadata']['name']}")
        self.enqueue(ds)

    def resolve_controller_ref(self, namespace: str, ref: dict | None) -> dict | None:
        return self.owner_from_ref(self.ds_informer.lister, "DaemonSet", namespace, ref)

    def _owner_changed(self, obj: dict) -> None:
        ds = self.resolve_controller_ref(obj["metadata"].get("namespace"), get_controller_of(obj))
        if ds is not None:
            self.enqueue(ds)

    def get_daemon_sets_for_pod(self, pod: dict) -> list[dict]:
        labels = pod["metadata"].get("labels")
        if not labels:
            return []
        return [ds for ds in self.ds_informer.lister.list(pod["metadata"]["namespace"])
                if (ds["spec"].get("selector") or {}) and selector_from_label_selector(ds["spec"]["selector"]).matches(labels)]


    def _add_pod(self, pod: dict) -> None:
        if pod["metadata"].get("deletionTimestamp"):
            self._delete_pod(pod)
            return
        ref = get_controller_of(pod)
        if ref is not None:
            ds = self.resolve_controller_ref(pod["metadata"]["namespace"], ref)
            if ds is not None:
                self.expectations.creation_observed(meta_key(ds))
                self.enqueue(ds)
            return
        for ds in self.get_daemon_sets_for_pod(pod):
            self.enqueue(ds)

    def _update_pod(self, old: dict, cur: dict) -> None:
        if cur["metadata"].get("resourceVersion") == old["metadata"].get("resourceVersion"):
            return
        if cur["metadata"].get("deletionTimestamp"):
            self._delete_pod(cur)
            return
        cur_ref, old_ref = get_controller_of(cur), get_controller_of(old)
        if cur_ref != old_ref and old_ref is not None:
            self._owner_changed(old)
        if cur_ref is not None:
            ds = self.resolve_controller_ref(cur["metadata"]["namespace"], cur_ref)
            if ds is not None:
                self.enqueue(ds)
                min_ready = ds["spec"].get("minReadySeconds") or 0
                if min_ready and not is_pod_ready(old) and is_pod_ready(cur):
                    self.queue.add_after(meta_key(ds), min_ready + 1)
            return
        if cur_ref != old_ref or cur["metadata"].get("labels") != old["metadata"].get("labels"):
            for ds in self.get_daemon_sets_for_pod(cur):
                self.enqueue(ds)

    def _delete_pod(self, pod: dict) -> None:
        ds = self.resolve_controller_ref(pod["metadata"]["namespace"], get_controller_of(pod))
        if ds is not None:
            self.expectations.deletion_observed(meta_key(ds))
            self.enqueue(ds)

    def _add_node(self, node: dict) -> None:
        for ds in self.ds_informer.lister.list():
            if node_should_run_daemon_pod(node, ds)[0]:
                self.enqueue(ds)

    def _update_node(self, old: dict, cur: dict) -> None:
        if _should_ignore_node_update(old, cur):
            return
        for ds in self.ds_informer.lister.list():
            if node_should_run_daemon_pod(old, ds) != node_should_run_daemon_pod(cur, ds):
                self.enqueue(ds)

    # -- sync -------------------------------------------------------------------------------------
    def sync(self, key: str) -> None:
        namespace, name = split_key(key)
        ds = self.ds_informer.lister.get(name, namespace)
        if ds is None:
            self.expectations.delete_expectations(key)
            return
        nodes = self.node_informer.lister.list()
        selector = ds["spec"].get("selector") or {}
        if not (selector.get("matchLabels") or selector.get("matchExpressions")):
            self.recorder.event(ds, "Warning", "SelectingAll", SELECTING_ALL_MSG)
            return
        if ds["metadata"].get("deletionTimestamp"):
            return
        cur, old = self.construct_history(ds)
        hash_ = cur["metadata"]["labels"]["controller-revision-hash"]
        if not self.expectations.satisfied_expectations(key):
            self.update_daemon_set_status(ds, nodes, hash_, False)
            return
        error = None
        try:
            self.manage(ds, nodes, hash_)
            if self.expectations.satisfied_expectations(key) and \
                    ((ds["spec"].get("updateStrategy") or {}).get("type") or "RollingUpdate") == "RollingUpdate":
                self.rolling_update(ds, nodes, hash_)
            self.cleanup_history(ds, old)
        except ApiError as err:
            error = err
        self.update_daemon_set_status(ds, nodes, hash_, True)
        if error is not None:
            raise error

    def get_nodes_to_daemon_pods(self, ds: dict, include_deleted_terminal: bool = False) -> dict[str, list[dict]]:
        """Claimed daemon pods by the node they are on or aimed at."""
        selector = selector_from_label_selector(ds["spec"]["selector"])
        can_adopt = recheck_deletion_timestamp(lambda: self.fresh("daemonsets", ds), ds["metadata"]["uid"])
        pods = claim_objects(self.client, "pods", ds, lambda p: selector.matches(p["metadata"].get("labels")),
                             filter_pods_by_owner(self.pod_informer, ds), can_adopt)
        result: dict[str, list[dict]] = {}
        for pod in pods:
            terminal = (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
            if not include_deleted_terminal and terminal and pod["metadata"].get("deletionTimestamp"):
                continue
            node_name = get_target_node_name(pod)
            if node_name is not None:
                result.setdefault(node_name, []).append(pod)
        return result

    def manage(self, ds: dict, nodes: list[dict], hash_: str) -> None:
        node_to_pods = self.get_nodes_to_daemon_pods(ds)
        needing, to_delete = [], []
        for node in nodes:
            need, delete = self.pods_should_be_on_node(node, node_to_pods, ds, hash_)
            needing += need
            to_delete += delete
        names = {n["metadata"]["name"] for n in nodes}
        for node_name in sorted(node_to_pods):  # unscheduled pods aimed at a node that is gone
            if node_name not in names:
                to_delete += [p["metadata"]["name"] for p in node_to_pods[node_name] if not p["spec"].get("nodeName")]
        self.sync_nodes(ds, to_delete, needing, hash_)

    def pods_should_be_on_node(self, node: dict, node_to_pods: dict[str, list[dict]], ds: dict,
                               hash_: str) -> tuple[list[str], list[str]]:
        """(nodes needing a daemon pod, pods to delete) for one node."""
        should_run, should_continue = node_should_run_daemon_pod(node, ds)
        node_name = node["metadata"]["name"]
        pods = node_to_pods.get(node_name)
        if should_run and not pods:
            return [node_name], []
        if not should_continue:
            return [], [p["metadata"]["name"] for p in pods or () if not p["metadata"].get("deletionTimestamp")]
        to_delete, running = [], []
        for pod in pods or ():
            if pod["metadata"].get("deletionTimestamp"):
                continue
            phase = (pod.get("status") or {}).get("phase")
            if phase == "Failed":
                if self._failed_pod_in_backoff(ds, node_name):
                    continue
                self.recorder.event(ds, "Warning", "FailedDaemonPod",
                                    FAILED_POD_MSG.format(pod["metadata"]["namespace"], pod["metadata"]["name"], node_name))
                to_delete.append(pod["metadata"]["name"])
            elif phase == "Succeeded":
                self.recorder.event(ds, "Normal", "SucceededDaemonPod",
                                    SUCCEEDED_POD_MSG.format(pod["metadata"]["namespace"], pod["metadata"]["name"], node_name))
                to_delete.append(pod["metadata"]["name"])
            else:
                running.append(pod)
        running.sort(key=_oldest_first)
        if surge_count(ds, 1) == 0:  # no surge: only the oldest may stay
            return [], to_delete + [p["metadata"]["name"] for p in running[1:]]
        return [], to_delete + self._surge_extra(ds, running, hash_)

    def _surge_extra(self, ds: dict, running: list[dict], hash_: str) -> list[str]:
        """With surge: keep the oldest new pod, and the oldest old one only while the new is not available."""
        oldest_new = oldest_old = None
        extra = []
        for pod in running:
            if (pod["metadata"].get("labels") or {}).get("controller-revision-hash") == hash_:
                if oldest_new is None:
                    oldest_new = pod
                    continue
            elif oldest_old is None:
                oldest_old = pod
                continue
            extra.append(pod["metadata"]["name"])
        if oldest_new is not None and oldest_old is not None and (
                not is_pod_ready(oldest_old)
                or is_pod_available(oldest_new, ds["spec"].get("minReadySeconds") or 0, self.loop.now)):
            extra.append(oldest_old["metadata"]["name"])
        return extra

    def _failed_pod_in_backoff(self, ds: dict, node_name: str) -> bool:
        """flowcontrol.Backoff (1 s doubling to 15 min): don't fight a kubelet that rejects the pod."""
        key = f"{ds['metadata']['uid']}/{node_name}"
        now = self.loop.now
        entry = self.failed_pods_backoff.get(key)
        if entry is not None and now - entry[1] < entry[0]:
            self.queue.add_after(meta_key(ds), entry[0])
            return True
        if entry is None or now - entry[1] > 2 * BACKOFF_MAX:
            delay = BACKOFF_INITIAL
        else:
            delay = min(entry[0] * 2, BACKOFF_MAX)
        self.failed_pods_backoff[key] = (delay, now)
        return False

    def sync_nodes(self, ds: dict, to_delete: list[str], needing: list[str], hash_: str) -> None:
        """Create daemon pods for ``needing`` (slow start) and delete ``to_delete``."""
        key = meta_key(ds)
        create_diff = min(len(needing), self.burst_replicas)
        delete_diff = min(len(to_delete), self.burst_replicas)
        self.expectations.set_expectations(key, create_diff, delete_diff)
        template = create_pod_template(ds["spec"]["template"], get_template_generation(ds), hash_)
        ref = owner_reference(ds)
        errors: list[ApiError] = []
        pos, batch = 0, min(create_diff, SLOW_START_INITIAL_BATCH_SIZE)
        while pos < create_diff:
            before = len(errors)
            for node_name in needing[pos:pos + batch]:
                pod_template = thaw(template)
                pod_template["spec"]["affinity"] = replace_daemon_set_pod_node_name_node_affinity(
                    pod_template["spec"].get("affinity"), node_name)
                try:
                    self.pod_control.create_pod(get_pod_from_template(pod_template, ds, ref), ds)
                except ApiError as err:
                    self.expectations.creation_observed(key)
                    errors.append(err)
            skipped = create_diff - (pos + batch)
            if len(errors) > before and skipped > 0:
                self.expectations.lower_expectations(key, skipped, 0)
                break
            pos, batch = pos + batch, min(2 * batch, create_diff - (pos + batch))
        for name in to_delete[:delete_diff]:
            try:
                self.pod_control.delete_pod(ds["metadata"]["namespace"], name, ds)
            except ApiError as err:
                self.expectations.deletion_observed(key)
                if err.code != 404:
                    errors.append(err)
        if errors:
            raise errors[0]

    # -- status -----------------------------------------------------------------------------------
    def update_daemon_set_status(self, ds: dict, nodes: list[dict], hash_: str, update_observed_gen: bool) -> None:
        node_to_pods = self.get_nodes_to_daemon_pods(ds)
        desired = current = misscheduled = ready = updated = available = 0
        generation, min_ready = get_template_generation(ds), ds["spec"].get("minReadySeconds") or 0
        for node in nodes:
            should_run, _ = node_should_run_daemon_pod(node, ds)
            pods = node_to_pods.get(node["metadata"]["name"])
            if not should_run:
                misscheduled += bool(pods)
                continue
            desired += 1
            if not pods:
                continue
            current += 1
            pod = min(pods, key=_oldest_first)
            if is_pod_ready(pod):
                ready += 1
                available += is_pod_available(pod, min_ready, self.loop.now)
            updated += is_pod_updated(pod, hash_, generation)
        counts = {"currentNumberScheduled": current, "numberMisscheduled": misscheduled,
                  "desiredNumberScheduled": desired, "numberReady": ready, "updatedNumberScheduled": updated,
                  "numberAvailable": available, "numberUnavailable": desired - available}
        self.store_daemon_set_status(ds, counts, update_observed_gen)
        if min_ready and ready != available:
            self.queue.add_after(meta_key(ds), min_ready)

    def store_daemon_set_status(self, ds: dict, counts: dict, update_observed_gen: bool) -> None:
        old = ds.get("status") or {}
        if all(old.get(k, 0) == v for k, v in counts.items()) and \
                old.get("observedGeneration", 0) >= ds["metadata"].get("generation", 0):
            return

        def status_for(current: dict) -> dict:
            status = dict(current.get("status") or {})
            if update_observed_gen:
                status["observedGeneration"] = ds["metadata"].get("generation", 0)
            status.update(counts)
            for k in ("updatedNumberScheduled", "numberAvailable", "numberUnavailable"):
                if not status.get(k):
                    status.pop(k, None)
            return status
        update_status_on_conflict(self.client, "daemonsets", ds, status_for)


def _should_ignore_node_update(old: dict, cur: dict) -> bool:
    """Only a change of conditions' statuses or of anything but status matters."""
    def statuses(node: dict) -> dict:
        return {c.get("type"): c.get("status") for c in (node.get("status") or {}).get("conditions") or ()}
    if statuses(old) != statuses(cur):
        return False
    strip = ("resourceVersion",)
    om = {k: v for k, v in old["metadata"].items() if k not in strip}
    cm = {k: v for k, v in cur["metadata"].items() if k not in strip}
    return om == cm and old.get("spec") == cur.get("spec") and \
        {k: v for k, v in (old.get("status") or {}).items() if k != "conditions"} == \
        {k: v for k, v in (cur.get("status") or {}).items() if k != "conditions"}
